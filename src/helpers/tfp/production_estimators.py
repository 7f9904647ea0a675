"""Numerical core of the production-function estimators (OLS, FE, OP, LP, ACF, Wooldridge).

Every estimator takes a :class:`helpers.tfp.production_panel.Panel` and an :class:`EstimatorSpec`
and returns a :class:`Fit`. The conventions follow R ``prodest`` 1.0.1 (Rovigatti and
Mollisi), so that its published numbers are reproduced:

* OP / LP first stage: output on the free inputs and a full second-degree polynomial of the
  state and proxy variables; ACF first stage: a full second-degree polynomial of the free,
  state and proxy variables;
* the law of motion of productivity ``g(omega)`` is a third-degree polynomial (augmented with
  the survival probability and its interactions under the exit correction);
* lags follow the panel's own time index.

Wooldridge: method ``"wrdg"`` is ``prodestWRDG``'s stacked 2SLS (the same firm-years twice,
once with this year's state-proxy polynomial and once with last year's, sharing one
coefficient vector; see :func:`_fit_wooldridge_2sls`); method ``"wrdg-gmm"`` is the
two-equation GMM of ``prodestWRDG_GMM``. Both reproduce ``prodest`` 1.0.1 on its Chilean data.

Speed comes from concentrating out every linear part: ``g`` is fitted by least squares inside
the criterion, so only the production-function coefficients are searched, with analytic
Jacobians.
"""

from __future__ import annotations

import contextlib
import dataclasses
import warnings
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np

from helpers.errors import EXIT_BAD_INPUT, NsclError
from helpers.tfp.estimation_messages import EstimationMessage
from helpers.tfp.production_panel import Panel, second_degree_terms

METHODS = ("ols", "fe", "op", "lp", "acf", "wrdg", "wrdg-gmm")
#: Relative tolerance for dropping an aliased regressor (as R's ``lm``).
ALIAS_TOLERANCE = 1e-7
#: Fixed seed of the random starting points of ACF (the point estimate never depends on the
#: bootstrap seed).
ACF_START_SEED = 20_150_601


def limit_blas_threads(limit: int = 1) -> contextlib.AbstractContextManager[object]:
    """Limit the BLAS thread pool while estimating (a no-op without ``threadpoolctl``).

    The estimators multiply tall, thin matrices, where BLAS threads gain little and, on a busy
    machine, stall for whole scheduler time slices; the bootstrap runs in processes instead.
    """
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        return contextlib.nullcontext()
    return threadpool_limits(limits=limit, user_api="blas")


class EstimationError(NsclError):
    """The data do not identify the model (for instance, a singular system): exit code 2.

    The estimators are correct for any panel that identifies the model; when one does not
    (collinear inputs, too few firms seen in consecutive years, a probit that separates), the
    data are what must change, so this is an input error for the command line, not a bug.
    :func:`helpers.tfp.production.estimate` turns it into a located
    :class:`helpers.errors.InputError` naming the data.
    """

    exit_code = EXIT_BAD_INPUT


@dataclass(frozen=True)
class EstimatorSpec:
    """What to estimate and how.

    Parameters
    ----------
    method : str
        One of :data:`METHODS`.
    value_added : bool
        Value-added production function; ``False`` adds the proxy (materials) as an input
        (gross output; OLS, FE and ACF).
    translog : bool
        Translog instead of Cobb-Douglas (OLS, FE and ACF).
    exit : bool
        Correct OP / LP for attrition with a probit of exit.
    acf_starts : int
        Starting points tried by the ACF search (at least 3).
    year_effects : bool
        OP, LP and ACF: dummies of the panel's cells (``Panel.cell``: years, groups, or groups
        and years) in the first stage and in the law of motion of productivity, so that
        common shocks and trends (e.g. a sector's productivity path) are not taken for the
        firms' own productivity. ``prodest`` has none.
    root_tolerance : float
        An ACF solution is an exact root when the share of the residual's variance explained by
        the instruments (criterion / mean squared residual) is below this.

    """

    method: str
    value_added: bool = True
    translog: bool = False
    exit: bool = False
    acf_starts: int = 6
    root_tolerance: float = 1e-10
    year_effects: bool = False


@dataclass(frozen=True)
class Solution:
    """One end point of the search.

    ``criterion`` is the GMM criterion (or the OP / LP sum of squares), ``converged`` says
    whether it is an exact root (a converged local minimum for OP / LP). ACF only:
    ``persistence`` is the implied productivity's first-order autocorrelation (the root rule
    uses it) and ``overid`` the criterion with one more instrument, last year's state (the
    rule used before, kept for comparison). Both are NaN where not computed.
    """

    coef: np.ndarray
    criterion: float
    converged: bool
    overid: float = float("nan")
    persistence: float = float("nan")


@dataclass(frozen=True)
class Fit:
    """Estimated production-function coefficients and how they were reached."""

    coef: np.ndarray
    criterion: float
    converged: bool
    n_dynamic: int
    solutions: tuple[Solution, ...] = ()
    messages: tuple[str, ...] = ()
    indistinct: bool = False


# --- production-function terms ------------------------------------------------------------


def input_block(panel: Panel, spec: EstimatorSpec) -> np.ndarray:
    """Return the log inputs of the production function: free, state, (gross output) proxy."""
    parts = [panel.free, panel.state]
    if not spec.value_added:
        parts.append(_require_proxy(panel))
    return np.column_stack(parts)


def production_terms(block: np.ndarray, translog: bool) -> np.ndarray:
    """Cobb-Douglas terms, or translog terms (inputs, squares and products)."""
    return second_degree_terms(block) if translog else block


def term_labels(inputs: list[str], translog: bool) -> list[str]:
    """Names of the production-function terms, in the order of :func:`production_terms`."""
    if not translog:
        return list(inputs)
    labels = list(inputs)
    for i, first in enumerate(inputs):
        for second in inputs[i:]:
            labels.append(f"{first}^2" if first == second else f"{first}*{second}")
    return labels


def elasticities(block: np.ndarray, coef: np.ndarray, translog: bool) -> np.ndarray:
    """Mean output elasticity of each input (the coefficients themselves for Cobb-Douglas)."""
    n_inputs = block.shape[1]
    if not translog:
        return coef[:n_inputs].copy()
    result = coef[:n_inputs].copy()
    position = n_inputs
    means = block.mean(axis=0)
    for i in range(n_inputs):
        for j in range(i, n_inputs):
            if i == j:
                result[i] += 2 * coef[position] * means[i]
            else:
                result[i] += coef[position] * means[j]
                result[j] += coef[position] * means[i]
            position += 1
    return result


