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
    assert Q366.regulation["number"] == "366-QĐ/TW" and Q124.guidance["number"] == "25-HD/BTCTW"
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


def test_collective_set_up_under_six_months_not_rated_where_the_rule_applies():
    # qd132/qd124 (Hướng dẫn 21): always
    for regime in (Q132, Q124):
        assert checks.collective_not_rated_reason(D(2025, 8, 1), D(2025, 12, 20), regime) == "moi_thanh_lap"
        assert checks.collective_not_rated_reason(D(2025, 6, 20), D(2025, 12, 20), regime) is None
        assert checks.collective_not_rated_reason(None, D(2025, 12, 20), regime) is None
        assert checks.new_collective_setting("xep_loai", regime).code == "setting_not_in_regime"
    # qd366: a locality setting, rated by default (2025 seed plan)
    assert checks.collective_not_rated_reason(D(2025, 8, 1), D(2025, 12, 20), Q366) is None
    assert checks.collective_not_rated_reason(D(2025, 8, 1), D(2025, 12, 20), Q366, "xep_loai") is None
    assert checks.collective_not_rated_reason(D(2025, 8, 1), D(2025, 12, 20), Q366, "khong_xep_loai") == "moi_thanh_lap"
    assert checks.collective_not_rated_reason(D(2025, 6, 20), D(2025, 12, 20), Q366, "khong_xep_loai") is None
    assert checks.new_collective_setting("khong_xep_loai", Q366) is None
    assert checks.reason_text("moi_thanh_lap", Q366) == "mới thành lập chưa đủ 06 tháng"


def test_member_not_reviewed_follows_the_regime():
    day = D(2025, 12, 5)
    assert checks.member_not_reviewed_reason("dang_sinh_hoat", D(2025, 9, 2), day, Q366) == "moi_ket_nap"
    assert checks.member_not_reviewed_reason("dang_sinh_hoat", D(2025, 6, 5), day, Q366) is None
    assert checks.member_not_reviewed_reason("dinh_chi", D(2000, 1, 1), day, Q366) == "dinh_chi"
    assert checks.member_not_reviewed_reason(None, D(2025, 9, 2), day, Q132) is None  # new members wrote one
    assert checks.member_not_reviewed_reason("mien_sinh_hoat", None, day, Q132) == "mien_sinh_hoat"


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


def test_discipline_before_2025_means_khtnv():
    for regime in (Q132, Q124):
        assert checks.discipline({"ky_luat_trong_nam": True}, "HTNV", regime).code == "discipline"
        whatever = {"ky_luat_trong_nam": True, "vi_pham_ky_luat": "khac"}
        assert checks.discipline(whatever, "HTNV", regime).code == "discipline"
        assert checks.discipline_fields(whatever, regime).code == "discipline_inconsistent"
        assert checks.discipline({"ky_luat_trong_nam": True}, "KHTNV", regime) is None
        assert checks.discipline({}, "HTXSNV", regime) is None


def test_discipline_2025_only_where_the_text_says_khtnv():
    def rec(**kw):
        return {"ky_luat_trong_nam": True, **kw}

    # the kind of violation not recorded: asked for, unless KHTNV
    unknown = checks.discipline(rec(muc_ky_luat="khien_trach"), "HTNV", Q366)
    assert unknown.code == "discipline" and "vi_pham_ky_luat" in unknown.message
    assert "Bị kỷ luật khiển trách trong năm" in unknown.message
    assert checks.discipline(rec(), "KHTNV", Q366) is None
    # listed violations force KHTNV; for a leader only those in the discharge of official duties
    for kind in ("cong_vu", "dieu_cam", "neu_guong"):
        assert checks.discipline(rec(vi_pham_ky_luat=kind), "HTTNV", Q366).code == "discipline"
    assert checks.discipline(rec(vi_pham_ky_luat="cong_vu"), "HTNV", Q366, leader=True).code == "discipline"
    assert checks.discipline(rec(vi_pham_ky_luat="dieu_cam"), "HTNV", Q366, leader=True) is None
    # a violation of another kind does not force KHTNV
    assert checks.discipline(rec(vi_pham_ky_luat="khac", muc_ky_luat="canh_cao"), "HTNV", Q366) is None
    assert checks.discipline_fields({"muc_ky_luat": "khien_trach"}, Q366).code == "discipline_inconsistent"
    assert checks.discipline_fields(rec(vi_pham_ky_luat="khac"), Q366) is None


