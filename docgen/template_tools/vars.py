"""``docgen template vars``: every variable a template of a kind can use, and the filters.

The variables are every field of the data (from the kind's schema, inlined) and what the kind computes
(``Kind.template_vars``, which replace the data's fields they cover). :class:`Model` is the same list as
paths and types, for the linter (:mod:`.lint`) to resolve the names a template uses.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from functools import lru_cache

from .. import kinds
from ..sandbox import FILTERS
from ..validation import inlined_schema


@dataclass(frozen=True)
class Var:
    """A variable a template can use: ``path`` with dots for fields and ``[]`` for list items."""

    path: str
    type: str
    description: str

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Filter:
    name: str
    description: str

    def as_dict(self) -> dict:
        return asdict(self)


def template_vars(kind) -> tuple[list[Var], list[Filter]]:
    """Every variable of the kind's templates (schema properties, then computed ones) and every filter."""
    return list(model_of(kinds.get(kind)).listed), [Filter(name, _filter_description(name)) for name in FILTERS]


# name → (what it does, example input as written in a template, its value, extra arguments)
_FILTER_DOCS = {
    "ngay_thang": ("Ngày viết đầy đủ", "ban_hanh.ngay_ban_hanh", "2026-02-05", ()),
    "ngay_so": ("Ngày viết bằng số, như trong dòng căn cứ", "ban_hanh.ngay_ban_hanh", "2026-02-05", ()),
    "doc_so": ("Đọc số nguyên thành chữ", "1024", 1024, ()),
    "so_chu": ("Số kèm cách đọc trong ngoặc (số dưới 10 có số 0 đứng trước)", "25", 25, ()),
    "phan_tram": ("Tỷ lệ phần trăm trên tổng số, một chữ số thập phân, dấu phẩy thập phân", "41", 41, (200,)),
}


def _filter_description(name: str) -> str:
    if name not in _FILTER_DOCS:
        return (FILTERS[name].__doc__ or "").strip().split("\n")[0] or "(chưa có mô tả)"
    what, shown, value, args = _FILTER_DOCS[name]
    call = f"{name}({', '.join(map(str, args))})" if args else name
    example = f"{{{{ {shown} | {call} }}}} → “{FILTERS[name](value, *args)}”"
    return f"{what}: {example}" + (f" (khi {shown} là {value})" if shown != str(value) else "")


_TYPE_NAMES = {
    "string": "chuỗi",
    "integer": "số nguyên",
    "number": "số",
    "boolean": "true/false",
    "array": "danh sách",
    "object": "đối tượng",
    "null": "null",
}
_LIST = "danh sách"


class _SchemaWalk:
    """Every property of an inlined schema as a :class:`Var`, in schema order.

    A recursive definition (the outline's ``muc``) stays a ``$ref`` in the inlined schema: it is walked
    once under a hidden root ``#name`` (not listed), and a property or list item referring to it becomes
    an alias of that root, so ``c.tieu_de`` in nested loops over ``noi_dung`` still resolves."""

    def __init__(self, schema: dict):
        self.defs = schema.get("$defs", {})
        self.listed: list[Var] = []
        self.hidden: list[Var] = []
        self.aliases: dict[str, str] = {}
        self.children(schema, "", self.listed)
        for name, node in self.defs.items():
            self.children(node, _hidden(name), self.hidden)

    def children(self, node: dict, path: str, out: list) -> None:
        for name, sub in node.get("properties", {}).items():
            if name.isidentifier():  # "$schema" cannot be written in a template
                self.add(sub, _join(path, name), out)
        for sub in node.get("patternProperties", {}).values():
            self.add(sub, _join(path, "*"), out)  # any key, e.g. chu_thich.<mã>
        if isinstance(node.get("items"), dict):
            self.descend(node["items"], path + "[]", out)

    def add(self, node: dict, path: str, out: list) -> None:
        out.append(Var(path, self.type_name(node), node.get("description", "")))
        self.descend(node, path, out)

    def descend(self, node: dict, path: str, out: list) -> None:
        if "$ref" in node:
            self.aliases[path] = _hidden(_ref_name(node["$ref"]))
        else:
            self.children(node, path, out)

    def type_name(self, node: dict) -> str:
        if "$ref" in node:
            node = {**self.defs[_ref_name(node["$ref"])], **node}
        types = node.get("type") or []
        types = [types] if isinstance(types, str) else types
        name = " hoặc ".join(_TYPE_NAMES.get(t, t) for t in types) or "tùy ý"
        if "array" in types and isinstance(node.get("items"), dict):
            name = name.replace(_LIST, f"{_LIST} {self.type_name(node['items'])}", 1)
        if "enum" in node:
            name += " (một trong: " + ", ".join(f"“{v}”" for v in node["enum"]) + ")"
        if node.get("format") == "date":
            name += " (ngày dạng NĂM-THÁNG-NGÀY)"
        return name


