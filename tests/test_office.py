"""The warm LibreOffice (docgen/office.py): converters started on first need and kept, a deadline per
document, a converter that crashed or hung replaced, nothing left behind when the pool closes or its
program dies.

The pool's own logic runs against a stand-in bridge (tests/office_stub.py, no LibreOffice); the rest against
the real one: a PDF that passes ../shared/tools/check_layout.py, soffice killed or frozen mid-way, the
program killed outright.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from conftest import SHARED, alive, descendants, needs_shared_tools, needs_uno, one_font_family
from pypdf import PdfReader

import docgen
from docgen import limits, office, pdf
from docgen.export import write_atomic
from docgen.paths import SAMPLES_DIR

STUB = Path(__file__).with_name("office_stub.py")
KH_SAMPLE = SAMPLES_DIR / "ke_hoach_hong_quang_2025.json"


def stub(mode: str, marker: Path):
    return lambda folder, pipe: [sys.executable, str(STUB), str(folder), mode, str(marker)]


def gone(pids, within: float = 15.0) -> list[int]:
    """The processes of ``pids`` still running after waiting up to ``within`` seconds for them to end."""
    end = time.monotonic() + within
    while (left := [p for p in pids if alive(p)]) and time.monotonic() < end:
        time.sleep(0.1)
    return left


# ---------------------------------------------------------------- the pool's logic (a stand-in bridge)


def test_converter_starts_on_first_need_and_is_kept(tmp_path):
    (tmp_path / "w").mkdir()
    pool = office.Pool(size=2, command=stub("ok", tmp_path / "m"), work_dir=tmp_path / "w")
    assert pool.started == 0 and pool.pids() == []  # nothing before the first document
    for i in range(3):
        pool.convert(tmp_path / f"d{i}.docx", tmp_path / f"d{i}.pdf")
        assert (tmp_path / f"d{i}.pdf").read_bytes() == f"%PDF-stub d{i}.docx".encode()
    assert pool.started == 1 and len(pool.pids()) == 1  # one after another: the same converter each time
    [pid] = pool.pids()
    assert len(list((tmp_path / "w").iterdir())) == 1  # its own folder
    pool.close()
    assert gone([pid]) == [] and list((tmp_path / "w").iterdir()) == []


def test_converter_is_replaced_after_its_share_of_documents(tmp_path, monkeypatch):
    monkeypatch.setattr(limits, "OFFICE_DOCUMENTS_PER_CONVERTER", 2)
    pool = office.Pool(size=1, command=stub("ok", tmp_path / "m"))
    for i in range(3):
        pool.convert(tmp_path / f"d{i}.docx", tmp_path / f"d{i}.pdf")
        assert pool.started == 1 + i // 2
    pool.close()


def test_hung_converter_times_out_with_a_code_and_is_replaced(tmp_path):
    pool = office.Pool(size=1, command=stub("hang_once", tmp_path / "m"), timeout=2)
    pool.warm()
    [first] = pool.pids()
    started = time.monotonic()
    with pytest.raises(office.Timeout) as hung:
        pool.convert(tmp_path / "a.docx", tmp_path / "a.pdf")
    assert time.monotonic() - started < 10
    assert hung.value.code == "pdf_timeout"
    assert str(hung.value) == "LibreOffice chưa xong sau 2 giây nên đã bị dừng."
    assert gone([first]) == []  # the hung one was killed
    pool.convert(tmp_path / "b.docx", tmp_path / "b.pdf")  # the next document: a new converter
    assert (tmp_path / "b.pdf").is_file() and pool.started == 2 and first not in pool.pids()
    pool.close()


def test_converter_that_dies_is_replaced_and_the_document_tried_again(tmp_path):
    pool = office.Pool(size=1, command=stub("die_once", tmp_path / "m"))
    pool.convert(tmp_path / "a.docx", tmp_path / "a.pdf")  # died on it, converted by the next one
    assert (tmp_path / "a.pdf").is_file() and pool.started == 2
    pool.close()


def test_converter_that_always_dies_is_tried_twice_then_reported(tmp_path):
    pool = office.Pool(size=1, command=stub("die", tmp_path / "m"))
    with pytest.raises(office.Crashed) as crashed:
        pool.convert(tmp_path / "a.docx", tmp_path / "a.pdf")
    assert crashed.value.code == "pdf_crashed" and "đã thử lại một lần" in str(crashed.value)
    assert pool.started == 2 and pool.pids() == []
    pool.close()


def test_a_refused_document_keeps_the_converter(tmp_path):
    pool = office.Pool(size=1, command=stub("refuse", tmp_path / "m"))
    with pytest.raises(office.OfficeError) as refused:
        pool.convert(tmp_path / "a.docx", tmp_path / "a.pdf")
    assert refused.value.code == "conversion" and "stub refuses" in str(refused.value)
    assert pool.started == 1 and len(pool.pids()) == 1
    pool.close()


def test_a_pool_that_cannot_start_says_so_and_waits_before_trying_again(tmp_path):
    pool = office.Pool(size=1, command=stub("no_start", tmp_path / "m"))
    with pytest.raises(office.Unavailable) as failed:
        pool.convert(tmp_path / "a.docx", tmp_path / "a.pdf")
    assert "stub refuses to start" in str(failed.value)
    with pytest.raises(office.Unavailable):  # not started again at once: the one-shot way is used meanwhile
        pool.convert(tmp_path / "a.docx", tmp_path / "a.pdf")
    assert pool.started == 1
    pool.close()


def test_no_python_with_uno_falls_back_to_one_soffice_per_document(tmp_path, monkeypatch):
    """Where LibreOffice's Python bridge is missing the pool says so and leaves nothing behind, and docx_to_pdf
    gives the document to the one-shot way (recorded here, not run)."""
    monkeypatch.setattr(office, "uno_python", lambda: None)
    pool = office.Pool(size=1, work_dir=tmp_path)
    with pytest.raises(office.Unavailable) as missing:
        pool.convert(tmp_path / "a.docx", tmp_path / "a.pdf")
    assert "python3-uno" in str(missing.value) and list(tmp_path.iterdir()) == []
    oneshot = []
    monkeypatch.setattr(
        pdf,
        "_convert",
        lambda pairs, jobs=None, progress=None: oneshot.append(pairs) or [pdf.PdfResult(pairs[0][0], pairs[0][1], 1)],
    )
    monkeypatch.setattr(pdf, "soffice_path", lambda: "/usr/bin/soffice")
    monkeypatch.setattr(pdf, "check_fonts", lambda: None)
    assert pdf.docx_to_pdf(tmp_path / "b.docx", tmp_path / "b.pdf", pool) == tmp_path / "b.pdf"
    assert oneshot == [[(tmp_path / "b.docx", tmp_path / "b.pdf")]]
    pool.close()


def test_closed_pool_refuses_with_stopped(tmp_path):
    pool = office.Pool(size=1, command=stub("ok", tmp_path / "m"))
    pool.close()
    with pytest.raises(office.Stopped) as stopped:
        pool.convert(tmp_path / "a.docx", tmp_path / "a.pdf")
    assert stopped.value.code == "pdf_stopped"


# ---------------------------------------------------------------- the real bridge


@pytest.fixture(scope="module")
def plan(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("office")
    return write_atomic(folder / "ke_hoach.docx", docgen.render("ke_hoach", KH_SAMPLE))


def soffice_bin(pool: office.Pool) -> int:
    """soffice.bin, the process that does the work (the pool knows the bridge and soffice's launcher)."""
    [bridge, _] = pool.pids()
    [found] = [p for p in descendants(bridge) if "soffice.bin" in Path(f"/proc/{p}/cmdline").read_text()]
    return found


def check_plan_pdf(path: Path) -> None:
    reader = PdfReader(path)
    first = reader.pages[0].extract_text()
    assert len(reader.pages) >= 2 and "ĐẢNG CỘNG SẢN VIỆT NAM" in first and "KẾ HOẠCH" in first
    one_font_family(path)


@needs_uno()
@needs_shared_tools()
def test_warm_pool_makes_a_pdf_that_passes_check_layout(plan, tmp_path):
    pool = office.Pool(size=1, work_dir=tmp_path)
    try:
        first = pdf.docx_to_pdf(plan, tmp_path / "a.pdf", pool)
        pids = pool.pids()
        second = pdf.docx_to_pdf(plan, tmp_path / "b.pdf", pool)
        assert pool.pids() == pids and pool.started == 1  # the second document went to the same LibreOffice
        page = pdf.docx_to_pdf(plan, tmp_path / "page.pdf", pool, pages="1")  # what a preview asks for
    finally:
        pool.close()
    [only] = PdfReader(page).pages
    assert only.extract_text() == PdfReader(first).pages[0].extract_text()
    for made in (first, second):
        check_plan_pdf(made)
        checked = subprocess.run(
            [sys.executable, str(SHARED / "tools" / "check_layout.py"), str(made)],
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert checked.returncode == 0, checked.stdout + checked.stderr
    assert gone(pids) == [] and list(tmp_path.glob("docgen-office-*")) == []


@needs_uno()
def test_killed_libreoffice_is_restarted_and_the_next_document_converts(plan, tmp_path):
    pool = office.Pool(size=1, work_dir=tmp_path)
    try:
        pool.warm()
        old = pool.pids()
        os.kill(soffice_bin(pool), signal.SIGKILL)  # a crash between two documents
        check_plan_pdf(pdf.docx_to_pdf(plan, tmp_path / "a.pdf", pool))
        assert pool.started == 2 and not set(old) & set(pool.pids())
        assert gone(old) == []
    finally:
        pool.close()
    assert sockets(os.getpid()) == [] and list(tmp_path.glob("docgen-office-*")) == []


@needs_uno()
def test_hung_libreoffice_times_out_with_its_code_and_the_next_document_converts(plan, tmp_path):
    pool = office.Pool(size=1, work_dir=tmp_path, timeout=5)
    try:
        pool.warm()
        old = pool.pids()
        frozen = soffice_bin(pool)
        os.kill(frozen, signal.SIGSTOP)  # hangs on the next document
        with pytest.raises(pdf.PdfError) as hung:
            pdf.docx_to_pdf(plan, tmp_path / "a.pdf", pool)
        assert hung.value.code == "pdf_timeout"
        assert str(hung.value) == (
            "Không xuất được PDF cho “ke_hoach.docx”: LibreOffice chưa xong sau 5 giây nên đã bị dừng."
        )
        assert not (tmp_path / "a.pdf").exists()
        assert gone([*old, frozen]) == []  # killed, the frozen soffice.bin too
        check_plan_pdf(pdf.docx_to_pdf(plan, tmp_path / "b.pdf", pool))
        assert pool.started == 2
    finally:
        pool.close()
    assert list(tmp_path.glob("docgen-office-*")) == [] and sockets(os.getpid()) == []


@needs_uno()
def test_program_killed_outright_leaves_no_libreoffice_and_no_profile(tmp_path):
    """No close(), no exit handler: the bridge sees its parent gone and ends soffice, then its folder."""
    script = textwrap.dedent(
        f"""
        import os, signal
        from pathlib import Path
        from docgen import office
        pool = office.Pool(size=1, work_dir=Path({str(tmp_path)!r}))
        pool.warm()
        [bridge, _] = pool.pids()
        print(os.getpid(), bridge, *pool.pids(), flush=True)
        os.kill(os.getpid(), signal.SIGKILL)
        """
    )
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300)
    assert run.returncode == -signal.SIGKILL, run.stderr
    run_pid, *pids = [int(p) for p in run.stdout.split()]
    assert len(pids) >= 2 and list(tmp_path.glob("docgen-office-*"))  # it had started
    assert gone(pids) == []
    # soffice.bin is not among the pids printed: look for any process still using the profile
    end = time.monotonic() + 15
    while (left := _using(tmp_path)) and time.monotonic() < end:
        time.sleep(0.2)
    assert left == []
    end = time.monotonic() + 15
    while (list(tmp_path.glob("docgen-office-*")) or sockets(run_pid)) and time.monotonic() < end:
        time.sleep(0.2)
    assert list(tmp_path.glob("docgen-office-*")) == [] and sockets(run_pid) == []


@needs_uno()
def test_exit_closes_the_pool_that_was_left_open(tmp_path):
    script = textwrap.dedent(
        f"""
        from pathlib import Path
        from docgen import office
        pool = office.Pool(size=1, work_dir=Path({str(tmp_path)!r}))
        pool.warm()
        print(*pool.pids(), flush=True)
        """
    )
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    assert len(run.stdout.split()) == 2
    assert _using(tmp_path) == [] and list(tmp_path.iterdir()) == []  # gone by the time the program ended


def sockets(pid: int) -> list[Path]:
    """The sockets in /tmp of the soffice processes a pool in process ``pid`` started (soffice leaves its socket
    behind when it is killed)."""
    return sorted(Path("/tmp").glob(f"OSL_PIPE_{os.getuid()}_docgen-{pid}-*"))


def _using(folder: Path) -> list[int]:
    """Processes whose command line names ``folder`` (a soffice with its profile there)."""
    found = []
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                if str(folder) in (proc / "cmdline").read_text(errors="replace") and alive(int(proc.name)):
                    found.append(int(proc.name))
            except OSError:
                continue
    return found
