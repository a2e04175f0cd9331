"""``docgen template check``: every problem of a template variant at once, each a located Problem.

A .docx is read the way the renderer will read it, and checked, with a stable English code for each rule:

* text rules, on each paragraph's visible text before docxtpl's preprocessing: ``split_tag`` (a tag
  docxtpl cannot mend), ``two_p_tags``, ``curly_quotes``;
* Jinja rules, on each part after docxtpl's ``patch_xml`` (what the renderer compiles): ``jinja_syntax``,
  ``unclosed_block``, ``unknown_variable``, ``unknown_filter``, ``unsafe``, and the limits a render would
  hit that can be seen without data (``template_range``, ``template_steps`` …);
* ``not_docx`` when the file is not a Word package.

Locating Jinja problems: before ``patch_xml`` every ``<w:p>``, ``<w:tr>`` and ``<w:tc>`` gets an XML
comment marker (docxtpl's regexes treat it like any other XML tag, so the preprocessing is unchanged);
afterwards each surviving marker becomes a line break, so a tag's line names the paragraph it came from
(or the row, for a row a ``{%tr … %}`` tag collapsed). Each tag is then parsed on its own, so one syntax
error does not hide the others, and a stack of open blocks gives the scopes of loop and ``set`` variables.
"""

from __future__ import annotations

import bisect
import itertools
import re
from dataclasses import dataclass, field
from pathlib import Path

from jinja2 import TemplateSyntaxError, nodes, sandbox
from jinja2.utils import _PassArg

from .. import kinds, limits
from ..errors import Problem, TemplatePlace
from ..package import read as read_package
from ..renderer import UnclosedTag, jinja_source
from ..validation import suggest
from ..sandbox import FILTERS, TemplateLimit, check_size, method_size, environment, explain, jinja_detail
from .places import NotDocx, Para, Part, package_message, read_parts
from .vars import ANY, LOOP, MISSING, Model, model_of


def finding(part: str, where: str, code: str, message: str) -> Problem:
    """A problem of a template: the package part and the paragraph (or table cell) it is in (no JSON path)."""
    return Problem("", code, message, TemplatePlace(part, where))


def check_template(path: Path, kind) -> list[Problem]:
    """Every problem of the template at ``path`` for ``kind`` (a :class:`~docgen.kinds.Kind` or its name);
    empty when it can be used. Each problem's ``where`` is a :class:`~docgen.errors.TemplatePlace` (part and
    paragraph)."""
    kind = kinds.get(kind)
    model, path, kind = model_of(kind), Path(path), kind.name
    package, refused = read_package(path)
    if refused:
        return [finding(p.part or "tệp", f"“{path.name}”", p.code, package_message(p)) for p in refused]
    try:
        parts = read_parts(package.parts)
    except NotDocx as exc:
        return [
            finding("tệp", f"“{path.name}”", "not_docx", f"Không đọc được tệp như một văn bản Word (.docx): {exc}.")
        ]
    found: dict[Problem, None] = {}  # ordered, and a text box appears twice (Word's drawing and its VML fallback)
    for part in parts:
        for loc, code, message in _part_findings(part, kind, model):
            found.setdefault(finding(part.label, part.where(loc), code, message))
    return list(found)


def _part_findings(part: Part, kind: str, model: Model) -> list[tuple[int, str, str]]:
    """(location, code, message) of every problem of one part, in document order."""
    text = _text_findings(part)
    explained = {loc for loc, _, _ in text}
    try:
        source, lines = _jinja_source(part)
    except UnclosedTag as exc:  # docxtpl's preprocessing would take hours: the text rules say what is wrong
        if not any(loc == exc.element and code == "split_tag" for loc, code, _ in text):
            text.append((exc.element, "split_tag", exc.message))
        return sorted(text, key=lambda f: f[0])
    tags = list(_jinja_tags(source, lines))
    jinja = _Checker(kind, model).run(tags)
    jinja += _compile_findings(source, lines, jinja + text)
    jinja = [f for f in jinja if not (f[1] == "jinja_syntax" and f[0] in explained)]
    return sorted(text + jinja, key=lambda f: f[0])


