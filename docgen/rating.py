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
    peer_group: str | None = None  # ket_qua.nhom_tinh_ty_le: the cap's group spans several documents

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
    settings = ket_qua.get("cai_dat") or {}
    new_collectives = settings.get("to_chuc_moi_thanh_lap")
    breach = checks.new_collective_setting(new_collectives, rules)
    if breach:
        problems.add(join_path(path, "cai_dat.to_chuc_moi_thanh_lap"), breach.code, breach.message)
    entries = []
    for i, item in enumerate(items):
        e = Entry(i, join_path(list_path, i), item[subject.name_key], item)
        e.level = item.get(stage) or (item.get("de_xuat") if stage == "quyet_dinh" else None)
        if subject.member:
            e.not_rated = checks.member_not_rated_reason(
                item.get("trang_thai"), _date(item.get("ngay_vao_dang")), rating_date, rules
            )
        else:
            e.not_rated = checks.collective_not_rated_reason(
                _date(item.get("ngay_thanh_lap")), rating_date, rules, new_collectives
            )
        _check_entry(e, subject, stage, rules, unit_level, rating_date, problems)
        entries.append(e)

    counts = {level: sum(1 for e in entries if e.not_rated is None and e.level == level) for level in LEVELS}
    base_includes = settings.get("tran_htxs_tinh_tren", "httnv") == "httnv_va_htxsnv"
    override = ket_qua.get("ngoai_le_ty_le")
    peer_group = ket_qua.get("nhom_tinh_ty_le")
    if peer_group:  # the cap is counted over the documents of a batch (group_caps), not inside this one
        caps = _group_counts(entries, subject, rules, base_includes, override)
        problems.warn(
            join_path(path, "nhom_tinh_ty_le"),
            "cap_checked_by_batch",
            f"Tỷ lệ {quoted('HTXSNV')} được tính chung cho nhóm “{peer_group}” trên nhiều văn bản: chỉ lệnh tạo "
            "hàng loạt (batch) của cả nhóm mới kiểm tra được; văn bản này không tự kiểm tra tỷ lệ.",
        )
    else:
        caps = _check_caps(entries, subject, rules, base_includes, override, list_path, problems)
    return Results(subject, rules, stage, unit, entries, counts, caps, override, base_includes, peer_group)


def _who(e: Entry, subject: Subject) -> str:
    return f"{subject.noun[0].upper()}{subject.noun[1:]} {e.name}" if subject.member else e.name


def _check_entry(
    e: Entry,
    subject: Subject,
    stage: str,
    rules: RuleSet,
    unit_level: str | None,
    rating_date: dt.date,
    problems: Problems,
) -> None:
    item, who = e.data, _who(e, subject)

    def report(breach: checks.Breach | None, at: str = "") -> None:
        if breach:
            where = join_path(e.path, at) if at else e.path
            problems.add(where, breach.code, f"{who}: {breach.message}", severity=breach.severity)

    _check_entry_dates(e, subject, rating_date, report)
    if e.not_rated:
        reason = checks.reason_text(e.not_rated, rules)
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
    report(
        checks.excellent_conditions(item.get("dieu_kien_htxs"), e.level, rules, collective=not subject.member),
        "dieu_kien_htxs",
    )
    for breach in checks.tasks(item.get("tien_do_nhiem_vu"), e.level, rules):
        report(breach, "tien_do_nhiem_vu")

    if subject.member:
        report(checks.discipline_fields(item, rules), "ky_luat_trong_nam")
        if item.get("ky_luat_trong_nam"):
            e.notes.append(checks.discipline_note(item, rules))
            override = item.get("ngoai_le_ky_luat")
            if override:
                e.notes.append(_override_note(override))
            else:
                report(checks.discipline(item, e.level, rules, leader=bool(item.get("lanh_dao_quan_ly"))), stage)
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


