"""The RPCs of ``realtime.bridge.v1.BridgeService`` and ``SessionService``, read off their
descriptors: the one table the servicer (:mod:`bridge.service.servicer`), the request readers
(:mod:`bridge.service.wire`), the metrics (:mod:`bridge.service.metrics`), the session relay
(:mod:`bridge.relay`) and the client (:mod:`bridge.client`) are fed from. Nothing here lists an
RPC by name.

An RPC is a *conversion* when its request and its response each carry one document, JSON (a
``bytes`` field) on one side and a ``ServerEvent``, ``ClientEvent`` or ``RealtimeResponse`` on the
other: JSON in is ``from_json`` (:func:`bridge.json_to_binary`), JSON out is ``to_json``
(:func:`bridge.binary_to_json`). A stream request may also carry a ``batch`` of documents, and a
stream response a ``ConversionError`` in the same ``oneof`` as its document.
"""

from __future__ import annotations

import dataclasses
from typing import Final, Literal

from google.protobuf import message_factory
from google.protobuf.descriptor import Descriptor, FieldDescriptor, MethodDescriptor, ServiceDescriptor
from google.protobuf.message import Message

from bridge.v1 import realtime_pb2, service_pb2, session_service_pb2

__all__ = [
    "CONVERSIONS",
    "RPCS",
    "SERVICE",
    "SERVICE_NAME",
    "SESSION_RPCS",
    "SESSION_SERVICE",
    "SESSION_SERVICE_NAME",
    "Conversion",
    "Kind",
    "Rpc",
    "table",
]

#: Which way an RPC converts: JSON to protobuf bytes, or back.
Conversion = Literal["from_json", "to_json"]
#: The ``kind`` argument of :func:`bridge.json_to_binary` / :func:`bridge.binary_to_json`.
Kind = Literal["event", "client_event", "response"]

#: The ``kind`` of each document message an RPC can carry.
_KINDS: Final[dict[str, Kind]] = {
    realtime_pb2.ServerEvent.DESCRIPTOR.full_name: "event",
    realtime_pb2.ClientEvent.DESCRIPTOR.full_name: "client_event",
    realtime_pb2.RealtimeResponse.DESCRIPTOR.full_name: "response",
}


@dataclasses.dataclass(frozen=True)
class Rpc:
    """One method of the service, as its descriptor describes it."""

    #: The method's short name (``EventFromJson``).
    name: str
    #: Its path on the wire (``/realtime.bridge.v1.BridgeService/EventFromJson``).
    path: str
    #: The generated request and response classes.
    request: type[Message]
    response: type[Message]
    request_streaming: bool
    response_streaming: bool
    #: ``from_json`` or ``to_json`` for a conversion; ``None`` for any other RPC.
    conversion: Conversion | None = None
    #: The kind of document converted (``None`` for an RPC that is not a conversion).
    kind: Kind | None = None
    #: The field of the request, and of the response (in a stream: the member of its ``result``),
    #: that holds the document (``json``, ``event``, ``response``).
    input_field: str = ""
    output_field: str = ""

    @property
    def idempotent(self) -> bool:
        """A unary conversion: the same request always gets the same answer, so it may be retried."""
        return self.conversion is not None and not self.request_streaming and not self.response_streaming


def _document_field(message: Descriptor) -> FieldDescriptor | None:
    """The one field of ``message`` that holds a document (JSON bytes, or a message of
    :data:`_KINDS`), if it has exactly one."""
    found = [
        field
        for field in message.fields
        if not field.is_repeated
        and (
            field.type == FieldDescriptor.TYPE_BYTES
            or (field.message_type is not None and field.message_type.full_name in _KINDS)
        )
    ]
    return found[0] if len(found) == 1 else None


def _rpc(method: MethodDescriptor) -> Rpc:
    rpc = Rpc(
        name=method.name,
        path=f"/{method.containing_service.full_name}/{method.name}",
        request=message_factory.GetMessageClass(method.input_type),
        response=message_factory.GetMessageClass(method.output_type),
        request_streaming=method.client_streaming,
        response_streaming=method.server_streaming,
    )
    given, returned = _document_field(method.input_type), _document_field(method.output_type)
    if given is None or returned is None:
        return rpc
    if given.type == FieldDescriptor.TYPE_BYTES and returned.message_type is not None:
        conversion: Conversion = "from_json"
        document = returned.message_type
    elif returned.type == FieldDescriptor.TYPE_BYTES and given.message_type is not None:
        conversion, document = "to_json", given.message_type
    else:
        return rpc
    return dataclasses.replace(
        rpc, conversion=conversion, kind=_KINDS[document.full_name], input_field=given.name, output_field=returned.name
    )


def table(service: ServiceDescriptor) -> tuple[Rpc, ...]:
    """Every method of ``service``, in the order the .proto declares them."""
    return tuple(_rpc(method) for method in service.methods)


SERVICE: Final = service_pb2.DESCRIPTOR.services_by_name["BridgeService"]
SERVICE_NAME: Final[str] = SERVICE.full_name
#: Every RPC of the service.
RPCS: Final = table(SERVICE)
#: The conversions among them.
CONVERSIONS: Final = tuple(rpc for rpc in RPCS if rpc.conversion is not None)

SESSION_SERVICE: Final = session_service_pb2.DESCRIPTOR.services_by_name["SessionService"]
SESSION_SERVICE_NAME: Final[str] = SESSION_SERVICE.full_name
#: The session relay's RPCs (``Connect``; not a conversion: it carries a whole session).
SESSION_RPCS: Final = table(SESSION_SERVICE)
