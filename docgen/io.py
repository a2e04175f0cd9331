"""The JSON reader: a file (UTF-8, with or without BOM) or data already in memory, to an
:class:`~docgen.inputs.Input`, with located errors.

Syntax errors name the line and column; duplicate keys (which JSON parsers silently collapse,
losing data) are reported; the data limits of :mod:`docgen.limits` are checked as the data is read.
Text is not normalised here: the pipeline does that once for every reader (:func:`docgen.inputs.normalise`).
A JSON value needs no origin: its JSON path is the place a person finds it by.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from . import limits
from .errors import Problem
from .inputs import Input

_JSON_MESSAGES = {
    "Expecting ',' delimiter": "thiếu dấu phẩy “,” giữa hai phần tử",
    "Expecting ':' delimiter": "thiếu dấu hai chấm “:” sau tên trường",
    "Expecting property name enclosed in double quotes": 'tên trường phải đặt trong dấu nháy kép "…" '
    "(hoặc có dấu phẩy thừa trước dấu đóng)",
    "Expecting value": "thiếu giá trị (hoặc có dấu phẩy thừa, hoặc giá trị không hợp lệ)",
    "Unterminated string starting at": "chuỗi chưa có dấu nháy kép đóng",
    "Invalid control character at": "chuỗi có ký tự điều khiển (xuống dòng, tab) — viết \\n hoặc bỏ đi",
    "Extra data": "có nội dung thừa sau khi dữ liệu đã kết thúc",
    "Invalid \\escape": "dấu \\ không hợp lệ trong chuỗi (viết \\\\ cho dấu gạch chéo ngược)",
    "Invalid \\uXXXX escape": "mã \\uXXXX không hợp lệ",
}


class _DuplicateKey(ValueError):
    def __init__(self, key):
        self.key = key


def _no_duplicates(pairs):
    seen = {}
    for key, value in pairs:
        if key in seen:
            raise _DuplicateKey(key)
        seen[key] = value
    return seen


_LONG_NUMBER = re.compile(r"\d{4000,}")


def _line_column(text: str, pos: int) -> tuple[int, int]:
    line = text.count("\n", 0, pos) + 1
    return line, pos - (text.rfind("\n", 0, pos) + 1) + 1


def _depth_position(text: str) -> int:
    """Where the nesting of ``text`` first goes past the limit (brackets inside strings skipped)."""
    depth, in_string, escaped = 0, False, False
    for i, c in enumerate(text):
        if in_string:
            if escaped:
                escaped = False
            elif c == "\\":
                escaped = True
            elif c == '"':
                in_string = False
        elif c == '"':
            in_string = True
        elif c in "[{":
            depth += 1
            if depth > limits.DATA_MAX_DEPTH:
                return i
        elif c in "]}":
            depth -= 1
    return len(text)


def parse_json(raw: bytes | str, source: str = "") -> tuple[object, list[Problem]]:
    """Parse JSON text; return ``(data, problems)`` (data is None when there are problems).

    Refused with a located problem: more than :data:`limits.JSON_MAX_BYTES`; text that is not UTF-8, or that
    stops in the middle of a character or of the data (a file cut short); syntax errors; duplicate keys; the
    data limits of :func:`limits.data_problems` (nesting, text length, numbers, NaN and Infinity)."""
    size = len(raw) if isinstance(raw, bytes) else len(raw.encode("utf-8", "surrogatepass"))
    if size > limits.JSON_MAX_BYTES:
        return None, [
            Problem(
                "$",
                "file_too_large",
                f"Tệp {source or 'dữ liệu'} quá lớn ({limits.size_text(size)}; tối đa "
                f"{limits.size_text(limits.JSON_MAX_BYTES)}).",
            )
        ]
    # Each value costs memory and time in every walk of the data: bound them before parsing, by counting the
    # characters that separate them (over-counting those in text, which is safe).
    b = isinstance(raw, bytes)
    containers = raw.count(b"{" if b else "{") + raw.count(b"[" if b else "[")
    values = raw.count(b"," if b else ",") + 1
    if containers > limits.JSON_MAX_CONTAINERS or values > limits.JSON_MAX_VALUES:
        what, n = (
            ("đối tượng và danh sách", f"{limits.count_text(limits.JSON_MAX_CONTAINERS)} dấu “{{” và “[”")
            if containers > limits.JSON_MAX_CONTAINERS
            else ("giá trị", f"{limits.count_text(limits.JSON_MAX_VALUES)} giá trị, đếm theo dấu phẩy")
        )
        return None, [
            Problem(
                "$",
                "too_many_values",
                f"Tệp {source or 'dữ liệu'} có quá nhiều {what} (hơn {n}); không văn bản hay lô nào cần nhiều như vậy.",
            )
        ]
    if isinstance(raw, bytes):
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            return None, [_encoding_problem(raw, exc, source)]
    else:
        text = raw.lstrip("\ufeff")
    try:
        data = json.loads(text, object_pairs_hook=_no_duplicates)
    except json.JSONDecodeError as exc:
        what = next((vi for en, vi in _JSON_MESSAGES.items() if exc.msg.startswith(en)), exc.msg)
        if exc.pos >= len(text.rstrip()):
            return None, [
                Problem(
                    "$",
                    "truncated",
                    f"Tệp kết thúc đột ngột ở dòng {exc.lineno}, cột {exc.colno}: dữ liệu chưa đóng hết (thiếu dấu "
                    "đóng “}”, “]” hoặc nháy kép). Có thể tệp bị cắt cụt khi sao chép hoặc chưa lưu xong.",
                )
            ]
        return None, [Problem("$", "json_syntax", f"Lỗi cú pháp JSON ở dòng {exc.lineno}, cột {exc.colno}: {what}.")]
    except _DuplicateKey as exc:
        return None, [
            Problem(
                "$",
                "duplicate_key",
                f"Trường “{exc.key}” xuất hiện hai lần trong cùng một đối tượng; "
                "chỉ giữ một (nếu không, một giá trị sẽ bị mất).",
            )
        ]
    except ValueError:  # an integer of more than 4,300 digits, which Python refuses to convert
        found = _LONG_NUMBER.search(text)
        if found is None:
            raise
        line, column = _line_column(text, found.start())
        return None, [
            Problem(
                "$",
                "number_too_large",
                f"Số ở dòng {line}, cột {column} quá lớn ({len(found.group(0))} chữ số; tối đa "
                f"{limits.NUMBER_MAX_DIGITS} chữ số).",
            )
        ]
    except RecursionError:  # deeper than Python's parser goes (about 1,000): say where the limit was passed
        line, column = _line_column(text, _depth_position(text))
        return None, [
            Problem(
                "$",
                "too_deep",
                f"Dữ liệu lồng nhau quá sâu ở dòng {line}, cột {column} (quá {limits.DATA_MAX_DEPTH} tầng đối "
                "tượng/danh sách lồng nhau).",
            )
        ]
    problems = limits.data_problems(data)
    return (None if problems else data), problems


def _encoding_problem(raw: bytes, exc: UnicodeDecodeError, source: str) -> Problem:
    body = raw[3:] if raw.startswith(b"\xef\xbb\xbf") else raw  # the positions utf-8-sig reports
    before = body[: exc.start].decode("utf-8", errors="replace")
    line, column = _line_column(before, len(before))
    if exc.end >= len(body) and exc.reason == "unexpected end of data":
        return Problem(
            "$",
            "truncated",
            f"Tệp {source or 'dữ liệu'} kết thúc đột ngột ở dòng {line}, cột {column}, giữa một ký tự (tệp bị cắt "
            "cụt khi sao chép, tải về hoặc chưa lưu xong). Hãy lấy lại tệp đầy đủ.",
        )
    return Problem(
        "$",
        "encoding",
        f"Tệp {source} không được lưu bằng mã UTF-8 (byte lỗi ở dòng {line}, cột {column}). "
        "Hãy lưu lại tệp với mã hóa UTF-8.".replace("  ", " "),
    )


def read(path: str | Path, name: str | None = None) -> Input:
    """Read a JSON file (Excel workbooks: :mod:`docgen.xlsx.read`). ``name``: the file's name as the user
    knows it, for messages (default: the name of ``path``)."""
    path = Path(path)
    name = name or path.name
    try:
        raw = limits.read_limited(path, limits.JSON_MAX_BYTES, name)
    except limits.LimitExceeded as exc:
        return Input(None, problems=[Problem("$", exc.code, exc.message)])
    data, problems = parse_json(raw, name)
    return Input(data, problems=problems)


def from_data(data) -> Input:
    """Data a program hands over, read as a file would be: within the data limits (nesting, text, numbers)."""
    problems = limits.data_problems(data)
    return Input(None if problems else data, problems=problems)
