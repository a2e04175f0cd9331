"""Planning a batch: every document of it in a stable order, with its number, its header and a unique file
name (:class:`Job`); a unit that cannot be split into documents fails alone; the rules spanning documents
(the kind's ``BatchSpec.across``, e.g. a peer group's excellence cap) are checked here, across all."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

from .. import kinds
from ..errors import DocgenError, Problem
from ..header import DocumentHeader
from ..numbers import with_number


class BatchError(DocgenError):
    pass


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
    numbered: bool = False  # the kind numbers this document (its number: the data's, the batch's, or the register's)
    # found while planning: the unit's data could not be split into documents (unit_shape), or rules spanning
    # documents (the kind's BatchSpec.across, e.g. a peer group's cap)
    problems: list = field(default_factory=list)
    # what the register is told of the document's content when its data is not kept (a batch read unit by
    # unit): its fingerprint, signer and recipients (docgen.numbers.job_request)
    fingerprint: str = ""
    people: dict | None = None

    @property
    def number(self) -> int | None:
        return self.header.number


def plan(kind, envelope: dict, start_number: int | None = None) -> list[Job]:
    """Every document of the batch in a stable order, with a unique file name; numbered consecutively from
    ``start_number`` (else the envelope's ``so_bat_dau``) when one is given — a number a document's own data
    gives stays. Without either, the numbered documents are left without a number for the caller to give
    (:func:`set_numbers`, from the register): never a silent 01."""
    spec = batch_spec(kind)
    jobs = []
    for u, own in enumerate(envelope["don_vi"]):
        for job in unit_jobs(kind, envelope["chung"], u, own):
            job.index = len(jobs)
            jobs.append(job)
    if spec.across:  # rules spanning documents, e.g. a peer group's cap
        add_across(jobs, spec.across([spec.summary(j.data) for j in jobs]))
    start = start_number if start_number is not None else envelope.get("so_bat_dau")
    if start is not None:
        set_numbers(kind, jobs, consecutive(jobs, start))
    else:
        name_files(kinds.get(kind), jobs)
    return jobs


def batch_spec(kind):
    """How ``kind`` makes documents in bulk (:class:`~docgen.kinds.BatchSpec`); :class:`BatchError` when it
    makes none."""
    declared = kinds.get(kind)
    if declared.batch is None:
        names = ", ".join(k.name for k in kinds.batch_kinds())
        raise BatchError(f"Loại văn bản “{declared.name}” không tạo hàng loạt; dùng một trong: {names}.")
    return declared.batch


def unit_jobs(kind, common: dict, u: int, own) -> list[Job]:
    """The documents of unit ``u`` (its own part ``own`` merged over ``common``), in order, not yet indexed,
    numbered or named; a unit that cannot be split into documents is one failing job."""
    spec = batch_spec(kind)
    merged = merge(common, own)
    try:
        documents = spec.documents(merged)
    except (TypeError, AttributeError, KeyError, ValueError):  # values of the wrong shape: the unit fails alone
        return [_unreadable_unit(u, merged)]
    jobs = []
    for doc in documents:
        ban_hanh = doc.data.get("ban_hanh") if isinstance(doc.data, dict) else None
        given = ban_hanh.get("so") if isinstance(ban_hanh, dict) else None
        given = given if isinstance(given, int) else None  # a wrong type is left to the schema check
        numbered = spec.numbered and isinstance(doc.data, dict) and isinstance(ban_hanh, (dict, type(None)))
        label = doc.label if isinstance(doc.label, str) else f"Đơn vị thứ {u + 1}"  # a wrong type: the schema says
        header = dataclasses.replace(DocumentHeader.from_data(ban_hanh), number=given if numbered else None)
        jobs.append(Job(-1, label, header, "", doc.data, u, doc.origin, doc.skip, numbered))
    return jobs


def consecutive(jobs: list[Job], start: int) -> dict[int, int]:
    """Numbers from ``start`` for the numbered documents without one of their own, in the batch's order."""
    lacking = [j.index for j in jobs if j.numbered and j.header.number is None]
    return {index: start + k for k, index in enumerate(lacking)}


def add_across(jobs: list[Job], found: dict[int, list]) -> None:
    """The problems of the rules spanning documents (``BatchSpec.across``), each on its document."""
    for index, problems in found.items():
        jobs[index].problems = [*jobs[index].problems, *problems]


def set_numbers(kind, jobs: list[Job], numbers: dict[int, int]) -> None:
    """Give the jobs ``numbers`` (job index → number, e.g. taken from the register): in their data's
    ``ban_hanh.so``, their header and their file names."""
    for index, number in numbers.items():
        job = jobs[index]
        if job.data is not None:  # a batch read unit by unit keeps no data: the number joins it when rendered
            job.data = with_number(job.data, number)
        job.header = dataclasses.replace(job.header, number=number)
    name_files(kinds.get(kind), jobs)


def name_files(kind, jobs: list[Job]) -> None:
    used: set = set()
    for job in jobs:
        job.file_name = f"{_unique(job.header.file_stem(kind.code, job.label), used)}.docx"


def _unreadable_unit(unit: int, merged: dict) -> Job:
    label = f"Đơn vị thứ {unit + 1}"
    problem = Problem(
        "$",
        "unit_shape",
        "Không lập được văn bản từ dữ liệu của đơn vị này: có giá trị không đúng kiểu (ví dụ một số hay một "
        "danh sách ở chỗ cần một đối tượng { … } hoặc một chuỗi). Hãy kiểm tra các trường của đơn vị.",
    )
    return Job(-1, label, DocumentHeader(), "", merged, unit, None, problems=[problem])


def _unique(stem: str, used: set) -> str:
    name, n = stem, 1
    while name in used:
        n += 1
        name = f"{stem}-{n}"
    used.add(name)
    return name
