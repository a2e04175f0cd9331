"""A batch read unit by unit (``docgen batch``, ``docgen validate`` of a batch): the same documents and the same
problems as a batch read whole, whatever the order of the envelope's keys or the file's layout; nothing made
when the batch itself has an error found late or when the file changes between its two readings; files past
the whole-file limit read; the reading never runs ahead of the documents made by more than the work in flight."""

from __future__ import annotations

import copy
import json
import random
import re

import pytest

from docgen import api, batch, io, limits
from docgen.batch_folder import BatchFolder
from docgen.cli import main as cli
from docgen.kinds.quyet_dinh_xep_loai.synthetic import dang_bo

QD = "quyet_dinh_xep_loai"


def write(path, data, **options):
    path.write_text(json.dumps(data, ensure_ascii=False, **options), encoding="utf-8")
    return path


def stream_run(src, out, check=False):
    """The two readings as ``docgen batch`` does them, numbered from the envelope's start number."""
    source = batch.open_source(src, QD)
    found = batch.survey(QD, source, workers=1, check=check)
    assert not found.problems, found.problems
    batch.set_numbers(QD, found.jobs, batch.consecutive(found.jobs, source.head["so_bat_dau"]))
    return found, batch.produce(QD, source, found, out, workers=1)


def key(p):
    return (p.path, p.code, p.message)


def test_each_document_is_the_render_of_its_unit_and_the_same_as_a_batch_read_whole(tmp_path):
    envelope = dang_bo(units=4, members=6, start=31)
    src = write(tmp_path / "lo.json", envelope, indent=2)
    found, summary = stream_run(src, tmp_path / "a")
    assert [o.status for o in summary.outcomes] == ["ok"] * 4
    assert [j.number for j in summary.jobs] == [31, 32, 33, 34]
    whole = batch.run(QD, batch.plan(QD, batch.load(src, QD).data), tmp_path / "w", workers=1)
    for job, unit, other in zip(summary.jobs, envelope["don_vi"], whole.jobs):
        alone = batch.merge(envelope["chung"], unit)
        alone["ban_hanh"]["so"] = job.number
        made = (tmp_path / "a" / job.file_name).read_bytes()
        assert made == api.render(QD, alone) == (tmp_path / "w" / other.file_name).read_bytes(), job.label
        assert job.file_name == other.file_name
    assert [o.sha256 for o in summary.outcomes] == [o.sha256 for o in whole.outcomes]


def test_the_order_of_the_envelope_keys_and_the_layout_of_the_file_do_not_matter(tmp_path):
    envelope = dang_bo(units=3, members=4, start=5)
    _, first = stream_run(write(tmp_path / "lo.json", envelope), tmp_path / "a")
    # sorted keys put "so_bat_dau" and "chung" after "don_vi": the file is read once more to find them
    for name, options in [("sorted", {"sort_keys": True, "indent": 1}), ("tabs", {"indent": "\t"})]:
        src = write(tmp_path / f"{name}.json", envelope, **options)
        _, other = stream_run(src, tmp_path / name)
        assert [j.number for j in other.jobs] == [5, 6, 7]
        for a, b in zip(first.jobs, other.jobs):
            assert (tmp_path / "a" / a.file_name).read_bytes() == (tmp_path / name / b.file_name).read_bytes()


def test_units_are_split_exactly_whatever_their_text_holds(tmp_path):
    """Brackets, quotes, escapes and letters of every kind inside strings, white space between values, a BOM:
    each unit's text reads back as the unit, and the members around ``don_vi`` are all found."""
    rng = random.Random(7)
    pieces = ["{", "}", "[", "]", '"', "\\", ",", ":", "\n", "\t", "ọ", "Ư", "😀", "\u2028", " ", "a", "0"]
    for trial in range(30):
        units = [
            {"ten": "".join(rng.choice(pieces) for _ in range(rng.randint(0, 30))), "n": [trial, {"x": []}]}
            for _ in range(rng.randint(1, 6))
        ]
        head = {"so_bat_dau": trial + 1, "chung": {"y": '}]"{['}}
        text = json.dumps({**head, "don_vi": units}, ensure_ascii=rng.random() < 0.5, indent=rng.choice([None, 0, 3]))
        src = tmp_path / "t.json"
        src.write_bytes((b"\xef\xbb\xbf" if trial % 3 == 0 else b"") + text.encode("utf-8"))
        events = list(io.stream_batch(src))
        assert [json.loads(t) for e, _, t, _ in events if e == "unit"] == units
        assert {k: v for e, k, v, _ in events if e == "member"} == head
        assert events[-1][:2] == ("end", len(units))


