"""Tests of helpers.tfp.growth_accounting: identities, hand computations and bad input."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers.errors import ArgumentError, InputError
from helpers.problems import problem_text
from helpers.tfp.growth_accounting import (
    RESULT_COLUMNS,
    decompose,
    labour_quality_adjusted,
    period_aggregate,
    perpetual_inventory,
    phase_table,
    sensitivity,
)

# --------------------------------------------------------------------------------------
# Fixtures and strategies
# --------------------------------------------------------------------------------------


def frame_of(y, k, labour, start=2020, **extra):
    years = list(range(start, start + len(y)))
    return pd.DataFrame({"year": years, "Y": y, "K": k, "L": labour, **extra})


def run(frame, **options):
    options.setdefault("capital_share", 0.4)
    return decompose(frame, output="Y", capital="K", labour="L", **options)


starts = st.floats(min_value=1e-2, max_value=1e6)
factors = st.floats(min_value=0.5, max_value=2.0)  # yearly growth between −50 % and +100 %
shares = st.floats(min_value=0.01, max_value=0.99)


@st.composite
def level_path(draw, n):
    values = [draw(starts)]
    for factor in draw(st.lists(factors, min_size=n - 1, max_size=n - 1)):
        values.append(values[-1] * factor)
    return values


@st.composite
def accounts(draw, min_years=2, max_years=12):
    n = draw(st.integers(min_value=min_years, max_value=max_years))
    series = {name: draw(level_path(n)) for name in ("Y", "K", "L")}
    labour_share = draw(st.lists(shares, min_size=n, max_size=n))
    return frame_of(series["Y"], series["K"], series["L"], s_L=labour_share)


# --------------------------------------------------------------------------------------
# Hand computations
# --------------------------------------------------------------------------------------


def test_gso_hand_computed():
    # Y 100 -> 110: g_Y = 0.10;  K 400 -> 424: g_K = 0.06;  L 50 -> 50.5: g_L = 0.01.
    # α = 0.4: contrib_K = 0.4 × 0.06 = 0.024; contrib_L = 0.6 × 0.01 = 0.006;
    # g_A = 0.10 − 0.024 − 0.006 = 0.070; TFP share = 0.070 / 0.10 = 0.70.
    result = run(frame_of([100.0, 110.0], [400.0, 424.0], [50.0, 50.5]))
    row = result.loc[2021]
    assert list(result.columns) == RESULT_COLUMNS
    assert list(result.index) == [2021]
    assert row["growth_output"] == pytest.approx(0.10)
    assert row["growth_capital"] == pytest.approx(0.06)
    assert row["growth_labour"] == pytest.approx(0.01)
    assert row["contrib_capital"] == pytest.approx(0.024)
    assert row["contrib_labour"] == pytest.approx(0.006)
    assert row["growth_tfp"] == pytest.approx(0.070)
    assert row["tfp_share"] == pytest.approx(0.70)


def test_gso_per_year_capital_share_uses_year_t():
    # Year 2021 uses α_2021 = 0.5 (not α_2020 = 0.3): 0.10 − 0.5 × 0.06 − 0.5 × 0.01 = 0.065.
    frame = frame_of([100.0, 110.0], [400.0, 424.0], [50.0, 50.5], alpha=[0.3, 0.5])
    result = run(frame, capital_share="alpha")
    assert result.loc[2021, "growth_tfp"] == pytest.approx(0.065)


def test_labour_share_is_the_complement_of_capital_share():
    frame = frame_of([100.0, 110.0, 118.0], [400.0, 424.0, 440.0], [50.0, 50.5, 51.0])
    by_capital = run(frame, capital_share=0.35)
    by_labour = run(frame, capital_share=None, labour_share=0.65)
    pd.testing.assert_frame_equal(by_capital, by_labour)


def test_tornqvist_hand_computed():
    # Y 100 -> 120: ln 1.2 = 0.1823215568;  K 100 -> 110: ln 1.1 = 0.0953101798;
    # L 100 -> 105: ln 1.05 = 0.0487901642.  Labour share 0.6 in t−1, 0.7 in t: mean 0.65.
    # contrib_K = 0.35 × 0.0953101798 = 0.0333585629
    # contrib_L = 0.65 × 0.0487901642 = 0.0317136067
    # g_A = 0.1823215568 − 0.0333585629 − 0.0317136067 = 0.1172493872
    # TFP share = 0.1172493872 / 0.1823215568 = 0.6430911913
    frame = frame_of([100.0, 120.0], [100.0, 110.0], [100.0, 105.0], s_L=[0.6, 0.7])
    row = run(frame, capital_share=None, labour_share="s_L", method="tornqvist").loc[2021]
    assert row["growth_output"] == pytest.approx(0.1823215568, abs=1e-10)
    assert row["contrib_capital"] == pytest.approx(0.0333585629, abs=1e-10)
    assert row["contrib_labour"] == pytest.approx(0.0317136067, abs=1e-10)
    assert row["growth_tfp"] == pytest.approx(0.1172493872, abs=1e-10)
    assert row["tfp_share"] == pytest.approx(0.6430911913, abs=1e-10)


def test_year_may_be_the_index_and_rows_unsorted():
    frame = frame_of([100.0, 110.0, 121.0], [10.0, 11.0, 12.0], [5.0, 5.0, 5.0])
    shuffled = frame.iloc[[2, 0, 1]]
    pd.testing.assert_frame_equal(run(shuffled), run(frame))
    pd.testing.assert_frame_equal(run(frame.set_index("year")), run(frame))


def test_units_do_not_change_shares():
    # Billions versus millions (× 1000) for output and capital, persons versus thousands.
    frame = frame_of([100.0, 110.0, 118.0], [400.0, 424.0, 440.0], [50.0, 50.5, 51.0])
    scaled = frame.assign(Y=frame["Y"] * 1000, K=frame["K"] * 1000, L=frame["L"] * 1000)
    for method in ("gso", "tornqvist"):
        pd.testing.assert_frame_equal(run(scaled, method=method), run(frame, method=method))


def test_zero_output_growth_gives_undefined_share_only():
    result = run(frame_of([100.0, 100.0], [10.0, 11.0], [5.0, 5.0]))
    assert result.loc[2021, "growth_tfp"] == pytest.approx(-0.04)
    assert math.isnan(result.loc[2021, "tfp_share"])


# --------------------------------------------------------------------------------------
# Properties
# --------------------------------------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(frame=accounts(), method=st.sampled_from(["gso", "tornqvist"]))
def test_contributions_add_up_to_output_growth(frame, method):
    result = run(frame, capital_share=None, labour_share="s_L", method=method)
    total = result["contrib_capital"] + result["contrib_labour"] + result["growth_tfp"]
    np.testing.assert_allclose(total, result["growth_output"], rtol=1e-12, atol=1e-12)
    assert len(result) == len(frame) - 1
    assert result[RESULT_COLUMNS[:-1]].notna().all().all()


@settings(max_examples=60, deadline=None)
@given(
    frame=accounts(),
    factors=st.tuples(*[st.floats(min_value=1e-3, max_value=1e3)] * 3),
    method=st.sampled_from(["gso", "tornqvist"]),
)
def test_scaling_levels_leaves_the_decomposition_unchanged(frame, factors, method):
    fy, fk, fl = factors
    scaled = frame.assign(Y=frame["Y"] * fy, K=frame["K"] * fk, L=frame["L"] * fl)
    columns = ["growth_output", "contrib_capital", "contrib_labour", "growth_tfp"]
    a = run(frame, method=method)[columns]
    b = run(scaled, method=method)[columns]
    np.testing.assert_allclose(a, b, rtol=1e-9, atol=1e-9)


@settings(max_examples=60, deadline=None)
@given(
    path=st.lists(st.floats(min_value=0.5, max_value=2.0), min_size=2, max_size=10),
    alpha=shares,
    method=st.sampled_from(["gso", "tornqvist"]),
)
def test_balanced_growth_leaves_no_tfp(path, alpha, method):
    # Output, capital and labour all grow alike: inputs explain everything.
    frame = frame_of(path, [2 * v for v in path], [3 * v for v in path])
    result = run(frame, capital_share=alpha, method=method)
    np.testing.assert_allclose(result["growth_tfp"], 0.0, atol=1e-12)


@settings(max_examples=60, deadline=None)
@given(frame=accounts(), alpha=shares)
def test_tornqvist_with_a_fixed_share_is_the_log_form(frame, alpha):
    result = run(frame, capital_share=alpha, method="tornqvist")
    logs = np.log(frame[["Y", "K", "L"]]).diff().iloc[1:].to_numpy()
    expected = logs[:, 0] - alpha * logs[:, 1] - (1 - alpha) * logs[:, 2]
    np.testing.assert_allclose(result["growth_tfp"], expected, rtol=1e-9, atol=1e-12)


@settings(max_examples=60, deadline=None)
@given(frame=accounts(min_years=3), method=st.sampled_from(["gso", "tornqvist"]))
def test_period_aggregate_adds_up(frame, method):
    yearly = run(frame, method=method)
    first, last = int(yearly.index[0]), int(yearly.index[-1])
    period = period_aggregate(yearly, first, last)
    assert period["n_years"] == len(yearly)
    total = period["contrib_capital"] + period["contrib_labour"] + period["growth_tfp"]
    assert total == pytest.approx(period["growth_output"], rel=1e-9, abs=1e-12)
    if abs(yearly["growth_output"].sum()) > 1e-9:
        shares_sum = (
            period["capital_share_of_growth"]
            + period["labour_share_of_growth"]
            + period["tfp_share"]
        )
        assert shares_sum == pytest.approx(1.0, rel=1e-6)


# --------------------------------------------------------------------------------------
# Periods
# --------------------------------------------------------------------------------------


def crafted_yearly():
    # Year 1: growth 10 %, TFP 5 points (share 50 %). Year 2: growth 1 %, TFP 0.9 (90 %).
    return pd.DataFrame(
        {
            "growth_output": [0.10, 0.01],
            "growth_capital": [0.125, 0.0025],
            "growth_labour": [0.0, 0.0],
            "contrib_capital": [0.05, 0.001],
            "contrib_labour": [0.0, 0.0],
            "growth_tfp": [0.05, 0.009],
            "tfp_share": [0.5, 0.9],
        },
        index=pd.Index([2021, 2022], name="year"),
    )


def test_period_share_comes_from_summed_contributions_not_averaged_shares():
    # Summed: (0.05 + 0.009) / (0.10 + 0.01) = 0.059 / 0.11 = 0.53636...
    # Averaging the yearly shares would give (0.5 + 0.9) / 2 = 0.70.
    period = period_aggregate(crafted_yearly(), 2021, 2022)
    assert period["tfp_share"] == pytest.approx(0.059 / 0.11)
    assert period["tfp_share"] != pytest.approx(crafted_yearly()["tfp_share"].mean())
    assert period["growth_output"] == pytest.approx(0.055)
    assert period["growth_tfp"] == pytest.approx(0.0295)
    # CAGR of discrete growth: sqrt(1.10 × 1.01) − 1.
    assert period["cagr_output"] == pytest.approx(math.sqrt(1.10 * 1.01) - 1)


def test_period_cagr_of_log_growth():
    yearly = crafted_yearly()
    yearly.attrs = {"method": "tornqvist"}
    period = period_aggregate(yearly, 2021, 2022)
    assert period["cagr_output"] == pytest.approx(math.exp(0.055) - 1)


def test_period_starting_at_the_first_year_is_refused():
    frame = frame_of([100.0, 110.0, 121.0], [10.0, 11.0, 12.0], [5.0, 5.0, 5.0])
    yearly = run(frame)
    with pytest.raises(InputError) as caught:
        period_aggregate(yearly, 2020, 2022)
    problem = caught.value.problems[0]
    assert "undefined in the first year" in problem.message
    assert problem.value == "2020"


def test_incomplete_period_needs_permission():
    yearly = run(frame_of([100.0, 110.0, 121.0], [10.0, 11.0, 12.0], [5.0, 5.0, 5.0]))
    with pytest.raises(InputError):
        period_aggregate(yearly, 2021, 2025)
    partial = period_aggregate(yearly, 2021, 2025, require_complete=False)
    assert (partial["first_year"], partial["last_year"], partial["n_years"]) == (2021, 2022, 2)
    with pytest.raises(ValueError, match="starts after"):
        period_aggregate(yearly, 2022, 2021)


def test_phase_table_skips_phases_without_data():
    yearly = crafted_yearly()
    table = phase_table(yearly, {"2021–2025": (2021, 2025), "2026–2030": (2026, 2030)})
    assert list(table.index) == ["2021–2025"]
    assert table.loc["2021–2025", "n_years"] == 2
    assert table.loc["2021–2025", "tfp_share"] == pytest.approx(0.059 / 0.11)


# --------------------------------------------------------------------------------------
# Perpetual inventory and labour quality
# --------------------------------------------------------------------------------------


def test_perpetual_inventory_hand_computed():
    # Opening stock 10 / (0.1 + 0.1) = 50; K = 0.9 × 50 + 10 = 55; 0.9 × 55 + 11 = 60.5.
    investment = pd.Series([10.0, 11.0], index=[2010, 2011])
    capital = perpetual_inventory(investment, depreciation=0.1)
    assert capital.tolist() == pytest.approx([55.0, 60.5])
    assert capital.attrs["opening_stock"] == pytest.approx(50.0)
    assert capital.attrs["growth"] == pytest.approx(0.1)


@settings(max_examples=60, deadline=None)
@given(
    growth=st.floats(min_value=-0.03, max_value=0.2),
    delta=st.floats(min_value=0.04, max_value=0.2),
    first=st.floats(min_value=1.0, max_value=1e5),
    n=st.integers(min_value=2, max_value=30),
)
def test_perpetual_inventory_matches_the_steady_state_closed_form(growth, delta, first, n):
    # I_t = I_0 (1 + g)^t. With the opening stock K_{-1} = I_0 / (g + δ), guess K_t = c I_t:
    # c I_t = (1 − δ) c I_t / (1 + g) + I_t  =>  c = (1 + g) / (g + δ), for every t.
    years = np.arange(2000, 2000 + n)
    investment = pd.Series(first * (1 + growth) ** (years - 2000), index=years)
    capital = perpetual_inventory(investment, depreciation=delta)  # g estimated from the data
    expected = investment * (1 + growth) / (growth + delta)
    np.testing.assert_allclose(capital, expected, rtol=1e-9)
    # The recursion itself holds every year.
    np.testing.assert_allclose(
        capital.iloc[1:].to_numpy() - (1 - delta) * capital.iloc[:-1].to_numpy(),
        investment.iloc[1:].to_numpy(),
        rtol=1e-9,
    )


def test_perpetual_inventory_with_given_opening_stock_and_growth():
    investment = pd.Series([10.0, 20.0], index=[2010, 2011])
    capital = perpetual_inventory(investment, depreciation=0.5, initial=100.0)
    assert capital.tolist() == pytest.approx([60.0, 50.0])  # 0.5×100+10, 0.5×60+20
    fixed = perpetual_inventory(investment, depreciation=0.5, growth=0.0)
    assert fixed.iloc[0] == pytest.approx(0.5 * 10.0 / 0.5 + 10.0)


def test_perpetual_inventory_growth_from_the_first_years_only():
    # Growth over the first two years is 10 %/yr; the jump afterwards is ignored.
    investment = pd.Series([100.0, 110.0, 121.0, 500.0], index=range(2010, 2014))
    capital = perpetual_inventory(investment, depreciation=0.1, growth_years=2)
    assert capital.attrs["growth"] == pytest.approx(0.1)


def test_labour_quality_adjustment():
    # Trained workers supply 1.3 units: 100 × (1 + 0.3 × 0.5) = 115; 102 × (1 + 0.3 × 0.6).
    employment = pd.Series([100.0, 102.0], index=[2020, 2021])
    trained = pd.Series([0.5, 0.6], index=[2020, 2021])
    labour = labour_quality_adjusted(employment, trained)
    assert labour.tolist() == pytest.approx([115.0, 102.0 * 1.18])


# --------------------------------------------------------------------------------------
# Sensitivity
# --------------------------------------------------------------------------------------


def test_sensitivity_grid_is_tidy_and_consistent_with_decompose():
    frame = pd.DataFrame(
        {
            "year": range(2015, 2021),
            "Y": [100.0, 108.0, 116.6, 126.0, 136.0, 146.9],
            "I": [30.0, 31.5, 33.1, 34.7, 36.5, 38.3],
            "L": [50.0, 50.5, 51.0, 51.5, 52.0, 52.5],
        }
    )
    frame["L2"] = frame["L"] * 1.01 ** np.arange(6)
    grid = sensitivity(
        frame,
        output="Y",
        investment="I",
        labour={"base": "L", "faster": "L2"},
        alphas=[0.3, 0.4, 0.5],
        deltas=[0.04, 0.06],
        start=2016,
        end=2020,
    )
    assert len(grid) == 2 * 2 * 3
    assert grid[["labour_input", "delta", "alpha"]].drop_duplicates().shape[0] == 12
    assert grid["tfp_share"].notna().all()
    # One cell recomputed by hand from the building blocks.
    capital = perpetual_inventory(frame.set_index("year")["I"], depreciation=0.06)
    check = frame.assign(K=capital.to_numpy())
    yearly = decompose(check, output="Y", capital="K", labour="L", capital_share=0.4)
    cell = grid.query("labour_input == 'base' and delta == 0.06 and alpha == 0.4")
    assert cell["tfp_share"].item() == pytest.approx(
        period_aggregate(yearly, 2016, 2020)["tfp_share"]
    )
    # Faster labour growth leaves less to TFP.
    pivot = grid.pivot_table(index=["delta", "alpha"], columns="labour_input", values="tfp_share")
    assert (pivot["faster"] < pivot["base"]).all()


# --------------------------------------------------------------------------------------
# Bad input
# --------------------------------------------------------------------------------------


def test_missing_year_is_refused():
    frame = frame_of([100.0, 110.0, 121.0], [10.0, 11.0, 12.0], [5.0, 5.0, 5.0])
    frame.loc[2, "year"] = 2023  # 2020, 2021, 2023: 2022 is missing
    with pytest.raises(InputError) as caught:
        run(frame)
    problem = caught.value.problems[0]
    assert problem.column == "year"
    assert "2022" in problem.message


def test_duplicate_year_is_refused():
    frame = frame_of([100.0, 110.0, 121.0], [10.0, 11.0, 12.0], [5.0, 5.0, 5.0])
    frame.loc[2, "year"] = 2021
    with pytest.raises(InputError, match="more than once"):
        run(frame)


@pytest.mark.parametrize("bad", [0.0, -5.0])
def test_non_positive_level_is_refused(bad):
    frame = frame_of([100.0, bad, 121.0], [10.0, 11.0, 12.0], [5.0, 5.0, 5.0])
    with pytest.raises(InputError) as caught:
        run(frame)
    (problem,) = caught.value.problems
    assert (problem.column, problem.value) == ("Y", str(bad))
    assert "2021" in problem.message


def test_nan_and_text_values_are_refused_and_all_listed():
    frame = frame_of([100.0, np.nan, 121.0], [10.0, 11.0, 12.0], [5.0, 5.0, 5.0])
    frame["L"] = ["5", "five", "5"]
    with pytest.raises(InputError) as caught:
        run(frame)
    found = {(p.column, p.value) for p in caught.value.problems}
    assert found == {("Y", None), ("L", "five")}
    assert all("2021" in p.message for p in caught.value.problems)


@pytest.mark.parametrize("share", [0.0, 1.0, 1.2, -0.1, float("nan")])
def test_share_outside_the_unit_interval_is_a_wrong_argument(share):
    frame = frame_of([100.0, 110.0], [10.0, 11.0], [5.0, 5.0])
    with pytest.raises(
        ArgumentError, match=r"capital_share must be strictly between 0 and 1"
    ) as caught:
        run(frame, capital_share=share)
    assert repr(share) in str(caught.value)
    assert caught.value.exit_code == 2


def test_share_column_outside_the_unit_interval_is_refused():
    frame = frame_of([100.0, 110.0, 121.0], [10.0, 11.0, 12.0], [5.0, 5.0, 5.0])
    frame["s_L"] = [0.6, 60.0, 0.6]  # a percentage slipped in
    with pytest.raises(InputError) as caught:
        run(frame, capital_share=None, labour_share="s_L")
    (problem,) = caught.value.problems
    assert (problem.column, problem.value) == ("s_L", "60.0")
    assert "2021" in problem.message


def test_growth_is_undefined_with_a_single_year():
    with pytest.raises(InputError, match="undefined"):
        run(frame_of([100.0], [10.0], [5.0]))


def test_missing_column_is_refused():
    frame = frame_of([100.0, 110.0], [10.0, 11.0], [5.0, 5.0]).drop(columns="K")
    with pytest.raises(InputError) as caught:
        run(frame)
    assert caught.value.problems[0].column == "K"


def test_problems_carry_the_file_and_row_when_known():
    frame = frame_of([100.0, -1.0], [10.0, 11.0], [5.0, 5.0])
    frame.attrs = {"source": "accounts.csv", "excel_rows": {2020: 2, 2021: 3}}
    with pytest.raises(InputError) as caught:
        run(frame)
    (problem,) = caught.value.problems
    assert (problem.file, problem.row) == ("accounts.csv", 3)


@pytest.mark.parametrize(
    "options",
    [{"capital_share": None}, {"capital_share": 0.4, "labour_share": 0.6}],
)
def test_exactly_one_share_must_be_given(options):
    frame = frame_of([100.0, 110.0], [10.0, 11.0], [5.0, 5.0])
    with pytest.raises(ValueError, match="exactly one"):
        run(frame, **options)


def test_unknown_method_is_refused():
    frame = frame_of([100.0, 110.0], [10.0, 11.0], [5.0, 5.0])
    with pytest.raises(ValueError, match="method"):
        run(frame, method="solow")


@pytest.mark.parametrize(
    ("investment", "message"),
    [
        ([10.0, 0.0, 12.0], "year 2011: a level must be positive and finite"),
        ([10.0, np.nan, 12.0], "year 2011: the value is empty"),
    ],
)
def test_perpetual_inventory_bad_input(investment, message):
    series = pd.Series(investment, index=[2010, 2011, 2012], name="investment")
    with pytest.raises(InputError) as caught:
        perpetual_inventory(series, depreciation=0.05)
    (problem,) = caught.value.problems
    assert (problem.column, problem.message) == ("investment", message)


@pytest.mark.parametrize(
    ("options", "match"),
    [
        ({"depreciation": 1.5}, r"depreciation must be .* got 1\.5"),
        ({"depreciation": -0.05}, r"depreciation must be .* got -0\.05"),
        ({"depreciation": 0.05, "growth": -0.06}, r"growth \+ depreciation .* growth=-0\.06"),
        ({"depreciation": 0.05, "initial": -1.0}, r"initial \(the opening stock\) .* got -1\.0"),
    ],
)
def test_perpetual_inventory_wrong_arguments(options, match):
    series = pd.Series([10.0, 11.0, 12.0], index=[2010, 2011, 2012], name="investment")
    with pytest.raises(ArgumentError, match=match):
        perpetual_inventory(series, **options)


def test_investment_falling_too_fast_for_the_steady_state_is_bad_data():
    # investment halves every year: g = −50 %, and g + δ = −0.45 < 0
    series = pd.Series([40.0, 20.0, 10.0], index=[2010, 2011, 2012], name="investment")
    with pytest.raises(InputError) as caught:
        perpetual_inventory(series, depreciation=0.05)
    (problem,) = caught.value.problems
    assert (problem.column, problem.value, problem.expected) == ("investment", "-0.5", "g > -0.05")


def test_empty_series_are_wrong_arguments():
    empty = pd.Series([], dtype=float, name="investment")
    with pytest.raises(ArgumentError, match="investment is empty"):
        perpetual_inventory(empty, depreciation=0.05)
    with pytest.raises(ArgumentError, match="frame is empty"):
        run(frame_of([], [], []))
    with pytest.raises(ArgumentError, match="employment is empty"):
        labour_quality_adjusted(pd.Series([], dtype=float, name="employment"), empty)


def test_wrong_premium_and_alphas_are_wrong_arguments():
    employment = pd.Series([100.0, 102.0], index=[2020, 2021], name="employment")
    trained = pd.Series([0.5, 0.6], index=[2020, 2021])
    with pytest.raises(ArgumentError, match=r"premium must be .* got -1\.0"):
        labour_quality_adjusted(employment, trained, premium=-1.0)
    frame = pd.DataFrame(
        {"year": [2020, 2021, 2022], "Y": [100.0, 110.0, 121.0], "I": [10.0, 11.0, 12.0]}
    )
    frame["L"] = 5.0
    with pytest.raises(ArgumentError, match=r"alphas must be strictly between 0 and 1.* got 40\.0"):
        sensitivity(
            frame,
            output="Y",
            investment="I",
            labour="L",
            alphas=[0.4, 40.0],
            deltas=[0.05],
            start=2021,
            end=2022,
        )


def test_problems_are_told_in_the_catalogue_words():
    frame = frame_of([100.0, 110.0, 121.0], [10.0, 11.0, 12.0], [5.0, 5.0, 5.0])
    frame.loc[2, "year"] = 2023
    with pytest.raises(InputError) as caught:
        run(frame)
    (problem,) = caught.value.problems
    assert problem.message == problem_text("growth_year_gap", "en", year=2022)
    assert problem.expected == "every year from 2020 to 2023"


def test_perpetual_inventory_gap_in_years():
    series = pd.Series([10.0, 11.0, 12.0], index=[2010, 2011, 2013], name="investment")
    with pytest.raises(InputError, match="2012"):
        perpetual_inventory(series, depreciation=0.05)


def test_trained_share_given_in_percent_is_refused():
    employment = pd.Series([100.0, 102.0], index=[2020, 2021], name="employment")
    trained = pd.Series([85.0, 0.86], index=[2020, 2021], name="trained_labour_share")
    with pytest.raises(InputError) as caught:
        labour_quality_adjusted(employment, trained)
    (problem,) = caught.value.problems
    assert (problem.column, problem.value) == ("trained_labour_share", "85.0")
    assert "2020" in problem.message


def test_docstring_examples_run():
    import doctest

    import helpers.tfp.growth_accounting as module

    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0
    assert result.failed == 0


# --------------------------------------------------------------------------------------
# Reconciliation
# --------------------------------------------------------------------------------------


def test_required_capital_growth_and_alpha_reproduce_the_share():
    from helpers.tfp.growth_accounting import capital_growth_for_share, capital_share_for_share

    # Quảng Ninh 2021 as in the issue: 43.48 % of 10.28 % growth, labour −0.18 %, α = 0.4:
    # g_K = (0.1028 × 0.5652 + 0.6 × 0.0018) / 0.4 = 14.80 %
    g_k = capital_growth_for_share(0.4348, 0.1028, -0.0018, 0.4)
    assert g_k == pytest.approx((0.1028 * 0.5652 + 0.6 * 0.0018) / 0.4)
    assert g_k == pytest.approx(0.1480, abs=5e-5)
    # the same share at α = 0.5 needs less capital growth
    assert capital_growth_for_share(0.4348, 0.1028, -0.0018, 0.5) < g_k
    # α that gives 43.48 % with capital growing 8 %: back into the formula
    alpha = capital_share_for_share(0.4348, 0.1028, 0.08, -0.0018)
    share = (0.1028 - alpha * 0.08 - (1 - alpha) * -0.0018) / 0.1028
    assert share == pytest.approx(0.4348)
    assert np.isnan(capital_share_for_share(0.5, 0.1, 0.02, 0.02))
    with pytest.raises(ArgumentError, match=r"capital_share must be strictly .* got 0\.0"):
        capital_growth_for_share(0.5, 0.1, 0.0, 0.0)
