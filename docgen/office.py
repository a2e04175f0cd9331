"""A warm LibreOffice for single documents: a small pool of long-lived converters, fed over UNO.

Starting soffice costs about two seconds; a document converted by one already running takes a few tenths.
A :class:`Pool` starts its converters when first needed (at most ``size``), keeps each alive between
documents and gives every document to an idle one. A converter is one process, ``office_bridge.py`` run
under the Python that has LibreOffice's ``uno`` module (:func:`uno_python`), which starts its own soffice
with a private profile, connects over a named pipe and converts on request (JSON lines on its stdin and
stdout). Each converter leads a process group of its own, so that killing the group stops soffice too; a bridge
whose parent is gone (docgen killed outright) stops soffice and removes its folder itself.

Every document has a deadline: a converter that has not answered by then is killed (soffice with it) and
the document fails with :class:`Timeout`; one that dies mid-way is replaced and the document tried once more
on the new one. ``close()`` ends the converters (the web server's lifespan calls it; every pool still open
at exit is closed too): no soffice is left behind. A pool that cannot start raises :class:`Unavailable`, and
:mod:`docgen.pdf` then converts the one-shot way.

Why a bridge of docgen's own rather than unoserver (``benchmarks/office.py`` times both): unoserver has to
be installed into the Python that has ``uno`` (the system's, not docgen's virtualenv), it listens on TCP ports
that any local user can reach (XML-RPC, and UNO itself, which can run macros), and it converted no faster.

Batches do not come here: for many documents one ``soffice --convert-to`` per core, each given its share
of the documents at once, was measured faster (``benchmarks/pdf.py``).
"""

from __future__ import annotations

import atexit
import json
import os
import secrets
import selectors
import shutil
import signal
import subprocess
import tempfile
import threading
import time
import weakref
from functools import lru_cache
from pathlib import Path

from . import limits, office_start
from .errors import DocgenError

BRIDGE = Path(__file__).with_name("office_bridge.py")


class OfficeError(DocgenError):
    """A document the pool did not convert; the message is Vietnamese, for the user; ``code`` is for programs."""

    code = "conversion"


class Unavailable(OfficeError):
    """No converter could be started (no Python with ``uno``, soffice refusing to start …)."""

    code = "office_unavailable"


class Timeout(OfficeError):
    """The converter had not finished the document by its deadline and was stopped."""

    code = "pdf_timeout"


class Crashed(OfficeError):
    """LibreOffice died while converting, twice."""

    code = "pdf_crashed"


class Stopped(OfficeError):
    """The pool was closed (the server is stopping)."""

    code = "pdf_stopped"


def default_size() -> int:
    """Converters a pool may run: one per core, at most :data:`~docgen.limits.OFFICE_CONVERTERS`."""
    return max(1, min(limits.OFFICE_CONVERTERS, os.cpu_count() or 1))


@lru_cache(maxsize=None)
def uno_python() -> str | None:
    """An interpreter that can ``import uno``: ``$DOCGEN_UNO_PYTHON``, LibreOffice's own bundled Python (the
    builds from libreoffice.org, Windows, macOS), or the system's python3 (Debian: python3-uno)."""
    from .pdf import soffice_path

    candidates = [os.environ.get("DOCGEN_UNO_PYTHON")]
    exe = soffice_path()
    if exe:
        program = Path(os.path.realpath(exe)).parent
        candidates += [str(program / "python"), str(program / "python.exe")]
    candidates += ["/usr/bin/python3", shutil.which("python3")]
    for python in candidates:
        if not python or not os.access(python, os.X_OK):
            continue
        try:
            subprocess.run(
                [python, "-I", "-c", "import uno"],
                capture_output=True,
                timeout=30,
                check=True,
                stdin=subprocess.DEVNULL,
            )
            return python
        except (OSError, subprocess.SubprocessError):
            continue
    return None


def bridge_command(folder: Path, pipe: str) -> list[str]:
    """The real converter: ``office_bridge.py`` under the Python with ``uno``, driving this machine's soffice."""
    from .pdf import soffice_path

    python, exe = uno_python(), soffice_path()
    if not python or not exe:
        raise Unavailable(
            "Không tìm thấy LibreOffice hoặc mô-đun Python “uno” của nó (Debian: sudo apt-get install -y python3-uno)."
        )
    office_start.seed_profile(folder / "profile", exe)  # the folder is the converter's own, made just before
    return [python, "-I", str(BRIDGE), exe, str(folder), pipe]


