"""Import an existing plan (kế hoạch) into the kind's data: a .docx, or text as copied out of a PDF.

One pipeline for both sources, one function per stage:

    read      _read_docx / _read_text → [Line]  .docx: paragraphs and table cells in reading order, run
                                                emphasis as markup, footnote references as [^n], Word list
                                                numbers as typed labels; text: the raw lines
    zones     _split_zones            → header | title and trích yếu | body | tail (nơi nhận, chữ ký)
    join      _join                   → [Line]  lines a PDF copy broke are re-joined into paragraphs
    parse     _Importer: header fields; căn cứ and mở đầu; the outline (_Outline: numbering scheme and
              nesting from the labels' types, bullets, plain paragraphs); closing paragraphs; signature
              and recipients; then footnotes and cross-references are settled

Numbers and bullet marks are taken off the text (the engine computes them); where the typed numbers do
not follow the nesting, the warning says which number the engine will print instead. Nothing is dropped
silently: what fits nowhere is kept as a plain paragraph where it occurs, or named in the warnings.
"""

from __future__ import annotations

import codecs
import datetime as dt
import re
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass, field, replace
from pathlib import Path

from lxml import etree

from . import limits, outline, richtext, vn
from .errors import DocgenError


class ImportFailed(DocgenError):
    """The file cannot be read as a plan; the message says why, in Vietnamese."""


KIND = "ke_hoach"

# ---------------------------------------------------------------- patterns (on a line's plain text)

TITLE = re.compile(r"^KẾ\s+HOẠCH(?:\s+(?P<rest>\S.*))?$")
OTHER_TITLE = re.compile(
    r"^(?P<kind>BÁO CÁO|QUYẾT ĐỊNH|TỜ TRÌNH|BẢN KIỂM ĐIỂM|CÔNG VĂN|THÔNG BÁO|HƯỚNG DẪN|NGHỊ QUYẾT|"
    r"DANH SÁCH|BIÊN BẢN)(?:$|[\s,])"
)
PARTY = re.compile(r"ĐẢNG\s+CỘNG\s+SẢN\s+VIỆT\s+NAM")
NUMBER = re.compile(r"\bSố\s*:?\s*(?P<so>\d{1,5})?\s*-\s*(?P<ky_hieu>[A-ZĐ][A-Za-zĐđ]{0,3}/[A-ZĐ][A-Za-zĐđ0-9]*)")
DATE = re.compile(
    r"(?P<place>[^,]*?)\s*,?\s*ngày\s+(?P<d>\d{1,2})\s+tháng\s+(?P<m>\d{1,2})\s+năm\s+(?P<y>\d{4})", re.IGNORECASE
)
RULE_OR_STAR = re.compile(r"^(?:\*|[-–—_=.*\s]{3,})$")
PAGE_NUMBER = re.compile(r"^[-–]?\s*\d{1,3}\s*[-–]?$")
ORG_START = re.compile(
    r"^(?:ĐẢNG|CHI|BAN|HUYỆN|TỈNH|THÀNH|QUẬN|THỊ|ĐOÀN|HỘI|CÔNG|MẶT|ỦY|UỶ|UBND|HĐND|SỞ|"
    r"TRƯỜNG|CƠ|VĂN|BỘ)\b"
)
CAN_CU = re.compile(r"^(?:Căn cứ|Thực hiện|Thi hành)\s")
NOI_NHAN = re.compile(r"^Nơi\s+nhận\s*(?::|$)")
AUTHORITY = re.compile(r"^(?P<code>T/M|K/T|T/L|T/U|TM\.|KT\.|TL\.|TUQ\.)\s*(?P<rest>\S.*)$")
STATE_AUTHORITY = {"TM.": "T/M", "KT.": "K/T", "TL.": "T/L", "TUQ.": "T/U"}
DA_KY = re.compile(r"^\(?\s*đã\s+k[ýí]\s*\)?\.?$", re.IGNORECASE)
SIGN_NOTE = re.compile(r"^\((?:ký|kí)\b[^)]*\)$", re.IGNORECASE)
CLOSING = re.compile(
    r"^(?:Trong quá trình|Quá trình thực hiện|Trên đây là|Nhận được [Kk]ế hoạch|Đề nghị các|"
    r"Yêu cầu các|Căn cứ\b.*\bKế hoạch này)"
)
SENTENCE_END = re.compile(r"[.;:!?…][\"”’'»)*\]]*$")
HYPHEN_END = re.compile(r"\w-$")

# Patterns on markup (the text as it will be stored: emphasis marks, [^n] markers, escapes).
# A label: Roman, letter or (compound) Arabic number and its suffix, possibly inside an emphasis mark.
LABEL = re.compile(
    r"^(?P<lead>\*{0,3})(?P<num>[IVXLC]+|[A-ZĐ]|[a-zđ]|\d{1,3}(?:\.\d{1,3})*)(?P<suffix>[.)\-])"
    r"(?:\s+|(?=\*))"
)
BULLET = re.compile(r"^(?P<mark>[-+•–−]|\\?\*(?!\*))(?P<gap>\s*)")
BULLET_MARKS = {"−": "-", "\\*": "*"}
BAN_HANH_KEYS = ("cap_tren", "co_quan_ban_hanh", "so", "ky_hieu", "dia_danh", "ngay_ban_hanh")
OUTLINE_ITEM_KEYS = ("tieu_de", "doan", "gach", "ma", "noi_dung")
FOOTNOTE_DEF = re.compile(r"^\[\^(?P<key>[A-Za-z0-9_]+)\]:?\s*")
FOOTNOTE_MARK = re.compile(r"\[\^([A-Za-z0-9_]+)\]")
# Markdown emphasis: marks not inside a word, opening onto a word and closing after one ("(*nếu có*)").
EMPHASIS = re.compile(r"(?<![*\\\w])(\*{1,3})(?=[^\s*)\]},.;:])(.+?)(?<=[^\s*\\])\1(?![*\w])")
XREF = re.compile(r"\b(?P<word>Điểm|Mục|Khoản|Tiết|mục|khoản|tiết)\s+(?P<num>\d{1,3}(?:\.\d{1,3})+)(?![\d.]*\d)")

SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
SUPERSCRIPT_RUN = re.compile(f"[{SUPERSCRIPTS}]+")
TO_DIGITS = str.maketrans(SUPERSCRIPTS, "0123456789")
FROM_DIGITS = str.maketrans("0123456789", SUPERSCRIPTS)
INVISIBLE = re.compile("[\u00ad\u200b-\u200f\u2060\ufeff]")
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f]")

HEADING_MAX_CHARS = 200  # a numbered line longer than this is a running paragraph (doan)
VISUAL_MAX_WIDTH = 120  # text whose lines are at most this long (90th percentile) was copied line by line
SHORT_LINE = 0.75  # ... and a line shorter than this share of the usual width ends a paragraph
SUBJECT_MAX_LINES = 6
MAX_LEVELS = 6

# Normal case for upper-case names: words kept as written, and party names capitalised.
ACRONYMS = {"UBND", "HĐND", "MTTQ", "BCH", "BTV", "UBKT", "TP", "TX", "TT", "VP", "TW"}
PLACE_WORDS = {
    "phường",
    "xã",
    "tỉnh",
    "huyện",
    "quận",
    "thôn",
    "xóm",
    "ấp",
    "bản",
    "làng",
    "tp.",
    "p.",
    "tx.",
    "q.",
    "h.",
    "tt.",
}
PLACE_PAIRS = {("thành", "phố"), ("thị", "xã"), ("thị", "trấn")}
PROPER_NAMES = {
    "đảng": "Đảng",
    "ban thường vụ": "Ban Thường vụ",
    "ban chấp hành": "Ban Chấp hành",
    "bí thư": "Bí thư",
    "thường trực": "Thường trực",
    "ủy ban kiểm tra": "Ủy ban Kiểm tra",
    "văn phòng": "Văn phòng",
}
PROPER = re.compile(r"\b(" + "|".join(PROPER_NAMES) + r")\b")

NOT_A_PLAN = (
    "Không nhận ra kế hoạch trong tệp: không thấy dòng “KẾ HOẠCH”, số và ký hiệu (“Số …-KH/…”), các "
    "đề mục đánh số (I., 1., …) hay khối chữ ký và nơi nhận."
)


# ---------------------------------------------------------------- lines


@dataclass
class Line:
    text: str  # markup (.docx) or raw text (text files); after joining always markup
    plain: str  # the words only, for recognising what the line is
    blank_before: bool = False
    group: int = 0  # lines of different groups (table cells) never join
    heading: bool | None = None  # .docx: the paragraph style says heading (True) or body (False)
    width: int = 0  # length of the last physical line (joined paragraphs)


@dataclass
class Source:
    lines: list[Line]
    markup: bool  # Line.text is markup already (.docx)
    notes: dict[str, str] = field(default_factory=dict)  # .docx footnote texts by marker key


def _clean(text: str) -> str:
    """One line or paragraph: no control or invisible characters, whitespace collapsed, NFC."""
    text = INVISIBLE.sub("", CONTROL.sub(" ", text.replace("\u00a0", " ")))
    return unicodedata.normalize("NFC", re.sub(r"\s+", " ", text).strip())


def _quote(text: str, limit: int = 90) -> str:
    text = _clean(text)
    return f"“{text if len(text) <= limit else text[: limit - 1] + '…'}”"


def _capital(text: str) -> bool:
    """The first letter or digit of the text is an upper-case letter (a new sentence may start)."""
    for c in text:
        if c.isalnum():
            return c.isalpha() and c.isupper()
    return False


def _lower_start(text: str) -> bool:
    for c in text:
        if c.isalnum():
            return c.isalpha() and c.islower()
    return False


def _is_upper(text: str) -> bool:
    return any(c.isalpha() for c in text) and text == text.upper()


def _ends_sentence(text: str) -> bool:
    return bool(SENTENCE_END.search(text.rstrip()))


def _superscript(key: str) -> str:
    return key.translate(FROM_DIGITS) if key.isdigit() else richtext.escape(f"[{key}]")


# ---------------------------------------------------------------- reading: text


def _read(data: bytes, name: str = "") -> Source:
    if data.startswith(b"PK\x03\x04"):
        return _read_docx(data, name)
    if data.startswith(b"%PDF"):
        raise ImportFailed(
            "Tệp là PDF: hãy mở tệp, chọn và sao chép toàn bộ chữ vào một tệp .txt (hoặc lưu thành "
            ".docx) rồi nhập tệp đó."
        )
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportFailed("Tệp là văn bản Word cũ (.doc): hãy mở bằng Word và lưu lại dạng .docx rồi nhập tệp đó.")
    return _read_text(_decode(data))


