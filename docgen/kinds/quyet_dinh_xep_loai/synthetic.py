"""Synthetic decisions for benchmarks and tests: the batch envelope (schemas/lo_van_ban.schema.json) of one
decision per chi bộ of a synthetic đảng bộ (:mod:`docgen.synthetic`), valid under qd366."""

from __future__ import annotations

import copy

from ... import synthetic

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


def unit(index: int, members: int, seed: int = 2025) -> dict:
    """One chi bộ with ``members`` members and their levels, ready for a decision."""
    name = f"Chi bộ Khu dân cư số {index + 1}"
    return {
        "ket_qua": synthetic.results(index, members, seed),
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
