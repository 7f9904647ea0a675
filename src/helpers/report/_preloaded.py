"""Imported by the batch's fork server (:mod:`helpers.report.warm_start`): loads what builds need.

Importing this module loads :data:`helpers.report.warm_start.PRELOADED`; nothing else imports it.
"""

from helpers.report.warm_start import preload

preload()
