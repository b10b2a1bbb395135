"""Session logs (issue 22): both directions in one log, each record with its direction and the time
it was received, as ``SessionRecord`` frames and as JSON Lines envelopes; ``rtbridge`` converts them
(plain lines routed by type by default, ``--server``/``--client`` to force a direction), and reads a
JSON array of events or pretty-printed events as well (issue 24, point 7)."""

from __future__ import annotations

import base64
import io
import json
import random
import tracemalloc
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from test_cli import MIXED_LINES, rtbridge

import bridge
from bridge import batch, session
from bridge._schema import CLIENT, SERVER
from bridge.framing import encode_varint, iter_frames, write_frame
from bridge.v1 import session_pb2
from tests import strategies
from tests.test_properties import SETTINGS

AUDIO_SIZE = 16 * 1024
T0 = 1733590000000000000


def audio(seed: int) -> bytes:
    """16 KiB of noise: audio as a microphone or a model sends it (no pattern to compress)."""
    return random.Random(seed).randbytes(AUDIO_SIZE)


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def compact(event: dict) -> bytes:
    """The event as the bridge writes JSON (compact, keys in the schema's order), so that a log of
    such lines round-trips byte for byte."""
    kind = "client_event" if bridge.event_direction(event["type"]) == "client" else "event"
    return bridge.binary_to_json(bridge.json_to_binary(json.dumps(event), kind=kind), kind=kind)


def envelope_line(direction: str, when: int, event: dict) -> bytes:
    return b'{"direction":"%s","received_unix_nano":%d,"event":%s}' % (direction.encode(), when, compact(event))


def append(n: int) -> dict:
    return {"type": "input_audio_buffer.append", "event_id": f"c{n}", "audio": b64(audio(n))}


def delta(n: int) -> dict:
    return {
        "type": "response.output_audio.delta",
        "event_id": f"s{n}",
        "response_id": "resp_1",
        "item_id": "item_1",
        "output_index": 0,
        "content_index": 0,
        "delta": b64(audio(1000 + n)),
    }


#: A session as a relay records it: both directions interleaved, audio both ways, envelopes with
#: times and plain lines (routed by their type), a client event with no audio, a type neither side
#: knows, and the sample log's server events. Compact, as the bridge writes JSON, so that the round
#: trip is byte for byte.
SESSION = [
    envelope_line("server", T0, json.loads(MIXED_LINES[0])),
    envelope_line("client", T0 + 1_000, {"type": "session.update", "session": {"instructions": "Be brief."}}),
    envelope_line("client", T0 + 2_000, append(1)),
    compact(append(2)),
    envelope_line("server", T0 + 3_000, delta(1)),
    compact(delta(2)),
    envelope_line("client", T0 + 4_000, {"type": "response.cancel", "event_id": "c3"}),
    envelope_line("server", 0, {"type": "vendor.custom_thing", "x": [1, {"y": None}]}),
    envelope_line("client", 2**64 - 1, append(3)),
    compact(json.loads(MIXED_LINES[1])),
    compact(json.loads(MIXED_LINES[8])),
]


def records(data: bytes) -> list[session_pb2.SessionRecord]:
    return [session_pb2.SessionRecord.FromString(frame.payload) for frame in iter_frames(io.BytesIO(data))]


# ------------------------------------------------------------------------------------ the CLI


def test_a_mixed_session_round_trips_exactly_through_the_cli(tmp_path: Path) -> None:
    log, binary, back = tmp_path / "session.jsonl", tmp_path / "session.bin", tmp_path / "back.jsonl"
    log.write_bytes(b"".join(line + b"\n" for line in SESSION))

    decoded = rtbridge("decode", log, "-o", binary)
    assert decoded.returncode == 0, decoded.stderr
    # The one event of a type the schema does not know is counted (read off the binary both ways).
    summary = f"{len(SESSION)} events converted (1 carrying what the schema does not type), 0 rejected"
    assert summary in decoded.stderr.decode()
    encoded = rtbridge("encode", binary, "-o", back)
    assert encoded.returncode == 0, encoded.stderr
    assert summary in encoded.stderr.decode()

    assert back.read_bytes() == log.read_bytes()
    valid = rtbridge("validate", log)  # the one event type the schema does not know is listed
    assert valid.returncode == 0
    assert valid.stdout == b"line 8: $.event.type: carried: 'vendor.custom_thing' is not an event type of the schema\n"


