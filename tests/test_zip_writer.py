"""The package zip writer: the bytes zipfile writes for the same parts, with parts compressed once reused as
they are; and the renderer's shortcut past docxtpl's listing regex gives the regex's answer."""

from __future__ import annotations

import io
import random
import zipfile

import pytest
from test_templates_render import _variant

from docgen import api, kinds, ooxml, renderer
from docgen.demo import kind_of
from docgen.paths import SAMPLES_DIR, TEMPLATES_DIR


def zipfile_package(parts: list[tuple[str, bytes]], level: int = 6) -> bytes:
    """What docgen wrote through zipfile before it had its own writer: the reference."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, data in parts:
            info = zipfile.ZipInfo(name, date_time=ooxml.ZIP_EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            z.writestr(info, data, compresslevel=level)
    return buf.getvalue()


def _parts(seed: int) -> list[tuple[str, bytes]]:
    rng = random.Random(seed)
    xml = ooxml.XML_DECL + "".join(ooxml.paragraph(ooxml.run(f"Đoạn {i} — chữ Việt")) for i in range(300))
    return [
        ("[Content_Types].xml", ooxml.content_types({"word/document.xml": ooxml.CT_WML}).encode()),
        ("word/document.xml", xml.encode("utf-8")),
        ("word/empty.xml", b""),
        ("word/media/noise.bin", rng.randbytes(70_000)),  # incompressible: stored bigger than it is
        ("word/tệp-tên-việt.xml", "tên tệp không phải ASCII".encode()),  # zipfile's UTF-8 name flag
        ("docProps/app.xml", ooxml.app_properties("docgen").encode()),
    ]


@pytest.mark.parametrize("level", [1, 6, 9])
def test_writer_writes_the_bytes_zipfile_writes(level):
    parts = _parts(level)
    assert ooxml.zip_package(parts, level=level) == zipfile_package(parts, level)


def test_parts_compressed_beforehand_give_the_same_bytes():
    parts = _parts(2)
    mixed = [ooxml.deflate(n, d) if i % 2 else (n, d) for i, (n, d) in enumerate(parts)]
    assert ooxml.zip_package(mixed) == ooxml.zip_package(parts) == zipfile_package(parts)
    with zipfile.ZipFile(io.BytesIO(ooxml.zip_package(mixed))) as z:
        assert z.testzip() is None  # every CRC checked against the data
        assert [(i.filename, z.read(i)) for i in z.infolist()] == parts


def test_writer_refuses_what_it_must_never_write():
    for name in ("/etc/passwd", "word/../../x.xml", "word\\x.xml", "word/a\0b.xml"):
        with pytest.raises(ValueError):
            ooxml.zip_package([(name, b"x")])
    with pytest.raises(ValueError):
        ooxml.zip_package([("a.xml", b"1"), ooxml.deflate("a.xml", b"2")])


@pytest.mark.parametrize("sample", sorted(p.name for p in SAMPLES_DIR.glob("*.json")))
def test_rendered_document_is_what_zipfile_would_have_written(sample):
    """Every sample's document, unzipped and zipped again through zipfile, comes back byte for byte."""
    data = api.render(kind_of(SAMPLES_DIR / sample), SAMPLES_DIR / sample)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        parts = [(i.filename, z.read(i)) for i in z.infolist()]
    assert data == zipfile_package(parts)


def test_unchanged_parts_are_compressed_at_compile_time():
    tpl = renderer.compiled(TEMPLATES_DIR / kinds.get("quyet_dinh_xep_loai").template)
    assert tpl.static and set(tpl.static).isdisjoint(tpl.compiled)
    assert set(tpl.static) | set(tpl.compiled) == set(tpl.order)
    assert all(isinstance(d, ooxml.Deflated) and d.name == n for n, d in tpl.static.items())


# ---------------------------------------------------------------- tabs and line breaks in text

_FRAGMENTS = [
    "<w:p>",
    "</w:p>",
    "<w:r>",
    "<w:t>",
    '<w:t xml:space="preserve">',
    "<w:t/>",
    "<w:t />",
    "</w:t>",
    "<w:tab/>",
    "<w:tbl>",
    "<w:tc>",
    "<w:tr>",
    "<w:tcPr>",
    "<w:t\n>",
    "\n",
    "\t",
    "\a",
    "\f",
    "chữ",
    ">",
    "a",
    " ",
    '"',
]


def test_listing_shortcut_answers_as_the_regex_does():
    rng = random.Random(17)
    cases = ["".join(rng.choice(_FRAGMENTS) for _ in range(rng.randint(0, 30))) for _ in range(20_000)]
    for xml in cases:
        assert renderer._has_listing_text(xml) == bool(renderer._LISTING_TEXT.search(xml)), repr(xml)
    assert sum(renderer._has_listing_text(x) for x in cases) > 1000  # both answers were exercised


def test_tab_and_newline_in_a_text_still_become_word_tabs_and_breaks(tmp_path):
    variant = _variant(tmp_path, '{{ "một\\thai\\nba" }}')
    data = api.render("ke_hoach", SAMPLES_DIR / "ke_hoach_hong_quang_2025.json", template=variant)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        xml = z.read("word/document.xml").decode("utf-8")
    start = xml.index("một")
    piece = xml[start : xml.index("ba<", start) + 2]
    assert "<w:tab/>" in piece and "<w:br/>" in piece and "\t" not in piece and "\n" not in piece
