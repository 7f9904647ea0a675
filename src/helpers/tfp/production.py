"""Enterprise production functions and TFP: one entry point, :func:`estimate`.

Methods: pooled OLS, within (firm fixed effects), Olley-Pakes (``op``), Levinsohn-Petrin
(``lp``), Ackerberg-Caves-Frazer (``acf``) and Wooldridge (``wrdg``: ``prodestWRDG``'s 2SLS;
``wrdg-gmm``: ``prodestWRDG_GMM``'s two-equation GMM). Inputs are logs (or
levels with ``take_logs=True``). Standard errors come from a block bootstrap over whole firms.
The conventions reproduce R ``prodest`` 1.0.1 (see ``validation/README.md`` and
:mod:`helpers.tfp.production_estimators`).
"""

from __future__ import annotations

import dataclasses
import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from helpers.errors import ArgumentError, InputError, InputProblem
from helpers.tfp.estimation_messages import EstimationMessage
from helpers.tfp.production_bootstrap import block_bootstrap
from helpers.tfp.production_estimators import (
    METHODS,
    EstimationError,
    EstimatorSpec,
    Fit,
    elasticities,
    fit,
    input_block,
    limit_blas_threads,
    log_tfp,
    term_labels,
)
from helpers.tfp.production_panel import Columns, Panel, prepare_panel

__all__ = [
    "METHODS",
    "EstimationWarning",
    "ProductionResult",
    "Root",
    "SpecificationError",
    "estimate",
]

#: Methods that need a proxy variable.
PROXY_METHODS = ("op", "lp", "acf", "wrdg", "wrdg-gmm")
#: Methods whose moments use last year's values.
DYNAMIC_METHODS = PROXY_METHODS
#: Methods whose search keeps every distinct solution it found (ACF roots, OP / LP minima).
SEARCH_METHODS = ("op", "lp", "acf")
#: Methods that accept gross output and translog.
FLEXIBLE_METHODS = ("ols", "fe", "acf")


class SpecificationError(ArgumentError):
    """The options of :func:`estimate` do not describe a model it can estimate (exit code 2)."""


class EstimationWarning(UserWarning):
    """The estimate is usable but needs attention (no exact root, several roots, ...)."""


@dataclass(frozen=True)
class Root:
    """One solution found by the search: an ACF root, or an OP / LP second-stage minimum.

    Attributes
    ----------
    coefficients : dict of str to float
        Production-function coefficients at the solution.
    criterion : float
        GMM criterion there (ACF), or the second stage's sum of squares (OP / LP).
    is_root : bool
        ACF: the moments are solved exactly (criterion within the root tolerance of zero);
        OP / LP: the local search converged to this minimum.
    selected : bool
        This is the reported estimate.
    check_criterion : float
        ACF: criterion with one more instrument, last year's state (the root rule used before
        1 December 2026; kept for comparison, it prefers the spurious root under measurement
        error); NaN for OP / LP.
    persistence : float
        ACF: first-order autocorrelation of the productivity implied by the root; the rule
        prefers the most persistent (a spurious root makes productivity nearly white noise);
        NaN for OP / LP.

    """

    coefficients: dict[str, float]
    criterion: float
    is_root: bool
    selected: bool
    check_criterion: float
    persistence: float = float("nan")


