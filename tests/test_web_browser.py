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
import re
import shutil
import threading
import time
import zipfile
from pathlib import Path

import pytest
from conftest import ROOT, free_port, load_sample, needs_soffice, one_font_family
from docx import Document

from docgen import vn
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
# The browser of an office in Vietnam speaks Vietnamese: its own words on the page (the file button's "Chọn tệp",
# dates shown as 18/11/2024) are the ones the staff guide's pictures show. Chromium on Linux takes them from
# LANGUAGE (not --lang), given its Vietnamese resources (Debian: chromium-l10n; .ci/run installs it).
BROWSER_ENV = {**os.environ, "LANGUAGE": "vi"}
TOKEN = "ma-truy-cap-cua-van-phong"
KH_SAMPLE = "ke_hoach_hong_quang_2025.json"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
QD_BATCH = SAMPLES_DIR / "lo" / "quyet_dinh_xep_loai_dang_bo_hong_quang_2025.json"
SCREENSHOT = ROOT / "docs" / "img" / "web.png"


class Server:
    """uvicorn serving a fresh app in a thread, on a free loopback port."""

    def __init__(self, work_dir: Path, token: str | None = None, **options):
        import uvicorn

        from docgen.web import create_app

        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.app = create_app(token, work_dir=work_dir, **options)
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
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, env=BROWSER_ENV)
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


def said(page, start: str, timeout: float = 60_000) -> str:
    """Wait for the page's message to start with ``start``; the message."""
    page.wait_for_function(
        "s => document.querySelector('#thong-bao').textContent.startsWith(s)", arg=start, timeout=timeout
    )
    return page.inner_text("#thong-bao")


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
    # each problem named by its place as a person reads it (the JSON path stays in the API's answer)
    assert "Mục Người ký › “ho_tne”" in problems and "Có phải là “ho_ten”?" in problems
    assert "Mục Người ký › Họ và tên" in problems and "Thiếu trường bắt buộc “ho_ten”" in problems
    assert "$." not in problems

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


def test_a_running_batch_is_cancelled_from_the_page(page):
    """The wrong file sent: “Hủy” beside the progress stops the job; the page says nothing was kept and offers
    no .zip."""
    from docgen.kinds.quyet_dinh_xep_loai.synthetic import dang_bo

    choose_kind(page, "quyet_dinh_xep_loai")
    big = json.dumps(dang_bo(units=1500, members=2), ensure_ascii=False).encode()
    upload(page, "lo_lon.json", big)
    page.wait_for_selector("#tao-lo:not([hidden])")
    assert page.locator("#huy-viec").is_hidden()
    page.click("#tao-lo")
    page.wait_for_selector("#huy-viec:not([hidden])", timeout=60_000)
    page.wait_for_function("() => document.getElementById('tien-do-thanh').value > 0", timeout=60_000)
    page.click("#huy-viec")
    page.wait_for_function(
        "() => document.getElementById('thong-bao').innerText.startsWith('Đã hủy theo yêu cầu')", timeout=60_000
    )
    assert page.locator("#huy-viec").is_hidden() and page.locator("#tai-zip").is_hidden()
    assert page.inner_text("#tien-do-chu") == "Đã hủy"


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
    # another file: the finished batch's progress and download are not shown for it
    upload(page, "lo_khac.json", b"{")
    assert page.locator("#tai-zip").is_hidden() and page.locator("#tien-do").is_hidden()
    assert page.inner_text("#thong-bao") == ""


# ---------------------------------------------------------------- results belong to one input

PNG_1PX = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360f8ffff3f0005fe02fea7d6a4e70000000049454e44ae426082"
)


