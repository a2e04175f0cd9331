"""Quyết định xếp loại and tờ trình, read back: counts, percentages and words against the input."""

from __future__ import annotations

import copy
import json
from decimal import ROUND_HALF_UP, Decimal

import pytest
from conftest import load_sample
from docx_read import Doc, q

import docgen
from docgen.cli import main as cli
from docgen.rules import LEVEL_NAMES, LEVELS

QD = "quyet_dinh_xep_loai_dang_vien_khu_dan_cu_so_1_2025.json"
TT = "to_trinh_khu_dan_cu_so_1_2025.json"
QD_TC = "quyet_dinh_xep_loai_to_chuc_dang_hong_quang_2025.json"
WORDS = {
    0: "không",
    1: "một",
    2: "hai",
    3: "ba",
    8: "tám",
    11: "mười một",
    16: "mười sáu",
    23: "hai mươi ba",
    25: "hai mươi lăm",
}


def expected_counts(data, field):
    """The test's own count of the sample: members not exempt, not suspended, admitted ≥ 6 months ago."""
    day = data["ket_qua"]["ngay_danh_gia"]
    rated = [
        m
        for m in data["ket_qua"]["dang_vien"]
        if m.get("trang_thai", "dang_sinh_hoat") == "dang_sinh_hoat" and m["ngay_vao_dang"] < _minus6(day)
    ]
    return rated, {lv: sum(1 for m in rated if (m.get(field) or m.get("de_xuat")) == lv) for lv in LEVELS}


def _minus6(day):  # "2025-12-03" → "2025-06-03" (admitted on or before that day is rated)
    y, m, d = map(int, day.split("-"))
    m -= 6
    if m < 1:
        y, m = y - 1, m + 12
    return f"{y:04d}-{m:02d}-{d:02d}~"  # "~" sorts after any digit, so the same day counts as rated


def pct(n, total):
    value = (Decimal(n * 100) / Decimal(total)).quantize(Decimal("0.1"), ROUND_HALF_UP)
    return f"{value}".replace(".", ",") + "%"


def words(n):
    return f"{n:02d} ({WORDS[n]})" if n < 10 else f"{n} ({WORDS[n]})"


@pytest.fixture(scope="module")
def qd(render_doc):
    return render_doc("quyet_dinh_xep_loai", QD)


@pytest.fixture(scope="module")
def tt(render_doc):
    return render_doc("to_trinh", TT)


# ---------------------------------------------------------------- quyết định (đảng viên)


def test_decision_header_title_and_bases(qd, profile):
    """The party layout (official 2025 decisions, reference §6): trích yếu, then the căn cứ lines each
    "- …;" (the last ","), then "<AUTHORITY> QUYẾT ĐỊNH" on its own line — bold, centred, no colon — then
    the articles. No authority line above the căn cứ and no "QUYẾT ĐỊNH:" (the state's layout)."""
    assert [p.text for p in qd.table_cell(0, 0, 0) if p.text][-1] == "Số 118-QĐ/ĐU"
    body = [p for p in qd.body() if p.text.strip()]
    assert body[0].text == "QUYẾT ĐỊNH"
    assert body[1].text.replace("\n", " ") == "về việc xếp loại chất lượng đảng viên Chi bộ Khu dân cư số 1 năm 2025"
    assert body[1].all("bold") and body[1].align == "center"
    assert body[2].text == "-----"
    decider = "BAN THƯỜNG VỤ ĐẢNG ỦY PHƯỜNG HỒNG QUANG QUYẾT ĐỊNH"
    i = qd.index(decider)
    bases = [p.text for p in body[3 : body.index(qd.paras[i])]]
    assert bases == [
        "- Căn cứ Điều lệ Đảng;",
        "- Căn cứ Quy định số 366-QĐ/TW, ngày 30/8/2025 của Bộ Chính trị về việc kiểm điểm và đánh giá, xếp loại "
        "chất lượng đối với tập thể, cá nhân trong hệ thống chính trị;",
        "- Căn cứ Hướng dẫn số 43-HD/BTCTW, ngày 31/10/2025 của Ban Tổ chức Trung ương về một số nội dung về kiểm "
        "điểm và đánh giá, xếp loại chất lượng đối với tập thể, cá nhân trong hệ thống chính trị;",
        "- Căn cứ Quy chế làm việc của Ban Chấp hành Đảng bộ phường Hồng Quang nhiệm kỳ 2025 - 2030;",
        "- Căn cứ Kế hoạch số 15-KH/ĐU, ngày 27/11/2025 của Ban Thường vụ Đảng ủy phường về triển khai công tác "
        "kiểm điểm và đánh giá, xếp loại chất lượng đối với tập thể, cá nhân năm 2025;",
        "- Xét Tờ trình số 05-TTr/CB, ngày 05/12/2025 của Chi ủy Chi bộ Khu dân cư số 1,",
    ]
    assert not any("hằng năm" in b for b in bases)  # the 2025 regulation's title has none (reference §1.2)
    line = qd.paras[i]
    assert line.all("bold") and line.align == "center" and not line.text.endswith(":")
    assert qd.paras[i + 1].text.startswith("Điều 1.")
    texts = qd.texts()
    assert "QUYẾT ĐỊNH:" not in texts and texts.count("BAN THƯỜNG VỤ ĐẢNG ỦY PHƯỜNG HỒNG QUANG") == 0
    # the căn cứ style and the decider line are the format profile's
    assert profile.can_cu_style("quyet_dinh_xep_loai")["prefix"] == "- "


