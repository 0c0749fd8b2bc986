"""A server worker's start runs what the apps registered, without waiting for it."""

import gc
import threading

from approdo.core import serving
from approdo.matching import pool


def test_a_worker_start_runs_the_registered_warm_ups_in_the_background(monkeypatch):
    started, release, finished = threading.Event(), threading.Event(), threading.Event()

    def slow_warm_up():
        started.set()
        release.wait(5)
        finished.set()

    monkeypatch.setattr(serving, "_warm_ups", [slow_warm_up])
    try:
        serving.worker_started()
        assert not finished.is_set()  # the worker did not wait for it
        assert started.wait(5)
    finally:
        release.set()
        gc.unfreeze()


def test_the_ranking_pool_is_loaded_ahead():
    assert pool.warm_up in serving._warm_ups
