"""A Go service reads the bridge's bytes: code that protoc generates from ``proto/`` (protoc-gen-go),
built with Debian's Go and Go protobuf library in GOPATH mode (``GO111MODULE=off``, Debian's gocode
tree on ``GOPATH``), as issue 26 asks and docs/consumers.md shows.

``tools/go/readlog/main.go`` reads the length-delimited logs that ``rtbridge decode`` writes (server
events, client events, a session log of both) from a corpus of every event type
(``tests/_consumer_corpus.py``) and prints, per message, fields read through the generated getters:
the oneof member, the event id, the audio bytes' length and SHA-256, ``response.usage.total_tokens``,
the unknown keys and explicit nulls its ``json_fidelity`` records. Each line must equal what the JSON
holds. ``tools/go/callbridge/main.go``, with the client code protoc-gen-go-grpc generates, calls the
service (started here on 127.0.0.1): ``EventFromJson`` for every server event type of the corpus, and
bad input whose ``INVALID_ARGUMENT`` answer carries the ``google.rpc.BadRequest`` field violations
the Python library reports, and the same lines through one ``StreamEventsFromJson`` stream in
batches, each result in order with its own answer or error. ``tools/go/relaysession/main.go`` runs a
session through the session relay (issue 26 (c)): the session and the checks the Node client's
test runs (tests/_relay_clients.py), typed raw audio up and audio delta bytes back. The Debian
packages are installed when missing (``tests/_debian_tools.py``); a machine that cannot install them
fails saying what is missing, never skips.
"""

from __future__ import annotations

import json
import os
import pathlib
import re
import shutil
import subprocess
from typing import Any

import pytest

import bridge
from bridge.service.app import running
from tests import _consumer_corpus, _debian_tools, _npm_tools, _relay_clients

ROOT = pathlib.Path(__file__).resolve().parent.parent
PROGRAM = ROOT / "tools" / "go" / "readlog" / "main.go"
CALLER = ROOT / "tools" / "go" / "callbridge" / "main.go"
SESSION = ROOT / "tools" / "go" / "relaysession" / "main.go"
CODEC = ROOT / "tools" / "go" / "protocodec"
DOCS = ROOT / "docs" / "consumers.md"
PACKAGES = ("golang-go", "golang-google-protobuf-dev", "protobuf-compiler", "protoc-gen-go",
            "golang-google-grpc-dev", "golang-google-genproto-dev", "protoc-gen-go-grpc")
#: Where Debian's Go library packages put their source, for GOPATH mode.
GOCODE = "/usr/share/gocode"
SHOWN = re.compile(r"^// docs/consumers\.md shows.*?\n\n(?P<code>.*?\n)\n// end of what docs/consumers\.md shows\.$",
                   re.MULTILINE | re.DOTALL)


@pytest.fixture(scope="module")
def programs(tmp_path_factory: pytest.TempPathFactory) -> pathlib.Path:
    """The programs (readlog, callbridge, relaysession), built from the generated code as a Go service builds them."""
    _debian_tools.packages(*PACKAGES, purpose="the Go consumer test builds Go programs that read the bridge's bytes")
    gopath = tmp_path_factory.mktemp("gopath")
    source = gopath / "src"
    source.mkdir()
    subprocess.run([_tool("protoc"), f"-I{ROOT / 'proto'}", f"--go_out={source}", f"--go-grpc_out={source}",
                    *sorted(str(p) for p in (ROOT / "proto" / "bridge" / "v1").glob("*.proto"))],
                   check=True, timeout=120, env=_env(gopath))
    generated = source / "realtime" / "bridge" / "v1"  # the schema's go_package
    assert (generated / "realtime.pb.go").is_file() and (generated / "service_grpc.pb.go").is_file()
    for program in (PROGRAM, CALLER, SESSION):
        (source / program.parent.name).mkdir()
        shutil.copy(program, source / program.parent.name / "main.go")
    shutil.copytree(CODEC, source / CODEC.name)  # the package the callers import
    built = subprocess.run([_tool("go"), "build", "-o", str(gopath), "readlog", "callbridge", "relaysession"], cwd=gopath,
                           capture_output=True, text=True, timeout=600, env=_env(gopath))
    assert built.returncode == 0, built.stderr[-4000:]
    return gopath