def test_decider_line_and_bases_style_come_from_the_profile(monkeypatch):
    """Another profile (a later format guidance) changes the decider line and the căn cứ style without code."""
    import copy

    from docgen import profile as profile_module

    base = profile_module.load_profile()
    data = copy.deepcopy(base.data)
    data["wording"]["dong_quyet_dinh"]["text"] = "{co_quan_quyet_dinh}\nQUYẾT ĐỊNH"
    data["can_cu"]["quyet_dinh_xep_loai"] = {**data["can_cu"]["quyet_dinh_xep_loai"], "prefix": "", "end": ","}
    changed = profile_module.Profile("thu", data)
    monkeypatch.setattr(profile_module, "load_profile", lambda name=None: changed)
    import docgen.api

    monkeypatch.setattr(docgen.api, "load_profile", lambda name=None: changed)
    doc = Doc(docgen.render("quyet_dinh_xep_loai", load_sample(QD)))
    doc.find("Căn cứ Điều lệ Đảng,")
    assert doc.find("BAN THƯỜNG VỤ ĐẢNG ỦY PHƯỜNG HỒNG QUANG", exact=False).text.endswith("QUYẾT ĐỊNH")


def test_decision_article_1_counts_percentages_and_words(qd):
    data = load_sample(QD)
    rated, n = expected_counts(data, "quyet_dinh")
    assert len(rated) == 23 and n == {"HTXSNV": 3, "HTTNV": 16, "HTNV": 3, "KHTNV": 1}
    art1 = qd.find("Điều 1.", exact=False)
    assert (
        art1.text == f"Điều 1. Xếp loại chất lượng năm 2025 đối với {words(len(rated))} đảng viên "
        "Chi bộ Khu dân cư số 1, như sau:"
    )
    assert art1.seg_containing("Điều 1.").bold and not art1.seg_containing("Xếp loại").bold
    for i, level in enumerate(LEVELS):
        end = "." if i == 3 else ";"
        qd.find(f"- {LEVEL_NAMES[level]}: {words(n[level])} đồng chí, chiếm {pct(n[level], len(rated))}{end}")
    qd.find(
        "Không đánh giá, xếp loại 02 (hai) đồng chí: 01 (một) đồng chí được miễn công tác và sinh hoạt đảng; "
        "01 (một) đồng chí mới kết nạp chưa đủ 06 tháng."
    )
    cap = qd.find("Số xếp loại “Hoàn thành xuất sắc nhiệm vụ” là", exact=False)
    assert "bằng 18,8% so với số xếp loại “Hoàn thành tốt nhiệm vụ” (16 đồng chí); tỷ lệ tối đa là 20%." in cap.text


