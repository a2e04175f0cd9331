"""Excel workbooks for bulk production: a ready-to-fill template, and reading a filled one back.

Office staff keep their member lists in Excel. A workbook holds one batch (the envelope of
``schemas/lo_van_ban.schema.json``: ``{"so_bat_dau", "chung", "don_vi": [...]}``) on four sheets:

- "Thông tin chung": one row per field shared by every document ("Mục" | "Giá trị");
- "Đơn vị": one row per chi bộ (one document each);
- "Đảng viên": one row per member, tied to its chi bộ by the "Chi bộ" column;
- "Danh mục" (hidden): the drop-down lists.

The layout is data: per kind, a table of :class:`Column` (header, JSON path, type, choices) for each
sheet, plus the unit fields computed from a cell (:class:`Derived`, e.g. "Chi ủy " + the unit's name).
:func:`read_workbook` turns a workbook into the envelope, a map from every envelope JSON path to its cell
("Sheet Đảng viên, dòng 14, cột Quyết định") and every problem at once; :func:`write_workbook` writes the
template, or a filled workbook from an envelope — refusing an envelope the workbook could not give back
unchanged, so no data is lost silently. :func:`place_of` / :func:`locate` map a problem of a merged
document back to its cell.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import difflib
import io
import json
import math
import re
import warnings
import zipfile
import zlib
from xml.etree import ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import IllegalCharacterError
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.writer.excel import ExcelWriter

from . import limits, vn
from .errors import InvalidInput, Problem, UnknownKind, join_path
from .export import write_atomic
from .ooxml import zip_package
from .rules import LEVEL_NAMES, LEVELS
from .validation import more_problems

# ---------------------------------------------------------------- sheet names and cell types

GUIDE, COMMON, UNITS, MEMBERS, LISTS = "Hướng dẫn", "Thông tin chung", "Đơn vị", "Đảng viên", "Danh mục"
ITEM, VALUE = "Mục", "Giá trị"  # the two columns of the common sheet

TEXT, LINES, DATE, INT, NUMBER, CHOICE = "text", "lines", "date", "int", "number", "choice"
DATE_FORMAT = "DD/MM/YYYY"
EXTRA_ROWS = 1000  # rows below the data that get drop-downs and date checks
FIXED_TIME = dt.datetime(2025, 1, 1)  # workbook properties: the same bytes for the same input


# ---------------------------------------------------------------- choices (drop-down lists)


@dataclass(frozen=True)
class Option:
    value: object  # what the JSON holds, e.g. "HTTNV", True
    label: str  # what the workbook shows, e.g. "Hoàn thành tốt nhiệm vụ", "Có"
    also: tuple[str, ...] = ()  # other accepted spellings, e.g. the abbreviation "HTTNV", "x"


@dataclass(frozen=True)
class Choices:
    title: str  # heading of the list on the hidden "Danh mục" sheet
    options: tuple[Option, ...]

    def label(self, value):
        return next((o.label for o in self.options if _same(o.value, value)), value)

    def parse(self, raw):
        """The JSON value of a cell: by label, code or other spelling, case- and NFC-insensitive."""
        if isinstance(raw, bool):
            found = [o.value for o in self.options if _same(o.value, raw)]
        else:
            key = _key(_as_text(raw))
            found = [
                o.value
                for o in self.options
                if key in {_key(s) for s in (o.label, *o.also, *([o.value] if isinstance(o.value, str) else []))}
            ]
        if found:
            return found[0]
        labels = "; ".join(f"“{o.label}”" for o in self.options)
        also = ", ".join(a for o in self.options for a in o.also)
        hint = f" (hoặc viết tắt: {also})" if also else ""
        raise _CellError("xlsx_choice", f"“{_show(raw)}” không có trong danh sách; chọn một trong: {labels}{hint}.")


LEVEL = Choices("Mức xếp loại", tuple(Option(code, LEVEL_NAMES[code], (code,)) for code in LEVELS))
STATUS = Choices(
    "Tình trạng",
    (
        Option("dang_sinh_hoat", "Đang sinh hoạt"),
        Option("mien_sinh_hoat", "Miễn công tác và sinh hoạt đảng"),
        Option("dinh_chi", "Đình chỉ sinh hoạt đảng"),
    ),
)
YES_NO = Choices("Có/Không", (Option(True, "Có", ("x",)), Option(False, "Không")))
REGIME = Choices(
    "Chế độ",
    (
        Option("qd366_2025", "Quy định 366-QĐ/TW (2025)", ("366-QĐ/TW",)),
        Option("qd124_2023", "Quy định 124-QĐ/TW (2023)", ("124-QĐ/TW",)),
        Option("qd132_2018", "Quy định 132-QĐ/TW (2018)", ("132-QĐ/TW",)),
    ),
)
FORM = Choices("Mẫu kiểm điểm", tuple(Option(m, m) for m in ("2A", "2B", "2C", "02A", "02B")))
CAP_BASE = Choices(
    "Tỷ lệ HTXSNV tính trên",
    (
        Option("httnv", "Số Hoàn thành tốt nhiệm vụ", ("HTTNV",)),
        Option("httnv_va_htxsnv", "Số Hoàn thành tốt và Hoàn thành xuất sắc nhiệm vụ", ("HTTNV và HTXSNV",)),
    ),
)


# ---------------------------------------------------------------- the layout, as data


@dataclass(frozen=True)
class Column:
    """One column of a data sheet, or one row of "Thông tin chung".

    ``path`` is dotted, relative to the row's record: the member (Đảng viên), the unit (Đơn vị) or the
    envelope (Thông tin chung, e.g. "chung.nam", "so_bat_dau"); "*." first means "in every unit".
    ``required``: the header (or row) must be in the sheet; a value is never required here — the
    kind's schema checks values after merging, and :func:`place_of` points at the cell.
    """

    header: str
    path: str
    type: str = TEXT
    choices: Choices | None = None
    required: bool = False
    width: int = 16

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(self.path.split(".")) if self.path else ()

    @property
    def per_unit(self) -> bool:
        return self.keys[:1] == ("*",)


@dataclass(frozen=True)
class Derived:
    """A unit field the workbook does not ask for: computed from the unit's name (Tên chi bộ).

    ``source``: the header of the cell a problem with this field points at. ``append``: extend the list
    already there (the common "Nơi thi hành") instead of setting the field.
    """

    path: str
    make: Callable[[str], object]
    source: str
    append: bool = False

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(self.path.split("."))

    def apply(self, unit: dict, name: str) -> list[int | None]:
        """Set the field; return the list indexes added (``[None]`` for a plain field)."""
        value = self.make(name)
        if not self.append:
            _put(unit, self.keys, value)
            return [None]
        items = _get(unit, self.keys) or []
        _put(unit, self.keys, items + value)
        return list(range(len(items), len(items) + len(value)))

    def remove(self, unit: dict, name: str | None) -> None:
        """Undo :meth:`apply` before writing a unit's row (what cannot be undone shows as a difference)."""
        if not self.append:
            _pop(unit, self.keys)
            return
        items, tail = _get(unit, self.keys), self.make(name) if name else None
        if isinstance(items, list) and tail and items[-len(tail) :] == tail:
            _put(unit, self.keys, items[: -len(tail)])


