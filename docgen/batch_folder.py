"""A batch's output folder holds exactly one batch: built aside, then swapped in whole.

Staff print from this folder, so a file of an earlier run lying beside this run's (an old ``tat_ca.pdf``, the
old decision of a unit that now fails, the decisions of an earlier numbering) is a wrong document issued, and
a mix of two runs is worse. So a run never writes into the folder it is asked for (``OUT``):

1. It takes ``OUT.docgen-lock`` beside ``OUT`` (one run per folder at a time; the system releases the lock
   when the process dies, however it dies).
2. It recovers from an earlier run that was killed (:func:`recover`).
3. It looks at what ``OUT`` holds. Everything must be docgen's own: named, with its sha256, in the record
   ``.docgen-lo.json`` a run leaves in its folder (or, for a folder made before the record existed, in its
   ``manifest.csv``). A file of the user's, a document edited after docgen wrote it, a sub-folder: the run
   stops before writing anything and names them, unless asked to go on (``overwrite``): then they are kept,
   moved with the old folder to ``OUT.tep-cu-<date>-<time>``, never deleted.
4. It writes everything of the run (documents, manifest, PDFs, print file, zip) into a fresh sibling
   ``OUT.docgen-tmp-XXXXXXXX`` whose record says ``building``, so that all of it is known to be docgen's.
5. :meth:`BatchFolder.commit`: every file synced to disk, the complete record written, then the folders
   swapped. On Linux ``renameat2(RENAME_EXCHANGE)`` swaps them in one atomic step. Where that is missing
   (Windows, macOS, some network filesystems) and a rename over a non-empty folder fails, ``OUT`` is renamed
   to ``OUT.docgen-old-XXXXXXXX`` and the build renamed to ``OUT``: two renames, with a gap between them
   in which ``OUT`` is absent (never mixed).
6. The previous folder is disposed of: docgen's own files removed, anything else kept as in 3.

A crash (power cut, SIGKILL) at any point leaves ``OUT`` as the old complete batch or the new complete
batch; the next run puts things right before it starts (:func:`recover`):

- before the swap: ``OUT`` is the old batch; a ``.docgen-tmp-`` sibling is removed;
- inside the two-rename gap: ``OUT`` is absent and ``.docgen-old-`` holds the old batch: it is renamed back;
- after the swap: ``OUT`` is the new batch; the old one (in ``.docgen-tmp-`` after an exchange, or in
  ``.docgen-old-``) is disposed of as in 6. Its record is removed last, so that a crash while disposing of
  it still knows which files are docgen's.
"""

from __future__ import annotations

import csv
import ctypes
import errno
import hashlib
import io
import json
import os
import secrets
import sys
import tempfile
import time
from pathlib import Path

from .errors import DocgenError
from .export import TEMP_MARK, WriteError, write_atomic, write_error

RECORD = ".docgen-lo.json"
_FORMAT = "docgen-lo/1"
BUILDING, COMPLETE = "building", "complete"
_TMP, _OLD, _LOCK, _KEPT = ".docgen-tmp-", ".docgen-old-", ".docgen-lock", ".tep-cu-"
_MODIFIED, _NOT_OURS, _FOLDER = "đã bị sửa sau khi docgen tạo", "không do docgen tạo", "là thư mục"
_LISTED = 20  # foreign files named one by one in the message; the rest are counted


class FolderBusy(DocgenError):
    code = "folder_busy"


class ForeignFiles(DocgenError):
    """The output folder holds files docgen did not create (``files``: ``(name, why)``)."""

    code = "foreign_files"

    def __init__(self, shown: Path, files: list[tuple[str, str]]):
        self.files = files
        lines = [f"  - {name}: {why}" for name, why in files[:_LISTED]]
        if len(files) > _LISTED:
            lines.append(f"  … và {len(files) - _LISTED} tệp khác")
        super().__init__(
            f"Thư mục “{shown}” có {len(files)} tệp không phải docgen tạo ra, nên chưa ghi gì:\n"
            + "\n".join(lines)
            + "\ndocgen không xóa, không ghi đè tệp của người dùng. Hãy chọn thư mục khác (tùy chọn -o) hoặc chuyển "
            f"các tệp đó đi; hoặc thêm --overwrite: các tệp đó được chuyển nguyên vẹn sang thư mục "
            f"“{shown.name}{_KEPT}<ngày>-<giờ>” bên cạnh, rồi mới tạo lô mới."
        )


