"""The session relay under voice-rate sessions, against a direct client and a pass-through ceiling.

The load (issue 25): a voice-rate session sends 50 ``input_audio_buffer.append`` a second, each
20 ms of 24 kHz PCM16 (960 bytes), and receives 50 ``response.output_audio.delta`` (960 bytes of
PCM each) and 10 ``response.output_audio_transcript.delta`` a second. The upstream is
:mod:`benchmarks.relay_upstream`, a process of its own that plays that session on every connection
and stamps each event's ``event_id`` with ``time.monotonic_ns()`` as it sends it; the receiver reads
the clock again (CLOCK_MONOTONIC, one clock for every process on Linux): the event's one-way latency.

Three clients of the same upstream, each running the same number of concurrent sessions in this
process, one after the other in interleaved rounds (the order rotating from round to round):

- ``direct``: websockets straight to the upstream, JSON text (the baseline);
- ``relay``: ``rtbridge serve --upstream`` (``python -m bridge.server``, its own process, default
  relay options but ``--max-sessions``, ``--max-concurrent-streams`` to match and no idle timeout), with ``AsyncSessionClient`` on grpc.aio;
- ``ceiling``: :mod:`benchmarks.relay_ceiling` (its own process), the relay's pump in the same
  framework forwarding the frames' bytes unconverted (``benchmarks/plain_relay.proto``).

Each gRPC session has a channel (a connection) of its own, as independent callers would. A round
opens the sessions, lets them run ``warmup`` seconds, then takes every event *sent* during the next
``seconds`` (late ones included, up to :data:`_SETTLE` after the window), and closes them.

Figures, per number of sessions (the medians over the rounds):

- latency p50 and p99 over every event of every session of the round, for each client; the
  latency the relay adds is ``relay - direct`` (and the ceiling's ``ceiling - direct``), paired
  within a round;
- the server process's CPU (all its threads, ``/proc/PID/task/*/schedstat``) over the window, per
  session-second and per event: ``sessions per core`` is one over the CPU per session-second, and
  ``cpu-vs-ceiling`` the ceiling's CPU over the relay's in the same round (the relay's sessions per
  core as a share of the ceiling's; the issue's target is 0.85);
- ``delivered``: the events received over those sent in the window (below 1: the path fell behind).

And memory per idle session: the server's RSS (``/proc/PID/status`` VmRSS) with ``idle_sessions``
sessions open and silent, minus its RSS with none (after 20 were opened and closed: code paths
and pools a first session creates are not counted), over ``idle_sessions``; each with a connection of its
own, and all on one connection (HTTP/2 streams of one channel). RSS does not include the kernel's
socket buffers: it is the relay's memory "beyond the sockets' own buffers".

Run alone: ``python benchmarks/relay.py [--quick] [--out FILE]``; ``benchmarks/run.py`` runs it
as its ``relay`` section.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import contextlib
import json
import pathlib
import random
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from typing import Any

if __package__ in (None, ""):  # run as a script: import the benchmarks package, not its files
    sys.path[0] = str(pathlib.Path(__file__).resolve().parent.parent)

from benchmarks import timing  # noqa: E402

__all__ = ["KINDS", "MODES", "Settings", "lines", "measure", "recheck_settings"]

KINDS = ("direct", "relay", "ceiling")
#: The issue's targets (reported against, never asserted).
TARGETS = {"p50_added_s": 0.0005, "p99_added_s": 0.005, "sessions_per_core": 50, "cpu_vs_ceiling": 0.85, "idle_kib": 100}
_TICK = 0.020
_EVENTS_PER_SECOND = 60  # 50 audio + 10 transcript deltas
#: How long after the window a round still waits for events sent in it.
_SETTLE = 1.0
_CLOSE_TIMEOUT = 10.0
_OPEN_TIMEOUT = 60.0
_PERCENTILES = {"p50": 50.0, "p99": 99.0}
_APPEND = json.dumps(
    {"type": "input_audio_buffer.append", "audio": base64.b64encode(random.Random(26).randbytes(960)).decode()},
    separators=(",", ":"),
)
_STAMP = '"event_id":"ev_'
#: Idle sessions opened and closed before the memory baseline.
_IDLE_WARMUP = 20
_LOCAL_CONNECTION = (("grpc.use_local_subchannel_pool", 1),)


@dataclass(frozen=True)
class Settings:
    """Concurrent sessions per step, rounds per step, seconds of each round (measured, and before
    that warming up), and idle sessions for the memory figure (0: not measured)."""

    steps: tuple[int, ...]
    rounds: int
    seconds: float
    warmup: float
    idle_sessions: int


MODES = {
    # Two shared cores hold the three processes (upstream, server, client) at 50 voice-rate
    # sessions, not at 200: see docs/benchmarks.md.
    "full": Settings(steps=(1, 10, 25, 50), rounds=3, seconds=5.0, warmup=1.0, idle_sessions=1000),
    "quick": Settings(steps=(1, 10), rounds=2, seconds=2.0, warmup=0.5, idle_sessions=100),
}


def recheck_settings(settings: Settings) -> Settings:
    """What ``run.py --check`` measures again for a relay ratio: its step (the largest) alone."""
    return replace(settings, steps=settings.steps[-1:], idle_sessions=0)


def measure(settings: Settings, *, profile: pathlib.Path | None = None) -> dict[str, Any] | str:
    """The relay section's results, or why it was not measured. ``profile``: run the relay under
    cProfile, writing its statistics to this file when it stops."""
    import grpc

    try:
        return _measure(settings, profile)
    except (grpc.RpcError, RuntimeError, OSError, TimeoutError) as error:
        detail = error.details() if isinstance(error, grpc.aio.AioRpcError) else str(error)
        return f"failed ({type(error).__name__}: {detail})"


# ----------------------------------------------------------------------------------- the servers


def _server(kind: str, directory: pathlib.Path, url: str, max_sessions: int, profile: pathlib.Path | None = None) -> Any:
    """A new server process of ``kind`` (``relay`` or ``ceiling``) in front of the upstream ``url``."""
    from benchmarks.servers import HOST, ServerProcess

    python = sys.executable
    if kind == "ceiling":
        argv = [python, "-m", "benchmarks.relay_ceiling", "--upstream", url, "--host", HOST, "--port", "0",
                "--max-concurrent-streams", str(max_sessions)]
    else:
        key = directory / "key"
        key.write_text("sk-bench-relay\n")
        argv = [
            python, *(("-m", "cProfile", "-o", str(profile)) if profile else ()),
            "-m", "bridge.server", "--host", HOST, "--port", "0", "--grace", "1",
            "--upstream", url, "--upstream-key-file", str(key),
            "--max-sessions", str(max_sessions), "--session-idle-timeout", "0",
            # (the idle-memory run opens every session on one connection too: as many streams)
            "--max-concurrent-streams", str(max_sessions),
        ]
    logs = sorted(directory.glob(f"{kind}-*.log"))
    return ServerProcess(argv, directory / f"{kind}-{len(logs)}.log")


@contextlib.contextmanager
def _servers(directory: pathlib.Path, max_sessions: int, profile: pathlib.Path | None) -> Iterator[dict[str, Any]]:
    from benchmarks.servers import HOST, ServerProcess

    with contextlib.ExitStack() as stack:
        upstream = ServerProcess(
            [sys.executable, "-m", "benchmarks.relay_upstream", "--host", HOST, "--port", "0"], directory / "upstream.log"
        )
        stack.callback(upstream.close)
        url = f"ws://{upstream.address}/v1/realtime"
        relay = _server("relay", directory, url, max_sessions, profile)
        stack.callback(relay.close)
        ceiling = _server("ceiling", directory, url, max_sessions)
        stack.callback(ceiling.close)
        yield {"upstream": upstream, "relay": relay, "ceiling": ceiling, "url": url, "directory": directory}


def _rss(pid: int) -> int:
    """Resident memory of ``pid`` in bytes."""
    for line in pathlib.Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise RuntimeError(f"no VmRSS for process {pid}")


# ----------------------------------------------------------------------------------- the clients


class _Round:
    """What the sessions of one round record: the latency of each event sent in the window."""

    def __init__(self, start_ns: int, end_ns: int) -> None:
        self.start_ns, self.end_ns = start_ns, end_ns
        self.latencies: list[int] = []
        self.stop = asyncio.Event()

    def take(self, received_ns: int, stamp: int) -> None:
        if self.start_ns <= stamp < self.end_ns:
            self.latencies.append(received_ns - stamp)


def _stamp_of(text: str | bytes) -> int:
    """The send time an upstream frame's ``event_id`` carries (``ev_<ns>``)."""
    if isinstance(text, bytes):
        text = text.decode()
    start = text.index(_STAMP) + len(_STAMP)
    return int(text[start : text.index('"', start)])


