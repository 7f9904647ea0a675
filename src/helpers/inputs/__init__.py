"""Inputs: the data contracts, the readers and validation of every input file.

Run parameters, the registers, province accounts, the enterprise panel, the Department's
submission text, and the Excel templates generated from the contracts.
"""
