"""A batch read unit by unit, in two readings, so that memory stays flat and every number is known before a
document is made.

1. :func:`survey` reads every unit once: a worker reads it (JSON text → data, normalised and text-checked —
   the only time), splits it into documents (:func:`~.plan.unit_jobs`) and returns what the rest of the run
   needs of each, small: its header, label, file-name parts, the register's fingerprint of its content, the
   summary the rules spanning documents need (``BatchSpec.summary``), and — when asked (``--strict``,
   ``docgen validate``) — the verdict of its full check. The main process keeps these :class:`~.plan.Job`
   values without data and the shape of each unit (where a problem's path leaves it), nothing more.
2. The caller numbers the jobs (the data's numbers, consecutive from a start number, or the register's, in
   one transaction: :func:`docgen.numbers.number_jobs`), then :func:`produce` reads the units again and a
   worker renders each unit's documents with their numbers. A unit whose text is not what the first reading
   found (the file changed in between) makes nothing.

The main process only splits the file into units and hands them out; every per-unit step runs in the
workers (:mod:`.pool`), so ``--jobs N`` scales.
"""

from __future__ import annotations

import dataclasses
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from .. import kinds, register
from ..errors import Problem, errors
from ..numbers import people_of, with_number
from ..places import name_places
from .plan import Job, name_files, add_across, batch_spec, unit_jobs
from .pool import ordered
from .run import Outcome, Summary, warm_templates, work_one
from .source import Source, Unit, read_unit


@dataclass
class Survey:
    """What the first reading found: every document (:class:`~.plan.Job`, without data), the batch's own
    problems (with an error among them nothing may be made), each unit's shape and digest, and, when the
    documents were checked, their outcomes."""

    jobs: list[Job]
    problems: list[Problem]
    shapes: dict[int, dict] = field(default_factory=dict)
    digests: dict[int, bytes] = field(default_factory=dict)
    normalised: set[int] = field(default_factory=set)  # units whose text needed normalising
    outcomes: list[Outcome] | None = None

    @property
    def envelope(self) -> dict:
        """All that :func:`~.problems.describe_problems` needs of the envelope: the units' shapes."""
        return {"don_vi": self.shapes}

    def summary(self, outcomes: list[Outcome], out_dir: Path) -> Summary:
        return Summary(self.jobs, outcomes, out_dir)


@dataclass
class _Read:
    """A worker's answer for one unit on the first reading."""

    unit: int
    problems: list
    shape: dict | None = None
    digest: bytes = b""
    normalised: bool = False
    jobs: list = field(default_factory=list)
    summaries: list = field(default_factory=list)
    outlines: list = field(default_factory=list)  # with ``BatchSpec.across``: each document's, to name its places
    outcomes: list = field(default_factory=list)


def _survey_unit(args) -> _Read:
    kind, common, unit, name, check, named = args
    data, problems, changed = read_unit(unit, name)
    if data is None or errors(problems):
        return _Read(unit.index, problems)
    spec = batch_spec(kind)
    jobs = unit_jobs(kind, common, unit.index, data)
    out = _Read(unit.index, problems, _shape(data), unit.digest, changed)
    for job in jobs:
        out.summaries.append(spec.summary(job.data) if spec.across else None)
        out.outlines.append(_outline(job.data) if spec.across else None)
        if job.numbered and isinstance(job.data, dict):
            job.fingerprint = register.fingerprint(job.data, normalised=True)
            job.people = people_of(job.data)
        if check:
            out.outcomes.append(_named(work_one((kind, job, None, False)), job.data, named))
        job.data = None
    out.jobs = jobs
    return out


def survey(kind, source: Source, *, workers: int | None = None, check: bool = False, progress=None) -> Survey:
    """The first reading of a batch (see the module): every unit read, split into documents and, with
    ``check``, every document checked, on ``workers`` processes. The batch's own problems (a unit that is
    not readable JSON, a control character, the envelope's schema …) are all gathered; with one, the units
    after it are only read for theirs."""
    batch_spec(kind)  # a kind that makes no batch: BatchError before anything is read
    workers = max(1, workers or os.cpu_count() or 1)
    warm_templates(kind, [])
    found = Survey([], list(source.problems))
    summaries: list = []
    outlines: list = []
    outcomes: list = []
    shapes: dict = {}

    def tasks():
        for unit in source.units():
            if errors(source.problems) or errors(found.problems):
                continue  # the batch is refused already: the rest is only read for its own problems
            if not isinstance(source.head.get("chung"), dict):
                continue  # the envelope's schema says what it should be
            yield kind, source.head["chung"], unit, source.name, check, source.from_json

    for read in ordered(_survey_unit, tasks(), workers):
        found.problems += read.problems
        if read.shape is None:
            continue
        found.shapes[read.unit] = _shared(read.shape, shapes)
        if read.digest:
            found.digests[read.unit] = read.digest
        if read.normalised:
            found.normalised.add(read.unit)
        for job, summary, outline in zip(read.jobs, read.summaries, read.outlines):
            job.index = len(found.jobs)
            found.jobs.append(job)
            summaries.append(summary)
            outlines.append(_shared(outline, shapes) if outline is not None else None)
        outcomes += read.outcomes
        if progress:
            progress(read.unit + 1)
    if progress and hasattr(progress, "end"):
        progress.end()
    source.check_head()
    found.problems = _unique([*found.problems, *source.problems])
    if errors(found.problems):
        return found
    spec = batch_spec(kind)
    across = spec.across(summaries) if spec.across else {}  # rules spanning documents, e.g. a peer group's cap
    # named here, in the words the document's own problems get ("Danh sách đảng viên"), from its outline
    add_across(found.jobs, {i: name_places(problems, outlines[i]) for i, problems in across.items()})
    if check:
        found.outcomes = [dataclasses.replace(o, index=i) for i, o in enumerate(outcomes)]
        for index in across:  # as the check of a batch held whole says them (docgen.batch.run.work_one)
            job, o = found.jobs[index], found.outcomes[index]
            own = [p for p in o.problems if p not in job.problems] if o.status == "error" else []
            kept = list(job.problems) if errors(job.problems) else [*job.problems, *own]
            found.outcomes[index] = Outcome(index, "error", problems=kept)
    name_files(kinds.get(kind), found.jobs)
    return found


