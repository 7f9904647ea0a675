"""``python -m helpers.cli``: the ``nscl`` command line."""

from helpers.cli.main import main

main()
