"""Bad input gets a clear, located error, every problem at once, and nothing is written."""

from __future__ import annotations

import copy
import json
import os
import unicodedata

import pytest
from docx_read import Doc

import docgen
from docgen import export, limits
from docgen.cli import main as cli

MINIMAL = {
    "ban_hanh": {
        "cap_tren": "Đảng bộ tỉnh Thái Nguyên",
        "co_quan_ban_hanh": "Đảng ủy phường Hồng Quang",
        "so": 3,
        "ky_hieu": "KH/ĐU",
        "dia_danh": "Hồng Quang",
        "ngay_ban_hanh": "2026-02-05",
    },
    "trich_yeu": "kiểm điểm năm 2025",
    "can_cu": ["Căn cứ Quy định số 366-QĐ/TW"],
    "noi_dung": [{"tieu_de": "MỤC ĐÍCH", "noi_dung": ["Đoạn một."]}],
    "nguoi_ky": {"tham_quyen": "T/M Ban Thường vụ", "chuc_vu": "Bí thư", "ho_ten": "Nguyễn Văn A"},
    "noi_nhan": ["Các chi bộ", "Lưu Văn phòng"],
}


def data(**changes):
    d = copy.deepcopy(MINIMAL)
    for dotted, value in changes.items():
        node = d
        keys = dotted.split("__")
        for k in keys[:-1]:
            node = node[int(k)] if k.isdigit() else node[k]
        if value is _DELETE:
            del node[keys[-1]]
        else:
            node[keys[-1]] = value
    return d


_DELETE = object()


def codes(problems):
    return {(p.path, p.code) for p in problems}


def test_minimal_data_is_valid_and_renders():
    assert docgen.validate("ke_hoach", MINIMAL) == []
    doc = Doc(docgen.render("ke_hoach", MINIMAL))
    assert "Số 03-KH/ĐU" in doc.texts()
    assert "Hồng Quang, ngày 05 tháng 02 năm 2026" in doc.texts()


def test_every_schema_problem_reported_at_once_with_paths():
    bad = data(
        trich_yeu="",
        ban_hanh__so="15",
        ban_hanh__ngay_ban_hanh="2025-02-30",
        nguoi_ky__ho_ten=_DELETE,
        nguoi_ky__ho_tne="Nguyễn Văn A",
        noi_nhan=[],
        mo_dau="x",
    )
    problems = docgen.validate("ke_hoach", bad)
    assert codes(problems) >= {
        ("$.trich_yeu", "empty_text"),
        ("$.ban_hanh.so", "wrong_type"),
        ("$.ban_hanh.ngay_ban_hanh", "invalid_date"),
        ("$.nguoi_ky.ho_ten", "required"),
        ("$.nguoi_ky.ho_tne", "unknown_field"),
        ("$.noi_nhan", "empty_list"),
        ("$.mo_dau", "wrong_type"),
    }
    typo = next(p for p in problems if p.code == "unknown_field")
    assert "ho_ten" in typo.message  # "did you mean"
    assert all(any(c in p.message for c in "ăâđêôơưạảấầẩậắằẳặẹẻẽếềểệỉịọỏốồổộớờởợụủứừửựỳỷỹýà") for p in problems)


def test_unknown_top_level_key_is_not_ignored():
    problems = docgen.validate("ke_hoach", data(noi_nhann=["x"]))
    assert ("$.noi_nhann", "unknown_field") in codes(problems)
    assert "noi_nhan" in next(p for p in problems if p.path == "$.noi_nhann").message


def test_state_format_signature_refused():
    problems = docgen.validate("ke_hoach", data(nguoi_ky__tham_quyen="TM. Ban Thường vụ"))
    assert ("$.nguoi_ky.tham_quyen", "invalid_format") in codes(problems)


def test_rule_level_problems_are_located():
    bad = data(
        ban_hanh__ky_hieu="QĐ/ĐU",
        noi_dung=[{"tieu_de": "1. MỤC ĐÍCH"}, {"gach": "a", "doan": "b"}, "x[^nope] *mở"],
        noi_nhan=["Các chi bộ"],
    )
    found = codes(docgen.validate("ke_hoach", bad))
    assert found == {
        ("$.ban_hanh.ky_hieu", "ky_hieu_kind"),
        ("$.noi_dung[0].tieu_de", "typed_numbering"),
        ("$.noi_dung[1]", "outline_item_kind"),
        ("$.noi_dung[2]", "footnote_undefined"),
        ("$.noi_dung[2]", "markup_unclosed"),
        ("$.noi_nhan[0]", "noi_nhan_luu"),
    }


