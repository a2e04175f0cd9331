"""The web page's API (``docgen serve``), through FastAPI's TestClient: every endpoint, every refusal.

Each test builds its own app with its own temporary folder, so that leftovers can be counted. Requests go
to http://127.0.0.1:8000 (a loopback Host, which an app without a token requires).
"""

from __future__ import annotations

import dataclasses
import copy
import hashlib
import csv
import io
import json
import re
import shutil
import threading
import time
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import unquote

import pytest
from conftest import load_sample, needs_soffice, one_font_family
from docx import Document
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from docgen import batch, kinds, vn
from docgen.paths import SAMPLES_DIR, TEMPLATES_DIR
from docgen.errors import Problem, TemplatePlace
from docgen.kinds.quyet_dinh_xep_loai.synthetic import dang_bo
from docgen import web
from docgen.web import create_app, serve
from docgen.web import jobs as web_jobs
from docgen.web.forms import form_schema
from docgen.web.safety import TOKEN_HEADER, is_loopback
from docgen.xlsx.write import build_workbook

# The web layer over HTTP (an app, threads and jobs per test): the slow shell, out of make test-fast.
pytestmark = pytest.mark.slow

BASE = "http://127.0.0.1:8000"
KH = "ke_hoach"
QD = "quyet_dinh_xep_loai"
KH_SAMPLE = "ke_hoach_hong_quang_2025.json"
QD_BATCH = SAMPLES_DIR / "lo" / "quyet_dinh_xep_loai_dang_bo_hong_quang_2025.json"
TB_BATCH = SAMPLES_DIR / "lo" / "thong_bao_ket_qua_dang_bo_hong_quang_2025.json"
TOKEN = "mat-khau-thu-nghiem-123"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
needs_pdftoppm = pytest.mark.skipif(
    shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) is not installed; CI installs it"
)


# ---------------------------------------------------------------- helpers


@pytest.fixture
def make_client(tmp_path):
    """``make_client(**create_app options)``: a started TestClient (lifespan run), closed after the test."""
    opened = []

    def make(**options):
        options.setdefault("work_dir", tmp_path / "web")
        base_url = options.pop("base_url", BASE)
        client = TestClient(create_app(**options), base_url=base_url)
        client.__enter__()
        opened.append(client)
        return client

    yield make
    for client in opened:
        client.__exit__(None, None, None)


@pytest.fixture
def client(make_client):
    return make_client()


@pytest.fixture
def inline_client(make_client):
    """Library work in this process's threads (not worker processes), so that monkeypatching it takes effect."""
    return make_client(isolate=False)


def as_json(data) -> bytes:
    return json.dumps(data, ensure_ascii=False).encode("utf-8")


def kh_data() -> dict:
    return load_sample(KH_SAMPLE)


def post(
    client, path: str, kind: str, content: bytes, name: str = "du_lieu.json", template: bytes | None = None, **fields
):
    files = {"file": (name, content, "application/octet-stream")}
    if template is not None:
        files["template"] = ("mau.docx", template, "application/octet-stream")
    return client.post(path, data={"kind": kind, **fields}, files=files)


def requests_dir(client) -> Path:
    return client.app.state.root / "yeu_cau"


def leftovers(client) -> list[Path]:
    folder = requests_dir(client)
    return sorted(folder.iterdir()) if folder.exists() else []


def docx_text(data: bytes) -> str:
    """The text of a document's body: paragraphs and table cells (the header lines are a table)."""
    doc = Document(io.BytesIO(data))
    cells = [p.text for t in doc.tables for row in t.rows for cell in row.cells for p in cell.paragraphs]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


def wait_job(client, job_id: str, timeout: float = 120) -> dict:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        status = client.get(f"/api/jobs/{job_id}").json()
        if status["state"] in ("xong", "loi", "huy"):
            return status
        time.sleep(0.1)
    raise AssertionError(f"job {job_id} did not finish in {timeout} s")


def zip_names(data: bytes) -> list[str]:
    return zipfile.ZipFile(io.BytesIO(data)).namelist()


def manifest_rows(data: bytes) -> list[dict]:
    text = zipfile.ZipFile(io.BytesIO(data)).read(batch.MANIFEST).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def broken_template(jinja: str) -> bytes:
    """The built-in ke_hoach template with ``jinja`` added to its body text."""
    src = zipfile.ZipFile(TEMPLATES_DIR / "ke_hoach.docx")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "word/document.xml":
                data = data.replace(b"</w:body>", f"<w:p><w:r><w:t>{jinja}</w:t></w:r></w:p></w:body>".encode(), 1)
            z.writestr(info, data)
    return out.getvalue()


