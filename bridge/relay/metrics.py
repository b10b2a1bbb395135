"""Prometheus metrics of the session relay: :class:`SessionMetrics`, the relay's
:class:`~bridge.relay.servicer.SessionObserver` when ``rtbridge serve --upstream`` runs with
``--metrics-port``. Everything is read off bytes the session already holds (the caller's
``ClientEvent`` bytes, the converted ``ServerEvent`` bytes, the ``SessionEnded`` message); nothing
is converted again. Parsed with the generated classes, only when metrics are on: ``response.done``
(about once a turn) for its usage, ``session.created`` / ``session.updated`` for the audio formats,
and the audio events (an append, an audio delta) for their length. :meth:`SessionMetrics.session_started`
gives each session its own :class:`SessionMeter`, which holds the session's audio formats.

================================================================  ===========================================
``rtbridge_sessions_open``                                        sessions (``Connect`` calls) in progress
``rtbridge_sessions_total{outcome}``                              sessions ended, by ``SessionOutcome``
                                                                  (``caller_closed``, ``upstream_failed``, ...)
``rtbridge_session_events_total{direction, type}``                events relayed: ``direction`` is ``client``
                                                                  (sent upstream) or ``server`` (received from
                                                                  it), ``type`` one of
                                                                  :data:`bridge.service.metrics.EVENT_TYPES`
                                                                  or ``other``
``rtbridge_session_event_bytes_total{direction, type}``           their protobuf bytes
``rtbridge_session_tokens_total{kind}``                           tokens of ``response.done`` usage, by kind
                                                                  (:data:`TOKEN_KINDS`)
``rtbridge_upstream_connect_seconds``                             histogram of upstream handshake times
``rtbridge_session_client_events_rejected_total``                 client events not sent (they would not convert)
``rtbridge_session_undelivered_events_total``                     server events received and not delivered
``rtbridge_session_records_dropped_total``                        records ``--record`` dropped (queue full)
``rtbridge_session_record_errors_total``                          records ``--record`` lost to a disk error
``rtbridge_session_drift_total{direction, type}``                 events carrying what the schema does not type
``rtbridge_session_audio_seconds_total{direction}``               audio relayed: appends in (``client``), audio
                                                                  deltas out (``server``), in seconds at the
                                                                  format the session negotiated
``rtbridge_session_added_latency_seconds{direction}``             histogram of the time the relay holds an
                                                                  event: upstream frame received to its write
                                                                  handed to gRPC; request read to its ``send``
                                                                  done
================================================================  ===========================================

Every label has a closed set of values: outcomes are the names of the ``SessionOutcome`` enum (from
its descriptor, lower case, without the prefix), event types the schema's (any other type, whatever
the caller or the upstream sends, is ``other``), token kinds the fixed table :data:`TOKEN_KINDS`.
With ``--workers N`` the series are summed over the workers as the service's are
(:mod:`bridge.service.metrics`); ``rtbridge_sessions_open`` is a live sum.
"""

from __future__ import annotations

from typing import Any, Final

from google.protobuf.message import DecodeError
from prometheus_client import Counter, Gauge, Histogram

from bridge.convert import drift_of_binary
from bridge.errors import ValidationError
from bridge.service.metrics import EVENT_TYPES, event_type
from bridge.service.wire import fields_of, key, varint
from bridge.v1.realtime_pb2 import ClientEvent, ServerEvent, Usage
from bridge.v1.session_service_pb2 import SessionEnded, SessionOutcome

__all__ = ["OUTCOMES", "TOKEN_KINDS", "SessionMeter", "SessionMetrics"]

_PREFIX: Final = "SESSION_OUTCOME_"
#: The ``outcome`` label of each ``SessionOutcome`` number, from the enum's descriptor.
OUTCOMES: Final[dict[int, str]] = {
    value.number: value.name.removeprefix(_PREFIX).lower()
    for value in SessionOutcome.DESCRIPTOR.values
}
#: The ``kind`` label of the tokens counted from ``response.done``'s ``response.usage``: (the
#: details message, its field). ``input_cached`` is the part of the input tokens read from cache.
TOKEN_KINDS: Final[dict[str, tuple[str, str]]] = {
    "input_text": ("input_token_details", "text_tokens"),
    "input_audio": ("input_token_details", "audio_tokens"),
    "input_image": ("input_token_details", "image_tokens"),
    "input_cached": ("input_token_details", "cached_tokens"),
    "output_text": ("output_token_details", "text_tokens"),
    "output_audio": ("output_token_details", "audio_tokens"),
}
for _details, _field in TOKEN_KINDS.values():  # a schema change that drops one fails here, not mid-session
    _message = fields_of(Usage)[_details].message_type
    if _message is None or _field not in _message.fields_by_name:
        raise ImportError(f"bridge.relay.metrics: Usage.{_details}.{_field} is not in the schema")
