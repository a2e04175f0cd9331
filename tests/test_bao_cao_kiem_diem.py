"""Báo cáo kiểm điểm: the collective report (Mẫu 01) and the individual forms (2A, 2B, 2C; 02A), read back."""

from __future__ import annotations

import copy
import json

import pytest
from conftest import load_sample
from docx_read import q

import docgen
from docgen.cli import main as cli
from docgen.kinds.bao_cao_kiem_diem.forms import forms

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


# The official wording, copied here from ../shared/reference/official_texts.md (§2.3, §2.4, §3.2–§3.4, §4.2)
# rather than read from the forms data, so that a wrong entry in the data fails these tests.
MAU01_A = [
    "A. NỘI DUNG KIỂM ĐIỂM",
    "I. Ưu điểm, kết quả đạt được",
    "1. Việc chấp hành nguyên tắc tổ chức và hoạt động, nhất là nguyên tắc tập trung dân chủ; thực hiện quy chế "
    "làm việc.",
    "2. Kết quả thực hiện các mục tiêu, chỉ tiêu, nhiệm vụ được đề ra trong nghị quyết đại hội nhiệm kỳ, kế hoạch, "
    "chương trình công tác năm, được cấp có thẩm quyền giao, phê duyệt và các nhiệm vụ phát sinh, đột xuất được cấp "
    "có thẩm quyền giao.",
    "3. Công tác xây dựng, chỉnh đốn Đảng và hệ thống chính trị; xây dựng tổ chức bộ máy tinh gọn, hoạt động hiệu "
    "năng, hiệu lực, hiệu quả; tinh giản biên chế gắn với cải cách hành chính và chuyển đổi số; năng lực, trách "
    "nhiệm của tập thể lãnh đạo, quản lý; trách nhiệm nêu gương; trách nhiệm giải trình; công tác đấu tranh phòng, "
    "chống tham nhũng, tiêu cực, lãng phí và ngăn chặn, đẩy lùi những biểu hiện suy thoái về tư tưởng chính trị, đạo "
    'đức, lối sống, "tự diễn biến", "tự chuyển hoá" trong nội bộ gắn với việc học tập và làm theo tư tưởng, đạo đức, '
    "phong cách Hồ Chí Minh; công tác kiểm soát quyền lực, phòng, chống chạy chức, chạy quyền, lợi ích nhóm; xây dựng "
    "và thực hiện cơ chế công khai, minh bạch trong công tác cán bộ; công tác kiểm tra, giám sát, kỷ luật đảng và công "
    "tác tiếp công dân, giải quyết khiếu nại, tố cáo, kiến nghị, phản ánh của tổ chức, cá nhân.",
    "4. Trách nhiệm của tập thể lãnh đạo, quản lý trong triển khai thực hiện các chủ trương, đường lối, nghị quyết, "
    "văn bản chỉ đạo của Đảng, của cấp trên; thực hiện nhiệm vụ chính trị của địa phương, tổ chức, cơ quan, đơn vị.",
    "II. Hạn chế, khuyết điểm và nguyên nhân",
    "III. Kết quả khắc phục những hạn chế, khuyết điểm đã được cấp có thẩm quyền kết luận hoặc được chỉ ra ở các kỳ "
    "kiểm điểm trước",
    "IV. Giải trình những vấn đề được gợi ý kiểm điểm (nếu có)",
    "V. Trách nhiệm của tập thể, cá nhân",
    "VI. Phương hướng, biện pháp khắc phục hạn chế, khuyết điểm",
]
MAU01_III = (
    "Kiểm điểm rõ từng hạn chế, khuyết điểm (đã được khắc phục; đang khắc phục, mức độ khắc phục; chưa được khắc "
    "phục); những khó khăn, vướng mắc (nếu có); trách nhiệm của tập thể, cá nhân có liên quan."
)
MAU01_IV = (
    "Giải trình từng vấn đề được gợi ý kiểm điểm, nêu nguyên nhân, xác định trách nhiệm của tập thể, cá nhân đối với "
    "từng vấn đề được gợi ý kiểm điểm."
)
MAU01_V = (
    "Về hạn chế, khuyết điểm trong thực hiện nhiệm vụ hoặc khi có dấu hiệu vi phạm; để xảy ra những vấn đề bức xúc, "
    "phức tạp, dư luận quan tâm; có đơn, thư khiếu nại, tố cáo; biểu hiện mất đoàn kết nội bộ; vi phạm nguyên tắc, quy "
    'định của Đảng; biểu hiện "lợi ích nhóm", tham nhũng, lãng phí, tiêu cực, suy thoái, "tự diễn biến", "tự chuyển '
    'hoá"; để tập thể, cá nhân thuộc quyền quản lý bị kỷ luật, khởi tố; trì trệ, yếu kém, không hoàn thành chức '
    "trách, nhiệm vụ được giao."
)
PART_B = ["B. NỘI DUNG TỰ ĐÁNH GIÁ, XẾP LOẠI", "I. Đánh giá theo các nhóm tiêu chí"]
LEVEL_LINES = [
    "Hoàn thành xuất sắc nhiệm vụ",
    "Hoàn thành tốt nhiệm vụ",
    "Hoàn thành nhiệm vụ",
    "Không hoàn thành nhiệm vụ",
]
CA_NHAN_1 = (
    "1. Về phẩm chất chính trị, đạo đức, lối sống; tinh thần đoàn kết, thống nhất trong nội bộ; ý thức tổ chức kỷ "
    "luật, trách nhiệm nêu gương, việc thực hiện những điều đảng viên không được làm; tác phong, lề lối làm việc. Liên "
    'hệ các biểu hiện về suy thoái, "tự diễn biến", "tự chuyển hoá".'
)
CA_NHAN_3 = "3. Việc thực hiện cam kết tu dưỡng, rèn luyện, phấn đấu của cá nhân theo quy định."
CA_NHAN_SECTIONS = [
    "II. Hạn chế, khuyết điểm và nguyên nhân",
    "1. Hạn chế, khuyết điểm.",
    "2. Nguyên nhân của hạn chế, khuyết điểm.",
    "III. Kết quả khắc phục những hạn chế, khuyết điểm đã được cấp có thẩm quyền kết luận hoặc được chỉ ra ở các kỳ "
    "kiểm điểm trước",
    "IV. Giải trình những vấn đề được gợi ý kiểm điểm (nếu có)",
    "V. Làm rõ trách nhiệm của cá nhân đối với những hạn chế, khuyết điểm của tập thể (nếu có)",
    "VI. Phương hướng, biện pháp khắc phục hạn chế, khuyết điểm",
]
ATTACHMENT_2B = (
    "(Gửi kèm Phụ lục về kết quả thực hiện nhiệm vụ trong đó thể hiện sản phẩm tiến độ, chất lượng cụ thể - theo "
    "hướng dẫn của các cấp uỷ, tổ chức đảng)"
)


