"""The web page's routes. Thin: uploads go through :mod:`.safety`, documents through :mod:`.documents`,
batches through :mod:`.jobs`.

    GET    /                                  the page (HTML, its script and styles inline)
    GET    /api/info                          version; whether LibreOffice (PDF, preview) is there; upload limit
    GET    /api/kinds                         the document kinds, whether each makes batches, its samples
    GET    /api/kinds/{kind}/schema           the kind's JSON Schema with Vietnamese labels, for the form
    GET    /api/kinds/{kind}/samples/{name}   a sample JSON file
    GET    /api/kinds/{kind}/template.xlsx    a ready-to-fill Excel workbook (batch kinds)
    POST   /api/validate                      every problem of the data (one document or a batch)
    POST   /api/render                        the .docx, or the PDF with format=pdf
    POST   /api/preview                       page 1 as a PNG
    POST   /api/jobs                          start a batch in the background → its id
    GET    /api/jobs/{id}                     the job's progress and problems
    GET    /api/jobs/{id}/download            the job's .zip (documents, manifest.csv, tat_ca.pdf)
    DELETE /api/jobs/{id}                     remove a finished job's files now

POST requests are multipart forms: ``kind``, ``file`` (JSON or .xlsx), optionally ``template`` (.docx).
Errors are JSON ``{"detail": "…", "problems": [{"path", "code", "message", "where"?, "unit"?}]}``.
"""

from __future__ import annotations

import logging
import secrets
import shutil
import tempfile
import threading
from contextlib import asynccontextmanager
from functools import lru_cache
from importlib import resources
from pathlib import Path

from fastapi import FastAPI, File, Form, Request, UploadFile
from fastapi.exceptions import RequestValidationError
from starlette.background import BackgroundTask
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import FileResponse, HTMLResponse, JSONResponse, Response

from .. import __version__, batch, kinds, pdf
from ..errors import DocgenError, InvalidInput, TemplateProblem, UnknownKind, errors
from ..xlsx import build_workbook
from . import documents
from .forms import form_schema
from .jobs import DONE, JobStore
from .safety import DEFAULT_MAX_UPLOAD, DOCX, JSON, XLSX, Guard, Settings, WebError, Workspace, error_body, save_upload

log = logging.getLogger("docgen.web")

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@lru_cache(maxsize=None)
def _page_parts() -> tuple[str, str, str]:
    static = resources.files("docgen.web") / "static"
    return tuple((static / name).read_text(encoding="utf-8") for name in ("index.html", "style.css", "app.js"))


def page_html(nonce: str) -> str:
    """The page with its styles and script inline: one request (which carries the token when one is
    needed) loads everything, and the Content-Security-Policy allows only these inline parts."""
    html, css, js = _page_parts()
    return html.replace("NONCE", nonce).replace("/*STYLE*/", css).replace("/*SCRIPT*/", js)


def _attachment(name: str) -> dict:
    return {"Content-Disposition": f'attachment; filename="{name}"'}


def _download_stem(upload_name: str, kind: str) -> str:
    stem = upload_name.rsplit(".", 1)[0] if "." in upload_name else upload_name
    return batch.slug(stem) if stem and stem != kind and batch.slug(stem) != "van-ban" else batch.slug(kind)