class _Converter:
    """One long-lived converter process (and the soffice it started)."""

    def __init__(self, command, work: Path | None):
        # The converter's own folder (its profile in it), removed by whichever of docgen and the bridge outlives
        # the other.
        self.folder = Path(tempfile.mkdtemp(prefix="docgen-office-", dir=work))
        pipe = self.pipe = f"docgen-{os.getpid()}-{secrets.token_hex(8)}"
        try:
            self.proc = subprocess.Popen(
                command(self.folder, pipe),
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                start_new_session=True,  # a group of its own: killing it kills soffice too
                env=office_start.environment(),  # the bridge passes it on to the soffice it starts
            )
        except BaseException:  # no uno, no soffice, no process: nothing will remove the folder but this
            shutil.rmtree(self.folder, ignore_errors=True)
            raise
        self._buffer = b""
        self.soffice: int | None = None
        self.documents = 0  # answered so far

    def wait_ready(self, timeout: float) -> None:
        answer = self._answer(time.monotonic() + timeout)
        if answer is None or not answer.get("ready"):
            self.kill()
            if answer is None:
                why = f"chưa sẵn sàng sau {timeout:g} giây"
            else:
                why = answer.get("error") or "dừng trước khi sẵn sàng"
            raise Unavailable(f"Không khởi động được LibreOffice để xuất PDF ({why}).")
        self.soffice = answer.get("soffice")

    def convert(self, docx: Path, pdf: Path, timeout: float, pages: str = "") -> dict | None:
        """The converter's answer: ``{"dead": True}`` when it died, None when it did not answer within
        ``timeout``."""
        try:
            request = {"pdf": [str(docx), str(pdf)], **({"pages": pages} if pages else {})}
            self.proc.stdin.write((json.dumps(request) + "\n").encode())
            self.proc.stdin.flush()
        except OSError:  # BrokenPipeError: it had died
            return {"dead": True}
        return self._answer(time.monotonic() + timeout)

    def _answer(self, deadline: float) -> dict | None:
        """The next line the converter says, as JSON; ``{"dead": True}`` at end of file, None past ``deadline``."""
        with selectors.DefaultSelector() as selector:
            selector.register(self.proc.stdout, selectors.EVENT_READ)
            while b"\n" not in self._buffer:
                left = deadline - time.monotonic()
                if left <= 0 or not selector.select(left):
                    return None
                chunk = os.read(self.proc.stdout.fileno(), 65536)
                if not chunk:
                    return {"dead": True}
                self._buffer += chunk
        line, self._buffer = self._buffer.split(b"\n", 1)
        try:
            return json.loads(line)
        except ValueError:
            return {"error": line.decode("utf-8", "replace")[:300]}

    def alive(self) -> bool:
        return self.proc.poll() is None

    def signal(self) -> None:
        """Kill the converter's process group (soffice with it), leaving its pipes to whoever reads them."""
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass

    def kill(self) -> None:
        self.signal()
        self._reap()

    def close(self) -> None:
        """Ask the converter to close soffice and exit; kill it if it has not within a few seconds."""
        try:
            self.proc.stdin.write(b'{"quit": true}\n')
            self.proc.stdin.flush()
            self.proc.wait(10)
        except (OSError, subprocess.TimeoutExpired):
            pass
        self.kill()  # whatever of the group is left (a soffice that did not follow)

    def _reap(self) -> None:
        for stream in (self.proc.stdin, self.proc.stdout):
            try:
                stream.close()
            except OSError:
                pass
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            pass
        shutil.rmtree(self.folder, ignore_errors=True)
        # The socket soffice listened on (mode 0700): soffice removes it when it exits, not when it is killed.
        for tmp in ("/tmp", "/var/tmp"):
            try:
                os.unlink(os.path.join(tmp, f"OSL_PIPE_{os.getuid()}_{self.pipe}"))
            except OSError:
                pass


_pools: weakref.WeakSet = weakref.WeakSet()


