"""The sandbox templates run in: what a template may do, and how much of it.

Jinja's ``ImmutableSandboxedEnvironment`` already keeps a template away from Python internals, files, the
network and changes to the data. :class:`Sandbox` also bounds the work (numbers in :mod:`docgen.limits`):

* **time and steps** — every loop iteration and every call counts against a per-document budget, checked
  together with a wall-clock deadline and an optional cancel event (:class:`Budget`), so a template with
  nested loops of 99999 × 99999 stops after a million steps instead of running for hours;
* **size** — operations that can make a huge value from a small one (``"a" * n``, ``[0] * n``, ``x ~ x``,
  ``**``, ``%`` and ``format`` widths, ``center``/``indent``/``join``/``replace`` …) are sized *before* they
  run and refused above :data:`~docgen.limits.TEMPLATE_VALUE_SIZE`; every value made and everything written
  out is charged to :data:`~docgen.limits.TEMPLATE_PRODUCED`, which bounds the memory a template can take;
* **structure** — ``include``/``import``/``extends`` are refused when the template is compiled (a template
  is one Word file), ``range()`` is capped, and macro calls may nest only so deep.

Hooks the sandbox cannot see are added by rewriting the parsed template before it is compiled
(:func:`_bound`): loops iterate through a counting wrapper, ``~`` is sized before it joins, each ``{{ }}``
is charged as it is written. Intercepting ``*``, ``**``, ``+`` and ``%`` also stops Jinja's compiler from
folding ``"a" * 10**9`` at compile time (it never folds an intercepted operator), so ``template check`` —
which compiles the template — is bounded too.

:func:`explain` turns whatever a template raised into ``(code, Vietnamese message)``.
"""

from __future__ import annotations

import contextvars
import re
import threading
import time
from dataclasses import dataclass, field
from functools import update_wrapper

from jinja2 import StrictUndefined, TemplateError, TemplateSyntaxError, UndefinedError, nodes, pass_eval_context
from jinja2.filters import make_attrgetter
from jinja2.runtime import LoopContext, Macro, markup_join, str_join
from jinja2.sandbox import ImmutableSandboxedEnvironment, SandboxedEscapeFormatter, SandboxedFormatter, SecurityError
from jinja2.utils import _PassArg
from markupsafe import Markup

from . import limits, vn

FILTERS = {
    "ngay_thang": vn.ngay_thang,
    "ngay_so": vn.ngay_so,
    "doc_so": vn.doc_so,
    "so_chu": vn.so_chu,
    "phan_tram": vn.phan_tram,
}


class TemplateLimit(Exception):
    """A template went over one of :mod:`docgen.limits` (or was cancelled); ``code`` is stable."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


def _n(number: int) -> str:
    """A number as Vietnamese write it: 1.000.000."""
    return f"{number:,}".replace(",", ".")


def _too_big(size: int, what: str = "một chuỗi hoặc danh sách") -> TemplateLimit:
    return TemplateLimit(
        "template_value_size",
        f"Mẫu tạo {what} dài {_n(size)} (ký tự hoặc phần tử), quá giới hạn {_n(limits.TEMPLATE_VALUE_SIZE)}.",
    )


def check_size(size: int, what: str = "một chuỗi hoặc danh sách") -> None:
    if size > limits.TEMPLATE_VALUE_SIZE:
        raise _too_big(size, what)


def _digits(bits: int) -> int:
    """The decimal digits of a number of ``bits`` bits: what a person counts."""
    return int(bits * 0.30103) + 1


def _check_bits(bits: int) -> None:
    if bits > limits.TEMPLATE_INT_BITS:
        raise TemplateLimit(
            "template_number",
            f"Mẫu tính một số nguyên quá lớn (khoảng {_n(_digits(bits))} chữ số, giới hạn "
            f"{_n(_digits(limits.TEMPLATE_INT_BITS))} chữ số).",
        )


# ---------------------------------------------------------------- the budget of one render


@dataclass
class Budget:
    """What one document's render may still spend; made by :func:`budget` and checked by every hook."""

    deadline: float
    cancel: threading.Event | None = None
    steps: int = 0
    produced: int = 0
    depth: int = 0
    _until_clock: int = field(default=0, repr=False)

    def step(self, weight: int = 1) -> None:
        self.steps += weight
        if self.steps > limits.TEMPLATE_STEPS:
            raise TemplateLimit(
                "template_steps",
                f"Mẫu lặp hoặc gọi hàm quá {_n(limits.TEMPLATE_STEPS)} lần cho một văn bản nên đã dừng "
                "(vòng lặp lồng nhau quá lớn, hoặc macro tự gọi lại mình).",
            )
        self._until_clock -= 1
        if self._until_clock <= 0:
            self._until_clock = 256  # the clock costs more than a counter: read it every 256 steps
            self.check_clock()

    def check_clock(self) -> None:
        if self.cancel is not None and self.cancel.is_set():
            raise TemplateLimit("template_cancelled", "Việc tạo văn bản đã bị hủy.")
        if time.monotonic() > self.deadline:
            raise TemplateLimit(
                "template_time",
                f"Mẫu chạy quá {limits.TEMPLATE_SECONDS:g} giây cho một văn bản nên đã dừng "
                "(vòng lặp quá lớn hoặc macro gọi lặp không dừng).",
            )

    def charge(self, size: int) -> None:
        self.produced += size
        if self.produced > limits.TEMPLATE_PRODUCED:
            raise TemplateLimit(
                "template_produced",
                f"Mẫu tạo ra quá {_n(limits.TEMPLATE_PRODUCED)} ký tự (kể cả chuỗi trung gian) cho một "
                "văn bản nên đã dừng.",
            )


