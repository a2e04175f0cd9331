"""The công văn, read back: the header with "V/v …" under the number and no kind title, both forms of
"Kính gửi", the numbering, the signature and Nơi nhận with "Như trên"; and its import from a .docx or a
copied text back to the same data."""

from __future__ import annotations

import copy
import json
import re
import shutil
import subprocess

import pytest
from conftest import load_sample, needs_soffice
from docx_read import Doc

import docgen
from docgen import richtext, vn
from docgen.cli import main as cli
from docgen.importer import ImportFailed, import_document
from docgen.pdf import convert_many
from docgen.profile import DEFAULT_PROFILE, load_profile, style_id

SAMPLE = "cong_van_hong_quang_2025.json"
PROFILE = load_profile()


def cv() -> dict:
    return load_sample(SAMPLE)


def render(data) -> Doc:
    return Doc(docgen.render("cong_van", data))


def codes(data) -> set[tuple[str, str]]:
    return {(p.path, p.code) for p in docgen.validate("cong_van", data)}


# ---------------------------------------------------------------- the header: "V/v …" under the number


def test_header_has_the_subject_under_the_number_and_no_kind_title(render_doc):
    doc = render_doc("cong_van", SAMPLE)
    left = doc.table_cell(0, 0, 0)  # the header's left column
    texts = [p.text for p in left if p.text.strip()]
    assert texts[:4] == ["ĐẢNG BỘ TỈNH THÁI NGUYÊN", "ĐẢNG ỦY PHƯỜNG HỒNG QUANG", "*", "Số 68-CV/ĐU"]
    subject = left[[p.text for p in left].index(texts[4])]
    assert subject.text.replace("\n", " ") == (
        "V/v kiểm điểm, đánh giá, xếp loại chất lượng tổ chức đảng, đảng viên năm 2025"
    )
    el = PROFILE.element("trich_yeu_cong_van")
    assert subject.style == style_id("trich_yeu_cong_van") and subject.align == "center"
    assert subject.all("italic") == el["italic"] and subject.sizes() == {el["size"]} and 12 <= el["size"] <= 13
    assert not any(p.style == style_id("ten_loai") for p in doc.paras), "a công văn has no kind title"
    assert not any(p.text in ("CÔNG VĂN", "-----") for p in doc.paras)


def test_subject_lines_are_balanced_and_fit_the_left_column():
    """A long trích yếu is broken into lines that each fit the header's left column as fitted to the date line
    (measured with the font), even when a long place name narrows that column."""
    data = cv()
    data["trich_yeu"] = (
        "kiểm điểm, đánh giá, xếp loại chất lượng năm 2025 đối với tổ chức đảng, đảng viên và tập thể, cá nhân "
        "cán bộ lãnh đạo, quản lý trong hệ thống chính trị phường"
    )
    for place in ("Hồng Quang", "Phường Nguyễn Nghiêm, thành phố Quảng Ngãi"):
        data["ban_hanh"]["dia_danh"] = place
        built, problems = docgen.check("cong_van", data)
        assert problems == []
        lines = str(built.context["trich_yeu"]).split("<w:br/>")
        lines = [re.sub(r"<[^>]+>", "", line) for line in lines]
        spec = PROFILE.data["header_table"]  # the left column as the document has it
        width = built.context["ban_hanh"]["cot_trai"] * spec["grid_mm"] - 2 * spec["cell_margin_mm"]
        measure = PROFILE.measurer("trich_yeu_cong_van")
        assert len(lines) >= 3 and all(measure(x) <= width for x in lines), (place, lines, width)
        assert " ".join(lines) == "V/v " + data["trich_yeu"]


def test_a_typed_vv_is_not_printed_twice():
    data = cv()
    data["trich_yeu"] = "V/v kiểm điểm năm 2025"
    assert render(data).find("V/v kiểm điểm năm 2025").style == style_id("trich_yeu_cong_van")


def test_the_ky_hieu_must_be_a_cong_van_one():
    data = cv()
    data["ban_hanh"]["ky_hieu"] = "KH/ĐU"
    assert ("$.ban_hanh.ky_hieu", "ky_hieu_kind") in codes(data)


# ---------------------------------------------------------------- Kính gửi, both forms


