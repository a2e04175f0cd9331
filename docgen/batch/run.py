"""Running a batch: every planned document checked, rendered and written atomically by a worker process
(:mod:`.pool`), or only checked; the outcomes, a progress bar, and the manifest written at the end."""

from __future__ import annotations

import hashlib
import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from .. import api, kinds
from ..errors import errors
from ..export import write_atomic
from ..numbers import plain
from .output import write_manifest
from .plan import Job
from .pool import ordered


@dataclass
class Outcome:
    index: int
    status: str
    sha256: str = ""
    problems: list = field(default_factory=list)
    trich_yeu: str = ""  # as the document printed it, for the register


def work_one(args) -> Outcome:
    """Run in a worker: check, render and atomically write one document (or only check it)."""
    kind, job, out_dir, write = args
    if job.skip:
        return Outcome(job.index, "skip")
    if errors(job.problems):
        return Outcome(job.index, "error", problems=job.problems)
    built, problems = api.check_normalised(kind, job.data)  # the envelope was normalised, once
    if built is None or job.problems:  # warnings alone do not stop a document
        return Outcome(job.index, "error", problems=[*job.problems, *errors(problems)])
    if not write:
        return Outcome(job.index, "valid")
    data = api.render_built(kind, built)
    write_atomic(Path(out_dir) / job.file_name, data, durable=False)  # the folder is synced once, at its commit
    summary = plain(built.context.get("trich_yeu")) if job.numbered else ""
    return Outcome(job.index, "ok", hashlib.sha256(data).hexdigest(), trich_yeu=summary)


class Progress:
    """A progress bar on a terminal, nothing otherwise; without a total (a batch file's units are counted as it
    is read), a count alone, ended by :meth:`end`."""

    def __init__(self, total: int | None, what: str, stream=sys.stderr):
        self.total, self.what, self.stream = total, what, stream
        self.enabled = hasattr(stream, "isatty") and stream.isatty()
        self.last, self.shown = 0.0, False

    def __call__(self, done: int, total: int | None = None) -> None:
        self.total = total or self.total
        finished = self.total is not None and done >= self.total
        if not self.enabled or (time.monotonic() - self.last < 0.1 and not finished):
            return
        self.last, self.shown = time.monotonic(), True
        if self.total is None:
            self.stream.write(f"\r{done} {self.what}")
        else:
            width = 30
            full = width * done // max(self.total, 1)
            self.stream.write(f"\r[{'#' * full}{'.' * (width - full)}] {done}/{self.total} {self.what}")
        if finished:
            self.stream.write("\n")
            self.shown = False
        self.stream.flush()

    def end(self) -> None:
        """The line of a count alone ended."""
        if self.enabled and self.shown:
            self.stream.write("\n")
            self.stream.flush()
            self.shown = False


@dataclass
class Summary:
    jobs: list
    outcomes: list
    out_dir: Path
    pdf_errors: list = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(1 for o in self.outcomes if o.status == status)

    @property
    def failed(self) -> list:
        return [o for o in self.outcomes if o.status == "error"]


def check_all(kind, jobs: list[Job], workers: int | None = None) -> Summary:
    """Check every document of the batch without writing anything."""
    workers = min(workers or os.cpu_count() or 1, max(1, len(jobs)))
    return Summary(jobs, list(ordered(work_one, [(kind, j, None, False) for j in jobs], workers)), Path("."))


def run(
    kind,
    jobs: list[Job],
    out_dir: str | Path,
    *,
    workers: int | None = None,
    strict: bool = False,
    progress: Progress | None = None,
    manifest: bool = True,
) -> Summary:
    """Render every job into ``out_dir`` (the build folder of a :class:`~docgen.batch_folder.BatchFolder`)
    and write the manifest (unless ``manifest=False``: a caller that records the files in the register first
    writes it after). With ``strict``, first check them all and write nothing at all (not even the manifest)
    if any fails."""
    out_dir = Path(out_dir)
    workers = workers or os.cpu_count() or 1
    workers = min(workers, max(1, len(jobs)))
    if strict:
        checked = check_all(kind, jobs, workers)
        if checked.failed:
            return Summary(jobs, checked.outcomes, out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    warm_templates(kind, jobs)
    outcomes = []
    for outcome in ordered(work_one, ((kind, j, out_dir, True) for j in jobs), workers):
        outcomes.append(outcome)
        if progress:
            progress(len(outcomes))
    summary = Summary(jobs, outcomes, out_dir)
    if manifest:
        write_manifest(summary)
    return summary


def warm_templates(kind, jobs: list[Job]) -> None:
    """Compile the templates and the schema's validator once before forking, so that every worker starts
    with them."""
    from ..paths import TEMPLATES_DIR
    from ..renderer import compiled
    from ..validation import fast_validator

    fast_validator(kinds.get(kind).schema)

    for name in kinds.get(kind).layouts:
        compiled(TEMPLATES_DIR / name)
