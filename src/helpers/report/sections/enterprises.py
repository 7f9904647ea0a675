"""Blocks of the enterprise productivity section (TFP of enterprises, issue 5).

TFP by sector, its spread, aggregate productivity, the effect of support, pilot models, the
province's TFP criteria score, and an enterprise table for the internal edition only.

Everything is computed once per process for the same inputs and report year
(:meth:`ReportContext.cached`: both languages of a report share the estimates) from the
enterprise panel (:func:`helpers.inputs.enterprise_panel.load_enterprise_panel`), up to the report
year. Each block takes the context and returns HTML; without a panel it returns a plain notice.

Estimation method
-----------------
Production functions are estimated per VSIC section with :data:`DEFAULT_METHOD`
(Ackerberg–Caves–Frazer): value added on labour (free input) and capital (state input),
materials as the proxy (investment for Olley–Pakes), in logs, with a bootstrap over whole
enterprises (:data:`BOOTSTRAP_REPS` replications, seeded), and year effects in the first
stage and the law of motion (a sector's common productivity path is not taken for the firms'
own productivity). A notebook may choose another method before the first block runs:
``set_method(ctx, "lp")``. Sections with fewer than :data:`MIN_SECTOR_FIRMS` enterprises get
the production function estimated on all enterprises together (marked "pooled" in the
diagnostics). So does a section whose own estimate is unreliable (:func:`unreliable_reasons`:
fewer than :data:`FEW_FIRMS` enterprises, two roots the rule cannot tell apart, no exact
root, an elasticity outside (0, 1)); its row in the diagnostics says why, in words, instead of
printing the coefficient.

TFP scales
----------
* ``log_tfp``: value added minus the production-function terms, in logs. Its level depends on
  the sector's function, so it is compared within a sector only.
* ``tfp_sector_year``: ``log_tfp`` minus the mean of its sector and year (dispersion, pilot
  models, the internal table).
* ``tfp_over_time``: ``log_tfp`` minus its sector's mean over all years, so that sectors can
  be added up while changes over time are kept (aggregate productivity and its growth).

Disclosure control (public edition)
-----------------------------------
Every figure built from the panel goes through :mod:`helpers.tfp.disclosure`: means and
aggregates need at least 3 enterprises; output-weighted aggregates also pass the 85 %
dominance rule on value added; a suppressed mean in a table with a total gets a second
suppressed cell. Percentiles need :data:`MIN_PERCENTILE_COUNT` enterprises, since a
percentile of very few enterprises is close to one enterprise's own value. Suppressed cells
show the marker, explained by :func:`helpers.tfp.disclosure.suppression_footnote`. Tax codes and
names appear only in the internal edition (:func:`internal_block`).
"""

from __future__ import annotations

import functools
import os
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from IPython.display import HTML

from helpers import i18n
from helpers.errors import InputError
from helpers.inputs.enterprise_panel import load_enterprise_panel
from helpers.inputs.params import BOOTSTRAP_REPS_ENV
from helpers.programme.indicators import cumulative_in_phase
from helpers.programme.tfp_objective import load_published_shares
from helpers.report import charts
from helpers.report.blocks import escape, show_figure, show_table
from helpers.report.context import ReportContext, resolve
from helpers.tfp import disclosure
from helpers.tfp.criteria import (
    Scorecard,
    load_criteria,
    published_tfp_share_values,
    score_enterprises,
    score_province,
)
from helpers.tfp.enterprise_productivity import olley_pakes_by_group, tfp_growth
from helpers.tfp.production import METHODS, ProductionResult, estimate
from helpers.tfp.support_effect import SupportEffect, estimate_support_effect

#: Production-function method of the section (see :func:`set_method`).
DEFAULT_METHOD = "acf"
#: Sections with fewer enterprises use the production function of all enterprises pooled.
MIN_SECTOR_FIRMS = 30
#: Sections with fewer enterprises than this are unreliable on their own ("few enterprises"):
#: their enterprises take the pooled production function.
FEW_FIRMS = 100
#: Bootstrap replications (over whole enterprises) and their seed: 199, so that the standard
#: errors and a 95 % interval mean something (with 20 the error of the error is about 16 %).
BOOTSTRAP_REPS = 199
#: Fewer replications than this give standard errors that mean little: refused.
MIN_BOOTSTRAP_REPS = 19


def bootstrap_reps() -> int:
    """Replications of the block bootstrap (the build's parameter; default 199)."""
    value = os.environ.get(BOOTSTRAP_REPS_ENV, "")
    if not value:
        return BOOTSTRAP_REPS
    reps = int(value)
    if reps < MIN_BOOTSTRAP_REPS:
        raise ValueError(f"{BOOTSTRAP_REPS_ENV}={reps}: at least {MIN_BOOTSTRAP_REPS} replications")
    return reps


BOOTSTRAP_SEED = 2025
#: Percentiles need this many enterprises in a cell (stricter than the count rule of 3).
MIN_PERCENTILE_COUNT = 10
#: Event window of the study of support: leads -3..-2, lags 0..3 (later years binned).
LEADS, LAGS = 3, 3
#: Enterprises listed at the top and at the bottom of the internal table.
INTERNAL_TOP = 10
#: Sections counted as agriculture, industry and construction by Decree 80/2021/NĐ-CP.
INDUSTRY_SECTIONS = frozenset("ABCDEF")
#: Employee ceilings of small and medium enterprises (Decree 80/2021/NĐ-CP, article 5):
#: (industry and construction, trade and services); micro enterprises count as small.
SIZE_CEILINGS = {"small": (100, 50), "medium": (200, 100)}
SIZE_CLASSES = ("small", "medium", "large")
#: Standards that lead to a certificate (counted for the enterprise criterion DN5).
CERTIFIABLE = frozenset(
    {
        "ISO 9001",
        "ISO 14001",
        "ISO 22000",
        "ISO 45001",
        "ISO 50001",
        "HACCP",
        "GMP",
        "VietGAP",
        "GlobalGAP",
    }
)
POOLED = "pooled"
#: Attribute of the report context that holds the method chosen by :func:`set_method`.
METHOD_ATTRIBUTE = "enterprise_method"
ENTERPRISE = "tax_code"


# ----------------------------------------------------------------------------------------
# Inputs
# ----------------------------------------------------------------------------------------


def set_method(ctx: ReportContext, method: str) -> None:
    """Choose the production-function method of the section (before the first block).

    Parameters
    ----------
    ctx : ReportContext
        The report context.
    method : {"ols", "fe", "op", "lp", "acf", "wrdg", "wrdg-gmm"}
        Method of :func:`helpers.tfp.production.estimate`.

    """
    method = str(method).strip().lower()
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}; choose one of {', '.join(METHODS)}")
    setattr(ctx, METHOD_ATTRIBUTE, method)


def criteria_path(ctx: ReportContext) -> Path | None:
    """The plan's TFP criteria file, or None for the default set."""
    name = ctx.plan.plan.criteria_file
    return resolve(name) if name else None


def method_of(ctx: ReportContext) -> str:
    """The production-function method in use (:data:`DEFAULT_METHOD` unless set)."""
    return str(getattr(ctx, METHOD_ATTRIBUTE, DEFAULT_METHOD))


def load_panel(ctx: ReportContext) -> pd.DataFrame | None:
    """The enterprise panel up to the report year (None when there is none)."""

    def load() -> pd.DataFrame | None:
        panel = ctx.panel if ctx.panel is not None else load_enterprise_panel(ctx.data_dir)
        if panel is None:
            return None
        shown = panel[panel["year"] <= ctx.year].reset_index(drop=True)
        shown.attrs = dict(panel.attrs)
        return shown if len(shown) else None

    return ctx.cached(("enterprise", "panel"), load)


