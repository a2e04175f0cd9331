"""Excel input for bulk production: the template, the samples' round trip, and every reading problem.

Every test writes and opens a real .xlsx file.
"""

from __future__ import annotations

import copy
import json
import re
import unicodedata
import zipfile

import bombs
import pytest
from conftest import load_sample, read_back
from openpyxl import load_workbook

import docgen
import docgen.cli
from docgen import batch, kinds, limits, vn
from docgen.paths import SCHEMAS_DIR
from docgen.xlsx import columns
from docgen.xlsx.locate import locate, place_of
from docgen.xlsx.read import read_workbook
from docgen.xlsx.write import build_workbook, write_workbook

# Excel workbooks written and read back (openpyxl): the slow shell, out of make test-fast.
pytestmark = pytest.mark.slow

QD, TTR, FORMS = "quyet_dinh_xep_loai", "to_trinh", "bao_cao_kiem_diem"
QD_SAMPLE = "quyet_dinh_xep_loai_dang_vien_khu_dan_cu_so_1_2025.json"
TTR_SAMPLE = "to_trinh_khu_dan_cu_so_1_2025.json"
SHEETS = ["Hướng dẫn", "Thông tin chung", "Đơn vị", "Đảng viên", "Danh mục"]
LEVEL_LABELS = [
    "Hoàn thành xuất sắc nhiệm vụ",
    "Hoàn thành tốt nhiệm vụ",
    "Hoàn thành nhiệm vụ",
    "Không hoàn thành nhiệm vụ",
]
STATUS_LABELS = ["Đang sinh hoạt", "Miễn công tác và sinh hoạt đảng", "Đình chỉ sinh hoạt đảng"]


# ---------------------------------------------------------------- envelopes from the samples


def merge(base: dict, over: dict) -> dict:
    """The batch rule: deep merge, the unit wins, lists are replaced."""
    out = copy.deepcopy(base)
    for k, v in over.items():
        out[k] = merge(out[k], v) if isinstance(v, dict) and isinstance(out.get(k), dict) else copy.deepcopy(v)
    return out


def without(d: dict, *keys) -> dict:
    return {k: v for k, v in d.items() if k not in keys}


def qd_envelope() -> dict:
    s = load_sample(QD_SAMPLE)
    chung = without(s, "$schema", "ket_qua", "to_trinh", "thuc_hien")
    chung["ban_hanh"] = without(s["ban_hanh"], "so")
    return {
        "so_bat_dau": s["ban_hanh"]["so"],
        "chung": chung,
        "don_vi": [{k: s[k] for k in ("ket_qua", "to_trinh", "thuc_hien")}],
    }


def ttr_envelope() -> dict:
    s = load_sample(TTR_SAMPLE)
    chung = without(s, "$schema", "ket_qua", "chu_the_trinh", "nguoi_ky", "ngay_hop")
    chung["ban_hanh"] = without(s["ban_hanh"], "co_quan_ban_hanh", "so")
    unit = {k: s[k] for k in ("ket_qua", "chu_the_trinh", "nguoi_ky", "ngay_hop")}
    unit["ban_hanh"] = {k: s["ban_hanh"][k] for k in ("co_quan_ban_hanh", "so")}
    return {"chung": chung, "don_vi": [unit]}


def forms_envelope() -> dict:
    s = load_sample(QD_SAMPLE)
    particulars = kinds.get(FORMS).batch.member_fields

    members = [{k: m[k] for k in particulars if k in m} for m in s["ket_qua"]["dang_vien"]]
    return {
        "chung": {
            "che_do": "qd366_2025",
            "nam": 2025,
            "dang_bo": "Đảng bộ phường Hồng Quang",
            "dia_danh": "Hồng Quang",
            "ngay": "2025-12-01",
        },
        "don_vi": [{"ket_qua": {"don_vi": {"ten": "Chi bộ Khu dân cư số 1"}, "dang_vien": members}}],
    }


def documents(envelope: dict) -> list[dict]:
    docs = [merge(envelope["chung"], unit) for unit in envelope["don_vi"]]
    if "so_bat_dau" in envelope:
        for i, doc in enumerate(docs):
            doc["ban_hanh"]["so"] = envelope["so_bat_dau"] + i
    return docs


# ---------------------------------------------------------------- workbook helpers


def headers(ws) -> list:
    return [c.value for c in ws[1] if c.value is not None]


def column_letter(ws, header: str) -> str:
    return next(c.column_letter for c in ws[1] if c.value == header)


