"""Importing the outline: label styles read from the document, their levels from the order styles open and
close, typing slips tolerated and reported once with the number the engine will print; paragraphs of a PDF
copy told apart (a heading and the text after it, inline enumerations kept as written)."""

from __future__ import annotations

import pytest

from conftest import outline_shape

import docgen
from docgen.importer import import_document
from docgen.importer.numbering import parse_label

HEAD = "CHI BỘ THÔN 1\n*\nSố 1-KH/CB\nThôn 1, ngày 2 tháng 3 năm 2025\nKẾ HOẠCH\nthử nghiệm\n"
TAIL = "Nơi nhận:\n- Lưu Chi bộ.\nT/M CHI BỘ\nBÍ THƯ\nLê Văn An\n"


def _import(tmp_path, body: str):
    path = tmp_path / "plan.txt"
    path.write_text(HEAD + body + TAIL, encoding="utf-8")
    return import_document("ke_hoach", path)


def _warnings(imported):
    return [(p.where.split(",")[0], p.code, p.message) for p in imported.problems]


# ---------------------------------------------------------------- labels


@pytest.mark.parametrize(
    "text, key, example, numbers",
    [
        ("I. MỤC ĐÍCH", "I.", "I.", (1,)),
        ("IV- NHIỆM VỤ", "I-", "I-", (4,)),
        ("II – TỔ CHỨC", "I-", "I -", (2,)),
        ("B. ĐÁNH GIÁ", "A.", "A.", (2,)),
        ("A - KIỂM ĐIỂM", "A-", "A -", (1,)),
        ("3. Nơi kiểm điểm", "1.", "1.", (3,)),
        ("2- Yêu cầu", "1-", "1-", (2,)),
        ("2/ Yêu cầu", "1/", "1/", (2,)),
        ("2.3. Cá nhân", "1.1.", "1.1.", (2, 3)),
        ("2.3 Cá nhân", "1.1", "1.1", (2, 3)),
        ("2.3.1. Cá nhân", "1.1.1.", "1.1.1.", (2, 3, 1)),
        ("đ) Năm", "a)", "a)", (5,)),
        ("e. Sáu", "a.", "a.", (6,)),
        ("(12) Mười hai", "(1)", "(1)", (12,)),
        ("(b) Hai", "(a)", "(a)", (2,)),
        ("Bước 2: Thẩm định", "Bước 1:", "Bước 1:", (2,)),
        ("Điều 3. Tổ chức thực hiện", "Điều 1.", "Điều 1.", (3,)),
        ("Phần II. NỘI DUNG", "Phần I.", "Phần I.", (2,)),
        ("**1. Mục đích**", "1.", "1.", (1,)),
    ],
)
def test_label_styles(text, key, example, numbers):
    label = parse_label(text)
    assert (label.key, label.example, label.numbers) == (key, example, numbers)


@pytest.mark.parametrize(
    "text",
    ["2025 là năm", "10/11/2025 ban hành", "1.000 đảng viên", "(i) Công tác", "V/v kiểm điểm", "2 đồng chí", "(1 Sai"],
)
def test_not_labels(text):
    assert parse_label(text) is None


# ---------------------------------------------------------------- levels from the order styles open and close


def test_the_scheme_is_read_from_the_document(tmp_path):
    """The đảng ủy khối plan: I. → A. → 1. → 1.1. → a. → - → +, its first part with "1." straight under "I."
    and "a." items under several parents — never capitals, never another level."""
    body = "I. MỤC ĐÍCH, YÊU CẦU\n1. Mục đích\n2. Yêu cầu\nII. NỘI DUNG\nA. KIỂM ĐIỂM\n1. Đối tượng\n1.1. Tập thể\n"
    body += "".join(f"{c}. Ý {c}\n- Gạch {c}\n+ Cộng {c}\n" for c in "abcdđeghi")
    body += "1.2. Cá nhân\n" + "".join(f"{c}. Ý {c}\n" for c in "abcd")
    body += "2. Nội dung\n2.1. Đối với tập thể\na. Ý a\nB. ĐÁNH GIÁ, XẾP LOẠI\n1. Đối tượng\nIII. TỔ CHỨC THỰC HIỆN\n"
    imported = _import(tmp_path, body)
    data = imported.data
    assert data["danh_so"] == ["I.", "A.", "1.", "1.1.", "a."] and "dau_dong" not in data  # - + is the default
    shape = outline_shape(data["noi_dung"])
    assert shape[:3] == ["tieu_de: MỤC ĐÍCH, YÊU CẦU", "  tieu_de: Mục đích [cap 3]", "  tieu_de: Yêu cầu [cap 3]"]
    assert "        tieu_de: Ý i" in shape and "          gach: Gạch i" in shape and "            gach: Cộng i" in shape
    assert "  tieu_de: ĐÁNH GIÁ, XẾP LOẠI" in shape and "tieu_de: TỔ CHỨC THỰC HIỆN" in shape
    assert [p.code for p in imported.problems] == []
    assert all(r.typed == r.printed for r in imported.numbering)
    assert docgen.validate("ke_hoach", data) == []


