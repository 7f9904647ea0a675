"""Paths of the project, in one place (the command line's defaults come from here)."""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
#: Root of the source checkout (``src/helpers`` -> root).
PROJECT_ROOT = Path(os.environ.get("NSCL_PROJECT_ROOT", PACKAGE_DIR.parents[1])).resolve()
DATA_DIR = PROJECT_ROOT / "data"
SAMPLE_DATA_DIR = DATA_DIR / "sample"
PARAMS_DIR = PROJECT_ROOT / "params"
NOTEBOOKS_DIR = PROJECT_ROOT / "notebooks"
REPORTS_DIR = PROJECT_ROOT / "reports"
LOCALES_DIR = PACKAGE_DIR / "locales"
TEMPLATES_DIR = PACKAGE_DIR / "templates"
#: Shared reference material beside the project (read-only, may be absent).
SHARED_DIR = PROJECT_ROOT.parent / "shared"
KERNEL_NAME = "nscl"


def resolve(path: str | Path) -> Path:
    """Resolve a path from parameters: relative paths are relative to the project root."""
    path = Path(path)
    return path if path.is_absolute() else PROJECT_ROOT / path
