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
