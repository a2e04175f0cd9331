"""Context builders for the parts every party document shares: issuance header, signature, recipients.

They turn the data's ``ban_hanh`` (a :class:`~docgen.header.DocumentHeader`), ``nguoi_ky``, ``noi_nhan``
and ``can_cu`` into what the page shows — upper case where the format wants it, the punctuation of căn cứ
and recipient lines — and report format-rule problems with their paths.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from functools import lru_cache

from markupsafe import Markup, escape

from . import ooxml, vn
from .content import Writer, block, check_literal_markup
from .errors import Problems, join_path
from .header import DocumentHeader
from .profile import load_profile, style_id

# Variables the common parts add to a template's context besides the data's own fields
# (path → (type, Vietnamese description)); listed by `docgen template vars`. Every name the header or the
# signature prints in capitals is also given as typed (``…_nguyen_van``), for a sentence of a variant
# ("… của Đảng ủy phường Tân Phong …").
BLOCK = "khối đoạn văn (đặt trong một đoạn riêng: {{p tên }})"
HEADER_VARS = {
    "ban_hanh.so_ky_hieu": (
        "chuỗi",
        "Số và ký hiệu đã trình bày, ví dụ “Số 15-KH/ĐU” (số dưới 10 có số 0 đứng trước).",
    ),
    "ban_hanh.dia_danh_ngay": ("chuỗi", "Địa danh và ngày tháng, ví dụ “Hồng Quang, ngày 27 tháng 11 năm 2025”."),
    "ban_hanh.cap_tren": ("chuỗi", "Cơ quan cấp trên trực tiếp, đã in hoa."),
    "ban_hanh.cap_tren_nguyen_van": ("chuỗi", "Cơ quan cấp trên trực tiếp, nguyên văn như đã nhập (không in hoa)."),
    "ban_hanh.co_quan_ban_hanh": ("chuỗi", "Cơ quan ban hành, đã in hoa."),
    "ban_hanh.co_quan_ban_hanh_nguyen_van": (
        "chuỗi",
        "Cơ quan ban hành, nguyên văn như đã nhập (không in hoa), để dùng trong câu văn.",
    ),
    "ban_hanh.cot_trai": ("số nguyên", "Số cột lưới của cột trái phần đầu (dùng {% colspan ban_hanh.cot_trai %})."),
    "ban_hanh.cot_phai": ("số nguyên", "Số cột lưới của cột phải, đủ để dòng địa danh, ngày tháng không xuống dòng."),
}
SIGNATURE_VARS = {
    "nguoi_ky.tham_quyen": ("chuỗi", "Thẩm quyền ký đã in hoa, ví dụ “T/M BAN THƯỜNG VỤ”."),
    "nguoi_ky.tham_quyen_nguyen_van": ("chuỗi", "Thẩm quyền ký nguyên văn như đã nhập, ví dụ “T/M Ban Thường vụ”."),
    "nguoi_ky.chuc_vu": ("chuỗi", "Chức vụ người ký đã in hoa."),
    "nguoi_ky.chuc_vu_nguyen_van": ("chuỗi", "Chức vụ người ký nguyên văn như đã nhập, ví dụ “Phó Bí thư”."),
    "nguoi_ky.da_ky": ("true/false", "true: in “(Đã ký)” thay cho chỗ ký."),
    "noi_nhan": ("danh sách chuỗi", "Các dòng nơi nhận đã có “- ” ở đầu, “,” cuối dòng và “.” ở dòng cuối."),
}
ANNEX_VARS = {
    "danh_sach.tieu_de": ("chuỗi", "Tên danh sách kèm theo, in hoa, đã ngắt dòng cân đối."),
    "danh_sach.kem_theo": ("chuỗi", "Dòng “(Kèm theo … số …, ngày … của …)”."),
    "danh_sach.cot_ten": ("chuỗi", "Tiêu đề cột tên (“Họ và tên” hoặc “Tên tổ chức đảng”)."),
    "danh_sach.cot_chuc_vu": ("chuỗi", "Tiêu đề cột chức vụ, đơn vị."),
    "danh_sach.cot_xep_loai": ("chuỗi", "Tiêu đề cột mức xếp loại."),
    "danh_sach.dong": (
        "danh sách dòng",
        "Các dòng của bảng; dòng nhóm có “nhom”, dòng thường có “stt”, “ten”, "
        "“chuc_vu”, “xep_loai”, “ghi_chu” (dùng {%tr for r in danh_sach.dong %}).",
    ),
    "danh_sach.rong": (
        "đối tượng",
        "Độ rộng từng cột (số cột lưới, theo nội dung): “stt”, “ten”, “chuc_vu”, “xep_loai”, “ghi_chu” "
        "(dùng {% colspan danh_sach.rong.ten %}).",
    ),
}

_TRAILING_PUNCT = re.compile(r"[\s;,.:]+$")
_LEADING_DASH = re.compile(r"^\s*[-–•+]\s*")


def so_ky_hieu(so: int | None, ky_hieu: str) -> str:
    """'Số 15-KH/ĐU' (:attr:`DocumentHeader.so_ky_hieu`)."""
    return DocumentHeader(ky_hieu=ky_hieu, number=so).so_ky_hieu


def header(data: dict, kind_code: str, problems: Problems, path: str = "$.ban_hanh") -> DocumentHeader:
    """The document's header from the data's ``ban_hanh``; a ký hiệu that does not start with the kind's code
    ("KH/…" for a plan) is a problem."""
    found = DocumentHeader.from_data(data)
    if found.code != kind_code:
        problems.add(
            join_path(path, "ky_hieu"),
            "ky_hieu_kind",
            f"Ký hiệu “{found.ky_hieu}” phải bắt đầu bằng “{kind_code}/” của loại văn bản này "
            f"(ví dụ “{kind_code}/{found.ky_hieu.split('/', 1)[-1]}”).",
        )
    return found


def nguoi_ky(data: dict) -> dict:
    return {
        "tham_quyen": vn.upper(data["tham_quyen"]) if data.get("tham_quyen") else "",
        "tham_quyen_nguyen_van": data.get("tham_quyen") or "",
        "chuc_vu": vn.upper(data["chuc_vu"]),
        "chuc_vu_nguyen_van": data["chuc_vu"],
        "ho_ten": data["ho_ten"],
        "da_ky": bool(data.get("da_ky", False)),
    }


def noi_nhan(lines: list[str], problems: Problems, path: str = "$.noi_nhan", offset: int = 0) -> list[str]:
    """'- x,' on every line and '- x.' on the last, whatever dashes and punctuation were typed.

    ``offset``: lines the kind added before the data's own (e.g. "Như Điều 3"), for error paths."""
    cleaned = [_TRAILING_PUNCT.sub("", _LEADING_DASH.sub("", line)) for line in lines]
    if cleaned and not cleaned[-1].lower().startswith("lưu"):
        problems.add(
            join_path(path, len(lines) - 1 - offset),
            "noi_nhan_luu",
            "Dòng cuối của Nơi nhận phải là nơi lưu văn bản, ví dụ “Lưu Văn phòng Đảng ủy”.",
        )
    return [f"- {line}{'.' if i == len(cleaned) - 1 else ','}" for i, line in enumerate(cleaned)]


