"""Typed msgspec Structs for every message of the Realtime protocol: the ``realtime.response``
object, the server and client events of the beta and GA protocols, and what they carry.

Generated from ``proto/bridge/v1/realtime.proto`` by ``proto/generate.py``; do not edit: the .proto
is the one place a field is written (``tests/test_generated_code.py`` fails when this file is stale).

Every field is optional and defaults to :data:`msgspec.UNSET`, so the three states a JSON key can be
in stay distinct: missing (``UNSET``), explicit ``null`` (``None``) and a value. Closed string sets
(``status``, ``role``, ...) are typed ``str`` rather than ``Literal`` so that tomorrow's values decode
today; their known values live in the proto enums and ``strict=True`` checks them. Keys the schema
does not know are kept, value for value, in each Struct's :attr:`extra`.

Base64 keys (audio) are ``bytes``, decoded once, in C. Text that is not canonical base64 (what every
encoder writes) decodes to a :class:`Base64Text`: the bytes a lenient decoder reads from it, and
the exact text, which is what encoding writes back.

An event class is named after its ``type`` (``conversation.item.added`` ->
:class:`ConversationItemAddedEvent`); :data:`ServerEvent` and :data:`ClientEvent` are the unions
:func:`bridge.decode_event` and :func:`bridge.decode_client_event` return.
"""


from __future__ import annotations

from typing import Union

from bridge._model_base import EXTRA_KEY, UNSET, Base64Text, Extra, Field, Int64, JsonValue, Number, UnsetType, _Event, _extra, _Model

__all__ = [
    "AudioOutputFormat",
    "Base64Text",
    "CachedTokensDetails",
    "ClientEvent",
    "ContentPart",
    "Conversation",
    "ConversationCreatedEvent",
    "ConversationItem",
    "ConversationItemAddedEvent",
    "ConversationItemCreateEvent",
    "ConversationItemCreatedEvent",
    "ConversationItemDeleteEvent",
    "ConversationItemDeletedEvent",
    "ConversationItemDoneEvent",
    "ConversationItemInputAudioTranscriptionCompletedEvent",
    "ConversationItemInputAudioTranscriptionDeltaEvent",
    "ConversationItemInputAudioTranscriptionFailedEvent",
    "ConversationItemInputAudioTranscriptionSegmentEvent",
    "ConversationItemRetrieveEvent",
    "ConversationItemRetrievedEvent",
    "ConversationItemTruncateEvent",
    "ConversationItemTruncatedEvent",
    "CustomVoice",
    "EXTRA_KEY",
    "ErrorEvent",
    "Extra",
    "Field",
    "GenericClientEvent",
    "GenericEvent",
    "InputAudioBufferAppendEvent",
    "InputAudioBufferClearEvent",
    "InputAudioBufferClearedEvent",
    "InputAudioBufferCommitEvent",
    "InputAudioBufferCommittedEvent",
    "InputAudioBufferDtmfEventReceivedEvent",
    "InputAudioBufferSpeechStartedEvent",
    "InputAudioBufferSpeechStoppedEvent",
    "InputAudioBufferTimeoutTriggeredEvent",
    "InputAudioTranscription",
    "InputTokenDetails",
    "Int64",
    "JsonValue",
    "LogProb",
    "McpError",
    "McpListToolsCompletedEvent",
    "McpListToolsFailedEvent",
    "McpListToolsInProgressEvent",
    "McpTool",
    "NoiseReduction",
    "Number",
    "OutputAudioBufferClearEvent",
    "OutputAudioBufferClearedEvent",
    "OutputAudioBufferStartedEvent",
    "OutputAudioBufferStoppedEvent",
    "OutputTokenDetails",
    "Prompt",
    "RateLimit",
    "RateLimitsUpdatedEvent",
    "RealtimeError",
    "RealtimeResponse",
    "Reasoning",
    "ResponseAudio",
    "ResponseAudioDeltaEvent",
    "ResponseAudioDoneEvent",
    "ResponseAudioOutput",
    "ResponseAudioTranscriptDeltaEvent",
    "ResponseAudioTranscriptDoneEvent",
    "ResponseCancelEvent",
    "ResponseContentPartAddedEvent",
    "ResponseContentPartDoneEvent",
    "ResponseCreateEvent",
    "ResponseCreateParams",
    "ResponseCreatedEvent",
    "ResponseDoneEvent",
    "ResponseError",
    "ResponseFunctionCallArgumentsDeltaEvent",
    "ResponseFunctionCallArgumentsDoneEvent",
    "ResponseMcpCallArgumentsDeltaEvent",
    "ResponseMcpCallArgumentsDoneEvent",
    "ResponseMcpCallCompletedEvent",
    "ResponseMcpCallFailedEvent",
    "ResponseMcpCallInProgressEvent",
    "ResponseOutputAudioDeltaEvent",
    "ResponseOutputAudioDoneEvent",
    "ResponseOutputAudioTranscriptDeltaEvent",
    "ResponseOutputAudioTranscriptDoneEvent",
    "ResponseOutputItemAddedEvent",
    "ResponseOutputItemDoneEvent",
    "ResponseOutputTextDeltaEvent",
    "ResponseOutputTextDoneEvent",
    "ResponseTextDeltaEvent",
    "ResponseTextDoneEvent",
    "ServerEvent",
    "Session",
    "SessionAudio",
    "SessionAudioInput",
    "SessionAudioOutput",
    "SessionClientSecret",
    "SessionClientSecretExpiry",
    "SessionCreatedEvent",
    "SessionUpdateEvent",
    "SessionUpdatedEvent",
    "StatusDetails",
    "Tool",
    "ToolApprovalFilter",
    "ToolChoice",
    "ToolFilter",
    "Tracing",
    "TranscriptionError",
    "TranscriptionLanguage",
    "TranscriptionSessionUpdateEvent",
    "TranscriptionSessionUpdatedEvent",
    "TranscriptionUsage",
    "TranscriptionUsageInputTokenDetails",
    "Truncation",
    "TruncationTokenLimits",
    "TurnDetection",
    "UNSET",
    "UnsetType",
    "Usage",
]


class RealtimeResponse(_Model):
    """The ``RealtimeResponse`` message."""

    id: Field[str] = UNSET
    object: Field[str] = UNSET
    status: Field[str] = UNSET
    status_details: Field[StatusDetails] = UNSET
    output: Field[list[ConversationItem]] = UNSET
    metadata: Field[dict[str, str]] = UNSET
    usage: Field[Usage] = UNSET
    conversation_id: Field[str] = UNSET
    voice: Field[Union[str, CustomVoice]] = UNSET
    modalities: Field[list[str]] = UNSET
    output_audio_format: Field[str] = UNSET
    temperature: Field[Number] = UNSET
    max_output_tokens: Field[Union[Int64, str]] = UNSET
    #: GA: replaces `modalities`.
    output_modalities: Field[list[str]] = UNSET
    #: GA: replaces `voice` and `output_audio_format`.
    audio: Field[ResponseAudio] = UNSET
    extra: Union[Extra, UnsetType] = _extra()


class CustomVoice(_Model):
    """The ``CustomVoice`` message."""

    id: Field[str] = UNSET
    extra: Union[Extra, UnsetType] = _extra()


class ResponseAudio(_Model):
    """GA `audio` of a response."""

    output: Field[ResponseAudioOutput] = UNSET
    extra: Union[Extra, UnsetType] = _extra()


class ResponseAudioOutput(_Model):
    """The ``ResponseAudioOutput`` message."""

    format: Field[AudioOutputFormat] = UNSET
    voice: Field[Union[str, CustomVoice]] = UNSET
    extra: Union[Extra, UnsetType] = _extra()


class AudioOutputFormat(_Model):
    """GA audio format, a union on `type`: {"type": "audio/pcm", "rate": 24000}, {"type":
    "audio/pcmu"},
    {"type": "audio/pcma"}.
    """

    type: Field[str] = UNSET
    rate: Field[Int64] = UNSET
    extra: Union[Extra, UnsetType] = _extra()


