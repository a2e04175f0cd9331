"""Numbers in words, counts, percentages and Vietnamese name order (docgen.vn)."""

from __future__ import annotations

import random
import unicodedata
from decimal import Decimal

import pytest

from docgen.vn import doc_so, khoa_ten, phan_tram, sap_xep_ten, so_chu

# ---------------------------------------------------------------- doc_so

# Written out by hand by the official reading rule: every group after the leading one
# that is below 100 is read "không trăm [lẻ] ..."; groups equal to 0 are skipped.
DOC_SO = [
    (0, "không"),
    (1, "một"),
    (4, "bốn"),
    (5, "năm"),
    (10, "mười"),
    (11, "mười một"),
    (14, "mười bốn"),
    (15, "mười lăm"),
    (19, "mười chín"),
    (20, "hai mươi"),
    (21, "hai mươi mốt"),
    (24, "hai mươi bốn"),
    (25, "hai mươi lăm"),
    (30, "ba mươi"),
    (41, "bốn mươi mốt"),
    (44, "bốn mươi bốn"),
    (45, "bốn mươi lăm"),
    (55, "năm mươi lăm"),
    (100, "một trăm"),
    (101, "một trăm lẻ một"),
    (104, "một trăm lẻ bốn"),
    (105, "một trăm lẻ năm"),
    (110, "một trăm mười"),
    (111, "một trăm mười một"),
    (114, "một trăm mười bốn"),
    (115, "một trăm mười lăm"),
    (121, "một trăm hai mươi mốt"),
    (124, "một trăm hai mươi bốn"),
    (200, "hai trăm"),
    (999, "chín trăm chín mươi chín"),
    (1000, "một nghìn"),
    (1001, "một nghìn không trăm lẻ một"),
    (1005, "một nghìn không trăm lẻ năm"),
    (1010, "một nghìn không trăm mười"),
    (1015, "một nghìn không trăm mười lăm"),
    (1021, "một nghìn không trăm hai mươi mốt"),
    (1024, "một nghìn không trăm hai mươi bốn"),
    (1100, "một nghìn một trăm"),
    (1105, "một nghìn một trăm lẻ năm"),
    (2025, "hai nghìn không trăm hai mươi lăm"),
    (10000, "mười nghìn"),
    (10500, "mười nghìn năm trăm"),
    (14000, "mười bốn nghìn"),
    (21005, "hai mươi mốt nghìn không trăm lẻ năm"),
    (100000, "một trăm nghìn"),
    (105000, "một trăm lẻ năm nghìn"),
    (1000000, "một triệu"),
    (1000001, "một triệu không trăm lẻ một"),
    (1000100, "một triệu một trăm"),
    (1005000, "một triệu không trăm lẻ năm nghìn"),
    (1024000, "một triệu không trăm hai mươi bốn nghìn"),
    (1024024, "một triệu không trăm hai mươi bốn nghìn không trăm hai mươi bốn"),
    (21000000, "hai mươi mốt triệu"),
    (
        999999999,
        "chín trăm chín mươi chín triệu chín trăm chín mươi chín nghìn chín trăm chín mươi chín",
    ),
]


@pytest.mark.parametrize(("n", "words"), DOC_SO)
def test_doc_so(n, words):
    assert doc_so(n) == words


@pytest.mark.parametrize("n", [-1, 10**9])
def test_doc_so_out_of_range(n):
    with pytest.raises(ValueError):
        doc_so(n)


# ---------------------------------------------------------------- so_chu


@pytest.mark.parametrize(
    ("n", "text"),
    [
        (25, "25 (hai mươi lăm)"),
        (3, "03 (ba)"),
        (0, "0 (không)"),
        (100, "100 (một trăm)"),
        (10, "10 (mười)"),
    ],
)
def test_so_chu(n, text):
    assert so_chu(n) == text


# ---------------------------------------------------------------- phan_tram


@pytest.mark.parametrize(
    ("part", "whole", "text"),
    [
        (41, 200, "20,5%"),
        (1, 8, "12,5%"),  # 12.5 exactly: one decimal, no rounding
        (1, 16, "6,3%"),  # 6.25 → half up, not banker's 6.2
        (0, 7, "0,0%"),
        (3, 0, "0,0%"),
        (7, 7, "100,0%"),
        (2, 3, "66,7%"),
        (1, 3, "33,3%"),
        (1, 6, "16,7%"),
        (1, 2000, "0,1%"),  # 0.05 → 0.1
        (1, 20000, "0,0%"),  # 0.005 → 0.0
        (-1, 20000, "0,0%"),  # never "-0,0%"
        (0.5, 8, "6,3%"),
        (Decimal("20.5"), 100, "20,5%"),
    ],
)
def test_phan_tram(part, whole, text):
    assert phan_tram(part, whole) == text


# ---------------------------------------------------------------- name order

