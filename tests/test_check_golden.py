# ruff: noqa: E501 — the problems are kept as they were said, whole
"""Checking and building a document gives, byte for byte, what it gave before the check was made faster:
every sample and a varied set of synthetic decisions render to the same .docx (sha256 taken from the code
before that work), and broken inputs give the same problems (path, code, message, severity), in order.

The digests are of produced files, so any change to an output (a template, a wording) changes them too:
regenerate them with ``python tests/test_check_golden.py`` only when that change of output is intended and
checked by its own tests."""

from __future__ import annotations

import copy
import functools
import hashlib
import json

import pytest

from docgen import api, batch, kinds
from docgen.demo import kind_of
from docgen.inputs import normalise
from docgen.io import from_data
from docgen.kinds.quyet_dinh_xep_loai.synthetic import dang_bo
from docgen.paths import SAMPLES_DIR

SAMPLES = sorted(p for p in SAMPLES_DIR.glob("*.json") if kind_of(p))
LONG = "Nguyễn Thị Hoàng Ngọc Bích Phương Thảo Uyên Nhi Trang"
QD = "quyet_dinh_xep_loai"


def _decision(members: int, seed: int) -> dict:
    return batch.plan(QD, dang_bo(1, members, seed=seed), 1)[0].data


def _varied(members: int) -> dict:
    """A decision of ``members`` with long names and posts, a suspended member and an exempt one, a
    discipline override, a member decided below the proposal, notes, and the names left in input order."""
    data = copy.deepcopy(_decision(members, seed=members + 7))
    data["sap_xep_ten"] = members % 2 == 0
    data["trich_yeu"] = "về việc xếp loại chất lượng đảng viên năm 2025 " + "của Chi bộ " * (members % 9)
    rows = data["ket_qua"]["dang_vien"]
    for i, m in enumerate(rows):
        if i % 3 == 0:
            m["ho_ten"] = f"{LONG} {i}"
        if i % 4 == 1:
            m["chuc_vu_dang"] = "Phó Bí thư Chi bộ, Trưởng Ban công tác Mặt trận Khu dân cư số 1"
        if i % 7 == 5:
            m["ghi_chu"] = "Chuyển sinh hoạt đến từ tháng 6/2025"
    if len(rows) >= 4:
        rows[2].update(trang_thai="dinh_chi")
        for key in ("tu_xep_loai", "diem", "de_xuat", "quyet_dinh"):
            rows[2].pop(key, None)
    if len(rows) >= 6:
        rows[3].update(
            quyet_dinh="HTNV",
            de_xuat="HTNV",
            tu_xep_loai="HTNV",
            diem={"nhom_1": 18, "nhom_2": 40, "tong": 58},
            ky_luat_trong_nam=True,
            hinh_thuc_ky_luat="Khiển trách",
            ngoai_le_ky_luat={"ly_do": "Tự phát hiện và khắc phục vi phạm trước khi bị kiểm tra"},
        )
        rows[4].update(trang_thai="mien_sinh_hoat", don_vi_cong_tac="Hưu trí")
        for key in ("tu_xep_loai", "diem", "de_xuat", "quyet_dinh"):
            rows[4].pop(key, None)
    return data


@functools.cache
def valid_cases() -> dict:
    """name → data (a sample's path, or a decision already normalised as a batch unit is)."""
    cases: dict = {f"sample:{p.stem}": p for p in SAMPLES}
    for members in (1, 2, 3, 5, 8, 13, 20, 25, 33, 40, 60):
        cases[f"plain:{members}"] = _decision(members, seed=members)
    for members in (4, 6, 9, 14, 25, 41, 60):
        cases[f"varied:{members}"] = _varied(members)
    return cases


def _broken(change) -> dict:
    data = copy.deepcopy(_decision(25, seed=3))
    change(data)
    return data


def _set(path: str, value):
    def change(data):
        *steps, last = path.split(".")
        node = data
        for s in steps:
            node = node[int(s)] if s.isdigit() else node[s]
        if value is None:
            del node[last if not last.isdigit() else int(last)]
        else:
            node[int(last) if last.isdigit() else last] = value

    return change


def _excellent(data):
    for m in data["ket_qua"]["dang_vien"][:12]:
        m.update(
            quyet_dinh="HTXSNV", de_xuat="HTXSNV", tu_xep_loai="HTXSNV", diem={"nhom_1": 25, "nhom_2": 67, "tong": 92}
        )


