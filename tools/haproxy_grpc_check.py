"""The gRPC health check of deploy/haproxy.cfg: HAProxy 2.6's ``tcp-check`` writing a whole
cleartext HTTP/2 exchange byte for byte, a ``grpc.health.v1.Health/Check`` call for the bridge's
service, and expecting its SERVING answer.

HAProxy 2.6 has no gRPC check, and its HTTP check cannot send one (its body is text, a gRPC message
starts with NUL bytes), but ``tcp-check send-binary`` sends any bytes and ``tcp-check expect
binary`` finds any bytes in the answer. This script makes those bytes from the frames' fields (with
hpack and hyperframe, which come with h2 in the test extra) and writes them into deploy/haproxy.cfg
between its two marker lines; ``--check`` only says whether the file is up to date
(tests/test_haproxy_health.py runs the same comparison, and checks the bytes with h2's own
HTTP/2 server side).

    python tools/haproxy_grpc_check.py           # rewrite the block in deploy/haproxy.cfg
    python tools/haproxy_grpc_check.py --check   # exit 1 if the block is stale
"""

from __future__ import annotations

import argparse
import pathlib
import sys

from grpc_health.v1 import health_pb2
from hpack import Encoder
from hyperframe.frame import DataFrame, HeadersFrame, SettingsFrame

from bridge.v1 import service_pb2

REPO = pathlib.Path(__file__).resolve().parent.parent
CONFIG = REPO / "deploy" / "haproxy.cfg"
BEGIN = "    # -- gRPC health check: made by tools/haproxy_grpc_check.py, do not edit by hand --"
END = "    # -- end of the gRPC health check --"

#: The service whose health is asked for: the bridge's own (as Envoy and the readiness probe ask).
SERVICE = service_pb2.DESCRIPTOR.services_by_name["BridgeService"].full_name
#: The client connection preface (RFC 9113, section 3.4).
PREFACE = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"
STREAM = 1
#: The request's header fields, in order (RFC 9113 8.3.1; gRPC over HTTP/2's Request-Headers).
HEADERS = (
    (":method", "POST"),
    (":scheme", "http"),
    (":path", "/grpc.health.v1.Health/Check"),
    (":authority", "rtbridge"),
    ("content-type", "application/grpc"),
    ("te", "trailers"),
)


def grpc_message(payload: bytes) -> bytes:
    """A gRPC length-prefixed message: flag 0 (not compressed), 4-byte big-endian length, payload."""
    return b"\x00" + len(payload).to_bytes(4, "big") + payload


def request_frames() -> list[tuple[str, bytes]]:
    """What the check sends, one (description, bytes) per frame."""
    # Without Huffman coding, so that the names and values read in the hex; a fresh encoder (the
    # dynamic table is the connection's, and the check's connection carries only this request).
    block = Encoder().encode(list(HEADERS), huffman=False)
    request = health_pb2.HealthCheckRequest(service=SERVICE).SerializeToString()
    fields = ", ".join(f"{name} {value}" for name, value in HEADERS)
    return [
        ("the client connection preface", PREFACE),
        ("SETTINGS, empty (the defaults)", SettingsFrame(0).serialize()),
        (f"HEADERS, stream {STREAM}, END_HEADERS; HPACK without Huffman: {fields}",
         HeadersFrame(STREAM, block, flags=["END_HEADERS"]).serialize()),
        (f'DATA, stream {STREAM}, END_STREAM: the gRPC message HealthCheckRequest{{service: "{SERVICE}"}}',
         DataFrame(STREAM, grpc_message(request), flags=["END_STREAM"]).serialize()),
    ]


def response_frame(status: int) -> bytes:
    """The DATA frame (no flags: the trailers follow) in which a server answers ``status``."""
    response = health_pb2.HealthCheckResponse(status=status).SerializeToString()
    return DataFrame(STREAM, grpc_message(response)).serialize()


def steps() -> list[tuple[str, str]]:
    """The tcp-check rules, in order, each with the comment above it."""
    serving = response_frame(health_pb2.HealthCheckResponse.SERVING)
    not_serving = response_frame(health_pb2.HealthCheckResponse.NOT_SERVING)
    # Both answers are the same up to the status's value, the last byte: wait for that prefix,
    # then the whole SERVING frame is there or not (min-recv makes a mismatch final, no more waiting).
    common = serving[:-1]
    assert not_serving[:-1] == common and not_serving != serving
    lines = [(description, f"tcp-check send-binary {frame.hex()}") for description, frame in request_frames()]
    lines.append((
        f"wait for the answer: a DATA frame on stream {STREAM} holding a 2-byte HealthCheckResponse, "
        "field 1 (status) ...",
        f'tcp-check expect binary {common.hex()} comment "a grpc.health.v1 answer"',
    ))
    lines.append((
        f"... whose status is SERVING ({serving[-1]}); NOT_SERVING ({not_serving[-1]}), a draining "
        "replica, fails at once",
        f'tcp-check expect min-recv 1 binary {serving.hex()} comment "grpc.health.v1 SERVING"',
    ))
    return lines


def block() -> str:
    """The lines between (and including) the markers."""
    lines = [BEGIN, "    option tcp-check"]
    for comment, rule in steps():
        lines += [f"    # {comment}", f"    {rule}"]
    return "\n".join([*lines, END]) + "\n"


def rewritten(text: str) -> str:
    """``text`` (deploy/haproxy.cfg) with the block between its markers made anew."""
    start, end = text.index(BEGIN), text.index(END) + len(END) + 1
    return text[:start] + block() + text[end:]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if deploy/haproxy.cfg is stale")
    args = parser.parse_args(argv)
    text = CONFIG.read_text()
    fresh = rewritten(text)
    if args.check:
        if fresh != text:
            print(f"{CONFIG} is stale: run python tools/haproxy_grpc_check.py", file=sys.stderr)
            return 1
        return 0
    CONFIG.write_text(fresh)
    return 0


if __name__ == "__main__":
    sys.exit(main())
