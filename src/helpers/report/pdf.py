"""The PDF edition of a report page: WeasyPrint, the same bytes for the same page, kept aside.

A PDF is a function of the page (its HTML, images embedded), the fonts the system offers and
the versions of the installed libraries. :class:`PdfWriter` therefore keeps every PDF it
writes in the results cache (``pdf/`` in :func:`helpers.report.result_cache.cache_dir`) under
the SHA-256 of those three, and copies it from there when the same page is asked for again:
a batch rebuilt with ``--force`` on unchanged inputs writes no PDF twice, while a page whose
text changed by one letter gets a new one. ``nscl build --no-cache`` writes every PDF again.

Writing a PDF takes seconds (layout of some thirty pages). The writer starts its worker
processes when it is opened, so they load WeasyPrint while the notebooks run; this process
meanwhile renders the other languages, writes the workbooks and checks the public folder.
"""

from __future__ import annotations

import contextlib
import ctypes.util
import functools
import hashlib
import logging
import re
import shutil
import subprocess
import time
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from helpers import config
from helpers.processes import (
    available_cores,
    collection_paused,
    process_context,
    scoped_environment,
)
from helpers.report import result_cache
from helpers.report.manifest import FIXED_STAMP

LOGGER = logging.getLogger(__name__)
#: :data:`helpers.report.manifest.FIXED_STAMP` written into the subset fonts of a PDF
#: (SOURCE_DATE_EPOCH). Without it, fontTools (WeasyPrint's subsetter when the system has no
#: HarfBuzz subset library) stamps each font with the time of the build and the bytes change.
PDF_SOURCE_DATE_EPOCH = str(int(FIXED_STAMP.timestamp()))
#: The options of every PDF: tagged for screen readers (PDF/UA-1).
PDF_OPTIONS = {"pdf_variant": "pdf/ua-1", "pdf_tags": True}
#: Bump when the way a PDF is written changes without a library or page change.
PDF_FORMAT = 1
CACHE_SUBFOLDER = "pdf"
FROM_CACHE, WRITTEN = "cache", "computed"
#: A number, a space and a per cent sign ("95 %", "10–15 %"): the space must not break a line.
_NUMBER_SPACE_PERCENT = re.compile(r"(?<=\d) (?=%)")
NO_BREAK_SPACE = "\u00a0"


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def keep_percent_with_number(html_text: str) -> str:
    """Join each per cent sign to its number with a no-break space, so no line starts with "%".

    Vietnamese writes "95 %" with a space, which a line may otherwise break at (seen in
    captions and in the plan's words: "trên 55 / %"). The page has no such pattern inside a tag.

    Examples
    --------
    >>> keep_percent_with_number("khoảng tin cậy 95 % và 10–15 %/năm, 12%") == (
    ...     "khoảng tin cậy 95\u00a0% và 10–15\u00a0%/năm, 12%")
    True

    """
    return _NUMBER_SPACE_PERCENT.sub(NO_BREAK_SPACE, html_text)


def write_pdf(html_text: str, target: Path) -> list[str]:
    """Write the A4 PDF of a report page with WeasyPrint (print stylesheet applies).

    The PDF is tagged (PDF/UA-1: structure, reading order, alternative text of images, the
    document language from ``<html lang>``) so that screen readers can use it. Its bytes
    depend only on the page: fonts are subset either by the system's HarfBuzz subset library
    or, where it is missing, by fontTools with a fixed time stamp. Returns WeasyPrint's
    warnings (for example a link to a missing anchor), also logged here.
    """
    from weasyprint import HTML  # imported late: it loads Pango

    collect = _Collect()
    weasy_logger = logging.getLogger("weasyprint")
    weasy_logger.addHandler(collect)
    try:
        with scoped_environment(SOURCE_DATE_EPOCH=PDF_SOURCE_DATE_EPOCH), collection_paused():
            page = keep_percent_with_number(html_text)
            HTML(string=page, base_url=str(config.TEMPLATES_DIR)).write_pdf(target, **PDF_OPTIONS)
    finally:
        weasy_logger.removeHandler(collect)
    for message in collect.messages:  # broken links matter; CSS notes for the screen do not
        LOGGER.log(logging.WARNING if "anchor" in message else logging.DEBUG, "PDF: %s", message)
    return collect.messages


# ------------------------------------------------------------------------------------------
# What a PDF depends on besides its page