def test_control_characters_rejected_with_path():
    problems = docgen.validate("ke_hoach", data(noi_dung__0__tieu_de="MỤC\nĐÍCH", trich_yeu="a\tb"))
    assert {("$.noi_dung[0].tieu_de", "control_character"), ("$.trich_yeu", "control_character")} <= codes(problems)


def test_special_characters_appear_exactly_as_given():
    tricky = "Tổ “A & B” <cơ quan> 'x' \"y\" — ½ ≥ 90% € 𝐀 😀"
    d = data(trich_yeu=tricky, noi_dung__0__noi_dung=[tricky], nguoi_ky__ho_ten=tricky, noi_nhan=[tricky, "Lưu VP"])
    doc = Doc(docgen.render("ke_hoach", d))
    texts = doc.texts()
    assert texts.count(tricky) == 3  # trích yếu, body paragraph, signer
    assert f"- {tricky}," in texts


def test_nfd_input_is_normalised_to_nfc():
    nfd = unicodedata.normalize("NFD", "Nguyễn Thị Ngọc Dung")
    assert nfd != "Nguyễn Thị Ngọc Dung"
    doc = Doc(docgen.render("ke_hoach", data(nguoi_ky__ho_ten=nfd)))
    assert "Nguyễn Thị Ngọc Dung" in doc.texts()
    xml = doc.part("word/document.xml").decode("utf-8")
    assert unicodedata.normalize("NFC", xml) == xml


def test_mixed_tone_placement_normalised():
    doc = Doc(docgen.render("ke_hoach", data(noi_dung__0__noi_dung=["Cụ thể hoá, Đảng uỷ, khoẻ, thuỷ, quý"])))
    assert "Cụ thể hóa, Đảng ủy, khỏe, thủy, quý" in doc.texts()


# ------------------------------------------------------------------ files and the CLI


def _write(path, text: str | bytes):
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return path


def test_malformed_json_reports_line_and_column(workdir, capsys):
    src = _write(workdir / "kh.json", '{\n  "trich_yeu": "a",\n  "noi_dung": [1, 2,]\n}')
    assert cli(["render", "ke_hoach", str(src), "-o", "out.docx"]) == 1
    err = capsys.readouterr().err
    assert "dòng 3, cột 21" in err and "json_syntax" not in err  # the code is for programs: --json
    assert not (workdir / "out.docx").exists()


def test_duplicate_keys_are_reported(workdir):
    src = _write(workdir / "kh.json", '{"trich_yeu": "a", "trich_yeu": "b"}')
    problems = docgen.validate("ke_hoach", src)
    assert [p.code for p in problems] == ["duplicate_key"] and "trich_yeu" in problems[0].message


def test_bom_is_accepted(workdir):
    src = _write(workdir / "kh.json", b"\xef\xbb\xbf" + json.dumps(MINIMAL, ensure_ascii=False).encode("utf-8"))
    assert docgen.validate("ke_hoach", src) == []


def test_not_utf8_is_reported(workdir):
    src = _write(workdir / "kh.json", json.dumps(MINIMAL, ensure_ascii=False).encode("cp1258", errors="replace"))
    assert [p.code for p in docgen.validate("ke_hoach", src)] == ["encoding"]


def test_invalid_input_never_creates_or_truncates_output(workdir, capsys):
    out = _write(workdir / "ke_hoach.docx", b"previous version")
    src = _write(workdir / "kh.json", json.dumps(data(trich_yeu=""), ensure_ascii=False))
    assert cli(["render", "ke_hoach", str(src), "-o", str(out)]) == 1
    assert out.read_bytes() == b"previous version"
    assert "  - Mục Trích yếu: Không được để trống.\n" in capsys.readouterr().err
    assert sorted(p.name for p in workdir.iterdir()) == ["ke_hoach.docx", "kh.json"]


def test_atomic_write_leaves_no_partial_file(workdir, monkeypatch):
    target = workdir / "a.docx"
    target.write_bytes(b"old")

    def fail(*a, **k):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(OSError):
        export.write_atomic(target, b"new content")
    assert target.read_bytes() == b"old"
    assert [p.name for p in workdir.iterdir()] == ["a.docx"]


