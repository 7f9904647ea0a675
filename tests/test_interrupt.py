"""An interrupted build never damages the previous report.

``nscl build`` runs in a subprocess over a reports folder that already holds a report; while
its notebooks execute, it gets SIGINT (as from Ctrl-C) or SIGTERM (as from ``kill`` or a
supervisor). The previous report must stay byte-identical and no half-built folder may take its
place, and the staging folder must be gone: ``nscl`` turns both signals into an exception that
unwinds the build through its clean-up.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(os.name != "posix", reason="POSIX signals"),
]

#: Seconds to wait for the build to reach its notebooks, and to end after the signal.
START_TIMEOUT, END_TIMEOUT = 120, 120


def tree_hashes(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def previous_report(out: Path) -> Path:
    """A stand-in for last year's finished report: a few files, one in a subfolder."""
    folder = out / "2025"
    (folder / "tables").mkdir(parents=True)
    (folder / "nscl-2025-vi.html").write_text("<html><p>báo cáo cũ</p></html>\n", encoding="utf-8")
    (folder / "manifest.json").write_text('{"report": "2025"}\n', encoding="utf-8")
    (folder / "tables" / "indicators-vi.csv").write_bytes(b"year,value\n2025,1\n")
    return folder


def wait_for_notebooks(process: subprocess.Popen, out: Path) -> None:
    """Return once the build writes its executing notebooks into the staging folder."""
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if list(out.glob(".2025.building-*/**/*.ipynb")):  # papermill's input or output
            time.sleep(0.5)  # well inside the notebooks' execution
            if process.poll() is not None:
                pytest.fail("the build ended before it could be interrupted")
            return
        if process.poll() is not None:
            output = process.stdout.read() if process.stdout else ""
            pytest.fail(f"the build ended before its notebooks ran:\n{output}")
        time.sleep(0.1)
    pytest.fail("the build did not reach its notebooks in time")


def interrupted_build(out: Path, signum: int) -> int:
    """Start ``nscl build``, send ``signum`` while notebooks run; return its exit status."""
    command = [sys.executable, "-m", "helpers.cli", "build", "--year", "2025", "--lang", "vi"]
    command += ["--format", "html", "--out", str(out)]
    process = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,  # its own process group, so the test can end all of it
    )
    try:
        wait_for_notebooks(process, out)
        process.send_signal(signum)
        process.communicate(timeout=END_TIMEOUT)
        return process.returncode
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_interrupted_build_keeps_the_previous_report(tmp_path, signum):
    out = tmp_path / "reports"
    folder = previous_report(out)
    before = tree_hashes(folder)
    status = interrupted_build(out, signum)
    assert status != 0
    assert tree_hashes(folder) == before
    visible = sorted(p.name for p in out.iterdir() if not p.name.startswith("."))
    assert visible == ["2025"]
    hidden = sorted(p.name for p in out.iterdir() if p.name.startswith("."))
    assert hidden == []  # the staging folder was removed