_BUDGET: contextvars.ContextVar[Budget | None] = contextvars.ContextVar("docgen_template_budget", default=None)


def budget(cancel: threading.Event | None = None, seconds: float | None = None) -> Budget:
    """A fresh budget for one document; ``cancel``: set it to stop the render (e.g. the client left)."""
    return Budget(time.monotonic() + (limits.TEMPLATE_SECONDS if seconds is None else seconds), cancel)


class running:
    """``with running(b):`` — templates rendered inside spend ``b`` (per thread: a context variable)."""

    def __init__(self, b: Budget):
        self.budget = b

    def __enter__(self) -> Budget:
        self.token = _BUDGET.set(self.budget)
        return self.budget

    def __exit__(self, *exc) -> None:
        _BUDGET.reset(self.token)


def _charge(value) -> None:
    if isinstance(value, (str, list, tuple, dict, set, frozenset, bytes, bytearray)):
        size = len(value)
        check_size(size)
        b = _BUDGET.get()
        if b is not None:
            b.charge(size)


# ---------------------------------------------------------------- sizes of operations, before they run

_PRINTF = re.compile(r"%(?:\([^)]*\))?[#0\- +]*(\*|\d+)?(?:\.(\*|\d+))?[hlL]?([a-zA-Z%])")
_DIGITS = re.compile(r"\d+")


def _check_printf(template: str) -> None:
    """``"%0999999999d" % 1``: widths and precisions of printf-style formatting, before it runs."""
    for m in _PRINTF.finditer(template):
        for number in m.group(1, 2):
            if number == "*":
                raise TemplateLimit(
                    "template_unsafe", "Mẫu dùng độ rộng “*” trong định dạng %; hãy ghi độ rộng bằng số."
                )
            if number and (len(number) > 9 or int(number) > limits.TEMPLATE_VALUE_SIZE):
                raise _too_big(int(number) if len(number) <= 18 else 10**18, "một chuỗi định dạng")


def _check_format_spec(spec: str) -> None:
    """``"{:>999999999}"``: every number of a format spec (width, precision), after nested fields are filled."""
    for number in _DIGITS.findall(spec):
        if len(number) > 9 or int(number) > limits.TEMPLATE_VALUE_SIZE:
            raise _too_big(int(number) if len(number) <= 18 else 10**18, "một chuỗi định dạng")


def _length(value) -> int:
    return len(value) if isinstance(value, (str, bytes, bytearray, list, tuple)) else len(str(value))


def _binop_size(operator: str, left, right) -> None:
    if operator == "*":
        if isinstance(left, int) and not isinstance(right, int):
            left, right = right, left
        if isinstance(left, (str, bytes, list, tuple)) and isinstance(right, int):
            check_size(len(left) * max(right, 0))
        elif isinstance(left, int) and isinstance(right, int):
            _check_bits(left.bit_length() + right.bit_length())
    elif operator == "**":
        if isinstance(left, int) and isinstance(right, int) and right > 0 and abs(left) > 1:
            _check_bits(right * (abs(left).bit_length() - 1) + 1)
    elif operator == "+":
        if isinstance(left, (str, bytes, list, tuple)) and isinstance(right, (str, bytes, list, tuple)):
            check_size(len(left) + len(right))
    elif operator == "%" and isinstance(left, str):
        _check_printf(left)


