"""Make the recorded Realtime sessions that ship with the local stand-in (``rtbridge replay``):
``bridge/relay/recordings/NAME.jsonl``, session logs in the JSON Lines envelope of
``docs/session-logs.md`` (both directions, each event with the time it was received).

- ``voice-turn``: a spoken question answered in speech (audio both ways, server VAD, input
  transcription);
- ``function-call``: a spoken question the model answers by calling a function; the client sends the
  function's output (``conversation.item.create`` of a ``function_call_output``) and
  ``response.create``, and the model answers in speech;
- ``error``: a ``session.update`` without ``session.type`` answered by an ``error`` event, after
  which the session goes on with a short text turn.

The speech is real: Debian's espeak-ng (``apt-get install espeak-ng``; made with 1.51) writes each
utterance as a 22 050 Hz mono PCM16 WAV on stdout, resampled here to the GA ``audio/pcm`` format
(24 kHz mono PCM16 little-endian) by linear interpolation, in pure Python. The user's speech goes
up as 20 ms ``input_audio_buffer.append`` events (960 bytes each, sent in real time, with VAD's
``speech_started`` and ``speech_stopped`` placed where the audio's energy says the speech starts and
ends), the assistant's comes down as 100 ms ``response.output_audio.delta`` events (faster than real
time, as the API sends them). Events have the GA shapes only, in the order of a turn; ids and
timings are made up but realistic, and the same on every run (only espeak-ng's audio could change
from one of its versions to another).

Each event is written as the bridge writes JSON (compact, keys in the schema's order), after checking
that the schema types all of it (strict, no drift, no generic event) and that it reads back as the
JSON it was built as, so every line converts to protobuf and back byte for byte.

Usage: ``python tools/make_recordings.py [--out DIR] [--espeak PATH]``.
"""

from __future__ import annotations

import argparse
import array
import base64
import json
import math
import pathlib
import random
import re
import shutil
import string
import subprocess
import sys
from collections.abc import Callable, Iterable, Sequence
from typing import Any, Literal

import bridge
from bridge import models

Direction = Literal["server", "client"]
Event = dict[str, Any]
#: One record of a log: direction, received time (ns since the epoch), event.
Record = tuple[Direction, int, Event]

ROOT = pathlib.Path(__file__).resolve().parent.parent
#: Where the shipped recordings live (package data of ``bridge.relay``).
OUT = ROOT / "bridge" / "relay" / "recordings"

#: GA ``audio/pcm``: 24 kHz, mono, 16-bit little-endian: 48 000 bytes a second.
RATE = 24_000
BYTES_PER_SECOND = RATE * 2
#: One ``input_audio_buffer.append``: 20 ms of audio.
APPEND_MS = 20
APPEND_BYTES = BYTES_PER_SECOND * APPEND_MS // 1000
#: One ``response.output_audio.delta``: 100 ms of audio.
DELTA_MS = 100
DELTA_BYTES = BYTES_PER_SECOND * DELTA_MS // 1000

#: The espeak-ng voices of the two speakers, and their speed (words a minute).
USER_VOICE = ("en-us", 165)
ASSISTANT_VOICE = ("en-us+f3", 175)
#: The model the sessions report, and the transcription model of the voice sessions.
MODEL = "gpt-realtime"
TRANSCRIBE_MODEL = "gpt-4o-mini-transcribe"
#: Server VAD as the sessions configure it.
VAD_SILENCE_MS = 500
VAD: Event = {"type": "server_vad", "threshold": 0.5, "prefix_padding_ms": 300, "silence_duration_ms": VAD_SILENCE_MS}
#: Silence before the user speaks (the microphone is open before the speech starts).
LEAD_SILENCE_MS = 400
#: A 20 ms frame whose RMS is above this fraction of the loudest frame's holds speech.
SPEECH_THRESHOLD = 0.05


# ------------------------------------------------------------------------------------- audio


def synthesize(text: str, voice: tuple[str, int], espeak: str = "espeak-ng") -> bytes:
    """The WAV espeak-ng writes for ``text`` in ``voice`` (name, words a minute)."""
    done = subprocess.run([espeak, "-v", voice[0], "-s", str(voice[1]), "--stdout", text],
                          capture_output=True, timeout=120, check=False)
    if done.returncode != 0 or not done.stdout:
        raise RuntimeError(f"{espeak} failed ({done.returncode}): {done.stderr.decode(errors='replace')[-500:]}")
    return done.stdout


