"""The web page end to end in real headless Chromium (Debian's /usr/bin/chromium, driven by Playwright).

The server runs in a thread (uvicorn) on a free loopback port. The tests upload files, fill the form, read
the errors shown on the page, and open the downloaded documents with python-docx.

``UPDATE_SCREENSHOT=1`` also rewrites docs/img/web.png (the form partly filled, with errors shown).
"""

from __future__ import annotations

import copy
import io
import json
import os
import shutil
import threading
import time
import zipfile
from pathlib import Path

import pytest
from conftest import ROOT, free_port, load_sample, one_font_family
from docx import Document

from docgen.demo import kind_of
from docgen.paths import SAMPLES_DIR

CHROMIUM = Path("/usr/bin/chromium")
sync_api = pytest.importorskip(
    "playwright.sync_api", reason="the playwright package is not installed (pip install -e '.[test]')"
)
pytestmark = [
    pytest.mark.chromium,
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason="Debian's chromium is not installed at /usr/bin/chromium; CI installs it (apt-get install chromium)",
    ),
]

ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TOKEN = "ma-truy-cap-cua-van-phong"
KH_SAMPLE = "ke_hoach_hong_quang_2025.json"
QD_BATCH = SAMPLES_DIR / "lo" / "quyet_dinh_xep_loai_dang_bo_hong_quang_2025.json"
SCREENSHOT = ROOT / "docs" / "img" / "web.png"


class Server:
    """uvicorn serving a fresh app in a thread, on a free loopback port."""

    def __init__(self, work_dir: Path, token: str | None = None):
        import uvicorn

        from docgen.web import create_app

        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.app = create_app(token, work_dir=work_dir)
        self.seen = []  # (method, path, status) of every answer
        config = uvicorn.Config(
            self.recording, host="127.0.0.1", port=self.port, log_level="warning", interface="asgi3"
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    async def recording(self, scope, receive, send):
        async def sending(message):
            if message["type"] == "http.response.start":
                self.seen.append((scope["method"], scope["path"], message["status"]))
            await send(message)

        await self.app(scope, receive, sending if scope["type"] == "http" else send)

    def __enter__(self):
        self.thread.start()
        end = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > end or not self.thread.is_alive():
                raise RuntimeError("the web server did not start")
            time.sleep(0.05)
        return self

    def __exit__(self, *exc):
        self.server.should_exit = True
        self.thread.join(20)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with Server(tmp_path_factory.mktemp("web")) as s:
        yield s


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser, server):
    context = browser.new_context(viewport={"width": 1280, "height": 1000}, locale="vi-VN", accept_downloads=True)
    pg = context.new_page()
    errors = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.goto(server.url)
    pg.wait_for_function("() => document.body.dataset.kind === 'ke_hoach'")  # a function: the CSP forbids eval
    yield pg
    context.close()
    assert errors == [], f"script errors on the page: {errors}"


def upload(page, name: str, content: bytes, selector: str = "#tep") -> None:
    page.set_input_files(selector, files=[{"name": name, "mimeType": "application/octet-stream", "buffer": content}])


def download(page, button: str, timeout: float = 60_000):
    with page.expect_download(timeout=timeout) as info:
        page.click(button)
    return info.value


def choose_kind(page, kind: str) -> None:
    page.select_option("#loai", kind)
    page.wait_for_function("k => document.body.dataset.kind === k", arg=kind)


def prune(value):
    """What a form gives back for data: no "$schema", no empty lists or objects."""
    if isinstance(value, dict):
        out = {k: prune(v) for k, v in value.items() if k != "$schema"}
        return {k: v for k, v in out.items() if v not in ([], {})}
    if isinstance(value, list):
        return [prune(v) for v in value]
    return value


# ---------------------------------------------------------------- upload, errors, download


