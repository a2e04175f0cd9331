"""A messy plan as offices send them (tests/data: a thị ủy's plan copied through a converter — bold marks cut by
line breaks, a bookmark, the number split over two lines, a level skipped, "1.2." typed under "a.", a number
skipped, an inline enumeration broken over lines, "*" bullets, a footnote, page numbers, the state form "TM."),
the side-by-side report of `docgen import --report`, and the interface a second kind's mapping plugs into."""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path

import pytest

import docgen
from docgen import cli, kinds
from docgen.importer import import_document, parts
from docgen.importer.mapping import Body, Mapped, Mapping
from docgen.importer.source import Report, Source

MESSY = Path(__file__).parent / "data" / "ke_hoach_thi_uy_2024_ban_chep.txt"


@pytest.fixture(scope="module")
def messy():
    return import_document("ke_hoach", MESSY)


def _line(n: int) -> str:
    return MESSY.read_text(encoding="utf-8").splitlines()[n - 1]


def test_the_messy_plan_imports_with_few_warnings_each_a_real_inconsistency(messy):
    assert len(messy.problems) < 5
    assert [(p.where.split(",")[0], p.code) for p in messy.problems] == [
        ("dòng 43", "numbering_mismatch"),  # "1.2." typed under "a." where "b." was meant
        ("dòng 49", "numbering_mismatch"),  # "4." after "2.": 3 is missing
        ("dòng 80", "authority_form"),  # "TM." is the state form
    ]
    assert _line(43) == "1.2. Đối với cá nhân" and "hệ thống sẽ đánh số “2.1.”" in messy.problems[0].message
    assert _line(49).startswith("4. ") and "hệ thống sẽ đánh số “3.”" in messy.problems[1].message
    assert _line(80) == "**TM. BAN THƯỜNG VỤ"
    assert messy.problems[0].path == "$.noi_dung[1].noi_dung[0].noi_dung[1].noi_dung[1]"


def test_the_messy_plan_data(messy):
    data = messy.data
    assert data["ban_hanh"] == {
        "cap_tren": "Đảng bộ tỉnh Bình Định",
        "co_quan_ban_hanh": "Thị ủy An Nhơn",
        "so": 128,
        "ky_hieu": "KH/TU",
        "dia_danh": "An Nhơn",
        "ngay_ban_hanh": "2024-11-18",
    }
    assert data["trich_yeu"] == (
        "kiểm điểm, đánh giá, xếp loại chất lượng đối với tập thể, cá nhân trong hệ thống chính trị thị xã năm 2024"
    )
    assert data["danh_so"] == ["I.", "A.", "1.", "1.1.", "a."] and data["dau_dong"] == ["-", "+", "*"]
    assert data["nguoi_ky"] == {
        "tham_quyen": "T/M Ban Thường vụ",
        "chuc_vu": "Phó Bí thư",
        "ho_ten": "Nguyễn Thanh Sơn",
        "da_ky": True,
    }
    assert data["noi_nhan"][-1] == "Lưu Văn phòng Thị ủy" and len(data["noi_nhan"]) == 4
    assert data["chu_thich"] == {"1": "Theo Điều 7 Quy định số 24-QĐ/TW, ngày 30/7/2021 của Ban Chấp hành Trung ương."}
    first = data["noi_dung"][0]
    assert first["tieu_de"] == "MỤC ĐÍCH, YÊU CẦU" and [i.get("cap") for i in first["noi_dung"]] == [3, 3]
    kiem_diem = data["noi_dung"][1]["noi_dung"][0]
    assert kiem_diem["tieu_de"] == "KIỂM ĐIỂM TỰ PHÊ BÌNH VÀ PHÊ BÌNH"
    noi_dung = kiem_diem["noi_dung"][1]
    assert noi_dung["noi_dung"][0]["tieu_de"] == "Đối với tập thể"
    enumeration = noi_dung["noi_dung"][0]["noi_dung"]
    assert len(enumeration) == 1 and enumeration[0].startswith("Tập thể lãnh đạo, quản lý kiểm điểm theo các nội")
    assert "; (4) việc khắc phục" in enumeration[0] and enumeration[0].endswith("người đứng đầu.")
    assert [b["gach"][:9] for b in noi_dung["noi_dung"][1]["noi_dung"]] == ["Về phẩm c", "Về kết qu", "Về việc t"]
    text = json.dumps(data, ensure_ascii=False)
    assert "**" not in text and "bookmark" not in text and "\\\\*" not in text
    assert docgen.validate("ke_hoach", data) == []  # and no literal-markup warning


def test_every_value_has_its_place_in_the_file(messy):
    origin = messy.origin
    assert origin["$.ban_hanh.so"] == "dòng 4" and origin["$.ban_hanh.ky_hieu"] == "dòng 4"
    assert origin["$.nguoi_ky.ho_ten"] == "dòng 83"
    assert origin["$.noi_dung[0]"] == "dòng 18" and _line(18) == "**I. MỤC ĐÍCH, YÊU CẦU**"
    assert origin["$.noi_nhan[0]"] == "dòng 76"


