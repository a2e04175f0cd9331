"""Reading a filled workbook back: its sheets, its cells, and the batch envelope they make.

:func:`read_workbook` turns a workbook into an :class:`~docgen.inputs.Input`: the envelope, a map from every
envelope JSON path to its :class:`~docgen.errors.Cell` (sheet, row, the column's header and letter), and every
problem at once. Cells are normalised as they are read (:func:`docgen.vn.chuan_hoa`), so the input needs no
second pass. The reading is bounded by :mod:`docgen.limits` (zip sizes, rows, columns, filled cells).
"""

from __future__ import annotations

import copy
import datetime as dt
import difflib
import io
import math
import re
import warnings
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable
from xml.etree import ElementTree as ET

from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter

from .. import limits, vn
from ..errors import Cell, Cells, Problem, join_path, unplaced
from ..inputs import Input
from ..validation import more_problems
from .columns import (
    CHOICE,
    COMMON,
    DATE,
    INT,
    ITEM,
    LINES,
    MEMBERS,
    MEMBERS_PATH,
    NUMBER,
    TEXT,
    U_NAME,
    UNITS,
    VALUE,
    M_UNIT,
    Column,
    Layout,
    as_text,
    column,
    get,
    key,
    put,
    show,
    workbook_of,
)

# ---------------------------------------------------------------- cell values: workbook → JSON

_DMY = re.compile(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})")
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_NUMBER = re.compile(r"[+-]?\d+(?:[.,]\d+)?")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")

# A parser returns the cell's JSON value, or a Problem (not yet placed) saying why the cell is not one.


def _parse_text(raw, col: Column):
    text = as_text(raw)
    if _LINE_BREAK.search(text):
        return unplaced("xlsx_line_break", "Ô này chỉ ghi một dòng; hãy bỏ dấu xuống dòng (Alt+Enter) trong ô.")
    return vn.chuan_hoa(text)


def _parse_lines(raw, col: Column) -> list[str] | None:
    items = [vn.chuan_hoa(s.strip()) for s in _LINE_BREAK.split(as_text(raw))]
    return [s for s in items if s] or None


def _parse_date(raw, col: Column):
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
    return unplaced("xlsx_date", f"“{show(raw)}” không phải là ngày; ghi theo dạng ngày/tháng/năm, ví dụ 15/12/2025.")


def _parse_number(raw, col: Column):
    number = None
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        number = raw
    elif isinstance(raw, str) and _NUMBER.fullmatch(raw.replace(" ", "")):
        number = float(raw.replace(" ", "").replace(",", "."))
    if number is None or not math.isfinite(number):
        return unplaced("xlsx_number", f"“{show(raw)}” không phải là số.")
    if float(number).is_integer():
        return int(number)
    if col.type == INT:
        return unplaced("xlsx_number", f"“{show(raw)}” phải là số nguyên, ví dụ 5.")
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


# ---------------------------------------------------------------- reading sheets


@dataclass
class _Grid:
    """A data sheet: (row number, header → cleaned cell value) for each non-empty row — a column missing
    from the sheet has no entry (its cells have no place) — and the letter of each header's column."""

    sheet: str
    rows: list[tuple[int, dict[str, object]]] = field(default_factory=list)
    letters: dict[str, str] = field(default_factory=dict)

    def cell(self, row: int, header: str) -> Cell:
        return Cell(self.sheet, row, header, self.letters.get(header, ""))


def _clean(raw):
    if isinstance(raw, str):
        raw = raw.strip()
        return raw or None
    return raw


def _structure(where: str, message: str) -> Problem:
    return Problem("$", "xlsx_structure", message, where)


def _match(found, expected, where_of: Callable[[object, str], str], what: str, missing_where: str):
    """Find each expected header (or item label) among ``found`` — (position, text) pairs — by its text.

    Returns (header → position, problems): a duplicate, a text close to a missing header (a typo: its data
    would be lost) and a missing required header are problems; other texts are ignored.
    """
    by_key = {key(c.header): c for c in expected}
    positions: dict[str, object] = {}
    problems: list[Problem] = []
    unknown = []
    for pos, text in found:
        if text is None or not as_text(text).strip():
            continue
        text = as_text(text).strip()
        col = by_key.get(key(text))
        if col is None:
            unknown.append((pos, text))
        elif col.header in positions:
            problems.append(_structure(where_of(pos, text), f"{what} “{col.header}” có hai lần; chỉ giữ một."))
        else:
            positions[col.header] = pos
    missing = {key(c.header): c for c in expected if c.header not in positions}
    for pos, text in unknown:
        close = difflib.get_close_matches(key(text), list(missing), n=1, cutoff=0.8)
        if close:
            col = missing.pop(close[0])
            problems.append(_structure(where_of(pos, text), f"{what} “{text}” không đúng; phải là “{col.header}”."))
    problems += [
        _structure(missing_where, f"Thiếu {what.lower()} “{c.header}”.") for c in missing.values() if c.required
    ]
    return positions, problems