def test_decision_articles_2_3_signature_and_recipients(qd):
    texts = qd.texts()
    assert [t.split(".")[0] for t in texts if t.startswith("Điều ")] == ["Điều 1", "Điều 2", "Điều 3"]
    assert "Điều 2. Quyết định có hiệu lực kể từ ngày ký." in texts
    art3 = qd.find("Điều 3.", exact=False)
    assert art3.text.endswith(  # the last article ends "./." (reference §6.2)
        "Chi ủy Chi bộ Khu dân cư số 1, các đồng chí có tên trong danh sách kèm theo căn cứ Quyết định thi hành./."
    )
    for article in (t for t in qd.paras if t.text.startswith("Điều ")):
        label = article.text.split(" ", 2)[:2]
        assert article.seg_containing(" ".join(label)).bold and label[1].endswith(".")
    recipients = [p.text for p in qd.table_cell(1, 0, 0) if p.text]
    assert recipients == ["Nơi nhận:", "- Như Điều 3,", "- Ban Xây dựng Đảng Đảng ủy,", "- Lưu Văn phòng Đảng ủy."]
    assert [p.text for p in qd.table_cell(1, 0, 1) if p.text] == [
        "T/M BAN THƯỜNG VỤ",
        "PHÓ BÍ THƯ THƯỜNG TRỰC",
        "Trần Nhật Lộc",
    ]


def test_decision_annex_on_new_page_with_repeated_header(qd):
    title = qd.find("DANH SÁCH XẾP LOẠI CHẤT LƯỢNG ĐẢNG VIÊN", exact=False)
    assert title.text == "DANH SÁCH XẾP LOẠI CHẤT LƯỢNG ĐẢNG VIÊN\nCHI BỘ KHU DÂN CƯ SỐ 1 NĂM 2025"
    assert title.all("bold") and title.align == "center"
    style = qd.styles.by_id[title.style]
    assert style.find(f"{q('pPr')}/{q('pageBreakBefore')}") is not None
    kem = qd.paras[qd.paras.index(title) + 1]
    assert kem.text.replace("\n", " ") == (
        "(Kèm theo Quyết định số 118-QĐ/ĐU, ngày 15 tháng 12 năm 2025 của Ban Thường vụ Đảng ủy phường Hồng Quang)"
    )
    assert kem.all("italic")
    table = qd.root.findall(f".//{q('tbl')}")[-1]
    rows = table.findall(q("tr"))
    assert rows[0].find(f"{q('trPr')}/{q('tblHeader')}") is not None
    assert all(r.find(f"{q('trPr')}/{q('tblHeader')}") is None for r in rows[1:])
    header = ["".join(t.text for t in tc.iter(q("t"))) for tc in rows[0].findall(q("tc"))]
    assert header == ["STT", "Họ và tên", "Chức vụ, đơn vị", "Mức xếp loại", "Ghi chú"]


def _annex_rows(doc):
    table = doc.root.findall(f".//{q('tbl')}")[-1]
    out = []
    for tr in table.findall(q("tr"))[1:]:
        out.append(["".join(t.text or "" for t in tc.iter(q("t"))) for tc in tr.findall(q("tc"))])
    return out


def test_decision_annex_grouped_by_level_sorted_by_name_not_rated_apart(qd):
    from docgen.vn import khoa_ten

    rows = _annex_rows(qd)
    groups = [r[0] for r in rows if len(r) == 1]
    assert groups == [
        "Hoàn thành xuất sắc nhiệm vụ (03 đồng chí)",
        "Hoàn thành tốt nhiệm vụ (16 đồng chí)",
        "Hoàn thành nhiệm vụ (03 đồng chí)",
        "Không hoàn thành nhiệm vụ (01 đồng chí)",
        "Không đánh giá, xếp loại (02 đồng chí)",
    ]
    data_rows = [r for r in rows if len(r) == 5]
    # one numbering for the whole list, the members not rated included (no second "1" after 23)
    assert [r[0] for r in data_rows] == [str(i) for i in range(1, 26)]
    httnv = [r[1] for r in data_rows if r[3] == "Hoàn thành tốt nhiệm vụ"]
    assert httnv == sorted(httnv, key=khoa_ten) and len(httnv) == 16
    failing = next(r for r in data_rows if r[1] == "Chu Văn Hải")
    assert failing[3] == "Không hoàn thành nhiệm vụ" and "Bị kỷ luật trong năm: Khiển trách" in failing[4]
    apart = data_rows[23:]
    assert [(r[0], r[1], r[3]) for r in apart] == [("24", "Lê Thị Phương Thảo", ""), ("25", "Nguyễn Văn Thọ", "")]
    assert apart[0][4] == "Mới kết nạp chưa đủ 06 tháng"
    assert apart[1][4] == "Được miễn công tác và sinh hoạt đảng"


