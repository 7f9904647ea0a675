"""Progress method: hand-computed cases (DESIGN.md, Methods: progress against targets)."""

import math

import pandas as pd
import pytest

from helpers.programme import progress as p


def test_linear_pace_hand_computed():
    # 1,000 turns over 2021-2025: 200 a year; by 2023 the path asks 600; 450 done -> R = 0.75.
    cum = pd.Series({2021: 150.0, 2022: 300.0, 2023: 450.0})
    a = p.assess_linear(cum, target=1000, start=2021, end=2025, year=2023, comparison="more_than")
    assert a.required == 600
    assert a.ratio == pytest.approx(0.75)
    assert a.status == p.ACCELERATION_NEEDED
    assert a.year == 2023


def test_target_already_met_is_met_even_early():
    cum = pd.Series({2021: 10.0})
    a = p.assess_linear(cum, target=10, start=2021, end=2025, year=2021)
    assert a.status == p.MET  # exactly the "at least 10" level


def test_above_an_at_least_level_is_exceeded():
    # pilot models: 31 against "at least 10" (sample data, 2025)
    a = p.assess_linear(pd.Series({2025: 31.0}), target=10, start=2021, end=2025, year=2025)
    assert a.status == p.EXCEEDED


def test_above_a_more_than_level_is_met_not_exceeded():
    # managers: 1,070 against "more than 1,000": being above 1,000 is what the target asks
    cum = pd.Series({2025: 1070.0})
    a = p.assess_linear(cum, target=1000, start=2021, end=2025, year=2025, comparison="more_than")
    assert a.status == p.MET


def test_limited_progress_is_reported_as_acceleration_needed():
    # 100 of 1,000 by 2023 (600 required): R = 0.17, an Open SDG "limited progress"
    cum = pd.Series({2023: 100.0})
    a = p.assess_linear(cum, target=1000, start=2021, end=2025, year=2023)
    assert p.status_from_ratio(a.ratio) == p.LIMITED_PROGRESS
    assert a.status == p.ACCELERATION_NEEDED
    assert a.status in p.TARGET_STATUSES


def test_more_than_needs_strictly_more():
    cum = pd.Series({2025: 1000.0})
    a = p.assess_linear(cum, target=1000, start=2021, end=2025, year=2025, comparison="more_than")
    assert a.status == p.NOT_ACHIEVED
    assert a.ratio == pytest.approx(1.0)


def test_phase_over_and_short_is_not_achieved():
    cum = pd.Series({2021: 0.0, 2022: 5.0, 2023: 11.0, 2024: 15.0, 2025: 18.0})
    a = p.assess_linear(cum, target=20, start=2021, end=2025, year=2025)
    assert a.status == p.NOT_ACHIEVED
    assert a.ratio == pytest.approx(0.9)


def test_year_with_no_data_uses_latest_year_with_data():
    cum = pd.Series({2021: 100.0, 2022: 250.0, 2023: math.nan})
    a = p.assess_linear(cum, target=1000, start=2021, end=2025, year=2023)
    assert a.year == 2022
    assert a.required == 400  # two years of the five-year path
    assert a.ratio == pytest.approx(250 / 400)


def test_no_data_at_all_is_insufficient():
    a = p.assess_linear(pd.Series(dtype=float), target=10, start=2021, end=2025, year=2023)
    assert a.status == p.INSUFFICIENT_DATA


def test_cagr_hand_computed():
    # base 100 in 2020, 121 in 2022: 10 % a year; target 200 by 2025 needs 2^(1/5)-1 = 14.87 %.
    s = pd.Series({2020: 100.0, 2021: 110.0, 2022: 121.0})
    a = p.assess_cagr(s, target=200, target_year=2025, year=2022)
    required = 2 ** (1 / 5) - 1
    assert a.ratio == pytest.approx(0.10 / required)
    assert a.status == p.ACCELERATION_NEEDED  # 0.672


def test_cagr_zero_base_is_insufficient_not_a_crash():
    s = pd.Series({2020: 0.0, 2022: 5.0})
    a = p.assess_cagr(s, target=20, target_year=2025, year=2022)
    assert a.status == p.INSUFFICIENT_DATA


def test_cagr_one_data_point_is_insufficient():
    a = p.assess_cagr(pd.Series({2022: 5.0}), target=20, target_year=2025, year=2022)
    assert a.status == p.INSUFFICIENT_DATA


