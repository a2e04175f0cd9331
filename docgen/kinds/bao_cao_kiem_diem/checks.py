"""The review report's own rules: the fields each form uses, the self-rating against the regime's rules
(points, excellence conditions, tasks, discipline), and the order of its dates."""

from __future__ import annotations

import datetime as dt

from ... import parts, vn
from ...errors import Problems, join_path
from ...profile import Profile
from ...rules import checks
from .forms import form_items, has_content

ONLY_TAP_THE = ("ban_hanh", "tap_the", "nguoi_ky", "noi_nhan")
ONLY_CA_NHAN = (
    "dang_bo",
    "chi_bo",
    "dia_danh",
    "ngay",
    "ca_nhan",
    "ky_luat_trong_nam",
    "muc_ky_luat",
    "vi_pham_ky_luat",
    "xac_nhan_chi_bo",
    "ket_qua_xep_loai",
)


def check_fields(data: dict, code: str, form_type: str, problems: Problems) -> None:
    other = ONLY_CA_NHAN if data["hinh_thuc"] == "tap_the" else ONLY_TAP_THE
    name = "báo cáo tập thể" if data["hinh_thuc"] == "tap_the" else "bản kiểm điểm cá nhân"
    for field in other:
        if field in data:
            problems.add(join_path("$", field), "field_not_in_form", f"Trường “{field}” không dùng cho {name}.")
    items = form_items(code)
    codes = [c for c, _, _ in items]
    for key in data.get("uu_diem") or {}:
        if key not in codes:
            problems.add(
                join_path("$.uu_diem", key),
                "item_not_in_form",
                f"Mục “{key}” không có trong Mẫu {code}; các mục của mẫu: {', '.join(codes)}.",
            )
    for key in (data.get("tu_danh_gia") or {}).get("tieu_chi") or {}:
        if key not in codes:
            problems.add(
                join_path("$.tu_danh_gia.tieu_chi", key),
                "item_not_in_form",
                f"Mục “{key}” không có trong Mẫu {code}; các mục của mẫu: {', '.join(codes)}.",
            )
    if form_type == "lanh_dao" and has_content(data):
        for key, heading, leader in items:
            if leader and not (data.get("uu_diem") or {}).get(key):
                problems.add(
                    join_path("$.uu_diem", key),
                    "leadership_items_missing",
                    f"Mẫu {code} (giữ chức vụ lãnh đạo, quản lý) phải kiểm điểm mục: {heading}",
                )
    conditions = (data.get("tu_danh_gia") or {}).get("dieu_kien_htxs") or {}
    if form_type != "tap_the" and "khong_co_ky_luat" in conditions:
        problems.add(
            "$.tu_danh_gia.dieu_kien_htxs.khong_co_ky_luat",
            "field_not_in_form",
            "Điều kiện “không có đơn vị trực thuộc hoặc thành viên bị kỷ luật” chỉ dùng cho báo cáo tập thể.",
        )


def check_rating(data: dict, form_type: str, rule_set, problems: Problems) -> None:
    self_rating = data.get("tu_danh_gia") or {}
    level = self_rating.get("tu_xep_loai")
    base = "$.tu_danh_gia"
    if "diem" in self_rating:
        problems.place(
            checks.points(self_rating["diem"], self_rating["diem"].get("tong"), level, rule_set),
            join_path(base, "diem"),
        )
    if "tieu_chi" in self_rating and rule_set.criteria_levels is None:
        problems.add(
            join_path(base, "tieu_chi"),
            "criteria_not_used",
            f"Chế độ {rule_set.id} chấm điểm, không đánh giá theo tiêu chí; dùng “diem”.",
        )
    if level:
        collective = form_type == "tap_the"
        found = checks.excellent_conditions(self_rating.get("dieu_kien_htxs"), level, rule_set, collective)
        problems.place(found, join_path(base, "dieu_kien_htxs"))
        problems.place(
            checks.tasks(self_rating.get("tien_do_nhiem_vu"), level, rule_set), join_path(base, "tien_do_nhiem_vu")
        )
    if data["hinh_thuc"] == "ca_nhan":
        problems.place(checks.discipline_fields(data, rule_set), "$.ky_luat_trong_nam")
    if data.get("ky_luat_trong_nam"):
        for path, value in (
            (join_path(base, "tu_xep_loai"), level),
            ("$.xac_nhan_chi_bo.de_xuat", (data.get("xac_nhan_chi_bo") or {}).get("de_xuat")),
            ("$.ket_qua_xep_loai.xep_loai", (data.get("ket_qua_xep_loai") or {}).get("xep_loai")),
        ):
            if value:
                problems.place(checks.discipline(data, value, rule_set, leader=form_type == "lanh_dao"), path)


def check_dates(data: dict, rule_set, profile: Profile, problems: Problems) -> None:
    """The report's date in the review year, not before the regulation whose form and Phụ lục it uses, nor
    before the texts its opening cites; a member born before the form is written."""
    year = data["nam"]
    what, day = (
        ("Báo cáo", (data.get("ban_hanh") or {}).get("ngay_ban_hanh"))
        if data["hinh_thuc"] == "tap_the"
        else ("Bản kiểm điểm", data.get("ngay"))
    )
    if not day:
        return
    path = "$.ban_hanh.ngay_ban_hanh" if data["hinh_thuc"] == "tap_the" else "$.ngay"
    if dt.date.fromisoformat(day).year != year:
        problems.add(path, "date_outside_year", f"Ngày {vn.ngay_so(day)} không thuộc năm kiểm điểm {year}.")
    cited = [(parts.citation(profile, rule_set.regulation), "$.che_do")]
    parts.check_cited_dates(what, day, cited + parts.data_lines(data.get("mo_dau"), "$.mo_dau"), problems)
    born = (data.get("ca_nhan") or {}).get("ngay_sinh")
    if born:
        found = checks.date_order(
            ("ngày sinh", dt.date.fromisoformat(born)), (what, dt.date.fromisoformat(day)), "ngày sinh sai"
        )
        problems.place(found, "$.ca_nhan.ngay_sinh")
