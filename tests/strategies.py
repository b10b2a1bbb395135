"""Hypothesis strategies for Realtime documents, and an independent oracle for strict mode.

The schema below (beta and GA shapes alike) is written from the upstream documentation (the
project's NOTES on the wire format), not read from ``bridge._schema`` or the .proto files, so that it can catch the converters
disagreeing with the documented model. Only the set of keys each Struct knows is read from the
models, so that keys added to the model later are never generated as "unknown" ones.

Every generated object has each documented key independently missing, ``null`` or holding a value;
with ``drift=True`` it also gets keys the schema does not know (holding arbitrary JSON: nested
containers, integers far beyond 64 bits, floats, any Unicode) and enum strings outside the known set.
"""

from __future__ import annotations

import abc
import base64
import binascii
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cached_property
from typing import Any

import msgspec
from hypothesis import strategies as st

import bridge
from bridge import _schema

__all__ = [
    "EVENT_TYPES",
    "corrupted",
    "RESPONSE",
    "canonical",
    "documents",
    "generic_events",
    "holds_base64_text",
    "json_text",
    "json_values",
    "response_events",
    "responses",
    "strict_violations",
]

INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1
EVENT_TYPES = ("response.created", "response.done")

# ------------------------------------------------------------------------------------ JSON values

#: Strings that tend to break encoders: escapes, control characters, astral-plane characters,
#: the edges of the BMP, characters JSON must not leave raw (U+2028 is legal JSON, not legal JS).
_TRICKY = ("", " ", '"', "\\", "/", "\u0000", "\u001f", "\u007f", "é", "\u2028", "\ud7ff", "\ue000",
           "\ufeff", "\uffff", "😀", "𝄞", "\U0010ffff", "a\u0301", "null", "{}", "\\u0000")

strings = st.one_of(st.text(max_size=12), st.sampled_from(_TRICKY))

#: Keys for unknown members. Names the implementation uses internally are mixed in on purpose.
_key_names = st.one_of(
    st.text(max_size=8),
    st.sampled_from(("extra", "json_fidelity", "__bridge_extra__", "null_fields", "unknown_keys", "phase",
                     "😀", "a b", "$", "[0]", "\u0000")),
)

_numbers = st.one_of(
    st.integers(INT64_MIN, INT64_MAX),
    st.integers(min_value=-(2**130), max_value=2**130),  # far outside any fixed-width integer
    st.floats(allow_nan=False, allow_infinity=False),
)

#: Any JSON value (as Python data): what an unknown key may hold.
json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), _numbers, strings),
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(strings, inner, max_size=3)),
    max_leaves=8,
)


# ------------------------------------------------------------------------------------- the schema


class Spec(abc.ABC):
    """How one known key's value is generated, and what strict mode says about it."""

    @abc.abstractmethod
    def values(self, drift: bool) -> st.SearchStrategy[Any]:
        """The values of this key; with ``drift``, also values strict mode must reject."""

    def strict(self, value: Any, path: str) -> Iterator[str]:
        """Paths strict mode must report for ``value`` (never ``None``: null is always allowed)."""
        return iter(())


class Text(Spec):
    def values(self, drift: bool) -> st.SearchStrategy[Any]:
        return strings


def _is_canonical_base64(text: str) -> bool:
    """Whether ``text`` is what the standard library's encoder writes for some bytes."""
    try:
        return base64.b64encode(base64.b64decode(text, validate=True)).decode() == text
    except (binascii.Error, ValueError):
        return False


#: Base64 text no encoder writes: each way a sender can get it wrong, and any string.
_loose_base64 = st.one_of(
    st.sampled_from(("AB==", "AAB=", "AA", "AA=", "A", "QUJD\nREVG", "QUJD\r\nREVG", " QUJD", "-_8=", "AA==AA==",
                     "====", "Q\u00e9==", "é")),
    st.binary(min_size=1, max_size=12).map(lambda b: base64.urlsafe_b64encode(b).decode().rstrip("=")),
)