@dataclass(frozen=True)
class Layout:
    title: str  # the documents, in Vietnamese, for the guide sheet
    common: tuple[Column, ...]  # rows of "Thông tin chung"
    units: tuple[Column, ...]  # columns of "Đơn vị"
    members: tuple[Column, ...]  # columns of "Đảng viên" (the first is the chi bộ key)
    constants: dict = dataclasses.field(default_factory=dict)  # fields of "chung" the workbook does not ask for
    derived: tuple[Derived, ...] = ()
    guide: tuple[str, ...] = ()  # lines of the guide specific to the kind


def _c(header, path, type=TEXT, choices=None, required=False, width=16) -> Column:
    return Column(header, path, type, choices, required, width)


# Thông tin chung
C_REGIME = _c("Chế độ", "chung.che_do", CHOICE, REGIME)
C_YEAR = _c("Năm", "chung.nam", INT, required=True)
C_SUPERIOR = _c("Cơ quan cấp trên", "chung.ban_hanh.cap_tren")
C_ISSUER = _c("Cơ quan ban hành", "chung.ban_hanh.co_quan_ban_hanh", required=True)
C_SYMBOL = _c("Ký hiệu", "chung.ban_hanh.ky_hieu", required=True)
C_PLACE = _c("Địa danh", "chung.ban_hanh.dia_danh", required=True)
C_DATE = _c("Ngày ban hành", "chung.ban_hanh.ngay_ban_hanh", DATE, required=True)
C_FIRST_NUMBER = _c("Số bắt đầu", "so_bat_dau", INT)
C_DECIDER = _c("Cấp ủy quyết định", "chung.co_quan_quyet_dinh", required=True)
C_GROUNDS = _c("Căn cứ thêm", "chung.can_cu_them", LINES)
C_PROPOSAL = _c("Xét đề nghị", "chung.xet_de_nghi")
C_ARTICLE_2 = _c("Nội dung Điều 2", "chung.dieu_2")
C_EXECUTORS = _c("Nơi thi hành", "*.thuc_hien", LINES, required=True)
C_ADDRESSEE = _c("Kính gửi", "chung.kinh_gui", required=True)
C_PLAN_NUMBER = _c("Số kế hoạch", "chung.ke_hoach.so", INT)
C_PLAN_SYMBOL = _c("Ký hiệu kế hoạch", "chung.ke_hoach.ky_hieu")
C_PLAN_DATE = _c("Ngày kế hoạch", "chung.ke_hoach.ngay", DATE)
C_PLAN_ISSUER = _c("Cơ quan ban hành kế hoạch", "chung.ke_hoach.co_quan")
C_AUTHORITY = _c("Thẩm quyền ký", "chung.nguoi_ky.tham_quyen", required=True)
C_SIGNER_POST = _c("Chức vụ người ký", "chung.nguoi_ky.chuc_vu", required=True)
C_SIGNER = _c("Người ký", "chung.nguoi_ky.ho_ten", required=True)
C_RECIPIENTS = _c("Nơi nhận", "chung.noi_nhan", LINES, required=True)
C_SORT = _c("Sắp xếp theo tên", "chung.sap_xep_ten", CHOICE, YES_NO)
C_CAP_BASE = _c("Tỷ lệ HTXSNV tính trên", "*.ket_qua.cai_dat.tran_htxs_tinh_tren", CHOICE, CAP_BASE)
C_PARTY_COMMITTEE = _c("Đảng bộ", "chung.dang_bo", required=True)
C_FORM_PLACE = _c("Địa danh", "chung.dia_danh", required=True)
C_FORM_DATE = _c("Ngày viết bản kiểm điểm", "chung.ngay", DATE)

# Đơn vị
U_NAME = _c("Tên chi bộ", "ket_qua.don_vi.ten", required=True, width=32)
U_RATED_AT = _c("Ngày đánh giá", "ket_qua.ngay_danh_gia", DATE, width=14)
U_EXCEPTION = (
    _c("Lý do áp dụng tỷ lệ 25%", "ket_qua.ngoai_le_ty_le.ly_do", width=30),
    _c("Văn bản cho phép tỷ lệ 25%", "ket_qua.ngoai_le_ty_le.can_cu", width=30),
)
U_SECRETARY = _c("Bí thư", "nguoi_ky.ho_ten", width=24)

# Đảng viên
M_UNIT = _c("Chi bộ", "", required=True, width=28)  # not stored: ties the member to a unit row
M_NAME = _c("Họ và tên", "ho_ten", required=True, width=26)
M_PARTICULARS = (
    M_UNIT,
    M_NAME,
    _c("Ngày sinh", "ngay_sinh", DATE, width=12),
    _c("Chức vụ đảng", "chuc_vu_dang", width=22),
    _c("Chức vụ chính quyền, đoàn thể", "chuc_vu_chinh_quyen", width=30),
    _c("Đơn vị công tác", "don_vi_cong_tac", width=30),
    _c("Ngày vào Đảng", "ngay_vao_dang", DATE, width=12),
    _c("Tình trạng", "trang_thai", CHOICE, STATUS, width=24),
    _c("Lãnh đạo, quản lý", "lanh_dao_quan_ly", CHOICE, YES_NO, width=11),
)
M_HEAD = _c("Người đứng đầu", "nguoi_dung_dau", CHOICE, YES_NO, width=11)
M_FORM = _c("Mẫu kiểm điểm", "mau", CHOICE, FORM, width=11)
M_RATING = (
    _c("Tự xếp loại", "tu_xep_loai", CHOICE, LEVEL, width=26),
    _c("Điểm nhóm 1", "diem.nhom_1", NUMBER, width=10),
    _c("Điểm nhóm 2", "diem.nhom_2", NUMBER, width=10),
    _c("Tổng điểm", "diem.tong", NUMBER, width=10),
    _c("Đề xuất", "de_xuat", CHOICE, LEVEL, width=26),
)
M_DECIDED = _c("Quyết định", "quyet_dinh", CHOICE, LEVEL, width=26)
M_CIRCUMSTANCES = (
    _c("Kỷ luật trong năm", "ky_luat_trong_nam", CHOICE, YES_NO, width=11),
    _c("Hình thức kỷ luật", "hinh_thuc_ky_luat", width=16),
    _c("Nghỉ ốm (tháng)", "nghi_om_thang", NUMBER, width=10),
    _c("Nghỉ thai sản", "nghi_thai_san", CHOICE, YES_NO, width=11),
    _c("Ghi chú", "ghi_chu", width=24),
    # Less common fields, after the usual ones.
    _c("Nhóm tính tỷ lệ", "nhom", width=18),
    _c("HTXS: hoàn thành tất cả tiêu chí", "dieu_kien_htxs.hoan_thanh_tat_ca", CHOICE, YES_NO, width=14),
    _c("HTXS: vượt mức từ 30% tiêu chí", "dieu_kien_htxs.vuot_30_phan_tram", CHOICE, YES_NO, width=14),
    _c("HTXS: khắc phục hết hạn chế", "dieu_kien_htxs.khac_phuc_het", CHOICE, YES_NO, width=14),
    _c("Lý do ngoại lệ kỷ luật", "ngoai_le_ky_luat.ly_do", width=24),
    _c("Văn bản ngoại lệ kỷ luật", "ngoai_le_ky_luat.can_cu", width=24),
    _c("Lý do ngoại lệ người đứng đầu", "ngoai_le_nguoi_dung_dau.ly_do", width=24),
    _c("Văn bản ngoại lệ người đứng đầu", "ngoai_le_nguoi_dung_dau.can_cu", width=24),
)