def test_a_broken_upload_never_shows_the_previous_document(page):
    """Page 1 of a good document on screen, then a broken file (or the wrong kind of file): the picture goes
    when the file changes, and the new errors are shown alone. An answer that comes late, for the file chosen
    before, is never shown over the newer one."""
    held = []
    page.route("**/api/preview", lambda route: held.append(route))  # the server's answer, held back

    def answer_held():
        """The preview request the page sent, once the browser has handed it over (it may lag behind the page's
        message on a busy machine)."""
        end = time.monotonic() + 30
        while not held:
            assert time.monotonic() < end, "the page sent no preview request"
            page.wait_for_timeout(50)
        assert len(held) == 1
        return held.pop()

    upload(page, KH_SAMPLE, (SAMPLES_DIR / KH_SAMPLE).read_bytes())
    page.click("#xem-truoc")
    page.wait_for_function("() => document.querySelector('#thong-bao').textContent.startsWith('Đang dựng')")
    answer_held().fulfill(status=200, content_type="image/png", body=PNG_1PX)
    page.wait_for_selector("#anh-trang:not([hidden])")
    assert page.inner_text("#thong-bao") == "Trang 1 của văn bản ở bên dưới."

    upload(page, "hong.json", b'{\n  "trich_yeu": "x",\n}')
    assert page.locator("#anh-trang").is_hidden() and page.inner_text("#thong-bao") == ""
    assert page.get_attribute("#anh-trang-1", "src") is None
    page.click("#kiem-tra")
    page.wait_for_selector("#thong-bao.error")
    assert "Lỗi cú pháp JSON ở dòng 3, cột 1" in page.inner_text("#thong-bao")
    assert page.locator("#anh-trang").is_hidden()

    # the wrong kind of file, after a preview again
    upload(page, KH_SAMPLE, (SAMPLES_DIR / KH_SAMPLE).read_bytes())
    page.click("#xem-truoc")
    page.wait_for_function("() => document.querySelector('#thong-bao').textContent.startsWith('Đang dựng')")
    answer_held().fulfill(status=200, content_type="image/png", body=PNG_1PX)
    page.wait_for_selector("#anh-trang:not([hidden])")
    upload(page, "so.xlsx", PNG)
    assert page.locator("#anh-trang").is_hidden()
    page.click("#kiem-tra")
    page.wait_for_function(
        "() => document.querySelector('#thong-bao').textContent.includes('không phải tệp XLSX thật')"
    )
    assert page.locator("#anh-trang").is_hidden() and page.inner_text("#loi") == ""

    # a slow answer for the file chosen before: the page gave it up when the file changed
    upload(page, KH_SAMPLE, (SAMPLES_DIR / KH_SAMPLE).read_bytes())
    page.click("#xem-truoc")
    page.wait_for_function("() => document.querySelector('#thong-bao').textContent.startsWith('Đang dựng')")
    late = answer_held()
    upload(page, "hong.json", b'{\n  "trich_yeu": "x",\n}')
    page.click("#kiem-tra")
    page.wait_for_selector("#thong-bao.error")
    try:
        late.fulfill(status=200, content_type="image/png", body=PNG_1PX)
    except Exception:  # noqa: BLE001 — the page cancelled the request: nothing is left to answer
        pass
    page.evaluate("() => new Promise((done) => setTimeout(done, 500))")  # let a late answer arrive, if it could
    assert page.locator("#anh-trang").is_hidden()
    assert "Lỗi cú pháp JSON ở dòng 3, cột 1" in page.inner_text("#thong-bao")


def test_an_edit_of_the_form_clears_the_results_and_keeps_what_is_left_to_fix(page):
    page.select_option("#mau-json", KH_SAMPLE)
    page.click("#nap-mau")
    page.wait_for_selector("#thong-bao.ok")
    page.fill('[data-path="$.trich_yeu"] textarea', "")
    page.fill('[data-path="$.nguoi_ky.ho_ten"] textarea', "")
    page.click("#kiem-tra")
    page.wait_for_selector(".field-error")
    assert page.locator("#loi li").count() == 2
    name = page.locator('[data-path="$.nguoi_ky.ho_ten"]')
    assert "has-error" in name.get_attribute("class")
    name.locator("textarea").fill("Nguyễn Văn A")
    assert page.inner_text("#loi") == "" and page.inner_text("#thong-bao") == ""
    assert "has-error" not in name.get_attribute("class")  # the field just fixed
    assert "has-error" in page.get_attribute('[data-path="$.trich_yeu"]', "class")  # what is left, marked
    assert "lỗi của lần kiểm tra đó" in page.inner_text("#tom-tat-loi")


# ---------------------------------------------------------------- importing last year's document

KH_2023 = "ke_hoach_nguyen_nghiem_2023.json"
TEXT_COPY = ROOT / "tests" / "data" / "ke_hoach_thi_uy_2024_ban_chep.txt"


def test_a_word_document_where_data_is_expected_is_imported_into_the_form(page, tmp_path):
    import docgen

    plan = vn.chuan_hoa_du_lieu(load_sample(KH_2023))
    upload(page, "ke_hoach_2023.docx", docgen.render("ke_hoach", SAMPLES_DIR / KH_2023))
    offer = page.locator("#goi-y-nhap")
    assert (
        offer.is_visible() and "Tệp “ke_hoach_2023.docx” là văn bản Word, không phải tệp dữ liệu." in offer.inner_text()
    )
    page.click("#kiem-tra")  # checked anyway: the server refuses it and says how to go on; the offer stays
    page.wait_for_selector("#thong-bao.error")
    assert "bấm “Nhập từ văn bản Word” để lấy dữ liệu" in page.inner_text("#thong-bao") and offer.is_visible()
    assert page.inner_text("#nhap-tep-nay") == "Nhập văn bản này thành dữ liệu kế hoạch"
    page.click("#nhap-tep-nay")
    page.wait_for_selector("#thong-bao.ok")
    assert page.locator("#khung-form").is_visible() and offer.is_hidden()
    assert page.inner_text("#thong-bao").startswith("Đã nhập “ke_hoach_2023.docx” vào biểu mẫu.")
    assert page.locator('[data-path="$.trich_yeu"] textarea').input_value() == plan["trich_yeu"]
    assert page.locator('[data-path="$.nguoi_ky.ho_ten"] textarea').input_value() == plan["nguoi_ky"]["ho_ten"]
    saved = download(page, "#luu-json")
    saved.save_as(tmp_path / "kh.json")
    data = json.loads((tmp_path / "kh.json").read_text(encoding="utf-8"))
    assert data["noi_nhan"] == plan["noi_nhan"] and [i["tieu_de"] for i in data["noi_dung"]] == [
        i["tieu_de"] for i in plan["noi_dung"]
    ]
    got = download(page, "#tai-docx")  # the user checks and renders
    got.save_as(tmp_path / "kh.docx")
    texts = [" ".join(p.text.split()) for p in Document(str(tmp_path / "kh.docx")).paragraphs]
    assert " ".join(plan["trich_yeu"].split()) in texts


