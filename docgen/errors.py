"""Problems found in input data, where they are, and the exceptions that carry them.

A problem names *where* (a JSON path such as ``$.noi_dung[2].tieu_de`` for programs, and, when the data
came from a file a person holds, a :class:`Place` in it: a workbook :class:`Cell`, a line of an imported
text, a paragraph of a template), *what* in Vietnamese for the person who typed the data, and a stable
English ``code`` for programs and tests. A problem is an ``"error"`` (nothing is produced) or a
``"warning"`` (something that can be explained, e.g. dates in an unusual order: reported, not blocking).

Every part of docgen reports with this one type: schema checks, the rules (:mod:`docgen.rules.checks`
returns problems not yet placed, :meth:`Problem.at` places them), Excel cells, the importer, template
checks, batches (``unit`` names the document of the batch) and the web page. :meth:`Problem.as_dict` is
the one serialisation for programs (``--json``, the web API).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field


class Place(str):
    """A place a person can find in the file she holds, as the words that name it ("Sheet Đảng viên, dòng 14,
    cột Quyết định", "thân văn bản — “{{ x }}”"). A subclass keeps the parts (:meth:`parts`) for programs; the
    text is what a person reads, and compares equal to the same words."""

    def parts(self) -> dict:
        return {}


class Cell(Place):
    """A place in an Excel workbook: a sheet, a row, a column (its header text and letter) — or, on the
    common sheet, an item (``item=True``: "mục Năm"). Fewer parts name a wider place (a row, a sheet)."""

    def __new__(cls, sheet: str, row: int | None = None, header: str = "", letter: str = "", item: bool = False):
        text = (
            f"Sheet {sheet}"
            + (f", dòng {row}" if row else "")
            + (f", mục {header}" if item and header else "")
            + (f", cột {letter} ({header})" if letter and header and not item else "")
            + (f", cột {header}" if header and not letter and not item else "")
        )
        self = super().__new__(cls, text)
        self.sheet, self.row, self.header, self.letter, self.item = sheet, row, header, letter, item
        return self

    def __reduce__(self):
        return (Cell, (self.sheet, self.row, self.header, self.letter, self.item))

    def parts(self) -> dict:
        out: dict = {"sheet": self.sheet}
        if self.row:
            out["row"] = self.row
        if self.header:
            out["item" if self.item else "column"] = self.header
        if self.letter:
            out["letter"] = self.letter
        return out


class Cells(dict):
    """JSON path → :class:`Cell` for every value read from a workbook, kept small: a Cell (a str with its
    parts as attributes) costs some 300 bytes, and a workbook of 20,000 members has 300,000 values; each is
    kept as its parts and made a Cell when it is asked for. Copies (``dict(cells)``, ``update``) get Cells."""

    def __setitem__(self, path: str, cell) -> None:
        super().__setitem__(path, cell.__reduce__()[1] if isinstance(cell, Cell) else cell)

    def __getitem__(self, path: str):
        return _as_cell(super().__getitem__(path))

    def __iter__(self):  # overridden, so that dict's own copying asks __getitem__ for each value
        return super().__iter__()

    def get(self, path: str, default=None):
        return self[path] if path in self else default

    def setdefault(self, path: str, default=None):
        if path not in self:
            self[path] = default
        return self[path]

    def items(self):
        return ((k, _as_cell(v)) for k, v in super().items())

    def values(self):
        return (_as_cell(v) for v in super().values())


def _as_cell(value):
    return Cell(*value) if isinstance(value, tuple) else value


class TemplatePlace(Place):
    """A place in a .docx template: the package part ("thân văn bản", "đầu trang 1") and the paragraph, row
    or cell in it."""

    def __new__(cls, part: str, where: str):
        self = super().__new__(cls, f"{part} — {where}")
        self.part, self.where = part, where
        return self

    def __reduce__(self):
        return (TemplatePlace, (self.part, self.where))

    def parts(self) -> dict:
        return {"part": self.part, "where": self.where}


@dataclass(frozen=True)
class Problem:
    path: str  # JSON path of the value ("" when the problem is about no value: a template, a rule not yet placed)
    code: str
    message: str
    where: str = ""  # a Place when the data came from a file: "Sheet Đảng viên, dòng 14, cột Xếp loại"
    severity: str = "error"  # "error" blocks the document; "warning" is reported and the document is made
    unit: str = ""  # in a batch: the document (unit or person) the problem belongs to

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def __str__(self) -> str:
        """The sentence a person reads: the document of a batch, the place as she knows it (the workbook's
        cell, or the JSON path in words: :func:`docgen.places.json_place`), the message. The code and the
        JSON path are for programs (:meth:`as_dict`), not here."""
        from .places import json_place

        mark = "" if self.is_error else " (cảnh báo)"
        unit = f"{self.unit}: " if self.unit else ""
        where = self.where or json_place(self.path)
        return f"{unit}{where}: {self.message}{mark}" if where else f"{unit}{self.message}{mark}"

    def as_dict(self) -> dict:
        d = {"path": self.path, "code": self.code, "message": self.message, "severity": self.severity}
        if self.where:
            d["where"] = str(self.where)
            if isinstance(self.where, Place) and self.where.parts():
                d["place"] = self.where.parts()
        if self.unit:
            d["unit"] = self.unit
        return d

    def at(self, path: str, *, prefix: str = "", suffix: str = "", where: str = "") -> Problem:
        """This problem placed at ``path`` (and ``where``), its message after ``prefix`` (who: "Đảng viên
        Nguyễn Văn A: ") and before ``suffix``. A rule (:mod:`docgen.rules.checks`) or a cell's value
        reports a problem not yet placed; its caller, who knows the place, places it here."""
        return dataclasses.replace(
            self, path=path, message=f"{prefix}{self.message}{suffix}", where=where or self.where
        )


def unplaced(code: str, message: str, severity: str = "error") -> Problem:
    """A problem whose place the caller gives (:meth:`Problem.at`): what a rule or a cell parser returns."""
    return Problem("", code, message, severity=severity)


def errors(problems) -> list:
    """The problems that block a document (warnings left out)."""
    return [p for p in problems if p.is_error]


def join_path(base: str, key: str | int) -> str:
    """Extend a JSON path: ``join_path("$.a", 2) == "$.a[2]"``, ``join_path("$", "b") == "$.b"``."""
    if isinstance(key, int):
        return f"{base}[{key}]"
    if key.isidentifier():
        return f"{base}.{key}"
    return f'{base}["{key}"]'


@dataclass
class Problems:
    """Collects problems during a pass so that all of them are reported at once."""

    items: list[Problem] = field(default_factory=list)

    def add(self, path: str, code: str, message: str, where: str = "", severity: str = "error") -> None:
        self.items.append(Problem(path, code, message, where, severity))

    def warn(self, path: str, code: str, message: str) -> None:
        self.add(path, code, message, severity="warning")

    def place(self, found, path: str, *, prefix: str = "", suffix: str = "") -> None:
        """Add the problems a rule found (one, a list, or None) at ``path``, see :meth:`Problem.at`."""
        for p in [found] if isinstance(found, Problem) else found or ():
            self.items.append(p.at(path, prefix=prefix, suffix=suffix))

    def extend(self, problems) -> None:
        self.items.extend(problems)

    def __bool__(self) -> bool:
        return bool(self.items)

    def __iter__(self):
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)


class DocgenError(Exception):
    """Base class of the errors docgen raises on purpose."""


class PdfError(DocgenError):
    """A PDF could not be made (:mod:`docgen.pdf`); ``code`` says why for programs (``no_soffice``,
    ``font_missing``, ``mixed_fonts``, ``conversion``; through the warm LibreOffice also ``pdf_timeout``,
    ``pdf_crashed``, ``pdf_stopped``). Declared here so that catching it does not load the PDF machinery."""

    def __init__(self, message: str, code: str = "conversion"):
        super().__init__(message)
        self.code = code


class InvalidInput(DocgenError):
    """The input data has problems; nothing was produced."""

    def __init__(self, problems):
        self.problems = list(problems)  # errors first, then any warnings found with them
        super().__init__("\n".join(str(p) for p in self.problems))

    def __reduce__(self):  # picklable with its problems (the web page's worker processes send it back)
        return (type(self), (self.problems,))


class UnknownKind(DocgenError):
    def __init__(self, kind: str, known):
        from .validation import suggest

        self.kind, self.known = kind, list(known)
        guess = suggest(kind, self.known)
        hint = f" Có phải ý bạn là “{guess}”?" if guess else ""
        super().__init__(f"Không có loại văn bản “{kind}”.{hint} Các loại có: {', '.join(known)}.")

    def __reduce__(self):
        return (type(self), (self.kind, self.known))


class TemplateProblem(DocgenError):
    """A template could not be read, compiled or rendered: ``code`` (stable, English), the template ``part``
    ("thân văn bản", "đầu trang 1" …) and the paragraph (``where``) when known; the message says all three."""

    def __init__(self, message: str, code: str = "template_error", part: str = "", where: str = ""):
        super().__init__(message)
        self.code, self.part, self.where = code, part, where

    @property
    def problem(self) -> Problem:
        """The same, as a :class:`Problem` (its message names the template, the part and the paragraph)."""
        place = TemplatePlace(self.part, self.where) if self.part and self.where else self.part or self.where
        return Problem("", self.code, str(self), place)