# ---------------------------------------------------------------- the folder of one run


class BatchFolder:
    """``with BatchFolder(out) as folder:`` write into ``folder.path``, then ``folder.commit()``. Leaving the
    block without a commit (an error, Ctrl-C) removes the build and leaves ``out`` as it was.

    ``kept``: after the commit, the folder the files that were not docgen's went to (None if there were none).
    A failed write raises :class:`WriteError` naming the file by its place in ``out``."""

    def __init__(self, out: str | Path, *, overwrite: bool = False):
        self.shown = Path(out)
        self.target = Path(os.path.abspath(out))
        if self.target.is_symlink():  # a link to the real folder: swap the folder, keep the link
            self.target = self.target.resolve()
        self.overwrite = overwrite
        self.path: Path | None = None
        self.kept: Path | None = None
        self.committed = False
        self._lock: _Lock | None = None

    def __enter__(self) -> BatchFolder:
        target, parent = self.target, self.target.parent
        if not target.name:
            raise WriteError(target, errno.EISDIR)
        try:
            parent.mkdir(parents=True, exist_ok=True)
            if target.exists() and not target.is_dir():
                raise WriteError(target, errno.ENOTDIR)
            self._lock = _Lock(parent / f"{target.name}{_LOCK}", self.shown)
            try:
                recover(target)
                foreign = classify(target)[1] if target.exists() else []
                if foreign and not self.overwrite:
                    raise ForeignFiles(self.shown, [(p.name, why) for p, why in foreign])
                self.path = Path(tempfile.mkdtemp(prefix=f"{target.name}{_TMP}", dir=parent))
                _write_record(self.path, BUILDING, {})
            except BaseException:
                self._release()
                raise
        except OSError as exc:
            raise self._shown_error(exc) from exc
        return self

    def sync(self) -> None:
        """Every file written so far on disk (before recording them elsewhere, e.g. in the register)."""
        try:
            _sync(self.path, [p.name for p in sorted(self.path.iterdir())])
        except OSError as exc:
            raise self._shown_error(exc) from exc

    def commit(self) -> None:
        """Make this run's folder the batch: synced, recorded, swapped in whole."""
        try:
            files = {p.name: _sha256(p) for p in sorted(self.path.iterdir()) if p.name != RECORD}
            _sync(self.path, files)
            _write_record(self.path, COMPLETE, files)
            mode = self.target.stat().st_mode & 0o7777 if self.target.is_dir() else 0o777 & ~_umask()
            os.chmod(self.path, mode | 0o700)
            old = _swap(self.path, self.target)
            _sync_folder(self.target.parent)
        except OSError as exc:
            raise self._shown_error(exc) from exc
        self.committed = True
        if old is not None:
            try:
                self.kept = dispose(old, self.target)
            except OSError:
                pass  # the next run finishes disposing of it (recover); the new batch is in place

    def __exit__(self, exc_type, exc, tb):
        try:
            if not self.committed and self.path is not None:
                try:
                    dispose(self.path, self.target)
                except OSError:
                    pass  # left for the next run's recover(); ``out`` is untouched either way
        finally:
            self._release()
        if isinstance(exc, OSError):
            raise self._shown_error(exc) from exc
        return False

    @property
    def kept_shown(self) -> Path | None:
        """``kept`` as the user would write it (beside ``out`` as they named it)."""
        if self.kept is None or self.target != Path(os.path.abspath(self.shown)):  # through a link: where it is
            return self.kept
        return self.shown.parent / self.kept.name

    def _release(self) -> None:
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    def _shown_error(self, exc: OSError) -> WriteError:
        """``exc`` naming what the user knows: a file of the build by its place in ``out``; the build, the
        lock or the old folder beside it (and an error that names nothing) as ``out`` itself."""
        where = exc.path if isinstance(exc, WriteError) else Path(exc.filename) if exc.filename else None
        ours_beside = (
            where is not None
            and where.parent == self.target.parent
            and where.name.startswith(self.target.name + ".docgen-")
        )
        if self.path is not None and where is not None and _inside(where, self.path):
            where = self.shown / where.relative_to(self.path)
        elif where is None or ours_beside or _inside(self.target, where):  # ``out``, or a folder on the way to it
            where = self.shown
        return exc.shown_as(where) if isinstance(exc, WriteError) else write_error(exc, where)


