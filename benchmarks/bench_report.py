"""Benchmark the report pipeline (run on demand: `make benchmark` or python this file).

Prints, on this machine:
- one report (2025, Vietnamese, HTML + PDF) built by `nscl build` (wall time, process start
  included) and the pipeline's own timings from its manifest;
- the bare computation of the same helpers (every block the notebooks display, both contexts)
  in one process, and the ratio pipeline / bare;
- the batch of 2021-2025 plus the phase-1 review (`nscl batch --force`, both languages as in
  params/), wall time.
Targets (issue 6): one report <= 15 s, the batch <= 45 s, overhead <= 3 x bare computation.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NSCL = [sys.executable, "-m", "helpers.cli"]


def timed(command: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(
        command, check=True, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    return time.perf_counter() - started


def bare_computation(lang: str) -> float:
    """Import the helpers and compute every block of the annual report, without notebooks."""
    code = f"""
import time
started = time.perf_counter()
from helpers import present, programme, province_section as province
from helpers.context import load_context
ctx = load_context(year=2025, lang="{lang}", data_dir="data/sample",
                   plan_file="data/plan/quang_ninh_203.yaml")
present.summary_lead(ctx); present.show_status_table(ctx)
for t in programme.phase_targets(ctx, "growth_band"): programme.growth_band_block(ctx, t)
for t in programme.phase_targets(ctx, "cumulative_count"): programme.cumulative_block(ctx, t)
programme.milestones_table(ctx); programme.tools_block(ctx); programme.yearly_indicator_table(ctx)
for block in (province.published_block, province.headline, province.decomposition_block,
              province.periods_table, province.share_block, province.comparison_table,
              province.reconciliation_table, province.sensitivity_block,
              province.assumptions_table):
    block(ctx)
present.inputs_table(ctx)
from helpers import enterprise_section as enterprises
for block in (enterprises.headline, enterprises.diagnostics_table, enterprises.dispersion_block,
              enterprises.aggregate_block, enterprises.growth_table, enterprises.support_block,
              enterprises.pilots_table,
              enterprises.criteria_block):
    block(ctx)
print(time.perf_counter() - started)
"""
    result = subprocess.run(
        [sys.executable, "-c", code], check=True, cwd=ROOT, capture_output=True, text=True
    )
    return float(result.stdout.strip().splitlines()[-1])


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        one = timed(
            [
                *NSCL,
                "build",
                "--year",
                "2025",
                "--lang",
                "vi",
                "--format",
                "html,pdf",
                "--out",
                str(out),
            ]
        )
        manifest = json.loads((out / "2025" / "manifest.json").read_text())
        timings = manifest["timings_seconds"]
        bare = bare_computation("vi")
        pipeline = timings["total"]
        print(
            f"one report (2025, vi, HTML+PDF), wall incl. process start: {one:6.1f} s  "
            f"(target <= 15 s)"
        )
        print("  pipeline timings: " + ", ".join(f"{k} {v:.1f} s" for k, v in timings.items()))
        print(
            f"  bare computation of the same helpers: {bare:6.1f} s; pipeline / bare = "
            f"{pipeline / bare:4.1f} (target <= 3)"
        )
        params = out / "params"
        params.mkdir()
        for name in [f"{year}.yaml" for year in range(2021, 2026)] + ["phase1_review.yaml"]:
            shutil.copy(ROOT / "params" / name, params / name)
        batch = timed(
            [*NSCL, "batch", "--force", "--out", str(out / "batch"), "--params-dir", str(params)]
        )
        print(
            f"batch of 6 reports (2021-2025 + phase-1 review, vi+en, HTML+PDF): {batch:6.1f} s "
            "(target <= 45 s)"
        )


if __name__ == "__main__":
    main()
