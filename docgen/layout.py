"""Fitting text to the printed page with the print font's widths, where a word processor left to itself
would wrap badly: the two columns of the header (the place-and-date line and the party name each on one
line) and the columns of the annex table (sized from what they hold).

Word and LibreOffice break lines at the same places for the same widths, so measuring the text with the
font's advance widths (:mod:`docgen.fonts`) tells how a line will break. The results reach the template as
numbers of grid columns, through docxtpl's ``{% colspan … %}`` tags on tables whose grid is fine (the
profile's ``grid_mm``): the template stays an ordinary Word table, shown with the profile's default widths.
Every number here (grid, margins, minimum widths, the share of each column) comes from the profile.
"""

from __future__ import annotations

import bisect
import itertools
import math
from functools import lru_cache

from markupsafe import Markup, escape

from . import ooxml
from .header import DocumentHeader
from .profile import Profile

# ---------------------------------------------------------------- the header


def grid_columns(profile: Profile, table: str) -> int:
    spec = profile.data[table]
    return round(spec["width_mm"] / spec["grid_mm"])


def fit_header(profile: Profile, ban_hanh: dict, header: DocumentHeader) -> dict:
    """``ban_hanh`` (the template's view of ``header``) with the header's split in grid columns (``cot_trai``,
    ``cot_phai``).

    The split stays at the profile's ``left_pct`` when everything fits; otherwise it moves so that the right
    column holds the place-and-date line and "ĐẢNG CỘNG SẢN VIỆT NAM" on one line each (issuer names may
    wrap, as they do in printed documents), down to ``min_left_pct`` for the left; a date line too long even
    then is broken after the place ("Phường …,⏎ngày … năm 2025"), never inside the date."""
    spec = profile.data["header_table"]
    n, grid = grid_columns(profile, "header_table"), spec["grid_mm"]
    pad = 2 * spec["cell_margin_mm"] + spec["fit_slack_mm"]
    default = round(n * spec["left_pct"] / 100)
    min_left = math.ceil(n * spec["min_left_pct"] / 100)
    left_texts = [(el, ban_hanh.get(el)) for el in ("cap_tren", "co_quan_ban_hanh", "so_ky_hieu")]
    need_left = max((profile.measure_mm(el, str(t)) for el, t in left_texts if t), default=0) + pad
    party = profile.measure_mm("tieu_de_dang", profile.text("tieu_de_dang"))
    date = str(ban_hanh.get("dia_danh_ngay") or "")

    def columns(lines: list[str]) -> int:
        return math.ceil((max([party] + [profile.measure_mm("dia_danh_ngay", t) for t in lines]) + pad) / grid)

    out = dict(ban_hanh)
    right = columns([date])
    if n - right < min_left and header.place:
        lines = header.place_date_lines()
        right = columns(lines)
        out["dia_danh_ngay"] = Markup(ooxml.TEXT_LINE_BREAK).join(escape(line) for line in lines)
    left_cols = math.ceil(need_left / grid)
    if left_cols + right <= n:
        left = min(max(default, left_cols), n - right)  # as near the default as the two sides allow
    else:
        left = max(min_left, n - right)  # the date line first; the issuer's name may wrap
    out["cot_trai"], out["cot_phai"] = left, n - left
    return out


def left_column_mm(profile: Profile, header: DocumentHeader) -> float:
    """The width the header's left column gives its text (after :func:`fit_header`), for what stands under
    the number (a công văn's "V/v …")."""
    spec = profile.data["header_table"]
    return fit_header(profile, header.context(), header)["cot_trai"] * spec["grid_mm"] - 2 * spec["cell_margin_mm"]


# ---------------------------------------------------------------- table columns


class _Cells:
    """The cells of one element (its size, weight and slant), measured once: the same texts (levels,
    positions, numbers, titles) and the same words (names' syllables) come back row after row and document
    after document. Bounded: forgotten wholesale past ``limit`` entries."""

    def __init__(self, measure, limit: int = 4096):
        self.measure, self.space, self.limit = measure, measure(" "), limit
        self._cells: dict[str, _Cell] = {}
        self._words: dict[str, float] = {}

    def get(self, text: str) -> _Cell:
        cell = self._cells.get(text)
        if cell is None:
            if len(self._cells) >= self.limit:
                self._cells.clear()
            if len(self._words) >= self.limit:
                self._words.clear()
            known, measure = self._words, self.measure
            words = tuple(known.get(w) or known.setdefault(w, measure(w)) for w in text.split())
            space = self.space
            cell = self._cells[text] = _Cell(
                words, space, sum(words) + space * max(0, len(words) - 1), max(words, default=0.0)
            )
        return cell


@lru_cache(maxsize=None)
def _cells(profile: Profile, element: str) -> _Cells:
    return _Cells(profile.measurer(element))


