from bridge.v1 import fidelity_pb2 as _fidelity_pb2
from bridge.v1 import options_pb2 as _options_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class ResponseObject(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    RESPONSE_OBJECT_UNSPECIFIED: _ClassVar[ResponseObject]
    RESPONSE_OBJECT_REALTIME_RESPONSE: _ClassVar[ResponseObject]

class ResponseStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    RESPONSE_STATUS_UNSPECIFIED: _ClassVar[ResponseStatus]
    RESPONSE_STATUS_IN_PROGRESS: _ClassVar[ResponseStatus]
    RESPONSE_STATUS_COMPLETED: _ClassVar[ResponseStatus]
    RESPONSE_STATUS_CANCELLED: _ClassVar[ResponseStatus]
    RESPONSE_STATUS_FAILED: _ClassVar[ResponseStatus]
    RESPONSE_STATUS_INCOMPLETE: _ClassVar[ResponseStatus]

class StatusDetailsType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    STATUS_DETAILS_TYPE_UNSPECIFIED: _ClassVar[StatusDetailsType]
    STATUS_DETAILS_TYPE_COMPLETED: _ClassVar[StatusDetailsType]
    STATUS_DETAILS_TYPE_CANCELLED: _ClassVar[StatusDetailsType]
    STATUS_DETAILS_TYPE_INCOMPLETE: _ClassVar[StatusDetailsType]
    STATUS_DETAILS_TYPE_FAILED: _ClassVar[StatusDetailsType]

class StatusReason(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    STATUS_REASON_UNSPECIFIED: _ClassVar[StatusReason]
    STATUS_REASON_TURN_DETECTED: _ClassVar[StatusReason]
    STATUS_REASON_CLIENT_CANCELLED: _ClassVar[StatusReason]
    STATUS_REASON_MAX_OUTPUT_TOKENS: _ClassVar[StatusReason]
    STATUS_REASON_CONTENT_FILTER: _ClassVar[StatusReason]

class Modality(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    MODALITY_UNSPECIFIED: _ClassVar[Modality]
    MODALITY_TEXT: _ClassVar[Modality]
    MODALITY_AUDIO: _ClassVar[Modality]

class AudioFormat(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    AUDIO_FORMAT_UNSPECIFIED: _ClassVar[AudioFormat]
    AUDIO_FORMAT_PCM16: _ClassVar[AudioFormat]
    AUDIO_FORMAT_G711_ULAW: _ClassVar[AudioFormat]
    AUDIO_FORMAT_G711_ALAW: _ClassVar[AudioFormat]

class MaxOutputTokensLimit(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    MAX_OUTPUT_TOKENS_LIMIT_UNSPECIFIED: _ClassVar[MaxOutputTokensLimit]
    MAX_OUTPUT_TOKENS_LIMIT_INF: _ClassVar[MaxOutputTokensLimit]

class ItemObject(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    ITEM_OBJECT_UNSPECIFIED: _ClassVar[ItemObject]
    ITEM_OBJECT_REALTIME_ITEM: _ClassVar[ItemObject]

class ItemType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    ITEM_TYPE_UNSPECIFIED: _ClassVar[ItemType]
    ITEM_TYPE_MESSAGE: _ClassVar[ItemType]
    ITEM_TYPE_FUNCTION_CALL: _ClassVar[ItemType]
    ITEM_TYPE_FUNCTION_CALL_OUTPUT: _ClassVar[ItemType]
    ITEM_TYPE_MCP_CALL: _ClassVar[ItemType]
    ITEM_TYPE_MCP_LIST_TOOLS: _ClassVar[ItemType]
    ITEM_TYPE_MCP_APPROVAL_REQUEST: _ClassVar[ItemType]
    ITEM_TYPE_MCP_APPROVAL_RESPONSE: _ClassVar[ItemType]

class ItemStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    ITEM_STATUS_UNSPECIFIED: _ClassVar[ItemStatus]
    ITEM_STATUS_COMPLETED: _ClassVar[ItemStatus]
    ITEM_STATUS_INCOMPLETE: _ClassVar[ItemStatus]
    ITEM_STATUS_IN_PROGRESS: _ClassVar[ItemStatus]

class Role(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    ROLE_UNSPECIFIED: _ClassVar[Role]
    ROLE_USER: _ClassVar[Role]
    ROLE_ASSISTANT: _ClassVar[Role]
    ROLE_SYSTEM: _ClassVar[Role]

class ContentPartType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    CONTENT_PART_TYPE_UNSPECIFIED: _ClassVar[ContentPartType]
    CONTENT_PART_TYPE_INPUT_TEXT: _ClassVar[ContentPartType]
    CONTENT_PART_TYPE_INPUT_AUDIO: _ClassVar[ContentPartType]
    CONTENT_PART_TYPE_ITEM_REFERENCE: _ClassVar[ContentPartType]
    CONTENT_PART_TYPE_TEXT: _ClassVar[ContentPartType]
    CONTENT_PART_TYPE_AUDIO: _ClassVar[ContentPartType]
    CONTENT_PART_TYPE_INPUT_IMAGE: _ClassVar[ContentPartType]
    CONTENT_PART_TYPE_OUTPUT_TEXT: _ClassVar[ContentPartType]
    CONTENT_PART_TYPE_OUTPUT_AUDIO: _ClassVar[ContentPartType]

class ImageDetail(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    IMAGE_DETAIL_UNSPECIFIED: _ClassVar[ImageDetail]
    IMAGE_DETAIL_AUTO: _ClassVar[ImageDetail]
    IMAGE_DETAIL_LOW: _ClassVar[ImageDetail]
    IMAGE_DETAIL_HIGH: _ClassVar[ImageDetail]

class AudioOutputFormatType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    AUDIO_OUTPUT_FORMAT_TYPE_UNSPECIFIED: _ClassVar[AudioOutputFormatType]
    AUDIO_OUTPUT_FORMAT_TYPE_PCM: _ClassVar[AudioOutputFormatType]
    AUDIO_OUTPUT_FORMAT_TYPE_PCMU: _ClassVar[AudioOutputFormatType]
    AUDIO_OUTPUT_FORMAT_TYPE_PCMA: _ClassVar[AudioOutputFormatType]

class McpErrorType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    MCP_ERROR_TYPE_UNSPECIFIED: _ClassVar[McpErrorType]
    MCP_ERROR_TYPE_PROTOCOL_ERROR: _ClassVar[McpErrorType]
    MCP_ERROR_TYPE_TOOL_EXECUTION_ERROR: _ClassVar[McpErrorType]
    MCP_ERROR_TYPE_HTTP_ERROR: _ClassVar[McpErrorType]
RESPONSE_OBJECT_UNSPECIFIED: ResponseObject
RESPONSE_OBJECT_REALTIME_RESPONSE: ResponseObject
RESPONSE_STATUS_UNSPECIFIED: ResponseStatus
RESPONSE_STATUS_IN_PROGRESS: ResponseStatus
RESPONSE_STATUS_COMPLETED: ResponseStatus
RESPONSE_STATUS_CANCELLED: ResponseStatus
RESPONSE_STATUS_FAILED: ResponseStatus
RESPONSE_STATUS_INCOMPLETE: ResponseStatus
STATUS_DETAILS_TYPE_UNSPECIFIED: StatusDetailsType
STATUS_DETAILS_TYPE_COMPLETED: StatusDetailsType
STATUS_DETAILS_TYPE_CANCELLED: StatusDetailsType
STATUS_DETAILS_TYPE_INCOMPLETE: StatusDetailsType
STATUS_DETAILS_TYPE_FAILED: StatusDetailsType
STATUS_REASON_UNSPECIFIED: StatusReason
STATUS_REASON_TURN_DETECTED: StatusReason
STATUS_REASON_CLIENT_CANCELLED: StatusReason
STATUS_REASON_MAX_OUTPUT_TOKENS: StatusReason
STATUS_REASON_CONTENT_FILTER: StatusReason
MODALITY_UNSPECIFIED: Modality
MODALITY_TEXT: Modality
MODALITY_AUDIO: Modality
AUDIO_FORMAT_UNSPECIFIED: AudioFormat
AUDIO_FORMAT_PCM16: AudioFormat
AUDIO_FORMAT_G711_ULAW: AudioFormat
AUDIO_FORMAT_G711_ALAW: AudioFormat
MAX_OUTPUT_TOKENS_LIMIT_UNSPECIFIED: MaxOutputTokensLimit
MAX_OUTPUT_TOKENS_LIMIT_INF: MaxOutputTokensLimit
ITEM_OBJECT_UNSPECIFIED: ItemObject
ITEM_OBJECT_REALTIME_ITEM: ItemObject
ITEM_TYPE_UNSPECIFIED: ItemType
ITEM_TYPE_MESSAGE: ItemType
ITEM_TYPE_FUNCTION_CALL: ItemType
ITEM_TYPE_FUNCTION_CALL_OUTPUT: ItemType
ITEM_TYPE_MCP_CALL: ItemType
ITEM_TYPE_MCP_LIST_TOOLS: ItemType
ITEM_TYPE_MCP_APPROVAL_REQUEST: ItemType
ITEM_TYPE_MCP_APPROVAL_RESPONSE: ItemType
ITEM_STATUS_UNSPECIFIED: ItemStatus
ITEM_STATUS_COMPLETED: ItemStatus
ITEM_STATUS_INCOMPLETE: ItemStatus
ITEM_STATUS_IN_PROGRESS: ItemStatus
ROLE_UNSPECIFIED: Role
ROLE_USER: Role
ROLE_ASSISTANT: Role
ROLE_SYSTEM: Role
CONTENT_PART_TYPE_UNSPECIFIED: ContentPartType
CONTENT_PART_TYPE_INPUT_TEXT: ContentPartType
CONTENT_PART_TYPE_INPUT_AUDIO: ContentPartType
CONTENT_PART_TYPE_ITEM_REFERENCE: ContentPartType
CONTENT_PART_TYPE_TEXT: ContentPartType
CONTENT_PART_TYPE_AUDIO: ContentPartType
CONTENT_PART_TYPE_INPUT_IMAGE: ContentPartType
CONTENT_PART_TYPE_OUTPUT_TEXT: ContentPartType
CONTENT_PART_TYPE_OUTPUT_AUDIO: ContentPartType
IMAGE_DETAIL_UNSPECIFIED: ImageDetail
IMAGE_DETAIL_AUTO: ImageDetail
IMAGE_DETAIL_LOW: ImageDetail
IMAGE_DETAIL_HIGH: ImageDetail
AUDIO_OUTPUT_FORMAT_TYPE_UNSPECIFIED: AudioOutputFormatType
AUDIO_OUTPUT_FORMAT_TYPE_PCM: AudioOutputFormatType
AUDIO_OUTPUT_FORMAT_TYPE_PCMU: AudioOutputFormatType
AUDIO_OUTPUT_FORMAT_TYPE_PCMA: AudioOutputFormatType
MCP_ERROR_TYPE_UNSPECIFIED: McpErrorType
MCP_ERROR_TYPE_PROTOCOL_ERROR: McpErrorType
MCP_ERROR_TYPE_TOOL_EXECUTION_ERROR: McpErrorType
MCP_ERROR_TYPE_HTTP_ERROR: McpErrorType

class ServerEvent(_message.Message):
    __slots__ = ("type", "event_id", "response", "json_fidelity")
    TYPE_FIELD_NUMBER: _ClassVar[int]
    EVENT_ID_FIELD_NUMBER: _ClassVar[int]
    RESPONSE_FIELD_NUMBER: _ClassVar[int]
    JSON_FIDELITY_FIELD_NUMBER: _ClassVar[int]
    type: str
    event_id: str
    response: RealtimeResponse
    json_fidelity: _fidelity_pb2.JsonFidelity
    def __init__(self, type: _Optional[str] = ..., event_id: _Optional[str] = ..., response: _Optional[_Union[RealtimeResponse, _Mapping]] = ..., json_fidelity: _Optional[_Union[_fidelity_pb2.JsonFidelity, _Mapping]] = ...) -> None: ...

class RealtimeResponse(_message.Message):
    __slots__ = ("id", "object", "status", "status_details", "output", "metadata", "usage", "conversation_id", "voice_name", "voice_custom", "modalities", "output_audio_format", "temperature", "max_output_tokens_count", "max_output_tokens_limit", "output_modalities", "audio", "json_fidelity")
    class MetadataEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    ID_FIELD_NUMBER: _ClassVar[int]
    OBJECT_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    STATUS_DETAILS_FIELD_NUMBER: _ClassVar[int]
    OUTPUT_FIELD_NUMBER: _ClassVar[int]
    METADATA_FIELD_NUMBER: _ClassVar[int]
    USAGE_FIELD_NUMBER: _ClassVar[int]
    CONVERSATION_ID_FIELD_NUMBER: _ClassVar[int]
    VOICE_NAME_FIELD_NUMBER: _ClassVar[int]
    VOICE_CUSTOM_FIELD_NUMBER: _ClassVar[int]
    MODALITIES_FIELD_NUMBER: _ClassVar[int]
    OUTPUT_AUDIO_FORMAT_FIELD_NUMBER: _ClassVar[int]
    TEMPERATURE_FIELD_NUMBER: _ClassVar[int]
    MAX_OUTPUT_TOKENS_COUNT_FIELD_NUMBER: _ClassVar[int]
    MAX_OUTPUT_TOKENS_LIMIT_FIELD_NUMBER: _ClassVar[int]
    OUTPUT_MODALITIES_FIELD_NUMBER: _ClassVar[int]
    AUDIO_FIELD_NUMBER: _ClassVar[int]
    JSON_FIDELITY_FIELD_NUMBER: _ClassVar[int]
    id: str
    object: ResponseObject
    status: ResponseStatus
    status_details: StatusDetails
    output: _containers.RepeatedCompositeFieldContainer[ConversationItem]
    metadata: _containers.ScalarMap[str, str]
    usage: Usage
    conversation_id: str
    voice_name: str
    voice_custom: CustomVoice
    modalities: _containers.RepeatedScalarFieldContainer[Modality]
    output_audio_format: AudioFormat
    temperature: float
    max_output_tokens_count: int
    max_output_tokens_limit: MaxOutputTokensLimit
    output_modalities: _containers.RepeatedScalarFieldContainer[Modality]
    audio: ResponseAudio
    json_fidelity: _fidelity_pb2.JsonFidelity
    def __init__(self, id: _Optional[str] = ..., object: _Optional[_Union[ResponseObject, str]] = ..., status: _Optional[_Union[ResponseStatus, str]] = ..., status_details: _Optional[_Union[StatusDetails, _Mapping]] = ..., output: _Optional[_Iterable[_Union[ConversationItem, _Mapping]]] = ..., metadata: _Optional[_Mapping[str, str]] = ..., usage: _Optional[_Union[Usage, _Mapping]] = ..., conversation_id: _Optional[str] = ..., voice_name: _Optional[str] = ..., voice_custom: _Optional[_Union[CustomVoice, _Mapping]] = ..., modalities: _Optional[_Iterable[_Union[Modality, str]]] = ..., output_audio_format: _Optional[_Union[AudioFormat, str]] = ..., temperature: _Optional[float] = ..., max_output_tokens_count: _Optional[int] = ..., max_output_tokens_limit: _Optional[_Union[MaxOutputTokensLimit, str]] = ..., output_modalities: _Optional[_Iterable[_Union[Modality, str]]] = ..., audio: _Optional[_Union[ResponseAudio, _Mapping]] = ..., json_fidelity: _Optional[_Union[_fidelity_pb2.JsonFidelity, _Mapping]] = ...) -> None: ...

class CustomVoice(_message.Message):
    __slots__ = ("id", "json_fidelity")
    ID_FIELD_NUMBER: _ClassVar[int]
    JSON_FIDELITY_FIELD_NUMBER: _ClassVar[int]
    id: str
    json_fidelity: _fidelity_pb2.JsonFidelity
    def __init__(self, id: _Optional[str] = ..., json_fidelity: _Optional[_Union[_fidelity_pb2.JsonFidelity, _Mapping]] = ...) -> None: ...

class ResponseAudio(_message.Message):
    __slots__ = ("output", "json_fidelity")
    OUTPUT_FIELD_NUMBER: _ClassVar[int]
    JSON_FIDELITY_FIELD_NUMBER: _ClassVar[int]
    output: ResponseAudioOutput
    json_fidelity: _fidelity_pb2.JsonFidelity
    def __init__(self, output: _Optional[_Union[ResponseAudioOutput, _Mapping]] = ..., json_fidelity: _Optional[_Union[_fidelity_pb2.JsonFidelity, _Mapping]] = ...) -> None: ...

class ResponseAudioOutput(_message.Message):
    __slots__ = ("format", "voice_name", "voice_custom", "json_fidelity")
    FORMAT_FIELD_NUMBER: _ClassVar[int]
    VOICE_NAME_FIELD_NUMBER: _ClassVar[int]
    VOICE_CUSTOM_FIELD_NUMBER: _ClassVar[int]
    JSON_FIDELITY_FIELD_NUMBER: _ClassVar[int]
    format: AudioOutputFormat
    voice_name: str
    voice_custom: CustomVoice
    json_fidelity: _fidelity_pb2.JsonFidelity
    def __init__(self, format: _Optional[_Union[AudioOutputFormat, _Mapping]] = ..., voice_name: _Optional[str] = ..., voice_custom: _Optional[_Union[CustomVoice, _Mapping]] = ..., json_fidelity: _Optional[_Union[_fidelity_pb2.JsonFidelity, _Mapping]] = ...) -> None: ...

class AudioOutputFormat(_message.Message):
    __slots__ = ("type", "rate", "json_fidelity")
    TYPE_FIELD_NUMBER: _ClassVar[int]
    RATE_FIELD_NUMBER: _ClassVar[int]
    JSON_FIDELITY_FIELD_NUMBER: _ClassVar[int]
    type: AudioOutputFormatType
    rate: int
    json_fidelity: _fidelity_pb2.JsonFidelity
    def __init__(self, type: _Optional[_Union[AudioOutputFormatType, str]] = ..., rate: _Optional[int] = ..., json_fidelity: _Optional[_Union[_fidelity_pb2.JsonFidelity, _Mapping]] = ...) -> None: ...

class StatusDetails(_message.Message):
    __slots__ = ("type", "reason", "error", "json_fidelity")
    TYPE_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    ERROR_FIELD_NUMBER: _ClassVar[int]
    JSON_FIDELITY_FIELD_NUMBER: _ClassVar[int]
    type: StatusDetailsType
    reason: StatusReason
    error: ResponseError
    json_fidelity: _fidelity_pb2.JsonFidelity
    def __init__(self, type: _Optional[_Union[StatusDetailsType, str]] = ..., reason: _Optional[_Union[StatusReason, str]] = ..., error: _Optional[_Union[ResponseError, _Mapping]] = ..., json_fidelity: _Optional[_Union[_fidelity_pb2.JsonFidelity, _Mapping]] = ...) -> None: ...

class ResponseError(_message.Message):
    __slots__ = ("type", "code", "message", "json_fidelity")
    TYPE_FIELD_NUMBER: _ClassVar[int]
    CODE_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    JSON_FIDELITY_FIELD_NUMBER: _ClassVar[int]
    type: str
    code: str
    message: str
    json_fidelity: _fidelity_pb2.JsonFidelity
    def __init__(self, type: _Optional[str] = ..., code: _Optional[str] = ..., message: _Optional[str] = ..., json_fidelity: _Optional[_Union[_fidelity_pb2.JsonFidelity, _Mapping]] = ...) -> None: ...

class ConversationItem(_message.Message):
    __slots__ = ("id", "type", "object", "status", "role", "content", "call_id", "name", "arguments", "output", "server_label", "approval_request_id", "error", "tools", "approve", "reason", "json_fidelity")
    ID_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    OBJECT_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    ROLE_FIELD_NUMBER: _ClassVar[int]
    CONTENT_FIELD_NUMBER: _ClassVar[int]
    CALL_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    ARGUMENTS_FIELD_NUMBER: _ClassVar[int]
    OUTPUT_FIELD_NUMBER: _ClassVar[int]
    SERVER_LABEL_FIELD_NUMBER: _ClassVar[int]
    APPROVAL_REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    ERROR_FIELD_NUMBER: _ClassVar[int]
    TOOLS_FIELD_NUMBER: _ClassVar[int]
    APPROVE_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    JSON_FIDELITY_FIELD_NUMBER: _ClassVar[int]
    id: str
    type: ItemType
    object: ItemObject
    status: ItemStatus
    role: Role
    content: _containers.RepeatedCompositeFieldContainer[ContentPart]
    call_id: str
    name: str
    arguments: str
    output: str
    server_label: str
    approval_request_id: str
    error: McpError
    tools: _containers.RepeatedCompositeFieldContainer[McpTool]
    approve: bool
    reason: str
    json_fidelity: _fidelity_pb2.JsonFidelity
    def __init__(self, id: _Optional[str] = ..., type: _Optional[_Union[ItemType, str]] = ..., object: _Optional[_Union[ItemObject, str]] = ..., status: _Optional[_Union[ItemStatus, str]] = ..., role: _Optional[_Union[Role, str]] = ..., content: _Optional[_Iterable[_Union[ContentPart, _Mapping]]] = ..., call_id: _Optional[str] = ..., name: _Optional[str] = ..., arguments: _Optional[str] = ..., output: _Optional[str] = ..., server_label: _Optional[str] = ..., approval_request_id: _Optional[str] = ..., error: _Optional[_Union[McpError, _Mapping]] = ..., tools: _Optional[_Iterable[_Union[McpTool, _Mapping]]] = ..., approve: _Optional[bool] = ..., reason: _Optional[str] = ..., json_fidelity: _Optional[_Union[_fidelity_pb2.JsonFidelity, _Mapping]] = ...) -> None: ...

class McpError(_message.Message):
    __slots__ = ("type", "code", "message", "json_fidelity")
    TYPE_FIELD_NUMBER: _ClassVar[int]
    CODE_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    JSON_FIDELITY_FIELD_NUMBER: _ClassVar[int]
    type: McpErrorType
    code: int
    message: str
    json_fidelity: _fidelity_pb2.JsonFidelity
    def __init__(self, type: _Optional[_Union[McpErrorType, str]] = ..., code: _Optional[int] = ..., message: _Optional[str] = ..., json_fidelity: _Optional[_Union[_fidelity_pb2.JsonFidelity, _Mapping]] = ...) -> None: ...

class McpTool(_message.Message):
    __slots__ = ("name", "description", "input_schema", "annotations", "json_fidelity")
    NAME_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    INPUT_SCHEMA_FIELD_NUMBER: _ClassVar[int]
    ANNOTATIONS_FIELD_NUMBER: _ClassVar[int]
    JSON_FIDELITY_FIELD_NUMBER: _ClassVar[int]
    name: str
    description: str
    input_schema: bytes
    annotations: bytes
    json_fidelity: _fidelity_pb2.JsonFidelity
    def __init__(self, name: _Optional[str] = ..., description: _Optional[str] = ..., input_schema: _Optional[bytes] = ..., annotations: _Optional[bytes] = ..., json_fidelity: _Optional[_Union[_fidelity_pb2.JsonFidelity, _Mapping]] = ...) -> None: ...

class ContentPart(_message.Message):
    __slots__ = ("type", "text", "id", "audio", "transcript", "image_url", "detail", "json_fidelity")
    TYPE_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    AUDIO_FIELD_NUMBER: _ClassVar[int]
    TRANSCRIPT_FIELD_NUMBER: _ClassVar[int]
    IMAGE_URL_FIELD_NUMBER: _ClassVar[int]
    DETAIL_FIELD_NUMBER: _ClassVar[int]
    JSON_FIDELITY_FIELD_NUMBER: _ClassVar[int]
    type: ContentPartType
    text: str
    id: str
    audio: str
    transcript: str
    image_url: str
    detail: ImageDetail
    json_fidelity: _fidelity_pb2.JsonFidelity
    def __init__(self, type: _Optional[_Union[ContentPartType, str]] = ..., text: _Optional[str] = ..., id: _Optional[str] = ..., audio: _Optional[str] = ..., transcript: _Optional[str] = ..., image_url: _Optional[str] = ..., detail: _Optional[_Union[ImageDetail, str]] = ..., json_fidelity: _Optional[_Union[_fidelity_pb2.JsonFidelity, _Mapping]] = ...) -> None: ...

class Usage(_message.Message):
    __slots__ = ("total_tokens", "input_tokens", "output_tokens", "input_token_details", "output_token_details", "json_fidelity")
    TOTAL_TOKENS_FIELD_NUMBER: _ClassVar[int]
    INPUT_TOKENS_FIELD_NUMBER: _ClassVar[int]
    OUTPUT_TOKENS_FIELD_NUMBER: _ClassVar[int]
    INPUT_TOKEN_DETAILS_FIELD_NUMBER: _ClassVar[int]
    OUTPUT_TOKEN_DETAILS_FIELD_NUMBER: _ClassVar[int]
    JSON_FIDELITY_FIELD_NUMBER: _ClassVar[int]
    total_tokens: int
    input_tokens: int
    output_tokens: int
    input_token_details: InputTokenDetails
    output_token_details: OutputTokenDetails
    json_fidelity: _fidelity_pb2.JsonFidelity
    def __init__(self, total_tokens: _Optional[int] = ..., input_tokens: _Optional[int] = ..., output_tokens: _Optional[int] = ..., input_token_details: _Optional[_Union[InputTokenDetails, _Mapping]] = ..., output_token_details: _Optional[_Union[OutputTokenDetails, _Mapping]] = ..., json_fidelity: _Optional[_Union[_fidelity_pb2.JsonFidelity, _Mapping]] = ...) -> None: ...

class InputTokenDetails(_message.Message):
    __slots__ = ("cached_tokens", "text_tokens", "audio_tokens", "image_tokens", "cached_tokens_details", "json_fidelity")
    CACHED_TOKENS_FIELD_NUMBER: _ClassVar[int]
    TEXT_TOKENS_FIELD_NUMBER: _ClassVar[int]
    AUDIO_TOKENS_FIELD_NUMBER: _ClassVar[int]
    IMAGE_TOKENS_FIELD_NUMBER: _ClassVar[int]
    CACHED_TOKENS_DETAILS_FIELD_NUMBER: _ClassVar[int]
    JSON_FIDELITY_FIELD_NUMBER: _ClassVar[int]
    cached_tokens: int
    text_tokens: int
    audio_tokens: int
    image_tokens: int
    cached_tokens_details: CachedTokensDetails
    json_fidelity: _fidelity_pb2.JsonFidelity
    def __init__(self, cached_tokens: _Optional[int] = ..., text_tokens: _Optional[int] = ..., audio_tokens: _Optional[int] = ..., image_tokens: _Optional[int] = ..., cached_tokens_details: _Optional[_Union[CachedTokensDetails, _Mapping]] = ..., json_fidelity: _Optional[_Union[_fidelity_pb2.JsonFidelity, _Mapping]] = ...) -> None: ...

class CachedTokensDetails(_message.Message):
    __slots__ = ("text_tokens", "audio_tokens", "image_tokens", "json_fidelity")
    TEXT_TOKENS_FIELD_NUMBER: _ClassVar[int]
    AUDIO_TOKENS_FIELD_NUMBER: _ClassVar[int]
    IMAGE_TOKENS_FIELD_NUMBER: _ClassVar[int]
    JSON_FIDELITY_FIELD_NUMBER: _ClassVar[int]
    text_tokens: int
    audio_tokens: int
    image_tokens: int
    json_fidelity: _fidelity_pb2.JsonFidelity
    def __init__(self, text_tokens: _Optional[int] = ..., audio_tokens: _Optional[int] = ..., image_tokens: _Optional[int] = ..., json_fidelity: _Optional[_Union[_fidelity_pb2.JsonFidelity, _Mapping]] = ...) -> None: ...

class OutputTokenDetails(_message.Message):
    __slots__ = ("text_tokens", "audio_tokens", "json_fidelity")
    TEXT_TOKENS_FIELD_NUMBER: _ClassVar[int]
    AUDIO_TOKENS_FIELD_NUMBER: _ClassVar[int]
    JSON_FIDELITY_FIELD_NUMBER: _ClassVar[int]
    text_tokens: int
    audio_tokens: int
    json_fidelity: _fidelity_pb2.JsonFidelity
    def __init__(self, text_tokens: _Optional[int] = ..., audio_tokens: _Optional[int] = ..., json_fidelity: _Optional[_Union[_fidelity_pb2.JsonFidelity, _Mapping]] = ...) -> None: ...
