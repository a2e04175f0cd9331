"""The kế hoạch samples, read back from the produced .docx: text and formatting of every part."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest
from conftest import SEEDS, SHARED, load_sample, needs_shared_tools
from docgen.paths import SAMPLES_DIR
from docx_read import Doc, q

from docgen.ooxml import mm_to_twips

KH2025 = "ke_hoach_hong_quang_2025.json"
KH2023 = "ke_hoach_nguyen_nghiem_2023.json"
R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
GOLDEN = os.path.join(os.path.dirname(__file__), "golden")


@pytest.fixture(scope="module")
def d2025(render_doc) -> Doc:
    return render_doc("ke_hoach", KH2025)


@pytest.fixture(scope="module")
def d2023(render_doc) -> Doc:
    return render_doc("ke_hoach", KH2023)


def _expect(para, element, profile):
    """The paragraph shows the profile's size, weight, slant and alignment for the element."""
    el = profile.element(element)
    assert para.sizes() == {float(el["size"])}, (para.text, para.sizes())
    assert para.all("bold") == bool(el.get("bold")), para.text
    assert para.all("italic") == bool(el.get("italic")), para.text
    if el.get("underline"):
        assert para.all("underline"), para.text
    assert para.align == {"both": "both"}.get(el["align"], el["align"]), (para.text, para.align)
    assert para.fonts() == {profile.font}


# ------------------------------------------------------------------ page


def test_page_a4_margins_and_page_numbers_from_page_2(d2025, profile):
    sect = d2025.section()
    pg, mar = sect.find(q("pgSz")), sect.find(q("pgMar"))
    page = profile.page
    assert int(pg.get(q("w"))) == mm_to_twips(page["width_mm"]) == 11906
    assert int(pg.get(q("h"))) == mm_to_twips(page["height_mm"]) == 16838
    for side in ("top", "bottom", "left", "right"):
        assert int(mar.get(q(side))) == mm_to_twips(page[f"margin_{side}_mm"])
    assert sect.find(q("titlePg")) is not None, "page 1 must use its own (empty) header"
    refs = {r.get(q("type")): r for r in sect.findall(q("headerReference"))}
    assert set(refs) == {"default", "first"}
    rels = d2025.part("word/_rels/document.xml.rels").decode()
    target = {m.group(1): m.group(2) for m in re.finditer(r'Id="([^"]+)"[^>]*Target="([^"]+)"', rels)}
    default = d2025.part("word/" + target[refs["default"].get(R_ID)]).decode()
    first = d2025.part("word/" + target[refs["first"].get(R_ID)]).decode()
    assert "PAGE" in default and "PAGE" not in first


def test_times_new_roman_everywhere(d2025, d2023, profile):
    for d in (d2025, d2023):
        fonts = {s.font for p in d.paras for s in p.visible()}
        assert fonts == {profile.font}


# ------------------------------------------------------------------ header


def test_header_block_2025(d2025, profile):
    left = [p for p in d2025.table_cell(0, 0, 0) if p.text]
    right = [p for p in d2025.table_cell(0, 0, 1) if p.text]
    assert [p.text for p in left] == ["ĐẢNG BỘ TỈNH THÁI NGUYÊN", "ĐẢNG ỦY PHƯỜNG HỒNG QUANG", "*", "Số 15-KH/ĐU"]
    assert [p.text for p in right] == ["ĐẢNG CỘNG SẢN VIỆT NAM", "Hồng Quang, ngày 27 tháng 11 năm 2025"]
    for para, element in zip(
        left + right, ["cap_tren", "co_quan_ban_hanh", "dau_sao", "so_ky_hieu", "tieu_de_dang", "dia_danh_ngay"]
    ):
        _expect(para, element, profile)