# ---------------------------------------------------------------- text rules: split_tag, two_p_tags, curly_quotes

_DELIMITER = re.compile(r"\{\{|\{%|\{#|\}\}|%\}|#\}")
_CLOSER = {"{{": "}}", "{%": "%}", "{#": "#}"}
_OPENER = {close: open_ for open_, close in _CLOSER.items()}
_LONE_BRACE = re.compile(r"\{\s+[{%#]|[}%#]\s+\}")
_LEVEL = re.compile(r"\{[{%#](p|tr|tc) ")
_LEVEL_NOUN = {"p": "đoạn", "tr": "dòng bảng", "tc": "ô bảng"}
_CURLY = "“”‘’"
_CONTAINER_NOUNS = [
    ("hyperlink", "một liên kết (hyperlink)"),
    ("field", "một trường (field)"),
    ("fldSimple", "một trường (field)"),
    ("sdt", "một ô nội dung (content control)"),
    ("ins", "một thay đổi được theo dõi (Track Changes)"),
    ("del", "một thay đổi được theo dõi (Track Changes)"),
]


@dataclass
class _Tag:
    para: Para
    start: int
    end: int

    @property
    def text(self) -> str:
        return self.para.text[self.start : self.end]


def _text_findings(part: Part) -> list[tuple[int, str, str]]:
    tags, split = _scan(part)
    found = [(loc, "split_tag", message) for loc, message in split.items()]
    for tag in tags:
        found += _tag_findings(tag)
    found += _level_findings(part, tags)
    return found


def _scan(part: Part) -> tuple[list[_Tag], dict[int, str]]:
    """The complete tags of each paragraph, and the first split-tag problem of each paragraph."""
    tags: list[_Tag] = []
    split: dict[int, str] = {}
    opened = None  # (paragraph, start, opener) of a tag not closed yet
    for para in part.paras:
        lone = _LONE_BRACE.search(para.text)
        if lone:
            split.setdefault(
                para.loc,
                f"“{lone.group()}” có khoảng trắng giữa hai dấu ngoặc nên không thành thẻ; "
                "hãy viết liền: “{{”, “{%”, “}}”, “%}”.",
            )
        for m in _DELIMITER.finditer(para.text):
            token = m.group()
            if opened is None and token in _CLOSER:
                opened = (para, m.start(), token)
            elif opened is None:
                split.setdefault(para.loc, f"“{token}” không có “{_OPENER[token]}” mở trước nó trong cùng đoạn.")
            elif token == _CLOSER[opened[2]]:
                if opened[0] is para:
                    tags.append(_Tag(para, opened[1], m.end()))
                else:
                    split.setdefault(opened[0].loc, _across(opened, part.where(para.loc)))
                opened = None
            elif token in _CLOSER:  # a tag opens before the previous one closed
                split.setdefault(opened[0].loc, _unclosed(opened))
                opened = (para, m.start(), token)
    if opened:
        split.setdefault(opened[0].loc, _unclosed(opened))
    return tags, split


def _across(opened, where: str) -> str:
    para, start, _ = opened
    return (
        f"Thẻ “{_short(para.text[start:])}” mở ở đoạn này nhưng đóng ở đoạn khác ({where}); docxtpl chỉ "
        "nối được một thẻ nằm trong cùng một đoạn (cùng một ô bảng). Hãy gõ cả thẻ trong một đoạn."
    )


def _unclosed(opened) -> str:
    para, start, opener = opened
    closer, tail = _CLOSER[opener], para.text[start:].rstrip()
    lone = tail.endswith("}") and not tail.endswith(closer)
    return f"Thẻ “{_short(tail)}” không đóng trong cùng đoạn (thiếu “{closer}”)." + (
        " Thẻ kết thúc bằng một dấu “}” đơn: phải là “}}”." if lone else ""
    )