def phu_luc_sentence(who: str, annex: int, so: str = "") -> str:
    doer = "các tập thể" if annex == 1 else "cá nhân"
    return (
        f"Trên cơ sở cụ thể hoá khung tiêu chí đánh giá đối với {who} được quy định tại Phụ lục {annex}, Quy định "
        f"{so}366-QĐ/TW, {doer} tự đánh giá, chấm điểm theo các tiêu chí được cụ thể hóa như sau:"
    )


def part_b(doc):
    """The paragraphs of part B, from its heading to the end of the body."""
    i = doc.index("B. NỘI DUNG TỰ ĐÁNH GIÁ, XẾP LOẠI")
    out = []
    for p in doc.paras[i:]:
        if p.in_table:
            break
        if p.text.strip():
            out.append(p)
    return out


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


def test_collective_part_a_is_mau_01(tap_the):
    """Mẫu 01's headings and items in full (reference §2.3), with the instruction texts of III, IV and V and
    the dash items of II."""
    hs = headings(tap_the)
    assert [h for h in hs if h in MAU01_A] == MAU01_A
    assert hs[: len(MAU01_A) - 5] == MAU01_A[:-5]
    for heading, text in (("III.", MAU01_III), ("IV.", MAU01_IV), ("V.", MAU01_V)):
        i = next(k for k, p in enumerate(tap_the.paras) if p.text.startswith(heading + " "))
        assert tap_the.paras[i + 1].text == text and tap_the.paras[i + 1].style == "DGDoan"
    assert tap_the.find("V. Trách nhiệm của tập thể, cá nhân").all("bold")
    i = tap_the.index("II. Hạn chế, khuyết điểm và nguyên nhân")
    dashes = [
        p.text
        for p in tap_the.paras[i:]
        if p.text in ("- Hạn chế, khuyết điểm.", "- Nguyên nhân của hạn chế, khuyết điểm.")
    ]
    assert dashes == ["- Hạn chế, khuyết điểm.", "- Nguyên nhân của hạn chế, khuyết điểm."]
    assert not any("LÀM RÕ TRÁCH NHIỆM" in t for t in tap_the.texts())


