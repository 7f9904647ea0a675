"""TFP computations: data in, results out; nothing here knows about the report.

Province growth accounting and capital stock, enterprise production functions and
productivity, the effect of support, the TFP criteria set and disclosure control.
"""
