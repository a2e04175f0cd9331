"""Bulk production: the same kind of document for every unit of a batch, numbered, in parallel.

A batch (``schemas/lo_van_ban.schema.json``, or an Excel workbook read by :mod:`docgen.xlsx`) has a
common part and one part per unit; each unit's document is the common part merged with its own. The
kind says how a unit becomes documents (one decision per chi bộ; one pre-filled review form per member)
and whether they are numbered. Numbers are handed out consecutively in the input's order, so a re-run
gives every unit the same number and byte-identical files. Every document is written by the worker that
renders it; the main process keeps only small results, so memory stays flat. A bad unit fails alone and
is marked in ``manifest.csv``; ``strict`` produces nothing unless all are valid. :func:`run` writes into
the folder it is given: callers give it the build folder of a :class:`docgen.batch_folder.BatchFolder`,
which swaps the whole run in at the end, so that the output folder never mixes two runs.
"""

from __future__ import annotations

import concurrent.futures as cf
import csv
import ctypes
import hashlib
import io
import multiprocessing
import os
import re
import signal
import sys
import threading
import time
import zipfile
from collections import deque
import dataclasses
from dataclasses import dataclass, field
from pathlib import Path

from . import api, kinds
from .errors import DocgenError, Problem, errors
from .export import TEMP_MARK, write_atomic, write_error
from .header import DocumentHeader
from .inputs import Input, normalise
from .io import read as read_json
from .ooxml import ZIP_EPOCH
from .validation import check_schema
from .xlsx.locate import locate, place_of

MANIFEST = "manifest.csv"
ZIP_NAME = "tat_ca.zip"
PDF_NAME = "tat_ca.pdf"
MANIFEST_COLUMNS = ["so", "don_vi", "tep", "sha256", "trang_thai", "ghi_chu"]
STATUS = {"ok": "da_tao", "error": "loi", "skip": "bo_qua", "valid": "hop_le"}


class BatchError(DocgenError):
    pass


# ---------------------------------------------------------------- input


def is_batch(data) -> bool:
    return isinstance(data, dict) and "chung" in data and "don_vi" in data


def is_workbook(path: str | Path) -> bool:
    """An Excel workbook, by its name (its bytes are checked as it is read)."""
    return Path(path).suffix.lower() in (".xlsx", ".xlsm")


def read(path: str | Path, kind, name: str | None = None) -> Input:
    """The batch file as its reader gives it: a JSON file, or an Excel workbook of the kind (whose origin
    maps envelope paths to cells: "Sheet Đảng viên, dòng 14, cột Xếp loại"). ``name``: the file's name as the
    user knows it, for messages (the web page keeps uploads under fixed names)."""
    if is_workbook(path):
        from .xlsx.read import read_workbook

        return read_workbook(path, kind, name)
    return read_json(path, name)


def prepare(inp: Input) -> Input:
    """A batch read, ready to plan: normalised once for all its units (:func:`docgen.inputs.normalise`) and
    checked against ``lo_van_ban.schema.json`` — JSON and Excel alike — its problems placed in the workbook
    when it came from one. The envelope is None when there is an error."""
    inp = normalise(inp)
    if inp.data is None:
        return inp
    found = check_schema("lo_van_ban.schema.json", inp.data)
    problems = [*inp.problems, *(locate(found, inp.origin) if inp.origin else found)]
    return dataclasses.replace(inp, data=None if errors(problems) else inp.data, problems=problems)


def load(path: str | Path, kind, name: str | None = None) -> Input:
    """Read a batch and prepare it (:func:`read`, :func:`prepare`): the envelope, where its values came
    from, and every problem."""
    return prepare(read(path, kind, name))


def merge(common: dict, own: dict) -> dict:
    """The unit's document: ``own`` over ``common``, dictionaries merged key by key, lists replaced.

    Dictionaries are new (the batch sets ``ban_hanh.so`` in them); lists and values are shared with the
    input, which nothing changes — copying every unit's member list would double the batch in memory."""
    out = {k: _dict_copy(v) for k, v in common.items()}
    for key, value in own.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merge(out[key], value)
        else:
            out[key] = _dict_copy(value)
    return out


def _dict_copy(value):
    return {k: _dict_copy(v) for k, v in value.items()} if isinstance(value, dict) else value


