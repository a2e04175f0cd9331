"""Where a batch document's problem is in the batch: the envelope path (the unit's part or the common
part), and for a workbook the cell (:mod:`docgen.xlsx.locate`); each placed problem names its document
(``unit``), a problem of the common part once with the number of documents it affects."""

from __future__ import annotations

import dataclasses
import re

from ..errors import Problem
from ..xlsx.locate import place_of
from .plan import Job


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
