"""Importing plans typed in Word: automatic numbering (the label is not in the text: numbering.xml says it),
Heading styles, bullets by indent — documents built here with python-docx and raw numbering definitions."""

from __future__ import annotations

import docx
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

from conftest import outline_shape

import docgen
from docgen.importer import import_document

W = nsdecls("w")


def _lvl(ilvl: int, fmt: str, text: str, *, style: str | None = None, start: int = 1, indent: int | None = None):
    pstyle = f'<w:pStyle w:val="{style}"/>' if style else ""
    ind = indent if indent is not None else 720 * (ilvl + 1)
    return (
        f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="{start}"/><w:numFmt w:val="{fmt}"/>{pstyle}'
        f'<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/><w:pPr><w:ind w:left="{ind}" w:hanging="360"/></w:pPr>'
        "</w:lvl>"
    )


class _Lists:
    """Numbering definitions added to a python-docx document."""

    def __init__(self, doc):
        self.doc = doc
        self.numbering = doc.part.numbering_part.element
        self.next_abstract = 100
        self.next_num = 100

    def define(self, *levels) -> str:
        """An abstract definition and one list instance of it; returns the abstract's id."""
        aid = str(self.next_abstract)
        self.next_abstract += 1
        abstract = parse_xml(f'<w:abstractNum {W} w:abstractNumId="{aid}">{"".join(levels)}</w:abstractNum>')
        first_num = self.numbering.find(parse_xml(f"<w:num {W}/>").tag)
        if first_num is not None:
            first_num.addprevious(abstract)
        else:
            self.numbering.append(abstract)
        return aid

    def instance(self, aid: str, restart: dict[int, int] | None = None) -> str:
        nid = str(self.next_num)
        self.next_num += 1
        overrides = "".join(
            f'<w:lvlOverride w:ilvl="{i}"><w:startOverride w:val="{v}"/></w:lvlOverride>'
            for i, v in (restart or {}).items()
        )
        self.numbering.append(
            parse_xml(f'<w:num {W} w:numId="{nid}"><w:abstractNumId w:val="{aid}"/>{overrides}</w:num>')
        )
        return nid

    def link_style(self, style_name: str, nid: str) -> None:
        """A paragraph style numbered by a list (as Word's "Heading 1" linked to a multilevel list)."""
        ppr = self.doc.styles[style_name].element.get_or_add_pPr()
        ppr.insert(0, parse_xml(f'<w:numPr {W}><w:numId w:val="{nid}"/></w:numPr>'))


def _numbered(doc, text: str, nid: str, ilvl: int, style: str | None = None):
    p = doc.add_paragraph(text, style=style)
    p._p.get_or_add_pPr().insert(
        0, parse_xml(f'<w:numPr {W}><w:ilvl w:val="{ilvl}"/><w:numId w:val="{nid}"/></w:numPr>')
    )
    return p


def _header(doc, title="KẾ HOẠCH", subject="kiểm điểm, đánh giá, xếp loại chất lượng năm 2025"):
    left, right = doc.add_table(rows=1, cols=2).rows[0].cells
    left.paragraphs[0].add_run("ĐẢNG BỘ TỈNH THÁI NGUYÊN")
    left.add_paragraph().add_run("ĐẢNG ỦY PHƯỜNG TÂN LẬP").bold = True
    left.add_paragraph("*")
    left.add_paragraph("Số 12-KH/ĐU")
    right.paragraphs[0].add_run("ĐẢNG CỘNG SẢN VIỆT NAM").bold = True
    right.add_paragraph().add_run("Tân Lập, ngày 10 tháng 11 năm 2025").italic = True
    doc.add_paragraph().add_run(title).bold = True
    doc.add_paragraph(subject)
    doc.add_paragraph("-----")
    doc.add_paragraph("Ban Thường vụ Đảng ủy phường xây dựng kế hoạch như sau:")


