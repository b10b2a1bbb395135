"""Debian's nginx and prometheus, which the scale-out and metrics tests run as their own child
processes (never as system services): installed by the tests themselves with apt-get when the
machine lacks them, so that the README's test command (which ``.ci/run`` runs) works on a fresh machine.
"""

from __future__ import annotations

import fcntl
import os
import pathlib
import shutil
import subprocess
import tempfile

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
    with open(pathlib.Path(tempfile.gettempdir()) / "rtbridge-apt.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if _which(name) is None:
            _install(apt, name)
    found = _which(name)
    if found is None:
        pytest.fail(f"apt-get installed {name} but the command is still not found", pytrace=False)
    return found


def _which(name: str) -> str | None:
    return shutil.which(name) or shutil.which(name, path=os.pathsep.join(_DIRECTORIES))


def _install(apt: str, package: str) -> None:
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    install = [apt, "install", "-y", "-q", "--no-install-recommends", package]
    done = subprocess.run(install, env=env, capture_output=True, text=True, timeout=900, check=False)
    if done.returncode != 0:  # a fresh machine's package lists are empty or stale: update them once
        subprocess.run([apt, "update", "-q"], env=env, capture_output=True, timeout=900, check=False)
        done = subprocess.run(install, env=env, capture_output=True, text=True, timeout=900, check=False)
    if done.returncode != 0:
        pytest.fail(f"apt-get install {package} failed:\n{done.stderr[-2000:]}", pytrace=False)