def test_import_shows_each_warning_with_its_place_in_the_document(page):
    assert page.locator("#nhap-van-ban").is_visible()  # kế hoạch imports: the way in is on the page
    page.set_input_files("#tep-nhap", str(TEXT_COPY))
    said(page, "Đã nhập “ke_hoach_thi_uy_2024_ban_chep.txt” vào biểu mẫu.")
    assert "Có 3 cảnh báo" in page.inner_text("#thong-bao")
    problems = page.locator("#loi li.warning")
    assert problems.count() == 3
    first = problems.nth(0).inner_text()
    # the item as the form names it (its places in the outline), then the line of the document it came from
    assert first.startswith("Nội dung kế hoạch, mục 2.1.2.2 — dòng 43, “1.2. Đối với cá nhân”")
    assert problems.nth(0).get_attribute("data-problem-path") == "$.noi_dung[1].noi_dung[0].noi_dung[1].noi_dung[1]"
    assert problems.nth(0).get_attribute("data-code") == "numbering_mismatch"
    listed = page.inner_text("#loi")
    assert "$." not in listed and "numbering_mismatch" not in listed  # for programs, not for the reader
    summary = page.locator("#tom-tat-loi")  # warnings only: a caution, not an error
    assert "warnings-only" in summary.get_attribute("class") and summary.inner_text().startswith("Có 3 cảnh báo")
    assert "Mục có số “1.2.” nằm dưới mục “2.”; hệ thống sẽ đánh số “2.1.”." in first
    assert page.locator("#bieu-mau .has-warning").count() >= 1  # beside the item it is about
    assert page.locator('[data-path="$.nguoi_ky.tham_quyen"] textarea').input_value() == "T/M Ban Thường vụ"


def test_a_word_document_for_a_kind_that_does_not_import(page):
    import docgen

    choose_kind(page, "quyet_dinh_xep_loai")
    word = docgen.render("ke_hoach", SAMPLES_DIR / KH_2023)
    upload(page, "mau_rieng.docx", word)
    assert page.inner_text("#nhap-tep-nay") == "Chuyển sang “Kế hoạch” và nhập văn bản này"
    assert page.locator("#nhap-van-ban").is_hidden()
    page.click("#dung-lam-mau")  # it is a template variant, after all
    assert page.evaluate("() => document.querySelector('#mau-word').files[0].name") == "mau_rieng.docx"
    assert page.evaluate("() => document.querySelector('#tep').files.length") == 0
    assert page.locator("#goi-y-nhap").is_hidden() and page.locator("#mau-rieng").get_attribute("open") is not None
    upload(page, "ke_hoach_2023.docx", word)
    page.click("#nhap-tep-nay")
    page.wait_for_selector("#thong-bao.ok")
    assert page.input_value("#loai") == "ke_hoach"
    assert page.locator('[data-path="$.trich_yeu"] textarea').input_value().startswith("Thực hiện kiểm điểm")


def test_a_word_document_is_offered_to_every_kind_that_imports(browser, tmp_path, monkeypatch):
    """The kinds that import are the registry's (``Kind.importer``): a kind added with an importer (a công
    văn, say) is offered for a Word document beside the plan, and imports, with no change to the page."""
    import dataclasses

    import docgen
    from docgen import kinds

    added = dataclasses.replace(kinds.get("ke_hoach"), name="bien_ban_thu", title="Biên bản", code="BB")
    monkeypatch.setitem(kinds.KINDS, "bien_ban_thu", added)
    importable = [k for k in kinds.all_kinds() if k.importer is not None]  # the plan first, the added kind last
    assert importable[0].name == "ke_hoach" and importable[-1] is added
    titles = [k.title.lower() for k in importable]
    word = docgen.render("ke_hoach", SAMPLES_DIR / KH_2023)
    with Server(tmp_path / "web", isolate=False) as server:  # the added kind is this process's alone
        context = browser.new_context(viewport={"width": 1280, "height": 1000}, locale="vi-VN")
        page = context.new_page()
        page.goto(server.url)
        page.wait_for_function("() => document.body.dataset.kind === 'ke_hoach'")
        choose_kind(page, "quyet_dinh_xep_loai")
        upload(page, "van_ban.docx", word)
        offer = page.inner_text("#goi-y-nhap")
        said = ", ".join(titles[:-1]) + " hoặc " + titles[-1]  # "kế hoạch hoặc biên bản"
        assert f"Nếu đây là {said} đã có (ví dụ của năm trước)" in offer
        assert page.inner_text("#nhap-tep-nay") == "Chuyển sang “Kế hoạch” và nhập văn bản này"
        others = [f"Nhập thành “{k.title}”" for k in importable[1:]]
        assert (
            page.locator("#nhap-loai-khac button").all_inner_texts() == others and others[-1] == "Nhập thành “Biên bản”"
        )
        page.click("#nhap-loai-khac button[data-kind='bien_ban_thu']")
        page.wait_for_selector("#thong-bao.ok")
        assert page.input_value("#loai") == "bien_ban_thu"
        assert page.inner_text("#thong-bao").startswith("Đã nhập “van_ban.docx” vào biểu mẫu.")
        subject = vn.chuan_hoa_du_lieu(load_sample(KH_2023))["trich_yeu"]
        assert page.locator('[data-path="$.trich_yeu"] textarea').input_value() == subject
        page.click("#tab-tep")
        upload(page, "van_ban.docx", word)  # the kind chosen imports: it comes first, the plan beside it
        assert page.inner_text("#nhap-tep-nay") == "Nhập văn bản này thành dữ liệu biên bản"
        assert page.locator("#nhap-loai-khac button").all_inner_texts() == [
            f"Nhập thành “{k.title}”" for k in importable[:-1]
        ]
        context.close()