def kinh_gui(profile, lines: list[str]) -> tuple[str, list[str]]:
    """The recipients of a công văn as "Kính gửi" prints them (profile ``kinh_gui``): one recipient
    ``(text, [])``, on the line of "Kính gửi: "; several ``("", ["- A,", "- B."])``, each on its own line under
    it. Dashes and end punctuation typed in the data are replaced (as in Nơi nhận)."""
    style = profile.data["kinh_gui"]
    cleaned = [_TRAILING_PUNCT.sub("", _LEADING_DASH.sub("", line)) for line in lines]
    if len(cleaned) == 1:
        return cleaned[0] + style["single_end"], []
    last = len(cleaned) - 1
    return "", [
        f"{style['prefix']}{t}{style['last_end'] if i == last else style['end']}" for i, t in enumerate(cleaned)
    ]


# Plain fields of the header and the signature that print as typed: converter artefacts in them are worth a
# warning (a heading's or a paragraph's are checked by the outline and the markup).
PRINTED_AS_TYPED = (
    ("ban_hanh", "cap_tren"),
    ("ban_hanh", "co_quan_ban_hanh"),
    ("ban_hanh", "dia_danh"),
    ("nguoi_ky", "tham_quyen"),
    ("nguoi_ky", "chuc_vu"),
    ("nguoi_ky", "ho_ten"),
)