@dataclass(frozen=True)
class ProductionResult:
    """Estimated production function and TFP.

    Attributes
    ----------
    method : str
        The method used.
    coefficients : dict of str to float
        Production-function coefficients by input (translog: also ``a^2`` and ``a*b`` terms).
    std_errors : dict of str to float or None
        Bootstrap standard errors (``None`` when ``reps=0``); never NaN.
    n_obs : int
        Firm-years used.
    n_firms : int
        Firms used.
    n_lagged : int
        Firm-years whose previous year is observed (used by the dynamic moments; 0 for OLS and
        within).
    converged : bool
        The search reached a solution (ACF: an exact root).
    criterion : float
        Objective at the estimate: sum of squared residuals (OLS, within, OP, LP) or GMM
        criterion (ACF, Wooldridge).
    indistinct_roots : bool
        ACF found several exact, plausible roots and its rule cannot tell them apart (their
        implied productivity is about as persistent): the estimate is not reliable, see
        ``roots``.
    roots : tuple of Root
        Every distinct solution the search found: ACF roots, or the OP / LP second stage's
        local minima, lowest first (the second is the runner-up); empty for other methods.
    warnings : tuple of str
        Problems worth attention; each was also issued with :func:`warnings.warn`.
    notes : tuple of str
        Information on the data used (rows left out, firms seen only once, ...).
    tfp : pandas.Series
        Log TFP of each firm-year used (output minus the production-function terms), indexed
        like the input rows, in their order.
    elasticities : dict of str to float
        Mean output elasticity of each input (equal to the coefficients for Cobb-Douglas).
    reps : int
        Bootstrap replications requested.
    reps_used : int
        Replications that succeeded and enter the standard errors.
    seed : int or None
        Bootstrap seed.

    """

    method: str
    coefficients: dict[str, float]
    std_errors: dict[str, float] | None
    n_obs: int
    n_firms: int
    n_lagged: int
    converged: bool
    criterion: float
    indistinct_roots: bool
    roots: tuple[Root, ...]
    warnings: tuple[str, ...]
    notes: tuple[str, ...]
    tfp: pd.Series
    elasticities: dict[str, float]
    reps: int
    reps_used: int
    seed: int | None

    def to_dict(self) -> dict[str, object]:
        """Return the command line's JSON object (method, coefficients, errors, counts)."""
        return {
            "method": self.method,
            "coefficients": dict(self.coefficients),
            "std_errors": None if self.std_errors is None else dict(self.std_errors),
            "n_obs": self.n_obs,
            "n_firms": self.n_firms,
            "converged": self.converged,
            "criterion": self.criterion,
        }

    def summary(self) -> str:
        """Return a plain-text table of the estimates, for people."""
        lines = [
            f"Production function: {METHOD_TITLES[self.method]}",
            f"Firm-years: {self.n_obs:,}   firms: {self.n_firms:,}"
            + (
                f"   firm-years with last year observed: {self.n_lagged:,}" if self.n_lagged else ""
            ),
        ]
        width = max(len(name) for name in self.coefficients) + 2
        header = f"{'input':<{width}}{'coefficient':>12}"
        if self.std_errors is not None:
            header += f"{'std. error':>12}"
        lines += ["", header, "-" * len(header)]
        for name, value in self.coefficients.items():
            row = f"{name:<{width}}{value:>12.4f}"
            if self.std_errors is not None:
                row += f"{self.std_errors[name]:>12.4f}"
            lines.append(row)
        lines.append("")
        if self.std_errors is not None:
            lines.append(
                f"Bootstrap over firms: {self.reps_used} of {self.reps} replications used"
                + (f" (seed {self.seed})" if self.seed is not None else "")
            )
        lines.append(
            f"Converged: {'yes' if self.converged else 'NO'}   criterion: {self.criterion:.4g}"
        )
        if len(self.roots) > 1:
            acf = self.method == "acf"
            lines.append(
                "Solutions found (coefficients, criterion, "
                + ("exact root?, productivity persistence):" if acf else "converged?):")
            )
            for root in self.roots:
                mark = "*" if root.selected else " "
                values = ", ".join(f"{v:.4f}" for v in root.coefficients.values())
                persistence = f"  {root.persistence:.2f}" if acf else ""
                lines.append(
                    f" {mark} [{values}]  {root.criterion:.3g}  "
                    f"{'yes' if root.is_root else 'no'}{persistence}"
                )
        if self.indistinct_roots:
            lines.append("Roots: the rule cannot tell the exact roots apart; both are possible")
        lines += [f"Note: {note}" for note in self.notes]
        lines += [f"Warning: {message}" for message in self.warnings]
        return "\n".join(lines)


METHOD_TITLES = {
    "ols": "pooled OLS",
    "fe": "within (firm fixed effects)",
    "op": "Olley-Pakes",
    "lp": "Levinsohn-Petrin",
    "acf": "Ackerberg-Caves-Frazer",
    "wrdg": "Wooldridge (2SLS)",
    "wrdg-gmm": "Wooldridge (GMM)",
}


