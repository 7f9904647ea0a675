"""Benchmark the report pipeline (run on demand: `make benchmark` or python this file).

Prints, on this machine, each figure next to its target (issue "fresh machine, fast loop"):

- cold build: 2025, Vietnamese, HTML + PDF, `nscl build` with an empty results cache
  (wall time, the command's own start included)                          target <= 15 s
- rebuild after editing a notebook's text: a sentence added to a narrative (markdown) cell, as
  an analyst would; the executed notebooks and results come from the cache, no kernel runs
  (its breakdown from the manifest is printed below the table)            target <= 8 s
- peak memory of the largest process of one build (the notebook kernel)  target <= 800 MB
- the batch 2021-2025 x vi,en plus the phase-1 review, in one command (`nscl batch --years
  2021-2025 --lang vi,en --params params/phase1_review.yaml --force`), with an empty cache and
  again with the cache filled                                  targets <= 60 s and <= 30 s

The project's results cache is left untouched (a temporary cache folder is used); the edited
notebook is restored as it was, whatever happens. Use `--repeat N` for the median of N runs. A
command that fails stops the benchmark; its output, the build logs and the cache are kept and
their folder is named.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NSCL = [sys.executable, "-m", "helpers.cli"]
ONE_REPORT = ["build", "--year", "2025", "--lang", "vi", "--format", "html,pdf"]
TARGETS = {
    "cold build (s)": 15.0,
    "rebuild after a text edit (s)": 8.0,
    "peak memory of a build (MB)": 800.0,
    "batch, empty cache (s)": 60.0,
    "batch, cache filled (s)": 30.0,
}


class CommandError(Exception):
    """An ``nscl`` command of the benchmark failed; its output and the folders are kept."""


def run(arguments: list[str], environment: dict[str, str]) -> float:
    """Run ``nscl`` with ``arguments``; return the wall time in seconds.

    The command's output goes to ``nscl-output.log`` beside the reports folder (``--out``),
    so that a failure can be read afterwards.
    """
    log = Path(arguments[arguments.index("--out") + 1]).parent / "nscl-output.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    with log.open("w", encoding="utf-8") as output:
        finished = subprocess.run(
            [*NSCL, *arguments], cwd=ROOT, env=environment, stdout=output, stderr=output
        )
    if finished.returncode != 0:
        raise CommandError(f"nscl {' '.join(arguments)} exited with {finished.returncode}")
    return time.perf_counter() - started


def peak_child_memory_mb() -> float:
    """Largest resident set of any finished child process so far (Linux: kilobytes)."""
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def edit_notebook_text(path: Path) -> str:
    """Add a sentence to the first narrative (markdown) cell of a notebook; return the original.

    Only the text changes, as when an analyst rewords a paragraph: code cells stay as they are.
    """
    original = path.read_text(encoding="utf-8")
    book = json.loads(original)
    cell = next(c for c in book["cells"] if c["cell_type"] == "markdown")
    cell["source"] = "".join(cell["source"]) + "\n\nCâu này được thêm khi đo thời gian dựng lại."
    path.write_text(json.dumps(book, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return original


def rebuild_breakdown(report: Path) -> dict[str, float]:
    """Seconds of each phase of a build, from its manifest, and where the notebooks came from."""
    manifest = json.loads((report / "manifest.json").read_text(encoding="utf-8"))
    breakdown = dict(manifest["timings_seconds"])
    breakdown["notebooks from the cache (1 = yes)"] = float(
        any(
            name.startswith("executed section notebooks") and source == "cache"
            for name, source in manifest["results"].items()
        )
    )
    return breakdown


def measure(out: Path, cache: Path, batch: bool = True) -> dict[str, float]:
    """One round of every figure (``batch=False``: the one-report figures only)."""
    environment = {**os.environ, "NSCL_CACHE_DIR": str(cache)}
    figures = {}
    shutil.rmtree(cache, ignore_errors=True)
    figures["cold build (s)"] = run([*ONE_REPORT, "--out", str(out)], environment)
    figures["peak memory of a build (MB)"] = peak_child_memory_mb()
    notebook = ROOT / "notebooks" / "01_summary.ipynb"
    original = edit_notebook_text(notebook)
    try:
        figures["rebuild after a text edit (s)"] = run(
            [*ONE_REPORT, "--out", str(out)], environment
        )
    finally:
        notebook.write_text(original, encoding="utf-8")
    breakdown = rebuild_breakdown(out / "2025")
    figures.update({f"  {name}": value for name, value in breakdown.items()})
    figures["  command start, imports, landing"] = (
        figures["rebuild after a text edit (s)"] - breakdown["total"]
    )
    if not batch:
        return figures
    shutil.rmtree(cache, ignore_errors=True)
    batch = [
        "batch", "--years", "2021-2025", "--lang", "vi,en",
        "--params", "params/phase1_review.yaml", "--force", "--out", str(out),
    ]  # fmt: skip
    figures["batch, empty cache (s)"] = run(batch, environment)
    figures["batch, cache filled (s)"] = run(batch, environment)
    return figures


def main() -> None:
    """Measure and print every figure next to its target."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=1, help="rounds (the median is shown)")
    parser.add_argument(
        "--no-batch", action="store_true", help="one report only (cold build, rebuild, memory)"
    )
    args = parser.parse_args()
    rounds = []
    tmp = Path(tempfile.mkdtemp(prefix="nscl-benchmark-"))
    try:
        for _ in range(args.repeat):
            rounds.append(measure(tmp / "reports", tmp / "cache", batch=not args.no_batch))
    except CommandError as failure:  # kept: the command's output, the build logs, the cache
        sys.exit(f"{failure}; its output: {tmp / 'nscl-output.log'}, build logs: {tmp}")
    shutil.rmtree(tmp, ignore_errors=True)
    print(f"{'figure':<34}{'measured':>10}{'target':>10}  verdict  (rounds: min-max)")
    for name, target in TARGETS.items():
        if name not in rounds[0]:
            continue
        values = [r[name] for r in rounds]
        value = statistics.median(values)
        verdict = "met" if value <= target else "MISSED"
        spread = f"  ({min(values):.1f}-{max(values):.1f})" if len(values) > 1 else ""
        print(f"{name:<34}{value:>10.1f}{target:>10.1f}  {verdict:<7}{spread}")
    print("rebuild after a text edit, by phase (s, from its manifest):")
    for name in sorted(n for n in rounds[0] if n.startswith("  ")):
        print(f"{name:<44}{statistics.median(r[name] for r in rounds):>10.2f}")
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print(f"({args.repeat} round(s), {os.cpu_count()} cores, load average {load})")


if __name__ == "__main__":
    main()
