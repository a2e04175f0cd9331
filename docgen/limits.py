"""Every limit docgen puts on its inputs, on templates and on the text they lay out, in one place, and the checks
that enforce the input limits where each input is read.

Every number a reader, the template sandbox or the web server stops at is here, with what the user is told when
it is hit. The numbers are far above what a real document needs (the 16-page plan is 79,000 characters of XML, a
decision for 25 members 39,000) and low enough that an input or a template written by mistake — or on purpose —
cannot take the machine. The input checks run before the expensive work: a file's size before it is read, a zip's
directory before anything is unpacked (the declared sizes bound what :mod:`zipfile` will ever unpack), JSON's
nesting right after parsing and before any recursive walk (normalisation, the text check, jsonschema, the kinds'
builders all recurse). An input limit hit is a :class:`LimitExceeded` (a stable English ``code`` and a Vietnamese
message) or, for data, a located :class:`~docgen.errors.Problem`; a template limit stops the render with a
Vietnamese message naming the template part and paragraph. README ("Limits", "Safety") lists them.
"""

from __future__ import annotations

import io
import math
import os
import struct
import zipfile
from pathlib import Path

from .errors import DocgenError, Problem, join_path

MB = 1024 * 1024

# ---------------------------------------------------------------- JSON data (docgen/io.py, and data given to the API)

JSON_MAX_BYTES = 16 * MB  # a batch of 5,000 members is about 5 MB
JSON_MAX_CONTAINERS = 500_000  # "{" and "[" in the file (each object costs memory); that batch has about 20,000
JSON_MAX_VALUES = 1_000_000  # values, counted as commas (text's own commas too); that batch has about 200,000
DATA_MAX_DEPTH = 40  # containers inside containers; the deepest outline a numbering scheme allows needs 22
TEXT_MAX_CHARS = 20_000  # one text value (one paragraph): about six printed pages
NUMBER_MAX_DIGITS = 15  # an integer longer than this is a typing slip (and past the exact range of a float)
PROBLEMS_MAX = 200  # problems said per document (schema, text); then "and more": each costs memory to find
# A batch file `docgen batch` reads unit by unit (docgen/batch/source.py): the limits above hold for each unit,
# these for the whole; its memory is that of the units in flight, its time grows with the units.
BATCH_MAX_BYTES = 512 * MB  # 10,000 chi bộ of 25 members are about 70 MB
BATCH_MAX_UNITS = 50_000  # units of one batch (a series' numbers run within 1–99,999)

# ---------------------------------------------------------------- zip packages (.xlsx read, .docx imported or uploaded)

ZIP_MAX_BYTES = 50 * MB  # the file as stored
ZIP_MAX_MEMBERS = 2_000  # parts inside it (a workbook or a document has a few dozen)
ZIP_MAX_UNPACKED = 100 * MB  # all parts together, unpacked
ZIP_MAX_MEMBER = 50 * MB  # one part, unpacked
ZIP_MAX_RATIO = 200  # unpacked / packed of a part larger than ZIP_RATIO_FROM (deflate's ceiling is about 1,030)
ZIP_RATIO_FROM = 1 * MB

# ---------------------------------------------------------------- Excel workbooks (docgen/xlsx/read.py)

SHEET_MAX_ROWS = 20_000  # rows of one sheet holding data (a đảng bộ of 20,000 members fits on one sheet)
SHEET_MAX_COLUMNS = 100  # columns with a header (a layout has at most 20)
BOOK_MAX_CELLS = 500_000  # filled cells read, all sheets together
BOOK_MAX_STRINGS_PART = 20 * MB  # xl/sharedStrings.xml, unpacked: read whole when the workbook opens

# ---------------------------------------------------------------- documents to import (docgen/importer.py)

IMPORT_MAX_BYTES = 50 * MB  # the file as stored (.docx or text)
IMPORT_MAX_PART = 10 * MB  # one XML part read (document, styles, numbering, notes): a 700-page text is about 5 MB
IMPORT_MAX_PARAGRAPHS = 20_000  # a plan has a few hundred
IMPORT_MAX_CHARS = 2_000_000  # text of all paragraphs: about 700 pages

# ---------------------------------------------------------------- the web page (docgen/web/)

WEB_MAX_UPLOAD = 10 * MB  # bytes per request (DOCGEN_MAX_UPLOAD_MB changes it)
WEB_BODY_GRACE = 10.0  # seconds a request body may take before the minimum rate applies
WEB_BODY_MIN_RATE = 20 * 1024  # bytes per second, on average since the request started, after the grace
WEB_MAX_UPLOADS = 16  # request bodies being received at once; more are refused at once
WEB_RENDER_SECONDS = 120.0  # one document: check, render and, when asked, PDF or preview
WEB_JOB_SECONDS = 1800.0  # one batch job, from its start
WEB_WORKER_MEMORY = 2048 * MB  # address space of one worker process (a render, a check, a batch job)
WEB_MAX_CONNECTIONS = 100  # connections and requests at once (uvicorn answers 503 past it)
WEB_SHUTDOWN_SECONDS = 3  # on SIGTERM/SIGINT, what requests under way get before they are cancelled