def _tag_findings(tag: _Tag) -> list[tuple[int, str, str]]:
    found = []
    crossing = _crossing(tag)
    if crossing:
        found.append(
            (
                tag.para.loc,
                "split_tag",
                f"Thẻ “{_short(tag.text)}” bị cắt ngang bởi {crossing}; docxtpl không nối lại được (văn bản "
                "tạo ra sẽ hỏng hoặc mất chữ). Hãy xóa rồi gõ lại cả thẻ bằng chữ thường.",
            )
        )
    curly = [q for q in _CURLY if q in tag.text]
    if curly:
        found.append(
            (
                tag.para.loc,
                "curly_quotes",
                f"Thẻ “{_short(tag.text)}” có dấu nháy cong {' '.join(curly)} (Word tự đổi khi gõ); docxtpl "
                "đổi một số dấu thành nháy thẳng một cách lặng lẽ, làm thay đổi chuỗi trong thẻ. Hãy gõ nháy "
                "thẳng \" hoặc ' (tắt tự đổi dấu nháy trong AutoCorrect của Word).",
            )
        )
    return found


def _crossing(tag: _Tag) -> str | None:
    """What cuts the tag when its characters are not all in the same Word elements, or an object sits inside."""
    distinct = [set(key) for key in set(tag.para.keys[tag.start : tag.end])]
    if len(distinct) > 1:
        common = set.intersection(*distinct)
        names = {name for key in distinct for name, _ in key - common}
        return next((noun for name, noun in _CONTAINER_NOUNS if name in names), "một phần tử khác của Word")
    return next((noun for pos, noun in tag.para.objects if tag.start < pos < tag.end), None)


def _level_findings(part: Part, tags: list[_Tag]) -> list[tuple[int, str, str]]:
    """{%p}/{{p}} ({%tr}, {%tc}) tags: docxtpl replaces the whole paragraph (row, cell) by the last one."""
    groups: dict[tuple[str, int], list[_Tag]] = {}
    for tag in tags:
        m = _LEVEL.match(tag.text)
        container = {"p": tag.para.loc, "tr": tag.para.row, "tc": tag.para.cell}[m.group(1)] if m else None
        if container is not None:  # a {%tr %} outside a table is left to the Jinja check
            groups.setdefault((m.group(1), container), []).append(tag)
    found = []
    for (level, loc), group in groups.items():
        noun = _LEVEL_NOUN[level]
        inside = [p for p in part.paras if {"p": p.loc, "tr": p.row, "tc": p.cell}[level] == loc]
        other = " ".join(" ".join(_without(p, group).split()) for p in inside).strip()
        if other:
            found.append(
                (
                    loc,
                    "split_tag",
                    f"{noun.capitalize()} có thẻ “{_short(group[0].text)}” còn có chữ khác (“{_short(other)}”): "
                    f"docxtpl thay cả {noun} bằng thẻ nên chữ đó sẽ mất. Hãy để thẻ một mình một {noun}.",
                )
            )
        if len(group) > 1:
            shown = ", ".join(f"“{_short(t.text)}”" for t in group)
            found.append(
                (
                    loc,
                    "two_p_tags",
                    f"{noun.capitalize()} có {len(group)} thẻ {{%{level} … %}} ({shown}): docxtpl chỉ giữ thẻ "
                    f"cuối, các thẻ khác mất. Mỗi thẻ {{%{level} … %}} phải nằm một mình một {noun}.",
                )
            )
    return found


def _without(para: Para, tags: list[_Tag]) -> str:
    text, end = "", 0
    for tag in sorted((t for t in tags if t.para is para), key=lambda t: t.start):
        text, end = text + para.text[end : tag.start], tag.end
    return text + para.text[end:]


def _short(text: str, limit: int = 50) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


# ---------------------------------------------------------------- Jinja rules: the source the renderer compiles

_NEWLINE = re.compile(r"\r\n|\r|\n")
_JINJA_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.S)


def _jinja_source(part: Part) -> tuple[str, list[int]]:
    """The part as the renderer compiles it, and the location of each line (see :func:`jinja_source`)."""
    return jinja_source(part.xml, len(part.places))