def _int_arg(args, kwargs, index: int, name: str, default=0):
    value = args[index] if len(args) > index else kwargs.get(name, default)
    return value if isinstance(value, int) else default


def method_size(obj, args, kwargs):
    """Size a method of a string (or number) that can make a huge value; returns the args to call with."""
    owner, name = getattr(obj, "__self__", None), getattr(obj, "__name__", "")
    if isinstance(owner, (str, bytes, bytearray)):
        n = len(owner)
        if name in ("center", "ljust", "rjust", "zfill"):
            check_size(max(n, _int_arg(args, kwargs, 0, "width")))
        elif name == "expandtabs":
            tab = "\t" if isinstance(owner, str) else b"\t"
            check_size(n + owner.count(tab) * max(_int_arg(args, kwargs, 0, "tabsize", 8), 0))
        elif name == "join" and args:
            items = list(args[0])
            check_size(sum(_length(x) for x in items) + n * max(len(items) - 1, 0))
            args = (items, *args[1:])
        elif name == "replace" and len(args) >= 2 and hasattr(args[0], "__len__") and hasattr(args[1], "__len__"):
            old, new = args[0], args[1]
            count = _int_arg(args, kwargs, 2, "count", -1)
            hits = owner.count(old) if len(old) else n + 1
            if count >= 0:
                hits = min(hits, count)
            check_size(n + hits * max(len(new) - len(old), 0))
        elif name == "translate" and args and isinstance(args[0], dict):
            longest = max((_length(v) for v in args[0].values() if v is not None), default=1)
            check_size(n * max(longest, 1))
    elif isinstance(owner, int) and name == "to_bytes":
        check_size(_int_arg(args, kwargs, 0, "length", 1))
    return args


# ---------------------------------------------------------------- filters: the same, bounded


