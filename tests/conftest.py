"""Fixtures shared by the test modules."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bridge.server import running


@pytest.fixture(scope="module")
def address() -> Iterator[str]:
    """A bridge server on 127.0.0.1 (a port the OS picks) for the module's tests."""
    with running() as bound:
        yield bound
