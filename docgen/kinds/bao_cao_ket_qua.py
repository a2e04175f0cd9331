"""Kind ``bao_cao_ket_qua``: the đảng ủy's report of the year's results — the statistics of its party
organisations and members, summed from the decisions' own results — with a table of the counts per level.

The data holds the results the decisions fixed (``to_chuc``: the decisions on the organisations; ``dang_vien``:
the decisions on each chi bộ's members, each a ``ket_qua`` as in a quyết định). Each is evaluated by the rating
core as its decision is (who is rated, the rules), at the decided stage; the report only adds them up, so that
its numbers are the decisions' numbers. A peer group named by several of them is counted together
(:func:`docgen.rating.group_caps`).
"""

from __future__ import annotations

import datetime as dt

from .. import parts, rating, rules, vn
from ..blocks import Blocks
from ..content import Writer, block
from ..errors import Problems, join_path
from ..profile import Profile
from ..rating import esc
from ..rules import LEVEL_NAMES, LEVELS
from ..wording import form_wording
from .base import Built, Kind

NAME = "bao_cao_ket_qua"
TITLE = "Báo cáo kết quả đánh giá, xếp loại"
CODE = "BC"
SCHEMA = "bao_cao_ket_qua.schema.json"
TEMPLATE = "bao_cao_ket_qua.docx"
WORDS = "ket_qua_chien_dich.json"
STAGE = "quyet_dinh"


def _w(key: str) -> dict:
    return form_wording(WORDS)[key]


def template_body(b: Blocks) -> str:
    return (
        b.header()
        + b.title(_w("bao_cao_ten")["text"])
        + b.optional("kinh_gui", b.para("kinh_gui", "Kính gửi: {{ kinh_gui }}"))
        + b.block("noi_dung")
        + b.signature()
    )


def combined(results: list, subject: str, rule_set) -> rating.Results:
    """The results of several decisions as one: their entries and counts added up."""
    entries = [e for r in results for e in r.entries]
    counts = {level: sum(r.counts[level] for r in results) for level in LEVELS}
    return rating.Results(
        rating.SUBJECTS[subject], rule_set, STAGE, {"ten": ""}, entries, counts, [], None, False, None
    )


def _evaluate(items: list, subject: str, rule_set, path: str, problems: Problems) -> list:
    out = []
    for i, ket_qua in enumerate(items):
        day = dt.date.fromisoformat(ket_qua["ngay_danh_gia"])
        found = Problems()
        out.append(rating.evaluate(ket_qua, subject, STAGE, rule_set, day, found, join_path(path, i)))
        # a peer group is counted over all of them below, not in each
        problems.extend(p for p in found if p.code != "cap_checked_by_batch")
    for k, items_found in rating.group_caps(out).items():
        base = join_path(path, k)
        problems.extend(p.at(base + p.path[1:]) for p in items_found)
    return out


def build(data: dict, problems: Problems, profile: Profile) -> Built:
    rule_set = rules.load(data.get("che_do", rules.DEFAULT_RULE_SET))
    header = parts.header(data["ban_hanh"], CODE, problems)
    for key in ("to_chuc", "dang_vien"):
        for i, ket_qua in enumerate(data[key]):
            if not ket_qua.get("ngay_danh_gia"):
                ket_qua_path = join_path(join_path(f"$.{key}", i), "ngay_danh_gia")
                problems.add(ket_qua_path, "rating_date_missing", "Chưa ghi ngày đánh giá, xếp loại.")
    if problems.items:  # the rating date is what the 6-month rules count to: nothing is counted without it
        return Built({}, header=header)
    units = combined(
        _evaluate(data["to_chuc"], "to_chuc_dang", rule_set, "$.to_chuc", problems), "to_chuc_dang", rule_set
    )
    members = combined(
        _evaluate(data["dang_vien"], "dang_vien", rule_set, "$.dang_vien", problems), "dang_vien", rule_set
    )
    for name, r in (("tổ chức đảng", units), ("đảng viên", members)):
        if not r.entries:
            problems.add("$", "no_subjects", f"Báo cáo chưa có kết quả xếp loại {name} nào.")
    w = Writer(profile, problems)
    nam, issuer = data["nam"], data["ban_hanh"]["co_quan_ban_hanh"]
    body = [
        w.paragraph(
            "doan",
            esc(_w("bao_cao_mo_dau")["text"].format(co_quan=issuer, nam=nam, dang_bo=data["dang_bo"])),
            "$",
        )
    ]
    for number, (key, r) in enumerate((("bao_cao_to_chuc", units), ("bao_cao_dang_vien", members)), 1):
        body.append(w.paragraph("muc_2", esc(f"{number}. {_w(key)['text']}"), "$"))
        body += _summary(w, r)
    body.append(w.paragraph("muc_2", esc(f"3. {_w('bao_cao_bang')['text']}"), "$"))
    body.append(_table(profile, units, members))
    context = {
        "ban_hanh": header.context(),
        "trich_yeu": parts.centred(
            profile, "trich_yeu", data.get("trich_yeu") or _w("bao_cao_trich_yeu")["text"].format(nam=nam)
        ),
        "kinh_gui": data.get("kinh_gui", ""),
        "noi_dung": block("".join(body)),
        "nguoi_ky": parts.nguoi_ky(data["nguoi_ky"]),
        "noi_nhan": parts.noi_nhan(data["noi_nhan"], problems),
    }
    return Built(context, footnotes_xml=w.footnotes_xml(), header=header)


