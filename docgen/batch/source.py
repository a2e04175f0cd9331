"""A batch as ``docgen batch`` reads it: unit by unit, never whole, so that its memory is that of the units in
flight whatever their number (a JSON file of 10,000 chi bộ is about 70 MB of text, several times that parsed).

A JSON batch is read by :func:`docgen.io.stream_batch`: the members of the envelope but ``don_vi`` are read,
bounded, normalised and checked as a file read whole is; each unit arrives as its JSON text, which a worker
process reads (:func:`docgen.io.parse_unit`: every check of a file read whole, its problems placed in the
file) and normalises (:func:`docgen.inputs.normalise_value`), so that the main process does little more than
split the file. A workbook is bounded by its sheets' limits (:mod:`docgen.limits`) and read whole, as
:func:`docgen.batch.load` reads it; its units are handed out already normalised and checked.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .. import limits
from ..errors import Problem, errors
from ..inputs import normalise_value
from ..io import StreamError, parse_json, parse_unit, stream_batch
from ..validation import check_schema
from .input import is_workbook, load

ENVELOPE_SCHEMA = "lo_van_ban.schema.json"


@dataclass
class Unit:
    """One unit as it is handed to a worker: its index, and its JSON text with where it starts in the file
    (``start``: line, column), or — from a workbook — its data, normalised and checked already."""

    index: int
    text: str | None = None
    start: tuple[int, int] = (1, 1)
    data: dict | None = None

    @property
    def digest(self) -> bytes:
        """What the unit's text was when first read: a second reading must find the same (the file may change
        between the two, and a document must never be made from other data than the one numbered)."""
        return (
            hashlib.blake2b(self.text.encode("utf-8", "surrogatepass"), digest_size=16).digest() if self.text else b""
        )


@dataclass
class Source:
    """A batch to read unit by unit: ``name`` (as the user knows the file), ``head`` (the envelope without
    ``don_vi``, once read), ``origin`` (a workbook's cells; empty for JSON), ``problems`` found so far."""

    path: Path
    name: str
    head: dict = field(default_factory=dict)
    problems: list = field(default_factory=list)
    origin: dict = field(default_factory=dict)
    workbook: dict | None = None  # a workbook's envelope, read whole
    count: int = 0
    listed: bool = False  # ``don_vi`` is a list (its units read one by one), not a value read with the head

    @property
    def from_json(self) -> bool:
        return self.workbook is None

    def units(self) -> Iterator[Unit]:
        """The units in order, read again each time this is called; the members around ``don_vi`` fill
        :attr:`head` on the first reading (the common part must come first in the file, or the file is read
        once more to find it). Problems of the file itself are added to :attr:`problems` and the units stop."""
        if self.workbook is not None:
            for u, unit in enumerate(self.workbook["don_vi"]):
                yield Unit(u, data=unit)
            return
        first = not self.head
        if first and not self._common_first():
            if not self._read_head():
                return
            first = False
        try:
            for event, key, value, start in stream_batch(self.path, self.name):
                if event == "member" and first:
                    self._member(key, value)
                elif event == "unit":
                    if key >= limits.BATCH_MAX_UNITS:
                        self.problems.append(_too_many_units(self.name, key + 1))
                        return
                    yield Unit(key, value, start)
                elif event == "listed":
                    self.count, self.listed = key, True
                elif event == "not_object":
                    self.problems.extend(_whole_problems(self.path, self.name))
                    return
        except StreamError as exc:
            self.problems.append(_located(self.path, self.name, exc))

    def check_head(self) -> None:
        """The envelope's own checks once it is read through: its schema (the units stand in as empty
        objects: each unit's shape is checked as it is read)."""
        if errors(self.problems) or self.workbook is not None:
            return
        outline = {**self.head, "don_vi": [{}] * self.count} if self.listed else self.head
        self.problems += check_schema(ENVELOPE_SCHEMA, outline)

    def _common_first(self) -> bool:
        """Whether ``chung`` comes before ``don_vi`` in the file (as docgen and its samples write it)."""
        try:
            for event, key, value, _ in stream_batch(self.path, self.name):
                if event == "member":
                    if key == "chung":
                        self._member(key, value)
                        return True
                elif event in ("unit", "end", "not_object"):
                    return False
        except StreamError:
            return False  # said when the file is read
        return False

    def _read_head(self) -> bool:
        """Every member but the units, the file read through once (the common part came after them)."""
        self.head = {}
        try:
            for event, key, value, _ in stream_batch(self.path, self.name):
                if event == "member":
                    self._member(key, value)
                elif event == "listed":
                    self.count, self.listed = key, True
                elif event == "not_object":
                    self.problems.extend(_whole_problems(self.path, self.name))
                    return False
        except StreamError as exc:
            self.problems.append(_located(self.path, self.name, exc))
            return False
        return True

    def _member(self, key: str, value) -> None:
        if key in self.head:  # read already (the common part, looked for first)
            return
        at = f"$.{key}" if key.isidentifier() else f'$["{key}"]'
        value, found = normalise_value(value, at)
        self.head[key] = value
        self.problems += found
        if key == "chung" and not isinstance(value, dict):
            self.problems += check_schema(ENVELOPE_SCHEMA, {"chung": value, "don_vi": [{}]})


def open_source(path: str | Path, kind, name: str | None = None) -> Source:
    """A batch file to read unit by unit (:class:`Source`): a JSON file as it is read, a workbook read whole
    (:func:`docgen.batch.load`, every problem placed in its cells)."""
    path = Path(path)
    name = name or path.name
    source = Source(path, name)
    if is_workbook(path):
        loaded = load(path, kind, name)
        source.problems, source.origin = list(loaded.problems), loaded.origin
        if loaded.data is not None:
            source.workbook = loaded.data
            source.head = {k: v for k, v in loaded.data.items() if k != "don_vi"}
            source.count = len(loaded.data["don_vi"])
        else:
            source.workbook = {"don_vi": []}
        return source
    try:
        limits.check_file_size(path, limits.BATCH_MAX_BYTES, name)
    except limits.LimitExceeded as exc:
        source.problems.append(Problem("$", exc.code, exc.message))
    return source


def read_unit(unit: Unit, name: str) -> tuple[object, list[Problem], bool]:
    """In a worker: the unit's data, its problems (placed in the batch: ``$.don_vi[3]…``, lines of the file)
    and whether it needed normalising. A workbook's unit is ready already."""
    if unit.text is None:
        return unit.data, [], False
    at = f"$.don_vi[{unit.index}]"
    value, problems = parse_unit(unit.text, name, unit.start, at)
    if problems:
        return None, problems, False
    if not isinstance(value, dict):  # the envelope's schema: a unit is an object
        found = check_schema(ENVELOPE_SCHEMA, {"chung": {}, "don_vi": [value]})
        return None, [_under(p, at) for p in found], False
    data, problems = normalise_value(value, at, unit.text)
    return data, problems, data is not value


def _under(problem: Problem, at: str) -> Problem:
    return dataclasses.replace(problem, path=at + problem.path.removeprefix("$.don_vi[0]"))


def _located(path: Path, name: str, exc: StreamError) -> Problem:
    """The problem of a file that cannot be read through, located as reading it whole locates it (curly
    quotes named, …) when it is small enough for that, else as the stream found it."""
    if path.stat().st_size <= limits.JSON_MAX_BYTES:
        _, problems = parse_json(path.read_bytes(), name)
        if problems:
            return problems[0]
    return exc.problem


def _whole_problems(path: Path, name: str) -> list[Problem]:
    """A file whose top value is not an object: read whole (it is small, or refused as too large), the
    envelope's schema says what it should be."""
    loaded = load(path, None, name)
    return loaded.problems or [Problem("$", "type", f"Tệp {name} không phải một lô văn bản.")]


def _too_many_units(name: str, count: int) -> Problem:
    return Problem(
        "$.don_vi",
        "too_many_units",
        f"Tệp {name} có hơn {limits.count_text(limits.BATCH_MAX_UNITS)} đơn vị; một lô có nhiều nhất "
        f"{limits.count_text(limits.BATCH_MAX_UNITS)} đơn vị. Hãy chia thành nhiều lô.",
    )
