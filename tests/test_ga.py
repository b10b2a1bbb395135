"""The GA Realtime protocol beside the beta one: typed decoding, exact round trips, mixed logs."""

from __future__ import annotations

import json
import pathlib

import msgspec
import pytest

import bridge
from bridge.v1 import realtime_pb2

DATA = pathlib.Path(__file__).parent / "data"
GA = sorted((DATA / "ga").glob("*.json"))
BETA = sorted((DATA / "examples").glob("*.json"))


def _round_trips(data: bytes) -> None:
    expected = json.loads(data)
    assert json.loads(bridge.binary_to_json(bridge.json_to_binary(data))) == expected
    assert json.loads(bridge.encode(bridge.decode_event(data))) == expected
    message = realtime_pb2.ServerEvent.FromString(bridge.to_proto(bridge.decode_event(data)).SerializeToString())
    assert json.loads(bridge.encode(bridge.from_proto(message))) == expected


@pytest.mark.parametrize("path", GA, ids=lambda p: p.stem)
def test_ga_example_round_trips_and_is_strictly_valid(path):
    data = path.read_bytes()
    _round_trips(data)
    event = bridge.decode_event(data, strict=True)
    assert event.response.extra is bridge.UNSET, "a GA key was carried as unknown instead of typed"
    for item in event.response.output:
        assert item.extra is bridge.UNSET
        for part in item.content or ():
            assert part.extra is bridge.UNSET


def test_ga_response_created_is_typed():
    event = bridge.decode_event((DATA / "ga" / "ga_response_created.json").read_bytes())
    response = event.response
    assert isinstance(event, bridge.ResponseCreatedEvent)
    assert response.output_modalities == ["audio"]
    assert response.modalities is bridge.UNSET and response.voice is bridge.UNSET
    assert response.audio.output.format == bridge.AudioOutputFormat(type="audio/pcm", rate=24000)
    assert response.audio.output.voice == "marin"
    assert response.max_output_tokens == "inf"
    assert response.usage is None and response.metadata is None


def test_every_ga_item_type_is_typed():
    event = bridge.decode_event((DATA / "ga" / "ga_response_done_every_item.json").read_bytes())
    items = {item.id: item for item in event.response.output}
    assert [p.type for p in items["item_user"].content] == ["input_text", "input_audio", "input_image"]
    image = items["item_user"].content[2]
    assert image.image_url.startswith("data:image/png") and image.detail == "high"
    assert items["item_sys"].role == "system" and items["item_asst"].content[0].type == "output_text"
    assert items["item_fc"].arguments == '{"city":"Zürich"}'
    assert items["item_fco"].output == '{"temp_c":-3.5}'
    mcp = items["item_mcp"]
    assert mcp.type == "mcp_call" and mcp.server_label == "deepwiki" and mcp.output is None
    assert mcp.error == bridge.McpError(type="protocol_error", code=-32600, message="Invalid Request")
    assert items["item_mcp2"].error is None and items["item_mcp2"].output == "42"
    tools = items["item_tools"].tools
    assert [t.name for t in tools] == ["ask_question", "read"]
    assert msgspec.json.decode(tools[0].input_schema)["required"] == ["q"]
    assert bytes(tools[0].annotations) == b"null"
    assert msgspec.json.decode(tools[1].annotations)["big"] == 123456789012345678901234567890
    assert items["mcpr_1"].type == "mcp_approval_request"
    approval = items["mcpa_1"]
    assert approval.approve is False and approval.reason == "not now" and approval.approval_request_id == "mcpr_1"
    output = event.response.audio.output
    assert output.format.type == "audio/pcmu" and output.format.rate is bridge.UNSET
    assert output.voice == bridge.CustomVoice(id="voice_custom_123")
    assert event.response.max_output_tokens == 4096
    assert event.response.usage.input_token_details.image_tokens == 2


