"""The session's messages on the wire, as :mod:`bridge.service.wire` does it for the conversions:
``ConnectRequest``\\ s are read only as far as their envelope, so a client event stays the bytes
the caller sent until :func:`bridge.binary_to_json` reads it, and ``ConnectResponse.events`` is
framed around the bytes :func:`bridge.json_to_binary` made, each copied once. The rare messages
(``open``, ``connected``, ``rejected``, ``ended``) use the generated classes.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Final, NamedTuple, cast

from google.protobuf.descriptor import Descriptor
from google.protobuf.message import DecodeError

from bridge.framing import read_varint
from bridge.service.wire import embedded, fields_of, key, last_member, mirror, varint
from bridge.v1.service_pb2 import ClientEventBatch, ConversionError, ServerEventBatch
from bridge.v1.session_service_pb2 import (
    ClientEventRejected,
    ConnectRequest,
    ConnectResponse,
    SessionConnected,
    SessionEnded,
    SessionOpen,
)

__all__ = ["Request", "connected", "ended", "events", "events_size", "read_request", "rejected"]

_REQUEST: Final = fields_of(ConnectRequest)
_OPEN, _EVENT, _BATCH = (_REQUEST[name].number for name in ("open", "event", "batch"))
_EVENT_KEY: Final = key(_REQUEST["event"])
_MIRROR: Final = mirror(cast(Descriptor, ConnectRequest.DESCRIPTOR))
_BATCH_MIRROR: Final = mirror(cast(Descriptor, ClientEventBatch.DESCRIPTOR))
_MEMBERS: Final = tuple(field.number for field in cast(Descriptor, ConnectRequest.DESCRIPTOR).oneofs_by_name["request"].fields)
#: ``ConnectResponse.events`` and, inside it, each ``ServerEventBatch.events`` entry.
_EVENTS: Final = key(fields_of(ConnectResponse)["events"])
_ENTRY: Final = key(fields_of(ServerEventBatch)["events"])


class Request(NamedTuple):
    """A ``ConnectRequest``: an ``open``, or the bytes of the client events it carries (one, or a
    batch), or ``malformed`` (not protobuf: the reason)."""

    open: SessionOpen | None = None
    events: Sequence[bytes] = ()
    malformed: str | None = None


def read_request(data: bytes) -> Request:
    """Read a ``ConnectRequest`` as far as its envelope (gRPC's request deserializer: it never
    raises; bad bytes are a :class:`Request` with ``malformed`` set, for the session to end on)."""
    if data[:1] == _EVENT_KEY:  # the common request: one event, nothing else (what protobuf reads too)
        try:
            size, start = read_varint(data, 1)
        except ValueError:
            size = start = -1
        if start + size == len(data):
            return Request(events=(data[start:],))
    try:
        request: Any = _MIRROR.FromString(data)
        present = [number for number in _MEMBERS if _occurrences(request, number)]
        if len(present) > 1:  # the oneof member seen last wins, merged since the other last appeared
            number, payload = last_member(data, _MEMBERS)
        elif present:
            number = present[0]
            payload = embedded(_occurrences(request, number))
        else:
            return Request()  # an empty request: no event
        if number == _OPEN:
            return Request(open=SessionOpen.FromString(payload))
        if number == _EVENT:
            return Request(events=(payload,))
        return Request(events=_BATCH_MIRROR.FromString(payload).events)
    except DecodeError as error:
        return Request(malformed=f"malformed request message: {error}")


_NAMES: Final = {field.number: field.name for field in _REQUEST.values()}


def _occurrences(request: Any, number: int) -> Sequence[bytes]:
    return cast(Sequence[bytes], getattr(request, _NAMES[number]))


def events_size(payload: bytes) -> int:
    """What one event adds to an ``events`` message (its tag, length and bytes)."""
    return len(_ENTRY) + len(varint(len(payload))) + len(payload)


def events(payloads: Sequence[bytes]) -> bytes:
    """A ``ConnectResponse`` carrying ``payloads`` (``ServerEvent`` bytes) as its ``events``."""
    parts: list[bytes] = []
    for payload in payloads:
        parts += (_ENTRY, varint(len(payload)), payload)
    inner = b"".join(parts)
    return b"".join((_EVENTS, varint(len(inner)), inner))


def connected(session_id: str, upstream_request_id: str) -> bytes:
    return ConnectResponse(
        connected=SessionConnected(session_id=session_id, upstream_request_id=upstream_request_id)
    ).SerializeToString()


def rejected(sequence: int, error: ConversionError) -> bytes:
    return ConnectResponse(rejected=ClientEventRejected(sequence=sequence, error=error)).SerializeToString()


def ended(message: SessionEnded) -> bytes:
    return ConnectResponse(ended=message).SerializeToString()
