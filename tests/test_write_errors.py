"""A full disk, a read-only or forbidden folder, a path through a file: a located Vietnamese message, exit 1,
no partial file, and a batch folder left as it was.

Reproduced for real where the machine allows: a tmpfs of a few pages (full disk) and a tmpfs remounted
read-only, each in a private mount namespace (``unshare``; tests/small_disk.py), and a folder without write
permission for a user other than root. Everywhere: a path whose parent is a regular file, and a full disk
simulated by an ``os.write`` that raises ``OSError(ENOSPC)`` at the Nth write — the way a real disk fills in
the middle of a batch; docgen's atomic writes go through ``os.write``.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from docgen import batch
from docgen.cli import main as cli
from docgen.paths import SAMPLES_DIR
from docgen.kinds.quyet_dinh_xep_loai.synthetic import dang_bo

QD = "quyet_dinh_xep_loai"
SAMPLE = str(SAMPLES_DIR / "ke_hoach_hong_quang_2025.json")
HERE = Path(__file__).parent


def write(path: Path, data) -> Path:
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def snapshot(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.rglob("*")}


def disk_full_at(monkeypatch, n: int) -> None:
    """From the ``n``-th write to a file on, every write fails as on a full disk (terminal output is spared)."""
    real, count = os.write, [0]

    def write(fd, data):
        if fd > 2:
            count[0] += 1
            if count[0] >= n:
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real(fd, data)

    monkeypatch.setattr(os, "write", write)


# ---------------------------------------------------------------- full disk (simulated at the Nth write)


def test_render_onto_a_full_disk_says_so_and_leaves_nothing(workdir, monkeypatch, capsys):
    (workdir / "ra").mkdir()
    disk_full_at(monkeypatch, 1)
    assert cli(["render", "ke_hoach", SAMPLE, "-o", "ra/ke_hoach.docx"]) == 1
    err = capsys.readouterr().err
    assert "Ổ đĩa chứa thư mục “ra” đã hết chỗ trống nên không ghi được “ke_hoach.docx”" in err
    assert "[disk_full]" not in err and "Traceback" not in err  # the code is for programs
    assert list((workdir / "ra").iterdir()) == []  # neither the document nor a temporary file


def test_a_batch_that_fills_the_disk_leaves_the_previous_batch(workdir, monkeypatch, capsys):
    src = write(workdir / "lo.json", dang_bo(units=6, members=8))
    assert cli(["batch", QD, str(src), "-o", "ra", "--jobs", "1", "--no-register"]) == 0
    before = snapshot(workdir / "ra")
    disk_full_at(monkeypatch, 5)  # the 4th document of the re-run does not fit (the 1st write is the build's record)
    capsys.readouterr()
    assert cli(["batch", QD, str(src), "-o", "ra", "--jobs", "1", "--start-number", "300", "--no-register"]) == 1
    err = capsys.readouterr().err
    assert "Ổ đĩa chứa thư mục “ra” đã hết chỗ trống nên không ghi được “qd-303-chi-bo-khu-dan-cu-so-4.docx”" in err
    assert "Thư mục “ra” giữ nguyên như trước lần chạy này." in err and "Traceback" not in err
    assert snapshot(workdir / "ra") == before
    assert sorted(p.name for p in workdir.iterdir()) == ["lo.json", "ra"]  # no build folder, no lock


# ---------------------------------------------------------------- a path through a file, a folder as a file


def test_an_output_under_a_file_is_named(workdir, capsys):
    (workdir / "hop").write_text("một tệp, không phải thư mục")
    assert cli(["render", "ke_hoach", SAMPLE, "-o", "hop/ke_hoach.docx"]) == 1
    err = capsys.readouterr().err
    assert "Không ghi được “hop/ke_hoach.docx”: “hop” là một tệp, không phải thư mục." in err
    assert "[not_a_folder]" not in err and "Traceback" not in err
    src = write(workdir / "lo.json", dang_bo(units=2, members=6))
    for out in ("hop/ra", "hop"):
        assert cli(["batch", QD, str(src), "-o", out, "--jobs", "1", "--no-register"]) == 1
        err = capsys.readouterr().err
        assert f"Không ghi được “{out}”: “hop” là một tệp, không phải thư mục." in err and "[not_a_folder]" not in err
    assert sorted(p.name for p in workdir.iterdir()) == ["hop", "lo.json"]
    assert (workdir / "hop").read_text() == "một tệp, không phải thư mục"


def test_render_onto_a_folder_is_named(workdir, capsys):
    (workdir / "ra").mkdir()
    assert cli(["render", "ke_hoach", SAMPLE, "-o", "ra"]) == 1
    err = capsys.readouterr().err
    assert "“ra” là một thư mục, không phải tệp." in err and "[is_a_folder]" not in err
    assert list((workdir / "ra").iterdir()) == []


# ---------------------------------------------------------------- a folder without write permission


def run_as_another_user(argv: list[str], cwd: Path) -> subprocess.CompletedProcess:
    """The command line as a user without root's power to ignore permissions (nobody when run as root)."""
    cmd = [sys.executable, "-m", "docgen.cli", *argv]
    if os.geteuid() == 0:
        cmd = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", *cmd]
    return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)