def _find_sheet(book, name: str):
    return next((book[s] for s in book.sheetnames if key(s) == key(name)), None)


class _Budget:
    """The filled cells still allowed to be read, for all sheets of a workbook together."""

    def __init__(self):
        self.cells = limits.BOOK_MAX_CELLS


def _read_grid(book, sheet: str, columns, problems: list, budget: _Budget, key_col: Column | None = None):
    """Read a sheet whose first row holds the headers; None (with problems) when it cannot be used.

    Read in one pass, as the file is parsed (openpyxl's read-only mode); rows past
    :data:`limits.SHEET_MAX_ROWS` that hold data, headers past :data:`limits.SHEET_MAX_COLUMNS` and filled
    cells past :data:`limits.BOOK_MAX_CELLS` stop the reading with a problem naming the sheet."""
    if budget.cells < 0:  # an earlier sheet used it up: that was said once
        return None
    ws = _find_sheet(book, sheet)
    if ws is None:
        problems.append(_structure(Cell(sheet), f"Thiếu sheet “{sheet}”."))
        return None
    if hasattr(ws, "reset_dimensions"):
        ws.reset_dimensions()  # the size a file declares may be wrong: read every row it has, and only those
    lines = ws.iter_rows(values_only=True)
    header_row = next(lines, ())
    if any(v is not None and as_text(v).strip() for v in header_row[limits.SHEET_MAX_COLUMNS :]):
        problems.append(
            _limit(
                "sheet_too_many_columns",
                Cell(sheet, 1),
                f"Sheet “{sheet}” có tiêu đề cột sau cột thứ {limits.SHEET_MAX_COLUMNS}; tệp chỉ đọc "
                f"{limits.SHEET_MAX_COLUMNS} cột đầu. Hãy xóa các cột thừa.",
            )
        )
        return None
    positions, found = _match(
        list(enumerate(header_row)),
        columns,
        lambda pos, text: Cell(sheet, 1, text, get_column_letter(pos + 1)),
        "Cột",
        Cell(sheet, 1),
    )
    problems += found
    if found:
        return None
    grid = _Grid(sheet, letters={h: get_column_letter(p + 1) for h, p in positions.items()})
    for number, values in enumerate(lines, 2):
        cells = {h: _clean(values[p]) if p < len(values) else None for h, p in positions.items()}
        # Empty rows are skipped; so are rows where only the key is filled (a pre-filled "Chi bộ" column).
        if not any(v is not None for h, v in cells.items() if key_col is None or h != key_col.header):
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
                    Cell(sheet, number),
                    f"Sheet “{sheet}” {what}; tệp Excel chỉ đọc đến giới hạn này. "
                    "Hãy chia thành nhiều tệp (mỗi tệp một số chi bộ).",
                )
            )
            budget.cells = -1
            return None
        budget.cells -= filled
        grid.rows.append((number, cells))
    return grid


def _limit(code: str, where: str, message: str) -> Problem:
    return Problem("$", code, message, where)


_COMMON_COLUMNS = (column(ITEM, "", required=True), column(VALUE, "", required=True))


def _item(grid: _Grid, row: int, label: str) -> Cell:
    """A row of "Thông tin chung", named by its item; the letter is the value's column."""
    return Cell(COMMON, row, label, grid.letters.get(VALUE, ""), item=True)


def _read_items(grid: _Grid, columns, problems: list) -> dict[str, tuple[int, object]]:
    """The "Thông tin chung" rows: item label → (row number, value)."""
    found = [(number, cells[ITEM]) for number, cells in grid.rows]
    positions, found_problems = _match(found, columns, lambda row, text: _item(grid, row, text), "Mục", Cell(COMMON))
    problems += found_problems
    values = {number: cells[VALUE] for number, cells in grid.rows}
    return {header: (row, values[row]) for header, row in positions.items()}


# ---------------------------------------------------------------- workbook → envelope


def _json_path(base: str, keys) -> str:
    for k in keys:
        base = join_path(base, k)
    return base


