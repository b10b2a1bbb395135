"""The optional compiled accelerator, or its absence.

:mod:`bridge._speedups` (Cython, built at install time when a compiler is available) writes protobuf
bytes straight from the Structs and JSON straight from protobuf bytes; :mod:`bridge._decoder`
decodes JSON into the Structs in one pass, unknown keys included, and writes the protobuf bytes of
events and responses straight from their JSON. Their results are identical to
the pure-Python path's; where one cannot be sure of that (malformed or unusual input)
a function returns ``None`` and the caller runs the pure path, which also produces the
:class:`~bridge.ValidationError` for bad input.

Set ``RTBRIDGE_PURE_PYTHON=1`` to use the pure path even when the extension is built (tests and
benchmarks run both). When the extensions are missing (installed without a C compiler) and that
variable is not set, importing the package issues one :class:`PurePythonWarning` saying so, since
pip does not show the build's own warnings; :data:`reason` says why in plain words. When the
package was imported from a source tree (a checkout, whose ``bridge/`` holds no built extensions
after a non-editable ``pip install .``) while a copy with built extensions is installed further
down ``sys.path``, the reason says that instead, and how to get the installed copy.
"""

from __future__ import annotations

import importlib
import os
import sys
import warnings
from collections.abc import Callable
from types import ModuleType
from typing import Any

__all__ = [
    "ENV_VAR",
    "PurePythonWarning",
    "available",
    "binary_in_front_of",
    "binary_to_json",
    "decode",
    "decode_event",
    "field_frame",
    "fused_in_front_of",
    "in_front_of",
    "lines_in_front_of",
    "may_drift",
    "reason",
    "struct_to_binary",
    "writer_in_front_of",
]

#: The environment variable that forces the pure-Python path.
ENV_VAR = "RTBRIDGE_PURE_PYTHON"

#: ``struct_to_binary(obj) -> bytes | None``: a model instance as deterministic protobuf bytes.
struct_to_binary: Callable[[Any], bytes | None] | None = None
#: ``binary_to_json(data, kind) -> bytes | None``: protobuf bytes (``kind`` "event",
#: "client_event" or "response") as JSON.
binary_to_json: Callable[[Any, str], bytes | None] | None = None
#: ``binary_in_front_of(binary_to_json) -> binary_to_json``: the public function with the compiled
#: one in front of the pure one (``bridge.convert`` uses it).
binary_in_front_of: Callable[[Any], Any] | None = None
#: ``writer_in_front_of(write) -> write``: ``bridge.convert``'s protobuf writer of a model instance
#: with ``struct_to_binary`` in front of the pure one.
writer_in_front_of: Callable[[Any], Any] | None = None
#: ``decode(data, plan, strict) -> Struct | None``: a JSON document decoded into ``plan.struct``
#: (checked as strict mode checks it when ``strict``), unknown keys in ``extra``, as the pure path decodes a valid one.
decode: Callable[[Any, Any, bool], Any] | None = None
#: ``decode_event(data, strict, direction) -> Struct | None``: the same for an event of
#: ``direction`` (``bridge._schema.SERVER`` or ``CLIENT``).
decode_event: Callable[[Any, bool, Any], Any] | None = None
#: ``in_front_of(decode_event, decode_client_event, decode_response)``: the public decode functions
#: with the compiled decoder in front of the pure ones (``bridge.convert`` uses it), in that order.
in_front_of: Callable[[Any, Any, Any], tuple[Any, Any, Any]] | None = None
#: ``may_drift(data, kind) -> bool``: :func:`bridge._drift.may_drift`, compiled (``data`` bytes).
may_drift: Callable[[bytes, str], bool] | None = None
#: ``fused_in_front_of(json_to_binary) -> json_to_binary``: the public function with the one-pass
#: JSON -> protobuf writer (events and responses, straight from their JSON) in front of the
#: two-stage one (``bridge.convert`` uses it).
fused_in_front_of: Callable[[Any], Any] | None = None
#: ``lines_in_front_of(frames_of_lines, steps, ...) -> frames_of_lines``: ``bridge.batch``'s run of
#: JSON lines with the compiled record loop in front of the pure one (``bridge.batch`` uses it).
lines_in_front_of: Callable[..., Any] | None = None
#: ``field_frame(key, message, tail) -> bytes``: :func:`bridge.framing._field_frame`, compiled.
field_frame: Callable[[bytes, bytes, bytes], bytes] | None = None
#: Whether the accelerators are in use: both extensions built, loaded and not switched off.
available = False
#: Why not, in plain words (empty when they are).
reason = ""


class PurePythonWarning(RuntimeWarning):
    """Issued once, at import, when the compiled extensions are missing and the pure-Python path
    serves instead (same results, several times slower). Setting ``RTBRIDGE_PURE_PYTHON=1`` says
    that is intended and silences it."""


