"""PDF through LibreOffice, for one document or thousands, and merging PDFs into one print-ready file.

Starting soffice costs about a second, converting a document in a running soffice a tenth of that, so
``convert_many`` splits the documents into one batch per job and converts each batch with a single
soffice process (its own profile: two soffice processes must never share one), the batches in parallel.
LibreOffice can exit 0 and skip a file, so every PDF is checked on its own, and a missing or broken one
is converted once more, alone. One document where a user waits for it (the web page's preview and PDF) can
go to an already running LibreOffice instead (:mod:`docgen.office`), with the same checks; when that pool
cannot start, the one-shot way above is used.

Fonts: before soffice starts, fontconfig is asked what the profile's font (Times New Roman) will be drawn
with; a font that is not a metric twin, or lacks Vietnamese letters, stops the conversion with what to
install. After it, every PDF must embed one family, that font or a twin: a glyph drawn from another font
(a missing letter) would cut words in the text layer, so such a PDF is refused, never written.
"""

from __future__ import annotations

import io
import os
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from pypdf import PdfReader, PdfWriter

from . import fonts, office, office_start
from .errors import PdfError
from .export import write_atomic
from .profile import load_profile

INSTALL_HINT = "sudo apt-get install -y libreoffice-writer-nogui"

# docgen writes only .docx: naming the import filter makes soffice refuse a damaged file instead of
# importing its bytes as plain text and producing a "valid" PDF of garbage.
_DOCX_FILTER = "MS Word 2007 XML"
# A ceiling for a hung soffice, not an estimate: a document takes 0.1–2 s.
_TIMEOUT_BASE = 60.0
_TIMEOUT_PER_DOC = 30.0
# How often a running soffice's folder is looked at for finished PDFs, to check them while it converts the rest.
_POLL_SECONDS = 0.2


@dataclass(frozen=True)
class PdfResult:
    docx: Path
    pdf: Path | None
    pages: int
    error: str | None = None
    code: str | None = None  # with an error: ``mixed_fonts``, ``conversion`` (or a :class:`PdfError` code)


@dataclass(frozen=True)
class _Job:
    index: int
    docx: Path  # the caller's file
    target: Path  # where its PDF goes
    staged: Path  # the copy soffice converts, named by index
    durable: bool = True  # its PDF flushed to disk as it is written (see convert_many)


def soffice_path() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert_many(
    docx_paths: list[Path],
    out_dir: Path,
    jobs: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    durable: bool = True,
) -> list[PdfResult]:
    """Convert documents into ``out_dir/<stem>.pdf`` (``<stem>_2.pdf`` … when stems repeat).

    ``jobs`` soffice processes run at once (default: the number of cores). Results are in input order;
    a document that failed has ``pdf=None`` and a Vietnamese ``error``. ``progress(done, total)`` is
    called from the calling thread each time a document's result is settled. ``durable=False``: each PDF
    is written whole but not flushed to disk one by one — for a batch's folder, synced once as it is
    committed (a flush per file made the conversion a tenth slower than LibreOffice alone).
    """
    docx_paths = [Path(p) for p in docx_paths]
    return _convert(list(zip(docx_paths, _targets(docx_paths, Path(out_dir)))), jobs, progress, durable)


def docx_to_pdf(docx: Path, pdf: Path, pool: office.Pool | None = None, pages: str = "") -> Path:
    """Convert one document to ``pdf``; raise :class:`PdfError` when no good PDF came out. ``pool``: convert
    in its already running LibreOffice (falling back to a soffice of its own when the pool cannot start).
    ``pages`` ("1" for a preview): the pool exports those pages only (the one-shot way exports all)."""
    result = _convert_warm(Path(docx), Path(pdf), pool, pages) if pool is not None else None
    if result is None:
        [result] = _convert([(Path(docx), Path(pdf))], jobs=1)
    if result.error:
        raise PdfError(result.error, result.code or "conversion")
    return result.pdf


