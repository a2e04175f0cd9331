"""The thông báo, read back: "THÔNG BÁO" + trích yếu, the numbered body, signature and Nơi nhận; and the thông
báo kết quả đánh giá, xếp loại, whose statements are the decision's own for the same unit data, part by part,
with the lists attached, one document per unit from a JSON batch."""

from __future__ import annotations

import copy
import json
import re

import pytest
from conftest import load_sample
from openpyxl import load_workbook
from docx_read import Doc
from test_xep_loai_docs import expected_counts, pct, words

import docgen
from docgen import batch
from docgen.cli import main as cli
from docgen.paths import SAMPLES_DIR
from docgen.profile import load_profile
from docgen.rules import LEVEL_NAMES, LEVELS
from docgen.xlsx.write import write_workbook

GENERAL = "thong_bao_ket_luan_hong_quang_2025.json"
RESULTS = "thong_bao_ket_qua_khu_dan_cu_so_1_2025.json"
QD = "quyet_dinh_xep_loai_dang_vien_khu_dan_cu_so_1_2025.json"
QD_TC = "quyet_dinh_xep_loai_to_chuc_dang_hong_quang_2025.json"
TT = "to_trinh_khu_dan_cu_so_1_2025.json"
TB_BATCH = SAMPLES_DIR / "lo" / "thong_bao_ket_qua_dang_bo_hong_quang_2025.json"
QD_BATCH = SAMPLES_DIR / "lo" / "quyet_dinh_xep_loai_dang_bo_hong_quang_2025.json"
PROFILE = load_profile()


def render(data) -> Doc:
    return Doc(docgen.render("thong_bao", data))


def codes(data) -> set[tuple[str, str]]:
    return {(p.path, p.code) for p in docgen.validate("thong_bao", data) if p.is_error}


def body_texts(doc: Doc) -> list[str]:
    """The body's paragraphs, up to the signature block."""
    out = []
    for p in doc.body():
        if p.text == "Nơi nhận:":
            break
        out.append(p.text)
    return out


def unnumbered(text: str) -> str:
    return re.sub(r"^(?:\d+\.|[IVX]+\.) ", "", text)


def decision_statements(doc: Doc) -> list[str]:
    """What the decision's Điều 1 states after its first line: the level lines, those not rated, the cap."""
    texts = [p.text for p in doc.body()]
    start = next(i for i, t in enumerate(texts) if t.startswith("Điều 1."))
    end = texts.index("(Có danh sách kèm theo)")
    return texts[start + 1 : end]


# ---------------------------------------------------------------- a thông báo


def test_a_thong_bao_has_its_title_trich_yeu_body_signature_and_recipients(render_doc, profile):
    doc = render_doc("thong_bao", GENERAL)
    assert [p.text for p in doc.table_cell(0, 0, 0) if p.text][-1] == "Số 55-TB/ĐU"
    body = doc.body()
    title, subject, rule = body[0], body[1], body[2]
    assert title.text == "THÔNG BÁO" and title.style == "DGTenLoai" and title.all("bold")
    assert title.sizes() == {profile.element("ten_loai")["size"]} and title.align == "center"
    assert subject.text.replace("\n", " ") == (
        "ý kiến kết luận của Ban Thường vụ Đảng ủy phường về kết quả kiểm điểm, đánh giá, xếp loại chất lượng "
        "tổ chức đảng, đảng viên năm 2025"
    )
    assert subject.all("bold") and rule.text == "-----"
    headings = [p for p in body if re.match(r"^\d\. ", p.text)]
    assert [p.text for p in headings] == ["1. Kết quả đạt được", "2. Hạn chế", "3. Nhiệm vụ thời gian tới"]
    assert all(p.style == "DGMuc2" and p.all("bold") for p in headings)
    i = doc.index("Nơi nhận:")
    assert [p.text for p in doc.paras[i + 1 : i + 5]] == [
        "- Ban Tổ chức Tỉnh ủy (để báo cáo),",
        "- Thường trực Đảng ủy,",
        "- Các chi bộ trực thuộc,",
        "- Lưu Văn phòng Đảng ủy.",
    ]
    assert doc.find("T/M BAN THƯỜNG VỤ").all("bold") and doc.find("Trần Nhật Lộc").all("bold")
    assert not any(p.style == "DGDanhSachTieuDe" for p in doc.paras)  # no list attached