def needs_panel(block: Callable[[ReportContext], HTML]) -> Callable[[ReportContext], HTML]:
    """Show a plain "no enterprise panel" line instead of a block when there is no panel."""

    @functools.wraps(block)
    def guarded(ctx: ReportContext) -> HTML:
        if load_panel(ctx) is None:
            return HTML(f'<p class="notice">{escape(ctx.t("ent.no_panel"))}</p>')
        return block(ctx)

    return guarded


def register(ctx: ReportContext) -> pd.DataFrame:
    """Rows of the supported-enterprises register up to the report year."""
    frame = ctx.registers["supported_enterprises"]
    return frame[frame["year"] <= ctx.year]


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


# ----------------------------------------------------------------------------------------
# Estimation
# ----------------------------------------------------------------------------------------


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

    """

    group: str
    sections: tuple[str, ...]
    result: ProductionResult | None
    problem: str = ""
    fallback: tuple[str, ...] = ()


#: Reasons for which a section's own estimate is not used (message keys ``ent.reason.*``).
UNRELIABLE_REASONS = ("few", "indistinct", "no_root", "implausible", "failed")


def unreliable_reasons(result: ProductionResult | None) -> tuple[str, ...]:
    """Why a section's own production function should not be used (empty: it is reliable).

    ``few``: fewer than :data:`FEW_FIRMS` enterprises; ``indistinct``: two exact roots that
    the ACF rule cannot tell apart; ``no_root``: the search did not converge; ``implausible``:
    an elasticity outside (0, 1); ``failed``: no estimate at all.
    """
    if result is None:
        return ("failed",)
    reasons = []
    if result.n_firms < FEW_FIRMS:
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


#: Methods estimated with year effects in the section.
YEAR_EFFECT_METHODS = ("op", "lp", "acf")


def _fit(frame: pd.DataFrame, method: str, pooled: bool = False) -> ProductionResult:
    proxy = {"ols": None, "fe": None, "op": "investment"}.get(method, "materials")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the result keeps every warning in .warnings
        return estimate(
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
            reps=bootstrap_reps(),
            seed=BOOTSTRAP_SEED,
            workers=None,  # the draws do not depend on the number of processes
        )


def _sector_fits(panel: pd.DataFrame, method: str) -> tuple[list[GroupFit], pd.Series]:
    """Fit each large enough section; return the fits and the log TFP found so far."""
    log_tfp = pd.Series(np.nan, index=panel.index)
    fits: list[GroupFit] = []
    firms = panel.groupby("vsic_section")[ENTERPRISE].nunique()
    for section in sorted(firms.index):
        if firms[section] < MIN_SECTOR_FIRMS:
            continue
        rows = panel[panel["vsic_section"] == section]
        try:
            result = _fit(rows, method)
        except InputError as error:
            fits.append(GroupFit(section, (section,), None, error.problems[0].message, ("failed",)))
            continue
        reasons = unreliable_reasons(result)
        fits.append(GroupFit(section, (section,), result, fallback=reasons))
        if not reasons:
            log_tfp.loc[rows.index] = result.tfp.to_numpy()
    return fits, log_tfp


def _estimate(ctx: ReportContext) -> EnterpriseEstimates:
    panel = load_panel(ctx)
    assert panel is not None
    method = method_of(ctx)
    fits, log_tfp = _sector_fits(panel, method)
    left = sorted(set(panel.loc[log_tfp.isna(), "vsic_section"]))
    if left:
        pooled = _fit(panel, method, pooled=True)
        fits.append(GroupFit(POOLED, tuple(left), pooled))
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
        method=method,
        firms=firms,
        fits=tuple(fits),
        truth=panel.attrs.get("truth"),
        first_year=int(firms["year"].min()),
        last_year=int(firms["year"].max()),
    )


def estimation_key(ctx: ReportContext) -> tuple:
    """Everything the estimates depend on besides the input files and the report year."""
    return (method_of(ctx), MIN_SECTOR_FIRMS, bootstrap_reps(), BOOTSTRAP_SEED)


def estimates(ctx: ReportContext) -> EnterpriseEstimates:
    """TFP of every enterprise-year (computed once per process for these inputs)."""
    return ctx.cached(
        ("enterprise", "estimates", *estimation_key(ctx)),
        lambda: _estimate(ctx),
        persist=True,
        label="enterprise production functions",
        inputs=("enterprise_panel",),  # the panel alone: registers and plan do not enter
    )


# ----------------------------------------------------------------------------------------
# Formatting helpers
# ----------------------------------------------------------------------------------------


def _keep_marker(format_value: Callable[[float], str]) -> Callable[[object], str]:
    """Format numbers, pass the suppression marker (and other text) through."""

    def formatted(value: object) -> str:
        if isinstance(value, str):
            return value
        return format_value(value)  # type: ignore[arg-type]

    return formatted


def _number(ctx: ReportContext, decimals: int = 0) -> Callable[[object], str]:
    return _keep_marker(lambda v: i18n.format_number(v, ctx.lang, decimals))


def _percent(ctx: ReportContext, decimals: int = 1) -> Callable[[object], str]:
    return _keep_marker(lambda v: i18n.format_percent(v, ctx.lang, decimals))


def signed_percent(fraction: float, lang: str, decimals: int = 1) -> str:
    """Format a change as a percentage with its sign (``+8,3 %``, ``-2,0 %``).

    Examples
    --------
    >>> signed_percent(0.083, "vi"), signed_percent(-0.02, "en")
    ('+8,3 %', '-2.0%')

    """
    text = i18n.format_percent(fraction, lang, decimals)
    return f"+{text}" if fraction > 0 and text[0].isdigit() else text


def _log_percent(ctx: ReportContext, decimals: int = 1) -> Callable[[object], str]:
    """Format log points as the proportional change ``exp(x) - 1``, with its sign."""
    return _keep_marker(lambda v: signed_percent(float(np.expm1(v)), ctx.lang, decimals))


def sector_label(section: str, ctx: ReportContext) -> str:
    """Label a VSIC section as "C – Manufacturing" (margins: "All sectors")."""
    if section == disclosure.TOTAL_LABEL:
        return ctx.t("ent.all_sectors")
    if section == POOLED:
        return ctx.t("ent.pooled")
    return f"{section} – {ctx.t('ent.vsic.' + section)}"


def _source(ctx: ReportContext) -> str:
    panel = load_panel(ctx)
    key = "ent.source_sample" if panel is not None and panel.attrs.get("truth") else "ent.source"
    return ctx.t(key, method=ctx.t("ent.method." + method_of(ctx)))


def _footnote(ctx: ReportContext) -> str:
    return f'<p class="source">{escape(disclosure.suppression_footnote(ctx.lang))}</p>'


def _with_footnote(ctx: ReportContext, *parts: HTML) -> HTML:
    return HTML("".join(part.data for part in parts) + _footnote(ctx))


# ----------------------------------------------------------------------------------------
# Headline and diagnostics
# ----------------------------------------------------------------------------------------


#: Marks the chapter of an annex on simulated data (the report moves it to the end).
SIMULATED_ANNEX = 'data-annex="simulated"'


def chapter_heading(ctx: ReportContext) -> HTML:
    """The chapter's heading: an annex titled as simulated data while the panel is simulated.

    Its ``data-mark`` text is printed at the top of every page of the chapter in the PDF.
    """
    panel = load_panel(ctx)
    if panel is not None and panel.attrs.get("truth"):
        title, mark = ctx.t("ent.annex_title"), ctx.t("ent.annex_mark")
        return HTML(
            f'<h2 id="enterprise-annex" class="simulated" {SIMULATED_ANNEX} '
            f'data-mark="{escape(mark)}">{escape(title)}</h2>'
        )
    return HTML(f'<h2 id="enterprises">{escape(ctx.t("section.enterprises"))}</h2>')


@needs_panel
def headline(ctx: ReportContext) -> HTML:
    """One paragraph: the panel's size and years, and the method."""
    result = estimates(ctx)
    firms = result.firms
    text = ctx.t(
        "ent.headline",
        enterprises=i18n.format_number(firms[ENTERPRISE].nunique(), ctx.lang),
        rows=i18n.format_number(len(firms), ctx.lang),
        start=result.first_year,
        end=result.last_year,
        sectors=firms["vsic_section"].nunique(),
        method=ctx.t("ent.method." + result.method),
    )
    parts = [f'<p class="lead">{escape(text)}</p>']
    if result.truth:
        parts.append(f'<p class="notice">{escape(ctx.t("ent.sample_notice"))}</p>')
    if result.last_year < ctx.year:
        notice = ctx.t("ent.panel_ends", year=ctx.year, last=result.last_year)
        parts.append(f'<p class="notice">{escape(notice)}</p>')
    return HTML("".join(parts))


