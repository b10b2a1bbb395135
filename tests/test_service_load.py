"""The gRPC service under load, faults and attack, on 127.0.0.1 with ports picked by the kernel.

- Load: many clients with connections of their own and several long streams at once, in phases;
  every call must get the answer the library gives, and the server's resident memory must stop
  growing after the first phases (read from ``/proc/<pid>/status`` of a server subprocess).
- Faults: streams cancelled mid-way, clients that vanish, deadlines that expire. The server must
  drop their work (its asyncio tasks return to the idle set) and serve everyone else meanwhile.
- SIGTERM under load: every call the server accepted is answered; the rest are refused, unprocessed.
- Limits: a message over the size limit is refused with RESOURCE_EXHAUSTED before it is parsed.
- Security: tokens are compared with ``hmac.compare_digest`` and never logged; an unexpected
  failure reaches the client as INTERNAL with a request id, no traceback and no secret; a bad
  request is logged with its request id, RPC, JSON path and reason.

Every loop is bounded in count and time. The load test runs a few phases by default; set
``RTBRIDGE_SOAK=<seconds>`` (``1`` means 300) to keep it going that long, as a soak.
"""

from __future__ import annotations

import asyncio
import collections
import hmac
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
from collections.abc import Callable, Iterator
from typing import Any

import grpc
import pytest
from google.rpc import status_pb2

import bridge
from bridge.client import BridgeClient, RemoteError
from bridge.service import auth, servicer
from bridge.service.app import ServerConfig, StartedServer, start
from bridge.v1 import realtime_pb2, service_pb2, service_pb2_grpc

REPO = pathlib.Path(__file__).resolve().parent.parent
DATA = pathlib.Path(__file__).parent / "data"
GOOD = [p.read_bytes() for p in sorted((DATA / "examples").glob("*.json"))]
BAD = [  # what the tolerant reader still refuses (a value of the wrong type it carries)
    b'{"type": "response.done", "response": {"id": "\xff", "voice": "\xfe"}}',
    b'{"type": 5, "response": {"usage": {"total_tokens": 1.5}}}',
    b"not json",
]
TIMEOUT = 30.0
OWN_CONNECTION = [("grpc.use_local_subchannel_pool", 1)]
_SOAK = os.environ.get("RTBRIDGE_SOAK", "")
SOAK_SECONDS = 300.0 if _SOAK == "1" else float(_SOAK or 0)


def library_violations(data: bytes, *, strict: bool = False) -> list[tuple[str, str]]:
    with pytest.raises(bridge.ValidationError) as caught:
        bridge.to_proto(bridge.decode_event(data, strict=strict))
    return [tuple(v) for v in caught.value.violations]


EXPECTED_EVENTS = {data: bridge.to_proto(bridge.decode_event(data)) for data in GOOD}
EXPECTED_ERRORS = {data: library_violations(data) for data in BAD}


# ----------------------------------------------------------------------------------- the servers


