"""Batches in the background: a job per upload, its progress, its .zip, and its end.

A job has a random, unguessable id (``secrets.token_urlsafe``) and its own temporary folder; its files are
reachable only through its id. Jobs run one at a time, each in a worker process (:mod:`.workers`) that the
server kills when the job runs past its time limit or the server stops; what the job reports on the way
(phase, progress, problems) comes back to its :class:`Job` as it happens. A finished job's folder is removed
``ttl`` seconds after it finished, or when it is deleted, or when the server stops. A waiting or running job can
be cancelled: it never starts, or its worker is stopped (with the LibreOffice it started) and nothing it made is
kept; numbers it took from the register stay there for its re-run, as after any stopped run.
"""

from __future__ import annotations

import os
import secrets
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from .. import batch, numbers, pdf
from ..batch_folder import BatchFolder
from . import documents, workers
from .safety import WebError, Workspace

QUEUED, RUNNING, DONE, FAILED, CANCELLED = "cho", "dang_chay", "xong", "loi", "huy"
PHASES = {
    "cho": "Đang chờ đến lượt",
    "van_ban": "Đang tạo văn bản",
    "pdf": "Đang xuất PDF",
    "nen": "Đang đóng gói tệp .zip",
    "xong": "Đã xong",
    "loi": "Có lỗi",
    "huy": "Đã hủy",
}
CANCELLED_MESSAGE = (
    "Đã hủy theo yêu cầu: không có tệp nào được giữ lại. Số văn bản đã lấy cho việc này (nếu có) vẫn ở trong sổ: "
    "chạy lại cùng dữ liệu thì dùng lại đúng các số đó."
)


@dataclass
class Job:
    id: str
    kind: str
    workspace: Workspace
    name: str  # download name of the zip (ASCII)
    state: str = QUEUED
    phase: str = "cho"
    done: int = 0
    total: int = 0
    message: str = ""
    problems: list = field(default_factory=list)
    counts: dict = field(default_factory=dict)
    result: Path | None = None
    created: float = field(default_factory=time.monotonic)
    finished: float | None = None
    cancel: threading.Event = field(default_factory=threading.Event, repr=False)  # set: stop it, keep nothing

    def status(self) -> dict:
        return {
            "id": self.id,
            "kind": self.kind,
            "state": self.state,
            "phase": self.phase,
            "phase_text": PHASES.get(self.phase, ""),
            "done": self.done,
            "total": self.total,
            "message": self.message,
            "problems": self.problems,
            "counts": self.counts,
            "download": self.result is not None,
        }


class JobStore:
    """The jobs of one server. ``pool``: the worker processes they run in (one at a time); ``timeout``: seconds
    a job may run."""

    def __init__(self, root: Path, ttl: float, max_jobs: int, pool: workers.Workers, timeout: float):
        self.root, self.ttl, self.max_jobs = root, ttl, max_jobs
        self.workers, self.timeout = pool, timeout
        self._jobs: dict[str, Job] = {}
        self._lock = threading.Lock()
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="docgen-job")

    # ------------------------------------------------------------ lookup

    def get(self, job_id: str) -> Job:
        self.sweep()
        with self._lock:
            job = self._jobs.get(job_id)
        if job is None:
            raise WebError(404, "Không có việc này (mã sai, hoặc kết quả đã quá hạn và bị xóa).")
        return job

    def cancel(self, job_id: str) -> Job:
        """Stop a waiting or running job (see the module); its status answers at once, "huy" once it stopped."""
        job = self.get(job_id)
        if job.state not in (QUEUED, RUNNING):
            raise WebError(409, "Việc này đã kết thúc; không còn gì để hủy.")
        job.cancel.set()
        return job

    def delete(self, job_id: str) -> None:
        job = self.get(job_id)
        if job.state in (QUEUED, RUNNING):
            raise WebError(409, "Việc này đang chạy; bấm “Hủy” để dừng, hoặc chờ xong rồi hãy xóa.")
        with self._lock:
            self._jobs.pop(job_id, None)
        job.workspace.remove()

    def sweep(self, now: float | None = None) -> int:
        """Remove the jobs finished more than ``ttl`` seconds ago; return how many."""
        now = time.monotonic() if now is None else now
        with self._lock:
            old = [j for j in self._jobs.values() if j.finished is not None and now - j.finished > self.ttl]
            for job in old:
                del self._jobs[job.id]
        for job in old:
            job.workspace.remove()
        return len(old)

    def close(self) -> None:
        """Stop: the running job's worker is killed, waiting jobs never start, every job's folder goes."""
        self.workers.close()
        self._pool.shutdown(wait=True, cancel_futures=True)
        with self._lock:
            jobs, self._jobs = list(self._jobs.values()), {}
        for job in jobs:
            job.workspace.remove()

    # ------------------------------------------------------------ starting

    def new_workspace(self) -> Workspace:
        return Workspace(self.root, "viec-")

    def submit(self, kind: str, workspace: Workspace, name: str, planned, want_pdf: bool, numbering=None) -> Job:
        """Queue a planned batch (``(source, found, entries)`` of :func:`documents.number_batch`); ``numbering``:
        the register its entries are recorded in once its documents are written."""
        self.sweep()
        with self._lock:
            busy = sum(1 for j in self._jobs.values() if j.state in (QUEUED, RUNNING))
            if busy >= self.max_jobs:
                raise WebError(429, "Máy chủ đang bận với nhiều việc; hãy thử lại sau ít phút.")
            job = Job(secrets.token_urlsafe(24), kind, workspace, name, total=len(planned[1].jobs))
            self._jobs[job.id] = job
        self._pool.submit(self._run, job, planned, want_pdf, numbering)
        return job

    def _run(self, job: Job, planned, want_pdf: bool, numbering) -> None:
        try:
            if job.cancel.is_set():  # cancelled while it waited for its turn
                raise workers.Stopped("cancelled")
            job.state = RUNNING
            self.workers.call(
                _run_in_worker,
                job.kind,
                job.workspace,
                job.name,
                planned,
                want_pdf,
                numbering,
                timeout=self.timeout,
                cancel=job.cancel,
                progress=lambda fields: job.__dict__.update(fields),
            )
            job.state, job.phase = DONE, "xong"
        except Exception as exc:  # noqa: BLE001 — whatever went wrong is reported on the job, never lost
            if job.cancel.is_set():
                # what the worker made is in the job's folder only: nothing of it is offered
                job.state, job.phase, job.result, job.message = CANCELLED, "huy", None, CANCELLED_MESSAGE
            else:
                job.state, job.phase = FAILED, "loi"
                job.message = f"Không tạo được các văn bản: {workers.describe(exc)}"
        finally:
            job.finished = time.monotonic()


