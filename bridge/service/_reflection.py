"""Server reflection in both protocol versions, ``grpc.reflection.v1`` and ``v1alpha``.

This module is a shim around an upstream gap: grpcio-reflection (1.85) serves only
``grpc.reflection.v1alpha.ServerReflection``, while newer clients (grpcurl, Postman, grpcui) ask
for ``grpc.reflection.v1`` first. gRPC C++ serves v1 since grpc/grpc#34599; Python's v1 is
grpc/grpc#38576 ("Reflection v1 support in Python", open). When grpcio-reflection ships a v1
servicer, register it (with v1alpha's) in :func:`add_reflection` and delete the rest of this
module (tests/test_reflection.py keeps checking both versions).
"""

from __future__ import annotations

import grpc
from google.protobuf import descriptor_pb2, descriptor_pool
from grpc_reflection.v1alpha import reflection, reflection_pb2

__all__ = ["REFLECTION_SERVICES", "add_reflection"]

_REFLECTION_V1 = "grpc.reflection.v1.ServerReflection"
#: Server reflection, both versions: newer clients (grpcurl, Postman, grpcui) ask for v1 first.
REFLECTION_SERVICES = (_REFLECTION_V1, reflection.SERVICE_NAME)
_REFLECTION_V1_FILE = "grpc/reflection/v1/reflection.proto"


def add_reflection(service_names: tuple[str, ...], server: grpc.aio.Server) -> None:
    """Serve ``grpc.reflection.v1`` and ``grpc.reflection.v1alpha`` on ``server``, listing
    ``service_names`` and both reflection services.

    grpcio-reflection (1.85) implements only v1alpha. v1 is the same protocol under a new package:
    every message and field is the same, number for number, so the one servicer answers both, its
    messages serialized as they are. The v1 file is added to the default descriptor pool (derived
    from v1alpha's, renamed), so that a client can also describe the v1 service itself.
    """
    _register_reflection_v1_file()
    servicer = reflection.aio.ReflectionServicer((*service_names, *REFLECTION_SERVICES))
    method = grpc.stream_stream_rpc_method_handler(
        servicer.ServerReflectionInfo,
        request_deserializer=reflection_pb2.ServerReflectionRequest.FromString,
        response_serializer=reflection_pb2.ServerReflectionResponse.SerializeToString,
    )
    # What reflection_pb2_grpc.add_ServerReflectionServicer_to_server registers, under both names.
    server.add_generic_rpc_handlers(
        tuple(grpc.method_handlers_generic_handler(name, {"ServerReflectionInfo": method}) for name in REFLECTION_SERVICES)
    )


def _register_reflection_v1_file() -> None:
    pool = descriptor_pool.Default()
    try:
        pool.FindFileByName(_REFLECTION_V1_FILE)
        return  # already there (a second server in this process, or a grpcio-reflection that has it)
    except KeyError:
        pass
    v1 = descriptor_pb2.FileDescriptorProto()
    reflection_pb2.DESCRIPTOR.CopyToProto(v1)
    alpha = f".{v1.package}."
    v1.name = _REFLECTION_V1_FILE
    v1.package = "grpc.reflection.v1"
    v1.options.java_package = "io.grpc.reflection.v1"
    v1.options.go_package = "google.golang.org/grpc/reflection/grpc_reflection_v1"
    for message in v1.message_type:
        for field in message.field:
            if field.HasField("type_name"):
                field.type_name = field.type_name.replace(alpha, ".grpc.reflection.v1.")
    for service in v1.service:
        for method in service.method:
            method.input_type = method.input_type.replace(alpha, ".grpc.reflection.v1.")
            method.output_type = method.output_type.replace(alpha, ".grpc.reflection.v1.")
    pool.Add(v1)