# ---------------------------------------------------------------- what is docgen's


def classify(folder: Path) -> tuple[list[Path], list[tuple[Path, str]]]:
    """``(own, foreign)``: the entries of ``folder`` docgen wrote there and that are unchanged, and the others
    with the reason (not docgen's, edited since, a sub-folder). The record, if any, is the last of ``own``."""
    record = _read_record(folder)
    own, foreign, known = [], [], None
    if record is None:
        known = _listed_in_manifest(folder)
    elif record["state"] == COMPLETE:
        known = record["files"]
    for entry in sorted(folder.iterdir()):
        if entry.name == RECORD and record is not None:
            continue
        if entry.is_symlink() or not entry.is_file():
            foreign.append((entry, _FOLDER if entry.is_dir() else _NOT_OURS))
        elif known is None:  # a build: what a run writes, found in docgen's own folder, is docgen's
            if _built_here(entry.name):
                own.append(entry)
            else:
                foreign.append((entry, _NOT_OURS))
        elif entry.name not in known:
            foreign.append((entry, _NOT_OURS))
        elif known[entry.name] is not None and known[entry.name] != _sha256(entry):
            foreign.append((entry, _MODIFIED))
        else:
            own.append(entry)
    if record is not None:
        own.append(folder / RECORD)
    return own, foreign


def _built_here(name: str) -> bool:
    """A name a run writes: a document, its PDF, the manifest, the zip, or a temporary file of write_atomic."""
    return name.endswith((".docx", ".pdf", ".csv", ".zip")) or (name.startswith(".") and TEMP_MARK in name)


