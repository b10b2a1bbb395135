"""HTTP/2 abuse against ``rtbridge serve``, from a raw socket: streams opened and reset in rounds
(rapid reset), more concurrent streams than the server allows, and header blocks (metadata) bigger
than it accepts. Each time the server stays healthy, a well-behaved client (``BridgeClient``) is
still served, and memory stays bounded.

The abusive peer is the pure-Python ``h2`` package used as an *encoder* only (headers, resets,
HPACK state); what the server sends is parsed here with h2's frame buffer, not fed back into h2, so
that h2 does not hold the client to the server's SETTINGS (it would refuse, locally, to open more
streams than the server allows, which is the point of the second test).

Memory is the server process's resident set (``VmRSS`` in ``/proc/PID/status``), compared only
with itself: the rounds after the first together may cost at most what the first did (a plateau).
That is a bound, not zero growth: grpcio's asyncio server leaks some 15-40 bytes per reset stream
that reaches it (grpc/grpc#43360; a bare ``grpc.aio`` server does the same, the synchronous server
does not), which ``--max-concurrent-streams`` slows but no option stops. At this test's scale that
is well under 1 MB a round against 10-18 MB for the first; a leak of a few hundred bytes per stream
would fail it. Measured figures and the limits are in docs/operations.md ("HTTP/2 limits").
"""

from __future__ import annotations

import dataclasses
import itertools
import os
import re
import select
import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import grpc
import h2.config
import h2.connection
import h2.errors
import h2.frame_buffer
import h2.settings
import hpack
import pytest
from hyperframe.frame import (
    Frame,
    GoAwayFrame,
    HeadersFrame,
    PingFrame,
    RstStreamFrame,
    SettingsFrame,
)
from test_cli import RTBRIDGE

from bridge.client import BridgeClient
from bridge.service._config import MAX_METADATA_BYTES

TIMEOUT = 60.0
SERVICE = "/realtime.bridge.v1.BridgeService"
HEALTH_CHECK = "/grpc.health.v1.Health/Check"
#: An empty ``HealthCheckRequest``: a gRPC message frame (not compressed, length 0).
EMPTY_MESSAGE = b"\x00\x00\x00\x00\x00"
#: Rapid reset: rounds of streams, each a HEADERS of a real RPC then its RST_STREAM.
ROUNDS = 4
STREAMS_PER_ROUND = 30_000


@dataclasses.dataclass
class Server:
    process: subprocess.Popen[bytes]
    port: int
    log: Path

    def rss_kib(self) -> int:
        status = Path(f"/proc/{self.process.pid}/status").read_text()
        found = re.search(r"^VmRSS:\s+(\d+) kB$", status, re.MULTILINE)
        assert found, status
        return int(found.group(1))

    def assert_serves_a_well_behaved_client(self) -> None:
        """A real client, on a connection of its own, is answered: health and a conversion."""
        assert self.process.poll() is None, self.log.read_text()
        with BridgeClient(f"127.0.0.1:{self.port}") as client:
            assert client.health(timeout=TIMEOUT) == "SERVING"
            event = client.event_from_json(b'{"type": "response.created", "response": {}}', timeout=TIMEOUT)
            assert client.event_to_json(event, timeout=TIMEOUT) == b'{"type":"response.created","response":{}}'


@pytest.fixture
def serve(tmp_path: Path) -> Iterator[Callable[..., Server]]:
    """Start ``rtbridge serve`` on 127.0.0.1 (a free port) with extra options; stopped at the end."""
    started: list[Server] = []

    def start(*options: str) -> Server:
        log = tmp_path / f"serve-{len(started)}.log"
        with log.open("wb") as stderr:
            process = subprocess.Popen(
                [str(RTBRIDGE), "serve", "--host", "127.0.0.1", "--port", "0", "--grace", "1", *options],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=stderr,
                env={**os.environ, "RTBRIDGE_TEST_UPSTREAM_KEY": "sk-abuse"},
            )
        server = Server(process, 0, log)
        started.append(server)
        deadline = time.monotonic() + TIMEOUT
        while not (found := re.search(r"listening on 127\.0\.0\.1:(\d+)", log.read_text())):
            assert process.poll() is None and time.monotonic() < deadline, log.read_text()
            time.sleep(0.05)
        server.port = int(found.group(1))
        return server

    yield start
    for server in started:
        server.process.terminate()
        try:
            server.process.wait(TIMEOUT)
        except subprocess.TimeoutExpired:
            server.process.kill()
            server.process.wait(TIMEOUT)


