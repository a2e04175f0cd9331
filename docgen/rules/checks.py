"""The rating rules: one small pure function per rule, each tested on its own.

A rule takes plain values and a :class:`~docgen.rules.RuleSet` and returns ``None`` when the
rule holds, or a :class:`~docgen.errors.Problem` not yet placed (:func:`breach`: a stable code, a
Vietnamese message with the numbers involved). The caller (:mod:`docgen.rating`, a kind's builder)
places it, with who and where (:meth:`docgen.errors.Problems.place`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from .. import vn
from ..errors import Problem, unplaced
from . import LEVEL_NAMES, LEVELS, RuleSet, better, quoted, rank


def breach(code: str, message: str, severity: str = "error") -> Problem:
    """A rule's finding: ``severity`` "warning" is reported and the document is still made."""
    return unplaced(code, message, severity)


# ---------------------------------------------------------------- who is rated

NOT_RATED_REASONS = {
    "mien_sinh_hoat": "được miễn công tác và sinh hoạt đảng",
    "dinh_chi": "bị đình chỉ sinh hoạt đảng",
    "moi_ket_nap": "mới kết nạp chưa đủ {months} tháng",
    "moi_thanh_lap": "mới thành lập chưa đủ {months} tháng",
}
NEW_COLLECTIVE_SETTINGS = ("xep_loai", "khong_xep_loai")  # ket_qua.cai_dat.to_chuc_moi_thanh_lap


def reason_text(reason: str, rules: RuleSet) -> str:
    """'mới kết nạp chưa đủ 06 tháng': the reason a member or collective is not rated (or not reviewed),
    with the months of the rule set."""
    months = {"moi_ket_nap": rules.not_rated["new_member_months"], "moi_thanh_lap": _new_collective(rules)["months"]}
    return NOT_RATED_REASONS[reason].format(months=vn.hai_chu_so(months.get(reason) or 0))


def add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    last = [
        31,
        29 if (year % 4 == 0 and year % 100 != 0) or year % 400 == 0 else 28,
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ][month - 1]
    return dt.date(year, month, min(day.day, last))


def member_not_rated_reason(
    status: str | None, admitted: dt.date | None, rating_date: dt.date, rules: RuleSet
) -> str | None:
    """Why a member is not rated ("mien_sinh_hoat", "dinh_chi", "moi_ket_nap"), or None."""
    return _member_excluded(rules.not_rated, status, admitted, rating_date)


def member_not_reviewed_reason(
    status: str | None, admitted: dt.date | None, review_date: dt.date, rules: RuleSet
) -> str | None:
    """Why a member writes no review (qd366 Điều 5: exempt, suspended, admitted less than 6 months before),
    or None. Under qd132 new members still wrote one (``not_reviewed.new_member_months`` is null)."""
    return _member_excluded(rules.not_reviewed, status, admitted, review_date)


def _member_excluded(spec: dict, status, admitted, day) -> str | None:
    if status in spec["member_statuses"]:
        return status
    months = spec.get("new_member_months")
    if months and admitted is not None and add_months(admitted, months) > day:
        return "moi_ket_nap"
    return None


def _new_collective(rules: RuleSet) -> dict:
    return rules.not_rated["new_collective"]


def collective_not_rated_reason(
    founded: dt.date | None, rating_date: dt.date, rules: RuleSet, setting: str | None = None
) -> str | None:
    """The reason "moi_thanh_lap" for a collective set up less than 6 months before the rating date, where that rule
    applies: always under qd132/qd124 (Hướng dẫn 21); under qd366 only if the locality says so
    (``setting`` "khong_xep_loai"; the default rates new collectives on the work done since)."""
    spec = _new_collective(rules)
    if spec["applies"] == "setting" and (setting or spec["default"]) != "khong_xep_loai":
        return None
    if founded is not None and add_months(founded, spec["months"]) > rating_date:
        return "moi_thanh_lap"
    return None


def new_collective_setting(setting: str | None, rules: RuleSet) -> Problem | None:
    """The locality setting on new collectives exists only where the regime leaves it to the locality."""
    if setting is not None and _new_collective(rules)["applies"] != "setting":
        months = vn.hai_chu_so(_new_collective(rules)["months"])
        return breach(
            "setting_not_in_regime",
            f"Chế độ {rules.id} quy định tổ chức mới thành lập chưa đủ {months} "
            "tháng không xếp loại; bỏ cài đặt to_chuc_moi_thanh_lap.",
        )
    return None


