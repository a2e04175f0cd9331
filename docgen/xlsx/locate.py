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
    """The problems with ``where`` set to their place in the workbook (see :func:`place_of`)."""
    out = []
    for p in problems:
        where = p.where or place_of(locations, p.path, unit)
        out.append(dataclasses.replace(p, where=where) if where else p)
    return out