def zip_of(entries: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in entries.items():
            z.writestr(name, data)
    return out.getvalue()


# ---------------------------------------------------------------- the page and what it reads


def test_page_is_vietnamese_self_contained_and_locked_down(client):
    r = client.get("/")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    html = r.text
    assert '<html lang="vi">' in html and "Kiểm tra dữ liệu" in html and "Tải Word (.docx)" in html
    csp = r.headers["content-security-policy"]
    nonce = re.search(r"'nonce-([^']+)'", csp).group(1)
    assert html.count(f'nonce="{nonce}"') == 2  # the inline styles and script, nothing else runs
    assert "default-src 'none'" in csp and "http" not in csp
    assert not re.search(r"""(src|href)=["']https?:""", html), "everything is served locally: no CDN"
    assert r.headers["x-content-type-options"] == "nosniff" and r.headers["referrer-policy"] == "no-referrer"
    assert r.headers["x-frame-options"] == "DENY" and r.headers["cache-control"] == "no-store"
    assert client.get("/").headers["content-security-policy"] != csp  # a fresh nonce each time
    assert client.get("/docs").status_code == 404 and client.get("/openapi.json").status_code == 404


def test_info(client):
    info = client.get("/api/info").json()
    assert info["libreoffice"] == bool(shutil.which("soffice") or shutil.which("libreoffice"))
    assert info["max_upload"] == 10 * 1024 * 1024 and info["token"] is False and info["version"]


def test_kinds_and_their_samples(client):
    listed = {k["name"]: k for k in client.get("/api/kinds").json()}
    assert list(listed) == kinds.names()
    assert {n for n, k in listed.items() if k["batch"]} == {
        "bao_cao_kiem_diem",
        "quyet_dinh_xep_loai",
        "to_trinh",
        "thong_bao",
    }
    # the Excel workbook where the kind's batch declares one: every batch kind has one today
    assert {n for n, k in listed.items() if k["workbook"]} == {n for n, k in listed.items() if k["batch"]}
    assert listed["cong_van"]["title"] == "Công văn" and listed["thong_bao"]["title"] == "Thông báo"
    assert {"name": "cong_van_hong_quang_2025.json", "batch": False} in listed["cong_van"]["samples"]
    assert {"name": TB_BATCH.name, "batch": True} in listed["thong_bao"]["samples"]
    assert listed[KH]["title"] == "Kế hoạch"
    assert {"name": KH_SAMPLE, "batch": False} in listed[KH]["samples"]
    assert {"name": QD_BATCH.name, "batch": True} in listed[QD]["samples"]


def test_schema_has_a_vietnamese_label_for_every_field(client):
    for kind in kinds.names():
        r = client.get(f"/api/kinds/{kind}/schema")
        assert r.status_code == 200
        schema = r.json()
        assert schema == form_schema(kind)
        labels = []

        def walk(node):
            if isinstance(node, dict):
                for name, child in (node.get("properties") or {}).items():
                    if name != "$schema":
                        labels.append((name, child.get("x-nhan", "")))
                for key, value in node.items():
                    if key != "allOf":  # conditions ("if": {"hinh_thuc": {"const": …}}), not fields
                        walk(value)
            elif isinstance(node, list):
                for value in node:
                    walk(value)

        walk(schema)
        assert labels
        for name, label in labels:
            assert label and label[0].isupper() and not re.match(r"(true|false|[a-z0-9]+_[a-z0-9_]+)\b", label), (
                kind,
                name,
                label,
            )
    qd = client.get(f"/api/kinds/{QD}/schema").json()
    member = qd["properties"]["ket_qua"]["properties"]["dang_vien"]["items"]["properties"]
    assert member["quyet_dinh"]["x-nhan-enum"]["HTXSNV"] == "Hoàn thành xuất sắc nhiệm vụ"
    assert member["trang_thai"]["x-nhan-enum"]["mien_sinh_hoat"] == "Miễn công tác và sinh hoạt đảng"
    assert member["ngay_sinh"]["format"] == "date" and member["ho_ten"]["x-nhan"] == "Họ và tên"
    bc = client.get("/api/kinds/bao_cao_kiem_diem/schema").json()
    assert bc["properties"]["chi_bo"]["x-nhan"] == "Chi bộ nơi sinh hoạt"
    assert bc["properties"]["chi_bo"]["x-nhom"] == "Bản cá nhân"
    kh = client.get(f"/api/kinds/{KH}/schema").json()
    outline = kh["properties"]["noi_dung"]["items"]  # recursive: its own content refers back to it
    assert outline["properties"]["noi_dung"]["items"]["$ref"] in {f"#/$defs/{d}" for d in kh["$defs"]}


RAW_CODE = re.compile(r"(?<![\w/])(true|false|[a-z][a-z0-9]*_[a-z0-9_]+)(?![\w/])")


def test_help_texts_and_choices_show_labels_not_codes(client):
    """What a person reads on the form: every choice by its Vietnamese label, every help text without the
    codes and true/false of the JSON (those stay in the description, for programs)."""
    for kind in kinds.names():
        schema = client.get(f"/api/kinds/{kind}/schema").json()
        found = []

        def walk(node):
            if isinstance(node, dict):
                found.append(node)
                for value in node.values():
                    walk(value)
            elif isinstance(node, list):
                for value in node:
                    walk(value)

        walk(schema)
        for node in found:
            if isinstance(node.get("description"), str):
                assert not RAW_CODE.search(node["x-huong-dan"]), (kind, node["x-huong-dan"])
            for code, label in (node.get("x-nhan-enum") or {}).items():
                if re.fullmatch(r"[a-z][a-z0-9_]*", code):  # a code, not what people write ("2A", "HTTNV", "-")
                    assert label != code and label[0].isupper(), (kind, code, label)
    qd = client.get(f"/api/kinds/{QD}/schema").json()
    member = qd["properties"]["ket_qua"]["properties"]["dang_vien"]["items"]["properties"]
    assert member["muc_ky_luat"]["x-nhan-enum"] == {
        "khien_trach": "Khiển trách",
        "canh_cao": "Cảnh cáo",
        "cach_chuc": "Cách chức",
        "khai_tru": "Khai trừ",
    }
    target = qd["properties"]["doi_tuong"]
    assert target["x-huong-dan"] == "Đối tượng xếp loại: “Đảng viên”, “Tổ chức đảng” hoặc “Tập thể lãnh đạo, quản lý”."
    assert "dang_vien, to_chuc_dang" in target["description"]
    assert member["trang_thai"]["x-huong-dan"].startswith("Tình trạng: “Đang sinh hoạt” (mặc định), ")
    signer = qd["properties"]["nguoi_ky"]["properties"]
    signed = signer["da_ky"]["x-huong-dan"]
    assert signed.startswith("“Có”: in ") and "; “Không”: để trống" in signed
    settings = qd["properties"]["ket_qua"]["properties"]["cai_dat"]["properties"]
    assert settings["to_chuc_moi_thanh_lap"]["x-nhan-enum"]["khong_xep_loai"] == "Không xếp loại, ghi riêng kèm lý do"
    bc = client.get("/api/kinds/bao_cao_kiem_diem/schema").json()
    # the kind's own labels (Kind.web) before what the form can read out of the description
    assert bc["properties"]["hinh_thuc"]["x-nhan-enum"] == {"tap_the": "Tập thể (Mẫu 01)", "ca_nhan": "Cá nhân"}
    assert bc["properties"]["hinh_thuc"]["x-nhan"] == "Hình thức báo cáo"


def test_date_fields_help_as_the_date_box_shows_the_date(client):
    """A date box shows the date day first (18/11/2024): its help says so, not the JSON's NĂM-THÁNG-NGÀY; the
    description keeps the JSON's form for programs."""
    seen = 0
    for kind in kinds.names():
        schema = client.get(f"/api/kinds/{kind}/schema").json()
        stack = [schema]
        while stack:
            node = stack.pop()
            if isinstance(node, list):
                stack += node
                continue
            if not isinstance(node, dict):
                continue
            stack += list(node.values())
            if node.get("format") == "date" and isinstance(node.get("description"), str):
                seen += 1
                shown = node["x-huong-dan"]
                assert "NĂM-THÁNG-NGÀY" not in shown and not re.search(r"\d{4}-\d{2}-\d{2}", shown), (kind, shown)
    assert seen
    qd = client.get(f"/api/kinds/{QD}/schema").json()
    issued = qd["properties"]["ban_hanh"]["properties"]["ngay_ban_hanh"]
    assert issued["x-huong-dan"] == "Ngày ban hành, ví dụ 27/11/2025."
    assert issued["description"] == "Ngày ban hành theo dạng NĂM-THÁNG-NGÀY, ví dụ 2025-11-27."


def test_unknown_kind_is_404_in_vietnamese(client):
    for r in (client.get("/api/kinds/thu_moi/schema"), post(client, "/api/validate", "thu_moi", b"{}")):
        assert r.status_code == 404 and "Không có loại văn bản “thu_moi”" in r.json()["detail"]
    assert leftovers(client) == []


def test_sample_download_only_by_listed_name(client):
    r = client.get(f"/api/kinds/{KH}/samples/{KH_SAMPLE}")
    assert r.status_code == 200 and r.json() == kh_data()
    assert f'filename="{KH_SAMPLE}"' in r.headers["content-disposition"]
    assert client.get(f"/api/kinds/{QD}/samples/{QD_BATCH.name}").json()["don_vi"]
    for name in (
        "..%2F..%2Fpyproject.toml",
        "..%2Fke_hoach_hong_quang_2025.json",
        "khong_co.json",
        "quyet_dinh_xep_loai_dang_vien_khu_dan_cu_so_1_2025.json",
    ):  # the last is another kind's
        r = client.get(f"/api/kinds/{KH}/samples/{name}")
        assert r.status_code == 404, name
        assert "tomli" not in r.text and "[project]" not in r.text


def test_excel_template_for_batch_kinds_only(client):
    for kind in ("quyet_dinh_xep_loai", "to_trinh", "bao_cao_kiem_diem", "thong_bao"):
        r = client.get(f"/api/kinds/{kind}/template.xlsx")
        assert r.status_code == 200 and r.headers["content-disposition"] == f'attachment; filename="mau_{kind}.xlsx"'
        book = load_workbook(io.BytesIO(r.content))
        assert {"Hướng dẫn", "Thông tin chung", "Đơn vị", "Đảng viên"} <= set(book.sheetnames)
    r = client.get(f"/api/kinds/{KH}/template.xlsx")
    assert r.status_code == 404 and "không nhập bằng sổ Excel" in r.json()["detail"]


def test_a_batch_kind_without_a_workbook_is_told_to_use_a_json_batch(client, monkeypatch):
    declared = kinds.get("thong_bao")
    json_only = dataclasses.replace(declared, batch=dataclasses.replace(declared.batch, workbook=None))
    monkeypatch.setitem(kinds.KINDS, "thong_bao", json_only)
    listed = {k["name"]: k for k in client.get("/api/kinds").json()}
    assert listed["thong_bao"]["batch"] and not listed["thong_bao"]["workbook"]
    r = client.get("/api/kinds/thong_bao/template.xlsx")
    assert r.status_code == 404 and "tệp JSON lô văn bản" in r.json()["detail"]
    assert "Thông báo" not in r.json()["detail"].split("sổ Excel:")[1]  # not offered among the kinds with one


# ---------------------------------------------------------------- validation


@pytest.mark.parametrize("sample", sorted(p.name for p in SAMPLES_DIR.glob("*.json")))
def test_every_sample_is_valid(client, sample):
    from docgen.demo import kind_of

    r = post(client, "/api/validate", kind_of(Path(sample)), (SAMPLES_DIR / sample).read_bytes(), sample)
    assert r.status_code == 200 and r.json() == {"ok": True, "batch": False, "count": 1, "problems": []}


def test_validation_errors_with_their_paths(client):
    data = kh_data()
    data["nguoi_ky"]["ho_tne"] = data["nguoi_ky"].pop("ho_ten")
    data["ban_hanh"]["ngay_ban_hanh"] = "2025-02-30"
    r = post(client, "/api/validate", KH, as_json(data))
    body = r.json()
    assert r.status_code == 200 and body["ok"] is False and body["batch"] is False
    found = {(p["path"], p["code"]) for p in body["problems"]}
    assert found == {
        ("$.nguoi_ky.ho_ten", "required"),
        ("$.nguoi_ky.ho_tne", "unknown_field"),
        ("$.ban_hanh.ngay_ban_hanh", "invalid_date"),
    }
    unknown = next(p for p in body["problems"] if p["code"] == "unknown_field")
    assert "Có phải là “ho_ten”?" in unknown["message"]


def test_document_rules_after_the_schema(client):
    data = kh_data()
    data["noi_dung"][0]["tieu_de"] = "I. " + data["noi_dung"][0]["tieu_de"]
    body = post(client, "/api/validate", KH, as_json(data)).json()
    assert [(p["path"], p["code"]) for p in body["problems"]] == [("$.noi_dung[0].tieu_de", "typed_numbering")]


def test_batch_json_is_checked_unit_by_unit(client):
    envelope = json.loads(QD_BATCH.read_text(encoding="utf-8"))
    body = post(client, "/api/validate", QD, as_json(envelope), "lo.json").json()
    assert body == {"ok": True, "batch": True, "count": 12, "problems": []}
    member = envelope["don_vi"][2]["ket_qua"]["dang_vien"][1]
    member["ngay_sinh"] = "1970-02-30"
    envelope["chung"]["nguoi_ky"]["tham_quyen"] = "TM. Ban Thường vụ"  # the common part: said once
    body = post(client, "/api/validate", QD, as_json(envelope), "lo.json").json()
    assert body["ok"] is False and body["count"] == 12
    by_code = {p["code"]: p for p in body["problems"]}
    assert by_code["invalid_date"]["path"] == "$.don_vi[2].ket_qua.dang_vien[1].ngay_sinh"
    assert by_code["invalid_date"]["unit"] == envelope["don_vi"][2]["ket_qua"]["don_vi"]["ten"]
    common = [p for p in body["problems"] if p["path"] == "$.chung.nguoi_ky.tham_quyen"]
    assert len(common) == 1 and common[0]["unit"] == "Phần chung (12 văn bản)"


def test_excel_problems_name_sheet_row_and_column(client):
    envelope = dang_bo(units=2, members=10)
    book = load_workbook(io.BytesIO(build_workbook(QD, envelope)))
    sheet = book["Đảng viên"]
    headers = [c.value for c in sheet[1]]
    col = {h: headers.index(h) + 1 for h in ("Kỷ luật trong năm", "Quyết định", "Ngày sinh")}
    disciplined = next(r for r in range(2, sheet.max_row + 1) if sheet.cell(r, col["Kỷ luật trong năm"]).value == "Có")
    sheet.cell(disciplined, col["Quyết định"]).value = "Hoàn thành nhiệm vụ"
    buffer = io.BytesIO()
    book.save(buffer)
    body = post(client, "/api/validate", QD, buffer.getvalue(), "lo.xlsx").json()
    assert body["ok"] is False and body["batch"] is True
    problem = next(p for p in body["problems"] if p["code"] == "discipline")
    assert problem["where"] == f"Sheet Đảng viên, dòng {disciplined}, cột Q (Quyết định)"
    assert problem["path"].startswith("$.don_vi[") and problem["path"].endswith("].quyet_dinh")
    # a cell that cannot be read: every such problem at once, the workbook's place in "where"
    sheet.cell(3, col["Ngày sinh"]).value = "31/02/1970"
    buffer = io.BytesIO()
    book.save(buffer)
    body = post(client, "/api/validate", QD, buffer.getvalue(), "lo.xlsx").json()
    assert body["ok"] is False and body["count"] == 0
    # and the rest of the workbook is still checked in the same run: the member disciplined above, too
    wheres = {p["where"]: p["code"] for p in body["problems"]}
    assert wheres["Sheet Đảng viên, dòng 3, cột C (Ngày sinh)"] == "xlsx_date"
    assert wheres[f"Sheet Đảng viên, dòng {disciplined}, cột Q (Quyết định)"] == "discipline"


def test_batch_of_a_kind_without_batches(client):
    r = post(client, "/api/validate", KH, QD_BATCH.read_bytes(), "lo.json")
    assert r.status_code == 400 and "không tạo hàng loạt" in r.json()["detail"]


# ---------------------------------------------------------------- malformed uploads


def test_broken_json_says_line_and_column(client):
    r = post(client, "/api/validate", KH, b'{\n  "trich_yeu": "x",\n}', "kh.json")
    assert r.status_code == 400
    body = r.json()
    assert body["detail"].startswith("Tệp “kh.json” không phải JSON hợp lệ: Lỗi cú pháp JSON ở dòng 3, cột 1")
    assert [p["code"] for p in body["problems"]] == ["json_syntax"]


@pytest.mark.parametrize(
    "content, name, status, words",
    [
        (PNG, "lo.xlsx", 415, "có đuôi .xlsx nhưng không phải tệp XLSX thật"),
        (PNG, "du_lieu.json", 415, "là một ảnh PNG"),
        (b"%PDF-1.7 ...", "ke_hoach.pdf", 415, "là một tệp PDF"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 32, "cu.xls", 415, "Office đời cũ"),
        (zip_of({"a.txt": b"x"}), "lo.xlsx", 415, "không phải sổ Excel (.xlsx) hay văn bản Word (.docx)"),
        (b"PK\x03\x04 broken", "lo.xlsx", 415, "tệp nén bị hỏng"),
        ((TEMPLATES_DIR / "ke_hoach.docx").read_bytes(), "du_lieu.docx", 415, "là tệp Word (.docx), nhưng ở đây cần"),
        ('{"a": "café"}'.encode("latin-1"), "kh.json", 400, "không được lưu bằng mã UTF-8"),
        (b"", "kh.json", 400, "rỗng"),
    ],
)
def test_malformed_uploads_are_refused(client, content, name, status, words):
    for path in ("/api/validate", "/api/render", "/api/jobs"):
        r = post(client, path, QD, content, name)
        assert r.status_code == status, (path, r.text)
        assert words in r.json()["detail"], r.json()["detail"]
    assert leftovers(client) == [] and list((client.app.state.root / "viec").glob("*")) == []


def test_template_must_be_a_word_file(client):
    book = build_workbook(QD)
    r = post(client, "/api/render", KH, as_json(kh_data()), template=book)
    assert r.status_code == 415 and "là sổ Excel (.xlsx), nhưng ở đây cần mẫu Word (.docx)" in r.json()["detail"]


def test_missing_fields_are_named(client):
    r = client.post("/api/validate", data={"kind": KH})
    assert r.status_code == 400 and r.json()["detail"] == "Yêu cầu thiếu hoặc sai trường: file."


# ---------------------------------------------------------------- size limits


def test_oversized_body_is_refused_before_it_is_read(make_client):
    client = make_client(max_upload=2000)
    big = as_json({"trich_yeu": "x" * 200_000})
    r = post(client, "/api/validate", KH, big)
    assert r.status_code == 413 and r.json()["detail"] == "Tệp tải lên quá lớn: tối đa 1 KB mỗi lần gửi."
    assert leftovers(client) == []


def test_oversized_file_within_the_body_margin_is_refused(make_client):
    client = make_client(max_upload=2000)
    r = post(client, "/api/render", KH, as_json({"trich_yeu": "x" * 5000}))
    assert r.status_code == 413 and "quá lớn" in r.json()["detail"]
    assert post(client, "/api/validate", KH, b'{"a": 1}').status_code == 200  # small ones still go through
    assert leftovers(client) == []


def test_oversized_chunked_body_is_cut_off(make_client):
    client = make_client(max_upload=2000)
    boundary = "ranh-gioi"

    def body():  # a generator: sent chunked, without Content-Length
        yield f'--{boundary}\r\nContent-Disposition: form-data; name="kind"\r\n\r\n{KH}\r\n'.encode()
        yield (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.json"\r\n'
            "Content-Type: application/json\r\n\r\n"
        ).encode()
        for _ in range(200):
            yield b"x" * 1024
        yield f"\r\n--{boundary}--\r\n".encode()

    r = client.post(
        "/api/validate", content=body(), headers={"Content-Type": f"multipart/form-data; boundary={boundary}"}
    )
    assert "content-length" not in r.request.headers and r.request.headers["transfer-encoding"] == "chunked"
    assert r.status_code == 413 and "quá lớn" in r.json()["detail"]


def test_zip_bomb_is_refused(make_client):
    client = make_client(max_upload=64 * 1024)
    bomb = zip_of({"xl/workbook.xml": b"<x/>", "xl/worksheets/sheet1.xml": b"0" * (5 * 1024 * 1024)})
    assert len(bomb) < 64 * 1024
    r = post(client, "/api/validate", QD, bomb, "lo.xlsx")
    assert r.status_code == 413 and "khi giải nén quá lớn" in r.json()["detail"]


# ---------------------------------------------------------------- one document


def test_render_docx(client):
    r = post(client, "/api/render", KH, (SAMPLES_DIR / KH_SAMPLE).read_bytes(), KH_SAMPLE)
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert r.headers["content-disposition"] == 'attachment; filename="ke-hoach-hong-quang-2025.docx"'
    assert "ĐẢNG ỦY PHƯỜNG HỒNG QUANG" in docx_text(r.content)
    assert leftovers(client) == []


@pytest.mark.parametrize(
    "kind, sample, words",
    [
        ("cong_van", "cong_van_hong_quang_2025.json", ["Số 68-CV/ĐU", "V/v kiểm điểm", "Kính gửi:", "- Như trên,"]),
        ("thong_bao", "thong_bao_ket_qua_khu_dan_cu_so_1_2025.json", ["THÔNG BÁO", "Số 42-TB/ĐU", "chiếm 13,0%"]),
    ],
)
def test_render_the_new_kinds(client, kind, sample, words):
    import docgen

    r = post(client, "/api/render", kind, (SAMPLES_DIR / sample).read_bytes(), sample)
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/vnd.openxmlformats")
    text = docx_text(r.content)
    assert all(w in text for w in words), [w for w in words if w not in text]
    assert r.content == docgen.render(kind, SAMPLES_DIR / sample)  # the library's document, byte for byte


def test_a_job_of_notices_from_a_json_batch(client):
    status = wait_job(client, start(client, TB_BATCH.read_bytes(), TB_BATCH.name, kind="thong_bao").json()["id"])
    assert status["state"] == "xong" and status["counts"]["da_tao"] == 12 and status["counts"]["loi"] == 0
    content = client.get(f"/api/jobs/{status['id']}/download").content
    rows = manifest_rows(content)
    assert [row["so"] for row in rows] == [str(n) for n in range(43, 55)]
    assert "Số 43-TB/ĐU" in docx_text(zipfile.ZipFile(io.BytesIO(content)).read(rows[0]["tep"]))


def test_render_invalid_data_is_422_with_problems(client):
    data = kh_data()
    del data["trich_yeu"]
    r = post(client, "/api/render", KH, as_json(data))
    assert r.status_code == 422
    body = r.json()
    assert body["detail"] == "Dữ liệu có 1 lỗi; chưa tạo văn bản nào."
    assert body["problems"] == [
        {
            "path": "$.trich_yeu",
            "code": "required",
            "message": "Thiếu trường bắt buộc “trich_yeu”. Cần điền: Trích yếu "
            'nội dung dưới chữ KẾ HOẠCH, ví dụ "triển khai công tác kiểm điểm … năm 2025".',
            "severity": "error",
            "where": "Mục Trích yếu",
        }
    ]
    assert leftovers(client) == []


def test_warnings_are_shown_and_do_not_block(client):
    """Dates in an unusual order that can be explained: the page lists them as warnings, the data is valid
    and the document is made."""
    data = json.loads((SAMPLES_DIR / "to_trinh_khu_dan_cu_so_1_2025.json").read_text(encoding="utf-8"))
    data["ngay_hop"] = "2025-11-20"  # the meeting before the plan of 27/11/2025 that launched it
    r = post(client, "/api/validate", "to_trinh", as_json(data))
    body = r.json()
    assert r.status_code == 200 and body["ok"] is True
    assert [(p["path"], p["code"], p["severity"]) for p in body["problems"]] == [
        ("$.ngay_hop", "date_order_unusual", "warning")
    ]
    assert "20/11/2025" in body["problems"][0]["message"] and "27/11/2025" in body["problems"][0]["message"]
    r = post(client, "/api/render", "to_trinh", as_json(data))
    assert r.status_code == 200 and r.content[:2] == b"PK"
    script = client.get("/").text  # the page carries its script inline
    assert 'p.severity === "warning"' in script and "Cảnh báo: " in script


def test_render_refuses_a_batch(client):
    for content, name in ((QD_BATCH.read_bytes(), "lo.json"), (build_workbook(QD), "lo.xlsx")):
        r = post(client, "/api/render", QD, content, name)
        assert r.status_code == 400 and "Tạo tất cả (.zip)" in r.json()["detail"]


def test_client_file_name_is_never_a_path(client):
    r = post(client, "/api/render", KH, as_json(kh_data()), "../../../tmp/x/../ke hoạch (bản 2).json")
    assert r.status_code == 200
    assert r.headers["content-disposition"] == 'attachment; filename="ke-hoach-ban-2.docx"'
    r = post(client, "/api/render", KH, b"[1,", "..\\..\\x.json")
    assert "“x.json”" in r.json()["detail"]


def test_template_variant_is_rendered_in_the_sandbox(inline_client, monkeypatch):
    client = inline_client
    monkeypatch.setattr("docgen.web.documents.template_problems", lambda kind, path: [])  # the renderer's own checks
    same = post(client, "/api/render", KH, as_json(kh_data()), template=(TEMPLATES_DIR / "ke_hoach.docx").read_bytes())
    assert same.status_code == 200 and "ĐẢNG ỦY PHƯỜNG HỒNG QUANG" in docx_text(same.content)
    attack = broken_template("{{ trich_yeu.__class__.__mro__[1].__subclasses__() }}")
    r = post(client, "/api/render", KH, as_json(kh_data()), template=attack)
    assert r.status_code == 422 and r.json()["detail"].startswith("Mẫu Word không dùng được:")
    assert "không cho phép" in r.json()["detail"]  # what `docgen template check` says of it
    r = post(client, "/api/render", KH, as_json(kh_data()), template=broken_template("{% if %}"))
    assert r.status_code == 422 and "sai cú pháp Jinja (thiếu biểu thức" in r.json()["detail"]
    assert leftovers(client) == []


def test_template_checker_findings_are_reported(inline_client, monkeypatch):
    client = inline_client
    seen = []

    def check_template(path, kind):
        seen.append((Path(path).name, kinds.get(kind).name))
        return [Problem("", "unknown_variable", "Biến “ho_tne” không có", TemplatePlace("thân văn bản", "đoạn 3"))]

    monkeypatch.setattr("docgen.web.documents.check_template", check_template)
    tpl = (TEMPLATES_DIR / "ke_hoach.docx").read_bytes()
    r = post(client, "/api/render", KH, as_json(kh_data()), template=tpl)
    assert r.status_code == 422 and r.json()["detail"] == "Mẫu Word có 1 lỗi."
    assert r.json()["problems"] == [
        {
            "path": "$",
            "code": "unknown_variable",
            "message": "Biến “ho_tne” không có",
            "severity": "error",
            "where": "Mẫu Word tải lên: thân văn bản — đoạn 3",
        }
    ]
    body = post(client, "/api/validate", KH, as_json(kh_data()), template=tpl).json()
    assert body["ok"] is False and body["problems"][0]["code"] == "unknown_variable"
    assert seen == [("mau.docx", KH), ("mau.docx", KH)]  # the upload under its fixed name


def test_the_real_template_checker(client):
    r = post(client, "/api/render", KH, as_json(kh_data()), template=broken_template("{{ ho_tne }}"))
    assert r.status_code == 422 and r.json()["detail"].startswith("Mẫu Word có ")
    problem = next(p for p in r.json()["problems"] if p["code"] == "unknown_variable")
    assert "ho_tne" in problem["message"] and problem["where"].startswith("Mẫu Word tải lên: ")
    ok = post(client, "/api/render", KH, as_json(kh_data()), template=(TEMPLATES_DIR / "ke_hoach.docx").read_bytes())
    assert ok.status_code == 200


def test_pdf_and_preview_without_libreoffice_say_so(client, monkeypatch):
    monkeypatch.setattr("docgen.pdf.soffice_path", lambda: None)
    for path, extra in (("/api/render", {"format": "pdf"}), ("/api/preview", {})):
        r = post(client, path, KH, as_json(kh_data()), **extra)
        assert r.status_code == 503
        assert "chưa cài LibreOffice" in r.json()["detail"] and "libreoffice-writer-nogui" in r.json()["detail"]
    assert client.get("/api/info").json()["libreoffice"] is False
    assert post(client, "/api/render", KH, as_json(kh_data())).status_code == 200  # Word still works


def test_unknown_format(client):
    r = post(client, "/api/render", KH, as_json(kh_data()), format="odt")
    assert r.status_code == 400 and "docx hoặc pdf" in r.json()["detail"]


@needs_soffice()
def test_render_pdf(client, tmp_path):
    r = post(client, "/api/render", KH, as_json(kh_data()), KH_SAMPLE, format="pdf")
    assert r.status_code == 200 and r.content.startswith(b"%PDF-")
    (tmp_path / "kh.pdf").write_bytes(r.content)
    one_font_family(tmp_path / "kh.pdf")
    assert r.headers["content-disposition"] == 'attachment; filename="ke-hoach-hong-quang-2025.pdf"'
    assert leftovers(client) == []


@needs_soffice()
def test_pdf_past_its_time_is_answered_with_its_code(client, tmp_path):
    """LibreOffice that does not finish: the request is answered 503 with the problem's code and what happened,
    and the next request is served by a new LibreOffice (a stand-in here, tests/office_stub.py: the real one
    frozen is tests/test_office.py's)."""
    from test_office import stub

    converters = client.app.state.office
    converters.command, converters.timeout = stub("hang_once", tmp_path / "marker"), 2
    r = post(client, "/api/render", KH, as_json(kh_data()), format="pdf")
    assert r.status_code == 503
    body = r.json()
    assert body["detail"] == (
        "Không xuất được PDF cho “van_ban.docx”: LibreOffice chưa xong sau 2 giây nên đã bị dừng."
    )
    assert [p["code"] for p in body["problems"]] == ["pdf_timeout"]
    assert converters.started == 1 and converters.pids() == []
    assert leftovers(client) == []


@needs_soffice()
@needs_pdftoppm
def test_preview_first_page_png(client):
    r = post(client, "/api/preview", KH, as_json(kh_data()))
    assert r.status_code == 200 and r.headers["content-type"] == "image/png"
    assert r.content.startswith(b"\x89PNG")
    width, height = int.from_bytes(r.content[16:20], "big"), int.from_bytes(r.content[20:24], "big")
    assert (width, height) == (579, 819)  # A4 at 70 dpi
    assert leftovers(client) == []


def test_parallel_renders_give_each_request_its_own_document(client):
    def one(i: int) -> tuple[int, bytes]:
        data = kh_data()
        data["trich_yeu"] = f"triển khai công tác kiểm điểm — bản số {i:02d}"
        del data["ban_hanh"]["so"]  # eight plans at once: each takes its own number from the register
        r = post(client, "/api/render", KH, as_json(data))
        assert r.status_code == 200
        return i, r.content

    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(one, range(8)))
    for i, content in results:
        text = docx_text(content)
        assert f"bản số {i:02d}" in text
        assert not [j for j in range(8) if j != i and f"bản số {j:02d}" in text]
    assert len({c for _, c in results}) == 8
    printed = sorted(int(re.search(r"Số (\d+)-KH/ĐU", docx_text(c)).group(1)) for _, c in results)
    assert printed == list(range(printed[0], printed[0] + 8))  # no number twice, none skipped
    assert leftovers(client) == []


