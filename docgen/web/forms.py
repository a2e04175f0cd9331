"""What the page needs to draw a kind's form: its schema, with a short Vietnamese label for every field.

The schema is the one the validator uses (:func:`docgen.validation.inlined_schema`: every shared
definition inlined, only the recursive outline ``muc`` left as a reference), so the form knows every
field without resolving references across files. Each property gets ``x-nhan`` (the label: the first
clause of its Vietnamese description), ``x-nhom`` (the part of the document it applies to, e.g. "Bản cá
nhân") and each enum ``x-nhan-enum`` (a label per code); ``x-huong-dan`` is the description as help for
a person, its codes replaced by their labels ("dang_vien, to_chuc_dang" → "“Đảng viên”, “Tổ chức đảng”",
"true: in …" → "“Có”: in …"). The description stays as it is, for programs. The fields of the member list
carry the workbook's column headers (``x-cot``, ``x-thu-tu``).

Every label comes from this one place, derived from what the library knows: the rating levels' names
(:mod:`docgen.rules`), the workbook's choices (:mod:`docgen.xlsx`), the schemas' own explanations of
their codes ("khien_trach (khiển trách)", "tap_the: báo cáo … (Mẫu 01)"), and — for the few codes
nothing explains — the kind's own hints (``Kind.web``) and a short table here.
"""

from __future__ import annotations

import copy
import json
import re
from functools import lru_cache

from .. import kinds, vn
from ..paths import SCHEMAS_DIR
from ..rating import SUBJECTS
from ..rules import LEVEL_NAMES
from ..validation import inlined_schema
from ..xlsx.columns import CAP_BASE, MEMBERS_PATH, REGIME, STATUS

# "Bản cá nhân: ngày viết bản kiểm điểm" — the qualifier says which form the field belongs to.
_QUALIFIER = re.compile(r"^(Báo cáo tập thể|Bản cá nhân|Tập thể|Cá nhân|Mẫu [0-9A-Z/]+): (.+)$", re.S)
# Where a description's first clause ends: an example, a colon, a semicolon, a bracket, a sentence.
_CLAUSE_END = re.compile(r", ví dụ|, hoặc | theo dạng |:|;| \(|\. |\.$")
_CODE = re.compile(r"true|false|[a-z0-9]+_[a-z0-9_]+")
# Labels of fields several kinds share whose description starts with codes ("true: …"); a kind's own are in
# its hints (Kind.web.labels).
_LABELS = {
    "da_ky": "Đã ký (bản sao công bố)",
    "sap_xep_ten": "Xếp danh sách theo tên",
}
# Labels of codes every kind may use that neither a library table nor a schema's description explains: the
# format profiles. A kind's own are in its hints (Kind.web.enum_labels).
_ENUM_LABELS = {
    "hd36_2018": "Hướng dẫn 36-HD/VPTW (2018)",
}
_YES_NO = {"true": "Có", "false": "Không"}
_DEFAULT = re.compile(r"^mặc định(?::|,)\s*|,\s*mặc định$")  # "(mặc định: …)", "(…, mặc định)"
# What a person does not read as words: snake_case codes and JSON's true/false.
_RAW = re.compile(r"(?<![\w/])(true|false|[a-z][a-z0-9]*_[a-z0-9_]+)(?![\w/])")


def _library_enum_labels() -> dict:
    labels = dict(LEVEL_NAMES)
    for choices in (STATUS, REGIME, CAP_BASE):
        labels.update({o.value: o.label for o in choices.options if isinstance(o.value, str)})
    labels.update({key: s.noun[:1].upper() + s.noun[1:] for key, s in SUBJECTS.items()})  # who is rated
    return labels


def _hinted(kind) -> tuple[dict, dict]:
    """``(field labels, code labels)`` the kind declares for its form (Kind.web), over the shared ones."""
    hints = kinds.get(kind).web
    return {**_LABELS, **(hints.labels if hints else {})}, dict(hints.enum_labels) if hints else {}


def _explained(code: str, description: str) -> str | None:
    """What a description says a code means: "khien_trach (khiển trách)" or "tap_the: báo cáo …;" → the
    explanation as a label ("Khiển trách"), its "mặc định" marker and what follows a colon left out."""
    c = re.escape(code)
    m = re.search(rf"(?<![\w/]){c} \(((?:[^()]|\([^()]*\))+)\)", description) or re.search(
        rf"(?:^|[;:.] ){c}: ([^;]+?)(?:;|\.?$)", description
    )
    if not m:
        return None
    text = _DEFAULT.sub("", m.group(1).strip())
    text = re.split(r": ", text, maxsplit=1)[0].strip()
    return text[:1].upper() + text[1:] if text else None


