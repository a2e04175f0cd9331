"""Validation against the kind's JSON Schema, with every error as a located Vietnamese problem.

jsonschema finds the errors; this module only translates them: where (the JSON path of the
field, e.g. ``$.nguoi_ky.ho_ten``), what (a Vietnamese sentence, with "did you mean" for
misspelt field names), and a stable English code. Text-level checks the schema cannot express
(control characters) are done here too. Rule checks that need the document's meaning are done
by the kind's builder, in the same Problem form.
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
    by one, each with a copy of its context: a million wrong values would take gigabytes)."""
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
    return validator(schema_name).is_valid(data)


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
        # The field's own description says what to type ("Ký hiệu văn bản …, ví dụ “KH/ĐU”").
        described = e.schema.get("properties", {})
        return [
            Problem(
                join_path(path, name),
                "required",
                f"Thiếu trường bắt buộc “{name}”."
                + (f" Cần điền: {described[name]['description']}" if "description" in described.get(name, {}) else ""),
            )
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
            guess = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
            hint = (
                f" Có phải là “{guess[0]}”?"
                if guess
                else (f" Các trường được dùng: {', '.join(allowed)}." if allowed else "")
            )
            out.append(
                Problem(
                    join_path(path, key),
                    "unknown_field",
                    f"Trường “{key}” không có trong lược đồ (gõ sai tên sẽ làm mất dữ liệu).{hint}",
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
