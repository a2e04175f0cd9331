"""The official wording held in data, and how far each entry is verified.

Regulation titles (``docgen/rules/*.json``), the review forms (``docgen/forms/*.json``) and the layout's
wording (``docgen/formats/*.json``) carry, for every entry, where the text comes from (``source``) and a
``flag``: ``verified`` (copied from an official text), ``quoted_by_third_party`` (a copy of it by a legal
site or the press), ``not_found`` (no source found: the engine's own text, kept until someone checks it).

    python -m docgen.wording [--chua-kiem-chung]

lists every entry, so that staff holding the original text know what to check and where to correct it.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .paths import FORMATS_DIR, FORMS_DIR, RULES_DIR

FLAGS = {
    "verified": "đã kiểm chứng",
    "quoted_by_third_party": "theo bản trích của bên thứ ba",
    "not_found": "chưa tìm được văn bản gốc",
}


@dataclass(frozen=True)
class Entry:
    file: str  # path relative to the package, e.g. "rules/qd366_2025.json"
    key: str  # where in the file, e.g. "wording.01_v"
    flag: str
    source: str
    text: str


@lru_cache(maxsize=None)
def form_wording(file: str) -> dict:
    """The ``wording`` entries of a form file in ``docgen/forms/`` (e.g. "ket_qua_chien_dich.json")."""
    return json.loads((FORMS_DIR / file).read_text(encoding="utf-8"))["wording"]


def data_files() -> list[Path]:
    return sorted(RULES_DIR.glob("*.json")) + sorted(FORMS_DIR.glob("*.json")) + sorted(FORMATS_DIR.glob("*.json"))


def entries() -> list[Entry]:
    """Every object carrying a ``flag`` in the data files, with its text (or its parts, for entries made of
    several: the particulars lines, the points lines)."""
    out = []
    root = FORMATS_DIR.parent  # the package folder
    for path in data_files():
        for key, node, parent in _walk(json.loads(path.read_text(encoding="utf-8"))):
            text = _text(node, parent)
            out.append(Entry(str(path.relative_to(root)), key, node.get("flag", ""), node.get("source", ""), text))
    return out


def _walk(node, key: str = "", parent=None):
    if isinstance(node, dict):
        if "flag" in node:
            yield key, node, parent
        for k, v in node.items():
            yield from _walk(v, f"{key}.{k}" if key else k, node)


def _text(node: dict, parent: dict | None) -> str:
    if "text" in node:
        return node["text"]
    if parent and {"kind", "number", "date", "issuer"} <= set(parent):  # a cited text's number, date, issuer
        return f"{parent['kind']} {parent['number']} ngày {parent['date']} của {parent['issuer']}"
    if "lines" in node:
        return " / ".join(line["nhan"] for line in node["lines"])
    strings = [v for k, v in node.items() if isinstance(v, str) and k not in ("flag", "source", "note")]
    strings += [v for d in node.values() if isinstance(d, dict) for v in d.values() if isinstance(v, str)]
    if strings:
        return " / ".join(strings)
    rest = {k: v for k, v in node.items() if k not in ("flag", "source", "note")}  # a rule's numbers
    return json.dumps(rest, ensure_ascii=False, separators=(", ", ": "))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(
        prog="python -m docgen.wording", description="Liệt kê câu chữ chính thức và mức kiểm chứng."
    )
    ap.add_argument("--chua-kiem-chung", action="store_true", help="chỉ liệt kê các mục chưa kiểm chứng (not_found)")
    args = ap.parse_args(argv)
    found = [e for e in entries() if not args.chua_kiem_chung or e.flag == "not_found"]
    for e in found:
        print(f"{e.file}\t{e.key}\t{e.flag} ({FLAGS.get(e.flag, '?')})\t{e.text}")
    counts = {flag: sum(1 for e in found if e.flag == flag) for flag in FLAGS}
    print("Tổng: " + ", ".join(f"{n} {FLAGS[f]}" for f, n in counts.items()), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
