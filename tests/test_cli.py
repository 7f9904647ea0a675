"""The nscl command line: exit codes 0 / 2 / 1 and the documented options."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import config

NSCL = Path(sys.executable).with_name("nscl")


def run(*args, **kwargs):
    return subprocess.run(
        [str(NSCL), *args],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=config.PROJECT_ROOT,
        **kwargs,
    )


def test_help_lists_the_commands():
    result = run("--help")
    assert result.returncode == 0
    for command in ("build", "validate"):
        assert command in result.stdout


def test_build_2023_in_english(tmp_path):
    draft = tmp_path / "draft.yaml"  # fewer bootstrap replications: a quicker draft
    draft.write_text("bootstrap_replications: 19\n", encoding="utf-8")
    cache = tmp_path / "cache"  # a limit of 0 MB: the build ends by emptying its cache
    result = run(
        "build", "--params", str(draft), "--year", "2023", "--lang", "en",
        "--format", "html", "--out", str(tmp_path),
        env={**os.environ, "NSCL_CACHE_DIR": str(cache), "NSCL_CACHE_MAX_MB": "0"},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    assert "Cache: removed" in result.stdout
    assert not [p for p in cache.rglob("*") if p.suffix in (".pickle", ".pdf")]
    page = (tmp_path / "2023" / "nscl-2023-en.html").read_text(encoding="utf-8")
    assert "annual report 2023" in page
    assert not (tmp_path / "2023" / "nscl-2023-vi.html").exists()
    # every section ran with these parameters (not the notebooks' defaults: 2025, Vietnamese)
    assert "In 2023 (phase 2021–2025): 4 quantified targets:" in page
    assert "4 tasks:" in page and "2 items of the next phase" in page
    assert "Train at least 20 productivity-quality experts" in page
    assert "P1-EXPERTS" not in page
    assert "Nguồn" not in page  # no Vietnamese label from the catalogue in the English edition
    assert page.count("data:image/png;base64,") >= 5  # charts of every section
    assert (tmp_path / "2023" / "tables" / "target-status-en.csv").is_file()
    notebooks = sorted(p.name for p in (tmp_path / "2023" / "notebooks" / "en").glob("*.ipynb"))
    assert notebooks == sorted(p.name for p in config.NOTEBOOKS_DIR.glob("0[0-35-9]_*.ipynb"))


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["--year", "2019"], "year"),
        (["--lang", "fr"], "--lang"),
        (["--format", "odt"], "--format"),
        (["--year", "2024", "--data", "no/such/folder"], "data folder not found"),
    ],
)
def test_build_bad_usage_exits_2(tmp_path, args, fragment):
    result = run("build", *args, "--out", str(tmp_path))
    assert result.returncode == 2
    assert fragment in result.stderr
    assert not (tmp_path / "2019").exists()


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["--params", "no/such/review.yaml"], "file not found: no/such/review.yaml"),
        (["--years", "2025", "--params", "params/2025.yaml"], "two jobs named 2025"),
    ],
)
def test_batch_bad_parameter_files_exit_2_before_any_build(tmp_path, args, fragment):
    result = run("batch", *args, "--out", str(tmp_path))
    assert result.returncode == 2
    assert fragment in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_validate_sample_data():
    result = run("validate", "--data", str(config.SAMPLE_DATA_DIR))
    assert result.returncode == 0, result.stderr
    assert "valid" in result.stdout


def test_validate_missing_files_exits_2_and_writes_problems(tmp_path):
    problems = tmp_path / "problems.csv"
    result = run("validate", "--data", str(tmp_path), "--problems", str(problems))
    assert result.returncode == 2
    assert "supported_enterprises" in result.stderr and "activities" in result.stderr
    assert problems.read_text(encoding="utf-8-sig").startswith("file,message")