@pytest.fixture(scope="module")
def readlog(programs: pathlib.Path) -> pathlib.Path:
    return programs / "readlog"


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


@pytest.mark.parametrize(("program", "calls"), [
    (PROGRAM, ("GetResponseOutputAudioDelta()", "GetUsage()")),
    (SESSION, ("ConnectRequest_Open", "InputAudioBufferAppendEvent{Audio: audio}", "GetResponseOutputAudioDelta()",
               "CloseSend()")),
], ids=["readlog", "relaysession"])
def test_the_docs_show_the_code_the_test_builds(program: pathlib.Path, calls: tuple[str, ...]) -> None:
    """docs/consumers.md's Go blocks are the programs' marked parts, byte for byte."""
    shown = SHOWN.search(program.read_text())
    assert shown is not None, f"{program.name}: the part docs/consumers.md shows is not marked"
    blocks = re.findall(r"^```go\n(.*?)^```$", DOCS.read_text(), flags=re.MULTILINE | re.DOTALL)
    name = program.relative_to(ROOT)
    assert shown["code"] in blocks, f"docs/consumers.md does not show {name}'s marked part as it is"
    assert all(call in shown["code"] for call in calls)


# ------------------------------------------------------------------------------------------ the service

#: Input the service rejects, whatever the type: invalid UTF-8 in two places, not JSON at all.
BAD = [b'{"type":"response.done","response":{"id":"\xff","status":"completed","voice":"\xfe"}}', b"not json"]


def _answer(line: bytes, strict: bool) -> dict[str, Any]:
    """What the Go client must print for ``line``: the Python library's violations, or the JSON's values."""
    try:
        bridge.json_to_binary(line, strict=strict)
    except bridge.ValidationError as error:
        return {"code": "InvalidArgument", "violations": [[v.path, v.message] for v in error.violations]}
    held = _consumer_corpus.expected(_consumer_corpus.Entry("server", line.decode(), {}))
    return {"code": "OK", "type": held["type"],
            **{k: held[k] for k in ("audio_length", "total_tokens") if k in held}}


@pytest.fixture(scope="module")
def service() -> Any:
    with running("127.0.0.1", 0) as address:
        yield address


@pytest.mark.parametrize("strict", [False, True], ids=["tolerant", "strict"])
def test_go_calls_the_service(strict: bool, programs: pathlib.Path, service: str) -> None:
    lines = [e.text.encode() for e in _consumer_corpus.corpus() if e.direction == "server"] + BAD
    wanted = [_answer(line, strict) for line in lines]
    rejected = [w for w in wanted if w["code"] != "OK"]
    # strict also rejects the unknown keys: a probe per type, and the response.done's
    unknown = len(_consumer_corpus.DIRECTIONS["server"].plans) + 1
    assert len(rejected) == len(BAD) + (unknown if strict else 0)
    assert {len(w["violations"]) for w in rejected} >= {1} and any(len(w["violations"]) == 2 for w in rejected)
    done = subprocess.run([str(programs / "callbridge"), service, *(["strict"] if strict else [])],
                          input=b"".join(line + b"\n" for line in lines), capture_output=True, timeout=120)
    assert done.returncode == 0, done.stderr[-4000:]
    answers = [json.loads(line) for line in done.stdout.splitlines()]
    assert len(answers) == len(wanted)
    for line, got, want in zip(lines, answers, wanted, strict=True):
        assert got == want, f"{line[:200]!r}: Go read {got}, the Python side says {want}"


