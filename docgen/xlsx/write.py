"""Writing a workbook: the ready-to-fill template of a batch kind, or a filled one from an envelope.

:func:`build_workbook` lays the kind's :class:`~docgen.xlsx.columns.Layout` out on the sheets (headers,
widths, drop-down lists on the hidden "Danh mục" sheet, date and number checks, the guide sheet) and, given
an envelope, fills the cells — refusing an envelope the workbook could not give back unchanged (read back
with :mod:`docgen.xlsx.read` and compared), so no data is lost silently. The bytes are the same for the
same input (fixed timestamps).
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import json
import zipfile
from pathlib import Path
from typing import Iterator

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import IllegalCharacterError
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.writer.excel import ExcelWriter

from .. import vn
from ..errors import InvalidInput, Problem, join_path
from ..export import write_atomic
from ..ooxml import zip_package
from .columns import (
    CHOICE,
    COMMON,
    COMMON_GUIDE,
    DATE,
    GUIDE,
    INT,
    ITEM,
    LINES,
    LISTS,
    M_UNIT,
    MEMBERS,
    MEMBERS_PATH,
    NUMBER,
    U_NAME,
    UNITS,
    VALUE,
    Choices,
    Column,
    Layout,
    get,
    same,
    workbook_of,
)
from .read import open_book, read_book

# The workbook's own look (it is a form to fill, not a party document: the format profile does not apply).
DATE_FORMAT = "DD/MM/YYYY"
EXTRA_ROWS = 1000  # rows below the data that get drop-downs and date checks
FIXED_TIME = dt.datetime(2025, 1, 1)  # workbook properties: the same bytes for the same input
DATES_ACCEPTED = ("DATE(1900,1,1)", "DATE(2100,12,31)")  # Excel's date check (a warning: text dates pass)
WIDTHS = {"guide": 120, "lists": 40, ITEM: 30, VALUE: 80}  # column widths, in Excel's characters
HEADER_ROW_HEIGHT = 45  # points: room for a header of two or three lines
TITLE_SIZE = 14  # the guide sheet's title
SHOWN_CHARS = 80  # a value quoted in a message, at most


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
            d.remove(unit, get(unit, U_NAME.keys))
    common = {col.header: get(units[0], col.keys[1:]) if units else None for col in lay.common if col.per_unit}
    common.update({col.header: get(env, col.keys) for col in lay.common if not col.per_unit})
    unit_rows = [{col.header: get(u, col.keys) for col in lay.units} for u in units]
    member_rows = [
        {M_UNIT.header: get(u, U_NAME.keys), **{col.header: get(m, col.keys) for col in lay.members[1:]}}
        for u in units
        for m in (get(u, MEMBERS_PATH) or [])
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
            formula1=DATES_ACCEPTED[0],
            formula2=DATES_ACCEPTED[1],
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
    lines = list(COMMON_GUIDE)
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
    ws.column_dimensions["A"].width = WIDTHS["guide"]
    ws.cell(1, 1, f"Tệp dữ liệu: {lay.title}").font = Font(bold=True, size=TITLE_SIZE)
    for n, line in enumerate(_guide_lines(lay), 1):
        ws.cell(n + 2, 1, f"{n}. {line}").alignment = _WRAP


def _fill_lists(ws, choices: list[Choices]) -> dict[str, str]:
    refs = {}
    for j, ch in enumerate(choices, 1):
        letter = get_column_letter(j)
        _header_cell(ws.cell(1, j, ch.title))
        ws.column_dimensions[letter].width = WIDTHS["lists"]
        for i, option in enumerate(ch.options, 2):
            ws.cell(i, j, option.label)
        refs[ch.title] = f"'{LISTS}'!${letter}$2:${letter}${len(ch.options) + 1}"
    ws.sheet_state = "hidden"
    return refs


def _fill_common(ws, columns, values: dict, refs: dict[str, str]) -> None:
    for j, (header, width) in enumerate(((ITEM, WIDTHS[ITEM]), (VALUE, WIDTHS[VALUE])), 1):
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
    ws.row_dimensions[1].height = HEADER_ROW_HEIGHT
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
    elif not same(expected, got):
        yield path, expected, got


def _shown(value) -> str:
    if value is None:
        return "(trống)"
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= SHOWN_CHARS else text[: SHOWN_CHARS - 1] + "…"


def _round_trip_problems(lay: Layout, data: bytes, envelope) -> list[Problem]:
    """What the workbook would not give back: fields without a column, values of the wrong shape, a unit
    whose derived fields differ from the convention, common rows that differ between units."""
    back, _, _ = read_book(lay, open_book(data))
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


def build_workbook(kind, envelope: dict | None = None) -> bytes:
    """The .xlsx bytes of a ready-to-fill workbook of ``kind`` (a :class:`~docgen.kinds.Kind` or its name),
    filled from ``envelope`` when given.

    Raises :class:`docgen.InvalidInput` (code ``xlsx_unsupported``) when the envelope holds something the
    workbook would not give back unchanged.
    """
    lay = workbook_of(kind)
    data = _to_bytes(_workbook(lay, *_rows(lay, envelope)))
    if envelope is not None:
        problems = _round_trip_problems(lay, data, envelope)
        if problems:
            raise InvalidInput(problems)
    return data


def write_workbook(kind, path: str | Path, envelope: dict | None = None) -> Path:
    """Write the workbook of :func:`build_workbook` to ``path`` atomically; returns the path."""
    return write_atomic(path, build_workbook(kind, envelope))
