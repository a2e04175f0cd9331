"""The compiled validator (the verdict on valid data) and jsonschema (the located problems) agree — never
"valid" where jsonschema refuses, and the pipeline's verdict always jsonschema's: on the
fuzz cases of every sample and batch, on dates and text the schemas constrain, on values that are not JSON.
``conftest.fast_and_full_validation_agree`` compares them on everything the rest of the suite validates."""

from __future__ import annotations

import json
import sys

import pytest
from test_fuzz import SAMPLES, WRONG, mutations, replaced

from docgen import batch, kinds
from docgen.demo import kind_of
from docgen.kinds.quyet_dinh_xep_loai.synthetic import dang_bo
from docgen.paths import SAMPLES_DIR
from docgen.validation import check_schema, fast_validator, fast_verdict, is_valid, validator

SCHEMAS = sorted({k.schema for k in kinds.all_kinds()} | {"lo_van_ban.schema.json"})

# Strings where "is it a date / is it text" is decided differently by careless checkers.
DATES = [
    "2025-02-29",
    "2024-02-29",
    "2025-02-30",
    "2025-13-01",
    "2025-1-01",
    "2025-01-01\n",
    " 2025-01-01",
    "２０２５-01-01",
    "2025-01-01T00:00:00",
    "20250101",
    "0000-01-01",
    "9999-12-31",
    "2025-12-31",
]
TEXTS = ["", " ", "\u00a0", "\u3000", "\u2028", "\u200b", "\ufeff", "a", "Đ", "x\n", "\u180e", "\x85"]


def agree(schema: str, data, what) -> bool:
    full = validator(schema).is_valid(data)
    fast = fast_verdict(schema, data)
    # Never "valid" where jsonschema refuses; where the compiled one is stricter (it reads U+FEFF as a space,
    # say), jsonschema is asked and its verdict stands: the pipeline's verdict is jsonschema's either way.
    assert not (fast and not full), (schema, what)
    assert (check_schema(schema, data) == []) == full, (schema, what)  # the verdict the pipeline acts on
    return full


def test_every_schema_compiles_for_the_fast_path():
    for schema in SCHEMAS:
        assert fast_validator(schema) is not None, schema


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.name)
def test_fuzz_cases_of_every_sample_get_the_same_verdict(sample):
    schema = kinds.get(kind_of(sample)).schema
    data = json.loads(sample.read_text(encoding="utf-8"))
    assert agree(schema, data, "as given")
    verdicts = set()
    for seed in range(3):
        for path, value in mutations(data, 60, seed=seed * 97 + len(sample.name)):
            verdicts.add(agree(schema, replaced(data, path, value), (path, value)))
    assert verdicts == {True, False}  # both paths of the check were exercised


@pytest.mark.parametrize("kind", ["quyet_dinh_xep_loai", "to_trinh", "bao_cao_kiem_diem"])
def test_fuzz_cases_of_batches_get_the_same_verdict(kind):
    if kind == "bao_cao_kiem_diem":
        envelope = json.loads((SAMPLES_DIR / "lo" / "bao_cao_kiem_diem_dang_bo_hong_quang_2025.json").read_text())
    else:
        envelope = dang_bo(units=2, members=3)
    schema = kinds.get(kind).schema
    for path, value in mutations(envelope, 80, seed=len(kind)):
        mutated = replaced(envelope, path, value)
        if not agree("lo_van_ban.schema.json", mutated, (path, value)):
            continue  # a batch is planned only once its envelope is valid
        try:
            jobs = batch.plan(kind, mutated)
        except batch.BatchError:
            continue
        for job in jobs:
            if isinstance(job.data, dict):
                agree(schema, job.data, (path, value, job.label))


def test_dates_and_texts_get_the_same_verdict():
    data = json.loads((SAMPLES_DIR / "quyet_dinh_xep_loai_dang_vien_khu_dan_cu_so_1_2025.json").read_text())
    schema = kinds.get("quyet_dinh_xep_loai").schema
    assert isinstance(data["ban_hanh"]["ngay_ban_hanh"], str)
    dates = {d: agree(schema, replaced(data, ("ban_hanh", "ngay_ban_hanh"), d), d) for d in DATES}
    assert dates["2024-02-29"] and dates["2025-12-31"] and not dates["2025-02-29"] and not dates["2025-1-01"]
    for text in TEXTS:
        agree(schema, replaced(data, ("ban_hanh", "ky_hieu"), text), text)
        agree(schema, replaced(data, ("nguoi_ky", "ho_ten"), text), text)
    for value in [*WRONG, 1.0, 2**63, -(2**63) - 1, float("nan"), float("inf")]:
        agree(schema, replaced(data, ("ban_hanh", "so"), value), value)


def test_the_compiled_date_is_jsonschemas_date_on_every_day_of_odd_years():
    import itertools

    import jsonschema
    import jsonschema_rs

    from docgen.validation import _fast_schema

    dates = jsonschema.FormatChecker(["date"])
    fast = jsonschema_rs.validator_for(_fast_schema({"type": "string", "format": "date"}), validate_formats=True)
    years = ["0000", "0001", "0004", "0100", "1600", "1900", "2000", "2024", "2025", "9999"]
    days = [f"{y}-{m:02d}-{d:02d}" for y, m, d in itertools.product(years, range(14), range(33))]
    for text in days + DATES + TEXTS:
        assert fast.is_valid(text) == dates.conforms(text, "date"), text
    assert not fast.is_valid(5) and not fast.is_valid(None)  # the type still says a date is a string


def test_no_white_space_is_astral():  # the compiled validator's \\s class is built from the BMP
    assert not [c for c in range(0x10000, sys.maxunicode + 1) if chr(c).isspace()]


def test_values_that_are_not_json_are_left_to_jsonschema():
    schema = kinds.get("quyet_dinh_xep_loai").schema
    data = json.loads((SAMPLES_DIR / "quyet_dinh_xep_loai_dang_vien_khu_dan_cu_so_1_2025.json").read_text())
    odd = replaced(data, ("nguoi_ky",), object())
    assert fast_verdict(schema, odd) is None
    assert not is_valid(schema, odd) and check_schema(schema, odd)