def estimate(
    frame: pd.DataFrame,
    *,
    method: str,
    output: str,
    free: str | Sequence[str],
    state: str | Sequence[str],
    proxy: str | None = None,
    id: str,
    time: str,
    value_added: bool = True,
    translog: bool = False,
    exit: bool | str = False,
    reps: int = 0,
    seed: int | None = None,
    workers: int | None = None,
    acf_starts: int = 6,
    year_effects: bool = False,
    group_effects: str | None = None,
    drop_missing: bool = False,
    take_logs: bool = False,
    source: str = "data",
) -> ProductionResult:
    """Estimate a production function on a firm panel and each firm-year's log TFP.

    Parameters
    ----------
    frame : pandas.DataFrame
        One row per firm and year; firm ids may be text or numbers.
    method : {"ols", "fe", "op", "lp", "acf", "wrdg", "wrdg-gmm"}
        Pooled OLS, within (firm fixed effects), Olley-Pakes, Levinsohn-Petrin,
        Ackerberg-Caves-Frazer, Wooldridge as ``prodestWRDG``'s stacked 2SLS (``wrdg``) or
        as ``prodestWRDG_GMM``'s two-equation GMM (``wrdg-gmm``).
    output : str
        Column of log output (value added, or gross output with ``value_added=False``).
    free : str or list of str
        Column(s) of log free inputs (labour).
    state : str or list of str
        Column(s) of log state inputs (capital).
    proxy : str, optional
        Column of the log proxy: investment (OP) or materials (LP, ACF, Wooldridge).
    id, time : str
        Columns of the firm id and of the year (whole numbers; a missing year is a gap: the
        next year has no lag).
    value_added : bool
        ``False`` for gross output: the proxy (materials) becomes an input (OLS, FE, ACF).
    translog : bool
        Translog instead of Cobb-Douglas (OLS, FE, ACF).
    exit : bool or str
        Attrition correction for OP and LP: ``True`` derives exits from the panel (a firm exits
        after its last year unless that is the panel's last year); a column name gives a 0/1
        exit indicator.
    reps : int
        Bootstrap replications over firms for the standard errors (``prodest`` uses 20); 0 for
        none.
    seed : int, optional
        Seed of the bootstrap; the same seed gives the same standard errors whatever the number
        of workers.
    workers : int, optional
        Processes for the bootstrap; by default serial for small jobs, else one per core.
    acf_starts : int
        Starting points of the ACF search.
    year_effects : bool
        OP, LP and ACF: year dummies in the first stage and in the law of motion of
        productivity, so that a trend or shock common to all firms is not taken for a firm's
        own productivity (``prodest`` has none; its numbers are reproduced without).
    group_effects : str, optional
        OP, LP and ACF: column of a grouping (e.g. the sector) whose dummies enter the first
        stage and the law of motion, crossed with the years under ``year_effects``: one
        production function for several groups with their own productivity levels (paths).
    drop_missing : bool
        Leave out rows with missing values (noted in the result) instead of failing.
    take_logs : bool
        The numeric columns are levels: take logs (zeros and negatives are reported).
    source : str
        Name of the data shown in error messages (the command line passes the file name).

    Returns
    -------
    ProductionResult
        Coefficients, bootstrap standard errors, counts, convergence, criterion, the ACF
        solutions found, warnings and each firm-year's log TFP.

    Raises
    ------
    helpers.errors.InputError
        Bad data: missing columns or values, values that are not finite (log of zero),
        duplicated firm-years, collinear inputs, no firm observed in consecutive years.
    SpecificationError
        Options that do not make a model (unknown method, no proxy for OP/LP/ACF, ...) or
        values of the wrong kind (a column name that is not text, a seed that is not a whole
        number, ...); an :class:`~helpers.errors.ArgumentError`, exit code 2.

    Notes
    -----
    OP / LP second stage: the state coefficients are searched globally, on a grid over
    ``[0, 1.5]`` (each coefficient), then refined by a local search from the grid's lowest
    local minima and from the first-stage and OLS coefficients. The lowest minimum within the
    range is reported; every distinct minimum is kept in ``roots`` (the runner-up second), a
    lower minimum outside the range is named in a warning, and so is a runner-up whose sum of
    squares is within 0.5 % of the chosen one.

    ACF root selection: the search starts from the first-stage coefficients, OLS, 0.5 for every
    input and fixed random draws; every distinct end point is kept in ``roots``. Exact roots
    (criterion / mean squared innovation below ``1e-10``) are preferred; among them those
    whose elasticities all lie in (0, 1); then the root whose implied productivity is the most
    persistent (all exact roots have a criterion of numerically zero, so the criterion cannot
    choose; on ACF's designs a spurious root near labour 0.93-1.0, capital 0.0-0.08 exists,
    where "productivity" is nearly white noise). The rule was validated on ACF (2015) DGP1-3
    with measurement error in materials (``benchmarks/bench_acf_roots.py``). When the two
    most persistent roots differ by less than 0.2 in autocorrelation, ``indistinct_roots`` is
    set and the warning lists both. A warning is issued when no exact root is found or when
    several roots fit. Bootstrap replications start from the point estimate
    and accept the root found there; they fall back to the full search otherwise, and a
    replication without a root is left out (and counted).

    Examples
    --------
    >>> from helpers.samples.simulate import simulate_panel
    >>> panel = simulate_panel(n_firms=500, seed=7)
    >>> result = estimate(panel, method="acf", output="y", free="l", state="k", proxy="m",
    ...                   id="id", time="year")
    >>> round(result.coefficients["l"], 1), round(result.coefficients["k"], 1)
    (0.6, 0.4)
    >>> result.converged, result.n_obs, result.n_firms
    (True, 5000, 500)

    """
    _check_arguments(frame, output=output, id=id, time=time, proxy=proxy, group=group_effects)
    free_names = _as_names(free, "free")
    state_names = _as_names(state, "state")
    spec = _specification(
        method,
        proxy,
        value_added,
        translog,
        exit,
        reps,
        workers,
        acf_starts,
        year_effects or group_effects is not None,
        seed,
    )
    exit_column = exit if isinstance(exit, str) else None
    columns = Columns(output, free_names, state_names, proxy, id, time, exit_column)
    _check_roles(columns)
    panel, notes = prepare_panel(
        frame,
        columns,
        source=source,
        drop_missing=drop_missing,
        take_logs=take_logs,
        exit_from_panel=exit is True,
    )
    if group_effects is not None:
        panel = _with_cells(frame, panel, group_effects, year_effects, source)
    input_names = [*free_names, *state_names] + ([] if value_added else [str(proxy)])
    _check_inputs_vary(panel, spec, input_names, source)
    notes += _panel_notes(panel, spec, source)
    labels = term_labels(input_names, spec.translog)
    with limit_blas_threads(1):
        point = _fit_or_input_error(panel, spec, source)
        messages = list(point.messages)
        if not point.converged and not messages:
            messages.append(
                EstimationMessage(
                    "not_converged",
                    f"{METHOD_TITLES[spec.method]}: the optimiser did not converge",
                    method=spec.method,
                )
            )
        std_errors, reps_used = None, 0
        if reps > 0:
            std_errors, reps_used, boot_messages = _bootstrap(
                panel, spec, point, labels, reps, seed, workers
            )
            messages += boot_messages
    for message in messages:
        warnings.warn(message, EstimationWarning, stacklevel=2)
    block = input_block(panel, spec)
    return ProductionResult(
        method=spec.method,
        coefficients=_named(labels, point.coef),
        std_errors=std_errors,
        n_obs=panel.n_obs,
        n_firms=panel.n_firms,
        n_lagged=point.n_dynamic,
        converged=point.converged,
        criterion=point.criterion,
        indistinct_roots=point.indistinct,
        roots=_roots(point, labels, spec.method),
        warnings=tuple(messages),
        notes=tuple(notes),
        tfp=_tfp_series(frame, panel, spec, point.coef),
        elasticities=_named(input_names, elasticities(block, point.coef, spec.translog)),
        reps=reps,
        reps_used=reps_used,
        seed=seed,
    )


