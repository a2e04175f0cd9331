"""Validation against the kind's JSON Schema, with every error as a located Vietnamese problem.

A compiled validator (``jsonschema-rs``) answers "valid" for the common case, in a fraction of the time;
only data it refuses goes through jsonschema, which has the last word on the verdict and finds the errors
(the two agree on every bad input the tests have: ``tests/test_validation.py``). This module translates
jsonschema's errors: where (the JSON path of the field, e.g. ``$.nguoi_ky.ho_ten``), what (a Vietnamese
sentence, with "did you mean" for misspelt field names), and a stable English code. Text-level checks the
schema cannot express (control characters) are done here too. Rule checks that need the document's meaning
are done by the kind's builder, in the same Problem form.
"""

from __future__ import annotations

import difflib
import itertools
import json
import re
from functools import lru_cache

import jsonschema
import referencing
from referencing.jsonschema import DRAFT202012

from .errors import Problem, join_path
from .limits import PROBLEMS_MAX
from .paths import SCHEMAS_DIR

COMMON = "common.schema.json"

_TYPE_NAMES = {
    "string": "chuỗi văn bản (trong dấu nháy kép)",
    "integer": "số nguyên",
    "number": "số",
    "boolean": "true hoặc false",
    "array": "danh sách [ … ]",
    "object": "đối tượng { … }",
    "null": "null",
}


def load_schema(name: str) -> dict:
    return json.loads((SCHEMAS_DIR / name).read_text(encoding="utf-8"))


@lru_cache(maxsize=None)
def _registry() -> referencing.Registry:
    registry = referencing.Registry()
    for path in sorted(SCHEMAS_DIR.glob("*.schema.json")):
        registry = registry.with_resource(path.name, DRAFT202012.create_resource(load_schema(path.name)))
    return registry


@lru_cache(maxsize=None)
def validator(schema_name: str) -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(
        inlined_schema(schema_name), registry=_registry(), format_checker=jsonschema.FormatChecker()
    )


# Python's white space (str.isspace) as an explicit class: the compiled validator's regex engine follows
# ECMAScript, whose \s holds U+FEFF and lacks U+001C–U+001F and U+0085, and "\S" must mean the same to both.
@lru_cache(maxsize=1)
def _translated() -> dict[str, str]:
    space = "".join(f"\\x{{{c:x}}}" for c in range(0x10000) if chr(c).isspace())  # none is astral
    return {"s": f"[{space}]", "S": f"[^{space}]"}


_DIFFERENT = set("dDwWbB")  # classes and boundaries Python reads as Unicode and ECMAScript as ASCII


def _python_pattern(pattern: str) -> str | None:
    """``pattern`` written so that the compiled validator's engine matches what Python's ``re`` matches, or
    None when this module cannot say it the same way (the schema is then left to jsonschema)."""
    out, i, in_class = [], 0, False
    while i < len(pattern):
        c = pattern[i]
        if c == "\\" and i + 1 < len(pattern):
            e = pattern[i + 1]
            if e in _DIFFERENT or (in_class and e in "sS"):
                return None
            out.append(_translated().get(e, c + e))
            i += 2
            continue
        if c == "[" and not in_class:
            in_class = True
        elif c == "]" and in_class:
            in_class = False
        out.append(c)
        i += 1
    return "".join(out)


def _fast_schema(node):
    """The schema for the compiled validator: its patterns as Python reads them (:func:`_python_pattern`), its
    dates as jsonschema's: the compiled validator's own "date" (much faster than calling back into Python for
    every date) agrees with it but on the year 0000, which Python's calendar lacks."""
    if isinstance(node, list):
        return [_fast_schema(v) for v in node]
    if not isinstance(node, dict):
        return node
    if node.get("format") == "date":
        return {"allOf": [_fast_node(node), {"not": {"pattern": "^0000"}}]}
    return _fast_node(node)


def _fast_node(node: dict) -> dict:
    out = {}
    for key, value in node.items():
        if key == "pattern" and isinstance(value, str):
            value = _python_pattern(value)
            if value is None:
                raise ValueError("pattern")
        elif key == "patternProperties" and isinstance(value, dict):
            keys = {_python_pattern(k): v for k, v in value.items()}
            if None in keys:
                raise ValueError("pattern")
            value = {k: _fast_schema(v) for k, v in keys.items()}
            out[key] = value
            continue
        out[key] = _fast_schema(value)
    return out


