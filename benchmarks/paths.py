"""The conversion paths that are timed, each with its subject (the bridge) and its peers.

A contender turns a :class:`~benchmarks.corpus.Case` into a :class:`Workload`: the list of calls
that make one operation, prepared outside the timing (inputs decoded or serialised in advance, the
right model class picked). Every contender runs its calls through the same loop, so the loop costs
all of them the same. A ratio is the peer's time over the subject's: above 1 the subject is faster.

The audio peers of issue 14 do by hand what the bridge does to an event with base64 audio (the
cases without audio skip them): ``orjson+base64`` is ``orjson.loads`` then ``base64.b64decode`` of
the audio, against ``json_to_binary``; ``base64+orjson`` is ``orjson.dumps`` of that result (the
parsed event, its audio as bytes) with ``base64.b64encode`` for the bytes (orjson's ``default``),
against ``binary_to_json`` of the bridge's protobuf bytes. ``orjson+pybase64`` and
``pybase64+orjson`` are the same with pybase64 at its fastest (``validate=True``,
``b64encode_as_string``), reported for information.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import msgspec

import bridge
from benchmarks import corpus, peers
from benchmarks.corpus import Case, with_unknown_keys

__all__ = ["PATHS", "Contender", "Path", "Workload"]


@dataclass(frozen=True)
class Workload:
    """One operation: ``fn(arg)`` for each pair, over ``messages`` events of ``json_bytes`` JSON."""

    calls: tuple[tuple[Callable[[Any], Any], Any], ...]
    messages: int
    json_bytes: int

    def op(self) -> Callable[[], None]:
        """The zero-argument callable the timer runs."""
        calls = self.calls

        def run() -> None:
            for fn, arg in calls:
                fn(arg)

        return run


@dataclass(frozen=True)
class Contender:
    """A named way of doing a path's conversion."""

    name: str
    prepare: Callable[[Case], Workload]


@dataclass(frozen=True)
class Path:
    """A conversion, the bridge's way of doing it (``subject``) and the alternatives."""

    name: str
    title: str
    subject: Contender
    peers: tuple[Contender, ...]


def _checked(calls: Sequence[tuple[Callable[[Any], Any], Any]]) -> tuple[tuple[Callable[[Any], Any], Any], ...]:
    """Run every call once: a peer that rejects the corpus is reported, not timed."""
    for fn, arg in calls:
        try:
            fn(arg)
        except peers.Unavailable:
            raise
        except Exception as error:
            raise peers.Unavailable(f"rejects the input: {type(error).__name__}: {error}") from None
    return tuple(calls)


def _on_documents(
    resolve: Callable[[Case], Callable[[Any], Any]], transform: Callable[[Case], Callable[[bytes], Any]] | None = None
) -> Callable[[Case], Workload]:
    """A contender that calls ``resolve(case)`` (looked up at prepare time, so a missing package is a
    skip; the case says which kind of event its documents are) on each document of the case,
    prepared by ``transform(case)``."""

    def prepare(case: Case) -> Workload:
        fn = resolve(case)
        prepared = transform(case) if transform else None
        calls = [(fn, prepared(d) if prepared else d) for d in case.documents]
        return Workload(_checked(calls), len(case), case.size)

    return prepare


def _per_document(make: Callable[[Case, bytes], tuple[Callable[[Any], Any], Any]]) -> Callable[[Case], Workload]:
    """A contender whose function, not only its input, depends on the document."""

    def prepare(case: Case) -> Workload:
        return Workload(_checked([make(case, d) for d in case.documents]), len(case), case.size)

    return prepare


def _same(value: Callable[[Any], Any]) -> Callable[[Case], Callable[[Any], Any]]:
    """The same function whatever the case."""
    return lambda case: value


# ----------------------------------------------------------------------- the bridge, per kind


def _decoder(case: Case) -> Callable[..., Any]:
    """``decode_event`` for server events, ``decode_client_event`` for client events."""
    return bridge.decode_client_event if case.kind == "client_event" else bridge.decode_event


