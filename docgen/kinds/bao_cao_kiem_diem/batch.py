"""The review forms in bulk: one pre-filled individual form per member who writes a review, the others
listed with the regime's reason."""

from __future__ import annotations

import datetime as dt

from ... import rules, vn
from ...rules import checks
from ..base import BatchDoc

_PARTICULARS = ("ho_ten", "ngay_sinh", "chuc_vu_dang", "chuc_vu_chinh_quyen", "don_vi_cong_tac")
# The member fields a batch of forms reads (particulars, and what decides the form and who writes one).
BATCH_MEMBER_FIELDS = (*_PARTICULARS, "ngay_vao_dang", "trang_thai", "lanh_dao_quan_ly", "mau")


def review_date(doc: dict, rule_set) -> dt.date | None:
    """The day the 6-month rule for new members counts to: the unit's rating date, else the forms' date, else
    the end of the reviews (31 December, Hướng dẫn 43 point 4.1; the rule set's ``deadline``)."""
    for value in ((doc.get("ket_qua") or {}).get("ngay_danh_gia"), doc.get("ngay")):
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                return None  # the schema check of the form reports it
    if not isinstance(doc.get("nam"), int):
        return None
    month, day = (int(x) for x in rule_set.deadline["review_by"].split("-"))
    return dt.date(doc["nam"], month, day)


def batch_documents(doc: dict) -> list[BatchDoc]:
    """One form per member who writes a review, pre-filled with the particulars; the rest is left to fill.
    Who writes none is the regime's: exempt or suspended members, and under qd366 (Điều 5) members admitted
    less than 6 months before (under qd132 new members still wrote one). They are listed with the reason."""
    ket_qua = doc.get("ket_qua") or {}
    unit = (ket_qua.get("don_vi") or {}).get("ten") or ""
    try:
        rule_set = rules.load(doc.get("che_do") or rules.DEFAULT_RULE_SET)
    except KeyError:
        rule_set = rules.load()
    day = review_date(doc, rule_set)
    out = []
    for k, member in enumerate(ket_qua.get("dang_vien") or []):
        name = member.get("ho_ten") or f"đảng viên thứ {k + 1}"
        label = f"{unit} - {name}" if unit else name
        row = f"ket_qua.dang_vien[{k}]"
        origin = {"$.ca_nhan": row, "$.mau": f"{row}.mau", "$.chi_bo": "ket_qua.don_vi.ten"}
        admitted = _iso_date(member.get("ngay_vao_dang"))
        reason = checks.member_not_reviewed_reason(member.get("trang_thai"), admitted, day, rule_set) if day else None
        if reason:
            text = checks.reason_text(reason, rule_set)
            if reason == "moi_ket_nap":
                text += f" (vào Đảng ngày {vn.ngay_so(admitted)}, tính đến ngày {vn.ngay_so(day)})"
            out.append(BatchDoc(label, None, origin, skip=text))
            continue
        form = {
            "hinh_thuc": "ca_nhan",
            "che_do": rule_set.id,
            "nam": doc.get("nam"),
            "mau": member.get("mau") or rule_set.forms["lanh_dao" if member.get("lanh_dao_quan_ly") else "dang_vien"],
            "dang_bo": doc.get("dang_bo"),
            "chi_bo": unit,
            "dia_danh": doc.get("dia_danh"),
            "ca_nhan": {key: member[key] for key in _PARTICULARS if member.get(key)},
        }
        if doc.get("ngay"):
            form["ngay"] = doc["ngay"]
        out.append(BatchDoc(label, {k2: v for k2, v in form.items() if v is not None}, origin))
    return out


def _iso_date(value) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None
