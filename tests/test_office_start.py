"""How docgen starts soffice: its profile seeded with the installation's version, so that soffice skips its
start-up graphics self-test, and jemalloc preloaded where the machine has it; the PDFs stay the same."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import needs_soffice

import docgen
from docgen import office, office_start, pdf
from docgen.export import write_atomic
from docgen.paths import SAMPLES_DIR

SAMPLE = SAMPLES_DIR / "quyet_dinh_xep_loai_dang_vien_khu_dan_cu_so_1_2025.json"
SELF_TEST_LOG = Path("user", "GraphicsRenderTests.log")  # written by the self-test each time it runs


def fake_installation(tmp_path: Path, registry: bytes | None, where=("share", "registry")) -> str:
    """A soffice beside a registry with ``registry`` as its text (None: no registry at all)."""
    program = tmp_path / "lo" / "program"
    program.mkdir(parents=True)
    exe = program / "soffice"
    exe.write_text("#!/bin/sh\n")
    if registry is not None:
        folder = tmp_path.joinpath("lo", *where)
        folder.mkdir(parents=True)
        (folder / "main.xcd").write_bytes(registry)
    office_start.product_version.cache_clear()
    return str(exe)


REGISTRY = (
    b'<x><prop oor:name="ooSetupVersionAboutBox">\n<value>24.8.1</value></prop>'
    b'<prop oor:name="ooSetupVersion">\n        <value>24.8</value>\n      </prop></x>'
)


def test_version_is_read_from_the_installations_registry(tmp_path):
    assert office_start.product_version(fake_installation(tmp_path, REGISTRY)) == "24.8"


def test_version_is_found_in_a_macos_bundle(tmp_path):
    exe = fake_installation(tmp_path, REGISTRY, where=("Resources", "registry"))
    assert office_start.product_version(exe) == "24.8"


def test_version_through_a_symbolic_link(tmp_path):
    exe = fake_installation(tmp_path, REGISTRY)
    link = tmp_path / "bin" / "soffice"
    link.parent.mkdir()
    link.symlink_to(exe)
    assert office_start.product_version(str(link)) == "24.8"


@pytest.mark.parametrize(
    "registry",
    [None, b"", b'<prop oor:name="ooSetupVersion"><value>seven</value></prop>', b"<prop>7.4</prop>"],
    ids=["no registry", "empty", "not a number", "no such setting"],
)
def test_unknown_version_leaves_the_profile_unseeded(tmp_path, registry):
    exe = fake_installation(tmp_path, registry)
    assert office_start.product_version(exe) is None
    assert office_start.seed_profile(tmp_path / "profile", exe) is False
    assert not (tmp_path / "profile").exists()  # soffice makes its profile as it did before


def test_seeded_profile_records_the_version_as_libreoffice_reads_it(tmp_path):
    exe = fake_installation(tmp_path, REGISTRY)
    assert office_start.seed_profile(tmp_path / "profile", exe) is True
    settings = (tmp_path / "profile" / "user" / "registrymodifications.xcu").read_text(encoding="utf-8")
    from lxml import etree

    root = etree.fromstring(settings.encode())
    oor = "{http://openoffice.org/2001/registry}"
    [item] = root.findall("item")
    assert item.get(f"{oor}path") == "/org.openoffice.Setup/Product"
    [prop] = item.findall("prop")
    assert prop.get(f"{oor}name") == "ooSetupLastVersion"
    assert prop.findtext("value") == "24.8"


@needs_soffice()
def test_version_of_the_installed_libreoffice_is_its_own():
    office_start.product_version.cache_clear()
    said = subprocess.run([pdf.soffice_path(), "--version"], capture_output=True, text=True, timeout=60).stdout
    major_minor = re.search(r"(\d+\.\d+)\.\d+", said).group(1)
    assert office_start.product_version(pdf.soffice_path()) == major_minor


def decision(folder: Path) -> Path:
    return write_atomic(folder / "qd.docx", docgen.render("quyet_dinh_xep_loai", SAMPLE))


def convert(exe: str, docx: Path, out: Path, profile: Path, env: dict | None = None) -> Path:
    """soffice converting ``docx`` with ``profile``; by default with glibc's malloc, as LibreOffice ships."""
    if env is None:
        env = {k: v for k, v in os.environ.items() if k != "LD_PRELOAD"}
    subprocess.run(
        [exe, "--headless", "--norestore", f"-env:UserInstallation={profile.as_uri()}", "--convert-to", "pdf",
         "--outdir", str(out), str(docx)],
        capture_output=True, timeout=300, check=True, start_new_session=True, env=env,
    )  # fmt: skip
    return out / f"{docx.stem}.pdf"


def page_images(pdf_file: Path, folder: Path) -> list[bytes]:
    folder.mkdir()
    subprocess.run(["pdftoppm", "-r", "50", "-png", str(pdf_file), str(folder / "p")], check=True, timeout=120)
    return [p.read_bytes() for p in sorted(folder.glob("p*.png"))]