def test_collective_content_and_remedies(tap_the):
    data = load_sample(TAP_THE)
    first = data["uu_diem"]["nguyen_tac"][0]
    first = first if isinstance(first, str) else next(iter(first.values()))
    assert any(first.replace("*", "") in t for t in tap_the.texts())
    status = FORMS["wording"]["khac_phuc"]
    start = tap_the.index("III.", exact=False)
    stop = tap_the.index("IV.", exact=False)
    lines = [p.text for p in tap_the.paras[start:stop] if p.text.startswith("+ ")]
    assert len(lines) == len(data["khac_phuc"])
    for line, item in zip(lines, data["khac_phuc"]):
        assert line.startswith(f"+ {status[item['ket_qua']]}") and line.endswith(".") and ".." not in line


def test_collective_part_b_is_three_plain_lines_and_four_levels(tap_the):
    """Part B (reference §2.4): the heading, "I. Đánh giá theo các nhóm tiêu chí", the sentence citing
    Phụ lục 1, the three lines filled with the points — not a table — and II with the four levels."""
    data = load_sample(TAP_THE)
    points = data["tu_danh_gia"]["diem"]
    texts = [p.text for p in part_b(tap_the)]
    assert texts == [
        *PART_B,
        phu_luc_sentence("tập thể", 1, "số "),
        f"1. Nhóm tiêu chí chung: {points['nhom_1']}/30",
        f"2. Nhóm tiêu chí về kết quả thực hiện nhiệm vụ: {points['nhom_2']}/70",
        f"Tổng điểm: {points['tong']}/100",
        "II. Đề xuất xếp loại mức chất lượng",
        *[f"- {level}." for level in LEVEL_LINES],
    ]
    assert not any(t[0][:2] == ["STT", "Nhóm tiêu chí"] for t in tables(tap_the))
    chosen = tap_the.find("- Hoàn thành tốt nhiệm vụ.")
    assert chosen.seg_containing("Hoàn thành tốt nhiệm vụ.").bold
    assert not tap_the.find("- Hoàn thành nhiệm vụ.").seg_containing("Hoàn thành nhiệm vụ.").bold


def test_collective_signature_and_recipients(tap_the):
    assert [p.text for p in tap_the.table_cell(1, 0, 1) if p.text] == ["T/M CHI ỦY", "BÍ THƯ", "Nguyễn Văn Hùng"]
    recipients = [p.text for p in tap_the.table_cell(1, 0, 0) if p.text]
    assert recipients[0] == "Nơi nhận:" and recipients[-1] == "- Lưu Chi bộ."