def _check_entry_dates(e: Entry, subject: Subject, rating_date: dt.date, report) -> None:
    """A member born after being admitted, admitted or a collective set up after the rating date: the dates
    cannot be right."""
    item, rated = e.data, ("ngày đánh giá, xếp loại", rating_date)
    if subject.member:
        born, admitted = _date(item.get("ngay_sinh")), _date(item.get("ngay_vao_dang"))
        if admitted:
            report(
                checks.date_order(("ngày vào Đảng", admitted), rated, "chưa vào Đảng thì chưa đánh giá"),
                "ngay_vao_dang",
            )
        if born and admitted:
            report(checks.date_order(("ngày sinh", born), ("ngày vào Đảng", admitted), "ngày sinh sai"), "ngay_sinh")
    elif item.get("ngay_thanh_lap"):
        founded = ("ngày thành lập", _date(item["ngay_thanh_lap"]))
        report(checks.date_order(founded, rated, "tổ chức chưa thành lập thì chưa đánh giá"), "ngay_thanh_lap")


def check_dates(data: dict, what: str, rules: RuleSet, problems: Problems) -> None:
    """The order of the dates a quyết định or tờ trình cites besides its căn cứ lines (those are checked by
    :func:`docgen.parts.check_cited_dates`): the rating done before the document, the meeting after the plan
    that launched it, and the document's year against the rating year."""
    day = _date(data["ban_hanh"]["ngay_ban_hanh"])
    rated = _date(data["ket_qua"].get("ngay_danh_gia"))
    doc = (what, day)

    def add(breach, path):
        if breach:
            problems.add(path, breach.code, breach.message, severity=breach.severity)

    if rated:
        add(
            checks.date_order(("ngày đánh giá, xếp loại", rated), doc, "việc đánh giá, xếp loại phải có trước văn bản"),
            "$.ket_qua.ngay_danh_gia",
        )
    submission = (data.get("to_trinh") or {}).get("ngay")
    if submission and rated:
        add(
            checks.date_order(
                ("ngày đánh giá, xếp loại", rated),
                ("Tờ trình được xét", _date(submission)),
                "tờ trình đề nghị kết quả một cuộc đánh giá diễn ra sau nó; kiểm tra lại nếu ngày đánh giá là "
                "ngày cấp trên xem xét",
                severity="warning",
            ),
            "$.to_trinh.ngay",
        )
    plan, meeting = (data.get("ke_hoach") or {}).get("ngay"), data.get("ngay_hop")
    if plan and meeting:
        add(
            checks.date_order(
                ("Kế hoạch được dẫn", _date(plan)),
                ("hội nghị kiểm điểm", _date(meeting)),
                "hội nghị thường họp sau khi có kế hoạch; kiểm tra lại hai ngày này",
                severity="warning",
            ),
            "$.ngay_hop",
        )
    year = data["nam"]
    if day.year < year:
        problems.add(
            "$.ban_hanh.ngay_ban_hanh",
            "date_order",
            f"{what} ngày {vn.ngay_so(day)} xếp loại năm {year}: năm chưa kết thúc thì chưa xếp loại cả năm.",
        )
    deadline = rules.deadline
    if deadline.get("special_units_by_next_year"):
        month, last = (int(x) for x in deadline["special_units_by_next_year"].split("-"))
        latest = dt.date(year + 1, month, last)
        if day > latest:
            review_by = dt.date(year, *(int(x) for x in deadline["review_by"].split("-")))
            problems.warn(
                "$.ban_hanh.ngay_ban_hanh",
                "date_order_unusual",
                f"{what} ngày {vn.ngay_so(day)} xếp loại năm {year}: việc đánh giá, xếp loại kết thúc trước ngày "
                f"{vn.ngay_so(review_by)} (đơn vị đặc thù trước ngày {vn.ngay_so(latest)}); "
                "kiểm tra lại năm hoặc ngày.",
            )


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


