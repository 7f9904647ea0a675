"""The ``nscl`` command line (:mod:`helpers.cli.app`); ``main`` is its entry point."""

from helpers.cli.app import main

__all__ = ["main"]