class Peer:
    """One HTTP/2 connection to the server, as a raw-socket client: h2 encodes what it sends,
    and what the server sends is parsed into frames here (SETTINGS and PINGs acknowledged)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT)
        self.h2 = h2.connection.H2Connection(h2.config.H2Configuration(client_side=True, header_encoding="utf-8"))
        self.frames = h2.frame_buffer.FrameBuffer(server=False)
        self.frames.max_frame_size = 1 << 24
        self.received: list[Frame] = []
        #: The header blocks the server sent on each stream, decoded (in connection order, as
        #: HPACK requires).
        self.header_blocks: dict[int, list[dict[str, str]]] = {}
        self._decoder = hpack.Decoder()
        self.closed = False
        self.h2.initiate_connection()
        self.flush()
        # The server's SETTINGS come (and are acknowledged) before this call's answer.
        assert self.health_check() == "0"

    def close(self) -> None:
        self.sock.close()

    def headers(self, path: str, **metadata: str) -> list[tuple[str, str]]:
        return [
            (":method", "POST"),
            (":scheme", "http"),
            (":path", path),
            (":authority", f"127.0.0.1:{self.port}"),
            ("content-type", "application/grpc"),
            ("te", "trailers"),
            *metadata.items(),
        ]

    def flush(self) -> None:
        data = self.h2.data_to_send()
        if data:
            try:
                self.sock.sendall(data)
            except OSError:
                self.pump()
                raise AssertionError(f"the server closed the connection: {self.goaways()}") from None

    def pump(self, timeout: float = 0.0) -> None:
        """Read what the server has sent (waiting up to ``timeout`` for the first bytes)."""
        while not self.closed and select.select([self.sock], [], [], timeout)[0]:
            timeout = 0.0
            try:
                data = self.sock.recv(1 << 20)
            except OSError:  # reset by the server
                data = b""
            if not data:
                self.closed = True
                return
            self.frames.add_data(data)
            for frame in self.frames:
                self.received.append(frame)
                if isinstance(frame, HeadersFrame):
                    block = {name.decode(): value.decode() for name, value in self._decoder.decode(frame.data, raw=True)}
                    self.header_blocks.setdefault(frame.stream_id, []).append(block)
                if isinstance(frame, SettingsFrame) and "ACK" not in frame.flags:
                    self.sock.sendall(SettingsFrame(0, flags=["ACK"]).serialize())
                elif isinstance(frame, PingFrame) and "ACK" not in frame.flags:
                    self.sock.sendall(PingFrame(0, frame.opaque_data, flags=["ACK"]).serialize())

    def start_call(self, path: str, **metadata: str) -> int:
        """Send a whole call with an empty request message; return its stream."""
        stream_id = self.h2.get_next_available_stream_id()
        self.h2.send_headers(stream_id, self.headers(path, **metadata))
        self.h2.send_data(stream_id, EMPTY_MESSAGE, end_stream=True)
        self.flush()
        return stream_id

    def health_check(self, **metadata: str) -> str | None:
        """A health check on this connection: the ``grpc-status`` it ends with (``"0"``, SERVING),
        or None when the server reset its stream. The server has read everything sent before it
        once this returns (it reads a connection in order). A real call, not a PING: a client
        that pings more often than ``min_client_ping_interval`` without calls is cut off."""
        stream_id = self.start_call(HEALTH_CHECK, **metadata)
        self.wait_for_end(stream_id)
        blocks = self.header_blocks.get(stream_id, [])
        return blocks[-1].get("grpc-status") if blocks else None

    def health_check_retried(self) -> str | None:
        """:meth:`health_check`, sent again (as clients do) while the server refuses its stream
        (REFUSED_STREAM: streams reset a moment ago still count until the server has freed them)."""
        for _ in range(100):
            status = self.health_check()
            if status is not None or not _refused(self.frames_of(self.h2.highest_outbound_stream_id)):
                return status
            time.sleep(0.1)
        return None

    def settings(self) -> dict[int, int]:
        """The server's SETTINGS, all of them merged."""
        merged: dict[int, int] = {}
        for frame in self.received:
            if isinstance(frame, SettingsFrame) and "ACK" not in frame.flags:
                merged.update(frame.settings)
        return merged

    def goaways(self) -> list[GoAwayFrame]:
        return [f for f in self.received if isinstance(f, GoAwayFrame)]

    def frames_of(self, stream_id: int) -> list[Frame]:
        return [f for f in self.received if f.stream_id == stream_id]

    def wait_for_end(self, stream_id: int) -> list[Frame]:
        """The frames of ``stream_id`` once the server has ended or reset it."""
        deadline = time.monotonic() + TIMEOUT
        while True:
            frames = self.frames_of(stream_id)
            if any(isinstance(f, RstStreamFrame) or "END_STREAM" in getattr(f, "flags", ()) for f in frames):
                return frames
            assert not self.closed, f"the server closed the connection: {self.goaways()}"
            assert time.monotonic() < deadline, f"stream {stream_id} did not end: {frames}"
            self.pump(timeout=1.0)


