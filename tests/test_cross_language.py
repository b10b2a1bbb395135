"""Another language reads the bridge's bytes: Node with protobufjs (what a TypeScript service uses),
pinned in tools/package-lock.json and installed by ``.ci/run`` (``npm ci`` in tools/), or by these
tests when a checkout lacks it (``tests/_npm_tools.py``).

``tools/read_bridge.js`` loads the schema the two ways docs/events.md "Using the schema from other
languages" documents, from the published descriptor set (``proto/realtime-bridge.binpb``) and from
the .proto files, decodes single ``ServerEvent`` messages (``bridge.json_to_binary``) and a
length-delimited log (``rtbridge decode --server``) and a session log of both directions
(``rtbridge decode``, SessionRecords), and prints what it read. The values must be the JSON's,
int64 extremes and Unicode included, and protobufjs must encode each message back to the bridge's
exact bytes.

Node or the npm packages missing is a failure that says what to install, never a skip.
"""

from __future__ import annotations

import base64
import json
import pathlib
import re
import subprocess
import sys
from typing import Any

import pytest

import bridge
from bridge.framing import encode_varint
from tests import _npm_tools

ROOT = pathlib.Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "tools" / "read_bridge.js"
EXAMPLE = ROOT / "tests" / "data" / "examples" / "06_beta_wire_response_done_completed_audio.json"

HOSTILE = json.dumps(
    {
        "type": "response.done",
        "event_id": "evt_\u00e9\u4e2d\U0001f600",
        "response": {
            "id": "resp_x",
            "status": "some_future_status",
            "usage": {"total_tokens": 9223372036854775807, "input_tokens": -9223372036854775808},
            "metadata": {"b": "\u2603", "a": "1"},
            "max_output_tokens": 4096,
            "voice": {"id": "voice_custom_1"},
            "temperature": 0.7000000000000001,
            "future_key": {"x": [1, 2.5, None]},
        },
    },
    ensure_ascii=False,
).encode()


