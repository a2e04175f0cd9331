"""The JSON reader: a file (UTF-8, with or without BOM) or data already in memory, to an
:class:`~docgen.inputs.Input`, with located errors.

Syntax errors name the line and column; duplicate keys (which JSON parsers silently collapse,
losing data) are reported; the data limits of :mod:`docgen.limits` are checked as the data is read.
Text is not normalised here: the pipeline does that once for every reader (:func:`docgen.inputs.normalise`).
A JSON value needs no origin: its JSON path is the place a person finds it by.
"""

from __future__ import annotations

import codecs
import dataclasses
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


_CURLY = "“”‘’"


def _outside_strings(text: str):
    """``(position, character)`` of each character of JSON ``text`` that is not inside a string."""
    in_string, escaped = False, False
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
        else:
            yield i, c


def _curly_quote(text: str, stop: int) -> int | None:
    """The position of the first curly quote used where JSON needs a straight one — outside a string — before
    ``stop`` (where the parser gave up, which such a quote causes), or None."""
    return next((i for i, c in _outside_strings(text[: stop + 1]) if c in _CURLY), None)


def _depth_position(text: str) -> int:
    """Where the nesting of ``text`` first goes past the limit (brackets inside strings skipped)."""
    depth = 0
    for i, c in _outside_strings(text):
        if c in "[{":
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
        curly = _curly_quote(text, exc.pos)
        if curly is None and exc.msg.startswith(("Invalid control character", "Unterminated string")):
            # a string that does not end where it should: its closing quote may be a curly one, on its line
            start = text.rfind("\n", 0, exc.pos) + 1
            curly = max((text.rfind(q, start, exc.pos) for q in _CURLY), default=-1)
            curly = curly if curly >= 0 else None
        if curly is not None:
            line, column = _line_column(text, curly)
            return None, [
                Problem(
                    "$",
                    "curly_quotes",
                    f"Dòng {line}, cột {column} có dấu nháy cong {text[curly]} (Word và nhiều trình soạn thảo tự đổi "
                    "dấu nháy thẳng thành “ ” hoặc ‘ ’). Tên trường và giá trị chữ trong tệp JSON phải đặt trong dấu "
                    'nháy thẳng "…": hãy thay các dấu nháy cong bao quanh chúng (dấu nháy cong bên trong một giá trị '
                    "chữ thì giữ nguyên), hoặc soạn tệp bằng Notepad thay vì Word.",
                )
            ]
        what = next((vi for en, vi in _JSON_MESSAGES.items() if exc.msg.startswith(en)), exc.msg)
        if exc.pos >= len(text.rstrip()):
            return None, [_truncated(exc.lineno, exc.colno)]
        return None, [Problem("$", "json_syntax", f"Lỗi cú pháp JSON ở dòng {exc.lineno}, cột {exc.colno}: {what}.")]
    except _DuplicateKey as exc:
        return None, [_duplicate(exc.key)]
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
        f"Tệp {source} không được lưu bằng mã UTF-8 (chỗ không đọc được ở dòng {line}, cột {column}). "
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


# ---------------------------------------------------------------- a batch file read unit by unit

_CHUNK = 1 << 20  # characters decoded at a time
_WS = re.compile(r"[ \t\n\r]*")


class StreamError(Exception):
    """A batch file that cannot be read through: ``problem`` says why and where (line, column of the file)."""

    def __init__(self, problem: Problem):
        self.problem = problem