def _refused(frames: list[Frame]) -> bool:
    return any(isinstance(f, RstStreamFrame) and f.error_code == h2.errors.ErrorCodes.REFUSED_STREAM for f in frames)


# --------------------------------------------------------------------------------- rapid reset


#: A relay to an upstream nobody listens on: each Connect that reaches the relay ends UNREACHABLE.
_RELAY = ("--upstream", "ws://127.0.0.1:9/v1/realtime", "--upstream-key-env", "RTBRIDGE_TEST_UPSTREAM_KEY")


@pytest.mark.parametrize(
    ("path", "options"),
    [(f"{SERVICE}/EventFromJson", ()), ("/realtime.bridge.v1.SessionService/Connect", _RELAY)],
    ids=["BridgeService", "SessionService"],
)
def test_streams_opened_and_reset_in_rounds_leave_the_server_healthy_and_its_memory_on_a_plateau(
    serve: Callable[..., Server], path: str, options: tuple[str, ...]
) -> None:
    server = serve(*options)
    peer = Peer(server.port)
    headers = peer.headers(path)
    start = server.rss_kib()
    after: list[int] = []
    for _ in range(ROUNDS):
        for i in range(STREAMS_PER_ROUND):
            stream_id = peer.h2.get_next_available_stream_id()
            peer.h2.send_headers(stream_id, headers)
            peer.h2.reset_stream(stream_id, h2.errors.ErrorCodes.CANCEL)
            if i % 500 == 499:
                peer.flush()
                peer.pump()
        peer.flush()
        assert peer.health_check_retried() == "0"  # the abusive connection itself is still served
        server.assert_serves_a_well_behaved_client()
        after.append(_settled_rss(server))
    assert not peer.goaways() and not peer.closed  # the connection was never closed on the peer
    # gRPC counted the reset streams until it had freed them, and refused new ones past the limit
    # meanwhile (with no limit, none is refused and each reaches the application).
    refused = sum(_refused([frame]) for frame in peer.received)
    assert 0 < refused < ROUNDS * STREAMS_PER_ROUND
    peer.close()

    growth = [after[0] - start] + [b - a for a, b in itertools.pairwise(after)]
    print(f"\nVmRSS {start} KiB, after each round of {STREAMS_PER_ROUND} reset streams: {after}; growth {growth}; {refused} refused")
    assert after[-1] - after[0] <= after[0] - start, f"memory keeps growing: {growth} KiB"


