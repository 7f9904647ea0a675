"""Each committed notebook runs on its own with its default parameters (nbval, once).

That every section runs through papermill with other parameters (2023, English) is checked by
the command line's build of that report (tests/test_cli.py), which executes all of them.
"""

import subprocess
import sys

from helpers import config

NOTEBOOKS = sorted(config.NOTEBOOKS_DIR.glob("[0-9][0-9]_*.ipynb"))


def test_nbval_smoke_run_of_committed_notebooks():
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "--nbval-lax",
            "--nbval-kernel-name",
            config.KERNEL_NAME,
            "-p",
            "no:cacheprovider",
            "-q",
            str(config.NOTEBOOKS_DIR),
        ],
        capture_output=True,
        text=True,
        cwd=config.PROJECT_ROOT,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert f"{len(NOTEBOOKS)} passed" in result.stdout or "passed" in result.stdout
