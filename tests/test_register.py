"""The register of issued numbers: atomic across processes, idempotent re-runs, clashes and changed input
refused, void numbers kept, boundaries, migrations, the export, the command line."""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import sqlite3
import subprocess
import sys
import textwrap
import time
import unicodedata

import pytest

from docgen import register as R
from docgen.cli import main as cli
from docgen.errors import InvalidInput

ISSUER = "Đảng ủy phường Hồng Quang"
QD = "QĐ/ĐU"
TRICH_YEU = "về việc xếp loại chất lượng đảng viên năm 2025"


def req(unit: str, date="2025-12-20", content="v1", **kw) -> R.Request:
    kw.setdefault("issuer", ISSUER)
    kw.setdefault("ky_hieu", QD)
    return R.Request(
        date=date,
        kind="quyet_dinh_xep_loai",
        title="Quyết định",
        trich_yeu=TRICH_YEU,
        unit=unit,
        fingerprint=R.fingerprint({"noi_dung": content}),
        **kw,
    )


@pytest.fixture
def reg(tmp_path):
    with R.create_register(tmp_path / "so.sqlite") as r:
        yield r


def codes(exc_info) -> list[str]:
    return [p.code for p in exc_info.value.problems]


def numbers(entries) -> list[int]:
    return [e.number for e in entries]


# ---------------------------------------------------------------- taking numbers


def test_a_block_is_consecutive_and_reserved_until_complete(reg):
    entries = reg.take([req(f"Chi bộ {i}") for i in range(1, 6)], batch_id="lo-1", restart="nam")
    assert numbers(entries) == [1, 2, 3, 4, 5]
    assert {e.state for e in entries} == {"reserved"}
    assert {e.batch_id for e in entries} == {"lo-1"}
    reg.complete([(e.id, f"qd-{e.number:02d}.docx", "ab" * 32) for e in entries])
    done = reg.entries()
    assert [(e.state, e.file_name, e.sha256) for e in done][0] == ("issued", "qd-01.docx", "ab" * 32)
    assert all(e.issued_at for e in done)
    assert reg.next_number(ISSUER, QD, "2025-12-31") == 6


def test_numbers_the_data_gives_come_first_the_others_follow(reg):
    entries = reg.take([req("A"), req("B", number=40), req("C")], restart="nam")
    assert numbers(entries) == [41, 40, 42]


def test_no_number_is_taken_when_one_document_is_refused(reg):
    reg.take([req("A")], restart="nam")
    with pytest.raises(InvalidInput):
        reg.take([req("B"), req("C", number=1)])
    assert reg.next_number(ISSUER, QD, "2025-12-20") == 2
    assert len(reg.entries()) == 1


def test_rerun_of_the_same_input_gets_the_same_numbers_back(reg):
    first = reg.take([req(f"Chi bộ {i}") for i in range(4)], batch_id="lo", restart="nam")
    reg.complete([(e.id, f"{e.number}.docx", "cd" * 32) for e in first])
    again = reg.take([req(f"Chi bộ {i}") for i in range(4)], batch_id="lo")
    assert [(e.id, e.number, e.state) for e in again] == [(e.id, e.number, "issued") for e in first]
    assert len(reg.entries()) == 4
    # the document's identity is normalised: another spelling of the same unit is the same document
    nfd = unicodedata.normalize("NFD", "CHI BỘ  0")
    assert reg.take([req(nfd)])[0].id == first[0].id
    # completing again (the file written again) keeps the time it was first issued
    before = reg.get(first[0].id).issued_at
    time.sleep(1.1)
    reg.complete([(first[0].id, "1.docx", "cd" * 32)])
    assert reg.get(first[0].id).issued_at == before


def test_changed_input_is_refused_unless_reissue_or_new_numbers(reg):
    [old] = reg.take([req("Chi bộ 1")], restart="nam")
    reg.complete([(old.id, "qd-01.docx", "ef" * 32)])
    with pytest.raises(InvalidInput) as exc:
        reg.take([req("Chi bộ 1", content="v2")])
    assert codes(exc) == ["changed_input"]
    message = exc.value.problems[0].message
    assert "01-QĐ/ĐU" in message and "qd-01.docx" in message and "--reissue" in message and "--new-numbers" in message

    [new] = reg.take([req("Chi bộ 1", content="v2")], reissue=True)
    assert new.number == 2 and new.replaces_id == old.id
    voided = reg.get(old.id)
    assert voided.state == "void" and "02-QĐ/ĐU" in voided.void_reason
    # the reissued document is now the one the register knows
    assert reg.take([req("Chi bộ 1", content="v2")])[0].id == new.id

    reg.complete([(new.id, "qd-02.docx", "12" * 32)])
    [other] = reg.take([req("Chi bộ 1", content="v3")], new_numbers=True)
    assert other.number == 3 and reg.get(new.id).state == "issued"