# ---------------------------------------------------------------- importing an existing document

KH_2023 = "ke_hoach_nguyen_nghiem_2023.json"
TEXT_COPY = Path(__file__).parent / "data" / "ke_hoach_thi_uy_2024_ban_chep.txt"


def imported(client, content: bytes, name: str, kind: str = KH, **headers):
    return client.post(
        "/api/import", data={"kind": kind}, files={"file": (name, content, "application/octet-stream")}, headers=headers
    )


def test_import_a_word_document(client):
    """Last year's plan as Word made it: the data comes back whole, ready for the form."""
    import docgen

    plan = vn.chuan_hoa_du_lieu(load_sample(KH_2023))  # as printed: "uỷ" → "ủy" (README, text rules)
    r = imported(client, docgen.render(KH, SAMPLES_DIR / KH_2023), "ke hoach 2023.docx")
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["name"] == "ke hoach 2023.docx"
    data = body["data"]
    assert data["trich_yeu"] == plan["trich_yeu"] and data["nguoi_ky"] == plan["nguoi_ky"]
    assert data["noi_nhan"] == plan["noi_nhan"] and data["can_cu"] == plan["can_cu"]
    assert [item["tieu_de"] for item in data["noi_dung"]] == [item["tieu_de"] for item in plan["noi_dung"]]
    assert body["problems"] == [] and body["warnings"] == []
    assert body["origin"]["$.trich_yeu"].startswith("đoạn ")
    assert leftovers(client) == []


