"""The seams of the package (issue 23): a result's class does not depend on the mode, and the pure
functions know nothing of the compiled ones."""

from __future__ import annotations

import pathlib

import msgspec
import pytest

import bridge
from bridge._schema import CLIENT, RESPONSE_PLAN, SERVER

_EVENTS = [(direction, event_type) for direction in (SERVER, CLIENT) for event_type in direction.plans]
_DECODE = {SERVER: bridge.decode_event, CLIENT: bridge.decode_client_event}


@pytest.mark.parametrize(("direction", "event_type"), _EVENTS, ids=[t for _, t in _EVENTS])
def test_strict_mode_returns_the_public_class_of_every_event(direction: object, event_type: str) -> None:
    data = msgspec.json.encode({"type": event_type, "event_id": "e"})
    public = direction.plans[event_type].struct
    decode = _DECODE[direction]
    for function in (decode, getattr(decode, "__wrapped__", decode)):  # compiled, then pure
        strict, lenient = function(data, strict=True), function(data)
        assert type(strict) is public and type(lenient) is public
        assert strict == lenient


def test_strict_mode_returns_the_public_classes_all_the_way_down() -> None:
    data = (b'{"type":"response.done","response":{"id":"r","status":"completed","output":[{"type":"message",'
            b'"role":"assistant","content":[{"type":"output_text","text":"hi"}]}],"usage":{"total_tokens":3}}}')
    for function in (bridge.decode_event, bridge.decode_event.__wrapped__):
        event = function(data, strict=True)
        assert type(event.response) is RESPONSE_PLAN.struct
        assert type(event.response.output[0]) is bridge.ConversationItem
        assert type(event.response.output[0].content[0]) is bridge.ContentPart
        assert type(event.response.usage) is bridge.Usage


def test_the_layout_and_the_package_maps_name_every_module() -> None:
    """docs/guarantees.md's layout names every module of bridge/ and bridge/service/, and
    bridge/service/__init__.py's map names every module of the service."""
    root = pathlib.Path(bridge.__file__).parent
    guarantees = (root.parent / "docs" / "guarantees.md").read_text()
    layout = guarantees[guarantees.index("## Layout"):]
    for path in sorted(root.glob("*.py*")) + sorted(root.glob("*.pxd")):
        if path.name != "__init__.py" and path.suffix in (".py", ".pyx", ".pxd"):
            assert path.name in layout, path.name
    service = root / "service"
    service_map = (service / "__init__.py").read_text()
    for path in sorted(service.glob("*.py")):
        if path.name != "__init__.py":
            assert f"bridge.service.{path.stem}`" in service_map, path.stem
            assert path.stem in layout, path.stem