def test_a_reserved_document_that_changed_keeps_its_number(reg):
    """Nothing was written with a reserved number (a unit failed, was fixed): it keeps the number."""
    [first] = reg.take([req("Chi bộ 1", content="có lỗi")], restart="nam")
    [fixed] = reg.take([req("Chi bộ 1", content="đã sửa", date="2025-12-21")])
    assert (fixed.id, fixed.number, fixed.state) == (first.id, 1, "reserved")
    assert fixed.date == dt.date(2025, 12, 21) and fixed.fingerprint != first.fingerprint


def test_a_number_held_by_another_document_is_refused_naming_both(reg):
    reg.take([req("Chi bộ Khu dân cư số 2", date="2025-12-18")], restart="nam")
    with pytest.raises(InvalidInput) as exc:
        reg.take([req("Chi bộ Khu dân cư số 1", number=1, path="$.don_vi[0]")])
    [p] = exc.value.problems
    assert (p.code, p.path) == ("number_taken", "$.don_vi[0].ban_hanh.so")
    # the existing entry: number, date, unit, trích yếu; and this document
    for text in ("01-QĐ/ĐU", "18/12/2025", "Chi bộ Khu dân cư số 2", TRICH_YEU, "20/12/2025", "Chi bộ Khu dân cư số 1"):
        assert text in p.message


def test_a_document_with_a_number_cannot_take_another(reg):
    reg.take([req("Chi bộ 1")], restart="nam")
    with pytest.raises(InvalidInput) as exc:
        reg.take([req("Chi bộ 1", number=7)])
    assert codes(exc) == ["number_differs"]
    assert "01" in exc.value.problems[0].message and "07" in exc.value.problems[0].message
    # reissued under the number the data gives: the old one is void; the number is never put back
    [new] = reg.take([req("Chi bộ 1", number=7)], reissue=True)
    assert (new.number, new.replaces_id, reg.get(new.replaces_id).state) == (7, 1, "void")
    reg.complete([(new.id, "qd-07.docx", "7" * 64)])
    with pytest.raises(InvalidInput) as exc:
        reg.take([req("Chi bộ 1", number=7, content="v2")], reissue=True)
    assert codes(exc) == ["number_reissue_same"]


def test_two_documents_of_one_call_cannot_share_a_number_or_an_identity(reg):
    with pytest.raises(InvalidInput) as exc:
        reg.take([req("A", number=3), req("B", number=3), req("C"), req("C")], restart="nam")
    assert codes(exc) == ["number_taken", "duplicate_document"]
    assert "văn bản thứ 1 và văn bản thứ 2" in exc.value.problems[0].message
    assert "văn bản thứ 3 và thứ 4" in exc.value.problems[1].message
    assert reg.series() == []  # refused as a whole: not even the new series was kept


def test_documents_told_apart_by_their_key(reg):
    """Two decisions for one chi bộ (its members; the chi bộ itself) are two documents."""
    members = req("Chi bộ 1", key="Chi bộ 1 | dang_vien")
    unit = req("Chi bộ 1", key="Chi bộ 1 | to_chuc")
    assert numbers(reg.take([members, unit], restart="nam")) == [1, 2]
    assert numbers(reg.take([unit, members])) == [2, 1]


def test_one_transaction_numbers_several_series(reg):
    """A campaign: each chi bộ's tờ trình in its own series, the đảng ủy's decisions in another, all at once."""
    cells = [f"Chi bộ Khu dân cư số {i}" for i in (1, 2)]
    asked = [req(c, issuer=c, ky_hieu="TTr/CB", date="2025-12-10", key="to_trinh") for c in cells]
    asked += [req(c, date="2025-12-20") for c in cells]
    entries = reg.take(asked, batch_id="chien-dich-2025", restart="nam")
    assert [(e.issuer, e.so_ky_hieu) for e in entries] == [
        ("Chi bộ Khu dân cư số 1", "01-TTr/CB"),
        ("Chi bộ Khu dân cư số 2", "01-TTr/CB"),
        (ISSUER, "01-QĐ/ĐU"),
        (ISSUER, "02-QĐ/ĐU"),
    ]
    assert len(reg.series()) == 3