def _walk(node, visit, key=None):
    """``visit(node, key)`` for every schema node under ``node`` (properties, items, definitions, conditions)."""
    if isinstance(node, list):
        for item in node:
            _walk(item, visit, key)
        return
    if not isinstance(node, dict):
        return
    visit(node, key)
    for name, child in (node.get("properties") or {}).items():
        _walk(child, visit, name)
    for child in (node.get("patternProperties") or {}).values():
        _walk(child, visit, "noi_dung")
    if "items" in node:
        _walk(node["items"], visit, key)
    for name, child in (node.get("$defs") or {}).items():
        _walk(child, visit, name)
    for word in ("allOf", "anyOf", "oneOf", "then", "else"):
        if word in node:
            _walk(node[word], visit, key)


@lru_cache(maxsize=None)
def _described_labels() -> dict[tuple, dict[str, str]]:
    """For each set of codes (an enum), the labels the schemas' descriptions give them, across every kind: a
    description that only lists the codes ("khien_trach, canh_cao …") borrows those of the same enum elsewhere."""
    found: dict[tuple, dict[str, str]] = {}

    def visit(node, key):
        if isinstance(node.get("enum"), list) and isinstance(node.get("description"), str):
            labels = found.setdefault(tuple(map(str, node["enum"])), {})
            for code in labels.keys() | set(map(str, node["enum"])):
                label = _explained(code, " ".join(node["description"].split()))
                if label and code not in labels:
                    labels[code] = label

    # The schema files as written: a definition explains its codes even where a field that uses it has a
    # shorter description of its own (which is what the inlined schema keeps).
    for path in sorted(SCHEMAS_DIR.glob("*.schema.json")):
        _walk(json.loads(path.read_text(encoding="utf-8")), visit)
    for kind in kinds.all_kinds():
        _walk(inlined_schema(kind.schema), visit)
    return found


def enum_labels(values, description: str = "", hints: dict | None = None) -> dict[str, str]:
    """A Vietnamese label for each code of an enum: the library's tables first, then the kind's ``hints``
    (Kind.web.enum_labels), the schemas' own explanations, this module's few; a code nothing names is its own
    label."""
    library, hints = _library_enum_labels(), hints or {}
    described = _described_labels().get(tuple(map(str, values)), {})
    own = {str(v): _explained(str(v), " ".join(description.split())) for v in values}
    return {
        str(v): library.get(v)
        or hints.get(str(v))
        or own[str(v)]
        or described.get(str(v))
        or _ENUM_LABELS.get(str(v))
        or str(v)
        for v in values
    }


def help_text(node: dict, field_labels: dict[str, str]) -> str:
    """The description for a person: each code written as its label in quotes ("“Khiển trách”"), an
    explanation that only repeats the label left out, JSON's true/false as “Có”/“Không”, a field's key as
    its label."""
    text = " ".join(node["description"].split())
    labels = dict(node.get("x-nhan-enum") or {})
    if node.get("type") == "boolean":
        labels.update(_YES_NO)
    for code, label in sorted(labels.items(), key=lambda kv: -len(kv[0])):
        if code == label or not re.fullmatch(r"[a-z][a-z0-9_]*", code):
            continue  # "2A", "HTXSNV": what people write
        c = re.escape(code)

        def said(m, label=label):
            explanation, after = m.group(1) or m.group(2), ""
            if explanation is None:
                return f"“{label}”"
            if m.group(2) is not None:  # "code: explanation;" — the separator stays
                after = m.group(0)[m.end(2) - m.start(0) :]
            bare = _DEFAULT.sub("", explanation)
            if _key(bare).startswith(_key(label)) or _key(label).startswith(_key(bare)):
                default = " (mặc định)" if bare != explanation else ""
                return f"“{label}”{default}{after}"
            return f"“{label}” ({explanation}){after}" if m.group(1) else f"“{label}”: {explanation}{after}"

        text = re.sub(
            rf"[\"“]?(?<![\w/]){c}(?![\w/])[\"”]?(?: \(((?:[^()]|\([^()]*\))+)\)|: ([^;:]+?)(?=;|\.?$))?",
            said,
            text,
        )

    def other(m):
        word = m.group(1)
        name = _YES_NO.get(word) or field_labels.get(word) or _known_codes().get(word)
        return f"“{name}”" if name else word

    def quoted(m):  # a JSON key in quotes ("doan"): the field's label
        name = field_labels.get(m.group(1))
        return f"“{name}”" if name else m.group(0)

    text = re.sub(r"[\"“]([a-z][a-z0-9_]*)[\"”]", quoted, text)
    if node.get("format") == "date":
        text = shown_dates(text)
    return _RAW.sub(other, text)