def _read_record(folder: Path) -> dict | None:
    try:
        record = json.loads((folder / RECORD).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    ok = (
        isinstance(record, dict)
        and record.get("format") == _FORMAT
        and record.get("state") in (BUILDING, COMPLETE)
        and isinstance(record.get("files"), dict)
    )
    return record if ok else None


def _write_record(folder: Path, state: str, files: dict[str, str]) -> None:
    record = {"format": _FORMAT, "state": state, "files": dict(sorted(files.items()))}
    write_atomic(folder / RECORD, (json.dumps(record, ensure_ascii=False, indent=1) + "\n").encode("utf-8"))


def _listed_in_manifest(folder: Path) -> dict[str, str | None]:
    """For a folder made before the record existed: its manifest (if it is docgen's) and the documents it
    lists with their sha256."""
    from .batch import MANIFEST, MANIFEST_COLUMNS

    try:
        text = (folder / MANIFEST).read_text(encoding="utf-8-sig")
        rows = list(csv.reader(io.StringIO(text)))
    except (OSError, ValueError, csv.Error):
        return {}
    if not rows or rows[0] != MANIFEST_COLUMNS:
        return {}
    known: dict[str, str | None] = {MANIFEST: None}
    for row in rows[1:]:
        if len(row) == len(MANIFEST_COLUMNS) and row[2] and row[3]:
            known[row[2]] = row[3]
    return known


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


# ---------------------------------------------------------------- recovery and disposal


def recover(target: Path) -> None:
    """Finish what a killed run left beside ``target``: put the old batch back if a swap was cut between
    its two renames, and dispose of every other build or old folder."""
    parent, name = target.parent, target.name
    left = [
        entry
        for entry in parent.iterdir()
        if entry.name.startswith((name + _TMP, name + _OLD)) and entry.is_dir() and not entry.is_symlink()
    ]
    if not target.exists():
        olds = sorted((e for e in left if e.name.startswith(name + _OLD)), key=lambda e: e.stat().st_mtime_ns)
        if olds:
            os.rename(olds[-1], target)
            left.remove(olds[-1])
    for entry in left:
        dispose(entry, target)


def dispose(folder: Path, target: Path) -> Path | None:
    """Remove docgen's own files from ``folder`` (a build, or a batch that is no longer ``target``); keep
    anything else by renaming the folder to ``<target>.tep-cu-<date>-<time>``. Returns that name, or None."""
    own, foreign = classify(folder)
    for path in own:  # the record is last: until it goes, a crash here still knows what is docgen's
        path.unlink(missing_ok=True)
    if not foreign:
        folder.rmdir()
        return None
    stamp = time.strftime("%Y%m%d-%H%M%S")
    kept, n = target.with_name(f"{target.name}{_KEPT}{stamp}"), 1
    while kept.exists():
        n += 1
        kept = target.with_name(f"{target.name}{_KEPT}{stamp}-{n}")
    os.rename(folder, kept)
    return kept


# ---------------------------------------------------------------- swapping


def _swap(build: Path, target: Path) -> Path | None:
    """Put ``build`` at ``target``; return where the previous ``target`` folder is now (None if there was none)."""
    if not target.exists():
        os.rename(build, target)
        return None
    if _exchange(build, target):
        return build  # the name of the build now holds the previous folder
    old = target.with_name(f"{target.name}{_OLD}{secrets.token_hex(4)}")
    os.rename(target, old)  # Windows: fails if a file in it is open; nothing has changed then
    try:
        os.rename(build, target)
    except BaseException:
        os.rename(old, target)
        raise
    return old


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Swap two folders in one atomic step (Linux ≥ 3.15); False where the system or filesystem cannot."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):  # a C library older than glibc 2.28
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False
    raise OSError(err, os.strerror(err), str(b))


def _sync(folder: Path, names) -> None:
    """Every file of the build on disk before the record that vouches for them."""
    if hasattr(os, "sync"):
        os.sync()
        return
    for name in names:  # Windows
        with open(folder / name, "rb+") as f:
            os.fsync(f.fileno())


def _sync_folder(folder: Path) -> None:
    """The renames themselves on disk (POSIX; Windows has no handle on a folder to flush)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _inside(path: Path, folder: Path) -> bool:
    try:
        Path(path).relative_to(folder)
    except ValueError:
        return False
    return True


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


# ---------------------------------------------------------------- one run per folder


class _Lock:
    """An exclusive lock on ``path``, taken at once or refused (:class:`FolderBusy`). The system drops it
    when the process ends, so a killed run never leaves the folder locked."""

    def __init__(self, path: Path, shown: Path):
        self.path = path
        while True:
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
            try:
                _try_lock(fd)
            except OSError:
                os.close(fd)
                raise FolderBusy(
                    f"Một lệnh docgen khác đang ghi vào thư mục “{shown}”; hãy chờ lệnh đó xong rồi chạy lại."
                ) from None
            try:  # the run that held it may have removed the file just before we locked it: lock the new one
                if os.stat(path).st_ino == os.fstat(fd).st_ino:
                    self.fd = fd
                    return
            except FileNotFoundError:
                pass
            os.close(fd)

    def release(self) -> None:
        if os.name == "nt":  # an open file cannot be removed there
            os.close(self.fd)
            try:
                self.path.unlink(missing_ok=True)
            except PermissionError:  # another run has it open; it removes it
                pass
        else:
            self.path.unlink(missing_ok=True)
            os.close(self.fd)


def _try_lock(fd: int) -> None:
    if os.name == "nt":
        import msvcrt

        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
    else:
        import fcntl

        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
