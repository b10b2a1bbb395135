"""A Go service reads the bridge's bytes: code that protoc generates from ``proto/`` (protoc-gen-go),
built with Debian's Go and Go protobuf library in GOPATH mode (``GO111MODULE=off``, Debian's gocode
tree on ``GOPATH``), as issue 26 asks and docs/consumers.md shows.

``tools/go/readlog/main.go`` reads the length-delimited logs that ``rtbridge decode`` writes (server
events, client events, a session log of both) from a corpus of every event type
(``tests/_consumer_corpus.py``) and prints, per message, fields read through the generated getters:
the oneof member, the event id, the audio bytes' length and SHA-256, ``response.usage.total_tokens``,
the unknown keys and explicit nulls its ``json_fidelity`` records. Each line must equal what the JSON
holds. The Debian packages are installed when missing (``tests/_debian_tools.py``); a machine that
cannot install them fails saying what is missing, never skips.
"""

from __future__ import annotations

import os
import pathlib
import re
import shutil
import subprocess
from typing import Any

import pytest

from tests import _consumer_corpus, _debian_tools

ROOT = pathlib.Path(__file__).resolve().parent.parent
PROGRAM = ROOT / "tools" / "go" / "readlog" / "main.go"
DOCS = ROOT / "docs" / "consumers.md"
PACKAGES = ("golang-go", "golang-google-protobuf-dev", "protobuf-compiler", "protoc-gen-go")
#: Where Debian's Go library packages put their source, for GOPATH mode.
GOCODE = "/usr/share/gocode"
SHOWN = re.compile(r"^// docs/consumers\.md shows.*?\n\n(?P<code>.*?\n)\n// end of what docs/consumers\.md shows\.$",
                   re.MULTILINE | re.DOTALL)


@pytest.fixture(scope="module")
def readlog(tmp_path_factory: pytest.TempPathFactory) -> pathlib.Path:
    """The program, built from the generated code as a Go service builds it."""
    _debian_tools.packages(*PACKAGES, purpose="the Go consumer test builds a Go reader of the bridge's bytes")
    gopath = tmp_path_factory.mktemp("gopath")
    source = gopath / "src"
    (source / "readlog").mkdir(parents=True)
    subprocess.run([_tool("protoc"), f"-I{ROOT / 'proto'}", f"--go_out={source}",
                    *sorted(str(p) for p in (ROOT / "proto" / "bridge" / "v1").glob("*.proto"))],
                   check=True, timeout=120, env=_env(gopath))
    assert (source / "realtime" / "bridge" / "v1" / "realtime.pb.go").is_file()  # the schema's go_package
    shutil.copy(PROGRAM, source / "readlog" / "main.go")
    built = subprocess.run([_tool("go"), "build", "-o", str(gopath / "readlog"), "readlog"], cwd=gopath,
                           capture_output=True, text=True, timeout=600, env=_env(gopath))
    assert built.returncode == 0, built.stderr[-4000:]
    return gopath / "readlog"


def _tool(name: str) -> str:
    found = shutil.which(name)
    assert found is not None, f"{name} not found after installing {', '.join(PACKAGES)}"
    return found


def _env(gopath: pathlib.Path) -> dict[str, str]:
    return {**os.environ, "GO111MODULE": "off", "GOPATH": f"{gopath}:{GOCODE}", "GOCACHE": str(gopath / "cache"),
            "GOFLAGS": "", "CGO_ENABLED": "0"}


@pytest.fixture(scope="module")
def logs(tmp_path_factory: pytest.TempPathFactory) -> tuple[pathlib.Path, dict[str, list[dict[str, Any]]]]:
    folder = tmp_path_factory.mktemp("logs")
    return folder, _consumer_corpus.write_logs(folder)


@pytest.mark.parametrize("kind", ["server", "client", "session"])
def test_go_reads_what_the_json_holds(kind: str, readlog: pathlib.Path,
                                      logs: tuple[pathlib.Path, dict[str, list[dict[str, Any]]]]) -> None:
    folder, wanted = logs
    done = subprocess.run([str(readlog), kind, str(folder / f"{kind}.bin")], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr[-4000:]
    _consumer_corpus.compare(kind, done.stdout, wanted[kind])


def test_go_fails_on_a_truncated_log(readlog: pathlib.Path, logs: tuple[pathlib.Path, Any]) -> None:
    folder, _ = logs
    data = (folder / "server.bin").read_bytes()
    (folder / "truncated.bin").write_bytes(data[:-1])
    done = subprocess.run([str(readlog), "server", str(folder / "truncated.bin")], capture_output=True, text=True, timeout=60)
    assert done.returncode == 1 and "unexpected EOF" in done.stderr


def test_the_docs_show_the_code_the_test_builds() -> None:
    """docs/consumers.md's Go block is the program's marked part, byte for byte."""
    shown = SHOWN.search(PROGRAM.read_text())
    assert shown is not None, f"{PROGRAM.name}: the part docs/consumers.md shows is not marked"
    blocks = re.findall(r"^```go\n(.*?)^```$", DOCS.read_text(), flags=re.MULTILINE | re.DOTALL)
    assert shown["code"] in blocks, "docs/consumers.md does not show tools/go/readlog/main.go's marked part as it is"
    assert "GetResponseOutputAudioDelta()" in shown["code"] and "GetUsage()" in shown["code"]
