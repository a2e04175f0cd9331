"""What keeps the page safe: who may call it, how much may be sent, what an upload may be, where it lives.

- **Access.** ``Host`` is parsed strictly (``name[:port]`` or ``[IPv6][:port]``, a numeric port, nothing
  else). Bound to a loopback address, the server answers only requests whose ``Host`` is a loopback name (a
  web site cannot reach it through DNS rebinding). Bound to any other address it needs a token, and every
  request must carry it in the ``X-Docgen-Token`` header (the page's first load may give it as ``?token=``);
  compared in constant time.
- **Other sites.** A request that changes something (every method but GET, HEAD, OPTIONS) must come from
  the page itself: its ``Origin`` (sent by browsers on every such request), else its ``Sec-Fetch-Site``,
  else its ``Referer`` must name this server; a page on another site cannot make the browser start renders
  or jobs (cross-site request forgery). A request carrying none of them comes from a program, not a page.
- **Size and time.** A request body larger than the limit is refused with 413 before it is read
  (Content-Length) or as soon as the limit is passed (chunked); each uploaded file is counted again while
  it is saved. A body must arrive at an average of :data:`~docgen.limits.WEB_BODY_MIN_RATE` after a grace
  of :data:`~docgen.limits.WEB_BODY_GRACE` seconds, or it is cut (408), and at most
  :data:`~docgen.limits.WEB_MAX_UPLOADS` bodies are received at once (more: 503): slow clients cannot hold
  the server.
- **Type.** What a file *is* is decided by its bytes, not its name: JSON must parse, an Excel workbook
  must be a zip holding ``xl/workbook.xml``, a Word template a zip holding ``word/document.xml``; a zip
  past the library's zip limits (:func:`docgen.limits.open_zip`: sizes and ratio read from its directory)
  is refused before anything is unpacked.
- **Place.** Nothing uploaded is executed, and no name from the client becomes a path: every request
  works in a fresh temporary folder (:class:`Workspace`) under fixed file names, removed when done.
"""

from __future__ import annotations

import asyncio
import ipaddress
import os
import re
import secrets
import shutil
import tempfile
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from fastapi import HTTPException
from starlette.datastructures import Headers, QueryParams
from starlette.responses import HTMLResponse, JSONResponse

from .. import limits
from ..errors import Problem
from ..io import parse_json

TOKEN_HEADER = "X-Docgen-Token"
DEFAULT_MAX_UPLOAD = limits.WEB_MAX_UPLOAD
MULTIPART_MARGIN = 64 * 1024  # form fields and part headers around the files of one request
LOOPBACK_NAMES = {"localhost", "127.0.0.1", "::1"}
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}

JSON, XLSX, DOCX, TEXT = "json", "xlsx", "docx", "text"
_FIXED_NAMES = {JSON: "du_lieu.json", XLSX: "du_lieu.xlsx", DOCX: "mau.docx", TEXT: "van_ban.txt"}
_WHAT = {
    JSON: "tệp dữ liệu JSON",
    XLSX: "sổ Excel (.xlsx)",
    DOCX: "tệp Word (.docx)",
    TEXT: "tệp chữ (.txt, chữ chép từ bản PDF)",
}
_WANTED = {DOCX: "mẫu Word (.docx)"}  # where a .docx is asked for by default: a template variant
# Magic numbers of files people pick by mistake, with what to say about them.
_MAGIC = [
    (b"\x89PNG", "một ảnh PNG"),
    (b"\xff\xd8\xff", "một ảnh JPEG"),
    (b"GIF8", "một ảnh GIF"),
    (b"%PDF", "một tệp PDF"),
    (
        b"\xd0\xcf\x11\xe0",
        "tệp Office đời cũ (.xls hoặc .doc 97-2003): hãy mở bằng Excel/Word và lưu lại dạng .xlsx/.docx",
    ),
    (b"Rar!", "một tệp nén RAR"),
    (b"7z\xbc\xaf", "một tệp nén 7z"),
]


def is_loopback(host: str) -> bool:
    host = host.strip("[]")
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True)
class Settings:
    """How the app is set up. ``token`` None: no token asked (only for a loopback address)."""

    token: str | None = None
    host: str = "127.0.0.1"
    max_upload: int = DEFAULT_MAX_UPLOAD
    job_ttl: float = 3600.0  # seconds a finished job's files are kept
    max_jobs: int = 8  # jobs waiting or running at once
    work_dir: Path | None = None  # where the temporary folders go (default: the system's temp folder)
    body_grace: float = limits.WEB_BODY_GRACE
    body_min_rate: float = limits.WEB_BODY_MIN_RATE
    max_uploads: int = limits.WEB_MAX_UPLOADS
    render_timeout: float = limits.WEB_RENDER_SECONDS
    job_timeout: float = limits.WEB_JOB_SECONDS
    worker_memory: int | None = limits.WEB_WORKER_MEMORY

    @property
    def max_body(self) -> int:
        return self.max_upload + MULTIPART_MARGIN


