"""The outline of a document's body: label styles read from the text, their levels inferred, the tree built.

A numbered paragraph's label has a *style* ("I.", "A -", "1.", "1.1.", "a)", "(1)", "Bước 1:", "Điều 1.") and a
typed number. The levels come from the order in which styles open and close, not from where a style first
appears: a style first seen inside another is deeper; a style that is open closes what was opened after it
(a sibling); a style seen before as an ancestor of the open one closes it ("returns to its level"). The
scheme (``danh_so``) is the styles in depth order — an item whose style lies deeper than one below its
parent names its level (``cap``), as a plan numbered I. → A. → 1. puts its "1." items straight under "I." in
one part. Bullets ("-", "+", "*", "•" …) the same way, by mark (``dau_dong``).

Typed numbers are checked against what the document itself says — the previous sibling's number, the
parent's number inside a compound one — and only a break in that is reported, with the number the engine
will print; numbers that only follow an earlier slip are not reported again. Every label's old and new
form is kept for ``docgen import --report``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .. import outline, richtext
from ..content import Writer
from ..errors import Problems, join_path
from ..profile import load_profile
from .source import Line, Report, ends_sentence

HEADING_MAX_CHARS = 200  # a numbered line longer than this is a running paragraph (doan)
MAX_LEVELS = 6  # the schema's limit for danh_so

LABEL = re.compile(
    r"^(?P<lead>\*{0,3})"
    r"(?:(?P<paren>\()|(?P<word>(?:" + "|".join(outline.LABEL_WORDS) + r")\s+))?"
    r"(?P<num>[IVXLCDM]+|[A-ZĐ]|[a-zđ]|\d{1,3}(?:\.\d{1,3})*)"
    r"(?P<suffix>\.(?!\d)|\)|:|/|\s?[-–—‑](?=\s)|)"
    r"(?:\s+|(?=\*))"
)
BULLET = re.compile(r"^(?P<mark>[-+•–−▪◦●➢✓]|\\?\*(?!\*))(?P<gap>\s*)")
BULLET_MARKS = {"−": "-", "\\*": "*", "▪": "•", "◦": "•", "●": "•", "➢": "•", "✓": "•"}
ALLOWED_MARKS = ("-", "+", "*", "•", "–")  # the schema's dau_dong
MARK_RANK = {"-": 0, "–": 0.5, "+": 1, "*": 2, "•": 3}
UPPER = outline.VN_LETTERS.upper()
LATIN = "abcdefghijklmnopqrstuvwxyz"


# ---------------------------------------------------------------- labels


@dataclass(frozen=True)
class Label:
    key: str  # the style: "I.", "A-", "1.1.", "(1)", "Bước 1:" (dashes and the space before them unified)
    example: str  # the style as the scheme writes it, as first typed: "A -"
    kind: str  # roman | upper | lower | arabic | heading (a .docx heading without a number)
    numbers: tuple[int, ...]  # the typed number: (2,) for "II.", (2, 3) for "2.3."
    typed: str  # the label as typed: "2.3.", "A -", "b)"
    rest: str  # the paragraph after the label (markup)
    letter: str = ""  # a typed letter, for the alphabet check
    alt: Label | None = None  # "C." is a letter after "B." but Roman 100 at the start: the other reading


def parse_label(text: str) -> Label | None:
    """The label opening a paragraph (markup or plain words), or None."""
    m = LABEL.match(text)
    if not m:
        return None
    num, suffix = m.group("num"), m.group("suffix")
    paren, word = m.group("paren"), m.group("word")
    if paren and suffix != ")" or word and suffix not in (".", ":"):
        return None
    if not suffix and "." not in num:
        return None  # "2 đồng chí": a number without a suffix is a label only when compound ("1.1 Mục")
    prefix = "(" if paren else (word.split()[0] + " " if word else "")
    dash = suffix.strip() in ("-", "–", "—", "‑")
    key_suffix = "-" if dash else suffix
    example_suffix = (" -" if suffix[:1].isspace() else "-") if dash else suffix
    typed = (m.group(0)[len(m.group("lead")) :]).strip()
    rest = m.group("lead") + text[m.end() :]

    def make(kind: str, counter: str, numbers: tuple[int, ...], letter: str = "", alt=None) -> Label | None:
        example = prefix + counter + example_suffix
        if outline.parse_level(example) is None:
            return None
        return Label(prefix + counter + key_suffix, example, kind, numbers, typed, rest, letter, alt)

    if num[0].isdigit():
        if any(not re.fullmatch(r"[1-9]\d?", p) for p in num.split(".")[1:]):
            return None  # "1.000 đảng viên", "2.05": a number, not a label
        parts = tuple(int(p) for p in num.split("."))
        return make("arabic", "1" + ".1" * (len(parts) - 1), parts)
    if num.islower():
        if paren and num == "i":
            return None  # "(i) …; (ii) …": an enumeration in Roman numerals, written in the text

        value = outline.VN_LETTERS.find(num) + 1 or LATIN.find(num) + 1
        return make("lower", "a", (value,), num)
    roman = _roman_value(num)
    letter = make("upper", "A", (UPPER.find(num) + 1 or LATIN.upper().find(num) + 1,), num) if len(num) == 1 else None
    if roman is None:
        return letter
    return make("roman", "I", (roman,), alt=letter)


def _roman_value(text: str) -> int | None:
    values = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}
    if not set(text) <= set(values):
        return None
    total = 0
    for i, c in enumerate(text):
        v = values[c]
        total += -v if i + 1 < len(text) and values[text[i + 1]] > v else v
    return total if 0 < total < 400 and outline.roman(total) == text else None


def parse_bullet(text: str) -> tuple[str, str] | None:
    """``(mark, rest)`` of a bullet line ("- …", "+ …", "• …", "* …"; "-Tập thể" too), or None."""
    m = BULLET.match(text)
    if not m:
        return None
    rest = text[m.end() :]
    if not rest or rest[0] in "-–−" or (not m.group("gap") and not (rest[0].isupper() or rest[0] in '“"(')):
        return None
    if m.group("mark").endswith("*") and not m.group("gap"):
        return None  # "*nghiêng*" is emphasis, "* mục" a bullet
    return BULLET_MARKS.get(m.group("mark"), m.group("mark")), rest


def _same_label(a: str, b: str) -> bool:
    return re.sub(r"\s*[-–—‑]", "-", a) == re.sub(r"\s*[-–—‑]", "-", b)


# ---------------------------------------------------------------- the tree


@dataclass(eq=False)
class _Node:
    key: str
    item: dict
    label: Label
    parent: _Node | None
    line: Line
    container: list  # the list the item is in
    prev: _Node | None = None  # the previous item of the same style under the same parent
    later: bool = False  # an item of the same style follows under the same parent


@dataclass(eq=False)
class _Mark:
    key: str
    item: dict
    parent: _Mark | None


@dataclass
class Row:
    """One numbered item in ``docgen import --report``."""

    line: Line
    typed: str
    printed: str
    text: str
    item: dict
    path: str = ""  # JSON path of the item in the data, once made


@dataclass
class _Relations:
    """How often each style was seen inside each other one."""

    above: dict[str, dict[str, int]] = field(default_factory=dict)  # style → {ancestor style: count}
    order: list[str] = field(default_factory=list)  # styles in the order first seen

    def see(self, key: str, ancestors) -> None:
        if key not in self.order:
            self.order.append(key)
        counts = self.above.setdefault(key, {})
        for a in ancestors:
            counts[a] = counts.get(a, 0) + 1

    def shallower(self, a: str, b: str) -> bool:
        """Style ``a`` has been seen above ``b`` more often than below it."""
        return self.above.get(b, {}).get(a, 0) > self.above.get(a, {}).get(b, 0)

    def related(self, a: str, b: str) -> bool:
        return bool(self.above.get(b, {}).get(a) or self.above.get(a, {}).get(b))

    def levels(self, rank) -> list[str]:
        """The styles in depth order: each after every style seen above it; ties by the usual order of
        styles (``rank``), then by first appearance."""
        left, out = list(self.order), []
        while left:
            free = [k for k in left if not any(self.shallower(a, k) for a in left if a != k)] or left
            best = min(free, key=lambda k: (rank(k), self.order.index(k)))
            out.append(best)
            left.remove(best)
        return out


class Outline:
    """Builds ``noi_dung`` from body paragraphs, then settles the scheme (:meth:`finish`)."""

    def __init__(self, report: Report):
        self.report = report
        self.root: list = []
        self.open: list[_Node] = []
        self.marks_open: list[_Mark] = []
        self.nodes: list[_Node] = []
        self.bullets: list[_Mark] = []
        self.styles = _Relations()
        self.mark_styles = _Relations()
        self.examples: dict[str, str] = {}
        self.lines: dict[int, Line] = {}  # id(item) → the line it comes from
        self.typed: dict[str, list[dict]] = {}  # typed compound numbers ("2.3.1") → items, for cross-references
        self.printed: dict[int, str] = {}  # id(item) → the number the engine prints ("3.2.1"), after finish
        self.rows: list[Row] = []
        self.aliases: dict[str, str] = {}  # a style printed in another's (more styles than levels)
        self.depths: dict[str, int] = {}  # how many items were open when a style was first seen
        self.scheme: list[str] = []  # the numbering scheme, once settled (finish)

    @property
    def numbered(self) -> int:
        return len(self.nodes)

    # ------------------------------------------------------------ adding

    def add(self, para: Line) -> None:
        label = parse_label(para.text)
        if label is None and para.heading and para.heading_level:
            label = Label(f"#{para.heading_level}", "", "heading", (), "", para.text)
        if label is not None:
            self._numbered(para, self._resolve(label))
        elif (bullet := parse_bullet(para.text)) is not None:
            self._bullet(para, *bullet)
        else:
            self._plain(para)

    def _resolve(self, label: Label) -> Label:
        """Roman or letter for "C.", "D.", "I.", "V." …: what continues an open item; else Roman for "I."."""
        if label.alt is None:
            return label
        letter = label.alt
        for node in reversed(self.open):
            if node.label.kind == "upper" and node.label.numbers[0] + 1 == letter.numbers[0]:
                return letter
            if node.label.kind == "roman" and node.label.numbers[0] + 1 == label.numbers[0]:
                return label
        return label if label.numbers[0] == 1 else letter

    def _numbered(self, para: Line, label: Label) -> None:
        key = label.key
        if any(n.key == key for n in self.open):
            while self.open[-1].key != key:
                self.open.pop()
            self.open.pop()
        else:
            while self.open and self._returns_above(key, self.open[-1].key):
                self.open.pop()
        parent = self.open[-1] if self.open else None
        self.styles.see(key, [n.key for n in self.open])
        self.depths.setdefault(key, len(self.open))
        self.examples.setdefault(key, label.example)
        kind = "tieu_de" if _is_heading(label, para) else "doan"
        item = {kind: _unwrap_bold(label.rest) if kind == "tieu_de" else label.rest}
        container = parent.item.setdefault("noi_dung", []) if parent else self.root
        container.append(item)
        node = _Node(key, item, label, parent, para, container)
        self.open.append(node)
        self.nodes.append(node)
        self.lines[id(item)] = para
        self.bullets = []
        if len(label.numbers) > 1:
            self.typed.setdefault(".".join(map(str, label.numbers)), []).append(item)

    def _returns_above(self, key: str, top: str) -> bool:
        """Whether the open item of style ``top`` closes before an item of style ``key`` that is not open: the
        document has put ``key`` above ``top`` more often than below; or, never seen together, ``key`` is
        usually the shallower style and stood higher before ("1.2." after "a." is a slip back to "1.1.")."""
        if self.styles.related(key, top):
            return self.styles.shallower(key, top)
        return key in self.depths and _rank(key) < _rank(top) and self.depths[key] < len(self.open)

    def _bullet(self, para: Line, mark: str, text: str) -> None:
        if any(b.key == mark for b in self.bullets):
            while self.bullets[-1].key != mark:
                self.bullets.pop()
            self.bullets.pop()
        else:
            while self.bullets and self.mark_styles.shallower(mark, self.bullets[-1].key):
                self.bullets.pop()
        parent = self.bullets[-1] if self.bullets else None
        self.mark_styles.see(mark, [b.key for b in self.bullets])
        item = {"gach": text}
        container = parent.item.setdefault("noi_dung", []) if parent else self._container()
        container.append(item)
        self.bullets.append(_Mark(mark, item, parent))
        self.marks_open.append(self.bullets[-1])
        self.lines[id(item)] = para

    def _plain(self, para: Line) -> None:
        """A plain paragraph belongs to the current item; one right after a numbered paragraph (doan) that
        does not announce sub-points (":") stands beside it, under the same heading."""
        top = self.open[-1].item if self.open else {}
        if "doan" in top and "noi_dung" not in top and not richtext.plain(top["doan"]).rstrip().endswith(":"):
            self.open.pop()
        self._container().append(Located(para.text, para))
        self.bullets = []

    def _container(self) -> list:
        return self.open[-1].item.setdefault("noi_dung", []) if self.open else self.root

    # ------------------------------------------------------------ the scheme

    def finish(self) -> tuple[list[str] | None, list[str] | None]:
        """Settle levels (``cap`` where a level is skipped), check the typed numbers, and return
        ``(danh_so, dau_dong)`` — None where the document uses the default (or a beginning of it)."""
        order = self._merged(self.styles.levels(_rank), self.styles)
        level = {k: i for i, k in enumerate(order)}
        level.update({k: level[v] for k, v in self.aliases.items()})
        scheme = self._examples(order)
        self._lift(level)
        for node in self.nodes:
            want = level[node.key]
            below = level[node.parent.key] + 1 if node.parent else 0
            if want > below:
                place_key(node.item, "cap", want + 1)
        marks = self.mark_styles.levels(lambda k: MARK_RANK.get(k, 4))
        marks = marks[: len(ALLOWED_MARKS)] if len(marks) > len(ALLOWED_MARKS) else marks
        mark_level = {k: i for i, k in enumerate(marks)}
        for b in self.marks_open:
            want = mark_level.get(b.key, len(marks) - 1)
            below = mark_level.get(b.parent.key, -1) + 1 if b.parent else 0
            if want > below:
                place_key(b.item, "cap", want + 1)
        bullet_marks = self._marks(marks)
        self.scheme = list(scheme)  # the document's own, whole (None below means the default's beginning)
        self._number(scheme, bullet_marks)
        self._check_numbers()
        danh_so = None if tuple(scheme) == outline.DEFAULT_SCHEME[: len(scheme)] else scheme
        dau_dong = None if tuple(bullet_marks) == outline.DEFAULT_BULLETS[: len(bullet_marks)] else bullet_marks
        return danh_so or None, dau_dong or None

    def _lift(self, level: dict[str, int]) -> None:
        """An item whose style proved no deeper than its parent's (the evidence came later in the document) is
        moved out to stand after its parent, with what follows it; then siblings are paired up again."""
        for node in self.nodes:
            while node.parent is not None and level[node.key] <= level[node.parent.key]:
                parent = node.parent
                src = node.container
                i = next(j for j, x in enumerate(src) if x is node.item)
                moved, src[i:] = src[i:], []
                if not src:
                    del parent.item["noi_dung"]
                dst = parent.container
                j = next(k for k, x in enumerate(dst) if x is parent.item)
                dst[j + 1 : j + 1] = moved
                for other in self.nodes:
                    if other.container is src and any(x is other.item for x in moved):
                        other.parent, other.container = parent.parent, dst
        last: dict[tuple[int, str], _Node] = {}
        for node in self.nodes:
            level = outline.parse_level(self.examples.get(node.key, ""))
            at = (0 if level and level.continuous else id(node.parent), node.key)  # "Điều" runs on through parts
            node.prev = last.get(at)
            if node.prev is not None:
                node.prev.later = True
            last[at] = node

    def _merged(self, order: list[str], rel: _Relations) -> list[str]:
        """At most MAX_LEVELS styles: two styles never seen one inside the other, next to each other in depth
        order, share a level (the later one is printed in the earlier one's style — said)."""
        order = list(order)
        while len(order) > MAX_LEVELS:
            pair = next(
                ((a, b) for a, b in zip(order, order[1:]) if not rel.related(a, b) and not a.startswith("#")), None
            )
            if pair is None:
                break
            a, b = pair
            order.remove(b)
            self.aliases[b] = a
            for k, v in self.aliases.items():
                if v == b:
                    self.aliases[k] = a
            first = next(n for n in self.nodes if n.key == b)
            self.report.warn(
                "numbering_styles",
                f"Văn bản dùng hơn {MAX_LEVELS} kiểu đánh số; kiểu “{self.examples[b]}” được in theo kiểu "
                f"“{self.examples[a]}” cùng cấp.",
                first.line,
                first.item,
            )
        deepest = order[MAX_LEVELS - 1] if len(order) > MAX_LEVELS else None
        for key in order[MAX_LEVELS:]:
            # still too many, all nested: the deeper styles stand beside the deepest one the scheme keeps
            self.aliases[key] = deepest
            first = next(n for n in self.nodes if n.key == key)
            self.report.warn(
                "numbering_too_deep",
                f"Văn bản lồng hơn {MAX_LEVELS} cấp đánh số; các mục kiểu “{self.examples[key]}” được đặt ngang "
                f"cấp “{self.examples[deepest]}” và in theo kiểu đó — hãy gộp bớt cấp nếu cần.",
                first.line,
                first.item,
            )
        return order[:MAX_LEVELS]

    def _examples(self, order: list[str]) -> list[str]:
        """The scheme's examples; a level of .docx headings without numbers takes the usual style of its place
        (said once: those headings get a number they did not have)."""
        used = {self.examples[k] for k in order if not k.startswith("#")}
        scheme, unnumbered = [], []
        for i, key in enumerate(order):
            if not key.startswith("#"):
                scheme.append(self.examples[key])
                continue
            choice = next((e for e in outline.DEFAULT_SCHEME[i:] + outline.DEFAULT_SCHEME if e not in used), "1.1.1.")
            used.add(choice)
            scheme.append(choice)
            unnumbered.append(choice)
        if unnumbered:
            headings = [n for n in self.nodes if n.key.startswith("#")]
            self.report.warn(
                "heading_unnumbered",
                f"{len(headings)} đề mục (kiểu Heading của Word) không có số; hệ thống sẽ đánh số chúng theo "
                f"kiểu {', '.join(f'“{e}”' for e in unnumbered)} — nếu không muốn, hãy chuyển chúng thành đoạn "
                "văn thường trong tệp JSON.",
                headings[0].line,
                headings[0].item,
            )
        return scheme

    def _marks(self, marks: list[str]) -> list[str]:
        """The bullet marks by level; a mark the format has no place for is printed as the next usual one."""
        out = []
        for key in marks:
            mark = key if key in ALLOWED_MARKS and key not in out else None
            if mark is None:
                mark = next(m for m in ALLOWED_MARKS if m not in out)
                first = next(b for b in self.marks_open if b.key == key)
                self.report.warn(
                    "bullet_mark",
                    f"Dấu đầu dòng “{key}” được in thành “{mark}” (thể thức dùng “-”, “+”, “*”, “•”).",
                    self.lines[id(first.item)],
                    first.item,
                )
            out.append(mark)
        return out

    def _number(self, scheme: list[str], marks: list[str]) -> None:
        """The numbers the engine will print, by item (the engine's own numbering, so the report is exact)."""
        found = Problems()
        entries = Writer(load_profile(), found).number_outline(self.root, "$", scheme, marks)
        by_path = {e.path: (e.prefix.strip(), e.ref) for e in entries}

        def walk(items, path):
            for i, item in enumerate(items):
                p = join_path(path, i)
                if isinstance(item, dict):
                    if p in by_path:
                        self._printed_label[id(item)], self.printed[id(item)] = by_path[p]
                    walk(item.get("noi_dung", []), join_path(p, "noi_dung"))

        self._printed_label: dict[int, str] = {}
        walk(self.root, "$")

    def _check_numbers(self) -> None:
        latin_said = False
        for node in self.nodes:
            label = node.label
            printed = self._printed_label.get(id(node.item), "")
            self.rows.append(Row(node.line, label.typed, printed, richtext.plain(label.rest), node.item))
            if label.kind == "heading":
                continue
            problem = self._break(node)
            if problem is None:
                continue
            if problem == "latin":
                if not latin_said:
                    latin_said = True
                    self.report.warn(
                        "latin_letters",
                        f"Văn bản đánh chữ cái theo bảng chữ cái Latinh (“{node.prev.label.typed}” rồi "
                        f"“{label.typed}”); hệ thống đánh theo bảng chữ cái tiếng Việt (a, b, c, d, đ, e, g …): "
                        f"mục này in là “{printed}”.",
                        node.line,
                        node.item,
                    )
                continue
            later = " và đánh số lại các mục sau cùng cấp" if node.later else ""
            self.report.warn(
                "numbering_mismatch", f"{problem}; hệ thống sẽ đánh số “{printed}”{later}.", node.line, node.item
            )

    def _break(self, node: _Node) -> str | None:
        """What in the document itself breaks at this item's number (None: it follows from what came before)."""
        label, prev, parent = node.label, node.prev, node.parent
        typed = f"“{label.typed}”"
        if len(label.numbers) > 1 and parent is not None and parent.label.kind != "heading":
            above = _trailing(parent, len(label.numbers) - 1)
            if above is not None and tuple(label.numbers[:-1]) != above:
                return f"Mục có số {typed} nằm dưới mục “{parent.label.typed}”"
        last = label.numbers[-1]
        if prev is None:
            if last != 1:
                under = f"dưới mục “{parent.label.typed}”" if parent else "của phần nội dung"
                return f"Mục có số {typed} là mục đầu tiên {under}"
            return None
        if last == prev.label.numbers[-1] + 1:
            return None
        if label.letter and prev.label.letter:
            p, c = prev.label.letter.lower(), label.letter.lower()
            if LATIN.find(p) >= 0 and LATIN.find(c) == LATIN.find(p) + 1:
                return "latin"
        return f"Mục có số {typed} đứng sau mục “{prev.label.typed}” cùng cấp"

    # ------------------------------------------------------------ after the data is made

    def closing(self, pattern) -> list[str]:
        """Take the closing paragraphs ("Trong quá trình thực hiện …") off the end of the last section."""
        container = self.root
        while container and isinstance(container[-1], dict) and container[-1].get("noi_dung"):
            container = container[-1]["noi_dung"]
        tail = len(container)
        while tail and isinstance(container[tail - 1], str):
            tail -= 1
        start = next((i for i in range(tail, len(container)) if pattern.match(richtext.plain(container[i]))), None)
        if start is None or (start == 0 and container is self.root):
            return []
        closing = container[start:]
        del container[start:]
        return closing


class Located(str):
    """A plain paragraph of the outline that remembers its line (for the data's origin)."""

    line: Line

    def __new__(cls, text: str, line: Line):
        s = super().__new__(cls, text)
        s.line = line
        return s


def _trailing(node: _Node | None, n: int) -> tuple[int, ...] | None:
    """The last ``n`` numbers of the path down to ``node`` as typed ("2.3." under "2." → (2, 3))."""
    out: list[int] = []
    while node is not None and len(out) < n:
        if node.label.kind == "heading":
            return None
        nums = node.label.numbers
        out = list(nums) + out
        for _ in range(len(nums)):
            node = node.parent if node is not None else None
    return tuple(out[-n:]) if len(out) >= n else None


def place_key(item: dict, key: str, value) -> None:
    """Set ``key`` keeping the item's keys in the schema's order (text, cap, ma, noi_dung)."""
    order = ("tieu_de", "doan", "gach", "cap", "ma", "noi_dung")
    item[key] = value
    ordered = {k: item[k] for k in order if k in item}
    item.clear()
    item.update(ordered)


def _unwrap_bold(text: str) -> str:
    """A heading typed all in bold (a converter's "**…**"): the heading's style is bold, the marks go."""
    m = re.fullmatch(r"(\*\*\*?)([^*].*?[^*\\]|[^*])\1", text)
    if m and "**" not in m.group(2) and richtext.parse(m.group(2))[1] == []:
        return m.group(2) if len(m.group(1)) == 2 else f"*{m.group(2)}*"
    return text


def _is_heading(label: Label, para: Line) -> bool:
    """A numbered heading (tieu_de) rather than a numbered running paragraph (doan): what the .docx style
    says; else Roman and capital-letter parts always, other items when short and not ending a sentence."""
    if para.heading is not None:
        return para.heading
    plain = richtext.plain(label.rest).strip()
    return label.kind in ("roman", "upper") or (
        len(plain) <= HEADING_MAX_CHARS and not ends_sentence(plain) and not plain.endswith(",")
    )


def _rank(key: str) -> float:
    """The usual depth of a style, for styles the document never nests one in the other."""
    if key.startswith("#"):
        return int(key[1:]) * 2 - 2.5
    level = outline.parse_level(key)
    word = key.split(" ")[0].capitalize() if " " in key else ""
    if word in ("Phần", "Chương", "Mục"):
        return -1
    if word == "Điều":
        return 1.5
    if word == "Bước":
        return 10.5
    if level is None:
        return 20
    if level.prefix == "(":
        return {"arabic": 11, "lower": 12}.get(level.style, 13)
    return {"roman": 0, "upper": 1, "lower": 10}.get(level.style, 2 + level.depth - 1 + 0.1 * (level.suffix != "."))


# ---------------------------------------------------------------- the side-by-side report


def side_by_side(rows: list[Row], danh_so: list[str] | None, dau_dong: list[str] | None) -> list[str]:
    """Every numbered item's label as typed and as the engine will print it, for ``docgen import --report``."""
    scheme = " → ".join(danh_so or outline.DEFAULT_SCHEME)
    marks = " → ".join(dau_dong or outline.DEFAULT_BULLETS)
    out = [f"Kiểu đánh số (danh_so): {scheme}; dấu đầu dòng (dau_dong): {marks}"]
    if not rows:
        return out + ["Văn bản không có mục đánh số."]
    typed_w = max(len("gốc"), len("(không số)"), *(len(r.typed) for r in rows)) + 2
    printed_w = max(len("tạo lại"), *(len(r.printed) for r in rows)) + 2
    place_w = max(len("vị trí"), *(len(str(r.line.loc)) for r in rows)) + 2
    out.append(f"{'vị trí':<{place_w}}{'gốc':<{typed_w}}   {'tạo lại':<{printed_w}}đề mục")
    changed = 0
    for r in rows:
        differs = r.printed != "" and not _same_label(r.typed, r.printed)
        changed += differs
        text = r.text if len(r.text) <= 70 else r.text[:69] + "…"
        out.append(
            f"{str(r.line.loc):<{place_w}}{r.typed or '(không số)':<{typed_w}}{'≠' if differs else ' ':^3}"
            f"{r.printed:<{printed_w}}{text}"
        )
    out.append(f"{changed} trên {len(rows)} mục đánh số sẽ được in với số khác bản gốc (dấu ≠).")
    return out
