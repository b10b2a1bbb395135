"""The gRPC service over real channels on 127.0.0.1: every RPC through the shipped client and the
raw stub, error details, health, reflection, deadlines, message limits, TLS, mTLS, tokens, and a
real server process drained by SIGTERM."""

from __future__ import annotations

import json
import logging
import os
import pathlib
import queue
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator

import grpc
import pytest
from _certs import Certificates, make_certificates
from google.protobuf import descriptor_pool
from google.rpc import error_details_pb2
from grpc_health.v1 import health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha.proto_reflection_descriptor_database import (
    ProtoReflectionDescriptorDatabase,
)
from grpc_status import rpc_status

import bridge
from bridge.client import BridgeClient, RemoteError, StreamResult
from bridge.server import main, running
from bridge.v1 import realtime_pb2, service_pb2, service_pb2_grpc

REPO = pathlib.Path(__file__).resolve().parent.parent
EXAMPLES = sorted((pathlib.Path(__file__).parent / "data" / "service").glob("*.json"))
SERVICE = "realtime.bridge.v1.BridgeService"
RPCS = {
    "EventFromJson", "EventToJson", "ResponseFromJson", "ResponseToJson", "StreamEventsFromJson", "StreamEventsToJson",
    "ClientEventFromJson", "ClientEventToJson", "StreamClientEventsFromJson", "StreamClientEventsToJson",
}
TIMEOUT = 10.0

# Bad input and what the library says about it: the service must say the same.
# Text that is not UTF-8 in two places: what the tolerant reader still refuses (a value of the
# wrong JSON type it carries; tests/test_tolerant.py).
BAD_EVENT = b'{"type": "response.done", "response": {"id": "\xff", "status": "completed", "voice": "\xfe"}}'
UNKNOWN_KEY_EVENT = b'{"type": "response.done", "response": {"status": "completed", "phase": "final"}}'


def violations(call, *args, **kwargs) -> list[tuple[str, str]]:
    """The (path, message) pairs of the ValidationError that ``call`` raises."""
    with pytest.raises(bridge.ValidationError) as caught:
        call(*args, **kwargs)
    return [tuple(v) for v in caught.value.violations]


def bad_proto_event() -> realtime_pb2.ServerEvent:
    """A ServerEvent that from_proto rejects: an unknown key whose value is not JSON."""
    event = realtime_pb2.ServerEvent(type="response.done")
    event.json_fidelity.unknown_keys["extra"] = b"{not json"
    return event


def feed(items: queue.Queue, limit: int = 1000) -> Iterator[bytes]:
    """A request iterator fed through a queue, ending at ``None`` (bounded in count and waiting)."""
    for _ in range(limit):
        item = items.get(timeout=TIMEOUT)
        if item is None:
            return
        yield item


@pytest.fixture(scope="module")
def client(address: str) -> Iterator[BridgeClient]:
    with BridgeClient(address, timeout=TIMEOUT) as bridge_client:
        yield bridge_client


@pytest.fixture(scope="module")
def channel(address: str) -> Iterator[grpc.Channel]:
    with grpc.insecure_channel(address) as raw:
        yield raw


@pytest.fixture
def stub(channel: grpc.Channel) -> service_pb2_grpc.BridgeServiceStub:
    return service_pb2_grpc.BridgeServiceStub(channel)


@pytest.fixture(scope="module")
def certs(tmp_path_factory: pytest.TempPathFactory) -> Certificates:
    return make_certificates(tmp_path_factory.mktemp("certs"))


# ------------------------------------------------------------------------------------- unary RPCs


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_event_round_trip(client: BridgeClient, path: pathlib.Path) -> None:
    data = path.read_bytes()
    event = client.event_from_json(data)
    assert event == bridge.to_proto(bridge.decode_event(data))
    text = client.event_to_json(event)
    assert text == bridge.encode(bridge.decode_event(data))
    assert json.loads(text) == json.loads(data)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_response_round_trip(client: BridgeClient, path: pathlib.Path) -> None:
    document = json.loads(path.read_bytes())["response"]
    data = json.dumps(document).encode()
    response = client.response_from_json(data)
    assert response == bridge.to_proto(bridge.decode_response(data))
    assert json.loads(client.response_to_json(response)) == document