def test_import_text_copied_out_of_a_pdf_gives_each_warning_its_line(client):
    r = imported(client, TEXT_COPY.read_bytes(), TEXT_COPY.name)
    assert r.status_code == 200, r.text
    body = r.json()
    warnings = body["warnings"]
    assert {w["severity"] for w in warnings} == {"warning"}
    first = warnings[0]
    assert first["where"] == "dòng 43, “1.2. Đối với cá nhân”"
    assert first["message"] == "Mục có số “1.2.” nằm dưới mục “2.”; hệ thống sẽ đánh số “2.1.”."
    assert first["path"].startswith("$.noi_dung[")
    assert any(w["where"].startswith("dòng 80, “TM. BAN THƯỜNG VỤ”") for w in warnings)
    assert body["origin"]["$.ban_hanh.so"] == "dòng 4"
    assert body["data"]["nguoi_ky"]["tham_quyen"] == "T/M Ban Thường vụ"
    assert body["problems"] == []
    assert leftovers(client) == []


def test_import_refuses_what_is_not_a_plan(client):
    import docgen

    decision = docgen.render(QD, SAMPLES_DIR / "quyet_dinh_xep_loai_dang_vien_khu_dan_cu_so_1_2025.json")
    for content, name, status, words in (
        ("Danh sách mua sắm\nBút bi: 10\nGiấy A4: 5\n".encode(), "mua_sam.txt", 422, "Không nhận ra kế hoạch"),
        (decision, "quyet_dinh.docx", 422, "Không nhập được “quyet_dinh.docx”"),
        (b"%PDF-1.7 ...", "ke_hoach.pdf", 422, "Tệp là PDF: hãy mở tệp, chọn và sao chép toàn bộ chữ"),
        (PNG, "anh.png", 422, "Tệp không phải văn bản"),
        (build_workbook(QD), "so.xlsx", 415, "là sổ Excel (.xlsx), nhưng ở đây cần văn bản Word (.docx) hoặc"),
        (as_json(kh_data()), "kh.json", 415, "là tệp dữ liệu JSON, nhưng ở đây cần văn bản Word"),
        (b"", "rong.txt", 400, "rỗng"),
    ):
        r = imported(client, content, name)
        assert r.status_code == status, (name, r.text)
        assert words in r.json()["detail"], (name, r.json()["detail"])
    r = imported(client, TEXT_COPY.read_bytes(), TEXT_COPY.name, kind=QD)
    assert r.status_code == 400 and "Chưa nhập được loại “Quyết định" in r.json()["detail"]
    assert "hiện nhập được: “Kế hoạch”" in r.json()["detail"]
    assert imported(client, b"x", "a.txt", kind="thu_moi").status_code == 404
    assert leftovers(client) == []