def _decode(data: bytes) -> str:
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            return data.decode(encoding, errors="replace")
    if b"\x00" in data[:4096]:
        raise ImportFailed("Tệp không phải văn bản (có dữ liệu nhị phân); hãy dùng tệp .docx hoặc .txt.")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = data.decode("cp1258", errors="replace")  # Vietnamese Windows code page
    bad = sum(1 for c in text if c == "\ufffd" or (unicodedata.category(c) == "Cc" and c not in "\r\n\t\f"))
    if bad > max(3, len(text) // 100):
        raise ImportFailed("Tệp không phải văn bản (có dữ liệu nhị phân); hãy dùng tệp .docx hoặc .txt.")
    return text


def _read_text(text: str) -> Source:
    if len(text) > limits.IMPORT_MAX_CHARS:
        raise ImportFailed(_too_long(len(text)))
    lines, blank = [], False
    for raw in text.splitlines():
        s = _clean(raw)
        if not s:
            blank = True
            continue
        if len(lines) >= limits.IMPORT_MAX_PARAGRAPHS:
            raise ImportFailed(
                f"Văn bản có hơn {limits.count_text(limits.IMPORT_MAX_PARAGRAPHS)} dòng có chữ, quá giới hạn của lệnh "
                "nhập; một kế hoạch chỉ vài trăm dòng — hãy kiểm tra lại tệp."
            )
        lines.append(Line(s, EMPHASIS.sub(r"\2", s), blank_before=blank))
        blank = False
    return Source(lines, markup=False)


def _text_markup(raw: str) -> str:
    """Markup of a text paragraph: the text format's *emphasis* and [^n] kept, superscript numbers made
    footnote markers, any other "*", "[" and "\\" escaped."""
    out, pos = [], 0
    for m in EMPHASIS.finditer(raw):
        out.append(_literal(raw[pos : m.start()]))
        out.append(m.group(1) + _text_markup(m.group(2)) + m.group(1))
        pos = m.end()
    out.append(_literal(raw[pos:]))
    return "".join(out)


def _literal(text: str) -> str:
    parts = FOOTNOTE_MARK.split(text)  # [text, key, text, key, …]
    return "".join(
        f"[^{p}]"
        if i % 2
        else SUPERSCRIPT_RUN.sub(lambda m: f"[^{m.group(0).translate(TO_DIGITS)}]", richtext.escape(p))
        for i, p in enumerate(parts)
    )


# ---------------------------------------------------------------- reading: .docx

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
SKIPPED_RUN_PARENTS = {"del", "moveFrom", "txbxContent"}


def _w(tag: str) -> str:
    return f"{{{W}}}{tag}"


def _local(el) -> str:
    return etree.QName(el).localname


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
    """A .docx read in reading order: body paragraphs and table cells, footnotes, list numbers."""

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
            yield ppr, rpr
            style_id = based.get(_w("val")) if based is not None else None

    def _para_layers(self, p):
        ppr = p.find(_w("pPr"))
        style = ppr.find(_w("pStyle")) if ppr is not None else None
        return [ppr] + [layer for layer, _ in self._chain(style.get(_w("val")) if style is not None else None)]

    def _emphasis(self, r) -> tuple[bool, bool]:
        """Bold and italic of a run from its own and its character style's properties; the paragraph style's
        emphasis belongs to the paragraph (a heading), not to the words."""
        rpr = r.find(_w("rPr"))
        layers = [rpr]
        style = rpr.find(_w("rStyle")) if rpr is not None else None
        if style is not None:
            layers += [layer for _, layer in self._chain(style.get(_w("val")))]
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
                    segs.append(_Seg(" ", bold, italic))
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

    def outline_level(self, p) -> bool:
        return any(
            layer is not None
            and layer.find(_w("outlineLvl")) is not None
            and layer.find(_w("outlineLvl")).get(_w("val")) not in ("9", None)
            for layer in self._para_layers(p)
        )

    def list_label(self, p) -> str | int | None:
        for layer in self._para_layers(p):
            num = layer.find(_w("numPr")) if layer is not None else None
            if num is not None and num.find(_w("numId")) is not None:
                ilvl = num.find(_w("ilvl"))
                return self.numbering.label(
                    num.find(_w("numId")).get(_w("val")), int(ilvl.get(_w("val"))) if ilvl is not None else 0
                )
        return None

    def note_texts(self) -> dict[str, str]:
        out = {}
        for ref, key in self.keys.items():
            note = self.note_xml.get(ref)
            if note is not None:
                out[key] = _clean(" ".join(_markup(self.segments(p)) for p in note.iter(_w("p"))))
        return out


class _Numbering:
    """Word list numbering (numbering.xml) turned back into the typed labels it displays."""

    FORMATS = {
        "decimal": str,
        "upperRoman": outline.roman,
        "lowerRoman": lambda n: outline.roman(n).lower(),
        "upperLetter": lambda n: outline.letter(n).upper(),
        "lowerLetter": outline.letter,
    }

    def __init__(self, root):
        self.lists: dict[str, dict[int, tuple[str, str, int, int]]] = {}
        self.counters: dict[str, dict[int, int]] = {}
        if root is None:
            return
        abstract = {}
        for a in root.iter(_w("abstractNum")):
            levels = {}
            for lvl in a.iter(_w("lvl")):
                fmt, text, start, ind = (lvl.find(f".//{_w(t)}") for t in ("numFmt", "lvlText", "start", "ind"))
                ilvl = int(lvl.get(_w("ilvl"), "0"))
                levels[ilvl] = (
                    fmt.get(_w("val")) if fmt is not None else "decimal",
                    text.get(_w("val"), "") if text is not None else "",
                    int(start.get(_w("val"), "1")) if start is not None else 1,
                    int(ind.get(_w("left"), ind.get(_w("start"), "0"))) if ind is not None else 720 * (ilvl + 1),
                )
            abstract[a.get(_w("abstractNumId"))] = levels
        for num in root.iter(_w("num")):
            ref = num.find(_w("abstractNumId"))
            if ref is not None:
                self.lists[num.get(_w("numId"))] = abstract.get(ref.get(_w("val")), {})

    def label(self, num_id: str, ilvl: int) -> str | int | None:
        """The number a list paragraph displays ("2.1.", "b)"); for a bullet, its indent (the document's
        bullet indents, in order, become "-", "+" …: Word nests bullets by indent, not always by level)."""
        levels = self.lists.get(num_id, {})
        if ilvl not in levels or levels[ilvl][0] == "none":
            return None
        fmt, text, start, indent = levels[ilvl]
        if fmt == "bullet":
            return indent
        counters = self.counters.setdefault(num_id, {})
        counters[ilvl] = counters.get(ilvl, start - 1) + 1
        for deeper in [k for k in counters if k > ilvl]:
            del counters[deeper]

        def number(m):
            k = int(m.group(1)) - 1
            kfmt, _, kstart, _ = levels.get(k, ("decimal", "", 1, 0))
            return self.FORMATS.get(kfmt, str)(counters.get(k, kstart))

        return re.sub(r"%(\d)", number, text).strip() or None


# The parts of a .docx are data: no entity is expanded (no "billion laughs"), no DTD or file outside is read.
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def _read_docx(data: bytes, name: str = "") -> Source:
    try:
        package = limits.open_zip(data, name or "tệp .docx")  # the zip limits, from its directory
    except limits.LimitExceeded as exc:
        raise ImportFailed(exc.message) from None
    except (zipfile.BadZipFile, EOFError, ValueError):
        raise ImportFailed("Tệp .docx bị hỏng hoặc không phải văn bản Word.") from None
    try:
        return _docx_lines(_Docx(package))
    except (zipfile.BadZipFile, zlib.error, EOFError, KeyError, ValueError, etree.LxmlError):
        raise ImportFailed("Tệp .docx bị hỏng hoặc không phải văn bản Word.") from None
    finally:
        package.close()


def _too_long(chars: int) -> str:
    return (
        f"Văn bản quá dài để nhập (hơn {limits.count_text(chars)} ký tự; tối đa "
        f"{limits.count_text(limits.IMPORT_MAX_CHARS)}, khoảng 700 trang); một kế hoạch chỉ vài chục trang — hãy "
        "kiểm tra lại tệp."
    )


def _docx_lines(doc: _Docx) -> Source:
    lines, indents, blank, any_outline = [], {}, False, False
    chars = 0
    for count, (p, group) in enumerate(doc.paragraphs(), 1):
        if count > limits.IMPORT_MAX_PARAGRAPHS:
            raise ImportFailed(
                f"Văn bản có hơn {limits.count_text(limits.IMPORT_MAX_PARAGRAPHS)} đoạn (kể cả ô bảng và đoạn trống), "
                "quá giới hạn của lệnh nhập; một kế hoạch chỉ vài trăm đoạn — hãy kiểm tra lại tệp."
            )
        segs = doc.segments(p)
        plain = _clean("".join(s.text for s in segs))
        chars += len(plain)
        if chars > limits.IMPORT_MAX_CHARS:
            raise ImportFailed(_too_long(chars))
        if not plain and not any(s.note for s in segs):
            blank = True
            continue
        label = doc.list_label(p)
        if isinstance(label, int):
            indents[len(lines)] = label
        elif label:
            segs.insert(0, _Seg(label + " "))
            plain = f"{label} {plain}"
        words = [s for s in segs if s.note is None and s.text.strip()]
        strong = bool(words) and all(s.bold for s in words) and bool(LABEL.match(plain) or _bullet(plain))
        heading = doc.outline_level(p)
        any_outline = any_outline or heading
        lines.append(
            Line(
                _clean(_markup(segs, drop_bold=strong)),
                plain,
                blank,
                group,
                heading=True if heading or strong else False,
            )
        )
        blank = False
    if not lines:
        raise ImportFailed("Tệp .docx không có chữ nào.")
    marks = dict(zip(sorted(set(indents.values())), "-+*•"))
    for i, indent in indents.items():
        mark = richtext.escape(marks.get(indent, "•"))
        lines[i] = replace(lines[i], text=f"{mark} {lines[i].text}", plain=f"{mark} {lines[i].plain}")
    if not any_outline:  # no heading styles: the body style says nothing, let the text decide
        lines = [replace(line, heading=line.heading or None) for line in lines]
    return Source(lines, markup=True, notes=doc.note_texts())


# ---------------------------------------------------------------- zones and joining


@dataclass
class _Zones:
    header: list[Line]
    title: Line | None
    subject: list[Line]
    body: list[Line]
    tail: list[Line]


def _mode(source: Source) -> str:
    """How lines become paragraphs: "docx" (paragraphs are given), "visual" (a PDF copy: one printed line
    per line, blank lines meaningless) or "paragraph" (one paragraph per line, blank lines between)."""
    if source.markup:
        return "docx"
    lengths = sorted(len(line.plain) for line in source.lines)
    return "visual" if lengths and lengths[int(len(lengths) * 0.9)] <= VISUAL_MAX_WIDTH else "paragraph"


def _split_zones(lines: list[Line], mode: str) -> _Zones:
    title = next((i for i, line in enumerate(lines) if TITLE.match(line.plain)), None)
    if title is None:
        start = 0
        while start < len(lines) and _header_like(lines[start].plain):
            start += 1
        header, subject_start = lines[:start], start
    else:
        header, subject_start = lines[:title], title + 1
    tail = next(
        (
            i
            for i in range(subject_start, len(lines))
            if NOI_NHAN.match(lines[i].plain) or AUTHORITY.match(lines[i].plain)
        ),
        len(lines),
    )
    if title is None:
        subject, extra, body_start = [], [], subject_start
    else:
        subject, extra, body_start = _subject(lines, subject_start, tail, mode)
    return _Zones(
        header + extra, lines[title] if title is not None else None, subject, lines[body_start:tail], lines[tail:]
    )


def _header_like(text: str) -> bool:
    return bool(
        PARTY.search(text)
        or NUMBER.match(text)
        or DATE.search(text)
        or RULE_OR_STAR.match(text)
        or (_is_upper(text) and len(text) < 80)
    )


def _subject(lines, i, end, mode) -> tuple[list[Line], list[Line], int]:
    """The trích yếu lines after the title, header lines found among them (number, date), and where the
    body starts (after the rule under the trích yếu)."""
    subject, extra = [], []
    while i < end:
        line, text = lines[i], lines[i].plain
        if RULE_OR_STAR.match(text):
            break
        if NUMBER.match(text) or (DATE.search(text) and len(text) < 80):
            extra.append(line)
        elif subject and (
            _starts_item(text)
            or len(subject) >= SUBJECT_MAX_LINES
            or _ends_sentence(subject[-1].plain)
            or (mode != "visual" and line.blank_before)
        ):
            break
        elif not subject and (LABEL.match(text) or (CAN_CU.match(text) and _ends_sentence(text))):
            break  # no trích yếu: the body starts at once
        else:
            subject.append(line)
        i += 1
    while i < end and RULE_OR_STAR.match(lines[i].plain):
        i += 1
    return subject, extra, i


def _starts_item(text: str) -> bool:
    """A line that always starts a new paragraph: a numbered item, a bullet, a footnote text, a căn cứ."""
    return bool(
        LABEL.match(text)
        or _bullet(text)
        or (text and text[0] in SUPERSCRIPTS)
        or FOOTNOTE_DEF.match(text)
        or CAN_CU.match(text)
    )


def _join(lines: list[Line], mode: str) -> list[Line]:
    """Paragraphs from lines: a line continues the previous one unless it starts an item, or the previous
    one ended a sentence (or, copied line by line, stopped short) and it starts with a capital, or a blank
    line and a capital say so. "124-" + "QĐ/TW" join without a space."""
    lengths = sorted(len(line.plain) for line in lines) or [0]
    short = SHORT_LINE * lengths[int(len(lengths) * 0.9)] if mode == "visual" else 0
    out: list[Line] = []
    for line in lines:
        prev = out[-1] if out else None
        if prev is None or line.group != prev.group or _starts_item(line.plain):
            out.append(replace(line, width=len(line.plain)))
            continue
        glue = "" if HYPHEN_END.search(prev.plain) else " "
        if not glue:
            joined = True
        elif mode == "docx":
            joined = _lower_start(line.plain) and not _ends_sentence(prev.plain)
        else:
            capital = _capital(line.plain)
            joined = not (
                capital
                and (_ends_sentence(prev.plain) or prev.width < short or (mode == "paragraph" and line.blank_before))
            )
        if joined:
            out[-1] = replace(
                prev, text=prev.text + glue + line.text, plain=prev.plain + glue + line.plain, width=len(line.plain)
            )
        else:
            out.append(replace(line, width=len(line.plain)))
    return out


def _bullet(text: str) -> tuple[str, str] | None:
    """``(mark, rest)`` of a bullet line ("- …", "+ …", "• …"; "-Tập thể" too), or None."""
    m = BULLET.match(text)
    if not m:
        return None
    rest = text[m.end() :]
    if not rest or rest[0] in "-–−" or (not m.group("gap") and not (rest[0].isupper() or rest[0] in '“"(')):
        return None
    if m.group("mark").endswith("*") and not m.group("gap"):
        return None  # "*nghiêng*" is emphasis, "* mục" a bullet
    return BULLET_MARKS.get(m.group("mark"), m.group("mark")), rest


# ---------------------------------------------------------------- normal case of upper-case names


def _normal_case(text: str) -> str:
    """ "ĐẢNG ỦY PHƯỜNG HỒNG QUANG" → "Đảng ủy phường Hồng Quang"; text not all in capitals is kept."""
    if not _is_upper(text):
        return text
    words, out, place = text.split(), [], False
    for i, word in enumerate(words):
        low = word.lower()
        if len(word) == 1 or "." in word and len(word) <= 4 or "/" in word or word in ACRONYMS:
            out.append(word)
        elif place:
            out.append(word.capitalize())
        else:
            out.append(low)
        place = place or low in PLACE_WORDS or (i > 0 and (words[i - 1].lower(), low) in PLACE_PAIRS)
    result = PROPER.sub(lambda m: PROPER_NAMES[m.group(1)], " ".join(out))
    return result[:1].upper() + result[1:]


# ---------------------------------------------------------------- the outline


def _is_heading(example: str, text: str, hint: bool | None) -> bool:
    """A numbered heading (tieu_de) rather than a numbered running paragraph (doan): what the .docx style
    says; else Roman and capital-letter parts always, other items when short and not ending a sentence."""
    if hint is not None:
        return hint
    plain = richtext.plain(text).strip()
    return example[0] in "IA" or (
        len(plain) <= HEADING_MAX_CHARS and not _ends_sentence(plain) and not plain.endswith(",")
    )


@dataclass
class _Open:
    level: int  # index of the label's kind in the scheme
    item: dict
    counters: tuple  # the engine's counters for this item


class _Outline:
    """Builds ``noi_dung`` from paragraphs. A label's kind ("I.", "1.", "1.1.", "a)" …) decides its level, in the
    order the kinds first appear, so a typed "1.3." under "3." still nests as level 3; bullets nest by mark."""

    def __init__(self, warn):
        self.warn = warn
        self.root: list = []
        self.examples: list[str] = []  # the scheme: one example label per level
        self.levels: list[outline.Level] = []
        self.marks: list[str] = []  # bullet marks by nesting depth
        self.open: list[_Open] = []
        self.bullets: list[tuple[int, dict]] = []
        self.counts: dict[int, int] = {}
        self.typed: dict[str, list[dict]] = {}  # typed compound numbers ("2.3.1") → items
        self.printed: dict[int, str] = {}  # id(item) → the number the engine prints ("3.2.1")
        self.numbered = 0
        self.last_upper = ""

    # ------------------------------------------------------------ labels

    def label(self, text: str) -> tuple[str, str, str] | None:
        """``(example, typed number, rest of the text)`` of a numbered paragraph, or None."""
        m = LABEL.match(text)
        if not m:
            return None
        num, suffix = m.group("num"), m.group("suffix")
        if num[0].isdigit():
            example = "1" + ".1" * num.count(".")
        elif num.islower():
            example = "a"
        elif len(num) == 1 and (num not in "IVXLC" or self._next_letter(num)):
            example = "A"  # "C." after "B." is a letter, not Roman 100
        else:
            example = "I"
        return example + suffix, num, m.group("lead") + text[m.end() :]

    def _next_letter(self, letter: str) -> bool:
        letters = outline.VN_LETTERS.upper()
        return bool(self.last_upper) and letters.find(letter) == letters.find(self.last_upper) + 1

    def _level(self, example: str) -> int:
        if example not in self.examples:
            self.examples.append(example)
            self.levels.append(outline.parse_level(example))
        return self.examples.index(example)

    # ------------------------------------------------------------ adding

    def add(self, para: Line) -> None:
        labelled = self.label(para.text)
        if labelled:
            self._numbered(para, *labelled)
        elif (bullet := _bullet(para.text)) is not None:
            self._bullet(*bullet)
        else:
            self._plain(para.text)

    def _plain(self, text: str) -> None:
        """A plain paragraph belongs to the current item; one right after a numbered paragraph (doan) that
        does not announce sub-points (":") stands beside it, under the same heading."""
        top = self.open[-1].item if self.open else {}
        if "doan" in top and "noi_dung" not in top and not richtext.plain(top["doan"]).rstrip().endswith(":"):
            self.open.pop()
        self._container().append(text)
        self.bullets = []

    def _container(self) -> list:
        return self.open[-1].item.setdefault("noi_dung", []) if self.open else self.root

    def _numbered(self, para: Line, example: str, num: str, text: str) -> None:
        level = self._level(example)
        if example.startswith("A"):
            self.last_upper = num
        while self.open and self.open[-1].level >= level:
            self.open.pop()
        depth = len(self.open)
        if level > depth and (not self.open or self.open[-1].level < level - 1):
            above = f"“{self.examples[self.open[-1].level]}”" if self.open else "đầu văn bản"
            self.warn(
                f"Mục {_quote(num + example[-1] + ' ' + richtext.plain(text))} nằm ngay dưới cấp {above}, "
                f"bỏ qua cấp giữa; hệ thống sẽ đánh số theo cấp {depth + 1} — kiểm tra lại."
            )
        container = self._container()
        count = self.counts[id(container)] = self.counts.get(id(container), 0) + 1
        counters = (self.open[-1].counters if self.open else ()) + (count,)
        printed = outline.label(self.levels[depth], list(counters))
        if printed != num + example[-1]:
            self.warn(
                f"Số “{num}{example[-1]}” của mục {_quote(richtext.plain(text), 60)} không khớp vị trí trong "
                f"văn bản; hệ thống sẽ đánh số “{printed}”."
            )
        item = {"tieu_de" if _is_heading(example, text, para.heading) else "doan": text}
        container.append(item)
        self.open.append(_Open(level, item, counters))
        self.bullets = []
        self.numbered += 1
        self.printed[id(item)] = outline.number_text(self.levels[depth], list(counters))
        if "." in num:
            self.typed.setdefault(num, []).append(item)

    def _bullet(self, mark: str, text: str) -> None:
        if mark not in self.marks:
            self.marks.append(mark)
        depth = self.marks.index(mark)
        while self.bullets and self.bullets[-1][0] >= depth:
            self.bullets.pop()
        if depth > len(self.bullets):
            self.warn(
                f"Dòng “{mark} {_quote(richtext.plain(text), 60)[1:]} không nằm dưới dòng gạch đầu dòng cấp "
                f"trên; hệ thống sẽ in dấu “{(self.marks + ['-'])[len(self.bullets)]}”."
            )
        container = self.bullets[-1][1].setdefault("noi_dung", []) if self.bullets else self._container()
        item = {"gach": text}
        container.append(item)
        self.bullets.append((depth, item))

    # ------------------------------------------------------------ results

    def scheme(self) -> list[str] | None:
        """``danh_so`` when it is not the default (or a beginning of it)."""
        if not self.examples or tuple(self.examples) == outline.DEFAULT_SCHEME[: len(self.examples)]:
            return None
        if len(self.examples) > MAX_LEVELS:
            self.warn(
                f"Văn bản dùng {len(self.examples)} kiểu đánh số ({', '.join(self.examples)}); hệ thống chỉ "
                f"hỗ trợ {MAX_LEVELS} cấp."
            )
        return self.examples

    def bullet_marks(self) -> list[str] | None:
        if not self.marks or tuple(self.marks) == outline.DEFAULT_BULLETS[: len(self.marks)]:
            return None
        return self.marks

    def closing(self) -> list[str]:
        """Take the closing paragraphs ("Trong quá trình thực hiện …") off the end of the last section."""
        container = self.root
        while container and isinstance(container[-1], dict) and container[-1].get("noi_dung"):
            container = container[-1]["noi_dung"]
        tail = len(container)
        while tail and isinstance(container[tail - 1], str):
            tail -= 1
        start = next((i for i in range(tail, len(container)) if CLOSING.match(richtext.plain(container[i]))), None)
        if start is None or (start == 0 and container is self.root):
            return []
        closing = container[start:]
        del container[start:]
        return closing


# ---------------------------------------------------------------- the importer


def _map_markup(data: dict, fn) -> None:
    """Apply ``fn`` to every markup string of the data (căn cứ, mở đầu, the outline, kết thúc), in place and in
    reading order."""

    def walk(items):
        for i, item in enumerate(items):
            if isinstance(item, str):
                items[i] = fn(item)
                continue
            for key in ("tieu_de", "doan", "gach"):
                if key in item:
                    item[key] = fn(item[key])
            walk(item.get("noi_dung", []))

    for key in ("can_cu", "mo_dau", "noi_dung", "ket_thuc"):
        walk(data[key])


def _ordered(mapping: dict, keys) -> dict:
    """The mapping's entries in the schema's order (the order they appear in the JSON written)."""
    return {k: mapping[k] for k in keys if k in mapping}


class _Importer:
    """One import: the stages of :meth:`run` in order, collecting the Vietnamese warnings."""

    def __init__(self, source: Source):
        self.source = source
        self.mode = _mode(source)
        self.warnings: list[str] = []
        self.notes: dict[str, str] = dict(source.notes)

    def warn(self, message: str) -> None:
        self.warnings.append(message)

    def run(self) -> tuple[dict, list[str]]:
        lines = self._without_page_numbers(self.source.lines)
        zones = _split_zones(lines, self.mode)
        ban_hanh = self._header(zones.header)
        trich_yeu = self._subject(zones)
        paras = self._take_footnotes(self._paragraphs(zones.body))
        body_start = self._body_start(paras)
        can_cu, mo_dau = self._preamble(paras[:body_start])
        tree = _Outline(self.warn)
        for para in paras[body_start:]:
            tree.add(para)
        ket_thuc = tree.closing()
        nguoi_ky, noi_nhan, leftovers = self._tail(zones.tail)
        self._require_plan(zones, ban_hanh, tree, nguoi_ky, noi_nhan)
        if "co_quan_ban_hanh" not in ban_hanh:
            self._infer_issuer(ban_hanh, mo_dau + can_cu)
        data = {
            "ban_hanh": ban_hanh,
            "trich_yeu": trich_yeu,
            "can_cu": can_cu,
            "mo_dau": mo_dau,
            "danh_so": tree.scheme(),
            "dau_dong": tree.bullet_marks(),
            "noi_dung": tree.root,
            "ket_thuc": ket_thuc + leftovers,
            "chu_thich": None,
            "nguoi_ky": nguoi_ky,
            "noi_nhan": noi_nhan,
        }
        self._cross_references(data, tree)
        data["chu_thich"] = self._settle_footnotes(data)
        self._report_missing(data)
        return vn.chuan_hoa_du_lieu({k: v for k, v in data.items() if v}), self.warnings

    # ------------------------------------------------------------ stages

    def _without_page_numbers(self, lines: list[Line]) -> list[Line]:
        """A text copied from a PDF carries the page numbers as lines of their own (a .docx keeps them in fields)."""
        if self.source.markup:
            return lines
        kept = [line for line in lines if not PAGE_NUMBER.match(line.plain)]
        if len(kept) < len(lines):
            self.warn(f"Đã bỏ {len(lines) - len(kept)} dòng chỉ có một con số (số trang khi sao chép từ PDF).")
        return kept

    def _header(self, lines: list[Line]) -> dict:
        found, bodies = {}, []
        for line in lines:
            text = PARTY.sub(" ", line.plain)
            if m := NUMBER.search(text):
                if m.group("so"):
                    found["so"] = int(m.group("so"))
                found["ky_hieu"] = m.group("ky_hieu")
                text = text[: m.start()] + " " + text[m.end() :]
            if m := DATE.search(text):
                self._date(found, m)
                text = text[: m.start()] + " " + text[m.end() :]
            text = _clean(text)
            if not text or RULE_OR_STAR.match(text):
                continue
            if _is_upper(text):
                if bodies and not ORG_START.match(text):
                    bodies[-1] += " " + text  # a long name broken over two lines
                else:
                    bodies.append(text)
            else:
                self.warn(
                    f"Dòng {_quote(text)} ở phần đầu văn bản không phải tên cơ quan, số, ký hiệu hay ngày tháng; "
                    "không dùng được."
                )
        if len(bodies) > 2:
            self.warn(
                "Phần đầu văn bản có nhiều hơn hai tên cơ quan (" + "; ".join(bodies) + "); chỉ dùng hai tên cuối."
            )
        names = [_normal_case(b) for b in bodies[-2:]]
        out = {"cap_tren": names[0]} if len(names) == 2 else {}
        if names:
            out["co_quan_ban_hanh"] = names[-1]
        return _ordered({**out, **found}, BAN_HANH_KEYS)

    def _date(self, found: dict, m: re.Match) -> None:
        place = m.group("place").strip(" *-–,")
        if place:
            found["dia_danh"] = place
        try:
            found["ngay_ban_hanh"] = dt.date(int(m.group("y")), int(m.group("m")), int(m.group("d"))).isoformat()
        except ValueError:
            self.warn(f"Ngày ban hành {_quote(m.group(0))} không phải ngày có thật.")

    def _subject(self, zones: _Zones) -> str:
        rest = TITLE.match(zones.title.plain).group("rest") if zones.title else None
        return _clean(" ".join(([rest] if rest else []) + [line.plain for line in zones.subject]))

    def _paragraphs(self, lines: list[Line]) -> list[Line]:
        paras = _join(lines, self.mode)
        if not self.source.markup:
            paras = [replace(p, text=_text_markup(p.text)) for p in paras]
        return [replace(p, text=_clean(p.text), plain=_clean(richtext.plain(p.text))) for p in paras]

    def _take_footnotes(self, paras: list[Line]) -> list[Line]:
        """Footnote texts ("¹ Ví dụ: …") out of the flow into ``notes``; one that no marker points to stays a
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
                self.warn(
                    f"Chú thích {_quote(p.plain)} không có dấu chú thích nào trỏ tới (hoặc bị trùng số); "
                    "đã giữ làm đoạn văn thường."
                )
                p = replace(p, text=_superscript(key) + " " + text)
            kept.append(p)
        return kept

    def _body_start(self, paras: list[Line]) -> int:
        """Index of the first numbered item; without any, the paragraph after the lead-in ("… như sau:")."""
        first = next((i for i, p in enumerate(paras) if LABEL.match(p.text)), None)
        if first is not None:
            return first
        if paras:
            self.warn("Không thấy đề mục đánh số (I., 1., …); nội dung được giữ thành các đoạn văn thường.")
        return next((i + 1 for i, p in enumerate(paras) if p.plain.endswith(":")), 0)

    def _preamble(self, paras: list[Line]) -> tuple[list[str], list[str]]:
        """Căn cứ paragraphs (without their final ";" or ","), then the lead-in. A căn cứ that also holds the
        operative sentence ("…, Đảng ủy phường triển khai thực hiện như sau:") is kept whole as the lead-in."""
        can_cu, mo_dau = [], []
        for p in paras:
            bullet = _bullet(p.text)
            text = bullet[1] if bullet and CAN_CU.match(richtext.plain(bullet[1])) else p.text
            if not mo_dau and CAN_CU.match(richtext.plain(text)):
                can_cu.append(text)
            else:
                mo_dau.append(text)
        if can_cu and richtext.plain(can_cu[-1]).rstrip().endswith(":"):
            mo_dau.insert(0, can_cu.pop())
        return [re.sub(r"\s*[;,.]\s*$", "", c) for c in can_cu], mo_dau

    def _tail(self, lines: list[Line]) -> tuple[dict, list[str], list[str]]:
        """Signature (thẩm quyền, chức vụ, "(Đã ký)", họ tên) and recipients, in whichever order they come;
        lines that are neither are returned to be kept as closing paragraphs."""
        signer, titles, recipients, leftovers, state = {}, [], [], [], None
        for line in lines:
            text = line.plain
            if m := NOI_NHAN.match(text):
                state, text = "recipients", text[m.end() :].strip()
                if not text:
                    continue
            bullet = _bullet(text)
            if m := AUTHORITY.match(text):
                code = STATE_AUTHORITY.get(m.group("code"), m.group("code"))
                if code != m.group("code"):
                    self.warn(f"Thẩm quyền ký “{m.group('code')}” được viết lại là “{code}” theo thể thức của Đảng.")
                signer["tham_quyen"], state = f"{code} {_normal_case(m.group('rest'))}", "signer"
            elif DA_KY.match(text):
                signer["da_ky"] = True
            elif SIGN_NOTE.match(text):
                continue
            elif state == "recipients" and (bullet or not _is_upper(text)):
                if bullet or not recipients or _capital(text):
                    recipients.append(bullet[1] if bullet else text)
                else:
                    recipients[-1] += " " + text  # a recipient broken over two lines
            elif _is_upper(text) and "ho_ten" not in signer:
                titles.append(text)
                state = "signer"
            elif _is_name(text) and "ho_ten" not in signer:
                signer["ho_ten"] = text
            else:
                self.warn(
                    f"Dòng {_quote(text)} ở phần cuối không phải nơi nhận hay chữ ký; đã giữ làm đoạn văn kết thúc."
                )
                leftovers.append(richtext.escape(text))
        if titles:
            signer["chuc_vu"] = _normal_case(" ".join(titles))
        nguoi_ky = {k: signer[k] for k in ("tham_quyen", "chuc_vu", "ho_ten") if k in signer}
        if nguoi_ky:
            nguoi_ky["da_ky"] = signer.get("da_ky", False)
        return nguoi_ky, [re.sub(r"\s*[,;.]+$", "", r).strip() for r in recipients], leftovers

    def _require_plan(self, zones, ban_hanh, tree, nguoi_ky, noi_nhan) -> None:
        if zones.title is None:
            other = next(
                (
                    m.group("kind")
                    for line in self.source.lines[:20]
                    if _is_upper(line.plain) and (m := OTHER_TITLE.match(line.plain))
                ),
                None,
            )
            if other:
                raise ImportFailed(
                    f"Tệp là một {other.lower()}, không phải kế hoạch; lệnh import hiện chỉ đọc kế hoạch."
                )
        signals = [zones.title is not None, "ky_hieu" in ban_hanh, tree.numbered >= 2, bool(nguoi_ky or noi_nhan)]
        if sum(signals) < 2:
            raise ImportFailed(NOT_A_PLAN)

    def _infer_issuer(self, ban_hanh: dict, paras: list[str]) -> None:
        """No issuing body in the header (some copies lose it): the body the lead-in names, ending with the place."""
        place = ban_hanh.get("dia_danh")
        if not place:
            return
        pattern = re.compile(r"(?:Đảng (?:ủy|uỷ|bộ)|Chi (?:bộ|ủy|uỷ))(?:\s+\S+){0,2}?\s+" + re.escape(place) + r"\b")
        for text in paras:
            if m := pattern.search(richtext.plain(text)):
                ban_hanh.update(_ordered({**ban_hanh, "co_quan_ban_hanh": m.group(0)}, BAN_HANH_KEYS))
                self.warn(
                    f"Phần đầu không có tên cơ quan ban hành; đã lấy {_quote(m.group(0))} từ nội dung văn bản "
                    "— kiểm tra lại (và thêm cap_tren nếu cần)."
                )
                return

    def _cross_references(self, data: dict, tree: _Outline) -> None:
        """ "Điểm 2.3.1" naming an item by its typed number becomes a reference [#ma] that follows the computed
        number (a typed reference would go stale when the engine renumbers)."""

        def link(text: str) -> str:
            def sub(m):
                items = tree.typed.get(m.group("num"), [])
                if len(items) != 1:
                    return m.group(0)
                item = items[0]
                if tree.printed[id(item)] != m.group("num"):
                    self.warn(
                        f"Dẫn chiếu “{m.group(0)}” trỏ tới mục nay được đánh số {tree.printed[id(item)]}; đã "
                        f"đổi thành dẫn chiếu tự động (in ra “{m.group('word')} {tree.printed[id(item)]}”)."
                    )
                if "ma" not in item:
                    named = _ordered({**item, "ma": "muc_" + m.group("num").replace(".", "_")}, OUTLINE_ITEM_KEYS)
                    item.clear()
                    item.update(named)
                return f"{m.group('word')} [#{item['ma']}]"

            return XREF.sub(sub, text)

        _map_markup(data, link)

    def _settle_footnotes(self, data: dict) -> dict | None:
        """Footnote texts in order of reference; a marker without a text becomes its number again, a text no
        marker points to is kept as a closing paragraph — both reported."""
        used: list[str] = []

        def check(text: str) -> str:
            def sub(m):
                key = m.group(1)
                if self.notes.get(key) and key not in used:
                    used.append(key)
                    return m.group(0)
                self.warn(
                    f"Dấu chú thích số {key} không có nội dung chú thích (hoặc được dùng hai lần); đã giữ "
                    "làm chữ thường."
                )
                return _superscript(key)

            return FOOTNOTE_MARK.sub(sub, text)

        _map_markup(data, check)
        for key, text in self.notes.items():
            if key not in used and text:
                self.warn(
                    f"Chú thích {_quote(richtext.plain(text))} không được đặt ở đâu trong phần nội dung; đã "
                    "giữ làm đoạn văn kết thúc."
                )
                data["ket_thuc"].append(text)
        return {key: self.notes[key] for key in used} or None

    def _report_missing(self, data: dict) -> None:
        wanted = [
            ("co_quan_ban_hanh", "tên cơ quan ban hành"),
            ("ky_hieu", "số và ký hiệu (“Số …-KH/…”)"),
            ("dia_danh", "địa danh"),
            ("ngay_ban_hanh", "ngày ban hành"),
        ]
        missing = [what for key, what in wanted if key not in data["ban_hanh"]]
        missing += [
            what
            for key, what in (
                ("trich_yeu", "trích yếu (dòng dưới chữ KẾ HOẠCH)"),
                ("noi_dung", "nội dung"),
                ("noi_nhan", "nơi nhận"),
            )
            if not data[key]
        ]
        missing += [
            what
            for key, what in (("chuc_vu", "chức vụ người ký"), ("ho_ten", "họ tên người ký"))
            if key not in data["nguoi_ky"]
        ]
        if missing:
            self.warn("Không tìm thấy " + ", ".join(missing) + "; hãy bổ sung vào tệp JSON trước khi tạo văn bản.")


def _is_name(text: str) -> bool:
    """A person's name: two to six capitalised words ("Nguyễn Thị Ngọc Dung")."""
    words = text.split()
    return 2 <= len(words) <= 6 and all(
        w[0].isupper() and (len(w) == 1 or w[1:].islower()) and w.isalpha() for w in words
    )


# ---------------------------------------------------------------- entry point


def import_document(kind: str, path) -> tuple[dict, list[str]]:
    """Read the document at ``path`` (.docx, or text copied out of a PDF) as ``kind`` data.

    Returns ``(data, warnings)``: the data to write as JSON (validate it before rendering) and Vietnamese
    warnings naming every line that needs a look. Raises :class:`ImportFailed` when the file cannot be read
    or is not a plan."""
    if kind != KIND:
        raise ImportFailed(f"Chưa nhập được loại văn bản “{kind}”; lệnh import hiện chỉ đọc kế hoạch ({KIND}).")
    try:
        raw = limits.read_limited(path, limits.IMPORT_MAX_BYTES)
    except limits.LimitExceeded as exc:
        raise ImportFailed(exc.message) from None
    except OSError as exc:
        raise ImportFailed(f"Không mở được tệp {path}: {exc.strerror or exc}.") from None
    if not raw.strip():
        raise ImportFailed("Tệp trống, không có gì để nhập.")
    source = _read(raw, Path(path).name)
    if not source.lines:
        raise ImportFailed("Tệp không có chữ nào.")
    return _Importer(source).run()