class _Text:
    """A UTF-8 file's text decoded as it is read; ``buf[pos:]`` is what is not consumed yet. Only the value
    being read is held (a batch of 10,000 units is never in memory whole)."""

    def __init__(self, f, source: str):
        self.f, self.source = f, source
        self.decoder = codecs.getincrementaldecoder("utf-8-sig")()
        self.buf, self.pos, self.eof = "", 0, False
        self.line, self.line_start = 1, 0  # of buf's first character: its line, and where that line starts
        # a position of buf already counted, its line and the last line break before it: each unit's place is
        # counted on from the one before (a file of one line or of 100,000 is read in linear time)
        self.mark, self.mark_line, self.mark_break = 0, 1, -1
        self.read_size = _CHUNK
        self.plain = json.JSONDecoder()  # duplicate keys are the reader of each value's business

    def more(self) -> bool:
        """Read a chunk more (a larger one each time while one value spans them); False at the end."""
        if self.eof:
            return False
        done = self.buf[: self.pos]
        newlines = done.count("\n")
        if newlines:
            self.line += newlines
            self.line_start = done.rfind("\n") + 1 - len(done)
        else:
            self.line_start -= len(done)
        self.buf, self.pos = self.buf[self.pos :], 0
        self.mark, self.mark_line, self.mark_break = 0, self.line, self.line_start - 1
        raw = self.f.read(self.read_size)
        try:
            self.buf += self.decoder.decode(raw, final=not raw)
        except UnicodeDecodeError as exc:
            line, _ = self.where(len(self.buf))
            raise StreamError(
                Problem(
                    "$",
                    "encoding",
                    f"Tệp {self.source} không được lưu bằng mã UTF-8 (chỗ không đọc được từ dòng {line}). "
                    "Hãy lưu lại tệp với mã hóa UTF-8.",
                )
            ) from exc
        self.eof = not raw
        return True

    def where(self, pos: int) -> tuple[int, int]:
        if pos >= self.mark:  # counted on from the last place asked: each character once
            self.mark_line += self.buf.count("\n", self.mark, pos)
            self.mark_break = max(self.mark_break, self.buf.rfind("\n", self.mark, pos))
            self.mark = pos
            return self.mark_line, pos - self.mark_break
        line = self.line + self.buf.count("\n", 0, pos)
        start = self.buf.rfind("\n", 0, pos)
        return line, pos - (start + 1 if start >= 0 else self.line_start) + 1

    def syntax(self, pos: int, what: str) -> StreamError:
        line, column = self.where(pos)
        return StreamError(Problem("$", "json_syntax", f"Lỗi cú pháp JSON ở dòng {line}, cột {column}: {what}."))

    def peek(self) -> str:
        """The next character that is not white space ("" at the end of the file)."""
        while True:
            self.pos = _WS.match(self.buf, self.pos).end()
            if self.pos < len(self.buf) or not self.more():
                return self.buf[self.pos : self.pos + 1]

    def expect(self, char: str, what: str) -> None:
        c = self.peek()
        if c != char:
            raise self.syntax(self.pos, what) if c else StreamError(_truncated(*self.where(self.pos)))
        self.pos += 1

    def value(self) -> tuple[object, str, tuple[int, int]]:
        """The next JSON value, its text and where it starts (line, column); more is read while the value runs
        past what has been read, up to the size of a file read whole."""
        self.peek()
        while True:
            try:
                value, end = self.plain.raw_decode(self.buf, self.pos)
            except json.JSONDecodeError as exc:
                # the value may go on past what is read: read more, as far as a unit may reach (so that a slip
                # near the start of a large file does not read all of it into memory)
                if len(self.buf) - self.pos <= limits.JSON_MAX_BYTES and self.more():
                    self.read_size = min(2 * self.read_size, limits.JSON_MAX_BYTES)
                    continue
                what = next((vi for en, vi in _JSON_MESSAGES.items() if exc.msg.startswith(en)), exc.msg)
                if exc.pos >= len(self.buf.rstrip()):
                    raise StreamError(_truncated(*self.where(exc.pos))) from None
                raise self.syntax(exc.pos, what) from None
            except (ValueError, RecursionError):  # a number too long, data too deep: the value's reader says where
                pass
            else:
                if end == len(self.buf) and self.more():  # a number may go on in the next chunk
                    continue
                if end - self.pos > limits.JSON_MAX_BYTES:
                    raise StreamError(_unit_too_large(self.source, self.where(self.pos)))
                self.read_size = _CHUNK
                start, text, self.pos = self.where(self.pos), self.buf[self.pos : end], end
                return value, text, start
            return None, self._raw_value(), self.where(self.pos)

    def _raw_value(self) -> str:
        """The text of a value Python refuses to build (a number of thousands of digits, nesting past its
        recursion limit): read to its end by counting brackets outside strings, for its reader to locate."""
        depth, in_string, escaped, i = 0, False, False, self.pos
        while True:
            if i >= len(self.buf):
                consumed = self.pos
                if not self.more():  # it keeps buf[pos:]: the index moves with it
                    raise StreamError(_truncated(*self.where(len(self.buf))))
                i -= consumed
                continue
            c = self.buf[i]
            i += 1
            if in_string:
                escaped, in_string = (False, True) if escaped else (c == "\\", c != '"')
            elif c == '"':
                in_string = True
            elif c in "[{":
                depth += 1
            elif c in "]}":
                depth -= 1
                if depth == 0:
                    break
            elif depth == 0 and c in ",]} \t\r\n":
                i -= 1
                break
            if i - self.pos > limits.JSON_MAX_BYTES:
                raise StreamError(_unit_too_large(self.source, self.where(self.pos)))
        text, self.pos = self.buf[self.pos : i], i
        return text