def test_import_is_bounded_and_only_from_this_page(make_client):
    client = make_client(max_upload=2000)
    r = imported(client, TEXT_COPY.read_bytes(), TEXT_COPY.name)
    assert TEXT_COPY.stat().st_size > 2000
    assert r.status_code == 413 and r.json()["detail"] == "Tệp tải lên quá lớn: tối đa 1 KB mỗi lần gửi."
    small = make_client()
    for headers in ({"Origin": "http://evil.example"}, {"Sec-Fetch-Site": "cross-site"}):
        r = imported(small, TEXT_COPY.read_bytes(), TEXT_COPY.name, **headers)
        assert r.status_code == 403 and "đến từ một trang web khác" in r.json()["detail"]
    assert imported(small, TEXT_COPY.read_bytes(), TEXT_COPY.name, Origin=BASE).status_code == 200
    assert leftovers(client) == [] and leftovers(small) == []


def test_import_past_its_time_limit_is_stopped(make_client):
    client = make_client(render_timeout=0.01)
    # a long copy (the plan ten times over), so that its import outlasts the first look at the worker (_POLL)
    r = imported(client, TEXT_COPY.read_bytes() * 10, TEXT_COPY.name)
    assert r.status_code == 503 and "0.01 giây" in r.json()["detail"]
    assert client.app.state.workers.running() == 0 and leftovers(client) == []


def test_a_word_document_given_as_data_says_how_to_import_it(client):
    import docgen

    word = docgen.render(KH, SAMPLES_DIR / KH_2023)
    r = post(client, "/api/validate", KH, word, "ke_hoach_2023.docx")
    assert r.status_code == 415
    detail = r.json()["detail"]
    assert detail.startswith(
        "Tệp “ke_hoach_2023.docx” là tệp Word (.docx), nhưng ở đây cần tệp dữ liệu JSON hoặc sổ Excel (.xlsx)."
    )
    assert "bấm “Nhập từ văn bản Word” để lấy dữ liệu" in detail
    importable = {k.name for k in kinds.all_kinds() if k.importer is not None}  # the registry's, the plan among them
    assert {k["name"] for k in client.get("/api/kinds").json() if k["import"]} == importable and KH in importable


def added_kind():
    """A kind declared with an importer, as a package adding one would (a công văn, say): here the plan's
    declaration under a name no kind has."""
    import dataclasses

    return dataclasses.replace(kinds.get(KH), name="bien_ban_thu", title="Biên bản", code="BB")


def test_every_kind_declaring_an_importer_is_offered(inline_client, monkeypatch):
    """The page asks the registry (``Kind.importer``) which kinds import: a kind registered with an importer is
    listed, named where a Word document is given as data, and imports — nothing of the web changed for it."""
    import docgen

    client = inline_client
    assert {k["name"] for k in client.get("/api/kinds").json() if k["import"]} == {
        k.name for k in kinds.all_kinds() if k.importer is not None
    }
    monkeypatch.setitem(kinds.KINDS, "bien_ban_thu", added_kind())
    importable = [k for k in kinds.all_kinds() if k.importer is not None]
    assert importable[-1].name == "bien_ban_thu" and kinds.get(QD).importer is None
    listed = {k["name"]: k for k in client.get("/api/kinds").json()}
    assert listed["bien_ban_thu"]["import"] and listed[KH]["import"] and not listed[QD]["import"]
    word = docgen.render(KH, SAMPLES_DIR / KH_2023)
    detail = post(client, "/api/validate", QD, word, "van_ban.docx").json()["detail"]
    titles = [k.title.lower() for k in importable]
    said = ", ".join(titles[:-1]) + " hoặc " + titles[-1]  # "kế hoạch hoặc biên bản"
    assert f"(ví dụ {said} năm trước), bấm “Nhập từ văn bản Word”" in detail and "biên bản" in said
    detail = post(client, "/api/validate", KH, word, "van_ban.docx").json()["detail"]
    assert "(ví dụ kế hoạch năm trước)" in detail  # the kind chosen imports: it alone is named
    r = imported(client, word, "van_ban.docx", kind="bien_ban_thu")
    assert r.status_code == 200, r.text
    assert r.json()["data"]["trich_yeu"] == vn.chuan_hoa_du_lieu(load_sample(KH_2023))["trich_yeu"]
    r = imported(client, word, "van_ban.docx", kind=QD)
    names = ", ".join(f"“{k.title}”" for k in importable)
    assert r.status_code == 400 and f"hiện nhập được: {names}." in r.json()["detail"] and "“Biên bản”" in names


# ---------------------------------------------------------------- batches in the background


def start(client, envelope_or_bytes, name="lo.json", kind=QD, pdf=False):
    content = envelope_or_bytes if isinstance(envelope_or_bytes, bytes) else as_json(envelope_or_bytes)
    return post(client, "/api/jobs", kind, content, name, pdf=str(pdf).lower())


def test_job_lifecycle(client):
    r = start(client, QD_BATCH.read_bytes(), "lo_hong_quang.json")
    assert r.status_code == 202
    job = r.json()
    assert job["state"] in ("cho", "dang_chay") and job["total"] == 12
    status = wait_job(client, job["id"])
    assert status["state"] == "xong" and status["done"] == 12 and status["phase_text"] == "Đã xong"
    assert status["counts"] == {"da_tao": 12, "loi": 0, "bo_qua": 0, "tong": 12, "pdf": False}
    r = client.get(f"/api/jobs/{job['id']}/download")
    assert r.status_code == 200 and r.headers["content-disposition"] == 'attachment; filename="lo-hong-quang.zip"'
    names = zip_names(r.content)
    assert names[-1] == batch.MANIFEST and len(names) == 13
    rows = manifest_rows(r.content)
    assert [row["so"] for row in rows] == [str(n) for n in range(120, 132)]
    assert {row["trang_thai"] for row in rows} == {"da_tao"}
    assert "120-QĐ/ĐU" in docx_text(zipfile.ZipFile(io.BytesIO(r.content)).read(names[0]))
    folder = next((client.app.state.root / "viec").iterdir())
    assert client.delete(f"/api/jobs/{job['id']}").json() == {"ok": True}
    assert not folder.exists()
    assert client.get(f"/api/jobs/{job['id']}").status_code == 404
    assert client.get(f"/api/jobs/{job['id']}/download").status_code == 404


@needs_soffice()
def test_job_with_merged_pdf(client, tmp_path):
    envelope = dang_bo(units=2, members=6)
    status = wait_job(client, start(client, envelope, pdf=True).json()["id"])
    assert status["state"] == "xong" and status["counts"]["pdf"] is True
    content = client.get(f"/api/jobs/{status['id']}/download").content
    names = zip_names(content)
    assert names[-2:] == [batch.MANIFEST, batch.PDF_NAME] and len(names) == 4
    merged = zipfile.ZipFile(io.BytesIO(content)).read(batch.PDF_NAME)
    assert merged.startswith(b"%PDF-")
    (tmp_path / batch.PDF_NAME).write_bytes(merged)
    one_font_family(tmp_path / batch.PDF_NAME)
    from pypdf import PdfReader

    reader = PdfReader(tmp_path / batch.PDF_NAME)  # the page's batch prints double-sided: odd first pages
    assert [reader.get_destination_page_number(o) % 2 for o in reader.outline] == [0, 0]


