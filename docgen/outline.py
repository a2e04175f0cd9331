"""Outline numbering: numbering schemes ("I." / "1." / "1.1." / "a)" …) and computed labels.

Numbers are never typed in the data; the nesting of items decides them. A scheme is a list of
level labels written as examples, one per level, e.g. ``["I.", "1.", "1.1.", "a)"]`` (default) or
``["I.", "A.", "1.", "1.1.", "a."]``. Each example gives the counter style (Roman, upper or lower
letter, Arabic), how many trailing levels a compound Arabic number joins ("1.1." joins two), the
suffix (".", ")", "-", " -", ":", "/", or none after a compound number: "1.1") and a prefix: "(" for
"(1)", or a word for "Bước 1:" and "Điều 1." — the styles real plans are numbered in. Articles ("Điều")
run through the whole document; every other level starts again under each item above it.

An item sits one level below its parent, or further down when it names its level (``cap``): a plan
numbered I. → A. → 1. may put its "1." items straight under "I." in one part and under "A." in
another. Compound numbers join the counters of the item's own ancestors.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

DEFAULT_SCHEME = ("I.", "1.", "1.1.", "a)")
DEFAULT_BULLETS = ("-", "+")

# Letters used for lettered items in Vietnamese documents (no f, j, w, z; đ after d).
VN_LETTERS = "abcdđeghiklmnopqrstuvxy"

# Words a label may start with ("Bước 1:", "Điều 1.").
LABEL_WORDS = ("Bước", "Điều", "Phần", "Mục", "Chương", "BƯỚC", "ĐIỀU", "PHẦN", "MỤC", "CHƯƠNG")
_LABEL = re.compile(
    r"^(?:(?P<paren>\()|(?P<word>(?:" + "|".join(LABEL_WORDS) + r") ))?"
    r"(?P<counter>I|A|a|1(?:\.1)*)(?P<suffix>[.):/]| ?-|)$"
)


@dataclass(frozen=True)
class Level:
    style: str  # roman | upper | lower | arabic
    depth: int  # how many trailing level counters an Arabic label joins ("1.1." → 2)
    suffix: str
    prefix: str = ""  # "(" of "(1)", "Bước " of "Bước 1:"

    @property
    def continuous(self) -> bool:
        """Articles ("Điều 1.") are numbered through the whole document, across its parts and chapters."""
        return self.prefix in ("Điều ", "ĐIỀU ")

    @property
    def heading_element(self) -> str:
        """The profile element (paragraph style) of a heading at this level."""
        if self.style in ("roman", "upper"):
            return "muc_1"
        if self.style == "lower":
            return "muc_4"
        return "muc_2" if self.depth == 1 else "muc_3"


def parse_level(example: str) -> Level | None:
    m = _LABEL.match(example)
    if not m:
        return None
    counter, suffix = m.group("counter"), m.group("suffix")
    if m.group("paren") and suffix != ")":
        return None  # "(" needs its ")"
    if not suffix and ("." not in counter or m.group("paren") or m.group("word")):
        return None  # only a compound number stands without a suffix ("1.1 Mục")
    style = {"I": "roman", "A": "upper", "a": "lower"}.get(counter, "arabic")
    depth = counter.count("1") if style == "arabic" else 1
    return Level(style, depth, suffix, m.group("paren") or m.group("word") or "")


def parse_scheme(examples) -> tuple[list[Level], list[tuple[int, str, str]]]:
    """Levels of a scheme, and problems as ``(index, code, message)``."""
    levels, problems = [], []
    for i, ex in enumerate(examples):
        level = parse_level(ex)
        if level is None:
            problems.append((i, "numbering_scheme", f"Kiểu đánh số “{ex}” không được hỗ trợ."))
            continue
        if level.depth > i + 1:
            problems.append(
                (i, "numbering_scheme", f"Kiểu “{ex}” ghép {level.depth} cấp nhưng chỉ có {i + 1} cấp đến đây.")
            )
        levels.append(level)
    return levels, problems


def roman(n: int) -> str:
    out = ""
    for value, letters in (
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ):
        while n >= value:
            out += letters
            n -= value
    return out


def letter(n: int) -> str:
    """1 → a, 5 → đ, 23 → y, then aa, ab … (rare, but never an error)."""
    k = len(VN_LETTERS)
    s = ""
    while n > 0:
        n, r = divmod(n - 1, k)
        s = VN_LETTERS[r] + s
    return s


def number_text(level: Level, counters: list[int]) -> str:
    """The number without its suffix, as used in cross-references: "3.2.1", "II", "b"."""
    n = counters[-1]
    if level.style == "roman":
        return roman(n)
    if level.style == "upper":
        return letter(n).upper()
    if level.style == "lower":
        return letter(n)
    return ".".join(str(c) for c in counters[-level.depth :])


def label(level: Level, counters: list[int]) -> str:
    """The label printed before an item: "II.", "3.2.1.", "b)", "(2)", "Bước 2:"."""
    return level.prefix + number_text(level, counters) + level.suffix


_TYPED = re.compile(r"^\s*(?:(?:[IVXLC]+|[A-ZĐ]|[a-zđ]|\d{1,3}(?:\.\d{1,3})*)[.)\-]|[-+•–])\s")


def typed_number(text: str) -> str | None:
    """The number or bullet typed at the start of a text, if any ("1.1.", "a)", "-")."""
    m = _TYPED.match(text)
    return m.group(0).strip() if m else None
