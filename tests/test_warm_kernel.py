"""The notebook kernel forked from a seed that imported its modules while the build started.

That its outputs are the same bytes as a new kernel's is test_batch.py's
test_two_builds_are_byte_identical (the session's report had a forked kernel, the second build
a new one).
"""

import asyncio
import os
import re
import sys

import nbformat
import pytest
import zmq

from helpers import config
from helpers.processes import YOUNG_COLLECTION_THRESHOLD
from helpers.report import warm_kernel
from helpers.report.build import section_notebooks

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="the seed is a fork")


def test_only_ipykernel_with_this_python_is_taken_from_a_seed():
    python = sys.executable
    assert warm_kernel.is_ipykernel_command([python, "-m", "ipykernel_launcher", "-f", "c.json"])
    assert warm_kernel.is_ipykernel_command(
        [python, "-Xfrozen_modules=off", "-m", "ipykernel_launcher", "-f", "c.json"]
    )
    assert not warm_kernel.is_ipykernel_command(["/usr/bin/python3.9", "-m", "ipykernel_launcher"])
    assert not warm_kernel.is_ipykernel_command([python, "-m", "other_kernel", "-f", "c.json"])
    assert not warm_kernel.is_ipykernel_command([python, "-c", "x", "-m", "ipykernel_launcher"])
    assert not warm_kernel.is_ipykernel_command([])


def test_the_seed_imports_what_every_section_notebook_imports():
    imported = set()
    pattern = re.compile(r"^from ([\w.]+) import ([\w, ]+)|^import ([\w.]+)", re.MULTILINE)
    for path in section_notebooks("annual") + section_notebooks("phase_review"):
        for cell in nbformat.read(path, as_version=4).cells:
            if cell.cell_type != "code":
                continue
            for package, names, module in pattern.findall(cell.source):
                if module:
                    imported.add(module)
                    continue
                for name in (n.strip() for n in names.split(",")):
                    candidate = f"{package}.{name}"
                    is_module = candidate.replace(".", "/") + ".py"
                    found = any(p for p in map(str, sys.path) if os.path.isfile(f"{p}/{is_module}"))
                    imported.add(candidate if found else package)
    assert imported, "the notebooks import nothing?"
    assert imported <= set(warm_kernel.KERNEL_MODULES)


def test_an_unused_seed_is_stopped_and_leaves_no_process():
    seed = warm_kernel.KernelSeed(modules=("json",))
    seed.discard()
    with pytest.raises(ChildProcessError):  # already reaped: no zombie is left
        os.waitpid(seed.pid, os.WNOHANG)
    seed.discard()  # twice is harmless


def test_without_the_variable_set_to_0_a_build_gets_a_seed(monkeypatch):
    monkeypatch.setenv(warm_kernel.WARM_KERNEL_ENV, "0")
    with warm_kernel.seed_for_this_build() as seed:
        assert seed is None
    monkeypatch.delenv(warm_kernel.WARM_KERNEL_ENV)
    with warm_kernel.seed_for_this_build() as seed:
        assert seed is not None and warm_kernel._take_seed() is seed
    assert warm_kernel._take_seed() is None  # stopped and forgotten when the build ends
    with warm_kernel.seed_for_this_build() as seed:
        warm_kernel.discard_unused()  # the notebooks came from the cache: no kernel will run
        assert seed is not None and seed.used and warm_kernel._take_seed() is None
        with pytest.raises(ChildProcessError):
            os.waitpid(seed.pid, os.WNOHANG)


def test_a_seed_becomes_the_kernel_jupyter_asked_for(monkeypatch):
    monkeypatch.setenv("NSCL_SEED_CHECK", "from-the-build")

    async def run() -> tuple[str, int]:
        manager = warm_kernel.WarmKernelManager(kernel_name=config.KERNEL_NAME)
        await manager.start_kernel(cwd=str(config.NOTEBOOKS_DIR))
        client = manager.client()
        client.start_channels()
        try:
            await client.wait_for_ready(timeout=60)
            code = (
                "import gc, os, pathlib, threadpoolctl\n"
                "from helpers.report import context\n"
                "blas = {i['num_threads'] for i in threadpoolctl.threadpool_info()"
                " if i['user_api'] == 'blas'}\n"
                "print(os.environ['NSCL_SEED_CHECK'], pathlib.Path.cwd().name, os.getpid(),"
                " os.getpgid(0) == os.getpid(), len(context._SHARED_RESULTS),"
                " gc.get_freeze_count() > 0, gc.get_threshold()[0], sorted(blas))"
            )
            lines = []
            await client.execute_interactive(
                code,
                output_hook=lambda m: lines.append(m["content"].get("text", "")),
                timeout=60,
            )
            pid = manager.provisioner.pid
            # its messages are encrypted where ZeroMQ can (no plain-text warning in the build)
            assert manager.transport_encryption == ("auto" if zmq.has("curve") else "disabled")
        finally:
            client.stop_channels()
            await manager.shutdown_kernel(now=False)
        return "".join(lines).strip(), pid

    monkeypatch.setenv("OPENBLAS_NUM_THREADS", "1")
    from helpers.report import context

    # results this process holds in memory are not the kernel's: it reads and logs its own
    monkeypatch.setitem(context._SHARED_RESULTS, "held by the build", 1)
    with warm_kernel.seed_for_this_build() as seed:
        printed, kernel_pid = asyncio.run(run())
        assert seed is not None and seed.used
    assert kernel_pid == seed.pid  # the seed became the kernel
    environment, folder, pid, own_session, results, frozen, young, blas = printed.split(" ", 7)
    assert (environment, folder, int(pid), own_session, results) == (
        "from-the-build",
        config.NOTEBOOKS_DIR.name,
        seed.pid,
        "True",
        "0",
    )
    # its imports are exempt from garbage collection, which runs less often
    assert (frozen, int(young)) == ("True", YOUNG_COLLECTION_THRESHOLD)
    assert blas in ("[1]", "[]")  # one BLAS thread, as the kernel's environment asks
    with pytest.raises(ChildProcessError):  # shut down and reaped
        os.waitpid(seed.pid, os.WNOHANG)