# ---------------------------------------------------------------- excellence cap


@dataclass(frozen=True)
class Cap:
    """The HTXSNV cap of a group: the base it is counted on, the percent, how many are allowed."""

    htxs: int
    base: int
    percent: int
    allowed: int
    small_group: bool
    base_includes_htxs: bool

    @property
    def ratio(self) -> str:
        return vn.phan_tram(self.htxs, self.base)


def excellence_cap(
    counts: dict, rules: RuleSet, base_includes_htxs: bool = False, override: bool = False
) -> tuple[Cap, Problem | None]:
    """HTXSNV ≤ 20% (25% with a recorded override) of the HTTNV count of the group.

    ``base_includes_htxs``: the locality setting of whether the HTTNV count includes those at
    HTXSNV. Small groups (fewer than 5 rated, all the others HTTNV) may have one HTXSNV.
    """
    spec = rules.excellence_cap
    percent = spec["percent_override"] if override else spec["percent"]
    htxs = counts.get("HTXSNV", 0)
    base = counts.get("HTTNV", 0) + (htxs if base_includes_htxs else 0)
    allowed = base * percent // 100
    rated = sum(counts.get(level, 0) for level in LEVELS)
    small = rated < spec["small_group_below"] and htxs == 1 and counts.get("HTTNV", 0) == rated - 1
    cap = Cap(htxs, base, percent, allowed, small, base_includes_htxs)
    if htxs <= allowed or small:
        return cap, None
    base_text = (
        "số xếp loại “Hoàn thành tốt nhiệm vụ” và “Hoàn thành xuất sắc nhiệm vụ”"
        if base_includes_htxs
        else "số xếp loại “Hoàn thành tốt nhiệm vụ”"
    )
    return cap, breach(
        "excellence_cap",
        f"Có {htxs} trường hợp xếp loại {quoted('HTXSNV')}, vượt tỷ lệ {percent}% của {base_text} "
        f"({base}): tối đa {allowed}"
        + (
            ""
            if override
            else f"; mức {spec['percent_override']}% chỉ áp dụng khi cấp có thẩm quyền "
            "quyết định và ghi rõ lý do (ngoai_le_ty_le)"
        )
        + (
            f"; nhóm dưới {spec['small_group_below']} chỉ được 01 trường hợp khi tất cả còn lại "
            f"xếp loại {quoted('HTTNV')}"
            if rated < spec["small_group_below"]
            else ""
        )
        + ".",
    )


# ---------------------------------------------------------------- individual rules


def head_not_above_unit(head_level: str, unit_level: str) -> Problem | None:
    """The head's rating may not be better than that of the collective he or she heads."""
    if better(head_level, unit_level):
        return breach(
            "head_above_unit",
            f"Người đứng đầu xếp loại {quoted(head_level)}, cao hơn mức "
            f"{quoted(unit_level)} của tập thể, tổ chức do mình đứng đầu.",
        )
    return None


def discipline(record: dict, level: str, rules: RuleSet, leader: bool = False) -> Problem | None:
    """Discipline in the year and the rating (``record``: ky_luat_trong_nam, muc_ky_luat, vi_pham_ky_luat).

    qd132/qd124 (rule "any"): a member disciplined in the year is KHTNV. qd366 (rule "listed_violations"):
    KHTNV where the regulation says so — discipline (khiển trách or heavier) for a violation of the kinds it
    lists (for a leader: in the discharge of official duties; for others also the prohibitions for party
    members and the duty to set an example). Another kind of violation does not force KHTNV; an unknown kind
    is asked for. A reasoned decision of the competent level (ngoai_le_ky_luat) is handled by the caller."""
    spec = rules.discipline
    required = spec["level"]
    if not record.get("ky_luat_trong_nam") or level == required:
        return None
    form = spec.get("forms", {}).get(record.get("muc_ky_luat"), "")
    what = f"Bị kỷ luật{' ' + form if form else ''} trong năm"
    escape = "nếu cấp có thẩm quyền quyết định khác, ghi lý do ở ngoai_le_ky_luat"
    if spec["rule"] == "any":
        return breach("discipline", f"{what} nên xếp loại {quoted(required)}, không phải {quoted(level)} ({escape}).")
    violation = record.get("vi_pham_ky_luat")
    if violation is None:
        return breach(
            "discipline",
            f"{what} nên xếp loại {quoted(required)}, không phải {quoted(level)}, trừ khi vi phạm không thuộc "
            f"các trường hợp Quy định nêu: ghi loại vi phạm ở vi_pham_ky_luat ({escape}).",
        )
    listed = spec["listed"]["lanh_dao" if leader else "dang_vien"]
    if violation in listed:
        who = "cá nhân giữ chức vụ lãnh đạo, quản lý" if leader else "đảng viên không giữ chức vụ lãnh đạo, quản lý"
        return breach(
            "discipline",
            f"{what} do {spec['violations'][violation]}: với {who}, Quy định xếp loại {quoted(required)}, "
            f"không phải {quoted(level)} ({escape}).",
        )
    return None


