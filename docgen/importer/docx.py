"""Reading a .docx into lines: paragraphs and table cells in reading order, with what Word knows about them.

- runs: bold and italic (own and character-style emphasis; a paragraph style's emphasis is the heading's,
  not the words') as markup; tabs and breaks as spaces; deleted, moved-away, hidden and text-box runs left
  out; the non-breaking hyphen as "-";
- footnotes and endnotes: their references as [^n] markers, their texts as the source's notes;
- Word's automatic numbering: the label a paragraph shows is not in its text — it is computed from
  numbering.xml as Word does (the level formats and texts of the abstract definition, counters shared by
  every list instance of one definition, a start override restarting them, lower levels restarting after a
  higher one, "legal" numbering in digits) and put before the words; bullets become "-", "+", … by indent;
- styles: a paragraph's outline level (Heading 1, 2 …) says heading and which level; a paragraph typed all
  in bold with a number says heading; table cells are groups of their own (the header's two columns, the
  recipients beside the signature).
"""

from __future__ import annotations

import re
import zipfile
import zlib
from dataclasses import dataclass, replace

from lxml import etree

from .. import limits, outline, richtext
from .numbering import parse_bullet, parse_label
from .source import ImportFailed, Line, Loc, Report, Source, clean, ends_sentence, lower_start, too_long

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
SKIPPED_RUN_PARENTS = {"del", "moveFrom", "txbxContent"}
DEFAULT_MARKS = ("-", "+", "*", "•")


# The parts of a .docx are data: no entity is expanded (no "billion laughs"), no DTD or file outside is read.
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def read(data: bytes, report: Report, name: str = "") -> Source:
    try:
        package = limits.open_zip(data, name or "tệp .docx")  # the zip limits, from its directory
    except limits.LimitExceeded as exc:
        raise ImportFailed(exc.message) from None
    except (zipfile.BadZipFile, EOFError, ValueError):
        raise ImportFailed("Tệp .docx bị hỏng hoặc không phải văn bản Word.") from None
    try:
        return _lines(_Docx(package))
    except (zipfile.BadZipFile, zlib.error, EOFError, KeyError, ValueError, etree.LxmlError):
        raise ImportFailed("Tệp .docx bị hỏng hoặc không phải văn bản Word.") from None
    finally:
        package.close()


def _w(tag: str) -> str:
    return f"{{{W}}}{tag}"


def _local(el) -> str:
    return etree.QName(el).localname


def _val(el, default=None):
    return el.get(_w("val"), default) if el is not None else default


def _toggle(layers, tag: str) -> bool:
    for layer in layers:
        el = layer.find(_w(tag)) if layer is not None else None
        if el is not None:
            return el.get(_w("val")) not in ("0", "false", "none")
    return False


@dataclass
class _Seg:
    text: str = ""
    bold: bool = False
    italic: bool = False
    note: str | None = None  # a footnote marker key instead of text
    tab: bool = False


def _markup(segs: list[_Seg], drop_bold: bool = False) -> str:
    """Runs as markup: emphasis marks placed where bold/italic change (spaces and footnote markers outside
    the marks), literal text escaped."""
    out, state, pending = [], (False, False), ""

    def change(want):
        nonlocal state
        off = "*" * (2 * (state[0] and not want[0]) + (state[1] and not want[1]))
        on = "*" * (2 * (want[0] and not state[0]) + (want[1] and not state[1]))
        state = want
        return off, on

    for s in segs:
        if s.note is not None:
            pending += f"[^{s.note}]"
            continue
        core = s.text.strip()
        if not core:
            pending += s.text
            continue
        lead, trail = s.text[: len(s.text) - len(s.text.lstrip())], s.text[len(s.text.rstrip()) :]
        off, on = change((s.bold and not drop_bold, s.italic))
        out.append(off + pending + lead + on + richtext.escape(core))
        pending = trail
    off, _ = change((False, False))
    out.append(off + pending)
    return "".join(out)


