"""Tests of helpers.tfp.criteria: the TFP criteria file, its validation and the scores."""

from __future__ import annotations

import copy
import math
import unicodedata
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from helpers.errors import InputError
from helpers.tfp.criteria import (
    DEFAULT_CRITERIA_PATH,
    LinearRule,
    load_criteria,
    parse_criteria,
    score_enterprises,
    score_province,
)


@pytest.fixture(scope="module")
def criteria():
    return load_criteria()


@pytest.fixture(scope="module")
def document():
    return yaml.safe_load(DEFAULT_CRITERIA_PATH.read_text(encoding="utf-8"))


def write_yaml(tmp_path: Path, document: object) -> Path:
    path = tmp_path / "criteria.yaml"
    path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    return path


# ---------------------------------------------------------------------------------------
# The shipped file
# ---------------------------------------------------------------------------------------


def test_shipped_file_has_both_levels_with_weights_summing_to_one(criteria):
    assert [c.code for c in criteria.enterprise] == [
        "DN1-TFP-MUC",
        "DN2-TFP-TANG",
        "DN3-NSLD-TANG",
        "DN4-CONG-CU",
        "DN5-CHUNG-NHAN",
    ]
    assert len(criteria.province) == 5
    for level in ("enterprise", "province"):
        assert math.fsum(c.weight for c in criteria.level(level)) == pytest.approx(1.0)


def test_names_are_vietnamese_with_diacritics_in_composed_form(criteria):
    for criterion in (*criteria.enterprise, *criteria.province):
        assert criterion.name_vi == unicodedata.normalize("NFC", criterion.name_vi)
        assert any(ord(char) > 127 for char in criterion.name_vi), criterion.code
        assert criterion.name_en.isascii() or "…" in criterion.name_en
        assert criterion.basis_vi and criterion.basis_en
    assert criteria.province[0].name_vi == "Tỷ trọng đóng góp của TFP vào tăng trưởng GRDP"


def test_rule_texts_are_generated_from_the_thresholds(criteria):
    tfp_share = criteria.province[0]
    assert tfp_share.rule_text("vi") == (
        "0 điểm khi ≤ 0 %; 100 điểm khi đạt mức mục tiêu 45 % (từ năm 2021), "
        "50 % (từ năm 2026); tuyến tính ở giữa."
    )
    assert "7,5 %/năm" in criteria.province[1].rule_text("vi")
    assert "7.5%/yr" in criteria.province[1].rule_text("en")
    assert criteria.enterprise[0].rule_text("vi").startswith("Thứ hạng phần trăm trong cùng ngành")


# ---------------------------------------------------------------------------------------
# Scores
# ---------------------------------------------------------------------------------------


def enterprise_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "year": [2024] * 5,
            "sector": ["C10", "C10", "C10", "C10", "F41"],
            "log_tfp": [0.1, 0.5, 0.5, 0.9, 2.0],
            "tfp_growth": [-0.02, 0.00, 0.01, 0.03, 0.05],
            "labour_productivity_growth": [0.014, -0.01, 0.07, 0.10, 0.035],
            "tools_applied": [0, 2, 5, 7, 1],
            "certifications": [1, 0, 3, 2, 0],
        },
        index=pd.Index(["a", "b", "c", "d", "e"], name="enterprise"),
    )


def test_enterprise_scores_match_a_hand_computation(criteria):
    card = score_enterprises(enterprise_frame(), criteria)
    scores = card.scores
    # Percentile rank within C10 (n = 4), ties count half:
    #   0.1 -> (0 + 0.5)/4 = 12.5; 0.5, 0.5 -> (1 + 1)/4 = 50; 0.9 -> (3 + 0.5)/4 = 87.5
    #   e alone in F41 -> 50
    assert scores["DN1-TFP-MUC"].tolist() == [12.5, 50.0, 50.0, 87.5, 50.0]
    assert scores["DN2-TFP-TANG"].tolist() == [12.5, 37.5, 62.5, 87.5, 50.0]
    # Labour productivity growth, linear from 0 to 7 % (2024), clipped
    assert scores["DN3-NSLD-TANG"].tolist() == pytest.approx([20.0, 0.0, 100.0, 100.0, 50.0])
    # Tools 0..5, certifications 0..3
    assert scores["DN4-CONG-CU"].tolist() == pytest.approx([0.0, 40.0, 100.0, 100.0, 20.0])
    assert scores["DN5-CHUNG-NHAN"].tolist() == pytest.approx([100 / 3, 0.0, 100.0, 200 / 3, 0.0])
    # a: 0.30*12.5 + 0.20*12.5 + 0.20*20 + 0.15*0 + 0.15*33.33 = 3.75+2.5+4+0+5 = 15.25
    # c: 0.30*50 + 0.20*62.5 + 0.20*100 + 0.15*100 + 0.15*100 = 15+12.5+20+15+15 = 77.5
    assert scores.loc["a", "total"] == pytest.approx(15.25)
    assert scores.loc["c", "total"] == pytest.approx(77.5)
    assert list(scores.index) == ["a", "b", "c", "d", "e"]


