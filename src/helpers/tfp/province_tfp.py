"""The province's TFP: growth accounting on the province accounts, sensitivity, reconciliation.

The accounts are read and checked by
:func:`helpers.inputs.province_accounts.load_province_accounts` (the file's columns, statuses
and sources are documented there).
:func:`province_tfp` builds the capital stock from investment at constant prices by the
perpetual inventory method and decomposes GRDP growth (see :mod:`helpers.tfp.growth_accounting`);
:func:`province_sensitivity` shows how the TFP share of a phase moves with the assumptions.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from helpers.problems import Problems
from helpers.programme.tfp_objective import PublishedShare
from helpers.tfp.growth_accounting import (
    capital_growth_for_share,
    capital_share_for_share,
    decompose,
    labour_quality_adjusted,
)
from helpers.tfp.province_capital import (
    BACKCASTS,
    CAPITAL_OUTPUT_GRID,
    DEFAULT_BACKCAST,
    DEFAULT_CAPITAL_OUTPUT,
    capital_accounts,
)

__all__ = [
    "ALPHA_GRID",
    "ASSUMPTIONS",
    "DEFAULT_ALPHA",
    "DEFAULT_DELTA",
    "DELTA_GRID",
    "EMPLOYMENT_DATA",
    "EMPLOYMENT_GROWTH_VARIANTS",
    "PLAN_PHASES",
    "central_settings",
    "employment_label",
    "province_inputs",
    "province_reconciliation",
    "province_sensitivity",
    "province_tfp",
    "province_tornado",
]

#: Default capital share α: no input–output table was found, so it is an assumption.
DEFAULT_ALPHA = 0.4
#: Default geometric depreciation rate δ of the capital stock.
DEFAULT_DELTA = 0.05
#: Capital shares shown in the sensitivity table (0.3–0.6).
ALPHA_GRID = (0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6)
#: Depreciation rates shown in the sensitivity table.
DELTA_GRID = (0.03, 0.04, 0.05, 0.06, 0.07, 0.08)
#: Constant employment growth rates compared with the employment series of the file.
EMPLOYMENT_GROWTH_VARIANTS = (0.0, 0.005, 0.01)
#: Label of the file's employment series in the sensitivity.
EMPLOYMENT_DATA = "data"
#: Phases of Plan 203/KH-UBND (the plan file is the authority; this is the default).
PLAN_PHASES = {"2021–2025": (2021, 2025), "2026–2030": (2026, 2030)}


# --------------------------------------------------------------------------------------
# Estimation
# --------------------------------------------------------------------------------------


def _gaps_in(accounts: pd.DataFrame, column: str, kind: str, expected: str) -> Problems:
    """Problems for the empty values of ``column`` (or for the column being absent).

    ``kind`` is the catalogue's problem (``<kind>_year`` when located in a year) and
    ``expected`` the catalogue's expectation.
    """
    found = Problems(str(accounts.attrs.get("source", "province accounts")))
    rows = accounts.attrs.get("excel_rows") or {}
    if column not in accounts.columns:
        found.add(kind, column=column, expected=found.expected(expected))
        return found
    for year in accounts.loc[accounts[column].isna(), "year"]:
        found.add(
            f"{kind}_year",
            row=rows.get(int(year)),
            column=column,
            value="",
            expected=found.expected(expected),
            year=year,
        )
    return found


def _investment_constant(accounts: pd.DataFrame) -> pd.Series:
    """Investment at 2010 prices: the column if given, else current prices / deflator."""
    if "investment_constant_2010" in accounts.columns:
        return accounts["investment_constant_2010"]
    return accounts["investment_current"] / accounts["investment_deflator"]


def province_inputs(
    accounts: pd.DataFrame,
    *,
    delta: float = DEFAULT_DELTA,
    quality_adjust: bool = False,
    premium: float = 0.3,
    capital_output: float = DEFAULT_CAPITAL_OUTPUT,
    backcast: str = DEFAULT_BACKCAST,
) -> pd.DataFrame:
    """Return the inputs of the growth accounting, one row per year.

    Parameters
    ----------
    accounts : DataFrame
        Result of :func:`~helpers.inputs.province_accounts.load_province_accounts`.
    delta : float
        Depreciation rate δ of the perpetual inventory.
    quality_adjust : bool
        Use labour adjusted for the trained-labour share
        (:func:`~helpers.tfp.growth_accounting.labour_quality_adjusted`) instead of employment.
    premium : float
        Efficiency premium of a trained worker, when ``quality_adjust``.
    capital_output : float
        K/Y at the end of the first year, which fixes the opening stock
        (:func:`~helpers.tfp.province_capital.capital_accounts`).
    backcast : {"first", "trend", "last"}
        Investment rate before the first published investment figure.

    Returns
    -------
    DataFrame
        Indexed by year: ``output`` (GRDP, 2010 prices), ``investment`` (2010 prices, gaps
        filled by the investment rate), ``investment_rate`` (I / Y), ``investment_origin``,
        ``capital`` (perpetual inventory, 2010 prices), ``capital_output`` (K / Y),
        ``employment``, ``labour`` (employment, or quality-adjusted labour) and
        ``labour_share`` (``labour_share_income`` if present). ``attrs`` keep the file name
        and rows, the opening stock, κ, the back-cast and δ.

    Raises
    ------
    InputError
        Missing trained-labour shares when ``quality_adjust``, or no investment figure.

    """
    if quality_adjust:
        _gaps_in(
            accounts,
            "trained_labour_share",
            "accounts_needs_trained_share",
            "accounts_trained_share_every_year",
        ).raise_if_errors()
    years = accounts["year"].astype(int).to_numpy()
    output = pd.Series(accounts["grdp_constant_2010"].to_numpy(), index=years)
    investment = pd.Series(_investment_constant(accounts).to_numpy(), index=years)
    capital = capital_accounts(
        output, investment, delta=delta, capital_output=capital_output, backcast=backcast
    )
    employment = pd.Series(accounts["employment"].to_numpy(), index=years, name="employment")
    employment.attrs = dict(accounts.attrs)
    labour = employment
    if quality_adjust:
        trained = pd.Series(
            accounts["trained_labour_share"].to_numpy(), index=years, name="trained_labour_share"
        )
        trained.attrs = dict(accounts.attrs)
        labour = labour_quality_adjusted(employment, trained, premium=premium)
    inputs = pd.DataFrame(
        {
            "output": output.to_numpy(),
            "investment": capital["investment"].to_numpy(),
            "investment_rate": capital["rate"].to_numpy(),
            "investment_origin": capital["origin"].to_numpy(),
            "capital": capital["capital"].to_numpy(),
            "capital_output": capital["capital_output"].to_numpy(),
            "employment": employment.to_numpy(),
            "labour": labour.to_numpy(),
        },
        index=pd.Index(years, name="year"),
    )
    if "labour_share_income" in accounts.columns:
        inputs["labour_share"] = accounts["labour_share_income"].to_numpy()
    inputs.attrs = {**accounts.attrs, **capital.attrs}
    return inputs


def province_tfp(
    accounts: pd.DataFrame,
    *,
    alpha: float | None = DEFAULT_ALPHA,
    delta: float = DEFAULT_DELTA,
    method: str = "gso",
    quality_adjust: bool = False,
    premium: float = 0.3,
    capital_output: float = DEFAULT_CAPITAL_OUTPUT,
    backcast: str = DEFAULT_BACKCAST,
) -> pd.DataFrame:
    """Decompose the province's GRDP growth into capital, labour and TFP, year by year.

    The capital stock is built from the published investment figures, gaps filled by the
    investment rate, from an opening K/Y ratio (see :func:`province_inputs`).

    Parameters
    ----------
    accounts : DataFrame
        Result of :func:`~helpers.inputs.province_accounts.load_province_accounts`.
    alpha : float or None
        Capital share α. None takes the per-year ``labour_share_income`` column (α = 1 − it).
    delta : float
        Depreciation rate δ.
    method : {"gso", "tornqvist"}
        See :func:`~helpers.tfp.growth_accounting.decompose`.
    quality_adjust : bool
        Adjust labour for the trained-labour share.
    premium : float
        Efficiency premium of a trained worker, when ``quality_adjust``.
    capital_output : float
        K/Y at the end of the first year (the opening stock).
    backcast : {"first", "trend", "last"}
        Investment rate before the first published investment figure.

    Returns
    -------
    DataFrame
        The yearly decomposition of :func:`~helpers.tfp.growth_accounting.decompose` (from the
        second year of the file).

    Raises
    ------
    InputError
        Missing data needed by the chosen options.

    Examples
    --------
    >>> from helpers.config import SAMPLE_DATA_DIR
    >>> from helpers.inputs.province_accounts import load_province_accounts
    >>> from helpers.tfp.growth_accounting import period_aggregate
    >>> accounts = load_province_accounts(SAMPLE_DATA_DIR / "province_accounts.csv")
    >>> yearly = province_tfp(accounts)
    >>> round(float(yearly.loc[2024, "growth_output"]), 4)
    0.0842
    >>> 0 < period_aggregate(yearly, 2021, 2025)["tfp_share"] < 1
    True

    """
    inputs = province_inputs(
        accounts,
        delta=delta,
        quality_adjust=quality_adjust,
        premium=premium,
        capital_output=capital_output,
        backcast=backcast,
    )
    if alpha is None:
        _gaps_in(
            accounts,
            "labour_share_income",
            "accounts_needs_labour_share",
            "accounts_labour_share_every_year",
        ).raise_if_errors()
    return decompose(
        inputs,
        output="output",
        capital="capital",
        labour="labour",
        method=method,
        capital_share=alpha,
        labour_share="labour_share" if alpha is None else None,
    )


def _constant_growth_employment(accounts: pd.DataFrame, rate: float) -> pd.Series:
    """Employment rebuilt from the first year's value at a constant growth rate."""
    first = float(accounts["employment"].iloc[0])
    offset = accounts["year"] - accounts["year"].iloc[0]
    return first * (1.0 + rate) ** offset


