"""Body content: rich text → Word paragraphs, with footnotes, cross-references and the outline.

A :class:`Writer` is made per document. It turns marked-up strings (see :mod:`docgen.richtext`)
into paragraph XML in a profile style, numbers footnotes in order of appearance and renders
their texts, and resolves ``[#ma]`` cross-references to computed outline numbers. Problems
are collected with the JSON path of the string they come from.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from markupsafe import Markup

from . import ooxml, outline, richtext
from .errors import Problem, Problems, join_path
from .profile import Profile, style_id


def block(xml: str) -> Markup:
    """Prepared paragraphs handed to a template's ``{{p … }}`` placeholder (inserted as is)."""
    return Markup(xml)


class RawXml(str):
    """Body XML the engine made itself (a table, dotted lines), placed among outline items.
    Only code creates it: user data never reaches the document as XML."""


class Pieces(tuple):
    """One paragraph's text made of several fields: ``((markup, json_path), …)``, each parsed on its own."""

    def first(self) -> str:
        return self[0][0] if self else ""


class Content(list):
    """Outline items taken from somewhere else in the data: ``path`` is where they are, for problems.
    A Content may also stand as one item of an outline list (its items are walked in its place)."""

    def __init__(self, items, path: str):
        super().__init__(items or [])
        self.path = path


@dataclass
class Writer:
    profile: Profile
    problems: Problems
    footnote_texts: dict = field(default_factory=dict)
    footnotes_path: str = "$.chu_thich"
    xrefs: dict = field(default_factory=dict)
    _footnote_numbers: dict = field(default_factory=dict)

    # ------------------------------------------------------------ text

    def runs(self, source: str, path: str, base: ooxml.RunFormat | None = None, allow_notes: bool = True) -> str:
        tokens, problems = richtext.parse(source)
        for code, message in problems:
            self.problems.add(path, code, message)
        out = []
        for t in tokens:
            if isinstance(t, richtext.Text):
                out.append(ooxml.run(t.text, _emphasis(t.bold, t.italic, base)))
            elif isinstance(t, richtext.CrossRef):
                if t.key in self.xrefs:
                    out.append(ooxml.run(self.xrefs[t.key], _emphasis(t.bold, t.italic, base)))
                else:
                    self.problems.add(
                        path,
                        "xref_undefined",
                        f'Dẫn chiếu [#{t.key}] tới đề mục không có (không đề mục nào có "ma": "{t.key}").',
                    )
            elif not allow_notes:
                self.problems.add(path, "footnote_nested", f"Không đặt chú thích [^{t.key}] trong một chú thích.")
            elif t.key not in self.footnote_texts:
                self.problems.add(
                    path, "footnote_undefined", f"Chú thích [^{t.key}] chưa có nội dung trong mục chu_thich."
                )
            elif t.key in self._footnote_numbers:
                self.problems.add(
                    path, "footnote_reused", f"Chú thích [^{t.key}] được đặt nhiều lần; mỗi chú thích chỉ đặt một chỗ."
                )
            else:
                number = len(self._footnote_numbers) + 1
                self._footnote_numbers[t.key] = number
                out.append(ooxml.footnote_reference_run(number))
        return "".join(out)

    def paragraph(self, element: str, source, path: str, prefix: str = "") -> str:
        """One paragraph in the element's style; ``prefix`` is literal text (a computed number or bullet).
        ``source``: marked-up text, or :class:`Pieces` (each piece's problems are reported at its own path)."""
        lead = ooxml.run(prefix) if prefix else ""
        pieces = source if isinstance(source, Pieces) else [(source, path)]
        return ooxml.styled_paragraph(style_id(element), lead + "".join(self.runs(s, p) for s, p in pieces))

    def dotted(self, lines: int | None = None, label: str = "") -> str:
        """Lines of dots to fill by hand (a dotted tab leader to the margin), the first after ``label``; as many
        as the profile's ``dong_cham.blank_lines`` unless told."""
        lines = self.profile.element("dong_cham")["blank_lines"] if lines is None else lines
        first = (ooxml.run(label) if label else "") + ooxml.tab_run()
        return "".join(
            ooxml.styled_paragraph(style_id("dong_cham"), first if i == 0 else ooxml.tab_run()) for i in range(lines)
        )

    def paragraphs(self, sources, path: str, element: str = "doan") -> Markup:
        return block("".join(self.paragraph(element, s, join_path(path, i)) for i, s in enumerate(sources or [])))

    # ------------------------------------------------------------ footnotes

    def footnotes_xml(self) -> str:
        """Footnote texts in number order; a defined but unused footnote is a problem (nothing dropped)."""
        for key in self.footnote_texts:
            if key not in self._footnote_numbers:
                self.problems.add(
                    join_path(self.footnotes_path, key),
                    "footnote_unused",
                    f"Chú thích “{key}” có nội dung nhưng không được đặt ở đâu trong văn bản ([^{key}]).",
                )
        ordered = sorted(self._footnote_numbers.items(), key=lambda kv: kv[1])
        return "".join(
            ooxml.footnote(n, self.runs(self.footnote_texts[k], join_path(self.footnotes_path, k), allow_notes=False))
            for k, n in ordered
        )

    # ------------------------------------------------------------ outline

    def number_outline(self, items, path: str, scheme=None, bullets=None, scheme_path: str = "$.danh_so"):
        """Number an outline (see the schema's ``muc``) and register its cross-reference targets.

        Returns the entries for :meth:`write_outline`; numbering comes first so that text anywhere
        in the document can refer to any item, while footnotes are still numbered in reading order.
        """
        levels, scheme_problems = outline.parse_scheme(scheme or outline.DEFAULT_SCHEME)
        for i, code, message in scheme_problems:
            self.problems.add(join_path(scheme_path, i), code, message)
        if scheme_problems:
            return []
        entries = list(
            _walk(items or [], path, levels, list(bullets or outline.DEFAULT_BULLETS), self.problems, running={})
        )
        for e in entries:
            if e.key:
                if e.key in self.xrefs:
                    self.problems.add(e.path, "xref_duplicate", f"Mã đề mục “{e.key}” bị trùng.")
                self.xrefs[e.key] = e.ref
        return entries

    def write_outline(self, entries) -> str:
        """The outline's paragraphs (a plain string: wrap with :func:`block` to hand it to a template). A
        paragraph just before a table (the line that introduces it) stays on the table's page."""
        out = []
        for i, e in enumerate(entries):
            if e.element is None:
                out.append(e.text)
                continue
            xml = self.paragraph(e.element, e.text, e.text_path, e.prefix)
            following = entries[i + 1] if i + 1 < len(entries) else None
            if following is not None and following.element is None and following.text.startswith("<w:tbl"):
                xml = ooxml.keep_with_next(xml, 1)[0]
            out.append(xml)
        return "".join(out)


