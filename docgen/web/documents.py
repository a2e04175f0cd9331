"""The page's calls into the library — check, render, PDF, page image, batches — and nothing else.

Everything about documents (validation, rules, numbering, rendering, the manifest, the zip, PDF
conversion and merging) is :mod:`docgen.api`, :mod:`docgen.batch`, :mod:`docgen.xlsx` and
:mod:`docgen.pdf`; this module only calls them and turns their problems into what the page shows.
"""

from __future__ import annotations

import importlib
import os
import shutil
import subprocess
import threading
from functools import lru_cache
from pathlib import Path

from .. import api, batch, kinds, pdf
from ..demo import kind_of
from ..errors import InvalidInput, Problem
from ..paths import SAMPLES_DIR
from .safety import WebError

# LibreOffice takes a core per conversion: at most this many at once, whatever the number of requests.
_SOFFICE_SLOTS = threading.BoundedSemaphore(max(1, os.cpu_count() or 1))
PREVIEW_DPI = 70


def kind_list() -> list[dict]:
    return [
        {
            "name": name,
            "title": kinds.get(name).TITLE,
            "batch": is_batch_kind(name),
            "samples": [{"name": n, "batch": b} for n, (_, b) in samples(name).items()],
        }
        for name in kinds.names()
    ]


def is_batch_kind(kind: str) -> bool:
    return hasattr(kinds.get(kind), "batch_documents")


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
    """``(built, problems)`` of :func:`docgen.api.check`."""
    return api.check(kind, data)


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
    need_soffice()
    with _SOFFICE_SLOTS:
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


# ---------------------------------------------------------------- batches


def load_batch(kind: str, path: Path):
    """``(envelope, locations, jobs)`` of a batch file (JSON or .xlsx); raise :class:`InvalidInput` with
    every problem (placed in the workbook for Excel), :class:`WebError` for a kind that has no batches."""
    if not is_batch_kind(kind):
        raise WebError(
            400,
            f"Loại “{kinds.get(kind).TITLE}” không tạo hàng loạt; chọn Quyết định xếp loại, "
            "Tờ trình hoặc Báo cáo kiểm điểm.",
        )
    envelope, locations, problems = batch.load(path, kind)
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