def test_decreasing_target():
    # reduce from 100 to 50 by 2025 (required -12.94 %/yr); 2022 at 81 = -10 %/yr -> R = 0.77.
    s = pd.Series({2020: 100.0, 2022: 81.0})
    a = p.assess_cagr(s, target=50, target_year=2025, year=2022, comparison="at_most")
    required = 0.5 ** (1 / 5) - 1
    assert a.ratio == pytest.approx(-0.1 / required)
    assert a.status == p.ACCELERATION_NEEDED
    rising = p.assess_cagr(
        pd.Series({2020: 100.0, 2022: 110.0}),
        target=50,
        target_year=2025,
        year=2022,
        comparison="at_most",
    )
    assert p.status_from_ratio(rising.ratio) == p.DETERIORATION
    assert rising.status == p.ACCELERATION_NEEDED  # the plan's vocabulary has no "deterioration"


@pytest.mark.parametrize(
    ("ratio", "status"),
    [
        (1.0, p.ON_TRACK),
        (0.95, p.ON_TRACK),
        (0.94, p.ACCELERATION_NEEDED),
        (0.6, p.ACCELERATION_NEEDED),
        (0.59, p.LIMITED_PROGRESS),
        (0.0, p.LIMITED_PROGRESS),
        (-0.01, p.DETERIORATION),
    ],
)
def test_thresholds(ratio, status):
    assert p.status_from_ratio(ratio) == status


def test_growth_band_is_judged_year_by_year_not_on_average():
    # +12 %, +7.1 %, +16.7 %: the average (11.9 %) is inside the band, but 2023 is below it
    levels = pd.Series({2021: 100.0, 2022: 112.0, 2023: 120.0, 2024: 140.0})
    a, yearly = p.assess_growth_band(levels, low=0.10, high=0.15, start=2021, end=2025, year=2024)
    assert yearly["band"].tolist()[1:] == [p.WITHIN_BAND, p.BELOW_BAND, p.ABOVE_BAND]
    cagr = 1.4 ** (1 / 3) - 1  # 11.9 %
    assert a.actual == pytest.approx(cagr)
    assert (a.years_met, a.years_assessed) == (2, 3)  # above the band meets it
    assert a.status == p.ACCELERATION_NEEDED  # a year below, the phase still running


def test_growth_band_at_phase_end():
    # the sample's enterprises: 120, 134, 150, 163, 185 -> 2024 grew 8.7 %: 3 of 4 years
    levels = pd.Series({2021: 120.0, 2022: 134.0, 2023: 150.0, 2024: 163.0, 2025: 185.0})
    a, _ = p.assess_growth_band(levels, low=0.10, high=0.15, start=2021, end=2025, year=2025)
    assert (a.years_met, a.years_assessed) == (3, 4)
    assert a.status == p.NOT_ACHIEVED
    every_year = pd.Series({2021: 100.0, 2022: 110.0, 2023: 121.0, 2024: 140.0, 2025: 154.0})
    a, _ = p.assess_growth_band(every_year, low=0.10, high=0.15, start=2021, end=2025, year=2025)
    assert (a.years_met, a.years_assessed, a.status) == (4, 4, p.MET)
    a, _ = p.assess_growth_band(every_year, low=0.10, high=0.15, start=2021, end=2025, year=2024)
    assert a.status == p.ON_TRACK  # every year so far met, phase not over


def test_growth_band_gap_year_has_no_growth():
    growth = p.growth_rates(pd.Series({2021: 100.0, 2023: 121.0}))
    assert growth.empty


def test_projection_is_time_weighted():
    # exact line -> same line whatever the weights
    line = pd.Series({2021: 2.0, 2022: 4.0, 2023: 6.0})
    assert p.project_linear(line, 2025).loc[2025] == pytest.approx(10.0)
    # a late jump counts more than an early one
    late = p.project_linear(pd.Series({2021: 0.0, 2022: 0.0, 2023: 3.0}), 2025).loc[2025]
    early = p.project_linear(pd.Series({2021: 0.0, 2022: 3.0, 2023: 3.0}), 2025).loc[2025]
    unweighted_late = 0.0 + 1.5 * 4 - 0.5  # OLS line through (0,0),(1,0),(2,3): -0.5 + 1.5 t
    assert late > unweighted_late - 1e-9
    assert early != late


def test_projection_needs_two_points():
    with pytest.raises(ValueError, match="two years"):
        p.project_linear(pd.Series({2021: 1.0}), 2025)
