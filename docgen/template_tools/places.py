"""A .docx template's parts and places, as a person names them: the part ("thân văn bản", "đầu trang 1"), the
table, row and cell ("bảng 2, dòng 3, ô 1"), a paragraph by its text in quotes — with each paragraph's
visible text and the Word elements each character sits in, for the linter's text rules; :func:`locate`
names a paragraph for the renderer's messages.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from dataclasses import dataclass, field

from lxml import etree

from ..package import SAFE_PARSER
from ..renderer import _TEMPLATED_PART


W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_PART_KINDS = ("document", "header", "footer", "footnotes")


class NotDocx(Exception):
    pass


@dataclass
class Para:
    """A paragraph's own visible text (a text box inside it is a paragraph of its own), with, for each
    character, the Word elements it sits in (hyperlink, field, content control …), and the objects
    (drawings, footnote marks) between characters."""

    loc: int
    row: int | None = None  # location of the table row and cell it is in
    cell: int | None = None
    text: str = ""
    keys: list = field(default_factory=list)
    objects: list = field(default_factory=list)


@dataclass
class Part:
    name: str
    label: str
    xml: str
    places: list[str]  # where each <w:p>, <w:tr>, <w:tc> is, in document order ("location" = index)
    paras: list[Para]

    def where(self, loc: int) -> str:
        return self.places[loc] if 0 <= loc < len(self.places) else "(ngoài đoạn văn)"


def package_message(problem) -> str:
    if problem.code == "not_docx":
        return f"Không đọc được tệp như một văn bản Word (.docx): {problem.message}"
    return problem.message


def read_parts(parts: dict[str, bytes]) -> list[Part]:
    """The parts docxtpl renders, of a package :func:`docgen.package.read` accepted."""
    data = {n: parts[n] for n in parts if _TEMPLATED_PART.match(n)}
    return [_read_part(name, data[name]) for name in sorted(data, key=_part_order)]


def locate(name: str, data: bytes, loc: int) -> tuple[str, str]:
    """``(part label, place)`` of the ``loc``-th paragraph, row or cell of a part, as ``template check``
    names them ("thân văn bản", "“{{ trich_yeu }}”"); for the renderer's error messages."""
    try:
        part = _read_part(name, data)
    except NotDocx:
        return name, "(ngoài đoạn văn)"
    return part.label, part.where(loc)


def _part_order(name: str) -> tuple[int, int]:
    kind, number = _part_kind(name)
    return _PART_KINDS.index(kind), int(number or 0)


def _part_label(name: str) -> str:
    kind, number = _part_kind(name)
    label = {"document": "thân văn bản", "header": "đầu trang", "footer": "chân trang", "footnotes": "chú thích"}[kind]
    return f"{label} {number}" if number else label


def _part_kind(name: str) -> tuple[str, str]:
    """("header", "1") for word/header1.xml."""
    return re.match(r"word/([a-z]+)(\d*)\.xml$", name).groups()


def _read_part(name: str, data: bytes) -> Part:
    try:
        xml = data.decode("utf-8")
        root = etree.fromstring(data, SAFE_PARSER)
    except (UnicodeDecodeError, etree.XMLSyntaxError) as exc:
        raise NotDocx(f"phần {name} hỏng ({exc})") from None
    elements = list(root.iter(W + "p", W + "tr", W + "tc"))
    places, paras = _places(root, elements)
    return Part(name, _part_label(name), xml, places, paras)


def _places(root, elements: list) -> tuple[list[str], list[Para]]:
    """Where each element is ("bảng 2, dòng 3, ô 1", a paragraph's text in quotes), and the paragraphs."""
    tables = {t: i for i, t in enumerate(root.iter(W + "tbl"), 1)}
    loc_of = {el: i for i, el in enumerate(elements)}
    counts: Counter = Counter()
    places: list[str] = []
    paras: list[Para] = []
    for el in elements:
        if el.tag == W + "tr":
            table = next(el.iterancestors(W + "tbl"))
            counts[table] += 1
            places.append(f"bảng {tables[table]}, dòng {counts[table]}")
        elif el.tag == W + "tc":
            row = next(el.iterancestors(W + "tr"))
            counts[row] += 1
            places.append(f"{places[loc_of[row]]}, ô {counts[row]}")
        else:
            cell = next(el.iterancestors(W + "tc"), None)
            row = next(el.iterancestors(W + "tr"), None)
            para = _read_paragraph(el, Para(len(places), loc_of.get(row), loc_of.get(cell)))
            paras.append(para)
            inside = places[para.cell] if para.cell is not None else ""
            text = _quote(para.text) if para.text.strip() else ""
            places.append(", ".join(filter(None, (inside, text))) or f"đoạn thứ {len(paras)}")
    return places, paras


_OBJECTS = {
    "drawing": "một hình hoặc hộp văn bản",
    "pict": "một hình hoặc hộp văn bản",
    "AlternateContent": "một hình hoặc hộp văn bản",
    "object": "một đối tượng nhúng",
    "footnoteReference": "một dấu chú thích",
    "endnoteReference": "một dấu chú thích",
}


def _read_paragraph(p, para: Para) -> Para:
    ids = itertools.count()
    fields: list[int] = []  # the complex fields (fldChar begin … end) open at this point

    def walk(node, chain: tuple) -> None:
        for child in node:
            if not isinstance(child.tag, str) or child.tag in (W + "pPr", W + "p"):
                continue
            if child.tag == W + "r":
                run(child, chain)
            else:  # hyperlink, fldSimple, sdt, ins, smartTag …: the characters inside belong to it
                walk(child, chain + ((etree.QName(child).localname, next(ids)),))

    def run(r, chain: tuple) -> None:
        for child in r:
            if not isinstance(child.tag, str):
                continue
            name = etree.QName(child).localname
            if child.tag == W + "t" and child.text:
                key = chain + (("field", fields[-1]),) if fields else chain
                para.text += child.text
                para.keys += [key] * len(child.text)
            elif child.tag == W + "fldChar":
                kind = child.get(W + "fldCharType")
                if kind == "begin":
                    fields.append(next(ids))
                elif kind == "end" and fields:
                    fields.pop()
            elif name in _OBJECTS:
                para.objects.append((len(para.text), _OBJECTS[name]))

    walk(p, ())
    return para


def _quote(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return f"“{text if len(text) <= limit else text[: limit - 1].rstrip() + '…'}”"