def create_app(
    token: str | None = None,
    *,
    host: str = "127.0.0.1",
    max_upload: int = DEFAULT_MAX_UPLOAD,
    job_ttl: float = 3600.0,
    max_jobs: int = 8,
    work_dir: str | Path | None = None,
) -> FastAPI:
    """The web application. ``token``: required of every request when set (it must be, for a non-loopback
    ``host``; :func:`docgen.web.serve` enforces that). ``max_upload``: bytes per request. ``job_ttl``:
    seconds a finished batch's files are kept. ``work_dir``: where temporary folders go."""
    settings = Settings(
        token=token,
        host=host,
        max_upload=max_upload,
        job_ttl=job_ttl,
        max_jobs=max_jobs,
        work_dir=Path(work_dir) if work_dir else None,
    )
    if settings.work_dir:
        settings.work_dir.mkdir(parents=True, exist_ok=True)
    root = Path(tempfile.mkdtemp(prefix="docgen-web-", dir=settings.work_dir))
    requests_dir = root / "yeu_cau"
    store = JobStore(root / "viec", job_ttl, max_jobs)

    @asynccontextmanager
    async def lifespan(app):
        stop = threading.Event()

        def janitor():
            while not stop.wait(min(60.0, max(1.0, job_ttl / 2))):
                store.sweep()

        thread = threading.Thread(target=janitor, name="docgen-janitor", daemon=True)
        thread.start()
        try:
            yield
        finally:
            stop.set()
            store.close()
            shutil.rmtree(root, ignore_errors=True)

    app = FastAPI(
        title="docgen", version=__version__, docs_url=None, redoc_url=None, openapi_url=None, lifespan=lifespan
    )
    app.state.settings, app.state.jobs, app.state.root = settings, store, root
    app.add_middleware(Guard, settings=settings)

    # ------------------------------------------------------------ errors, in Vietnamese

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        problems = getattr(exc, "problems", [])
        detail = exc.detail if isinstance(exc, WebError) else _http_detail(exc.status_code)
        return JSONResponse(error_body(detail, problems), exc.status_code)

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, exc: RequestValidationError):
        fields = sorted({str(e.get("loc", ["", "?"])[-1]) for e in exc.errors()})
        return JSONResponse(error_body(f"Yêu cầu thiếu hoặc sai trường: {', '.join(fields)}."), 400)

    @app.exception_handler(InvalidInput)
    async def invalid(request: Request, exc: InvalidInput):
        count = len(errors(exc.problems))  # warnings found with the errors are listed, not counted
        return JSONResponse(error_body(f"Dữ liệu có {count} lỗi; chưa tạo văn bản nào.", exc.problems), 422)

    @app.exception_handler(UnknownKind)
    async def unknown_kind(request: Request, exc: UnknownKind):
        return JSONResponse(error_body(str(exc)), 404)

    @app.exception_handler(TemplateProblem)
    async def template_problem(request: Request, exc: TemplateProblem):
        problem = {"path": "$", "code": "template", "message": str(exc), "where": "Mẫu Word tải lên"}
        return JSONResponse(error_body(f"Mẫu Word không dùng được: {exc}", [problem]), 422)

    @app.exception_handler(DocgenError)
    async def docgen_error(request: Request, exc: DocgenError):
        return JSONResponse(error_body(str(exc)), 400)

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception):
        log.exception("unexpected error on %s", request.url.path)
        return JSONResponse(
            error_body(
                "Lỗi không mong đợi ở máy chủ; hãy thử lại. Nếu vẫn lỗi, báo cho người quản trị kèm thời điểm xảy ra."
            ),
            500,
        )

    # ------------------------------------------------------------ the page and what it reads

    @app.get("/", response_class=HTMLResponse)
    def page():
        nonce = secrets.token_urlsafe(16)
        csp = (
            f"default-src 'none'; script-src 'nonce-{nonce}'; style-src 'nonce-{nonce}'; img-src 'self' blob: data:; "
            "connect-src 'self'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'"
        )
        return HTMLResponse(page_html(nonce), headers={"Content-Security-Policy": csp})

    @app.get("/api/info")
    def info():
        return {
            "version": __version__,
            "libreoffice": bool(pdf.soffice_path()),
            "pdftoppm": bool(shutil.which("pdftoppm")),
            "max_upload": settings.max_upload,
            "token": settings.token is not None,
        }

    @app.get("/api/kinds")
    def kind_list():
        return documents.kind_list()

    @app.get("/api/kinds/{kind}/schema")
    def schema(kind: str):
        return form_schema(kind)

    @app.get("/api/kinds/{kind}/samples/{name}")
    def sample(kind: str, name: str):
        found = documents.samples(kind).get(name)
        if found is None:
            raise WebError(404, f"Không có tệp mẫu “{name[:80]}” cho loại văn bản này.")
        return FileResponse(found[0], media_type="application/json", filename=name)

    @app.get("/api/kinds/{kind}/template.xlsx")
    def workbook(kind: str):
        if not documents.is_batch_kind(kind):
            raise WebError(
                404,
                f"Loại “{kinds.get(kind).TITLE}” không nhập bằng sổ Excel (chỉ các văn bản làm "
                "hàng loạt: quyết định xếp loại, tờ trình, báo cáo kiểm điểm).",
            )
        return Response(build_workbook(kind), media_type=XLSX_TYPE, headers=_attachment(f"mau_{kind}.xlsx"))

    # ------------------------------------------------------------ one document

    def receive(kind: str, file: UploadFile, template: UploadFile | None, ws: Workspace):
        kinds.get(kind)
        data = save_upload(file, ws, {JSON, XLSX}, settings)
        tpl = save_upload(template, ws, {DOCX}, settings) if template is not None and template.filename else None
        return data, tpl

    def is_batch_input(upload) -> bool:
        return upload.type == XLSX or batch.is_batch(upload.data)

    def single(kind: str, upload, tpl):
        """The checked context of a one-document upload; raise with every problem (data, then template)."""
        if is_batch_input(upload):
            raise WebError(400, f"Tệp “{upload.name}” là một lô nhiều văn bản; bấm “Tạo tất cả (.zip)” để tạo cả lô.")
        built, problems = documents.check(kind, upload.data)
        if built is None:  # warnings alone do not stop the document
            raise InvalidInput(problems)
        found = documents.template_problems(kind, tpl.path) if tpl else []
        if found:
            raise WebError(422, f"Mẫu Word có {len(found)} lỗi.", found)
        return built

    @app.post("/api/validate")
    def validate(kind: str = Form(...), file: UploadFile = File(...), template: UploadFile | None = File(None)):
        with Workspace(requests_dir, "yc-") as ws:
            upload, tpl = receive(kind, file, template, ws)
            if is_batch_input(upload):
                try:
                    envelope, locations, jobs = documents.load_batch(kind, upload.path)
                except InvalidInput as exc:
                    result = {"ok": False, "batch": True, "count": 0, "problems": documents.problem_dicts(exc.problems)}
                else:
                    problems, _ = documents.batch_problems(documents.check_batch(kind, jobs), envelope, locations)
                    result = {"ok": not problems, "batch": True, "count": len(jobs), "problems": problems}
            else:
                built, problems = documents.check(kind, upload.data)
                found = documents.problem_dicts(problems)
                if tpl and built is not None:
                    found += documents.template_problems(kind, tpl.path)
                ok = not any(p.get("severity", "error") == "error" for p in found)  # warnings do not block
                result = {"ok": ok, "batch": False, "count": 1, "problems": found}
            return JSONResponse(result, background=BackgroundTask(ws.remove))

    @app.post("/api/render")
    def render(
        kind: str = Form(...),
        file: UploadFile = File(...),
        template: UploadFile | None = File(None),
        format: str = Form("docx"),
    ):
        if format not in ("docx", "pdf"):
            raise WebError(400, "Định dạng phải là docx hoặc pdf.")
        if format == "pdf":
            documents.need_soffice()
        with Workspace(requests_dir, "yc-") as ws:
            upload, tpl = receive(kind, file, template, ws)
            data = documents.render(kind, single(kind, upload, tpl), tpl.path if tpl else None)
            stem = _download_stem(upload.name, kind)
            if format == "docx":
                return Response(
                    data,
                    media_type=DOCX_TYPE,
                    headers=_attachment(f"{stem}.docx"),
                    background=BackgroundTask(ws.remove),
                )
            docx = ws.path / "van_ban.docx"
            docx.write_bytes(data)
            made = documents.to_pdf(docx, ws.path / "van_ban.pdf")
            return FileResponse(
                made, media_type="application/pdf", filename=f"{stem}.pdf", background=BackgroundTask(ws.remove)
            )

    @app.post("/api/preview")
    def preview(kind: str = Form(...), file: UploadFile = File(...), template: UploadFile | None = File(None)):
        documents.need_soffice()
        with Workspace(requests_dir, "yc-") as ws:
            upload, tpl = receive(kind, file, template, ws)
            data = documents.render(kind, single(kind, upload, tpl), tpl.path if tpl else None)
            docx = ws.path / "van_ban.docx"
            docx.write_bytes(data)
            image = documents.first_page_png(documents.to_pdf(docx, ws.path / "van_ban.pdf"), ws.path / "trang_1")
            return FileResponse(image, media_type="image/png", background=BackgroundTask(ws.remove))

    # ------------------------------------------------------------ batches

    @app.post("/api/jobs", status_code=202)
    def start_job(kind: str = Form(...), file: UploadFile = File(...), want_pdf: bool = Form(True, alias="pdf")):
        kinds.get(kind)
        with store.new_workspace() as ws:  # removed here on any error; the job owns it otherwise
            upload = save_upload(file, ws, {JSON, XLSX}, settings)
            if not is_batch_input(upload):
                raise WebError(
                    400,
                    f"Tệp “{upload.name}” chỉ có một văn bản (không có “chung” và “don_vi”); "
                    "dùng nút “Tải Word” hoặc “Tải PDF”.",
                )
            planned = documents.load_batch(kind, upload.path)
            job = store.submit(kind, ws, _download_stem(upload.name, kind), planned, want_pdf)
        return JSONResponse(job.status(), 202)

    @app.get("/api/jobs/{job_id}")
    def job_status(job_id: str):
        return store.get(job_id).status()

    @app.get("/api/jobs/{job_id}/download")
    def job_download(job_id: str):
        job = store.get(job_id)
        if job.state != DONE or job.result is None:
            raise WebError(409, "Việc này chưa xong (hoặc bị lỗi) nên chưa có tệp để tải.")
        return FileResponse(job.result, media_type="application/zip", filename=f"{job.name}.zip")

    @app.delete("/api/jobs/{job_id}")
    def job_delete(job_id: str):
        store.delete(job_id)
        return {"ok": True}

    return app


def _http_detail(status: int) -> str:
    return {404: "Không có trang hoặc mục này.", 405: "Phương thức không được hỗ trợ ở địa chỉ này."}.get(
        status, f"Yêu cầu không thực hiện được (mã {status})."
    )
