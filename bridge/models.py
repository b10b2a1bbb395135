"""Typed msgspec Structs for the Realtime ``realtime.response`` object and its server events.

Every field is optional and defaults to :data:`msgspec.UNSET`, so the three states a JSON key can be
in stay distinct: missing (``UNSET``), explicit ``null`` (``None``) and a value. Closed string sets
(``status``, ``role``, ...) are typed ``str`` rather than ``Literal`` so that tomorrow's values decode
today; their known values live in the proto enums (``proto/bridge/v1/realtime.proto``) and
``strict=True`` checks them. Keys the schema does not know are kept, value for value, in each
Struct's :attr:`extra`.

The Structs mirror the proto messages field for field (``tests/test_schema_mirror.py`` proves it);
the converters are derived from both, so adding a field means adding it here and in the .proto.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Annotated, Any, TypeVar, Union

import msgspec
from msgspec import UNSET, Raw, UnsetType

__all__ = [
    "UNSET",
    "CachedTokensDetails",
    "ContentPart",
    "AudioOutputFormat",
    "ConversationItem",
    "CustomVoice",
    "Extra",
    "GenericEvent",
    "InputTokenDetails",
    "JsonValue",
    "Number",
    "McpError",
    "McpTool",
    "OutputTokenDetails",
    "RealtimeResponse",
    "ResponseCreatedEvent",
    "ResponseDoneEvent",
    "ResponseAudio",
    "ResponseAudioOutput",
    "ResponseError",
    "ServerEvent",
    "StatusDetails",
    "Usage",
    "UnsetType",
]

T = TypeVar("T")

#: A key that may be missing (``UNSET``), ``null`` (``None``) or hold a ``T``.
Field = Union[T, None, UnsetType]

#: Token counts and other integers: whatever fits a protobuf ``int64``.
Int64 = Annotated[int, msgspec.Meta(ge=-(2**63), le=2**63 - 1)]

#: A JSON number held in a protobuf ``double``. A JSON integer stays an ``int`` so that it is never
#: rounded silently: converting one that a double cannot hold exactly is an error.
Number = Union[int, float]

#: A value of any JSON shape, kept as its exact JSON text (an explicit ``null`` is ``Raw(b"null")``).
JsonValue = Union[Raw, UnsetType]

#: The JSON name of the ``extra`` field. No JSON key is ever decoded into it (a payload that uses
#: this key has it carried in ``extra`` like any other unknown key).
EXTRA_KEY = "__bridge_extra__"


class Extra(Mapping[str, Raw]):
    """Keys the schema does not know, each mapped to its value's exact JSON text.

    Read a value with ``msgspec.json.decode(extra["key"])``. Encoding puts the keys back inline,
    byte for byte, next to the known fields of the object they came from.
    """

    __slots__ = ("_members",)

    def __init__(
        self, members: Mapping[str, Raw | bytes | str] | Iterable[tuple[str, Raw | bytes | str]] = (), /
    ) -> None:
        self._members: dict[str, Raw] = {
            key: value if isinstance(value, Raw) else Raw(value) for key, value in dict(members).items()
        }

    def __getitem__(self, key: str) -> Raw:
        return self._members[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._members)

    def __len__(self) -> int:
        return len(self._members)

    def __repr__(self) -> str:
        inner = ", ".join(f"{k!r}: {bytes(v).decode('utf-8', 'replace')}" for k, v in self._members.items())
        return f"Extra({{{inner}}})"


def _extra() -> Union[Extra, UnsetType]:
    return msgspec.field(default=UNSET, name=EXTRA_KEY)


class _Model(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=False, repr_omit_defaults=True, gc=False):
    """Base of every model: unknown keys are rejected by the fast decoder, which then hands the
    object to the lossless path that keeps them in :attr:`extra`.

    ``gc=False``: a decoded document is a tree, never a cycle, so the garbage collector need not
    track every Struct (msgspec measures this as a real saving on decode-heavy work). Do not build
    reference cycles out of model instances."""

    def __eq__(self, other: object) -> bool:
        # Strict decoding returns instances of private subclasses (narrower field types, same
        # fields); they equal the public class's instances with the same values.
        if not isinstance(other, _Model) or _public(type(self)) is not _public(type(other)):
            return NotImplemented
        return msgspec.structs.astuple(self) == msgspec.structs.astuple(other)

    def __reduce__(self) -> tuple[type, tuple[Any, ...]]:
        return _public(type(self)), msgspec.structs.astuple(self)


def _public(cls: type) -> type:
    return cls if cls.__module__ == __name__ else cls.__mro__[1]


class ResponseError(_Model):
    """``status_details.error``: why a response failed."""

    type: Field[str] = UNSET
    code: Field[str] = UNSET
    message: Field[str] = UNSET
    extra: Union[Extra, UnsetType] = _extra()


class StatusDetails(_Model):
    """Why a response ended the way it did (``null`` while in progress and on clean completion)."""

    type: Field[str] = UNSET
    reason: Field[str] = UNSET
    error: Field[ResponseError] = UNSET
    extra: Union[Extra, UnsetType] = _extra()


class ContentPart(_Model):
    """One part of a message item's ``content`` (beta ``text``/``audio``, GA ``output_text``/
    ``output_audio``/``input_image``, and the ``input_*`` parts of both)."""

    type: Field[str] = UNSET
    text: Field[str] = UNSET
    id: Field[str] = UNSET
    audio: Field[str] = UNSET
    transcript: Field[str] = UNSET
    image_url: Field[str] = UNSET
    detail: Field[str] = UNSET
    extra: Union[Extra, UnsetType] = _extra()


class McpError(_Model):
    """Why a GA ``mcp_call`` failed: ``protocol_error``, ``tool_execution_error`` or ``http_error``."""

    type: Field[str] = UNSET
    code: Field[Int64] = UNSET
    message: Field[str] = UNSET
    extra: Union[Extra, UnsetType] = _extra()


class McpTool(_Model):
    """A tool listed by a GA ``mcp_list_tools`` item; its schema and annotations are any JSON."""

    name: Field[str] = UNSET
    description: Field[str] = UNSET
    input_schema: JsonValue = UNSET
    annotations: JsonValue = UNSET
    extra: Union[Extra, UnsetType] = _extra()


class ConversationItem(_Model):
    """An output item. One flat type serves every item of both protocols: beta and GA messages,
    function calls and their outputs, and the GA MCP items, each using the fields it has."""

    id: Field[str] = UNSET
    type: Field[str] = UNSET
    object: Field[str] = UNSET
    status: Field[str] = UNSET
    role: Field[str] = UNSET
    content: Field[list[ContentPart]] = UNSET
    call_id: Field[str] = UNSET
    name: Field[str] = UNSET
    arguments: Field[str] = UNSET
    output: Field[str] = UNSET
    server_label: Field[str] = UNSET
    approval_request_id: Field[str] = UNSET
    error: Field[McpError] = UNSET
    tools: Field[list[McpTool]] = UNSET
    approve: Field[bool] = UNSET
    reason: Field[str] = UNSET
    extra: Union[Extra, UnsetType] = _extra()


class CachedTokensDetails(_Model):
    """Breakdown of the cached input tokens."""

    text_tokens: Field[Int64] = UNSET
    audio_tokens: Field[Int64] = UNSET
    image_tokens: Field[Int64] = UNSET
    extra: Union[Extra, UnsetType] = _extra()


class InputTokenDetails(_Model):
    """Breakdown of the input tokens."""

    cached_tokens: Field[Int64] = UNSET
    text_tokens: Field[Int64] = UNSET
    audio_tokens: Field[Int64] = UNSET
    image_tokens: Field[Int64] = UNSET
    cached_tokens_details: Field[CachedTokensDetails] = UNSET
    extra: Union[Extra, UnsetType] = _extra()


class OutputTokenDetails(_Model):
    """Breakdown of the output tokens."""

    text_tokens: Field[Int64] = UNSET
    audio_tokens: Field[Int64] = UNSET
    extra: Union[Extra, UnsetType] = _extra()


class Usage(_Model):
    """Token usage: ``null`` in ``response.created``, all zeros for a cancelled response."""

    total_tokens: Field[Int64] = UNSET
    input_tokens: Field[Int64] = UNSET
    output_tokens: Field[Int64] = UNSET
    input_token_details: Field[InputTokenDetails] = UNSET
    output_token_details: Field[OutputTokenDetails] = UNSET
    extra: Union[Extra, UnsetType] = _extra()


class CustomVoice(_Model):
    """A custom voice, given as ``{"id": ...}`` where a voice name would be."""

    id: Field[str] = UNSET
    extra: Union[Extra, UnsetType] = _extra()


class AudioOutputFormat(_Model):
    """GA audio format: ``{"type": "audio/pcm", "rate": 24000}``, ``{"type": "audio/pcmu"}`` or
    ``{"type": "audio/pcma"}``."""

    type: Field[str] = UNSET
    rate: Field[Int64] = UNSET
    extra: Union[Extra, UnsetType] = _extra()


class ResponseAudioOutput(_Model):
    """GA ``audio.output`` of a response."""

    format: Field[AudioOutputFormat] = UNSET
    voice: Field[Union[str, CustomVoice]] = UNSET
    extra: Union[Extra, UnsetType] = _extra()


class ResponseAudio(_Model):
    """GA ``audio`` of a response."""

    output: Field[ResponseAudioOutput] = UNSET
    extra: Union[Extra, UnsetType] = _extra()


class RealtimeResponse(_Model):
    """The ``realtime.response`` object, in its beta or its GA shape.

    Beta responses use ``modalities``, ``voice``, ``output_audio_format`` and ``temperature``; GA
    responses use ``output_modalities`` and ``audio``. Each shape round-trips exactly.
    """

    id: Field[str] = UNSET
    object: Field[str] = UNSET
    status: Field[str] = UNSET
    status_details: Field[StatusDetails] = UNSET
    output: Field[list[ConversationItem]] = UNSET
    metadata: Field[dict[str, str]] = UNSET
    usage: Field[Usage] = UNSET
    conversation_id: Field[str] = UNSET
    #: A voice name (an open set), or a :class:`CustomVoice`.
    voice: Field[Union[str, CustomVoice]] = UNSET
    modalities: Field[list[str]] = UNSET
    output_audio_format: Field[str] = UNSET
    temperature: Field[Number] = UNSET
    #: An integer, or the string ``"inf"``.
    max_output_tokens: Field[Union[Int64, str]] = UNSET
    output_modalities: Field[list[str]] = UNSET
    audio: Field[ResponseAudio] = UNSET
    extra: Union[Extra, UnsetType] = _extra()


class _ResponseEvent(_Model, tag_field="type"):
    event_id: Field[str] = UNSET
    response: Field[RealtimeResponse] = UNSET
    extra: Union[Extra, UnsetType] = _extra()

    @property
    def type(self) -> str:
        """The event type, e.g. ``"response.done"``."""
        return self.__struct_config__.tag  # type: ignore[return-value]


class ResponseCreatedEvent(_ResponseEvent, tag="response.created"):
    """``response.created``: a response has started (``status: "in_progress"``, no output yet)."""


class ResponseDoneEvent(_ResponseEvent, tag="response.done"):
    """``response.done``: a response has ended, whatever its final status."""


class GenericEvent(_Model):
    """Any other server event (``response.audio.delta``, ``error``, ...): ``type`` and
    ``event_id`` typed, every other key carried in :attr:`extra`."""

    type: str
    event_id: Field[str] = UNSET
    extra: Union[Extra, UnsetType] = _extra()


#: What :func:`bridge.decode_event` returns.
ServerEvent = Union[ResponseCreatedEvent, ResponseDoneEvent, GenericEvent]
