"""Hostile inputs for the reader limits, and the peak memory of a child process that reads one.

Used by the tests (tests/test_limits.py) and by benchmarks/bombs.py, which prints the numbers. Each builder
writes a file and returns its path; every file is a real, well-formed package or text — only too big, too
many or too deep.
"""

from __future__ import annotations

import io
import os
import re
import resource
import signal
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

from docgen import kinds
from docgen.xlsx import columns
from docgen.xlsx.write import build_workbook

QD = "quyet_dinh_xep_loai"
MB = 1024 * 1024
DOCGEN = [sys.executable, "-m", "docgen.cli"]


# ---------------------------------------------------------------- measuring a child


@dataclass
class Run:
    returncode: int | None  # None: killed at the timeout
    peak_mb: float  # the child's peak resident memory (ru_maxrss)
    seconds: float
    stdout: str
    stderr: str


def peak_rss(
    args: list[str], timeout: float, cwd: str | Path | None = None, env: dict | None = None, cap: int | None = None
) -> Run:
    """Run ``args``; its exit status, peak RSS (from ``wait4``'s rusage of that very child), time and output.
    ``cap``: bytes of address space the child may take (to measure code without limits safely)."""

    def limit():
        if cap:
            resource.setrlimit(resource.RLIMIT_AS, (cap, cap))

    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.monotonic()
        proc = subprocess.Popen(
            args, stdout=out, stderr=err, stdin=subprocess.DEVNULL, cwd=cwd, env=env, preexec_fn=limit
        )
        killed = threading.Event()

        def kill():
            killed.set()
            proc.send_signal(signal.SIGKILL)

        timer = threading.Timer(timeout, kill)
        timer.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            timer.cancel()
        proc.returncode = os.waitstatus_to_exitcode(status)
        seconds = time.monotonic() - start
        out.seek(0)
        err.seek(0)
        return Run(
            None if killed.is_set() else proc.returncode,
            usage.ru_maxrss / 1024,  # KB on Linux
            seconds,
            out.read().decode("utf-8", "replace"),
            err.read().decode("utf-8", "replace"),
        )


# ---------------------------------------------------------------- workbooks


def _sheet_part(book: bytes, sheet: str) -> str:
    """The zip member holding ``sheet`` of a workbook written by docgen."""
    z = zipfile.ZipFile(io.BytesIO(book))
    workbook = z.read("xl/workbook.xml").decode("utf-8")
    rels = z.read("xl/_rels/workbook.xml.rels").decode("utf-8")
    rid = re.search(rf'<sheet[^>]*name="{re.escape(sheet)}"[^>]*r:id="([^"]+)"', workbook).group(1)
    target = re.search(rf'<Relationship[^>]*Id="{rid}"[^>]*Target="([^"]+)"', rels) or re.search(
        rf'<Relationship[^>]*Target="([^"]+)"[^>]*Id="{rid}"', rels
    )
    return "xl/" + target.group(1).lstrip("/").removeprefix("xl/")


def _members_header() -> str:
    headers = [c.header for c in kinds.get(QD).batch.workbook.members]
    cells = "".join(f'<c r="{_column(i)}1" t="inlineStr"><is><t>{h}</t></is></c>' for i, h in enumerate(headers, 1))
    return f'<row r="1">{cells}</row>'


def _column(n: int) -> str:
    out = ""
    while n:
        n, r = divmod(n - 1, 26)
        out = chr(65 + r) + out
    return out


_SHEET_NS = b"http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_SHEET_HEAD = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
)
_SHEET_TAIL = "</sheetData></worksheet>"


def workbook_with_members(path: Path, write_rows) -> Path:
    """docgen's own QĐ workbook with its "Đảng viên" sheet replaced: the header row, then what ``write_rows(out)``
    writes (``out.write(str)``), streamed into the zip so that huge sheets cost no memory to build."""
    book = build_workbook(QD)
    part = _sheet_part(book, columns.MEMBERS)
    src = zipfile.ZipFile(io.BytesIO(book))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            if info.filename != part:
                z.writestr(info, src.read(info.filename))
                continue
            target = zipfile.ZipInfo(part, date_time=info.date_time)
            target.compress_type = zipfile.ZIP_DEFLATED
            with z.open(target, "w", force_zip64=True) as raw:
                out = io.TextIOWrapper(raw, encoding="utf-8", write_through=False)
                out.write(_SHEET_HEAD + _members_header())
                write_rows(out)
                out.write(_SHEET_TAIL)
                out.flush()
                out.detach()
    return path