def _truncated(line: int, column: int) -> Problem:
    return Problem(
        "$",
        "truncated",
        f"Tệp kết thúc đột ngột ở dòng {line}, cột {column}: dữ liệu chưa đóng hết (thiếu dấu "
        "đóng “}”, “]” hoặc nháy kép). Có thể tệp bị cắt cụt khi sao chép hoặc chưa lưu xong.",
    )


def _duplicate(key: str) -> Problem:
    return Problem(
        "$",
        "duplicate_key",
        f"Trường “{key}” xuất hiện hai lần trong cùng một đối tượng; chỉ giữ một (nếu không, một giá trị sẽ bị mất).",
    )


def _unit_too_large(source: str, start: tuple[int, int]) -> Problem:
    return Problem(
        "$",
        "file_too_large",
        f"Một đơn vị trong tệp {source or 'dữ liệu'} (bắt đầu ở dòng {start[0]}, cột {start[1]}) quá lớn (tối đa "
        f"{limits.size_text(limits.JSON_MAX_BYTES)} mỗi đơn vị). Hãy chia đơn vị đó hoặc bớt dữ liệu của nó.",
    )


def stream_batch(path: str | Path, name: str | None = None):
    """A batch file read member by member, never whole: ``("member", key, value, start)`` for each member of
    the top object but ``don_vi``, ``("unit", index, text, start)`` for each element of ``don_vi`` (its JSON
    text, for :func:`parse_unit`; ``start``: its line and column in the file) and ``("listed", count, None,
    None)`` at the end of that list, then ``("end", count, None, None)``. A file whose top value is not an
    object yields ``("not_object", …)`` alone (the caller reads it whole and says what it is).
    :class:`StreamError` where the file stops being readable JSON."""
    path = Path(path)
    source = name or path.name
    with open(path, "rb") as f:
        t = _Text(f, source)
        if t.peek() != "{":
            yield "not_object", None, None, None
            return
        t.pos += 1
        seen: set = set()
        count = 0
        while t.peek() != "}":
            if seen:
                t.expect(",", _JSON_MESSAGES["Expecting ',' delimiter"])
            if t.peek() != '"':
                raise t.syntax(t.pos, _JSON_MESSAGES["Expecting property name enclosed in double quotes"])
            key, _, _ = t.value()
            if key in seen:
                raise StreamError(_duplicate(key))
            seen.add(key)
            t.expect(":", _JSON_MESSAGES["Expecting ':' delimiter"])
            if key == "don_vi" and t.peek() == "[":
                t.pos += 1
                while t.peek() != "]":
                    if count:
                        t.expect(",", _JSON_MESSAGES["Expecting ',' delimiter"])
                    _, text, start = t.value()
                    yield "unit", count, text, start
                    count += 1
                t.pos += 1
                yield "listed", count, None, None
                continue
            _, text, start = t.value()
            value, problems = parse_json(text, source)
            if problems:
                raise StreamError(relocate(problems[0], start))
            yield "member", key, value, start
        t.pos += 1
        if t.peek():
            raise t.syntax(t.pos, _JSON_MESSAGES["Extra data"])
        yield "end", count, None, None


_LINE_COLUMN = re.compile(r"dòng (\d+), cột (\d+)")


def relocate(problem: Problem, start: tuple[int, int], path: str = "$") -> Problem:
    """A problem :func:`parse_json` found in a value read on its own (a batch's unit), placed in the file:
    its line and column counted from where the value starts, its path under ``path``."""
    line0, col0 = start

    def shift(m: re.Match) -> str:
        line, column = int(m.group(1)), int(m.group(2))
        return f"dòng {line0 + line - 1}, cột {column + col0 - 1 if line == 1 else column}"

    at = path + problem.path[1:] if problem.path.startswith("$") else problem.path
    return dataclasses.replace(problem, path=at, message=_LINE_COLUMN.sub(shift, problem.message, count=1))


def parse_unit(text: str, source: str, start: tuple[int, int], path: str) -> tuple[object, list[Problem]]:
    """One unit of a batch file, read on its own with every check of a file read whole (:func:`parse_json`:
    duplicate keys, nesting, numbers, the data limits), its problems placed in the file and under ``path``."""
    value, problems = parse_json(text, source)
    return value, [relocate(p, start, path) for p in problems]
