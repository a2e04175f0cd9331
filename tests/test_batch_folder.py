"""A batch folder holds exactly one batch, and never loses a user's file.

Every run is built beside the output folder and swapped in whole (docgen/batch_folder.py): files of an
earlier run never lie beside this run's, a killed run leaves the old batch or the new one (a crash is
simulated at every step of the swap), files docgen did not make stop the run (``--overwrite`` keeps them
aside), and batch workers die with their parent.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import needs_soffice
from docx_read import Doc

from docgen import batch, batch_folder
from docgen.batch_folder import RECORD, BatchFolder
from docgen.cli import main as cli
from docgen.kinds.quyet_dinh_xep_loai.synthetic import dang_bo

QD = "quyet_dinh_xep_loai"


def write(path: Path, data) -> Path:
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def manifest(out: Path) -> list[dict]:
    return list(csv.DictReader(io.StringIO((out / batch.MANIFEST).read_text(encoding="utf-8-sig"))))


def snapshot(folder: Path) -> dict[str, str]:
    """Every entry of ``folder`` with the sha256 of its bytes (a sub-folder as "folder")."""
    return {
        p.name: "folder" if p.is_dir() else hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())
    }


def beside(out: Path) -> list[str]:
    """What docgen left next to the output folder (build, old and kept folders, the lock)."""
    return sorted(p.name for p in out.parent.iterdir() if p.name.startswith(out.name + "."))


def assert_one_whole_batch(out: Path) -> None:
    """The folder holds the documents its manifest lists, each with its sha256, the manifest, the record, and
    nothing else; the record vouches for every file."""
    rows = manifest(out)
    listed = {r["tep"]: r["sha256"] for r in rows if r["tep"]}
    files = snapshot(out)
    record = json.loads((out / RECORD).read_text(encoding="utf-8"))
    assert record["state"] == "complete"
    assert set(files) == set(listed) | {batch.MANIFEST, RECORD} | {n for n in files if n.startswith("tat_ca.")}
    for name, sha in listed.items():
        assert files[name] == sha, name
    assert {n: s for n, s in files.items() if n != RECORD} == record["files"]


@pytest.fixture
def envelope():
    return dang_bo(units=4, members=10, start=7)


def run(src: Path, *extra: str, out: str = "ra") -> int:
    # The folder's behaviour across runs that number differently: numbered by hand (the batch's so_bat_dau,
    # --start-number), not from the register, which would refuse a changed input (tests/test_numbers.py)
    return cli(["batch", QD, str(src), "-o", out, "--jobs", "1", "--no-register", *extra])


# ---------------------------------------------------------------- one batch per folder


def test_a_unit_that_fails_on_a_rerun_keeps_no_old_decision(workdir, envelope, capsys):
    src = write(workdir / "lo.json", envelope)
    assert run(src) == 0
    old = manifest(workdir / "ra")[2]["tep"]
    envelope["don_vi"][2]["ket_qua"]["dang_vien"][0]["ngay_sinh"] = "1970-02-30"
    write(src, envelope)
    assert run(src) == 1
    rows = manifest(workdir / "ra")
    assert rows[2]["trang_thai"] == "loi" and rows[2]["tep"] == ""
    assert not (workdir / "ra" / old).exists()  # the decision of the failed unit is not left to print
    assert_one_whole_batch(workdir / "ra")
    assert beside(workdir / "ra") == []


def test_a_new_start_number_replaces_the_old_decisions(workdir, envelope):
    src = write(workdir / "lo.json", envelope)
    assert run(src) == 0
    assert run(src, "--start-number", "200") == 0
    docs = sorted(p.name for p in (workdir / "ra").glob("*.docx"))
    assert docs == sorted(f"qd-{n}-chi-bo-khu-dan-cu-so-{n - 199}.docx" for n in range(200, 204))
    assert [r["so"] for r in manifest(workdir / "ra")] == ["200", "201", "202", "203"]
    assert_one_whole_batch(workdir / "ra")


def test_a_zip_of_the_rerun_holds_this_run_only(workdir, envelope):
    import zipfile

    src = write(workdir / "lo.json", envelope)
    assert run(src, "--zip") == 0
    assert run(src, "--start-number", "300") == 0  # no --zip this time: no old archive left beside it
    assert not (workdir / "ra" / batch.ZIP_NAME).exists()
    assert run(src, "--start-number", "400", "--zip") == 0
    with zipfile.ZipFile(workdir / "ra" / batch.ZIP_NAME) as z:
        assert [n for n in z.namelist() if n.endswith(".docx")] == [r["tep"] for r in manifest(workdir / "ra")]
        assert all(n.startswith("qd-40") for n in z.namelist() if n.endswith(".docx"))
    assert_one_whole_batch(workdir / "ra")


def test_a_rerun_where_every_unit_fails_leaves_the_previous_batch(workdir, envelope, capsys):
    src = write(workdir / "lo.json", envelope)
    assert run(src) == 0
    before = snapshot(workdir / "ra")
    del envelope["chung"]["nguoi_ky"]
    write(src, envelope)
    assert run(src) == 1
    assert "Không tạo được văn bản nào; thư mục “ra” giữ nguyên như trước." in capsys.readouterr().err
    assert snapshot(workdir / "ra") == before and beside(workdir / "ra") == []


def test_strict_leaves_the_previous_batch(workdir, envelope, capsys):
    src = write(workdir / "lo.json", envelope)
    assert run(src) == 0
    before = snapshot(workdir / "ra")
    envelope["don_vi"][1]["ket_qua"]["dang_vien"][2]["quyet_dinh"] = "XUAT_SAC"
    write(src, envelope)
    assert run(src, "--strict") == 1
    assert snapshot(workdir / "ra") == before and beside(workdir / "ra") == []


@needs_soffice()
def test_a_plain_run_after_a_pdf_run_leaves_no_old_print_file(workdir, capsys):
    from pypdf import PdfReader

    envelope = dang_bo(units=2, members=6)
    first = envelope["don_vi"][0]["ket_qua"]["dang_vien"][0]
    old_name = first["ho_ten"]
    src = write(workdir / "lo.json", envelope)
    assert cli(["batch", QD, str(src), "-o", "ra", "--pdf", "--jobs", "2", "--no-register"]) == 0
    assert old_name in "".join(p.extract_text() for p in PdfReader(workdir / "ra" / batch.PDF_NAME).pages)
    first["ho_ten"] = "Nguyễn Văn Mới"
    write(src, envelope)
    assert cli(["batch", QD, str(src), "-o", "ra", "--jobs", "2", "--no-register"]) == 0
    out = workdir / "ra"
    assert not (out / batch.PDF_NAME).exists() and list(out.glob("*.pdf")) == []
    assert_one_whole_batch(out)
    texts = "\n".join(Doc(p.read_bytes()).plain_text() for p in out.glob("*.docx"))
    assert "Nguyễn Văn Mới" in texts and old_name not in texts


# ---------------------------------------------------------------- killed runs


def new_documents(out: Path, since: float) -> int:
    """Documents a run has written since ``since``: in a build folder beside ``out``, or in ``out`` itself."""
    built = list(out.parent.glob(f"{out.name}.docgen-tmp-*/*.docx"))
    return len(built) + sum(1 for p in out.glob("*.docx") if p.stat().st_mtime > since)


def kill_when_building(cmd: list[str], out: Path, documents: int = 20) -> None:
    """Start ``cmd`` and kill it (and its workers) once it has written ``documents`` documents."""
    since = time.time()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        while new_documents(out, since) < documents:
            assert proc.poll() is None, "the run ended before it could be killed"
            assert time.monotonic() < deadline, "the run made no documents"
            time.sleep(0.02)
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


@pytest.mark.slow
def test_a_killed_rerun_leaves_the_old_batch_whole_and_the_next_run_the_new_one(workdir):
    envelope = dang_bo(units=200, members=10)
    src = write(workdir / "lo.json", envelope)
    out = workdir / "ra"
    cmd = [sys.executable, "-m", "docgen.cli", "batch", QD, "--no-register", str(src), "-o", str(out), "--jobs", "2"]
    assert subprocess.run(cmd, capture_output=True).returncode == 0
    before = snapshot(out)
    for unit in envelope["don_vi"][::4]:  # changed data: 50 of the 200 decisions differ
        unit["ket_qua"]["dang_vien"][0]["ho_ten"] += " Mới"
    write(src, envelope)
    kill_when_building(cmd, out)
    assert snapshot(out) == before  # the old batch, byte for byte: its manifest matches every file
    assert_one_whole_batch(out)
    assert subprocess.run(cmd, capture_output=True).returncode == 0
    assert beside(out) == []  # the killed run's build folder is gone
    assert_one_whole_batch(out)
    fresh = workdir / "moi"
    assert subprocess.run([*cmd[:-4], "-o", str(fresh), "--jobs", "1"], capture_output=True).returncode == 0
    assert snapshot(out) == snapshot(fresh)  # the new batch, byte-identical to a run from scratch
    assert sum(before.get(n) != s for n, s in snapshot(out).items() if n.endswith(".docx")) == 50


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(os, "fork"), reason="simulates a crash by ending a forked child with os._exit")
@pytest.mark.parametrize("exchange", [True, False], ids=["atomic-exchange", "two-renames"])
@pytest.mark.parametrize("users_file", [False, True], ids=["own-files", "with-a-users-file"])
def test_a_crash_at_any_step_of_the_swap_leaves_one_whole_batch(workdir, monkeypatch, exchange, users_file):
    """A child process builds batch B over batch A and dies (os._exit: no clean-up runs) just before its
    k-th change to the filesystem, for every k. Right after the crash the output folder is A or B, whole,
    or (only between the two renames) absent with A beside it; after the next run's recovery it is A or B;
    a user's file is never lost."""
    if not exchange:
        monkeypatch.setattr(batch_folder, "_exchange", lambda a, b: False)
    env_a, env_b = dang_bo(units=3, members=6, start=1), dang_bo(units=2, members=6, start=50)
    reference = {}
    for name, env in (("a", env_a), ("b", env_b)):
        with BatchFolder(workdir / f"ref_{name}") as folder:
            batch.run(QD, batch.plan(QD, env), folder.path, workers=1)
            folder.commit()
        reference[name] = snapshot(workdir / f"ref_{name}")
    users = b"ghi chu cua nguoi dung"

    def crash_at(k: int) -> int:
        """Make A, then build B in a child that dies before its k-th change; return how many it made."""
        out = workdir / "ra"
        for old in [out, *out.parent.glob("ra.*")]:
            if old.is_dir():
                shutil.rmtree(old)
            elif old.exists():
                old.unlink()
        shutil.copytree(workdir / "ref_a", out)
        if users_file:
            (out / "ghi_chu.txt").write_bytes(users)
        jobs = batch.plan(QD, env_b)
        pid = os.fork()
        if pid == 0:  # the child: no pytest clean-up, no finally blocks after the crash
            try:
                with BatchFolder(out, overwrite=True) as folder:
                    batch.run(QD, jobs, folder.path, workers=1)
                    count = [0]

                    def step(real):
                        def wrapped(*args, **kwargs):
                            count[0] += 1
                            if count[0] == k:
                                os._exit(99)
                            return real(*args, **kwargs)

                        return wrapped

                    for name in ("rename", "replace", "unlink", "rmdir"):
                        monkeypatch.setattr(os, name, step(getattr(os, name)))
                    monkeypatch.setattr(batch_folder, "_exchange", step(batch_folder._exchange))
                    folder.commit()
                os._exit(min(count[0], 90))
            except BaseException:
                os._exit(98)
        deadline = time.monotonic() + 60  # a generous guard against a child that hangs instead of crashing
        while (done := os.waitpid(pid, os.WNOHANG))[0] == 0:
            if time.monotonic() > deadline:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
                raise AssertionError(f"the child building batch B hung (crash at step {k})")
            time.sleep(0.005)
        return os.waitstatus_to_exitcode(done[1])

    def users_file_once(out: Path) -> None:
        if users_file:
            found = [p for p in out.parent.rglob("ghi_chu.txt") if "ref_" not in str(p)]
            assert len(found) == 1 and found[0].read_bytes() == users, found

    steps = crash_at(0)  # k = 0: no crash; the child reports how many changes the commit made
    assert 4 <= steps < 90
    out = workdir / "ra"
    a = {**reference["a"], **({"ghi_chu.txt": hashlib.sha256(users).hexdigest()} if users_file else {})}
    for k in range(1, steps + 1):
        assert crash_at(k) == 99, k
        state = snapshot(out) if out.exists() else None
        if state is None:  # only inside the gap of the two renames: the old batch waits beside it
            assert not exchange, k
            [old] = [p for p in out.parent.iterdir() if p.name.startswith("ra.docgen-old-")]
            assert snapshot(old) == a, k
        else:
            assert state in (a, reference["b"]), k
        users_file_once(out)
        with BatchFolder(out, overwrite=True):  # the next run: it recovers first (and here writes nothing)
            pass
        assert snapshot(out) in (a, reference["b"]), k
        assert [n for n in beside(out) if ".tep-cu-" not in n] == [], k
        kept = list(out.parent.glob("ra.tep-cu-*"))  # only what was not docgen's is kept aside
        assert [sorted(os.listdir(p)) for p in kept] == ([["ghi_chu.txt"]] if users_file and kept else []), k
        users_file_once(out)


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="finds the worker processes through /proc (Linux)")
def test_workers_end_with_a_killed_batch(workdir):
    src = write(workdir / "lo.json", dang_bo(units=400, members=25))
    out = workdir / "ra"
    cmd = [sys.executable, "-m", "docgen.cli", "batch", QD, "--no-register", str(src), "-o", str(out), "--jobs", "2"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)

    def children() -> list[int]:
        found = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == proc.pid and fields[0] != "Z":
                found.append(int(stat.parent.name))
        return found

    def alive(pid: int) -> bool:
        try:
            return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
        except OSError:
            return False

    try:
        deadline = time.monotonic() + 120
        while len(children()) < 2 or not new_documents(out, 0):
            assert proc.poll() is None and time.monotonic() < deadline, "the batch did not start its two workers"
            time.sleep(0.02)
        workers = children()
        os.kill(proc.pid, signal.SIGKILL)  # the main process only, as a crash or the OOM killer would
        proc.wait()
        deadline = time.monotonic() + 5
        while any(alive(w) for w in workers) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert [w for w in workers if alive(w)] == [], "workers outlived their parent by 5 s"
    finally:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