def test_the_ky_hieu_must_be_a_thong_bao_one_and_the_body_is_required():
    data = load_sample(GENERAL)
    data["ban_hanh"]["ky_hieu"] = "CV/ĐU"
    assert ("$.ban_hanh.ky_hieu", "ky_hieu_kind") in codes(data)
    del data["noi_dung"]
    assert ("$.noi_dung", "required") in codes(data)


def test_result_fields_without_results_are_refused():
    data = load_sample(GENERAL)
    data["kem_danh_sach"] = True
    data["nam"] = 2025
    assert {("$.kem_danh_sach", "results_without_ket_qua"), ("$.nam", "results_without_ket_qua")} <= codes(data)


# ---------------------------------------------------------------- the thông báo kết quả


def test_results_statements_are_the_decisions_for_the_same_data(render_doc):
    tb, qd = render_doc("thong_bao", RESULTS), render_doc("quyet_dinh_xep_loai", QD)
    assert load_sample(RESULTS)["ket_qua"] == load_sample(QD)["ket_qua"]
    texts = [unnumbered(t) for t in body_texts(tb)]
    stated = decision_statements(qd)
    assert stated and all(s in texts for s in stated), [s for s in stated if s not in texts]
    levels = [s for s in stated if s.startswith("- ")]
    assert len(levels) == 4 and [t for t in texts if t in levels] == levels  # in the decision's order
    # and the numbers are right: counted here, independently of docgen
    data = load_sample(RESULTS)
    rated, n = expected_counts(data, "quyet_dinh")
    for i, level in enumerate(LEVELS):
        end = "." if i == len(LEVELS) - 1 else ";"
        line = f"- {LEVEL_NAMES[level]}: {words(n[level])} đồng chí, chiếm {pct(n[level], len(rated))}{end}"
        assert line in texts
    total = len(data["ket_qua"]["dang_vien"])
    assert f"Tổng số đảng viên của Chi bộ Khu dân cư số 1: {words(total)} đồng chí." in texts
    assert (
        f"Số đảng viên được đánh giá, xếp loại: {words(len(rated))} đồng chí, chiếm {pct(len(rated), total)} tổng số."
        in texts
    )


def test_totals_are_the_submissions_for_the_same_data(render_doc):
    """The two count lines are the tờ trình's own sentences (docgen.rating.total_lines), for the same unit."""
    tt = load_sample(TT)
    tt["ket_qua"] = copy.deepcopy(load_sample(RESULTS)["ket_qua"])
    for m in tt["ket_qua"]["dang_vien"]:
        m.pop("quyet_dinh", None)
    tt["ket_qua"]["don_vi"].pop("quyet_dinh", None)
    tt["ket_qua"]["don_vi"]["de_xuat"] = "HTTNV"
    submission = [t for t in Doc(docgen.render("to_trinh", tt)).texts() if t.startswith(("1. ", "2. "))][:2]
    notice = [t for t in body_texts(render_doc("thong_bao", RESULTS)) if t.startswith(("1. ", "2. "))]
    assert submission == notice and len(notice) == 2


def test_results_layout_lead_bases_and_numbering(render_doc):
    doc = render_doc("thong_bao", RESULTS)
    texts = body_texts(doc)
    assert (
        texts[1].replace("\n", " ") == "kết quả đánh giá, xếp loại chất lượng đảng viên Chi bộ Khu dân cư số 1 năm 2025"
    )
    assert texts[3] == "Căn cứ Quyết định số 118-QĐ/ĐU, ngày 15/12/2025 của Ban Thường vụ Đảng ủy phường Hồng Quang,"
    assert texts[4] == (
        "Ban Thường vụ Đảng ủy phường Hồng Quang thông báo kết quả đánh giá, xếp loại chất lượng đảng viên Chi bộ "
        "Khu dân cư số 1 năm 2025 như sau:"
    )
    numbers = [t.split(" ", 1)[0] for t in texts if re.match(r"^\d+\. ", t)]
    assert numbers == ["1.", "2.", "3.", "4."]
    assert texts[texts.index("(Có danh sách kèm theo)") - 1].startswith("4. Không đánh giá, xếp loại 02 (hai)")


