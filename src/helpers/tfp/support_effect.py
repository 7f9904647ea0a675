"""Effect of the programme's support on enterprise TFP: staggered difference-in-differences.

Enterprises enter the support register in different years. A two-way fixed-effects
regression of log TFP on a "supported" dummy is biased in that design when effects
change over time or differ between cohorts (already-supported enterprises serve as
controls). This module uses instead the two-stage estimator of Gardner (2022) as
implemented by pyfixest (``pyfixest.did2s``), which gives the same point estimates as the
imputation estimator of Borusyak, Jaravel and Spiess (2024):

1. enterprise and year fixed effects are estimated on the observations not (yet)
   supported only - never-supported enterprises and supported ones before their first
   support year;
2. the outcome net of those effects is regressed, on all observations, on event-time
   dummies (event study) or on the "supported" indicator (overall ATT).

Both stages are pyfixest regressions (``feols``). The standard errors are the GMM-corrected
ones of the two-step procedure (Gardner 2022; Butts and Gardner 2022), clustered by enterprise:
the same formula as ``pyfixest.did2s``, computed with sparse matrices and sums by enterprise
(:func:`two_stage_vcov`) instead of a loop over enterprises with a dense matrix of fixed-effect
dummies, which took most of a report's build time and a gigabyte of memory on 2,000
enterprises. A test checks that coefficients and covariance equal ``pyfixest.did2s``'s.

Conventions
-----------
* Event time ``k = year - first_support_year``; ``k = 0`` is the first support year.
* Leads ``-leads .. -2`` and lags ``0 .. lags`` get their own coefficient; later years
  are binned into the last lag (``k >= lags``). Event time -1 (with the years before
  ``-leads``) is the reference; it is shown with estimate 0 and no interval. In the
  two-stage estimator a lead is the mean residual of supported enterprises k years before
  support, relative to the untreated model; the leads are a placebo check:
  they should be close to zero when supported and not-yet-supported enterprises were on
  parallel paths.
* The overall ATT averages the effect over all supported enterprise-years (each
  observation weighs the same), not only those inside the event window.
* Enterprises supported before they appear in the panel have no unsupported year, so
  their fixed effect cannot be estimated: they are left out and counted.
* Coefficients are in log points: ``exp(estimate) - 1`` is the proportional change in TFP.

Examples
--------
>>> panel = simulate_support_panel(n_enterprises=200, effect=0.10, seed=1)
>>> result = estimate_support_effect(panel)
>>> bool(result.att["ci_lower"].iloc[0] < 0.10 < result.att["ci_upper"].iloc[0])
True

"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from helpers.errors import ArgumentError, InputError, InputProblem, flagged_row_problems

if TYPE_CHECKING:
    from scipy import sparse

# pyfixest and scipy are imported where they are used: a report whose event study comes from
# the results cache never loads them (seconds of a rebuild's start).

ESTIMATOR = "did2s (Gardner 2022, pyfixest)"
_RESULT_COLUMNS = ["estimate", "std_error", "ci_lower", "ci_upper", "p_value"]


@dataclass(frozen=True)
class SupportEffect:
    """Estimated effect of support on log TFP.

    Attributes
    ----------
    event_study : DataFrame
        One row per event time: ``event_time``, ``estimate``, ``std_error``,
        ``ci_lower``, ``ci_upper``, ``p_value``, ``n_obs``, ``n_enterprises`` and
        ``reference`` (True for the normalised period -1).
    att : DataFrame
        One row: ``estimate``, ``std_error``, ``ci_lower``, ``ci_upper``, ``p_value``,
        ``n_obs`` (supported enterprise-years) and ``n_enterprises``.
    n_supported : int
        Supported enterprises used.
    n_never_supported : int
        Enterprises never supported in the panel (plus not-yet-supported ones, which also
        serve as controls before their support year).
    n_dropped_always_supported : int
        Enterprises left out because they were supported in every year they appear.
    alpha : float
        Confidence intervals have level ``1 - alpha``.
    estimator : str
        Name of the estimator.

    """

    event_study: pd.DataFrame
    att: pd.DataFrame
    n_supported: int
    n_never_supported: int
    n_dropped_always_supported: int
    alpha: float
    estimator: str = ESTIMATOR


# ----------------------------------------------------------------------------------------
# Simulation
# ----------------------------------------------------------------------------------------


def simulate_support_panel(
    n_enterprises: int = 300,
    *,
    years: Sequence[int] = tuple(range(2016, 2025)),
    cohorts: Sequence[int] = (2019, 2020, 2021, 2022),
    never_share: float = 0.4,
    effect: float = 0.10,
    effect_growth: float = 0.0,
    trend: float = 0.02,
    noise: float = 0.05,
    seed: int = 0,
) -> pd.DataFrame:
    """Simulate a panel of log TFP with staggered support and a known constant effect.

    log TFP = enterprise effect (sd 0.5) + common year effect (trend + shock, sd 0.02)
    + ``effect + effect_growth * k`` in the k-th year after the first support year
    (k = 0, 1, ...) + noise (sd ``noise``).

    Parameters
    ----------
    n_enterprises : int
        Number of enterprises (all observed every year).
    years : sequence of int
        Years of the panel.
    cohorts : sequence of int
        Possible first support years, drawn with equal probability.
    never_share : float
        Probability that an enterprise is never supported.
    effect : float
        True effect of support on log TFP in the first support year (log points).
    effect_growth : float
        Increase of the effect with each further year since the first support year.
    trend : float
        Common yearly TFP growth.
    noise : float
        Standard deviation of the idiosyncratic noise.
    seed : int
        Seed of the random generator.

    Returns
    -------
    DataFrame
        ``enterprise_id``, ``year``, ``log_tfp``, ``first_support_year`` (NaN when never
        supported), ``supported`` (bool).

    Examples
    --------
    >>> panel = simulate_support_panel(10, years=[2020, 2021], cohorts=[2021], seed=0)
    >>> list(panel.columns)
    ['enterprise_id', 'year', 'log_tfp', 'first_support_year', 'supported']
    >>> len(panel)
    20

    """
    rng = np.random.default_rng(seed)
    year_grid = np.asarray(years, dtype=int)
    never = rng.random(n_enterprises) < never_share
    first_support = rng.choice(np.asarray(cohorts, dtype=float), size=n_enterprises)
    first_support[never] = np.nan
    enterprise_effect = rng.normal(0.0, 0.5, n_enterprises)
    year_effect = trend * (year_grid - year_grid[0]) + rng.normal(0.0, 0.02, year_grid.size)

    enterprise = np.repeat(np.arange(n_enterprises), year_grid.size)
    year = np.tile(year_grid, n_enterprises)
    first = first_support[enterprise]
    supported = ~np.isnan(first) & (year >= np.nan_to_num(first, nan=np.inf))
    log_tfp = (
        enterprise_effect[enterprise]
        + np.tile(year_effect, n_enterprises)
        + np.where(supported, effect + effect_growth * (year - np.nan_to_num(first)), 0.0)
        + rng.normal(0.0, noise, enterprise.size)
    )
    return pd.DataFrame(
        {
            "enterprise_id": enterprise,
            "year": year,
            "log_tfp": log_tfp,
            "first_support_year": first,
            "supported": supported,
        }
    )


# ----------------------------------------------------------------------------------------
# Preparation
# ----------------------------------------------------------------------------------------


def _check_panel(
    panel: pd.DataFrame, id_column: str, year_column: str, outcome: str, first_support: str
) -> None:
    source = "support panel"
    columns = [id_column, year_column, outcome, first_support]
    problems = [
        InputProblem(source, "column is missing", column=column)
        for column in columns
        if column not in panel.columns
    ]
    if problems:
        raise InputError(problems)
    for column in (year_column, outcome, first_support):
        if not pd.api.types.is_numeric_dtype(panel[column]):
            problems.append(InputProblem(source, "column is not numeric", column=column))
    for column in (id_column, year_column, outcome):
        missing = panel[column].isna().to_numpy()
        problems += flagged_row_problems(missing, source, column, "missing value")
    for column in (year_column, first_support):
        if pd.api.types.is_numeric_dtype(panel[column]):
            values = panel[column]
            fractional = (values.notna() & (values != values.round())).to_numpy()
            problems += flagged_row_problems(fractional, source, column, "not a whole year", values)
    duplicated = panel.duplicated([id_column, year_column], keep="first").to_numpy()
    message = "enterprise appears twice in the same year"
    problems += flagged_row_problems(duplicated, source, year_column, message, panel[year_column])
    if not problems:
        varying = panel.groupby(id_column)[first_support].nunique(dropna=False) > 1
        for enterprise in varying[varying].index[:20]:
            problems.append(
                InputProblem(
                    source,
                    "first support year differs between the rows of one enterprise",
                    column=first_support,
                    value=str(enterprise),
                )
            )
    if problems:
        raise InputError(problems)


def _is_whole(value: object) -> bool:
    return isinstance(value, int | np.integer) and not isinstance(value, bool)


def _check_window(leads: object, lags: object) -> None:
    """Raise :class:`ArgumentError` unless ``leads >= 1`` and ``lags >= 0`` are whole numbers."""
    if not _is_whole(leads) or leads < 1:  # type: ignore[operator]
        raise ArgumentError(f"leads must be a whole number of at least 1, got {leads!r}")
    if not _is_whole(lags) or lags < 0:  # type: ignore[operator]
        raise ArgumentError(f"lags must be a whole number >= 0, got {lags!r}")


def _check_column_names(**columns: object) -> None:
    """Raise :class:`ArgumentError` naming an argument that is not a column name (text)."""
    for name, value in columns.items():
        if not isinstance(value, str) or not value.strip():
            raise ArgumentError(f"{name} must be a column name (text), got {value!r}")


def _event_label(event_time: int) -> str:
    return f"event_m{-event_time}" if event_time < 0 else f"event_p{event_time}"


def prepare_event_panel(
    panel: pd.DataFrame,
    *,
    id_column: str = "enterprise_id",
    year_column: str = "year",
    outcome: str = "log_tfp",
    first_support: str = "first_support_year",
    leads: int = 3,
    lags: int = 3,
) -> tuple[pd.DataFrame, int]:
    """Return the estimation frame and the number of always-supported enterprises dropped.

    The frame has ``unit``, ``period``, ``y``, ``cohort`` (0 when never supported),
    ``supported`` (bool), ``event_time`` (NaN when never supported; binned at ``lags``)
    and one 0/1 column per event time in the window except -1 (``event_m3``,
    ``event_p0`` ...).

    Parameters
    ----------
    panel : DataFrame
        One row per enterprise and year.
    id_column, year_column, outcome, first_support : str
        Column names (``first_support`` is NaN for enterprises not supported).
    leads, lags : int
        Event window: leads ``-leads .. -2`` and lags ``0 .. lags`` (later years binned).

    Returns
    -------
    tuple of (DataFrame, int)
        ``attrs["single_untreated_dropped"]`` counts the enterprises left out because they have
        a single year without support (a first-stage singleton).

    """
    _check_window(leads, lags)
    _check_column_names(
        id_column=id_column, year_column=year_column, outcome=outcome, first_support=first_support
    )
    _check_panel(panel, id_column, year_column, outcome, first_support)
    frame = pd.DataFrame(
        {
            "unit": panel[id_column].to_numpy(),
            "period": panel[year_column].to_numpy(dtype=int),
            "y": panel[outcome].to_numpy(dtype=float),
            "cohort": panel[first_support].fillna(0).to_numpy(dtype=int),
        }
    )
    frame["supported"] = (frame["cohort"] > 0) & (frame["period"] >= frame["cohort"])
    always = frame.groupby("unit")["supported"].transform("all")
    n_dropped = int(frame.loc[always, "unit"].nunique())
    frame = frame[~always].reset_index(drop=True)
    # An enterprise with a single untreated year is a singleton in the first stage: pyfixest
    # drops it there and its variance step then fails on vectors of different lengths. Its
    # level cannot be compared with a later year anyway, so it is left out and counted.
    untreated_years = (~frame["supported"]).groupby(frame["unit"]).transform("sum")
    single = untreated_years == 1
    n_single = int(frame.loc[single, "unit"].nunique())
    frame = frame[~single].reset_index(drop=True)
    event_time = (frame["period"] - frame["cohort"]).where(frame["cohort"] > 0)
    frame["event_time"] = event_time.clip(upper=lags)
    for k in [*range(-leads, -1), *range(0, lags + 1)]:
        frame[_event_label(k)] = (frame["event_time"] == k).astype(float)
    frame.attrs["single_untreated_dropped"] = n_single
    return frame, n_dropped


# ----------------------------------------------------------------------------------------
# Estimation
# ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TwoStageFit:
    """Coefficients and clustered GMM covariance of a two-stage DiD (second-stage terms)."""

    coef: pd.Series
    vcov: pd.DataFrame
    n_clusters: int

    @property
    def df(self) -> int:
        """Degrees of freedom of the t distribution for clustered inference (clusters - 1)."""
        return self.n_clusters - 1

    def tidy(self, alpha: float) -> pd.DataFrame:
        """Estimate, standard error, ``1 - alpha`` interval and p-value of every term."""
        from scipy import stats

        std_error = np.sqrt(np.diag(self.vcov.to_numpy()))
        critical = stats.t.ppf(1 - alpha / 2, self.df)
        estimate = self.coef.to_numpy()
        return pd.DataFrame(
            {
                "estimate": estimate,
                "std_error": std_error,
                "ci_lower": estimate - critical * std_error,
                "ci_upper": estimate + critical * std_error,
                "p_value": 2 * stats.t.sf(np.abs(estimate / std_error), self.df),
            },
            index=self.coef.index,
        )


def _indicators(codes: np.ndarray, width: int) -> sparse.csr_matrix:
    """Sparse 0/1 matrix with one column per code (``codes`` are 0 .. width - 1)."""
    from scipy import sparse

    rows = np.arange(len(codes))
    return sparse.csr_matrix((np.ones(len(codes)), (rows, codes)), shape=(len(codes), width))


def two_stage_vcov(
    regressors: np.ndarray,
    units: np.ndarray,
    periods: np.ndarray,
    untreated: np.ndarray,
    first_residuals: np.ndarray,
    second_residuals: np.ndarray,
) -> np.ndarray:
    """GMM covariance of the second-stage coefficients of a two-stage DiD, clustered by unit.

    With X1 the unit and period dummies (full rank), X10 its rows of untreated observations
    (zero elsewhere), X2 the second-stage regressors, u1 and u2 the residuals of the two
    stages: V = X2'X1 (X10'X10)^-1, W_g = X2_g'u2_g - V X10_g'u1_g for each unit g, and the
    covariance is sum_g (X2'X2)^-1 W_g W_g' (X2'X2)^-1. The sums over each unit's rows are
    done for all units at once with a sparse indicator matrix.

    Parameters
    ----------
    regressors : ndarray, shape (n, k)
        Second-stage regressors (no intercept).
    units, periods : ndarray of int, shape (n,)
        Codes 0 .. U - 1 and 0 .. T - 1; units are also the clusters.
    untreated : ndarray of bool, shape (n,)
        Observations of the first stage.
    first_residuals, second_residuals : ndarray, shape (n,)
        Outcome minus the first stage's fixed effects; residuals of the second stage.

    """
    from scipy import sparse
    from scipy.sparse import linalg as sparse_linalg

    n_units, n_periods = int(units.max()) + 1, int(periods.max()) + 1
    unit_dummies = _indicators(units, n_units)
    dummies = sparse.hstack([unit_dummies, _indicators(periods, n_periods)[:, 1:]], format="csr")
    untreated_dummies = sparse.diags(untreated.astype(float)) @ dummies
    cross = (dummies.T @ regressors).T  # X2'X1, k x p
    projection = (
        sparse_linalg.spsolve((untreated_dummies.T @ untreated_dummies).tocsc(), cross.T)
        .reshape(dummies.shape[1], -1)
        .T
    )
    scores_second = unit_dummies.T @ (regressors * second_residuals[:, None])  # U x k
    scores_first = unit_dummies.T @ untreated_dummies.multiply(first_residuals[:, None])
    moments = scores_second - np.asarray(scores_first @ projection.T)
    bread = np.linalg.inv(regressors.T @ regressors)
    scores = moments @ bread
    return scores.T @ scores


def _did2s(frame: pd.DataFrame, regressors: list[str]) -> TwoStageFit:
    """Gardner's two-stage DiD with pyfixest regressions, clustered by enterprise."""
    import pyfixest as pf

    with warnings.catch_warnings():
        # pyfixest 0.60 still calls pandas methods with inplace=True (deprecated in pandas 3)
        warnings.filterwarnings("ignore", "The inplace keyword", DeprecationWarning)
        units = pd.factorize(frame["unit"], sort=True)[0]
        periods = pd.factorize(frame["period"], sort=True)[0]
        data = frame.assign(unit=units, period=periods)
        untreated = ~data["supported"].to_numpy(bool)
        first = pf.feols("y ~ 1 | unit + period", data=data.loc[untreated], vcov="iid")
        first.fixef()
        first_residuals = data["y"].to_numpy(float) - np.asarray(
            first.predict(newdata=data), dtype=float
        )
        second = pf.feols(
            "y_two_stage ~ " + " + ".join(regressors),
            data=data.assign(y_two_stage=first_residuals),
            vcov="iid",
            drop_intercept=True,
        )
    # pyfixest's public API by name: coef(), resid(), predict(). The covariance is our own
    # (two_stage_vcov): the second stage's feols covariance ignores the first stage, and
    # pyfixest 0.60 has no public accessor of did2s's full covariance matrix (only se()).
    coef = second.coef()[regressors]
    design = data[regressors].to_numpy(float)
    second_residuals = np.asarray(second.resid(), dtype=float)
    vcov = two_stage_vcov(design, units, periods, untreated, first_residuals, second_residuals)
    return TwoStageFit(
        coef=coef,
        vcov=pd.DataFrame(vcov, index=regressors, columns=regressors),
        n_clusters=int(units.max()) + 1,
    )


def _check_comparisons(frame: pd.DataFrame, first_support: str) -> None:
    problems = []
    if not frame["supported"].any():
        problems.append("no supported enterprise-year in the panel")
    untreated_years = set(frame.loc[~frame["supported"], "period"])
    missing = sorted(set(frame.loc[frame["supported"], "period"]) - untreated_years)
    if missing:
        problems.append(
            "no never- or not-yet-supported enterprise to compare with in "
            + ", ".join(map(str, missing))
        )
    if problems:
        raise InputError(
            [
                InputProblem("support panel", message, column="first_support_year")
                for message in problems
            ]
        )


def _event_study(
    frame: pd.DataFrame, alpha: float, leads: int, lags: int
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Event-time coefficients, and the overall effect derived from the same fit.

    In did2s's second stage the event dummies are exclusive and there is no intercept, so each
    post-support coefficient is the mean residual of its event-time cell and the pooled effect
    (one ``supported`` dummy) is exactly their average weighted by cell sizes. Deriving it from
    the event study's coefficients and covariance saves a second estimation; its standard error
    differs from a separate pooled regression only by the small-sample factor of the number of
    regressors (about 0.1 % here).
    """
    window = [k for k in [*range(-leads, -1), *range(0, lags + 1)]]
    present = [k for k in window if frame[_event_label(k)].sum() > 0]
    fit = _did2s(frame, [_event_label(k) for k in present])
    estimates = fit.tidy(alpha)
    rows = []
    for k in sorted([*present, -1]):
        in_period = frame["event_time"] == k
        counts = {
            "n_obs": int(in_period.sum()),
            "n_enterprises": int(frame.loc[in_period, "unit"].nunique()),
        }
        if k == -1:
            values = dict.fromkeys(_RESULT_COLUMNS, np.nan) | {"estimate": 0.0}
            rows.append({"event_time": k, **values, **counts, "reference": True})
        else:
            values = estimates.loc[_event_label(k)].to_dict()
            rows.append({"event_time": k, **values, **counts, "reference": False})
    return pd.DataFrame(rows), _overall_att(frame, fit, [k for k in present if k >= 0], alpha)


def _overall_att(
    frame: pd.DataFrame, fit: TwoStageFit, post: list[int], alpha: float
) -> pd.DataFrame:
    """The pooled effect as the cell-size weighted mean of the post-support coefficients."""
    from scipy import stats

    names = [_event_label(k) for k in post]
    sizes = np.array([(frame["event_time"] == k).sum() for k in post], dtype=float)
    weights = sizes / sizes.sum()
    coefficients = fit.coef[names].to_numpy()
    covariance = fit.vcov.loc[names, names].to_numpy()
    estimate = float(weights @ coefficients)
    std_error = float(np.sqrt(weights @ covariance @ weights))
    critical = stats.t.ppf(1 - alpha / 2, fit.df)
    p_value = float(2 * stats.t.sf(abs(estimate / std_error), fit.df))
    return pd.DataFrame(
        {
            "estimate": [estimate],
            "std_error": [std_error],
            "ci_lower": [estimate - critical * std_error],
            "ci_upper": [estimate + critical * std_error],
            "p_value": [p_value],
            "n_obs": [int(frame["supported"].sum())],
            "n_enterprises": [int(frame.loc[frame["supported"], "unit"].nunique())],
        }
    )


def estimate_support_effect(
    panel: pd.DataFrame,
    *,
    id_column: str = "enterprise_id",
    year_column: str = "year",
    outcome: str = "log_tfp",
    first_support: str = "first_support_year",
    leads: int = 3,
    lags: int = 3,
    alpha: float = 0.05,
) -> SupportEffect:
    """Estimate the effect of support on log TFP (event study and overall ATT).

    Parameters
    ----------
    panel : DataFrame
        One row per enterprise and year.
    id_column : str
        Enterprise identifier.
    year_column : str
        Year (integer).
    outcome : str
        Log TFP (or any outcome in logs).
    first_support : str
        First year the enterprise was supported; NaN (or 0) when never supported (in the
        panel's years or at all).
    leads : int
        Pre-support periods with their own coefficient (``-leads .. -2``).
    lags : int
        Post-support periods with their own coefficient (``0 .. lags``; later binned).
    alpha : float
        Confidence intervals of level ``1 - alpha``.

    Returns
    -------
    SupportEffect
        ``event_study`` and ``att`` frames, counts and the estimator used.

    Raises
    ------
    InputError
        Missing columns or values, duplicated enterprise-years, a first support year that
        varies within an enterprise, no supported observation, or a year with no
        enterprise to compare with.
    ArgumentError
        A column name that is not text, a window (``leads``, ``lags``) that is not made of
        whole numbers ``>= 1`` and ``>= 0``, or ``alpha`` outside (0, 1).

    Examples
    --------
    >>> panel = simulate_support_panel(150, effect=0.2, seed=3)
    >>> result = estimate_support_effect(panel, leads=2, lags=2)
    >>> result.event_study["event_time"].tolist()
    [-2, -1, 0, 1, 2]
    >>> round(float(result.att["estimate"].iloc[0]), 1)
    0.2

    """
    if isinstance(alpha, bool) or not isinstance(alpha, int | float) or not 0 < alpha < 1:
        raise ArgumentError(f"alpha must be a probability between 0 and 1 (0.05), got {alpha!r}")
    frame, n_dropped = prepare_event_panel(
        panel,
        id_column=id_column,
        year_column=year_column,
        outcome=outcome,
        first_support=first_support,
        leads=leads,
        lags=lags,
    )
    _check_comparisons(frame, first_support)
    supported_units = frame.loc[frame["cohort"] > 0, "unit"].nunique()
    never_units = frame.loc[frame["cohort"] == 0, "unit"].nunique()
    event_study, att = _event_study(frame, alpha, leads, lags)
    return SupportEffect(
        event_study=event_study,
        att=att,
        n_supported=int(supported_units),
        n_never_supported=int(never_units),
        n_dropped_always_supported=n_dropped,
        alpha=alpha,
    )
