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
    ITEM_TYPE_ITEM_REFERENCE: _ClassVar[ItemType]

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

class ConversationObject(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    CONVERSATION_OBJECT_UNSPECIFIED: _ClassVar[ConversationObject]
    CONVERSATION_OBJECT_REALTIME_CONVERSATION: _ClassVar[ConversationObject]

class RateLimitName(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    RATE_LIMIT_NAME_UNSPECIFIED: _ClassVar[RateLimitName]
    RATE_LIMIT_NAME_REQUESTS: _ClassVar[RateLimitName]
    RATE_LIMIT_NAME_TOKENS: _ClassVar[RateLimitName]

class TranscriptionUsageType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    TRANSCRIPTION_USAGE_TYPE_UNSPECIFIED: _ClassVar[TranscriptionUsageType]
    TRANSCRIPTION_USAGE_TYPE_TOKENS: _ClassVar[TranscriptionUsageType]
    TRANSCRIPTION_USAGE_TYPE_DURATION: _ClassVar[TranscriptionUsageType]

class SessionObject(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    SESSION_OBJECT_UNSPECIFIED: _ClassVar[SessionObject]
    SESSION_OBJECT_REALTIME_SESSION: _ClassVar[SessionObject]

class SessionType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    SESSION_TYPE_UNSPECIFIED: _ClassVar[SessionType]
    SESSION_TYPE_REALTIME: _ClassVar[SessionType]
    SESSION_TYPE_TRANSCRIPTION: _ClassVar[SessionType]

class NoiseReductionType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    NOISE_REDUCTION_TYPE_UNSPECIFIED: _ClassVar[NoiseReductionType]
    NOISE_REDUCTION_TYPE_NEAR_FIELD: _ClassVar[NoiseReductionType]
    NOISE_REDUCTION_TYPE_FAR_FIELD: _ClassVar[NoiseReductionType]

class InputAudioTranscriptionDelay(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    INPUT_AUDIO_TRANSCRIPTION_DELAY_UNSPECIFIED: _ClassVar[InputAudioTranscriptionDelay]
    INPUT_AUDIO_TRANSCRIPTION_DELAY_MINIMAL: _ClassVar[InputAudioTranscriptionDelay]
    INPUT_AUDIO_TRANSCRIPTION_DELAY_LOW: _ClassVar[InputAudioTranscriptionDelay]
    INPUT_AUDIO_TRANSCRIPTION_DELAY_MEDIUM: _ClassVar[InputAudioTranscriptionDelay]
    INPUT_AUDIO_TRANSCRIPTION_DELAY_HIGH: _ClassVar[InputAudioTranscriptionDelay]
    INPUT_AUDIO_TRANSCRIPTION_DELAY_XHIGH: _ClassVar[InputAudioTranscriptionDelay]

class TurnDetectionType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    TURN_DETECTION_TYPE_UNSPECIFIED: _ClassVar[TurnDetectionType]
    TURN_DETECTION_TYPE_SERVER_VAD: _ClassVar[TurnDetectionType]
    TURN_DETECTION_TYPE_SEMANTIC_VAD: _ClassVar[TurnDetectionType]

class TurnDetectionEagerness(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    TURN_DETECTION_EAGERNESS_UNSPECIFIED: _ClassVar[TurnDetectionEagerness]
    TURN_DETECTION_EAGERNESS_LOW: _ClassVar[TurnDetectionEagerness]
    TURN_DETECTION_EAGERNESS_MEDIUM: _ClassVar[TurnDetectionEagerness]
    TURN_DETECTION_EAGERNESS_HIGH: _ClassVar[TurnDetectionEagerness]
    TURN_DETECTION_EAGERNESS_AUTO: _ClassVar[TurnDetectionEagerness]

class ToolType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    TOOL_TYPE_UNSPECIFIED: _ClassVar[ToolType]
    TOOL_TYPE_FUNCTION: _ClassVar[ToolType]
    TOOL_TYPE_MCP: _ClassVar[ToolType]

class ToolAllowedCaller(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    TOOL_ALLOWED_CALLER_UNSPECIFIED: _ClassVar[ToolAllowedCaller]
    TOOL_ALLOWED_CALLER_DIRECT: _ClassVar[ToolAllowedCaller]
    TOOL_ALLOWED_CALLER_PROGRAMMATIC: _ClassVar[ToolAllowedCaller]

class ToolConnectorId(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    TOOL_CONNECTOR_ID_UNSPECIFIED: _ClassVar[ToolConnectorId]
    TOOL_CONNECTOR_ID_CONNECTOR_DROPBOX: _ClassVar[ToolConnectorId]
    TOOL_CONNECTOR_ID_CONNECTOR_GMAIL: _ClassVar[ToolConnectorId]
    TOOL_CONNECTOR_ID_CONNECTOR_GOOGLECALENDAR: _ClassVar[ToolConnectorId]
    TOOL_CONNECTOR_ID_CONNECTOR_GOOGLEDRIVE: _ClassVar[ToolConnectorId]
    TOOL_CONNECTOR_ID_CONNECTOR_MICROSOFTTEAMS: _ClassVar[ToolConnectorId]
    TOOL_CONNECTOR_ID_CONNECTOR_OUTLOOKCALENDAR: _ClassVar[ToolConnectorId]
    TOOL_CONNECTOR_ID_CONNECTOR_OUTLOOKEMAIL: _ClassVar[ToolConnectorId]
    TOOL_CONNECTOR_ID_CONNECTOR_SHAREPOINT: _ClassVar[ToolConnectorId]

class ToolRequireApprovalMode(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    TOOL_REQUIRE_APPROVAL_MODE_UNSPECIFIED: _ClassVar[ToolRequireApprovalMode]
    TOOL_REQUIRE_APPROVAL_MODE_ALWAYS: _ClassVar[ToolRequireApprovalMode]
    TOOL_REQUIRE_APPROVAL_MODE_NEVER: _ClassVar[ToolRequireApprovalMode]

class ToolChoiceType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    TOOL_CHOICE_TYPE_UNSPECIFIED: _ClassVar[ToolChoiceType]
    TOOL_CHOICE_TYPE_FUNCTION: _ClassVar[ToolChoiceType]
    TOOL_CHOICE_TYPE_MCP: _ClassVar[ToolChoiceType]

class TracingMode(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    TRACING_MODE_UNSPECIFIED: _ClassVar[TracingMode]
    TRACING_MODE_AUTO: _ClassVar[TracingMode]

class ReasoningEffort(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    REASONING_EFFORT_UNSPECIFIED: _ClassVar[ReasoningEffort]
    REASONING_EFFORT_MINIMAL: _ClassVar[ReasoningEffort]
    REASONING_EFFORT_LOW: _ClassVar[ReasoningEffort]
    REASONING_EFFORT_MEDIUM: _ClassVar[ReasoningEffort]
    REASONING_EFFORT_HIGH: _ClassVar[ReasoningEffort]
    REASONING_EFFORT_XHIGH: _ClassVar[ReasoningEffort]

class TruncationMode(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    TRUNCATION_MODE_UNSPECIFIED: _ClassVar[TruncationMode]
    TRUNCATION_MODE_AUTO: _ClassVar[TruncationMode]
    TRUNCATION_MODE_DISABLED: _ClassVar[TruncationMode]

class TruncationType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    TRUNCATION_TYPE_UNSPECIFIED: _ClassVar[TruncationType]
    TRUNCATION_TYPE_RETENTION_RATIO: _ClassVar[TruncationType]

class SessionClientSecretExpiryAnchor(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    SESSION_CLIENT_SECRET_EXPIRY_ANCHOR_UNSPECIFIED: _ClassVar[SessionClientSecretExpiryAnchor]
    SESSION_CLIENT_SECRET_EXPIRY_ANCHOR_CREATED_AT: _ClassVar[SessionClientSecretExpiryAnchor]
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
ITEM_TYPE_ITEM_REFERENCE: ItemType
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
CONVERSATION_OBJECT_UNSPECIFIED: ConversationObject
CONVERSATION_OBJECT_REALTIME_CONVERSATION: ConversationObject
RATE_LIMIT_NAME_UNSPECIFIED: RateLimitName
RATE_LIMIT_NAME_REQUESTS: RateLimitName
RATE_LIMIT_NAME_TOKENS: RateLimitName
TRANSCRIPTION_USAGE_TYPE_UNSPECIFIED: TranscriptionUsageType
TRANSCRIPTION_USAGE_TYPE_TOKENS: TranscriptionUsageType
TRANSCRIPTION_USAGE_TYPE_DURATION: TranscriptionUsageType
SESSION_OBJECT_UNSPECIFIED: SessionObject
SESSION_OBJECT_REALTIME_SESSION: SessionObject
SESSION_TYPE_UNSPECIFIED: SessionType
SESSION_TYPE_REALTIME: SessionType
SESSION_TYPE_TRANSCRIPTION: SessionType
NOISE_REDUCTION_TYPE_UNSPECIFIED: NoiseReductionType
NOISE_REDUCTION_TYPE_NEAR_FIELD: NoiseReductionType
NOISE_REDUCTION_TYPE_FAR_FIELD: NoiseReductionType
INPUT_AUDIO_TRANSCRIPTION_DELAY_UNSPECIFIED: InputAudioTranscriptionDelay
INPUT_AUDIO_TRANSCRIPTION_DELAY_MINIMAL: InputAudioTranscriptionDelay
INPUT_AUDIO_TRANSCRIPTION_DELAY_LOW: InputAudioTranscriptionDelay
INPUT_AUDIO_TRANSCRIPTION_DELAY_MEDIUM: InputAudioTranscriptionDelay
INPUT_AUDIO_TRANSCRIPTION_DELAY_HIGH: InputAudioTranscriptionDelay
INPUT_AUDIO_TRANSCRIPTION_DELAY_XHIGH: InputAudioTranscriptionDelay
TURN_DETECTION_TYPE_UNSPECIFIED: TurnDetectionType
TURN_DETECTION_TYPE_SERVER_VAD: TurnDetectionType
TURN_DETECTION_TYPE_SEMANTIC_VAD: TurnDetectionType
TURN_DETECTION_EAGERNESS_UNSPECIFIED: TurnDetectionEagerness
TURN_DETECTION_EAGERNESS_LOW: TurnDetectionEagerness
TURN_DETECTION_EAGERNESS_MEDIUM: TurnDetectionEagerness
TURN_DETECTION_EAGERNESS_HIGH: TurnDetectionEagerness
TURN_DETECTION_EAGERNESS_AUTO: TurnDetectionEagerness
TOOL_TYPE_UNSPECIFIED: ToolType
TOOL_TYPE_FUNCTION: ToolType
TOOL_TYPE_MCP: ToolType
TOOL_ALLOWED_CALLER_UNSPECIFIED: ToolAllowedCaller
TOOL_ALLOWED_CALLER_DIRECT: ToolAllowedCaller
TOOL_ALLOWED_CALLER_PROGRAMMATIC: ToolAllowedCaller
TOOL_CONNECTOR_ID_UNSPECIFIED: ToolConnectorId
TOOL_CONNECTOR_ID_CONNECTOR_DROPBOX: ToolConnectorId
TOOL_CONNECTOR_ID_CONNECTOR_GMAIL: ToolConnectorId
TOOL_CONNECTOR_ID_CONNECTOR_GOOGLECALENDAR: ToolConnectorId
TOOL_CONNECTOR_ID_CONNECTOR_GOOGLEDRIVE: ToolConnectorId
TOOL_CONNECTOR_ID_CONNECTOR_MICROSOFTTEAMS: ToolConnectorId
TOOL_CONNECTOR_ID_CONNECTOR_OUTLOOKCALENDAR: ToolConnectorId
TOOL_CONNECTOR_ID_CONNECTOR_OUTLOOKEMAIL: ToolConnectorId
TOOL_CONNECTOR_ID_CONNECTOR_SHAREPOINT: ToolConnectorId
TOOL_REQUIRE_APPROVAL_MODE_UNSPECIFIED: ToolRequireApprovalMode
TOOL_REQUIRE_APPROVAL_MODE_ALWAYS: ToolRequireApprovalMode
TOOL_REQUIRE_APPROVAL_MODE_NEVER: ToolRequireApprovalMode
TOOL_CHOICE_TYPE_UNSPECIFIED: ToolChoiceType
TOOL_CHOICE_TYPE_FUNCTION: ToolChoiceType
TOOL_CHOICE_TYPE_MCP: ToolChoiceType
TRACING_MODE_UNSPECIFIED: TracingMode
TRACING_MODE_AUTO: TracingMode
REASONING_EFFORT_UNSPECIFIED: ReasoningEffort
REASONING_EFFORT_MINIMAL: ReasoningEffort
REASONING_EFFORT_LOW: ReasoningEffort
REASONING_EFFORT_MEDIUM: ReasoningEffort
REASONING_EFFORT_HIGH: ReasoningEffort
REASONING_EFFORT_XHIGH: ReasoningEffort
TRUNCATION_MODE_UNSPECIFIED: TruncationMode
TRUNCATION_MODE_AUTO: TruncationMode
TRUNCATION_MODE_DISABLED: TruncationMode
TRUNCATION_TYPE_UNSPECIFIED: TruncationType
TRUNCATION_TYPE_RETENTION_RATIO: TruncationType
SESSION_CLIENT_SECRET_EXPIRY_ANCHOR_UNSPECIFIED: SessionClientSecretExpiryAnchor
SESSION_CLIENT_SECRET_EXPIRY_ANCHOR_CREATED_AT: SessionClientSecretExpiryAnchor

class ServerEvent(_message.Message):
    __slots__ = ("type", "event_id", "response", "conversation_created", "conversation_item_created", "conversation_item_deleted", "conversation_item_input_audio_transcription_completed", "conversation_item_input_audio_transcription_delta", "conversation_item_input_audio_transcription_failed", "conversation_item_retrieved", "conversation_item_truncated", "error", "input_audio_buffer_cleared", "input_audio_buffer_committed", "input_audio_buffer_dtmf_event_received", "input_audio_buffer_speech_started", "input_audio_buffer_speech_stopped", "rate_limits_updated", "response_output_audio_delta", "response_output_audio_done", "response_output_audio_transcript_delta", "response_output_audio_transcript_done", "response_content_part_added", "response_content_part_done", "response_function_call_arguments_delta", "response_function_call_arguments_done", "response_output_item_added", "response_output_item_done", "response_output_text_delta", "response_output_text_done", "session_created", "session_updated", "output_audio_buffer_started", "output_audio_buffer_stopped", "output_audio_buffer_cleared", "conversation_item_added", "conversation_item_done", "input_audio_buffer_timeout_triggered", "conversation_item_input_audio_transcription_segment", "mcp_list_tools_in_progress", "mcp_list_tools_completed", "mcp_list_tools_failed", "response_mcp_call_arguments_delta", "response_mcp_call_arguments_done", "response_mcp_call_in_progress", "response_mcp_call_completed", "response_mcp_call_failed", "response_audio_delta", "response_audio_done", "response_audio_transcript_delta", "response_audio_transcript_done", "response_text_delta", "response_text_done", "transcription_session_updated", "json_fidelity")
    TYPE_FIELD_NUMBER: _ClassVar[int]
    EVENT_ID_FIELD_NUMBER: _ClassVar[int]
    RESPONSE_FIELD_NUMBER: _ClassVar[int]
    CONVERSATION_CREATED_FIELD_NUMBER: _ClassVar[int]
    CONVERSATION_ITEM_CREATED_FIELD_NUMBER: _ClassVar[int]
    CONVERSATION_ITEM_DELETED_FIELD_NUMBER: _ClassVar[int]
    CONVERSATION_ITEM_INPUT_AUDIO_TRANSCRIPTION_COMPLETED_FIELD_NUMBER: _ClassVar[int]
    CONVERSATION_ITEM_INPUT_AUDIO_TRANSCRIPTION_DELTA_FIELD_NUMBER: _ClassVar[int]
    CONVERSATION_ITEM_INPUT_AUDIO_TRANSCRIPTION_FAILED_FIELD_NUMBER: _ClassVar[int]
    CONVERSATION_ITEM_RETRIEVED_FIELD_NUMBER: _ClassVar[int]
    CONVERSATION_ITEM_TRUNCATED_FIELD_NUMBER: _ClassVar[int]
    ERROR_FIELD_NUMBER: _ClassVar[int]
    INPUT_AUDIO_BUFFER_CLEARED_FIELD_NUMBER: _ClassVar[int]
    INPUT_AUDIO_BUFFER_COMMITTED_FIELD_NUMBER: _ClassVar[int]
    INPUT_AUDIO_BUFFER_DTMF_EVENT_RECEIVED_FIELD_NUMBER: _ClassVar[int]
    INPUT_AUDIO_BUFFER_SPEECH_STARTED_FIELD_NUMBER: _ClassVar[int]
    INPUT_AUDIO_BUFFER_SPEECH_STOPPED_FIELD_NUMBER: _ClassVar[int]
    RATE_LIMITS_UPDATED_FIELD_NUMBER: _ClassVar[int]
    RESPONSE_OUTPUT_AUDIO_DELTA_FIELD_NUMBER: _ClassVar[int]
    RESPONSE_OUTPUT_AUDIO_DONE_FIELD_NUMBER: _ClassVar[int]
    RESPONSE_OUTPUT_AUDIO_TRANSCRIPT_DELTA_FIELD_NUMBER: _ClassVar[int]
    RESPONSE_OUTPUT_AUDIO_TRANSCRIPT_DONE_FIELD_NUMBER: _ClassVar[int]
    RESPONSE_CONTENT_PART_ADDED_FIELD_NUMBER: _ClassVar[int]
    RESPONSE_CONTENT_PART_DONE_FIELD_NUMBER: _ClassVar[int]
    RESPONSE_FUNCTION_CALL_ARGUMENTS_DELTA_FIELD_NUMBER: _ClassVar[int]
    RESPONSE_FUNCTION_CALL_ARGUMENTS_DONE_FIELD_NUMBER: _ClassVar[int]
    RESPONSE_OUTPUT_ITEM_ADDED_FIELD_NUMBER: _ClassVar[int]
    RESPONSE_OUTPUT_ITEM_DONE_FIELD_NUMBER: _ClassVar[int]
    RESPONSE_OUTPUT_TEXT_DELTA_FIELD_NUMBER: _ClassVar[int]
    RESPONSE_OUTPUT_TEXT_DONE_FIELD_NUMBER: _ClassVar[int]
    SESSION_CREATED_FIELD_NUMBER: _ClassVar[int]
    SESSION_UPDATED_FIELD_NUMBER: _ClassVar[int]
    OUTPUT_AUDIO_BUFFER_STARTED_FIELD_NUMBER: _ClassVar[int]
    OUTPUT_AUDIO_BUFFER_STOPPED_FIELD_NUMBER: _ClassVar[int]
    OUTPUT_AUDIO_BUFFER_CLEARED_FIELD_NUMBER: _ClassVar[int]
    CONVERSATION_ITEM_ADDED_FIELD_NUMBER: _ClassVar[int]
    CONVERSATION_ITEM_DONE_FIELD_NUMBER: _ClassVar[int]
    INPUT_AUDIO_BUFFER_TIMEOUT_TRIGGERED_FIELD_NUMBER: _ClassVar[int]
    CONVERSATION_ITEM_INPUT_AUDIO_TRANSCRIPTION_SEGMENT_FIELD_NUMBER: _ClassVar[int]
    MCP_LIST_TOOLS_IN_PROGRESS_FIELD_NUMBER: _ClassVar[int]
    MCP_LIST_TOOLS_COMPLETED_FIELD_NUMBER: _ClassVar[int]
    MCP_LIST_TOOLS_FAILED_FIELD_NUMBER: _ClassVar[int]
    RESPONSE_MCP_CALL_ARGUMENTS_DELTA_FIELD_NUMBER: _ClassVar[int]
    RESPONSE_MCP_CALL_ARGUMENTS_DONE_FIELD_NUMBER: _ClassVar[int]
    RESPONSE_MCP_CALL_IN_PROGRESS_FIELD_NUMBER: _ClassVar[int]
    RESPONSE_MCP_CALL_COMPLETED_FIELD_NUMBER: _ClassVar[int]
    RESPONSE_MCP_CALL_FAILED_FIELD_NUMBER: _ClassVar[int]
    RESPONSE_AUDIO_DELTA_FIELD_NUMBER: _ClassVar[int]
    RESPONSE_AUDIO_DONE_FIELD_NUMBER: _ClassVar[int]
    RESPONSE_AUDIO_TRANSCRIPT_DELTA_FIELD_NUMBER: _ClassVar[int]
    RESPONSE_AUDIO_TRANSCRIPT_DONE_FIELD_NUMBER: _ClassVar[int]
    RESPONSE_TEXT_DELTA_FIELD_NUMBER: _ClassVar[int]
    RESPONSE_TEXT_DONE_FIELD_NUMBER: _ClassVar[int]
    TRANSCRIPTION_SESSION_UPDATED_FIELD_NUMBER: _ClassVar[int]
    JSON_FIDELITY_FIELD_NUMBER: _ClassVar[int]
    type: str
    event_id: str
    response: RealtimeResponse
    conversation_created: ConversationCreatedEvent
    conversation_item_created: ConversationItemCreatedEvent
    conversation_item_deleted: ConversationItemDeletedEvent
    conversation_item_input_audio_transcription_completed: ConversationItemInputAudioTranscriptionCompletedEvent
    conversation_item_input_audio_transcription_delta: ConversationItemInputAudioTranscriptionDeltaEvent
    conversation_item_input_audio_transcription_failed: ConversationItemInputAudioTranscriptionFailedEvent
    conversation_item_retrieved: ConversationItemRetrievedEvent
    conversation_item_truncated: ConversationItemTruncatedEvent
    error: ErrorEvent
    input_audio_buffer_cleared: InputAudioBufferClearedEvent
    input_audio_buffer_committed: InputAudioBufferCommittedEvent
    input_audio_buffer_dtmf_event_received: InputAudioBufferDtmfEventReceivedEvent
    input_audio_buffer_speech_started: InputAudioBufferSpeechStartedEvent
    input_audio_buffer_speech_stopped: InputAudioBufferSpeechStoppedEvent
    rate_limits_updated: RateLimitsUpdatedEvent
    response_output_audio_delta: ResponseOutputAudioDeltaEvent
    response_output_audio_done: ResponseOutputAudioDoneEvent
    response_output_audio_transcript_delta: ResponseOutputAudioTranscriptDeltaEvent
    response_output_audio_transcript_done: ResponseOutputAudioTranscriptDoneEvent
    response_content_part_added: ResponseContentPartAddedEvent
    response_content_part_done: ResponseContentPartDoneEvent
    response_function_call_arguments_delta: ResponseFunctionCallArgumentsDeltaEvent
    response_function_call_arguments_done: ResponseFunctionCallArgumentsDoneEvent
    response_output_item_added: ResponseOutputItemAddedEvent
    response_output_item_done: ResponseOutputItemDoneEvent
    response_output_text_delta: ResponseOutputTextDeltaEvent
    response_output_text_done: ResponseOutputTextDoneEvent
    session_created: SessionCreatedEvent
    session_updated: SessionUpdatedEvent
    output_audio_buffer_started: OutputAudioBufferStartedEvent
    output_audio_buffer_stopped: OutputAudioBufferStoppedEvent
    output_audio_buffer_cleared: OutputAudioBufferClearedEvent
    conversation_item_added: ConversationItemAddedEvent
    conversation_item_done: ConversationItemDoneEvent
    input_audio_buffer_timeout_triggered: InputAudioBufferTimeoutTriggeredEvent
    conversation_item_input_audio_transcription_segment: ConversationItemInputAudioTranscriptionSegmentEvent
    mcp_list_tools_in_progress: McpListToolsInProgressEvent
    mcp_list_tools_completed: McpListToolsCompletedEvent
    mcp_list_tools_failed: McpListToolsFailedEvent
    response_mcp_call_arguments_delta: ResponseMcpCallArgumentsDeltaEvent
    response_mcp_call_arguments_done: ResponseMcpCallArgumentsDoneEvent
    response_mcp_call_in_progress: ResponseMcpCallInProgressEvent
    response_mcp_call_completed: ResponseMcpCallCompletedEvent
    response_mcp_call_failed: ResponseMcpCallFailedEvent
    response_audio_delta: ResponseAudioDeltaEvent
    response_audio_done: ResponseAudioDoneEvent
    response_audio_transcript_delta: ResponseAudioTranscriptDeltaEvent
    response_audio_transcript_done: ResponseAudioTranscriptDoneEvent
    response_text_delta: ResponseTextDeltaEvent
    response_text_done: ResponseTextDoneEvent
    transcription_session_updated: TranscriptionSessionUpdatedEvent
    json_fidelity: _fidelity_pb2.JsonFidelity
    def __init__(self, type: _Optional[str] = ..., event_id: _Optional[str] = ..., response: _Optional[_Union[RealtimeResponse, _Mapping]] = ..., conversation_created: _Optional[_Union[ConversationCreatedEvent, _Mapping]] = ..., conversation_item_created: _Optional[_Union[ConversationItemCreatedEvent, _Mapping]] = ..., conversation_item_deleted: _Optional[_Union[ConversationItemDeletedEvent, _Mapping]] = ..., conversation_item_input_audio_transcription_completed: _Optional[_Union[ConversationItemInputAudioTranscriptionCompletedEvent, _Mapping]] = ..., conversation_item_input_audio_transcription_delta: _Optional[_Union[ConversationItemInputAudioTranscriptionDeltaEvent, _Mapping]] = ..., conversation_item_input_audio_transcription_failed: _Optional[_Union[ConversationItemInputAudioTranscriptionFailedEvent, _Mapping]] = ..., conversation_item_retrieved: _Optional[_Union[ConversationItemRetrievedEvent, _Mapping]] = ..., conversation_item_truncated: _Optional[_Union[ConversationItemTruncatedEvent, _Mapping]] = ..., error: _Optional[_Union[ErrorEvent, _Mapping]] = ..., input_audio_buffer_cleared: _Optional[_Union[InputAudioBufferClearedEvent, _Mapping]] = ..., input_audio_buffer_committed: _Optional[_Union[InputAudioBufferCommittedEvent, _Mapping]] = ..., input_audio_buffer_dtmf_event_received: _Optional[_Union[InputAudioBufferDtmfEventReceivedEvent, _Mapping]] = ..., input_audio_buffer_speech_started: _Optional[_Union[InputAudioBufferSpeechStartedEvent, _Mapping]] = ..., input_audio_buffer_speech_stopped: _Optional[_Union[InputAudioBufferSpeechStoppedEvent, _Mapping]] = ..., rate_limits_updated: _Optional[_Union[RateLimitsUpdatedEvent, _Mapping]] = ..., response_output_audio_delta: _Optional[_Union[ResponseOutputAudioDeltaEvent, _Mapping]] = ..., response_output_audio_done: _Optional[_Union[ResponseOutputAudioDoneEvent, _Mapping]] = ..., response_output_audio_transcript_delta: _Optional[_Union[ResponseOutputAudioTranscriptDeltaEvent, _Mapping]] = ..., response_output_audio_transcript_done: _Optional[_Union[ResponseOutputAudioTranscriptDoneEvent, _Mapping]] = ..., response_content_part_added: _Optional[_Union[ResponseContentPartAddedEvent, _Mapping]] = ..., response_content_part_done: _Optional[_Union[ResponseContentPartDoneEvent, _Mapping]] = ..., response_function_call_arguments_delta: _Optional[_Union[ResponseFunctionCallArgumentsDeltaEvent, _Mapping]] = ..., response_function_call_arguments_done: _Optional[_Union[ResponseFunctionCallArgumentsDoneEvent, _Mapping]] = ..., response_output_item_added: _Optional[_Union[ResponseOutputItemAddedEvent, _Mapping]] = ..., response_output_item_done: _Optional[_Union[ResponseOutputItemDoneEvent, _Mapping]] = ..., response_output_text_delta: _Optional[_Union[ResponseOutputTextDeltaEvent, _Mapping]] = ..., response_output_text_done: _Optional[_Union[ResponseOutputTextDoneEvent, _Mapping]] = ..., session_created: _Optional[_Union[SessionCreatedEvent, _Mapping]] = ..., session_updated: _Optional[_Union[SessionUpdatedEvent, _Mapping]] = ..., output_audio_buffer_started: _Optional[_Union[OutputAudioBufferStartedEvent, _Mapping]] = ..., output_audio_buffer_stopped: _Optional[_Union[OutputAudioBufferStoppedEvent, _Mapping]] = ..., output_audio_buffer_cleared: _Optional[_Union[OutputAudioBufferClearedEvent, _Mapping]] = ..., conversation_item_added: _Optional[_Union[ConversationItemAddedEvent, _Mapping]] = ..., conversation_item_done: _Optional[_Union[ConversationItemDoneEvent, _Mapping]] = ..., input_audio_buffer_timeout_triggered: _Optional[_Union[InputAudioBufferTimeoutTriggeredEvent, _Mapping]] = ..., conversation_item_input_audio_transcription_segment: _Optional[_Union[ConversationItemInputAudioTranscriptionSegmentEvent, _Mapping]] = ..., mcp_list_tools_in_progress: _Optional[_Union[McpListToolsInProgressEvent, _Mapping]] = ..., mcp_list_tools_completed: _Optional[_Union[McpListToolsCompletedEvent, _Mapping]] = ..., mcp_list_tools_failed: _Optional[_Union[McpListToolsFailedEvent, _Mapping]] = ..., response_mcp_call_arguments_delta: _Optional[_Union[ResponseMcpCallArgumentsDeltaEvent, _Mapping]] = ..., response_mcp_call_arguments_done: _Optional[_Union[ResponseMcpCallArgumentsDoneEvent, _Mapping]] = ..., response_mcp_call_in_progress: _Optional[_Union[ResponseMcpCallInProgressEvent, _Mapping]] = ..., response_mcp_call_completed: _Optional[_Union[ResponseMcpCallCompletedEvent, _Mapping]] = ..., response_mcp_call_failed: _Optional[_Union[ResponseMcpCallFailedEvent, _Mapping]] = ..., response_audio_delta: _Optional[_Union[ResponseAudioDeltaEvent, _Mapping]] = ..., response_audio_done: _Optional[_Union[ResponseAudioDoneEvent, _Mapping]] = ..., response_audio_transcript_delta: _Optional[_Union[ResponseAudioTranscriptDeltaEvent, _Mapping]] = ..., response_audio_transcript_done: _Optional[_Union[ResponseAudioTranscriptDoneEvent, _Mapping]] = ..., response_text_delta: _Optional[_Union[ResponseTextDeltaEvent, _Mapping]] = ..., response_text_done: _Optional[_Union[ResponseTextDoneEvent, _Mapping]] = ..., transcription_session_updated: _Optional[_Union[TranscriptionSessionUpdatedEvent, _Mapping]] = ..., json_fidelity: _Optional[_Union[_fidelity_pb2.JsonFidelity, _Mapping]] = ...) -> None: ...

class ClientEvent(_message.Message):
    __slots__ = ("type", "event_id", "conversation_item_create", "conversation_item_delete", "conversation_item_retrieve", "conversation_item_truncate", "input_audio_buffer_append", "input_audio_buffer_clear", "output_audio_buffer_clear", "input_audio_buffer_commit", "response_cancel", "response_create", "session_update", "transcription_session_update", "json_fidelity")
    TYPE_FIELD_NUMBER: _ClassVar[int]
    EVENT_ID_FIELD_NUMBER: _ClassVar[int]
    CONVERSATION_ITEM_CREATE_FIELD_NUMBER: _ClassVar[int]
    CONVERSATION_ITEM_DELETE_FIELD_NUMBER: _ClassVar[int]
    CONVERSATION_ITEM_RETRIEVE_FIELD_NUMBER: _ClassVar[int]
    CONVERSATION_ITEM_TRUNCATE_FIELD_NUMBER: _ClassVar[int]
    INPUT_AUDIO_BUFFER_APPEND_FIELD_NUMBER: _ClassVar[int]
    INPUT_AUDIO_BUFFER_CLEAR_FIELD_NUMBER: _ClassVar[int]
    OUTPUT_AUDIO_BUFFER_CLEAR_FIELD_NUMBER: _ClassVar[int]
    INPUT_AUDIO_BUFFER_COMMIT_FIELD_NUMBER: _ClassVar[int]
    RESPONSE_CANCEL_FIELD_NUMBER: _ClassVar[int]
    RESPONSE_CREATE_FIELD_NUMBER: _ClassVar[int]
    SESSION_UPDATE_FIELD_NUMBER: _ClassVar[int]
    TRANSCRIPTION_SESSION_UPDATE_FIELD_NUMBER: _ClassVar[int]
    JSON_FIDELITY_FIELD_NUMBER: _ClassVar[int]
    type: str
    event_id: str
    conversation_item_create: ConversationItemCreateEvent
    conversation_item_delete: ConversationItemDeleteEvent
    conversation_item_retrieve: ConversationItemRetrieveEvent
    conversation_item_truncate: ConversationItemTruncateEvent
    input_audio_buffer_append: InputAudioBufferAppendEvent
    input_audio_buffer_clear: InputAudioBufferClearEvent
    output_audio_buffer_clear: OutputAudioBufferClearEvent
    input_audio_buffer_commit: InputAudioBufferCommitEvent
    response_cancel: ResponseCancelEvent
    response_create: ResponseCreateEvent
    session_update: SessionUpdateEvent
    transcription_session_update: TranscriptionSessionUpdateEvent
    json_fidelity: _fidelity_pb2.JsonFidelity
    def __init__(self, type: _Optional[str] = ..., event_id: _Optional[str] = ..., conversation_item_create: _Optional[_Union[ConversationItemCreateEvent, _Mapping]] = ..., conversation_item_delete: _Optional[_Union[ConversationItemDeleteEvent, _Mapping]] = ..., conversation_item_retrieve: _Optional[_Union[ConversationItemRetrieveEvent, _Mapping]] = ..., conversation_item_truncate: _Optional[_Union[ConversationItemTruncateEvent, _Mapping]] = ..., input_audio_buffer_append: _Optional[_Union[InputAudioBufferAppendEvent, _Mapping]] = ..., input_audio_buffer_clear: _Optional[_Union[InputAudioBufferClearEvent, _Mapping]] = ..., output_audio_buffer_clear: _Optional[_Union[OutputAudioBufferClearEvent, _Mapping]] = ..., input_audio_buffer_commit: _Optional[_Union[InputAudioBufferCommitEvent, _Mapping]] = ..., response_cancel: _Optional[_Union[ResponseCancelEvent, _Mapping]] = ..., response_create: _Optional[_Union[ResponseCreateEvent, _Mapping]] = ..., session_update: _Optional[_Union[SessionUpdateEvent, _Mapping]] = ..., transcription_session_update: _Optional[_Union[TranscriptionSessionUpdateEvent, _Mapping]] = ..., json_fidelity: _Optional[_Union[_fidelity_pb2.JsonFidelity, _Mapping]] = ...) -> None: ...

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
    __slots__ = ("type", "text", "id", "audio", "audio_data", "transcript", "image_url", "detail", "json_fidelity")
    TYPE_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    AUDIO_FIELD_NUMBER: _ClassVar[int]
    AUDIO_DATA_FIELD_NUMBER: _ClassVar[int]
    TRANSCRIPT_FIELD_NUMBER: _ClassVar[int]
    IMAGE_URL_FIELD_NUMBER: _ClassVar[int]
    DETAIL_FIELD_NUMBER: _ClassVar[int]
    JSON_FIDELITY_FIELD_NUMBER: _ClassVar[int]
    type: ContentPartType
    text: str
    id: str
    audio: str
    audio_data: bytes
    transcript: str
    image_url: str
    detail: ImageDetail
    json_fidelity: _fidelity_pb2.JsonFidelity
    def __init__(self, type: _Optional[_Union[ContentPartType, str]] = ..., text: _Optional[str] = ..., id: _Optional[str] = ..., audio: _Optional[str] = ..., audio_data: _Optional[bytes] = ..., transcript: _Optional[str] = ..., image_url: _Optional[str] = ..., detail: _Optional[_Union[ImageDetail, str]] = ..., json_fidelity: _Optional[_Union[_fidelity_pb2.JsonFidelity, _Mapping]] = ...) -> None: ...

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

class ConversationCreatedEvent(_message.Message):
    __slots__ = ("conversation", "json_fidelity")
    CONVERSATION_FIELD_NUMBER: _ClassVar[int]
    JSON_FIDELITY_FIELD_NUMBER: _ClassVar[int]
    conversation: Conversation
    json_fidelity: _fidelity_pb2.JsonFidelity
    def __init__(self, conversation: _Optional[_Union[Conversation, _Mapping]] = ..., json_fidelity: _Optional[_Union[_fidelity_pb2.JsonFidelity, _Mapping]] = ...) -> None: ...

class ConversationItemCreatedEvent(_message.Message):
    __slots__ = ("item", "previous_item_id", "json_fidelity")
    ITEM_FIELD_NUMBER: _ClassVar[int]
    PREVIOUS_ITEM_ID_FIELD_NUMBER: _ClassVar[int]
    JSON_FIDELITY_FIELD_NUMBER: _ClassVar[int]
    item: ConversationItem
    previous_item_id: str
    json_fidelity: _fidelity_pb2.JsonFidelity
    def __init__(self, item: _Optional[_Union[ConversationItem, _Mapping]] = ..., previous_item_id: _Optional[str] = ..., json_fidelity: _Optional[_Union[_fidelity_pb2.JsonFidelity, _Mapping]] = ...) -> None: ...

class ConversationItemDeletedEvent(_message.Message):
    __slots__ = ("item_id", "json_fidelity")
    ITEM_ID_FIELD_NUMBER: _ClassVar[int]
    JSON_FIDELITY_FIELD_NUMBER: _ClassVar[int]
    item_id: str
    json_fidelity: _fidelity_pb2.JsonFidelity
    def __init__(self, item_id: _Optional[str] = ..., json_fidelity: _Optional[_Union[_fidelity_pb2.JsonFidelity, _Mapping]] = ...) -> None: ...

class ConversationItemInputAudioTranscriptionCompletedEvent(_message.Message):
    __slots__ = ("content_index", "item_id", "transcript", "usage", "languages", "logprobs", "json_fidelity")
    CONTENT_INDEX_FIELD_NUMBER: _ClassVar[int]
    ITEM_ID_FIELD_NUMBER: _ClassVar[int]
    TRANSCRIPT_FIELD_NUMBER: _ClassVar[int]
    USAGE_FIELD_NUMBER: _ClassVar[int]
    LANGUAGES_FIELD_NUMBER: _ClassVar[int]
    LOGPROBS_FIELD_NUMBER: _ClassVar[int]
    JSON_FIDELITY_FIELD_NUMBER: _ClassVar[int]
    content_index: int
    item_id: str
    transcript: str
    usage: TranscriptionUsage
    languages: _containers.RepeatedCompositeFieldContainer[TranscriptionLanguage]
    logprobs: _containers.RepeatedCompositeFieldContainer[LogProb]
    json_fidelity: _fidelity_pb2.JsonFidelity
    def __init__(self, content_index: _Optional[int] = ..., item_id: _Optional[str] = ..., transcript: _Optional[str] = ..., usage: _Optional[_Union[TranscriptionUsage, _Mapping]] = ..., languages: _Optional[_Iterable[_Union[TranscriptionLanguage, _Mapping]]] = ..., logprobs: _Optional[_Iterable[_Union[LogProb, _Mapping]]] = ..., json_fidelity: _Optional[_Union[_fidelity_pb2.JsonFidelity, _Mapping]] = ...) -> None: ...

class ConversationItemInputAudioTranscriptionDeltaEvent(_message.Message):
    __slots__ = ("item_id", "content_index", "delta", "logprobs", "json_fidelity")
    ITEM_ID_FIELD_NUMBER: _ClassVar[int]
    CONTENT_INDEX_FIELD_NUMBER: _ClassVar[int]
    DELTA_FIELD_NUMBER: _ClassVar[int]
    LOGPROBS_FIELD_NUMBER: _ClassVar[int]
    JSON_FIDELITY_FIELD_NUMBER: _ClassVar[int]
    item_id: str
    content_index: int
    delta: str
    logprobs: _containers.RepeatedCompositeFieldContainer[LogProb]
    json_fidelity: _fidelity_pb2.JsonFidelity
    def __init__(self, item_id: _Optional[str] = ..., content_index: _Optional[int] = ..., delta: _Optional[str] = ..., logprobs: _Optional[_Iterable[_Union[LogProb, _Mapping]]] = ..., json_fidelity: _Optional[_Union[_fidelity_pb2.JsonFidelity, _Mapping]] = ...) -> None: ...

class ConversationItemInputAudioTranscriptionFailedEvent(_message.Message):
    __slots__ = ("content_index", "error", "item_id", "json_fidelity")
    CONTENT_INDEX_FIELD_NUMBER: _ClassVar[int]
    ERROR_FIELD_NUMBER: _ClassVar[int]
    ITEM_ID_FIELD_NUMBER: _ClassVar[int]
    JSON_FIDELITY_FIELD_NUMBER: _ClassVar[int]
    content_index: int
    error: TranscriptionError
    item_id: str
    json_fidelity: _fidelity_pb2.JsonFidelity
    def __init__(self, content_index: _Optional[int] = ..., error: _Optional[_Union[TranscriptionError, _Mapping]] = ..., item_id: _Optional[str] = ..., json_fidelity: _Optional[_Union[_fidelity_pb2.JsonFidelity, _Mapping]] = ...) -> None: ...

class ConversationItemRetrievedEvent(_message.Message):
    __slots__ = ("item", "json_fidelity")
    ITEM_FIELD_NUMBER: _ClassVar[int]
    JSON_FIDELITY_FIELD_NUMBER: _ClassVar[int]
    item: ConversationItem
    json_fidelity: _fidelity_pb2.JsonFidelity
    def __init__(self, item: _Optional[_Union[ConversationItem, _Mapping]] = ..., json_fidelity: _Optional[_Union[_fidelity_pb2.JsonFidelity, _Mapping]] = ...) -> None: ...

class ConversationItemTruncatedEvent(_message.Message):
    __slots__ = ("audio_end_ms", "content_index", "item_id", "json_fidelity")
    AUDIO_END_MS_FIELD_NUMBER: _ClassVar[int]
    CONTENT_INDEX_FIELD_NUMBER: _ClassVar[int]
    ITEM_ID_FIELD_NUMBER: _ClassVar[int]
    JSON_FIDELITY_FIELD_NUMBER: _ClassVar[int]
    audio_end_ms: int
    content_index: int
    item_id: str
    json_fidelity: _fidelity_pb2.JsonFidelity
    def __init__(self, audio_end_ms: _Optional[int] = ..., content_index: _Optional[int] = ..., item_id: _Optional[str] = ..., json_fidelity: _Optional[_Union[_fidelity_pb2.JsonFidelity, _Mapping]] = ...) -> None: ...

class ErrorEvent(_message.Message):
    __slots__ = ("error", "json_fidelity")
    ERROR_FIELD_NUMBER: _ClassVar[int]
    JSON_FIDELITY_FIELD_NUMBER: _ClassVar[int]
    error: RealtimeError
    json_fidelity: _fidelity_pb2.JsonFidelity
    def __init__(self, error: _Optional[_Union[RealtimeError, _Mapping]] = ..., json_fidelity: _Optional[_Union[_fidelity_pb2.JsonFidelity, _Mapping]] = ...) -> None: ...

class InputAudioBufferClearedEvent(_message.Message):
    __slots__ = ("json_fidelity",)
    JSON_FIDELITY_FIELD_NUMBER: _ClassVar[int]
    json_fidelity: _fidelity_pb2.JsonFidelity
    def __init__(self, json_fidelity: _Optional[_Union[_fidelity_pb2.JsonFidelity, _Mapping]] = ...) -> None: ...

class InputAudioBufferCommittedEvent(_message.Message):
    __slots__ = ("item_id", "previous_item_id", "json_fidelity")
    ITEM_ID_FIELD_NUMBER: _ClassVar[int]
    PREVIOUS_ITEM_ID_FIELD_NUMBER: _ClassVar[int]
    JSON_FIDELITY_FIELD_NUMBER: _ClassVar[int]
    item_id: str
    previous_item_id: str
    json_fidelity: _fidelity_pb2.JsonFidelity
    def __init__(self, item_id: _Optional[str] = ..., previous_item_id: _Optional[str] = ..., json_fidelity: _Optional[_Union[_fidelity_pb2.JsonFidelity, _Mapping]] = ...) -> None: ...

class InputAudioBufferDtmfEventReceivedEvent(_message.Message):
    __slots__ = ("event", "received_at", "json_fidelity")
    EVENT_FIELD_NUMBER: _ClassVar[int]
    RECEIVED_AT_FIELD_NUMBER: _ClassVar[int]
    JSON_FIDELITY_FIELD_NUMBER: _ClassVar[int]
    event: str
    received_at: int
    json_fidelity: _fidelity_pb2.JsonFidelity
    def __init__(self, event: _Optional[str] = ..., received_at: _Optional[int] = ..., json_fidelity: _Optional[_Union[_fidelity_pb2.JsonFidelity, _Mapping]] = ...) -> None: ...

class InputAudioBufferSpeechStartedEvent(_message.Message):
    __slots__ = ("audio_start_ms", "item_id", "json_fidelity")
    AUDIO_START_MS_FIELD_NUMBER: _ClassVar[int]
    ITEM_ID_FIELD_NUMBER: _ClassVar[int]
    JSON_FIDELITY_FIELD_NUMBER: _ClassVar[int]
    audio_start_ms: int
    item_id: str
    json_fidelity: _fidelity_pb2.JsonFidelity
    def __init__(self, audio_start_ms: _Optional[int] = ..., item_id: _Optional[str] = ..., json_fidelity: _Optional[_Union[_fidelity_pb2.JsonFidelity, _Mapping]] = ...) -> None: ...

class InputAudioBufferSpeechStoppedEvent(_message.Message):
    __slots__ = ("audio_end_ms", "item_id", "json_fidelity")
    AUDIO_END_MS_FIELD_NUMBER: _ClassVar[int]
    ITEM_ID_FIELD_NUMBER: _ClassVar[int]
    JSON_FIDELITY_FIELD_NUMBER: _ClassVar[int]
    audio_end_ms: int
    item_id: str
    json_fidelity: _fidelity_pb2.JsonFidelity
    def __init__(self, audio_end_ms: _Optional[int] = ..., item_id: _Optional[str] = ..., json_fidelity: _Optional[_Union[_fidelity_pb2.JsonFidelity, _Mapping]] = ...) -> None: ...

class RateLimitsUpdatedEvent(_message.Message):
    __slots__ = ("rate_limits", "json_fidelity")
    RATE_LIMITS_FIELD_NUMBER: _ClassVar[int]
    JSON_FIDELITY_FIELD_NUMBER: _ClassVar[int]
    rate_limits: _containers.RepeatedCompositeFieldContainer[RateLimit]
    json_fidelity: _fidelity_pb2.JsonFidelity
    def __init__(self, rate_limits: _Optional[_Iterable[_Union[RateLimit, _Mapping]]] = ..., json_fidelity: _Optional[_Union[_fidelity_pb2.JsonFidelity, _Mapping]] = ...) -> None: ...

class ResponseOutputAudioDeltaEvent(_message.Message):
    __slots__ = ("content_index", "delta", "item_id", "output_index", "response_id", "json_fidelity")
    CONTENT_INDEX_FIELD_NUMBER: _ClassVar[int]
    DELTA_FIELD_NUMBER: _ClassVar[int]
    ITEM_ID_FIELD_NUMBER: _ClassVar[int]
    OUTPUT_INDEX_FIELD_NUMBER: _ClassVar[int]
    RESPONSE_ID_FIELD_NUMBER: _ClassVar[int]
    JSON_FIDELITY_FIELD_NUMBER: _ClassVar[int]
    content_index: int
    delta: bytes
    item_id: str
    output_index: int
    response_id: str
    json_fidelity: _fidelity_pb2.JsonFidelity
    def __init__(self, content_index: _Optional[int] = ..., delta: _Optional[bytes] = ..., item_id: _Optional[str] = ..., output_index: _Optional[int] = ..., response_id: _Optional[str] = ..., json_fidelity: _Optional[_Union[_fidelity_pb2.JsonFidelity, _Mapping]] = ...) -> None: ...

class ResponseOutputAudioDoneEvent(_message.Message):
    __slots__ = ("content_index", "item_id", "output_index", "response_id", "json_fidelity")
    CONTENT_INDEX_FIELD_NUMBER: _ClassVar[int]
    ITEM_ID_FIELD_NUMBER: _ClassVar[int]
    OUTPUT_INDEX_FIELD_NUMBER: _ClassVar[int]
    RESPONSE_ID_FIELD_NUMBER: _ClassVar[int]
    JSON_FIDELITY_FIELD_NUMBER: _ClassVar[int]
    content_index: int
    item_id: str
    output_index: int
    response_id: str
    json_fidelity: _fidelity_pb2.JsonFidelity
    def __init__(self, content_index: _Optional[int] = ..., item_id: _Optional[str] = ..., output_index: _Optional[int] = ..., response_id: _Optional[str] = ..., json_fidelity: _Optional[_Union[_fidelity_pb2.JsonFidelity, _Mapping]] = ...) -> None: ...

class ResponseOutputAudioTranscriptDeltaEvent(_message.Message):
    __slots__ = ("content_index", "delta", "item_id", "output_index", "response_id", "json_fidelity")
    CONTENT_INDEX_FIELD_NUMBER: _ClassVar[int]
    DELTA_FIELD_NUMBER: _ClassVar[int]
    ITEM_ID_FIELD_NUMBER: _ClassVar[int]
    OUTPUT_INDEX_FIELD_NUMBER: _ClassVar[int]
    RESPONSE_ID_FIELD_NUMBER: _ClassVar[int]
    JSON_FIDELITY_FIELD_NUMBER: _ClassVar[int]
    content_index: int
    delta: str
    item_id: str
    output_index: int
    response_id: str
    json_fidelity: _fidelity_pb2.JsonFidelity
    def __init__(self, content_index: _Optional[int] = ..., delta: _Optional[str] = ..., item_id: _Optional[str] = ..., output_index: _Optional[int] = ..., response_id: _Optional[str] = ..., json_fidelity: _Optional[_Union[_fidelity_pb2.JsonFidelity, _Mapping]] = ...) -> None: ...

class ResponseOutputAudioTranscriptDoneEvent(_message.Message):
    __slots__ = ("content_index", "item_id", "output_index", "response_id", "transcript", "json_fidelity")
    CONTENT_INDEX_FIELD_NUMBER: _ClassVar[int]
    ITEM_ID_FIELD_NUMBER: _ClassVar[int]
    OUTPUT_INDEX_FIELD_NUMBER: _ClassVar[int]
    RESPONSE_ID_FIELD_NUMBER: _ClassVar[int]
    TRANSCRIPT_FIELD_NUMBER: _ClassVar[int]
    JSON_FIDELITY_FIELD_NUMBER: _ClassVar[int]
    content_index: int
    item_id: str
    output_index: int
    response_id: str
    transcript: str
    json_fidelity: _fidelity_pb2.JsonFidelity
    def __init__(self, content_index: _Optional[int] = ..., item_id: _Optional[str] = ..., output_index: _Optional[int] = ..., response_id: _Optional[str] = ..., transcript: _Optional[str] = ..., json_fidelity: _Optional[_Union[_fidelity_pb2.JsonFidelity, _Mapping]] = ...) -> None: ...

class ResponseContentPartAddedEvent(_message.Message):
    __slots__ = ("content_index", "item_id", "output_index", "part", "response_id", "json_fidelity")
    CONTENT_INDEX_FIELD_NUMBER: _ClassVar[int]
    ITEM_ID_FIELD_NUMBER: _ClassVar[int]
    OUTPUT_INDEX_FIELD_NUMBER: _ClassVar[int]
    PART_FIELD_NUMBER: _ClassVar[int]
    RESPONSE_ID_FIELD_NUMBER: _ClassVar[int]
    JSON_FIDELITY_FIELD_NUMBER: _ClassVar[int]
    content_index: int
    item_id: str
    output_index: int
    part: ContentPart
    response_id: str
    json_fidelity: _fidelity_pb2.JsonFidelity
    def __init__(self, content_index: _Optional[int] = ..., item_id: _Optional[str] = ..., output_index: _Optional[int] = ..., part: _Optional[_Union[ContentPart, _Mapping]] = ..., response_id: _Optional[str] = ..., json_fidelity: _Optional[_Union[_fidelity_pb2.JsonFidelity, _Mapping]] = ...) -> None: ...

class ResponseContentPartDoneEvent(_message.Message):
    __slots__ = ("content_index", "item_id", "output_index", "part", "response_id", "json_fidelity")
    CONTENT_INDEX_FIELD_NUMBER: _ClassVar[int]
    ITEM_ID_FIELD_NUMBER: _ClassVar[int]
    OUTPUT_INDEX_FIELD_NUMBER: _ClassVar[int]
    PART_FIELD_NUMBER: _ClassVar[int]
    RESPONSE_ID_FIELD_NUMBER: _ClassVar[int]
    JSON_FIDELITY_FIELD_NUMBER: _ClassVar[int]
    content_index: int
    item_id: str
    output_index: int
    part: ContentPart
    response_id: str
    json_fidelity: _fidelity_pb2.JsonFidelity
    def __init__(self, content_index: _Optional[int] = ..., item_id: _Optional[str] = ..., output_index: _Optional[int] = ..., part: _Optional[_Union[ContentPart, _Mapping]] = ..., response_id: _Optional[str] = ..., json_fidelity: _Optional[_Union[_fidelity_pb2.JsonFidelity, _Mapping]] = ...) -> None: ...

class ResponseFunctionCallArgumentsDeltaEvent(_message.Message):
    __slots__ = ("call_id", "delta", "item_id", "output_index", "response_id", "json_fidelity")
    CALL_ID_FIELD_NUMBER: _ClassVar[int]
    DELTA_FIELD_NUMBER: _ClassVar[int]
    ITEM_ID_FIELD_NUMBER: _ClassVar[int]
    OUTPUT_INDEX_FIELD_NUMBER: _ClassVar[int]
    RESPONSE_ID_FIELD_NUMBER: _ClassVar[int]
    JSON_FIDELITY_FIELD_NUMBER: _ClassVar[int]
    call_id: str
    delta: str
    item_id: str
    output_index: int
    response_id: str
    json_fidelity: _fidelity_pb2.JsonFidelity
    def __init__(self, call_id: _Optional[str] = ..., delta: _Optional[str] = ..., item_id: _Optional[str] = ..., output_index: _Optional[int] = ..., response_id: _Optional[str] = ..., json_fidelity: _Optional[_Union[_fidelity_pb2.JsonFidelity, _Mapping]] = ...) -> None: ...

class ResponseFunctionCallArgumentsDoneEvent(_message.Message):
    __slots__ = ("arguments", "call_id", "item_id", "name", "output_index", "response_id", "json_fidelity")
    ARGUMENTS_FIELD_NUMBER: _ClassVar[int]
    CALL_ID_FIELD_NUMBER: _ClassVar[int]
    ITEM_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    OUTPUT_INDEX_FIELD_NUMBER: _ClassVar[int]
    RESPONSE_ID_FIELD_NUMBER: _ClassVar[int]
    JSON_FIDELITY_FIELD_NUMBER: _ClassVar[int]
    arguments: str
    call_id: str
    item_id: str
    name: str
    output_index: int
    response_id: str
    json_fidelity: _fidelity_pb2.JsonFidelity
    def __init__(self, arguments: _Optional[str] = ..., call_id: _Optional[str] = ..., item_id: _Optional[str] = ..., name: _Optional[str] = ..., output_index: _Optional[int] = ..., response_id: _Optional[str] = ..., json_fidelity: _Optional[_Union[_fidelity_pb2.JsonFidelity, _Mapping]] = ...) -> None: ...

class ResponseOutputItemAddedEvent(_message.Message):
    __slots__ = ("item", "output_index", "response_id", "json_fidelity")
    ITEM_FIELD_NUMBER: _ClassVar[int]
    OUTPUT_INDEX_FIELD_NUMBER: _ClassVar[int]
    RESPONSE_ID_FIELD_NUMBER: _ClassVar[int]
    JSON_FIDELITY_FIELD_NUMBER: _ClassVar[int]
    item: ConversationItem
    output_index: int
    response_id: str
    json_fidelity: _fidelity_pb2.JsonFidelity
    def __init__(self, item: _Optional[_Union[ConversationItem, _Mapping]] = ..., output_index: _Optional[int] = ..., response_id: _Optional[str] = ..., json_fidelity: _Optional[_Union[_fidelity_pb2.JsonFidelity, _Mapping]] = ...) -> None: ...

class ResponseOutputItemDoneEvent(_message.Message):
    __slots__ = ("item", "output_index", "response_id", "json_fidelity")
    ITEM_FIELD_NUMBER: _ClassVar[int]
    OUTPUT_INDEX_FIELD_NUMBER: _ClassVar[int]
    RESPONSE_ID_FIELD_NUMBER: _ClassVar[int]
    JSON_FIDELITY_FIELD_NUMBER: _ClassVar[int]
    item: ConversationItem
    output_index: int
    response_id: str
    json_fidelity: _fidelity_pb2.JsonFidelity
    def __init__(self, item: _Optional[_Union[ConversationItem, _Mapping]] = ..., output_index: _Optional[int] = ..., response_id: _Optional[str] = ..., json_fidelity: _Optional[_Union[_fidelity_pb2.JsonFidelity, _Mapping]] = ...) -> None: ...

class ResponseOutputTextDeltaEvent(_message.Message):
    __slots__ = ("content_index", "delta", "item_id", "output_index", "response_id", "json_fidelity")
    CONTENT_INDEX_FIELD_NUMBER: _ClassVar[int]
    DELTA_FIELD_NUMBER: _ClassVar[int]
    ITEM_ID_FIELD_NUMBER: _ClassVar[int]
    OUTPUT_INDEX_FIELD_NUMBER: _ClassVar[int]
    RESPONSE_ID_FIELD_NUMBER: _ClassVar[int]
    JSON_FIDELITY_FIELD_NUMBER: _ClassVar[int]
    content_index: int
    delta: str
    item_id: str
    output_index: int
    response_id: str
    json_fidelity: _fidelity_pb2.JsonFidelity
    def __init__(self, content_index: _Optional[int] = ..., delta: _Optional[str] = ..., item_id: _Optional[str] = ..., output_index: _Optional[int] = ..., response_id: _Optional[str] = ..., json_fidelity: _Optional[_Union[_fidelity_pb2.JsonFidelity, _Mapping]] = ...) -> None: ...

class ResponseOutputTextDoneEvent(_message.Message):
    __slots__ = ("content_index", "item_id", "output_index", "response_id", "text", "json_fidelity")
    CONTENT_INDEX_FIELD_NUMBER: _ClassVar[int]
    ITEM_ID_FIELD_NUMBER: _ClassVar[int]
    OUTPUT_INDEX_FIELD_NUMBER: _ClassVar[int]
    RESPONSE_ID_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    JSON_FIDELITY_FIELD_NUMBER: _ClassVar[int]
    content_index: int
    item_id: str
    output_index: int
    response_id: str
    text: str
    json_fidelity: _fidelity_pb2.JsonFidelity
    def __init__(self, content_index: _Optional[int] = ..., item_id: _Optional[str] = ..., output_index: _Optional[int] = ..., response_id: _Optional[str] = ..., text: _Optional[str] = ..., json_fidelity: _Optional[_Union[_fidelity_pb2.JsonFidelity, _Mapping]] = ...) -> None: ...

class OutputAudioBufferStartedEvent(_message.Message):
    __slots__ = ("response_id", "json_fidelity")
    RESPONSE_ID_FIELD_NUMBER: _ClassVar[int]
    JSON_FIDELITY_FIELD_NUMBER: _ClassVar[int]
    response_id: str
    json_fidelity: _fidelity_pb2.JsonFidelity
    def __init__(self, response_id: _Optional[str] = ..., json_fidelity: _Optional[_Union[_fidelity_pb2.JsonFidelity, _Mapping]] = ...) -> None: ...

class OutputAudioBufferStoppedEvent(_message.Message):
    __slots__ = ("response_id", "json_fidelity")
    RESPONSE_ID_FIELD_NUMBER: _ClassVar[int]
    JSON_FIDELITY_FIELD_NUMBER: _ClassVar[int]
    response_id: str
    json_fidelity: _fidelity_pb2.JsonFidelity
    def __init__(self, response_id: _Optional[str] = ..., json_fidelity: _Optional[_Union[_fidelity_pb2.JsonFidelity, _Mapping]] = ...) -> None: ...

class OutputAudioBufferClearedEvent(_message.Message):
    __slots__ = ("response_id", "json_fidelity")
    RESPONSE_ID_FIELD_NUMBER: _ClassVar[int]
    JSON_FIDELITY_FIELD_NUMBER: _ClassVar[int]
    response_id: str
    json_fidelity: _fidelity_pb2.JsonFidelity
    def __init__(self, response_id: _Optional[str] = ..., json_fidelity: _Optional[_Union[_fidelity_pb2.JsonFidelity, _Mapping]] = ...) -> None: ...

class ConversationItemAddedEvent(_message.Message):
    __slots__ = ("item", "previous_item_id", "json_fidelity")
    ITEM_FIELD_NUMBER: _ClassVar[int]
    PREVIOUS_ITEM_ID_FIELD_NUMBER: _ClassVar[int]
    JSON_FIDELITY_FIELD_NUMBER: _ClassVar[int]
    item: ConversationItem
    previous_item_id: str
    json_fidelity: _fidelity_pb2.JsonFidelity
    def __init__(self, item: _Optional[_Union[ConversationItem, _Mapping]] = ..., previous_item_id: _Optional[str] = ..., json_fidelity: _Optional[_Union[_fidelity_pb2.JsonFidelity, _Mapping]] = ...) -> None: ...

class ConversationItemDoneEvent(_message.Message):
    __slots__ = ("item", "previous_item_id", "json_fidelity")
    ITEM_FIELD_NUMBER: _ClassVar[int]
    PREVIOUS_ITEM_ID_FIELD_NUMBER: _ClassVar[int]
    JSON_FIDELITY_FIELD_NUMBER: _ClassVar[int]
    item: ConversationItem
    previous_item_id: str
    json_fidelity: _fidelity_pb2.JsonFidelity
    def __init__(self, item: _Optional[_Union[ConversationItem, _Mapping]] = ..., previous_item_id: _Optional[str] = ..., json_fidelity: _Optional[_Union[_fidelity_pb2.JsonFidelity, _Mapping]] = ...) -> None: ...

class InputAudioBufferTimeoutTriggeredEvent(_message.Message):
    __slots__ = ("audio_end_ms", "audio_start_ms", "item_id", "json_fidelity")
    AUDIO_END_MS_FIELD_NUMBER: _ClassVar[int]
    AUDIO_START_MS_FIELD_NUMBER: _ClassVar[int]
    ITEM_ID_FIELD_NUMBER: _ClassVar[int]
    JSON_FIDELITY_FIELD_NUMBER: _ClassVar[int]
    audio_end_ms: int
    audio_start_ms: int
    item_id: str
    json_fidelity: _fidelity_pb2.JsonFidelity
    def __init__(self, audio_end_ms: _Optional[int] = ..., audio_start_ms: _Optional[int] = ..., item_id: _Optional[str] = ..., json_fidelity: _Optional[_Union[_fidelity_pb2.JsonFidelity, _Mapping]] = ...) -> None: ...

class ConversationItemInputAudioTranscriptionSegmentEvent(_message.Message):
    __slots__ = ("id", "content_index", "end", "item_id", "speaker", "start", "text", "json_fidelity")
    ID_FIELD_NUMBER: _ClassVar[int]
    CONTENT_INDEX_FIELD_NUMBER: _ClassVar[int]
    END_FIELD_NUMBER: _ClassVar[int]
    ITEM_ID_FIELD_NUMBER: _ClassVar[int]
    SPEAKER_FIELD_NUMBER: _ClassVar[int]
    START_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    JSON_FIDELITY_FIELD_NUMBER: _ClassVar[int]
    id: str
    content_index: int
    end: float
    item_id: str
    speaker: str
    start: float
    text: str
    json_fidelity: _fidelity_pb2.JsonFidelity
    def __init__(self, id: _Optional[str] = ..., content_index: _Optional[int] = ..., end: _Optional[float] = ..., item_id: _Optional[str] = ..., speaker: _Optional[str] = ..., start: _Optional[float] = ..., text: _Optional[str] = ..., json_fidelity: _Optional[_Union[_fidelity_pb2.JsonFidelity, _Mapping]] = ...) -> None: ...

class McpListToolsInProgressEvent(_message.Message):
    __slots__ = ("item_id", "json_fidelity")
    ITEM_ID_FIELD_NUMBER: _ClassVar[int]
    JSON_FIDELITY_FIELD_NUMBER: _ClassVar[int]
    item_id: str
    json_fidelity: _fidelity_pb2.JsonFidelity
    def __init__(self, item_id: _Optional[str] = ..., json_fidelity: _Optional[_Union[_fidelity_pb2.JsonFidelity, _Mapping]] = ...) -> None: ...

class McpListToolsCompletedEvent(_message.Message):
    __slots__ = ("item_id", "json_fidelity")
    ITEM_ID_FIELD_NUMBER: _ClassVar[int]
    JSON_FIDELITY_FIELD_NUMBER: _ClassVar[int]
    item_id: str
    json_fidelity: _fidelity_pb2.JsonFidelity
    def __init__(self, item_id: _Optional[str] = ..., json_fidelity: _Optional[_Union[_fidelity_pb2.JsonFidelity, _Mapping]] = ...) -> None: ...

class McpListToolsFailedEvent(_message.Message):
    __slots__ = ("item_id", "json_fidelity")
    ITEM_ID_FIELD_NUMBER: _ClassVar[int]
    JSON_FIDELITY_FIELD_NUMBER: _ClassVar[int]
    item_id: str
    json_fidelity: _fidelity_pb2.JsonFidelity
    def __init__(self, item_id: _Optional[str] = ..., json_fidelity: _Optional[_Union[_fidelity_pb2.JsonFidelity, _Mapping]] = ...) -> None: ...

class ResponseMcpCallArgumentsDeltaEvent(_message.Message):
    __slots__ = ("delta", "item_id", "output_index", "response_id", "obfuscation", "json_fidelity")
    DELTA_FIELD_NUMBER: _ClassVar[int]
    ITEM_ID_FIELD_NUMBER: _ClassVar[int]
    OUTPUT_INDEX_FIELD_NUMBER: _ClassVar[int]
    RESPONSE_ID_FIELD_NUMBER: _ClassVar[int]
    OBFUSCATION_FIELD_NUMBER: _ClassVar[int]
    JSON_FIDELITY_FIELD_NUMBER: _ClassVar[int]
    delta: str
    item_id: str
    output_index: int
    response_id: str
    obfuscation: str
    json_fidelity: _fidelity_pb2.JsonFidelity
    def __init__(self, delta: _Optional[str] = ..., item_id: _Optional[str] = ..., output_index: _Optional[int] = ..., response_id: _Optional[str] = ..., obfuscation: _Optional[str] = ..., json_fidelity: _Optional[_Union[_fidelity_pb2.JsonFidelity, _Mapping]] = ...) -> None: ...

class ResponseMcpCallArgumentsDoneEvent(_message.Message):
    __slots__ = ("arguments", "item_id", "output_index", "response_id", "json_fidelity")
    ARGUMENTS_FIELD_NUMBER: _ClassVar[int]
    ITEM_ID_FIELD_NUMBER: _ClassVar[int]
    OUTPUT_INDEX_FIELD_NUMBER: _ClassVar[int]
    RESPONSE_ID_FIELD_NUMBER: _ClassVar[int]
    JSON_FIDELITY_FIELD_NUMBER: _ClassVar[int]
    arguments: str
    item_id: str
    output_index: int
    response_id: str
    json_fidelity: _fidelity_pb2.JsonFidelity
    def __init__(self, arguments: _Optional[str] = ..., item_id: _Optional[str] = ..., output_index: _Optional[int] = ..., response_id: _Optional[str] = ..., json_fidelity: _Optional[_Union[_fidelity_pb2.JsonFidelity, _Mapping]] = ...) -> None: ...

class ResponseMcpCallInProgressEvent(_message.Message):
    __slots__ = ("item_id", "output_index", "json_fidelity")
    ITEM_ID_FIELD_NUMBER: _ClassVar[int]
    OUTPUT_INDEX_FIELD_NUMBER: _ClassVar[int]
    JSON_FIDELITY_FIELD_NUMBER: _ClassVar[int]
    item_id: str
    output_index: int
    json_fidelity: _fidelity_pb2.JsonFidelity
    def __init__(self, item_id: _Optional[str] = ..., output_index: _Optional[int] = ..., json_fidelity: _Optional[_Union[_fidelity_pb2.JsonFidelity, _Mapping]] = ...) -> None: ...

class ResponseMcpCallCompletedEvent(_message.Message):
    __slots__ = ("item_id", "output_index", "json_fidelity")
    ITEM_ID_FIELD_NUMBER: _ClassVar[int]
    OUTPUT_INDEX_FIELD_NUMBER: _ClassVar[int]
    JSON_FIDELITY_FIELD_NUMBER: _ClassVar[int]
    item_id: str
    output_index: int
    json_fidelity: _fidelity_pb2.JsonFidelity
    def __init__(self, item_id: _Optional[str] = ..., output_index: _Optional[int] = ..., json_fidelity: _Optional[_Union[_fidelity_pb2.JsonFidelity, _Mapping]] = ...) -> None: ...

class ResponseMcpCallFailedEvent(_message.Message):
    __slots__ = ("item_id", "output_index", "json_fidelity")
    ITEM_ID_FIELD_NUMBER: _ClassVar[int]
    OUTPUT_INDEX_FIELD_NUMBER: _ClassVar[int]
    JSON_FIDELITY_FIELD_NUMBER: _ClassVar[int]
    item_id: str
    output_index: int
    json_fidelity: _fidelity_pb2.JsonFidelity
    def __init__(self, item_id: _Optional[str] = ..., output_index: _Optional[int] = ..., json_fidelity: _Optional[_Union[_fidelity_pb2.JsonFidelity, _Mapping]] = ...) -> None: ...

class ResponseAudioDeltaEvent(_message.Message):
    __slots__ = ("content_index", "delta", "item_id", "output_index", "response_id", "json_fidelity")
    CONTENT_INDEX_FIELD_NUMBER: _ClassVar[int]
    DELTA_FIELD_NUMBER: _ClassVar[int]
    ITEM_ID_FIELD_NUMBER: _ClassVar[int]
    OUTPUT_INDEX_FIELD_NUMBER: _ClassVar[int]
    RESPONSE_ID_FIELD_NUMBER: _ClassVar[int]
    JSON_FIDELITY_FIELD_NUMBER: _ClassVar[int]
    content_index: int
    delta: bytes
    item_id: str
    output_index: int
    response_id: str
    json_fidelity: _fidelity_pb2.JsonFidelity
    def __init__(self, content_index: _Optional[int] = ..., delta: _Optional[bytes] = ..., item_id: _Optional[str] = ..., output_index: _Optional[int] = ..., response_id: _Optional[str] = ..., json_fidelity: _Optional[_Union[_fidelity_pb2.JsonFidelity, _Mapping]] = ...) -> None: ...

class ResponseAudioDoneEvent(_message.Message):
    __slots__ = ("content_index", "item_id", "output_index", "response_id", "json_fidelity")
    CONTENT_INDEX_FIELD_NUMBER: _ClassVar[int]
    ITEM_ID_FIELD_NUMBER: _ClassVar[int]
    OUTPUT_INDEX_FIELD_NUMBER: _ClassVar[int]
    RESPONSE_ID_FIELD_NUMBER: _ClassVar[int]
    JSON_FIDELITY_FIELD_NUMBER: _ClassVar[int]
    content_index: int
    item_id: str
    output_index: int
    response_id: str
    json_fidelity: _fidelity_pb2.JsonFidelity
    def __init__(self, content_index: _Optional[int] = ..., item_id: _Optional[str] = ..., output_index: _Optional[int] = ..., response_id: _Optional[str] = ..., json_fidelity: _Optional[_Union[_fidelity_pb2.JsonFidelity, _Mapping]] = ...) -> None: ...

class ResponseAudioTranscriptDeltaEvent(_message.Message):
    __slots__ = ("content_index", "delta", "item_id", "output_index", "response_id", "json_fidelity")
    CONTENT_INDEX_FIELD_NUMBER: _ClassVar[int]
    DELTA_FIELD_NUMBER: _ClassVar[int]
    ITEM_ID_FIELD_NUMBER: _ClassVar[int]
    OUTPUT_INDEX_FIELD_NUMBER: _ClassVar[int]
    RESPONSE_ID_FIELD_NUMBER: _ClassVar[int]
    JSON_FIDELITY_FIELD_NUMBER: _ClassVar[int]
    content_index: int
    delta: str
    item_id: str
    output_index: int
    response_id: str
    json_fidelity: _fidelity_pb2.JsonFidelity
    def __init__(self, content_index: _Optional[int] = ..., delta: _Optional[str] = ..., item_id: _Optional[str] = ..., output_index: _Optional[int] = ..., response_id: _Optional[str] = ..., json_fidelity: _Optional[_Union[_fidelity_pb2.JsonFidelity, _Mapping]] = ...) -> None: ...

class ResponseAudioTranscriptDoneEvent(_message.Message):
    __slots__ = ("content_index", "item_id", "output_index", "response_id", "transcript", "json_fidelity")
    CONTENT_INDEX_FIELD_NUMBER: _ClassVar[int]
    ITEM_ID_FIELD_NUMBER: _ClassVar[int]
    OUTPUT_INDEX_FIELD_NUMBER: _ClassVar[int]
    RESPONSE_ID_FIELD_NUMBER: _ClassVar[int]
    TRANSCRIPT_FIELD_NUMBER: _ClassVar[int]
    JSON_FIDELITY_FIELD_NUMBER: _ClassVar[int]
    content_index: int
    item_id: str
    output_index: int
    response_id: str
    transcript: str
    json_fidelity: _fidelity_pb2.JsonFidelity
    def __init__(self, content_index: _Optional[int] = ..., item_id: _Optional[str] = ..., output_index: _Optional[int] = ..., response_id: _Optional[str] = ..., transcript: _Optional[str] = ..., json_fidelity: _Optional[_Union[_fidelity_pb2.JsonFidelity, _Mapping]] = ...) -> None: ...

class ResponseTextDeltaEvent(_message.Message):
    __slots__ = ("content_index", "delta", "item_id", "output_index", "response_id", "json_fidelity")
    CONTENT_INDEX_FIELD_NUMBER: _ClassVar[int]
    DELTA_FIELD_NUMBER: _ClassVar[int]
    ITEM_ID_FIELD_NUMBER: _ClassVar[int]
    OUTPUT_INDEX_FIELD_NUMBER: _ClassVar[int]
    RESPONSE_ID_FIELD_NUMBER: _ClassVar[int]
    JSON_FIDELITY_FIELD_NUMBER: _ClassVar[int]
    content_index: int
    delta: str
    item_id: str
    output_index: int
    response_id: str
    json_fidelity: _fidelity_pb2.JsonFidelity
    def __init__(self, content_index: _Optional[int] = ..., delta: _Optional[str] = ..., item_id: _Optional[str] = ..., output_index: _Optional[int] = ..., response_id: _Optional[str] = ..., json_fidelity: _Optional[_Union[_fidelity_pb2.JsonFidelity, _Mapping]] = ...) -> None: ...

class ResponseTextDoneEvent(_message.Message):
    __slots__ = ("content_index", "item_id", "output_index", "response_id", "text", "json_fidelity")
    CONTENT_INDEX_FIELD_NUMBER: _ClassVar[int]
    ITEM_ID_FIELD_NUMBER: _ClassVar[int]
    OUTPUT_INDEX_FIELD_NUMBER: _ClassVar[int]
    RESPONSE_ID_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    JSON_FIDELITY_FIELD_NUMBER: _ClassVar[int]
    content_index: int
    item_id: str
    output_index: int
    response_id: str
    text: str
    json_fidelity: _fidelity_pb2.JsonFidelity
    def __init__(self, content_index: _Optional[int] = ..., item_id: _Optional[str] = ..., output_index: _Optional[int] = ..., response_id: _Optional[str] = ..., text: _Optional[str] = ..., json_fidelity: _Optional[_Union[_fidelity_pb2.JsonFidelity, _Mapping]] = ...) -> None: ...

class ConversationItemCreateEvent(_message.Message):
    __slots__ = ("item", "previous_item_id", "json_fidelity")
    ITEM_FIELD_NUMBER: _ClassVar[int]
    PREVIOUS_ITEM_ID_FIELD_NUMBER: _ClassVar[int]
    JSON_FIDELITY_FIELD_NUMBER: _ClassVar[int]
    item: ConversationItem
    previous_item_id: str
    json_fidelity: _fidelity_pb2.JsonFidelity
    def __init__(self, item: _Optional[_Union[ConversationItem, _Mapping]] = ..., previous_item_id: _Optional[str] = ..., json_fidelity: _Optional[_Union[_fidelity_pb2.JsonFidelity, _Mapping]] = ...) -> None: ...

class ConversationItemDeleteEvent(_message.Message):
    __slots__ = ("item_id", "json_fidelity")
    ITEM_ID_FIELD_NUMBER: _ClassVar[int]
    JSON_FIDELITY_FIELD_NUMBER: _ClassVar[int]
    item_id: str
    json_fidelity: _fidelity_pb2.JsonFidelity
    def __init__(self, item_id: _Optional[str] = ..., json_fidelity: _Optional[_Union[_fidelity_pb2.JsonFidelity, _Mapping]] = ...) -> None: ...

class ConversationItemRetrieveEvent(_message.Message):
    __slots__ = ("item_id", "json_fidelity")
    ITEM_ID_FIELD_NUMBER: _ClassVar[int]
    JSON_FIDELITY_FIELD_NUMBER: _ClassVar[int]
    item_id: str
    json_fidelity: _fidelity_pb2.JsonFidelity
    def __init__(self, item_id: _Optional[str] = ..., json_fidelity: _Optional[_Union[_fidelity_pb2.JsonFidelity, _Mapping]] = ...) -> None: ...

class ConversationItemTruncateEvent(_message.Message):
    __slots__ = ("audio_end_ms", "content_index", "item_id", "json_fidelity")
    AUDIO_END_MS_FIELD_NUMBER: _ClassVar[int]
    CONTENT_INDEX_FIELD_NUMBER: _ClassVar[int]
    ITEM_ID_FIELD_NUMBER: _ClassVar[int]
    JSON_FIDELITY_FIELD_NUMBER: _ClassVar[int]
    audio_end_ms: int
    content_index: int
    item_id: str
    json_fidelity: _fidelity_pb2.JsonFidelity
    def __init__(self, audio_end_ms: _Optional[int] = ..., content_index: _Optional[int] = ..., item_id: _Optional[str] = ..., json_fidelity: _Optional[_Union[_fidelity_pb2.JsonFidelity, _Mapping]] = ...) -> None: ...

class InputAudioBufferAppendEvent(_message.Message):
    __slots__ = ("audio", "json_fidelity")
    AUDIO_FIELD_NUMBER: _ClassVar[int]
    JSON_FIDELITY_FIELD_NUMBER: _ClassVar[int]
    audio: bytes
    json_fidelity: _fidelity_pb2.JsonFidelity
    def __init__(self, audio: _Optional[bytes] = ..., json_fidelity: _Optional[_Union[_fidelity_pb2.JsonFidelity, _Mapping]] = ...) -> None: ...

class InputAudioBufferClearEvent(_message.Message):
    __slots__ = ("json_fidelity",)
    JSON_FIDELITY_FIELD_NUMBER: _ClassVar[int]
    json_fidelity: _fidelity_pb2.JsonFidelity
    def __init__(self, json_fidelity: _Optional[_Union[_fidelity_pb2.JsonFidelity, _Mapping]] = ...) -> None: ...

class OutputAudioBufferClearEvent(_message.Message):
    __slots__ = ("json_fidelity",)
    JSON_FIDELITY_FIELD_NUMBER: _ClassVar[int]
    json_fidelity: _fidelity_pb2.JsonFidelity
    def __init__(self, json_fidelity: _Optional[_Union[_fidelity_pb2.JsonFidelity, _Mapping]] = ...) -> None: ...

class InputAudioBufferCommitEvent(_message.Message):
    __slots__ = ("json_fidelity",)
    JSON_FIDELITY_FIELD_NUMBER: _ClassVar[int]
    json_fidelity: _fidelity_pb2.JsonFidelity
    def __init__(self, json_fidelity: _Optional[_Union[_fidelity_pb2.JsonFidelity, _Mapping]] = ...) -> None: ...

class Conversation(_message.Message):
    __slots__ = ("id", "object", "json_fidelity")
    ID_FIELD_NUMBER: _ClassVar[int]
    OBJECT_FIELD_NUMBER: _ClassVar[int]
    JSON_FIDELITY_FIELD_NUMBER: _ClassVar[int]
    id: str
    object: ConversationObject
    json_fidelity: _fidelity_pb2.JsonFidelity
    def __init__(self, id: _Optional[str] = ..., object: _Optional[_Union[ConversationObject, str]] = ..., json_fidelity: _Optional[_Union[_fidelity_pb2.JsonFidelity, _Mapping]] = ...) -> None: ...

class RealtimeError(_message.Message):
    __slots__ = ("message", "type", "code", "event_id", "param", "json_fidelity")
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    CODE_FIELD_NUMBER: _ClassVar[int]
    EVENT_ID_FIELD_NUMBER: _ClassVar[int]
    PARAM_FIELD_NUMBER: _ClassVar[int]
    JSON_FIDELITY_FIELD_NUMBER: _ClassVar[int]
    message: str
    type: str
    code: str
    event_id: str
    param: str
    json_fidelity: _fidelity_pb2.JsonFidelity
    def __init__(self, message: _Optional[str] = ..., type: _Optional[str] = ..., code: _Optional[str] = ..., event_id: _Optional[str] = ..., param: _Optional[str] = ..., json_fidelity: _Optional[_Union[_fidelity_pb2.JsonFidelity, _Mapping]] = ...) -> None: ...

class TranscriptionError(_message.Message):
    __slots__ = ("code", "message", "param", "type", "json_fidelity")
    CODE_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    PARAM_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    JSON_FIDELITY_FIELD_NUMBER: _ClassVar[int]
    code: str
    message: str
    param: str
    type: str
    json_fidelity: _fidelity_pb2.JsonFidelity
    def __init__(self, code: _Optional[str] = ..., message: _Optional[str] = ..., param: _Optional[str] = ..., type: _Optional[str] = ..., json_fidelity: _Optional[_Union[_fidelity_pb2.JsonFidelity, _Mapping]] = ...) -> None: ...

class RateLimit(_message.Message):
    __slots__ = ("limit", "name", "remaining", "reset_seconds", "json_fidelity")
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    REMAINING_FIELD_NUMBER: _ClassVar[int]
    RESET_SECONDS_FIELD_NUMBER: _ClassVar[int]
    JSON_FIDELITY_FIELD_NUMBER: _ClassVar[int]
    limit: int
    name: RateLimitName
    remaining: int
    reset_seconds: float
    json_fidelity: _fidelity_pb2.JsonFidelity
    def __init__(self, limit: _Optional[int] = ..., name: _Optional[_Union[RateLimitName, str]] = ..., remaining: _Optional[int] = ..., reset_seconds: _Optional[float] = ..., json_fidelity: _Optional[_Union[_fidelity_pb2.JsonFidelity, _Mapping]] = ...) -> None: ...

class LogProb(_message.Message):
    __slots__ = ("token", "bytes", "logprob", "json_fidelity")
    TOKEN_FIELD_NUMBER: _ClassVar[int]
    BYTES_FIELD_NUMBER: _ClassVar[int]
    LOGPROB_FIELD_NUMBER: _ClassVar[int]
    JSON_FIDELITY_FIELD_NUMBER: _ClassVar[int]
    token: str
    bytes: _containers.RepeatedScalarFieldContainer[int]
    logprob: float
    json_fidelity: _fidelity_pb2.JsonFidelity
    def __init__(self, token: _Optional[str] = ..., bytes: _Optional[_Iterable[int]] = ..., logprob: _Optional[float] = ..., json_fidelity: _Optional[_Union[_fidelity_pb2.JsonFidelity, _Mapping]] = ...) -> None: ...

class TranscriptionUsage(_message.Message):
    __slots__ = ("input_tokens", "output_tokens", "total_tokens", "type", "input_token_details", "seconds", "json_fidelity")
    INPUT_TOKENS_FIELD_NUMBER: _ClassVar[int]
    OUTPUT_TOKENS_FIELD_NUMBER: _ClassVar[int]
    TOTAL_TOKENS_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    INPUT_TOKEN_DETAILS_FIELD_NUMBER: _ClassVar[int]
    SECONDS_FIELD_NUMBER: _ClassVar[int]
    JSON_FIDELITY_FIELD_NUMBER: _ClassVar[int]
    input_tokens: int
    output_tokens: int
    total_tokens: int
    type: TranscriptionUsageType
    input_token_details: TranscriptionUsageInputTokenDetails
    seconds: float
    json_fidelity: _fidelity_pb2.JsonFidelity
    def __init__(self, input_tokens: _Optional[int] = ..., output_tokens: _Optional[int] = ..., total_tokens: _Optional[int] = ..., type: _Optional[_Union[TranscriptionUsageType, str]] = ..., input_token_details: _Optional[_Union[TranscriptionUsageInputTokenDetails, _Mapping]] = ..., seconds: _Optional[float] = ..., json_fidelity: _Optional[_Union[_fidelity_pb2.JsonFidelity, _Mapping]] = ...) -> None: ...

class TranscriptionUsageInputTokenDetails(_message.Message):
    __slots__ = ("audio_tokens", "text_tokens", "json_fidelity")
    AUDIO_TOKENS_FIELD_NUMBER: _ClassVar[int]
    TEXT_TOKENS_FIELD_NUMBER: _ClassVar[int]
    JSON_FIDELITY_FIELD_NUMBER: _ClassVar[int]
    audio_tokens: int
    text_tokens: int
    json_fidelity: _fidelity_pb2.JsonFidelity
    def __init__(self, audio_tokens: _Optional[int] = ..., text_tokens: _Optional[int] = ..., json_fidelity: _Optional[_Union[_fidelity_pb2.JsonFidelity, _Mapping]] = ...) -> None: ...

class TranscriptionLanguage(_message.Message):
    __slots__ = ("code", "json_fidelity")
    CODE_FIELD_NUMBER: _ClassVar[int]
    JSON_FIDELITY_FIELD_NUMBER: _ClassVar[int]
    code: str
    json_fidelity: _fidelity_pb2.JsonFidelity
    def __init__(self, code: _Optional[str] = ..., json_fidelity: _Optional[_Union[_fidelity_pb2.JsonFidelity, _Mapping]] = ...) -> None: ...

class SessionCreatedEvent(_message.Message):
    __slots__ = ("session", "json_fidelity")
    SESSION_FIELD_NUMBER: _ClassVar[int]
    JSON_FIDELITY_FIELD_NUMBER: _ClassVar[int]
    session: Session
    json_fidelity: _fidelity_pb2.JsonFidelity
    def __init__(self, session: _Optional[_Union[Session, _Mapping]] = ..., json_fidelity: _Optional[_Union[_fidelity_pb2.JsonFidelity, _Mapping]] = ...) -> None: ...

class SessionUpdatedEvent(_message.Message):
    __slots__ = ("session", "json_fidelity")
    SESSION_FIELD_NUMBER: _ClassVar[int]
    JSON_FIDELITY_FIELD_NUMBER: _ClassVar[int]
    session: Session
    json_fidelity: _fidelity_pb2.JsonFidelity
    def __init__(self, session: _Optional[_Union[Session, _Mapping]] = ..., json_fidelity: _Optional[_Union[_fidelity_pb2.JsonFidelity, _Mapping]] = ...) -> None: ...

class TranscriptionSessionUpdatedEvent(_message.Message):
    __slots__ = ("session", "json_fidelity")
    SESSION_FIELD_NUMBER: _ClassVar[int]
    JSON_FIDELITY_FIELD_NUMBER: _ClassVar[int]
    session: Session
    json_fidelity: _fidelity_pb2.JsonFidelity
    def __init__(self, session: _Optional[_Union[Session, _Mapping]] = ..., json_fidelity: _Optional[_Union[_fidelity_pb2.JsonFidelity, _Mapping]] = ...) -> None: ...

class SessionUpdateEvent(_message.Message):
    __slots__ = ("session", "json_fidelity")
    SESSION_FIELD_NUMBER: _ClassVar[int]
    JSON_FIDELITY_FIELD_NUMBER: _ClassVar[int]
    session: Session
    json_fidelity: _fidelity_pb2.JsonFidelity
    def __init__(self, session: _Optional[_Union[Session, _Mapping]] = ..., json_fidelity: _Optional[_Union[_fidelity_pb2.JsonFidelity, _Mapping]] = ...) -> None: ...

class TranscriptionSessionUpdateEvent(_message.Message):
    __slots__ = ("session", "json_fidelity")
    SESSION_FIELD_NUMBER: _ClassVar[int]
    JSON_FIDELITY_FIELD_NUMBER: _ClassVar[int]
    session: Session
    json_fidelity: _fidelity_pb2.JsonFidelity
    def __init__(self, session: _Optional[_Union[Session, _Mapping]] = ..., json_fidelity: _Optional[_Union[_fidelity_pb2.JsonFidelity, _Mapping]] = ...) -> None: ...

class ResponseCreateEvent(_message.Message):
    __slots__ = ("response", "json_fidelity")
    RESPONSE_FIELD_NUMBER: _ClassVar[int]
    JSON_FIDELITY_FIELD_NUMBER: _ClassVar[int]
    response: ResponseCreateParams
    json_fidelity: _fidelity_pb2.JsonFidelity
    def __init__(self, response: _Optional[_Union[ResponseCreateParams, _Mapping]] = ..., json_fidelity: _Optional[_Union[_fidelity_pb2.JsonFidelity, _Mapping]] = ...) -> None: ...

class ResponseCancelEvent(_message.Message):
    __slots__ = ("response_id", "json_fidelity")
    RESPONSE_ID_FIELD_NUMBER: _ClassVar[int]
    JSON_FIDELITY_FIELD_NUMBER: _ClassVar[int]
    response_id: str
    json_fidelity: _fidelity_pb2.JsonFidelity
    def __init__(self, response_id: _Optional[str] = ..., json_fidelity: _Optional[_Union[_fidelity_pb2.JsonFidelity, _Mapping]] = ...) -> None: ...

class Session(_message.Message):
    __slots__ = ("id", "object", "type", "audio", "expires_at", "include", "instructions", "max_output_tokens_count", "max_output_tokens_limit", "model", "output_modalities", "parallel_tool_calls", "prompt", "reasoning", "tool_choice_mode", "tool_choice_config", "tools", "tracing_mode", "tracing_config", "truncation_mode", "truncation_config", "client_secret", "input_audio_format", "input_audio_noise_reduction", "input_audio_transcription", "max_response_output_tokens_count", "max_response_output_tokens_limit", "modalities", "output_audio_format", "speed", "temperature", "turn_detection", "voice", "json_fidelity")
    ID_FIELD_NUMBER: _ClassVar[int]
    OBJECT_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    AUDIO_FIELD_NUMBER: _ClassVar[int]
    EXPIRES_AT_FIELD_NUMBER: _ClassVar[int]
    INCLUDE_FIELD_NUMBER: _ClassVar[int]
    INSTRUCTIONS_FIELD_NUMBER: _ClassVar[int]
    MAX_OUTPUT_TOKENS_COUNT_FIELD_NUMBER: _ClassVar[int]
    MAX_OUTPUT_TOKENS_LIMIT_FIELD_NUMBER: _ClassVar[int]
    MODEL_FIELD_NUMBER: _ClassVar[int]
    OUTPUT_MODALITIES_FIELD_NUMBER: _ClassVar[int]
    PARALLEL_TOOL_CALLS_FIELD_NUMBER: _ClassVar[int]
    PROMPT_FIELD_NUMBER: _ClassVar[int]
    REASONING_FIELD_NUMBER: _ClassVar[int]
    TOOL_CHOICE_MODE_FIELD_NUMBER: _ClassVar[int]
    TOOL_CHOICE_CONFIG_FIELD_NUMBER: _ClassVar[int]
    TOOLS_FIELD_NUMBER: _ClassVar[int]
    TRACING_MODE_FIELD_NUMBER: _ClassVar[int]
    TRACING_CONFIG_FIELD_NUMBER: _ClassVar[int]
    TRUNCATION_MODE_FIELD_NUMBER: _ClassVar[int]
    TRUNCATION_CONFIG_FIELD_NUMBER: _ClassVar[int]
    CLIENT_SECRET_FIELD_NUMBER: _ClassVar[int]
    INPUT_AUDIO_FORMAT_FIELD_NUMBER: _ClassVar[int]
    INPUT_AUDIO_NOISE_REDUCTION_FIELD_NUMBER: _ClassVar[int]
    INPUT_AUDIO_TRANSCRIPTION_FIELD_NUMBER: _ClassVar[int]
    MAX_RESPONSE_OUTPUT_TOKENS_COUNT_FIELD_NUMBER: _ClassVar[int]
    MAX_RESPONSE_OUTPUT_TOKENS_LIMIT_FIELD_NUMBER: _ClassVar[int]
    MODALITIES_FIELD_NUMBER: _ClassVar[int]
    OUTPUT_AUDIO_FORMAT_FIELD_NUMBER: _ClassVar[int]
    SPEED_FIELD_NUMBER: _ClassVar[int]
    TEMPERATURE_FIELD_NUMBER: _ClassVar[int]
    TURN_DETECTION_FIELD_NUMBER: _ClassVar[int]
    VOICE_FIELD_NUMBER: _ClassVar[int]
    JSON_FIDELITY_FIELD_NUMBER: _ClassVar[int]
    id: str
    object: SessionObject
    type: SessionType
    audio: SessionAudio
    expires_at: int
    include: _containers.RepeatedScalarFieldContainer[str]
    instructions: str
    max_output_tokens_count: int
    max_output_tokens_limit: MaxOutputTokensLimit
    model: str
    output_modalities: _containers.RepeatedScalarFieldContainer[Modality]
    parallel_tool_calls: bool
    prompt: Prompt
    reasoning: Reasoning
    tool_choice_mode: str
    tool_choice_config: ToolChoice
    tools: _containers.RepeatedCompositeFieldContainer[Tool]
    tracing_mode: TracingMode
    tracing_config: Tracing
    truncation_mode: TruncationMode
    truncation_config: Truncation
    client_secret: SessionClientSecret
    input_audio_format: AudioFormat
    input_audio_noise_reduction: NoiseReduction
    input_audio_transcription: InputAudioTranscription
    max_response_output_tokens_count: int
    max_response_output_tokens_limit: MaxOutputTokensLimit
    modalities: _containers.RepeatedScalarFieldContainer[Modality]
    output_audio_format: AudioFormat
    speed: float
    temperature: float
    turn_detection: TurnDetection
    voice: str
    json_fidelity: _fidelity_pb2.JsonFidelity
    def __init__(self, id: _Optional[str] = ..., object: _Optional[_Union[SessionObject, str]] = ..., type: _Optional[_Union[SessionType, str]] = ..., audio: _Optional[_Union[SessionAudio, _Mapping]] = ..., expires_at: _Optional[int] = ..., include: _Optional[_Iterable[str]] = ..., instructions: _Optional[str] = ..., max_output_tokens_count: _Optional[int] = ..., max_output_tokens_limit: _Optional[_Union[MaxOutputTokensLimit, str]] = ..., model: _Optional[str] = ..., output_modalities: _Optional[_Iterable[_Union[Modality, str]]] = ..., parallel_tool_calls: _Optional[bool] = ..., prompt: _Optional[_Union[Prompt, _Mapping]] = ..., reasoning: _Optional[_Union[Reasoning, _Mapping]] = ..., tool_choice_mode: _Optional[str] = ..., tool_choice_config: _Optional[_Union[ToolChoice, _Mapping]] = ..., tools: _Optional[_Iterable[_Union[Tool, _Mapping]]] = ..., tracing_mode: _Optional[_Union[TracingMode, str]] = ..., tracing_config: _Optional[_Union[Tracing, _Mapping]] = ..., truncation_mode: _Optional[_Union[TruncationMode, str]] = ..., truncation_config: _Optional[_Union[Truncation, _Mapping]] = ..., client_secret: _Optional[_Union[SessionClientSecret, _Mapping]] = ..., input_audio_format: _Optional[_Union[AudioFormat, str]] = ..., input_audio_noise_reduction: _Optional[_Union[NoiseReduction, _Mapping]] = ..., input_audio_transcription: _Optional[_Union[InputAudioTranscription, _Mapping]] = ..., max_response_output_tokens_count: _Optional[int] = ..., max_response_output_tokens_limit: _Optional[_Union[MaxOutputTokensLimit, str]] = ..., modalities: _Optional[_Iterable[_Union[Modality, str]]] = ..., output_audio_format: _Optional[_Union[AudioFormat, str]] = ..., speed: _Optional[float] = ..., temperature: _Optional[float] = ..., turn_detection: _Optional[_Union[TurnDetection, _Mapping]] = ..., voice: _Optional[str] = ..., json_fidelity: _Optional[_Union[_fidelity_pb2.JsonFidelity, _Mapping]] = ...) -> None: ...

class SessionAudio(_message.Message):
    __slots__ = ("input", "output", "json_fidelity")
    INPUT_FIELD_NUMBER: _ClassVar[int]
    OUTPUT_FIELD_NUMBER: _ClassVar[int]
    JSON_FIDELITY_FIELD_NUMBER: _ClassVar[int]
    input: SessionAudioInput
    output: SessionAudioOutput
    json_fidelity: _fidelity_pb2.JsonFidelity
    def __init__(self, input: _Optional[_Union[SessionAudioInput, _Mapping]] = ..., output: _Optional[_Union[SessionAudioOutput, _Mapping]] = ..., json_fidelity: _Optional[_Union[_fidelity_pb2.JsonFidelity, _Mapping]] = ...) -> None: ...

class SessionAudioInput(_message.Message):
    __slots__ = ("format", "noise_reduction", "transcription", "turn_detection", "json_fidelity")
    FORMAT_FIELD_NUMBER: _ClassVar[int]
    NOISE_REDUCTION_FIELD_NUMBER: _ClassVar[int]
    TRANSCRIPTION_FIELD_NUMBER: _ClassVar[int]
    TURN_DETECTION_FIELD_NUMBER: _ClassVar[int]
    JSON_FIDELITY_FIELD_NUMBER: _ClassVar[int]
    format: AudioOutputFormat
    noise_reduction: NoiseReduction
    transcription: InputAudioTranscription
    turn_detection: TurnDetection
    json_fidelity: _fidelity_pb2.JsonFidelity
    def __init__(self, format: _Optional[_Union[AudioOutputFormat, _Mapping]] = ..., noise_reduction: _Optional[_Union[NoiseReduction, _Mapping]] = ..., transcription: _Optional[_Union[InputAudioTranscription, _Mapping]] = ..., turn_detection: _Optional[_Union[TurnDetection, _Mapping]] = ..., json_fidelity: _Optional[_Union[_fidelity_pb2.JsonFidelity, _Mapping]] = ...) -> None: ...

class SessionAudioOutput(_message.Message):
    __slots__ = ("format", "speed", "voice_name", "voice_custom", "json_fidelity")
    FORMAT_FIELD_NUMBER: _ClassVar[int]
    SPEED_FIELD_NUMBER: _ClassVar[int]
    VOICE_NAME_FIELD_NUMBER: _ClassVar[int]
    VOICE_CUSTOM_FIELD_NUMBER: _ClassVar[int]
    JSON_FIDELITY_FIELD_NUMBER: _ClassVar[int]
    format: AudioOutputFormat
    speed: float
    voice_name: str
    voice_custom: CustomVoice
    json_fidelity: _fidelity_pb2.JsonFidelity
    def __init__(self, format: _Optional[_Union[AudioOutputFormat, _Mapping]] = ..., speed: _Optional[float] = ..., voice_name: _Optional[str] = ..., voice_custom: _Optional[_Union[CustomVoice, _Mapping]] = ..., json_fidelity: _Optional[_Union[_fidelity_pb2.JsonFidelity, _Mapping]] = ...) -> None: ...

class NoiseReduction(_message.Message):
    __slots__ = ("type", "strength", "json_fidelity")
    TYPE_FIELD_NUMBER: _ClassVar[int]
    STRENGTH_FIELD_NUMBER: _ClassVar[int]
    JSON_FIDELITY_FIELD_NUMBER: _ClassVar[int]
    type: NoiseReductionType
    strength: float
    json_fidelity: _fidelity_pb2.JsonFidelity
    def __init__(self, type: _Optional[_Union[NoiseReductionType, str]] = ..., strength: _Optional[float] = ..., json_fidelity: _Optional[_Union[_fidelity_pb2.JsonFidelity, _Mapping]] = ...) -> None: ...

class InputAudioTranscription(_message.Message):
    __slots__ = ("model", "language", "prompt", "delay", "keywords", "languages", "json_fidelity")
    MODEL_FIELD_NUMBER: _ClassVar[int]
    LANGUAGE_FIELD_NUMBER: _ClassVar[int]
    PROMPT_FIELD_NUMBER: _ClassVar[int]
    DELAY_FIELD_NUMBER: _ClassVar[int]
    KEYWORDS_FIELD_NUMBER: _ClassVar[int]
    LANGUAGES_FIELD_NUMBER: _ClassVar[int]
    JSON_FIDELITY_FIELD_NUMBER: _ClassVar[int]
    model: str
    language: str
    prompt: str
    delay: InputAudioTranscriptionDelay
    keywords: _containers.RepeatedScalarFieldContainer[str]
    languages: _containers.RepeatedScalarFieldContainer[str]
    json_fidelity: _fidelity_pb2.JsonFidelity
    def __init__(self, model: _Optional[str] = ..., language: _Optional[str] = ..., prompt: _Optional[str] = ..., delay: _Optional[_Union[InputAudioTranscriptionDelay, str]] = ..., keywords: _Optional[_Iterable[str]] = ..., languages: _Optional[_Iterable[str]] = ..., json_fidelity: _Optional[_Union[_fidelity_pb2.JsonFidelity, _Mapping]] = ...) -> None: ...

class TurnDetection(_message.Message):
    __slots__ = ("type", "create_response", "eagerness", "idle_timeout_ms", "interrupt_response", "prefix_padding_ms", "silence_duration_ms", "threshold", "json_fidelity")
    TYPE_FIELD_NUMBER: _ClassVar[int]
    CREATE_RESPONSE_FIELD_NUMBER: _ClassVar[int]
    EAGERNESS_FIELD_NUMBER: _ClassVar[int]
    IDLE_TIMEOUT_MS_FIELD_NUMBER: _ClassVar[int]
    INTERRUPT_RESPONSE_FIELD_NUMBER: _ClassVar[int]
    PREFIX_PADDING_MS_FIELD_NUMBER: _ClassVar[int]
    SILENCE_DURATION_MS_FIELD_NUMBER: _ClassVar[int]
    THRESHOLD_FIELD_NUMBER: _ClassVar[int]
    JSON_FIDELITY_FIELD_NUMBER: _ClassVar[int]
    type: TurnDetectionType
    create_response: bool
    eagerness: TurnDetectionEagerness
    idle_timeout_ms: int
    interrupt_response: bool
    prefix_padding_ms: int
    silence_duration_ms: int
    threshold: float
    json_fidelity: _fidelity_pb2.JsonFidelity
    def __init__(self, type: _Optional[_Union[TurnDetectionType, str]] = ..., create_response: _Optional[bool] = ..., eagerness: _Optional[_Union[TurnDetectionEagerness, str]] = ..., idle_timeout_ms: _Optional[int] = ..., interrupt_response: _Optional[bool] = ..., prefix_padding_ms: _Optional[int] = ..., silence_duration_ms: _Optional[int] = ..., threshold: _Optional[float] = ..., json_fidelity: _Optional[_Union[_fidelity_pb2.JsonFidelity, _Mapping]] = ...) -> None: ...

class Tool(_message.Message):
    __slots__ = ("type", "name", "description", "parameters", "server_label", "allowed_callers", "allowed_tools", "authorization", "connector_id", "defer_loading", "headers", "require_approval_mode", "require_approval_filter", "server_description", "server_url", "tunnel_id", "json_fidelity")
    class HeadersEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    TYPE_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    PARAMETERS_FIELD_NUMBER: _ClassVar[int]
    SERVER_LABEL_FIELD_NUMBER: _ClassVar[int]
    ALLOWED_CALLERS_FIELD_NUMBER: _ClassVar[int]
    ALLOWED_TOOLS_FIELD_NUMBER: _ClassVar[int]
    AUTHORIZATION_FIELD_NUMBER: _ClassVar[int]
    CONNECTOR_ID_FIELD_NUMBER: _ClassVar[int]
    DEFER_LOADING_FIELD_NUMBER: _ClassVar[int]
    HEADERS_FIELD_NUMBER: _ClassVar[int]
    REQUIRE_APPROVAL_MODE_FIELD_NUMBER: _ClassVar[int]
    REQUIRE_APPROVAL_FILTER_FIELD_NUMBER: _ClassVar[int]
    SERVER_DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    SERVER_URL_FIELD_NUMBER: _ClassVar[int]
    TUNNEL_ID_FIELD_NUMBER: _ClassVar[int]
    JSON_FIDELITY_FIELD_NUMBER: _ClassVar[int]
    type: ToolType
    name: str
    description: str
    parameters: bytes
    server_label: str
    allowed_callers: _containers.RepeatedScalarFieldContainer[ToolAllowedCaller]
    allowed_tools: bytes
    authorization: str
    connector_id: ToolConnectorId
    defer_loading: bool
    headers: _containers.ScalarMap[str, str]
    require_approval_mode: ToolRequireApprovalMode
    require_approval_filter: ToolApprovalFilter
    server_description: str
    server_url: str
    tunnel_id: str
    json_fidelity: _fidelity_pb2.JsonFidelity
    def __init__(self, type: _Optional[_Union[ToolType, str]] = ..., name: _Optional[str] = ..., description: _Optional[str] = ..., parameters: _Optional[bytes] = ..., server_label: _Optional[str] = ..., allowed_callers: _Optional[_Iterable[_Union[ToolAllowedCaller, str]]] = ..., allowed_tools: _Optional[bytes] = ..., authorization: _Optional[str] = ..., connector_id: _Optional[_Union[ToolConnectorId, str]] = ..., defer_loading: _Optional[bool] = ..., headers: _Optional[_Mapping[str, str]] = ..., require_approval_mode: _Optional[_Union[ToolRequireApprovalMode, str]] = ..., require_approval_filter: _Optional[_Union[ToolApprovalFilter, _Mapping]] = ..., server_description: _Optional[str] = ..., server_url: _Optional[str] = ..., tunnel_id: _Optional[str] = ..., json_fidelity: _Optional[_Union[_fidelity_pb2.JsonFidelity, _Mapping]] = ...) -> None: ...

class ToolApprovalFilter(_message.Message):
    __slots__ = ("always", "never", "json_fidelity")
    ALWAYS_FIELD_NUMBER: _ClassVar[int]
    NEVER_FIELD_NUMBER: _ClassVar[int]
    JSON_FIDELITY_FIELD_NUMBER: _ClassVar[int]
    always: ToolFilter
    never: ToolFilter
    json_fidelity: _fidelity_pb2.JsonFidelity
    def __init__(self, always: _Optional[_Union[ToolFilter, _Mapping]] = ..., never: _Optional[_Union[ToolFilter, _Mapping]] = ..., json_fidelity: _Optional[_Union[_fidelity_pb2.JsonFidelity, _Mapping]] = ...) -> None: ...

class ToolFilter(_message.Message):
    __slots__ = ("read_only", "tool_names", "json_fidelity")
    READ_ONLY_FIELD_NUMBER: _ClassVar[int]
    TOOL_NAMES_FIELD_NUMBER: _ClassVar[int]
    JSON_FIDELITY_FIELD_NUMBER: _ClassVar[int]
    read_only: bool
    tool_names: _containers.RepeatedScalarFieldContainer[str]
    json_fidelity: _fidelity_pb2.JsonFidelity
    def __init__(self, read_only: _Optional[bool] = ..., tool_names: _Optional[_Iterable[str]] = ..., json_fidelity: _Optional[_Union[_fidelity_pb2.JsonFidelity, _Mapping]] = ...) -> None: ...

class ToolChoice(_message.Message):
    __slots__ = ("type", "name", "server_label", "json_fidelity")
    TYPE_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    SERVER_LABEL_FIELD_NUMBER: _ClassVar[int]
    JSON_FIDELITY_FIELD_NUMBER: _ClassVar[int]
    type: ToolChoiceType
    name: str
    server_label: str
    json_fidelity: _fidelity_pb2.JsonFidelity
    def __init__(self, type: _Optional[_Union[ToolChoiceType, str]] = ..., name: _Optional[str] = ..., server_label: _Optional[str] = ..., json_fidelity: _Optional[_Union[_fidelity_pb2.JsonFidelity, _Mapping]] = ...) -> None: ...

class Tracing(_message.Message):
    __slots__ = ("group_id", "metadata", "workflow_name", "json_fidelity")
    GROUP_ID_FIELD_NUMBER: _ClassVar[int]
    METADATA_FIELD_NUMBER: _ClassVar[int]
    WORKFLOW_NAME_FIELD_NUMBER: _ClassVar[int]
    JSON_FIDELITY_FIELD_NUMBER: _ClassVar[int]
    group_id: str
    metadata: bytes
    workflow_name: str
    json_fidelity: _fidelity_pb2.JsonFidelity
    def __init__(self, group_id: _Optional[str] = ..., metadata: _Optional[bytes] = ..., workflow_name: _Optional[str] = ..., json_fidelity: _Optional[_Union[_fidelity_pb2.JsonFidelity, _Mapping]] = ...) -> None: ...

class Prompt(_message.Message):
    __slots__ = ("id", "variables", "version", "json_fidelity")
    ID_FIELD_NUMBER: _ClassVar[int]
    VARIABLES_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    JSON_FIDELITY_FIELD_NUMBER: _ClassVar[int]
    id: str
    variables: bytes
    version: str
    json_fidelity: _fidelity_pb2.JsonFidelity
    def __init__(self, id: _Optional[str] = ..., variables: _Optional[bytes] = ..., version: _Optional[str] = ..., json_fidelity: _Optional[_Union[_fidelity_pb2.JsonFidelity, _Mapping]] = ...) -> None: ...

class Reasoning(_message.Message):
    __slots__ = ("effort", "json_fidelity")
    EFFORT_FIELD_NUMBER: _ClassVar[int]
    JSON_FIDELITY_FIELD_NUMBER: _ClassVar[int]
    effort: ReasoningEffort
    json_fidelity: _fidelity_pb2.JsonFidelity
    def __init__(self, effort: _Optional[_Union[ReasoningEffort, str]] = ..., json_fidelity: _Optional[_Union[_fidelity_pb2.JsonFidelity, _Mapping]] = ...) -> None: ...

class Truncation(_message.Message):
    __slots__ = ("type", "retention_ratio", "token_limits", "json_fidelity")
    TYPE_FIELD_NUMBER: _ClassVar[int]
    RETENTION_RATIO_FIELD_NUMBER: _ClassVar[int]
    TOKEN_LIMITS_FIELD_NUMBER: _ClassVar[int]
    JSON_FIDELITY_FIELD_NUMBER: _ClassVar[int]
    type: TruncationType
    retention_ratio: float
    token_limits: TruncationTokenLimits
    json_fidelity: _fidelity_pb2.JsonFidelity
    def __init__(self, type: _Optional[_Union[TruncationType, str]] = ..., retention_ratio: _Optional[float] = ..., token_limits: _Optional[_Union[TruncationTokenLimits, _Mapping]] = ..., json_fidelity: _Optional[_Union[_fidelity_pb2.JsonFidelity, _Mapping]] = ...) -> None: ...

class TruncationTokenLimits(_message.Message):
    __slots__ = ("post_instructions", "json_fidelity")
    POST_INSTRUCTIONS_FIELD_NUMBER: _ClassVar[int]
    JSON_FIDELITY_FIELD_NUMBER: _ClassVar[int]
    post_instructions: int
    json_fidelity: _fidelity_pb2.JsonFidelity
    def __init__(self, post_instructions: _Optional[int] = ..., json_fidelity: _Optional[_Union[_fidelity_pb2.JsonFidelity, _Mapping]] = ...) -> None: ...

class SessionClientSecret(_message.Message):
    __slots__ = ("expires_at_timestamp", "expires_at_config", "value", "expires_after", "json_fidelity")
    EXPIRES_AT_TIMESTAMP_FIELD_NUMBER: _ClassVar[int]
    EXPIRES_AT_CONFIG_FIELD_NUMBER: _ClassVar[int]
    VALUE_FIELD_NUMBER: _ClassVar[int]
    EXPIRES_AFTER_FIELD_NUMBER: _ClassVar[int]
    JSON_FIDELITY_FIELD_NUMBER: _ClassVar[int]
    expires_at_timestamp: int
    expires_at_config: SessionClientSecretExpiry
    value: str
    expires_after: SessionClientSecretExpiry
    json_fidelity: _fidelity_pb2.JsonFidelity
    def __init__(self, expires_at_timestamp: _Optional[int] = ..., expires_at_config: _Optional[_Union[SessionClientSecretExpiry, _Mapping]] = ..., value: _Optional[str] = ..., expires_after: _Optional[_Union[SessionClientSecretExpiry, _Mapping]] = ..., json_fidelity: _Optional[_Union[_fidelity_pb2.JsonFidelity, _Mapping]] = ...) -> None: ...

class SessionClientSecretExpiry(_message.Message):
    __slots__ = ("anchor", "seconds", "json_fidelity")
    ANCHOR_FIELD_NUMBER: _ClassVar[int]
    SECONDS_FIELD_NUMBER: _ClassVar[int]
    JSON_FIDELITY_FIELD_NUMBER: _ClassVar[int]
    anchor: SessionClientSecretExpiryAnchor
    seconds: int
    json_fidelity: _fidelity_pb2.JsonFidelity
    def __init__(self, anchor: _Optional[_Union[SessionClientSecretExpiryAnchor, str]] = ..., seconds: _Optional[int] = ..., json_fidelity: _Optional[_Union[_fidelity_pb2.JsonFidelity, _Mapping]] = ...) -> None: ...

class ResponseCreateParams(_message.Message):
    __slots__ = ("audio", "conversation", "input", "instructions", "max_output_tokens_count", "max_output_tokens_limit", "metadata", "output_modalities", "parallel_tool_calls", "prompt", "reasoning", "tool_choice_mode", "tool_choice_config", "tools", "max_response_output_tokens_count", "max_response_output_tokens_limit", "modalities", "output_audio_format", "temperature", "voice", "json_fidelity")
    class MetadataEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    AUDIO_FIELD_NUMBER: _ClassVar[int]
    CONVERSATION_FIELD_NUMBER: _ClassVar[int]
    INPUT_FIELD_NUMBER: _ClassVar[int]
    INSTRUCTIONS_FIELD_NUMBER: _ClassVar[int]
    MAX_OUTPUT_TOKENS_COUNT_FIELD_NUMBER: _ClassVar[int]
    MAX_OUTPUT_TOKENS_LIMIT_FIELD_NUMBER: _ClassVar[int]
    METADATA_FIELD_NUMBER: _ClassVar[int]
    OUTPUT_MODALITIES_FIELD_NUMBER: _ClassVar[int]
    PARALLEL_TOOL_CALLS_FIELD_NUMBER: _ClassVar[int]
    PROMPT_FIELD_NUMBER: _ClassVar[int]
    REASONING_FIELD_NUMBER: _ClassVar[int]
    TOOL_CHOICE_MODE_FIELD_NUMBER: _ClassVar[int]
    TOOL_CHOICE_CONFIG_FIELD_NUMBER: _ClassVar[int]
    TOOLS_FIELD_NUMBER: _ClassVar[int]
    MAX_RESPONSE_OUTPUT_TOKENS_COUNT_FIELD_NUMBER: _ClassVar[int]
    MAX_RESPONSE_OUTPUT_TOKENS_LIMIT_FIELD_NUMBER: _ClassVar[int]
    MODALITIES_FIELD_NUMBER: _ClassVar[int]
    OUTPUT_AUDIO_FORMAT_FIELD_NUMBER: _ClassVar[int]
    TEMPERATURE_FIELD_NUMBER: _ClassVar[int]
    VOICE_FIELD_NUMBER: _ClassVar[int]
    JSON_FIDELITY_FIELD_NUMBER: _ClassVar[int]
    audio: ResponseAudio
    conversation: str
    input: _containers.RepeatedCompositeFieldContainer[ConversationItem]
    instructions: str
    max_output_tokens_count: int
    max_output_tokens_limit: MaxOutputTokensLimit
    metadata: _containers.ScalarMap[str, str]
    output_modalities: _containers.RepeatedScalarFieldContainer[Modality]
    parallel_tool_calls: bool
    prompt: Prompt
    reasoning: Reasoning
    tool_choice_mode: str
    tool_choice_config: ToolChoice
    tools: _containers.RepeatedCompositeFieldContainer[Tool]
    max_response_output_tokens_count: int
    max_response_output_tokens_limit: MaxOutputTokensLimit
    modalities: _containers.RepeatedScalarFieldContainer[Modality]
    output_audio_format: AudioFormat
    temperature: float
    voice: str
    json_fidelity: _fidelity_pb2.JsonFidelity
    def __init__(self, audio: _Optional[_Union[ResponseAudio, _Mapping]] = ..., conversation: _Optional[str] = ..., input: _Optional[_Iterable[_Union[ConversationItem, _Mapping]]] = ..., instructions: _Optional[str] = ..., max_output_tokens_count: _Optional[int] = ..., max_output_tokens_limit: _Optional[_Union[MaxOutputTokensLimit, str]] = ..., metadata: _Optional[_Mapping[str, str]] = ..., output_modalities: _Optional[_Iterable[_Union[Modality, str]]] = ..., parallel_tool_calls: _Optional[bool] = ..., prompt: _Optional[_Union[Prompt, _Mapping]] = ..., reasoning: _Optional[_Union[Reasoning, _Mapping]] = ..., tool_choice_mode: _Optional[str] = ..., tool_choice_config: _Optional[_Union[ToolChoice, _Mapping]] = ..., tools: _Optional[_Iterable[_Union[Tool, _Mapping]]] = ..., max_response_output_tokens_count: _Optional[int] = ..., max_response_output_tokens_limit: _Optional[_Union[MaxOutputTokensLimit, str]] = ..., modalities: _Optional[_Iterable[_Union[Modality, str]]] = ..., output_audio_format: _Optional[_Union[AudioFormat, str]] = ..., temperature: _Optional[float] = ..., voice: _Optional[str] = ..., json_fidelity: _Optional[_Union[_fidelity_pb2.JsonFidelity, _Mapping]] = ...) -> None: ...
