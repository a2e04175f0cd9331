"""How a kind's mapping plugs into import, and the steps every mapping shares.

A :class:`Mapping` turns a :class:`~.source.Source` (whatever reader made it) into one kind's data. It finds
the kind's own parts — the kế hoạch's title and trích yếu; a công văn's "V/v …" under the number and its
"Kính gửi:" — and uses the shared ones: :mod:`.parts` for the header, the signature and the recipients, and
:class:`Body` for numbered content (footnote texts out of the flow, the outline of :mod:`.numbering`, the
closing paragraphs, written references that follow the engine's numbers, footnotes settled). A new kind is
a new mapping its kind declares (``Kind(importer=…)``); the readers do not change.

:func:`located` then gives every value of the data its place in the file (``Input.origin``) and every
warning the JSON path of the value it is about.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .. import richtext
from ..errors import join_path
from .numbering import Located, Outline, parse_label, place_key
from .source import FOOTNOTE_DEF, FOOTNOTE_MARK, SUPERSCRIPTS, Line, Report, Source, ends_sentence, lower_start, quote

XREF = re.compile(r"\b(?P<word>Điểm|Mục|Khoản|Tiết|mục|khoản|tiết)\s+(?P<num>\d{1,3}(?:\.\d{1,3})+)(?![\d.]*\d)")
CLOSING = re.compile(
    r"^(?:Trong quá trình|Quá trình thực hiện|Trên đây là|Nhận được [Kk]ế hoạch|Nhận được [Cc]ông văn|Đề nghị các|"
    r"Yêu cầu các|Căn cứ\b.*\b(?:Kế hoạch|[Cc]ông văn) này)"
)


@dataclass
class Mapped:
    """A mapping's result: the data, the lines its fields come from (JSON path → line; outline items are
    found through ``outline``), and the outline for the numbering report."""

    data: dict
    places: dict[str, Line] = field(default_factory=dict)
    outline: Outline | None = None


class Mapping:
    """One kind's reading of a document (the kind's ``importer``): :meth:`map` makes its data."""

    def map(self, source: Source, report: Report) -> Mapped:
        raise NotImplementedError


# ---------------------------------------------------------------- the numbered content


class Body:
    """The body of a document with numbered content, in the steps every kind takes: :meth:`outline`, then
    after the kind has placed its other parts, :meth:`settle`."""

    def __init__(self, source: Source, report: Report):
        self.source = source
        self.report = report
        self.notes: dict[str, str] = dict(source.notes)

    def take_footnotes(self, paras: list[Line]) -> list[Line]:
        """Footnote texts ("¹ Ví dụ: …", "[^1]: …") out of the flow; one that no marker points to stays a
        plain paragraph where it is."""
        referenced = {k for p in paras if not FOOTNOTE_DEF.match(p.text) for k in FOOTNOTE_MARK.findall(p.text)}
        kept = []
        for p in paras:
            m = FOOTNOTE_DEF.match(p.text)
            if m:
                key, text = m.group("key"), p.text[m.end() :].strip()
                if key in referenced and text and key not in self.notes:
                    self.notes[key] = text
                    continue
                self.report.warn(
                    "footnote_unreferenced",
                    "Chú thích này không có dấu chú thích nào trỏ tới (hoặc bị trùng số); đã giữ làm đoạn văn thường.",
                    p,
                )
                p = Line(_superscript(key) + " " + text, p.plain, p.loc)
            kept.append(p)
        return kept

    def notes_among(self, lines: list[Line]) -> tuple[list[Line], list[Line]]:
        """Footnote texts standing among lines that are not body text (the last page's notes after the
        signature): ``(the other lines, the notes as paragraphs)`` — the notes go to :meth:`take_footnotes`."""
        keep, notes, current = [], [], None
        for line in lines:
            if line.plain[:1] in SUPERSCRIPTS or FOOTNOTE_DEF.match(line.text):
                current = [line]
                notes.append(current)
            elif current is not None and (lower_start(line.plain) or not ends_sentence(current[-1].plain)):
                current.append(line)  # a note broken over lines
            else:
                current = None
                keep.append(line)
        return keep, [p for note in notes for p in self.source.paragraphs(note)]

    def outline(self, paras: list[Line]) -> Outline:
        tree = Outline(self.report)
        for para in paras:
            tree.add(para)
        return tree

    def first_numbered(self, paras: list[Line]) -> int | None:
        return next((i for i, p in enumerate(paras) if parse_label(p.text) or (p.heading and p.heading_level)), None)

    def settle(self, data: dict, tree: Outline, fields: tuple[str, ...]) -> dict | None:
        """Written references to typed numbers made references that follow the engine's numbers, then the
        footnote texts in order of reference (``chu_thich``). ``fields``: the data's markup fields, in
        reading order."""
        self._cross_references(data, tree, fields)
        return self._footnotes(data, fields)

    def _cross_references(self, data: dict, tree: Outline, fields) -> None:
        """ "Điểm 2.3.1" naming an item by its typed number becomes a reference [#ma] that follows the computed
        number (a typed reference would go stale when the engine renumbers)."""

        def link(text: str, line: Line | None) -> str:
            def sub(m):
                items = tree.typed.get(m.group("num"), [])
                if len(items) != 1:
                    return m.group(0)
                item = items[0]
                printed = tree.printed.get(id(item), m.group("num"))
                if printed != m.group("num"):
                    self.report.warn(
                        "xref_renumbered",
                        f"Dẫn chiếu “{m.group(0)}” trỏ tới mục nay được đánh số {printed}; đã đổi thành dẫn chiếu "
                        f"tự động (in ra “{m.group('word')} {printed}”).",
                        line,
                    )
                if "ma" not in item:
                    place_key(item, "ma", "muc_" + m.group("num").replace(".", "_"))
                return f"{m.group('word')} [#{item['ma']}]"

            return XREF.sub(sub, text)

        map_markup(data, fields, link, tree)

    def _footnotes(self, data: dict, fields) -> dict | None:
        """Footnote texts in order of reference; a marker without a text becomes its number again, a text no
        marker points to is kept as a closing paragraph — both reported."""
        used: list[str] = []

        def check(text: str, line: Line | None) -> str:
            def sub(m):
                key = m.group(1)
                if self.notes.get(key) and key not in used:
                    used.append(key)
                    return m.group(0)
                self.report.warn(
                    "footnote_missing",
                    f"Dấu chú thích số {key} không có nội dung chú thích (hoặc được dùng hai lần); đã giữ làm "
                    "chữ thường.",
                    line,
                )
                return _superscript(key)

            return FOOTNOTE_MARK.sub(sub, text)

        map_markup(data, fields, check, None)
        for key, text in self.notes.items():
            if key not in used and text:
                self.report.warn(
                    "footnote_unplaced",
                    f"Chú thích {quote(richtext.plain(text))} không được đặt ở đâu trong phần nội dung; đã giữ làm "
                    "đoạn văn kết thúc.",
                )
                data.setdefault("ket_thuc", []).append(text)
        return {key: self.notes[key] for key in used} or None


def map_markup(data: dict, fields, fn, tree: Outline | None) -> None:
    """Apply ``fn(text, line)`` to every markup string of the data's ``fields``, in place and in reading order."""

    def walk(items):
        for i, item in enumerate(items):
            if isinstance(item, str):
                line = getattr(item, "line", None)
                items[i] = _keep_line(fn(item, line), line)
                continue
            line = tree.lines.get(id(item)) if tree else None
            for key in ("tieu_de", "doan", "gach"):
                if key in item:
                    item[key] = fn(item[key], line)
            walk(item.get("noi_dung", []))

    for key in fields:
        walk(data.get(key) or [])


def _keep_line(text: str, line: Line | None) -> str:
    return Located(text, line) if line is not None else text


def _superscript(key: str) -> str:
    return key.translate(str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")) if key.isdigit() else richtext.escape(f"[{key}]")


# ---------------------------------------------------------------- where each value came from


def located(mapped: Mapped) -> tuple[dict, dict[str, str], dict[int, str]]:
    """``(data, origin, paths)``: the data with plain strings only, JSON path → place in the file, and
    id(item) → JSON path of every outline item (for the warnings' paths)."""
    origin: dict[str, str] = {path: str(line.loc) for path, line in mapped.places.items()}
    paths: dict[int, str] = {}
    lines = mapped.outline.lines if mapped.outline else {}

    def walk(value, path):
        if isinstance(value, Located):
            origin[path] = str(value.line.loc)
            return str(value)
        if isinstance(value, dict):
            paths[id(value)] = path
            if id(value) in lines:
                origin[path] = str(lines[id(value)].loc)
            for k in list(value):
                value[k] = walk(value[k], join_path(path, k))
            return value
        if isinstance(value, list):
            return [walk(v, join_path(path, i)) for i, v in enumerate(value)]
        return value

    data = walk(mapped.data, "$")
    return data, origin, paths