# ---------------------------------------------------------------- files docgen did not make


def test_a_users_files_in_the_output_folder_are_never_deleted(workdir, envelope, capsys):
    src = write(workdir / "lo.json", envelope)
    assert run(src) == 0
    out = workdir / "ra"
    (out / ".backup.tmp").write_bytes(b"ban sao luu")
    (out / "ghi_chu.docx").write_bytes(b"cong van kem theo")
    before = snapshot(out)
    capsys.readouterr()
    assert run(src, "--start-number", "100") == 1
    err = capsys.readouterr().err
    assert "Thư mục “ra” có 2 tệp không phải docgen tạo ra, nên chưa ghi gì:" in err
    assert "  - .backup.tmp: không do docgen tạo" in err and "  - ghi_chu.docx: không do docgen tạo" in err
    assert "--overwrite" in err and "[foreign_files]" not in err
    assert snapshot(out) == before and beside(out) == []
    # asked to go on: the new batch alone in the folder, the user's files kept whole beside it
    assert run(src, "--start-number", "100", "--overwrite") == 0
    assert_one_whole_batch(out)
    [kept] = [p for p in workdir.iterdir() if p.name.startswith("ra.tep-cu-")]
    assert snapshot(kept) == {n: before[n] for n in (".backup.tmp", "ghi_chu.docx")}
    assert f"đã được chuyển nguyên vẹn sang “{kept.name}”" in capsys.readouterr().out