def diagnostics_frame(ctx: ReportContext) -> pd.DataFrame:
    """One row per estimation group: coefficients, bootstrap errors, convergence, counts.

    Groups that break the disclosure rule (fewer than 3 enterprises, or one enterprise above
    85 % of the group's value added) are marked ``suppressed``. A section whose own estimate
    is not used (``fallback``: the reasons) has no coefficients; they are kept in
    ``own_labour`` and ``own_capital``. ``small_sections``: sections of the pooled row that
    have no row of their own (too few enterprises to try).
    """
    result = estimates(ctx)
    firms = result.firms
    own_rows = {fit.group for fit in result.fits}
    rows = []
    for fit in result.fits:
        members = firms if fit.group == POOLED else firms[firms["vsic_section"] == fit.group]
        protection = disclosure.cell_statistics(
            members.assign(_cell=0), "_cell", ENTERPRISE, "value_added"
        )
        reason = disclosure.primary_reason(protection["n_enterprises"], protection["max_share"])
        fitted = fit.result
        own = fitted.coefficients if fitted else {}
        coef = {} if fit.fallback else own
        errors = (fitted.std_errors or {}) if fitted and not fit.fallback else {}
        rows.append(
            {
                "group": fit.group,
                "sections": fit.sections,
                "small_sections": tuple(s for s in fit.sections if s not in own_rows),
                "labour": coef.get("labour", np.nan),
                "labour_se": errors.get("labour", np.nan),
                "capital": coef.get("capital", np.nan),
                "capital_se": errors.get("capital", np.nan),
                "converged": bool(fitted.converged) if fitted else False,
                "criterion": fitted.criterion if fitted else np.nan,
                "roots": len(fitted.roots) if fitted else 0,
                "n_firms": fitted.n_firms if fitted else members[ENTERPRISE].nunique(),
                "n_obs": fitted.n_obs if fitted else len(members),
                "reps_used": fitted.reps_used if fitted else 0,
                "problem": fit.problem,
                "fallback": fit.fallback,
                "own_labour": own.get("labour", np.nan),
                "own_capital": own.get("capital", np.nan),
                "suppressed": bool(reason.iloc[0] != disclosure.REASON_NONE),
            }
        )
    return pd.DataFrame(rows)


def _group_note(row: pd.Series, ctx: ReportContext) -> str:
    notes = []
    if row["group"] == POOLED:
        if row["small_sections"]:
            notes.append(ctx.t("ent.note_pooled", sections=", ".join(row["small_sections"])))
        replaced = [s for s in row["sections"] if s not in row["small_sections"]]
        if replaced:
            notes.append(ctx.t("ent.note_pooled_fallback", sections=", ".join(replaced)))
    elif row["fallback"] and not row["problem"]:
        reasons = ", ".join(ctx.t("ent.reason." + code, n=FEW_FIRMS) for code in row["fallback"])
        notes.append(ctx.t("ent.note_fallback", reasons=reasons))
    if row["problem"]:
        notes.append(ctx.t("ent.note_failed"))
    elif not row["converged"]:
        notes.append(ctx.t("ent.note_no_root"))
    return "; ".join(notes)


def _scientific(value: float, lang: str) -> str:
    """A small number in scientific notation with the language's decimal mark."""
    if np.isnan(value):
        return i18n.MISSING
    text = f"{value:.1e}"
    return text.replace(".", ",") if lang == "vi" else text


def _true_coefficients(ctx: ReportContext, group: str) -> str:
    truth = estimates(ctx).truth
    if not truth or group not in truth["sectors"]:
        return i18n.MISSING
    sector = truth["sectors"][group]
    return (
        f"{i18n.format_number(sector['alpha_l'], ctx.lang, 2)} / "
        f"{i18n.format_number(sector['alpha_k'], ctx.lang, 2)}"
    )


@needs_panel
def diagnostics_table(ctx: ReportContext) -> HTML:
    """Production-function estimates per sector with the checks a reader needs."""
    frame = diagnostics_frame(ctx)
    result = estimates(ctx)
    lang = ctx.lang

    def with_error(value: float, error: float) -> str:
        if np.isnan(value):
            return i18n.MISSING
        return f"{i18n.format_number(value, lang, 3)} ({i18n.format_number(error, lang, 3)})"

    table = pd.DataFrame(
        {
            ctx.t("ent.col.sector"): [sector_label(g, ctx) for g in frame["group"]],
            ctx.t("ent.col.enterprises"): frame["n_firms"],
            ctx.t("ent.col.obs"): frame["n_obs"],
            ctx.t("ent.col.labour"): [
                with_error(v, e) for v, e in zip(frame["labour"], frame["labour_se"], strict=True)
            ],
            ctx.t("ent.col.capital"): [
                with_error(v, e) for v, e in zip(frame["capital"], frame["capital_se"], strict=True)
            ],
            ctx.t("ent.col.converged"): [
                ctx.t("ent.yes") if c else ctx.t("ent.no") for c in frame["converged"]
            ],
            ctx.t("ent.col.criterion"): [_scientific(c, lang) for c in frame["criterion"]],
            ctx.t("ent.col.roots"): frame["roots"],
            ctx.t("ent.col.note"): [_group_note(row, ctx) for _, row in frame.iterrows()],
        }
    )
    if result.truth:
        table.insert(
            5, ctx.t("ent.col.truth"), [_true_coefficients(ctx, g) for g in frame["group"]]
        )
    values = [c for c in table.columns if c != ctx.t("ent.col.sector")]
    published = disclosure.publish_table(
        table.assign(suppressed=frame["suppressed"]), ctx.t("ent.col.sector"), values
    )
    counts = {
        ctx.t("ent.col.enterprises"): _number(ctx),
        ctx.t("ent.col.obs"): _number(ctx),
        ctx.t("ent.col.roots"): _number(ctx),
    }
    caption = ctx.t(
        "ent.diagnostics_title",
        method=ctx.t("ent.method." + result.method),
        reps=bootstrap_reps(),
    )
    rendered = show_table(
        published,
        "enterprise-production-functions",
        ctx,
        caption=caption,
        source=_source(ctx),
        formatters=counts,
    )
    return _with_footnote(ctx, rendered)


# ----------------------------------------------------------------------------------------
# Distribution and dispersion
# ----------------------------------------------------------------------------------------


def latest_firms(ctx: ReportContext) -> pd.DataFrame:
    """Enterprises of the panel's last year up to the report year."""
    result = estimates(ctx)
    return result.firms[result.firms["year"] == result.last_year]


def _percentile_table(micro: pd.DataFrame, by: list[str], statistic: str) -> pd.DataFrame:
    return disclosure.suppress_statistic(
        micro,
        by,
        "tfp_sector_year",
        ENTERPRISE,
        statistic=statistic,
        margins=True,
        min_count=MIN_PERCENTILE_COUNT,
        source="enterprise panel",
    )


