"""TFP of every enterprise-year of a panel: production functions per VSIC section, pooled fallback.

Production functions are estimated per VSIC section (by default with Ackerberg–Caves–Frazer,
:data:`DEFAULT_METHOD`): value added on labour (free input) and capital (state input), materials
as the proxy (investment for Olley–Pakes), in logs, with a bootstrap over whole enterprises
(seeded), and year effects in the first stage and the law of motion (a sector's common
productivity path is not taken for the firms' own productivity). Sections with fewer than
:data:`MIN_SECTOR_FIRMS` enterprises get the production function estimated on all enterprises
together (:data:`POOLED`). So does a section whose own estimate is unreliable
(:func:`unreliable_reasons`).

Warnings issued while estimating are recorded, never silenced: each fit keeps them
(:attr:`GroupFit.warnings`), and :attr:`EnterpriseEstimates.warnings` lists them all.

TFP scales
----------
* ``log_tfp``: value added minus the production-function terms, in logs. Its level depends on
  the sector's function, so it is compared within a sector only.
* ``tfp_sector_year``: ``log_tfp`` minus the mean of its sector and year.
* ``tfp_over_time``: ``log_tfp`` minus its sector's mean over all years, so that sectors can
  be added up while changes over time are kept.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TypeVar

import numpy as np
import pandas as pd

from helpers.errors import InputError
from helpers.tfp.estimation_messages import message_of
from helpers.tfp.production import ProductionResult, estimate

#: Production-function method used unless another is chosen.
DEFAULT_METHOD = "acf"
#: Sections with fewer enterprises use the production function of all enterprises pooled.
MIN_SECTOR_FIRMS = 30
#: Sections with fewer enterprises than this are unreliable on their own ("few enterprises"):
#: their enterprises take the pooled production function.
FEW_FIRMS = 100
#: Bootstrap replications (over whole enterprises): 199, so that the standard errors and a
#: 95 % interval mean something (with 20 the error of the error is about 16 %).
BOOTSTRAP_REPS = 199
#: Fewer replications than this give standard errors that mean little: refused.
MIN_BOOTSTRAP_REPS = 19
#: Seed of the bootstrap draws.
BOOTSTRAP_SEED = 2025
#: Methods estimated with year effects.
YEAR_EFFECT_METHODS = ("op", "lp", "acf")
#: Estimation group of all enterprises together.
POOLED = "pooled"
#: Column naming the enterprise.
ENTERPRISE = "tax_code"
#: Reasons for which a section's own estimate is not used (message keys ``ent.reason.*``).
UNRELIABLE_REASONS = ("few", "indistinct", "no_root", "implausible", "failed")
#: Sections counted as agriculture, industry and construction by Decree 80/2021/NĐ-CP.
INDUSTRY_SECTIONS = frozenset("ABCDEF")
#: Employee ceilings of small and medium enterprises (Decree 80/2021/NĐ-CP, article 5):
#: (industry and construction, trade and services); micro enterprises count as small.
SIZE_CEILINGS = {"small": (100, 50), "medium": (200, 100)}
SIZE_CLASSES = ("small", "medium", "large")

T = TypeVar("T")


def check_bootstrap_reps(reps: int) -> int:
    """Return ``reps`` if it is enough replications (:data:`MIN_BOOTSTRAP_REPS`), else raise.

    Examples
    --------
    >>> check_bootstrap_reps(199)
    199

    """
    if reps < MIN_BOOTSTRAP_REPS:
        raise ValueError(f"at least {MIN_BOOTSTRAP_REPS} replications")
    return reps


#: Warnings about a library's own future (its API), meant for developers, not for readers: they
#: are issued again after recording, to the usual channel, rather than shown in a report.
LIBRARY_NOTICES = (DeprecationWarning, PendingDeprecationWarning, FutureWarning)


def recording_warnings(
    compute: Callable[[], T],
) -> tuple[T | None, tuple[str, ...], InputError | None]:
    """Run ``compute`` and keep every warning it issues (each distinct message once, in order).

    Library notices (:data:`LIBRARY_NOTICES`) are issued again as they were, not kept.

    Returns
    -------
    tuple
        The result (None when ``compute`` raised an :class:`InputError`), the warning messages
        recorded, and the error (None when there was none). Other exceptions propagate.

    """
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            result, error = compute(), None
        except InputError as raised:
            result, error = None, raised
    kept = []
    for item in caught:
        if issubclass(item.category, LIBRARY_NOTICES):
            warnings.warn_explicit(item.message, item.category, item.filename, item.lineno)
        else:
            kept.append(message_of(item.message))
    return result, distinct_messages(kept), error


def distinct_messages(messages: Iterable[str]) -> tuple[str, ...]:
    """Each message once, in the order first seen.

    Examples
    --------
    >>> distinct_messages(["a", "b", "a"])
    ('a', 'b')

    """
    return tuple(dict.fromkeys(messages))


def size_class(labour: pd.Series, section: pd.Series) -> pd.Series:
    """Small, medium or large by employees (Decree 80/2021/NĐ-CP; micro counted as small).

    Examples
    --------
    >>> size_class(pd.Series([60.0, 60.0, 250.0]), pd.Series(["C", "I", "C"])).tolist()
    ['small', 'medium', 'large']

    """
    industry = section.isin(INDUSTRY_SECTIONS).to_numpy()
    small = np.where(industry, *SIZE_CEILINGS["small"])
    medium = np.where(industry, *SIZE_CEILINGS["medium"])
    values = labour.to_numpy(dtype=float)
    classes = np.where(values <= small, "small", np.where(values <= medium, "medium", "large"))
    return pd.Series(classes, index=labour.index)


def panel_up_to(panel: pd.DataFrame | None, year: int) -> pd.DataFrame | None:
    """The panel's rows up to ``year`` (its attributes kept), or None when there are none."""
    if panel is None:
        return None
    shown = panel[panel["year"] <= year].reset_index(drop=True)
    shown.attrs = dict(panel.attrs)
    return shown if len(shown) else None


