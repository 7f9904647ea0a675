"""The Excel templates: generated from the contracts, and read back by the registers' reader."""

from __future__ import annotations

import csv
import hashlib

import pandas as pd
import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from helpers import config
from helpers.cli.app import app
from helpers.errors import InputError
from helpers.inputs.contracts import ACTIVITIES, DATASETS, NOTES_MARKER, SUPPORTED_ENTERPRISES
from helpers.inputs.excel_templates import (
    DATA_SHEET,
    DICTIONARY_SHEET,
    FIRST_ENTRY_ROW,
    LISTS_SHEET,
    NOTES_ROW,
    allowed_values,
)
from helpers.inputs.registers import read_dataset


@pytest.fixture(scope="module")
def templates_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("templates")
    result = CliRunner().invoke(app, ["templates", "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out


def sample_rows(dataset, rows):
    with (config.SAMPLE_DATA_DIR / f"{dataset.file_stem}.csv").open(encoding="utf-8") as handle:
        return [list(r) for r in csv.reader(handle)][1 : rows + 1]


def plain(frame: pd.DataFrame) -> list[list[object]]:
    """Cell values with every kind of missing value as None (dtypes aside)."""
    return [[None if pd.isna(v) else v for v in row] for row in frame.astype(object).to_numpy()]


def test_one_template_per_dataset(templates_dir):
    names = sorted(p.name for p in templates_dir.iterdir())
    expected = [f"{d.file_stem}.xlsx" for d in DATASETS.values()] + ["submission.yaml"]
    assert names == sorted(expected)


@pytest.mark.parametrize("dataset", list(DATASETS.values()), ids=list(DATASETS))
def test_headers_notes_and_dictionary_come_from_the_contract(templates_dir, dataset):
    workbook = load_workbook(templates_dir / f"{dataset.file_stem}.xlsx")
    assert workbook.sheetnames == [DATA_SHEET, DICTIONARY_SHEET, LISTS_SHEET]
    assert workbook[LISTS_SHEET].sheet_state == "hidden"
    data = workbook[DATA_SHEET]
    headers = [c.value for c in data[1]]
    assert headers == [c.header_vi for c in dataset.columns]
    assert all(data.cell(1, i + 1).comment is not None for i in range(len(headers)))
    notes = [c.value for c in data[NOTES_ROW]]
    assert notes[0].startswith(NOTES_MARKER)
    assert all(notes)
    dictionary = pd.read_excel(
        templates_dir / f"{dataset.file_stem}.xlsx", sheet_name=DICTIONARY_SHEET, engine="calamine"
    )
    assert list(dictionary.iloc[:, 0]) == [c.name for c in dataset.columns]
    assert list(dictionary.iloc[:, 1]) == [c.header_vi for c in dataset.columns]
    assert dictionary.iloc[:, 2].notna().all()  # an English meaning for every column


def test_drop_down_lists_for_coded_columns(templates_dir):
    workbook = load_workbook(templates_dir / "supported_enterprises.xlsx")
    data, lists = workbook[DATA_SHEET], workbook[LISTS_SHEET]
    by_column = {}
    for validation in data.data_validations.dataValidation:
        for cell_range in validation.sqref.ranges:
            by_column[cell_range.min_col] = (validation, cell_range)
    for index, column in enumerate(SUPPORTED_ENTERPRISES.columns, start=1):
        values = allowed_values(column)
        if not values:
            continue
        validation, cell_range = by_column[index]
        assert validation.type == "list"
        assert cell_range.min_row == FIRST_ENTRY_ROW
        sheet_name, cells = validation.formula1.lstrip("=").split("!")
        assert sheet_name.strip("'") == LISTS_SHEET
        listed = [c.value for row in lists[cells.replace("$", "")] for c in row]
        assert listed == list(values), column.name
        # tools take several values: the drop-down offers one and accepts typed lists
        assert validation.showErrorMessage is (column.kind != "codes")
    assert by_column[1][0].type == "whole"  # the year


def test_empty_template_reads_as_no_rows(templates_dir):
    for dataset in DATASETS.values():
        frame = read_dataset(templates_dir / f"{dataset.file_stem}.xlsx", dataset)
        assert len(frame) == 0 and frame.attrs["warnings"] == []


def test_filled_template_reads_like_the_csv(templates_dir, tmp_path):
    rows = sample_rows(ACTIVITIES, 12)
    workbook = load_workbook(templates_dir / "activities.xlsx")
    sheet = workbook[DATA_SHEET]
    for offset, row in enumerate(rows):
        for index, value in enumerate(row):
            sheet.cell(
                FIRST_ENTRY_ROW + offset, index + 1, int(value) if value.isdigit() else value
            )
    path = tmp_path / "activities.xlsx"
    workbook.save(path)
    frame = read_dataset(path, ACTIVITIES)
    expected = read_dataset(config.SAMPLE_DATA_DIR / "activities.csv", ACTIVITIES).iloc[:12]
    assert list(frame.index) == list(range(FIRST_ENTRY_ROW, FIRST_ENTRY_ROW + 12))
    assert plain(frame) == plain(expected)
    sheet.cell(FIRST_ENTRY_ROW + 4, 5, -3)  # participants on Excel row 7
    workbook.save(path)
    with pytest.raises(InputError) as caught:
        read_dataset(path, ACTIVITIES)
    [problem] = caught.value.problems
    assert (problem.sheet, problem.row, problem.column) == (DATA_SHEET, 7, "Số người tham gia")


def test_existing_files_are_not_replaced_without_force(templates_dir):
    target = templates_dir / "activities.xlsx"
    before = hashlib.sha256(target.read_bytes()).hexdigest()
    result = CliRunner().invoke(app, ["templates", "--out", str(templates_dir)])
    assert result.exit_code == 2
    assert "--force" in result.output
    assert hashlib.sha256(target.read_bytes()).hexdigest() == before
    result = CliRunner().invoke(app, ["templates", "--out", str(templates_dir), "--force"])
    assert result.exit_code == 0
    assert hashlib.sha256(target.read_bytes()).hexdigest() == before  # same bytes: no clock


def test_templates_hold_no_formula_cell(templates_dir):
    """Every text cell of a template is stored as text (the drop-downs are validations)."""
    import re
    import zipfile

    for dataset in DATASETS.values():
        with zipfile.ZipFile(templates_dir / f"{dataset.file_stem}.xlsx") as archive:
            sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/sheet")]
            xml = "".join(archive.read(n).decode("utf-8") for n in sheets)
        assert re.findall(r"<f[ >/]", xml) == []
        assert "<dataValidation " in xml  # the lists' formulas live in validations, not cells