def holds_base64_text(obj: Any) -> bool:
    """Whether a decoded model holds base64 that is not canonical (a :class:`bridge.Base64Text`)
    anywhere: the compiled paths leave its exact text to the pure path."""
    if isinstance(obj, bridge.Base64Text):
        return True
    if isinstance(obj, list):
        return any(map(holds_base64_text, obj))
    return isinstance(obj, msgspec.Struct) and any(map(holds_base64_text, msgspec.structs.astuple(obj)))


class Base64(Spec):
    """Base64 audio: canonical, as every encoder writes it; with drift also text that is not, which
    is carried exactly and which strict mode rejects."""

    def values(self, drift: bool) -> st.SearchStrategy[Any]:
        canonical = st.binary(max_size=24).map(lambda b: base64.b64encode(b).decode())
        return st.one_of(canonical, _loose_base64, strings) if drift else canonical

    def strict(self, value: Any, path: str) -> Iterator[str]:
        if isinstance(value, str) and not _is_canonical_base64(value):
            yield path


class Bool(Spec):
    def values(self, drift: bool) -> st.SearchStrategy[Any]:
        return st.booleans()


class AnyJson(Spec):
    """Any JSON value (MCP ``input_schema``, ``annotations``): data, never drift."""

    def values(self, drift: bool) -> st.SearchStrategy[Any]:
        return json_values


class Int64(Spec):
    def values(self, drift: bool) -> st.SearchStrategy[Any]:
        return st.one_of(st.integers(INT64_MIN, INT64_MAX), st.sampled_from((0, INT64_MIN, INT64_MAX)))


@dataclass(frozen=True)
class Enum(Spec):
    known: tuple[str, ...]

    def values(self, drift: bool) -> st.SearchStrategy[Any]:
        known = st.sampled_from(self.known)
        return st.one_of(known, strings.filter(lambda s: s not in self.known)) if drift else known

    def strict(self, value: Any, path: str) -> Iterator[str]:
        if value not in self.known:
            yield path


class Temperature(Spec):
    """A number; strict mode wants it within [0.6, 1.2]."""

    def values(self, drift: bool) -> st.SearchStrategy[Any]:
        return st.one_of(
            st.floats(0.6, 1.2),
            st.sampled_from((0.6, 0.8, 1.2, 0.5999999999999999, 1.2000000000000002)),
            st.floats(allow_nan=False, allow_infinity=False),
            st.integers(-3, 3),  # a JSON integer in a float field
        )

    def strict(self, value: Any, path: str) -> Iterator[str]:
        if not 0.6 <= value <= 1.2:
            yield path


class MaxOutputTokens(Spec):
    """An integer or the string ``"inf"``."""

    def values(self, drift: bool) -> st.SearchStrategy[Any]:
        return st.one_of(Int64().values(drift), Enum(("inf",)).values(drift))

    def strict(self, value: Any, path: str) -> Iterator[str]:
        if isinstance(value, str) and value != "inf":
            yield path


def _repeat(lengths: tuple[int, int]) -> st.SearchStrategy[str]:
    """Long strings made cheaply: one character (possibly astral) repeated."""
    return st.builds(lambda char, n: char * n, st.characters(exclude_categories=("Cs",)), st.integers(*lengths))


class Metadata(Spec):
    """String to string; strict: at most 16 pairs, keys <= 64 characters, values <= 512."""

    def values(self, drift: bool) -> st.SearchStrategy[Any]:
        keys = st.one_of(strings, _repeat((63, 66)))
        small = st.dictionaries(keys, st.one_of(strings, _repeat((510, 514))), max_size=4)
        many = st.dictionaries(st.text(min_size=1, max_size=3), strings, min_size=15, max_size=18)
        return st.integers(0, 7).flatmap(lambda n: many if n == 0 else small)

    def strict(self, value: Any, path: str) -> Iterator[str]:
        if len(value) > 16:
            yield path
        for key, item in value.items():
            if len(key) > 64:
                yield path
            if len(item) > 512:
                yield join(path, key)


