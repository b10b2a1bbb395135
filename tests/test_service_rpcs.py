"""The one table of RPCs (bridge/service/_rpcs.py), read off service.proto's descriptor, is what the
servicer, the request readers, the metrics and the client are fed from: every table is checked
against the descriptor, and an RPC added to a copy of the descriptor is served with nothing listed
by hand (a conversion with no code at all, any other RPC with one handler)."""

from __future__ import annotations

import asyncio
import types
from typing import Any

import grpc
import pytest
from google.protobuf import descriptor_pb2, descriptor_pool
from google.rpc import code_pb2

import bridge
from bridge import client
from bridge.errors import Violation
from bridge.service import _rpcs, metrics, wire
from bridge.service.servicer import BridgeServicer, add_to_server
from bridge.v1 import service_pb2

TIMEOUT = 30.0
GOOD = b'{"type":"response.text.delta","event_id":"e1","delta":"hi"}'


def test_the_table_is_the_descriptor_s_methods_in_order() -> None:
    methods = service_pb2.DESCRIPTOR.services_by_name["BridgeService"].methods
    assert [rpc.name for rpc in _rpcs.RPCS] == [method.name for method in methods]
    for rpc, method in zip(_rpcs.RPCS, methods, strict=True):
        assert rpc.path == f"/realtime.bridge.v1.BridgeService/{method.name}"
        assert rpc.request is getattr(service_pb2, method.input_type.name)
        assert rpc.response is getattr(service_pb2, method.output_type.name)
        assert (rpc.request_streaming, rpc.response_streaming) == (method.client_streaming, method.server_streaming)
        # Every RPC of the service today is a conversion, named after what it does.
        assert rpc.conversion == ("from_json" if method.name.endswith("FromJson") else "to_json")
        assert rpc.kind == ("client_event" if "Client" in method.name else "response" if "Response" in method.name else "event")
    assert _rpcs.CONVERSIONS == _rpcs.RPCS


def test_every_table_fed_from_it_lists_every_rpc() -> None:
    assert set(wire.READERS) == {rpc.name for rpc in _rpcs.CONVERSIONS}
    servicer = BridgeServicer()
    for rpc in _rpcs.RPCS:
        assert servicer.handler(rpc).__name__ == rpc.name
    unary = [rpc.name for rpc in _rpcs.RPCS if not rpc.request_streaming and not rpc.response_streaming]
    retried = (*((_rpcs.SERVICE_NAME, name) for name in unary), ("grpc.health.v1.Health", "Check"))
    assert retried == client._RETRIED
    names = service_pb2.DESCRIPTOR.services_by_name["BridgeService"].methods_by_name
    assert {name for _, name in client._RETRIED[:-1]} <= set(names)


def _copy_with_new_methods() -> Any:
    """service.proto in a pool of its own, with two methods the real one lacks: a conversion
    (``ResponseFromJsonAgain``, on the messages of ``ResponseFromJson``) and ``Echo``, which
    converts nothing."""
    pool = descriptor_pool.DescriptorPool()
    added: set[str] = set()

    def add(file_descriptor: Any) -> None:
        if file_descriptor.name in added:
            return
        for dependency in file_descriptor.dependencies:
            add(dependency)
        file = descriptor_pb2.FileDescriptorProto()
        file_descriptor.CopyToProto(file)
        if file_descriptor is service_pb2.DESCRIPTOR:
            service = file.service[0]
            service.method.add(
                name="ResponseFromJsonAgain",
                input_type=".realtime.bridge.v1.ResponseFromJsonRequest",
                output_type=".realtime.bridge.v1.ResponseFromJsonResponse",
            )
            service.method.add(name="Echo", input_type=".realtime.bridge.v1.JsonBatch", output_type=".realtime.bridge.v1.JsonBatch")
        pool.Add(file)
        added.add(file_descriptor.name)

    add(service_pb2.DESCRIPTOR)
    return pool.FindServiceByName("realtime.bridge.v1.BridgeService")