def _tail(doc):
    recipients, signer = doc.add_table(rows=1, cols=2).rows[0].cells
    recipients.paragraphs[0].add_run("Nơi nhận:")
    recipients.add_paragraph("- Các chi bộ trực thuộc,")
    recipients.add_paragraph("- Lưu Văn phòng Đảng ủy.")
    signer.paragraphs[0].add_run("T/M BAN THƯỜNG VỤ").bold = True
    for line in ("BÍ THƯ", "Lê Thị Mai"):
        signer.add_paragraph(line)


def test_headings_numbered_by_a_list_linked_to_their_styles(tmp_path):
    """Heading 1–3 numbered "I." / "1." / "1.1." by one multilevel list: the labels are nowhere in the text."""
    doc = docx.Document()
    lists = _Lists(doc)
    aid = lists.define(
        _lvl(0, "upperRoman", "%1.", style="Heading1"),
        _lvl(1, "decimal", "%2.", style="Heading2"),
        _lvl(2, "decimal", "%2.%3.", style="Heading3"),
    )
    nid = lists.instance(aid)
    for level in (1, 2, 3):
        lists.link_style(f"Heading {level}", nid)
    _header(doc)
    doc.add_heading("MỤC ĐÍCH, YÊU CẦU", 1)
    doc.add_heading("Mục đích", 2)
    doc.add_paragraph("Đánh giá đúng kết quả thực hiện nhiệm vụ của tập thể, cá nhân.")
    doc.add_heading("Yêu cầu", 2)
    doc.add_heading("Đối với tập thể", 3)
    doc.add_paragraph("Kiểm điểm nghiêm túc, đúng quy trình.")
    doc.add_heading("Đối với cá nhân", 3)
    doc.add_heading("TỔ CHỨC THỰC HIỆN", 1)
    doc.add_heading("Các chi bộ", 2)
    doc.add_paragraph("Triển khai đến từng đảng viên.")
    _tail(doc)
    doc.save(tmp_path / "word.docx")

    imported = import_document("ke_hoach", tmp_path / "word.docx")
    assert imported.problems == []
    data = imported.data
    assert "danh_so" not in data  # I. 1. 1.1. is the start of the default scheme
    assert outline_shape(data["noi_dung"]) == [
        "tieu_de: MỤC ĐÍCH, YÊU CẦU",
        "  tieu_de: Mục đích",
        "    · Đánh giá đúng kết quả thực hiện nhiệm vụ của tập thể, cá nhân.",
        "  tieu_de: Yêu cầu",
        "    tieu_de: Đối với tập thể",
        "      · Kiểm điểm nghiêm túc, đúng quy trình.",
        "    tieu_de: Đối với cá nhân",
        "tieu_de: TỔ CHỨC THỰC HIỆN",
        "  tieu_de: Các chi bộ",
        "    · Triển khai đến từng đảng viên.",
    ]
    assert [(r.typed, r.printed) for r in imported.numbering] == [
        ("I.", "I."),
        ("1.", "1."),
        ("2.", "2."),
        ("2.1.", "2.1."),
        ("2.2.", "2.2."),
        ("II.", "II."),
        ("1.", "1."),
    ]
    assert [r.line.loc.unit for r in imported.numbering] == ["đoạn"] * 7
    assert docgen.validate("ke_hoach", data) == []