@dataclass(frozen=True)
class NameOrObject(Spec):
    """A string or an object, such as ``voice``: a name, or ``{"id": ...}`` for a custom voice."""

    obj: Spec

    def values(self, drift: bool) -> st.SearchStrategy[Any]:
        return st.one_of(strings, self.obj.values(drift))

    def strict(self, value: Any, path: str) -> Iterator[str]:
        return self.obj.strict(value, path) if isinstance(value, dict) else iter(())


@dataclass(frozen=True)
class ListOf(Spec):
    item: Spec

    def values(self, drift: bool) -> st.SearchStrategy[Any]:
        return st.lists(self.item.values(drift), max_size=3)

    def strict(self, value: Any, path: str) -> Iterator[str]:
        for index, item in enumerate(value):
            yield from self.item.strict(item, f"{path}[{index}]")


@dataclass(frozen=True)
class Obj(Spec):
    """An object whose documented keys are ``fields``; ``model`` tells which keys are known."""

    model: type
    fields: dict[str, Spec] = field(hash=False)

    @cached_property
    def known_keys(self) -> frozenset[str]:
        names = {f.encode_name for f in msgspec.structs.fields(self.model) if f.name != "extra"}
        tag = self.model.__struct_config__.tag_field
        return frozenset(names | ({tag} if tag else set()))

    def values(self, drift: bool) -> st.SearchStrategy[Any]:
        return _objects(self, drift)

    def strict(self, value: Any, path: str) -> Iterator[str]:
        known = self.known_keys
        for key, item in value.items():
            spec = self.fields.get(key)
            if key not in known:
                yield join(path, key)
            elif spec is not None and item is not None:
                yield from spec.strict(item, join(path, key))


#: What a documented key holds; set half the time, so that deep objects are common.
_STATES = st.sampled_from(("missing", "value", "null", "value"))


@st.composite
def _objects(draw: Callable[..., Any], spec: Obj, drift: bool) -> dict[str, Any]:
    members: list[tuple[str, Any]] = []
    for key, sub in spec.fields.items():
        state = draw(_STATES)
        if state == "value":
            members.append((key, draw(sub.values(drift))))
        elif state == "null":
            members.append((key, None))
    if drift:
        known = spec.known_keys
        unknown = draw(st.dictionaries(_key_names.filter(lambda k: k not in known), json_values, max_size=2))
        members.extend(unknown.items())
    return dict(draw(st.permutations(members)))


def join(path: str, key: str) -> str:
    """A JSON path step: ``.key`` for identifiers, ``["key"]`` (a JSON string) otherwise."""
    return f"{path}.{key}" if key.isidentifier() else f"{path}[{json.dumps(key, ensure_ascii=False)}]"


_ERROR = Obj(bridge.ResponseError, {"type": Text(), "code": Text(), "message": Text()})
_STATUS_DETAILS = Obj(bridge.StatusDetails, {
    "type": Enum(("completed", "cancelled", "incomplete", "failed")),
    "reason": Enum(("turn_detected", "client_cancelled", "max_output_tokens", "content_filter")),
    "error": _ERROR,
})
# Beta and GA together: the same Structs (and proto messages) serve both, so one document may mix
# their keys and values, and strict mode accepts either protocol's.
_CONTENT_PART = Obj(bridge.ContentPart, {
    "type": Enum(("input_text", "input_audio", "item_reference", "text", "audio", "input_image", "output_text",
                  "output_audio")),
    "text": Text(), "id": Text(), "audio": Base64(), "transcript": Text(), "image_url": Text(),
    "detail": Enum(("auto", "low", "high")),
})
_MCP_ERROR = Obj(bridge.McpError, {"type": Enum(("protocol_error", "tool_execution_error", "http_error")),
                                   "code": Int64(), "message": Text()})
_MCP_TOOL = Obj(bridge.McpTool, {"name": Text(), "description": Text(), "input_schema": AnyJson(),
                                 "annotations": AnyJson()})
