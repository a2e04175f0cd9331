"""Writing results: atomic file writes, what a failed write means to the user, and whose file a target is.
PDF lives in :mod:`docgen.pdf`; a batch's folder in :mod:`docgen.batch_folder`.

A file is either fully written or not there: data goes to a temporary file in the same folder, named
``.<name>.docgen-<random>.tmp`` so that it can only be docgen's, is flushed to disk, then renamed over the
target (``os.replace`` is atomic on one filesystem). A write that fails (full disk, read-only or forbidden
folder, a path through a file) raises :class:`WriteError`, whose text says in Vietnamese which file or
folder, what happened and what to do; the temporary file is removed.
"""

from __future__ import annotations

import errno
import os
import re
import tempfile
import zipfile
from pathlib import Path

from .errors import DocgenError

_UMASK = os.umask(0)
os.umask(_UMASK)

TEMP_MARK = ".docgen-"  # in every temporary name docgen makes: ``.<name>.docgen-<random>.tmp``

# Names that moved to docgen.pdf, still importable from here. Resolved on first use because docgen.pdf
# imports write_atomic from this module: an import at the top would be circular.
_PDF_NAMES = {"PdfError", "docx_to_pdf", "INSTALL_HINT", "soffice_path"}


def __getattr__(name: str):
    if name in _PDF_NAMES:
        from . import pdf

        return getattr(pdf, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


# ---------------------------------------------------------------- failed writes


class WriteError(DocgenError, OSError):
    """A file or folder could not be written. Still an ``OSError`` (``errno`` is the system's), so callers
    that handle those keep working; ``code`` is a stable English name for programs."""

    def __init__(self, path: str | Path, err: int | None = None, detail: str = "", winerror: int | None = None):
        self.path, self.reason, self.detail, self.win = Path(path), err, detail, winerror
        self.code, self.message = _describe(self.path, err, detail, winerror)
        super().__init__(self.message)
        self.errno, self.filename = err, str(path)

    def __str__(self) -> str:
        return self.message  # the code is for programs (``code``), not in the sentence a person reads

    def __reduce__(self):  # rebuilt from its arguments when it crosses from a batch worker
        return (self.__class__, (self.path, self.reason, self.detail, self.win))

    def shown_as(self, path: str | Path) -> WriteError:
        """The same failure, naming ``path`` (the user's name for a file written under a temporary one)."""
        return WriteError(path, self.reason, self.detail, self.win)


def write_error(exc: OSError, path: str | Path) -> WriteError:
    """``exc`` (raised while writing ``path``) as a :class:`WriteError`."""
    if isinstance(exc, WriteError):
        return exc
    return WriteError(path, exc.errno, exc.strerror or str(exc), getattr(exc, "winerror", None))


_FULL = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)}
_FORBIDDEN = {errno.EACCES, errno.EPERM}
_WINDOWS_IN_USE = {32, 33}  # ERROR_SHARING_VIOLATION, ERROR_LOCK_VIOLATION


def _describe(path: Path, err: int | None, detail: str, winerror: int | None) -> tuple[str, str]:
    folder = path.parent if str(path.parent) not in ("", ".") else Path(".")
    if err in _FULL:
        return "disk_full", (
            f"Ổ đĩa chứa thư mục “{folder}” đã hết chỗ trống nên không ghi được “{path.name}”; không để lại tệp dở "
            "dang nào. Hãy xóa bớt tệp không cần trên ổ đó, hoặc ghi sang ổ khác (tùy chọn -o), rồi chạy lại."
        )
    if err == errno.EROFS:
        return "read_only", (
            f"Không ghi được “{path}”: ổ đĩa chứa thư mục “{folder}” chỉ cho đọc (đĩa CD, thẻ nhớ bị khóa ghi, "
            "ổ mạng chỉ đọc…). Hãy chọn thư mục trên ổ khác (tùy chọn -o)."
        )
    if winerror in _WINDOWS_IN_USE:
        return "file_in_use", (
            f"Không ghi được “{path}”: tệp hoặc thư mục đang được một chương trình khác mở (Word, Excel, trình xem "
            "PDF, cửa sổ thư mục…). Hãy đóng chương trình đó rồi chạy lại."
        )
    if err in _FORBIDDEN:
        return "permission_denied", (
            f"Không có quyền ghi “{path}” (thư mục “{folder}” không cho phép ghi). Hãy chọn thư mục khác "
            "(tùy chọn -o), hoặc nhờ người quản trị máy cấp quyền ghi."
        )
    if err in (errno.ENOTDIR, errno.EEXIST) and (blocker := _file_in_the_way(path)) is not None:
        return "not_a_folder", (
            f"Không ghi được “{path}”: “{blocker}” là một tệp, không phải thư mục. Hãy chọn đường dẫn khác "
            "(tùy chọn -o)."
        )
    if err == errno.EISDIR:
        return "is_a_folder", (
            f"“{path}” là một thư mục, không phải tệp. Hãy ghi tên tệp cần tạo, ví dụ “{path / 'van_ban.docx'}”."
        )
    if err == errno.ENAMETOOLONG:
        return "name_too_long", f"Tên hoặc đường dẫn “{path}” quá dài. Hãy chọn tên ngắn hơn hoặc thư mục gần gốc hơn."
    return "write_failed", (
        f"Không ghi được “{path}”: lỗi của hệ điều hành"
        + (f" (mã {err}: {detail})" if err is not None else f" ({detail})" if detail else "")
        + ". Hãy kiểm tra ổ đĩa và thư mục rồi chạy lại."
    )