RAW_CODE = re.compile(r"(?<![\w/])(true|false|[a-z][a-z0-9]*_[a-z0-9_]+)(?![\w/])")  # what JSON writes


@pytest.mark.parametrize("kind", ["ke_hoach", "bao_cao_kiem_diem", "to_trinh", "quyet_dinh_xep_loai"])
def test_help_texts_and_choices_on_the_form_are_words_not_codes(page, kind):
    """The form as a clerk reads it, every part unfolded: no help text, choice or column tip shows a JSON code
    or true/false; the choices by their Vietnamese labels."""
    choose_kind(page, kind)
    one = [o for o in page.locator("#mau-json option").all_inner_texts() if not o.endswith("(lô)")][0]
    page.select_option("#mau-json", one)
    page.click("#nap-mau")
    page.wait_for_selector("#thong-bao.ok")
    page.evaluate("() => document.querySelectorAll('#bieu-mau details').forEach((d) => { d.open = true; })")
    helps = page.locator("#bieu-mau .help").all_inner_texts()
    choices = page.locator("#bieu-mau option").all_inner_texts()
    tips = page.evaluate("() => [...document.querySelectorAll('#bieu-mau [title]')].map((e) => e.title)")
    assert len(helps) >= 10 and choices
    kinds_shown = page.locator("#loai option").all_inner_texts()
    assert len(kinds_shown) >= 4 and not [t for t in kinds_shown if RAW_CODE.search(t)], kinds_shown
    shown = [t for t in helps + choices + tips if RAW_CODE.search(t)]
    assert shown == [], shown
    if kind == "quyet_dinh_xep_loai":
        assert "Đối tượng xếp loại: “Đảng viên”, “Tổ chức đảng” hoặc “Tập thể lãnh đạo, quản lý”." in helps
        assert any(h.startswith("“Có”: in ") and "; “Không”: để trống" in h for h in helps)
        assert {"Khiển trách", "Cảnh cáo", "Cách chức", "Khai trừ"} <= set(choices)


# ---------------------------------------------------------------- the member grid

QD_SAMPLE = "quyet_dinh_xep_loai_dang_vien_khu_dan_cu_so_1_2025.json"
MEMBERS = '[data-path="$.ket_qua.dang_vien"]'


def cell(page, row: int, field: str):
    return page.locator(f'[data-path="$.ket_qua.dang_vien[{row}].{field}"]').locator("input, select, textarea")


def paste_into(locator, text: str) -> None:
    """What Ctrl+V does with cells copied from a spreadsheet: a paste event carrying tab-separated text."""
    locator.evaluate(
        """(el, text) => {
            const data = new DataTransfer();
            data.setData("text/plain", text);
            el.dispatchEvent(new ClipboardEvent("paste", {clipboardData: data, bubbles: true, cancelable: true}));
        }""",
        text,
    )