class _Docx:
    """A .docx read in reading order: body paragraphs and table cells, styles, footnotes, list numbers."""

    def __init__(self, package: zipfile.ZipFile):
        try:
            self.zip = package
            self.body = self._xml("word/document.xml").find(_w("body"))
        except (zipfile.BadZipFile, KeyError, etree.XMLSyntaxError, AttributeError) as exc:
            raise ImportFailed(
                "Tệp .docx bị hỏng hoặc không phải văn bản Word (không đọc được word/document.xml)."
            ) from exc
        if self.body is None:
            raise ImportFailed("Tệp .docx không có phần nội dung.")
        styles = self._xml("word/styles.xml", optional=True)
        self.styles = (
            {}
            if styles is None
            else {
                st.get(_w("styleId")): (st.find(_w("basedOn")), st.find(_w("pPr")), st.find(_w("rPr")))
                for st in styles.iter(_w("style"))
            }
        )
        self.numbering = _Numbering(self._xml("word/numbering.xml", optional=True))
        self.note_xml = {}
        for part, tag in (("word/footnotes.xml", "footnote"), ("word/endnotes.xml", "endnote")):
            root = self._xml(part, optional=True)
            for note in root.iter(_w(tag)) if root is not None else ():
                if note.get(_w("type")) in (None, "normal"):
                    self.note_xml[(tag, note.get(_w("id")))] = note
        self.keys: dict[tuple, str] = {}  # (footnote|endnote, id) → marker key, in order of reference

    def _xml(self, name: str, optional: bool = False):
        try:
            size = self.zip.getinfo(name).file_size  # declared in the directory; zipfile never unpacks more
            if size > limits.IMPORT_MAX_PART:  # the parsed tree takes about ten times the text
                raise ImportFailed(
                    f"Phần “{name}” của tệp .docx quá lớn ({limits.size_text(size)}; tối đa "
                    f"{limits.size_text(limits.IMPORT_MAX_PART)}); một kế hoạch chỉ vài trăm KB — hãy kiểm tra lại tệp."
                )
            return etree.fromstring(self.zip.read(name), _PARSER)
        except KeyError:
            if optional:
                return None
            raise

    def _chain(self, style_id):
        seen = set()
        while style_id in self.styles and style_id not in seen:
            seen.add(style_id)
            based, ppr, rpr = self.styles[style_id]
            yield style_id, ppr, rpr
            style_id = _val(based)

    def style_of(self, p) -> str | None:
        ppr = p.find(_w("pPr"))
        return _val(ppr.find(_w("pStyle"))) if ppr is not None else None

    def _para_layers(self, p):
        """The paragraph's own properties, then its style's, then the styles it is based on."""
        return [p.find(_w("pPr"))] + [ppr for _, ppr, _ in self._chain(self.style_of(p))]

    def _emphasis(self, r) -> tuple[bool, bool]:
        """Bold and italic of a run from its own and its character style's properties; the paragraph style's
        emphasis belongs to the paragraph (a heading), not to the words."""
        rpr = r.find(_w("rPr"))
        layers = [rpr]
        style = rpr.find(_w("rStyle")) if rpr is not None else None
        if style is not None:
            layers += [rp for _, _, rp in self._chain(_val(style))]
        return _toggle(layers, "b"), _toggle(layers, "i")

    def segments(self, p) -> list[_Seg]:
        segs = []
        for r in p.iter(_w("r")):
            parents = set()
            for a in r.iterancestors():
                if a is p:
                    break
                parents.add(_local(a))
            rpr = r.find(_w("rPr"))
            if parents & SKIPPED_RUN_PARENTS or (rpr is not None and _toggle([rpr], "vanish")):
                continue
            bold, italic = self._emphasis(r)
            for c in r:
                tag = _local(c)
                if tag == "t":
                    segs.append(_Seg(c.text or "", bold, italic))
                elif tag in ("tab", "br", "cr"):
                    segs.append(_Seg(" ", bold, italic, tab=tag == "tab"))
                elif tag == "noBreakHyphen":
                    segs.append(_Seg("-", bold, italic))
                elif tag in ("footnoteReference", "endnoteReference"):
                    ref = (tag.replace("Reference", ""), c.get(_w("id")))
                    segs.append(_Seg(note=self.keys.setdefault(ref, str(len(self.keys) + 1))))
        return segs

    def paragraphs(self):
        """``(p, group)`` for every paragraph in reading order; each table cell is its own group."""
        groups = iter(range(1, 1 << 30))

        def walk(el, group):
            for child in el:
                tag = _local(child)
                if tag == "p":
                    yield child, group
                elif tag == "tbl":
                    for tc in child.iter(_w("tc")):
                        if tc.getparent().getparent() is child:  # cells of this table; nested ones recurse
                            yield from walk(tc, next(groups))
                elif tag in ("sdt", "customXml", "sdtContent"):
                    yield from walk(child, group)

        yield from walk(self.body, 0)

    def outline_level(self, p) -> int | None:
        """1 for a "Heading 1" paragraph (its own or its style's outline level), None for body text."""
        for layer in self._para_layers(p):
            el = layer.find(_w("outlineLvl")) if layer is not None else None
            if el is not None:
                value = _val(el, "9")
                return int(value) + 1 if value.isdigit() and int(value) < 9 else None
        return None

    def list_label(self, p) -> str | int | None:
        """The number Word shows before the paragraph ("2.1.", "b)"), or a bullet's indent, or None."""
        style = self.style_of(p)
        for i, layer in enumerate(self._para_layers(p)):
            num = layer.find(_w("numPr")) if layer is not None else None
            if num is None or num.find(_w("numId")) is None:
                continue
            num_id = _val(num.find(_w("numId")))
            ilvl = num.find(_w("ilvl"))
            if ilvl is not None:
                level = int(_val(ilvl, "0"))
            else:  # a style's numbering: the level that names the style, else the first
                level = self.numbering.level_of_style(num_id, style) if i else 0
            return self.numbering.label(num_id, level)
        return None

    def note_texts(self) -> dict[str, str]:
        out = {}
        for ref, key in self.keys.items():
            note = self.note_xml.get(ref)
            if note is not None:
                out[key] = clean(" ".join(_markup(self.segments(p)) for p in note.iter(_w("p"))))
        return out