def test_input_order_kept_unless_alphabetical_asked(render_doc):
    data = load_sample(QD)
    data["sap_xep_ten"] = False
    rows = [r for r in _annex_rows(render_doc("quyet_dinh_xep_loai", data)) if len(r) == 5]
    httnv_in_input = [m["ho_ten"] for m in data["ket_qua"]["dang_vien"] if m.get("quyet_dinh") == "HTTNV"]
    assert [r[1] for r in rows if r[3] == "Hoàn thành tốt nhiệm vụ"] == httnv_in_input


# ---------------------------------------------------------------- tờ trình


def test_submission_statistics_in_sentences(tt):
    data = load_sample(TT)
    rated, n = expected_counts(data, "de_xuat")
    total = len(data["ket_qua"]["dang_vien"])
    assert tt.find("Kính gửi: Ban Thường vụ Đảng ủy phường Hồng Quang").align == "center"
    tt.find(f"1. Tổng số đảng viên của Chi bộ Khu dân cư số 1: {words(total)} đồng chí.")
    tt.find(
        f"2. Số đảng viên được đánh giá, xếp loại: {words(len(rated))} đồng chí, chiếm "
        f"{pct(len(rated), total)} tổng số."
    )
    tt.find(
        "3. Số đảng viên không đánh giá, xếp loại: 02 (hai) đồng chí, gồm: 01 (một) đồng chí được miễn công tác "
        "và sinh hoạt đảng; 01 (một) đồng chí mới kết nạp chưa đủ 06 tháng."
    )
    tt.find("4. Kết quả đề nghị xếp loại (tỷ lệ tính trên số được đánh giá, xếp loại):")
    for level in LEVELS:
        tt.find(f"- {LEVEL_NAMES[level]}: {words(n[level])} đồng chí, chiếm {pct(n[level], len(rated))}", exact=False)
    tt.find("Chi ủy Chi bộ Khu dân cư số 1 kính đề nghị Ban Thường vụ Đảng ủy phường Hồng Quang xem xét, quyết định.")


def test_submission_header_bases_signature(tt):
    assert [p.text for p in tt.table_cell(0, 0, 0) if p.text] == [
        "ĐẢNG BỘ PHƯỜNG HỒNG QUANG",
        "CHI BỘ KHU DÂN CƯ SỐ 1",
        "*",
        "Số 05-TTr/CB",
    ]
    assert tt.body()[0].text == "TỜ TRÌNH"
    assert (
        tt.body()[1].text.replace("\n", " ") == "đề nghị xếp loại chất lượng đảng viên Chi bộ Khu dân cư số 1 năm 2025"
    )
    tt.find("Căn cứ Kế hoạch số 15-KH/ĐU, ngày 27/11/2025 của Ban Thường vụ Đảng ủy phường Hồng Quang", exact=False)
    tt.find(
        "Căn cứ kết quả kiểm điểm, đánh giá, xếp loại chất lượng đảng viên tại hội nghị Chi bộ Khu dân cư số 1 "
        "ngày 03/12/2025,"
    )
    assert [p.text for p in tt.table_cell(1, 0, 1) if p.text] == ["T/M CHI ỦY", "BÍ THƯ", "Nguyễn Văn Hùng"]
    kem = tt.find("(Kèm theo Tờ trình số 05-TTr/CB,", exact=False)
    assert "Chi ủy Chi bộ Khu dân cư số 1)" in kem.text


# ---------------------------------------------------------------- tổ chức đảng