class Pool:
    """At most ``size`` converters, started on first need. ``command(folder, pipe_name)``: the converter's
    command line (default :func:`bridge_command`; tests give a stub). ``timeout``: seconds a converter has for
    a document, and the longest wait for one to be free (its start has ``start_timeout``)."""

    def __init__(
        self,
        size: int | None = None,
        command=bridge_command,
        timeout: float = limits.OFFICE_DOCUMENT_SECONDS,
        start_timeout: float = limits.OFFICE_START_SECONDS,
        work_dir: Path | None = None,
    ):
        self.size, self.command, self.timeout, self.start_timeout = (
            max(1, size or default_size()),
            command,
            timeout,
            start_timeout,
        )
        self._work = Path(work_dir) if work_dir else None
        self._idle: list[_Converter] = []
        self._busy: set[_Converter] = set()
        self._starting = 0
        self._waiting = 0  # callers in _take
        self._ready = threading.Condition()
        self._closed = False
        self._failed_at: float | None = None
        self._pid = os.getpid()
        self.started = 0  # converters started so far (a restart counts)
        _pools.add(self)

    def convert(self, docx: Path, pdf: Path, pages: str = "") -> None:
        """Convert ``docx`` into ``pdf`` (LibreOffice's file, unchecked: :mod:`docgen.pdf` checks it); ``pages``
        ("1", "1-3"): those pages only. Raises
        :class:`Unavailable`, :class:`Timeout`, :class:`Crashed`, :class:`Stopped`, or :class:`OfficeError` for
        a document LibreOffice refused."""
        for attempt in (1, 2):
            # The document's time counts from when a converter is ready for it: a start is bounded on its own.
            converter = self._take(time.monotonic() + self.timeout)
            answer = converter.convert(Path(docx).resolve(), Path(pdf).resolve(), self.timeout, pages)
            if answer is not None and not answer.get("dead"):
                converter.documents += 1
                self._give_back(converter)
                if "error" in answer:
                    raise OfficeError(f"LibreOffice không chuyển được văn bản ({answer['error']}).")
                return
            hung = answer is None
            self._discard(converter)
            if self._closed:
                raise Stopped("Việc xuất PDF đã bị dừng vì máy chủ đang dừng.")
            if hung:
                raise Timeout(f"LibreOffice chưa xong sau {self.timeout:g} giây nên đã bị dừng.")
            if attempt == 2:
                raise Crashed("LibreOffice dừng bất thường khi chuyển văn bản (đã thử lại một lần).")

    def warm(self) -> None:
        """Start one converter now, if none is running, so that the first document does not wait for it."""
        with self._ready:
            if self._idle or self._busy or self._starting or self._closed:
                return
        try:
            self._give_back(self._take(time.monotonic() + self.start_timeout))
        except OfficeError:
            pass  # the first document will say why, or be converted the one-shot way

    def pids(self) -> list[int]:
        """The processes of the running converters and of the soffice each started (none: none running)."""
        with self._ready:
            converters = list(self._idle) + list(self._busy)
        return [p for c in converters for p in (c.proc.pid, c.soffice) if p]

    def close(self) -> None:
        """End every converter (a document being converted fails with :class:`Stopped`); refuse new ones."""
        with self._ready:
            self._closed = True
            idle, busy = self._idle, list(self._busy)
            self._idle = []
            self._ready.notify_all()
        if os.getpid() != self._pid:  # a forked child: the converters are the parent's
            return
        for converter in busy:  # the thread converting sees the end of its pipe and cleans up
            converter.signal()
        for converter in idle:
            converter.close()

    def _take(self, deadline: float) -> _Converter:
        with self._ready:
            self._waiting += 1  # this caller among them
            try:
                while True:
                    if self._closed:
                        raise Stopped("Việc xuất PDF đã bị dừng vì máy chủ đang dừng.")
                    if os.getpid() != self._pid:  # a forked child: the converters are the parent's
                        raise Unavailable("LibreOffice chạy sẵn thuộc về tiến trình khác.")
                    while self._idle:
                        converter = self._idle.pop()
                        if converter.alive():
                            self._busy.add(converter)
                            return converter
                        converter.kill()  # died while idle: already gone, nothing to wait for
                    # A converter being started (by warm(), or for a caller ahead) is waited for rather than
                    # a second one started beside it: a start costs more than most documents.
                    room = len(self._busy) + self._starting < self.size
                    if room and self._starting < self._waiting:
                        if (
                            self._failed_at is not None
                            and time.monotonic() - self._failed_at < limits.OFFICE_RETRY_START_SECONDS
                        ):
                            raise Unavailable("LibreOffice chạy sẵn chưa khởi động được (vừa thử không thành công).")
                        self._starting += 1
                        break
                    left = deadline - time.monotonic()
                    if left <= 0:
                        raise Timeout(f"Chờ quá {self.timeout:g} giây mà LibreOffice vẫn bận với văn bản khác.")
                    self._ready.wait(left)
            finally:
                self._waiting -= 1
        try:
            converter = _Converter(self.command, self._work)
            self.started += 1
            converter.wait_ready(self.start_timeout)
        except BaseException as exc:
            with self._ready:
                self._starting -= 1
                self._failed_at = time.monotonic() if isinstance(exc, OfficeError) else self._failed_at
                self._ready.notify_all()
            if isinstance(exc, OSError):
                raise Unavailable(f"Không khởi động được LibreOffice để xuất PDF ({exc}).") from exc
            raise
        with self._ready:
            self._starting -= 1
            self._failed_at = None
            if self._closed:
                threading.Thread(target=converter.close, daemon=True).start()
                raise Stopped("Việc xuất PDF đã bị dừng vì máy chủ đang dừng.")
            self._busy.add(converter)
            return converter

    def _give_back(self, converter: _Converter) -> None:
        # A soffice that has converted many documents is replaced: a long-running one only grows.
        worn = converter.documents >= limits.OFFICE_DOCUMENTS_PER_CONVERTER
        with self._ready:
            self._busy.discard(converter)
            closing = self._closed or worn
            if not closing:
                self._idle.append(converter)
            self._ready.notify_all()
        if closing:
            converter.close()

    def _discard(self, converter: _Converter) -> None:
        converter.kill()
        with self._ready:
            self._busy.discard(converter)
            self._ready.notify_all()


@atexit.register
def _close_all() -> None:
    """No soffice outlives the program, whoever forgot to close a pool."""
    for pool in list(_pools):
        pool.close()