# ---------------------------------------------------------------- errors the page shows


class WebError(HTTPException):
    """An answer with a Vietnamese ``detail`` and, where the data is at fault, its problems."""

    def __init__(self, status: int, detail: str, problems: list | None = None, headers: dict | None = None):
        super().__init__(status_code=status, detail=detail, headers=headers)
        self.problems = problems or []

    def __reduce__(self):  # picklable: raised in a worker process, answered by the server
        return (type(self), (self.status_code, self.detail, self.problems, self.headers))


def error_body(detail: str, problems=()) -> dict:
    return {"detail": detail, "problems": [p.as_dict() if isinstance(p, Problem) else p for p in problems]}


def too_large(limit: int) -> WebError:
    return WebError(413, f"Tệp tải lên quá lớn: tối đa {_size(limit)} mỗi lần gửi.")


def _size(n: int) -> str:
    return limits.size_text(n)


_CLOSE = {"Connection": "close"}  # the rest of a cut body is not read: the connection ends with the answer


# ---------------------------------------------------------------- the guard in front of every request


class Guard:
    """ASGI middleware: host, token, origin and body checks (size, rate, how many at once), before anything
    else runs."""

    def __init__(self, app, settings: Settings):
        self.app, self.settings = app, settings
        self.token = settings.token.encode("utf-8") if settings.token else None
        self.hosts = LOOPBACK_NAMES | {settings.host.strip("[]")}
        self.uploading = 0  # bodies being received now (the event loop's thread only: no lock)

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        send = _with_safety_headers(send, scope["path"])
        headers = Headers(scope=scope)
        refusal = self._refusal(scope, headers)
        if refusal is not None:
            return await refusal(scope, receive, send)
        limit = self.settings.max_body
        length = headers.get("content-length")
        if length is not None and (not length.isdigit() or int(length) > limit):
            return await _answer(too_large(self.settings.max_upload), scope, receive, send)
        if not _has_body(scope, headers, length):
            return await self.app(scope, receive, send)
        if self.uploading >= self.settings.max_uploads:
            busy = WebError(
                503,
                "Máy chủ đang nhận quá nhiều tệp cùng lúc; hãy thử lại sau ít giây.",
                headers={**_CLOSE, "Retry-After": "5"},
            )
            return await _answer(busy, scope, receive, send)
        self.uploading += 1
        receiving = True
        seen, start = 0, time.monotonic()
        grace, rate = self.settings.body_grace, self.settings.body_min_rate

        def done() -> None:
            nonlocal receiving
            if receiving:
                receiving = False
                self.uploading -= 1

        async def guarded():
            nonlocal seen
            if not receiving:  # the body is in: later calls wait for the client to leave, for as long as it takes
                return await receive()
            allowed = start + grace + seen / rate - time.monotonic()  # the average rate, given the bytes so far
            try:
                if allowed <= 0:
                    raise asyncio.TimeoutError
                message = await asyncio.wait_for(receive(), allowed)
            except asyncio.TimeoutError:
                done()
                raise WebError(
                    408,
                    f"Tệp gửi lên quá chậm (dưới {_size(int(rate))}/giây) nên máy chủ đã dừng nhận; hãy gửi lại.",
                    headers=_CLOSE,
                ) from None
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    done()
                    raise too_large(self.settings.max_upload)
                if not message.get("more_body", False):
                    done()
            else:  # the client left
                done()
            return message

        try:
            return await self.app(scope, guarded, send)
        finally:
            done()

    def _refusal(self, scope, headers: Headers):
        host = parse_host(headers.get("host", ""))
        if host is None:
            return JSONResponse(
                error_body("Yêu cầu có tên máy (Host) không hợp lệ; hãy mở trang bằng địa chỉ máy chủ đã cho."), 400
            )
        if self.token is None and host[0] not in self.hosts:
            return JSONResponse(
                error_body(
                    f"Trang này chỉ mở được bằng địa chỉ http://127.0.0.1:… trên chính "
                    f"máy chủ (tên máy “{host[0][:60]}” không được chấp nhận)."
                ),
                400,
            )
        if scope["method"] not in SAFE_METHODS:
            other = _other_site(scope, headers, host)
            if other is not None:
                return JSONResponse(
                    error_body(
                        f"Yêu cầu này đến từ một trang web khác (“{other[:80]}”) nên bị từ chối: chỉ chính trang "
                        "của máy chủ này được gửi dữ liệu và tạo văn bản."
                    ),
                    403,
                )
        if self.token is None:
            return None
        given = headers.get(TOKEN_HEADER)
        if given is None and scope["path"] == "/" and scope["method"] in ("GET", "HEAD"):
            given = QueryParams(scope.get("query_string", b"").decode("latin-1")).get("token")
        if given is None:
            if scope["path"] == "/":
                return HTMLResponse(_NEED_TOKEN_PAGE, 401)
            return JSONResponse(error_body("Cần mã truy cập (gửi trong tiêu đề X-Docgen-Token)."), 401)
        if not secrets.compare_digest(given.encode("utf-8", "surrogateescape"), self.token):
            return JSONResponse(error_body("Mã truy cập không đúng."), 403)
        return None