def test_word_lists_count_across_instances_restart_on_override_and_keep_their_style(tmp_path):
    """Counters belong to the definition: a second instance of it continues, a start override restarts; the
    styles "A.", "(1)", "a)" are the document's own; bullets nest by indent."""
    doc = docx.Document()
    lists = _Lists(doc)
    parts = lists.define(_lvl(0, "upperLetter", "%1."))
    items = lists.define(_lvl(0, "decimal", "(%1)"), _lvl(1, "lowerLetter", "%2)"))
    bullets = lists.define(_lvl(0, "bullet", "\uf0b7", indent=720), _lvl(1, "bullet", "o", indent=1440))
    p1, p2 = lists.instance(parts), lists.instance(parts)  # two instances, one count
    first, again = lists.instance(items), lists.instance(items, restart={0: 1})
    b = lists.instance(bullets)
    _header(doc)
    _numbered(doc, "KIỂM ĐIỂM", p1, 0).runs[0].bold = True
    _numbered(doc, "Tập thể lãnh đạo kiểm điểm trước.", first, 0)
    _numbered(doc, "Chuẩn bị báo cáo", first, 1)
    _numbered(doc, "Lấy ý kiến góp ý", first, 1)
    _numbered(doc, "Cá nhân kiểm điểm sau.", first, 0)
    _numbered(doc, "Ý thứ nhất", b, 0)
    _numbered(doc, "Ý con", b, 1)
    _numbered(doc, "ĐÁNH GIÁ", p2, 0).runs[0].bold = True
    _numbered(doc, "Đánh giá tập thể trước.", again, 0)
    _numbered(doc, "Đánh giá cá nhân sau.", again, 0)
    _tail(doc)
    doc.save(tmp_path / "word.docx")

    imported = import_document("ke_hoach", tmp_path / "word.docx")
    assert imported.problems == []
    data = imported.data
    assert data["danh_so"] == ["A.", "(1)", "a)"]
    assert [(r.typed, r.printed) for r in imported.numbering] == [
        ("A.", "A."),
        ("(1)", "(1)"),
        ("a)", "a)"),
        ("b)", "b)"),
        ("(2)", "(2)"),
        ("B.", "B."),  # the second instance continues the first
        ("(1)", "(1)"),  # the start override restarts
        ("(2)", "(2)"),
    ]
    assert outline_shape(data["noi_dung"]) == [
        "tieu_de: KIỂM ĐIỂM",
        "  doan: Tập thể lãnh đạo kiểm điểm trước.",
        "    tieu_de: Chuẩn bị báo cáo",
        "    tieu_de: Lấy ý kiến góp ý",
        "  doan: Cá nhân kiểm điểm sau.",
        "    gach: Ý thứ nhất",
        "      gach: Ý con",
        "tieu_de: ĐÁNH GIÁ",
        "  doan: Đánh giá tập thể trước.",
        "  doan: Đánh giá cá nhân sau.",
    ]
    assert "dau_dong" not in data  # the two indents print "-" and "+"
    texts = [p.text for p in docx.Document(__import__("io").BytesIO(docgen.render("ke_hoach", data))).paragraphs]
    for t in (
        "A. KIỂM ĐIỂM",
        "(1) Tập thể lãnh đạo kiểm điểm trước.",
        "b) Lấy ý kiến góp ý",
        "- Ý thứ nhất",
        "+ Ý con",
    ):
        assert t in texts, t


def test_headings_without_numbers_get_the_usual_ones_and_say_so(tmp_path):
    doc = docx.Document()
    _header(doc)
    doc.add_heading("MỤC ĐÍCH", 1)
    doc.add_paragraph("Nâng cao chất lượng sinh hoạt chi bộ.")
    doc.add_heading("Đối với chi bộ", 2)
    doc.add_paragraph("Sinh hoạt đúng định kỳ.")
    doc.add_heading("TỔ CHỨC THỰC HIỆN", 1)
    doc.add_paragraph("Các chi bộ triển khai thực hiện.")
    _tail(doc)
    doc.save(tmp_path / "word.docx")

    imported = import_document("ke_hoach", tmp_path / "word.docx")
    assert outline_shape(imported.data["noi_dung"]) == [
        "tieu_de: MỤC ĐÍCH",
        "  · Nâng cao chất lượng sinh hoạt chi bộ.",
        "  tieu_de: Đối với chi bộ",
        "    · Sinh hoạt đúng định kỳ.",
        "tieu_de: TỔ CHỨC THỰC HIỆN",
        "  · Các chi bộ triển khai thực hiện.",
    ]
    [warning] = imported.problems
    assert warning.code == "heading_unnumbered" and warning.severity == "warning"
    assert "3 đề mục" in warning.message and "“I.”, “1.”" in warning.message
    assert warning.where.startswith("đoạn ") and "“MỤC ĐÍCH”" in warning.where
    assert warning.path == "$.noi_dung[0]"


