"""Render alone, per document: the compiled template's ``render`` (evaluate, listing, zip) on built contexts.

    .venv/bin/python benchmarks/render.py [--count 200] [--rounds 7]

Contexts for COUNT quyết định (a synthetic đảng bộ, ``docgen.synthetic``) and for every single-document sample
are built once, untimed; then each round renders all of them in one process. Prints, per kind of input, the
median and the best round in CPU milliseconds per document (the process's own time: the machine is shared, and
wall time there measures the neighbours), the wall-clock median, and the part of the CPU time spent zipping.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from docgen import api, batch, ooxml  # noqa: E402
from docgen.demo import kind_of  # noqa: E402
from docgen.paths import SAMPLES_DIR  # noqa: E402
from docgen.synthetic import dang_bo  # noqa: E402

KIND = "quyet_dinh_xep_loai"


def contexts(count: int) -> dict[str, list]:
    built = {"quyết định (synthetic)": []}
    for job in batch.plan(KIND, dang_bo(count, 25)):
        b, problems = api.check(KIND, job.data)
        assert b is not None, problems[:3]
        built["quyết định (synthetic)"].append((KIND, b))
    samples = built.setdefault("the samples, one each", [])
    for path in sorted(SAMPLES_DIR.glob("*.json")):
        b, problems = api.check(kind_of(path), path)
        assert b is not None, (path.name, problems[:3])
        samples.append((kind_of(path), b))
    return built


def round_ms(items: list) -> tuple[float, float, float]:
    """CPU and wall milliseconds per document for one pass over ``items``, and the CPU time in the zip writer."""
    zip_time = 0.0
    real = ooxml.zip_package

    def timed_zip(*args, **kwargs):
        nonlocal zip_time
        t = time.process_time()
        try:
            return real(*args, **kwargs)
        finally:
            zip_time += time.process_time() - t

    ooxml.zip_package = timed_zip
    try:
        start, wall = time.process_time(), time.perf_counter()
        for kind, b in items:
            api.render_built(kind, b)
        cpu, wall = time.process_time() - start, time.perf_counter() - wall
    finally:
        ooxml.zip_package = real
    return cpu * 1000 / len(items), wall * 1000 / len(items), zip_time * 1000 / len(items)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--count", type=int, default=200)
    ap.add_argument("--rounds", type=int, default=7)
    args = ap.parse_args(argv)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"machine: {os.cpu_count()} cores, load {load:.2f}, Python {platform.python_version()}; 1 process")
    for label, items in contexts(args.count).items():
        round_ms(items)  # untimed: templates compiled, caches warm
        runs = [round_ms(items) for _ in range(args.rounds)]
        cpu, wall, zips = ([r[k] for r in runs] for k in range(3))
        print(
            f"{label:24} {len(items):4d} documents: render {statistics.median(cpu):5.2f} CPU-ms/doc median "
            f"(best {min(cpu):.2f}; wall {statistics.median(wall):.2f}), of it zip {statistics.median(zips):4.2f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
