"""docgen as a package: built from the source distribution, installed into a fresh venv outside the
checkout, and used from there — the console script renders a sample and serves the web page.

Needs PyPI (the build backend and docgen's dependencies are installed as a user's pip would); marked
``wheel`` (and so ``slow``).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tarfile
import time
import urllib.request
import zipfile
from pathlib import Path

import pytest
from conftest import ROOT, free_port
from docx import Document

pytestmark = pytest.mark.wheel

# What a wheel must carry for a render outside the checkout (one file of each kind of data).
PACKAGE_DATA = [
    "docgen/schemas/ke_hoach.schema.json",
    "docgen/schemas/common.schema.json",
    "docgen/templates_docx/ke_hoach.docx",
    "docgen/templates_docx/bao_cao_kiem_diem_ca_nhan.docx",
    "docgen/samples/ke_hoach_hong_quang_2025.json",
    "docgen/samples/lo/quyet_dinh_xep_loai_dang_bo_hong_quang_2025.json",
    "docgen/formats/hd36_2018.json",
    "docgen/rules/qd366_2025.json",
    "docgen/forms/bao_cao_kiem_diem.json",
    "docgen/web/static/index.html",
]


@pytest.fixture(scope="module")
def dist(tmp_path_factory) -> Path:
    """``python -m build``: the sdist, then the wheel built from that sdist (so the sdist is complete)."""
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "build", "--outdir", str(out), str(ROOT)],
        check=True,
        capture_output=True,
        timeout=600,
    )
    return out


@pytest.fixture(scope="module")
def venv(dist, tmp_path_factory) -> Path:
    """A fresh venv, outside the checkout, with the wheel and its dependencies installed by pip."""
    where = tmp_path_factory.mktemp("venv") / "env"
    subprocess.run([sys.executable, "-m", "venv", str(where)], check=True, timeout=300)
    [wheel] = dist.glob("*.whl")
    subprocess.run(
        [str(where / "bin" / "python"), "-m", "pip", "install", "--quiet", str(wheel)],
        check=True,
        capture_output=True,
        timeout=900,
    )
    return where


def test_sdist_and_wheel_hold_the_package_and_its_data_only(dist):
    [sdist] = dist.glob("*.tar.gz")
    [wheel] = dist.glob("*.whl")
    with tarfile.open(sdist) as t:
        in_sdist = [name.split("/", 1)[1] for name in t.getnames() if "/" in name]
    in_wheel = zipfile.ZipFile(wheel).namelist()
    for name in PACKAGE_DATA:
        assert name in in_wheel
    assert "schemas/ke_hoach.schema.json" in in_sdist and "templates_docx/ke_hoach.docx" in in_sdist
    for names in (in_sdist, in_wheel):
        stray = [n for n in names if n.split("/")[0] in ("tests", "out", ".venv", "benchmarks", "build", "docs")]
        assert stray == []
        assert not [n for n in names if "__pycache__" in n or n.endswith(".pyc")]


def test_installed_package_renders_a_sample_outside_the_checkout(venv, tmp_path):
    python, docgen = venv / "bin" / "python", venv / "bin" / "docgen"
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    where = subprocess.run(
        [str(python), "-c", "import docgen.paths as p; print(p.SAMPLES_DIR); print(p.TEMPLATES_DIR)"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    for folder in where:  # the package's own copies, not the checkout's folders
        assert Path(folder).is_relative_to(venv) and not Path(folder).is_relative_to(ROOT)
    samples = Path(where[0])
    for args in (
        ["render", "ke_hoach", str(samples / "ke_hoach_hong_quang_2025.json"), "-o", "ke_hoach.docx"],
        ["validate", "quyet_dinh_xep_loai", str(samples / "lo" / "quyet_dinh_xep_loai_dang_bo_hong_quang_2025.json")],
    ):
        done = subprocess.run([str(docgen), *args], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
    text = "\n".join(p.text for p in Document(str(tmp_path / "ke_hoach.docx")).paragraphs)
    assert "KẾ HOẠCH" in text and "MỤC ĐÍCH, YÊU CẦU" in text


def test_installed_package_serves_the_web_page(venv, tmp_path):
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    server = subprocess.Popen(
        [str(venv / "bin" / "docgen"), "serve", "--port", str(port)],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        page, kinds = None, None
        deadline = time.monotonic() + 60  # a guard against a server that never starts
        while time.monotonic() < deadline and page is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as r:
                    page = r.read().decode("utf-8")
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/kinds", timeout=5) as r:
                    kinds = r.read().decode("utf-8")
            except OSError:
                assert server.poll() is None, server.communicate()[1]
                time.sleep(0.3)
        assert page is not None, "docgen serve did not answer within 60 s"
        assert "<html" in page.lower() and "Soạn văn bản kiểm điểm, đánh giá, xếp loại" in page
        assert "quyet_dinh_xep_loai" in kinds and "ke_hoach_hong_quang_2025.json" in kinds
    finally:
        server.terminate()
        server.wait(timeout=30)