_DONE: Final = "response.done"
_OTHER: Final = "other"

#: Audio bytes a second: PCM16 at 24 kHz (the GA default, and beta's pcm16), and G.711 (8 kHz, a byte a sample).
_PCM16_24K: Final = 48_000.0
_G711: Final = 8_000.0
#: The event types whose audio is counted, and the member of the event that holds it.
_AUDIO_IN: Final = "input_audio_buffer.append"
_AUDIO_OUT: Final = frozenset({"response.output_audio.delta", "response.audio.delta"})
_SESSION_STATE: Final = frozenset({"session.created", "session.updated"})
_LATENCY_BUCKETS: Final = (
    0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0,
)
_CONNECT_BUCKETS: Final = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)

SESSIONS_OPEN = Gauge("rtbridge_sessions_open", "Sessions (Connect calls) in progress.", multiprocess_mode="livesum")
SESSIONS = Counter("rtbridge_sessions", "Sessions ended, by outcome.", ["outcome"])
EVENTS = Counter("rtbridge_session_events", "Events relayed, by direction and event type.", ["direction", "type"])
EVENT_BYTES = Counter(
    "rtbridge_session_event_bytes", "Protobuf bytes of the events relayed, by direction and event type.", ["direction", "type"]
)
TOKENS = Counter("rtbridge_session_tokens", "Tokens reported by response.done usage, by kind.", ["kind"])
CONNECT = Histogram("rtbridge_upstream_connect_seconds", "Upstream WebSocket handshake times.", buckets=_CONNECT_BUCKETS)
REJECTED = Counter("rtbridge_session_client_events_rejected", "Client events not sent upstream (they would not convert).")
UNDELIVERED = Counter("rtbridge_session_undelivered_events", "Server events received from upstream and not delivered.")
RECORDS_DROPPED = Counter("rtbridge_session_records_dropped", "Session records the recorder dropped (its queue was full).")
RECORD_ERRORS = Counter("rtbridge_session_record_errors", "Session records the recorder lost to a disk error.")
AUDIO = Counter(
    "rtbridge_session_audio_seconds", "Audio relayed, in seconds at each session's format: client (in), server (out).",
    ["direction"],
)
LATENCY = Histogram(
    "rtbridge_session_added_latency_seconds",
    "Time the relay holds an event: server, upstream frame received to its write handed to gRPC; "
    "client, request read to its send upstream done.",
    ["direction"], buckets=_LATENCY_BUCKETS,
)
DRIFT = Counter(
    "rtbridge_session_drift",
    "Events relayed carrying what the schema does not type (unknown keys, misfit values, unknown types), "
    "by direction and event type.",
    ["direction", "type"],
)


#: The start of the bytes of an event of each known type, as the converters (and protobuf) write
#: them: ``type``'s key (from the descriptor), its length, its text. Read with one slice and one
#: lookup; any other start (an unknown type, ``type`` not first) goes to :func:`event_type`.
_TYPE_KEY: Final = key(fields_of(ServerEvent)["type"])
if key(fields_of(ClientEvent)["type"]) != _TYPE_KEY:
    raise ImportError("bridge.relay.metrics: ServerEvent.type and ClientEvent.type differ on the wire")
_STARTS: Final[dict[bytes, str]] = {_TYPE_KEY + varint(len(name.encode())) + name.encode(): name for name in EVENT_TYPES}


class _ByType:
    """The (events, bytes) children of one direction, by the start of an event's bytes (known
    types) or ``other``: made when first used, so that only series that happened are exported."""

    def __init__(self, direction: str) -> None:
        self._direction = direction
        self._kind: Final = "client_event" if direction == "client" else "event"
        self._known: dict[bytes, tuple[Any, Any]] = {}
        self._other: tuple[Any, Any] | None = None

    def count(self, payload: bytes) -> str:
        """Count one event; return its type label."""
        start = payload[: len(_TYPE_KEY) + 1 + payload[len(_TYPE_KEY)]] if len(payload) > len(_TYPE_KEY) else b""
        pair = self._known.get(start)
        if pair is None:
            label = _STARTS.get(start) or event_type(payload)
            pair = self._pair(label)
            if label != _OTHER:
                self._known[start] = pair
        else:
            label = _STARTS[start]
        events, size = pair
        events.inc()
        size.inc(len(payload))
        try:
            drifted = drift_of_binary(payload, self._kind)  # (a scan of a few bytes when there is none)
        except ValidationError:  # (bytes the converters made or took always read; a counter never fails a session)
            drifted = []
        if drifted:
            DRIFT.labels(self._direction, label).inc()
        return label

    def _pair(self, label: str) -> tuple[Any, Any]:
        if label == _OTHER:
            if self._other is None:
                self._other = (EVENTS.labels(self._direction, label), EVENT_BYTES.labels(self._direction, label))
            return self._other
        return EVENTS.labels(self._direction, label), EVENT_BYTES.labels(self._direction, label)