def test_typed_labels_in_heading_styles_and_bold_numbered_lines(tmp_path):
    """Labels typed by hand in Heading paragraphs, or in bold Normal ones: the style the document uses."""
    doc = docx.Document()
    _header(doc)
    doc.add_heading("I- MỤC ĐÍCH", 1)
    doc.add_paragraph().add_run("1- Nâng cao nhận thức").bold = True
    doc.add_paragraph("Mỗi đảng viên tự soi, tự sửa.")
    doc.add_heading("II- TỔ CHỨC THỰC HIỆN", 1)
    doc.add_paragraph().add_run("1- Các chi bộ").bold = True
    doc.add_paragraph("Triển khai đến từng đảng viên.")
    _tail(doc)
    doc.save(tmp_path / "word.docx")

    imported = import_document("ke_hoach", tmp_path / "word.docx")
    assert imported.problems == []
    assert imported.data["danh_so"] == ["I-", "1-"]
    assert outline_shape(imported.data["noi_dung"]) == [
        "tieu_de: MỤC ĐÍCH",
        "  tieu_de: Nâng cao nhận thức",
        "    · Mỗi đảng viên tự soi, tự sửa.",
        "tieu_de: TỔ CHỨC THỰC HIỆN",
        "  tieu_de: Các chi bộ",
        "    · Triển khai đến từng đảng viên.",
    ]


def test_header_and_signature_typed_as_columns_with_tabs(tmp_path):
    """No table: the right column pushed over with tabs ("ĐẢNG BỘ …⇥⇥ĐẢNG CỘNG SẢN VIỆT NAM", "Nơi nhận:⇥⇥T/M …")."""
    doc = docx.Document()
    doc.add_paragraph("ĐẢNG BỘ TỈNH BÌNH ĐỊNH\t\tĐẢNG CỘNG SẢN VIỆT NAM")
    doc.add_paragraph("ĐẢNG ỦY XÃ NHƠN AN\t\tNhơn An, ngày 18 tháng 11 năm 2024")
    for text in ("*", "Số 12-KH/ĐU", "KẾ HOẠCH", "kiểm điểm năm 2024", "I. MỤC ĐÍCH"):
        doc.add_paragraph(text)
    doc.add_paragraph("\tĐánh giá đúng chất lượng tổ chức đảng.")  # a first-line tab is no column
    doc.add_paragraph("Nơi nhận:\t\t\tT/M ĐẢNG ỦY")
    doc.add_paragraph("- Các chi bộ,\t\t\tBÍ THƯ")
    doc.add_paragraph("- Lưu Văn phòng.")
    doc.add_paragraph("\t\t\t\tLê Văn An")
    doc.save(tmp_path / "word.docx")

    imported = import_document("ke_hoach", tmp_path / "word.docx")
    assert imported.problems == []
    data = imported.data
    assert data["ban_hanh"] == {
        "cap_tren": "Đảng bộ tỉnh Bình Định",
        "co_quan_ban_hanh": "Đảng ủy xã Nhơn An",
        "so": 12,
        "ky_hieu": "KH/ĐU",
        "dia_danh": "Nhơn An",
        "ngay_ban_hanh": "2024-11-18",
    }
    assert data["noi_dung"] == [{"tieu_de": "MỤC ĐÍCH", "noi_dung": ["Đánh giá đúng chất lượng tổ chức đảng."]}]
    assert data["nguoi_ky"] == {"tham_quyen": "T/M Đảng ủy", "chuc_vu": "Bí thư", "ho_ten": "Lê Văn An", "da_ky": False}
    assert data["noi_nhan"] == ["Các chi bộ", "Lưu Văn phòng"]
