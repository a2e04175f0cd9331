"""render and batch numbered from the register of issued numbers: numbers read back from the .docx files, the
register read back with its own API. Every test has a register of its own (conftest's ``own_register``)."""

from __future__ import annotations

import copy
import csv
import hashlib
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import load_sample
from docx_read import Doc

from docgen import batch, register
from docgen.cli import main as cli
from docgen.header import NO_NUMBER
from docgen.kinds.quyet_dinh_xep_loai.synthetic import dang_bo
from docgen.synthetic import forms_batch

QD = "quyet_dinh_xep_loai"
ISSUER = "Đảng ủy phường Hồng Quang"


def write(path: Path, data) -> Path:
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def manifest(out: Path) -> list[dict]:
    return list(csv.DictReader(io.StringIO((out / batch.MANIFEST).read_bytes().decode("utf-8-sig"))))


def printed_number(path: Path, ky_hieu: str = "QĐ/ĐU") -> str:
    """The number line of a document as printed under its issuer ("Số 05-QĐ/ĐU" → "05")."""
    found = re.findall(rf"Số (\S+)-{re.escape(ky_hieu)}", Doc(path.read_bytes()).plain_text())
    assert found, path
    return found[0]


def numbers_of(out: Path) -> dict[str, str]:
    """Unit → the number its decision prints, for every document of a batch folder, checked against the
    manifest."""
    got = {}
    for row in manifest(out):
        if row["tep"]:
            assert printed_number(out / row["tep"]) == row["so"], row
            got[row["don_vi"]] = row["so"]
    return got


def unnumbered(envelope: dict) -> dict:
    """The batch with no start number: its numbers come from the register."""
    envelope = copy.deepcopy(envelope)
    envelope.pop("so_bat_dau", None)
    return envelope


def renamed(envelope: dict, prefix: str) -> dict:
    """The same batch for other units (another đảng bộ's chi bộ)."""
    units = []
    for i, unit in enumerate(envelope["don_vi"]):
        name = unit["ket_qua"]["don_vi"]["ten"]  # also in the unit's tờ trình and where it is carried out
        units.append(json.loads(json.dumps(unit, ensure_ascii=False).replace(name, f"{prefix} {i + 1}")))
    return {**copy.deepcopy(envelope), "don_vi": units}


def entries(path: Path | None = None, **filters) -> list[register.Entry]:
    with register.open_register(path or register.default_path(), create=False) as reg:
        return reg.entries(**filters)


def run_batch(src: Path, out: str, *extra: str) -> int:
    return cli(["batch", QD, str(src), "-o", out, "--jobs", "1", *extra])


@pytest.fixture
def small():
    return unnumbered(dang_bo(units=3, members=6))


# ---------------------------------------------------------------- numbers taken, and taken again


def test_a_batch_without_a_number_takes_the_next_ones_and_a_rerun_gets_them_back(workdir, small, capsys):
    src = write(workdir / "lo.json", small)
    assert run_batch(src, "ra") == 0
    out = capsys.readouterr()
    assert "đã lập, mỗi năm bắt đầu lại từ 01" in out.err  # the new series: said, with how to change it
    assert "Số văn bản lấy từ sổ đăng ký" in out.out and "01–03" in out.out
    first = numbers_of(workdir / "ra")
    assert sorted(first.values()) == ["01", "02", "03"]
    files = {p.name: p.read_bytes() for p in (workdir / "ra").glob("*.docx")}
    issued = entries()
    assert [(e.number, e.state, e.unit) for e in issued] == [
        (i + 1, "issued", u["ket_qua"]["don_vi"]["ten"]) for i, u in enumerate(small["don_vi"])
    ]
    for e in issued:  # the register knows each file, its sha256 and the trích yếu the document printed
        data = Path(e.file_name).read_bytes()
        assert hashlib.sha256(data).hexdigest() == e.sha256
        assert e.trich_yeu == f"về việc xếp loại chất lượng đảng viên {e.unit} năm 2025"
        assert e.trich_yeu in Doc(data).plain_text().replace("\n", " ")

    # the same input again: the same numbers, byte-identical documents, nothing new in the register
    assert run_batch(src, "ra") == 0
    assert numbers_of(workdir / "ra") == first
    assert {p.name: p.read_bytes() for p in (workdir / "ra").glob("*.docx")} == files
    assert run_batch(src, "ra2") == 0  # into another folder too
    assert {p.name: p.read_bytes() for p in (workdir / "ra2").glob("*.docx")} == files
    assert [(e.id, e.number) for e in entries()] == [(e.id, e.number) for e in issued]

    # one unit's decision made alone is the same document: its number, the same bytes
    alone = batch.merge(small["chung"], small["don_vi"][1])
    assert cli(["render", QD, str(write(workdir / "don_vi_2.json", alone)), "-o", "don_vi_2.docx"]) == 0
    assert (workdir / "don_vi_2.docx").read_bytes() == files["qd-02-chi-bo-khu-dan-cu-so-2.docx"]
    assert len(entries()) == 3

    # a single decision rendered afterwards takes the next number of the series
    one = load_sample("quyet_dinh_xep_loai_to_chuc_dang_hong_quang_2025.json")
    del one["ban_hanh"]["so"]
    assert cli(["render", QD, str(write(workdir / "mot.json", one)), "-o", "mot.docx"]) == 0
    assert printed_number(workdir / "mot.docx") == "04"