def test_header_block_2023_upper_cases_names_typed_in_normal_case(d2023):
    left = [p.text for p in d2023.table_cell(0, 0, 0) if p.text]
    assert left == ["ĐẢNG BỘ TP. QUẢNG NGÃI", "ĐẢNG ỦY P. NGUYỄN NGHIÊM", "*", "Số 79-KH/ĐU"]
    assert load_sample(KH2023)["ban_hanh"]["co_quan_ban_hanh"] == "Đảng ủy P. Nguyễn Nghiêm"
    right = [p.text for p in d2023.table_cell(0, 0, 1) if p.text]
    assert right == ["ĐẢNG CỘNG SẢN VIỆT NAM", "P.Nguyễn Nghiêm, ngày 15 tháng 11 năm 2023"]


# ------------------------------------------------------------------ title, căn cứ


def test_title_subject_and_dashes(d2025, profile):
    body = d2025.body()
    assert [p.text.replace("\n", " ") for p in body[:3]] == [
        "KẾ HOẠCH",
        "triển khai công tác kiểm điểm và đánh giá, xếp loại chất lượng đối với tập thể, cá nhân trong hệ "
        "thống chính trị từ phường đến các tổ chức cơ sở Đảng trực thuộc Đảng bộ phường năm 2025",
        "-----",
    ]
    # the centred subject is broken by hand into even lines, as typists do, never splitting a word
    lines = body[1].text.split("\n")
    assert len(lines) > 1 and all(len(line) <= profile.element("trich_yeu")["max_line_chars"] for line in lines)
    assert not any(line.endswith(("cơ", "tổ", "đảng")) for line in lines)
    for para, element in zip(body[:3], ["ten_loai", "trich_yeu", "gach_ngang"]):
        _expect(para, element, profile)


def test_can_cu_lines_get_their_punctuation(d2025, profile):
    body = d2025.body()
    can_cu = body[3:6]
    assert can_cu[0].text.startswith("Căn cứ Quy định số 65-QĐ/TU") and can_cu[0].text.endswith(";")
    assert can_cu[1].text.startswith("Căn cứ Kế hoạch số 11-KH/TU") and can_cu[1].text.endswith(";")
    assert can_cu[2].text.startswith("Thực hiện Quy định số 112-QĐ/ĐU") and can_cu[2].text.endswith("phường,")
    for p in can_cu:
        _expect(p, "doan", profile)
    assert body[6].text.startswith("Ban Thường vụ Đảng ủy phường Hồng Quang ban hành") and body[6].text.endswith(":")


# ------------------------------------------------------------------ outline


def test_heading_numbers_at_every_level_are_computed(d2025, profile):
    headings = [(p.style, p.text) for p in d2025.body() if p.style and p.style.startswith("DGMuc")]
    romans = [t.split(" ", 1)[0] for s, t in headings if s == "DGMuc1"]
    assert romans == ["I.", "II.", "III.", "IV."]
    texts = [t for _, t in headings]
    for expected in [
        "I. MỤC ĐÍCH, YÊU CẦU",
        "1. Mục đích",
        "2. Yêu cầu",
        "1.1. Các cấp ủy, tổ chức đảng",
        "3.5. Nơi kiểm điểm",
        "a) Đối với đảng viên",
        "b) Đối với cán bộ lãnh đạo, quản lý",
        "2.3. Bước 3: Quyết định xếp loại chất lượng",
        "5. Văn phòng Đảng ủy",
    ]:
        assert expected in texts
    # the data never types a number: the first heading's data is only its words
    assert load_sample(KH2025)["noi_dung"][0]["tieu_de"] == "MỤC ĐÍCH, YÊU CẦU"
    # numbering restarts under each parent: 1., 2. under I; 1., 2., 3. under II …
    seq, current = [], None
    for style, text in headings:
        if style == "DGMuc1":
            current = []
            seq.append(current)
        elif style == "DGMuc2":
            current.append(int(text.split(".")[0]))
    assert all(s == list(range(1, len(s) + 1)) for s in seq)