@needs_soffice()
def test_seeded_soffice_skips_the_self_test_and_draws_the_same_pages(tmp_path):
    if shutil.which("pdftoppm") is None:
        pytest.skip("poppler-utils (pdftoppm) is not installed; CI installs it")
    exe = pdf.soffice_path()
    docx = decision(tmp_path)
    office_start.product_version.cache_clear()
    assert office_start.seed_profile(tmp_path / "seeded", exe)
    seeded = convert(exe, docx, tmp_path / "a", tmp_path / "seeded")
    plain = convert(exe, docx, tmp_path / "b", tmp_path / "plain")
    assert not (tmp_path / "seeded" / SELF_TEST_LOG).exists()
    if tuple(map(int, office_start.product_version(exe).split("."))) >= (7, 2):  # the self-test came in 7.2
        assert (tmp_path / "plain" / SELF_TEST_LOG).exists()
    images = page_images(seeded, tmp_path / "pa")
    assert images and images == page_images(plain, tmp_path / "pb")


@needs_soffice()
def test_docgen_seeds_the_profile_of_every_soffice_it_starts(tmp_path, monkeypatch):
    """convert_many and the warm converter's command both seed the profile soffice is given."""
    seeded = []
    real = office_start.seed_profile
    monkeypatch.setattr(
        office_start, "seed_profile", lambda profile, exe: seeded.append(Path(profile)) or real(profile, exe)
    )
    docx = decision(tmp_path)
    [result] = pdf.convert_many([docx], tmp_path / "out", jobs=1)
    assert result.pdf and result.pdf.exists() and len(seeded) == 1 and seeded[0].name == "profile"
    if office.uno_python():
        folder = tmp_path / "converter"
        folder.mkdir()
        command = office.bridge_command(folder, "pipe-name")
        assert seeded[-1] == folder / "profile"
        assert (folder / "profile" / "user" / "registrymodifications.xcu").exists()
        assert command[-2:] == [str(folder), "pipe-name"]


# ---------------------------------------------------------------- the allocator


@pytest.fixture
def allocator(monkeypatch):
    """Pretend the machine has (or lacks) jemalloc: ``allocator("libjemalloc.so.2")``."""

    def have(library):
        monkeypatch.setattr(office_start, "allocator", lambda: library)

    monkeypatch.delenv(office_start.ALLOCATOR_SWITCH, raising=False)
    monkeypatch.delenv("LD_PRELOAD", raising=False)
    return have


def test_jemalloc_is_preloaded_for_soffice_when_the_machine_has_it(allocator, monkeypatch):
    allocator("libjemalloc.so.2")
    assert office_start.environment()["LD_PRELOAD"] == "libjemalloc.so.2"
    monkeypatch.setenv("LD_PRELOAD", "libmine.so")  # what the user preloads stays, first
    assert office_start.environment()["LD_PRELOAD"] == "libmine.so:libjemalloc.so.2"
    assert office_start.environment()["PATH"] == os.environ["PATH"]  # the rest of the environment as it is


def test_no_jemalloc_or_turned_off_leaves_the_environment_as_it_is(allocator, monkeypatch):
    allocator(None)
    assert "LD_PRELOAD" not in office_start.environment()
    allocator("libjemalloc.so.2")
    monkeypatch.setenv(office_start.ALLOCATOR_SWITCH, "system")
    assert "LD_PRELOAD" not in office_start.environment()


def test_convert_many_and_the_warm_converter_start_with_that_environment(allocator, monkeypatch, tmp_path):
    allocator("libjemalloc-for-the-test.so")
    started = []
    monkeypatch.setattr(pdf.subprocess, "Popen", lambda cmd, **kw: started.append(kw.get("env")) or _Ended())
    monkeypatch.setattr(pdf, "check_fonts", lambda: None)
    monkeypatch.setattr(pdf, "soffice_path", lambda: "/usr/bin/soffice")
    pdf.convert_many([decision(tmp_path)], tmp_path / "out", jobs=1)
    assert started and all(env["LD_PRELOAD"] == "libjemalloc-for-the-test.so" for env in started)
    monkeypatch.setattr(office.subprocess, "Popen", lambda cmd, **kw: started.append(kw.get("env")) or _Ended())
    office._Converter(lambda folder, pipe: ["bridge"], tmp_path)  # started, never asked anything
    assert started[-1]["LD_PRELOAD"] == "libjemalloc-for-the-test.so"


class _Ended:
    """A process that has already ended, having made nothing."""

    returncode, pid = 1, 0

    def wait(self, timeout=None):
        return 1

    def poll(self):
        return 1


@needs_soffice()
def test_soffice_with_jemalloc_draws_the_same_pages(tmp_path):
    office_start.allocator.cache_clear()
    if office_start.allocator() is None:
        pytest.skip("jemalloc is not installed (Debian: libjemalloc2); CI installs it")
    if shutil.which("pdftoppm") is None:
        pytest.skip("poppler-utils (pdftoppm) is not installed; CI installs it")
    exe, docx = pdf.soffice_path(), decision(tmp_path)
    for name in ("a", "b"):
        assert office_start.seed_profile(tmp_path / f"profile-{name}", exe)
    faster = convert(exe, docx, tmp_path / "a", tmp_path / "profile-a", env=office_start.environment())
    plain = convert(exe, docx, tmp_path / "b", tmp_path / "profile-b")
    images = page_images(faster, tmp_path / "pa")
    assert images and images == page_images(plain, tmp_path / "pb")
