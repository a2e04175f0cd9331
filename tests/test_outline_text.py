"""Numbering schemes, inline markup and Vietnamese text helpers, each on its own."""

from __future__ import annotations

import copy

import pytest
from docx_read import Doc
from test_bad_input import MINIMAL

import docgen
from docgen import outline, richtext, vn


def _render_outline(items, **extra):
    d = copy.deepcopy(MINIMAL)
    d["noi_dung"] = items
    d.update(extra)
    return Doc(docgen.render("ke_hoach", d))


def _tree():
    return [
        {
            "tieu_de": "MỘT",
            "noi_dung": [
                {
                    "tieu_de": "Mục",
                    "noi_dung": [
                        {"tieu_de": "Con", "noi_dung": [{"tieu_de": f"Ý {i}"} for i in range(1, 7)]},
                        {"tieu_de": "Con hai"},
                    ],
                }
            ],
        },
        {"tieu_de": "HAI", "noi_dung": [{"doan": "Đoạn có số."}, {"gach": "gạch", "noi_dung": [{"gach": "cộng"}]}]},
    ]


def test_default_scheme_levels_and_vietnamese_letters():
    texts = _render_outline(_tree()).texts()
    for t in [
        "I. MỘT",
        "1. Mục",
        "1.1. Con",
        "a) Ý 1",
        "b) Ý 2",
        "d) Ý 4",
        "đ) Ý 5",
        "e) Ý 6",
        "1.2. Con hai",
        "II. HAI",
        "1. Đoạn có số.",
        "- gạch",
        "+ cộng",
    ]:
        assert t in texts, t


@pytest.mark.parametrize(
    "scheme,expected",
    [
        (["I-", "1.", "1.1.", "a."], ["I- MỘT", "1. Mục", "1.1. Con", "a. Ý 1", "II- HAI"]),
        (["A.", "I.", "1.", "a)"], ["A. MỘT", "I. Mục", "1. Con", "a) Ý 1", "B. HAI"]),
        (["I.", "1.", "1.1.", "1.1.1."], ["I. MỘT", "1. Mục", "1.1. Con", "1.1.1. Ý 1", "1.1.6. Ý 6"]),
        (["1.", "1.1.", "1.1.1.", "a)"], ["1. MỘT", "1.1. Mục", "1.1.1. Con", "a) Ý 1", "2. HAI"]),
        # styles of real plans with a prefix or another suffix
        (["I -", "A -", "1)", "(a)"], ["I - MỘT", "A - Mục", "1) Con", "(a) Ý 1", "(đ) Ý 5", "II - HAI"]),
        # articles run on through the parts: "Điều 2." is the first article of the second part
        (
            ["Phần I.", "Điều 1.", "1/", "a/"],
            ["Phần I. MỘT", "Điều 1. Mục", "1/ Con", "a/ Ý 1", "Phần II. HAI", "Điều 2. Đoạn có số."],
        ),
        (["I.", "1.", "Bước 1:", "(1)"], ["I. MỘT", "1. Mục", "Bước 1: Con", "(1) Ý 1", "(6) Ý 6", "Bước 2: Con hai"]),
        (["I.", "1.1", "1.1.1", "a."], ["I. MỘT", "1.1 Mục", "1.1.1 Con", "a. Ý 1", "II. HAI"]),
        (["I-", "1-", "a-", "(1)"], ["I- MỘT", "1- Mục", "a- Con", "(1) Ý 1"]),
    ],
)
def test_numbering_schemes(scheme, expected):
    texts = _render_outline(_tree(), danh_so=scheme).texts()
    for t in expected:
        assert t in texts, (t, scheme)