@pytest.fixture
def shared_dir():
    """A folder every user may enter (pytest's own temporary folders are private to root), where docgen runs
    as a user the permissions apply to; skipped with the reason where that cannot be arranged."""
    if os.name == "nt":
        pytest.skip("POSIX permissions")
    if os.geteuid() == 0 and shutil.which("setpriv") is None:
        pytest.skip("running as root, which ignores permissions, and setpriv (util-linux) is missing to drop them")
    path = Path(tempfile.mkdtemp(prefix="docgen-quyen-"))
    path.chmod(0o755)
    probe = run_as_another_user(["kinds"], path)
    if probe.returncode != 0:
        shutil.rmtree(path)
        pytest.skip(f"cannot run docgen as another user here: {probe.stderr.strip()[-200:]}")
    yield path
    for p in [path, *path.rglob("*")]:
        if p.is_dir():
            p.chmod(0o755)
    shutil.rmtree(path)


@pytest.mark.slow
def test_a_folder_without_write_permission_is_named(shared_dir):
    src = write(shared_dir / "lo.json", dang_bo(units=2, members=6))
    src.chmod(0o644)
    (shared_dir / "khoa").mkdir()
    (shared_dir / "khoa").chmod(0o555)
    r = run_as_another_user(["render", "ke_hoach", SAMPLE, "-o", "khoa/ke_hoach.docx", "--no-register"], shared_dir)
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert "Không có quyền ghi “khoa/ke_hoach.docx” (thư mục “khoa” không cho phép ghi)." in r.stderr
    assert "[permission_denied]" not in r.stderr
    r = run_as_another_user(["batch", QD, "lo.json", "-o", "khoa/ra", "--jobs", "1", "--no-register"], shared_dir)
    assert r.returncode == 1 and "[permission_denied]" not in r.stderr and "Traceback" not in r.stderr
    assert "Không có quyền ghi “khoa/ra”" in r.stderr
    assert list((shared_dir / "khoa").iterdir()) == []


@pytest.mark.slow
def test_an_input_that_cannot_be_opened_is_a_message(shared_dir):
    src = write(shared_dir / "bi_mat.json", dang_bo(units=1, members=5))
    src.chmod(0o600 if os.geteuid() == 0 else 0o200)  # the user docgen runs as may not read it
    r = run_as_another_user(["batch", QD, "bi_mat.json", "-o", "ra", "--no-register"], shared_dir)
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert "Không mở được “bi_mat.json”: không có quyền mở tệp này.\n" in r.stderr
    assert not (shared_dir / "ra").exists()


# ---------------------------------------------------------------- a real small disk, a real read-only disk


def _unshare() -> list[str]:
    return ["unshare", "-m"] if os.geteuid() == 0 else ["unshare", "-r", "-m"]


