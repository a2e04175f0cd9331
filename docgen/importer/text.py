"""Reading text copied out of a PDF (or saved from a converter) into lines and paragraphs.

What a copy carries besides the words, and what becomes of it:

- the encoding (UTF-8 with or without BOM, UTF-16, the Vietnamese Windows code page), binary data refused;
- pages: form feeds (``pdftotext``) and page numbers, which are dropped; footnotes at the page foot — a
  number on its own line before the note, a digit glued to the word it marks ("trực tiếp1.") — which
  become real footnotes, as do superscript digits (¹) and the converters' forms ([^1], [footnoteRef:1] with
  "[1: …]", "[[1]](#footnote-1)");
- the two columns of the header and the signature block as ``pdftotext -layout`` prints them side by side,
  put back one column after the other;
- converter artefacts: ``**`` and ``*`` emphasis marks (kept as emphasis where they pair, dropped where they
  do not), ``[bookmark: …]``, pandoc anchors and spans, HTML ``<br>``, Markdown headings, escapes and table
  rows, the rule "-----" glued to the next line, ligatures, the non-breaking hyphen;
- line breaks: :func:`join` re-joins the lines a PDF copy broke into paragraphs, and keeps apart a heading
  and the text after it, items, inline enumerations "(1) …; (2) …" as written.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass, replace

from .. import limits, richtext
from .numbering import parse_label
from .source import (
    FOOTNOTE_DEF,
    FOOTNOTE_MARK,
    SUPERSCRIPTS,
    ImportFailed,
    Line,
    Loc,
    Report,
    Source,
    capital,
    clean,
    ends_sentence,
    lower_start,
    too_long,
)

VISUAL_MAX_WIDTH = 120  # text whose lines are at most this long (90th percentile) was copied line by line
SHORT_LINE = 0.75  # ... and a line shorter than this share of the usual width ends a paragraph
FULL_LINE = 0.97  # a line this full ran to the margin: a sentence ending there goes on in the paragraph
COLUMN_GAP = re.compile(r"(?<=\S)( {5,}|\t+ *)(?=\S)")  # two columns printed side by side (pdftotext -layout)
LAYOUT_INDENT = 3  # a layout copy indents first lines by this many spaces or more
WRAPPED_MIN = 50  # a line a copy broke at the margin is at least this long

# Markdown emphasis: marks not inside a word, opening onto a word and closing after one ("(*nếu có*)").
EMPHASIS = re.compile(r"(?<![*\\\w])(\*{1,3})(?=[^\s*)\]},.;:])(.+?)(?<=[^\s*\\])\1(?![*\w])")
MD_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")  # "1\." "\-" "\*" as pandoc and markitdown write them
STRAY_MARKS = re.compile(r"\*{2,}|_{2,}|^\*(?=\w)|(?<=[\w.,;:)”\"])\*$")
SUPERSCRIPT_RUN = re.compile(f"[{SUPERSCRIPTS}]+")
TO_DIGITS = str.maketrans(SUPERSCRIPTS, "0123456789")

BOOKMARK = re.compile(r"\[bookmark:[^\]]*\]|\[\]\{#[^}]*\}", re.IGNORECASE)
PANDOC_SPAN = re.compile(r"\[([^\]\[]*)\]\{[.#][^}]*\}")
NOTE_REF = re.compile(r"\[(?:footnote|endnote)Ref:\s*(\d+)\]|\[\[(\d+)\]\]\(#(?:foot|end)note-\d+\)", re.IGNORECASE)
POI_NOTE = re.compile(r"^\s*\[(\d+):\s?")  # Apache POI / Tika print a note's text as "[1: …]" after its paragraph
MAMMOTH_NOTE = re.compile(r"^\s*(\d+)\.\s+(.*?)\s*\[↑\]\(#(?:foot|end)note-ref-\d+\)\s*$")
HTML_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)
MD_HEADING = re.compile(r"^(#{1,6})\s+")
MD_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")
RULE_GLUED = re.compile(r"^\s*([-–—_=]{3,})\s*(?=[^\s\-–—_=])")
LIGATURES = str.maketrans({"ﬁ": "fi", "ﬂ": "fl", "ﬀ": "ff", "ﬃ": "ffi", "ﬄ": "ffl", "\u2011": "-", "\u2010": "-"})
BARE_NUMBER = re.compile(r"^[-–]?\s*(\d{1,3})\s*[-–]?$")
NOTE_LINE = re.compile(r"^(\d{1,2})\s+([A-ZĐÀ-Ỹ“\"(].*)$")  # a PDF viewer's copy: "1 Theo Quy định …"
# "trực tiếp1." — a superscript footnote mark as a PDF's text gives it (pdftotext -raw: "tiếp1 .")
GLUED_MARK = re.compile(r"(?<=[^\W\d_])(\d{1,2})(?: (?=[.,;:)]))?(?=[\s.,;:)”\"’]|$)")
HYPHEN_END = re.compile(r"\w-$")


# ---------------------------------------------------------------- entry point


def read(data: bytes, report: Report) -> Source:
    """A text file's lines, converter artefacts and page furniture taken out, footnotes found."""
    text = _decode(data)
    if len(text) > limits.IMPORT_MAX_CHARS:
        raise ImportFailed(too_long(len(text)))
    pages = _pages(text)
    notes: dict[str, str] = {}
    raw = [r for page in pages for r in _footnotes_at_page_foot(page, notes, paged=len(pages) > 1)]
    if len(pages) == 1:
        raw = _without_page_numbers(raw, report)
    raw = _untangle_columns(raw)
    lines = _lines(raw, notes, report)
    mode = _mode(lines)
    return Source(lines, "text", _joiner(mode), notes, mode)


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


