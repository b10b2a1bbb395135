"""The bridge server, from Python or the command line.

``python -m bridge.server [options]`` serves as ``rtbridge serve`` does (the command, its options
and running it: :mod:`bridge.service._command`), and :func:`running` starts a server inside the
current process, for tests and benchmarks (:class:`BackgroundServer` and :class:`ServerConfig`
are the server's: :mod:`bridge.service.app`).
"""

from __future__ import annotations

import sys

from bridge.service._command import add_arguments, config_from_args, main, run
from bridge.service.app import DEFAULT_HOST, DEFAULT_PORT, BackgroundServer, ServerConfig, running

__all__ = [
    "DEFAULT_HOST",
    "DEFAULT_PORT",
    "BackgroundServer",
    "ServerConfig",
    "add_arguments",
    "config_from_args",
    "main",
    "run",
    "running",
]

if __name__ == "__main__":
    sys.exit(main())