# ---------------------------------------------------------------- void


def test_void_keeps_the_number_and_it_is_never_given_again(reg):
    entries = reg.take([req("A"), req("B"), req("C")], restart="nam")
    voided = reg.void(entries[1].id, "  Ký nhầm   người ký ")
    assert (voided.state, voided.number, voided.void_reason) == ("void", 2, "Ký nhầm người ký")
    assert voided.voided_at
    assert reg.next_number(ISSUER, QD, "2025-12-20") == 4
    # the voided document made again gets a new number; its old number cannot be given by the data either
    assert reg.take([req("B")])[0].number == 4
    with pytest.raises(InvalidInput) as exc:
        reg.take([req("D", number=2)])
    assert codes(exc) == ["number_taken"] and "không dùng lại" in exc.value.problems[0].message
    with pytest.raises(R.RegisterError) as err:
        reg.void(entries[1].id, "lần nữa")
    assert err.value.code == "already_void"
    for reason, code in (("  ", "reason_missing"), ("x" * (R.MAX_REASON + 1), "reason_too_long")):
        with pytest.raises(R.RegisterError) as err:
            reg.void(entries[0].id, reason)
        assert err.value.code == code


def test_complete_refuses_an_entry_voided_meanwhile_and_records_the_others(reg):
    a, b = reg.take([req("A"), req("B")], restart="nam")
    reg.void(b.id, "Hủy trong khi đang tạo")
    with pytest.raises(R.RegisterError) as err:
        reg.complete([(a.id, "a.docx", "1" * 64), (b.id, "b.docx", "2" * 64)])
    assert err.value.code == "entry_void" and "02-QĐ/ĐU" in err.value.message
    assert reg.get(a.id).state == "issued" and reg.get(b.id).state == "void"


# ---------------------------------------------------------------- boundaries


def test_yearly_series_restart_at_01_each_year(reg):
    late = reg.take([req("A", date="2025-12-30"), req("B", date="2025-12-31")], restart="nam")
    early = reg.take([req("A", date="2026-01-02"), req("B", date="2026-01-05")])
    assert numbers(late) == [1, 2] and numbers(early) == [1, 2]
    assert [e.period_start for e in early] == [dt.date(2026, 1, 1)] * 2
    assert reg.next_number(ISSUER, QD, "2025-06-01") == 3
    assert reg.next_number(ISSUER, QD, "2027-01-01") == 1


def test_term_series_run_across_years_until_the_next_term(reg):
    term = dt.date(2025, 10, 15)
    assert numbers(reg.take([req("A", date="2025-10-20"), req("B", date="2026-03-01")], restart=term)) == [1, 2]
    with pytest.raises(InvalidInput) as exc:
        reg.take([req("C", date="2025-10-14", path="$.don_vi[2]")])
    [p] = exc.value.problems
    assert (p.code, p.path) == ("date_before_term", "$.don_vi[2].ban_hanh.ngay_ban_hanh")
    assert "15/10/2025" in p.message and "--bat-dau-lai" in p.message
    # the next term: numbers start again; those of the old term keep their period
    reg.set_restart(ISSUER, QD, dt.date(2030, 10, 1))
    assert numbers(reg.take([req("A", date="2030-10-02")])) == [1]
    assert [e.period_start for e in reg.entries()] == [term, term, dt.date(2030, 10, 1)]
    assert R.period_label(term) == "nhiệm kỳ từ 15/10/2025"


def test_a_new_series_asks_when_numbers_restart(reg):
    with pytest.raises(InvalidInput) as exc:
        reg.take([req("A"), req("B", ky_hieu="TTr/CB", issuer="Chi bộ Khu dân cư số 1")])
    assert codes(exc) == ["series_restart_unknown", "series_restart_unknown"]
    message = exc.value.problems[0].message
    assert "--bat-dau-lai nam" in message and "nhiệm kỳ" in message and "QĐ/ĐU" in message
    reg.take([req("A")], restart="nam")
    with pytest.raises(InvalidInput) as exc:
        reg.take([req("B")], restart=dt.date(2025, 10, 15))
    assert codes(exc) == ["restart_differs"]


