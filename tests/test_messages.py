"""Messages in the terms of the file the clerk holds, all at once, in Vietnamese.

A person reads the place as she knows it — "Đảng viên thứ 2 (Nguyễn Văn A), mục Quyết định" for a JSON
file, "Sheet Đảng viên, dòng 14, cột C (Họ và tên)" for a workbook — and the message; the JSON path and the
stable code are for programs (``--json``, the web API). A workbook's problems come in one run; "did you
mean" points at what was meant; curly quotes are named; and no English word reaches a person: every error
path of the command line and the web page's error responses are read against a short allow-list.
"""

from __future__ import annotations

import copy
import io
import json
import re
import zipfile

import pytest
from conftest import load_sample
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from docgen import kinds
from docgen.cli import _parser
from docgen.cli import main as cli
from docgen.kinds.quyet_dinh_xep_loai.synthetic import dang_bo
from docgen.paths import SAMPLES_DIR, SCHEMAS_DIR, TEMPLATES_DIR
from docgen.places import LABELS
from docgen.validation import suggest
from docgen.web import create_app
from docgen.xlsx.write import build_workbook

QD, KH = "quyet_dinh_xep_loai", "ke_hoach"
QD_SAMPLE = "quyet_dinh_xep_loai_dang_vien_khu_dan_cu_so_1_2025.json"
KH_SAMPLE = "ke_hoach_hong_quang_2025.json"
NAME_MISSING = 'Thiếu trường bắt buộc “ho_ten”. Cần điền: Họ và tên, ví dụ "Nguyễn Văn An".'


