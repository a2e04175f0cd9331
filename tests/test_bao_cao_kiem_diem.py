"""Báo cáo kiểm điểm: the collective report (Mẫu 01) and the individual forms (2A, 2B, 2C; 02A), read back."""

from __future__ import annotations

import copy
import json

import pytest
from conftest import load_sample
from docx_read import q

import docgen
from docgen.cli import main as cli
from docgen.kinds.bao_cao_kiem_diem import forms

TAP_THE = "bao_cao_kiem_diem_tap_the_khu_dan_cu_so_1_2025.json"
F2A = "bao_cao_kiem_diem_2a_nguyen_van_hung_2025.json"
F2B = "bao_cao_kiem_diem_2b_ly_thi_ngoc_anh_2025.json"
F2C = "bao_cao_kiem_diem_2c_dang_van_son_2025.json"
F02A = "bao_cao_kiem_diem_02a_tran_thi_thu_trang_2023.json"
FORMS = forms()


def headings(doc):
    return [p.text for p in doc.body() if p.style and p.style.startswith("DGMuc")]


def dotted(paras):
    """Paragraphs that are lines to fill by hand (a dotted tab leader)."""
    return [p for p in paras if p.style == "DGDongCham" and p.text.endswith("\t")]


def tables(doc):
    out = []
    for tbl in doc.root.iter(q("tbl")):
        out.append(
            [
                ["".join(t.text or "" for t in tc.iter(q("t"))) for tc in tr.findall(q("tc"))]
                for tr in tbl.findall(q("tr"))
            ]
        )
    return out


def after(doc, text):
    i = doc.index(text)
    return [p for p in doc.paras[i + 1 :] if p.text.strip()]


# ---------------------------------------------------------------- collective report (Mẫu 01)


@pytest.fixture(scope="module")
def tap_the(render_doc):
    return render_doc("bao_cao_kiem_diem", TAP_THE)


def test_collective_header_and_title(tap_the, profile):
    assert [p.text for p in tap_the.table_cell(0, 0, 0) if p.text] == [
        "ĐẢNG BỘ PHƯỜNG HỒNG QUANG",
        "CHI BỘ KHU DÂN CƯ SỐ 1",
        "*",
        "Số 04-BC/CB",
    ]
    assert [p.text for p in tap_the.table_cell(0, 0, 1) if p.text] == [
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        "Hồng Quang, ngày 02 tháng 12 năm 2025",
    ]
    body = tap_the.body()
    assert body[0].text == "BÁO CÁO KIỂM ĐIỂM" and body[0].all("bold")
    assert body[1].text.replace("\n", " ") == "Chi ủy Chi bộ Khu dân cư số 1 năm 2025"


def test_collective_sections_in_order(tap_the):
    f, t = FORMS, FORMS["sections"]["tap_the"]
    items = [f"{i}. {s['tieu_de']}" for i, s in enumerate(f["items"]["tap_the"], 1)]
    expected = [
        "A. NỘI DUNG KIỂM ĐIỂM",
        f"I. {t['uu_diem']}",
        *items,
        f"II. {t['han_che']}",
        "1. Hạn chế, khuyết điểm",
        "2. Nguyên nhân",
        "a) Nguyên nhân khách quan",
        "b) Nguyên nhân chủ quan",
        f"III. {t['khac_phuc']}",
        f"IV. {t['giai_trinh']}",
        f"V. {t['trach_nhiem']}",
        f"VI. {t['phuong_huong']}",
        "B. TỰ ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG",
    ]
    assert headings(tap_the) == expected
    assert tap_the.find("A. NỘI DUNG KIỂM ĐIỂM").all("bold")


def test_collective_content_and_remedies(tap_the):
    data = load_sample(TAP_THE)
    first = data["uu_diem"]["nguyen_tac"][0]
    first = first if isinstance(first, str) else next(iter(first.values()))
    assert any(first.replace("*", "") in t for t in tap_the.texts())
    status = FORMS["khac_phuc_status"]
    lines = [t for t in tap_the.texts() if t.startswith("+ ")]
    assert len(lines) == len(data["khac_phuc"])
    for line, item in zip(lines, data["khac_phuc"]):
        assert line.startswith(f"+ {status[item['ket_qua']]}") and line.endswith(".") and ".." not in line


