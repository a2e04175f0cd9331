"""Planning a batch: every document of it in a stable order, with its number, its header and a unique file
name (:class:`Job`); a unit that cannot be split into documents fails alone; the rules spanning documents
(the kind's ``BatchSpec.across``, e.g. a peer group's excellence cap) are checked here, across all."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

from .. import kinds
from ..errors import DocgenError, Problem
from ..header import DocumentHeader


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
