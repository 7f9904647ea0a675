"""Tests of the province accounts: the sample, the loader's checks and the estimates.

The loader is :mod:`helpers.inputs.province_accounts`; the estimates are
:mod:`helpers.tfp.province_tfp`.
"""

from __future__ import annotations

import csv
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from helpers.config import SAMPLE_DATA_DIR
from helpers.errors import InputError
from helpers.inputs.province_accounts import (
    STATUSES,
    VALUE_COLUMNS,
    accounts_long,
    load_province_accounts,
    load_published_figures,
)
from helpers.problems import expected_text, problem_text
from helpers.programme.tfp_objective import PublishedShare
from helpers.tfp.growth_accounting import RESULT_COLUMNS, decompose, period_aggregate
from helpers.tfp.province_capital import (
    BACKCASTS,
    CAPITAL_OUTPUT_GRID,
    DEFAULT_CAPITAL_OUTPUT,
    PLAUSIBLE_CAPITAL_OUTPUT,
    PLAUSIBLE_INVESTMENT_RATE,
)
from helpers.tfp.province_tfp import (
    ALPHA_GRID,
    ASSUMPTIONS,
    DELTA_GRID,
    EMPLOYMENT_GROWTH_VARIANTS,
    province_inputs,
    province_reconciliation,
    province_sensitivity,
    province_tfp,
    province_tornado,
)

ACCOUNTS = SAMPLE_DATA_DIR / "province_accounts.csv"
FIGURES = SAMPLE_DATA_DIR / "published_figures.csv"


@pytest.fixture(scope="module")
def accounts() -> pd.DataFrame:
    return load_province_accounts(ACCOUNTS)