def test_a_session_as_sent_comes_back_as_the_same_json(tmp_path: Path) -> None:
    """Events as other programs write them (spaces, their own key order) come back equal as JSON."""
    sent = [json.dumps(json.loads(line), indent=None).encode() for line in SESSION]
    sent[0] = b'{"event": %s, "received_unix_nano": %d, "direction": "server"}' % (MIXED_LINES[0], T0)
    log = tmp_path / "sent.jsonl"
    log.write_bytes(b"\r\n".join(sent) + b"\r\n")
    decoded = rtbridge("decode", log, "-q")
    assert decoded.returncode == 0, decoded.stderr
    back = rtbridge("encode", "-", stdin=decoded.stdout).stdout
    assert [json.loads(line) for line in back.splitlines()] == [json.loads(line) for line in sent]
    assert back.splitlines()[0] == SESSION[0]


def test_each_record_says_its_direction_and_time(tmp_path: Path) -> None:
    log, binary = tmp_path / "session.jsonl", tmp_path / "session.bin"
    log.write_bytes(b"".join(line + b"\n" for line in SESSION))
    assert rtbridge("decode", log, "-o", binary, "-q").returncode == 0

    got = records(binary.read_bytes())
    directions = [r.WhichOneof("event") for r in got]
    assert directions == [
        "server_event", "client_event", "client_event", "client_event", "server_event", "server_event",
        "client_event", "server_event", "client_event", "server_event", "server_event",
    ]
    times = [r.received_unix_nano if r.HasField("received_unix_nano") else None for r in got]
    assert times == [T0, T0 + 1_000, T0 + 2_000, None, T0 + 3_000, None, T0 + 4_000, 0, 2**64 - 1, None, None]
    # every frame is what the library makes of its line, and what protobuf itself would serialize
    frames = [frame.payload for frame in iter_frames(io.BytesIO(binary.read_bytes()))]
    assert frames == [bridge.session_record_to_binary(line) for line in SESSION]
    assert frames == [r.SerializeToString(deterministic=True) for r in got]


def test_audio_is_carried_as_bytes_both_ways(tmp_path: Path) -> None:
    log, binary = tmp_path / "session.jsonl", tmp_path / "session.bin"
    log.write_bytes(b"".join(line + b"\n" for line in SESSION))
    assert rtbridge("decode", log, "-o", binary, "-q").returncode == 0
    got = records(binary.read_bytes())

    client_audio = [r.client_event.input_audio_buffer_append.audio for r in got if r.client_event.type.endswith("append")]
    assert client_audio == [audio(1), audio(2), audio(3)]
    server_audio = [r.server_event.response_output_audio_delta.delta for r in got if r.server_event.type.endswith("delta")]
    assert server_audio == [audio(1001), audio(1002)]


def test_an_audio_session_is_within_two_percent_of_its_raw_audio_plus_envelopes(tmp_path: Path) -> None:
    lines = []
    for n in range(40):  # a turn each way, plain and enveloped
        lines.append(envelope_line("client", T0 + n, append(n)) if n % 2 else compact(append(n)))
        lines.append(envelope_line("server", T0 + n, delta(n)) if n % 2 else compact(delta(n)))
    log, binary = tmp_path / "audio.jsonl", tmp_path / "audio.bin"
    log.write_bytes(b"".join(line + b"\n" for line in lines))
    assert rtbridge("decode", log, "-o", binary, "-q").returncode == 0

    raw_audio = 80 * AUDIO_SIZE
    # what is not audio, taken at its JSON size: type, ids, indices, envelope and line ending
    envelopes = sum(len(line) + 1 for line in lines) - 80 * len(b64(audio(0)))
    size = len(binary.read_bytes())
    assert raw_audio < size <= 1.02 * raw_audio + envelopes
    assert size < 0.76 * log.stat().st_size  # base64 undone