MEMBERS_PATH = ("ket_qua", "dang_vien")
CONCERNED = "các đồng chí có tên trong danh sách kèm theo"


def _committee(name: str) -> str:
    return f"Chi ủy {name}"


_COMMON_GUIDE = (
    f"Sheet “{COMMON}”: ghi các mục dùng chung cho mọi văn bản vào cột “{VALUE}”.",
    f"Sheet “{UNITS}”: mỗi chi bộ một dòng; mỗi chi bộ được một văn bản.",
    f"Sheet “{MEMBERS}”: mỗi đảng viên một dòng; cột “Chi bộ” ghi đúng tên chi bộ như ở sheet “{UNITS}”.",
    "Ngày ghi theo dạng ngày/tháng/năm, ví dụ 15/12/2025.",
    "Ô có mũi tên: chọn trong danh sách. Mức xếp loại có thể gõ tắt HTXSNV, HTTNV, HTNV, KHTNV; "
    "ô Có/Không: chọn “Có” hoặc gõ “x”, bỏ trống là không.",
    "Không đổi tên sheet và tiêu đề cột, không chèn dòng trên dòng tiêu đề; được đổi thứ tự cột "
    "và thêm cột riêng (ví dụ STT) — cột lạ được bỏ qua. Dòng trống được bỏ qua.",
    "Kiểm tra và tạo văn bản bằng lệnh docgen batch: mọi lỗi được báo cùng lúc, kèm sheet, dòng, cột.",
)

LAYOUTS: dict[str, Layout] = {
    "quyet_dinh_xep_loai": Layout(
        title="Quyết định xếp loại chất lượng đảng viên",
        common=(
            C_REGIME,
            C_YEAR,
            C_SUPERIOR,
            C_ISSUER,
            C_SYMBOL,
            C_FIRST_NUMBER,
            C_PLACE,
            C_DATE,
            C_DECIDER,
            C_GROUNDS,
            C_PROPOSAL,
            C_ARTICLE_2,
            C_EXECUTORS,
            C_AUTHORITY,
            C_SIGNER_POST,
            C_SIGNER,
            C_RECIPIENTS,
            C_SORT,
            C_CAP_BASE,
        ),
        units=(
            U_NAME,
            _c("Mức xếp loại chi bộ", "ket_qua.don_vi.quyet_dinh", CHOICE, LEVEL, width=26),
            U_RATED_AT,
            _c("Số tờ trình", "to_trinh.so", INT, width=10),
            _c("Ký hiệu tờ trình", "to_trinh.ky_hieu", width=12),
            _c("Ngày tờ trình", "to_trinh.ngay", DATE, width=14),
            _c("Cơ quan trình", "to_trinh.co_quan", width=32),
            *U_EXCEPTION,
        ),
        members=(*M_PARTICULARS, M_HEAD, M_FORM, *M_RATING, M_DECIDED, *M_CIRCUMSTANCES),
        constants={"doi_tuong": "dang_vien"},
        derived=(Derived("thuc_hien", lambda name: [_committee(name), CONCERNED], U_NAME.header, append=True),),
        guide=(
            "Số quyết định: văn bản đầu tiên lấy “Số bắt đầu”, các văn bản sau lấy số liên tiếp theo thứ tự "
            f"chi bộ ở sheet “{UNITS}”.",
            f"Nơi thi hành của mỗi quyết định: các dòng đã ghi, rồi “Chi ủy <tên chi bộ>” và “{CONCERNED}” (tự thêm).",
            "Cột “Quyết định” bỏ trống thì lấy mức ở cột “Đề xuất”.",
        ),
    ),
    "to_trinh": Layout(
        title="Tờ trình đề nghị xếp loại chất lượng đảng viên",
        common=(
            C_REGIME,
            C_YEAR,
            C_SUPERIOR,
            C_SYMBOL,
            C_PLACE,
            C_DATE,
            C_ADDRESSEE,
            C_GROUNDS,
            C_PLAN_NUMBER,
            C_PLAN_SYMBOL,
            C_PLAN_DATE,
            C_PLAN_ISSUER,
            C_RECIPIENTS,
            C_SORT,
            C_CAP_BASE,
        ),
        units=(
            U_NAME,
            _c("Mức xếp loại chi bộ", "ket_qua.don_vi.de_xuat", CHOICE, LEVEL, width=26),
            U_RATED_AT,
            _c("Ngày họp chi bộ", "ngay_hop", DATE, width=14),
            _c("Số tờ trình", "ban_hanh.so", INT, width=10),
            U_SECRETARY,
            *U_EXCEPTION,
        ),
        members=(*M_PARTICULARS, M_HEAD, M_FORM, *M_RATING, *M_CIRCUMSTANCES),
        constants={"doi_tuong": "dang_vien"},
        derived=(
            Derived("ban_hanh.co_quan_ban_hanh", lambda name: name, U_NAME.header),
            Derived("chu_the_trinh", _committee, U_NAME.header),
            Derived("nguoi_ky.tham_quyen", lambda name: "T/M Chi ủy", U_SECRETARY.header),
            Derived("nguoi_ky.chuc_vu", lambda name: "Bí thư", U_SECRETARY.header),
        ),
        guide=(
            "Mỗi chi bộ một tờ trình: cơ quan ban hành là chi bộ, chủ thể trình là “Chi ủy <tên chi bộ>”, "
            "người ký “T/M Chi ủy – Bí thư” là người ở cột “Bí thư” (tự ghi).",
        ),
    ),
    "bao_cao_kiem_diem": Layout(
        title="Bản kiểm điểm cá nhân (điền sẵn thông tin của từng đảng viên)",
        common=(C_REGIME, C_YEAR, C_PARTY_COMMITTEE, C_FORM_PLACE, C_FORM_DATE),
        units=(U_NAME,),
        members=(*M_PARTICULARS, M_FORM),
        guide=(
            "Mỗi đảng viên được một bản kiểm điểm để trống phần nội dung, đã điền sẵn thông tin cá nhân.",
            "Cột “Mẫu kiểm điểm” bỏ trống: mẫu theo chức vụ lãnh đạo, quản lý.",
        ),
    ),
}


