"""Simulators and sample-data generators: used by tests and ``python -m``, never by a build."""