class StatusDetails(_Model):
    """The ``StatusDetails`` message."""

    type: Field[str] = UNSET
    reason: Field[str] = UNSET
    error: Field[ResponseError] = UNSET
    extra: Union[Extra, UnsetType] = _extra()


class ResponseError(_Model):
    """The ``ResponseError`` message."""

    type: Field[str] = UNSET
    code: Field[str] = UNSET
    message: Field[str] = UNSET
    extra: Union[Extra, UnsetType] = _extra()


class ConversationItem(_Model):
    """The ``ConversationItem`` message."""

    id: Field[str] = UNSET
    type: Field[str] = UNSET
    object: Field[str] = UNSET
    status: Field[str] = UNSET
    role: Field[str] = UNSET
    content: Field[list[ContentPart]] = UNSET
    call_id: Field[str] = UNSET
    name: Field[str] = UNSET
    #: JSON-encoded arguments of a function call, kept as the string it is on the wire.
    arguments: Field[str] = UNSET
    output: Field[str] = UNSET
    #: GA MCP items (`mcp_call`, `mcp_list_tools`, `mcp_approval_request`, `mcp_approval_response`).
    server_label: Field[str] = UNSET
    approval_request_id: Field[str] = UNSET
    error: Field[McpError] = UNSET
    tools: Field[list[McpTool]] = UNSET
    approve: Field[bool] = UNSET
    reason: Field[str] = UNSET
    extra: Union[Extra, UnsetType] = _extra()


class McpError(_Model):
    """The error of a GA `mcp_call` item, a union on `type`."""

    type: Field[str] = UNSET
    code: Field[Int64] = UNSET
    message: Field[str] = UNSET
    extra: Union[Extra, UnsetType] = _extra()


class McpTool(_Model):
    """A tool listed by a GA `mcp_list_tools` item."""

    name: Field[str] = UNSET
    description: Field[str] = UNSET
    #: Any JSON value, as its exact JSON text.
    input_schema: JsonValue = UNSET
    annotations: JsonValue = UNSET
    extra: Union[Extra, UnsetType] = _extra()


class ContentPart(_Model):
    """The ``ContentPart`` message."""

    type: Field[str] = UNSET
    text: Field[str] = UNSET
    id: Field[str] = UNSET
    #: The `audio` key: the base64 audio of an `input_audio` part, as the bytes it decodes to.
    audio: Field[bytes] = UNSET
    transcript: Field[str] = UNSET
    #: GA `input_image` parts.
    image_url: Field[str] = UNSET
    detail: Field[str] = UNSET
    extra: Union[Extra, UnsetType] = _extra()


class Usage(_Model):
    """The ``Usage`` message."""

    total_tokens: Field[Int64] = UNSET
    input_tokens: Field[Int64] = UNSET
    output_tokens: Field[Int64] = UNSET
    input_token_details: Field[InputTokenDetails] = UNSET
    output_token_details: Field[OutputTokenDetails] = UNSET
    extra: Union[Extra, UnsetType] = _extra()


class InputTokenDetails(_Model):
    """The ``InputTokenDetails`` message."""

    cached_tokens: Field[Int64] = UNSET
    text_tokens: Field[Int64] = UNSET
    audio_tokens: Field[Int64] = UNSET
    image_tokens: Field[Int64] = UNSET
    cached_tokens_details: Field[CachedTokensDetails] = UNSET
    extra: Union[Extra, UnsetType] = _extra()


class CachedTokensDetails(_Model):
    """The ``CachedTokensDetails`` message."""

    text_tokens: Field[Int64] = UNSET
    audio_tokens: Field[Int64] = UNSET
    image_tokens: Field[Int64] = UNSET
    extra: Union[Extra, UnsetType] = _extra()


class OutputTokenDetails(_Model):
    """The ``OutputTokenDetails`` message."""

    text_tokens: Field[Int64] = UNSET
    audio_tokens: Field[Int64] = UNSET
    extra: Union[Extra, UnsetType] = _extra()


class ConversationCreatedEvent(_Event, tag="conversation.created"):
    """Server event `conversation.created` (beta and GA): Returned when a conversation is created."""

    event_id: Field[str] = UNSET
    #: The conversation resource.
    conversation: Field[Conversation] = UNSET
    extra: Union[Extra, UnsetType] = _extra()


class ConversationItemCreatedEvent(_Event, tag="conversation.item.created"):
    """Server event `conversation.item.created` (beta and GA): Returned when a conversation item is
    created.
    """

    event_id: Field[str] = UNSET
    #: The item. Beta: a message, function_call or function_call_output item; GA: also the MCP item
    #: types (every shape flattened into ConversationItem).
    item: Field[ConversationItem] = UNSET
    #: The ID of the preceding item in the Conversation context, allows the client to understand the
    #: order of the conversation.
    previous_item_id: Field[str] = UNSET
    extra: Union[Extra, UnsetType] = _extra()


class ConversationItemDeletedEvent(_Event, tag="conversation.item.deleted"):
    """Server event `conversation.item.deleted` (beta and GA): Returned when an item in the
    conversation is deleted by the client with a `conversation.item.delete` event.
    """

    event_id: Field[str] = UNSET
    item_id: Field[str] = UNSET
    extra: Union[Extra, UnsetType] = _extra()


class ConversationItemInputAudioTranscriptionCompletedEvent(_Event, tag="conversation.item.input_audio_transcription.completed"):
    """Server event `conversation.item.input_audio_transcription.completed` (beta and GA): This event
    is the output of audio transcription for user audio written to the user audio buffer.
    """

    event_id: Field[str] = UNSET
    #: The index of the content part containing the audio.
    content_index: Field[Int64] = UNSET
    item_id: Field[str] = UNSET
    #: The transcribed text.
    transcript: Field[str] = UNSET
    #: Usage statistics for the transcription, this is billed according to the ASR model's pricing
    #: rather than the realtime model's pricing.
    usage: Field[TranscriptionUsage] = UNSET
    #: GA only. The languages detected in the audio. Returned by `gpt-transcribe`; `[]` means no
    #: language could be reliably detected.
    languages: Field[list[TranscriptionLanguage]] = UNSET
    #: The log probabilities of the transcription.
    logprobs: Field[list[LogProb]] = UNSET
    extra: Union[Extra, UnsetType] = _extra()


class ConversationItemInputAudioTranscriptionDeltaEvent(_Event, tag="conversation.item.input_audio_transcription.delta"):
    """Server event `conversation.item.input_audio_transcription.delta` (beta and GA): Returned when
    the text value of an input audio transcription content part is updated with incremental
    transcription results.
    """

    event_id: Field[str] = UNSET
    item_id: Field[str] = UNSET
    #: The index of the content part in the item's content array.
    content_index: Field[Int64] = UNSET
    #: The text delta.
    delta: Field[str] = UNSET
    #: The log probabilities of the transcription.
    logprobs: Field[list[LogProb]] = UNSET
    extra: Union[Extra, UnsetType] = _extra()


class ConversationItemInputAudioTranscriptionFailedEvent(_Event, tag="conversation.item.input_audio_transcription.failed"):
    """Server event `conversation.item.input_audio_transcription.failed` (beta and GA): Returned when
    input audio transcription is configured, and a transcription request for a user message failed.
    """

    event_id: Field[str] = UNSET
    #: The index of the content part containing the audio.
    content_index: Field[Int64] = UNSET
    #: Details of the transcription error.
    error: Field[TranscriptionError] = UNSET
    item_id: Field[str] = UNSET
    extra: Union[Extra, UnsetType] = _extra()


class ConversationItemRetrievedEvent(_Event, tag="conversation.item.retrieved"):
    """Server event `conversation.item.retrieved` (beta and GA): Returned when a conversation item is
    retrieved with `conversation.item.retrieve`.
    """

    event_id: Field[str] = UNSET
    #: The item. Beta: a message, function_call or function_call_output item; GA: also the MCP item
    #: types (every shape flattened into ConversationItem).
    item: Field[ConversationItem] = UNSET
    extra: Union[Extra, UnsetType] = _extra()