def layout(kind: str) -> Layout:
    try:
        return LAYOUTS[kind]
    except KeyError:
        raise UnknownKind(kind, list(LAYOUTS)) from None


# ---------------------------------------------------------------- small helpers


class _CellError(ValueError):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code, self.message = code, message


def _key(text: str) -> str:
    """Compare headers, labels and names: NFC, tone placement, case and spaces ignored."""
    return " ".join(vn.chuan_hoa(text).casefold().split())


def _same(a, b) -> bool:
    """Equal JSON values; True is not 1 (bool is a subclass of int in Python)."""
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    return a == b


def _show(raw) -> str:
    """A cell value as the user sees it, for messages."""
    if isinstance(raw, dt.datetime):
        raw = raw.date()
    if isinstance(raw, dt.date):
        return raw.strftime("%d/%m/%Y")
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    return str(raw)


def _as_text(raw) -> str:
    return raw if isinstance(raw, str) else _show(raw)


def _get(record, keys):
    for k in keys:
        if not isinstance(record, dict):
            return None
        record = record.get(k)
    return record


def _put(record: dict, keys, value) -> None:
    for k in keys[:-1]:
        record = record.setdefault(k, {})
    record[keys[-1]] = value


def _pop(record: dict, keys) -> None:
    parent = _get(record, keys[:-1])
    if isinstance(parent, dict):
        parent.pop(keys[-1], None)


def _json_path(base: str, keys) -> str:
    for k in keys:
        base = join_path(base, k)
    return base


def _cell_where(sheet: str, row: int, header: str) -> str:
    return f"Sheet {sheet}, dòng {row}, cột {header}"


def _item_where(row: int, label: str) -> str:
    return f"Sheet {COMMON}, dòng {row}, mục {label}"


def _structure(where: str, message: str) -> Problem:
    return Problem("$", "xlsx_structure", message, where)


# ---------------------------------------------------------------- cell values: workbook → JSON

_DMY = re.compile(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})")
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_NUMBER = re.compile(r"[+-]?\d+(?:[.,]\d+)?")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def _parse_text(raw, col: Column) -> str:
    text = _as_text(raw)
    if _LINE_BREAK.search(text):
        raise _CellError("xlsx_line_break", "Ô này chỉ ghi một dòng; hãy bỏ dấu xuống dòng (Alt+Enter) trong ô.")
    return vn.chuan_hoa(text)


def _parse_lines(raw, col: Column) -> list[str] | None:
    items = [vn.chuan_hoa(s.strip()) for s in _LINE_BREAK.split(_as_text(raw))]
    return [s for s in items if s] or None


def _parse_date(raw, col: Column) -> str:
    if isinstance(raw, dt.datetime):
        return raw.date().isoformat()
    if isinstance(raw, dt.date):
        return raw.isoformat()
    if isinstance(raw, str):
        if m := _DMY.fullmatch(raw):
            day, month, year = map(int, m.groups())
        elif m := _ISO.fullmatch(raw):
            year, month, day = map(int, m.groups())
        else:
            day = month = year = 0
        try:
            return dt.date(year, month, day).isoformat()
        except ValueError:
            pass
    raise _CellError("xlsx_date", f"“{_show(raw)}” không phải là ngày; ghi theo dạng ngày/tháng/năm, ví dụ 15/12/2025.")


def _parse_number(raw, col: Column) -> int | float:
    number = None
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        number = raw
    elif isinstance(raw, str) and _NUMBER.fullmatch(raw.replace(" ", "")):
        number = float(raw.replace(" ", "").replace(",", "."))
    if number is None or not math.isfinite(number):
        raise _CellError("xlsx_number", f"“{_show(raw)}” không phải là số.")
    if float(number).is_integer():
        return int(number)
    if col.type == INT:
        raise _CellError("xlsx_number", f"“{_show(raw)}” phải là số nguyên, ví dụ 5.")
    return number


def _parse_choice(raw, col: Column):
    return col.choices.parse(raw)


_PARSE = {
    TEXT: _parse_text,
    LINES: _parse_lines,
    DATE: _parse_date,
    INT: _parse_number,
    NUMBER: _parse_number,
    CHOICE: _parse_choice,
}


# ---------------------------------------------------------------- cell values: JSON → workbook


def _cell_value(value, col: Column):
    """What to write in the cell; a value of the wrong shape is written as is (the round-trip check reports it)."""
    if col.type == DATE and isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return value
    if col.type == LINES and isinstance(value, list) and all(isinstance(s, str) for s in value):
        return "\n".join(value)
    if col.type == CHOICE:
        return col.choices.label(value)
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return value


# ---------------------------------------------------------------- reading sheets

# The rows of a data sheet: (row number, header → cleaned cell value) for each non-empty row; a column
# missing from the sheet has no entry (its cells have no place).
Rows = list[tuple[int, dict[str, object]]]


def _clean(raw):
    if isinstance(raw, str):
        raw = raw.strip()
        return raw or None
    return raw


def _match(found, expected, where_of: Callable[[object, str], str], what: str, missing_where: str):
    """Find each expected header (or item label) among ``found`` — (position, text) pairs — by its text.

    Returns (header → position, problems): a duplicate, a text close to a missing header (a typo: its data
    would be lost) and a missing required header are problems; other texts are ignored.
    """
    by_key = {_key(c.header): c for c in expected}
    positions: dict[str, object] = {}
    problems: list[Problem] = []
    unknown = []
    for pos, text in found:
        if text is None or not _as_text(text).strip():
            continue
        text = _as_text(text).strip()
        col = by_key.get(_key(text))
        if col is None:
            unknown.append((pos, text))
        elif col.header in positions:
            problems.append(_structure(where_of(pos, text), f"{what} “{col.header}” có hai lần; chỉ giữ một."))
        else:
            positions[col.header] = pos
    missing = {_key(c.header): c for c in expected if c.header not in positions}
    for pos, text in unknown:
        close = difflib.get_close_matches(_key(text), list(missing), n=1, cutoff=0.8)
        if close:
            col = missing.pop(close[0])
            problems.append(_structure(where_of(pos, text), f"{what} “{text}” không đúng; phải là “{col.header}”."))
    problems += [
        _structure(missing_where, f"Thiếu {what.lower()} “{c.header}”.") for c in missing.values() if c.required
    ]
    return positions, problems


def _find_sheet(book, name: str):
    return next((book[s] for s in book.sheetnames if _key(s) == _key(name)), None)


class _Budget:
    """The filled cells still allowed to be read, for all sheets of a workbook together."""

    def __init__(self):
        self.cells = limits.BOOK_MAX_CELLS