@pytest.fixture(scope="module")
def delimited(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    folder = tmp_path_factory.mktemp("log")
    (folder / "log.jsonl").write_bytes(EXAMPLE.read_bytes().replace(b"\n", b"") + b"\n" + HOSTILE + b"\n")
    subprocess.run(
        [str(pathlib.Path(sys.executable).parent / "rtbridge"), "decode", "--server", "log.jsonl", "-o", "log.bin", "-q"],
        cwd=folder, check=True, timeout=60,
    )
    return (folder / "log.bin").read_bytes()


#: A session: a server event with its time, a client event with its audio, a plain client event.
SESSION = [
    bridge.session_envelope(HOSTILE, "server", 2**64 - 1),
    bridge.session_envelope(b'{"type":"input_audio_buffer.append","audio":"AAECAwQF"}', "client", 1733590000000000000),
    b'{"type":"response.create","event_id":"c2"}',
]


@pytest.fixture(scope="module")
def session_log(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    folder = tmp_path_factory.mktemp("session")
    (folder / "session.jsonl").write_bytes(b"".join(line + b"\n" for line in SESSION))
    subprocess.run(
        [str(pathlib.Path(sys.executable).parent / "rtbridge"), "decode", "session.jsonl", "-o", "session.bin", "-q"],
        cwd=folder, check=True, timeout=60,
    )
    return (folder / "session.bin").read_bytes()


@pytest.fixture(scope="module", params=["descriptor", "proto"])
def read(request: pytest.FixtureRequest, delimited: bytes, session_log: bytes) -> dict[str, Any]:
    """What protobufjs read, the schema loaded from the descriptor set or from the .proto files."""
    messages = [bridge.json_to_binary(EXAMPLE.read_bytes()), bridge.json_to_binary(HOSTILE)]
    payload = json.dumps({
        "messages": [base64.b64encode(m).decode() for m in messages],
        "delimited": base64.b64encode(delimited).decode(),
        "session": base64.b64encode(session_log).decode(),
    })
    result = subprocess.run(
        [_npm_tools.node(), str(SCRIPT), request.param, str(ROOT)], input=payload, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr[-4000:]
    out: dict[str, Any] = json.loads(result.stdout)
    out["mode"], out["sent"] = request.param, messages
    return out


#: The oneofs, whose value (with ``oneofs: true``) names the member that is set.
_ONEOFS = {"voice", "max_output_tokens", "event"}  # (fromDescriptor camel-cases fields, not oneofs)


def _snake(name: str) -> str:
    return re.sub(r"[A-Z]", lambda m: "_" + m[0].lower(), name)


def _keys(value: Any, mode: str) -> Any:
    """protobufjs names fields in camelCase when it builds types from a descriptor set (and keeps
    the .proto names with ``keepCase``): back to the .proto names, to compare with one spelling."""
    if mode == "proto":
        return value
    if isinstance(value, dict):
        return {_snake(k): _snake(v) if k in _ONEOFS else _keys(v, mode) for k, v in value.items()}
    if isinstance(value, list):
        return [_keys(v, mode) for v in value]
    return value


def test_protobufjs_is_the_pinned_version(read: dict[str, Any]) -> None:
    lock = json.loads((ROOT / "tools" / "package-lock.json").read_text())
    assert read["protobufjs"] == lock["packages"]["node_modules/protobufjs"]["version"]


def test_a_real_event_reads_with_its_values(read: dict[str, Any]) -> None:
    event = _keys(read["single"][0]["object"], read["mode"])
    source = json.loads(EXAMPLE.read_text())["response"]
    assert event["type"] == "response.done" and event["event_id"] == "event_BaPseLcVszDGQAsybzMKU"
    response = event["response"]
    assert response["id"] == source["id"] and response["status"] == "RESPONSE_STATUS_COMPLETED"
    assert response["conversation_id"] == source["conversation_id"]
    (item,) = response["output"]
    assert item["role"] == "ROLE_ASSISTANT" and item["type"] == "ITEM_TYPE_MESSAGE"
    assert item["content"][0]["transcript"] == source["output"][0]["content"][0]["transcript"]
    assert response["modalities"] == ["MODALITY_TEXT", "MODALITY_AUDIO"]
    assert response["voice_name"] == "coral" and response["voice"] == "voice_name"
    assert response["temperature"] == 0.8
    assert response["max_output_tokens"] == "max_output_tokens_limit"
    assert response["max_output_tokens_limit"] == "MAX_OUTPUT_TOKENS_LIMIT_INF"
    assert response["output_audio_format"] == "AUDIO_FORMAT_PCM16"
    usage = response["usage"]
    assert (usage["total_tokens"], usage["input_tokens"], usage["output_tokens"]) == ("1010", "853", "157")
    assert usage["input_token_details"]["cached_tokens_details"] == {"text_tokens": "0", "audio_tokens": "0"}
    # `"status_details": null` and `"metadata": null` are recorded for the JSON side, by field number.
    assert sorted(response["json_fidelity"]["null_fields"]) == [4, 6]


def test_extremes_unicode_unions_and_fidelity_read_exactly(read: dict[str, Any]) -> None:
    event = _keys(read["single"][1]["object"], read["mode"])
    assert event["event_id"] == "evt_\u00e9\u4e2d\U0001f600"
    response = event["response"]
    assert response["usage"]["total_tokens"] == "9223372036854775807"
    assert response["usage"]["input_tokens"] == "-9223372036854775808"
    assert response["metadata"] == {"a": "1", "b": "\u2603"}
    assert response["max_output_tokens_count"] == "4096" and response["max_output_tokens"] == "max_output_tokens_count"
    assert response["voice_custom"] == {"id": "voice_custom_1"}
    assert response["temperature"] == 0.7000000000000001
    # An enum value the schema does not know: 0 in the field, the string in json_fidelity.
    assert response["status"] == "RESPONSE_STATUS_UNSPECIFIED"
    fidelity = response["json_fidelity"]
    assert fidelity["unknown_enum_values"] == [{"field": 3, "value": "some_future_status"}]
    # The unknown key's value, byte for byte as it arrived (its spaces included).
    assert base64.b64decode(fidelity["unknown_keys"]["future_key"]) == b'{"x": [1, 2.5, null]}'


def test_protobufjs_writes_the_same_bytes_back(read: dict[str, Any]) -> None:
    assert [base64.b64decode(m["reencoded"]) for m in read["single"]] == read["sent"]


def test_a_length_delimited_log_reads_record_by_record(read: dict[str, Any], delimited: bytes) -> None:
    assert [_keys(m["object"], read["mode"]) for m in read["delimited"]] == [
        _keys(m["object"], read["mode"]) for m in read["single"]
    ]
    frames = b"".join(encode_varint(len(m)) + m for m in read["sent"])
    assert frames == delimited


def test_a_session_log_reads_with_directions_times_and_audio(read: dict[str, Any], session_log: bytes) -> None:
    records = [_keys(m["object"], read["mode"]) for m in read["session"]]
    assert [r["event"] for r in records] == ["server_event", "client_event", "client_event"]
    assert [r.get("received_unix_nano") for r in records] == ["18446744073709551615", "1733590000000000000", None]
    assert records[0]["server_event"]["response"]["usage"]["total_tokens"] == "9223372036854775807"
    append = records[1]["client_event"]
    assert append["type"] == "input_audio_buffer.append"
    assert base64.b64decode(append["input_audio_buffer_append"]["audio"]) == bytes(range(6))  # bytes, not text
    assert records[2]["client_event"]["type"] == "response.create"
    # protobufjs writes each record back to the bridge's bytes
    assert b"".join(encode_varint(len(b)) + b for b in (base64.b64decode(m["reencoded"]) for m in read["session"])) == (
        session_log
    )