def test_roman_or_letter_by_what_the_item_continues(tmp_path):
    body = (
        "A. PHẦN MỘT\nB. PHẦN HAI\nC. PHẦN BA\nD. PHẦN BỐN\nI. MỤC\nII. MỤC HAI\nIII. MỤC BA\nIV. MỤC BỐN\nV. MỤC NĂM\n"
    )
    imported = _import(tmp_path, body)
    assert imported.data["danh_so"] == ["A.", "I."]
    assert [r.printed for r in imported.numbering] == ["A.", "B.", "C.", "D.", "I.", "II.", "III.", "IV.", "V."]


def test_a_style_back_at_its_level_closes_the_deeper_ones(tmp_path):
    """ "1.2." after "a." goes back to the "1.1." level; "a." under "1.1." in one part and straight under "1." in
    another is the same level, skipped."""
    body = "I. MỘT\n1. Một\n1.1. Một một\na) Ý a\nb) Ý b\n1.2. Một hai\n2. Hai\na) Ý thẳng\nb) Ý thẳng hai\n"
    imported = _import(tmp_path, body)
    assert outline_shape(imported.data["noi_dung"]) == [
        "tieu_de: MỘT",
        "  tieu_de: Một",
        "    tieu_de: Một một",
        "      tieu_de: Ý a",
        "      tieu_de: Ý b",
        "    tieu_de: Một hai",
        "  tieu_de: Hai",
        "    tieu_de: Ý thẳng [cap 4]",
        "    tieu_de: Ý thẳng hai [cap 4]",
    ]
    assert imported.problems == []


def test_a_slip_into_the_wrong_style_is_tolerated_and_said_once(tmp_path):
    """ "1.2." typed where "b." was meant, under "a.": it goes back to the level of its style, and the warning
    says the number it will have."""
    body = "I. MỘT\n1. Đối tượng\n1.1. Tập thể\n1.2. Cá nhân\n2. Nội dung\na. Đối với tập thể\n1.2. Đối với cá nhân\n"
    body += "3. Cách thức\n"
    imported = _import(tmp_path, body)
    assert outline_shape(imported.data["noi_dung"])[-4:] == [
        "  tieu_de: Nội dung",
        "    tieu_de: Đối với tập thể [cap 4]",
        "    tieu_de: Đối với cá nhân",
        "  tieu_de: Cách thức",
    ]
    assert _warnings(imported) == [
        ("dòng 13", "numbering_mismatch", "Mục có số “1.2.” nằm dưới mục “2.”; hệ thống sẽ đánh số “2.1.”.")
    ]
    assert imported.problems[0].path == "$.noi_dung[0].noi_dung[1].noi_dung[1]"


def test_typed_numbers_only_breaks_in_the_document_are_reported(tmp_path):
    """A skipped number, a repeated one, a first item not 1: one warning each, with the printed number; the
    items after a slip follow it and are not reported again (the report shows them)."""
    body = "I. MỘT\n1. Một\n2. Hai\n4. Bốn\n5. Năm\n5. Năm lặp\nII. HAI\n2. Đầu\n2.1. Con\n2.2. Con hai\n"
    imported = _import(tmp_path, body)
    assert _warnings(imported) == [
        (
            "dòng 10",
            "numbering_mismatch",
            "Mục có số “4.” đứng sau mục “2.” cùng cấp; hệ thống sẽ đánh số “3.” và đánh số lại các mục sau cùng cấp.",
        ),
        # repeated: said, though after the slip above it prints as typed
        ("dòng 12", "numbering_mismatch", "Mục có số “5.” đứng sau mục “5.” cùng cấp; hệ thống sẽ đánh số “5.”."),
        ("dòng 14", "numbering_mismatch", "Mục có số “2.” là mục đầu tiên dưới mục “II.”; hệ thống sẽ đánh số “1.”."),
    ]
    assert [(r.typed, r.printed) for r in imported.numbering][4:] == [
        ("5.", "4."),  # follows the slip: not reported again
        ("5.", "5."),
        ("II.", "II."),
        ("2.", "1."),
        ("2.1.", "1.1."),
        ("2.2.", "1.2."),
    ]


