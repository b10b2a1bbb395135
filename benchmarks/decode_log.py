"""Issue 27's ``rtbridge decode`` of a session log, outside the benchmark suite: the MB/s of
:func:`bridge.batch.jsonl_to_delimited` and :func:`bridge.batch.delimited_to_jsonl` with
``kind="session"`` (what ``rtbridge decode`` and ``rtbridge encode`` run by default) on two logs,
each against peers timed in the same rounds on the same bytes:

- ``small_events``: the small-event log of the memory scenario (``corpus.event_log_line``:
  transcript deltas, a ``response.created`` and a ``response.done`` every 40 lines), plain events;
- ``voice``: a voice session as ``rtbridge serve --upstream --record`` writes it, every line a
  session envelope with ``received_unix_nano``: mostly ``response.output_audio.delta`` and
  ``input_audio_buffer.append`` carrying 20 ms of 24 kHz PCM16 (960 bytes, 1,280 base64
  characters), a transcript delta now and then, a ``response.done`` every 50 lines.

``decode_jobs`` is ``rtbridge decode --jobs 2`` against ``--jobs 1``: ``jobs=2`` against ``jobs=1``
on the log's lines repeated to :data:`JOBS_BYTES` in a file, written to ``/dev/null`` (the
conversion, not the disk), timed in a fresh process as small as ``rtbridge``'s (workers are forks:
their start costs about 10 ms for every 100 MB the forked process holds, and the benchmark's
process holds its corpus). Its ratio is how many times faster two processes are than one.
``encode_jobs`` is the same for ``rtbridge encode`` (the log's frames repeated to
:data:`ENCODE_JOBS_BYTES`).

The peers: ``orjson`` is the bare loop ``for line in lines: orjson.loads(line)`` over the log's
JSON lines (what parsing the log costs, no conversion); ``json_to_binary`` / ``binary_to_json``
convert the events the lines hold (the envelope's ``event``), one call each, with nothing around
them: the conversion's share of a run. A ratio is the median, over interleaved rounds, of the
peer's time over the run's in the same round (above 1 the run is faster), as ``benchmarks/run.py``
computes them; every contender is timed in the same rounds, the order rotating. ``benchmarks/run.py``
measures both logs with the memory scenario (shorter logs in ``--quick``); on its own::

    python -m benchmarks.decode_log [ROUNDS] [SMALL_EVENTS] [VOICE_EVENTS]
"""

from __future__ import annotations

import base64
import dataclasses
import io
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from collections.abc import Callable
from typing import Any

import orjson

from benchmarks import timing
from benchmarks.corpus import SEED, _append, _delta, _done, _dump, _pcm16, _words, event_log_line
from bridge import batch, binary_to_json, json_to_binary
from bridge.session import session_envelope

__all__ = ["LOGS", "PATHS", "measure", "small_events_log", "voice_log"]

#: The paths of the scenarios :func:`measure` returns (``benchmarks/run.py`` keys its ratios
#: ``decode_log/<log>/<peer>``, ``encode_log/<log>/<peer>``, ``decode_jobs/<log>/one_process``,
#: ``encode_jobs/<log>/one_process``).
PATHS = ("decode_log", "encode_log", "decode_jobs", "encode_jobs")
#: The size of the file ``decode_jobs`` converts: 48 of the chunks workers take (192 MiB).
JOBS_BYTES = 48 * batch._CHUNK_BYTES
#: The size of the file ``encode_jobs`` converts (encoding is slower: fewer chunks, 96 MiB).
ENCODE_JOBS_BYTES = 24 * batch._CHUNK_BYTES
_ROOT = Path(__file__).resolve().parent.parent

#: Raw PCM16 bytes of 20 ms of 24 kHz mono audio: one voice frame.
VOICE_FRAME_BYTES = 960
#: Distinct audio frames a voice log cycles through (building PCM costs more than the log is worth).
_FRAMES = 16
_START_NANO = 1_733_590_000_000_000_000
_DEFAULT_SETTINGS = timing.Settings(rounds=9, sample_seconds=0.3, warmup_seconds=0.5)


def small_events_log(events: int) -> list[bytes]:
    """The lines (with their line endings) of the small-event log: ``corpus.event_log_line``."""
    rng = random.Random(SEED)
    return [event_log_line(rng, index) + b"\n" for index in range(events)]