def _under(path: str, roots: set[str]) -> bool:
    segments = _segments(path)
    return any(_compose(segments[:i]) in roots for i in range(1, len(segments) + 1))


def _hidden(definition: str) -> str:
    return "#" + definition.replace(".", "/")


def _ref_name(ref: str) -> str:
    return ref.rsplit("/", 1)[-1]


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def _segments(path: str) -> list[str]:
    return re.findall(r"\[\]|[^.\[]+", path)


def _compose(segments: list[str]) -> str:
    path = ""
    for segment in segments:
        path = path + segment if segment == "[]" else _join(path, segment)
    return path


class _Any:
    """Sentinels: a value whose attributes are not known (anything goes), a loop's ``loop``, no binding."""

    def __init__(self, name: str):
        self.name = name

    def __repr__(self) -> str:
        return self.name


ANY, LOOP, MISSING = _Any("ANY"), _Any("LOOP"), _Any("MISSING")
# Types whose values have no attributes a template could use.
_SCALAR = ("chuỗi", "số", "true/false", "khối", "null")


class Model:
    """The kind's variables for the checker: every path and prefix with its type, and each one's children."""

    def __init__(self, listed: list[Var], hidden: list[Var], aliases: dict[str, str]):
        self.listed = listed
        self.aliases = aliases
        self.types: dict[str, str] = {}
        for var in hidden + listed:
            self.add(var.path, var.type)
        self.kids: dict[str, set[str]] = {}
        for path in self.types:
            segments = _segments(path)
            self.kids.setdefault(_compose(segments[:-1]), set()).add(segments[-1])

    def add(self, path: str, type_: str) -> None:
        self.types[path] = type_
        segments = _segments(path)
        for i in range(1, len(segments)):
            self.types.setdefault(_compose(segments[:i]), _LIST if segments[i] == "[]" else "đối tượng")
        if type_.startswith(_LIST):
            self.types.setdefault(path + "[]", type_[len(_LIST) :].strip())

    def step(self, path: str, kind: str, name: str | None):
        """The path reached from ``path`` by ``.name`` (kind "attr") or a subscript ("item"); ANY when
        nothing is known about it, None when it does not exist."""
        if kind == "slice":
            return path
        wildcard = _join(path, "*")
        if kind == "attr":
            target = self.aliases.get(_join(path, name), _join(path, name))
            if target in self.types:
                return target
            if path and wildcard in self.types:
                return wildcard
            return ANY if path and self.is_open(path) else None
        target = self.aliases.get(path + "[]", path + "[]")
        return target if target in self.types else wildcard if wildcard in self.types else ANY

    def is_open(self, path: str) -> bool:
        """An object or list item whose attributes are not declared (e.g. the rows of ``danh_sach.dong``)."""
        return not self.kids.get(path) and not self.types.get(path, "").startswith(_SCALAR)

    def children(self, path: str) -> set[str]:
        return {k for k in self.kids.get(path, ()) if k not in ("[]", "*") and not k.startswith("#")}


@lru_cache(maxsize=None)
def model_of(module) -> Model:
    walk = _SchemaWalk(inlined_schema(module.schema))
    computed = [Var(path, type_, description) for path, (type_, description) in module.template_vars.items()]
    replaced = {var.path for var in computed}  # with whatever the data had below them (a block has no fields)
    listed = [var for var in walk.listed if not _under(var.path, replaced)] + computed
    return Model(listed, walk.hidden, walk.aliases)