@dataclass
class _Level:
    fmt: str
    text: str
    start: int
    indent: int
    restart: int | None  # lvlRestart: restart after this level (1-based); None: after any higher level
    legal: bool  # isLgl: every level's number in digits
    style: str | None  # pStyle: the paragraph style this level belongs to


class _Numbering:
    """Word list numbering (numbering.xml) turned back into the labels it displays, counted as Word counts:
    per abstract definition (list instances of one definition continue each other), a start override
    restarting the count where its instance first appears."""

    FORMATS = {
        "decimal": str,
        "decimalZero": lambda n: f"{n:02d}",
        "upperRoman": outline.roman,
        "lowerRoman": lambda n: outline.roman(n).lower(),
        "upperLetter": lambda n: outline.letter(n).upper(),
        "lowerLetter": outline.letter,
    }

    def __init__(self, root):
        self.abstract: dict[str, dict[int, _Level]] = {}
        self.nums: dict[str, tuple[str, dict[int, int], dict[int, _Level]]] = {}  # numId → (abstract, starts, lvls)
        self.counters: dict[str, dict[int, int]] = {}  # by abstract definition
        self.started: set[tuple[str, int]] = set()  # (numId, level) whose start override was applied
        if root is None:
            return
        for a in root.iter(_w("abstractNum")):
            self.abstract[a.get(_w("abstractNumId"))] = {
                int(lvl.get(_w("ilvl"), "0")): self._level(lvl) for lvl in a.findall(_w("lvl"))
            }
        links = {}  # numStyleLink: a definition that borrows another's through a numbering style
        for a in root.iter(_w("abstractNum")):
            link = a.find(_w("numStyleLink"))
            if link is not None:
                links[a.get(_w("abstractNumId"))] = _val(link)
        style_owner = {}
        for a in root.iter(_w("abstractNum")):
            st = a.find(_w("styleLink"))
            if st is not None:
                style_owner[_val(st)] = a.get(_w("abstractNumId"))
        for num in root.iter(_w("num")):
            ref = num.find(_w("abstractNumId"))
            if ref is None:
                continue
            abstract = _val(ref)
            if abstract in links and links[abstract] in style_owner:
                abstract = style_owner[links[abstract]]
            starts, overrides = {}, {}
            for o in num.findall(_w("lvlOverride")):
                ilvl = int(o.get(_w("ilvl"), "0"))
                so = o.find(_w("startOverride"))
                if so is not None:
                    starts[ilvl] = int(_val(so, "1"))
                lvl = o.find(_w("lvl"))
                if lvl is not None:
                    overrides[ilvl] = self._level(lvl)
            self.nums[num.get(_w("numId"))] = (abstract, starts, overrides)

    @staticmethod
    def _level(lvl) -> _Level:
        def find(tag):
            return lvl.find(f".//{_w(tag)}")

        ind = find("ind")
        ilvl = int(lvl.get(_w("ilvl"), "0"))
        return _Level(
            _val(find("numFmt"), "decimal"),
            _val(find("lvlText"), ""),
            int(_val(find("start"), "1")),
            int(ind.get(_w("left"), ind.get(_w("start"), "0"))) if ind is not None else 720 * (ilvl + 1),
            int(_val(find("lvlRestart"))) if find("lvlRestart") is not None else None,
            find("isLgl") is not None and _val(find("isLgl"), "1") not in ("0", "false"),
            _val(find("pStyle")),
        )

    def levels(self, num_id: str) -> dict[int, _Level]:
        abstract, _, overrides = self.nums.get(num_id, (None, {}, {}))
        return {**self.abstract.get(abstract, {}), **overrides}

    def level_of_style(self, num_id: str, style: str | None) -> int:
        return next((i for i, lv in self.levels(num_id).items() if style and lv.style == style), 0)

    def label(self, num_id: str, ilvl: int) -> str | int | None:
        """The label a list paragraph displays; for a bullet, its indent (Word nests bullets by indent)."""
        if num_id not in self.nums:
            return None
        levels = self.levels(num_id)
        if ilvl not in levels or levels[ilvl].fmt == "none":
            return None
        lv = levels[ilvl]
        if lv.fmt == "bullet":
            return lv.indent
        abstract, starts, _ = self.nums[num_id]
        counters = self.counters.setdefault(abstract, {})
        if ilvl in starts and (num_id, ilvl) not in self.started:
            self.started.add((num_id, ilvl))
            counters[ilvl] = starts[ilvl] - 1
        counters[ilvl] = counters.get(ilvl, lv.start - 1) + 1
        for deeper in [k for k in counters if k > ilvl]:
            # lvlRestart n: restart when level n (1-based) or a higher one is used; 0: never; absent: any higher
            restart = levels[deeper].restart if deeper in levels and levels[deeper].restart is not None else deeper
            if restart and ilvl < restart:
                del counters[deeper]

        def number(m):
            k = int(m.group(1)) - 1
            kl = levels.get(k, _Level("decimal", "", 1, 0, None, False, None))
            fmt = "decimal" if lv.legal else kl.fmt  # "legal" numbering: every level's number in digits
            return self.FORMATS.get(fmt, str)(counters.get(k, kl.start))

        return re.sub(r"%(\d)", number, lv.text).strip() or None


