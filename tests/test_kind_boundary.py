"""A kind is declared once, in docgen/kinds/: no other module names a kind, and no layer probes a kind's module
for what it can do (the Kind declaration says it).

The README's design section states the grep that proves the first; it is run here as written, and its list of
names is checked against the registry, so a new kind cannot slip past it.
"""

from __future__ import annotations

import ast
import re
import shutil
import subprocess

import pytest
from conftest import ROOT

from docgen import kinds

PACKAGE = ROOT / "docgen"
KINDS_DIR = PACKAGE / "kinds"
CAMPAIGN_DIR = PACKAGE / "campaign"  # composes particular kinds by design (README, design section)


def _outside_kinds():
    return [p for p in sorted(PACKAGE.rglob("*.py")) if KINDS_DIR not in p.parents and CAMPAIGN_DIR not in p.parents]


def _readme_grep() -> str:
    """The command of the README's design section (its two lines joined)."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    found = re.search(r"```\n\s*(grep -rnwE .*?)\n\s*```", text, re.S)
    assert found, "the README's design section states the grep for kind names"
    return " ".join(line.strip().rstrip("\\").strip() for line in found.group(1).splitlines())


def test_no_module_outside_the_kinds_names_a_kind():
    # every registered name, as a word (as grep -w takes it: letters, digits and "_" make a word)
    name = re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, kinds.names())) + r")(?!\w)")
    found = [
        f"{path.relative_to(ROOT)}:{n}: {line.strip()}"
        for path in _outside_kinds()
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if name.search(line)
    ]
    assert found == []


def test_the_readme_grep_names_every_kind_and_prints_nothing():
    command = _readme_grep()
    listed = set(re.search(r'grep -rnwE "([^"]+)"', command).group(1).split("|"))
    assert listed == set(kinds.names())
    if shutil.which("grep") is None:
        pytest.skip("grep is not installed: the same check is made in Python above")
    run = subprocess.run(["bash", "-c", command], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert run.stdout == "" and run.stderr == ""


def test_no_layer_probes_a_kind_with_hasattr_or_getattr():
    probes = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) in ("hasattr", "getattr") and node.args:
                target = ast.unparse(node.args[0])
                if "kind" in target.lower():
                    probes.append(f"{path.relative_to(ROOT)}:{node.lineno}: {ast.unparse(node)}")
    assert probes == []
