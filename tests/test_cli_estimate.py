"""Tests of ``nscl estimate``: JSON output equal to :func:`helpers.tfp.production.estimate`, the
readable table, and exit code 2 with a reason on bad input."""

from __future__ import annotations

import json
import subprocess
import sys
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from helpers.cli.app import app
from helpers.samples.simulate import simulate_panel
from helpers.tfp.production import EstimationWarning, estimate

CHILEAN = Path(__file__).resolve().parents[1].parent / "shared" / "validation" / "chilean.csv"
COLUMNS = ["--output", "y", "--free", "l", "--state", "k", "--id", "firm", "--time", "year"]


@pytest.fixture(scope="module")
def panel_file(tmp_path_factory) -> Path:
    """A simulated panel with text firm ids that keep their leading zeros."""
    panel = simulate_panel(300, n_periods=6, seed=8)
    panel.insert(0, "firm", "0" + panel.pop("id").astype(str).str.zfill(9))
    path = tmp_path_factory.mktemp("cli") / "panel.csv"
    panel.to_csv(path, index=False)
    return path


def run(*arguments: str):
    return CliRunner().invoke(app, ["estimate", *map(str, arguments)])


def test_json_output_matches_the_python_function(panel_file: Path) -> None:
    result = run(
        panel_file,
        "--method",
        "lp",
        "--proxy",
        "m",
        *COLUMNS,
        "--reps",
        "3",
        "--seed",
        "4",
        "--json",
    )
    assert result.exit_code == 0, result.stderr
    printed = json.loads(result.stdout)
    assert set(printed) == {
        "method",
        "coefficients",
        "std_errors",
        "n_obs",
        "n_firms",
        "converged",
        "criterion",
    }
    frame = pd.read_csv(panel_file, dtype={"firm": str})
    expected = estimate(
        frame,
        method="lp",
        output="y",
        free="l",
        state="k",
        proxy="m",
        id="firm",
        time="year",
        reps=3,
        seed=4,
    )
    assert printed["coefficients"] == pytest.approx(expected.coefficients, rel=1e-12)
    assert printed["std_errors"] == pytest.approx(expected.std_errors, rel=1e-12)
    assert (printed["n_obs"], printed["n_firms"]) == (1800, 300)
    assert printed["method"] == "lp" and printed["converged"] is True


def test_json_without_bootstrap_has_null_errors_and_warnings_go_to_stderr(panel_file: Path) -> None:
    result = run(panel_file, "--method", "acf", "--proxy", "m", *COLUMNS, "--json")
    assert result.exit_code == 0, result.stderr
    printed = json.loads(result.stdout)  # nothing but the JSON object on standard output
    assert printed["std_errors"] is None
    assert printed["coefficients"]["l"] == pytest.approx(0.6, abs=0.06)
    assert "warning: ACF" in result.stderr  # DGP1's spurious second root


def test_table_for_people(panel_file: Path) -> None:
    result = run(panel_file, "--method", "ols", *COLUMNS, "--reps", "2", "--seed", "1")
    assert result.exit_code == 0, result.stderr
    assert "pooled OLS" in result.stdout
    assert "std. error" in result.stdout
    frame = pd.read_csv(panel_file, dtype={"firm": str})
    expected = estimate(
        frame, method="ols", output="y", free="l", state="k", id="firm", time="year"
    )
    assert f"{expected.coefficients['l']:.4f}" in result.stdout


@pytest.mark.parametrize(
    ("arguments", "reason"),
    [
        (["missing.csv", "--method", "ols"], "file not found"),
        (["{file}", "--method", "magic"], "unknown method"),
        (["{file}", "--method", "lp"], "needs a proxy"),
        (["{file}", "--method", "lp", "--proxy", "materials"], "column not found"),
        (["{file}", "--method", "acf", "--proxy", "m", "--exit"], "exit"),
    ],
)
def test_bad_input_exits_with_code_2_and_a_reason(panel_file: Path, arguments, reason) -> None:
    arguments = [str(panel_file) if a == "{file}" else a for a in arguments]
    result = run(*arguments, *COLUMNS)
    assert result.exit_code == 2
    assert reason in result.stderr


def test_bad_values_exit_with_code_2_naming_the_row(panel_file: Path, tmp_path: Path) -> None:
    frame = pd.read_csv(panel_file, dtype={"firm": str})
    frame = frame.astype({"k": object})
    frame.loc[3, "l"] = -np.inf  # log of zero
    frame.loc[5, "k"] = "abc"
    broken = tmp_path / "broken.csv"
    frame.to_csv(broken, index=False)
    result = run(broken, "--method", "ols", *COLUMNS)
    assert result.exit_code == 2
    assert "row 5" in result.stderr and "not finite" in result.stderr
    assert "row 7" in result.stderr and "not a number" in result.stderr