def _groups(entries) -> dict[str, list[Entry]]:
    """The rated entries by peer group (``nhom``; "" for the whole list)."""
    groups: dict[str, list[Entry]] = {}
    for e in entries:
        if e.not_rated is None and e.level:
            groups.setdefault(e.data.get("nhom", ""), []).append(e)
    return groups


def _level_counts(members) -> dict:
    return {level: sum(1 for e in members if e.level == level) for level in LEVELS}


def _check_caps(entries, subject, rules, base_includes, override, list_path, problems) -> list:
    caps = []
    for name, members in _groups(entries).items():
        cap, breach = checks.excellence_cap(_level_counts(members), rules, base_includes, override is not None)
        caps.append((name, cap))
        if breach:
            who = ", ".join(e.name for e in members if e.level == "HTXSNV")
            where = f"Nhóm “{name}”: " if name else ""
            problems.add(list_path, breach.code, f"{where}{breach.message} Các trường hợp: {who}.")
    return caps


def _group_counts(entries, subject, rules, base_includes, override) -> list:
    """This document's share of a group counted across documents: its own counts, not checked here."""
    return [
        (name, checks.excellence_cap(_level_counts(members), rules, base_includes, override is not None)[0])
        for name, members in _groups(entries).items()
    ]


def group_caps(units: list[Results]) -> dict[int, list[tuple[str, str, str]]]:
    """The excellence cap over peer groups that span documents: the units (of one batch) naming the same
    ``ket_qua.nhom_tinh_ty_le`` are counted together, each ``nhom`` inside them apart — the competent level
    decides the group (Quy định 366 Điều 11, 1.5), e.g. all members of one đảng bộ across its chi bộ.

    A pure function of the units' evaluated results. Returns, per index of ``units``, the problems
    ``(path, code, message)`` of every document of a group in breach (which document gives way is for the
    competent level to decide, so none of them is issued) or whose settings disagree with the group's."""
    groups: dict[tuple[str, str], list[tuple[int, Entry]]] = {}
    settings: dict[str, set] = {}
    for i, results in enumerate(units):
        if not results.peer_group:
            continue
        settings.setdefault(results.peer_group, set()).add((results.base_includes_htxs, results.override is not None))
        for name, members in _groups(results.entries).items():
            groups.setdefault((results.peer_group, name), []).extend((i, e) for e in members)
    out: dict[int, list[tuple[str, str, str]]] = {}

    def add(indices, path_of, breach: checks.Breach):
        for i in sorted(set(indices)):
            out.setdefault(i, []).append((path_of(units[i]), breach.code, breach.message))

    for group, found in settings.items():
        if len(found) > 1:
            add(
                [i for i, r in enumerate(units) if r.peer_group == group],
                lambda r: "$.ket_qua.nhom_tinh_ty_le",
                checks.Breach(
                    "cap_group_settings",
                    f"Các đơn vị của nhóm “{group}” ghi khác nhau cách tính tỷ lệ {quoted('HTXSNV')} "
                    "(cai_dat.tran_htxs_tinh_tren) hoặc ngoại lệ 25% (ngoai_le_ty_le); một nhóm chỉ có một cách tính.",
                ),
            )
    for (group, name), members in groups.items():
        if len(settings[group]) > 1:
            continue
        first = units[members[0][0]]
        counts = _level_counts([e for _, e in members])
        _, breach = checks.excellence_cap(counts, first.rules, first.base_includes_htxs, first.override is not None)
        if breach:
            who = ", ".join(f"{e.name} ({units[i].unit['ten']})" for i, e in members if e.level == "HTXSNV")
            label = f"Nhóm “{group}”" + (f", “{name}”" if name else "")
            documents = len({i for i, _ in members})
            add(
                [i for i, _ in members],
                lambda r: join_path("$.ket_qua", r.subject.list_key),
                checks.Breach(
                    breach.code, f"{label} (tính chung {documents} văn bản): {breach.message} Các trường hợp: {who}."
                ),
            )
    return out


# ---------------------------------------------------------------- wording shared by the documents