def log_tfp(panel: Panel, spec: EstimatorSpec, coef: np.ndarray) -> np.ndarray:
    """Log TFP of every firm-year: output minus the production-function terms."""
    terms = production_terms(input_block(panel, spec), spec.translog)
    return panel.output - terms @ coef


# --- entry point ----------------------------------------------------------------------------


def fit(
    panel: Panel,
    spec: EstimatorSpec,
    starts: list[np.ndarray] | None = None,
    *,
    replication: bool = False,
) -> Fit:
    """Estimate the production function on ``panel``.

    Parameters
    ----------
    panel : Panel
        The checked panel.
    spec : EstimatorSpec
        Method and options.
    starts : list of numpy.ndarray, optional
        Starting points tried first by the nonlinear searches (bootstrap replications pass the
        point estimate here).
    replication : bool
        A bootstrap replication: only the coefficients and convergence are used. ACF then
        partials the cell effects out by demeaning within cells (the same estimator, fitted
        by the Frisch-Waugh-Lovell theorem instead of with one dummy column per cell, which
        is what costs time on a pooled panel) and computes the implied productivity's
        persistence only when several roots must be told apart. The point estimate keeps the
        dummy columns, so its bits (and the criterion the report prints) do not change.

    """
    if replication and spec.method == "acf":
        return _fit_acf(panel, spec, starts, replication=True)
    estimators = {
        "ols": _fit_ols,
        "fe": _fit_within,
        "op": _fit_olley_pakes,
        "lp": _fit_olley_pakes,
        "acf": _fit_acf,
        "wrdg": _fit_wooldridge_2sls,
        "wrdg-gmm": _fit_wooldridge_gmm,
    }
    return estimators[spec.method](panel, spec, starts)


# --- linear algebra helpers ----------------------------------------------------------------


