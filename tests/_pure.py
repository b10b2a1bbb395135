"""The pure path, for tests that compare it with the compiled one: every name a compiled function
took in ``bridge.convert`` (``convert.FRONTED``) and ``bridge.batch`` (``batch.FRONTED``) given
back to its pure twin (``__wrapped__``), there and in the package's re-exports, for the duration
(single-threaded use)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import bridge
from bridge import batch, convert


@contextlib.contextmanager
def pure_path() -> Iterator[None]:
    places = [(module, name) for name in convert.FRONTED for module in (convert, bridge) if hasattr(module, name)]
    places += [(batch, name) for name in batch.FRONTED]
    saved = [getattr(module, name) for module, name in places]
    for (module, name), front in zip(places, saved, strict=True):
        setattr(module, name, getattr(front, "__wrapped__", front))  # (RTBRIDGE_PURE_PYTHON: no front)
    try:
        yield
    finally:
        for (module, name), front in zip(places, saved, strict=True):
            setattr(module, name, front)
