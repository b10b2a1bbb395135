"""The schema passes buf's lint (STANDARD) and format, and evolves without breaking consumers.

buf is pinned in ``tools/package-lock.json``; ``.ci/run`` installs it (``npm ci`` in ``tools/``), and
so do these tests when a checkout lacks it (``tests/_npm_tools.py``). Without npm they fail and say
what is missing: a schema gate that skips itself would not be a gate.

- ``proto/buf.yaml`` configures lint and the breaking-change rules (FILE: generated code stays
  source compatible, not only the wire).
- ``proto/released/v1.binpb`` is the image of the last released schema; ``buf breaking`` compares
  the working tree against it. At a release it is rebuilt (docs/events.md, "Schema checks and releases").
- ``proto/realtime-bridge.binpb`` is the descriptor set other languages generate their code from;
  it must be what the .proto files build to now.
"""

from __future__ import annotations

import json
import pathlib
import shutil
import subprocess

from google.protobuf import descriptor_pb2

from tests import _npm_tools

ROOT = pathlib.Path(__file__).resolve().parent.parent
PROTO = ROOT / "proto"
BASELINE = PROTO / "released" / "v1.binpb"
PUBLISHED = PROTO / "realtime-bridge.binpb"
BUF = ROOT / "tools" / "node_modules" / ".bin" / "buf"


def buf(*args: str | pathlib.Path, cwd: pathlib.Path = ROOT) -> subprocess.CompletedProcess[str]:
    _npm_tools.ensure_installed()
    return subprocess.run([str(BUF), *map(str, args)], cwd=cwd, capture_output=True, text=True, timeout=120)


def test_buf_is_the_pinned_version() -> None:
    lock = json.loads((ROOT / "tools" / "package-lock.json").read_text())
    pinned = lock["packages"]["node_modules/@bufbuild/buf"]["version"]
    assert buf("--version").stdout.strip() == pinned


#: The install scripts of the tools' packages, each reviewed: run it (True) or not (False).
REVIEWED_SCRIPTS = {
    "@bufbuild/buf": True,  # postinstall links the platform's binary
    # @grpc/proto-loader's own protobufjs 7: its postinstall only warns about its dependents' version ranges
    "protobufjs": False,
}


def test_every_install_script_of_the_tools_is_reviewed() -> None:
    """``npm ci`` in tools/ runs buf's postinstall (it links the platform's binary) without npm's
    "install scripts not yet covered by allowScripts" warning: every package of the lock file that
    has an install script is listed in package.json's ``allowScripts``, as reviewed, and npm agrees."""
    manifest = json.loads((ROOT / "tools" / "package.json").read_text())
    lock = json.loads((ROOT / "tools" / "package-lock.json").read_text())
    scripted = {path.rpartition("node_modules/")[2] for path, entry in lock["packages"].items()
                if entry.get("hasInstallScript")}
    assert scripted == set(REVIEWED_SCRIPTS)
    assert manifest["allowScripts"] == REVIEWED_SCRIPTS
    _npm_tools.ensure_installed()
    npm = shutil.which("npm")
    assert npm is not None
    pending = subprocess.run([npm, "install-scripts", "ls", "--json"], cwd=ROOT / "tools", capture_output=True,
                             text=True, timeout=120, check=True)
    assert json.loads(pending.stdout) == {"allowScripts": []}, pending.stdout


def test_lint_is_clean() -> None:
    result = buf("lint", "proto")
    assert result.returncode == 0, result.stdout + result.stderr


def test_lint_runs_the_standard_rules() -> None:
    """STANDARD is really applied: without the one documented exception, its rule fires."""
    config = "version: v2\nlint:\n  use: [STANDARD]\n"
    result = buf("lint", ".", "--config", config, "--error-format", "json", cwd=PROTO)
    rules = {json.loads(line)["type"] for line in result.stdout.splitlines()}
    assert result.returncode != 0 and rules == {"PACKAGE_DIRECTORY_MATCH"}, result.stdout + result.stderr


def test_format_is_clean() -> None:
    result = buf("format", "proto", "--diff", "--exit-code")
    assert result.returncode == 0, f"run: buf format -w proto\n{result.stdout}{result.stderr}"


def test_no_breaking_change_since_the_last_release() -> None:
    result = buf("breaking", "proto", "--against", BASELINE)
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_breaking_change_is_caught(tmp_path: pathlib.Path) -> None:
    """The gate works: deleting a released field fails the check."""
    copy = tmp_path / "proto"
    shutil.copytree(PROTO, copy, ignore=shutil.ignore_patterns("*.py", "released", "*.binpb"))
    realtime = copy / "bridge" / "v1" / "realtime.proto"
    text = realtime.read_text()
    assert "  optional string conversation_id = 8;\n" in text
    realtime.write_text(text.replace("  optional string conversation_id = 8;\n", ""))
    result = buf("breaking", copy, "--against", BASELINE)
    assert result.returncode != 0
    assert 'Previously present field "8" with name "conversation_id" on message "RealtimeResponse" was deleted' in (
        result.stdout
    ), result.stdout + result.stderr


def test_the_baseline_is_a_descriptor_image_of_the_bridge_schema() -> None:
    image = descriptor_pb2.FileDescriptorSet.FromString(BASELINE.read_bytes())  # an Image is one on the wire
    names = {f.name for f in image.file if f.package == "realtime.bridge.v1"}
    current = {f"bridge/v1/{p.name}" for p in (PROTO / "bridge" / "v1").glob("*.proto")}
    # Every released file is still here (buf breaking checks what is in them); a file added since
    # the release (bridge/v1/session.proto) joins the baseline when it is next rebuilt.
    assert {"bridge/v1/realtime.proto", "bridge/v1/service.proto"} <= names <= current


def test_the_published_descriptor_set_is_current(tmp_path: pathlib.Path) -> None:
    fresh = tmp_path / "fresh.binpb"
    result = buf("build", "proto", "--as-file-descriptor-set", "-o", fresh)
    assert result.returncode == 0, result.stderr
    assert fresh.read_bytes() == PUBLISHED.read_bytes(), (
        "run: tools/node_modules/.bin/buf build proto --as-file-descriptor-set -o proto/realtime-bridge.binpb"
    )
    files = descriptor_pb2.FileDescriptorSet.FromString(PUBLISHED.read_bytes()).file
    # Self-contained: every import is in the set, so protoc --descriptor_set_in needs nothing else.
    names = {f.name for f in files}
    assert all(dep in names for f in files for dep in f.dependency)
    assert "google/protobuf/descriptor.proto" in names