def test_a_same_named_file_of_the_user_is_not_overwritten(workdir, envelope, capsys):
    src = write(workdir / "lo.json", envelope)
    name = batch.plan(QD, envelope)[0].file_name
    (workdir / "ra").mkdir()
    (workdir / "ra" / name).write_bytes(b"quyet dinh cua toi")
    assert run(src) == 1
    assert f"  - {name}: không do docgen tạo" in capsys.readouterr().err
    assert (workdir / "ra" / name).read_bytes() == b"quyet dinh cua toi"
    assert list((workdir / "ra").iterdir()) == [workdir / "ra" / name] and beside(workdir / "ra") == []


def test_a_decision_edited_after_the_run_is_not_lost(workdir, envelope, capsys):
    src = write(workdir / "lo.json", envelope)
    assert run(src) == 0
    edited = workdir / "ra" / manifest(workdir / "ra")[1]["tep"]
    edited.write_bytes(edited.read_bytes() + b"\0")  # saved again after a change
    assert run(src) == 1
    assert f"  - {edited.name}: đã bị sửa sau khi docgen tạo" in capsys.readouterr().err
    assert run(src, "--overwrite") == 0
    [kept] = [p for p in workdir.iterdir() if p.name.startswith("ra.tep-cu-")]
    assert sorted(p.name for p in kept.iterdir()) == [edited.name]
    assert (kept / edited.name).read_bytes().endswith(b"\0")
    assert_one_whole_batch(workdir / "ra")