@dataclass
class _Entry:
    element: str | None  # None: ``text`` is ready XML (RawXml)
    text: str
    path: str
    text_path: str
    prefix: str = ""
    key: str | None = None
    ref: str = ""


_ITEM_KINDS = ("tieu_de", "doan", "gach")
# An item the engine builds from a field of another name (a remedy's "van_de" shown as a bullet) names that
# field with this key, so its problems point at it. Data cannot carry it: the schema admits no such key.
TEXT_PATH = "_text_path"


def _walk(items, path, levels, bullets, problems, depth=0, bullet_depth=0, counters=(), running=None):
    """``running``: the counts of levels numbered through the whole document ("Điều 1." … across parts)."""
    count = 0
    counts: dict[int, int] = {}  # items of the same container that skip to a deeper level, by level
    if isinstance(items, Content):
        path = items.path
    for i, item in enumerate(items):
        p = join_path(path, i)
        if isinstance(item, RawXml):
            yield _Entry(None, item, p, p)
            continue
        if isinstance(item, Content):  # items from another place in the data, among engine-made ones
            yield from _walk(item, item.path, levels, bullets, problems, depth, bullet_depth, counters)
            continue
        if isinstance(item, str):
            _check_typed(item, p, problems)
            yield _Entry("doan", item, p, p)
            continue
        kinds = [k for k in _ITEM_KINDS if k in item]
        if len(kinds) != 1:
            problems.add(
                p,
                "outline_item_kind",
                "Mỗi mục phải có đúng một trong “tieu_de” (đề mục), “doan” (đoạn có số) hoặc “gach” "
                f"(gạch đầu dòng); mục này có {len(kinds)}.",
            )
            continue
        kind = kinds[0]
        text_path = item.get(TEXT_PATH) or join_path(p, kind)
        text = item[kind].first() if isinstance(item[kind], Pieces) else item[kind]
        _check_typed(text, text_path, problems)
        if kind == "tieu_de":
            check_literal_markup(richtext.plain(text), text_path, problems)
        children = item.get("noi_dung") or []
        if kind == "gach":
            if "ma" in item:
                problems.add(join_path(p, "ma"), "xref_on_bullet", "Chỉ đề mục có số mới có “ma” để dẫn chiếu.")
            at = _named_level(item, bullet_depth, join_path(p, "cap"), "dau_dong", problems)
            if at >= len(bullets):
                problems.add(
                    p, "outline_too_deep", f"Gạch đầu dòng lồng quá {len(bullets)} cấp ({', '.join(bullets)})."
                )
                continue
            yield _Entry("doan", item[kind], p, text_path, prefix=bullets[at] + " ")
            yield from _walk(
                children, join_path(p, "noi_dung"), levels, bullets, problems, depth, at + 1, counters, running
            )
            continue
        at = _named_level(item, depth, join_path(p, "cap"), "danh_so", problems)
        if at >= len(levels):
            problems.add(
                p,
                "outline_too_deep",
                f"Đề mục lồng quá {len(levels)} cấp của kiểu đánh số ({', '.join(_examples(levels))}).",
            )
            continue
        level = levels[at]
        if level.continuous:
            count_at = running[at] = running.get(at, 0) + 1
        elif at != depth:  # a level skipped: numbered apart from the siblings of the default level
            count_at = counts.setdefault(at, 0) + 1
            counts[at] = count_at
        else:
            count += 1
            count_at = count
        numbers = [*counters, count_at]
        element = level.heading_element if kind == "tieu_de" else "doan"
        yield _Entry(
            element,
            item[kind],
            p,
            text_path,
            prefix=outline.label(level, numbers) + " ",
            key=item.get("ma"),
            ref=outline.number_text(level, numbers),
        )
        yield from _walk(children, join_path(p, "noi_dung"), levels, bullets, problems, at + 1, 0, numbers, running)


