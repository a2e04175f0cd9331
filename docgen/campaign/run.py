"""Running a campaign: check every document, then number them from the register, render and write them.

1. Every document (:func:`.plan.documents`) is checked by its kind, in worker processes; the rules that span
   documents are checked across them (the excellence cap of the đảng bộ's members across all its chi bộ, and
   of its chi bộ, with the rating kinds' own batch rule); the dates in order. Every problem is placed at its
   cell, all at once. With any error nothing is written and no number is taken.
2. In the batch folder (:class:`docgen.batch_folder.BatchFolder`: one campaign per folder, swapped in whole),
   one :meth:`Register.take` numbers every numbered document — all or none —, each decision gets the number of
   the tờ trình it answers, every document is rendered and written, the register records the files
   (:meth:`Register.complete`), then the manifest, the print files and the zip are written and the folder is
   swapped in.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from .. import pdf as pdf_mod
from .. import register as reg_mod
from .. import vn
from ..batch.output import MANIFEST, MANIFEST_COLUMNS, manifest_rows, write_zip
from ..batch.plan import Job
from ..batch.pool import ordered
from ..batch.run import Summary
from ..batch.run import work_one as check_and_render  # the batch's own worker: check, render, write one document
from ..batch_folder import BatchFolder
from ..errors import DocgenError, InvalidInput, Problem, errors
from ..export import write_atomic
from ..header import DocumentHeader, slug
from ..inputs import Input
from ..xlsx.locate import place_of
from . import plan
from .workbook import BAO_CAO, QD_CHI_BO, QD_DANG_VIEN, TO_TRINH

MANIFEST_HEAD = ["loai", *MANIFEST_COLUMNS]
PRINT_FILE = "tat_ca_{part}.pdf"  # one print file per kind of document


class CampaignError(DocgenError):
    pass


@dataclass
class Result:
    docs: list
    problems: list  # errors and warnings, placed
    out_dir: Path | None = None
    entries: list = field(default_factory=list)  # the register's entries of the numbered documents, in order
    outcomes: list | dict = field(default_factory=list)  # in the documents' order (check: those written, by index)
    files: list = field(default_factory=list)  # every file written besides the documents
    pdf_notes: list = field(default_factory=list)
    pdf_failed: bool = False

    @property
    def ok(self) -> bool:
        return not errors(self.problems)


# ---------------------------------------------------------------- checking


def _jobs(docs: list) -> list[Job]:
    return [
        Job(
            i,
            d.label,
            DocumentHeader.from_data(d.data.get("ban_hanh") if d.data else None),
            d.file_name,
            d.data,
            d.unit or 0,
            None,
            d.skip,
        )
        for i, d in enumerate(docs)
    ]


def check(inp: Input, workers: int | None = None, build: Path | None = None) -> Result:
    """Every document of the campaign checked; every problem placed at its cell, repeated ones said once.

    ``build``: the build folder of the campaign (:func:`make`); the documents that take no number (the review
    forms, the ballots) are then rendered and written there as they are checked — once, since their data do
    not change — and their outcomes kept. Should anything fail, that folder is dropped whole."""
    if inp.data is None:
        return Result([], inp.problems)
    docs = plan.documents(inp.data)
    _name(docs)
    workers = _workers(workers, len(docs))
    tasks = ((d.kind, job, build, build is not None and not d.numbered) for d, job in zip(docs, _jobs(docs)))
    found: dict[int, list] = {}
    written = {}
    for job, outcome in zip(_jobs(docs), ordered(check_and_render, tasks, workers)):
        if outcome.problems:
            found[job.index] = list(outcome.problems)
        if outcome.status in ("ok", "skip"):
            written[job.index] = outcome
    _check_again(docs, found, workers)
    for i, items in _across(docs).items():
        found.setdefault(i, []).extend(items)
    for i, items in _date_order(docs).items():
        found.setdefault(i, []).extend(items)
    placed = [_place(docs[i], p, inp.origin) for i in sorted(found) for p in found[i]]
    # A cell that could not be read was left empty: what the documents then say of it is the same problem.
    read_cells = {str(p.where) for p in inp.problems if p.where}
    placed = [p for p in placed if not (p.where and str(p.where) in read_cells)]
    return Result(docs, [*inp.problems, *_once(placed)], outcomes=written)


def _check_again(docs: list, found: dict[int, list], workers: int) -> None:
    """A schema error stops a document before its rules are checked; when it is in a part the rules do not
    read (a signer, a ký hiệu shared by a hundred documents), the document is checked again with a stand-in
    there (:data:`plan.STAND_INS`), so that its rules' problems are reported in the same run."""
    again = {}
    for i, problems in found.items():
        d = docs[i]
        replaced = {prefix for p in problems for prefix in plan.STAND_INS if plan.under(p.path, prefix)}
        if replaced and d.data is not None:
            again[i] = (replaced, plan.with_stand_ins(d, replaced))
    if not again:
        return
    order = list(again)
    tasks = (
        (docs[i].kind, Job(i, docs[i].label, DocumentHeader(), "", again[i][1], 0, None), None, False) for i in order
    )
    for i, outcome in zip(order, ordered(check_and_render, tasks, workers)):
        replaced = again[i][0]
        known = {(p.path, p.code) for p in found[i]}
        found[i] += [
            p
            for p in outcome.problems
            if (p.path, p.code) not in known and not any(plan.under(p.path, prefix) for prefix in replaced)
        ]