def _summary(w: Writer, r: rating.Results) -> list[str]:
    """The counts in words, as the decisions word them (the same level lines)."""
    noun, counter = r.subject.noun, r.subject.counter
    total, rated = len(r.entries), len(r.rated)
    out = [
        w.paragraph(
            "doan",
            esc(
                f"Tổng số {noun}: {vn.so_chu(total)} {counter}; được đánh giá, xếp loại: {vn.so_chu(rated)} "
                f"{counter}, chiếm {vn.phan_tram(rated, total)}."
            ),
            "$",
        )
    ]
    out += [w.paragraph("doan", esc(line), "$", prefix="- ") for line in rating.level_lines(r)]
    if r.not_rated:
        out.append(
            w.paragraph(
                "doan",
                esc(f"Không đánh giá, xếp loại {vn.so_chu(len(r.not_rated))} {counter}: {rating.not_rated_text(r)}."),
                "$",
            )
        )
    return out


def _table(profile: Profile, units: rating.Results, members: rating.Results) -> str:
    """Counts and shares per level for organisations and members; those not rated by reason."""
    words, _cell = _w("bao_cao_cot"), parts.table_cell
    head = "bang_tieu_de"
    rows = [
        [
            (_cell(head, words["noi_dung"]), 1),
            (_cell(head, words["to_chuc"]), 2),
            (_cell(head, words["dang_vien"]), 2),
        ],
        [
            _cell(head, ""),
            *[_cell(head, words[k]) for k in ("so_luong", "ty_le")] * 2,
        ],
    ]

    def line(label, counts, bases, element="bang_o"):
        cells = [_cell(element, label)]
        for n, base in zip(counts, bases):
            cells += [
                _cell("bang_so", vn.hai_chu_so(n) if n else "0"),
                _cell("bang_so", vn.phan_tram(n, base) if base is not None else ""),
            ]
        return cells

    both = (units, members)
    rows.append(line(words["tong_so"], [len(r.entries) for r in both], [None, None], "bang_nhom"))
    rows.append(line(words["duoc_xep_loai"], [len(r.rated) for r in both], [len(r.entries) for r in both], "bang_nhom"))
    for level in LEVELS:
        rows.append(line(f"- {LEVEL_NAMES[level]}", [r.counts[level] for r in both], [len(r.rated) for r in both]))
    rows.append(
        line(words["khong_xep_loai"], [len(r.not_rated) for r in both], [len(r.entries) for r in both], "bang_nhom")
    )
    reasons = list(dict.fromkeys(reason for r in both for reason, _ in r.not_rated_by_reason()))
    for reason in reasons:
        counts = [dict(r.not_rated_by_reason()).get(reason, 0) for r in both]
        text = rules.checks.reason_text(reason, both[1].rules)
        rows.append(line(f"- {text[:1].upper()}{text[1:]}", counts, [len(r.entries) for r in both]))
    return parts.bordered_table(profile, "stats_table", rows, header_rows=2)


TEMPLATE_VARS = {
    **parts.HEADER_VARS,
    **parts.SIGNATURE_VARS,
    "trich_yeu": ("chuỗi", "Trích yếu “kết quả đánh giá, xếp loại chất lượng … năm …”, đã ngắt dòng cân đối."),
    "kinh_gui": ("chuỗi", "Cấp trên nhận báo cáo."),
    "noi_dung": (parts.BLOCK, "Câu mở đầu, số liệu tổ chức đảng và đảng viên, bảng tổng hợp."),
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
