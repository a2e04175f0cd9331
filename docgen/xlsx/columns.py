"""The workbook's vocabulary: its sheets, cell types and drop-down lists, and the columns a kind's layout is
made of.

A workbook holds one batch (the envelope of ``schemas/lo_van_ban.schema.json``: ``{"so_bat_dau", "chung",
"don_vi": [...]}``) on four sheets:

- "Thông tin chung": one row per field shared by every document ("Mục" | "Giá trị");
- "Đơn vị": one row per chi bộ (one document each);
- "Đảng viên": one row per member, tied to its chi bộ by the "Chi bộ" column;
- "Danh mục" (hidden): the drop-down lists.

A batch kind declares its workbook (``BatchSpec.workbook``) as a :class:`Layout`: a table of
:class:`Column` (header, JSON path, type, choices) for each sheet, plus the unit fields computed from a
cell (:class:`Derived`, e.g. "Chi ủy " + the unit's name). The columns most kinds share are here; a kind's
own are in its module. The drop-down lists of rule choices (the regimes, the review forms) come from the
rule sets (:mod:`docgen.rules`), the levels from their table.
"""

from __future__ import annotations

from functools import lru_cache

import dataclasses
import datetime as dt
from dataclasses import dataclass
from typing import Callable

from .. import rules, vn
from ..errors import DocgenError, unplaced
from ..rules import LEVEL_NAMES, LEVELS

# ---------------------------------------------------------------- sheet names and cell types

GUIDE, COMMON, UNITS, MEMBERS, LISTS = "Hướng dẫn", "Thông tin chung", "Đơn vị", "Đảng viên", "Danh mục"
ITEM, VALUE = "Mục", "Giá trị"  # the two columns of the common sheet

TEXT, LINES, DATE, INT, NUMBER, CHOICE = "text", "lines", "date", "int", "number", "choice"


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
        return next((o.label for o in self.options if same(o.value, value)), value)

    def parse(self, raw):
        """The JSON value of a cell, by label, code or other spelling, case- and NFC-insensitive; a
        :class:`~docgen.errors.Problem` (not yet placed) when it is none of them."""
        if isinstance(raw, bool):
            found = [o.value for o in self.options if same(o.value, raw)]
        else:
            k = key(as_text(raw))
            found = [
                o.value
                for o in self.options
                if k in {key(s) for s in (o.label, *o.also, *([o.value] if isinstance(o.value, str) else []))}
            ]
        if found:
            return found[0]
        labels = "; ".join(f"“{o.label}”" for o in self.options)
        also = ", ".join(a for o in self.options for a in o.also)
        hint = f" (hoặc viết tắt: {also})" if also else ""
        return unplaced("xlsx_choice", f"“{show(raw)}” không có trong danh sách; chọn một trong: {labels}{hint}.")


def _regimes() -> Choices:
    """The rule sets, the newest regulation first: "Quy định 366-QĐ/TW (2025)", or its number alone."""
    return Choices(
        "Chế độ",
        tuple(
            Option(
                r.id,
                f"{r.regulation['kind']} {r.regulation['number']} ({r.regulation['date'][:4]})",
                (r.regulation["number"],),
            )
            for r in rules.by_date()
        ),
    )


def _review_forms() -> Choices:
    """The individual review forms of every regime (2A, 2B, 2C; 02A, 02B), the newest regime first."""
    numbers = [n for r in rules.by_date() for kind, n in r.forms.items() if kind != "tap_the"]
    return Choices("Mẫu kiểm điểm", tuple(Option(n, n) for n in dict.fromkeys(numbers)))


def _discipline(part: str, title: str) -> Choices:
    """A list of the rule sets' discipline data (``forms``: "Khiển trách" …, ``violations``: the kinds of
    violation the regulation distinguishes), each code once, in the rule sets' order, newest regime first."""
    found = {code: text for r in rules.by_date() for code, text in r.discipline.get(part, {}).items()}
    return Choices(title, tuple(Option(code, text[:1].upper() + text[1:]) for code, text in found.items()))


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
REGIME = _regimes()
FORM = _review_forms()
DISCIPLINE_FORM = _discipline("forms", "Mức kỷ luật")
VIOLATION = _discipline("violations", "Loại vi phạm")
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
    kind's schema checks values after merging, and :func:`docgen.xlsx.locate.place_of` points at the cell.
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
            put(unit, self.keys, value)
            return [None]
        items = get(unit, self.keys) or []
        put(unit, self.keys, items + value)
        return list(range(len(items), len(items) + len(value)))

    def remove(self, unit: dict, name: str | None) -> None:
        """Undo :meth:`apply` before writing a unit's row (what cannot be undone shows as a difference)."""
        if not self.append:
            pop(unit, self.keys)
            return
        items, tail = get(unit, self.keys), self.make(name) if name else None
        if isinstance(items, list) and tail and items[-len(tail) :] == tail:
            put(unit, self.keys, items[: -len(tail)])