def test_atomic_write_gives_ordinary_permissions(workdir):
    path = export.write_atomic(workdir / "a.docx", b"x")
    assert path.stat().st_mode & 0o777 == 0o666 & ~export._UMASK  # not mkstemp's private 0600


def test_problems_as_json_for_programs(workdir, capsys):
    src = _write(workdir / "kh.json", json.dumps(data(trich_yeu=""), ensure_ascii=False))
    assert cli(["validate", "ke_hoach", str(src), "--json"]) == 1
    out = json.loads(capsys.readouterr().out)
    assert out == [
        {
            "path": "$.trich_yeu",
            "code": "empty_text",
            "message": "Không được để trống.",
            "severity": "error",
            "where": "Mục Trích yếu",
        }
    ]


# ------------------------------------------------------------------ files cut short, and the data limits


def test_json_cut_in_the_middle_of_a_character_says_it_ends_abruptly(workdir, capsys):
    whole = json.dumps(data(trich_yeu="kiểm điểm Đảng ủy"), ensure_ascii=False, indent=2).encode("utf-8")
    cut = whole[: whole.index("ủy".encode()) + 1]  # the first byte of "ủ", of its three
    src = _write(workdir / "kh.json", cut)
    [problem] = docgen.validate("ke_hoach", src)
    assert problem.code == "truncated" and "UTF-8" not in problem.message
    line = cut.decode("utf-8", "ignore").count("\n") + 1
    column = len(cut.decode("utf-8", "ignore").rsplit("\n", 1)[-1]) + 1
    assert f"kết thúc đột ngột ở dòng {line}, cột {column}, giữa một ký tự" in problem.message
    bom = _write(workdir / "bom.json", b"\xef\xbb\xbf" + cut)  # the same with a BOM: the same place
    assert f"dòng {line}, cột {column}" in docgen.validate("ke_hoach", bom)[0].message
    assert cli(["validate", "ke_hoach", str(src)]) == 1
    assert "kết thúc đột ngột" in capsys.readouterr().err


def test_json_cut_between_characters_says_where_it_ends(workdir):
    src = _write(workdir / "kh.json", '{\n  "trich_yeu": "a",\n  "noi_dung": [\n    "Đoạn một.",')
    [problem] = docgen.validate("ke_hoach", src)
    assert problem.code == "truncated" and "Tệp kết thúc đột ngột ở dòng 4, cột 17" in problem.message


def test_not_utf8_names_line_and_column(workdir):
    src = _write(workdir / "kh.json", '{\n  "trich_yeu": "café"\n}'.encode("latin-1"))
    [problem] = docgen.validate("ke_hoach", src)
    assert problem.code == "encoding" and "dòng 2, cột 20" in problem.message  # the "é"


def _nested(depth: int, leaf="x"):
    value = leaf
    for _ in range(depth):
        value = [value]
    return value


@pytest.mark.parametrize("depth", [900, 5000])
def test_deep_data_is_refused_when_read_with_its_place(workdir, capsys, depth):
    """Nesting that would overflow a recursive walk (normalisation, the text check, jsonschema, the builders)
    is refused once, as the file is read: exit 1 with a located message, never a RecursionError."""
    text = json.dumps(data(), ensure_ascii=False)[:-1] + ', "mo_dau": ' + "[" * depth + '"x"' + "]" * depth + "}"
    src = _write(workdir / "sau.json", text)
    assert cli(["validate", "ke_hoach", str(src)]) == 1
    err = capsys.readouterr().err
    assert "lồng nhau quá sâu" in err and "too_deep" not in err and "Traceback" not in err
    [problem] = docgen.validate("ke_hoach", src)
    if depth == 900:  # parsed, then refused by the walk: its JSON path
        assert problem.path == "$.mo_dau" + "[0]" * (limits.DATA_MAX_DEPTH - 1)  # the first list past the limit
    else:  # past what Python's parser itself takes: its line and column
        assert f"dòng 1, cột {text.index('[' * depth) + limits.DATA_MAX_DEPTH}" in problem.message


def test_deep_data_given_to_the_library_is_refused_too():
    problems = docgen.validate("ke_hoach", data(mo_dau=_nested(900)))
    assert [p.code for p in problems] == ["too_deep"]
    with pytest.raises(docgen.InvalidInput):
        docgen.render("ke_hoach", data(mo_dau=_nested(900)))