def test_several_recipients_each_on_its_line_under_kinh_gui(render_doc):
    doc = render_doc("cong_van", SAMPLE)
    i = doc.index("Kính gửi:")
    label, first, last = doc.paras[i], doc.paras[i + 1], doc.paras[i + 2]
    assert label.style == style_id("kinh_gui_nhan") and not label.in_table
    assert first.text == "- Các chi bộ trực thuộc Đảng bộ phường,"
    assert last.text == "- Các đồng chí Ủy viên Ban Chấp hành Đảng bộ phường phụ trách chi bộ."
    assert first.style == style_id("kinh_gui_dong") and last.style == style_id("kinh_gui_dong_cuoi")
    assert doc.paras[i + 3].text.startswith("Thực hiện Kế hoạch số 15-KH/ĐU")  # then the body
    assert i > doc.index("Hồng Quang, ngày 28 tháng 11 năm 2025")  # after the header
    # the wrapped lines hang after the dash, the list set in from the margin (profile)
    xml = doc.part("word/styles.xml").decode()
    left = round(PROFILE.element("kinh_gui_dong")["left_mm"] * 1440 / 25.4)
    style = re.search(r'<w:style [^>]*w:styleId="DGKinhGuiDong">.*?</w:style>', xml).group(0)
    ind = re.search(r'<w:ind w:left="(\d+)" w:hanging="(\d+)"/>', style)
    assert int(ind.group(1)) == left + int(ind.group(2)) and int(ind.group(2)) > 0


def test_one_recipient_stands_on_the_line_of_kinh_gui():
    data = cv()
    data["kinh_gui"] = ["- Các chi bộ trực thuộc Đảng bộ phường."]  # a typed dash and end mark are replaced
    doc = render(data)
    p = doc.find("Kính gửi: Các chi bộ trực thuộc Đảng bộ phường")
    assert p.style == style_id("kinh_gui_mot") and p.align == "center" and p.sizes() == {14.0}
    assert not any(x.text.startswith("- Các chi bộ trực thuộc") for x in doc.paras)
    assert "Kính gửi:" not in doc.texts()


def test_recipient_punctuation_comes_from_the_profile(monkeypatch):
    profile = load_profile(DEFAULT_PROFILE)  # the one rendering loads
    monkeypatch.setitem(profile.data, "kinh_gui", dict(profile.data["kinh_gui"], end=";", last_end="."))
    doc = render(cv())
    assert "- Các chi bộ trực thuộc Đảng bộ phường;" in doc.texts()


# ---------------------------------------------------------------- body: căn cứ, numbering


def test_numbering_defaults_to_the_cong_van_scheme_and_follows_danh_so(render_doc):
    doc = render_doc("cong_van", SAMPLE)
    numbered = [p.text[:3] for p in doc.body() if re.match(r"^\d+\. ", p.text)]
    assert numbered == ["1. ", "2. ", "3. ", "4. ", "5. "]
    assert doc.find("- Biên bản hội nghị kiểm điểm", exact=False).text.endswith("xếp loại chất lượng.")
    assert PROFILE.default_scheme("cong_van")[0] == "1."
    data = cv()
    data["danh_so"] = ["I.", "1."]
    data["noi_dung"] = [{"tieu_de": "Nội dung kiểm điểm", "noi_dung": data["noi_dung"][:2]}]
    doc = render(data)
    heading = doc.find("I. Nội dung kiểm điểm")
    assert heading.style == style_id("muc_1") and heading.all("bold")
    assert doc.find("1. Tổ chức hội nghị", exact=False) and doc.find("2. Chuẩn bị hồ sơ", exact=False)


def test_typed_numbers_are_refused_with_their_path():
    data = cv()
    data["noi_dung"][0]["doan"] = "1. Tổ chức hội nghị"
    assert ("$.noi_dung[0].doan", "typed_numbering") in codes(data)


def test_optional_can_cu_lines_and_their_dates():
    data = cv()
    data["can_cu"] = ["Căn cứ Quy định số 366-QĐ/TW, ngày 30/8/2025 của Bộ Chính trị;", "- Thực hiện Kế hoạch số 15"]
    doc = render(data)
    assert doc.find("Căn cứ Quy định số 366-QĐ/TW, ngày 30/8/2025 của Bộ Chính trị;").style == style_id("doan")
    assert "Thực hiện Kế hoạch số 15," in doc.texts()  # the last one ends with ",", the typed dash dropped
    data["can_cu"] = ["Căn cứ Kế hoạch số 20-KH/ĐU, ngày 02/12/2025 của Ban Thường vụ"]  # after the công văn
    assert ("$.can_cu[0]", "date_order") in codes(data)


def test_body_is_emphasised_as_the_data_says(render_doc):
    doc = render_doc("cong_van", SAMPLE)
    p = doc.find("1. Tổ chức hội nghị", exact=False)
    assert p.seg_containing("hoàn thành trước ngày 10/12/2025").bold
    assert not p.seg_containing("gửi lịch hội nghị").bold
    assert doc.find("Mẫu 01", exact=False).seg_containing("Mẫu 01").italic


# ---------------------------------------------------------------- signature and Nơi nhận