class ConversationItemTruncatedEvent(_Event, tag="conversation.item.truncated"):
    """Server event `conversation.item.truncated` (beta and GA): Returned when an earlier assistant
    audio message item is truncated by the client with a `conversation.item.truncate` event.
    """

    event_id: Field[str] = UNSET
    #: The duration up to which the audio was truncated, in milliseconds.
    audio_end_ms: Field[Int64] = UNSET
    #: The index of the content part that was truncated.
    content_index: Field[Int64] = UNSET
    item_id: Field[str] = UNSET
    extra: Union[Extra, UnsetType] = _extra()


class ErrorEvent(_Event, tag="error"):
    """Server event `error` (beta and GA): Returned when an error occurs, which could be a client
    problem or a server problem.
    """

    event_id: Field[str] = UNSET
    #: Details of the error.
    error: Field[RealtimeError] = UNSET
    extra: Union[Extra, UnsetType] = _extra()


class InputAudioBufferClearedEvent(_Event, tag="input_audio_buffer.cleared"):
    """Server event `input_audio_buffer.cleared` (beta and GA): Returned when the input audio buffer is
    cleared by the client with a `input_audio_buffer.clear` event.
    """

    event_id: Field[str] = UNSET
    extra: Union[Extra, UnsetType] = _extra()


class InputAudioBufferCommittedEvent(_Event, tag="input_audio_buffer.committed"):
    """Server event `input_audio_buffer.committed` (beta and GA): Returned when an input audio buffer
    is committed, either by the client or automatically in server VAD mode.
    """

    event_id: Field[str] = UNSET
    item_id: Field[str] = UNSET
    #: The ID of the preceding item after which the new item will be inserted.
    previous_item_id: Field[str] = UNSET
    extra: Union[Extra, UnsetType] = _extra()


class InputAudioBufferDtmfEventReceivedEvent(_Event, tag="input_audio_buffer.dtmf_event_received"):
    """Server event `input_audio_buffer.dtmf_event_received` (GA): **SIP Only:** Returned when an DTMF
    event is received.
    """

    event_id: Field[str] = UNSET
    #: The telephone keypad that was pressed by the user.
    event: Field[str] = UNSET
    #: UTC Unix Timestamp when DTMF Event was received by server.
    received_at: Field[Int64] = UNSET
    extra: Union[Extra, UnsetType] = _extra()


class InputAudioBufferSpeechStartedEvent(_Event, tag="input_audio_buffer.speech_started"):
    """Server event `input_audio_buffer.speech_started` (beta and GA): Sent by the server when in
    `server_vad` mode to indicate that speech has been detected in the audio buffer.
    """

    event_id: Field[str] = UNSET
    #: Milliseconds from the start of all audio written to the buffer during the session when speech
    #: was first detected.
    audio_start_ms: Field[Int64] = UNSET
    item_id: Field[str] = UNSET
    extra: Union[Extra, UnsetType] = _extra()


class InputAudioBufferSpeechStoppedEvent(_Event, tag="input_audio_buffer.speech_stopped"):
    """Server event `input_audio_buffer.speech_stopped` (beta and GA): Returned in `server_vad` mode
    when the server detects the end of speech in the audio buffer.
    """

    event_id: Field[str] = UNSET
    #: Milliseconds since the session started when speech stopped.
    audio_end_ms: Field[Int64] = UNSET
    item_id: Field[str] = UNSET
    extra: Union[Extra, UnsetType] = _extra()


class RateLimitsUpdatedEvent(_Event, tag="rate_limits.updated"):
    """Server event `rate_limits.updated` (beta and GA): Emitted at the beginning of a Response to
    indicate the updated rate limits.
    """

    event_id: Field[str] = UNSET
    #: List of rate limit information.
    rate_limits: Field[list[RateLimit]] = UNSET
    extra: Union[Extra, UnsetType] = _extra()


class ResponseOutputAudioDeltaEvent(_Event, tag="response.output_audio.delta"):
    """Server event `response.output_audio.delta` (GA): Returned when the model-generated audio is
    updated. GA name of beta `response.audio.delta`.
    """

    event_id: Field[str] = UNSET
    #: The index of the content part in the item's content array.
    content_index: Field[Int64] = UNSET
    #: Base64-encoded audio data delta (in JSON; here the bytes it decodes to).
    delta: Field[bytes] = UNSET
    item_id: Field[str] = UNSET
    #: The index of the output item in the response.
    output_index: Field[Int64] = UNSET
    response_id: Field[str] = UNSET
    extra: Union[Extra, UnsetType] = _extra()


class ResponseOutputAudioDoneEvent(_Event, tag="response.output_audio.done"):
    """Server event `response.output_audio.done` (GA): Returned when the model-generated audio is done.
    GA name of beta `response.audio.done`.
    """

    event_id: Field[str] = UNSET
    #: The index of the content part in the item's content array.
    content_index: Field[Int64] = UNSET
    item_id: Field[str] = UNSET
    #: The index of the output item in the response.
    output_index: Field[Int64] = UNSET
    response_id: Field[str] = UNSET
    extra: Union[Extra, UnsetType] = _extra()


class ResponseOutputAudioTranscriptDeltaEvent(_Event, tag="response.output_audio_transcript.delta"):
    """Server event `response.output_audio_transcript.delta` (GA): Returned when the model-generated
    transcription of audio output is updated. GA name of beta `response.audio_transcript.delta`.
    """

    event_id: Field[str] = UNSET
    #: The index of the content part in the item's content array.
    content_index: Field[Int64] = UNSET
    #: The transcript delta.
    delta: Field[str] = UNSET
    item_id: Field[str] = UNSET
    #: The index of the output item in the response.
    output_index: Field[Int64] = UNSET
    response_id: Field[str] = UNSET
    extra: Union[Extra, UnsetType] = _extra()


class ResponseOutputAudioTranscriptDoneEvent(_Event, tag="response.output_audio_transcript.done"):
    """Server event `response.output_audio_transcript.done` (GA): Returned when the model-generated
    transcription of audio output is done streaming. GA name of beta
    `response.audio_transcript.done`.
    """

    event_id: Field[str] = UNSET
    #: The index of the content part in the item's content array.
    content_index: Field[Int64] = UNSET
    item_id: Field[str] = UNSET
    #: The index of the output item in the response.
    output_index: Field[Int64] = UNSET
    response_id: Field[str] = UNSET
    #: The final transcript of the audio.
    transcript: Field[str] = UNSET
    extra: Union[Extra, UnsetType] = _extra()


class ResponseContentPartAddedEvent(_Event, tag="response.content_part.added"):
    """Server event `response.content_part.added` (beta and GA): Returned when a new content part is
    added to an assistant message item during response generation.
    """

    event_id: Field[str] = UNSET
    #: The index of the content part in the item's content array.
    content_index: Field[Int64] = UNSET
    item_id: Field[str] = UNSET
    #: The index of the output item in the response.
    output_index: Field[Int64] = UNSET
    #: The content part that was added.
    part: Field[ContentPart] = UNSET
    response_id: Field[str] = UNSET
    extra: Union[Extra, UnsetType] = _extra()


class ResponseContentPartDoneEvent(_Event, tag="response.content_part.done"):
    """Server event `response.content_part.done` (beta and GA): Returned when a content part is done
    streaming in an assistant message item.
    """

    event_id: Field[str] = UNSET
    #: The index of the content part in the item's content array.
    content_index: Field[Int64] = UNSET
    item_id: Field[str] = UNSET
    #: The index of the output item in the response.
    output_index: Field[Int64] = UNSET
    #: The content part that is done.
    part: Field[ContentPart] = UNSET
    response_id: Field[str] = UNSET
    extra: Union[Extra, UnsetType] = _extra()


class ResponseFunctionCallArgumentsDeltaEvent(_Event, tag="response.function_call_arguments.delta"):
    """Server event `response.function_call_arguments.delta` (beta and GA): Returned when the
    model-generated function call arguments are updated.
    """

    event_id: Field[str] = UNSET
    #: The ID of the function call.
    call_id: Field[str] = UNSET
    #: The arguments delta as a JSON string.
    delta: Field[str] = UNSET
    item_id: Field[str] = UNSET
    #: The index of the output item in the response.
    output_index: Field[Int64] = UNSET
    response_id: Field[str] = UNSET
    extra: Union[Extra, UnsetType] = _extra()


