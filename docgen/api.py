"""The pipeline, as the library's public functions: load → validate → build context → render → export.

``validate(kind, data)`` returns every problem at once; ``render(kind, data)`` returns the .docx
bytes or raises :class:`InvalidInput` with those problems. A problem is an error (nothing is made) or a
warning (reported, the document is made): see :class:`docgen.errors.Problem`. The CLI and the web page
call these.
"""

from __future__ import annotations

import threading
from pathlib import Path

from . import kinds, layout, vn
from .renderer import compiled
from .validation import check_schema, check_text
from .errors import InvalidInput, Problems, errors
from .io import load
from .limits import data_problems
from .paths import TEMPLATES_DIR
from .profile import DEFAULT_PROFILE, load_profile


def check(kind: str, data):
    """Validate and build the context in one pass: ``(built or None, problems)``. ``data``: a path to a JSON
    file (str or Path), or the data itself."""
    kinds.get(kind)
    if isinstance(data, (str, Path)):
        data, problems = load(data)  # the data limits are checked as the file is read
        if problems:
            return None, problems
    return check_data(kind, data)


def check_data(kind: str, data):
    """:func:`check` of data already read (a text is data here, never a file name: the web page's uploads).
    ``built`` is None when a problem is an error; with warnings only, the document is built and the warnings
    returned."""
    module = kinds.get(kind)
    problems = data_problems(data)  # before the walks below, which recurse
    if problems:
        return None, problems
    data = vn.chuan_hoa_du_lieu(data)
    problems = check_text(data) + check_schema(module.schema, data)
    if problems:
        return None, problems
    found = Problems()
    profile = load_profile(data.get("dinh_dang", DEFAULT_PROFILE))
    built = module.build(data, found, profile)
    if errors(found):
        return None, errors(found) + [p for p in found if not p.is_error]
    if built.header is not None:  # every kind's header: its split fitted to the place-and-date line
        built.context["ban_hanh"] = layout.fit_header(profile, built.context["ban_hanh"], built.header)
    # Every field of the data is available to a template variant too; what the kind computed wins.
    built.context = {**data, **built.context}
    return built, list(found)


def validate(kind: str, data) -> list:
    """Every problem of ``data`` (a dict, or a path to a JSON file) for ``kind``, errors and warnings;
    empty when nothing is to be said."""
    return check(kind, data)[1]


def render_built(kind: str, built, template: str | Path | None = None, cancel: threading.Event | None = None) -> bytes:
    """Render an already checked context (see :func:`check`)."""
    tpl = compiled(Path(template) if template else TEMPLATES_DIR / (built.template or kinds.get(kind).template))
    return tpl.render(built.context, built.footnotes_xml, cancel=cancel)


def render(kind: str, data, *, template: str | Path | None = None, cancel: threading.Event | None = None) -> bytes:
    """Render ``data`` as a ``kind`` document; returns the .docx bytes.

    ``template``: a variant of the kind's template (default ``templates_docx/<kind>.docx``).
    ``cancel``: set this event (from another thread) to stop the render, e.g. when a web client leaves;
    the render also stops by itself at the limits of :mod:`docgen.limits` (time, steps, sizes).
    Raises :class:`docgen.InvalidInput` (with ``.problems``) when the data has an error (warnings do not
    stop it: use :func:`check` to see them), and :class:`docgen.errors.TemplateProblem` (``.code``,
    ``.part``, ``.where``) when the template fails.
    """
    built, problems = check(kind, data)
    if built is None:
        raise InvalidInput(problems)
    return render_built(kind, built, template, cancel)