async def _paced(send: Callable[[], Awaitable[None]], stop: asyncio.Event) -> None:
    """Call ``send`` every 20 ms (an absolute schedule from a random phase) until ``stop``."""
    loop = asyncio.get_running_loop()
    start, tick = loop.time() + random.random() * _TICK, 0
    while not stop.is_set():
        delay = start + tick * _TICK - loop.time()
        if delay > 0:
            await asyncio.sleep(delay)
        await send()
        tick += 1


async def _direct(url: str, rec: _Round, opened: asyncio.Event) -> None:
    from websockets.asyncio.client import connect

    async with connect(f"{url}?model=voice", compression=None, max_size=None, ping_interval=None) as ws:
        opened.set()
        sender = asyncio.create_task(_paced(lambda: ws.send(_APPEND, text=True), rec.stop))
        closer = asyncio.create_task(_after(rec.stop, sender, ws.close))
        async for message in ws:
            rec.take(time.monotonic_ns(), _stamp_of(message))
        await closer


async def _after(stop: asyncio.Event, sender: asyncio.Task[None], close: Callable[[], Awaitable[Any]]) -> None:
    await stop.wait()
    await sender
    await close()




async def _relay(address: str, rec: _Round, opened: asyncio.Event) -> None:
    import grpc

    import bridge
    from bridge.relay.client import AsyncSessionClient
    from bridge.v1.realtime_pb2 import ClientEvent

    append = ClientEvent.FromString(bridge.json_to_binary(_APPEND, kind="client_event"))
    async with grpc.aio.insecure_channel(address, options=_LOCAL_CONNECTION) as channel:
        session = AsyncSessionClient(channel, model="voice")
        async with session:
            opened.set()
            sender = asyncio.create_task(_paced(lambda: session.send(append), rec.stop))
            closer = asyncio.create_task(_after(rec.stop, sender, session.close))
            async for event in session:
                rec.take(time.monotonic_ns(), int(event.event_id[3:]))
            await closer


