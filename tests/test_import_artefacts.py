"""What copies of real plans carry besides the words: converter artefacts, the forms headers and signature
blocks take, footnotes as a PDF's text gives them — each recognised, none reaching the data as text."""

from __future__ import annotations

import copy
import json

import pytest
from test_bad_input import MINIMAL

import docgen
from docgen import cli
from docgen.importer import import_document

TITLE = "KẾ HOẠCH\nkiểm điểm, đánh giá, xếp loại chất lượng năm 2024\n-----\n"
HEADER = "ĐẢNG BỘ TỈNH BÌNH ĐỊNH\nĐẢNG ỦY XÃ NHƠN AN\n*\nSố 12-KH/ĐU\nĐẢNG CỘNG SẢN VIỆT NAM\n"
HEADER += "Nhơn An, ngày 18 tháng 11 năm 2024\n"
BODY = "I. MỤC ĐÍCH\n1. Đánh giá đúng chất lượng tổ chức đảng, đảng viên.\n2. Làm cơ sở để khen thưởng.\n"
TAIL = "Nơi nhận:\n- Các chi bộ,\n- Lưu Văn phòng.\nT/M ĐẢNG ỦY\nBÍ THƯ\nLê Văn An\n"


def _import(tmp_path, text: str, name: str = "plan.txt"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return import_document("ke_hoach", path)


def _all_text(data) -> str:
    return json.dumps(data, ensure_ascii=False)


# ---------------------------------------------------------------- converter artefacts


def test_bold_marks_of_a_converter_never_reach_headings_or_the_signature(tmp_path):
    """A Markdown converter's "**" around headings, and around a signature block of two lines (the marks cut
    by the line break), are emphasis of the copy; bold inside running text is kept as emphasis."""
    text = "**ĐẢNG BỘ TỈNH BÌNH ĐỊNH**\n**ĐẢNG ỦY XÃ NHƠN AN**\n*\nSố 12-KH/ĐU\n**ĐẢNG CỘNG SẢN VIỆT NAM**\n"
    text += "*Nhơn An, ngày 18 tháng 11 năm 2024*\n**KẾ HOẠCH**\n**kiểm điểm năm 2024**\n-----\n"
    text += "**I. MỤC ĐÍCH**\n**1. Đánh giá**\nĐánh giá **đúng thực chất** kết quả thực hiện nhiệm vụ.\n"
    text += "Nơi nhận:\n- Lưu Văn phòng.\n**T/M BAN THƯỜNG VỤ\nPHÓ BÍ THƯ**\n(Đã ký)\n**Nguyễn Thanh Sơn**\n"
    imported = _import(tmp_path, text)
    data = imported.data
    assert data["nguoi_ky"] == {
        "tham_quyen": "T/M Ban Thường vụ",
        "chuc_vu": "Phó Bí thư",
        "ho_ten": "Nguyễn Thanh Sơn",
        "da_ky": True,
    }
    assert data["trich_yeu"] == "kiểm điểm năm 2024"
    assert data["noi_dung"] == [
        {
            "tieu_de": "MỤC ĐÍCH",
            "noi_dung": [
                {"tieu_de": "Đánh giá", "noi_dung": ["Đánh giá **đúng thực chất** kết quả thực hiện nhiệm vụ."]}
            ],
        }
    ]
    assert data["ban_hanh"]["co_quan_ban_hanh"] == "Đảng ủy xã Nhơn An" and data["ban_hanh"]["dia_danh"] == "Nhơn An"
    assert imported.problems == []
    assert docgen.validate("ke_hoach", data) == []  # no literal-markup warning either


def test_bookmarks_and_pandoc_anchors_are_removed(tmp_path):
    text = HEADER + "[bookmark: _Toc183012455]KẾ HOẠCH\nkiểm điểm năm 2024\n-----\n"
    text += "I. MỤC ĐÍCH[bookmark: _GoBack]\n[]{#_Toc1 .anchor}1. Đánh giá đúng [chất lượng]{.underline} đảng viên.\n"
    data = _import(tmp_path, text + TAIL).data
    assert data["noi_dung"] == [{"tieu_de": "MỤC ĐÍCH", "noi_dung": [{"doan": "Đánh giá đúng chất lượng đảng viên."}]}]
    assert "bookmark" not in _all_text(data) and ".anchor" not in _all_text(data) and "underline" not in _all_text(data)


def test_poi_footnote_tags_become_footnotes(tmp_path):
    """Apache POI and Tika write a footnote mark as "[footnoteRef:N]" and the note after its paragraph as
    "[N: …]", over several lines when the note has several paragraphs."""
    text = HEADER + TITLE + "I. MỤC ĐÍCH\n1. Đánh giá đúng chất lượng[footnoteRef:2] và xếp loại[endnoteRef:3].\n"
    text += " [2: Theo Quy định số 366-QĐ/TW.] [3: Xem hướng dẫn\nkèm theo.]\n2. Làm cơ sở khen thưởng.\n" + TAIL
    data = _import(tmp_path, text).data
    assert data["noi_dung"][0]["noi_dung"][0] == {"doan": "Đánh giá đúng chất lượng[^2] và xếp loại[^3]."}
    assert data["chu_thich"] == {"2": "Theo Quy định số 366-QĐ/TW.", "3": "Xem hướng dẫn kèm theo."}
    assert "footnoteRef" not in _all_text(data)


def test_mammoth_footnotes_become_footnotes(tmp_path):
    text = HEADER + TITLE + "I. MỤC ĐÍCH\nĐánh giá đúng chất lượng[[1]](#footnote-1) của đảng viên.\n" + TAIL
    text += "\n1. Theo Quy định số 366-QĐ/TW. [↑](#footnote-ref-1)\n"
    data = _import(tmp_path, text).data
    assert data["noi_dung"][0]["noi_dung"] == ["Đánh giá đúng chất lượng[^1] của đảng viên."]
    assert data["chu_thich"] == {"1": "Theo Quy định số 366-QĐ/TW."}


@pytest.mark.parametrize("order", ["number before the note", "first number after the notes"])
def test_footnotes_at_the_page_foot_of_a_pdf_copy(tmp_path, order):
    """pdftotext: the mark a digit glued to its word, the note at the page foot under its number; without
    options the first note's number comes after the last note."""
    page1 = HEADER + TITLE + "I. MỤC ĐÍCH\n1. Đánh giá đúng chất lượng tổ chức đảng, đảng viên theo quy định\n"
    page1 += "của Trung ương1 và hướng dẫn của cấp trên2.\n"
    if order == "number before the note":
        page1 += "1\nTheo Quy định số 366-QĐ/TW của Bộ Chính trị.\n2\nHướng dẫn của Ban Tổ chức Tỉnh ủy.\n"
    else:
        page1 += "Theo Quy định số 366-QĐ/TW của Bộ Chính trị.\n2\nHướng dẫn của Ban Tổ chức Tỉnh ủy.\n1\n"
    page2 = "2\n2. Làm cơ sở để khen thưởng.\n" + TAIL
    data = _import(tmp_path, page1 + "\f" + page2).data
    assert data["noi_dung"][0]["noi_dung"] == [
        {
            "doan": "Đánh giá đúng chất lượng tổ chức đảng, đảng viên theo quy định của Trung ương[^1] và hướng "
            "dẫn của cấp trên[^2]."
        },
        {"doan": "Làm cơ sở để khen thưởng."},
    ]
    assert data["chu_thich"] == {
        "1": "Theo Quy định số 366-QĐ/TW của Bộ Chính trị.",
        "2": "Hướng dẫn của Ban Tổ chức Tỉnh ủy.",
    }


def test_footnote_in_a_copy_without_page_breaks(tmp_path):
    """A copy from a PDF viewer has no form feeds: the note ends with its sentence and the text goes on."""
    text = HEADER + TITLE + "I. MỤC ĐÍCH\n1. Đánh giá đúng chất lượng tổ chức đảng, đảng viên theo quy định\n"
    text += "của Trung ương1 và hướng dẫn của cấp trên.\n1\nTheo Quy định số 366-QĐ/TW của Bộ\nChính trị.\n"
    text += "2\n2. Làm cơ sở để khen thưởng.\n" + TAIL
    imported = _import(tmp_path, text)
    assert imported.data["chu_thich"] == {"1": "Theo Quy định số 366-QĐ/TW của Bộ Chính trị."}
    assert imported.data["noi_dung"][0]["noi_dung"][1] == {"doan": "Làm cơ sở để khen thưởng."}
    assert imported.problems == []  # the page number "2" is dropped in silence


def test_page_numbers_out_of_sequence_are_named(tmp_path):
    text = HEADER + TITLE + "I. MỤC ĐÍCH\n1. Đánh giá đúng chất lượng.\n7\n2. Làm cơ sở khen thưởng.\n3\n" + TAIL
    imported = _import(tmp_path, text)
    [warning] = imported.problems
    assert warning.code == "page_numbers" and warning.message.endswith("sao chép từ PDF): dòng 12, dòng 14.")


def test_markdown_from_a_converter(tmp_path):
    """Escapes ("1\\.", "\\-"), headings ("## "), the header and the signature as table rows with <br>."""
    text = (
        "| ĐẢNG BỘ TỈNH BÌNH ĐỊNH<br>**ĐẢNG ỦY XÃ NHƠN AN**<br>\\*<br>Số 12-KH/ĐU | **ĐẢNG CỘNG SẢN VIỆT NAM**<br>"
        "*Nhơn An, ngày 18 tháng 11 năm 2024* |\n| --- | --- |\n\n**KẾ HOẠCH**\n\n**kiểm điểm năm 2024**\n\n"
        "## I\\. MỤC ĐÍCH\n\n1\\. Đánh giá đúng chất lượng.\n\n\\- Gạch một\\.\n\n"
        "| Nơi nhận:<br>- Các chi bộ,<br>- Lưu Văn phòng. | **T/M ĐẢNG ỦY**<br>**BÍ THƯ**<br><br>**Lê Văn An** |\n"
        "| --- | --- |\n"
    )
    data = _import(tmp_path, text, "plan.md").data
    assert data["ban_hanh"] == {
        "cap_tren": "Đảng bộ tỉnh Bình Định",
        "co_quan_ban_hanh": "Đảng ủy xã Nhơn An",
        "so": 12,
        "ky_hieu": "KH/ĐU",
        "dia_danh": "Nhơn An",
        "ngay_ban_hanh": "2024-11-18",
    }
    assert data["noi_dung"] == [
        {
            "tieu_de": "MỤC ĐÍCH",
            "noi_dung": [{"doan": "Đánh giá đúng chất lượng.", "noi_dung": [{"gach": "Gạch một."}]}],
        }
    ]
    assert data["nguoi_ky"]["ho_ten"] == "Lê Văn An" and data["noi_nhan"] == ["Các chi bộ", "Lưu Văn phòng"]


def test_rule_glued_to_the_first_paragraph_ligatures_and_hyphens(tmp_path):
    """pdftotext prints the rule under the trích yếu at the start of the next line; a PDF may keep ligatures
    and the non-breaking hyphen."""
    text = HEADER + "KẾ HOẠCH\nkiểm điểm năm 2024\n-----Căn cứ Quy định số 366\u2011QĐ/TW của Bộ Chính trị;\n"
    text += "Đảng ủy xã xây dựng kế hoạch như sau:\nI. MỤC ĐÍCH\n1. Đánh giá ﬁnal đúng chất lượng.\n" + TAIL
    data = _import(tmp_path, text).data
    assert data["can_cu"] == ["Căn cứ Quy định số 366-QĐ/TW của Bộ Chính trị"]
    assert data["noi_dung"][0]["noi_dung"][0] == {"doan": "Đánh giá final đúng chất lượng."}


def test_columns_side_by_side_as_pdftotext_layout_prints_them(tmp_path):
    text = (
        "  ĐẢNG BỘ TỈNH BÌNH ĐỊNH                         ĐẢNG CỘNG SẢN VIỆT NAM\n"
        "   ĐẢNG ỦY XÃ NHƠN AN\n"
        "                                              Nhơn An, ngày 18 tháng 11 năm 2024\n"
        "           *\n"
        "      Số 12-KH/ĐU\n\n"
        "                                   KẾ HOẠCH\n"
        "                           kiểm điểm năm 2024\n\n" + BODY + "\n"
        "Nơi nhận:                                              T/M ĐẢNG ỦY\n"
        "- Các chi bộ,                                            BÍ THƯ\n"
        "- Lưu Văn phòng.\n\n"
        "                                                       Lê Văn An\n"
    )
    data = _import(tmp_path, text).data
    assert data["ban_hanh"] == {
        "cap_tren": "Đảng bộ tỉnh Bình Định",
        "co_quan_ban_hanh": "Đảng ủy xã Nhơn An",
        "so": 12,
        "ky_hieu": "KH/ĐU",
        "dia_danh": "Nhơn An",
        "ngay_ban_hanh": "2024-11-18",
    }
    assert data["nguoi_ky"] == {"tham_quyen": "T/M Đảng ủy", "chuc_vu": "Bí thư", "ho_ten": "Lê Văn An", "da_ky": False}
    assert data["noi_nhan"] == ["Các chi bộ", "Lưu Văn phòng"]


# ---------------------------------------------------------------- header variants


@pytest.mark.parametrize(
    "issuer, cap_tren, co_quan",
    [
        ("CHI BỘ THÔN 3\n", None, "Chi bộ thôn 3"),
        ("ĐẢNG BỘ TỈNH BÌNH ĐỊNH\nĐẢNG ỦY XÃ NHƠN AN\n", "Đảng bộ tỉnh Bình Định", "Đảng ủy xã Nhơn An"),
        (
            "ĐẢNG BỘ TỈNH BẮC NINH\nĐẢNG ỦY KHỐI CÁC CƠ QUAN\nVÀ DOANH NGHIỆP TỈNH\n",
            "Đảng bộ tỉnh Bắc Ninh",
            "Đảng ủy Khối các cơ quan và doanh nghiệp tỉnh",
        ),
        ("ĐẢNG BỘ TỈNH BÌNH ĐỊNH\nTHỊ ỦY AN NHƠN\nBAN TỔ CHỨC\n", "Thị ủy An Nhơn", "Ban Tổ chức"),
    ],
    ids=["1 line", "2 lines", "3 lines, a name broken", "3 names"],
)
def test_issuer_blocks_of_one_to_four_lines(tmp_path, issuer, cap_tren, co_quan):
    imported = _import(tmp_path, issuer + "*\nSố 12-KH/ĐU\nNhơn An, ngày 18 tháng 11 năm 2024\n" + TITLE + BODY + TAIL)
    ban_hanh = imported.data["ban_hanh"]
    assert (ban_hanh.get("cap_tren"), ban_hanh["co_quan_ban_hanh"]) == (cap_tren, co_quan)
    codes = [p.code for p in imported.problems]
    assert codes == (["header_names"] if issuer.count("\n") == 3 and "VÀ" not in issuer else [])


@pytest.mark.parametrize(
    "number, so, ky_hieu",
    [
        ("Số: 16 -\nKH/BTCTW", 16, "KH/BTCTW"),
        ("Số 58-KH/ ĐUHVCSPT", 58, "KH/ĐUHVCSPT"),
        ("Số 7\u2011KH/ĐUK", 7, "KH/ĐUK"),
        ("Số 02 – KH/CB", 2, "KH/CB"),
        ("Số:     -KH/ĐU", None, "KH/ĐU"),
    ],
    ids=["split over two lines", "space after the slash", "non-breaking hyphen", "en dash", "no number yet"],
)
def test_numbers_in_their_real_forms(tmp_path, number, so, ky_hieu):
    text = f"ĐẢNG ỦY XÃ NHƠN AN\n*\n{number}\nNhơn An, ngày 18 tháng 11 năm 2024\n" + TITLE + BODY + TAIL
    imported = _import(tmp_path, text)
    assert (imported.data["ban_hanh"].get("so"), imported.data["ban_hanh"]["ky_hieu"]) == (so, ky_hieu)
    assert imported.problems == []


@pytest.mark.parametrize("date", ["Nhơn An, ngày 18 tháng 11 năm 2024", "Nhơn An ngày 18 tháng 11 năm 2024"])
@pytest.mark.parametrize("party_first", [True, False])
def test_date_with_or_without_comma_party_name_before_or_after(tmp_path, date, party_first):
    party = "ĐẢNG CỘNG SẢN VIỆT NAM\n"
    header = (party if party_first else "") + "ĐẢNG ỦY XÃ NHƠN AN\n*\nSố 12-KH/ĐU\n" + ("" if party_first else party)
    imported = _import(tmp_path, header + date + "\n" + TITLE + BODY + TAIL)
    assert imported.data["ban_hanh"] == {
        "co_quan_ban_hanh": "Đảng ủy xã Nhơn An",
        "so": 12,
        "ky_hieu": "KH/ĐU",
        "dia_danh": "Nhơn An",
        "ngay_ban_hanh": "2024-11-18",
    }
    assert imported.problems == []


def test_no_header_at_all_one_warning_and_render_names_what_to_fill_in(tmp_path, capsys, monkeypatch):
    """Many copies start at the title: ban_hanh is left empty, one warning says so, and render names every
    field to fill in with what it is."""
    imported = _import(tmp_path, TITLE + BODY + TAIL)
    assert imported.data["ban_hanh"] == {}
    [warning] = imported.problems
    assert (warning.code, warning.path, warning.severity) == ("header_missing", "$.ban_hanh", "warning")
    assert all(f in warning.message for f in ("co_quan_ban_hanh", "ky_hieu", "dia_danh", "ngay_ban_hanh"))

    monkeypatch.chdir(tmp_path)
    (tmp_path / "kh.json").write_text(json.dumps(imported.data, ensure_ascii=False), encoding="utf-8")
    assert cli.main(["render", "ke_hoach", "kh.json"]) == 1
    err = capsys.readouterr().err
    assert "Dữ liệu có 4 lỗi; chưa tạo văn bản nào:" in err
    assert (
        "Mục Ban hành › Ký hiệu: Thiếu trường bắt buộc “ky_hieu”. Cần điền: Ký "
        'hiệu văn bản: chữ viết tắt tên loại và cơ quan ban hành, ví dụ "KH/ĐU".\n' in err
    )
    assert "Mục Ban hành › Ngày ban hành: Thiếu trường bắt buộc “ngay_ban_hanh”. Cần điền: " in err
    assert not (tmp_path / "kh.docx").exists()


# ---------------------------------------------------------------- signature blocks


@pytest.mark.parametrize(
    "block, nguoi_ky, codes",
    [
        (
            "T/M BAN THƯỜNG VỤ\nPHÓ BÍ THƯ\nTHƯỜNG TRỰC\n(Đã ký)\nTrần Nhật Lộc",
            {"tham_quyen": "T/M Ban Thường vụ", "chuc_vu": "Phó Bí thư Thường trực", "ho_ten": "Trần Nhật Lộc"},
            [],
        ),
        (
            "T/M BAN THƯỜNG VỤ PHÓ BÍ THƯ\nTRẦN NHẬT LỘC",
            {"tham_quyen": "T/M Ban Thường vụ", "chuc_vu": "Phó Bí thư", "ho_ten": "Trần Nhật Lộc"},
            [],
        ),
        (
            "K/T BÍ THƯ\nPHÓ BÍ THƯ\n(Ký, đóng dấu)\nNguyễn Văn Hùng",
            {"tham_quyen": "K/T Bí thư", "chuc_vu": "Phó Bí thư", "ho_ten": "Nguyễn Văn Hùng"},
            [],
        ),
        (
            "T/L BAN THƯỜNG VỤ\nCHÁNH VĂN PHÒNG\nĐinh Thị Thu",
            {"tham_quyen": "T/L Ban Thường vụ", "chuc_vu": "Chánh Văn phòng", "ho_ten": "Đinh Thị Thu"},
            [],
        ),
        ("Q. BÍ THƯ\nLê Văn Tâm", {"chuc_vu": "Q. Bí thư", "ho_ten": "Lê Văn Tâm"}, []),
        (
            "KT. BÍ THƯ\nPHÓ BÍ THƯ\nĐã kí\nPhạm Văn Bình",
            {"tham_quyen": "K/T Bí thư", "chuc_vu": "Phó Bí thư", "ho_ten": "Phạm Văn Bình"},
            ["authority_form"],
        ),
    ],
    ids=["T/M, title on two lines", "title on the authority's line, name in capitals", "K/T", "T/L", "Q.", "KT."],
)
def test_signature_blocks(tmp_path, block, nguoi_ky, codes):
    imported = _import(tmp_path, HEADER + TITLE + BODY + "Nơi nhận:\n- Lưu Văn phòng.\n" + block + "\n")
    got = imported.data["nguoi_ky"]
    assert {k: v for k, v in got.items() if k != "da_ky"} == nguoi_ky
    assert got["da_ky"] == ("Đã k" in block)
    assert [p.code for p in imported.problems] == codes


def test_recipients_broken_over_lines(tmp_path):
    text = HEADER + TITLE + BODY + "Nơi nhận:\n- Ban Tổ chức Tỉnh ủy (để\nbáo cáo),\n- Các chi bộ trực thuộc,\n"
    text += "- Lưu Văn phòng Đảng ủy.\nT/M ĐẢNG ỦY\nBÍ THƯ\nLê Văn An\n"
    data = _import(tmp_path, text).data
    assert data["noi_nhan"] == ["Ban Tổ chức Tỉnh ủy (để báo cáo)", "Các chi bộ trực thuộc", "Lưu Văn phòng Đảng ủy"]


# ---------------------------------------------------------------- data with literal markup: a validation warning


def test_literal_markup_in_a_signature_or_heading_is_a_warning(tmp_path, capsys, monkeypatch):
    data = copy.deepcopy(MINIMAL)
    data["nguoi_ky"]["chuc_vu"] = "**PHÓ BÍ THƯ**"
    data["noi_dung"] = [{"tieu_de": "MỤC ĐÍCH [bookmark: _Toc12]"}]
    problems = docgen.validate("ke_hoach", data)
    assert [(p.path, p.code, p.severity) for p in problems] == [
        ("$.nguoi_ky.chuc_vu", "literal_markup", "warning"),
        ("$.noi_dung[0].tieu_de", "literal_markup", "warning"),
    ]
    assert "“**”" in problems[0].message and "“[bookmark: _Toc12]”" in problems[1].message
    assert docgen.render("ke_hoach", data)  # a warning does not stop the document

    monkeypatch.chdir(tmp_path)
    (tmp_path / "kh.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert cli.main(["validate", "ke_hoach", "kh.json"]) == 0
    err = capsys.readouterr().err
    assert (
        "2 cảnh báo (văn bản vẫn được tạo; đề nghị kiểm tra lại):" in err
        and "  ! Mục Người ký › Chức vụ: “**PHÓ BÍ THƯ**”" in err
    )
    assert cli.main(["render", "ke_hoach", "kh.json"]) == 0 and (tmp_path / "kh.docx").is_file()
    err = capsys.readouterr().err
    assert "2 cảnh báo" in err and "“**PHÓ BÍ THƯ**”" in err and "[literal_markup]" not in err


def test_a_pdf_viewer_copy_that_puts_both_columns_on_one_line(tmp_path):
    """Copying from a PDF viewer joins what stands on one printed line: the two header columns, the
    recipients and the signature beside them; a note's number and its first line."""
    text = (
        "ĐẢNG BỘ TỈNH BÌNH ĐỊNH ĐẢNG CỘNG SẢN VIỆT NAM\nĐẢNG ỦY XÃ NHƠN AN\n* Nhơn An, ngày 18 tháng 11 năm 2024\n"
        "Số 12-KH/ĐU\n" + TITLE + "I. MỤC ĐÍCH\n1. Đánh giá đúng chất lượng tổ chức đảng, đảng viên theo quy "
        "định của Trung ương1 và\nhướng dẫn của cấp trên.\n1 Theo Quy định số 366-QĐ/TW của Bộ Chính trị.\n"
        "2. Làm cơ sở khen thưởng.\nNơi nhận: T/M ĐẢNG ỦY\n- Các chi bộ, BÍ THƯ\n- Lưu Văn phòng.\nLê Văn An\n"
    )
    imported = _import(tmp_path, text)
    data = imported.data
    assert data["ban_hanh"] == {
        "cap_tren": "Đảng bộ tỉnh Bình Định",
        "co_quan_ban_hanh": "Đảng ủy xã Nhơn An",
        "so": 12,
        "ky_hieu": "KH/ĐU",
        "dia_danh": "Nhơn An",
        "ngay_ban_hanh": "2024-11-18",
    }
    assert data["chu_thich"] == {"1": "Theo Quy định số 366-QĐ/TW của Bộ Chính trị."}
    assert data["noi_dung"][0]["noi_dung"][0]["doan"].endswith("của Trung ương[^1] và hướng dẫn của cấp trên.")
    assert data["nguoi_ky"] == {"tham_quyen": "T/M Đảng ủy", "chuc_vu": "Bí thư", "ho_ten": "Lê Văn An", "da_ky": False}
    assert data["noi_nhan"] == ["Các chi bộ", "Lưu Văn phòng"]
    assert imported.problems == []


def test_notes_of_the_last_page_after_the_signature(tmp_path):
    text = HEADER + TITLE + "I. MỤC ĐÍCH\n1. Đánh giá đúng chất lượng¹ của đảng viên.\n" + TAIL
    text += "¹ Theo Quy định số 366-QĐ/TW của Bộ\nChính trị và hướng dẫn của cấp trên.\n"
    imported = _import(tmp_path, text)
    assert imported.data["chu_thich"] == {"1": "Theo Quy định số 366-QĐ/TW của Bộ Chính trị và hướng dẫn của cấp trên."}
    assert imported.data["nguoi_ky"]["ho_ten"] == "Lê Văn An" and imported.problems == []