def test_collective_points_table_and_self_rating(tap_the):
    data = load_sample(TAP_THE)
    points = data["tu_danh_gia"]["diem"]
    table = next(t for t in tables(tap_the) if t[0][:2] == ["STT", "Nhóm tiêu chí"])
    assert table[0] == ["STT", "Nhóm tiêu chí", "Điểm tối đa", "Điểm tự chấm"]
    assert [r[2:] for r in table[1:]] == [
        ["30", str(points["nhom_1"])],
        ["70", str(points["nhom_2"])],
        ["100", str(points["tong"])],
    ]
    assert table[1][1] == FORMS["points_groups"]["tap_the"]["nhom_1"]
    sentence = tap_the.find("Tập thể tự xếp loại chất lượng: Hoàn thành tốt nhiệm vụ.")
    assert sentence.seg_containing("Hoàn thành tốt nhiệm vụ").bold


def test_collective_signature_and_recipients(tap_the):
    assert [p.text for p in tap_the.table_cell(2, 0, 1) if p.text] == ["T/M CHI ỦY", "BÍ THƯ", "Nguyễn Văn Hùng"]
    recipients = [p.text for p in tap_the.table_cell(2, 0, 0) if p.text]
    assert recipients[0] == "Nơi nhận:" and recipients[-1] == "- Lưu Chi bộ."


# ---------------------------------------------------------------- individual forms


@pytest.fixture(scope="module")
def f2a(render_doc):
    return render_doc("bao_cao_kiem_diem", F2A)


def test_individual_header_has_no_number(f2a):
    assert [p.text for p in f2a.table_cell(0, 0, 0) if p.text] == [
        "ĐẢNG BỘ PHƯỜNG HỒNG QUANG",
        "CHI BỘ KHU DÂN CƯ SỐ 1",
        "*",
    ]
    assert not any(t.startswith("Số ") for t in f2a.texts())
    body = f2a.body()
    assert body[0].text == "BẢN KIỂM ĐIỂM, TỰ ĐÁNH GIÁ, XẾP LOẠI CÁ NHÂN" and body[0].all("bold")
    assert body[1].text == "Năm 2025"
    assert not any("không làm việc trong hệ thống chính trị" in t for t in f2a.texts())


def test_individual_particulars(f2a):
    for line in [
        "Họ và tên: Nguyễn Văn Hùng",
        "Ngày sinh: 12/4/1968",
        "Chức vụ đảng: Bí thư Chi bộ",
        "Chức vụ chính quyền, đoàn thể: Trưởng Khu dân cư số 1",
        "Chi bộ: Chi bộ Khu dân cư số 1",
    ]:
        f2a.find(line)


def test_2a_has_the_leadership_items(f2a, render_doc):
    expected = [s["tieu_de"] for s in FORMS["items"]["ca_nhan"] + FORMS["items"]["lanh_dao"]]
    hs = headings(f2a)
    start = hs.index("I. ƯU ĐIỂM, KẾT QUẢ ĐẠT ĐƯỢC") + 1
    assert hs[start : start + 6] == [f"{i}. {t}" for i, t in enumerate(expected, 1)]
    hs2b = headings(render_doc("bao_cao_kiem_diem", F2B))
    i = hs2b.index("I. ƯU ĐIỂM, KẾT QUẢ ĐẠT ĐƯỢC") + 1
    assert hs2b[i : i + 4] == [f"{n}. {t}" for n, t in enumerate(expected[:3], 1)] + [
        f"II. {FORMS['sections']['ca_nhan']['han_che']}"
    ]


def test_individual_self_rating_and_signature(f2a):
    sentence = f2a.find("Tự xếp loại chất lượng: Hoàn thành tốt nhiệm vụ.")
    assert sentence.seg_containing("Hoàn thành tốt nhiệm vụ").bold
    table = next(t for t in tables(f2a) if t[0][:2] == ["STT", "Nhóm tiêu chí"])
    assert table[-1][-1] == "86" and table[1][1] == FORMS["points_groups"]["ca_nhan"]["nhom_1"]
    signer = after(f2a, "NGƯỜI TỰ KIỂM ĐIỂM")
    assert f2a.find("NGƯỜI TỰ KIỂM ĐIỂM").all("bold")
    assert signer[0].text == "(Ký, ghi rõ họ tên)" and signer[0].all("italic")
    assert signer[1].text == "Nguyễn Văn Hùng" and signer[1].all("bold")