def _filter_size(name: str, args: tuple, kwargs: dict) -> tuple:
    """Size the filters whose result can be far larger than their input, before they run; the
    arguments to call with (a generator given to ``join`` is read once, here)."""
    value = args[0] if args else None
    if name == "center":
        check_size(max(_length(value), _int_arg(args, kwargs, 1, "width", 80)))
    elif name == "indent":
        width = args[1] if len(args) > 1 else kwargs.get("width", 4)
        width = len(width) if isinstance(width, str) else width if isinstance(width, int) else 4
        text = str(value)
        check_size(len(text) + (text.count("\n") + 1) * max(width, 0))
    elif name == "format":
        _check_printf(str(value))
    elif name == "join":
        items = list(value) if not isinstance(value, str) else value
        sep = args[1] if len(args) > 1 else kwargs.get("d", "")
        by_attribute = (args[2] if len(args) > 2 else kwargs.get("attribute")) is not None
        check_size((0 if by_attribute else sum(_length(x) for x in items)) + _length(sep) * max(len(items) - 1, 0))
        args = (items, *args[1:])
    elif name == "replace":
        text = str(value)
        old = str(args[1] if len(args) > 1 else kwargs.get("old", ""))
        new = str(args[2] if len(args) > 2 else kwargs.get("new", ""))
        hits = text.count(old) if old else len(text) + 1
        count = args[3] if len(args) > 3 else kwargs.get("count")
        if isinstance(count, int):
            hits = min(hits, max(count, 0))
        check_size(len(text) + hits * max(len(new) - len(old), 0))
    elif name in ("batch", "slice"):
        check_size(_int_arg(args, kwargs, 1, "linecount" if name == "batch" else "slices", 1))
    elif name == "wordwrap":
        text = str(value)
        width = max(_int_arg(args, kwargs, 1, "width", 79), 1)
        wrap = args[3] if len(args) > 3 else kwargs.get("wrapstring")
        lines = len(text) // width + text.count("\n") + 1
        check_size(len(text) + lines * (len(wrap) if isinstance(wrap, str) else 1))
    elif name == "urlize":
        text = str(value)
        extra = sum(len(str(kwargs.get(k) or "")) for k in ("target", "rel")) + 40
        check_size(len(text) * 2 + (len(text) // 2 + 1) * extra)
    elif name == "tojson":
        indent = args[1] if len(args) > 1 else kwargs.get("indent")
        if isinstance(indent, int) and indent > 16:
            raise TemplateLimit("template_value_size", "Bộ lọc tojson: thụt lề (indent) tối đa là 16.")
    return args


def _linear_sum(iterable, start=0):
    """``sum`` of lists or tuples in linear time (Python's adds them one by one, quadratic)."""
    items = list(iterable)
    if isinstance(start, (list, tuple)):
        out = list(start)
        for item in items:
            out.extend(item)
            check_size(len(out))
        return type(start)(out)
    return sum(items, start)


def _bounded_filter(name: str, func):
    pass_arg = _PassArg.from_obj(func)
    lead = 0 if pass_arg is None else 1  # context / eval_ctx / environment comes first

    def bounded(*args, **kwargs):
        head, rest = args[:lead], args[lead:]
        b = _BUDGET.get()
        if b is not None:
            b.step()
        if name == "sum":
            value = rest[0] if rest else ()
            attribute = rest[1] if len(rest) > 1 else kwargs.get("attribute")
            start = rest[2] if len(rest) > 2 else kwargs.get("start", 0)
            if isinstance(start, (list, tuple)):
                if attribute is not None:
                    value = map(make_attrgetter(head[0], attribute), value)
                result = _linear_sum(value, start=start)
                _charge(result)
                return result
        rest = _filter_size(name, rest, kwargs)
        result = func(*head, *rest, **kwargs)
        _charge(result)
        return result

    update_wrapper(bounded, func)
    return bounded


# ---------------------------------------------------------------- the environment


class _BoundedFormatter(SandboxedFormatter):
    def format_field(self, value, format_spec):
        _check_format_spec(format_spec)
        return super().format_field(value, format_spec)


class _BoundedEscapeFormatter(SandboxedEscapeFormatter):
    def format_field(self, value, format_spec):
        _check_format_spec(format_spec)
        return super().format_field(value, format_spec)


def _range(*args):
    """``range()`` with at most :data:`~docgen.limits.TEMPLATE_RANGE` items."""
    items = range(*args)
    if len(items) > limits.TEMPLATE_RANGE:
        raise TemplateLimit(
            "template_range",
            f"range(...) có {_n(len(items))} phần tử, quá giới hạn {_n(limits.TEMPLATE_RANGE)} của một vòng lặp.",
        )
    return items


class _Counted:
    """A loop's iterable: each item spends one step, and the loop body's own text, before it is used."""

    def __init__(self, iterable, body_size: int):
        self.iterable = iterable
        self.body_size = body_size

    def __len__(self):
        return len(self.iterable)  # TypeError for an unsized one: LoopContext then counts as it goes

    def __iter__(self):
        b = _BUDGET.get()
        if b is None:
            yield from self.iterable
            return
        for item in self.iterable:
            b.step()
            b.charge(self.body_size)
            yield item


def _loop(iterable, body_size=0):
    return _Counted(iterable, body_size)


def _out(value):
    """Each ``{{ … }}`` written out is charged (inside a ``{% set %}`` block or a macro it is collected
    before being joined: charging it here bounds that too)."""
    b = _BUDGET.get()
    if b is not None:
        b.charge(len(value) if isinstance(value, str) else len(str(value)))
    return value


@pass_eval_context
def _concat(eval_ctx, items):
    """``a ~ b ~ c``, sized before it joins (Jinja's own join, with its escaping)."""
    check_size(sum(_length(x) for x in items))
    result = markup_join(items) if eval_ctx.autoescape else str_join(items)
    _charge(result)
    return result


_HOOK_FILTERS = {"dg_loop": _loop, "dg_out": _out, "dg_concat": _concat}


# A macro call costs Jinja about ten loop iterations' time (arguments, a new frame, its output joined).
_MACRO_WEIGHT = 10


class Sandbox(ImmutableSandboxedEnvironment):
    """docgen's one Jinja environment: sandboxed, immutable, autoescaped, strict, bounded."""

    intercepted_binops = frozenset({"*", "**", "+", "%"})

    def __init__(self):
        super().__init__(autoescape=True, undefined=StrictUndefined)
        self.filters.update(FILTERS)
        self.filters = {name: _bounded_filter(name, f) for name, f in self.filters.items()}
        self.filters.update(_HOOK_FILTERS)
        self.globals["range"] = _range
        self.globals.pop("lipsum", None)  # placeholder text (lipsum(n=10**9) makes gigabytes); no use in a document

    # ------------------------------------------------------------ hooks

    def call_binop(self, context, operator, left, right):
        _binop_size(operator, left, right)
        result = self.binop_table[operator](left, right)
        _charge(result)
        return result

    def call(__self, __context, __obj, *args, **kwargs):  # noqa: N805 (Jinja's own signature)
        b = _BUDGET.get()
        if b is not None:
            b.step(_MACRO_WEIGHT if isinstance(__obj, Macro) else 1)
        if isinstance(__obj, LoopContext) and args:  # loop(children) in a recursive loop
            args = (_Counted(args[0], getattr(__obj._iterable, "body_size", 0)), *args[1:])
        args = method_size(__obj, args, kwargs)
        nested = b is not None and isinstance(__obj, (Macro, LoopContext))
        if nested:
            b.depth += 1
            if b.depth > limits.TEMPLATE_CALL_DEPTH:
                raise TemplateLimit(
                    "template_depth",
                    f"Mẫu gọi macro lồng nhau quá {limits.TEMPLATE_CALL_DEPTH} tầng "
                    "(macro tự gọi lại mình mà không dừng?).",
                )
        try:
            result = super().call(__context, __obj, *args, **kwargs)
        finally:
            if nested:
                b.depth -= 1
        _charge(result)
        return result

    def wrap_str_format(self, value):
        """``str.format``/``format_map`` as Jinja's sandbox wraps them, with every width and precision
        sized before formatting."""
        wrapped = super().wrap_str_format(value)
        if wrapped is None:
            return None
        owner = value.__self__
        formatter = (
            _BoundedEscapeFormatter(self, escape=owner.escape) if isinstance(owner, Markup) else _BoundedFormatter(self)
        )
        is_map, str_type = value.__name__ == "format_map", type(owner)

        def bounded(*args, **kwargs):
            if is_map:
                if kwargs or len(args) != 1:
                    raise TypeError("format_map() nhận đúng một đối số (một từ điển)")
                args, kwargs = (), args[0]
            return str_type(formatter.vformat(owner, args, kwargs))

        return update_wrapper(bounded, value)

    # ------------------------------------------------------------ compiling

    def compile(self, source, name=None, filename=None, raw=False, defer_init=False):
        if isinstance(source, str):
            source = self._parse(source, name, filename)
        return super().compile(_bound(source), name, filename, raw, defer_init)


def environment() -> Sandbox:
    """The one Jinja environment: sandboxed (templates cannot reach Python internals, files or the
    network), bounded (:mod:`docgen.limits`), autoescaped (& < > in data stay text), strict (an unknown
    variable is an error), with the Vietnamese filters."""
    return Sandbox()


# ---------------------------------------------------------------- rewriting the parsed template

# docxtpl's escapes for literal Jinja delimiters typed in a template ("{_{" prints "{{"). docxtpl applies
# them to the rendered XML, data included; here they apply to the template's own text only.
_LITERAL_DELIMITERS = re.compile(r"\{_\{|\}_\}|\{_%|%_\}")
_LITERAL = {"{_{": "{{", "}_}": "}}", "{_%": "{%", "%_}": "%}"}
_LOADERS = (nodes.Include, nodes.Import, nodes.FromImport, nodes.Extends)


def _bound(template: nodes.Template) -> nodes.Template:
    """The parsed template with the hooks the sandbox has no place for (see the module's docstring)."""
    for node in template.find_all(_LOADERS):
        raise TemplateSyntaxError(
            "mẫu của docgen là một tệp Word duy nhất nên không dùng được include, import, extends",
            node.lineno,
        )
    for node in template.find_all(nodes.TemplateData):
        node.data = _LITERAL_DELIMITERS.sub(lambda m: _LITERAL[m.group()], node.data)
    for node in list(template.find_all(nodes.For)):
        node.iter = _hook("dg_loop", node.iter, nodes.Const(_static_size(node.body)))
    for node in list(template.find_all(nodes.Output)):
        node.nodes = [n if isinstance(n, nodes.TemplateData) else _hook("dg_out", n) for n in node.nodes]
    _replace_concat(template)
    return template


def _hook(name: str, node, *args) -> nodes.Filter:
    return nodes.Filter(node, name, list(args), [], None, None, lineno=node.lineno)


def _static_size(body: list) -> int:
    """Characters of template text one pass of a loop body writes (nested loops and macros count their own)."""
    size = 0
    stack = list(body)
    while stack:
        node = stack.pop()
        if isinstance(node, nodes.TemplateData):
            size += len(node.data)
        elif not isinstance(node, (nodes.For, nodes.Macro, nodes.CallBlock)):
            stack.extend(node.iter_child_nodes())
    return size


def _replace_concat(node) -> None:
    """``a ~ b`` → ``[a, b] | dg_concat``, everywhere in the tree."""
    for name, value in node.iter_fields():
        if isinstance(value, nodes.Node):
            if isinstance(value, nodes.Concat):
                setattr(node, name, _concat_node(value))
            _replace_concat(getattr(node, name))
        elif isinstance(value, list):
            for i, item in enumerate(value):
                if isinstance(item, nodes.Concat):
                    value[i] = _concat_node(item)
                if isinstance(value[i], nodes.Node):
                    _replace_concat(value[i])


def _concat_node(node: nodes.Concat) -> nodes.Filter:
    return _hook("dg_concat", nodes.List(node.nodes, lineno=node.lineno))


# ---------------------------------------------------------------- what a template raised, in Vietnamese


def explain(exc: BaseException) -> tuple[str, str]:
    """``(code, message)`` for an exception raised while compiling or rendering a template."""
    if isinstance(exc, TemplateLimit):
        return exc.code, exc.message
    if isinstance(exc, SecurityError):
        return "template_unsafe", (
            "Mẫu dùng một thao tác không được phép trong môi trường an toàn (gọi một hàm, đọc một thuộc tính ẩn)."
        )
    if isinstance(exc, UndefinedError):
        return "template_undefined", f"Mẫu dùng một biến hoặc thuộc tính không có{jinja_detail(exc.message)}."
    if isinstance(exc, TemplateSyntaxError):
        return "jinja_syntax", f"Mẫu có lỗi cú pháp Jinja{jinja_detail(exc.message)}."
    if isinstance(exc, RecursionError):
        return "template_depth", (
            "Mẫu lồng nhau quá sâu (một macro tự gọi lại mình, hoặc một biểu thức có quá nhiều ngoặc lồng nhau)."
        )
    if isinstance(exc, MemoryError):
        return "template_value_size", "Mẫu cần quá nhiều bộ nhớ (một chuỗi hoặc danh sách quá lớn)."
    if isinstance(exc, SyntaxError):  # Python's compiler: e.g. more than 20 blocks nested inside each other
        return "jinja_syntax", "Mẫu lồng quá nhiều khối vào nhau (hơn 20 khối “if”, “for” … trong nhau)."
    if isinstance(exc, ZeroDivisionError):
        return "template_error", "Mẫu chia một số cho 0."
    if isinstance(exc, OverflowError):
        return "template_number", "Mẫu tính một số quá lớn."
    if isinstance(exc, TemplateError):
        return "template_error", f"Mẫu có lỗi khi điền{jinja_detail(exc.message or str(exc))}."
    return "template_error", "Mẫu có lỗi khi điền (một phép tính hay bộ lọc không dùng được với giá trị này)."


# Jinja's messages (English) that a template's author meets, in Vietnamese; any other is not shown to her
# (``docgen template check`` names what is wrong, with the paragraph).
_JINJA = [
    (
        r"Unexpected end of template\. Jinja was looking for the following tags: .*The innermost block that needs to "
        r"be closed is '(\w+)'\.",
        lambda m: f"mẫu hết mà khối “{m[1]}” chưa có thẻ đóng “{{% end{m[1]} %}}”",
    ),
    (r"Encountered unknown tag '(\w+)'.*", lambda m: f"không có thẻ “{{% {m[1]} %}}”"),
    (r"unexpected '(.+?)'", lambda m: f"có “{m[1]}” không đúng chỗ"),
    (r"expected token '(.+?)', got '(.+?)'", lambda m: f"có “{m[2]}” không đúng chỗ"),
    (r"Expected an expression, got '(.+?)'", lambda m: "thiếu biểu thức (tên biến, giá trị) sau từ khóa"),
    (r"tag name expected", lambda m: "thiếu tên thẻ sau “{%”"),
    (r"block '(.+?)' defined twice", lambda m: f"khối “{m[1]}” được đặt tên hai lần"),
    (r"'(.+?)' is undefined", lambda m: f"“{m[1]}” không có"),
    (r"'(.+?)' has no attribute '(.+?)'", lambda m: f"“{m[1]}” không có thuộc tính “{m[2]}”"),
    (r"no filter named '(.+?)'", lambda m: f"không có bộ lọc “{m[1]}”"),
    (r"no test named '(.+?)'", lambda m: f"không có phép thử “{m[1]}”"),
]


def jinja_detail(message: str | None) -> str:
    """`` (…)`` with what Jinja's message says, in Vietnamese, or "" when it is not one of those known."""
    for pattern, say in _JINJA:
        m = re.fullmatch(pattern, (message or "").strip(), re.S)
        if m:
            return f" ({say(m)})"
    return ""
