"""Numbers for the documents a caller makes (render, batch, the web page, a campaign): from the register of
issued numbers (:mod:`docgen.register`), or from the data when the user numbers by hand.

:class:`Numbering` says where numbers come from — the register (its path, or ``$DOCGEN_REGISTER``, or the
default place), or none (``use_register=False``: the numbers are in the data; ``blank=True``: a document
without one keeps room to write it by hand). The recipe, for one document or a whole batch:

1. check and build the documents (their data normalised, without numbers where the data gives none);
2. :func:`request` → a ``Request`` for each numbered one (:func:`is_numbered` asks the built document), then
   one :func:`take` (one transaction: every number, or none and every problem);
3. :func:`with_number` puts each entry's number into the data's ``ban_hanh.so``; build again, render, write;
4. one ``reg.complete([(entry.id, file name, sha256)])`` once the files are on disk.

A batch is numbered before its documents are built (building is most of its time, and is done once, in the
workers): :func:`number_jobs` takes one block for the planned jobs (:func:`job_request`), and
:func:`complete` records the written files — a document that fails keeps its reserved number for its fix.

Without a register, :func:`missing` is the problem of a numbered document that has no number: nothing
invents 01. A series used for the first time asks when its numbers restart (:attr:`Numbering.ask_restart`);
without an answer it restarts each calendar year, and :attr:`Numbering.notes` says so.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
import re
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from . import ooxml, register
from .errors import InvalidInput, Problem, errors
from .header import DocumentHeader
from .register import Entry, Register, Request

OPT_NO_REGISTER = "--no-register"
OPT_BLANK = "--de-trong-so"


@dataclass
class Numbering:
    """Where the numbers of a run come from, and the register's choices for it (see the module's text)."""

    path: str | Path | None = None  # the register file; None: $DOCGEN_REGISTER, else the default place
    use_register: bool = True
    blank: bool = False  # no register; a numbered document without a number keeps room to write it by hand
    restart: str | dt.date | None = None  # for series used the first time: "nam" or a term's start
    reissue: bool = False
    new_numbers: bool = False
    # asked (issuer, ký hiệu) for each series the register does not have yet; returns "nam" or a date
    ask_restart: Callable[[str, str], str | dt.date] | None = None
    notes: list[str] = field(default_factory=list)  # what the user should know (a series made with the default)
    create: bool | None = None  # make the register if missing (None: only at the default place)

    @classmethod
    def resolved(cls, path: str | Path | None = None, **choices) -> Numbering:
        """With the register's place resolved now (the path, else ``$DOCGEN_REGISTER``, else the default) —
        for work done in other processes, whose environment may be older than this one's."""
        target, explicit = register.resolve_path(path)
        return cls(path=target, create=not explicit, **choices)

    @property
    def registered(self) -> bool:
        return self.use_register and not self.blank

    def open(self) -> Register | None:
        """The register to number from (created only at the default place), or None without one."""
        if not self.registered:
            return None
        if self.create and self.path:  # the default place, resolved earlier: its folder made as it would be
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        return register.open_register(self.path, create=self.create)


def is_numbered(built) -> bool:
    """Whether a built document prints a number: its header has a ký hiệu ("Số …-QĐ/ĐU"). A member's review
    form has no number line, so it takes none."""
    return built is not None and built.header is not None and bool(built.header.ky_hieu)


def plain(value) -> str:
    """A context's text (a centred title broken into Word lines, escaped) as one plain line."""
    if not isinstance(value, str):
        return ""
    return " ".join(html.unescape(str(value).replace(ooxml.TEXT_LINE_BREAK, " ")).split())


def request(kind, data: dict, built, *, unit: str = "", path: str = "$") -> Request:
    """What the register is told of one document: ``data`` is its normalised data, ``built`` what the kind
    built of it; ``unit`` the unit it is about (a batch's label). Its content is its data: the same data
    through another template variant is the same document (the same number), not a changed one."""
    header: DocumentHeader = built.header
    return Request(
        issuer=header.issuer,
        ky_hieu=header.ky_hieu,
        date=header.date,
        kind=kind.name,
        trich_yeu=plain(built.context.get("trich_yeu")),
        unit=unit,
        key=unit,  # a unit's document is one per kind and unit, as in a batch (job_request); else the trích yếu
        title=kind.title,
        fingerprint=register.fingerprint(data, normalised=True),  # the data given is normalised
        number=header.number,
        path=path,
        **people_of(data),
    )


