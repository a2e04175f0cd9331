"""Inline markup of text fields: emphasis, footnote markers and cross-references.

Markup (documented in the schema's ``van_ban_dinh_dang``):
    *nghiêng*   **đậm**   ***đậm nghiêng***
    [^ma]       a footnote whose text is ``chu_thich.ma``
    [#ma]       the computed number of the outline item whose ``ma`` is ``ma``
    \\*  \\[  \\\\   literal characters

:func:`parse` turns a string into a list of tokens; problems (an unclosed emphasis, a
stray marker) are returned, not raised, so that all of them can be reported at once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Text:
    text: str
    bold: bool = False
    italic: bool = False


@dataclass(frozen=True)
class FootnoteRef:
    key: str


@dataclass(frozen=True)
class CrossRef:
    key: str
    bold: bool = False
    italic: bool = False


Token = Text | FootnoteRef | CrossRef

_REF = re.compile(r"\[([\^#])([A-Za-z0-9_]+)\]")


# The markup's special tokens; everything between them is literal text.
_TOKEN = re.compile(r"\\[*\[\\]|\*+|\[([\^#])([A-Za-z0-9_]+)\]")


def parse(source: str) -> tuple[list[Token], list[tuple[str, str]]]:
    """Return ``(tokens, problems)``; each problem is ``(code, Vietnamese message)``."""
    tokens: list[Token] = []
    problems: list[tuple[str, str]] = []
    bold = italic = False
    buf: list[str] = []

    def flush():
        if buf:
            tokens.append(Text("".join(buf), bold, italic))
            buf.clear()

    pos = 0
    for m in _TOKEN.finditer(source):
        buf.append(source[pos : m.start()])
        pos = m.end()
        token = m.group(0)
        if token[0] == "\\":  # an escaped character
            buf.append(token[1])
        elif token[0] == "*":
            stars = len(token)
            if stars > 3:
                problems.append(
                    (
                        "markup_stars",
                        f"Có {stars} dấu * liền nhau; dùng *nghiêng*, **đậm**, "
                        "***đậm nghiêng*** hoặc \\* cho dấu sao thường.",
                    )
                )
                buf.append(token)
                continue
            flush()
            if stars in (1, 3):
                italic = not italic
            if stars in (2, 3):
                bold = not bold
        else:
            flush()
            kind, key = m.group(1), m.group(2)
            tokens.append(FootnoteRef(key) if kind == "^" else CrossRef(key, bold, italic))
    buf.append(source[pos:])
    buf[:] = [b for b in buf if b]
    flush()
    if italic:
        problems.append(("markup_unclosed", "Dấu * mở in nghiêng chưa được đóng (viết \\* nếu là dấu sao thường)."))
    if bold:
        problems.append(("markup_unclosed", "Dấu ** mở in đậm chưa được đóng."))
    return tokens, problems


def plain(source: str) -> str:
    """The text without markup, footnote markers and cross-reference markers."""
    tokens, _ = parse(source)
    return "".join(t.text for t in tokens if isinstance(t, Text))


# What converters (Word → Markdown, → text) leave in copied text and no plan prints on purpose: stars,
# bookmark and footnote tags, HTML line breaks, backslashes, table pipes, heading hashes, underscores.
_LITERAL_MARKUP = re.compile(
    r"\*+|\[(?:bookmark|footnoteRef|endnoteRef|\^)[^\]]*\]?|<br\s*/?>|\\|\||^#{1,6}\s|_{2,}|`", re.IGNORECASE
)


def literal_markup(text: str) -> str | None:
    """The first converter artefact in printed text (markup already taken out), or None."""
    m = _LITERAL_MARKUP.search(text)
    return m.group(0) if m else None


def escape(text: str) -> str:
    """Literal text to place inside markup: stars, brackets and backslashes lose their meaning."""
    return text.replace("\\", "\\\\").replace("*", "\\*").replace("[", "\\[")