def _read_grid(book, sheet: str, columns, problems: list, budget: _Budget, key: Column | None = None) -> Rows | None:
    """Read a sheet whose first row holds the headers; None (with problems) when it cannot be used.

    Read in one pass, as the file is parsed (openpyxl's read-only mode); rows past
    :data:`limits.SHEET_MAX_ROWS` that hold data, headers past :data:`limits.SHEET_MAX_COLUMNS` and filled
    cells past :data:`limits.BOOK_MAX_CELLS` stop the reading with a problem naming the sheet."""
    if budget.cells < 0:  # an earlier sheet used it up: that was said once
        return None
    ws = _find_sheet(book, sheet)
    if ws is None:
        problems.append(_structure(f"Sheet {sheet}", f"Thiếu sheet “{sheet}”."))
        return None
    if hasattr(ws, "reset_dimensions"):
        ws.reset_dimensions()  # the size a file declares may be wrong: read every row it has, and only those
    lines = ws.iter_rows(values_only=True)
    header_row = next(lines, ())
    if any(v is not None and _as_text(v).strip() for v in header_row[limits.SHEET_MAX_COLUMNS :]):
        problems.append(
            _limit(
                "sheet_too_many_columns",
                f"Sheet {sheet}, dòng 1",
                f"Sheet “{sheet}” có tiêu đề cột sau cột thứ {limits.SHEET_MAX_COLUMNS}; tệp chỉ đọc "
                f"{limits.SHEET_MAX_COLUMNS} cột đầu. Hãy xóa các cột thừa.",
            )
        )
        return None
    positions, found = _match(
        list(enumerate(header_row)),
        columns,
        lambda pos, text: _cell_where(sheet, 1, text),
        "Cột",
        f"Sheet {sheet}, dòng 1",
    )
    problems += found
    if found:
        return None
    rows = []
    for number, values in enumerate(lines, 2):
        cells = {h: _clean(values[p]) if p < len(values) else None for h, p in positions.items()}
        # Empty rows are skipped; so are rows where only the key is filled (a pre-filled "Chi bộ" column).
        if not any(v is not None for h, v in cells.items() if key is None or h != key.header):
            continue
        filled = sum(1 for v in cells.values() if v is not None)
        if number > limits.SHEET_MAX_ROWS or filled > budget.cells:
            code, what = (
                (
                    "sheet_too_many_rows",
                    f"có dữ liệu ở dòng {number}, quá {limits.count_text(limits.SHEET_MAX_ROWS)} dòng",
                )
                if number > limits.SHEET_MAX_ROWS
                else (
                    "book_too_many_cells",
                    f"làm tệp vượt quá {limits.count_text(limits.BOOK_MAX_CELLS)} ô có dữ liệu",
                )
            )
            problems.append(
                _limit(
                    code,
                    f"Sheet {sheet}, dòng {number}",
                    f"Sheet “{sheet}” {what}; tệp Excel chỉ đọc đến giới hạn này. "
                    "Hãy chia thành nhiều tệp (mỗi tệp một số chi bộ).",
                )
            )
            budget.cells = -1
            return None
        budget.cells -= filled
        rows.append((number, cells))
    return rows


def _limit(code: str, where: str, message: str) -> Problem:
    return Problem("$", code, message, where)


_COMMON_COLUMNS = (_c(ITEM, "", required=True), _c(VALUE, "", required=True))


def _read_items(grid: Rows, columns, problems: list) -> dict[str, tuple[int, object]]:
    """The "Thông tin chung" rows: item label → (row number, value)."""
    found = [(number, cells[ITEM]) for number, cells in grid]
    positions, found_problems = _match(
        found, columns, lambda row, text: _item_where(row, text), "Mục", f"Sheet {COMMON}"
    )
    problems += found_problems
    values = {number: cells[VALUE] for number, cells in grid}
    return {header: (row, values[row]) for header, row in positions.items()}


# ---------------------------------------------------------------- workbook → envelope


class _Reader:
    """Builds the envelope cell by cell, noting where each JSON path comes from and every problem."""

    def __init__(self):
        self.locations: dict[str, str] = {}
        self.problems: list[Problem] = []

    def convert(self, col: Column, raw, path: str, where: str):
        if raw is None:
            return None
        try:
            return _PARSE[col.type](raw, col)
        except _CellError as exc:
            self.problems.append(Problem(path, exc.code, exc.message, where))
            return None

    def locate(self, path: str, where: str, value=None) -> None:
        """Note the place of ``path`` (and of each item when the value is a list)."""
        self.locations[path] = where
        for i in range(len(value)) if isinstance(value, list) else ():
            self.locations[join_path(path, i)] = where

    def place(self, record: dict, base: str, col: Column, raw, where: str):
        path = _json_path(base, col.keys)
        value = self.convert(col, raw, path, where)
        self.locate(path, where, value)
        if value is not None:
            _put(record, col.keys, value)
        return value

    def problem(self, path: str, code: str, message: str, where: str) -> None:
        self.problems.append(Problem(path, code, message, where))


def _read_book(lay: Layout, book, name: str = "") -> tuple[dict, dict[str, str], list[Problem]]:
    problems: list[Problem] = []
    budget = _Budget()
    try:  # the sheets' XML is parsed as their rows are read: a broken part shows here, not when opening
        common = _read_grid(book, COMMON, _COMMON_COLUMNS, problems, budget)
        units = _read_grid(book, UNITS, lay.units, problems, budget)
        members = _read_grid(book, MEMBERS, lay.members, problems, budget, key=M_UNIT)
    except _UNREADABLE:
        return {}, {}, [_unreadable(name)]
    finally:
        book.close()
    items = _read_items(common, lay.common, problems) if common is not None else {}
    if problems:  # the sheets' structure is wrong: the cells cannot be trusted to mean anything
        return {}, {}, problems
    return _assemble(lay, items, units, members)


def _assemble(lay: Layout, items, units: Rows, members: Rows):
    r = _Reader()
    envelope: dict = {}
    r.locations["$.chung"], r.locations["$.don_vi"] = f"Sheet {COMMON}", f"Sheet {UNITS}"
    shared = []  # (column, value, where) of the common rows copied into every unit
    for col in lay.common:
        if col.header not in items:
            continue
        row, raw = items[col.header]
        where = _item_where(row, col.header)
        if col.per_unit:
            shared.append((col, r.convert(col, raw, _json_path("$.don_vi[*]", col.keys[1:]), where), where))
        else:
            r.place(envelope, "$", col, raw, where)
    chung = envelope.setdefault("chung", {})
    chung.update(copy.deepcopy(lay.constants))
    unit_list, index = _read_units(r, lay, units, shared)
    _read_members(r, lay, members, unit_list, index)
    for i in index.values():
        if not _get(unit_list[i], MEMBERS_PATH):
            r.problem(
                _json_path(f"$.don_vi[{i}]", MEMBERS_PATH),
                "xlsx_no_members",
                f"Chi bộ “{_get(unit_list[i], U_NAME.keys)}” chưa có đảng viên nào ở sheet “{MEMBERS}” "
                "(cột “Chi bộ” phải ghi đúng tên chi bộ này).",
                _cell_where(UNITS, units[i][0], U_NAME.header),
            )
    if not unit_list:
        r.problem("$.don_vi", "xlsx_no_units", f"Sheet “{UNITS}” chưa có chi bộ nào.", f"Sheet {UNITS}")
    ordered = {k: envelope[k] for k in ("so_bat_dau",) if k in envelope}
    return {**ordered, "chung": chung, "don_vi": unit_list}, r.locations, r.problems