def test_strict_flag_is_per_request(client: BridgeClient) -> None:
    event = client.event_from_json(UNKNOWN_KEY_EVENT)
    assert json.loads(client.event_to_json(event)) == json.loads(UNKNOWN_KEY_EVENT)
    expected = violations(bridge.decode_event, UNKNOWN_KEY_EVENT, strict=True)
    assert expected == [("$.response.phase", "unknown key", "unknown_key")]
    assert violations(client.event_from_json, UNKNOWN_KEY_EVENT, strict=True) == expected
    assert violations(client.event_to_json, event, strict=True) == expected
    response_json = json.dumps(json.loads(UNKNOWN_KEY_EVENT)["response"])
    response = client.response_from_json(response_json)
    assert violations(client.response_from_json, response_json, strict=True) == [("$.phase", "unknown key", "unknown_key")]
    assert violations(client.response_to_json, response, strict=True) == [("$.phase", "unknown key", "unknown_key")]


def test_bad_input_is_invalid_argument_with_bad_request_details(stub: service_pb2_grpc.BridgeServiceStub) -> None:
    expected = violations(bridge.decode_event, BAD_EVENT)
    assert len(expected) == 2
    with pytest.raises(grpc.RpcError) as caught:
        stub.EventFromJson(service_pb2.EventFromJsonRequest(json=BAD_EVENT), timeout=TIMEOUT)
    assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    status = rpc_status.from_call(caught.value)
    assert status is not None and len(status.details) == 1
    bad_request = error_details_pb2.BadRequest()
    assert status.details[0].Unpack(bad_request)
    # (the kind in `reason`, as google.rpc.BadRequest spells reasons: UPPER_SNAKE_CASE)
    assert [(v.field, v.description, v.reason.lower()) for v in bad_request.field_violations] == expected
    assert {v.reason for v in bad_request.field_violations} == {"INVALID_TEXT"}
    assert "$.response.id" in caught.value.details()


def test_client_rebuilds_validation_errors(client: BridgeClient) -> None:
    assert violations(client.event_from_json, BAD_EVENT) == violations(bridge.decode_event, BAD_EVENT)
    assert violations(client.event_from_json, "not json") == violations(bridge.decode_event, b"not json")
    assert violations(client.event_to_json, bad_proto_event()) == violations(bridge.from_proto, bad_proto_event())
    assert violations(client.response_from_json, b'{"usage": {"total_tokens": "many"}}', strict=True) == violations(
        bridge.decode_response, b'{"usage": {"total_tokens": "many"}}', strict=True
    )


def test_many_violations_are_listed_up_to_a_budget(stub: service_pb2_grpc.BridgeServiceStub) -> None:
    data = json.dumps({"type": "response.done", "response": {"output": list(range(2000))}}).encode()
    expected = violations(bridge.decode_event, data, strict=True)
    with pytest.raises(grpc.RpcError) as caught:
        stub.EventFromJson(service_pb2.EventFromJsonRequest(json=data, strict=True), timeout=TIMEOUT)
    assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    bad_request = error_details_pb2.BadRequest()
    assert rpc_status.from_call(caught.value).details[0].Unpack(bad_request)
    listed = [(v.field, v.description, v.reason.lower()) for v in bad_request.field_violations]
    assert 0 < len(listed) < len(expected) and listed == expected[: len(listed)]
    assert f"{len(expected)} violations" in caught.value.details()
    assert f"{len(expected) - len(listed)} not listed" in caught.value.details()


# ------------------------------------------------------------------------------------------ streams


def test_stream_from_json_keeps_going_past_a_bad_event(client: BridgeClient) -> None:
    inputs = [path.read_bytes() for path in EXAMPLES]
    inputs.insert(2, BAD_EVENT)
    results = list(client.stream_events_from_json(inputs))
    assert [r.sequence for r in results] == list(range(len(inputs)))
    for data, result in zip(inputs, results, strict=True):
        if data is BAD_EVENT:
            assert not result.ok and result.value is None
            assert isinstance(result.error, bridge.ValidationError)
            assert [tuple(v) for v in result.error.violations] == violations(bridge.decode_event, BAD_EVENT)
        else:
            assert result.ok and result.value == bridge.to_proto(bridge.decode_event(data))