@lru_cache(maxsize=None)
def fast_validator(schema_name: str):
    """The kind's schema compiled by ``jsonschema-rs`` (the same draft, 2020-12), for the verdict alone, written
    so that both agree on what a date and a text are (:func:`_fast_schema`). None where the schema cannot be
    compiled so: jsonschema alone then."""
    try:
        import jsonschema_rs
    except ImportError:
        return None
    try:
        return jsonschema_rs.validator_for(_fast_schema(inlined_schema(schema_name)), validate_formats=True)
    except ValueError:  # jsonschema_rs.ValidationError among them: a schema it cannot compile
        return None


def fast_verdict(schema_name: str, data) -> bool | None:
    """The compiled validator's verdict on ``data``; None when it has none to give (no compiled schema, or a
    value that is not JSON, e.g. a Python object handed to the library): jsonschema then decides."""
    fast = fast_validator(schema_name)
    if fast is None:
        return None
    try:
        return fast.is_valid(data)
    except (ValueError, TypeError, OverflowError, RecursionError):
        return None


def inlined_schema(schema_name: str) -> dict:
    """The schema with every non-recursive ``$ref`` replaced by what it points to.

    Same meaning, but jsonschema no longer resolves a reference for every value it checks (that was
    two thirds of the time spent validating a decision with 25 members). A recursive definition (the
    outline's ``muc``) stays a reference into the result's own ``$defs``."""
    files = {p.name: load_schema(p.name) for p in SCHEMAS_DIR.glob("*.schema.json")}
    recursive: dict[str, tuple[str, str]] = {}

    def lookup(file: str, pointer: str):
        node = files[file]
        for part in pointer.strip("/").split("/"):
            node = node[part]
        return node

    def resolve(node, base: str, stack: tuple):
        if isinstance(node, list):
            return [resolve(v, base, stack) for v in node]
        if not isinstance(node, dict):
            return node
        if "$ref" not in node:
            return {k: resolve(v, base, stack) for k, v in node.items()}
        file, _, pointer = node["$ref"].partition("#")
        key = (file or base, pointer)
        siblings = {k: resolve(v, base, stack) for k, v in node.items() if k != "$ref"}
        if key in stack:
            name = f"{key[0].split('.')[0]}.{pointer.rsplit('/', 1)[-1]}"
            recursive[name] = key
            return {"$ref": f"#/$defs/{name}", **siblings}
        return {**resolve(lookup(*key), key[0], stack + (key,)), **siblings}

    out = resolve({k: v for k, v in files[schema_name].items() if k != "$defs"}, schema_name, ())
    defs: dict[str, dict] = {}
    while recursive.keys() - defs.keys():
        for name in sorted(recursive.keys() - defs.keys()):
            key = recursive[name]
            defs[name] = resolve(lookup(*key), key[0], (key,))
    out["$defs"] = defs
    return out


def bundled_schema(schema_name: str) -> dict:
    """The kind's schema with the definitions it uses from other files copied in (named
    ``file.definition``), usable on its own (``docgen schema``, editors, the web page)."""
    files = {p.name: load_schema(p.name) for p in SCHEMAS_DIR.glob("*.schema.json")}
    defs: dict[str, dict] = {}

    def name(file: str, ref_name: str) -> str:
        return f"{file.split('.')[0]}.{ref_name}"

    def rewrite(node, base: str):
        if isinstance(node, list):
            return [rewrite(v, base) for v in node]
        if not isinstance(node, dict):
            return node
        out = {}
        for k, v in node.items():
            if k == "$ref" and isinstance(v, str) and "#/$defs/" in v:
                file, _, def_name = v.partition("#/$defs/")
                file = file or base
                if file == schema_name:
                    out[k] = f"#/$defs/{def_name}"
                else:
                    target = name(file, def_name)
                    if target not in defs:
                        defs[target] = {}  # placeholder first: definitions may refer to themselves
                        defs[target] = rewrite(files[file]["$defs"][def_name], file)
                    out[k] = f"#/$defs/{target}"
            else:
                out[k] = rewrite(v, base)
        return out

    out = rewrite(files[schema_name], schema_name)
    out["$defs"] = {**out.get("$defs", {}), **defs}
    return out