_ITEM = Obj(bridge.ConversationItem, {
    "id": Text(),
    "type": Enum(("message", "function_call", "function_call_output", "mcp_call", "mcp_list_tools",
                  "mcp_approval_request", "mcp_approval_response")),
    "object": Enum(("realtime.item",)),
    "status": Enum(("completed", "incomplete", "in_progress")),
    "role": Enum(("user", "assistant", "system")),
    "content": ListOf(_CONTENT_PART),
    "call_id": Text(), "name": Text(), "arguments": Text(), "output": Text(),
    "server_label": Text(), "approval_request_id": Text(), "error": _MCP_ERROR, "tools": ListOf(_MCP_TOOL),
    "approve": Bool(), "reason": Text(),
})
_CACHED = Obj(bridge.CachedTokensDetails, {"text_tokens": Int64(), "audio_tokens": Int64(), "image_tokens": Int64()})
_INPUT_DETAILS = Obj(bridge.InputTokenDetails, {
    "cached_tokens": Int64(), "text_tokens": Int64(), "audio_tokens": Int64(), "image_tokens": Int64(),
    "cached_tokens_details": _CACHED,
})
_OUTPUT_DETAILS = Obj(bridge.OutputTokenDetails, {"text_tokens": Int64(), "audio_tokens": Int64()})
_USAGE = Obj(bridge.Usage, {
    "total_tokens": Int64(), "input_tokens": Int64(), "output_tokens": Int64(),
    "input_token_details": _INPUT_DETAILS, "output_token_details": _OUTPUT_DETAILS,
})

#: The ``realtime.response`` object as documented, beta and GA keys alike.
RESPONSE = Obj(bridge.RealtimeResponse, {
    "id": Text(),
    "object": Enum(("realtime.response",)),
    "status": Enum(("in_progress", "completed", "cancelled", "failed", "incomplete")),
    "status_details": _STATUS_DETAILS,
    "output": ListOf(_ITEM),
    "metadata": Metadata(),
    "usage": _USAGE,
    "conversation_id": Text(),
    "voice": NameOrObject(Obj(bridge.CustomVoice, {"id": Text()})),
    "modalities": ListOf(Enum(("text", "audio"))),
    "output_audio_format": Enum(("pcm16", "g711_ulaw", "g711_alaw")),
    "temperature": Temperature(),
    "max_output_tokens": MaxOutputTokens(),
    "output_modalities": ListOf(Enum(("text", "audio"))),
    "audio": Obj(bridge.ResponseAudio, {"output": Obj(bridge.ResponseAudioOutput, {
        "format": Obj(bridge.AudioOutputFormat, {"type": Enum(("audio/pcm", "audio/pcmu", "audio/pcma")),
                                                 "rate": Int64()}),
        "voice": NameOrObject(Obj(bridge.CustomVoice, {"id": Text()})),
    })}),
})

_ENVELOPE = Obj(bridge.ResponseDoneEvent, {"event_id": Text(), "response": RESPONSE})


# ---------------------------------------------------------------------------------- the documents


def responses(*, drift: bool = True) -> st.SearchStrategy[dict[str, Any]]:
    """Bare ``realtime.response`` objects."""
    return RESPONSE.values(drift)


def response_events(*, drift: bool = True) -> st.SearchStrategy[dict[str, Any]]:
    """``response.created`` and ``response.done`` events (``type`` first or anywhere)."""

    def with_type(event_type: str, envelope: dict[str, Any], first: bool) -> dict[str, Any]:
        pair = {"type": event_type}
        return {**pair, **envelope} if first else {**envelope, **pair}

    return st.builds(with_type, st.sampled_from(EVENT_TYPES), _ENVELOPE.values(drift), st.booleans())


@st.composite
def generic_events(draw: Callable[..., Any]) -> dict[str, Any]:
    """Every other server event: a ``type``, maybe an ``event_id``; all else is payload (which may
    use keys a response event knows, such as ``response``)."""
    members: list[tuple[str, Any]] = [("type", draw(_generic_types))]
    state = draw(st.sampled_from(("missing", "value", "null")))
    if state != "missing":
        members.append(("event_id", draw(strings) if state == "value" else None))
    members.extend(draw(_payloads).items())
    return dict(draw(st.permutations(members)))


