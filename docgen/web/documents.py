"""The page's calls into the library — check, render, PDF, page image, batches — and nothing else.

Everything about documents (validation, rules, numbering, rendering, the manifest, the zip, PDF
conversion and merging) is :mod:`docgen.api`, :mod:`docgen.batch`, :mod:`docgen.xlsx` and
:mod:`docgen.pdf`; this module only calls them and turns their problems into what the page shows.
The functions the routes hand to a worker process (:mod:`.workers`) — ``validate_upload``, ``render_upload``,
``write_upload``, ``number_info``, ``import_upload``, ``load_batch`` — take and return only what pickles. PDF and
page images are made in the server's process, where the warm LibreOffice (:mod:`docgen.office`) lives:
:func:`to_pdf`, :func:`preview`; a number the download took is recorded once its file is made (:func:`record`).
"""

from __future__ import annotations

import dataclasses
import hashlib
import shutil
import subprocess
from functools import lru_cache
from pathlib import Path

from .. import api, batch, kinds, numbers, office, pdf
from ..demo import kind_of
from ..errors import InvalidInput, Problem, errors
from ..inputs import Input, normalise
from ..paths import SAMPLES_DIR
from ..places import name_places
from ..template_tools.lint import check_template
from .safety import XLSX, Upload, WebError

PREVIEW_DPI = 70


def kind_list() -> list[dict]:
    importable = importable_kinds()
    return [
        {
            "name": kind.name,
            "title": kind.title,
            "batch": kind.batch is not None,
            "workbook": kind.batch is not None and kind.batch.workbook is not None,
            "import": kind in importable,
            "form_note": kind.web.form_note if kind.web else "",
            "samples": [{"name": n, "batch": b} for n, (_, b) in samples(kind.name).items()],
        }
        for kind in kinds.all_kinds()
    ]


def importable_kinds() -> list:
    """The kinds that import an existing document (a .docx, or text copied out of a PDF): those declaring an
    importer (``Kind.importer``), in the registry's order."""
    return [k for k in kinds.all_kinds() if k.importer is not None]


def need_importer(kind) -> None:
    kind = kinds.get(kind)
    if kind.importer is None:
        titles = ", ".join(f"“{k.title}”" for k in importable_kinds())
        raise WebError(400, f"Chưa nhập được loại “{kind.title}” từ văn bản có sẵn; hiện nhập được: {titles}.")


def import_hint(kind) -> str:
    """What to say to someone who gives a Word document where data is expected."""
    importable = importable_kinds()
    if not importable:
        return ""
    kind = kinds.get(kind)
    titles = [k.title.lower() for k in ([kind] if kind.importer is not None else importable)]
    which = " hoặc ".join([", ".join(titles[:-1]), titles[-1]] if len(titles) > 1 else titles)
    return (
        f"Nếu đây là văn bản đã có (ví dụ {which} năm trước), bấm “Nhập từ văn bản "
        "Word” để lấy dữ liệu từ văn bản; nếu là mẫu trình bày riêng, chọn ở mục “Dùng mẫu Word riêng”."
    )


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
    """``(built, data)``: the checked context of a one-document upload and its normalised data; raise with
    every problem (data, then template)."""
    if is_batch_input(upload):
        raise WebError(400, f"Tệp “{upload.name}” là một lô nhiều văn bản; bấm “Tạo tất cả (.zip)” để tạo cả lô.")
    inp = normalise(upload_input(upload))
    if inp.data is None:
        raise InvalidInput(inp.problems)
    built, problems = api.check_normalised(kind, inp.data, inp.problems)
    if built is None:  # warnings alone do not stop the document
        raise InvalidInput(name_places(problems, inp.data))  # as a person knows the place
    found = template_problems(kind, template) if template else []
    if found:
        raise WebError(422, f"Mẫu Word có {len(found)} lỗi.", found)
    return built, inp.data


