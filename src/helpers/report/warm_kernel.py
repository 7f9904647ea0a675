"""A notebook kernel that starts with its modules imported.

A kernel started by Jupyter is a new Python process: before the first section runs, it imports
pandas, matplotlib, seaborn (and with it SciPy's statistics), IPython and the report's
modules, some 1,5 CPU-seconds on the critical path of every build. :class:`KernelSeed` forks a
process when the build starts, which imports :data:`KERNEL_MODULES` while the build validates
its inputs; when papermill asks for the kernel, :class:`WarmKernelManager` hands the kernel's
command line, environment and folder to that process, which becomes the kernel (ipykernel's
own launcher, in a session of its own, as Jupyter would start it). In a batch the build itself
was forked from a server that imported these modules already (:mod:`helpers.report.warm_start`),
so the seed has nothing left to import.

The kernel computes the same bits either way: it runs the same code on the same inputs, with
one BLAS thread (set here with threadpoolctl, since the libraries were loaded before the
kernel's environment applied), and tests compare the outputs of both ways byte for byte. A seed
that is not used (the executed notebooks came from the cache, or the build failed first) is
stopped. ``NSCL_WARM_KERNEL=0`` starts every kernel as a new process. Linux and macOS only
(the seed is a fork).
"""

from __future__ import annotations

import contextlib
import importlib
import logging
import os
import pickle
import signal
import sys
import time
import traceback
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import zmq
from jupyter_client.manager import AsyncKernelManager
from traitlets import default

from helpers.processes import settle_heap

#: Set to "0" to start every notebook kernel as a new process.
WARM_KERNEL_ENV = "NSCL_WARM_KERNEL"
#: What the section notebooks import (a test checks that the list covers them), and ipykernel.
KERNEL_MODULES = (
    "ipykernel.kernelapp",
    "ipykernel.ipkernel",
    "IPython.display",
    "matplotlib.pyplot",
    "seaborn",
    "helpers.report.blocks",
    "helpers.report.context",
    "helpers.report.sections.enterprises",
    "helpers.report.sections.funding",
    "helpers.report.sections.programme",
    "helpers.report.sections.province",
    "helpers.report.sections.review",
    "helpers.tfp.enterprise_estimates",
)
#: The thread variables the kernel's environment may set, applied with threadpoolctl.
BLAS_THREAD_VARIABLES = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")
_IPYKERNEL_MODULE = "ipykernel_launcher"
LOGGER = logging.getLogger(__name__)


def enabled() -> bool:
    """Whether kernels start from a seed: a system that forks, and not ``NSCL_WARM_KERNEL=0``."""
    return hasattr(os, "fork") and os.environ.get(WARM_KERNEL_ENV, "1").strip() != "0"


