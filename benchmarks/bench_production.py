"""Benchmarks of the enterprise production-function estimators (run on demand, not in CI).

Run with the project's Python::

    .venv/bin/python benchmarks/bench_production.py            # everything
    .venv/bin/python benchmarks/bench_production.py --quick    # skip the 1M firm-year panel

Figures printed:

1. ACF with 20 bootstrap replications on ``prodest``'s Chilean data (target: 0.4 s on two
   cores; R ``prodest`` takes about 3.7 s), with the automatic, serial and two-process
   bootstraps.
2. LP and ACF point estimates on simulated ACF DGP1 panels of 100,000 and 1,000,000 firm-years
   (target for 1M: 20 s and 2 GB peak memory). Each runs in a fresh process that simulates
   the panel, then estimates; the peak resident memory of that process (simulation included)
   is read with ``resource.getrusage``.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import time
import warnings
from pathlib import Path

VALIDATION = Path(__file__).resolve().parents[1].parent / "shared" / "validation"
CHILEAN_COLUMNS = {
    "output": "Y",
    "free": ["fX1", "fX2"],
    "state": "sX",
    "proxy": "pX",
    "id": "idvar",
    "time": "timevar",
}
PERIODS = 10


def peak_memory_mb() -> float:
    """Peak resident memory of this process so far (Linux reports kB, macOS bytes)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 1024**2 if sys.platform == "darwin" else peak / 1024


def bench_chilean(repeats: int = 5) -> None:
    import pandas as pd

    from helpers.tfp.production import EstimationWarning, estimate

    path = VALIDATION / "chilean.csv"
    if not path.is_file():
        print(f"chilean.csv not found in {VALIDATION}: skipped")
        return
    frame = pd.read_csv(path)
    print("ACF + 20 bootstrap replications, Chilean data (2,544 firm-years, 497 plants)")
    for workers, label in [(None, "automatic"), (1, "serial"), (2, "2 processes")]:
        timings = []
        for _ in range(repeats):
            started = time.perf_counter()
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", EstimationWarning)
                result = estimate(
                    frame, method="acf", reps=20, seed=1, workers=workers, **CHILEAN_COLUMNS
                )
            timings.append(time.perf_counter() - started)
        errors = ", ".join(f"{name} {value:.3f}" for name, value in result.std_errors.items())
        print(
            f"  {label:<12} best {min(timings):.3f} s, median {statistics.median(timings):.3f} s"
            f"  (std. errors: {errors}; {result.reps_used}/20 replications used)"
        )


def child(firm_years: int, method: str) -> None:
    """Simulate a panel, estimate once, print one JSON line with the figures."""
    from helpers.samples.simulate import simulate_panel
    from helpers.tfp.production import EstimationWarning, estimate

    started = time.perf_counter()
    panel = simulate_panel(firm_years // PERIODS, n_periods=PERIODS, seed=1)
    simulated = time.perf_counter() - started
    memory_before = peak_memory_mb()
    started = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", EstimationWarning)
        result = estimate(
            panel, method=method, output="y", free="l", state="k", proxy="m", id="id", time="year"
        )
    elapsed = time.perf_counter() - started
    print(
        json.dumps(
            {
                "firm_years": len(panel),
                "method": method,
                "simulate_s": simulated,
                "estimate_s": elapsed,
                "peak_mb_before": memory_before,
                "peak_mb": peak_memory_mb(),
                "coefficients": result.coefficients,
                "converged": result.converged,
            }
        )
    )


def bench_large(sizes: list[int]) -> None:
    print("Point estimates on simulated DGP1 panels (each in a fresh process)")
    for size in sizes:
        for method in ("lp", "acf"):
            command = [sys.executable, __file__, "--child", str(size), method]
            completed = subprocess.run(command, capture_output=True, text=True, check=False)
            if completed.returncode != 0:
                print(f"  {size:>9,} {method}: failed\n{completed.stderr}")
                continue
            figures = json.loads(completed.stdout.strip().splitlines()[-1])
            coefficients = ", ".join(f"{k} {v:.3f}" for k, v in figures["coefficients"].items())
            print(
                f"  {figures['firm_years']:>9,} firm-years  {method.upper():<3}"
                f"  estimate {figures['estimate_s']:6.2f} s"
                f"  (simulation {figures['simulate_s']:.1f} s)"
                f"  peak memory {figures['peak_mb']:,.0f} MB"
                f" (after simulation {figures['peak_mb_before']:,.0f} MB)"
                f"  [{coefficients}]"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="skip the 1M firm-year panel")
    parser.add_argument(
        "--child", nargs=2, metavar=("FIRM_YEARS", "METHOD"), help=argparse.SUPPRESS
    )
    arguments = parser.parse_args()
    if arguments.child:
        child(int(arguments.child[0]), arguments.child[1])
        return
    bench_chilean()
    bench_large([100_000] if arguments.quick else [100_000, 1_000_000])


if __name__ == "__main__":
    main()
