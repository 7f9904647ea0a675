"""Imported by the batch's fork server (:mod:`helpers.report.warm_start`): loads what builds need.

Importing this module imports :data:`helpers.report.warm_start.PRELOADED`; nothing else does.
"""

from helpers.report.warm_start import preload

preload()