def test_an_rpc_added_to_the_descriptor_needs_one_handler_and_nothing_else() -> None:
    table = _rpcs.table(_copy_with_new_methods())
    added = {rpc.name: rpc for rpc in table[len(_rpcs.RPCS):]}
    assert set(added) == {"ResponseFromJsonAgain", "Echo"}
    again, echo = added["ResponseFromJsonAgain"], added["Echo"]
    assert (again.conversion, again.kind, again.input_field, again.output_field) == ("from_json", "response", "json", "response")
    assert echo.conversion is None and echo.kind is None and not echo.idempotent
    assert [(rpc.name, rpc.conversion, rpc.kind) for rpc in table[: len(_rpcs.RPCS)]] == [
        (rpc.name, rpc.conversion, rpc.kind) for rpc in _rpcs.RPCS
    ]

    # Without a handler for Echo, registering fails; the conversion needs none.
    async def unstarted_server() -> grpc.aio.Server:  # (made on a loop: no test depends on a default one)
        return grpc.aio.server()

    with pytest.raises(TypeError, match="Echo"):
        add_to_server(BridgeServicer(), asyncio.run(unstarted_server()), table)

    class WithEcho(BridgeServicer):
        async def Echo(self, request: Any, context: Any) -> Any:
            return type(request)(json=[*request.json, b"again"])

    calls: list[tuple[bytes, str]] = []

    def json_to_binary(data: bytes, *, kind: Any = "event", strict: bool = False) -> bytes:
        calls.append((data, kind))
        return bridge.json_to_binary(data, kind=kind, strict=strict)

    converters = types.SimpleNamespace(json_to_binary=json_to_binary, binary_to_json=bridge.binary_to_json)
    seen: list[tuple[str, str, bytes]] = []
    observer = types.SimpleNamespace(
        converted=lambda rpc, document, payload: seen.append(("converted", rpc.name, payload)),
        failed=lambda rpc, code, violations: seen.append(("failed", rpc.name, bytes([code]))),
    )
    response_json = b'{"id":"r1","status":"completed"}'
    batch = echo.request

    async def scenario() -> tuple[bytes, Any, Any]:
        server = grpc.aio.server()
        add_to_server(WithEcho(converters=converters, observer=observer), server, table)
        port = server.add_insecure_port("127.0.0.1:0")
        await server.start()
        try:
            async with grpc.aio.insecure_channel(f"127.0.0.1:{port}") as channel:
                convert = channel.unary_unary(again.path)
                converted = await convert(
                    service_pb2.ResponseFromJsonRequest(json=response_json).SerializeToString(), timeout=TIMEOUT
                )
                with pytest.raises(grpc.aio.AioRpcError) as caught:
                    await convert(service_pb2.ResponseFromJsonRequest(json=b"[").SerializeToString(), timeout=TIMEOUT)
                echoed = await channel.unary_unary(echo.path)(batch(json=[b"a"]).SerializeToString(), timeout=TIMEOUT)
                return converted, caught.value.code(), batch.FromString(echoed)
        finally:
            await server.stop(None)

    converted, code, echoed = asyncio.run(scenario())
    expected = bridge.json_to_binary(response_json, kind="response")
    assert service_pb2.ResponseFromJsonResponse.FromString(converted).response.SerializeToString(deterministic=True) == expected
    assert code == grpc.StatusCode.INVALID_ARGUMENT
    assert calls == [(response_json, "response"), (b"[", "response")]  # the servicer's own converters
    assert seen == [
        ("converted", "ResponseFromJsonAgain", expected),
        ("failed", "ResponseFromJsonAgain", bytes([code_pb2.INVALID_ARGUMENT])),
    ]
    assert list(echoed.json) == [b"a", b"again"]


