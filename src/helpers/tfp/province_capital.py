"""The province's capital stock, built from its published investment figures.

No capital series is published for the province, and total social investment only in some
years (2015, 2017, 2018, 2020, 2021, 2023 and 2024 for Quảng Ninh). The stock is built in
three stated steps:

1. **Investment in every year.** At the published years the investment rate is
   ``r_t = I_t / Y_t`` (investment and GRDP at 2010 prices, or equivalently at current prices
   when one deflator serves both). Between two published years ``r`` is interpolated
   linearly; after the last published year it is held at the last value. Before the first
   published year the *back-cast* is an assumption, one of :data:`BACKCASTS`:

   ``first``
       the rate is held at its first published value (the default);
   ``trend``
       the rate follows the straight line through the first two published values;
   ``last``
       the rate is held at its last published value (a low-investment past).

   Investment is ``I_t = r_t × Y_t`` in the filled years: a ratio, not a constant growth
   rate, so investment moves with GRDP where nothing is published.

2. **Opening stock.** The stock at the end of the first year is ``κ × Y`` of that year, with
   ``κ`` a stated capital–output ratio (:data:`DEFAULT_CAPITAL_OUTPUT`; 2–4 in the
   sensitivity). No investment before 2010 is published, so a long back-cast would rest on
   invented figures; a K/Y ratio states the assumption in one number that can be compared
   with other economies.

3. **Perpetual inventory.** ``K_t = (1 − δ) K_{t−1} + I_t``
   (:func:`helpers.tfp.growth_accounting.perpetual_inventory`).

:func:`capital_accounts` returns every year's investment, its rate and its origin, the stock,
and the implied K/Y, to be shown next to :data:`PLAUSIBLE_CAPITAL_OUTPUT` and
:data:`PLAUSIBLE_INVESTMENT_RATE`.
"""

from __future__ import annotations

from numbers import Real

import numpy as np
import pandas as pd

from helpers.errors import ArgumentError
from helpers.problems import Problems
from helpers.tfp.growth_accounting import perpetual_inventory

__all__ = [
    "BACKCASTS",
    "CAPITAL_OUTPUT_GRID",
    "DEFAULT_BACKCAST",
    "DEFAULT_CAPITAL_OUTPUT",
    "ORIGINS",
    "PLAUSIBLE_CAPITAL_OUTPUT",
    "PLAUSIBLE_INVESTMENT_RATE",
    "capital_accounts",
    "investment_path",
]

#: Ways of filling the investment rate before the first published year.
BACKCASTS = ("first", "trend", "last")
#: The default back-cast: the rate held at its first published value.
DEFAULT_BACKCAST = "first"
#: Capital–output ratio at the end of the first year (the opening stock), default.
DEFAULT_CAPITAL_OUTPUT = 3.0
#: Capital–output ratios of the sensitivity.
CAPITAL_OUTPUT_GRID = (2.0, 2.5, 3.0, 3.5, 4.0)
#: Range of K/Y (net fixed capital over GDP, at constant prices) taken as plausible for a
#: fast-growing, capital-intensive middle-income economy; an assumption of this project,
#: equal to the range of the sensitivity.
PLAUSIBLE_CAPITAL_OUTPUT = (2.0, 4.0)
#: Range of investment over GRDP (total social investment) taken as plausible; an
#: assumption of this project. Quảng Ninh's published years give 30–45 % on the sample's GRDP.
PLAUSIBLE_INVESTMENT_RATE = (0.25, 0.50)
#: Origin of each year's investment in :func:`investment_path`.
ORIGINS = ("published", "interpolated", "backcast", "held")


#: The file named in problems when a series does not say where it came from.
DEFAULT_SOURCE = "province accounts"


def investment_path(
    output: pd.Series, investment: pd.Series, *, backcast: str = DEFAULT_BACKCAST
) -> pd.DataFrame:
    """Fill investment in every year from the rate ``I / Y`` of the published years.

    Parameters
    ----------
    output : Series
        GRDP at 2010 prices, indexed by consecutive years.
    investment : Series
        Investment at 2010 prices, same index, NaN where not published.
    backcast : {"first", "trend", "last"}
        The rate before the first published year (see the module docstring).

    Returns
    -------
    DataFrame
        Indexed by year: ``rate`` (I / Y), ``investment`` (2010 prices) and ``origin``
        (``published``, ``interpolated``, ``backcast`` or ``held``).

    Raises
    ------
    InputError
        No published investment.
    ArgumentError
        An unknown back-cast, or an empty series.

    Examples
    --------
    Rates 0.4 (2012) and 0.3 (2014): 0.35 in 2013, 0.4 before 2012, 0.3 after 2014.

    >>> y = pd.Series(100.0, index=range(2011, 2016))
    >>> i = pd.Series([np.nan, 40.0, np.nan, 30.0, np.nan], index=y.index)
    >>> investment_path(y, i)["rate"].round(2).tolist()
    [0.4, 0.4, 0.35, 0.3, 0.3]
    >>> investment_path(y, i, backcast="trend")["rate"].round(2).tolist()
    [0.45, 0.4, 0.35, 0.3, 0.3]

    """
    if backcast not in BACKCASTS:
        raise ArgumentError(
            f"backcast must be one of {', '.join(BACKCASTS)} (the investment back-cast), "
            f"got {backcast!r}"
        )
    if len(output) == 0:
        raise ArgumentError("output is empty: at least one year of GRDP is needed")
    known = investment.dropna()
    if known.empty:
        found = Problems(str(investment.attrs.get("source", DEFAULT_SOURCE)))
        found.add(
            "capital_no_investment",
            column="investment_current",
            expected=found.expected("capital_investment_year"),
        )
        found.raise_if_errors()
    rate = (investment / output).astype(float)
    origin = pd.Series("interpolated", index=output.index, dtype=object)
    origin[investment.notna()] = "published"
    first, last = int(known.index.min()), int(known.index.max())
    filled = rate.interpolate(method="index", limit_area="inside")
    after = filled.index > last
    filled[after] = filled[last]
    origin[after] = "held"
    before = filled.index < first
    if backcast == "first" or len(known) < 2:
        filled[before] = filled[first]
    elif backcast == "last":
        filled[before] = filled[last]
    else:
        second = int(known.index[1])
        slope = (filled[second] - filled[first]) / (second - first)
        years = filled.index[before].to_numpy()
        filled[before] = filled[first] - slope * (first - years)
    origin[before] = "backcast"
    return pd.DataFrame(
        {"rate": filled, "investment": filled * output, "origin": origin},
        index=output.index,
    )


