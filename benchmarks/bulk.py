"""Bulk benchmark: `docgen batch` against the plain way a competent user writes, on the same number of cores.

    .venv/bin/python benchmarks/bulk.py [--units 1000] [--members 25] [--jobs 2] [--rounds 3] [--memory 1000,10000]

A synthetic đảng bộ (``docgen.kinds.quyet_dinh_xep_loai.synthetic``): one quyết định xếp loại per chi bộ.
Two comparisons, each run ``--rounds`` times with the two sides interleaved (engine, plain, engine, plain …)
and reported as medians per document, because the machine is shared and its speed drifts:

- render only: the same built contexts rendered by (a) the engine (templates compiled once, unchanged package
  parts reused) and by (b) plain docxtpl (``DocxTemplate(path)``, ``render(context, autoescape=True)``,
  ``save`` per document), both on ``--jobs`` processes; a sample of (a)'s texts is compared with (b)'s;
- end to end: (a) the ``docgen batch`` command (read, normalise, validate, rules, number from a register,
  build, render, write, manifest) against (b) the plain way doing the same work: ``json.load`` of the whole
  file, then per unit the same normalisation, jsonschema validation (``iter_errors``) and context building,
  then docxtpl, on ``--jobs`` processes (``multiprocessing.Pool``), in a fresh process like the command.

Wall time is what a user waits; CPU time (user + system of every process) is less disturbed by the other
work on a shared machine, and is printed beside it. Peak memory: the largest process of ``docgen batch``
(``ru_maxrss``) at each size of ``--memory``. Prints numbers; asserts nothing.
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
import statistics
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
FORK = multiprocessing.get_context("fork")


def texts(docx: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(docx)) as z:
        root = etree.fromstring(z.read("word/document.xml"))
    return [t.text or "" for t in root.iter(W_T)]


def cpu() -> float:
    """CPU seconds of this process and of its finished children."""
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


# ---------------------------------------------------------------- render only

_BUILT: list = []  # the contexts, inherited by forked workers (not pickled per document)


def _engine_one(task) -> int:
    i, out = task
    b = _BUILT[i]
    write_atomic(out, compiled(TEMPLATE).render(b.context, b.footnotes_xml), durable=False)
    return 1


def _plain_one(task) -> int:
    i, out = task
    tpl = DocxTemplate(str(TEMPLATE))
    tpl.render(_BUILT[i].context, autoescape=True)
    tpl.save(str(out))
    return 1


def render_only(fn, n: int, out_dir: Path, jobs: int) -> tuple[float, float]:
    """Wall and CPU seconds of ``fn`` over the built contexts on ``jobs`` processes (forked, as docgen's)."""
    tasks = [(i, out_dir / f"{i:05d}.docx") for i in range(n)]
    start, cpu0 = time.perf_counter(), cpu()
    if jobs <= 1:
        for t in tasks:
            fn(t)
    else:
        with cf.ProcessPoolExecutor(jobs, mp_context=FORK) as pool:
            for _ in pool.map(fn, tasks, chunksize=16):
                pass
    os.sync()
    return time.perf_counter() - start, cpu() - cpu0


# ---------------------------------------------------------------- end to end

_PLAIN_JOBS: list = []


def _plain_unit(task) -> bool:
    """The plain way for one document: the same normalisation, jsonschema's validation and the same context
    building as the engine (its compiled validator left out), then docxtpl."""
    from docgen import validation

    validation.fast_verdict = lambda schema, data: None  # jsonschema decides, as a plain program does
    i, out_dir = task
    job = _PLAIN_JOBS[i]
    built, problems = api.check_data(KIND, job.data)
    if built is None:
        return False
    tpl = DocxTemplate(str(TEMPLATE))
    tpl.render(built.context, autoescape=True)
    tpl.save(str(Path(out_dir) / job.file_name))
    return True


def plain_end_to_end(src: str, out_dir: str, jobs: int) -> None:
    """Run in a fresh process: read the whole file, number the units, each unit checked, built, rendered."""
    global _PLAIN_JOBS
    with open(src, encoding="utf-8") as f:
        envelope = json.load(f)
    _PLAIN_JOBS = batch.plan(KIND, envelope)
    Path(out_dir).mkdir(parents=True, exist_ok=True)
    tasks = [(i, out_dir) for i in range(len(_PLAIN_JOBS))]
    if jobs <= 1:
        made = sum(map(_plain_unit, tasks))
    else:
        with FORK.Pool(jobs) as pool:
            made = sum(pool.imap(_plain_unit, tasks, chunksize=8))
    os.sync()
    assert made == len(tasks), f"{len(tasks) - made} documents refused"


def timed(argv: list[str]) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds and peak memory (MB, the largest process) of a fresh command."""
    code = (
        "import resource, subprocess, sys, time; t = time.perf_counter(); "
        f"r = subprocess.run({argv!r}, capture_output=True); w = time.perf_counter() - t; "
        "u = resource.getrusage(resource.RUSAGE_CHILDREN); "
        "print(w, u.ru_utime + u.ru_stime, u.ru_maxrss, r.returncode); sys.stderr.write(r.stderr.decode()[-2000:])"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    wall, cpu_s, peak_kb, rc = done.stdout.split()
    assert rc == "0", f"{argv[:4]} failed ({rc}): {done.stderr}"
    return float(wall), float(cpu_s), int(peak_kb) / 1024


def docgen_batch(src: Path, out: Path, jobs: int) -> list[str]:
    """The command, numbering from a register of its own (never the user's), new for each run so that every
    run takes its numbers as a first run does."""
    from docgen import register

    numbers = out.with_name(out.name + ".sqlite")
    numbers.unlink(missing_ok=True)
    register.create_register(numbers).close()
    return [
        *(sys.executable, "-m", "docgen.cli", "batch", KIND, str(src), "-o", str(out), "--jobs", str(jobs)),
        *("--register", str(numbers)),
    ]


def plain_command(src: Path, out: Path, jobs: int) -> list[str]:
    return [sys.executable, str(Path(__file__).resolve()), "--plain", str(src), str(out), str(jobs)]


# ---------------------------------------------------------------- report


def per_doc(values: list[float], n: int) -> float:
    return statistics.median(values) / n * 1000


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--units", type=int, default=1000)
    ap.add_argument("--members", type=int, default=25)
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--sample", type=int, default=25, help="documents whose text is compared")
    ap.add_argument("--memory", default="1000,10000", help="batch sizes whose peak memory is measured ('' for none)")
    ap.add_argument("--plain", nargs=3, metavar=("SRC", "OUT", "JOBS"), help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.plain:
        plain_end_to_end(args.plain[0], args.plain[1], int(args.plain[2]))
        return 0
    load = os.getloadavg()[0]
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, load "
        f"{load:.1f} at start; {args.units} chi bộ × {args.members} members, jobs={args.jobs}, {args.rounds} rounds "
        "interleaved, medians"
    )
    envelope = dang_bo(args.units, args.members)
    jobs = batch.plan(KIND, envelope)
    n = len(jobs)
    global _BUILT
    _BUILT = []
    for job in jobs:
        b, problems = api.check(KIND, job.data)
        assert not problems, problems[:3]
        _BUILT.append(b)
    compiled(TEMPLATE)  # compiled once, before the workers fork

    times = {k: [] for k in ("ra", "rb", "ea", "eb")}
    cpus = {k: [] for k in times}
    with tempfile.TemporaryDirectory() as work:
        work = Path(work)
        src = work / "lo.json"
        src.write_text(json.dumps(envelope, ensure_ascii=False), encoding="utf-8")
        for r in range(args.rounds):
            for key, fn in (("ra", _engine_one), ("rb", _plain_one)):
                (work / key).mkdir(exist_ok=True)
                wall, used = render_only(fn, n, work / key, args.jobs)
                times[key].append(wall), cpus[key].append(used)
            for key, command in (("ea", docgen_batch), ("eb", plain_command)):
                wall, used, _ = timed(command(src, work / f"{key}{r}", args.jobs))
                times[key].append(wall), cpus[key].append(used)
        picks = random.Random(1).sample(range(n), min(args.sample, n))
        same = all(
            texts((work / "ra" / f"{i:05d}.docx").read_bytes()) == texts((work / "rb" / f"{i:05d}.docx").read_bytes())
            for i in picks
        )
        peaks = []
        for size in [int(s) for s in args.memory.split(",") if s]:
            big = work / f"lo_{size}.json"
            big.write_text(json.dumps(dang_bo(size, args.members), ensure_ascii=False), encoding="utf-8")
            wall, used, peak = timed(docgen_batch(big, work / f"mem{size}", args.jobs))
            peaks.append((size, peak, wall, used))
            big.unlink()

    def line(what: str, key: str) -> str:
        return f"{what:<58} {per_doc(times[key], n):7.2f} ms/doc wall  {per_doc(cpus[key], n):7.2f} ms/doc CPU"

    print(line(f"render only (a) engine, {args.jobs} processes", "ra"))
    print(line(f"render only (b) plain docxtpl, {args.jobs} processes", "rb"))
    print(
        f"render only ratio (b)/(a): {statistics.median(times['rb']) / statistics.median(times['ra']):.1f}x wall, "
        f"{statistics.median(cpus['rb']) / statistics.median(cpus['ra']):.1f}x CPU; "
        f"same text in {len(picks)} sampled documents: {'yes' if same else 'NO'}"
    )
    print(line(f"end to end (a) docgen batch --jobs {args.jobs}", "ea"))
    print(line(f"end to end (b) plain: json.load, jsonschema, build, docxtpl, {args.jobs} processes", "eb"))
    print(
        f"end to end ratio (b)/(a): {statistics.median(times['eb']) / statistics.median(times['ea']):.1f}x wall, "
        f"{statistics.median(cpus['eb']) / statistics.median(cpus['ea']):.1f}x CPU"
    )
    for size, peak, wall, used in peaks:
        print(
            f"peak memory of docgen batch, {size} units: {peak:.0f} MB (largest process); "
            f"{wall / size * 1000:.2f} ms/doc wall, {used / size * 1000:.2f} ms/doc CPU"
        )
    print(f"load {os.getloadavg()[0]:.1f} at the end")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
