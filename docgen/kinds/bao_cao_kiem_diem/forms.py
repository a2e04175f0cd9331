"""The review forms as data (``docgen/forms/bao_cao_kiem_diem.json``): every text they print is a wording
entry with its source and flag, and each form's layout says where the data goes; which form a document is,
and the items of its part I."""

from __future__ import annotations

import json
from functools import lru_cache

from ...errors import Problems
from ...paths import FORMS_DIR

FORMS_FILE = FORMS_DIR / "bao_cao_kiem_diem.json"
CONTENT_FIELDS = ("uu_diem", "han_che", "nguyen_nhan", "khac_phuc", "giai_trinh", "trach_nhiem", "phuong_huong")


@lru_cache(maxsize=None)
def forms() -> dict:
    return json.loads(FORMS_FILE.read_text(encoding="utf-8"))


def wording(key: str) -> dict:
    """A wording entry of the forms: its text (or parts), source and flag."""
    return forms()["wording"][key]


def word(key: str) -> str:
    return wording(key)["text"]


def form_spec(code: str) -> dict:
    return forms()["forms"][code]


def select_form(data: dict, rule_set, problems: Problems) -> tuple[str, str]:
    """``(form number, form type)``: the type is 'tap_the', 'lanh_dao', 'dang_vien' or 'ngoai_he_thong'."""
    if data["hinh_thuc"] == "tap_the":
        if data.get("mau", "01") != rule_set.forms["tap_the"]:
            problems.add("$.mau", "form_not_in_regime", f"Báo cáo tập thể dùng Mẫu {rule_set.forms['tap_the']}.")
        return rule_set.forms["tap_the"], "tap_the"
    by_number = {number: kind for kind, number in rule_set.forms.items() if kind != "tap_the"}
    if data["mau"] not in by_number:
        allowed = ", ".join(f"{n} ({_FORM_NAMES[k]})" for n, k in sorted(by_number.items()))
        problems.add(
            "$.mau",
            "form_not_in_regime",
            f"Mẫu {data['mau']} không có trong chế độ {rule_set.id}; dùng một trong: {allowed}.",
        )
        fallback = rule_set.forms["dang_vien"]
        return fallback, "dang_vien"
    return data["mau"], by_number[data["mau"]]


_FORM_NAMES = {
    "lanh_dao": "giữ chức vụ lãnh đạo, quản lý",
    "dang_vien": "không giữ chức vụ lãnh đạo, quản lý",
    "ngoai_he_thong": "đảng viên không làm việc trong hệ thống chính trị",
}


def form_nodes(nodes):
    """Every node of a form's layout, depth first, with the heading it stands under."""
    for node in nodes:
        yield node
        yield from form_nodes(node.get("noi_dung") or [])


def form_items(code: str) -> list[tuple[str, str, bool]]:
    """The form's part-I items ``(data code, heading text, leadership item?)`` in order."""
    out = []
    for node in form_nodes(form_spec(code)["noi_dung"]):
        for child in node.get("noi_dung") or []:
            path = child.get("du_lieu", "")
            if path.startswith("uu_diem."):
                out.append((path.split(".", 1)[1], word(node["tieu_de"]), bool(child.get("lanh_dao"))))
    return out


def has_content(data: dict) -> bool:
    return any(data.get(f) for f in CONTENT_FIELDS if not isinstance(data.get(f), dict)) or any(
        any(v for v in (data.get(f) or {}).values()) for f in ("uu_diem", "nguyen_nhan")
    )
