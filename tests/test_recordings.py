"""The recorded Realtime sessions shipped with the stand-in (``bridge/relay/recordings/*.jsonl``,
issue 25) and the tool that makes them (``tools/make_recordings.py``).

- Each recording is a session log that ``bridge.session`` reads, every event converts to protobuf
  and back to the same JSON text (tolerant and strict) and decodes to its own typed, GA class, and
  the events of both directions come in the order of a turn.
- The audio is 24 kHz mono PCM16 of the length the events say, and speech: loud enough, with quiet
  and loud 20 ms frames, and correlated from sample to sample (not noise).
- The tool's pure pieces (WAV reading, resampling, chunking, the events built around known audio)
  are tested directly, and running it with espeak-ng (installed by ``tests/_debian_tools.py`` when
  missing) makes logs of the same shape as the committed ones. Not the same bytes: espeak-ng's
  audio is not promised stable from one of its versions to the next.
"""

from __future__ import annotations

import array
import base64
import importlib.util
import itertools
import json
import math
import pathlib
import statistics
import struct
import subprocess
import sys
from types import ModuleType
from typing import Any

import msgspec
import pytest

from tests import _debian_tools

import bridge
from bridge import models

ROOT = pathlib.Path(__file__).resolve().parent.parent
RECORDINGS = ROOT / "bridge" / "relay" / "recordings"
NAMES = ("error", "function-call", "voice-turn")
#: The recordings with speech both ways.
SPOKEN = ("function-call", "voice-turn")
KIND = {"server": "event", "client": "client_event"}
RATE = 24_000
BYTES_PER_SECOND = 2 * RATE


