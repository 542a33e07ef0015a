"""Bulk work runs with the cycle collector paused, and the collector is as it was afterwards."""

import gc

import pytest

from pmf_excel import PMFValueError
from pmf_excel.rules.collector import collector_paused


@collector_paused()
def doubled(figure, *, times=2):
    """The collector's state while it runs, and its answer."""
    return gc.isenabled(), figure * times


@collector_paused()
def refused():
    raise PMFValueError("a value", "what", "Expected a figure.")


@pytest.fixture(autouse=True)
def collector_running():
    gc.enable()
    yield
    gc.enable()


def test_the_collector_is_paused_while_the_work_runs_and_resumed_after():
    assert doubled(21) == (False, 42)
    assert doubled(2, times=3) == (False, 6)
    assert gc.isenabled()
    assert doubled.__name__ == "doubled"


def test_a_block_of_work_runs_with_the_collector_paused():
    with collector_paused():
        assert not gc.isenabled()
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()


def test_a_collector_paused_by_the_caller_stays_paused():
    gc.disable()
    assert doubled(1) == (False, 2)
    assert not gc.isenabled()


def test_work_that_raises_still_resumes_the_collector():
    with pytest.raises(PMFValueError, match="Expected a figure"):
        refused()
    assert gc.isenabled()