class ResponseFunctionCallArgumentsDoneEvent(_Event, tag="response.function_call_arguments.done"):
    """Server event `response.function_call_arguments.done` (beta and GA): Returned when the
    model-generated function call arguments are done streaming.
    """

    event_id: Field[str] = UNSET
    #: The final arguments as a JSON string.
    arguments: Field[str] = UNSET
    #: The ID of the function call.
    call_id: Field[str] = UNSET
    item_id: Field[str] = UNSET
    #: GA only. The name of the function that was called.
    name: Field[str] = UNSET
    #: The index of the output item in the response.
    output_index: Field[Int64] = UNSET
    response_id: Field[str] = UNSET
    extra: Union[Extra, UnsetType] = _extra()


class ResponseOutputItemAddedEvent(_Event, tag="response.output_item.added"):
    """Server event `response.output_item.added` (beta and GA): Returned when a new Item is created
    during Response generation.
    """

    event_id: Field[str] = UNSET
    #: The item. Beta: a message, function_call or function_call_output item; GA: also the MCP item
    #: types (every shape flattened into ConversationItem).
    item: Field[ConversationItem] = UNSET
    #: The index of the output item in the Response.
    output_index: Field[Int64] = UNSET
    response_id: Field[str] = UNSET
    extra: Union[Extra, UnsetType] = _extra()


class ResponseOutputItemDoneEvent(_Event, tag="response.output_item.done"):
    """Server event `response.output_item.done` (beta and GA): Returned when an Item is done streaming."""

    event_id: Field[str] = UNSET
    #: The item. Beta: a message, function_call or function_call_output item; GA: also the MCP item
    #: types (every shape flattened into ConversationItem).
    item: Field[ConversationItem] = UNSET
    #: The index of the output item in the Response.
    output_index: Field[Int64] = UNSET
    response_id: Field[str] = UNSET
    extra: Union[Extra, UnsetType] = _extra()


class ResponseOutputTextDeltaEvent(_Event, tag="response.output_text.delta"):
    """Server event `response.output_text.delta` (GA): Returned when the text value of an "output_text"
    content part is updated. GA name of beta `response.text.delta`.
    """

    event_id: Field[str] = UNSET
    #: The index of the content part in the item's content array.
    content_index: Field[Int64] = UNSET
    #: The text delta.
    delta: Field[str] = UNSET
    item_id: Field[str] = UNSET
    #: The index of the output item in the response.
    output_index: Field[Int64] = UNSET
    response_id: Field[str] = UNSET
    extra: Union[Extra, UnsetType] = _extra()


class ResponseOutputTextDoneEvent(_Event, tag="response.output_text.done"):
    """Server event `response.output_text.done` (GA): Returned when the text value of an "output_text"
    content part is done streaming. GA name of beta `response.text.done`.
    """

    event_id: Field[str] = UNSET
    #: The index of the content part in the item's content array.
    content_index: Field[Int64] = UNSET
    item_id: Field[str] = UNSET
    #: The index of the output item in the response.
    output_index: Field[Int64] = UNSET
    response_id: Field[str] = UNSET
    #: The final text content.
    text: Field[str] = UNSET
    extra: Union[Extra, UnsetType] = _extra()


class OutputAudioBufferStartedEvent(_Event, tag="output_audio_buffer.started"):
    """Server event `output_audio_buffer.started` (beta and GA): **WebRTC/SIP Only:** Emitted when the
    server begins streaming audio to the client.
    """

    event_id: Field[str] = UNSET
    response_id: Field[str] = UNSET
    extra: Union[Extra, UnsetType] = _extra()


class OutputAudioBufferStoppedEvent(_Event, tag="output_audio_buffer.stopped"):
    """Server event `output_audio_buffer.stopped` (beta and GA): **WebRTC/SIP Only:** Emitted when the
    output audio buffer has been completely drained on the server, and no more audio is forthcoming.
    """

    event_id: Field[str] = UNSET
    response_id: Field[str] = UNSET
    extra: Union[Extra, UnsetType] = _extra()


class OutputAudioBufferClearedEvent(_Event, tag="output_audio_buffer.cleared"):
    """Server event `output_audio_buffer.cleared` (beta and GA): **WebRTC/SIP Only:** Emitted when the
    output audio buffer is cleared.
    """

    event_id: Field[str] = UNSET
    response_id: Field[str] = UNSET
    extra: Union[Extra, UnsetType] = _extra()


class ConversationItemAddedEvent(_Event, tag="conversation.item.added"):
    """Server event `conversation.item.added` (GA): Sent by the server when an Item is added to the
    default Conversation.
    """

    event_id: Field[str] = UNSET
    #: The item (any of the GA item shapes, flattened into ConversationItem).
    item: Field[ConversationItem] = UNSET
    #: The ID of the item that precedes this one, if any.
    previous_item_id: Field[str] = UNSET
    extra: Union[Extra, UnsetType] = _extra()


class ConversationItemDoneEvent(_Event, tag="conversation.item.done"):
    """Server event `conversation.item.done` (GA): Returned when a conversation item is finalized."""

    event_id: Field[str] = UNSET
    #: The item (any of the GA item shapes, flattened into ConversationItem).
    item: Field[ConversationItem] = UNSET
    #: The ID of the item that precedes this one, if any.
    previous_item_id: Field[str] = UNSET
    extra: Union[Extra, UnsetType] = _extra()


class InputAudioBufferTimeoutTriggeredEvent(_Event, tag="input_audio_buffer.timeout_triggered"):
    """Server event `input_audio_buffer.timeout_triggered` (GA): Returned when the Server VAD timeout
    is triggered for the input audio buffer.
    """

    event_id: Field[str] = UNSET
    #: Millisecond offset of audio written to the input audio buffer at the time the timeout was
    #: triggered.
    audio_end_ms: Field[Int64] = UNSET
    #: Millisecond offset of audio written to the input audio buffer that was after the playback time
    #: of the last model response.
    audio_start_ms: Field[Int64] = UNSET
    item_id: Field[str] = UNSET
    extra: Union[Extra, UnsetType] = _extra()


class ConversationItemInputAudioTranscriptionSegmentEvent(_Event, tag="conversation.item.input_audio_transcription.segment"):
    """Server event `conversation.item.input_audio_transcription.segment` (GA): Returned when an input
    audio transcription segment is identified for an item.
    """

    event_id: Field[str] = UNSET
    #: The segment identifier.
    id: Field[str] = UNSET
    #: The index of the input audio content part within the item.
    content_index: Field[Int64] = UNSET
    #: End time of the segment in seconds.
    end: Field[Number] = UNSET
    item_id: Field[str] = UNSET
    #: The detected speaker label for this segment.
    speaker: Field[str] = UNSET
    #: Start time of the segment in seconds.
    start: Field[Number] = UNSET
    #: The text for this segment.
    text: Field[str] = UNSET
    extra: Union[Extra, UnsetType] = _extra()


class McpListToolsInProgressEvent(_Event, tag="mcp_list_tools.in_progress"):
    """Server event `mcp_list_tools.in_progress` (GA): Returned when listing MCP tools is in progress
    for an item.
    """

    event_id: Field[str] = UNSET
    item_id: Field[str] = UNSET
    extra: Union[Extra, UnsetType] = _extra()


class McpListToolsCompletedEvent(_Event, tag="mcp_list_tools.completed"):
    """Server event `mcp_list_tools.completed` (GA): Returned when listing MCP tools has completed for
    an item.
    """

    event_id: Field[str] = UNSET
    item_id: Field[str] = UNSET
    extra: Union[Extra, UnsetType] = _extra()


class McpListToolsFailedEvent(_Event, tag="mcp_list_tools.failed"):
    """Server event `mcp_list_tools.failed` (GA): Returned when listing MCP tools has failed for an
    item.
    """

    event_id: Field[str] = UNSET
    item_id: Field[str] = UNSET
    extra: Union[Extra, UnsetType] = _extra()


