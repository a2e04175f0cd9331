"""The page's calls into the library — check, render, PDF, page image, batches — and nothing else.

Everything about documents (validation, rules, numbering, rendering, the manifest, the zip, PDF
conversion and merging) is :mod:`docgen.api`, :mod:`docgen.batch`, :mod:`docgen.xlsx` and
:mod:`docgen.pdf`; this module only calls them and turns their problems into what the page shows.
The functions the routes hand to a worker process (:mod:`.workers`) — one per route: ``validate_upload``,
``render_upload``, ``preview_upload``, ``import_upload``, ``load_batch`` — take and return only what pickles.
"""

from __future__ import annotations

import importlib
import shutil
import subprocess
from functools import lru_cache
from pathlib import Path

from .. import api, batch, kinds, pdf
from ..demo import kind_of
from ..errors import InvalidInput, Problem
from ..paths import SAMPLES_DIR
from .safety import XLSX, Upload, WebError

PREVIEW_DPI = 70


def kind_list() -> list[dict]:
    importable = importable_kinds()
    return [
        {
            "name": name,
            "title": kinds.get(name).title,
            "batch": is_batch_kind(name),
            "import": name in importable,
            "samples": [{"name": n, "batch": b} for n, (_, b) in samples(name).items()],
        }
        for name in kinds.names()
    ]


def importable_kinds() -> list[str]:
    """The kinds the library can import from an existing document (a .docx, or text copied out of a PDF)."""
    from ..importer import MAPPINGS

    return [name for name in kinds.names() if name in MAPPINGS]


def need_importer(kind: str) -> None:
    if kind not in importable_kinds():
        titles = ", ".join(f"“{kinds.get(k).title}”" for k in importable_kinds())
        raise WebError(
            400,
            f"Chưa nhập được loại “{kinds.get(kind).title}” từ văn bản có sẵn; hiện nhập được: {titles}.",
        )


def import_hint(kind: str) -> str:
    """What to say to someone who gives a Word document where data is expected."""
    importable = importable_kinds()
    if not importable:
        return ""
    as_kind = kind if kind in importable else importable[0]
    return (
        f"Nếu đây là văn bản đã có (ví dụ {kinds.get(as_kind).title.lower()} năm trước), bấm “Nhập từ văn bản "
        "Word” để lấy dữ liệu từ văn bản; nếu là mẫu trình bày riêng, chọn ở mục “Dùng mẫu Word riêng”."
    )


def is_batch_kind(kind: str) -> bool:
    return kinds.get(kind).batch is not None


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
    return [p.as_dict() if isinstance(p, Problem) else dict(p) for p in problems]


# ---------------------------------------------------------------- one document


def check(kind: str, data):
    """``(built, problems)`` of :func:`docgen.api.check_data` (the upload's JSON, parsed: never a file name)."""
    return api.check_data(kind, data)


def is_batch_input(upload: Upload) -> bool:
    return upload.type == XLSX or batch.is_batch(upload.data)


def single(kind: str, upload: Upload, template: Path | None):
    """The checked context of a one-document upload; raise with every problem (data, then template)."""
    if is_batch_input(upload):
        raise WebError(400, f"Tệp “{upload.name}” là một lô nhiều văn bản; bấm “Tạo tất cả (.zip)” để tạo cả lô.")
    built, problems = check(kind, upload.data)
    if built is None:  # warnings alone do not stop the document
        raise InvalidInput(problems)
    found = template_problems(kind, template) if template else []
    if found:
        raise WebError(422, f"Mẫu Word có {len(found)} lỗi.", found)
    return built


def validate_upload(kind: str, upload: Upload, template: Path | None) -> dict:
    """What /api/validate answers: every problem of one document (and of its template) or of a batch."""
    if is_batch_input(upload):
        try:
            envelope, locations, jobs = load_batch(kind, upload)
        except InvalidInput as exc:
            return {"ok": False, "batch": True, "count": 0, "problems": problem_dicts(exc.problems)}
        problems, _ = batch_problems(check_batch(kind, jobs), envelope, locations)
        return {"ok": not problems, "batch": True, "count": len(jobs), "problems": problems}
    built, problems = check(kind, upload.data)
    found = problem_dicts(problems)
    if template and built is not None:
        found += template_problems(kind, template)
    ok = not any(p.get("severity", "error") == "error" for p in found)  # warnings do not block
    return {"ok": ok, "batch": False, "count": 1, "problems": found}