async def _ceiling(address: str, rec: _Round, opened: asyncio.Event) -> None:
    import grpc

    from benchmarks.relay_ceiling import METHOD, frame, frames

    request = frame(_APPEND.encode())
    async with grpc.aio.insecure_channel(address, options=_LOCAL_CONNECTION) as channel:
        call = channel.stream_stream(METHOD)(metadata=(("model", "voice"),))
        opened.set()
        sender = asyncio.create_task(_paced(lambda: call.write(request), rec.stop))
        closer = asyncio.create_task(_after(rec.stop, sender, call.done_writing))
        while (message := await call.read()) is not grpc.aio.EOF:
            now = time.monotonic_ns()
            for data in frames(message):
                rec.take(now, _stamp_of(data))
        await closer


_CLIENTS = {"direct": _direct, "relay": _relay, "ceiling": _ceiling}


async def _round(kind: str, target: str, sessions: int, settings: Settings, server: Any) -> dict[str, Any]:
    """``sessions`` sessions of ``kind`` for one round: latencies, the server's CPU, delivery."""
    warmup_ns, window_ns = int(settings.warmup * 1e9), int(settings.seconds * 1e9)
    opened = [asyncio.Event() for _ in range(sessions)]
    rec = _Round(0, 0)
    tasks = [asyncio.create_task(_CLIENTS[kind](target, rec, event)) for event in opened]
    try:
        await asyncio.wait_for(asyncio.gather(*(event.wait() for event in opened)), _OPEN_TIMEOUT)
    except TimeoutError:
        failed = [task.exception() for task in tasks if task.done() and task.exception()]
        raise RuntimeError(f"{kind}: the sessions did not open: {failed[:1] or 'timeout'}") from None
    rec.start_ns = time.monotonic_ns() + warmup_ns
    rec.end_ns = rec.start_ns + window_ns
    await asyncio.sleep(settings.warmup)
    cpu_start = server.cpu_seconds() if server is not None else None
    await asyncio.sleep(settings.seconds)
    cpu = server.cpu_seconds() - cpu_start if server is not None and cpu_start is not None else None
    await asyncio.sleep(_SETTLE)
    rec.stop.set()
    done, pending = await asyncio.wait(tasks, timeout=_CLOSE_TIMEOUT)
    for task in pending:
        task.cancel()
    errors = [task.exception() for task in done if task.exception() is not None]
    if errors:
        raise RuntimeError(f"{kind}: {len(errors)} session(s) failed: {errors[0]!r}")
    sent = sessions * _EVENTS_PER_SECOND * settings.seconds
    result: dict[str, Any] = {**_percentiles(rec.latencies), "events": len(rec.latencies), "delivered": len(rec.latencies) / sent}
    if cpu is not None:
        result["cpu_per_session_s"] = cpu / (sessions * settings.seconds)
        result["cpu_per_event_s"] = cpu / max(1, len(rec.latencies))
    return result


