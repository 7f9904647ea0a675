"""``nscl validate`` checks every file a build reads: each sample file, damaged in turn, is
refused with exit code 2 and named in the problems, before any notebook could run."""

from __future__ import annotations

import csv
import gzip
import io
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from helpers import config
from helpers.cli.app import app
from helpers.inputs import enterprise_panel

#: Each input of the sample data with a column that holds numbers.
NUMERIC_COLUMN = {
    "supported_enterprises.csv": "Năm",
    "activities.csv": "Số người tham gia",
    "province_accounts.csv": "employment",
    "published_figures.csv": "value",
    "enterprise_panel.csv.gz": "capital",
    "funding.csv": "Kinh phí (triệu đồng)",
}
DAMAGES = ("empty", "binary", "column dropped", "text in a number", "removed")


def _read(path: Path) -> str:
    raw = path.read_bytes()
    return (gzip.decompress(raw) if path.suffix == ".gz" else raw).decode("utf-8-sig")


def _write(path: Path, text: str) -> None:
    raw = text.encode("utf-8")
    path.write_bytes(gzip.compress(raw, mtime=0) if path.suffix == ".gz" else raw)


def _edit_table(path: Path, column: str, drop: bool) -> None:
    rows = list(csv.reader(io.StringIO(_read(path))))
    index = rows[0].index(column)
    if drop:
        rows = [row[:index] + row[index + 1 :] for row in rows]
    else:
        rows[1][index] = "mười hai"
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    _write(path, out.getvalue())


def damage(path: Path, how: str) -> None:
    """Damage one input file in place (a copy of the sample data)."""
    if how == "empty":
        path.write_bytes(b"")
    elif how == "binary":
        path.write_bytes(bytes(range(256)) * 8)
    elif how == "removed":
        path.unlink()
    else:
        _edit_table(path, NUMERIC_COLUMN[path.name], drop=how == "column dropped")


def test_every_sample_input_is_covered():
    # the notes (.md) and the sample panel's known truth (written by its generator) are no input
    inputs = {
        p.name
        for p in config.SAMPLE_DATA_DIR.iterdir()
        if p.suffix != ".md" and p.name != enterprise_panel.TRUTH_FILE
    }
    assert inputs == set(NUMERIC_COLUMN) | {"submission.yaml"}


@pytest.mark.parametrize("how", ["binary", "not a mapping"])
def test_a_damaged_submission_text_is_refused_and_named(how, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(config.SAMPLE_DATA_DIR, data)
    text = data / "submission.yaml"
    text.write_bytes(bytes(range(256)) * 4 if how == "binary" else b"- just\n- a list\n")
    result = CliRunner().invoke(app, ["validate", "--data", str(data), "--lang", "en"])
    assert result.exit_code == 2, result.output
    assert "submission.yaml" in result.output


def test_a_missing_submission_text_only_warns_with_placeholders(tmp_path):
    """The Department's own words may be written last: each missing part is a warning."""
    data = tmp_path / "data"
    shutil.copytree(config.SAMPLE_DATA_DIR, data)
    (data / "submission.yaml").unlink()
    result = CliRunner().invoke(app, ["validate", "--data", str(data), "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert "warning" in result.output


def test_the_sample_data_is_valid_for_every_year():
    runner = CliRunner()
    for year in (2021, 2025):
        result = runner.invoke(app, ["validate", "--year", str(year), "--lang", "en"])
        assert result.exit_code == 0, result.output
        assert f"Inputs for {year} are valid" in result.output


@pytest.mark.parametrize("how", DAMAGES)
@pytest.mark.parametrize("name", sorted(NUMERIC_COLUMN))
def test_a_damaged_input_is_refused_and_named(name, how, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(config.SAMPLE_DATA_DIR, data)
    damage(data / name, how)
    problems = tmp_path / "problems.csv"
    result = CliRunner().invoke(
        app, ["validate", "--data", str(data), "--lang", "en", "--problems", str(problems)]
    )
    assert result.exit_code == 2, result.output
    with problems.open(encoding="utf-8-sig", newline="") as handle:
        files = {row["file"] for row in csv.DictReader(handle)}
    stem = name.split(".")[0]
    assert any(f.startswith(stem) for f in files), (files, result.output)


def test_an_input_declared_optional_may_be_absent(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(config.SAMPLE_DATA_DIR, data)
    (data / "enterprise_panel.csv.gz").unlink()
    params = tmp_path / "params.yaml"
    params.write_text(f"year: 2025\ndata_dir: {data}\noptional_inputs: [enterprise_panel]\n")
    result = CliRunner().invoke(app, ["validate", "--params", str(params), "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert "enterprise_panel: absent" in result.output


def test_a_broken_criteria_file_is_refused(tmp_path):
    plan = tmp_path / "plan.yaml"
    criteria = tmp_path / "criteria.yaml"
    criteria.write_text("criteria: [unclosed\n", encoding="utf-8")
    text = (config.DATA_DIR / "plan" / "quang_ninh_203.yaml").read_text(encoding="utf-8")
    lines = [
        f"  criteria_file: {criteria}" if line.strip().startswith("criteria_file:") else line
        for line in text.splitlines()
    ]
    assert any(str(criteria) in line for line in lines)
    plan.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["validate", "--plan", str(plan), "--lang", "en"])
    assert result.exit_code == 2, result.output
    assert "criteria.yaml" in result.output