def test_metrics_count_what_the_servicer_reports() -> None:
    """The event counter takes the servicer's word: a document's type from the converter's
    output, an error's code and the violations reported, never by reading responses back."""
    counter = metrics.EventCounter()
    by_name = {rpc.name: rpc for rpc in _rpcs.RPCS}
    before = _sample("rtbridge_events_total", direction="to_json", type="response.text.delta")
    errors_before = _sample("rtbridge_event_errors_total", direction="from_json", code="RESOURCE_EXHAUSTED")
    kinds_before = _sample("rtbridge_violations_total", kind="unknown_key")
    blob = bridge.json_to_binary(GOOD)
    counter.converted(by_name["StreamEventsToJson"], blob, bridge.binary_to_json(blob))
    counter.failed(by_name["EventFromJson"], code_pb2.RESOURCE_EXHAUSTED, [])
    # (by the kind the violation was given where it was found, whatever its message says)
    counter.failed(by_name["EventFromJson"], code_pb2.INVALID_ARGUMENT, [Violation("$.x", "words", "unknown_key")])
    assert _sample("rtbridge_events_total", direction="to_json", type="response.text.delta") == before + 1
    assert _sample("rtbridge_event_errors_total", direction="from_json", code="RESOURCE_EXHAUSTED") == errors_before + 1
    assert _sample("rtbridge_violations_total", kind="unknown_key") == kinds_before + 1


def test_metrics_count_drift_off_the_protobuf_side_of_each_conversion() -> None:
    """``rtbridge_event_drift_total``: an event converted that carries what the schema does not
    type, by direction and type, read off the output of ``from_json`` and the input of
    ``to_json``; an event without drift, and one that failed, count nothing."""
    counter = metrics.EventCounter()
    by_name = {rpc.name: rpc for rpc in _rpcs.RPCS}
    series = [(d, t) for d in ("from_json", "to_json") for t in ("response.text.delta", "other", "error")]
    before = {(d, t): _sample("rtbridge_event_drift_total", direction=d, type=t) for d, t in series}
    drifted = b'{"type":"response.text.delta","event_id":"e1","delta":"hi","phase":"final"}'  # an unknown key
    made_up = b'{"type":"x-made-up.by-a-client","event_id":"e3"}'  # a type of no class: 'other'
    misfit = b'{"type":"error","error":"boom"}'  # a value of the wrong type
    for document in (GOOD, drifted, made_up, misfit):
        blob = bridge.json_to_binary(document)
        counter.converted(by_name["EventFromJson"], document, blob)
        counter.converted(by_name["StreamEventsToJson"], blob, bridge.binary_to_json(blob))
    counter.failed(by_name["EventFromJson"], code_pb2.INVALID_ARGUMENT, [Violation("$.x", "unknown key", "unknown_key")])
    # Bytes another converter accepted that do not parse as protobuf count nothing, and fail nothing.
    counter.converted(by_name["EventToJson"], b"\xff" + bridge.json_to_binary(misfit), b"{}")
    after = {(d, t): _sample("rtbridge_event_drift_total", direction=d, type=t) for d, t in series}
    assert {key: after[key] - before[key] for key in series} == dict.fromkeys(series, 1.0)
    # The labels are those of rtbridge_events_total: closed sets, whatever the input.
    assert {t for _, t in series} <= metrics.EVENT_TYPES | {"other"}


def _sample(name: str, **labels: str) -> float:
    from prometheus_client import REGISTRY

    return REGISTRY.get_sample_value(name, labels) or 0.0


def test_the_session_service_s_table_is_its_descriptor_and_connect_is_no_conversion() -> None:
    from bridge.v1 import session_service_pb2

    service = session_service_pb2.DESCRIPTOR.services_by_name["SessionService"]
    assert [rpc.name for rpc in _rpcs.SESSION_RPCS] == [m.name for m in service.methods] == ["Connect"]
    (connect,) = _rpcs.SESSION_RPCS
    assert connect.path == "/realtime.bridge.v1.SessionService/Connect"
    assert connect.request_streaming and connect.response_streaming
    # A request carries a ClientEvent, but no response carries a document: a session, not a conversion.
    assert connect.conversion is None and connect.kind is None and not connect.idempotent
    assert connect.request is session_service_pb2.ConnectRequest
    assert connect.response is session_service_pb2.ConnectResponse
