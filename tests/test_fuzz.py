"""Mutated inputs give located Vietnamese problems, never a traceback: every reader (JSON, Excel, import) and
the pipeline after it (normalise, validate, build, render; batches: plan, check).

The mutations are deterministic (a seeded random choice of places), so a failure names the input to replay.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import json
import random
import zipfile
from pathlib import Path

import pytest
from conftest import read_back

import docgen
from docgen import batch
from docgen.demo import kind_of
from docgen.errors import InvalidInput, Problem
from docgen.importer import ImportFailed, import_document
from docgen.io import parse_json
from docgen.paths import SAMPLES_DIR, TEMPLATES_DIR
from docgen.kinds.quyet_dinh_xep_loai.synthetic import dang_bo
from docgen.xlsx import columns
from docgen.xlsx.read import read_workbook
from docgen.xlsx.write import build_workbook

# Values put in place of a value somewhere in the data: wrong types at every level, huge numbers, the empty ones.
WRONG = [None, True, 0, -1, 2.5, 10**20, "", " ", "x" * 30_000, [], {}, [[]], {"k": "v"}, [None], "2025-02-30"]
VIETNAMESE = set("ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹýàáèéìíòóùúĐ")
SAMPLES = sorted(p for p in SAMPLES_DIR.glob("*.json"))


def places(value, path=()):
    """Every (path, value) in the data, containers included."""
    yield path, value
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, child in items:
        yield from places(child, (*path, key))


def replaced(data, path, value):
    out = copy.deepcopy(data)
    node = out
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    return out


def assert_told(problems, what):
    assert problems, what
    for p in problems:
        assert isinstance(p, Problem) and p.path.startswith("$") and p.code, (what, p)
        assert VIETNAMESE & set(p.message.lower()), (what, p.message)


def mutations(data, count: int, seed: int):
    rng = random.Random(seed)
    spots = [p for p, _ in places(data) if p]
    for _ in range(count):
        path = rng.choice(spots)
        yield path, rng.choice(WRONG)


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.name)
def test_wrong_values_anywhere_in_a_document(sample):
    kind = kind_of(sample)
    data = json.loads(sample.read_text(encoding="utf-8"))
    for path, value in mutations(data, 60, seed=len(sample.name)):
        mutated = replaced(data, path, value)
        what = f"{sample.name}: {path} = {str(value)[:40]!r}"
        try:
            problems = docgen.validate(kind, mutated)
            if not problems:
                docgen.render(kind, mutated)  # accepted: then it renders
        except InvalidInput as exc:  # found by render's own check: the same problems
            problems = exc.problems
        except Exception as exc:  # noqa: BLE001 — the point of the test
            raise AssertionError(f"{what}: {type(exc).__name__}: {exc}") from exc
        if problems:
            assert_told(problems, what)


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["quyet_dinh_xep_loai", "to_trinh", "bao_cao_kiem_diem"])
def test_wrong_values_anywhere_in_a_batch(kind, tmp_path):
    envelope = dang_bo(units=2, members=3) if kind != "bao_cao_kiem_diem" else None
    if envelope is None:
        envelope = json.loads((SAMPLES_DIR / "lo" / "bao_cao_kiem_diem_dang_bo_hong_quang_2025.json").read_text())
    for n, (path, value) in enumerate(mutations(envelope, 40, seed=len(kind))):
        mutated = replaced(envelope, path, value)
        src = tmp_path / f"lo_{n}.json"
        src.write_text(json.dumps(mutated, ensure_ascii=False), encoding="utf-8")
        what = f"{kind}: {path} = {str(value)[:40]!r}"
        try:
            loaded, locations, problems = read_back(batch.load(src, kind))
            if problems:
                assert_told(problems, what)
                continue
            jobs = batch.plan(kind, loaded)
            summary = batch.check_all(kind, jobs, workers=1)
            items, _ = batch.describe_problems(summary, loaded, locations)
        except batch.BatchError as exc:  # said in Vietnamese
            assert VIETNAMESE & set(str(exc).lower()), (what, exc)
            continue
        except Exception as exc:  # noqa: BLE001
            raise AssertionError(f"{what}: {type(exc).__name__}: {exc}") from exc
        for item in items:
            assert item.path.startswith("$") and VIETNAMESE & set(item.message.lower()), (what, item)


@pytest.mark.parametrize(
    "sample", [SAMPLES[0], SAMPLES_DIR / "lo" / "quyet_dinh_xep_loai_dang_bo_hong_quang_2025.json"]
)
def test_json_cut_anywhere(sample):
    raw = sample.read_bytes()
    rng = random.Random(7)
    for cut in sorted(rng.sample(range(1, len(raw) - 1), 60)):
        data, problems = parse_json(raw[:cut], sample.name)
        assert data is None, cut
        assert_told(problems, f"cut at {cut}")
        assert problems[0].code in ("truncated", "json_syntax"), (cut, problems)


def with_part_cut(package: bytes, part: str, keep: int) -> bytes:
    """The zip ``package`` with its ``part`` cut to its first 1/``keep``: a well-formed zip of broken XML."""
    src = zipfile.ZipFile(io.BytesIO(package))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name in src.namelist():
            data = src.read(name)
            z.writestr(name, data[: len(data) // keep] if name == part else data)
    return out.getvalue()


@pytest.mark.slow
def test_excel_workbooks_cut_or_corrupted(tmp_path):
    book = build_workbook("quyet_dinh_xep_loai", dang_bo(units=2, members=3))
    rng = random.Random(11)
    cases = [book[:cut] for cut in sorted(rng.sample(range(1, len(book)), 25))]
    parts = zipfile.ZipFile(io.BytesIO(book)).namelist()
    cases += [with_part_cut(book, part, 2) for part in parts if part.endswith(".xml")]
    for n, content in enumerate(cases):
        path = tmp_path / f"so_{n}.xlsx"
        path.write_bytes(content)
        try:
            envelope, _, problems = read_back(read_workbook(path, "quyet_dinh_xep_loai"))
        except Exception as exc:  # noqa: BLE001
            raise AssertionError(f"case {n}: {type(exc).__name__}: {exc}") from exc
        assert envelope is None or not problems, n
        if problems:
            assert_told(problems, f"case {n}")


def test_word_documents_to_import_cut_or_corrupted(tmp_path):
    seed = docgen.render("ke_hoach", SAMPLES_DIR / "ke_hoach_hong_quang_2025.json")
    rng = random.Random(13)
    cases = [seed[:cut] for cut in sorted(rng.sample(range(1, len(seed)), 25))]
    parts = ("word/document.xml", "word/styles.xml", "word/numbering.xml", "word/footnotes.xml")
    cases += [with_part_cut(seed, part, 3) for part in parts]
    cases.append((TEMPLATES_DIR / "to_trinh.docx").read_bytes())  # a template, not a plan
    for n, content in enumerate(cases):
        path = Path(tmp_path / f"kh_{n}.docx")
        path.write_bytes(content)
        try:
            import_document("ke_hoach", path)
        except ImportFailed as exc:
            assert VIETNAMESE & set(str(exc).lower()), (n, exc)
        except Exception as exc:  # noqa: BLE001
            raise AssertionError(f"case {n}: {type(exc).__name__}: {exc}") from exc


@pytest.mark.slow
def test_excel_cells_of_every_odd_kind(tmp_path):
    """Values Excel can hold in any cell — huge numbers, booleans, dates out of range, times, formulas, errors, a
    cell full of text — give problems on that cell, never a traceback."""
    from openpyxl import load_workbook

    book = build_workbook("quyet_dinh_xep_loai", dang_bo(units=2, members=3))
    odd = [1e300, -1e300, 10**30, True, dt.datetime(1900, 1, 1), dt.datetime(9999, 12, 31), dt.time(12, 0)]
    odd += ["x" * 32_000, "=1/0", "#DIV/0!", -5, 3.5, " ", dt.timedelta(days=3)]
    rng = random.Random(5)
    for n in range(40):
        wb = load_workbook(io.BytesIO(book))
        ws = wb[rng.choice([columns.COMMON, columns.UNITS, columns.MEMBERS])]
        row, column, value = rng.randint(1, ws.max_row), rng.randint(1, ws.max_column), rng.choice(odd)
        ws.cell(row, column).value = value
        path = tmp_path / f"o_{n}.xlsx"
        wb.save(path)
        what = f"{ws.title}!{row},{column} = {str(value)[:30]!r}"
        try:
            envelope, locations, problems = read_back(read_workbook(path, "quyet_dinh_xep_loai"))
            if envelope is not None:
                jobs = batch.plan("quyet_dinh_xep_loai", envelope)
                summary = batch.check_all("quyet_dinh_xep_loai", jobs, workers=1)
                problems = batch.describe_problems(summary, envelope, locations)[0]
        except Exception as exc:  # noqa: BLE001
            raise AssertionError(f"{what}: {type(exc).__name__}: {exc}") from exc
        if problems:
            assert_told(problems, what)