@dataclass(frozen=True)
class Layout:
    title: str  # the documents, in Vietnamese, for the guide sheet
    common: tuple[Column, ...]  # rows of "Thông tin chung"
    units: tuple[Column, ...]  # columns of "Đơn vị"
    members: tuple[Column, ...]  # columns of "Đảng viên" (the first is the chi bộ key)
    constants: dict = dataclasses.field(default_factory=dict)  # fields of "chung" the workbook does not ask for
    derived: tuple[Derived, ...] = ()
    guide: tuple[str, ...] = ()  # lines of the guide specific to the kind


def column(header, path, type=TEXT, choices=None, required=False, width=16) -> Column:
    return Column(header, path, type, choices, required, width)


# ---------------------------------------------------------------- the columns kinds share

# Thông tin chung
C_REGIME = column("Chế độ", "chung.che_do", CHOICE, REGIME)
C_YEAR = column("Năm", "chung.nam", INT, required=True)
C_SUPERIOR = column("Cơ quan cấp trên", "chung.ban_hanh.cap_tren")
C_ISSUER = column("Cơ quan ban hành", "chung.ban_hanh.co_quan_ban_hanh", required=True)
C_SYMBOL = column("Ký hiệu", "chung.ban_hanh.ky_hieu", required=True)
C_PLACE = column("Địa danh", "chung.ban_hanh.dia_danh", required=True)
C_DATE = column("Ngày ban hành", "chung.ban_hanh.ngay_ban_hanh", DATE, required=True)
C_FIRST_NUMBER = column("Số bắt đầu", "so_bat_dau", INT)
C_GROUNDS = column("Căn cứ thêm", "chung.can_cu_them", LINES)
C_AUTHORITY = column("Thẩm quyền ký", "chung.nguoi_ky.tham_quyen", required=True)
C_SIGNER_POST = column("Chức vụ người ký", "chung.nguoi_ky.chuc_vu", required=True)
C_SIGNER = column("Người ký", "chung.nguoi_ky.ho_ten", required=True)
C_RECIPIENTS = column("Nơi nhận", "chung.noi_nhan", LINES, required=True)
C_SORT = column("Sắp xếp theo tên", "chung.sap_xep_ten", CHOICE, YES_NO)
C_CAP_BASE = column("Tỷ lệ HTXSNV tính trên", "*.ket_qua.cai_dat.tran_htxs_tinh_tren", CHOICE, CAP_BASE)

# Đơn vị
U_NAME = column("Tên chi bộ", "ket_qua.don_vi.ten", required=True, width=32)
U_RATED_AT = column("Ngày đánh giá", "ket_qua.ngay_danh_gia", DATE, width=14)
U_EXCEPTION = (
    column("Lý do áp dụng tỷ lệ 25%", "ket_qua.ngoai_le_ty_le.ly_do", width=30),
    column("Văn bản cho phép tỷ lệ 25%", "ket_qua.ngoai_le_ty_le.can_cu", width=30),
)
U_DECIDED = column("Mức xếp loại chi bộ", "ket_qua.don_vi.quyet_dinh", CHOICE, LEVEL, width=26)


def u_cited(what: str, key: str, body: str) -> tuple[Column, ...]:
    """The unit's columns of a document its document cites (``key``: ``{"so", "ky_hieu", "ngay", "co_quan"}``),
    "Số tờ trình", "Ký hiệu tờ trình", "Ngày tờ trình" and ``body`` (the column of who issued it)."""
    return (
        column(f"Số {what}", f"{key}.so", INT, width=10),
        column(f"Ký hiệu {what}", f"{key}.ky_hieu", width=12),
        column(f"Ngày {what}", f"{key}.ngay", DATE, width=14),
        column(body, f"{key}.co_quan", width=32),
    )


