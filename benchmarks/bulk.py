"""Bulk rendering benchmark: the engine against the plain docxtpl loop a user would write.

    .venv/bin/python benchmarks/bulk.py [--units 1000] [--members 25] [--jobs N]

A synthetic đảng bộ (``docgen.kinds.quyet_dinh_xep_loai.synthetic``): one quyết định xếp loại per chi bộ.
Contexts are built once with the engine (validation, rules, statistics) and then rendered, in the same run, by
  (a) the engine: templates compiled once, unchanged package parts reused, ``--jobs`` processes;
  (b) plain docxtpl: ``DocxTemplate(path)``, ``render(context, autoescape=True)``, ``save`` per document.
A sample of (a)'s outputs is checked to have the same text as (b)'s. Also measured: the whole
``docgen batch`` command (read, validate, check rules, build, render, write, manifest), its peak
memory, and the peak at a quarter of the size to show it stays flat. Prints numbers; asserts nothing.
"""

from __future__ import annotations

import argparse
import concurrent.futures as cf
import io
import json
import multiprocessing
import os
import platform
import random
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

from docxtpl import DocxTemplate
from lxml import etree

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from docgen import api, batch, kinds  # noqa: E402
from docgen.export import write_atomic  # noqa: E402
from docgen.paths import TEMPLATES_DIR  # noqa: E402
from docgen.renderer import compiled  # noqa: E402
from docgen.kinds.quyet_dinh_xep_loai.synthetic import dang_bo  # noqa: E402

KIND = "quyet_dinh_xep_loai"
TEMPLATE = TEMPLATES_DIR / kinds.get(KIND).template
W_T = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}t"


def texts(docx: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(docx)) as z:
        root = etree.fromstring(z.read("word/document.xml"))
    return [t.text or "" for t in root.iter(W_T)]


_BUILT: list = []  # the contexts, inherited by forked workers (not pickled per document)


def _engine_one(task) -> int:
    i, out = task
    b = _BUILT[i]
    write_atomic(out, compiled(TEMPLATE).render(b.context, b.footnotes_xml), durable=False)
    return 1


def engine(built, out_dir: Path, jobs: int) -> float:
    global _BUILT
    _BUILT = built
    compiled(TEMPLATE)  # compiled once, before the workers fork
    tasks = [(i, out_dir / f"{i:05d}.docx") for i in range(len(built))]
    start = time.perf_counter()
    if jobs <= 1:
        for t in tasks:
            _engine_one(t)
    else:
        with cf.ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("fork")) as pool:
            for _ in pool.map(_engine_one, tasks, chunksize=16):
                pass
    os.sync()  # as `docgen batch` does before it swaps its folder in
    return time.perf_counter() - start


def plain_docxtpl(built, out_dir: Path) -> float:
    start = time.perf_counter()
    for i, b in enumerate(built):
        tpl = DocxTemplate(str(TEMPLATE))
        tpl.render(b.context, autoescape=True)
        tpl.save(str(out_dir / f"{i:05d}.docx"))
    os.sync()
    return time.perf_counter() - start


def whole_command(units: int, members: int, jobs: int, work: Path) -> tuple[float, float]:
    """Wall time and peak memory (MB, the largest process) of `docgen batch` on a fresh input."""
    from docgen import register

    src = work / f"lo_{units}.json"
    src.write_text(json.dumps(dang_bo(units, members), ensure_ascii=False), encoding="utf-8")
    numbers = work / f"so_{units}.sqlite"  # a register of its own, never the user's: the numbers recorded in it
    register.create_register(numbers).close()
    code = (
        "import resource, subprocess, sys, time; t = time.perf_counter(); "
        f"r = subprocess.run([sys.executable, '-m', 'docgen.cli', 'batch', '{KIND}', r'{src}', '-o', "
        f"r'{work / f'out_{units}'}', '--jobs', '{jobs}', '--register', r'{numbers}'], capture_output=True); "
        "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, r.returncode)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True).stdout
    seconds, peak_kb, rc = out.split()
    assert rc == "0", f"docgen batch failed ({rc})"
    return float(seconds), int(peak_kb) / 1024


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--units", type=int, default=1000)
    ap.add_argument("--members", type=int, default=25)
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--sample", type=int, default=25, help="documents whose text is compared")
    args = ap.parse_args(argv)
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
        f"{args.units} chi bộ × {args.members} members, jobs={args.jobs}"
    )

    jobs = batch.plan(KIND, dang_bo(args.units, args.members))
    start = time.perf_counter()
    built = []
    for job in jobs:
        b, problems = api.check(KIND, job.data)
        assert not problems, problems[:3]
        built.append(b)
    contexts_s = time.perf_counter() - start

    with tempfile.TemporaryDirectory() as work:
        work = Path(work)
        (work / "a").mkdir(), (work / "b").mkdir()
        a_s = engine(built, work / "a", args.jobs)
        a1_s = engine(built[: max(1, len(built) // 4)], work / "a", 1) * len(built) / max(1, len(built) // 4)
        b_s = plain_docxtpl(built, work / "b")
        picks = random.Random(1).sample(range(len(built)), min(args.sample, len(built)))
        same = all(
            texts((work / "a" / f"{i:05d}.docx").read_bytes()) == texts((work / "b" / f"{i:05d}.docx").read_bytes())
            for i in picks
        )
        peak_main = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        del built
        quarter = max(1, args.units // 4)
        cmd_q_s, cmd_q_mb = whole_command(quarter, args.members, args.jobs, work)
        cmd_s, cmd_mb = whole_command(args.units, args.members, args.jobs, work)

    n = len(jobs)
    print(f"contexts (validate, rules, statistics, words), 1 process: {contexts_s:7.2f} s  {n / contexts_s:7.1f} doc/s")
    print(f"(a) engine render, {args.jobs} processes:                  {a_s:7.2f} s  {n / a_s:7.1f} doc/s")
    print(f"(a) engine render, 1 process (extrapolated from {n // 4}):     {a1_s:7.2f} s  {n / a1_s:7.1f} doc/s")
    print(f"(b) plain docxtpl loop, same template and contexts:   {b_s:7.2f} s  {n / b_s:7.1f} doc/s")
    print(
        f"ratio (b)/(a): {b_s / a_s:.1f}x ({b_s / a1_s:.1f}x on one process); "
        f"same text in {len(picks)} sampled documents: {'yes' if same else 'NO'}"
    )
    print(
        f"whole `docgen batch` (read → validate → rules → build → render → write): {n} documents in {cmd_s:.2f} s "
        f"({n / cmd_s:.1f} doc/s), {(n / cmd_s) / (n / b_s):.1f}x the plain loop's rendering alone"
    )
    print(
        f"peak memory, largest process of `docgen batch`: {cmd_q_mb:.0f} MB for {quarter} documents, "
        f"{cmd_mb:.0f} MB for {n}; this benchmark's own process (holding all {n} contexts): {peak_main:.0f} MB"
    )
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
