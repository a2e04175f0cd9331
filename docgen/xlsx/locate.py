"""Where a problem of a batch document is in the workbook it came from.

A batch document is the common part merged with one unit; its problems name paths of the document
(``$.ket_qua.dang_vien[5].quyet_dinh``). :func:`place_of` finds the cell (or, failing that, the nearest
row or sheet) of the workbook that path came from, through the origin :func:`~docgen.xlsx.read.read_workbook`
kept; :func:`locate` sets it as each problem's ``where``.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Iterator

from ..errors import Cell, Problem
from ..validation import REQUIRED

# A document field that comes from no single cell of the unit or of "chung".
_DOCUMENT_ALIASES = {"$.ban_hanh.so": "$.so_bat_dau"}
_LAST_STEP = re.compile(r'(\[\d+\]|\["(?:[^"\\]|\\.)*"\]|\.[^.\[]+)$')


def _parents(path: str) -> Iterator[str]:
    while (m := _LAST_STEP.search(path)) and path != "$":
        path = path[: m.start()] or "$"
        yield path


def place_of(locations: dict[str, Cell], path: str, unit: int | None = None) -> Cell | None:
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


def locate(problems, locations: dict[str, Cell], unit: int | None = None) -> list[Problem]:
    """The problems with ``where`` set to their place in the workbook (see :func:`place_of`), in the
    workbook's words (:func:`in_workbook_terms`)."""
    out = []
    for p in problems:
        where = p.where if isinstance(p.where, Cell) else place_of(locations, p.path, unit) or p.where
        message = in_workbook_terms(p.message, locations, p.path if unit is None else "")
        out.append(dataclasses.replace(p, where=where, message=message))
    return out


_FIELD = re.compile(r"“?\b([a-z][a-z0-9]*(?:_[a-z0-9]+)+(?:\.[a-z][a-z0-9_]*)*)\b”?")
# with the field's description, written for JSON ("NĂM-THÁNG-NGÀY", codes): the column's header says it
_REQUIRED = re.compile(re.escape(REQUIRED).replace(re.escape("{key}"), "[^”]*") + "( Cần điền: .*)?", re.S)
_YES_NO = {"true": "“Có”", "false": "“Không”"}


def header_of(locations: dict[str, Cell], field: str, path: str = "") -> str | None:
    """The workbook's header for a JSON field a message names ("ngoai_le_ky_luat", "cai_dat.tran_htxs_tinh_tren"),
    looked up from the problem's own ``path`` (an envelope path) outwards — the member's row, the unit's, the
    common part: a field of several columns (a reason and its basis) is its first column."""
    bases = list(_parents(path + ".x")) if path else []
    bases += [b.replace(b[: b.index("]") + 1], "$.chung", 1) for b in bases if b.startswith("$.don_vi[")]
    for base in [*bases, "$.chung", "$"]:
        target = f"{base}.{field}"
        if target in locations:
            return locations[target].header or None
        # a group of a few fields (a reason and its basis), not a container of rows and groups
        under = [(p[len(target) + 1 :], c) for p, c in locations.items() if p.startswith(target + ".")]
        if under and all(re.fullmatch(r"\w+", rest) for rest, _ in under):
            return under[0][1].header or None
    return None


def in_workbook_terms(message: str, locations: dict[str, Cell], path: str = "") -> str:
    """A message written for JSON data, in the words of the workbook it came from: a JSON field it names is
    the column's (or item's) header (:func:`header_of`), ``true``/``false`` are “Có”/“Không”, and a missing
    field is a cell not filled in (the cell's place says which column), not a JSON key."""
    message = _REQUIRED.sub("Chưa điền; ô này bắt buộc.", message)

    def header(m: re.Match) -> str:
        found = header_of(locations, m.group(1), path)
        return f"“{found}”" if found else m.group(0)

    message = _FIELD.sub(header, message)
    return re.sub(r"\b(true|false)\b", lambda m: _YES_NO[m.group(1)], message)