@pytest.fixture
def workdir(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return tmp_path


def write(path, data) -> str:
    path.write_text(data if isinstance(data, str) else json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return str(path)


def lines(err: str) -> list[str]:
    return [line[4:] for line in err.splitlines() if line.startswith("  - ")]


def workbook(path, envelope, edits: dict) -> str:
    """A workbook of ``envelope`` with cells set by (sheet, row, header) — as a clerk would type them."""
    book = load_workbook(io.BytesIO(build_workbook(QD, envelope)))
    for (sheet, row, header), value in edits.items():
        ws = book[sheet]
        if sheet == "Thông tin chung":  # rows named by their item ("Mục"), the value in column B
            row = next(r[0].row for r in ws.iter_rows(min_row=2) if r[0].value == header)
            ws.cell(row, 2).value = value
            continue
        col = next(c.column for c in ws[1] if c.value == header)
        ws.cell(row, col).value = value
    book.save(path)
    return str(path)


def variant(out, subject: str):
    """The kế hoạch's built-in template with its subject line's tag replaced by ``subject``: a real .docx."""
    with zipfile.ZipFile(TEMPLATES_DIR / kinds.get(KH).template) as zin, zipfile.ZipFile(out, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "word/document.xml":
                assert b"{{ trich_yeu }}" in data
                data = data.replace(b"{{ trich_yeu }}", subject.encode(), 1)
            zout.writestr(item, data)
    return out


# ---------------------------------------------------------------- 1. the place as she knows it


def test_second_members_missing_name_in_a_json_file(workdir, capsys):
    data = load_sample(QD_SAMPLE)
    del data["ket_qua"]["dang_vien"][1]["ho_ten"]
    assert cli(["validate", QD, write(workdir / "qd.json", data)]) == 1
    err = capsys.readouterr().err
    assert lines(err) == [f"Đảng viên thứ 2, mục Họ và tên: {NAME_MISSING}"]
    assert "$." not in err and "[required]" not in err
    # for programs: the JSON path (counting from 0) and the code, with the same words
    assert cli(["validate", QD, "qd.json", "--json"]) == 1
    assert json.loads(capsys.readouterr().out) == [
        {
            "path": "$.ket_qua.dang_vien[1].ho_ten",
            "code": "required",
            "message": NAME_MISSING,
            "severity": "error",
            "where": "Đảng viên thứ 2, mục Họ và tên",
        }
    ]


def test_a_named_member_and_a_rule_in_a_json_file(workdir, capsys):
    data = load_sample(QD_SAMPLE)
    data["ket_qua"]["dang_vien"][3]["diem"]["tong"] = 99  # 29 + 64
    assert cli(["validate", QD, write(workdir / "qd.json", data)]) == 1
    # the rule's "Đảng viên Phạm Thị Hương: …" becomes the place's name, said once
    assert lines(capsys.readouterr().err) == [
        "Đảng viên thứ 4 (Phạm Thị Hương), mục Điểm: Tổng điểm ghi 99 nhưng nhóm 1 + nhóm 2 = 29 + 64 = 93."
    ]


@pytest.mark.slow
def test_second_members_missing_name_in_a_workbook(workdir, capsys):
    envelope = dang_bo(units=1, members=4)
    path = workbook(workdir / "lo.xlsx", envelope, {("Đảng viên", 3, "Họ và tên"): None})
    assert cli(["validate", QD, path]) == 1
    unit = envelope["don_vi"][0]["ket_qua"]["don_vi"]["ten"]
    assert lines(capsys.readouterr().err) == [
        f"{unit}: Sheet Đảng viên, dòng 3, cột B (Họ và tên): Chưa điền; ô này bắt buộc."
    ]


@pytest.mark.slow
def test_a_rule_in_a_workbook_names_the_columns_not_the_json_fields(workdir, capsys):
    envelope = dang_bo(units=1, members=4)
    path = workbook(
        workdir / "lo.xlsx",
        envelope,
        {("Đảng viên", 4, "Kỷ luật trong năm"): "Có", ("Đảng viên", 4, "Quyết định"): "HTTNV"},
    )
    assert cli(["validate", QD, path]) == 1
    [line] = lines(capsys.readouterr().err)
    assert "Sheet Đảng viên, dòng 4, cột Q (Quyết định): Đảng viên " in line
    assert "ghi lý do ở “Lý do ngoại lệ kỷ luật”" in line and "ngoai_le_ky_luat" not in line


@pytest.mark.slow
def test_the_kind_of_violation_and_the_form_of_discipline_in_a_workbook(workdir, capsys):
    """Quy định 366: discipline forces KHTNV only for the violations it lists, so the workbook records the kind
    ("Loại vi phạm") and the form ("Mức kỷ luật") as the JSON does, and the rule names those columns."""
    envelope = dang_bo(units=1, members=4)
    disciplined = {("Đảng viên", 4, "Kỷ luật trong năm"): "Có", ("Đảng viên", 4, "Quyết định"): "HTTNV"}
    assert cli(["validate", QD, workbook(workdir / "a.xlsx", envelope, disciplined)]) == 1
    [line] = lines(capsys.readouterr().err)
    assert "ghi loại vi phạm ở “Loại vi phạm”" in line and "vi_pham_ky_luat" not in line
    other = {("Đảng viên", 4, "Loại vi phạm"): "Vi phạm khác, không thuộc các trường hợp Quy định nêu"}
    other[("Đảng viên", 4, "Mức kỷ luật")] = "Khiển trách"
    assert cli(["validate", QD, workbook(workdir / "b.xlsx", envelope, {**disciplined, **other})]) == 0
    capsys.readouterr()
    listed = {("Đảng viên", 4, "Loại vi phạm"): "dieu_cam", ("Đảng viên", 4, "Mức kỷ luật"): "cảnh cáo"}
    assert cli(["validate", QD, workbook(workdir / "c.xlsx", envelope, {**disciplined, **listed})]) == 1
    [line] = lines(capsys.readouterr().err)
    assert "Sheet Đảng viên, dòng 4, cột Q (Quyết định)" in line
    assert "Bị kỷ luật cảnh cáo trong năm do vi phạm những điều đảng viên không được làm" in line
    unknown = {("Đảng viên", 4, "Loại vi phạm"): "Vi phạm giao thông"}
    assert cli(["validate", QD, workbook(workdir / "d.xlsx", envelope, {**disciplined, **unknown})]) == 1
    err = capsys.readouterr().err
    assert "(Loại vi phạm): “Vi phạm giao thông” không có trong danh sách" in err


def test_every_schema_field_has_a_label():
    """The one label table covers every property of every schema: a new field gets its Vietnamese label."""
    keys = set()

    def walk(node):
        if isinstance(node, dict):
            keys.update(k for k in node.get("properties", {}) if isinstance(node["properties"], dict))
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    for path in SCHEMAS_DIR.glob("*.schema.json"):
        walk(json.loads(path.read_text(encoding="utf-8")))
    assert sorted(keys - set(LABELS)) == []


# ---------------------------------------------------------------- 2. a workbook in one run


@pytest.mark.slow
def test_a_workbook_with_a_problem_of_each_kind_in_different_sheets_in_one_run(workdir, capsys):
    envelope = dang_bo(units=2, members=5)
    members = [m for u in envelope["don_vi"] for m in u["ket_qua"]["dang_vien"]]
    scored = next(i for i, m in enumerate(members) if isinstance(m.get("diem"), dict) and "tong" in m["diem"])
    points = members[scored]["diem"]
    path = workbook(
        workdir / "lo.xlsx",
        envelope,
        {
            ("Thông tin chung", 0, "Sắp xếp theo tên"): "Chắc chắn",  # a choice that is not one
            ("Đơn vị", 3, "Ngày đánh giá"): "hôm qua",  # a date that is not one
            ("Đảng viên", 3, "Ngày sinh"): "32/1/1980",  # a date that is not one
            ("Đảng viên", 4, "Họ và tên"): None,  # the schema: a required value missing
            ("Đảng viên", scored + 2, "Tổng điểm"): points["nhom_1"] + points["nhom_2"] + 5,  # a rule: the total
        },
    )
    assert cli(["validate", QD, path]) == 1
    found = lines(capsys.readouterr().err)
    places = [re.match(r"(?:[^:]+: )?(Sheet [^:]+):", line).group(1) for line in found]
    assert places[:3] == [
        "Sheet Thông tin chung, dòng 19, mục Sắp xếp theo tên",
        "Sheet Đơn vị, dòng 3, cột C (Ngày đánh giá)",
        "Sheet Đảng viên, dòng 3, cột C (Ngày sinh)",
    ]
    assert sorted(places[3:]) == sorted(
        ["Sheet Đảng viên, dòng 4, cột B (Họ và tên)", f"Sheet Đảng viên, dòng {scored + 2}"]
    )
    assert any("nhưng nhóm 1 + nhóm 2 =" in line for line in found)


# ---------------------------------------------------------------- 3. did you mean, curly quotes


MEMBER_FIELDS = list(
    json.loads((SCHEMAS_DIR / "ket_qua_xep_loai.schema.json").read_text("utf-8"))["$defs"]["dang_vien"]["properties"]
)
TYPOS = [
    ("ky_luat", "ky_luat_trong_nam"),  # the start of the name, not the exception field ngoai_le_ky_luat
    ("ho_tne", "ho_ten"),
    ("hoten", "ho_ten"),
    ("ngay_vao", "ngay_vao_dang"),
    ("xep_loai", "tu_xep_loai"),  # a whole part of the name
    ("quyet_dinh_cuoi", "quyet_dinh"),  # more than the name
    ("nghi_om", "nghi_om_thang"),
    ("de_xuat_xep_loai", "de_xuat"),
    ("chuc_vu", "chuc_vu_dang"),
    ("thai_san", "nghi_thai_san"),
]


@pytest.mark.parametrize("typed, meant", TYPOS)
def test_did_you_mean_for_the_fields_users_mistype(typed, meant):
    assert suggest(typed, MEMBER_FIELDS) == meant


def test_did_you_mean_in_the_message(workdir, capsys):
    data = load_sample(QD_SAMPLE)
    data["ket_qua"]["dang_vien"][0]["ky_luat"] = False
    assert cli(["validate", QD, write(workdir / "qd.json", data)]) == 1
    assert lines(capsys.readouterr().err) == [
        "Đảng viên thứ 1 (Nguyễn Văn Hùng), mục “ky_luat”: Không có trường này ở đây (gõ sai tên trường thì dữ "
        "liệu của nó bị bỏ mất). Có phải là “ky_luat_trong_nam”?"
    ]


CURLY = (
    "Dòng {line}, cột {column} có dấu nháy cong {quote} (Word và nhiều trình soạn thảo tự đổi dấu nháy thẳng thành "
    '“ ” hoặc ‘ ’). Tên trường và giá trị chữ trong tệp JSON phải đặt trong dấu nháy thẳng "…": hãy thay các dấu '
    "nháy cong bao quanh chúng (dấu nháy cong bên trong một giá trị chữ thì giữ nguyên), hoặc soạn tệp bằng "
    "Notepad thay vì Word."
)


@pytest.mark.parametrize(
    "text, line, column, quote",
    [
        ('{\n  “trich_yeu”: "Kế hoạch"\n}', 2, 3, "“"),  # around a field's name
        ('{\n  "trich_yeu": "Kế hoạch “năm” 2025”\n}', 2, 36, "”"),  # a closing quote: the string runs on
        ('{\n  "nam": 2025,\n  "trich_yeu": ‘Kế hoạch’\n}', 3, 16, "‘"),  # single curly quotes
    ],
)
def test_curly_quotes_are_named_with_their_line_and_column(workdir, capsys, text, line, column, quote):
    assert cli(["validate", KH, write(workdir / "kh.json", text)]) == 1
    assert lines(capsys.readouterr().err) == [CURLY.format(line=line, column=column, quote=quote)]


def test_curly_quotes_inside_a_value_are_text(workdir, capsys):
    data = load_sample(KH_SAMPLE)
    data["trich_yeu"] = "về “kiểm điểm” năm 2025"
    assert cli(["validate", KH, write(workdir / "kh.json", data)]) == 0


# ---------------------------------------------------------------- 4. the command line in Vietnamese


def test_a_wrong_command_suggests_the_right_one(capsys):
    with pytest.raises(SystemExit) as exit:
        cli(["rendr", KH, "kh.json"])
    assert exit.value.code == 2
    err = capsys.readouterr().err
    assert err.splitlines()[-1] == "Lỗi cách dùng: lệnh không có: 'rendr' — có phải ý bạn là 'render'?"
    assert err.startswith("Cách dùng: docgen")


def test_a_broken_template_at_render_says_what_template_check_says(workdir, capsys):
    broken = variant(workdir / "mau.docx", "{% if trich_yeu %}{{ trich_yeu }}")
    assert cli(["template", "check", str(broken), "--kind", KH]) == 1
    checked = lines(capsys.readouterr().err)
    assert checked == [
        "thân văn bản — “{% if trich_yeu %}{{ trich_yeu }}”: Thẻ “{% if trich_yeu %}” mở một khối “if” nhưng không "
        "có thẻ đóng “{% endif %}”."
    ]
    sample = str(SAMPLES_DIR / KH_SAMPLE)
    assert cli(["render", KH, sample, "--template", str(broken), "-o", "ra.docx"]) == 1
    err = capsys.readouterr().err
    assert err == f"Lỗi: Mẫu “mau.docx” có 1 lỗi:\n  - {checked[0]}\n"
    assert not (workdir / "ra.docx").exists()


# ---------------------------------------------------------------- no English word a person reads

# A word is Vietnamese when it has a Vietnamese letter, or is a syllable Vietnamese spells without one
# ("cho", "theo", "in"); English words break that spelling ("the following", "choose", "required").
_SYLLABLE = re.compile(r"(ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnpqrstvx])?[aeiouy]{1,3}(ng|nh|ch|[cmnpt])?")
# Names that are not English prose: products, formats, the program, JSON's literals, Excel's "Sheet".
ALLOWED = {"docgen", "json", "excel", "word", "pdf", "libreoffice", "notepad", "jinja", "docx", "xlsx", "xlsm"}
ALLOWED |= {"true", "false", "null", "sheet", "zip", "xml", "utf", "png", "csv", "txt", "web"}  # "trang web"


def english_words(text: str, commands: set[str]) -> list[str]:
    """The words of ``text`` that are not Vietnamese, once what is echoed back is taken out: quoted text (the
    data, a name typed, a file), options and paths, identifiers (snake_case, codes of the data), numbers,
    abbreviations in capitals, and the names of the commands."""
    text = re.sub(r"“[^”]*”|'[^']*'|\"[^\"]*\"|‘[^’]*’", " ", text)
    words = []
    for token in text.split():
        token = token.strip(".,;:()[]{}!?…|<>*")
        if token.startswith("-"):  # an option: --overwrite, -o
            continue
        token = token.strip("—–")
        if not token or re.search(r"[\d_/\\.@$=-]", token) or token.isupper() or token in commands:
            continue
        for word in re.findall(r"[^\W\d_]+", token):
            low = word.lower()
            if low in ALLOWED or not word.isascii() or _SYLLABLE.fullmatch(low):
                continue
            words.append(word)
    return words


def _commands() -> set[str]:
    found = set()

    def walk(parser):
        for action in parser._actions:
            if action.choices and isinstance(action.choices, dict):
                for name, sub in action.choices.items():
                    found.add(name)
                    walk(sub)
            elif action.choices:
                found.update(map(str, action.choices))

    walk(_parser())
    return found | set(kinds.names())


def test_the_allow_list_catches_english():
    commands = _commands()
    assert english_words("the following arguments are required: LOẠI", commands) == [
        "following",
        "arguments",
        "are",
        "required",
    ]
    assert english_words("invalid choice: 'rendr' (choose from 'kinds', 'render')", commands) == [
        "invalid",
        "choice",
        "choose",
        "from",
    ]
    assert "Unexpected" in english_words("Mẫu có lỗi (Unexpected end of template.)", commands)
    assert english_words("Đảng viên thứ 2 (Nguyễn Văn A), mục Họ và tên: Chưa điền trong tệp JSON.", commands) == []


def _broken_workbook(path):
    envelope = dang_bo(units=1, members=4)
    return workbook(path, envelope, {("Đảng viên", 3, "Ngày sinh"): "32/1/1980", ("Đảng viên", 4, "Họ và tên"): None})


def _bad_template(workdir):
    return str(variant(workdir / "mau_hong.docx", "{{ trich_yue }}{% for x in y %}"))


def cli_error_paths(workdir) -> dict[str, list[str]]:
    """Every kind of error the command line reports, as the arguments that make it."""
    sample = str(SAMPLES_DIR / KH_SAMPLE)
    qd = load_sample(QD_SAMPLE)
    rules = copy.deepcopy(qd)
    rules["ket_qua"]["dang_vien"][3]["diem"]["tong"] = 99
    rules["ket_qua"]["dang_vien"][4]["ky_luat_trong_nam"] = True
    schema = copy.deepcopy(qd)
    del schema["ket_qua"]["dang_vien"][1]["ho_ten"]
    schema["ket_qua"]["dang_vien"][0]["ky_luat"] = True
    schema["ket_qua"]["dang_vien"][2]["quyet_dinh"] = "Tốt"
    schema["nam"] = "2025"
    schema["ban_hanh"]["ngay_ban_hanh"] = "2025-13-01"
    batch = dang_bo(units=2, members=4)
    batch["don_vi"][1]["ket_qua"]["dang_vien"][0]["ngay_sinh"] = "1970-02-30"
    (workdir / "hop").write_text("một tệp")
    (workdir / "cua_toi.docx").write_bytes(b"tep cua nguoi dung")
    (workdir / "latin1.json").write_bytes('{"trich_yeu": "Kế hoạch năm"}'.encode("cp1258", "replace"))
    assert b"\xe3" in (workdir / "latin1.json").read_bytes()  # "ă" in Windows-1258: not UTF-8
    (workdir / "khong_phai.xlsx").write_bytes(b"not a workbook")
    register, made = str(workdir / "khong_co.sqlite"), str(workdir / "so.sqlite")
    assert cli(["register", "init", "--register", made]) == 0
    return {
        "bad command": ["rendr", KH, sample],
        "bad subcommand": ["template", "chek", "x.docx"],
        "bad option": ["render", KH, sample, "--overwite"],
        "missing arguments": ["render"],
        "missing option value": ["render", KH, sample, "-o"],
        "not a number": ["batch", QD, "lo.json", "-o", "ra", "--jobs", "nhieu"],
        "not a choice": ["template", "new", "bao_cao_kiem_diem", "x.docx", "--hinh-thuc", "ca_nhann"],
        "options together": ["batch", QD, "lo.json", "-o", "ra", "--in-hai-mat", "--khong-in-hai-mat"],
        "extra argument": ["kinds", "them"],
        "unknown kind": ["render", "ke_hoch", sample],
        "missing file": ["render", KH, "khong_co.json"],
        "bad JSON": ["validate", KH, write(workdir / "hong.json", '{"trich_yeu": "a",}')],
        "cut short": ["validate", KH, write(workdir / "cut.json", '{"trich_yeu": "a"')],
        "curly quotes": ["validate", KH, write(workdir / "cong.json", '{“trich_yeu”: "a"}')],
        "not UTF-8": ["validate", KH, "latin1.json"],
        "duplicate key": ["validate", KH, write(workdir / "trung.json", '{"nam": 1, "nam": 2}')],
        "schema errors": ["validate", QD, write(workdir / "schema.json", schema)],
        "schema errors at render": ["render", QD, "schema.json", "-o", "ra.docx"],
        "rule errors": ["render", QD, write(workdir / "rules.json", rules), "-o", "ra.docx"],
        "bad template at render": ["render", KH, sample, "--template", _bad_template(workdir), "-o", "ra.docx"],
        "bad template": ["template", "check", "mau_hong.docx", "--kind", KH],
        "bad workbook": ["validate", QD, _broken_workbook(workdir / "lo.xlsx")],
        "not a workbook": ["validate", QD, "khong_phai.xlsx"],
        "workbook batch": ["batch", QD, "lo.xlsx", "-o", "ra_xlsx"],
        "batch with a bad unit": ["batch", QD, write(workdir / "lo.json", batch), "-o", "ra_lo", "--jobs", "1"],
        "write under a file": ["render", KH, sample, "-o", "hop/ra.docx"],
        "file not ours": ["render", KH, sample, "-o", "cua_toi.docx"],
        "register missing": ["register", "list", "--register", register],
        "register made twice": ["register", "init", "--register", made],
        "register void without reason": ["register", "void", "--register", made, "1", "--ly-do", " "],
        "register entry not found": ["register", "show", "--register", made, "99"],
        "import not a document": ["import", KH, "khong_phai.xlsx", "-o", "nhap.json"],
        "xlsx for a kind without one": ["xlsx-template", KH, "-o", "mau.xlsx"],
        "campaign without its workbook": ["campaign", "khong_co.xlsx", "-o", "ra_cd", "--register", made],
        "campaign of a file that is no workbook": ["campaign", "khong_phai.xlsx", "-o", "ra_cd", "--register", made],
        "campaign of another workbook": ["campaign", "lo.xlsx", "-o", "ra_cd", "--register", made],
        "campaign with a wrong restart": [
            *("campaign", str(SAMPLES_DIR / "chien_dich_dang_bo_hong_quang_2025.xlsx"), "-o", "ra_cd"),
            *("--register", made, "--bat-dau-lai", "hom-qua"),
        ],
        "campaign into a register that is not there": [
            *("campaign", str(SAMPLES_DIR / "chien_dich_dang_bo_hong_quang_2025.xlsx"), "-o", "ra_cd"),
            *("--register", register, "--bat-dau-lai", "nam"),
        ],
    }


HELP = [[], ["--help"], *[[c, "--help"] for c in ("validate", "render", "batch", "template", "import", "serve")]]
HELP += [["template", "new", "--help"], ["register", "--help"], ["xlsx-template", "--help"], ["campaign", "--help"]]


@pytest.mark.slow
def test_no_english_word_in_any_cli_error(workdir, capsys):
    commands = _commands()
    paths = cli_error_paths(workdir)
    seen = {}
    for name, argv in paths.items():
        try:
            status = cli(argv)
        except SystemExit as exc:  # argparse's usage errors
            status = exc.code
        out, err = capsys.readouterr()
        assert status in (1, 2), (name, status, out, err)
        assert err.strip(), name
        seen[name] = err
        assert english_words(err, commands) == [], (name, err)
        assert not re.search(r"\[[a-z]+(_[a-z]+)*\]", err), (name, err)  # codes only under --json
        assert "$." not in err and "Traceback" not in err, (name, err)
    assert len(seen) == len(paths) >= 30
    for argv in HELP:
        try:
            cli(argv)
        except SystemExit:
            pass
        out, err = capsys.readouterr()
        assert english_words(out + err, commands) == [], (argv, out + err)


def test_codes_in_brackets_only_under_json(workdir, capsys):
    data = load_sample(QD_SAMPLE)
    del data["ket_qua"]["dang_vien"][1]["ho_ten"]
    src = write(workdir / "qd.json", data)
    assert cli(["validate", QD, src]) == 1
    assert "required" not in capsys.readouterr().err
    assert cli(["validate", QD, src, "--json"]) == 1
    assert [p["code"] for p in json.loads(capsys.readouterr().out)] == ["required"]
    envelope = dang_bo(units=2, members=4)  # a batch too: its problems with their envelope path and document
    envelope["don_vi"][1]["ket_qua"]["dang_vien"][0]["ngay_sinh"] = "1970-02-30"
    src = write(workdir / "lo.json", envelope)
    assert cli(["validate", QD, src]) == 1
    assert "invalid_date" not in capsys.readouterr().err
    assert cli(["validate", QD, src, "--json"]) == 1
    [found] = json.loads(capsys.readouterr().out)
    assert (found["path"], found["code"]) == ("$.don_vi[1].ket_qua.dang_vien[0].ngay_sinh", "invalid_date")
    assert found["where"].startswith("Đảng viên thứ 1 (") and found["where"].endswith("), mục Ngày sinh")


@pytest.fixture
def client(tmp_path):
    with TestClient(create_app(work_dir=tmp_path / "web"), base_url="http://127.0.0.1:8000") as c:
        yield c


def _post(client, path, kind, content: bytes, name="du_lieu.json"):
    return client.post(path, data={"kind": kind}, files={"file": (name, content, "application/octet-stream")})


@pytest.mark.slow
def test_no_english_word_in_the_web_pages_error_responses(client):
    commands = _commands()
    qd = load_sample(QD_SAMPLE)
    del qd["ket_qua"]["dang_vien"][1]["ho_ten"]
    qd["ket_qua"]["dang_vien"][3]["diem"]["tong"] = 99
    bad_unit = dang_bo(units=2, members=4)
    bad_unit["don_vi"][1]["ket_qua"]["dang_vien"][0]["ngay_sinh"] = "1970-02-30"
    book = load_workbook(io.BytesIO(build_workbook(QD, dang_bo(units=1, members=4))))
    book["Đảng viên"]["C3"] = "32/1/1980"
    buffer = io.BytesIO()
    book.save(buffer)
    requests = {
        "schema and rules": ("/api/validate", QD, json.dumps(qd, ensure_ascii=False).encode(), "qd.json"),
        "render invalid": ("/api/render", QD, json.dumps(qd, ensure_ascii=False).encode(), "qd.json"),
        "bad JSON": ("/api/validate", KH, b'{"trich_yeu": "a",}', "kh.json"),
        "curly quotes": ("/api/validate", KH, "{“trich_yeu”: 1}".encode(), "kh.json"),
        "not a data file": ("/api/validate", KH, b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "anh.png"),
        "unknown kind": ("/api/validate", "ke_hoch", b"{}", "kh.json"),
        "empty file": ("/api/validate", KH, b"", "kh.json"),
        "batch with a bad unit": ("/api/validate", QD, json.dumps(bad_unit, ensure_ascii=False).encode(), "lo.json"),
        "workbook": ("/api/validate", QD, buffer.getvalue(), "lo.xlsx"),
        "job of one document": ("/api/jobs", KH, json.dumps(load_sample(KH_SAMPLE)).encode(), "kh.json"),
    }
    for name, (path, kind, content, file_name) in requests.items():
        r = _post(client, path, kind, content, file_name)
        body = r.json()
        assert r.status_code >= 400 or body.get("ok") is False, (name, r.status_code, body)
        texts = [body.get("detail") if isinstance(body.get("detail"), str) else ""]
        texts += [f"{p.get('where', '')}: {p['message']}" for p in body.get("problems", [])]
        assert any(texts), (name, body)
        for text in texts:
            assert english_words(text, commands) == [], (name, text)
            assert "$." not in text and not re.search(r"\[[a-z_]+\]", text), (name, text)