def test_heading_formatting_per_level(d2025, profile):
    for text, element in [
        ("I. MỤC ĐÍCH, YÊU CẦU", "muc_1"),
        ("1. Mục đích", "muc_2"),
        ("1.1. Các cấp ủy, tổ chức đảng", "muc_3"),
        ("a) Đối với đảng viên", "muc_4"),
    ]:
        _expect(d2025.find(text), element, profile)


def test_numbered_paragraph_and_bullets(d2025, profile):
    p = d2025.find("1.1. Trên cơ sở Quy định, Kế hoạch", exact=False)
    assert p.style == "DGDoan" and p.none("bold")
    bullet = d2025.find("- Cụ thể hóa, triển khai thực hiện", exact=False)
    _expect(bullet, "doan", profile)
    plus = d2025.find("+ Tập thể Thường trực Hội đồng nhân dân, Lãnh đạo Ủy ban nhân dân phường", exact=False)
    assert plus.style == "DGDoan"


def test_inline_emphasis(d2025):
    p = d2025.find("- Chi ủy cơ sở, Chi ủy Chi bộ trực thuộc", exact=False)
    italic = p.seg_containing("đối với Chi bộ không có Chi ủy")
    assert italic.italic and not p.seg_containing("Chi ủy cơ sở").italic
    assert p.text.endswith(
        "(đối với Chi bộ không có Chi ủy thì đồng chí Bí thư, Phó Bí thư (nếu có) kiểm điểm chi bộ)."
    )
    label = d2025.find("a) Đối với tập thể: Người đứng đầu", exact=False)
    assert label.seg_containing("Đối với tập thể").italic and not label.seg_containing("Người đứng đầu").italic


def test_numbering_scheme_2023_and_cross_reference(d2023):
    texts = d2023.texts()
    assert "2.1.1. Đối với cá nhân:" in texts
    assert "3.2.1. Cá nhân không giữ chức vụ lãnh đạo, quản lý" in texts
    ref = d2023.find("3.2.2. Cá nhân giữ chức vụ lãnh đạo, quản lý", exact=False)
    assert "Kiểm điểm nội dung tại Điểm 3.2.1 và các nội dung sau:" in ref.text
    assert [t.split(" ")[0] for t in texts if re.match(r"^[IVX]+\. ", t)] == [
        "I.",
        "II.",
        "III.",
        "IV.",
        "V.",
        "VI.",
        "VII.",
        "VIII.",
        "IX.",
    ]


# ------------------------------------------------------------------ footnotes


def test_footnotes_are_real_word_footnotes_in_order(d2025, profile):
    data = load_sample(KH2025)
    refs = [n for p in d2025.paras for n in p.footnote_refs]
    assert refs == [1, 2, 3, 4, 5]
    assert sorted(d2025.footnotes) == [1, 2, 3, 4, 5]
    for n in range(1, 6):
        note = d2025.footnotes[n]
        assert note.text.strip().startswith("Ví dụ:")
        assert note.sizes() == {float(profile.element("chu_thich")["size"])}
    # footnote 4 keeps its italics; the marker sits where the data put it
    assert d2025.footnotes[4].seg_containing("Trưởng phòng và Phó phòng").italic
    carrier = next(p for p in d2025.paras if 1 in p.footnote_refs)
    assert carrier.text.endswith("theo quy định của cấp có thẩm quyền quản lý trực tiếp.")
    assert "[^" not in "".join(d2025.texts()) and len(data["chu_thich"]) == 5
    fn_xml = d2025.part("word/footnotes.xml").decode()
    assert 'w:type="separator"' in fn_xml and "<w:footnoteRef/>" in fn_xml


# ------------------------------------------------------------------ signature, recipients