def test_rejects_keep_their_line_numbers(tmp_path: Path) -> None:
    log, rejects = tmp_path / "session.jsonl", tmp_path / "rejects.jsonl"
    bad = {
        2: b'{"direction":"sever","received_unix_nano":1,"event":{"type":"response.cancel"}}',
        4: b'{"direction":"client","event":{"type":"response.cancel"}}',
        5: b'{"direction":"client","received_unix_nano":1,"event":{"type":"response.cancel"},"note":"x"}',
        7: b'{"direction":"server","received_unix_nano":1,"event":{"type":"response.done","response":{"id":"\xff"}}}',
        9: b'{"type": "input_audio_buffer.append", "audio": ',
    }
    lines = [bad.get(n) or SESSION[n % len(SESSION)] for n in range(1, 11)]
    log.write_bytes(b"".join(line + b"\n" for line in lines[:5]) + b"\n" + b"".join(line + b"\n" for line in lines[5:]))
    # (line 6 is blank: lines 6-10 of `lines` are lines 7-11 of the file)
    bad = {n if n < 6 else n + 1: line for n, line in bad.items()}

    result = rtbridge("decode", log, "-o", tmp_path / "out.bin", "--rejects", rejects)
    assert result.returncode == 1
    got = [json.loads(line) for line in rejects.read_bytes().splitlines()]
    assert [r["line"] for r in got] == sorted(bad)
    assert [r.get("text", "").encode() for r in got] == [bad[n] if bad[n].isascii() else b"" for n in sorted(bad)]
    paths = [[v["path"] for v in r["violations"]] for r in got]
    assert paths == [["$.direction"], ["$"], ["$"], ["$.event.response.id"], ["$"]]
    assert "received_unix_nano" in got[1]["violations"][0]["message"]
    assert "note" in got[2]["violations"][0]["message"]

    validated = rtbridge("validate", log)
    assert validated.returncode == 1
    assert [line.split(":")[0] for line in validated.stdout.decode().splitlines()] == [f"line {n}" for n in sorted(bad)]


def test_forcing_a_direction(tmp_path: Path) -> None:
    client_lines = [compact(append(7)), b'{"type":"response.create"}', b'{"type":"conversation.item.delete","item_id":"i"}']
    log = tmp_path / "client.jsonl"
    log.write_bytes(b"".join(line + b"\n" for line in client_lines))

    forced = rtbridge("decode", "--client", log)
    assert forced.returncode == 0, forced.stderr
    frames = [frame.payload for frame in iter_frames(io.BytesIO(forced.stdout))]
    assert frames == [bridge.json_to_binary(line, kind="client_event") for line in client_lines]  # bare ClientEvents
    back = rtbridge("encode", "--client", "-", stdin=forced.stdout)
    assert back.stdout == log.read_bytes()
    assert rtbridge("encode", "-", stdin=forced.stdout).stdout == log.read_bytes()  # routed by type

    # --server: today's format, byte for byte, whatever the types
    server = rtbridge("decode", "--server", log)
    assert [f.payload for f in iter_frames(io.BytesIO(server.stdout))] == [
        bridge.json_to_binary(line, kind="event") for line in client_lines
    ]
    assert rtbridge("encode", "--server", "-", stdin=server.stdout).stdout == log.read_bytes()
    assert rtbridge("validate", "--client", log).returncode == 0

    # a forced direction reads plain events only: an envelope has no type
    enveloped = tmp_path / "enveloped.jsonl"
    enveloped.write_bytes(SESSION[1] + b"\n" + client_lines[1] + b"\n")
    result = rtbridge("validate", "--client", enveloped)
    assert result.returncode == 1 and result.stdout.decode().startswith("line 1: $")