def dispersion_frame(ctx: ReportContext) -> pd.DataFrame:
    """p90/p10 ratio of TFP levels by sector and size class, with totals, in the last year.

    Returns
    -------
    DataFrame
        ``vsic_section``, ``size_class`` (``Total`` in the margins), ``n_enterprises``,
        ``p10``, ``p90``, ``ratio`` (``exp(p90 - p10)``) and ``suppressed`` (fewer than
        :data:`MIN_PERCENTILE_COUNT` enterprises).

    """
    micro = latest_firms(ctx)
    by = ["vsic_section", "size_class"]
    low = _percentile_table(micro, by, "p10")
    high = _percentile_table(micro, by, "p90")
    frame = low[[*by, "n_enterprises", "p10", "suppressed"]].merge(
        high[[*by, "p90"]], on=by, how="left"
    )
    frame["ratio"] = np.exp(frame["p90"] - frame["p10"])
    return frame


@needs_panel
def dispersion_block(ctx: ReportContext) -> HTML:
    """Spread of TFP within sectors (chart) and the p90/p10 ratio by sector and size (table)."""
    figure = _distribution_figure(ctx)
    frame = dispersion_frame(ctx)
    frame = frame[frame["n_enterprises"] > 0]
    cells = disclosure.publish_table(
        frame.assign(shown=_ratio_with_count(frame, ctx)), ["vsic_section", "size_class"], "shown"
    )
    wide = cells.pivot(index="vsic_section", columns="size_class", values="shown")
    order = [c for c in (*SIZE_CLASSES, disclosure.TOTAL_LABEL) if c in wide.columns]
    rows = sorted(r for r in wide.index if r != disclosure.TOTAL_LABEL)
    wide = wide.reindex(index=[*rows, disclosure.TOTAL_LABEL], columns=order).fillna(i18n.MISSING)
    table = pd.DataFrame({ctx.t("ent.col.sector"): [sector_label(s, ctx) for s in wide.index]})
    for column in order:
        label = ctx.t("ent.size." + column) if column in SIZE_CLASSES else ctx.t("ent.all_sizes")
        table[label] = wide[column].to_numpy()
    year = estimates(ctx).last_year
    rendered = show_table(
        table,
        "enterprise-tfp-dispersion",
        ctx,
        caption=ctx.t("ent.dispersion_title", year=year),
        source=_source(ctx),
    )
    note = ctx.t("ent.dispersion_note", n=MIN_PERCENTILE_COUNT)
    return HTML(figure.data + rendered.data + f'<p class="source">{escape(note)}</p>')


def _ratio_with_count(frame: pd.DataFrame, ctx: ReportContext) -> list[str]:
    return [
        f"{i18n.format_number(r, ctx.lang, 2)} ({i18n.format_number(n, ctx.lang)})"
        for r, n in zip(frame["ratio"], frame["n_enterprises"], strict=True)
    ]


def _quantiles_by_sector(ctx: ReportContext) -> pd.DataFrame:
    """Percentiles of TFP relative to the sector, per sector, with the percentile count rule."""
    micro = latest_firms(ctx)
    tables = {
        statistic: disclosure.suppress_statistic(
            micro,
            "vsic_section",
            "tfp_sector_year",
            ENTERPRISE,
            statistic=statistic,
            min_count=MIN_PERCENTILE_COUNT,
        ).set_index("vsic_section")
        for statistic in ("p10", "p25", "median", "p75", "p90")
    }
    frame = pd.concat([table[name] for name, table in tables.items()], axis=1)
    frame["suppressed"] = tables["median"]["suppressed"]  # same counts for every percentile
    return frame


def _distribution_figure(ctx: ReportContext) -> HTML:
    quantiles = _quantiles_by_sector(ctx).sort_index(ascending=False)
    charts.use_house_style()
    fig, ax = plt.subplots(figsize=(charts.FIGSIZE[0], 0.42 * len(quantiles) + 1.2))
    for y, row in enumerate(quantiles.to_dict("records")):
        if row["suppressed"]:
            ax.annotate(disclosure.SUPPRESSED_MARKER, (0, y), ha="center", va="center")
            continue
        ratio = [np.expm1(row[c]) for c in ("p10", "p25", "median", "p75", "p90")]
        ax.hlines(y, ratio[0], ratio[4], color=charts.PALETTE["muted"], lw=1.2)
        ax.add_patch(
            plt.Rectangle(
                (ratio[1], y - 0.25), ratio[3] - ratio[1], 0.5, color=charts.PALETTE["bar"]
            )
        )
        ax.vlines(ratio[2], y - 0.3, y + 0.3, color="black", lw=1.5)
    ax.axvline(0, color="black", lw=0.6)
    ax.set_yticks(range(len(quantiles)))
    ax.set_yticklabels([sector_label(s, ctx) for s in quantiles.index], fontsize=8)
    ax.xaxis.set_major_formatter(
        plt.FuncFormatter(lambda v, _p: i18n.format_percent(v, ctx.lang, 0))
    )
    ax.set_xlabel(ctx.t("ent.distribution_axis"))
    ax.grid(axis="y", visible=False)
    title = ctx.t("ent.distribution_title", year=estimates(ctx).last_year)
    ax.set_title(title)
    return show_figure(fig, "enterprise-tfp-distribution", ctx, alt=title, source=_source(ctx))


# ----------------------------------------------------------------------------------------
# Growth over the phase and aggregate productivity
# ----------------------------------------------------------------------------------------


def phase_years(ctx: ReportContext) -> tuple[int, int] | None:
    """Base year (the year before the phase) and last year of the phase in the panel."""
    result = estimates(ctx)
    base = max(ctx.phase.start - 1, result.first_year)
    end = min(ctx.phase.end, result.last_year)
    return (base, end) if end > base else None