def _broken(envelope, how):
    env = copy.deepcopy(envelope)
    if how == "control character in the last unit":
        env["don_vi"][-1]["ket_qua"]["dang_vien"][1]["ho_ten"] = "Nguyễn\tVăn A"
    elif how == "a unit that is not an object":
        env["don_vi"][1] = [1, 2]
    elif how == "unknown key of the envelope":
        env["so_bat_dao"] = 3
    elif how == "no units":
        env["don_vi"] = []
    elif how == "units not a list":
        env["don_vi"] = {"a": 1}
    elif how == "a number too long in a unit":
        env["don_vi"][2]["ket_qua"]["don_vi"]["so_luong"] = 10**20
    elif how == "control character in the common part":
        env["chung"]["nguoi_ky"]["ho_ten"] = "Lê\x07Văn"
    elif how == "a duplicate key in a unit":
        return json.dumps(env, ensure_ascii=False).replace('"ten": "Chi bộ', '"ten": "x", "ten": "Chi bộ', 1)
    return env


BROKEN = [
    "control character in the last unit",
    "a unit that is not an object",
    "unknown key of the envelope",
    "no units",
    "units not a list",
    "a number too long in a unit",
    "control character in the common part",
    "a duplicate key in a unit",
]


@pytest.mark.parametrize("how", BROKEN)
def test_a_broken_batch_has_the_problems_of_reading_it_whole_and_makes_nothing(tmp_path, how, capsys):
    data = _broken(dang_bo(units=4, members=3), how)
    src = tmp_path / "lo.json"
    src.write_text(data if isinstance(data, str) else json.dumps(data, ensure_ascii=False), encoding="utf-8")
    whole = batch.load(src, QD)
    assert whole.data is None and whole.problems, how
    found = batch.survey(QD, batch.open_source(src, QD), workers=1)
    said = lambda ps: sorted((p.code, p.message) for p in ps)  # noqa: E731
    assert said(found.problems) == said(whole.problems), how
    for p in found.problems:  # the same place, or a closer one: a duplicate key is placed in its unit
        assert any(p.path.startswith(w.path) for w in whole.problems if w.code == p.code), (how, p)
    assert cli(["batch", QD, str(src), "-o", str(tmp_path / "ra"), "--no-register"]) == 1
    assert not (tmp_path / "ra").exists()
    assert "chưa tạo văn bản nào" in capsys.readouterr().err


@pytest.mark.parametrize("cut", [0.3, 0.75, 0.999])
def test_a_file_cut_short_or_mistyped_is_located_as_reading_it_whole_does(tmp_path, cut):
    raw = json.dumps(dang_bo(units=3, members=3), ensure_ascii=False, indent=1).encode("utf-8")
    variants = [
        ("cut", raw[: int(len(raw) * cut)]),
        ("comma", raw.replace(b",", b"", 1 + int(cut * 40))),
        ("curly", raw.replace(b'"ho_ten"', "“ho_ten”".encode(), 1 + int(cut * 5))),
    ]
    for name, text in variants:
        src = tmp_path / f"{name}.json"
        src.write_bytes(text)
        whole = batch.load(src, QD)
        found = batch.survey(QD, batch.open_source(src, QD), workers=1)
        assert whole.problems and found.problems[:1] == whole.problems[:1], name