COLUMN_MIN = 8  # a tab after this many characters, with words after it, starts a second column


def _columns(segs: list[_Seg]) -> tuple[list[_Seg], list[_Seg]] | None:
    """A paragraph typed as two columns with tabs ("ĐẢNG BỘ TỈNH …⇥⇥ĐẢNG CỘNG SẢN VIỆT NAM", "Nơi nhận:⇥⇥T/M …"):
    the left and the right part, or None."""
    for i, seg in enumerate(segs):
        if seg.tab and len("".join(s.text for s in segs[:i]).strip()) >= COLUMN_MIN:
            right = segs[i + 1 :]
            if "".join(s.text for s in right).strip():
                return segs[:i], right
    return None


def _lines(doc: _Docx) -> Source:
    lines, indents, marks, blank, any_outline = [], {}, {}, False, False
    index = 0
    columns: tuple[int, int] | None = None  # the groups of a block of two-column paragraphs
    pending: list[tuple[list[_Seg], int]] = []
    chars = 0
    for p, group in doc.paragraphs():
        index += 1
        if index > limits.IMPORT_MAX_PARAGRAPHS:
            raise ImportFailed(
                f"Văn bản có hơn {limits.count_text(limits.IMPORT_MAX_PARAGRAPHS)} đoạn (kể cả ô bảng và đoạn trống), "
                "quá giới hạn của lệnh nhập; một kế hoạch chỉ vài trăm đoạn — hãy kiểm tra lại tệp."
            )
        segs = doc.segments(p)
        split = _columns(segs)
        if split is None:
            columns = None
        else:
            columns = columns or (1 << 40 | 2 * index, 1 << 40 | 2 * index + 1)
            segs = split[0]
            pending.append((split[1], columns[1]))
        plain = clean("".join(s.text for s in segs))
        chars += len(plain)
        if chars > limits.IMPORT_MAX_CHARS:
            raise ImportFailed(too_long(chars))
        if not plain and not any(s.note for s in segs):
            blank = True
            continue
        if split is not None:
            group = columns[0]
        words = [s for s in segs if s.note is None and s.text.strip()]
        label = doc.list_label(p)
        if isinstance(label, int):
            indents[len(lines)] = label
        elif label:
            segs.insert(0, _Seg(label + " "))
            plain = f"{label} {plain}"
        labelled = bool(parse_label(plain) or parse_bullet(plain) or isinstance(label, int))
        strong = bool(words) and all(s.bold for s in words) and labelled
        level = doc.outline_level(p)
        any_outline = any_outline or level is not None
        lines.append(
            Line(
                clean(_markup(segs, drop_bold=strong or level is not None)),
                plain,
                Loc("đoạn", index),
                blank,
                group,
                heading=bool(level is not None or strong),
                heading_level=level,
            )
        )
        blank = False
        for right, right_group in pending:  # the right column's words, after the left's
            words = clean("".join(s.text for s in right))
            lines.append(Line(clean(_markup(right)), words, Loc("đoạn", index), group=right_group))
        pending = []
    if not lines:
        raise ImportFailed("Tệp .docx không có chữ nào.")
    order = sorted(set(indents.values()))
    for indent in order:
        marks[indent] = DEFAULT_MARKS[min(order.index(indent), len(DEFAULT_MARKS) - 1)]
    for i, indent in indents.items():
        mark = richtext.escape(marks[indent])
        lines[i] = replace(lines[i], text=f"{mark} {lines[i].text}", plain=f"{marks[indent]} {lines[i].plain}")
    if not any_outline:  # no heading styles: the body style says nothing, let the text decide
        lines = [replace(line, heading=line.heading or None) for line in lines]
    return Source(lines, "docx", _join, doc.note_texts())


def _join(lines: list[Line]) -> list[Line]:
    """.docx paragraphs are paragraphs; one a typist broke with Enter mid-sentence goes on in lower case."""
    out: list[Line] = []
    for line in lines:
        prev = out[-1] if out else None
        if (
            prev is not None
            and line.group == prev.group
            and not line.heading
            and not prev.heading
            and lower_start(line.plain)
            and not ends_sentence(prev.plain)
            and not parse_label(line.plain)
            and not parse_bullet(line.plain)
        ):
            out[-1] = replace(prev, text=prev.text + " " + line.text, plain=prev.plain + " " + line.plain)
        else:
            out.append(line)
    return out