def test_ga_proto_uses_typed_fields_not_fidelity():
    data = (DATA / "ga" / "ga_response_done_every_item.json").read_bytes()
    message = realtime_pb2.ServerEvent.FromString(bridge.json_to_binary(data))
    response = message.response
    assert list(response.output_modalities) == [realtime_pb2.MODALITY_TEXT]
    assert response.audio.output.voice_custom.id == "voice_custom_123"
    assert response.audio.output.format.type == realtime_pb2.AUDIO_OUTPUT_FORMAT_TYPE_PCMU
    assert response.output[5].error.code == -32600
    assert response.output[7].tools[0].input_schema.startswith(b'{"type": "object"')  # exact text
    assert response.output[9].HasField("approve") and response.output[9].approve is False
    assert not response.json_fidelity.unknown_keys and not response.json_fidelity.unknown_enum_values


def test_a_consumer_reads_either_shape_through_the_same_types():
    beta = bridge.decode_event((DATA / "examples" / "06_beta_wire_response_done_completed_audio.json").read_bytes())
    ga = bridge.decode_event((DATA / "ga" / "ga_response_done_audio.json").read_bytes())
    assert type(beta) is type(ga) and type(beta.response) is type(ga.response)

    def transcript(event):
        return event.response.output[0].content[0].transcript

    assert transcript(beta).startswith("Hi there") and transcript(ga).startswith("Loud and clear")
    assert beta.response.voice == "coral" and ga.response.audio.output.voice == "alloy"


def test_custom_voice_object_in_beta_position_and_with_unknown_keys():
    data = b'{"type":"response.done","event_id":"e","response":{"voice":{"id":"v1","gender":"n/a"}}}'
    event = bridge.decode_event(data)
    assert event.response.voice.id == "v1"
    assert msgspec.json.decode(event.response.voice.extra["gender"]) == "n/a"
    _round_trips(data)
    with pytest.raises(bridge.ValidationError) as info:
        bridge.decode_event(data, strict=True)
    assert [v.path for v in info.value.violations] == ["$.response.voice.gender"]


def test_strict_rejects_values_outside_both_protocols():
    data = json.dumps({
        "type": "response.done",
        "event_id": "e",
        "response": {
            "output_modalities": ["audio", "video"],
            "audio": {"output": {"format": {"type": "audio/opus"}}},
            "output": [{"type": "mcp_teleport", "content": [{"type": "input_image", "detail": "ultra"}]}],
        },
    }).encode()
    _round_trips(data)
    with pytest.raises(bridge.ValidationError) as info:
        bridge.decode_event(data, strict=True)
    assert sorted(v.path for v in info.value.violations) == [
        "$.response.audio.output.format.type",
        "$.response.output[0].content[0].detail",
        "$.response.output[0].type",
        "$.response.output_modalities[1]",
    ]


def test_wrong_types_in_ga_fields_name_their_path():
    data = b'{"type":"response.done","response":{"audio":{"output":{"voice":7,"format":{"rate":"fast"}}},' \
           b'"output":[{"approve":"yes","tools":[{"name":1}]}]}}'
    expected = [
        "$.response.audio.output.format.rate",
        "$.response.audio.output.voice",
        "$.response.output[0].approve",
        "$.response.output[0].tools[0].name",
    ]
    with pytest.raises(bridge.ValidationError) as info:
        bridge.decode_event(data, strict=True)
    assert sorted(v.path for v in info.value.violations) == expected
    assert sorted(v.path for v in bridge.drift(bridge.decode_event(data))) == expected  # carried by default


def test_mixed_beta_and_ga_log_round_trips_line_for_line():
    lines = [path.read_bytes() for path in [*BETA, *GA]]
    lines += [
        b'{"type":"session.created","event_id":"e1","session":{"type":"realtime","model":"gpt-realtime"}}',
        b'{"type":"response.output_audio.delta","event_id":"e2","response_id":"r","delta":"AAAA"}',
        b'{"type":"response.audio.delta","event_id":"e3","response_id":"r","delta":"AAAA"}',
    ]
    for line in lines:
        compact = msgspec.json.encode(msgspec.json.decode(line))
        _round_trips(compact)
