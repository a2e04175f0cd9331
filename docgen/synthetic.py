"""A synthetic đảng bộ for benchmarks, tests and the batch demo: N chi bộ × M members, valid under qd366.

Deterministic (seeded), realistic Vietnamese names, a plausible mix of levels that respects the
excellence cap, one member exempt and one disciplined in every chi bộ large enough.
"""

from __future__ import annotations

import copy
import random

from . import kinds

FAMILY = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Vũ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hồ",
    "Ngô",
    "Dương",
    "Lý",
    "Phan",
    "Trịnh",
    "Đinh",
    "Mai",
    "Cao",
    "Lương",
    "Tạ",
]
MIDDLE = {
    "nam": ["Văn", "Minh", "Đức", "Quang", "Hữu", "Thanh", "Xuân", "Đình"],
    "nu": ["Thị", "Thu", "Ngọc", "Thanh", "Kim", "Minh", "Thúy", "Hồng"],
}
GIVEN = {
    "nam": [
        "An",
        "Bình",
        "Cường",
        "Dũng",
        "Giang",
        "Hải",
        "Hùng",
        "Khánh",
        "Long",
        "Minh",
        "Nam",
        "Phong",
        "Phúc",
        "Quân",
        "Sơn",
        "Tuấn",
        "Thắng",
        "Toàn",
        "Việt",
        "Đức",
    ],
    "nu": [
        "Anh",
        "Chi",
        "Dung",
        "Hà",
        "Hạnh",
        "Hoa",
        "Hương",
        "Lan",
        "Linh",
        "Mai",
        "Ngọc",
        "Nhung",
        "Oanh",
        "Phương",
        "Thảo",
        "Trang",
        "Vân",
        "Yến",
        "Hằng",
        "Loan",
    ],
}
WORK = [
    "Hưu trí",
    "Giáo viên Trường Tiểu học Hồng Quang",
    "Viên chức Trạm Y tế phường",
    "Kinh doanh tự do",
    "Công chức Ủy ban nhân dân phường",
    "Nhân viên Công ty Cổ phần Xây dựng số 1",
    "Lao động tự do",
]

COMMON = {
    "che_do": "qd366_2025",
    "doi_tuong": "dang_vien",
    "nam": 2025,
    "ban_hanh": {
        "cap_tren": "Đảng bộ tỉnh Thái Nguyên",
        "co_quan_ban_hanh": "Đảng ủy phường Hồng Quang",
        "ky_hieu": "QĐ/ĐU",
        "dia_danh": "Hồng Quang",
        "ngay_ban_hanh": "2025-12-15",
    },
    "co_quan_quyet_dinh": "Ban Thường vụ Đảng ủy phường Hồng Quang",
    "can_cu_them": [
        "Căn cứ Kế hoạch số 15-KH/ĐU, ngày 27/11/2025 của Ban Thường vụ Đảng ủy phường về triển khai "
        "công tác kiểm điểm và đánh giá, xếp loại chất lượng đối với tập thể, cá nhân năm 2025"
    ],
    "sap_xep_ten": True,
    "nguoi_ky": {"tham_quyen": "T/M Ban Thường vụ", "chuc_vu": "Phó Bí thư Thường trực", "ho_ten": "Trần Nhật Lộc"},
    "noi_nhan": ["Ban Xây dựng Đảng Đảng ủy", "Lưu Văn phòng Đảng ủy"],
}


def member(rng: random.Random, k: int) -> dict:
    sex = rng.choice(["nam", "nu"])
    name = f"{rng.choice(FAMILY)} {rng.choice(MIDDLE[sex])} {rng.choice(GIVEN[sex])}"
    year = rng.randint(1950, 1998)
    return {
        "ho_ten": name,
        "ngay_sinh": f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
        "don_vi_cong_tac": rng.choice(WORK),
        "ngay_vao_dang": f"{year + rng.randint(20, 26)}-0{rng.randint(1, 9)}-19",
    }


def unit(index: int, members: int, seed: int = 2025) -> dict:
    """One chi bộ with ``members`` members and their levels, ready for a decision."""
    rng = random.Random(seed * 100003 + index)
    name = f"Chi bộ Khu dân cư số {index + 1}"
    people = [member(rng, k) for k in range(members)]
    people[0].update(
        chuc_vu_dang="Bí thư Chi bộ",
        chuc_vu_chinh_quyen=f"Trưởng Khu dân cư số {index + 1}",
        lanh_dao_quan_ly=True,
        nguoi_dung_dau=True,
    )
    exempt = members >= 20
    if exempt:
        people[-1].update(trang_thai="mien_sinh_hoat", don_vi_cong_tac="Hưu trí")
    rated = members - exempt
    httnv = round(rated * 0.7)
    htxs = max(0, httnv // 5 - (1 if httnv >= 10 else 0)) if httnv >= 5 else 0
    khtnv = 1 if rated >= 10 else 0
    levels = ["HTTNV"] + ["HTXSNV"] * htxs + ["HTTNV"] * (httnv - 1) + ["KHTNV"] * khtnv
    levels += ["HTNV"] * (rated - len(levels))
    for person, level in zip(people, levels):
        total = {"HTXSNV": 92, "HTTNV": 80, "HTNV": 60, "KHTNV": 45}[level]
        person.update(
            tu_xep_loai=level,
            diem={"nhom_1": 25 if total >= 80 else 18, "nhom_2": total - (25 if total >= 80 else 18), "tong": total},
            de_xuat=level,
            quyet_dinh=level,
        )
        if level == "KHTNV":
            person.update(ky_luat_trong_nam=True, hinh_thuc_ky_luat="Khiển trách")
    return {
        "ket_qua": {"don_vi": {"ten": name, "quyet_dinh": "HTTNV"}, "ngay_danh_gia": "2025-12-05", "dang_vien": people},
        "to_trinh": {"so": 5, "ky_hieu": "TTr/CB", "ngay": "2025-12-05", "co_quan": f"Chi ủy {name}"},
        "thuc_hien": [
            "Văn phòng Đảng ủy",
            "Ban Xây dựng Đảng Đảng ủy",
            f"Chi ủy {name}",
            "các đồng chí có tên trong danh sách kèm theo",
        ],
    }


def dang_bo(units: int, members: int, seed: int = 2025, start: int = 120) -> dict:
    """A batch envelope (schemas/lo_van_ban.schema.json) of decisions for ``units`` chi bộ."""
    return {
        "so_bat_dau": start,
        "chung": copy.deepcopy(COMMON),
        "don_vi": [unit(i, members, seed) for i in range(units)],
    }


def forms_batch(kind, units: int, members: int, seed: int = 2025) -> dict:
    """A batch of pre-filled individual review forms of ``kind`` (a Kind or its name): the members of ``units``
    chi bộ, with only the member fields the kind's batch reads (``BatchSpec.member_fields``)."""
    keep = kinds.get(kind).batch.member_fields

    out = []
    for i in range(units):
        ket_qua = unit(i, members, seed)["ket_qua"]
        out.append(
            {
                "ket_qua": {
                    "don_vi": {"ten": ket_qua["don_vi"]["ten"]},
                    "dang_vien": [{k: m[k] for k in keep if k in m} for m in ket_qua["dang_vien"]],
                }
            }
        )
    return {
        "chung": {
            "che_do": "qd366_2025",
            "nam": 2025,
            "dang_bo": "Đảng bộ phường Hồng Quang",
            "dia_danh": "Hồng Quang",
        },
        "don_vi": out,
    }