def level_lines(results: Results, of: str = "") -> list[str]:
    """'Hoàn thành xuất sắc nhiệm vụ: 03 (ba) đồng chí, chiếm 13,0%;' for the four levels (last ends '.')."""
    counter = results.subject.counter
    lines = [
        f"{LEVEL_NAMES[level]}: {vn.so_chu(results.counts[level])} {counter}, chiếm {results.pct(level)}{of}"
        for level in LEVELS
    ]
    return [line + (";" if i < len(lines) - 1 else ".") for i, line in enumerate(lines)]


def total_lines(results: Results) -> list[str]:
    """'Tổng số đảng viên của Chi bộ …: 25 (hai mươi lăm) đồng chí.' and how many of them are rated, with
    their share of the total."""
    noun, counter, unit = results.subject.noun, results.subject.counter, results.unit["ten"]
    rated, total = len(results.rated), len(results.entries)
    return [
        f"Tổng số {noun} của {unit}: {vn.so_chu(total)} {counter}.",
        f"Số {noun} được đánh giá, xếp loại: {vn.so_chu(rated)} {counter}, chiếm {vn.phan_tram(rated, total)} tổng số.",
    ]


def not_rated_sentence(results: Results) -> str | None:
    """'Không đánh giá, xếp loại 02 (hai) đồng chí: 01 (một) đồng chí …; …' — None when all are rated."""
    if not results.not_rated:
        return None
    return (
        f"Không đánh giá, xếp loại {vn.so_chu(len(results.not_rated))} {results.subject.counter}: "
        f"{not_rated_text(results)}."
    )


def not_rated_text(results: Results) -> str:
    """'01 (một) đồng chí được miễn công tác và sinh hoạt đảng; 01 (một) đồng chí mới kết nạp …'"""
    counter = results.subject.counter
    return "; ".join(
        f"{vn.so_chu(n)} {counter} {checks.reason_text(reason, results.rules)}"
        for reason, n in results.not_rated_by_reason()
    )


def cap_sentences(results: Results) -> list[str]:
    """How the excellence share compares with its cap, and on what base it is counted (a locality setting)."""
    out = []
    counter = results.subject.counter
    if results.peer_group:  # counted over several documents: say so, not this document's own share
        htxs = results.counts["HTXSNV"]
        if htxs:
            cap = results.caps[0][1] if results.caps else None
            percent = cap.percent if cap else results.rules.excellence_cap["percent"]
            base = (
                "tổng số xếp loại “Hoàn thành tốt nhiệm vụ” và “Hoàn thành xuất sắc nhiệm vụ”"
                if results.base_includes_htxs
                else "số xếp loại “Hoàn thành tốt nhiệm vụ”"
            )
            by = (
                f" theo quyết định của cấp có thẩm quyền: {_override_note(results.override)}"
                if results.override
                else ""
            )
            out.append(
                f"Số xếp loại “Hoàn thành xuất sắc nhiệm vụ” là {vn.so_chu(htxs)} {counter}; tỷ lệ tối đa "
                f"{percent}%{by} so với {base} được tính chung cho {results.peer_group}."
            )
        return out
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
        for e in ordered(results.not_rated):  # one numbering for the whole list: no second "1"
            number += 1
            rows.append(_row(number, e, results.subject, ""))
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
    "total_lines",
    "not_rated_sentence",
    "not_rated_text",
    "cap_sentences",
    "annex_rows",
    "better",
    "group_caps",
]


def begin(data: dict, kind_code: str, stage: str, problems: Problems):
    """What both rating documents start from: the rule set, the issuance header and the evaluated results."""
    from . import parts, rules

    rule_set = rules.load(data.get("che_do", rules.DEFAULT_RULE_SET))
    ban_hanh = parts.ban_hanh(data["ban_hanh"], kind_code, problems)
    results = evaluate(data["ket_qua"], data["doi_tuong"], stage, rule_set, rating_date(data), problems)
    return rule_set, ban_hanh, results


