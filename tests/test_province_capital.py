"""The capital stock from published investment: the gap rule, the back-casts, the opening K/Y."""

import numpy as np
import pandas as pd
import pytest

from helpers.errors import ArgumentError, InputError
from helpers.problems import problem_text
from helpers.tfp.province_capital import capital_accounts, investment_path

YEARS = range(2010, 2016)
# GRDP doubles over the years; investment published in 2012 (rate 0.4) and 2014 (rate 0.3)
OUTPUT = pd.Series([100.0, 110.0, 120.0, 130.0, 140.0, 150.0], index=YEARS)
PUBLISHED = pd.Series([np.nan, np.nan, 48.0, np.nan, 42.0, np.nan], index=YEARS)


def test_gaps_follow_the_interpolated_rate_not_a_growth_rate():
    path = investment_path(OUTPUT, PUBLISHED)
    # 2013: rate halfway between 0.4 and 0.3 = 0.35, times GRDP 130 = 45.5
    assert path.loc[2013, "rate"] == pytest.approx(0.35)
    assert path.loc[2013, "investment"] == pytest.approx(45.5)
    # published years are kept as they are
    assert path.loc[[2012, 2014], "investment"].tolist() == [48.0, 42.0]
    assert path["origin"].tolist() == [
        "backcast",
        "backcast",
        "published",
        "interpolated",
        "published",
        "held",
    ]
    # after the last published year the rate is held: 0.3 × 150 = 45
    assert path.loc[2015, "investment"] == pytest.approx(45.0)


def test_the_three_backcasts():
    first = investment_path(OUTPUT, PUBLISHED, backcast="first")["rate"]
    trend = investment_path(OUTPUT, PUBLISHED, backcast="trend")["rate"]
    last = investment_path(OUTPUT, PUBLISHED, backcast="last")["rate"]
    assert first[[2010, 2011]].tolist() == pytest.approx([0.4, 0.4])
    # the line through (2012, 0.4) and (2014, 0.3) falls 0.05 a year: 0.5 in 2010, 0.45 in 2011
    assert trend[[2010, 2011]].tolist() == pytest.approx([0.5, 0.45])
    assert last[[2010, 2011]].tolist() == pytest.approx([0.3, 0.3])
    # the back-cast changes nothing from the first published year on
    pd.testing.assert_series_equal(first.loc[2012:], trend.loc[2012:])


def test_opening_stock_is_kappa_times_output_and_the_recursion_holds():
    table = capital_accounts(OUTPUT, PUBLISHED, delta=0.05, capital_output=3.0)
    assert table.loc[2010, "capital"] == pytest.approx(300.0)
    expected = 0.95 * table.loc[2010, "capital"] + table.loc[2011, "investment"]
    assert table.loc[2011, "capital"] == pytest.approx(expected)
    assert table.loc[2011, "capital_output"] == pytest.approx(expected / 110.0)
    # opening stock at the end of 2009: (300 − 40) / 0.95
    assert table.attrs["opening_stock"] == pytest.approx(260 / 0.95)


def test_no_investment_figure_is_bad_input():
    with pytest.raises(InputError) as caught:
        investment_path(OUTPUT, pd.Series(np.nan, index=YEARS))
    (problem,) = caught.value.problems
    assert problem.message == problem_text("capital_no_investment", "en")
    assert (problem.file, problem.column) == ("province accounts", "investment_current")


def test_wrong_capital_arguments_name_the_argument_and_value():
    with pytest.raises(
        ArgumentError, match=r"backcast must be one of first, trend, last.*'growth'"
    ):
        investment_path(OUTPUT, PUBLISHED, backcast="growth")
    # the first year's investment rate is the back-cast 0.4: κ = 0.2 leaves a negative stock
    with pytest.raises(ArgumentError, match=r"capital_output=0\.2 is below .* rate \(0\.40\)"):
        capital_accounts(OUTPUT, PUBLISHED, delta=0.05, capital_output=0.2)
    with pytest.raises(ArgumentError, match=r"capital_output \(the opening K/Y ratio\).* got -1"):
        capital_accounts(OUTPUT, PUBLISHED, delta=0.05, capital_output=-1)
    with pytest.raises(ArgumentError, match=r"delta \(the depreciation rate\).* got -0\.05"):
        capital_accounts(OUTPUT, PUBLISHED, delta=-0.05)
    with pytest.raises(ArgumentError, match="output is empty"):
        investment_path(pd.Series([], dtype=float), pd.Series([], dtype=float))