def _labour_variants(
    accounts: pd.DataFrame, inputs: pd.DataFrame, employment_growths: Sequence[float]
) -> dict[str, np.ndarray]:
    """Labour input under each employment assumption: the file's series and constant rates."""
    quality = (inputs["labour"] / inputs["employment"]).to_numpy()
    variants = {EMPLOYMENT_DATA: inputs["labour"].to_numpy()}
    for rate in employment_growths:
        employment = _constant_growth_employment(accounts, rate).to_numpy()
        variants[employment_label(rate)] = employment * quality
    return variants


def employment_label(rate: float) -> str:
    """Label of a constant employment growth variant, e.g. ``"+0.5 %/yr"``.

    Examples
    --------
    >>> employment_label(0.005), employment_label(0.0)
    ('+0.5 %/yr', '+0.0 %/yr')

    """
    return f"{rate * 100:+.1f} %/yr"


def province_sensitivity(
    accounts: pd.DataFrame,
    *,
    start: int = 2021,
    end: int = 2025,
    alphas: Iterable[float] = ALPHA_GRID,
    deltas: Iterable[float] = DELTA_GRID,
    capital_outputs: Iterable[float] = CAPITAL_OUTPUT_GRID,
    backcasts: Iterable[str] = BACKCASTS,
    employment_growths: Sequence[float] = EMPLOYMENT_GROWTH_VARIANTS,
    quality_adjust: bool = False,
    premium: float = 0.3,
) -> pd.DataFrame:
    """Return the period TFP share (GSO formula) over every combination of the assumptions.

    The assumptions are the opening K/Y ratio, the investment back-cast, the depreciation
    rate δ, the capital share α and employment (the file's series, label ``"data"``, or
    employment rebuilt from the first year at each constant rate of ``employment_growths``).
    Period figures come from summed contributions.

    Parameters
    ----------
    accounts : DataFrame
        Result of :func:`~helpers.inputs.province_accounts.load_province_accounts`.
    start, end : int
        The period (default: phase 1, 2021–2025).
    alphas, deltas, capital_outputs : iterable of float
        Capital shares, depreciation rates and opening K/Y ratios.
    backcasts : iterable of str
        Investment back-casts (:data:`~helpers.tfp.province_capital.BACKCASTS`).
    employment_growths : sequence of float
        Constant employment growth rates to compare with the file's series.
    quality_adjust : bool
        Adjust every labour variant for the trained-labour share.
    premium : float
        Efficiency premium of a trained worker, when ``quality_adjust``.

    Returns
    -------
    DataFrame
        One row per combination: ``capital_output``, ``backcast``, ``delta``, ``alpha``,
        ``labour_input``, and the period's average ``growth_output``, ``growth_capital``,
        ``growth_labour``, ``growth_tfp`` and ``tfp_share``.

    """
    alpha_list = [float(a) for a in alphas]
    rows = []
    for kappa in capital_outputs:
        for backcast in backcasts:
            for delta in deltas:
                inputs = province_inputs(
                    accounts,
                    delta=delta,
                    quality_adjust=quality_adjust,
                    premium=premium,
                    capital_output=kappa,
                    backcast=backcast,
                )
                window = (inputs.index >= start) & (inputs.index <= end)
                previous = np.roll(window, -1)
                n_years = int(window.sum())
                g_y = float((inputs["output"].pct_change()[window]).sum())
                g_k = float((inputs["capital"].pct_change()[window]).sum())
                if n_years == 0 or previous[-1]:
                    found = Problems(str(accounts.attrs.get("source", "province accounts")))
                    found.add("accounts_no_growth_in_period", column="year", start=start, end=end)
                    found.raise_if_errors()
                for label, labour in _labour_variants(accounts, inputs, employment_growths).items():
                    series = pd.Series(labour, index=inputs.index)
                    g_l = float(series.pct_change()[window].sum())
                    for alpha in alpha_list:
                        tfp = g_y - alpha * g_k - (1 - alpha) * g_l
                        rows.append(
                            {
                                "capital_output": float(kappa),
                                "backcast": backcast,
                                "delta": float(delta),
                                "alpha": alpha,
                                "labour_input": label,
                                "growth_output": g_y / n_years,
                                "growth_capital": g_k / n_years,
                                "growth_labour": g_l / n_years,
                                "growth_tfp": tfp / n_years,
                                "tfp_share": tfp / g_y if g_y else float("nan"),
                            }
                        )
    return pd.DataFrame(rows)


