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

    i, n = 0, len(source)
    while i < n:
        c = source[i]
        if c == "\\" and i + 1 < n and source[i + 1] in "*[\\":
            buf.append(source[i + 1])
            i += 2
            continue
        if c == "*":
            j = i
            while j < n and source[j] == "*":
                j += 1
            stars = j - i
            if stars > 3:
                problems.append(
                    (
                        "markup_stars",
                        f"Có {stars} dấu * liền nhau; dùng *nghiêng*, **đậm**, "
                        "***đậm nghiêng*** hoặc \\* cho dấu sao thường.",
                    )
                )
                buf.append("*" * stars)
            else:
                flush()
                if stars in (1, 3):
                    italic = not italic
                if stars in (2, 3):
                    bold = not bold
            i = j
            continue
        if c == "[":
            m = _REF.match(source, i)
            if m:
                flush()
                if m.group(1) == "^":
                    tokens.append(FootnoteRef(m.group(2)))
                else:
                    tokens.append(CrossRef(m.group(2), bold, italic))
                i = m.end()
                continue
        buf.append(c)
        i += 1
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


def escape(text: str) -> str:
    """Literal text to place inside markup: stars, brackets and backslashes lose their meaning."""
    return text.replace("\\", "\\\\").replace("*", "\\*").replace("[", "\\[")
