"""PDF for bulk production: few soffice processes, every PDF checked, one merged file with bookmarks."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import pytest
from conftest import needs_soffice, one_font_family
from pypdf import PdfReader

import docgen
from docgen import pdf
from docgen.demo import kind_of
from docgen.export import write_atomic
from docgen.paths import SAMPLES_DIR


@pytest.fixture(scope="module")
def documents(tmp_path_factory) -> list[Path]:
    """Every sample rendered to .docx: each kind and form, 3 to 16 pages."""
    folder = tmp_path_factory.mktemp("docx")
    return [
        write_atomic(folder / f"{sample.stem}.docx", docgen.render(kind_of(sample), sample))
        for sample in sorted(SAMPLES_DIR.glob("*.json"))
    ]


def counting_starts(monkeypatch) -> list[list[str]]:
    """Record the command line of every soffice process docgen.pdf starts (not the fontconfig queries)."""
    starts, real = [], subprocess.Popen

    def popen(cmd, *args, **kwargs):
        if "--convert-to" in cmd:
            starts.append(cmd)
        return real(cmd, *args, **kwargs)

    monkeypatch.setattr(pdf.subprocess, "Popen", popen)
    return starts


@pytest.fixture(scope="module")
def converted(documents, tmp_path_factory):
    out = tmp_path_factory.mktemp("pdf")
    progress = []
    with pytest.MonkeyPatch.context() as monkeypatch:
        starts = counting_starts(monkeypatch)
        results = pdf.convert_many(documents, out, jobs=2, progress=lambda done, total: progress.append((done, total)))
    return results, starts, progress


@needs_soffice()
def test_every_document_gets_a_checked_pdf_in_input_order(documents, converted):
    results, _, _ = converted
    assert [r.docx for r in results] == documents
    for r in results:
        assert r.error is None and r.pdf == r.pdf.parent / f"{r.docx.stem}.pdf"
        assert r.pages == len(PdfReader(r.pdf).pages) >= 1
        one_font_family(r.pdf)


@needs_soffice()
def test_soffice_starts_once_per_job_with_its_own_profile(documents, converted):
    _, starts, _ = converted
    assert len(starts) == 2 < len(documents)
    profiles = {arg for cmd in starts for arg in cmd if arg.startswith("-env:UserInstallation=")}
    assert len(profiles) == 2


@needs_soffice()
def test_progress_counts_every_document(documents, converted):
    _, _, progress = converted
    assert progress == [(done, len(documents)) for done in range(1, len(documents) + 1)]


@needs_soffice()
def test_merge_has_every_page_and_one_bookmark_per_unit(converted, tmp_path):
    results, _, _ = converted
    titles = [f"Chi bộ Khu dân cư số {i + 1} – {r.docx.stem}" for i, r in enumerate(results)]
    done = pdf.merge([(title, r.pdf) for title, r in zip(titles, results)], tmp_path / "tat_ca.pdf", False)
    assert done == pdf.Merged(sum(r.pages for r in results), 0, False)
    merged = PdfReader(tmp_path / "tat_ca.pdf")
    assert len(merged.pages) == done.pages
    assert [item.title for item in merged.outline] == titles  # top level only: no nested lists
    starts = [sum(r.pages for r in results[:i]) for i in range(len(results))]
    assert [merged.get_destination_page_number(item) for item in merged.outline] == starts
    one_font_family(tmp_path / "tat_ca.pdf")


@needs_soffice()
def test_double_sided_merge_starts_every_document_on_an_odd_page(converted, tmp_path):
    results, _, _ = converted
    assert any(r.pages % 2 for r in results[:-1]) and any(r.pages > 1 for r in results)  # the case at hand
    titles = [r.docx.stem for r in results]
    done = pdf.merge([(t, r.pdf) for t, r in zip(titles, results)], tmp_path / "tat_ca.pdf")  # the default
    odd = sum(r.pages % 2 for r in results[:-1])  # a blank page after each odd-length document but the last
    assert done == pdf.Merged(sum(r.pages for r in results) + odd, odd, True)
    merged = PdfReader(tmp_path / "tat_ca.pdf")
    firsts = [merged.get_destination_page_number(item) for item in merged.outline]
    assert [item.title for item in merged.outline] == titles
    assert all(first % 2 == 0 for first in firsts)  # 0-based: page 1, 3, 5 … of the printed stack
    for r, first in zip(results, firsts):  # each bookmark opens its own document's first page
        assert (
            merged.pages[first].extract_text().split("\n")[:3]
            == PdfReader(r.pdf).pages[0].extract_text().split("\n")[:3]
        )
    blanks = [i for i, page in enumerate(merged.pages) if not page.extract_text().strip()]
    assert len(blanks) == odd and all(i + 1 in firsts for i in blanks)  # each blank sits just before a document
    assert "in hai mặt: thêm" in pdf.merged_summary(done) and "trang lẻ" in pdf.merged_summary(done)


@needs_soffice()
def test_one_page_documents_merge_one_sided_by_default(converted, tmp_path):
    one_page = tmp_path / "mot_trang.pdf"
    writer = __import__("pypdf").PdfWriter()
    writer.append(PdfReader(converted[0][0].pdf), pages=(0, 1))
    writer.write(one_page)
    done = pdf.merge([("Một", one_page), ("Hai", one_page), ("Ba", one_page)], tmp_path / "tat_ca.pdf")
    assert done == pdf.Merged(3, 0, False) and pdf.merged_summary(done) == "3 trang, in một mặt"


@needs_soffice()
def test_merge_keeps_one_copy_of_identical_objects(converted, tmp_path):
    part = converted[0][0].pdf
    pdf.merge([("Lần 1", part), ("Lần 2", part)], tmp_path / "hai_lan.pdf")
    # Fonts and every other object of the second copy are the first one's: far less than twice the size.
    assert (tmp_path / "hai_lan.pdf").stat().st_size < 1.3 * part.stat().st_size


@needs_soffice()
def test_pdfs_are_checked_while_soffice_converts_the_rest(documents, tmp_path, monkeypatch):
    """The checks of a batch's PDFs overlap its conversion (not all after soffice has exited), and each PDF
    is checked once."""
    checks, ends, real_collect, real_run = [], [], pdf._collect, pdf._Soffice.run

    def collect(job, run_dir, detail):
        checks.append((job.index, time.monotonic()))
        return real_collect(job, run_dir, detail)

    def run(self, batch):
        out = real_run(self, batch)
        ends.append(time.monotonic())
        return out

    monkeypatch.setattr(pdf, "_collect", collect)
    monkeypatch.setattr(pdf._Soffice, "run", run)
    results = pdf.convert_many(documents, tmp_path / "out", jobs=1)
    assert [r.error for r in results] == [None] * len(documents)
    assert sorted(i for i, _ in checks) == list(range(len(documents)))  # each once
    [end] = ends
    assert sum(t < end for _, t in checks) >= len(documents) // 2  # most while soffice still ran


@needs_soffice()
def test_corrupt_document_fails_alone_after_one_retry(documents, tmp_path, monkeypatch):
    corrupt = tmp_path / "hong.docx"
    corrupt.write_bytes(documents[1].read_bytes()[:3000])  # a truncated zip: soffice skips it and exits 0
    starts = counting_starts(monkeypatch)
    good, bad, also_good = pdf.convert_many([documents[0], corrupt, documents[2]], tmp_path / "out", jobs=1)
    assert good.error is None and also_good.error is None and good.pages >= 1 and also_good.pages >= 1
    assert bad.pdf is None and bad.pages == 0 and "hong.docx" in bad.error
    assert not (tmp_path / "out" / "hong.pdf").exists()
    assert len(starts) == 2 and sum(arg.endswith(".docx") for arg in starts[1]) == 1  # the batch, then it alone


@needs_soffice()
def test_same_name_in_two_folders_gives_two_pdfs(converted, tmp_path):
    by_pages = sorted(converted[0], key=lambda r: r.pages)
    short, long_ = by_pages[0], by_pages[-1]  # different page counts show which PDF is which
    first = write_atomic(tmp_path / "a" / "don_vi.docx", short.docx.read_bytes())
    second = write_atomic(tmp_path / "b" / "don_vi.docx", long_.docx.read_bytes())
    a, b = pdf.convert_many([first, second], tmp_path / "out", jobs=1)
    assert (a.pdf.name, b.pdf.name) == ("don_vi.pdf", "don_vi_2.pdf")
    assert (len(PdfReader(a.pdf).pages), len(PdfReader(b.pdf).pages)) == (short.pages, long_.pages)


@needs_soffice()
def test_docx_to_pdf_raises_for_a_corrupt_document(tmp_path):
    corrupt = tmp_path / "hong.docx"
    corrupt.write_bytes(b"PK\x03\x04 not really a document")
    with pytest.raises(pdf.PdfError, match="hong.docx"):
        pdf.docx_to_pdf(corrupt, tmp_path / "hong.pdf")
    assert not (tmp_path / "hong.pdf").exists()


def test_missing_libreoffice_names_the_install_command(tmp_path, monkeypatch):
    monkeypatch.setattr(pdf, "soffice_path", lambda: None)
    docx = write_atomic(tmp_path / "a.docx", b"unused")
    for convert in (lambda: pdf.convert_many([docx], tmp_path), lambda: pdf.docx_to_pdf(docx, tmp_path / "a.pdf")):
        with pytest.raises(pdf.PdfError) as caught:
            convert()
        assert "sudo apt-get install -y libreoffice-writer-nogui" in str(caught.value)
        assert "LibreOffice" in str(caught.value)