# ---------------------------------------------------------------- planning


@dataclass
class Job:
    index: int
    label: str
    header: DocumentHeader  # what the data says of the document's identity, with the number the batch gives it
    file_name: str
    data: dict | None
    unit: int  # index of the unit in the envelope
    origin: dict | None  # document path → path inside the unit (None: the document is the unit itself)
    skip: str | None = None
    # found while planning: the unit's data could not be split into documents (unit_shape), or rules spanning
    # documents (the kind's batch_problems, e.g. a peer group's cap)
    problems: list = field(default_factory=list)

    @property
    def number(self) -> int | None:
        return self.header.number


def plan(kind, envelope: dict, start_number: int | None = None) -> list[Job]:
    """Every document of the batch in a stable order, with its number and a unique file name."""
    declared = kinds.get(kind)
    spec = declared.batch
    if spec is None:
        names = ", ".join(k.name for k in kinds.batch_kinds())
        raise BatchError(f"Loại văn bản “{declared.name}” không tạo hàng loạt; dùng một trong: {names}.")
    numbered = spec.numbered
    number = start_number if start_number is not None else envelope.get("so_bat_dau", 1)
    jobs, used = [], set()
    for u, own in enumerate(envelope["don_vi"]):
        merged = merge(envelope["chung"], own)
        try:
            documents = spec.documents(merged)
        except (TypeError, AttributeError, KeyError, ValueError):  # values of the wrong shape: the unit fails alone
            jobs.append(_unreadable_unit(len(jobs), u, merged, declared.code, used))
            continue
        for doc in documents:
            ban_hanh = doc.data.get("ban_hanh") if isinstance(doc.data, dict) else None
            given = ban_hanh.get("so") if isinstance(ban_hanh, dict) else None
            given = given if isinstance(given, int) else None  # a wrong type is left to the schema check
            this = None
            if numbered and isinstance(doc.data, dict) and isinstance(ban_hanh, (dict, type(None))):
                this = given if given is not None else number
                if given is None:
                    doc.data.setdefault("ban_hanh", {})["so"] = number
                    number += 1
            label = doc.label if isinstance(doc.label, str) else f"Đơn vị thứ {u + 1}"  # a wrong type: the schema says
            header = dataclasses.replace(DocumentHeader.from_data(ban_hanh), number=this)
            name = _unique(header.file_stem(declared.code, label), used)
            jobs.append(Job(len(jobs), label, header, f"{name}.docx", doc.data, u, doc.origin, doc.skip))
    if spec.across:  # rules spanning documents, e.g. a peer group's cap
        for index, found in spec.across([j.data for j in jobs]).items():
            jobs[index].problems = [*jobs[index].problems, *found]
    return jobs


def _unreadable_unit(index: int, unit: int, merged: dict, code: str, used: set) -> Job:
    label = f"Đơn vị thứ {unit + 1}"
    problem = Problem(
        "$",
        "unit_shape",
        "Không lập được văn bản từ dữ liệu của đơn vị này: có giá trị không đúng kiểu (ví dụ một số hay một "
        "danh sách ở chỗ cần một đối tượng { … } hoặc một chuỗi). Hãy kiểm tra các trường của đơn vị.",
    )
    header = DocumentHeader()
    name = _unique(header.file_stem(code, label), used)
    return Job(index, label, header, f"{name}.docx", merged, unit, None, problems=[problem])


def _unique(stem: str, used: set) -> str:
    name, n = stem, 1
    while name in used:
        n += 1
        name = f"{stem}-{n}"
    used.add(name)
    return name


# ---------------------------------------------------------------- locating problems


def source_path(job: Job, envelope: dict, doc_path: str) -> str:
    """The envelope path a problem of the job's document points to: the unit's part, or the common part."""
    unit_path = f"$.don_vi[{job.unit}]"
    if job.origin is not None:  # a document made from parts of the unit
        prefixes = [p for p in job.origin if doc_path == p or doc_path.startswith((p + ".", p + "["))]
        if not prefixes:
            return "$.chung" + doc_path[1:]
        p = max(prefixes, key=len)
        return f"{unit_path}.{job.origin[p]}{doc_path[len(p) :]}"
    node = envelope["don_vi"][job.unit]
    for name, index, quoted in re.findall(r"\.([A-Za-z_$][\w$]*)|\[(\d+)\]|\[\"([^\"]+)\"\]", doc_path[1:]):
        if not isinstance(node, dict):
            break  # below a list or a value of the unit: all of it is the unit's
        key = name or quoted or int(index)
        if key not in node:
            return "$.chung" + doc_path[1:]  # merged dictionaries: a key the unit lacks came from the common part
        node = node[key]
    return unit_path + doc_path[1:]


