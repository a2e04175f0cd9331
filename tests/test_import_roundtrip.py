"""Round trips the tests make themselves: a plan in every numbering scheme the engine supports (and the mixes
real plans use) rendered to .docx, converted to PDF by LibreOffice, its text taken by pdftotext in each of
its three orders, imported — the data must be the plan again: outline levels and the levels items skip,
labels (the scheme), bullets, footnotes, signature, recipients, header. And the .docx docgen renders imports
back the same way, without LibreOffice.
"""

from __future__ import annotations

import shutil
import subprocess

import pytest
from conftest import SAMPLES_DIR, needs_soffice
from docx_read import Doc
from import_corpus import canonical, plans

import docgen
from docgen import vn
from docgen.importer import import_document
from docgen.pdf import convert_many

PLANS = plans()
# pdftotext's orders: reading order (the first footnote's number comes after the notes), the content stream
# order, and the page's layout (columns side by side, first lines indented).
TEXT_MODES = {"doc": [], "raw": ["-raw"], "layout": ["-layout"]}


def test_the_corpus_is_large_and_covers_every_style():
    assert len(PLANS) >= 12
    styles = {s for p in PLANS.values() for s in p.get("danh_so", [])}
    assert {"I.", "I-", "I -", "A.", "A -", "1.", "1)", "1-", "1/", "1.1.", "1.1", "1.1.1.", "a)", "a."} <= styles
    assert {"(1)", "(a)", "Bước 1:", "Điều 1.", "Phần I."} <= styles
    assert {m for p in PLANS.values() for m in p.get("dau_dong", [])} >= {"-", "+", "*", "•"}
    for name, data in PLANS.items():
        assert docgen.validate("ke_hoach", data) == [], name


SAMPLES = ["ke_hoach_hong_quang_2025.json", "ke_hoach_nguyen_nghiem_2023.json"]  # the two real plans as data


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory):
    """Every plan of the corpus, and the two real plans, as PDFs converted by one LibreOffice run."""
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed; CI installs it")
    out = tmp_path_factory.mktemp("corpus")
    documents = {name: docgen.render("ke_hoach", data) for name, data in PLANS.items()}
    documents.update({name: docgen.render("ke_hoach", SAMPLES_DIR / name) for name in SAMPLES})
    paths = []
    for name, data in documents.items():
        path = out / f"{name}.docx"
        path.write_bytes(data)
        paths.append(path)
    results = convert_many(paths, out, jobs=2)
    assert [r.error for r in results] == [None] * len(results)
    return {name: r.pdf for name, r in zip(documents, results)}


@pytest.mark.slow
@needs_soffice()
@pytest.mark.parametrize("mode", sorted(TEXT_MODES))
@pytest.mark.parametrize("name", sorted(PLANS))
def test_pdf_text_imports_back_to_the_same_plan(pdfs, tmp_path, name, mode):
    text = tmp_path / f"{name}.txt"
    subprocess.run(["pdftotext", *TEXT_MODES[mode], str(pdfs[name]), str(text)], check=True)
    imported = import_document("ke_hoach", text)
    assert imported.data == vn.chuan_hoa_du_lieu(canonical(PLANS[name]))
    assert imported.problems == []  # a consistent document gives no warning


@pytest.mark.slow
@needs_soffice()
@pytest.mark.parametrize("mode", ["raw", "layout"])
@pytest.mark.parametrize("sample", SAMPLES)
def test_the_real_plans_through_pdf_print_the_same_words_again(pdfs, tmp_path, sample, mode):
    """The two real plans (their samples) through PDF and back print the same text: every heading with its
    number, paragraph, bullet, footnote, the signature and the recipients. (pdftotext without options is left
    out here: it drops the hyphen at the end of a line, "chính trị -" + "xã hội" → "chính trị xã hội".)"""
    text = tmp_path / "plan.txt"
    subprocess.run(["pdftotext", *TEXT_MODES[mode], str(pdfs[sample]), str(text)], check=True)
    imported = import_document("ke_hoach", text)
    printed = Doc(docgen.render("ke_hoach", imported.data))
    original = Doc(docgen.render("ke_hoach", SAMPLES_DIR / sample))
    assert printed.plain_text() == original.plain_text()
    assert [p.code for p in imported.problems] == []


@pytest.mark.parametrize("name", sorted(PLANS))
def test_docx_imports_back_to_the_same_plan(tmp_path, name):
    path = tmp_path / f"{name}.docx"
    path.write_bytes(docgen.render("ke_hoach", PLANS[name]))
    imported = import_document("ke_hoach", path)
    assert imported.data == vn.chuan_hoa_du_lieu(canonical(PLANS[name]))
    assert imported.problems == []


def test_the_report_shows_every_label_old_and_new(tmp_path):
    path = tmp_path / "plan.docx"
    path.write_bytes(docgen.render("ke_hoach", PLANS["dang_uy_khoi"]))
    rows = import_document("ke_hoach", path).numbering
    assert [(r.typed, r.printed) for r in rows[:5]] == [
        ("I.", "I."),
        ("1.", "1."),  # straight under "I.", the "A." level skipped: printed as typed
        ("2.", "2."),
        ("II.", "II."),
        ("A.", "A."),
    ]
    assert rows[1].path == "$.noi_dung[0].noi_dung[0]" and rows[1].line.loc.unit == "đoạn"