# --- checks -------------------------------------------------------------------------------------


def _is_whole(value: object) -> bool:
    """True for an int (numpy's too), False for bool, float and anything else."""
    return isinstance(value, int | np.integer) and not isinstance(value, bool)


def _check_arguments(
    frame: object, *, output: object, id: object, time: object, proxy: object, group: object
) -> None:
    """Raise :class:`SpecificationError` naming an argument whose value is of the wrong kind."""
    if not isinstance(frame, pd.DataFrame):
        raise SpecificationError(f"frame must be a pandas DataFrame, got {type(frame).__name__}")
    for name, value in (("output", output), ("id", id), ("time", time)):
        if not isinstance(value, str) or not value.strip():
            raise SpecificationError(f"{name} must be a column name (text), got {value!r}")
    for name, value in (("proxy", proxy), ("group_effects", group)):
        if value is not None and (not isinstance(value, str) or not value.strip()):
            raise SpecificationError(f"{name} must be a column name (text) or None, got {value!r}")


def _as_names(value: str | Sequence[str], role: str) -> tuple[str, ...]:
    if isinstance(value, str):
        names: tuple[object, ...] = (value,)
    elif isinstance(value, Sequence):
        names = tuple(value)
    else:
        raise SpecificationError(f"{role} must be a column name or a list of them, got {value!r}")
    if not all(isinstance(name, str) for name in names):
        raise SpecificationError(f"{role} must hold column names (text), got {value!r}")
    names = tuple(str(name).strip() for name in names if str(name).strip())
    if not names:
        raise SpecificationError(f"give at least one {role} input column")
    return names  # type: ignore[return-value]


