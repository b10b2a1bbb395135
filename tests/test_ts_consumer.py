"""A TypeScript service reads the bridge's bytes: code that protoc-gen-es generates from ``proto/``
through ``buf generate`` with the TypeScript entry of ``proto/buf.gen.yaml`` (the pinned buf and
protoc-gen-es from ``tools/package-lock.json``, a local plugin: no network, no registry), compiled
with the pinned ``tsc`` and run with Node against the @bufbuild/protobuf runtime, as
docs/consumers.md shows.

``tools/ts/read_log.ts`` reads the same logs of every event type as the Go and Java readers
(``tests/_consumer_corpus.py``: server events, client events, a session log, made by
``rtbridge decode``) and prints the same lines, fields read from the generated types; each must
equal what the JSON holds. The npm packages are installed when missing (``tests/_npm_tools.py``,
``npm ci`` in tools/); a machine without Node.js or npm fails saying what is missing, never skips.
"""

from __future__ import annotations

import json
import pathlib
import re
import shutil
import subprocess
from typing import Any

import pytest
import yaml

from tests import _consumer_corpus, _npm_tools

ROOT = pathlib.Path(__file__).resolve().parent.parent
PROGRAM = ROOT / "tools" / "ts" / "read_log.ts"
CONFIG = ROOT / "tools" / "ts" / "tsconfig.json"
TEMPLATE = ROOT / "proto" / "buf.gen.yaml"
DOCS = ROOT / "docs" / "consumers.md"
BIN = _npm_tools.TOOLS / "node_modules" / ".bin"
SHOWN = re.compile(r"^// docs/consumers\.md shows.*?\n\n(?P<code>.*?\n)\n// end of what docs/consumers\.md shows\.$",
                   re.MULTILINE | re.DOTALL)


def _plugin() -> dict[str, Any]:
    """The template's protoc-gen-es entry (its others need Debian's Go plugins and protoc:
    tests/test_go_consumer.py runs the whole template)."""
    plugins = [p for p in yaml.safe_load(TEMPLATE.read_text())["plugins"] if str(p.get("local", "")).endswith("protoc-gen-es")]
    assert len(plugins) == 1, f"{TEMPLATE.name} has {len(plugins)} protoc-gen-es entries"
    return dict(plugins[0])


@pytest.fixture(scope="module")
def build(tmp_path_factory: pytest.TempPathFactory) -> pathlib.Path:
    """The generated code and the reader, laid out as buf generate leaves them (OUT/ts/bridge/v1/,
    the reader in OUT/ts/) and compiled by tsc into OUT/ts/out/, the npm packages in OUT/node_modules."""
    _npm_tools.node()
    folder = tmp_path_factory.mktemp("ts")
    template = json.dumps({"version": "v2", "plugins": [_plugin()]})
    done = subprocess.run([str(BIN / "buf"), "generate", "proto", "--template", template, "-o", str(folder)], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-4000:]
    generated = folder / "ts" / "bridge" / "v1"
    assert sorted(p.name for p in generated.iterdir()) == sorted(
        f"{p.stem}_pb.ts" for p in (ROOT / "proto" / "bridge" / "v1").glob("*.proto"))
    shutil.copy(PROGRAM, folder / "ts")
    shutil.copy(CONFIG, folder / "ts")
    (folder / "node_modules").symlink_to(_npm_tools.TOOLS / "node_modules", target_is_directory=True)
    compiled = subprocess.run([str(BIN / "tsc"), "-p", str(folder / "ts")], capture_output=True, text=True, timeout=600)
    assert compiled.returncode == 0, compiled.stdout[-4000:] + compiled.stderr[-4000:]
    return folder


@pytest.fixture(scope="module")
def logs(tmp_path_factory: pytest.TempPathFactory) -> tuple[pathlib.Path, dict[str, list[dict[str, Any]]]]:
    folder = tmp_path_factory.mktemp("logs")
    return folder, _consumer_corpus.write_logs(folder)


def _read(build: pathlib.Path, kind: str, path: pathlib.Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([_npm_tools.node(), str(build / "ts" / "out" / "read_log.js"), kind, str(path)],
                          capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("kind", ["server", "client", "session"])
def test_ts_reads_what_the_json_holds(kind: str, build: pathlib.Path,
                                      logs: tuple[pathlib.Path, dict[str, list[dict[str, Any]]]]) -> None:
    folder, wanted = logs
    done = _read(build, kind, folder / f"{kind}.bin")
    assert done.returncode == 0, done.stderr[-4000:]
    _consumer_corpus.compare(kind, done.stdout, wanted[kind])


def test_ts_fails_on_a_truncated_log(build: pathlib.Path, logs: tuple[pathlib.Path, Any]) -> None:
    folder, _ = logs
    (folder / "truncated.bin").write_bytes((folder / "server.bin").read_bytes()[:-1])
    done = _read(build, "server", folder / "truncated.bin")
    assert done.returncode == 1 and "incomplete data" in done.stderr


def test_the_stubs_come_from_the_pinned_plugin_with_the_templates_options(build: pathlib.Path) -> None:
    """Every generated file names the protoc-gen-es that tools/package-lock.json pins, and the
    options the template gives it."""
    lock = json.loads((_npm_tools.TOOLS / "package-lock.json").read_text())
    pinned = lock["packages"]["node_modules/@bufbuild/protoc-gen-es"]["version"]
    assert lock["packages"][""]["devDependencies"]["@bufbuild/protoc-gen-es"] == pinned  # an exact pin
    options = _plugin()["opt"]
    header = f'// @generated by protoc-gen-es v{pinned} with parameter "{",".join(options)}"\n'
    files = sorted((build / "ts" / "bridge" / "v1").glob("*_pb.ts"))
    assert files and all(header in f.read_text() for f in files)


def test_the_docs_show_the_code_the_test_builds() -> None:
    """docs/consumers.md's TypeScript block is the reader's marked part, byte for byte."""
    shown = SHOWN.search(PROGRAM.read_text())
    assert shown is not None, f"{PROGRAM.name}: the part docs/consumers.md shows is not marked"
    blocks = re.findall(r"^```ts\n(.*?)^```$", DOCS.read_text(), flags=re.MULTILINE | re.DOTALL)
    assert shown["code"] in blocks, "docs/consumers.md does not show tools/ts/read_log.ts's marked part as it is"
    assert all(read in shown["code"] for read in ('event.event.case === "responseOutputAudioDelta"',
                                                  "event.event.value.delta", "event.response?.usage", "usage.totalTokens"))


def test_a_machine_without_node_is_told_what_is_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(pytest.fail.Exception) as failed:
        _npm_tools.node()
    assert str(failed.value) == "node is not installed: the cross-language tests need Node.js (apt-get install nodejs)"


def test_a_machine_without_npm_is_told_what_is_missing(monkeypatch: pytest.MonkeyPatch, tmp_path: pathlib.Path) -> None:
    monkeypatch.setattr(_npm_tools, "INSTALLED", (*_npm_tools.INSTALLED, tmp_path / "not-installed"))
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(pytest.fail.Exception) as failed:
        _npm_tools.ensure_installed()
    assert "\n" not in str(failed.value) and str(failed.value).startswith("npm is not installed:")
