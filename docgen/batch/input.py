"""A batch as its reader gives it (a JSON file, an Excel workbook), then prepared once for all its units:
normalised, text-checked and checked against ``lo_van_ban.schema.json``, JSON and Excel alike."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from ..errors import Cell, errors
from ..inputs import Input, normalise
from ..io import read as read_json
from ..validation import check_schema
from ..xlsx.locate import locate


def is_batch(data) -> bool:
    return isinstance(data, dict) and "chung" in data and "don_vi" in data


def is_workbook(path: str | Path) -> bool:
    """An Excel workbook, by its name (its bytes are checked as it is read)."""
    return Path(path).suffix.lower() in (".xlsx", ".xlsm")


def read(path: str | Path, kind, name: str | None = None) -> Input:
    """The batch file as its reader gives it: a JSON file, or an Excel workbook of the kind (whose origin
    maps envelope paths to cells: "Sheet Đảng viên, dòng 14, cột Xếp loại"). ``name``: the file's name as the
    user knows it, for messages (the web page keeps uploads under fixed names)."""
    if is_workbook(path):
        from ..xlsx.read import read_workbook

        return read_workbook(path, kind, name)
    return read_json(path, name)


def prepare(inp: Input, kind=None) -> Input:
    """A batch read, ready to plan: normalised once for all its units (:func:`docgen.inputs.normalise`) and
    checked against ``lo_van_ban.schema.json`` — JSON and Excel alike — its problems placed in the workbook
    when it came from one. The envelope is None when there is an error. A workbook some cells of which could
    not be read (``inp.partial``) is checked without them, every document of it too when ``kind`` is given, so
    that all its problems come in one run (:func:`partial_problems`)."""
    inp = normalise(inp)
    if inp.data is None:
        if inp.partial is not None and kind is not None:
            return dataclasses.replace(inp, problems=[*inp.problems, *partial_problems(kind, inp)])
        return inp
    found = check_schema("lo_van_ban.schema.json", inp.data)
    problems = [*inp.problems, *(locate(found, inp.origin) if inp.origin else found)]
    return dataclasses.replace(inp, data=None if errors(problems) else inp.data, problems=problems)


def load(path: str | Path, kind, name: str | None = None) -> Input:
    """Read a batch and prepare it (:func:`read`, :func:`prepare`): the envelope, where its values came
    from, and every problem."""
    return prepare(read(path, kind, name), kind)


def partial_problems(kind, inp: Input) -> list:
    """The problems of a workbook read without its unreadable cells — its envelope's, then every document's
    — except those that may come from a missing cell: the problems of the same row (a member's, a unit's, an
    item of "Thông tin chung") or of the same field as a cell the reader refused."""
    from .plan import BatchError, plan
    from .problems import describe_problems
    from .run import check_all

    found = check_schema("lo_van_ban.schema.json", inp.partial)
    problems = locate(found, inp.origin)
    if not errors(found):
        try:
            jobs = plan(kind, inp.partial)
        except BatchError:
            jobs = []
        problems += describe_problems(check_all(kind, jobs, workers=1), inp.partial, inp.origin)[0]
    refused = [p for p in inp.problems if p.path not in ("", "$", "$.don_vi")]
    rows = {_row(p.where) for p in refused} - {None}
    return [p for p in problems if _row(p.where) not in rows and not any(_within(p.path, r.path) for r in refused)]


def _row(where):
    return (where.sheet, where.row) if isinstance(where, Cell) and where.row else None


def _within(path: str, base: str) -> bool:
    if "[*]" in base:  # a common row copied into every unit: "$.don_vi[*].ket_qua.cai_dat…"
        head, _, tail = base.partition("[*]")
        end = path.find("]", len(head))
        return path.startswith(head + "[") and end > 0 and _within(path[end + 1 :], tail)
    return path == base or path.startswith((base + ".", base + "["))
