"""``docgen serve``: a local web page where office staff choose a kind of document, upload a JSON or Excel
file or fill a form, see every problem next to its field or cell, and download Word, PDF or a batch's .zip.

:func:`create_app` builds the FastAPI application; :func:`serve` runs it with uvicorn. Bound to a loopback
address (the default, 127.0.0.1) only this machine can open the page; binding to any other address needs
a token, which every request must then carry.
"""

from __future__ import annotations

import os
import shutil
import signal
import sys
import threading
from urllib.parse import quote

from .. import limits
from .safety import DEFAULT_MAX_UPLOAD, TOKEN_HEADER, is_loopback

MIN_TOKEN_LENGTH = 8

__all__ = ["serve", "create_app", "TOKEN_HEADER"]


def create_app(token: str | None = None, **options):
    """The web application (see :func:`docgen.web.app.create_app` for the options)."""
    from .app import create_app as _create_app

    return _create_app(token, **options)


def _max_upload() -> int:
    """``DOCGEN_MAX_UPLOAD_MB`` (a number of megabytes) or 10 MB."""
    raw = os.environ.get("DOCGEN_MAX_UPLOAD_MB", "").strip()
    try:
        return int(float(raw) * 1024 * 1024) if raw else DEFAULT_MAX_UPLOAD
    except ValueError:
        return DEFAULT_MAX_UPLOAD


def serve(
    host: str = "127.0.0.1", port: int = 8000, token: str | None = None, open_browser: bool = False, register_path=None
) -> int:
    """Run the page until interrupted; return the exit status (2: refused to start, 1: could not listen).
    ``open_browser``: open the page in this machine's browser once it answers (a desktop shortcut's
    ``docgen serve --open``: the staff guide's way to start the page without typing a command).
    ``register_path``: the register of issued numbers the page numbers from (default: see
    :func:`docgen.register.resolve_path`)."""
    if not is_loopback(host) and not token:
        print(
            f"Không mở trang web ở địa chỉ {host}: địa chỉ này cho phép máy khác truy cập nên phải có mã "
            "truy cập. Thêm --token MÃ (ít nhất 8 ký tự), hoặc bỏ --host để chỉ mở trên máy này (127.0.0.1).",
            file=sys.stderr,
        )
        return 2
    if token is not None and len(token) < MIN_TOKEN_LENGTH:
        print(f"Mã truy cập quá ngắn: cần ít nhất {MIN_TOKEN_LENGTH} ký tự.", file=sys.stderr)
        return 2
    app = create_app(token, host=host, max_upload=_max_upload(), register_path=register_path)
    shown = f"[{host}]" if ":" in host else host
    url = f"http://{shown}:{port}/" + (f"?token={quote(token, safe='')}" if token else "")
    print(
        f"Trang soạn văn bản đang chạy: {url}\nMở địa chỉ trên bằng trình duyệt. Bấm Ctrl+C (hoặc đóng cửa sổ này) "
        "để dừng.",
        flush=True,
    )
    if open_browser:
        threading.Thread(target=_open_when_ready, args=(host, port, url), name="docgen-open", daemon=True).start()
    # uvicorn raises SIGTERM again for the handler it found once it has shut down: ours makes that a normal
    # return, so that the exit handlers run too (multiprocessing's, which remove its temporary folder).
    previous = signal.signal(signal.SIGTERM, _stopped)
    # The window of a desktop shortcut closed (SIGHUP): stop as on SIGTERM, which uvicorn shuts down cleanly.
    previous_hup = signal.signal(signal.SIGHUP, _hung_up) if hasattr(signal, "SIGHUP") else None
    try:
        listened = _run(app, host, port)
    except (_Stop, KeyboardInterrupt):
        print("Đã dừng trang web.", flush=True)
        listened = True
    finally:
        signal.signal(signal.SIGTERM, previous)
        if previous_hup is not None:
            signal.signal(signal.SIGHUP, previous_hup)
        shutil.rmtree(app.state.root, ignore_errors=True)  # normally gone already, when the app stopped
    if not listened:
        print(
            f"Không mở được cổng {port} trên {host} (cổng đang bị chương trình khác dùng, hoặc địa chỉ không "
            "thuộc máy này).",
            file=sys.stderr,
        )
        return 1
    return 0


def _run(app, host: str, port: int) -> bool:
    """Serve ``app`` until SIGINT or SIGTERM; False when it could not listen (port in use, address not here).

    uvicorn handles both signals itself: it stops listening, lets the requests under way finish (a few seconds
    at most, then cancels them) and stops the app (batch jobs killed, folders removed). On the signal the
    requests' worker processes and LibreOffice are killed at once, so that those requests end now, answered
    "stopped"."""
    import uvicorn

    class Server(uvicorn.Server):
        def handle_exit(self, sig, frame):
            super().handle_exit(sig, frame)
            app.state.workers.close()
            if app.state.office:
                app.state.office.close()

    server = Server(
        uvicorn.Config(
            app,
            host=host,
            port=port,
            log_level="warning",
            server_header=False,
            timeout_graceful_shutdown=limits.WEB_SHUTDOWN_SECONDS,
            limit_concurrency=limits.WEB_MAX_CONNECTIONS,
        )
    )
    server.run()
    return server.started


def _open_when_ready(host: str, port: int, url: str, wait: float = 30.0) -> bool:
    """Open ``url`` in the browser as soon as the server accepts connections (False: it never did)."""
    import socket
    import time
    import webbrowser

    end = time.monotonic() + wait
    while time.monotonic() < end:
        try:
            with socket.create_connection((host if host not in ("0.0.0.0", "::") else "127.0.0.1", port), 1):
                return webbrowser.open(url)
        except OSError:
            time.sleep(0.2)
    return False


class _Stop(BaseException):
    """SIGTERM, once uvicorn has shut down."""


def _stopped(signum, frame):
    raise _Stop


def _hung_up(signum, frame):
    os.kill(os.getpid(), signal.SIGTERM)
