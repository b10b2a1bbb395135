"""What a user gets from the package: the sdist (`python -m build --sdist`) and what pip builds and
installs from it, in a fresh venv.

- The sdist carries what is needed to build the extensions, regenerate the code, check the schema
  and run the tests, fuzzer and benchmarks from it (MANIFEST.in), the LICENSE, and no build
  artefacts; its long description has no link the package index cannot resolve.
- The wheel carries the stand-in's recorded sessions (``bridge/relay/recordings/*.jsonl``), which
  the installed package reads as package data.
- Installed from the sdist, both extensions are built and used, stripped of debug information
  (setup.py: ``-g0``, linker ``-s``), and the wheel carries no Cython sources.
- Installed without a working C compiler, the package still works, and says so when imported (a
  :class:`bridge._accel.PurePythonWarning`: pip does not show the build's output) with a reason in
  plain words.

Every tool is installed at the version ``constraints.txt`` pins (``PIP_CONSTRAINT``), build
requirements included. Takes about a minute: two extension builds.
"""

from __future__ import annotations

import email.parser
import json
import os
import pathlib
import re
import struct
import subprocess
import sys
import tarfile
import zipfile
from collections.abc import Iterator

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
NAME = "realtime_bridge-0.1.0"
TIMEOUT = 600

# Not sources: never in the sdist.
ARTEFACT = re.compile(r"(^|/)(__pycache__|\.hypothesis|\.pytest_cache|node_modules|build)(/|$)|\.(pyc|so|c)$")


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "RTBRIDGE_PURE_PYTHON")}
    env.update(PIP_CONSTRAINT=str(ROOT / "constraints.txt"), PIP_DISABLE_PIP_VERSION_CHECK="1", **extra)
    return env


def _run(*args: str | pathlib.Path, cwd: pathlib.Path, **env: str) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [str(a) for a in args], cwd=cwd, env=_env(**env), capture_output=True, text=True, timeout=TIMEOUT
    )
    assert result.returncode == 0, f"{args} failed ({result.returncode}):\n{result.stdout[-4000:]}\n{result.stderr[-4000:]}"
    return result


def _sources(folder: str) -> set[str]:
    """The files under ``folder`` of the working tree that are sources (not artefacts)."""
    base = ROOT / folder
    return {
        p.relative_to(ROOT).as_posix()
        for p in base.rglob("*")
        if p.is_file() and not ARTEFACT.search(p.relative_to(ROOT).as_posix())
        and p.relative_to(ROOT).as_posix() not in ("benchmarks/results/ci.json",)
        and not p.name.endswith(".tmp")
    }


@pytest.fixture(scope="module")
def sdist(tmp_path_factory: pytest.TempPathFactory) -> pathlib.Path:
    out = tmp_path_factory.mktemp("sdist")
    _run(sys.executable, "-m", "build", "--sdist", "--outdir", out, ROOT, cwd=out)
    (archive,) = out.glob("*.tar.gz")
    assert archive.name == f"{NAME}.tar.gz"
    return archive


@pytest.fixture(scope="module")
def members(sdist: pathlib.Path) -> set[str]:
    with tarfile.open(sdist) as tar:
        names = {m.name for m in tar.getmembers() if m.isfile()}
    assert all(n.startswith(f"{NAME}/") for n in names)
    return {n.removeprefix(f"{NAME}/") for n in names}


def _read(sdist: pathlib.Path, name: str) -> str:
    with tarfile.open(sdist) as tar:
        member = tar.extractfile(f"{NAME}/{name}")
        assert member is not None, name
        return member.read().decode()


def test_the_sdist_carries_what_builds_tests_and_checks_the_package(members: set[str]) -> None:
    required = {
        "LICENSE", "README.md", "constraints.txt", "setup.py", "pyproject.toml", "MANIFEST.in", ".containerignore",
        "bridge/_speedups.pyx", "bridge/_decoder.pyx", "bridge/_text.pxd", "bridge/_slots.pxd", "bridge/_wire.pxd", "bridge/py.typed",
        "proto/buf.yaml", "proto/generate.py", "proto/released/v1.binpb", "proto/realtime-bridge.binpb",
        "tests/conftest.py", "tests/strategies.py", "tests/_certs.py",
        "fuzz/README.md", "fuzz/harness.py", "fuzz/asan.sh",
        "benchmarks/run.py", "benchmarks/plain_mirror.proto",
        "tools/package.json", "tools/package-lock.json", "tools/read_bridge.js", "tools/make_recordings.py",
        "tools/relay_session.js",
    }
    required |= _sources("tools/go") | _sources("tools/java") | _sources("tools/ts")  # the programs the consumer tests build
    required |= _sources("proto") | _sources("tests") | _sources("fuzz") | _sources("benchmarks") | _sources("bridge")
    required |= _sources("deploy") | _sources("docs")  # tests/test_deploy.py reads deploy/
    missing = sorted(required - members)
    assert not missing, f"the sdist lacks {len(missing)} files, e.g. {missing[:10]}; see MANIFEST.in"
    assert {p for p in members if p.startswith("tests/data/")} == _sources("tests/data")
    assert {p for p in members if p.startswith("bridge/relay/recordings/")} == _sources("bridge/relay/recordings") != set()
    assert len([p for p in members if p.startswith("fuzz/regressions/")]) >= 1
    assert len([p for p in members if p.startswith("fuzz/corpus/")]) >= 10