def _specification(
    method: str,
    proxy: str | None,
    value_added: bool,
    translog: bool,
    exit: bool | str,
    reps: int,
    workers: int | None,
    acf_starts: int,
    year_effects: bool = False,
    seed: int | None = None,
) -> EstimatorSpec:
    method = str(method).strip().lower()
    if method not in METHODS:
        raise SpecificationError(f"unknown method {method!r}; choose one of {', '.join(METHODS)}")
    if method in PROXY_METHODS and not proxy:
        kind = "investment" if method == "op" else "materials"
        raise SpecificationError(f"method {method!r} needs a proxy column ({kind})")
    if not value_added and not proxy:
        raise SpecificationError("gross output needs the materials column as proxy")
    if (translog or not value_added) and method not in FLEXIBLE_METHODS:
        raise SpecificationError(
            f"gross output and translog are available for {', '.join(FLEXIBLE_METHODS)}, "
            f"not {method!r}"
        )
    if exit is not False and method not in ("op", "lp"):
        raise SpecificationError("the exit (attrition) correction is available for op and lp only")
    if year_effects and method not in SEARCH_METHODS:
        raise SpecificationError("year effects are available for op, lp and acf only")
    if not _is_whole(reps) or reps < 0:
        raise SpecificationError(f"reps must be a whole number >= 0, got {reps!r}")
    if workers is not None and (not _is_whole(workers) or workers < 1):
        raise SpecificationError(f"workers must be a whole number of at least 1, got {workers!r}")
    if seed is not None and (not _is_whole(seed) or seed < 0):
        raise SpecificationError(f"seed must be a whole number >= 0 or None, got {seed!r}")
    if not _is_whole(acf_starts) or acf_starts < 1:
        raise SpecificationError(
            f"acf_starts must be a whole number of at least 1, got {acf_starts!r}"
        )
    if not (exit is True or exit is False or (isinstance(exit, str) and exit.strip())):
        raise SpecificationError(
            f"exit must be True, False or the name of a 0/1 exit column, got {exit!r}"
        )
    return EstimatorSpec(
        method=method,
        value_added=value_added,
        translog=translog,
        exit=exit is not False,
        acf_starts=max(3, int(acf_starts)),
        year_effects=bool(year_effects),
    )


def _with_cells(frame: pd.DataFrame, panel: Panel, group: str, by_year: bool, source: str) -> Panel:
    """Attach each row's cell code: its group, or its group and year."""
    if group not in frame.columns:
        raise InputError([InputProblem(source, "column not found (group effects)", column=group)])
    labels = frame[group].astype(str).to_numpy()[panel.rows]
    if by_year:
        labels = np.char.add(np.char.add(labels, "|"), panel.year.astype(str))
    codes = pd.factorize(labels, sort=True)[0]
    return dataclasses.replace(panel, cell=codes)


def _check_roles(columns: Columns) -> None:
    roles = [("output", columns.output)]
    roles += [("free", name) for name in columns.free] + [("state", name) for name in columns.state]
    if columns.proxy:
        roles.append(("proxy", columns.proxy))
    roles += [("id", columns.id), ("time", columns.time)]
    seen: dict[str, str] = {}
    for role, name in roles:
        if name in seen:
            raise SpecificationError(f"column {name!r} is given both as {seen[name]} and as {role}")
        seen[name] = role