def test_stream_to_json_keeps_going_past_a_bad_event(client: BridgeClient) -> None:
    inputs = [bridge.to_proto(bridge.decode_event(path.read_bytes())) for path in EXAMPLES]
    inputs.insert(1, bad_proto_event())
    results = list(client.stream_events_to_json(inputs))
    assert [r.sequence for r in results] == list(range(len(inputs)))
    assert isinstance(results[1].error, bridge.ValidationError)
    assert [tuple(v) for v in results[1].error.violations] == violations(bridge.from_proto, bad_proto_event())
    expected = [bridge.encode(bridge.from_proto(event)) for i, event in enumerate(inputs) if i != 1]
    assert [r.value for i, r in enumerate(results) if i != 1] == expected


def test_long_stream_keeps_order(client: BridgeClient) -> None:
    inputs = [b'{"type": "response.audio.delta", "n": %d}' % i if i % 7 else b'{"type": %d}' % i for i in range(500)]
    results = list(client.stream_events_from_json(inputs))
    assert [r.sequence for r in results] == list(range(500))
    assert [r.ok for r in results] == [i % 7 != 0 for i in range(500)]
    assert [bridge.encode(bridge.from_proto(r.value)) for r in results if r.ok] == [
        bridge.encode(bridge.decode_event(data)) for i, data in enumerate(inputs) if i % 7
    ]


def test_malformed_request_messages_are_bad_input(channel: grpc.Channel) -> None:
    def raw(method: str, kind: str = "unary_unary"):
        return getattr(channel, kind)(
            f"/{SERVICE}/{method}", request_serializer=bytes, response_deserializer=lambda data: data
        )

    garbage = b"\xff\xff\xff"
    with pytest.raises(grpc.RpcError) as caught:
        raw("EventToJson")(garbage, timeout=TIMEOUT)
    assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    bad_request = error_details_pb2.BadRequest()
    assert rpc_status.from_call(caught.value).details[0].Unpack(bad_request)
    assert bad_request.field_violations[0].field == "$"
    assert "malformed request message" in bad_request.field_violations[0].description

    good = service_pb2.StreamEventsFromJsonRequest(json=b'{"type": "a"}').SerializeToString()
    replies = raw("StreamEventsFromJson", "stream_stream")(iter([good, garbage, good]), timeout=TIMEOUT)
    results = [service_pb2.StreamEventsFromJsonResponse.FromString(reply) for reply in replies]
    assert [(r.sequence, r.WhichOneof("result")) for r in results] == [(0, "event"), (1, "error"), (2, "event")]
    assert results[1].error.violations[0].path == "$"


def test_stream_strict_flag_is_per_message(stub: service_pb2_grpc.BridgeServiceStub) -> None:
    requests = [service_pb2.StreamEventsFromJsonRequest(json=UNKNOWN_KEY_EVENT, strict=s) for s in (False, True, False)]
    results = list(stub.StreamEventsFromJson(iter(requests), timeout=TIMEOUT))
    assert [r.WhichOneof("result") for r in results] == ["event", "error", "event"]
    assert [(v.path, v.message) for v in results[1].error.violations] == [("$.response.phase", "unknown key")]
    assert results[1].error.code == grpc.StatusCode.INVALID_ARGUMENT.value[0]


def test_stream_results_come_as_inputs_arrive(client: BridgeClient) -> None:
    items: queue.Queue = queue.Queue()
    results = client.stream_events_from_json(feed(items))
    for index in range(3):
        items.put(b'{"type": "input_audio_buffer.speech_started", "n": %d}' % index)
        result = next(results)
        assert (result.sequence, result.value.type) == (index, "input_audio_buffer.speech_started")
    items.put(None)
    assert list(results) == []


# ------------------------------------------------------------------------------------------ failures


