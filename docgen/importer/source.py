"""What a reader hands to a kind's mapping: the document as lines, each with its place in the file.

A :class:`Source` is the same whatever was read (.docx or text): lines in reading order with their markup
and plain words, the place a person finds them at (:class:`Loc`: "dòng 57" of a text, "đoạn 12" of a
.docx), the hints only a .docx gives (heading styles, table cells as groups), footnote texts found by the
reader, and how its lines make paragraphs (``paragraphs``). A :class:`Report` collects the warnings of one
import as :class:`docgen.errors.Problem` values, each with its place and a quote of the line.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field

from .. import limits
from ..errors import DocgenError, Problem


class ImportFailed(DocgenError):
    """The file cannot be read as the kind asked for; the message says why, in Vietnamese."""


def too_long(chars: int) -> str:
    """Why a text past the import limit (:data:`docgen.limits.IMPORT_MAX_CHARS`) is refused."""
    return (
        f"Văn bản quá dài để nhập (hơn {limits.count_text(chars)} ký tự; tối đa "
        f"{limits.count_text(limits.IMPORT_MAX_CHARS)}, khoảng 700 trang); một kế hoạch chỉ vài chục trang — hãy "
        "kiểm tra lại tệp."
    )


@dataclass(frozen=True)
class Loc:
    unit: str  # "dòng" (a line of a text file) or "đoạn" (a paragraph of a .docx, in reading order)
    n: int  # 1-based

    def __str__(self) -> str:
        return f"{self.unit} {self.n}"


@dataclass
class Line:
    text: str  # markup (.docx; every line after ``Source.paragraphs``) or the raw text (text files)
    plain: str  # the words only, for recognising what the line is
    loc: Loc
    blank_before: bool = False
    group: int = 0  # lines of different groups (table cells, columns, footnotes) never join
    heading: bool | None = None  # the .docx style (or a Markdown "#") says heading (True) or body (False)
    heading_level: int | None = None  # 1 for "Heading 1" / "#": the outline level a style gives
    indent: int = 0  # leading spaces of a text line (a PDF copy with its layout indents first lines)
    width: int = 0  # length of the last physical line of a joined paragraph


@dataclass
class Source:
    lines: list[Line]
    kind: str  # "docx" or "text"
    join: Callable[[list[Line]], list[Line]]  # physical lines → paragraphs (markup, plain words)
    notes: dict[str, str] = field(default_factory=dict)  # footnote texts (markup) by marker key
    mode: str = "docx"  # "docx"; a text: "visual" (line by line), "layout" (indents kept), "paragraph"

    def paragraphs(self, lines: list[Line]) -> list[Line]:
        """The paragraphs these lines make: text copies are re-joined, markup made; .docx paragraphs kept."""
        return self.join(lines)


class Report:
    """The warnings of one import, in the order found. Each names the line (place and quote) and, once the
    data is made, the JSON path of the value it concerns."""

    def __init__(self):
        self._found: list[tuple[str, str, Line | Loc | None, object]] = []

    def warn(self, code: str, message: str, at: Line | Loc | None = None, target=None) -> None:
        """``target``: the data item (dict) the warning concerns, for its JSON path."""
        self._found.append((code, message, at, target))

    def __len__(self) -> int:
        return len(self._found)

    def problems(self, paths: dict[int, str]) -> list[Problem]:
        """``paths``: id(item) → JSON path of the items placed in the data. In the order of the file's lines
        (those about the whole document last)."""
        out = []

        def place(found):
            at = found[2]
            loc = at.loc if isinstance(at, Line) else at
            return (0, loc.n) if loc is not None else (1, 0)

        for code, message, at, target in sorted(self._found, key=place):
            where = ""
            if isinstance(at, Line):
                where = f"{at.loc}, {quote(at.plain)}"
            elif isinstance(at, Loc):
                where = str(at)
            path = paths.get(id(target), "$") if target is not None else "$"
            out.append(Problem(path, code, message, where=where, severity="warning"))
        return out


# ---------------------------------------------------------------- text helpers

INVISIBLE = re.compile("[\u00ad\u200b-\u200f\u2060\ufeff]")
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f]")
SENTENCE_END = re.compile(r"[.;:!?…][\"”’'»)*\]]*$")

# Footnotes in markup: a marker [^key] and a footnote text "[^key] …" / "[^key]: …" opening a paragraph.
FOOTNOTE_MARK = re.compile(r"\[\^([A-Za-z0-9_]+)\]")
FOOTNOTE_DEF = re.compile(r"^\[\^(?P<key>[A-Za-z0-9_]+)\]:?\s*")
SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹"


def clean(text: str) -> str:
    """One line or paragraph: no control or invisible characters, whitespace collapsed, NFC."""
    text = INVISIBLE.sub("", CONTROL.sub(" ", text.replace("\u00a0", " ")))
    return unicodedata.normalize("NFC", re.sub(r"\s+", " ", text).strip())


def quote(text: str, limit: int = 90) -> str:
    text = clean(text)
    return f"“{text if len(text) <= limit else text[: limit - 1] + '…'}”"


def capital(text: str) -> bool:
    """The first letter or digit of the text is an upper-case letter (a new sentence may start)."""
    for c in text:
        if c.isalnum():
            return c.isalpha() and c.isupper()
    return False


def lower_start(text: str) -> bool:
    for c in text:
        if c.isalnum():
            return c.isalpha() and c.islower()
    return False


def is_upper(text: str) -> bool:
    return any(c.isalpha() for c in text) and text == text.upper()


def ends_sentence(text: str) -> bool:
    return bool(SENTENCE_END.search(text.rstrip()))