def sample_rows() -> tuple[list[str], list[dict[str, str]]]:
    with ACCOUNTS.open(encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def write_rows(path: Path, header: list[str], rows: list[dict[str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return path


def problems_of(path: Path) -> list:
    with pytest.raises(InputError) as caught:
        load_province_accounts(path)
    return caught.value.problems


# --------------------------------------------------------------------------------------
# The sample data
# --------------------------------------------------------------------------------------


def test_sample_accounts_cover_2010_to_2025(accounts):
    assert accounts["year"].tolist() == list(range(2010, 2026))
    assert accounts.attrs["source"] == "province_accounts.csv"
    assert accounts.attrs["excel_rows"][2010] == 2
    for spec in VALUE_COLUMNS:
        if spec.name in accounts.columns:
            assert set(accounts[spec.name + "_status"]) <= set(STATUSES)


def test_every_sample_value_has_a_source_and_is_missing_only_when_allowed(accounts):
    long = accounts_long(accounts)
    present = long[long["status"] != "missing"]
    assert present["value"].notna().all()
    assert (present["source"].str.len() > 10).all()
    missing = long[long["status"] == "missing"]
    assert missing["value"].isna().all()
    allowed = {spec.name for spec in VALUE_COLUMNS if spec.allow_missing}
    assert set(missing["variable"]) <= allowed


# Published figures from the reference table (quang_ninh_published.csv), carried into the data.
PUBLISHED = [
    # 2010-2015: the thesis table of GRDP growth at 2010 prices (secondary copy)
    ("grdp_growth", 2010, 0.127),
    ("grdp_growth", 2011, 0.1012),
    ("grdp_growth", 2012, 0.0894),
    ("grdp_growth", 2013, 0.0953),
    ("grdp_growth", 2014, 0.1025),
    ("grdp_growth", 2015, 0.11),
    ("grdp_growth", 2016, 0.101),
    ("grdp_growth", 2017, 0.102),
    ("grdp_growth", 2018, 0.111),
    ("grdp_growth", 2019, 0.1201),
    ("grdp_growth", 2020, 0.1005),
    ("grdp_growth", 2021, 0.1028),
    ("grdp_growth", 2022, 0.1028),
    ("grdp_growth", 2023, 0.1103),
    ("grdp_growth", 2024, 0.0842),
    ("grdp_growth", 2025, 0.1189),
    ("grdp_current", 2020, 220000.0),
    ("grdp_current", 2021, 238186.0),
    ("grdp_current", 2022, 269000.0),
    ("grdp_current", 2023, 315000.0),
    ("grdp_current", 2024, 347500.0),
    ("investment_current", 2015, 51341.0),
    ("investment_current", 2017, 60600.0),
    ("investment_current", 2018, 67600.0),
    ("investment_current", 2020, 85400.0),
    ("investment_current", 2021, 93938.0),
    ("investment_current", 2023, 104217.0),
    ("investment_current", 2024, 109400.0),
    ("employment", 2010, 625.7),
    ("employment", 2024, 610.0),
    ("trained_labour_share", 2015, 0.60),
    ("trained_labour_share", 2020, 0.85),
    ("trained_labour_share", 2023, 0.8646),
]


@pytest.mark.parametrize(("column", "year", "value"), PUBLISHED)
def test_sample_carries_the_published_figures(accounts, column, year, value):
    row = accounts.set_index("year").loc[year]
    assert row[column] == pytest.approx(value)
    assert row[column + "_status"] in {"published", "estimate", "derived"}
    assert "http" in row[column + "_source"] or "secondary" in row[column + "_source"]


def test_employment_between_anchors_is_labelled_assumed(accounts):
    statuses = accounts.set_index("year")["employment_status"]
    assert statuses[2010] == "published"
    assert statuses[2024] == "derived"
    assert set(statuses.drop([2010, 2024])) == {"assumed"}


def test_sample_grdp_levels_chain_the_growth_rates(accounts):
    levels = accounts.set_index("year")["grdp_constant_2010"]
    growth = accounts.set_index("year")["grdp_growth"]
    implied = (levels / levels.shift(1) - 1).iloc[1:]
    np.testing.assert_allclose(implied, growth.iloc[1:], atol=1e-5)


def test_sample_gives_a_finite_tfp_share_for_2021_2025(accounts):
    yearly = province_tfp(accounts)
    assert list(yearly.columns) == RESULT_COLUMNS
    assert list(yearly.index) == list(range(2011, 2026))
    period = period_aggregate(yearly, 2021, 2025)
    assert math.isfinite(period["tfp_share"])
    assert 0 < period["tfp_share"] < 1
    # Output growth is the published growth: mean of 10.28, 10.28, 11.03, 8.42, 11.89 = 10.38 %,
    # which the province reports as an average of about 10.4 %.
    assert period["growth_output"] == pytest.approx(0.1038, abs=1e-5)


def test_sample_average_growth_matches_the_published_average(accounts):
    figures = load_published_figures(FIGURES)
    published = figures.query("indicator == 'grdp_growth_average' and start_year == 2021")
    period = period_aggregate(province_tfp(accounts), 2021, 2025)
    assert period["cagr_output"] * 100 == pytest.approx(published["value"].item(), abs=0.05)


def test_every_published_investment_figure_is_used_and_only_gaps_are_filled(accounts):
    inputs = province_inputs(accounts, delta=0.05)
    deflated = (accounts["investment_current"] / accounts["investment_deflator"]).to_numpy()
    published = ~np.isnan(deflated)
    assert accounts["year"][published].tolist() == [2015, 2017, 2018, 2020, 2021, 2023, 2024]
    np.testing.assert_allclose(inputs["investment"].to_numpy()[published], deflated[published])
    origin = inputs["investment_origin"]
    assert set(origin[origin.index < 2015]) == {"backcast"}
    assert origin[2016] == "interpolated" and origin[2025] == "held"
    # 2016 lies halfway between the rates of 2015 and 2017
    rate = inputs["investment_rate"]
    assert rate[2016] == pytest.approx((rate[2015] + rate[2017]) / 2)
    # the back-cast holds the 2015 rate: investment moves with GRDP, not at a fixed growth
    assert rate[2010] == pytest.approx(rate[2015])
    # 2019: the rule agrees with 85,400 / 1.113 (2020 reported as +11.3 % on 2019)
    deflator = accounts.set_index("year")["investment_deflator"][2019]
    assert inputs["investment"][2019] * deflator == pytest.approx(85400 / 1.113, rel=0.002)


def test_opening_stock_is_the_stated_capital_output_ratio(accounts):
    inputs = province_inputs(accounts, delta=0.05)
    assert inputs["capital_output"][2010] == pytest.approx(DEFAULT_CAPITAL_OUTPUT)
    assert province_inputs(accounts, capital_output=2.0)["capital_output"][2010] == 2.0
    recursion = inputs["capital"].diff().iloc[1:] + 0.05 * inputs["capital"].shift(1).iloc[1:]
    np.testing.assert_allclose(recursion, inputs["investment"].iloc[1:])
    direct = decompose(
        inputs, output="output", capital="capital", labour="labour", capital_share=0.4
    )
    pd.testing.assert_frame_equal(province_tfp(accounts), direct)


def test_capital_does_not_grow_at_a_constant_rate(accounts):
    # The old back-cast made capital grow exactly 5.20 % a year in 2011-2018.
    growth = province_inputs(accounts)["capital"].pct_change().loc[2011:2018]
    assert growth.max() - growth.min() > 0.01


def test_implied_ratios_lie_in_the_plausible_ranges(accounts):
    inputs = province_inputs(accounts)
    assert inputs["capital_output"].between(*PLAUSIBLE_CAPITAL_OUTPUT).all()
    assert inputs["investment_rate"].between(*PLAUSIBLE_INVESTMENT_RATE).all()


def test_alpha_none_reads_the_labour_share_column(accounts):
    # The sample's labour share is 0.6 every year, so α = None equals α = 0.4.
    pd.testing.assert_frame_equal(province_tfp(accounts, alpha=None), province_tfp(accounts))


def test_quality_adjustment_changes_labour_only(accounts):
    plain = province_tfp(accounts)
    adjusted = province_tfp(accounts, quality_adjust=True)
    pd.testing.assert_series_equal(plain["growth_output"], adjusted["growth_output"])
    pd.testing.assert_series_equal(plain["growth_capital"], adjusted["growth_capital"])
    # The trained share rises 60 % -> 85 % in 2015-2020: quality-adjusted labour grows faster.
    years = list(range(2016, 2021))
    assert (adjusted.loc[years, "growth_labour"] > plain.loc[years, "growth_labour"]).all()


def test_tornqvist_and_gso_agree_closely_on_the_sample(accounts):
    gso = period_aggregate(province_tfp(accounts), 2021, 2025)["tfp_share"]
    tornqvist = period_aggregate(province_tfp(accounts, method="tornqvist"), 2021, 2025)
    assert tornqvist["tfp_share"] == pytest.approx(gso, abs=0.02)


def test_sensitivity_grid_of_the_sample(accounts):
    grid = province_sensitivity(accounts)
    variants = 1 + len(EMPLOYMENT_GROWTH_VARIANTS)
    n = len(ALPHA_GRID) * len(DELTA_GRID) * len(CAPITAL_OUTPUT_GRID) * len(BACKCASTS)
    assert len(grid) == variants * n
    assert set(grid["labour_input"]) == {"data", "+0.0 %/yr", "+0.5 %/yr", "+1.0 %/yr"}
    assert np.isfinite(grid["tfp_share"]).all()
    central = grid.query(
        "labour_input == 'data' and alpha == 0.4 and delta == 0.05 and capital_output == 3.0"
        " and backcast == 'first'"
    )
    period = period_aggregate(province_tfp(accounts), 2021, 2025)
    assert central["tfp_share"].item() == pytest.approx(period["tfp_share"])
    # Capital grows faster than labour, so a larger α leaves a smaller share to TFP.
    keys = ["labour_input", "delta", "capital_output", "backcast"]
    for _, block in grid.groupby(keys):
        shares = block.sort_values("alpha")["tfp_share"].to_numpy()
        assert (np.diff(shares) < 0).all()
    # Faster employment growth leaves less to TFP.
    table = grid.pivot_table(
        index=["alpha", "delta", "capital_output", "backcast"],
        columns="labour_input",
        values="tfp_share",
    )
    assert (table["+0.0 %/yr"] > table["+0.5 %/yr"]).all()
    assert (table["+0.5 %/yr"] > table["+1.0 %/yr"]).all()
    # A larger opening stock grows more slowly in 2021-2025, leaving more to TFP.
    by_kappa = grid.pivot_table(
        index=["alpha", "delta", "labour_input", "backcast"],
        columns="capital_output",
        values="tfp_share",
    )
    assert (np.diff(by_kappa.to_numpy(), axis=1) > 0).all()


def test_tornado_ranks_the_assumptions_by_swing(accounts):
    grid = province_sensitivity(accounts)
    tornado = province_tornado(grid)
    assert set(tornado["assumption"]) == set(ASSUMPTIONS)
    assert (np.diff(tornado["swing"].to_numpy()) <= 0).all()
    central = period_aggregate(province_tfp(accounts), 2021, 2025)["tfp_share"]
    np.testing.assert_allclose(tornado["central"], central)
    # α alone: its extremes are the shares at α = 0.3 and α = 0.6
    alpha = tornado.set_index("assumption").loc["alpha"]
    assert (alpha["low_setting"], alpha["high_setting"]) == (0.6, 0.3)
    high = period_aggregate(province_tfp(accounts, alpha=0.3), 2021, 2025)["tfp_share"]
    assert alpha["high"] == pytest.approx(high)
    assert (tornado["low"] <= central + 1e-12).all() and (tornado["high"] >= central - 1e-12).all()


def test_reconciliation_reproduces_the_published_shares(accounts):
    shares = [PublishedShare(2021, 0.4348), PublishedShare(2024, 0.50, "above")]
    table = province_reconciliation(accounts, shares).set_index("year")
    yearly = province_tfp(accounts)
    for year in (2021, 2024):
        row = table.loc[year]
        # feeding the required capital growth back into the formula gives the published share
        g_y, g_l = row["growth_output"], row["growth_labour"]
        share = (g_y - 0.4 * row["required_capital_growth"] - 0.6 * g_l) / g_y
        assert share == pytest.approx(row["published"])
        # and the required α at the data's capital growth as well
        a = row["required_alpha"]
        share = (g_y - a * row["growth_capital"] - (1 - a) * g_l) / g_y
        assert share == pytest.approx(row["published"])
        assert row["estimate"] == pytest.approx(yearly.loc[year, "tfp_share"])
        assert row["capital_low"] <= row["growth_capital"] <= row["capital_high"]
    assert table.loc[2021, "bound"] == "equal" and table.loc[2024, "bound"] == "at_most"


# --------------------------------------------------------------------------------------
# Published figures
# --------------------------------------------------------------------------------------


def test_published_figures_load_and_keep_qualifiers():
    figures = load_published_figures(FIGURES)
    shares = figures[figures["indicator"] == "tfp_share_of_growth"]
    province = shares[shares["area"] == "Quảng Ninh"].set_index("start_year")
    assert province.loc[2021, "value"] == 43.48
    assert province.loc[2023, "value"] == 50.01
    above = figures.query("area == 'Quảng Ninh' and start_year == 2024")
    assert above[["value", "qualifier"]].iloc[0].tolist() == [50.0, "above"]
    targets = figures[figures["kind"] == "target"].set_index("end_year")
    # national: about 45 % (2025), about 50 % (2030), above 55 %; the province: above 55 %
    assert sorted(targets["value"].tolist()) == [45.0, 50.0, 55.0, 55.0]
    own = targets[targets["area"] == "Quảng Ninh"]
    assert own[["start_year", "value", "qualifier"]].iloc[0].tolist() == [2026, 55.0, "above"]
    assert (figures["source_url"].str.startswith("http")).all()


def test_published_figures_bad_qualifier(tmp_path):
    text = FIGURES.read_text(encoding="utf-8").replace(",above,", ",more than,", 1)
    path = tmp_path / "published_figures.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_published_figures(path)
    (problem,) = caught.value.problems
    assert (problem.row, problem.column, problem.value) == (4, "qualifier", "more than")


# --------------------------------------------------------------------------------------
# Bad input files
# --------------------------------------------------------------------------------------


def test_missing_file():
    with pytest.raises(InputError, match="does not exist"):
        load_province_accounts(SAMPLE_DATA_DIR / "no_such_file.csv")


def test_missing_columns_are_all_listed(tmp_path):
    header, rows = sample_rows()
    drop = {"employment", "employment_status", "grdp_growth_source"}
    header = [h for h in header if h not in drop]
    rows = [{k: v for k, v in r.items() if k not in drop} for r in rows]
    problems = problems_of(write_rows(tmp_path / "a.csv", header, rows))
    assert {p.column for p in problems} == {"employment", "grdp_growth_source"}
    assert all(p.file == "a.csv" and p.row is None for p in problems)


def test_non_numeric_value_is_located_by_excel_row(tmp_path):
    header, rows = sample_rows()
    rows[3]["employment"] = "622,3"  # decimal comma; the fourth data row is Excel row 5
    rows[5]["investment_current"] = "n/a"
    problems = problems_of(write_rows(tmp_path / "a.csv", header, rows))
    found = {(p.row, p.column, p.value) for p in problems}
    assert found == {(5, "employment", "622,3"), (7, "investment_current", "n/a")}
    assert all(p.expected for p in problems)


def test_unknown_status_and_empty_source(tmp_path):
    header, rows = sample_rows()
    rows[0]["employment_status"] = "official"
    rows[5]["investment_current_source"] = ""  # 2015, a published figure, on Excel row 7
    problems = problems_of(write_rows(tmp_path / "a.csv", header, rows))
    found = {(p.row, p.column) for p in problems}
    assert found == {(2, "employment_status"), (7, "investment_current_source")}
    status = next(p for p in problems if p.column == "employment_status")
    assert status.value == "official" and "published" in status.expected


def test_percentage_in_a_fraction_column(tmp_path):
    header, rows = sample_rows()
    rows[13]["trained_labour_share"] = "86.46"
    (problem,) = problems_of(write_rows(tmp_path / "a.csv", header, rows))
    assert (problem.row, problem.column, problem.value) == (15, "trained_labour_share", "86.46")
    assert "percentage" in problem.message


def test_labour_share_outside_the_unit_interval(tmp_path):
    header, rows = sample_rows()
    rows[2]["labour_share_income"] = "1"
    (problem,) = problems_of(write_rows(tmp_path / "a.csv", header, rows))
    assert (problem.row, problem.column) == (4, "labour_share_income")


def test_non_positive_level(tmp_path):
    header, rows = sample_rows()
    rows[4]["investment_deflator"] = "0"
    (problem,) = problems_of(write_rows(tmp_path / "a.csv", header, rows))
    assert (problem.row, problem.column, problem.value) == (6, "investment_deflator", "0")


def test_empty_required_value_and_missing_status_mismatch(tmp_path):
    header, rows = sample_rows()
    rows[6]["employment"] = ""
    rows[7]["grdp_current"] = ""  # already empty; status says missing: fine
    rows[8]["grdp_current_status"] = "estimate"  # empty value but status estimate
    rows[9]["grdp_growth_status"] = "missing"  # a value with status missing
    problems = problems_of(write_rows(tmp_path / "a.csv", header, rows))
    found = {(p.row, p.column) for p in problems}
    assert found == {(8, "employment"), (10, "grdp_current_status"), (11, "grdp_growth_status")}


def test_gap_and_duplicate_years(tmp_path):
    header, rows = sample_rows()
    duplicate = dict(rows[2])
    rows = [*rows[:5], *rows[6:], duplicate]  # 2015 removed, 2012 twice
    problems = problems_of(write_rows(tmp_path / "a.csv", header, rows))
    messages = " | ".join(p.message for p in problems)
    assert "year 2015 is missing" in messages
    assert "2012 appears twice" in messages
    twice = next(p for p in problems if "twice" in p.message)
    assert twice.row == len(rows) + 1


def test_bad_year(tmp_path):
    header, rows = sample_rows()
    rows[0]["year"] = "2010.5"
    problems = problems_of(write_rows(tmp_path / "a.csv", header, rows))
    assert (problems[0].row, problems[0].column, problems[0].value) == (2, "year", "2010.5")


def test_growth_that_contradicts_the_levels(tmp_path):
    header, rows = sample_rows()
    rows[12]["grdp_growth"] = "0.1128"  # 2022: the levels say 10.28 %
    (problem,) = problems_of(write_rows(tmp_path / "a.csv", header, rows))
    assert (problem.row, problem.column) == (14, "grdp_growth")


def test_investment_at_constant_prices_may_replace_current_and_deflator(tmp_path, accounts):
    header, rows = sample_rows()
    new = ["investment_constant_2010", "investment_constant_2010_status"]
    new.append("investment_constant_2010_source")
    for row in rows:
        current, deflator = row.pop("investment_current"), row.pop("investment_deflator")
        for suffix in ("_status", "_source"):
            row.pop("investment_current" + suffix)
            row.pop("investment_deflator" + suffix)
        if current:  # a published year; the gaps stay empty and are filled by the rule
            cells = [f"{float(current) / float(deflator):.6f}", "derived", "current / deflator"]
        else:
            cells = ["", "missing", "not published"]
        row.update(dict(zip(new, cells, strict=True)))
    header = [h for h in header if not h.startswith(("investment_current", "investment_defl"))]
    loaded = load_province_accounts(write_rows(tmp_path / "a.csv", header + new, rows))
    a = period_aggregate(province_tfp(loaded), 2021, 2025)["tfp_share"]
    b = period_aggregate(province_tfp(accounts), 2021, 2025)["tfp_share"]
    assert a == pytest.approx(b, rel=1e-6)


def test_missing_investment_columns(tmp_path):
    header, rows = sample_rows()
    header = [h for h in header if not h.startswith("investment_deflator")]
    rows = [{k: v for k, v in r.items() if not k.startswith("investment_deflator")} for r in rows]
    (problem,) = problems_of(write_rows(tmp_path / "a.csv", header, rows))
    assert "investment" in problem.message


def test_excel_workbook_loads_and_problems_name_the_sheet(tmp_path):
    text = pd.read_csv(ACCOUNTS, dtype=str, keep_default_na=False)
    good = tmp_path / "accounts.xlsx"
    text.to_excel(good, sheet_name="accounts", index=False)
    loaded = load_province_accounts(good)
    assert loaded["employment"].tolist() == pytest.approx(
        load_province_accounts(ACCOUNTS)["employment"].tolist()
    )
    text.loc[0, "employment"] = "many"
    bad = tmp_path / "bad.xlsx"
    text.to_excel(bad, sheet_name="accounts", index=False)
    (problem,) = problems_of(bad)
    assert (problem.file, problem.sheet, problem.row) == ("bad.xlsx", "accounts", 2)


def test_quality_adjustment_needs_every_trained_share(accounts):
    holed = accounts.copy()
    holed.attrs = dict(accounts.attrs)
    holed.loc[holed["year"] == 2012, "trained_labour_share"] = np.nan
    with pytest.raises(InputError) as caught:
        province_tfp(holed, quality_adjust=True)
    (problem,) = caught.value.problems
    assert (problem.row, problem.column) == (4, "trained_labour_share")
    assert "2012" in problem.message


@pytest.mark.parametrize(
    "name",
    [
        "helpers.tfp.province_tfp",
        "helpers.inputs.province_accounts",
        "helpers.inputs.located_schema",
    ],
)
def test_docstring_examples_run(name):
    import doctest
    import importlib

    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0
    assert result.failed == 0


# --------------------------------------------------------------------------------------
# Messages from the catalogue, both languages
# --------------------------------------------------------------------------------------


def test_problems_are_told_in_vietnamese(tmp_path):
    header, rows = sample_rows()
    rows[13]["trained_labour_share"] = "86.46"  # 2023, Excel row 15
    with pytest.raises(InputError) as caught:
        load_province_accounts(write_rows(tmp_path / "a.csv", header, rows), lang="vi")
    (problem,) = caught.value.problems
    assert problem.message == problem_text("accounts_out_of_range_percentage", "vi")
    assert "phần trăm" in problem.message
    assert problem.expected == expected_text("accounts_fraction", "vi")


def test_growth_disagreement_quotes_the_implied_growth(tmp_path):
    header, rows = sample_rows()
    rows[12]["grdp_growth"] = "0.1128"  # 2022: the levels say 10.28 %
    (problem,) = problems_of(write_rows(tmp_path / "a.csv", header, rows))
    assert problem.message.startswith("year 2022: grdp_growth disagrees")
    # the sample's rounded levels give 10.2799 % (the published 10.28 % to rounding)
    assert problem.message.endswith("(10.2799%)") and problem.value == "0.1128"
    assert problem.expected == "within 0.0005 of 0.102799"


def test_published_figures_reversed_period_and_bad_number(tmp_path):
    text = pd.read_csv(FIGURES, dtype=str, keep_default_na=False)
    text.loc[0, "start_year"] = "2030"  # after its end year; data row 1 is Excel row 2
    text.loc[1, "value"] = "about 50"
    path = tmp_path / "published_figures.csv"
    text.to_csv(path, index=False)
    with pytest.raises(InputError) as caught:
        load_published_figures(path)
    found = [(p.row, p.column, p.value, p.message) for p in caught.value.problems]
    assert found == [
        (2, "end_year", text.loc[0, "end_year"], "the period starts after it ends"),
        (3, "value", "about 50", "not a number"),
    ]


def test_published_figures_missing_columns_only_name_the_header(tmp_path):
    text = pd.read_csv(FIGURES, dtype=str, keep_default_na=False)
    text = text.drop(columns=["qualifier", "source_url"])
    text.loc[0, "value"] = "x"  # not reported: the header is fixed first
    path = tmp_path / "published_figures.csv"
    text.to_csv(path, index=False)
    with pytest.raises(InputError) as caught:
        load_published_figures(path)
    found = [(p.row, p.column, p.message) for p in caught.value.problems]
    assert found == [
        (None, "qualifier", "the column is missing"),
        (None, "source_url", "the column is missing"),
    ]