def place(job: Job, envelope: dict, locations: dict, doc_path: str) -> str:
    """Where a problem of the job's document is: the workbook cell (or row) for Excel input, else the
    envelope's JSON path."""
    path = source_path(job, envelope, doc_path)
    if not locations:
        return path
    found = place_of(locations, doc_path, unit=job.unit) if job.origin is None else place_of(locations, path)
    return found or path


def describe_problems(summary, envelope: dict, locations: dict) -> tuple[list[Problem], dict[int, str]]:
    """Every problem of the failed documents placed in the batch — its envelope path, its workbook cell for
    Excel, and ``unit``, the document it belongs to (a problem of the common part once, with the number of
    documents it affects) — and a note per failed document for the manifest. Shared by the command line and
    the web page."""
    out: list[Problem] = []
    common: dict[tuple, list] = {}  # (path, where, code, message) → [index in out, count]
    notes = {}
    for job, outcome in zip(summary.jobs, summary.outcomes):
        if outcome.status != "error":
            continue
        texts = []
        for p in outcome.problems:
            source = source_path(job, envelope, p.path)
            where = place(job, envelope, locations, p.path) if locations else ""
            texts.append(f"{where or source}: {p.message} [{p.code}]")
            placed = dataclasses.replace(p, path=source, where=where, unit=job.label)
            if source.startswith("$.chung"):
                key = (source, where, p.code, p.message)
                if key in common:
                    common[key][1] += 1
                    continue
                common[key] = [len(out), 1]
            out.append(placed)
        notes[job.index] = " | ".join(texts)
    for index, count in common.values():
        out[index] = dataclasses.replace(out[index], unit=f"Phần chung ({count} văn bản)")
    return out, notes


# ---------------------------------------------------------------- running


@dataclass
class Outcome:
    index: int
    status: str
    sha256: str = ""
    problems: list = field(default_factory=list)


def _work(args) -> Outcome:
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
    return Outcome(job.index, "ok", hashlib.sha256(data).hexdigest())


def _ordered(fn, tasks, workers: int):
    """``fn`` over ``tasks`` in order, on ``workers`` processes, with a bounded number in flight."""
    if workers <= 1:
        yield from map(fn, tasks)
        return
    ctx = multiprocessing.get_context("fork" if sys.platform.startswith("linux") else "spawn")
    with cf.ProcessPoolExecutor(workers, ctx, initializer=_worker_start, initargs=(os.getpid(),)) as pool:
        pending = deque()
        for task in tasks:
            pending.append(pool.submit(fn, task))
            if len(pending) >= workers * 4:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()


_PR_SET_PDEATHSIG = 1
_PARENT_POLL = 0.5  # seconds between two looks at the parent, where the system cannot tell the worker