def _workers(workers: int | None, n: int) -> int:
    return max(1, min(workers or os.cpu_count() or 1, n))


def _across(docs: list) -> dict[int, list]:
    """The kinds' rules spanning documents (the excellence cap of a peer group), over the campaign's
    documents of each kind: the members of the đảng bộ across its chi bộ, its chi bộ across the đảng bộ."""
    out: dict[int, list] = {}
    for parts in ((TO_TRINH,), (QD_DANG_VIEN, QD_CHI_BO)):
        index = [i for i, d in enumerate(docs) if d.part in parts and d.data is not None]
        if not index:
            continue
        spec = docs[index[0]].kind.batch
        for k, items in spec.across([spec.summary(docs[i].data) for i in index]).items():
            out.setdefault(index[k], []).extend(items)
    return out


def _date_order(docs: list) -> dict[int, list]:
    """The đảng ủy's documents on the results (the report, and a kind that joins the campaign) are dated on
    or after every decision they state (the decisions check their own tờ trình and reviews, the tờ trình its
    meeting)."""
    out: dict[int, list] = {}
    decided = [
        (DocumentHeader.from_data(d.data.get("ban_hanh")).date, d)
        for d in docs
        if d.part in (QD_DANG_VIEN, QD_CHI_BO) and d.data
    ]
    for i, doc in enumerate(docs):
        if not doc.data or not (doc.part == BAO_CAO or doc.part not in plan.PARTS):
            continue
        day = DocumentHeader.from_data(doc.data.get("ban_hanh")).date
        later = [(when, d) for when, d in decided if when is not None and day is not None and when > day]
        if later:
            when, d = max(later, key=lambda x: x[0])
            what = plan.part(doc.part)[2]
            out[i] = [
                Problem(
                    "$.ban_hanh.ngay_ban_hanh",
                    "date_order",
                    f"{what} ngày {vn.ngay_so(day)} trước quyết định ngày {vn.ngay_so(when)} ({d.label}); "
                    f"{what[:1].lower()}{what[1:]} phải sau các quyết định.",
                )
            ]
    return out


def _place(doc, p: Problem, origin: dict) -> Problem:
    source = doc.source(p.path)
    where = p.where or (place_of(origin, source) if origin else "") or ""
    return dataclasses.replace(p, path=source, where=where, unit=doc.label)


def _once(problems: list) -> list:
    """A problem of a shared cell (a date on "Văn bản", a signer) is said once, with the number of documents."""
    out, seen = [], {}
    for p in problems:
        key = (str(p.where or p.path), p.code, p.message if not p.where else "")
        if key in seen:
            seen[key][1] += 1
            continue
        seen[key] = [len(out), 1]
        out.append(p)
    for index, count in seen.values():
        if count > 1:
            out[index] = dataclasses.replace(out[index], unit=f"{out[index].unit} và {count - 1} văn bản khác")
    return out


# ---------------------------------------------------------------- making


def make(
    inp: Input,
    out: str | Path,
    reg: reg_mod.Register,
    *,
    restart=None,
    reissue: bool = False,
    new_numbers: bool = False,
    workers: int | None = None,
    pdf: bool = False,
    zip_all: bool = False,
    overwrite: bool = False,
) -> Result:
    """Check the campaign; if it is valid, number, render and write it into ``out`` (swapped in whole). With
    any problem, ``out`` is left as it was and the register is not changed."""
    if inp.data is None:
        return Result([], inp.problems)
    chung = inp.data["chung"]
    batch_id = f"campaign {chung.get('dang_bo')} {chung.get('nam')}"
    with BatchFolder(out, overwrite=overwrite) as folder:
        result = check(inp, workers, folder.path)
        if not result.ok:
            return result  # the build, with the forms it may hold, is dropped
        docs = result.docs
        numbered = [i for i, d in enumerate(docs) if d.numbered and d.data is not None]
        try:
            entries = reg.take(
                [plan.request(docs[i]) for i in numbered],
                batch_id=batch_id,
                restart=restart,
                reissue=reissue,
                new_numbers=new_numbers,
            )
        except InvalidInput as exc:
            placed = [_place_request(docs, numbered, p, inp.origin) for p in exc.problems]
            result.problems = _new_series_once(placed)
            return result
        _number(docs, numbered, entries)
        _name(docs)
        jobs = _jobs(docs)
        tasks = ((docs[i].kind, jobs[i], folder.path, True) for i in numbered)
        by_index = dict(result.outcomes)
        by_index.update(zip(numbered, ordered(check_and_render, tasks, _workers(workers, len(numbered)))))
        outcomes = [by_index[i] for i in range(len(docs))]
        failed = [(docs[o.index], p) for o in outcomes if o.status == "error" for p in o.problems]
        if failed:  # checked above: only a change between the two passes can bring one
            raise CampaignError("; ".join(f"{d.label}: {p.message}" for d, p in failed[:5]))
        reg.complete([(e.id, docs[i].file_name, by_index[i].sha256) for i, e in zip(numbered, entries)])
        summary = Summary(jobs, outcomes, folder.path)
        result.entries, result.outcomes = entries, outcomes
        _write_manifest(docs, summary)
        extra = []
        if pdf:  # a PDF that fails does not take the documents with it: they are written, the failure said
            try:
                extra, result.pdf_notes, result.pdf_failed = _print_files(docs, summary, workers)
            except pdf_mod.PdfError as exc:
                result.pdf_notes, result.pdf_failed = [str(exc)], True
        if zip_all:
            write_zip(summary, extra)
            extra.append("tat_ca.zip")
        result.files = [MANIFEST, *extra]
        folder.commit()
        result.out_dir = Path(out)
    return result


