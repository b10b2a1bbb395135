"""deploy/haproxy.cfg checks each replica with the gRPC health protocol: a tcp-check writing a
``grpc.health.v1.Health/Check`` call as raw HTTP/2 frames (made by tools/haproxy_grpc_check.py)
and expecting a SERVING answer.

The bytes in the file are the generator's, and h2's own HTTP/2 server reads them as exactly that
call; HAProxy (Debian's, with the file as shipped plus a stats socket) keeps a server that answers
SERVING and takes out one that listens but answers NOT_SERVING, over cleartext and over TLS, and
sends calls only to the one kept; real ``rtbridge serve`` replicas pass the check.
"""

from __future__ import annotations

import importlib.util
import pathlib
import re
import socket
from collections.abc import Iterator
from concurrent import futures

import grpc
import h2.config
import h2.connection
import h2.events
import pytest
from _certs import make_certificates
from grpc_health.v1 import health, health_pb2, health_pb2_grpc
from test_scale_out import OWN_CONNECTION, TIMEOUT, HAProxy, _wait_for, replicas

from bridge.client import BridgeClient
from bridge.v1 import service_pb2

REPO = pathlib.Path(__file__).resolve().parent.parent
CONFIG = REPO / "deploy" / "haproxy.cfg"
BRIDGE_SERVICE = service_pb2.DESCRIPTOR.services_by_name["BridgeService"].full_name
SERVING = health_pb2.HealthCheckResponse.SERVING
NOT_SERVING = health_pb2.HealthCheckResponse.NOT_SERVING