def _percentiles(latencies_ns: list[int]) -> dict[str, float]:
    """Nearest-rank percentiles, in seconds."""
    if not latencies_ns:
        raise RuntimeError("no event arrived in the window")
    ordered = sorted(latencies_ns)
    last = len(ordered) - 1
    return {key: ordered[min(last, max(0, round(q / 100 * len(ordered)) - 1))] / 1e9 for key, q in _PERCENTILES.items()}


async def _idle(kind: str, target: str, sessions: int, shared: bool) -> Callable[[], Awaitable[None]]:
    """Open ``sessions`` silent sessions of ``kind`` (``relay`` or ``ceiling``); return what closes them."""
    import grpc

    from benchmarks.relay_ceiling import METHOD
    from bridge.relay.client import AsyncSessionClient

    channels = [grpc.aio.insecure_channel(target, options=_LOCAL_CONNECTION) for _ in range(1 if shared else sessions)]
    calls: list[Any] = []
    readers = []
    for index in range(sessions):
        channel = channels[index % len(channels)]
        if kind == "relay":
            session = AsyncSessionClient(channel, model="idle")
            await asyncio.wait_for(session.open(), _OPEN_TIMEOUT)  # (a stream the server holds back fails here)
            readers.append(asyncio.create_task(_drain_session(session)))
            calls.append(session)
        else:
            call = channel.stream_stream(METHOD)(metadata=(("model", "idle"),))
            await asyncio.wait_for(call.wait_for_connection(), _OPEN_TIMEOUT)
            calls.append(call)
    if kind == "relay":  # every session has its upstream open once it says connected
        deadline = time.monotonic() + _OPEN_TIMEOUT
        while any(session.connected is None for session in calls):
            if time.monotonic() > deadline:
                raise RuntimeError("relay: idle sessions did not connect")
            await asyncio.sleep(0.05)
    else:
        await asyncio.sleep(1.0)  # the ceiling opens its upstream once the call reaches it

    async def close() -> None:
        for call in calls:
            call.cancel()
        await asyncio.gather(*readers, return_exceptions=True)
        for channel in channels:
            await channel.close()

    return close


async def _drain_session(session: Any) -> None:
    async for _event in session:
        pass


