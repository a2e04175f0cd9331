"""Reading input: JSON files (UTF-8, with or without BOM) into Python data, with located errors.

Syntax errors name the line and column; duplicate keys (which JSON parsers silently collapse,
losing data) are reported; text is not normalised here — :func:`docgen.vn.chuan_hoa_du_lieu`
does that for every input source in the pipeline.
"""

from __future__ import annotations

import json
from pathlib import Path

from .errors import Problem

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


def parse_json(raw: bytes | str, source: str = "") -> tuple[object, list[Problem]]:
    """Parse JSON text; return ``(data, problems)`` (data is None when there are problems)."""
    if isinstance(raw, bytes):
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            return None, [
                Problem(
                    "$",
                    "encoding",
                    f"Tệp {source} không được lưu bằng mã UTF-8 (byte lỗi ở vị trí "
                    f"{exc.start}). Hãy lưu lại tệp với mã hóa UTF-8.".replace("  ", " "),
                )
            ]
    else:
        text = raw.lstrip("\ufeff")
    try:
        return json.loads(text, object_pairs_hook=_no_duplicates), []
    except json.JSONDecodeError as exc:
        what = next((vi for en, vi in _JSON_MESSAGES.items() if exc.msg.startswith(en)), exc.msg)
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
    except RecursionError:
        return None, [Problem("$", "json_syntax", "Dữ liệu JSON lồng nhau quá sâu.")]


def load(path: str | Path) -> tuple[object, list[Problem]]:
    """Read an input file. JSON now; Excel workbooks are read by :mod:`docgen.xlsx`."""
    path = Path(path)
    return parse_json(path.read_bytes(), path.name)