def test_server_logs_of_today_still_encode_by_default(tmp_path: Path) -> None:
    good = [line for n, line in enumerate(MIXED_LINES, 1) if n not in (5, 7)]
    stream = io.BytesIO()
    for line in good:
        write_frame(stream, bridge.json_to_binary(line))
    default = rtbridge("encode", "-", stdin=stream.getvalue())
    forced = rtbridge("encode", "--server", "-", stdin=stream.getvalue())
    assert default.returncode == forced.returncode == 0
    assert default.stdout == forced.stdout
    assert [json.loads(line) for line in default.stdout.splitlines()] == [json.loads(line) for line in good]


def test_help_describes_session_logs_and_no_stale_claim() -> None:
    text = " ".join(rtbridge("decode", "--help").stdout.decode().split())
    assert "response.created and response.done are typed" not in text
    assert "Every server and client event type of the beta and GA protocols is typed" in text
    assert "--server" in text and "--client" in text and "SessionRecord" in text


# ----------------------------------------------------------------------------------- the schema


def test_event_types_are_disjoint_between_directions() -> None:
    """Routing a plain line by its type needs each type to belong to one direction."""
    assert SERVER.plans and CLIENT.plans
    assert not set(SERVER.plans) & set(CLIENT.plans)
    assert bridge.CLIENT_EVENT_TYPES == frozenset(CLIENT.plans)
    assert bridge.SERVER_EVENT_TYPES == frozenset(SERVER.plans)
    assert {bridge.event_direction(t) for t in CLIENT.plans} == {"client"}
    assert {bridge.event_direction(t) for t in SERVER.plans} == {"server"}
    assert bridge.event_direction("vendor.custom_thing") == "server"


# ---------------------------------------------------------------------------------- the library


@pytest.mark.parametrize("line", SESSION, ids=range(len(SESSION)))
def test_library_round_trip_and_protobuf_agree(line: bytes) -> None:
    record = bridge.session_record_to_binary(line)
    message = session_pb2.SessionRecord.FromString(record)
    assert message.SerializeToString(deterministic=True) == record
    assert bridge.session_record_to_json(record) == line
    event = getattr(message, message.WhichOneof("event")).SerializeToString(deterministic=True)
    kind = "event" if message.HasField("server_event") else "client_event"
    assert bridge.binary_to_json(event, kind=kind) in line  # embedded as the converter writes it


@pytest.mark.parametrize("line", SESSION, ids=range(len(SESSION)))
def test_lines_as_others_write_them_make_the_same_record(line: bytes) -> None:
    """The records of lines as the bridge writes them (read at a glance) and of the same lines
    spaced and reordered (read in full) are the same."""
    obj = json.loads(line)
    reordered = json.dumps(dict(reversed(list(obj.items())))).encode()  # type last, or event first
    assert reordered != line
    assert bridge.session_record_to_binary(reordered) == bridge.session_record_to_binary(line)


