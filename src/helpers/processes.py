"""Processes and their environment, shared by every layer: cores, start method, variables."""

from __future__ import annotations

import contextlib
import multiprocessing
import multiprocessing.context
import os
import sys
from collections.abc import Iterator

#: Environment variable capping the processes of a bootstrap (a whole number, at least 1); see
#: :mod:`helpers.tfp.production_bootstrap`.
BOOTSTRAP_WORKERS_ENV = "NSCL_BOOTSTRAP_WORKERS"


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