def voice_log(events: int) -> list[bytes]:
    """The lines of a recorded voice session: envelopes of audio deltas (server) and appends
    (client) of 20 ms each, 20 ms apart, a transcript delta every 10 lines, a ``response.done``
    every 50."""
    rng = random.Random(SEED)
    frames = [_pcm16(rng, VOICE_FRAME_BYTES) for _ in range(_FRAMES)]
    audio = [base64.b64encode(frame).decode() for frame in frames]
    lines = []
    for index in range(events):
        if index % 50 == 49:
            event, direction = _done(rng, 2, 120), "server"
        elif index % 10 == 9:
            event, direction = _delta(rng, "response.output_audio_transcript.delta", _words(rng, 4)), "server"
        elif index % 2:
            event, direction = _append(rng, 0), "client"
            event["audio"] = audio[index % _FRAMES]
        else:
            event, direction = _delta(rng, "response.output_audio.delta", audio[index % _FRAMES]), "server"
        received = _START_NANO + index * 20_000_000 + rng.randrange(1_000_000)
        lines.append(session_envelope(_dump(event), direction, received) + b"\n")  # type: ignore[arg-type]
    return lines


#: The logs measured, by case name, with their default length in events.
LOGS: dict[str, tuple[Callable[[int], list[bytes]], int]] = {
    "small_events": (small_events_log, 40_000),
    "voice": (voice_log, 8_000),
}


def _events_of(lines: list[bytes]) -> list[tuple[bytes, str]]:
    """The event each line holds (an envelope's ``event``, else the line) and its converter kind."""
    out = []
    for line in lines:
        obj = orjson.loads(line)
        if "event" in obj and "direction" in obj:
            out.append((orjson.dumps(obj["event"]), "client_event" if obj["direction"] == "client" else "event"))
        else:
            kind = "client_event" if obj["type"] == "input_audio_buffer.append" else "event"
            out.append((line.rstrip(b"\n"), kind))
    return out


