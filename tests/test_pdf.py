"""Real clients: LibreOffice converts the produced documents to PDF (skipped where it is missing)."""

from __future__ import annotations

import pytest
from conftest import needs_soffice, one_font_family
from pypdf import PdfReader

import docgen
from docgen.export import docx_to_pdf, write_atomic
from docgen.paths import SAMPLES_DIR


@needs_soffice()
@pytest.mark.parametrize("sample", ["ke_hoach_hong_quang_2025.json", "ke_hoach_nguyen_nghiem_2023.json"])
def test_sample_converts_to_pdf(tmp_path, sample):
    docx = write_atomic(tmp_path / sample.replace(".json", ".docx"), docgen.render("ke_hoach", SAMPLES_DIR / sample))
    pdf = docx_to_pdf(docx, tmp_path / "out.pdf")
    reader = PdfReader(str(pdf))
    assert len(reader.pages) >= 2
    first = reader.pages[0].extract_text()
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in first and "KẾ HOẠCH" in first
    assert "2" in reader.pages[1].extract_text().split("\n")[0]  # page number at the top of page 2
    one_font_family(pdf)