def test_organisation_decision(render_doc):
    doc = render_doc("quyet_dinh_xep_loai", QD_TC)
    doc.find(
        "Điều 1. Xếp loại chất lượng năm 2025 đối với 12 (mười hai) tổ chức đảng trực thuộc Đảng bộ phường "
        "Hồng Quang, như sau:"
    )
    doc.find("- Hoàn thành xuất sắc nhiệm vụ: 01 (một) tổ chức, chiếm 8,3%;")
    doc.find("- Hoàn thành tốt nhiệm vụ: 10 (mười) tổ chức, chiếm 83,3%;")
    cap = doc.find("Số xếp loại “Hoàn thành xuất sắc nhiệm vụ” là 01 (một) tổ chức", exact=False)
    assert "so với số xếp loại “Hoàn thành tốt nhiệm vụ” (10 tổ chức); tỷ lệ tối đa là 20%." in cap.text
    assert not any(t.startswith("Không đánh giá, xếp loại") for t in doc.texts())
    rows = [r for r in _annex_rows(doc) if len(r) == 5]
    new = next(r for r in rows if r[1] == "Chi bộ Khu dân cư số 7")  # new organisation, rated (2025 seed plan)
    assert new[3] == "Hoàn thành tốt nhiệm vụ" and "Thành lập ngày 01/8/2025" in new[4]
    assert len(rows) == 12


def test_new_organisation_rule_is_a_locality_setting_under_qd366(render_doc):
    data = load_sample(QD_TC)
    new = data["ket_qua"]["to_chuc"][11]
    data["ket_qua"]["cai_dat"] = {"to_chuc_moi_thanh_lap": "khong_xep_loai"}
    found = docgen.validate("quyet_dinh_xep_loai", data)
    assert [(p.path, p.code) for p in found] == [("$.ket_qua.to_chuc[11].quyet_dinh", "rated_but_not_eligible")]
    for key in ("tu_xep_loai", "de_xuat", "quyet_dinh", "diem"):
        new.pop(key)
    doc = render_doc("quyet_dinh_xep_loai", data)
    doc.find("Không đánh giá, xếp loại 01 (một) tổ chức: 01 (một) tổ chức mới thành lập chưa đủ 06 tháng.")
    # under the 2018/2023 regimes the rule is fixed (Hướng dẫn 21), not a setting
    data["che_do"] = "qd132_2018"
    for item in data["ket_qua"]["to_chuc"]:
        item.pop("diem", None)
    codes = {p.code for p in docgen.validate("quyet_dinh_xep_loai", data)}
    assert "setting_not_in_regime" in codes


# ---------------------------------------------------------------- rule breaches


def _breaking_decision():
    data = load_sample(QD)
    members = data["ket_qua"]["dang_vien"]
    for m in members:
        if m["ho_ten"] in ("Vũ Thị Lan", "Đặng Văn Sơn"):
            m["quyet_dinh"] = m["de_xuat"] = "HTXSNV"
            m["diem"] = {"nhom_1": 28, "nhom_2": 63, "tong": 91}
        if m["ho_ten"] == "Chu Văn Hải":
            m["quyet_dinh"] = "HTNV"
        if m["ho_ten"] == "Nguyễn Văn Hùng":
            m["quyet_dinh"] = "HTXSNV"
            m["diem"] = {"nhom_1": 27, "nhom_2": 59, "tong": 86}
        if m["ho_ten"] == "Nguyễn Văn Thọ":
            m["quyet_dinh"] = "HTTNV"
    return data


def test_rule_breaches_all_reported_with_names_and_numbers():
    problems = docgen.validate("quyet_dinh_xep_loai", _breaking_decision())
    by_code = {}
    for p in problems:
        by_code.setdefault(p.code, []).append(p)
    assert set(by_code) == {"excellence_cap", "discipline", "head_above_unit", "points_band", "rated_but_not_eligible"}
    cap = by_code["excellence_cap"][0]
    assert cap.path == "$.ket_qua.dang_vien" and "Có 6 trường hợp" in cap.message and "tối đa 2" in cap.message
    assert cap.where == "Danh sách đảng viên"
    for name in ("Vũ Thị Lan", "Đặng Văn Sơn", "Nguyễn Văn Hùng", "Trần Thị Mai"):
        assert name in cap.message
    discipline = by_code["discipline"][0]
    assert (
        discipline.path.endswith(".quyet_dinh") and discipline.where == "Đảng viên thứ 23 (Chu Văn Hải), mục Quyết định"
    )
    assert "(Nguyễn Văn Hùng)" in by_code["head_above_unit"][0].where
    assert "86 điểm" in by_code["points_band"][0].message
    assert "Nguyễn Văn Thọ" in by_code["rated_but_not_eligible"][0].message