def _read_units(r: _Reader, lay: Layout, grid: Rows, shared) -> tuple[list[dict], dict[str, int]]:
    """One unit per row of "Đơn vị"; returns the units and the index of each name (its key)."""
    unit_list: list[dict] = []
    index: dict[str, int] = {}
    for i, (number, cells) in enumerate(grid):
        base = f"$.don_vi[{i}]"
        r.locations[base] = f"Sheet {UNITS}, dòng {number}"
        wheres = {col.header: _cell_where(UNITS, number, col.header) for col in lay.units if col.header in cells}
        unit = _read_unit(r, lay, base, cells, wheres, shared)
        name, name_path = _get(unit, U_NAME.keys), _json_path(base, U_NAME.keys)
        if name is None:
            r.problem(name_path, "xlsx_required", "Chưa ghi tên chi bộ.", wheres[U_NAME.header])
        elif _key(name) in index:
            r.problem(
                name_path,
                "xlsx_duplicate_unit",
                f"Chi bộ “{name}” đã có ở dòng {grid[index[_key(name)]][0]}; mỗi chi bộ chỉ ghi một dòng.",
                wheres[U_NAME.header],
            )
        else:
            index[_key(name)] = i
        unit_list.append(unit)
    return unit_list, index


def _read_unit(r: _Reader, lay: Layout, base: str, cells: dict, wheres: dict, shared) -> dict:
    """A unit: its row's cells, the common rows of every unit, the fields derived from its name."""
    unit: dict = {}
    for col in lay.units:
        if col.header in cells:
            r.place(unit, base, col, cells[col.header], wheres[col.header])
    for col, value, where in shared:
        r.locate(_json_path(base, col.keys[1:]), where, value)
        if value is not None:
            _put(unit, col.keys[1:], copy.deepcopy(value))
    _put(unit, MEMBERS_PATH, [])
    name = _get(unit, U_NAME.keys)
    for d in lay.derived if name is not None else ():
        where, path = wheres.get(d.source, r.locations[base]), _json_path(base, d.keys)
        r.locations.setdefault(path, where)  # "Nơi thi hành" keeps its own row
        for k in d.apply(unit, name):
            if k is not None:
                r.locations[join_path(path, k)] = where
    return unit


def _read_members(r: _Reader, lay: Layout, grid: Rows, unit_list: list[dict], index: dict[str, int]) -> None:
    for number, cells in grid:
        unit_text = cells.get(M_UNIT.header)
        i = index.get(_key(_as_text(unit_text))) if unit_text is not None else None
        where_unit = _cell_where(MEMBERS, number, M_UNIT.header)
        present = [col for col in lay.members[1:] if col.header in cells]
        if i is None:
            r.problem("$.don_vi", "xlsx_unknown_unit", _unknown_unit_message(unit_text, index, unit_list), where_unit)
            for col in present:  # the member has no place in the envelope, but its cells are still checked
                r.convert(col, cells[col.header], "$", _cell_where(MEMBERS, number, col.header))
            continue
        dang_vien = _get(unit_list[i], MEMBERS_PATH)
        base, member = _json_path(f"$.don_vi[{i}]", MEMBERS_PATH) + f"[{len(dang_vien)}]", {}
        dang_vien.append(member)
        r.locations[base] = f"Sheet {MEMBERS}, dòng {number}"
        for col in present:
            r.place(member, base, col, cells[col.header], _cell_where(MEMBERS, number, col.header))


def _unknown_unit_message(text, index: dict[str, int], unit_list: list[dict]) -> str:
    if text is None:
        return f"Chưa ghi chi bộ của đảng viên này (tên chi bộ như ở sheet “{UNITS}”)."
    names = {_key(_get(unit_list[i], U_NAME.keys)): _get(unit_list[i], U_NAME.keys) for i in index.values()}
    close = difflib.get_close_matches(_key(_as_text(text)), list(names), n=1, cutoff=0.6)
    hint = f" Có phải là “{names[close[0]]}”?" if close else ""
    return f"Chi bộ “{_as_text(text)}” không có ở sheet “{UNITS}”.{hint}"


def _open(source, name: str = "") -> Workbook:
    """The workbook in read-only mode (cells are read as the sheets are parsed, never all held at once), after
    the zip limits have been checked on its directory (:func:`limits.open_zip`)."""
    if not isinstance(source, bytes):
        source = Path(source)
    name = name or getattr(source, "name", "")
    with limits.open_zip(source, name) as z:
        strings = next((i for i in z.infolist() if i.filename.lower() == "xl/sharedstrings.xml"), None)
    if strings is not None and strings.file_size > limits.BOOK_MAX_STRINGS_PART:
        raise limits.LimitExceeded(
            "zip_too_large",
            f"Bảng chữ dùng chung (xl/sharedStrings.xml) của tệp “{name}” quá lớn "
            f"({limits.size_text(strings.file_size)}; tối đa {limits.size_text(limits.BOOK_MAX_STRINGS_PART)}); "
            "tệp có quá nhiều ô chữ khác nhau.",
        )
    return load_workbook(io.BytesIO(source) if isinstance(source, bytes) else source, read_only=True, data_only=True)


def read_workbook(
    path: str | Path, kind: str, name: str | None = None
) -> tuple[dict | None, dict[str, str], list[Problem]]:
    """Read a filled workbook of ``kind``: ``(envelope or None, locations, problems)``.

    ``locations`` maps envelope JSON paths ("$.don_vi[3].ket_qua.dang_vien[5].quyet_dinh",
    "$.chung.ban_hanh.ngay_ban_hanh") — every cell of a known column, filled or not, and each data row —
    to its place ("Sheet Đảng viên, dòng 14, cột Quyết định"). Every problem is reported at once, each
    with that place in ``where``; the envelope is None when there is any. A problem's ``path`` is the
    envelope path of the cell, except: "$.don_vi[*]…" for a common row copied into every unit, "$" for the
    cells of a member whose chi bộ is unknown and for the sheets' structure. ``name``: the file's name as
    the user knows it, for messages (default: the name of ``path``). The limits of :mod:`docgen.limits`
    apply (zip sizes, rows, columns, cells), each with its own problem.
    """
    lay = layout(kind)
    name = name or Path(path).name
    with warnings.catch_warnings():  # openpyxl's own notes (in English) on cells it gives up on: we say why
        warnings.simplefilter("ignore")
        return _read_file(lay, path, name)


def _read_file(lay: Layout, path, name: str):
    try:
        book = _open(path, name)
    except limits.LimitExceeded as exc:
        return None, {}, [Problem("$", exc.code, exc.message, f"Tệp {name}")]
    except Exception:  # noqa: BLE001 — openpyxl raises many kinds of errors for a file that is not a workbook
        return None, {}, [_unreadable(name)]
    envelope, locations, problems = _read_book(lay, book, name)
    if len(problems) > limits.PROBLEMS_MAX:  # a column of wrong values in a big sheet: the first ones say it
        problems = problems[: limits.PROBLEMS_MAX] + [more_problems()]
    return (None if problems else envelope), locations, problems


