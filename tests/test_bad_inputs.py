"""Every malformed file of tests/bad_inputs/ is refused with the right message and location.

Each case is copied into a fresh data folder under its dataset's file name, next to a small
valid register of the other dataset, and run through ``nscl validate --problems FILE``: the exit
code must be 2 and the problems CSV must hold the case's message fragment at its row and column
(and sheet, for workbooks). ``cases.yaml`` and the files are written by ``make_cases.py``.
"""

from __future__ import annotations

import csv
import hashlib
import shutil
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from helpers.cli.app import app
from helpers.errors import InputError
from helpers.inputs.contracts import DATASETS
from helpers.inputs.registers import load_registers

CASES_DIR = Path(__file__).resolve().parent / "bad_inputs"
CASES = yaml.safe_load((CASES_DIR / "cases.yaml").read_text(encoding="utf-8"))["cases"]


def data_folder(case: dict, root: Path) -> Path:
    """A data folder holding the case's file and a valid register of the other dataset."""
    folder = root / "data"
    folder.mkdir()
    source = CASES_DIR / case["file"]
    stem = DATASETS[case["dataset"]].file_stem
    shutil.copyfile(source, folder / f"{stem}{source.suffix}")
    for name, dataset in DATASETS.items():
        if name != case["dataset"]:
            valid = CASES_DIR / f"valid_{dataset.file_stem}.csv"
            shutil.copyfile(valid, folder / f"{dataset.file_stem}.csv")
    if case.get("locale"):
        text = yaml.safe_dump(case["locale"], allow_unicode=True)
        (folder / "locale.yaml").write_text(text, encoding="utf-8")
    return folder


def read_problems(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def test_catalogue_is_complete():
    files = {p.name for p in CASES_DIR.iterdir() if p.is_file()}
    listed = [c["file"] for c in CASES]
    assert len(listed) >= 30
    assert len(set(listed)) == len(listed)
    assert set(listed) <= files
    assert {c["dataset"] for c in CASES} == set(DATASETS)
    unlisted = files - set(listed) - {"cases.yaml", "make_cases.py"}
    assert {f for f in unlisted if not f.startswith("valid_")} == set()


def test_valid_companions_are_valid(tmp_path):
    folder = tmp_path / "data"
    folder.mkdir()
    for dataset in DATASETS.values():
        shutil.copyfile(
            CASES_DIR / f"valid_{dataset.file_stem}.csv", folder / f"{dataset.file_stem}.csv"
        )
    frames = load_registers(folder)
    assert {name: len(frame) for name, frame in frames.items()} == {
        "supported_enterprises": 20,
        "activities": 20,
        "funding": 20,
    }


@pytest.mark.parametrize("case", CASES, ids=[c["file"] for c in CASES])
def test_bad_input_is_reported(case, tmp_path):
    folder = data_folder(case, tmp_path)
    before = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.iterdir()}
    problems_csv = tmp_path / "problems.csv"
    result = CliRunner().invoke(
        app,
        ["validate", "--data", str(folder), "--problems", str(problems_csv), "--lang", "en"],
    )
    assert result.exit_code == 2, result.output
    problems = read_problems(problems_csv)
    expected_row = "" if case["row"] is None else str(case["row"])
    expected_column = case["column"] or ""
    matching = [
        p
        for p in problems
        if case["message"] in p["message"]
        and p["row"] == expected_row
        and p["column"] == expected_column
        and p["severity"] == "error"
    ]
    assert matching, f"{case['description']}: no problem like {case!r} in {problems!r}"
    if case.get("sheet"):
        assert matching[0]["sheet"] == case["sheet"]
    after = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.iterdir()}
    assert after == before  # the inputs are only read


def test_every_problem_is_listed_at_once(tmp_path):
    """Three broken files and cells in one folder: all their problems come in one error."""
    folder = tmp_path / "data"
    folder.mkdir()
    shutil.copyfile(CASES_DIR / "se_bad_sector.csv", folder / "supported_enterprises.csv")
    shutil.copyfile(CASES_DIR / "ac_negative_participants.csv", folder / "activities.csv")
    with pytest.raises(InputError) as caught:
        load_registers(folder)
    located = {(p.file, p.row, p.column) for p in caught.value.problems if p.severity == "error"}
    assert located == {
        ("supported_enterprises.csv", 4, "Ngành VSIC (cấp 1)"),
        ("activities.csv", 3, "Số người tham gia"),
    }