def read_wav(data: bytes) -> tuple[int, array.array[int]]:
    """The sample rate and the samples of a mono PCM16 WAV. The sizes of a WAV written to a pipe (as
    ``espeak-ng --stdout`` writes it) are placeholders: the data chunk is whatever follows its
    header, up to the end (less an odd last byte)."""
    if len(data) < 12 or data[:4] != b"RIFF" or data[8:12] != b"WAVE":
        raise ValueError("not a RIFF WAVE file")
    position, rate, channels, bits, encoding = 12, 0, 0, 0, 0
    while position + 8 <= len(data):
        chunk, size = data[position : position + 4], int.from_bytes(data[position + 4 : position + 8], "little")
        body = position + 8
        if chunk == b"fmt ":
            encoding = int.from_bytes(data[body : body + 2], "little")
            channels = int.from_bytes(data[body + 2 : body + 4], "little")
            rate = int.from_bytes(data[body + 4 : body + 8], "little")
            bits = int.from_bytes(data[body + 14 : body + 16], "little")
        elif chunk == b"data":
            if (encoding, channels, bits) != (1, 1, 16):
                raise ValueError(f"not mono PCM16 (format {encoding}, {channels} channels, {bits} bits)")
            end = min(len(data), body + size)
            samples = array.array("h", data[body : end - (end - body) % 2])
            if sys.byteorder == "big":
                samples.byteswap()
            return rate, samples
        position = body + size + size % 2
    raise ValueError("the WAV has no data chunk")