# ---------------------------------------------------------------- pages


@dataclass
class _Raw:
    text: str  # as in the file (spaces kept: they say where the columns are)
    n: int  # line number in the file
    group: int = 0
    heading: int | None = None  # a Markdown heading's level


def _pages(text: str) -> list[list[_Raw]]:
    """Lines by page (form feeds), numbered as an editor numbers them."""
    pages: list[list[_Raw]] = [[]]
    for n, line in enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"), start=1):
        parts = line.split("\f")
        for i, part in enumerate(parts):
            if i:
                pages.append([])
            pages[-1].append(_Raw(part.translate(LIGATURES), n))
    return pages


def _page_number_at(page: list[_Raw], where: str) -> list[_Raw]:
    """A page without its number printed in the header (the first line with words) or the footer (the last)."""
    filled = [i for i, r in enumerate(page) if r.text.strip()]
    if filled:
        i = filled[0] if where == "top" else filled[-1]
        if BARE_NUMBER.match(page[i].text.strip()):
            return page[:i] + page[i + 1 :]
    return page


def _without_page_numbers(raw: list[_Raw], report: Report) -> list[_Raw]:
    """A copy without page breaks keeps the page numbers as lines of their own: dropped; said when they do not
    run 2, 3, 4 … (then they may be something else)."""
    numbers = [r for r in raw if BARE_NUMBER.match(r.text.strip())]
    values = [int(BARE_NUMBER.match(r.text.strip()).group(1)) for r in numbers]
    if numbers and any(b != a + 1 for a, b in zip(values, values[1:])):
        report.warn(
            "page_numbers",
            f"Đã bỏ {len(numbers)} dòng chỉ có một con số (coi là số trang khi sao chép từ PDF): "
            + ", ".join(f"dòng {r.n}" for r in numbers[:10])
            + (" …" if len(numbers) > 10 else "")
            + ".",
            Loc("dòng", numbers[0].n),
        )
    return [r for r in raw if r not in numbers]


