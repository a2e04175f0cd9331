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

import copy
import dataclasses
import re
import threading
from pathlib import Path

from . import io, kinds, layout
from .errors import InvalidInput, Problems, TemplatePlace, TemplateProblem, errors
from .inputs import Input, normalise
from .paths import TEMPLATES_DIR
from .profile import DEFAULT_PROFILE, load_profile
from .renderer import compiled
from .places import name_places
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
    or of an :class:`~docgen.inputs.Input`; each problem placed as a person knows it, members named
    (:func:`docgen.places.name_places`; a workbook's cells are placed when it is read). ``built`` is None
    when a problem is an error; with warnings only (the reader's, the rules'), the document is built and the
    warnings returned."""
    kind = kinds.get(kind)
    inp = normalise(data if isinstance(data, Input) else io.from_data(data))
    if inp.data is None:
        return None, inp.problems
    built, problems = check_normalised(kind, inp.data, inp.problems)
    return built, name_places(problems, inp.data)


def check_normalised(kind, data: dict, found: list = ()):
    """Schema, rules and build of data already normalised (:func:`normalise`), after the problems ``found``
    reading and normalising it: a batch's unit, whose envelope was normalised and checked once for all its
    units, has none. Problems have no ``where`` yet: the caller knows the file they came from (a JSON file:
    :func:`docgen.places.name_places`; a workbook: :func:`docgen.xlsx.locate.locate`)."""
    kind = kinds.get(kind)
    problems = [*found, *check_schema(kind.schema, data)]
    if errors(problems):
        return None, [*problems, *_rules_beside(kind, data, errors(problems))]
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


def _rules_beside(kind, data: dict, found: list) -> list:
    """The rules' problems of the list items (members, units) that have no error of their own, despite the
    errors ``found``: so that a missing name does not hide a wrong total three members below until the next
    run. The rules run on a copy without the items in error; what they say of a list those items belong to
    (a count, a ratio) is left out, as the items are missing from it, and so is what they say of the
    document when one of its own fields is in error."""
    removed: dict[str, set[int]] = {}
    whole = False  # an error of the document's own fields: only what the rules say of an item is kept
    for p in found:
        item = re.match(r"(.*)\[(\d+)\]", p.path)
        if item is None:
            whole = True
        else:
            removed.setdefault(item.group(1), set()).add(int(item.group(2)))
    trimmed = copy.deepcopy(data)
    kept: dict[str, list[int]] = {}
    for path, indexes in removed.items():
        items = _at(trimmed, path)
        if not isinstance(items, list):
            return []
        kept[path] = [i for i in range(len(items)) if i not in indexes]
        items[:] = [items[i] for i in kept[path]]
    rules = Problems()
    try:
        kind.build(trimmed, rules, load_profile(data.get("dinh_dang", DEFAULT_PROFILE)))
    except Exception:  # noqa: BLE001 — the data is known to be invalid, and the build was written for valid data:
        pass  # what the rules found before it stopped stands
    out = []
    for p in errors(rules):
        path = p.path
        if whole and not re.search(r"\[\d+\]", path):
            continue
        for base, indexes in kept.items():
            if base == path or base.startswith((path + ".", path + "[")):
                break  # said of the list (or of what holds it), which misses the items in error
            m = re.match(re.escape(base) + r"\[(\d+)\]", path)
            if m and int(m.group(1)) < len(indexes):
                path = f"{base}[{indexes[int(m.group(1))]}]{path[m.end() :]}"
        else:
            out.append(dataclasses.replace(p, path=path))
    return out


def _at(data, path: str):
    from .places import steps

    for step in steps(path):
        data = data[step] if isinstance(data, (dict, list)) else None
    return data


def validate(kind, data) -> list:
    """Every problem of ``data`` (a dict, an Input, or a path to a JSON file) for ``kind``, errors and
    warnings; empty when nothing is to be said."""
    return check(kind, data)[1]


def render_built(kind, built, template: str | Path | None = None, cancel: threading.Event | None = None) -> bytes:
    """Render an already checked context (see :func:`check`). A template variant that fails is reported as
    ``template check`` reports it (:func:`checked_template_problem`): located, in Vietnamese."""
    path = Path(template) if template else TEMPLATES_DIR / (built.template or kinds.get(kind).template)
    try:
        return compiled(path).render(built.context, built.footnotes_xml, cancel=cancel)
    except TemplateProblem as exc:
        if template is None or exc.code in ("template_cancelled",):
            raise
        raise checked_template_problem(kind, path, exc) from None


def checked_template_problem(kind, template: Path, exc: TemplateProblem) -> TemplateProblem:
    """What ``template check`` finds in a variant that failed to compile or render, as one TemplateProblem
    (the first finding's code and place, every finding in the message); ``exc`` itself when it finds
    nothing (a failure only this data causes: a limit, a value)."""
    from .template_tools.lint import check_template

    found = [f for f in check_template(template, kind) if f.is_error]
    if not found:
        return exc
    lines = "\n".join(f"  - {f}" for f in found)
    first = found[0]
    where = first.where if isinstance(first.where, TemplatePlace) else None
    return TemplateProblem(
        f"Mẫu “{template.name}” có {len(found)} lỗi:\n{lines}",
        first.code,
        where.part if where else "",
        where.where if where else "",
    )


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