class ResponseMcpCallArgumentsDeltaEvent(_Event, tag="response.mcp_call_arguments.delta"):
    """Server event `response.mcp_call_arguments.delta` (GA): Returned when MCP tool call arguments are
    updated during response generation.
    """

    event_id: Field[str] = UNSET
    #: The JSON-encoded arguments delta.
    delta: Field[str] = UNSET
    item_id: Field[str] = UNSET
    #: The index of the output item in the response.
    output_index: Field[Int64] = UNSET
    response_id: Field[str] = UNSET
    #: If present, indicates the delta text was obfuscated.
    obfuscation: Field[str] = UNSET
    extra: Union[Extra, UnsetType] = _extra()


class ResponseMcpCallArgumentsDoneEvent(_Event, tag="response.mcp_call_arguments.done"):
    """Server event `response.mcp_call_arguments.done` (GA): Returned when MCP tool call arguments are
    finalized during response generation.
    """

    event_id: Field[str] = UNSET
    #: The final JSON-encoded arguments string.
    arguments: Field[str] = UNSET
    item_id: Field[str] = UNSET
    #: The index of the output item in the response.
    output_index: Field[Int64] = UNSET
    response_id: Field[str] = UNSET
    extra: Union[Extra, UnsetType] = _extra()


class ResponseMcpCallInProgressEvent(_Event, tag="response.mcp_call.in_progress"):
    """Server event `response.mcp_call.in_progress` (GA): Returned when an MCP tool call has started
    and is in progress.
    """

    event_id: Field[str] = UNSET
    item_id: Field[str] = UNSET
    #: The index of the output item in the response.
    output_index: Field[Int64] = UNSET
    extra: Union[Extra, UnsetType] = _extra()


class ResponseMcpCallCompletedEvent(_Event, tag="response.mcp_call.completed"):
    """Server event `response.mcp_call.completed` (GA): Returned when an MCP tool call has completed
    successfully.
    """

    event_id: Field[str] = UNSET
    item_id: Field[str] = UNSET
    #: The index of the output item in the response.
    output_index: Field[Int64] = UNSET
    extra: Union[Extra, UnsetType] = _extra()


class ResponseMcpCallFailedEvent(_Event, tag="response.mcp_call.failed"):
    """Server event `response.mcp_call.failed` (GA): Returned when an MCP tool call has failed."""

    event_id: Field[str] = UNSET
    item_id: Field[str] = UNSET
    #: The index of the output item in the response.
    output_index: Field[Int64] = UNSET
    extra: Union[Extra, UnsetType] = _extra()


class ResponseAudioDeltaEvent(_Event, tag="response.audio.delta"):
    """Server event `response.audio.delta` (beta): Returned when the model-generated audio is updated.
    Beta name of `response.output_audio.delta`.
    """

    event_id: Field[str] = UNSET
    #: The index of the content part in the item's content array.
    content_index: Field[Int64] = UNSET
    #: Base64-encoded audio data delta (in JSON; here the bytes it decodes to).
    delta: Field[bytes] = UNSET
    item_id: Field[str] = UNSET
    #: The index of the output item in the response.
    output_index: Field[Int64] = UNSET
    response_id: Field[str] = UNSET
    extra: Union[Extra, UnsetType] = _extra()


class ResponseAudioDoneEvent(_Event, tag="response.audio.done"):
    """Server event `response.audio.done` (beta): Returned when the model-generated audio is done. Beta
    name of `response.output_audio.done`.
    """

    event_id: Field[str] = UNSET
    #: The index of the content part in the item's content array.
    content_index: Field[Int64] = UNSET
    item_id: Field[str] = UNSET
    #: The index of the output item in the response.
    output_index: Field[Int64] = UNSET
    response_id: Field[str] = UNSET
    extra: Union[Extra, UnsetType] = _extra()


class ResponseAudioTranscriptDeltaEvent(_Event, tag="response.audio_transcript.delta"):
    """Server event `response.audio_transcript.delta` (beta): Returned when the model-generated
    transcription of audio output is updated. Beta name of `response.output_audio_transcript.delta`.
    """

    event_id: Field[str] = UNSET
    #: The index of the content part in the item's content array.
    content_index: Field[Int64] = UNSET
    #: The transcript delta.
    delta: Field[str] = UNSET
    item_id: Field[str] = UNSET
    #: The index of the output item in the response.
    output_index: Field[Int64] = UNSET
    response_id: Field[str] = UNSET
    extra: Union[Extra, UnsetType] = _extra()


class ResponseAudioTranscriptDoneEvent(_Event, tag="response.audio_transcript.done"):
    """Server event `response.audio_transcript.done` (beta): Returned when the model-generated
    transcription of audio output is done streaming. Beta name of
    `response.output_audio_transcript.done`.
    """

    event_id: Field[str] = UNSET
    #: The index of the content part in the item's content array.
    content_index: Field[Int64] = UNSET
    item_id: Field[str] = UNSET
    #: The index of the output item in the response.
    output_index: Field[Int64] = UNSET
    response_id: Field[str] = UNSET
    #: The final transcript of the audio.
    transcript: Field[str] = UNSET
    extra: Union[Extra, UnsetType] = _extra()


class ResponseTextDeltaEvent(_Event, tag="response.text.delta"):
    """Server event `response.text.delta` (beta): Returned when the text value of a "text" content part
    is updated. Beta name of `response.output_text.delta`.
    """

    event_id: Field[str] = UNSET
    #: The index of the content part in the item's content array.
    content_index: Field[Int64] = UNSET
    #: The text delta.
    delta: Field[str] = UNSET
    item_id: Field[str] = UNSET
    #: The index of the output item in the response.
    output_index: Field[Int64] = UNSET
    response_id: Field[str] = UNSET
    extra: Union[Extra, UnsetType] = _extra()


class ResponseTextDoneEvent(_Event, tag="response.text.done"):
    """Server event `response.text.done` (beta): Returned when the text value of a "text" content part
    is done streaming. Beta name of `response.output_text.done`.
    """

    event_id: Field[str] = UNSET
    #: The index of the content part in the item's content array.
    content_index: Field[Int64] = UNSET
    item_id: Field[str] = UNSET
    #: The index of the output item in the response.
    output_index: Field[Int64] = UNSET
    response_id: Field[str] = UNSET
    #: The final text content.
    text: Field[str] = UNSET
    extra: Union[Extra, UnsetType] = _extra()


class ConversationItemCreateEvent(_Event, tag="conversation.item.create"):
    """Client event `conversation.item.create` (beta and GA): Add a new Item to the Conversation's
    context, including messages, function calls, and function call responses.
    """

    event_id: Field[str] = UNSET
    #: The item. Beta: a message, function_call or function_call_output item; GA: also the MCP item
    #: types (every shape flattened into ConversationItem).
    item: Field[ConversationItem] = UNSET
    #: The ID of the preceding item after which the new item will be inserted.
    previous_item_id: Field[str] = UNSET
    extra: Union[Extra, UnsetType] = _extra()


class ConversationItemDeleteEvent(_Event, tag="conversation.item.delete"):
    """Client event `conversation.item.delete` (beta and GA): Send this event when you want to remove
    any item from the conversation history.
    """

    event_id: Field[str] = UNSET
    item_id: Field[str] = UNSET
    extra: Union[Extra, UnsetType] = _extra()


class ConversationItemRetrieveEvent(_Event, tag="conversation.item.retrieve"):
    """Client event `conversation.item.retrieve` (beta and GA): Send this event when you want to
    retrieve the server's representation of a specific item in the conversation history.
    """

    event_id: Field[str] = UNSET
    item_id: Field[str] = UNSET
    extra: Union[Extra, UnsetType] = _extra()


class ConversationItemTruncateEvent(_Event, tag="conversation.item.truncate"):
    """Client event `conversation.item.truncate` (beta and GA): Send this event to truncate a previous
    assistant message's audio.
    """

    event_id: Field[str] = UNSET
    #: Inclusive duration up to which audio is truncated, in milliseconds.
    audio_end_ms: Field[Int64] = UNSET
    #: The index of the content part to truncate.
    content_index: Field[Int64] = UNSET
    item_id: Field[str] = UNSET
    extra: Union[Extra, UnsetType] = _extra()