class _Reader:
    """Builds the envelope cell by cell, noting where each JSON path comes from and every problem."""

    def __init__(self):
        self.locations: dict[str, Cell] = Cells()
        self.problems: list[Problem] = []

    def convert(self, col: Column, raw, path: str, where: Cell):
        if raw is None:
            return None
        value = _PARSE[col.type](raw, col)
        if isinstance(value, Problem):
            self.problems.append(value.at(path, where=where))
            return None
        return value

    def locate(self, path: str, where: Cell, value=None) -> None:
        """Note the place of ``path`` (and of each item when the value is a list)."""
        self.locations[path] = where
        for i in range(len(value)) if isinstance(value, list) else ():
            self.locations[join_path(path, i)] = where

    def place(self, record: dict, base: str, col: Column, raw, where: Cell):
        path = _json_path(base, col.keys)
        value = self.convert(col, raw, path, where)
        self.locate(path, where, value)
        if value is not None:
            put(record, col.keys, value)
        return value

    def problem(self, path: str, code: str, message: str, where: Cell) -> None:
        self.problems.append(Problem(path, code, message, where))


def read_book(lay: Layout, book, name: str = "") -> tuple[dict, dict[str, Cell], list[Problem]]:
    """``(envelope, locations, problems)`` of an opened workbook (closed when read)."""
    problems: list[Problem] = []
    budget = _Budget()
    try:  # the sheets' XML is parsed as their rows are read: a broken part shows here, not when opening
        common = _read_grid(book, COMMON, _COMMON_COLUMNS, problems, budget)
        units = _read_grid(book, UNITS, lay.units, problems, budget)
        members = _read_grid(book, MEMBERS, lay.members, problems, budget, key_col=M_UNIT)
    except _UNREADABLE:
        return {}, {}, [_unreadable(name)]
    finally:
        book.close()
    items = _read_items(common, lay.common, problems) if common is not None else {}
    if problems:  # the sheets' structure is wrong: the cells cannot be trusted to mean anything
        return {}, {}, problems
    return _assemble(lay, common, items, units, members)


def _assemble(lay: Layout, common: _Grid, items, units: _Grid, members: _Grid):
    r = _Reader()
    envelope: dict = {}
    r.locations["$.chung"], r.locations["$.don_vi"] = Cell(COMMON), Cell(UNITS)
    shared = []  # (column, value, where) of the common rows copied into every unit
    for col in lay.common:
        if col.header not in items:
            continue
        row, raw = items[col.header]
        where = _item(common, row, col.header)
        if col.per_unit:
            shared.append((col, r.convert(col, raw, _json_path("$.don_vi[*]", col.keys[1:]), where), where))
        else:
            r.place(envelope, "$", col, raw, where)
    chung = envelope.setdefault("chung", {})
    chung.update(copy.deepcopy(lay.constants))
    unit_list, index = _read_units(r, lay, units, shared)
    _read_members(r, lay, members, unit_list, index)
    for i in index.values():
        if not get(unit_list[i], MEMBERS_PATH):
            r.problem(
                _json_path(f"$.don_vi[{i}]", MEMBERS_PATH),
                "xlsx_no_members",
                f"Chi bộ “{get(unit_list[i], U_NAME.keys)}” chưa có đảng viên nào ở sheet “{MEMBERS}” "
                "(cột “Chi bộ” phải ghi đúng tên chi bộ này).",
                units.cell(units.rows[i][0], U_NAME.header),
            )
    if not unit_list:
        r.problem("$.don_vi", "xlsx_no_units", f"Sheet “{UNITS}” chưa có chi bộ nào.", Cell(UNITS))
    ordered = {k: envelope[k] for k in ("so_bat_dau",) if k in envelope}
    return {**ordered, "chung": chung, "don_vi": unit_list}, r.locations, r.problems


def _read_units(r: _Reader, lay: Layout, grid: _Grid, shared) -> tuple[list[dict], dict[str, int]]:
    """One unit per row of "Đơn vị"; returns the units and the index of each name (its key)."""
    unit_list: list[dict] = []
    index: dict[str, int] = {}
    for i, (number, cells) in enumerate(grid.rows):
        base = f"$.don_vi[{i}]"
        r.locations[base] = Cell(UNITS, number)
        wheres = {col.header: grid.cell(number, col.header) for col in lay.units if col.header in cells}
        unit = _read_unit(r, lay, base, cells, wheres, shared)
        name, name_path = get(unit, U_NAME.keys), _json_path(base, U_NAME.keys)
        if name is None:
            r.problem(name_path, "xlsx_required", "Chưa ghi tên chi bộ.", wheres[U_NAME.header])
        elif key(name) in index:
            r.problem(
                name_path,
                "xlsx_duplicate_unit",
                f"Chi bộ “{name}” đã có ở dòng {grid.rows[index[key(name)]][0]}; mỗi chi bộ chỉ ghi một dòng.",
                wheres[U_NAME.header],
            )
        else:
            index[key(name)] = i
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
            put(unit, col.keys[1:], copy.deepcopy(value))
    put(unit, MEMBERS_PATH, [])
    name = get(unit, U_NAME.keys)
    for d in lay.derived if name is not None else ():
        where, path = wheres.get(d.source, r.locations[base]), _json_path(base, d.keys)
        r.locations.setdefault(path, where)  # "Nơi thi hành" keeps its own row
        for k in d.apply(unit, name):
            if k is not None:
                r.locations[join_path(path, k)] = where
    return unit