def test_latin_letters_are_said_once(tmp_path):
    imported = _import(tmp_path, "I. MỘT\na) Một\nb) Hai\nc) Ba\nd) Bốn\ne) Năm\nf) Sáu\n")
    assert _warnings(imported) == [
        (
            "dòng 12",
            "latin_letters",
            "Văn bản đánh chữ cái theo bảng chữ cái Latinh (“d)” rồi “e)”); hệ thống đánh theo bảng chữ cái tiếng Việt "
            "(a, b, c, d, đ, e, g …): mục này in là “đ)”.",
        )
    ]
    assert [r.printed for r in imported.numbering][-2:] == ["đ)", "e)"]


def test_more_styles_than_levels(tmp_path):
    body = "Phần I. MỘT\nI. MỤC\nA. CON\n1. Ý\n1.1. Ý con\na) Nhỏ\n(1) Rất nhỏ\nPhần II. HAI\nI- Khác\n"
    imported = _import(tmp_path, body)
    assert imported.data["danh_so"] == ["Phần I.", "I.", "A.", "1.", "1.1.", "a)"]
    assert [p.code for p in imported.problems] == ["numbering_too_deep", "numbering_styles"]  # in line order
    assert "các mục kiểu “(1)” được đặt ngang cấp “a)”" in imported.problems[0].message
    assert "“I-” được in theo kiểu “I.”" in imported.problems[1].message
    assert docgen.validate("ke_hoach", imported.data) == []  # never data the engine cannot print


def test_bullets_by_mark_star_and_dot_their_own_levels(tmp_path):
    body = "I. MỘT\n1. Một\n+ cộng thẳng\n+ cộng hai\n2. Hai\n- Gạch\n+ Cộng con\n* Sao\n• Chấm\n3. Ba\n* Sao riêng\n"
    imported = _import(tmp_path, body)
    assert imported.data["dau_dong"] == ["-", "+", "*", "•"]
    assert outline_shape(imported.data["noi_dung"][0]["noi_dung"]) == [
        "tieu_de: Một",
        "  gach: cộng thẳng [cap 2]",
        "  gach: cộng hai [cap 2]",
        "tieu_de: Hai",
        "  gach: Gạch",
        "    gach: Cộng con",
        "      gach: Sao",
        "        gach: Chấm",
        "tieu_de: Ba",
        "  gach: Sao riêng [cap 3]",
    ]
    texts = [
        p.text
        for p in __import__("docx")
        .Document(__import__("io").BytesIO(docgen.render("ke_hoach", imported.data)))
        .paragraphs
    ]
    assert "+ cộng thẳng" in texts and "* Sao riêng" in texts and "• Chấm" in texts


# ---------------------------------------------------------------- paragraphs of a PDF copy

WRAPPED = """I. NỘI DUNG KIỂM ĐIỂM
a. Đối với tập thể
Tập thể lãnh đạo kiểm điểm làm rõ các nội dung: (1) việc chấp hành nguyên tắc tập trung dân
chủ, quy chế làm việc của cấp ủy; (2) kết quả thực hiện nhiệm vụ chính trị được giao trong năm;
(3) công tác xây dựng Đảng và hệ thống chính trị trong sạch, vững mạnh ở địa phương, đơn vị;
(4) việc khắc phục những hạn chế, khuyết điểm đã được cấp có thẩm quyền kết luận, chỉ ra.
Các chi bộ tổ chức kiểm điểm theo hướng dẫn của Đảng ủy và báo cáo kết quả đúng thời gian quy
định cho Văn phòng Đảng ủy để tổng hợp chung.
b. Đối với cá nhân
Mỗi đảng viên tập trung kiểm điểm các nội dung sau đây, bảo đảm trung thực, khách quan, cụ thể:
(1) Về phẩm chất chính trị, đạo đức, lối sống;
(2) Về ý thức tổ chức kỷ luật, tinh thần đoàn kết;
(3) Về kết quả thực hiện nhiệm vụ được giao.
"""