def _convert_warm(docx: Path, target: Path, pool: office.Pool, pages: str) -> PdfResult | None:
    """One document through ``pool``, checked as :func:`convert_many` checks; None when the pool could not
    start, or made no usable PDF that a fresh soffice may make (the one-shot way then tries)."""
    if not soffice_path():
        raise PdfError(f"Không tìm thấy LibreOffice để xuất PDF. Cài bằng lệnh: {INSTALL_HINT}", code="no_soffice")
    if not pool.pids():
        # Before a converter starts. A running soffice read the fonts when it started and sees no font
        # installed since, so asking fontconfig again would tell nothing new; every PDF is still checked.
        check_fonts()
    with tempfile.TemporaryDirectory(prefix="docgen-pdf-") as work:
        job = _Job(0, docx, target, docx)  # no copy: LibreOffice is given both file names, nothing is guessed
        try:
            pool.convert(docx, Path(work) / f"{docx.stem}.pdf", pages)
        except office.Unavailable:
            return None
        except office.Stopped as exc:
            raise PdfError(str(exc), exc.code) from None
        except office.OfficeError as exc:  # refused, hung, crashed twice: what LibreOffice said
            return PdfResult(docx, None, 0, f"Không xuất được PDF cho “{docx.name}”: {exc}", exc.code)
        result, worth_retrying = _collect(job, Path(work), "")
    return None if worth_retrying else result


def print_font() -> fonts.Font:
    """The font documents are printed in: the format profile's (Times New Roman), with its twins."""
    return fonts.load(load_profile().font)


def check_fonts() -> None:
    """Raise :class:`PdfError` (``font_missing``) when LibreOffice here cannot draw the print font with every
    Vietnamese letter, naming what to install."""
    font = print_font()
    problem = fonts.fontconfig_problem(font)
    if problem:
        raise PdfError(f"Không xuất được PDF: {problem} {fonts.install_advice(font)}", code="font_missing")


@dataclass(frozen=True)
class Merged:
    pages: int  # in the merged file, blank pages included
    blank_pages: int
    double_sided: bool


def merge(items: list[tuple[str, Path]], out: Path, double_sided: bool | None = None) -> Merged:
    """Concatenate ``(title, pdf)`` items into ``out``, one top-level bookmark per item at its first page.

    ``double_sided``: for printing on both sides, every document starts on an odd page — a blank page
    follows a document with an odd number of pages, so that the next one never lands on its back. By
    default it is on when any document has more than one page (one-page documents print one a sheet)."""
    if not items:
        raise PdfError("Không có tệp PDF nào để gộp.")
    readers = [(title, PdfReader(path)) for title, path in items]
    counts = [len(reader.pages) for _, reader in readers]
    if double_sided is None:
        double_sided = any(n > 1 for n in counts)
    writer = PdfWriter()
    blanks = 0
    for i, (title, reader) in enumerate(readers):
        # The parts' own bookmarks would bury the units under hundreds of headings.
        writer.append(reader, outline_item=title, import_outline=False)
        if double_sided and counts[i] % 2 and i < len(readers) - 1:
            box = reader.pages[-1].mediabox
            writer.add_blank_page(width=box.width, height=box.height)
            blanks += 1
    expected = sum(counts) + blanks
    # Every part embeds the same fonts (and logos); keep one copy. The defaults remove duplicate and
    # unreferenced objects; the keywords were renamed in pypdf 7 and the old ones now raise.
    writer.compress_identical_objects()
    writer.page_mode = "/UseOutlines"  # open with the bookmarks shown
    buffer = io.BytesIO()
    writer.write(buffer)
    written = PdfReader(buffer)  # count and check what was written, not what the writer holds
    pages = len(written.pages)
    if pages != expected:
        raise PdfError(f"Tệp gộp có {pages} trang, trong khi các tệp thành phần có tổng cộng {expected} trang.")
    problem = fonts.pdf_font_problem(written, print_font())
    if problem:
        raise PdfError(f"Không gộp được {Path(out).name}: {problem}.", code="mixed_fonts")
    write_atomic(out, buffer.getvalue())
    return Merged(pages, blanks, double_sided)


def merged_summary(merged: Merged) -> str:
    """How the merged file is laid out, for the person who prints it: "48 trang, in hai mặt: …"."""
    if not merged.double_sided:
        return f"{merged.pages} trang, in một mặt"
    added = f"thêm {merged.blank_pages} trang trắng để " if merged.blank_pages else ""
    return f"{merged.pages} trang, in hai mặt: {added}mỗi văn bản bắt đầu ở trang lẻ"


def _targets(docx_paths: list[Path], out_dir: Path) -> list[Path]:
    """One PDF name per document; a repeated stem (same name in two folders) gets ``_2``, ``_3`` …"""
    used: set[str] = set()
    targets = []
    for docx in docx_paths:
        name, n = f"{docx.stem}.pdf", 1
        while name.casefold() in used:  # casefold: the folder may end up on a case-insensitive disk
            n += 1
            name = f"{docx.stem}_{n}.pdf"
        used.add(name.casefold())
        targets.append(out_dir / name)
    return targets