def test_cli_rule_breach_prints_every_record_exits_1_writes_nothing(workdir, capsys):
    src = workdir / "qd.json"
    src.write_text(json.dumps(_breaking_decision(), ensure_ascii=False), encoding="utf-8")
    assert cli(["render", "quyet_dinh_xep_loai", str(src), "-o", "qd.docx"]) == 1
    err = capsys.readouterr().err
    problems = docgen.validate("quyet_dinh_xep_loai", _breaking_decision())
    assert f"Dữ liệu có {len(problems)} lỗi" in err
    for p in problems:  # in a person's words: the place as she knows it, the message; no path, no code
        assert f"  - {p.where}: {p.message}\n" in err and p.path not in err and p.code not in err
    for text in ("Chu Văn Hải", "86 điểm"):
        assert text in err
    assert sorted(p.name for p in workdir.iterdir()) == ["qd.json"]


def test_override_25_percent_is_cited():
    data = _breaking_decision()
    for m in data["ket_qua"]["dang_vien"]:  # undo all but the extra excellent member
        if m["ho_ten"] in ("Đặng Văn Sơn", "Nguyễn Văn Hùng"):
            m["quyet_dinh"] = m["de_xuat"] = "HTTNV"
            m["diem"] = {"nhom_1": 25, "nhom_2": 55, "tong": 80}
        if m["ho_ten"] == "Chu Văn Hải":
            m["quyet_dinh"] = "KHTNV"
        if m["ho_ten"] == "Nguyễn Văn Thọ":
            del m["quyet_dinh"]
        if m["ho_ten"] == "Đinh Thị Loan":
            m["quyet_dinh"] = "HTTNV"
            m["diem"] = {"nhom_1": 22, "nhom_2": 53, "tong": 75}
    assert [p.code for p in docgen.validate("quyet_dinh_xep_loai", data)] == ["excellence_cap"]  # 4 of 16
    data["ket_qua"]["ngoai_le_ty_le"] = {
        "ly_do": "Chi bộ có thành tích xuất sắc, nổi trội trong năm",
        "can_cu": "Kết luận số 20-KL/ĐU ngày 10/12/2025 của Ban Thường vụ Đảng ủy",
    }
    doc = Doc(docgen.render("quyet_dinh_xep_loai", data))
    cap = doc.find("Số xếp loại “Hoàn thành xuất sắc nhiệm vụ” là 04 (bốn) đồng chí", exact=False)
    assert (
        "tỷ lệ tối đa là 25% theo quyết định của cấp có thẩm quyền: Chi bộ có thành tích xuất sắc, nổi trội "
        "trong năm (Kết luận số 20-KL/ĐU ngày 10/12/2025 của Ban Thường vụ Đảng ủy)." in cap.text
    )


def test_discipline_override_is_noted_in_the_list():
    data = load_sample(QD)
    hai = next(m for m in data["ket_qua"]["dang_vien"] if m["ho_ten"] == "Chu Văn Hải")
    hai.update(
        quyet_dinh="HTNV",
        diem={"nhom_1": 18, "nhom_2": 40, "tong": 58},
        ngoai_le_ky_luat={"ly_do": "Tự phát hiện và khắc phục vi phạm trước khi bị kiểm tra"},
    )
    doc = Doc(docgen.render("quyet_dinh_xep_loai", data))
    row = next(r for r in _annex_rows(doc) if len(r) == 5 and r[1] == "Chu Văn Hải")
    assert row[3] == "Hoàn thành nhiệm vụ" and "Tự phát hiện và khắc phục" in row[4]


def test_regime_without_points_refuses_points():
    data = load_sample(QD)
    data["che_do"] = "qd124_2023"
    problems = docgen.validate("quyet_dinh_xep_loai", data)
    assert {p.code for p in problems} == {"points_not_used"}
    assert len(problems) == 23
    for m in data["ket_qua"]["dang_vien"]:
        m.pop("diem", None)
    doc = Doc(docgen.render("quyet_dinh_xep_loai", data))
    doc.find("Căn cứ Quy định số 124-QĐ/TW, ngày 04/10/2023 của Bộ Chính trị", exact=False)