def test_numbers_given_by_hand_are_recorded_and_the_register_continues_after_them(workdir, small):
    src = write(workdir / "lo.json", small)
    assert run_batch(src, "ra", "--start-number", "38") == 0  # started mid-year, numbered by hand up to 37
    assert sorted(numbers_of(workdir / "ra").values()) == ["38", "39", "40"]
    assert [e.number for e in entries()] == [38, 39, 40]
    other = write(workdir / "khac.json", renamed(small, "Chi bộ Thôn"))
    assert run_batch(other, "ra_khac") == 0
    assert sorted(numbers_of(workdir / "ra_khac").values()) == ["41", "42", "43"]
    # the first batch again with its start number, or without: the same numbers either way
    assert run_batch(src, "ra", "--start-number", "38") == 0 and run_batch(src, "ra") == 0
    assert sorted(numbers_of(workdir / "ra").values()) == ["38", "39", "40"]
    assert len(entries()) == 6


@pytest.mark.slow
def test_two_batches_at_once_take_disjoint_numbers(workdir):
    """Two ``docgen batch`` processes started together on one register: no number twice, none skipped."""
    envelope = unnumbered(dang_bo(units=25, members=4))
    inputs = [write(workdir / "a.json", envelope), write(workdir / "b.json", renamed(envelope, "Chi bộ Thôn"))]
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "docgen.cli", "batch", QD, str(src), "-o", f"ra_{src.stem}", "--jobs", "1"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env={**os.environ, "PYTHONUTF8": "1"},
        )
        for src in inputs
    ]
    for p in procs:
        _, err = p.communicate(timeout=600)
        assert p.returncode == 0, err.decode()
    a, b = numbers_of(workdir / "ra_a"), numbers_of(workdir / "ra_b")
    assert len(a) == len(b) == 25
    assert not set(a.values()) & set(b.values())
    assert sorted(int(n) for n in [*a.values(), *b.values()]) == list(range(1, 51))
    for got in (a, b):  # each batch's block is consecutive: one transaction each
        numbers = sorted(int(n) for n in got.values())
        assert numbers == list(range(numbers[0], numbers[0] + 25))
    assert sorted(e.number for e in entries(state="issued")) == list(range(1, 51))


# ---------------------------------------------------------------- refused


