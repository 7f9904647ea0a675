"""What the machine must have before ``make setup``: checked up front, named in one message.

Run by ``make setup`` with the system's Python before anything is installed, so it uses the
standard library only::

    python3 src/helpers/system_check.py            # exit 2 and one apt-get line if a need is unmet
    python3 src/helpers/system_check.py --apt all   # the Debian packages, one line (for .ci/run)

The lists below are the one place that names the system packages: ``.ci/run`` installs
``--apt all`` and the README quotes both lists (a test checks that they agree).
"""

from __future__ import annotations

import argparse
import ctypes.util
import glob
import importlib.util
import shutil
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import TextIO

MINIMUM_PYTHON = (3, 11)


@dataclass(frozen=True)
class SystemNeed:
    """One thing the machine must provide, the Debian package that provides it, and a check."""

    package: str
    what: str
    present: Callable[[], bool]


def _library(name: str) -> Callable[[], bool]:
    return lambda: ctypes.util.find_library(name) is not None


def _program(name: str) -> Callable[[], bool]:
    return lambda: shutil.which(name) is not None


def _font_files(*patterns: str) -> Callable[[], bool]:
    roots = ("/usr/share/fonts", "/usr/local/share/fonts")
    return lambda: any(
        glob.glob(f"{root}/**/{pattern}", recursive=True) for root in roots for pattern in patterns
    )


def _python_module(name: str) -> Callable[[], bool]:
    return lambda: importlib.util.find_spec(name) is not None


#: Needed to build a report (``make report``) and to run the tests (``make test``).
REQUIRED: tuple[SystemNeed, ...] = (
    SystemNeed("make", "make, which runs the two commands", _program("make")),
    SystemNeed("python3-venv", "Python's venv and pip bootstrap", _python_module("ensurepip")),
    SystemNeed(
        "libpango-1.0-0", "Pango, with which WeasyPrint lays out the PDF", _library("pango-1.0")
    ),
    SystemNeed("libpangoft2-1.0-0", "Pango's FreeType back end", _library("pangoft2-1.0")),
    SystemNeed(
        "fonts-dejavu-core",
        "DejaVu Sans, a font that covers Vietnamese",
        _font_files("DejaVuSans.ttf"),
    ),
)

#: Used when present; the build and the tests work without them (tests that need one skip and
#: say which package to install).
OPTIONAL: tuple[SystemNeed, ...] = (
    SystemNeed(
        "libharfbuzz-subset0",
        "HarfBuzz subsetting (faster PDF fonts; fontTools is used otherwise)",
        _library("harfbuzz-subset"),
    ),
    SystemNeed(
        "fonts-noto-core", "Noto Sans, the report's first font", _font_files("NotoSans-*.ttf")
    ),
    SystemNeed("git", "git, to record the commit in each manifest", _program("git")),
    SystemNeed("poppler-utils", "pdftoppm and pdfinfo, to look at PDF pages", _program("pdftoppm")),
    SystemNeed(
        "chromium", "Chromium, for the browser test of the HTML report", _program("chromium")
    ),
    SystemNeed(
        "libreoffice-writer-nogui",
        "LibreOffice Writer, to turn the Word submission into PDF (nscl does not need it)",
        _program("soffice"),
    ),
    SystemNeed(
        "fonts-liberation",
        "Liberation Serif, metric-compatible with Times New Roman (the submission's font)",
        _font_files("LiberationSerif-Regular.ttf"),
    ),
)


def missing(needs: tuple[SystemNeed, ...]) -> list[SystemNeed]:
    """The needs that this machine does not meet."""
    return [need for need in needs if not need.present()]


def apt_line(needs: list[SystemNeed]) -> str:
    """The one command that installs ``needs`` on Debian or Ubuntu."""
    packages = " ".join(need.package for need in needs)
    return f"apt-get update && apt-get install -y --no-install-recommends {packages}"


def report(out: TextIO | None = None) -> int:
    """Print what is missing; 0 when the required needs are met, 2 otherwise."""
    out = out or sys.stdout
    if sys.version_info < MINIMUM_PYTHON:
        wanted = ".".join(map(str, MINIMUM_PYTHON))
        print(f"nscl needs Python {wanted} or newer (this is {sys.version.split()[0]}).", file=out)
        return 2
    unmet = missing(REQUIRED)
    optional = missing(OPTIONAL)
    if optional:
        print("Optional, not on this machine (install for the full test suite):", file=out)
        for need in optional:
            print(f"  {need.package}: {need.what}", file=out)
        print(f"  {apt_line(optional)}", file=out)
    if not unmet:
        return 0
    print("This machine lacks what the reports need:", file=out)
    for need in unmet:
        print(f"  {need.package}: {need.what}", file=out)
    print("Install them first (as root), then run make again:", file=out)
    print(f"  {apt_line(unmet)}", file=out)
    return 2


def main(argv: list[str] | None = None) -> int:
    """Command line of the check (see the module's docstring)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--apt",
        choices=("required", "optional", "all"),
        help="print the Debian packages of a list on one line and exit",
    )
    args = parser.parse_args(argv)
    if args.apt:
        needs = {"required": REQUIRED, "optional": OPTIONAL, "all": REQUIRED + OPTIONAL}[args.apt]
        print(" ".join(need.package for need in needs))
        return 0
    return report()


if __name__ == "__main__":
    sys.exit(main())
