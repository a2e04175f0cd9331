from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from docx_read import Doc  # noqa: E402

import docgen  # noqa: E402
from docgen.paths import SAMPLES_DIR  # noqa: E402
from docgen.profile import load_profile  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent  # the checkout the tests run in
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "seeds"


def outline_shape(items, depth=0) -> list[str]:
    """An outline as indented lines "kind: text [cap n]" ("· text" for a plain paragraph), to compare shapes."""
    out = []
    for item in items:
        if isinstance(item, str):
            out.append("  " * depth + "· " + item)
            continue
        kind = next(k for k in ("tieu_de", "doan", "gach") if k in item)
        cap = f" [cap {item['cap']}]" if "cap" in item else ""
        out.append("  " * depth + f"{kind}: {item[kind]}{cap}")
        out += outline_shape(item.get("noi_dung", []), depth + 1)
    return out


def load_sample(name: str) -> dict:
    return json.loads((SAMPLES_DIR / name).read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def profile():
    return load_profile()


@pytest.fixture(scope="session")
def render_doc():
    """Render data (dict or sample file name) of a kind and read it back; cached per sample."""
    cache = {}

    def _render(kind: str, data) -> Doc:
        if isinstance(data, str):
            if data not in cache:
                cache[data] = Doc(docgen.render(kind, SAMPLES_DIR / data))
            return cache[data]
        return Doc(docgen.render(kind, data))

    return _render


# Tests that need a program outside docgen are the slow shell around the fast core: each of these markers
# also marks the test ``slow`` (``make test-fast`` runs ``pytest -m "not slow"``). The web layer, bulk runs
# in worker processes and Excel workbooks are marked ``slow`` in their modules.
SLOW_MARKERS = ("soffice", "chromium", "wheel", "shared")


def pytest_collection_modifyitems(items):
    for item in items:
        if any(item.get_closest_marker(name) for name in SLOW_MARKERS):
            item.add_marker(pytest.mark.slow)


# The marks of a test that converts with LibreOffice (a module's ``pytestmark``; a test: @needs_soffice()).
SOFFICE = [
    pytest.mark.soffice,
    pytest.mark.skipif(
        shutil.which("soffice") is None,
        reason="LibreOffice (soffice) is not installed; CI installs it (apt-get install libreoffice-writer-nogui)",
    ),
]


def needs_soffice():
    """Mark a test (or class) that converts with LibreOffice: ``soffice``, skipped with the reason where
    LibreOffice is missing."""

    def mark(test):
        for m in SOFFICE:
            test = m(test)
        return test

    return mark


def needs_uno():
    """Mark a test of the warm LibreOffice (docgen/office.py): ``soffice``, skipped with the reason where
    LibreOffice or its Python bridge (``uno``) is missing."""
    from docgen import office

    skip = pytest.mark.skipif(
        shutil.which("soffice") is None or office.uno_python() is None,
        reason="LibreOffice's Python bridge is not installed; CI installs it (apt-get install python3-uno)",
    )
    return lambda test: skip(needs_soffice()(test))


def one_font_family(pdf: Path) -> list[str]:
    """Assert that the fonts a PDF embeds are one family, Times New Roman or a metric twin (as pdffonts, which
    is not docgen's own reader, lists them; pypdf where poppler is missing); return their names."""
    from docgen import fonts

    font = fonts.load(load_profile().font)
    if shutil.which("pdffonts"):
        lines = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
        names = sorted({line.split()[0].split("+")[-1] for line in lines.splitlines()[2:] if line.strip()})
    else:
        from pypdf import PdfReader

        names = sorted(fonts.pdf_fonts(PdfReader(pdf)))
    families = {font.twin_of(n) for n in names}
    assert names and len(families) == 1 and None not in families, f"{pdf.name}: fonts {names}"
    return names


def needs_shared_tools():
    """Mark a test that runs ../shared/tools (check_format, compare_text): ``shared`` (so ``slow``), skipped
    with the reason where they are missing."""
    skip = pytest.mark.skipif(
        not (SHARED / "tools" / "check_format.py").is_file(),
        reason=f"the shared format tools are not at {SHARED}/tools",
    )
    return lambda test: pytest.mark.shared(skip(test))


def alive(pid: int) -> bool:
    """Whether process ``pid`` runs (a zombie, dead but not yet reaped, does not)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split(")")[-1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def descendants(pid: int) -> set[int]:
    """Every process started by ``pid``, and by them, now."""
    found, todo = set(), [pid]
    while todo:
        p = todo.pop()
        for task in Path(f"/proc/{p}/task").glob("*"):
            try:
                children = (task / "children").read_text().split()
            except OSError:
                continue
            for child in map(int, children):
                if child not in found:
                    found.add(child)
                    todo.append(child)
    return found


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(autouse=True)
def own_register(tmp_path_factory, monkeypatch):
    """Every test numbers from a register of its own, at the default place of a data folder made for it (the
    environment is inherited by the commands and servers a test starts): never the user's real register.
    Returns the register's path (created when first used)."""
    from docgen import register

    monkeypatch.delenv(register.ENV, raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path_factory.mktemp("du_lieu")))
    path = register.default_path()
    assert str(path).startswith(os.environ["XDG_DATA_HOME"]), path  # platformdirs follows XDG on this system
    return path


@pytest.fixture
def workdir(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return tmp_path


def pytest_report_header(config):
    return [
        f"soffice: {shutil.which('soffice') or 'missing (PDF tests skip)'}",
        f"shared tools: {SHARED / 'tools' if (SHARED / 'tools').is_dir() else 'missing'}",
        f"UPDATE_GOLDEN={os.environ.get('UPDATE_GOLDEN', '')}",
    ]


def read_back(inp) -> tuple:
    """``(data, origin, problems)`` of a reader's Input, for tests that look at all three."""
    return inp.data, inp.origin, inp.problems


@pytest.fixture(autouse=True)
def fast_and_full_validation_agree(monkeypatch):
    """Every value any test validates (every bad input, every fuzz case, every sample) is judged by both
    validators: the compiled one that answers "valid" in production and jsonschema, which locates the problems.
    "Valid" from the compiled one where jsonschema refuses fails the test that produced it: a document the
    compiled validator lets through must be one jsonschema lets through. (Stricter is safe: jsonschema is then
    asked, and its verdict stands.)"""
    from docgen import validation

    fast = validation.fast_verdict
    disagreements = []

    def both(schema_name, data):
        verdict = fast(schema_name, data)
        if verdict and not validation.validator(schema_name).is_valid(data):
            disagreements.append((schema_name, verdict, repr(data)[:300]))
            raise AssertionError(f"compiled validator passes what jsonschema refuses ({schema_name}): {data!r:.200}")
        return verdict

    monkeypatch.setattr(validation, "fast_verdict", both)
    yield
    assert not disagreements, disagreements