def test_the_list_attached_is_the_decisions_list(render_doc):
    tb, qd = render_doc("thong_bao", RESULTS), render_doc("quyet_dinh_xep_loai", QD)

    def annex(doc):
        start = next(i for i, p in enumerate(doc.paras) if p.style == "DGDanhSachTieuDe")
        return doc.paras[start], doc.paras[start + 1], [p.text for p in doc.paras[start + 2 :]]

    t_title, t_line, t_rows = annex(tb)
    q_title, _, q_rows = annex(qd)
    assert t_title.text == q_title.text and PROFILE.element("danh_sach_tieu_de")["page_break_before"]  # a new page
    assert t_line.text.replace("\n", " ") == (
        "(Kèm theo Thông báo số 42-TB/ĐU, ngày 17 tháng 12 năm 2025 của Ban Thường vụ Đảng ủy phường Hồng Quang)"
    )
    assert t_rows == q_rows and len(t_rows) > 100


def test_several_parts_each_under_its_heading_with_its_list():
    data = load_sample(RESULTS)
    tc = load_sample(QD_TC)
    data["ban_hanh"]["ngay_ban_hanh"] = "2025-12-26"  # after the chi bộ's rating (20/12)
    data.pop("trich_yeu", None)
    data["doi_tuong"], data["ket_qua"] = "to_chuc_dang", tc["ket_qua"]
    data["ket_qua_them"] = [{"doi_tuong": "dang_vien", "ket_qua": load_sample(QD)["ket_qua"]}]
    data["quyet_dinh"]["ngay"] = "2025-12-22"
    data["noi_dung"] = [{"doan": "Chi ủy các chi bộ thông báo kết quả đến từng đảng viên."}]
    doc = render(data)
    texts = body_texts(doc)
    assert texts[1].replace("\n", " ") == "kết quả đánh giá, xếp loại chất lượng tổ chức đảng, đảng viên năm 2025"
    heads = [p for p in doc.body() if re.match(r"^[IVX]+\. ", p.text)]
    assert [p.text for p in heads] == [
        "I. ĐỐI VỚI TỔ CHỨC ĐẢNG",
        "II. ĐỐI VỚI ĐẢNG VIÊN",
        "III. Chi ủy các chi bộ thông báo kết quả đến từng đảng viên.",
    ]
    assert heads[0].style == "DGMuc1" and heads[0].all("bold")
    first, second = texts.index(heads[0].text), texts.index(heads[1].text)
    part_1 = [unnumbered(t) for t in texts[first:second]]
    part_2 = [unnumbered(t) for t in texts[second : texts.index(heads[2].text)]]
    for part, sample in ((part_1, QD_TC), (part_2, QD)):
        stated = decision_statements(Doc(docgen.render("quyet_dinh_xep_loai", SAMPLES_DIR / sample)))
        assert all(s in part for s in stated), (sample, [s for s in stated if s not in part])
    lists = [p.text.replace("\n", " ") for p in doc.paras if p.style == "DGDanhSachTieuDe"]
    assert lists == [
        "DANH SÁCH XẾP LOẠI CHẤT LƯỢNG TỔ CHỨC ĐẢNG TRỰC THUỘC ĐẢNG BỘ PHƯỜNG HỒNG QUANG NĂM 2025",
        "DANH SÁCH XẾP LOẠI CHẤT LƯỢNG ĐẢNG VIÊN CHI BỘ KHU DÂN CƯ SỐ 1 NĂM 2025",
    ]


def test_own_items_are_numbered_on_after_the_results():
    data = load_sample(RESULTS)
    data["noi_dung"] = [{"tieu_de": "Đề nghị", "noi_dung": [{"gach": "Công khai kết quả tại chi bộ."}]}]
    texts = body_texts(render(data))
    assert "5. Đề nghị" in texts and "- Công khai kết quả tại chi bộ." in texts
    data["noi_dung"] = [{"doan": "1. Công khai kết quả"}]
    assert ("$.noi_dung[0].doan", "typed_numbering") in codes(data)