def people_of(data: dict) -> dict:
    """The signer and the recipients the register's paper columns show (left empty when of the wrong type:
    the schema check reports it)."""
    signer = data.get("nguoi_ky") if isinstance(data.get("nguoi_ky"), dict) else {}
    recipients = data.get("noi_nhan") if isinstance(data.get("noi_nhan"), list) else []
    return {
        "signer": signer.get("ho_ten") if isinstance(signer.get("ho_ten"), str) else "",
        "recipients": [r for r in recipients if isinstance(r, str)],
    }


def unit_of(kind, data: dict) -> str:
    """The unit a single document is about, as a batch of the kind would label it (so that the same decision
    made alone or in a batch is one document in the register); "" when the kind has no such unit."""
    spec = kind.batch
    if spec is None or not spec.numbered:
        return ""
    try:
        documents = spec.documents(data)
    except (TypeError, AttributeError, KeyError, ValueError):
        return ""
    return documents[0].label if len(documents) == 1 and isinstance(documents[0].label, str) else ""


def batch_id(name: str = "") -> str:
    """A run's id in the register: when, a random part, and what it was made from."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    return f"{stamp}-{secrets.token_hex(3)}" + (f" {name}" if name else "")


def take(reg: Register, requests: list[Request], numbering: Numbering, batch: str = "") -> list[Entry]:
    """One transaction of :meth:`Register.take` with the run's choices. A series the register has never seen
    restarts as ``numbering.restart`` says, else as :attr:`Numbering.ask_restart` answers (asked before the
    transaction: nobody waits for a person), else each calendar year — said in :attr:`Numbering.notes`."""
    new: dict[tuple[str, str], tuple[Request, str | dt.date]] = {}  # normalised series → (a request, answer)
    if numbering.restart is None:
        for r in requests:
            key = (register.norm(r.issuer), register.norm(r.ky_hieu))
            if key not in new and reg.get_series(r.issuer, r.ky_hieu) is None:
                new[key] = (r, numbering.ask_restart(r.issuer, r.ky_hieu) if numbering.ask_restart else register.YEAR)
    entries = reg.take(
        requests,
        batch_id=batch,
        restart=numbering.restart,
        reissue=numbering.reissue,
        new_numbers=numbering.new_numbers,
        first_restart=lambda issuer, ky_hieu: new[(register.norm(issuer), register.norm(ky_hieu))][1],
    )
    for r, _ in new.values():
        found = reg.get_series(r.issuer, r.ky_hieu)
        note = f"Sổ đăng ký chưa có {found.describe()}: đã lập, {found.restart_label}."
        if found.restart == "year" and numbering.ask_restart is None:
            note += (
                " Nếu cấp ủy đánh số theo nhiệm kỳ, đặt lại ngay, trước khi cấp thêm số: docgen register series "
                f"--co-quan “{found.issuer}” --ky-hieu {found.ky_hieu} {register.OPT_RESTART} NĂM-THÁNG-NGÀY."
            )
        numbering.notes.append(note)
    return entries


def with_number(data: dict, number: int) -> dict:
    """``data`` with ``ban_hanh.so`` = ``number`` (new dictionaries; the rest shared)."""
    ban_hanh = data.get("ban_hanh") if isinstance(data.get("ban_hanh"), dict) else {}
    return {**data, "ban_hanh": {**ban_hanh, "so": number}}


def missing(path: str = "$.ban_hanh.so") -> Problem:
    """A numbered document with no number and no register (``number_missing``)."""
    problem = register.missing_number(path)
    return Problem(
        problem.path,
        problem.code,
        problem.message + f" Muốn để trống số để văn thư ghi tay sau khi ký: thêm {OPT_BLANK}.",
    )


def check_given(built, numbering: Numbering, path: str = "$.ban_hanh.so") -> None:
    """Without a register: a numbered document must bring its number (unless blank numbers are asked for)."""
    if is_numbered(built) and built.header.number is None and not numbering.blank:
        raise InvalidInput([missing(path)])


# ---------------------------------------------------------------- a batch


def job_request(kind, job) -> Request | None:
    """The request of one planned batch document, or None when it takes no number from the register: not
    numbered, skipped, failing already, or without the header the register needs (its issuer, a ký hiệu of the
    kind, a date — the schema check reports what is wrong with it; no series is made of a typing slip)."""
    header = job.header
    if not job.numbered or job.skip or errors(job.problems):
        return None
    if not (header.issuer and header.date and header.code == kind.code):
        return None
    return Request(
        issuer=header.issuer,
        ky_hieu=header.ky_hieu,
        date=header.date,
        kind=kind.name,
        unit=job.label,
        key=job.label,  # one document of the kind per unit (the trích yếu is known once it is built)
        title=kind.title,
        # the units were normalised once; a batch read unit by unit brings what the register needs of the data
        fingerprint=job.fingerprint or register.fingerprint(job.data, normalised=True),
        number=header.number,
        path=f"$.don_vi[{job.unit}]",
        **(job.people if job.data is None else people_of(job.data)),
    )


def number_jobs(kind, jobs: list, numbering: Numbering, name: str = "", loaded=None) -> dict[int, Entry]:
    """Number a planned batch (:func:`docgen.batch.plan`) as ``numbering`` says: from the register in one
    transaction (→ job index: its entry), or check that the numbers are in the data (→ {}). ``loaded``: the
    batch's input (:func:`docgen.batch.load`), to place the register's problems in a workbook's cells."""
    from .batch import set_numbers

    if not numbering.registered:
        if not numbering.blank:
            lacking = [j for j in jobs if j.numbered and j.header.number is None]
            if lacking and len(lacking) == sum(1 for j in jobs if j.numbered):
                raise InvalidInput([missing("$.so_bat_dau")])
            for job in lacking:
                job.problems = [*job.problems, missing()]
        return {}
    wanted = [(job.index, r) for job in jobs if (r := job_request(kind, job)) is not None]
    if not wanted:
        return {}
    with numbering.open() as reg:
        try:
            entries = take(reg, [r for _, r in wanted], numbering, batch_id(name))
        except InvalidInput as exc:
            raise InvalidInput([_placed(p, jobs, loaded) for p in exc.problems]) from None
    issued = {index: entry for (index, _), entry in zip(wanted, entries)}
    set_numbers(kind, jobs, {index: entry.number for index, entry in issued.items()})
    return issued


