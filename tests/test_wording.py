"""Official wording lives in data with its source and flag; the texts flagged as found are the reference's;
the README's rules table names exactly the rules the code checks."""

from __future__ import annotations

import ast
import re
import unicodedata

import pytest
from conftest import ROOT, SHARED

from docgen import wording
from docgen.kinds.bao_cao_kiem_diem import forms as bc

REFERENCE = SHARED / "reference" / "official_texts.md"


def test_every_wording_entry_has_a_source_and_a_known_flag():
    found = wording.entries()
    assert len(found) > 80
    for e in found:
        assert e.flag in wording.FLAGS, e
        assert e.source.strip(), e
        assert e.text.strip(), e
    files = {e.file for e in found}
    assert {"rules/qd366_2025.json", "rules/qd124_2023.json", "rules/qd132_2018.json"} <= files
    assert {"forms/bao_cao_kiem_diem.json", "formats/hd36_2018.json"} <= files


def test_every_text_the_forms_print_is_a_flagged_entry_and_every_entry_is_used():
    forms = bc.forms()
    for key, entry in forms["wording"].items():
        assert entry.get("flag") in wording.FLAGS and entry.get("source"), key
    used = set()
    for code, spec in forms["forms"].items():
        assert spec["flag"] in wording.FLAGS and spec["source"], code
        for field in ("ten_loai", "trich_yeu", "mo_dau", "nam", "ghi_chu", "thong_tin"):
            if field in spec:
                used.add(spec[field])
        for node in bc.form_nodes(spec["noi_dung"]):
            used |= {
                node[k] for k in ("tieu_de", "gach", "doan", "diem", "muc_xep_loai", "cap_do", "hop_kiem") if k in node
            }
    code_text = "".join(
        path.read_text(encoding="utf-8")
        for path in sorted((ROOT / "docgen" / "kinds" / "bao_cao_kiem_diem").glob("*.py"))
    )
    used |= {key for key in forms["wording"] if f'"{key}"' in code_text or f"'{key}'" in code_text}
    assert used - set(forms["wording"]) == set()
    assert set(forms["wording"]) - used == set()  # nothing printed by no form


def test_regulation_titles_and_their_flags():
    by_key = {(e.file, e.key): e for e in wording.entries()}
    title = by_key[("rules/qd366_2025.json", "regulation.title")]
    assert "hằng năm" not in title.text and title.flag == "quoted_by_third_party"
    hd43 = by_key[("rules/qd366_2025.json", "guidance.title")]
    assert hd43.text.startswith("một số nội dung về kiểm điểm") and not hd43.text.startswith("hướng dẫn")
    assert by_key[("rules/qd124_2023.json", "guidance.title")].flag == "verified"
    assert by_key[("rules/qd132_2018.json", "regulation.title")].flag == "verified"
    hd21 = by_key[("rules/qd132_2018.json", "guidance.title")]  # NOT FOUND in the reference: kept, flagged
    assert hd21.flag == "not_found" and hd21.text.startswith("một số vấn đề cụ thể về kiểm điểm")


def _reference_text() -> str:
    """The reference as one line of text: quote marks and line breaks of the stored copies removed."""
    text = REFERENCE.read_text(encoding="utf-8")
    text = re.sub(r"(?m)^>\s?", "", text)
    text = re.sub(r"\*\*|`", "", text)
    return unicodedata.normalize("NFC", " ".join(text.split())).lower()


@pytest.mark.skipif(not REFERENCE.is_file(), reason=f"the reference of official texts is not at {REFERENCE}")
def test_texts_flagged_as_found_are_in_the_reference():
    """Every verified or third-party-quoted text (its fixed parts, around placeholders) is found word for word in
    ../shared/reference/official_texts.md: a typo in the data, or a text from memory, fails here."""
    reference = _reference_text()
    checked = 0
    for e in wording.entries():
        printed = (
            (e.file.startswith("forms/") and e.key.startswith("wording."))
            or (e.file.startswith("rules/") and e.key.endswith(".title"))
            or (e.file.startswith("formats/") and e.key.startswith("wording."))
        )
        if e.flag == "not_found" or not printed:
            continue  # not-found texts are the engine's own; rule specifications are numbers, not text
        for piece in re.split(r"\{[a-z_]+\}| / ", e.text):
            piece = " ".join(piece.replace("*", "").split()).strip(" :").lower()
            if len(piece) < 12:
                continue  # "Năm", "QUYẾT ĐỊNH", "./." — too short to tell anything
            assert piece in reference, (e.file, e.key, piece)
            checked += 1
    assert checked > 60


def _readme_rule_codes() -> set[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme[readme.index("| rule (code) | what is checked |") :]
    table = table[: table.index("\n\n")]
    codes = set()
    for row in table.splitlines()[2:]:
        codes |= set(re.findall(r"`([a-z_]+)`", row.split("|")[1]))
    return codes


def _code_rule_codes() -> set[str]:
    """The problem codes the rating rules produce, read from their source: the code argument of every
    ``problems.add``/``problems.warn`` and ``breach(…)``, and the codes chosen by a condition."""
    codes = set()
    trees = [
        ast.parse((ROOT / name).read_text(encoding="utf-8"))
        for name in ("docgen/rating/results.py", "docgen/rating/batch.py", "docgen/rules/checks.py")
    ]
    parts = ast.parse((ROOT / "docgen" / "parts.py").read_text(encoding="utf-8"))
    trees += [f for f in parts.body if isinstance(f, ast.FunctionDef) and f.name == "check_cited_dates"]
    for tree in trees:
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                func = node.func
                if isinstance(func, ast.Attribute) and func.attr in ("add", "warn") and len(node.args) >= 2:  # problems
                    arg = node.args[1]
                elif getattr(func, "id", getattr(func, "attr", "")) == "breach" and node.args:
                    arg = node.args[0]
                else:
                    continue
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                    codes.add(arg.value)
            elif isinstance(node, ast.Assign) and isinstance(node.value, ast.IfExp):
                if [t.id for t in node.targets if isinstance(t, ast.Name)] == ["code"]:
                    codes |= {n.value for n in (node.value.body, node.value.orelse) if isinstance(n, ast.Constant)}
    return codes


def test_readme_rules_table_matches_the_code():
    in_code = _code_rule_codes()
    assert {"excellence_cap", "discipline", "task_conditions", "date_order", "date_order_unusual"} <= in_code
    assert _readme_rule_codes() == in_code