#: The assumptions of :func:`province_sensitivity`, with their default (central) setting.
ASSUMPTIONS = ("capital_output", "backcast", "alpha", "delta", "labour_input")


def central_settings() -> dict[str, object]:
    """The central setting of each assumption (the defaults of :func:`province_tfp`)."""
    return {
        "capital_output": DEFAULT_CAPITAL_OUTPUT,
        "backcast": DEFAULT_BACKCAST,
        "alpha": DEFAULT_ALPHA,
        "delta": DEFAULT_DELTA,
        "labour_input": EMPLOYMENT_DATA,
    }


def province_tornado(grid: pd.DataFrame) -> pd.DataFrame:
    """How far each assumption alone moves the period share from the central estimate.

    Parameters
    ----------
    grid : DataFrame
        Result of :func:`province_sensitivity` (it must contain the central settings).

    Returns
    -------
    DataFrame
        One row per assumption, largest swing first: ``assumption``, ``central`` (the
        central share), ``low`` and ``high`` (the lowest and highest share when only this
        assumption varies over its grid), ``low_setting`` and ``high_setting`` (the settings
        giving them) and ``swing`` (high − low).

    Raises
    ------
    ValueError
        The grid does not contain the central settings.

    """
    central = central_settings()

    def at_centre(frame: pd.DataFrame, skip: str) -> pd.DataFrame:
        mask = pd.Series(True, index=frame.index)
        for name, value in central.items():
            if name != skip:
                column = frame[name]
                mask &= np.isclose(column, value) if isinstance(value, float) else column == value
        return frame[mask]

    centre = at_centre(grid, "")
    if centre.empty:
        raise ValueError("the sensitivity grid does not contain the central settings")
    share = float(centre["tfp_share"].iloc[0])
    rows = []
    for name in ASSUMPTIONS:
        line = at_centre(grid, name)
        low, high = line.loc[line["tfp_share"].idxmin()], line.loc[line["tfp_share"].idxmax()]
        rows.append(
            {
                "assumption": name,
                "central": share,
                "low": float(low["tfp_share"]),
                "high": float(high["tfp_share"]),
                "low_setting": low[name],
                "high_setting": high[name],
                "swing": float(high["tfp_share"] - low["tfp_share"]),
            }
        )
    return pd.DataFrame(rows).sort_values("swing", ascending=False, ignore_index=True)