def test_a_heading_and_the_text_after_it_are_two_paragraphs(tmp_path):
    shape = outline_shape(_import(tmp_path, WRAPPED).data["noi_dung"])
    assert shape[1] == "  tieu_de: Đối với tập thể"
    assert shape[2].startswith("    · Tập thể lãnh đạo kiểm điểm")


def test_inline_enumerations_are_kept_as_written(tmp_path):
    """ "(3)" and "(4)" at the start of a line go on the enumeration the line above started; the paragraph
    after it stays its own; "(1)" items each on their own line are numbered items of their own level."""
    imported = _import(tmp_path, WRAPPED)
    shape = outline_shape(imported.data["noi_dung"])
    assert shape[2] == (
        "    · Tập thể lãnh đạo kiểm điểm làm rõ các nội dung: (1) việc chấp hành nguyên tắc tập trung dân chủ, "
        "quy chế làm việc của cấp ủy; (2) kết quả thực hiện nhiệm vụ chính trị được giao trong năm; (3) công tác "
        "xây dựng Đảng và hệ thống chính trị trong sạch, vững mạnh ở địa phương, đơn vị; (4) việc khắc phục những "
        "hạn chế, khuyết điểm đã được cấp có thẩm quyền kết luận, chỉ ra."
    )
    assert shape[3].startswith("    · Các chi bộ tổ chức kiểm điểm") and shape[3].endswith("tổng hợp chung.")
    assert shape[-3:] == [
        "    doan: Về phẩm chất chính trị, đạo đức, lối sống;",
        "    doan: Về ý thức tổ chức kỷ luật, tinh thần đoàn kết;",
        "    doan: Về kết quả thực hiện nhiệm vụ được giao.",
    ]
    assert imported.data["danh_so"] == ["I.", "a.", "(1)"] and imported.problems == []


def test_one_paragraph_per_line_copies_keep_headings_apart(tmp_path):
    """A copy with each paragraph on one long line: "Đối với tập thể" and "Tập thể lãnh đạo …" with no blank
    line between are two paragraphs, not "Đối với tập thể Tập thể lãnh đạo …"."""
    long = (
        "Tập thể lãnh đạo, quản lý chuẩn bị báo cáo kiểm điểm theo mẫu và gửi lấy ý kiến góp ý của các tổ chức, "
        "cá nhân có liên quan trước khi tổ chức hội nghị kiểm điểm ít nhất 03 ngày làm việc theo quy định."
    )
    body = f"I. NỘI DUNG KIỂM ĐIỂM\n\na. Đối với tập thể\n{long}\n\nb. Đối với cá nhân\nMỗi cá nhân làm bản tự "
    body += (
        "kiểm điểm theo mẫu quy định, tự nhận mức xếp loại chất lượng và gửi chi bộ trước ngày họp ít nhất 03 ngày.\n"
    )
    shape = outline_shape(_import(tmp_path, body).data["noi_dung"])
    assert shape[:3] == ["tieu_de: NỘI DUNG KIỂM ĐIỂM", "  tieu_de: Đối với tập thể", f"    · {long}"]
    assert shape[3] == "  tieu_de: Đối với cá nhân"


def test_articles_run_on_through_the_parts(tmp_path):
    body = "Phần I. QUY ĐỊNH CHUNG\nĐiều 1. Phạm vi\nĐiều 2. Đối tượng\nPhần II. NỘI DUNG\nĐiều 3. Kiểm điểm\n"
    imported = _import(tmp_path, body)
    assert imported.data["danh_so"] == ["Phần I.", "Điều 1."] and imported.problems == []
    assert [r.printed for r in imported.numbering] == ["Phần I.", "Điều 1.", "Điều 2.", "Phần II.", "Điều 3."]
    restarted = _import(tmp_path, body.replace("Điều 3.", "Điều 1."))
    assert _warnings(restarted) == [
        (
            "dòng 11",
            "numbering_mismatch",
            "Mục có số “Điều 1.” đứng sau mục “Điều 2.” cùng cấp; hệ thống sẽ đánh số “Điều 3.”.",
        )
    ]
