"""Template tools: `template new` copies a built-in template, `template vars` lists what a template can use,
`template check` reports every problem of a template variant at once, located by part and paragraph.

Broken templates are real .docx files: a copy of a built-in template with text replaced in one XML part."""

from __future__ import annotations

import json
import zipfile

import pytest
from docx_read import Doc
from test_bad_input import MINIMAL

import docgen
from docgen import kinds
from docgen.cli import main as cli
from docgen.errors import DocgenError, TemplateProblem
from docgen.paths import TEMPLATES_DIR
from docgen.renderer import FILTERS
from docgen.errors import Problem, TemplatePlace
from docgen.template_tools.lint import check_template
from docgen.template_tools.new import new_template
from docgen.template_tools.vars import template_vars
from docgen.validation import inlined_schema

BODY = "thân văn bản"
TITLE = "{{ trich_yeu }}"  # the kế hoạch's subject line: a paragraph of its own
TITLE_RUN = TITLE + "</w:t></w:r>"
TITLE_PARA = TITLE_RUN + "</w:p>"


def variant(
    tmp_path, kind: str, replace: dict[str, str], *, part: str = "word/document.xml", template: str | None = None
):
    """A copy of the kind's built-in template with text (XML) replaced, once each, in one part."""
    source = TEMPLATES_DIR / (template or kinds.get(kind).template)
    out = tmp_path / "variant.docx"
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(out, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == part:
                xml = data.decode("utf-8")
                for old, new in replace.items():
                    assert old in xml, f"{old!r} is not in {part} of {source.name}"
                    xml = xml.replace(old, new, 1)
                data = xml.encode("utf-8")
            zout.writestr(item, data)
    return out


def findings(tmp_path, kind, replace, **options) -> list[Problem]:
    return check_template(variant(tmp_path, kind, replace, **options), kind)


def only(found: list[Problem], code: str) -> Problem:
    assert [f.code for f in found] == [code], [str(f) for f in found]
    return found[0]


# ---------------------------------------------------------------- built-in templates

BUILT_IN = [(kind, name) for kind in kinds.names() for name in kinds.get(kind).layouts]


@pytest.mark.parametrize("kind, name", BUILT_IN)
def test_built_in_templates_have_no_findings(kind, name):
    assert [str(f) for f in check_template(TEMPLATES_DIR / name, kind)] == []


# ---------------------------------------------------------------- one test per rule


def test_jinja_syntax_error_is_located_in_its_paragraph(tmp_path):
    f = only(findings(tmp_path, "ke_hoach", {TITLE: "{{ trich_yeu | }}"}), "jinja_syntax")
    assert (f.where.part, f.where.where) == (BODY, "“{{ trich_yeu | }}”")
    assert "sai cú pháp Jinja" in f.message


def test_jinja_syntax_of_a_level_tag_docxtpl_cannot_convert(tmp_path):
    f = only(findings(tmp_path, "ke_hoach", {TITLE: '{%p if trich_yeu == "5%" %}'}), "jinja_syntax")
    assert f.where.where == '“{%p if trich_yeu == "5%" %}”'
    assert "docxtpl không chuyển được" in f.message


def test_error_only_the_whole_compile_finds_is_reported_too(tmp_path):
    twice = "{% block a %}{% endblock %}{% block a %}{% endblock %}"
    f = only(findings(tmp_path, "ke_hoach", {TITLE: twice}), "jinja_syntax")
    assert "defined twice" in f.message and f.where.where.startswith("“{% block a %}")


def test_unclosed_block_is_reported_where_it_opens(tmp_path):
    f = only(findings(tmp_path, "ke_hoach", {"{%p endfor %}": ""}), "unclosed_block")
    assert (f.where.part, f.where.where) == (BODY, "bảng 2, dòng 1, ô 1, “{%p for dong in noi_nhan %}”")
    assert "{% endfor %}" in f.message


def test_stray_end_tag(tmp_path):
    f = only(findings(tmp_path, "ke_hoach", {TITLE: TITLE + "{% endfor %}"}), "unclosed_block")
    assert f.where.where == "“{{ trich_yeu }}{% endfor %}”"
    assert "không có thẻ mở" in f.message


@pytest.mark.parametrize(
    "kind, old, new, shown, guess",
    [
        ("ke_hoach", TITLE, "{{ trich_yue }}", "trich_yue", "trich_yeu"),
        ("ke_hoach", TITLE, "{{ ngay_ban_hanh | ngay_thang }}", "ngay_ban_hanh", "ban_hanh.ngay_ban_hanh"),
        ("ke_hoach", TITLE, "{% set bh = ban_hanh %}{{ bh.so_ky_hieuu }}", "bh.so_ky_hieuu", "bh.so_ky_hieu"),
        ("ke_hoach", "{{ dong }}", "{{ dong.ten }}", "dong.ten", None),  # noi_nhan's items are strings
        ("ke_hoach", "{{ dong }}", "{{ loop.idx }}", "loop.idx", "loop.index"),
        (
            "to_trinh",
            "{{ kinh_gui }}",
            "{% for d in ket_qua.dang_vien %}{{ d.ho_tne }}{% endfor %}",
            "d.ho_tne",
            "d.ho_ten",
        ),
        (
            "to_trinh",
            "{%tr for r in danh_sach.dong %}",
            "{%tr for r in danh_sach.dongg %}",
            "danh_sach.dongg",
            "danh_sach.dong",
        ),
        # the outline is recursive: items of items of han_che are outline items too
        (
            "bao_cao_kiem_diem",
            TITLE,
            "{% for m in han_che %}{% for c in m.noi_dung %}{{ c.tieu_dee }}{% endfor %}{% endfor %}",
            "c.tieu_dee",
            "c.tieu_de",
        ),
    ],
)
def test_unknown_variable_with_did_you_mean(tmp_path, kind, old, new, shown, guess):
    f = only(findings(tmp_path, kind, {old: new}), "unknown_variable")
    assert f.where.part == BODY
    assert f"“{shown}”" in f.message
    assert (f"có phải là “{guess}”?" in f.message) if guess else "có phải" not in f.message


def test_unknown_variable_where_is_the_row_of_a_tr_tag(tmp_path):
    found = findings(tmp_path, "to_trinh", {"{%tr for r in danh_sach.dong %}": "{%tr for r in danh_sach.dongg %}"})
    assert only(found, "unknown_variable").where.where == "bảng 3, dòng 2"


def test_what_the_check_accepts_renders(tmp_path):
    """Loop variables, loop.*, set names, subscripts, methods and filters are known; the variant renders."""
    tags = (
        "{% set bh = ban_hanh %}{{ bh.so_ky_hieu }} {{ noi_nhan[0] }} {{ ban_hanh['so'] }} "
        "{{ trich_yeu.upper() }} {{ noi_nhan | length }} {{ ban_hanh.ngay_ban_hanh | ngay_thang }} "
        "{% for x in noi_nhan | reverse %}{{ loop.index }}{{ x }}{% endfor %}"
        "{% set ns = namespace(n=0) %}{% set ns.n = 2 %}{{ ns.n }}"
    )
    path = variant(tmp_path, "ke_hoach", {TITLE: tags})
    assert check_template(path, "ke_hoach") == []
    assert "ngày 05 tháng 02 năm 2026" in " ".join(Doc(docgen.render("ke_hoach", MINIMAL, template=path)).texts())


@pytest.mark.parametrize(
    "old, new, where, says",
    [
        (
            TITLE_PARA,
            "{{ trich_yeu</w:t></w:r></w:p><w:p><w:r><w:t>}}</w:t></w:r></w:p>",
            "“{{ trich_yeu”",
            "đóng ở đoạn khác (“}}”)",
        ),
        (TITLE, "{ {trich_yeu}}", "“{ {trich_yeu}}”", "khoảng trắng"),
        (TITLE, "{{ trich_yeu }", "“{{ trich_yeu }”", "một dấu “}” đơn"),
        (TITLE, "trich_yeu }}", "“trich_yeu }}”", "không có “{{”"),
        (
            TITLE_RUN,
            '{{ trich</w:t></w:r><w:hyperlink r:id="rId9"><w:r><w:t>_yeu }}</w:t></w:r></w:hyperlink>',
            "“{{ trich_yeu }}”",
            "một liên kết (hyperlink)",
        ),
        (
            TITLE_RUN,
            "{{ trich</w:t></w:r><w:r><w:drawing/></w:r><w:r><w:t>_yeu }}</w:t></w:r>",
            "“{{ trich_yeu }}”",
            "một hình hoặc hộp văn bản",
        ),
        ("{{p mo_dau }}", "Mở đầu: {{p mo_dau }}", "“Mở đầu: {{p mo_dau }}”", "chữ đó sẽ mất"),
    ],
)
def test_split_tag(tmp_path, old, new, where, says):
    f = only(findings(tmp_path, "ke_hoach", {old: new}), "split_tag")
    assert (f.where.part, f.where.where) == (BODY, where)
    assert says in f.message


def test_split_tag_by_a_field(tmp_path):
    field = (
        '{{ trich</w:t></w:r><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> PAGE '
        '</w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>1</w:t></w:r><w:r>'
        '<w:fldChar w:fldCharType="end"/></w:r><w:r><w:t>_yeu }}</w:t></w:r>'
    )
    found = findings(tmp_path, "ke_hoach", {TITLE_RUN: field})
    split = [f for f in found if f.code == "split_tag"]
    assert [(f.where.where, "một trường (field)" in f.message) for f in split] == [("“{{ trich1_yeu }}”", True)]
    # docxtpl pulls the field's result into the tag: what Jinja then sees is reported too
    assert "“trich1_yeu”" in next(f.message for f in found if f.code == "unknown_variable")


@pytest.mark.parametrize(
    "runs",
    [
        '{{</w:t></w:r><w:proofErr w:type="spellStart"/><w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve"> trich_yeu '
        '</w:t></w:r><w:proofErr w:type="spellEnd"/><w:r><w:t>}}</w:t></w:r>',
        "{</w:t></w:r><w:r><w:t>{ trich_yeu }</w:t></w:r><w:r><w:t>}</w:t></w:r>",
    ],
    ids=["formatting", "brace-by-brace"],
)
def test_tag_split_over_runs_docxtpl_mends_is_not_a_problem(tmp_path, runs):
    path = variant(tmp_path, "ke_hoach", {TITLE_RUN: runs})
    assert check_template(path, "ke_hoach") == []
    assert "kiểm điểm năm 2025" in Doc(docgen.render("ke_hoach", MINIMAL, template=path)).texts()


def test_problem_in_a_text_box_is_reported_once(tmp_path):
    """Word stores a text box twice (DrawingML and its VML fallback); docxtpl sees both."""
    box = "<w:txbxContent><w:p><w:r><w:t>{{ trich_yue }}</w:t></w:r></w:p></w:txbxContent>"
    text_box = (
        "Tiêu đề</w:t></w:r><w:r>"
        '<mc:AlternateContent xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006">'
        '<mc:Choice Requires="wps"><w:drawing>'
        '<wp:inline xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing">'
        '<wps:txbx xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
        f"{box}</wps:txbx></wp:inline></w:drawing></mc:Choice><mc:Fallback><w:pict><v:shape "
        f'xmlns:v="urn:schemas-microsoft-com:vml"><v:textbox>{box}</v:textbox></v:shape></w:pict></mc:Fallback>'
        "</mc:AlternateContent></w:r>"
    )
    f = only(findings(tmp_path, "ke_hoach", {TITLE_RUN: text_box}), "unknown_variable")
    assert f.where.where == "“{{ trich_yue }}”"


def test_split_tag_row_with_other_text(tmp_path):
    tag = "{%tr for r in danh_sach.dong %}"
    f = only(findings(tmp_path, "to_trinh", {tag: f"Danh sách {tag}"}), "split_tag")
    assert f.where.where == "bảng 3, dòng 2" and "dòng bảng" in f.message


def test_curly_quotes(tmp_path):
    f = only(findings(tmp_path, "ke_hoach", {TITLE: "{{ trich_yeu or “không có” }}"}), "curly_quotes")
    assert (f.where.part, f.where.where) == (BODY, "“{{ trich_yeu or “không có” }}”")
    assert "“ ”" in f.message


def test_two_p_tags_in_a_paragraph(tmp_path):
    found = findings(tmp_path, "ke_hoach", {"{{p mo_dau }}": "{%p if mo_dau %}{%p endif %}"})
    f = next(f for f in found if f.code == "two_p_tags")
    assert (f.where.part, f.where.where) == (BODY, "“{%p if mo_dau %}{%p endif %}”")
    # docxtpl keeps the last tag of the paragraph: the endif, now without its if
    assert [f.code for f in found] == ["two_p_tags", "unclosed_block"]


def test_two_tr_tags_in_a_row(tmp_path):
    found = findings(tmp_path, "to_trinh", {"{%tr if r.nhom %}": "{%tr if r.nhom %}{%tr if r.ten %}"})
    f = only(found, "two_p_tags")
    assert f.where.where == "bảng 3, dòng 3"


def test_unsafe_attribute_is_refused_at_render_and_flagged(tmp_path):
    path = variant(tmp_path, "ke_hoach", {TITLE: "{{ trich_yeu.__class__.__mro__ }}"})
    with pytest.raises(TemplateProblem) as err:
        docgen.render("ke_hoach", MINIMAL, template=path)
    assert "không được phép" in str(err.value)
    f = only(check_template(path, "ke_hoach"), "unsafe")
    assert (f.where.part, f.where.where) == (BODY, "“{{ trich_yeu.__class__.__mro__ }}”")
    assert "“__class__”" in f.message and "“__mro__”" in f.message and "không cho phép" in f.message


@pytest.mark.parametrize(
    "tag, name",
    [
        ("{{ noi_nhan.append('x') }}", "append()"),
        ("{{ trich_yeu | attr('_x') }}", "_x"),
        ("{{ ban_hanh['__dict__'] }}", "__dict__"),
    ],
)
def test_unsafe_other_forms(tmp_path, tag, name):
    path = variant(tmp_path, "ke_hoach", {TITLE: tag})
    assert f"“{name}”" in only(check_template(path, "ke_hoach"), "unsafe").message
    with pytest.raises(TemplateProblem):
        docgen.render("ke_hoach", MINIMAL, template=path)


@pytest.mark.parametrize(
    "tag, guess", [("{{ ban_hanh.ngay_ban_hanh | ngay_thangg }}", "ngay_thang"), ("{{ ban_hanh.so is oddd }}", "odd")]
)
def test_unknown_filter(tmp_path, tag, guess):
    f = only(findings(tmp_path, "ke_hoach", {TITLE: tag}), "unknown_filter")
    assert (f.where.part, f.where.where) == (BODY, f"“{tag}”")
    assert f"có phải là “{guess}”?" in f.message


def test_problem_in_a_header_names_the_part(tmp_path):
    style = '<w:pStyle w:val="Header"/></w:pPr>'
    header = {style: style + "<w:r><w:t>{{ so_trang }}</w:t></w:r>"}
    f = only(findings(tmp_path, "ke_hoach", header, part="word/header1.xml"), "unknown_variable")
    assert (f.where.part, f.where.where) == ("đầu trang 1", "“{{ so_trang }}”")


def _zip_without_body(path):
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("word/styles.xml", "<w:styles/>")


@pytest.mark.parametrize(
    "make",
    [lambda p: p.write_text("không phải Word", encoding="utf-8"), _zip_without_body, lambda p: None],
    ids=["text", "zip-without-body", "missing"],
)
def test_not_docx(tmp_path, make):
    path = tmp_path / "mau.docx"
    make(path)
    assert [(f.where.part, f.where.where, f.code) for f in check_template(path, "ke_hoach")] == [
        ("tệp", "“mau.docx”", "not_docx")
    ]


def test_several_problems_are_reported_at_once_in_document_order(tmp_path):
    path = variant(
        tmp_path,
        "ke_hoach",
        {
            "{{ ban_hanh.so_ky_hieu }}": "{{ ban_hanh.so_ky_hieu | ngay_thangg }}",
            TITLE: "{{ trich_yue }}",
            "{{p mo_dau }}": "Mở đầu: {{p mo_dau }}",
            "{{p noi_dung }}": "{{ noi_dung.__class__ }}",
            "{{p ket_thuc }}": "{{ ket_thuc or “” }}",
            "{%p endfor %}": "",
        },
    )
    found = check_template(path, "ke_hoach")
    assert [f.code for f in found] == [
        "unknown_filter",
        "unknown_variable",
        "split_tag",
        "unsafe",
        "curly_quotes",
        "unclosed_block",
    ]
    assert len({f.where for f in found}) == 6


def test_finding_text_and_dict():
    f = Problem("", "unknown_variable", "Không có biến.", TemplatePlace(BODY, "“{{ x }}”"))
    assert str(f) == "thân văn bản — “{{ x }}”: Không có biến. [unknown_variable]"
    assert f.as_dict() == {
        "path": "",
        "code": "unknown_variable",
        "message": "Không có biến.",
        "severity": "error",
        "where": "thân văn bản — “{{ x }}”",
        "place": {"part": BODY, "where": "“{{ x }}”"},
    }


# ---------------------------------------------------------------- template_vars


def _schema_paths(node: dict, path: str = ""):
    """Every property of an (inlined) schema, flattened: dots for fields, [] for list items, * for any key."""
    for name, sub in node.get("properties", {}).items():
        if name.isidentifier():
            yield f"{path}.{name}" if path else name, sub
            yield from _schema_paths(sub, f"{path}.{name}" if path else name)
    for sub in node.get("patternProperties", {}).values():
        yield f"{path}.*", sub
        yield from _schema_paths(sub, f"{path}.*")
    if isinstance(node.get("items"), dict):
        yield from _schema_paths(node["items"], f"{path}[]")


def _replaced(path: str, computed) -> bool:
    """A computed variable replaces the schema property of the same path, and what the data had below it."""
    return any(path == c or path.startswith((c + ".", c + "[")) for c in computed)


@pytest.mark.parametrize("kind", kinds.names())
def test_template_vars_lists_every_schema_property_then_the_computed_ones(kind):
    module = kinds.get(kind)
    variables, _ = template_vars(kind)
    by_path = {v.path: v for v in variables}
    assert len(by_path) == len(variables), "a path is listed twice"
    computed = module.template_vars
    schema = [(p, sub) for p, sub in _schema_paths(inlined_schema(module.schema)) if not _replaced(p, computed)]
    assert schema
    for path, sub in schema:
        assert path in by_path, path
        assert by_path[path].description == sub["description"]
    for path, (type_, description) in computed.items():
        assert (by_path[path].type, by_path[path].description) == (type_, description)
    assert [v.path for v in variables][-len(computed) :] == list(computed)  # the computed ones come last


def test_template_vars_types_in_vietnamese():
    by_path = {v.path: v for v in template_vars("to_trinh")[0]}
    assert by_path["ban_hanh.so"].type == "số nguyên"
    assert by_path["ban_hanh.ngay_ban_hanh"].type.startswith("chuỗi")
    assert by_path["sap_xep_ten"].type == "true/false"
    assert by_path["ket_qua.dang_vien"].type == "danh sách đối tượng"
    assert by_path["ket_qua.dang_vien[].ho_ten"].type == "chuỗi"
    assert by_path["ket_qua"].type == "đối tượng"
    assert "“qd366_2025”" in by_path["che_do"].type
    assert by_path["noi_nhan"].description.startswith("Các dòng nơi nhận")  # computed replaces the schema's


def test_template_vars_lists_every_filter_with_an_example():
    _, filters = template_vars("ke_hoach")
    described = {f.name: f.description for f in filters}
    assert list(described) == list(FILTERS)
    assert "“ngày 05 tháng 02 năm 2026”" in described["ngay_thang"]
    assert "“05/02/2026”" in described["ngay_so"]
    assert "“25 (hai mươi lăm)”" in described["so_chu"]
    assert "{{ 41 | phan_tram(200) }} → “20,5%”" in described["phan_tram"]
    assert "một nghìn không trăm hai mươi bốn" in described["doc_so"]
    assert filters[0].as_dict() == {"name": "ngay_thang", "description": described["ngay_thang"]}


# ---------------------------------------------------------------- new_template


@pytest.mark.parametrize(
    "kind, form, name",
    [
        ("ke_hoach", None, "ke_hoach.docx"),
        ("to_trinh", None, "to_trinh.docx"),
        ("bao_cao_kiem_diem", None, "bao_cao_kiem_diem_tap_the.docx"),
        ("bao_cao_kiem_diem", "tap_the", "bao_cao_kiem_diem_tap_the.docx"),
        ("bao_cao_kiem_diem", "ca_nhan", "bao_cao_kiem_diem_ca_nhan.docx"),
    ],
)
def test_new_template_copies_byte_for_byte(tmp_path, kind, form, name):
    out = new_template(kind, tmp_path / "sub" / "mau.docx", form=form)
    assert out.read_bytes() == (TEMPLATES_DIR / name).read_bytes()


def test_new_template_refuses_to_overwrite(tmp_path):
    out = tmp_path / "mau.docx"
    out.write_bytes(b"my edits")
    with pytest.raises(DocgenError) as err:
        new_template("ke_hoach", out)
    assert "đã có" in str(err.value)
    assert out.read_bytes() == b"my edits"


def test_new_template_unknown_form(tmp_path):
    with pytest.raises(DocgenError) as err:
        new_template("ke_hoach", tmp_path / "mau.docx", form="ca_nhan")
    assert "không có mẫu cho hình thức “ca_nhan”" in str(err.value)
    assert not (tmp_path / "mau.docx").exists()


# ---------------------------------------------------------------- command line


def test_cli_template_new_then_check(workdir, capsys):
    assert cli(["template", "new", "to_trinh", "mau.docx"]) == 0
    assert "Đã tạo mau.docx" in capsys.readouterr().out
    assert cli(["template", "check", "mau.docx", "--kind", "to_trinh"]) == 0
    assert "Mẫu hợp lệ" in capsys.readouterr().out
    assert cli(["template", "new", "to_trinh", "mau.docx"]) == 1
    assert "đã có" in capsys.readouterr().err


def test_cli_template_check_reports_findings(tmp_path, capsys):
    path = variant(tmp_path, "ke_hoach", {TITLE: "{{ trich_yue }}", "{{p mo_dau }}": "Mở đầu: {{p mo_dau }}"})
    assert cli(["template", "check", str(path), "--kind", "ke_hoach"]) == 1
    err = capsys.readouterr().err
    assert "Mẫu có 2 lỗi:" in err
    assert "  - thân văn bản — “{{ trich_yue }}”: " in err and "có phải là “trich_yeu”? [unknown_variable]" in err
    assert cli(["template", "check", str(path), "--kind", "ke_hoach", "--json"]) == 1
    assert [f["code"] for f in json.loads(capsys.readouterr().out)] == ["unknown_variable", "split_tag"]


def test_cli_template_vars(capsys):
    assert cli(["template", "vars", "ke_hoach"]) == 0
    out = capsys.readouterr().out
    assert "  ban_hanh.ngay_ban_hanh  [chuỗi (ngày dạng NĂM-THÁNG-NGÀY)]  Ngày ban hành" in out
    assert "  ngay_thang  " in out
    assert cli(["template", "vars", "to_trinh", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert {"path": "danh_sach.dong", "type": "danh sách dòng"}.items() <= next(
        v for v in listed["bien"] if v["path"] == "danh_sach.dong"
    ).items()
    assert [f["name"] for f in listed["bo_loc"]] == list(FILTERS)
