"""Every sample in samples/ validates, renders, and passes ../shared/tools/check_format.py."""

from __future__ import annotations

import subprocess
import sys

import pytest
from conftest import SHARED, needs_shared_tools

import docgen
from docgen.demo import kind_of, needs_number
from docgen.paths import SAMPLES_DIR

SAMPLES = sorted(p for p in SAMPLES_DIR.glob("*.json") if kind_of(p))


def test_every_sample_has_a_kind():
    assert SAMPLES and len(SAMPLES) == len(list(SAMPLES_DIR.glob("*.json")))
    assert {kind_of(p) for p in SAMPLES} == set(docgen.kind_names())


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.stem)
def test_sample_is_valid(sample):
    assert docgen.validate(kind_of(sample), sample) == []


@needs_shared_tools()
@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.stem)
def test_sample_passes_the_format_checker(tmp_path, sample):
    out = tmp_path / f"{sample.stem}.docx"
    out.write_bytes(docgen.render(kind_of(sample), sample))
    args = [sys.executable, str(SHARED / "tools" / "check_format.py"), str(out)]
    if not needs_number(sample):
        args.append("--no-number")
    result = subprocess.run(args, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.stem)
def test_no_escaped_markup_reaches_the_document(sample):
    """Prepared XML must be inserted, never escaped into text (a Markup + str slip does that silently)."""
    import io
    import zipfile

    with zipfile.ZipFile(io.BytesIO(docgen.render(kind_of(sample), sample))) as z:
        for name in z.namelist():
            if name.endswith(".xml"):
                text = z.read(name).decode("utf-8")
                assert "&lt;w:" not in text and "&amp;lt;" not in text, name