def _settled_rss(server: Server) -> int:
    """The server's VmRSS once it has stopped moving (two readings 0.2 s apart within 1%)."""
    previous = server.rss_kib()
    for _ in range(50):
        time.sleep(0.2)
        current = server.rss_kib()
        if abs(current - previous) <= previous // 100:
            return current
        previous = current
    return previous


# ------------------------------------------------------------------ more streams than allowed


def test_streams_beyond_max_concurrent_streams_are_refused(serve: Callable[..., Server]) -> None:
    allowed = 8
    server = serve("--max-concurrent-streams", str(allowed))
    peer = Peer(server.port)
    assert peer.settings()[h2.settings.SettingCodes.MAX_CONCURRENT_STREAMS] == allowed

    # Streams of a streaming call that stay open (no END_STREAM), then as many again.
    headers = peer.headers(f"{SERVICE}/StreamEventsFromJson")
    opened = []
    for _ in range(2 * allowed):
        stream_id = peer.h2.get_next_available_stream_id()
        peer.h2.send_headers(stream_id, headers)
        opened.append(stream_id)
    peer.flush()
    extra = opened[allowed:]
    for stream_id in extra:
        assert _refused(peer.wait_for_end(stream_id)), stream_id
    assert not any(_refused(peer.frames_of(stream_id)) for stream_id in opened[:allowed])

    server.assert_serves_a_well_behaved_client()
    # Once the open streams end, this connection is served again.
    for stream_id in opened[:allowed]:
        peer.h2.reset_stream(stream_id, h2.errors.ErrorCodes.CANCEL)
    peer.flush()
    assert peer.health_check_retried() == "0"
    assert not peer.goaways()


# ----------------------------------------------------------------- oversized headers (metadata)


@pytest.mark.parametrize(
    "metadata",
    [
        pytest.param({"x-padding": "x" * (MAX_METADATA_BYTES + 1)}, id="one-header"),
        pytest.param({f"x-padding-{i}": "x" * 64 for i in range(MAX_METADATA_BYTES // 64)}, id="many-headers"),
    ],
)
def test_header_blocks_beyond_the_metadata_limit_are_refused(serve: Callable[..., Server], metadata: dict[str, str]) -> None:
    server = serve()
    peer = Peer(server.port)
    assert peer.settings()[h2.settings.SettingCodes.MAX_HEADER_LIST_SIZE] == MAX_METADATA_BYTES

    status = peer.health_check(**metadata)

    assert status == str(grpc.StatusCode.RESOURCE_EXHAUSTED.value[0])  # a trailers-only answer
    # Within the limit, the same connection is served (the limit counts names, values and 32 bytes
    # per header, as HTTP/2 does).
    assert peer.health_check(**{"x-padding": "x" * (MAX_METADATA_BYTES // 2)}) == "0"
    server.assert_serves_a_well_behaved_client()
    assert not peer.goaways()


# ------------------------------------------------------------------------------- ping flood


def test_a_peer_that_pings_too_often_is_cut_off(serve: Callable[..., Server]) -> None:
    server = serve()
    peer = Peer(server.port)
    for i in range(10):
        try:
            peer.sock.sendall(PingFrame(0, i.to_bytes(8, "big"), flags=[]).serialize())
        except OSError:  # closed already
            break
        peer.pump(timeout=0.05)
    deadline = time.monotonic() + TIMEOUT
    while not peer.goaways() and not peer.closed and time.monotonic() < deadline:
        peer.pump(timeout=0.5)
    (goaway,) = peer.goaways()
    assert goaway.error_code == h2.errors.ErrorCodes.ENHANCE_YOUR_CALM and goaway.additional_data == b"too_many_pings"
    server.assert_serves_a_well_behaved_client()
