"""Each section notebook runs through papermill with other parameters; nbval smoke run."""

import subprocess
import sys
from pathlib import Path

import nbformat
import papermill
import pytest

from helpers import config

NOTEBOOKS = sorted(config.NOTEBOOKS_DIR.glob("[0-9][0-9]_*.ipynb"))


def _text_outputs(path: Path) -> str:
    book = nbformat.read(path, as_version=4)
    parts = []
    for cell in book.cells:
        for output in cell.get("outputs", []):
            assert output.get("output_type") != "error", path.name
            data = output.get("data", {})
            parts.append(data.get("text/html", "") + data.get("text/plain", ""))
    return "\n".join(parts)


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs_for_another_year_in_english(notebook, tmp_path):
    executed = tmp_path / notebook.name
    papermill.execute_notebook(
        str(notebook),
        str(executed),
        kernel_name=config.KERNEL_NAME,
        progress_bar=False,
        cwd=str(config.NOTEBOOKS_DIR),
        parameters={"year": 2023, "lang": "en", "output_dir": str(tmp_path / "out")},
    )
    text = _text_outputs(executed)
    assert text.strip(), "the notebook displayed nothing"
    assert "Nguồn" not in text  # English edition: no Vietnamese labels from the catalogue
    if notebook.stem == "01_summary":
        assert "In 2023 (phase 2021–2025): 4 quantified targets:" in text
        assert "4 tasks:" in text and "2 items of the next phase" in text
        assert (tmp_path / "out" / "tables" / "target-status-en.csv").is_file()
    if notebook.stem == "02_programme":
        assert "Train at least 20 productivity-quality experts" in text
        assert "P1-EXPERTS" not in text and "data:image/png;base64," in text


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