def test_cli_import_report_shows_old_and_new_numbers_side_by_side(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert cli.main(["import", "ke_hoach", str(MESSY), "-o", "kh.json", "--report"]) == 0
    out, err = capsys.readouterr()
    lines = out.splitlines()
    assert lines[0] == "Kiểu đánh số (danh_so): I. → A. → 1. → 1.1. → a.; dấu đầu dòng (dau_dong): - → + → *"
    assert re.match(r"vị trí\s+gốc\s+tạo lại\s+đề mục$", lines[1])
    assert re.match(
        r"dòng 43\s+1\.2\.\s+≠\s+2\.1\.\s+Đối với cá nhân$", next(x for x in lines if x.startswith("dòng 43"))
    )
    assert re.match(r"dòng 23\s+2\.\s+2\.\s+Yêu cầu$", next(x for x in lines if x.startswith("dòng 23")))
    assert "2 trên 22 mục đánh số sẽ được in với số khác bản gốc (dấu ≠)." in lines
    assert "Đã tạo kh.json (3 cảnh báo: kiểm tra lại các đoạn được nêu)" in out
    assert "  ! dòng 43, “1.2. Đối với cá nhân”: Mục có số “1.2.” nằm dưới mục “2.”" in err
    assert json.loads((tmp_path / "kh.json").read_text(encoding="utf-8"))["danh_so"][1] == "A."


# ---------------------------------------------------------------- a second kind plugs in


CONG_VAN = """ĐẢNG BỘ TỈNH BÌNH ĐỊNH
ĐẢNG ỦY XÃ NHƠN AN
*
Số 68-CV/ĐU
V/v kiểm điểm, đánh giá, xếp loại
chất lượng năm 2024
ĐẢNG CỘNG SẢN VIỆT NAM
Nhơn An, ngày 20 tháng 11 năm 2024
Kính gửi: Các chi bộ trực thuộc.
Thực hiện Kế hoạch của Ban Thường vụ Huyện ủy, Đảng ủy xã đề nghị các chi bộ:
1. Tổ chức kiểm điểm trước ngày 15/12/2024.
2. Gửi báo cáo về Văn phòng Đảng ủy.
Nơi nhận:
- Như trên,
- Lưu Văn phòng.
T/M ĐẢNG ỦY
BÍ THƯ
Lê Văn An
"""


class _CongVan(Mapping):
    """A minimal công văn mapping, as a new kind would write one: its own parts ("V/v …", "Kính gửi:") and the
    shared recognisers and body — no reader changed."""

    def map(self, source: Source, report: Report) -> Mapped:
        lines = source.lines
        kinh_gui = next(i for i, line in enumerate(lines) if line.plain.startswith("Kính gửi"))
        tail = next(i for i, line in enumerate(lines) if parts.is_tail_start(line.plain))
        head = parts.header(lines[:kinh_gui], report)
        subject = [line.plain for line in head.unused]  # the lines under the number
        body = Body(source, report)
        paras = source.paragraphs(lines[kinh_gui + 1 : tail])
        start = body.first_numbered(paras)
        tree = body.outline(paras[start:])
        signed = parts.tail(lines[tail:], report)
        danh_so, _ = tree.finish()
        data = {
            "ban_hanh": head.ban_hanh,
            "trich_yeu": " ".join(subject)[len("V/v ") :],
            "kinh_gui": [lines[kinh_gui].plain.split(":", 1)[1].strip(" .")],
            "mo_dau": [p.text for p in paras[:start]],
            "noi_dung": tree.root,
            "nguoi_ky": signed.nguoi_ky,
            "noi_nhan": signed.noi_nhan,
        }
        return Mapped(data, {}, tree)


def test_a_second_kind_plugs_in_without_touching_the_readers(tmp_path):
    # a kind declaring its mapping (Kind.importer) is all the importer needs
    cong_van = dataclasses.replace(kinds.get("ke_hoach"), name="cong_van_thu", importer=_CongVan())
    path = tmp_path / "cv.txt"
    path.write_text(CONG_VAN, encoding="utf-8")
    imported = import_document(cong_van, path)
    assert imported.data == {
        "ban_hanh": {
            "cap_tren": "Đảng bộ tỉnh Bình Định",
            "co_quan_ban_hanh": "Đảng ủy xã Nhơn An",
            "so": 68,
            "ky_hieu": "CV/ĐU",
            "dia_danh": "Nhơn An",
            "ngay_ban_hanh": "2024-11-20",
        },
        "trich_yeu": "kiểm điểm, đánh giá, xếp loại chất lượng năm 2024",
        "kinh_gui": ["Các chi bộ trực thuộc"],
        "mo_dau": ["Thực hiện Kế hoạch của Ban Thường vụ Huyện ủy, Đảng ủy xã đề nghị các chi bộ:"],
        "noi_dung": [
            {"doan": "Tổ chức kiểm điểm trước ngày 15/12/2024."},
            {"doan": "Gửi báo cáo về Văn phòng Đảng ủy."},
        ],
        "nguoi_ky": {"tham_quyen": "T/M Đảng ủy", "chuc_vu": "Bí thư", "ho_ten": "Lê Văn An", "da_ky": False},
        "noi_nhan": ["Như trên", "Lưu Văn phòng"],
    }
    assert imported.problems == [] and imported.origin["$.noi_dung[0]"] == "dòng 11"