def _jinja_tags(source: str, lines: list[int]):
    """Each ``{{ … }}``, ``{% … %}`` and ``{# … #}`` of the source with its location."""
    breaks = [m.start() for m in _NEWLINE.finditer(source)]
    for m in _JINJA_TAG.finditer(source):
        yield m.group(), lines[bisect.bisect_right(breaks, m.start())]


def _compile_findings(source: str, lines: list[int], found: list) -> list[tuple[int, str, str]]:
    """Compile the whole part like the renderer: an error the tag-by-tag checks did not explain."""
    try:
        environment().from_string(source)
    except TemplateSyntaxError as exc:
        if not any(code in _EXPLAINS_COMPILE_ERROR for _, code, _ in found):
            loc = lines[exc.lineno - 1] if 0 < exc.lineno <= len(lines) else -1
            return [(loc, "jinja_syntax", f"Jinja không biên dịch được mẫu{jinja_detail(exc.message)}.")]
    except Exception as exc:  # Python's compiler (21 nested blocks), a parse nested too deep …
        code, message = explain(exc)
        return [(-1, code, message)]
    return []


_EXPLAINS_COMPILE_ERROR = {"jinja_syntax", "unclosed_block", "unknown_filter", "split_tag", "two_p_tags"}


# ---------------------------------------------------------------- constant expressions, as the sandbox would size them

_UNKNOWN = object()
_BINOPS = {
    nodes.Add: "+",
    nodes.Sub: "-",
    nodes.Mul: "*",
    nodes.Div: "/",
    nodes.FloorDiv: "//",
    nodes.Pow: "**",
    nodes.Mod: "%",
}


def _static(node, env):
    """The value of an expression made only of constants, computed with the sandbox's own size checks
    (a TemplateLimit says what the render would refuse); ``_UNKNOWN`` when it depends on data."""
    if isinstance(node, nodes.Const):
        return node.value
    if isinstance(node, (nodes.List, nodes.Tuple)):
        items = [_static(item, env) for item in node.items]
        return (
            _UNKNOWN if any(i is _UNKNOWN for i in items) else (list if isinstance(node, nodes.List) else tuple)(items)
        )
    if type(node) in _BINOPS:
        left, right = _static(node.left, env), _static(node.right, env)
        if left is _UNKNOWN or right is _UNKNOWN:
            return _UNKNOWN
        try:
            return env.call_binop(None, _BINOPS[type(node)], left, right)
        except TemplateLimit:
            raise
        except Exception:
            return _UNKNOWN  # 1/0 and the like: the render says it, with the value
    if isinstance(node, nodes.Concat):
        items = [_static(item, env) for item in node.nodes]
        if any(i is _UNKNOWN for i in items):
            return _UNKNOWN
        check_size(sum(len(str(i)) for i in items))
        return "".join(map(str, items))
    if isinstance(node, nodes.Call) and isinstance(node.node, nodes.Getattr):  # "a".ljust(10**9), "{:>9}".format(1)
        owner = _static(node.node.node, env)
        args = [_static(a, env) for a in node.args]
        if owner is _UNKNOWN or node.kwargs or node.dyn_args or node.dyn_kwargs or _UNKNOWN in args:
            return _UNKNOWN
        method = env.getattr(owner, node.node.attr)
        try:
            args = method_size(method, args, {})
            return method(*args) if node.node.attr in ("format", "format_map") else _UNKNOWN
        except TemplateLimit:
            raise
        except Exception:
            return _UNKNOWN
    if isinstance(node, nodes.Call) and isinstance(node.node, nodes.Name) and node.node.name == "range":
        args = [_static(a, env) for a in node.args]
        if node.kwargs or node.dyn_args or node.dyn_kwargs or any(not isinstance(a, int) for a in args):
            return _UNKNOWN
        try:
            return env.globals["range"](*args)
        except TemplateLimit:
            raise
        except Exception:
            return _UNKNOWN
    if isinstance(node, nodes.Filter) and node.name in env.filters and node.node is not None:
        func = env.filters[node.name]
        value, args = _static(node.node, env), [_static(a, env) for a in node.args]
        kwargs = {kw.key: _static(kw.value, env) for kw in node.kwargs}
        if (
            _PassArg.from_obj(func) is not None
            or node.dyn_args
            or node.dyn_kwargs
            or any(v is _UNKNOWN for v in [value, *args, *kwargs.values()])
        ):
            return _UNKNOWN
        try:
            return func(value, *args, **kwargs)
        except TemplateLimit:
            raise
        except Exception:
            return _UNKNOWN
    return _UNKNOWN