# What reading a broken sheet raises: its XML, its zip member, or a cell openpyxl cannot convert.
_UNREADABLE = (ET.ParseError, zipfile.BadZipFile, zlib.error, EOFError, KeyError, ValueError, TypeError, IndexError)


def _unreadable(name: str) -> Problem:
    return Problem(
        "$",
        "xlsx_unreadable",
        f"Không đọc được tệp “{name}” như một bảng tính Excel (.xlsx). Hãy mở tệp bằng "
        "Excel và lưu lại với kiểu “Excel Workbook (*.xlsx)”.",
        f"Tệp {name}",
    )


# ---------------------------------------------------------------- mapping problems back to cells

# A document field that comes from no single cell of the unit or of "chung".
_DOCUMENT_ALIASES = {"$.ban_hanh.so": "$.so_bat_dau"}
_LAST_STEP = re.compile(r'(\[\d+\]|\["(?:[^"\\]|\\.)*"\]|\.[^.\[]+)$')


def _parents(path: str) -> Iterator[str]:
    while (m := _LAST_STEP.search(path)) and path != "$":
        path = path[: m.start()] or "$"
        yield path


def place_of(locations: dict[str, str], path: str, unit: int | None = None) -> str | None:
    """The place in the workbook of a JSON path, or None.

    ``unit`` None: ``path`` is an envelope path. ``unit`` i: ``path`` is a path of the document merged for
    unit i (``chung`` + ``don_vi[i]``), looked up in the unit, then in ``chung``. When no cell matches
    exactly, the nearest enclosing place is given (the member's row, the unit's row, the sheet).
    """
    if unit is None:
        candidates = [("$", path)]
    else:
        rest = path[1:]
        candidates = [(f"$.don_vi[{unit}]", f"$.don_vi[{unit}]{rest}"), ("$.chung", f"$.chung{rest}")]
    for _, candidate in candidates:
        if candidate in locations:
            return locations[candidate]
    alias = _DOCUMENT_ALIASES.get(path) if unit is not None else None
    if alias in locations:
        return locations[alias]
    best, depth = None, -1
    for base, candidate in candidates:
        found = next((p for p in _parents(candidate) if p in locations and p.startswith(base)), None)
        if found is not None and len(found) - len(base) > depth:
            best, depth = locations[found], len(found) - len(base)
    return best


def locate(problems, locations: dict[str, str], unit: int | None = None) -> list[Problem]:
    """The problems with ``where`` set to their place in the workbook (see :func:`place_of`)."""
    out = []
    for p in problems:
        where = p.where or place_of(locations, p.path, unit)
        out.append(dataclasses.replace(p, where=where) if where else p)
    return out


# ---------------------------------------------------------------- envelope → rows


def _prune(value):
    """Drop "$schema", nulls and empty lists/objects: they carry no data."""
    if isinstance(value, dict):
        pruned = {k: _prune(v) for k, v in value.items() if k != "$schema"}
        return {k: v for k, v in pruned.items() if v not in (None, [], {})}
    if isinstance(value, list):
        return [_prune(v) for v in value]
    return value


def _rows(lay: Layout, envelope) -> tuple[dict, list[dict], list[dict]]:
    """The cell values of an envelope: common items, unit rows, member rows (header → JSON value)."""
    env = _prune(vn.chuan_hoa_du_lieu(envelope)) if isinstance(envelope, dict) else {}
    units = (
        [copy.deepcopy(u) for u in env.get("don_vi", []) if isinstance(u, dict)]
        if isinstance(env.get("don_vi"), list)
        else []
    )
    for unit in units:
        for d in lay.derived:
            d.remove(unit, _get(unit, U_NAME.keys))
    common = {col.header: _get(units[0], col.keys[1:]) if units else None for col in lay.common if col.per_unit}
    common.update({col.header: _get(env, col.keys) for col in lay.common if not col.per_unit})
    unit_rows = [{col.header: _get(u, col.keys) for col in lay.units} for u in units]
    member_rows = [
        {M_UNIT.header: _get(u, U_NAME.keys), **{col.header: _get(m, col.keys) for col in lay.members[1:]}}
        for u in units
        for m in (_get(u, MEMBERS_PATH) or [])
        if isinstance(m, dict)
    ]
    return common, unit_rows, member_rows


# ---------------------------------------------------------------- building the workbook

_BOLD = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_WRAP = Alignment(wrap_text=True, vertical="top")
_HEADER_ALIGN = Alignment(wrap_text=True, vertical="center", horizontal="center")


def _write_cell(cell, col: Column, value) -> None:
    if value is None:
        return
    value = _cell_value(value, col)
    try:
        cell.value = value
    except (IllegalCharacterError, ValueError, TypeError):
        return  # control characters or a foreign type: left empty, the round-trip check names the field
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"  # text, never a formula
    if isinstance(value, dt.date):
        cell.number_format = DATE_FORMAT
    if col.type == LINES:
        cell.alignment = _WRAP


def _validation(col: Column, refs: dict[str, str]) -> DataValidation | None:
    """The drop-down or type check of a column (warnings only: abbreviations and text dates are accepted)."""
    common = dict(allow_blank=True, showErrorMessage=True, errorStyle="warning")
    if col.type == CHOICE:
        return DataValidation(
            type="list",
            formula1=refs[col.choices.title],
            errorTitle="Không có trong danh sách",
            error=f"Hãy chọn trong danh sách “{col.choices.title}”.",
            **common,
        )
    if col.type == DATE:
        return DataValidation(
            type="date",
            operator="between",
            formula1="DATE(1900,1,1)",
            formula2="DATE(2100,12,31)",
            errorTitle="Không phải là ngày",
            error="Ghi ngày theo dạng ngày/tháng/năm, ví dụ 15/12/2025.",
            **common,
        )
    if col.type in (INT, NUMBER):
        return DataValidation(
            type="whole" if col.type == INT else "decimal",
            operator="greaterThanOrEqual",
            formula1="0",
            errorTitle="Không phải là số",
            error="Ô này ghi một số.",
            **common,
        )
    return None


def _add_validation(ws, col: Column, cells: str, refs: dict[str, str]) -> None:
    dv = _validation(col, refs)
    if dv is not None:
        dv.add(cells)
        ws.add_data_validation(dv)


def _header_cell(cell) -> None:
    cell.font, cell.fill, cell.alignment = _BOLD, _HEADER_FILL, _HEADER_ALIGN


def _guide_lines(lay: Layout) -> list[str]:
    lines = list(_COMMON_GUIDE)
    lists = [c.header for c in lay.common if c.type == LINES]
    lines.insert(
        5,
        f"Ô có nhiều mục ({', '.join(lists)}): mỗi mục một dòng trong ô, xuống dòng bằng Alt+Enter. "
        "Các ô khác không xuống dòng."
        if lists
        else "Mỗi ô ghi một dòng, không xuống dòng trong ô.",
    )
    return [*lines, *lay.guide]


