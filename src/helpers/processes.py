"""Processes and their environment, shared by every layer: cores, start method, variables, heap."""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import multiprocessing.context
import os
import sys
from collections.abc import Iterator

#: Environment variable capping the processes of a bootstrap (a whole number, at least 1); see
#: :mod:`helpers.tfp.production_bootstrap`.
BOOTSTRAP_WORKERS_ENV = "NSCL_BOOTSTRAP_WORKERS"
#: Allocations between two collections of the garbage collector's youngest generation (CPython's
#: default is 700). A build's processes allocate many objects that live as long as the process:
#: at the default the collector ran some 600 times in each and its full passes walked every
#: imported module's objects, about a tenth of the CPU time of a kernel or a PDF writer.
YOUNG_COLLECTION_THRESHOLD = 10_000


def available_cores() -> int:
    """Return the number of cores this process may use."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


def process_context() -> multiprocessing.context.BaseContext:
    """``fork`` on Linux (a worker inherits the imported modules); ``spawn`` elsewhere."""
    if sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


@contextlib.contextmanager
def scoped_environment(**values: str | None) -> Iterator[None]:
    """Set environment variables for a block (``None`` leaves one as it is), then restore them.

    Child processes started in the block (a notebook kernel, a PDF worker) inherit them.
    """
    previous = {name: os.environ.get(name) for name in values}
    os.environ.update({name: value for name, value in values.items() if value is not None})
    try:
        yield
    finally:
        for name, value in previous.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def settle_heap() -> None:
    """Exempt the objects that exist now from garbage collection, and collect less often.

    Called once a process has done its heavy imports (the batch's fork server, a build before
    it starts its workers, the notebook kernel): modules, classes and functions are never
    garbage, so the collector stops walking them (:func:`gc.freeze`), and processes forked
    afterwards do not copy the memory pages they sit on when it would have. Reference cycles
    are still collected, from :data:`YOUNG_COLLECTION_THRESHOLD` allocations on.
    """
    gc.collect()
    gc.freeze()
    collect_less_often()


def collect_less_often() -> None:
    """Run the garbage collector every :data:`YOUNG_COLLECTION_THRESHOLD` allocations."""
    _, middle, oldest = gc.get_threshold()
    gc.set_threshold(YOUNG_COLLECTION_THRESHOLD, middle, oldest)


@contextlib.contextmanager
def collection_paused() -> Iterator[None]:
    """Pause the garbage collector for a block that builds one large structure, then resume.

    For a PDF's layout: WeasyPrint's boxes live until the PDF is written, so collecting
    meanwhile only walks them again and again (some 15 % of a PDF's CPU time) and frees
    little (a page of the report: 17 MB more at the peak).
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