def _convert(
    pairs: list[tuple[Path, Path]],
    jobs: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    durable: bool = True,
) -> list[PdfResult]:
    exe = soffice_path()
    if not exe:
        raise PdfError(f"Không tìm thấy LibreOffice để xuất PDF. Cài bằng lệnh: {INSTALL_HINT}", code="no_soffice")
    check_fonts()
    results: list[PdfResult | None] = [None] * len(pairs)
    done = 0

    def settle(job: _Job, result: PdfResult) -> None:
        nonlocal done
        results[job.index] = result
        done += 1
        if progress:
            progress(done, len(results))

    with tempfile.TemporaryDirectory(prefix="docgen-pdf-") as work:
        todo = _stage(pairs, Path(work), durable)
        _Soffice(exe, Path(work)).convert(_batches(todo, jobs), settle)
    return results


def _stage(pairs: list[tuple[Path, Path]], work: Path, durable: bool = True) -> list[_Job]:
    """Copy the inputs under index names: soffice names its output after the input, so two ``x.docx``
    from different folders would overwrite each other, and a name starting with "-" would read as an option."""
    staged_dir = work / "in"
    staged_dir.mkdir()
    todo = []
    for index, (docx, target) in enumerate(pairs):
        staged = staged_dir / f"{index:06d}.docx"
        shutil.copyfile(docx, staged)
        todo.append(_Job(index, docx, target, staged, durable))
    return todo


def _batches(todo: list[_Job], jobs: int | None) -> list[list[_Job]]:
    """``jobs`` batches (fewer for few documents), dealt round-robin so long documents spread out."""
    n = min(len(todo), max(1, jobs or os.cpu_count() or 1))
    return [todo[k::n] for k in range(n)]


def _check(data: bytes | None) -> tuple[int, str | None, bool]:
    """Page count of a produced PDF, or why it is not a usable one; and whether converting again may help
    (a skipped or broken file may come out right alone; the same fonts come out the same)."""
    if data is None:
        return 0, "LibreOffice không tạo ra tệp PDF.", True
    if not data.startswith(b"%PDF-"):
        return 0, "tệp tạo ra không phải PDF.", True
    try:
        reader = PdfReader(io.BytesIO(data))
        pages = len(reader.pages)
        problem = fonts.pdf_font_problem(reader, print_font()) if pages else None
    except Exception as exc:  # pypdf raises many types on a damaged file; any of them means "broken"
        return 0, f"tệp PDF bị hỏng ({exc}).", True
    if not pages:
        return 0, "tệp PDF không có trang nào.", True
    return pages, problem, False


def _collect(job: _Job, run_dir: Path, detail: str) -> tuple[PdfResult, bool]:
    """Check the PDF soffice made for ``job``; a good one is written to its target. Also: whether a failed
    one is worth converting again."""
    produced = run_dir / f"{job.staged.stem}.pdf"
    data = produced.read_bytes() if produced.is_file() else None
    pages, problem, retry = _check(data)
    if problem and not retry:  # drawn in two fonts: say which characters the print font lacks
        font = print_font()
        missing = fonts.missing_characters(_docx_text(job.staged), font)
        problem = (
            f"{problem}; văn bản có ký tự mà phông {font.family} không có: {' '.join(missing)} — hãy thay "
            "hoặc bỏ các ký tự đó."
            if missing
            else f"{problem}. {fonts.install_advice(font)}"
        )
    if problem:
        message = f"Không xuất được PDF cho “{job.docx.name}”: {problem} {detail}".strip()
        return PdfResult(job.docx, None, 0, message, "conversion" if retry else "mixed_fonts"), retry
    write_atomic(job.target, data, durable=job.durable)
    return PdfResult(job.docx, job.target, pages), False


def _docx_text(docx: Path) -> str:
    """The text of a document's body, notes and headers (for naming characters a font lacks)."""
    import re
    import zipfile

    with zipfile.ZipFile(docx) as z:
        xml = "".join(z.read(n).decode("utf-8") for n in z.namelist() if re.match(r"word/[^/]+\.xml$", n))
    return "".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", xml))