class _Cell:
    """A text measured for a cell: its words' advance widths (mm), the space's, the text on one line
    (``natural``) and its widest word (``longest``). A plain class with slots, not a dataclass: a batch
    makes one for every new name of every list, and a frozen dataclass costs several times as much to make."""

    __slots__ = ("words", "space", "natural", "longest", "one", "_seen", "_narrowest")

    def __init__(self, words: tuple[float, ...], space: float, natural: float, longest: float):
        self.words, self.space, self.natural, self.longest = words, space, natural, longest
        # The narrowest width that holds the text on one line, with the very sums :meth:`lines` compares (most
        # cells of a table are on one line at most widths tried: one comparison answers them).
        one, used = float("-inf"), None
        for w in words:
            if used is None:
                used = w
            else:
                one = max(one, used + space + w)
                used += space + w
            one = max(one, w)
        self.one = one
        self._seen: dict[float, int] = {}  # width → lines, where more than one
        self._narrowest: dict[int, float] = {}  # lines → width_for(lines)

    def lines(self, width: float) -> int:
        """Lines the text takes in ``width`` mm, breaking between words as Word does."""
        if width >= self.one:
            return 1
        count = self._seen.get(width)
        if count is None:
            count = self._seen[width] = self._break(width)
        return count

    def _break(self, width: float) -> int:
        count, used = 1, None
        for w in self.words:
            if used is None:
                used = w
            elif used + self.space + w <= width:
                used += self.space + w
            else:
                count, used = count + 1, w
            if w > width:  # a word wider than the column is cut over several lines
                count += math.ceil(w / width) - 1
        return count

    def width_for(self, lines: int) -> float:
        """The narrowest width (to 0.1 mm) that sets the text in at most ``lines`` lines."""
        found = self._narrowest.get(lines)
        if found is None:
            found = self._narrowest[lines] = self._width_for(lines)
        return found

    def _width_for(self, lines: int) -> float:
        lo, hi = self.longest, self.natural
        if lines <= 1 or hi <= lo:
            return hi
        if lines == 2:  # exactly: the best place to break it once
            widths = [sum(self.words[:i]) + self.space * (i - 1) for i in range(1, len(self.words) + 1)]
            return min(max(widths[i - 1], self.natural - widths[i - 1] - self.space) for i in range(1, len(widths)))
        while hi - lo > 0.1:
            mid = (lo + hi) / 2
            lo, hi = (lo, mid) if self.lines(mid) <= lines else (mid, hi)
        return hi


class _Column:
    """A column's cells (title first), and the lines each takes at a width in grid units (memoised). Most
    cells sit on one line at every width tried: only those narrower than their one-line width
    (:attr:`_Cell.one`) are broken, found in the cells sorted by it."""

    def __init__(self, cells: list[_Cell], grid: float, pad: float):
        self.cells, self.grid, self.pad = cells, grid, pad
        self._order = sorted(range(len(cells)), key=lambda i: -cells[i].one)
        self._ones = [-cells[i].one for i in self._order]  # ascending, for bisect
        self._lines: dict[int, tuple[tuple[int, ...], int]] = {}

    def lines(self, units: int) -> tuple[int, ...]:
        return self.at(units)[0]

    def extra_lines(self, units: int) -> int:
        """Lines the data cells take beyond their first, in all."""
        return self.at(units)[1]

    def at(self, units: int) -> tuple[tuple[int, ...], int]:
        """The lines of each cell, and the data cells' lines beyond their first in all."""
        found = self._lines.get(units)
        if found is None:
            width = units * self.grid - self.pad
            lines, extra = [1] * len(self.cells), 0
            for i in self._order[: bisect.bisect_left(self._ones, -width)]:  # the cells with one > width
                lines[i] = self.cells[i].lines(width)
                extra += lines[i] - 1 if i else 0
            found = self._lines[units] = (tuple(lines), extra)
        return found

    def units(self, mm: float) -> int:
        return math.ceil(mm / self.grid - 1e-9)