def _has_body(scope, headers: Headers, length: str | None) -> bool:
    if length is not None:
        return int(length) > 0
    return "transfer-encoding" in headers or scope["method"] not in SAFE_METHODS


async def _answer(error: WebError, scope, receive, send) -> None:
    await JSONResponse(error_body(error.detail), error.status_code, headers=error.headers)(scope, receive, send)


# ---------------------------------------------------------------- host and origin

# name[:port] or [IPv6][:port]: letters, digits, dots and hyphens; nothing else ("user@", paths, spaces).
_HOST = re.compile(
    r"(?:\[(?P<ip6>[0-9A-Fa-f:.]+)\]|(?P<name>[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?))(?::(?P<port>[0-9]{1,5}))?"
)
_DEFAULT_PORTS = {"http": 80, "https": 443}


def parse_host(value: str) -> tuple[str, int | None] | None:
    """``(name, port)`` of a ``Host`` header (name lower-cased, IPv6 without brackets); None when it is not
    exactly ``name[:port]`` with a port from 1 to 65535."""
    m = _HOST.fullmatch(value or "")
    if m is None:
        return None
    port = int(m.group("port")) if m.group("port") else None
    if port is not None and not 0 < port < 65536:
        return None
    name = m.group("ip6") or m.group("name")
    if m.group("ip6"):
        try:
            ipaddress.IPv6Address(name)
        except ValueError:
            return None
    return name.lower(), port


def _other_site(scope, headers: Headers, host: tuple[str, int | None]) -> str | None:
    """What names another site as the sender of a state-changing request, or None when it is this page (or a
    program: browsers always send ``Origin`` with such requests, so one without any of the three is no page)."""
    scheme = scope.get("scheme", "http")
    own = (scheme, host[0], host[1] or _DEFAULT_PORTS.get(scheme))
    origin = headers.get("origin")
    if origin is not None:
        return None if _origin_of(origin) == own else origin
    site = headers.get("sec-fetch-site")
    if site is not None:
        return None if site in ("same-origin", "none") else f"Sec-Fetch-Site: {site}"
    referer = headers.get("referer")
    if referer:
        return None if _origin_of(referer) == own else referer
    return None


def _origin_of(url: str) -> tuple | None:
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    if not parts.hostname or parts.username is not None or parts.password is not None:
        return None
    return parts.scheme, parts.hostname.lower(), port or _DEFAULT_PORTS.get(parts.scheme)


_SAFETY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-resource-policy", b"same-origin"),
]


def _with_safety_headers(send, path: str):
    """Headers for every answer: no sniffing of types, no referrer (the page's address may hold the token),
    no framing; and nothing of the API kept in a cache."""
    extra = _SAFETY_HEADERS + ([(b"cache-control", b"no-store")] if path.startswith("/api/") or path == "/" else [])

    async def sending(message):
        if message["type"] == "http.response.start":
            names = {k.lower() for k, _ in message.get("headers", [])}
            message = {**message, "headers": [*message.get("headers", []), *(h for h in extra if h[0] not in names)]}
        await send(message)

    return sending


_NEED_TOKEN_PAGE = """<!doctype html><html lang="vi"><meta charset="utf-8"><title>Cần mã truy cập</title>
<body style="font-family:sans-serif;max-width:40em;margin:3em auto">
<h1>Cần mã truy cập</h1>
<p>Máy chủ này được mở cho các máy khác nên cần mã truy cập. Hãy mở địa chỉ có kèm mã mà người quản trị đã
cho, dạng <code>http://địa-chỉ:cổng/?token=MÃ</code>.</p></body></html>"""


# ---------------------------------------------------------------- temporary folders


class Workspace:
    """A fresh private folder for one request or one job; ``remove()`` deletes it and everything in it."""

    def __init__(self, root: Path, prefix: str):
        root.mkdir(parents=True, exist_ok=True)
        self.path = Path(tempfile.mkdtemp(prefix=prefix, dir=root))  # mode 0700, a random name

    def remove(self) -> None:
        shutil.rmtree(self.path, ignore_errors=True)

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc_type is not None:  # on success the response removes it once sent (a background task)
            self.remove()
        return False


