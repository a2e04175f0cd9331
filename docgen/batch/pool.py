"""Worker processes for a batch that end with the process that started them, and results in order with a
bounded number of tasks in flight."""

from __future__ import annotations

import concurrent.futures as cf
import ctypes
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections import deque


def ordered(fn, tasks, workers: int):
    """``fn`` over ``tasks`` in order, on ``workers`` processes, with a bounded number in flight."""
    if workers <= 1:
        yield from map(fn, tasks)
        return
    ctx = multiprocessing.get_context("fork" if sys.platform.startswith("linux") else "spawn")
    with cf.ProcessPoolExecutor(workers, ctx, initializer=_worker_start, initargs=(os.getpid(),)) as pool:
        pending = deque()
        for task in tasks:
            pending.append(pool.submit(fn, task))
            if len(pending) >= workers * 4:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()


_PR_SET_PDEATHSIG = 1
_PARENT_POLL = 0.5  # seconds between two looks at the parent, where the system cannot tell the worker


def _worker_start(parent: int) -> None:
    """A worker ends with the process that started it: a ``docgen batch`` that is killed must not leave its
    workers rendering (and holding memory) behind it. Linux kills the worker itself the moment the parent
    dies (``PR_SET_PDEATHSIG``); elsewhere a thread notices the parent is gone and ends the worker."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's: one message, and it cleans up
    if sys.platform.startswith("linux"):
        try:
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
        except (OSError, AttributeError):
            pass
    if _parent_gone(parent):  # it died before the request took effect
        os._exit(1)
    threading.Thread(target=_watch_parent, args=(parent,), name="docgen-parent", daemon=True).start()


def _parent_gone(parent: int) -> bool:
    if os.name == "nt":
        proc = multiprocessing.parent_process()
        return proc is not None and not proc.is_alive()
    return os.getppid() != parent  # an orphan is adopted by another process


def _watch_parent(parent: int) -> None:
    while not _parent_gone(parent):
        time.sleep(_PARENT_POLL)
    os._exit(1)