def test_collective_without_opening_prints_the_form_sentence(render_doc):
    data = load_sample(TAP_THE)
    del data["mo_dau"]
    doc = render_doc("bao_cao_kiem_diem", data)
    doc.find(
        "Căn cứ kết quả lãnh đạo, chỉ đạo thực hiện nhiệm vụ chính trị tại địa phương (cơ quan, đơn vị); tập thể "
        "Chi ủy Chi bộ Khu dân cư số 1 kiểm điểm, tự đánh giá, xếp loại chất lượng với các nội dung chủ yếu sau:"
    )


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


def test_2a_particulars_keep_the_leadership_posts(f2a):
    for line in [
        "Họ và tên: Nguyễn Văn Hùng",
        "Ngày sinh: 12/4/1968",
        "Chức vụ đảng: Bí thư Chi bộ",
        "Chức vụ chính quyền, đoàn thể: Trưởng Khu dân cư số 1",
        "Chi bộ: Chi bộ Khu dân cư số 1",
    ]:
        f2a.find(line)


def test_2b_and_2c_particulars_have_no_post_lines(render_doc):
    """Mẫu 2B/2C particulars (reference §3.2): Họ và tên, Ngày sinh, Đơn vị công tác, Chi bộ — no "Chức vụ"."""
    for sample, name, unit in (
        (F2B, "Lý Thị Ngọc Ánh", "Viên chức Trạm Y tế phường Hồng Quang"),
        (F2C, "Đặng Văn Sơn", "Hưu trí (nguyên giáo viên Trường THCS Hồng Quang)"),
    ):
        doc = render_doc("bao_cao_kiem_diem", sample)
        lines = [p.text for p in doc.paras if p.style == "DGDongCham"][:4]
        assert lines[0] == f"Họ và tên: {name}" and lines[1].startswith("Ngày sinh: ")
        assert lines[2] == f"Đơn vị công tác: {unit}" and lines[3] == "Chi bộ Khu dân cư số 1"
        assert not any(t.startswith("Chức vụ") for t in doc.texts())


def test_2a_items_are_2b_items_and_the_leadership_contents(f2a, render_doc):
    hs = headings(f2a)
    start = hs.index("I. Ưu điểm, kết quả đạt được") + 1
    assert hs[start] == CA_NHAN_1 and hs[start + 2] == CA_NHAN_3
    assert hs[start + 3].startswith(
        "4. Kết quả công tác lãnh đạo, chỉ đạo, quản lý, điều hành; thực hiện chức trách, nhiệm vụ; mức độ hoàn thành"
    )
    assert hs[start + 4].startswith("5. Trách nhiệm trong công việc; tinh thần năng động, đổi mới sáng tạo")
    assert hs[start + 5].startswith("6. Trách nhiệm nêu gương của bản thân và gia đình")
    assert hs[start + 6 : start + 6 + len(CA_NHAN_SECTIONS)] == CA_NHAN_SECTIONS
    texts = [p.text for p in part_b(f2a)]
    assert texts[2] == phu_luc_sentence("cá nhân giữ chức vụ lãnh đạo, quản lý", 3)
    assert ATTACHMENT_2B not in texts


def test_2b_form_is_the_official_one(render_doc):
    doc = render_doc("bao_cao_kiem_diem", F2B)
    hs = headings(doc)
    i = hs.index("I. Ưu điểm, kết quả đạt được")
    assert hs[i + 1 : i + 4] == [
        CA_NHAN_1,
        "2. Việc thực hiện nhiệm vụ, quyền hạn và kết quả thực hiện các chỉ tiêu, nhiệm vụ được giao trong năm, gắn "
        "với hiệu quả, tiến độ, chất lượng công việc.",
        CA_NHAN_3,
    ]
    assert hs[i + 4 : i + 4 + len(CA_NHAN_SECTIONS)] == CA_NHAN_SECTIONS
    points = load_sample(F2B)["tu_danh_gia"]["diem"]
    assert [p.text for p in part_b(doc)] == [
        *PART_B,
        phu_luc_sentence("cá nhân không giữ chức vụ lãnh đạo, quản lý", 4),
        f"1. Nhóm tiêu chí chung: {points['nhom_1']}/30",
        f"2. Nhóm tiêu chí về kết quả thực hiện nhiệm vụ: {points['nhom_2']}/70",
        f"Tổng điểm: {points['tong']}/100",
        "II. Đề xuất xếp loại mức chất lượng:",
        *LEVEL_LINES,
        ATTACHMENT_2B,
    ]