def measure(case: str, lines: list[bytes], settings: timing.Settings = _DEFAULT_SETTINGS) -> list[dict[str, Any]]:
    """Both directions of one log, every contender in the same rounds: two scenarios in the form
    ``benchmarks/run.py``'s ``_scenario`` takes (``decode_log``: JSON Lines -> frames, ``encode_log``:
    frames -> JSON Lines)."""
    text = b"".join(lines)
    frames = io.BytesIO()
    stats = batch.jsonl_to_delimited(io.BytesIO(text), frames, kind="session")
    assert stats.converted == len(lines) and not stats.rejected, stats
    binary = frames.getvalue()
    back = io.BytesIO()
    batch.delimited_to_jsonl(io.BytesIO(binary), back, kind="session")
    json_lines = back.getvalue().splitlines()
    events = _events_of(lines)
    protobuf = [(json_to_binary(event, kind=kind), kind) for event, kind in events]

    def decode_log() -> None:
        batch.jsonl_to_delimited(io.BytesIO(text), io.BytesIO(), kind="session")


    def encode_log() -> None:
        batch.delimited_to_jsonl(io.BytesIO(binary), io.BytesIO(), kind="session")

    def orjson_loop() -> None:
        loads = orjson.loads
        for line in lines:
            loads(line)

    def orjson_written() -> None:
        loads = orjson.loads
        for line in json_lines:
            loads(line)

    def to_binary() -> None:
        for event, kind in events:
            json_to_binary(event, kind=kind)  # type: ignore[arg-type]

    def to_json() -> None:
        for event, kind in protobuf:
            binary_to_json(event, kind=kind)  # type: ignore[arg-type]

    ops = {"decode_log": decode_log, "encode_log": encode_log, "orjson": orjson_loop, "orjson_written": orjson_written,
           "json_to_binary": to_binary, "binary_to_json": to_json}
    samples = timing.measure(ops, settings)
    copies = -(-JOBS_BYTES // len(text))
    frame_copies = -(-ENCODE_JOBS_BYTES // len(binary))
    jobs = {"decode": _jobs_samples("decode", text * copies, settings), "encode": _jobs_samples("encode", binary * frame_copies, settings)}
    read_bytes, written_bytes = len(text), len(back.getvalue())
    return [
        _pieces("decode_log", "JSON Lines session log → delimited SessionRecords (rtbridge decode)", case,
                {"decode_log": samples["decode_log"], "orjson": samples["orjson"], "json_to_binary": samples["json_to_binary"]},
                len(lines), read_bytes),
        _pieces("encode_log", "delimited SessionRecords → JSON Lines session log (rtbridge encode)", case,
                {"encode_log": samples["encode_log"], "orjson": samples["orjson_written"], "binary_to_json": samples["binary_to_json"]},
                len(lines), written_bytes),
        _pieces("decode_jobs", "rtbridge decode --jobs 2 against --jobs 1 (a file, to /dev/null)", case,
                jobs["decode"], len(lines) * copies, read_bytes * copies),
        _pieces("encode_jobs", "rtbridge encode --jobs 2 against --jobs 1 (a file, to /dev/null)", case,
                jobs["encode"], len(lines) * frame_copies, written_bytes * frame_copies),
    ]


def _jobs_samples(command: str, data: bytes, settings: timing.Settings) -> dict[str, list[float]]:
    """``decode_jobs`` or ``encode_jobs``' samples of ``data`` in a file, timed by a fresh process."""
    with tempfile.NamedTemporaryFile() as log_file:
        log_file.write(data)
        log_file.flush()
        timed = [sys.executable, "-m", "benchmarks.decode_log", "jobs", command, log_file.name, *map(str, dataclasses.astuple(settings))]
        samples: dict[str, list[float]] = json.loads(subprocess.run(timed, capture_output=True, check=True, cwd=_ROOT).stdout)
    return samples


def _pieces(path: str, title: str, case: str, samples: dict[str, list[float]], records: int, json_bytes: int) -> dict[str, Any]:
    """A scenario's pieces: the subject first in ``samples``; every contender counted in the log's
    records and JSON bytes (the bytes read, or written)."""
    return {
        "path": path,
        "title": title,
        "case": case,
        "subject": next(iter(samples)),
        "samples": samples,
        "messages": dict.fromkeys(samples, records),
        "json_bytes": dict.fromkeys(samples, json_bytes),
    }


def _report(pieces: dict[str, Any]) -> str:
    subject = pieces["subject"]
    base = pieces["samples"][subject]
    out = []
    for name, values in pieces["samples"].items():
        rate = pieces["json_bytes"][name] / statistics.median(values) / 1e6
        line = f"{pieces['path']}/{pieces['case']:13s} {name:15s} {rate:7.1f} MB/s"
        if name != subject:
            ratios = [p / s for p, s in zip(values, base, strict=True)]
            line += f"   ratio {statistics.median(ratios):.3f} ({min(ratios):.3f}-{max(ratios):.3f})"
        out.append(line)
    return "\n".join(out)


def _time_jobs(command: str, path: str, settings: timing.Settings) -> dict[str, list[float]]:
    """``decode_jobs`` or ``encode_jobs``' samples, timed in this process (``python -m
    benchmarks.decode_log jobs decode|encode PATH ...``)."""
    convert = batch.jsonl_to_delimited if command == "decode" else batch.delimited_to_jsonl

    def run(jobs: int) -> Callable[[], None]:
        def once() -> None:
            with open(path, "rb") as src, open(os.devnull, "wb") as dst:
                convert(src, dst, kind="session", jobs=jobs)

        return once

    return timing.measure({"jobs": run(2), "one_process": run(1)}, settings)


def main(rounds: int = 9, small: int = LOGS["small_events"][1], voice: int = LOGS["voice"][1]) -> None:
    settings = timing.Settings(rounds=rounds, sample_seconds=_DEFAULT_SETTINGS.sample_seconds,
                               warmup_seconds=_DEFAULT_SETTINGS.warmup_seconds)
    for case, events in (("small_events", small), ("voice", voice)):
        lines = LOGS[case][0](events)
        print(f"{case}: {events} events, {sum(map(len, lines)) / 1e6:.1f} MB", flush=True)
        for pieces in measure(case, lines, settings):
            print(_report(pieces), flush=True)


if __name__ == "__main__":
    if sys.argv[1:2] == ["jobs"]:  # (what measure runs)
        rounds, sample_seconds, warmup_seconds = sys.argv[4:7]
        print(json.dumps(_time_jobs(sys.argv[2], sys.argv[3], timing.Settings(int(rounds), float(sample_seconds), float(warmup_seconds)))))
    else:
        main(*(int(argument) for argument in sys.argv[1:4]))
