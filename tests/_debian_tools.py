"""Debian's packages the tests need: nginx and prometheus, which the scale-out and metrics tests run
as their own child processes (never as system services), the Go and Java toolchains with their
protobuf libraries, which the consumer tests build with, and espeak-ng, the speech synthesizer
``tools/make_recordings.py`` runs (tests/test_recordings.py). Installed by the tests themselves with
apt-get when the machine lacks them, so that the README's test command (which ``.ci/run`` runs)
works on a fresh machine.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import pathlib
import shutil
import subprocess
import tempfile
from collections.abc import Iterator

import pytest

#: Where Debian puts them, for a PATH without the sbin directories (a user's shell, not root's).
_DIRECTORIES = ("/usr/sbin", "/usr/bin")


def command(name: str) -> str:
    """The path of ``name`` (nginx, prometheus), the Debian package of that name installed first
    when it is missing (once per machine, under a lock, so that two test processes do not run
    apt-get together); fails the calling test saying what to install when this machine cannot
    install it (no apt-get, or not root)."""
    found = _which(name)
    if found is not None:
        return found
    apt = shutil.which("apt-get")
    if apt is None or os.geteuid() != 0:
        pytest.fail(f"{name} is not installed: this test runs Debian's {name} as a child process "
                    f"(apt-get install {name})", pytrace=False)
    with _locked():
        if _which(name) is None:
            _install(apt, name)
    found = _which(name)
    if found is None:
        pytest.fail(f"apt-get installed {name} but the command is still not found", pytrace=False)
    return found


def packages(*names: str, purpose: str) -> None:
    """Make sure the Debian packages ``names`` are installed, installing the missing ones first (as
    :func:`command` does: once, under the same lock); fails the calling test with one line naming
    what is missing when this machine cannot install them. ``purpose`` says what the test needs
    them for."""
    missing = [name for name in names if not _installed(name)]
    if not missing:
        return
    apt = shutil.which("apt-get")
    if apt is None or os.geteuid() != 0:
        pytest.fail(f"{', '.join(missing)} not installed: {purpose} (apt-get install {' '.join(missing)})",
                    pytrace=False)
    with _locked():
        missing = [name for name in names if not _installed(name)]
        if missing:
            _install(apt, *missing)
    missing = [name for name in names if not _installed(name)]
    if missing:
        pytest.fail(f"apt-get ran but {', '.join(missing)} is still not installed", pytrace=False)


@contextlib.contextmanager
def _locked() -> Iterator[None]:
    """The machine-wide lock under which apt-get runs (two test processes never run it together)."""
    with open(pathlib.Path(tempfile.gettempdir()) / "rtbridge-apt.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def _installed(package: str) -> bool:
    query = shutil.which("dpkg-query")
    if query is None:
        return False
    done = subprocess.run([query, "-W", "-f=${db:Status-Abbrev}", package], capture_output=True, text=True,
                          timeout=60, check=False)
    return done.returncode == 0 and done.stdout.startswith("ii")


def _which(name: str) -> str | None:
    return shutil.which(name) or shutil.which(name, path=os.pathsep.join(_DIRECTORIES))


def _install(apt: str, *packages: str) -> None:
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    # (another apt-get on the machine, not under this lock, holds dpkg's lock for a while: wait for it)
    install = [apt, "install", "-y", "-q", "--no-install-recommends", "-o", "DPkg::Lock::Timeout=600", *packages]
    done = subprocess.run(install, env=env, capture_output=True, text=True, timeout=900, check=False)
    if done.returncode != 0:  # a fresh machine's package lists are empty or stale: update them once
        subprocess.run([apt, "update", "-q"], env=env, capture_output=True, timeout=900, check=False)
        done = subprocess.run(install, env=env, capture_output=True, text=True, timeout=900, check=False)
    if done.returncode != 0:
        pytest.fail(f"apt-get install {' '.join(packages)} failed:\n{done.stderr[-2000:]}", pytrace=False)