async def _idle_memory(kind: str, server: Any, sessions: int, shared: bool) -> dict[str, Any]:
    """RSS with ``sessions`` idle sessions open over RSS before (after :data:`_IDLE_WARMUP` were
    opened and closed: code paths, pools), and after they closed (what the process keeps)."""
    warm = await _idle(kind, server.address, min(_IDLE_WARMUP, sessions), shared)
    await warm()
    await asyncio.sleep(1.0)
    before = _rss(server.pid)
    close = await _idle(kind, server.address, sessions, shared)
    await asyncio.sleep(1.0)
    during = _rss(server.pid)
    await close()
    await asyncio.sleep(1.0)
    return {
        "sessions": sessions, "rss_before": before, "rss_open": during, "rss_closed": _rss(server.pid),
        "kib_per_session": (during - before) / sessions / 1024,
    }


# ----------------------------------------------------------------------------------- measuring


def _rotated(kinds: Sequence[str], index: int) -> list[str]:
    shift = index % len(kinds)
    return [*kinds[shift:], *kinds[:shift]]


def _measure(settings: Settings, profile: pathlib.Path | None) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="rtbridge-relay-bench-") as directory, _servers(
        pathlib.Path(directory), max(max(settings.steps), settings.idle_sessions) + 10, profile
    ) as servers:
        targets = {"direct": servers["url"], "relay": servers["relay"].address, "ceiling": servers["ceiling"].address}
        processes = {"direct": None, "relay": servers["relay"], "ceiling": servers["ceiling"]}
        steps, memory = asyncio.run(_measure_all(settings, targets, processes, servers))
    largest = steps[str(settings.steps[-1])]
    return {
        "path": "relay",
        "case": "voice",
        "settings": {
            "steps": list(settings.steps), "rounds": settings.rounds, "seconds": settings.seconds,
            "warmup": settings.warmup, "idle_sessions": settings.idle_sessions,
        },
        "steps": steps,
        "memory": memory,
        "sessions_per_core": _sessions_per_core(steps),
        # The floors' ratios (benchmarks/floors.py), from the largest step: the most stable CPU figure.
        "ratios": {"cpu-vs-ceiling": largest["cpu_vs_ceiling"]},
    }


