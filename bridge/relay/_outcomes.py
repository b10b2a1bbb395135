"""How a session ends: THE table. Every way a session can end is one :class:`Ending`, and
:data:`ENDINGS` gives each its ``SessionOutcome``, the gRPC status the call ends with, and whether
the server events already received are still delivered. The relay decides by nothing else;
docs/relay.md shows the same table (a test compares them).

The rule for events already received: when the session ends from the upstream side or by a limit of
the relay, the relay stops reading upstream, delivers everything queued, then says how it ended.
When the caller's side fails (cancelled, gone, too slow), nothing more can be delivered, and what
was queued is counted as undelivered.
"""

from __future__ import annotations

import enum
from typing import Final, NamedTuple

import grpc

from bridge.v1.session_service_pb2 import SessionOutcome

__all__ = ["ENDINGS", "Ending", "Row", "ending_of_close", "ending_of_status"]

_C = grpc.StatusCode


class Ending(enum.Enum):
    """What ended a session, as the relay classifies it (values: what docs/relay.md says)."""

    CALLER_CLOSED = "the caller half-closed; the relay closed the upstream with 1000"
    UPSTREAM_CLOSED = "the upstream closed with 1000, or 1001 (its 60-minute limit)"
    UPSTREAM_BETA_SHAPE = "the upstream closed with 4000 (beta_api_shape_disabled)"
    UPSTREAM_GONE = "the upstream closed with 1011, 1012 or 1013, or with no close frame"
    UPSTREAM_POLICY = "the upstream closed with 1008 (policy violation)"
    UPSTREAM_TOO_BIG = "the upstream closed with 1009 (message too big)"
    UPSTREAM_BLAMES_RELAY = "the upstream closed with 1002, 1003 or 1007 (the relay broke the protocol)"
    UPSTREAM_OTHER_CLOSE = "the upstream closed with any other code"
    REFUSED_UNAUTHENTICATED = "the handshake was refused with HTTP 401"
    REFUSED_FORBIDDEN = "the handshake was refused with HTTP 403"
    REFUSED_BAD_REQUEST = "the handshake was refused with HTTP 400 or 404 (bad query or model)"
    REFUSED_RATE_LIMITED = "the handshake was refused with HTTP 429"
    REFUSED_OTHER = "the handshake was refused with any other HTTP status"
    UNREACHABLE = "DNS, TCP or TLS failed, or no handshake within the open timeout"
    UPSTREAM_STALLED = "the upstream did not answer pings, or a send to it blocked past the lag limit"
    NOT_AN_EVENT = "an upstream frame was binary, not UTF-8, or not a JSON event"
    EVENT_TOO_BIG = "an upstream frame, or its protobuf, was over the size limit"
    CALLER_CANCELLED = "the caller cancelled, its deadline passed, or its connection was lost"
    CALLER_TOO_SLOW = "a write to the caller stayed blocked past the lag limit"
    IDLE = "no event either way for the idle limit"
    DURATION_LIMIT = "the session reached the duration limit"
    DRAINED = "the relay shut down and the session was still open near the end of its grace"
    DRAINING = "the session came while the relay was shutting down"
    SESSION_LIMIT = "the session came with the most sessions already open"
    INVALID_REQUEST = "no valid open first, a second open, or a request that is not protobuf"
    CREDENTIAL_NOT_ALLOWED = "the caller sent a credential, and the relay does not take them"
    NO_CREDENTIAL = "neither the relay nor the caller has an upstream credential"
    INTERNAL = "a failure of the relay itself, logged under the request id in reason"


class Row(NamedTuple):
    outcome: SessionOutcome
    code: grpc.StatusCode
    #: The server events already received are still delivered (else counted as undelivered).
    delivers: bool


