"""The ``nscl`` command line: build, validate, estimate.

Exit codes everywhere: 0 success, 2 bad input or usage, 1 an internal error (a bug).
"""

from __future__ import annotations

import typer

app = typer.Typer(
    name="nscl",
    help=(
        "NSCL reports: annual reports on Quang Ninh's productivity-and-quality programme "
        "(Plan 203/KH-UBND) and TFP estimates. Exit codes: 0 success, 2 bad input or usage, "
        "1 internal error."
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

# --- subcommands registered from their own modules (one line each) -----------------------


def main() -> None:
    """Run the ``nscl`` command line."""
    app()


if __name__ == "__main__":
    main()
