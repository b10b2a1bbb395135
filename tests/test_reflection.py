"""Server reflection answers both protocol versions: grpc.reflection.v1 (what newer grpcurl, Postman
and grpcui ask for) and grpc.reflection.v1alpha.

The v1 client here does not use the server's code: it is compiled, at test time, from the text of
gRPC's own ``grpc/reflection/v1/reflection.proto`` into a descriptor pool of its own, and calls
``/grpc.reflection.v1.ServerReflection/ServerReflectionInfo`` over a real channel.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import grpc
import pytest
from google.protobuf import descriptor_pb2, descriptor_pool, message_factory
from grpc_tools import protoc

from bridge.server import running

# gRPC's grpc/reflection/v1/reflection.proto (comments dropped; every message, field and number as
# published).
V1_PROTO = """
syntax = "proto3";
package grpc.reflection.v1;
service ServerReflection {
  rpc ServerReflectionInfo(stream ServerReflectionRequest) returns (stream ServerReflectionResponse);
}
message ServerReflectionRequest {
  string host = 1;
  oneof message_request {
    string file_by_filename = 3;
    string file_containing_symbol = 4;
    ExtensionRequest file_containing_extension = 5;
    string all_extension_numbers_of_type = 6;
    string list_services = 7;
  }
}
message ExtensionRequest {
  string containing_type = 1;
  int32 extension_number = 2;
}
message ServerReflectionResponse {
  string valid_host = 1;
  ServerReflectionRequest original_request = 2;
  oneof message_response {
    FileDescriptorResponse file_descriptor_response = 4;
    ExtensionNumberResponse all_extension_numbers_response = 5;
    ListServiceResponse list_services_response = 6;
    ErrorResponse error_response = 7;
  }
}
message FileDescriptorResponse { repeated bytes file_descriptor_proto = 1; }
message ExtensionNumberResponse {
  string base_type_name = 1;
  repeated int32 extension_number = 2;
}
message ListServiceResponse { repeated ServiceResponse service = 1; }
message ServiceResponse { string name = 1; }
message ErrorResponse {
  int32 error_code = 1;
  string error_message = 2;
}
"""

BRIDGE = "realtime.bridge.v1.BridgeService"
EXPECTED = {BRIDGE, "grpc.health.v1.Health", "grpc.reflection.v1.ServerReflection", "grpc.reflection.v1alpha.ServerReflection"}


@pytest.fixture(scope="module")
def v1(tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, Any]:
    """(ServerReflectionRequest, ServerReflectionResponse) of v1, from a pool that is not the server's."""
    folder = tmp_path_factory.mktemp("v1")
    (folder / "grpc" / "reflection" / "v1").mkdir(parents=True)
    (folder / "grpc" / "reflection" / "v1" / "reflection.proto").write_text(V1_PROTO)
    out = folder / "v1.binpb"
    assert protoc.main(["protoc", f"-I{folder}", f"--descriptor_set_out={out}", "grpc/reflection/v1/reflection.proto"]) == 0
    pool = descriptor_pool.DescriptorPool()
    for file in descriptor_pb2.FileDescriptorSet.FromString(out.read_bytes()).file:
        pool.Add(file)
    request = message_factory.GetMessageClass(pool.FindMessageTypeByName("grpc.reflection.v1.ServerReflectionRequest"))
    response = message_factory.GetMessageClass(pool.FindMessageTypeByName("grpc.reflection.v1.ServerReflectionResponse"))
    return request, response


@pytest.fixture(scope="module")
def channel() -> Iterator[grpc.Channel]:
    with running(host="127.0.0.1", port=0) as address, grpc.insecure_channel(address) as channel:
        grpc.channel_ready_future(channel).result(timeout=10)
        yield channel


def _ask(channel: grpc.Channel, v1: tuple[Any, Any], **request: Any) -> Any:
    request_type, response_type = v1
    call = channel.stream_stream(
        "/grpc.reflection.v1.ServerReflection/ServerReflectionInfo",
        request_serializer=request_type.SerializeToString,
        response_deserializer=response_type.FromString,
    )
    (response,) = list(call(iter([request_type(**request)]), timeout=10))
    return response


def test_a_v1_client_lists_the_services(channel: grpc.Channel, v1: tuple[Any, Any]) -> None:
    response = _ask(channel, v1, list_services="")
    assert response.WhichOneof("message_response") == "list_services_response"
    assert {s.name for s in response.list_services_response.service} == EXPECTED
    assert response.original_request.list_services == ""


def test_a_v1_client_gets_the_bridge_schema(channel: grpc.Channel, v1: tuple[Any, Any]) -> None:
    response = _ask(channel, v1, file_containing_symbol=BRIDGE)
    files = [descriptor_pb2.FileDescriptorProto.FromString(b) for b in response.file_descriptor_response.file_descriptor_proto]
    service = next(f for f in files if f.name == "bridge/v1/service.proto")
    assert service.package == "realtime.bridge.v1"
    methods = {m.name for s in service.service for m in s.method}
    assert {"EventFromJson", "EventToJson", "StreamEventsFromJson", "ClientEventToJson", "StreamClientEventsToJson"} <= methods
    # The dependencies come along, so the client can build the whole schema.
    assert "bridge/v1/realtime.proto" in {f.name for f in files}


def test_a_v1_client_can_describe_the_v1_reflection_service(channel: grpc.Channel, v1: tuple[Any, Any]) -> None:
    response = _ask(channel, v1, file_containing_symbol="grpc.reflection.v1.ServerReflection")
    (file,) = [descriptor_pb2.FileDescriptorProto.FromString(b) for b in response.file_descriptor_response.file_descriptor_proto]
    assert file.package == "grpc.reflection.v1"
    (method,) = file.service[0].method
    assert (method.input_type, method.output_type) == (
        ".grpc.reflection.v1.ServerReflectionRequest",
        ".grpc.reflection.v1.ServerReflectionResponse",
    )


def test_an_unknown_symbol_is_not_found_over_v1(channel: grpc.Channel, v1: tuple[Any, Any]) -> None:
    response = _ask(channel, v1, file_containing_symbol="no.such.Service")
    assert response.WhichOneof("message_response") == "error_response"
    assert response.error_response.error_code == grpc.StatusCode.NOT_FOUND.value[0]


def test_v1alpha_still_lists_the_same_services(channel: grpc.Channel) -> None:
    from grpc_reflection.v1alpha import reflection_pb2, reflection_pb2_grpc

    stub = reflection_pb2_grpc.ServerReflectionStub(channel)
    (response,) = list(stub.ServerReflectionInfo(iter([reflection_pb2.ServerReflectionRequest(list_services="")]), timeout=10))
    assert {s.name for s in response.list_services_response.service} == EXPECTED


def test_two_servers_in_one_process_both_serve_v1(v1: tuple[Any, Any]) -> None:
    """Registering the v1 file is done once; a second server does not fail on it."""
    with running(host="127.0.0.1", port=0) as address, grpc.insecure_channel(address) as other:
        response = _ask(other, v1, list_services="")
        assert {s.name for s in response.list_services_response.service} == EXPECTED


def test_the_proto_text_is_gRPCs(v1: tuple[Any, Any]) -> None:
    """Guard on the test's own client: the compiled v1 request has the published field numbers."""
    request_type, _ = v1
    numbers = {f.name: f.number for f in request_type.DESCRIPTOR.fields}
    assert numbers == {"host": 1, "file_by_filename": 3, "file_containing_symbol": 4, "file_containing_extension": 5,
                       "all_extension_numbers_of_type": 6, "list_services": 7}