@pytest.fixture(scope="module")
def small_disk_available():
    probe_dir = Path(tempfile.mkdtemp(prefix="docgen-o-dia-"))
    try:
        if shutil.which("unshare") is None:
            pytest.skip("a real small disk needs unshare (util-linux) to mount a private tmpfs")
        r = subprocess.run(
            [*_unshare(), "mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(probe_dir)],
            capture_output=True,
            text=True,
        )
        if r.returncode != 0:
            pytest.skip(f"cannot mount a private tmpfs here (unshare -m): {r.stderr.strip()[-200:]}")
    finally:
        probe_dir.rmdir()


def on_small_disk(workdir: Path, size_kb: int, steps: list) -> list[dict]:
    mount = workdir / "o_dia"
    mount.mkdir()
    steps_file = write(workdir / "buoc.json", steps)
    r = subprocess.run(
        [*_unshare(), sys.executable, str(HERE / "small_disk.py"), str(mount), str(size_kb), str(steps_file)],
        capture_output=True,
        text=True,
        cwd=workdir,
        timeout=300,
    )
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


@pytest.mark.slow
def test_a_real_full_disk(workdir, small_disk_available):
    """128 KB: room for a batch of 4 decisions (8 KB each) and a plan, not for a batch of 12 beside them."""
    old = write(workdir / "cu.json", dang_bo(units=4, members=8))
    new = write(workdir / "moi.json", dang_bo(units=12, members=8, start=300))
    first, listed, again, listed_after, render, listed_last = on_small_disk(
        workdir,
        128,
        [
            ["docgen", "batch", QD, str(old), "-o", "o_dia/ra", "--jobs", "2", "--no-register"],
            ["list"],
            ["docgen", "batch", QD, str(new), "-o", "o_dia/ra", "--jobs", "2", "--no-register"],
            ["list"],
            ["docgen", "render", "ke_hoach", SAMPLE, "-o", "o_dia/ke_hoach_1.docx"],
            ["list"],
        ],
    )
    assert first["code"] == 0 and len([f for f in listed["files"] if f.endswith(".docx")]) == 4
    assert again["code"] == 1 and "Traceback" not in again["err"] and "[disk_full]" not in again["err"]
    assert "Ổ đĩa chứa thư mục “o_dia/ra” đã hết chỗ trống nên không ghi được “qd-3" in again["err"]
    assert "Thư mục “o_dia/ra” giữ nguyên như trước lần chạy này." in again["err"]
    assert listed_after["files"] == listed["files"]  # the old batch, and no partial file anywhere
    assert render["code"] == 0  # the space the failed batch took is free again


@pytest.mark.slow
def test_a_real_full_disk_for_one_document(workdir, small_disk_available):
    """16 KB: less than the 17 KB plan."""
    [render, listed] = on_small_disk(
        workdir, 16, [["docgen", "render", "ke_hoach", SAMPLE, "-o", "o_dia/ke_hoach.docx"], ["list"]]
    )
    assert render["code"] == 1 and "Traceback" not in render["err"]
    assert "Ổ đĩa chứa thư mục “o_dia” đã hết chỗ trống nên không ghi được “ke_hoach.docx”" in render["err"]
    assert "[disk_full]" not in render["err"] and listed["files"] == {}


@pytest.mark.slow
def test_a_real_read_only_disk(workdir, small_disk_available):
    src = write(workdir / "lo.json", dang_bo(units=3, members=8))
    first, listed, ro, render, again, listed_after = on_small_disk(
        workdir,
        512,
        [
            ["docgen", "batch", QD, str(src), "-o", "o_dia/ra", "--jobs", "1", "--no-register"],
            ["list"],
            ["read-only"],
            ["docgen", "render", "ke_hoach", SAMPLE, "-o", "o_dia/ke_hoach.docx"],
            ["docgen", "batch", QD, str(src), "-o", "o_dia/ra", "--jobs", "1", "--start-number", "9", "--no-register"],
            ["list"],
        ],
    )
    assert first["code"] == 0 and ro["code"] == 0
    for result in (render, again):
        assert result["code"] == 1 and "Traceback" not in result["err"]
        assert "chỉ cho đọc" in result["err"] and "[read_only]" not in result["err"]
    assert "Không ghi được “o_dia/ke_hoach.docx”: ổ đĩa chứa thư mục “o_dia” chỉ cho đọc" in render["err"]
    assert "“o_dia/ra”" in again["err"]
    assert listed_after["files"] == listed["files"]
    assert batch.MANIFEST in {Path(f).name for f in listed["files"]}
