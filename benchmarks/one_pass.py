"""A quick check of issue 27 outside the benchmark suite: ``json_to_binary`` on every document of
the benchmark corpus (the session events: deltas, appends, items, session.updated; the response
events and the examples) with the one-pass writer in front (the public function), through the two
stages alone (its ``__wrapped__``: the compiled decoder, then the compiled writer), and
``orjson.loads`` of the same bytes. Interleaved rounds (each round times the three on one
document), the median of the per-round ratios and their range, and the median over the documents::

    python -m benchmarks.one_pass [ROUNDS]

Issue 27's cliff (``twins``): an audio delta of 4 KiB whose base64 is not canonical (cut short,
missing padding, bits set after the last byte, URL-safe, line breaks, spaces, a placeholder word)
and an event carrying a misfit (``"delta": 5``), each against its canonical twin, through the public
function; interleaved rounds, the median of the per-round ratios and their range::

    python -m benchmarks.one_pass twins [ROUNDS]
"""

from __future__ import annotations

import base64
import random
import statistics
import sys
import timeit

import orjson

from benchmarks import corpus
from bridge import convert

#: The events that dominate a session (issue 27's first step): reported first.
HOT = ("response.output_audio.delta", "response.audio.delta", "response.output_audio_transcript.delta",
       "response.audio_transcript.delta", "response.output_text.delta", "response.text.delta",
       "input_audio_buffer.append")
#: About how many bytes of JSON one timing converts (the number of calls follows from a document's size).
BYTES_PER_TIMING = 4_000_000


def main(rounds: int = 15, number: int = 2000) -> None:
    one_pass = convert.json_to_binary
    if not hasattr(one_pass, "__wrapped__"):
        raise SystemExit("the one-pass writer is not in front of json_to_binary (extensions not built?)")
    two_stage = one_pass.__wrapped__
    documents = [(case.name, case.kind, document) for case in corpus.build() for document in case.documents]
    documents.sort(key=lambda item: orjson.loads(item[2]).get("type") not in HOT)  # (stable: the hot ones first)
    medians: dict[str, list[float]] = {"one_pass/orjson": [], "two_stage/orjson": [], "one_pass/two_stage": []}
    for name, kind, document in documents:
        assert one_pass(document, kind=kind) == two_stage(document, kind=kind)
        functions = {
            "one_pass": lambda d=document, k=kind: one_pass(d, kind=k),
            "two_stage": lambda d=document, k=kind: two_stage(d, kind=k),
            "orjson": lambda d=document: orjson.loads(d),
        }
        calls = max(20, min(number, BYTES_PER_TIMING // len(document)))
        ratios: dict[str, list[float]] = {key: [] for key in medians}
        for _ in range(rounds):
            t = {key: min(timeit.repeat(f, number=calls, repeat=3)) for key, f in functions.items()}
            ratios["one_pass/orjson"].append(t["one_pass"] / t["orjson"])
            ratios["two_stage/orjson"].append(t["two_stage"] / t["orjson"])
            ratios["one_pass/two_stage"].append(t["one_pass"] / t["two_stage"])
        for key, values in ratios.items():
            medians[key].append(statistics.median(values))
        print(f"{name:24s} {len(document):6d} B  " + "  ".join(
            f"{key} {statistics.median(v):.2f} ({min(v):.2f}-{max(v):.2f})" for key, v in ratios.items()))
    print(f"{'median of the documents':33s}  " + "  ".join(
        f"{key} {statistics.median(v):.2f}" for key, v in medians.items()))


def twins(rounds: int = 15, number: int = 2000) -> None:
    """Each non-canonical form against its canonical twin (see the module's docstring)."""
    audio = base64.b64encode(random.Random(27).randbytes(4096)).decode()
    head = {"type": "response.output_audio.delta", "event_id": "event_1", "response_id": "resp_1", "item_id": "item_1",
            "output_index": 0, "content_index": 0}
    canonical = orjson.dumps({**head, "delta": audio})
    small = orjson.dumps({**head, "delta": "AAAA"})
    forms = {  # name: (document, its canonical twin)
        "cut short (length 4n+3)": (orjson.dumps({**head, "delta": audio[:4999]}), canonical),
        "missing padding": (orjson.dumps({**head, "delta": audio.rstrip("=")}), canonical),
        "bits after the last byte": (orjson.dumps({**head, "delta": audio[:-3] + "B=="}), canonical),
        "url-safe": (orjson.dumps({**head, "delta": audio.replace("+", "-").replace("/", "_")}), canonical),
        "line breaks (escaped)": (orjson.dumps({**head, "delta": "\n".join(audio[k:k + 76] for k in range(0, len(audio), 76))}),
                                  canonical),
        "spaces": (orjson.dumps({**head, "delta": " ".join(audio[k:k + 76] for k in range(0, len(audio), 76))}), canonical),
        "placeholder word": (orjson.dumps({**head, "delta": "Base64EncodedAudioDelta"}), canonical),
        "misfit (delta: 5) vs 4 KiB": (orjson.dumps({**head, "delta": 5}), canonical),
        "misfit (delta: 5) vs AAAA": (orjson.dumps({**head, "delta": 5}), small),
    }
    public = convert.json_to_binary
    for document, twin in forms.values():
        assert public(document) == public.__wrapped__(document) and public(twin) == public.__wrapped__(twin)
    documents = {canonical, small, *(document for document, _ in forms.values())}
    ratios: dict[str, list[float]] = {name: [] for name in forms}
    for _ in range(rounds):
        t = {d: min(timeit.repeat(lambda d=d: public(d), number=number, repeat=3)) for d in documents}
        for name, (document, twin) in forms.items():
            ratios[name].append(t[document] / t[twin])
    for name, values in ratios.items():
        print(f"{name:28s} {statistics.median(values):.2f}x its canonical twin ({min(values):.2f}-{max(values):.2f})")


if __name__ == "__main__":
    if sys.argv[1:2] == ["twins"]:
        twins(int(sys.argv[2]) if len(sys.argv) > 2 else 15)
    else:
        main(int(sys.argv[1]) if len(sys.argv) > 1 else 15)