class SessionMetrics:
    """Records the relay's series (see the module docstring): a
    :class:`~bridge.relay.servicer.SessionObserver`, called on the event loop, except
    :meth:`records_failed`, which the recorder's writer thread calls."""

    def __init__(self) -> None:
        self._client = _ByType("client")
        self._server = _ByType("server")
        self._outcomes: dict[int, Any] = {}
        self._tokens = {kind: TOKENS.labels(kind) for kind in TOKEN_KINDS}
        self.audio = {direction: AUDIO.labels(direction) for direction in ("client", "server")}
        self.latency = {direction: LATENCY.labels(direction) for direction in ("client", "server")}

    def session_started(self) -> SessionMeter:
        """A session began: count it open, and give it its meter."""
        SESSIONS_OPEN.inc()
        return SessionMeter(self)

    def session_connected(self, seconds: float) -> None:
        CONNECT.observe(seconds)

    def session_ended(self, ended: SessionEnded) -> None:
        SESSIONS_OPEN.dec()
        outcome = self._outcomes.get(ended.outcome)
        if outcome is None:
            outcome = self._outcomes[ended.outcome] = SESSIONS.labels(OUTCOMES.get(ended.outcome, "unspecified"))
        outcome.inc()
        if ended.client_events_rejected:
            REJECTED.inc(ended.client_events_rejected)
        if ended.server_events_undelivered:
            UNDELIVERED.inc(ended.server_events_undelivered)
        if ended.records_dropped:
            RECORDS_DROPPED.inc(ended.records_dropped)

    def records_failed(self, count: int) -> None:
        """``count`` records of a session were lost to a disk error (the writer thread's call)."""
        RECORD_ERRORS.inc(count)

    def _count_tokens(self, payload: bytes) -> None:
        try:
            usage = ServerEvent.FromString(payload).response.usage
        except DecodeError:  # (the converter's bytes always parse; a counter never ends a session)
            return
        for kind, (details_name, field) in TOKEN_KINDS.items():
            if not usage.HasField(details_name):
                continue
            details = getattr(usage, details_name)
            if details.HasField(field):
                value = getattr(details, field)
                if value > 0:  # (a negative count from upstream is not a token)
                    self._tokens[kind].inc(value)


def _bytes_per_second(format_: Any, beta: int) -> float | None:
    """The audio rate of a GA ``format`` message (``audio/pcm`` at its rate, G.711), else of the beta
    enum value ``beta``; ``None`` when neither is set."""
    if format_.ListFields():
        name = format_.DESCRIPTOR.fields_by_name["type"].enum_type.values_by_number[format_.type].name
        if name.endswith("_PCM"):
            return 2.0 * (format_.rate or 24_000)
        return _G711 if name.endswith(("_PCMU", "_PCMA")) else None
    if beta:
        return _PCM16_24K if beta == 1 else _G711
    return None


class SessionMeter:
    """One session's share of :class:`SessionMetrics`: its events, its audio at the formats it
    negotiated (PCM16 at 24 kHz until a ``session.created`` / ``session.updated`` says otherwise),
    the latency the relay adds."""

    __slots__ = ("_in", "_latency", "_metrics", "_out")

    def __init__(self, metrics: SessionMetrics) -> None:
        self._metrics = metrics
        self._in = self._out = _PCM16_24K
        self._latency = metrics.latency

    def client_event(self, payload: bytes) -> None:
        if self._metrics._client.count(payload) == _AUDIO_IN:
            audio = ClientEvent.FromString(payload).input_audio_buffer_append.audio
            self._metrics.audio["client"].inc(len(audio) / self._in)

    def server_event(self, payload: bytes) -> None:
        label = self._metrics._server.count(payload)
        if label in _AUDIO_OUT:
            event = ServerEvent.FromString(payload)
            member = event.WhichOneof("event")
            if member is not None:
                self._metrics.audio["server"].inc(len(getattr(event, member).delta) / self._out)
        elif label in _SESSION_STATE:
            self._formats(payload)
        elif label == _DONE:
            self._metrics._count_tokens(payload)

    def added_latency(self, direction: str, seconds: float) -> None:
        """The relay held one event of ``direction`` (``client``/``server``) this long."""
        self._latency[direction].observe(seconds)

    def _formats(self, payload: bytes) -> None:
        event = ServerEvent.FromString(payload)
        member = event.WhichOneof("event")
        if member is None:
            return
        session = getattr(event, member).session
        audio = session.audio
        rate_in = _bytes_per_second(audio.input.format, session.input_audio_format)
        rate_out = _bytes_per_second(audio.output.format, session.output_audio_format)
        self._in = rate_in or self._in
        self._out = rate_out or self._out