def edit(path, sheet: str, changes: dict) -> None:
    """Set cells by (row, header) and save the workbook again, as Excel would."""
    wb = load_workbook(path)
    ws = wb[sheet]
    for (row, header), value in changes.items():
        ws[f"{column_letter(ws, header)}{row}"] = value
    wb.save(path)


def validation_for(ws, cell: str):
    return next(dv for dv in ws.data_validations.dataValidation if cell in dv.sqref)


def list_values(wb, formula: str) -> list:
    sheet, cells = formula.split("!")
    assert sheet.strip("'") == "Danh mục"
    return [c[0].value for c in wb["Danh mục"][cells.replace("$", "")]]


@pytest.fixture
def qd_book(tmp_path):
    return write_workbook(QD, tmp_path / "qd.xlsx", qd_envelope())


# ---------------------------------------------------------------- the template


@pytest.mark.parametrize("kind", [QD, TTR, FORMS])
def test_template_sheets_headers_and_layout(tmp_path, kind):
    path = write_workbook(kind, tmp_path / "mau.xlsx")
    wb = load_workbook(path)
    lay = kinds.get(kind).batch.workbook
    assert wb.sheetnames == SHEETS
    assert wb["Danh mục"].sheet_state == "hidden"
    assert headers(wb["Thông tin chung"]) == ["Mục", "Giá trị"]
    assert [r[0].value for r in wb["Thông tin chung"].iter_rows(min_row=2)] == [c.header for c in lay.common]
    assert headers(wb["Đơn vị"]) == [c.header for c in lay.units]
    assert headers(wb["Đảng viên"]) == [c.header for c in lay.members]
    for name in ("Thông tin chung", "Đơn vị", "Đảng viên"):
        ws = wb[name]
        assert ws.freeze_panes == "A2"
        assert all(c.font.b for c in ws[1] if c.value)
        assert all(ws.column_dimensions[c.column_letter].width >= 10 for c in ws[1] if c.value)
    guide = " ".join(str(r[0].value) for r in wb["Hướng dẫn"].iter_rows())
    assert "ngày/tháng/năm" in guide and "xuống dòng" in guide
    assert ("Alt+Enter" in guide) == (kind != FORMS)  # only where a cell holds a list


def test_template_columns_of_each_kind():
    members = {k: [c.header for c in kinds.get(k).batch.workbook.members] for k in (QD, TTR, FORMS)}
    assert members[QD][:11] == [
        "Chi bộ",
        "Họ và tên",
        "Ngày sinh",
        "Chức vụ đảng",
        "Chức vụ chính quyền, đoàn thể",
        "Đơn vị công tác",
        "Ngày vào Đảng",
        "Tình trạng",
        "Lãnh đạo, quản lý",
        "Người đứng đầu",
        "Mẫu kiểm điểm",
    ]
    assert {"Đề xuất", "Quyết định", "Tổng điểm", "Nghỉ ốm (tháng)"} <= set(members[QD])
    assert "Quyết định" not in members[TTR] and "Đề xuất" in members[TTR]
    assert "Đề xuất" not in members[FORMS] and "Ngày vào Đảng" in members[FORMS]
    assert "Số bắt đầu" in [c.header for c in kinds.get(QD).batch.workbook.common]
    assert "Bí thư" in [c.header for c in kinds.get(TTR).batch.workbook.units]


def test_template_drop_down_lists_and_date_formats(tmp_path):
    wb = load_workbook(write_workbook(QD, tmp_path / "mau.xlsx"))
    ws = wb["Đảng viên"]
    level = validation_for(ws, f"{column_letter(ws, 'Quyết định')}2")
    assert level.type == "list" and list_values(wb, level.formula1) == LEVEL_LABELS
    assert f"{column_letter(ws, 'Quyết định')}500" in level.sqref
    status = validation_for(ws, f"{column_letter(ws, 'Tình trạng')}2")
    assert list_values(wb, status.formula1) == STATUS_LABELS
    yes_no = validation_for(ws, f"{column_letter(ws, 'Nghỉ thai sản')}2")
    assert list_values(wb, yes_no.formula1) == ["Có", "Không"]
    form = validation_for(ws, f"{column_letter(ws, 'Mẫu kiểm điểm')}2")
    assert list_values(wb, form.formula1) == ["2A", "2B", "2C", "02A", "02B"]
    regime = validation_for(wb["Thông tin chung"], "B2")
    assert list_values(wb, regime.formula1)[0] == "Quy định 366-QĐ/TW (2025)"
    for header in ("Ngày sinh", "Ngày vào Đảng"):
        letter = column_letter(ws, header)
        assert ws.column_dimensions[letter].number_format == "DD/MM/YYYY"
        assert validation_for(ws, f"{letter}2").type == "date"
    units = wb["Đơn vị"]
    assert units.column_dimensions[column_letter(units, "Ngày tờ trình")].number_format == "DD/MM/YYYY"
    common = wb["Thông tin chung"]
    date_row = next(r[0].row for r in common.iter_rows(min_row=2) if r[0].value == "Ngày ban hành")
    assert common[f"B{date_row}"].number_format == "DD/MM/YYYY"
    assert validation_for(common, f"B{date_row}").type == "date"


