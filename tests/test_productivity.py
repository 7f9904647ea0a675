"""Tests of helpers.tfp.enterprise_productivity: Olley–Pakes decomposition, dispersion, growth."""

from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers.errors import ArgumentError, InputError
from helpers.tfp.enterprise_productivity import (
    olley_pakes,
    olley_pakes_by_group,
    p90_p10_ratio,
    tfp_growth,
)


def test_hand_computed_three_firm_example():
    # omega = (0.1, 0.4, 0.7); output (2, 3, 5) -> shares (0.2, 0.3, 0.5)
    # aggregate = 0.02 + 0.12 + 0.35 = 0.49
    # unweighted mean = 0.4; mean share = 1/3
    # covariance = (0.2-1/3)(-0.3) + (0.3-1/3)(0) + (0.5-1/3)(0.3) = 0.04 + 0.05 = 0.09
    result = olley_pakes([0.1, 0.4, 0.7], [2.0, 3.0, 5.0])
    assert result["aggregate"] == pytest.approx(0.49)
    assert result["unweighted_mean"] == pytest.approx(0.4)
    assert result["covariance"] == pytest.approx(0.09)
    assert result["n_firms"] == 3
    assert result["max_share"] == pytest.approx(0.5)


def test_equal_shares_give_zero_covariance():
    result = olley_pakes([0.3, -0.2, 1.1, 0.0], [7.0, 7.0, 7.0, 7.0])
    assert result["covariance"] == pytest.approx(0.0, abs=1e-15)
    assert result["aggregate"] == pytest.approx(0.3)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.floats(-5, 5, allow_nan=False),
            st.floats(1e-3, 1e6, allow_nan=False),
        ),
        min_size=1,
        max_size=40,
    )
)
def test_property_decomposition_adds_up_exactly(firms):
    omega = np.array([firm[0] for firm in firms])
    output = np.array([firm[1] for firm in firms])
    result = olley_pakes(omega, output)
    assert result["aggregate"] == pytest.approx(
        result["unweighted_mean"] + result["covariance"], abs=1e-12
    )
    shares = output / output.sum()
    assert result["aggregate"] == pytest.approx(float(np.dot(shares, omega)), abs=1e-12)


def panel() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "sector": ["C", "C", "C", "F", "F", "C", "C", "C", "F", "F"],
            "year": [2023] * 5 + [2024] * 5,
            "log_tfp": [0.1, 0.4, 0.7, 0.0, 1.0, 0.2, 0.5, 0.8, 0.0, 1.0],
            "value_added": [2.0, 3.0, 5.0, 1.0, 3.0, 2.0, 3.0, 5.0, 1.0, 1.0],
        }
    )


def test_by_year_and_sector_matches_the_hand_computation():
    result = olley_pakes_by_group(panel(), by="sector")
    assert list(result.columns) == [
        "sector",
        "year",
        "aggregate",
        "unweighted_mean",
        "covariance",
        "n_firms",
        "max_share",
    ]
    c_2023 = result[(result["sector"] == "C") & (result["year"] == 2023)].iloc[0]
    assert c_2023["aggregate"] == pytest.approx(0.49)
    assert c_2023["covariance"] == pytest.approx(0.09)
    c_2024 = result[(result["sector"] == "C") & (result["year"] == 2024)].iloc[0]
    assert c_2024["aggregate"] == pytest.approx(0.59)  # every omega +0.1, same shares
    f_2023 = result[(result["sector"] == "F") & (result["year"] == 2023)].iloc[0]
    # shares (0.25, 0.75): aggregate 0.75 = mean 0.5 + covariance 0.25
    assert (f_2023["aggregate"], f_2023["unweighted_mean"], f_2023["covariance"]) == (
        pytest.approx(0.75),
        pytest.approx(0.5),
        pytest.approx(0.25),
    )
    np.testing.assert_allclose(
        result["aggregate"], result["unweighted_mean"] + result["covariance"], atol=1e-12
    )
    assert result["n_firms"].tolist() == [3, 3, 2, 2]


def test_province_aggregate_pools_sectors_within_year():
    result = olley_pakes_by_group(panel())
    assert result["year"].tolist() == [2023, 2024]
    expected_2023 = (0.2 + 1.2 + 3.5 + 0.0 + 3.0) / 14
    assert result["aggregate"].iloc[0] == pytest.approx(expected_2023)


