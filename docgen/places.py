"""A JSON path named as a person knows the place: "Đảng viên thứ 2 (Nguyễn Văn A), mục Quyết định".

The JSON path (``$.ket_qua.dang_vien[1].quyet_dinh``) is for programs: it counts from 0 and speaks in keys.
A person reads the field's Vietnamese label, list items counted from 1, and the item's name when it has one.
:data:`LABELS` is the one table of those labels (a key means one thing in every schema: DOMAIN.md's
glossary); a test checks that every property of every schema has one. A workbook's places are its cells
(:class:`~docgen.errors.Cell`), named by the workbook's own headers, not by this table.
"""

from __future__ import annotations

import json
import re

from .errors import Place
from .paths import FORMS_DIR

# key → label of the field; for a list, the label of one of its items ("Đảng viên thứ 2"). Data, so that a
# label is corrected in one place, beside the other wording of the forms.
LABELS: dict[str, str] = json.loads((FORMS_DIR / "nhan_truong.json").read_text(encoding="utf-8"))["labels"]

# An item of a list is named by the first of these it has ("Đảng viên thứ 2 (Nguyễn Văn A)").
_NAME_KEYS = ("ho_ten", "ten", "tieu_de")
_STEP = re.compile(r'\.([^.\[]+)|\[(\d+)\]|\["((?:[^"\\]|\\.)*)"\]')


class JsonPlace(Place):
    """A place in a JSON document, in a person's words; ``path`` keeps the JSON path for programs."""

    def __new__(cls, text: str, path: str):
        self = super().__new__(cls, text)
        self.path = path
        return self

    def __reduce__(self):
        return (JsonPlace, (str(self), self.path))


def label(key: str) -> str:
    """The field's Vietnamese label; a key no schema declares (a misspelt one) is shown as it was typed."""
    return LABELS.get(key, f"“{key}”")


def steps(path: str) -> list[str | int]:
    """``$.a[2]["x y"]`` → ``["a", 2, "x y"]``."""
    out: list[str | int] = []
    for name, index, quoted in _STEP.findall(path[1:] if path.startswith("$") else path):
        out.append(int(index) if index else (name or quoted.replace('\\"', '"')))
    return out


def json_place(path: str, data=None, message: str = "") -> JsonPlace | str:
    """The place of ``path`` in a person's words ("" for the whole document): each list item by its label,
    its number counted from 1 and its name when ``data`` has one (and ``message`` does not already say it,
    as a rule's "Đảng viên Nguyễn Văn A: …" does); the fields after the last item as
    "mục A › B". Containers before a list item are left out: the item names the place well enough."""
    parts, fields, node = [], [], data
    keys = steps(path)
    for i, step in enumerate(keys):
        if isinstance(step, int):
            owner = keys[i - 1] if i and isinstance(keys[i - 1], str) else ""
            node = node[step] if isinstance(node, list) and step < len(node) else None
            name = next((node[k] for k in _NAME_KEYS if isinstance(node, dict) and isinstance(node.get(k), str)), "")
            item = f"{LABELS.get(owner, 'Phần tử') if owner else 'Phần tử'} thứ {step + 1}"
            name = name.strip()
            parts.append(f"{item} ({name})" if name and name not in message else item)
            fields = []
        else:
            node = node.get(step) if isinstance(node, dict) else None
            fields.append(label(step))
    if fields and isinstance(node, list):  # said of a whole list (a count, a ratio): the list, as for its items
        fields = []
        parts.append(f"danh sách {label(keys[-1])[0].lower()}{label(keys[-1])[1:]}")
    if fields:
        parts.append("mục " + " › ".join(fields))
    if len(parts) > 4:  # data nested deeper than any document: where it starts and where it ends
        parts = [*parts[:2], "…", *parts[-2:]]
    text = ", ".join(parts)
    return JsonPlace(text[0].upper() + text[1:], path) if parts else ""


def name_places(problems, data) -> list:
    """The problems, each without a place given the place of its JSON path in ``data``, its list items named.
    A rule's message that begins by naming the item ("Đảng viên Nguyễn Văn A: …") leaves the naming to the
    place: "Đảng viên thứ 2 (Nguyễn Văn A), mục Điểm: …"."""
    import dataclasses

    out = []
    for p in problems:
        if p.where or not p.path:
            out.append(p)
            continue
        message, name = p.message, _last_name(p.path, data)
        if name and (cut := message.find(f" {name}: ")) != -1 and ":" not in message[:cut]:
            message = message[cut + len(name) + 3 :]
        out.append(dataclasses.replace(p, message=message, where=json_place(p.path, data, message)))
    return out


def _last_name(path: str, data) -> str:
    """The name of the last list item on ``path`` in ``data``, or ""."""
    name, node = "", data
    for step in steps(path):
        if isinstance(step, int):
            node = node[step] if isinstance(node, list) and step < len(node) else None
            name = next((node[k] for k in _NAME_KEYS if isinstance(node, dict) and isinstance(node.get(k), str)), "")
        else:
            node = node.get(step) if isinstance(node, dict) else None
    return name.strip()