def _weighted_protection(micro: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """Count and value-added dominance rule of output-weighted aggregates, per cell."""
    return disclosure.suppress_statistic(
        micro,
        by,
        "tfp_over_time",
        ENTERPRISE,
        weight="value_added",
        dominance_on="value_added",
        source="enterprise panel",
    )


def growth_frame(ctx: ReportContext) -> pd.DataFrame:
    """TFP growth over the phase by sector and for all sectors (annual rates).

    Returns
    -------
    DataFrame
        ``vsic_section`` (``Total`` for all sectors), ``n_enterprises`` (last year),
        ``aggregate`` and ``unweighted`` (average yearly growth of the output-weighted and of
        the plain mean of TFP) and ``suppressed`` (either year breaks the disclosure rule).

    """
    years = phase_years(ctx)
    if years is None:
        return pd.DataFrame()
    base, end = years
    firms = estimates(ctx).firms
    micro = firms[firms["year"].isin([base, end])]
    sectors = _growth_rows(micro, "vsic_section", base, end)
    total = _growth_rows(micro.assign(scope=disclosure.TOTAL_LABEL), "scope", base, end)
    return pd.concat([sectors, total.rename(columns={"scope": "vsic_section"})], ignore_index=True)


def _growth_rows(micro: pd.DataFrame, by: str, base: int, end: int) -> pd.DataFrame:
    decomposition = olley_pakes_by_group(
        micro, by=by, log_tfp="tfp_over_time", output="value_added"
    )
    rows = []
    for column in ("aggregate", "unweighted_mean"):
        growth = tfp_growth(decomposition, base, end, by=by, log_tfp=column)
        rows.append(growth.set_index(by)["annual_growth"].rename(column))
    frame = pd.concat(rows, axis=1)
    protection = _weighted_protection(micro, [by, "year"])
    blocked = protection.groupby(by)["suppressed"].any()
    counts = protection[protection["year"] == end].set_index(by)["n_enterprises"]
    frame["suppressed"] = blocked.reindex(frame.index).fillna(True)
    frame["n_enterprises"] = counts.reindex(frame.index).fillna(0).astype(int)
    return frame.rename(columns={"unweighted_mean": "unweighted"}).reset_index()


def olley_pakes_frame(ctx: ReportContext) -> pd.DataFrame:
    """Aggregate TFP of all enterprises per year and its Olley–Pakes decomposition.

    Returns
    -------
    DataFrame
        ``year``, ``aggregate`` (output-weighted mean of ``tfp_over_time``),
        ``unweighted_mean``, ``covariance`` (``aggregate = unweighted_mean + covariance``),
        ``n_firms`` and ``suppressed`` (count or value-added dominance rule).

    """
    firms = estimates(ctx).firms
    decomposition = olley_pakes_by_group(firms, log_tfp="tfp_over_time", output="value_added")
    protection = _weighted_protection(firms, ["year"]).set_index("year")["suppressed"]
    decomposition["suppressed"] = decomposition["year"].map(protection).astype(bool)
    return decomposition.drop(columns=["max_share"])


@needs_panel
def aggregate_block(ctx: ReportContext) -> HTML:
    """Aggregate TFP over time: the output-weighted mean, the plain mean and the covariance."""
    frame = olley_pakes_frame(ctx)
    shown = frame[~frame["suppressed"]]
    charts.use_house_style()
    fig, ax = plt.subplots(figsize=charts.FIGSIZE)
    ax.bar(
        shown["year"],
        shown["covariance"],
        color=charts.PALETTE["band"],
        edgecolor=charts.PALETTE["muted"],
        label=ctx.t("ent.op.covariance"),
    )
    ax.plot(
        shown["year"],
        shown["aggregate"],
        marker="o",
        color=charts.PALETTE["actual"],
        lw=2,
        label=ctx.t("ent.op.aggregate"),
    )
    ax.plot(
        shown["year"],
        shown["unweighted_mean"],
        marker="s",
        ls="--",
        color=charts.PALETTE["required"],
        label=ctx.t("ent.op.mean"),
    )
    ax.axhline(0, color="black", lw=0.6)
    charts.number_axis(ax, ctx.lang, decimals=2)
    ax.xaxis.set_major_locator(plt.MaxNLocator(integer=True))
    ax.set_ylabel(ctx.t("ent.op.axis"))
    title = ctx.t("ent.op.title")
    ax.set_title(title)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.1), frameon=False, fontsize=8, ncol=3)
    figure = show_figure(fig, "enterprise-aggregate-tfp", ctx, alt=title, source=_source(ctx))
    published = disclosure.publish_table(
        frame, "year", ["aggregate", "unweighted_mean", "covariance", "n_firms"]
    )
    table = pd.DataFrame(
        {
            ctx.t("col.year"): published["year"].astype(int).astype(str),
            ctx.t("ent.op.aggregate"): published["aggregate"],
            ctx.t("ent.op.mean"): published["unweighted_mean"],
            ctx.t("ent.op.covariance"): published["covariance"],
            ctx.t("ent.col.enterprises"): published["n_firms"],
        }
    )
    formatters = {c: _number(ctx, 3) for c in table.columns[1:4]}
    formatters[ctx.t("ent.col.enterprises")] = _number(ctx)
    reading = f"<p>{escape(aggregate_reading(ctx))}</p>"
    rendered = show_table(
        table,
        "enterprise-aggregate-tfp",
        ctx,
        caption=title,
        source=_source(ctx),
        formatters=formatters,
    )
    return _with_footnote(ctx, HTML(reading), figure, rendered)


def aggregate_reading(ctx: ReportContext) -> str:
    """Read the Olley–Pakes terms off the numbers: how the mean and the covariance moved.

    A covariance that falls is read as falling (output moving less towards the more productive
    enterprises), one that rises as rising; the direction is never assumed.
    """
    frame = olley_pakes_frame(ctx)
    shown = frame[~frame["suppressed"]].sort_values("year")
    if len(shown) < 2:
        return ""
    first, last = shown.iloc[0], shown.iloc[-1]

    def direction(start: float, end: float) -> str:
        if abs(end - start) < 0.005:  # under half a log point: read as flat
            return "flat"
        return "up" if end > start else "down"

    values = {
        "start": int(first["year"]),
        "end": int(last["year"]),
        "cov_start": i18n.format_number(first["covariance"], ctx.lang, 3),
        "cov_end": i18n.format_number(last["covariance"], ctx.lang, 3),
        "mean_start": i18n.format_number(first["unweighted_mean"], ctx.lang, 3),
        "mean_end": i18n.format_number(last["unweighted_mean"], ctx.lang, 3),
    }
    mean = ctx.t(
        "ent.op.reading_mean_" + direction(first["unweighted_mean"], last["unweighted_mean"]),
        **values,
    )
    covariance = ctx.t(
        "ent.op.reading_cov_" + direction(first["covariance"], last["covariance"]), **values
    )
    return f"{mean} {covariance}"


@needs_panel
def growth_table(ctx: ReportContext) -> HTML:
    """Average yearly TFP growth over the phase, by sector and for all sectors."""
    years = phase_years(ctx)
    if years is None:
        return HTML(f'<p class="notice">{escape(ctx.t("ent.no_phase_years"))}</p>')
    frame = growth_frame(ctx)
    published = disclosure.publish_table(
        frame, "vsic_section", ["n_enterprises", "aggregate", "unweighted"]
    )
    table = pd.DataFrame(
        {
            ctx.t("ent.col.sector"): [sector_label(s, ctx) for s in published["vsic_section"]],
            ctx.t("ent.col.enterprises"): published["n_enterprises"],
            ctx.t("ent.growth.aggregate"): published["aggregate"],
            ctx.t("ent.growth.mean"): published["unweighted"],
        }
    )
    formatters = {
        ctx.t("ent.col.enterprises"): _number(ctx),
        ctx.t("ent.growth.aggregate"): _percent(ctx),
        ctx.t("ent.growth.mean"): _percent(ctx),
    }
    base, end = years
    rendered = show_table(
        table,
        "enterprise-tfp-growth",
        ctx,
        caption=ctx.t("ent.growth.title", base=base, end=end),
        source=_source(ctx),
        formatters=formatters,
    )
    return _with_footnote(ctx, rendered)


# ----------------------------------------------------------------------------------------
# Effect of support
# ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SupportStudy:
    """The event study of support and what was left out."""

    effect: SupportEffect | None
    n_single_untreated: int
    n_register_not_in_panel: int
    problem: str = ""


def support_panel(ctx: ReportContext) -> tuple[pd.DataFrame, int, int]:
    """Log TFP with each enterprise's first support year (register, up to the report year).

    Enterprises with exactly one year before their support (or one year in all, for those
    never supported) are left out: their level cannot be compared with a later year, and
    pyfixest's first stage drops such singletons.

    Returns
    -------
    tuple of (DataFrame, int, int)
        The panel (``tax_code``, ``enterprise_id`` (a whole number per enterprise), ``year``,
        ``log_tfp``, ``first_support_year``), the number
        of enterprises left out, and the number of register enterprises not in the panel.

    """
    firms = estimates(ctx).firms
    first = register(ctx).groupby("tax_code")["year"].min()
    frame = firms[[ENTERPRISE, "year", "log_tfp"]].copy()
    frame["first_support_year"] = frame[ENTERPRISE].map(first).astype(float)
    supported = frame["first_support_year"].notna() & (frame["year"] >= frame["first_support_year"])
    untreated_years = (~supported).groupby(frame[ENTERPRISE]).sum()
    single = untreated_years[untreated_years == 1].index
    kept = frame[~frame[ENTERPRISE].isin(single)].reset_index(drop=True)
    # whole-number ids: pyfixest's cluster loop compares ids, much faster on integers than text
    kept.insert(1, "enterprise_id", pd.factorize(kept[ENTERPRISE], sort=True)[0])
    missing = len(set(first.index) - set(firms[ENTERPRISE]))
    return kept, len(single), missing