# How a JSON date is described ("theo dạng NĂM-THÁNG-NGÀY", "(NĂM-THÁNG-NGÀY)") and written (2025-11-27).
_ISO_FORM = re.compile(r",? (?:theo )?dạng NĂM-THÁNG-NGÀY| ?\(NĂM-THÁNG-NGÀY\)")
_ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")


def shown_dates(text: str) -> str:
    """A date field's help as the form shows the date: the form's date box reads and shows it day first
    (18/11/2024), so the JSON's "NĂM-THÁNG-NGÀY" would contradict the box it stands under."""
    return _ISO_DATE.sub(r"\3/\2/\1", _ISO_FORM.sub("", text))


def _key(text: str) -> str:
    return " ".join(vn.chuan_hoa(text).casefold().split())


@lru_cache(maxsize=None)
def _known_codes() -> dict[str, str]:
    """Every code some enum of some kind labels (for a description naming a code of another field:
    "chế độ qd366_2025: 2A …")."""
    out = dict(_ENUM_LABELS)
    for kind in kinds.all_kinds():
        out.update(_hinted(kind)[1])
    for values in _described_labels():
        out.update({k: v for k, v in enum_labels(values).items() if k != v})
    out.update(_library_enum_labels())
    return out


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


@lru_cache(maxsize=None)
def _labelled(kind: str) -> dict:
    schema = copy.deepcopy(inlined_schema(kinds.get(kind).schema))
    labels, codes = _hinted(kind)

    def label(node, key):
        if key is not None and isinstance(node.get("description"), str):
            node["x-nhan"], group = label_of(key, node["description"], labels)
            if group:
                node["x-nhom"] = group
        if isinstance(node.get("enum"), list):
            node["x-nhan-enum"] = enum_labels(node["enum"], node.get("description") or "", codes)

    _walk(schema, label)
    return schema


def _field_labels(schema: dict, into: dict) -> dict:
    _walk(schema, lambda node, key: key and node.get("x-nhan") and into.setdefault(key, node["x-nhan"]))
    return into


def _workbook_columns(kind: str, schema: dict) -> None:
    """The headers and order of the workbook's member sheet (“Đảng viên”) on the fields of the member list,
    as ``x-cot`` and ``x-thu-tu``: the form's grid shows the columns the clerk knows, and rows copied out of
    her workbook (header row included) land in the right columns."""
    spec = kinds.get(kind).batch
    if spec is None or spec.workbook is None:
        return
    node = schema
    for key in MEMBERS_PATH:
        node = (node.get("properties") or {}).get(key) or {}
    items = node.get("items")
    if not isinstance(items, dict):
        return
    for order, column in enumerate(spec.workbook.members):
        target = items
        for key in column.keys:
            target = (target.get("properties") or {}).get(key) if isinstance(target, dict) else None
        if column.keys and isinstance(target, dict):
            target["x-cot"], target["x-thu-tu"] = column.header, order


@lru_cache(maxsize=None)
def _form_schema(kind: str) -> dict:
    schema = copy.deepcopy(_labelled(kind))
    _workbook_columns(kind, schema)
    fields = _field_labels(schema, {})  # the kind's own fields first, then those of the others
    for other in kinds.names():  # the registry's kinds, whichever they are
        _field_labels(_labelled(other), fields)

    def helps(node, key):
        if isinstance(node.get("description"), str):
            node["x-huong-dan"] = help_text(node, fields)

    _walk(schema, helps)
    return schema


def form_schema(kind: str) -> dict:
    """The kind's schema with labels (a fresh copy: callers may change it)."""
    return copy.deepcopy(_form_schema(kind))