def test_unexpected_failure_is_internal_and_logged_not_leaked(
    address: str, stub: service_pb2_grpc.BridgeServiceStub, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    real_json_to_binary = bridge.json_to_binary

    def flaky_json_to_binary(data, **kwargs):
        if b"boom" in data:
            raise RuntimeError("secret internal detail")
        return real_json_to_binary(data, **kwargs)

    monkeypatch.setattr(bridge, "json_to_binary", flaky_json_to_binary)  # the converter the service calls
    caplog.set_level(logging.ERROR, logger="bridge.service")

    with pytest.raises(grpc.RpcError) as caught:
        stub.EventFromJson(
            service_pb2.EventFromJsonRequest(json=b'{"type": "boom"}'), timeout=TIMEOUT, metadata=[("x-request-id", "req-42")]
        )
    assert caught.value.code() == grpc.StatusCode.INTERNAL
    assert "secret" not in caught.value.details() and "req-42" in caught.value.details()
    request_info = error_details_pb2.RequestInfo()
    assert rpc_status.from_call(caught.value).details[0].Unpack(request_info)
    assert request_info.request_id == "req-42"

    with BridgeClient(address, timeout=TIMEOUT) as client:
        results = list(client.stream_events_from_json([b'{"type": "a"}', b'{"type": "boom"}', b'{"type": "b"}']))
    assert [(r.sequence, r.ok) for r in results] == [(0, True), (1, False), (2, True)]
    assert isinstance(results[1].error, RemoteError) and results[1].error.code == grpc.StatusCode.INTERNAL
    assert "secret" not in str(results[1].error)

    logged = [r for r in caplog.records if r.name == "bridge.service" and r.exc_info]
    assert len(logged) == 2
    assert "req-42" in logged[0].getMessage() and "EventFromJson" in logged[0].getMessage()
    assert "StreamEventsFromJson at stream position 1" in logged[1].getMessage()
    assert all("secret internal detail" in str(r.exc_info[1]) for r in logged)


def test_deadline_exceeded_ends_a_stalled_stream(client: BridgeClient) -> None:
    items: queue.Queue = queue.Queue()
    results = client.stream_events_from_json(feed(items), timeout=1.0)
    items.put(b'{"type": "a"}')
    assert next(results).sequence == 0
    with pytest.raises(grpc.RpcError) as caught:
        next(results)  # the client sends nothing more: the deadline ends the call
    assert caught.value.code() == grpc.StatusCode.DEADLINE_EXCEEDED
    items.put(None)


def test_oversized_message_is_resource_exhausted() -> None:
    small = b'{"type": "response.text.delta", "delta": "hi"}'
    big = b'{"type": "response.text.delta", "delta": "%s"}' % (b"x" * 100_000)
    with running(max_message_bytes=64 * 1024) as address, BridgeClient(address, timeout=TIMEOUT) as client:
        with pytest.raises(grpc.RpcError) as caught:
            client.event_from_json(big)
        assert caught.value.code() == grpc.StatusCode.RESOURCE_EXHAUSTED
        assert "larger than max" in caught.value.details()
        assert client.event_from_json(small).type == "response.text.delta"


# --------------------------------------------------------------------------------- health, reflection


def test_health_reports_serving(client: BridgeClient, channel: grpc.Channel) -> None:
    assert client.health() == "SERVING"
    assert client.health(SERVICE) == "SERVING"
    with pytest.raises(grpc.RpcError) as caught:
        client.health("no.such.Service")
    assert caught.value.code() == grpc.StatusCode.NOT_FOUND
    watch = health_pb2_grpc.HealthStub(channel).Watch(health_pb2.HealthCheckRequest(service=SERVICE), timeout=TIMEOUT)
    assert next(watch).status == health_pb2.HealthCheckResponse.SERVING
    watch.cancel()


def test_reflection_describes_the_service(channel: grpc.Channel) -> None:
    database = ProtoReflectionDescriptorDatabase(channel)
    assert {SERVICE, "grpc.health.v1.Health", "grpc.reflection.v1alpha.ServerReflection"} <= set(database.get_services())
    pool = descriptor_pool.DescriptorPool(database)
    service = pool.FindServiceByName(SERVICE)
    assert {method.name for method in service.methods} == RPCS
    stream = service.methods_by_name["StreamEventsFromJson"]
    assert stream.client_streaming and stream.server_streaming
    result = pool.FindMessageTypeByName("realtime.bridge.v1.StreamEventsFromJsonResponse")
    assert [f.name for f in result.oneofs_by_name["result"].fields] == ["event", "error"]
    assert result.fields_by_name["event"].message_type.full_name == "realtime.bridge.v1.ServerEvent"


def test_stopped_server_refuses_calls() -> None:
    with running() as address, BridgeClient(address, timeout=TIMEOUT) as client:
        assert client.health() == "SERVING"
    with BridgeClient(address, timeout=2.0) as client, pytest.raises(grpc.RpcError) as caught:
        client.health()
    assert caught.value.code() == grpc.StatusCode.UNAVAILABLE


# ----------------------------------------------------------------------------------- TLS and tokens


def test_tls(certs: Certificates) -> None:
    with running(tls_cert=str(certs.server_cert), tls_key=str(certs.server_key)) as address:
        with BridgeClient(address, root_certificates=certs.ca, timeout=TIMEOUT) as client:
            assert client.event_from_json(b'{"type": "a"}').type == "a"
        with BridgeClient(address, timeout=3.0) as plaintext, pytest.raises(grpc.RpcError) as caught:
            plaintext.event_from_json(b'{"type": "a"}')
        assert caught.value.code() == grpc.StatusCode.UNAVAILABLE


def test_mutual_tls(certs: Certificates) -> None:
    options = {"tls_cert": str(certs.server_cert), "tls_key": str(certs.server_key), "tls_client_ca": str(certs.ca)}
    with running(**options) as address:
        with BridgeClient(
            address,
            root_certificates=certs.ca,
            certificate_chain=certs.client_cert,
            private_key=certs.client_key.read_bytes(),
            timeout=TIMEOUT,
        ) as client:
            assert client.event_from_json(b'{"type": "a"}').type == "a"
        with BridgeClient(address, root_certificates=certs.ca, timeout=3.0) as anonymous, pytest.raises(
            grpc.RpcError
        ) as caught:
            anonymous.event_from_json(b'{"type": "a"}')
        assert caught.value.code() == grpc.StatusCode.UNAVAILABLE


def test_bearer_token() -> None:
    with running(token="s3cret-token") as address:
        for token in (None, "wrong-token", "s3cret-tokenX"):
            with BridgeClient(address, token=token, timeout=TIMEOUT) as client:
                with pytest.raises(grpc.RpcError) as caught:
                    client.event_from_json(b'{"type": "a"}')
                assert caught.value.code() == grpc.StatusCode.UNAUTHENTICATED
                with pytest.raises(grpc.RpcError) as caught:
                    list(client.stream_events_from_json([b'{"type": "a"}']))
                assert caught.value.code() == grpc.StatusCode.UNAUTHENTICATED
                assert client.health() == "SERVING"  # probes need no token
        with BridgeClient(address, token="s3cret-token", timeout=TIMEOUT) as client:
            assert client.event_from_json(b'{"type": "a"}').type == "a"
            assert [r.ok for r in client.stream_events_from_json([b'{"type": "a"}'])] == [True]


# --------------------------------------------------------------------------------- the command line


@pytest.mark.parametrize(
    "argv",
    [
        ["--tls-cert", "server.pem"],
        ["--workers", "0"],
        ["--port", "70000"],
        ["--max-message-mb", "0"],
        ["--token-env", "RTBRIDGE_TEST_UNSET_TOKEN"],
    ],
)
def test_bad_options_exit_2(argv: list[str]) -> None:
    assert main(argv) == 2


def test_port_in_use_exits_1() -> None:
    with running() as address:
        assert main(["--port", address.rpartition(":")[2]]) == 1


def test_missing_certificate_exits_1(tmp_path: pathlib.Path) -> None:
    missing = str(tmp_path / "missing.pem")
    assert main(["--port", "0", "--tls-cert", missing, "--tls-key", missing]) == 1


class ServerProcess:
    """``python -m bridge.server`` in a subprocess, its log read on a thread."""

    def __init__(self, *args: str) -> None:
        code = "import sys; from bridge.server import main; sys.exit(main())"
        self.process = subprocess.Popen(
            [sys.executable, "-c", code, "--host", "127.0.0.1", *args],
            cwd=REPO,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self.log: list[str] = []
        self.unmatched: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            self.lines.put(line)

    def expect(self, pattern: str, timeout: float = 30.0) -> re.Match[str]:
        """The first log line not matched before that matches ``pattern``, waiting for it if need be
        (lines of several processes interleave, so earlier lines are kept for later calls)."""
        deadline = time.monotonic() + timeout
        while True:
            for index, line in enumerate(self.unmatched):
                match = re.search(pattern, line)
                if match:
                    del self.unmatched[index]
                    return match
            try:
                line = self.lines.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                raise AssertionError(f"no log line matching {pattern!r} in time; log:\n{''.join(self.log)}") from None
            self.log.append(line)
            self.unmatched.append(line)

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()  # a supervisor stops its workers
            try:
                self.process.wait(timeout=2 * TIMEOUT)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self.process.wait(timeout=TIMEOUT)
        self._reader.join(timeout=TIMEOUT)  # EOF once the process (and any worker) is gone
        assert self.process.stderr is not None
        self.process.stderr.close()


@pytest.fixture
def server_process() -> Iterator[type[ServerProcess]]:
    started: list[ServerProcess] = []

    def start(*args: str) -> ServerProcess:
        started.append(ServerProcess(*args))
        return started[-1]

    yield start
    for process in started:
        process.close()


def test_sigterm_drains_a_stream_in_flight_and_exits_0(server_process) -> None:
    server = server_process("--port", "0", "--grace", "20")
    address = server.expect(r"listening on (\S+)").group(1)
    with BridgeClient(address, timeout=30.0) as client, grpc.insecure_channel(address) as channel:
        watch = health_pb2_grpc.HealthStub(channel).Watch(health_pb2.HealthCheckRequest(), timeout=30.0)
        assert next(watch).status == health_pb2.HealthCheckResponse.SERVING
        items: queue.Queue = queue.Queue()
        results = client.stream_events_from_json(feed(items))
        inputs = [path.read_bytes() for path in EXAMPLES] * 2
        inputs.insert(5, BAD_EVENT)
        received: list[StreamResult] = []
        for data in inputs[:3]:
            items.put(data)
            received.append(next(results))

        server.process.send_signal(signal.SIGTERM)
        assert next(watch).status == health_pb2.HealthCheckResponse.NOT_SERVING
        assert list(watch) == []  # the watch ends instead of holding up the drain
        server.expect("shutting down")
        with BridgeClient(address, timeout=2.0) as newcomer, pytest.raises(grpc.RpcError) as caught:
            newcomer.event_from_json(inputs[0])
        assert caught.value.code() == grpc.StatusCode.UNAVAILABLE

        time.sleep(0.5)  # the stream stays open while the server drains
        for data in inputs[3:]:
            items.put(data)
        items.put(None)
        received.extend(results)

    assert [r.sequence for r in received] == list(range(len(inputs)))
    for data, result in zip(inputs, received, strict=True):
        if data is BAD_EVENT:
            assert isinstance(result.error, bridge.ValidationError)
        else:
            assert result.value == bridge.to_proto(bridge.decode_event(data))
    assert server.process.wait(timeout=30.0) == 0
    server.expect("stopped")


def test_workers_share_the_port_and_are_restarted(server_process) -> None:
    server = server_process("--port", "0", "--workers", "2", "--grace", "5")
    pids = {int(server.expect(r"worker pid (\d+) started").group(1)) for _ in range(2)}
    address = server.expect(r"supervising 2 workers on (\S+)").group(1)
    for _ in range(2):
        assert server.expect(r"listening on (\S+)").group(1) == address

    victim = min(pids)
    os.kill(victim, signal.SIGKILL)
    server.expect(rf"worker pid {victim} exited")
    replacement = int(server.expect(r"worker pid (\d+) started").group(1))
    assert replacement not in pids
    server.expect(r"listening on")
    own_connection = [("grpc.use_local_subchannel_pool", 1)]
    for _ in range(4):  # connections of their own, which the kernel spreads over the workers
        with BridgeClient(address, timeout=TIMEOUT, options=own_connection) as client:
            assert client.event_from_json(b'{"type": "a"}').type == "a"

    server.process.send_signal(signal.SIGTERM)
    assert server.process.wait(timeout=30.0) == 0
    assert not [pid for pid in pids | {replacement} if _alive(pid)]


def test_workers_stop_when_the_supervisor_is_killed(server_process) -> None:
    server = server_process("--port", "0", "--workers", "2", "--grace", "5")
    pids = {int(server.expect(r"worker pid (\d+) started").group(1)) for _ in range(2)}
    for _ in range(2):
        server.expect(r"listening on")
    server.process.kill()
    for _ in range(2):
        server.expect(r"the supervisor \(pid \d+\) is gone; stopping")
    for _ in range(2):
        server.expect(r"stopped")
    deadline = time.monotonic() + TIMEOUT
    while pids and time.monotonic() < deadline:
        pids = {pid for pid in pids if _alive(pid)}
        time.sleep(0.05)
    assert not pids


def _alive(pid: int) -> bool:
    """Whether ``pid`` runs (a zombie does not: PID 1 of a container may never reap it)."""
    try:
        stat = pathlib.Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return stat.rpartition(")")[2].split()[0] != "Z"