@pytest.mark.parametrize("strict", [False, True], ids=["tolerant", "strict"])
def test_go_streams_batches_through_the_service(strict: bool, programs: pathlib.Path, service: str) -> None:
    """The same lines through one StreamEventsFromJson stream, 7 to a batch: one result per line, in
    order, each what the unary call answers (a bad line's error result carrying its violations,
    its neighbours converted), the results of a batch in one response."""
    lines = [e.text.encode() for e in _consumer_corpus.corpus() if e.direction == "server"]
    lines[3:3] = BAD  # bad lines inside a batch, between good ones
    wanted = [_answer(line, strict) for line in lines]
    done = subprocess.run([str(programs / "callbridge"), service, *(["strict"] if strict else []), "batch", "7"],
                          input=b"".join(line + b"\n" for line in lines), capture_output=True, timeout=120)
    assert done.returncode == 0, done.stderr[-4000:]
    answers = [json.loads(line) for line in done.stdout.splitlines()]
    assert [a.pop("sequence", 0) for a in answers] == list(range(len(lines)))
    assert [a.pop("response", 0) for a in answers] == [n // 7 for n in range(len(lines))]
    for line, got, want in zip(lines, answers, wanted, strict=True):
        assert got == want, f"{line[:200]!r}: Go read {got}, the Python side says {want}"


def test_go_runs_a_session_through_the_relay(programs: pathlib.Path, tmp_path: pathlib.Path) -> None:
    """The Node client's session (tests/test_relay_node.py) from Go's generated stubs: the upstream
    gets exactly ``binary_to_json`` of the typed append, Go gets the deltas' bytes, and its
    half-close ends the session ``CALLER_CLOSED``."""
    session = _relay_clients.run([str(programs / "relaysession")], tmp_path)
    _relay_clients.check_upstream(session)
    _relay_clients.check_deltas(session)
    _relay_clients.check_ended(session)


def test_go_runs_the_session_through_rtbridge_serve_against_rtbridge_replay(
    programs: pathlib.Path, tmp_path: pathlib.Path
) -> None:
    session = _relay_clients.run_between_processes([str(programs / "relaysession")], tmp_path)
    _relay_clients.check_deltas(session)
    _relay_clients.check_ended(session)


def test_go_reads_a_refused_sessions_end(programs: pathlib.Path, tmp_path: pathlib.Path) -> None:
    _relay_clients.check_refused(_relay_clients.run([str(programs / "relaysession")], tmp_path, refuse=401))


def test_a_machine_that_cannot_install_them_is_told_what_is_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_debian_tools, "_installed", lambda package: package != "protoc-gen-go")
    monkeypatch.setattr(os, "geteuid", lambda: 1000)  # not root: apt-get cannot run
    with pytest.raises(pytest.fail.Exception) as failed:
        _debian_tools.packages(*PACKAGES, purpose="the Go consumer test builds Go programs")
    assert str(failed.value) == ("protoc-gen-go not installed: the Go consumer test builds Go programs "
                                 "(apt-get install protoc-gen-go)")


def test_buf_generate_gives_what_protoc_gives(programs: pathlib.Path, tmp_path: pathlib.Path) -> None:
    """proto/buf.gen.yaml, the local-plugin template a consumer copies, generates the Go code the
    programs above were built from (but for the protoc version its header names) and the Java classes
    ``protoc --java_out`` generates (tests/test_java_consumer.py builds those; buf's compiler writes
    every field's ``json_name`` into the descriptors they embed, so their text differs)."""
    _npm_tools.ensure_installed()
    done = subprocess.run([str(_npm_tools.INSTALLED[0]), "generate", "proto", "--template", "proto/buf.gen.yaml",
                           "-o", str(tmp_path / "buf")], cwd=ROOT, capture_output=True, text=True, timeout=120,
                          env=_env(programs))
    assert done.returncode == 0, done.stderr[-4000:]
    ours = programs / "src" / "realtime" / "bridge" / "v1"
    theirs = tmp_path / "buf" / "go" / "realtime" / "bridge" / "v1"
    assert sorted(p.name for p in theirs.iterdir()) == sorted(p.name for p in ours.glob("*.go"))
    for file in ours.glob("*.go"):
        assert _unversioned(theirs / file.name) == _unversioned(file), file.name
    (tmp_path / "java").mkdir()
    subprocess.run([_tool("protoc"), f"-I{ROOT / 'proto'}", f"--java_out={tmp_path / 'java'}",
                    *sorted(str(p) for p in (ROOT / "proto" / "bridge" / "v1").glob("*.proto"))],
                   check=True, timeout=120)
    java = sorted(p.relative_to(tmp_path / "java") for p in (tmp_path / "java").rglob("*.java"))
    assert java and sorted(p.relative_to(tmp_path / "buf" / "java") for p in (tmp_path / "buf" / "java").rglob("*.java")) == java


def _unversioned(path: pathlib.Path) -> list[str]:
    """A generated Go file's lines but the one naming protoc's version (buf's own compiler has none)."""
    return [line for line in path.read_text().splitlines() if not line.startswith("// \tprotoc ")]