def discipline_fields(record: dict, rules: RuleSet) -> Problem | None:
    """The form or kind of a discipline recorded without the discipline itself, or a kind the regime
    does not use: the record contradicts itself."""
    given = [k for k in ("muc_ky_luat", "vi_pham_ky_luat", "hinh_thuc_ky_luat") if record.get(k)]
    if given and not record.get("ky_luat_trong_nam"):
        return breach(
            "discipline_inconsistent",
            f"Có {', '.join(given)} nhưng ky_luat_trong_nam không phải true: ghi ky_luat_trong_nam là true, "
            "hoặc bỏ các trường kỷ luật.",
        )
    if record.get("vi_pham_ky_luat") and rules.discipline["rule"] != "listed_violations":
        return breach(
            "discipline_inconsistent",
            f"Chế độ {rules.id}: đảng viên bị kỷ luật trong năm xếp loại {quoted(rules.discipline['level'])}, "
            "không phân biệt loại vi phạm; bỏ vi_pham_ky_luat.",
        )
    return None


def discipline_note(record: dict, rules: RuleSet) -> str:
    """The list's note: 'Bị kỷ luật khiển trách trong năm', the data's own text (hinh_thuc_ky_luat) exactly
    as typed after it."""
    form = rules.discipline.get("forms", {}).get(record.get("muc_ky_luat"), "")
    note = f"Bị kỷ luật{' ' + form if form else ''} trong năm"
    text = record.get("hinh_thuc_ky_luat")
    return f"{note}: {text}" if text else note


def tasks(counts: dict | None, level: str, rules: RuleSet) -> list[Problem]:
    """qd366 conditions on the tasks of the year, where the data records them (``tien_do_nhiem_vu``:
    tong_so, hoan_thanh, cham_tien_do, vuot_muc): HTXSNV and HTTNV all done on time (HTXSNV ≥ 30% exceeded),
    HTNV all done with at most 20% behind schedule. Nothing is checked or said when the counts are absent."""
    spec = rules.task_conditions
    if not counts or spec is None:
        return []
    total = counts.get("tong_so")
    parts = {k: counts[k] for k in ("hoan_thanh", "cham_tien_do", "vuot_muc") if counts.get(k) is not None}
    if total is None:
        return [breach("task_counts", "Ghi tổng số nhiệm vụ được giao (tong_so) để đối chiếu các số còn lại.")]
    wrong = [k for k, v in parts.items() if v > total]
    if "vuot_muc" in parts and "hoan_thanh" in parts and parts["vuot_muc"] > parts["hoan_thanh"]:
        wrong.append("vuot_muc")
    if wrong:
        return [
            breach(
                "task_counts",
                f"Số nhiệm vụ {', '.join(sorted(set(wrong)))} lớn hơn tổng số ({total}) hoặc số đã hoàn thành.",
            )
        ]
    need = spec.get(level)
    if not need or total == 0:
        return []
    out, name = [], quoted(level)
    done = parts.get("hoan_thanh")
    if done is not None and done * 100 < need["completed_percent"] * total:
        out.append(
            breach(
                "task_conditions",
                f"Mức {name} cần hoàn thành {need['completed_percent']}% nhiệm vụ được giao; "
                f"mới hoàn thành {done}/{total} ({vn.phan_tram(done, total)}).",
            )
        )
    behind = parts.get("cham_tien_do")
    if behind is not None and behind * 100 > need["behind_max_percent"] * total:
        limit = (
            "tất cả nhiệm vụ phải đúng hạn"
            if need["behind_max_percent"] == 0
            else f"số nhiệm vụ chưa bảo đảm tiến độ không vượt quá {need['behind_max_percent']}%"
        )
        out.append(
            breach(
                "task_conditions",
                f"Mức {name}: {limit}; có {behind}/{total} nhiệm vụ chưa bảo đảm tiến độ "
                f"({vn.phan_tram(behind, total)}).",
            )
        )
    exceeded = parts.get("vuot_muc")
    if (
        "exceeded_min_percent" in need
        and exceeded is not None
        and exceeded * 100 < need["exceeded_min_percent"] * total
    ):
        out.append(
            breach(
                "task_conditions",
                f"Mức {name} cần ít nhất {need['exceeded_min_percent']}% nhiệm vụ hoàn thành vượt mức; "
                f"có {exceeded}/{total} ({vn.phan_tram(exceeded, total)}).",
            )
        )
    return out