# ---------------------------------------------------------------- Jinja rules: tag by tag

_HEAD = re.compile(r"\{[{%#][-+]?\s*(\w*)")
_UNPATCHED = re.compile(r"\{[{%][-+]?(p|tr|tc|r)\s")  # a level tag patch_xml did not turn into Jinja
_INLINE_SET = re.compile(r"\{%[-+]?\s*set\s+[\w\s.,()]+=")
_NEEDS_END = {"for", "if", "macro", "call", "filter", "with", "autoescape", "block"}
_SCOPED = {"", "for", "with", "macro", "call", "block"}  # blocks a {% set %} inside does not leave
_LOOP_ATTRS = {
    "index",
    "index0",
    "revindex",
    "revindex0",
    "first",
    "last",
    "length",
    "cycle",
    "depth",
    "depth0",
    "previtem",
    "nextitem",
    "changed",
}
_SAME_ITEMS = {"reverse", "sort", "list", "unique", "select", "reject", "selectattr", "rejectattr"}
_INTERNAL = (
    {"mro"}
    | sandbox.UNSAFE_FUNCTION_ATTRIBUTES
    | sandbox.UNSAFE_METHOD_ATTRIBUTES
    | sandbox.UNSAFE_GENERATOR_ATTRIBUTES
    | sandbox.UNSAFE_COROUTINE_ATTRIBUTES
    | sandbox.UNSAFE_ASYNC_GENERATOR_ATTRIBUTES
)
# Methods that change a list, dict or set: ImmutableSandboxedEnvironment refuses them.
_MUTATING = frozenset().union(*(methods for _, methods in getattr(sandbox, "_mutable_spec", ())))


@dataclass
class _Frame:
    kind: str  # the block's tag name ("for", "if" …); "" for the template itself
    tag: str
    loc: int
    names: dict = field(default_factory=dict)  # local name → the path it stands for, or ANY / LOOP
    size: int | None = None  # a loop's number of iterations, when the template fixes it (range(1000))


