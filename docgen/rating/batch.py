"""Rating documents in bulk: one document per unit (``BatchSpec.documents``), and the problems only a whole
batch shows (``BatchSpec.summary`` of each document, then ``BatchSpec.across``): the excellence cap of a peer
group spread over several units."""

from __future__ import annotations

import dataclasses

from .. import rules
from ..errors import Problems
from ..rules import checks, quoted
from ..validation import is_valid
from .results import evaluate, group_caps, rating_date


def peer_summary(doc, stage: str, schema: str):
    """What the peer group's cap needs of one document of a batch (``BatchSpec.summary``), small enough to keep
    for every document of a batch read unit by unit: None for a document naming no group; the group's name
    alone (a str) when the document is not well formed; else its evaluated results, reduced to the members'
    levels and ``nhom`` and the unit's name. The batch's units were normalised and text-checked; each
    document's own problems are found, once, when it is checked."""
    ket_qua = doc.get("ket_qua") if isinstance(doc, dict) else None
    group = ket_qua.get("nhom_tinh_ty_le") if isinstance(ket_qua, dict) else None  # a wrong type: the schema
    if not group or not isinstance(group, str):
        return None
    if not is_valid(schema, doc):
        return group
    rule_set = rules.load(doc.get("che_do", rules.DEFAULT_RULE_SET))
    results = evaluate(doc["ket_qua"], doc["doi_tuong"], stage, rule_set, rating_date(doc), Problems())
    entries = [
        dataclasses.replace(e, data={"nhom": e.data["nhom"]} if "nhom" in e.data else {}, notes=[])
        for e in results.entries
    ]
    return dataclasses.replace(results, entries=entries, unit={"ten": results.unit.get("ten")})


def peer_problems(summaries: list) -> dict[int, list]:
    """Problems that need several documents of a batch (per index of ``summaries``, see :func:`peer_summary`):
    the excellence cap of the peer groups named in ``ket_qua.nhom_tinh_ty_le`` (:func:`group_caps`). A group
    with a document whose data is not well formed cannot be counted: its other documents fail too (none of
    the group is issued until the group can be checked)."""
    units, where, broken = [], [], {}
    for i, summary in enumerate(summaries):
        if isinstance(summary, str):
            broken.setdefault(summary, []).append(i)
        elif summary is not None:
            units.append(summary)
            where.append(i)
    out = {where[k]: items for k, items in group_caps(units).items()}
    for k, results in enumerate(units):
        if results.peer_group in broken:
            found = checks.breach(
                "cap_group_incomplete",
                f"Nhóm “{results.peer_group}” có {len(broken[results.peer_group])} văn bản có lỗi nên chưa tính "
                f"được tỷ lệ {quoted('HTXSNV')} chung; sửa các lỗi đó rồi tạo lại cả lô.",
            )
            out.setdefault(where[k], []).append(found.at("$.ket_qua.nhom_tinh_ty_le"))
    return out


def unit_documents(doc: dict):
    """A batch of rating documents: one per unit (``BatchSpec.documents`` of the rating kinds)."""
    from ..kinds.base import BatchDoc  # the kinds import this package: imported when first used

    unit = ((doc.get("ket_qua") or {}).get("don_vi") or {}).get("ten") or "(chưa có tên đơn vị)"
    return [BatchDoc(unit, doc)]