def test_unreadable_file_exits_with_code_2(tmp_path: Path) -> None:
    odd = tmp_path / "panel.parquet"
    odd.write_text("not a table")
    result = run(odd, "--method", "ols", *COLUMNS)
    assert result.exit_code == 2 and ".csv or .xlsx" in result.stderr
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    assert run(empty, "--method", "ols", *COLUMNS).exit_code == 2


def test_missing_option_is_a_usage_error(panel_file: Path) -> None:
    result = CliRunner().invoke(app, ["estimate", str(panel_file), "--method", "ols"])
    assert result.exit_code == 2


def test_excel_input(panel_file: Path, tmp_path: Path) -> None:
    frame = pd.read_csv(panel_file, dtype={"firm": str})
    workbook = tmp_path / "panel.xlsx"
    frame.to_excel(workbook, index=False)
    result = run(workbook, "--method", "fe", *COLUMNS, "--json")
    assert result.exit_code == 0, result.stderr
    expected = estimate(frame, method="fe", output="y", free="l", state="k", id="firm", time="year")
    assert json.loads(result.stdout)["coefficients"] == pytest.approx(expected.coefficients)


@pytest.mark.validation
def test_real_command_on_chilean_data_reproduces_prodest_acf() -> None:
    if not CHILEAN.is_file():
        pytest.skip("validation data absent: chilean.csv is not in ../shared/validation")
    command = [
        sys.executable, "-m", "helpers.cli", "estimate", str(CHILEAN), "--method", "acf",
        "--output", "Y", "--free", "fX1,fX2", "--state", "sX", "--proxy", "pX",
        "--id", "idvar", "--time", "timevar", "--reps", "3", "--seed", "1", "--json",
    ]  # fmt: skip
    completed = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    assert completed.returncode == 0, completed.stderr
    printed = json.loads(completed.stdout)
    # R prodest 1.0.1's exact root (validation/README.md).
    assert list(printed["coefficients"].values()) == pytest.approx(
        [0.6457, 0.6440, 0.2508], abs=0.002
    )
    assert printed["criterion"] < 1e-10 and printed["n_obs"] == 2544
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", EstimationWarning)
        expected = estimate(
            pd.read_csv(CHILEAN, dtype={"idvar": str}),
            method="acf", output="Y", free=["fX1", "fX2"], state="sX", proxy="pX",
            id="idvar", time="timevar", reps=3, seed=1,
        )  # fmt: skip
    assert printed["std_errors"] == pytest.approx(expected.std_errors, rel=1e-9)


@pytest.mark.validation
@pytest.mark.parametrize(
    ("method", "proxy", "expected"),
    [
        ("wrdg", "pX", [0.2456, 0.2141, 0.1447]),  # prodestWRDG (2SLS)
        ("wrdg", "inv", [0.3746, 0.3093, 0.1796]),  # prodestWRDG, investment proxy
        ("wrdg-gmm", "pX", [0.2468, 0.2168, 0.0576]),  # prodestWRDG_GMM
    ],
)
def test_wooldridge_methods_reproduce_their_prodest_functions(method, proxy, expected) -> None:
    if not CHILEAN.is_file():
        pytest.skip("validation data absent: chilean.csv is not in ../shared/validation")
    result = run(
        CHILEAN, "--method", method, "--output", "Y", "--free", "fX1,fX2", "--state", "sX",
        "--proxy", proxy, "--id", "idvar", "--time", "timevar", "--json",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    printed = json.loads(result.stdout)
    assert list(printed["coefficients"].values()) == pytest.approx(expected, abs=0.002)


def test_help_says_which_wooldridge_is_which() -> None:
    result = CliRunner().invoke(app, ["estimate", "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    text = " ".join(result.stdout.split())
    assert "prodestWRDG)" in text and "prodestWRDG_GMM" in text and "wrdg-gmm" in text


def test_wrong_option_value_exits_2_with_one_line(panel_file: Path) -> None:
    # A negative seed reached numpy's SeedSequence and ended as an internal error (exit 1).
    result = run(panel_file, "--method", "ols", *COLUMNS, "--reps", "2", "--seed", "-1")
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [
        "error: seed must be a whole number >= 0 or None, got -1"
    ]


def test_an_unexpected_exception_is_an_internal_error(panel_file: Path, monkeypatch) -> None:
    import helpers.tfp.production as production

    def broken(*args, **kwargs):
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr(production, "estimate", broken)
    result = run(panel_file, "--method", "ols", *COLUMNS)
    assert result.exit_code == 1
    assert "ZeroDivisionError: a bug" in result.stderr and "internal error" in result.stderr
