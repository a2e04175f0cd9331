"""Render a .docx template with a context: docxtpl's template language, compiled once.

A :class:`CompiledTemplate` reads the template package once, runs docxtpl's own preprocessing
(``patch_xml``, which turns ``{%p … %}``/``{{r … }}`` tags and Word's split runs into plain Jinja)
on every XML part that holds tags, and compiles each with one sandboxed Jinja environment.
Rendering then only evaluates the compiled templates and writes the zip; the parts without tags
are compressed once, here, and their compressed bytes copied into every document. The output is what
docxtpl produces for the same template and context (tested), several times faster, and byte-identical
for the same input.
"""

from __future__ import annotations

import bisect
import re
import threading
import traceback
from functools import lru_cache
from pathlib import Path

from docxtpl import DocxTemplate
from lxml import etree

from . import limits, ooxml, package, sandbox
from .errors import TemplateProblem
from .paths import TEMPLATES_DIR
from .sandbox import FILTERS, environment  # noqa: F401 (the environment and filters templates get)

# The parts docxtpl renders: body, headers, footers, footnotes.
_TEMPLATED_PART = re.compile(r"^word/(document|header\d*|footer\d*|footnotes)\.xml$")
_FOOTNOTES = "word/footnotes.xml"
_APP_PROPERTIES = "docProps/app.xml"
# Text with tabs, newlines, \a or \f that docxtpl turns into <w:tab/>, <w:br/>, new paragraphs, pages.
_LISTING_TEXT = re.compile(r"<w:t(?: [^>]*)?>[^<]*[\t\n\a\f]")
# What makes a part a template: a tag, a comment, or docxtpl's escape of a literal delimiter.
_TEMPLATE_SYNTAX = re.compile(r"\{[{%#_]|_\}")
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

_patcher = DocxTemplate(None)  # patch_xml and resolve_listing use no instance state


# ---------------------------------------------------------------- the source Jinja compiles

_START = re.compile(r"<w:(?:p|tr|tc)(?=[\s>/])")
_MARKER = re.compile(r"<!--dg(\d+)-->")
_NEWLINE = re.compile(r"\r\n|\r|\n")


# docxtpl's first step (a delimiter whose two characters Word put in different runs, "{</w:t>…<w:t>{"), so
# that the delimiters are counted as docxtpl will see them.
_SPLIT_DELIMITER = re.compile(r"(?<={)(<[^>]*>)+(?=[\{%\#])|(?<=[%\}\#])(<[^>]*>)+(?=\})", re.DOTALL)
_OPENER = re.compile(r"\{([{%#])")
_CLOSER = {"{": "}}", "%": "%}", "#": "#}"}


class UnclosedTag(Exception):
    """A tag whose closing delimiter is missing or too far (see ``limits.TEMPLATE_TAG_REACH``); ``element``:
    the index of the paragraph, row or cell it opens in."""

    def __init__(self, element: int, message: str):
        super().__init__(message)
        self.element, self.message = element, message


def check_tag_reach(xml: str) -> None:
    """Refuse, before docxtpl's preprocessing runs, a part it would take hours over: every opening
    delimiter must be closed within :data:`~docgen.limits.TEMPLATE_TAG_REACH` characters, and the
    distances together stay under :data:`~docgen.limits.TEMPLATE_TAG_SCAN`."""
    mended = _SPLIT_DELIMITER.sub("", xml)
    closers = {k: [m.start() for m in re.finditer(re.escape(v), mended)] for k, v in _CLOSER.items()}
    total = 0
    for m in _OPENER.finditer(mended):
        found = closers[m.group(1)]
        i = bisect.bisect_left(found, m.end())
        reach = found[i] - m.end() if i < len(found) else None
        total += reach or 0
        if reach is None or reach > limits.TEMPLATE_TAG_REACH or total > limits.TEMPLATE_TAG_SCAN:
            element = len(_START.findall(mended, 0, m.start())) - 1
            what = "không có" if reach is None else "ở quá xa"
            raise UnclosedTag(
                element,
                f"Thẻ “{mended[m.start() : m.start() + 2]}” mở ở đây nhưng dấu đóng “{_CLOSER[m.group(1)]}” {what} "
                "(mẫu có thẻ không đóng; nếu cần in chính dấu “{{”, hãy gõ “{_{”).",
            )


def jinja_source(xml: str, elements: int) -> tuple[str, list[int]]:
    """A part after docxtpl's ``patch_xml``, with a line break where each paragraph, table row and cell
    began, and for each line the index of that element (-1 before the first): a Jinja error's line
    then names the paragraph it is in. ``elements``: how many ``<w:p>``, ``<w:tr>``, ``<w:tc>`` the
    part has.

    Before ``patch_xml`` every such element gets an XML comment marker (docxtpl's regexes treat it like
    any other tag, so the preprocessing is unchanged); afterwards each surviving marker becomes a line
    break, which sits between elements and so changes nothing in the document."""
    check_tag_reach(xml)
    counter = iter(range(elements + 1))
    marked = _START.sub(lambda m: f"<!--dg{next(counter, elements)}-->{m.group()}", xml)
    if next(counter, None) != elements:  # another namespace prefix than w:, which docxtpl does not handle
        marked = xml
    pieces = _MARKER.split(_patcher.patch_xml(marked))
    lines = [-1] * (len(_NEWLINE.findall(pieces[0])) + 1)
    for loc, text in zip(pieces[1::2], pieces[2::2]):
        lines += [int(loc)] * (len(_NEWLINE.findall(text)) + 1)
    return "\n".join(pieces[::2]), lines


class _Part:
    def __init__(self, name: str, data: bytes, template, lines: list[int]):
        self.name, self.data, self.template, self.lines = name, data, template, lines


