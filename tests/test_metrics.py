"""``rtbridge serve --metrics-port``: Prometheus metrics, scraped by a real Prometheus server.

The test runs the Debian ``prometheus`` binary as a child process with a generated configuration
(scraping every second, its database in a temporary directory, listening on a free loopback port),
makes a known set of calls, and reads the series back through Prometheus's HTTP API
(``/api/v1/query``), polling until the scrape after the last call is in: the call counters equal
the calls made, for one process and for ``--workers 2`` (multiprocess mode, one endpoint).
"""

from __future__ import annotations

import json
import pathlib
import queue
import re
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from typing import Any

import pytest

import bridge
from bridge.client import BridgeClient
from bridge.service import metrics
from bridge.v1 import realtime_pb2
from tests import _debian_tools

REPO = pathlib.Path(__file__).resolve().parent.parent
TIMEOUT = 60.0
OWN_CONNECTION = [("grpc.use_local_subchannel_pool", 1)]

GOOD = b'{"type":"response.text.delta","event_id":"e1","delta":"hi"}'
AUDIO = b'{"type":"response.audio.delta","event_id":"e2","delta":"UklGRg=="}'
UNKNOWN_TYPE = b'{"type":"x-made-up.by-a-client","event_id":"e3"}'
DRIFTED = b'{"type":"response.text.delta","event_id":"e4","delta":"hi","phase":"final"}'  # an unknown key
BAD_TYPE = b'{"type":5,"response":{"temperature":"hot"}}'  # a type that routes nowhere
BAD_UTF8 = b'{"type":"x","a":"\xff"}'
MALFORMED = b"not json"