def sick_leave(months: float | None, level: str, rules: RuleSet) -> Problem | None:
    """qd132: sick leave of 3 months or more in the year caps the rating at HTNV."""
    cap = rules.sick_leave_cap
    if cap and months is not None and months >= cap["months"] and better(level, cap["best_level"]):
        return breach(
            "sick_leave",
            f"Nghỉ ốm {number_text(months)} tháng (từ {cap['months']} tháng trở lên) nên xếp loại "
            f"không cao hơn {quoted(cap['best_level'])}, không phải {quoted(level)}.",
        )
    return None


def points_band(total: float, rules: RuleSet) -> str:
    """The best level a score allows: HTXSNV from 90, HTTNV from 70, HTNV from 50, else KHTNV."""
    for level in LEVELS:
        if total >= rules.points["bands"][level]:
            return level
    return "KHTNV"


def points(groups: dict, total: float | None, level: str | None, rules: RuleSet) -> list[Problem]:
    """Group scores within their maxima, the total equal to their sum, the level within the band."""
    spec = rules.points
    if spec is None:
        return [
            breach(
                "points_not_used", f"Bộ quy tắc {rules.id} không chấm điểm; bỏ mục điểm hoặc chọn che_do qd366_2025."
            )
        ]
    out = []
    for group, maximum in spec["groups"].items():
        value = groups.get(group)
        if value is not None and not 0 <= value <= maximum:
            out.append(
                breach("points_range", f"Điểm {_group_name(group)} là {number_text(value)}, ngoài khoảng 0–{maximum}.")
            )
    parts = [groups.get(g) for g in spec["groups"]]
    # Whole points (the usual) add up exactly as they are; decimals (25.5) through Decimal, not binary floats.
    whole = all(type(v) is int for v in parts)
    if whole:
        computed = sum(parts)
    else:
        computed = sum(Decimal(str(v)) for v in parts) if all(v is not None for v in parts) else None
    if total is not None and not 0 <= total <= spec["total"]:
        out.append(breach("points_range", f"Tổng điểm {number_text(total)} ngoài khoảng 0–{spec['total']}."))
    if (
        total is not None
        and computed is not None
        and ((total != computed) if whole and type(total) is int else Decimal(str(total)) != computed)
    ):
        out.append(
            breach(
                "points_total",
                f"Tổng điểm ghi {number_text(total)} nhưng nhóm 1 + nhóm 2 = "
                f"{number_text(parts[0])} + {number_text(parts[1])} = {number_text(computed)}.",
            )
        )
    score = total if total is not None else computed
    if level is not None and score is not None and not out:
        band = points_band(float(score), rules)
        if better(level, band):
            low = spec["bands"][level]
            out.append(
                breach(
                    "points_band",
                    f"{number_text(score)} điểm chỉ đạt mức {quoted(band)}; mức {quoted(level)} cần từ {low} điểm.",
                )
            )
    return out


def excellent_conditions(
    conditions: dict | None, level: str, rules: RuleSet, collective: bool = False
) -> Problem | None:
    """HTXSNV needs the regulation's conditions besides the score (qd366: all tasks done, ≥ 30% exceeding,
    earlier shortcomings fixed; for a collective also no subordinate unit or leadership member
    disciplined). A condition recorded as false forbids HTXSNV; one not recorded is not checked."""
    if level != "HTXSNV" or not conditions:
        return None
    names = rules.excellent_conditions["tap_the" if collective else "ca_nhan"]
    missing = [c for c in names if conditions.get(c) is False]
    if missing:
        names = "; ".join(CONDITION_NAMES.get(c, c) for c in missing)
        return breach("excellent_conditions", f"Chưa đủ điều kiện xếp loại {quoted('HTXSNV')}: {names}.")
    return None