class InputAudioBufferAppendEvent(_Event, tag="input_audio_buffer.append"):
    """Client event `input_audio_buffer.append` (beta and GA): Send this event to append audio bytes to
    the input audio buffer.
    """

    event_id: Field[str] = UNSET
    #: Base64-encoded audio bytes (in JSON; here the bytes it decodes to).
    audio: Field[bytes] = UNSET
    extra: Union[Extra, UnsetType] = _extra()


class InputAudioBufferClearEvent(_Event, tag="input_audio_buffer.clear"):
    """Client event `input_audio_buffer.clear` (beta and GA): Send this event to clear the audio bytes
    in the buffer.
    """

    event_id: Field[str] = UNSET
    extra: Union[Extra, UnsetType] = _extra()


class OutputAudioBufferClearEvent(_Event, tag="output_audio_buffer.clear"):
    """Client event `output_audio_buffer.clear` (beta and GA): **WebRTC/SIP Only:** Emit to cut off the
    current audio response.
    """

    event_id: Field[str] = UNSET
    extra: Union[Extra, UnsetType] = _extra()


class InputAudioBufferCommitEvent(_Event, tag="input_audio_buffer.commit"):
    """Client event `input_audio_buffer.commit` (beta and GA): Send this event to commit the user input
    audio buffer, which will create a new user message item in the conversation.
    """

    event_id: Field[str] = UNSET
    extra: Union[Extra, UnsetType] = _extra()


class Conversation(_Model):
    """The conversation resource announced by `conversation.created`."""

    #: The unique ID of the conversation.
    id: Field[str] = UNSET
    object: Field[str] = UNSET
    extra: Union[Extra, UnsetType] = _extra()


class RealtimeError(_Model):
    """The error object of the `error` server event (beta and GA)."""

    #: A human-readable error message.
    message: Field[str] = UNSET
    #: The type of error, an open set ("invalid_request_error", "server_error", ...).
    type: Field[str] = UNSET
    #: Error code, if any.
    code: Field[str] = UNSET
    #: The event_id of the client event that caused the error, if applicable.
    event_id: Field[str] = UNSET
    #: Parameter related to the error, if any.
    param: Field[str] = UNSET
    extra: Union[Extra, UnsetType] = _extra()


class TranscriptionError(_Model):
    """The error of `conversation.item.input_audio_transcription.failed`."""

    #: Error code, if any.
    code: Field[str] = UNSET
    #: A human-readable error message.
    message: Field[str] = UNSET
    #: Parameter related to the error, if any.
    param: Field[str] = UNSET
    #: The type of error (open set).
    type: Field[str] = UNSET
    extra: Union[Extra, UnsetType] = _extra()


class RateLimit(_Model):
    """One rate limit of `rate_limits.updated`."""

    #: The maximum allowed value for the rate limit.
    limit: Field[Int64] = UNSET
    name: Field[str] = UNSET
    #: The remaining value before the limit is reached.
    remaining: Field[Int64] = UNSET
    #: Seconds until the rate limit resets.
    reset_seconds: Field[Number] = UNSET
    extra: Union[Extra, UnsetType] = _extra()


class LogProb(_Model):
    """The log probability of one transcription token."""

    #: The token that was used to generate the log probability.
    token: Field[str] = UNSET
    #: The UTF-8 bytes of the token, as integers.
    bytes: Field[list[Int64]] = UNSET
    #: The log probability of the token.
    logprob: Field[Number] = UNSET
    extra: Union[Extra, UnsetType] = _extra()


class TranscriptionUsage(_Model):
    """Usage of an input audio transcription; the union on `type` (`tokens` | `duration`) flattened."""

    #: `tokens`: number of input tokens billed for this request.
    input_tokens: Field[Int64] = UNSET
    #: `tokens`: number of output tokens generated.
    output_tokens: Field[Int64] = UNSET
    #: `tokens`: total number of tokens used (input + output).
    total_tokens: Field[Int64] = UNSET
    type: Field[str] = UNSET
    #: `tokens`: details about the input tokens billed.
    input_token_details: Field[TranscriptionUsageInputTokenDetails] = UNSET
    #: `duration`: duration of the input audio in seconds.
    seconds: Field[Number] = UNSET
    extra: Union[Extra, UnsetType] = _extra()


class TranscriptionUsageInputTokenDetails(_Model):
    """The input tokens billed for a transcription (`tokens` usage)."""

    #: Number of audio tokens billed for this request.
    audio_tokens: Field[Int64] = UNSET
    #: Number of text tokens billed for this request.
    text_tokens: Field[Int64] = UNSET
    extra: Union[Extra, UnsetType] = _extra()


class TranscriptionLanguage(_Model):
    """A language detected in transcribed audio (GA `languages`)."""

    #: The code of a language detected in the audio.
    code: Field[str] = UNSET
    extra: Union[Extra, UnsetType] = _extra()


class SessionCreatedEvent(_Event, tag="session.created"):
    """Server event `session.created`: the session as it is when the connection opens (beta Session or
    GA realtime/transcription session, all in one Session message).
    """

    event_id: Field[str] = UNSET
    session: Field[Session] = UNSET
    extra: Union[Extra, UnsetType] = _extra()


class SessionUpdatedEvent(_Event, tag="session.updated"):
    """Server event `session.updated`: the whole session after a `session.update` was applied."""

    event_id: Field[str] = UNSET
    session: Field[Session] = UNSET
    extra: Union[Extra, UnsetType] = _extra()


class TranscriptionSessionUpdatedEvent(_Event, tag="transcription_session.updated"):
    """Server event `transcription_session.updated` (beta only): the transcription session after a
    `transcription_session.update` was applied.
    """

    event_id: Field[str] = UNSET
    session: Field[Session] = UNSET
    extra: Union[Extra, UnsetType] = _extra()


class SessionUpdateEvent(_Event, tag="session.update"):
    """Client event `session.update`: changes the session configuration (only the keys sent change)."""

    event_id: Field[str] = UNSET
    session: Field[Session] = UNSET
    extra: Union[Extra, UnsetType] = _extra()


class TranscriptionSessionUpdateEvent(_Event, tag="transcription_session.update"):
    """Client event `transcription_session.update` (beta only): changes a transcription session."""

    event_id: Field[str] = UNSET
    session: Field[Session] = UNSET
    extra: Union[Extra, UnsetType] = _extra()


class ResponseCreateEvent(_Event, tag="response.create"):
    """Client event `response.create`: asks the server to create a response, optionally with
    parameters that override the session's for this response only.
    """

    event_id: Field[str] = UNSET
    response: Field[ResponseCreateParams] = UNSET
    extra: Union[Extra, UnsetType] = _extra()


class ResponseCancelEvent(_Event, tag="response.cancel"):
    """Client event `response.cancel`: cancels an in-progress response."""

    event_id: Field[str] = UNSET
    #: The response to cancel; when missing, the default conversation's in-progress response.
    response_id: Field[str] = UNSET
    extra: Union[Extra, UnsetType] = _extra()