@pytest.mark.parametrize("indent", [1, None])
def test_a_large_file_is_located_by_the_stream_itself(tmp_path, monkeypatch, indent):
    raw = json.dumps(dang_bo(units=3, members=3), ensure_ascii=False, indent=indent)
    at = raw.index(",", int(len(raw) * 0.6))  # a comma left out, in the second half of the file
    src = tmp_path / "lo.json"
    src.write_text(raw[:at] + raw[at + 1 :], encoding="utf-8")
    whole = batch.load(src, QD).problems[0]
    monkeypatch.setattr(limits, "JSON_MAX_BYTES", src.stat().st_size // 2)  # too large to be read whole
    found = batch.survey(QD, batch.open_source(src, QD), workers=1).problems
    assert found[0].code == "json_syntax" and whole.code == "json_syntax"
    place = re.compile(r"dòng (\d+), cột (\d+)")
    assert place.search(found[0].message).groups() == place.search(whole.message).groups()  # in the file


def test_a_batch_past_the_whole_file_limit_is_read_unit_by_unit(tmp_path, monkeypatch):
    src = write(tmp_path / "lo.json", dang_bo(units=3, members=5))
    monkeypatch.setattr(limits, "JSON_MAX_BYTES", src.stat().st_size // 2)  # a unit is well within it
    assert batch.load(src, QD).problems[0].code == "file_too_large"
    _, summary = stream_run(src, tmp_path / "ra")
    assert [o.status for o in summary.outcomes] == ["ok"] * 3
    assert cli(["validate", QD, str(src)]) == 0  # validate reads it unit by unit too
    monkeypatch.setattr(limits, "BATCH_MAX_BYTES", src.stat().st_size - 1)
    assert batch.survey(QD, batch.open_source(src, QD), workers=1).problems[0].code == "file_too_large"
    monkeypatch.setattr(limits, "BATCH_MAX_BYTES", 512 * limits.MB)
    monkeypatch.setattr(limits, "BATCH_MAX_UNITS", 2)
    assert batch.survey(QD, batch.open_source(src, QD), workers=1).problems[0].code == "too_many_units"
    monkeypatch.setattr(limits, "BATCH_MAX_UNITS", 50_000)
    monkeypatch.setattr(limits, "JSON_MAX_BYTES", 1000)  # smaller than one unit: that unit is refused, not read
    [problem] = batch.survey(QD, batch.open_source(src, QD), workers=1).problems
    assert (
        problem.code == "file_too_large" and "Một đơn vị trong tệp lo.json (bắt đầu ở dòng 1, cột " in problem.message
    )
    assert "quá lớn" in problem.message


def test_a_bad_unit_fails_alone_with_the_problems_a_batch_read_whole_gives(tmp_path):
    envelope = dang_bo(units=3, members=4)
    envelope["don_vi"][1]["ket_qua"]["dang_vien"][2]["quyet_dinh"] = "GIOI"
    src = write(tmp_path / "lo.json", envelope)
    found, summary = stream_run(src, tmp_path / "ra")
    assert [o.status for o in summary.outcomes] == ["ok", "error", "ok"]
    placed, notes = batch.describe_problems(summary, found.envelope, {})
    whole = batch.load(src, QD).data
    expected, expected_notes = batch.describe_problems(batch.check_all(QD, batch.plan(QD, whole), workers=1), whole, {})
    assert placed == expected and placed[0].path.startswith("$.don_vi[1].ket_qua.dang_vien[2]")
    assert "Đảng viên thứ 3 (" in str(placed[0])  # named in the document's words, by the worker that had its data
    assert notes == expected_notes and set(notes) == {1}
    checked, _ = stream_run(src, tmp_path / "rb", check=True)
    assert [o.status for o in checked.outcomes] == ["valid", "error", "valid"]


@pytest.mark.parametrize("workers", [1, 2])
def test_the_checks_across_units_are_those_of_a_batch_read_whole(tmp_path, workers):
    envelope = dang_bo(units=5, members=6)
    for unit in envelope["don_vi"]:
        for k, person in enumerate(unit["ket_qua"]["dang_vien"]):
            level, total = ("HTXSNV", 92) if k < 2 else ("HTTNV", 80)  # 2 of 4 in each: 50%, past a 20% cap
            person.update(tu_xep_loai=level, de_xuat=level, quyet_dinh=level)
            person["diem"] = {"nhom_1": 25, "nhom_2": total - 25, "tong": total}
            for field in ("ky_luat_trong_nam", "hinh_thuc_ky_luat"):
                person.pop(field, None)
    envelope["chung"].setdefault("ket_qua", {})["nhom_tinh_ty_le"] = "đảng viên Đảng bộ phường Hồng Quang"
    src = write(tmp_path / "lo.json", envelope)
    found = batch.survey(QD, batch.open_source(src, QD), workers=workers, check=True)
    whole = batch.check_all(QD, batch.plan(QD, batch.load(src, QD).data), workers=1)
    assert [(o.status, [key(p) for p in o.problems]) for o in found.outcomes] == [
        (o.status, [key(p) for p in o.problems]) for o in whole.outcomes
    ]
    assert all([p.code for p in o.problems] == ["excellence_cap"] for o in found.outcomes)
    placed, _ = batch.describe_problems(found.summary(found.outcomes, tmp_path), found.envelope, {})
    data = batch.load(src, QD).data
    assert [str(p) for p in placed] == [str(p) for p in batch.describe_problems(whole, data, {})[0]]
    assert "Danh sách đảng viên" in str(placed[0])  # named as a list of the document, its data not kept


def test_a_file_changed_between_the_two_readings_makes_nothing(tmp_path):
    envelope = dang_bo(units=3, members=4)
    src = write(tmp_path / "lo.json", envelope)
    source = batch.open_source(src, QD)
    found = batch.survey(QD, source, workers=1)
    batch.set_numbers(QD, found.jobs, batch.consecutive(found.jobs, 1))
    envelope["don_vi"][2]["ket_qua"]["dang_vien"][0]["ho_ten"] = "Người Khác"  # saved over while numbering
    write(src, envelope)
    out = tmp_path / "ra"
    with pytest.raises(batch.SourceChanged), BatchFolder(out) as folder:
        batch.produce(QD, source, found, folder.path, workers=1)
    assert not out.exists()


def test_the_reading_stays_within_the_work_in_flight(tmp_path, monkeypatch):
    """Memory stays flat: a unit is read only when the documents before it are all but made."""
    src = write(tmp_path / "lo.json", dang_bo(units=12, members=2))
    source = batch.open_source(src, QD)
    found = batch.survey(QD, source, workers=1)
    batch.set_numbers(QD, found.jobs, batch.consecutive(found.jobs, 1))
    ahead, made = [], []
    units = source.units

    def watched():
        for unit in units():
            ahead.append(unit.index - len(made))
            yield unit

    monkeypatch.setattr(source, "units", watched)
    batch.produce(QD, source, found, tmp_path / "ra", workers=1, progress=lambda done, total: made.append(done))
    assert len(ahead) == 12 and max(ahead) <= 1


def test_the_command_makes_nothing_when_the_file_changes_while_it_runs(tmp_path, monkeypatch, capsys):
    """Saved over between the numbering and the rendering: no document of the old or the new data is issued, the
    output folder stays as it was, and the numbers taken stay reserved (not issued) for the re-run."""
    from docgen import numbers, register

    envelope = dang_bo(units=3, members=3)
    src = write(tmp_path / "lo.json", envelope)
    reg = tmp_path / "so.sqlite"
    register.create_register(reg).close()
    number_jobs = numbers.number_jobs

    def then_saved_over(*args, **kwargs):
        issued = number_jobs(*args, **kwargs)
        changed = copy.deepcopy(envelope)
        changed["don_vi"][1]["ket_qua"]["dang_vien"][0]["ho_ten"] = "Người Khác"
        write(src, changed)
        return issued

    monkeypatch.setattr(numbers, "number_jobs", then_saved_over)
    out = tmp_path / "ra"
    assert cli(["batch", QD, str(src), "-o", str(out), "--register", str(reg), "--jobs", "1"]) == 1
    err = capsys.readouterr().err
    assert "đã thay đổi trong khi đang tạo văn bản" in err and "giữ nguyên" in err
    assert not out.exists()
    with register.open_register(reg) as r:
        kept = r.entries()
    assert len(kept) == 3 and all(not e.file_name for e in kept)
    monkeypatch.setattr(numbers, "number_jobs", number_jobs)  # run again on the saved file: the same numbers
    assert cli(["batch", QD, str(src), "-o", str(out), "--register", str(reg), "--jobs", "1"]) == 0
    with register.open_register(reg) as r:
        assert sorted(e.number for e in r.entries()) == sorted(e.number for e in kept)


@pytest.mark.slow
def test_memory_stays_flat_as_the_batch_grows(tmp_path):
    """The peak memory of ``docgen batch`` (its largest process) grows by what it keeps of each document (a job
    without its data: header, label, fingerprint — a few KB), not by the input: held whole, the 1,500 more units
    of 25 members below would add 50 KB each once parsed, some 75 MB."""
    import subprocess
    import sys

    peaks = {}
    for units in (500, 2000):
        src = write(tmp_path / f"lo_{units}.json", dang_bo(units=units, members=25))
        code = (
            "import resource, subprocess, sys; "
            f"r = subprocess.run([sys.executable, '-m', 'docgen.cli', 'batch', '{QD}', {str(src)!r}, '-o', "
            f"{str(tmp_path / f'ra{units}')!r}, '--no-register', '--jobs', '2'], capture_output=True); "
            "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, r.returncode)"
        )
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
        assert out[1] == "0"
        peaks[units] = int(out[0]) / 1024
    assert peaks[2000] - peaks[500] < 30, peaks