def check_printed_as_typed(data: dict, problems: Problems, lists: tuple[str, ...] = ("noi_nhan",)) -> None:
    """A warning for a literal "**", "[bookmark: …]" … in the header's and the signature's plain fields and in
    the lines of ``lists`` (recipients): almost always left by a copy through a converter."""
    for part, key in PRINTED_AS_TYPED:
        if data.get(part, {}).get(key):
            check_literal_markup(data[part][key], f"$.{part}.{key}", problems)
    for name in lists:
        for i, line in enumerate(data.get(name) or []):
            check_literal_markup(line, f"$.{name}[{i}]", problems)


WHOLE = math.inf  # keep_with_signature: every paragraph of the blocks


def keep_with_signature(context: dict, *keys: str, paragraphs: float | None = None, profile=None) -> None:
    """Keep the end of the body on the page of the signature block that follows it, so that the block never
    stands alone at the top of a page: the last ``paragraphs`` paragraphs of text of the blocks ``keys``
    (dotted context paths, in reading order) — by default the profile's ``pagination.keep_with_signature``
    (with the format's widow control, at least two lines); :data:`WHOLE`: all of them."""
    if paragraphs is None:
        paragraphs = (profile or load_profile()).data["pagination"]["keep_with_signature"]
    for key in reversed(keys):
        *path, name = key.split(".")
        holder = context
        for part in path:
            holder = holder.get(part) or {}
        value = holder.get(name)
        if value and "<w:p" in str(value):
            kept, marked = ooxml.keep_with_next(str(value), paragraphs)
            holder[name] = block(kept)
            if marked is None or marked >= paragraphs:  # a table in between, or enough kept
                return
            paragraphs -= marked


def table_cell(element: str, text: str) -> str:
    """A cell's paragraph of plain text in the element's style (text escaped: a computed or data value)."""
    return ooxml.styled_paragraph(style_id(element), ooxml.run(text))


def bordered_table(profile, table: str, rows: list[list], header_rows: int = 1) -> str:
    """A bordered table a builder prepares (a block of the body), its column widths the profile's
    ``<table>.columns_mm``, its padding, border and alignment the profile's ``table``; the header rows repeat on
    every page and no row splits across pages."""
    look = profile.data["table"]
    return ooxml.table(
        rows,
        [ooxml.mm_to_twips(mm) for mm in profile.data[table]["columns_mm"]],
        header_rows=header_rows,
        borders=True,
        cant_split=True,
        valign=look["valign"],
        margins_mm=look["cell_margin_mm"],
        line=look["border"],
    )


def can_cu(writer: Writer, lines: list[tuple[str, str]], style: dict):
    """Each căn cứ its own paragraph in the kind's style of the format profile (``Profile.can_cu_style``):
    a decision's "- Căn cứ …;" lines with the last ending ",", a plan's without the dash.

    ``lines`` are ``(markup, json_path)`` pairs: data lines with their path, computed lines escaped. A dash
    or end punctuation typed in the data is replaced by the style's (documented normalisation)."""
    out = []
    for i, (line, path) in enumerate(lines):
        end = style["last_end"] if i == len(lines) - 1 else style["end"]
        text = strip_end(_LEADING_DASH.sub("", line))
        out.append(writer.paragraph("doan", text + end, path, prefix=style["prefix"]))
    return block("".join(out))


def citation(profile, doc: dict) -> str:
    """A cited text as official texts cite it (profile ``wording.trich_dan``): "Quy định số 366-QĐ/TW,
    ngày 30/8/2025 của Bộ Chính trị về việc …". ``doc`` is a rule set's ``regulation`` or ``guidance``."""
    title = doc["title"]["text"]
    if not title.startswith("về "):
        title = f"về {title}"
    return profile.wording("trich_dan").format(
        loai=doc["kind"], so=doc["number"], ngay=vn.ngay_so(doc["date"]), co_quan=doc["issuer"], trich_yeu=title
    )


_DATES = (
    re.compile(r"(?<![\d/])(\d{1,2})/(\d{1,2})/(\d{4})(?![\d/])"),  # 27/11/2025
    re.compile(r"ngày (\d{1,2}) tháng (\d{1,2}) năm (\d{4})"),  # ngày 27 tháng 11 năm 2025
)


