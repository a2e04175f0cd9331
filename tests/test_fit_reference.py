"""The fitting of annex columns and of balanced title lines gives the same results as the plain algorithm
it replaced (kept here as the reference): the same line counts for any text and width, the same column
widths and title lines for every sample and for synthetic decisions of every size, and so the same .docx,
byte for byte."""

from __future__ import annotations

import math
import random

import pytest

from docgen import api, batch, kinds, layout, ooxml, parts
from docgen.demo import kind_of
from docgen.kinds.quyet_dinh_xep_loai.synthetic import dang_bo
from docgen.paths import SAMPLES_DIR
from docgen.profile import load_profile

# ---------------------------------------------------------------- the reference: the plain algorithm


class RefCell:
    """A cell measured word by word and broken greedily at every width asked (no memo, no shortcut)."""

    def __init__(self, profile, element: str, text: str):
        measure = profile.measurer(element)
        self.words = tuple(measure(w) for w in text.split())
        self.space = measure(" ")
        self.natural = sum(self.words) + self.space * max(0, len(self.words) - 1)
        self.longest = max(self.words, default=0.0)

    def lines(self, width: float) -> int:
        count, used = 1, None
        for w in self.words:
            if used is None:
                used = w
            elif used + self.space + w <= width:
                used += self.space + w
            else:
                count, used = count + 1, w
            if w > width:
                count += math.ceil(w / width) - 1
        return count

    def width_for(self, lines: int) -> float:
        lo, hi = self.longest, self.natural
        if lines <= 1 or hi <= lo:
            return hi
        if lines == 2:
            widths = [sum(self.words[:i]) + self.space * (i - 1) for i in range(1, len(self.words) + 1)]
            return min(max(widths[i - 1], self.natural - widths[i - 1] - self.space) for i in range(1, len(widths)))
        while hi - lo > 0.1:
            mid = (lo + hi) / 2
            lo, hi = (lo, mid) if self.lines(mid) <= lines else (mid, hi)
        return hi


def ref_table_columns(profile, table, header, rows, elements):
    spec = profile.data[table]
    keys = list(spec["columns"])
    margins = profile.data["table"]["cell_margin_mm"]
    pad, grid = margins["left"] + margins["right"], spec["grid_mm"]
    n = round(spec["width_mm"] / grid)

    def units(mm):
        return math.ceil(mm / grid - 1e-9)

    titles = {k: RefCell(profile, "bang_tieu_de", str(header[k])) for k in keys}
    data = {k: [RefCell(profile, elements[k], str(r.get(k) or "")) for r in rows] for k in keys}
    cells = {k: [titles[k], *data[k]] for k in keys}

    def lines(k, u):
        return tuple(c.lines(u * grid - pad) for c in cells[k])

    def extra(k, u):
        ls = lines(k, u)
        return sum(ls[1:]) - len(ls) + 1

    conf = {k: spec["columns"][k] for k in keys}
    floors = {k: units(max(conf[k].get("min_mm", 0), max(c.longest for c in cells[k]) + pad)) for k in keys}
    fixed = [k for k in keys if "lines" in conf[k]]
    flowing = [k for k in keys if k not in fixed]
    choices = {
        k: [max(floors[k], units(max((c.width_for(m) for c in data[k]), default=0) + pad)) for m in conf[k]["lines"]]
        for k in fixed
    }
    wants = {k: units(max(c.natural for c in cells[k]) + pad) for k in flowing}
    demand = {k: conf[k].get("weight", 1) * (1 + sum(c.natural for c in data[k])) for k in flowing}
    wrap_cost = {k: conf[k].get("wrap_cost", 0) for k in fixed}

    def cost(widths):
        printed = sum(map(max, zip(*(lines(k, widths[k]) for k in keys))))
        return printed + sum(c * extra(k, widths[k]) for k, c in wrap_cost.items())

    def bound(widths):
        printed = sum(map(max, zip(*(lines(k, widths[k]) for k in fixed)))) if fixed else 0
        return printed + sum(c * extra(k, widths[k]) for k, c in wrap_cost.items())

    import itertools

    starts = []
    for rank, combo in enumerate(itertools.product(*(choices[k] for k in fixed))):
        widths = dict(zip(fixed, combo))
        shares = layout._share(n - sum(combo), {k: floors[k] for k in flowing}, wants, demand)
        if shares is not None:
            widths.update(shares)
            starts.append((cost(widths), rank, widths))
    best = None
    for _, rank, widths in sorted(starts, key=lambda s: s[:2]):
        if best is not None and bound(widths) >= best[0][0]:
            continue
        score = layout._improve(widths, flowing, floors, cost)
        if best is None or (score, rank) < best[0]:
            best = ((score, rank), widths)
    if best is None:
        scale = n / sum(floors.values())
        widths = {k: max(1, math.floor(f * scale)) for k, f in floors.items()}
        widths[max(widths, key=widths.get)] += n - sum(widths.values())
        return widths
    return best[1]