def test_issuer_and_ky_hieu_are_normalised_for_identity_and_kept_as_written(reg):
    reg.take([req("A", issuer="Đảng ủy  phường Hồng Quang ")], restart="nam")
    spellings = ["ĐẢNG ỦY PHƯỜNG HỒNG QUANG", unicodedata.normalize("NFD", "Đảng uỷ phường Hồng Quang")]
    got = [reg.take([req(f"B{i}", issuer=s, ky_hieu="qđ/đu")])[0] for i, s in enumerate(spellings)]
    assert numbers(got) == [2, 3]
    [series] = reg.series()
    assert (series.issuer, series.ky_hieu) == ("Đảng ủy phường Hồng Quang", "QĐ/ĐU")
    reg.take([req("A", issuer="Đảng ủy xã Hồng Quang")], restart="nam")
    assert len(reg.series()) == 2


# ---------------------------------------------------------------- across processes

_TAKER = textwrap.dedent(
    """
    import json, os, sys, time
    from docgen import register as R

    path, go, who, rounds = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    while not os.path.exists(go):
        time.sleep(0.002)
    taken = []
    with R.open_register(path, create=True) as reg:
        for i in range(rounds):
            block = [
                R.Request("Đảng ủy phường Hồng Quang", "QĐ/ĐU", "2025-12-20", "quyet_dinh_xep_loai",
                          unit=f"{who}-{i}-{k}", fingerprint="x")
                for k in range(1 + i % 3)
            ]
            taken.append([e.number for e in reg.take(block, restart="nam", batch_id=who)])
    print(json.dumps(taken))
    """
)


@pytest.mark.slow
def test_parallel_processes_never_get_the_same_number_and_leave_no_gap(tmp_path):
    """Six processes start at once on a register none of them has created yet, each taking single
    numbers and blocks of two and three."""
    path, go = tmp_path / "so.sqlite", tmp_path / "go"
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", _TAKER, str(path), str(go), f"p{n}", "12"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in range(6)
    ]
    time.sleep(0.5)  # every process started and waiting
    go.touch()
    blocks = []
    for p in procs:
        out, err = p.communicate(timeout=180)
        assert p.returncode == 0, err
        blocks += json.loads(out)
    taken = [n for block in blocks for n in block]
    assert len(taken) == 6 * (4 * (1 + 2 + 3))  # 12 rounds of 1, 2, 3 numbers per process
    assert sorted(taken) == list(range(1, len(taken) + 1))  # no duplicate, no gap
    for block in blocks:
        assert block == list(range(block[0], block[0] + len(block)))  # a block is consecutive
    with R.open_register(path) as reg:
        assert len(reg.entries()) == len(taken)


_KILLED = textwrap.dedent(
    """
    import os, signal, sys
    from docgen import register as R

    with R.open_register(sys.argv[1]) as reg:
        reqs = [R.Request("Đảng ủy phường Hồng Quang", "QĐ/ĐU", "2025-12-20", "quyet_dinh_xep_loai",
                          unit=f"Chi bộ {i}", fingerprint="x") for i in range(3)]
        reg.take(reqs, restart="nam")
        os.kill(os.getpid(), signal.SIGKILL)  # killed after taking, before any file is written
    """
)


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(__import__("signal"), "SIGKILL"), reason="SIGKILL is POSIX only")
def test_a_process_killed_after_taking_leaves_visible_reservations_the_rerun_completes(tmp_path, capsys):
    path = tmp_path / "so.sqlite"
    R.create_register(path).close()
    proc = subprocess.run([sys.executable, "-c", _KILLED, str(path)], capture_output=True, timeout=60)
    assert proc.returncode == -9
    with R.open_register(path) as reg:
        assert [(e.number, e.state) for e in reg.entries()] == [(1, "reserved"), (2, "reserved"), (3, "reserved")]
    assert cli(["register", "list", "--register", str(path)]) == 0
    out = capsys.readouterr().out
    assert "3 số đã giữ nhưng chưa tạo tệp" in out and out.count("Giữ số, chưa tạo tệp") == 3
    assert cli(["register", "list", "--register", str(path), "--trang-thai", "giu-so", "--json"]) == 0
    assert len(json.loads(capsys.readouterr().out)) == 3
    with R.open_register(path) as reg:
        again = reg.take(
            [
                R.Request(ISSUER, QD, "2025-12-20", "quyet_dinh_xep_loai", unit=f"Chi bộ {i}", fingerprint="x")
                for i in range(3)
            ]
        )
        assert numbers(again) == [1, 2, 3]
        reg.complete([(e.id, f"{e.number}.docx", "0" * 64) for e in again])
        assert {e.state for e in reg.entries()} == {"issued"}
        assert reg.next_number(ISSUER, QD, "2025-12-20") == 4


