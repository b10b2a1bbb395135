"""The optional compiled accelerator, or its absence.

:mod:`bridge._speedups` (Cython, built at install time when a compiler is available) writes protobuf
bytes straight from the Structs and JSON straight from protobuf bytes; :mod:`bridge._decoder`
decodes JSON into the Structs in one pass, unknown keys included. Their results are identical to
the pure-Python path's; where one cannot be sure of that (malformed or unusual input)
a function returns ``None`` and the caller runs the pure path, which also produces the
:class:`~bridge.ValidationError` for bad input.

Set ``RTBRIDGE_PURE_PYTHON=1`` to use the pure path even when the extension is built (tests and
benchmarks run both).
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Callable
from typing import Any

__all__ = [
    "ENV_VAR",
    "available",
    "binary_to_json",
    "decode",
    "decode_event",
    "in_front_of",
    "reason",
    "struct_to_binary",
]

#: The environment variable that forces the pure-Python path.
ENV_VAR = "RTBRIDGE_PURE_PYTHON"

#: ``struct_to_binary(obj) -> bytes | None``: a model instance as deterministic protobuf bytes.
struct_to_binary: Callable[[Any], bytes | None] | None = None
#: ``binary_to_json(data, kind) -> bytes | None``: protobuf bytes (``kind`` "event" or "response")
#: as JSON.
binary_to_json: Callable[[Any, str], bytes | None] | None = None
#: ``decode(data, plan, strict) -> Struct | None``: a JSON document decoded into ``plan.struct``
#: (its strict twin when ``strict``), unknown keys in ``extra``, as the pure path decodes a valid one.
decode: Callable[[Any, Any, bool], Any] | None = None
#: ``decode_event(data, strict) -> Struct | None``: the same for a server event.
decode_event: Callable[[Any, bool], Any] | None = None
#: ``in_front_of(decode_event, decode_response) -> (decode_event, decode_response)``: the public
#: decode functions with the compiled decoder in front of the pure ones (``bridge.convert`` uses it).
in_front_of: Callable[[Any, Any], tuple[Any, Any]] | None = None
#: Whether the accelerator is in use.
available = False
#: Why it is not (empty when it is).
reason = ""


def _forced_pure() -> bool:
    return os.environ.get(ENV_VAR, "").strip().lower() not in ("", "0", "false", "no")


if _forced_pure():
    reason = f"{ENV_VAR} is set"
else:
    try:
        from bridge import _speedups
    except ImportError as error:  # not built (no compiler at install time): the pure path serves
        reason = f"bridge._speedups is not built ({error})"
    except Exception as error:  # built, but its tables do not fit the schema: a bug, never fatal
        reason = f"bridge._speedups failed to load ({type(error).__name__}: {error})"
        warnings.warn(f"{reason}; using the pure-Python path", RuntimeWarning, stacklevel=2)
    else:
        struct_to_binary = _speedups.struct_to_binary
        binary_to_json = _speedups.binary_to_json
        available = True
    try:
        from bridge import _decoder
    except ImportError:  # not built: msgspec and the pure lossless path serve
        pass
    except Exception as error:  # built, but its tables do not fit the schema: a bug, never fatal
        warnings.warn(f"bridge._decoder failed to load ({type(error).__name__}: {error})", RuntimeWarning, stacklevel=2)
    else:
        decode = _decoder.decode
        decode_event = _decoder.decode_event
        in_front_of = _decoder.in_front_of
