"""`rtbridge --version` costs about what `import bridge` costs: it loads none of the service, gRPC,
asyncio or the batch machinery, and only a few standard modules (argparse's) beyond the library.

Counted in modules, not timed: the issue's target (within 1.5x of `python -c "import bridge"`) is
held here as a ratio of module counts, which does not depend on the machine's load.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

TIMEOUT = 60.0
#: Modules that `--version` must not load (prefixes).
FORBIDDEN = ("grpc", "grpc_", "asyncio", "bridge.service", "bridge.server", "bridge.client", "bridge.batch",
             "bridge.framing", "tempfile", "random", "google.rpc", "concurrent")
#: Modules `--version` may load beyond `import bridge`, as a share of those `import bridge` loads
#: (about 100); today: bridge.cli, argparse and what argparse and shutil bring (about 10).
MAX_SHARE = 0.25

_PROBE = """
import json, sys
bare = set(sys.modules)
import bridge
library = set(sys.modules)
from bridge.cli import main
try:
    main(ARGV)
except SystemExit:
    pass
print(json.dumps({"library": sorted(library - bare), "extra": sorted(set(sys.modules) - library)}))
"""


def _modules(argv: list[str]) -> dict[str, list[str]]:
    code = _PROBE.replace("ARGV", repr(argv))
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=TIMEOUT, check=True)
    return json.loads(result.stdout.decode().splitlines()[-1])


@pytest.mark.parametrize("argv", [["--version"], ["--help"]])
def test_version_and_help_load_little_beyond_the_library(argv: list[str]) -> None:
    loaded = _modules(argv)
    extra = loaded["extra"]
    assert not [name for name in extra if name.startswith(FORBIDDEN)], extra
    assert all(name == "bridge.cli" or name.split(".")[0].lstrip("_") in _stdlib() for name in extra), extra
    assert len(extra) <= MAX_SHARE * len(loaded["library"]), (len(extra), len(loaded["library"]), extra)


def _stdlib() -> set[str]:
    return {name.lstrip("_") for name in sys.stdlib_module_names}