def test_a_busy_register_is_a_clear_error_after_the_timeout(tmp_path, monkeypatch):
    path = tmp_path / "so.sqlite"
    R.create_register(path).close()
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another process in the middle of taking numbers
    try:
        monkeypatch.setattr(R, "BUSY_TIMEOUT_S", 0.2)
        with R.open_register(path) as reg:
            with pytest.raises(R.RegisterError) as err:
                reg.take([req("A")], restart="nam")
        assert err.value.code == "register_busy" and "Thử lại" in err.value.message
    finally:
        holder.execute("ROLLBACK")
        holder.close()


# ---------------------------------------------------------------- the file: where, migrations, backup


def test_migration_from_an_empty_file(tmp_path):
    path = tmp_path / "so.sqlite"
    path.write_bytes(b"")
    with R.open_register(path) as reg:
        assert reg.take([req("A")], restart="nam")[0].number == 1
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA user_version").fetchone()[0] == R.VERSION
    assert db.execute("PRAGMA application_id").fetchone()[0] == R.APPLICATION_ID
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "delete"  # never WAL: safe on a network drive
    db.close()


def test_migration_from_version_1_keeps_every_number(tmp_path):
    path = tmp_path / "so.sqlite"
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("BEGIN")
    assert R.migrate(db, upto=1) == 1
    db.execute(
        "INSERT INTO series (issuer, issuer_key, ky_hieu, ky_hieu_key, restart, created_at)"
        " VALUES (?, ?, ?, ?, 'year', '2025-01-02T08:00:00+07:00')",
        (ISSUER, R.norm(ISSUER), QD, R.norm(QD)),
    )
    db.execute(
        "INSERT INTO entries (series_id, period_start, number, doc_date, kind, doc_key, state, reserved_at,"
        " file_name, issued_at) VALUES (1, '2025-01-01', 7, '2025-03-04', 'quyet_dinh_xep_loai', 'k', 'issued',"
        " '2025-03-04T09:00:00+07:00', 'qd-07.docx', '2025-03-04T09:01:00+07:00')"
    )
    db.execute("COMMIT")
    assert db.execute("PRAGMA user_version").fetchone()[0] == 1
    db.close()
    with R.open_register(path) as reg:
        [old] = reg.entries()
        assert (old.number, old.file_name, old.signer, old.recipients, old.copies) == (7, "qd-07.docx", "", [], None)
        assert reg.take([req("A")])[0].number == 8
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA user_version").fetchone()[0] == R.VERSION == 2
    assert "entries_by_document" in {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='index'")}
    db.close()


def test_files_that_are_not_a_register_are_refused(tmp_path):
    other = tmp_path / "other.sqlite"
    db = sqlite3.connect(other)
    db.execute("CREATE TABLE t (x)")
    db.commit()
    db.close()
    text = tmp_path / "notes.sqlite"
    text.write_text("không phải cơ sở dữ liệu " * 100, encoding="utf-8")
    newer = tmp_path / "newer.sqlite"
    db = sqlite3.connect(newer)
    db.execute(f"PRAGMA application_id = {R.APPLICATION_ID}")
    db.execute("PRAGMA user_version = 99")
    db.commit()
    db.close()
    for path, code in ((other, "not_a_register"), (text, "not_a_register"), (newer, "register_too_new")):
        with pytest.raises(R.RegisterError) as err:
            R.open_register(path)
        assert err.value.code == code, path
    assert other.read_bytes()[:16] == b"SQLite format 3\x00"  # and left alone


def test_where_the_register_lives(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.delenv(R.ENV, raising=False)
    with R.open_register() as reg:  # the default place is created on first use
        assert reg.path == tmp_path / "data" / "docgen" / R.FILE_NAME and reg.created
    with R.open_register() as reg:
        assert not reg.created
    # given explicitly (option or environment), a missing register is an error, not a new empty one
    monkeypatch.setenv(R.ENV, str(tmp_path / "chung" / "so.sqlite"))
    with pytest.raises(R.RegisterError) as err:
        R.open_register()
    assert err.value.code == "register_missing" and "register init" in err.value.message
    with pytest.raises(R.RegisterError) as err:
        R.open_register(create=True)
    assert err.value.code == "register_folder_missing"
    (tmp_path / "chung").mkdir()
    with R.create_register() as reg:
        assert reg.path == tmp_path / "chung" / "so.sqlite"
    with pytest.raises(R.RegisterError) as err:
        R.create_register()
    assert err.value.code == "register_exists"


def test_backup_is_a_consistent_copy_and_never_overwrites(reg, tmp_path):
    reg.take([req("A"), req("B")], restart="nam")
    copy = reg.backup(tmp_path / "ban_sao.sqlite")
    with R.open_register(copy) as restored:
        assert numbers(restored.entries()) == [1, 2]
    with pytest.raises(R.RegisterError) as err:
        reg.backup(copy)
    assert err.value.code == "backup_exists"
    assert not list(tmp_path.glob(".*.tmp"))


# ---------------------------------------------------------------- values


def test_fingerprint_is_the_content_without_the_number():
    data = {"ban_hanh": {"so": 5, "ky_hieu": QD, "co_quan_ban_hanh": ISSUER}, "trich_yeu": "về việc hoá"}
    same = {"trich_yeu": unicodedata.normalize("NFD", "về việc hóa"), "ban_hanh": {"co_quan_ban_hanh": ISSUER}}
    same["ban_hanh"]["ky_hieu"] = QD
    assert R.fingerprint(data) == R.fingerprint(same)
    assert R.fingerprint(data) != R.fingerprint({**data, "trich_yeu": "về việc khác"})
    assert R.fingerprint(data, b"mau-1") != R.fingerprint(data, b"mau-2")
    assert data["ban_hanh"]["so"] == 5  # the data is not changed


def test_no_register_and_no_number_is_an_error_never_01():
    p = R.missing_number("$.don_vi[2].ban_hanh.so")
    assert (p.path, p.code) == ("$.don_vi[2].ban_hanh.so", "number_missing")
    assert "không tự đặt số 01" in p.message and "--register" in p.message and "--start-number" in p.message


def test_parse_restart():
    assert R.parse_restart("nam") == R.parse_restart(" Năm ") == "nam"
    assert R.parse_restart("2025-10-15") == dt.date(2025, 10, 15)
    with pytest.raises(R.RegisterError) as err:
        R.parse_restart("15/10/2025")
    assert err.value.code == "restart_invalid"


def test_find_by_id_or_number(reg):
    reg.take([req("A")], restart="nam")
    reg.take([req("A", issuer="Đảng ủy xã Hồng Quang")], restart="nam")
    assert reg.find("1").unit == "A"
    assert reg.find("Số 1-QĐ/ĐU", issuer="Đảng ủy xã Hồng Quang").issuer == "Đảng ủy xã Hồng Quang"
    for ref, code in (("01-QĐ/ĐU", "entry_ambiguous"), ("09-QĐ/ĐU", "entry_not_found"), ("abc", "entry_ref_invalid")):
        with pytest.raises(R.RegisterError) as err:
            reg.find(ref)
        assert err.value.code == code


# ---------------------------------------------------------------- export


def _filled(reg):
    entries = reg.take(
        [
            req(
                "Chi bộ Khu dân cư số 1",
                signer="Trần Nhật Lộc",
                recipients=["Ban Tổ chức Thành ủy", "Chi bộ Khu dân cư số 1", "Lưu Văn phòng Đảng ủy"],
                copies=4,
            ),
            req("Chi bộ Khu dân cư số 2"),
            req("Chi bộ Khu dân cư số 3"),
        ],
        restart="nam",
        batch_id="lo-2025",
    )
    reg.complete([(entries[0].id, "qd-01-chi-bo-khu-dan-cu-so-1.docx", "a" * 64)])
    reg.void(entries[2].id, "Chi bộ sáp nhập")
    return entries


def test_export_xlsx_has_the_paper_register_columns(reg, tmp_path):
    from openpyxl import load_workbook

    _filled(reg)
    path = R.write_export(tmp_path / "so.xlsx", reg.entries(), "Đảng ủy phường Hồng Quang — năm 2025")
    ws = load_workbook(path).active
    assert ws["A1"].value == "SỔ ĐĂNG KÝ VĂN BẢN ĐI"
    header = [c.value for c in ws[3]]
    assert header == R.EXPORT_COLUMNS
    assert header[:8] == [
        "Số, ký hiệu văn bản",
        "Ngày tháng văn bản",
        "Tên loại và trích yếu nội dung văn bản",
        "Người ký",
        "Nơi nhận văn bản",
        "Đơn vị, người nhận bản lưu",
        "Số lượng bản",
        "Ghi chú",
    ]
    assert [c.value for c in ws[4]][:3] == ["(1)", "(2)", "(3)"]
    rows = [dict(zip(header, (c.value for c in row))) for row in ws.iter_rows(min_row=5)]
    assert [r["Số, ký hiệu văn bản"] for r in rows] == ["01-QĐ/ĐU", "02-QĐ/ĐU", "03-QĐ/ĐU"]
    first = rows[0]
    assert first["Ngày tháng văn bản"] == dt.datetime(2025, 12, 20)
    assert ws.cell(5, 2).number_format == "DD/MM/YYYY"
    assert first["Tên loại và trích yếu nội dung văn bản"] == f"Quyết định {TRICH_YEU}"
    assert first["Người ký"] == "Trần Nhật Lộc"
    assert first["Nơi nhận văn bản"] == "Ban Tổ chức Thành ủy; Chi bộ Khu dân cư số 1"
    assert first["Đơn vị, người nhận bản lưu"] == "Văn phòng Đảng ủy"
    assert first["Số lượng bản"] == 4
    assert (first["Trạng thái"], first["Tệp"], first["Lô"]) == (
        "Đã cấp",
        "qd-01-chi-bo-khu-dan-cu-so-1.docx",
        "lo-2025",
    )
    assert rows[1]["Ghi chú"] == "Đã giữ số, chưa tạo tệp"
    assert rows[2]["Ghi chú"].startswith("Đã hủy lúc ") and rows[2]["Ghi chú"].endswith(": Chi bộ sáp nhập")
    assert ws.print_title_rows == "$3:$4" and ws.freeze_panes == "A5"  # header rows repeat on every page


def test_export_csv_is_utf8_with_bom_for_excel(reg, tmp_path):
    _filled(reg)
    path = R.write_export(tmp_path / "so.csv", reg.entries())
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
    assert rows[0] == R.EXPORT_COLUMNS
    assert rows[1][:3] == ["01-QĐ/ĐU", "20/12/2025", f"Quyết định {TRICH_YEU}"]
    assert len(rows) == 4
    with pytest.raises(R.RegisterError) as err:
        R.write_export(tmp_path / "so.pdf", [])
    assert err.value.code == "export_format"


# ---------------------------------------------------------------- command line


def run(capsys, *argv) -> tuple[int, str, str]:
    status = cli(["register", *argv])
    out = capsys.readouterr()
    return status, out.out, out.err


def test_cli_end_to_end(tmp_path, capsys):
    from openpyxl import load_workbook

    so = str(tmp_path / "chung" / "so.sqlite")
    (tmp_path / "chung").mkdir()
    status, _, err = run(capsys, "list", "--register", so)
    assert (
        status == 1 and "Không có sổ đăng ký văn bản đi tại" in err and "[" not in err and "docgen register init" in err
    )
    assert run(capsys, "init", "--register", so)[0] == 0
    status, _, err = run(capsys, "init", "--register", so)
    assert status == 1 and "không lập sổ mới đè lên" in err and "[" not in err

    status, out, _ = run(
        capsys, "series", "--register", so, "--co-quan", ISSUER, "--ky-hieu", QD, "--bat-dau-lai", "nam"
    )
    assert status == 0 and "mỗi năm bắt đầu lại từ 01" in out
    status, out, _ = run(capsys, "next", "--register", so, "--co-quan", ISSUER.upper(), "--ky-hieu", QD)
    assert (status, out.strip()) == (0, "Số kế tiếp: 01-QĐ/ĐU (mỗi năm bắt đầu lại từ 01).")

    with R.open_register(so) as reg:
        _filled(reg)
    status, out, _ = run(capsys, "next", "--register", so, "--co-quan", ISSUER, "--ky-hieu", QD, "--ngay", "2025-12-31")
    assert "Số kế tiếp: 04-QĐ/ĐU" in out
    status, out, _ = run(capsys, "list", "--register", so, "--nam", "2025", "--ky-hieu", QD)
    assert status == 0 and "3 số (1 số đã giữ nhưng chưa tạo tệp" in out and "Chi bộ sáp nhập" in out
    status, out, _ = run(capsys, "list", "--register", so, "--trang-thai", "huy", "--json")
    [voided] = json.loads(out)
    assert (voided["so_ky_hieu"], voided["state"], voided["void_reason"]) == ("03-QĐ/ĐU", "void", "Chi bộ sáp nhập")
    status, out, _ = run(capsys, "list", "--register", so, "--nam", "2024")
    assert "0 số" in out

    status, out, _ = run(capsys, "show", "--register", so, "01-QĐ/ĐU")
    assert status == 0 and "Trần Nhật Lộc" in out and "qd-01-chi-bo-khu-dan-cu-so-1.docx" in out and "Đã cấp" in out
    status, out, _ = run(capsys, "void", "--register", so, "Số 02-QĐ/ĐU", "--ly-do", "Không ban hành")
    assert status == 0 and "Đã hủy số 02-QĐ/ĐU" in out and "không được cấp lại" in out
    status, _, err = run(capsys, "void", "--register", so, "2", "--ly-do", "lần nữa")
    assert status == 1 and "đã hủy lúc" in err and "[" not in err
    status, _, err = run(capsys, "void", "--register", so, "1", "--ly-do", "   ")
    assert status == 1 and "Hủy số phải ghi lý do" in err and "[" not in err
    status, _, err = run(capsys, "show", "--register", so, "99")
    assert status == 1 and "Sổ không có mục 99." in err and "[" not in err

    xlsx, csv_path = tmp_path / "so.xlsx", tmp_path / "so.csv"
    status, out, _ = run(capsys, "export", "--register", so, "-o", str(xlsx), "--co-quan", ISSUER, "--nam", "2025")
    assert status == 0 and "Đã xuất 3 số" in out
    ws = load_workbook(xlsx).active
    assert [c.value for c in ws[3]] == R.EXPORT_COLUMNS and ws.max_row == 4 + 3
    assert "Năm: 2025" in ws["A2"].value
    assert run(capsys, "export", "--register", so, "-o", str(csv_path), "--trang-thai", "huy")[0] == 0
    assert len(csv_path.read_text(encoding="utf-8-sig").splitlines()) == 1 + 2

    backup = tmp_path / "ban_sao.sqlite"
    assert run(capsys, "backup", "--register", so, str(backup))[0] == 0
    status, _, err = run(capsys, "backup", "--register", so, str(backup))
    assert status == 1 and "không ghi đè. Chọn tên khác." in err and "[" not in err
    status, out, _ = run(capsys, "series", "--register", str(backup))
    assert status == 0 and f"{ISSUER}\t{QD}" in out


def test_cli_usage_errors_exit_2(tmp_path, capsys):
    so = str(tmp_path / "so.sqlite")
    for argv in (
        ["void", "--register", so, "1"],
        ["next", "--register", so],
        ["register"],
        ["list", "--trang-thai", "x"],
    ):
        with pytest.raises(SystemExit) as exc:
            cli(["register", *argv] if argv != ["register"] else argv)
        assert exc.value.code == 2
        assert "Lỗi cách dùng" in capsys.readouterr().err
    status, _, err = run(capsys, "init", "--register", so)
    status, _, err = run(
        capsys, "series", "--register", so, "--bat-dau-lai", "15/10/2025", "--co-quan", "X", "--ky-hieu", QD
    )
    assert status == 1 and "không phải cách bắt đầu lại số" in err and "[" not in err
    status, _, err = run(capsys, "series", "--register", so, "--bat-dau-lai", "nam")
    assert status == 1 and "cần ghi cả --co-quan và --ky-hieu" in err and "[" not in err


@pytest.mark.slow
def test_cli_in_a_process_reads_the_register_from_the_environment(tmp_path):
    so = tmp_path / "so.sqlite"
    with R.create_register(so) as reg:
        _filled(reg)
    env = {**os.environ, R.ENV: str(so)}
    proc = subprocess.run(
        [sys.executable, "-m", "docgen.cli", "register", "list"], capture_output=True, text=True, env=env, timeout=60
    )
    assert proc.returncode == 0, proc.stderr
    assert str(so) in proc.stdout and "01-QĐ/ĐU" in proc.stdout and "Chi bộ Khu dân cư số 2" in proc.stdout
