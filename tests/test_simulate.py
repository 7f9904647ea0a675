"""Tests of the firm-panel simulator (ACF 2015 DGP1) against its own design."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from helpers.samples.simulate import PanelDesign, simulate_panel


@pytest.fixture(scope="module")
def panel() -> pd.DataFrame:
    return simulate_panel(2000, n_periods=10, seed=11)


def test_tidy_frame_with_one_row_per_firm_and_year(panel: pd.DataFrame) -> None:
    assert list(panel.columns) == ["id", "year", "y", "l", "k", "m", "i", "omega"]
    assert len(panel) == 2000 * 10
    assert panel.groupby("id").size().eq(10).all()
    assert panel["year"].min() == 1 and panel["year"].max() == 10
    assert not panel.duplicated(["id", "year"]).any()
    assert np.isfinite(panel.drop(columns=["id", "year"]).to_numpy()).all()


def test_same_seed_same_panel_and_other_seed_other_panel() -> None:
    first = simulate_panel(50, n_periods=4, seed=5)
    pd.testing.assert_frame_equal(first, simulate_panel(50, n_periods=4, seed=5))
    assert not np.allclose(first["y"], simulate_panel(50, n_periods=4, seed=6)["y"])


def test_output_is_the_cobb_douglas_with_known_coefficients(panel: pd.DataFrame) -> None:
    # y = 0.6 l + 0.4 k + omega + eps, with eps ~ N(0, 0.1^2): the residual is eps.
    eps = panel["y"] - 0.6 * panel["l"] - 0.4 * panel["k"] - panel["omega"]
    assert abs(eps.mean()) < 0.005
    assert eps.std() == pytest.approx(0.1, rel=0.03)


def test_materials_are_leontief_in_output_without_the_shock(panel: pd.DataFrame) -> None:
    # DGP1 has no labour optimisation error and no measurement error in materials.
    leontief = 0.6 * panel["l"] + 0.4 * panel["k"] + panel["omega"]
    np.testing.assert_allclose(panel["m"], leontief, atol=1e-10)


def test_productivity_is_stationary_ar1_with_rho_07_and_sd_03(panel: pd.DataFrame) -> None:
    omega = panel.pivot(index="id", columns="year", values="omega").to_numpy()
    assert omega.std() == pytest.approx(0.3, rel=0.05)
    persistence = np.corrcoef(omega[:, 1:].ravel(), omega[:, :-1].ravel())[0, 1]
    assert persistence == pytest.approx(0.7, abs=0.02)


def test_capital_accumulates_from_lagged_investment_with_20_percent_depreciation(
    panel: pd.DataFrame,
) -> None:
    capital = np.exp(panel.pivot(index="id", columns="year", values="k").to_numpy())
    investment = np.exp(panel.pivot(index="id", columns="year", values="i").to_numpy())
    np.testing.assert_allclose(
        capital[:, 1:], 0.8 * capital[:, :-1] + investment[:, :-1], rtol=1e-10
    )


def test_investment_rises_with_productivity(panel: pd.DataFrame) -> None:
    # The dynamic investment choice is increasing in omega (persistent productivity).
    columns = panel[["i", "omega"]]
    within = columns - columns.groupby(panel["id"]).transform("mean")
    assert np.corrcoef(within["i"], within["omega"])[0, 1] > 0.5


def test_labour_is_not_a_function_of_capital_and_materials(panel: pd.DataFrame) -> None:
    # Labour is chosen at t-b with omega(t-b) and the wage: regressing it on a quadratic in
    # (k, m) must leave variation (the point of DGP1: LP's first stage is not degenerate
    # for that reason, but because y = m + eps).
    k, m = panel["k"].to_numpy(), panel["m"].to_numpy()
    design = np.column_stack([np.ones_like(k), k, m, k * k, k * m, m * m])
    labour = panel["l"].to_numpy()
    residual = labour - design @ np.linalg.lstsq(design, labour, rcond=None)[0]
    assert residual.std() > 0.05


def test_options_change_the_design() -> None:
    panel = simulate_panel(300, n_periods=3, burn_in=20, first_year=2015, seed=1, alpha_l=0.5)
    assert panel["year"].tolist()[:3] == [2015, 2016, 2017]
    eps = panel["y"] - 0.5 * panel["l"] - 0.4 * panel["k"] - panel["omega"]
    assert eps.std() == pytest.approx(0.1, rel=0.1)
    noisy = simulate_panel(300, n_periods=5, seed=1, materials_error=0.5)
    leontief = 0.6 * noisy["l"] + 0.4 * noisy["k"] + noisy["omega"]
    assert (noisy["m"] - leontief).std() > 0.05


def test_many_firms_are_simulated_in_chunks() -> None:
    panel = simulate_panel(12_345, n_periods=2, burn_in=5, seed=3)
    assert panel["id"].nunique() == 12_345
    assert panel["id"].is_monotonic_increasing


def test_bad_parameters_are_refused() -> None:
    with pytest.raises(ValueError, match="alpha_l"):
        simulate_panel(10, alpha_l=1.2)
    with pytest.raises(ValueError, match="unknown design"):
        simulate_panel(10, beta=0.3)
    with pytest.raises(ValueError, match="at least 1"):
        simulate_panel(0)
    with pytest.raises(ValueError, match="negative"):
        PanelDesign(sigma_eps=-1).check()


def test_acf_designs_dgp2_and_dgp3_put_the_optimisation_error_in_labour() -> None:
    from helpers.samples.simulate import acf_design

    # Labour's optimisation error (s.d. 0.37) separates labour from its plan; materials follow
    # the plan (Leontief), so m - 0.4 k - omega = 0.6 * planned labour, and
    # l - planned labour has s.d. 0.37 in DGP2 and DGP3, 0 in DGP1.
    for name, error in [("dgp1", 0.0), ("dgp2", 0.37), ("dgp3", 0.37)]:
        panel = simulate_panel(2000, n_periods=3, seed=5, design=acf_design(name))
        planned = (panel.m - 0.4 * panel.k - panel.omega) / 0.6
        assert np.std(panel.l - planned) == pytest.approx(error, abs=0.01)
    # Measurement error in materials: its variance is the given share of the within-firm
    # variance of log materials (same seed, so the same true materials).
    clean = simulate_panel(2000, n_periods=5, seed=6, design=acf_design("dgp3"))
    noisy = simulate_panel(2000, n_periods=5, seed=6, design=acf_design("dgp3", 0.5))
    within = clean.m - clean.groupby("id").m.transform("mean")
    assert np.var(noisy.m - clean.m) / np.var(within) == pytest.approx(0.5, rel=0.05)
    with pytest.raises(ValueError, match="unknown ACF design"):
        acf_design("dgp4")