@functools.cache
def broken_cases() -> dict:
    m = "ket_qua.dang_vien"
    return {
        "no_name": _broken(_set(f"{m}.3.ho_ten", None)),
        "bad_level": _broken(_set(f"{m}.5.quyet_dinh", "TOT")),
        "bad_total": _broken(_set(f"{m}.6.diem", {"nhom_1": 25, "nhom_2": 50, "tong": 80})),
        "low_points": _broken(_set(f"{m}.7.diem", {"nhom_1": 10, "nhom_2": 20, "tong": 30})),
        "cap": _broken(_excellent),
        "late_rating": _broken(_set("ket_qua.ngay_danh_gia", "2025-12-30")),
        "bad_date": _broken(_set("ban_hanh.ngay_ban_hanh", "2025-02-30")),
        "no_signer": _broken(_set("nguoi_ky", None)),
        "schema_and_rules": _broken(
            lambda d: (_set(f"{m}.1.ho_ten", None)(d), _set(f"{m}.9.diem", {"nhom_1": 1, "nhom_2": 1, "tong": 9})(d))
        ),
    }


def _digest(value) -> str:
    return hashlib.sha256(value if isinstance(value, bytes) else value.encode()).hexdigest()


def _problems(problems) -> list:
    return [(p.path, p.code, p.message, p.severity) for p in problems]


def outcome(data) -> tuple[str, str]:
    """(sha256 of the .docx or "", sha256 of the problems as JSON) of checking and rendering ``data``."""
    if isinstance(data, dict):
        built, problems = api.check_normalised(kinds.get(QD), data)
    else:
        built, problems = api.check(kind_of(data), data)
    docx = api.render_built(kinds.get(kind_of(data) if not isinstance(data, dict) else QD), built) if built else b""
    return (_digest(docx) if docx else ""), _digest(json.dumps(_problems(problems), ensure_ascii=False))


def broken_outcome(data) -> list:
    """The problems of a broken decision, as :func:`docgen.api.check_data` gives them (normalised first)."""
    built, problems = api.check_data(QD, normalise(from_data(data)))
    assert built is None
    return _problems(problems)


