"""``make images``: page images of the samples for the README and the staff guide (docs/img/).

Renders chosen samples, converts them with LibreOffice and rasterises the wanted page with
pdftoppm. Needs LibreOffice and poppler-utils; it is a documentation tool, not part of the pipeline.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from . import api
from .demo import kind_of
from .export import docx_to_pdf, write_atomic
from .paths import SAMPLES_DIR, checkout

# (sample, page (negative: from the end), image name)
IMAGES = [
    ("ke_hoach_hong_quang_2025.json", 1, "ke_hoach_trang_1.png"),
    ("ke_hoach_hong_quang_2025.json", -1, "ke_hoach_trang_cuoi.png"),
    ("ke_hoach_nguyen_nghiem_2023.json", 1, "ke_hoach_2023_trang_1.png"),
    ("ke_hoach_nguyen_nghiem_2023.json", 2, "ke_hoach_2023_trang_2.png"),
    ("quyet_dinh_xep_loai_dang_vien_khu_dan_cu_so_1_2025.json", 3, "quyet_dinh_danh_sach.png"),
    ("bao_cao_kiem_diem_tap_the_khu_dan_cu_so_1_2025.json", 1, "bao_cao_tap_the_trang_1.png"),
    ("bao_cao_kiem_diem_2a_nguyen_van_hung_2025.json", 1, "ban_kiem_diem_ca_nhan_trang_1.png"),
]


def page_png(docx: Path, page: int, out: Path, dpi: int = 70) -> Path:
    if not shutil.which("pdftoppm"):
        raise SystemExit("Cần pdftoppm (apt-get install poppler-utils).")
    with tempfile.TemporaryDirectory() as work:
        pdf = docx_to_pdf(docx, Path(work) / "doc.pdf")
        if page < 0:  # counted from the end
            from pypdf import PdfReader

            page = len(PdfReader(str(pdf)).pages) + 1 + page
        subprocess.run(
            [
                "pdftoppm",
                "-png",
                "-r",
                str(dpi),
                "-f",
                str(page),
                "-l",
                str(page),
                "-singlefile",
                str(pdf),
                str(Path(work) / "page"),
            ],
            check=True,
        )
        write_atomic(out, (Path(work) / "page.png").read_bytes())
    return out


def main(argv=None) -> int:
    root = checkout()
    if root is None:
        raise SystemExit("make images ghi vào docs/img của bản mã nguồn; hãy chạy trong thư mục dự án (cài -e).")
    out_dir = root / "docs" / "img"
    with tempfile.TemporaryDirectory() as work:
        for sample, page, name in IMAGES:
            path = SAMPLES_DIR / sample
            docx = write_atomic(Path(work) / f"{path.stem}.docx", api.render(kind_of(path), path))
            print(page_png(docx, page, out_dir / name))
    return 0


if __name__ == "__main__":
    sys.exit(main())