#: Lines in every form the session reader tells apart (at a glance, or the long way), as a log
#: holds them (with their line endings) and without.
FORMS = [
    b'{"type":"input_audio_buffer.clear","event_id":"c1"}',  # a client event, compact
    b'{ "type" : "input_audio_buffer.clear" }',  # spaced: the regex
    b'{"type":"response.cancel\\u0020x"}',  # an escape in the type: the long way
    b'{"type":"\xff\xfe","event_id":"e"}',  # a type that is not UTF-8
    b'{"type":"session.update","session":{"bogus":1}}',  # drift
    b'{"event_id":"e","type":"response.cancel"}',  # the type not first
    b'{"direction":"client","received_unix_nano":0,"event":{"type":"session.update","x":[1]}}  \t',
    b'{"direction":"server","received_unix_nano":18446744073709551615,"event":{"type":"vendor.thing"}}',
    b'{"direction":"server","received_unix_nano":18446744073709551616,"event":{"type":"response.done"}}',
    b'{"direction":"server","received_unix_nano":184467440737095516150,"event":{"type":"response.done"}}',
    b'{"direction":"server","received_unix_nano":01,"event":{"type":"response.done"}}',  # a leading zero
    b'{"direction":"client","received_unix_nano":,"event":{"type":"response.cancel"}}',
    b'{"direction":"server","received_unix_nano":1,"event":{"type":"input_audio_buffer.append","audio":"AAAA"}}',
    b'{"direction":"client","received_unix_nano":7,"event":{"type":"response.cancel"},"extra":1}',
    b'{"event":{"type":"response.cancel"},"direction":"client","received_unix_nano":7}',
    b'{"direction":"client","received_unix_nano":7,"event":{"type":"response.cancel"}',  # not closed
    b'{"direction":"client","received_unix_nano":7,"event":{"type":"response.output_audio.delta","delta":"AAA"}}',
]
LOG_LINES = [line + ending for line in [*SESSION, *FORMS] for ending in (b"", b"\n", b"\r\n")]


@pytest.mark.parametrize("line", LOG_LINES, ids=range(len(LOG_LINES)))
@pytest.mark.parametrize("strict", [False, True], ids=["tolerant", "strict"])
def test_a_logs_step_gives_what_the_public_functions_give(line: bytes, strict: bool) -> None:
    """What bridge.batch runs for each record of a session log (the conversion and the drift of its
    event, read off the pieces the conversion already has) gives the frame of
    session_record_to_binary's record and drift_of_session_record of it, and back, the line of
    session_record_to_json; a bad line, the same error."""
    try:
        record = bridge.session_record_to_binary(line, strict=strict)
    except bridge.ValidationError as error:
        _raises_the_same(error, session.frame_of_line, line, strict)
        return
    drift = bridge.session.drift_of_session_record(record)
    assert session.frame_of_line(line, strict) == (encode_varint(len(record)) + record, drift)
    try:
        text = bridge.session_record_to_json(record, strict=strict)
    except bridge.ValidationError as error:
        _raises_the_same(error, session.line_of_frame, record, strict)
        return
    assert session.line_of_frame(record, strict) == (text + b"\n", drift)


def _raises_the_same(error: bridge.ValidationError, call: Any, *args: Any) -> None:
    with pytest.raises(bridge.ValidationError) as caught:
        call(*args)
    assert caught.value.violations == error.violations


def test_the_envelope_embeds_the_event_text_as_sent() -> None:
    raw = b'{ "type" : "response.cancel",\n  "event_id": "c1" }'
    line = bridge.session_envelope(raw, "client", 42)
    assert line == b'{"direction":"client","received_unix_nano":42,"event":{ "type" : "response.cancel",   "event_id": "c1" }}'
    assert json.loads(line)["event"] == json.loads(raw)
    assert bridge.session_record_to_json(bridge.session_record_to_binary(line)) == (
        b'{"direction":"client","received_unix_nano":42,"event":{"type":"response.cancel","event_id":"c1"}}'
    )
    with pytest.raises(ValueError):
        bridge.session_envelope(raw, "upstream", 1)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        bridge.session_envelope(raw, "client", -1)


def test_records_written_by_other_protobuf_code_are_read() -> None:
    message = session_pb2.SessionRecord(received_unix_nano=T0)
    message.client_event.type = "input_audio_buffer.append"
    message.client_event.input_audio_buffer_append.audio = audio(5)
    data = message.SerializeToString()
    expected = envelope_line("client", T0, {"type": "input_audio_buffer.append", "audio": b64(audio(5))})
    assert bridge.session_record_to_json(data) == expected
    # fields in another order, a member merged from two pieces, and a field this reader does not know
    event = message.client_event.SerializeToString()
    cut = 2 + event[1]  # after the event's type field: two pieces that merge into the event
    shuffled = b"\x19" + T0.to_bytes(8, "little") + b"\x12" + bytes([cut]) + event[:cut]
    rest = event[cut:]
    shuffled += b"\x12" + _varint(len(rest)) + rest + b"\x20\x07"  # field 4, a varint
    parsed = session_pb2.SessionRecord.FromString(shuffled)
    parsed.DiscardUnknownFields()
    assert parsed == message  # (protobuf reads the same record)
    assert bridge.session_record_to_json(shuffled) == expected


