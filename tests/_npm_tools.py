"""The pinned npm tools the schema and cross-language tests run (buf, protobufjs, grpc-js with
proto-loader for the Node session client, and protoc-gen-es with its runtime @bufbuild/protobuf,
typescript and Node's types for the TypeScript reader): installed by the
tests themselves from ``tools/package-lock.json`` when a checkout does not have them yet, so the
README's test command works on a fresh clone (``.ci/run`` installs them beforehand the same way)."""

from __future__ import annotations

import fcntl
import pathlib
import shutil
import subprocess

import pytest

TOOLS = pathlib.Path(__file__).resolve().parent.parent / "tools"
#: What ``npm ci`` installs that the tests look for.
INSTALLED = (TOOLS / "node_modules" / ".bin" / "buf", TOOLS / "node_modules" / ".bin" / "protoc-gen-es",
             TOOLS / "node_modules" / ".bin" / "tsc",
             *(TOOLS / "node_modules" / name / "package.json"
               for name in ("protobufjs", "@grpc/grpc-js", "@grpc/proto-loader", "@bufbuild/protobuf", "@types/node")))


def ensure_installed() -> None:
    """Run ``npm ci`` in tools/ once (a lock file keeps two test processes from racing), or fail
    the calling test with what is missing."""
    if all(path.exists() for path in INSTALLED):
        return
    npm = shutil.which("npm")
    if npm is None:
        pytest.fail("npm is not installed: the schema and cross-language tests need Node.js and npm "
                    "(apt-get install nodejs npm, as .ci/run does)", pytrace=False)
    with open(TOOLS / ".npm-ci.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not all(path.exists() for path in INSTALLED):
            done = subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=TOOLS, capture_output=True, text=True,
                                  timeout=600, check=False)
            if done.returncode != 0:
                pytest.fail(f"npm ci in tools/ failed:\n{done.stderr[-2000:]}", pytrace=False)


def node() -> str:
    """The path of ``node``, the pinned npm packages installed first; fails the calling test saying
    what to install when Node.js is missing."""
    found = shutil.which("node")
    if found is None:
        pytest.fail("node is not installed: the cross-language tests need Node.js (apt-get install nodejs)", pytrace=False)
    ensure_installed()
    return found