def test_members_are_rows_of_a_grid(page, tmp_path):
    sample = load_sample(QD_SAMPLE)
    members = sample["ket_qua"]["dang_vien"]
    choose_kind(page, "quyet_dinh_xep_loai")
    page.select_option("#mau-json", QD_SAMPLE)
    page.click("#nap-mau")
    page.wait_for_selector("#thong-bao.ok")
    grid = page.locator(MEMBERS)
    assert grid.get_attribute("open") is None and "25 dòng" in grid.locator("summary").inner_text()  # long: folded
    grid.locator("summary").click()
    rows = grid.locator("tbody tr.grid-row")
    assert rows.count() == len(members) == 25
    assert cell(page, 0, "ho_ten").input_value() == members[0]["ho_ten"]
    assert cell(page, 0, "ngay_sinh").input_value() == "12/04/1968"  # dates as the clerk writes them
    assert cell(page, 0, "diem.tong").input_value() == str(members[0]["diem"]["tong"])

    # add a row and type a member
    grid.locator("button.add").click()
    assert rows.count() == 26
    cell(page, 25, "ho_ten").fill("Mai Văn Tư")
    cell(page, 25, "ngay_sinh").fill("15/3/1980")
    cell(page, 25, "tu_xep_loai").select_option(label="HTTNV — Hoàn thành tốt nhiệm vụ")
    cell(page, 25, "de_xuat").select_option(label="HTTNV — Hoàn thành tốt nhiệm vụ")

    # five rows copied out of the workbook's sheet, its header row with them ("Chi bộ" is not a column here)
    pasted = [
        ["Chi bộ", "Họ và tên", "Ngày sinh", "Tự xếp loại", "Đề xuất", "Ghi chú"],
        ["Chi bộ Khu dân cư số 1", "Lê Thị Hoa", "01/02/1985", "Hoàn thành tốt nhiệm vụ", "HTTNV", ""],
        ["Chi bộ Khu dân cư số 1", "Trần Văn Bình", "2/3/1979", "HTNV", "hoàn thành nhiệm vụ", ""],
        ["Chi bộ Khu dân cư số 1", "Phạm Thị Duyên", "15/12/1990", "HTTNV", "Tốt lắm", ""],
        [
            "Chi bộ Khu dân cư số 1",
            'Nguyễn Văn "Út"',
            "30/04/1975",
            "HTTNV",
            "HTTNV",
            'Chuyển đến từ "Chi bộ số 2"; tháng 3',
        ],
        ["Chi bộ Khu dân cư số 1", "Đỗ Thị Én", "09/09/1999", "HTTNV", "HTTNV", ""],
    ]

    def tsv(cells: str) -> str:  # as Excel writes a cell holding a tab, a line break or a quote
        return '"' + cells.replace('"', '""') + '"' if any(c in cells for c in '\t\n"') else cells

    text = "\r\n".join("\t".join(tsv(c) for c in line) for line in pasted) + "\r\n"
    grid.locator(".paste-open").click()
    grid.locator(".paste-text").fill(text)
    grid.locator(".paste-add").click()
    assert rows.count() == 31
    assert grid.locator(".grid-note").inner_text() == (
        "Đã dán 5 dòng, cột khớp theo dòng tiêu đề; bỏ qua: Chi bộ. Kiểm tra lại rồi bấm “Kiểm tra dữ liệu”."
    )
    assert cell(page, 26, "ho_ten").input_value() == "Lê Thị Hoa"
    assert cell(page, 27, "de_xuat").input_value() == '"HTNV"'  # the level's name, read as its code
    assert cell(page, 29, "ho_ten").input_value() == 'Nguyễn Văn "Út"'
    assert cell(page, 29, "ghi_chu").input_value() == 'Chuyển đến từ "Chi bộ số 2"; tháng 3'

    # delete a row: the ones after it move up
    page.locator('[data-path="$.ket_qua.dang_vien[2]"] .row-delete').click()
    assert rows.count() == 30 and cell(page, 2, "ho_ten").input_value() == members[3]["ho_ten"]

    # Ctrl+V of two rows into a cell, no header: filled from that cell on, in the grid's column order
    grid.locator("button.add").click()
    paste_into(cell(page, 30, "ho_ten"), "Tạ Văn An\t05/06/1988\nTạ Thị Bé\t07/08/1992\n")
    assert rows.count() == 32
    assert [cell(page, i, "ho_ten").input_value() for i in (30, 31)] == ["Tạ Văn An", "Tạ Thị Bé"]
    assert cell(page, 31, "ngay_sinh").input_value() == "07/08/1992"

    # the check: a row's problem beside the row, its cell marked
    page.click("#kiem-tra")
    page.wait_for_selector("#loi li")
    bad = page.locator('[data-path="$.ket_qua.dang_vien[27]"]')  # Phạm Thị Duyên, "Tốt lắm"
    assert "has-error" in bad.get_attribute("class")
    beside = bad.locator("xpath=following-sibling::tr[1]")
    assert "row-problems" in beside.get_attribute("class") and beside.is_visible()
    assert beside.inner_text().startswith("Đề xuất: ")
    assert "has-error" in page.get_attribute('[data-path="$.ket_qua.dang_vien[27].de_xuat"]', "class")
    assert "Danh sách đảng viên, dòng 28 (Phạm Thị Duyên), cột Đề xuất" in page.inner_text("#loi")
    # every problem of the check at once: the two rows pasted without levels have theirs beside them too
    others = grid.locator("tr.row-problems:not([hidden])")
    assert others.count() == 3, page.inner_text("#loi")
    for row in (30, 31):
        assert page.locator(f'[data-path="$.ket_qua.dang_vien[{row}]"]').get_attribute("class").count("has-error")
    assert "dòng 31 (Tạ Văn An), cột Quyết định" in page.inner_text("#loi")
    cell(page, 27, "de_xuat").select_option(label="HTTNV — Hoàn thành tốt nhiệm vụ")
    for i in (30, 31):
        cell(page, i, "tu_xep_loai").select_option(label="HTTNV — Hoàn thành tốt nhiệm vụ")
        cell(page, i, "de_xuat").select_option(label="HTTNV — Hoàn thành tốt nhiệm vụ")
    page.click("#kiem-tra")
    page.wait_for_selector("#thong-bao.ok")

    got = download(page, "#luu-json")
    got.save_as(tmp_path / "qd.json")
    saved = json.loads((tmp_path / "qd.json").read_text(encoding="utf-8"))["ket_qua"]["dang_vien"]
    assert saved[:2] + saved[2:24] == members[:2] + members[3:]  # the rows kept, exactly, in order
    assert saved[24] == {"ho_ten": "Mai Văn Tư", "ngay_sinh": "1980-03-15", "tu_xep_loai": "HTTNV", "de_xuat": "HTTNV"}
    assert saved[25] == {"ho_ten": "Lê Thị Hoa", "ngay_sinh": "1985-02-01", "tu_xep_loai": "HTTNV", "de_xuat": "HTTNV"}
    assert saved[26]["de_xuat"] == "HTNV" and saved[26]["ngay_sinh"] == "1979-03-02"
    assert saved[28]["ghi_chu"] == 'Chuyển đến từ "Chi bộ số 2"; tháng 3'
    assert saved[30] == {"ho_ten": "Tạ Văn An", "ngay_sinh": "1988-06-05", "tu_xep_loai": "HTTNV", "de_xuat": "HTTNV"}
    assert saved[31]["ho_ten"] == "Tạ Thị Bé" and len(saved) == 32