def test_negative_output_and_missing_values_are_input_errors():
    bad = panel()
    bad.loc[3, "value_added"] = -1.0
    with pytest.raises(InputError, match="row 5, column 'value_added': negative output"):
        olley_pakes_by_group(bad)
    bad = panel()
    bad.loc[0, "log_tfp"] = np.nan
    with pytest.raises(InputError, match="row 2, column 'log_tfp': missing value"):
        olley_pakes_by_group(bad)
    with pytest.raises(InputError, match="column is missing"):
        olley_pakes_by_group(panel(), output="gross_output")


def test_p90_p10_ratio_is_a_ratio_of_levels():
    frame = pd.DataFrame(
        {"year": [2024] * 11 + [2025] * 11, "log_tfp": list(np.linspace(0.0, 1.0, 11)) * 2}
    )
    result = p90_p10_ratio(frame)
    # 11 evenly spaced values: p90 = 0.9, p10 = 0.1 exactly (linear interpolation)
    assert result["log_p90"].tolist() == pytest.approx([0.9, 0.9])
    assert result["p90_p10_ratio"].tolist() == pytest.approx([math.exp(0.8)] * 2)
    assert result["n_firms"].tolist() == [11, 11]
    overall = p90_p10_ratio(frame, by=None)
    assert len(overall) == 1 and overall["n_firms"].iloc[0] == 22


def test_growth_of_enterprises_and_of_a_series():
    firms = pd.DataFrame(
        {
            "firm": ["a", "a", "b", "b", "c"],
            "year": [2021, 2024, 2021, 2024, 2024],
            "log_tfp": [0.0, 0.3, 1.0, 0.94, 2.0],
        }
    )
    growth = tfp_growth(firms, 2021, 2024, by="firm")
    assert growth["firm"].tolist() == ["a", "b"]  # c has no 2021 value
    assert growth["log_change"].tolist() == pytest.approx([0.3, -0.06])
    assert growth["total_growth"].iloc[0] == pytest.approx(math.exp(0.3) - 1)
    assert growth["annual_growth"].iloc[0] == pytest.approx(math.exp(0.1) - 1)

    series = olley_pakes_by_group(panel())
    period = tfp_growth(series, 2023, 2024, log_tfp="aggregate")
    assert period["log_change"].iloc[0] == pytest.approx(
        series["aggregate"].iloc[1] - series["aggregate"].iloc[0]
    )
    assert tfp_growth(series, 2023, 2030, log_tfp="aggregate").empty


def test_growth_rejects_reversed_periods_and_duplicates():
    with pytest.raises(ArgumentError, match=r"end \(2023\) must be after start \(2024\)"):
        tfp_growth(panel(), 2024, 2023, log_tfp="log_tfp")
    with pytest.raises(InputError, match="more than one row"):
        tfp_growth(panel(), 2023, 2024)


def test_long_lists_of_bad_rows_end_with_a_count():
    frame = pd.DataFrame({"year": [2024] * 25, "log_tfp": [np.nan] * 25, "value_added": 1.0})
    with pytest.raises(InputError) as caught:
        olley_pakes_by_group(frame)
    problems = caught.value.problems
    assert len(problems) == 21
    assert problems[-1].message == "missing value: 5 more row(s)"


@pytest.mark.parametrize(
    ("call", "named"),
    [
        (
            lambda: tfp_growth(panel(), "2023", 2024),
            "start must be a year (a whole number), got '2023'",
        ),
        (
            lambda: tfp_growth(panel(), 2023, 2024.0),
            "end must be a year (a whole number), got 2024.0",
        ),
        (
            lambda: tfp_growth(panel(), 2023, 2024, by=5),
            "by must be a column name or a list of column names, got 5",
        ),
        (
            lambda: olley_pakes_by_group(panel(), log_tfp=None),
            "log_tfp must be a column name (text), got None",
        ),
        (
            lambda: p90_p10_ratio(panel(), by=["year", 1]),
            "by must be a column name or a list of column names, got ['year', 1]",
        ),
        (
            lambda: olley_pakes([0.1, 0.2], [1.0]),
            "log_tfp and output must be non-empty and of the same length, got 2 and 1 values",
        ),
    ],
)
def test_arguments_of_the_wrong_kind_are_named_with_their_value(call, named):
    with pytest.raises(ArgumentError, match=re.escape(named)) as error:
        call()
    assert error.value.exit_code == 2