class _Soffice:
    """Runs soffice on batches of documents, each process with a private profile."""

    def __init__(self, exe: str, work: Path):
        self.exe, self.work = exe, work
        self._live: set[subprocess.Popen] = set()
        self._lock = threading.Lock()
        self._stopped = False

    def convert(self, batches: list[list[_Job]], settle: Callable[[_Job, PdfResult], None]) -> None:
        """Run the batches in parallel, checking each PDF as soon as soffice has moved on to the next document
        (the rest as its batch ends); retry a failed one alone once."""
        with ThreadPoolExecutor(max_workers=max(1, len(batches))) as pool:
            try:
                pending = {pool.submit(self.run, batch): (batch, True) for batch in batches}
                while pending:
                    finished, _ = wait(pending, return_when=FIRST_COMPLETED)
                    for future in finished:
                        batch, first_try = pending.pop(future)
                        run_dir, detail, checked = future.result()
                        for job in batch:
                            result, worth_retrying = checked.get(job.index) or _collect(job, run_dir, detail)
                            if worth_retrying and first_try:
                                pending[pool.submit(self.run, [job])] = ([job], False)
                            else:
                                settle(job, result)
            except BaseException:
                # Ctrl-C or an error: leave no soffice writing into a folder about to be deleted.
                self.stop()
                pool.shutdown(cancel_futures=True)
                raise

    def run(self, batch: list[_Job]) -> tuple[Path, str, dict[int, tuple[PdfResult, bool]]]:
        """Convert the batch with one soffice process into a fresh folder; return it, what went wrong, and the
        PDFs already checked while soffice ran (by job index: good ones only)."""
        run_dir = Path(tempfile.mkdtemp(dir=self.work, prefix="run-"))
        profile = run_dir / "profile"
        office_start.seed_profile(profile, self.exe)
        cmd = [
            self.exe,
            "--headless",
            "--norestore",
            f"-env:UserInstallation={profile.as_uri()}",
            f"--infilter={_DOCX_FILTER}",
            "--convert-to",
            "pdf",
            "--outdir",
            str(run_dir),
            *(str(job.staged) for job in batch),
        ]
        timeout = _TIMEOUT_BASE + _TIMEOUT_PER_DOC * len(batch)
        checked: dict[int, tuple[PdfResult, bool]] = {}
        with self._lock:  # started under the lock, so that stop() cannot miss a process being started
            if self._stopped:
                return run_dir, "", checked
            # A session of its own: killing the group stops soffice.bin too, not only the oosplash launcher.
            # Its messages go to a file: nothing has to read a pipe while the PDFs are checked.
            stderr = open(run_dir / "stderr.txt", "w+", encoding="utf-8", errors="replace")
            proc = subprocess.Popen(
                cmd,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=stderr,
                start_new_session=True,
                env=office_start.environment(),
            )
            self._live.add(proc)
        try:
            deadline, timed_out = time.monotonic() + timeout, False
            done = 0  # jobs of the batch before this one are checked, or left for the end
            while True:
                try:
                    proc.wait(_POLL_SECONDS)
                    break
                except subprocess.TimeoutExpired:
                    if time.monotonic() > deadline:
                        _kill(proc)
                        proc.wait()
                        timed_out = True
                        break
                done = _check_finished(batch, run_dir, done, checked)
            if timed_out:
                detail = f"(LibreOffice chưa xong sau {timeout:.0f} giây nên đã bị dừng)"
            else:
                stderr.seek(0)
                detail = _detail(proc.returncode, stderr.read())
        finally:
            stderr.close()
            with self._lock:
                self._live.discard(proc)
        shutil.rmtree(profile, ignore_errors=True)  # ~0.5 MB each; many retries would add up
        return run_dir, detail, checked

    def stop(self) -> None:
        with self._lock:
            self._stopped = True
            for proc in self._live:
                _kill(proc)


def _check_finished(batch: list[_Job], run_dir: Path, done: int, checked: dict) -> int:
    """Check the PDFs soffice has finished: it converts its files in order, so a document's PDF is complete once
    a later document's PDF exists. Good ones go into ``checked``; a missing or failed one is left for the end
    (with what soffice said). Returns how many of the batch are settled so."""
    last = max((i for i in range(done, len(batch)) if (run_dir / f"{batch[i].staged.stem}.pdf").exists()), default=-1)
    for job in batch[done:last]:
        if (run_dir / f"{job.staged.stem}.pdf").exists():
            result, retry = _collect(job, run_dir, "")
            if result.error is None:
                checked[job.index] = (result, retry)
    return max(done, last)


def _detail(returncode: int, stderr: str) -> str:
    """What soffice said, for the error message; its warnings (no Java …) come with every run and say nothing."""
    lines = [line.strip() for line in stderr.splitlines() if line.strip() and not line.startswith("Warning:")]
    return f"(LibreOffice, mã thoát {returncode}: {'; '.join(lines)[-300:]})" if lines else ""


def _kill(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