def test_upload_shows_errors_then_downloads_a_word_document(page, tmp_path):
    data = load_sample(KH_SAMPLE)
    broken = copy.deepcopy(data)
    broken["nguoi_ky"]["ho_tne"] = broken["nguoi_ky"].pop("ho_ten")
    upload(page, "ke_hoach_loi.json", json.dumps(broken, ensure_ascii=False).encode())
    page.click("#kiem-tra")
    page.wait_for_selector("#loi li")
    assert page.inner_text("#thong-bao").startswith("Dữ liệu có 2 lỗi")
    problems = page.inner_text("#loi")
    assert "$.nguoi_ky.ho_tne" in problems and "Có phải là “ho_ten”?" in problems
    assert "$.nguoi_ky.ho_ten" in problems and "Thiếu trường bắt buộc “ho_ten”" in problems

    # the same file in the form: each error next to its field
    page.click("#sua-trong-form")
    page.wait_for_selector("#khung-form:not([hidden])")
    field = page.locator('[data-path="$.nguoi_ky.ho_ten"]')
    assert field.get_attribute("class").split().count("has-error") == 1
    assert "Thiếu trường bắt buộc “ho_ten”" in field.locator(".field-error").inner_text()
    assert (
        "Có phải là “ho_ten”?" in page.locator('[data-path="$.nguoi_ky"] > .object-body > .field-errors').inner_text()
    )
    assert page.locator('[data-path="$.nguoi_ky.chuc_vu"] textarea').input_value() == data["nguoi_ky"]["chuc_vu"]

    # a file that is not JSON at all: the server's located message
    page.click("#tab-tep")
    upload(page, "hong.json", b'{\n  "trich_yeu": "x",\n}')
    page.click("#kiem-tra")
    page.wait_for_selector("#thong-bao.error")
    assert "Lỗi cú pháp JSON ở dòng 3, cột 1" in page.inner_text("#thong-bao")
    upload(page, "anh.xlsx", b"\x89PNG\r\n\x1a\n" + b"\0" * 32)
    page.click("#kiem-tra")
    page.wait_for_function(
        "() => document.querySelector('#thong-bao').textContent.includes('không phải tệp XLSX thật')"
    )

    # a good file: the Word document downloads and opens
    upload(page, KH_SAMPLE, (SAMPLES_DIR / KH_SAMPLE).read_bytes())
    page.click("#kiem-tra")
    page.wait_for_selector("#thong-bao.ok")
    assert page.inner_text("#loi") == ""
    got = download(page, "#tai-docx")
    assert got.suggested_filename == "ke-hoach-hong-quang-2025.docx"
    target = tmp_path / got.suggested_filename
    got.save_as(target)
    doc = Document(str(target))
    assert any(data["trich_yeu"][:30] in p.text for p in doc.paragraphs)


# ---------------------------------------------------------------- the form


@pytest.mark.parametrize("sample", sorted(p.name for p in SAMPLES_DIR.glob("*.json")))
def test_form_gives_back_every_sample_unchanged(page, tmp_path, sample):
    """Each sample loaded into the generated form and saved again is the same data: every kind of field
    (text, dates, numbers, drop-downs, yes/no, nested objects, lists, footnotes, the outline) round-trips."""
    choose_kind(page, kind_of(Path(sample)))
    page.select_option("#mau-json", sample)
    page.click("#nap-mau")
    page.wait_for_selector("#thong-bao.ok")
    got = download(page, "#luu-json")
    path = tmp_path / "ra.json"
    got.save_as(path)
    assert json.loads(path.read_text(encoding="utf-8")) == prune(load_sample(sample))


def test_form_lists_grow_and_shrink_and_errors_follow_the_items(page, tmp_path):
    choose_kind(page, "ke_hoach")
    page.click("#tab-form")
    recipients = page.locator('[data-path="$.noi_nhan"]')
    recipients.locator("button.add").click()
    recipients.locator("button.add").click()
    items = recipients.locator("ol.items > li")
    assert items.count() == 3  # one to start with (the list is required), two added
    items.nth(0).locator("textarea").fill("Ban Thường vụ Tỉnh ủy")
    items.nth(2).locator("textarea").fill("Lưu Văn phòng Đảng ủy")
    page.click("#kiem-tra")
    page.wait_for_selector(".field-error")
    empty = page.locator('[data-path="$.noi_nhan[1]"]')
    assert "Không được để trống" in empty.locator(".field-error").inner_text()
    items.nth(1).locator("button[title='Xóa dòng này']").click()
    assert items.count() == 2
    assert page.locator('[data-path="$.noi_nhan[1]"] textarea').input_value() == "Lưu Văn phòng Đảng ủy"
    # an outline item: a heading with a nested bullet
    outline = page.locator('[data-path="$.noi_dung[0]"]')
    outline.locator("select.outline-kind").select_option("tieu_de")
    outline.locator(".field.wide textarea").first.fill("MỤC ĐÍCH, YÊU CẦU")
    outline.locator("button.add").click()
    child = page.locator('[data-path="$.noi_dung[0].noi_dung[0]"]')
    child.locator("select.outline-kind").select_option("gach")
    child.locator("textarea").first.fill("1. Quán triệt")
    page.fill('[data-path="$.ban_hanh.ngay_ban_hanh"] input', "2025-11-27")
    got = download(page, "#luu-json")
    got.save_as(tmp_path / "kh.json")
    data = json.loads((tmp_path / "kh.json").read_text(encoding="utf-8"))
    assert data["noi_nhan"] == ["Ban Thường vụ Tỉnh ủy", "Lưu Văn phòng Đảng ủy"]
    assert data["noi_dung"] == [{"tieu_de": "MỤC ĐÍCH, YÊU CẦU", "noi_dung": [{"gach": "1. Quán triệt"}]}]
    assert data["ban_hanh"] == {"ngay_ban_hanh": "2025-11-27"}