def test_signature_block(d2025, d2023, profile):
    cells = {p.cell: p for p in d2025.paras if p.table_index == 1}
    right = [p for p in d2025.table_cell(1, 0, 1)]
    assert [p.text for p in right if p.text] == ["T/M BAN THƯỜNG VỤ", "PHÓ BÍ THƯ THƯỜNG TRỰC", "Trần Nhật Lộc"]
    blank = profile.data["elements"]["cho_ky"]["blank_lines"]
    assert [p.text for p in right] == ["T/M BAN THƯỜNG VỤ", "PHÓ BÍ THƯ THƯỜNG TRỰC"] + [""] * blank + ["Trần Nhật Lộc"]
    for p, element in zip([right[0], right[1], right[-1]], ["tham_quyen", "chuc_vu", "ho_ten_nguoi_ky"]):
        _expect(p, element, profile)
    assert cells
    right23 = [p.text for p in d2023.table_cell(1, 0, 1) if p.text]
    assert right23 == ["T/M ĐẢNG ỦY", "BÍ THƯ", "(Đã ký)", "Nguyễn Thị Ngọc Dung"]


def test_recipients_punctuation_and_format(d2025, profile):
    left = [p for p in d2025.table_cell(1, 0, 0) if p.text]
    assert left[0].text == "Nơi nhận:"
    _expect(left[0], "noi_nhan_nhan", profile)
    lines = [p.text for p in left[1:]]
    assert lines[0] == "- Ban Tổ chức Tỉnh ủy (để báo cáo),"
    assert lines[-1] == "- Lưu Văn phòng Đảng ủy."
    assert all(line.startswith("- ") and line.endswith(",") for line in lines[:-1])
    assert len(lines) == len(load_sample(KH2025)["noi_nhan"])
    for p in left[1:]:
        _expect(p, "noi_nhan", profile)


# ------------------------------------------------------------------ golden text and the seed


@pytest.mark.parametrize("sample", [KH2025, KH2023])
def test_golden_text(render_doc, sample):
    text = render_doc("ke_hoach", sample).plain_text()
    path = os.path.join(GOLDEN, sample.replace(".json", ".txt"))
    if os.environ.get("UPDATE_GOLDEN"):
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
    with open(path, encoding="utf-8") as f:
        assert text == f.read(), f"text changed; review and rerun with UPDATE_GOLDEN=1 to accept ({path})"


@needs_shared_tools()
@pytest.mark.parametrize(
    "sample,seed", [(KH2025, "ke_hoach_phuong_hong_quang_2025.txt"), (KH2023, "ke_hoach_phuong_nguyen_nghiem_2023.txt")]
)
def test_similarity_with_the_seed_plan(tmp_path, sample, seed):
    import docgen

    out = tmp_path / sample.replace(".json", ".docx")
    out.write_bytes(docgen.render("ke_hoach", SAMPLES_DIR / sample))
    # (compare_text.py counts the value of --min as a third file, so read the similarity it prints)
    result = subprocess.run(
        [sys.executable, str(SHARED / "tools" / "compare_text.py"), str(out), str(SEEDS / seed)],
        capture_output=True,
        text=True,
    )
    similarity = float(re.search(r"similarity (\d\.\d+)", result.stdout).group(1))
    assert similarity >= 0.97, result.stdout


def test_a_plan_cannot_cite_a_text_issued_after_it():
    import docgen

    data = load_sample(KH2025)
    data["can_cu"][1] = data["can_cu"][1].replace("ngày 10/11/2025", "ngày 10/12/2025")
    problems = docgen.validate("ke_hoach", data)
    assert [(p.path, p.code) for p in problems] == [("$.can_cu[1]", "date_order")]
    assert "27/11/2025" in problems[0].message and "10/12/2025" in problems[0].message


def test_plan_bases_keep_their_style_without_dash(render_doc):
    """The real plans (seeds) write their căn cứ without a dash, ";" at the end, "," on the last."""
    doc = render_doc("ke_hoach", KH2025)
    bases = [t for t in doc.texts() if t.startswith(("Căn cứ", "Thực hiện Quy định"))][:3]
    assert bases[0].startswith("Căn cứ Quy định số 65-QĐ/TU") and bases[0].endswith(";")
    assert bases[2].startswith("Thực hiện Quy định số 112-QĐ/ĐU") and bases[2].endswith(",")