class _JobInWorker:
    """The job as :func:`run_batch` sees it inside a worker process: what it sets is sent to the server's Job."""

    def __init__(self, kind: str, workspace: Workspace, name: str):
        self.__dict__.update(kind=kind, workspace=workspace, name=name)

    def __setattr__(self, key, value):
        self.__dict__[key] = value
        workers.report(**{key: value})


def _run_in_worker(kind: str, workspace: Workspace, name: str, planned, want_pdf: bool, numbering) -> None:
    run_batch(_JobInWorker(kind, workspace, name), *planned, want_pdf=want_pdf, numbering=numbering)


def run_batch(job: Job, source, found, issued: dict | None = None, want_pdf: bool = True, numbering=None):
    """Produce the batch into the job's folder: documents, manifest, merged PDF, and the zip of them — built
    beside it and swapped in whole, as on the command line, so that a failed job leaves no half batch. The
    documents numbered from the register (``issued``: job index → entry) are recorded there once written."""
    out = job.workspace.path / "ket_qua"
    job.phase, job.done, job.total = "van_ban", 0, len(found.jobs)

    def documents_done(done: int, total: int | None = None) -> None:
        job.done = done

    with BatchFolder(out) as folder:
        # the upload read again, unit by unit, as docgen batch does (one process: see documents.load_batch)
        summary = batch.produce(job.kind, source, found, folder.path, workers=1, progress=documents_done)
        problems, notes = batch.describe_problems(summary, found.envelope, source.origin)
        job.problems = documents.problem_dicts(problems)
        if issued:  # on disk, then in the register (named as in the zip), then the manifest
            folder.sync()
            numbers.complete(numbering, issued, summary, lambda j: f"{job.name}.zip/{j.file_name} (trang web)")
        batch.write_manifest(summary, notes)
        extra, notes_text = [], []
        made = [(j, folder.path / j.file_name) for j, o in zip(summary.jobs, summary.outcomes) if o.status == "ok"]
        if want_pdf and made and pdf.soffice_path():
            job.phase, job.done, job.total = "pdf", 0, len(made)

            def pdf_done(done: int, total: int) -> None:
                job.done = done

            results = pdf.convert_many(
                [p for _, p in made], job.workspace.path / "pdf", jobs=os.cpu_count() or 1, progress=pdf_done
            )
            good = [(j.label, r.pdf) for (j, _), r in zip(made, results) if r.pdf]
            notes_text += [f"{j.label}: {r.error}" for (j, _), r in zip(made, results) if r.error]
            if good:
                pdf.merge(good, folder.path / batch.PDF_NAME)
                extra.append(batch.PDF_NAME)
        elif want_pdf and made:
            notes_text.append("Máy chủ chưa cài LibreOffice nên tệp .zip không có tat_ca.pdf.")
        job.phase = "nen"
        batch.write_zip(summary, extra)
        folder.commit()
    job.result = out / batch.ZIP_NAME
    job.counts = {
        "da_tao": summary.count("ok"),
        "loi": len(summary.failed),
        "bo_qua": summary.count("skip"),
        "tong": len(found.jobs),
        "pdf": bool(extra),
    }
    job.message = " ".join(notes_text)
