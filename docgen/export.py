"""Writing results: atomic file writes. PDF lives in :mod:`docgen.pdf`.

A file is either fully written or not there: data goes to a temporary file in the same folder,
is flushed to disk, then renamed over the target (``os.replace`` is atomic on one filesystem).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

_UMASK = os.umask(0)
os.umask(_UMASK)

# Names that moved to docgen.pdf, still importable from here. Resolved on first use because docgen.pdf
# imports write_atomic from this module: an import at the top would be circular.
_PDF_NAMES = {"PdfError", "docx_to_pdf", "INSTALL_HINT", "soffice_path"}


def __getattr__(name: str):
    if name in _PDF_NAMES:
        from . import pdf

        return getattr(pdf, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def write_atomic(path: str | Path, data: bytes, durable: bool = True) -> Path:
    """Write ``data`` to ``path`` so that the file is either complete or absent.

    ``durable``: also flush it to disk before the rename (safe against power loss). A batch writes its
    documents without that and syncs once at the end, before its manifest (7 ms per file saved)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            if durable:
                f.flush()
                os.fsync(f.fileno())
        os.chmod(tmp, 0o666 & ~_UMASK)  # mkstemp creates 0600; a document is an ordinary file
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path