def os_error_text(exc: OSError) -> str:
    """A system error met outside docgen's own writes (opening an input file, mostly), in Vietnamese."""
    reasons = {
        errno.ENOENT: "không có tệp hoặc thư mục này",
        errno.EACCES: "không có quyền mở tệp này",
        errno.EPERM: "không có quyền mở tệp này",
        errno.EISDIR: "đó là một thư mục, không phải tệp",
        errno.ENOTDIR: "một phần của đường dẫn là tệp, không phải thư mục",
        errno.ENOSPC: "ổ đĩa đã hết chỗ trống",
        errno.EROFS: "ổ đĩa chỉ cho đọc",
    }
    reason = reasons.get(exc.errno, f"lỗi của hệ điều hành (mã {exc.errno}: {exc.strerror or exc})")
    return f"Không mở được “{exc.filename or '?'}”: {reason}."


def _file_in_the_way(path: Path) -> Path | None:
    """The nearest existing ancestor of ``path`` (or ``path`` itself) when it is a file, not a folder."""
    for candidate in (path, *path.parents):
        if candidate.exists():
            return candidate if not candidate.is_dir() else None
    return None


# ---------------------------------------------------------------- atomic writes


def write_atomic(path: str | Path, data: bytes, durable: bool = True) -> Path:
    """Write ``data`` to ``path`` so that the file is either complete or absent; raise :class:`WriteError`.

    ``durable``: also flush it to disk before the rename (safe against power loss). A batch writes its
    documents without that and syncs once at the end, before its manifest (7 ms per file saved)."""
    path = Path(path)
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}{TEMP_MARK}", suffix=".tmp", dir=path.parent)
        try:
            view = memoryview(data)
            while view:  # os.write may write less than asked
                view = view[os.write(fd, view) :]
            if durable:
                os.fsync(fd)
        finally:
            os.close(fd)
        os.chmod(tmp, 0o666 & ~_UMASK)  # mkstemp creates 0600; a document is an ordinary file
        os.replace(tmp, path)
    except BaseException as exc:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise write_error(exc, path) from exc
        raise
    return path


# ---------------------------------------------------------------- whose file a target is


class FileExists(DocgenError):
    """The target exists and is not a file docgen may replace."""

    code = "file_exists"


def made_by_docgen(path: Path) -> bool:
    """Whether ``path`` is a .docx docgen produced and no office program saved since.

    Every document docgen renders says ``<Application>docgen</Application>`` in docProps/app.xml; Word,
    LibreOffice and the other editors write their own name there when they save, so a document edited
    and saved by someone no longer matches."""
    try:
        with zipfile.ZipFile(path) as z:
            app = z.read("docProps/app.xml")[:4096].decode("utf-8", "replace")
    except (OSError, KeyError, zipfile.BadZipFile, ValueError):
        return False
    return re.search(r"<Application>\s*docgen\s*</Application>", app) is not None


def pdf_made_by_docgen(pdf: Path, docx: Path) -> bool:
    """Whether ``pdf`` is the PDF docgen exported from ``docx`` beside it: made by LibreOffice, next to a
    document of docgen's own (a PDF saved from Word, or over an edited document, is the user's)."""
    if not made_by_docgen(docx):
        return False
    from pypdf import PdfReader

    try:
        producer = (PdfReader(pdf).metadata or {}).get("/Producer", "")
    except Exception:  # pypdf raises many types on a damaged or foreign file; any of them means "not ours"
        return False
    return str(producer).startswith("LibreOffice")


def check_replaceable(path: Path, own: bool, overwrite: bool, *, for_editing: bool = False) -> None:
    """Refuse to replace an existing ``path`` that is not docgen's own (``own``) unless ``overwrite``.

    ``for_editing``: the file is one the user fills in or edits (imported data, an Excel workbook), so an
    existing one may hold their work whoever made it first."""
    path = Path(path)
    if path.is_dir():
        raise WriteError(path, errno.EISDIR)
    if not path.exists() or own or overwrite:
        return
    why = (
        "đó là tệp để người dùng điền, sửa, nên có thể đang chứa phần đã làm"
        if for_editing
        else "nó không phải tệp docgen tạo ra, hoặc đã được sửa và lưu lại sau khi tạo"
    )
    raise FileExists(
        f"Tệp “{path}” đã có; docgen không ghi đè vì {why}. Hãy chọn tên khác, hoặc thêm --overwrite nếu đúng là "
        "muốn thay tệp đó."
    )
