"""CI changes colour only when the code does: every tool it installs is pinned in constraints.txt.

The README's test command and ``.ci/run`` install with ``PIP_CONSTRAINT=constraints.txt``; these
tests check that the file pins, with ``==``, every requirement pyproject.toml names (runtime, test,
bench and build), at a version inside the range users are promised, and that the environment the
suite runs in is the pinned one.
"""

from __future__ import annotations

import pathlib
import re
import tomllib
from importlib import metadata

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = pathlib.Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())


def _pins() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "constraints.txt").read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            match = re.fullmatch(r"([A-Za-z0-9_.\-]+)==([^\s;]+)", line)
            assert match, f"constraints.txt: {line!r} is not an exact pin"
            pins[canonicalize_name(match[1])] = match[2]
    return pins


def _requirements() -> list[tuple[str, Requirement]]:
    project = PYPROJECT["project"]
    named = [("dependencies", r) for r in project["dependencies"]]
    named += [(f"[{extra}]", r) for extra, reqs in project["optional-dependencies"].items() for r in reqs]
    named += [("build-system", r) for r in PYPROJECT["build-system"]["requires"]]
    return [(where, Requirement(text)) for where, text in named]


@pytest.mark.parametrize(("where", "requirement"), _requirements(), ids=lambda v: str(v))
def test_every_requirement_is_pinned_inside_its_range(where: str, requirement: Requirement) -> None:
    pins = _pins()
    name = canonicalize_name(requirement.name)
    assert name in pins, f"{requirement} ({where}) has no pin in constraints.txt"
    assert requirement.specifier.contains(pins[name], prereleases=True), (
        f"constraints.txt pins {name}=={pins[name]}, outside {requirement} ({where})"
    )


def test_the_suite_runs_with_the_pinned_test_tools() -> None:
    """What CI installed is what the file says (a stale venv, or a missing PIP_CONSTRAINT, fails)."""
    pins = _pins()
    for name in ("pytest", "hypothesis", "msgspec", "protobuf", "grpcio", "atheris"):
        assert metadata.version(name) == pins[name], name