def _to_binary(case: Case) -> Callable[[Any], Any]:
    if case.kind == "event":
        return bridge.json_to_binary  # the default kind: called as a user calls it
    json_to_binary, kind = bridge.json_to_binary, case.kind

    def to_binary(data: bytes) -> bytes:
        return json_to_binary(data, kind=kind)

    return to_binary


def _from_binary(case: Case) -> Callable[[Any], Any]:
    if case.kind == "event":
        return bridge.binary_to_json
    binary_to_json, kind = bridge.binary_to_json, case.kind

    def to_json(data: bytes) -> bytes:
        return binary_to_json(data, kind=kind)

    return to_json


def _decode_strict(case: Case) -> Callable[[Any], Any]:
    decode = _decoder(case)

    def strict(document: bytes) -> Any:
        return decode(document, strict=True)

    return strict


def _decode_default(case: Case) -> Callable[[Any], Any]:
    # The same call shape as _decode_strict, so that the ratio is the modes' and not the calls'
    # (a functools.partial with a keyword costs ~60 ns a call, 15% of a small event).
    decode = _decoder(case)

    def default(document: bytes) -> Any:
        return decode(document, strict=False)

    return default


def _unknown_keys(case: Case) -> Workload:
    documents = [with_unknown_keys(d) for d in case.documents]
    decode = _decoder(case)
    calls = [(decode, d) for d in documents]
    return Workload(_checked(calls), len(documents), sum(map(len, documents)))


# ------------------------------------------------------------------------------ peer functions


def _orjson_loads(case: Case) -> Callable[[Any], Any]:
    return peers.optional("orjson").loads


def _orjson_dumps(case: Case) -> Callable[[Any], Any]:
    return peers.optional("orjson").dumps


def _json_dumps(obj: Any) -> bytes:
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=False).encode()


def _json_loads(case: Case) -> Callable[[bytes], Any]:
    return json.loads


def _pydantic_validate(case: Case, document: bytes) -> tuple[Callable[[Any], Any], Any]:
    return peers.openai_model_for(document, case.protocol).model_validate_json, document


def _pydantic_dump(case: Case, document: bytes) -> tuple[Callable[[Any], Any], Any]:
    model = peers.openai_model_for(document, case.protocol).model_validate_json(document)
    return _dump_model, model


def _dump_model(model: Any) -> bytes:
    return model.model_dump_json(exclude_unset=True).encode()


def _openai_recv(case: Case) -> Callable[[Any], Any]:
    if case.kind != "event":
        raise peers.Unavailable("the SDK's connection receives server events only")
    return peers.openai_recv(case.protocol)


def _json_format_parse(case: Case, document: bytes) -> tuple[Callable[[Any], Any], Any]:
    """JSON → plain mirror message → bytes, as ``google.protobuf.json_format`` does it."""
    from google.protobuf import json_format

    message_class = peers.plain_message_for(document, case.kind)
    parse = json_format.Parse

    def to_binary(data: bytes) -> bytes:
        return parse(data, message_class(), ignore_unknown_fields=True).SerializeToString()

    return to_binary, document


def _json_format_print(case: Case, document: bytes) -> tuple[Callable[[Any], Any], Any]:
    """Plain mirror bytes → message → JSON, as ``google.protobuf.json_format`` does it."""
    from google.protobuf import json_format

    to_binary, _ = _json_format_parse(case, document)
    message_class = peers.plain_message_for(document, case.kind)
    to_json = json_format.MessageToJson

    def to_text(data: bytes) -> bytes:
        message = message_class()
        message.ParseFromString(data)
        return to_json(message, preserving_proto_field_name=True, indent=None).encode()

    return to_text, to_binary(document)