def support_study(ctx: ReportContext) -> SupportStudy:
    """The staggered event study of log TFP around the first support year (cached)."""

    def compute() -> SupportStudy:
        frame, single, missing = support_panel(ctx)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                effect = estimate_support_effect(
                    frame, id_column="enterprise_id", leads=LEADS, lags=LAGS
                )
        except InputError as error:
            return SupportStudy(None, single, missing, error.problems[0].message)
        return SupportStudy(effect, single, missing)

    return ctx.cached(
        ("enterprise", "support", LEADS, LAGS, *estimation_key(ctx)),
        compute,
        persist=True,
        label="event study of support",
    )


def _event_frame(effect: SupportEffect) -> pd.DataFrame:
    """Event study rows with the count rule applied (fewer than 3 enterprises: suppressed)."""
    frame = effect.event_study.copy()
    reason = disclosure.primary_reason(frame["n_enterprises"], pd.Series(np.nan, index=frame.index))
    frame["suppressed"] = (reason != disclosure.REASON_NONE) & ~frame["reference"]
    return frame


def _att_suppressed(effect: SupportEffect) -> bool:
    att = effect.att.iloc[0]
    count = pd.Series([int(att["n_enterprises"])])
    reason = disclosure.primary_reason(count, pd.Series([np.nan]))
    return bool(reason.iloc[0] != disclosure.REASON_NONE)


def _event_figure(ctx: ReportContext, frame: pd.DataFrame) -> HTML:
    shown = frame[~frame["suppressed"]]
    estimated = shown[~shown["reference"]]
    charts.use_house_style()
    fig, ax = plt.subplots(figsize=charts.FIGSIZE)
    ax.axhline(0, color="black", lw=0.6)
    ax.axvline(-0.5, color=charts.PALETTE["muted"], lw=0.8, ls=":")
    truth = estimates(ctx).truth
    if truth:
        ax.hlines(
            truth["support_effect"],
            -0.4,
            LAGS + 0.3,
            color=charts.PALETTE["target"],
            ls="--",
            lw=1,
            label=ctx.t("ent.support.truth_line"),
        )
    ax.errorbar(
        estimated["event_time"],
        estimated["estimate"],
        yerr=[
            estimated["estimate"] - estimated["ci_lower"],
            estimated["ci_upper"] - estimated["estimate"],
        ],
        fmt="o",
        color=charts.PALETTE["actual"],
        capsize=3,
        label=ctx.t("ent.support.estimate_line"),
    )
    ax.plot([-1], [0], "o", mfc="white", color=charts.PALETTE["actual"])
    ticks = frame["event_time"].astype(int).tolist()
    ax.set_xticks(ticks)
    ax.set_xticklabels(
        [f"≥ {k}" if k == LAGS else str(k).replace("-", "−") for k in ticks], fontsize=8
    )
    ax.set_xlabel(ctx.t("ent.support.axis_x"))
    ax.set_ylabel(ctx.t("ent.support.axis_y"))
    ax.yaxis.set_major_locator(plt.MaxNLocator(steps=[1, 2, 5, 10]))
    charts.number_axis(ax, ctx.lang, decimals=2)
    title = ctx.t("ent.support.title")
    ax.set_title(title)
    ax.legend(loc="upper left", frameon=False, fontsize=8)
    return show_figure(fig, "enterprise-support-event-study", ctx, alt=title, source=_source(ctx))


def _event_table(ctx: ReportContext, frame: pd.DataFrame, effect: SupportEffect) -> HTML:
    rows = frame.assign(label=frame["event_time"].astype(int).astype(str))
    att = effect.att.iloc[0]
    overall = {
        "label": ctx.t("ent.support.overall"),
        "estimate": att["estimate"],
        "ci_lower": att["ci_lower"],
        "ci_upper": att["ci_upper"],
        "n_enterprises": int(att["n_enterprises"]),
        "reference": False,
        "suppressed": _att_suppressed(effect),
    }
    rows = pd.concat([rows, pd.DataFrame([overall])], ignore_index=True)
    rows.loc[rows["reference"], ["ci_lower", "ci_upper"]] = np.nan
    published = disclosure.publish_table(
        rows, "label", ["estimate", "ci_lower", "ci_upper", "n_enterprises"]
    )
    table = pd.DataFrame(
        {
            ctx.t("ent.support.col_event"): published["label"],
            ctx.t("ent.support.col_estimate"): published["estimate"],
            ctx.t("ent.support.col_change"): published["estimate"],
            ctx.t("ent.support.col_low"): published["ci_lower"],
            ctx.t("ent.support.col_high"): published["ci_upper"],
            ctx.t("ent.col.enterprises"): published["n_enterprises"],
        }
    )
    formatters = {
        ctx.t("ent.support.col_estimate"): _number(ctx, 3),
        ctx.t("ent.support.col_change"): _log_percent(ctx),
        ctx.t("ent.support.col_low"): _number(ctx, 3),
        ctx.t("ent.support.col_high"): _number(ctx, 3),
        ctx.t("ent.col.enterprises"): _number(ctx),
    }
    return show_table(
        table,
        "enterprise-support-event-study",
        ctx,
        caption=ctx.t("ent.support.table_title", level=round((1 - effect.alpha) * 100)),
        source=_source(ctx),
        formatters=formatters,
    )


def support_reading(ctx: ReportContext) -> str:
    """Plain-language reading of the effect of support, generated from the numbers."""
    study = support_study(ctx)
    effect = study.effect
    if effect is None:
        return ctx.t("ent.support.not_estimated", problem=study.problem)
    if _att_suppressed(effect):
        return ctx.t("ent.support.too_few")
    att = effect.att.iloc[0]
    low, high = float(att["ci_lower"]), float(att["ci_upper"])
    key = "positive" if low > 0 else "negative" if high < 0 else "unclear"
    change = float(np.expm1(att["estimate"]))
    values = {
        "effect": (
            signed_percent(change, ctx.lang)
            if key == "unclear"
            else i18n.format_percent(abs(change), ctx.lang)
        ),
        "low": signed_percent(float(np.expm1(low)), ctx.lang),
        "high": signed_percent(float(np.expm1(high)), ctx.lang),
        "level": round((1 - effect.alpha) * 100),
        "supported": i18n.format_number(effect.n_supported, ctx.lang),
        "control": i18n.format_number(effect.n_never_supported, ctx.lang),
    }
    truth = estimates(ctx).truth
    if truth:  # simulated data: the estimate checks the method, it is no programme result
        true_effect = float(truth["support_effect"])
        inside = low <= true_effect <= high
        values.update(
            truth=i18n.format_number(true_effect, ctx.lang, 2),
            percent=i18n.format_percent(float(np.expm1(true_effect)), ctx.lang),
            estimate=i18n.format_number(float(att["estimate"]), ctx.lang, 3),
            low_log=i18n.format_number(low, ctx.lang, 3),
            high_log=i18n.format_number(high, ctx.lang, 3),
        )
        key = "check_in" if inside else "check_out"
    sentences = [ctx.t("ent.support." + key, **values)]
    sentences.append(_pretrend_sentence(ctx, effect))
    left_out = effect.n_dropped_always_supported + study.n_single_untreated
    if left_out:
        sentences.append(ctx.t("ent.support.left_out", n=left_out))
    if study.n_register_not_in_panel:
        sentences.append(ctx.t("ent.support.not_in_panel", n=study.n_register_not_in_panel))
    return " ".join(sentences)


def _pretrend_sentence(ctx: ReportContext, effect: SupportEffect) -> str:
    leads = effect.event_study[
        (effect.event_study["event_time"] < -1) & ~effect.event_study["reference"]
    ]
    apart = leads[(leads["ci_lower"] > 0) | (leads["ci_upper"] < 0)]
    if leads.empty:
        return ctx.t("ent.support.no_leads")
    if apart.empty:
        return ctx.t("ent.support.pretrend_ok", years=LEADS)
    years = ", ".join(str(int(k)).replace("-", "−") for k in apart["event_time"])
    return ctx.t("ent.support.pretrend_warn", years=years)