def _named_level(item: dict, default: int, path: str, scheme: str, problems: Problems) -> int:
    """The level index of an item: one below its container, or the ``cap`` it names (deeper only)."""
    if "cap" not in item:
        return default
    at = item["cap"] - 1
    if at < default:
        problems.add(
            path,
            "outline_level",
            f"“cap” {item['cap']} không sâu hơn mục chứa nó: mục ở đây ít nhất là cấp {default + 1} của {scheme}.",
        )
        return default
    return at


def _examples(levels):
    return [outline.label(lv, [1] * lv.depth) for lv in levels]


def _check_typed(text: str, path: str, problems: Problems) -> None:
    typed = outline.typed_number(richtext.plain(text))
    if typed:
        problems.add(
            path,
            "typed_numbering",
            f"Không gõ số thứ tự hay dấu đầu dòng “{typed}” ở đầu nội dung: hệ thống tự đánh số theo cấp "
            "lồng nhau. Hãy bỏ “" + typed + "” và đặt mục vào đúng cấp.",
        )


def check_literal_markup(text: str, path: str, problems: Problems) -> None:
    """A warning: a heading or a signature line printing "**", "[bookmark: …]" … is almost always a copy artefact."""
    found = richtext.literal_markup(text)
    if found:
        problems.items.append(
            Problem(
                path,
                "literal_markup",
                f"“{text}” có ký tự “{found}” sẽ được in nguyên văn (thường do sao chép từ một bản chuyển đổi); "
                "hãy xóa nếu không cố ý.",
                severity="warning",
            )
        )


def _emphasis(bold: bool, italic: bool, base: ooxml.RunFormat | None) -> ooxml.RunFormat | None:
    if not (bold or italic) and base is None:
        return None
    b = base or ooxml.RunFormat()
    return ooxml.RunFormat(
        bold=True if bold else b.bold,
        italic=True if italic else b.italic,
        underline=b.underline,
        size=b.size,
        style=b.style,
        font=b.font,
    )
