"""The wheel's package list names every Python package of docgen/ (a folder with ``__init__.py``): setuptools
takes the list as written, so a new subpackage left out would install a docgen that fails on import. The
wheel test (tests/test_package.py, slow) proves the whole install; this one says which package is missing."""

from __future__ import annotations

import tomllib

from conftest import ROOT


def test_every_python_package_is_in_the_wheel():
    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]["packages"])
    found = {".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "docgen").rglob("__init__.py")}
    assert sorted(found - listed) == []