def test_2c_items_are_2c_own(render_doc):
    f2c = render_doc("bao_cao_kiem_diem", F2C)
    note = f2c.find("(Đảng viên không làm việc trong hệ thống chính trị)")
    assert note.all("italic") and note.align == "center"
    hs = headings(f2c)
    i = hs.index("I. Ưu điểm, kết quả đạt được")
    assert hs[i + 1 : i + 4] == [
        CA_NHAN_1,
        "2. Việc thực hiện quyền và nghĩa vụ của đảng viên theo các nhiệm vụ chính trị được cấp uỷ, chi bộ phân công.",
        CA_NHAN_3,
    ]
    texts = [p.text for p in part_b(f2c)]
    assert texts[2] == phu_luc_sentence("đảng viên không làm việc trong hệ thống chính trị", 5)
    assert texts[6:11] == ["II. Đề xuất xếp loại mức chất lượng:", *LEVEL_LINES]
    assert ATTACHMENT_2B not in f2c.texts()


def test_individual_self_rating_and_signature(f2a):
    chosen = f2a.find("Hoàn thành tốt nhiệm vụ")
    assert chosen.all("bold") and not f2a.find("Hoàn thành nhiệm vụ").all("bold")
    assert "Tổng điểm: 86/100" in f2a.texts()
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


def test_confirmation_blocks_empty_are_dotted(render_doc, profile):
    f2b = render_doc("bao_cao_kiem_diem", F2B)
    decided = after(f2b, "KẾT QUẢ XẾP LOẠI CỦA CẤP CÓ THẨM QUYỀN")
    assert decided[0].text == "Xếp loại chất lượng: \t" and decided[0].style == "DGDongCham"
    name_to_write = "…" * profile.element("ho_ten_nguoi_ky")["fill_chars"]  # the profile's row of dots
    assert len(name_to_write) >= 10
    assert [p.text for p in decided[1:4]] == ["T/M ĐẢNG ỦY", "BÍ THƯ", name_to_write]
    f2c = render_doc("bao_cao_kiem_diem", F2C)
    chi_bo = f2c.paras[f2c.index("NHẬN XÉT, ĐÁNH GIÁ CỦA CHI ỦY (CHI BỘ)") + 1 : f2c.index("T/M CHI ỦY (CHI BỘ)")]
    lines = profile.element("dong_cham")["blank_lines"]  # the comment to write by hand, then the proposal's line
    assert lines >= 2 and len(dotted(chi_bo)) == lines + 1
    assert chi_bo[lines].text == "Chi bộ đề xuất xếp loại chất lượng: \t"