def table_columns(profile: Profile, table: str, header: dict, rows: list[dict], elements: dict) -> dict[str, int]:
    """Grid columns of each column of a bordered table, from what it holds.

    ``header``: column key → title; ``rows``: dicts holding the columns' texts; ``elements``: column key →
    the profile element its cells are set in (the titles are in ``bang_tieu_de``). A column with ``lines``
    in the profile takes the width that sets every cell in that many lines, each choice tried; the other
    columns share the rest, starting in proportion to their ``weight`` and to how much text they hold, then
    moved a step at a time while that prints fewer lines. The layout that costs least wins: the lines it
    prints, plus the column's ``wrap_cost`` for each line a cell of a ``lines`` column takes beyond its
    first (ties: the fewer lines in those columns)."""
    spec = profile.data[table]
    keys = list(spec["columns"])
    margins = profile.data["table"]["cell_margin_mm"]
    pad, grid = margins["left"] + margins["right"], spec["grid_mm"]
    n = round(spec["width_mm"] / grid)
    title_cells = _cells(profile, "bang_tieu_de")
    titles = {k: title_cells.get(str(header[k])) for k in keys}
    data = {}
    for k in keys:
        get = _cells(profile, elements[k]).get
        data[k] = [get(str(r.get(k) or "")) for r in rows]
    cols = {k: _Column([titles[k], *data[k]], grid, pad) for k in keys}
    conf = {k: spec["columns"][k] for k in keys}
    floors = {  # never narrower: the profile's minimum, the longest word
        k: cols[k].units(max(conf[k].get("min_mm", 0), max(c.longest for c in cols[k].cells) + pad)) for k in keys
    }
    fixed = [k for k in keys if "lines" in conf[k]]
    flowing = [k for k in keys if k not in fixed]
    choices = {
        k: [
            max(floors[k], cols[k].units(max((c.width_for(m) for c in data[k]), default=0) + pad))
            for m in conf[k]["lines"]
        ]
        for k in fixed
    }
    wants = {k: cols[k].units(max(c.natural for c in cols[k].cells) + pad) for k in flowing}
    demand = {k: conf[k].get("weight", 1) * (1 + sum(c.natural for c in data[k])) for k in flowing}

    wrap_cost = {k: conf[k].get("wrap_cost", 0) for k in fixed}

    costs: dict[tuple, float] = {}  # the search meets the same layouts again

    def cost(widths: dict) -> float:
        key = tuple(widths[k] for k in keys)
        found = costs.get(key)
        if found is None:
            at = {k: cols[k].at(u) for k, u in zip(keys, key)}
            printed = sum(map(max, zip(*(at[k][0] for k in keys))))
            found = costs[key] = printed + sum(c * at[k][1] for k, c in wrap_cost.items())
        return found

    def bound(widths: dict) -> float:  # no layout of these fixed widths costs less (the others only add)
        printed = sum(map(max, zip(*(cols[k].lines(widths[k]) for k in fixed)))) if fixed else 0
        return printed + sum(c * cols[k].extra_lines(widths[k]) for k, c in wrap_cost.items())

    starts = []
    for rank, combo in enumerate(itertools.product(*(choices[k] for k in fixed))):
        widths = dict(zip(fixed, combo))
        shares = _share(n - sum(combo), {k: floors[k] for k in flowing}, wants, demand)
        if shares is not None:
            widths.update(shares)
            starts.append((cost(widths), rank, widths))
    best = None
    for _, rank, widths in sorted(starts, key=lambda s: s[:2]):  # the most promising first
        if best is not None and bound(widths) >= best[0][0]:
            continue
        score = _improve(widths, flowing, floors, cost)
        if best is None or (score, rank) < best[0]:
            best = ((score, rank), widths)
    if best is None:  # not even the narrowest choices fit: every column from its floor, scaled down
        scale = n / sum(floors.values())
        widths = {k: max(1, math.floor(f * scale)) for k, f in floors.items()}
        widths[max(widths, key=widths.get)] += n - sum(widths.values())
        return widths
    return best[1]


def _share(room: int, floors: dict, wants: dict, weights: dict) -> dict | None:
    """Grid columns of the flowing columns in ``room``: each its floor, then the rest in proportion to the
    weights, none past what it wants (room left when all have it goes by weight too). None when the
    floors alone do not fit."""
    if not floors:
        return {} if room == 0 else None
    if room < sum(floors.values()):
        return None
    widths = {k: float(f) for k, f in floors.items()}
    extra = room - sum(widths.values())
    while extra > 1e-6:
        hungry = {k: weights[k] for k in widths if wants[k] - widths[k] > 1e-6} or dict(weights)
        total = sum(hungry.values())
        step = extra  # handed out in proportion, up to the point where the first column has what it wants
        for k, weight in hungry.items():
            if wants[k] - widths[k] > 1e-6:
                step = min(step, (wants[k] - widths[k]) * total / weight)
        for k, weight in hungry.items():
            widths[k] += step * weight / total
        extra -= step
    units = {k: math.floor(w + 1e-9) for k, w in widths.items()}
    for k in sorted(units, key=lambda k: widths[k] - units[k], reverse=True)[: room - sum(units.values())]:
        units[k] += 1
    return units


def _improve(widths: dict, flowing: list[str], floors: dict, cost) -> float:
    """Move grid columns between the flowing columns, in halving steps, while the cost falls; return it."""
    score = cost(widths)
    step = 8
    while step >= 1:
        moved = False
        for a, b in itertools.permutations(flowing, 2):
            if widths[a] - step < floors[a]:
                continue
            widths[a] -= step
            widths[b] += step
            trial = cost(widths)
            if trial < score:
                score, moved = trial, True
            else:
                widths[a] += step
                widths[b] -= step
        if not moved:
            step //= 2
    return score
