"""JSON paths and the text of violations, shared by the three converters (JSON, protobuf, strict
mode) and the service: where a problem is (``$.response.output[2].status``) and how it is said."""

from __future__ import annotations

from typing import Any

import msgspec

from bridge._guards import lone_surrogate
from bridge.errors import Violation

__all__ = ["NOT_UTF8", "clip", "join", "reroot", "text_violation"]

NOT_UTF8 = "invalid UTF-8"


def join(path: str, key: str) -> str:
    """``$.a`` + ``b`` -> ``$.a.b``; keys that are not identifiers use brackets: ``$.a["b c"]``."""
    if key.isidentifier():
        return f"{path}.{key}"
    return f"{path}[{msgspec.json.encode(key).decode()}]"


def reroot(error: Exception, path: str) -> Violation:
    """A msgspec error (``Expected `int`, got `str` - at `$.x```) as a violation under ``path``."""
    message = str(error)
    head, sep, tail = message.rpartition(" - at `")
    if sep:
        return Violation(path + tail[1:-1], head)
    return Violation(path, message)


def text_violation(error: Exception, text: Any, path: str) -> Violation:
    """The violation for JSON text msgspec could not read, said plainly: invalid UTF-8 and lone
    surrogate escapes by name (msgspec calls the latter "truncated" or "malformed")."""
    if isinstance(error, UnicodeDecodeError) or str(error).startswith("Invalid UTF-8"):
        return Violation(path, NOT_UTF8)
    surrogate = lone_surrogate(text)
    if surrogate is not None:
        return Violation(path, f"lone surrogate escape {surrogate} (half of a UTF-16 pair is not Unicode)")
    return reroot(error, path)


def clip(text: str, keep: int = 40) -> str:
    """``text`` cut to ``keep`` characters and its length, fit for an error message."""
    return text if len(text) <= keep else f"{text[:keep]}... ({len(text)} characters)"