class RefTitle(parts._Title):
    """The title search with no memo of the reachable break points."""

    def _reach(self, gaps, forward):
        w = len(self.words)
        points = gaps + [w]
        fewest = {0: 0} if forward else {w: 0}
        order = points if forward else list(reversed(points))
        for x, p in enumerate(order):
            if p in fewest:
                continue
            best = None
            for y in range(x - 1, -1, -1):
                q = order[y]
                a, b = (q, p) if forward else (p, q)
                if not self.fits(a, b):
                    break
                if q in fewest and (best is None or fewest[q] + 1 < best):
                    best = fewest[q] + 1
            if best is not None:
                fewest[p] = best
        return fewest

    def best(self, n_lines, gaps):
        w = len(self.words)
        target = len(self.text) / n_lines
        before, after = self._reach(gaps, True), self._reach(gaps, False)
        points = gaps + [w]
        index = {p: x for x, p in enumerate(points)}
        starts = [[] for _ in range(n_lines + 1)]
        for p in gaps:
            if p in after and p in before:
                low, high = (n_lines, n_lines) if p == 0 else (max(after[p], 1), n_lines - before[p])
                for k in range(low, min(high, n_lines) + 1):
                    starts[k].append(p)
        table = [{}]
        for k in range(1, n_lines + 1):
            solved = table[-1]
            here = {}
            for p in starts[k]:
                if k == 1:
                    if self.fits(p, w):
                        here[p] = ((self.length(p, w) - target) ** 2, w)
                    continue
                best = None
                for x in range(index[p] + 1, len(points)):
                    end = points[x]
                    if not self.fits(p, end):
                        break
                    rest = solved.get(end)
                    if rest is None:
                        continue
                    cost = (self.length(p, end) - target) ** 2 + self.cost[end] + rest[0]
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


def ref_balanced_lines(text, max_chars, costs=None):
    if len(text) <= max_chars:
        return text
    costs = costs or load_profile().data["title_breaks"]
    title = RefTitle(text, max_chars, costs)
    if len(title.words) < 2:
        return text
    first = max(math.ceil(len(text) / max_chars), title.fewest_lines(title.every_gap))
    good = title.fewest_lines(title.good_gaps)
    if good is not None:
        start = max(first, good)
        for n_lines in range(start, min(len(title.words), start + costs["extra_lines"]) + 1):
            found = title.best(n_lines, title.good_gaps)
            if found and found[0] < costs["forbidden"]:
                return title.lines(found[1])
    found = title.best(first, title.every_gap)
    return title.lines(found[1]) if found else text


# ---------------------------------------------------------------- random texts

SYLLABLES = (
    "Nguyễn Trần Lê Phạm Hoàng Thị Văn Ngọc Anh Hùng Sơn Trang Thu Đảng viên chi bộ đảng ủy phường Khu dân cư số "
    "của về việc xếp loại chất lượng năm 2025 ngày 15 tháng 12 Bí thư Phó Chủ tịch, Hội Cựu chiến binh; "
    "(Kèm theo Quyết định) Hoàn thành tốt nhiệm vụ xuất sắc"
).split()


def random_text(rng: random.Random) -> str:
    shape = rng.random()
    if shape < 0.05:
        return ""
    if shape < 0.15:  # a word longer than a column, and odd spacing
        return " ".join(rng.choice(SYLLABLES) * rng.randint(1, 12) for _ in range(rng.randint(1, 3)))
    return (" " if rng.random() < 0.1 else "").join(
        " ".join(rng.choice(SYLLABLES) for _ in range(rng.randint(1, 18))) for _ in range(1)
    )


def test_a_cell_breaks_as_the_greedy_algorithm_at_any_width(profile):
    rng = random.Random(17)
    for _ in range(1500):
        text, element = random_text(rng), rng.choice(["bang_o", "bang_so", "bang_tieu_de"])
        fast, ref = layout._cells(profile, element).get(text), RefCell(profile, element, text)
        assert (fast.words, fast.space, fast.natural, fast.longest) == (ref.words, ref.space, ref.natural, ref.longest)
        # widths around every place the count can change: each word, each run of words, ± a hair
        marks = {ref.natural, ref.longest, fast.one, *ref.words}
        for i in range(len(ref.words)):
            used = ref.words[i]
            for w in ref.words[i + 1 :]:
                marks.add(used + ref.space + w)
                used += ref.space + w
        widths = {m + d for m in marks for d in (-1e-9, 0.0, 1e-9, -0.3) if m + d > 0}
        widths |= {rng.uniform(0.5, 120) for _ in range(10)}
        for width in sorted(widths):
            assert fast.lines(width) == ref.lines(width), (text, width)
            assert fast.lines(width) == ref.lines(width), (text, width)  # and again, from the memo
        for m in (1, 2, 3, 4):
            assert fast.width_for(m) == ref.width_for(m), (text, m)