def test_filled_dates_are_real_dates(qd_book):
    ws = load_workbook(qd_book)["Đảng viên"]
    cell = ws[f"{column_letter(ws, 'Ngày sinh')}2"]
    assert cell.is_date and cell.number_format == "DD/MM/YYYY" and cell.value.year == 1968


def test_workbook_is_deterministic(tmp_path):
    first = write_workbook(QD, tmp_path / "a.xlsx", qd_envelope()).read_bytes()
    assert first == build_workbook(QD, qd_envelope())
    assert build_workbook(TTR) == build_workbook(TTR)
    assert not list(tmp_path.glob(".*.tmp"))


def test_choice_lists_cover_the_schema():
    kq = json.loads((SCHEMAS_DIR / "ket_qua_xep_loai.schema.json").read_text(encoding="utf-8"))["$defs"]

    def values(choices):
        return [o.value for o in choices.options]

    assert values(columns.LEVEL) == kq["muc_xep_loai"]["enum"]
    assert values(columns.REGIME) == kq["che_do"]["enum"]
    assert values(columns.STATUS) == kq["dang_vien"]["properties"]["trang_thai"]["enum"]
    assert values(columns.FORM) == kq["dang_vien"]["properties"]["mau"]["enum"]
    assert values(columns.CAP_BASE) == kq["cai_dat"]["properties"]["tran_htxs_tinh_tren"]["enum"]
    assert [o.label for o in columns.LEVEL.options] == LEVEL_LABELS
    assert [o.label for o in columns.STATUS.options] == STATUS_LABELS


def test_unknown_kind_and_a_kind_without_a_workbook():
    with pytest.raises(docgen.UnknownKind):
        build_workbook("khong_co")
    with pytest.raises(columns.NoWorkbook, match="Loại “Kế hoạch” không nhập bằng sổ Excel; các loại có sổ Excel: "):
        build_workbook("ke_hoach")


# ---------------------------------------------------------------- round trips of the samples


def test_round_trip_quyet_dinh(qd_book):
    envelope, locations, problems = read_back(read_workbook(qd_book, QD))
    assert problems == []
    assert envelope == vn.chuan_hoa_du_lieu(qd_envelope())
    [doc] = documents(envelope)
    assert docgen.validate(QD, doc) == []
    assert doc == vn.chuan_hoa_du_lieu(without(load_sample(QD_SAMPLE), "$schema"))


def test_round_trip_to_trinh(tmp_path):
    path = write_workbook(TTR, tmp_path / "ttr.xlsx", ttr_envelope())
    envelope, _, problems = read_back(read_workbook(path, TTR))
    assert problems == []
    assert envelope == vn.chuan_hoa_du_lieu(ttr_envelope())
    [doc] = documents(envelope)
    assert docgen.validate(TTR, doc) == []
    assert doc == vn.chuan_hoa_du_lieu(without(load_sample(TTR_SAMPLE), "$schema"))


def test_round_trip_forms(tmp_path):
    path = write_workbook(FORMS, tmp_path / "bkd.xlsx", forms_envelope())
    envelope, _, problems = read_back(read_workbook(path, FORMS))
    assert problems == [] and envelope == forms_envelope()


