"""``docgen serve``: a local web page where office staff choose a kind of document, upload a JSON or Excel
file or fill a form, see every problem next to its field or cell, and download Word, PDF or a batch's .zip.

:func:`create_app` builds the FastAPI application; :func:`serve` runs it with uvicorn. Bound to a loopback
address (the default, 127.0.0.1) only this machine can open the page; binding to any other address needs
a token, which every request must then carry.
"""

from __future__ import annotations

import os
import shutil
import sys
from urllib.parse import quote

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


def serve(host: str = "127.0.0.1", port: int = 8000, token: str | None = None) -> int:
    """Run the page until interrupted; return the exit status (2: refused to start, 1: could not listen)."""
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
    import uvicorn

    app = create_app(token, host=host, max_upload=_max_upload())
    shown = f"[{host}]" if ":" in host else host
    url = f"http://{shown}:{port}/" + (f"?token={quote(token, safe='')}" if token else "")
    print(f"Trang soạn văn bản đang chạy: {url}\nMở địa chỉ trên bằng trình duyệt. Bấm Ctrl+C để dừng.", flush=True)
    try:
        uvicorn.run(app, host=host, port=port, log_level="warning", server_header=False)
    except SystemExit:  # uvicorn exits when it cannot listen (port in use, address not here)
        print(
            f"Không mở được cổng {port} trên {host} (cổng đang bị chương trình khác dùng, hoặc địa chỉ không "
            "thuộc máy này).",
            file=sys.stderr,
        )
        return 1
    finally:
        shutil.rmtree(app.state.root, ignore_errors=True)  # normally gone already, when the app stopped
    return 0