def test_nesting_up_to_the_limit_reaches_the_schema():
    """At the limit the data goes through every walk and the schema says what is wrong; one more level is refused."""
    at_limit = data(mo_dau=_nested(limits.DATA_MAX_DEPTH - 1))  # the root object counts as one level
    assert "too_deep" not in {p.code for p in docgen.validate("ke_hoach", at_limit)}
    assert codes(docgen.validate("ke_hoach", at_limit)) == {("$.mo_dau[0]", "wrong_type")}  # a list of texts
    past = data(mo_dau=_nested(limits.DATA_MAX_DEPTH))
    assert [p.code for p in docgen.validate("ke_hoach", past)] == ["too_deep"]


def test_numbers_that_are_not_numbers_or_too_long(workdir):
    text = json.dumps(data(), ensure_ascii=False)
    text = text.replace('"so": 3', '"so": NaN').replace('"dia_danh": "Hồng Quang"', '"dia_danh": Infinity')
    src = _write(workdir / "kh.json", text[:-1] + ', "x": [1e999, 12345678901234567890]}')
    found = {(p.path, p.code): p.message for p in docgen.validate("ke_hoach", src)}
    assert set(found) == {
        ("$.ban_hanh.so", "number_too_large"),
        ("$.ban_hanh.dia_danh", "number_too_large"),
        ("$.x[0]", "number_too_large"),
        ("$.x[1]", "number_too_large"),
    }
    assert "NaN không phải một số" in found[("$.ban_hanh.so", "number_too_large")]
    assert "tối đa 15 chữ số" in found[("$.x[1]", "number_too_large")]
    huge = _write(workdir / "so.json", '{"ban_hanh": {"so":\n  ' + "9" * 5000 + "}}")  # Python refuses to convert it
    [problem] = docgen.validate("ke_hoach", huge)
    assert (
        problem.code == "number_too_large" and "dòng 2, cột 3" in problem.message and "5000 chữ số" in problem.message
    )


def test_very_long_text_is_refused_with_its_place():
    long = "Đảng ủy " * (limits.TEXT_MAX_CHARS // 8 + 1)
    problems = docgen.validate("ke_hoach", data(noi_dung__0__noi_dung=["Ngắn.", long]))
    assert [(p.path, p.code) for p in problems] == [("$.noi_dung[0].noi_dung[1]", "text_too_long")]
    assert "hãy chia thành nhiều đoạn" in problems[0].message
    at_limit = "a" * limits.TEXT_MAX_CHARS
    assert "text_too_long" not in {p.code for p in docgen.validate("ke_hoach", data(noi_dung__0__noi_dung=[at_limit]))}


def test_json_file_past_the_size_limit_is_not_read(workdir, capsys):
    src = workdir / "lon.json"
    with open(src, "wb") as f:
        f.truncate(limits.JSON_MAX_BYTES + 1)  # a sparse file: refused from its size, its bytes never read
    assert cli(["validate", "ke_hoach", str(src)]) == 1
    err = capsys.readouterr().err
    assert "quá lớn" in err and "tối đa 16 MB" in err and "file_too_large" not in err


def test_json_with_too_many_values_is_refused_before_parsing(workdir):
    many = _write(workdir / "nhieu.json", "[" + "0," * limits.JSON_MAX_VALUES + "0]")
    assert [p.code for p in docgen.validate("ke_hoach", many)] == ["too_many_values"]
    objects = _write(workdir / "doi_tuong.json", "[" + "[]" * (limits.JSON_MAX_CONTAINERS + 1) + "]")
    [problem] = docgen.validate("ke_hoach", objects)
    assert problem.code == "too_many_values" and "đối tượng và danh sách" in problem.message


def test_a_flood_of_problems_is_cut_to_the_first_ones():
    """A million wrong values made jsonschema hold a million errors (4 GB); the first ones say it all."""
    problems = docgen.validate("ke_hoach", data(noi_nhan=[0] * 5000, can_cu=["a\tb"] * 5000))
    assert len(problems) <= 2 * (limits.PROBLEMS_MAX + 1)
    assert [p.code for p in problems].count("too_many_problems") == 2  # the text check's, and the schema's
    assert problems[-1].code == "too_many_problems" and "200 lỗi đầu tiên" in problems[-1].message
    wrong = [p for p in problems if p.code == "wrong_type"]
    assert wrong and wrong[0].path == "$.noi_nhan[0]"
