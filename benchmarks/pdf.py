"""Benchmark: docgen.pdf.convert_many against one soffice start per document, in the same run.

    .venv/bin/python benchmarks/pdf.py [--count 100] [--jobs N]

Renders COUNT copies of the quyết định sample (each with its own number) into a temporary folder, then times
(a) convert_many and (b) the naive loop — one ``soffice --convert-to pdf`` process per document, sequentially,
each with its own profile — and prints both, documents per second and the ratio b/a (the target is ≥ 8).
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import docgen
from docgen.export import write_atomic
from docgen.paths import SAMPLES_DIR
from docgen.pdf import convert_many, merge, soffice_path

SAMPLE = SAMPLES_DIR / "quyet_dinh_xep_loai_dang_vien_khu_dan_cu_so_1_2025.json"
KIND = "quyet_dinh_xep_loai"


def render_copies(count: int, folder: Path) -> list[Path]:
    data = json.loads(SAMPLE.read_text(encoding="utf-8"))
    paths = []
    for i in range(count):
        numbered = copy.deepcopy(data)
        numbered["ban_hanh"]["so"] = 100 + i
        paths.append(write_atomic(folder / f"quyet_dinh_{i + 1:03d}.docx", docgen.render(KIND, numbered)))
    return paths


def naive_convert(exe: str, docx: Path, out_dir: Path, profile: Path) -> None:
    """What one process start per document costs: a fresh soffice, with a fresh profile, per file."""
    subprocess.run(
        [
            exe,
            "--headless",
            "--norestore",
            f"-env:UserInstallation={profile.as_uri()}",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out_dir),
            str(docx),
        ],
        capture_output=True,
        check=True,
        timeout=300,
    )


def timed(label: str, count: int, action) -> float:
    start = time.perf_counter()
    action()
    seconds = time.perf_counter() - start
    print(f"{label}: {seconds:7.1f} s  ({count / seconds:5.1f} documents/s)", flush=True)
    return seconds


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100)
    parser.add_argument("--jobs", type=int, default=os.cpu_count())
    args = parser.parse_args(argv)
    exe = soffice_path()
    if not exe:
        print("LibreOffice (soffice) not found: apt-get install -y libreoffice-writer-nogui", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory(prefix="docgen-bench-") as work:
        work = Path(work)
        docs = render_copies(args.count, work / "docx")
        print(f"{args.count} documents, jobs={args.jobs}, {os.cpu_count()} cores", flush=True)
        # Untimed: load LibreOffice's libraries into the page cache so neither side pays for a cold disk.
        naive_convert(exe, docs[0], work / "warm", work / "warm-profile")

        results = []
        batch = timed(
            "(a) convert_many       ",
            args.count,
            lambda: results.extend(convert_many(docs, work / "a", jobs=args.jobs)),
        )
        failed = [r for r in results if r.error]
        naive = timed(
            "(b) one soffice per doc",
            args.count,
            lambda: [naive_convert(exe, d, work / "b", work / "profiles" / str(i)) for i, d in enumerate(docs)],
        )
        print(f"ratio b/a: {naive / batch:.1f}x (target >= 8x); failures in (a): {len(failed)}")

        items = [(f"Quyết định {i + 1}", r.pdf) for i, r in enumerate(results) if r.pdf]
        parts = sum(r.pdf.stat().st_size for r in results if r.pdf)
        pages = []
        timed("merge into tat_ca.pdf  ", len(items), lambda: pages.append(merge(items, work / "tat_ca.pdf")))
        size = (work / "tat_ca.pdf").stat().st_size
        print(f"tat_ca.pdf: {pages[0].pages} pages, {size / 1e6:.2f} MB (the parts together {parts / 1e6:.2f} MB)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
