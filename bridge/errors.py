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
from typing import TYPE_CHECKING, Any, Final, Literal, NamedTuple, get_args

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
    "VIOLATION_KINDS",
    "Violation",
    "ViolationKind",
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


#: What kind of problem a :class:`Violation` is, named where it is found (never read back from its
#: message):
#:
#: - ``malformed``: the input cannot be read as JSON or protobuf, or records that contradict each other
#: - ``invalid_text``: text that is not Unicode (invalid UTF-8, a lone surrogate escape)
#: - ``too_deep``: objects and arrays nested deeper than the converters go
#: - ``type``: a value of the wrong type (in strict mode also a value that misfits its field)
#: - ``range``: a number beyond what its field holds
#: - ``limit``: a value beyond a documented limit of the API (strict mode)
#: - ``enum``: a string that is none of its enum's values (strict mode)
#: - ``missing``: a required key is absent
#: - ``unknown_key``: a key the schema does not have (strict mode)
#: - ``other``: none of these (a violation made outside the bridge, or received without a kind)
ViolationKind = Literal[
    "malformed", "invalid_text", "too_deep", "type", "range", "limit", "enum", "missing", "unknown_key", "other"
]
#: Every :data:`ViolationKind`.
VIOLATION_KINDS: Final[frozenset[str]] = frozenset(get_args(ViolationKind))


class Violation(NamedTuple):
    """One problem in the input: where (a JSON path such as ``$.response.output[2].status``), what,
    and its :data:`ViolationKind`."""

    path: str
    message: str
    kind: ViolationKind = "other"

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
    def at(cls, path: str, message: str, kind: ViolationKind = "other") -> ValidationError:
        """An error with a single violation."""
        return cls([Violation(path, message, kind)])

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
        super().__init__([Violation("$", f"{message} (frame at byte offset {offset})", "malformed")])


class RemoteError(Exception):
    """The server failed to convert one input of a stream for a reason other than bad input."""

    def __init__(self, code: grpc.StatusCode, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