class Session(_Model):
    """A session configuration, flattened: beta Session, beta session.update Session, beta
    TranscriptionSession and transcription_session.update Session, GA RealtimeSessionCreateRequest
    and RealtimeTranscriptionSessionCreateRequest (plus id/object/expires_at of the GA
    RealtimeSessionCreateResponse, which real GA servers send in session.created/updated).
    """

    #: beta Session; GA RealtimeSessionCreateResponse.
    id: Field[str] = UNSET
    #: GA only (RealtimeSessionCreateResponse): "realtime.session".
    object: Field[str] = UNSET
    #: GA only: "realtime" or "transcription".
    type: Field[str] = UNSET
    #: GA only.
    audio: Field[SessionAudio] = UNSET
    #: GA only (RealtimeSessionCreateResponse): Unix time in seconds.
    expires_at: Field[Int64] = UNSET
    #: Extra fields to include in server output; known value:
    #: "item.input_audio_transcription.logprobs".
    #: beta transcription_session.update (open strings) and GA.
    include: Field[list[str]] = UNSET
    instructions: Field[str] = UNSET
    max_output_tokens: Field[Union[Int64, str]] = UNSET
    #: Open set: gpt-realtime, gpt-realtime-1.5, gpt-realtime-2, gpt-realtime-2.1,
    #: gpt-realtime-2.1-mini, gpt-realtime-2025-08-28, gpt-4o-realtime-preview(-2024-10-01,
    #: -2024-12-17, -2025-06-03), gpt-4o-mini-realtime-preview(-2024-12-17),
    #: gpt-realtime-mini(-2025-10-06,
    #: -2025-12-15), gpt-audio-1.5, gpt-audio-mini(-2025-10-06, -2025-12-15), ...
    model: Field[str] = UNSET
    #: GA only: replaces `modalities`.
    output_modalities: Field[list[str]] = UNSET
    #: GA only.
    parallel_tool_calls: Field[bool] = UNSET
    #: GA only.
    prompt: Field[Prompt] = UNSET
    #: GA only.
    reasoning: Field[Reasoning] = UNSET
    tool_choice: Field[Union[str, ToolChoice]] = UNSET
    tools: Field[list[Tool]] = UNSET
    tracing: Field[Union[str, Tracing]] = UNSET
    truncation: Field[Union[str, Truncation]] = UNSET
    #: beta only (session.update, transcription_session.update, TranscriptionSession).
    client_secret: Field[SessionClientSecret] = UNSET
    #: beta only (GA: audio.input.format).
    input_audio_format: Field[str] = UNSET
    #: beta only (GA: audio.input.noise_reduction).
    input_audio_noise_reduction: Field[NoiseReduction] = UNSET
    #: beta only (GA: audio.input.transcription).
    input_audio_transcription: Field[InputAudioTranscription] = UNSET
    max_response_output_tokens: Field[Union[Int64, str]] = UNSET
    #: beta only (GA: output_modalities).
    modalities: Field[list[str]] = UNSET
    #: beta only (GA: audio.output.format).
    output_audio_format: Field[str] = UNSET
    #: beta only (GA: audio.output.speed). Speech speed multiplier, 1.0 default.
    speed: Field[Number] = UNSET
    #: beta only.
    temperature: Field[Number] = UNSET
    #: beta only (GA: audio.input.turn_detection). `null` turns detection off.
    turn_detection: Field[TurnDetection] = UNSET
    #: beta only (GA: audio.output.voice). Open set: alloy, ash, ballad, coral, echo, sage, shimmer,
    #: verse, ...
    voice: Field[str] = UNSET
    extra: Union[Extra, UnsetType] = _extra()


class SessionAudio(_Model):
    """GA `audio` of a session (realtime or transcription)."""

    input: Field[SessionAudioInput] = UNSET
    #: Realtime sessions only.
    output: Field[SessionAudioOutput] = UNSET
    extra: Union[Extra, UnsetType] = _extra()


class SessionAudioInput(_Model):
    """GA `audio.input` of a session."""

    format: Field[AudioOutputFormat] = UNSET
    #: `null` turns noise reduction off.
    noise_reduction: Field[NoiseReduction] = UNSET
    #: `null` turns input transcription off.
    transcription: Field[InputAudioTranscription] = UNSET
    #: `null` turns turn detection off.
    turn_detection: Field[TurnDetection] = UNSET
    extra: Union[Extra, UnsetType] = _extra()


class SessionAudioOutput(_Model):
    """GA `audio.output` of a realtime session."""

    format: Field[AudioOutputFormat] = UNSET
    #: Speech speed multiplier, 1.0 default.
    speed: Field[Number] = UNSET
    voice: Field[Union[str, CustomVoice]] = UNSET
    extra: Union[Extra, UnsetType] = _extra()


class NoiseReduction(_Model):
    """Input audio noise reduction (beta `input_audio_noise_reduction`, GA
    `audio.input.noise_reduction`).
    """

    type: Field[str] = UNSET
    #: GA only. Suppression strength; higher suppresses more (default 1).
    strength: Field[Number] = UNSET
    extra: Union[Extra, UnsetType] = _extra()


class InputAudioTranscription(_Model):
    """Input audio transcription settings (beta `input_audio_transcription`, GA
    `audio.input.transcription`).
    """

    #: Open set: whisper-1, gpt-transcribe, gpt-live-transcribe, gpt-4o-mini-transcribe,
    #: gpt-4o-mini-transcribe-2025-12-15, gpt-4o-transcribe, gpt-4o-transcribe-diarize,
    #: gpt-realtime-whisper, ...
    model: Field[str] = UNSET
    #: ISO-639-1 language code of the input audio.
    language: Field[str] = UNSET
    prompt: Field[str] = UNSET
    #: GA only.
    delay: Field[str] = UNSET
    #: GA only.
    keywords: Field[list[str]] = UNSET
    #: GA only. ISO-639-1 language codes.
    languages: Field[list[str]] = UNSET
    extra: Union[Extra, UnsetType] = _extra()


class TurnDetection(_Model):
    """Turn detection, flattened over server_vad and semantic_vad (beta `turn_detection`, GA
    `audio.input.turn_detection`).
    """

    #: beta TranscriptionSession: an open string; elsewhere server_vad | semantic_vad.
    type: Field[str] = UNSET
    create_response: Field[bool] = UNSET
    #: semantic_vad only.
    eagerness: Field[str] = UNSET
    #: server_vad only; GA only. Milliseconds of silence before a response is triggered.
    idle_timeout_ms: Field[Int64] = UNSET
    interrupt_response: Field[bool] = UNSET
    #: server_vad only. Milliseconds of audio kept before detected speech.
    prefix_padding_ms: Field[Int64] = UNSET
    #: server_vad only. Milliseconds of silence that end a turn.
    silence_duration_ms: Field[Int64] = UNSET
    #: server_vad only. Activation threshold, 0.0 to 1.0.
    threshold: Field[Number] = UNSET
    extra: Union[Extra, UnsetType] = _extra()


class Tool(_Model):
    """A tool, flattened over function tools (beta + GA) and MCP tools (GA only)."""

    type: Field[str] = UNSET
    #: function tools.
    name: Field[str] = UNSET
    description: Field[str] = UNSET
    #: function tools: JSON schema of the arguments, any JSON, kept as its exact text.
    parameters: JsonValue = UNSET
    #: MCP tools (GA only) from here on.
    server_label: Field[str] = UNSET
    allowed_callers: Field[list[str]] = UNSET
    #: JSON: a list of tool names or a filter object {"read_only", "tool_names"}; any JSON, kept as
    #: its exact text.
    allowed_tools: JsonValue = UNSET
    #: OAuth access token for the MCP server or connector.
    authorization: Field[str] = UNSET
    connector_id: Field[str] = UNSET
    defer_loading: Field[bool] = UNSET
    #: HTTP headers sent to the MCP server.
    headers: Field[dict[str, str]] = UNSET
    require_approval: Field[Union[str, ToolApprovalFilter]] = UNSET
    server_description: Field[str] = UNSET
    server_url: Field[str] = UNSET
    tunnel_id: Field[str] = UNSET
    extra: Union[Extra, UnsetType] = _extra()


class ToolApprovalFilter(_Model):
    """The object form of an MCP tool's `require_approval`: which tools always / never need approval."""

    always: Field[ToolFilter] = UNSET
    never: Field[ToolFilter] = UNSET
    extra: Union[Extra, UnsetType] = _extra()


class ToolFilter(_Model):
    """A filter selecting MCP tools by read-only hint and/or name."""

    read_only: Field[bool] = UNSET
    tool_names: Field[list[str]] = UNSET
    extra: Union[Extra, UnsetType] = _extra()


class ToolChoice(_Model):
    """The object form of GA `tool_choice`, flattened over {"type": "function", "name"} and
    {"type": "mcp", "server_label", "name"}.
    """

    type: Field[str] = UNSET
    name: Field[str] = UNSET
    #: mcp only.
    server_label: Field[str] = UNSET
    extra: Union[Extra, UnsetType] = _extra()


