"""The web page's library work in worker processes that can be stopped: a deadline per call, cancelled when its
client has gone or the server stops, an address-space limit per process.

A thread cannot be stopped, so a render (or a check, a PDF, a batch job) runs in a process of its own: when its
client disconnects, its deadline passes or the server shuts down, the server kills it together with everything it
started (LibreOffice), since each worker leads its own process group; a worker also dies with the server (Linux's
parent-death signal). Workers are forked from multiprocessing's "forkserver", a clean single-threaded process that
imports docgen and compiles the built-in templates once (:mod:`docgen.web._preload`): forking the threaded server
itself is not safe, and starting a fresh interpreter would import docgen for every call (seconds).

The function a worker runs and its arguments travel by pickle, and so do its result and its exception (raised
again in the server); :func:`report` sends progress from inside a worker.
"""

from __future__ import annotations

import asyncio
import ctypes
import multiprocessing
import os
import pickle
import resource
import signal
import threading
import time
from typing import Callable

import anyio

from ..errors import DocgenError
from ..limits import WEB_WORKER_MEMORY, size_text

_PRELOAD = ["docgen.web._preload"]
_POLL = 0.05  # seconds between looks at a running worker (its answer, the deadline, the cancel flag)
_context = None
_context_lock = threading.Lock()
_channel = None  # inside a worker: the pipe to the server
_inline = threading.local()  # a call run in the server's own thread (isolate=False): where report() goes


class Stopped(DocgenError):
    """The call was stopped: its client went away, or the server is stopping."""


class TimedOut(DocgenError):
    """The call ran past its deadline (``seconds``) and was killed."""

    def __init__(self, seconds: float, waiting: bool = False):
        self.seconds, self.waiting = seconds, waiting
        super().__init__(f"timed out after {seconds:g} s" + (" waiting for a free worker" if waiting else ""))

    def __reduce__(self):
        return (type(self), (self.seconds, self.waiting))


class OutOfMemory(DocgenError):
    """The call needed more than its worker's address space (``limit`` bytes)."""

    def __init__(self, limit: int | None):
        self.limit = limit
        super().__init__(f"out of memory (limit {limit} bytes)")

    def __reduce__(self):
        return (type(self), (self.limit,))


class Crashed(DocgenError):
    """The worker died without an answer (killed by the system, out of memory in C code …)."""


def _mp_context():
    global _context
    with _context_lock:
        if _context is None:
            ctx = multiprocessing.get_context("forkserver")
            ctx.set_forkserver_preload(_PRELOAD)
            _context = ctx
        return _context


def report(**fields) -> None:
    """Inside a worker: send ``fields`` to the server's ``progress`` callback (nothing outside a worker)."""
    if _channel is not None:
        _channel.send(("progress", fields))
    elif getattr(_inline, "progress", None) is not None:
        _inline.progress(fields)