def least_squares_in_order(design: np.ndarray, target: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Least squares that drops aliased columns in order, like R's ``lm``.

    A column is dropped when its part orthogonal to the columns kept before it is below
    ``ALIAS_TOLERANCE`` of its norm. Dropped columns get a coefficient of 0.

    Returns
    -------
    coef : numpy.ndarray
        Coefficients (0 for dropped columns).
    fitted : numpy.ndarray
        Fitted values.

    """
    keep = list(range(design.shape[1]))
    norms = np.linalg.norm(design, axis=0)
    while True:
        q, r = np.linalg.qr(design[:, keep])
        diagonal = np.abs(np.diag(r))
        aliased = np.flatnonzero(diagonal <= ALIAS_TOLERANCE * np.maximum(norms[keep], 1e-300))
        if aliased.size == 0:
            break
        del keep[int(aliased[0])]
        if not keep:
            raise EstimationError("every regressor is zero")
    from scipy import linalg  # imported here: a report served from the cache never needs scipy

    projected = q.T @ target
    coef = np.zeros(design.shape[1])
    coef[keep] = linalg.solve_triangular(r, projected)
    return coef, q @ projected


def _orthonormal_basis(design: np.ndarray) -> np.ndarray:
    """Orthonormal basis of the column space (aliased columns dropped in order)."""
    keep = list(range(design.shape[1]))
    norms = np.linalg.norm(design, axis=0)
    while True:
        q, r = np.linalg.qr(design[:, keep])
        aliased = np.flatnonzero(
            np.abs(np.diag(r)) <= ALIAS_TOLERANCE * np.maximum(norms[keep], 1e-300)
        )
        if aliased.size == 0:
            return q
        del keep[int(aliased[0])]


def _with_constant(block: np.ndarray) -> np.ndarray:
    return np.column_stack([np.ones(len(block)), block])


# --- OLS and within -------------------------------------------------------------------------


def _fit_ols(panel: Panel, spec: EstimatorSpec, starts: list[np.ndarray] | None) -> Fit:
    terms = production_terms(input_block(panel, spec), spec.translog)
    coef, fitted = least_squares_in_order(_with_constant(terms), panel.output)
    residual = panel.output - fitted
    return Fit(coef[1:], float(residual @ residual), True, 0)


def _demean_by_firm(panel: Panel, values: np.ndarray) -> np.ndarray:
    counts = np.bincount(panel.firm).astype(float)
    values = values.reshape(len(values), -1)
    means = np.column_stack(
        [np.bincount(panel.firm, weights=values[:, j]) / counts for j in range(values.shape[1])]
    )
    return values - means[panel.firm]


def _fit_within(panel: Panel, spec: EstimatorSpec, starts: list[np.ndarray] | None) -> Fit:
    terms = production_terms(input_block(panel, spec), spec.translog)
    demeaned_terms = _demean_by_firm(panel, terms)
    demeaned_output = _demean_by_firm(panel, panel.output)[:, 0]
    coef, fitted = least_squares_in_order(demeaned_terms, demeaned_output)
    residual = demeaned_output - fitted
    return Fit(coef, float(residual @ residual), True, 0)


# --- law of motion of productivity ---------------------------------------------------------


class _InnovationProblem:
    """What the two laws of motion share: the inputs, the autocorrelation and the cache.

    ``phi`` and its lag are vectors; ``terms`` and their lag are stored one variable per row
    (shape ``(k, n)``). :meth:`innovation` returns the last evaluation again when the
    optimiser asks for the value and the Jacobian at the same point; subclasses compute it in
    :meth:`_innovation`.
    """

    def __init__(
        self,
        phi: np.ndarray,
        phi_lag: np.ndarray,
        terms: np.ndarray,
        terms_lag: np.ndarray,
    ):
        self.phi, self.phi_lag = phi, phi_lag
        self.terms = np.ascontiguousarray(terms.T)
        self.terms_lag = np.ascontiguousarray(terms_lag.T)
        self._cached_theta: np.ndarray | None = None
        self._cached: tuple[np.ndarray, np.ndarray] | None = None

    @staticmethod
    def _autocorrelation(omega: np.ndarray, omega_lag: np.ndarray) -> float:
        """Correlation of ``omega`` with its lag; 0 when it is undefined."""
        with np.errstate(all="ignore"):
            value = float(np.corrcoef(omega, omega_lag)[0, 1])
        return value if np.isfinite(value) else 0.0

    def innovation(self, theta: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Return the innovation ``xi`` (shape ``(n,)``) and its Jacobian (shape ``(p, n)``)."""
        if (
            self._cached is not None
            and self._cached_theta is not None
            and np.array_equal(theta, self._cached_theta)
        ):
            return self._cached
        residual, jacobian = self._innovation(theta)
        self._cached_theta, self._cached = theta.copy(), (residual, jacobian)
        return residual, jacobian

    def _innovation(self, theta: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        raise NotImplementedError


class _MarkovProblem(_InnovationProblem):
    """Innovation in productivity as a function of the production-function parameters.

    For parameters ``theta``, ``omega = phi - theta @ terms`` and its lag are formed, ``omega``
    is regressed on a third-degree polynomial of lagged ``omega`` (plus survival terms under
    the exit correction), and the residual (the innovation ``xi``) is returned with its
    analytic Jacobian. Arrays are stored one variable per row (shape ``(k, n)``) so that every
    product is a contiguous matrix product; the last evaluation is cached because the
    optimiser asks for the value and the Jacobian at the same point.

    The polynomial is in the centred and scaled lag (the same function space), which keeps the
    normal equations well conditioned.
    """

    def __init__(
        self,
        phi: np.ndarray,
        phi_lag: np.ndarray,
        terms: np.ndarray,
        terms_lag: np.ndarray,
        survival: np.ndarray | None = None,
        shifts: np.ndarray | None = None,
    ):
        super().__init__(phi, phi_lag, terms, terms_lag)
        self.survival = survival
        self.shifts = shifts
        n_polynomial = 4 if survival is None else 10
        n_shifts = 0 if shifts is None else shifts.shape[1]
        self.basis = np.empty((n_polynomial + n_shifts, len(phi)))
        self.d_basis = np.zeros((n_polynomial + n_shifts, len(phi)))
        self.basis[0] = 1.0
        self.d_basis[1] = 1.0
        if shifts is not None:
            self.basis[n_polynomial:] = shifts.T
        if survival is not None:
            self.basis[4] = survival
            self.basis[5] = survival * survival
            self.basis[6] = self.basis[5] * survival
            self.d_basis[7] = survival
            self.d_basis[8] = self.basis[5]

    def persistence(self, theta: np.ndarray) -> float:
        """First-order autocorrelation of the implied productivity ``phi - theta @ terms``.

        With year effects, of its deviation from the year means (common shifts removed).
        """
        omega = self.phi - theta @ self.terms
        omega_lag = self.phi_lag - theta @ self.terms_lag
        if self.shifts is not None:
            design = _with_constant(self.shifts)
            both = np.column_stack([omega, omega_lag])
            both = both - design @ np.linalg.lstsq(design, both, rcond=None)[0]
            omega, omega_lag = both[:, 0], both[:, 1]
        return self._autocorrelation(omega, omega_lag)

    def _innovation(self, theta: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        omega = self.phi - theta @ self.terms
        omega_lag = self.phi_lag - theta @ self.terms_lag
        basis, d_basis = self.basis, self.d_basis
        u = basis[1]
        np.subtract(omega_lag, omega_lag.mean(), out=u)
        scale = float(np.sqrt(u @ u / len(u))) or 1.0
        u /= scale
        np.multiply(u, u, out=basis[2])
        np.multiply(basis[2], u, out=basis[3])
        np.multiply(u, 2.0, out=d_basis[2])
        np.multiply(basis[2], 3.0, out=d_basis[3])
        if self.survival is not None:
            p = self.survival
            np.multiply(p, u, out=basis[7])
            np.multiply(basis[5], u, out=basis[8])
            np.multiply(p, basis[2], out=basis[9])
            np.multiply(basis[7], 2.0, out=d_basis[9])
        gram = basis @ basis.T
        coef = _solve_small(gram, basis @ omega)
        residual = omega - coef @ basis
        d_u = self.terms_lag / -scale
        moved = -self.terms - (coef @ d_basis) * d_u
        d_coef = _solve_small(gram, d_basis @ (residual * d_u).T + basis @ moved.T)
        jacobian = moved - d_coef.T @ basis
        return residual, jacobian


class CellMeans:
    """Within-cell demeaning: subtract from each row its cell's mean (cells coded ``0..k-1``).

    Regressing on a constant and one dummy per cell but the first, then taking the residual,
    is the same as demeaning within cells (Frisch-Waugh-Lovell); this costs ``O(n)`` per
    column instead of a design with one column per cell.
    """

    def __init__(self, cells: np.ndarray):
        _, self.codes = np.unique(cells, return_inverse=True)
        self.codes = self.codes.reshape(-1)
        self.counts = np.bincount(self.codes).astype(float)
        self.n_cells = len(self.counts)
        self._row_codes: dict[int, np.ndarray] = {}

    def demean(self, values: np.ndarray) -> np.ndarray:
        """Demean a vector, or each row of a ``(k, n)`` array.

        The rows of an array are summed in one pass, row ``r`` into cells ``r * n_cells + c``:
        each cell's sum adds the same numbers in the same order as a row on its own would.
        """
        if values.ndim == 1:
            return values - (np.bincount(self.codes, weights=values) / self.counts)[self.codes]
        codes = self._codes_for(values.shape[0])
        sums = np.bincount(codes, weights=values.ravel(), minlength=values.shape[0] * self.n_cells)
        means = sums.reshape(values.shape[0], self.n_cells) / self.counts
        return values - means.ravel()[codes].reshape(values.shape)

    def _codes_for(self, n_rows: int) -> np.ndarray:
        """Cell codes of ``n_rows`` stacked rows, row ``r`` offset by ``r * n_cells``."""
        if n_rows not in self._row_codes:
            offsets = np.arange(n_rows)[:, None] * self.n_cells
            self._row_codes[n_rows] = (self.codes + offsets).ravel()
        return self._row_codes[n_rows]


class _CellMarkovProblem(_InnovationProblem):
    """The innovation of :class:`_MarkovProblem` with cell shifts, cells partialled out.

    ``omega`` and the third-degree polynomial of its lag are demeaned within cells, then
    ``omega`` is regressed on the demeaned polynomial (no constant, no dummies): the residual
    and its analytic Jacobian are those of :class:`_MarkovProblem` with shift dummies
    (Frisch-Waugh-Lovell), up to rounding. No exit correction (ACF has none).
    """

    def __init__(
        self,
        phi: np.ndarray,
        phi_lag: np.ndarray,
        terms: np.ndarray,
        terms_lag: np.ndarray,
        cells: np.ndarray,
    ):
        super().__init__(phi, phi_lag, terms, terms_lag)
        self.cells = CellMeans(cells)
        self.within_terms = self.cells.demean(self.terms)
        self.within_phi = self.cells.demean(phi)

    def persistence(self, theta: np.ndarray) -> float:
        """First-order autocorrelation of the implied productivity, net of the cell means."""
        omega = self.cells.demean(self.phi - theta @ self.terms)
        omega_lag = self.cells.demean(self.phi_lag - theta @ self.terms_lag)
        return self._autocorrelation(omega, omega_lag)

    def _innovation(self, theta: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        within_omega = self.within_phi - theta @ self.within_terms
        omega_lag = self.phi_lag - theta @ self.terms_lag
        u = omega_lag - omega_lag.mean()
        scale = float(np.sqrt(u @ u / len(u))) or 1.0
        u /= scale
        square = u * u
        polynomial = np.stack([u, square, square * u])
        d_polynomial = np.stack([np.ones_like(u), 2.0 * u, 3.0 * square])
        basis = self.cells.demean(polynomial)
        gram = basis @ basis.T
        coef = _solve_small(gram, basis @ within_omega)
        residual = within_omega - coef @ basis
        d_u = self.terms_lag / -scale
        moved = -self.within_terms - self.cells.demean((coef @ d_polynomial) * d_u)
        d_coef = _solve_small(gram, d_polynomial @ (residual * d_u).T + basis @ moved.T)
        jacobian = moved - d_coef.T @ basis
        return residual, jacobian


def _solve_small(matrix: np.ndarray, rhs: np.ndarray) -> np.ndarray:
    try:
        return np.linalg.solve(matrix, rhs)
    except np.linalg.LinAlgError:
        return np.linalg.lstsq(matrix, rhs, rcond=None)[0]


# --- Olley-Pakes and Levinsohn-Petrin ------------------------------------------------------


def _require_proxy(panel: Panel) -> np.ndarray:
    if panel.proxy is None:
        raise EstimationError("this method needs a proxy variable")
    return panel.proxy


def _lagged_columns(panel: Panel, block: np.ndarray) -> np.ndarray:
    return np.column_stack([panel.lag(block[:, j]) for j in range(block.shape[1])])


def _fit_olley_pakes(panel: Panel, spec: EstimatorSpec, starts: list[np.ndarray] | None) -> Fit:
    proxy = _require_proxy(panel)
    n_free, n_state = panel.free.shape[1], panel.state.shape[1]
    polynomial = second_degree_terms(np.column_stack([panel.state, proxy]))
    first_design = _with_constant(
        np.column_stack([panel.free, polynomial, _year_dummies(panel, spec)])
    )
    first_coef, fitted = least_squares_in_order(first_design, panel.output)
    free_coef = first_coef[1 : 1 + n_free]
    phi = fitted - panel.free @ free_coef
    survival, probit_messages = (
        _survival_probability(panel, polynomial) if spec.exit else (None, [])
    )
    rows = panel.has_lag
    problem = _MarkovProblem(
        phi[rows],
        panel.lag(phi)[rows],
        panel.state[rows],
        _lagged_columns(panel, panel.state)[rows],
        None if survival is None else survival[rows],
        _dynamic_year_dummies(panel, spec),
    )
    shock = (panel.output - fitted)[rows]

    def residual(beta: np.ndarray) -> np.ndarray:
        return shock + problem.innovation(beta)[0]

    def jacobian(beta: np.ndarray) -> np.ndarray:
        return problem.innovation(beta)[1].T

    ols = least_squares_in_order(
        _with_constant(np.column_stack([panel.free, panel.state])), panel.output
    )[0]
    candidates = [np.asarray(s, dtype=float)[n_free:] for s in (starts or [])] + [
        first_coef[1 + n_free : 1 + n_free + n_state],
        ols[1 + n_free :],
    ]
    candidates += _grid_minima(lambda beta: _sum_of_squares(residual(beta)), n_state)
    solutions = []
    for start in candidates:
        outcome = _solve(residual, jacobian, start)
        if outcome is not None:
            cost = residual(outcome.x)
            solutions.append(Solution(outcome.x, float(cost @ cost), outcome.converged))
    if not solutions:
        raise EstimationError("the second-stage search failed from every starting point")
    minima = sorted(_distinct(solutions), key=lambda s: s.criterion)
    # The lowest minimum within the plausible range; minima outside it are listed, not chosen.
    inside = [s for s in minima if _in_state_range(s.coef)]
    ordered = inside + [s for s in minima if not _in_state_range(s.coef)]
    distinct = [
        Solution(np.concatenate([free_coef, s.coef]), s.criterion, s.converged) for s in ordered
    ]
    best = distinct[0]
    return Fit(
        best.coef,
        best.criterion,
        best.converged,
        int(rows.sum()),
        tuple(distinct),
        tuple(_near_tie_messages(distinct, spec, n_state) + probit_messages),
    )


#: Range searched by the OP / LP grid for each state coefficient (a wide plausible range: an
#: elasticity is not negative, and one above 1.5 is not economically meaningful).
STATE_GRID_RANGE = (0.0, 1.5)
#: Grid points over the range when there is one state variable (step 0.025); with several,
#: the product grid is capped at about ``STATE_GRID_BUDGET`` points.
STATE_GRID_POINTS = 61
STATE_GRID_BUDGET = 2_000
#: Grid local minima refined by the local search (lowest first).
STATE_GRID_REFINED = 6
#: Two minima whose second-stage sums of squares differ by less than this share of the lower
#: one are "nearly tied": the data hardly tell them apart, and a warning says so.
NEAR_TIE_TOLERANCE = 0.005


def _in_state_range(coef: np.ndarray) -> bool:
    low, high = STATE_GRID_RANGE
    return bool(np.all((coef >= low) & (coef <= high)))


def _sum_of_squares(values: np.ndarray) -> float:
    return float(values @ values) if np.all(np.isfinite(values)) else float("inf")


def _grid_minima(objective, n_state: int) -> list[np.ndarray]:
    """Local minima of ``objective`` on a grid over :data:`STATE_GRID_RANGE` (lowest first).

    A grid point is a local minimum when no neighbour along any axis is lower. The local
    search then refines the lowest :data:`STATE_GRID_REFINED` of them, so that the second
    stage finds the global minimum over the range, not the minimum nearest to one start.
    """
    per_axis = (
        STATE_GRID_POINTS if n_state == 1 else max(5, int(STATE_GRID_BUDGET ** (1.0 / n_state)))
    )
    axis = np.linspace(*STATE_GRID_RANGE, per_axis)
    mesh = np.stack(np.meshgrid(*([axis] * n_state), indexing="ij"), axis=-1)
    points = mesh.reshape(-1, n_state)
    with np.errstate(all="ignore"):
        values = np.array([objective(point) for point in points]).reshape(mesh.shape[:-1])
    values = np.where(np.isfinite(values), values, np.inf)
    is_minimum = np.isfinite(values)
    for dimension in range(n_state):
        padded = np.pad(
            values,
            [(1, 1) if d == dimension else (0, 0) for d in range(n_state)],
            constant_values=np.inf,
        )
        before = np.take(padded, range(0, per_axis), axis=dimension)
        after = np.take(padded, range(2, per_axis + 2), axis=dimension)
        is_minimum &= (values <= before) & (values <= after)
    flat = np.flatnonzero(is_minimum.ravel())
    order = flat[np.argsort(values.ravel()[flat])][:STATE_GRID_REFINED]
    return [points[i] for i in order]


def _near_tie_messages(minima: list[Solution], spec: EstimatorSpec, n_state: int) -> list[str]:
    """Warn about the other minima of the second stage that deserve attention.

    ``minima`` is ordered as reported: the chosen one first. A lower minimum outside the
    plausible range is named; so is a runner-up within :data:`NEAR_TIE_TOLERANCE`.
    """
    if len(minima) < 2:
        return []
    title = "Olley-Pakes" if spec.method == "op" else "Levinsohn-Petrin"
    best = minima[0]
    messages: list[str] = [
        EstimationMessage(
            "lower_minimum_outside",
            f"{title}: a lower minimum of the second stage ({other.criterion:.6g} at "
            f"{np.round(other.coef, 4).tolist()}) has state coefficient(s) outside the "
            f"plausible range {list(STATE_GRID_RANGE)} and was not chosen",
            method=spec.method,
            coef=np.round(other.coef, 4).tolist(),
        )
        for other in minima[1:]
        if other.criterion < best.criterion and not _in_state_range(other.coef[-n_state:])
    ]
    runner_up = minima[1]
    gap = abs(runner_up.criterion - best.criterion)
    if gap > NEAR_TIE_TOLERANCE * best.criterion:
        return messages
    return [
        *messages,
        EstimationMessage(
            "near_tie",
            f"{title}: two minima of the second stage are nearly tied (sums of squares "
            f"{best.criterion:.6g} at {np.round(best.coef, 4).tolist()} and "
            f"{runner_up.criterion:.6g} at {np.round(runner_up.coef, 4).tolist()}, within "
            f"{NEAR_TIE_TOLERANCE:.1%}); the lower one is reported, but the data hardly tell "
            "them apart",
            method=spec.method,
            coef=np.round(best.coef, 4).tolist(),
        ),
    ]


def _cells(panel: Panel) -> np.ndarray:
    return panel.year if panel.cell is None else panel.cell


def _year_dummies(panel: Panel, spec: EstimatorSpec) -> np.ndarray:
    """One 0/1 column per cell (year) but the first (none without ``spec.year_effects``)."""
    if not spec.year_effects:
        return np.empty((panel.n_obs, 0))
    cells = _cells(panel)
    values = np.unique(cells)
    return (cells[:, None] == values[None, 1:]).astype(float)


def _dynamic_year_dummies(panel: Panel, spec: EstimatorSpec) -> np.ndarray | None:
    """Cell (year) dummies of the firm-years with a lag, for the law of motion."""
    if not spec.year_effects:
        return None
    cells = _cells(panel)[panel.has_lag]
    values = np.unique(cells)
    if len(values) < 2:
        return None
    return (cells[:, None] == values[None, 1:]).astype(float)


def _survival_probability(panel: Panel, polynomial: np.ndarray) -> tuple[np.ndarray, list[str]]:
    """Probit probability of exit given last year's state and proxy polynomial.

    Returns the probability (NaN on firm-years without a lag) and the warnings the probit
    issued, as messages.

    ``prodest`` 1.0.1's attrition correction: exit (a firm's last year, unless it is the
    panel's last year) regressed by probit on the lagged second-degree polynomial of the state
    and proxy variables.
    """
    import statsmodels.api as sm  # imported here: only the exit correction needs it

    if panel.exit_flag is None:
        raise EstimationError("the exit correction needs an exit indicator")
    rows = panel.has_lag
    outcome = panel.exit_flag[rows]
    if outcome.min() == outcome.max():
        raise EstimationError(
            "no firm leaves the panel among firm-years with a previous year: "
            "the exit correction cannot be estimated"
        )
    design = _with_constant(_lagged_columns(panel, polynomial)[rows])
    # Kept, not swallowed: statsmodels' warnings (no convergence, perfect prediction, ...)
    # are recorded here and returned, so that they reach the result's ``warnings``.
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            result = sm.Probit(outcome, design).fit(disp=0, maxiter=200)
        except Exception as error:  # statsmodels raises several types on separation
            raise EstimationError(f"the exit probit failed: {error}") from error
    probability = np.full(panel.n_obs, np.nan)
    probability[rows] = result.predict(design)
    return probability, _warning_messages("exit probit", caught)


def _warning_messages(where: str, caught: list[warnings.WarningMessage]) -> list[str]:
    """One message per distinct warning recorded, in order, naming where it arose."""
    messages: list[str] = [
        EstimationMessage(
            "library_warning",
            f"{where}: {item.category.__name__}: {item.message}",
            where=where,
        )
        for item in caught
    ]
    return list(dict.fromkeys(messages))


class SearchOutcome(NamedTuple):
    """Where a Levenberg-Marquardt search ended and whether it converged."""

    x: np.ndarray
    converged: bool


#: MINPACK's ``info`` codes of a converged search (the tolerances on the sum of squares, on
#: the step, both, or on the gradient were met); 5 is "too many evaluations", 6-8 "tolerance
#: too small".
MINPACK_CONVERGED = (1, 2, 3, 4)


def _solve(residual, jacobian, start: np.ndarray) -> SearchOutcome | None:
    """Run Levenberg-Marquardt (MINPACK's ``lmder``); return ``None`` when it breaks down.

    The call is the one ``scipy.optimize.least_squares(method="lm")`` makes (the same
    tolerances, at most ``100 * p`` evaluations for ``p`` parameters, step bound factor 100,
    scaling from the Jacobian), so the same iterates, through ``leastsq``, which adds no
    wrapper per evaluation (the estimates are the same bits).
    """
    from scipy.optimize import leastsq

    start = np.asarray(start, dtype=float)
    try:
        with np.errstate(all="ignore"):
            x, _, _, _, info = leastsq(
                residual,
                start,
                Dfun=jacobian,
                full_output=True,
                xtol=1e-13,
                ftol=1e-13,
                gtol=1e-13,
                maxfev=100 * start.size,
            )
    except (ValueError, TypeError, np.linalg.LinAlgError, FloatingPointError):
        return None
    x = np.atleast_1d(np.asarray(x, dtype=float))
    if not np.all(np.isfinite(x)):
        return None
    return SearchOutcome(x, info in MINPACK_CONVERGED)


# --- Ackerberg-Caves-Frazer -----------------------------------------------------------------


def _acf_instrument_block(panel: Panel, spec: EstimatorSpec) -> np.ndarray:
    """Instruments for the inputs: last year's free inputs (and proxy), this year's state."""
    parts = [_lagged_columns(panel, panel.free), panel.state]
    if not spec.value_added:
        parts.append(_lagged_columns(panel, _require_proxy(panel)))
    return np.column_stack(parts)


class _AcfMoments:
    """Whitened ACF moments ``L^-1 Z' xi / sqrt(n)``, with ``L L' = Z'Z``.

    Their squared norm is ``prodest``'s criterion ``m' W m`` with ``W = (Z'Z)^-1 / n``.
    """

    def __init__(
        self,
        problem: _MarkovProblem | _CellMarkovProblem,
        instruments: np.ndarray,
        extra: np.ndarray,
    ):
        self.problem = problem
        self.n_rows = len(instruments)
        projector = self._projector(instruments)
        if projector is None:
            raise EstimationError("the ACF instruments are collinear")
        self.projector = projector
        self.check_projector = self._projector(np.column_stack([instruments, extra]))

    def _projector(self, instruments: np.ndarray) -> np.ndarray | None:
        try:
            lower = np.linalg.cholesky(instruments.T @ instruments)
        except np.linalg.LinAlgError:
            return None
        return np.linalg.inv(lower) @ instruments.T / np.sqrt(self.n_rows)

    def value(self, theta: np.ndarray) -> np.ndarray:
        return self.projector @ self.problem.innovation(theta)[0]

    def jacobian(self, theta: np.ndarray) -> np.ndarray:
        return self.projector @ self.problem.innovation(theta)[1].T

    def solution(
        self, theta: np.ndarray, success: bool, tolerance: float, persistence: bool = True
    ) -> Solution:
        """Return the solution at ``theta``: criterion, exact root or not, extra check.

        ``persistence=False`` leaves the persistence NaN (see :func:`_with_persistence`).
        """
        moments = self.value(theta)
        criterion = float(moments @ moments)
        innovation = self.problem.innovation(theta)[0]
        spread = float(innovation @ innovation) / self.n_rows
        is_root = success and criterion <= tolerance * max(spread, 1e-300)
        overid = float("nan")
        if self.check_projector is not None:
            augmented = self.check_projector @ innovation
            overid = float(augmented @ augmented)
        return Solution(
            theta.copy(),
            criterion,
            bool(is_root),
            overid,
            self.problem.persistence(theta) if persistence else float("nan"),
        )


def _fit_acf(
    panel: Panel,
    spec: EstimatorSpec,
    starts: list[np.ndarray] | None,
    *,
    replication: bool = False,
) -> Fit:
    proxy = _require_proxy(panel)
    block = input_block(panel, spec)
    terms = production_terms(block, spec.translog)
    polynomial = second_degree_terms(np.column_stack([panel.free, panel.state, proxy]))
    within = replication and spec.year_effects
    if within:
        first_coef, phi = _first_stage_within_cells(panel, polynomial)
        n_shifts = len(np.unique(_cells(panel))) - 1
    else:
        years = _year_dummies(panel, spec)
        first_coef, phi = least_squares_in_order(
            _with_constant(np.column_stack([polynomial, years])), panel.output
        )
        first_coef = first_coef[: 1 + polynomial.shape[1]]
        n_shifts = years.shape[1]
    rows = panel.has_lag
    n_dynamic = int(rows.sum())
    if n_dynamic <= terms.shape[1] + 4 + n_shifts:
        raise EstimationError("too few firm-years with the previous year observed")
    problem: _MarkovProblem | _CellMarkovProblem
    if within:
        problem = _CellMarkovProblem(
            phi[rows],
            panel.lag(phi)[rows],
            terms[rows],
            _lagged_columns(panel, terms)[rows],
            _cells(panel)[rows],
        )
    else:
        problem = _MarkovProblem(
            phi[rows],
            panel.lag(phi)[rows],
            terms[rows],
            _lagged_columns(panel, terms)[rows],
            shifts=_dynamic_year_dummies(panel, spec),
        )
    instruments = production_terms(_acf_instrument_block(panel, spec), spec.translog)[rows]
    moments = _AcfMoments(problem, instruments, _lagged_columns(panel, panel.state)[rows])

    def search(candidates: list[np.ndarray]) -> list[Solution]:
        found = []
        for start in candidates:
            outcome = _solve(moments.value, moments.jacobian, np.asarray(start, dtype=float))
            if outcome is not None:
                found.append(
                    moments.solution(
                        outcome.x,
                        outcome.converged,
                        spec.root_tolerance,
                        persistence=not replication,
                    )
                )
        return found

    first_stage_start = _first_stage_term_coef(first_coef, block.shape[1], spec.translog)
    # Bootstrap replications pass the point estimate: a root reached from it ends the search.
    solutions = search(starts) if starts else []
    if not any(s.converged for s in solutions):
        solutions += search(_acf_default_starts(panel, terms, first_stage_start, spec))
    if not solutions:
        raise EstimationError("the ACF search failed from every starting point")
    distinct = _distinct(solutions)
    if replication and len(distinct) > 1:
        distinct = [_with_persistence(s, problem) for s in distinct]
    chosen, messages, indistinct = _choose_root(distinct, block, spec)
    return Fit(
        chosen.coef,
        chosen.criterion,
        chosen.converged,
        n_dynamic,
        tuple(distinct),
        tuple(messages),
        indistinct,
    )


def _with_persistence(solution: Solution, problem: _MarkovProblem | _CellMarkovProblem) -> Solution:
    """The solution with its persistence computed (left NaN while a replication searched).

    Only the choice among several distinct roots needs it; a replication that reaches one
    root from the point estimate never does.
    """
    return dataclasses.replace(solution, persistence=problem.persistence(solution.coef))


def _first_stage_within_cells(
    panel: Panel, polynomial: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """ACF's first stage with the cell dummies partialled out (Frisch-Waugh-Lovell).

    Output and the polynomial are demeaned within the panel's cells; the polynomial's
    coefficients are those of the regression with a constant and the dummies, and the fitted
    values are output minus the same residual. Returns the coefficients with a leading 0 in
    place of the constant (not used) and the fitted values.
    """
    cells = CellMeans(_cells(panel))
    within_output = cells.demean(panel.output)
    within_polynomial = cells.demean(np.ascontiguousarray(polynomial.T)).T
    coef, fitted = least_squares_in_order(within_polynomial, within_output)
    return np.concatenate([[0.0], coef]), panel.output - (within_output - fitted)


def _first_stage_term_coef(first_coef: np.ndarray, n_inputs: int, translog: bool) -> np.ndarray:
    """First-stage polynomial coefficients of the production-function terms.

    The polynomial's columns are the free, state and proxy variables, then their squares and
    products; the inputs come first, so the translog terms are among them.
    """
    linear = first_coef[1 : 1 + n_inputs]
    if not translog:
        return linear
    n_poly_vars = round((np.sqrt(8 * (len(first_coef) - 1) + 9) - 3) / 2)
    pairs = [(i, j) for i in range(n_poly_vars) for j in range(i, n_poly_vars)]
    quadratic = [
        first_coef[1 + n_poly_vars + pairs.index((i, j))]
        for i in range(n_inputs)
        for j in range(i, n_inputs)
    ]
    return np.concatenate([linear, quadratic])


def _acf_default_starts(
    panel: Panel, terms: np.ndarray, first_stage: np.ndarray, spec: EstimatorSpec
) -> list[np.ndarray]:
    """First stage, OLS, 0.5 everywhere (``prodest``'s vignette) and fixed random draws."""
    n_terms = terms.shape[1]
    n_inputs = input_block(panel, spec).shape[1]
    ols = least_squares_in_order(_with_constant(terms), panel.output)[0][1:]
    half = np.zeros(n_terms)
    half[:n_inputs] = 0.5
    starts = [first_stage, ols, half]
    rng = np.random.default_rng(ACF_START_SEED)
    while len(starts) < spec.acf_starts:
        draw = np.zeros(n_terms)
        draw[:n_inputs] = rng.uniform(0.0, 1.0, n_inputs)
        draw[n_inputs:] = rng.uniform(-0.05, 0.05, n_terms - n_inputs)
        starts.append(draw)
    return starts[: max(spec.acf_starts, 3)]


def _distinct(solutions: list[Solution]) -> list[Solution]:
    """Merge end points that are the same solution (coefficients within 1e-6, relative)."""
    ordered = sorted(solutions, key=lambda s: (not s.converged, s.criterion))
    kept: list[Solution] = []
    for candidate in ordered:
        if not any(_same_point(candidate.coef, k.coef) for k in kept):
            kept.append(candidate)
    return kept


def _same_point(first: np.ndarray, second: np.ndarray) -> bool:
    return bool(np.max(np.abs(first - second)) < 1e-6 * (1.0 + np.max(np.abs(second))))


def _plausible(block: np.ndarray, coef: np.ndarray, translog: bool) -> bool:
    """Every (mean) output elasticity strictly between 0 and 1."""
    values = elasticities(block, coef, translog)
    return bool(np.all((values > 0) & (values < 1)))


#: Two exact ACF roots are told apart when the implied productivity of the chosen one is at
#: least this much more persistent (first-order autocorrelation) than that of the runner-up.
#: On ACF (2015) designs the true root's persistence is 0.55-0.75 and the spurious root's
#: 0.0-0.1 (``benchmarks/bench_acf_roots.py``).
ROOT_PERSISTENCE_GAP = 0.2


def _choose_root(
    solutions: list[Solution], block: np.ndarray, spec: EstimatorSpec
) -> tuple[Solution, list[str], bool]:
    """Pick the estimate by the documented, validated rule.

    Exact roots first; among them the economically plausible ones (every elasticity in
    (0, 1)); then the root whose implied productivity is the most persistent. A spurious
    root makes "productivity" nearly white noise: the law of motion ``g`` is then almost a
    constant and the moments hold trivially, because nothing dated t-1 predicts the
    innovation when nothing predicts productivity at all (every exact root has a criterion of
    numerically zero, so the criterion cannot choose; neither can over-identifying moments
    with deeper lags, which measurement error in materials violates at the true root). When
    the runner-up's persistence is within :data:`ROOT_PERSISTENCE_GAP` of the chosen one's,
    the roots are indistinct: both are reported and the third value returned is ``True``.
    Without a root: the lowest criterion, flagged as not converged.

    Returns
    -------
    chosen : Solution
    messages : list of str
    indistinct : bool

    """
    roots = [s for s in solutions if s.converged]
    messages: list[str] = []
    if not roots:
        best = min(solutions, key=lambda s: s.criterion)
        messages.append(
            EstimationMessage(
                "no_root",
                "ACF: no exact root found (the optimiser did not converge); reporting the "
                f"lowest criterion reached ({best.criterion:.3g}) at "
                f"{np.round(best.coef, 4).tolist()}",
                method=spec.method,
                coef=np.round(best.coef, 4).tolist(),
            )
        )
        return best, messages, False
    plausible = [s for s in roots if _plausible(block, s.coef, spec.translog)]
    pool = sorted(plausible or roots, key=lambda s: -_finite_or(s.persistence, -np.inf))
    chosen = pool[0]
    indistinct = (
        len(pool) > 1
        and _finite_or(chosen.persistence, 0.0) - _finite_or(pool[1].persistence, 0.0)
        < ROOT_PERSISTENCE_GAP
    )
    if len(roots) > 1:
        listing = "; ".join(
            f"{np.round(s.coef, 4).tolist()} (productivity persistence {s.persistence:.2f})"
            for s in roots
        )
        rule = "plausible elasticities, then the most persistent implied productivity"
        quoted = {
            "method": spec.method,
            "n": len(roots),
            "coef": np.round(chosen.coef, 4).tolist(),
            "persistence": chosen.persistence,
        }
        if indistinct:
            messages.append(
                EstimationMessage(
                    "roots_indistinct",
                    f"ACF: {len(roots)} distinct roots fit the moments exactly and the rule "
                    f"({rule}) cannot tell them apart: {listing}. "
                    f"{np.round(chosen.coef, 4).tolist()} is listed first, but both are possible",
                    **quoted,
                )
            )
        else:
            messages.append(
                EstimationMessage(
                    "roots_chosen",
                    f"ACF: {len(roots)} distinct roots fit the moments exactly: {listing}. Chose "
                    f"{np.round(chosen.coef, 4).tolist()}: {rule}",
                    **quoted,
                )
            )
    return chosen, messages, bool(indistinct)


def _finite_or(value: float, default: float) -> float:
    return value if np.isfinite(value) else default


# --- Wooldridge -----------------------------------------------------------------------------


def _fit_wooldridge_2sls(panel: Panel, spec: EstimatorSpec, starts: list[np.ndarray] | None) -> Fit:
    """Wooldridge (2009) as ``prodestWRDG`` 1.0.1 builds its 2SLS (``validation/README.md``).

    With ``r`` the second-degree polynomial of the state and proxy variables, the firm-years
    with last year observed enter twice, stacked: block 1 has regressors ``(f, s, r)`` and
    instruments ``(f_-1, s, r)``, block 2 regressors ``(f, s, r_-1)`` and instruments
    ``(f_-1, s, r_-1)``; the output is the same in both. The stacked regressors are projected
    on the stacked instruments without a constant, then the stacked output is regressed by
    least squares on a constant and the fitted regressors. The criterion reported is that
    regression's sum of squared residuals.
    """
    proxy = _require_proxy(panel)
    rows = panel.has_lag
    n_dynamic = int(rows.sum())
    n_free, n_state = panel.free.shape[1], panel.state.shape[1]
    polynomial = second_degree_terms(np.column_stack([panel.state, proxy]))
    current_poly = polynomial[rows]
    lagged_poly = _lagged_columns(panel, polynomial)[rows]
    lagged_free = _lagged_columns(panel, panel.free)[rows]
    free, state, output = panel.free[rows], panel.state[rows], panel.output[rows]
    n_columns = n_free + n_state + polynomial.shape[1]
    if 2 * n_dynamic <= n_columns + 1:
        raise EstimationError("too few firm-years with the previous year observed")
    regressors = np.vstack(
        [np.column_stack([free, state, current_poly]), np.column_stack([free, state, lagged_poly])]
    )
    instruments = np.vstack(
        [
            np.column_stack([lagged_free, state, current_poly]),
            np.column_stack([lagged_free, state, lagged_poly]),
        ]
    )
    basis = _orthonormal_basis(instruments)
    fitted_regressors = basis @ (basis.T @ regressors)
    stacked_output = np.concatenate([output, output])
    coef, fitted = least_squares_in_order(_with_constant(fitted_regressors), stacked_output)
    residual = stacked_output - fitted
    return Fit(coef[1 : 1 + n_free + n_state], float(residual @ residual), True, n_dynamic)


def _fit_wooldridge_gmm(panel: Panel, spec: EstimatorSpec, starts: list[np.ndarray] | None) -> Fit:
    """Wooldridge's two-equation system as ``prodestWRDG_GMM`` 1.0.1 (reproduces its numbers)."""
    proxy = _require_proxy(panel)
    rows = panel.has_lag
    n_dynamic = int(rows.sum())
    n_free, n_state = panel.free.shape[1], panel.state.shape[1]
    polynomial = second_degree_terms(np.column_stack([panel.state, proxy]))
    lagged_poly = _lagged_columns(panel, polynomial)[rows]
    lagged_free = _lagged_columns(panel, panel.free)[rows]
    free, state, output = panel.free[rows], panel.state[rows], panel.output[rows]
    ones = np.ones((n_dynamic, 1))
    shared = np.column_stack([ones, free, state])
    if n_dynamic <= shared.shape[1] + lagged_poly.shape[1] + 1:
        raise EstimationError("too few firm-years with the previous year observed")
    current_specific = polynomial[rows][:, n_state:]
    n_current, n_lagged = current_specific.shape[1], lagged_poly.shape[1] + 1
    zeros_current, zeros_lagged = (
        np.zeros((n_dynamic, n_current)),
        np.zeros((n_dynamic, n_lagged)),
    )
    first = np.column_stack([shared, current_specific, zeros_lagged])
    second = np.column_stack([shared, zeros_current, ones, lagged_poly])
    first_instruments = np.column_stack([ones, free, polynomial[rows]])
    second_instruments = np.column_stack([ones, lagged_free, state, lagged_poly])
    coef, criterion = _two_stage_least_squares(
        [(first, first_instruments), (second, second_instruments)], output
    )
    return Fit(coef[1 : 1 + n_free + n_state], criterion, True, n_dynamic)


def _two_stage_least_squares(
    equations: list[tuple[np.ndarray, np.ndarray]], output: np.ndarray
) -> tuple[np.ndarray, float]:
    """System 2SLS with common coefficients across equations.

    Equals ``prodestWRDG_GMM``'s two-step GMM: its optimal weighting matrix is proportional to
    the inverse of ``Z'Z`` under its homoskedastic, common-variance assumption.

    Returns the coefficients and the criterion ``sum_e |Q_e' u_e|^2 / n``.
    """
    lhs: Any = 0.0  # sums of matrices, started from a scalar zero
    rhs: Any = 0.0
    bases = []
    for design, instruments in equations:
        basis = _orthonormal_basis(instruments)
        bases.append(basis)
        projected = basis @ (basis.T @ design)
        lhs = lhs + projected.T @ design
        rhs = rhs + projected.T @ output
    rank = np.linalg.matrix_rank(lhs)
    if rank < lhs.shape[0]:
        raise EstimationError("the Wooldridge system is not identified (collinear regressors)")
    coef = np.linalg.solve(lhs, rhs)
    criterion = 0.0
    for (design, _), basis in zip(equations, bases, strict=True):
        projection = basis.T @ (output - design @ coef)
        criterion += float(projection @ projection)
    return coef, criterion / len(output)
