"""Every sample in samples/ validates, renders, and passes ../shared/tools/check_format.py."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import SHARED, needs_shared_tools
from docx_read import Doc

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
    waived = NOT_A_FORMAL_DOCUMENT.get(kind_of(sample), {})
    failed = {line.split()[1].rstrip(":") for line in result.stdout.splitlines() if line.startswith("FAIL")}
    assert failed <= set(waived), result.stdout
    for check in sorted(failed):
        print(f"{sample.name}: {check} does not apply: {waived[check]}")
    assert result.returncode == (1 if failed else 0), result.stdout


# The checker's checks that do not apply to a kind, and why: a ballot is no formal document.
NOT_A_FORMAL_DOCUMENT = {
    "phieu_xep_loai": {
        "ten_loai_present": "a ballot's title “PHIẾU …” is not among the checker's kind titles",
        "chu_ky_present": "a ballot is secret: nobody signs it",
    }
}


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


RATING_SAMPLES = sorted(p for p in SAMPLES if kind_of(p) != "ke_hoach")  # the plans have their own golden test


@pytest.mark.parametrize("sample", RATING_SAMPLES, ids=lambda p: p.stem)
def test_golden_text_of_the_rating_documents(sample):
    """The whole wording of each rating document and review form, to review when it changes
    (``UPDATE_GOLDEN=1`` rewrites tests/golden/; read the diff)."""
    text = Doc(docgen.render(kind_of(sample), sample)).plain_text()
    path = Path(__file__).parent / "golden" / f"{sample.stem}.txt"
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    assert path.is_file(), f"no golden text yet: run with UPDATE_GOLDEN=1 and review {path}"
    assert text == path.read_text(encoding="utf-8"), f"text changed; review and rerun with UPDATE_GOLDEN=1 ({path})"
