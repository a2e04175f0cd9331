"""The command line: exit codes 0 / 1 / 2, Vietnamese messages, files written only on success."""

from __future__ import annotations

import json

import pytest
from docx_read import Doc

from docgen.cli import main as cli
from docgen.paths import SAMPLES_DIR

SAMPLE = str(SAMPLES_DIR / "ke_hoach_hong_quang_2025.json")


def test_kinds(capsys):
    assert cli(["kinds"]) == 0
    assert "ke_hoach\tKế hoạch" in capsys.readouterr().out


@pytest.mark.parametrize("sample", sorted(SAMPLES_DIR.glob("*.json")), ids=lambda p: p.stem)
def test_schema_is_standalone_and_accepts_the_samples(capsys, sample):
    import jsonschema
    from docgen.demo import kind_of

    assert cli(["schema", kind_of(sample)]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert ".schema.json" not in json.dumps(schema)
    jsonschema.Draft202012Validator.check_schema(schema)
    data = json.loads(sample.read_text(encoding="utf-8"))
    assert list(jsonschema.Draft202012Validator(schema).iter_errors(data)) == []
    broken = {**data, "khong_co_truong_nay": 1}
    assert list(jsonschema.Draft202012Validator(schema).iter_errors(broken))


def test_validate_ok(capsys):
    assert cli(["validate", "ke_hoach", SAMPLE]) == 0
    assert "Hợp lệ" in capsys.readouterr().out


def test_render_writes_docx(workdir, capsys):
    assert cli(["render", "ke_hoach", SAMPLE, "-o", "ra/ke_hoach.docx"]) == 0
    assert "Đã tạo" in capsys.readouterr().out
    assert "KẾ HOẠCH" in Doc((workdir / "ra" / "ke_hoach.docx").read_bytes()).texts()


def test_render_default_output_name(workdir):
    assert cli(["render", "ke_hoach", SAMPLE]) == 0
    assert (workdir / "ke_hoach_hong_quang_2025.docx").is_file()


@pytest.mark.parametrize(
    "argv",
    [
        ["render", "khong_co", SAMPLE],
        ["render", "ke_hoach", "khong_co.json"],
        ["render"],
        ["validate", "ke_hoach"],
        ["schema", "x"],
        [],
    ],
)
def test_usage_errors_exit_2_in_vietnamese(workdir, capsys, argv):
    with pytest.raises(SystemExit) as exit_:
        raise SystemExit(cli(argv))
    assert exit_.value.code == 2
    err = capsys.readouterr()
    text = err.err + err.out
    assert any(w in text for w in ("Không", "Lỗi cách dùng", "LỆNH", "thiếu")), text
    assert list(workdir.iterdir()) == []


# ---------------------------------------------------------------- replacing an existing file


def saved_by(path, application: str) -> None:
    """Rewrite ``path`` as an office program saving it would: its own name in docProps/app.xml."""
    import io
    import re
    import zipfile

    with zipfile.ZipFile(path) as z:
        parts = [(i, z.read(i.filename)) for i in z.infolist()]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for info, data in parts:
            if info.filename == "docProps/app.xml":
                data = re.sub(
                    rb"<Application>[^<]*</Application>", f"<Application>{application}</Application>".encode(), data
                )
            z.writestr(info, data)
    path.write_bytes(buffer.getvalue())


def test_render_replaces_its_own_previous_output(workdir, capsys):
    assert cli(["render", "ke_hoach", SAMPLE, "-o", "kh.docx"]) == 0
    first = (workdir / "kh.docx").read_bytes()
    assert cli(["render", "ke_hoach", SAMPLE, "-o", "kh.docx"]) == 0
    assert (workdir / "kh.docx").read_bytes() == first


def test_render_does_not_overwrite_a_file_docgen_did_not_make(workdir, capsys):
    import docx

    docx.Document().save(workdir / "bao_cao.docx")  # a document of the user's
    theirs = (workdir / "bao_cao.docx").read_bytes()
    assert cli(["render", "ke_hoach", SAMPLE, "-o", "bao_cao.docx"]) == 1
    err = capsys.readouterr().err
    assert (
        "Tệp “bao_cao.docx” đã có; docgen không ghi đè" in err and "--overwrite" in err and "[file_exists]" not in err
    )
    assert (workdir / "bao_cao.docx").read_bytes() == theirs and sorted(p.name for p in workdir.iterdir()) == [
        "bao_cao.docx"
    ]
    assert cli(["render", "ke_hoach", SAMPLE, "-o", "bao_cao.docx", "--overwrite"]) == 0
    assert "KẾ HOẠCH" in Doc((workdir / "bao_cao.docx").read_bytes()).texts()


def test_render_does_not_overwrite_its_output_once_edited_in_word(workdir, capsys):
    assert cli(["render", "ke_hoach", SAMPLE, "-o", "kh.docx"]) == 0
    saved_by(workdir / "kh.docx", "Microsoft Office Word")
    edited = (workdir / "kh.docx").read_bytes()
    assert cli(["render", "ke_hoach", SAMPLE, "-o", "kh.docx"]) == 1
    assert "đã được sửa và lưu lại sau khi tạo" in capsys.readouterr().err
    assert (workdir / "kh.docx").read_bytes() == edited


def test_render_with_a_variant_made_in_word_replaces_its_own_output(workdir):
    assert cli(["template", "new", "ke_hoach", "mau.docx"]) == 0
    saved_by(workdir / "mau.docx", "Microsoft Office Word")  # the variant was edited in Word
    for _ in range(2):
        assert cli(["render", "ke_hoach", SAMPLE, "--template", "mau.docx", "-o", "kh.docx"]) == 0


def test_render_pdf_does_not_overwrite_a_pdf_docgen_did_not_make(workdir, capsys):
    from pypdf import PdfWriter

    assert cli(["render", "ke_hoach", SAMPLE, "-o", "kh.docx"]) == 0
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    with open(workdir / "kh.pdf", "wb") as f:  # saved from another program under the same name
        writer.write(f)
    theirs = (workdir / "kh.pdf").read_bytes()
    assert cli(["render", "ke_hoach", SAMPLE, "-o", "kh.docx", "--pdf"]) == 1
    assert "Tệp “kh.pdf” đã có; docgen không ghi đè" in capsys.readouterr().err
    assert (workdir / "kh.pdf").read_bytes() == theirs


@pytest.mark.parametrize(
    "argv, target",
    [
        (["xlsx-template", "quyet_dinh_xep_loai", "-o", "so.xlsx"], "so.xlsx"),
        (["import", "ke_hoach", "ke_hoach_cu.docx", "-o", "ke_hoach.json"], "ke_hoach.json"),
    ],
    ids=["xlsx-template", "import"],
)
def test_files_made_for_editing_are_not_overwritten(workdir, capsys, argv, target):
    assert cli(["render", "ke_hoach", SAMPLE, "-o", "ke_hoach_cu.docx"]) == 0  # last year's plan, to import
    (workdir / target).write_bytes(b"da dien mot nua")  # the user's work so far
    assert cli(argv) == 1
    err = capsys.readouterr().err
    assert f"Tệp “{target}” đã có; docgen không ghi đè vì đó là tệp để người dùng điền, sửa" in err
    assert (workdir / target).read_bytes() == b"da dien mot nua"
    assert cli([*argv, "--overwrite"]) == 0 and (workdir / target).read_bytes() != b"da dien mot nua"


def test_a_temporary_file_of_docgen_is_named_as_docgen_s(workdir, monkeypatch):
    import os

    from docgen import export

    seen, real = [], os.replace
    monkeypatch.setattr(os, "replace", lambda a, b: (seen.append(os.path.basename(a)), real(a, b)))
    export.write_atomic(workdir / "a.docx", b"x")
    [name] = seen
    assert name.startswith(".a.docx.docgen-") and name.endswith(".tmp")