def test_signature_and_recipients_with_nhu_tren(render_doc):
    doc = render_doc("cong_van", SAMPLE)
    i = doc.index("Nơi nhận:")
    lines = [p.text for p in doc.paras[i + 1 : i + 5]]
    assert lines == [
        "- Như trên,",
        "- Thường trực Đảng ủy (để chỉ đạo),",
        "- Ban Xây dựng Đảng Đảng ủy,",
        "- Lưu Văn phòng Đảng ủy.",
    ]
    assert all(p.sizes() == {12.0} for p in doc.paras[i + 1 : i + 5])
    for text in ("T/M BAN THƯỜNG VỤ", "PHÓ BÍ THƯ THƯỜNG TRỰC", "Trần Nhật Lộc"):
        p = doc.find(text)
        assert p.in_table and p.all("bold") and p.align == "center"


def test_nhu_tren_is_added_once_or_not_at_all():
    data = cv()
    data["noi_nhan"] = ["- Như trên;", "Lưu Văn phòng Đảng ủy"]
    assert render(data).texts().count("- Như trên,") == 1
    data["nhu_tren"] = False
    data["noi_nhan"] = ["Các chi bộ trực thuộc", "Lưu Văn phòng Đảng ủy"]
    doc = render(data)
    assert not any("Như trên" in t for t in doc.texts())
    assert doc.texts()[doc.texts().index("Nơi nhận:") + 1] == "- Các chi bộ trực thuộc,"


def test_the_last_recipient_must_be_the_file_copy_at_the_data_path():
    data = cv()
    data["noi_nhan"] = ["Thường trực Đảng ủy", "Ban Xây dựng Đảng"]  # "Như trên" is added before these
    assert ("$.noi_nhan[1]", "noi_nhan_luu") in codes(data)


# ---------------------------------------------------------------- import


def _as_written(data: dict) -> dict:
    """The sample as the importer writes it: no "$schema", the signature's default spelt out, NFC."""
    data = copy.deepcopy(data)
    data.pop("$schema", None)
    data["nguoi_ky"].setdefault("da_ky", False)
    return vn.chuan_hoa_du_lieu(data)


def _plain(value):
    """Markup taken off every string (a PDF's text has no bold or italic)."""
    if isinstance(value, str):
        return richtext.plain(value)
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def test_the_rendered_docx_imports_back_to_the_same_data(tmp_path):
    for name, data in (("mau", cv()), ("mot_noi", {**cv(), "kinh_gui": ["Các chi bộ trực thuộc"], "nhu_tren": False})):
        if name == "mot_noi":
            data["noi_nhan"] = ["Các chi bộ trực thuộc", "Lưu Văn phòng Đảng ủy"]
            data["danh_so"] = ["I.", "1."]
            data["noi_dung"] = [{"tieu_de": "Nội dung", "noi_dung": data["noi_dung"]}]
            data["can_cu"] = ["Căn cứ Quy định số 366-QĐ/TW, ngày 30/8/2025 của Bộ Chính trị"]
        path = tmp_path / f"{name}.docx"
        path.write_bytes(docgen.render("cong_van", data))
        imported = import_document("cong_van", path)
        assert imported.data == _as_written(data), name
        assert imported.problems == []
        assert docgen.render("cong_van", imported.data) == path.read_bytes()  # the same document again
    origin = import_document("cong_van", tmp_path / "mau.docx").origin
    assert origin["$.ban_hanh.ky_hieu"].startswith("đoạn ") and origin["$.trich_yeu"].startswith("đoạn ")
    assert origin["$.kinh_gui[1]"] != origin["$.kinh_gui[0]"]


COPIED = """ĐẢNG BỘ TỈNH NGHỆ AN                      ĐẢNG CỘNG SẢN VIỆT NAM
ĐẢNG UỶ PHƯỜNG TRƯỜNG VINH
         *                                Trường Vinh, ngày 04 tháng 9 năm 2025
   Số 21-CV/ĐU
V/v hoãn tổ chức hội nghị
      ngày 06/9/2025

Kính gửi: - Các chi bộ trực thuộc Đảng bộ phường,
          - Các đồng chí Ủy viên Ban Chấp hành Đảng bộ phường phụ trách
            chi bộ.

Ngày 31/8/2025, Ban Thường vụ Đảng ủy phường đã ban hành Thông tri số 02-TT/ĐU về triệu tập hội nghị.
Vì lý do khách quan, Ban Thường vụ Đảng ủy phường đề nghị các chi bộ:
1. Hoãn hội nghị ngày 06/9/2025.
2. Chờ thông báo mới của Văn phòng Đảng ủy.
Nơi nhận:                                   T/M BAN THƯỜNG VỤ
- Như trên;                                  BÍ THƯ
- Lưu VP.
                                            Nguyễn Văn An
"""


