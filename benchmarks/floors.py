"""The floors ``benchmarks/run.py --check`` holds the ratios to: the one place they are kept.

A key is ``path/case/peer``. Its ratio is the median, over the rounds of a run, of the peer's time
over the bridge's time in the same round: above 1 the bridge is faster, 0.5 means it takes twice as
long. ``decode_strict/*/default`` is the default decode against ``strict=True`` (0.77 would mean strict
costs 1.3x), ``decode_unknown/*/known-only`` the same JSON without its unknown keys against the JSON
with them, ``grpc/examples/unary`` one unary call per event against the bidirectional stream.

The timing floors are 75% of the median of three ``--quick`` runs on the project's shared 2-core
machine (rounded down to two significant digits), so that noise passes and a real regression does
not. To re-baseline after a deliberate change, run the quick mode a few times and paste what
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
    "decode/created_small/json": 3.6,
    "decode/created_small/orjson": 0.99,
    "decode/created_small/openai-pydantic": 2.9,
    "decode/created_small/openai-recv": 34.0,
    "decode/done_typical/json": 2.3,
    "decode/done_typical/orjson": 0.81,
    "decode/done_typical/openai-pydantic": 2.5,
    "decode/done_typical/openai-recv": 13.0,
    "decode/done_large/json": 1.5,
    "decode/done_large/orjson": 0.93,
    "decode/done_large/openai-pydantic": 1.9,
    "decode/done_large/openai-recv": 4.7,
    "decode/examples/json": 2.8,
    "decode/examples/orjson": 0.84,
    "decode/examples/openai-pydantic": 2.9,
    "decode/examples/openai-recv": 23.0,
    "to_binary/created_small/json_format": 3.9,
    "to_binary/done_typical/json_format": 4.3,
    "to_binary/done_large/json_format": 5.6,
    "to_binary/examples/json_format": 3.9,
    "from_binary/created_small/json_format": 0.89,
    "from_binary/done_typical/json_format": 1.0,
    "from_binary/done_large/json_format": 1.0,
    "from_binary/examples/json_format": 0.92,
    "encode/created_small/msgspec": 0.66,
    "encode/created_small/orjson": 0.39,
    "encode/created_small/json": 5.9,
    "encode/created_small/openai-pydantic": 3.2,
    "encode/done_typical/msgspec": 0.72,
    "encode/done_typical/orjson": 0.42,
    "encode/done_typical/json": 7.3,
    "encode/done_typical/openai-pydantic": 4.9,
    "encode/done_large/msgspec": 0.81,
    "encode/done_large/orjson": 0.34,
    "encode/done_large/json": 10.0,
    "encode/done_large/openai-pydantic": 6.1,
    "encode/examples/msgspec": 0.69,
    "encode/examples/orjson": 0.43,
    "encode/examples/json": 6.9,
    "encode/examples/openai-pydantic": 4.4,
    "decode_strict/created_small/default": 0.59,
    "decode_strict/done_typical/default": 0.67,
    "decode_strict/done_large/default": 0.75,
    "decode_strict/examples/default": 0.63,
    "decode_unknown/created_small/known-only": 0.05,
    "decode_unknown/done_typical/known-only": 0.047,
    "decode_unknown/done_large/known-only": 0.058,
    "decode_unknown/examples/known-only": 0.041,
    "grpc/examples/unary": 1.4,
    "memory/session_log/load-all": 50.0,
}