def test_the_sdist_carries_no_build_artefacts(members: set[str]) -> None:
    artefacts = sorted(p for p in members if ARTEFACT.search(p) or p == "benchmarks/results/ci.json")
    assert not artefacts


def test_license_is_mit_as_the_metadata_says(sdist: pathlib.Path) -> None:
    info = email.parser.Parser().parsestr(_read(sdist, "PKG-INFO"))
    license_text = _read(sdist, "LICENSE")
    assert info["License-Expression"] == "MIT"
    assert info["License-File"] == "LICENSE"
    assert license_text.startswith("MIT License\n")
    assert "Copyright (c) 2026 realtime-bridge authors" in license_text
    assert "THE SOFTWARE IS PROVIDED \"AS IS\"" in license_text


def test_the_long_description_has_no_link_the_index_cannot_resolve(sdist: pathlib.Path) -> None:
    info = email.parser.Parser().parsestr(_read(sdist, "PKG-INFO"))
    description = info.get_payload()
    assert isinstance(description, str) and "## The library" in description
    assert info["Description-Content-Type"] == "text/markdown"
    relative = re.findall(r"\]\((?![a-z][a-z0-9+.-]*:|#)[^)]*\)", description, re.IGNORECASE)
    assert not relative, relative
    # The README's links into docs/ become their text and path: the index cannot resolve them.
    assert "docs/library.md (`docs/library.md`)" in description and "](docs/" not in description


# ------------------------------------------------------------------------------- installing it

PROBE = """
import json, sys, warnings
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    import bridge, bridge._accel as accel
event = b'{"type":"response.done","event_id":"e","response":{"id":"r","output":[],"usage":null,"x":[1]}}'
assert bridge.binary_to_json(bridge.json_to_binary(event)) == event
print(json.dumps({
    "file": bridge.__file__,
    "available": accel.available,
    "reason": accel.reason,
    "speedups": getattr(sys.modules.get("bridge._speedups"), "__file__", None),
    "decoder": getattr(sys.modules.get("bridge._decoder"), "__file__", None),
    "warnings": [f"{w.category.__name__}: {w.message}" for w in caught],
}))
"""


def _probe(python: pathlib.Path, cwd: pathlib.Path, **env: str) -> tuple[dict[str, object], str]:
    result = _run(python, "-c", PROBE, cwd=cwd, **env)
    return json.loads(result.stdout), result.stderr


def _elf_sections(path: pathlib.Path) -> set[str]:
    """The section names of an ELF64 little-endian shared object."""
    data = path.read_bytes()
    assert data[:4] == b"\x7fELF" and data[4] == 2 and data[5] == 1, path
    shoff, = struct.unpack_from("<Q", data, 0x28)
    shentsize, shnum, shstrndx = struct.unpack_from("<HHH", data, 0x3A)
    headers = [struct.unpack_from("<IIQQQQ", data, shoff + i * shentsize) for i in range(shnum)]
    strtab_offset = headers[shstrndx][4]
    return {data[strtab_offset + h[0]:data.index(b"\0", strtab_offset + h[0])].decode() for h in headers}


@pytest.fixture(scope="module")
def wheel(sdist: pathlib.Path, tmp_path_factory: pytest.TempPathFactory) -> pathlib.Path:
    """The wheel pip builds from the sdist (with a compiler, as on this machine)."""
    out = tmp_path_factory.mktemp("wheel")
    _run(sys.executable, "-m", "pip", "wheel", "--no-deps", "-w", out, sdist, cwd=out)
    (built,) = out.glob("*.whl")
    return built


def _venv(where: pathlib.Path) -> pathlib.Path:
    _run(sys.executable, "-m", "venv", where, cwd=where.parent)
    return where / "bin" / "python"