# ---------------------------------------------------------------- uploads


@dataclass(frozen=True)
class Upload:
    type: str  # JSON, XLSX or DOCX
    path: Path  # inside the workspace, under a fixed name
    name: str  # the name the user gave, for messages and download names only
    data: object = None  # the parsed JSON


def safe_display_name(name: str | None) -> str:
    """The client's file name reduced to something harmless to show: last component, no control characters."""
    name = re.split(r"[\\/]", name or "")[-1]
    name = "".join(c for c in name if c.isprintable())[:120]
    return name or "tệp tải lên"


def save_upload(
    upload,
    workspace: Workspace,
    accept: set[str],
    settings: Settings,
    hints: dict[str, str] | None = None,
    wanted: str | None = None,
) -> Upload:
    """Copy an uploaded file into the workspace (counting its size), decide what it is, check it is one of
    ``accept``; raise :class:`WebError` (413, 415, 400) otherwise, the refusal of a file of type ``t`` ending
    with ``hints[t]`` (what to do with such a file instead); ``wanted``: what the refusal says is needed
    (default: the types accepted, a .docx as a template).

    ``TEXT`` in ``accept``: a document to import, whose reader decides what its bytes are (a text in any
    encoding, or a PDF, an image … refused with what to do): anything that is not a zip or JSON data is TEXT."""
    name = safe_display_name(getattr(upload, "filename", None))
    staging = workspace.path / "tai_len.tmp"
    size = 0
    with open(staging, "wb") as out:
        while chunk := upload.file.read(1 << 16):
            size += len(chunk)
            if size > settings.max_upload:
                raise too_large(settings.max_upload)
            out.write(chunk)
    if size == 0:
        raise WebError(400, f"Tệp “{name}” rỗng.")
    kind, data = _identify(staging, name, settings, TEXT in accept)
    if kind not in accept:
        wanted = wanted or " hoặc ".join(_WANTED.get(k, _WHAT[k]) for k in sorted(accept))
        hint = (hints or {}).get(kind, "")
        raise WebError(415, f"Tệp “{name}” là {_WHAT[kind]}, nhưng ở đây cần {wanted}." + (f" {hint}" if hint else ""))
    target = workspace.path / _FIXED_NAMES[kind]
    os.replace(staging, target)
    return Upload(kind, target, name, data)


def _identify(path: Path, name: str, settings: Settings, text: bool = False) -> tuple[str, object]:
    suffix = os.path.splitext(name)[1].lower()
    with open(path, "rb") as f:
        head = f.read(8)
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return _identify_zip(path, name, settings), None
    if text:  # JSON data is said to be data; anything else is for the reader to judge
        if head.lstrip()[:1] in (b"{", b"["):
            data, problems = parse_json(path.read_bytes(), f"“{name}”")
            if not problems:
                return JSON, data
        return TEXT, None
    if suffix in (".xlsx", ".xlsm", ".docx", ".zip"):
        raise WebError(
            415,
            f"Tệp “{name}” có đuôi {suffix} nhưng không phải tệp {suffix[1:].upper()} thật "
            "(nội dung không phải tệp nén của Office). Hãy mở bằng Excel/Word rồi lưu lại.",
        )
    for magic, what in _MAGIC:
        if head.startswith(magic):
            raise WebError(415, f"Tệp “{name}” là {what}, không phải tệp JSON, Excel (.xlsx) hay Word (.docx).")
    data, problems = parse_json(path.read_bytes(), f"“{name}”")
    if problems and problems[0].code in _NOT_JSON:
        raise WebError(400, f"Tệp “{name}” không phải JSON hợp lệ: {problems[0].message}", problems)
    if problems:  # well-formed, but past the data limits (nesting, text, numbers)
        raise WebError(422, f"Tệp “{name}” có dữ liệu vượt giới hạn: {problems[0].message}", problems)
    return JSON, data


_NOT_JSON = {"json_syntax", "truncated", "encoding", "duplicate_key"}


def _identify_zip(path: Path, name: str, settings: Settings) -> str:
    try:
        with limits.open_zip(path, name) as z:  # the library's zip limits, from the directory only
            names = {i.filename for i in z.infolist()}
    except limits.LimitExceeded as exc:
        raise WebError(413, exc.message, [Problem("$", exc.code, exc.message, f"Tệp {name}")]) from None
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise WebError(415, f"Tệp “{name}” là tệp nén bị hỏng; hãy mở bằng Excel/Word rồi lưu lại.") from None
    if "xl/workbook.xml" in names:
        return XLSX
    if "word/document.xml" in names:
        return DOCX
    raise WebError(415, f"Tệp “{name}” là một tệp nén nhưng không phải sổ Excel (.xlsx) hay văn bản Word (.docx).")