class CompiledTemplate:
    def __init__(self, path: Path, env: sandbox.Sandbox | None = None, check_xml: bool = True):
        self.path = Path(path)
        self.env = env or environment()
        # A user's template may produce broken XML; the built-in ones are tested, so the re-parse is skipped.
        self.check_xml = check_xml
        self.static: dict[str, ooxml.Deflated] = {}  # the parts without tags, compressed once
        self.compiled: dict[str, _Part] = {}
        pkg, problems = package.read(self.path)
        if problems:
            raise TemplateProblem(
                f"Không dùng được tệp mẫu “{self.path.name}”: " + " ".join(p.message for p in problems),
                code=problems[0].code,
                part=problems[0].part,
            )
        self.order = list(pkg.parts)
        for name, data in pkg.parts.items():
            if name == _APP_PROPERTIES:  # docgen's name on what it made (export.made_by_docgen)
                data = ooxml.app_properties_by_docgen(data)
            if _TEMPLATED_PART.match(name):
                part = self._compile(name, data)
                if part is not None:
                    self.compiled[name] = part
                    continue
            self.static[name] = ooxml.deflate(name, data)

    def _compile(self, name: str, data: bytes) -> _Part | None:
        try:
            xml = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise TemplateProblem(
                f"Mẫu “{self.path.name}”: phần {name} không ghi bằng UTF-8 ({exc}).", code="not_docx", part=name
            ) from None
        root = etree.fromstring(data, package.SAFE_PARSER)
        try:
            source, lines = jinja_source(xml, sum(1 for _ in root.iter(_W + "p", _W + "tr", _W + "tc")))
        except UnclosedTag as exc:
            from .template_tools.places import locate

            label, where = locate(name, data, exc.element)
            raise TemplateProblem(
                f"Mẫu “{self.path.name}”, {label} — {where}: {exc.message}", "split_tag", label, where
            ) from None
        if not _TEMPLATE_SYNTAX.search(source) and name != _FOOTNOTES:
            return None
        part = _Part(name, data, None, lines)
        try:
            part.template = self.env.from_string(source)
        except Exception as exc:  # a syntax error, or Python's compiler refusing 21 nested blocks …
            raise self._problem(part, exc) from None
        return part

    def render(self, context: dict, footnotes_xml: str = "", cancel: threading.Event | None = None) -> bytes:
        """The document for ``context``. The template runs within :mod:`docgen.limits` (time, steps, sizes);
        ``cancel``: an event that stops the render when set (TemplateProblem ``template_cancelled``)."""
        rendered: dict[str, bytes] = {}
        with sandbox.running(sandbox.budget(cancel)):
            for name, part in self.compiled.items():
                try:
                    xml = part.template.render(context)
                except Exception as exc:  # the context is the engine's: whatever fails is the template's doing
                    raise self._problem(part, exc) from None
                if _has_listing_text(xml):
                    xml = _patcher.resolve_listing(xml)
                if name == _FOOTNOTES:
                    xml = ooxml.insert_footnotes(xml, footnotes_xml)
                data = xml.encode("utf-8")
                if self.check_xml:
                    self._check_output(name, data)
                rendered[name] = data
        return ooxml.zip_package([(n, rendered[n]) if n in rendered else self.static[n] for n in self.order])

    def _check_output(self, name: str, data: bytes) -> None:
        """A user's template may write raw XML (``|safe``): the part must still be well-formed, without a DTD."""
        for problem in package.check_xml(data, name):
            raise TemplateProblem(
                f"Mẫu “{self.path.name}” tạo ra XML hỏng trong {name}: {problem.message}", code=problem.code, part=name
            )

    def _problem(self, part: _Part, exc: BaseException) -> TemplateProblem:
        """The exception as a Vietnamese message with the template part and paragraph it came from."""
        from .template_tools.places import locate

        code, message = sandbox.explain(exc)
        line = _template_line(exc)
        loc = part.lines[line - 1] if line and 0 < line <= len(part.lines) else -1
        label, where = locate(part.name, part.data, loc)
        return TemplateProblem(f"Mẫu “{self.path.name}”, {label} — {where}: {message}", code, label, where)


def _has_listing_text(xml: str) -> bool:
    """``_LISTING_TEXT.search(xml)``, answered faster: a rendered part always has newlines (between the elements,
    where :func:`jinja_source` put its line breaks), rarely inside a text. So look back from each tab, newline,
    \\a, \\f to the tag before it — a text's, ``<w:t>`` or ``<w:t …>``, means docxtpl has work to do — instead of
    running the regex over the whole part (a quarter of a millisecond a document)."""
    for char in "\t\n\a\f":
        at = xml.find(char)
        while at != -1:
            tag = xml.rfind("<", 0, at)
            if tag != -1 and xml.startswith(("<w:t>", "<w:t "), tag) and xml.find(">", tag, at) != -1:
                return True
            at = xml.find(char, at + 1)
    return False


def _template_line(exc: BaseException) -> int | None:
    """The template line an exception came from (Jinja puts the template's lines in the traceback)."""
    if getattr(exc, "lineno", None) and isinstance(exc, sandbox.TemplateSyntaxError):
        return exc.lineno
    line = None
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.filename == "<template>":
            line = frame.lineno
    return line


_lock = threading.Lock()


@lru_cache(maxsize=32)
def _compiled(path: str, mtime_ns: int) -> CompiledTemplate:
    builtin = Path(path).parent == TEMPLATES_DIR.resolve()
    return CompiledTemplate(Path(path), check_xml=not builtin)


def compiled(path: Path) -> CompiledTemplate:
    """A template compiled once per process (recompiled when the file changes)."""
    path = Path(path).resolve()
    with _lock:
        return _compiled(str(path), path.stat().st_mtime_ns)