async def _measure_all(
    settings: Settings, targets: dict[str, str], processes: dict[str, Any], servers: dict[str, Any]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Every step's interleaved rounds, then the idle memory (one event loop for all: grpc.aio's)."""
    steps = {}
    for sessions in settings.steps:
        rounds: dict[str, list[dict[str, Any]]] = {kind: [] for kind in KINDS}
        for index in range(settings.rounds):
            for kind in _rotated(KINDS, index):
                rounds[kind].append(await _round(kind, targets[kind], sessions, settings, processes[kind]))
        steps[str(sessions)] = _step(rounds)
    memory = {}
    if settings.idle_sessions:
        # Each figure from a new server process: one that served sessions before keeps the memory
        # its allocator grew to (glibc does not give it back), which the next sessions reuse.
        for kind in ("relay", "ceiling"):
            for shared in (False, True):
                name = f"{kind}-{'shared' if shared else 'own'}-connection"
                server = _server(kind, servers["directory"], servers["url"], settings.idle_sessions + 10 + _IDLE_WARMUP)
                try:
                    memory[name] = await _idle_memory(kind, server, settings.idle_sessions, shared)
                finally:
                    server.close()
    return steps, memory


def _step(rounds: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    med = timing.median
    out: dict[str, Any] = {
        kind: {key: med([r[key] for r in rounds[kind]]) for key in rounds[kind][0]} for kind in KINDS
    }
    for kind in ("relay", "ceiling"):
        out[f"{kind}_added"] = {
            key: med([r[key] - d[key] for r, d in zip(rounds[kind], rounds["direct"], strict=True)]) for key in _PERCENTILES
        }
    out["cpu_vs_ceiling"] = med(
        [c["cpu_per_session_s"] / r["cpu_per_session_s"] for r, c in zip(rounds["relay"], rounds["ceiling"], strict=True)]
    )
    out["rounds"] = rounds
    return out


def _sessions_per_core(steps: dict[str, Any]) -> dict[str, Any]:
    """Sessions per core (one over CPU per session-second) at the largest step whose added p99
    held the target (else the largest step), for the relay and the ceiling."""
    held = [n for n, s in steps.items() if s["relay_added"]["p99"] <= TARGETS["p99_added_s"]]
    at = max(held or steps, key=int)
    step = steps[at]
    return {
        "at_sessions": int(at),
        "p99_target_held": bool(held),
        "relay": 1 / step["relay"]["cpu_per_session_s"],
        "ceiling": 1 / step["ceiling"]["cpu_per_session_s"],
        "ratio": step["cpu_vs_ceiling"],
    }


# ----------------------------------------------------------------------------------- reporting


def _ms(seconds: float) -> str:
    return f"{seconds * 1e3:.2f} ms"


def _signed_ms(seconds: float) -> str:
    return f"{seconds * 1e3:+.2f} ms"


def lines(measured: dict[str, Any]) -> list[str]:
    """The relay section as Markdown lines."""
    s = measured["settings"]
    out = [
        "The session relay, voice-rate sessions (50 appends/s in; 50 audio + 10 transcript deltas/s out) from "
        "`benchmarks/relay_upstream.py`: a direct websockets client, the relay (`rtbridge serve --upstream`, "
        "`AsyncSessionClient`) and the pass-through ceiling (`benchmarks/relay_ceiling.py`), each server in its own "
        f"process; {s['rounds']} interleaved rounds of {s['seconds']:g} s per step; one-way latency upstream → client:",
        "",
        "| sessions | p50 direct | p50 added: relay | ceiling | p99 direct | p99 added: relay | ceiling | "
        "CPU/session-s relay | ceiling | sessions/core relay | ceiling | ceiling / relay CPU | delivered relay |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for n, step in measured["steps"].items():
        d, ra, ca = step["direct"], step["relay_added"], step["ceiling_added"]
        out.append(
            f"| {n} | {_ms(d['p50'])} | {_signed_ms(ra['p50'])} | {_signed_ms(ca['p50'])} | {_ms(d['p99'])} | "
            f"{_signed_ms(ra['p99'])} | {_signed_ms(ca['p99'])} | {_ms(step['relay']['cpu_per_session_s'])} | "
            f"{_ms(step['ceiling']['cpu_per_session_s'])} | {1 / step['relay']['cpu_per_session_s']:.0f} | "
            f"{1 / step['ceiling']['cpu_per_session_s']:.0f} | {step['cpu_vs_ceiling']:.3g}× | {step['relay']['delivered']:.3f} |"
        )
    per_core = measured["sessions_per_core"]
    out += [
        "",
        f"Sessions per core (at {per_core['at_sessions']} sessions"
        + ("" if per_core["p99_target_held"] else ", where the p99 target did not hold")
        + f"): relay {per_core['relay']:.0f}, ceiling {per_core['ceiling']:.0f}, relay / ceiling {per_core['ratio']:.3g}×.",
    ]
    for name, m in measured.get("memory", {}).items():
        out.append(
            f"Idle memory, {name}: {m['kib_per_session']:.1f} KiB per session "
            f"(RSS {m['rss_before'] / 2**20:.1f} → {m['rss_open'] / 2**20:.1f} MiB with {m['sessions']} idle sessions, "
            f"{m['rss_closed'] / 2**20:.1f} MiB once they closed)."
        )
    return out


def main(argv: Iterable[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer, shorter rounds and fewer sessions")
    parser.add_argument("--steps", help="comma-separated numbers of concurrent sessions (default: the mode's)")
    parser.add_argument("--idle", type=int, help="idle sessions of the memory figure (0: skip it)")
    parser.add_argument("--out", type=pathlib.Path, help="write the results as JSON to this file")
    parser.add_argument("--profile-relay", type=pathlib.Path, metavar="FILE", help="run the relay under cProfile, its stats to FILE")
    args = parser.parse_args(None if argv is None else list(argv))
    settings = MODES["quick" if args.quick else "full"]
    if args.steps:
        settings = replace(settings, steps=tuple(int(n) for n in args.steps.split(",")))
    if args.idle is not None:
        settings = replace(settings, idle_sessions=args.idle)
    measured = measure(settings, profile=args.profile_relay)
    if isinstance(measured, str):
        print(f"relay: {measured}", file=sys.stderr)
        return 1
    print("\n".join(lines(measured)))
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(measured, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
