"""The floors ``benchmarks/run.py --check`` holds the ratios to: the one place they are kept.

A key is ``path/case/peer``. Its ratio is the median, over the rounds of a run, of the peer's time
over the bridge's time in the same round: above 1 the bridge is faster, 0.5 means it takes twice as
long. ``decode_strict/*/default`` is the default decode against ``strict=True`` (0.77 would mean strict
costs 1.3x), ``decode_unknown/*/known-only`` the same JSON without its unknown keys against the JSON
with them, ``grpc/examples/unary`` one unary call per event against the bidirectional stream
sending 50-event batches.

The timing floors are 75% of the lowest of three ``--quick`` runs on the project's 2-core machine
(rounded down to two significant digits), so that noise passes and a real regression does not.
Issue 5's targets, as measured when these were set: JSON -> protobuf 21-25x json_format,
protobuf -> JSON 23-30x, strict 0.93-1.04x the default, unknown keys 0.21-0.47x (its peer, the plain decode, got faster since), the batched gRPC
stream ~18x unary. To re-baseline after a deliberate change, run the quick mode a few times and paste what
``python benchmarks/run.py --quick --suggest-floors`` prints; raise floors when the bridge gets
faster for good, and never lower one to let a regression pass.

``memory/session_log/load-all`` is a bound, not a speed: the peak Python heap of converting the whole
20,000-event log at once over that of streaming it (about 900 when measured). Streaming keeps one
record in memory whatever the log's length, so any loss of it brings the ratio down to a few units;
50 leaves room for buffers without letting that through.
"""

from __future__ import annotations

__all__ = ["FLOORS"]

FLOORS: dict[str, float] = {
    "decode/created_small/json": 2.8,
    "decode/created_small/orjson": 0.74,
    "decode/created_small/openai-pydantic": 2.2,
    "decode/created_small/openai-recv": 26.0,
    "decode/done_typical/json": 2.1,
    "decode/done_typical/orjson": 0.77,
    "decode/done_typical/openai-pydantic": 2.3,
    "decode/done_typical/openai-recv": 12.0,
    "decode/done_large/json": 1.4,
    "decode/done_large/orjson": 0.92,
    "decode/done_large/openai-pydantic": 1.8,
    "decode/done_large/openai-recv": 4.5,
    "decode/examples/json": 2.5,
    "decode/examples/orjson": 0.77,
    "decode/examples/openai-pydantic": 2.6,
    "decode/examples/openai-recv": 20.0,
    "to_binary/created_small/json_format": 15.0,
    "to_binary/done_typical/json_format": 17.0,
    "to_binary/done_large/json_format": 17.0,
    "to_binary/examples/json_format": 18.0,
    "from_binary/created_small/json_format": 18.0,
    "from_binary/done_typical/json_format": 22.0,
    "from_binary/done_large/json_format": 17.0,
    "from_binary/examples/json_format": 21.0,
    "encode/created_small/msgspec": 0.64,
    "encode/created_small/orjson": 0.38,
    "encode/created_small/json": 5.7,
    "encode/created_small/openai-pydantic": 3.1,
    "encode/done_typical/msgspec": 0.69,
    "encode/done_typical/orjson": 0.4,
    "encode/done_typical/json": 7.0,
    "encode/done_typical/openai-pydantic": 4.7,
    "encode/done_large/msgspec": 0.79,
    "encode/done_large/orjson": 0.32,
    "encode/done_large/json": 10.0,
    "encode/done_large/openai-pydantic": 5.8,
    "encode/examples/msgspec": 0.66,
    "encode/examples/orjson": 0.41,
    "encode/examples/json": 6.6,
    "encode/examples/openai-pydantic": 4.2,
    "decode_strict/created_small/default": 0.74,
    "decode_strict/done_typical/default": 0.7,
    "decode_strict/done_large/default": 0.75,
    "decode_strict/examples/default": 0.7,
    "decode_unknown/created_small/known-only": 0.15,
    "decode_unknown/done_typical/known-only": 0.23,
    "decode_unknown/done_large/known-only": 0.35,
    "decode_unknown/examples/known-only": 0.17,
    "grpc/examples/unary": 6.0,  # the noisiest ratio (two processes share two cores); target 5
    "memory/session_log/load-all": 50.0,
}