@dataclass(frozen=True)
class GroupFit:
    """The production function of one estimation group.

    Attributes
    ----------
    group : str
        A VSIC section, or :data:`POOLED` for all enterprises together.
    sections : tuple of str
        Sections whose TFP comes from this function.
    result : ProductionResult or None
        The estimate (None when it failed).
    problem : str
        Why the group could not be estimated on its own ("" when it was).
    fallback : tuple of str
        Why the group's own estimate is not used (codes of :data:`UNRELIABLE_REASONS`; empty
        when it is used). The section's enterprises then take the pooled function.
    warnings : tuple of str
        Every warning issued while estimating the group (the estimator's own, in
        ``result.warnings``, and any other), each message once.

    """

    group: str
    sections: tuple[str, ...]
    result: ProductionResult | None
    problem: str = ""
    fallback: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()


def unreliable_reasons(
    result: ProductionResult | None, few_firms: int = FEW_FIRMS
) -> tuple[str, ...]:
    """Why a section's own production function should not be used (empty: it is reliable).

    ``few``: fewer than ``few_firms`` enterprises; ``indistinct``: two exact roots that
    the ACF rule cannot tell apart; ``no_root``: the search did not converge; ``implausible``:
    an elasticity outside (0, 1); ``failed``: no estimate at all.
    """
    if result is None:
        return ("failed",)
    reasons = []
    if result.n_firms < few_firms:
        reasons.append("few")
    if result.indistinct_roots:
        reasons.append("indistinct")
    if not result.converged:
        reasons.append("no_root")
    if not all(0 < value < 1 for value in result.elasticities.values()):
        reasons.append("implausible")
    return tuple(reasons)


@dataclass(frozen=True)
class EnterpriseEstimates:
    """TFP of every enterprise-year and the production functions behind it."""

    method: str
    firms: pd.DataFrame
    fits: tuple[GroupFit, ...]
    truth: dict | None
    first_year: int
    last_year: int

    @property
    def warnings(self) -> tuple[tuple[str, str], ...]:
        """Every warning of the estimation: (group, message) pairs, in the order of the fits."""
        return tuple((fit.group, message) for fit in self.fits for message in fit.warnings)


@dataclass(frozen=True)
class EstimationSettings:
    """How the production functions are estimated (everything besides the panel)."""

    method: str = DEFAULT_METHOD
    reps: int = BOOTSTRAP_REPS
    seed: int = BOOTSTRAP_SEED
    min_sector_firms: int = MIN_SECTOR_FIRMS
    few_firms: int = FEW_FIRMS


