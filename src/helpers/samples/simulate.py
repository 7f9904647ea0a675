"""Simulated firm panels with a known truth, for tests, benchmarks and sample data.

The design is "DGP1" of Ackerberg, Caves and Frazer (2015, *Econometrica* 83(6), appendix),
described in words in ``validation/README.md``:

* value-added Cobb-Douglas ``y = alpha_l * l + alpha_k * k + omega + eps`` with
  ``eps ~ N(0, sigma_eps^2)``;
* productivity ``omega`` follows an AR(1) with persistence ``rho`` and stationary standard
  deviation ``sigma_omega``, split into the half steps ``t-1 -> t-b -> t`` so that labour,
  chosen at ``t-b``, is not a function of the proxy;
* the log wage follows an AR(1) (``rho_wage``, stationary s.d. ``sigma_wage``);
* capital accumulates as ``K_t = (1 - delta) K_{t-1} + I_{t-1}``; investment solves the firm's
  dynamic problem with quadratic adjustment costs that differ across firms;
* materials are Leontief in output (``m = alpha_l * l + alpha_k * k + omega``), optionally
  measured with error.

Everything is vectorised over firms with numpy; firms are simulated in fixed-size chunks, each
with its own random stream spawned from the seed, so the panel for a given seed does not
depend on memory settings and a 100,000-firm panel takes a few seconds.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.signal import lfilter

#: Firms simulated per random stream (fixed so that a seed always gives the same panel).
FIRMS_PER_CHUNK = 10_000
#: Horizon terms of the investment rule evaluated exactly; the tail uses a Taylor expansion.
EXACT_HORIZON = 12
#: Total horizon of the investment rule (terms beyond it weigh less than 1e-8).
FULL_HORIZON = 80


@dataclass(frozen=True)
class PanelDesign:
    """Parameters of the simulated economy (defaults: ACF 2015 DGP1).

    Parameters
    ----------
    alpha_l, alpha_k : float
        True output elasticities of labour and capital.
    rho : float
        Persistence of productivity (AR(1) coefficient over one period).
    sigma_omega : float
        Stationary standard deviation of productivity.
    sigma_eps : float
        Standard deviation of the output shock that firms do not anticipate.
    rho_wage, sigma_wage : float
        Persistence and stationary standard deviation of the log wage.
    timing_b : float
        Share of the period between the labour choice and production (``b`` in ACF).
    depreciation : float
        Capital depreciation rate.
    discount : float
        Firms' discount factor.
    sigma_adjustment : float
        Standard deviation of the log of firms' capital adjustment-cost parameters.
    sigma_labour_error : float
        Optimisation error in labour (0 in DGP1, 0.37 in ACF's DGP2 and DGP3).
    materials_error : float
        Variance of the measurement error in log materials, as a share of the within-firm
        variance of log materials (ACF use 0, 0.1, 0.2 and 0.5).

    """

    alpha_l: float = 0.6
    alpha_k: float = 0.4
    rho: float = 0.7
    sigma_omega: float = 0.3
    sigma_eps: float = 0.1
    rho_wage: float = 0.3
    sigma_wage: float = 0.1
    timing_b: float = 0.5
    depreciation: float = 0.2
    discount: float = 0.95
    sigma_adjustment: float = 0.6
    sigma_labour_error: float = 0.0
    materials_error: float = 0.0

    def check(self) -> None:
        """Raise ``ValueError`` when a parameter is outside its meaningful range."""
        if not 0 < self.alpha_l < 1:
            raise ValueError(f"alpha_l must lie in (0, 1), got {self.alpha_l}")
        if self.alpha_k <= 0:
            raise ValueError(f"alpha_k must be positive, got {self.alpha_k}")
        if not 0 <= self.rho < 1 or not 0 <= self.rho_wage < 1:
            raise ValueError("rho and rho_wage must lie in [0, 1)")
        if not 0 <= self.timing_b <= 1:
            raise ValueError(f"timing_b must lie in [0, 1], got {self.timing_b}")
        if not 0 < self.depreciation <= 1 or not 0 < self.discount < 1:
            raise ValueError("depreciation must lie in (0, 1] and discount in (0, 1)")
        negatives = [
            name
            for name in (
                "sigma_omega",
                "sigma_eps",
                "sigma_wage",
                "sigma_adjustment",
                "sigma_labour_error",
                "materials_error",
            )
            if getattr(self, name) < 0
        ]
        if negatives:
            raise ValueError(f"standard deviations must not be negative: {negatives}")


#: Measurement error in log materials used by ACF (2015): variance of the error as a share
#: of the within-firm variance of log materials.
MATERIALS_ERRORS = (0.0, 0.1, 0.2, 0.5)


def acf_design(name: str, materials_error: float = 0.0) -> PanelDesign:
    """Return one of the Monte Carlo designs of Ackerberg, Caves and Frazer (2015).

    Parameters
    ----------
    name : {"dgp1", "dgp2", "dgp3"}
        ``dgp1``: serially correlated wages (rho 0.3) and labour chosen at ``t - b``
        (b = 0.5), no optimisation error (the default :class:`PanelDesign`).
        ``dgp2``: optimisation error in labour (s.d. 0.37) is labour's only variation apart
        from the proxy: wages serially uncorrelated and labour chosen at ``t``.
        ``dgp3``: DGP1's serially correlated wages and timing plus DGP2's optimisation error
        in labour (the design on which the former ACF root rule failed).
    materials_error : float
        Variance of the measurement error in log materials as a share of its within-firm
        variance (ACF use the values in :data:`MATERIALS_ERRORS`).

    Examples
    --------
    >>> acf_design("dgp3", 0.5).sigma_labour_error, acf_design("dgp2").timing_b
    (0.37, 0.0)

    """
    designs = {
        "dgp1": {},
        "dgp2": {"sigma_labour_error": 0.37, "rho_wage": 0.0, "timing_b": 0.0},
        "dgp3": {"sigma_labour_error": 0.37},
    }
    if name not in designs:
        raise ValueError(f"unknown ACF design {name!r}; choose one of {', '.join(designs)}")
    return PanelDesign(**designs[name], materials_error=materials_error)


def simulate_panel(
    n_firms: int = 1000,
    n_periods: int = 10,
    *,
    burn_in: int = 90,
    design: PanelDesign | None = None,
    first_year: int = 1,
    seed: int | np.random.SeedSequence | None = None,
    **design_overrides: float,
) -> pd.DataFrame:
    """Simulate a balanced firm panel with known production-function coefficients.

    Parameters
    ----------
    n_firms : int
        Number of firms.
    n_periods : int
        Number of periods kept per firm (the last ``n_periods`` of ``burn_in + n_periods``).
    burn_in : int
        Periods simulated and dropped first, so that capital forgets its starting value
        (ACF simulate 100 periods and keep the last 10: ``burn_in=90``).
    design : PanelDesign, optional
        The economy's parameters; defaults to ACF's DGP1.
    first_year : int
        Year label of the first kept period.
    seed : int or numpy.random.SeedSequence, optional
        Seed of the random streams; the same seed gives the same panel.
    **design_overrides : float
        Fields of :class:`PanelDesign` to change, e.g. ``alpha_l=0.5``.

    Returns
    -------
    pandas.DataFrame
        One row per firm and year, sorted by firm then year, with columns ``id`` (int),
        ``year`` (int), ``y`` (log value added), ``l`` (log labour), ``k`` (log capital),
        ``m`` (log materials), ``i`` (log investment) and ``omega`` (true log productivity).

    Notes
    -----
    The investment rule is the closed form of ACF's appendix, exact when
    ``alpha_l + alpha_k = 1`` (the marginal product of capital then does not depend on
    capital); with other coefficients the same rule is kept as a stylised policy. Capital
    starts at the firm's first-period investment divided by the depreciation rate.

    Examples
    --------
    >>> panel = simulate_panel(n_firms=5, n_periods=3, seed=1)
    >>> panel.shape
    (15, 8)
    >>> list(panel.columns)
    ['id', 'year', 'y', 'l', 'k', 'm', 'i', 'omega']

    """
    design = design or PanelDesign()
    if design_overrides:
        unknown = set(design_overrides) - set(PanelDesign.__dataclass_fields__)
        if unknown:
            raise ValueError(f"unknown design parameters: {sorted(unknown)}")
        design = PanelDesign(**{**design.__dict__, **design_overrides})
    design.check()
    if n_firms < 1 or n_periods < 1 or burn_in < 0:
        raise ValueError("n_firms and n_periods must be at least 1 and burn_in not negative")
    root = seed if isinstance(seed, np.random.SeedSequence) else np.random.SeedSequence(seed)
    n_chunks = -(-n_firms // FIRMS_PER_CHUNK)
    chunks = []
    for chunk, stream in enumerate(root.spawn(n_chunks)):
        size = min(FIRMS_PER_CHUNK, n_firms - chunk * FIRMS_PER_CHUNK)
        columns = _simulate_chunk(size, n_periods, burn_in, design, np.random.default_rng(stream))
        columns["id"] = np.repeat(np.arange(size) + chunk * FIRMS_PER_CHUNK + 1, n_periods)
        chunks.append(columns)
    data = {name: np.concatenate([c[name] for c in chunks]) for name in chunks[0]}
    data["year"] = np.tile(np.arange(first_year, first_year + n_periods), n_firms)
    order = ["id", "year", "y", "l", "k", "m", "i", "omega"]
    return pd.DataFrame({name: data[name] for name in order})


def _simulate_chunk(
    n_firms: int, n_periods: int, burn_in: int, design: PanelDesign, rng: np.random.Generator
) -> dict[str, np.ndarray]:
    """Simulate ``n_firms`` firms and return the kept periods as flat (firm-major) arrays."""
    total = burn_in + n_periods
    omega, omega_mid = _productivity_paths(n_firms, total, design, rng)
    log_wage = _ar1_paths(n_firms, total, design.rho_wage, design.sigma_wage, rng)
    adjustment = np.exp(rng.normal(0.0, design.sigma_adjustment, size=(n_firms, 1)))
    investment = adjustment * _investment_rule(omega, log_wage, design)
    capital = _capital_paths(investment, design.depreciation)
    log_k = np.log(capital)
    alpha_l, alpha_k = design.alpha_l, design.alpha_k
    rho_second = design.rho**design.timing_b
    sd_second = design.sigma_omega * np.sqrt(1.0 - rho_second**2)
    planned_l = (
        sd_second**2 / 2 + np.log(alpha_l) + rho_second * omega_mid - log_wage + alpha_k * log_k
    ) / (1.0 - alpha_l)
    log_l = planned_l + rng.normal(0.0, design.sigma_labour_error, size=planned_l.shape)
    log_y = alpha_l * log_l + alpha_k * log_k + omega
    log_y += rng.normal(0.0, design.sigma_eps, size=log_y.shape)
    log_m = alpha_l * planned_l + alpha_k * log_k + omega
    kept = slice(burn_in, total)
    log_m = log_m[:, kept]
    if design.materials_error > 0:
        within_sd = np.sqrt(np.var(log_m - log_m.mean(axis=1, keepdims=True)))
        scale = np.sqrt(design.materials_error) * within_sd
        log_m = log_m + rng.normal(0.0, scale, size=log_m.shape)
    return {
        "y": log_y[:, kept].ravel(),
        "l": log_l[:, kept].ravel(),
        "k": log_k[:, kept].ravel(),
        "m": log_m.ravel(),
        "i": np.log(investment[:, kept]).ravel(),
        "omega": omega[:, kept].ravel(),
    }


def _ar1_paths(
    n_firms: int, n_periods: int, rho: float, sd: float, rng: np.random.Generator
) -> np.ndarray:
    """Stationary AR(1) paths, one row per firm."""
    start = rng.normal(0.0, sd, size=n_firms)
    shocks = rng.normal(0.0, sd * np.sqrt(1.0 - rho**2), size=(n_firms, n_periods))
    paths, _ = lfilter([1.0], [1.0, -rho], shocks, axis=1, zi=(rho * start)[:, None])
    return paths


def _productivity_paths(
    n_firms: int, n_periods: int, design: PanelDesign, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Productivity at ``t`` and at ``t-b`` (when labour is chosen), one row per firm."""
    rho, sd = design.rho, design.sigma_omega
    rho_first = rho ** (1.0 - design.timing_b)
    rho_second = rho**design.timing_b
    first = rng.normal(0.0, sd * np.sqrt(1.0 - rho_first**2), size=(n_firms, n_periods))
    second = rng.normal(0.0, sd * np.sqrt(1.0 - rho_second**2), size=(n_firms, n_periods))
    start = rng.normal(0.0, sd, size=n_firms)
    innovations = rho_second * first + second
    omega, _ = lfilter([1.0], [1.0, -rho], innovations, axis=1, zi=(rho * start)[:, None])
    previous = np.column_stack([start, omega[:, :-1]])
    omega_mid = rho_first * previous + first
    return omega, omega_mid


def _investment_rule(omega: np.ndarray, log_wage: np.ndarray, design: PanelDesign) -> np.ndarray:
    """Optimal investment before the firm's adjustment-cost factor.

    Investment equals the expected discounted marginal profit of capital over the future:
    ``sum_s weight_s * exp(a * rho^s * omega + c * rho_wage^s * log_wage)``. The first
    ``EXACT_HORIZON`` terms are computed exactly; in the tail ``rho_wage^s`` is negligible and
    the exponential is expanded to second order in ``omega``.
    """
    alpha_l, alpha_k = design.alpha_l, design.alpha_k
    rho, rho_w = design.rho, design.rho_wage
    a = 1.0 / (1.0 - alpha_l)
    c = -alpha_l / (1.0 - alpha_l)
    rho_first = rho ** (1.0 - design.timing_b)
    rho_second = rho**design.timing_b
    var_innov = design.sigma_omega**2 * (1.0 - rho**2)
    var_first = design.sigma_omega**2 * (1.0 - rho_first**2)
    var_second = design.sigma_omega**2 * (1.0 - rho_second**2)
    var_wage_innov = design.sigma_wage**2 * (1.0 - rho_w**2)
    steps = np.arange(1, FULL_HORIZON + 1)
    # Variance of omega at t+s-b and of the log wage at t+s, given their values at t.
    sum_rho = np.concatenate([[0.0], np.cumsum(rho ** (2 * np.arange(FULL_HORIZON - 1)))])
    var_omega_mid = var_first + rho_first**2 * var_innov * sum_rho
    var_wage = var_wage_innov * np.cumsum(rho_w ** (2 * np.arange(FULL_HORIZON)))
    profit_constant = (
        (alpha_k / (1.0 - alpha_l))
        * (alpha_l ** (alpha_l * a) - alpha_l**a)
        * np.exp(0.5 * a * var_second)
    )
    weights = (
        design.discount**steps
        * (1.0 - design.depreciation) ** (steps - 1)
        * np.exp(0.5 * (a * rho_second) ** 2 * var_omega_mid + 0.5 * c**2 * var_wage)
        * profit_constant
    )
    total = np.zeros_like(omega)
    for s in range(EXACT_HORIZON):
        total += weights[s] * np.exp(a * rho ** steps[s] * omega + c * rho_w ** steps[s] * log_wage)
    tail_w = weights[EXACT_HORIZON:]
    tail_r = a * rho ** steps[EXACT_HORIZON:]
    total += tail_w.sum() + (tail_w * tail_r).sum() * omega
    total += 0.5 * (tail_w * tail_r**2).sum() * omega**2
    return total


def _capital_paths(investment: np.ndarray, depreciation: float) -> np.ndarray:
    """Capital stock ``K_t = (1 - delta) K_{t-1} + I_{t-1}``, starting at ``I_0 / delta``."""
    start = investment[:, 0] / depreciation
    lagged = np.column_stack([np.zeros(len(investment)), investment[:, :-1]])
    paths, _ = lfilter([1.0], [1.0, -(1.0 - depreciation)], lagged, axis=1, zi=start[:, None])
    return paths