def _varint(value: int) -> bytes:
    out = bytearray()
    while value >= 0x80:
        out.append(value & 0x7F | 0x80)
        value >>= 7
    return bytes(out + bytes([value]))


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\x19" + bytes(8), "holds no event"),
        (b"\x12\x05ab", "truncated"),
        (b"\x12\x00\x1a\x00", "field 3 has wire type 2"),
        (b"\x12\x00\x19\x01", "truncated"),
    ],
)
def test_a_broken_record_is_a_validation_error(data: bytes, message: str) -> None:
    with pytest.raises(bridge.ValidationError) as caught:
        bridge.session_record_to_json(data)
    assert message in str(caught.value)


def test_a_bad_event_in_a_record_is_reported_under_its_path() -> None:
    event = bridge.json_to_binary(b'{"type":"response.done","response":{"status":"paused"}}')
    timed = b"\x0a" + _varint(len(event)) + event + b"\x19" + bytes(8)
    with pytest.raises(bridge.ValidationError) as caught:
        bridge.session_record_to_json(timed, strict=True)
    assert [v.path for v in caught.value.violations] == ["$.event.response.status"]
    with pytest.raises(bridge.ValidationError) as caught:
        bridge.session_record_to_json(timed[: -9], strict=True)  # no time: the plain event's paths
    assert [v.path for v in caught.value.violations] == ["$.response.status"]


# ------------------------------------------------------------------ almost JSON Lines (issue 24)

EVENTS = [json.loads(line) for n, line in enumerate(MIXED_LINES, 1) if n not in (5, 7)]


@pytest.mark.parametrize(
    "text",
    [
        json.dumps(EVENTS),
        json.dumps(EVENTS, indent=2),
        "\n".join(json.dumps(event, indent=2) for event in EVENTS) + "\n",
        "\ufeff\n\n" + "\n".join(json.dumps(event, indent=4) for event in EVENTS),
    ],
    ids=["array", "pretty-array", "pretty-values", "bom-and-blank-lines"],
)
def test_an_array_or_pretty_printed_events_just_work(tmp_path: Path, text: str) -> None:
    path = tmp_path / "events.json"
    path.write_text(text)
    decoded = rtbridge("decode", path)
    assert decoded.returncode == 0, decoded.stderr
    assert [json.loads(line) for line in rtbridge("encode", "-", stdin=decoded.stdout).stdout.splitlines()] == EVENTS
    assert rtbridge("validate", path).returncode == 0
    assert rtbridge("decode", "-", stdin=path.read_bytes()).stdout == decoded.stdout  # through a pipe too


def test_rejects_in_pretty_printed_input_name_the_line_a_value_starts_on(tmp_path: Path) -> None:
    values = [EVENTS[0], {"type": 5, "response": {"output": 7}}, EVENTS[2], 17, EVENTS[3]]
    text = json.dumps(values, indent=2)
    starts = [n for n, line in enumerate(text.splitlines(), 1) if line in ("  {", "  17,")]
    path = tmp_path / "events.json"
    path.write_text(text)
    result = rtbridge("validate", path)
    assert result.returncode == 1
    assert [line.split(":")[0] for line in result.stdout.decode().splitlines()] == [f"line {starts[1]}", f"line {starts[3]}"]