def test_a_copied_text_imports_with_the_list_of_recipients_joined(tmp_path):
    path = tmp_path / "cv.txt"
    path.write_text(COPIED, encoding="utf-8")
    imported = import_document("cong_van", path)
    data = imported.data
    assert data["ban_hanh"]["so"] == 21 and data["ban_hanh"]["ky_hieu"] == "CV/ĐU"
    assert data["ban_hanh"]["ngay_ban_hanh"] == "2025-09-04" and data["ban_hanh"]["dia_danh"] == "Trường Vinh"
    assert data["trich_yeu"] == "hoãn tổ chức hội nghị ngày 06/9/2025"
    assert data["kinh_gui"] == [
        "Các chi bộ trực thuộc Đảng bộ phường",
        "Các đồng chí Ủy viên Ban Chấp hành Đảng bộ phường phụ trách chi bộ",
    ]
    assert data["mo_dau"][-1].endswith("Vì lý do khách quan, Ban Thường vụ Đảng ủy phường đề nghị các chi bộ:")
    assert data["noi_dung"] == [
        {"doan": "Hoãn hội nghị ngày 06/9/2025."},
        {"doan": "Chờ thông báo mới của Văn phòng Đảng ủy."},
    ]
    assert data["noi_nhan"] == ["Lưu VP"] and "nhu_tren" not in data  # "Như trên" is the engine's
    assert data["nguoi_ky"] == {
        "tham_quyen": "T/M Ban Thường vụ",
        "chuc_vu": "Bí thư",
        "ho_ten": "Nguyễn Văn An",
        "da_ky": False,
    }
    assert docgen.validate("cong_van", data) == []


def test_one_recipient_on_the_line_and_a_document_without_nhu_tren(tmp_path):
    start, end = COPIED.index("Kính gửi:"), COPIED.index("Ngày 31/8/2025")
    text = COPIED[:start] + "Kính gửi: Ban Thường vụ Đảng ủy\nphường Trường Vinh.\n\n" + COPIED[end:]
    text = text.replace("- Như trên;", "- Các chi bộ;")
    path = tmp_path / "cv.txt"
    path.write_text(text, encoding="utf-8")
    data = import_document("cong_van", path).data
    assert data["kinh_gui"] == ["Ban Thường vụ Đảng ủy phường Trường Vinh"]
    assert data["noi_nhan"] == ["Các chi bộ", "Lưu VP"] and data["nhu_tren"] is False


def test_import_refuses_another_kind_and_the_plan_import_refuses_a_cong_van(tmp_path):
    plan = tmp_path / "kh.docx"
    plan.write_bytes(docgen.render("ke_hoach", load_sample("ke_hoach_nguyen_nghiem_2023.json")))
    with pytest.raises(ImportFailed, match="Tệp là một kế hoạch, không phải công văn"):
        import_document("cong_van", plan)
    letter = tmp_path / "cv.docx"
    letter.write_bytes(docgen.render("cong_van", cv()))
    with pytest.raises(ImportFailed, match="Tệp là một công văn, không phải kế hoạch"):
        import_document("ke_hoach", letter)
    other = tmp_path / "x.txt"
    other.write_text("Một đoạn văn bất kỳ.\nKhông có gì của công văn.\n", encoding="utf-8")
    with pytest.raises(ImportFailed, match="Không nhận ra công văn"):
        import_document("cong_van", other)


def test_cli_import_and_render_a_cong_van(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "cv.docx").write_bytes(docgen.render("cong_van", cv()))
    assert cli(["import", "cong_van", "cv.docx", "-o", "cv.json", "--report"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].startswith("Kiểu đánh số (danh_so): 1. → 1.1. → a)")  # the công văn's default
    assert "0 trên 5 mục đánh số sẽ được in với số khác bản gốc" in out
    assert json.loads((tmp_path / "cv.json").read_text(encoding="utf-8")) == _as_written(cv())
    assert cli(["render", "cong_van", "cv.json", "-o", "lai.docx"]) == 0
    assert (tmp_path / "lai.docx").read_bytes() == (tmp_path / "cv.docx").read_bytes()


@pytest.mark.slow
@needs_soffice()
def test_the_pdf_text_imports_back_to_the_same_words(tmp_path):
    """The công văn printed to PDF, its text taken by pdftotext in each of its orders, imports back to the same
    data — the emphasis aside, which a PDF's text does not carry."""
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed; CI installs it")
    docx = tmp_path / "cv.docx"
    docx.write_bytes(docgen.render("cong_van", cv()))
    [result] = convert_many([docx], tmp_path, jobs=1)
    assert result.error is None
    for mode in ([], ["-raw"], ["-layout"]):
        text = tmp_path / f"cv{''.join(mode)}.txt"
        subprocess.run(["pdftotext", *mode, str(result.pdf), str(text)], check=True)
        imported = import_document("cong_van", text)
        assert _plain(imported.data) == _plain(_as_written(cv())), mode
        assert imported.problems == [], mode