def test_the_rules_are_checked_in_every_part_at_its_path():
    data = load_sample(RESULTS)
    members = data["ket_qua"]["dang_vien"]
    k = next(i for i, m in enumerate(members) if m.get("ky_luat_trong_nam"))
    members[k]["quyet_dinh"] = "HTTNV"  # disciplined in the year, yet rated above KHTNV
    assert any(path.startswith(f"$.ket_qua.dang_vien[{k}]") for path, _ in codes(data))
    data = load_sample(RESULTS)
    data["ket_qua_them"] = [{"doi_tuong": "dang_vien", "ket_qua": copy.deepcopy(data["ket_qua"])}]
    data["ket_qua_them"][0]["ket_qua"]["dang_vien"][k]["quyet_dinh"] = "HTTNV"
    found = codes(data)
    assert any(path.startswith(f"$.ket_qua_them[0].ket_qua.dang_vien[{k}]") for path, _ in found), found
    assert not any(path.startswith("$.ket_qua.dang_vien") for path, _ in found)


def test_dates_in_order():
    data = load_sample(RESULTS)
    data["quyet_dinh"]["ngay"] = "2025-12-01"  # a decision before the rating it decides (03/12)
    assert ("$.quyet_dinh.ngay", "date_order") in codes(data)
    data = load_sample(RESULTS)
    data["quyet_dinh"]["ngay"] = "2025-12-20"  # after the thông báo that cites it (17/12)
    assert ("$.quyet_dinh", "date_order") in codes(data)
    data = load_sample(RESULTS)
    data["ket_qua_them"] = [{"doi_tuong": "dang_vien", "ket_qua": {**data["ket_qua"], "ngay_danh_gia": "2025-12-30"}}]
    assert ("$.ket_qua_them[0].ket_qua.ngay_danh_gia", "date_order") in codes(data)


def test_a_results_notice_needs_who_announces_it():
    data = load_sample(RESULTS)
    del data["co_quan_thong_bao"]
    assert ("$.co_quan_thong_bao", "required") in codes(data)


# ---------------------------------------------------------------- one per unit, from a JSON batch


def test_a_json_batch_makes_one_numbered_notice_per_unit_stating_its_decision():
    loaded = batch.load(TB_BATCH, "thong_bao")
    assert loaded.problems == []
    jobs = batch.plan("thong_bao", loaded.data)
    assert [j.number for j in jobs] == list(range(43, 55)) and jobs[0].file_name == "tb-43-chi-bo-khu-dan-cu-so-1.docx"
    decisions = batch.load(QD_BATCH, "quyet_dinh_xep_loai").data
    by_unit = {j.label: j for j in batch.plan("quyet_dinh_xep_loai", decisions)}
    assert set(by_unit) == {j.label for j in jobs}
    for job in jobs[:4]:
        notice = Doc(docgen.render("thong_bao", job.data))
        decision = Doc(docgen.render("quyet_dinh_xep_loai", by_unit[job.label].data))
        texts = [unnumbered(t) for t in body_texts(notice)]
        assert f"Số {job.number}-TB/ĐU" in notice.texts()
        assert all(s in texts for s in decision_statements(decision)), job.label


@pytest.mark.slow  # a workbook written and read back (openpyxl)
def test_the_batch_typed_in_its_excel_workbook_makes_the_same_notices(tmp_path):
    envelope = {k: v for k, v in json.loads(TB_BATCH.read_text(encoding="utf-8")).items() if k != "$schema"}
    envelope["don_vi"][1]["quyet_dinh"] = {
        "so": 121,
        "ky_hieu": "QĐ/ĐU",
        "ngay": "2025-12-15",
        "co_quan": "Ban Thường vụ Đảng ủy phường Hồng Quang",
    }
    as_json = tmp_path / "lo.json"
    as_json.write_text(json.dumps(envelope, ensure_ascii=False), encoding="utf-8")
    book = write_workbook("thong_bao", tmp_path / "tb.xlsx", envelope)  # refuses what it could not give back
    sheets = load_workbook(book)
    assert "Cơ quan thông báo" in [row[0].value for row in sheets["Thông tin chung"].iter_rows()]
    assert {"Tên chi bộ", "Số quyết định", "Ngày quyết định"} <= {c.value for c in sheets["Đơn vị"][1]}

    from_book, from_json = batch.load(book, "thong_bao"), batch.load(as_json, "thong_bao")
    assert from_book.problems == [] and from_book.data == from_json.data
    jobs, expected = batch.plan("thong_bao", from_book.data), batch.plan("thong_bao", from_json.data)
    assert [(j.number, j.file_name) for j in jobs] == [(j.number, j.file_name) for j in expected]
    for job, same in list(zip(jobs, expected))[:2]:
        assert docgen.render("thong_bao", job.data) == docgen.render("thong_bao", same.data)
    cited = body_texts(Doc(docgen.render("thong_bao", jobs[1].data)))
    assert any(t.startswith("Căn cứ Quyết định số 121-QĐ/ĐU, ngày 15/12/2025 của Ban Thường vụ") for t in cited)

    sheets["Đơn vị"][f"{_column(sheets['Đơn vị'], 'Ngày quyết định')}3"] = "32/12/2025"
    sheets.save(book)
    [problem] = batch.load(book, "thong_bao").problems
    assert (problem.code, problem.where) == ("xlsx_date", "Sheet Đơn vị, dòng 3, cột F (Ngày quyết định)")
    assert problem.path == "$.don_vi[1].quyet_dinh.ngay"


