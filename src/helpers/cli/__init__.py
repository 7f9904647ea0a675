"""The ``nscl`` command line."""