def _base64_codec(module: str) -> tuple[Callable[[str], bytes], Callable[[bytes], str]]:
    """The base64 decode and encode (to ``str``) a user of ``module`` calls."""
    if module == "base64":
        b64encode = base64.b64encode
        return base64.b64decode, lambda data: b64encode(data).decode()
    fast = peers.optional("pybase64")
    b64decode = fast.b64decode
    return lambda text: b64decode(text, validate=True), fast.b64encode_as_string


def _audio_decoding(module: str) -> Callable[[Case, bytes], tuple[Callable[[Any], Any], Any]]:
    """``orjson.loads`` of the event, then its base64 audio decoded to bytes with ``module``."""

    def make(case: Case, document: bytes) -> tuple[Callable[[Any], Any], Any]:
        audio = corpus.audio_of(document)
        if audio is None:
            raise peers.Unavailable("the case carries no base64 audio")
        key = audio[0]
        loads, (b64decode, _) = peers.optional("orjson").loads, _base64_codec(module)

        def to_event(data: bytes) -> dict[str, Any]:
            event = loads(data)
            event[key] = b64decode(event[key])
            return event

        return to_event, document

    return make


def _audio_encoding(module: str) -> Callable[[Case, bytes], tuple[Callable[[Any], Any], Any]]:
    """``orjson.dumps`` of the event as :func:`_audio_decoding` leaves it (its audio as bytes),
    the bytes base64-encoded with ``module`` (orjson calls ``default`` for them)."""

    def make(case: Case, document: bytes) -> tuple[Callable[[Any], Any], Any]:
        to_event, _ = _audio_decoding(module)(case, document)
        dumps, (_, b64encode) = peers.optional("orjson").dumps, _base64_codec(module)

        def to_json(event: dict[str, Any]) -> bytes:
            return dumps(event, default=b64encode)

        return to_json, to_event(document)

    return make


PATHS: tuple[Path, ...] = (
    Path(
        "decode",
        "JSON → typed objects",
        Contender("bridge", _on_documents(_decoder)),
        (
            Contender("json", _on_documents(_json_loads)),
            Contender("orjson", _on_documents(_orjson_loads)),
            Contender("openai-pydantic", _per_document(_pydantic_validate)),
            Contender("openai-recv", _on_documents(_openai_recv)),
        ),
    ),
    Path(
        "to_binary",
        "JSON → protobuf bytes",
        Contender("bridge", _on_documents(_to_binary)),
        (
            Contender("json_format", _per_document(_json_format_parse)),
            Contender("orjson+base64", _per_document(_audio_decoding("base64"))),
            Contender("orjson+pybase64", _per_document(_audio_decoding("pybase64"))),
        ),
    ),
    Path(
        "from_binary",
        "protobuf bytes → JSON",
        Contender("bridge", _on_documents(_from_binary, _to_binary)),
        (
            Contender("json_format", _per_document(_json_format_print)),
            Contender("base64+orjson", _per_document(_audio_encoding("base64"))),
            Contender("pybase64+orjson", _per_document(_audio_encoding("pybase64"))),
        ),
    ),
    Path(
        "encode",
        "typed objects → JSON",
        Contender("bridge", _on_documents(_same(bridge.encode), _decoder)),
        (
            Contender("msgspec", _on_documents(_same(msgspec.json.encode), _json_loads)),
            Contender("orjson", _on_documents(_orjson_dumps, _json_loads)),
            Contender("json", _on_documents(_same(_json_dumps), _json_loads)),
            Contender("openai-pydantic", _per_document(_pydantic_dump)),
        ),
    ),
    Path(
        "decode_strict",
        "strict=True decode (peer: default mode)",
        Contender("bridge-strict", _on_documents(_decode_strict)),
        (Contender("default", _on_documents(_decode_default)),),
    ),
    Path(
        "decode_unknown",
        "decode with unknown keys (peer: without them)",
        Contender("bridge-unknown", _unknown_keys),
        (Contender("known-only", _on_documents(_decoder)),),
    ),
)
