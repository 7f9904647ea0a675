"""Block bootstrap of the production-function estimators over whole firms.

Each replication draws firms with replacement (a firm drawn twice becomes two firms with new
ids, keeping its own years and lags) and re-runs the complete estimator, first stage included.
Replication ``r`` draws from its own stream, ``SeedSequence(seed).spawn(reps)[r]``, so the
draws do not depend on how many processes share the work. Replications run in worker
processes when that is worth it; small jobs run serially. ``NSCL_BOOTSTRAP_WORKERS`` caps the
processes (a batch running builds side by side sets it to 1: its cores are busy already, and
processes cost CPU time of their own).
"""

from __future__ import annotations

import os
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

import numpy as np

from helpers.processes import BOOTSTRAP_WORKERS_ENV, available_cores, process_context
from helpers.tfp.production_estimators import (
    EstimationError,
    EstimatorSpec,
    fit,
    limit_blas_threads,
)
from helpers.tfp.production_panel import Panel

#: Below this many seconds of estimated serial work, processes cost more than they save.
PARALLEL_THRESHOLD_SECONDS = 0.3


@dataclass(frozen=True)
class BootstrapOutcome:
    """Coefficients of the successful replications (one row each) and the failure count."""

    draws: np.ndarray
    failed: int
    workers: int


def block_bootstrap(
    panel: Panel,
    spec: EstimatorSpec,
    point: np.ndarray,
    *,
    reps: int,
    seed: int | None,
    workers: int | None = None,
) -> BootstrapOutcome:
    """Re-estimate on ``reps`` resampled panels.

    Parameters
    ----------
    panel : Panel
        The estimation panel.
    spec : EstimatorSpec
        The estimator, as for the point estimate.
    point : numpy.ndarray
        The point estimate, used as the first starting point of nonlinear searches.
    reps : int
        Number of replications.
    seed : int or None
        Seed of the replications' random streams (``None``: fresh entropy).
    workers : int, optional
        Processes to use; ``None`` chooses: serial when the job is small, otherwise one process
        per available core.

    Returns
    -------
    BootstrapOutcome
        Replications whose estimator failed or did not converge are left out and counted.

    """
    streams = np.random.SeedSequence(seed).spawn(reps)
    tasks = list(enumerate(streams))
    cores = usable_cores()
    if workers is None:
        started = time.perf_counter()
        results = _run_replications(panel, spec, point, tasks[:1])
        per_replication = time.perf_counter() - started
        remaining = tasks[1:]
        if cores == 1 or per_replication * len(remaining) < PARALLEL_THRESHOLD_SECONDS:
            used = 1
            results += _run_replications(panel, spec, point, remaining)
        else:
            used = min(cores, len(remaining))
            results += _run_in_processes(panel, spec, point, remaining, used)
    elif workers <= 1 or reps < 2:
        used = 1
        results = _run_replications(panel, spec, point, tasks)
    else:
        used = min(workers, reps)
        results = _run_in_processes(panel, spec, point, tasks, used)
    results.sort(key=lambda item: item[0])
    kept = [coef for _, coef in results if coef is not None]
    draws = np.vstack(kept) if kept else np.empty((0, len(point)))
    return BootstrapOutcome(draws, reps - len(kept), used)


def usable_cores() -> int:
    """Cores the bootstrap may use: those available, at most ``NSCL_BOOTSTRAP_WORKERS`` if set.

    Raises
    ------
    ValueError
        When the variable is set to anything but a whole number of at least 1.

    """
    cores = available_cores()
    text = os.environ.get(BOOTSTRAP_WORKERS_ENV, "").strip()
    if not text:
        return cores
    if not text.isdigit() or int(text) < 1:
        raise ValueError(f"{BOOTSTRAP_WORKERS_ENV}={text!r}: expected a whole number of at least 1")
    return min(cores, int(text))


def one_replication(
    panel: Panel, spec: EstimatorSpec, point: np.ndarray, stream: np.random.SeedSequence
) -> np.ndarray | None:
    """Estimate on one resampled panel; ``None`` if the estimator fails or does not converge."""
    rng = np.random.default_rng(stream)
    firms = rng.integers(0, panel.n_firms, size=panel.n_firms)
    sample = panel.resample(firms)
    try:
        result = fit(sample, spec, starts=[point], replication=True)
    # (scipy.linalg.LinAlgError is numpy's LinAlgError)
    except (EstimationError, np.linalg.LinAlgError, ValueError):
        return None
    if not result.converged or not np.all(np.isfinite(result.coef)):
        return None
    return result.coef


def _run_replications(
    panel: Panel,
    spec: EstimatorSpec,
    point: np.ndarray,
    tasks: list[tuple[int, np.random.SeedSequence]],
) -> list[tuple[int, np.ndarray | None]]:
    return [(index, one_replication(panel, spec, point, stream)) for index, stream in tasks]


# --- worker processes ----------------------------------------------------------------------

_WORKER_STATE: tuple[Panel, EstimatorSpec, np.ndarray] | None = None
_WORKER_LIMITS: object = None


def _start_worker(panel: Panel, spec: EstimatorSpec, point: np.ndarray) -> None:
    global _WORKER_STATE, _WORKER_LIMITS
    _WORKER_STATE = (panel, spec, point)
    _WORKER_LIMITS = limit_blas_threads(1)  # kept for the worker's life: processes, not threads


def _worker_batch(
    tasks: list[tuple[int, np.random.SeedSequence]],
) -> list[tuple[int, np.ndarray | None]]:
    if _WORKER_STATE is None:  # pragma: no cover - the initializer always runs first
        raise RuntimeError("bootstrap worker was not initialised")
    panel, spec, point = _WORKER_STATE
    return _run_replications(panel, spec, point, tasks)


def _run_in_processes(
    panel: Panel,
    spec: EstimatorSpec,
    point: np.ndarray,
    tasks: list[tuple[int, np.random.SeedSequence]],
    workers: int,
) -> list[tuple[int, np.ndarray | None]]:
    batches = [tasks[i::workers] for i in range(workers)]
    with ProcessPoolExecutor(
        max_workers=workers,
        mp_context=process_context(),
        initializer=_start_worker,
        initargs=(panel, spec, point),
    ) as pool:
        results: list[tuple[int, np.ndarray | None]] = []
        for batch_result in pool.map(_worker_batch, [b for b in batches if b]):
            results.extend(batch_result)
    return results