CONDITION_NAMES = {
    "hoan_thanh_tat_ca": "chưa hoàn thành tất cả các tiêu chí, nhiệm vụ",
    "vuot_30_phan_tram": "chưa có từ 30% tiêu chí, nhiệm vụ hoàn thành vượt mức",
    "khac_phuc_het": "chưa khắc phục hết hạn chế, khuyết điểm đã chỉ ra",
    "khong_co_ky_luat": "có đơn vị trực thuộc hoặc thành viên của tập thể lãnh đạo, quản lý bị kỷ luật",
}


def organisation_thresholds(member_counts: dict, level: str, rules: RuleSet) -> Problem | None:
    """qd132/qd124: a chi bộ's rating against its members' ratings (shares of those rated)."""
    spec = rules.organisation_thresholds
    rated = sum(member_counts.get(x, 0) for x in LEVELS)
    if spec is None or rated == 0:
        return None
    good = member_counts.get("HTXSNV", 0) + member_counts.get("HTTNV", 0)
    done = good + member_counts.get("HTNV", 0)
    failed = member_counts.get("KHTNV", 0)
    share = lambda n: vn.phan_tram(n, rated)  # noqa: E731
    if failed * 100 > spec["khtnv_above_percent"] * rated and level != "KHTNV":
        return breach(
            "organisation_khtnv",
            f"Có {failed}/{rated} đảng viên ({share(failed)}) xếp loại {quoted('KHTNV')}, "
            f"trên {spec['khtnv_above_percent']}%, nên tổ chức xếp loại {quoted('KHTNV')}.",
        )
    need = spec.get(level) or {}
    if "min_htnv_or_better_percent" in need and done * 100 < need["min_htnv_or_better_percent"] * rated:
        return breach(
            "organisation_threshold",
            f"Mức {quoted(level)} cần {need['min_htnv_or_better_percent']}% đảng viên hoàn thành nhiệm vụ trở "
            f"lên; chi bộ có {done}/{rated} ({share(done)}).",
        )
    if "min_httnv_or_better_percent" in need and good * 100 < need["min_httnv_or_better_percent"] * rated:
        return breach(
            "organisation_threshold",
            f"Mức {quoted(level)} cần từ {need['min_httnv_or_better_percent']}% đảng viên hoàn thành tốt "
            f"nhiệm vụ trở lên; chi bộ có {good}/{rated} ({share(good)}).",
        )
    return None


# ---------------------------------------------------------------- dates


def date_order(
    earlier: tuple[str, dt.date], later: tuple[str, dt.date], reason: str, severity: str = "error"
) -> Problem | None:
    """Two dates a document cites, ``(what, day)``, that must come in this order (the same day is fine):
    e.g. the tờ trình a decision cites, then the decision. ``severity`` "error" where the order cannot be
    right, "warning" where it can be explained; the message gives both dates."""
    (first, day1), (second, day2) = earlier, later
    if day2 >= day1:
        return None
    code = "date_order" if severity == "error" else "date_order_unusual"
    return breach(
        code, f"{second} ({vn.ngay_so(day2)}) trước {first} ({vn.ngay_so(day1)}): {reason}.", severity=severity
    )


def _group_name(group: str) -> str:
    return {"nhom_1": "nhóm tiêu chí 1", "nhom_2": "nhóm tiêu chí 2"}.get(group, group)


def number_text(value) -> str:
    """28.5 → '28,5'; 28.0 → '28'."""
    d = Decimal(str(value)).normalize()
    text = f"{d:f}"
    return text.replace(".", ",")


__all__ = [
    "breach",
    "Cap",
    "LEVEL_NAMES",
    "NOT_RATED_REASONS",
    "add_months",
    "date_order",
    "collective_not_rated_reason",
    "discipline",
    "discipline_fields",
    "discipline_note",
    "member_not_reviewed_reason",
    "new_collective_setting",
    "reason_text",
    "tasks",
    "excellence_cap",
    "excellent_conditions",
    "head_not_above_unit",
    "member_not_rated_reason",
    "number_text",
    "organisation_thresholds",
    "points",
    "points_band",
    "rank",
    "sick_leave",
]
