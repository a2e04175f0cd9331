"""Campaign benchmark: the whole ``docgen campaign`` command for a đảng bộ of N chi bộ × M members.

    .venv/bin/python benchmarks/campaign.py [--units 100] [--members 25] [--jobs N] [--pdf]

A synthetic workbook (``docgen.synthetic.campaign``) is written, then the command runs in a child process with
an isolated register (read, check every document, take the numbers, render, write, manifest, zip); its time,
the documents it made per second and the peak memory of the command (the largest of its processes: the main
one or a worker) are printed. Then the same command again on the same register (a re-run: every number given
back, every file the same). Prints numbers; asserts nothing but that the command succeeded.
"""

from __future__ import annotations

import argparse
import csv
import os
import platform
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from docgen import register, synthetic  # noqa: E402
from docgen.campaign import workbook  # noqa: E402


def run_command(book: Path, out: Path, reg: Path, jobs: int, pdf: bool) -> tuple[float, float]:
    """(seconds, peak MB) of one ``docgen campaign`` in a child process."""
    args = ["campaign", str(book), "-o", str(out), "--register", str(reg), "--bat-dau-lai", "nam", "--zip"]
    args += ["--jobs", str(jobs)] + (["--pdf"] if pdf else [])
    code = (
        "import resource, subprocess, sys, time; t = time.perf_counter(); "
        f"r = subprocess.run([sys.executable, '-m', 'docgen.cli', *{args!r}], capture_output=True, text=True); "
        "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, r.returncode); "
        "print(r.stderr[-2000:], file=sys.stderr)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    seconds, peak_kb, rc = done.stdout.split()
    if rc != "0":
        raise SystemExit(f"docgen campaign failed ({rc}):\n{done.stderr}")
    return float(seconds), int(peak_kb) / 1024


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--units", type=int, default=100)
    ap.add_argument("--members", type=int, default=25)
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--pdf", action="store_true", help="also the PDFs and the print files (needs LibreOffice)")
    args = ap.parse_args(argv)
    print(f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, jobs {args.jobs}")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        book = work / "chien_dich.xlsx"
        book.write_bytes(workbook.build_template(synthetic.campaign(args.units, args.members)))
        reg = work / "so.sqlite"
        register.create_register(reg).close()
        print(f"workbook: {args.units} chi bộ × {args.members} members, {book.stat().st_size / 1e6:.1f} MB")
        for label, out in (("first run", work / "ra"), ("re-run, same register", work / "ra_lai")):
            seconds, peak = run_command(book, out, reg, args.jobs, args.pdf)
            with open(out / "manifest.csv", encoding="utf-8-sig", newline="") as f:
                rows = list(csv.DictReader(f))
            made = sum(1 for r in rows if r["trang_thai"] == "da_tao")
            numbered = sum(1 for r in rows if r["so"])
            kinds = {}
            for r in rows:
                if r["trang_thai"] == "da_tao":
                    kinds[r["loai"]] = kinds.get(r["loai"], 0) + 1
            load = ", ".join(f"{x:.1f}" for x in os.getloadavg())  # other work on the machine slows it down
            print(
                f"{label}: {seconds:.2f} s, {made} documents ({numbered} numbered), {made / seconds:.1f} documents/s, "
                f"peak memory {peak:.0f} MB (load average after: {load})"
            )
            print("   " + "; ".join(f"{k}: {n}" for k, n in kinds.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