def validate_upload(kind, upload: Upload, template: Path | None) -> dict:
    """What /api/validate answers: every problem of one document (and of its template) or of a batch."""
    if is_batch_input(upload):
        try:
            source, found = load_batch(kind, upload, check=True)
        except InvalidInput as exc:
            return {"ok": False, "batch": True, "count": 0, "problems": problem_dicts(exc.problems)}
        summary = found.summary(found.outcomes, upload.path.parent)
        problems, _ = batch.describe_problems(summary, found.envelope, source.origin)
        return {"ok": not problems, "batch": True, "count": len(found.jobs), "problems": problem_dicts(problems)}
    built, problems = api.check_data(kind, upload_input(upload))
    if template and built is not None:
        problems = [*problems, *template_problems(kind, template)]
    ok = not errors(problems)  # warnings do not block
    return {"ok": ok, "batch": False, "count": 1, "problems": problem_dicts(problems)}


def render_upload(
    kind,
    upload: Upload,
    template: Path | None,
    folder: Path,
    numbering: numbers.Numbering,
    number: int | None = None,
    write: bool = False,
) -> tuple[bytes | Path, tuple | None]:
    """``(made, issued)``: the .docx bytes of a one-document upload (``write``: the .docx written into
    ``folder``, for :func:`to_pdf`), numbered from the register — ``number`` when the page gives one (checked
    against the register like a number in the data), else the data's, else the next. ``issued``: the register
    entry taken, its printed number ("05-QĐ/ĐU") and the .docx's sha256, for :func:`record` once the file the
    browser gets is made (None for a document without a number)."""
    built, data = single(kind, upload, template)
    entry = None
    if numbers.is_numbered(built):
        if number is not None and number != built.header.number:
            data = numbers.with_number(data, number)
            built, data = _rebuilt(kind, data), data
        request = numbers.request(kind, data, built, unit=numbers.unit_of(kind, data))
        with numbering.open() as reg:
            entry = numbers.take(reg, [request], numbering, numbers.batch_id("trang web"))[0]
        if entry.number != built.header.number:
            built = _rebuilt(kind, numbers.with_number(data, entry.number))
    made = render(kind, built, template)
    issued = None if entry is None else (entry.id, entry.so_ky_hieu, hashlib.sha256(made).hexdigest())
    if not write:
        return made, issued
    docx = folder / "van_ban.docx"
    docx.write_bytes(made)
    return docx, issued


def record(numbering: numbers.Numbering, issued: tuple | None, name: str) -> str:
    """The register told what the browser was given (``name``: the download's file name); the number printed,
    "" for a document without one."""
    if issued is None:
        return ""
    entry_id, printed, sha256 = issued
    with numbering.open() as reg:
        reg.complete([(entry_id, f"{name} (tải về từ trang web)", sha256)])
    return printed


def _rebuilt(kind, data: dict):
    built, problems = api.check_normalised(kind, data)
    if built is None:  # a number changes the header only
        raise InvalidInput(problems)
    return built


def number_info(kind, upload: Upload, numbering: numbers.Numbering) -> dict:
    """What the page's number field shows: whether the document (a batch: its documents) is numbered, the
    series, the number the data gives, the one the register holds for this same document, and the next free
    one (nothing is taken). ``{"numbered": None}`` while the data cannot be checked."""
    if is_batch_input(upload):
        try:
            source, found = load_batch(kind, upload)
        except InvalidInput:
            return {"numbered": None}
        numbered = [j for j in found.jobs if j.numbered]
        if not numbered:
            return {"numbered": False}
        header, given, held = numbered[0].header, source.head.get("so_bat_dau"), None
        requests = [r for j in numbered if (r := numbers.job_request(kind, j)) is not None]
    else:
        try:
            built, data = single(kind, upload, None)
        except (InvalidInput, WebError):
            return {"numbered": None}
        if not numbers.is_numbered(built):
            return {"numbered": False}
        header, given = built.header, built.header.number
        requests = [numbers.request(kind, data, built, unit=numbers.unit_of(kind, data))]
    with numbering.open() as reg:
        series = reg.get_series(header.issuer, header.ky_hieu)
        known = {e.doc_key: e for e in reg.entries(issuer=header.issuer, ky_hieu=header.ky_hieu) if e.state != "void"}
        following = reg.next_number(header.issuer, header.ky_hieu, header.date)
        path = str(reg.path)
    held = [known[r.doc_key] for r in requests if r.doc_key in known]
    return {
        "numbered": True,
        "issuer": header.issuer,
        "ky_hieu": header.ky_hieu,
        "given": given,
        "held": [e.number for e in held],
        "next": following,
        "new_series": series is None,
        "register": path,
    }