def test_a_folder_holding_other_things_is_refused_and_named(workdir, envelope, capsys):
    src = write(workdir / "lo.json", envelope)
    (workdir / "ra" / "anh").mkdir(parents=True)
    for i in range(25):
        (workdir / "ra" / f"tai_lieu_{i:02d}.txt").write_text("x")
    assert run(src) == 1
    err = capsys.readouterr().err
    assert "có 26 tệp không phải docgen tạo ra" in err and "  - anh: là thư mục" in err and "… và 6 tệp khác" in err
    assert len(list((workdir / "ra").iterdir())) == 26 and beside(workdir / "ra") == []


def test_a_batch_folder_from_before_the_record_is_recognised_by_its_manifest(workdir, envelope):
    src = write(workdir / "lo.json", envelope)
    assert run(src) == 0
    (workdir / "ra" / RECORD).unlink()  # as an earlier version left it: documents and manifest.csv
    assert run(src, "--start-number", "50") == 0
    assert_one_whole_batch(workdir / "ra")
    assert not [p for p in workdir.iterdir() if ".tep-cu-" in p.name]


def test_another_run_into_the_same_folder_waits_its_turn(workdir, envelope, capsys):
    src = write(workdir / "lo.json", envelope)
    with BatchFolder(workdir / "ra"):
        assert run(src) == 1
        assert "Một lệnh docgen khác đang ghi vào thư mục “ra”" in capsys.readouterr().err
    assert not (workdir / "ra").exists() and beside(workdir / "ra") == []
    assert run(src) == 0


def test_the_output_folder_through_a_link_is_replaced_behind_the_link(workdir, envelope):
    src = write(workdir / "lo.json", envelope)
    (workdir / "that").mkdir()
    (workdir / "ra").symlink_to(workdir / "that", target_is_directory=True)
    assert run(src) == 0 and run(src, "--start-number", "60") == 0
    assert (workdir / "ra").is_symlink() and [r["so"] for r in manifest(workdir / "that")][0] == "60"
    assert_one_whole_batch(workdir / "that")
