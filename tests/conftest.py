from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from docx_read import Doc  # noqa: E402

import docgen  # noqa: E402
from docgen.paths import ROOT, SAMPLES_DIR  # noqa: E402
from docgen.profile import load_profile  # noqa: E402

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


def needs_soffice():
    return pytest.mark.skipif(
        shutil.which("soffice") is None,
        reason="LibreOffice (soffice) is not installed; CI installs it (apt-get install libreoffice-writer-nogui)",
    )


def needs_shared_tools():
    return pytest.mark.skipif(
        not (SHARED / "tools" / "check_format.py").is_file(),
        reason=f"the shared format tools are not at {SHARED}/tools",
    )


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
