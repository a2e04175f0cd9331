"""Benchmark: docgen.pdf.convert_many against the best ways to drive LibreOffice by hand, in the same run.

    .venv/bin/python benchmarks/pdf.py [--count 100] [--rounds 3] [--jobs N]

Renders COUNT copies of the quyết định sample (each with its own number) into a temporary folder, then, in
each round and in turn, converts them all:

(a) ``convert_many`` — what ``docgen batch --pdf`` does: JOBS soffice processes with their own profiles, each
    given its share at once, every PDF checked (pages, fonts) and written to its place;
(b) one ``soffice --convert-to pdf`` call given every file (one process, one profile), nothing checked;
(c) JOBS ``soffice`` calls at once with separate profiles, the files dealt out between them, nothing checked;
    (b) and (c) name the import filter as docgen does (``--infilter``; ``--detect`` leaves it to LibreOffice's
    type detection, as a plain ``soffice --convert-to`` does);
(e) as (c), each profile seeded before soffice starts as docgen seeds its own (``docgen.office_start``: the
    installation's version recorded, so that soffice skips its start-up graphics self-test), nothing checked —
    the fastest hand arrangement once that is known;
(f) as (e), with jemalloc preloaded for soffice as docgen preloads it (``office_start.environment``), when the
    machine has it: the fastest hand arrangement with both;
(d) the warm LibreOffice (docgen.office, JOBS converters over UNO, already started), one document at a time
    per converter, every PDF checked as in (a).

Rounds alternate the arrangements so that the machine's load falls on all alike; prints each one's median
seconds and documents per second, and (a)'s ratio to the fastest of (b) and (c) (the target is <= 1.0) and to (e).
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import docgen
from docgen import office, office_start
from docgen.export import write_atomic
from docgen.paths import SAMPLES_DIR
from docgen.pdf import convert_many, docx_to_pdf, merge, soffice_path

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


INFILTER = ["--infilter=MS Word 2007 XML"]


def soffice(exe: str, docs: list[Path], out_dir: Path, profile: Path, env: dict | None = None) -> None:
    """One soffice process converting ``docs`` into ``out_dir``, with its own profile (and by default glibc's
    malloc, as LibreOffice ships)."""
    if env is None:
        env = {k: v for k, v in os.environ.items() if k != "LD_PRELOAD"}
    subprocess.run(
        [
            exe,
            "--headless",
            "--norestore",
            f"-env:UserInstallation={profile.as_uri()}",
            *INFILTER,
            "--convert-to",
            "pdf",
            "--outdir",
            str(out_dir),
            *map(str, docs),
        ],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        # A session of its own, as docgen starts soffice: one started in its caller's session converted 2-3
        # times slower here (8 documents: 25.7-40.1 s against 11.4-14.4 s).
        start_new_session=True,
        check=True,
        timeout=1800,
        env=env,
    )


def split(exe: str, docs: list[Path], out_dir: Path, profiles: Path, jobs: int, seeded: bool = False, env=None) -> None:
    def one(k: int) -> None:
        if seeded:
            office_start.seed_profile(profiles / str(k), exe)
        soffice(exe, docs[k::jobs], out_dir, profiles / str(k), env)

    with ThreadPoolExecutor(jobs) as threads:
        list(threads.map(one, range(jobs)))


def warm(pool: office.Pool, docs: list[Path], out_dir: Path, jobs: int) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    with ThreadPoolExecutor(jobs) as threads:
        list(threads.map(lambda d: docx_to_pdf(d, out_dir / f"{d.stem}.pdf", pool), docs))


def timed(action) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=os.cpu_count())
    parser.add_argument("--detect", action="store_true", help="(b) and (c) without --infilter")
    args = parser.parse_args(argv)
    if args.detect:
        INFILTER.clear()
    exe = soffice_path()
    if not exe:
        print("LibreOffice (soffice) not found: apt-get install -y libreoffice-writer-nogui", file=sys.stderr)
        return 1
    n, jobs = args.count, args.jobs
    with tempfile.TemporaryDirectory(prefix="docgen-bench-") as work:
        work = Path(work)
        docs = render_copies(n, work / "docx")
        print(
            f"{n} documents, jobs={jobs}, {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}, "
            f"(b) and (c) {'with LibreOffice type detection' if args.detect else 'with --infilter'}",
            flush=True,
        )
        # Untimed: load LibreOffice's libraries into the page cache so that no arrangement pays for a cold disk.
        soffice(exe, docs[:1], work / "warm", work / "warm-profile")
        pool = office.Pool(jobs, work_dir=work) if office.uno_python() else None
        if pool:
            started = timed(lambda: warm(pool, docs[:jobs], work / "start", jobs))
            print(f"(d) starting {jobs} warm converters (and their first document): {started:.1f} s", flush=True)
        arrangements = {
            # as docgen batch --pdf calls it: into the batch's folder, synced once when it is committed
            "(a) convert_many (docgen)          ": lambda r: convert_many(
                docs, work / f"a{r}", jobs=jobs, durable=False
            ),
            "(b) one soffice, every file        ": lambda r: soffice(exe, docs, work / f"b{r}", work / f"pb{r}"),
            f"(c) {jobs} soffice, separate profiles  ": lambda r: split(
                exe, docs, work / f"c{r}", work / f"pc{r}", jobs
            ),
            f"(e) {jobs} soffice, seeded profiles    ": lambda r: split(
                exe, docs, work / f"e{r}", work / f"pe{r}", jobs, seeded=True
            ),
        }
        if office_start.allocator():
            arrangements[f"(f) {jobs} soffice, seeded + jemalloc  "] = lambda r: split(
                exe, docs, work / f"f{r}", work / f"pf{r}", jobs, seeded=True, env=office_start.environment()
            )
        if pool:
            arrangements[f"(d) warm LibreOffice, {jobs} over UNO  "] = lambda r: warm(pool, docs, work / f"d{r}", jobs)
        seconds: dict[str, list[float]] = {label: [] for label in arrangements}
        failed = 0
        for r in range(args.rounds):
            for label, action in arrangements.items():
                start = time.perf_counter()
                result = action(r)
                seconds[label].append(time.perf_counter() - start)
                if label.startswith("(a)"):
                    failed += sum(1 for x in result if x.error)
            print(f"  round {r + 1}: " + ", ".join(f"{k[:3]} {v[-1]:.1f} s" for k, v in seconds.items()), flush=True)
        if pool:
            pool.close()
        median = {label: statistics.median(v) for label, v in seconds.items()}
        for label, m in median.items():
            print(
                f"{label}: {m:6.1f} s  ({n / m:5.1f} documents/s, {m / n * 1000:4.0f} ms each; median of {args.rounds})"
            )
        a = next(m for k, m in median.items() if k.startswith("(a)"))
        best = min(m for k, m in median.items() if k.startswith(("(b)", "(c)")))
        seeded = next(m for k, m in median.items() if k.startswith("(e)"))
        both = next((m for k, m in median.items() if k.startswith("(f)")), None)
        print(
            f"ratio (a) / best of (b), (c): {a / best:.2f}x (target <= 1.0); (a) / (e): {a / seeded:.2f}x; "
            + (f"(a) / (f): {a / both:.2f}x; " if both else "(f): no jemalloc here; ")
            + f"failures in (a): {failed}"
        )

        results = convert_many(docs, work / "m", jobs=jobs)
        items = [(f"Quyết định {i + 1}", x.pdf) for i, x in enumerate(results) if x.pdf]
        parts = sum(x.pdf.stat().st_size for x in results if x.pdf)
        merged = []
        took = timed(lambda: merged.append(merge(items, work / "tat_ca.pdf")))
        size = (work / "tat_ca.pdf").stat().st_size
        print(
            f"merge into tat_ca.pdf: {took:.1f} s, {merged[0].pages} pages, {size / 1e6:.2f} MB "
            f"(the parts together {parts / 1e6:.2f} MB); load {os.getloadavg()[0]:.1f}"
        )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