def write_upload(kind, upload: Upload, template: Path | None, folder: Path, number: int | None = None) -> Path:
    """The .docx of a one-document upload, written into ``folder`` (for :func:`to_pdf` and :func:`preview`);
    with the number the page shows, which it does not take (only a document downloaded is numbered)."""
    built, data = single(kind, upload, template)
    if number is not None and numbers.is_numbered(built):
        built = _rebuilt(kind, numbers.with_number(data, number))
    docx = folder / "van_ban.docx"
    docx.write_bytes(render(kind, built, template))
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


# ---------------------------------------------------------------- import


def import_upload(kind, upload: Upload) -> dict:
    """What /api/import answers: the document's data, the reader's warnings (each with its place in the
    file, "đoạn 12" or "dòng 57", and a quote), where each value came from, and the problems the data still
    has (what the document did not say, to fill in before rendering)."""
    from ..importer import ImportFailed, import_document

    try:
        imported = import_document(kind, upload.path)
    except ImportFailed as exc:
        raise WebError(422, f"Không nhập được “{upload.name}”: {exc}") from None
    _, problems = api.check_data(kind, Input(imported.data))  # the reader's warnings are listed apart
    return {
        "name": upload.name,
        "data": imported.data,
        "warnings": problem_dicts(imported.warnings),
        "problems": problem_dicts(problems),
        "origin": imported.origin,
    }


# ---------------------------------------------------------------- batches


def load_batch(kind, upload: Upload, start_number: int | None = None, check: bool = False):
    """``(source, found)`` of a batch upload (JSON or .xlsx), read as ``docgen batch`` reads it — unit by unit
    (:func:`docgen.batch.survey`), in this process — its documents numbered from ``start_number`` (else the
    envelope's ``so_bat_dau``) when one is given; with ``check``, every document checked too. Raise
    :class:`InvalidInput` with every problem of the batch itself (placed in the workbook for Excel, the file
    named as the user named it), :class:`WebError` for a kind that has no batches."""
    kind = kinds.get(kind)
    if kind.batch is None:
        raise WebError(400, f"Loại “{kind.title}” không tạo hàng loạt; chọn một trong: {batch_titles()}.")
    source = batch.open_source(upload.path, kind, upload.name)
    # One process: the server runs threads, and forking a threaded process is not safe.
    found = batch.survey(kind, source, workers=1, check=check)
    if errors(found.problems):
        raise InvalidInput(found.problems)
    start = start_number if start_number is not None else source.head.get("so_bat_dau")
    if start is not None:
        batch.set_numbers(kind, found.jobs, batch.consecutive(found.jobs, start))
    return source, found


def number_batch(kind, upload: Upload, numbering: numbers.Numbering, start_number: int | None = None):
    """``(source, found, entries)``: a batch upload read and numbered from the register (one transaction,
    before the job starts, so that a clash is answered at once with its place), for :mod:`.jobs`."""
    source, found = load_batch(kind, upload, start_number)
    return source, found, numbers.number_jobs(kinds.get(kind), found.jobs, numbering, upload.name, source)