def test_missing_rating_and_wrong_ky_hieu():
    data = copy.deepcopy(load_sample(TT))
    del data["ket_qua"]["dang_vien"][3]["de_xuat"]
    data["ban_hanh"]["ky_hieu"] = "QĐ/CB"
    found = {(p.path, p.code) for p in docgen.validate("to_trinh", data)}
    assert found == {("$.ket_qua.dang_vien[3].de_xuat", "missing_rating"), ("$.ban_hanh.ky_hieu", "ky_hieu_kind")}


def test_leadership_collectives_small_group_exception(render_doc):
    data = load_sample(QD_TC)
    data["doi_tuong"] = "tap_the_lanh_dao"
    names = [
        "Thường trực Hội đồng nhân dân phường",
        "Lãnh đạo Ủy ban nhân dân phường",
        "Ban Thường trực Ủy ban Mặt trận Tổ quốc Việt Nam phường",
        "Ban Thường vụ Đoàn Thanh niên phường",
    ]
    levels = ["HTXSNV", "HTTNV", "HTTNV", "HTTNV"]
    data["ket_qua"] = {
        "don_vi": {"ten": "Đảng bộ phường Hồng Quang"},
        "ngay_danh_gia": "2025-12-20",
        "tap_the_lanh_dao": [
            {
                "ten": n,
                "de_xuat": lv,
                "quyet_dinh": lv,
                "nguoi_dung_dau": {"ho_ten": f"Người đứng đầu {i}", "xep_loai": "HTTNV"},
            }
            for i, (n, lv) in enumerate(zip(names, levels), 1)
        ],
    }
    doc = render_doc("quyet_dinh_xep_loai", data)
    assert doc.body()[1].text.replace("\n", " ") == (
        "về việc xếp loại chất lượng tập thể lãnh đạo, quản lý trực thuộc Đảng bộ phường Hồng Quang năm 2025"
    )
    doc.find("- Hoàn thành xuất sắc nhiệm vụ: 01 (một) tập thể, chiếm 25,0%;")
    cap = doc.find("Số xếp loại “Hoàn thành xuất sắc nhiệm vụ” là 01 (một) tập thể", exact=False)
    assert (
        "đơn vị có dưới 05 tập thể, tất cả còn lại xếp loại “Hoàn thành tốt nhiệm vụ”, được chọn 01 tập thể" in cap.text
    )
    rows = [r for r in _annex_rows(doc) if len(r) == 5]
    assert [r[1] for r in rows] == names
    data["ket_qua"]["tap_the_lanh_dao"][1]["nguoi_dung_dau"]["xep_loai"] = "HTXSNV"
    problems = docgen.validate("quyet_dinh_xep_loai", data)
    assert [(p.path, p.code) for p in problems] == [("$.ket_qua.tap_the_lanh_dao[1].nguoi_dung_dau", "head_above_unit")]
    assert "Người đứng đầu 2" in problems[0].message


# ---------------------------------------------------------------- dates that contradict each other


def _problems(kind, data):
    return {(p.path, p.code, p.severity): p.message for p in docgen.validate(kind, data)}


def test_decision_dated_before_the_submission_it_cites():
    data = load_sample(QD)
    data["ban_hanh"]["ngay_ban_hanh"] = "2025-12-03"
    data["to_trinh"]["ngay"] = "2025-12-07"
    data["ket_qua"]["ngay_danh_gia"] = "2025-12-02"
    found = _problems("quyet_dinh_xep_loai", data)
    message = found[("$.to_trinh", "date_order", "error")]
    assert "03/12/2025" in message and "07/12/2025" in message and "Xét Tờ trình số 05-TTr/CB" in message
    assert list(found) == [("$.to_trinh", "date_order", "error")]


def test_rating_dated_after_the_decision():
    data = load_sample(QD)
    data["ket_qua"]["ngay_danh_gia"] = "2025-12-20"  # the decision is of 15/12/2025
    found = _problems("quyet_dinh_xep_loai", data)
    message = found[("$.ket_qua.ngay_danh_gia", "date_order", "error")]
    assert "15/12/2025" in message and "20/12/2025" in message
    # and the submission, of 05/12, proposes the results of a rating dated later: can be explained (the
    # rating date may be the competent level's), so a warning
    assert ("$.to_trinh.ngay", "date_order_unusual", "warning") in found