def test_2023_forms_follow_the_2023_layout(render_doc):
    """02A/02B (Hướng dẫn 25): "BẢN KIỂM ĐIỂM CÁ NHÂN", "Năm …", the post subtitle, the particulars of the
    2023 form, a level per item instead of the 2019 table of five criteria (reference §4.2)."""
    doc = render_doc("bao_cao_kiem_diem", F02A)
    body = [p.text for p in doc.body() if p.text.strip()]
    assert body[:4] == ["BẢN KIỂM ĐIỂM CÁ NHÂN", "Năm 2023", "(Cá nhân không giữ chức vụ lãnh đạo, quản lý)", "-----"]
    particulars = [p.text.split(":")[0] for p in doc.paras if p.style == "DGDongCham"][:7]
    assert particulars == [
        "Họ và tên",
        "Ngày sinh",
        "Chức vụ Đảng",
        "Chức vụ chính quyền",
        "Chức vụ đoàn thể",
        "Đơn vị công tác",
        "Chi bộ Cơ quan Ủy ban nhân dân phường",
    ]
    assert not any(t and t[0][0] == "STT" for t in tables(doc))  # no criteria table
    levels = [t for t in doc.texts() if t.startswith("Tự đánh giá về cấp độ thực hiện:")]
    data = load_sample(F02A)["tu_danh_gia"]["tieu_chi"]
    assert levels == [
        "Tự đánh giá về cấp độ thực hiện: "
        + "   ".join(("■ " if lv == want else "□ ") + lv for lv in ("Xuất sắc", "Tốt", "Trung bình", "Kém"))
        for want in (data["pham_chat"], data["nhiem_vu"], data["cam_ket"])
    ]
    assert "■ Hoàn thành tốt nhiệm vụ" in doc.texts() and "□ Hoàn thành nhiệm vụ" in doc.texts()
    assert doc.find("Trần Thị Thu Trang").all("bold")
    assert "B. NỘI DUNG TỰ ĐÁNH GIÁ, XẾP LOẠI" not in doc.texts()


def test_02b_has_the_leadership_items_and_subtitle(render_doc):
    data = load_sample(F02A)
    data["mau"] = "02B"
    data["uu_diem"].update(
        lanh_dao_quan_ly=["Lãnh đạo bộ phận hoàn thành nhiệm vụ."],
        trach_nhiem_doi_moi=["Dám nghĩ, dám làm."],
        neu_guong=["Gương mẫu."],
    )
    data["tu_danh_gia"]["tieu_chi"]["neu_guong"] = "Xuất sắc"
    doc = render_doc("bao_cao_kiem_diem", data)
    assert "(Cá nhân giữ chức vụ lãnh đạo, quản lý)" in doc.texts()
    hs = headings(doc)
    i = hs.index("I. Ưu điểm, kết quả đạt được")
    assert [h.split(".")[0] for h in hs[i + 1 : i + 7]] == ["1", "2", "3", "4", "5", "6"]
    assert hs[i + 6] == "6. Việc thực hiện cam kết tu dưỡng, rèn luyện, phấn đấu hằng năm:"
    assert len([t for t in doc.texts() if t.startswith("Tự đánh giá về cấp độ thực hiện:")]) == 6


BLANK = {
    "hinh_thuc": "ca_nhan",
    "mau": "2B",
    "nam": 2025,
    "dang_bo": "Đảng bộ phường Hồng Quang",
    "chi_bo": "Chi bộ Khu dân cư số 1",
    "dia_danh": "Hồng Quang",
    "ca_nhan": {"ho_ten": "Hồ Thị Yến", "ngay_sinh": "1994-07-07"},
}


@pytest.mark.parametrize("mau", ["2A", "2B", "2C"])
def test_blank_prefilled_form_prints_lines_to_fill(render_doc, mau):
    doc = render_doc("bao_cao_kiem_diem", {**BLANK, "mau": mau})
    assert "Hồng Quang, ngày …… tháng …… năm 2025" in doc.texts()
    doc.find("Họ và tên: Hồ Thị Yến")
    assert doc.find("Đơn vị công tác: \t").style == "DGDongCham"
    assert ("Chức vụ đảng: \t" in doc.texts()) == (mau == "2A")
    items = 6 if mau == "2A" else 3
    sections = items + 2 + 4  # I.1-…, II.1-2, III, IV, V, VI
    assert len(dotted(doc.paras)) >= sections * 3
    for line in (
        "1. Nhóm tiêu chí chung: …/30",
        "2. Nhóm tiêu chí về kết quả thực hiện nhiệm vụ: …/70",
        "Tổng điểm: …/100",
    ):
        doc.find(line)
    assert all(doc.find(level).none("bold") for level in LEVEL_LINES)


