"""What a web server's worker does once it has loaded Django (`approdo serve`).

Apps above `core` register their warm-up here (matching: the ranking's pool) rather than
being imported by the server command.
"""

import gc
import threading
from collections.abc import Callable

_warm_ups: list[Callable[[], None]] = []


def on_worker_start(warm_up: Callable[[], None]) -> None:
    """Run `warm_up` in a background thread whenever a server worker starts."""
    _warm_ups.append(warm_up)


def worker_started() -> None:
    """The warm-ups, each in a thread of its own (the worker serves meanwhile); then what is
    loaded so far is kept out of the garbage collector's full passes (they walked all of
    Django's objects: the p95 of the pages)."""
    for warm_up in _warm_ups:
        threading.Thread(target=warm_up, name=warm_up.__qualname__, daemon=True).start()
    gc.freeze()
