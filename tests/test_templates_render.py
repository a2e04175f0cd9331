"""Templates are reproducible and editable; the renderer matches plain docxtpl and is deterministic."""

from __future__ import annotations

import io
import json
import zipfile

import docx
import pytest
from docx_read import Doc
from docxtpl import DocxTemplate
from test_bad_input import MINIMAL

import docgen
from docgen import api, kinds, renderer
from docgen.build_templates import build_kind
from docgen.errors import TemplateProblem
from docgen.paths import SAMPLES_DIR, SCHEMAS_DIR, TEMPLATES_DIR

VIETNAMESE = set("ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỷỹỵýàáãèéìíòóõùú")


@pytest.mark.parametrize("kind", kinds.names())
def test_committed_templates_are_current_and_reproducible(kind):
    module = kinds.get(kind)
    built = build_kind(module)
    assert built == build_kind(module), "two builds differ: the template build is not deterministic"
    for name, data in built.items():
        assert (TEMPLATES_DIR / name).read_bytes() == data, (
            f"{name} is stale: run `make templates` (python -m docgen.build_templates) and commit"
        )


TEMPLATE_FILES = sorted(name for kind in kinds.names() for name in kinds.get(kind).layouts)


@pytest.mark.parametrize("name", TEMPLATE_FILES)
def test_template_opens_in_python_docx_and_shows_its_tags(name):
    d = docx.Document(str(TEMPLATES_DIR / name))
    text = "\n".join(p.text for p in d.paragraphs)
    assert "{{p" in text
    assert any(s.name.startswith("DG ") for s in d.styles)


def _properties(node, path="$"):
    if isinstance(node, dict):
        for name, sub in node.get("properties", {}).items():
            yield f"{path}.{name}", sub
            yield from _properties(sub, f"{path}.{name}")
        for key in ("$defs", "patternProperties"):
            for name, sub in node.get(key, {}).items():
                yield from _properties(sub, f"{path}/{name}")
        if isinstance(node.get("items"), dict):
            yield from _properties(node["items"], f"{path}[]")


@pytest.mark.parametrize("schema", sorted(p.name for p in SCHEMAS_DIR.glob("*.schema.json")))
def test_every_schema_property_has_a_vietnamese_description(schema):
    doc = json.loads((SCHEMAS_DIR / schema).read_text(encoding="utf-8"))
    props = list(_properties(doc))
    assert props
    for path, sub in props:
        desc = sub.get("description", "")
        assert desc and VIETNAMESE & set(desc.lower()), f"{schema} {path}: no Vietnamese description"


def _docx_text(data: bytes) -> list[str]:
    return Doc(data).texts()


def test_renderer_matches_plain_docxtpl():
    """Same template, same context: the compiled renderer and docxtpl produce the same text."""
    built, problems = api.check("ke_hoach", SAMPLES_DIR / "ke_hoach_hong_quang_2025.json")
    assert problems == []
    ours = renderer.compiled(TEMPLATES_DIR / "ke_hoach.docx").render(built.context, built.footnotes_xml)
    tpl = DocxTemplate(str(TEMPLATES_DIR / "ke_hoach.docx"))
    tpl.render(built.context, jinja_env=renderer.environment(), autoescape=True)
    buf = io.BytesIO()
    tpl.save(buf)
    theirs = buf.getvalue()
    assert _docx_text(ours) == _docx_text(theirs)
    with zipfile.ZipFile(io.BytesIO(ours)) as z:
        assert z.testzip() is None


def test_same_input_gives_byte_identical_output():
    a = docgen.render("ke_hoach", SAMPLES_DIR / "ke_hoach_hong_quang_2025.json")
    b = docgen.render("ke_hoach", SAMPLES_DIR / "ke_hoach_hong_quang_2025.json")
    assert a == b
    with zipfile.ZipFile(io.BytesIO(a)) as z:
        assert {i.date_time for i in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def _variant(tmp_path, tag: str):
    """The kế hoạch template with one paragraph's tag replaced (a user's variant)."""
    src = TEMPLATES_DIR / "ke_hoach.docx"
    out = tmp_path / "variant.docx"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(out, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "word/document.xml":
                data = data.replace(b"{{ trich_yeu }}", tag.encode())
            zout.writestr(item, data)
    return out


def test_sandbox_refuses_python_internals(tmp_path):
    variant = _variant(tmp_path, "{{ trich_yeu.__class__.__mro__ }}")
    with pytest.raises(TemplateProblem) as err:
        docgen.render("ke_hoach", MINIMAL, template=variant)
    assert "môi trường an toàn của docgen không cho phép" in str(err.value)


def test_unknown_variable_in_template_is_an_error_not_a_blank(tmp_path):
    variant = _variant(tmp_path, "{{ trich_yue }}")
    with pytest.raises(TemplateProblem) as err:
        docgen.render("ke_hoach", MINIMAL, template=variant)
    assert "trich_yue" in str(err.value)


def test_vietnamese_filters_available_to_templates(tmp_path):
    variant = _variant(
        tmp_path,
        "{{ ban_hanh.so | doc_so }} | {{ ban_hanh.ngay_ban_hanh | ngay_thang }} | "
        "{{ 41 | phan_tram(200) }} | {{ 25 | so_chu }}",
    )
    doc = Doc(docgen.render("ke_hoach", MINIMAL, template=variant))
    assert "ba | ngày 05 tháng 02 năm 2026 | 20,5% | 25 (hai mươi lăm)" in doc.texts()
