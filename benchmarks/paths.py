"""The conversion paths that are timed, each with its subject (the bridge) and its peers.

A contender turns a :class:`~benchmarks.corpus.Case` into a :class:`Workload`: the list of calls
that make one operation, prepared outside the timing (inputs decoded or serialised in advance, the
right model class picked). Every contender runs its calls through the same loop, so the loop costs
all of them the same. A ratio is the peer's time over the subject's: above 1 the subject is faster.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import msgspec

import bridge
from benchmarks import peers
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
    resolve: Callable[[], Callable[[Any], Any]], transform: Callable[[bytes], Any] | None = None
) -> Callable[[Case], Workload]:
    """A contender that calls ``resolve()`` (looked up at prepare time, so a missing package is a
    skip) on each document of the case, prepared by ``transform``."""

    def prepare(case: Case) -> Workload:
        fn = resolve()
        calls = [(fn, transform(d) if transform else d) for d in case.documents]
        return Workload(_checked(calls), len(case), case.size)

    return prepare


def _per_document(make: Callable[[bytes], tuple[Callable[[Any], Any], Any]]) -> Callable[[Case], Workload]:
    """A contender whose function, not only its input, depends on the document."""

    def prepare(case: Case) -> Workload:
        return Workload(_checked([make(d) for d in case.documents]), len(case), case.size)

    return prepare


# ------------------------------------------------------------------------------ peer functions


def _orjson_loads() -> Callable[[Any], Any]:
    return peers.optional("orjson").loads


def _orjson_dumps() -> Callable[[Any], Any]:
    return peers.optional("orjson").dumps


def _json_dumps(obj: Any) -> bytes:
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=False).encode()


def _pydantic_validate(document: bytes) -> tuple[Callable[[Any], Any], Any]:
    return peers.openai_model_for(document).model_validate_json, document


def _pydantic_dump(document: bytes) -> tuple[Callable[[Any], Any], Any]:
    model = peers.openai_model_for(document).model_validate_json(document)
    return _dump_model, model


def _dump_model(model: Any) -> bytes:
    return model.model_dump_json(exclude_unset=True).encode()


def _json_format_parse() -> Callable[[Any], Any]:
    """JSON → plain mirror message → bytes, as ``google.protobuf.json_format`` does it."""
    from google.protobuf import json_format

    message_class = peers.plain_mirror().ServerEvent
    parse = json_format.Parse

    def to_binary(data: bytes) -> bytes:
        return parse(data, message_class(), ignore_unknown_fields=True).SerializeToString()

    return to_binary


def _json_format_print() -> Callable[[Any], Any]:
    """Plain mirror bytes → message → JSON, as ``google.protobuf.json_format`` does it."""
    from google.protobuf import json_format

    message_class = peers.plain_mirror().ServerEvent
    to_json = json_format.MessageToJson

    def to_text(data: bytes) -> bytes:
        message = message_class()
        message.ParseFromString(data)
        return to_json(message, preserving_proto_field_name=True, indent=None).encode()

    return to_text


def _plain_binary(document: bytes) -> bytes:
    return _json_format_parse()(document)


def _unknown_keys(case: Case) -> Workload:
    documents = [with_unknown_keys(d) for d in case.documents]
    calls = [(bridge.decode_event, d) for d in documents]
    return Workload(_checked(calls), len(documents), sum(map(len, documents)))


def _decode_strict(document: bytes) -> Any:
    return bridge.decode_event(document, strict=True)


def _decode_default(document: bytes) -> Any:
    # The same call shape as _decode_strict, so that the ratio is the modes' and not the calls'
    # (a functools.partial with a keyword costs ~60 ns a call, 15% of a small event).
    return bridge.decode_event(document, strict=False)


def _same(value: Callable[[Any], Any]) -> Callable[[], Callable[[Any], Any]]:
    return lambda: value


PATHS: tuple[Path, ...] = (
    Path(
        "decode",
        "JSON → typed objects",
        Contender("bridge", _on_documents(_same(bridge.decode_event))),
        (
            Contender("json", _on_documents(_same(json.loads))),
            Contender("orjson", _on_documents(_orjson_loads)),
            Contender("openai-pydantic", _per_document(_pydantic_validate)),
            Contender("openai-recv", _on_documents(peers.openai_recv)),
        ),
    ),
    Path(
        "to_binary",
        "JSON → protobuf bytes",
        Contender("bridge", _on_documents(_same(bridge.json_to_binary))),
        (Contender("json_format", _on_documents(_json_format_parse)),),
    ),
    Path(
        "from_binary",
        "protobuf bytes → JSON",
        Contender("bridge", _on_documents(_same(bridge.binary_to_json), bridge.json_to_binary)),
        (Contender("json_format", _on_documents(_json_format_print, _plain_binary)),),
    ),
    Path(
        "encode",
        "typed objects → JSON",
        Contender("bridge", _on_documents(_same(bridge.encode), bridge.decode_event)),
        (
            Contender("msgspec", _on_documents(_same(msgspec.json.encode), json.loads)),
            Contender("orjson", _on_documents(_orjson_dumps, json.loads)),
            Contender("json", _on_documents(_same(_json_dumps), json.loads)),
            Contender("openai-pydantic", _per_document(_pydantic_dump)),
        ),
    ),
    Path(
        "decode_strict",
        "strict=True decode (peer: default mode)",
        Contender("bridge-strict", _on_documents(_same(_decode_strict))),
        (Contender("default", _on_documents(_same(_decode_default))),),
    ),
    Path(
        "decode_unknown",
        "decode with unknown keys (peer: without them)",
        Contender("bridge-unknown", _unknown_keys),
        (Contender("known-only", _on_documents(_same(bridge.decode_event))),),
    ),
)
