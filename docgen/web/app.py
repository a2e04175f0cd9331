"""The web page's routes. Thin: uploads go through :mod:`.safety`, documents through :mod:`.documents`,
batches through :mod:`.jobs`.

    GET    /                                  the page (HTML, its script and styles inline)
    GET    /api/info                          version; whether LibreOffice (PDF, preview) is there; upload limit
    GET    /api/kinds                         the document kinds, whether each makes batches, its samples
    GET    /api/kinds/{kind}/schema           the kind's JSON Schema with Vietnamese labels, for the form
    GET    /api/kinds/{kind}/samples/{name}   a sample JSON file
    GET    /api/kinds/{kind}/template.xlsx    a ready-to-fill Excel workbook (batch kinds)
    POST   /api/validate                      every problem of the data (one document or a batch)
    POST   /api/number                        the number field: numbered?, the data's, the register's, the next
    POST   /api/render                        the .docx, or the PDF with format=pdf, numbered from the register
    POST   /api/preview                       page 1 as a PNG
    POST   /api/import                        an existing document (.docx, or text copied out of a PDF) as
                                              data: {data, warnings, problems, origin}
    POST   /api/jobs                          start a batch in the background → its id
    GET    /api/jobs/{id}                     the job's progress and problems
    GET    /api/jobs/{id}/download            the job's .zip (documents, manifest.csv, tat_ca.pdf)
    POST   /api/jobs/{id}/cancel              stop a waiting or running job; nothing it made is kept
    DELETE /api/jobs/{id}                     remove a finished job's files now

POST requests are multipart forms: ``kind``, ``file`` (JSON or .xlsx; for /api/import the document), optionally
``template`` (.docx); render, preview and jobs also ``so`` (the number the user typed; jobs: the first number),
``bat_dau_lai`` (when a new series restarts: "nam" or a date), ``cap_lai`` / ``so_moi`` (a changed document: reissue,
or a new number). The number a render took is in its ``X-Docgen-So`` header (URL-encoded: "05-QĐ/ĐU").
Errors are JSON ``{"detail": "…", "problems": [{"path", "code", "message", "where"?, "unit"?}]}``.

Uploads are saved and identified in a thread; everything the library does with them runs in a worker process
(:mod:`.workers`) with a deadline, killed as soon as the client disconnects or the server stops.
"""

from __future__ import annotations

import dataclasses
import logging
import os
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
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import FileResponse, HTMLResponse, JSONResponse, Response

from urllib.parse import quote

from .. import __version__, kinds, numbers, office, pdf, register
from ..errors import DocgenError, InvalidInput, TemplateProblem, UnknownKind, errors
from ..header import slug
from ..xlsx.write import build_workbook
from . import documents, workers
from .forms import form_schema
from .jobs import DONE, JobStore
from .safety import (
    DEFAULT_MAX_UPLOAD,
    DOCX,
    JSON,
    TEXT,
    XLSX,
    Guard,
    Settings,
    WebError,
    Workspace,
    error_body,
    save_upload,
)

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
    return slug(stem) if stem and stem != kind and slug(stem) != "van-ban" else slug(kind)