def test_discipline_note_keeps_the_data_text_exactly():
    typed = "Khiển trách theo Quyết định số 12-QĐ/UBKT ngày 10/9/2025 của Ủy ban Kiểm tra Đảng ủy phường Hồng Quang"
    note = checks.discipline_note({"ky_luat_trong_nam": True, "hinh_thuc_ky_luat": typed}, Q366)
    assert note == f"Bị kỷ luật trong năm: {typed}"
    note = checks.discipline_note({"ky_luat_trong_nam": True, "muc_ky_luat": "canh_cao"}, Q366)
    assert note == "Bị kỷ luật cảnh cáo trong năm"


@pytest.mark.parametrize(
    "counts,level,codes",
    [
        (None, "HTXSNV", []),  # nothing recorded: nothing checked
        ({"tong_so": 10, "hoan_thanh": 10, "cham_tien_do": 0, "vuot_muc": 3}, "HTXSNV", []),
        ({"tong_so": 10, "hoan_thanh": 10, "cham_tien_do": 0, "vuot_muc": 2}, "HTXSNV", ["task_conditions"]),
        ({"tong_so": 10, "hoan_thanh": 10, "cham_tien_do": 1}, "HTTNV", ["task_conditions"]),  # all on time
        ({"tong_so": 10, "hoan_thanh": 10, "cham_tien_do": 0}, "HTTNV", []),
        ({"tong_so": 10, "hoan_thanh": 10, "cham_tien_do": 2}, "HTNV", []),  # 20% exactly
        ({"tong_so": 10, "hoan_thanh": 10, "cham_tien_do": 3}, "HTNV", ["task_conditions"]),
        ({"tong_so": 10, "hoan_thanh": 9}, "HTNV", ["task_conditions"]),  # 100% done for any level above KHTNV
        ({"tong_so": 10, "hoan_thanh": 4}, "KHTNV", []),
        ({"tong_so": 5, "hoan_thanh": 6}, "HTNV", ["task_counts"]),
        ({"tong_so": 5, "hoan_thanh": 3, "vuot_muc": 4}, "KHTNV", ["task_counts"]),
    ],
)
def test_task_conditions_2025(counts, level, codes):
    assert [b.code for b in checks.tasks(counts, level, Q366)] == codes
    assert checks.tasks(counts, level, Q124) == []  # not a rule before 2025


def test_task_condition_message_gives_the_numbers():
    (breach,) = checks.tasks({"tong_so": 10, "hoan_thanh": 10, "cham_tien_do": 3}, "HTNV", Q366)
    assert "3/10" in breach.message and "30,0%" in breach.message and "20%" in breach.message


def test_collective_excellence_needs_no_discipline_in_the_unit():
    assert checks.excellent_conditions({"khong_co_ky_luat": False}, "HTXSNV", Q366, collective=True).code == (
        "excellent_conditions"
    )
    assert checks.excellent_conditions({"khong_co_ky_luat": True}, "HTXSNV", Q366, collective=True) is None
    assert checks.excellent_conditions({"khong_co_ky_luat": False}, "HTTNV", Q366, collective=True) is None


def test_every_threshold_comes_from_the_rule_set():
    """Changing a number in the rule set changes the rule: none is typed in code."""
    import copy

    data = copy.deepcopy(Q366.data)
    data["task_conditions"]["HTNV"]["behind_max_percent"] = 30
    data["excellence_cap"]["percent"] = 10
    data["not_reviewed"]["new_member_months"] = 3
    changed = rules.RuleSet("thu", data)
    assert checks.tasks({"tong_so": 10, "hoan_thanh": 10, "cham_tien_do": 3}, "HTNV", changed) == []
    assert checks.excellence_cap(counts(HTXSNV=2, HTTNV=15), changed)[1] is not None
    assert checks.member_not_reviewed_reason(None, D(2025, 9, 2), D(2025, 12, 5), changed) is None


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


def test_qd132_httnv_chi_bo_needs_all_members_htnv_or_better_and_half_httnv():
    one_failed = counts(HTTNV=8, HTNV=1, KHTNV=1)  # 80% HTTNV, but one member KHTNV
    breach = checks.organisation_thresholds(one_failed, "HTTNV", Q132)
    assert breach.code == "organisation_threshold" and "100%" in breach.message and "9/10" in breach.message
    assert checks.organisation_thresholds(counts(HTTNV=5, HTNV=5), "HTTNV", Q132) is None
    assert checks.organisation_thresholds(counts(HTTNV=4, HTNV=6), "HTTNV", Q132).code == "organisation_threshold"
