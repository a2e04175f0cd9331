"""A batch as its reader gives it (a JSON file, an Excel workbook), then prepared once for all its units:
normalised, text-checked and checked against ``lo_van_ban.schema.json``, JSON and Excel alike."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from ..errors import errors
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


def prepare(inp: Input) -> Input:
    """A batch read, ready to plan: normalised once for all its units (:func:`docgen.inputs.normalise`) and
    checked against ``lo_van_ban.schema.json`` — JSON and Excel alike — its problems placed in the workbook
    when it came from one. The envelope is None when there is an error."""
    inp = normalise(inp)
    if inp.data is None:
        return inp
    found = check_schema("lo_van_ban.schema.json", inp.data)
    problems = [*inp.problems, *(locate(found, inp.origin) if inp.origin else found)]
    return dataclasses.replace(inp, data=None if errors(problems) else inp.data, problems=problems)


def load(path: str | Path, kind, name: str | None = None) -> Input:
    """Read a batch and prepare it (:func:`read`, :func:`prepare`): the envelope, where its values came
    from, and every problem."""
    return prepare(read(path, kind, name))
