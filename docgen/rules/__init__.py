"""Rule sets of the rating regulations, as data (``<id>.json`` here) selected by name.

A rule set holds the regulation and guidance it comes from (number, date, issuer and title, each
title with its source and a flag: verified / quoted_by_third_party / not_found), the points bands, the
excellence cap, who is not reviewed and who is not rated, the conditions of each level, the discipline
rule, the sick-leave cap, the organisation thresholds and the form numbers. Every number the rules use
is here, not in code. The rules themselves are the small pure functions of :mod:`docgen.rules.checks`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache

from ..paths import RULES_DIR

DEFAULT_RULE_SET = "qd366_2025"

# The four levels, best first. Documents spell them out; data and tables may use the codes.
LEVELS = ("HTXSNV", "HTTNV", "HTNV", "KHTNV")
LEVEL_NAMES = {
    "HTXSNV": "Hoàn thành xuất sắc nhiệm vụ",
    "HTTNV": "Hoàn thành tốt nhiệm vụ",
    "HTNV": "Hoàn thành nhiệm vụ",
    "KHTNV": "Không hoàn thành nhiệm vụ",
}


def rank(level: str) -> int:
    """0 for the best level (HTXSNV) … 3 for KHTNV."""
    return LEVELS.index(level)


def better(a: str, b: str) -> bool:
    """Is level ``a`` better than level ``b``?"""
    return rank(a) < rank(b)


def quoted(level: str) -> str:
    return f"“{LEVEL_NAMES[level]}”"


@dataclass(frozen=True)
class RuleSet:
    id: str
    data: dict

    def __reduce__(self):
        # sent between processes by its name (a batch's summaries come from its workers): one copy of the
        # rules per process, not one per document
        return load, (self.id,)

    def __getattr__(self, name):
        try:
            return self.data[name]
        except KeyError:
            raise AttributeError(name) from None


def names() -> list[str]:
    return sorted(p.stem for p in RULES_DIR.glob("*.json"))


def by_date() -> list[RuleSet]:
    """Every rule set, the newest regulation first (the order choices offer them in)."""
    return sorted((load(n) for n in names()), key=lambda r: r.regulation["date"], reverse=True)


@lru_cache(maxsize=None)
def load(name: str = DEFAULT_RULE_SET) -> RuleSet:
    path = RULES_DIR / f"{name}.json"
    if not path.is_file():
        raise KeyError(f"Không có bộ quy tắc “{name}”. Có: {', '.join(names())}.")
    return RuleSet(name, json.loads(path.read_text(encoding="utf-8")))
