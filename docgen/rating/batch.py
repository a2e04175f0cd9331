"""Rating documents in bulk: one document per unit (``BatchSpec.documents``), and the problems only a whole
batch shows (``BatchSpec.across``): the excellence cap of a peer group spread over several units."""

from __future__ import annotations

from .. import rules
from ..errors import Problems
from ..rules import checks, quoted
from ..validation import is_valid
from .results import evaluate, group_caps, rating_date


def batch_problems(docs: list, stage: str, schema: str) -> dict[int, list]:
    """Problems that need several documents of a batch (per index of ``docs``): the excellence cap of the
    peer groups named in ``ket_qua.nhom_tinh_ty_le`` (:func:`group_caps`). Only documents naming a group are
    evaluated. A group with a document whose data is not well formed cannot be counted: its other documents
    fail too (none of the group is issued until the group can be checked). The batch's envelope was
    normalised and text-checked; each document's own problems are found, once, when it is checked."""

    units, where, broken = [], [], {}
    for i, doc in enumerate(docs):
        ket_qua = doc.get("ket_qua") if isinstance(doc, dict) else None
        group = ket_qua.get("nhom_tinh_ty_le") if isinstance(ket_qua, dict) else None  # a wrong type: the schema
        if not group or not isinstance(group, str):
            continue
        if not is_valid(schema, doc):
            broken.setdefault(group, []).append(i)
            continue
        rule_set = rules.load(doc.get("che_do", rules.DEFAULT_RULE_SET))
        units.append(evaluate(doc["ket_qua"], doc["doi_tuong"], stage, rule_set, rating_date(doc), Problems()))
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