def test_members_of_several_units_in_any_order(tmp_path):
    env = qd_envelope()
    second = copy.deepcopy(env["don_vi"][0])
    second["ket_qua"]["don_vi"]["ten"] = "Chi bộ Khu dân cư số 2"
    second["ket_qua"]["dang_vien"] = second["ket_qua"]["dang_vien"][:3]
    second["thuc_hien"][2] = "Chi ủy Chi bộ Khu dân cư số 2"
    env["don_vi"].append(second)
    path = write_workbook(QD, tmp_path / "hai.xlsx", env)
    # Move the second unit's first member above the first unit's members: order within a unit is kept.
    wb = load_workbook(path)
    ws = wb["Đảng viên"]
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=2, max_row=ws.max_row)]
    moved = rows[25:26] + rows[:25] + rows[26:]
    for i, values in enumerate(moved, 2):
        for j, value in enumerate(values, 1):
            ws.cell(i, j).value = value  # ws.cell(i, j, None) would keep the old value
    wb.save(path)
    envelope, locations, problems = read_back(read_workbook(path, QD))
    assert problems == []
    assert envelope == vn.chuan_hoa_du_lieu(env)
    assert locations["$.don_vi[1].ket_qua.dang_vien[0]"] == "Sheet Đảng viên, dòng 2"
    assert locations["$.don_vi[0].ket_qua.dang_vien[0].ho_ten"] == "Sheet Đảng viên, dòng 3, cột B (Họ và tên)"
    assert [d["thuc_hien"][2] for d in documents(envelope)] == [
        "Chi ủy Chi bộ Khu dân cư số 1",
        "Chi ủy Chi bộ Khu dân cư số 2",
    ]


# ---------------------------------------------------------------- reading problems


def test_all_cell_problems_at_once_with_their_place(qd_book):
    edit(
        qd_book,
        "Đảng viên",
        {
            (5, "Ngày sinh"): "30/02/1985",
            (6, "Quyết định"): "Xuất sắc",
            (7, "Chi bộ"): "Chi bộ Khu dân cư số 9",
            (8, "Điểm nhóm 1"): "hai mươi",
        },
    )
    envelope, _, problems = read_back(read_workbook(qd_book, QD))
    assert envelope is None
    assert sorted((p.code, p.where, p.path) for p in problems) == [
        ("xlsx_choice", "Sheet Đảng viên, dòng 6, cột Q (Quyết định)", "$.don_vi[0].ket_qua.dang_vien[4].quyet_dinh"),
        ("xlsx_date", "Sheet Đảng viên, dòng 5, cột C (Ngày sinh)", "$.don_vi[0].ket_qua.dang_vien[3].ngay_sinh"),
        # the member of row 7 belongs to no unit, so row 8 is the unit's sixth member
        ("xlsx_number", "Sheet Đảng viên, dòng 8, cột M (Điểm nhóm 1)", "$.don_vi[0].ket_qua.dang_vien[5].diem.nhom_1"),
        ("xlsx_unknown_unit", "Sheet Đảng viên, dòng 7, cột A (Chi bộ)", "$.don_vi"),
    ]
    messages = {p.code: p.message for p in problems}
    assert "30/02/1985" in messages["xlsx_date"] and "ngày/tháng/năm" in messages["xlsx_date"]
    assert "Hoàn thành tốt nhiệm vụ" in messages["xlsx_choice"] and "HTTNV" in messages["xlsx_choice"]
    assert "Có phải là “Chi bộ Khu dân cư số 1”" in messages["xlsx_unknown_unit"]
    assert str(problems[0]).startswith("Sheet Đảng viên, dòng ")


def test_member_of_unknown_unit_is_still_checked(qd_book):
    edit(qd_book, "Đảng viên", {(4, "Chi bộ"): None, (4, "Đề xuất"): "Tốt"})
    _, locations, problems = read_back(read_workbook(qd_book, QD))
    assert sorted((p.code, p.where, p.path) for p in problems) == [
        ("xlsx_choice", "Sheet Đảng viên, dòng 4, cột P (Đề xuất)", "$"),
        ("xlsx_unknown_unit", "Sheet Đảng viên, dòng 4, cột A (Chi bộ)", "$.don_vi"),
    ]
    assert "Chưa ghi chi bộ" in problems[0].message + problems[1].message
    assert not [p for p in locations if not p.startswith(("$.chung", "$.don_vi", "$.so_bat_dau"))]


def test_common_rows_copied_into_every_unit(qd_book):
    common = load_workbook(qd_book)["Thông tin chung"]
    row = next(r[0].row for r in common.iter_rows(min_row=2) if r[0].value == "Tỷ lệ HTXSNV tính trên")
    edit(qd_book, "Thông tin chung", {(row, "Giá trị"): "httnv và htxsnv"})
    envelope, locations, problems = read_back(read_workbook(qd_book, QD))
    assert problems == []
    assert envelope["don_vi"][0]["ket_qua"]["cai_dat"] == {"tran_htxs_tinh_tren": "httnv_va_htxsnv"}
    assert (
        locations["$.don_vi[0].ket_qua.cai_dat.tran_htxs_tinh_tren"]
        == f"Sheet Thông tin chung, dòng {row}, mục Tỷ lệ HTXSNV tính trên"
    )
    edit(qd_book, "Thông tin chung", {(row, "Giá trị"): "20%"})
    _, _, [problem] = read_back(read_workbook(qd_book, QD))
    assert (problem.code, problem.path) == ("xlsx_choice", "$.don_vi[*].ket_qua.cai_dat.tran_htxs_tinh_tren")