def test_a_number_the_register_holds_for_another_document_is_refused_naming_both(workdir, small, capsys):
    src = write(workdir / "lo.json", small)
    assert run_batch(src, "ra") == 0
    before = {p.name: p.read_bytes() for p in (workdir / "ra").glob("*.docx")}
    other = renamed(small, "Chi bộ Thôn")
    other["don_vi"][1]["ban_hanh"] = {"so": 2}  # the number of “Chi bộ Khu dân cư số 2”'s decision
    capsys.readouterr()
    assert run_batch(write(workdir / "khac.json", other), "ra_khac") == 1
    err = capsys.readouterr().err
    line = next(x for x in err.splitlines() if "trong sổ đã thuộc văn bản khác" in x)
    assert line.strip().startswith("- Chi bộ Thôn 2: Đơn vị thứ 2, mục Ban hành › Số:")  # the document, and where
    assert "[number_taken]" not in err  # the code is for programs (--json), not in the sentence
    assert "Số 02-QĐ/ĐU (năm 2025) trong sổ đã thuộc văn bản khác" in line
    assert "đơn vị “Chi bộ Khu dân cư số 2”" in line and "đơn vị “Chi bộ Thôn 2”" in line  # both documents
    assert not (workdir / "ra_khac").exists()  # nothing written, nothing taken
    assert len(entries()) == 3
    assert {p.name: p.read_bytes() for p in (workdir / "ra").glob("*.docx")} == before

    # a single document with a taken number: refused the same way, naming both
    one = load_sample("quyet_dinh_xep_loai_to_chuc_dang_hong_quang_2025.json")
    one["ban_hanh"]["so"] = 3
    assert cli(["render", QD, str(write(workdir / "mot.json", one)), "-o", "mot.docx"]) == 1
    err = capsys.readouterr().err
    assert "trong sổ đã thuộc văn bản khác" in err and "Chi bộ Khu dân cư số 3" in err
    assert "tổ chức đảng trực thuộc" in err
    assert not (workdir / "mot.docx").exists()


def test_a_clash_in_a_workbook_names_its_cell(workdir, small, capsys):
    src = write(workdir / "lo.json", small)
    assert run_batch(src, "ra") == 0
    other = renamed(small, "Chi bộ Thôn")
    other["so_bat_dau"] = 3  # typed in “Số bắt đầu”: the number of “Chi bộ Khu dân cư số 3”'s decision
    write(src, other)
    assert cli(["xlsx-template", QD, "-o", "mau.xlsx", "--from", str(src)]) == 0
    capsys.readouterr()
    assert cli(["batch", QD, "mau.xlsx", "-o", "ra_xlsx", "--jobs", "1"]) == 1
    line = next(x for x in capsys.readouterr().err.splitlines() if "trong sổ đã thuộc văn bản khác" in x)
    assert "Chi bộ Thôn 1: Sheet Thông tin chung" in line and "Số bắt đầu" in line, line
    assert "Chi bộ Khu dân cư số 3" in line and not (workdir / "ra_xlsx").exists()


def test_a_changed_input_asks_for_reissue_or_new_numbers(workdir, small, capsys):
    src = write(workdir / "lo.json", small)
    assert run_batch(src, "ra") == 0
    before = {p.name: p.read_bytes() for p in (workdir / "ra").glob("*.docx")}
    small["don_vi"][1]["ket_qua"]["dang_vien"][0]["ho_ten"] = "Nguyễn Văn Mới"
    write(src, small)
    capsys.readouterr()
    assert run_batch(src, "ra") == 1
    err = capsys.readouterr().err
    assert "Đơn vị thứ 2: Văn bản này đã được cấp số 02-QĐ/ĐU" in err and "[changed_input]" not in err
    assert "--reissue" in err and "--new-numbers" in err
    assert {p.name: p.read_bytes() for p in (workdir / "ra").glob("*.docx")} == before  # the folder as it was

    assert run_batch(src, "ra", "--reissue") == 0  # a corrected decision: a new number, the old one void
    got = numbers_of(workdir / "ra")
    assert got == {"Chi bộ Khu dân cư số 1": "01", "Chi bộ Khu dân cư số 2": "04", "Chi bộ Khu dân cư số 3": "03"}
    assert "Nguyễn Văn Mới" in Doc((workdir / "ra" / manifest(workdir / "ra")[1]["tep"]).read_bytes()).plain_text()
    old = entries(number=2)[0]
    assert old.state == "void" and old.void_reason.startswith("Thay bằng số 04-QĐ/ĐU")
    assert entries(number=4)[0].replaces_id == old.id

    small["don_vi"][2]["ket_qua"]["dang_vien"][0]["ho_ten"] = "Trần Thị Khác"
    write(src, small)
    assert run_batch(src, "ra", "--new-numbers") == 0  # another document: a new number, the old one stays
    assert numbers_of(workdir / "ra")["Chi bộ Khu dân cư số 3"] == "05"
    assert entries(number=3)[0].state == "issued"


