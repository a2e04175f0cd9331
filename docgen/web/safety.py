"""What keeps the page safe: who may call it, how much may be sent, what an upload may be, where it lives.

- **Access.** Bound to a loopback address, the server answers only requests whose ``Host`` is a loopback
  name (a web site cannot reach it through DNS rebinding). Bound to any other address it needs a token,
  and every request must carry it in the ``X-Docgen-Token`` header (the page's first load may give it as
  ``?token=``); compared in constant time.
- **Size.** A request body larger than the limit is refused with 413 before it is read (Content-Length)
  or as soon as the limit is passed (chunked); each uploaded file is counted again while it is saved.
- **Type.** What a file *is* is decided by its bytes, not its name: JSON must parse, an Excel workbook
  must be a zip holding ``xl/workbook.xml``, a Word template a zip holding ``word/document.xml``; a zip
  that would unpack to more than a fixed multiple of the limit is refused (zip bomb).
- **Place.** Nothing uploaded is executed, and no name from the client becomes a path: every request
  works in a fresh temporary folder (:class:`Workspace`) under fixed file names, removed when done.
"""

from __future__ import annotations

import ipaddress
import os
import re
import secrets
import shutil
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from fastapi import HTTPException
from starlette.datastructures import Headers, QueryParams
from starlette.responses import HTMLResponse, JSONResponse

from ..errors import Problem
from ..io import parse_json

TOKEN_HEADER = "X-Docgen-Token"
DEFAULT_MAX_UPLOAD = 10 * 1024 * 1024
MULTIPART_MARGIN = 64 * 1024  # form fields and part headers around the files of one request
UNPACK_RATIO = 20  # a zip may unpack to at most this many times the upload limit
LOOPBACK_NAMES = {"localhost", "127.0.0.1", "::1"}

JSON, XLSX, DOCX = "json", "xlsx", "docx"
_FIXED_NAMES = {JSON: "du_lieu.json", XLSX: "du_lieu.xlsx", DOCX: "mau.docx"}
_WHAT = {JSON: "tệp dữ liệu JSON", XLSX: "sổ Excel (.xlsx)", DOCX: "mẫu Word (.docx)"}
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

    @property
    def max_body(self) -> int:
        return self.max_upload + MULTIPART_MARGIN

    @property
    def max_unpacked(self) -> int:
        return self.max_upload * UNPACK_RATIO


# ---------------------------------------------------------------- errors the page shows


class WebError(HTTPException):
    """An answer with a Vietnamese ``detail`` and, where the data is at fault, its problems."""

    def __init__(self, status: int, detail: str, problems: list | None = None):
        super().__init__(status_code=status, detail=detail)
        self.problems = problems or []


def error_body(detail: str, problems=()) -> dict:
    return {"detail": detail, "problems": [p.as_dict() if isinstance(p, Problem) else p for p in problems]}


def too_large(limit: int) -> WebError:
    return WebError(413, f"Tệp tải lên quá lớn: tối đa {_size(limit)} mỗi lần gửi.")


def _size(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):.0f} MB".replace(".", ",")
    return f"{max(1, n // 1024)} KB"


# ---------------------------------------------------------------- the guard in front of every request


class Guard:
    """ASGI middleware: host, token and body size checks, before anything else runs."""

    def __init__(self, app, settings: Settings):
        self.app, self.settings = app, settings
        self.token = settings.token.encode("utf-8") if settings.token else None
        self.hosts = LOOPBACK_NAMES | {settings.host.strip("[]")}

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
            return await JSONResponse(error_body(too_large(self.settings.max_upload).detail), 413)(scope, receive, send)
        seen = 0

        async def counted():
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise too_large(self.settings.max_upload)
            return message

        return await self.app(scope, counted, send)

    def _refusal(self, scope, headers: Headers):
        if self.token is None:
            host = _host_name(headers.get("host", ""))
            if host not in self.hosts:
                return JSONResponse(
                    error_body(
                        f"Trang này chỉ mở được bằng địa chỉ http://127.0.0.1:… trên chính "
                        f"máy chủ (tên máy “{host[:60]}” không được chấp nhận)."
                    ),
                    400,
                )
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


def _host_name(host: str) -> str:
    """``127.0.0.1:8000`` → ``127.0.0.1``; ``[::1]:8000`` → ``::1``."""
    if host.startswith("["):
        return host[1:].split("]", 1)[0]
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


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


def save_upload(upload, workspace: Workspace, accept: set[str], settings: Settings) -> Upload:
    """Copy an uploaded file into the workspace (counting its size), decide what it is, check it is one of
    ``accept``; raise :class:`WebError` (413, 415, 400) otherwise."""
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
    kind, data = _identify(staging, name, settings)
    if kind not in accept:
        wanted = " hoặc ".join(_WHAT[k] for k in sorted(accept))
        raise WebError(415, f"Tệp “{name}” là {_WHAT[kind]}, nhưng ở đây cần {wanted}.")
    target = workspace.path / _FIXED_NAMES[kind]
    os.replace(staging, target)
    return Upload(kind, target, name, data)


def _identify(path: Path, name: str, settings: Settings) -> tuple[str, object]:
    suffix = os.path.splitext(name)[1].lower()
    with open(path, "rb") as f:
        head = f.read(8)
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return _identify_zip(path, name, settings), None
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
    if problems:
        raise WebError(400, f"Tệp “{name}” không phải JSON hợp lệ: {problems[0].message}", problems)
    return JSON, data


def _identify_zip(path: Path, name: str, settings: Settings) -> str:
    try:
        with zipfile.ZipFile(path) as z:
            infos = z.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise WebError(415, f"Tệp “{name}” là tệp nén bị hỏng; hãy mở bằng Excel/Word rồi lưu lại.") from None
    if sum(i.file_size for i in infos) > settings.max_unpacked:
        raise WebError(413, f"Tệp “{name}” khi giải nén quá lớn (quá {_size(settings.max_unpacked)}).")
    names = {i.filename for i in infos}
    if "xl/workbook.xml" in names:
        return XLSX
    if "word/document.xml" in names:
        return DOCX
    raise WebError(415, f"Tệp “{name}” là một tệp nén nhưng không phải sổ Excel (.xlsx) hay văn bản Word (.docx).")
