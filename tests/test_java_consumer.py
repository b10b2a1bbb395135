"""A Java service reads the bridge's bytes: code that ``protoc --java_out`` generates from
``proto/``, compiled against Debian's protobuf runtime (libprotobuf-java), as docs/consumers.md
shows. (No gRPC: Debian does not package grpc-java.)

``tools/java/ReadLog.java`` reads the same logs of every event type as the Go reader
(``tests/_consumer_corpus.py``: server events, client events, a session log, made by
``rtbridge decode``) and prints the same lines, fields read through the generated getters; each must
equal what the JSON holds. The Debian packages are installed when missing
(``tests/_debian_tools.py``); a machine that cannot install them fails saying what is missing.
"""

from __future__ import annotations

import pathlib
import shutil
import subprocess
from typing import Any

import pytest

from tests import _consumer_corpus, _debian_tools

ROOT = pathlib.Path(__file__).resolve().parent.parent
PROGRAM = ROOT / "tools" / "java" / "ReadLog.java"
PACKAGES = ("default-jdk-headless", "libprotobuf-java", "protobuf-compiler")
#: Debian's protobuf runtime (libprotobuf-java).
RUNTIME = pathlib.Path("/usr/share/java/protobuf.jar")


@pytest.fixture(scope="module")
def classes(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The class path of the compiled program and generated code, as a Java service builds them."""
    _debian_tools.packages(*PACKAGES, purpose="the Java consumer test compiles a Java reader of the bridge's bytes")
    folder = tmp_path_factory.mktemp("java")
    (folder / "gen").mkdir()
    (folder / "classes").mkdir()
    subprocess.run([_tool("protoc"), f"-I{ROOT / 'proto'}", f"--java_out={folder / 'gen'}",
                    *sorted(str(p) for p in (ROOT / "proto" / "bridge" / "v1").glob("*.proto"))],
                   check=True, timeout=120)
    sources = sorted(str(p) for p in (folder / "gen").rglob("*.java"))
    assert any(s.endswith("com/realtime/bridge/v1/ServerEvent.java") for s in sources)  # the schema's java_package
    compiled = subprocess.run([_tool("javac"), "-nowarn", "-encoding", "UTF-8", "-cp", str(RUNTIME),
                               "-d", str(folder / "classes"), *sources, str(PROGRAM)],
                              capture_output=True, text=True, timeout=600)
    assert compiled.returncode == 0, compiled.stderr[-4000:]
    return f"{RUNTIME}:{folder / 'classes'}"


def _tool(name: str) -> str:
    found = shutil.which(name)
    assert found is not None, f"{name} not found after installing {', '.join(PACKAGES)}"
    return found


@pytest.fixture(scope="module")
def logs(tmp_path_factory: pytest.TempPathFactory) -> tuple[pathlib.Path, dict[str, list[dict[str, Any]]]]:
    folder = tmp_path_factory.mktemp("logs")
    return folder, _consumer_corpus.write_logs(folder)


def _read(classes: str, kind: str, path: pathlib.Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([_tool("java"), "-cp", classes, "ReadLog", kind, str(path)],
                          capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("kind", ["server", "client", "session"])
def test_java_reads_what_the_json_holds(kind: str, classes: str,
                                        logs: tuple[pathlib.Path, dict[str, list[dict[str, Any]]]]) -> None:
    folder, wanted = logs
    done = _read(classes, kind, folder / f"{kind}.bin")
    assert done.returncode == 0, done.stderr[-4000:]
    _consumer_corpus.compare(kind, done.stdout, wanted[kind])


def test_java_fails_on_a_truncated_log(classes: str, logs: tuple[pathlib.Path, Any]) -> None:
    folder, _ = logs
    (folder / "truncated.bin").write_bytes((folder / "server.bin").read_bytes()[:-1])
    done = _read(classes, "server", folder / "truncated.bin")
    assert done.returncode != 0 and "InvalidProtocolBufferException" in done.stderr
