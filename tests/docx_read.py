"""Read a produced .docx back for assertions: paragraphs in reading order with effective formatting.

Formatting is resolved the way Word does for what we produce: direct run properties, then the
character style, then the paragraph style chain (basedOn), then document defaults.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}


def q(tag: str) -> str:
    return f"{{{W}}}{tag}"


@dataclass
class Seg:
    text: str
    bold: bool
    italic: bool
    underline: bool
    size: float | None
    font: str | None
    superscript: bool = False


@dataclass
class Para:
    segs: list[Seg]
    style: str | None
    align: str | None
    in_table: bool
    table_index: int | None = None
    cell: tuple[int, int] | None = None
    page_break_before: bool = False
    footnote_refs: list[int] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(s.text for s in self.segs)

    def visible(self):
        return [s for s in self.segs if s.text.strip()]

    def all(self, attr: str) -> bool:
        v = self.visible()
        return bool(v) and all(getattr(s, attr) for s in v)

    def none(self, attr: str) -> bool:
        return not any(getattr(s, attr) for s in self.visible())

    def sizes(self) -> set:
        return {s.size for s in self.visible()}

    def fonts(self) -> set:
        return {s.font for s in self.visible()}

    def seg_containing(self, text: str) -> Seg:
        for s in self.segs:
            if text in s.text:
                return s
        raise AssertionError(f"no run containing {text!r} in {self.text!r}")


class Styles:
    def __init__(self, styles_xml: bytes):
        root = etree.fromstring(styles_xml)
        self.by_id = {s.get(q("styleId")): s for s in root.findall(q("style"))}
        self.default_rpr = root.find(f"{q('docDefaults')}/{q('rPrDefault')}/{q('rPr')}")
        self.default_para = next(
            (
                s.get(q("styleId"))
                for s in root.findall(q("style"))
                if s.get(q("type")) == "paragraph" and s.get(q("default")) in ("1", "true")
            ),
            None,
        )

    def chain(self, style_id):
        seen = set()
        while style_id and style_id not in seen and style_id in self.by_id:
            seen.add(style_id)
            st = self.by_id[style_id]
            yield st
            based = st.find(q("basedOn"))
            style_id = based.get(q("val")) if based is not None else None

    def run_layers(self, r, pstyle):
        rpr = r.find(q("rPr"))
        layers = [rpr]
        if rpr is not None and rpr.find(q("rStyle")) is not None:
            layers += [s.find(q("rPr")) for s in self.chain(rpr.find(q("rStyle")).get(q("val")))]
        layers += [s.find(q("rPr")) for s in self.chain(pstyle or self.default_para)]
        layers.append(self.default_rpr)
        return [x for x in layers if x is not None]

    def para_layers(self, p):
        ppr = p.find(q("pPr"))
        pstyle = None
        if ppr is not None and ppr.find(q("pStyle")) is not None:
            pstyle = ppr.find(q("pStyle")).get(q("val"))
        layers = [ppr] + [s.find(q("pPr")) for s in self.chain(pstyle or self.default_para)]
        return pstyle, [x for x in layers if x is not None]


def _toggle(layers, tag):
    for layer in layers:
        el = layer.find(q(tag))
        if el is not None:
            return el.get(q("val")) not in ("0", "false", "none")
    return False


def _first(layers, tag, attr="val"):
    for layer in layers:
        el = layer.find(q(tag))
        if el is not None and el.get(q(attr)) is not None:
            return el.get(q(attr))
    return None


def _font(layers):
    for layer in layers:
        el = layer.find(q("rFonts"))
        if el is not None and el.get(q("ascii")):
            return el.get(q("ascii"))
    return None


class Doc:
    def __init__(self, data: bytes):
        self.zip = zipfile.ZipFile(io.BytesIO(data))
        self.styles = Styles(self.zip.read("word/styles.xml"))
        self.root = etree.fromstring(self.zip.read("word/document.xml"))
        self.paras: list[Para] = []
        self._walk(self.root.find(q("body")), None, None)
        self.footnotes = self._footnotes()

    def part(self, name: str) -> bytes:
        return self.zip.read(name)

    def _para(self, p, table_index, cell) -> Para:
        pstyle, players = self.styles.para_layers(p)
        align = _first(players, "jc")
        segs, refs = [], []
        for r in p.iter(q("r")):
            layers = self.styles.run_layers(r, pstyle)
            size = _first(layers, "sz")
            fmt = dict(
                bold=_toggle(layers, "b"),
                italic=_toggle(layers, "i"),
                underline=(_first(layers, "u") or "none") != "none",
                size=int(size) / 2 if size else None,
                font=_font(layers),
                superscript=_first(layers, "vertAlign") == "superscript",
            )
            for child in r:
                if child.tag == q("t"):
                    segs.append(Seg(child.text or "", **fmt))
                elif child.tag == q("tab"):
                    segs.append(Seg("\t", **fmt))
                elif child.tag in (q("br"), q("cr")) and child.get(q("type")) in (None, "textWrapping"):
                    segs.append(Seg("\n", **fmt))
                elif child.tag == q("footnoteReference"):
                    refs.append(int(child.get(q("id"))))
        ppr = p.find(q("pPr"))
        pbb = ppr is not None and ppr.find(q("pageBreakBefore")) is not None
        return Para(segs, pstyle, align, table_index is not None, table_index, cell, pbb, refs)

    def _walk(self, el, table_index, cell):
        for child in el:
            if child.tag == q("p"):
                self.paras.append(self._para(child, table_index, cell))
            elif child.tag == q("tbl"):
                ti = self._table_no(child)
                for ri, tr in enumerate(child.findall(q("tr"))):
                    for ci, tc in enumerate(tr.findall(q("tc"))):
                        self._walk(tc, ti, (ri, ci))

    def _table_no(self, tbl) -> int:
        return list(self.root.iter(q("tbl"))).index(tbl)

    def _footnotes(self) -> dict[int, Para]:
        try:
            root = etree.fromstring(self.zip.read("word/footnotes.xml"))
        except KeyError:
            return {}
        out = {}
        for fn in root.findall(q("footnote")):
            fid = int(fn.get(q("id")))
            if fid > 0:
                ps = [self._para(p, None, None) for p in fn.findall(q("p"))]
                out[fid] = ps[0] if len(ps) == 1 else ps
        return out

    # ---------------------------------------------------------------- queries

    def texts(self) -> list[str]:
        return [p.text for p in self.paras if p.text.strip()]

    def find(self, text: str, exact: bool = True) -> Para:
        for p in self.paras:
            if (p.text == text) if exact else (text in p.text):
                return p
        raise AssertionError(f"no paragraph {'equal to' if exact else 'containing'} {text!r}")

    def index(self, text: str, exact: bool = True) -> int:
        for i, p in enumerate(self.paras):
            if (p.text == text) if exact else (text in p.text):
                return i
        raise AssertionError(f"no paragraph {text!r}")

    def body(self) -> list[Para]:
        return [p for p in self.paras if not p.in_table and p.text.strip()]

    def table_cell(self, table: int, row: int, col: int) -> list[Para]:
        return [p for p in self.paras if p.table_index == table and p.cell == (row, col)]

    def section(self) -> etree._Element:
        return self.root.find(f"{q('body')}/{q('sectPr')}")

    def plain_text(self) -> str:
        """The document as plain text: paragraphs (tables cell by cell), then numbered footnotes."""
        lines = [p.text for p in self.paras if p.text.strip()]
        for n, fn in sorted(self.footnotes.items()):
            lines.append(f"[{n}] " + (fn.text if isinstance(fn, Para) else " ".join(x.text for x in fn)).strip())
        return "\n".join(lines) + "\n"


def words(text: str) -> list[str]:
    return re.split(r"\s+", text.strip())
