"""Each rating rule on its own: pass and fail cases, edges (exactly 20%, groups under 5, zero HTTNV)."""

from __future__ import annotations

import datetime as dt

import pytest

from docgen import rules
from docgen.rules import checks

Q366, Q124, Q132 = rules.load("qd366_2025"), rules.load("qd124_2023"), rules.load("qd132_2018")
D = dt.date


def counts(**kw):
    return {level: kw.get(level, 0) for level in rules.LEVELS}


# ---------------------------------------------------------------- rule sets


def test_rule_sets_are_data_and_selectable():
    assert rules.names() == ["qd124_2023", "qd132_2018", "qd366_2025"]
    assert rules.DEFAULT_RULE_SET == "qd366_2025"
    assert Q366.regulation_citation.startswith("Quy định số 366-QĐ/TW, ngày 30/8/2025 của Bộ Chính trị về kiểm điểm")
    assert Q124.guidance_citation.startswith("Hướng dẫn số 25-HD/BTCTW, ngày 10/11/2023 của Ban Tổ chức Trung ương")
    assert Q132.regulation_citation.startswith("Quy định số 132-QĐ/TW, ngày 08/3/2018")
    assert Q366.forms["lanh_dao"] == "2A" and Q124.forms["lanh_dao"] == "02B"
    with pytest.raises(KeyError):
        rules.load("qd999")


# ---------------------------------------------------------------- who is rated


@pytest.mark.parametrize(
    "status,admitted,expected",
    [
        ("dang_sinh_hoat", D(2000, 1, 1), None),
        (None, None, None),
        ("mien_sinh_hoat", D(1960, 1, 6), "mien_sinh_hoat"),
        ("dinh_chi", D(2010, 1, 1), "dinh_chi"),
        ("dang_sinh_hoat", D(2025, 6, 5), None),  # exactly 6 months before the rating date: rated
        ("dang_sinh_hoat", D(2025, 6, 6), "moi_ket_nap"),  # one day short
        ("dang_sinh_hoat", D(2025, 9, 2), "moi_ket_nap"),
    ],
)
def test_member_not_rated_reason(status, admitted, expected):
    assert checks.member_not_rated_reason(status, admitted, D(2025, 12, 5), Q366) == expected


def test_collective_set_up_under_six_months_not_rated():
    assert checks.collective_not_rated_reason(D(2025, 8, 1), D(2025, 12, 20), Q366) == "moi_thanh_lap"
    assert checks.collective_not_rated_reason(D(2025, 6, 20), D(2025, 12, 20), Q366) is None
    assert checks.collective_not_rated_reason(None, D(2025, 12, 20), Q366) is None


def test_add_months_clamps_to_month_end():
    assert checks.add_months(D(2025, 8, 31), 6) == D(2026, 2, 28)
    assert checks.add_months(D(2023, 8, 31), 6) == D(2024, 2, 29)


# ---------------------------------------------------------------- excellence cap


def test_cap_exactly_twenty_percent_passes():
    cap, breach = checks.excellence_cap(counts(HTXSNV=3, HTTNV=15, HTNV=2), Q366)
    assert breach is None and cap.allowed == 3 and cap.ratio == "20,0%"


def test_cap_one_over_fails_with_numbers():
    cap, breach = checks.excellence_cap(counts(HTXSNV=3, HTTNV=14), Q366)
    assert breach.code == "excellence_cap"
    assert "Có 3 trường hợp" in breach.message and "(14): tối đa 2" in breach.message and "25%" in breach.message


def test_cap_zero_httnv():
    _, breach = checks.excellence_cap(counts(HTXSNV=1, HTNV=6), Q366)
    assert breach is not None  # base 0: none allowed, and the others are not all HTTNV
    _, none_at_all = checks.excellence_cap(counts(HTNV=6), Q366)
    assert none_at_all is None


def test_small_group_exception():
    assert checks.excellence_cap(counts(HTXSNV=1, HTTNV=3), Q366)[1] is None  # 4 rated, rest HTTNV
    assert checks.excellence_cap(counts(HTXSNV=1), Q366)[1] is None  # a group of one
    assert checks.excellence_cap(counts(HTXSNV=1, HTTNV=2, HTNV=1), Q366)[1] is not None  # not all HTTNV
    assert checks.excellence_cap(counts(HTXSNV=2, HTTNV=2), Q366)[1] is not None  # only one may be
    assert checks.excellence_cap(counts(HTXSNV=1, HTTNV=4), Q366)[1] is not None  # 5 rated: no exception


def test_cap_override_to_25_percent():
    assert checks.excellence_cap(counts(HTXSNV=4, HTTNV=16), Q366)[1] is not None
    cap, breach = checks.excellence_cap(counts(HTXSNV=4, HTTNV=16), Q366, override=True)
    assert breach is None and cap.percent == 25 and cap.allowed == 4
    assert checks.excellence_cap(counts(HTXSNV=5, HTTNV=16), Q366, override=True)[1] is not None