def _fit(frame: pd.DataFrame, settings: EstimationSettings, pooled: bool = False):
    """Estimate one group's production function, recording the warnings."""
    method = settings.method
    proxy = {"ols": None, "fe": None, "op": "investment"}.get(method, "materials")
    return recording_warnings(
        lambda: estimate(
            frame,
            method=method,
            output="value_added",
            free="labour",
            state="capital",
            proxy=proxy,
            id=ENTERPRISE,
            time="year",
            take_logs=True,
            year_effects=method in YEAR_EFFECT_METHODS,
            # Pooled: one function, each sector with its own productivity path.
            group_effects="vsic_section" if pooled and method in YEAR_EFFECT_METHODS else None,
            reps=settings.reps,
            seed=settings.seed,
            workers=None,  # the draws do not depend on the number of processes
        )
    )


def _sector_fits(
    panel: pd.DataFrame, settings: EstimationSettings
) -> tuple[list[GroupFit], pd.Series]:
    """Fit each large enough section; return the fits and the log TFP found so far."""
    log_tfp = pd.Series(np.nan, index=panel.index)
    fits: list[GroupFit] = []
    firms = panel.groupby("vsic_section")[ENTERPRISE].nunique()
    for section in sorted(firms.index):
        if firms[section] < settings.min_sector_firms:
            continue
        rows = panel[panel["vsic_section"] == section]
        result, messages, error = _fit(rows, settings)
        if result is None:
            assert isinstance(error, InputError)
            problem = error.problems[0].message
            fits.append(GroupFit(section, (section,), None, problem, ("failed",), messages))
            continue
        reasons = unreliable_reasons(result, settings.few_firms)
        fits.append(GroupFit(section, (section,), result, fallback=reasons, warnings=messages))
        if not reasons:
            log_tfp.loc[rows.index] = result.tfp.to_numpy()
    return fits, log_tfp


def estimate_enterprise_tfp(
    panel: pd.DataFrame, settings: EstimationSettings | None = None
) -> EnterpriseEstimates:
    """TFP of every enterprise-year of ``panel``, with the production functions behind it.

    Parameters
    ----------
    panel : DataFrame
        The enterprise panel (``tax_code``, ``year``, ``vsic_section``, ``value_added``,
        ``labour``, ``capital``, ``materials``, ``investment``); ``attrs["truth"]`` holds the
        simulator's parameters of a sample panel.
    settings : EstimationSettings, optional
        Method, replications, seed and group sizes (the defaults of this module).

    Returns
    -------
    EnterpriseEstimates
        One row per enterprise-year in ``firms`` (``log_tfp``, ``tfp_sector_year``,
        ``tfp_over_time``, ``size_class``) and one :class:`GroupFit` per estimation group.

    Raises
    ------
    InputError
        When the pooled production function cannot be estimated.

    """
    settings = settings or EstimationSettings()
    fits, log_tfp = _sector_fits(panel, settings)
    left = sorted(set(panel.loc[log_tfp.isna(), "vsic_section"]))
    if left:
        pooled, messages, error = _fit(panel, settings, pooled=True)
        if error is not None:
            raise error
        assert pooled is not None
        fits.append(GroupFit(POOLED, tuple(left), pooled, warnings=messages))
        missing = log_tfp.isna()
        log_tfp[missing] = pooled.tfp.to_numpy()[missing.to_numpy()]
    firms = panel[[ENTERPRISE, "year", "vsic_section", "value_added", "labour"]].copy()
    firms["log_tfp"] = log_tfp
    by_sector_year = firms.groupby(["vsic_section", "year"])["log_tfp"].transform("mean")
    by_sector = firms.groupby("vsic_section")["log_tfp"].transform("mean")
    firms["tfp_sector_year"] = firms["log_tfp"] - by_sector_year
    firms["tfp_over_time"] = firms["log_tfp"] - by_sector
    firms["size_class"] = size_class(firms["labour"], firms["vsic_section"])
    return EnterpriseEstimates(
        method=settings.method,
        firms=firms,
        fits=tuple(fits),
        truth=panel.attrs.get("truth"),
        first_year=int(firms["year"].min()),
        last_year=int(firms["year"].max()),
    )