def cited_dates(text: str) -> list[dt.date]:
    """The dates written in a line of text (a căn cứ, an opening paragraph), in order; impossible ones
    ("31/02/2025") are left out."""
    found = []
    for pattern in _DATES:
        for m in pattern.finditer(text):
            day, month, year = (int(g) for g in m.groups())
            try:
                found.append((m.start(), dt.date(year, month, day)))
            except ValueError:
                continue
    return [d for _, d in sorted(found)]


def check_cited_dates(what: str, day, lines: list[tuple[str, str]], problems: Problems) -> None:
    """A document cannot cite a text issued after it: every date written in its căn cứ (or other citing)
    lines, ``(text, json_path)``, is on or before the document's own date ``day`` (ISO string or date)."""
    if not day:
        return
    own = day if isinstance(day, dt.date) else dt.date.fromisoformat(day)
    for text, path in lines:
        for cited in cited_dates(text):
            if cited > own:
                short = text if len(text) <= 70 else text[:67].rstrip() + "…"
                problems.add(
                    path,
                    "date_order",
                    f"{what} ngày {vn.ngay_so(own)} dẫn văn bản ngày {vn.ngay_so(cited)} (“{short}”): "
                    "văn bản được dẫn không thể ban hành sau văn bản dẫn nó.",
                )


def data_lines(values, path: str) -> list[tuple[str, str]]:
    """``(text, path)`` pairs of a list in the data, for :func:`can_cu`."""
    return [(v, join_path(path, i)) for i, v in enumerate(values or [])]


def strip_end(text: str) -> str:
    """Text without its final punctuation, to be given the punctuation its place needs."""
    # Keep a closing emphasis marker: "… (*nếu có*);" → "… (*nếu có*)".
    return _TRAILING_PUNCT.sub("", text)


def centred(profile, element: str, text: str) -> Markup:
    """A centred heading broken into balanced lines at the element's ``max_line_chars`` (profile), as a
    template value: each line escaped, joined by Word line breaks."""
    lines = balanced_lines(text, profile.element(element)["max_line_chars"], profile.data["title_breaks"]).split("\n")
    return Markup(ooxml.TEXT_LINE_BREAK).join(escape(line) for line in lines)


def centred_within(profile, element: str, text: str, width_mm: float) -> Markup:
    """:func:`centred`, with no line wider than ``width_mm`` in the element's font (a title in a column of the
    header, which would otherwise wrap where Word breaks it): fewer characters a line until every line fits."""
    measure = profile.measurer(element)
    limit = profile.element(element)["max_line_chars"]
    lines = balanced_lines(text, limit, profile.data["title_breaks"]).split("\n")
    while limit > 10 and max(measure(line) for line in lines) > width_mm:
        limit -= 1
        lines = balanced_lines(text, limit, profile.data["title_breaks"]).split("\n")
    return Markup(ooxml.TEXT_LINE_BREAK).join(escape(line) for line in lines)


def balanced_lines(text: str, max_chars: int, costs: dict | None = None) -> str:
    """Break a centred title into the fewest lines of at most ``max_chars``, even in length and broken
    at phrase boundaries, as typists do by hand ("về việc … / của …"); never inside a date or between
    the syllables of an ordinary phrase when a better break exists. Lines are joined with "\n" (a line
    break in Word). ``costs``: the profile's ``title_breaks`` (default: the default profile's).

    The text is kept as typed: lines break only at ordinary spaces (never at a no-break space U+00A0),
    the spaces where a line breaks become the break, every other space stays. A word longer than a line
    stands on a line of its own."""
    if len(text) <= max_chars:
        return text
    costs = costs or load_profile().data["title_breaks"]
    try:
        key = tuple(costs.items())
        hash(key)
    except TypeError:  # a profile's costs that cannot be a key: worked out each time
        return _balanced(text, max_chars, costs)
    return _balanced_once(text, max_chars, key)


@lru_cache(maxsize=1024)
def _balanced_once(text: str, max_chars: int, costs: tuple) -> str:
    """:func:`_balanced`, remembered: the same titles come back in a batch (its decision line, its subject)."""
    return _balanced(text, max_chars, dict(costs))


