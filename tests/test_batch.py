"""Bulk production: numbering, manifest, failures alone, --strict, determinism, interruption, forms, CLI."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from conftest import needs_soffice, one_font_family
from docx_read import Doc

from docgen import batch
from docgen.cli import main as cli
from docgen.header import slug
from docgen.kinds.quyet_dinh_xep_loai.synthetic import dang_bo
from docgen.synthetic import forms_batch

# Bulk runs in worker processes (and one killed midway): the slow shell, out of make test-fast.
pytestmark = pytest.mark.slow


def write(path: Path, data) -> Path:
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def manifest(out: Path) -> list[dict]:
    text = (out / batch.MANIFEST).read_bytes().decode("utf-8")
    assert text.startswith("\ufeff")  # so that Excel reads the Vietnamese correctly
    return list(csv.DictReader(io.StringIO(text[1:])))


@pytest.fixture
def envelope():
    return dang_bo(units=5, members=12, start=7)


def test_numbers_are_consecutive_and_match_the_manifest_and_documents(workdir, envelope, capsys):
    src = write(workdir / "lo.json", envelope)
    assert cli(["batch", "quyet_dinh_xep_loai", str(src), "-o", "ra", "--jobs", "2"]) == 0
    rows = manifest(workdir / "ra")
    assert [r["so"] for r in rows] == ["07", "08", "09", "10", "11"]
    assert [r["don_vi"] for r in rows] == [f"Chi bộ Khu dân cư số {i}" for i in range(1, 6)]
    for row in rows:
        assert row["trang_thai"] == "da_tao"
        data = (workdir / "ra" / row["tep"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == row["sha256"]
        doc = Doc(data)
        assert doc.table_cell(0, 0, 0)[-1].text == f"Số {row['so']}-QĐ/ĐU"
        kem = doc.find("(Kèm theo Quyết định số", exact=False).text.replace("\n", " ")
        assert kem.startswith(f"(Kèm theo Quyết định số {row['so']}-QĐ/ĐU, ngày 15 tháng 12 năm 2025")
        assert doc.find("Điều 1. Xếp loại chất lượng năm 2025 đối với", exact=False).text.endswith(
            f"đảng viên {row['don_vi']}, như sau:"
        )
    assert "Đã tạo 5/5 văn bản" in capsys.readouterr().out


def test_start_number_option_wins(workdir, envelope):
    src = write(workdir / "lo.json", envelope)
    assert cli(["batch", "quyet_dinh_xep_loai", str(src), "-o", "ra", "--start-number", "201", "--jobs", "1"]) == 0
    assert [r["so"] for r in manifest(workdir / "ra")] == ["201", "202", "203", "204", "205"]


def test_file_names_are_ascii_unique_and_windows_safe(envelope):
    envelope["don_vi"][1]["ket_qua"]["don_vi"]["ten"] = envelope["don_vi"][0]["ket_qua"]["don_vi"]["ten"]
    envelope["don_vi"][2]["ket_qua"]["don_vi"]["ten"] = "Chi bộ Trường THPT “Lê Quý Đôn” / CON: <A*B>?"
    jobs = batch.plan("quyet_dinh_xep_loai", envelope)
    names = [j.file_name for j in jobs]
    assert len(set(n.lower() for n in names)) == len(names)
    for name in names:
        assert re.fullmatch(r"[a-z0-9-]+\.docx", name) and len(name) < 120, name
    assert names[2] == "qd-09-chi-bo-truong-thpt-le-quy-don-con-a-b.docx"
    assert slug("Đảng ủy phường Hồng Quang") == "dang-uy-phuong-hong-quang"


def test_a_bad_unit_fails_alone_and_is_reported(workdir, envelope, capsys):
    bad = envelope["don_vi"][2]["ket_qua"]["dang_vien"][3]
    bad["quyet_dinh"] = "HTXSNV"  # 88 points, not disciplined: points band breach
    bad["diem"] = {"nhom_1": 28, "nhom_2": 60, "tong": 88}
    envelope["don_vi"][4]["ket_qua"]["dang_vien"][0]["ngay_sinh"] = "1970-02-30"
    src = write(workdir / "lo.json", envelope)
    assert cli(["batch", "quyet_dinh_xep_loai", str(src), "-o", "ra", "--jobs", "2"]) == 1
    err = capsys.readouterr().err
    # each problem in the words of the document: its unit, the member counted from 1 and named, the field
    assert "  - Chi bộ Khu dân cư số 3: Đảng viên thứ 4 (Lý Minh Trang), mục Điểm: 88 điểm chỉ đạt mức " in err
    assert (
        "  - Chi bộ Khu dân cư số 5: Đảng viên thứ 1 (Đinh Kim Oanh), mục Ngày sinh: “1970-02-30” không phải ngày "
        "hợp lệ" in err
    )
    assert "$.don_vi" not in err and "[points_band]" not in err  # path and code: for programs (--json)
    rows = manifest(workdir / "ra")
    assert [r["trang_thai"] for r in rows] == ["da_tao", "da_tao", "loi", "da_tao", "loi"]
    assert rows[2]["tep"] == "" and "88 điểm chỉ đạt mức" in rows[2]["ghi_chu"] and rows[2]["so"] == "09"
    made = sorted(p.name for p in (workdir / "ra").glob("*.docx"))
    assert made == sorted(r["tep"] for r in rows if r["tep"])


def test_strict_writes_nothing(workdir, envelope, capsys):
    envelope["don_vi"][1]["ket_qua"]["dang_vien"][2]["quyet_dinh"] = "XUAT_SAC"
    src = write(workdir / "lo.json", envelope)
    assert cli(["batch", "quyet_dinh_xep_loai", str(src), "-o", "ra", "--strict"]) == 1
    assert "--strict" in capsys.readouterr().err
    assert not (workdir / "ra").exists()


def test_same_input_gives_byte_identical_files_and_zip(workdir, envelope):
    src = write(workdir / "lo.json", envelope)
    for out in ("a", "b"):
        assert cli(["batch", "quyet_dinh_xep_loai", str(src), "-o", out, "--zip", "--jobs", "2"]) == 0
    files_a = sorted(p.name for p in (workdir / "a").iterdir())
    assert files_a == sorted(p.name for p in (workdir / "b").iterdir())
    for name in files_a:
        assert (workdir / "a" / name).read_bytes() == (workdir / "b" / name).read_bytes(), name
    with zipfile.ZipFile(workdir / "a" / batch.ZIP_NAME) as z:
        assert z.namelist() == [r["tep"] for r in manifest(workdir / "a")] + [batch.MANIFEST]
        assert {i.date_time for i in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        assert z.testzip() is None


def test_interrupted_run_leaves_no_partial_files_and_rerun_is_safe(workdir):
    src = write(workdir / "lo.json", dang_bo(units=400, members=25))
    cmd = [sys.executable, "-m", "docgen.cli", "batch", "quyet_dinh_xep_loai", str(src), "-o", "ra", "--jobs", "2"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    out = workdir / "ra"
    deadline = time.monotonic() + 60
    while len(list(workdir.glob("ra.docgen-tmp-*/*.docx"))) < 20 and time.monotonic() < deadline:
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    assert not out.exists()  # the batch appears whole or not at all: it is built beside the folder
    [build] = workdir.glob("ra.docgen-tmp-*")
    made = list(build.glob("*.docx"))
    assert 0 < len(made) < 400, "the run should have been interrupted midway"
    for path in made:  # every document is complete; unfinished ones are hidden temporary files
        with zipfile.ZipFile(path) as z:
            assert z.testzip() is None
    assert not (build / batch.MANIFEST).exists()
    assert subprocess.run(cmd, capture_output=True).returncode == 0
    assert sorted(p.name for p in workdir.iterdir()) == ["lo.json", "ra"]  # the killed run's build is gone
    assert len(manifest(out)) == 400 and len(list(out.glob("*.docx"))) == 400


def test_progress_is_quiet_when_not_a_terminal(workdir, envelope, capfd):
    src = write(workdir / "lo.json", envelope)
    assert cli(["batch", "quyet_dinh_xep_loai", str(src), "-o", "ra", "--jobs", "1", "--bat-dau-lai", "nam"]) == 0
    out, err = capfd.readouterr()
    assert "\r" not in out + err and err == ""


def test_progress_bar_on_a_terminal():
    class Tty(io.StringIO):
        def isatty(self):
            return True

    stream = Tty()
    bar = batch.Progress(3, "văn bản", stream)
    for i in (1, 2, 3):
        bar(i)
    assert stream.getvalue().endswith("] 3/3 văn bản\n") and "\r[" in stream.getvalue()
    counted = Tty()  # the units of a batch file, counted as it is read: no total, a count, one line
    count = batch.Progress(None, "đơn vị đã đọc", counted)
    for i in range(1, 4):
        count(i)
        time.sleep(0.11)
    count.end()
    assert counted.getvalue() == "\r1 đơn vị đã đọc\r2 đơn vị đã đọc\r3 đơn vị đã đọc\n"


def test_validate_accepts_a_batch(workdir, envelope, capsys):
    src = write(workdir / "lo.json", envelope)
    assert cli(["validate", "quyet_dinh_xep_loai", str(src)]) == 0
    assert "Hợp lệ: 5 văn bản" in capsys.readouterr().out
    envelope["chung"]["nguoi_ky"]["tham_quyen"] = "TM. Ban Thường vụ"
    write(src, envelope)
    assert cli(["validate", "quyet_dinh_xep_loai", str(src)]) == 1
    err = capsys.readouterr().err
    assert err.count("  - Phần chung (5 văn bản): Mục Người ký › Thẩm quyền ký: “TM. Ban Thường vụ”: ") == 1


def test_submissions_keep_their_own_numbers(workdir):
    envelope = dang_bo(units=3, members=10)
    envelope["chung"] = {
        "che_do": "qd366_2025",
        "doi_tuong": "dang_vien",
        "nam": 2025,
        "ban_hanh": {
            "cap_tren": "Đảng bộ phường Hồng Quang",
            "ky_hieu": "TTr/CB",
            "dia_danh": "Hồng Quang",
            "ngay_ban_hanh": "2025-12-05",
        },
        "kinh_gui": "Ban Thường vụ Đảng ủy phường Hồng Quang",
        "noi_nhan": ["Như trên", "Lưu Chi bộ"],
    }
    for i, unit in enumerate(envelope["don_vi"]):
        name = unit["ket_qua"]["don_vi"]["ten"]
        unit["ket_qua"]["don_vi"] = {"ten": name, "de_xuat": "HTTNV"}
        for m in unit["ket_qua"]["dang_vien"]:
            m.pop("quyet_dinh")
        unit.pop("to_trinh"), unit.pop("thuc_hien")
        unit.update(
            chu_the_trinh=f"Chi ủy {name}",
            ban_hanh={"co_quan_ban_hanh": name, **({"so": 4} if i == 1 else {})},
            nguoi_ky={"tham_quyen": "T/M Chi ủy", "chuc_vu": "Bí thư", "ho_ten": "Nguyễn Văn An"},
        )
    src = write(workdir / "lo.json", {**envelope, "so_bat_dau": 1})
    assert cli(["batch", "to_trinh", str(src), "-o", "ra", "--jobs", "1"]) == 0
    assert [r["so"] for r in manifest(workdir / "ra")] == ["01", "04", "02"]


def test_forms_batch_one_prefilled_form_per_member(workdir):
    envelope = forms_batch("bao_cao_kiem_diem", units=2, members=21)
    src = write(workdir / "lo.json", envelope)
    assert cli(["batch", "bao_cao_kiem_diem", str(src), "-o", "ra", "--jobs", "2"]) == 0
    rows = manifest(workdir / "ra")
    assert len(rows) == 42 and all(r["so"] == "" for r in rows)
    skipped = [r for r in rows if r["trang_thai"] == "bo_qua"]
    assert len(skipped) == 2 and skipped[0]["ghi_chu"] == "được miễn công tác và sinh hoạt đảng"
    first = envelope["don_vi"][0]["ket_qua"]["dang_vien"][0]
    doc = Doc((workdir / "ra" / rows[0]["tep"]).read_bytes())
    doc.find(f"Họ và tên: {first['ho_ten']}")
    y, m, d = first["ngay_sinh"].split("-")
    doc.find(f"Ngày sinh: {d}/{m if int(m) < 3 else str(int(m))}/{y}")
    doc.find("Chi bộ: Chi bộ Khu dân cư số 1")
    assert "Năm 2025" in doc.texts() and "Hồng Quang, ngày …… tháng …… năm 2025" in doc.texts()
    assert [p.text for p in doc.table_cell(0, 0, 0) if p.text] == [
        "ĐẢNG BỘ PHƯỜNG HỒNG QUANG",
        "CHI BỘ KHU DÂN CƯ SỐ 1",
        "*",
    ]
    # the bí thư holds a leadership post: Mẫu 2A with the leadership items, left to fill
    assert any(t.startswith("6. Trách nhiệm nêu gương") for t in doc.texts())


def test_forms_batch_points_a_common_field_at_the_common_part(workdir, capsys):
    envelope = forms_batch("bao_cao_kiem_diem", units=2, members=6)
    del envelope["chung"]["dia_danh"]
    src = write(workdir / "lo.json", envelope)
    assert cli(["batch", "bao_cao_kiem_diem", str(src), "-o", "ra"]) == 1
    err = capsys.readouterr().err
    assert "Phần chung (12 văn bản): Mục Địa danh: Thiếu trường bắt buộc “dia_danh”.\n" in err


def test_kind_without_batch_is_a_usage_error(workdir, envelope, capsys):
    src = write(workdir / "lo.json", envelope)
    with pytest.raises(SystemExit) as exit_:
        cli(["batch", "ke_hoach", str(src), "-o", "ra"])
    assert exit_.value.code == 2 and "không tạo hàng loạt" in capsys.readouterr().err


@needs_soffice()
def test_pdf_every_document_and_one_merged_file_with_bookmarks(workdir, capsys):
    from pypdf import PdfReader

    src = write(workdir / "lo.json", dang_bo(units=3, members=8))
    assert cli(["batch", "quyet_dinh_xep_loai", str(src), "-o", "ra", "--pdf", "--zip", "--jobs", "2"]) == 0
    out = workdir / "ra"
    parts = sorted(out.glob("qd-*.pdf"))
    assert len(parts) == 3
    counts = [len(PdfReader(str(p)).pages) for p in parts]
    merged = PdfReader(str(out / batch.PDF_NAME))
    # decisions run to several pages: by default every one starts on an odd page (printing on both sides)
    blanks = sum(n % 2 for n in counts[:-1])
    assert len(merged.pages) == sum(counts) + blanks
    assert [o.title for o in merged.outline] == [f"Chi bộ Khu dân cư số {i}" for i in (1, 2, 3)]
    assert all(merged.get_destination_page_number(o) % 2 == 0 for o in merged.outline)
    with zipfile.ZipFile(out / batch.ZIP_NAME) as z:
        assert batch.PDF_NAME in z.namelist() and len([n for n in z.namelist() if n.endswith(".pdf")]) == 4
    said = capsys.readouterr().out
    assert "Đã gộp 3 PDF" in said and "in hai mặt" in said and "mỗi văn bản bắt đầu ở trang lẻ" in said
    one_font_family(out / batch.PDF_NAME)
    assert cli(["batch", "quyet_dinh_xep_loai", str(src), "-o", "mot_mat", "--pdf", "--khong-in-hai-mat"]) == 0
    assert len(PdfReader(str(workdir / "mot_mat" / batch.PDF_NAME)).pages) == sum(counts)
    assert f"{sum(counts)} trang, in một mặt" in capsys.readouterr().out


def test_pdf_without_libreoffice_still_makes_the_documents(workdir, monkeypatch, capsys):
    import docgen.pdf

    monkeypatch.setattr(docgen.pdf, "soffice_path", lambda: None)
    src = write(workdir / "lo.json", dang_bo(units=2, members=6))
    assert cli(["batch", "quyet_dinh_xep_loai", str(src), "-o", "ra", "--pdf"]) == 1
    err = capsys.readouterr().err
    assert "sudo apt-get install -y libreoffice-writer-nogui" in err and "vẫn đã được tạo" in err
    assert len(list((workdir / "ra").glob("*.docx"))) == 2 and not list((workdir / "ra").glob("*.pdf"))


def test_excel_template_round_trip_gives_the_same_documents_as_json(workdir, capsys):
    envelope = dang_bo(units=3, members=10)
    src = write(workdir / "lo.json", envelope)
    assert cli(["xlsx-template", "quyet_dinh_xep_loai", "-o", "trong.xlsx"]) == 0
    assert cli(["xlsx-template", "quyet_dinh_xep_loai", "-o", "lo.xlsx", "--from", str(src)]) == 0
    assert cli(["validate", "quyet_dinh_xep_loai", "lo.xlsx"]) == 0
    assert cli(["batch", "quyet_dinh_xep_loai", "lo.xlsx", "-o", "tu_excel", "--jobs", "1"]) == 0
    assert cli(["batch", "quyet_dinh_xep_loai", str(src), "-o", "tu_json", "--jobs", "1"]) == 0
    names = sorted(p.name for p in (workdir / "tu_json").glob("*.docx"))
    assert len(names) == 3 and names == sorted(p.name for p in (workdir / "tu_excel").glob("*.docx"))
    for name in names:
        assert (workdir / "tu_excel" / name).read_bytes() == (workdir / "tu_json" / name).read_bytes()


def test_discipline_kind_and_form_reach_the_workbook_and_back(workdir, capsys):
    """A member's muc_ky_luat and vi_pham_ky_luat go into the workbook made from a JSON batch and come back
    from it: the decisions (the annex's note says the form) are byte-identical."""
    envelope = dang_bo(units=2, members=10)
    disciplined = [m for u in envelope["don_vi"] for m in u["ket_qua"]["dang_vien"] if m.get("ky_luat_trong_nam")]
    assert disciplined
    for m in disciplined:
        m.update(muc_ky_luat="canh_cao", vi_pham_ky_luat="khac")
    src = write(workdir / "lo.json", envelope)
    assert cli(["xlsx-template", "quyet_dinh_xep_loai", "-o", "lo.xlsx", "--from", str(src)]) == 0
    assert cli(["batch", "quyet_dinh_xep_loai", "lo.xlsx", "-o", "tu_excel", "--jobs", "1"]) == 0
    assert cli(["batch", "quyet_dinh_xep_loai", str(src), "-o", "tu_json", "--jobs", "1"]) == 0
    names = sorted(p.name for p in (workdir / "tu_json").glob("*.docx"))
    assert names and names == sorted(p.name for p in (workdir / "tu_excel").glob("*.docx"))
    for name in names:
        assert (workdir / "tu_excel" / name).read_bytes() == (workdir / "tu_json" / name).read_bytes()
    text = "\n".join(t for name in names for t in Doc((workdir / "tu_json" / name).read_bytes()).texts())
    assert "Bị kỷ luật cảnh cáo trong năm" in text


def test_excel_rule_breach_names_sheet_row_and_column(workdir, capsys):
    from openpyxl import load_workbook

    envelope = dang_bo(units=2, members=10)
    src = write(workdir / "lo.json", envelope)
    assert cli(["xlsx-template", "quyet_dinh_xep_loai", "-o", "lo.xlsx", "--from", str(src)]) == 0
    book = load_workbook("lo.xlsx")
    sheet = book["Đảng viên"]
    headers = [c.value for c in sheet[1]]
    target = next(
        r for r in range(2, sheet.max_row + 1) if sheet.cell(r, headers.index("Kỷ luật trong năm") + 1).value == "Có"
    )
    sheet.cell(target, headers.index("Quyết định") + 1).value = "Hoàn thành nhiệm vụ"
    sheet.cell(3, headers.index("Ngày sinh") + 1).value = "31/02/1970"
    book.save("lo.xlsx")
    capsys.readouterr()
    assert cli(["batch", "quyet_dinh_xep_loai", "lo.xlsx", "-o", "ra"]) == 1
    err = capsys.readouterr().err
    assert "Sheet Đảng viên, dòng 3, cột C (Ngày sinh)" in err
    assert not (workdir / "ra").exists()
    sheet.cell(3, headers.index("Ngày sinh") + 1).value = None
    book.save("lo.xlsx")
    assert cli(["batch", "quyet_dinh_xep_loai", "lo.xlsx", "-o", "ra"]) == 1
    err = capsys.readouterr().err
    assert f"Sheet Đảng viên, dòng {target}, cột Q (Quyết định): Đảng viên " in err and "Bị kỷ luật trong năm" in err


# ---------------------------------------------------------------- rules across the documents of a batch


def _small_units(units: int, excellent: int) -> dict:
    """``units`` chi bộ of 4 members: the first ``excellent`` have one member HTXSNV, the others HTTNV — each
    within its own cap by the small-group exception (fewer than 5, all others HTTNV)."""
    envelope = dang_bo(units=units, members=4)
    for i, unit in enumerate(envelope["don_vi"]):
        for k, person in enumerate(unit["ket_qua"]["dang_vien"]):
            level = "HTXSNV" if (k == 1 and i < excellent) else "HTTNV"
            total = 92 if level == "HTXSNV" else 80
            person.update(
                tu_xep_loai=level,
                de_xuat=level,
                quyet_dinh=level,
                diem={"nhom_1": 25, "nhom_2": total - 25, "tong": total},
            )
            for key in ("ky_luat_trong_nam", "hinh_thuc_ky_luat"):
                person.pop(key, None)
    return envelope


GROUP = "đảng viên Đảng bộ phường Hồng Quang"


def test_the_cap_of_a_group_spread_over_documents_is_checked_together(workdir, capsys):
    envelope = _small_units(units=6, excellent=6)
    src = write(workdir / "lo.json", envelope)
    assert cli(["validate", "quyet_dinh_xep_loai", str(src)]) == 0  # each chi bộ alone is within its cap
    envelope["chung"]["ket_qua"] = {"nhom_tinh_ty_le": GROUP}  # the competent level: one group for the đảng bộ
    src = write(workdir / "lo.json", envelope)
    capsys.readouterr()
    assert cli(["validate", "quyet_dinh_xep_loai", str(src)]) == 1
    err = capsys.readouterr().err
    assert "Có 6/6 văn bản không hợp lệ" in err
    assert err.count(f"Danh sách đảng viên: Nhóm “{GROUP}” (tính chung 6 văn bản): ") == 6
    assert f"Nhóm “{GROUP}” (tính chung 6 văn bản): Có 6 trường hợp" in err and "(18): tối đa 3" in err
    jobs = batch.plan("quyet_dinh_xep_loai", envelope)
    assert all(j.problems and j.problems[0].path == "$.ket_qua.dang_vien" for j in jobs)
    assert "(Chi bộ Khu dân cư số 4)" in jobs[0].problems[0].message  # who, and in which document


def test_a_group_within_its_cap_is_produced_and_says_how_it_was_counted(workdir):
    envelope = _small_units(units=6, excellent=3)  # 3 of 21 HTTNV: within 20%
    envelope["chung"]["ket_qua"] = {"nhom_tinh_ty_le": GROUP}
    src = write(workdir / "lo.json", envelope)
    assert cli(["batch", "quyet_dinh_xep_loai", str(src), "-o", "ra", "--jobs", "1"]) == 0
    rows = manifest(workdir / "ra")
    doc = Doc((workdir / "ra" / rows[0]["tep"]).read_bytes())
    doc.find(
        "Số xếp loại “Hoàn thành xuất sắc nhiệm vụ” là 01 (một) đồng chí; tỷ lệ tối đa 20% so với số xếp loại "
        f"“Hoàn thành tốt nhiệm vụ” được tính chung cho {GROUP}."
    )
    # the same unit rendered alone cannot check its group: said as a warning, not silently passed
    from docgen import api

    one = batch.merge(envelope["chung"], envelope["don_vi"][0])
    built, problems = api.check("quyet_dinh_xep_loai", one)
    assert built is not None and [(p.code, p.severity) for p in problems] == [("cap_checked_by_batch", "warning")]


def test_a_group_with_a_broken_document_issues_none_of_its_documents(workdir, capsys):
    envelope = _small_units(units=4, excellent=1)
    envelope["chung"]["ket_qua"] = {"nhom_tinh_ty_le": GROUP}
    envelope["don_vi"][2]["ket_qua"]["dang_vien"][0]["quyet_dinh"] = "XUAT_SAC"  # not a level: cannot be counted
    src = write(workdir / "lo.json", envelope)
    assert cli(["batch", "quyet_dinh_xep_loai", str(src), "-o", "ra", "--jobs", "1"]) == 1
    err = capsys.readouterr().err
    # Every unit failed: no document is issued, and an output folder with nothing to issue is not made.
    assert err.count(f"Mục Kết quả › Nhóm tính chung tỷ lệ: Nhóm “{GROUP}” có 1 văn bản có lỗi") == 1
    assert "Đảng viên thứ 1 (" in err and "mục Quyết định: Giá trị “XUAT_SAC” không hợp lệ" in err
    assert not (workdir / "ra").exists()


def test_units_of_one_group_must_count_it_the_same_way(workdir):
    envelope = _small_units(units=3, excellent=0)
    for unit in envelope["don_vi"]:
        unit["ket_qua"]["nhom_tinh_ty_le"] = GROUP
    envelope["don_vi"][1]["ket_qua"]["cai_dat"] = {"tran_htxs_tinh_tren": "httnv_va_htxsnv"}
    jobs = batch.plan("quyet_dinh_xep_loai", envelope)
    assert [[p.code for p in j.problems] for j in jobs] == [["cap_group_settings"]] * 3
    envelope["don_vi"][2]["ket_qua"]["nhom_tinh_ty_le"] = "đảng viên khối cơ quan"  # another group: alone
    jobs = batch.plan("quyet_dinh_xep_loai", envelope)
    assert [[p.code for p in j.problems] for j in jobs] == [["cap_group_settings"]] * 2 + [[]]


def test_forms_batch_skips_members_admitted_less_than_six_months_before(workdir):
    envelope = forms_batch("bao_cao_kiem_diem", units=1, members=6)
    members = envelope["don_vi"][0]["ket_qua"]["dang_vien"]
    members[2]["ngay_vao_dang"] = "2025-09-02"
    members[3]["ngay_vao_dang"] = "2025-06-05"  # exactly 6 months before 05/12/2025: writes one
    envelope["don_vi"][0]["ket_qua"]["ngay_danh_gia"] = "2025-12-05"
    src = write(workdir / "lo.json", envelope)
    assert cli(["batch", "bao_cao_kiem_diem", str(src), "-o", "ra", "--jobs", "1"]) == 0
    rows = manifest(workdir / "ra")
    skipped = [r for r in rows if r["trang_thai"] == "bo_qua"]
    assert [r["don_vi"] for r in skipped] == [f"Chi bộ Khu dân cư số 1 - {members[2]['ho_ten']}"]
    assert skipped[0]["ghi_chu"] == ("mới kết nạp chưa đủ 06 tháng (vào Đảng ngày 02/9/2025, tính đến ngày 05/12/2025)")
    # without a rating or form date the months count to the end of the reviews, 31/12 (Hướng dẫn 43, 4.1)
    del envelope["don_vi"][0]["ket_qua"]["ngay_danh_gia"]
    jobs = batch.plan("bao_cao_kiem_diem", envelope)
    assert [j.skip for j in jobs if j.skip] == [
        "mới kết nạp chưa đủ 06 tháng (vào Đảng ngày 02/9/2025, tính đến ngày 31/12/2025)"
    ]
    # under Quy định 132 new members still wrote a review
    envelope["chung"]["che_do"] = "qd132_2018"
    assert [j.skip for j in batch.plan("bao_cao_kiem_diem", envelope) if j.skip] == []