def resample(samples: Sequence[int], source_rate: int, target_rate: int) -> array.array[int]:
    """``samples`` at ``source_rate`` resampled to ``target_rate`` by linear interpolation: output
    sample ``i`` is at input position ``i * source_rate / target_rate`` (exact, in integers), so the
    duration is kept (``round(len * target / source)`` samples)."""
    if source_rate <= 0 or target_rate <= 0:
        raise ValueError("sample rates must be positive")
    count = len(samples)
    out = array.array("h")
    if count == 0:
        return out
    for i in range((count * target_rate + source_rate // 2) // source_rate):
        index, remainder = divmod(i * source_rate, target_rate)
        if index >= count - 1:
            out.append(samples[count - 1])
            continue
        a, b = samples[index], samples[index + 1]
        value = round(a + (b - a) * remainder / target_rate)
        out.append(max(-32768, min(32767, value)))
    return out


def pcm16(samples: array.array[int]) -> bytes:
    """Samples as PCM16 little-endian bytes."""
    if sys.byteorder == "big":
        samples = array.array("h", samples)
        samples.byteswap()
    return samples.tobytes()


def speech(text: str, voice: tuple[str, int], espeak: str = "espeak-ng") -> bytes:
    """``text`` spoken by espeak-ng, as 24 kHz mono PCM16 little-endian."""
    rate, samples = read_wav(synthesize(text, voice, espeak))
    return pcm16(resample(samples, rate, RATE))


def silence(ms: int) -> bytes:
    """``ms`` milliseconds of 24 kHz PCM16 silence."""
    return bytes(BYTES_PER_SECOND * ms // 1000)


def chunks(data: bytes, size: int) -> list[bytes]:
    """``data`` cut into pieces of ``size`` bytes, the last one shorter when ``size`` does not divide it."""
    if size <= 0:
        raise ValueError("size must be positive")
    return [data[i : i + size] for i in range(0, len(data), size)]


def frame_rms(pcm: bytes, frame_bytes: int = APPEND_BYTES) -> list[float]:
    """The RMS of each frame of ``frame_bytes`` of PCM16 little-endian (the last one may be shorter)."""
    levels = []
    for frame in chunks(pcm[: len(pcm) - len(pcm) % 2], frame_bytes):
        samples = array.array("h", frame)
        if sys.byteorder == "big":
            samples.byteswap()
        levels.append(math.sqrt(sum(s * s for s in samples) / len(samples)) if samples else 0.0)
    return levels


def speech_span(pcm: bytes) -> tuple[int, int]:
    """Where the speech in ``pcm`` starts and ends, in ms, on 20 ms frames: the first and the end of
    the last frame louder than :data:`SPEECH_THRESHOLD` of the loudest."""
    levels = frame_rms(pcm)
    loudest = max(levels, default=0.0)
    if loudest == 0.0:
        raise ValueError("the audio is silent")
    loud = [i for i, level in enumerate(levels) if level > loudest * SPEECH_THRESHOLD]
    return loud[0] * APPEND_MS, (loud[-1] + 1) * APPEND_MS


def utterance(pcm: bytes) -> bytes:
    """A user's utterance as the microphone sends it: :data:`LEAD_SILENCE_MS` of silence, the
    speech, then silence until VAD's ``silence_duration_ms`` has passed since the speech ended, in
    whole 20 ms appends."""
    padded = silence(LEAD_SILENCE_MS) + pcm
    _, end = speech_span(padded)
    total = end + VAD_SILENCE_MS
    padded = padded[: BYTES_PER_SECOND * total // 1000]
    return padded + bytes(BYTES_PER_SECOND * total // 1000 - len(padded))


def words(text: str) -> list[str]:
    """``text`` cut as the API streams transcript deltas: each word with the spaces before it, and
    each punctuation mark on its own."""
    pieces = re.findall(r"\s*[\w']+|\s*[^\w\s]", text)
    if "".join(pieces) != text:
        raise ValueError(f"cannot cut {text!r} into words")
    return pieces


def tokens(text: str) -> int:
    """A token count for ``text`` (about four characters a token)."""
    return max(1, math.ceil(len(text) / 4))


# ------------------------------------------------------------------------------------ events


class Script:
    """The records of one session, in order, with a clock (ns since the epoch) and ids made from a
    generator seeded with the recording's name (the same on every run)."""

    def __init__(self, name: str, start_unix_nano: int) -> None:
        self.records: list[Record] = []
        self.now = start_unix_nano
        self._random = random.Random(name)

    def id(self, prefix: str, length: int = 21) -> str:
        """An id as the API makes them: ``prefix_`` and random letters and digits."""
        return prefix + "_" + "".join(self._random.choices(string.ascii_letters + string.digits, k=length))

    def wait(self, ms: float) -> None:
        """Move the clock ``ms`` on (back, when negative)."""
        self.now += round(ms * 1_000_000)

    def client(self, event: Event, after_ms: float = 0) -> None:
        """The client sent ``event`` ``after_ms`` after the previous record."""
        self.wait(after_ms)
        self.records.append(("client", self.now, event))

    def server(self, event: Event, after_ms: float = 0) -> None:
        """The server sent ``event`` (its ``event_id`` added after ``type``) ``after_ms`` after the
        previous record."""
        self.wait(after_ms)
        self.records.append(("server", self.now, {"type": event["type"], "event_id": self.id("event"), **event}))


def session_config(*, modalities: Sequence[str], instructions: str, tools: Sequence[Event] = (),
                   voice: bool = True) -> Event:
    """The ``session`` of a GA ``session.update``."""
    config: Event = {"type": "realtime", "instructions": instructions, "output_modalities": list(modalities)}
    if voice:
        config["audio"] = {
            "input": {"format": {"type": "audio/pcm", "rate": RATE}, "transcription": {"model": TRANSCRIBE_MODEL},
                      "turn_detection": dict(VAD)},
            "output": {"format": {"type": "audio/pcm", "rate": RATE}, "voice": "marin"},
        }
    if tools:
        config["tools"] = list(tools)
        config["tool_choice"] = "auto"
    return config


def session_object(session_id: str, expires_at: int, config: Event | None) -> Event:
    """The GA ``realtime.session`` of ``session.created`` (``config`` ``None``: the defaults) or
    ``session.updated`` (the defaults with ``config`` applied); ``expires_at`` in seconds since
    the epoch."""
    config = config or {}
    audio = config.get("audio", {})
    audio_input = audio.get("input", {})
    turn_detection = {"type": "server_vad", "threshold": 0.5, "prefix_padding_ms": 300, "silence_duration_ms": 200,
                      "idle_timeout_ms": None, "create_response": True, "interrupt_response": True}
    turn_detection.update(audio_input.get("turn_detection", {}))
    return {
        "type": "realtime",
        "object": "realtime.session",
        "id": session_id,
        "model": MODEL,
        "output_modalities": config.get("output_modalities", ["audio"]),
        "instructions": config.get("instructions", "You are a helpful, witty, and friendly AI."),
        "tools": config.get("tools", []),
        "tool_choice": config.get("tool_choice", "auto"),
        "max_output_tokens": "inf",
        "tracing": None,
        "truncation": "auto",
        "prompt": None,
        "expires_at": expires_at,
        "audio": {
            "input": {
                "format": {"type": "audio/pcm", "rate": RATE},
                "transcription": audio_input.get("transcription"),
                "noise_reduction": None,
                "turn_detection": turn_detection,
            },
            "output": {"format": {"type": "audio/pcm", "rate": RATE}, "voice": "marin", "speed": 1.0},
        },
        "include": None,
    }


class Conversation:
    """What the server keeps of a session: its ids, the last item (``previous_item_id``), the
    conversation's text and audio tokens so far (a response's input, for its usage), how long the
    user has spoken (VAD's clock) and the input transcription still to send."""

    def __init__(self, script: Script) -> None:
        self.script = script
        self.session_id = script.id("sess")
        self.expires_at = script.now // 1_000_000_000 + 3600  # (sessions last an hour)
        self.conversation_id = script.id("conv")
        self.last_item: str | None = None
        self.last_call_id = ""
        self.text_tokens = 0
        self.audio_tokens = 0
        self.cached_tokens = 0
        self.audio_ms = 0
        self.modalities: list[str] = ["audio"]
        self.pending_transcription: tuple[str, str, int] | None = None

    def connect(self) -> None:
        """``session.created``, sent when the WebSocket opens."""
        self.script.server({"type": "session.created", "session": session_object(self.session_id, self.expires_at, None)})

    def update(self, config: Event, event_id: str | None = None) -> None:
        """The client's ``session.update`` and the server's ``session.updated``."""
        update: Event = {"type": "session.update"}
        if event_id is not None:
            update["event_id"] = event_id
        update["session"] = config
        self.script.client(update, after_ms=35)
        self.script.server({"type": "session.updated", "session": session_object(self.session_id, self.expires_at, config)},
                           after_ms=95)
        self.modalities = list(config["output_modalities"])
        self.text_tokens += tokens(config["instructions"]) + 40 * len(config.get("tools", ()))

    def add_item(self, item: Event, after_ms: float = 1) -> None:
        """``conversation.item.added`` then ``conversation.item.done`` for an item complete when added."""
        self.script.server({"type": "conversation.item.added", "previous_item_id": self.last_item, "item": item}, after_ms)
        self.script.server({"type": "conversation.item.done", "previous_item_id": self.last_item, "item": item}, after_ms=1)
        self.last_item = item["id"]

    def user_speaks(self, pcm: bytes, transcript: str) -> None:
        """The user's utterance as 20 ms appends sent in real time, with VAD's events where the
        speech starts and stops, then the commit and the user's item."""
        script = self.script
        audio = utterance(pcm)
        start, end = speech_span(audio)
        item_id = script.id("item")
        started = False
        frames = chunks(audio, APPEND_BYTES)
        for index, frame in enumerate(frames):
            script.client({"type": "input_audio_buffer.append", "audio": base64.b64encode(frame).decode()},
                          after_ms=APPEND_MS if index else 60)
            heard = (index + 1) * APPEND_MS
            if not started and heard >= start + 2 * APPEND_MS:  # VAD is sure after two loud frames
                script.server({"type": "input_audio_buffer.speech_started", "audio_start_ms": self.audio_ms + start,
                               "item_id": item_id}, after_ms=6)
                script.wait(-6)  # (the next append is 20 ms after the previous one, not after this)
                started = True
        stop_ms = self.audio_ms + end + VAD_SILENCE_MS
        script.server({"type": "input_audio_buffer.speech_stopped", "audio_end_ms": stop_ms, "item_id": item_id},
                      after_ms=8)
        self.audio_ms += len(audio) * 1000 // BYTES_PER_SECOND
        script.server({"type": "input_audio_buffer.committed", "previous_item_id": self.last_item, "item_id": item_id},
                      after_ms=2)
        self.add_item({"id": item_id, "type": "message", "status": "completed", "role": "user",
                       "content": [{"type": "input_audio", "transcript": None}]})
        audio_tokens = -(-len(audio) * 10 // BYTES_PER_SECOND)  # (input audio: a token per 100 ms, rounded up)
        self.audio_tokens += audio_tokens
        self.pending_transcription = (item_id, transcript, audio_tokens)

    def transcription(self) -> None:
        """The input transcription of the user's last utterance, if one is pending."""
        if self.pending_transcription is None:
            return
        item_id, transcript, audio_tokens = self.pending_transcription
        self.pending_transcription = None
        self.script.server({"type": "conversation.item.input_audio_transcription.delta", "item_id": item_id,
                            "content_index": 0, "delta": transcript}, after_ms=2)
        self.script.server({
            "type": "conversation.item.input_audio_transcription.completed", "item_id": item_id, "content_index": 0,
            "transcript": transcript,
            "usage": {"type": "tokens", "total_tokens": audio_tokens + tokens(transcript), "input_tokens": audio_tokens,
                      "input_token_details": {"text_tokens": 0, "audio_tokens": audio_tokens},
                      "output_tokens": tokens(transcript)},
        }, after_ms=1)

    def response_object(self, response_id: str, status: str, output: list[Event], usage: Event | None) -> Event:
        """The GA ``realtime.response`` of ``response.created`` and ``response.done``."""
        return {
            "object": "realtime.response", "id": response_id, "status": status, "status_details": None,
            "output": output, "conversation_id": self.conversation_id, "output_modalities": list(self.modalities),
            "max_output_tokens": "inf",
            "audio": {"output": {"format": {"type": "audio/pcm", "rate": RATE}, "voice": "marin"}},
            "usage": usage, "metadata": None,
        }

    def usage(self, output_text: int, output_audio: int) -> Event:
        """``usage`` of a response: the whole conversation so far is its input (what the previous
        response already read is cached, in 64-token blocks, as text); its output as given."""
        input_text, input_audio = self.text_tokens, self.audio_tokens
        total_input = input_text + input_audio
        cached, self.cached_tokens = self.cached_tokens, total_input // 64 * 64
        return {
            "total_tokens": total_input + output_text + output_audio, "input_tokens": total_input,
            "output_tokens": output_text + output_audio,
            "input_token_details": {
                "text_tokens": input_text, "audio_tokens": input_audio, "image_tokens": 0, "cached_tokens": cached,
                "cached_tokens_details": {"text_tokens": cached, "audio_tokens": 0, "image_tokens": 0},
            },
            "output_token_details": {"text_tokens": output_text, "audio_tokens": output_audio},
        }

    def respond(self, body: Callable[[str], tuple[list[Event], int, int]]) -> None:
        """One response: ``response.created``, what ``body(response_id)`` sends (returning the
        output items and their text and audio tokens), ``response.done`` and ``rate_limits.updated``."""
        script = self.script
        response_id = script.id("resp")
        script.server({"type": "response.created", "response": self.response_object(response_id, "in_progress", [], None)},
                      after_ms=25)
        output, text_tokens, audio_tokens = body(response_id)
        usage = self.usage(text_tokens, audio_tokens)
        script.server({"type": "response.done", "response": self.response_object(response_id, "completed", output, usage)},
                      after_ms=2)
        self.text_tokens += text_tokens
        self.audio_tokens += audio_tokens
        remaining = 40_000 - usage["total_tokens"]
        script.server({"type": "rate_limits.updated", "rate_limits": [
            {"name": "requests", "limit": 5_000, "remaining": 4_999, "reset_seconds": 0.012},
            {"name": "tokens", "limit": 40_000, "remaining": remaining, "reset_seconds": round(usage["total_tokens"] * 0.0015, 3)},
        ]}, after_ms=1)

    def _open_message(self, response_id: str, part: Event) -> tuple[str, Event]:
        """An assistant message's item and content part opened: the item's id, and the fields every
        event about the part carries."""
        script = self.script
        item_id = script.id("item")
        item = {"id": item_id, "type": "message", "status": "in_progress", "role": "assistant", "content": []}
        script.server({"type": "response.output_item.added", "response_id": response_id, "output_index": 0, "item": item},
                      after_ms=180)
        script.server({"type": "conversation.item.added", "previous_item_id": self.last_item, "item": item}, after_ms=1)
        where = {"response_id": response_id, "item_id": item_id, "output_index": 0, "content_index": 0}
        script.server({"type": "response.content_part.added", **where, "part": part}, after_ms=1)
        return item_id, where

    def _close_message(self, response_id: str, item_id: str, where: Event, part: Event) -> Event:
        """The content part, the item and the conversation's copy of it done; the finished item."""
        script = self.script
        script.server({"type": "response.content_part.done", **where, "part": part}, after_ms=1)
        item = {"id": item_id, "type": "message", "status": "completed", "role": "assistant", "content": [part]}
        script.server({"type": "response.output_item.done", "response_id": response_id, "output_index": 0, "item": item},
                      after_ms=1)
        script.server({"type": "conversation.item.done", "previous_item_id": self.last_item, "item": item}, after_ms=1)
        self.last_item = item_id
        return item

    def spoken_answer(self, pcm: bytes, transcript: str) -> Callable[[str], tuple[list[Event], int, int]]:
        """A response's body that speaks ``pcm`` (its transcript ``transcript``): 100 ms audio
        deltas, faster than real time, with the transcript's deltas spread among them."""

        def body(response_id: str) -> tuple[list[Event], int, int]:
            script = self.script
            item_id, where = self._open_message(response_id, {"type": "output_audio", "transcript": ""})
            deltas = chunks(pcm, DELTA_BYTES)
            pieces = words(transcript)
            due = [-(-len(pieces) * i // len(deltas)) for i in range(len(deltas) + 1)]  # pieces sent by delta i (the text leads)
            sent = 0
            for index, delta in enumerate(deltas):
                while sent < due[index + 1]:
                    script.server({"type": "response.output_audio_transcript.delta", **where, "delta": pieces[sent]},
                                  after_ms=1 if sent or index else 60)
                    sent += 1
                script.server({"type": "response.output_audio.delta", **where, "delta": base64.b64encode(delta).decode()},
                              after_ms=45 if index else 2)
                if index == min(2, len(deltas) - 1):
                    self.transcription()
            script.server({"type": "response.output_audio.done", **where}, after_ms=3)
            script.server({"type": "response.output_audio_transcript.done", **where, "transcript": transcript}, after_ms=1)
            item = self._close_message(response_id, item_id, where, {"type": "output_audio", "transcript": transcript})
            return [item], tokens(transcript), -(-len(pcm) * 20 // BYTES_PER_SECOND)  # (a token per 50 ms, rounded up)

        return body

    def written_answer(self, text: str) -> Callable[[str], tuple[list[Event], int, int]]:
        """A response's body that writes ``text`` in ``response.output_text.delta`` events."""

        def body(response_id: str) -> tuple[list[Event], int, int]:
            script = self.script
            item_id, where = self._open_message(response_id, {"type": "output_text", "text": ""})
            for index, piece in enumerate(words(text)):
                script.server({"type": "response.output_text.delta", **where, "delta": piece}, after_ms=12 if index else 90)
            script.server({"type": "response.output_text.done", **where, "text": text}, after_ms=2)
            item = self._close_message(response_id, item_id, where, {"type": "output_text", "text": text})
            return [item], tokens(text), 0

        return body

    def function_call(self, name: str, arguments: str) -> Callable[[str], tuple[list[Event], int, int]]:
        """A response's body that calls the function ``name`` with ``arguments`` (JSON text), the
        arguments streamed in pieces."""

        def body(response_id: str) -> tuple[list[Event], int, int]:
            script = self.script
            self.transcription()
            item_id, call_id = script.id("item"), script.id("call", 16)
            item = {"id": item_id, "type": "function_call", "status": "in_progress", "name": name, "call_id": call_id,
                    "arguments": ""}
            script.server({"type": "response.output_item.added", "response_id": response_id, "output_index": 0,
                           "item": item}, after_ms=210)
            script.server({"type": "conversation.item.added", "previous_item_id": self.last_item, "item": item}, after_ms=1)
            for index, piece in enumerate(re.findall(r'"[^"]*"|[^"]+', arguments)):
                script.server({"type": "response.function_call_arguments.delta", "response_id": response_id,
                               "item_id": item_id, "output_index": 0, "call_id": call_id, "delta": piece},
                              after_ms=9 if index else 40)
            script.server({"type": "response.function_call_arguments.done", "response_id": response_id, "item_id": item_id,
                           "output_index": 0, "call_id": call_id, "name": name, "arguments": arguments}, after_ms=2)
            done = {**item, "status": "completed", "arguments": arguments}
            script.server({"type": "response.output_item.done", "response_id": response_id, "output_index": 0,
                           "item": done}, after_ms=1)
            script.server({"type": "conversation.item.done", "previous_item_id": self.last_item, "item": done}, after_ms=1)
            self.last_item = item_id
            self.last_call_id = call_id
            return [done], tokens(arguments) + 8, 0

        return body


# -------------------------------------------------------------------------------- recordings


#: What is said in each recording.
VOICE_TURN = ("Hello, can you hear me?", "Yes, I can hear you clearly.")
FUNCTION_CALL = ("What is the weather in Paris?", "It is sunny in Paris, eighteen degrees.")
ERROR_TURN = ("Say hello in five words.", "Hello there, nice to meet you!")
#: The weather function of ``function-call``, and what it returns.
WEATHER_TOOL: Event = {
    "type": "function", "name": "get_weather", "description": "Get the current weather in a city.",
    "parameters": {"type": "object", "properties": {"city": {"type": "string", "description": "The city's name."}},
                   "required": ["city"]},
}
WEATHER = {"city": "Paris", "temperature_c": 18, "conditions": "sunny"}
#: When each recording starts (2026-11-29 09:00:00 UTC, a minute apart).
START = 1_795_942_800_000_000_000


def voice_turn(user: bytes, assistant: bytes) -> list[Record]:
    """``voice-turn``: a spoken question (``user``, 24 kHz PCM16) answered in speech (``assistant``)."""
    script = Script("voice-turn", START)
    conversation = Conversation(script)
    conversation.connect()
    conversation.update(session_config(modalities=["audio"], instructions="You are a friendly voice assistant. Keep answers short."))
    conversation.user_speaks(user, VOICE_TURN[0])
    conversation.respond(conversation.spoken_answer(assistant, VOICE_TURN[1]))
    return script.records


def function_call(user: bytes, assistant: bytes) -> list[Record]:
    """``function-call``: a spoken question the model answers by calling ``get_weather``; the client
    sends the function's output and asks for a response, which is spoken."""
    script = Script("function-call", START + 60_000_000_000)
    conversation = Conversation(script)
    conversation.connect()
    conversation.update(session_config(modalities=["audio"], tools=[WEATHER_TOOL],
                                       instructions="You are a weather assistant. Use get_weather, then answer in one sentence."))
    conversation.user_speaks(user, FUNCTION_CALL[0])
    conversation.respond(conversation.function_call("get_weather", json.dumps({"city": "Paris"}, separators=(",", ":"))))
    output = json.dumps(WEATHER, separators=(",", ":"))
    script.client({"type": "conversation.item.create", "item": {
        "type": "function_call_output", "call_id": conversation.last_call_id, "output": output}}, after_ms=140)
    conversation.add_item({"id": script.id("item"), "type": "function_call_output", "call_id": conversation.last_call_id,
                           "output": output}, after_ms=20)
    conversation.text_tokens += tokens(output)
    script.client({"type": "response.create"}, after_ms=3)
    conversation.respond(conversation.spoken_answer(assistant, FUNCTION_CALL[1]))
    return script.records


def error() -> list[Record]:
    """``error``: a ``session.update`` without ``session.type`` (required in GA) answered by an
    ``error`` event that names the parameter and the client's ``event_id``; then a valid update and
    a short text turn."""
    script = Script("error", START + 120_000_000_000)
    conversation = Conversation(script)
    conversation.connect()
    bad = script.id("evt", 16)
    script.client({"type": "session.update", "event_id": bad,
                   "session": {"instructions": "Answer in one short sentence.", "output_modalities": ["text"]}}, after_ms=35)
    script.server({"type": "error", "error": {
        "type": "invalid_request_error", "code": "missing_required_parameter",
        "message": "Missing required parameter: 'session.type'.", "param": "session.type", "event_id": bad}}, after_ms=60)
    conversation.update(session_config(modalities=["text"], instructions="Answer in one short sentence.", voice=False),
                        event_id=script.id("evt", 16))
    question = ERROR_TURN[0]
    script.client({"type": "conversation.item.create", "item": {
        "type": "message", "role": "user", "content": [{"type": "input_text", "text": question}]}}, after_ms=400)
    conversation.add_item({"id": script.id("item"), "type": "message", "status": "completed", "role": "user",
                           "content": [{"type": "input_text", "text": question}]}, after_ms=30)
    conversation.text_tokens += tokens(question)
    script.client({"type": "response.create"}, after_ms=5)
    conversation.respond(conversation.written_answer(ERROR_TURN[1]))
    return script.records


def recordings(espeak: str = "espeak-ng") -> dict[str, list[Record]]:
    """Every recording, by name."""
    return {
        "voice-turn": voice_turn(speech(VOICE_TURN[0], USER_VOICE, espeak), speech(VOICE_TURN[1], ASSISTANT_VOICE, espeak)),
        "function-call": function_call(speech(FUNCTION_CALL[0], USER_VOICE, espeak),
                                       speech(FUNCTION_CALL[1], ASSISTANT_VOICE, espeak)),
        "error": error(),
    }


# ----------------------------------------------------------------------------------- writing

_KIND: dict[str, Literal["event", "client_event"]] = {"server": "event", "client": "client_event"}
_GENERIC = (models.GenericEvent, models.GenericClientEvent)


def event_text(direction: Direction, event: Event) -> bytes:
    """``event`` as the bridge writes it (compact, keys in the schema's order), after checking that
    the schema types every part of it strictly and that the text is the same JSON."""
    kind = _KIND[direction]
    built = json.dumps(event, separators=(",", ":"))
    text = bridge.binary_to_json(bridge.json_to_binary(built, kind=kind, strict=True), kind=kind, strict=True)
    decoded = (bridge.decode_event if direction == "server" else bridge.decode_client_event)(text, strict=True)
    if isinstance(decoded, _GENERIC) or bridge.drift(decoded):
        raise ValueError(f"{event['type']}: not typed by the schema: {bridge.drift(decoded)}")
    if _canonical(json.loads(text)) != _canonical(event):
        raise ValueError(f"{event['type']}: the bridge's text is not the event built")
    return text


def _canonical(value: object) -> str:
    return json.dumps(value, sort_keys=True)


def log_lines(records: Iterable[Record]) -> list[bytes]:
    """The JSON Lines envelopes of ``records`` (times must not go backwards)."""
    lines, last = [], 0
    for direction, received, event in records:
        if received < last:
            raise ValueError(f"time goes backwards at {event['type']}")
        last = received
        lines.append(bridge.session_envelope(event_text(direction, event), direction, received))
    return lines


def write(out: pathlib.Path, espeak: str = "espeak-ng") -> list[pathlib.Path]:
    """Write every recording to ``out/NAME.jsonl``; the paths written."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, records in recordings(espeak).items():
        path = out / f"{name}.jsonl"
        path.write_bytes(b"".join(line + b"\n" for line in log_lines(records)))
        written.append(path)
    return written


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=pathlib.Path, default=OUT, help="where to write NAME.jsonl (default: %(default)s)")
    parser.add_argument("--espeak", default="espeak-ng", help="the espeak-ng command (default: %(default)s)")
    args = parser.parse_args(argv)
    if shutil.which(args.espeak) is None:
        parser.error(f"{args.espeak} not found: apt-get install espeak-ng")
    for path in write(args.out, args.espeak):
        print(f"{path}: {path.stat().st_size:,} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