def test_job_without_libreoffice_still_makes_the_documents(inline_client, monkeypatch):
    client = inline_client
    monkeypatch.setattr("docgen.pdf.soffice_path", lambda: None)
    status = wait_job(client, start(client, dang_bo(units=2, members=6), pdf=True).json()["id"])
    assert status["state"] == "xong" and status["counts"]["pdf"] is False and "LibreOffice" in status["message"]
    assert batch.PDF_NAME not in zip_names(client.get(f"/api/jobs/{status['id']}/download").content)


def test_two_jobs_never_mix_their_files(client):
    a = dang_bo(units=3, members=6, start=10)
    b = copy.deepcopy(dang_bo(units=2, members=6, start=50))
    for unit in b["don_vi"]:
        unit["ket_qua"]["don_vi"]["ten"] = unit["ket_qua"]["don_vi"]["ten"].replace("Khu dân cư", "Tổ dân phố")
    ids = [start(client, a).json()["id"], start(client, b).json()["id"]]
    assert ids[0] != ids[1] and all(re.fullmatch(r"[A-Za-z0-9_-]{32}", i) for i in ids)
    got = {}
    for job_id in ids:
        assert wait_job(client, job_id)["state"] == "xong"
        got[job_id] = zip_names(client.get(f"/api/jobs/{job_id}/download").content)
    docs_a, docs_b = ([n for n in got[i] if n.endswith(".docx")] for i in ids)
    assert len(docs_a) == 3 and all("khu-dan-cu" in n for n in docs_a)
    assert len(docs_b) == 2 and all("to-dan-pho" in n for n in docs_b)
    assert not set(docs_a) & set(docs_b)
    for unknown in ("khong-co", ids[0][:-1] + ("A" if ids[0][-1] != "A" else "B"), "..", "%2e%2e"):
        assert client.get(f"/api/jobs/{unknown}").status_code == 404
        assert client.get(f"/api/jobs/{unknown}/download").status_code == 404


def test_a_bad_unit_fails_alone_in_a_job(client):
    envelope = dang_bo(units=3, members=8)
    envelope["don_vi"][1]["ket_qua"]["dang_vien"][0]["ngay_sinh"] = "1970-02-30"
    status = wait_job(client, start(client, envelope).json()["id"])
    assert status["state"] == "xong" and status["counts"]["da_tao"] == 2 and status["counts"]["loi"] == 1
    [problem] = status["problems"]
    assert problem["path"] == "$.don_vi[1].ket_qua.dang_vien[0].ngay_sinh" and problem["code"] == "invalid_date"
    rows = manifest_rows(client.get(f"/api/jobs/{status['id']}/download").content)
    assert [r["trang_thai"] for r in rows] == ["da_tao", "loi", "da_tao"]
    assert (
        rows[1]["ghi_chu"].startswith("Đảng viên thứ 1 (")
        and "“1970-02-30” không phải ngày hợp lệ" in rows[1]["ghi_chu"]
    )


def test_job_input_is_checked_before_it_starts(client):
    r = start(client, as_json(kh_data()), "kh.json", kind=KH)
    assert r.status_code == 400 and "chỉ có một văn bản" in r.json()["detail"]
    r = start(client, {"chung": {}, "don_vi": []})
    assert r.status_code == 422 and r.json()["problems"][0]["path"] == "$.don_vi"
    book = load_workbook(io.BytesIO(build_workbook(QD, dang_bo(units=1, members=5))))
    book["Đảng viên"]["A4"] = "Chi bộ Không Có"
    buffer = io.BytesIO()
    book.save(buffer)
    r = start(client, buffer.getvalue(), "lo.xlsx")
    assert r.status_code == 422 and "Sheet Đảng viên, dòng 4, cột A (Chi bộ)" in {
        p.get("where") for p in r.json()["problems"]
    }
    assert list((client.app.state.root / "viec").iterdir()) == []


@pytest.fixture
def held(monkeypatch):
    """Jobs that wait for ``release`` before doing their work."""
    release = threading.Event()
    real = web_jobs.run_batch

    def waiting(*args, **kwargs):
        release.wait(30)
        return real(*args, **kwargs)

    monkeypatch.setattr(web_jobs, "run_batch", waiting)
    yield release
    release.set()


def test_busy_server_and_unfinished_jobs(make_client, held):
    client = make_client(max_jobs=1, isolate=False)
    job = start(client, dang_bo(units=1, members=5)).json()
    r = start(client, dang_bo(units=1, members=5))
    assert r.status_code == 429 and "đang bận" in r.json()["detail"]
    r = client.get(f"/api/jobs/{job['id']}/download")
    assert r.status_code == 409 and "chưa xong" in r.json()["detail"]
    assert client.delete(f"/api/jobs/{job['id']}").status_code == 409
    held.set()
    assert wait_job(client, job["id"])["state"] == "xong"
    assert start(client, dang_bo(units=1, members=5)).status_code == 202


@pytest.mark.slow
def test_a_running_and_a_waiting_job_are_cancelled_and_keep_nothing(make_client):
    """A clerk who sent the wrong file presses “Hủy”: the running job's worker process is stopped, the job
    waiting its turn never starts, nothing is offered for download, the numbers they took stay reserved in the
    register, and the same units run again get them back."""
    from docgen import register

    client = make_client(max_jobs=2)  # worker processes, as served: a running job is a process to stop
    envelope = dang_bo(units=1500, members=2)  # long enough to be stopped half-way
    del envelope["so_bat_dau"]
    running = start(client, envelope).json()
    other = copy.deepcopy(envelope)
    for i, unit in enumerate(other["don_vi"]):
        unit["ket_qua"]["don_vi"]["ten"] = f"Chi bộ Thôn {i + 1}"
    waiting = start(client, other).json()
    end = time.monotonic() + 60
    while (now := client.get(f"/api/jobs/{running['id']}").json())["done"] == 0:
        assert time.monotonic() < end and now["state"] in ("cho", "dang_chay"), now
        time.sleep(0.05)
    assert client.post(f"/api/jobs/{waiting['id']}/cancel").json()["state"] == "cho"
    assert client.post(f"/api/jobs/{running['id']}/cancel").status_code == 200
    for job in (running, waiting):
        status = wait_job(client, job["id"], timeout=30)
        assert (status["state"], status["phase_text"], status["download"]) == ("huy", "Đã hủy", False), status
        assert status["message"].startswith("Đã hủy theo yêu cầu: không có tệp nào được giữ lại.")
        assert client.get(f"/api/jobs/{job['id']}/download").status_code == 409
        r = client.post(f"/api/jobs/{job['id']}/cancel")
        assert r.status_code == 409 and "đã kết thúc" in r.json()["detail"]
    assert client.app.state.jobs.workers.running() == 0  # the running job's worker is gone
    with register.open_register() as reg:
        entries = reg.entries()
    assert len(entries) == 3000 and {e.state for e in entries} == {"reserved"}
    folders = list((client.app.state.root / "viec").iterdir())
    for job in (running, waiting):
        assert client.delete(f"/api/jobs/{job['id']}").status_code == 200
    assert folders and not any(f.exists() for f in folders)
    again = copy.deepcopy(envelope)
    again["don_vi"] = again["don_vi"][:2]
    status = wait_job(client, start(client, again).json()["id"])
    assert status["state"] == "xong", status
    z = zipfile.ZipFile(io.BytesIO(client.get(f"/api/jobs/{status['id']}/download").content))
    assert sorted(printed(z.read(n), "QĐ/ĐU") for n in z.namelist() if n.endswith(".docx")) == ["01", "02"]


def test_finished_jobs_expire(make_client):
    client = make_client(job_ttl=60)
    job_id = start(client, dang_bo(units=1, members=5)).json()["id"]
    wait_job(client, job_id)
    store = client.app.state.jobs
    assert store.sweep() == 0 and client.get(f"/api/jobs/{job_id}").status_code == 200
    folder = next((client.app.state.root / "viec").iterdir())
    assert store.sweep(now=time.monotonic() + 61) == 1
    assert not folder.exists() and client.get(f"/api/jobs/{job_id}").status_code == 404


def test_a_failing_job_reports_why(inline_client, monkeypatch):
    client = inline_client

    def boom(*args, **kwargs):
        raise OSError("đĩa đầy")

    monkeypatch.setattr(web_jobs, "run_batch", boom)
    status = wait_job(client, start(client, dang_bo(units=1, members=5)).json()["id"])
    assert status["state"] == "loi" and status["message"] == "Không tạo được các văn bản: đĩa đầy"
    assert client.get(f"/api/jobs/{status['id']}/download").status_code == 409


def test_a_job_that_fills_the_disk_says_so_and_leaves_no_half_batch(inline_client, monkeypatch):
    """The disk fills at the 4th document (os.write raises ENOSPC from then on, as a full disk would); the job
    runs in this process (not a worker) so that the patched os.write is the one it calls."""
    client = inline_client
    import errno
    import os

    real, count = os.write, [0]

    def write(fd, data):
        if fd > 2:
            count[0] += 1
            if count[0] >= 5:  # the first write is the build folder's record
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real(fd, data)

    monkeypatch.setattr(os, "write", write)
    status = wait_job(client, start(client, dang_bo(units=6, members=6)).json()["id"])
    monkeypatch.undo()
    assert status["state"] == "loi" and "[disk_full]" not in status["message"]
    assert "Ổ đĩa chứa thư mục “" in status["message"] and "đã hết chỗ trống" in status["message"]
    [folder] = (client.app.state.root / "viec").iterdir()
    assert [p.name for p in folder.rglob("*.docx")] == [] and not (folder / "ket_qua").exists()


