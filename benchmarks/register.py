"""Benchmark: the register of issued numbers on this machine's disk.

    .venv/bin/python benchmarks/register.py [--count 1000] [--singles 200] [--processes 4]

Times, on a fresh register in a temporary folder: (a) a block of COUNT numbers for a batch in one transaction,
then completing them (one transaction); (b) the same block again (a re-run: every number given back); (c) SINGLES
documents numbered one transaction each (render, one document at a time); (d) PROCESSES processes taking single
numbers at once; (e) exporting every entry to .xlsx and .csv. Each transaction waits for the disk (synchronous=FULL),
so (c) and (d) are mostly fsync time — on a network drive expect more.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

from docgen import register as R

ISSUER, QD = "Đảng ủy phường Hồng Quang", "QĐ/ĐU"


def requests(count: int, prefix: str) -> list[R.Request]:
    return [
        R.Request(
            ISSUER,
            QD,
            "2025-12-20",
            "quyet_dinh_xep_loai",
            title="Quyết định",
            trich_yeu="về việc xếp loại chất lượng đảng viên năm 2025",
            unit=f"{prefix} {i}",
            fingerprint=f"{i:064x}",
            signer="Trần Nhật Lộc",
            recipients=["Ban Tổ chức Thành ủy", "Lưu Văn phòng Đảng ủy"],
        )
        for i in range(count)
    ]


_TAKER = textwrap.dedent(
    """
    import sys
    from docgen import register as R
    with R.open_register(sys.argv[1]) as reg:
        for i in range(int(sys.argv[3])):
            reg.take([R.Request("Đảng ủy phường Hồng Quang", "QĐ/ĐU", "2025-12-20", "quyet_dinh_xep_loai",
                                unit=f"{sys.argv[2]} {i}", fingerprint="x")])
    """
)


def timed(label: str, n: int, fn) -> None:
    start = time.perf_counter()
    fn()
    seconds = time.perf_counter() - start
    print(f"{label:<58} {seconds:8.3f} s  {n / seconds:9.0f} numbers/s")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--count", type=int, default=1000)
    ap.add_argument("--singles", type=int, default=200)
    ap.add_argument("--processes", type=int, default=4)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "so.sqlite"
        reg = R.create_register(path)

        def block():
            entries = reg.take(requests(args.count, "Chi bộ"), batch_id="lo", restart="nam")
            reg.complete([(e.id, f"{e.number}.docx", "0" * 64) for e in entries])

        timed(f"(a) block of {args.count}, taken and completed", args.count, block)
        timed("(b) the same block again (re-run)", args.count, lambda: reg.take(requests(args.count, "Chi bộ")))
        timed(
            f"(c) {args.singles} single numbers, one transaction each",
            args.singles,
            lambda: [reg.take(requests(1, f"Đơn lẻ {i}")) for i in range(args.singles)],
        )
        per = args.singles // args.processes

        def parallel():
            procs = [
                subprocess.Popen([sys.executable, "-c", _TAKER, str(path), f"p{p}", str(per)])
                for p in range(args.processes)
            ]
            for p in procs:
                if p.wait(timeout=600) != 0:
                    raise SystemExit("a taking process failed")

        timed(f"(d) {args.processes} processes × {per} single numbers at once", per * args.processes, parallel)
        entries = reg.entries()
        numbers = sorted(e.number for e in entries)
        assert numbers == list(range(1, len(numbers) + 1)), "duplicate or gap"
        for suffix in ("xlsx", "csv"):
            timed(
                f"(e) export {len(entries)} entries to .{suffix}",
                len(entries),
                lambda s=suffix: R.write_export(Path(tmp) / f"so.{s}", entries),
            )
        print(f"register file: {path.stat().st_size / 1024:.0f} KiB for {len(entries)} entries")
        reg.close()


if __name__ == "__main__":
    main()
