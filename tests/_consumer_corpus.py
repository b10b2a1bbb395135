"""The corpus that the Go, Java and TypeScript consumer tests (tests/test_go_consumer.py,
tests/test_java_consumer.py, tests/test_ts_consumer.py) read in those languages, and what the Python side says each message of
it holds.

Every server and client event type (from ``bridge._schema``'s plans, not a list written here) as a
minimal document, and again with an unknown key and an explicit ``null`` ``event_id``; 16 KiB of
audio each way; a ``response.done`` with a usage total, an unknown key and a ``null`` inside. The
bridge turns them into length-delimited files with ``rtbridge decode`` (``--server``, ``--client``,
and a session log of both directions); the readers print one JSON line per message, which must equal
:func:`expected`'s.
"""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import json
import pathlib
import random
import subprocess
import sys
from typing import Any

import bridge
from bridge._schema import CLIENT, SERVER, Direction
from bridge.v1 import realtime_pb2

DIRECTIONS: dict[str, Direction] = {"server": SERVER, "client": CLIENT}
#: The event message (oneof member) whose audio the readers print, and its JSON key.
AUDIO = {("server", "response_output_audio_delta"): "delta", ("client", "input_audio_buffer_append"): "audio"}
UNKNOWN_KEY, UNKNOWN_VALUE = "x_consumer_probe", '{"n":[1,null,2.50],"s":"\u00e9\u4e2d"}'
FIRST_TIME = 1733590000000000000


@dataclasses.dataclass(frozen=True)
class Entry:
    direction: str
    text: str  # the JSON line
    #: JsonFidelity records by path of proto field names: {"null_fields": [...], "unknown_keys": {...}}.
    fidelity: dict[str, dict[str, Any]]


def _member(direction: str, event_type: str) -> str:
    envelope = DIRECTIONS[direction].plans[event_type].envelope
    return envelope.member if envelope is not None else ""


def _number(message: Any, field: str) -> int:
    return int(message.DESCRIPTOR.fields_by_name[field].number)


def corpus() -> list[Entry]:
    entries = []
    for direction, plans in DIRECTIONS.items():
        envelope_event_id = _number(plans.envelope, "event_id")
        for index, event_type in enumerate(plans.plans):
            entries.append(Entry(direction, json.dumps({"type": event_type, "event_id": f"{direction}_{index}"}), {}))
            probe = f'{{"type":{json.dumps(event_type)},"event_id":null,"{UNKNOWN_KEY}":{UNKNOWN_VALUE}}}'
            member = _member(direction, event_type)
            fidelity: dict[str, dict[str, Any]]
            if member:
                fidelity = {"": {"null_fields": [envelope_event_id], "unknown_keys": {}},
                            member: {"null_fields": [], "unknown_keys": {UNKNOWN_KEY: UNKNOWN_VALUE}}}
            else:
                fidelity = {"": {"null_fields": [envelope_event_id], "unknown_keys": {UNKNOWN_KEY: UNKNOWN_VALUE}}}
            entries.append(Entry(direction, probe, fidelity))
    server_audio, client_audio = (base64.b64encode(random.Random(seed).randbytes(16 * 1024)).decode() for seed in (1, 2))
    entries.append(Entry("server", json.dumps({"type": "response.output_audio.delta", "event_id": "a1", "response_id": "r",
                                               "item_id": "i", "output_index": 0, "content_index": 0,
                                               "delta": server_audio}), {}))
    entries.append(Entry("client", json.dumps({"type": "input_audio_buffer.append", "audio": client_audio}), {}))
    done = ('{"type":"response.done","event_id":"d1","response":{"id":"resp_1","status":"completed",'
            f'"{UNKNOWN_KEY}":{UNKNOWN_VALUE},'
            '"usage":{"total_tokens":9223372036854775807,"input_tokens":null,"output_tokens":7}}}')
    entries.append(Entry("server", done, {
        "response": {"null_fields": [], "unknown_keys": {UNKNOWN_KEY: UNKNOWN_VALUE}},
        "response.usage": {"null_fields": [_number(realtime_pb2.Usage, "input_tokens")], "unknown_keys": {}}}))
    return entries


def times(entries: list[Entry]) -> list[int]:
    """The receive time of each entry in the session log: the last one the largest a log holds."""
    return [FIRST_TIME + 1000 * i for i in range(len(entries) - 1)] + [2**64 - 1]


def expected(entry: Entry, received_unix_nano: int | None = None) -> dict[str, Any]:
    """What a reader prints for the message the bridge made of ``entry``: the JSON's values."""
    doc = json.loads(entry.text)
    member = _member(entry.direction, doc["type"])
    out: dict[str, Any] = {"direction": entry.direction, "type": doc["type"], "member": member,
                           "event_id": doc.get("event_id"), "fidelity": entry.fidelity}
    key = AUDIO.get((entry.direction, member))
    if key is not None:
        data = base64.b64decode(doc.get(key, ""))
        out["audio_length"], out["audio_sha256"] = len(data), hashlib.sha256(data).hexdigest()
    usage = doc.get("response", {}).get("usage")
    if usage is not None:
        out["total_tokens"] = usage["total_tokens"]
    if received_unix_nano is not None:
        out["received_unix_nano"] = received_unix_nano
    return out


def write_logs(folder: pathlib.Path) -> dict[str, list[dict[str, Any]]]:
    """The bridge's length-delimited files in ``folder`` (server.bin, client.bin, session.bin, made
    by ``rtbridge decode``), and what each message of each holds, by kind."""
    entries = corpus()
    rtbridge = str(pathlib.Path(sys.executable).parent / "rtbridge")
    wanted: dict[str, list[dict[str, Any]]] = {}
    for direction in DIRECTIONS:
        mine = [e for e in entries if e.direction == direction]
        (folder / f"{direction}.jsonl").write_text("".join(e.text + "\n" for e in mine))
        wanted[direction] = [expected(e) for e in mine]
    stamps = times(entries)
    (folder / "session.jsonl").write_bytes(b"".join(
        bridge.session_envelope(e.text.encode(), e.direction, t) + b"\n"  # type: ignore[arg-type]
        for e, t in zip(entries, stamps, strict=True)))
    wanted["session"] = [expected(e, t) for e, t in zip(entries, stamps, strict=True)]
    for kind in wanted:
        flag = [] if kind == "session" else [f"--{kind}"]
        subprocess.run([rtbridge, "decode", *flag, f"{kind}.jsonl", "-o", f"{kind}.bin", "-q"],
                       cwd=folder, check=True, timeout=120)
    return wanted


def compare(kind: str, printed: str, wanted: list[dict[str, Any]]) -> None:
    """Assert that the reader's lines are the Python side's values, message by message."""
    read = [json.loads(line) for line in printed.splitlines()]
    assert len(read) == len(wanted), f"{kind}: read {len(read)} messages, the bridge wrote {len(wanted)}"
    for index, (got, want) in enumerate(zip(read, wanted, strict=True)):
        assert got == want, f"{kind} message {index} ({want['type']}): read {got}, the JSON holds {want}"
    if kind != "session":  # every event type of the direction is in the file
        assert {w["type"] for w in read} == set(DIRECTIONS[kind].plans)
    assert any(w.get("audio_length") == 16 * 1024 for w in read)  # the 16 KiB of audio arrived whole
