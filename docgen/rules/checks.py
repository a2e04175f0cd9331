"""The rating rules: one small pure function per rule, each tested on its own.

A rule takes plain values and a :class:`~docgen.rules.RuleSet` and returns ``None`` when the
rule holds, or a :class:`Breach` (stable code, Vietnamese message with the numbers involved).
The caller (:mod:`docgen.rating`) adds who and where.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from .. import vn
from . import LEVEL_NAMES, LEVELS, RuleSet, better, quoted, rank


@dataclass(frozen=True)
class Breach:
    code: str
    message: str


# ---------------------------------------------------------------- who is rated

NOT_RATED_REASONS = {
    "mien_sinh_hoat": "được miễn công tác và sinh hoạt đảng",
    "dinh_chi": "bị đình chỉ sinh hoạt đảng",
    "moi_ket_nap": "mới kết nạp chưa đủ 06 tháng",
    "moi_thanh_lap": "mới thành lập chưa đủ 06 tháng",
}


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
    spec = rules.not_rated
    if status in spec["member_statuses"]:
        return status
    if admitted is not None and add_months(admitted, spec["new_member_months"]) > rating_date:
        return "moi_ket_nap"
    return None


def collective_not_rated_reason(founded: dt.date | None, rating_date: dt.date, rules: RuleSet) -> str | None:
    if founded is not None and add_months(founded, rules.not_rated["new_collective_months"]) > rating_date:
        return "moi_thanh_lap"
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
) -> tuple[Cap, Breach | None]:
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
    return cap, Breach(
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


def head_not_above_unit(head_level: str, unit_level: str) -> Breach | None:
    """The head's rating may not be better than that of the collective he or she heads."""
    if better(head_level, unit_level):
        return Breach(
            "head_above_unit",
            f"Người đứng đầu xếp loại {quoted(head_level)}, cao hơn mức "
            f"{quoted(unit_level)} của tập thể, tổ chức do mình đứng đầu.",
        )
    return None


def discipline(disciplined: bool, level: str, rules: RuleSet) -> Breach | None:
    """A member disciplined in the year is rated KHTNV."""
    required = rules.discipline_level
    if disciplined and level != required:
        return Breach(
            "discipline",
            f"Bị kỷ luật trong năm nên xếp loại {quoted(required)}, không phải "
            f"{quoted(level)} (nếu cấp có thẩm quyền quyết định khác, ghi lý do ở "
            "ngoai_le_ky_luat).",
        )
    return None


def sick_leave(months: float | None, level: str, rules: RuleSet) -> Breach | None:
    """qd132: sick leave of 3 months or more in the year caps the rating at HTNV."""
    cap = rules.sick_leave_cap
    if cap and months is not None and months >= cap["months"] and better(level, cap["best_level"]):
        return Breach(
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


def points(groups: dict, total: float | None, level: str | None, rules: RuleSet) -> list[Breach]:
    """Group scores within their maxima, the total equal to their sum, the level within the band."""
    spec = rules.points
    if spec is None:
        return [
            Breach(
                "points_not_used", f"Bộ quy tắc {rules.id} không chấm điểm; bỏ mục điểm hoặc chọn che_do qd366_2025."
            )
        ]
    out = []
    for group, maximum in spec["groups"].items():
        value = groups.get(group)
        if value is not None and not 0 <= value <= maximum:
            out.append(
                Breach("points_range", f"Điểm {_group_name(group)} là {number_text(value)}, ngoài khoảng 0–{maximum}.")
            )
    parts = [groups.get(g) for g in spec["groups"]]
    computed = sum(Decimal(str(v)) for v in parts) if all(v is not None for v in parts) else None
    if total is not None and not 0 <= total <= spec["total"]:
        out.append(Breach("points_range", f"Tổng điểm {number_text(total)} ngoài khoảng 0–{spec['total']}."))
    if total is not None and computed is not None and Decimal(str(total)) != computed:
        out.append(
            Breach(
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
                Breach(
                    "points_band",
                    f"{number_text(score)} điểm chỉ đạt mức {quoted(band)}; mức {quoted(level)} cần từ {low} điểm.",
                )
            )
    return out


def excellent_conditions(conditions: dict | None, level: str, rules: RuleSet) -> Breach | None:
    """HTXSNV needs the regulation's conditions besides the score (qd366: all tasks done, ≥ 30% exceeding,
    earlier shortcomings fixed). A condition recorded as false forbids HTXSNV."""
    if level != "HTXSNV" or not conditions:
        return None
    missing = [c for c in rules.excellent_conditions if conditions.get(c) is False]
    if missing:
        names = "; ".join(CONDITION_NAMES.get(c, c) for c in missing)
        return Breach("excellent_conditions", f"Chưa đủ điều kiện xếp loại {quoted('HTXSNV')}: {names}.")
    return None


CONDITION_NAMES = {
    "hoan_thanh_tat_ca": "chưa hoàn thành tất cả các tiêu chí, nhiệm vụ",
    "vuot_30_phan_tram": "chưa có từ 30% tiêu chí, nhiệm vụ hoàn thành vượt mức",
    "khac_phuc_het": "chưa khắc phục hết hạn chế, khuyết điểm đã chỉ ra",
}


def organisation_thresholds(member_counts: dict, level: str, rules: RuleSet) -> Breach | None:
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
        return Breach(
            "organisation_khtnv",
            f"Có {failed}/{rated} đảng viên ({share(failed)}) xếp loại {quoted('KHTNV')}, "
            f"trên {spec['khtnv_above_percent']}%, nên tổ chức xếp loại {quoted('KHTNV')}.",
        )
    need = spec.get(level) or {}
    if "min_htnv_or_better_percent" in need and done * 100 < need["min_htnv_or_better_percent"] * rated:
        return Breach(
            "organisation_threshold",
            f"Mức {quoted(level)} cần {need['min_htnv_or_better_percent']}% đảng viên hoàn thành nhiệm vụ trở "
            f"lên; chi bộ có {done}/{rated} ({share(done)}).",
        )
    if "min_httnv_or_better_percent" in need and good * 100 < need["min_httnv_or_better_percent"] * rated:
        return Breach(
            "organisation_threshold",
            f"Mức {quoted(level)} cần từ {need['min_httnv_or_better_percent']}% đảng viên hoàn thành tốt "
            f"nhiệm vụ trở lên; chi bộ có {good}/{rated} ({share(good)}).",
        )
    return None


def _group_name(group: str) -> str:
    return {"nhom_1": "nhóm tiêu chí 1", "nhom_2": "nhóm tiêu chí 2"}.get(group, group)


def number_text(value) -> str:
    """28.5 → '28,5'; 28.0 → '28'."""
    d = Decimal(str(value)).normalize()
    text = f"{d:f}"
    return text.replace(".", ",")


__all__ = [
    "Breach",
    "Cap",
    "LEVEL_NAMES",
    "NOT_RATED_REASONS",
    "add_months",
    "collective_not_rated_reason",
    "discipline",
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