def _unique(problems: list[Problem]) -> list[Problem]:
    seen, out = set(), []
    for p in problems:
        key = (p.path, p.code, p.message)
        if key not in seen:
            seen.add(key)
            out.append(p)
    return out


# ---------------------------------------------------------------- the second reading


def _render_unit(args) -> list[Outcome]:
    kind, common, unit, name, normalised, jobs, out_dir, named = args
    data, problems, _ = read_unit(unit, name) if normalised else _read_plain(unit, name)
    made = unit_jobs(kind, common, unit.index, data) if data is not None and not errors(problems) else []
    if len(made) != len(jobs):  # cannot happen for the same text: the digest was compared
        return [Outcome(j.index, "error", problems=[_changed(name)]) for j in jobs]
    out = []
    for job, doc in zip(jobs, made):
        number = job.header.number
        doc_data = with_number(doc.data, number) if job.numbered and number is not None else doc.data
        job = dataclasses.replace(job, data=doc_data)
        out.append(_named(work_one((kind, job, out_dir, True)), doc_data, named))
    return out


def _read_plain(unit: Unit, name: str):
    """A unit the first reading found normalised already: read, not normalised again."""
    if unit.text is None:
        return unit.data, [], False
    return json.loads(unit.text), [], False


def produce(kind, source: Source, found: Survey, out_dir: str | Path, *, workers=None, progress=None) -> Summary:
    """The second reading (see the module): every document of ``found`` (numbered and named by now) rendered
    and written into ``out_dir`` by the workers; the outcomes in the jobs' order."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    workers = max(1, min(workers or os.cpu_count() or 1, len(found.jobs) or 1))
    by_unit: dict[int, list[Job]] = {}
    for job in found.jobs:
        by_unit.setdefault(job.unit, []).append(job)
    outcomes: dict[int, Outcome] = {}
    changed: list[int] = []

    def tasks():
        for unit in source.units():
            jobs = by_unit.get(unit.index)
            if not jobs:
                continue
            if unit.digest != found.digests.get(unit.index, b""):
                changed.append(unit.index)
                continue
            normalised = unit.index in found.normalised
            yield kind, source.head["chung"], unit, source.name, normalised, jobs, out_dir, source.from_json

    for done in ordered(_render_unit, tasks(), workers):
        for outcome in done:
            outcomes[outcome.index] = outcome
        if progress:
            progress(len(outcomes), len(found.jobs))
    lost = [j for j in found.jobs if j.index not in outcomes]
    if changed or lost or errors(source.problems):
        # the file changed since it was first read (or can no longer be read): what was made from it cannot
        # be trusted to be what was numbered — nothing of this run is kept
        raise SourceChanged(source.name)
    return found.summary([outcomes[j.index] for j in found.jobs], out_dir)


class SourceChanged(Exception):
    """The batch file is not what it was when its documents were numbered."""

    def __init__(self, name: str):
        self.problem = _changed(name)
        super().__init__(self.problem.message)


def _changed(name: str) -> Problem:
    return Problem(
        "$",
        "source_changed",
        f"Tệp {name} đã thay đổi trong khi đang tạo văn bản (có người lưu đè hoặc sửa tệp). Không văn bản nào "
        "của lần chạy này được giữ lại; chạy lại khi tệp đã lưu xong.",
    )


def _named(outcome: Outcome, data, named: bool) -> Outcome:
    """A failed document's problems named in its own words ("Đảng viên thứ 2 (Nguyễn Văn A)"), here where its
    data is at hand (the main process keeps none); a workbook's are placed in its cells by the caller."""
    if outcome.status != "error" or not named:
        return outcome
    return dataclasses.replace(outcome, problems=name_places(outcome.problems, data))


def _shape(value):
    """A unit's dictionaries without their lists and values: where a problem's path leaves the unit."""
    return {k: _shape(v) if isinstance(v, dict) else None for k, v in value.items()}


def _outline(value):
    """A document's data without its values and list items: enough to name a place in it ("Danh sách đảng
    viên", "Mục Kết quả › Nhóm tính chung tỷ lệ") but not a list item."""
    if isinstance(value, dict):
        return {k: _outline(v) for k, v in value.items()}
    return [] if isinstance(value, list) else None


def _shared(shape: dict, cache: dict) -> dict:
    """One object for the units of the same shape (most units of a batch)."""
    key = json.dumps(shape, sort_keys=True, ensure_ascii=False)
    return cache.setdefault(key, shape)
