"""The printed pages as a reader sees them: every sample of every kind and one document of each batch
sample pass ../shared/tools/check_layout.py, every PDF is drawn in one font family, and the layout fixes
hold on the page (pdftotext -bbox-layout): the place-and-date line whole for long place names, the
signature never opening a page alone, recipient lines hanging after their dash."""

from __future__ import annotations

import html
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import SHARED, SOFFICE, load_sample, one_font_family, read_back
from test_layout import FORM, KH, PLACES, with_place

import docgen
from docgen import batch, pdf
from docgen.demo import kind_of
from docgen.export import write_atomic
from docgen.paths import SAMPLES_DIR

CHECK_LAYOUT = SHARED / "tools" / "check_layout.py"
pytestmark = [
    *SOFFICE,
    pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed"),
]


def documents(folder: Path) -> dict[str, Path]:
    """Every sample rendered, and the first document of each batch sample (the batch run whole)."""
    out = {}
    for sample in sorted(SAMPLES_DIR.glob("*.json")):
        out[sample.stem] = write_atomic(folder / f"{sample.stem}.docx", docgen.render(kind_of(sample), sample))
    for sample in sorted((SAMPLES_DIR / "lo").glob("*.json")):
        kind = kind_of(sample)
        envelope, _, problems = read_back(batch.load(sample, kind))
        assert problems == []
        summary = batch.run(kind, batch.plan(kind, envelope), folder / "lo" / sample.stem, workers=1)
        made = [j for j, o in zip(summary.jobs, summary.outcomes) if o.status == "ok"]
        assert made and not summary.failed
        out[f"lo/{sample.stem}"] = summary.out_dir / made[0].file_name
    return out


@pytest.fixture(scope="module")
def made(tmp_path_factory) -> dict[str, tuple[Path, Path]]:
    """name → (.docx, its PDF)."""
    folder = tmp_path_factory.mktemp("mau")
    docs = documents(folder)
    results = pdf.convert_many(list(docs.values()), folder / "pdf", jobs=2)
    assert [r.error for r in results] == [None] * len(results)
    return {name: (docx, r.pdf) for (name, docx), r in zip(docs.items(), results)}


@pytest.fixture(scope="module")
def printed(made) -> dict[str, Path]:
    return {name: pdf_path for name, (_, pdf_path) in made.items()}


def test_no_heading_and_no_table_introduction_ends_a_page(made):
    """A heading (or the line that introduces a table) at the foot of a page, its text on the next: the
    keep-with-next of the styles must hold, in LibreOffice too."""
    from docx_read import Doc

    for name, (docx, path) in made.items():
        doc = Doc(docx.read_bytes())
        paras = doc.paras
        kept = [  # headings, and the paragraph just before a table (of the body: the header table is the first)
            " ".join(p.text.split())
            for i, p in enumerate(paras)
            if not p.in_table
            and p.text.strip()
            and ((p.style or "").startswith("DGMuc") or (i + 1 < len(paras) and paras[i + 1].in_table))
        ]
        pages = len(__import__("pypdf").PdfReader(path).pages)
        for page in range(1, pages):
            lines = [t for _, _, t, _ in page_lines(path, page) if not t.strip().isdigit()]
            last = " ".join(lines[-1].split())
            assert not [k for k in kept if k.endswith(last)], f"{name}, page {page} ends with {last!r}"


@pytest.mark.shared
def test_every_sample_and_one_document_of_each_batch_reads_right(printed):
    if not CHECK_LAYOUT.is_file():
        pytest.skip(f"the shared layout checker is not at {CHECK_LAYOUT}")
    kinds = {kind_of(Path(name)) for name in printed}
    assert kinds == set(docgen.kinds.names())  # every kind is among them
    assert sum(name.startswith("lo/") for name in printed) == len(list((SAMPLES_DIR / "lo").glob("*.json")))
    done = subprocess.run(
        [sys.executable, str(CHECK_LAYOUT), *map(str, printed.values())], capture_output=True, text=True
    )
    failures = [line for line in done.stdout.splitlines() if line.startswith("FAIL")]
    summaries = [line for line in done.stdout.splitlines() if "layout checks pass" in line]
    assert len(summaries) == len(printed)
    assert failures == [] and done.returncode == 0, done.stdout


def test_every_pdf_and_the_merged_file_are_one_font_family(printed, tmp_path):
    for path in printed.values():
        one_font_family(path)
    merged = pdf.merge([(name, path) for name, path in printed.items()], tmp_path / "tat_ca.pdf")
    assert merged.pages > len(printed)
    one_font_family(tmp_path / "tat_ca.pdf")


