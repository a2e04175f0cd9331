"""Benchmark: how tall the web form of a quyết định is, and how long it takes to fill, for N members.

    .venv/bin/python benchmarks/web_form.py [--members 25 100 500]

Serves the page on a free loopback port, opens it in Chromium (/usr/bin/chromium, 1280×1000 as the browser
tests), and for each N loads the quyết định sample with its member list cut or repeated to N members into the
form ("Mở tệp JSON vào biểu mẫu"). Prints the form's height in CSS pixels (folded as the page first shows
it, then with every part unfolded) and the seconds from choosing the file to the form being there.
"""

from __future__ import annotations

import argparse
import copy
import json
import socket
import tempfile
import threading
import time
from pathlib import Path

import uvicorn
from playwright import sync_api

from docgen.paths import SAMPLES_DIR
from docgen.web import create_app

SAMPLE = SAMPLES_DIR / "quyet_dinh_xep_loai_dang_vien_khu_dan_cu_so_1_2025.json"
CHROMIUM = "/usr/bin/chromium"


def with_members(count: int) -> dict:
    data = json.loads(SAMPLE.read_text(encoding="utf-8"))
    members = data["ket_qua"]["dang_vien"]
    out = []
    for i in range(count):
        m = copy.deepcopy(members[i % len(members)])
        m["ho_ten"] = f"{m['ho_ten']} {i + 1}" if i >= len(members) else m["ho_ten"]
        out.append(m)
    data["ket_qua"]["dang_vien"] = out
    return data


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--members", type=int, nargs="+", default=[25, 100, 500])
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        app = create_app(None, work_dir=Path(tmp) / "web")
        server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
        threading.Thread(target=server.run, daemon=True).start()
        while not server.started:
            time.sleep(0.05)
        with sync_api.sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=["--headless", "--no-sandbox"])
            print(f"{'members':>8} {'form px (folded)':>17} {'form px (unfolded)':>19} {'fill s':>7}")
            for count in args.members:
                page = browser.new_page(viewport={"width": 1280, "height": 1000})
                page.goto(f"http://127.0.0.1:{port}/")
                page.wait_for_function("() => document.body.dataset.kind === 'ke_hoach'")
                page.select_option("#loai", "quyet_dinh_xep_loai")
                page.wait_for_function("() => document.body.dataset.kind === 'quyet_dinh_xep_loai'")
                page.click("#tab-form")
                path = Path(tmp) / f"qd_{count}.json"
                path.write_text(json.dumps(with_members(count), ensure_ascii=False), encoding="utf-8")
                start = time.perf_counter()
                page.set_input_files("#mo-json", str(path))
                page.wait_for_selector("#thong-bao.ok", timeout=300_000)
                filled = time.perf_counter() - start
                folded = page.evaluate("document.getElementById('bieu-mau').scrollHeight")
                page.evaluate("() => document.querySelectorAll('#bieu-mau details').forEach((d) => { d.open = true; })")
                unfolded = page.evaluate("document.getElementById('bieu-mau').scrollHeight")
                print(f"{count:>8} {folded:>17} {unfolded:>19} {filled:>7.2f}")
                page.close()
            browser.close()
        server.should_exit = True


if __name__ == "__main__":
    main()
