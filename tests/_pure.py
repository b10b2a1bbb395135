"""The pure path, for tests that compare it with the compiled one: every name a compiled function
took in ``bridge.convert`` (``convert.FRONTED``) given back to its pure twin (``__wrapped__``), in
``bridge.convert`` and in the package's re-exports, for the duration (single-threaded use)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import bridge
from bridge import convert


@contextlib.contextmanager
def pure_path() -> Iterator[None]:
    places = [(module, name) for name in convert.FRONTED for module in (convert, bridge) if hasattr(module, name)]
    saved = [getattr(module, name) for module, name in places]
    for (module, name), front in zip(places, saved, strict=True):
        setattr(module, name, getattr(front, "__wrapped__", front))  # (RTBRIDGE_PURE_PYTHON: no front)
    try:
        yield
    finally:
        for (module, name), front in zip(places, saved, strict=True):
            setattr(module, name, front)