_O = SessionOutcome
#: THE table.
ENDINGS: Final[dict[Ending, Row]] = {
    Ending.CALLER_CLOSED: Row(_O.SESSION_OUTCOME_CALLER_CLOSED, _C.OK, True),
    Ending.UPSTREAM_CLOSED: Row(_O.SESSION_OUTCOME_UPSTREAM_CLOSED, _C.OK, True),
    Ending.UPSTREAM_BETA_SHAPE: Row(_O.SESSION_OUTCOME_UPSTREAM_FAILED, _C.FAILED_PRECONDITION, True),
    Ending.UPSTREAM_GONE: Row(_O.SESSION_OUTCOME_UPSTREAM_FAILED, _C.UNAVAILABLE, True),
    Ending.UPSTREAM_POLICY: Row(_O.SESSION_OUTCOME_UPSTREAM_FAILED, _C.PERMISSION_DENIED, True),
    Ending.UPSTREAM_TOO_BIG: Row(_O.SESSION_OUTCOME_UPSTREAM_FAILED, _C.RESOURCE_EXHAUSTED, True),
    Ending.UPSTREAM_BLAMES_RELAY: Row(_O.SESSION_OUTCOME_UPSTREAM_FAILED, _C.INTERNAL, True),
    Ending.UPSTREAM_OTHER_CLOSE: Row(_O.SESSION_OUTCOME_UPSTREAM_FAILED, _C.ABORTED, True),
    Ending.REFUSED_UNAUTHENTICATED: Row(_O.SESSION_OUTCOME_UPSTREAM_REFUSED, _C.UNAUTHENTICATED, False),
    Ending.REFUSED_FORBIDDEN: Row(_O.SESSION_OUTCOME_UPSTREAM_REFUSED, _C.PERMISSION_DENIED, False),
    Ending.REFUSED_BAD_REQUEST: Row(_O.SESSION_OUTCOME_UPSTREAM_REFUSED, _C.INVALID_ARGUMENT, False),
    Ending.REFUSED_RATE_LIMITED: Row(_O.SESSION_OUTCOME_UPSTREAM_REFUSED, _C.RESOURCE_EXHAUSTED, False),
    Ending.REFUSED_OTHER: Row(_O.SESSION_OUTCOME_UPSTREAM_REFUSED, _C.UNAVAILABLE, False),
    Ending.UNREACHABLE: Row(_O.SESSION_OUTCOME_UPSTREAM_UNREACHABLE, _C.UNAVAILABLE, False),
    Ending.UPSTREAM_STALLED: Row(_O.SESSION_OUTCOME_UPSTREAM_STALLED, _C.UNAVAILABLE, True),
    Ending.NOT_AN_EVENT: Row(_O.SESSION_OUTCOME_UPSTREAM_PROTOCOL_ERROR, _C.DATA_LOSS, True),
    Ending.EVENT_TOO_BIG: Row(_O.SESSION_OUTCOME_UPSTREAM_PROTOCOL_ERROR, _C.RESOURCE_EXHAUSTED, True),
    Ending.CALLER_CANCELLED: Row(_O.SESSION_OUTCOME_CALLER_CANCELLED, _C.CANCELLED, False),
    Ending.CALLER_TOO_SLOW: Row(_O.SESSION_OUTCOME_CALLER_TOO_SLOW, _C.RESOURCE_EXHAUSTED, False),
    Ending.IDLE: Row(_O.SESSION_OUTCOME_IDLE, _C.DEADLINE_EXCEEDED, True),
    Ending.DURATION_LIMIT: Row(_O.SESSION_OUTCOME_DURATION_LIMIT, _C.DEADLINE_EXCEEDED, True),
    Ending.DRAINED: Row(_O.SESSION_OUTCOME_DRAINED, _C.UNAVAILABLE, True),
    Ending.DRAINING: Row(_O.SESSION_OUTCOME_DRAINED, _C.UNAVAILABLE, False),
    Ending.SESSION_LIMIT: Row(_O.SESSION_OUTCOME_SESSION_LIMIT, _C.RESOURCE_EXHAUSTED, False),
    Ending.INVALID_REQUEST: Row(_O.SESSION_OUTCOME_INVALID_REQUEST, _C.INVALID_ARGUMENT, True),
    Ending.CREDENTIAL_NOT_ALLOWED: Row(_O.SESSION_OUTCOME_INVALID_REQUEST, _C.PERMISSION_DENIED, False),
    Ending.NO_CREDENTIAL: Row(_O.SESSION_OUTCOME_INVALID_REQUEST, _C.UNAUTHENTICATED, False),
    Ending.INTERNAL: Row(_O.SESSION_OUTCOME_INTERNAL, _C.INTERNAL, True),
}

#: Upstream close codes by the ending they mean (any other: UPSTREAM_OTHER_CLOSE).
_CLOSE_CODES: Final[dict[int, Ending]] = {
    1000: Ending.UPSTREAM_CLOSED, 1001: Ending.UPSTREAM_CLOSED, 4000: Ending.UPSTREAM_BETA_SHAPE,
    1006: Ending.UPSTREAM_GONE, 1011: Ending.UPSTREAM_GONE, 1012: Ending.UPSTREAM_GONE, 1013: Ending.UPSTREAM_GONE,
    1008: Ending.UPSTREAM_POLICY, 1009: Ending.UPSTREAM_TOO_BIG,
    1002: Ending.UPSTREAM_BLAMES_RELAY, 1003: Ending.UPSTREAM_BLAMES_RELAY, 1007: Ending.UPSTREAM_BLAMES_RELAY,
}
#: The close codes websockets sends on the relay's behalf, by the ending they mean.
_SENT_CODES: Final[dict[int, Ending]] = {
    1009: Ending.EVENT_TOO_BIG, 1007: Ending.NOT_AN_EVENT, 1002: Ending.NOT_AN_EVENT, 1011: Ending.UPSTREAM_STALLED,
}


def ending_of_close(received: int | None, sent: int | None, received_first: bool | None) -> Ending:
    """The ending of a closed upstream connection: ``received`` and ``sent`` are the codes of the
    close frames received and sent (``None``: none), ``received_first`` whether the upstream's came
    first. A close the relay's side of websockets started (a frame over ``max_size``, invalid UTF-8,
    a keepalive ping timeout) is the relay's to name; otherwise the upstream's code decides."""
    if sent is not None and (received is None or received_first is False) and sent in _SENT_CODES:
        return _SENT_CODES[sent]
    if received is None:
        return Ending.UPSTREAM_GONE  # 1006: the connection broke without a close frame
    return _CLOSE_CODES.get(received, Ending.UPSTREAM_OTHER_CLOSE)


def ending_of_status(status: int) -> Ending:
    """The ending of a handshake the upstream refused with HTTP ``status``."""
    if status == 401:
        return Ending.REFUSED_UNAUTHENTICATED
    if status == 403:
        return Ending.REFUSED_FORBIDDEN
    if status in (400, 404):
        return Ending.REFUSED_BAD_REQUEST
    if status == 429:
        return Ending.REFUSED_RATE_LIMITED
    return Ending.REFUSED_OTHER
