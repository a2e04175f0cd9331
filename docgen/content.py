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
from .errors import Problems, join_path
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
    """Outline items taken from somewhere else in the data: ``path`` is where they are, for problems."""

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

    def dotted(self, lines: int = 3, label: str = "") -> str:
        """Lines of dots to fill by hand (a dotted tab leader to the margin), the first after ``label``."""
        first = (ooxml.run(label) if label else "") + ooxml.tab_run()
        return "".join(
            ooxml.styled_paragraph(style_id("dong_cham"), first if i == 0 else ooxml.tab_run()) for i in range(lines)
        )

    def table(self, header: list[str], rows: list[list[str]], widths_mm: list[float], centre=()) -> str:
        """A bordered table of plain text (header row repeated on each page); columns in ``centre`` centred."""

        def cell(text, element):
            return ooxml.styled_paragraph(style_id(element), ooxml.run(text) if text else "")

        out = [[cell(h, "bang_tieu_de") for h in header]]
        out += [[cell(v, "bang_so" if i in centre else "bang_o") for i, v in enumerate(row)] for row in rows]
        return ooxml.table(
            out,
            [ooxml.mm_to_twips(w) for w in widths_mm],
            header_rows=1,
            borders=True,
            cant_split=True,
            valign="center",
        ) + ooxml.gap(6)

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
        entries = list(_walk(items or [], path, levels, list(bullets or outline.DEFAULT_BULLETS), self.problems))
        for e in entries:
            if e.key:
                if e.key in self.xrefs:
                    self.problems.add(e.path, "xref_duplicate", f"Mã đề mục “{e.key}” bị trùng.")
                self.xrefs[e.key] = e.ref
        return entries

    def write_outline(self, entries) -> str:
        """The outline's paragraphs (a plain string: wrap with :func:`block` to hand it to a template)."""
        return "".join(
            e.text if e.element is None else self.paragraph(e.element, e.text, e.text_path, e.prefix) for e in entries
        )


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


def _walk(items, path, levels, bullets, problems, depth=0, bullet_depth=0, counters=()):
    count = 0
    if isinstance(items, Content):
        path = items.path
    for i, item in enumerate(items):
        p = join_path(path, i)
        if isinstance(item, RawXml):
            yield _Entry(None, item, p, p)
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
        _check_typed(item[kind].first() if isinstance(item[kind], Pieces) else item[kind], text_path, problems)
        children = item.get("noi_dung") or []
        if kind == "gach":
            if "ma" in item:
                problems.add(join_path(p, "ma"), "xref_on_bullet", "Chỉ đề mục có số mới có “ma” để dẫn chiếu.")
            if bullet_depth >= len(bullets):
                problems.add(
                    p, "outline_too_deep", f"Gạch đầu dòng lồng quá {len(bullets)} cấp ({', '.join(bullets)})."
                )
                continue
            yield _Entry("doan", item[kind], p, text_path, prefix=bullets[bullet_depth] + " ")
            yield from _walk(
                children, join_path(p, "noi_dung"), levels, bullets, problems, depth, bullet_depth + 1, counters
            )
            continue
        if depth >= len(levels):
            problems.add(
                p,
                "outline_too_deep",
                f"Đề mục lồng quá {len(levels)} cấp của kiểu đánh số ({', '.join(_examples(levels))}).",
            )
            continue
        count += 1
        level = levels[depth]
        numbers = [*counters, count]
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
        yield from _walk(children, join_path(p, "noi_dung"), levels, bullets, problems, depth + 1, 0, numbers)


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