# Expected order written by hand. ICU's Vietnamese collation (ICU 77):
# - letters: a < ă < â, d < đ, o < ô < ơ, u < ư; "ch", "ng", "nh" are NOT separate
#   letters (Chi < Cường, Nam < Ngọc < Nhung by plain letter order);
# - tones are a secondary difference, in the traditional order
#   ngang < huyền < hỏi < ngã < sắc < nặng, so they only decide between names
#   whose letters are otherwise equal (Dung < Dũng, Hoa < Hòa, An < Anh < Ánh);
# - the given name decides first; ties go to the family name, then the middle names
#   (a missing middle name comes first: "Nguyễn" < "Nguyễn Thị" < "Nguyễn Văn").
EXPECTED_ORDER = [
    "Đỗ Minh An",
    "Lê Thị An",
    "Nguyễn Văn An",
    "Trần Thị Anh",
    "Phạm Thị Ánh",
    "Lê Văn Ân",
    "Hoàng Văn Bắc",
    "Trần Văn Bình",
    "Vũ Thị Bình",
    "Đặng Thị Chi",
    "Bùi Mạnh Cường",
    "Nguyễn Thị Dung",
    "Phan Văn Dũng",
    "Lê Khánh Duy",
    "Hồ Thị Thùy Dương",
    "Ngô Thị Đào",
    "Trịnh Tiến Đạt",
    "Nguyễn Minh Đức",
    "Đinh Thị Giang",
    "Nguyễn Thu Hà",
    "Trần Văn Hải",
    "Phạm Thị Hạnh",
    "Lê Thị Hằng",
    "Lê Thị Hoa",
    "Nguyễn Thị Hoa",
    "Đỗ Thị Hòa",
    "Phạm Văn Hùng",
    "Dương Thị Hương",
    "Lý Quốc Khánh",
    "Võ Thị Lan",
    "Vũ Thị Lan",
    "Nguyễn Minh",
    "Nguyễn Thị Minh",
    "Nguyễn Văn Minh",
    "Trần Hải Nam",
    "Bùi Thị Ngọc",
    "Cao Thị Nhung",
    "Đoàn Văn Quang",
    "Hà Minh Quân",
    "Mai Thị Yến",
]


def _shuffled(names):
    names = list(names)
    random.Random(7).shuffle(names)
    return names


def test_name_list_is_forty_distinct_names():
    assert len(EXPECTED_ORDER) == 40
    assert len(set(EXPECTED_ORDER)) == 40


def test_sap_xep_ten():
    shuffled = _shuffled(EXPECTED_ORDER)
    assert shuffled != EXPECTED_ORDER
    assert sap_xep_ten(shuffled) == EXPECTED_ORDER


def test_sap_xep_ten_key_points():
    order = sap_xep_ten(_shuffled(EXPECTED_ORDER))
    pos = {name.split()[-1]: i for i, name in enumerate(order)}  # last person with that given name
    # đ after d: every D name before every Đ name
    assert max(pos["Dung"], pos["Dũng"], pos["Duy"], pos["Dương"]) < min(pos["Đào"], pos["Đạt"], pos["Đức"])
    # a < ă < â, and tone only breaks ties of the letters
    assert pos["An"] < pos["Anh"] < pos["Ánh"] < pos["Ân"]
    assert pos["Hạnh"] < pos["Hằng"] < pos["Hoa"] < pos["Hòa"]
    # same given name: family, then middle names
    assert order[:3] == ["Đỗ Minh An", "Lê Thị An", "Nguyễn Văn An"]
    assert order.index("Võ Thị Lan") < order.index("Vũ Thị Lan")


def test_tone_order_is_traditional():
    # ngang, huyền, hỏi, ngã, sắc, nặng
    assert sap_xep_ten(["ạ", "á", "ã", "ả", "à", "a"]) == ["a", "à", "ả", "ã", "á", "ạ"]


def test_nfd_input_sorts_like_nfc():
    nfd = [unicodedata.normalize("NFD", n) for n in _shuffled(EXPECTED_ORDER)]
    assert any(n not in EXPECTED_ORDER for n in nfd)  # the input really is decomposed
    result = sap_xep_ten(nfd)
    assert [unicodedata.normalize("NFC", n) for n in result] == EXPECTED_ORDER
    assert set(result) == set(nfd)  # returns the input strings themselves
    for name in EXPECTED_ORDER:
        assert khoa_ten(unicodedata.normalize("NFD", name)) == khoa_ten(name)


def test_khoa_ten_normalises():
    assert khoa_ten("  Nguyễn   Văn\tAn ") == khoa_ten("Nguyễn Văn An")
    assert khoa_ten("Đỗ Thị Hoà") == khoa_ten("Đỗ Thị Hòa")  # tone placement of "oa"
    assert khoa_ten("Hồ Thị Thuỳ Dương") == khoa_ten("Hồ Thị Thùy Dương")


def test_sap_xep_ten_is_stable():
    nfc = "Nguyễn Văn An"
    nfd = unicodedata.normalize("NFD", nfc)
    assert sap_xep_ten([nfd, "Lê Thị An", nfc]) == ["Lê Thị An", nfd, nfc]
    assert sap_xep_ten([nfc, "Lê Thị An", nfd]) == ["Lê Thị An", nfc, nfd]