def test_confirmation_blocks_filled(f2a):
    block = after(f2a, "NHẬN XÉT, ĐÁNH GIÁ CỦA CHI ỦY (CHI BỘ)")
    assert block[0].text.startswith("Đồng chí Nguyễn Văn Hùng")
    f2a.find("Chi bộ đề xuất xếp loại chất lượng: Hoàn thành tốt nhiệm vụ.")
    names = [p.text for p in block if p.text in ("T/M CHI ỦY", "PHÓ BÍ THƯ", "Trần Thị Mai")]
    assert names == ["T/M CHI ỦY", "PHÓ BÍ THƯ", "Trần Thị Mai"]
    f2a.find(
        "Cấp có thẩm quyền (Ban Thường vụ Đảng ủy phường Hồng Quang) quyết định xếp loại chất lượng: "
        "Hoàn thành tốt nhiệm vụ."
    )
    assert "Trần Nhật Lộc" in [p.text for p in after(f2a, "KẾT QUẢ XẾP LOẠI CỦA CẤP CÓ THẨM QUYỀN")]
    assert dotted(f2a.paras) == []


def test_confirmation_blocks_empty_are_dotted(render_doc):
    f2b = render_doc("bao_cao_kiem_diem", F2B)
    decided = after(f2b, "KẾT QUẢ XẾP LOẠI CỦA CẤP CÓ THẨM QUYỀN")
    assert decided[0].text == "Xếp loại chất lượng: \t" and decided[0].style == "DGDongCham"
    assert [p.text for p in decided[1:4]] == ["T/M ĐẢNG ỦY", "BÍ THƯ", "…" * 12]
    f2c = render_doc("bao_cao_kiem_diem", F2C)
    chi_bo = f2c.paras[f2c.index("NHẬN XÉT, ĐÁNH GIÁ CỦA CHI ỦY (CHI BỘ)") + 1 : f2c.index("T/M CHI ỦY (CHI BỘ)")]
    assert len(dotted(chi_bo)) == 4 and chi_bo[3].text == "Chi bộ đề xuất xếp loại chất lượng: \t"


def test_2c_note_and_items(render_doc):
    f2c = render_doc("bao_cao_kiem_diem", F2C)
    note = f2c.find("(Đảng viên không làm việc trong hệ thống chính trị)")
    assert note.all("italic") and note.align == "center"
    assert f"2. {FORMS['items']['ngoai_he_thong'][1]['tieu_de']}" in headings(f2c)


def test_2023_form_rates_criteria(render_doc):
    doc = render_doc("bao_cao_kiem_diem", F02A)
    data = load_sample(F02A)
    table = next(t for t in tables(doc) if t[0] == ["STT", "Tiêu chí", "Mức tự đánh giá"])
    assert [r[1] for r in table[1:]] == FORMS["criteria"]["ca_nhan"]
    assert [r[2] for r in table[1:]] == [c["muc"] for c in data["tu_danh_gia"]["tieu_chi"]]
    assert not any(t[0][:2] == ["STT", "Nhóm tiêu chí"] for t in tables(doc))
    doc.find("Tự xếp loại chất lượng: Hoàn thành tốt nhiệm vụ.")
    assert doc.find("Trần Thị Thu Trang").all("bold")


