"""A Node service runs a Realtime session through the relay (issue 25, "Clients"): ``tools/relay_session.js``
with @grpc/grpc-js and the types @grpc/proto-loader builds from ``proto/`` (pinned in
tools/package-lock.json, installed as tests/_npm_tools.py does) sends a typed
``input_audio_buffer.append`` with raw PCM16 bytes and reads ``response.output_audio.delta`` bytes,
with no JSON for the events in its code. The session and what the client must see are
tests/_relay_clients.py's (the Go client runs the same one, in tests/test_go_consumer.py).

Node or the npm packages missing is a failure that says what to install, never a skip.
"""

from __future__ import annotations

import json
import pathlib
import re
from typing import Any

import pytest

from tests import _npm_tools, _relay_clients

ROOT = pathlib.Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "tools" / "relay_session.js"
SHOWN = re.compile(r"^// docs/consumers\.md shows.*?\n\n(?P<code>.*?\n)\n// end of what docs/consumers\.md shows\.$",
                   re.MULTILINE | re.DOTALL)


@pytest.fixture(scope="module")
def session(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """One session: what the upstream received, and what Node printed."""
    return _relay_clients.run([_npm_tools.node(), str(SCRIPT)], tmp_path_factory.mktemp("node"))


def test_grpc_js_is_the_pinned_version(session: dict[str, Any]) -> None:
    lock = json.loads((ROOT / "tools" / "package-lock.json").read_text())
    assert session["lines"][0] == {"grpc_js": lock["packages"]["node_modules/@grpc/grpc-js"]["version"]}


def test_the_upstream_receives_the_converters_json_of_nodes_typed_events(session: dict[str, Any]) -> None:
    _relay_clients.check_upstream(session)


def test_node_receives_the_audio_deltas_byte_for_byte(session: dict[str, Any]) -> None:
    _relay_clients.check_deltas(session)


def test_the_session_ends_caller_closed_after_nodes_half_close(session: dict[str, Any]) -> None:
    _relay_clients.check_ended(session)


def test_node_runs_the_session_through_rtbridge_serve_against_rtbridge_replay(tmp_path: pathlib.Path) -> None:
    session = _relay_clients.run_between_processes([_npm_tools.node(), str(SCRIPT)], tmp_path)
    _relay_clients.check_deltas(session)
    _relay_clients.check_ended(session)


def test_a_refused_session_ends_with_its_status_in_node(tmp_path: pathlib.Path) -> None:
    _relay_clients.check_refused(_relay_clients.run([_npm_tools.node(), str(SCRIPT)], tmp_path, refuse=401))


def test_the_docs_show_the_code_the_test_runs() -> None:
    """docs/consumers.md's JavaScript block is the script's marked part, byte for byte."""
    shown = SHOWN.search(SCRIPT.read_text())
    assert shown is not None, f"{SCRIPT.name}: the part docs/consumers.md shows is not marked"
    blocks = re.findall(r"^```js\n(.*?)^```$", (ROOT / "docs" / "consumers.md").read_text(), flags=re.MULTILINE | re.DOTALL)
    assert shown["code"] in blocks, "docs/consumers.md does not show tools/relay_session.js's marked part as it is"
    assert "input_audio_buffer_append: { audio }" in shown["code"] and "response_output_audio_delta.delta" in shown["code"]
