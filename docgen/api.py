"""The pipeline, as the library's public functions: read → normalise → validate → build → render → export.

    read        an Input: io.read (JSON), xlsx.read.read_workbook (Excel), importer.import_document
    normalise   NFC and tone placement of every string, control characters refused — once per input
    validate    the kind's JSON Schema, then its rules (run by its builder, which words their results)
    build       the template context and the document's header (the kind's ``build``)
    render      the kind's template (or a variant), compiled once

``validate(kind, data)`` returns every problem at once; ``render(kind, data)`` returns the .docx bytes or
raises :class:`InvalidInput` with those problems. A problem is an error (nothing is made) or a warning
(reported, the document is made): see :class:`docgen.errors.Problem`. ``kind`` is a
:class:`~docgen.kinds.Kind` or its name; the CLI and the web page resolve it once and call these.
"""

from __future__ import annotations

import threading
from pathlib import Path

from . import io, kinds, layout
from .errors import InvalidInput, Problems, errors
from .inputs import Input, normalise
from .paths import TEMPLATES_DIR
from .profile import DEFAULT_PROFILE, load_profile
from .renderer import compiled
from .validation import check_schema


def check(kind, data):
    """Validate and build the context in one pass: ``(built or None, problems)``. ``data``: a path to a JSON
    file (str or Path), an :class:`~docgen.inputs.Input`, or the data itself."""
    kind = kinds.get(kind)
    if isinstance(data, (str, Path)):
        data = io.read(data)
    return check_data(kind, data)


def check_data(kind, data):
    """:func:`check` of data already read (a text is data here, never a file name: the web page's uploads),
    or of an :class:`~docgen.inputs.Input`. ``built`` is None when a problem is an error; with warnings only
    (the reader's, the rules'), the document is built and the warnings returned."""
    kind = kinds.get(kind)
    inp = normalise(data if isinstance(data, Input) else io.from_data(data))
    if inp.data is None:
        return None, inp.problems
    return check_normalised(kind, inp.data, inp.problems)


def check_normalised(kind, data: dict, found: list = ()):
    """Schema, rules and build of data already normalised (:func:`normalise`), after the problems ``found``
    reading and normalising it: a batch's unit, whose envelope was normalised and checked once for all its
    units, has none."""
    kind = kinds.get(kind)
    problems = [*found, *check_schema(kind.schema, data)]
    if errors(problems):
        return None, problems
    rules = Problems()
    profile = load_profile(data.get("dinh_dang", DEFAULT_PROFILE))
    built = kind.build(data, rules, profile)
    if errors(rules):
        return None, [*problems, *errors(rules), *(p for p in rules if not p.is_error)]
    if built.header is not None:  # every kind's header: its split fitted to the place-and-date line
        built.context["ban_hanh"] = layout.fit_header(profile, built.context["ban_hanh"], built.header)
    # Every field of the data is available to a template variant too; what the kind computed wins.
    built.context = {**data, **built.context}
    return built, [*problems, *rules]


def validate(kind, data) -> list:
    """Every problem of ``data`` (a dict, an Input, or a path to a JSON file) for ``kind``, errors and
    warnings; empty when nothing is to be said."""
    return check(kind, data)[1]


def render_built(kind, built, template: str | Path | None = None, cancel: threading.Event | None = None) -> bytes:
    """Render an already checked context (see :func:`check`)."""
    tpl = compiled(Path(template) if template else TEMPLATES_DIR / (built.template or kinds.get(kind).template))
    return tpl.render(built.context, built.footnotes_xml, cancel=cancel)


def render(kind, data, *, template: str | Path | None = None, cancel: threading.Event | None = None) -> bytes:
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