@pytest.fixture(scope="module")
def installed(wheel: pathlib.Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[pathlib.Path]:
    python = _venv(tmp_path_factory.mktemp("installed") / "venv")
    _run(python, "-m", "pip", "install", "-q", wheel, cwd=wheel.parent)
    yield python


def test_the_wheel_holds_stripped_extensions_and_no_cython_sources(wheel: pathlib.Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        objects = [n for n in names if n.endswith(".so")]
        assert sorted(n.split(".")[0] for n in objects) == ["bridge/_decoder", "bridge/_speedups"]
        assert not [n for n in names if n.endswith((".pyx", ".c"))]
        assert f"{NAME}.dist-info/licenses/LICENSE" in names
        folder = wheel.parent / "unpacked"
        archive.extractall(folder, members=objects)
    for name in objects:
        so = folder / name
        sections = _elf_sections(so)
        assert not {s for s in sections if s.startswith(".debug")}, f"{name} has debug information"
        assert ".symtab" not in sections, f"{name} is not stripped"
        assert so.stat().st_size < 700_000, f"{name}: {so.stat().st_size} bytes"


#: The recorded sessions ``rtbridge replay`` plays, package data of ``bridge.relay``.
RECORDINGS = ROOT / "bridge" / "relay" / "recordings"


def test_the_wheel_carries_the_stand_ins_recordings(wheel: pathlib.Path) -> None:
    expected = {p.relative_to(ROOT).as_posix(): p.read_bytes() for p in RECORDINGS.glob("*.jsonl")}
    with zipfile.ZipFile(wheel) as archive:
        shipped = {n: archive.read(n) for n in archive.namelist() if n.startswith("bridge/relay/recordings/")}
    assert len(expected) >= 3 and shipped == expected


def test_installed_the_recordings_are_package_data(installed: pathlib.Path, tmp_path: pathlib.Path) -> None:
    script = (
        "import importlib.resources, json, bridge\n"
        "folder = importlib.resources.files('bridge.relay') / 'recordings'\n"
        "names = sorted(p.name for p in folder.iterdir())\n"
        "lines = (folder / 'voice-turn.jsonl').read_bytes().splitlines()\n"
        "assert all(bridge.session_record_to_json(bridge.session_record_to_binary(l)) == l for l in lines)\n"
        "print(json.dumps({'names': names, 'lines': len(lines)}))\n"
    )
    report = json.loads(_run(installed, "-c", script, cwd=tmp_path).stdout)
    assert report["names"] == sorted(p.name for p in RECORDINGS.glob("*.jsonl"))
    assert report["lines"] == len((RECORDINGS / "voice-turn.jsonl").read_bytes().splitlines())


def test_installed_from_the_sdist_the_extensions_are_built_and_used(installed: pathlib.Path, tmp_path: pathlib.Path) -> None:
    report, stderr = _probe(installed, tmp_path)
    assert str(report["file"]).startswith(str(installed.parent.parent)), report["file"]  # not the checkout's
    assert report["available"] is True and report["reason"] == "", report
    assert report["speedups"] and report["decoder"]
    assert report["warnings"] == [] and stderr == ""
    version = _run(installed.parent / "rtbridge", "--version", cwd=tmp_path)
    assert "0.1.0" in version.stdout + version.stderr


def test_a_source_tree_that_shadows_the_installed_copy_is_named_with_the_fix(
    installed: pathlib.Path, sdist: pathlib.Path, tmp_path: pathlib.Path
) -> None:
    """A fresh clone after the README's first command (`pip install .`, not editable): Python started
    in the checkout imports the checkout's bridge/, which has no built extensions, while the venv
    holds an accelerated copy. The reason names that, where both are, and the way out; it does not
    blame a missing compiler."""
    with tarfile.open(sdist) as tar:
        tar.extractall(tmp_path, filter="data")
    checkout = tmp_path / NAME
    assert not list((checkout / "bridge").glob("*.so"))
    report, _ = _probe(installed, checkout)
    assert report["file"] == str(checkout / "bridge" / "__init__.py")
    assert report["available"] is False and report["speedups"] is None
    site_copy = pathlib.Path(
        _run(installed, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])", cwd=tmp_path).stdout.strip()
    ) / "bridge"
    reason = str(report["reason"])
    assert f"imported from a source tree at {checkout} without built extensions" in reason, reason
    assert f"while an accelerated copy is installed at {site_copy}" in reason, reason
    assert "Run from another directory" in reason and "pip install -e ." in reason, reason
    assert "C compiler" not in reason, reason
    assert report["warnings"] == [f"PurePythonWarning: realtime-bridge runs in pure Python: {reason}. "
                                  "Set RTBRIDGE_PURE_PYTHON=1 to choose that and silence this warning."]
    # From another directory the same interpreter imports the installed copy, accelerated.
    elsewhere, _ = _probe(installed, tmp_path)
    assert elsewhere["available"] is True and str(elsewhere["file"]).startswith(str(site_copy))
    # Done when (issue 24): the one-liner a user runs in the checkout prints the cause.
    line = _run(installed, "-W", "ignore", "-c", "import bridge._accel as a; print(a.available, a.reason)", cwd=checkout)
    assert line.stdout.startswith("False it was imported from a source tree at ") and "pip install -e ." in line.stdout


def test_without_a_compiler_it_installs_runs_in_pure_python_and_says_why(sdist: pathlib.Path, tmp_path: pathlib.Path) -> None:
    python = _venv(tmp_path / "venv")
    # CC=false: every compile fails, as on a machine without a C compiler.
    _run(python, "-m", "pip", "install", "-q", sdist, cwd=tmp_path, CC="false")
    report, _ = _probe(python, tmp_path)
    assert report["available"] is False and report["speedups"] is None and report["decoder"] is None
    reason = str(report["reason"])
    assert "compiled extensions were not built" in reason and "C compiler" in reason
    assert "circular import" not in reason
    warnings = report["warnings"]
    assert isinstance(warnings, list) and len(warnings) == 1, warnings
    warning = str(warnings[0])
    assert warning.startswith("PurePythonWarning: realtime-bridge runs in pure Python: ") and reason in warning
    # Shown on a plain import, without -W or -v, to anyone running it.
    plain = _run(python, "-c", "import bridge", cwd=tmp_path)
    assert "PurePythonWarning: realtime-bridge runs in pure Python" in plain.stderr
    # Chosen on purpose: silent, and the reason says so.
    forced, stderr = _probe(python, tmp_path, RTBRIDGE_PURE_PYTHON="1")
    assert forced["warnings"] == [] and stderr == "" and forced["reason"] == "RTBRIDGE_PURE_PYTHON is set"


# ------------------------------------------------------------------------ names and the README

#: Variables of other tools the code may read or set (not the project's own knobs).
_FOREIGN = {
    "CI", "PATH", "PYTHONPATH", "VIRTUAL_ENV", "CC", "CFLAGS", "LDFLAGS", "PIP_CONSTRAINT",
    "PIP_DISABLE_PIP_VERSION_CHECK", "LD_PRELOAD", "ASAN_OPTIONS", "UBSAN_OPTIONS", "PYTHONMALLOC",
    "PYTHONDONTWRITEBYTECODE", "DEBIAN_FRONTEND", "HOME", "TMPDIR", "PROMETHEUS_MULTIPROC_DIR",
    # The upstream API key the session relay reads by default (rtbridge serve --upstream).
    "OPENAI_API_KEY",
}
_READS = re.compile(r"""(?:environ(?:\.get|\.pop|\.setdefault)?\(\s*|environ\[\s*|getenv\(\s*)["']([A-Z][A-Z0-9_]*)["']""")


def _project_files() -> list[pathlib.Path]:
    files = [ROOT / "README.md", ROOT / "fuzz" / "README.md", ROOT / ".ci" / "run", ROOT / "setup.py"]
    files += sorted((ROOT / "docs").glob("*.md"))
    for folder in ("bridge", "tests", "fuzz", "benchmarks", "proto"):
        files += [p for p in (ROOT / folder).rglob("*") if p.suffix in (".py", ".pyx", ".sh", ".md") and "__pycache__" not in p.parts]
    return [f for f in files if f.exists()]


def test_every_environment_variable_of_the_project_is_named_rtbridge() -> None:
    read, misnamed = set(), set()
    for path in _project_files():
        text = path.read_text(errors="replace")
        read |= {(name, path.relative_to(ROOT).as_posix()) for name in _READS.findall(text)}
        # A variable set in a command (README, scripts: `NAME=value`) or read from the environment
        # that spells the project's name: only with the RTBRIDGE_ prefix.
        named = set(re.findall(r"(?<![A-Za-z0-9_])([A-Z][A-Z0-9_]*)=", text)) | set(_READS.findall(text))
        misnamed |= {(n, path.relative_to(ROOT).as_posix()) for n in named if "BRIDGE" in n and not n.startswith("RTBRIDGE_")}
    assert not misnamed, sorted(misnamed)
    foreign = sorted((name, where) for name, where in read if not name.startswith("RTBRIDGE_") and name not in _FOREIGN)
    assert not foreign, f"environment variables outside RTBRIDGE_*: {foreign}"
    assert ("RTBRIDGE_HYPOTHESIS_EXAMPLES", "tests/test_properties.py") in read
