"""Imported by the batch's fork server (:mod:`helpers.report.warm_start`): loads what builds need.

Importing this module loads :data:`helpers.report.warm_start.PRELOADED` and exempts it from
garbage collection (:func:`helpers.processes.settle_heap`); nothing else imports it.
"""

from helpers.processes import settle_heap
from helpers.report.warm_start import preload

preload()
settle_heap()  # every build forked from the server starts with what it imported exempted