# Đảng viên
M_UNIT = column("Chi bộ", "", required=True, width=28)  # not stored: ties the member to a unit row
M_NAME = column("Họ và tên", "ho_ten", required=True, width=26)
M_PARTICULARS = (
    M_UNIT,
    M_NAME,
    column("Ngày sinh", "ngay_sinh", DATE, width=12),
    column("Chức vụ đảng", "chuc_vu_dang", width=22),
    column("Chức vụ chính quyền, đoàn thể", "chuc_vu_chinh_quyen", width=30),
    column("Đơn vị công tác", "don_vi_cong_tac", width=30),
    column("Ngày vào Đảng", "ngay_vao_dang", DATE, width=12),
    column("Tình trạng", "trang_thai", CHOICE, STATUS, width=24),
    column("Lãnh đạo, quản lý", "lanh_dao_quan_ly", CHOICE, YES_NO, width=11),
)
M_HEAD = column("Người đứng đầu", "nguoi_dung_dau", CHOICE, YES_NO, width=11)
M_FORM = column("Mẫu kiểm điểm", "mau", CHOICE, FORM, width=11)
M_RATING = (
    column("Tự xếp loại", "tu_xep_loai", CHOICE, LEVEL, width=26),
    column("Điểm nhóm 1", "diem.nhom_1", NUMBER, width=10),
    column("Điểm nhóm 2", "diem.nhom_2", NUMBER, width=10),
    column("Tổng điểm", "diem.tong", NUMBER, width=10),
    column("Đề xuất", "de_xuat", CHOICE, LEVEL, width=26),
)
M_DECIDED = column("Quyết định", "quyet_dinh", CHOICE, LEVEL, width=26)
M_CIRCUMSTANCES = (
    column("Kỷ luật trong năm", "ky_luat_trong_nam", CHOICE, YES_NO, width=11),
    column("Hình thức kỷ luật", "hinh_thuc_ky_luat", width=16),
    # What the rules weigh (Quy định 366: discipline forces KHTNV only for the violations it lists).
    column("Mức kỷ luật", "muc_ky_luat", CHOICE, DISCIPLINE_FORM, width=13),
    column("Loại vi phạm", "vi_pham_ky_luat", CHOICE, VIOLATION, width=30),
    column("Nghỉ ốm (tháng)", "nghi_om_thang", NUMBER, width=10),
    column("Nghỉ thai sản", "nghi_thai_san", CHOICE, YES_NO, width=11),
    column("Ghi chú", "ghi_chu", width=24),
    # Less common fields, after the usual ones.
    column("Nhóm tính tỷ lệ", "nhom", width=18),
    column("HTXS: hoàn thành tất cả tiêu chí", "dieu_kien_htxs.hoan_thanh_tat_ca", CHOICE, YES_NO, width=14),
    column("HTXS: vượt mức từ 30% tiêu chí", "dieu_kien_htxs.vuot_30_phan_tram", CHOICE, YES_NO, width=14),
    column("HTXS: khắc phục hết hạn chế", "dieu_kien_htxs.khac_phuc_het", CHOICE, YES_NO, width=14),
    column("Lý do ngoại lệ kỷ luật", "ngoai_le_ky_luat.ly_do", width=24),
    column("Văn bản ngoại lệ kỷ luật", "ngoai_le_ky_luat.can_cu", width=24),
    column("Lý do ngoại lệ người đứng đầu", "ngoai_le_nguoi_dung_dau.ly_do", width=24),
    column("Văn bản ngoại lệ người đứng đầu", "ngoai_le_nguoi_dung_dau.can_cu", width=24),
)

# The members of a batch that states decided levels (a decision, a notice of the results).
M_DECIDED_RATING = (*M_PARTICULARS, M_HEAD, M_FORM, *M_RATING, M_DECIDED, *M_CIRCUMSTANCES)

MEMBERS_PATH = ("ket_qua", "dang_vien")

# The guide sheet's lines every workbook has; a kind's layout adds its own (Layout.guide).
COMMON_GUIDE = (
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


def workbook_of(kind) -> Layout:
    """The workbook a kind declares (``kind.batch.workbook``); a kind without one is refused, naming those
    that have one."""
    from .. import kinds

    declared = kinds.get(kind)
    if declared.batch is None or declared.batch.workbook is None:
        have = ", ".join(k.name for k in kinds.batch_kinds() if k.batch.workbook is not None)
        raise NoWorkbook(f"Loại “{declared.title}” không nhập bằng sổ Excel; các loại có sổ Excel: {have}.")
    return declared.batch.workbook


class NoWorkbook(DocgenError):
    """The kind has no Excel workbook."""


# ---------------------------------------------------------------- values, keys and records


@lru_cache(maxsize=1 << 16)  # asked for nearly every cell of a workbook, of the same few hundred texts
def key(text: str) -> str:
    """Compare headers, labels and names: NFC, tone placement, case and spaces ignored."""
    return " ".join(vn.chuan_hoa(text).casefold().split())


def same(a, b) -> bool:
    """Equal JSON values; True is not 1 (bool is a subclass of int in Python)."""
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    return a == b


def show(raw) -> str:
    """A cell value as the user sees it, for messages."""
    if isinstance(raw, dt.datetime):
        raw = raw.date()
    if isinstance(raw, dt.date):
        return raw.strftime("%d/%m/%Y")
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    return str(raw)


def as_text(raw) -> str:
    return raw if isinstance(raw, str) else show(raw)


def get(record, keys):
    for k in keys:
        if not isinstance(record, dict):
            return None
        record = record.get(k)
    return record


def put(record: dict, keys, value) -> None:
    for k in keys[:-1]:
        record = record.setdefault(k, {})
    record[keys[-1]] = value


def pop(record: dict, keys) -> None:
    parent = get(record, keys[:-1])
    if isinstance(parent, dict):
        parent.pop(keys[-1], None)


def committee(unit: str) -> str:
    """The committee of a chi bộ, as the documents name it: "Chi ủy <tên chi bộ>"."""
    return f"Chi ủy {unit}"
