"""A PDF is written once per page, fonts and libraries: the same page again comes from the cache."""

from __future__ import annotations

import pytest

from helpers.report import pdf, result_cache

PAGE = (
    "<html lang='vi'><body style='font-family: DejaVu Sans, Noto Sans'>"
    "<h1>Báo cáo năm 2025</h1><p>Số doanh nghiệp được hỗ trợ: 1.070.</p></body></html>"
)


@pytest.fixture
def cache(tmp_path, monkeypatch):
    """A results cache of this test only, switched on."""
    monkeypatch.setenv(result_cache.CACHE_DIR_ENV, str(tmp_path / "cache"))
    monkeypatch.delenv(result_cache.NO_CACHE_ENV, raising=False)
    if pdf.fonts_fingerprint() is None:
        pytest.skip("fontconfig's fc-list is missing: PDFs are never cached on this machine")
    return tmp_path / "cache" / pdf.CACHE_SUBFOLDER


def _write(writer: pdf.PdfWriter, page: str, target) -> str:
    return writer.submit(page, target).wait()[1]


def test_the_same_page_again_is_copied_from_the_cache(cache, tmp_path):
    with pdf.PdfWriter(1, workers=0) as writer:
        assert _write(writer, PAGE, tmp_path / "first.pdf") == "computed"
        assert _write(writer, PAGE, tmp_path / "second.pdf") == "cache"
    assert (tmp_path / "first.pdf").read_bytes() == (tmp_path / "second.pdf").read_bytes()
    assert len(list(cache.glob("*.pdf"))) == 1


def test_a_changed_page_is_written_again(cache, tmp_path):
    with pdf.PdfWriter(1, workers=0) as writer:
        _write(writer, PAGE, tmp_path / "first.pdf")
        changed = PAGE.replace("1.070", "1.071")
        assert _write(writer, changed, tmp_path / "second.pdf") == "computed"
    assert (tmp_path / "first.pdf").read_bytes() != (tmp_path / "second.pdf").read_bytes()
    assert len(list(cache.glob("*.pdf"))) == 2


def test_the_key_follows_fonts_libraries_and_code(cache, monkeypatch):
    key = pdf.pdf_key(PAGE)
    assert key == pdf.pdf_key(PAGE) and key != pdf.pdf_key(PAGE + " ")
    for module, name, value in [
        (pdf, "fonts_fingerprint", "another font set"),
        (pdf, "subsetter", "another subsetter"),
        (result_cache, "installed_fingerprint", "another library version"),
        (result_cache, "package_fingerprint", "other code"),
    ]:
        with monkeypatch.context() as patch:
            patch.setattr(module, name, lambda value=value: value)
            assert pdf.pdf_key(PAGE) != key, name


def test_without_a_font_list_or_with_the_cache_off_nothing_is_kept(cache, tmp_path, monkeypatch):
    with monkeypatch.context() as patch:
        patch.setattr(pdf, "fonts_fingerprint", lambda: None)
        assert pdf.cached_pdf_path(PAGE) is None
        with pdf.PdfWriter(1, workers=0) as writer:
            assert _write(writer, PAGE, tmp_path / "a.pdf") == "computed"
            assert _write(writer, PAGE, tmp_path / "b.pdf") == "computed"
    with pdf.PdfWriter(1, use_cache=False, workers=0) as writer:
        assert _write(writer, PAGE, tmp_path / "c.pdf") == "computed"
    monkeypatch.setenv(result_cache.NO_CACHE_ENV, "1")  # nscl build --no-cache
    assert pdf.cached_pdf_path(PAGE) is None
    assert not cache.exists() or not list(cache.glob("*.pdf"))


def test_a_pdf_from_a_worker_is_kept_for_the_next_build(cache, tmp_path):
    with pdf.PdfWriter(1, workers=1) as writer:
        assert _write(writer, PAGE, tmp_path / "first.pdf") == "computed"
    with pdf.PdfWriter(1, workers=1) as writer:
        assert _write(writer, PAGE, tmp_path / "second.pdf") == "cache"
    assert (tmp_path / "first.pdf").read_bytes() == (tmp_path / "second.pdf").read_bytes()