def province_reconciliation(
    accounts: pd.DataFrame,
    shares: Sequence[PublishedShare],
    *,
    alpha: float = DEFAULT_ALPHA,
    deltas: Iterable[float] = DELTA_GRID,
    capital_outputs: Iterable[float] = CAPITAL_OUTPUT_GRID,
    backcasts: Iterable[str] = BACKCASTS,
) -> pd.DataFrame:
    """For each published annual share: the capital growth and the α that would reproduce it.

    Parameters
    ----------
    accounts : DataFrame
        Result of :func:`~helpers.inputs.province_accounts.load_province_accounts`.
    shares : sequence of PublishedShare
        The province's published annual shares (:mod:`helpers.programme.tfp_objective`).
    alpha : float
        Capital share at which the required capital growth is computed.
    deltas, capital_outputs, backcasts
        The capital assumptions over which the capital growth the data support is ranged.

    Returns
    -------
    DataFrame
        One row per published year within the accounts: ``year``, ``published``,
        ``qualifier``, ``estimate`` (the central estimate's share), ``growth_output``,
        ``growth_labour``, ``growth_capital`` (central), ``capital_low`` and
        ``capital_high`` (range over the capital assumptions), ``required_capital_growth``
        (at ``alpha``) and ``required_alpha`` (at the central capital growth). For a
        published lower bound both required values are upper bounds (``bound`` is
        ``"at_most"``); for a point they are equalities (``"equal"``).

    """
    central = province_inputs(accounts)
    growth = central[["output", "capital", "labour"]].pct_change()
    capital_growths = []
    for kappa in capital_outputs:
        for backcast in backcasts:
            for delta in deltas:
                inputs = province_inputs(
                    accounts, delta=delta, capital_output=kappa, backcast=backcast
                )
                capital_growths.append(inputs["capital"].pct_change())
    spread = pd.concat(capital_growths, axis=1)
    rows = []
    for share in shares:
        year = share.year
        if year not in growth.index or pd.isna(growth.loc[year, "output"]):
            continue
        g_y, g_k, g_l = (float(growth.loc[year, c]) for c in ("output", "capital", "labour"))
        estimate = (g_y - alpha * g_k - (1 - alpha) * g_l) / g_y
        lower = share.qualifier in ("above", "at_least")
        upper = share.qualifier in ("below", "at_most")
        rows.append(
            {
                "year": year,
                "published": share.value,
                "qualifier": share.qualifier,
                "estimate": estimate,
                "growth_output": g_y,
                "growth_labour": g_l,
                "growth_capital": g_k,
                "capital_low": float(spread.loc[year].min()),
                "capital_high": float(spread.loc[year].max()),
                "required_capital_growth": capital_growth_for_share(share.value, g_y, g_l, alpha),
                "required_alpha": capital_share_for_share(share.value, g_y, g_k, g_l),
                "bound": "at_most" if lower else ("at_least" if upper else "equal"),
            }
        )
    return pd.DataFrame(rows)