# ---------------------------------------------------------------- the staff guide, step by step

GUIDE = ROOT / "docs" / "huong-dan-trang-web.md"
GUIDE_IMAGES = ROOT / "docs" / "img" / "trang-web"
_STEP = re.compile(r"^## Bước (\d+)\. (.+)$", re.M)
_IMAGE = re.compile(r"!\[[^\]]*\]\(img/trang-web/([^)]+\.png)\)")
_LABEL = re.compile(r"([Bb]ấm )?\*\*“([^”]+)”\*\*")  # a word of the page the guide quotes; after "bấm", pressed
_CHOICE = re.compile(r"Ở ô \*([^*]+)\*, chọn \*([^*]+)\*")  # a box of the page and the choice made in it


def guide_steps() -> list[dict]:
    """The guide's numbered steps: number, title, the pictures it shows, the page's words it quotes in bold
    (``press``: those it tells the reader to press)."""
    text = GUIDE.read_text(encoding="utf-8")
    found = list(_STEP.finditer(text))
    steps = []
    for i, m in enumerate(found):
        body = text[m.end() : found[i + 1].start() if i + 1 < len(found) else text.find("\n## ", m.end())]
        labels = _LABEL.findall(body)
        steps.append(
            {
                "n": int(m.group(1)),
                "title": m.group(2),
                "images": _IMAGE.findall(body),
                "press": [label for verb, label in labels if verb],
                "show": [label for verb, label in labels if not verb],
                "choices": _CHOICE.findall(body),
            }
        )
    return steps


class Guide:
    """The page as the guide's reader uses it: she presses what she reads, by its words on the page; what she saw
    and pressed during a step, the pictures taken of it."""

    def __init__(self, page, tmp_path: Path):
        self.page, self.tmp = page, tmp_path
        self.update = bool(os.environ.get("UPDATE_SCREENSHOT"))
        self.seen: list[str] = []
        self.pressed: list[str] = []
        self.chosen: list[tuple[str, str]] = []
        self.pictures: list[str] = []
        self.files: dict[str, Path] = {}

    def look(self) -> None:
        self.seen.append(self.page.inner_text("body"))

    def _control(self, label: str, picker: bool = False):
        """The visible button or tab (or, ``picker``, a file picker's label) whose words are ``label``: exactly one."""
        if picker:
            found = self.page.locator("label", has=self.page.locator("input[type=file]")).filter(has_text=label)
        else:
            found = self.page.get_by_role("button", name=label, exact=True).or_(
                self.page.get_by_role("tab", name=label, exact=True)
            )
        found = found.filter(visible=True)
        assert found.count() == 1, f"“{label}”: {found.count()} visible controls with these words"
        return found

    def press(self, label: str) -> None:
        self.look()
        self._control(label).click()
        self.pressed.append(label)
        self.look()

    def choose_file(self, label: str, path: Path) -> None:
        """Press the file picker named ``label`` and choose ``path`` in the dialog."""
        self.look()
        with self.page.expect_file_chooser() as chooser:
            self._control(label, picker=True).click()
        chooser.value.set_files(str(path))
        self.pressed.append(label)

    def download(self, label: str, timeout: float = 60_000):
        with self.page.expect_download(timeout=timeout) as info:
            self.press(label)
        return info.value

    def choose(self, field: str, option: str) -> None:
        """In the box ``field`` (its label), choose ``option`` (the words shown)."""
        box = self.page.locator("label", has=self.page.locator("select")).filter(has_text=field).locator("select")
        shown = [o.strip() for o in box.locator("option").all_inner_texts()]
        assert option in shown, f"“{option}” in {shown}"
        box.select_option(label=option)
        self.chosen.append((field, option))
        self.page.wait_for_function("() => document.body.dataset.kind === document.querySelector('#loai').value")
        self.look()

    def picture(self, name: str, top: str | None = None) -> None:
        """A picture of the window, scrolled to ``top`` (a selector); into docs/img/trang-web with
        UPDATE_SCREENSHOT=1 (``make web-images``)."""
        self.page.evaluate(
            "sel => window.scrollTo(0, sel ? document.querySelector(sel).getBoundingClientRect().top"
            " + window.scrollY - 8 : 0)",
            top,
        )
        target = (GUIDE_IMAGES if self.update else self.tmp) / name
        target.parent.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(target))
        assert target.stat().st_size > 20_000
        self.pictures.append(name)
        self.look()


STEPS = []


def step(title: str):
    def register(fn):
        STEPS.append((title, fn))
        return fn

    return register


