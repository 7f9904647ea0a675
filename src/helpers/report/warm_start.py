"""The builds of a batch, started warm: forked from a server that has imported what they need.

A build started as a new ``nscl build`` process first imports pandas, nbconvert, papermill and
the report's modules (about a CPU-second); then each of its worker processes imports what it
needs again: WeasyPrint and Pango in each PDF writer, the estimators in each process that
computes results ahead (:mod:`helpers.report.ahead`). In a batch of six builds this is some 20
CPU-seconds of imports, on two cores that are busy anyway.

:class:`WarmStarter` uses multiprocessing's fork server instead: one server process imports
:data:`PRELOADED` once, and each build is a process forked from it, with its own log, its own
environment (the batch's at the time the build starts, plus the job's variables) and the
project folder as working folder, exactly as the ``nscl build`` command line would run. Its
worker processes, forked from it in turn, find everything imported. A build forked this way
is still a process of its own: a crash or a stuck kernel cannot take the batch down, and its
exit code is the command's.

Only on Linux (:func:`supported`); elsewhere, and on a Dask cluster, each build is an
``nscl build`` process (:func:`run_command`).
"""

from __future__ import annotations

import importlib
import multiprocessing
import multiprocessing.connection
import os
import subprocess
import sys
import threading
from collections.abc import Mapping, Sequence
from pathlib import Path

from helpers import config

#: Loaded once by the fork server, besides the notebook kernel's modules (which include the
#: sections whose results are computed ahead, with the estimators and SciPy): the command line
#: and the build (pandas, nbconvert, papermill), WeasyPrint for the PDF writers, what the
#: sections import only when they use it (pyfixest for the event study, pandera and its
#: checks for the inputs, openpyxl for the tables' workbooks: some 2 s of CPU time in every
#: build otherwise), then ``module:function`` entries called once: the page's templates
#: compiled, and what a build reads once per process anyway (the installed distributions, the
#: fingerprints of the code, the libraries and the fonts).
PRELOADED = (
    "helpers.cli.app",
    "helpers.report.build",
    "weasyprint",
    "pyfixest.estimation",
    "pandera.backends.pandas.builtin_checks",
    "pandera.backends.pandas.builtin_hypotheses",
    "openpyxl",
    "helpers.report.build:warm_up",
    "helpers.report.manifest:installed_versions",
    "helpers.report.result_cache:code_fingerprint",
    "helpers.report.result_cache:package_fingerprint",
    "helpers.report.result_cache:installed_fingerprint",
    "helpers.report.pdf:fonts_fingerprint",
    "helpers.report.pdf:subsetter",
)
#: The module the fork server imports: importing it loads :data:`PRELOADED`.
SERVER_MODULE = "helpers.report._preloaded"


def preload(entries: Sequence[str] | None = None) -> list[str]:
    """Import each module and call each ``module:function`` of ``entries``; return the failed.

    By default :data:`PRELOADED` and the notebook kernel's modules
    (:data:`helpers.report.warm_kernel.KERNEL_MODULES`): a build forked from the server forks
    its kernel in turn (:mod:`helpers.report.warm_kernel`), which then has nothing to import.
    A failure must not stop the fork server (WeasyPrint without Pango, say): the build that
    needs the module meets the same error where it is reported properly.
    """
    if entries is None:
        from helpers.report.warm_kernel import KERNEL_MODULES

        entries = (*PRELOADED, *KERNEL_MODULES)
    failed = []
    for entry in entries:
        module, _, function = entry.partition(":")
        try:
            loaded = importlib.import_module(module)
            if function:
                getattr(loaded, function)()
        except Exception:  # any failure is the build's to report
            failed.append(entry)
    return failed


def supported() -> bool:
    """Whether builds can be forked from a server here (Linux with the fork server)."""
    return sys.platform.startswith("linux") and "forkserver" in (
        multiprocessing.get_all_start_methods()
    )


def run_command(arguments: Sequence[str], log: Path, environment: Mapping[str, str]) -> int:
    """Run ``nscl <arguments>`` as a new process, its output into ``log``; return its exit code."""
    with log.open("w", encoding="utf-8") as handle:
        process = subprocess.run(
            [sys.executable, "-m", "helpers.cli", *arguments],
            stdout=handle,
            stderr=subprocess.STDOUT,
            cwd=config.PROJECT_ROOT,
            env=dict(environment),
            check=False,
        )
    return process.returncode


class WarmStarter:
    """Run ``nscl`` commands in processes forked from the fork server (see the module).

    The server starts, and imports :data:`PRELOADED`, with the first command; it stops when
    this process ends.
    """

    #: Starting a process and reading an ended one's exit code, one thread at a time. Each
    #: start first polls the other processes started so far (multiprocessing's ``_cleanup``),
    #: which reads the exit code of one that has just ended from the fork server's pipe; a
    #: thread reading the same pipe then met its end and took 255 for the exit code of a build
    #: that had succeeded (1 batch in 10 failed so).
    _processes_lock = threading.Lock()

    def __init__(self) -> None:
        self.context = multiprocessing.get_context("forkserver")
        self.context.set_forkserver_preload([SERVER_MODULE])

    def __call__(self, arguments: Sequence[str], log: Path, environment: Mapping[str, str]) -> int:
        """Run ``nscl <arguments>``, its output into ``log``; return its exit code.

        A command killed by a signal returns minus the signal's number. Safe to call from
        several threads at once (a batch's builds side by side).
        """
        log.write_bytes(b"")
        process = self.context.Process(
            target=_command_in_child,
            args=(list(arguments), str(log), dict(environment)),
            name=f"nscl {' '.join(arguments[:1])}",
        )
        with self._processes_lock:
            process.start()
        multiprocessing.connection.wait([process.sentinel])  # ended: its code can be read
        with self._processes_lock:
            process.join()
            code = process.exitcode
        return -1 if code is None else code


def _command_in_child(arguments: list[str], log: str, environment: dict[str, str]) -> None:
    """The forked process: the command's environment, folder and output, then ``nscl``."""
    os.environ.clear()
    os.environ.update(environment)
    os.chdir(config.PROJECT_ROOT)
    sys.stdout.flush()
    sys.stderr.flush()
    descriptor = os.open(log, os.O_WRONLY | os.O_APPEND)
    os.dup2(descriptor, sys.stdout.fileno())
    os.dup2(descriptor, sys.stderr.fileno())
    os.close(descriptor)
    sys.argv = ["nscl", *arguments]
    from helpers.cli.app import main

    main()  # exits with the command's code, which becomes this process's exit code
