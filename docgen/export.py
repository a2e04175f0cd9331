"""Writing results: atomic file writes, and PDF through LibreOffice.

A file is either fully written or not there: data goes to a temporary file in the same folder,
is flushed to disk, then renamed over the target (``os.replace`` is atomic on one filesystem).
"""
from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from .errors import DocgenError

INSTALL_HINT = "sudo apt-get install -y libreoffice-writer-nogui"

_UMASK = os.umask(0)
os.umask(_UMASK)


class PdfError(DocgenError):
    pass


def write_atomic(path: str | Path, data: bytes) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o666 & ~_UMASK)  # mkstemp creates 0600; a document is an ordinary file
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def soffice_path() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def docx_to_pdf(docx: Path, pdf: Path, timeout: float = 120) -> Path:
    """Convert one document with a private LibreOffice profile; check that a real PDF came out."""
    exe = soffice_path()
    if not exe:
        raise PdfError(f"Không tìm thấy LibreOffice để xuất PDF. Cài bằng lệnh: {INSTALL_HINT}")
    with tempfile.TemporaryDirectory(prefix="docgen-pdf-") as work:
        work = Path(work)
        profile = (work / "profile").as_uri()
        cmd = [exe, f"-env:UserInstallation={profile}", "--headless", "--norestore", "--convert-to", "pdf",
               "--outdir", str(work), str(Path(docx).resolve())]
        try:
            done = subprocess.run(cmd, capture_output=True, timeout=timeout, text=True)
        except subprocess.TimeoutExpired as exc:
            raise PdfError(f"LibreOffice không xuất xong PDF của “{Path(docx).name}” sau {timeout:.0f} giây.") from exc
        produced = work / (Path(docx).stem + ".pdf")
        # LibreOffice can exit 0 without writing the file: check the result itself.
        if not produced.is_file() or produced.read_bytes()[:5] != b"%PDF-":
            detail = (done.stderr or done.stdout or "").strip()[-300:]
            raise PdfError(f"LibreOffice không tạo được PDF cho “{Path(docx).name}” (mã thoát {done.returncode}). "
                           f"{detail}")
        write_atomic(pdf, produced.read_bytes())
    return Path(pdf)