def create_app(
    token: str | None = None,
    *,
    host: str = "127.0.0.1",
    max_upload: int = DEFAULT_MAX_UPLOAD,
    job_ttl: float = 3600.0,
    max_jobs: int = 8,
    work_dir: str | Path | None = None,
    isolate: bool = True,
    register_path: str | Path | None = None,
    office_converters: int | None = None,
    **limits,
) -> FastAPI:
    """The web application. ``token``: required of every request when set (it must be, for a non-loopback
    ``host``; :func:`docgen.web.serve` enforces that). ``max_upload``: bytes per request. ``job_ttl``:
    seconds a finished batch's files are kept. ``work_dir``: where temporary folders go. ``isolate=False``:
    library work in the server's threads rather than worker processes (no deadline, nothing cancelled — for
    tests that replace library functions). ``register_path``: the register of issued numbers (default:
    ``$DOCGEN_REGISTER``, else the user's data folder). ``office_converters``: LibreOffice processes kept running
    for PDF and previews (default :func:`docgen.office.default_size`; 0: none, each conversion starts its own).
    ``limits``: the other fields of :class:`.safety.Settings`
    (``body_grace``, ``body_min_rate``, ``max_uploads``, ``render_timeout``, ``job_timeout``, ``worker_memory``)."""
    settings = Settings(
        token=token,
        host=host,
        max_upload=max_upload,
        job_ttl=job_ttl,
        max_jobs=max_jobs,
        work_dir=Path(work_dir) if work_dir else None,
        **limits,
    )
    if settings.work_dir:
        settings.work_dir.mkdir(parents=True, exist_ok=True)
    root = Path(tempfile.mkdtemp(prefix="docgen-web-", dir=settings.work_dir))
    requests_dir = root / "yeu_cau"
    # Requests get a worker per core; batch jobs run one at a time in a pool of their own, so that a long batch
    # never makes single documents wait.
    pool = workers.Workers(os.cpu_count() or 1, settings.worker_memory, isolate)
    store = JobStore(
        root / "viec", job_ttl, max_jobs, workers.Workers(1, settings.worker_memory, isolate), settings.job_timeout
    )
    # PDF and previews of one document: LibreOffice kept running between requests, started when the page is
    # first opened (or by the first request), ended with the server.
    converters = office.Pool(office_converters, work_dir=settings.work_dir) if office_converters != 0 else None

    @asynccontextmanager
    async def lifespan(app):
        stop = threading.Event()

        def janitor():
            while not stop.wait(min(60.0, max(1.0, job_ttl / 2))):
                store.sweep()

        thread = threading.Thread(target=janitor, name="docgen-janitor", daemon=True)
        thread.start()
        threading.Thread(target=pool.warm, name="docgen-warm", daemon=True).start()
        try:
            yield
        finally:
            stop.set()
            pool.close()
            if converters:
                converters.close()
            store.close()
            shutil.rmtree(root, ignore_errors=True)

    app = FastAPI(
        title="docgen", version=__version__, docs_url=None, redoc_url=None, openapi_url=None, lifespan=lifespan
    )
    app.state.settings, app.state.jobs, app.state.root, app.state.workers = settings, store, root, pool
    app.state.office = converters
    app.add_middleware(Guard, settings=settings)

    # ------------------------------------------------------------ errors, in Vietnamese

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        problems = getattr(exc, "problems", [])
        detail = exc.detail if isinstance(exc, WebError) else _http_detail(exc.status_code)
        return JSONResponse(error_body(detail, problems), exc.status_code, headers=getattr(exc, "headers", None))

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
        problem = dataclasses.replace(exc.problem, path="$", where="Mẫu Word tải lên")
        return JSONResponse(error_body(f"Mẫu Word không dùng được: {exc}", [problem]), 422)

    @app.exception_handler(DocgenError)
    async def docgen_error(request: Request, exc: DocgenError):
        status, message = workers.status_and_message(exc) or (400, str(exc))
        return JSONResponse(error_body(message), status)

    @app.exception_handler(MemoryError)
    async def out_of_memory(request: Request, exc: MemoryError):
        status, message = workers.status_and_message(exc)
        return JSONResponse(error_body(message), status)

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

    def warm_office() -> None:
        """Start LibreOffice in the background if none is running, so that it is ready when a PDF is asked for."""
        if converters and pdf.soffice_path():
            threading.Thread(target=converters.warm, name="docgen-office-warm", daemon=True).start()

    @app.get("/", response_class=HTMLResponse)
    def page():
        warm_office()  # a preview is likely to follow: have LibreOffice running by then
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
        declared = kinds.get(kind)
        if declared.batch is None or declared.batch.workbook is None:
            raise WebError(
                404,
                f"Loại “{declared.title}” không nhập bằng sổ Excel (chỉ các văn bản làm "
                f"hàng loạt bằng sổ Excel: {documents.workbook_titles()})"
                + ("; loại này làm hàng loạt bằng tệp JSON lô văn bản." if declared.batch else "."),
            )
        return Response(build_workbook(declared), media_type=XLSX_TYPE, headers=_attachment(f"mau_{kind}.xlsx"))

    # ------------------------------------------------------------ numbers

    def numbering(restart: str | None = None, reissue: str | None = None, new: str | None = None):
        try:
            when = register.parse_restart(restart) if restart and restart.strip() else None
        except register.RegisterError as exc:
            raise WebError(400, exc.message) from None
        # resolved here: the workers are forked from a process started with the server's first environment
        return numbers.Numbering.resolved(register_path, restart=when, reissue=_yes(reissue), new_numbers=_yes(new))

    # ------------------------------------------------------------ one document

    def receive(kind: str, file: UploadFile, template: UploadFile | None, ws: Workspace):
        """The kind, resolved once here, and the uploads saved and identified."""
        declared = kinds.get(kind)
        data = save_upload(file, ws, {JSON, XLSX}, settings, hints={DOCX: documents.import_hint(declared)})
        tpl = save_upload(template, ws, {DOCX}, settings) if template is not None and template.filename else None
        return declared, data, tpl

    async def work(request: Request, fn, *args):
        return await pool.run(request, fn, *args, timeout=settings.render_timeout)

    @app.post("/api/validate")
    async def validate(
        request: Request, kind: str = Form(...), file: UploadFile = File(...), template: UploadFile | None = File(None)
    ):
        with Workspace(requests_dir, "yc-") as ws:
            declared, upload, tpl = await run_in_threadpool(receive, kind, file, template, ws)
            result = await work(request, documents.validate_upload, declared, upload, tpl.path if tpl else None)
            return JSONResponse(result, background=BackgroundTask(ws.remove))

    @app.post("/api/number")
    async def number(request: Request, kind: str = Form(...), file: UploadFile = File(...)):
        with Workspace(requests_dir, "yc-") as ws:
            declared, upload, _ = await run_in_threadpool(receive, kind, file, None, ws)
            result = await work(request, documents.number_info, declared, upload, numbering())
            return JSONResponse(result, background=BackgroundTask(ws.remove))

    @app.post("/api/render")
    async def render(
        request: Request,
        kind: str = Form(...),
        file: UploadFile = File(...),
        template: UploadFile | None = File(None),
        format: str = Form("docx"),
        so: str | None = Form(None),
        bat_dau_lai: str | None = Form(None),
        cap_lai: str | None = Form(None),
        so_moi: str | None = Form(None),
    ):
        if format not in ("docx", "pdf"):
            raise WebError(400, "Định dạng phải là docx hoặc pdf.")
        if format == "pdf":
            documents.need_soffice()
        with Workspace(requests_dir, "yc-") as ws:
            given = _number(so)
            declared, upload, tpl = await run_in_threadpool(receive, kind, file, template, ws)
            stem = _download_stem(upload.name, kind)
            numbered_by = numbering(bat_dau_lai, cap_lai, so_moi)
            if format == "pdf":
                warm_office()  # starting while the document is rendered, not after
            made, issued = await work(
                request,
                documents.render_upload,
                declared,
                upload,
                tpl.path if tpl else None,
                ws.path,
                numbered_by,
                given,
                format == "pdf",
            )
            if format == "pdf":
                made = await run_in_threadpool(documents.to_pdf, made, made.with_suffix(".pdf"), converters)
            taken = await run_in_threadpool(documents.record, numbered_by, issued, f"{stem}.{format}")
            numbered = {"X-Docgen-So": quote(taken)} if taken else {}
            if format == "docx":
                return Response(
                    made,
                    media_type=DOCX_TYPE,
                    headers={**_attachment(f"{stem}.docx"), **numbered},
                    background=BackgroundTask(ws.remove),
                )
            return FileResponse(
                made,
                media_type="application/pdf",
                filename=f"{stem}.pdf",
                headers=numbered,
                background=BackgroundTask(ws.remove),
            )

    @app.post("/api/preview")
    async def preview(
        request: Request,
        kind: str = Form(...),
        file: UploadFile = File(...),
        template: UploadFile | None = File(None),
        so: str | None = Form(None),
    ):
        documents.need_soffice()
        given = _number(so)
        with Workspace(requests_dir, "yc-") as ws:
            declared, upload, tpl = await run_in_threadpool(receive, kind, file, template, ws)
            warm_office()  # starting while the document is rendered, not after
            docx = await work(
                request, documents.write_upload, declared, upload, tpl.path if tpl else None, ws.path, given
            )
            image = await run_in_threadpool(documents.preview, docx, converters)
            return FileResponse(image, media_type="image/png", background=BackgroundTask(ws.remove))

    @app.post("/api/import")
    async def import_document(request: Request, kind: str = Form(...), file: UploadFile = File(...)):
        declared = kinds.get(kind)
        documents.need_importer(declared)
        with Workspace(requests_dir, "yc-") as ws:
            upload = await run_in_threadpool(
                save_upload, file, ws, {DOCX, TEXT}, settings, None, "văn bản Word (.docx) hoặc tệp chữ (.txt)"
            )
            result = await work(request, documents.import_upload, declared, upload)
            return JSONResponse(result, background=BackgroundTask(ws.remove))

    # ------------------------------------------------------------ batches

    @app.post("/api/jobs", status_code=202)
    async def start_job(
        request: Request,
        kind: str = Form(...),
        file: UploadFile = File(...),
        want_pdf: bool = Form(True, alias="pdf"),
        so: str | None = Form(None),
        bat_dau_lai: str | None = Form(None),
        cap_lai: str | None = Form(None),
        so_moi: str | None = Form(None),
    ):
        declared = kinds.get(kind)
        start = _number(so)
        chosen = numbering(bat_dau_lai, cap_lai, so_moi)
        with store.new_workspace() as ws:  # removed here on any error; the job owns it otherwise
            upload = await run_in_threadpool(save_upload, file, ws, {JSON, XLSX}, settings)
            if not documents.is_batch_input(upload):
                raise WebError(
                    400,
                    f"Tệp “{upload.name}” chỉ có một văn bản (không có “chung” và “don_vi”); "
                    "dùng nút “Tải Word” hoặc “Tải PDF”.",
                )
            # numbered from the register before the job starts: a clash is answered now, with its place
            planned = await work(request, documents.number_batch, declared, upload, chosen, start)
            job = store.submit(declared.name, ws, _download_stem(upload.name, kind), planned, want_pdf, chosen)
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

    @app.post("/api/jobs/{job_id}/cancel")
    def job_cancel(job_id: str):
        return store.cancel(job_id).status()

    @app.delete("/api/jobs/{job_id}")
    def job_delete(job_id: str):
        store.delete(job_id)
        return {"ok": True}

    return app


def _number(text: str | None) -> int | None:
    """The number typed in the page's number field (empty: the register's next)."""
    text = (text or "").strip()
    if not text:
        return None
    if not text.isdigit() or not 1 <= int(text) <= register.MAX_NUMBER:
        raise WebError(
            400, f"Số văn bản phải là một số từ 1 đến {register.MAX_NUMBER} (ô “Số văn bản”: “{text[:20]}”)."
        )
    return int(text)


def _yes(value: str | None) -> bool:
    return (value or "").strip().lower() in ("1", "true", "on", "yes", "co", "có")


def _http_detail(status: int) -> str:
    return {404: "Không có trang hoặc mục này.", 405: "Phương thức không được hỗ trợ ở địa chỉ này."}.get(
        status, f"Yêu cầu không thực hiện được (mã {status})."
    )
