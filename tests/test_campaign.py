"""The campaign of a đảng bộ from one workbook: every document, numbered from the register, cross-referenced,
and its totals agreeing — read back from the .docx files; a wrong workbook reported all at once, untouched."""

from __future__ import annotations

import csv
import io
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import pytest
from conftest import SHARED, needs_shared_tools, needs_soffice
from openpyxl import load_workbook
from pypdf import PdfReader

from docgen import register, synthetic
from docgen.campaign import run as campaign_run
from docgen.campaign import workbook
from docgen.cli import main
from docgen.paths import SAMPLES_DIR

pytestmark = pytest.mark.slow  # Excel workbooks and bulk runs in worker processes

SAMPLE = SAMPLES_DIR / "chien_dich_dang_bo_hong_quang_2025.xlsx"
LEVELS = ["Hoàn thành xuất sắc nhiệm vụ", "Hoàn thành tốt nhiệm vụ", "Hoàn thành nhiệm vụ", "Không hoàn thành nhiệm vụ"]


def text_of(path: Path) -> str:
    d = docx.Document(path)
    parts = [p.text for p in d.paragraphs]
    for t in d.tables:
        for row in t.rows:
            parts.append(" | ".join(c.text for c in row.cells))
    return "\n".join(parts)


def manifest(folder: Path) -> list[dict]:
    with open(folder / "manifest.csv", encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


@pytest.fixture
def reg_path(tmp_path):
    path = tmp_path / "so.sqlite"
    register.create_register(path).close()
    return path


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    """The sample campaign made once, through the command line, with an isolated register."""
    base = tmp_path_factory.mktemp("campaign")
    reg = base / "so.sqlite"
    register.create_register(reg).close()
    out = base / "ket_qua"
    code = main(
        [
            "campaign",
            str(SAMPLE),
            "-o",
            str(out),
            "--register",
            str(reg),
            "--bat-dau-lai",
            "nam",
            "--zip",
            "--jobs",
            "2",
        ]
    )
    assert code == 0
    return out, reg


def test_every_document_is_made_and_listed(made):
    out, _ = made
    rows = manifest(out)
    kinds = [r["loai"] for r in rows]
    for wanted in (
        "Tờ trình",
        "Quyết định xếp loại đảng viên",
        "Quyết định xếp loại chi bộ",
        "Bản kiểm điểm (điền sẵn)",
    ):
        assert wanted in kinds
    assert kinds.count("Tờ trình") == 4 and kinds.count("Quyết định xếp loại đảng viên") == 4
    for r in rows:
        if r["trang_thai"] == "da_tao":
            assert (out / r["tep"]).is_file()
    # the exempt members and the member admitted in August write no review: listed, with the reason
    skipped = [r for r in rows if r["trang_thai"] == "bo_qua"]
    assert len(skipped) == 3 and all(r["ghi_chu"] for r in skipped)
    with zipfile.ZipFile(out / "tat_ca.zip") as z:
        assert set(z.namelist()) == {r["tep"] for r in rows if r["tep"]} | {"manifest.csv"}


def test_numbers_are_consecutive_and_decisions_cite_their_submission(made):
    out, reg_path = made
    rows = manifest(out)
    decisions = [r for r in rows if r["loai"].startswith("Quyết định")]
    assert [int(r["so"]) for r in decisions] == list(range(1, len(decisions) + 1))
    with register.open_register(reg_path) as reg:
        issued = {e.file_name: e for e in reg.entries()}
    assert all(e.state == "issued" for e in issued.values())
    for r in rows:
        if r["so"]:
            entry = issued[r["tep"]]
            assert f"{entry.number:02d}" == r["so"] and entry.sha256 == r["sha256"]
    submissions = {r["don_vi"]: r for r in rows if r["loai"] == "Tờ trình"}
    for r in decisions:
        unit = r["don_vi"].removesuffix(" (xếp loại chi bộ)")
        tt = issued[submissions[unit]["tep"]]
        text = text_of(out / r["tep"])
        day = tt.date.strftime("%d/%m/%Y")
        assert f"Xét Tờ trình số {tt.number:02d}-TTr/CB, ngày {day} của Chi ủy {unit}," in text
        assert f"Số {int(r['so']):02d}-QĐ/ĐU" in text
        tt_text = text_of(out / submissions[unit]["tep"])
        assert f"Số {tt.number:02d}-TTr/CB" in tt_text


def test_rerun_gives_the_same_numbers_and_bytes(made, tmp_path):
    out, reg_path = made
    before = manifest(out)
    again = tmp_path / "lan_2"
    assert main(["campaign", str(SAMPLE), "-o", str(again), "--register", str(reg_path), "--jobs", "1"]) == 0
    after = manifest(again)
    assert [(r["so"], r["tep"], r["sha256"]) for r in after] == [(r["so"], r["tep"], r["sha256"]) for r in before]
    with register.open_register(reg_path) as reg:
        assert len(reg.entries()) == sum(1 for r in before if r["so"])


def _plant(path: Path) -> list[tuple[str, int, str]]:
    """Five errors, one per sheet; returns where each is (sheet, row, column header)."""
    wb = load_workbook(path)

    def cell(sheet, row_match, header):
        ws = wb[sheet]
        headers = [c.value for c in ws[1]]
        col = headers.index(header) + 1
        for r in range(2, ws.max_row + 1):
            if row_match(ws, r):
                return ws.cell(r, col), r
        raise AssertionError((sheet, header))

    planted = []
    c, r = cell("Thông tin chung", lambda ws, r: ws.cell(r, 1).value == "Ngày kế hoạch", "Giá trị")
    c.value = "31/02/2025"  # no such day
    planted.append(("Thông tin chung", r, "Ngày kế hoạch"))
    c, r = cell("Đơn vị", lambda ws, r: ws.cell(r, 1).value == "Chi bộ Khu dân cư số 3", "Ngày họp chi bộ")
    c.value = "10/12/2025"  # after the tờ trình of 08/12 that reports it
    planted.append(("Đơn vị", r, "Ngày họp chi bộ"))
    c, r = cell("Đảng viên", lambda ws, r: ws.cell(r, 2).value and r == 5, "Tổng điểm")
    c.value = 99  # not the sum of its two groups
    planted.append(("Đảng viên", r, "Tổng điểm"))
    c, r = cell("Người ký", lambda ws, r: ws.cell(r, 1).value == "Quyết định xếp loại đảng viên", "Thẩm quyền ký")
    c.value = "TM. Ban Thường vụ"  # the state format, not the party's
    planted.append(("Người ký", r, "Thẩm quyền ký"))
    c, r = cell("Văn bản", lambda ws, r: ws.cell(r, 1).value == "Quyết định xếp loại chi bộ", "Ký hiệu")
    c.value = "QĐ-ĐU"
    planted.append(("Văn bản", r, "Ký hiệu"))
    wb.save(path)
    return planted


def test_five_planted_errors_are_reported_at_once_and_nothing_is_written(tmp_path, reg_path, capsys):
    book = tmp_path / "sai.xlsx"
    shutil.copy(SAMPLE, book)
    planted = _plant(book)
    inp = workbook.read(book)
    checked = campaign_run.check(inp, workers=1)
    places = {(p.where.sheet, p.where.row): p.where.header for p in checked.problems if p.is_error and p.where}
    for sheet, row, header in planted:
        assert (sheet, row) in places, (sheet, row)
        assert places[(sheet, row)] in (header, "")  # the cell, or the row when the rule speaks of several cells
    assert {p.where.sheet for p in checked.problems if p.where} == {s for s, _, _ in planted}
    out = tmp_path / "ket_qua"
    code = main(["campaign", str(book), "-o", str(out), "--register", str(reg_path), "--bat-dau-lai", "nam"])
    assert code == 1
    err = capsys.readouterr().err
    for sheet, row, _header in planted:
        assert f"Sheet {sheet}, dòng {row}" in err
    assert not out.exists() and not list(tmp_path.glob("ket_qua*"))
    with register.open_register(reg_path) as reg:
        assert reg.entries() == [] and reg.series() == []


def _counts(text: str, counter: str) -> dict[str, int]:
    """The level lines of a decision: 'Hoàn thành tốt nhiệm vụ: 16 (mười sáu) đồng chí, chiếm …'."""
    out = {}
    for level in LEVELS:
        m = re.search(rf"^- {level}: (\d+) \([^)]*\) {counter}, chiếm", text, re.MULTILINE)
        assert m, (level, text[:300])
        out[level] = int(m.group(1))
    m = re.search(rf"^Không đánh giá, xếp loại (\d+) \([^)]*\) {counter}:", text, re.MULTILINE)
    out["khong"] = int(m.group(1)) if m else 0
    return out


def test_report_totals_are_the_sums_of_the_decisions(made):
    out, _ = made
    rows = manifest(out)
    sums = {"đồng chí": dict.fromkeys([*LEVELS, "khong"], 0), "tổ chức": dict.fromkeys([*LEVELS, "khong"], 0)}
    for r in rows:
        counter = {"Quyết định xếp loại đảng viên": "đồng chí", "Quyết định xếp loại chi bộ": "tổ chức"}.get(r["loai"])
        if counter:
            for key, n in _counts(text_of(out / r["tep"]), counter).items():
                sums[counter][key] += n
    assert sums["đồng chí"]["khong"] == 3  # the sample's two exempt members and one admitted in August
    [report] = [r for r in rows if r["loai"] == "Báo cáo kết quả"]
    assert int(report["so"]) == 1
    d = docx.Document(out / report["tep"])
    [stats] = [t for t in d.tables if t.rows[0].cells[0].text == "Nội dung"]
    table = {row.cells[0].text: [c.text for c in row.cells] for row in stats.rows}
    for level in LEVELS:
        cells = table[f"- {level}"]
        assert int(cells[1]) == sums["tổ chức"][level] and int(cells[3]) == sums["đồng chí"][level]
    rated = [sum(sums[c][lv] for lv in LEVELS) for c in ("tổ chức", "đồng chí")]
    assert [int(table["Được đánh giá, xếp loại"][i]) for i in (1, 3)] == rated
    assert [int(table["Không đánh giá, xếp loại"][i]) for i in (1, 3)] == [
        sums[c]["khong"] for c in ("tổ chức", "đồng chí")
    ]
    assert [int(table["Tổng số"][i]) for i in (1, 3)] == [
        rated[k] + sums[c]["khong"] for k, c in enumerate(("tổ chức", "đồng chí"))
    ]
    # the report's sentences say the same as its table
    text = text_of(out / report["tep"])
    assert _counts(text.split("2. Đối với đảng viên")[1], "đồng chí") == sums["đồng chí"]
    assert _counts(text.split("2. Đối với đảng viên")[0], "tổ chức") == sums["tổ chức"]


NOTICE = "Thông báo kết quả đánh giá, xếp loại"


def _notice_counts(text: str, counter: str) -> dict[str, int]:
    """A part of the thông báo: its level lines, and those not rated (a numbered item there)."""
    out = {}
    for level in LEVELS:
        m = re.search(rf"^- {level}: (\d+) \([^)]*\) {counter}, chiếm", text, re.MULTILINE)
        assert m, (level, text[:300])
        out[level] = int(m.group(1))
    m = re.search(rf"^\d+\. Không đánh giá, xếp loại (\d+) \([^)]*\) {counter}:", text, re.MULTILINE)
    out["khong"] = int(m.group(1)) if m else 0
    m = re.search(rf"^\d+\. Tổng số [^:]+ của Đảng bộ phường Hồng Quang: (\d+) \([^)]*\) {counter}\.", text, re.M)
    assert m, text[:300]
    out["tong"] = int(m.group(1))
    return out


def _notice_agrees(out: Path, rows: list, text: str):
    """The thông báo's two parts read back: each level, those not rated and the total equal the sums of the
    decisions' level lines and the report's table."""
    assert "THÔNG BÁO" in text and "I. ĐỐI VỚI TỔ CHỨC ĐẢNG" in text and "II. ĐỐI VỚI ĐẢNG VIÊN" in text
    units_part, members_part = text.split("I. ĐỐI VỚI TỔ CHỨC ĐẢNG")[1].split("II. ĐỐI VỚI ĐẢNG VIÊN")
    stated = {"tổ chức": _notice_counts(units_part, "tổ chức"), "đồng chí": _notice_counts(members_part, "đồng chí")}
    sums = {c: dict.fromkeys([*LEVELS, "khong"], 0) for c in ("đồng chí", "tổ chức")}
    for r in rows:
        counter = {"Quyết định xếp loại đảng viên": "đồng chí", "Quyết định xếp loại chi bộ": "tổ chức"}.get(r["loai"])
        if counter:
            for key, n in _counts(text_of(out / r["tep"]), counter).items():
                sums[counter][key] += n
    [report] = [r for r in rows if r["loai"] == "Báo cáo kết quả"]
    [stats] = [t for t in docx.Document(out / report["tep"]).tables if t.rows[0].cells[0].text == "Nội dung"]
    table = {row.cells[0].text: [c.text for c in row.cells] for row in stats.rows}
    for column, counter in ((1, "tổ chức"), (3, "đồng chí")):
        for level in LEVELS:
            assert stated[counter][level] == sums[counter][level] == int(table[f"- {level}"][column]), level
        assert stated[counter]["khong"] == sums[counter]["khong"] == int(table["Không đánh giá, xếp loại"][column])
        assert stated[counter]["tong"] == int(table["Tổng số"][column])
        assert stated[counter]["tong"] == sum(sums[counter].values())
    return stated, units_part, members_part


def test_the_notice_of_results_states_the_decisions_and_the_report(made):
    """The thông báo kết quả joins the campaign: numbered in the đảng ủy's TB series, its tổ chức đảng and
    đảng viên parts the sums of the decisions, as the report's table says."""
    out, reg_path = made
    rows = manifest(out)
    [notice] = [r for r in rows if r["loai"] == NOTICE]
    with register.open_register(reg_path) as reg:
        [entry] = [e for e in reg.entries() if e.file_name == notice["tep"]]
    assert (entry.kind, entry.ky_hieu, entry.number) == ("thong_bao", "TB/ĐU", 1)
    assert entry.issuer == "Đảng ủy phường Hồng Quang" and notice["so"] == "01"
    text = text_of(out / notice["tep"])
    assert "Số 01-TB/ĐU" in text and "Hồng Quang, ngày 22 tháng 12 năm 2025" in text
    stated, units_part, members_part = _notice_agrees(out, rows, text)
    assert stated["đồng chí"]["khong"] == 3 and stated["tổ chức"]["tong"] == 4
    assert "mới kết nạp chưa đủ 06 tháng" in members_part  # the member admitted in August, with the reason


def test_each_chi_bo_has_a_ballot_of_the_members_it_rates(made):
    out, _ = made
    rows = manifest(out)
    decisions = {r["don_vi"]: r for r in rows if r["loai"] == "Quyết định xếp loại đảng viên"}
    ballots = [r for r in rows if r["loai"] == "Phiếu đánh giá, xếp loại"]
    assert sorted(r["don_vi"] for r in ballots) == sorted(decisions)
    for r in ballots:
        d = docx.Document(out / r["tep"])
        [table] = [t for t in d.tables if t.rows[0].cells[0].text == "TT"]
        assert [c.text for c in table.rows[0].cells][2:] == LEVELS
        names = [row.cells[1].text for row in table.rows[1:]]
        assert all([c.text for c in row.cells][2:] == ["□"] * 4 for row in table.rows[1:])
        decided = text_of(out / decisions[r["don_vi"]]["tep"])
        assert len(names) == sum(_counts(decided, "đồng chí")[level] for level in LEVELS)
        assert all(name in decided for name in names)


@needs_soffice()
def test_print_files_one_per_kind(tmp_path, reg_path):
    book = tmp_path / "nho.xlsx"
    book.write_bytes(workbook.build_template(synthetic.campaign(2, [6, 5])))
    out = tmp_path / "in"
    args = ["campaign", str(book), "-o", str(out), "--register", str(reg_path), "--bat-dau-lai", "nam", "--pdf"]
    assert main([*args, "--zip", "--jobs", "2"]) == 0
    rows = manifest(out)
    by_kind: dict[str, list] = {}
    for r in rows:
        if r["tep"]:
            by_kind.setdefault(r["loai"], []).append(r)
    parts = {campaign_run.plan.part(key)[2]: key for key in campaign_run.plan.parts()}
    for title, made in by_kind.items():
        printed = PdfReader(out / campaign_run.PRINT_FILE.format(part=parts[title]))
        assert [o.title for o in printed.outline] == [r["don_vi"] for r in made]
        pages = [len(PdfReader(out / r["tep"].replace(".docx", ".pdf")).pages) for r in made]
        double = any(n > 1 for n in pages)
        blanks = sum(1 for n in pages[:-1] if n % 2) if double else 0
        assert len(printed.pages) == sum(pages) + blanks
    with zipfile.ZipFile(out / "tat_ca.zip") as z:
        names = set(z.namelist())
    assert {f"tat_ca_{key}.pdf" for key in ("to_trinh", "qd_dang_vien", "qd_chi_bo", "bao_cao", "phieu")} <= names
    check_layout = SHARED / "tools" / "check_layout.py"
    if check_layout.is_file():  # the printed pages as a reader sees them: a document of each kind (a print file
        # joins documents, each numbering its own pages, with blank backs: not one document)
        printed = [str(out / made[0]["tep"].replace(".docx", ".pdf")) for made in by_kind.values()]
        done = subprocess.run([sys.executable, str(check_layout), *printed], capture_output=True, text=True)
        assert done.returncode == 0 and "FAIL" not in done.stdout, done.stdout


def test_a_kind_that_joins_the_campaign_is_made_with_it(tmp_path, reg_path, monkeypatch):
    """A registered kind with the campaign capability (the thông báo of the results, when it exists) gets its
    rows on the sheets and its document, numbered in its own series, without the campaign naming it."""
    import dataclasses

    from docgen import kinds
    from docgen.kinds import CampaignSpec, bao_cao_ket_qua

    def data(parts):
        report, row = parts["bao_cao"], parts["van_ban"]
        ban_hanh = {**report["ban_hanh"], "ky_hieu": row["ky_hieu"], "ngay_ban_hanh": row["ngay_ban_hanh"]}
        ban_hanh.pop("so", None)
        return {**report, "ban_hanh": ban_hanh, "nguoi_ky": parts["nguoi_ky"], "noi_nhan": row["noi_nhan"]}

    joining = dataclasses.replace(
        bao_cao_ket_qua.KIND, name="thong_bao_thu", code="TB", campaign=CampaignSpec("Thông báo kết quả (thử)", data)
    )
    monkeypatch.setitem(kinds.KINDS, joining.name, joining)
    rows = synthetic.campaign(2, [6, 5])
    for sheet in ("van_ban", "nguoi_ky"):  # the workbook as typed before the kind joined: without its rows
        rows[sheet] = [r for r in rows[sheet] if r["Văn bản"] != joining.name]
    template = load_workbook(io.BytesIO(workbook.build_template()))
    assert "Thông báo kết quả (thử)" in [c.value for col in template["Danh mục"].iter_cols() for c in col]
    book = tmp_path / "co_thong_bao.xlsx"
    book.write_bytes(workbook.build_template(rows))
    missing = workbook.read(book)
    assert [p.code for p in missing.problems] == ["xlsx_document_missing", "xlsx_document_missing"]
    assert {p.where.sheet for p in missing.problems} == {"Văn bản", "Người ký"}
    rows["van_ban"].append(
        {
            "Văn bản": joining.name,
            "Ký hiệu": "BC/ĐU",
            "Ngày ban hành": "2025-12-23",
            "Nơi nhận": ["Các chi bộ", "Lưu Văn phòng Đảng ủy"],
        }
    )
    rows["nguoi_ky"].append(
        {"Văn bản": joining.name, **{k: v for k, v in rows["nguoi_ky"][0].items() if k != "Văn bản"}}
    )
    book.write_bytes(workbook.build_template(rows))
    with register.open_register(reg_path) as reg:
        result = campaign_run.make(workbook.read(book), tmp_path / "ra", reg, restart="nam", workers=1)
    assert result.ok, [str(p) for p in result.problems]
    [made] = [r for r in manifest(tmp_path / "ra") if r["loai"] == "Thông báo kết quả (thử)"]
    # the builder borrowed here is the report's, so its ký hiệu is BC: the next number of the đảng ủy's BC series
    assert made["so"] == "02" and "Số 02-BC/ĐU" in text_of(tmp_path / "ra" / made["tep"])


def _promote(rows: dict, unit: str, count: int) -> None:
    """``count`` more members of ``unit`` decided HTXSNV (with the points the level needs)."""
    members = [m for m in rows["members"] if m["Chi bộ"] == unit and m.get("Quyết định") == "HTTNV"][1:]
    for m in members[:count]:
        m.update({"Tự xếp loại": "HTXSNV", "Đề xuất": "HTXSNV", "Quyết định": "HTXSNV"})
        m.update({"Điểm nhóm 1": 28, "Điểm nhóm 2": 64, "Tổng điểm": 92})


@pytest.mark.parametrize("promoted, over", [(1, False), (2, True)])
def test_the_excellence_cap_is_counted_over_the_dang_bo(tmp_path, promoted, over):
    """One chi bộ alone over 20% is allowed when the đảng bộ's members together are not (the group the
    workbook names, by default the đảng bộ); over the group, every decision of it is refused."""
    rows = synthetic.campaign(3, [10, 10, 10])
    _promote(rows, "Chi bộ Khu dân cư số 1", promoted)
    book = tmp_path / "ty_le.xlsx"
    book.write_bytes(workbook.build_template(rows))
    checked = campaign_run.check(workbook.read(book), workers=1)
    caps = [p for p in checked.problems if p.code == "excellence_cap"]
    assert bool(caps) == over, [str(p) for p in checked.problems]
    assert not [p for p in checked.problems if p.is_error and p.code != "excellence_cap"]
    if over:
        assert all("Đảng bộ phường Hồng Quang" in p.message for p in caps)
        assert {p.unit.split(" và ")[0] for p in caps} >= {"Chi bộ Khu dân cư số 1"}


def test_the_secretary_is_not_rated_above_the_chi_bo(tmp_path):
    rows = synthetic.campaign(2, [6, 5])
    rows["units"][0]["Mức quyết định chi bộ"] = "HTNV"  # its secretary is decided HTTNV
    book = tmp_path / "bi_thu.xlsx"
    book.write_bytes(workbook.build_template(rows))
    checked = campaign_run.check(workbook.read(book), workers=1)
    heads = [p for p in checked.problems if p.code == "head_above_unit"]
    assert heads and all(p.where.sheet == "Đảng viên" and p.where.row == 2 for p in heads), [
        str(p) for p in checked.problems
    ]


@needs_shared_tools()
def test_one_document_of_each_kind_passes_the_format_checker(made):
    from test_samples import NOT_A_FORMAL_DOCUMENT

    out, _ = made
    first = {}
    for r in manifest(out):
        if r["tep"]:
            first.setdefault(r["loai"], r)
    kinds_of = {campaign_run.plan.part(k)[2]: campaign_run.plan.part(k)[0] for k in campaign_run.plan.parts()}
    for title, r in first.items():
        args = [sys.executable, str(SHARED / "tools" / "check_format.py"), str(out / r["tep"])]
        if not r["so"]:
            args.append("--no-number")
        done = subprocess.run(args, capture_output=True, text=True)
        failed = {line.split()[1].rstrip(":") for line in done.stdout.splitlines() if line.startswith("FAIL")}
        assert failed <= set(NOT_A_FORMAL_DOCUMENT.get(kinds_of[title], {})), (title, done.stdout)


def test_new_series_are_asked_for_once_and_nothing_is_taken(tmp_path, reg_path):
    book = tmp_path / "tam.xlsx"
    book.write_bytes(workbook.build_template(synthetic.campaign(8, 4)))
    out = tmp_path / "ra"
    with register.open_register(reg_path) as reg:
        result = campaign_run.make(workbook.read(book), out, reg, workers=1)  # no restart given: the register asks
        assert [p.code for p in result.problems] == ["series_restart_unknown"]
        # 8 chi bộ's TTr/CB, and the đảng ủy's QĐ/ĐU, BC/ĐU and TB/ĐU
        assert "11 dãy số" in result.problems[0].message and "--bat-dau-lai nam" in result.problems[0].message
        assert reg.series() == [] and reg.entries() == []
    assert not out.exists() and not list(tmp_path.glob("ra.*"))


def test_a_missing_sheet_is_named(tmp_path, reg_path, capsys):
    book = tmp_path / "thieu.xlsx"
    shutil.copy(SAMPLE, book)
    wb = load_workbook(book)
    del wb["Người ký"]
    wb.save(book)
    assert main(["campaign", str(book), "-o", str(tmp_path / "ra"), "--register", str(reg_path)]) == 1
    assert "Thiếu sheet “Người ký”" in capsys.readouterr().err
    assert not (tmp_path / "ra").exists()


def test_the_notice_is_dated_after_the_decisions_it_states(tmp_path):
    rows = synthetic.campaign(2, [6, 5])
    [row] = [r for r in rows["van_ban"] if r["Văn bản"] == "thong_bao"]
    row["Ngày ban hành"] = "2025-12-10"  # the decisions are of 18/12
    book = tmp_path / "tb_som.xlsx"
    book.write_bytes(workbook.build_template(rows))
    checked = campaign_run.check(workbook.read(book), workers=1)
    [found] = [p for p in checked.problems if p.is_error]
    assert found.code == "date_order" and found.where.sheet == "Văn bản"
    assert "Thông báo kết quả đánh giá, xếp loại ngày 10/12/2025 trước quyết định ngày 18/12/2025" in found.message


def test_the_notice_rates_each_member_on_the_day_of_their_chi_bo(tmp_path, reg_path):
    """Chi bộ meeting on different days: a member admitted six months before the last meeting but not before
    their own is not rated in their decision, nor in the thông báo that joins every chi bộ."""
    rows = synthetic.campaign(3, [6, 5, 6])
    assert [u["Ngày họp chi bộ"] for u in rows["units"]] == ["2025-12-03", "2025-12-04", "2025-12-05"]
    member = [m for m in rows["members"] if m["Chi bộ"] == "Chi bộ Khu dân cư số 1"][-1]
    for key in ("Tự xếp loại", "Đề xuất", "Quyết định", "Điểm nhóm 1", "Điểm nhóm 2", "Tổng điểm"):
        member.pop(key, None)
    member["Ngày vào Đảng"] = "2025-06-04"  # six months on 04/12: after its chi bộ's 03/12, before the last 05/12
    book = tmp_path / "ngay_hop.xlsx"
    book.write_bytes(workbook.build_template(rows))
    with register.open_register(reg_path) as reg:
        result = campaign_run.make(workbook.read(book), tmp_path / "ra", reg, restart="nam", workers=1)
    assert result.ok, [str(p) for p in result.problems]
    made = manifest(tmp_path / "ra")
    [notice] = [r for r in made if r["loai"] == NOTICE]
    stated, _, members_part = _notice_agrees(tmp_path / "ra", made, text_of(tmp_path / "ra" / notice["tep"]))
    assert stated["đồng chí"]["khong"] == 1 and "01 (một) đồng chí mới kết nạp chưa đủ 06 tháng" in members_part
