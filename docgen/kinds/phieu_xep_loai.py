"""Kind ``phieu_xep_loai``: the ballot a chi bộ votes its members' ratings with — one sheet listing every member
to be rated, with a box per level. No number, no signature (a ballot is secret).

Who is on it is the rule set's: members exempt from party work, suspended or admitted less than 6 months before
the rating date are not rated, so are not voted on (:func:`docgen.rules.checks.member_not_rated_reason`, as the
rating documents decide it). The words are data (``docgen/forms/ket_qua_chien_dich.json``), flagged not found:
no official model of the ballot was found.
"""

from __future__ import annotations

import datetime as dt

from .. import parts, rules, vn
from ..blocks import Blocks
from ..content import Writer, block
from ..errors import Problems
from ..header import DocumentHeader
from ..profile import Profile
from ..rating import esc
from ..rules import LEVEL_NAMES, LEVELS, checks
from ..wording import form_wording
from .base import Built, Kind

NAME = "phieu_xep_loai"
TITLE = "Phiếu đánh giá, xếp loại chất lượng đảng viên"
CODE = "PH"
SCHEMA = "phieu_xep_loai.schema.json"
TEMPLATE = "phieu_xep_loai.docx"
WORDS = "ket_qua_chien_dich.json"


def _w(key: str) -> dict:
    return form_wording(WORDS)[key]


def template_body(b: Blocks) -> str:
    return b.header(number=False) + b.title(_w("phieu_ten")["text"]) + b.block("noi_dung")


def _date(value) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def build(data: dict, problems: Problems, profile: Profile) -> Built:
    rule_set = rules.load(data.get("che_do", rules.DEFAULT_RULE_SET))
    nam, unit = data["nam"], data["chi_bo"]
    day = _date(data.get("ngay_danh_gia") or data.get("ngay"))
    if day is None:  # the end of the reviews (Hướng dẫn 43 point 4.1; the rule set's deadline)
        month, dom = (int(x) for x in rule_set.deadline["review_by"].split("-"))
        day = dt.date(nam, month, dom)
    voted = [
        m["ho_ten"]
        for m in data["dang_vien"]
        if not checks.member_not_rated_reason(m.get("trang_thai"), _date(m.get("ngay_vao_dang")), day, rule_set)
    ]
    if not voted:
        problems.add("$.dang_vien", "no_subjects", f"{unit} không có đảng viên nào được đánh giá, xếp loại.")
    header = DocumentHeader(
        issuer=unit,
        superior=data["dang_bo"],
        place=data["dia_danh"],
        date=_date(data.get("ngay")),
        year=nam,
    )
    w = Writer(profile, problems)
    body = [w.paragraph("doan", esc(_w("phieu_huong_dan")["text"]), "$")]
    body.append(_table(profile, voted))
    context = {
        "ban_hanh": {
            "cap_tren": vn.upper(header.superior),
            "co_quan_ban_hanh": vn.upper(header.issuer),
            "dia_danh_ngay": header.place_date,
        },
        "trich_yeu": _w("phieu_trich_yeu")["text"].format(chi_bo=unit, nam=nam),
        "noi_dung": block("".join(body)),
        "so_phieu": len(voted),
    }
    return Built(context, footnotes_xml=w.footnotes_xml(), header=header)


def _table(profile: Profile, names: list[str]) -> str:
    """Number, name and a box under each of the four levels (best first), the header row on every page."""
    words, box, cell = _w("phieu_cot"), _w("phieu_o")["text"], parts.table_cell
    rows = [[cell("bang_tieu_de", t) for t in (words["stt"], words["ho_ten"], *(LEVEL_NAMES[lv] for lv in LEVELS))]]
    for i, name in enumerate(names, 1):
        rows.append([cell("bang_so", str(i)), cell("bang_o", name), *(cell("bang_so", box) for _ in LEVELS)])
    return parts.bordered_table(profile, "ballot_table", rows)


TEMPLATE_VARS = {
    **parts.HEADER_VARS,
    "ban_hanh.cap_tren": ("chuỗi", "Đảng bộ, đã in hoa."),
    "ban_hanh.co_quan_ban_hanh": ("chuỗi", "Chi bộ, đã in hoa."),
    "ban_hanh.dia_danh_ngay": ("chuỗi", "Địa danh và ngày họp (để trống ngày khi dữ liệu không ghi)."),
    "trich_yeu": ("chuỗi", "“<chi bộ> năm …”."),
    "noi_dung": (parts.BLOCK, "Câu hướng dẫn và bảng các đảng viên."),
    "so_phieu": ("số nguyên", "Số đảng viên trong phiếu."),
}

KIND = Kind(
    name=NAME,
    title=TITLE,
    code=CODE,
    schema=SCHEMA,
    layouts={TEMPLATE: template_body},
    build=build,
    template_vars=TEMPLATE_VARS,
)
