"""The heap settings of a build's processes (helpers.processes)."""

import gc
import subprocess
import sys

import pytest

from helpers.processes import YOUNG_COLLECTION_THRESHOLD, collection_paused


def test_settling_exempts_existing_objects_but_still_collects_new_cycles():
    # in a process of its own: freezing is for the life of a process
    code = (
        "import gc, weakref\n"
        "from helpers.processes import settle_heap\n"
        "class Node: pass\n"
        "before = Node()\n"
        "settle_heap()\n"
        "frozen = gc.get_freeze_count()\n"
        "cycle = Node(); cycle.self = cycle; probe = weakref.ref(cycle); del cycle\n"
        "gc.collect()\n"
        "print(frozen > 0, gc.get_threshold()[0], probe() is None, gc.is_tracked(before))\n"
    )
    printed = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.split()
    assert printed == ["True", str(YOUNG_COLLECTION_THRESHOLD), "True", "True"]


def test_collection_is_paused_in_the_block_and_resumed_after_it_even_on_error():
    assert gc.isenabled()
    with pytest.raises(RuntimeError), collection_paused():
        assert not gc.isenabled()
        raise RuntimeError("a PDF failed")
    assert gc.isenabled()


def test_a_collector_paused_before_the_block_stays_paused():
    gc.disable()
    try:
        with collection_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()