def _footnotes_at_page_foot(page: list[_Raw], notes: dict[str, str], paged: bool) -> list[_Raw]:
    """Footnotes as a PDF copy gives them, at the foot of the page: each note's number on its own line before
    its text (``pdftotext`` without options prints the first number after the last note instead), the marks
    as digits glued to the word they mark ("trực tiếp1.").

    A bare number counts as a note when a word above it is marked with it. A note's text runs to the next
    note or the end of the page; in a copy without page breaks, to the first line that ends a sentence. The
    marks become [^n], the texts go to ``notes``."""
    if paged:
        page = _page_number_at(page, "top")
    marks: set[str] = set()
    numbers = []
    for i, r in enumerate(page):
        m = BARE_NUMBER.fullmatch(r.text.strip() or "x") or NOTE_LINE.match(r.text.strip())
        if m and m.group(1) in marks and m.group(1) not in notes:
            if m.re is NOTE_LINE:  # "1 Theo Quy định …": the number and the note's first line as one
                page = page[:i] + [_Raw(m.group(1), r.n), _Raw(m.group(2), r.n, r.group)] + page[i + 1 :]
                return _footnotes_at_page_foot(page, notes, paged)
            numbers.append((i, m.group(1)))
        elif not (paged and numbers):
            marks |= {g.group(1) for g in GLUED_MARK.finditer(r.text)}
    if not numbers:
        return _page_number_at(page, "bottom") if paged else page
    texts: dict[str, list[_Raw]] = {}
    consumed: set[int] = set()
    if paged:
        filled = [i for i, r in enumerate(page) if r.text.strip()]
        first, tail_end = numbers[0][0], len(page)
        if numbers[-1][0] == filled[-1]:
            # pdftotext's order: the first note's number after the last note; its text is the paragraph above
            # the next number (or above its own, when it is the page's only note).
            (tail_end, key), numbers = numbers[-1], numbers[:-1]
            end = numbers[0][0] if numbers else tail_end
            first = _paragraph_start(page, end)
            texts[key] = page[first:end]
        ends = [i for i, _ in numbers[1:]] + [tail_end]
        for (i, key), end in zip(numbers, ends):
            texts[key] = page[i + 1 : end]
        consumed = set(range(first, len(page)))
    else:
        for i, key in numbers:
            j = i + 1
            while j < len(page) and page[j].text.strip() and not BARE_NUMBER.match(page[j].text.strip()):
                j += 1
                if ends_sentence(page[j - 1].text):
                    break
            texts[key] = page[i + 1 : j]
            consumed |= set(range(i, j))
    found = {k: [r for r in v if r.text.strip()] for k, v in texts.items()}
    found = {k: v for k, v in found.items() if v}
    if not found:
        return _page_number_at(page, "bottom") if paged else page
    for key, rows in found.items():
        notes[key] = _note_markup(_glue(r.text.strip() for r in rows))
    body = [r for i, r in enumerate(page) if i not in consumed]
    for r in body:
        r.text = GLUED_MARK.sub(lambda m: f"[^{m.group(1)}]" if m.group(1) in found else m.group(0), r.text)
    return body


def _paragraph_start(page: list[_Raw], end: int) -> int:
    """The first line of the paragraph that ends just before ``end``: back to a line after one that ends a
    sentence, marks a footnote (body text) or is blank."""
    i = end - 1
    while i > 0:
        above = page[i - 1].text
        if not above.strip() or ends_sentence(above) or GLUED_MARK.search(above) or starts_item(above.strip()):
            break
        i -= 1
    return i


def _glue(parts) -> str:
    out = ""
    for part in parts:
        out = part if not out else out + ("" if HYPHEN_END.search(out) else " ") + part
    return out


# ---------------------------------------------------------------- columns