class _Checker:
    """Checks the tags of one part in order, keeping a stack of open blocks and their local names."""

    def __init__(self, kind: str, model: Model):
        self.kind, self.model, self.env = kind, model, environment()
        self.stack = [_Frame("", "", -1)]
        self.raw: _Frame | None = None
        self.found: list[tuple[int, str, str]] = []
        self.tag, self.loc, self.unsafe = "", -1, []

    def run(self, tags) -> list[tuple[int, str, str]]:
        for text, loc in tags:
            self.tag, self.loc, self.unsafe = _short(text, 60), loc, []
            try:
                self.check_tag(text)
            except RecursionError as exc:  # a tag nested thousands deep: Jinja's parser gives up, so does this
                self.report(*explain(exc))
            if self.unsafe:
                self.report(
                    "unsafe",
                    f"Thẻ “{self.tag}” dùng {', '.join(self.unsafe)}: môi trường an toàn của "
                    "docgen không cho phép (tạo văn bản sẽ báo lỗi).",
                )
        for frame in self.stack[1:] + ([self.raw] if self.raw else []):
            self.report_unclosed(frame)
        return self.found

    def report(self, code: str, message: str, loc: int | None = None) -> None:
        self.found.append((self.loc if loc is None else loc, code, message))

    def report_unclosed(self, frame: _Frame) -> None:
        self.report(
            "unclosed_block",
            f"Thẻ “{frame.tag}” mở một khối “{frame.kind}” nhưng không có thẻ đóng “{{% end{frame.kind} %}}”.",
            frame.loc,
        )

    # ------------------------------------------------------------ tags

    def check_tag(self, text: str) -> None:
        head = _HEAD.match(text).group(1)
        if self.raw is not None:
            if head == "endraw":
                self.raw = None
            return
        if text.startswith("{#"):
            return
        unpatched = _UNPATCHED.match(text)
        if unpatched:
            where = {"p": "một đoạn", "r": "một đoạn", "tr": "một dòng bảng", "tc": "một ô bảng"}[unpatched.group(1)]
            self.report(
                "jinja_syntax",
                f"docxtpl không chuyển được thẻ “{self.tag}”: thẻ loại này phải nằm trong "
                f"{where}, và bên trong không được có dấu “%” hay “}}”.",
            )
        elif text.startswith("{{"):
            self.statement(self.parse(text))
        elif head == "raw":
            self.raw = _Frame("raw", self.tag, self.loc)
        elif head.startswith("end"):
            self.close(head[3:])
        elif head in ("else", "elif"):
            self.middle(head, text)
        elif head in _NEEDS_END or (head == "set" and not _INLINE_SET.match(text)):
            self.open(head, self.parse(f"{text}{{% end{head} %}}"))
        else:
            self.statement(self.parse(text))

    def parse(self, source: str):
        try:
            body = self.env.parse(source).body
        except TemplateSyntaxError as exc:
            self.report("jinja_syntax", f"Thẻ “{self.tag}” sai cú pháp Jinja{jinja_detail(exc.message)}.")
            return None
        if body:
            self.bounds(body[0])
        return body[0] if body else None

    def bounds(self, node) -> None:
        """What the limits of :mod:`docgen.limits` refuse and can be seen without data: constant
        expressions too large to make (``"a" * 10**9``, ``range(10**9)``, ``"x"|center(10**9)``)."""
        said = set()
        for sub in itertools.chain([node], node.find_all((nodes.BinExpr, nodes.Call, nodes.Filter, nodes.Concat))):
            try:
                _static(sub, self.env)
            except TemplateLimit as exc:
                if exc.message not in said:
                    said.add(exc.message)
                    self.report(exc.code, f"Thẻ “{self.tag}”: {exc.message}")

    def statement(self, node) -> None:
        if isinstance(node, nodes.Assign):
            for name, value in self.bind(node.target, self.expr(node.node)).items():
                self.define(name, value)
        elif isinstance(node, (nodes.Include, nodes.Import, nodes.FromImport, nodes.Extends)):
            self.report(
                "jinja_syntax",
                f"Thẻ “{self.tag}” nạp một mẫu khác; mẫu của docgen là một tệp Word "
                "duy nhất nên không dùng được include, import, extends.",
            )
        elif node is not None:
            self.children(node)

    def open(self, kind: str, node) -> None:
        if node is None:
            return
        frame = _Frame(kind, self.tag, self.loc)
        if isinstance(node, nodes.For):
            frame.names.update(self.bind(node.target, self.items(node.iter)), loop=LOOP)
            self.loop_size(frame, node.iter)
            self.stack.append(frame)
            self.expr(node.test)  # {% for x in xs if x.a %}: x is bound there
            return
        if isinstance(node, nodes.With):
            for target, value in zip(node.targets, node.values):
                frame.names.update(self.bind(target, self.expr(value)))
        elif isinstance(node, (nodes.Macro, nodes.CallBlock)):
            if isinstance(node, nodes.Macro):
                self.define(node.name, ANY)
                frame.names.update(varargs=ANY, kwargs=ANY, caller=ANY)
            else:
                self.expr(node.call)
            for default in node.defaults:
                self.expr(default)
            frame.names.update({arg.name: ANY for arg in node.args})
        elif isinstance(node, nodes.AssignBlock):
            for name in self.bind(node.target, None):
                self.define(name, ANY)
            self.expr(node.filter)
        else:  # if, filter, autoescape, block: their expressions only (the body is empty here)
            self.children(node)
        self.stack.append(frame)

    def loop_size(self, frame: _Frame, iterable) -> None:
        """Nested loops over constants (``range(99999)`` in ``range(99999)``) that would run more steps than
        a render may take."""
        try:
            value = _static(iterable, self.env)
        except TemplateLimit:
            return  # already said by bounds()
        frame.size = len(value) if value is not _UNKNOWN and hasattr(value, "__len__") else None
        if frame.size is None:
            return
        total = frame.size
        for outer in self.stack:
            total *= outer.size if outer.size is not None else 1
        if total > limits.TEMPLATE_STEPS and frame.size > 1:
            self.report(
                "template_steps",
                f"Thẻ “{self.tag}”: các vòng lặp lồng nhau chạy {total:,} lần, quá giới hạn "
                f"{limits.TEMPLATE_STEPS:,} bước của một văn bản (tạo văn bản sẽ dừng với lỗi).".replace(",", "."),
            )

    def close(self, kind: str) -> None:
        if kind not in [frame.kind for frame in self.stack[1:]]:
            self.report(
                "unclosed_block",
                f"Thẻ “{self.tag}” không có thẻ mở “{{% {kind} … %}}” tương ứng (thẻ thừa, hoặc thẻ mở đã bị xóa).",
            )
            return
        while self.stack[-1].kind != kind:
            self.report_unclosed(self.stack.pop())
        self.stack.pop()

    def middle(self, head: str, text: str) -> None:
        allowed = ("if",) if head == "elif" else ("if", "for")
        if self.stack[-1].kind not in allowed:
            blocks = " hay ".join(f"{{% {kind} %}}" for kind in allowed)
            self.report("jinja_syntax", f"Thẻ “{self.tag}” không nằm trong khối {blocks} nào.")
        elif head == "elif":
            node = self.parse(text.replace("elif", "if", 1) + "{% endif %}")
            self.expr(node.test if node else None)

    # ------------------------------------------------------------ names

    def bind(self, target, value) -> dict:
        """Local names a target (``x``, ``a, b``) binds; ``value``: the path it stands for, if known."""
        if isinstance(target, nodes.Name):
            return {target.name: value if isinstance(value, str) else ANY}
        if isinstance(target, nodes.Tuple):
            return {item.name: ANY for item in target.items if isinstance(item, nodes.Name)}
        if isinstance(target, nodes.NSRef):  # {% set ns.total = … %}
            self.resolve(target.name, [])
        return {}

    def define(self, name: str, value) -> None:
        next(f for f in reversed(self.stack) if f.kind in _SCOPED).names[name] = value

    def lookup(self, name: str):
        for frame in reversed(self.stack):
            if name in frame.names:
                return frame.names[name]
        return ANY if name in self.env.globals else MISSING

    def items(self, node) -> str | None:
        """The path of the items of a loop's iterable (``noi_nhan`` → ``noi_nhan[]``), when known."""
        path = self.expr(node)
        item = self.model.step(path, "item", None) if path is not None else None
        return item if isinstance(item, str) else None

    # ------------------------------------------------------------ expressions

    def children(self, node, skip=None) -> None:
        for child in node.iter_child_nodes():
            if child is not skip:
                self.expr(child)

    def expr(self, node) -> str | None:
        """Check an expression; the variable path it stands for, when it is one."""
        if node is None:
            return None
        if isinstance(node, (nodes.Name, nodes.Getattr, nodes.Getitem)):
            return self.chain(node)
        if isinstance(node, nodes.Call) and isinstance(node.node, nodes.Getattr):  # a method: x.items()
            self.attribute(node.node.attr, called=True)
            self.expr(node.node.node)
            self.children(node, skip=node.node)
            return None
        if isinstance(node, (nodes.Filter, nodes.Test)):
            return self.filter(node)
        self.children(node)
        return None

    def filter(self, node) -> str | None:
        known, what = (self.env.filters, "bộ lọc") if isinstance(node, nodes.Filter) else (self.env.tests, "phép thử")
        if node.name not in known:
            guess = suggest(node.name, sorted(known))
            listed = f" (các bộ lọc riêng của docgen: {', '.join(FILTERS)})" if what == "bộ lọc" else ""
            hint = f"; có phải là “{guess}”?" if guess else f"{listed}."
            self.report("unknown_filter", f"Thẻ “{self.tag}” dùng {what} “{node.name}”, không có trong docgen{hint}")
        if node.name == "attr" and node.args and isinstance(node.args[0], nodes.Const):
            self.attribute(str(node.args[0].value))
        base = self.expr(node.node)
        self.children(node, skip=node.node)
        return base if isinstance(node, nodes.Filter) and node.name in _SAME_ITEMS else None

    def attribute(self, name: str, called: bool = False) -> bool:
        """Note an attribute the sandbox refuses; True when it is one."""
        if name.startswith("_") or name in _INTERNAL:
            self.unsafe.append(f"“{name}” (thuộc tính nội bộ của Python)")
        elif called and name in _MUTATING:
            self.unsafe.append(f"“{name}()” (sửa dữ liệu)")
        else:
            return False
        return True

    def chain(self, node) -> str | None:
        """``a.b[0].c``: check every step from the name; the canonical path, or None when not known."""
        steps = []
        while isinstance(node, (nodes.Getattr, nodes.Getitem)):
            steps.append(node)
            node = node.node
        segments = [self.segment(step) for step in reversed(steps)]
        if not isinstance(node, nodes.Name):
            self.expr(node)
            return None
        return self.resolve(node.name, segments)

    def segment(self, node) -> tuple[str, str | None, str]:
        """(kind, name, as written) of one step: ``.x`` or ``["x"]`` is "attr", any other subscript "item";
        an attribute the sandbox refuses is "unsafe" (reported once, not again as an unknown variable)."""
        arg = getattr(node, "arg", None)
        name = node.attr if isinstance(node, nodes.Getattr) else getattr(arg, "value", None)
        if isinstance(name, str):
            shown = "." + name if isinstance(node, nodes.Getattr) else f"[{name!r}]"
            return ("unsafe" if self.attribute(name) else "attr"), name, shown
        self.expr(arg)
        shown = f"[{arg.value!r}]" if isinstance(arg, nodes.Const) else "[…]"
        return ("slice" if isinstance(arg, nodes.Slice) else "item"), None, shown

    def resolve(self, name: str, segments: list) -> str | None:
        binding = self.lookup(name)
        if binding is ANY:
            return None
        if binding is LOOP:
            if segments and segments[0][0] == "attr" and segments[0][1] not in _LOOP_ATTRS:
                self.unknown(f"{name}{segments[0][2]}", segments[0][1], _LOOP_ATTRS, f"{name}.")
            return None
        path, written = (binding, name) if binding is not MISSING else ("", "")
        if binding is MISSING:
            segments = [("attr", name, name)] + segments
        for kind, attr, shown in segments:
            if kind == "unsafe":
                return None
            target = self.model.step(path, kind, attr)
            if target is ANY:
                return None
            if target is None:
                options = self.model.children(path) if path else self.names_here()
                self.unknown(written + shown, attr, options, f"{written}." if written else "")
                return None
            path, written = target, written + shown
        return path

    def names_here(self) -> set[str]:
        """Names a misspelt variable may have meant: the kind's, and the local ones in scope."""
        return self.model.children("") | {name for frame in self.stack for name in frame.names}

    def unknown(self, shown: str, attr: str, options, prefix: str) -> None:
        guess = suggest(attr, sorted(options))
        suggestion = prefix + guess if guess else None
        if not prefix:  # a field written without its object: ngay_ban_hanh → ban_hanh.ngay_ban_hanh
            suggestion = next((v.path for v in self.model.listed if v.path.endswith(f".{attr}")), suggestion)
        hint = f"; có phải là “{suggestion}”?" if suggestion else "."
        self.report(
            "unknown_variable",
            f"Thẻ “{self.tag}” dùng “{shown}”, không có trong các biến của loại "
            f"{self.kind} (xem: docgen template vars {self.kind}){hint}",
        )