class Tracing(_Model):
    """The object form of `tracing`."""

    group_id: Field[str] = UNSET
    #: Any JSON, kept as its exact text.
    metadata: JsonValue = UNSET
    workflow_name: Field[str] = UNSET
    extra: Union[Extra, UnsetType] = _extra()


class Prompt(_Model):
    """GA prompt template reference."""

    id: Field[str] = UNSET
    #: Map of template variables to a string or an input_text / input_image / input_file object;
    #: any JSON, kept as its exact text.
    variables: JsonValue = UNSET
    version: Field[str] = UNSET
    extra: Union[Extra, UnsetType] = _extra()


class Reasoning(_Model):
    """GA reasoning configuration."""

    effort: Field[str] = UNSET
    extra: Union[Extra, UnsetType] = _extra()


class Truncation(_Model):
    """The object form of GA `truncation`: {"type": "retention_ratio", ...}."""

    type: Field[str] = UNSET
    #: Fraction of post-instruction conversation tokens kept when truncating, 0.0 to 1.0.
    retention_ratio: Field[Number] = UNSET
    token_limits: Field[TruncationTokenLimits] = UNSET
    extra: Union[Extra, UnsetType] = _extra()


class TruncationTokenLimits(_Model):
    """Token limits of GA `truncation`."""

    #: Maximum tokens after the instructions before truncation happens.
    post_instructions: Field[Int64] = UNSET
    extra: Union[Extra, UnsetType] = _extra()


class SessionClientSecret(_Model):
    """beta `client_secret` of a session: in TranscriptionSession {"value", "expires_at": <unix time>};
    in session.update {"expires_after": {...}}; in transcription_session.update {"expires_at":
    {...}}.
    """

    expires_at: Field[Union[Int64, SessionClientSecretExpiry]] = UNSET
    #: The ephemeral key (TranscriptionSession).
    value: Field[str] = UNSET
    #: session.update.
    expires_after: Field[SessionClientSecretExpiry] = UNSET
    extra: Union[Extra, UnsetType] = _extra()


class SessionClientSecretExpiry(_Model):
    """When a beta client secret expires: `seconds` after `anchor`."""

    anchor: Field[str] = UNSET
    seconds: Field[Int64] = UNSET
    extra: Union[Extra, UnsetType] = _extra()


class ResponseCreateParams(_Model):
    """Parameters of `response.create`, beta Response and GA RealtimeResponseCreateParams merged."""

    #: GA only. Output audio format and voice.
    audio: Field[ResponseAudio] = UNSET
    #: Open set: "auto" (default conversation), "none" (out-of-band response), ...
    conversation: Field[str] = UNSET
    #: Items that make up the prompt for this response instead of the conversation (beta items may
    #: be `item_reference`).
    input: Field[list[ConversationItem]] = UNSET
    instructions: Field[str] = UNSET
    max_output_tokens: Field[Union[Int64, str]] = UNSET
    metadata: Field[dict[str, str]] = UNSET
    #: GA only: replaces `modalities`.
    output_modalities: Field[list[str]] = UNSET
    #: GA only.
    parallel_tool_calls: Field[bool] = UNSET
    #: GA only.
    prompt: Field[Prompt] = UNSET
    #: GA only.
    reasoning: Field[Reasoning] = UNSET
    tool_choice: Field[Union[str, ToolChoice]] = UNSET
    tools: Field[list[Tool]] = UNSET
    max_response_output_tokens: Field[Union[Int64, str]] = UNSET
    #: beta only (GA: output_modalities).
    modalities: Field[list[str]] = UNSET
    #: beta only (GA: audio.output.format).
    output_audio_format: Field[str] = UNSET
    #: beta only.
    temperature: Field[Number] = UNSET
    #: beta only (GA: audio.output.voice). Open set: alloy, ash, ballad, coral, echo, sage, shimmer,
    #: verse, ...
    voice: Field[str] = UNSET
    extra: Union[Extra, UnsetType] = _extra()


class ResponseCreatedEvent(_Event, tag="response.created"):
    """``response.created``, whose keys are ServerEvent's own fields."""

    event_id: Field[str] = UNSET
    response: Field[RealtimeResponse] = UNSET
    extra: Union[Extra, UnsetType] = _extra()


class ResponseDoneEvent(_Event, tag="response.done"):
    """``response.done``, whose keys are ServerEvent's own fields."""

    event_id: Field[str] = UNSET
    response: Field[RealtimeResponse] = UNSET
    extra: Union[Extra, UnsetType] = _extra()


class GenericEvent(_Model):
    """A server event of a type the schema does not know: ``type`` and ``event_id`` typed, every other key
    carried in :attr:`extra`.
    """

    type: str
    event_id: Field[str] = UNSET
    extra: Union[Extra, UnsetType] = _extra()


class GenericClientEvent(_Model):
    """A client event of a type the schema does not know: ``type`` and ``event_id`` typed, every other key
    carried in :attr:`extra`.
    """

    type: str
    event_id: Field[str] = UNSET
    extra: Union[Extra, UnsetType] = _extra()


#: What a ServerEvent can be: one class per event type, and the generic one for any other.
ServerEvent = Union[
    ResponseCreatedEvent,
    ResponseDoneEvent,
    ConversationCreatedEvent,
    ConversationItemCreatedEvent,
    ConversationItemDeletedEvent,
    ConversationItemInputAudioTranscriptionCompletedEvent,
    ConversationItemInputAudioTranscriptionDeltaEvent,
    ConversationItemInputAudioTranscriptionFailedEvent,
    ConversationItemRetrievedEvent,
    ConversationItemTruncatedEvent,
    ErrorEvent,
    InputAudioBufferClearedEvent,
    InputAudioBufferCommittedEvent,
    InputAudioBufferDtmfEventReceivedEvent,
    InputAudioBufferSpeechStartedEvent,
    InputAudioBufferSpeechStoppedEvent,
    RateLimitsUpdatedEvent,
    ResponseOutputAudioDeltaEvent,
    ResponseOutputAudioDoneEvent,
    ResponseOutputAudioTranscriptDeltaEvent,
    ResponseOutputAudioTranscriptDoneEvent,
    ResponseContentPartAddedEvent,
    ResponseContentPartDoneEvent,
    ResponseFunctionCallArgumentsDeltaEvent,
    ResponseFunctionCallArgumentsDoneEvent,
    ResponseOutputItemAddedEvent,
    ResponseOutputItemDoneEvent,
    ResponseOutputTextDeltaEvent,
    ResponseOutputTextDoneEvent,
    SessionCreatedEvent,
    SessionUpdatedEvent,
    OutputAudioBufferStartedEvent,
    OutputAudioBufferStoppedEvent,
    OutputAudioBufferClearedEvent,
    ConversationItemAddedEvent,
    ConversationItemDoneEvent,
    InputAudioBufferTimeoutTriggeredEvent,
    ConversationItemInputAudioTranscriptionSegmentEvent,
    McpListToolsInProgressEvent,
    McpListToolsCompletedEvent,
    McpListToolsFailedEvent,
    ResponseMcpCallArgumentsDeltaEvent,
    ResponseMcpCallArgumentsDoneEvent,
    ResponseMcpCallInProgressEvent,
    ResponseMcpCallCompletedEvent,
    ResponseMcpCallFailedEvent,
    ResponseAudioDeltaEvent,
    ResponseAudioDoneEvent,
    ResponseAudioTranscriptDeltaEvent,
    ResponseAudioTranscriptDoneEvent,
    ResponseTextDeltaEvent,
    ResponseTextDoneEvent,
    TranscriptionSessionUpdatedEvent,
    GenericEvent,
]


#: What a ClientEvent can be: one class per event type, and the generic one for any other.
ClientEvent = Union[
    ConversationItemCreateEvent,
    ConversationItemDeleteEvent,
    ConversationItemRetrieveEvent,
    ConversationItemTruncateEvent,
    InputAudioBufferAppendEvent,
    InputAudioBufferClearEvent,
    OutputAudioBufferClearEvent,
    InputAudioBufferCommitEvent,
    ResponseCancelEvent,
    ResponseCreateEvent,
    SessionUpdateEvent,
    TranscriptionSessionUpdateEvent,
    GenericClientEvent,
]
