"""Where docgen's data lives, found as package data with :mod:`importlib.resources`.

In the repository, schemas, templates and samples are the top-level folders ``schemas/``,
``templates_docx/`` and ``samples/``; ``pyproject.toml`` maps them into the package as the data-only
subpackages ``docgen.schemas``, ``docgen.templates_docx`` and ``docgen.samples`` (each folder holds an
``__init__.py`` for that alone). So the same names resolve in a checkout with an editable install (to
the top-level folders: ``make templates`` rewrites ``templates_docx/``) and in an installed wheel (to
the copies inside the package). Format profiles, rule sets, forms and the web page's files live inside
``docgen/`` itself.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def _folder(package: str, *parts: str) -> Path:
    # pip always unpacks a wheel, so package data is a real folder: templates are opened as zip files
    # and schemas globbed, which a zipped resource would not allow.
    return Path(str(resources.files(package).joinpath(*parts)))


def _mapped(package: str, top_level: str) -> Path:
    try:
        return _folder(package)
    except ModuleNotFoundError:  # a checkout used without installing it (PYTHONPATH=.): the folder itself
        return Path(__file__).resolve().parent.parent / top_level


SCHEMAS_DIR = _mapped("docgen.schemas", "schemas")
TEMPLATES_DIR = _mapped("docgen.templates_docx", "templates_docx")
SAMPLES_DIR = _mapped("docgen.samples", "samples")
FORMATS_DIR = _folder("docgen", "formats")
FONTS_DIR = FORMATS_DIR / "fonts"
RULES_DIR = _folder("docgen", "rules")
FORMS_DIR = _folder("docgen", "forms")
STATIC_DIR = _folder("docgen", "web", "static")


def checkout() -> Path | None:
    """The source checkout docgen runs from (an editable install), or None when it is installed as a
    package. Tools that write into the repository (``make images``) need one."""
    root = Path(__file__).resolve().parent.parent
    return root if (root / "pyproject.toml").is_file() and (root / "templates_docx").is_dir() else None
