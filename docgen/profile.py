"""Format profiles (thể thức): the party format's numbers as data, e.g. ``formats/hd36_2018.json``.

The template builder turns a profile into Word styles; tests read the same file to check
the produced documents, so no size or margin is typed twice.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache

from . import fonts, ooxml
from .outline import DEFAULT_SCHEME
from .paths import FORMATS_DIR

DEFAULT_PROFILE = "hd36_2018"

_PARA_KEYS = (
    "align",
    "first_line_mm",
    "space_before_pt",
    "space_after_pt",
    "line_spacing",
    "keep_next",
    "keep_lines",
    "widow_control",
    "outline_level",
    "page_break_before",
    "left_mm",
)
_RUN_KEYS = ("bold", "italic", "underline", "size")


def style_id(element: str) -> str:
    """Word style id of a profile element: ``muc_1`` → ``DGMuc1``."""
    return "DG" + "".join(part.capitalize() for part in element.split("_"))


@dataclass(frozen=True)
class Profile:
    id: str
    data: dict = field(hash=False, compare=False)  # one profile per id (load_profile caches them)

    @property
    def font(self) -> str:
        return self.data["font"]

    @property
    def page(self) -> dict:
        return self.data["page"]

    @property
    def metrics(self) -> fonts.Font:
        """The print font's widths and twins (``formats/fonts/<font>.json``)."""
        return fonts.load(self.font)

    def measure_mm(self, element: str, text: str) -> float:
        """How wide ``text`` is on one line in the element's size, weight and slant."""
        return self.measurer(element)(text)

    def measurer(self, element: str):
        """``measure(text) → mm`` for the element (its size, weight and slant looked up once)."""
        return _measurer(self, element)

    def element(self, name: str) -> dict:
        """An element's effective values: its own over those of the element it is based on."""
        el = self.data["elements"][name]
        merged = self.element(el["based_on"]) if "based_on" in el else {}
        merged = {k: v for k, v in merged.items() if k not in ("text", "label", "outline_level")}
        merged.update({k: v for k, v in el.items() if k != "based_on"})
        return merged

    def elements(self) -> list[str]:
        return list(self.data["elements"])

    def text(self, name: str) -> str:
        return self.data["elements"][name]["text"]

    def wording(self, name: str) -> str:
        """The text of a wording entry of the layout (``wording.<name>.text``), e.g. the decider line's
        pattern "{co_quan_quyet_dinh} QUYẾT ĐỊNH"."""
        return self.data["wording"][name]["text"]

    def can_cu_style(self, kind: str) -> dict:
        """How a kind's căn cứ lines are written: ``prefix`` ("- " or ""), ``end`` (";") and ``last_end`` (",")."""
        return self.data["can_cu"][kind]

    def default_scheme(self, kind: str) -> tuple[str, ...]:
        """The numbering a kind's body takes when the data names none (``danh_so.<kind>.levels``); the
        outline engine's default (I., 1., 1.1., a)) for a kind the profile does not name."""
        entry = self.data.get("danh_so", {}).get(kind)
        return tuple(entry["levels"]) if entry else DEFAULT_SCHEME

    def para_format(self, name: str) -> ooxml.ParaFormat:
        el = self.data["elements"][name]
        leader = self.body_text_width_twips() if el.get("dot_leader") else None
        # "hanging_after": the text wrapped lines align with, e.g. after the "- " of a recipient line
        hang = ooxml.mm_to_twips(self.measure_mm(name, el["hanging_after"])) if "hanging_after" in el else None
        return ooxml.ParaFormat(
            **{k: el[k] for k in _PARA_KEYS if k in el}, dot_leader_twips=leader, hanging_twips=hang
        )

    def run_format(self, name: str) -> ooxml.RunFormat:
        el = self.data["elements"][name]
        return ooxml.RunFormat(**{k: el[k] for k in _RUN_KEYS if k in el})

    def style_specs(self) -> list[ooxml.StyleSpec]:
        specs = []
        for name, el in self.data["elements"].items():
            base = el.get("based_on")
            specs.append(
                ooxml.StyleSpec(
                    style_id=style_id(name),
                    name=f"DG {el['label']}",
                    based_on=style_id(base) if base else "Normal",
                    para=self.para_format(name),
                    run=self.run_format(name),
                )
            )
        fn = self.data["elements"]["chu_thich"]
        specs.append(
            ooxml.StyleSpec(
                ooxml.STYLE_FOOTNOTE_TEXT,
                "footnote text",
                based_on="Normal",
                builtin=True,
                para=ooxml.ParaFormat(align=fn.get("align")),
                run=ooxml.RunFormat(size=fn["size"]),
            )
        )
        specs.append(
            ooxml.StyleSpec(
                ooxml.STYLE_FOOTNOTE_REF,
                "footnote reference",
                kind="character",
                based_on="DefaultParagraphFont",
                builtin=True,
                vert_align="superscript",
            )
        )
        pn = self.data["page_number"]
        specs.append(
            ooxml.StyleSpec(
                "Header",
                "header",
                based_on="Normal",
                builtin=True,
                para=ooxml.ParaFormat(align=pn["align"]),
                run=ooxml.RunFormat(size=pn["size"]),
            )
        )
        return specs

    def body_text_width_twips(self) -> int:
        p = self.page
        return ooxml.mm_to_twips(p["width_mm"] - p["margin_left_mm"] - p["margin_right_mm"])

    def split_widths(self, table: str) -> list[int]:
        spec = self.data[table]
        total = ooxml.mm_to_twips(spec["width_mm"]) if "width_mm" in spec else self.body_text_width_twips()
        left = round(total * spec["left_pct"] / 100)
        return [left, total - left]


@lru_cache(maxsize=None)
def _measurer(profile: Profile, element: str):
    el = profile.element(element)
    return profile.metrics.measurer(el["size"], bool(el.get("bold")), bool(el.get("italic")))


@lru_cache(maxsize=None)
def load_profile(name: str = DEFAULT_PROFILE) -> Profile:
    path = FORMATS_DIR / f"{name}.json"
    if not path.is_file():
        known = sorted(p.stem for p in FORMATS_DIR.glob("*.json"))
        raise KeyError(f"Không có bộ thể thức “{name}”. Có: {', '.join(known)}.")
    return Profile(name, json.loads(path.read_text(encoding="utf-8")))
