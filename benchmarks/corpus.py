"""The benchmark corpus: deterministic documents built in code, plus the real examples.

Every case is a list of compact JSON documents (one event each, server events unless the case's
``kind`` is ``"client_event"``), encoded the way the wire carries them. Besides the response
events, the corpus holds one document of each event that dominates a real session (issue 13):
audio deltas (GA and beta) carrying a 4 KiB chunk of PCM16 audio in base64, transcript and text
deltas, the ``conversation.item.*`` events with a message item, a GA ``session.updated``, and on
the client side ``input_audio_buffer.append`` and ``conversation.item.create``. Then the same three
audio events with a 16 KiB chunk (issue 14: audio is protobuf ``bytes``, so the bridge decodes and
encodes the base64 itself). Synthetic cases come from a seeded :class:`random.Random`, so every run,
on every machine, measures the same bytes.
The real examples are the captured payloads copied into
``tests/data/examples/`` (re-encoded compactly, key order kept).
"""

from __future__ import annotations

import base64
import json
import math
import pathlib
import random
import string
from dataclasses import dataclass
from typing import Any, Literal

__all__ = [
    "AUDIO_CASES",
    "AUDIO_CHUNK_BYTES",
    "AUDIO_KEYS",
    "LARGE_AUDIO_CHUNK_BYTES",
    "Case",
    "EXAMPLES_DIR",
    "SEED",
    "SESSION_CASES",
    "audio_of",
    "build",
    "event_log_line",
    "with_unknown_keys",
]

SEED = 20250415
EXAMPLES_DIR = pathlib.Path(__file__).resolve().parent.parent / "tests" / "data" / "examples"

_ALPHABET = string.ascii_letters + string.digits
_WORDS = (
    "the a your account billing issue thanks for calling I can help with that let me check "
    "payment invoice last month charge refund café naïve résumé – supervisor moment please "
    "understand transfer order number confirm address schedule appointment today tomorrow"
).split()
_VOICES = ("alloy", "ash", "ballad", "coral", "echo", "sage", "shimmer", "verse")
#: Raw PCM16 bytes in one audio delta or append: 4 KiB, 85 ms of 24 kHz mono (5,464 base64 chars).
AUDIO_CHUNK_BYTES = 4096
#: The cases of the session events (issue 13), in report order, after the response cases.
SESSION_CASES = (
    "audio_delta",
    "audio_delta_beta",
    "transcript_delta",
    "text_delta",
    "item_added",
    "item_done",
    "item_created",
    "session_updated",
    "client_audio_append",
    "client_item_create",
)
#: Raw PCM16 bytes in the audio events of issue 14: 16 KiB, 341 ms of 24 kHz mono (21,848 base64 chars).
LARGE_AUDIO_CHUNK_BYTES = 16384
#: The cases of issue 14, in report order, last: the audio events of the session cases with 16 KiB.
AUDIO_CASES = ("audio_delta_16k", "audio_delta_beta_16k", "client_audio_append_16k")
#: The key that holds the base64 audio, for each event type of the corpus that carries some.
AUDIO_KEYS = {"response.output_audio.delta": "delta", "response.audio.delta": "delta", "input_audio_buffer.append": "audio"}


@dataclass(frozen=True)
class Case:
    """A named list of JSON documents; one benchmark operation processes all of them once."""

    name: str
    description: str
    documents: tuple[bytes, ...]
    #: The bridge's ``kind`` for these documents: ``"event"`` (server) or ``"client_event"``.
    kind: Literal["event", "client_event"] = "event"
    #: The Realtime protocol the documents follow (``"beta"`` or ``"ga"``): which of the OpenAI
    #: SDK's models the SDK peers use.
    protocol: str = "beta"

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
        *_session_cases(rng),
        *_audio_cases(rng),
    ]


def audio_of(document: bytes) -> tuple[str, bytes, bytes] | None:
    """The audio key of an event that carries base64 audio, the audio it decodes to, and the
    event's JSON without that key (its envelope); None for an event without audio."""
    event = json.loads(document)
    key = AUDIO_KEYS.get(event.get("type"))
    if key is None:
        return None
    return key, base64.b64decode(event.pop(key), validate=True), _dump(event)


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


