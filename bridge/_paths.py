"""JSON paths and the text of violations, shared by the three converters (JSON, protobuf, strict
mode) and the service: where a problem is (``$.response.output[2].status``) and how it is said."""

from __future__ import annotations

from typing import Any

import msgspec

from bridge._guards import lone_surrogate
from bridge.errors import Violation, ViolationKind

__all__ = ["NOT_UTF8", "clip", "join", "reroot", "text_violation"]

NOT_UTF8 = "invalid UTF-8"


def join(path: str, key: str) -> str:
    """``$.a`` + ``b`` -> ``$.a.b``; keys that are not identifiers use brackets: ``$.a["b c"]``."""
    if key.isidentifier():
        return f"{path}.{key}"
    return f"{path}[{msgspec.json.encode(key).decode()}]"


#: The kind of a msgspec error, by how its message starts (msgspec's errors carry no kind: this
#: is the one place the bridge reads one from text, and the text is msgspec's). The first match wins.
_MSGSPEC_KINDS: tuple[tuple[str, ViolationKind], ...] = (
    ("Object contains unknown field", "unknown_key"),
    ("Object missing required field", "missing"),
    ("Invalid enum value", "enum"),
    ("Expected `int` <=", "range"),
    ("Expected `int` >=", "range"),
    ("Expected `", "type"),
    ("Invalid UTF-8", "invalid_text"),
    ("JSON is malformed", "malformed"),
    ("Input data was truncated", "malformed"),
)


def reroot(error: Exception, path: str) -> Violation:
    """A msgspec error (``Expected `int`, got `str` - at `$.x```) as a violation under ``path``."""
    message = str(error)
    unread: ViolationKind = "type" if isinstance(error, msgspec.ValidationError) else "malformed"
    kind = next((kind for start, kind in _MSGSPEC_KINDS if message.startswith(start)), unread)
    head, sep, tail = message.rpartition(" - at `")
    if sep:
        return Violation(path + tail[1:-1], head, kind)
    return Violation(path, message, kind)


def text_violation(error: Exception, text: Any, path: str) -> Violation:
    """The violation for JSON text msgspec could not read, said plainly: invalid UTF-8 and lone
    surrogate escapes by name (msgspec calls the latter "truncated" or "malformed")."""
    if isinstance(error, UnicodeDecodeError) or str(error).startswith("Invalid UTF-8"):
        return Violation(path, NOT_UTF8, "invalid_text")
    surrogate = lone_surrogate(text)
    if surrogate is not None:
        return Violation(path, f"lone surrogate escape {surrogate} (half of a UTF-16 pair is not Unicode)", "invalid_text")
    return reroot(error, path)


def clip(text: str, keep: int = 40) -> str:
    """``text`` cut to ``keep`` characters and its length, fit for an error message."""
    return text if len(text) <= keep else f"{text[:keep]}... ({len(text)} characters)"
