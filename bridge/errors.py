"""Every exception the bridge raises, in one hierarchy.

Bad input is always one error, :class:`ValidationError`, carrying every :class:`Violation` (a JSON
path and what is wrong there); the others say what failed around the conversions::

    ValueError
    ├── ValidationError       bad input: malformed JSON or protobuf, a wrong type, a value out of
    │   │                     range, (strict) anything outside the schema; every violation listed
    │   └── FrameError        a length-delimited stream that cannot be read past ``offset``
    │                         (truncated or malformed framing; bridge.framing)
    └── InputFormatError      a batch run's input is in another format than the one it reads
                              (bridge.batch; the rtbridge commands)
    Exception
    └── RemoteError           the bridge server failed to convert one input of a stream for a
                              reason other than bad input (bridge.client; a stream's result)
    grpc.RpcError
    └── BridgeUnavailable     the bridge server cannot be reached or did not answer in time
                              (bridge.client; retried, then raised)
    RuntimeWarning
    └── PurePythonWarning     issued at import when the compiled extensions are missing
                              (bridge._accel)

Each is importable from here, and from the module that raises it (``bridge.framing.FrameError``,
``bridge.client.BridgeUnavailable``, ...). :class:`BridgeUnavailable`, :class:`InputFormatError` and
:class:`PurePythonWarning` stay defined beside what they need (gRPC, the batch run's statistics,
the accelerators' switch) and are imported from there when first asked for here, so that
``import bridge`` loads none of those. (Inside the converters, ``bridge._binary.Unrepresentable``
marks a value protobuf cannot hold; it never leaves the package, which reports it as a
:class:`ValidationError`.)
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    import grpc

    from bridge._accel import PurePythonWarning
    from bridge.batch import InputFormatError
    from bridge.client import BridgeUnavailable

__all__ = [
    "BridgeUnavailable",
    "FrameError",
    "InputFormatError",
    "PurePythonWarning",
    "RemoteError",
    "ValidationError",
    "Violation",
]

#: The exceptions defined where they are raised, by the module that defines them.
_ELSEWHERE = {
    "BridgeUnavailable": "bridge.client",
    "InputFormatError": "bridge.batch",
    "PurePythonWarning": "bridge._accel",
}


def __getattr__(name: str) -> Any:
    module = _ELSEWHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)


def __dir__() -> list[str]:
    return sorted({*globals(), *_ELSEWHERE})


class Violation(NamedTuple):
    """One problem in the input: where (a JSON path such as ``$.response.output[2].status``) and what."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.message} - at `{self.path}`"


class ValidationError(ValueError):
    """Input the bridge cannot accept: malformed JSON or protobuf, a wrong type, a value out of
    range, or (in strict mode) anything outside the documented schema.

    ``violations`` lists every problem found, in the order found; ``str(error)`` names them all.
    """

    def __init__(self, violations: Iterable[Violation]) -> None:
        self.violations: tuple[Violation, ...] = tuple(violations)
        if not self.violations:
            raise ValueError("a ValidationError needs at least one violation")
        super().__init__(self._summary())

    @classmethod
    def at(cls, path: str, message: str) -> ValidationError:
        """An error with a single violation."""
        return cls([Violation(path, message)])

    def _summary(self) -> str:
        first, *rest = self.violations
        if not rest:
            return str(first)
        lines = "\n".join(f"  {v}" for v in self.violations)
        return f"{len(self.violations)} violations:\n{lines}"


class FrameError(ValidationError):
    """A delimited stream that cannot be read past :attr:`offset`: truncated or malformed framing.

    The stream cannot be resynchronised after it, so reading stops there.
    """

    def __init__(self, offset: int, message: str) -> None:
        #: Byte offset, from the start of the stream, of the frame that breaks.
        self.offset = offset
        super().__init__([Violation("$", f"{message} (frame at byte offset {offset})")])


class RemoteError(Exception):
    """The server failed to convert one input of a stream for a reason other than bad input."""

    def __init__(self, code: grpc.StatusCode, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