def _pcm16(rng: random.Random, size: int) -> bytes:
    """``size`` bytes of speech-like 24 kHz PCM16: a few drifting partials under noise, little-endian."""
    partials = [(rng.uniform(90, 260) * k, rng.uniform(0.2, 1.0) / k) for k in (1, 2, 3, 5)]
    phase = rng.uniform(0, 2 * math.pi)
    out = bytearray()
    for n in range(size // 2):
        t = n / 24_000
        envelope = 0.55 + 0.45 * math.sin(2 * math.pi * 3.1 * t + phase)
        value = envelope * sum(a * math.sin(2 * math.pi * f * t) for f, a in partials) + rng.gauss(0, 0.03)
        out += int(max(-1.0, min(1.0, value / 2)) * 32767).to_bytes(2, "little", signed=True)
    return bytes(out)


def _audio_b64(rng: random.Random, size: int = AUDIO_CHUNK_BYTES) -> str:
    return base64.b64encode(_pcm16(rng, size)).decode()


def _delta(rng: random.Random, kind: str, delta: str) -> dict[str, Any]:
    """A response delta event, keys in wire order."""
    return {
        "type": kind,
        "event_id": _id(rng, "event_"),
        "response_id": _id(rng, "resp_"),
        "item_id": _id(rng, "item_"),
        "output_index": 0,
        "content_index": 0,
        "delta": delta,
    }


def _append(rng: random.Random, size: int = AUDIO_CHUNK_BYTES) -> dict[str, Any]:
    """The client's ``input_audio_buffer.append`` of ``size`` bytes of audio."""
    return {"type": "input_audio_buffer.append", "event_id": _id(rng, "event_"), "audio": _audio_b64(rng, size)}


def _item_event(rng: random.Random, kind: str, item: dict[str, Any]) -> dict[str, Any]:
    return {"type": kind, "event_id": _id(rng, "event_"), "previous_item_id": _id(rng, "item_"), "item": item}


def _user_audio_item(rng: random.Random) -> dict[str, Any]:
    """The user's turn as the server adds it: committed audio, its transcript still pending."""
    return {
        "id": _id(rng, "item_"),
        "type": "message",
        "object": "realtime.item",
        "status": "completed",
        "role": "user",
        "content": [{"type": "input_audio", "transcript": None}],
    }


def _assistant_audio_item(rng: random.Random) -> dict[str, Any]:
    """The assistant's finished turn (GA): output audio with its transcript."""
    return {
        "id": _id(rng, "item_"),
        "type": "message",
        "object": "realtime.item",
        "status": "completed",
        "role": "assistant",
        "content": [{"type": "output_audio", "transcript": _text(rng, 240)}],
    }


def _ga_session(rng: random.Random) -> dict[str, Any]:
    """A GA realtime session as ``session.updated`` returns it: audio in and out, two tools."""
    return {
        "type": "realtime",
        "object": "realtime.session",
        "id": _id(rng, "sess_"),
        "model": "gpt-realtime-2025-08-28",
        "output_modalities": ["audio"],
        "instructions": "You are a billing support agent for a telephone company. " + _text(rng, 600),
        "tools": [
            {
                "type": "function",
                "name": "lookup_invoice",
                "description": "Look up an invoice of the caller's account by number or by month.",
                "parameters": {
                    "type": "object",
                    "properties": {
                        "invoice": {"type": "integer", "description": "the invoice number"},
                        "month": {"type": "integer", "minimum": 1, "maximum": 12},
                    },
                    "required": ["month"],
                },
            },
            {
                "type": "function",
                "name": "transfer_call",
                "description": "Transfer the caller to a human supervisor.",
                "parameters": {
                    "type": "object",
                    "properties": {"reason": {"type": "string"}},
                    "required": ["reason"],
                },
            },
        ],
        "tool_choice": "auto",
        "max_output_tokens": "inf",
        "tracing": None,
        "prompt": None,
        "expires_at": 1_756_324_625 + rng.randrange(3600),
        "audio": {
            "input": {
                "format": {"type": "audio/pcm", "rate": 24000},
                "transcription": {"model": "gpt-4o-mini-transcribe", "language": "en"},
                "noise_reduction": {"type": "near_field"},
                "turn_detection": {
                    "type": "server_vad",
                    "threshold": 0.5,
                    "prefix_padding_ms": 300,
                    "silence_duration_ms": 500,
                    "idle_timeout_ms": None,
                    "create_response": True,
                    "interrupt_response": True,
                },
            },
            "output": {"format": {"type": "audio/pcm", "rate": 24000}, "voice": "marin", "speed": 1.0},
        },
        "include": None,
    }


def _session_cases(rng: random.Random) -> list[Case]:
    """One document of each event that dominates a session (issue 13), one case each."""
    return [
        Case(
            "audio_delta",
            "response.output_audio.delta (GA): 4 KiB of PCM16 audio in base64",
            (_dump(_delta(rng, "response.output_audio.delta", _audio_b64(rng))),),
            protocol="ga",
        ),
        Case(
            "audio_delta_beta",
            "response.audio.delta (beta): 4 KiB of PCM16 audio in base64",
            (_dump(_delta(rng, "response.audio.delta", _audio_b64(rng))),),
        ),
        Case(
            "transcript_delta",
            "response.output_audio_transcript.delta (GA): a few words",
            (_dump(_delta(rng, "response.output_audio_transcript.delta", _words(rng, 4))),),
            protocol="ga",
        ),
        Case(
            "text_delta",
            "response.output_text.delta (GA): a few words",
            (_dump(_delta(rng, "response.output_text.delta", _words(rng, 3))),),
            protocol="ga",
        ),
        Case(
            "item_added",
            "conversation.item.added (GA): the user's audio message",
            (_dump(_item_event(rng, "conversation.item.added", _user_audio_item(rng))),),
            protocol="ga",
        ),
        Case(
            "item_done",
            "conversation.item.done (GA): the assistant's audio message and transcript",
            (_dump(_item_event(rng, "conversation.item.done", _assistant_audio_item(rng))),),
            protocol="ga",
        ),
        Case(
            "item_created",
            "conversation.item.created (beta): the user's audio message",
            (_dump(_item_event(rng, "conversation.item.created", _user_audio_item(rng))),),
        ),
        Case(
            "session_updated",
            "session.updated (GA): audio in and out, VAD, transcription, two function tools",
            (_dump({"type": "session.updated", "event_id": _id(rng, "event_"), "session": _ga_session(rng)}),),
            protocol="ga",
        ),
        Case(
            "client_audio_append",
            "client input_audio_buffer.append: 4 KiB of PCM16 audio in base64",
            (_dump(_append(rng)),),
            kind="client_event",
            protocol="ga",
        ),
        Case(
            "client_item_create",
            "client conversation.item.create: a user text message",
            (
                _dump(
                    {
                        "type": "conversation.item.create",
                        "event_id": _id(rng, "event_"),
                        "previous_item_id": _id(rng, "item_"),
                        "item": {
                            "type": "message",
                            "role": "user",
                            "content": [{"type": "input_text", "text": _text(rng, 120)}],
                        },
                    }
                ),
            ),
            kind="client_event",
            protocol="ga",
        ),
    ]


def _audio_cases(rng: random.Random) -> list[Case]:
    """The three audio events of the session with a 16 KiB chunk, one case each (issue 14)."""
    size = LARGE_AUDIO_CHUNK_BYTES
    return [
        Case(
            "audio_delta_16k",
            "response.output_audio.delta (GA): 16 KiB of PCM16 audio in base64",
            (_dump(_delta(rng, "response.output_audio.delta", _audio_b64(rng, size))),),
            protocol="ga",
        ),
        Case(
            "audio_delta_beta_16k",
            "response.audio.delta (beta): 16 KiB of PCM16 audio in base64",
            (_dump(_delta(rng, "response.audio.delta", _audio_b64(rng, size))),),
        ),
        Case(
            "client_audio_append_16k",
            "client input_audio_buffer.append: 16 KiB of PCM16 audio in base64",
            (_dump(_append(rng, size)),),
            kind="client_event",
            protocol="ga",
        ),
    ]


def _examples() -> tuple[bytes, ...]:
    paths = sorted(EXAMPLES_DIR.glob("*.json"))
    if not paths:
        raise FileNotFoundError(f"no examples in {EXAMPLES_DIR}")
    return tuple(_dump(json.loads(p.read_bytes())) for p in paths)