_NOT_BUILT = (
    "the compiled extensions were not built when realtime-bridge was installed (no C compiler, "
    "Python headers or Cython at install time), so the pure-Python path is used: same results, "
    "several times slower. Reinstall where a C compiler and the Python headers are available "
    "(e.g. apt-get install gcc python3-dev) to build them"
)


_SHADOWED = (
    "it was imported from {where} without built extensions, while an accelerated copy is installed at "
    "{copy}: Python looks in the current directory (or the script's) before the installed packages, so "
    "the bridge/ folder there shadows the installed one, and the pure-Python path is used: same results, "
    "several times slower. Run from another directory to use the installed copy, or build the extensions "
    "in place with `pip install -e .` in {tree}"
)


def _forced_pure() -> bool:
    return os.environ.get(ENV_VAR, "").strip().lower() not in ("", "0", "false", "no")


def _load(name: str) -> tuple[ModuleType | None, str]:
    """``bridge.<name>`` and ``""``, or ``None`` and why it cannot be used."""
    fullname = f"bridge.{name}"
    try:
        # import_module, not ``from bridge import ...``: bridge is still initialising here, and a
        # missing submodule would be reported as a circular import.
        return importlib.import_module(fullname), ""
    except ModuleNotFoundError as error:
        if error.name == fullname:
            return None, "not built"
        return None, f"{fullname} cannot be imported: {error}"
    except ImportError as error:  # built, but for another Python or platform, or a broken build
        return None, f"{fullname} is installed but cannot be loaded ({error})"
    except Exception as error:  # noqa: BLE001 - built, but its tables do not fit the schema: a bug, never fatal
        message = f"{fullname} failed to load ({type(error).__name__}: {error})"
        warnings.warn(f"{message}; using the pure-Python path", RuntimeWarning, stacklevel=2)
        return None, message


def _has_extensions(folder: str) -> bool:
    from importlib.machinery import EXTENSION_SUFFIXES

    return all(
        any(os.path.isfile(os.path.join(folder, name + suffix)) for suffix in EXTENSION_SUFFIXES)
        for name in ("_speedups", "_decoder")
    )


def _accelerated_copy_elsewhere() -> str | None:
    """The folder of another copy of the package on ``sys.path``, with both extensions built, that
    this one shadows (found by the import system's path finder, not imported), or ``None``."""
    from importlib.machinery import PathFinder

    here = os.path.realpath(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    for entry in list(sys.path):
        if not isinstance(entry, str) or os.path.realpath(entry or os.curdir) == here:
            continue
        try:
            spec = PathFinder.find_spec("bridge", [entry])
        except (ImportError, OSError, ValueError):
            continue
        for folder in (spec.submodule_search_locations or []) if spec is not None else []:
            if _has_extensions(folder):
                return str(folder)
    return None


def _shadowed_reason() -> str | None:
    """Why the extensions are missing when another, accelerated copy is installed; else ``None``."""
    copy = _accelerated_copy_elsewhere()
    if copy is None:
        return None
    tree = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    is_source_tree = any(os.path.isfile(os.path.join(tree, name)) for name in ("pyproject.toml", "setup.py"))
    where = f"a source tree at {tree}" if is_source_tree else tree
    return _SHADOWED.format(where=where, copy=copy, tree=tree)


if _forced_pure():
    reason = f"{ENV_VAR} is set"
else:
    _speedups, _speedups_problem = _load("_speedups")
    _decoder, _decoder_problem = _load("_decoder")
    if _speedups is not None:
        struct_to_binary = _speedups.struct_to_binary
        binary_to_json = _speedups.binary_to_json
        binary_in_front_of = _speedups.in_front_of
        writer_in_front_of = _speedups.writer_in_front_of
        may_drift = _speedups.may_drift
        field_frame = _speedups.field_frame
    if _decoder is not None:
        decode = _decoder.decode
        decode_event = _decoder.decode_event
        in_front_of = _decoder.in_front_of
        fused_in_front_of = _decoder.fused_in_front_of
        lines_in_front_of = _decoder.lines_in_front_of
    available = _speedups is not None and _decoder is not None
    if _speedups_problem == _decoder_problem == "not built":
        reason = _shadowed_reason() or _NOT_BUILT
    else:
        reason = "; ".join(
            f"bridge.{name} is not built" if problem == "not built" else problem
            for name, problem in (("_speedups", _speedups_problem), ("_decoder", _decoder_problem))
            if problem
        )
    if not available:
        warnings.warn(
            f"realtime-bridge runs in pure Python: {reason}. Set {ENV_VAR}=1 to choose that and silence this warning.",
            PurePythonWarning,
            stacklevel=2,
        )