# ---------------------------------------------------------------- the warm LibreOffice (docgen/office.py)

# Ceilings for a hung soffice, not estimates: a start takes 2–5 s on a loaded machine, a document 0.1–2 s.
OFFICE_START_SECONDS = 90.0
OFFICE_DOCUMENT_SECONDS = 60.0  # one document, the wait for a free converter included
OFFICE_CONVERTERS = 2  # at most (and never more than the cores): each soffice holds 150–250 MB
OFFICE_DOCUMENTS_PER_CONVERTER = 500  # then it is replaced: a soffice running for long only grows
OFFICE_RETRY_START_SECONDS = 60.0  # after a failed start, the one-shot way is used this long before trying again


# ---------------------------------------------------------------- one render of a template (docgen.sandbox)

# Wall-clock seconds one document's template may run (all its parts together). The deterministic limits
# below normally stop a runaway template long before; this one also catches a slow machine's worst case.
TEMPLATE_SECONDS = 10.0
# Loop iterations plus calls (methods, filters; a macro call counts 10: it costs about that) per document.
TEMPLATE_STEPS = 1_000_000
# Items a single range() may have (Jinja's own sandbox allows the same, with an English message).
TEMPLATE_RANGE = 100_000
# The longest string, or the longest list, one operation of a template may make ("a" * n, join, center …).
TEMPLATE_VALUE_SIZE = 1_000_000
# Characters and list items a template may make in total per document: every value its operations
# produce plus everything it writes out. Bounds the memory a template can use (see README, "Safety").
TEMPLATE_PRODUCED = 20_000_000
# The largest integer a template may compute, in bits (2**64 is fine; 7**(10**8) is not).
TEMPLATE_INT_BITS = 4_096
# Macro calls (and recursive loops) nested inside each other.
TEMPLATE_CALL_DEPTH = 50

# Characters of XML between a tag's opening and closing delimiters (a tag Word split over a few runs spans
# a few hundred), and their sum over one part: docxtpl's preprocessing scans that far from every opening
# delimiter, so unclosed "{{" by the thousand would make it run for hours.
TEMPLATE_TAG_REACH = 20_000
TEMPLATE_TAG_SCAN = 2_000_000

# ---------------------------------------------------------------- a template file (docgen.package)

TEMPLATE_FILE_BYTES = 50 * 2**20  # the .docx itself
TEMPLATE_MEMBERS = 1_000  # files inside the .docx (a built-in template has 11)
TEMPLATE_UNPACKED_BYTES = 200 * 2**20  # all of them, unpacked (pictures included)
TEMPLATE_XML_PART_BYTES = 20 * 2**20  # one XML part, unpacked (a built-in template's largest is 12 KB)


class LimitExceeded(DocgenError):
    """An input is past one of the limits above; ``code`` is stable, the message Vietnamese."""

    def __init__(self, code: str, message: str):
        self.code, self.message = code, message
        super().__init__(message)

    def __reduce__(self):
        return (type(self), (self.code, self.message))


def size_text(n: int) -> str:
    """Bytes for people: ``1,2 GB``, ``50 MB``, ``64 KB`` (Vietnamese decimal comma)."""
    for unit, size in (("GB", 1024 * MB), ("MB", MB)):
        if n >= size:
            value = n / size
            text = f"{value:.1f}" if value < 10 and value != int(value) else f"{value:.0f}"
            return f"{text} {unit}".replace(".", ",")
    return f"{max(1, n // 1024)} KB"


def count_text(n: int) -> str:
    """``20.000``: thousands separated the Vietnamese way."""
    return f"{n:,}".replace(",", ".")


# ---------------------------------------------------------------- files


def check_file_size(path: str | Path, limit: int, name: str | None = None) -> int:
    """The size of ``path``; :class:`LimitExceeded` when it is over ``limit`` (before anything is read)."""
    size = os.stat(path).st_size
    if size > limit:
        raise LimitExceeded(
            "file_too_large",
            f"Tệp “{name or Path(path).name}” quá lớn ({size_text(size)}; tối đa {size_text(limit)}).",
        )
    return size