def test_blank_prefilled_form_prints_lines_to_fill(render_doc):
    blank = {
        "hinh_thuc": "ca_nhan",
        "mau": "2B",
        "nam": 2025,
        "dang_bo": "Đảng bộ phường Hồng Quang",
        "chi_bo": "Chi bộ Khu dân cư số 1",
        "dia_danh": "Hồng Quang",
        "ca_nhan": {"ho_ten": "Hồ Thị Yến", "ngay_sinh": "1994-07-07"},
    }
    doc = render_doc("bao_cao_kiem_diem", blank)
    assert "Hồng Quang, ngày …… tháng …… năm 2025" in doc.texts()
    doc.find("Họ và tên: Hồ Thị Yến")
    assert doc.find("Chức vụ đảng: \t").style == "DGDongCham"
    sections = 3 + 3 + 1 + 3 + 1  # I.1-3, II.1 + a) + b), III, IV, V, VI
    assert len(dotted(doc.paras)) >= sections * 3
    table = next(t for t in tables(doc) if t[0][:2] == ["STT", "Nhóm tiêu chí"])
    assert [r[3] for r in table[1:]] == ["", "", ""]
    doc.find("Tự xếp loại chất lượng: \t")


# ---------------------------------------------------------------- validation


def _codes(data):
    return {(p.path, p.code) for p in docgen.validate("bao_cao_kiem_diem", data)}


@pytest.mark.parametrize(
    "change,expected",
    [
        (lambda d: d["tu_danh_gia"]["diem"].update(nhom_1=31, tong=90), ("$.tu_danh_gia.diem", "points_range")),
        (lambda d: d["tu_danh_gia"]["diem"].update(tong=88), ("$.tu_danh_gia.diem", "points_total")),
        (
            lambda d: d["tu_danh_gia"].update(diem={"nhom_1": 28, "nhom_2": 60, "tong": 88}, tu_xep_loai="HTXSNV"),
            ("$.tu_danh_gia.diem", "points_band"),
        ),
        (lambda d: d.update(ky_luat_trong_nam=True), ("$.tu_danh_gia.tu_xep_loai", "discipline")),
        (lambda d: d.update(ngay="2026-01-05"), ("$.ngay", "date_outside_year")),
        (lambda d: d.update(che_do="qd124_2023"), ("$.mau", "form_not_in_regime")),
        (lambda d: d["tu_danh_gia"].update(tieu_chi=[{"muc": "Tốt"}]), ("$.tu_danh_gia.tieu_chi", "criteria_not_used")),
        (lambda d: d.update(noi_nhan=["Lưu Chi bộ"]), ("$.noi_nhan", "field_not_in_form")),
        (lambda d: d["uu_diem"].pop("neu_guong"), ("$.uu_diem.neu_guong", "leadership_items_missing")),
    ],
)
def test_each_rule_gives_its_code_and_path(change, expected):
    data = copy.deepcopy(load_sample(F2A))
    change(data)
    assert expected in _codes(data)


def test_2a_without_any_leadership_item_reports_each():
    data = copy.deepcopy(load_sample(F2A))
    for code in ("lanh_dao_quan_ly", "trach_nhiem_doi_moi", "neu_guong"):
        del data["uu_diem"][code]
    assert _codes(data) == {
        (f"$.uu_diem.{c}", "leadership_items_missing") for c in ("lanh_dao_quan_ly", "trach_nhiem_doi_moi", "neu_guong")
    }


def test_leadership_items_not_in_a_2b_form():
    data = copy.deepcopy(load_sample(F2B))
    data["uu_diem"]["neu_guong"] = ["Gương mẫu."]
    assert _codes(data) == {("$.uu_diem.neu_guong", "item_not_in_form")}


def test_collective_date_outside_year_and_wrong_form():
    data = copy.deepcopy(load_sample(TAP_THE))
    data["ban_hanh"]["ngay_ban_hanh"] = "2024-12-30"
    data["mau"] = "2A"
    assert _codes(data) == {("$.ban_hanh.ngay_ban_hanh", "date_outside_year"), ("$.mau", "form_not_in_regime")}


def test_failing_form_writes_no_file(workdir, capsys):
    data = copy.deepcopy(load_sample(F2A))
    data["ky_luat_trong_nam"] = True
    src = workdir / "ban_kiem_diem.json"
    src.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert cli(["render", "bao_cao_kiem_diem", str(src), "-o", "ra.docx"]) == 1
    err = capsys.readouterr().err
    assert "$.tu_danh_gia.tu_xep_loai" in err and "[discipline]" in err
    assert not (workdir / "ra.docx").exists()