def _wait_for(condition: Callable[[], Any], what: str, timeout: float = TIMEOUT, poll: float = 0.2) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(poll)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _stop(process: subprocess.Popen[bytes]) -> None:
    """End a child process: SIGTERM, then SIGKILL if it has not exited within 20 s."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()
    process.wait(TIMEOUT)


class Bridge:
    """``rtbridge serve`` with metrics on a port it picks."""

    def __init__(self, directory: pathlib.Path, name: str, *args: str) -> None:
        self._workers = int(args[args.index("--workers") + 1]) if "--workers" in args else 1
        self.log_path = directory / f"{name}.log"
        self._log = self.log_path.open("w")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bridge.server", "--port", "0", "--metrics-port", "0", *args],
            cwd=REPO, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=self._log,
        )
        try:
            _wait_for(self._started, "the bridge to start")
            log = self.log_path.read_text()
            self.address = re.search(r"listening on (\S+)", log).group(1)
            self.metrics_port = int(re.search(r"metrics on http://[^:]+:(\d+)/", log).group(1))
        except BaseException:
            self.close()
            raise

    def _started(self) -> bool:
        if self.process.poll() is not None:
            raise AssertionError("the bridge exited:\n" + self.log_path.read_text())
        log = self.log_path.read_text()
        return "metrics on" in log and log.count("listening on") >= self._workers

    def close(self) -> None:
        _stop(self.process)
        self._log.close()


class Prometheus:
    """A Prometheus server scraping ``targets`` (job name -> host:port) every second."""

    def __init__(self, directory: pathlib.Path, targets: dict[str, str]) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        jobs = "".join(
            f"  - job_name: {job}\n    static_configs:\n      - targets: ['{target}']\n" for job, target in targets.items()
        )
        config = directory / "prometheus.yml"
        config.write_text(f"global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\nscrape_configs:\n{jobs}")
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._log_path = directory / "prometheus.log"
        self._log = self._log_path.open("w")
        self.process = subprocess.Popen(
            [
                _debian_tools.command("prometheus"), f"--config.file={config}", f"--storage.tsdb.path={directory / 'data'}",
                f"--web.listen-address=127.0.0.1:{self.port}",
            ],
            stdin=subprocess.DEVNULL, stdout=self._log, stderr=self._log,
        )
        try:
            _wait_for(self._ready, "Prometheus to be ready")
        except BaseException:
            self.close()
            raise

    def _ready(self) -> bool:
        if self.process.poll() is not None:
            raise AssertionError("prometheus exited:\n" + self._log_path.read_text())
        try:
            with urllib.request.urlopen(f"{self.url}/-/ready", timeout=2) as response:
                return response.status == 200
        except OSError:
            return False

    def query(self, promql: str) -> dict[tuple[tuple[str, str], ...], float]:
        """An instant query: labels -> value, per series."""
        url = f"{self.url}/api/v1/query?" + urllib.parse.urlencode({"query": promql})
        with urllib.request.urlopen(url, timeout=10) as response:
            body = json.load(response)
        assert body["status"] == "success", body
        return {
            tuple(sorted(series["metric"].items())): float(series["value"][1]) for series in body["data"]["result"]
        }

    def wait_for(self, promql: str, expected: dict[tuple[tuple[str, str], ...], float]) -> None:
        """Poll ``promql`` until it gives ``expected`` (a scrape after the last call is in)."""
        seen: list[Any] = []

        def matches() -> bool:
            seen[:] = [self.query(promql)]
            return seen[0] == expected

        try:
            _wait_for(matches, promql)
        except AssertionError:
            raise AssertionError(f"{promql}: {seen[0] if seen else None} != {expected}") from None

    def close(self) -> None:
        _stop(self.process)
        self._log.close()


def _make_calls(address: str, clients: int = 1) -> None:
    """The calls the counters are checked against (see the expectations below), spread over
    ``clients`` connections."""
    for _ in range(clients):
        with BridgeClient(address, timeout=TIMEOUT, options=OWN_CONNECTION) as client:
            for _ in range(10):
                event = client.event_from_json(GOOD)
            for bad in (BAD_TYPE, BAD_UTF8):
                with pytest.raises(bridge.ValidationError):
                    client.event_from_json(bad)
            for _ in range(3):
                client.event_to_json(event)
            results = list(client.stream_events_from_json([GOOD, AUDIO, MALFORMED, UNKNOWN_TYPE, GOOD], batch_size=2))
            assert [r.ok for r in results] == [True, True, False, True, True]
            drifted = realtime_pb2.ServerEvent.FromString(bridge.json_to_binary(DRIFTED))
            assert [r.ok for r in client.stream_events_to_json([event] * 3 + [drifted])] == [True] * 4


def _calls(clients: int) -> dict[tuple[tuple[str, str], ...], float]:
    return {
        (("code", "OK"), ("rpc", "EventFromJson")): 10.0 * clients,
        (("code", "INVALID_ARGUMENT"), ("rpc", "EventFromJson")): 2.0 * clients,
        (("code", "OK"), ("rpc", "EventToJson")): 3.0 * clients,
        (("code", "OK"), ("rpc", "StreamEventsFromJson")): 1.0 * clients,
        (("code", "OK"), ("rpc", "StreamEventsToJson")): 1.0 * clients,
    }


def _events(clients: int) -> dict[tuple[tuple[str, str], ...], float]:
    return {
        (("direction", "from_json"), ("type", "response.text.delta")): 12.0 * clients,
        (("direction", "from_json"), ("type", "response.audio.delta")): 1.0 * clients,
        (("direction", "from_json"), ("type", "other")): 1.0 * clients,  # the made-up type
        (("direction", "to_json"), ("type", "response.text.delta")): 7.0 * clients,
    }


def _drift(clients: int) -> dict[tuple[tuple[str, str], ...], float]:
    return {
        (("direction", "from_json"), ("type", "other")): 1.0 * clients,  # a type of no class is drift
        (("direction", "to_json"), ("type", "response.text.delta")): 1.0 * clients,  # the unknown key
    }


def _violations(clients: int) -> dict[tuple[tuple[str, str], ...], float]:
    return {
        (("kind", "type"),): 1.0 * clients,
        (("kind", "invalid_text"),): 1.0 * clients,
        (("kind", "malformed"),): 1.0 * clients,
    }


@pytest.fixture
def bridges(tmp_path: pathlib.Path) -> Iterator[dict[str, Bridge]]:
    started: dict[str, Bridge] = {}
    try:
        started["single"] = Bridge(tmp_path, "single")
        started["workers"] = Bridge(tmp_path, "workers", "--workers", "2")
        yield started
    finally:
        for server in started.values():
            server.close()


def test_prometheus_scrapes_call_counters_equal_to_the_calls_made(
    tmp_path: pathlib.Path, bridges: dict[str, Bridge]
) -> None:
    prometheus = Prometheus(tmp_path / "prometheus", {job: f"127.0.0.1:{b.metrics_port}" for job, b in bridges.items()})
    try:
        _make_calls(bridges["single"].address)
        _make_calls(bridges["workers"].address, clients=4)  # connections the kernel deals to both workers
        bridge_rpcs = 'rpc!~"grpc.*"'  # the calls made here, not the health checks
        for job, clients in (("single", 1), ("workers", 4)):
            prometheus.wait_for(f'sum by (rpc, code) (rtbridge_calls_total{{job="{job}",{bridge_rpcs}}})', _calls(clients))
            prometheus.wait_for(f'sum by (direction, type) (rtbridge_events_total{{job="{job}"}})', _events(clients))
            prometheus.wait_for(f'sum by (kind) (rtbridge_violations_total{{job="{job}"}})', _violations(clients))
            prometheus.wait_for(f'sum by (direction, type) (rtbridge_event_drift_total{{job="{job}"}})', _drift(clients))
            prometheus.wait_for(
                f'sum by (rpc) (rtbridge_call_duration_seconds_count{{job="{job}",{bridge_rpcs}}})',
                {(("rpc", "EventFromJson"),): 12.0 * clients, (("rpc", "EventToJson"),): 3.0 * clients,
                 (("rpc", "StreamEventsFromJson"),): 1.0 * clients, (("rpc", "StreamEventsToJson"),): 1.0 * clients},
            )
            received = prometheus.query(f'rtbridge_received_bytes_total{{job="{job}",rpc="EventFromJson"}}')
            expected = clients * (10 * (len(GOOD) + 2) + len(BAD_TYPE) + 2 + len(BAD_UTF8) + 2)  # tag and length each
            assert sum(received.values()) == expected
        # The workers' sum comes from both of them (the kernel spread the 4 connections).
        per_worker = bridges["workers"].log_path.read_text().count("listening on")
        assert per_worker == 2

        # Streams in flight, while they are.
        items: queue.Queue[bytes | None] = queue.Queue()

        def feed() -> Iterator[bytes]:
            for _ in range(1000):
                item = items.get(timeout=TIMEOUT)
                if item is None:
                    return
                yield item

        with BridgeClient(bridges["single"].address, options=OWN_CONNECTION) as client:
            results = client.stream_events_from_json(feed(), timeout=TIMEOUT)
            items.put(GOOD)
            assert next(results).ok
            in_flight = 'sum(rtbridge_streams_in_flight{job="single",rpc="StreamEventsFromJson"})'
            prometheus.wait_for(in_flight, {(): 1.0})
            items.put(None)
            assert list(results) == []
            prometheus.wait_for(in_flight, {(): 0.0})
    finally:
        prometheus.close()


def test_label_values_are_a_closed_set() -> None:
    # A violation's kind is named where it is found; the metric counts by it, the closed set of
    # bridge.errors.ViolationKind.
    assert metrics.VIOLATION_KINDS is bridge.errors.VIOLATION_KINDS
    # Every bad input the library reports has a kind of the set; every event type is named or 'other'.
    for bad, kind in ((BAD_TYPE, "type"), (BAD_UTF8, "invalid_text"), (MALFORMED, "malformed"),
                      (b"[" * 300, "too_deep"), (b'{"type":"x"', "malformed"), (b"{}", "missing")):
        with pytest.raises(bridge.ValidationError) as caught:
            bridge.json_to_binary(bad, strict=True)
        assert {violation.kind for violation in caught.value.violations} == {kind}, bad
    assert metrics.event_type(bridge.json_to_binary(AUDIO)) == "response.audio.delta"
    assert metrics.event_type(bridge.json_to_binary(UNKNOWN_TYPE)) == "other"
    assert metrics._type_of_json(bridge.binary_to_json(bridge.json_to_binary(GOOD))) == "response.text.delta"
    assert metrics._type_of_json(b'{"type":"a\\"b"}') == "other"


def test_a_port_in_use_for_metrics_is_a_one_line_startup_error() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run(
            [sys.executable, "-m", "bridge.server", "--port", "0", "--metrics-port", str(port)],
            cwd=REPO, capture_output=True, text=True, timeout=TIMEOUT, stdin=subprocess.DEVNULL,
        )
    assert done.returncode == 1
    assert done.stderr.strip().splitlines()[-1] == f"rtbridge: error: cannot serve metrics on 127.0.0.1:{port}: Address already in use"