def test_an_unclosed_array_is_reported_where_it_ends(tmp_path: Path) -> None:
    path = tmp_path / "events.json"
    text = json.dumps(EVENTS[:3], indent=2)[:-2]  # '\n]' cut off
    path.write_text(text)
    result = rtbridge("validate", path)
    assert result.returncode == 1
    assert result.stdout.decode().splitlines() == [f"line {text.count(chr(10)) + 1}: $: the JSON array is not closed: ']' is missing at the end"]


def test_a_large_array_on_one_line_is_read_in_bounded_memory() -> None:
    events = [compact(delta(n)) for n in range(8)]
    count = 600  # ~13 MB of JSON on a single line
    data = b"[" + b",".join(events[n % 8] for n in range(count)) + b"]"
    tracemalloc.start()
    try:
        stats = batch.validate_jsonl(io.BufferedReader(io.BytesIO(data), 1024 * 1024), kind="session")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert stats.converted == count and stats.rejected == 0
    assert peak < len(data) / 3  # the input's pieces, not the input (the BytesIO itself is not traced)


# ------------------------------------------------------------------------------------ properties


def text_bytes(text: str | bytes) -> bytes:
    return text.encode() if isinstance(text, str) else text


@SETTINGS
@given(
    event=st.one_of(strategies.response_events(), strategies.generic_events()).filter(
        lambda e: e["type"] not in bridge.CLIENT_EVENT_TYPES
    ),
    direction=st.sampled_from(["server", "client"]),
    when=st.one_of(st.none(), st.integers(0, 2**64 - 1)),
    data=st.data(),
)
def test_any_event_in_any_record_round_trips(event: dict, direction: str, when: int | None, data: st.DataObject) -> None:
    """An event of any shape, in an envelope of either direction at any time, or as a plain line
    (then a server event, by its type): its record is what protobuf writes for the same message, and
    converts back to the envelope (or line) with the event as the bridge writes it."""
    text = data.draw(strategies.json_text(event))
    raw = text_bytes(text)
    if when is None:
        direction = "server"
        line = raw
    else:
        line = bridge.session_envelope(raw, direction, when)  # type: ignore[arg-type]
        raw = line[line.index(b'"event":') + len(b'"event":') : -1]  # as embedded: line breaks made spaces
        assert json.loads(raw) == json.loads(text) and raw.replace(b" ", b"") == text_bytes(text).replace(b" ", b"").replace(b"\n", b"")
    kind = "event" if direction == "server" else "client_event"
    try:
        event_bytes = bridge.json_to_binary(raw, kind=kind)
    except bridge.ValidationError as error:  # (the event is bad whichever way it comes)
        with pytest.raises(bridge.ValidationError) as caught:
            bridge.session_record_to_binary(line)
        prefix = "$" if when is None else "$.event"
        assert [v.path for v in caught.value.violations] == [prefix + v.path[1:] for v in error.violations]
        return
    record = bridge.session_record_to_binary(line)
    message = session_pb2.SessionRecord()
    getattr(message, f"{direction}_event").ParseFromString(event_bytes)
    if when is not None:
        message.received_unix_nano = when
    assert record == message.SerializeToString(deterministic=True)
    written = bridge.binary_to_json(event_bytes, kind=kind)
    expected = written if when is None else bridge.session_envelope(written, direction, when)  # type: ignore[arg-type]
    assert bridge.session_record_to_json(record) == expected


def test_a_str_line_holding_lone_surrogates_is_bad_input_not_an_encode_error() -> None:
    """Found by the fuzz harness's session-record target: a ``str`` line with lone surrogates is a
    ValidationError at ``$``, as the converters report the same str (not Python's UnicodeEncodeError)."""
    line = '{"type":"response.cancel","event_id":"\ud800"}'
    with pytest.raises(bridge.ValidationError) as raised:
        bridge.session.session_record_to_binary(line)
    with pytest.raises(bridge.ValidationError) as converter:
        bridge.json_to_binary(line, kind="client_event")
    assert raised.value.violations[0].path == "$"
    assert raised.value.violations[0].message == converter.value.violations[0].message
