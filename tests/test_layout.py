"""Lines fitted with the print font's widths, read back from the .docx: the header's split keeps the
place-and-date line whole, the annex columns follow their content, the cells are padded and centred, the
signature keeps the end of the body, recipient lines hang after their dash. (The same on the printed
pages: test_layout_pdf.py.)"""

from __future__ import annotations

import copy
import math

import pytest
from conftest import load_sample
from docx_read import Doc, q

import docgen
from docgen import api, layout

KH = "ke_hoach_nguyen_nghiem_2023.json"
FORM = "bao_cao_kiem_diem_2b_ly_thi_ngoc_anh_2025.json"
QD = "quyet_dinh_xep_loai_dang_vien_khu_dan_cu_so_1_2025.json"
# Real place names of every shape: a ward's full name, "P." and "Thị trấn" prefixes, two and three words,
# and one that names its city too.
PLACES = [
    "Hồng Quang",
    "P.Nguyễn Nghiêm",
    "P. Nguyễn Nghiêm",
    "Phường Nguyễn Nghiêm",
    "Thị trấn Nông trường Mộc Châu",
    "Xã Quảng Sơn",
    "Phường Nguyễn Nghiêm, thành phố Quảng Ngãi",
]


def header_of(kind: str, data: dict) -> dict:
    built, problems = api.check(kind, data)
    assert problems == []
    return built.context["ban_hanh"]


def with_place(sample: str, place: str, kind: str) -> dict:
    data = load_sample(sample)
    if kind == "bao_cao_kiem_diem":
        data["dia_danh"] = place
    else:
        data["ban_hanh"]["dia_danh"] = place
    return data


def right_column_mm(profile, ban_hanh) -> float:
    spec = profile.data["header_table"]
    return ban_hanh["cot_phai"] * spec["grid_mm"] - 2 * spec["cell_margin_mm"]


@pytest.mark.parametrize("place", PLACES)
@pytest.mark.parametrize("sample,kind", [(KH, "ke_hoach"), (FORM, "bao_cao_kiem_diem")])
def test_the_header_split_keeps_the_date_line_on_one_line(profile, sample, kind, place):
    ban_hanh = header_of(kind, with_place(sample, place, kind))
    spec = profile.data["header_table"]
    n = layout.grid_columns(profile, "header_table")
    assert ban_hanh["cot_trai"] + ban_hanh["cot_phai"] == n
    assert ban_hanh["cot_trai"] >= math.ceil(n * spec["min_left_pct"] / 100)
    lines = str(ban_hanh["dia_danh_ngay"]).split(layout.ooxml.TEXT_LINE_BREAK)
    room = right_column_mm(profile, ban_hanh)
    for line in lines + [profile.text("tieu_de_dang")]:
        element = "dia_danh_ngay" if line in lines else "tieu_de_dang"
        assert profile.measure_mm(element, line) <= room
    whole = f"{place}, ngày"
    widest = (1 - spec["min_left_pct"] / 100) * spec["width_mm"] - 2 * spec["cell_margin_mm"] - spec["fit_slack_mm"]
    if profile.measure_mm("dia_danh_ngay", lines[0] if len(lines) == 1 else whole + lines[1][4:]) <= widest - 2:
        assert len(lines) == 1 and lines[0].startswith(whole)  # it fits: one line, the place included
    else:  # too long for any split: broken after the place, the date whole on the next line
        assert lines[0] == f"{place}," and lines[1].startswith("ngày ") and lines[1].split()[-2] == "năm"


def test_a_short_header_keeps_the_profile_split(profile):
    ban_hanh = header_of("ke_hoach", with_place(KH, "Hồng Quang", "ke_hoach"))
    n = layout.grid_columns(profile, "header_table")
    assert ban_hanh["cot_trai"] == round(n * profile.data["header_table"]["left_pct"] / 100)


def test_a_long_issuer_gets_room_when_the_date_line_leaves_it(profile):
    data = with_place(KH, "Hồng Quang", "ke_hoach")
    data["ban_hanh"]["co_quan_ban_hanh"] = "Đảng ủy Khối các cơ quan và doanh nghiệp tỉnh"
    ban_hanh = header_of("ke_hoach", data)
    n = layout.grid_columns(profile, "header_table")
    assert ban_hanh["cot_trai"] > round(n * profile.data["header_table"]["left_pct"] / 100)
    assert profile.measure_mm("dia_danh_ngay", str(ban_hanh["dia_danh_ngay"])) <= right_column_mm(profile, ban_hanh)