def _untangle_columns(raw: list[_Raw]) -> list[_Raw]:
    """Two columns printed side by side (the header, the recipients beside the signature) become the left
    column's lines, then the right column's, each column a group of its own. A column block is the lines
    around one printed side by side, up to a blank line or a line across the page."""
    out: list[_Raw] = []
    groups = iter(range(1 << 20, 1 << 30))
    done = i = 0
    while i < len(raw):
        m = COLUMN_GAP.search(raw[i].text)
        if not m or not raw[i].text[: m.start()].strip():
            i += 1
            continue
        boundary = m.end()
        start = i
        while start > done and _side(raw[start - 1].text, boundary):
            start -= 1
        end = i + 1
        while end < len(raw) and (_side(raw[end].text, boundary) or _gap_near(raw[end].text, boundary)):
            end += 1
        out += raw[done:start]
        left, right = next(groups), next(groups)
        lefts, rights = [], []
        for r in raw[start:end]:
            g = COLUMN_GAP.search(r.text)
            if g and r.text[: g.start()].strip():
                lefts.append(_Raw(r.text[: g.start()], r.n, left))
                rights.append(_Raw(r.text[g.end() :], r.n, right))
            elif _side(r.text, boundary) == "right":
                rights.append(_Raw(r.text, r.n, right))
            else:
                lefts.append(_Raw(r.text, r.n, left))
        out += lefts + rights
        done = i = end
    return out + raw[done:]


def _side(text: str, boundary: int) -> str | None:
    """Which column a line with words on one side only stands in; None for a blank or a full-width line."""
    if not text.strip():
        return None
    indent = len(text) - len(text.lstrip())
    if indent >= boundary - 4:
        return "right"
    return "left" if len(text.rstrip()) <= boundary + 1 else None


def _gap_near(text: str, boundary: int) -> bool:
    g = COLUMN_GAP.search(text)
    return bool(g) and abs(g.end() - boundary) <= 8 and bool(text[: g.start()].strip())


# ---------------------------------------------------------------- lines


def _lines(raw: list[_Raw], notes: dict[str, str], report: Report) -> list[Line]:
    rows = _split_artefacts(raw, notes)
    lines, blank = [], False
    for r in rows:
        indent = len(r.text.expandtabs(4)) - len(r.text.expandtabs(4).lstrip())
        s = clean(r.text)
        if not s:
            blank = True
            continue
        if len(lines) >= limits.IMPORT_MAX_PARAGRAPHS:
            raise ImportFailed(
                f"Văn bản có hơn {limits.count_text(limits.IMPORT_MAX_PARAGRAPHS)} dòng có chữ, quá giới hạn của lệnh "
                "nhập; một kế hoạch chỉ vài trăm dòng — hãy kiểm tra lại tệp."
            )
        lines.append(
            Line(
                s,
                plain_words(s),
                Loc("dòng", r.n),
                blank_before=blank,
                group=r.group,
                heading=True if r.heading else None,
                heading_level=r.heading,
                indent=indent,
            )
        )
        blank = False
    return lines


def _split_artefacts(raw: list[_Raw], notes: dict[str, str]) -> list[_Raw]:
    """Converter artefacts out of the lines: bookmarks, footnote tags and texts, HTML breaks, Markdown
    headings and table rows, a rule glued to the next line."""
    out: list[_Raw] = []
    groups = iter(range(1 << 30, 1 << 31))
    pending: tuple[str, list[str]] | None = None  # a POI note text running over several lines
    for r in raw:
        text = PANDOC_SPAN.sub(r"\1", BOOKMARK.sub("", r.text))
        text = NOTE_REF.sub(lambda m: f"[^{m.group(1) or m.group(2)}]", text)
        if pending is not None:
            key, parts = pending
            done = text.rstrip().endswith("]")
            parts.append(text.rstrip()[:-1] if done else text)
            if done:
                notes.setdefault(key, _note_markup(clean(" ".join(parts))))
                pending = None
            continue
        if m := POI_NOTE.match(text):
            for key, body, closed in _poi_notes(m.group(1), text[m.end() :].rstrip()):
                if closed:
                    notes.setdefault(key, _note_markup(clean(body)))
                else:
                    pending = (key, [body])
            continue
        if m := MAMMOTH_NOTE.match(text):
            notes.setdefault(m.group(1), _note_markup(clean(m.group(2))))
            continue
        if MD_TABLE_RULE.match(text) and "-" in text:
            continue
        if text.strip().startswith("|") and text.strip().endswith("|") and text.count("|") >= 2:
            cells = [c for c in text.strip()[1:-1].split("|")]
            for c in cells:
                g = next(groups)
                out += [_Raw(part, r.n, g) for part in HTML_BREAK.split(c)]
            continue
        heading = None
        if m := MD_HEADING.match(text):
            heading, text = len(m.group(1)), text[m.end() :]
        if m := RULE_GLUED.match(text):
            out.append(_Raw(m.group(1), r.n, r.group))
            text = text[m.end() :]
        for part in HTML_BREAK.split(text):
            out.append(_Raw(part, r.n, r.group, heading))
    return out


