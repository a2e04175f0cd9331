"""A unit's rating results: who is rated, every rule checked, the counts and caps — computed once.

:func:`evaluate` reads the ``ket_qua`` of a quyết định or tờ trình, decides who is rated, runs the rule
set's rules (:mod:`docgen.rules.checks`) on every member or collective, placing each problem with the name,
the numbers and the JSON path, and returns :class:`Results`. :func:`check_dates` checks the order of the
dates a rating document cites; :func:`group_caps` the cap of a peer group over several units.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from .. import vn
from ..errors import Problem, Problems, join_path
from ..rules import LEVELS, RuleSet, checks, quoted


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
    problems.place(
        checks.new_collective_setting(new_collectives, rules), join_path(path, "cai_dat.to_chuc_moi_thanh_lap")
    )
    entries = []
    for i, item in enumerate(items):
        e = Entry(i, join_path(list_path, i), item[subject.name_key], item)
        e.level = item.get(stage) or (item.get("de_xuat") if stage == "quyet_dinh" else None)
        if subject.member:
            # a list joining several chi bộ: each member rated on the day of their own chi bộ
            own = _date(item.get("ngay_danh_gia"))
            problems.place(
                own
                and checks.date_order(
                    ("ngày đánh giá của đảng viên", own), (RATED, rating_date), "không sau ngày của cả danh sách"
                ),
                join_path(e.path, "ngay_danh_gia"),
                prefix=f"{_who(e, subject)}: ",
            )
            day = own or rating_date
            e.not_rated = checks.member_not_rated_reason(
                item.get("trang_thai"), _date(item.get("ngay_vao_dang")), day, rules
            )
        else:
            day = rating_date
            e.not_rated = checks.collective_not_rated_reason(
                _date(item.get("ngay_thanh_lap")), rating_date, rules, new_collectives
            )
        _check_entry(e, subject, stage, rules, unit_level, day, problems)
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

    def report(found: Problem | list | None, at: str = "") -> None:
        if found:  # most checks find nothing: the path and the prefix are made for what they found only
            problems.place(found, join_path(e.path, at) if at else e.path, prefix=f"{who}: ")

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
                e.notes.append(override_note(override))
            else:
                report(checks.discipline(item, e.level, rules, leader=bool(item.get("lanh_dao_quan_ly"))), stage)
        report(checks.sick_leave(item.get("nghi_om_thang"), e.level, rules), stage)
        months, noted = item.get("nghi_om_thang"), rules.sick_leave_note
        if months and noted and months >= noted["months"]:
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


RATED = "ngày đánh giá, xếp loại"  # the rating's date, as date-order messages name it


def check_dates(data: dict, what: str, rules: RuleSet, problems: Problems, cited=()) -> None:
    """The order of the dates a rating document cites besides its căn cứ lines (those are checked by
    :func:`docgen.parts.check_cited_dates`): the rating done before the document, the pairs of dates the kind
    cites (``cited``: ``(earlier, later, reason, path)``, each date ``(what, ISO date)``, a warning when out of
    order: it can be explained), and the document's year against the rating year."""
    day = _date(data["ban_hanh"]["ngay_ban_hanh"])
    rated = _date(data["ket_qua"].get("ngay_danh_gia"))
    doc = (what, day)
    add = problems.place

    if rated:
        add(
            checks.date_order((RATED, rated), doc, "việc đánh giá, xếp loại phải có trước văn bản"),
            "$.ket_qua.ngay_danh_gia",
        )
    for (first, a), (second, b), reason, path in cited:
        if a and b:
            add(checks.date_order((first, _date(a)), (second, _date(b)), reason, severity="warning"), path)
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
        e.notes.append(override_note(override))
        return
    if breach and head_name:
        breach = breach.at("", prefix=f"người đứng đầu {head_name}: ")
    report(breach, at)


def override_note(override: dict) -> str:
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
            problems.place(breach, list_path, prefix=where, suffix=f" Các trường hợp: {who}.")
    return caps


def _group_counts(entries, subject, rules, base_includes, override) -> list:
    """This document's share of a group counted across documents: its own counts, not checked here."""
    return [
        (name, checks.excellence_cap(_level_counts(members), rules, base_includes, override is not None)[0])
        for name, members in _groups(entries).items()
    ]


def group_caps(units: list[Results]) -> dict[int, list[Problem]]:
    """The excellence cap over peer groups that span documents: the units (of one batch) naming the same
    ``ket_qua.nhom_tinh_ty_le`` are counted together, each ``nhom`` inside them apart — the competent level
    decides the group (Quy định 366 Điều 11, 1.5), e.g. all members of one đảng bộ across its chi bộ.

    A pure function of the units' evaluated results. Returns, per index of ``units``, the problems
    of every document of a group in breach (which document gives way is for the
    competent level to decide, so none of them is issued) or whose settings disagree with the group's."""
    groups: dict[tuple[str, str], list[tuple[int, Entry]]] = {}
    settings: dict[str, set] = {}
    for i, results in enumerate(units):
        if not results.peer_group:
            continue
        settings.setdefault(results.peer_group, set()).add((results.base_includes_htxs, results.override is not None))
        for name, members in _groups(results.entries).items():
            groups.setdefault((results.peer_group, name), []).extend((i, e) for e in members)
    out: dict[int, list[Problem]] = {}

    def add(indices, path_of, found: Problem):
        for i in sorted(set(indices)):
            out.setdefault(i, []).append(found.at(path_of(units[i])))

    for group, found in settings.items():
        if len(found) > 1:
            add(
                [i for i, r in enumerate(units) if r.peer_group == group],
                lambda r: "$.ket_qua.nhom_tinh_ty_le",
                checks.breach(
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
                breach.at("", prefix=f"{label} (tính chung {documents} văn bản): ", suffix=f" Các trường hợp: {who}."),
            )
    return out


def begin(data: dict, kind_code: str, stage: str, problems: Problems):
    """What the rating documents start from: ``(rule set, header, results)`` — the rule set, the document's
    :class:`~docgen.header.DocumentHeader` and the evaluated results."""
    from .. import parts, rules

    rule_set = rules.load(data.get("che_do", rules.DEFAULT_RULE_SET))
    header = parts.header(data["ban_hanh"], kind_code, problems)
    results = evaluate(data["ket_qua"], data["doi_tuong"], stage, rule_set, rating_date(data), problems)
    return rule_set, header, results


def rating_date(data: dict) -> dt.date:
    """The day the 6-month rules count to: ``ket_qua.ngay_danh_gia``, else the document's date."""
    return _date(data["ket_qua"].get("ngay_danh_gia") or data["ban_hanh"]["ngay_ban_hanh"])