def test_empty_template_reads_as_no_units(tmp_path):
    _, _, problems = read_back(read_workbook(write_workbook(TTR, tmp_path / "mau.xlsx"), TTR))
    assert [(p.code, p.where) for p in problems] == [("xlsx_no_units", "Sheet Đơn vị")]


def test_not_an_xlsx_file(tmp_path):
    for name, data in (("lo.xlsx", b'{"chung": {}}'), ("cu.xls", b"\xd0\xcf\x11\xe0 old Excel")):
        (tmp_path / name).write_bytes(data)
        envelope, locations, [problem] = read_back(read_workbook(tmp_path / name, QD))
        assert (envelope, locations, problem.code, problem.where) == (None, {}, "xlsx_unreadable", f"Tệp {name}")
        assert ".xlsx" in problem.message
    assert read_workbook(tmp_path / "khong_co.xlsx", QD).problems[0].code == "xlsx_unreadable"


def test_structure_problems(qd_book):
    wb = load_workbook(qd_book)
    ws = wb["Đảng viên"]
    ws[f"{column_letter(ws, 'Ngày sinh')}1"] = "Ngày sinhh"
    ws[f"{column_letter(ws, 'Họ và tên')}1"] = "Tên"
    del wb["Đơn vị"]
    wb.save(qd_book)
    envelope, _, problems = read_back(read_workbook(qd_book, QD))
    assert envelope is None
    found = {(p.code, p.where): p.message for p in problems}
    assert set(found) == {
        ("xlsx_structure", "Sheet Đơn vị"),
        ("xlsx_structure", "Sheet Đảng viên, dòng 1, cột C (Ngày sinhh)"),
        ("xlsx_structure", "Sheet Đảng viên, dòng 1"),
    }
    assert "“Ngày sinh”" in found[("xlsx_structure", "Sheet Đảng viên, dòng 1, cột C (Ngày sinhh)")]
    assert "“Họ và tên”" in found[("xlsx_structure", "Sheet Đảng viên, dòng 1")]
    assert "“Đơn vị”" in found[("xlsx_structure", "Sheet Đơn vị")]


def test_columns_are_found_by_header(qd_book):
    """Reordered columns, a column of the user's own and empty rows change nothing."""
    wb = load_workbook(qd_book)
    ws = wb["Đảng viên"]
    ws.move_range(f"A1:A{ws.max_row}", cols=ws.max_column)  # "Chi bộ" becomes the last column
    ws.delete_cols(1)
    ws.insert_cols(1)
    ws["A1"] = "STT"
    for row in range(2, ws.max_row + 1):
        ws[f"A{row}"] = row - 1
    ws.insert_rows(5, 2)  # an empty row, and one where only "Chi bộ" is filled
    ws[f"{column_letter(ws, 'Chi bộ')}6"] = "Chi bộ Khu dân cư số 1"
    ws["A6"] = None
    wb.save(qd_book)
    envelope, locations, problems = read_back(read_workbook(qd_book, QD))
    assert problems == []
    assert envelope == vn.chuan_hoa_du_lieu(qd_envelope())
    assert locations["$.don_vi[0].ket_qua.dang_vien[3].ho_ten"] == "Sheet Đảng viên, dòng 7, cột B (Họ và tên)"


def test_unit_problems(qd_book):
    wb = load_workbook(qd_book)
    units = wb["Đơn vị"]
    units["A3"], units["A4"] = "Chi bộ Khu dân cư số 5", "chi bộ khu dân cư số 1"
    wb.save(qd_book)
    _, _, problems = read_back(read_workbook(qd_book, QD))
    assert sorted((p.code, p.where, p.path) for p in problems) == [
        ("xlsx_duplicate_unit", "Sheet Đơn vị, dòng 4, cột A (Tên chi bộ)", "$.don_vi[2].ket_qua.don_vi.ten"),
        ("xlsx_no_members", "Sheet Đơn vị, dòng 3, cột A (Tên chi bộ)", "$.don_vi[1].ket_qua.dang_vien"),
    ]


