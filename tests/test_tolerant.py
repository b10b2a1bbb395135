"""Tolerant reading (issue 22): the default mode accepts every well-formed event.

A value whose JSON type does not fit its field, at any depth of any event of either direction, is
carried like an unknown key: its exact text in the ``extra`` of the object that holds it, the field
left unset. It comes back byte for byte through every path, the compiled paths and the pure ones
giving the same bytes; ``bridge.drift`` names it, and strict mode rejects exactly that path.
An event type of the other direction is named too, never quietly generic.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import msgspec
import pytest

import bridge
from bridge import _accel, _json
from bridge._schema import CLIENT, SERVER, Direction
from tests.test_cli import rtbridge
from tests.test_hostile import JSON_TYPES, _fields, _place

_DIRECTIONS = {"server": SERVER, "client": CLIENT}
_DECODE = {"server": bridge.decode_event, "client": bridge.decode_client_event}
_KIND = {"server": "event", "client": "client_event"}
_EVENTS = [(side, event_type) for side, direction in _DIRECTIONS.items() for event_type in direction.plans]


def _misfits(direction: Direction, event_type: str) -> list[tuple[bytes, str]]:
    """Every key of the event (at every depth) holding each JSON type it does not accept, with the
    path strict mode must name."""
    out = []
    for field in _fields(direction.plans[event_type].struct, ()):
        for name, value in JSON_TYPES.items():
            if name not in field.accepts:
                document = {"type": event_type, **_place(field.path, value)}
                out.append((msgspec.json.encode(document), field.json_path))
    return out


def _pure_binary(obj: Any) -> bytes:
    return bridge.to_proto(obj).SerializeToString(deterministic=True)


@pytest.mark.parametrize(("side", "event_type"), _EVENTS, ids=[f"{s}:{t}" for s, t in _EVENTS])
def test_a_value_of_the_wrong_type_is_carried_anywhere_in_any_event(side: str, event_type: str) -> None:
    direction, decode, kind = _DIRECTIONS[side], _DECODE[side], _KIND[side]
    cases = _misfits(direction, event_type)
    assert cases or event_type in ("input_audio_buffer.clear", "input_audio_buffer.commit")  # (no keys but type)
    for data, where in cases:
        event = decode(data)
        assert type(event) is direction.plans[event_type].struct, data  # typed all the same
        assert [v.path for v in bridge.drift(event)] == [where], data
        blob = bridge.json_to_binary(data, kind=kind)
        assert bridge.binary_to_json(blob, kind=kind) == bridge.encode(event) == data
        # The pure path gives the same object and the same bytes; the compiled decoder, where it
        # takes the document, the same object.
        pure = _json.decode_event(data, direction)
        assert pure == event and _pure_binary(pure) == blob
        if _accel.decode_event is not None:
            compiled = _accel.decode_event(data, False, direction)
            assert compiled is None or compiled == pure
            text = _accel.binary_to_json(blob, kind)
            assert text is None or text == data
        with pytest.raises(bridge.ValidationError) as caught:
            decode(data, strict=True)
        assert [v.path for v in caught.value.violations] == [where]
        with pytest.raises(bridge.ValidationError) as caught:
            bridge.to_proto(event, strict=True)
        assert [v.path for v in caught.value.violations] == [where]


def test_the_compiled_paths_carry_a_value_of_the_wrong_json_type_themselves() -> None:
    """A misfit costs the compiled decoder, writer and reader what an unknown key does: no hand-over
    to the pure path (a number that may or may not fit, as 1.5 in an integer field, is the pure
    path's to judge)."""
    from bridge import _decoder, _speedups  # (the suite runs on a built package: `pip install -e .`)

    for data in (
        b'{"type":"error","event_id":"e","error":"boom"}',
        b'{"type":"response.done","response":{"output":[{"type":"message","content":{"a":1}}],"usage":[]}}',
        b'{"type":"response.output_audio.delta","item_id":"i","delta":5}',
        b'{"type":"response.done","response":{"status_details":{"error":{"code":true}}},"x":1}',
    ):
        compiled = _decoder.decode_event(data, False, SERVER)
        assert compiled is not None, data
        assert compiled == _json.decode_event(data, SERVER)
        assert bridge.encode(compiled) == bridge.encode(_json.decode_event(data, SERVER))
        blob = _speedups.struct_to_binary(compiled)
        assert blob is not None and blob == bridge.to_proto(compiled).SerializeToString(deterministic=True)
        assert _speedups.binary_to_json(blob, "event") == bridge.encode(compiled)


def test_a_misfit_keeps_its_place_among_unknown_keys() -> None:
    data = b'{"type":"error","z":1,"error":"boom","a":[2],"event_id":"e"}'
    event = bridge.decode_event(data)
    assert list(event.extra) == ["z", "error", "a"]  # the document's order, compiled and pure alike
    assert list(_json.decode_event(data, SERVER).extra) == ["z", "error", "a"]
    assert bridge.encode(event) == b'{"type":"error","event_id":"e","z":1,"error":"boom","a":[2]}'


def test_what_cannot_be_read_or_routed_is_still_refused() -> None:
    for data in (b'{"type":"error","error":NaN}', b'{"type":"error"} x', b"[]", b'{"event_id":"e"}', b'{"type":5}',
                 b'{"type":"error","error":"\xff"}'):
        with pytest.raises(bridge.ValidationError):
            bridge.decode_event(data)


def test_a_key_given_twice_takes_the_last_value_whatever_its_type() -> None:
    for data, typed in ((b'{"type":"error","error":"boom","error":{"code":"c"}}', True),
                        (b'{"type":"error","error":{"code":"c"},"error":"boom"}', False)):
        event = bridge.decode_event(data)
        assert (event.error is not msgspec.UNSET) is typed
        assert (bool(event.extra) and "error" in event.extra) is not typed
        assert event == _json.decode_event(data, SERVER)


# ----------------------------------------------------------------------------------- directions


@pytest.mark.parametrize("side", ["server", "client"])
def test_an_event_of_the_other_direction_is_named_not_quietly_generic(side: str) -> None:
    other = CLIENT if side == "server" else SERVER
    decode, kind = _DECODE[side], _KIND[side]
    use = "decode_client_event" if side == "server" else "decode_event"
    for event_type in other.plans:
        data = msgspec.json.encode({"type": event_type})
        event = decode(data)  # lenient: carried, generic, and said
        assert type(event) is _DIRECTIONS[side].generic.struct
        [hint] = bridge.drift(event)
        assert hint.path == "$.type" and f"{event_type!r} is a" in hint.message and use in hint.message
        for call in (lambda: decode(data, strict=True), lambda: bridge.json_to_binary(data, kind=kind, strict=True)):
            with pytest.raises(bridge.ValidationError) as caught:
                call()
            assert caught.value.violations == (hint,)


def test_a_sixteen_kib_append_read_as_a_server_event_says_so() -> None:
    """The issue's trap: a client event through the server-event path was called valid."""
    audio = bytes(range(256)) * 64
    data = bridge.encode(bridge.InputAudioBufferAppendEvent(audio=audio))
    with pytest.raises(bridge.ValidationError, match="is a client event; use decode_client_event"):
        bridge.json_to_binary(data, strict=True)
    blob = bridge.json_to_binary(data, kind="client_event")
    assert len(blob) <= 1.02 * len(audio) + 64  # typed: the audio as bytes


def test_drift_is_empty_for_a_document_the_schema_describes() -> None:
    data = b'{"type":"response.output_text.delta","event_id":"e","item_id":"i","delta":"hi"}'
    assert bridge.drift(bridge.decode_event(data)) == []
    assert [v.path for v in bridge.drift(bridge.decode_event(b'{"type":"future.event","x":1}'))] == ["$.type"]


# ---------------------------------------------------------------------------------------- the CLI


def test_validate_lists_what_it_carries_and_strict_rejects_it(tmp_path: Path) -> None:
    log = tmp_path / "session.jsonl"
    log.write_bytes(b"\n".join([
        b'{"type":"error","error":"boom","event_id":"e"}',
        b'{"type":"response.output_text.delta","event_id":"e","item_id":"i","delta":"hi"}',
        b'{"direction":"server","received_unix_nano":5,"event":{"type":"error","error":7}}',
        b'{"type":"response.done","response":{"temperature":"hot","x":1}}',
    ]) + b"\n")
    result = rtbridge("validate", log)
    assert result.returncode == 0, result.stderr  # carried, not rejected
    assert result.stdout.decode().splitlines() == [
        "line 1: $.error: carried: Expected `object`, got `str`",
        "line 3: $.event.error: carried: Expected `object`, got `int`",
        "line 4: $.response.temperature: carried: Expected `int | float | null`, got `str`",
        "line 4: $.response.x: carried: unknown key",
    ]
    assert "4 events valid (3 carrying what the schema does not type), 0 rejected" in result.stderr.decode()
    strict = rtbridge("validate", "--strict", log)
    assert strict.returncode == 1
    assert [line.split(": ")[0] for line in strict.stdout.decode().splitlines()] == ["line 1", "line 3", "line 4", "line 4"]
    assert "1 event valid, 3 rejected" in strict.stderr.decode()