def _worker_start(parent: int) -> None:
    """A worker ends with the process that started it: a ``docgen batch`` that is killed must not leave its
    workers rendering (and holding memory) behind it. Linux kills the worker itself the moment the parent
    dies (``PR_SET_PDEATHSIG``); elsewhere a thread notices the parent is gone and ends the worker."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's: one message, and it cleans up
    if sys.platform.startswith("linux"):
        try:
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
        except (OSError, AttributeError):
            pass
    if _parent_gone(parent):  # it died before the request took effect
        os._exit(1)
    threading.Thread(target=_watch_parent, args=(parent,), name="docgen-parent", daemon=True).start()


def _parent_gone(parent: int) -> bool:
    if os.name == "nt":
        proc = multiprocessing.parent_process()
        return proc is not None and not proc.is_alive()
    return os.getppid() != parent  # an orphan is adopted by another process


def _watch_parent(parent: int) -> None:
    while not _parent_gone(parent):
        time.sleep(_PARENT_POLL)
    os._exit(1)


class Progress:
    """A progress bar on a terminal, nothing otherwise."""

    def __init__(self, total: int, what: str, stream=sys.stderr):
        self.total, self.what, self.stream = total, what, stream
        self.enabled = hasattr(stream, "isatty") and stream.isatty()
        self.last = 0.0

    def __call__(self, done: int, total: int | None = None) -> None:
        self.total = total or self.total
        if not self.enabled or (time.monotonic() - self.last < 0.1 and done < self.total):
            return
        self.last = time.monotonic()
        width = 30
        full = width * done // max(self.total, 1)
        self.stream.write(f"\r[{'#' * full}{'.' * (width - full)}] {done}/{self.total} {self.what}")
        if done >= self.total:
            self.stream.write("\n")
        self.stream.flush()


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
    return Summary(jobs, list(_ordered(_work, [(kind, j, None, False) for j in jobs], workers)), Path("."))


def run(
    kind,
    jobs: list[Job],
    out_dir: str | Path,
    *,
    workers: int | None = None,
    strict: bool = False,
    progress: Progress | None = None,
) -> Summary:
    """Render every job into ``out_dir`` (the build folder of a :class:`~docgen.batch_folder.BatchFolder`)
    and write the manifest. With ``strict``, first check them all and write nothing at all (not even the
    manifest) if any fails."""
    out_dir = Path(out_dir)
    workers = workers or os.cpu_count() or 1
    workers = min(workers, max(1, len(jobs)))
    if strict:
        checked = check_all(kind, jobs, workers)
        if checked.failed:
            return Summary(jobs, checked.outcomes, out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    _warm_templates(kind, jobs)
    outcomes = []
    for outcome in _ordered(_work, ((kind, j, out_dir, True) for j in jobs), workers):
        outcomes.append(outcome)
        if progress:
            progress(len(outcomes))
    summary = Summary(jobs, outcomes, out_dir)
    write_manifest(summary)
    return summary


def _warm_templates(kind, jobs: list[Job]) -> None:
    """Compile the templates once before forking, so that every worker starts with them."""
    from .paths import TEMPLATES_DIR
    from .renderer import compiled

    for name in kinds.get(kind).layouts:
        compiled(TEMPLATES_DIR / name)


def manifest_rows(summary: Summary, messages: dict[int, str] | None = None) -> list[list[str]]:
    rows = []
    for job, outcome in zip(summary.jobs, summary.outcomes):
        note = job.skip or (messages or {}).get(job.index, "")
        rows.append(
            [
                job.header.number_text,
                job.label,
                job.file_name if outcome.status == "ok" else "",
                outcome.sha256,
                STATUS[outcome.status],
                note,
            ]
        )
    return rows


def write_manifest(summary: Summary, messages: dict[int, str] | None = None) -> Path:
    """``manifest.csv`` (UTF-8 with BOM so that Excel shows Vietnamese correctly)."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(MANIFEST_COLUMNS)
    writer.writerows(manifest_rows(summary, messages))
    return write_atomic(summary.out_dir / MANIFEST, ("\ufeff" + buf.getvalue()).encode("utf-8"))


def write_zip(summary: Summary, extra: list[str] = ()) -> Path:
    """One archive of the produced files and the manifest, entries in a fixed order with fixed times."""
    out = summary.out_dir / ZIP_NAME
    tmp = out.with_name(f".{out.name}{TEMP_MARK}building.tmp")
    names = [j.file_name for j, o in zip(summary.jobs, summary.outcomes) if o.status == "ok"] + [MANIFEST, *extra]
    try:
        with zipfile.ZipFile(tmp, "w") as z:
            for name in names:
                info = zipfile.ZipInfo(name, date_time=ZIP_EPOCH)
                info.external_attr = 0o644 << 16
                # .docx and .pdf are compressed already; the manifest is text
                info.compress_type = zipfile.ZIP_DEFLATED if name.endswith(".csv") else zipfile.ZIP_STORED
                with open(summary.out_dir / name, "rb") as src, z.open(info, "w") as dst:
                    while chunk := src.read(1 << 20):
                        dst.write(chunk)
        os.chmod(tmp, 0o644)
        os.replace(tmp, out)
    except BaseException as exc:
        tmp.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise write_error(exc, out) from exc
        raise
    return out