def capital_accounts(
    output: pd.Series,
    investment: pd.Series,
    *,
    delta: float,
    capital_output: float = DEFAULT_CAPITAL_OUTPUT,
    backcast: str = DEFAULT_BACKCAST,
) -> pd.DataFrame:
    """Investment in every year, the capital stock and the implied ratios.

    Parameters
    ----------
    output : Series
        GRDP at 2010 prices, indexed by consecutive years.
    investment : Series
        Investment at 2010 prices, NaN where not published.
    delta : float
        Depreciation rate δ.
    capital_output : float
        K/Y at the end of the first year (κ), which fixes the opening stock.
    backcast : {"first", "trend", "last"}
        See :func:`investment_path`.

    Returns
    -------
    DataFrame
        Indexed by year: ``output``, ``investment``, ``rate`` (I / Y), ``origin``,
        ``capital``, ``capital_output`` (K / Y) and ``growth_capital``. ``attrs`` record
        ``opening_stock`` (end of the year before the first), ``capital_output``,
        ``backcast`` and ``depreciation``.

    Raises
    ------
    InputError
        No published investment (see :func:`investment_path`).
    ArgumentError
        δ outside (0, 1), κ not positive, or κ so low that the stock before the first year
        would be negative (below the first year's investment rate).

    Examples
    --------
    Y = 100 every year, I / Y = 0.2, κ = 2, δ = 0.1: K = 200 at the end of the first year,
    then 0.9 × 200 + 20 = 200 again (a steady state, K / Y = 2 throughout).

    >>> y = pd.Series(100.0, index=range(2010, 2013))
    >>> i = pd.Series([20.0, np.nan, np.nan], index=y.index)
    >>> capital_accounts(y, i, delta=0.1, capital_output=2.0)["capital"].round(6).tolist()
    [200.0, 200.0, 200.0]

    """
    if isinstance(delta, bool) or not (isinstance(delta, Real) and 0 < delta < 1):
        raise ArgumentError(
            f"delta (the depreciation rate) must be strictly between 0 and 1, got {delta!r}"
        )
    if isinstance(capital_output, bool) or not (
        isinstance(capital_output, Real) and capital_output > 0
    ):
        raise ArgumentError(
            f"capital_output (the opening K/Y ratio) must be a number > 0, got {capital_output!r}"
        )
    path = investment_path(output, investment, backcast=backcast)
    first = path.index[0]
    opening = (capital_output * float(output[first]) - float(path.loc[first, "investment"])) / (
        1.0 - delta
    )
    if opening < 0:
        rate = float(path.loc[first, "rate"])
        raise ArgumentError(
            f"capital_output={capital_output!r} is below the first year's investment rate "
            f"({rate:.2f}): the opening stock would be negative; give capital_output ≥ {rate:.2f}"
        )
    flows = path["investment"].rename("investment_constant_2010")
    capital = perpetual_inventory(flows, depreciation=delta, initial=opening)
    result = path.assign(output=output, capital=capital.to_numpy())
    result["capital_output"] = result["capital"] / result["output"]
    result["growth_capital"] = result["capital"].pct_change()
    result = result[
        ["output", "investment", "rate", "origin", "capital", "capital_output", "growth_capital"]
    ]
    result.index.name = "year"
    result.attrs = {
        "opening_stock": opening,
        "capital_output": float(capital_output),
        "backcast": backcast,
        "depreciation": float(delta),
    }
    return result


def within(value: float, bounds: tuple[float, float]) -> bool:
    """Whether ``value`` lies in the closed range ``bounds``.

    Examples
    --------
    >>> within(3.1, PLAUSIBLE_CAPITAL_OUTPUT), within(0.576, PLAUSIBLE_INVESTMENT_RATE)
    (True, False)

    """
    return bool(np.isfinite(value) and bounds[0] <= value <= bounds[1])