def read_limited(path: str | Path, limit: int, name: str | None = None) -> bytes:
    """The bytes of ``path`` when it holds at most ``limit`` (checked before reading, and while reading: the file
    may grow in between)."""
    check_file_size(path, limit, name)
    with open(path, "rb") as f:
        data = f.read(limit + 1)
    if len(data) > limit:
        check_file_size(path, limit, name)
        raise LimitExceeded("file_too_large", f"Tệp “{name or Path(path).name}” quá lớn (tối đa {size_text(limit)}).")
    return data


# ---------------------------------------------------------------- zip packages

_EOCD = b"PK\x05\x06"
_EOCD_SIZE = 22


def _directory_entries(f) -> int | None:
    """The number of entries the end-of-central-directory record declares (None when there is none: the zip
    is broken, and :mod:`zipfile` will say so). Read before :class:`zipfile.ZipFile` parses the directory,
    which costs about 500 bytes of memory per entry."""
    f.seek(0, io.SEEK_END)
    size = f.tell()
    f.seek(max(0, size - (_EOCD_SIZE + 0xFFFF)))
    tail = f.read()
    at = tail.rfind(_EOCD)
    if at < 0 or len(tail) - at < _EOCD_SIZE:
        return None
    _, _, _, _, entries, cd_size, _, _ = struct.unpack("<4s4H2LH", tail[at : at + _EOCD_SIZE])
    if entries == 0xFFFF or cd_size == 0xFFFFFFFF:  # ZIP64: more than 65,535 entries or a huge directory
        return 0xFFFF
    return max(entries, cd_size // 46)  # 46 bytes: the smallest directory entry


def open_zip(source: str | Path | bytes, name: str) -> zipfile.ZipFile:
    """Open a zip package (.xlsx, .docx) after checking it against the zip limits, from its directory only.

    Raises :class:`LimitExceeded` for a file, a part or a total past the limits, or a part that unpacks to
    far more than it takes (a "zip bomb"); :class:`zipfile.BadZipFile` when it is not a zip. The caller closes
    the returned :class:`~zipfile.ZipFile`."""
    if isinstance(source, bytes):
        if len(source) > ZIP_MAX_BYTES:
            raise LimitExceeded(
                "file_too_large", f"Tệp “{name}” quá lớn ({size_text(len(source))}; tối đa {size_text(ZIP_MAX_BYTES)})."
            )
        entries = _directory_entries(io.BytesIO(source))
    else:
        check_file_size(source, ZIP_MAX_BYTES, name)
        with open(source, "rb") as f:
            entries = _directory_entries(f)
    if entries is not None and entries > ZIP_MAX_MEMBERS:
        raise LimitExceeded(
            "zip_too_many_parts",
            f"Tệp “{name}” chứa quá nhiều phần bên trong (hơn {count_text(ZIP_MAX_MEMBERS)}); đây không phải một tệp "
            "Excel/Word bình thường. Hãy mở bằng Excel/Word rồi lưu lại.",
        )
    z = zipfile.ZipFile(io.BytesIO(source) if isinstance(source, bytes) else source)
    try:
        _check_members(z, name)
    except BaseException:
        z.close()
        raise
    return z


def _check_members(z: zipfile.ZipFile, name: str) -> None:
    infos = z.infolist()
    if len(infos) > ZIP_MAX_MEMBERS:
        raise LimitExceeded(
            "zip_too_many_parts", f"Tệp “{name}” chứa quá nhiều phần bên trong (hơn {count_text(ZIP_MAX_MEMBERS)})."
        )
    bomb = "có thể là tệp nén độc hại (“bom nén”); hãy mở bằng Excel/Word rồi lưu lại"
    for info in infos:
        if info.file_size > ZIP_MAX_MEMBER:
            raise LimitExceeded(
                "zip_too_large",
                f"Tệp “{name}” khi giải nén quá lớn: phần “{info.filename[:80]}” nở ra {size_text(info.file_size)} "
                f"(tối đa {size_text(ZIP_MAX_MEMBER)} mỗi phần) — {bomb}.",
            )
        if info.file_size > ZIP_RATIO_FROM and info.file_size > ZIP_MAX_RATIO * max(1, info.compress_size):
            ratio = info.file_size // max(1, info.compress_size)
            raise LimitExceeded(
                "zip_ratio",
                f"Tệp “{name}” khi giải nén quá lớn so với kích thước tệp: phần “{info.filename[:80]}” nở ra gấp "
                f"{count_text(ratio)} lần (tối đa {ZIP_MAX_RATIO} lần) — {bomb}.",
            )
    total = sum(i.file_size for i in infos)
    if total > ZIP_MAX_UNPACKED:
        raise LimitExceeded(
            "zip_too_large",
            f"Tệp “{name}” khi giải nén quá lớn ({size_text(total)}; tối đa {size_text(ZIP_MAX_UNPACKED)}) — {bomb}.",
        )


# ---------------------------------------------------------------- data


_ROOT = object()


def _is_str(value) -> bool:
    return isinstance(value, str)


_NUMBER_LIMIT = 10**NUMBER_MAX_DIGITS
_INF = float("inf")


def data_problems(data, root: str = "$") -> list[Problem]:
    """Every value of JSON-like ``data`` past the data limits, located: nesting deeper than
    :data:`DATA_MAX_DEPTH` (said once, at the first place), text longer than :data:`TEXT_MAX_CHARS`, numbers
    that are too long or not finite. Iterative (safe on data of any depth), in memory proportional to the
    depth (a value's path is spelled out only when it has a problem), one tight loop (it sees every value)."""
    problems: list[Problem] = []
    keys: list = []  # the keys from the root down to the container being walked
    stack: list = []  # an iterator over each open container's (key, value) pairs
    too_deep = False

    def path(key=_ROOT) -> str:
        out = root
        for k in keys + ([] if key is _ROOT else [key]):
            out = join_path(out, k if isinstance(k, int) else str(k))
        return out

    def check(value, key=_ROOT) -> None:  # a value that is not a container
        if isinstance(value, str):
            if len(value) > TEXT_MAX_CHARS:
                problems.append(_long_text(path(key), value, "Đoạn văn bản"))
        elif isinstance(value, float):
            if not math.isfinite(value):
                problems.append(_bad_number(path(key), str(value)))
        elif isinstance(value, int) and not isinstance(value, bool) and abs(value) >= _NUMBER_LIMIT:
            problems.append(_bad_number(path(key), str(value)))

    def open_container(value) -> None:
        if isinstance(value, dict):
            if max(map(len, filter(_is_str, value)), default=0) > TEXT_MAX_CHARS:  # rare: then say which
                problems.extend(
                    _long_text(path(k[:40] + "…"), k, "Tên trường")
                    for k in value
                    if isinstance(k, str) and len(k) > TEXT_MAX_CHARS
                )
            stack.append(iter(value.items()))
        else:
            stack.append(enumerate(value))

    if isinstance(data, (dict, list, tuple)):
        open_container(data)
    else:
        check(data)
    while stack:
        for key, value in stack[-1]:
            kind = type(value)
            if kind is str:  # the common cases are checked here, without a call
                if len(value) > TEXT_MAX_CHARS:
                    problems.append(_long_text(path(key), value, "Đoạn văn bản"))
            elif kind is int:
                if value >= _NUMBER_LIMIT or value <= -_NUMBER_LIMIT:
                    problems.append(_bad_number(path(key), str(value)))
            elif kind is float:
                if value != value or value in (_INF, -_INF):
                    problems.append(_bad_number(path(key), str(value)))
            elif kind is dict or kind is list or isinstance(value, (dict, list, tuple)):
                if len(stack) >= DATA_MAX_DEPTH:
                    if not too_deep:
                        too_deep = True
                        problems.append(_too_deep(path(key)))
                    continue
                keys.append(key)
                open_container(value)
                break  # walk the child; this container's iterator resumes after it
            elif kind is not bool and value is not None:
                check(value, key)
        else:  # this container is done
            stack.pop()
            if keys:
                keys.pop()
    return problems


def _too_deep(path: str) -> Problem:
    return Problem(
        path,
        "too_deep",
        f"Dữ liệu lồng nhau quá sâu (quá {DATA_MAX_DEPTH} tầng đối tượng/danh sách lồng nhau); không văn bản nào "
        "cần sâu như vậy — hãy kiểm tra lại cấu trúc ở chỗ này.",
    )


def _long_text(path: str, text: str, what: str) -> Problem:
    return Problem(
        path,
        "text_too_long",
        f"{what} dài {count_text(len(text))} ký tự, quá giới hạn {count_text(TEXT_MAX_CHARS)} ký tự (khoảng sáu "
        f"trang in); hãy chia thành nhiều đoạn. Bắt đầu bằng: “{text[:40]}…”.",
    )


def _bad_number(path: str, text: str) -> Problem:
    if text.lstrip("-") == "nan":
        what = "NaN không phải một số (JSON không có NaN hay Infinity)"
    elif text.lstrip("-") == "inf":
        what = "Infinity (hoặc một số quá lớn như 1e999) không dùng được"
    elif text.lstrip("-").isdigit():
        shown = text if len(text) <= 30 else f"{text[:20]}… ({count_text(len(text.lstrip('-')))} chữ số)"
        what = f"số {shown} quá lớn (tối đa {NUMBER_MAX_DIGITS} chữ số)"
    else:
        what = f"số {text[:30]} quá lớn"
    return Problem(path, "number_too_large", f"Giá trị {what}.")