def test_cap_base_is_a_locality_setting():
    assert checks.excellence_cap(counts(HTXSNV=3, HTTNV=12), Q366)[1] is not None  # 3 > 12·20%
    cap, breach = checks.excellence_cap(counts(HTXSNV=3, HTTNV=12), Q366, base_includes_htxs=True)
    assert breach is None and cap.base == 15


# ---------------------------------------------------------------- single rules


def test_head_not_above_unit():
    assert checks.head_not_above_unit("HTXSNV", "HTTNV").code == "head_above_unit"
    assert checks.head_not_above_unit("HTTNV", "HTTNV") is None
    assert checks.head_not_above_unit("HTNV", "HTTNV") is None


def test_discipline_means_khtnv():
    assert checks.discipline(True, "HTNV", Q366).code == "discipline"
    assert checks.discipline(True, "KHTNV", Q366) is None
    assert checks.discipline(False, "HTXSNV", Q366) is None


def test_sick_leave_cap_only_under_qd132():
    assert checks.sick_leave(4, "HTTNV", Q132).code == "sick_leave"
    assert checks.sick_leave(3, "HTNV", Q132) is None
    assert checks.sick_leave(2.5, "HTXSNV", Q132) is None
    assert checks.sick_leave(6, "HTXSNV", Q366) is None


@pytest.mark.parametrize(
    "total,band",
    [
        (100, "HTXSNV"),
        (90, "HTXSNV"),
        (89.5, "HTTNV"),
        (70, "HTTNV"),
        (69, "HTNV"),
        (50, "HTNV"),
        (49.9, "KHTNV"),
        (0, "KHTNV"),
    ],
)
def test_points_bands(total, band):
    assert checks.points_band(total, Q366) == band


def test_points_checks():
    assert checks.points({"nhom_1": 27, "nhom_2": 63}, 90, "HTXSNV", Q366) == []
    assert checks.points({"nhom_1": 27.5, "nhom_2": 62.5}, 90, "HTXSNV", Q366) == []
    band = checks.points({"nhom_1": 28, "nhom_2": 60}, 88, "HTXSNV", Q366)
    assert [b.code for b in band] == ["points_band"] and "88 điểm" in band[0].message
    assert checks.points({"nhom_1": 28, "nhom_2": 60}, 88, "HTNV", Q366) == []  # lower than the band is allowed
    total = checks.points({"nhom_1": 27, "nhom_2": 60}, 88, "HTTNV", Q366)
    assert [b.code for b in total] == ["points_total"] and "27 + 60 = 87" in total[0].message
    assert [b.code for b in checks.points({"nhom_1": 31, "nhom_2": 60}, None, "HTTNV", Q366)] == ["points_range"]
    assert [b.code for b in checks.points({}, 101, "HTTNV", Q366)] == ["points_range"]
    assert [b.code for b in checks.points({"nhom_1": 20}, None, "HTTNV", Q124)] == ["points_not_used"]


def test_excellent_conditions():
    assert checks.excellent_conditions({"vuot_30_phan_tram": False}, "HTXSNV", Q366).code == "excellent_conditions"
    assert checks.excellent_conditions({"hoan_thanh_tat_ca": True}, "HTXSNV", Q366) is None
    assert checks.excellent_conditions(None, "HTXSNV", Q366) is None
    assert checks.excellent_conditions({"khac_phuc_het": False}, "HTTNV", Q366) is None


def test_organisation_thresholds():
    ok = counts(HTXSNV=2, HTTNV=6, HTNV=2)
    assert checks.organisation_thresholds(ok, "HTXSNV", Q124) is None  # 80% exactly
    one_failed = counts(HTXSNV=2, HTTNV=7, KHTNV=1)
    assert checks.organisation_thresholds(one_failed, "HTXSNV", Q124).code == "organisation_threshold"
    assert checks.organisation_thresholds(counts(HTTNV=4, HTNV=6), "HTTNV", Q124).code == "organisation_threshold"
    assert checks.organisation_thresholds(counts(HTTNV=5, HTNV=5), "HTTNV", Q124) is None  # 50% exactly
    too_many = checks.organisation_thresholds(counts(HTTNV=3, KHTNV=1), "HTNV", Q124)
    assert too_many.code == "organisation_khtnv" and "1/4" in too_many.message
    assert checks.organisation_thresholds(counts(HTTNV=4, KHTNV=1), "HTNV", Q124) is None  # 20% is not above
    assert checks.organisation_thresholds(counts(HTTNV=3, KHTNV=1), "HTNV", Q366) is None  # not a 2025 rule