def test_line_breaks(qd_book):
    common = load_workbook(qd_book)["Thông tin chung"]
    recipients = next(r[0].row for r in common.iter_rows(min_row=2) if r[0].value == "Nơi nhận")
    edit(qd_book, "Thông tin chung", {(recipients, "Giá trị"): " Ban Xây dựng Đảng \r\n\n Lưu Văn phòng Đảng ủy\n"})
    envelope, _, problems = read_back(read_workbook(qd_book, QD))
    assert problems == [] and envelope["chung"]["noi_nhan"] == ["Ban Xây dựng Đảng", "Lưu Văn phòng Đảng ủy"]
    edit(qd_book, "Đảng viên", {(3, "Họ và tên"): "Trần Thị\nMai"})
    _, _, [problem] = read_back(read_workbook(qd_book, QD))
    assert (problem.code, problem.where) == ("xlsx_line_break", "Sheet Đảng viên, dòng 3, cột B (Họ và tên)")


def test_spellings_accepted(qd_book):
    nfd = unicodedata.normalize("NFD", "  Hoàn thành tốt nhiệm vụ ")
    common = load_workbook(qd_book)["Thông tin chung"]
    date_row = next(r[0].row for r in common.iter_rows(min_row=2) if r[0].value == "Ngày ban hành")
    edit(qd_book, "Thông tin chung", {(date_row, "Giá trị"): "5/1/2026"})
    edit(
        qd_book,
        "Đảng viên",
        {
            (2, "Quyết định"): "htxsnv",
            (3, "Quyết định"): nfd,
            (4, "Lãnh đạo, quản lý"): "x",
            (5, "Người đứng đầu"): "không",
            (6, "Ngày sinh"): "05/12/1990",
            (7, "Điểm nhóm 1"): 25.0,
            (8, "Điểm nhóm 2"): "27,5",
            (9, "Họ và tên"): "Đỗ Văn Long ",
            (10, "Chức vụ đảng"): "Đảng viên hoá",
        },
    )
    envelope, _, problems = read_back(read_workbook(qd_book, QD))
    assert problems == []
    members = envelope["don_vi"][0]["ket_qua"]["dang_vien"]
    assert envelope["chung"]["ban_hanh"]["ngay_ban_hanh"] == "2026-01-05"
    assert [m["quyet_dinh"] for m in members[:2]] == ["HTXSNV", "HTTNV"]
    assert members[2]["lanh_dao_quan_ly"] is True and members[3]["nguoi_dung_dau"] is False
    assert members[4]["ngay_sinh"] == "1990-12-05"
    assert members[5]["diem"]["nhom_1"] == 25 and type(members[5]["diem"]["nhom_1"]) is int
    assert members[6]["diem"]["nhom_2"] == 27.5
    assert members[7]["ho_ten"] == "Đỗ Văn Long" and members[8]["chuc_vu_dang"] == "Đảng viên hóa"


# ---------------------------------------------------------------- locations


def test_locations_map_paths_to_cells(qd_book):
    _, locations, _ = read_back(read_workbook(qd_book, QD))
    assert locations["$.don_vi[0].ket_qua.dang_vien[5].quyet_dinh"] == "Sheet Đảng viên, dòng 7, cột Q (Quyết định)"
    assert locations["$.don_vi[0].ket_qua.dang_vien[23].quyet_dinh"] == "Sheet Đảng viên, dòng 25, cột Q (Quyết định)"
    assert locations["$.don_vi[0].ket_qua.don_vi.quyet_dinh"] == "Sheet Đơn vị, dòng 2, cột B (Mức xếp loại chi bộ)"
    assert locations["$.chung.ban_hanh.ngay_ban_hanh"].startswith("Sheet Thông tin chung, dòng ")
    assert locations["$.chung.ban_hanh.ngay_ban_hanh"].endswith(", mục Ngày ban hành")
    assert locations["$.don_vi[0].thuc_hien[2]"] == "Sheet Đơn vị, dòng 2, cột A (Tên chi bộ)"
    assert locations["$.don_vi[0].thuc_hien[0]"] == locations["$.don_vi[0].thuc_hien"]
    assert locations["$.don_vi[0].thuc_hien[0]"].endswith("mục Nơi thi hành")