def _read_members(r: _Reader, lay: Layout, grid: _Grid, unit_list: list[dict], index: dict[str, int]) -> None:
    for number, cells in grid.rows:
        unit_text = cells.get(M_UNIT.header)
        i = index.get(key(as_text(unit_text))) if unit_text is not None else None
        where_unit = grid.cell(number, M_UNIT.header)
        present = [col for col in lay.members[1:] if col.header in cells]
        if i is None:
            r.problem("$.don_vi", "xlsx_unknown_unit", _unknown_unit_message(unit_text, index, unit_list), where_unit)
            for col in present:  # the member has no place in the envelope, but its cells are still checked
                r.convert(col, cells[col.header], "$", grid.cell(number, col.header))
            continue
        dang_vien = get(unit_list[i], MEMBERS_PATH)
        base, member = _json_path(f"$.don_vi[{i}]", MEMBERS_PATH) + f"[{len(dang_vien)}]", {}
        dang_vien.append(member)
        r.locations[base] = Cell(MEMBERS, number)
        for col in present:
            r.place(member, base, col, cells[col.header], grid.cell(number, col.header))


def _unknown_unit_message(text, index: dict[str, int], unit_list: list[dict]) -> str:
    if text is None:
        return f"Chưa ghi chi bộ của đảng viên này (tên chi bộ như ở sheet “{UNITS}”)."
    names = {key(get(unit_list[i], U_NAME.keys)): get(unit_list[i], U_NAME.keys) for i in index.values()}
    close = difflib.get_close_matches(key(as_text(text)), list(names), n=1, cutoff=0.6)
    hint = f" Có phải là “{names[close[0]]}”?" if close else ""
    return f"Chi bộ “{as_text(text)}” không có ở sheet “{UNITS}”.{hint}"


def open_book(source, name: str = "") -> Workbook:
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


def read_workbook(path: str | Path, kind, name: str | None = None) -> Input:
    """Read a filled workbook of ``kind`` (a :class:`~docgen.kinds.Kind` or its name): the envelope (None when
    there is any problem), its origin and every problem.

    ``origin`` maps envelope JSON paths ("$.don_vi[3].ket_qua.dang_vien[5].quyet_dinh",
    "$.chung.ban_hanh.ngay_ban_hanh") — every cell of a known column, filled or not, and each data row —
    to its :class:`~docgen.errors.Cell` ("Sheet Đảng viên, dòng 14, cột Quyết định", column letter Q). Every
    problem is reported at once, each with that place in ``where``. A problem's ``path`` is the envelope
    path of the cell, except: "$.don_vi[*]…" for a common row copied into every unit, "$" for the cells of a
    member whose chi bộ is unknown and for the sheets' structure. ``name``: the file's name as the user knows
    it, for messages (default: the name of ``path``). The limits of :mod:`docgen.limits` apply (zip sizes,
    rows, columns, cells), each with its own problem.
    """
    lay = workbook_of(kind)
    name = name or Path(path).name
    with warnings.catch_warnings():  # openpyxl's own notes (in English) on cells it gives up on: we say why
        warnings.simplefilter("ignore")
        return _read_file(lay, path, name)


def _read_file(lay: Layout, path, name: str) -> Input:
    try:
        book = open_book(path, name)
    except limits.LimitExceeded as exc:
        return Input(None, problems=[Problem("$", exc.code, exc.message, f"Tệp {name}")])
    except Exception:  # noqa: BLE001 — openpyxl raises many kinds of errors for a file that is not a workbook
        return Input(None, problems=[_unreadable(name)])
    envelope, locations, problems = read_book(lay, book, name)
    if len(problems) > limits.PROBLEMS_MAX:  # a column of wrong values in a big sheet: the first ones say it
        problems = problems[: limits.PROBLEMS_MAX] + [more_problems()]
    # Problems of cells leave the rest of the workbook meaningful: it is checked too (``partial``), so that a
    # date typed wrong does not hide a missing name three rows below until the next run.
    partial = envelope if problems and envelope else None
    return Input(None if problems else envelope, locations, problems, normalised=True, partial=partial)


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
