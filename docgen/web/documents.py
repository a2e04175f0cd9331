"""The page's calls into the library — check, render, PDF, page image, batches — and nothing else.

Everything about documents (validation, rules, numbering, rendering, the manifest, the zip, PDF
conversion and merging) is :mod:`docgen.api`, :mod:`docgen.batch`, :mod:`docgen.xlsx` and
:mod:`docgen.pdf`; this module only calls them and turns their problems into what the page shows.
The functions the routes hand to a worker process (:mod:`.workers`) — ``validate_upload``, ``render_upload``,
``write_upload``, ``load_batch`` — take and return only what pickles. PDF and page images are made in the
server's process, where the warm LibreOffice (:mod:`docgen.office`) lives: :func:`to_pdf`, :func:`preview`.
"""

from __future__ import annotations

import dataclasses
import shutil
import subprocess
from functools import lru_cache
from pathlib import Path

from .. import api, batch, kinds, office, pdf
from ..demo import kind_of
from ..errors import InvalidInput, Problem, errors
from ..inputs import Input
from ..paths import SAMPLES_DIR
from ..template_tools.lint import check_template
from .safety import XLSX, Upload, WebError

PREVIEW_DPI = 70


def kind_list() -> list[dict]:
    return [
        {
            "name": kind.name,
            "title": kind.title,
            "batch": kind.batch is not None,
            "workbook": kind.batch is not None and kind.batch.workbook is not None,
            "form_note": kind.web.form_note if kind.web else "",
            "samples": [{"name": n, "batch": b} for n, (_, b) in samples(kind.name).items()],
        }
        for kind in kinds.all_kinds()
    ]


def batch_titles() -> str:
    """The kinds that make batches, as the page names them: "Quyết định xếp loại chất lượng, Tờ trình …"."""
    return ", ".join(k.title for k in kinds.batch_kinds())


def workbook_titles() -> str:
    """The kinds whose batches can be typed in an Excel workbook."""
    return ", ".join(k.title for k in kinds.batch_kinds() if k.batch.workbook is not None)


@lru_cache(maxsize=None)
def _sample_files() -> dict[str, tuple[Path, bool]]:
    found = {}
    for folder, is_batch in ((SAMPLES_DIR, False), (SAMPLES_DIR / "lo", True)):
        for path in sorted(folder.glob("*.json")):
            found.setdefault(path.name, (path, is_batch))
    return found


def samples(kind: str) -> dict[str, tuple[Path, bool]]:
    """The sample files of a kind, by file name: ``{name: (path, is_batch)}``. A name asked for by the page
    is only ever looked up here, never joined to a folder."""
    kinds.get(kind)
    return {name: v for name, v in _sample_files().items() if kind_of(v[0]) == kind}


def problem_dicts(problems) -> list[dict]:
    return [p.as_dict() for p in problems]


# ---------------------------------------------------------------- one document


def is_batch_input(upload: Upload) -> bool:
    return upload.type == XLSX or batch.is_batch(upload.data)


def upload_input(upload: Upload) -> Input:
    """A JSON upload as the pipeline's input: it was read (and bounded) once, when it arrived."""
    return Input(upload.data)


def single(kind, upload: Upload, template: Path | None):
    """The checked context of a one-document upload; raise with every problem (data, then template)."""
    if is_batch_input(upload):
        raise WebError(400, f"Tệp “{upload.name}” là một lô nhiều văn bản; bấm “Tạo tất cả (.zip)” để tạo cả lô.")
    built, problems = api.check_data(kind, upload_input(upload))
    if built is None:  # warnings alone do not stop the document
        raise InvalidInput(problems)
    found = template_problems(kind, template) if template else []
    if found:
        raise WebError(422, f"Mẫu Word có {len(found)} lỗi.", found)
    return built


def validate_upload(kind, upload: Upload, template: Path | None) -> dict:
    """What /api/validate answers: every problem of one document (and of its template) or of a batch."""
    if is_batch_input(upload):
        try:
            loaded, jobs = load_batch(kind, upload)
        except InvalidInput as exc:
            return {"ok": False, "batch": True, "count": 0, "problems": problem_dicts(exc.problems)}
        problems, _ = batch.describe_problems(check_batch(kind, jobs), loaded.data, loaded.origin)
        return {"ok": not problems, "batch": True, "count": len(jobs), "problems": problem_dicts(problems)}
    built, problems = api.check_data(kind, upload_input(upload))
    if template and built is not None:
        problems = [*problems, *template_problems(kind, template)]
    ok = not errors(problems)  # warnings do not block
    return {"ok": ok, "batch": False, "count": 1, "problems": problem_dicts(problems)}