def _generator():
    spec = importlib.util.spec_from_file_location("_haproxy_grpc_check", REPO / "tools" / "haproxy_grpc_check.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _rules() -> list[str]:
    """The tcp-check rules of deploy/haproxy.cfg, in order (comments left out)."""
    lines = (line.strip() for line in CONFIG.read_text().splitlines())
    return [line for line in lines if line.startswith("tcp-check ")]


def _sent() -> bytes:
    """Everything the check sends, as the file has it."""
    return b"".join(bytes.fromhex(rule.split()[-1]) for rule in _rules() if rule.startswith("tcp-check send-binary "))


def _expected() -> list[bytes]:
    """The bytes each ``tcp-check expect`` rule looks for, in order."""
    found = [re.search(r"\bbinary ([0-9a-f]+)", rule) for rule in _rules() if rule.startswith("tcp-check expect ")]
    return [bytes.fromhex(match.group(1)) for match in found if match]


def _grpc_message(message: bytes) -> bytes:
    return b"\x00" + len(message).to_bytes(4, "big") + message


# ------------------------------------------------------------------------------------ the bytes


def test_the_config_holds_the_check_the_generator_makes() -> None:
    text = CONFIG.read_text()
    assert _generator().rewritten(text) == text, "stale: run python tools/haproxy_grpc_check.py"
    assert "    option tcp-check\n" in text
    assert len(_expected()) == 2


def test_an_http2_server_reads_the_check_as_a_grpc_health_call() -> None:
    """h2's server side, fed what the check sends, sees one request on stream 1: the headers gRPC
    over HTTP/2 requires for Health/Check, and a body that is one uncompressed gRPC message
    holding a HealthCheckRequest for the bridge's service, the stream then ended."""
    server = h2.connection.H2Connection(h2.config.H2Configuration(client_side=False, header_encoding="utf-8"))
    server.initiate_connection()
    events = server.receive_data(_sent())
    kinds = [type(event) for event in events]
    assert kinds == [h2.events.RemoteSettingsChanged, h2.events.RequestReceived, h2.events.DataReceived,
                     h2.events.StreamEnded]
    _, request, data, ended = events
    assert request.stream_id == data.stream_id == ended.stream_id == 1
    headers = dict(request.headers)
    assert len(headers) == len(request.headers) == 6
    assert headers[":method"] == "POST" and headers[":scheme"] == "http"
    assert headers[":path"] == "/grpc.health.v1.Health/Check"
    assert headers["content-type"] == "application/grpc" and headers["te"] == "trailers"
    assert headers[":authority"]
    assert data.data[0] == 0 and int.from_bytes(data.data[1:5], "big") == len(data.data) - 5
    assert health_pb2.HealthCheckRequest.FromString(data.data[5:]) == health_pb2.HealthCheckRequest(service=BRIDGE_SERVICE)


def _answer(status: int) -> bytes:
    """What h2's server side writes answering the check's call with ``status``."""
    server = h2.connection.H2Connection(h2.config.H2Configuration(client_side=False, header_encoding="utf-8"))
    server.initiate_connection()
    server.receive_data(_sent())
    server.send_headers(1, [(":status", "200"), ("content-type", "application/grpc")])
    server.send_data(1, _grpc_message(health_pb2.HealthCheckResponse(status=status).SerializeToString()))
    server.send_headers(1, [("grpc-status", "0")], end_stream=True)
    return server.data_to_send()


def test_the_check_expects_the_serving_answer_and_no_other() -> None:
    """The first expect rule (which waits) finds both SERVING and NOT_SERVING answers; the second
    (which decides) only SERVING's."""
    wait, decide = _expected()
    assert wait in _answer(SERVING) and decide in _answer(SERVING)
    assert wait in _answer(NOT_SERVING) and decide not in _answer(NOT_SERVING)
    for status in (health_pb2.HealthCheckResponse.UNKNOWN, health_pb2.HealthCheckResponse.SERVICE_UNKNOWN):
        assert decide not in _answer(status)


# ------------------------------------------------------------------------------------ HAProxy


class _HealthServer:
    """A gRPC server on 127.0.0.1 with only grpc_health's servicer, whose status the test sets
    (for the server and the bridge's service): a replica that listens, whatever its health."""

    def __init__(self, credentials: grpc.ServerCredentials | None) -> None:
        self.servicer = health.HealthServicer()
        self.server = grpc.server(futures.ThreadPoolExecutor(max_workers=4))
        health_pb2_grpc.add_HealthServicer_to_server(self.servicer, self.server)
        target = "127.0.0.1:0"
        port = self.server.add_secure_port(target, credentials) if credentials else self.server.add_insecure_port(target)
        self.address = f"127.0.0.1:{port}"
        self.set(SERVING)
        self.server.start()

    def set(self, status: int) -> None:
        for service in ("", BRIDGE_SERVICE):
            self.servicer.set(service, status)

    def close(self) -> None:
        self.server.stop(None).wait(TIMEOUT)


@pytest.fixture(params=["cleartext", "tls"])
def health_servers(request: pytest.FixtureRequest, tmp_path: pathlib.Path) -> Iterator[tuple[list[_HealthServer], str]]:
    """Two health servers, and the options that go on HAProxy's server lines for them."""
    credentials, options = None, ""
    if request.param == "tls":
        certificates = make_certificates(tmp_path)
        credentials = grpc.ssl_server_credentials(
            [(certificates.server_key.read_bytes(), certificates.server_cert.read_bytes())]
        )
        options = f"ssl verify required ca-file {certificates.ca} alpn h2"
    started: list[_HealthServer] = []
    try:
        for _ in range(2):
            started.append(_HealthServer(credentials))
        yield started, options
    finally:
        for server in started:
            server.close()


def _verdicts(balancer: HAProxy) -> dict[str, tuple[str, str]]:
    return {name: (state["status"], state["check_status"]) for name, state in balancer.servers().items()}


def _answered_by(balancer: HAProxy, calls: int) -> set[str]:
    """Make ``calls`` health calls through HAProxy (each answered SERVING); return the replicas
    that answered them, from HAProxy's log."""
    before = len(balancer.requests())
    with BridgeClient(balancer.address, timeout=TIMEOUT, options=OWN_CONNECTION) as client:
        for _ in range(calls):
            assert client.health(BRIDGE_SERVICE) == "SERVING"
    _wait_for(lambda: len(balancer.requests()) >= before + calls, "the access log")
    return {upstreams[-1] for upstreams, uri, *_ in balancer.requests()[before:] if uri.endswith("/Check")}


def test_haproxy_takes_out_a_listening_replica_whose_health_is_not_serving(
    health_servers: tuple[list[_HealthServer], str], tmp_path: pathlib.Path
) -> None:
    """Both servers listen the whole time (a connection check would keep both); HAProxy keeps
    only the one answering SERVING, follows each change of status, and sends calls to the one kept."""
    (first, second), options = health_servers
    second.set(NOT_SERVING)
    balancer = HAProxy(tmp_path / "haproxy", [first.address, second.address], server_options=options)
    try:
        _wait_for(lambda: _verdicts(balancer) == {"replica1": ("UP", "L7OK"), "replica2": ("DOWN", "L7RSP")},
                  "HAProxy's checks to take replica2 out", poll=0.1)
        assert "grpc.health.v1 SERVING" in balancer.servers()["replica2"]["last_chk"]  # the rule that failed
        host, port = second.address.rsplit(":", 1)
        with socket.create_connection((host, int(port)), timeout=TIMEOUT):
            pass  # it still accepts connections
        assert _answered_by(balancer, 12) == {first.address}

        first.set(NOT_SERVING)
        second.set(SERVING)
        _wait_for(lambda: _verdicts(balancer) == {"replica1": ("DOWN", "L7RSP"), "replica2": ("UP", "L7OK")},
                  "HAProxy's checks to follow the change", poll=0.1)
        assert _answered_by(balancer, 12) == {second.address}
    finally:
        balancer.close()


def test_haproxy_keeps_rtbridge_replicas_that_answer_its_check(tmp_path: pathlib.Path) -> None:
    """The bridge's own health service answers the check SERVING: every replica is UP by a
    layer-7 check (the tcp-check's), and calls spread over all of them."""
    with replicas(tmp_path) as started:
        balancer = HAProxy(tmp_path / "haproxy", [r.address for r in started])
        try:
            _wait_for(lambda: set(_verdicts(balancer).values()) == {("UP", "L7OK")}, "every replica's check", poll=0.1)
            assert len(balancer.servers()) == len(started)
            assert _answered_by(balancer, 9) == {r.address for r in started}
        finally:
            balancer.close()