@functools.lru_cache(maxsize=1)
def fonts_fingerprint() -> str | None:
    """SHA-256 of the fonts fontconfig offers (file, version), or None when it cannot tell.

    Without it a PDF is never taken from the cache: a font installed or upgraded since would
    go unnoticed.
    """
    try:
        listed = subprocess.run(
            ["fc-list", "--format", "%{file}|%{fontversion}|%{style}\n"],
            capture_output=True,
            text=True,
            timeout=30,
            check=True,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    return hashlib.sha256("\n".join(sorted(listed.splitlines())).encode()).hexdigest()


@functools.lru_cache(maxsize=1)
def subsetter() -> str:
    """Which font subsetter WeasyPrint will use: the system's HarfBuzz library or fontTools."""
    return "harfbuzz-subset" if ctypes.util.find_library("harfbuzz-subset") else "fonttools"


def pdf_key(html_text: str) -> str | None:
    """The cache key of the PDF of ``html_text`` (hex SHA-256), or None when it cannot be kept.

    The page, the fonts, the subsetter, every installed distribution's version, the code of
    the package (templates and stylesheets included) and the PDF options enter the key.
    """
    fonts = fonts_fingerprint()
    if fonts is None:
        return None
    digest = hashlib.sha256()
    for part in (
        str(PDF_FORMAT),
        repr(sorted(PDF_OPTIONS.items())),
        PDF_SOURCE_DATE_EPOCH,
        fonts,
        subsetter(),
        result_cache.installed_fingerprint(),
        result_cache.package_fingerprint(),
        html_text,
    ):
        digest.update(part.encode())
        digest.update(b"\0")
    return digest.hexdigest()


def cached_pdf_path(html_text: str) -> Path | None:
    """Where the PDF of ``html_text`` is kept, or None when the cache is off or cannot be used."""
    folder = result_cache.cache_dir()
    key = pdf_key(html_text) if folder is not None else None
    return None if folder is None or key is None else folder / CACHE_SUBFOLDER / f"{key}.pdf"


def _write_and_keep(html_text: str, target: Path, kept: Path | None) -> float:
    """Write one PDF and keep a copy at ``kept``; return the seconds it took (runs in a worker)."""
    lap = time.perf_counter()
    write_pdf(html_text, target)
    if kept is not None:
        with (
            contextlib.suppress(OSError),  # a full disk costs the copy, not the report
            result_cache.replaced_atomically(kept, ".pdf") as temporary,
        ):
            shutil.copyfile(target, temporary)
    return time.perf_counter() - lap


def _warm_up() -> None:
    """Load WeasyPrint and Pango in a worker before the first page arrives."""
    import weasyprint  # noqa: F401


# ------------------------------------------------------------------------------------------
# The writer


@dataclass(frozen=True)
class PendingPdf:
    """A PDF being written: :meth:`wait` returns its seconds and where it came from."""

    _wait: Callable[[], float]
    source: str

    def wait(self) -> tuple[float, str]:
        """Block until the PDF is on disk; return ``(seconds, source)`` (source: cache/computed)."""
        return self._wait(), self.source


class PdfWriter:
    """Write the PDFs of a build, from the cache or in worker processes.

    Use as a context manager opened before the notebooks run, so that the workers start and
    load WeasyPrint meanwhile. With one core (or ``workers=0``) the PDFs are written in this
    process, when waited for.

    Parameters
    ----------
    count : int
        PDFs the build will write (0: none; nothing is started).
    use_cache : bool
        Take PDFs of unchanged pages from the cache and keep new ones there.
    workers : int, optional
        Worker processes (default: one per PDF, at most one per core, none on one core).

    """

    def __init__(self, count: int, *, use_cache: bool = True, workers: int | None = None):
        self.count = count
        self.use_cache = use_cache
        if workers is None:
            cores = available_cores()
            workers = min(count, cores) if cores > 1 else 0
        self.workers = max(0, min(workers, count))
        self._pool: ProcessPoolExecutor | None = None

    def __enter__(self) -> PdfWriter:
        if self.workers:
            self._pool = ProcessPoolExecutor(max_workers=self.workers, mp_context=process_context())
            for _ in range(self.workers):  # start every worker now (the pool starts them lazily)
                self._pool.submit(_warm_up)
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def submit(self, html_text: str, target: Path) -> PendingPdf:
        """Start writing the PDF of ``html_text`` to ``target``."""
        kept = cached_pdf_path(html_text) if self.use_cache else None
        if kept is not None:
            lap = time.perf_counter()
            try:
                shutil.copyfile(kept, target)  # into the build's own staging folder
            except FileNotFoundError:  # not kept, or removed by the cache's size limit
                pass
            else:
                result_cache.mark_used(kept)
                seconds = time.perf_counter() - lap
                return PendingPdf(lambda: seconds, FROM_CACHE)
        if self._pool is None:
            return PendingPdf(functools.partial(_write_and_keep, html_text, target, kept), WRITTEN)
        future: Future[float] = self._pool.submit(_write_and_keep, html_text, target, kept)
        return PendingPdf(future.result, WRITTEN)
