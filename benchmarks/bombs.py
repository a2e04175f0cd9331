"""Benchmark: the peak memory and time of the command line on each hostile input, and on the largest inputs the
limits let through.

    .venv/bin/python benchmarks/bombs.py [--code DIR] [--timeout S] [--cap GB]

Every input is built in a temporary folder (tests/bombs.py) and given to ``python -m docgen.cli`` in a child
process; the child's peak resident memory comes from wait4. ``--code DIR`` runs the docgen package found in DIR
instead (e.g. ``git archive main | tar -x -C /tmp/main``), to measure code without these limits: its children
are capped at ``--cap`` GB of address space and ``--timeout`` seconds, so that a bomb cannot take the machine.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

import bombs  # noqa: E402

from docgen import limits  # noqa: E402

MB = bombs.MB


def _largest_accepted() -> list[bombs.Bomb]:
    """Inputs at the limits, which are read to the end: what bounds the memory of a real input."""

    def varied_runs(folder: Path) -> Path:  # one .docx part just under its limit, text that compresses as text
        def body(out):
            n, size = 0, 0
            while size < limits.IMPORT_MAX_PART - MB // 4:
                chunk = "".join(f"<w:p><w:r><w:t>{i}</w:t></w:r></w:p>" for i in range(n, n + 1000))
                out.write(chunk)
                n, size = n + 1000, size + len(chunk)

        return bombs.docx_with_body(folder / "phan_lon.docx", body)

    return [
        bombs.Bomb(
            "json: 1 million values (at the limit)",
            lambda d: bombs.values_json(d / "trieu.json", limits.JSON_MAX_VALUES - 10),
            ["validate", "ke_hoach", "{}", "--json"],
            "unknown_field",
        ),
        bombs.Bomb(
            "json: 16 MB of paragraphs",
            lambda d: bombs.big_json(d / "doan.json", limits.JSON_MAX_BYTES - MB // 4),
            ["validate", "ke_hoach", "{}", "--json"],
            "required",
        ),
        bombs.Bomb(
            "xlsx: 19,990 rows x 25 filled cells",
            lambda d: bombs.xlsx_rows(d / "o.xlsx", limits.SHEET_MAX_ROWS - 10, columns=25),
            ["validate", bombs.QD, "{}", "--json"],
            "xlsx_",
        ),
        bombs.Bomb(
            "xlsx: 500,000 cells, 20 MB of shared strings",
            lambda d: bombs.xlsx_strings(d / "chu.xlsx", limits.SHEET_MAX_ROWS - 10, 25, 900_000),
            ["validate", bombs.QD, "{}", "--json"],
            "xlsx_",
        ),
        bombs.Bomb(
            "docx to import: a 10 MB part",
            varied_runs,
            ["import", "ke_hoach", "{}", "-o", "ra.json"],
            "20.000 đoạn",
        ),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--code", type=Path, help="measure the docgen package in this folder instead")
    parser.add_argument("--timeout", type=float, default=120)
    parser.add_argument("--cap", type=float, default=8, help="GB of address space per child with --code")
    args = parser.parse_args()
    env, cap = None, None
    if args.code:
        env = {**os.environ, "PYTHONPATH": str(args.code.resolve())}
        cap = int(args.cap * 1024 * MB)
    print(f"{'input':42} {'file':>9} {'peak':>9} {'time':>8}  exit  what it said")
    for group, inputs in (("refused", bombs.BOMBS), ("accepted", _largest_accepted())):
        print(f"-- {group}")
        for bomb in inputs:
            with tempfile.TemporaryDirectory() as tmp:
                path, run = bombs.run_bomb(bomb, Path(tmp), args.timeout, env=env, cap=cap)
                size = path.stat().st_size / MB
            said = next((line.strip() for line in reversed(run.stderr.splitlines()) if line.strip()), "")
            exit_text = "kill" if run.returncode is None else str(run.returncode)
            print(f"{bomb.name:42} {size:7.1f}MB {run.peak_mb:7.0f}MB {run.seconds:7.1f}s  {exit_text:>4}  {said[:90]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
