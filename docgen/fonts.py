"""The font documents are printed in, as data: which fonts may stand in for it, and how wide its letters are.

The format profile names the font (Times New Roman). ``formats/fonts/<font>.json`` holds its metric twins
(fonts drawn with the same advance widths, e.g. Liberation Serif), the Debian package of a twin that has
every Vietnamese letter, and the advance widths of the characters documents use, in the four styles.
The widths let the engine fit lines without a layout engine: the place-and-date line, the columns of a
table, a hanging indent. They are read from Liberation Serif 2 (whose metrics equal Times New Roman's) by
``python -m docgen.fonts FONT_DIR`` (needs fontTools, a test dependency), and a test checks them against
the installed font.

At PDF time, :func:`fontconfig_problem` asks fontconfig — which LibreOffice uses to pick fonts on Linux —
what "Times New Roman" will be drawn with, and whether that font has every Vietnamese letter;
:func:`pdf_font_problem` reads the fonts a produced PDF embeds.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .paths import FONTS_DIR

STYLES = ("regular", "bold", "italic", "bold_italic")

# Every letter the documents' Vietnamese uses: the 12 vowels with the 5 tone marks (and none), and đ;
# upper and lower case.
_VOWELS = "aăâeêioôơuưy"
_TONES = ("", "\u0300", "\u0309", "\u0303", "\u0301", "\u0323")  # huyền, hỏi, ngã, sắc, nặng
VIETNAMESE_LETTERS = "".join(
    sorted(
        {unicodedata.normalize("NFC", v + t) for v in _VOWELS for t in _TONES}
        | {unicodedata.normalize("NFC", v.upper() + t) for v in _VOWELS for t in _TONES}
        | {"đ", "Đ"}
    )
)
# Characters the width table holds: the Latin ranges Vietnamese text and its punctuation come from.
TABLE_RANGES = ((0x20, 0x7E), (0xA0, 0x1B0), (0x1EA0, 0x1EF9), (0x2010, 0x2027), (0x2030, 0x203A))


def slug(font: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", font.lower()).strip("_")


def family_key(name: str) -> str:
    """A PDF or fontconfig font name reduced for comparison: 'ABCDEF+LiberationSerif-Bold' → 'liberationserif…'."""
    return re.sub(r"[^a-z]", "", name.split("+", 1)[-1].lower())


@dataclass(frozen=True)
class Font:
    family: str
    twins: tuple[str, ...]  # metric-compatible families, the font itself first
    debian_package: str
    units_per_em: int
    widths: dict  # style → {character: advance in font units}

    def width_pt(self, text: str, size: float, bold: bool = False, italic: bool = False) -> float:
        """The advance width of ``text`` set in ``size`` points; an unknown character counts one em (too wide
        rather than too narrow: a line measured too long is given room, never cut)."""
        table = self.widths[_style(bold, italic)]
        em = self.units_per_em
        return sum(table.get(c, em) for c in unicodedata.normalize("NFC", text)) * size / em

    def measurer(self, size: float, bold: bool = False, italic: bool = False):
        """``measure(text) → mm`` in one size and style (NFC text, as the pipeline makes every string)."""
        table, scale, em = self.widths[_style(bold, italic)], size * 25.4 / 72 / self.units_per_em, self.units_per_em
        return lambda text: sum(table.get(c, em) for c in text) * scale

    def is_twin(self, name: str) -> bool:
        key = family_key(name)
        return any(key.startswith(family_key(t)) for t in self.twins)

    def twin_of(self, name: str) -> str | None:
        key = family_key(name)
        return next((t for t in self.twins if key.startswith(family_key(t))), None)


def _style(bold: bool, italic: bool) -> str:
    return STYLES[(1 if bold else 0) + (2 if italic else 0)]


@lru_cache(maxsize=None)
def load(font: str) -> Font:
    path = FONTS_DIR / f"{slug(font)}.json"
    if not path.is_file():
        raise KeyError(f"Không có dữ liệu phông chữ “{font}” ({path.name}).")
    data = json.loads(path.read_text(encoding="utf-8"))
    chars = [chr(c) for a, b in data["ranges"] for c in range(a, b + 1)]
    widths = {}
    for style in STYLES:
        values = data["widths"][style]
        widths[style] = {c: w for c, w in zip(chars, values) if w is not None}
    return Font(data["family"], tuple(data["twins"]), data["debian_package"], data["units_per_em"], widths)


# ---------------------------------------------------------------- what LibreOffice will draw with


def install_advice(font: Font) -> str:
    return (
        f"Trên Debian/Ubuntu, cài phông {font.twins[1]} bản 2 (đủ chữ tiếng Việt, cùng cỡ chữ với {font.family}): "
        f"sudo apt-get install -y {font.debian_package}. Trên Windows và macOS, phông {font.family} có sẵn cùng "
        f"hệ điều hành; nếu đã bị gỡ, hãy cài lại phông {font.family}."
    )


def fontconfig_problem(font: Font) -> str | None:
    """Why LibreOffice on this machine cannot draw ``font`` (regular, bold, italic, bold italic) with every
    Vietnamese letter, in Vietnamese — or None when it can. Without fontconfig (Windows, macOS), None:
    LibreOffice there uses the system's own Times New Roman, and the produced PDF is checked anyway."""
    exe = shutil.which("fc-match")
    if exe is None:
        return None
    needed = {ord(c) for c in VIETNAMESE_LETTERS}
    for style in ("", ":weight=bold", ":slant=italic", ":weight=bold:slant=italic"):
        try:
            out = subprocess.run(
                [exe, "--format=%{family[0]}\t%{charset}", f"{font.family}{style}"],
                capture_output=True,
                text=True,
                timeout=30,
                check=True,
            ).stdout
        except (OSError, subprocess.SubprocessError):
            return None  # fontconfig could not answer: the PDF check after conversion still guards
        family, _, charset = out.partition("\t")
        if not font.is_twin(family):
            return (
                f"LibreOffice sẽ in chữ “{font.family}” bằng phông “{family}”, không phải {font.family} hay phông "
                f"cùng cỡ chữ với nó ({', '.join(font.twins[1:])}), nên trang in sẽ khác bản Word."
            )
        missing = needed - _charset(charset)
        if missing:
            sample = " ".join(sorted((chr(c) for c in missing), key=_telling)[:12])
            return (
                f"Phông “{family}” mà LibreOffice dùng thay cho {font.family} thiếu {len(missing)} chữ tiếng Việt "
                f"(ví dụ: {sample}); những chữ đó sẽ bị in bằng phông khác, làm chữ trong PDF lệch và bị cắt "
                f"khi tìm kiếm, sao chép. (Bản fonts-liberation 1.x không có chữ tiếng Việt.)"
            )
    return None