# ---------------------------------------------------------------- access: token and host


def test_loopback_addresses():
    for host in ("127.0.0.1", "127.5.5.5", "::1", "[::1]", "localhost"):
        assert is_loopback(host), host
    for host in ("0.0.0.0", "::", "192.168.1.20", "10.0.0.1", "example.com", ""):
        assert not is_loopback(host), host


def test_serve_refuses_a_non_loopback_address_without_token(monkeypatch, capsys, tmp_path):
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # the apps serve() makes keep their folders there

    calls = []
    monkeypatch.setattr(web, "_run", lambda app, host, port: calls.append((app, {"host": host, "port": port})) or True)
    assert serve("0.0.0.0", 8123, None) == 2
    assert "phải có mã truy cập" in capsys.readouterr().err
    assert serve("192.168.1.20", 8123, "ngan") == 2
    assert "quá ngắn" in capsys.readouterr().err
    assert calls == []
    assert serve("127.0.0.1", 8123, None) == 0
    assert "http://127.0.0.1:8123/" in capsys.readouterr().out
    assert serve("0.0.0.0", 8124, TOKEN) == 0
    assert f"?token={TOKEN}" in capsys.readouterr().out
    (local, kw_local), (shared, kw_shared) = calls
    assert kw_local["host"] == "127.0.0.1" and kw_local["port"] == 8123
    assert kw_shared["host"] == "0.0.0.0" and kw_shared["port"] == 8124
    assert not list(tmp_path.glob("docgen-web-*"))  # each app's folder is gone once serve() returns

    monkeypatch.setattr(web, "_run", lambda app, host, port: False)  # the port is taken
    assert serve("127.0.0.1", 8123, None) == 1
    assert "Không mở được cổng 8123" in capsys.readouterr().err
    probe = TestClient(shared, base_url="http://192.168.1.20:8124")
    assert probe.get("/api/info").status_code == 401
    assert probe.get("/api/info", headers={TOKEN_HEADER: TOKEN}).status_code == 200


def test_serve_through_the_command_line(monkeypatch):
    from docgen.cli import main

    seen = []
    monkeypatch.setattr(
        "docgen.web.serve",
        lambda host, port, token, open_browser, register_path=None: seen.append((host, port, token, open_browser)) or 0,
    )
    assert main(["serve"]) == 0 and main(["serve", "--host", "0.0.0.0", "--port", "9000", "--token", TOKEN]) == 0
    assert main(["serve", "--open"]) == 0
    assert seen == [("127.0.0.1", 8000, None, False), ("0.0.0.0", 9000, TOKEN, False), ("127.0.0.1", 8000, None, True)]


def test_serve_opens_the_browser_once_the_page_answers(monkeypatch):
    """``docgen serve --open`` (the desktop shortcut of the staff guide): the browser opens the page's address
    when the server accepts connections, not before."""
    import socket
    import webbrowser

    from conftest import free_port

    opened = []
    monkeypatch.setattr(webbrowser, "open", lambda url: opened.append(url) or True)
    port = free_port()
    assert web._open_when_ready("127.0.0.1", port, "http://127.0.0.1/", wait=0.5) is False and opened == []
    listener = socket.socket()
    listener.bind(("127.0.0.1", port))
    listener.listen()
    try:
        url = f"http://127.0.0.1:{port}/"
        assert web._open_when_ready("127.0.0.1", port, url, wait=10) is True and opened == [url]
    finally:
        listener.close()


def test_every_request_needs_the_token(make_client):
    client = make_client(token=TOKEN, host="0.0.0.0", base_url="http://192.168.1.20:8000")
    ok = {TOKEN_HEADER: TOKEN}
    wrong = {TOKEN_HEADER: TOKEN + "x"}
    for method, path in (
        ("get", "/api/info"),
        ("get", "/api/kinds"),
        ("get", f"/api/kinds/{KH}/schema"),
        ("get", f"/api/kinds/{QD}/template.xlsx"),
        ("get", "/api/jobs/abc"),
        ("delete", "/api/jobs/abc"),
        ("post", "/api/validate"),
        ("post", "/api/render"),
        ("post", "/api/preview"),
        ("post", "/api/jobs"),
    ):
        call = getattr(client, method)
        r = call(path)
        assert r.status_code == 401 and "Cần mã truy cập" in r.json()["detail"], path
        assert call(path, headers=wrong).status_code == 403, path
    assert client.get(f"/api/info?token={TOKEN}").status_code == 401  # the query form is for the page only
    assert client.get("/api/info", headers=ok).status_code == 200
    r = post(client, "/api/validate", KH, as_json(kh_data()))
    assert r.status_code == 401 and leftovers(client) == []
    r = client.post("/api/validate", data={"kind": KH}, files={"file": ("a.json", as_json(kh_data()))}, headers=ok)
    assert r.status_code == 200 and r.json()["ok"] is True
    page = client.get("/")
    assert page.status_code == 401 and "Cần mã truy cập" in page.text and "?token=" in page.text
    assert client.get(f"/?token={TOKEN}x").status_code == 403
    assert client.get(f"/?token={TOKEN}").status_code == 200
    assert client.get("/", headers=ok).status_code == 200


def test_without_token_only_loopback_host_names(make_client):
    client = make_client()
    for host in ("127.0.0.1:8000", "localhost:8000", "[::1]:8000", "127.0.0.1"):
        assert client.get("/api/info", headers={"Host": host}).status_code == 200, host
    for host in ("evil.example", "evil.example:8000", "192.168.1.20:8000"):
        r = client.get("/api/info", headers={"Host": host})
        assert r.status_code == 400 and "không được chấp nhận" in r.json()["detail"], host


# ---------------------------------------------------------------- temporary files


def test_temporary_files_are_removed(tmp_path):
    client = TestClient(create_app(work_dir=tmp_path / "tam"), base_url=BASE)
    client.__enter__()
    root = client.app.state.root
    post(client, "/api/validate", KH, as_json(kh_data()))
    post(client, "/api/render", KH, as_json(kh_data()))
    post(client, "/api/render", KH, b"{")
    post(client, "/api/render", KH, PNG, "a.png")
    post(client, "/api/validate", QD, QD_BATCH.read_bytes(), "lo.json")
    assert requests_dir(client).is_dir() and leftovers(client) == []
    job_id = start(client, dang_bo(units=1, members=5)).json()["id"]
    wait_job(client, job_id)
    assert len(list((root / "viec").iterdir())) == 1
    client.__exit__(None, None, None)  # the server stops: everything it made goes
    assert not root.exists() and list((tmp_path / "tam").iterdir()) == []


# ---------------------------------------------------------------- host names, other sites


def test_host_header_is_parsed_strictly(make_client):
    client = make_client()
    for host in ("127.0.0.1:8000", "localhost:8000", "LOCALHOST:8000", "[::1]:8000", "localhost"):
        assert client.get("/api/info", headers={"Host": host}).status_code == 200, host
    for host in (
        "localhost:18942@evil.example",  # answered as localhost before: userinfo-like tails are not a port
        "localhost@evil.example",
        "user@localhost:8000",
        "localhost:8000:9000",
        "localhost:abc",
        "localhost:99999",
        "localhost:",
        "localhost/evil",
        "[::1",
        "[not-an-ip]:8000",
        "local host",
        "",
    ):
        r = client.get("/api/info", headers={"Host": host})
        assert r.status_code == 400, host
        assert "không hợp lệ" in r.json()["detail"] or "không được chấp nhận" in r.json()["detail"], host
    shared = make_client(token=TOKEN, host="0.0.0.0", base_url="http://192.168.1.20:8000")
    r = shared.get("/api/info", headers={"Host": "192.168.1.20:8000@evil.example", TOKEN_HEADER: TOKEN})
    assert r.status_code == 400  # with a token too


def test_requests_from_another_site_are_refused(client):
    """A page elsewhere can make the browser POST here (a form, or fetch in no-cors mode, needs no permission):
    every state-changing request must come from this page's own origin."""
    body = {"data": {"kind": KH}, "files": {"file": ("kh.json", as_json(kh_data()))}}
    for headers in (
        {"Origin": "http://evil.example"},
        {"Origin": "http://127.0.0.1:8001"},  # same machine, another port: another site's page
        {"Origin": "https://127.0.0.1:8000"},
        {"Origin": "null"},  # a sandboxed frame, or a page with no-referrer sending a form
        {"Sec-Fetch-Site": "cross-site"},
        {"Sec-Fetch-Site": "same-site"},
        {"Referer": "http://evil.example/trang.html"},
    ):
        for path in ("/api/render", "/api/validate", "/api/jobs"):
            r = client.post(path, headers=headers, **body)
            assert r.status_code == 403, (path, headers, r.text)
            assert "đến từ một trang web khác" in r.json()["detail"]
        assert client.delete("/api/jobs/abc", headers=headers).status_code == 403
    assert leftovers(client) == [] and list((client.app.state.root / "viec").glob("*")) == []
    for headers in (
        {"Origin": BASE},
        {"Origin": BASE, "Sec-Fetch-Site": "same-origin"},
        {"Sec-Fetch-Site": "same-origin"},
        {"Referer": BASE + "/"},
        {},  # no browser sent this: a program (curl, a script), which no web page can drive
    ):
        r = client.post("/api/render", headers=headers, **body)
        assert r.status_code == 200, (headers, r.text)
    assert client.get("/api/info", headers={"Origin": "http://evil.example"}).status_code == 200  # reading is not