def render_upload(kind: str, upload: Upload, template: Path | None, format: str, folder: Path) -> bytes | Path:
    """The .docx bytes of a one-document upload, or (``format="pdf"``) the PDF made in ``folder``."""
    data = render(kind, single(kind, upload, template), template)
    if format == "docx":
        return data
    docx = folder / "van_ban.docx"
    docx.write_bytes(data)
    return to_pdf(docx, folder / "van_ban.pdf")


def preview_upload(kind: str, upload: Upload, template: Path | None, folder: Path) -> Path:
    """Page 1 of a one-document upload as a PNG made in ``folder``."""
    docx = folder / "van_ban.docx"
    docx.write_bytes(render(kind, single(kind, upload, template), template))
    return first_page_png(to_pdf(docx, folder / "van_ban.pdf"), folder / "trang_1")


def template_problems(kind: str, template: Path) -> list[dict]:
    """What ``docgen.template_tools.check_template`` finds in an uploaded template variant ([] when the
    module is not there)."""
    try:
        tools = importlib.import_module("docgen.template_tools")
    except ImportError:
        return []
    checker = getattr(tools, "check_template", None)
    if checker is None:
        return []
    out = []
    for finding in checker(template, kind):
        d = finding.as_dict() if hasattr(finding, "as_dict") else {}
        place = " — ".join(str(d[k]) for k in ("part", "where") if d.get(k))  # "word/document.xml — đoạn 12"
        out.append(
            {
                "path": str(d.get("path") or "$"),
                "code": str(d.get("code") or "template"),
                "message": str(d.get("message") or finding),
                "where": "Mẫu Word tải lên" + (f": {place}" if place else ""),
            }
        )
    return out


def render(kind: str, built, template: Path | None) -> bytes:
    return api.render_built(kind, built, template)


def need_soffice() -> None:
    if not pdf.soffice_path():
        raise WebError(
            503,
            "Máy chủ chưa cài LibreOffice nên chưa xuất được PDF và chưa xem trước được trang 1. "
            f"Người quản trị cài bằng lệnh: {pdf.INSTALL_HINT}. Tệp Word (.docx) vẫn tải được.",
        )


def to_pdf(docx: Path, target: Path) -> Path:
    """One conversion; LibreOffice takes a core, and the number of worker processes bounds how many run at once."""
    need_soffice()
    try:
        return pdf.docx_to_pdf(docx, target)
    except pdf.PdfError as exc:
        raise WebError(500, f"Không xuất được PDF: {exc}") from exc


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


def import_upload(kind: str, upload: Upload) -> dict:
    """What /api/import answers: the document's data, the reader's warnings (each with its place in the
    file, "đoạn 12" or "dòng 57", and a quote), where each value came from, and the problems the data still
    has (what the document did not say, to fill in before rendering)."""
    from ..importer import ImportFailed, import_document

    try:
        imported = import_document(kind, upload.path)
    except ImportFailed as exc:
        raise WebError(422, f"Không nhập được “{upload.name}”: {exc}") from None
    _, problems = check(kind, imported.data)
    return {
        "name": upload.name,
        "data": imported.data,
        "warnings": problem_dicts(imported.warnings),
        "problems": problem_dicts(problems),
        "origin": imported.origin,
    }


# ---------------------------------------------------------------- batches


def load_batch(kind: str, upload: Upload):
    """``(envelope, locations, jobs)`` of a batch upload (JSON or .xlsx); raise :class:`InvalidInput` with
    every problem (placed in the workbook for Excel, the file named as the user named it), :class:`WebError`
    for a kind that has no batches."""
    if not is_batch_kind(kind):
        raise WebError(
            400,
            f"Loại “{kinds.get(kind).title}” không tạo hàng loạt; chọn Quyết định xếp loại, "
            "Tờ trình hoặc Báo cáo kiểm điểm.",
        )
    envelope, locations, problems = batch.load(upload.path, kind, upload.name)
    if problems:
        raise InvalidInput(problems)
    try:
        jobs = batch.plan(kind, envelope)
    except batch.BatchError as exc:
        raise WebError(400, str(exc)) from exc
    return envelope, locations, jobs


def check_batch(kind: str, jobs) -> batch.Summary:
    # One process: the server runs threads, and forking a threaded process is not safe.
    return batch.check_all(kind, jobs, workers=1)


batch_problems = batch.describe_problems
