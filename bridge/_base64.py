"""Base64 text ⇄ bytes for the ``(base64)`` fields (audio), losing nothing.

Canonical base64 (the standard alphabet, padded, the bits after the last byte zero: what every
encoder writes, and what the API sends) is carried as its bytes alone. Any other text decodes to a
:class:`~bridge.models.Base64Text`: what a lenient decoder reads from it, and the exact text.
"""

from __future__ import annotations

from typing import Any

import msgspec
import pybase64

from bridge._model_base import Base64Text

__all__ = ["ENCODE_FROM", "canonical", "encoded", "fault", "lenient", "loose_padding", "value_of"]

_DIGITS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
#: The digits that may stand before one ``=`` (their low 2 bits unused) and before ``==`` (4 bits).
#: (As code points, which are the bytes of their UTF-8.)
_BEFORE_ONE = frozenset(ord(d) for i, d in enumerate(_DIGITS) if i % 4 == 0)
_BEFORE_TWO = frozenset(ord(d) for i, d in enumerate(_DIGITS) if i % 16 == 0)
_WHITESPACE = str.maketrans("", "", " \t\n\r\f\v")
_URL_SAFE = str.maketrans("-_", "+/")
#: msgspec's base64 decoder (C): the standard alphabet, padded, padding only at the end; it ignores
#: the unused bits, which :func:`canonical` checks itself.
_DECODE = msgspec.convert


#: The length from which :func:`encoded` is faster than msgspec's own base64 (a scalar loop, which
#: takes 5x as long on 16 KiB of audio; below about 1 KiB it wins, as the copies here cost more).
ENCODE_FROM = 1024
_ENCODE = pybase64.b64encode  # (SIMD)


def encoded(data: bytes) -> msgspec.Raw:
    """The JSON string of ``data`` in canonical base64, ready for msgspec to copy into a document:
    the same text msgspec writes for ``bytes``, encoded by pybase64."""
    return msgspec.Raw(b"".join((b'"', _ENCODE(data), b'"')))


def canonical(text: str) -> bytes | None:
    """The bytes ``text`` is the canonical base64 of, or None."""
    if len(text) % 4:
        return None
    try:
        data = _DECODE(text, bytes)
    except msgspec.ValidationError:
        return None
    if text.endswith("=="):
        return data if ord(text[-3]) in _BEFORE_TWO else None
    if text.endswith("="):
        return data if ord(text[-2]) in _BEFORE_ONE else None
    return data


def lenient(text: str) -> bytes | None:
    """What a lenient decoder reads from ``text``: whitespace dropped, padding restored, the
    URL-safe alphabet read as the standard one, unused bits ignored; None when even that fails."""
    digits = text.translate(_WHITESPACE).translate(_URL_SAFE).rstrip("=")
    if len(digits) % 4 == 1:
        return None
    try:
        return _DECODE(digits + "=" * (-len(digits) % 4), bytes)
    except msgspec.ValidationError:
        return None


def value_of(text: str) -> bytes:
    """The Struct value of a base64 key: ``bytes`` for canonical text, else a Base64Text."""
    data = canonical(text)
    if data is not None:
        return data
    return Base64Text(lenient(text) or b"", text)


def fault(text: str) -> str:
    """What makes ``text`` (not canonical) other than canonical base64, for strict mode's error."""
    digits = text.rstrip("=")
    if any(c in " \t\n\r\f\v" for c in text):
        return "whitespace in base64"
    if "-" in text or "_" in text:
        return "URL-safe base64 ('-', '_'); the API takes the standard alphabet"
    if "=" in digits:
        return "padding inside base64"
    if any(c not in _DIGITS for c in digits):
        bad = next(c for c in digits if c not in _DIGITS)
        return f"{bad!r} is not a base64 character"
    if len(text) % 4:
        return "base64 length is not a multiple of 4 (missing padding)"
    if len(text) - len(digits) > 2:
        return "too much base64 padding"
    return "base64 with bits set after the last byte (not what an encoder writes)"


def loose_padding(data: Any) -> bool:
    """Whether msgspec's base64 decoding may have read some string of the JSON document ``data``
    differently from :func:`canonical`. It checks everything but the unused bits, which only a
    string ending in padding has: true when such a string's last digit has them set (``"AB=="``),
    or cannot be told from the raw text (an escape next to the padding, an escaped ``=``). A true
    answer only costs a slower exact decode."""
    if isinstance(data, str):
        data = data.encode("utf-8", "surrogatepass")
    elif not isinstance(data, bytes):
        data = bytes(data)
    if b"\\u003" in data:  # ("=" is \\u003d)
        return True
    end = data.find(b'="')
    while end >= 0:
        start = end
        while start > 0 and data[start - 1] == 0x3D:  # "="
            start -= 1
        pads = end + 1 - start
        last = data[start - 1] if start else 0
        if pads > 2 or last not in (_BEFORE_TWO if pads == 2 else _BEFORE_ONE):
            return True
        if b"\\" in data[max(0, start - 6):start]:
            return True
        end = data.find(b'="', end + 2)
    return False