def test_an_item_that_names_its_level_skips_the_one_between():
    """I. → A. → 1.: the first part has its 1. items straight under I.; each level numbers on its own."""
    items = [
        {"tieu_de": "MỘT", "noi_dung": [{"tieu_de": "Mục", "cap": 3}, {"tieu_de": "Mục hai", "cap": 3}]},
        {
            "tieu_de": "HAI",
            "noi_dung": [
                {"tieu_de": "PHẦN", "noi_dung": [{"tieu_de": "Con", "noi_dung": [{"doan": "Đoạn.", "cap": 5}]}]},
                {"gach": "gạch thẳng cấp hai", "cap": 2},
            ],
        },
    ]
    doc = _render_outline(items, danh_so=["I.", "A.", "1.", "1.1.", "a."], dau_dong=["-", "+"])
    texts = doc.texts()
    for t in ["I. MỘT", "1. Mục", "2. Mục hai", "II. HAI", "A. PHẦN", "1. Con", "a. Đoạn.", "+ gạch thẳng cấp hai"]:
        assert t in texts, t
    assert doc.find("1. Mục").style == "DGMuc2"  # the style of its own level, not of the level it sits in


def test_a_named_level_must_be_deeper_and_exist():
    d = copy.deepcopy(MINIMAL)
    d["noi_dung"] = [{"tieu_de": "A", "noi_dung": [{"tieu_de": "B", "cap": 1}, {"tieu_de": "C", "cap": 9}]}]
    d["danh_so"] = ["I.", "1."]
    assert [(p.path, p.code) for p in docgen.validate("ke_hoach", d)] == [
        ("$.noi_dung[0].noi_dung[1].cap", "out_of_range"),  # the schema: at most 6 levels
        ("$.noi_dung[0].noi_dung[0].cap", "outline_level"),  # and, in the same run, the rules of the others
    ]
    d["noi_dung"][0]["noi_dung"][1]["cap"] = 3
    assert [(p.path, p.code) for p in docgen.validate("ke_hoach", d)] == [
        ("$.noi_dung[0].noi_dung[0].cap", "outline_level"),
        ("$.noi_dung[0].noi_dung[1]", "outline_too_deep"),
    ]


def test_scheme_formatting_follows_label_type(profile):
    doc = _render_outline(_tree(), danh_so=["A.", "I.", "1.", "a)"])
    assert doc.find("A. MỘT").style == "DGMuc1" and doc.find("I. Mục").style == "DGMuc1"
    assert doc.find("1. Con").style == "DGMuc2" and doc.find("a) Ý 1").style == "DGMuc4"
    assert doc.find("a) Ý 1").all("italic")


def test_too_deep_and_bad_schemes_are_problems():
    deep = [{"tieu_de": "1", "noi_dung": [{"tieu_de": "2", "noi_dung": [{"tieu_de": "3"}]}]}]
    d = copy.deepcopy(MINIMAL)
    d.update(noi_dung=deep, danh_so=["I.", "1."])
    assert [p.code for p in docgen.validate("ke_hoach", d)] == ["outline_too_deep"]
    d.update(danh_so=["1.1.", "a)"])
    assert [(p.path, p.code) for p in docgen.validate("ke_hoach", d)] == [("$.danh_so[0]", "numbering_scheme")]
    d.update(danh_so=["i."])
    assert [p.code for p in docgen.validate("ke_hoach", d)] == ["invalid_format"]


def test_cross_reference_to_later_item_and_duplicates():
    items = [
        {"tieu_de": "A", "noi_dung": ["Xem điểm [#sau] bên dưới."]},
        {"tieu_de": "B", "noi_dung": [{"tieu_de": "C", "ma": "sau"}]},
    ]
    assert "Xem điểm 1 bên dưới." in _render_outline(items).texts()
    items[0]["ma"] = "sau"
    d = copy.deepcopy(MINIMAL)
    d["noi_dung"] = items
    assert [p.code for p in docgen.validate("ke_hoach", d)] == ["xref_duplicate"]