def _column(ws, header: str) -> str:
    return next(c.column_letter for c in ws[1] if c.value == header)


def test_cli_batch_of_notices(tmp_path, capsys):
    out = tmp_path / "tb"
    assert cli(["batch", "thong_bao", str(TB_BATCH), "-o", str(out), "--jobs", "1"]) == 0
    rows = (out / batch.MANIFEST).read_text(encoding="utf-8-sig").splitlines()
    assert len(rows) == 13 and rows[1].startswith("43,Chi bộ Khu dân cư số 1,tb-43-chi-bo-khu-dan-cu-so-1.docx")
    assert "Đã tạo 12/12 văn bản" in capsys.readouterr().out


@pytest.mark.parametrize("name", [GENERAL, RESULTS])
def test_samples_render_with_the_profile_sizes(render_doc, name):
    doc = render_doc("thong_bao", name)
    assert doc.find("ĐẢNG CỘNG SẢN VIỆT NAM").sizes() == {PROFILE.element("tieu_de_dang")["size"]}
    for p in doc.body():
        if p.style == "DGDoan" and p.text.strip():
            assert p.sizes() == {PROFILE.element("doan")["size"]} and p.align == "both"


def test_two_parts_of_the_same_kind_are_told_apart_by_their_unit():
    data = load_sample(RESULTS)
    other = copy.deepcopy(data["ket_qua"])
    other["don_vi"]["ten"] = "Chi bộ Khu dân cư số 2"
    data["ket_qua_them"] = [{"doi_tuong": "dang_vien", "ket_qua": other}]
    doc = render(data)
    texts = body_texts(doc)
    assert texts[1].replace("\n", " ") == "kết quả đánh giá, xếp loại chất lượng đảng viên năm 2025"
    assert (
        "I. ĐỐI VỚI ĐẢNG VIÊN CHI BỘ KHU DÂN CƯ SỐ 1" in texts
        and "II. ĐỐI VỚI ĐẢNG VIÊN CHI BỘ KHU DÂN CƯ SỐ 2" in texts
    )


def test_a_member_rated_on_their_own_chi_bo_day():
    """A list joining members of chi bộ that met on different days: a member's own ``ngay_danh_gia`` is the
    day the six months from admission count to; it is not after the list's."""
    data = load_sample(RESULTS)
    members = data["ket_qua"]["dang_vien"]
    rated_on = data["ket_qua"]["ngay_danh_gia"]  # 2025-12-03
    assert rated_on == "2025-12-03"
    member = next(m for m in members if m.get("quyet_dinh") == "HTNV")
    member["ngay_vao_dang"] = "2025-06-02"  # six months on 02/12: rated on the list's day
    assert not codes(data)
    before = "\n".join(body_texts(render(data)))
    member["ngay_danh_gia"] = "2025-12-01"  # its own chi bộ met on 01/12: not yet six months, so not rated
    assert ("$.ket_qua.dang_vien[%d].quyet_dinh" % members.index(member), "rated_but_not_eligible") in codes(data)
    del member["quyet_dinh"], member["de_xuat"]
    member.pop("tu_xep_loai", None)
    member.pop("diem", None)
    assert not codes(data)
    after = "\n".join(body_texts(render(data)))
    assert "Không đánh giá, xếp loại 03 (ba) đồng chí" in after and "02 (hai) đồng chí mới kết nạp" in after
    assert "Không đánh giá, xếp loại 02 (hai) đồng chí" in before
    member["ngay_danh_gia"] = "2025-12-04"  # after the list's day
    assert ("$.ket_qua.dang_vien[%d].ngay_danh_gia" % members.index(member), "date_order") in codes(data)