def test_form_from_a_sample_downloads_the_same_document(page, tmp_path):
    choose_kind(page, "to_trinh")
    page.select_option("#mau-json", "to_trinh_khu_dan_cu_so_1_2025.json")
    page.click("#nap-mau")
    page.wait_for_selector("#thong-bao.ok")
    got = download(page, "#tai-docx")
    assert got.suggested_filename == "to-trinh.docx"
    got.save_as(tmp_path / "a.docx")
    import docgen

    assert (tmp_path / "a.docx").read_bytes() == docgen.render(
        "to_trinh", SAMPLES_DIR / "to_trinh_khu_dan_cu_so_1_2025.json"
    )


# ---------------------------------------------------------------- batches


def test_batch_upload_runs_in_the_background_and_gives_a_zip(page, tmp_path):
    choose_kind(page, "quyet_dinh_xep_loai")
    excel = download(page, "#tai-excel")
    assert excel.suggested_filename == "mau_quyet_dinh_xep_loai.xlsx"
    upload(page, QD_BATCH.name, QD_BATCH.read_bytes())
    page.wait_for_selector("#tao-lo:not([hidden])")
    assert page.locator("#tai-docx").is_hidden()
    page.click("#tao-lo")
    page.wait_for_selector("#tai-zip:not([hidden])", timeout=120_000)
    assert page.inner_text("#thong-bao").startswith("Đã tạo 12/12 văn bản")
    got = download(page, "#tai-zip")
    got.save_as(tmp_path / "lo.zip")
    names = zipfile.ZipFile(tmp_path / "lo.zip").namelist()
    assert len([n for n in names if n.endswith(".docx")]) == 12 and "manifest.csv" in names
    assert ("tat_ca.pdf" in names) == bool(shutil.which("soffice"))
    if "tat_ca.pdf" in names:
        (tmp_path / "tat_ca.pdf").write_bytes(zipfile.ZipFile(tmp_path / "lo.zip").read("tat_ca.pdf"))
        one_font_family(tmp_path / "tat_ca.pdf")
    first = zipfile.ZipFile(tmp_path / "lo.zip").read(names[0])
    Document(io.BytesIO(first))


# ---------------------------------------------------------------- the token


def test_page_carries_the_token(browser, tmp_path):
    with Server(tmp_path / "web", token=TOKEN) as s:
        context = browser.new_context(locale="vi-VN")
        pg = context.new_page()
        pg.goto(s.url)
        assert "Cần mã truy cập" in pg.inner_text("body")
        pg.goto(f"{s.url}?token={TOKEN}")
        pg.wait_for_selector("#bieu-mau .field", state="attached")
        upload(pg, KH_SAMPLE, (SAMPLES_DIR / KH_SAMPLE).read_bytes())
        pg.click("#kiem-tra")
        pg.wait_for_selector("#thong-bao.ok")
        context.close()


# ---------------------------------------------------------------- another site


class OtherSite:
    """A page on another origin (another port of this machine): what a web site the user visits could serve."""

    def __init__(self, html: str):
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        body = html.encode("utf-8")

        class Page(BaseHTTPRequestHandler):
            def do_GET(self):
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Page)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()