def render_upload(kind, upload: Upload, template: Path | None) -> bytes:
    """The .docx bytes of a one-document upload."""
    return render(kind, single(kind, upload, template), template)


def write_upload(kind, upload: Upload, template: Path | None, folder: Path) -> Path:
    """The .docx of a one-document upload, written into ``folder`` (for :func:`to_pdf` and :func:`preview`)."""
    docx = folder / "van_ban.docx"
    docx.write_bytes(render_upload(kind, upload, template))
    return docx


def preview(docx: Path, converters: office.Pool | None = None) -> Path:
    """Page 1 of ``docx`` as a PNG beside it (the warm LibreOffice exports that page alone: half the time)."""
    return first_page_png(to_pdf(docx, docx.with_suffix(".pdf"), converters, "1"), docx.with_name("trang_1"))


def template_problems(kind, template: Path) -> list[Problem]:
    """What :func:`docgen.template_tools.lint.check_template` finds in an uploaded template variant, placed in
    "Mẫu Word tải lên"."""
    return [
        dataclasses.replace(
            p, path=p.path or "$", where=f"Mẫu Word tải lên: {p.where}" if p.where else "Mẫu Word tải lên"
        )
        for p in check_template(template, kind)
    ]


def render(kind, built, template: Path | None) -> bytes:
    return api.render_built(kind, built, template)


def need_soffice() -> None:
    if not pdf.soffice_path():
        raise WebError(
            503,
            "Máy chủ chưa cài LibreOffice nên chưa xuất được PDF và chưa xem trước được trang 1. "
            f"Người quản trị cài bằng lệnh: {pdf.INSTALL_HINT}. Tệp Word (.docx) vẫn tải được.",
        )


def to_pdf(docx: Path, target: Path, converters: office.Pool | None = None, pages: str = "") -> Path:
    """One conversion, through the server's warm LibreOffice (``converters``) when there is one; its pool bounds
    how many run at once. A failure is answered with its problem (code ``pdf_timeout``, ``conversion`` …)."""
    need_soffice()
    try:
        return pdf.docx_to_pdf(docx, target, converters, pages)
    except pdf.PdfError as exc:
        status = 503 if exc.code in ("pdf_timeout", "pdf_stopped") else 500
        raise WebError(status, str(exc), [Problem("$", exc.code, str(exc))]) from exc  # its own whole sentence


def first_page_png(pdf_file: Path, out_stem: Path) -> Path:
    """Page 1 of ``pdf_file`` as ``<out_stem>.png`` (pdftoppm, 70 dpi)."""
    exe = shutil.which("pdftoppm")
    if not exe:
        raise WebError(
            503,
            "Máy chủ chưa cài pdftoppm nên chưa xem trước được trang 1. "
            "Người quản trị cài bằng lệnh: sudo apt-get install -y poppler-utils.",
        )
    cmd = [exe, "-png", "-r", str(PREVIEW_DPI), "-f", "1", "-l", "1", "-singlefile", str(pdf_file), str(out_stem)]
    try:
        subprocess.run(cmd, check=True, stdin=subprocess.DEVNULL, capture_output=True, timeout=60)
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as exc:
        raise WebError(500, "Không tạo được ảnh trang 1 từ tệp PDF.") from exc
    return out_stem.with_suffix(".png")


# ---------------------------------------------------------------- batches


def load_batch(kind, upload: Upload):
    """``(input, jobs)`` of a batch upload (JSON or .xlsx): the envelope, where its values came from (cells,
    for a workbook) and its planned documents; raise :class:`InvalidInput` with every problem (placed in the
    workbook for Excel, the file named as the user named it), :class:`WebError` for a kind that has no
    batches. A JSON upload is not read again: it was parsed when it arrived."""
    kind = kinds.get(kind)
    if kind.batch is None:
        raise WebError(400, f"Loại “{kind.title}” không tạo hàng loạt; chọn một trong: {batch_titles()}.")
    if upload.type == XLSX:
        loaded = batch.load(upload.path, kind, upload.name)
    else:
        loaded = batch.prepare(upload_input(upload))
    if loaded.data is None:
        raise InvalidInput(loaded.problems)
    try:
        jobs = batch.plan(kind, loaded.data)
    except batch.BatchError as exc:
        raise WebError(400, str(exc)) from exc
    return loaded, jobs


def check_batch(kind, jobs) -> batch.Summary:
    # One process: the server runs threads, and forking a threaded process is not safe.
    return batch.check_all(kind, jobs, workers=1)
