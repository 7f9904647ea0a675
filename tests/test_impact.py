"""Tests of helpers.tfp.support_effect: staggered DiD (pyfixest did2s) on simulated panels."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from helpers.errors import ArgumentError, InputError
from helpers.tfp.support_effect import (
    estimate_support_effect,
    prepare_event_panel,
    simulate_support_panel,
)

TRUE_EFFECT = 0.10


@pytest.fixture(scope="module")
def panel() -> pd.DataFrame:
    # One fixed draw. A 95 % interval misses the truth in about 1 draw in 15 (seeds 0 and 1
    # do); coverage itself is checked across draws in
    # test_estimator_is_centred_on_the_truth_across_draws.
    return simulate_support_panel(300, effect=TRUE_EFFECT, seed=2)


@pytest.fixture(scope="module")
def result(panel):
    return estimate_support_effect(panel)


def test_simulated_panel_has_staggered_cohorts_and_never_supported(panel):
    cohorts = panel.groupby("enterprise_id")["first_support_year"].first()
    assert set(cohorts.dropna().unique()) == {2019.0, 2020.0, 2021.0, 2022.0}
    assert 0.3 < cohorts.isna().mean() < 0.5
    assert len(panel) == 300 * 9


def test_att_confidence_interval_covers_the_true_effect(result):
    att = result.att.iloc[0]
    assert att["ci_lower"] < TRUE_EFFECT < att["ci_upper"]
    assert att["estimate"] == pytest.approx(TRUE_EFFECT, abs=0.015)
    assert att["std_error"] > 0
    assert list(result.att.columns) == [
        "estimate",
        "std_error",
        "ci_lower",
        "ci_upper",
        "p_value",
        "n_obs",
        "n_enterprises",
    ]
    assert result.estimator.startswith("did2s")


def test_estimator_is_centred_on_the_truth_across_draws():
    # Eight independent panels: the estimates average to the truth and the 95 % intervals
    # cover it in (almost) all of them (a Monte Carlo of 150 draws gave 0.0999 and 93 %).
    estimates, covered = [], []
    for seed in range(1, 9):
        att = estimate_support_effect(simulate_support_panel(300, seed=seed)).att.iloc[0]
        estimates.append(att["estimate"])
        covered.append(att["ci_lower"] < TRUE_EFFECT < att["ci_upper"])
    assert np.mean(estimates) == pytest.approx(TRUE_EFFECT, abs=0.005)
    assert sum(covered) >= 6


def test_pre_support_coefficients_are_near_zero(result):
    study = result.event_study.set_index("event_time")
    leads = study.loc[[-3, -2]]
    assert (leads["estimate"].abs() < 0.02).all()
    assert ((leads["ci_lower"] < 0) & (leads["ci_upper"] > 0)).all()
    lags = study.loc[[0, 1, 2, 3]]
    np.testing.assert_allclose(lags["estimate"], TRUE_EFFECT, atol=0.02)


def test_event_study_frame_has_the_reference_period(result):
    study = result.event_study
    assert study["event_time"].tolist() == [-3, -2, -1, 0, 1, 2, 3]
    reference = study[study["reference"]]
    assert reference["event_time"].tolist() == [-1]
    assert reference["estimate"].tolist() == [0.0]
    assert reference["ci_lower"].isna().all()
    # lag 3 bins every later year: more observations than enterprises
    lag3 = study.set_index("event_time").loc[3]
    assert lag3["n_obs"] > lag3["n_enterprises"]


def test_dynamic_effects_are_recovered_by_event_time():
    panel = simulate_support_panel(300, effect=0.10, effect_growth=0.05, seed=11)
    study = estimate_support_effect(panel, leads=2, lags=2).event_study.set_index("event_time")
    np.testing.assert_allclose(study.loc[[0, 1], "estimate"], [0.10, 0.15], atol=0.02)
    # lag 2 averages k = 2..5 over the cohorts observed there, so it is above 0.20
    assert study.loc[2, "estimate"] > 0.19
    assert abs(study.loc[-2, "estimate"]) < 0.02


def test_narrower_intervals_at_lower_confidence(panel, result):
    wide = result.att.iloc[0]
    narrow = estimate_support_effect(panel, alpha=0.10).att.iloc[0]
    assert narrow["estimate"] == pytest.approx(wide["estimate"])
    assert narrow["ci_upper"] - narrow["ci_lower"] < wide["ci_upper"] - wide["ci_lower"]


def test_enterprises_supported_before_the_panel_are_dropped_and_counted(panel):
    changed = panel.copy()
    early = changed["enterprise_id"].isin([0, 1, 2])
    changed.loc[early, "first_support_year"] = 2010.0
    frame, dropped = prepare_event_panel(changed)
    assert dropped == 3
    assert not frame["unit"].isin([0, 1, 2]).any()
    assert estimate_support_effect(changed).n_dropped_always_supported == 3


def test_custom_column_names_are_accepted(panel):
    renamed = panel.rename(
        columns={"enterprise_id": "mst", "year": "nam", "first_support_year": "nam_ho_tro"}
    )
    result = estimate_support_effect(
        renamed, id_column="mst", year_column="nam", first_support="nam_ho_tro"
    )
    assert result.n_supported + result.n_never_supported == 300


def test_bad_panels_are_input_errors(panel):
    with pytest.raises(InputError, match="enterprise appears twice in the same year"):
        estimate_support_effect(pd.concat([panel, panel.head(1)], ignore_index=True))
    varying = panel.copy()
    first_row = varying.index[varying["first_support_year"].notna()][0]
    varying.loc[first_row, "first_support_year"] += 1
    with pytest.raises(InputError, match="first support year differs"):
        estimate_support_effect(varying)
    with pytest.raises(InputError, match="column is missing"):
        estimate_support_effect(panel.drop(columns="log_tfp"))
    never = panel.assign(first_support_year=np.nan)
    with pytest.raises(InputError, match="no supported enterprise-year"):
        estimate_support_effect(never)


def test_years_without_comparison_enterprises_are_refused():
    # Everyone is supported from 2020: nobody is left to compare with in 2020-2024.
    panel = simulate_support_panel(50, cohorts=[2020], never_share=0.0, seed=2)
    with pytest.raises(InputError, match="no never- or not-yet-supported enterprise"):
        estimate_support_effect(panel)


def test_enterprise_with_a_single_untreated_year_is_left_out_not_a_crash(panel):
    changed = panel.copy()
    supported = changed.loc[changed["first_support_year"].notna(), "enterprise_id"].unique()[:2]
    for enterprise in supported:
        rows = changed["enterprise_id"] == enterprise
        first_year = changed.loc[rows, "year"].min()
        changed.loc[rows, "first_support_year"] = float(first_year + 1)  # one year before
    frame, _ = prepare_event_panel(changed)
    assert frame.attrs["single_untreated_dropped"] == 2
    assert not frame["unit"].isin(supported).any()
    result = estimate_support_effect(changed)
    assert result.att["ci_lower"].iloc[0] < 0.10 < result.att["ci_upper"].iloc[0]


def test_overall_effect_equals_a_separate_pooled_did2s(panel, result):
    from helpers.tfp.support_effect import _did2s

    frame, _ = prepare_event_panel(panel)
    pooled = _did2s(frame, ["supported"])
    att = result.att.iloc[0]
    assert att["estimate"] == pytest.approx(float(pooled.coef.iloc[0]), abs=1e-10)
    pooled_se = float(pooled.tidy(0.05)["std_error"].iloc[0])
    assert att["std_error"] == pytest.approx(pooled_se, rel=0.01)


def test_two_stage_matches_pyfixest_did2s_coefficients_and_covariance():
    """Our sparse GMM covariance is pyfixest.did2s's formula: same numbers on a small panel."""
    import pyfixest as pf

    from helpers.tfp import support_effect

    panel = support_effect.simulate_support_panel(n_enterprises=120, effect=0.1, seed=4)
    frame, _ = support_effect.prepare_event_panel(
        panel,
        id_column="enterprise_id",
        year_column="year",
        outcome="log_tfp",
        first_support="first_support_year",
        leads=2,
        lags=2,
    )
    terms = [
        support_effect._event_label(k)
        for k in (-2, 0, 1, 2)
        if frame[support_effect._event_label(k)].sum()
    ]
    ours = support_effect._did2s(frame, terms)
    reference = pf.did2s(
        frame.assign(unit=pd.factorize(frame["unit"], sort=True)[0]),
        yname="y",
        first_stage="~ 0 | unit + period",
        second_stage="~ " + " + ".join(terms),
        treatment="supported",
        cluster="unit",
    )
    names = list(reference.coef().index)
    # pyfixest 0.60 has no public accessor of the full covariance matrix (``vcov()`` recomputes
    # the model's covariance for a new type and returns the model), and the off-diagonal terms
    # are what the pooled effect's standard error uses: read ``_vcov`` here, in the test only.
    expected = pd.DataFrame(reference._vcov, index=names, columns=names).loc[terms, terms]
    assert ours.coef.to_numpy() == pytest.approx(reference.coef()[terms].to_numpy(), abs=1e-12)
    assert ours.vcov.to_numpy() == pytest.approx(expected.to_numpy(), rel=1e-9, abs=1e-15)
    assert ours.n_clusters == frame["unit"].nunique()
    # clustered inference: t with clusters - 1 degrees of freedom; public accessors by name
    tidy = ours.tidy(0.05)
    assert tidy["std_error"].to_numpy() == pytest.approx(reference.se()[terms].to_numpy(), rel=1e-9)
    assert tidy["std_error"].to_numpy() == pytest.approx(
        reference.tidy().loc[terms, "Std. Error"].to_numpy(), rel=1e-9
    )
    # (intervals differ by design: ours use t with clusters - 1 degrees of freedom)


@pytest.mark.parametrize(
    ("options", "named"),
    [
        ({"leads": 0}, "leads must be a whole number of at least 1, got 0"),
        ({"lags": 1.5}, "lags must be a whole number >= 0, got 1.5"),
        ({"alpha": 5}, "alpha must be a probability between 0 and 1 (0.05), got 5"),
        ({"alpha": 0.0}, "alpha must be a probability between 0 and 1 (0.05), got 0.0"),
        ({"outcome": ["log_tfp"]}, "outcome must be a column name (text), got ['log_tfp']"),
    ],
)
def test_arguments_of_the_wrong_kind_are_named_with_their_value(panel, options, named):
    # lags=1.5 made range() fail with a TypeError; alpha=5 gave NaN intervals silently.
    with pytest.raises(ArgumentError, match=re.escape(named)) as error:
        estimate_support_effect(panel, **options)
    assert error.value.exit_code == 2