def _load_tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location("_make_recordings", ROOT / "tools" / "make_recordings.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


tool = _load_tool()


class _Envelope(msgspec.Struct):
    direction: str
    received_unix_nano: int
    event: msgspec.Raw


class Record(msgspec.Struct):
    """One line of a log: the line, its envelope's fields, the event's exact text and its JSON."""

    line: bytes
    direction: str
    received: int
    text: bytes
    event: dict[str, Any]


def read_log(path: pathlib.Path) -> list[Record]:
    records = []
    for line in path.read_bytes().splitlines():
        envelope = msgspec.json.decode(line, type=_Envelope)
        text = bytes(envelope.event)
        records.append(Record(line, envelope.direction, envelope.received_unix_nano, text, json.loads(text)))
    return records


@pytest.fixture(scope="module", params=NAMES)
def recording(request: pytest.FixtureRequest) -> tuple[str, list[Record]]:
    return request.param, read_log(RECORDINGS / f"{request.param}.jsonl")


@pytest.fixture(scope="module", params=SPOKEN)
def spoken(request: pytest.FixtureRequest) -> tuple[str, list[Record]]:
    return request.param, read_log(RECORDINGS / f"{request.param}.jsonl")


def _types(records: list[Record], direction: str | None = None) -> list[str]:
    return [r.event["type"] for r in records if direction in (None, r.direction)]


def _one(records: list[Record], direction: str, event_type: str) -> dict[str, Any]:
    (event,) = [r.event for r in records if r.direction == direction and r.event["type"] == event_type]
    return event


def _audio(records: list[Record], event_type: str, key: str) -> list[bytes]:
    return [base64.b64decode(r.event[key], validate=True) for r in records if r.event["type"] == event_type]


# ------------------------------------------------------------------------------ the recordings


def test_the_shipped_recordings_are_the_three_the_stand_in_names() -> None:
    assert sorted(p.name for p in RECORDINGS.iterdir()) == [f"{name}.jsonl" for name in NAMES]
    for name in NAMES:
        size = (RECORDINGS / f"{name}.jsonl").stat().st_size
        assert 1_000 < size < 400_000, f"{name}: {size} bytes"


@pytest.mark.parametrize("strict", [False, True], ids=["lenient", "strict"])
def test_every_record_converts_exactly(recording: tuple[str, list[Record]], strict: bool) -> None:
    _, records = recording
    assert len(records) > 20
    for index, record in enumerate(records):
        binary = bridge.session_record_to_binary(record.line, strict=strict)
        assert bridge.session_record_to_json(binary, strict=strict) == record.line, index
        kind = KIND[record.direction]
        event = bridge.json_to_binary(record.text, kind=kind, strict=strict)
        assert bridge.binary_to_json(event, kind=kind, strict=strict) == record.text, index
        assert bridge.session_envelope(record.text, record.direction, record.received) == record.line


def test_every_event_decodes_to_its_own_ga_class(recording: tuple[str, list[Record]]) -> None:
    _, records = recording
    for record in records:
        assert bridge.event_direction(record.event["type"]) == record.direction, record.event["type"]
        decode = bridge.decode_event if record.direction == "server" else bridge.decode_client_event
        event = decode(record.text, strict=True)
        assert not isinstance(event, (models.GenericEvent, models.GenericClientEvent)), record.event["type"]
        assert type(event).__name__.endswith("Event") and event.type == record.event["type"]
        assert bridge.drift(event) == [], (record.event["type"], bridge.drift(event))
        # The generated classes say which protocol an event type belongs to: none is beta only.
        assert "(beta):" not in (type(event).__doc__ or ""), f"{record.event['type']} is a beta event name"


def test_both_directions_in_time_order(recording: tuple[str, list[Record]]) -> None:
    _, records = recording
    times = [r.received for r in records]
    assert times == sorted(times)
    assert times[0] > 1.7e18 and times[-1] - times[0] < 10 * 10**9  # (nanoseconds since the epoch; seconds long)
    assert records[0].event["type"] == "session.created"  # sent as the socket opens, before any client event
    assert {r.direction for r in records} == {"server", "client"}
    created, updated = _one(records, "server", "session.created"), _one(records, "server", "session.updated")
    assert created["session"]["id"] == updated["session"]["id"] and created["session"]["id"].startswith("sess_")
    assert created["session"]["expires_at"] == updated["session"]["expires_at"] == times[0] // 10**9 + 3600
    server_ids = [r.event["event_id"] for r in records if r.direction == "server"]
    assert len(set(server_ids)) == len(server_ids) and all(i.startswith("event_") for i in server_ids)


#: The order of each recording's turn: these (direction, type) pairs, in this order, with anything
#: between them.
TURNS = {
    "voice-turn": [
        ("server", "session.created"), ("client", "session.update"), ("server", "session.updated"),
        ("client", "input_audio_buffer.append"), ("server", "input_audio_buffer.speech_started"),
        ("client", "input_audio_buffer.append"), ("server", "input_audio_buffer.speech_stopped"),
        ("server", "input_audio_buffer.committed"), ("server", "conversation.item.added"),
        ("server", "conversation.item.done"), ("server", "response.created"),
        ("server", "response.output_item.added"), ("server", "conversation.item.added"),
        ("server", "response.content_part.added"), ("server", "response.output_audio_transcript.delta"),
        ("server", "response.output_audio.delta"), ("server", "conversation.item.input_audio_transcription.completed"),
        ("server", "response.output_audio.done"), ("server", "response.output_audio_transcript.done"),
        ("server", "response.content_part.done"), ("server", "response.output_item.done"),
        ("server", "conversation.item.done"), ("server", "response.done"), ("server", "rate_limits.updated"),
    ],
    "function-call": [
        ("server", "session.created"), ("client", "session.update"), ("server", "session.updated"),
        ("client", "input_audio_buffer.append"), ("server", "input_audio_buffer.speech_started"),
        ("server", "input_audio_buffer.speech_stopped"), ("server", "input_audio_buffer.committed"),
        ("server", "response.created"), ("server", "response.output_item.added"),
        ("server", "response.function_call_arguments.delta"), ("server", "response.function_call_arguments.done"),
        ("server", "response.output_item.done"), ("server", "response.done"),
        ("client", "conversation.item.create"), ("server", "conversation.item.added"), ("server", "conversation.item.done"),
        ("client", "response.create"), ("server", "response.created"), ("server", "response.output_audio.delta"),
        ("server", "response.output_audio.done"), ("server", "response.done"),
    ],
    "error": [
        ("server", "session.created"), ("client", "session.update"), ("server", "error"),
        ("client", "session.update"), ("server", "session.updated"), ("client", "conversation.item.create"),
        ("server", "conversation.item.added"), ("client", "response.create"), ("server", "response.created"),
        ("server", "response.output_text.delta"), ("server", "response.output_text.done"), ("server", "response.done"),
    ],
}


def test_the_events_come_in_the_order_of_a_turn(recording: tuple[str, list[Record]]) -> None:
    name, records = recording
    pairs = iter([(r.direction, r.event["type"]) for r in records])
    missing = [step for step in TURNS[name] if step not in pairs]  # (consumes `pairs` up to each step)
    assert not missing, f"{name}: not in this order: {missing}"


def test_each_response_is_whole_and_its_usage_adds_up(recording: tuple[str, list[Record]]) -> None:
    _, records = recording
    created = [r.event["response"] for r in records if r.event["type"] == "response.created"]
    done = [r.event["response"] for r in records if r.event["type"] == "response.done"]
    assert [r["id"] for r in created] == [r["id"] for r in done] and created
    for response in created:
        assert response["status"] == "in_progress" and response["output"] == [] and response["usage"] is None
    for response in done:
        assert response["status"] == "completed" and response["output"]
        ids = {r.event.get("response_id") for r in records if r.event["type"].startswith("response.")
               and "response_id" in r.event and r.event["response_id"] == response["id"]}
        assert ids == {response["id"]}
        usage = response["usage"]
        details, output = usage["input_token_details"], usage["output_token_details"]
        assert usage["total_tokens"] == usage["input_tokens"] + usage["output_tokens"] > 0
        assert usage["input_tokens"] == details["text_tokens"] + details["audio_tokens"] + details["image_tokens"]
        assert usage["output_tokens"] == output["text_tokens"] + output["audio_tokens"] > 0
        assert 0 <= details["cached_tokens"] <= usage["input_tokens"]
        assert details["cached_tokens"] == sum(details["cached_tokens_details"].values())
    # Every item a response streams is the one its output_item.added opened.
    opened = {r.event["item"]["id"] for r in records if r.event["type"] == "response.output_item.added"}
    streamed = {r.event["item_id"] for r in records if r.event["type"].startswith("response.") and "item_id" in r.event}
    assert streamed == opened


def test_the_error_names_the_update_it_rejects_and_the_session_goes_on() -> None:
    records = read_log(RECORDINGS / "error.jsonl")
    bad, good = [r.event for r in records if r.event["type"] == "session.update"]
    error = _one(records, "server", "error")["error"]
    assert "type" not in bad["session"] and good["session"]["type"] == "realtime"  # GA requires session.type
    assert error["type"] == "invalid_request_error" and error["param"] == "session.type"
    assert error["event_id"] == bad["event_id"] != good["event_id"]
    assert _one(records, "server", "session.updated")["session"]["output_modalities"] == ["text"]
    text = "".join(r.event["delta"] for r in records if r.event["type"] == "response.output_text.delta")
    assert text == _one(records, "server", "response.output_text.done")["text"] and len(text.split()) >= 3
    assert not _audio(records, "input_audio_buffer.append", "audio")


def test_the_function_call_is_answered_with_its_call_id() -> None:
    records = read_log(RECORDINGS / "function-call.jsonl")
    tools = _one(records, "client", "session.update")["session"]["tools"]
    done = _one(records, "server", "response.function_call_arguments.done")
    assert [t["name"] for t in tools] == [done["name"]] == ["get_weather"]
    pieces = "".join(r.event["delta"] for r in records if r.event["type"] == "response.function_call_arguments.delta")
    assert pieces == done["arguments"] and json.loads(done["arguments"]) == {"city": "Paris"}
    item = _one(records, "client", "conversation.item.create")["item"]
    assert item["type"] == "function_call_output" and item["call_id"] == done["call_id"]
    assert json.loads(item["output"])["city"] == "Paris"
    first, second = [r.event["response"] for r in records if r.event["type"] == "response.done"]
    assert first["output"][0]["type"] == "function_call" and first["output"][0]["call_id"] == done["call_id"]
    assert second["output"][0]["content"][0]["type"] == "output_audio"


# ------------------------------------------------------------------------------------ audio


def _samples(pcm: bytes) -> array.array[int]:
    samples = array.array("h", pcm)
    if sys.byteorder == "big":
        samples.byteswap()
    return samples


def _frame_levels(pcm: bytes) -> list[float]:
    """The RMS of each whole 20 ms frame."""
    samples = _samples(pcm)
    return [math.sqrt(sum(s * s for s in samples[i : i + 480]) / 480) for i in range(0, len(samples) - 479, 480)]


def _assert_speech(pcm: bytes, what: str) -> None:
    """Not silence, not noise: loud on the whole, quiet and loud frames, smooth sample to sample."""
    samples = _samples(pcm)
    rms = math.sqrt(sum(s * s for s in samples) / len(samples))
    assert rms > 500, f"{what}: RMS {rms:.0f}: (nearly) silent"
    levels = _frame_levels(pcm)
    variation = statistics.pstdev(levels) / statistics.mean(levels)
    assert variation > 0.5, f"{what}: the energy of 20 ms frames hardly varies ({variation:.2f}): noise, not speech"
    assert sum(level < 0.05 * max(levels) for level in levels) >= 5, f"{what}: no pauses"
    correlation = sum(a * b for a, b in itertools.pairwise(samples)) / sum(s * s for s in samples)
    assert correlation > 0.5, f"{what}: consecutive samples uncorrelated ({correlation:.2f}): noise, not speech"


def test_the_sessions_say_24_khz_pcm_both_ways(spoken: tuple[str, list[Record]]) -> None:
    _, records = spoken
    audio = _one(records, "server", "session.updated")["session"]["audio"]
    pcm = {"type": "audio/pcm", "rate": RATE}
    assert audio["input"]["format"] == pcm and audio["output"]["format"] == pcm
    assert _one(records, "client", "session.update")["session"]["audio"]["input"]["format"] == pcm
    assert all(r.event["response"]["audio"]["output"]["format"] == pcm for r in records if r.event["type"] == "response.done")


def test_the_users_speech_goes_up_in_20_ms_appends_in_real_time(spoken: tuple[str, list[Record]]) -> None:
    name, records = spoken
    appends = _audio(records, "input_audio_buffer.append", "audio")
    assert {len(a) for a in appends} == {960}  # 20 ms of 24 kHz PCM16
    times = [r.received for r in records if r.event["type"] == "input_audio_buffer.append"]
    assert {b - a for a, b in itertools.pairwise(times)} == {20_000_000}
    pcm = b"".join(appends)
    duration_ms = len(pcm) * 1000 // BYTES_PER_SECOND
    started = _one(records, "server", "input_audio_buffer.speech_started")
    stopped = _one(records, "server", "input_audio_buffer.speech_stopped")
    assert 1_000 <= duration_ms <= 5_000
    assert stopped["audio_end_ms"] == duration_ms  # the appends stop when VAD says the speech stopped
    # Where VAD says the speech starts, the audio's energy does (within a frame), and it ends at
    # least the VAD's silence before audio_end_ms.
    levels = _frame_levels(pcm)
    loud = [i for i, level in enumerate(levels) if level > 0.05 * max(levels)]
    assert abs(loud[0] * 20 - started["audio_start_ms"]) <= 20, (name, loud[0] * 20, started)
    silence_ms = _one(records, "client", "session.update")["session"]["audio"]["input"]["turn_detection"]["silence_duration_ms"]
    assert (loud[-1] + 1) * 20 <= stopped["audio_end_ms"] - silence_ms
    assert started["item_id"] == stopped["item_id"] == _one(records, "server", "input_audio_buffer.committed")["item_id"]
    _assert_speech(pcm, f"{name}: the user's speech")


def test_the_assistants_speech_comes_down_in_100_ms_deltas(spoken: tuple[str, list[Record]]) -> None:
    name, records = spoken
    deltas = _audio(records, "response.output_audio.delta", "delta")
    assert {len(d) for d in deltas[:-1]} == {4800} and 0 < len(deltas[-1]) <= 4800 and len(deltas[-1]) % 2 == 0
    pcm = b"".join(deltas)
    transcript = [r.event["transcript"] for r in records if r.event["type"] == "response.output_audio_transcript.done"][-1]
    streamed = "".join(r.event["delta"] for r in records if r.event["type"] == "response.output_audio_transcript.delta")
    assert streamed == transcript
    seconds = len(pcm) / BYTES_PER_SECOND
    words = len(transcript.split())
    assert 0.15 <= seconds / words <= 0.8, f"{name}: {seconds:.2f} s for {words} words"
    _assert_speech(pcm, f"{name}: the assistant's speech")
    # Faster than real time, as the API sends audio.
    times = [r.received for r in records if r.event["type"] == "response.output_audio.delta"]
    assert times[-1] - times[0] < seconds * 10**9


# ----------------------------------------------------------------------------- the tool's pieces


def _wav(samples: list[int], rate: int = 22_050, *, streamed: bool = True, channels: int = 1, tail: bytes = b"") -> bytes:
    data = struct.pack(f"<{len(samples)}h", *samples) + tail
    size = 0x7FFFF000 if streamed else len(data)  # (what espeak-ng writes to a pipe)
    fmt = struct.pack("<HHIIHH", 1, channels, rate, rate * 2 * channels, 2 * channels, 16)
    header = b"RIFF" + struct.pack("<I", size + 36) + b"WAVE" + b"fmt " + struct.pack("<I", 16) + fmt
    return header + b"data" + struct.pack("<I", size) + data


@pytest.mark.parametrize("streamed", [True, False], ids=["piped", "sized"])
def test_read_wav_reads_what_espeak_writes_to_a_pipe(streamed: bool) -> None:
    rate, samples = tool.read_wav(_wav([0, 1, -2, 32767, -32768], 22_050, streamed=streamed, tail=b"\x01"))
    assert rate == 22_050 and list(samples) == [0, 1, -2, 32767, -32768]  # (the odd last byte dropped)
    with pytest.raises(ValueError, match="not mono PCM16"):
        tool.read_wav(_wav([0, 0], channels=2))
    with pytest.raises(ValueError, match="not a RIFF WAVE"):
        tool.read_wav(b"ID3\x03" + bytes(40))


def _crossings(samples: Any) -> int:
    return sum((a < 0) != (b < 0) for a, b in itertools.pairwise(samples))


def test_resample_keeps_duration_pitch_and_level() -> None:
    tone = [round(10_000 * math.sin(2 * math.pi * 440 * i / 22_050)) for i in range(22_050 // 2)]
    out = tool.resample(tone, 22_050, 24_000)
    assert len(out) == 12_000  # half a second at 24 kHz
    assert abs(_crossings(out) - _crossings(tone)) <= 2  # still 440 Hz (440 crossings in half a second)
    assert abs(_crossings(out) - 440) <= 2
    assert 9_900 <= max(out) <= 10_000 and -10_000 <= min(out) <= -9_900
    assert list(tool.resample([0, 100], 1, 2)) == [0, 50, 100, 100]  # linear between samples, the last held
    assert list(tool.resample([5, 6, 7], 8_000, 8_000)) == [5, 6, 7]
    assert list(tool.resample([], 22_050, 24_000)) == []
    with pytest.raises(ValueError):
        tool.resample([1], 0, 24_000)


def test_chunks_cut_20_ms_appends_and_100_ms_deltas() -> None:
    data = bytes(range(256)) * 8  # 2 048 bytes
    assert [len(c) for c in tool.chunks(data, tool.APPEND_BYTES)] == [960, 960, 128]
    assert b"".join(tool.chunks(data, 4800)) == data and len(tool.chunks(data, 4800)) == 1
    assert tool.chunks(b"", 960) == []
    assert (tool.APPEND_BYTES, tool.DELTA_BYTES) == (960, 4800)
    with pytest.raises(ValueError):
        tool.chunks(data, 0)


def _tone(ms: int, amplitude: int = 8_000, hz: int = 180) -> bytes:
    """A tone with a syllable-like envelope: a stand-in for speech whose span is known."""
    count = RATE * ms // 1000
    envelope = [0.6 + 0.4 * math.sin(2 * math.pi * 4 * i / RATE) for i in range(count)]
    samples = array.array("h", (round(amplitude * envelope[i] * math.sin(2 * math.pi * hz * i / RATE)) for i in range(count)))
    return tool.pcm16(samples)


def test_speech_span_and_utterance_find_the_speech_and_pad_it_for_vad() -> None:
    pcm = tool.silence(300) + _tone(1_000) + tool.silence(200)
    assert tool.speech_span(pcm) == (300, 1_300)
    audio = tool.utterance(pcm)
    assert len(audio) % 960 == 0
    assert tool.speech_span(audio) == (tool.LEAD_SILENCE_MS + 300, tool.LEAD_SILENCE_MS + 1_300)
    assert len(audio) * 1000 // BYTES_PER_SECOND == tool.LEAD_SILENCE_MS + 1_300 + tool.VAD_SILENCE_MS
    with pytest.raises(ValueError, match="silent"):
        tool.speech_span(tool.silence(100))


def test_words_cut_as_transcript_deltas() -> None:
    assert tool.words("Yes, I can hear you.") == ["Yes", ",", " I", " can", " hear", " you", "."]
    assert "".join(tool.words("It's 18 degrees!")) == "It's 18 degrees!"


def _records_to_log(records: list[tuple[str, int, dict[str, Any]]]) -> list[Record]:
    lines = tool.log_lines(records)
    for line in lines:  # what the tool writes reads and converts exactly, as the shipped files do
        assert bridge.session_record_to_json(bridge.session_record_to_binary(line, strict=True)) == line
    envelopes = [msgspec.json.decode(line, type=_Envelope) for line in lines]
    return [Record(line, e.direction, e.received_unix_nano, bytes(e.event), json.loads(bytes(e.event)))
            for line, e in zip(lines, envelopes, strict=True)]


def test_voice_turn_built_around_known_audio() -> None:
    user = tool.silence(300) + _tone(1_000)  # speech from 700 ms of the utterance (after the lead) to 1 700
    assistant = _tone(1_050, hz=220)
    records = _records_to_log(tool.voice_turn(user, assistant))
    appends = _audio(records, "input_audio_buffer.append", "audio")
    assert b"".join(appends) == tool.utterance(user) and {len(a) for a in appends} == {960}
    started = _one(records, "server", "input_audio_buffer.speech_started")
    assert started["audio_start_ms"] == tool.LEAD_SILENCE_MS + 300
    assert _one(records, "server", "input_audio_buffer.speech_stopped")["audio_end_ms"] == tool.LEAD_SILENCE_MS + 1_300 + 500
    # speech_started follows the append that holds the second loud frame after the onset.
    order = [(r.direction, r.event["type"]) for r in records]
    first_append = order.index(("client", "input_audio_buffer.append"))
    assert order.index(("server", "input_audio_buffer.speech_started")) - first_append == (tool.LEAD_SILENCE_MS + 300) // 20 + 2
    assert b"".join(_audio(records, "response.output_audio.delta", "delta")) == assistant
    assert [len(d) for d in _audio(records, "response.output_audio.delta", "delta")] == [4800] * 10 + [2400]
    transcript = "".join(r.event["delta"] for r in records if r.event["type"] == "response.output_audio_transcript.delta")
    assert transcript == tool.VOICE_TURN[1]
    assert [(r.direction, r.event["type"]) for r in records][:3] == [
        ("server", "session.created"), ("client", "session.update"), ("server", "session.updated")]
    usage = _one(records, "server", "response.done")["response"]["usage"]
    assert usage["output_token_details"]["audio_tokens"] == 21  # a token per 50 ms of speech (1.05 s)


def test_function_call_and_error_built_around_known_audio() -> None:
    calls = _records_to_log(tool.function_call(tool.silence(200) + _tone(800), _tone(900, hz=220)))
    done = _one(calls, "server", "response.function_call_arguments.done")
    assert _one(calls, "client", "conversation.item.create")["item"]["call_id"] == done["call_id"]
    assert [t for t in _types(calls, "client") if t != "input_audio_buffer.append"] == [
        "session.update", "conversation.item.create", "response.create"]
    errors = _records_to_log(tool.error())
    bad = next(r.event for r in errors if r.event["type"] == "session.update")
    assert _one(errors, "server", "error")["error"]["event_id"] == bad["event_id"]


def test_events_the_schema_does_not_type_are_refused() -> None:
    with pytest.raises(ValueError, match="not typed by the schema"):  # (carried generically, even strictly)
        tool.event_text("client", {"type": "response.novel"})
    with pytest.raises(bridge.ValidationError, match=r"\$\.response\.novel"):
        tool.event_text("server", {"type": "response.done", "event_id": "e", "response": {"novel": 1}})
    with pytest.raises(bridge.ValidationError, match="is a client event"):
        tool.event_text("server", {"type": "session.update", "session": {"type": "realtime"}})
    with pytest.raises(bridge.ValidationError):  # (strict: a value out of the schema's limits)
        tool.event_text("client", {"type": "session.update", "session": {"type": "realtime", "temperature": 9.0}})
    with pytest.raises(ValueError, match="backwards"):
        tool.log_lines([("server", 2, {"type": "input_audio_buffer.cleared", "event_id": "e1"}),
                        ("server", 1, {"type": "input_audio_buffer.cleared", "event_id": "e2"})])


# --------------------------------------------------------------------------------- the tool run

#: Event types whose number depends on the audio's length (espeak-ng's output).
_STREAMED = {"input_audio_buffer.append", "response.output_audio.delta", "response.output_audio_transcript.delta"}


def _shape(records: list[Record]) -> list[tuple[str, str]]:
    """The log's sequence of (direction, type), each run of streamed events (appends, audio and
    transcript deltas, however many the audio makes) as one step."""
    shape: list[tuple[str, str]] = []
    for record in records:
        step = (record.direction, "(streamed)" if record.event["type"] in _STREAMED else record.event["type"])
        if not shape or shape[-1] != step or step[1] != "(streamed)":
            shape.append(step)
    return shape


def test_running_the_tool_makes_logs_of_the_committed_shape(tmp_path: pathlib.Path) -> None:
    espeak = _debian_tools.command("espeak-ng")
    done = subprocess.run([sys.executable, str(ROOT / "tools" / "make_recordings.py"), "--out", str(tmp_path), "--espeak", espeak],
                          capture_output=True, text=True, timeout=300, check=False, cwd=tmp_path)
    assert done.returncode == 0, done.stderr[-3000:]
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"{name}.jsonl" for name in NAMES]
    for name in NAMES:
        made, committed = read_log(tmp_path / f"{name}.jsonl"), read_log(RECORDINGS / f"{name}.jsonl")
        assert _shape(made) == _shape(committed), name
        assert len(_shape(committed)) > 15
    made_speech = b"".join(_audio(read_log(tmp_path / "voice-turn.jsonl"), "response.output_audio.delta", "delta"))
    _assert_speech(made_speech, "espeak-ng's speech, made now")