class ForkedKernel:
    """The kernel process a seed became, with the part of ``subprocess.Popen`` Jupyter uses."""

    stdin = stdout = stderr = None

    def __init__(self, pid: int):
        self.pid = pid
        self.returncode: int | None = None

    def poll(self) -> int | None:
        """The exit code, or None while the kernel runs."""
        if self.returncode is None:
            with contextlib.suppress(ChildProcessError):
                pid, status = os.waitpid(self.pid, os.WNOHANG)
                if pid:
                    self.returncode = os.waitstatus_to_exitcode(status)
        return self.returncode

    def wait(self, timeout: float | None = None) -> int | None:
        """Wait for the kernel to end (at most ``timeout`` seconds); return its exit code."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if deadline is not None and time.monotonic() > deadline:
                break
            time.sleep(0.02)
        return self.returncode

    def send_signal(self, signum: int) -> None:
        """Send ``signum`` to the kernel if it still runs."""
        if self.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signum)

    def terminate(self) -> None:
        """Ask the kernel to stop (SIGTERM)."""
        self.send_signal(signal.SIGTERM)

    def kill(self) -> None:
        """Stop the kernel (SIGKILL)."""
        self.send_signal(signal.SIGKILL)


class KernelSeed:
    """A forked process that imports :data:`KERNEL_MODULES`, then becomes the kernel on request.

    Use :meth:`become_kernel` once, or :meth:`discard`. Forking happens in the constructor:
    create it before the build starts threads (the PDF writers' pool).
    """

    def __init__(self, modules: Sequence[str] = KERNEL_MODULES):
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:  # the seed
            os.close(write_end)
            _seed_main(read_end, modules)  # never returns
        os.close(read_end)
        self.pid = pid
        self._request = write_end
        self.used = False

    def become_kernel(
        self, command: Sequence[str], environment: Mapping[str, str], folder: str
    ) -> ForkedKernel:
        """Make the seed run ``command`` (ipykernel's launcher) with this environment, there."""
        message = pickle.dumps((list(command), dict(environment), folder, os.getpid()))
        # length first: processes forked since hold the pipe too, so the seed cannot wait for
        # its end
        with os.fdopen(self._request, "wb") as pipe:
            pipe.write(len(message).to_bytes(8, "big") + message)
        self.used = True
        return ForkedKernel(self.pid)

    def discard(self) -> None:
        """Stop an unused seed at once (it holds nothing but imported modules)."""
        if self.used:
            return
        self.used = True
        with contextlib.suppress(OSError):
            os.close(self._request)
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGKILL)
        with contextlib.suppress(ChildProcessError):
            os.waitpid(self.pid, 0)


def _seed_main(request: int, modules: Sequence[str]) -> None:
    """The seed: import, wait for the kernel's command, run it; never returns."""
    code = 1
    try:
        devnull = os.open(os.devnull, os.O_RDONLY)
        os.dup2(devnull, 0)  # Jupyter gives a kernel no terminal input
        os.close(devnull)
        for name in modules:
            with contextlib.suppress(Exception):  # the kernel reports its own import errors
                importlib.import_module(name)
        with os.fdopen(request, "rb") as pipe:
            length = int.from_bytes(_read_exactly(pipe, 8) or bytes(8), "big")
            message = _read_exactly(pipe, length) if length else b""
        code = _run_kernel(*pickle.loads(message)) if message else 0  # our own pipe
    except BaseException:
        traceback.print_exc()
    finally:
        os._exit(code)


def _read_exactly(pipe: Any, size: int) -> bytes:
    """``size`` bytes from ``pipe``, or fewer when it ends first (the build is gone)."""
    parts = []
    while size > 0:
        part = pipe.read(size)
        if not part:
            break
        parts.append(part)
        size -= len(part)
    return b"".join(parts)


def _run_kernel(command: list[str], environment: dict[str, str], folder: str, parent: int) -> int:
    """Run ipykernel's launcher as the new process Jupyter would have started.

    ``parent``: the build's process, which the kernel watches (it ends when the build ends),
    passed as an option: ipykernel reads ``JPY_PARENT_PID`` when it is imported, before the
    kernel's environment applies here.
    """
    os.setsid()  # a session of its own: Jupyter interrupts the kernel's whole group
    os.environ.clear()
    os.environ.update(environment)
    os.environ["JPY_PARENT_PID"] = str(parent)
    os.chdir(folder)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    logging.getLogger().handlers.clear()
    from helpers.report.context import forget_in_memory

    forget_in_memory()  # as empty as a new kernel: what it uses is read and logged again
    _apply_thread_settings(environment)
    settle_heap()
    arguments = command[command.index(_IPYKERNEL_MODULE) + 1 :]
    sys.argv = [command[0], *arguments, f"--IPKernelApp.parent_handle={parent}"]
    from ipykernel import kernelapp

    try:
        kernelapp.launch_new_instance()
    except SystemExit as stop:
        return stop.code if isinstance(stop.code, int) else 1
    return 0


def _apply_thread_settings(environment: Mapping[str, str]) -> None:
    """Apply the environment's BLAS thread count to the libraries loaded before it was set."""
    counts = {environment.get(name, "").strip() for name in BLAS_THREAD_VARIABLES} - {""}
    if len(counts) == 1 and next(iter(counts)).isdigit():
        from threadpoolctl import threadpool_limits

        threadpool_limits(int(next(iter(counts))))


def is_ipykernel_command(command: Sequence[str]) -> bool:
    """Whether ``command`` starts ipykernel with this interpreter (what a seed can become).

    That is ``<this python> [-X options] -m ipykernel_launcher <arguments>``.
    """
    if _IPYKERNEL_MODULE not in command or not command:
        return False
    module_at = list(command).index(_IPYKERNEL_MODULE)
    options = list(command[1 : module_at - 1])
    return (
        module_at >= 2
        and command[module_at - 1] == "-m"
        and all(option.startswith("-X") for option in options)
        and Path(command[0]).resolve() == Path(sys.executable).resolve()
    )


_SEEDS: list[KernelSeed] = []


@contextlib.contextmanager
def seed_for_this_build() -> Iterator[KernelSeed | None]:
    """Fork a seed for the build's kernel (none when :func:`enabled` is false); stop it after."""
    seed = KernelSeed() if enabled() else None
    if seed is not None:
        _SEEDS.append(seed)
    try:
        yield seed
    finally:
        if seed is not None:
            seed.discard()
            with contextlib.suppress(ValueError):
                _SEEDS.remove(seed)


def discard_unused() -> None:
    """Stop the seeds no kernel will come from (the executed notebooks came from the cache)."""
    for seed in _SEEDS:
        seed.discard()


def _take_seed() -> KernelSeed | None:
    """The build's unused seed, if any (each seed becomes one kernel)."""
    for seed in _SEEDS:
        if not seed.used:
            return seed
    return None


class WarmKernelManager(AsyncKernelManager):
    """Jupyter's kernel manager, starting the kernel from the build's seed when there is one.

    The kernel's messages are encrypted (CurveZMQ) when ZeroMQ supports it: no plain-text
    traffic, and no warning about it in every build's output.
    """

    @default("transport_encryption")
    def _encrypt_when_possible(self) -> str:
        return "auto" if zmq.has("curve") else "disabled"

    async def _async_launch_kernel(self, kernel_cmd: list[str], **kw: Any) -> None:
        seed = _take_seed()
        if seed is None or self.provisioner is None or not is_ipykernel_command(kernel_cmd):
            await super()._async_launch_kernel(kernel_cmd, **kw)
            return
        environment = kw.get("env") or dict(os.environ)
        folder = str(kw.get("cwd") or Path.cwd())
        process = seed.become_kernel(kernel_cmd, environment, folder)
        provisioner: Any = self.provisioner
        provisioner.process = process
        provisioner.pid = process.pid
        provisioner.pgid = process.pid  # the kernel leads its own session
        provisioner.cwd = folder
        self._reconcile_connection_info(provisioner.connection_info)
