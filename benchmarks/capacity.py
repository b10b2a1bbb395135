"""Capacity: events a bridge replica converts per second of CPU, for a typical voice-session mix.

A voice session carries on the order of 100 events a second each way, most of them audio:
``response.audio.delta`` (server → client, ~16 KiB of base64) and
``input_audio_buffer.append`` (client → server, the same size), with text and transcript deltas
and a ``response.created`` / ``response.done`` per turn. This script starts one ``rtbridge serve``
process (one Python process converts on one core), sends it that mix from client threads in this
process over several concurrent streams, both directions (``StreamEventsFromJson`` with the JSON,
``StreamEventsToJson`` with the converted events), and divides the events converted by the CPU
time the *server* process used (``/proc/<pid>/stat``): events per core-second, independent of how
busy the client (same machine) keeps the cores.

    .venv/bin/python benchmarks/capacity.py                  # one event per message (a live session)
    .venv/bin/python benchmarks/capacity.py --batch-size 20  # batched
    .venv/bin/python benchmarks/capacity.py --json out.json

Sessions per replica = events per core-second / 200 (100 each way), at 100% of one core; plan on
the HPA's 70% target.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import pathlib
import random
import re
import subprocess
import sys
import threading
import time
from collections.abc import Iterator

REPO = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bridge.client import BridgeClient  # noqa: E402
from bridge.v1 import realtime_pb2  # noqa: E402

EXAMPLES = REPO / "tests" / "data" / "examples"
#: Per 100 events of one direction (see the module docstring).
MIX = {
    "audio delta (16 KiB base64)": 45,
    "input_audio_buffer.append (16 KiB base64)": 45,
    "text/transcript delta": 8,
    "response.created": 1,
    "response.done": 1,
}
_TICKS = os.sysconf("SC_CLK_TCK")


def _session_events(count: int, seed: int = 17) -> list[bytes]:
    rng = random.Random(seed)
    audio = base64.b64encode(rng.randbytes(12 * 1024)).decode()  # 16 KiB of base64
    created = json.loads((EXAMPLES / "05_beta_wire_response_created.json").read_text())
    done = json.loads((EXAMPLES / "06_beta_wire_response_done_completed_audio.json").read_text())
    kinds = [kind for kind, n in MIX.items() for _ in range(n)]
    events = []
    for i in range(count):
        kind = kinds[i % len(kinds)]
        if kind.startswith("audio delta"):
            event = {"type": "response.audio.delta", "event_id": f"event_{i}", "response_id": "resp_1",
                     "item_id": "item_1", "output_index": 0, "content_index": 0, "delta": audio}
        elif kind.startswith("input_audio"):
            event = {"type": "input_audio_buffer.append", "event_id": f"event_{i}", "audio": audio}
        elif kind.startswith("text"):
            event = {"type": "response.audio_transcript.delta", "event_id": f"event_{i}", "response_id": "resp_1",
                     "item_id": "item_1", "output_index": 0, "content_index": 0, "delta": "Hello, how can I help"}
        elif kind == "response.created":
            event = created
        else:
            event = done
        events.append(json.dumps(event, separators=(",", ":")).encode())
    return events


def _cpu_seconds(pid: int) -> float:
    fields = pathlib.Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / _TICKS  # utime + stime


def measure(*, streams: int, events_per_stream: int, batch_size: int) -> dict[str, object]:
    server = subprocess.Popen(
        [sys.executable, "-m", "bridge.server", "--port", "0"],
        cwd=REPO, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )
    try:
        address = None
        deadline = time.monotonic() + 60
        assert server.stderr is not None
        for line in server.stderr:
            found = re.search(r"listening on (\S+)", line)
            if found:
                address = found.group(1)
                break
            if time.monotonic() > deadline:
                raise RuntimeError("the server did not start")
        assert address, "the server did not start"
        threading.Thread(target=server.stderr.read, daemon=True).start()  # keep its pipe drained

        json_events = _session_events(events_per_stream)
        with BridgeClient(address) as client:
            proto_events = [r.value for r in client.stream_events_from_json(json_events, batch_size=50)]
        binary_bytes = sum(e.ByteSize() for e in proto_events)
        json_bytes = sum(map(len, json_events))
        assert all(isinstance(e, realtime_pb2.ServerEvent) for e in proto_events)

        counts = [0] * (2 * streams)

        def run(index: int) -> None:
            own = [("grpc.use_local_subchannel_pool", 1)]
            with BridgeClient(address, options=own) as client:
                if index % 2 == 0:
                    results: Iterator[object] = client.stream_events_from_json(json_events, batch_size=batch_size)
                else:
                    results = client.stream_events_to_json(proto_events, batch_size=batch_size)
                for result in results:
                    assert result.ok  # type: ignore[attr-defined]
                    counts[index] += 1

        threads = [threading.Thread(target=run, args=(i,)) for i in range(2 * streams)]
        cpu_before, wall_before = _cpu_seconds(server.pid), time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        cpu = _cpu_seconds(server.pid) - cpu_before
        wall = time.perf_counter() - wall_before
    finally:
        server.kill()
        server.wait(30)
    converted = sum(counts)
    per_core = converted / cpu
    return {
        "mix_per_100_events": MIX,
        "streams_each_way": streams,
        "events_per_stream": events_per_stream,
        "batch_size": batch_size,
        "events_converted": converted,
        "json_mib_per_direction_and_stream": round(json_bytes / 2**20, 2),
        "binary_mib_per_direction_and_stream": round(binary_bytes / 2**20, 2),
        "server_cpu_seconds": round(cpu, 2),
        "wall_seconds": round(wall, 2),
        "events_per_core_second": round(per_core),
        "mib_per_core_second": round((json_bytes + binary_bytes) * 2 * streams / 2**20 / cpu, 1),
        "voice_sessions_per_core_at_100_percent": int(per_core / 200),
        "voice_sessions_per_core_at_70_percent": int(0.7 * per_core / 200),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--streams", type=int, default=4, help="concurrent streams each way (default: %(default)s)")
    parser.add_argument("--events", type=int, default=2000, help="events per stream (default: %(default)s)")
    parser.add_argument("--batch-size", type=int, default=1, help="events per stream message (default: %(default)s)")
    parser.add_argument("--json", type=pathlib.Path, help="also write the figures here")
    args = parser.parse_args()
    figures = measure(streams=args.streams, events_per_stream=args.events, batch_size=args.batch_size)
    text = json.dumps(figures, indent=2)
    print(text)
    if args.json:
        args.json.write_text(text + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