@step("Mở trang web")
def _open(g: Guide):
    assert g.page.title() == "Soạn văn bản kiểm điểm, đánh giá, xếp loại"
    assert g.page.inner_text("h1") == "Soạn văn bản kiểm điểm, đánh giá, xếp loại chất lượng"
    for part in ("Chọn loại văn bản", "Nhập dữ liệu", "Kiểm tra và tải về"):
        assert part in g.page.inner_text("main")
    g.picture("buoc-1.png")


@step("Nhập kế hoạch năm trước")
def _import_last_year(g: Guide):
    g.choose("Loại văn bản", "Kế hoạch")
    g.choose_file("Nhập từ văn bản Word", TEXT_COPY)  # the .txt copied out of last year's PDF
    message = said(g.page, "Đã nhập “ke_hoach_thi_uy_2024_ban_chep.txt” vào biểu mẫu.")
    assert "Có 3 cảnh báo" in message
    assert g.page.locator('[data-path="$.ban_hanh.co_quan_ban_hanh"] textarea').input_value() == "Thị ủy An Nhơn"
    warnings = g.page.inner_text("#loi")
    assert "dòng 43, “1.2. Đối với cá nhân”" in warnings  # the guide's example, word for word
    assert "Mục có số “1.2.” nằm dưới mục “2.”; hệ thống sẽ đánh số “2.1.”." in warnings
    assert g.page.locator("#bieu-mau .has-warning").count() >= 1  # the item concerned, marked
    g.picture("buoc-2.png", "#buoc-2")


@step("Sửa cho năm nay, kiểm tra và tải kế hoạch")
def _this_year(g: Guide):
    page = g.page
    subject = page.locator('[data-path="$.trich_yeu"] textarea')
    subject.fill(subject.input_value().replace("năm 2024", "năm 2025"))
    opening = page.locator('[data-path="$.mo_dau[0]"] textarea')
    opening.fill(opening.input_value().replace("năm 2024", "năm 2025"))
    page.fill('[data-path="$.ban_hanh.so"] input', "135")
    page.fill('[data-path="$.ban_hanh.ngay_ban_hanh"] input', "2025-11-20")
    assert page.locator("#loi li").count() == 0  # an edit clears what was shown for the data before
    g.press("Kiểm tra dữ liệu")
    assert said(page, "Dữ liệu hợp lệ.").startswith("Dữ liệu hợp lệ. Có thể xem trước và tải văn bản.")
    g.press("Xem trước trang 1")
    page.wait_for_selector("#anh-trang:not([hidden])", timeout=120_000)
    g.picture("buoc-3.png", "#buoc-2")
    word = g.download("Tải Word (.docx)")
    word.save_as(g.tmp / "ke_hoach_2025.docx")
    doc = Document(str(g.tmp / "ke_hoach_2025.docx"))
    cells = [p for t in doc.tables for row in t.rows for c in row.cells for p in c.paragraphs]  # the header
    texts = [" ".join(p.text.split()) for p in [*doc.paragraphs, *cells]]
    assert any("trong hệ thống chính trị thị xã năm 2025" in t for t in texts)
    assert "An Nhơn, ngày 20 tháng 11 năm 2025" in texts and "Số 135-KH/TU" in texts
    pdf = g.download("Tải PDF", timeout=120_000)
    assert pdf.suggested_filename.endswith(".pdf")
    saved = g.download("Lưu dữ liệu thành tệp JSON")
    assert saved.suggested_filename == "ke_hoach.json"
    saved.save_as(g.tmp / "ke_hoach.json")
    assert json.loads((g.tmp / "ke_hoach.json").read_text(encoding="utf-8"))["ban_hanh"]["so"] == 135


@step("Tải sổ Excel mẫu và điền danh sách")
def _workbook(g: Guide):
    from openpyxl import load_workbook

    from docgen.xlsx.write import build_workbook

    g.choose("Loại văn bản", "Quyết định xếp loại chất lượng")
    book = g.download("Tải sổ Excel mẫu")
    assert book.suggested_filename == "mau_quyet_dinh_xep_loai.xlsx"  # the name the guide gives
    book.save_as(g.tmp / book.suggested_filename)
    blank = load_workbook(g.tmp / book.suggested_filename)
    assert {"Hướng dẫn", "Thông tin chung", "Đơn vị", "Đảng viên"} <= set(blank.sheetnames)
    # the columns and rows the guide names, as the workbook heads them
    assert [c.value for c in blank["Thông tin chung"][1]] == ["Mục", "Giá trị"]
    assert "Số bắt đầu" in [r[0].value for r in blank["Thông tin chung"].iter_rows(min_row=2)]
    assert [c.value for c in blank["Đơn vị"][1]][0] == "Tên chi bộ"
    assert [c.value for c in blank["Đảng viên"][1]][:3] == ["Chi bộ", "Họ và tên", "Ngày sinh"]
    # the clerk fills it: here, the sample batch's data written into the same workbook
    filled = g.tmp / "quyet_dinh_2025.xlsx"
    filled.write_bytes(build_workbook("quyet_dinh_xep_loai", json.loads(QD_BATCH.read_text(encoding="utf-8"))))
    assert load_workbook(filled).sheetnames == blank.sheetnames
    g.files["filled"] = filled
    g.picture("buoc-4.png")