def _balanced(text: str, max_chars: int, costs: dict) -> str:
    title = _Title(text, max_chars, costs)
    if len(title.words) < 2:
        return text
    first = max(math.ceil(len(text) / max_chars), title.fewest_lines(title.every_gap))
    good = title.fewest_lines(title.good_gaps)
    if good is not None:
        # Fewer lines than `good` need a forbidden break; from there only good breaks can win, so the
        # search may skip the others. A few more lines are tried when unevenness alone is too costly.
        start = max(first, good)
        for n_lines in range(start, min(len(title.words), start + costs["extra_lines"]) + 1):
            found = title.best(n_lines, title.good_gaps)
            if found and found[0] < costs["forbidden"]:
                return title.lines(found[1])
    found = title.best(first, title.every_gap)  # one more line is better than a date or a word split in two
    return title.lines(found[1]) if found else text


# Words a phrase starts with: a line may begin with them without splitting a compound word.
_PHRASE_STARTS = {"của", "về", "đối", "trong", "từ", "đến", "và", "theo", "tại", "cho", "kèm", "năm", "ngày"}
# Two-syllable words of these documents that a line break must not split ("đảng / viên").
_COMPOUNDS = {
    tuple(w.split())
    for w in (
        "đảng viên",
        "chất lượng",
        "xếp loại",
        "kiểm điểm",
        "đánh giá",
        "tập thể",
        "cá nhân",
        "hệ thống",
        "chính trị",
        "tổ chức",
        "cơ sở",
        "nhiệm vụ",
        "lãnh đạo",
        "quản lý",
        "hoàn thành",
        "trực thuộc",
        "dân cư",
        "thường vụ",
        "đảng ủy",
        "đảng bộ",
        "chi bộ",
        "chi ủy",
        "quyết định",
        "tờ trình",
        "kế hoạch",
        "hằng năm",
        "triển khai",
        "công tác",
        "thực hiện",
        "đề nghị",
        "danh sách",
        "phường",
        "xã hội",
        "mặt trận",
        "tổ quốc",
        "bí thư",
        "phê bình",
        "tự phê",
        "ban hành",
        "thành phố",
        "thị xã",
        "cơ quan",
        "đơn vị",
        "đoàn thể",
        "sở đảng",
    )
    if " " in w
}


def _break_cost(before: str, after: str, costs: dict) -> int:
    """What a line break between two words costs (the profile's ``title_breaks``, in squared characters)."""
    b, a = before.lower(), after.lower()
    if before[-1] in ",;:" or after[0] == "(":
        return 0
    if before.isdigit() or b in ("ngày", "tháng", "năm", "số") or (b, a) in _COMPOUNDS:
        return costs["forbidden"]  # inside a date, a number or a word: "tháng / 12", "đảng / viên"
    if a in _PHRASE_STARTS:
        return 0
    if after[0].isupper() and not before[0].isupper():
        return costs["before_name"]  # before a proper name ("… đảng viên / Chi bộ …")
    return costs["bad_break"]