def _placed(problem: Problem, jobs: list, loaded) -> Problem:
    """A problem of the register about a batch document ($.don_vi[i]…): named by its unit, and placed in
    the workbook's cell (or row) for Excel input."""
    from .xlsx.locate import place_of

    m = re.match(r"\$\.don_vi\[(\d+)\]", problem.path)
    if m is None:
        return problem
    index = int(m.group(1))
    unit = next((j.label for j in jobs if j.unit == index), "")
    doc_path = "$" + problem.path[len(m.group(0)) :]
    where = place_of(loaded.origin, doc_path, unit=index) if loaded is not None and loaded.origin else None
    return dataclasses.replace(problem, unit=unit, where=where or problem.where)


def complete(numbering: Numbering, issued: dict[int, Entry], summary, name_of: Callable) -> None:
    """Record in the register the documents of a batch that were written — their files already on disk —
    with the name ``name_of(job)`` gives them (where the user finds them), sha256 and trích yếu. The numbers
    of documents that failed stay reserved: a re-run gets them back."""
    done = [
        (issued[o.index].id, name_of(summary.jobs[o.index]), o.sha256, o.trich_yeu)
        for o in summary.outcomes
        if o.status == "ok" and o.index in issued
    ]
    if done:
        with numbering.open() as reg:
            reg.complete(done)
