"""What a batch leaves besides its documents: ``manifest.csv`` (number, unit, file, sha256, state, note of
every document) and the zip of everything made, both written atomically with fixed times."""

from __future__ import annotations

import csv
import io
import os
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING

from ..export import TEMP_MARK, write_atomic, write_error
from ..ooxml import ZIP_EPOCH

if TYPE_CHECKING:
    from .run import Summary

MANIFEST = "manifest.csv"
ZIP_NAME = "tat_ca.zip"
PDF_NAME = "tat_ca.pdf"
MANIFEST_COLUMNS = ["so", "don_vi", "tep", "sha256", "trang_thai", "ghi_chu"]
STATUS = {"ok": "da_tao", "error": "loi", "skip": "bo_qua", "valid": "hop_le"}


def manifest_rows(summary: Summary, messages: dict[int, str] | None = None) -> list[list[str]]:
    rows = []
    for job, outcome in zip(summary.jobs, summary.outcomes):
        note = job.skip or (messages or {}).get(job.index, "")
        rows.append(
            [
                job.header.number_text,
                job.label,
                job.file_name if outcome.status == "ok" else "",
                outcome.sha256,
                STATUS[outcome.status],
                note,
            ]
        )
    return rows


def write_manifest(summary: Summary, messages: dict[int, str] | None = None) -> Path:
    """``manifest.csv`` (UTF-8 with BOM so that Excel shows Vietnamese correctly)."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(MANIFEST_COLUMNS)
    writer.writerows(manifest_rows(summary, messages))
    return write_atomic(summary.out_dir / MANIFEST, ("\ufeff" + buf.getvalue()).encode("utf-8"))


def write_zip(summary: Summary, extra: list[str] = ()) -> Path:
    """One archive of the produced files and the manifest, entries in a fixed order with fixed times."""
    out = summary.out_dir / ZIP_NAME
    tmp = out.with_name(f".{out.name}{TEMP_MARK}building.tmp")
    names = [j.file_name for j, o in zip(summary.jobs, summary.outcomes) if o.status == "ok"] + [MANIFEST, *extra]
    try:
        with zipfile.ZipFile(tmp, "w") as z:
            for name in names:
                info = zipfile.ZipInfo(name, date_time=ZIP_EPOCH)
                info.external_attr = 0o644 << 16
                # .docx and .pdf are compressed already; the manifest is text
                info.compress_type = zipfile.ZIP_DEFLATED if name.endswith(".csv") else zipfile.ZIP_STORED
                with open(summary.out_dir / name, "rb") as src, z.open(info, "w") as dst:
                    while chunk := src.read(1 << 20):
                        dst.write(chunk)
        os.chmod(tmp, 0o644)
        os.replace(tmp, out)
    except BaseException as exc:
        tmp.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise write_error(exc, out) from exc
        raise
    return out