def _poi_notes(first_key: str, rest: str):
    """ "[1: text] [2: text]" on one line → (key, text, closed); a text that goes on to the next lines is not
    closed."""
    key, body = first_key, rest
    while True:
        close = body.find("]")
        if close < 0:
            yield key, body, False
            return
        yield key, body[:close], True
        m = re.match(r"\s*\[(\d+):\s?", body[close + 1 :])
        if not m:
            return
        key, body = m.group(1), body[close + 1 + m.end() :]


def plain_words(raw: str) -> str:
    """The words of a raw line: emphasis that pairs taken off its text, stray marks dropped, escapes undone."""
    text = MD_ESCAPE.sub(r"\1", EMPHASIS.sub(r"\2", raw))
    return clean(STRAY_MARKS.sub("", text))


# ---------------------------------------------------------------- markup of a text paragraph


def markup(raw: str) -> str:
    """Markup of a text paragraph: *emphasis* that pairs and [^n] kept, superscript numbers made footnote
    markers, stray emphasis marks (a converter's bold cut by a line break) dropped, every other "*", "[" and
    "\\" escaped."""
    raw = STRAY_MARKS.sub("", raw) if not EMPHASIS.search(raw) else _drop_unpaired(raw)
    out, pos = [], 0
    for m in EMPHASIS.finditer(raw):
        out.append(_literal(raw[pos : m.start()]))
        out.append(m.group(1) + markup(m.group(2)) + m.group(1))
        pos = m.end()
    out.append(_literal(raw[pos:]))
    return "".join(out)


def _drop_unpaired(raw: str) -> str:
    """Stray marks outside the emphasis that pairs."""
    out, pos = [], 0
    for m in EMPHASIS.finditer(raw):
        out.append(STRAY_MARKS.sub("", raw[pos : m.start()]) + m.group(0))
        pos = m.end()
    out.append(STRAY_MARKS.sub("", raw[pos:]))
    return "".join(out)


def _literal(text: str) -> str:
    parts = FOOTNOTE_MARK.split(text)  # [text, key, text, key, …]
    out = []
    for i, p in enumerate(parts):
        if i % 2:
            out.append(f"[^{p}]")
            continue
        pieces = MD_ESCAPE.split(p)  # [text, escaped char, text, …]
        out.append(
            "".join(
                richtext.escape(q)
                if j % 2
                else SUPERSCRIPT_RUN.sub(lambda m: f"[^{m.group(0).translate(TO_DIGITS)}]", richtext.escape(q))
                for j, q in enumerate(pieces)
            )
        )
    return "".join(out)


def _note_markup(text: str) -> str:
    return clean(markup(text))


# ---------------------------------------------------------------- paragraphs

CAN_CU = re.compile(r"^(?:Căn cứ|Thực hiện|Thi hành)\s")
BULLET_START = re.compile(r"^(?:[-+•–−▪◦●]|\\?\*(?!\*))\s+\S")
PAREN_LABEL = re.compile(r"^\((\d{1,2}|[a-zđ])\)\s")


def _joiner(mode: str):
    def join(part: list[Line]) -> list[Line]:
        out = []
        for p in _join(part, mode):
            text = clean(markup(p.text))
            out.append(replace(p, text=text, plain=clean(richtext.plain(text))))
        return out

    return join