def _fill_guide(ws, lay: Layout) -> None:
    ws.column_dimensions["A"].width = 120
    ws.cell(1, 1, f"Tệp dữ liệu: {lay.title}").font = Font(bold=True, size=14)
    for n, line in enumerate(_guide_lines(lay), 1):
        ws.cell(n + 2, 1, f"{n}. {line}").alignment = _WRAP


def _fill_lists(ws, choices: list[Choices]) -> dict[str, str]:
    refs = {}
    for j, ch in enumerate(choices, 1):
        letter = get_column_letter(j)
        _header_cell(ws.cell(1, j, ch.title))
        ws.column_dimensions[letter].width = 40
        for i, option in enumerate(ch.options, 2):
            ws.cell(i, j, option.label)
        refs[ch.title] = f"'{LISTS}'!${letter}$2:${letter}${len(ch.options) + 1}"
    ws.sheet_state = "hidden"
    return refs


def _fill_common(ws, columns, values: dict, refs: dict[str, str]) -> None:
    for j, (header, width) in enumerate(((ITEM, 30), (VALUE, 80)), 1):
        _header_cell(ws.cell(1, j, header))
        ws.column_dimensions[get_column_letter(j)].width = width
    for r, col in enumerate(columns, 2):
        ws.cell(r, 1, col.header).font = _BOLD
        cell = ws.cell(r, 2)
        _write_cell(cell, col, values.get(col.header))
        if col.type == DATE:
            cell.number_format = DATE_FORMAT
        _add_validation(ws, col, cell.coordinate, refs)
    ws.freeze_panes = "A2"


def _fill_table(ws, columns, rows: list[dict], refs: dict[str, str]) -> None:
    last = len(rows) + 1 + EXTRA_ROWS
    for j, col in enumerate(columns, 1):
        letter = get_column_letter(j)
        _header_cell(ws.cell(1, j, col.header))
        ws.column_dimensions[letter].width = col.width
        if col.type == DATE:
            ws.column_dimensions[letter].number_format = DATE_FORMAT
        _add_validation(ws, col, f"{letter}2:{letter}{last}", refs)
    for i, row in enumerate(rows, 2):
        for j, col in enumerate(columns, 1):
            _write_cell(ws.cell(i, j), col, row.get(col.header))
    ws.row_dimensions[1].height = 45
    ws.freeze_panes = "A2"


def _unit_dropdown(ws, lay: Layout, units: int, members: int) -> None:
    """The "Chi bộ" column of "Đảng viên" offers the names written on "Đơn vị"."""
    names = get_column_letter(lay.units.index(U_NAME) + 1)
    column = get_column_letter(lay.members.index(M_UNIT) + 1)
    dv = DataValidation(
        type="list",
        formula1=f"'{UNITS}'!${names}$2:${names}${units + 1 + EXTRA_ROWS}",
        allow_blank=True,
        showErrorMessage=True,
        errorStyle="warning",
        errorTitle="Chi bộ lạ",
        error=f"Tên chi bộ phải ghi đúng như ở sheet “{UNITS}”.",
    )
    dv.add(f"{column}2:{column}{members + 1 + EXTRA_ROWS}")
    ws.add_data_validation(dv)


def _used_choices(lay: Layout) -> list[Choices]:
    found: list[Choices] = []
    for col in (*lay.common, *lay.units, *lay.members):
        if col.choices is not None and col.choices not in found:
            found.append(col.choices)
    return found


def _workbook(lay: Layout, common: dict, units: list[dict], members: list[dict]) -> Workbook:
    wb = Workbook()
    guide = wb.active
    guide.title = GUIDE
    sheets = {name: wb.create_sheet(name) for name in (COMMON, UNITS, MEMBERS, LISTS)}
    refs = _fill_lists(sheets[LISTS], _used_choices(lay))
    _fill_guide(guide, lay)
    _fill_common(sheets[COMMON], lay.common, common, refs)
    _fill_table(sheets[UNITS], lay.units, units, refs)
    _fill_table(sheets[MEMBERS], lay.members, members, refs)
    _unit_dropdown(sheets[MEMBERS], lay, len(units), len(members))
    wb.properties.creator = "docgen"
    wb.properties.created = wb.properties.modified = FIXED_TIME
    return wb


def _to_bytes(wb: Workbook) -> bytes:
    """Serialise with fixed timestamps (openpyxl's own save stamps the current time)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        ExcelWriter(wb, z).write_data()
    with zipfile.ZipFile(io.BytesIO(buf.getvalue())) as z:
        return zip_package([(name, z.read(name)) for name in z.namelist()])


def _differences(expected, got, path: str = "$") -> Iterator[tuple[str, object, object]]:
    if isinstance(expected, dict) and isinstance(got, dict):
        for k in [*expected, *(k for k in got if k not in expected)]:
            yield from _differences(expected.get(k), got.get(k), join_path(path, k))
    elif isinstance(expected, list) and isinstance(got, list) and len(expected) == len(got):
        for i, (a, b) in enumerate(zip(expected, got)):
            yield from _differences(a, b, join_path(path, i))
    elif not _same(expected, got):
        yield path, expected, got


def _shown(value) -> str:
    if value is None:
        return "(trống)"
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 80 else text[:79] + "…"


def _round_trip_problems(lay: Layout, data: bytes, envelope) -> list[Problem]:
    """What the workbook would not give back: fields without a column, values of the wrong shape, a unit
    whose derived fields differ from the convention, common rows that differ between units."""
    back, _, _ = _read_book(lay, _open(data))
    expected = _prune(vn.chuan_hoa_du_lieu(envelope)) if isinstance(envelope, dict) else envelope
    return [
        Problem(
            path,
            "xlsx_unsupported",
            f"Dữ liệu này không ghi được vào tệp Excel (đọc lại sẽ được {_shown(b)} thay vì {_shown(a)}): "
            "không có cột tương ứng hoặc không theo quy ước của tệp Excel; hãy dùng tệp JSON.",
        )
        for path, a, b in _differences(expected, _prune(back))
    ]


def build_workbook(kind: str, envelope: dict | None = None) -> bytes:
    """The .xlsx bytes of a ready-to-fill workbook of ``kind``, filled from ``envelope`` when given.

    Raises :class:`docgen.InvalidInput` (code ``xlsx_unsupported``) when the envelope holds something the
    workbook would not give back unchanged.
    """
    lay = layout(kind)
    data = _to_bytes(_workbook(lay, *_rows(lay, envelope)))
    if envelope is not None:
        problems = _round_trip_problems(lay, data, envelope)
        if problems:
            raise InvalidInput(problems)
    return data


def write_workbook(kind: str, path: str | Path, envelope: dict | None = None) -> Path:
    """Write the workbook of :func:`build_workbook` to ``path`` atomically; returns the path."""
    return write_atomic(path, build_workbook(kind, envelope))
