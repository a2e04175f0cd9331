"""A synthetic đảng bộ for benchmarks and tests: N chi bộ × M members, valid under qd366.

Deterministic (seeded), realistic Vietnamese names, a plausible mix of levels that respects the
excellence cap, one member exempt and one disciplined in every chi bộ large enough. What one kind's
documents add to the results (a decision's header, its tờ trình, who carries it out) is that kind's,
beside its declaration (``synthetic`` in the kind's package).
"""

from __future__ import annotations

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


def results(index: int, members: int, seed: int = 2025) -> dict:
    """The results (``ket_qua``) of one chi bộ with ``members`` members and their levels (self-rated,
    proposed and decided): what every rating document of the unit reads."""
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
    return {"don_vi": {"ten": name, "quyet_dinh": "HTTNV"}, "ngay_danh_gia": "2025-12-05", "dang_vien": people}


def forms_batch(kind, units: int, members: int, seed: int = 2025) -> dict:
    """A batch of pre-filled individual review forms of ``kind`` (a Kind or its name): the members of ``units``
    chi bộ, with only the member fields the kind's batch reads (``BatchSpec.member_fields``)."""
    keep = kinds.get(kind).batch.member_fields

    out = []
    for i in range(units):
        ket_qua = results(i, members, seed)
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


def campaign(units: int, members, seed: int = 2025) -> dict:
    """The rows of a filled campaign workbook (:mod:`docgen.campaign.workbook`) for ``units`` chi bộ of
    ``members`` members (a number, or one per chi bộ): header → value of each sheet, as
    :func:`docgen.campaign.workbook.build_template` takes them. The chi bộ meet on 03–05/12, submit on 08/12,
    the đảng ủy decides on 18/12 and reports on 22/12. In the second chi bộ (of 12 or more) one member was
    admitted in August, so is not rated (besides the exempt member of every chi bộ of 20 or more)."""
    from .campaign import workbook as w
    from .xlsx import columns as x

    committee = "Ban Thường vụ Đảng ủy phường Hồng Quang"
    common = {
        "Chế độ": "qd366_2025",
        "Năm": 2025,
        "Đảng bộ": "Đảng bộ phường Hồng Quang",
        "Cơ quan cấp trên": "Đảng bộ tỉnh Thái Nguyên",
        "Cơ quan ban hành (đảng ủy)": "Đảng ủy phường Hồng Quang",
        "Cấp ủy quyết định": committee,
        "Địa danh": "Hồng Quang",
        "Số kế hoạch": 15,
        "Ký hiệu kế hoạch": "KH/ĐU",
        "Ngày kế hoạch": "2025-11-27",
        "Cơ quan ban hành kế hoạch": committee
        + " về triển khai công tác kiểm điểm và đánh giá, xếp loại chất lượng đối với tập thể, cá nhân năm 2025",
        "Sắp xếp theo tên": True,
    }
    unit_rows, member_rows = [], []
    sizes = members if isinstance(members, (list, tuple)) else [members] * units
    for i in range(units):
        ket_qua = results(i, sizes[i], seed)
        name = ket_qua["don_vi"]["ten"]
        head = ket_qua["dang_vien"][0]
        if i == 1 and sizes[i] >= 12:
            new = ket_qua["dang_vien"][-2]
            for key in ("tu_xep_loai", "diem", "de_xuat", "quyet_dinh", "ky_luat_trong_nam", "hinh_thuc_ky_luat"):
                new.pop(key, None)
            new["ngay_vao_dang"] = "2025-08-19"
        unit_rows.append(
            {
                "Tên chi bộ": name,
                "Bí thư": head["ho_ten"],
                "Ngày họp chi bộ": f"2025-12-0{3 + i % 3}",
                "Chi bộ tự xếp loại": "HTTNV",
                "Mức đề xuất chi bộ": "HTTNV",
                "Mức quyết định chi bộ": "HTTNV",
            }
        )
        for m in ket_qua["dang_vien"]:
            row = {col.header: x.get(m, col.keys) for col in w.MEMBERS[1:]}
            member_rows.append({x.M_UNIT.header: name, **{k: v for k, v in row.items() if v is not None}})
    office = ["Ban Xây dựng Đảng Đảng ủy", "Lưu Văn phòng Đảng ủy"]
    documents = [
        {
            "Văn bản": w.TO_TRINH,
            "Ký hiệu": "TTr/CB",
            "Ngày ban hành": "2025-12-08",
            "Kính gửi": "Ban Thường vụ Đảng ủy phường Hồng Quang",
            "Nơi nhận": ["Ban Thường vụ Đảng ủy phường", "Lưu Chi bộ"],
        },
        {
            "Văn bản": w.QD_DANG_VIEN,
            "Ký hiệu": "QĐ/ĐU",
            "Ngày ban hành": "2025-12-18",
            "Nơi nhận": office,
            "Nơi thi hành": ["Văn phòng Đảng ủy", "Ban Xây dựng Đảng Đảng ủy"],
        },
        {
            "Văn bản": w.QD_CHI_BO,
            "Ký hiệu": "QĐ/ĐU",
            "Ngày ban hành": "2025-12-18",
            "Nơi nhận": office,
            "Nơi thi hành": ["Văn phòng Đảng ủy", "Ban Xây dựng Đảng Đảng ủy"],
        },
        {
            "Văn bản": w.BAO_CAO,
            "Ký hiệu": "BC/ĐU",
            "Ngày ban hành": "2025-12-22",
            "Kính gửi": "Ban Thường vụ Đảng ủy tỉnh Thái Nguyên",
            "Nơi nhận": ["Ban Tổ chức Tỉnh ủy", "Lưu Văn phòng Đảng ủy"],
        },
    ]
    # the kinds that join the campaign (the thông báo of the results): issued by the đảng ủy with the report
    documents += [
        {
            "Văn bản": kind.name,
            "Ký hiệu": f"{kind.code}/ĐU",
            "Ngày ban hành": "2025-12-22",
            "Nơi nhận": ["Các chi bộ trực thuộc", "Lưu Văn phòng Đảng ủy"],
        }
        for kind in kinds.campaign_kinds()
    ]
    signer = {"Thẩm quyền ký": "T/M Ban Thường vụ", "Chức vụ": "Phó Bí thư Thường trực", "Họ và tên": "Trần Nhật Lộc"}
    signers = [{"Văn bản": doc, **signer} for doc in w.signed()]
    return {"common": common, "units": unit_rows, "members": member_rows, "van_ban": documents, "nguoi_ky": signers}