def missing_characters(text: str, font: Font) -> list[str]:
    """The characters of ``text`` that the font LibreOffice draws ``font`` with lacks (fontconfig's charset of
    its regular style); [] when fontconfig cannot say."""
    exe = shutil.which("fc-match")
    if exe is None:
        return []
    try:
        charset = subprocess.run(
            [exe, "--format=%{charset}", font.family], capture_output=True, text=True, timeout=30, check=True
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    have = _charset(charset)
    return sorted({c for c in text if not c.isspace() and ord(c) not in have})


def _telling(c: str) -> tuple:
    """Sort key putting first the letters only Vietnamese has (ư ơ ă đ, then ạ … ỹ): the best examples."""
    return (c not in "ưƯơƠăĂđĐ", not "\u1ea0" <= c <= "\u1ef9", c.isascii(), c)


def _charset(text: str) -> set[int]:
    """fontconfig's charset ('20-7e a0-36f 1ea0-1ef9 …') as a set of code points."""
    out: set[int] = set()
    for part in text.split():
        a, _, b = part.partition("-")
        out.update(range(int(a, 16), int(b or a, 16) + 1))
    return out


# ---------------------------------------------------------------- what a PDF is drawn with


def pdf_fonts(reader) -> set[str]:
    """The names of the fonts a PDF's pages use (page resources and the forms they draw), subset tags removed."""
    names: set[str] = set()
    seen: set[int] = set()

    def visit(resources) -> None:
        if resources is None:
            return
        resources = resources.get_object()
        if id(resources) in seen:
            return
        seen.add(id(resources))
        fonts = resources.get("/Font")
        for ref in fonts.get_object().values() if fonts is not None else ():
            base = ref.get_object().get("/BaseFont")
            if base is not None:
                names.add(str(base).lstrip("/").split("+", 1)[-1])
        xobjects = resources.get("/XObject")
        for ref in xobjects.get_object().values() if xobjects is not None else ():
            obj = ref.get_object()
            if obj.get("/Subtype") == "/Form":
                visit(obj.get("/Resources"))

    for page in reader.pages:
        visit(page.get("/Resources"))
    return names


def pdf_font_problem(reader, font: Font) -> str | None:
    """Why a PDF is not drawn in one family — ``font`` or one of its twins — in Vietnamese, or None."""
    names = pdf_fonts(reader)
    families = {font.twin_of(n) for n in names}
    others = sorted(n for n in names if font.twin_of(n) is None)
    if others:
        return f"một số chữ được in bằng phông khác ({', '.join(others)}), không phải {font.family}"
    if len(families) > 1:
        return f"tệp PDF dùng lẫn nhiều phông ({', '.join(sorted(names))})"
    return None


# ---------------------------------------------------------------- building the width table


def build_table(font_dir: Path, font: str = "Times New Roman") -> dict:
    """The data file of ``font`` from the installed Liberation Serif TTFs in ``font_dir`` (fontTools)."""
    from fontTools.ttLib import TTFont

    files = {s: f"LiberationSerif-{n}.ttf" for s, n in zip(STYLES, ("Regular", "Bold", "Italic", "BoldItalic"))}
    widths, upm, version = {}, None, None
    for style, name in files.items():
        tt = TTFont(str(Path(font_dir) / name))
        upm = tt["head"].unitsPerEm
        version = tt["name"].getDebugName(5)
        cmap, hmtx = tt.getBestCmap(), tt["hmtx"]
        widths[style] = [hmtx[cmap[c]][0] if c in cmap else None for a, b in TABLE_RANGES for c in range(a, b + 1)]
    return {
        "family": font,
        "note": f"Advance widths from Liberation Serif ({version}), metric-compatible with {font}; "
        "regenerate with python -m docgen.fonts FONT_DIR.",
        "twins": [font, "Liberation Serif", "Tinos", "TeX Gyre Termes", "Nimbus Roman"],
        "debian_package": "fonts-liberation2",
        "units_per_em": upm,
        "ranges": [list(r) for r in TABLE_RANGES],
        "widths": widths,
    }


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    font_dir = Path(argv[0] if argv else "/usr/share/fonts/truetype/liberation2")
    data = build_table(font_dir)
    out = FONTS_DIR / f"{slug(data['family'])}.json"
    lines = [f'  "{k}": {json.dumps(v, ensure_ascii=False)}' for k, v in data.items() if k != "widths"]
    lines.append(
        '  "widths": {\n' + ",\n".join(f'    "{s}": {json.dumps(w)}' for s, w in data["widths"].items()) + "\n  }"
    )
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("{\n" + ",\n".join(lines) + "\n}\n", encoding="utf-8")
    print(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