# ---------------------------------------------------------------- checks


def check_schema(schema_name: str, data) -> list[Problem]:
    """The schema's problems, the first :data:`~docgen.limits.PROBLEMS_MAX` of them (jsonschema finds them one
    by one, each with a copy of its context: a million wrong values would take gigabytes). Valid data is told
    by the compiled validator; jsonschema looks only at data it refuses."""
    if fast_verdict(schema_name, data):
        return []
    problems, seen = [], set()
    errors = list(itertools.islice(validator(schema_name).iter_errors(data), PROBLEMS_MAX + 1))
    for error in sorted(errors[:PROBLEMS_MAX], key=lambda e: list(map(str, e.absolute_path))):
        for p in _translate(error):
            if (p.path, p.code) not in seen:  # minLength and pattern both catch "", say it once
                seen.add((p.path, p.code))
                problems.append(p)
    if len(errors) > PROBLEMS_MAX:
        problems.append(more_problems())
    return problems


def is_valid(schema_name: str, data) -> bool:
    """Whether ``data`` passes the schema, without locating or wording its problems: a verdict for the checks
    that need valid documents before the documents' own check runs (a batch's rules across documents)."""
    return bool(fast_verdict(schema_name, data)) or validator(schema_name).is_valid(data)


def more_problems() -> Problem:
    return Problem(
        "$",
        "too_many_problems",
        f"Còn nhiều lỗi khác; đây là {PROBLEMS_MAX} lỗi đầu tiên. Sửa các lỗi này rồi kiểm tra lại để xem tiếp.",
    )


# Control characters (Unicode category Cc), lone surrogates and the two non-characters XML cannot hold.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def check_text(data, path: str = "$") -> list[Problem]:
    """Control characters (tabs, line breaks …) and characters XML cannot hold, wherever they are (the first
    :data:`~docgen.limits.PROBLEMS_MAX` places)."""
    problems = _text_problems(data, path)
    return problems[:PROBLEMS_MAX] + ([more_problems()] if len(problems) > PROBLEMS_MAX else [])


def _text_problems(data, path: str) -> list[Problem]:
    problems = []
    if isinstance(data, str):
        bad = _UNPRINTABLE.findall(data)
        if bad:
            names = ", ".join(sorted({f"U+{ord(c):04X}" for c in bad}))
            problems.append(
                Problem(
                    path,
                    "control_character",
                    f"Có ký tự điều khiển không in được ({names}), ví dụ dấu xuống dòng hay tab; "
                    "mỗi đoạn văn hãy viết thành một phần tử riêng.",
                )
            )
    elif isinstance(data, dict):
        for k, v in data.items():
            problems.extend(_text_problems(v, join_path(path, str(k))))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            problems.extend(_text_problems(v, join_path(path, i)))
    return problems


def _path(parts) -> str:
    p = "$"
    for part in parts:
        p = join_path(p, part)
    return p


