"""What the page needs to draw a kind's form: its schema, with a short Vietnamese label for every field.

The schema is the one the validator uses (:func:`docgen.validation.inlined_schema`: every shared
definition inlined, only the recursive outline ``muc`` left as a reference), so the form knows every
field without resolving references across files. Each property gets ``x-nhan`` (the label: the first
clause of its Vietnamese description), ``x-nhom`` (the part of the document it applies to, e.g. "Bản cá
nhân") and each enum ``x-nhan-enum`` (a label per code). The descriptions themselves stay as help text.
Labels come from the library's tables (levels, statuses, regimes, who is rated), a few fields several kinds
share, and the kind's own hints (``Kind.web``).
"""

from __future__ import annotations

import copy
import re
from functools import lru_cache

from .. import kinds
from ..rating import SUBJECTS
from ..rules import LEVEL_NAMES
from ..validation import inlined_schema
from ..xlsx.columns import CAP_BASE, REGIME, STATUS

# "Bản cá nhân: ngày viết bản kiểm điểm" — the qualifier says which form the field belongs to.
_QUALIFIER = re.compile(r"^(Báo cáo tập thể|Bản cá nhân|Tập thể|Cá nhân|Mẫu [0-9A-Z/]+): (.+)$", re.S)
# Where a description's first clause ends: an example, a colon, a semicolon, a bracket, a sentence.
_CLAUSE_END = re.compile(r", ví dụ|, hoặc | theo dạng |:|;| \(|\. |\.$")
_CODE = re.compile(r"true|false|[a-z0-9]+_[a-z0-9_]+")
# Labels of fields several kinds share whose description starts with codes ("true: …").
_LABELS = {
    "da_ky": "Đã ký (bản sao công bố)",
    "sap_xep_ten": "Xếp danh sách theo tên",
}
# Labels of codes every kind may use that no library table names: the format profiles.
_ENUM_LABELS = {
    "hd36_2018": "Hướng dẫn 36-HD/VPTW (2018)",
}


def _library_enum_labels() -> dict:
    labels = dict(LEVEL_NAMES)
    for choices in (STATUS, REGIME, CAP_BASE):
        labels.update({o.value: o.label for o in choices.options if isinstance(o.value, str)})
    labels.update({key: s.noun[:1].upper() + s.noun[1:] for key, s in SUBJECTS.items()})  # who is rated
    return labels


def label_of(key: str, description: str, labels: dict = _LABELS) -> tuple[str, str]:
    """``(label, group)`` of a field from its description: the first clause, without a leading qualifier."""
    text, group = " ".join(description.split()), ""
    m = _QUALIFIER.match(text)
    if m:
        group, text = m.group(1), m.group(2)
    if text.startswith("Phần "):  # "Phần II.1. Hạn chế, khuyết điểm." — the number's dots are not sentence ends
        head = re.match(r"Phần [IVXB0-9.]+\s*", text).group(0)
        rest = text[len(head) :]
        end = _CLAUSE_END.search(rest)
        label = head + (rest[: end.start()] if end else rest)
    else:
        end = _CLAUSE_END.search(text)
        label = text[: end.start()] if end else text
    label = label.strip()
    if not label or _CODE.fullmatch(label.split()[0]):  # "true: in …", "tap_the: báo cáo …"
        label = labels.get(key, key)
    return label[:1].upper() + label[1:], group


def _annotate(node, labels: dict, enum_labels: dict, key: str | None = None):
    if isinstance(node, list):
        for item in node:
            _annotate(item, labels, enum_labels)
        return
    if not isinstance(node, dict):
        return
    if key is not None and isinstance(node.get("description"), str):
        node["x-nhan"], group = label_of(key, node["description"], labels)
        if group:
            node["x-nhom"] = group
    if isinstance(node.get("enum"), list):
        node["x-nhan-enum"] = {str(v): enum_labels.get(v, str(v)) for v in node["enum"]}
    for name, child in (node.get("properties") or {}).items():
        _annotate(child, labels, enum_labels, name)
    for child in (node.get("patternProperties") or {}).values():
        _annotate(child, labels, enum_labels, "noi_dung")
    if "items" in node:
        _annotate(node["items"], labels, enum_labels, key)
    for name, child in (node.get("$defs") or {}).items():
        _annotate(child, labels, enum_labels, name)


@lru_cache(maxsize=None)
def _form_schema(kind: str) -> dict:
    declared = kinds.get(kind)
    schema = copy.deepcopy(inlined_schema(declared.schema))
    hints = declared.web
    labels = {**_LABELS, **(hints.labels if hints else {})}
    enum_labels = {**_ENUM_LABELS, **(hints.enum_labels if hints else {}), **_library_enum_labels()}
    _annotate(schema, labels, enum_labels)
    return schema


def form_schema(kind: str) -> dict:
    """The kind's schema with labels (a fresh copy: callers may change it)."""
    return copy.deepcopy(_form_schema(kind))
