"""The print font: Times New Roman or a metric twin with every Vietnamese letter, checked before LibreOffice
runs (through fontconfig, as LibreOffice sees it) and in every PDF after; the width table the engine fits
lines with is the installed font's."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import ROOT, load_sample, needs_soffice, one_font_family
from pypdf import PdfReader, PdfWriter
from pypdf.generic import DictionaryObject, NameObject

import docgen
from docgen import fonts, pdf
from docgen.export import write_atomic
from docgen.paths import FONTS_DIR

LIBERATION2 = Path("/usr/share/fonts/truetype/liberation2")
DEJAVU = Path("/usr/share/fonts/truetype/dejavu")
needs_fontconfig = pytest.mark.skipif(shutil.which("fc-match") is None, reason="fontconfig (fc-match) is not installed")


def fontconfig_seeing(tmp_path: Path, dirs: list[Path], extra: str = "") -> Path:
    """A fonts.conf that sees only ``dirs`` (no system configuration, no aliases unless ``extra`` adds them)."""
    conf = tmp_path / "fonts.conf"
    conf.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n<fontconfig>\n'
        + "".join(f"  <dir>{d}</dir>\n" for d in dirs)
        + f"  <cachedir>{tmp_path / 'cache'}</cachedir>\n{extra}</fontconfig>\n",
        encoding="utf-8",
    )
    return conf


def test_vietnamese_letters_are_all_there():
    letters = fonts.VIETNAMESE_LETTERS
    assert len(letters) == 12 * 6 * 2 + 2  # 12 vowels × (no tone + 5 tones) × 2 cases, and đ Đ
    for c in "ưƯơƠăĂđĐâÂêÊôÔờỜểỂậẬữỮỹỸặẶ":
        assert c in letters


@pytest.mark.skipif(not LIBERATION2.is_dir(), reason=f"Liberation Serif 2 is not installed at {LIBERATION2}")
def test_width_table_is_the_installed_liberation_serif():
    pytest.importorskip("fontTools", reason="fontTools is not installed (pip install -e '.[test]')")
    shipped = json.loads((FONTS_DIR / "times_new_roman.json").read_text(encoding="utf-8"))
    built = fonts.build_table(LIBERATION2)
    assert shipped["widths"] == built["widths"] and shipped["units_per_em"] == built["units_per_em"]
    font = fonts.load("Times New Roman")
    # Known advances of Times New Roman (2048 units per em): "n" 1024, bold "W" 2048, space 512.
    assert font.width_pt("n", 10) == 5.0 and font.width_pt("W", 10, bold=True) == 10.0
    assert font.width_pt(" ", 14) == 3.5
    assert all(c in font.widths[style] for style in fonts.STYLES for c in fonts.VIETNAMESE_LETTERS)


def test_unknown_characters_count_one_em():
    font = fonts.load("Times New Roman")
    assert font.width_pt("漢", 12) == 12.0


@needs_fontconfig
def test_this_machine_draws_times_new_roman_with_every_vietnamese_letter():
    problem = fonts.fontconfig_problem(fonts.load("Times New Roman"))
    assert problem is None, f"{problem} — install fonts-liberation2 (CI does)"


@needs_fontconfig
@pytest.mark.skipif(not DEJAVU.is_dir(), reason=f"DejaVu fonts are not installed at {DEJAVU}")
def test_without_a_twin_no_pdf_is_made_and_the_message_names_the_package(tmp_path, monkeypatch):
    monkeypatch.setenv("FONTCONFIG_FILE", str(fontconfig_seeing(tmp_path, [DEJAVU])))
    problem = fonts.fontconfig_problem(fonts.load("Times New Roman"))
    assert problem and "DejaVu" in problem and "không phải Times New Roman" in problem
    started = []
    monkeypatch.setattr(pdf._Soffice, "run", lambda self, batch: started.append(batch))
    monkeypatch.setattr(pdf, "soffice_path", lambda: "/usr/bin/soffice")  # as if LibreOffice were there
    docx = write_atomic(tmp_path / "kh.docx", docgen.render("ke_hoach", load_sample("ke_hoach_hong_quang_2025.json")))
    for convert in (
        lambda: pdf.docx_to_pdf(docx, tmp_path / "kh.pdf"),
        lambda: pdf.convert_many([docx], tmp_path / "ra"),
    ):
        with pytest.raises(pdf.PdfError) as caught:
            convert()
        message = str(caught.value)
        assert caught.value.code == "font_missing"
        assert "sudo apt-get install -y fonts-liberation2" in message
        assert "Windows và macOS" in message and "Times New Roman có sẵn" in message
    assert started == [] and not list(tmp_path.rglob("*.pdf"))


@needs_fontconfig
def test_a_twin_without_vietnamese_letters_is_refused(tmp_path, monkeypatch):
    """Liberation Serif 1.x has the right name and metrics but no ư, ơ, ờ …: stand in a font of the machine
    that lacks them (LibreOffice's OpenSymbol), renamed Liberation Serif when fontconfig scans it."""
    found = subprocess.run(["fc-list", "--format=%{file}\n", "OpenSymbol"], capture_output=True, text=True).stdout
    if not found.strip():
        pytest.skip("OpenSymbol (fonts-opensymbol, installed with LibreOffice) is not installed")
    symbol = Path(found.split()[0])
    rename = (
        '  <match target="scan"><test name="family"><string>OpenSymbol</string></test>'
        '<edit name="family" mode="assign" binding="same"><string>Liberation Serif</string></edit></match>\n'
        "  <alias><family>Times New Roman</family><prefer><family>Liberation Serif</family></prefer></alias>\n"
    )
    monkeypatch.setenv("FONTCONFIG_FILE", str(fontconfig_seeing(tmp_path, [symbol.parent], rename)))
    problem = fonts.fontconfig_problem(fonts.load("Times New Roman"))
    assert problem and "Liberation Serif" in problem and "thiếu" in problem and "ư" in problem
    with pytest.raises(pdf.PdfError, match="fonts-liberation2"):
        pdf.check_fonts()


@needs_soffice()
def test_a_character_the_font_lacks_gives_no_mixed_font_pdf(tmp_path):
    data = load_sample("ke_hoach_hong_quang_2025.json")
    data["mo_dau"] = ["Ký hiệu ★ và chữ 漢 không có trong phông Times New Roman."] + list(data.get("mo_dau") or [])
    docx = write_atomic(tmp_path / "kh.docx", docgen.render("ke_hoach", data))
    with pytest.raises(pdf.PdfError) as caught:
        pdf.docx_to_pdf(docx, tmp_path / "kh.pdf")
    assert caught.value.code == "mixed_fonts"
    assert "★" in str(caught.value) and "漢" in str(caught.value) and "kh.docx" in str(caught.value)
    assert not (tmp_path / "kh.pdf").exists()
    [result] = pdf.convert_many([docx], tmp_path / "ra")
    assert result.pdf is None and result.code == "mixed_fonts" and not list((tmp_path / "ra").glob("*.pdf"))


@needs_soffice()
def test_every_pdf_embeds_one_family(tmp_path):
    sample = load_sample("quyet_dinh_xep_loai_dang_vien_khu_dan_cu_so_1_2025.json")
    docx = write_atomic(tmp_path / "qd.docx", docgen.render("quyet_dinh_xep_loai", sample))
    made = pdf.docx_to_pdf(docx, tmp_path / "qd.pdf")
    assert fonts.pdf_fonts(PdfReader(made)) == {"LiberationSerif", "LiberationSerif-Bold", "LiberationSerif-Italic"}
    one_font_family(made)


def test_merge_refuses_a_part_drawn_in_another_font(tmp_path):
    writer = PdfWriter()
    page = writer.add_blank_page(595, 842)
    font = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica"),
        }
    )
    page[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/Font"): DictionaryObject({NameObject("/F1"): font})}
    )
    other = tmp_path / "khac.pdf"
    with open(other, "wb") as f:
        writer.write(f)
    with pytest.raises(pdf.PdfError) as caught:
        pdf.merge([("Văn bản", other)], tmp_path / "tat_ca.pdf")
    assert caught.value.code == "mixed_fonts" and "Helvetica" in str(caught.value)
    assert not (tmp_path / "tat_ca.pdf").exists()


def test_ci_installs_the_font_for_the_same_letters():
    """.ci/run asks fontconfig about the same letters as the engine does (the ASCII ones every font has)."""
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    listed = re.search(r'^vietnamese="([^"]+)"', script, flags=re.M).group(1)
    assert fonts._charset(listed) == {ord(c) for c in fonts.VIETNAMESE_LETTERS if not c.isascii()}
    assert "fonts-liberation2" in script and "fonts-liberation)" not in script