def test_a_unit_that_fails_keeps_its_reserved_number_for_when_it_is_fixed(workdir, small, capsys):
    good = small["don_vi"][1]["ket_qua"]["dang_vien"][0]["ngay_sinh"]
    small["don_vi"][1]["ket_qua"]["dang_vien"][0]["ngay_sinh"] = "1970-02-30"
    src = write(workdir / "lo.json", small)
    assert run_batch(src, "ra") == 1
    assert "1 số đã giữ cho các văn bản lỗi (02-QĐ/ĐU)" in capsys.readouterr().err
    rows = manifest(workdir / "ra")
    assert [(r["so"], r["trang_thai"]) for r in rows] == [("01", "da_tao"), ("02", "loi"), ("03", "da_tao")]
    assert [(e.number, e.state) for e in entries()] == [(1, "issued"), (2, "reserved"), (3, "issued")]
    small["don_vi"][1]["ket_qua"]["dang_vien"][0]["ngay_sinh"] = good
    write(src, small)
    assert run_batch(src, "ra") == 0  # fixed: its number, kept for it; the others unchanged
    assert sorted(numbers_of(workdir / "ra").values()) == ["01", "02", "03"]
    assert [(e.number, e.state) for e in entries()] == [(1, "issued"), (2, "issued"), (3, "issued")]


def test_with_strict_an_invalid_batch_takes_no_number(workdir, small):
    small["don_vi"][1]["ket_qua"]["dang_vien"][0]["ngay_sinh"] = "1970-02-30"
    assert run_batch(write(workdir / "lo.json", small), "ra", "--strict") == 1
    assert not register.default_path().exists() or entries() == []


# ---------------------------------------------------------------- no register


def test_no_register_and_no_number_is_an_error_never_a_silent_01(workdir, small, capsys):
    src = write(workdir / "lo.json", small)
    assert run_batch(src, "ra", "--no-register") == 1
    err = capsys.readouterr().err
    assert "Mục Số bắt đầu:" in err and "không tự đặt số 01" in err and "[number_missing]" not in err
    assert not (workdir / "ra").exists()
    one = load_sample("ke_hoach_hong_quang_2025.json")
    del one["ban_hanh"]["so"]
    plan = write(workdir / "kh.json", one)
    assert cli(["render", "ke_hoach", str(plan), "-o", "kh.docx", "--no-register"]) == 1
    assert "Mục Ban hành › Số:" in capsys.readouterr().err and not (workdir / "kh.docx").exists()
    # numbered by hand: the data's numbers, nothing recorded
    assert run_batch(src, "ra", "--no-register", "--start-number", "7") == 0
    assert sorted(numbers_of(workdir / "ra").values()) == ["07", "08", "09"]
    # left blank for the clerk to write by hand after signing (a draft): room for it, nothing recorded
    assert cli(["render", "ke_hoach", str(plan), "-o", "kh.docx", "--de-trong-so"]) == 0
    assert f"Số {NO_NUMBER}-KH/ĐU" in Doc((workdir / "kh.docx").read_bytes()).plain_text()
    assert run_batch(src, "ra_trong", "--de-trong-so") == 0
    assert {r["so"] for r in manifest(workdir / "ra_trong")} == {""}
    assert not register.default_path().exists()


def test_a_register_path_that_does_not_exist_is_an_error_not_a_new_register(workdir, small, capsys, monkeypatch):
    src = write(workdir / "lo.json", small)
    assert run_batch(src, "ra", "--register", str(workdir / "o_mang" / "so.sqlite")) == 1
    assert "Không có sổ đăng ký văn bản đi tại" in capsys.readouterr().err and not (workdir / "ra").exists()
    shared = workdir / "so_chung.sqlite"
    assert cli(["register", "init", "--register", str(shared)]) == 0
    monkeypatch.setenv(register.ENV, str(shared))  # the office's shared register, named once
    assert run_batch(src, "ra") == 0
    assert [e.number for e in entries(shared)] == [1, 2, 3]
    assert not register.default_path().exists()


def test_documents_without_a_number_take_none(workdir):
    """The review forms print no number: a batch of them takes nothing from the register."""
    src = write(workdir / "lo.json", forms_batch("bao_cao_kiem_diem", units=1, members=3))
    assert cli(["batch", "bao_cao_kiem_diem", str(src), "-o", "ra", "--jobs", "1", "--no-register"]) == 0
    assert cli(["batch", "bao_cao_kiem_diem", str(src), "-o", "ra2", "--jobs", "1"]) == 0
    assert len(list((workdir / "ra2").glob("*.docx"))) == 3
    assert not register.default_path().exists() or entries() == []