# Taken from the code before the check was made faster.
GOLDEN: dict = {
    "sample:bao_cao_ket_qua_dang_bo_hong_quang_2025": [
        "c62123befb1c3b21b12671dd816fe1ee6ff518932b9ee372b7f58acc1b14f77e",
        "4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945",
    ],
    "sample:bao_cao_kiem_diem_02a_tran_thi_thu_trang_2023": [
        "3ac7efebc349e3b45013ce76a87ae24b2504f8747ffd1bb9ee4ede4926c9b04c",
        "4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945",
    ],
    "sample:bao_cao_kiem_diem_2a_nguyen_van_hung_2025": [
        "e1d0c7bfe7da5c2a1b2a1822d04c65b0df06d23fa907b3d63b24c113784f8a31",
        "4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945",
    ],
    "sample:bao_cao_kiem_diem_2b_ly_thi_ngoc_anh_2025": [
        "1ab2f52f4ffff457294a8a87706edff6e825648ac7c2ca1ef625921969cc70f5",
        "4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945",
    ],
    "sample:bao_cao_kiem_diem_2c_dang_van_son_2025": [
        "6f34d1850bc16d3b2f359a75a1eeb739173415c70307b88c388da33cdc6827a4",
        "4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945",
    ],
    "sample:bao_cao_kiem_diem_tap_the_khu_dan_cu_so_1_2025": [
        "9e6ebe914e33825e1f0e74e64fcc31579c1ecd102b68ea9b8fb751071c358433",
        "4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945",
    ],
    "sample:cong_van_hong_quang_2025": [
        "afcb6e7fc405c0923f1b4cf15916b91c8db447c9ed94dca3d5c74e68a377f678",
        "4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945",
    ],
    "sample:ke_hoach_hong_quang_2025": [
        "063df0c3b5082e1b0db06973cba694be4bd09ef0833d9c48b214b583875a5ae3",
        "4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945",
    ],
    "sample:ke_hoach_nguyen_nghiem_2023": [
        "70e61790ff57607dbb660cdd3da923763610ac1bab70e7fe25baf988675cf1fa",
        "4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945",
    ],
    "sample:phieu_xep_loai_chi_bo_khu_dan_cu_so_2_2025": [
        "2fc691f9b34fc15589659c72c242e8b501da42ee27f9976a369cf77949350caf",
        "4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945",
    ],
    "sample:quyet_dinh_xep_loai_dang_vien_khu_dan_cu_so_1_2025": [
        "ec76f9c21c1c7f119b68acca11b9ffbbd37d43aa9e0116f9414b0310b039fb6e",
        "4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945",
    ],
    "sample:quyet_dinh_xep_loai_to_chuc_dang_hong_quang_2025": [
        "f3ec9b6f5fc7f4ce8d1ea74c477c63bca15f4205b931921348d0f9dc4505d283",
        "4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945",
    ],
    "sample:thong_bao_ket_luan_hong_quang_2025": [
        "d3e8190aad6f1cb894a546cdb9d7b7785a4547e43fda45bd95dd5cc32fc86ad0",
        "4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945",
    ],
    "sample:thong_bao_ket_qua_khu_dan_cu_so_1_2025": [
        "d2f298927ca2db483b868efcb2a5ef17d3a182f21018d957f2c686dc3887acb0",
        "4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945",
    ],
    "sample:to_trinh_khu_dan_cu_so_1_2025": [
        "b48d6d60d7dd62143d79a2f89e450dda8e8382aa65fa7abceaa3ad47129003af",
        "4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945",
    ],
    "plain:1": [
        "b37735b2780ec29d202fb6917b08b191651ecb2aaaf4568f1fb8936d0b3f2f92",
        "4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945",
    ],
    "plain:2": [
        "ec2ae7e5f02e566fd9fa7ff9a9e0db5f45746cf3262c12860fee1703f1c871f1",
        "4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945",
    ],
    "plain:3": [
        "955a6d4559ec9fd9f64493d866fb6931f4f4ae93c3dcd076b14866de6675a220",
        "4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945",
    ],
    "plain:5": [
        "6efb054c0a9042120ac04f98fd2b848b75a1691aa0fe0418e4cff45033a4408e",
        "4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945",
    ],
    "plain:8": [
        "98e78efe6b290aac32c326bb5295a135cb3edb15ea94f619ff03bc7bfcd1e2f0",
        "4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945",
    ],
    "plain:13": [
        "36832491901118f3022c554b50ba4bee60b2b02c2f97913c5c046f4774c98e3b",
        "4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945",
    ],
    "plain:20": [
        "1d05da16bead5d667f751fe892a31a0d233b651193c93704b4739498993b470b",
        "4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945",
    ],
    "plain:25": [
        "8defa80b0ede8d396db791fbe6c0c9c0c2cc49cbcaf6fa03f9000dc96de8cee3",
        "4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945",
    ],
    "plain:33": [
        "7c574e7512a80699eff3c09023cafc9c87724bf505e5146259805c256fcaf67d",
        "4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945",
    ],
    "plain:40": [
        "5df911c9a8528a5f87298592d6f656a301703967eb09ef3192d224de7dbaefdd",
        "4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945",
    ],
    "plain:60": [
        "b5f1bd69a22942851a466e5a207c2da242721dff982627a1e6057c6f5c5a38a8",
        "4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945",
    ],
    "varied:4": [
        "50b865b19ea5e51807c4f2a15a419e30c3c5d2de410e6a3a1c92dae112d49cee",
        "4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945",
    ],
    "varied:6": [
        "92d1875e0567847ba453d6e29b91fd625e8f578778136e549ad539b466fa7116",
        "4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945",
    ],
    "varied:9": ["", "23626290290613f58223e615deb05ec5bbc76c8866b111df451767a1780af221"],
    "varied:14": [
        "b890f6194c60cb8f1b01b413d9b4f5c36e251cd5ab46d12576ed642783168a1b",
        "4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945",
    ],
    "varied:25": [
        "98e381094d1da4e2426bd54c8cf9d94d47632153abda0d87a2258b3451f6c0eb",
        "4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945",
    ],
    "varied:41": [
        "1b0b0356dba2f28f2a8a95b37acb18f1ab5c39389e430cdd38a103aa9cd54a12",
        "4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945",
    ],
    "varied:60": [
        "a4491924ba525f904fc32baddbc8ad9e7cbef6764325ee29acfca82363eb76b7",
        "4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945",
    ],
}
GOLDEN_BROKEN: dict = {
    "no_name": [
        [
            "$.ket_qua.dang_vien[3].ho_ten",
            "required",
            'Thiếu trường bắt buộc “ho_ten”. Cần điền: Họ và tên, ví dụ "Nguyễn Văn An".',
            "error",
        ]
    ],
    "bad_level": [
        [
            "$.ket_qua.dang_vien[5].quyet_dinh",
            "invalid_value",
            "Giá trị “TOT” không hợp lệ; chọn một trong: “HTXSNV”, “HTTNV”, “HTNV”, “KHTNV”.",
            "error",
        ]
    ],
    "bad_total": [
        [
            "$.ket_qua.dang_vien[6].diem",
            "points_total",
            "Tổng điểm ghi 80 nhưng nhóm 1 + nhóm 2 = 25 + 50 = 75.",
            "error",
        ]
    ],
    "low_points": [
        [
            "$.ket_qua.dang_vien[7].diem",
            "points_band",
            "30 điểm chỉ đạt mức “Không hoàn thành nhiệm vụ”; mức “Hoàn thành tốt nhiệm vụ” cần từ 70 điểm.",
            "error",
        ]
    ],
    "cap": [
        [
            "$.ket_qua.dang_vien[0].quyet_dinh",
            "head_above_unit",
            "Người đứng đầu xếp loại “Hoàn thành xuất sắc nhiệm vụ”, cao hơn mức “Hoàn thành tốt nhiệm vụ” của tập thể, tổ chức do mình đứng đầu.",
            "error",
        ],
        [
            "$.ket_qua.dang_vien",
            "excellence_cap",
            "Có 12 trường hợp xếp loại “Hoàn thành xuất sắc nhiệm vụ”, vượt tỷ lệ 20% của số xếp loại “Hoàn thành tốt nhiệm vụ” (7): tối đa 1; mức 25% chỉ áp dụng khi cấp có thẩm quyền quyết định và ghi rõ lý do (ngoai_le_ty_le). Các trường hợp: Đinh Thu Nhung, Phạm Đình Dũng, Hoàng Minh Phương, Trịnh Thanh Hoa, Trần Hồng Ngọc, Lương Xuân Bình, Lương Thúy Lan, Bùi Hồng Lan, Đỗ Thu Chi, Đinh Thanh Ngọc, Nguyễn Đức Cường, Phạm Minh Vân.",
            "error",
        ],
    ],
    "late_rating": [
        [
            "$.ket_qua.ngay_danh_gia",
            "date_order",
            "Quyết định (15/12/2025) trước ngày đánh giá, xếp loại (30/12/2025): việc đánh giá, xếp loại phải có trước văn bản.",
            "error",
        ],
        [
            "$.to_trinh.ngay",
            "date_order_unusual",
            "Tờ trình được xét (05/12/2025) trước ngày đánh giá, xếp loại (30/12/2025): tờ trình đề nghị kết quả một cuộc đánh giá diễn ra sau nó; kiểm tra lại nếu ngày đánh giá là ngày cấp trên xem xét.",
            "warning",
        ],
    ],
    "bad_date": [
        [
            "$.ban_hanh.ngay_ban_hanh",
            "invalid_date",
            "“2025-02-30” không phải ngày hợp lệ; viết theo dạng NĂM-THÁNG-NGÀY, ví dụ 2025-11-27.",
            "error",
        ]
    ],
    "no_signer": [
        [
            "$.nguoi_ky",
            "required",
            'Thiếu trường bắt buộc “nguoi_ky”. Cần điền: Khối chữ ký, ví dụ "T/M Ban Thường vụ", "Bí thư".',
            "error",
        ]
    ],
    "schema_and_rules": [
        [
            "$.ket_qua.dang_vien[1].ho_ten",
            "required",
            'Thiếu trường bắt buộc “ho_ten”. Cần điền: Họ và tên, ví dụ "Nguyễn Văn An".',
            "error",
        ],
        ["$.ket_qua.dang_vien[9].diem", "points_total", "Tổng điểm ghi 9 nhưng nhóm 1 + nhóm 2 = 1 + 1 = 2.", "error"],
    ],
}


@pytest.mark.parametrize("name", sorted(GOLDEN))
def test_check_and_render_give_the_same_bytes_as_before(name):
    assert list(outcome(valid_cases()[name])) == GOLDEN[name]


def test_every_case_has_its_digest():
    assert sorted(GOLDEN) == sorted(valid_cases())
    assert sorted(GOLDEN_BROKEN) == sorted(broken_cases())


@pytest.mark.parametrize("name", sorted(GOLDEN_BROKEN))
def test_broken_inputs_give_the_same_problems_as_before(name):
    assert [list(p) for p in broken_outcome(broken_cases()[name])] == GOLDEN_BROKEN[name]


if __name__ == "__main__":
    print("GOLDEN = " + json.dumps({k: list(outcome(v)) for k, v in valid_cases().items()}, indent=4))
    print(
        "GOLDEN_BROKEN = "
        + json.dumps({k: broken_outcome(v) for k, v in broken_cases().items()}, indent=4, ensure_ascii=False)
    )