def test_a_page_on_another_site_cannot_start_work(browser, server):
    """Cross-site request forgery: a page elsewhere makes the browser post a batch to the local server (fetch in
    no-cors mode needs no permission from it). The browser sends the page's Origin; the server refuses, and no
    job starts — while the page itself keeps working (every other test here)."""
    batch = json.dumps(QD_BATCH.read_text(encoding="utf-8"))
    html = f"""<!doctype html><meta charset="utf-8"><title>trang khác</title><script>
    const form = new FormData();
    form.append("kind", "quyet_dinh_xep_loai");
    form.append("pdf", "false");
    form.append("file", new Blob([{batch}], {{type: "application/json"}}), "lo.json");
    fetch("{server.url}api/jobs", {{method: "POST", mode: "no-cors", body: form}})
      .then(() => {{ document.title = "gui-xong"; }}, () => {{ document.title = "gui-loi"; }});
    </script>"""
    jobs_before = len(server.app.state.jobs._jobs)
    with OtherSite(html) as other:
        context = browser.new_context()
        pg = context.new_page()
        pg.goto(other.url)
        pg.wait_for_function("() => document.title.startsWith('gui-')")
        context.close()
    assert ("POST", "/api/jobs", 403) in server.seen  # it reached the server, which refused it
    assert ("POST", "/api/jobs", 202) not in server.seen[-3:]
    assert len(server.app.state.jobs._jobs) == jobs_before


# ---------------------------------------------------------------- the picture in the docs


def test_screenshot_of_the_form_with_errors(page, tmp_path):
    """The form partly filled, with the problems shown next to the fields and in the list. Written to
    docs/img/web.png when UPDATE_SCREENSHOT=1."""
    choose_kind(page, "ke_hoach")
    page.click("#tab-form")
    page.fill('[data-path="$.ban_hanh.co_quan_ban_hanh"] textarea', "Đảng ủy phường Hồng Quang")
    page.fill('[data-path="$.ban_hanh.so"] input', "15")
    page.fill('[data-path="$.ban_hanh.ky_hieu"] textarea', "KH-ĐU")
    page.fill('[data-path="$.ban_hanh.dia_danh"] textarea', "Hồng Quang")
    page.fill('[data-path="$.ban_hanh.ngay_ban_hanh"] input', "2025-11-27")
    page.fill(
        '[data-path="$.trich_yeu"] textarea',
        "triển khai công tác kiểm điểm và đánh giá, xếp loại chất lượng đối với tập thể, cá nhân năm 2025",
    )
    page.click("#kiem-tra")
    page.wait_for_selector(".field-error")
    assert "Ký hiệu phải có dạng LOẠI/CƠ QUAN" in page.inner_text('[data-path="$.ban_hanh.ky_hieu"]')
    page.locator('[data-path="$.ban_hanh.ky_hieu"]').scroll_into_view_if_needed()
    page.evaluate("window.scrollTo(0, document.querySelector('#buoc-2').offsetTop - 12)")
    target = SCREENSHOT if os.environ.get("UPDATE_SCREENSHOT") else tmp_path / "web.png"
    target.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(target))
    assert target.stat().st_size > 20_000


# ---------------------------------------------------------------- the number from the register


def test_the_page_shows_the_next_number_lets_it_be_changed_and_records_it(page, tmp_path):
    from docgen import register

    plan = load_sample(KH_SAMPLE)
    del plan["ban_hanh"]["so"]
    upload(page, "ke_hoach.json", json.dumps(plan, ensure_ascii=False).encode())
    page.wait_for_selector("#so-van-ban:not([hidden])")
    assert page.input_value("#so") == "1"
    assert "số kế tiếp của dãy “KH/ĐU” (Đảng ủy phường Hồng Quang) là 01" in page.inner_text("#so-goi-y")
    assert page.is_visible("#day-so-moi")  # a new series: when its numbers restart, asked once
    page.fill("#so", "38")  # numbered by hand up to 37 before the register
    got = download(page, "#tai-docx")
    target = tmp_path / got.suggested_filename
    got.save_as(target)
    assert "Số 38-KH/ĐU" in "\n".join(
        p.text for t in Document(str(target)).tables for c in t._cells for p in c.paragraphs
    )
    page.wait_for_function("() => document.querySelector('#thong-bao').textContent.includes('số 38-KH/ĐU')")
    assert "đã ghi vào sổ đăng ký văn bản đi" in page.inner_text("#thong-bao")
    page.wait_for_function("() => document.querySelector('#so-goi-y').textContent.includes('đã được cấp số 38')")
    assert page.input_value("#so") == "38" and not page.is_visible("#day-so-moi")
    with register.open_register() as reg:
        [entry] = reg.entries()
        assert reg.get_series("Đảng ủy phường Hồng Quang", "KH/ĐU").restart == "year"
    assert (entry.number, entry.state, entry.unit) == (38, "issued", "")