def test_decision_of_a_year_not_yet_over_and_a_late_one():
    data = load_sample(QD)
    for key in ("ngay_ban_hanh",):
        data["ban_hanh"][key] = "2024-12-20"
    found = _problems("quyet_dinh_xep_loai", data)
    assert ("$.ban_hanh.ngay_ban_hanh", "date_order", "error") in found
    data = load_sample(QD)
    data["ban_hanh"]["ngay_ban_hanh"] = "2026-02-10"
    found = _problems("quyet_dinh_xep_loai", data)
    assert list(found) == [("$.ban_hanh.ngay_ban_hanh", "date_order_unusual", "warning")]
    assert "15/01/2026" in found[("$.ban_hanh.ngay_ban_hanh", "date_order_unusual", "warning")]
    Doc(docgen.render("quyet_dinh_xep_loai", data))  # a warning does not stop the document


def test_cited_text_dated_after_the_document():
    data = load_sample(QD)
    data["can_cu_them"][1] = data["can_cu_them"][1].replace("27/11/2025", "27/12/2025")
    found = _problems("quyet_dinh_xep_loai", data)
    message = found[("$.can_cu_them[1]", "date_order", "error")]
    assert "15/12/2025" in message and "27/12/2025" in message
    data = load_sample(QD)
    data["ban_hanh"]["ngay_ban_hanh"] = data["ket_qua"]["ngay_danh_gia"] = data["to_trinh"]["ngay"] = "2025-08-20"
    regime = [p.message for p in docgen.validate("quyet_dinh_xep_loai", data) if p.path == "$.che_do"]
    assert len(regime) == 2  # Quy định 366 of 30/8/2025 and Hướng dẫn 43 of 31/10/2025
    assert "20/8/2025" in regime[0] and "30/8/2025" in regime[0] and "31/10/2025" in regime[1]


def test_submission_meeting_after_the_document_and_before_the_plan():
    data = load_sample(TT)
    data["ngay_hop"] = "2025-12-09"  # the tờ trình is of 05/12/2025
    found = _problems("to_trinh", data)
    assert "05/12/2025" in found[("$.ngay_hop", "date_order", "error")]
    data = load_sample(TT)
    data["ngay_hop"] = "2025-11-20"  # before the plan of 27/11/2025
    found = _problems("to_trinh", data)
    assert list(found) == [("$.ngay_hop", "date_order_unusual", "warning")]


def test_member_dates_that_cannot_be():
    data = load_sample(QD)
    members = data["ket_qua"]["dang_vien"]
    members[0]["ngay_vao_dang"] = "2025-12-10"  # after the rating of 03/12/2025
    members[1]["ngay_sinh"] = "2002-01-01"  # after being admitted in 2001
    found = _problems("quyet_dinh_xep_loai", data)
    assert ("$.ket_qua.dang_vien[0].ngay_vao_dang", "date_order", "error") in found
    assert "10/12/2025" in found[("$.ket_qua.dang_vien[0].ngay_vao_dang", "date_order", "error")]
    assert ("$.ket_qua.dang_vien[1].ngay_sinh", "date_order", "error") in found


def test_cli_prints_warnings_and_makes_the_document(workdir, capsys):
    data = load_sample(TT)
    data["ngay_hop"] = "2025-11-20"
    src = workdir / "tt.json"
    src.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert cli(["validate", "to_trinh", str(src)]) == 0
    out = capsys.readouterr()
    assert (
        "Hợp lệ" in out.out
        and "1 cảnh báo" in out.err
        and "  ! Mục Ngày họp: hội nghị kiểm điểm (20/11/2025)" in out.err
    )
    assert cli(["render", "to_trinh", str(src), "-o", "tt.docx"]) == 0
    assert "1 cảnh báo" in capsys.readouterr().err and (workdir / "tt.docx").is_file()
    assert cli(["validate", "to_trinh", str(src), "--json"]) == 0
    assert [p["severity"] for p in json.loads(capsys.readouterr().out)] == ["warning"]
