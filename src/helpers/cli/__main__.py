"""``python -m helpers.cli``: the ``nscl`` command line."""

from helpers.cli import main

main()