def _check_inputs_vary(panel: Panel, spec: EstimatorSpec, names: list[str], source: str) -> None:
    """Report inputs that do not vary or are linear combinations of the others.

    Their coefficients cannot be told apart.
    """
    block = input_block(panel, spec)
    if spec.method == "fe":
        counts = np.bincount(panel.firm)
        means = np.column_stack(
            [np.bincount(panel.firm, weights=block[:, j]) / counts for j in range(block.shape[1])]
        )
        block = block - means[panel.firm]
        where = "within firms"
    else:
        block = block - block.mean(axis=0)
        where = "across firm-years"
    problems = []
    norms = np.linalg.norm(block, axis=0)
    scale = np.maximum(np.abs(input_block(panel, spec)).max(axis=0), 1.0) * np.sqrt(panel.n_obs)
    constant = norms <= 1e-10 * scale
    for name in np.asarray(names)[constant]:
        problems.append(InputProblem(source, f"input does not vary {where}", column=str(name)))
    if not problems and block.shape[1] > 1:
        normalised = block / norms
        singular = np.linalg.svd(normalised, compute_uv=False)
        if singular[-1] <= 1e-7 * singular[0]:
            for j, name in enumerate(names):
                others = np.delete(normalised, j, axis=1)
                fitted = others @ np.linalg.lstsq(others, normalised[:, j], rcond=None)[0]
                if np.linalg.norm(normalised[:, j] - fitted) <= 1e-6:
                    message = (
                        f"input is collinear with the other inputs {where} "
                        "(a linear combination of them): the coefficients are not identified"
                    )
                    problems.append(InputProblem(source, message, column=name))
    if problems:
        raise InputError(problems)


def _panel_notes(panel: Panel, spec: EstimatorSpec, source: str) -> list[str]:
    notes = []
    single_year = int(np.sum(np.bincount(panel.firm) == 1))
    if spec.method in DYNAMIC_METHODS:
        if not panel.has_lag.any():
            raise InputError(
                [
                    InputProblem(
                        source,
                        "no firm is observed in two consecutive years: "
                        f"{METHOD_TITLES[spec.method]} needs last year's values "
                        "(lags follow the time column; gaps break them)",
                    )
                ]
            )
        if single_year:
            notes.append(
                f"{single_year} firm(s) observed in a single year enter the first stage only"
            )
        gaps = panel.n_obs - panel.n_firms - int(panel.has_lag.sum())
        if gaps:
            notes.append(f"{gaps} firm-year(s) follow a gap year and have no lag")
    elif spec.method == "fe" and single_year:
        notes.append(
            f"{single_year} firm(s) observed in a single year do not inform the within estimate"
        )
    return notes


def _fit_or_input_error(panel: Panel, spec: EstimatorSpec, source: str) -> Fit:
    try:
        return fit(panel, spec)
    except EstimationError as error:
        raise InputError([InputProblem(source, str(error))]) from error


# --- assembling the result ------------------------------------------------------------------


def _bootstrap(
    panel: Panel,
    spec: EstimatorSpec,
    point: Fit,
    labels: list[str],
    reps: int,
    seed: int | None,
    workers: int | None,
) -> tuple[dict[str, float] | None, int, list[str]]:
    outcome = block_bootstrap(panel, spec, point.coef, reps=reps, seed=seed, workers=workers)
    messages: list[str] = []
    used = len(outcome.draws)
    if outcome.failed:
        messages.append(
            EstimationMessage(
                "bootstrap_failed",
                f"bootstrap: {outcome.failed} of {reps} replications failed or did not "
                "converge and were left out of the standard errors",
                failed=outcome.failed,
                reps=reps,
            )
        )
    if used < 2:
        messages.append(
            EstimationMessage(
                "bootstrap_too_few",
                "bootstrap: fewer than 2 usable replications; no standard errors",
            )
        )
        return None, used, messages
    spread = outcome.draws.std(axis=0, ddof=1)
    return _named(labels, spread), used, messages


def _named(labels: list[str], values: np.ndarray) -> dict[str, float]:
    return {label: float(value) for label, value in zip(labels, values, strict=True)}


def _roots(point: Fit, labels: list[str], method: str) -> tuple[Root, ...]:
    if method not in SEARCH_METHODS:
        return ()
    return tuple(
        Root(
            coefficients=_named(labels, s.coef),
            criterion=s.criterion,
            is_root=s.converged,
            selected=bool(np.array_equal(s.coef, point.coef)),
            check_criterion=s.overid,
            persistence=s.persistence,
        )
        for s in point.solutions
    )


def _tfp_series(
    frame: pd.DataFrame, panel: Panel, spec: EstimatorSpec, coef: np.ndarray
) -> pd.Series:
    values = log_tfp(panel, spec, coef)
    order = np.argsort(panel.rows, kind="stable")
    return pd.Series(values[order], index=frame.index[panel.rows[order]], name="log_tfp")