@needs_panel
def support_block(ctx: ReportContext) -> HTML:
    """Event study of log TFP around the first support year: chart, table and reading."""
    study = support_study(ctx)
    reading = f'<p class="lead">{escape(support_reading(ctx))}</p>'
    if study.effect is None or _att_suppressed(study.effect):
        return HTML(reading)
    frame = _event_frame(study.effect)
    figure = _event_figure(ctx, frame)
    table = _event_table(ctx, frame, study.effect)
    return HTML(reading + figure.data + table.data + _footnote(ctx))


# ----------------------------------------------------------------------------------------
# Pilot models
# ----------------------------------------------------------------------------------------


def pilot_codes(ctx: ReportContext) -> set[str]:
    """Tax codes of the enterprises that built a pilot model up to the report year."""
    rows = register(ctx)
    return set(rows.loc[rows["pilot_model"].astype(bool), "tax_code"])


def pilot_frame(ctx: ReportContext, year: int) -> pd.DataFrame:
    """Mean TFP gap of pilot enterprises to their sector in ``year``, by sector and in total.

    The gap is ``log_tfp`` minus the mean of all enterprises of the sector that year. Cells
    follow the count rule, with secondary suppression since the total is shown.

    """
    firms = estimates(ctx).firms
    micro = firms[(firms["year"] == year) & firms[ENTERPRISE].isin(pilot_codes(ctx))]
    if micro.empty:
        return pd.DataFrame(columns=["vsic_section", "n_enterprises", "mean", "suppressed"])
    return disclosure.suppress_statistic(
        micro, "vsic_section", "tfp_sector_year", ENTERPRISE, margins=True
    )


@needs_panel
def pilots_table(ctx: ReportContext) -> HTML:
    """Pilot-model enterprises against their sectors, before the phase and in the last year."""
    result = estimates(ctx)
    base = max(ctx.phase.start - 1, result.first_year)
    columns = {}
    for year in sorted({base, result.last_year}):
        frame = pilot_frame(ctx, year)
        if frame.empty:
            continue
        published = disclosure.publish_table(frame, "vsic_section", ["n_enterprises", "mean"])
        columns[year] = published.set_index("vsic_section")
    if not columns:
        return HTML(f'<p class="notice">{escape(ctx.t("ent.pilots.none"))}</p>')
    sections = sorted({s for c in columns.values() for s in c.index} - {disclosure.TOTAL_LABEL})
    index = [*sections, disclosure.TOTAL_LABEL]
    table = pd.DataFrame({ctx.t("ent.col.sector"): [sector_label(s, ctx) for s in index]})
    formatters = {}
    for year, published in columns.items():
        values = published.reindex(index)
        count_label = ctx.t("ent.pilots.count", year=year, last=result.last_year)
        gap_label = ctx.t("ent.pilots.gap", year=year)
        table[count_label] = values["n_enterprises"].fillna(0).to_numpy()
        table[gap_label] = values["mean"].fillna(i18n.MISSING).to_numpy()
        formatters[count_label] = _number(ctx)
        formatters[gap_label] = _log_percent(ctx)
    rendered = show_table(
        table,
        "enterprise-pilot-models",
        ctx,
        caption=ctx.t("ent.pilots.title"),
        source=f"{_source(ctx)}; {ctx.t('source.registers')}",
        formatters=formatters,
    )
    return _with_footnote(ctx, rendered)


# ----------------------------------------------------------------------------------------
# The province's TFP criteria score
# ----------------------------------------------------------------------------------------


def labour_productivity_growth(ctx: ReportContext) -> pd.Series:
    """Average yearly growth of GRDP (2010 prices) per employed person, phase to date."""
    if ctx.accounts is None:
        return pd.Series(dtype=float)
    accounts = ctx.accounts.set_index("year")
    productivity = accounts["grdp_constant_2010"] / accounts["employment"]
    growth = {}
    for year in productivity.index:
        base = ctx.plan.phase_of_year(int(year)).start - 1
        if year > base and base in productivity.index:
            ratio = productivity[year] / productivity[base]
            growth[int(year)] = float(ratio ** (1 / (year - base)) - 1)
    return pd.Series(growth, dtype=float)


def province_values(ctx: ReportContext) -> pd.DataFrame:
    """The province's indicator values for the TFP criteria, one row per register year.

    ``tfp_share`` is the province's published annual share (no value in a year without one);
    ``labour_productivity_growth`` runs from the start of the year's phase;
    ``share_enterprises_applying_tools`` divides the register's distinct enterprises
    applying tools by the province's operating enterprises as published
    (``operating_enterprises`` in ``published_figures.csv``; missing in years without a
    published count, never the sample panel's size); ``pilot_models`` counts what the year's
    phase target counts (all pilot models in 2021–2025, national-level ones in 2026–2030),
    cumulative in the phase; ``experts_certified`` is cumulative since the first year.
    """
    indicators = ctx.indicators[ctx.indicators.index <= ctx.year]
    years = pd.Index(indicators.index.astype(int), name="year")
    shares = load_published_shares(ctx.data_dir, ctx.plan.plan.province)
    criteria = load_criteria(criteria_path(ctx))
    operating = operating_enterprises(ctx).reindex(years)
    pilots = pd.Series(np.nan, index=years)
    for year in years:
        phase = ctx.plan.phase_of_year(int(year))
        running = cumulative_in_phase(
            indicators[_pilot_column(ctx, phase.number)].astype(float), phase.start, phase.end
        )
        pilots[year] = running.get(year, np.nan)
    values = pd.DataFrame(index=years)
    # criterion T1: the published annual share or no data, never the estimate
    values["tfp_share"] = published_tfp_share_values(shares, years, criteria).to_numpy()
    values["labour_productivity_growth"] = labour_productivity_growth(ctx).reindex(years)
    values["share_enterprises_applying_tools"] = (
        indicators["enterprises_applying_tools"].astype(float) / operating
    ).to_numpy()
    values["pilot_models"] = pilots.to_numpy()
    values["experts_certified"] = indicators["experts_certified"].astype(float).cumsum().to_numpy()
    return values


def operating_enterprises(ctx: ReportContext) -> pd.Series:
    """The province's operating enterprises by year, as published (empty when not published)."""
    from helpers.inputs.province_accounts import load_published_figures

    path = ctx.data_dir / "published_figures.csv"
    if not path.is_file():
        return pd.Series(dtype=float)
    figures = load_published_figures(path)
    rows = figures[
        (figures["area"] == ctx.plan.plan.province)
        & (figures["indicator"] == "operating_enterprises")
        & (figures["start_year"] == figures["end_year"])
    ]
    return pd.Series(rows["value"].to_numpy(dtype=float), index=rows["end_year"].astype(int))


def _pilot_column(ctx: ReportContext, phase: int) -> str:
    """The indicator column the phase's pilot-model target counts (all, or national-level)."""
    from helpers.programme.indicators import indicator_column

    for target in ctx.plan.targets:
        if target.phase == phase and target.indicator.startswith("pilot_models"):
            return indicator_column(target.indicator)
    return "new_pilot_models"


def province_scorecard(ctx: ReportContext) -> Scorecard:
    """The province's scores on the TFP criteria set, per year (cached)."""
    return ctx.cached(
        ("enterprise", "province_scores", *estimation_key(ctx)),
        lambda: score_province(province_values(ctx), load_criteria(criteria_path(ctx))),
        persist=True,
        label="TFP criteria scores",
    )


