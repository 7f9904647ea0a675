"""Language-neutral results computed ahead, in the background, while the notebook kernel runs.

Most of a cold build is spent on a few results that every language shares and that the results
cache keeps (:mod:`helpers.report.result_cache`): the enterprise production functions with
their bootstrap, the event study of support, the province's sensitivity grid and the
reconciliation with the published shares. The kernel renders the sections one after the other
on one core, so each of these results used to wait for its section while the other core
idled. :func:`computed_ahead` starts them when the kernel starts, in background processes at a
lower priority (the kernel's own work goes first). Each stores its result in the results cache
under the cache's lock; the section that needs it reads it from there, waiting for the lock
while it is still being computed, or computes it itself if it gets there first. Either way a
result is computed once per build.

The numbers do not depend on where a result is computed: the same code on the same inputs,
one BLAS thread as in the kernel (``tests/test_ahead.py`` compares them). Nothing is computed
ahead when the cache is off (``--no-cache``: the kernel could not read the results) or when
``NSCL_AHEAD=0``. Only the default production-function method is computed ahead; a notebook
that chooses another computes its own. A background process that fails leaves no trace: its
section computes the result and reports the problem as usual.
"""

from __future__ import annotations

import contextlib
import importlib
import multiprocessing
import os
import re
import signal
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import nbformat

from helpers.report import result_cache

if TYPE_CHECKING:
    from multiprocessing.process import BaseProcess

    from helpers.report.context import ReportContext

#: Set to "0" to compute nothing ahead (every result in the kernel, as its section needs it).
AHEAD_ENV = "NSCL_AHEAD"
#: Niceness of the background processes: the kernel, which renders the sections in order, goes
#: first; the background uses what it leaves.
AHEAD_NICENESS = 10

#: The results computed ahead: per section, the functions of its module that compute and cache
#: them (each takes the report context), in order, in one background process per section. The
#: enterprise section's is the longest (its bootstrap runs in worker processes of its own); its
#: event study needs the estimates. A section's results are computed ahead only when one of
#: the build's notebooks uses the section.
AHEAD_RESULTS: dict[str, tuple[str, ...]] = {
    "enterprises": ("estimates", "support_study"),
    "province": ("phase_sensitivity", "reconciliation"),
}
SECTIONS_PACKAGE = "helpers.report.sections"


def sections_used(notebooks: Iterable[Path]) -> set[str]:
    """The section modules (``helpers.report.sections.<name>``) the notebooks' code imports."""
    pattern = re.compile(
        r"from helpers\.report\.sections import ([\w, ]+)|helpers\.report\.sections\.(\w+)"
    )
    used: set[str] = set()
    for path in notebooks:
        book = nbformat.read(path, as_version=4)
        for cell in book.cells:
            if cell.cell_type != "code":
                continue
            for names, dotted in pattern.findall(cell.source):
                used.update(n.strip() for n in names.split(",") if n.strip())
                if dotted:
                    used.add(dotted)
    return used


def enabled(use_cache: bool = True) -> bool:
    """Whether results are computed ahead.

    They are when the cache is on, ``NSCL_AHEAD`` is not "0" and the system forks processes
    into process groups (Linux, macOS; not Windows).
    """
    return (
        hasattr(os, "killpg")
        and "fork" in multiprocessing.get_all_start_methods()
        and use_cache
        and result_cache.cache_dir() is not None
        and os.environ.get(AHEAD_ENV, "1").strip() != "0"
    )


@contextlib.contextmanager
def computed_ahead(
    ctx: ReportContext | None, notebooks: Iterable[Path] = ()
) -> Iterator[list[BaseProcess]]:
    """Compute the :data:`AHEAD_RESULTS` of the sections ``notebooks`` use, in the background.

    On leaving the block, processes still running (the kernel failed before it needed their
    results) are stopped with their workers. Yields the processes started (none when
    :func:`enabled` is false or ``ctx`` is None).
    """
    started: list[BaseProcess] = []
    if ctx is not None and enabled():
        used = sections_used(notebooks)
        context = multiprocessing.get_context("fork")  # the child shares ``ctx``, unpickled
        for section, functions in AHEAD_RESULTS.items():
            if section not in used:
                continue
            names = tuple(f"{SECTIONS_PACKAGE}.{section}:{f}" for f in functions)
            child = context.Process(target=_run_group, args=(ctx, names), daemon=False)
            child.start()
            started.append(child)
    try:
        yield started
    finally:
        for process in started:
            _stop(process)


def _run_group(ctx: ReportContext, group: tuple[str, ...]) -> None:
    """Compute the group's results in turn, quietly, at low priority (a background process).

    The sections are imported here, not in the command's process.
    """
    os.setpgrp()  # its bootstrap workers share its group, so stopping it stops them
    with contextlib.suppress(OSError):
        os.nice(AHEAD_NICENESS)
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.dup2(devnull, sys.stderr.fileno())
    from helpers.tfp.production_estimators import limit_blas_threads

    with limit_blas_threads(1):  # one thread, as in the kernel: the same sums in the same order
        for name in group:
            try:
                _function(name)(ctx)
            except Exception:  # the section computes it again and reports the problem
                return


def _function(name: str) -> Callable[[ReportContext], object]:
    """The function ``module:function`` names."""
    module, function = name.split(":")
    return getattr(importlib.import_module(module), function)


def _stop(process: BaseProcess) -> None:
    """Wait briefly for a background process; stop it and its workers if it still runs."""
    process.join(timeout=0.1)
    if process.is_alive() and process.pid is not None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, signal.SIGTERM)
        process.join(timeout=5)
        if process.is_alive():
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(process.pid, signal.SIGKILL)
            process.join()