# ---------------------------------------------------------------- data the readers refuse


def test_deep_data_is_a_located_message_not_a_server_error(client):
    deep = {**kh_data(), "mo_dau": [["x"]]}
    node = deep["mo_dau"]
    for _ in range(900):
        node[0] = [node[0]]
        node = node[0]
    r = post(client, "/api/validate", KH, as_json(deep), "kh.json")
    assert r.status_code == 422, r.text
    body = r.json()
    assert "“kh.json”" in body["detail"] and "vượt giới hạn" in body["detail"]
    [problem] = body["problems"]
    assert problem["code"] == "too_deep" and problem["path"].startswith("$.mo_dau[0][0]")
    r = post(client, "/api/render", KH, b"[" * 5000 + b"]" * 5000, "sau.json")  # deeper than Python's parser
    assert r.status_code == 422 and "dòng 1, cột 41" in r.json()["problems"][0]["message"]


def test_excel_problem_names_the_file_as_the_user_named_it(client):
    broken = zip_of({"xl/workbook.xml": b"<workbook", "xl/worksheets/sheet1.xml": b"<x/>"})
    for path, status in (("/api/validate", 200), ("/api/jobs", 422)):
        r = post(client, path, QD, broken, "so_dang_vien_2025.xlsx")
        assert r.status_code == status, r.text
        assert r.json()["problems"][0]["code"] == "xlsx_unreadable"
        messages = " ".join(p["message"] + p.get("where", "") for p in r.json()["problems"])
        assert "so_dang_vien_2025.xlsx" in messages and "du_lieu.xlsx" not in messages


def test_render_past_its_time_limit_is_stopped(make_client):
    client = make_client(render_timeout=1)
    big = as_json(dang_bo(units=1500, members=6))  # checking every unit takes several seconds
    started = time.monotonic()
    r = post(client, "/api/validate", QD, big, "lo.json")
    assert r.status_code == 503 and "chạy quá 1 giây nên đã bị dừng" in r.json()["detail"]
    assert time.monotonic() - started < 30  # a guard against a hang, not a measure
    assert client.app.state.workers.running() == 0 and leftovers(client) == []


def test_odd_uploads_never_give_a_server_error(client):
    book = build_workbook(QD, dang_bo(units=1, members=3))
    odd = [
        b"null",
        b"[]",
        b"42",
        b'"chu"',
        b'{"chung": 1, "don_vi": "x"}',
        b'{"chung": {}, "don_vi": [1, [], null]}',
        b"\xef\xbb\xbf",
        b"{" * 3,
        b"1e999",
        book[: len(book) // 2],
        book[:-30],
        zip_of({"xl/workbook.xml": b"<workbook/>"}),
        zip_of({"word/document.xml": b"<x/>"}),
    ]
    for content in odd:
        for path in ("/api/validate", "/api/render", "/api/jobs"):
            for kind in (KH, QD):
                r = post(client, path, kind, content, "tep.json" if not content.startswith(b"PK") else "so.xlsx")
                assert 400 <= r.status_code < 500 or r.status_code in (200, 202), (path, kind, content[:40], r.text)
                assert r.status_code in (200, 202) or r.json()["detail"], (path, content[:40])
    for job in client.app.state.jobs._jobs.values():
        wait_job(client, job.id)


def test_an_uploaded_text_is_data_never_a_file_name(client):
    """A JSON file holding just a string was taken for a path on the server and read from there."""
    r = post(client, "/api/validate", KH, json.dumps(str(SAMPLES_DIR / KH_SAMPLE)).encode(), "ten_tep.json")
    assert r.status_code == 200 and r.json()["ok"] is False
    assert [(p["path"], p["code"]) for p in r.json()["problems"]] == [("$", "wrong_type")]


def test_batch_job_past_its_time_limit_is_stopped(make_client):
    client = make_client(job_timeout=2)
    status = wait_job(client, start(client, dang_bo(units=1500, members=4)).json()["id"])
    assert status["state"] == "loi" and "chạy quá 2 giây nên đã bị dừng" in status["message"]
    assert status["download"] is False and status["total"] == 1500
    assert client.app.state.jobs.workers.running() == 0


# ---------------------------------------------------------------- numbers from the register


def number_info(client, kind: str, content: bytes, name: str = "du_lieu.json") -> dict:
    r = post(client, "/api/number", kind, content, name)
    assert r.status_code == 200, r.text
    return r.json()


def printed(content: bytes, ky_hieu: str) -> str:
    return re.search(rf"Số (\S+)-{re.escape(ky_hieu)}", docx_text(content)).group(1)


def test_the_page_shows_the_next_number_and_records_what_it_issues(client):
    from docgen import register

    plan = kh_data()
    del plan["ban_hanh"]["so"]
    info = number_info(client, KH, as_json(plan))
    assert info == {
        **info,
        "numbered": True,
        "ky_hieu": "KH/ĐU",
        "issuer": "Đảng ủy phường Hồng Quang",
        "given": None,
        "held": [],
        "next": 1,
        "new_series": True,
    }
    r = post(client, "/api/render", KH, as_json(plan), bat_dau_lai="nam")  # the number field left as shown
    assert r.status_code == 200 and unquote(r.headers["X-Docgen-So"]) == "01-KH/ĐU"
    assert printed(r.content, "KH/ĐU") == "01"
    with register.open_register() as reg:
        [entry] = reg.entries()
        assert (entry.number, entry.state, entry.file_name) == (1, "issued", "du-lieu.docx (tải về từ trang web)")
        assert entry.sha256 == hashlib.sha256(r.content).hexdigest()
        assert reg.get_series("Đảng ủy phường Hồng Quang", "KH/ĐU").restart == "year"
    # the same plan again: the page shows the number it holds, and downloading gives it back, byte for byte
    info = number_info(client, KH, as_json(plan))
    assert (info["held"], info["next"], info["new_series"]) == ([1], 2, False)
    again = post(client, "/api/render", KH, as_json(plan))
    assert again.headers["X-Docgen-So"] == r.headers["X-Docgen-So"] and again.content == r.content

    # a number typed in the field: checked against the register and recorded
    other = copy.deepcopy(plan)
    other["trich_yeu"] = "kiểm tra, giám sát năm 2026"
    typed = post(client, "/api/render", KH, as_json(other), so="7")
    assert typed.status_code == 200 and printed(typed.content, "KH/ĐU") == "07"
    third = copy.deepcopy(plan)
    third["trich_yeu"] = "học tập nghị quyết"
    clash = post(client, "/api/render", KH, as_json(third), so="7")
    assert clash.status_code == 422
    [problem] = clash.json()["problems"]
    assert (problem["path"], problem["code"]) == ("$.ban_hanh.so", "number_taken")  # placed on the number field
    assert "kiểm tra, giám sát năm 2026" in problem["message"] and "học tập nghị quyết" in problem["message"]
    bad = post(client, "/api/render", KH, as_json(third), so="số bảy")
    assert bad.status_code == 400 and "Số văn bản phải là một số" in bad.json()["detail"]

    # a plan changed after it was issued: refused until the page says to reissue it
    plan["mo_dau"] = ["Đoạn mở đầu đã sửa."]
    changed = post(client, "/api/render", KH, as_json(plan))
    assert changed.status_code == 422 and changed.json()["problems"][0]["code"] == "changed_input"
    reissued = post(client, "/api/render", KH, as_json(plan), cap_lai="1")
    assert reissued.status_code == 200 and printed(reissued.content, "KH/ĐU") == "08"
    with register.open_register() as reg:
        assert reg.find("01-KH/ĐU").state == "void"

    # the review forms print no number: nothing to show, nothing taken
    form = (SAMPLES_DIR / "bao_cao_kiem_diem_2a_nguyen_van_hung_2025.json").read_bytes()
    assert number_info(client, "bao_cao_kiem_diem", form) == {"numbered": False}


def test_a_batch_job_is_numbered_from_the_register(client):
    from docgen import register

    envelope = dang_bo(units=2, members=5)
    del envelope["so_bat_dau"]
    info = number_info(client, QD, as_json(envelope), "lo.json")
    assert (info["numbered"], info["next"], info["given"], info["new_series"]) == (True, 1, None, True)
    status = wait_job(client, start(client, envelope).json()["id"])
    assert status["state"] == "xong", status
    z = zipfile.ZipFile(io.BytesIO(client.get(f"/api/jobs/{status['id']}/download").content))
    numbers = sorted(printed(z.read(n), "QĐ/ĐU") for n in z.namelist() if n.endswith(".docx"))
    assert numbers == ["01", "02"]
    with register.open_register() as reg:
        assert [(e.number, e.state) for e in reg.entries()] == [(1, "issued"), (2, "issued")]
        assert all(e.file_name.startswith("lo.zip/qd-0") for e in reg.entries())
    # a start number typed on the page that the register holds for other decisions: refused at once, placed
    other = copy.deepcopy(envelope)
    for i, unit in enumerate(other["don_vi"]):
        unit["ket_qua"]["don_vi"]["ten"] = f"Chi bộ Thôn {i + 1}"
    r = post(client, "/api/jobs", QD, as_json(other), "lo.json", pdf="false", so="2")
    assert r.status_code == 422
    problem = r.json()["problems"][0]
    assert problem["code"] == "number_taken" and problem["unit"] == "Chi bộ Thôn 1"
    assert "Chi bộ Khu dân cư số 2" in problem["message"]
