"""The PDF bytes depend only on the page, whichever font subsetter the machine has."""

from __future__ import annotations

import os
import time

import pytest

from helpers.report import pdf

PAGE = (
    "<html lang='vi'><body style='font-family: DejaVu Sans, Noto Sans'>"
    "<h1>Báo cáo năm 2025</h1><p>Tỷ trọng đóng góp của TFP: 43,48 %; 1.070 lượt.</p>"
    "</body></html>"
)


@pytest.fixture(params=["harfbuzz-subset", "fonttools"])
def subsetter(request, monkeypatch):
    """Run with the system's HarfBuzz subset library, then as a machine without it."""
    from weasyprint.pdf import fonts

    if request.param == "fonttools":
        monkeypatch.setattr(fonts, "harfbuzz_subset", None)
    elif fonts.harfbuzz_subset is None:
        pytest.skip("this machine has no HarfBuzz subset library (libharfbuzz-subset0)")
    return request.param


def test_two_pdfs_of_one_page_are_byte_identical(subsetter, tmp_path):
    first, second = tmp_path / "a.pdf", tmp_path / "b.pdf"
    pdf.write_pdf(PAGE, first)
    time.sleep(1.1)  # fontTools stamps fonts to the second: a later build must not differ
    pdf.write_pdf(PAGE, second)
    assert first.read_bytes() == second.read_bytes()


def test_the_fixed_time_stamp_does_not_leak(monkeypatch, tmp_path):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    pdf.write_pdf(PAGE, tmp_path / "a.pdf")
    assert "SOURCE_DATE_EPOCH" not in os.environ
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "42")
    pdf.write_pdf(PAGE, tmp_path / "b.pdf")
    assert os.environ["SOURCE_DATE_EPOCH"] == "42"


def test_pdfs_written_in_worker_processes_equal_those_written_here(tmp_path):
    """The languages' PDFs are written in parallel processes: same bytes as one after another."""
    english = PAGE.replace("lang='vi'", "lang='en'").replace("Báo cáo năm", "Report")
    pages = {"vi": PAGE, "en": english}
    for lang, page in pages.items():
        pdf.write_pdf(page, tmp_path / f"serial-{lang}.pdf")
    with pdf.PdfWriter(len(pages), use_cache=False, workers=2) as writer:  # even on one core
        pending = {
            lang: writer.submit(page, tmp_path / f"parallel-{lang}.pdf")
            for lang, page in pages.items()
        }
        waited = {lang: job.wait() for lang, job in pending.items()}
    assert all(seconds > 0 and source == "computed" for seconds, source in waited.values())
    for lang in pages:
        parallel = (tmp_path / f"parallel-{lang}.pdf").read_bytes()
        assert parallel == (tmp_path / f"serial-{lang}.pdf").read_bytes()
    assert (tmp_path / "parallel-vi.pdf").read_bytes() != (
        tmp_path / "parallel-en.pdf"
    ).read_bytes()


def test_no_pdf_means_no_worker():
    writer = pdf.PdfWriter(0)
    with writer:
        assert writer.workers == 0 and writer._pool is None