#: Types the schema does not know (yet): named like real ones, or any string that is not a known type.
_FUTURE_TYPES = ("response.future.delta", "conversation.item.archived", "session.expired", "rate_limits.reset",
                 "input_audio_buffer.paused", "error.v2")
_generic_types = st.one_of(st.sampled_from(_FUTURE_TYPES), strings.filter(lambda t: t not in _schema.EVENT_PLANS))
_payloads = st.dictionaries(
    st.one_of(_key_names, st.sampled_from(("response", "response_id", "delta", "item"))).filter(
        lambda k: k not in ("type", "event_id")
    ),
    json_values,
    max_size=4,
)


def strict_violations(document: dict[str, Any], kind: str) -> list[str]:
    """The paths strict mode must report for a generated document, sorted."""
    if kind == "response":
        return sorted(RESPONSE.strict(document, "$"))
    if document["type"] not in EVENT_TYPES:
        return []  # a generic event's keys are its payload
    envelope = {k: v for k, v in document.items() if k != "type"}
    return sorted(_ENVELOPE.strict(envelope, "$"))


@st.composite
def json_text(draw: Callable[..., Any], document: dict[str, Any]) -> bytes | str:
    """``document`` serialized in one of the ways JSON arrives: compact or indented, ASCII-escaped
    (astral characters as surrogate-pair escapes) or raw UTF-8, as ``bytes`` or ``str``."""
    text = json.dumps(
        document,
        ensure_ascii=draw(st.booleans()),
        indent=draw(st.sampled_from((None, 1))),
        separators=draw(st.sampled_from(((",", ":"), (", ", ": ")))),
    )
    return text if draw(st.booleans()) else text.encode()


def documents(*, drift: bool = True) -> st.SearchStrategy[tuple[str, dict[str, Any]]]:
    """``(kind, document)`` for ``kind`` in ``"event"`` and ``"response"``."""
    events = st.one_of(response_events(drift=drift), generic_events()) if drift else response_events(drift=False)
    return st.one_of(st.tuples(st.just("event"), events), st.tuples(st.just("response"), responses(drift=drift)))


#: Bytes that matter to a JSON parser, and then any byte (invalid UTF-8 included).
_PARSER_BYTES = st.one_of(st.sampled_from(b'{}[]",:\\0-.eEu \x00\x80\xbf\xc0\xed\xf4\xff'), st.integers(0, 255))


@st.composite
def corrupted(draw: Callable[..., Any], text: bytes) -> bytes:
    """``text`` with one to three bytes flipped, dropped or inserted."""
    out = bytearray(text)
    for _ in range(draw(st.integers(1, 3), label="edits")):
        at = draw(st.integers(0, len(out)), label="at")
        edit = draw(st.sampled_from(("replace", "delete", "insert")), label="edit")
        byte = draw(_PARSER_BYTES, label="byte")
        if edit == "insert":
            out.insert(at, byte)
        elif at < len(out):
            if edit == "delete":
                del out[at]
            else:
                out[at] = byte
    return bytes(out)


# ------------------------------------------------------------------------------------- comparison


def canonical(value: Any) -> Any:
    """A JSON value in a form where equality means "the same JSON": unlike ``==`` on parsed JSON it
    tells ``true`` from ``1`` and compares numbers by exact value (``1`` and ``1.0`` are the same
    number; ``9007199254740993`` and ``9007199254740992.0`` are not)."""
    if value is None or isinstance(value, (bool, str)):
        return (type(value).__name__, value)
    if isinstance(value, (int, float)):
        return ("number", Fraction(value))
    if isinstance(value, list):
        return ("array", tuple(canonical(v) for v in value))
    if isinstance(value, dict):
        return ("object", tuple(sorted((k, canonical(v)) for k, v in value.items())))
    raise TypeError(f"not a JSON value: {value!r}")
