"""The benchmark corpus: deterministic documents built in code, plus the real examples.

Every case is a list of compact JSON documents (one server event each), encoded the way the wire
carries them. Synthetic cases come from a seeded :class:`random.Random`, so every run, on every
machine, measures the same bytes. The real examples are the captured payloads copied into
``tests/data/examples/`` (re-encoded compactly, key order kept).
"""

from __future__ import annotations

import json
import pathlib
import random
import string
from dataclasses import dataclass
from typing import Any

__all__ = ["Case", "EXAMPLES_DIR", "SEED", "build", "event_log_line", "with_unknown_keys"]

SEED = 20250415
EXAMPLES_DIR = pathlib.Path(__file__).resolve().parent.parent / "tests" / "data" / "examples"

_ALPHABET = string.ascii_letters + string.digits
_WORDS = (
    "the a your account billing issue thanks for calling I can help with that let me check "
    "payment invoice last month charge refund café naïve résumé – supervisor moment please "
    "understand transfer order number confirm address schedule appointment today tomorrow"
).split()
_VOICES = ("alloy", "ash", "ballad", "coral", "echo", "sage", "shimmer", "verse")


@dataclass(frozen=True)
class Case:
    """A named list of JSON documents; one benchmark operation processes all of them once."""

    name: str
    description: str
    documents: tuple[bytes, ...]

    @property
    def size(self) -> int:
        """Total JSON bytes of one pass over the case."""
        return sum(len(d) for d in self.documents)

    def __len__(self) -> int:
        return len(self.documents)


def build() -> list[Case]:
    """Every case of the corpus, in report order."""
    rng = random.Random(SEED)
    return [
        Case("created_small", "response.created: in progress, every top-level key", (_dump(_created(rng)),)),
        Case("done_typical", "response.done: 3 items, a transcript, full usage", (_dump(_done(rng, 3, 200)),)),
        Case("done_large", "response.done: 48 items, long transcripts", (_dump(_done(rng, 48, 1000)),)),
        Case("examples", "the real payloads in tests/data/examples (spec, docs, captures)", _examples()),
    ]


def with_unknown_keys(document: bytes) -> bytes:
    """The same event with keys the schema does not know added at every level (as the next API
    version would send them); used to measure the lossless path against the fast one."""
    event = json.loads(document)
    event["x_trace_id"] = "trace_0123456789abcdef"
    response = event.get("response") or {}
    response["x_experiment"] = {"arm": "b", "weight": 0.5, "tags": ["beta", None]}
    for item in response.get("output") or ():
        item["phase"] = "final"
        for part in item.get("content") or ():
            part["x_confidence"] = 0.93
    usage = response.get("usage")
    if usage:
        usage.setdefault("input_token_details", {})["x_reasoning_tokens"] = 7
    return _dump(event)


def event_log_line(rng: random.Random, index: int) -> bytes:
    """One line of a realistic session log: mostly small delta events, a response.done now and then."""
    if index % 40 == 39:
        return _dump(_done(rng, 2, 120))
    if index % 40 == 0:
        return _dump(_created(rng))
    return _dump(
        {
            "type": "response.audio_transcript.delta",
            "event_id": _id(rng, "event_"),
            "response_id": _id(rng, "resp_"),
            "item_id": _id(rng, "item_"),
            "output_index": 0,
            "content_index": 0,
            "delta": _words(rng, 6),
        }
    )


# ------------------------------------------------------------------------------------ builders


def _compact(obj: Any) -> str:
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=False)


def _dump(obj: Any) -> bytes:
    return _compact(obj).encode()


def _id(rng: random.Random, prefix: str) -> str:
    return prefix + "".join(rng.choice(_ALPHABET) for _ in range(21))


def _words(rng: random.Random, count: int) -> str:
    return " ".join(rng.choice(_WORDS) for _ in range(count))


def _text(rng: random.Random, length: int) -> str:
    out = _words(rng, max(1, length // 6))
    return out[:length].rstrip() + "."


def _envelope(rng: random.Random, kind: str, response: dict[str, Any]) -> dict[str, Any]:
    return {"type": kind, "event_id": _id(rng, "event_"), "response": response}


def _response(rng: random.Random, status: str) -> dict[str, Any]:
    """The 13 top-level keys a real capture carries, in wire order."""
    return {
        "object": "realtime.response",
        "id": _id(rng, "resp_"),
        "status": status,
        "status_details": None,
        "output": [],
        "conversation_id": _id(rng, "conv_"),
        "modalities": ["text", "audio"],
        "voice": rng.choice(_VOICES),
        "output_audio_format": "pcm16",
        "temperature": 0.8,
        "max_output_tokens": "inf",
        "usage": None,
        "metadata": None,
    }


def _created(rng: random.Random) -> dict[str, Any]:
    return _envelope(rng, "response.created", _response(rng, "in_progress"))


def _done(rng: random.Random, items: int, transcript_length: int) -> dict[str, Any]:
    response = _response(rng, "completed")
    response["output"] = [_item(rng, i, transcript_length) for i in range(items)]
    response["metadata"] = {"request_id": _id(rng, "req_"), "tenant": "bench"}
    text_in, audio_in = rng.randrange(200, 4000), rng.randrange(0, 2000)
    text_out, audio_out = rng.randrange(10, 400), rng.randrange(0, 1500)
    cached_text, cached_audio = rng.randrange(0, 128), rng.randrange(0, 64)
    response["usage"] = {
        "total_tokens": text_in + audio_in + text_out + audio_out,
        "input_tokens": text_in + audio_in,
        "output_tokens": text_out + audio_out,
        "input_token_details": {
            "text_tokens": text_in,
            "audio_tokens": audio_in,
            "cached_tokens": cached_text + cached_audio,
            "cached_tokens_details": {"text_tokens": cached_text, "audio_tokens": cached_audio},
        },
        "output_token_details": {"text_tokens": text_out, "audio_tokens": audio_out},
    }
    return _envelope(rng, "response.done", response)


def _item(rng: random.Random, index: int, transcript_length: int) -> dict[str, Any]:
    """Mostly assistant audio messages, with a function call and its output every few items."""
    item: dict[str, Any] = {"id": _id(rng, "item_"), "object": "realtime.item"}
    shape = index % 4
    if shape == 1:
        item.update(
            type="function_call",
            status="completed",
            name="lookup_invoice",
            call_id=_id(rng, "call_"),
            arguments=_compact({"invoice": rng.randrange(10**6), "month": rng.randrange(1, 13)}),
        )
    elif shape == 2:
        item.update(
            type="function_call_output",
            call_id=_id(rng, "call_"),
            output=_compact({"amount": rng.randrange(10**4) / 100, "status": "paid"}),
        )
    else:
        content = [{"type": "audio", "transcript": _text(rng, transcript_length)}]
        if shape == 3:
            content.append({"type": "text", "text": _text(rng, transcript_length // 2)})
        item.update(type="message", status="completed", role="assistant", content=content)
    return item


def _examples() -> tuple[bytes, ...]:
    paths = sorted(EXAMPLES_DIR.glob("*.json"))
    if not paths:
        raise FileNotFoundError(f"no examples in {EXAMPLES_DIR}")
    return tuple(_dump(json.loads(p.read_bytes())) for p in paths)