def test_rules_frame_carries_weights_and_texts(criteria):
    rules = score_enterprises(enterprise_frame(), criteria).rules
    assert list(rules.columns) == [
        "code",
        "name_vi",
        "name_en",
        "indicator",
        "weight",
        "rule_vi",
        "rule_en",
        "status",
        "basis_vi",
        "basis_en",
    ]
    assert rules["weight"].sum() == pytest.approx(1.0)
    assert rules.loc[rules["code"] == "DN4-CONG-CU", "rule_en"].item() == (
        "0 points at or below 0, 100 points at or above 5, linear in between."
    )


def test_long_form_adds_up_to_the_total(criteria):
    card = score_enterprises(enterprise_frame(), criteria)
    long = card.long()
    assert len(long) == 5 * 5
    totals = long.groupby("enterprise")["weighted_score"].sum()
    np.testing.assert_allclose(totals.loc[card.scores.index], card.scores["total"])


def test_missing_value_leaves_the_total_empty(criteria):
    frame = enterprise_frame()
    frame.loc["b", "certifications"] = np.nan
    scores = score_enterprises(frame, criteria).scores
    assert math.isnan(scores.loc["b", "total"])
    assert math.isnan(scores.loc["b", "DN5-CHUNG-NHAN"])
    assert not math.isnan(scores.loc["a", "total"])


def test_province_scores_follow_the_phase_targets(criteria):
    values = pd.DataFrame(
        {
            "tfp_share": [0.4348, 0.45, 0.60, 0.25],
            "labour_productivity_growth": [0.07, 0.035, -0.01, 0.0375],
            "share_enterprises_applying_tools": [0.01, 0.025, 0.05, 0.10],
            "pilot_models": [10, 5, 10, 10],
            "experts_certified": [4, 10, 20, 25],
        },
        index=pd.Index([2021, 2023, 2025, 2026], name="year"),
    )
    scores = score_province(values, criteria).scores
    # 2021: TFP 43.48/45; 2026: ceilings switch to 50 % (TFP) and 7.5 % (LP), 20 pilots
    assert scores["T1-TFP-DONG-GOP"].tolist() == pytest.approx(
        [43.48 / 45 * 100, 100.0, 100.0, 50.0]
    )
    assert scores["T2-NSLD-TANG"].tolist() == pytest.approx([100.0, 50.0, 0.0, 50.0])
    assert scores["T3-DN-AP-DUNG"].tolist() == pytest.approx([20.0, 50.0, 100.0, 100.0])
    assert scores["T4-MO-HINH-DIEM"].tolist() == pytest.approx([100.0, 50.0, 100.0, 50.0])
    assert scores["T5-CHUYEN-GIA"].tolist() == pytest.approx([20.0, 50.0, 100.0, 100.0])
    # 2023: 0.35*100 + 0.25*50 + 0.15*50 + 0.15*50 + 0.10*50 = 67.5
    assert scores.loc[2023, "total"] == pytest.approx(67.5)
    # 2026: 0.35*50 + 0.25*50 + 0.15*100 + 0.15*50 + 0.10*100 = 62.5
    assert scores.loc[2026, "total"] == pytest.approx(62.5)


def test_year_before_the_first_ceiling_uses_the_first_and_year_column_works(criteria):
    values = pd.DataFrame(
        {
            "year": [2020],
            "tfp_share": [0.225],
            "labour_productivity_growth": [0.07],
            "share_enterprises_applying_tools": [0.05],
            "pilot_models": [10],
            "experts_certified": [20],
        }
    )
    scores = score_province(values, criteria).scores
    assert scores["T1-TFP-DONG-GOP"].iloc[0] == pytest.approx(50.0)


def test_year_dependent_rule_without_year_is_an_input_error(criteria):
    frame = enterprise_frame().drop(columns="year")
    with pytest.raises(InputError, match="needs the year"):
        score_enterprises(frame, criteria)