def _die_with_parent() -> None:
    """Ask Linux to kill this process when its parent (the forkserver, which ends with the server) dies."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # not Linux: the server's own shutdown still kills its workers
        pass


def _worker(channel, fn, args, memory: int | None) -> None:
    global _channel
    os.setsid()  # its own process group: killing it kills what it started (LibreOffice, pdftoppm)
    _die_with_parent()
    if os.getppid() == 1:  # the parent died before the line above took effect
        os._exit(1)
    if memory:
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    _channel = channel
    try:
        answer = ("ok", fn(*args))
    except BaseException as exc:  # noqa: BLE001 — every failure goes back to the server, raised again there
        answer = ("error", _portable(exc))
    try:
        channel.send(answer)
    except Exception as exc:  # noqa: BLE001 — an answer that cannot be pickled: say what it was
        channel.send(("error", _portable(RuntimeError(f"cannot send the answer: {exc!r}"))))
    channel.close()


def _portable(exc: BaseException) -> BaseException:
    """``exc`` if it survives pickling both ways, else a RuntimeError naming it."""
    try:
        pickle.loads(pickle.dumps(exc))
        return exc
    except Exception:  # noqa: BLE001
        return RuntimeError(f"{type(exc).__name__}: {exc}")


def _kill(proc) -> None:
    if proc.pid is None:
        return
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    try:
        proc.kill()
    except (ProcessLookupError, ValueError, AttributeError):
        pass


class Workers:
    """At most ``slots`` worker processes at once; each call waits for a free one (its waiting counts towards
    its deadline). ``memory``: bytes of address space per worker (None: no limit). ``isolate=False`` runs each
    call in the calling thread instead — no deadline, no cancelling, no memory limit: for tests that replace
    library functions in this process."""

    def __init__(self, slots: int, memory: int | None = WEB_WORKER_MEMORY, isolate: bool = True):
        self.slots, self.memory, self.isolate = max(1, slots), memory, isolate
        self._free = threading.BoundedSemaphore(self.slots)
        self._running: set = set()
        self._lock = threading.Lock()
        self._closed = threading.Event()
        self.stopped = 0  # calls killed before their end (cancelled, past their deadline, server stopping)

    def warm(self) -> None:
        """Start the forkserver now (it imports docgen: seconds), so that the first call does not wait for it."""
        if self.isolate:
            _mp_context()
            from multiprocessing import forkserver

            forkserver.ensure_running()

    def running(self) -> int:
        """How many worker processes are alive now."""
        return len(self.pids())

    def pids(self) -> list[int]:
        with self._lock:
            return [p.pid for p in self._running if p.is_alive()]

    def call(
        self,
        fn: Callable,
        *args,
        timeout: float,
        cancel: threading.Event | None = None,
        progress: Callable[[dict], None] | None = None,
    ):
        """``fn(*args)`` in a worker; its return value, or its exception raised here. Raises :class:`TimedOut`
        past ``timeout`` seconds, :class:`Stopped` when ``cancel`` is set or the server stops."""
        deadline = time.monotonic() + timeout

        def stop_reason(waiting: bool = False):
            if self._closed.is_set() or (cancel is not None and cancel.is_set()):
                return Stopped("stopped")
            if time.monotonic() > deadline:
                return TimedOut(timeout, waiting)
            return None

        while not self._free.acquire(timeout=_POLL):
            reason = stop_reason(waiting=True)
            if reason:
                raise reason
        try:
            return self._run(fn, args, stop_reason, progress)
        finally:
            self._free.release()

    def _run(self, fn, args, stop_reason, progress):
        reason = stop_reason()
        if reason:
            raise reason
        if not self.isolate:
            _inline.progress = progress
            try:
                return fn(*args)
            finally:
                _inline.progress = None
        ctx = _mp_context()
        receive, send = ctx.Pipe(duplex=False)
        proc = ctx.Process(target=_worker, args=(send, fn, args, self.memory), daemon=True)
        with self._lock:
            if self._closed.is_set():
                raise Stopped("stopped")
            proc.start()
            self._running.add(proc)
        send.close()
        try:
            while True:
                if receive.poll(_POLL):
                    try:
                        kind, value = receive.recv()
                    except EOFError:
                        raise Crashed(f"worker ended without an answer (exit code {proc.exitcode})") from None
                    if kind == "progress":
                        if progress is not None:
                            progress(value)
                        continue
                    break
                reason = stop_reason()
                if reason:
                    with self._lock:
                        self.stopped += 1
                    raise reason
                if not proc.is_alive() and not receive.poll():
                    raise Crashed(f"worker ended without an answer (exit code {proc.exitcode})")
        finally:
            if proc.exitcode is None:  # still running (stopped, or about to exit): it and what it started go
                _kill(proc)
            proc.join(5)
            with self._lock:
                self._running.discard(proc)
            receive.close()
        if kind == "error":
            if isinstance(value, MemoryError):
                raise OutOfMemory(self.memory) from None
            raise value
        return value

    async def run(self, request, fn: Callable, *args, timeout: float):
        """:meth:`call` for a request: stopped as soon as its client disconnects (or the request is cancelled,
        as when the server shuts down)."""
        cancel = threading.Event()

        async def watch():
            while not cancel.is_set():
                if await request.is_disconnected():
                    cancel.set()
                    return
                await asyncio.sleep(0.25)

        watcher = asyncio.create_task(watch())
        try:
            return await anyio.to_thread.run_sync(
                lambda: self.call(fn, *args, timeout=timeout, cancel=cancel), abandon_on_cancel=True
            )
        finally:
            cancel.set()
            watcher.cancel()

    def close(self) -> None:
        """Stop every call now: running workers are killed, waiting calls give up, new calls are refused."""
        with self._lock:
            self._closed.set()
            procs = list(self._running)
        for proc in procs:
            _kill(proc)
        for proc in procs:
            proc.join(5)


# ---------------------------------------------------------------- what the page says


def status_and_message(exc: BaseException) -> tuple[int, str] | None:
    """The HTTP status and Vietnamese message for a call that did not finish, None for other errors."""
    if isinstance(exc, TimedOut):
        if exc.waiting:
            return 503, f"Máy chủ đang bận với nhiều việc (đã chờ {exc.seconds:g} giây); hãy thử lại sau ít phút."
        return 503, (
            f"Việc này chạy quá {exc.seconds:g} giây nên đã bị dừng; dữ liệu hoặc mẫu Word có thể quá lớn hoặc "
            "có vòng lặp quá dài."
        )
    if isinstance(exc, Stopped):
        return 503, "Việc này đã bị dừng (máy chủ đang dừng, hoặc trình duyệt đã bỏ yêu cầu)."
    if isinstance(exc, (OutOfMemory, MemoryError)):
        limit = getattr(exc, "limit", None)
        shown = f" (quá {size_text(limit)})" if limit else ""
        return 413, f"Việc này cần quá nhiều bộ nhớ{shown} nên đã bị dừng; dữ liệu hoặc mẫu Word quá lớn."
    if isinstance(exc, Crashed):
        return 500, "Tiến trình xử lý dừng bất thường (có thể do thiếu bộ nhớ); hãy thử lại."
    return None


def describe(exc: BaseException) -> str:
    """A Vietnamese sentence for any failure of a call."""
    known = status_and_message(exc)
    return known[1] if known else str(exc)
