"""Parameters are validated before anything runs, naming the file and the key."""

import pytest

from helpers import config
from helpers.errors import InputError
from helpers.inputs.params import load_params


def _write(tmp_path, text):
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _problem(excinfo):
    return excinfo.value.problems[0]


def test_every_params_file_is_valid():
    for path in sorted(config.PARAMS_DIR.glob("*.yaml")):
        params = load_params(path)
        assert 2021 <= params.year <= 2030


def test_phase_review_has_its_own_folder():
    assert load_params(config.PARAMS_DIR / "phase1_review.yaml").folder_name == "phase1-review"


def test_unknown_key(tmp_path):
    with pytest.raises(InputError) as excinfo:
        load_params(_write(tmp_path, "year: 2024\nlanguage: vi\n"))
    problem = _problem(excinfo)
    assert (problem.file, problem.column, problem.message) == (
        "bad.yaml",
        "language",
        "unknown key",
    )


def test_wrong_type(tmp_path):
    with pytest.raises(InputError) as excinfo:
        load_params(_write(tmp_path, "year: twenty\n"))
    assert _problem(excinfo).column == "year"


@pytest.mark.parametrize("year", [2020, 2031])
def test_year_outside_plan(tmp_path, year):
    with pytest.raises(InputError) as excinfo:
        load_params(_write(tmp_path, f"year: {year}\n"))
    assert _problem(excinfo).column == "year"
    assert "2021" in _problem(excinfo).message or "2030" in _problem(excinfo).message


def test_missing_data_path(tmp_path):
    with pytest.raises(InputError) as excinfo:
        load_params(_write(tmp_path, "year: 2024\ndata_dir: data/nowhere\n"))
    problem = _problem(excinfo)
    assert (problem.column, problem.message) == ("data_dir", "data folder not found")


def test_report_id_cannot_leave_the_reports_folder(tmp_path):
    with pytest.raises(InputError) as excinfo:
        load_params(_write(tmp_path, "year: 2024\nreport_id: ../../etc\n"))
    assert _problem(excinfo).column == "report_id"


def test_not_a_mapping(tmp_path):
    with pytest.raises(InputError, match="key: value"):
        load_params(_write(tmp_path, "- 2024\n"))


def test_yaml_tags_are_not_executed(tmp_path):
    with pytest.raises(InputError, match="not valid YAML"):
        load_params(_write(tmp_path, "year: !!python/object/apply:os.system ['true']\n"))


def test_overrides_win(tmp_path):
    params = load_params(config.PARAMS_DIR / "2023.yaml", languages=["en"], formats=["html"])
    assert (params.year, params.languages, params.formats) == (2023, ["en"], ["html"])


def test_internal_edition_has_its_own_folder():
    assert load_params(year=2025, edition="internal").folder_name == "2025-internal"
    assert load_params(year=2025).folder_name == "2025"