def xlsx_bomb(path: Path, unpacked: int = 1260 * MB) -> Path:
    """About 1.25 MB that unpacks to ``unpacked`` bytes: one member whose name is a huge run of one letter."""
    chunk = "A" * MB

    def rows(out):
        out.write('<row r="2"><c r="B2" t="inlineStr"><is><t>')
        for _ in range(unpacked // MB):
            out.write(chunk)
        out.write("</t></is></c></row>")

    return workbook_with_members(path, rows)


def xlsx_rows(path: Path, rows: int, columns: int = 1) -> Path:
    """``rows`` filled rows on "Đảng viên" (``columns`` numeric cells each, from column B)."""

    def write(out):
        letters = [_column(c) for c in range(2, 2 + columns)]
        for r in range(2, rows + 2):
            out.write(f'<row r="{r}">' + "".join(f'<c r="{col}{r}"><v>1</v></c>' for col in letters) + "</row>")

    return workbook_with_members(path, write)


def xlsx_strings(path: Path, rows: int, columns: int, strings: int) -> Path:
    """``rows`` rows of ``columns`` cells, each naming one of ``strings`` distinct shared strings (Excel's own way
    of storing text, read whole when the workbook opens)."""

    def write(out):
        letters = [_column(c) for c in range(2, 2 + columns)]
        k = 0
        for r in range(2, rows + 2):
            cells = []
            for col in letters:
                k = (k + 1) % strings
                cells.append(f'<c r="{col}{r}" t="s"><v>{k}</v></c>')
            out.write(f'<row r="{r}">' + "".join(cells) + "</row>")

    plain = workbook_with_members(path.with_suffix(".tmp"), write)
    src = zipfile.ZipFile(plain)
    rel = (
        b'<Relationship Id="rIdS" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        b'sharedStrings" Target="sharedStrings.xml"/></Relationships>'
    )
    kind = (
        b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.'
        b'spreadsheetml.sharedStrings+xml"/></Types>'
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name in src.namelist():
            data = src.read(name)
            if name == "xl/_rels/workbook.xml.rels":
                data = data.replace(b"</Relationships>", rel)
            elif name == "[Content_Types].xml":
                data = data.replace(b"</Types>", kind)
            z.writestr(name, data)
        with z.open("xl/sharedStrings.xml", "w") as raw:
            raw.write(b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="' + _SHEET_NS + b'">')
            for n in range(0, strings, 1000):
                raw.write("".join(f"<si><t>N{i}</t></si>" for i in range(n, min(n + 1000, strings))).encode())
            raw.write(b"</sst>")
    plain.unlink()
    return path


# ---------------------------------------------------------------- documents to import

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
    'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="word/document.xml"/></Relationships>'
)


def docx_with_body(path: Path, write_body) -> Path:
    """A minimal .docx whose body is what ``write_body(out)`` writes, streamed into the zip."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", _CONTENT_TYPES)
        z.writestr("_rels/.rels", _RELS)
        with z.open("word/document.xml", "w", force_zip64=True) as raw:
            out = io.TextIOWrapper(raw, encoding="utf-8")
            out.write(f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{_W}"><w:body>')
            write_body(out)
            out.write("</w:body></w:document>")
            out.flush()
            out.detach()
    return path


def docx_bomb(path: Path, unpacked: int = 1024 * MB) -> Path:
    """A .docx of about a megabyte whose document part unpacks to ``unpacked`` bytes of one-letter paragraphs."""
    para = "<w:p><w:r><w:t>a</w:t></w:r></w:p>"
    block = para * (MB // len(para))
    return docx_with_body(path, lambda out: [out.write(block) for _ in range(unpacked // len(block))])


def docx_paragraphs(path: Path, count: int, text: str = "Nội dung đoạn văn.") -> Path:
    para = f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>"
    return docx_with_body(path, lambda out: [out.write(para) for _ in range(count)])


# ---------------------------------------------------------------- JSON


def json_file(path: Path, head: bytes, item: bytes, tail: bytes, size: int) -> Path:
    """``head`` + ``item`` repeated to reach ``size`` bytes + ``tail``."""
    with open(path, "wb") as f:
        f.write(head)
        count = max(1, (size - len(head) - len(tail)) // len(item))
        block = item * min(count, 1 << 16)
        written = 0
        while written + (1 << 16) <= count:
            f.write(block)
            written += 1 << 16
        f.write(item * (count - written))
        f.write(tail)
    return path


# ---------------------------------------------------------------- the set, as the tests and the benchmark use it


@dataclass
class Bomb:
    name: str
    build: object  # (folder) -> path
    args: list  # the docgen command, with {} for the path
    code: str  # the problem code the refusal carries


def deep_json(path: Path, depth: int = 100_000) -> Path:
    path.write_bytes(b'{"trich_yeu": ' + b"[" * depth + b"]" * depth + b"}")
    return path


def big_json(path: Path, size: int) -> Path:
    """``size`` bytes of paragraphs of 2 KB each."""
    return json_file(path, b'{"noi_dung": [', b'"' + b"Doan van ban dai. " * 113 + b'",', b'"x"]}', size)


def values_json(path: Path, count: int) -> Path:
    return json_file(path, b'{"noi_dung": [', b"0,", b"0]}", 2 * count)


BOMBS = [
    Bomb(
        "xlsx: 1.3 MB unpacking to 1.3 GB",
        lambda d: xlsx_bomb(d / "bom.xlsx"),
        ["validate", QD, "{}", "--json"],
        "zip_too_large",
    ),
    Bomb(
        "xlsx: a million filled rows",
        lambda d: xlsx_rows(d / "trieu_dong.xlsx", 1_000_000),
        ["validate", QD, "{}", "--json"],
        "sheet_too_many_rows",
    ),
    Bomb(
        "docx to import: 3 MB unpacking to 1 GB",
        lambda d: docx_bomb(d / "bom.docx"),
        ["import", "ke_hoach", "{}", "-o", "ra.json"],
        "bom nén",
    ),
    Bomb(
        "json: 20 MB",
        lambda d: big_json(d / "lon.json", 20 * MB),
        ["validate", "ke_hoach", "{}", "--json"],
        "file_too_large",
    ),
    Bomb(
        "json: nested 100,000 deep",
        lambda d: deep_json(d / "sau.json"),
        ["validate", "ke_hoach", "{}", "--json"],
        "too_deep",
    ),
    Bomb(
        "json: 2 million values",
        lambda d: values_json(d / "nhieu.json", 2_000_000),
        ["validate", "ke_hoach", "{}", "--json"],
        "too_many_values",
    ),
]


def run_bomb(bomb: Bomb, folder: Path, timeout: float = 300, env=None, cap=None) -> tuple[Path, Run]:
    path = bomb.build(folder)
    args = [a.replace("{}", str(path)) for a in bomb.args]
    return path, peak_rss(DOCGEN + args, timeout, cwd=folder, env=env, cap=cap)