def test_missing_indicator_column_is_an_input_error(criteria):
    frame = enterprise_frame().drop(columns="tools_applied")
    with pytest.raises(InputError, match="indicator of criterion DN4-CONG-CU is missing"):
        score_enterprises(frame, criteria)


def test_lower_is_better_when_ceiling_is_below_floor():
    rule = LinearRule(floor=10.0, ceiling=0.0)
    scores = rule.score(pd.Series([12.0, 10.0, 2.5, 0.0, -1.0]), pd.DataFrame(), None)
    assert scores.tolist() == [0.0, 0.0, 75.0, 100.0, 100.0]


# ---------------------------------------------------------------------------------------
# Bad files
# ---------------------------------------------------------------------------------------


def test_weights_not_summing_to_one_are_reported_with_their_level(tmp_path, document):
    bad = copy.deepcopy(document)
    bad["levels"]["province"]["criteria"][0]["weight"] = 0.25
    with pytest.raises(InputError) as caught:
        load_criteria(write_yaml(tmp_path, bad))
    message = str(caught.value)
    assert "criteria.yaml" in message
    assert "levels.province.criteria[*].weight" in message
    assert "weights sum to 0.9, not 1" in message


def test_every_problem_is_listed_at_once(tmp_path, document):
    bad = copy.deepcopy(document)
    enterprise = bad["levels"]["enterprise"]["criteria"]
    enterprise[0]["rule"]["kind"] = "quadratic"
    enterprise[1]["wieght"] = enterprise[1].pop("weight")
    enterprise[2]["rule"]["ceilings"] = {2021: 0.0}
    enterprise[3]["code"] = enterprise[4]["code"]
    enterprise[4]["rule"]["ceiling"] = 0
    with pytest.raises(InputError) as caught:
        load_criteria(write_yaml(tmp_path, bad))
    message = str(caught.value)
    assert "levels.enterprise.criteria[0].rule.kind': unknown rule kind" in message
    assert "one of linear, linear_by_year, percentile_rank" in message
    assert "criteria[1].wieght': unknown key" in message
    assert "criteria[1].weight': missing key" in message
    assert "criteria[2].rule.ceilings.2021': ceiling must be a number other than floor" in message
    assert "criterion code used twice (value: 'DN5-CHUNG-NHAN')" in message
    assert "criteria[4].rule.ceiling': ceiling must differ from floor" in message
    assert len(caught.value.problems) >= 6