def _mode(lines: list[Line]) -> str:
    """ "visual" (a PDF copy: one printed line per line) or "paragraph" (one paragraph per line, blank lines
    between); "layout" when the copy also indents the first line of each paragraph."""
    lengths = sorted(len(line.plain) for line in lines)
    if not lengths or lengths[int(len(lengths) * 0.9)] > VISUAL_MAX_WIDTH:
        return "paragraph"
    indented = sum(1 for line in lines if line.indent >= LAYOUT_INDENT)
    flush = sum(1 for line in lines if line.indent <= 1)
    return "layout" if indented >= 0.15 * len(lines) and flush >= 0.3 * len(lines) else "visual"


def starts_item(text: str) -> bool:
    """A line that starts a new paragraph wherever it stands: a numbered item, a bullet, a footnote text, a
    căn cứ."""
    return bool(
        parse_label(text)
        or BULLET_START.match(text)
        or (text and text[0] in SUPERSCRIPTS)
        or FOOTNOTE_DEF.match(text)
        or CAN_CU.match(text)
    )


def _join(lines: list[Line], mode: str) -> list[Line]:
    """Paragraphs from lines: a line continues the previous one unless it starts an item, or the previous
    one ended a sentence or stopped short (a heading, the end of a paragraph) and it starts with a capital,
    or a blank line (one paragraph per line) or an indent (a layout copy) says so. "124-" + "QĐ/TW" join
    without a space; "(2)" on a new line goes on an enumeration "(1) …;" the line above started."""
    lengths = sorted(len(line.plain) for line in lines) or [0]
    short = SHORT_LINE * lengths[int(len(lengths) * 0.9)]
    full = FULL_LINE * lengths[int(len(lengths) * 0.9)]
    out: list[Line] = []
    for line in lines:
        prev = out[-1] if out else None
        if prev is None or line.group != prev.group or line.heading or prev.heading:
            out.append(replace(line, width=len(line.plain)))
            continue
        glue = "" if HYPHEN_END.search(prev.plain) or line.plain[0] in ".,;:)!?…" else " "
        if not glue:
            joined = True
        elif starts_item(line.plain):
            joined = _wrapped_item(prev, line, short)
        elif mode == "layout":  # the layout says it: a paragraph's first line is indented
            joined = line.indent < LAYOUT_INDENT and not (capital(line.plain) and prev.width < short)
        else:
            joined = not (
                capital(line.plain)
                and (_closes(prev, full, mode) or prev.width < short or (mode == "paragraph" and line.blank_before))
            )
        if joined:
            out[-1] = replace(
                prev, text=prev.text + glue + line.text, plain=prev.plain + glue + line.plain, width=len(line.plain)
            )
        else:
            out.append(replace(line, width=len(line.plain)))
    return out


def _closes(prev: Line, full: float, mode: str) -> bool:
    """Whether a paragraph may end with this line, before a capital: a căn cứ ends with its ";" (a "," may go on
    into the operative sentence); other text where a sentence ends — but in a line copied line by line, not at
    a ";" (a clause) nor at a line that runs to the margin (the sentence ended there by chance)."""
    text = prev.plain
    if CAN_CU.match(text) and text[-1:] == ";":
        return True
    return ends_sentence(text) and (mode == "paragraph" or (prev.width < full and text[-1:] != ";"))


def _wrapped_item(prev: Line, line: Line, short: float) -> bool:
    """A line that looks like an item but continues the paragraph above, as a copy broke it: the line above
    runs to the margin without ending a sentence, and this is the next number of an enumeration it started
    ("… như sau: (1) …; (2)") or its words go on in lower case ("… tại khoản / 2. điều 5")."""
    if prev.width < max(short, WRAPPED_MIN) or ends_sentence(prev.plain) and not prev.plain.endswith(";"):
        return False
    m = PAREN_LABEL.match(line.plain)
    if m:
        n = m.group(1)
        before = str(int(n) - 1) if n.isdigit() else chr(ord(n) - 1)
        return f"({before})" in prev.plain[1:]
    if ends_sentence(prev.plain):
        return False
    label = parse_label(line.plain)
    return label is not None and lower_start(label.rest)