def test_columns_fit_as_the_reference_for_random_tables(profile):
    rng = random.Random(2025)
    keys = list(profile.data["annex_table"]["columns"])
    elements = {k: "bang_so" if k == "stt" else "bang_o" for k in keys}
    for _ in range(150):
        header = {k: random_text(rng) or "Cột" for k in keys}
        rows = [{k: random_text(rng) for k in keys} for _ in range(rng.randint(0, 30))]
        for r in rows:
            r["stt"] = str(rng.randint(1, 999))
        got = layout.table_columns(profile, "annex_table", header, rows, elements)
        assert got == ref_table_columns(profile, "annex_table", header, rows, elements)


def test_titles_break_as_the_reference_for_random_texts(profile):
    rng = random.Random(366)
    costs = profile.data["title_breaks"]
    for _ in range(600):
        text = " ".join(random_text(rng) for _ in range(rng.randint(1, 5)))
        limit = rng.randint(12, 90)
        assert parts.balanced_lines(text, limit, costs) == ref_balanced_lines(text, limit, costs), (text, limit)
        assert parts.balanced_lines(text, limit, costs) == ref_balanced_lines(text, limit, costs)  # cached


def test_fewest_lines_to_each_break_point_are_the_reference_s(profile):
    rng = random.Random(444)
    costs = profile.data["title_breaks"]
    for _ in range(3000):
        text = " ".join(random_text(rng) for _ in range(rng.randint(1, 6)))
        limit = rng.randint(1, 90)
        fast, ref = parts._Title(text, limit, costs), RefTitle(text, limit, costs)
        for gaps in (fast.every_gap, fast.good_gaps):
            for forward in (True, False):
                assert fast._fewest(gaps, forward) == ref._reach(gaps, forward), (text, limit, gaps, forward)


# ---------------------------------------------------------------- whole documents, byte for byte

SAMPLES = sorted(p for p in SAMPLES_DIR.glob("*.json") if kind_of(p))
LONG = "Nguyễn Thị Hoàng Ngọc Bích Phương Thảo Uyên Nhi Trang"


def synthetic_decisions() -> list[dict]:
    """Decisions of 1 to 60 members, some with long names, positions and titles."""
    out = []
    for members in (1, 2, 3, 5, 8, 13, 25, 40, 60):
        env = dang_bo(1, members, seed=members)
        jobs = batch.plan("quyet_dinh_xep_loai", env, 1)
        data = jobs[0].data
        out.append(data)
        if members in (3, 25, 60):
            long = {**data, "trich_yeu": "về việc xếp loại chất lượng đảng viên năm 2025 " + "của Chi bộ " * 8}
            ket_qua = long["ket_qua"] = dict(data["ket_qua"])
            rows = ket_qua["dang_vien"] = [dict(m) for m in data["ket_qua"]["dang_vien"]]
            for i, m in enumerate(rows):
                if i % 3 == 0:
                    m["ho_ten"] = f"{LONG} {i}"
                if i % 4 == 1:
                    m["chuc_vu_dang"] = "Phó Bí thư Chi bộ, Trưởng Ban công tác Mặt trận Khu dân cư số 1"
            out.append(long)
    return out


def render_both(kind, data, monkeypatch) -> tuple[bytes, bytes, dict]:
    built, problems = api.check_normalised(kind, data) if isinstance(data, dict) else api.check(kind, data)
    assert built is not None, problems
    fast = api.render_built(kind, built)
    with monkeypatch.context() as m:
        m.setattr(layout, "table_columns", ref_table_columns)
        m.setattr(parts, "balanced_lines", ref_balanced_lines)
        again, _ = api.check_normalised(kind, data) if isinstance(data, dict) else api.check(kind, data)
        ref = api.render_built(kind, again)
    assert again.context.get("danh_sach", {}).get("rong") == built.context.get("danh_sach", {}).get("rong")
    return fast, ref, built.context


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.stem)
def test_every_sample_renders_the_same_bytes_as_the_reference(sample, monkeypatch):
    fast, ref, _ = render_both(kinds.get(kind_of(sample)), sample, monkeypatch)
    assert fast == ref


def test_synthetic_decisions_render_the_same_bytes_as_the_reference(monkeypatch):
    kind = kinds.get("quyet_dinh_xep_loai")
    decisions = synthetic_decisions()
    assert len(decisions) == 12
    wrapped = 0
    for data in decisions:
        fast, ref, context = render_both(kind, data, monkeypatch)
        assert fast == ref, data["ket_qua"].get("ten", "")
        wrapped += ooxml.TEXT_LINE_BREAK in context["trich_yeu"] and max(context["danh_sach"]["rong"].values()) > 0
    assert wrapped  # titles broken over lines were among them
