"""NSCL reports helpers."""