class ServerProcess:
    """``python -m bridge.server`` (after an optional ``prelude``) in a subprocess; its log is
    collected on a thread."""

    def __init__(self, *args: str, prelude: str = "", env: dict[str, str] | None = None) -> None:
        code = f"{prelude}\nimport sys\nfrom bridge.server import main\nsys.exit(main())\n"
        self.process = subprocess.Popen(
            [sys.executable, "-c", code, "--host", "127.0.0.1", "--port", "0", *args],
            cwd=REPO,
            env={**os.environ, **(env or {})},
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.log: list[str] = []
        self._listening = threading.Event()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        if not self._listening.wait(TIMEOUT):
            self.close()
            raise AssertionError("the server did not start:\n" + "".join(self.log))
        self.address = re.search(r"listening on (\S+)", "".join(self.log)).group(1)

    def _read(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            self.log.append(line)
            if "listening on" in line:
                self._listening.set()

    def rss_kib(self) -> int:
        """Resident memory of the server process, in KiB."""
        status = pathlib.Path(f"/proc/{self.process.pid}/status").read_text()
        return int(re.search(r"^VmRSS:\s+(\d+) kB", status, re.MULTILINE).group(1))

    def text(self) -> str:
        """The whole log, once the process has exited."""
        self._reader.join(TIMEOUT)
        return "".join(self.log)

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(TIMEOUT)
        self._reader.join(TIMEOUT)
        assert self.process.stderr is not None
        self.process.stderr.close()


class LoopServer:
    """The server on an event loop of our own, so that a test can look at what runs on it."""

    def __init__(self, **options: Any) -> None:
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self._thread.start()
        self.started: StartedServer = self.run(start(ServerConfig(host="127.0.0.1", port=0, **options)))
        self.address = self.started.address

    def run(self, coroutine: Any, timeout: float = TIMEOUT) -> Any:
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout)

    def tasks(self) -> collections.Counter[str]:
        """The asyncio tasks on the server's loop, by coroutine name."""

        async def names() -> collections.Counter[str]:
            current = asyncio.current_task()
            return collections.Counter(t.get_coro().__qualname__ for t in asyncio.all_tasks() if t is not current)

        return self.run(names())

    def settle(self, idle: collections.Counter[str], timeout: float = 15.0) -> collections.Counter[str]:
        """Wait (boundedly) until the loop runs only its idle set of tasks; return what runs."""
        deadline = time.monotonic() + timeout
        while True:
            now = self.tasks()
            if now == idle or time.monotonic() > deadline:
                return now
            time.sleep(0.05)

    def close(self) -> None:
        async def cancel_the_rest() -> None:
            current = asyncio.current_task()
            rest = [task for task in asyncio.all_tasks() if task is not current]
            for task in rest:
                task.cancel()
            await asyncio.gather(*rest, return_exceptions=True)

        try:
            self.run(self.started.stop(0))
            self.run(cancel_the_rest())
        finally:
            self.loop.call_soon_threadsafe(self.loop.stop)
            self._thread.join(TIMEOUT)
            self.loop.close()


@pytest.fixture(scope="module")
def server() -> Iterator[LoopServer]:
    running = LoopServer()
    try:
        yield running
    finally:
        running.close()


@pytest.fixture(scope="module")
def idle(server: LoopServer) -> collections.Counter[str]:
    """The tasks of the server at rest, after it has served a call of each kind."""
    with BridgeClient(server.address, timeout=TIMEOUT) as client:
        client.event_from_json(GOOD[0])
        list(client.stream_events_from_json(GOOD[:2]))
    time.sleep(0.5)
    tasks = server.tasks()
    assert tasks and not any("pump" in name for name in tasks), tasks
    return tasks


def _feed(items: queue.Queue, limit: int = 10_000) -> Iterator[bytes]:
    """Requests handed over through a queue, until ``None`` (bounded in count and in waiting)."""
    for _ in range(limit):
        item = items.get(timeout=TIMEOUT)
        if item is None:
            return
        yield item


def _in_flight(tasks: collections.Counter[str], idle: collections.Counter[str]) -> collections.Counter[str]:
    return tasks - idle


# ------------------------------------------------------------------------------------------- load


class Load:
    """One phase of traffic against ``address``; every mismatch or error lands in ``failures``."""

    def __init__(
        self, address: str, *, clients: int = 8, calls: int = 200, streams: int = 3, events: int = 2000
    ) -> None:
        self.address = address
        self.clients, self.calls, self.streams, self.events = clients, calls, streams, events
        self.failures: list[str] = []
        self.completed = collections.Counter[str]()
        self._lock = threading.Lock()

    def run(self) -> None:
        workers = [threading.Thread(target=self._guard, args=(self._unary, n)) for n in range(self.clients)]
        workers += [threading.Thread(target=self._guard, args=(self._stream, n)) for n in range(self.streams)]
        workers.append(threading.Thread(target=self._guard, args=(self._cancelling, 0)))
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(4 * TIMEOUT)
        assert not any(worker.is_alive() for worker in workers), "a load worker hung"

    def _guard(self, work: Callable[[int], None], n: int) -> None:
        try:
            work(n)
        except Exception as error:  # noqa: BLE001 - every failure is collected and asserted on
            self._fail(f"{work.__name__}[{n}]: {type(error).__name__}: {error}")

    def _fail(self, what: str) -> None:
        with self._lock:
            self.failures.append(what)

    def _count(self, what: str) -> None:
        with self._lock:
            self.completed[what] += 1

    def _unary(self, n: int) -> None:
        with BridgeClient(self.address, timeout=TIMEOUT, options=OWN_CONNECTION) as client:
            for i in range(self.calls):
                data = (GOOD + BAD)[(n + i) % (len(GOOD) + len(BAD))]
                if data in EXPECTED_ERRORS:
                    try:
                        client.event_from_json(data)
                    except bridge.ValidationError as error:
                        if [tuple(v) for v in error.violations] != EXPECTED_ERRORS[data]:
                            self._fail(f"wrong violations for {data[:40]!r}: {error.violations}")
                    else:
                        self._fail(f"accepted {data[:40]!r}")
                elif i % 2:
                    if client.event_from_json(data) != EXPECTED_EVENTS[data]:
                        self._fail(f"wrong event for {data[:40]!r}")
                elif client.event_to_json(EXPECTED_EVENTS[data]) != bridge.encode(bridge.decode_event(data)):
                    self._fail(f"wrong JSON for {data[:40]!r}")
                self._count("unary")

    def _stream(self, n: int) -> None:
        inputs = [BAD[i % len(BAD)] if i % 50 == 7 else GOOD[i % len(GOOD)] for i in range(self.events)]
        with BridgeClient(self.address, options=OWN_CONNECTION) as client:
            results = client.stream_events_from_json(inputs, timeout=4 * TIMEOUT)
            for index, (data, result) in enumerate(zip(inputs, results, strict=True)):
                if result.sequence != index:
                    self._fail(f"stream {n}: result {result.sequence} in place {index}")
                elif data in EXPECTED_ERRORS:
                    if [tuple(v) for v in result.error.violations] != EXPECTED_ERRORS[data]:
                        self._fail(f"stream {n}: wrong violations at {index}")
                elif result.value != EXPECTED_EVENTS[data]:
                    self._fail(f"stream {n}: wrong event at {index}")
                self._count("stream event")

    def _cancelling(self, n: int) -> None:
        """Streams dropped half-way: the server must clean up after them (and nobody else cares)."""
        with BridgeClient(self.address, options=OWN_CONNECTION) as client:
            for _ in range(5):
                results = client.stream_events_from_json(GOOD * 100, timeout=4 * TIMEOUT)
                for _, result in zip(range(10), results):
                    if not result.ok:
                        self._fail("cancelled stream: a good event failed")
                results.close()  # cancels the call
                self._count("cancelled stream")


def test_many_clients_and_streams_get_every_answer_and_memory_levels_off() -> None:
    server = ServerProcess("--grace", "5")
    try:
        rss: list[int] = []
        phases = 0
        soak_until = time.monotonic() + SOAK_SECONDS
        while phases < 5 or time.monotonic() < soak_until:
            load = Load(server.address)
            load.run()
            assert load.failures == [], load.failures[:10]
            assert load.completed == {"unary": 8 * 200, "stream event": 3 * 2000, "cancelled stream": 5}
            rss.append(server.rss_kib())
            phases += 1
        with BridgeClient(server.address, timeout=TIMEOUT) as client:
            assert client.health() == "SERVING"
        warm, last = rss[1], max(rss[2:])
        # Generous: a leak of a few hundred bytes per call (tens of thousands of calls after the
        # warm phase) would cross it; allocator noise does not.
        assert last - warm < 16 * 1024, f"RSS grew from {warm} KiB to {last} KiB over the phases: {rss}"
    finally:
        server.close()


# ----------------------------------------------------------------------------------------- faults


def test_streams_cancelled_mid_way_are_freed(server: LoopServer, idle: collections.Counter[str]) -> None:
    with BridgeClient(server.address, timeout=TIMEOUT) as client:
        for _ in range(20):
            results = client.stream_events_from_json(GOOD * 200)
            for _, result in zip(range(5), results):
                assert result.ok
            results.close()
        assert server.settle(idle) == idle
        assert client.event_from_json(GOOD[1]) == EXPECTED_EVENTS[GOOD[1]]


def test_a_stalled_stream_does_not_hold_up_others_and_is_freed_at_its_deadline(
    server: LoopServer, idle: collections.Counter[str]
) -> None:
    items: queue.Queue = queue.Queue()
    with BridgeClient(server.address, options=OWN_CONNECTION) as stalled, BridgeClient(
        server.address, timeout=TIMEOUT, options=OWN_CONNECTION
    ) as other:
        results = stalled.stream_events_from_json(_feed(items), timeout=2.0)
        items.put(GOOD[0])
        assert next(results).value == EXPECTED_EVENTS[GOOD[0]]
        busy = _in_flight(server.tasks(), idle)
        assert any("pump" in name for name in busy), busy  # the stalled stream is being served
        for data in GOOD:  # while it waits, everyone else is served
            assert other.event_from_json(data) == EXPECTED_EVENTS[data]
        assert [r.ok for r in other.stream_events_from_json(GOOD)] == [True] * len(GOOD)
        with pytest.raises(grpc.RpcError) as caught:
            next(results)
        assert caught.value.code() == grpc.StatusCode.DEADLINE_EXCEEDED
        items.put(None)
        assert server.settle(idle) == idle


_VANISHING_CLIENT = """
import sys, time
from bridge.client import BridgeClient

def events():
    for n in range(5):
        yield b'{"type": "response.audio.delta", "n": %d}' % n
    time.sleep(120)  # keep the stream open, sending nothing, until killed

with BridgeClient(sys.argv[1]) as client:
    for result in client.stream_events_from_json(events()):
        if result.sequence == 4:
            print("ready", flush=True)
"""


def test_a_client_that_vanishes_mid_stream_is_freed(server: LoopServer, idle: collections.Counter[str]) -> None:
    client = subprocess.Popen(
        [sys.executable, "-c", _VANISHING_CLIENT, server.address], cwd=REPO, stdout=subprocess.PIPE, text=True
    )
    try:
        assert client.stdout is not None
        assert client.stdout.readline().strip() == "ready"
        assert any("pump" in name for name in _in_flight(server.tasks(), idle))
        client.kill()
        client.wait(TIMEOUT)
        assert server.settle(idle) == idle
        with BridgeClient(server.address, timeout=TIMEOUT) as other:
            assert other.event_from_json(GOOD[2]) == EXPECTED_EVENTS[GOOD[2]]
    finally:
        if client.poll() is None:
            client.kill()
        client.wait(TIMEOUT)
        assert client.stdout is not None
        client.stdout.close()


def test_a_unary_call_past_its_deadline_leaves_the_server_healthy(
    server: LoopServer, idle: collections.Counter[str]
) -> None:
    """A request that takes the converter far longer than its deadline: the caller gets
    DEADLINE_EXCEEDED, the server drops the call and goes on."""
    slow = b'{"type":"response.done","response":{"output":[%s]}}' % b",".join(
        b'{"id":"item_%d","future":%d}' % (i, i) for i in range(40_000)
    )
    with BridgeClient(server.address, timeout=TIMEOUT) as client:
        with pytest.raises(grpc.RpcError) as caught:
            client.event_from_json(slow, timeout=0.01)
        assert caught.value.code() == grpc.StatusCode.DEADLINE_EXCEEDED
        assert server.settle(idle) == idle
        assert client.event_from_json(GOOD[3]) == EXPECTED_EVENTS[GOOD[3]]
        assert client.health() == "SERVING"


# --------------------------------------------------------------------------------- SIGTERM, drain

#: Runs in the server process before it starts: announces on stderr each event it begins to
#: convert, so the test knows which calls the server accepted.
_ANNOUNCE_ACCEPTED = r"""
import re, sys, bridge
_json_to_binary = bridge.json_to_binary  # the converter the service calls
_EVENT_ID = re.compile(rb'"event_id":"(load-[0-9a-z-]+)"')

def _announcing(data, **kwargs):
    found = _EVENT_ID.search(bytes(data))
    if found:
        sys.stderr.write("accepted " + found.group(1).decode() + "\n")
        sys.stderr.flush()
    return _json_to_binary(data, **kwargs)

bridge.json_to_binary = _announcing
"""


def _load_event(key: str) -> bytes:
    return (
        b'{"type":"response.done","event_id":"load-%s","response":{"status":"completed",'
        b'"output":[{"id":"item","content":[{"type":"text","text":"hello"}]}]}}' % key.encode()
    )


def test_sigterm_under_load_answers_every_call_it_accepted() -> None:
    server = ServerProcess("--grace", "20", prelude=_ANNOUNCE_ACCEPTED)
    outcomes: dict[str, str] = {}
    lock = threading.Lock()
    deadline = time.monotonic() + 60

    def unary(n: int) -> None:
        with BridgeClient(server.address, timeout=TIMEOUT, options=OWN_CONNECTION) as client:
            for i in range(100_000):
                key = f"u{n}-{i}"
                try:
                    answer = client.event_from_json(_load_event(key))
                    outcome = "ok" if answer.event_id == f"load-{key}" else "wrong answer"
                except grpc.RpcError as error:
                    outcome = error.code().name
                with lock:
                    outcomes[key] = outcome
                if outcome != "ok" or time.monotonic() > deadline:
                    return

    streams: list[tuple[queue.Queue, Iterator[Any]]] = []
    try:
        with BridgeClient(server.address, options=OWN_CONNECTION) as stream_client:
            for n in range(2):  # accepted for sure: each has answered once before the signal
                items: queue.Queue = queue.Queue()
                results = stream_client.stream_events_from_json(_feed(items), timeout=60)
                items.put(_load_event(f"s{n}-0"))
                assert next(results).value.event_id == f"load-s{n}-0"
                streams.append((items, results))
            workers = [threading.Thread(target=unary, args=(n,)) for n in range(6)]
            for worker in workers:
                worker.start()
            time.sleep(1.0)
            server.process.send_signal(signal.SIGTERM)
            for n, (items, _) in enumerate(streams):
                for i in range(1, 50):
                    items.put(_load_event(f"s{n}-{i}"))
                items.put(None)
            for n, (_, results) in enumerate(streams):
                assert [r.value.event_id for r in results] == [f"load-s{n}-{i}" for i in range(1, 50)]
            for worker in workers:
                worker.join(2 * TIMEOUT)
            assert not any(worker.is_alive() for worker in workers)
        assert server.process.wait(TIMEOUT) == 0
        log = server.text()
    finally:
        for items, _ in streams:
            items.put(None)
        server.close()
    accepted = {line.split()[1].removeprefix("load-") for line in log.splitlines() if line.startswith("accepted ")}
    assert {f"s{n}-{i}" for n in range(2) for i in range(50)} <= accepted
    unanswered = sorted(key for key in accepted if key[0] == "u" and outcomes.get(key) != "ok")
    assert unanswered == [], f"accepted but not answered: {[(k, outcomes.get(k)) for k in unanswered]}"
    refused = {key: outcome for key, outcome in outcomes.items() if outcome != "ok"}
    assert refused, "the load stopped before the server did"
    # Refused calls never reached the converter; gRPC reports them UNAVAILABLE (or CANCELLED for
    # calls that arrived in the instant the drain began), both safe to retry.
    assert set(refused.values()) <= {"UNAVAILABLE", "CANCELLED"}, refused
    assert not set(refused) & accepted
    assert sum(outcome == "ok" for outcome in outcomes.values()) > 100
    assert "shutting down" in log and "stopped" in log


# ---------------------------------------------------------------------------------- message size


def test_oversized_messages_are_refused_before_they_are_decoded(monkeypatch: pytest.MonkeyPatch) -> None:
    """The request parser and the converter never see a message over the limit: gRPC refuses it
    on the wire with RESOURCE_EXHAUSTED, unary or in a stream, and the server serves on."""
    parsed: list[int] = []
    converted: list[int] = []
    lenient_parser = servicer._lenient_parser
    json_to_binary = bridge.json_to_binary

    def recording_parser(message: Any) -> Callable[[bytes], Any]:
        parse = lenient_parser(message)

        def recording(data: bytes) -> Any:
            parsed.append(len(data))
            return parse(data)

        return recording

    def recording_convert(data: Any, **kwargs: Any) -> Any:
        converted.append(len(data))
        return json_to_binary(data, **kwargs)

    monkeypatch.setattr(servicer, "_lenient_parser", recording_parser)
    monkeypatch.setattr(bridge, "json_to_binary", recording_convert)  # the converter the service calls
    limit = 64 * 1024
    small = b'{"type": "response.text.delta", "delta": "hi"}'
    big = b'{"type": "response.text.delta", "delta": "%s"}' % (b"x" * (2 * limit))
    running = LoopServer(max_message_bytes=limit)
    try:
        with BridgeClient(running.address, timeout=TIMEOUT) as client:
            with pytest.raises(grpc.RpcError) as caught:
                client.event_from_json(big)
            assert caught.value.code() == grpc.StatusCode.RESOURCE_EXHAUSTED
            items: queue.Queue = queue.Queue()
            results = client.stream_events_from_json(_feed(items))
            items.put(small)
            assert next(results).ok
            items.put(big)
            with pytest.raises(grpc.RpcError) as caught:
                next(results)
            assert caught.value.code() == grpc.StatusCode.RESOURCE_EXHAUSTED
            items.put(None)
            assert client.event_from_json(small).type == "response.text.delta"
    finally:
        running.close()
    assert parsed and max(parsed) < limit, parsed  # the spies saw the small messages, never the big one
    assert converted and max(converted) < limit, converted


# -------------------------------------------------------------------------------- hostile input

_DEEP = b'{"type":"response.done","response":{"future":' + b"[" * 100_000 + b"]" * 100_000 + b"}}"
HOSTILE = {
    "empty": b"",
    "bom": b'\xef\xbb\xbf{"type":"error"}',
    "invalid-utf8": b'{"type":"response.audio.delta","delta":"\xff\xfe"}',
    "nan": b'{"type":"response.done","response":{"temperature":NaN}}',
    "int-beyond-64-bits": b'{"type":"response.done","response":{"usage":{"total_tokens":%s}}}' % (b"9" * 30),
    "float-for-int": b'{"type":"response.done","response":{"usage":{"total_tokens":1.0}}}',
    "bool-for-number": b'{"type":"response.done","response":{"temperature":true}}',
    "trailing-garbage": b'{"type":"error"} {}',
    "array": b"[]",
    "deep-nesting": _DEEP,
    "every-field-wrong": b'{"type":"response.done","event_id":1,"response":{"id":1,"status":2,"output":{},"usage":[]}}',
}


#: Values of the wrong type: carried by default (tolerant reading), rejected in strict mode.
MISFITS = {"int-beyond-64-bits", "float-for-int", "bool-for-number", "every-field-wrong"}


@pytest.mark.parametrize("data", HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_input_is_invalid_argument_and_the_server_stays_healthy(server: LoopServer, data: bytes) -> None:
    misfit = data in {HOSTILE[name] for name in MISFITS}
    with BridgeClient(server.address, timeout=TIMEOUT) as client:
        if misfit:  # carried as the library carries it
            assert client.event_from_json(data) == bridge.to_proto(bridge.decode_event(data))
        for strict in (True,) if misfit else (False, True):
            with pytest.raises(bridge.ValidationError) as caught:
                client.event_from_json(data, strict=strict)
            assert [tuple(v) for v in caught.value.violations] == library_violations(data, strict=strict)
            (result,) = client.stream_events_from_json([data], strict=strict)
            assert [tuple(v) for v in result.error.violations] == library_violations(data, strict=strict)
        assert client.health() == "SERVING"
        assert client.event_from_json(GOOD[0]) == EXPECTED_EVENTS[GOOD[0]]


# --------------------------------------------------------------------------------------- secrets

TOKEN = "tok-3f9c2a71-SECRET"
WRONG = ("tok-3f9c2a71-SECREX", "tok-3f9c", TOKEN + "X", TOKEN.upper(), "")


def test_tokens_are_compared_in_constant_time(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every presented token, of any length, goes through ``hmac.compare_digest``."""
    compared: list[tuple[bytes, bytes]] = []
    compare_digest = hmac.compare_digest

    def spy(a: Any, b: Any) -> bool:
        compared.append((bytes(a), bytes(b)))
        return compare_digest(a, b)

    monkeypatch.setattr(auth.hmac, "compare_digest", spy)
    running = LoopServer(token=TOKEN)
    try:
        for token in (*WRONG[:-1], TOKEN):
            compared.clear()
            with BridgeClient(running.address, token=token, timeout=TIMEOUT) as client:
                if token == TOKEN:
                    assert client.event_from_json(b'{"type": "a"}').type == "a"
                else:
                    with pytest.raises(grpc.RpcError) as caught:
                        client.event_from_json(b'{"type": "a"}')
                    assert caught.value.code() == grpc.StatusCode.UNAUTHENTICATED
            assert sorted(compared[0]) == sorted((token.encode(), TOKEN.encode())), compared
    finally:
        running.close()


#: Runs in the server process before it starts: converting an event of type "boom" fails.
_CRASH_ON_BOOM = """
import bridge
_json_to_binary = bridge.json_to_binary  # the converter the service calls

def _crashing(data, **kwargs):
    if b"boom" in bytes(data):
        raise RuntimeError("an injected failure")
    return _json_to_binary(data, **kwargs)

bridge.json_to_binary = _crashing
"""


def test_tokens_never_appear_in_the_server_log() -> None:
    """At DEBUG, Python's and gRPC's own, through refused, accepted, bad and failing calls."""
    server = ServerProcess("--log-level", "debug", "--token-env", "RTBRIDGE_TEST_TOKEN", prelude=_CRASH_ON_BOOM,
                           env={"RTBRIDGE_TEST_TOKEN": TOKEN, "GRPC_VERBOSITY": "debug"})
    try:
        for token in (*WRONG, TOKEN):
            with BridgeClient(server.address, token=token or None, timeout=TIMEOUT) as client:
                for data in (b'{"type": "a"}', BAD[0], b'{"type": "boom"}'):
                    try:
                        client.event_from_json(data)
                    except (grpc.RpcError, bridge.ValidationError):
                        pass
                if token == TOKEN:
                    results = list(client.stream_events_from_json([b'{"type": "a"}', b'{"type": "boom"}']))
                    assert [r.ok for r in results] == [True, False]
        server.process.send_signal(signal.SIGTERM)
        assert server.process.wait(TIMEOUT) == 0
        log = server.text()
    finally:
        server.close()
    assert "unexpected failure in EventFromJson" in log  # the log did record the calls
    for token in (*WRONG[:-1], TOKEN):
        assert token not in log, token


def _client_visible(error: grpc.RpcError) -> str:
    """Everything a client can read from a failed call."""
    parts = [str(error.code()), error.details() or "", error.debug_error_string() or ""]
    for key, value in error.trailing_metadata() or ():
        parts.append(key)
        if key.endswith("-bin"):
            status = status_pb2.Status.FromString(value)
            parts.append(str(status))
            for detail in status.details:
                parts.append(detail.value.decode("utf-8", "replace"))
        else:
            parts.append(str(value))
    return "\n".join(parts)


_LEAKS = ("Traceback", 'File "', "RuntimeError", "boom while", TOKEN)


def test_errors_reach_clients_without_secrets_or_tracebacks(monkeypatch: pytest.MonkeyPatch) -> None:
    json_to_binary, binary_to_json = bridge.json_to_binary, bridge.binary_to_json

    def crashing_to_binary(data: Any, **kwargs: Any) -> Any:
        if b"boom" in bytes(data):
            raise RuntimeError(f"boom while holding {TOKEN}")
        return json_to_binary(data, **kwargs)

    def crashing_to_json(data: Any, **kwargs: Any) -> Any:
        if b"boom" in bytes(data):  # the bytes of ServerEvent(type="boom")
            raise RuntimeError(f"boom while holding {TOKEN}")
        return binary_to_json(data, **kwargs)

    # the converters the service calls
    monkeypatch.setattr(bridge, "json_to_binary", crashing_to_binary)
    monkeypatch.setattr(bridge, "binary_to_json", crashing_to_json)
    boom = realtime_pb2.ServerEvent(type="boom")
    running = LoopServer(token=TOKEN)
    try:
        with BridgeClient(running.address, token=TOKEN, timeout=TIMEOUT) as client, grpc.insecure_channel(
            running.address
        ) as channel:
            stub = service_pb2_grpc.BridgeServiceStub(channel)
            metadata = (("authorization", f"Bearer {TOKEN}"), ("x-request-id", "req-leak-1"))
            for call in (
                lambda: stub.EventFromJson(service_pb2.EventFromJsonRequest(json=b'{"type":"boom"}'),
                                           metadata=metadata, timeout=TIMEOUT),
                lambda: stub.EventToJson(service_pb2.EventToJsonRequest(event=boom), metadata=metadata,
                                         timeout=TIMEOUT),
            ):
                with pytest.raises(grpc.RpcError) as caught:
                    call()
                assert caught.value.code() == grpc.StatusCode.INTERNAL
                visible = _client_visible(caught.value)
                assert "req-leak-1" in visible
                assert not [leak for leak in _LEAKS if leak in visible], visible
            for results in (client.stream_events_from_json([b'{"type":"boom"}']), client.stream_events_to_json([boom])):
                (result,) = results
                assert isinstance(result.error, RemoteError) and result.error.code == grpc.StatusCode.INTERNAL
                assert not [leak for leak in _LEAKS if leak in result.error.message], result.error.message
        with BridgeClient(running.address, token=TOKEN[:-1] + "x", timeout=TIMEOUT) as intruder:
            with pytest.raises(grpc.RpcError) as caught:
                intruder.event_from_json(b'{"type": "a"}')
            assert caught.value.code() == grpc.StatusCode.UNAUTHENTICATED
            assert TOKEN[:-1] not in _client_visible(caught.value)
    finally:
        running.close()


def test_bad_requests_are_logged_with_request_id_rpc_path_and_reason(
    server: LoopServer, caplog: pytest.LogCaptureFixture
) -> None:
    """A rejected request can be found in the log by its request id, and the line says which RPC,
    where in the document and what was wrong."""
    caplog.set_level(logging.DEBUG)
    path, reason, _ = EXPECTED_ERRORS[BAD[0]][0]
    with grpc.insecure_channel(server.address) as channel:
        stub = service_pb2_grpc.BridgeServiceStub(channel)
        with pytest.raises(grpc.RpcError) as caught:
            stub.EventFromJson(service_pb2.EventFromJsonRequest(json=BAD[0]), metadata=(("x-request-id", "req-bad-7"),),
                               timeout=TIMEOUT)
        assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT
        requests = iter([service_pb2.StreamEventsFromJsonRequest(json=data) for data in (GOOD[0], BAD[0])])
        replies = list(stub.StreamEventsFromJson(requests, metadata=(("x-request-id", "req-bad-8"),), timeout=TIMEOUT))
        assert [r.WhichOneof("result") for r in replies] == ["event", "error"]
    lines = [r.getMessage() for r in caplog.records if r.name.startswith("bridge")]
    for request_id, rpc in (("req-bad-7", "EventFromJson"), ("req-bad-8", "StreamEventsFromJson")):
        matching = [line for line in lines if request_id in line]
        assert matching, f"nothing logged for request {request_id}: {lines}"
        assert any(rpc in line and path in line and reason in line for line in matching), matching