def test_the_rendered_header_spans_what_the_split_says(profile):
    data = with_place(KH, "Phường Nguyễn Nghiêm", "ke_hoach")
    ban_hanh = header_of("ke_hoach", data)
    doc = Doc(docgen.render("ke_hoach", data))
    header = doc.root.find(f".//{q('tbl')}")
    grid = header.findall(f"{q('tblGrid')}/{q('gridCol')}")
    assert len(grid) == layout.grid_columns(profile, "header_table")
    spans = [int(tc.find(f"{q('tcPr')}/{q('gridSpan')}").get(q("val"))) for tc in header.iter(q("tc"))]
    assert spans == [ban_hanh["cot_trai"], ban_hanh["cot_phai"]]
    assert "{%" not in "".join(t.text or "" for t in header.iter(q("t")))


# ---------------------------------------------------------------- annex columns


def annex_of(data) -> tuple[dict, Doc]:
    built, problems = api.check("quyet_dinh_xep_loai", data)
    assert problems == []
    return built.context["danh_sach"], Doc(docgen.render("quyet_dinh_xep_loai", data))


def annex_table(doc: Doc):
    return doc.root.findall(f".//{q('tbl')}")[-1]


def test_annex_columns_follow_their_content(profile):
    spec = profile.data["annex_table"]
    n = round(spec["width_mm"] / spec["grid_mm"])
    short = load_sample(QD)
    for m in short["ket_qua"]["dang_vien"]:
        m["chuc_vu_dang"] = "Đảng viên"
        for key in (
            "chuc_vu_chinh_quyen",
            "ghi_chu",
            "ky_luat_trong_nam",
            "hinh_thuc_ky_luat",
            "muc_ky_luat",
            "vi_pham_ky_luat",
            "nghi_om_thang",
            "nghi_thai_san",
        ):  # every note of the list gone: the short list
            m.pop(key, None)
    plain, _ = annex_of(short)
    assert sum(plain["rong"].values()) == n
    long_notes = copy.deepcopy(short)
    for m in long_notes["ket_qua"]["dang_vien"][:12]:
        m["ghi_chu"] = "Được khen thưởng hoàn thành xuất sắc nhiệm vụ tiêu biểu năm 2025, đề nghị cấp trên biểu dương"
    noted, _ = annex_of(long_notes)
    assert sum(noted["rong"].values()) == n
    assert noted["rong"]["ghi_chu"] > plain["rong"]["ghi_chu"]  # notes in many rows: the notes column widens
    # with room to spare, names and levels stand on one line
    pad = sum(profile.data["table"]["cell_margin_mm"][s] for s in ("left", "right"))
    for key, element in (("ten", "bang_o"), ("xep_loai", "bang_o")):
        texts = [r[key] for r in plain["dong"] if not r["nhom"]]
        need = max(profile.measure_mm(element, t) for t in texts) + pad
        assert plain["rong"][key] * spec["grid_mm"] >= need


def test_annex_cells_are_padded_centred_and_sized_from_the_data(profile):
    danh_sach, doc = annex_of(load_sample(QD))
    table = annex_table(doc)
    margins = table.find(f"{q('tblPr')}/{q('tblCellMar')}")
    padding = profile.data["table"]["cell_margin_mm"]
    for side in ("top", "bottom", "left", "right"):
        twips = int(margins.find(q(side)).get(q("w")))
        assert twips == round(padding[side] * 1440 / 25.4) > 0
    cells = list(table.iter(q("tc")))
    assert {tc.find(f"{q('tcPr')}/{q('vAlign')}").get(q("val")) for tc in cells} == {"center"}
    keys = list(profile.data["annex_table"]["columns"])
    for tr in table.findall(q("tr")):
        spans = [int(tc.find(f"{q('tcPr')}/{q('gridSpan')}").get(q("val"))) for tc in tr.findall(q("tc"))]
        if len(spans) == len(keys):  # header and member rows; group rows span the whole width
            assert spans == [danh_sach["rong"][k] for k in keys]