def test_blank_2023_form(render_doc):
    doc = render_doc("bao_cao_kiem_diem", {**BLANK, "che_do": "qd124_2023", "mau": "02A", "nam": 2023})
    assert "Chức vụ Đảng: \t" in doc.texts() and "Chi bộ Khu dân cư số 1" in doc.texts()
    empty = "Tự đánh giá về cấp độ thực hiện: □ Xuất sắc   □ Tốt   □ Trung bình   □ Kém"
    assert doc.texts().count(empty) == 3


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
        (
            lambda d: d["tu_danh_gia"].update(tieu_chi={"pham_chat": "Tốt"}),
            ("$.tu_danh_gia.tieu_chi", "criteria_not_used"),
        ),
        (
            lambda d: d["tu_danh_gia"].update(tien_do_nhiem_vu={"tong_so": 10, "hoan_thanh": 10, "cham_tien_do": 1}),
            ("$.tu_danh_gia.tien_do_nhiem_vu", "task_conditions"),
        ),
        (
            lambda d: d["tu_danh_gia"].update(dieu_kien_htxs={"khong_co_ky_luat": True}),
            ("$.tu_danh_gia.dieu_kien_htxs.khong_co_ky_luat", "field_not_in_form"),
        ),
        (lambda d: d.update(muc_ky_luat="khien_trach"), ("$.ky_luat_trong_nam", "discipline_inconsistent")),
        (lambda d: d.update(ngay="2025-08-01"), ("$.che_do", "date_order")),  # before Quy định 366 existed
        (lambda d: d["ca_nhan"].update(ngay_sinh="2025-12-31"), ("$.ca_nhan.ngay_sinh", "date_order")),
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
    assert _codes(data) == {
        ("$.ban_hanh.ngay_ban_hanh", "date_outside_year"),
        ("$.mau", "form_not_in_regime"),
        ("$.che_do", "date_order"),  # a report of 2024 cannot use the form of Quy định 366 (30/8/2025)
        ("$.mo_dau[0]", "date_order"),  # nor cite the plan of 27/11/2025
    }
    message = next(p.message for p in docgen.validate("bao_cao_kiem_diem", data) if p.path == "$.mo_dau[0]")
    assert "30/12/2024" in message and "27/11/2025" in message


def test_2a_discipline_under_qd366_depends_on_the_violation():
    data = copy.deepcopy(load_sample(F2A))
    data["ky_luat_trong_nam"] = True
    data["muc_ky_luat"] = "khien_trach"
    found = _codes(data)
    assert ("$.tu_danh_gia.tu_xep_loai", "discipline") in found  # kind not recorded
    data["vi_pham_ky_luat"] = "dieu_cam"  # not a listed violation for a leader (Điều 11)
    assert not any(code == "discipline" for _, code in _codes(data))
    data["vi_pham_ky_luat"] = "cong_vu"
    assert ("$.tu_danh_gia.tu_xep_loai", "discipline") in _codes(data)


def test_failing_form_writes_no_file(workdir, capsys):
    data = copy.deepcopy(load_sample(F2A))
    data["ky_luat_trong_nam"] = True
    src = workdir / "ban_kiem_diem.json"
    src.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert cli(["render", "bao_cao_kiem_diem", str(src), "-o", "ra.docx"]) == 1
    err = capsys.readouterr().err
    assert "$.tu_danh_gia.tu_xep_loai" in err and "[discipline]" in err
    assert not (workdir / "ra.docx").exists()


def test_a_post_the_2b_form_has_no_line_for_is_said_not_dropped_silently(render_doc):
    data = copy.deepcopy(load_sample(F2B))
    data["ca_nhan"]["chuc_vu_dang"] = "Chi ủy viên"
    problems = docgen.validate("bao_cao_kiem_diem", data)
    assert [(p.path, p.code, p.severity) for p in problems] == [
        ("$.ca_nhan.chuc_vu_dang", "field_not_printed", "warning")
    ]
    doc = render_doc("bao_cao_kiem_diem", data)  # still made, as the official form
    assert not any("Chi ủy viên" in t for t in doc.texts())
