"""The problem catalogue (vi and en) and the collector that every input reader uses."""

from __future__ import annotations

import string

import numpy as np
import pandas as pd
import pytest
import yaml

from helpers import config
from helpers.errors import MAX_LISTED_ROWS, InputError, flagged_row_problems
from helpers.problems import Problems, problem_text, read_yaml_mapping


def catalogue(lang: str) -> dict[str, dict[str, str]]:
    path = config.LOCALES_DIR / f"problems_{lang}.yaml"
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def placeholders(text: str) -> set[str]:
    """Names of the ``{placeholders}`` of a message (``{found!r}`` counts as ``found``)."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def test_both_catalogues_have_exactly_the_same_keys_and_placeholders():
    english, vietnamese = catalogue("en"), catalogue("vi")
    assert english.keys() == vietnamese.keys() == {"messages", "expected"}
    for section in english:
        assert english[section].keys() == vietnamese[section].keys(), section
        for key, text in english[section].items():
            assert placeholders(text) == placeholders(vietnamese[section][key]), key


def test_placeholders_are_parsed_with_conversions():
    assert placeholders("the header is garbled ({found!r} should read {fixed!r})") == {
        "found",
        "fixed",
    }


def test_rows_beyond_the_listed_ones_are_counted_like_before():
    # The enterprise panel used flagged_row_problems; the collector tells the same text.
    flagged = np.zeros(MAX_LISTED_ROWS + 5, dtype=bool)
    flagged[[0, *range(2, MAX_LISTED_ROWS + 5)]] = True
    values = pd.Series(range(len(flagged))).astype(str)
    found = Problems("panel.csv")
    found.add_rows("not_number", flagged, column="k", values=values, expected="a number")
    before = flagged_row_problems(flagged, "panel.csv", "k", "not a number", values, "a number")
    assert list(found) == before
    assert found.found[-1].message == "not a number: 4 more row(s)"


def test_rows_in_vietnamese():
    found = Problems("panel.csv", lang="vi")
    found.add_rows("missing_value", np.ones(MAX_LISTED_ROWS + 2, dtype=bool), column="year")
    assert found.found[0].message == "thiếu giá trị"
    assert found.found[-1].message == "thiếu giá trị: còn 2 dòng nữa"


def test_yaml_mapping_reader_names_the_file(tmp_path):
    listed = tmp_path / "p.yaml"
    listed.write_text("- a\n- b\n", encoding="utf-8")
    with pytest.raises(InputError) as error:
        read_yaml_mapping(listed, not_found="params_not_found")
    assert [p.describe() for p in error.value.problems] == [
        "p.yaml: the file must hold key: value pairs"
    ]
    assert read_yaml_mapping(tmp_path / "absent.yaml", not_found=None) == {}
    with pytest.raises(InputError, match=r"absent\.yaml: plan file not found"):
        read_yaml_mapping(tmp_path / "absent.yaml", not_found="plan_not_found")
    assert problem_text("plan_not_found", "vi") == "không tìm thấy tệp kế hoạch"


def test_plan_file_problems_are_located_by_key(tmp_path):
    from helpers.programme.plan import load_plan

    plan = yaml.safe_load(
        (config.PROJECT_ROOT / "data/plan/quang_ninh_203.yaml").read_text("utf-8")
    )
    plan["targets"][0]["weight"] = 2
    plan["phases"][0]["start"] = "soon"
    broken = tmp_path / "plan.yaml"
    broken.write_text(yaml.safe_dump(plan, allow_unicode=True), encoding="utf-8")
    with pytest.raises(InputError) as error:
        load_plan(broken)
    located = {(p.file, p.column, p.message) for p in error.value.problems}
    assert ("plan.yaml", "targets.0.weight", "unknown key") in located
    assert any(
        column == "phases.0.start" and "integer" in message for _, column, message in located
    )