def test_every_table_is_laid_out_from_the_profile(profile):
    """Header, signature and annex tables: their padding, vertical alignment and border line are the profile's,
    and the spacer before the header table is the profile's height."""
    doc = Doc(docgen.render("quyet_dinh_xep_loai", load_sample(QD)))
    header, signature, annex = doc.root.findall(f".//{q('tbl')}")
    line = profile.data["table"]["border"]
    for table, spec, padded, bordered in (
        (header, profile.data["header_table"], {"left", "right"}, False),
        (signature, profile.data["signature_table"], {"left", "right"}, False),
        (annex, profile.data["table"], {"top", "bottom", "left", "right"}, True),
    ):
        margins = table.find(f"{q('tblPr')}/{q('tblCellMar')}")
        for side in ("top", "bottom", "left", "right"):
            mm = (spec["cell_margin_mm"][side] if bordered else spec["cell_margin_mm"]) if side in padded else 0
            assert int(margins.find(q(side)).get(q("w"))) == round(mm * 1440 / 25.4)
        valign = {tc.find(f"{q('tcPr')}/{q('vAlign')}").get(q("val")) for tc in table.iter(q("tc"))}
        assert valign == {spec["valign"]}
        for edge in table.find(f"{q('tblPr')}/{q('tblBorders')}"):
            assert edge.get(q("val")) == ("single" if bordered else "nil")
            assert (int(edge.get(q("sz"))), edge.get(q("color"))) == (line["size_eighth_pt"], line["color"])
    spacer = doc.root.find(q("body"))[0]
    assert spacer.tag == q("p") and doc.root.find(q("body"))[1] is header
    height = spacer.find(f"{q('pPr')}/{q('spacing')}")
    assert (height.get(q("line")), height.get(q("lineRule"))) == (
        str(profile.data["header_table"]["spacer_pt"] * 20),
        "exact",
    )


# ---------------------------------------------------------------- signature and recipients


def _keeps(p) -> bool:
    ppr = p.find(q("pPr"))
    return ppr is not None and ppr.find(q("keepNext")) is not None


@pytest.mark.parametrize(
    "kind,sample",
    [
        ("ke_hoach", KH),
        ("quyet_dinh_xep_loai", QD),
        ("to_trinh", "to_trinh_khu_dan_cu_so_1_2025.json"),
        ("bao_cao_kiem_diem", "bao_cao_kiem_diem_tap_the_khu_dan_cu_so_1_2025.json"),
    ],
)
def test_the_signature_keeps_the_last_two_paragraphs_of_the_body(kind, sample):
    doc = Doc(docgen.render(kind, load_sample(sample)))
    body = list(doc.root.find(q("body")))
    signature = next(i for i, el in enumerate(body) if el.tag == q("tbl") and "Nơi nhận:" in "".join(el.itertext()))
    assert _keeps(body[signature - 1]) and "".join(body[signature - 1].itertext()) == ""  # the space above it
    before = body[: signature - 1]
    table = max((i for i, el in enumerate(before) if el.tag == q("tbl")), default=-1)
    with_text = [i for i, el in enumerate(before) if el.tag == q("p") and "".join(el.itertext()).strip()]
    kept = [i for i in with_text if i > table][-2:]  # the last two paragraphs of text (a table ends the run)
    assert kept and all(_keeps(el) for el in before[kept[0] :])
    assert len(kept) == 2 or kept[0] == table + 2  # fewer only right after a table (and its gap)
    introductions = {i for i in with_text if i + 1 < len(before) and before[i + 1].tag == q("tbl")}
    assert not any(_keeps(before[i]) for i in with_text if i < kept[0] and i not in introductions)  # no more


def test_body_paragraphs_have_widow_control(render_doc):
    doc = render_doc("ke_hoach", KH)
    style = doc.styles.by_id["DGDoan"]
    assert style.find(f"{q('pPr')}/{q('widowControl')}") is not None


def test_recipient_lines_hang_after_their_dash(profile, render_doc):
    doc = render_doc("ke_hoach", KH)
    ind = doc.styles.by_id["DGNoiNhan"].find(f"{q('pPr')}/{q('ind')}")
    dash = profile.measure_mm("noi_nhan", "- ")
    assert int(ind.get(q("hanging"))) == int(ind.get(q("left"))) == round(dash * 1440 / 25.4) > 0
    assert doc.find("- Lưu VP phường.").style == "DGNoiNhan"
