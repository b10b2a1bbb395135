"""A quick check of issue 27's first step, outside the benchmark suite: ``json_to_binary`` on the
hot events of the benchmark corpus (deltas, appends) with the one-pass writer in front (the public
function), through the two stages alone (its ``__wrapped__``: the compiled decoder, then the
compiled writer), and ``orjson.loads`` of the same bytes. Interleaved rounds (each round times the
three on one document), the median of the per-round ratios and their range::

    python -m benchmarks.one_pass [ROUNDS]
"""

from __future__ import annotations

import statistics
import sys
import timeit

import orjson

from benchmarks import corpus
from bridge import convert

HOT = ("response.output_audio.delta", "response.audio.delta", "response.output_audio_transcript.delta",
       "response.audio_transcript.delta", "response.output_text.delta", "response.text.delta",
       "input_audio_buffer.append")


def main(rounds: int = 15, number: int = 2000) -> None:
    one_pass = convert.json_to_binary
    if not hasattr(one_pass, "__wrapped__"):
        raise SystemExit("the one-pass writer is not in front of json_to_binary (extensions not built?)")
    two_stage = one_pass.__wrapped__
    for case in corpus.build():
        for document in case.documents:
            if orjson.loads(document).get("type") not in HOT:
                continue
            kind = case.kind
            assert one_pass(document, kind=kind) == two_stage(document, kind=kind)
            functions = {
                "one_pass": lambda d=document, k=kind: one_pass(d, kind=k),
                "two_stage": lambda d=document, k=kind: two_stage(d, kind=k),
                "orjson": lambda d=document: orjson.loads(d),
            }
            ratios: dict[str, list[float]] = {"one_pass/orjson": [], "two_stage/orjson": [], "one_pass/two_stage": []}
            for _ in range(rounds):
                t = {name: min(timeit.repeat(f, number=number, repeat=3)) for name, f in functions.items()}
                ratios["one_pass/orjson"].append(t["one_pass"] / t["orjson"])
                ratios["two_stage/orjson"].append(t["two_stage"] / t["orjson"])
                ratios["one_pass/two_stage"].append(t["one_pass"] / t["two_stage"])
            print(f"{case.name:24s} {len(document):6d} B  " + "  ".join(
                f"{name} {statistics.median(v):.2f} ({min(v):.2f}-{max(v):.2f})" for name, v in ratios.items()))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 15)