@step("Kiểm tra sổ Excel trên trang")
def _check_workbook(g: Guide):
    from openpyxl import load_workbook

    book = load_workbook(g.files["filled"])
    members = book["Đảng viên"]
    headers = [c.value for c in members[1]]
    members.cell(7, headers.index("Đề xuất") + 1, "Tốt")  # two slips, on two rows
    members.cell(9, headers.index("Ngày sinh") + 1, "31/02/1980")
    mistaken = g.tmp / "quyet_dinh_2025_loi.xlsx"
    book.save(mistaken)
    page = g.page
    g.press("Tải tệp lên")
    g.choose_file("Chọn tệp dữ liệu", mistaken)
    page.wait_for_selector("#tao-lo:not([hidden])")
    assert "một lô nhiều văn bản" in page.inner_text("#tep-da-chon")
    g.press("Kiểm tra dữ liệu")
    page.wait_for_selector("#loi li")
    problems = page.inner_text("#loi")
    assert "Sheet Đảng viên, dòng 7, cột P (Đề xuất)" in problems
    assert "Sheet Đảng viên, dòng 9, cột C (Ngày sinh)" in problems
    g.picture("buoc-5.png")
    g.choose_file("Chọn tệp dữ liệu", g.files["filled"])  # fixed in Excel, chosen again
    assert page.inner_text("#loi") == ""
    g.press("Kiểm tra dữ liệu")
    assert said(page, "Dữ liệu hợp lệ:") == "Dữ liệu hợp lệ: 12 văn bản."
    g.look()


@step("Tạo tất cả quyết định")
def _make_all(g: Guide):
    page = g.page
    g.press("Tạo tất cả (.zip)")
    page.wait_for_selector("#tai-zip:not([hidden])", timeout=300_000)
    assert page.inner_text("#thong-bao") == "Đã tạo 12/12 văn bản; có tat_ca.pdf để in."
    g.picture("buoc-6.png")
    got = g.download("Tải tệp .zip")
    got.save_as(g.tmp / "quyet_dinh.zip")
    g.files["zip"] = g.tmp / "quyet_dinh.zip"


@step("In các quyết định")
def _print(g: Guide):
    import csv

    from pypdf import PdfReader

    with zipfile.ZipFile(g.files["zip"]) as z:
        names = z.namelist()
        assert "qd-120-chi-bo-khu-dan-cu-so-1.docx" in names  # the name the guide gives as an example
        assert len([n for n in names if n.endswith(".docx")]) == 12
        rows = list(csv.DictReader(io.StringIO(z.read("manifest.csv").decode("utf-8-sig"))))
        (g.tmp / "tat_ca.pdf").write_bytes(z.read("tat_ca.pdf"))
    assert len(rows) == 12
    text = " ".join(p.extract_text() for p in PdfReader(g.tmp / "tat_ca.pdf").pages)
    for number in range(120, 132):  # every decision in the one PDF, numbered on from the first as the guide says
        assert f"Số {number}-QĐ/ĐU" in text, number


@needs_soffice()
def test_the_staff_guide_step_by_step(page, tmp_path):
    """docs/huong-dan-trang-web.md followed on the real page: the same steps in the same order, each pressing the
    buttons the guide names by the words it quotes, the page showing the other words it quotes, the pictures
    taken where the guide shows them. A step added, removed, renamed or moved in the guide, or a button renamed
    on the page, fails here until guide and page agree again."""
    steps = guide_steps()
    assert [s["n"] for s in steps] == list(range(1, len(steps) + 1)), "the guide's steps are numbered 1, 2, …"
    assert [s["title"] for s in steps] == [title for title, _ in STEPS]
    guide = Guide(page, tmp_path)
    for s, (_, follow) in zip(steps, STEPS):
        guide.seen, guide.pressed, guide.chosen, guide.pictures = [], [], [], []
        guide.look()
        follow(guide)
        # what the guide says to press is pressed; nothing is pressed that the guide does not name
        assert set(s["press"]) <= set(guide.pressed) <= set(s["press"] + s["show"]), (
            f"Bước {s['n']}: pressed {guide.pressed}, the guide names {s['press'] + s['show']}"
        )
        assert guide.chosen == s["choices"], f"Bước {s['n']}: chose {guide.chosen}, the guide says {s['choices']}"
        seen = "\n".join(guide.seen)
        missing = [label for label in s["show"] if label not in seen]
        assert not missing, f"Bước {s['n']}: the page never showed {missing}"
        assert guide.pictures == s["images"], f"Bước {s['n']}: pictures {guide.pictures} ≠ the guide's {s['images']}"
        for name in s["images"]:
            assert (GUIDE_IMAGES / name).is_file(), f"{name}: make web-images"


def test_the_staff_guide_is_linked_from_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    staff = readme.split("## Hướng dẫn nhanh cho cán bộ văn phòng")[1].split("\n## ")[0]
    assert "(docs/huong-dan-trang-web.md)" in staff
    text = GUIDE.read_text(encoding="utf-8")
    for name in _IMAGE.findall(text):
        assert (GUIDE_IMAGES / name).is_file(), f"{name}: make web-images"


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