def _place_request(docs, numbered, p: Problem, origin) -> Problem:
    """A register problem (a number held by another document, a new series) at the document's row."""
    where = place_of(origin, p.path) if origin else ""
    unit = next((docs[i].label for i in numbered if p.path.startswith(docs[i].source("$"))), "")
    return dataclasses.replace(p, where=where or "", unit=unit)


_NEW_SERIES, _NAMED = "series_restart_unknown", 5


def _new_series_once(problems: list) -> list:
    """The register asks, for every series it does not know, when its numbers restart: a campaign of a hundred
    chi bộ opens a hundred and two series at once — asked once, naming a few."""
    new = [p for p in problems if p.code == _NEW_SERIES]
    if len(new) <= _NAMED:
        return problems
    names = [re.search(r"dãy số (“[^”]*” của “[^”]*”)", p.message) for p in new]
    shown = "; ".join(m.group(1) for m in names[:_NAMED] if m)
    asked = Problem(
        new[0].path,
        _NEW_SERIES,
        f"Sổ chưa có {len(new)} dãy số ({shown}; và {len(new) - _NAMED} dãy khác): cho biết một lần số bắt đầu lại "
        f"từ 01 khi nào — mỗi năm ({reg_mod.OPT_RESTART} {reg_mod.YEAR}, thường dùng) hoặc từ ngày bắt đầu nhiệm kỳ "
        f"của cấp ủy ({reg_mod.OPT_RESTART} NĂM-THÁNG-NGÀY, ví dụ {reg_mod.OPT_RESTART} 2025-10-15).",
    )
    return [asked, *(p for p in problems if p.code != _NEW_SERIES)]


def _number(docs: list, numbered: list[int], entries: list) -> None:
    """Each document's number from the register; each decision cites its tờ trình's number and date."""
    for i, entry in zip(numbered, entries):
        docs[i].data["ban_hanh"]["so"] = entry.number
    for d in docs:
        if d.cites is not None:
            cited = docs[d.cites].data["ban_hanh"]
            d.data["to_trinh"]["so"] = cited["so"]
            d.data["to_trinh"]["ngay"] = cited["ngay_ban_hanh"]


def _name(docs: list) -> None:
    used: set[str] = set()
    for d in docs:
        prefix = plan.part(d.part)[1]
        header = DocumentHeader.from_data(d.data.get("ban_hanh") if d.data else None)
        stem = header.file_stem(prefix, d.label) if d.numbered else f"{prefix}-{slug(d.label)}"
        name, n = stem, 1
        while name in used:
            n += 1
            name = f"{stem}-{n}"
        used.add(name)
        d.file_name = f"{name}.docx"


def _write_manifest(docs: list, summary: Summary) -> Path:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(MANIFEST_HEAD)
    for d, row in zip(docs, manifest_rows(summary)):
        writer.writerow([plan.part(d.part)[2], *row])
    return write_atomic(summary.out_dir / MANIFEST, ("\ufeff" + buf.getvalue()).encode("utf-8"))


def _print_files(docs: list, summary: Summary, workers: int | None) -> tuple[list[str], list[str], bool]:
    """A PDF per document and one print file per kind (``tat_ca_<kind>.pdf``, bookmarked by unit, of the PDFs
    that were made): the files, a line for each print file and each failure, whether one failed."""
    made = [(d, o) for d, o in zip(docs, summary.outcomes) if o.status == "ok"]
    results = pdf_mod.convert_many(  # into the campaign's folder, synced whole as it is committed
        [summary.out_dir / d.file_name for d, _ in made], summary.out_dir, jobs=workers, durable=False
    )
    bad = [f"Không xuất được PDF của {d.file_name}: {r.error}" for (d, _), r in zip(made, results) if r.error]
    names, notes = [r.pdf.name for r in results if r.pdf], list(bad)
    for part in plan.parts():
        items = [(d.label, r.pdf) for (d, _), r in zip(made, results) if d.part == part and r.pdf]
        if items:
            target = PRINT_FILE.format(part=part)
            merged = pdf_mod.merge(items, summary.out_dir / target)
            names.append(target)
            notes.append(f"{target}: {len(items)} văn bản, {pdf_mod.merged_summary(merged)}")
    return names, notes, bool(bad)
