"""Every public exception of the package is in bridge.errors' documented hierarchy, importable
from there and from the module that raises it, and ``import bridge.errors`` loads neither gRPC nor
the batch machinery."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import grpc

import bridge
from bridge import _accel, batch, client, errors, framing


def test_every_public_exception_is_in_the_hierarchy() -> None:
    public = {
        "ValidationError": bridge.ValidationError,
        "FrameError": framing.FrameError,
        "InputFormatError": batch.InputFormatError,
        "RemoteError": client.RemoteError,
        "BridgeUnavailable": client.BridgeUnavailable,
        "PurePythonWarning": _accel.PurePythonWarning,
    }
    for name, exception in public.items():
        assert getattr(errors, name) is exception, name
        assert name in errors.__all__ and name in dir(errors), name
        assert re.search(f"[├└]── {name} ", errors.__doc__ or ""), name
    assert issubclass(errors.FrameError, errors.ValidationError)
    assert issubclass(errors.ValidationError, ValueError) and issubclass(errors.InputFormatError, ValueError)
    assert issubclass(errors.BridgeUnavailable, grpc.RpcError)
    assert issubclass(errors.PurePythonWarning, RuntimeWarning)
    # The modules of the package that define an exception define only those listed.
    for module in (errors, framing, batch, client, _accel):
        defined = {
            name for name, value in vars(module).items()
            if isinstance(value, type) and issubclass(value, BaseException)
            and value.__module__ == module.__name__ and not name.startswith("_")
        }
        assert defined <= set(public), (module.__name__, defined - set(public))


def test_importing_errors_loads_no_grpc_and_no_batch() -> None:
    code = "import json, sys, bridge.errors; print(json.dumps(sorted(sys.modules)))"
    loaded = json.loads(subprocess.run([sys.executable, "-c", code], capture_output=True, check=True, timeout=60).stdout)
    assert not [name for name in loaded if name.startswith(("grpc", "bridge.client", "bridge.batch"))], loaded