def annex(results: Results, profile, title: str, attached_line: str, level_column: str, sort_by_name: bool) -> dict:
    """Template context of the attached list (title and the "(Kèm theo …)" line of the profile's wording,
    broken into even centred lines)."""
    from .parts import centred

    from .layout import table_columns

    subject = results.subject
    rows = annex_rows(results, sort_by_name)
    titles = {
        "stt": "STT",
        "ten": subject.name_column,
        "chuc_vu": "Chức vụ, đơn vị" if subject.member else "Loại hình",
        "xep_loai": level_column,
        "ghi_chu": "Ghi chú",
    }
    elements = {key: "bang_so" if key == "stt" else "bang_o" for key in titles}
    return {
        "tieu_de": centred(profile, "danh_sach_tieu_de", vn.upper(title)),
        "kem_theo": centred(profile, "danh_sach_kem_theo", attached_line),
        "cot_ten": titles["ten"],
        "cot_chuc_vu": titles["chuc_vu"],
        "cot_xep_loai": level_column,
        "dong": rows,
        # the columns sized from what they hold (grid columns of the profile's annex_table)
        "rong": table_columns(profile, "annex_table", titles, [r for r in rows if not r["nhom"]], elements),
    }


def scope(results: Results) -> str:
    """'đảng viên Chi bộ Khu dân cư số 1' / 'tổ chức đảng trực thuộc Đảng bộ phường Hồng Quang'."""
    subject, unit = results.subject, results.unit["ten"]
    return f"{subject.noun} {unit}" if subject.member else f"{subject.noun} trực thuộc {unit}"


def rating_date(data: dict) -> dt.date:
    """The day the 6-month rules count to: ``ket_qua.ngay_danh_gia``, else the document's date."""
    return _date(data["ket_qua"].get("ngay_danh_gia") or data["ban_hanh"]["ngay_ban_hanh"])


def batch_problems(docs: list, stage: str, schema: str) -> dict[int, list]:
    """Problems that need several documents of a batch (per index of ``docs``): the excellence cap of the
    peer groups named in ``ket_qua.nhom_tinh_ty_le`` (:func:`group_caps`). Only documents naming a group are
    evaluated. A group with a document whose data is not well formed cannot be counted: its other documents
    fail too (none of the group is issued until the group can be checked)."""
    from . import rules
    from .errors import Problem
    from .validation import check_schema, check_text

    units, where, broken = [], [], {}
    for i, doc in enumerate(docs):
        group = (doc or {}).get("ket_qua", {}).get("nhom_tinh_ty_le") if isinstance(doc, dict) else None
        if not group or not isinstance(group, str):
            continue
        if check_text(doc) or check_schema(schema, doc):
            broken.setdefault(group, []).append(i)
            continue
        rule_set = rules.load(doc.get("che_do", rules.DEFAULT_RULE_SET))
        units.append(evaluate(doc["ket_qua"], doc["doi_tuong"], stage, rule_set, rating_date(doc), Problems()))
        where.append(i)
    out = {where[k]: [Problem(*found) for found in items] for k, items in group_caps(units).items()}
    for k, results in enumerate(units):
        if results.peer_group in broken:
            breach = checks.Breach(
                "cap_group_incomplete",
                f"Nhóm “{results.peer_group}” có {len(broken[results.peer_group])} văn bản có lỗi nên chưa tính "
                f"được tỷ lệ {quoted('HTXSNV')} chung; sửa các lỗi đó rồi tạo lại cả lô.",
            )
            out.setdefault(where[k], []).append(Problem("$.ket_qua.nhom_tinh_ty_le", breach.code, breach.message))
    return out


def unit_documents(doc: dict):
    """A batch of rating documents: one per unit (``BatchSpec.documents`` of the rating kinds)."""
    from .kinds.base import BatchDoc

    unit = ((doc.get("ket_qua") or {}).get("don_vi") or {}).get("ten") or "(chưa có tên đơn vị)"
    return [BatchDoc(unit, doc)]