def test_invalid_yaml_syntax_gives_the_line(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("levels:\n  enterprise: [unclosed\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"broken.yaml, row \d+: not valid YAML"):
        load_criteria(path)


def test_missing_file_and_missing_levels_are_clear(tmp_path):
    with pytest.raises(InputError, match="criteria file not found"):
        load_criteria(tmp_path / "absent.yaml")
    with pytest.raises(InputError, match="column 'levels': missing or not a mapping"):
        parse_criteria({"version": 1})
    with pytest.raises(InputError, match=r"levels\.enterprise\.criteria': level must hold"):
        parse_criteria({"levels": {"province": {"criteria": []}}})


def test_percentile_ranks_are_computed_within_each_year(criteria):
    first = enterprise_frame()
    second = enterprise_frame().assign(year=2025, log_tfp=lambda f: -f["log_tfp"])
    both = pd.concat([first, second.set_axis([f"{i}2" for i in second.index])])
    scores = score_enterprises(both, criteria).scores
    assert scores["DN1-TFP-MUC"].iloc[:5].tolist() == [12.5, 50.0, 50.0, 87.5, 50.0]
    assert scores["DN1-TFP-MUC"].iloc[5:].tolist() == [87.5, 50.0, 50.0, 12.5, 50.0]


# --- criterion T1: the published figure, or no data --------------------------------------


def test_t1_uses_the_published_share_or_no_data():
    from helpers.programme.tfp_objective import PublishedShare
    from helpers.tfp.criteria import published_tfp_share_values

    criteria = load_criteria()
    shares = [
        PublishedShare(2021, 0.4348),  # published point: used as it is
        PublishedShare(2023, 0.5001),
        PublishedShare(2024, 0.50, "above"),  # ≥ the 45 % ceiling of 2021-2025: 100 whatever
        PublishedShare(2026, 0.30, "above"),  # below the 50 % ceiling of 2026-: undecided
    ]
    values = published_tfp_share_values(shares, [2021, 2022, 2023, 2024, 2025, 2026], criteria)
    assert values.tolist()[:1] == [0.4348] and values[2023] == 0.5001 and values[2024] == 0.50
    assert values[[2022, 2025, 2026]].isna().all()  # no published figure, or an undecided bound
    frame = pd.DataFrame(
        {
            "tfp_share": values,
            "labour_productivity_growth": 0.07,
            "share_enterprises_applying_tools": 0.05,
            "pilot_models": 10,
            "experts_certified": 20,
        }
    )
    scores = score_province(frame, criteria).scores
    # 43.48 % against the 45 % ceiling: 100 × 0.4348 / 0.45 = 96.62
    assert scores.loc[2021, "T1-TFP-DONG-GOP"] == pytest.approx(96.622, abs=1e-3)
    assert scores.loc[2024, "T1-TFP-DONG-GOP"] == pytest.approx(100.0)
    # a year without a published share gets no T1 score and no total
    assert scores.loc[[2022, 2025], ["T1-TFP-DONG-GOP", "total"]].isna().all().all()


# --- the file's models: every error located by its key path ------------------------------


def test_model_errors_become_located_problems(document):
    bad = copy.deepcopy(document)
    enterprise = bad["levels"]["enterprise"]["criteria"]
    province = bad["levels"]["province"]["criteria"]
    bad["levels"]["region"] = {}
    enterprise[0]["unit"] = "percent"
    enterprise[0]["name_vi"] = "  "
    enterprise[0]["rule"]["colour"] = 1
    enterprise[1]["rule"] = "linear"
    enterprise[2]["rule"]["ceilings"] = {"2021": 0.07}
    enterprise[3]["weight"] = True
    enterprise[4] = "DN5"
    province[0]["rule"]["floor"] = "zero"
    province[3]["rule"].pop("ceilings")
    province[4]["rule"]["ceiling"] = 0
    with pytest.raises(InputError) as caught:
        parse_criteria(bad, "c.yaml")
    found = {(p.column, p.message, p.value) for p in caught.value.problems}
    e, p = "levels.enterprise.criteria", "levels.province.criteria"
    assert found == {
        (f"{e}[0].name_vi", "must be a non-empty text", "  "),
        (f"{e}[0].unit", "unknown unit", "percent"),
        (f"{e}[0].rule.colour", "unknown key for a percentile_rank rule", "colour"),
        (f"{e}[1].rule", "rule must be a mapping with a 'kind'", "linear"),
        (f"{e}[2].rule.ceilings", "ceiling key must be a year", "2021"),
        (f"{e}[3].weight", "weight must be a number in (0, 1]", "True"),
        (f"{e}[4]", "criterion must be a mapping", "DN5"),
        (f"{p}[0].rule.floor", "floor must be a number", "zero"),
        (f"{p}[3].rule.ceilings", "missing key for a linear_by_year rule", None),
        (f"{p}[4].rule.ceiling", "ceiling must differ from floor", "0"),
        ("levels.region", "unknown level", "region"),
    }
    assert all(problem.file == "c.yaml" for problem in caught.value.problems)


def test_ceilings_equal_to_the_floor_are_each_reported(document):
    bad = copy.deepcopy(document)
    bad["levels"]["province"]["criteria"][0]["rule"]["ceilings"] = {2021: 0.0, 2026: 0.0}
    with pytest.raises(InputError) as caught:
        parse_criteria(bad)
    where = "levels.province.criteria[0].rule.ceilings"
    assert {p.column for p in caught.value.problems} == {f"{where}.2021", f"{where}.2026"}


def test_criteria_problems_in_vietnamese(tmp_path, document):
    from helpers.inputs.criteria_file import read_criteria_file

    bad = copy.deepcopy(document)
    bad["levels"]["province"]["criteria"][0]["weight"] = 0.25
    with pytest.raises(InputError) as caught:
        read_criteria_file(write_yaml(tmp_path, bad), lang="vi")
    (problem,) = caught.value.problems
    # the province weights are 0.35 + 0.25 + 0.15 + 0.15 + 0.10; 0.25 in place of 0.35 gives 0.9
    assert problem.message == "tổng trọng số là 0.9, không phải 1"
    assert problem.expected == "các trọng số trong một cấp có tổng bằng 1"


def test_key_path_leaves_out_the_rule_tag():
    import doctest

    import helpers.inputs.criteria_file as module

    result = doctest.testmod(module)
    assert result.attempted > 0 and result.failed == 0