def _criterion_value(value: float, unit: str, ctx: ReportContext) -> str:
    if unit == "share":
        return i18n.format_percent(value, ctx.lang)
    if unit == "growth_rate":
        return i18n.format_percent(value, ctx.lang) + ctx.t("ent.per_year")
    return i18n.format_number(value, ctx.lang)


@needs_panel
def criteria_block(ctx: ReportContext) -> HTML:
    """The province's score on each TFP criterion by year, with the rule behind each score."""
    card = province_scorecard(ctx)
    values = province_values(ctx)
    criteria = {c.code: c for c in load_criteria(criteria_path(ctx)).province}
    years = [int(y) for y in card.scores.index]
    name_column = f"name_{ctx.lang}"
    rows = []
    for rule in card.rules.itertuples(index=False):
        row = {ctx.t("ent.criteria.criterion"): getattr(rule, name_column)}
        row[ctx.t("ent.criteria.weight")] = i18n.format_percent(rule.weight, ctx.lang, 0)
        for year in years:
            row[str(year)] = card.scores.loc[year, rule.code]
        rows.append(row)
    total = {ctx.t("ent.criteria.criterion"): ctx.t("ent.criteria.total")}
    total[ctx.t("ent.criteria.weight")] = i18n.format_percent(1.0, ctx.lang, 0)
    total.update({str(year): card.scores.loc[year, "total"] for year in years})
    rows.append(total)
    scores = pd.DataFrame(rows)
    formatters = {str(year): _number(ctx, 1) for year in years}
    score_table = show_table(
        scores,
        "enterprise-criteria-scores",
        ctx,
        caption=ctx.t("ent.criteria.scores_title"),
        source=f"{ctx.t('ent.criteria.source')}; {_source(ctx)}",
        formatters=formatters,
    )
    last = years[-1]
    rules = pd.DataFrame(
        {
            ctx.t("ent.criteria.criterion"): [
                getattr(criteria[code], name_column) for code in card.rules["code"]
            ],
            ctx.t("ent.criteria.value", year=last): [
                _criterion_value(values.loc[last, c.indicator], c.unit, ctx)
                for c in (criteria[code] for code in card.rules["code"])
            ],
            ctx.t("ent.criteria.score", year=last): [
                card.scores.loc[last, code] for code in card.rules["code"]
            ],
            ctx.t("ent.criteria.rule"): card.rules[f"rule_{ctx.lang}"],
            ctx.t("ent.criteria.basis"): card.rules[f"basis_{ctx.lang}"],
        }
    )
    rule_table = show_table(
        rules,
        "enterprise-criteria-rules",
        ctx,
        caption=ctx.t("ent.criteria.rules_title"),
        source=ctx.t("ent.criteria.source"),
        formatters={ctx.t("ent.criteria.score", year=last): _number(ctx, 1)},
    )
    note_text = ctx.t("ent.criteria.note")
    missing = [str(y) for y in years if pd.isna(card.scores.loc[y, "total"])]
    if missing:  # say why a year has no total rather than total it on fewer criteria
        note_text += " " + ctx.t("ent.criteria.no_total", years=", ".join(missing))
    note = f'<p class="source">{escape(note_text)}</p>'
    return HTML(score_table.data + rule_table.data + note)


# ----------------------------------------------------------------------------------------
# Internal edition: enterprises by name
# ----------------------------------------------------------------------------------------


def enterprise_criteria_frame(ctx: ReportContext) -> pd.DataFrame:
    """Indicators of the enterprise criteria for the enterprises of the last year.

    Growth rates run from the enterprise's first year since the phase's base year to the
    last year (NaN for an enterprise seen in one year only). Tools and certificates are the
    distinct tools of its register rows (certificates: :data:`CERTIFIABLE` standards; the
    register does not record whether a certificate is still valid).
    """
    result = estimates(ctx)
    firms = result.firms
    base = max(ctx.phase.start - 1, result.first_year)
    window = firms[firms["year"] >= base].sort_values([ENTERPRISE, "year"])
    first = window.groupby(ENTERPRISE).first()
    last = window[window["year"] == result.last_year].set_index(ENTERPRISE)
    span = (result.last_year - first["year"]).reindex(last.index)
    span = span.where(span > 0)
    start = first.reindex(last.index)
    tfp_change = (last["log_tfp"] - start["log_tfp"]) / span
    productivity = np.log(last["value_added"] / last["labour"])
    productivity_start = np.log(start["value_added"] / start["labour"])
    tools = register(ctx)[["tax_code", "tools"]].explode("tools").dropna()
    tools = tools.drop_duplicates()
    frame = pd.DataFrame(index=last.index)
    frame["year"] = result.last_year
    frame["sector"] = last["vsic_section"]
    frame["log_tfp"] = last["log_tfp"]
    frame["tfp_sector_year"] = last["tfp_sector_year"]
    frame["tfp_growth"] = np.expm1(tfp_change)
    frame["labour_productivity_growth"] = np.expm1((productivity - productivity_start) / span)
    applied = tools.groupby("tax_code")["tools"].nunique()
    certified = tools[tools["tools"].isin(CERTIFIABLE)].groupby("tax_code")["tools"].nunique()
    frame["tools_applied"] = applied.reindex(frame.index).fillna(0).astype(float)
    frame["certifications"] = certified.reindex(frame.index).fillna(0).astype(float)
    frame["pilot"] = frame.index.isin(pilot_codes(ctx))
    return frame


def internal_frame(ctx: ReportContext) -> pd.DataFrame:
    """Top and bottom enterprises by TFP relative to their sector, and the pilot enterprises."""
    frame = enterprise_criteria_frame(ctx)
    frame["score"] = score_enterprises(frame, load_criteria(criteria_path(ctx))).scores["total"]
    names = register(ctx).drop_duplicates("tax_code", keep="last").set_index("tax_code")["name"]
    frame["name"] = names.reindex(frame.index).fillna(i18n.MISSING)
    ranked = frame.sort_values("tfp_sector_year", ascending=False)
    pieces = [
        ranked.head(INTERNAL_TOP).assign(group="top"),
        ranked.tail(INTERNAL_TOP).assign(group="bottom"),
        ranked[ranked["pilot"]].assign(group="pilot"),
    ]
    return pd.concat(pieces).rename_axis(ENTERPRISE).reset_index()


def internal_block(ctx: ReportContext) -> HTML:
    """Enterprises by tax code and name: internal edition only (empty in the public one)."""
    if ctx.edition != "internal" or load_panel(ctx) is None:
        return HTML("")
    frame = internal_frame(ctx)
    parts = [
        f"<h3>{escape(ctx.t('ent.internal.title'))}</h3>",
        f'<p class="notice">{escape(ctx.t("ent.internal.notice"))}</p>',
    ]
    for group in ("top", "bottom", "pilot"):
        rows = frame[frame["group"] == group]
        table = pd.DataFrame(
            {
                ctx.t("ent.internal.tax_code"): rows[ENTERPRISE],
                ctx.t("ent.internal.name"): rows["name"],
                ctx.t("ent.col.sector"): [sector_label(s, ctx) for s in rows["sector"]],
                ctx.t("ent.internal.log_tfp"): rows["log_tfp"],
                ctx.t("ent.internal.relative"): rows["tfp_sector_year"],
                ctx.t("ent.internal.score"): rows["score"],
            }
        )
        formatters = {
            ctx.t("ent.internal.log_tfp"): _number(ctx, 3),
            ctx.t("ent.internal.relative"): _log_percent(ctx),
            ctx.t("ent.internal.score"): _number(ctx, 1),
        }
        rendered = show_table(
            table,
            f"enterprise-internal-{group}",
            ctx,
            caption=ctx.t("ent.internal." + group, n=INTERNAL_TOP, year=estimates(ctx).last_year),
            source=f"{_source(ctx)}; {ctx.t('source.registers')}",
            formatters=formatters,
        )
        parts.append(rendered.data)
    return HTML("".join(parts))