@pytest.mark.parametrize(
    "text,typed",
    [
        ("1. Mục", "1."),
        ("2.3.1. x", "2.3.1."),
        ("a) x", "a)"),
        ("đ) x", "đ)"),
        ("IV. X", "IV."),
        ("- x", "-"),
        ("+ x", "+"),
        ("A. X", "A."),
        ("1.000 đảng viên", None),
        ("2025- 2030", None),
        ("(i) Công tác", None),
        ("Đ/c Trần", None),
        ("V.I. Lenin", None),
    ],
)
def test_typed_number_detection(text, typed):
    assert outline.typed_number(text) == typed


def test_roman_and_letters():
    assert [outline.roman(n) for n in (1, 4, 9, 14, 40, 90, 2025)] == ["I", "IV", "IX", "XIV", "XL", "XC", "MMXXV"]
    assert outline.letter(1) == "a" and outline.letter(5) == "đ" and outline.letter(23) == "y"
    assert outline.letter(24) == "aa"


def test_markup():
    tokens, problems = richtext.parse(r"a *b* **c** ***d*** \*e\* [^1] [#m] [x]")
    assert problems == []
    texts = [(t.text, t.bold, t.italic) for t in tokens if isinstance(t, richtext.Text)]
    assert ("b", False, True) in texts and ("c", True, False) in texts and ("d", True, True) in texts
    assert richtext.plain(r"a *b* \*e\* [^1] [x]") == "a b *e*  [x]"
    assert richtext.FootnoteRef("1") in tokens and richtext.CrossRef("m") in tokens
    assert [c for c, _ in richtext.parse("**open")[1]] == ["markup_unclosed"]
    assert [c for c, _ in richtext.parse("a ****")[1]] == ["markup_stars"]


@pytest.mark.parametrize(
    "raw,fixed",
    [
        ("hoá", "hóa"),
        ("HOÁ", "HÓA"),
        ("Đảng uỷ", "Đảng ủy"),
        ("thuỷ", "thủy"),
        ("khoẻ", "khỏe"),
        ("hoà", "hòa"),
        ("tuỳ", "tùy"),
        ("quý", "quý"),
        ("quỳnh", "quỳnh"),
        ("hoàng", "hoàng"),
        ("toán", "toán"),
        ("khuya", "khuya"),
        ("thuở", "thuở"),
        ("hóa", "hóa"),
        ("Thuý", "Thúy"),
    ],
)
def test_tone_placement(raw, fixed):
    assert vn.chuan_hoa(raw) == fixed


def test_dates_leading_zero_rule():
    assert vn.ngay_thang("2026-02-05") == "ngày 05 tháng 02 năm 2026"
    assert vn.ngay_thang("2025-11-27") == "ngày 27 tháng 11 năm 2025"
    assert vn.ngay_thang("2025-01-31") == "ngày 31 tháng 01 năm 2025"
    assert vn.ngay_thang("2025-03-09") == "ngày 09 tháng 3 năm 2025"
    assert vn.ngay_thang("2025-12-10") == "ngày 10 tháng 12 năm 2025"
    assert vn.dia_danh_ngay("Hồng Quang", "2025-11-27") == "Hồng Quang, ngày 27 tháng 11 năm 2025"


def test_number_without_value_leaves_room_to_write_by_hand():
    d = copy.deepcopy(MINIMAL)
    del d["ban_hanh"]["so"]
    doc = Doc(docgen.render("ke_hoach", d))
    left = [p.text for p in doc.table_cell(0, 0, 0)]
    assert left[-1] == "Số " + "\u00a0" * 6 + "-KH/ĐU"


def test_recipient_punctuation_is_normalised():
    d = copy.deepcopy(MINIMAL)
    d["noi_nhan"] = ["- Các chi bộ;", "Thường trực,", "– Lưu Văn phòng."]
    texts = Doc(docgen.render("ke_hoach", d)).texts()
    assert ["- Các chi bộ,", "- Thường trực,", "- Lưu Văn phòng."] == [t for t in texts if t.startswith("- ")]