def _translate(e: jsonschema.ValidationError) -> list[Problem]:
    path = _path(e.absolute_path)
    v, value = e.validator, e.validator_value
    if v == "required":
        # The place names the field by its label; the key is said for whoever edits the JSON text, and the
        # field's own description says what to type ("Ký hiệu văn bản …, ví dụ “KH/ĐU”").
        described = e.schema.get("properties", {})
        return [
            Problem(join_path(path, name), "required", required_message(name, described.get(name, {})))
            for name in value
            if isinstance(e.instance, dict) and name not in e.instance
        ]
    if v == "additionalProperties":
        allowed = list(e.schema.get("properties", {}))
        extras = [
            k
            for k in e.instance
            if k not in allowed and not any(re.search(p, k) for p in e.schema.get("patternProperties", {}))
        ]
        out = []
        for key in extras:
            guess = suggest(key, allowed)
            hint = (
                f" Có phải là “{guess}”?"
                if guess
                else (f" Các trường được dùng: {', '.join(allowed)}." if allowed else "")
            )
            out.append(
                Problem(
                    join_path(path, key),
                    "unknown_field",
                    f"Không có trường này ở đây (gõ sai tên trường thì dữ liệu của nó bị bỏ mất).{hint}",
                )
            )
        return out
    if v == "type":
        types = value if isinstance(value, list) else [value]
        want = " hoặc ".join(_TYPE_NAMES.get(t, t) for t in types)
        return [Problem(path, "wrong_type", f"Giá trị phải là {want}, không phải {_describe(e.instance)}.")]
    if v in ("minLength", "pattern") and e.validator_value in (1, "\\S"):
        return [Problem(path, "empty_text", "Không được để trống.")]
    if v == "pattern":
        message = e.schema.get("x-loi") or f"“{e.instance}” không đúng dạng yêu cầu."
        return [Problem(path, "invalid_format", f"“{e.instance}”: {message}")]
    if v == "format" and value == "date":
        return [
            Problem(
                path,
                "invalid_date",
                f"“{e.instance}” không phải ngày hợp lệ; viết theo dạng NĂM-THÁNG-NGÀY, ví dụ 2025-11-27.",
            )
        ]
    if v == "enum":
        choices = ", ".join(f"“{c}”" for c in value)
        return [Problem(path, "invalid_value", f"Giá trị “{e.instance}” không hợp lệ; chọn một trong: {choices}.")]
    if v == "minimum":
        return [Problem(path, "out_of_range", f"Giá trị {e.instance} nhỏ hơn mức tối thiểu {value}.")]
    if v == "maximum":
        return [Problem(path, "out_of_range", f"Giá trị {e.instance} lớn hơn mức tối đa {value}.")]
    if v == "minItems":
        if value == 1:
            return [Problem(path, "empty_list", "Danh sách không được để trống.")]
        return [Problem(path, "too_few_items", f"Cần ít nhất {value} phần tử (đang có {len(e.instance)}).")]
    if v == "maxItems":
        return [Problem(path, "too_many_items", f"Nhiều nhất {value} phần tử (đang có {len(e.instance)}).")]
    return [Problem(path, "schema", e.message)]


REQUIRED = "Thiếu trường bắt buộc “{key}”."  # a workbook says it its own way: docgen.xlsx.locate


def required_message(name: str, schema: dict) -> str:
    """A required field missing: the key to type in the JSON file (the place names the field by its label),
    and what to type, from the field's own description."""
    hint = f" Cần điền: {schema['description']}" if "description" in schema else ""
    return REQUIRED.format(key=name) + hint


def suggest(typed: str, candidates) -> str | None:
    """The name the user most likely meant by ``typed`` (a field, a command, a kind), or None.

    What was typed is usually the start or a part of the name (``ky_luat`` for ``ky_luat_trong_nam``), so a
    candidate that begins with it comes first, then one that has it as a whole part (between underscores),
    then one that contains it; among those the shortest (the least left to type). Only then edit distance,
    for a typo inside the word (``ho_tne``)."""
    candidates = [c for c in candidates if c != typed]
    low = typed.casefold()
    if len(low) >= 2:
        for test in (
            lambda c: c.startswith(low),
            lambda c: f"_{low}_" in f"_{c}_",
            lambda c: low in c,
            lambda c: len(c) >= 3 and low.startswith(c),  # typed more than the name: "ho_ten_day_du"
        ):
            found = [c for c in candidates if test(c.casefold())]
            if found:
                return min(found, key=lambda c: (abs(len(c) - len(low)), c))
    close = difflib.get_close_matches(low, [c.casefold() for c in candidates], n=1, cutoff=0.6)
    return next((c for c in candidates if c.casefold() == close[0]), None) if close else None


def _describe(value) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int):
        return f"số {value}"
    if isinstance(value, float):
        return f"số {value}"
    if isinstance(value, str):
        return f"chuỗi “{value[:40]}”"
    if isinstance(value, list):
        return "một danh sách"
    if isinstance(value, dict):
        return "một đối tượng"
    return "null"
