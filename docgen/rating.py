"""A unit's rating results: who is rated, every rule checked, the statistics — computed once.

:func:`evaluate` reads the ``ket_qua`` of a quyết định or tờ trình, decides who is rated, runs the
rule set's rules on every member or collective (reporting each breach with the name, the numbers
and the JSON path), and returns :class:`Results`: counts per level, percentages, counts in words,
who is not rated and why, the excellence cap of each group. The documents only word these.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from . import richtext, vn
from .errors import Problems, join_path
from .rules import LEVEL_NAMES, LEVELS, RuleSet, better, checks, quoted


@dataclass(frozen=True)
class Subject:
    """What is rated: the list in ``ket_qua`` and the words documents use for it."""

    key: str
    list_key: str
    noun: str  # "đảng viên"
    counter: str  # "đồng chí"
    name_key: str
    name_column: str  # annex column header
    member: bool


SUBJECTS = {
    "dang_vien": Subject("dang_vien", "dang_vien", "đảng viên", "đồng chí", "ho_ten", "Họ và tên", True),
    "to_chuc_dang": Subject("to_chuc_dang", "to_chuc", "tổ chức đảng", "tổ chức", "ten", "Tên tổ chức đảng", False),
    "tap_the_lanh_dao": Subject(
        "tap_the_lanh_dao", "tap_the_lanh_dao", "tập thể lãnh đạo, quản lý", "tập thể", "ten", "Tên tập thể", False
    ),
}

STAGE_NAMES = {"de_xuat": "mức đề xuất", "quyet_dinh": "mức quyết định"}


@dataclass
class Entry:
    index: int
    path: str
    name: str
    data: dict
    level: str | None = None
    not_rated: str | None = None
    notes: list[str] = field(default_factory=list)


@dataclass
class Results:
    subject: Subject
    rules: RuleSet
    stage: str
    unit: dict
    entries: list[Entry]
    counts: dict
    caps: list  # [(group name, checks.Cap)]
    override: dict | None
    base_includes_htxs: bool

    @property
    def rated(self) -> list[Entry]:
        return [e for e in self.entries if e.not_rated is None]

    @property
    def not_rated(self) -> list[Entry]:
        return [e for e in self.entries if e.not_rated is not None]

    def pct(self, level: str) -> str:
        return vn.phan_tram(self.counts[level], len(self.rated))

    def not_rated_by_reason(self) -> list[tuple[str, int]]:
        reasons: dict[str, int] = {}
        for e in self.not_rated:
            reasons[e.not_rated] = reasons.get(e.not_rated, 0) + 1
        return list(reasons.items())


def _date(value) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def evaluate(
    ket_qua: dict,
    subject_key: str,
    stage: str,
    rules: RuleSet,
    rating_date: dt.date,
    problems: Problems,
    path: str = "$.ket_qua",
) -> Results:
    subject = SUBJECTS[subject_key]
    list_path = join_path(path, subject.list_key)
    items = ket_qua.get(subject.list_key) or []
    if not items:
        problems.add(
            list_path, "no_subjects", f"Chưa có danh sách {subject.noun} để xếp loại (mục ket_qua.{subject.list_key})."
        )
    unit = ket_qua["don_vi"]
    unit_level = unit.get(stage) or (unit.get("de_xuat") if stage == "quyet_dinh" else None)
    entries = []
    for i, item in enumerate(items):
        e = Entry(i, join_path(list_path, i), item[subject.name_key], item)
        e.level = item.get(stage) or (item.get("de_xuat") if stage == "quyet_dinh" else None)
        if subject.member:
            e.not_rated = checks.member_not_rated_reason(
                item.get("trang_thai"), _date(item.get("ngay_vao_dang")), rating_date, rules
            )
        else:
            e.not_rated = checks.collective_not_rated_reason(_date(item.get("ngay_thanh_lap")), rating_date, rules)
        _check_entry(e, subject, stage, rules, unit_level, problems)
        entries.append(e)

    counts = {level: sum(1 for e in entries if e.not_rated is None and e.level == level) for level in LEVELS}
    settings = ket_qua.get("cai_dat") or {}
    base_includes = settings.get("tran_htxs_tinh_tren", "httnv") == "httnv_va_htxsnv"
    override = ket_qua.get("ngoai_le_ty_le")
    caps = _check_caps(entries, subject, rules, base_includes, override, list_path, problems)
    return Results(subject, rules, stage, unit, entries, counts, caps, override, base_includes)


def _who(e: Entry, subject: Subject) -> str:
    return f"{subject.noun[0].upper()}{subject.noun[1:]} {e.name}" if subject.member else e.name


def _check_entry(
    e: Entry, subject: Subject, stage: str, rules: RuleSet, unit_level: str | None, problems: Problems
) -> None:
    item, who = e.data, _who(e, subject)

    def report(breach: checks.Breach | None, at: str = "") -> None:
        if breach:
            problems.add(join_path(e.path, at) if at else e.path, breach.code, f"{who}: {breach.message}")

    if e.not_rated:
        reason = checks.NOT_RATED_REASONS[e.not_rated]
        e.notes.append(reason[0].upper() + reason[1:])
        if item.get("ghi_chu"):
            e.notes.append(item["ghi_chu"])
        if item.get(stage):
            problems.add(
                join_path(e.path, stage),
                "rated_but_not_eligible",
                f"{who} {reason} nên không đánh giá, xếp loại; bỏ {STAGE_NAMES[stage]} "
                f"{quoted(item[stage])} (danh sách sẽ ghi riêng kèm lý do).",
            )
        return
    if e.level is None:
        problems.add(
            join_path(e.path, stage), "missing_rating", f"{who}: chưa có {STAGE_NAMES[stage]} (trường “{stage}”)."
        )
        return

    if "diem" in item:
        for breach in checks.points(item["diem"], item["diem"].get("tong"), e.level, rules):
            report(breach, "diem")
    report(checks.excellent_conditions(item.get("dieu_kien_htxs"), e.level, rules), "dieu_kien_htxs")

    if subject.member:
        if item.get("ky_luat_trong_nam"):
            form = item.get("hinh_thuc_ky_luat")
            e.notes.append(f"Bị kỷ luật {form} trong năm" if form else "Bị kỷ luật trong năm")
            override = item.get("ngoai_le_ky_luat")
            if override:
                e.notes.append(_override_note(override))
            else:
                report(checks.discipline(True, e.level, rules), stage)
        report(checks.sick_leave(item.get("nghi_om_thang"), e.level, rules), stage)
        months = item.get("nghi_om_thang")
        if months and months >= 3 and not rules.sick_leave_cap:
            e.notes.append(f"Nghỉ ốm {checks.number_text(months)} tháng, xếp loại theo kết quả làm việc thực tế")
        if item.get("nghi_thai_san"):
            e.notes.append("Nghỉ thai sản, xếp loại theo kết quả làm việc thực tế")
        if item.get("nguoi_dung_dau") and unit_level:
            _check_head(e, e.level, unit_level, item.get("ngoai_le_nguoi_dung_dau"), report, stage)
    else:
        head = item.get("nguoi_dung_dau")
        if head:
            _check_head(
                e,
                head["xep_loai"],
                e.level,
                item.get("ngoai_le_nguoi_dung_dau"),
                report,
                "nguoi_dung_dau",
                head_name=head["ho_ten"],
            )
        if item.get("thong_ke_dang_vien"):
            report(checks.organisation_thresholds(item["thong_ke_dang_vien"], e.level, rules), "thong_ke_dang_vien")
    if item.get("ghi_chu"):
        e.notes.append(item["ghi_chu"])


def _check_head(e, head_level, unit_level, override, report, at, head_name=None):
    breach = checks.head_not_above_unit(head_level, unit_level)
    if breach and override:
        e.notes.append(_override_note(override))
        return
    if breach and head_name:
        breach = checks.Breach(breach.code, f"người đứng đầu {head_name}: {breach.message}")
    report(breach, at)


def _override_note(override: dict) -> str:
    cite = f" ({override['can_cu']})" if override.get("can_cu") else ""
    return f"{override['ly_do']}{cite}"


def _check_caps(entries, subject, rules, base_includes, override, list_path, problems) -> list:
    groups: dict[str, list[Entry]] = {}
    for e in entries:
        if e.not_rated is None and e.level:
            groups.setdefault(e.data.get("nhom", ""), []).append(e)
    caps = []
    for name, members in groups.items():
        counts = {level: sum(1 for e in members if e.level == level) for level in LEVELS}
        cap, breach = checks.excellence_cap(counts, rules, base_includes, override is not None)
        caps.append((name, cap))
        if breach:
            who = ", ".join(e.name for e in members if e.level == "HTXSNV")
            where = f"Nhóm “{name}”: " if name else ""
            problems.add(list_path, breach.code, f"{where}{breach.message} Các trường hợp: {who}.")
    return caps


# ---------------------------------------------------------------- wording shared by the documents


def level_lines(results: Results, of: str = "") -> list[str]:
    """'Hoàn thành xuất sắc nhiệm vụ: 03 (ba) đồng chí, chiếm 13,0%;' for the four levels (last ends '.')."""
    counter = results.subject.counter
    lines = [
        f"{LEVEL_NAMES[level]}: {vn.so_chu(results.counts[level])} {counter}, chiếm {results.pct(level)}{of}"
        for level in LEVELS
    ]
    return [line + (";" if i < len(lines) - 1 else ".") for i, line in enumerate(lines)]


def not_rated_text(results: Results) -> str:
    """'01 (một) đồng chí được miễn công tác và sinh hoạt đảng; 01 (một) đồng chí mới kết nạp …'"""
    counter = results.subject.counter
    return "; ".join(
        f"{vn.so_chu(n)} {counter} {checks.NOT_RATED_REASONS[reason]}" for reason, n in results.not_rated_by_reason()
    )


def cap_sentences(results: Results) -> list[str]:
    """How the excellence share compares with its cap, and on what base it is counted (a locality setting)."""
    out = []
    counter = results.subject.counter
    for name, cap in results.caps:
        if cap.htxs == 0:
            continue
        base = (
            "tổng số xếp loại “Hoàn thành tốt nhiệm vụ” và “Hoàn thành xuất sắc nhiệm vụ”"
            if cap.base_includes_htxs
            else "số xếp loại “Hoàn thành tốt nhiệm vụ”"
        )
        group = f" của nhóm {name}" if name else ""
        if cap.htxs > cap.allowed:  # allowed only by the small-group exception
            limit = (
                f"đơn vị có dưới {results.rules.excellence_cap['small_group_below']:02d} {counter}, "
                f"tất cả còn lại xếp loại “Hoàn thành tốt nhiệm vụ”, được chọn 01 {counter}"
            )
        else:
            limit = f"tỷ lệ tối đa là {cap.percent}%"
            if results.override:
                limit += f" theo quyết định của cấp có thẩm quyền: {_override_note(results.override)}"
        out.append(
            f"Số xếp loại “Hoàn thành xuất sắc nhiệm vụ”{group} là {vn.so_chu(cap.htxs)} {counter}, "
            f"bằng {cap.ratio} so với {base} ({cap.base} {counter}); {limit}."
        )
    return out


def annex_rows(results: Results, sort_by_name: bool) -> list[dict]:
    """Rows of the annex table: a group row per level (best first), then the not-rated apart."""
    rows, number = [], 0
    counter = results.subject.counter

    def ordered(entries):
        return sorted(entries, key=lambda e: vn.khoa_ten(e.name)) if sort_by_name else entries

    for level in LEVELS:
        members = [e for e in results.rated if e.level == level]
        if not members:
            continue
        rows.append({"nhom": f"{LEVEL_NAMES[level]} ({len(members):02d} {counter})"})
        for e in ordered(members):
            number += 1
            rows.append(_row(number, e, results.subject, LEVEL_NAMES[level]))
    if results.not_rated:
        rows.append({"nhom": f"Không đánh giá, xếp loại ({len(results.not_rated):02d} {counter})"})
        for i, e in enumerate(ordered(results.not_rated), 1):
            rows.append(_row(i, e, results.subject, ""))
    return rows


def _row(number: int, e: Entry, subject: Subject, level_name: str) -> dict:
    d = e.data
    if subject.member:
        posts = [d[k] for k in ("chuc_vu_dang", "chuc_vu_chinh_quyen") if d.get(k)]
        position = ", ".join(posts) or d.get("don_vi_cong_tac") or "Đảng viên"
    else:
        position = d.get("mo_ta", "")
    return {
        "nhom": "",
        "stt": str(number),
        "ten": e.name,
        "chuc_vu": position,
        "xep_loai": level_name,
        "ghi_chu": "; ".join(e.notes),
    }


def esc(text: str) -> str:
    """Data text placed inside generated markup (names may hold '*' or '[')."""
    return richtext.escape(text)


__all__ = [
    "SUBJECTS",
    "Results",
    "Entry",
    "evaluate",
    "level_lines",
    "not_rated_text",
    "cap_sentences",
    "annex_rows",
    "better",
]


def begin(data: dict, kind_code: str, stage: str, problems: Problems):
    """What both rating documents start from: the rule set, the issuance header and the evaluated results."""
    from . import parts, rules

    rule_set = rules.load(data.get("che_do", rules.DEFAULT_RULE_SET))
    ban_hanh = parts.ban_hanh(data["ban_hanh"], kind_code, problems)
    results = evaluate(data["ket_qua"], data["doi_tuong"], stage, rule_set, rating_date(data), problems)
    return rule_set, ban_hanh, results


def annex(results: Results, profile, title: str, attached_to: str, level_column: str, sort_by_name: bool) -> dict:
    """Template context of the attached list (title and "Kèm theo" line broken into even centred lines)."""
    from .parts import centred

    subject = results.subject
    return {
        "tieu_de": centred(profile, "danh_sach_tieu_de", vn.upper(title)),
        "kem_theo": centred(profile, "danh_sach_kem_theo", f"(Kèm theo {attached_to})"),
        "cot_ten": subject.name_column,
        "cot_chuc_vu": "Chức vụ, đơn vị" if subject.member else "Loại hình",
        "cot_xep_loai": level_column,
        "dong": annex_rows(results, sort_by_name),
    }


def scope(results: Results) -> str:
    """'đảng viên Chi bộ Khu dân cư số 1' / 'tổ chức đảng trực thuộc Đảng bộ phường Hồng Quang'."""
    subject, unit = results.subject, results.unit["ten"]
    return f"{subject.noun} {unit}" if subject.member else f"{subject.noun} trực thuộc {unit}"


def rating_date(data: dict) -> dt.date:
    """The day the 6-month rules count to: ``ket_qua.ngay_danh_gia``, else the document's date."""
    return _date(data["ket_qua"].get("ngay_danh_gia") or data["ban_hanh"]["ngay_ban_hanh"])


def unit_documents(doc: dict):
    """A batch of rating documents: one per unit (see ``batch_documents`` of a kind)."""
    from .kinds.base import BatchDoc

    unit = ((doc.get("ket_qua") or {}).get("don_vi") or {}).get("ten") or "(chưa có tên đơn vị)"
    return [BatchDoc(unit, doc)]
