"""The real payloads in tests/data/examples/ (spec examples, docs examples, raw wire captures):
each round-trips exactly through every path, and decodes to the right typed values."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

import msgspec

import bridge
from bridge.v1 import realtime_pb2
from tests.strategies import canonical

EXAMPLES = sorted((Path(__file__).parent / "data" / "examples").glob("*.json"))
FILES = {path.name: path for path in EXAMPLES}


def test_examples_are_present() -> None:
    assert len(EXAMPLES) >= 10, "tests/data/examples/ lost its payloads"


def _read(name: str) -> bytes:
    return FILES[name].read_bytes()


def _assert_same_json(produced: bytes, original: bytes) -> None:
    assert json.loads(produced) == json.loads(original)
    assert canonical(json.loads(produced)) == canonical(json.loads(original))


# -------------------------------------------------------------------------------------- round trip


@pytest.fixture(params=EXAMPLES, ids=lambda path: path.stem)
def raw(request: pytest.FixtureRequest) -> bytes:
    return request.param.read_bytes()


@pytest.mark.parametrize("strict", [False, True], ids=["default", "strict"])
def test_binary_round_trip(raw: bytes, strict: bool) -> None:
    blob = bridge.json_to_binary(raw, strict=strict)
    _assert_same_json(bridge.binary_to_json(blob, strict=strict), raw)


def test_struct_round_trip(raw: bytes) -> None:
    event = bridge.decode_event(raw)
    _assert_same_json(bridge.encode(event), raw)
    assert bridge.decode_event(bridge.encode(event)) == event


def test_proto_message_round_trip(raw: bytes) -> None:
    event = bridge.decode_event(raw)
    message = bridge.to_proto(event)
    assert isinstance(message, realtime_pb2.ServerEvent)
    parsed = realtime_pb2.ServerEvent.FromString(message.SerializeToString())
    back = bridge.from_proto(parsed)
    assert back == event
    _assert_same_json(bridge.encode(back), raw)


def test_text_input_round_trip(raw: bytes) -> None:
    """``str`` input behaves as its UTF-8 bytes."""
    blob = bridge.json_to_binary(raw.decode())
    assert blob == bridge.json_to_binary(raw)
    _assert_same_json(bridge.binary_to_json(blob), raw)


def test_bare_response_round_trip(raw: bytes) -> None:
    """The ``response`` object on its own, as ``kind="response"``."""
    response_json = json.dumps(json.loads(raw)["response"]).encode()
    blob = bridge.json_to_binary(response_json, kind="response")
    _assert_same_json(bridge.binary_to_json(blob, kind="response"), response_json)
    response = bridge.decode_response(response_json)
    assert response == bridge.decode_event(raw).response
    _assert_same_json(bridge.encode(response), response_json)
    message = realtime_pb2.RealtimeResponse.FromString(bridge.to_proto(response).SerializeToString())
    _assert_same_json(bridge.encode(bridge.from_proto(message)), response_json)


def test_examples_are_schema_clean(raw: bytes) -> None:
    """The real payloads hold no key or enum value the documented schema lacks: strict accepts them
    and decodes them to the same objects as the default mode, with nothing left in ``extra``."""
    event = bridge.decode_event(raw, strict=True)
    assert event == bridge.decode_event(raw)
    assert event.extra is bridge.UNSET
    assert event.response.extra is bridge.UNSET


# ------------------------------------------------------------------------------------ typed values

#: ``(example, attribute path, expected value)``. ``UNSET`` means the key is missing, ``None`` null.
EXPECTED: list[tuple[str, str, Any]] = [
    ("01_beta_spec_2025-04_response_created", "type", "response.created"),
    ("01_beta_spec_2025-04_response_created", "event_id", "event_2930"),
    ("01_beta_spec_2025-04_response_created", "response.id", "resp_001"),
    ("01_beta_spec_2025-04_response_created", "response.object", "realtime.response"),
    ("01_beta_spec_2025-04_response_created", "response.status", "in_progress"),
    ("01_beta_spec_2025-04_response_created", "response.status_details", None),
    ("01_beta_spec_2025-04_response_created", "response.output", []),
    ("01_beta_spec_2025-04_response_created", "response.usage", None),
    ("01_beta_spec_2025-04_response_created", "response.metadata", bridge.UNSET),
    ("01_beta_spec_2025-04_response_created", "response.max_output_tokens", bridge.UNSET),
    ("02_beta_spec_2025-04_response_done_text_usage", "type", "response.done"),
    ("02_beta_spec_2025-04_response_done_text_usage", "response.status", "completed"),
    ("02_beta_spec_2025-04_response_done_text_usage", "response.output[0].id", "msg_006"),
    ("02_beta_spec_2025-04_response_done_text_usage", "response.output[0].object", "realtime.item"),
    ("02_beta_spec_2025-04_response_done_text_usage", "response.output[0].role", "assistant"),
    ("02_beta_spec_2025-04_response_done_text_usage", "response.output[0].content[0].type", "text"),
    ("02_beta_spec_2025-04_response_done_text_usage", "response.output[0].content[0].text",
     "Sure, how can I assist you today?"),
    ("02_beta_spec_2025-04_response_done_text_usage", "response.usage.total_tokens", 275),
    ("02_beta_spec_2025-04_response_done_text_usage", "response.usage.input_tokens", 127),
    ("02_beta_spec_2025-04_response_done_text_usage", "response.usage.output_tokens", 148),
    # The spec's own example has more cached tokens than input tokens: carried, not audited.
    ("02_beta_spec_2025-04_response_done_text_usage", "response.usage.input_token_details.cached_tokens", 384),
    ("02_beta_spec_2025-04_response_done_text_usage",
     "response.usage.input_token_details.cached_tokens_details.audio_tokens", 256),
    ("02_beta_spec_2025-04_response_done_text_usage",
     "response.usage.input_token_details.cached_tokens_details.image_tokens", bridge.UNSET),
    ("02_beta_spec_2025-04_response_done_text_usage", "response.usage.output_token_details.audio_tokens", 112),
    ("02_beta_spec_2025-04_response_done_text_usage", "response.metadata", bridge.UNSET),
    ("03_beta_spec_2024-10_response_done_minimal_usage", "response.usage.total_tokens", 50),
    ("03_beta_spec_2024-10_response_done_minimal_usage", "response.usage.input_token_details", bridge.UNSET),
    ("03_beta_spec_2024-10_response_done_minimal_usage", "response.usage.output_token_details", bridge.UNSET),
    ("04_beta_docs_response_done_function_call", "response.output[0].type", "function_call"),
    ("04_beta_docs_response_done_function_call", "response.output[0].name", "generate_horoscope"),
    ("04_beta_docs_response_done_function_call", "response.output[0].call_id", "call_sHlR7iaFwQ2YQOqm"),
    ("04_beta_docs_response_done_function_call", "response.output[0].arguments", '{"sign":"Aquarius"}'),
    ("04_beta_docs_response_done_function_call", "response.output[0].role", bridge.UNSET),
    ("04_beta_docs_response_done_function_call", "response.output[0].content", bridge.UNSET),
    ("04_beta_docs_response_done_function_call", "response.metadata", None),
    ("04_beta_docs_response_done_function_call", "response.usage.input_token_details.cached_tokens", 0),
    ("04_beta_docs_response_done_function_call",
     "response.usage.input_token_details.cached_tokens_details.text_tokens", 0),
    ("05_beta_wire_response_created", "response.status", "in_progress"),
    ("05_beta_wire_response_created", "response.output", []),
    ("05_beta_wire_response_created", "response.conversation_id", "conv_BaPscIZ7aWE0hH59M3OYF"),
    ("05_beta_wire_response_created", "response.modalities", ["text", "audio"]),
    ("05_beta_wire_response_created", "response.voice", "coral"),
    ("05_beta_wire_response_created", "response.output_audio_format", "pcm16"),
    ("05_beta_wire_response_created", "response.temperature", 0.8),
    ("05_beta_wire_response_created", "response.max_output_tokens", "inf"),
    ("05_beta_wire_response_created", "response.usage", None),
    ("05_beta_wire_response_created", "response.metadata", None),
    ("05_beta_wire_response_created", "response.status_details", None),
    ("06_beta_wire_response_done_completed_audio", "response.status", "completed"),
    ("06_beta_wire_response_done_completed_audio", "response.output[0].content[0].type", "audio"),
    ("06_beta_wire_response_done_completed_audio", "response.output[0].content[0].transcript",
     "Hi there! Thank you for calling. My name is Sarah. How can I assist you with your billing issue today?"),
    ("06_beta_wire_response_done_completed_audio", "response.output[0].content[0].audio", bridge.UNSET),
    ("06_beta_wire_response_done_completed_audio", "response.usage.total_tokens", 1010),
    ("06_beta_wire_response_done_completed_audio", "response.usage.input_token_details.text_tokens", 853),
    ("06_beta_wire_response_done_completed_audio", "response.usage.output_token_details.audio_tokens", 119),
    ("06_beta_wire_response_done_completed_audio", "response.metadata", None),
    ("07_beta_wire_response_done_cancelled_partial_audio", "response.status", "cancelled"),
    ("07_beta_wire_response_done_cancelled_partial_audio", "response.status_details.type", "cancelled"),
    ("07_beta_wire_response_done_cancelled_partial_audio", "response.status_details.reason", "turn_detected"),
    ("07_beta_wire_response_done_cancelled_partial_audio", "response.status_details.error", bridge.UNSET),
    ("07_beta_wire_response_done_cancelled_partial_audio", "response.output[0].status", "completed"),
    ("07_beta_wire_response_done_cancelled_partial_audio", "response.usage.total_tokens", 1479),
    ("07_beta_wire_response_done_cancelled_partial_audio", "response.usage.output_token_details.audio_tokens", 175),
    ("07b_beta_wire_response_done_cancelled_item_incomplete", "response.status", "cancelled"),
    ("07b_beta_wire_response_done_cancelled_item_incomplete", "response.output[0].status", "incomplete"),
    ("07b_beta_wire_response_done_cancelled_item_incomplete", "response.usage.input_token_details.audio_tokens", 369),
    ("08_beta_wire_response_done_cancelled_empty", "response.status", "cancelled"),
    ("08_beta_wire_response_done_cancelled_empty", "response.output", []),
    ("08_beta_wire_response_done_cancelled_empty", "response.usage.total_tokens", 0),
    ("08_beta_wire_response_done_cancelled_empty",
     "response.usage.input_token_details.cached_tokens_details.audio_tokens", 0),
    ("14_beta_wire_response_created_metadata_textonly", "response.metadata",
     {"request_id": "a68f767f-0d18-4494-9012-f113cf16d43a"}),
    ("14_beta_wire_response_created_metadata_textonly", "response.modalities", ["text"]),
    ("14_beta_wire_response_created_metadata_textonly", "response.voice", "alloy"),
    ("14_beta_wire_response_created_metadata_textonly", "response.usage", None),
]

_STEP = re.compile(r"\.?([A-Za-z_]+)|\[(\d+)\]")


def _get(obj: Any, path: str) -> Any:
    """``response.output[0].content[1].text`` read off a model instance."""
    for name, index in _STEP.findall(path):
        obj = getattr(obj, name) if name else obj[int(index)]
    return obj


@pytest.mark.parametrize(
    ("name", "path", "expected"), EXPECTED, ids=[f"{n[:3].rstrip('_')}-{p}" for n, p, _ in EXPECTED]
)
def test_typed_value(name: str, path: str, expected: Any) -> None:
    event = bridge.decode_event(_read(f"{name}.json"))
    value = _get(event, path)
    if expected is None or expected is bridge.UNSET:
        assert value is expected
    else:
        assert value == expected
        assert type(value) is type(expected)


def test_every_example_is_checked() -> None:
    assert {name for name, _, _ in EXPECTED} == {path.stem for path in EXAMPLES}


def test_event_classes() -> None:
    for path in EXAMPLES:
        event = bridge.decode_event(path.read_bytes())
        expected = bridge.ResponseCreatedEvent if "created" in path.stem else bridge.ResponseDoneEvent
        assert type(event) is expected, path.name
        assert event.type == json.loads(path.read_bytes())["type"]
        assert isinstance(event.response, bridge.RealtimeResponse)


def test_usage_nested_types() -> None:
    usage = bridge.decode_event(_read("02_beta_spec_2025-04_response_done_text_usage.json")).response.usage
    assert isinstance(usage, bridge.Usage)
    assert isinstance(usage.input_token_details, bridge.InputTokenDetails)
    assert isinstance(usage.input_token_details.cached_tokens_details, bridge.CachedTokensDetails)
    assert isinstance(usage.output_token_details, bridge.OutputTokenDetails)


def test_function_call_arguments_stay_a_string() -> None:
    item = bridge.decode_event(_read("04_beta_docs_response_done_function_call.json")).response.output[0]
    assert isinstance(item, bridge.ConversationItem)
    assert json.loads(item.arguments) == {"sign": "Aquarius"}


# ------------------------------------------------------------------------------------ proto values


def _message(name: str) -> realtime_pb2.ServerEvent:
    return realtime_pb2.ServerEvent.FromString(bridge.json_to_binary(_read(f"{name}.json")))


def _numbers(descriptor: Any, *names: str) -> set[int]:
    return {descriptor.fields_by_name[name].number for name in names}


def test_proto_of_a_created_event() -> None:
    """Nulls, ``[]`` and the ``"inf"`` union land where docs/events.md says."""
    message = _message("05_beta_wire_response_created")
    response = message.response
    assert message.type == "response.created"
    assert message.event_id == "event_BaPsc92k7CSjgXWr8weP0"
    assert response.status == realtime_pb2.RESPONSE_STATUS_IN_PROGRESS
    assert response.object == realtime_pb2.RESPONSE_OBJECT_REALTIME_RESPONSE
    assert list(response.modalities) == [realtime_pb2.MODALITY_TEXT, realtime_pb2.MODALITY_AUDIO]
    assert response.output_audio_format == realtime_pb2.AUDIO_FORMAT_PCM16
    assert response.WhichOneof("voice") == "voice_name"
    assert response.voice_name == "coral"
    assert response.temperature == 0.8
    assert response.WhichOneof("max_output_tokens") == "max_output_tokens_limit"
    assert response.max_output_tokens_limit == realtime_pb2.MAX_OUTPUT_TOKENS_LIMIT_INF
    assert not response.HasField("usage") and not response.HasField("status_details")
    fidelity = response.json_fidelity
    descriptor = realtime_pb2.RealtimeResponse.DESCRIPTOR
    assert set(fidelity.null_fields) == _numbers(descriptor, "status_details", "usage", "metadata")
    assert set(fidelity.empty_fields) == _numbers(descriptor, "output")
    assert not fidelity.unknown_keys and not fidelity.unknown_enum_values
    assert not message.HasField("json_fidelity")


def test_proto_of_a_done_event() -> None:
    response = _message("07_beta_wire_response_done_cancelled_partial_audio").response
    assert response.status == realtime_pb2.RESPONSE_STATUS_CANCELLED
    assert response.status_details.type == realtime_pb2.STATUS_DETAILS_TYPE_CANCELLED
    assert response.status_details.reason == realtime_pb2.STATUS_REASON_TURN_DETECTED
    assert not response.status_details.HasField("json_fidelity")
    (item,) = response.output
    assert item.type == realtime_pb2.ITEM_TYPE_MESSAGE
    assert item.role == realtime_pb2.ROLE_ASSISTANT
    assert item.content[0].type == realtime_pb2.CONTENT_PART_TYPE_AUDIO
    assert item.content[0].transcript.startswith("I understand you'd like to speak with a supervisor.")
    assert not item.content[0].HasField("audio")
    assert response.usage.total_tokens == 1479
    assert response.usage.input_token_details.cached_tokens_details.HasField("text_tokens")
    assert not response.usage.input_token_details.cached_tokens_details.HasField("image_tokens")


def test_proto_keeps_zero_apart_from_missing() -> None:
    """Zero token counts (a cancelled response) are present, not defaulted away."""
    usage = _message("08_beta_wire_response_done_cancelled_empty").response.usage
    for name in ("total_tokens", "input_tokens", "output_tokens"):
        assert usage.HasField(name) and getattr(usage, name) == 0
    assert not usage.output_token_details.HasField("json_fidelity")


def test_proto_metadata_map() -> None:
    response = _message("14_beta_wire_response_created_metadata_textonly").response
    assert dict(response.metadata) == {"request_id": "a68f767f-0d18-4494-9012-f113cf16d43a"}
    assert list(response.modalities) == [realtime_pb2.MODALITY_TEXT]


# --------------------------------------------------------------------------------- a session's log

#: Other server events of a real session, interleaved with the examples in a log.
FUTURE_EVENT = b'{"type":"response.future.delta","event_id":"event_9","response_id":"resp_1","delta":{"x":[1,null]}}'
OTHER_EVENTS = [
    (
        b'{"type":"session.created","event_id":"event_1","session":{"id":"sess_1","object":"realtime.session",'
        b'"modalities":["text","audio"],"temperature":0.8,"tools":[],"max_response_output_tokens":"inf",'
        b'"turn_detection":{"type":"server_vad","threshold":0.5,"silence_duration_ms":200}}}'
    ),
    (
        b'{"type":"response.output_item.added","event_id":"event_2","response_id":"resp_1","output_index":0,'
        b'"item":{"id":"item_1","object":"realtime.item","type":"message","status":"in_progress","role":"assistant","content":[]}}'
    ),
    (
        b'{"type":"response.audio.delta","event_id":"event_3","response_id":"resp_1","item_id":"item_1",'
        b'"output_index":0,"content_index":0,"delta":"UklGRiQAAABXQVZF"}'
    ),
    (
        b'{"type":"response.audio_transcript.delta","event_id":"event_4","response_id":"resp_1","item_id":"item_1",'
        b'"output_index":0,"content_index":0,"delta":"Gr\\u00fc\\u00dfe \xf0\x9f\x91\x8b"}'
    ),
    (
        b'{"type":"rate_limits.updated","event_id":"event_5","rate_limits":[{"name":"tokens","limit":20000,'
        b'"remaining":19000,"reset_seconds":0.06}]}'
    ),
    (
        b'{"type":"error","event_id":"event_6","error":{"type":"invalid_request_error","code":null,'
        b'"message":"Invalid value","param":null,"event_id":"evt_client_1"}}'
    ),
]


@pytest.mark.parametrize("strict", [False, True], ids=["default", "strict"])
def test_session_log(strict: bool) -> None:
    """A log of mixed events passes line by line, strict mode too: every event type of the protocol
    decodes to its own class with no key left over, and a type the schema does not know keeps every
    key (its keys are its payload, not schema drift)."""
    log = [*OTHER_EVENTS, FUTURE_EVENT, *(path.read_bytes() for path in EXAMPLES)]
    for line in log:
        event = bridge.decode_event(line, strict=strict)
        _assert_same_json(bridge.binary_to_json(bridge.json_to_binary(line, strict=strict), strict=strict), line)
        document = json.loads(line)
        assert event.type == document["type"]
        assert event.event_id == document["event_id"]
        if line is FUTURE_EVENT:
            assert type(event) is bridge.GenericEvent
            assert {k: json.loads(bytes(v)) for k, v in event.extra.items()} == {
                k: v for k, v in document.items() if k not in ("type", "event_id")
            }
        else:
            assert type(event).__name__ == "".join(w.capitalize() for w in event.type.replace(".", "_").split("_")) + "Event"
            assert event.extra is msgspec.UNSET