def test_document_problems_map_back_to_cells(qd_book):
    """What the batch command does: validate each merged document, then point at the cells."""
    edit(qd_book, "Đảng viên", {(7, "Quyết định"): "HTXSNV", (9, "Họ và tên"): None})
    envelope, locations, problems = read_back(read_workbook(qd_book, QD))
    assert problems == []
    [doc] = documents(envelope)
    found = locate(docgen.validate(QD, doc), locations, unit=0)
    assert ("$.ket_qua.dang_vien[7].ho_ten", "Sheet Đảng viên, dòng 9, cột B (Họ và tên)") in {
        (p.path, p.where) for p in found
    }
    place = place_of
    assert (
        place(locations, "$.ket_qua.dang_vien[5].quyet_dinh", unit=0) == "Sheet Đảng viên, dòng 7, cột Q (Quyết định)"
    )
    assert place(locations, "$.ket_qua.dang_vien[5].diem", unit=0) == "Sheet Đảng viên, dòng 7"
    assert place(locations, "$.nguoi_ky.ho_ten", unit=0).endswith("mục Người ký")
    assert place(locations, "$.ban_hanh.so", unit=0).endswith("mục Số bắt đầu")
    assert place(locations, "$.doi_tuong", unit=0) == "Sheet Đơn vị, dòng 2"
    assert (
        place(locations, "$.don_vi[0].ket_qua.dang_vien[5].quyet_dinh") == "Sheet Đảng viên, dòng 7, cột Q (Quyết định)"
    )


def test_to_trinh_locations_of_derived_fields(tmp_path):
    path = write_workbook(TTR, tmp_path / "ttr.xlsx", ttr_envelope())
    _, locations, _ = read_back(read_workbook(path, TTR))
    assert locations["$.don_vi[0].chu_the_trinh"] == "Sheet Đơn vị, dòng 2, cột A (Tên chi bộ)"
    assert locations["$.don_vi[0].ban_hanh.so"] == "Sheet Đơn vị, dòng 2, cột E (Số tờ trình)"
    assert locations["$.don_vi[0].nguoi_ky.ho_ten"] == "Sheet Đơn vị, dòng 2, cột F (Bí thư)"
    assert place_of(locations, "$.ban_hanh.ky_hieu", unit=0).endswith("mục Ký hiệu")


# ---------------------------------------------------------------- writing what the workbook cannot hold


def test_write_refuses_what_it_cannot_give_back(tmp_path):
    env = qd_envelope()
    env["chung"]["trich_yeu"] = "về việc xếp loại"
    env["don_vi"][0]["thuc_hien"] = ["Văn phòng Đảng ủy"]
    env["don_vi"][0]["ket_qua"]["dang_vien"][0]["ngay_sinh"] = "12/04/1968"
    with pytest.raises(docgen.InvalidInput) as exc:
        write_workbook(QD, tmp_path / "x.xlsx", env)
    paths = {p.path for p in exc.value.problems}
    assert {"$.chung.trich_yeu", "$.don_vi[0].ket_qua.dang_vien[0].ngay_sinh"} <= paths
    assert any(p.startswith("$.don_vi[0].thuc_hien") for p in paths)
    assert {p.code for p in exc.value.problems} == {"xlsx_unsupported"}
    assert not (tmp_path / "x.xlsx").exists()


# ---------------------------------------------------------------- limits


def test_zip_bomb_is_refused_from_the_directory(tmp_path, capsys):
    """A part that unpacks to far more than it takes: refused by the command line too, before openpyxl opens it."""
    path = bombs.workbook_with_members(tmp_path / "bom.xlsx", lambda out: out.write("<row/>" * 1_000_000))
    size = {i.filename: i for i in zipfile.ZipFile(path).infolist()}[bombs._sheet_part(path.read_bytes(), "Đảng viên")]
    assert size.file_size > 200 * max(size.compress_size, 1) and size.file_size > limits.ZIP_RATIO_FROM
    envelope, _, [problem] = read_back(read_workbook(path, QD))
    assert (envelope, problem.code, problem.where) == (None, "zip_ratio", "Tệp bom.xlsx")
    assert "bom nén" in problem.message and "xl/worksheets/" in problem.message
    assert docgen.cli.main(["validate", QD, str(path)]) == 1
    err = capsys.readouterr().err
    assert "  - Tệp bom.xlsx: Tệp “bom.xlsx” khi giải nén quá lớn" in err and "zip_ratio" not in err


def test_rows_past_the_limit_stop_the_reading_naming_the_sheet(tmp_path):
    path = bombs.xlsx_rows(tmp_path / "nhieu_dong.xlsx", limits.SHEET_MAX_ROWS + 5)
    envelope, _, [problem] = read_back(read_workbook(path, QD))
    assert (envelope, problem.code) == (None, "sheet_too_many_rows")
    assert problem.where == f"Sheet Đảng viên, dòng {limits.SHEET_MAX_ROWS + 1}"
    assert "Sheet “Đảng viên” có dữ liệu ở dòng 20001, quá 20.000 dòng" in problem.message