class _Title:
    """A title's words (as character spans of the text) and the cheapest ways to break it into lines.

    :meth:`best` is a dynamic programme over break points: ``cost(start, k)`` — the least unevenness plus
    break costs of laying the words from ``start`` on ``k`` lines — from ``cost(end, k - 1)`` for every
    ``end`` whose line fits. Only states that can be part of an ``n``-line layout are visited (at least
    ``fewest[start]`` lines are needed after ``start`` and ``before[start]`` before it), so for a bounded
    line width the work is linear in the number of words for each line count tried."""

    def __init__(self, text: str, max_chars: int, costs: dict):
        self.text, self.max_chars = text, max_chars
        spans = [m.span() for m in re.finditer(r"[^ ]+", text)]
        self.words = [text[a:b] for a, b in spans]
        w = len(spans)
        # Line from word i to word j - 1: text[start[i]:end[j]] (the first keeps leading spaces, the last trailing).
        self.start = [0] + [a for a, _ in spans[1:]]
        self.end = [0] + [b for _, b in spans[:-1]] + [len(text)]
        self.cost = [0] + [_break_cost(self.words[k - 1], self.words[k], costs) for k in range(1, w)]  # break before k
        self.every_gap = list(range(w))
        self.good_gaps = [0] + [k for k in range(1, w) if self.cost[k] < costs["forbidden"]]
        self._reached: dict[tuple, dict[int, int]] = {}

    def length(self, i: int, j: int) -> int:
        return self.end[j] - self.start[i]

    def fits(self, i: int, j: int) -> bool:
        return j == i + 1 or self.length(i, j) <= self.max_chars

    def _reach(self, gaps: list[int], forward: bool) -> dict[int, int]:
        """Fewest lines to lay the words before (``forward``) or from each break point (memoised: the search
        asks for the same ones again)."""
        key = (id(gaps), forward)
        if key not in self._reached:
            self._reached[key] = self._fewest(gaps, forward)
        return self._reached[key]

    def _fewest(self, gaps: list[int], forward: bool) -> dict[int, int]:
        """Fewest lines from the first point of ``order`` to each point, where it can be reached at all.

        A point is reached from the points whose line to it fits: a window ``order[lo:x]`` (lines grow as
        they start further back; the one-word line always fits), its ``lo`` moving only forward as ``x``
        does. The fewest lines grow along ``order`` and every point before a reached one is reached (cut
        the last line of a layout short), so the window's first point gives the least: one step a point,
        not a scan of the window."""
        w = len(self.words)
        start, end, limit = self.start, self.end, self.max_chars
        points = gaps + [w]
        order = points if forward else list(reversed(points))
        fewest = {order[0]: 0}
        lo = 0
        for x in range(1, len(order)):
            p = order[x]
            if p in fewest:  # a text of no words: its end is its start
                continue
            while lo < x - 1:  # the line from order[lo] to p does not fit: nor does any starting before
                a, b = (order[lo], p) if forward else (p, order[lo])
                if b == a + 1 or end[b] - start[a] <= limit:
                    break
                lo += 1
            if lo == x - 1:  # only the point just before: it fits when it is one word, or short enough
                a, b = (order[lo], p) if forward else (p, order[lo])
                if b != a + 1 and end[b] - start[a] > limit:
                    continue
            q = order[lo]
            if q not in fewest:
                break  # not reached: nor is any point after it
            fewest[p] = fewest[q] + 1
        return fewest

    def fewest_lines(self, gaps: list[int]) -> int | None:
        return self._reach(gaps, True).get(len(self.words))

    def best(self, n_lines: int, gaps: list[int]):
        """``(cost, [(start, end) …])`` of the best ``n_lines``-line layout breaking only at ``gaps``, or None.
        Ties go to the earliest breaks (the same layout the exhaustive search gave)."""
        w = len(self.words)
        target = len(self.text) / n_lines
        before, after = self._reach(gaps, True), self._reach(gaps, False)
        points = gaps + [w]
        index = {p: x for x, p in enumerate(points)}
        # The line counts each start can have: at least after[p] lines after it, before[p] before it.
        starts: list[list[int]] = [[] for _ in range(n_lines + 1)]
        for p in gaps:
            if p in after and p in before:
                low, high = (n_lines, n_lines) if p == 0 else (max(after[p], 1), n_lines - before[p])
                for k in range(low, min(high, n_lines) + 1):
                    starts[k].append(p)
        ends, starts_at, breaks, limit = self.end, self.start, self.cost, self.max_chars
        table: list[dict[int, tuple]] = [{}]  # table[k][start] = (cost, end of its first line) on k lines
        for k in range(1, n_lines + 1):
            solved = table[-1]
            here: dict[int, tuple] = {}
            for p in starts[k]:
                if k == 1:
                    if self.fits(p, w):
                        here[p] = ((self.length(p, w) - target) ** 2, w)
                    continue
                best = None
                for x in range(index[p] + 1, len(points)):
                    end = points[x]
                    length = ends[end] - starts_at[p]
                    if end != p + 1 and length > limit:  # the line from p to end does not fit
                        break
                    rest = solved.get(end)
                    if rest is None:
                        continue
                    cost = (length - target) ** 2 + breaks[end] + rest[0]
                    if best is None or cost < best[0]:
                        best = (cost, end)
                if best is not None:
                    here[p] = best
            table.append(here)
        if 0 not in table[n_lines]:
            return None
        lines, p = [], 0
        for k in range(n_lines, 0, -1):
            end = table[k][p][1]
            lines.append((p, end))
            p = end
        return table[n_lines][0][0], lines

    def lines(self, spans) -> str:
        return "\n".join(self.text[self.start[a] : self.end[b]] for a, b in spans)
