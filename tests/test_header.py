"""The document header as a value: every way docgen writes a document's number, place and date."""

from __future__ import annotations

import datetime as dt
import json
import subprocess

import docgen
from docgen.header import DocumentHeader, slug
from docgen.paths import SAMPLES_DIR
from docx_read import Doc

PLAN = DocumentHeader(
    issuer="Ban Thường vụ Đảng ủy phường Hồng Quang",
    ky_hieu="KH/ĐU",
    number=5,
    place="Hồng Quang",
    date=dt.date(2025, 11, 27),
    superior="Đảng bộ tỉnh Thái Nguyên",
)


def test_number_line_symbol_and_manifest_number():
    assert PLAN.so_ky_hieu == "Số 05-KH/ĐU"
    assert PLAN.symbol == "05-KH/ĐU"
    assert PLAN.number_text == "05" and PLAN.code == "KH"
    big = DocumentHeader(ky_hieu="QĐ/ĐU", number=123)
    assert (big.so_ky_hieu, big.number_text) == ("Số 123-QĐ/ĐU", "123")


def test_no_number_leaves_room_to_write_it_by_hand():
    blank = DocumentHeader(ky_hieu="KH/ĐU")
    assert blank.so_ky_hieu == "Số \u00a0\u00a0\u00a0\u00a0\u00a0\u00a0-KH/ĐU"
    assert blank.number_text == ""  # the manifest's column stays empty


def test_citations_short_and_long():
    cited = DocumentHeader.cited({"so": 5, "ky_hieu": "TTr/CB", "ngay": "2025-12-05", "co_quan": "Chi ủy Chi bộ 1"})
    assert cited.citation("Tờ trình") == "Tờ trình số 05-TTr/CB, ngày 05/12/2025 của Chi ủy Chi bộ 1"
    assert PLAN.citation("Kế hoạch", long_date=True, by="Ban Thường vụ") == (
        "Kế hoạch số 05-KH/ĐU, ngày 27 tháng 11 năm 2025 của Ban Thường vụ"
    )


def test_place_and_date():
    assert PLAN.place_date == "Hồng Quang, ngày 27 tháng 11 năm 2025"
    assert PLAN.place_date_lines() == ["Hồng Quang,", "ngày 27 tháng 11 năm 2025"]
    by_hand = DocumentHeader(place="Hồng Quang", year=2025)
    assert by_hand.place_date == "Hồng Quang, ngày …… tháng …… năm 2025"


def test_file_stem_and_slug():
    assert PLAN.file_stem("QĐ", "Chi bộ Khu dân cư số 1") == "qd-05-chi-bo-khu-dan-cu-so-1"
    assert DocumentHeader().file_stem("BC", "Chi bộ 2 - Đỗ Thị Hà") == "bc-chi-bo-2-do-thi-ha"
    assert slug("Đảng ủy phường Hồng Quang") == "dang-uy-phuong-hong-quang"
    assert slug("…") == "van-ban"


def test_values_of_the_wrong_type_are_left_to_the_schema():
    h = DocumentHeader.from_data({"so": "5", "ky_hieu": 7, "ngay_ban_hanh": "2025-02-30", "dia_danh": "X"})
    assert (h.number, h.ky_hieu, h.date, h.place) == (None, "", None, "X")
    assert DocumentHeader.from_data(None) == DocumentHeader()


def test_the_rendered_decision_prints_what_the_header_says():
    sample = SAMPLES_DIR / "quyet_dinh_xep_loai_dang_vien_khu_dan_cu_so_1_2025.json"
    data = json.loads(sample.read_text(encoding="utf-8"))
    data["ban_hanh"]["so"] = 7
    header = DocumentHeader.from_data(data["ban_hanh"])
    text = Doc(docgen.render("quyet_dinh_xep_loai", data)).plain_text()
    assert header.so_ky_hieu == "Số 07-" + data["ban_hanh"]["ky_hieu"] and header.so_ky_hieu in text
    attached = header.citation("Quyết định", long_date=True, by=data["co_quan_quyet_dinh"])
    assert f"(Kèm theo {attached})" in text.replace("\n", " ")
    cited = DocumentHeader.cited(data["to_trinh"]).citation("Tờ trình")
    assert "- Xét " + cited + "," in text


def test_nothing_takes_a_rendered_number_line_apart_again():
    """The number is formatted by the header only: no code outside it cuts "Số " off a rendered line."""
    found = subprocess.run(
        ["grep", "-rnE", "--include=*.py", r"len\(\"Số \"\)|len\('Số '\)", "docgen"],
        capture_output=True,
        text=True,
    )
    assert found.stdout == "", found.stdout
