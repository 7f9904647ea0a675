"""The province section's pure frames: periods, window, estimate beside published shares."""

import pandas as pd
import pytest

from helpers.inputs.province_accounts import load_province_accounts
from helpers.programme.tfp_objective import PublishedShare
from helpers.tfp.growth_accounting import period_aggregate
from helpers.tfp.province_summary import (
    analysis_periods,
    assumption_facts,
    estimate_vs_published,
    period_table,
    phase_window,
)
from helpers.tfp.province_tfp import province_inputs, province_tfp


@pytest.fixture(scope="module")
def accounts():
    return load_province_accounts("data/sample/province_accounts.csv")


def test_periods_start_five_years_before_the_plan():
    assert analysis_periods([(2026, 2030), (2021, 2025)]) == [
        (2016, 2020),
        (2021, 2025),
        (2026, 2030),
    ]
    # another plan's phases give other periods
    assert analysis_periods([(2031, 2035)], pre_plan_years=3) == [(2028, 2030), (2031, 2035)]


def test_period_table_sums_contributions_and_drops_periods_after_the_data(accounts):
    yearly = province_tfp(accounts)
    yearly = yearly[yearly.index <= 2025]
    table = period_table(yearly, [(2016, 2020), (2021, 2025), (2026, 2030)])
    assert list(table["start"]) == [2016, 2021]  # no data after 2025
    expected = period_aggregate(yearly, 2021, 2025)["tfp_share"]
    assert table.loc[1, "tfp_share"] == pytest.approx(expected)


def test_phase_window_falls_back_before_the_phase():
    assert phase_window(2025, 2021, 2025, 2025, 2016) == (2021, 2025)
    assert phase_window(2025, 2021, 2025, 2023, 2016) == (2021, 2023)  # data end in 2023
    assert phase_window(2020, 2021, 2025, 2025, 2016) == (2016, 2020)


def test_estimate_beside_a_point_and_a_bound():
    yearly = pd.DataFrame({"tfp_share": [0.45, 0.60]}, index=[2021, 2024])
    shares = [
        PublishedShare(2021, 0.4348, "equal", "", ""),
        PublishedShare(2024, 0.50, "above", "", ""),
        PublishedShare(2023, 0.5001, "equal", "", ""),  # no estimate that year: left out
    ]
    table = estimate_vs_published(yearly, shares)
    assert list(table["year"]) == [2021, 2024]
    assert table.loc[0, "gap"] == pytest.approx(0.45 - 0.4348)  # 1.52 points
    assert table.loc[1, "inside"]  # 60 % lies above 50 %


def test_assumption_facts_say_where_each_value_comes_from(accounts):
    inputs = province_inputs(accounts)
    facts = assumption_facts(accounts, inputs, 2025)
    assert facts.index.min() == int(inputs.index.min()) and facts.index.max() <= 2025
    # the sample's investment is published from 2015: back-cast before it, held after 2024
    assert set(facts.loc[2010:2014, "investment_origin"]) == {"backcast"}
    assert (facts.loc[2010:2014, "from_year"] == 2015).all()
    assert facts.loc[2025, "investment_origin"] == "held" and facts.loc[2025, "from_year"] == 2024
    # 2016 lies between the published 2015 and 2017
    assert facts.loc[2016, ["investment_origin", "from_year", "to_year"]].tolist() == [
        "interpolated",
        2015,
        2017,
    ]
    # 2018's published growth and investment come from a text without an address
    assert facts.loc[2018, ["sources", "unaddressed"]].tolist() == ["", "growth investment"]
    assert facts.loc[2020, "sources"].startswith("http")
    assert facts.loc[2020, "unaddressed"] == ""  # its assumed employment is not cited