# ---------------------------------------------------------------- the page read back


def page_lines(path: Path, page: int = 1) -> list[tuple[float, float, str, list]]:
    """(x of the first word, y, text, [(x, word) …]) of every line of a page, as pdftotext -bbox-layout
    sees them."""
    xml = subprocess.run(
        ["pdftotext", "-bbox-layout", "-f", str(page), "-l", str(page), str(path), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    out = []
    for line in re.findall(r"<line [^>]*>(.*?)</line>", xml, flags=re.S):
        words = re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>(.*?)</word>', line)
        if words:
            text = " ".join(html.unescape(w[2]) for w in words)
            out.append(
                (float(words[0][0]), float(words[0][1]), text, [(float(w[0]), html.unescape(w[2])) for w in words])
            )
    return out


def all_lines(path: Path) -> list[tuple[int, float, float, str]]:
    from pypdf import PdfReader

    return [(p, *line) for p in range(1, len(PdfReader(path).pages) + 1) for line in page_lines(path, p)]


def test_the_date_line_stays_whole_for_long_place_names(tmp_path):
    docs = []
    for place in PLACES:
        for sample, kind in ((KH, "ke_hoach"), (FORM, "bao_cao_kiem_diem")):
            name = f"{kind}_{len(docs)}"
            docs.append(write_atomic(tmp_path / f"{name}.docx", docgen.render(kind, with_place(sample, place, kind))))
    results = pdf.convert_many(docs, tmp_path / "pdf", jobs=2)
    places = [p for p in PLACES for _ in range(2)]
    for place, result in zip(places, results):
        lines = [line[2] for line in page_lines(result.pdf)[:12]]  # the header
        dated = [t for t in lines if re.search(r"ngày\s+\S+\s+tháng", t)]
        assert len(dated) == 1 and re.search(r"năm \d{4}$", dated[0]), (place, lines)
        assert f"{place}, ngày" in " ".join(lines) or (f"{place}," in lines and dated[0].startswith("ngày"))
        assert any("ĐẢNG CỘNG SẢN VIỆT NAM" in t for t in lines)


def test_the_signature_never_opens_a_page_alone(tmp_path):
    """Two more one-line paragraphs at a time before a closing paragraph of five lines, so that over a
    page's worth of variants the body ends at every height of a page, the foot included."""
    base = load_sample(KH)
    line = "Các chi bộ báo cáo kết quả thực hiện về Đảng ủy đúng thời gian quy định."
    docs = []
    for k in range(0, 36, 2):
        data = base | {"ket_thuc": list(base["ket_thuc"]) + [line] * k + [" ".join([line] * 5)]}
        docs.append(write_atomic(tmp_path / f"kh_{k}.docx", docgen.render("ke_hoach", data)))
    above = []
    for result in pdf.convert_many(docs, tmp_path / "pdf", jobs=2):
        lines = all_lines(result.pdf)
        page, _, y, _, _ = next(line for line in lines if line[3].startswith("Nơi nhận"))
        body = [t for p, _, ly, t, _ in lines if p == page and ly < y - 2 and not t.strip().isdigit()]
        above.append(len(body))
    assert min(above) >= 2, above
    # some variant ended the body at the foot of a page, and only its last paragraphs (the five-line one and
    # the line before it, at most 8 lines) went over with the signature: the case this test is about arose
    assert min(above) <= 8, above


def test_wrapped_recipient_lines_hang_after_the_dash(tmp_path):
    data = load_sample(KH)
    long_line = "Ban Tổ chức Tỉnh ủy, Ủy ban Kiểm tra Tỉnh ủy và Văn phòng Tỉnh ủy Quảng Ngãi (để báo cáo)"
    data["noi_nhan"] = [long_line] + list(data["noi_nhan"])
    made = pdf.docx_to_pdf(write_atomic(tmp_path / "kh.docx", docgen.render("ke_hoach", data)), tmp_path / "kh.pdf")
    lines = all_lines(made)
    i = next(i for i, line in enumerate(lines) if line[3].startswith("- Ban Tổ chức Tỉnh ủy"))
    first, second = lines[i], lines[i + 1]
    assert not second[3].startswith("-") and second[3] in long_line + ","  # the line went on below
    (dash_x, dash), (after_dash, word) = first[4][:2]
    assert (dash, word) == ("-", "Ban")
    assert abs(second[1] - after_dash) < 0.6  # aligned with the text after "- ", not under the dash
    assert dash_x < after_dash - 3
