"""Checks on JSON text that msgspec leaves to its caller: how deep it nests, whether a string
escape is a lone surrogate, and room on the stack.

msgspec limits nesting only by the interpreter's recursion limit, so how deep a document it reads
depends on how deep the caller's own stack already is. The bridge has one fixed limit instead,
:data:`MAX_DEPTH`, checked here before msgspec runs (every path and mode, JSON and binary input).
A document within it that still meets a ``RecursionError`` met a short stack, not a deep document:
:func:`on_fresh_stack` runs the conversion again on a fresh thread, whose stack is empty.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from itertools import accumulate
from typing import Any

from bridge.errors import ValidationError

__all__ = ["MAX_DEPTH", "TOO_DEEP", "lone_surrogate", "nesting", "on_fresh_stack", "path_depth", "too_deep"]

#: The deepest nesting of objects and arrays any document may have (the top-level object is 1).
MAX_DEPTH = 256
#: The message of the violation for a document that nests deeper.
TOO_DEEP = f"nesting is too deep (more than {MAX_DEPTH} levels of objects and arrays)"

_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"', re.S)
_NOT_A_BRACKET = bytes(b for b in range(256) if b not in b"[]{}")
_STEP = bytes.maketrans(b"[{]}", b"\x01\x01\xff\xff")  # +1 and -1 as signed bytes
_SEGMENT = re.compile(r'\[(?:\d+|"(?:[^"\\]|\\.)*")\]|\.[^.\[]+')
_ESCAPE = re.compile(rb"\\(?:u([0-9a-fA-F]{4})|.)", re.S)


def _as_bytes(data: Any) -> bytes:
    if type(data) is bytes:
        return data
    if isinstance(data, str):
        return data.encode("utf-8", "surrogatepass")
    return bytes(data)  # bytearray, memoryview (any layout)


def nesting(data: Any) -> int:
    """How deep JSON text nests: 0 for a scalar, 1 for ``{}`` or ``[1]``, 2 for ``[[]]``. Brackets in
    strings do not count; in text that is not JSON the figure means nothing (but is still a number)."""
    brackets = _STRING.sub(b"", _as_bytes(data)).translate(None, _NOT_A_BRACKET)
    return max(accumulate(memoryview(brackets.translate(_STEP)).cast("b")), default=0)


def path_depth(path: str) -> int:
    """How many objects and arrays enclose the value at a JSON path (``$.a[0]`` -> 2)."""
    return len(_SEGMENT.findall(path, 1))


def too_deep(data: Any, path: str = "$") -> bool:
    """Whether JSON text, found at ``path`` in its document, makes that document nest deeper than
    :data:`MAX_DEPTH`. Cheap for the usual document: it cannot when it holds few enough brackets.
    Anything but text is left for msgspec to refuse (False)."""
    if isinstance(data, str):
        opening = data.count("[") + data.count("{")
    elif isinstance(data, (bytes, bytearray)):
        opening = data.count(b"[") + data.count(b"{")
    elif isinstance(data, memoryview):
        data = data.tobytes()
        opening = data.count(b"[") + data.count(b"{")
    else:
        return False
    # Each segment of a path starts with "." or "[", so the counts bound the path's depth from above.
    if opening + path.count(".") + path.count("[") <= MAX_DEPTH:
        return False
    return nesting(data) + path_depth(path) > MAX_DEPTH


def lone_surrogate(data: Any) -> str | None:
    """The first ``\\uXXXX`` escape in JSON text that is half of a surrogate pair standing alone
    (a high one not followed at once by a low one, or a low one by itself); ``None`` if none is."""
    text = _as_bytes(data)
    if b"\\u" not in text:
        return None
    high = None
    high_end = -1
    for match in _ESCAPE.finditer(text):
        digits = match.group(1)
        code = int(digits, 16) if digits is not None else -1
        if high is not None:
            if match.start() == high_end and 0xDC00 <= code <= 0xDFFF:
                high = None
                continue
            return high
        if 0xD800 <= code <= 0xDBFF:
            high, high_end = match.group(0).decode(), match.end()
        elif 0xDC00 <= code <= 0xDFFF:
            return match.group(0).decode()
    return high


_fresh = threading.local()


def on_fresh_stack(function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """``function(*args, **kwargs)`` run on a new thread, whose stack is empty, for a conversion that
    met a ``RecursionError``: a document within :data:`MAX_DEPTH` on a caller's stack with too
    little room left. Returns or raises what the call does there; a ``RecursionError`` even there
    is reported as nesting too deep."""
    if getattr(_fresh, "active", False):  # already on a fresh stack: it is the document after all
        raise ValidationError.at("$", TOO_DEEP, "too_deep")
    outcome: list[tuple[bool, Any]] = []

    def target() -> None:
        _fresh.active = True
        try:
            outcome.append((True, function(*args, **kwargs)))
        except RecursionError:
            outcome.append((False, ValidationError.at("$", TOO_DEEP, "too_deep")))
        except BaseException as error:  # noqa: BLE001 - handed to the caller's thread as it is
            outcome.append((False, error))

    thread = threading.Thread(target=target, name="rtbridge-fresh-stack", daemon=True)
    thread.start()
    thread.join()
    ok, value = outcome[0]
    if ok:
        return value
    raise value