def test_empty_rows_past_the_limit_are_not_data(qd_book):
    """Formatted empty cells far down a sheet (what Excel leaves when a column is formatted) are not refused."""
    before = read_workbook(qd_book, QD).data
    wb = load_workbook(qd_book)
    wb["Đảng viên"].cell(limits.SHEET_MAX_ROWS + 500, 2).number_format = "0.00"  # a style, no value
    wb.save(qd_book)
    assert f'r="B{limits.SHEET_MAX_ROWS + 500}"'.encode() in zipfile.ZipFile(qd_book).read(
        bombs._sheet_part(qd_book.read_bytes(), "Đảng viên")
    )
    envelope, _, problems = read_back(read_workbook(qd_book, QD))
    assert problems == [] and envelope == before


def test_headers_past_the_column_limit_are_refused(qd_book):
    wb = load_workbook(qd_book)
    wb["Đảng viên"].cell(1, limits.SHEET_MAX_COLUMNS + 3).value = "Cột thừa"
    wb.save(qd_book)
    _, _, [problem] = read_back(read_workbook(qd_book, QD))
    assert (problem.code, problem.where) == ("sheet_too_many_columns", "Sheet Đảng viên, dòng 1")


def test_filled_cells_past_the_limit_stop_the_reading(qd_book, monkeypatch):
    monkeypatch.setattr(limits, "BOOK_MAX_CELLS", 30)  # the real one takes a 20,000-row sheet to reach
    _, _, [problem] = read_back(read_workbook(qd_book, QD))
    assert problem.code == "book_too_many_cells" and "vượt quá 30 ô có dữ liệu" in problem.message
    assert problem.where.startswith("Sheet ")


def test_a_wrong_size_in_the_file_does_not_hide_rows(tmp_path):
    """Read-only reading trusts no declared size: a sheet claiming to be A1:B2 still gives every row it has."""
    envelope = qd_envelope()
    path = write_workbook(QD, tmp_path / "so.xlsx", envelope)
    part = bombs._sheet_part(path.read_bytes(), "Đảng viên")
    src = zipfile.ZipFile(path)
    out = tmp_path / "sai_kich_thuoc.xlsx"
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == part:
                data = re.sub(rb'<dimension ref="[^"]+"/>', b'<dimension ref="A1:B2"/>', data)
                assert b'<dimension ref="A1:B2"/>' in data
            z.writestr(info.filename, data)
    back, _, problems = read_back(read_workbook(out, QD))
    assert problems == [] and back == read_workbook(path, QD).data
    members = back["don_vi"][0]["ket_qua"]["dang_vien"]
    assert len(members) == len(envelope["don_vi"][0]["ket_qua"]["dang_vien"]) > 2


def test_the_cells_of_a_workbook_are_named_whichever_way_they_are_read(qd_book):
    """The reader keeps each value's cell compactly (a workbook of 20,000 members has 300,000 values); every way
    of reading the map — a lookup, get, items, values, a copy — gives the Cell with all its parts."""
    from docgen.errors import Cell

    origin = batch.read(qd_book, QD).origin
    path = next(p for p in origin if p.endswith(".ho_ten") and "dang_vien" in p)
    cell = origin[path]
    assert isinstance(cell, Cell) and cell.sheet == "Đảng viên" and cell.row >= 2 and cell.letter
    assert str(cell) == f"Sheet Đảng viên, dòng {cell.row}, cột {cell.letter} ({cell.header})"
    copied = {}
    copied.update(origin)
    for other in (origin.get(path), dict(origin)[path], {**origin}[path], copied[path], dict(origin.items())[path]):
        assert isinstance(other, Cell) and (other.sheet, other.row, other.header, other.letter, other.item) == (
            cell.sheet,
            cell.row,
            cell.header,
            cell.letter,
            cell.item,
        )
    assert all(isinstance(v, Cell) for v in origin.values())
    assert origin.get("$.khong_co", "x") == "x"


def test_a_workbook_batch_read_unit_by_unit_makes_what_it_makes_read_whole(qd_book, tmp_path):
    source = batch.open_source(qd_book, QD)
    found = batch.survey(QD, source, workers=1)
    assert not found.problems
    batch.set_numbers(QD, found.jobs, batch.consecutive(found.jobs, 40))
    summary = batch.produce(QD, source, found, tmp_path / "a", workers=1)
    whole = batch.run(QD, batch.plan(QD, batch.load(qd_book, QD).data, 40), tmp_path / "b", workers=1)
    assert [o.sha256 for o in summary.outcomes] == [o.sha256 for o in whole.outcomes]
    assert [o.status for o in summary.outcomes] == ["ok"] * len(whole.outcomes)
