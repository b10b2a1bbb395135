"""The local Realtime stand-in: a WebSocket server at ``/v1/realtime`` that plays a recorded session
against whoever connects (``rtbridge replay LOG --port N``; :class:`Replay` runs it in-process).

It checks the opening handshake as the GA API does (path, query, credential, no ``OpenAI-Beta``),
then plays a **script**: the events of a session log in order, each with its direction and time
(:func:`read_script` reads one through :mod:`bridge.batch` and :mod:`bridge.session`). On connect it
sends the server events recorded before the first client event; after the n-th client event it
receives, those recorded after the n-th client event, at their recorded delay from it (or at once
with ``fast``). Each connection plays the script from its start, and its handshake and every frame
it sent are kept (:class:`Connection`), so that a test can compare what arrived upstream.

Faults (:class:`Fault`, ``KIND@K``) happen just before the script's K-th server event (0-based; K
equal to the number of server events: after the last) would be sent, so K events have gone out:

- ``drop``: the TCP connection is aborted, with no close frame;
- ``stall``: nothing more is read or written (pings go unanswered) until the client goes or the
  stand-in stops;
- ``close=CODE[:REASON]``: a close frame with that code;
- ``binary``: a binary frame (bytes that are not UTF-8) goes out, then the script goes on;
- ``garbage``: a text frame that is not JSON, then the script goes on;
- ``oversize=BYTES``: a ``response.output_text.delta`` of exactly BYTES bytes, then the script;
- ``burst=N``: the next N server events are sent back to back, whatever their triggers and times;
- ``refuse=STATUS`` (no ``@K``): every handshake is answered with that HTTP status and a JSON
  ``error`` body.

>>> Fault.parse("close=1011:upstream trouble@3")
Fault(kind='close', at=3, value=1011, reason='upstream trouble')
"""

from __future__ import annotations

import asyncio
import hmac
import http
import importlib.resources
import io
import logging
import os
from collections.abc import AsyncIterator, Iterable, Sequence
from dataclasses import dataclass, field
from email.utils import formatdate
from typing import Literal, NamedTuple, cast, get_args
from urllib.parse import parse_qs, urlsplit

import msgspec
from websockets.asyncio.server import Server, ServerConnection, serve
from websockets.datastructures import Headers
from websockets.exceptions import ConnectionClosed, ProtocolError
from websockets.frames import Close
from websockets.http11 import Request, Response

from bridge import batch
from bridge.convert import binary_to_json
from bridge.framing import iter_frames
from bridge.session import EventDirection
from bridge.v1.session_pb2 import SessionRecord

__all__ = ["PATH", "Connection", "Fault", "Replay", "ScriptError", "ScriptEvent", "read_script", "recordings"]

_log = logging.getLogger(__name__)

#: The path the stand-in serves, as the API does.
PATH = "/v1/realtime"
#: Close code and reason of a connection that sent ``OpenAI-Beta`` (after the ``error`` event).
_BETA_CLOSE = (4000, "beta_api_shape_disabled")
_BETA_ERROR = (
    '{"type":"error","error":{"type":"invalid_request_error","code":"beta_api_shape_disabled",'
    '"message":"The Realtime Beta API is no longer supported. Please use /v1/realtime for the GA API."}}'
)
#: What the ``binary`` and ``garbage`` faults send.
_BINARY_FRAME = b"\x00\x01\xfe\xff not UTF-8, not JSON"
_GARBAGE_FRAME = "this is not JSON {"
#: The ``oversize`` event, its ``delta`` padded to the size asked for.
_OVERSIZE_HEAD = '{"type":"response.output_text.delta","event_id":"event_oversize","delta":"'
_OVERSIZE_TAIL = '"}'
#: Largest client frame read (the API takes audio appends of several MiB).
_MAX_FRAME = 16 * 1024 * 1024
#: How long closing waits for the peer's close frame before the connection is aborted.
_CLOSE_TIMEOUT = 2.0

FaultKind = Literal["drop", "stall", "close", "binary", "garbage", "oversize", "burst", "refuse"]
#: The faults that take ``=VALUE``, and what the value is.
_VALUED = {"close": "a close code", "oversize": "a size in bytes", "burst": "a number of events", "refuse": "an HTTP status"}


# ------------------------------------------------------------------------------------- the script


class ScriptEvent(NamedTuple):
    """One event of a script: who sent it, its JSON text, and when it was received (nanoseconds
    since the Unix epoch; ``None`` when the log has no time for it)."""

    direction: EventDirection
    event: str
    received_unix_nano: int | None = None


class ScriptError(ValueError):
    """A session log that cannot be played: records that do not convert (each in ``rejections``,
    with its line or byte offset), or a name that is neither a file nor a shipped recording."""

    def __init__(self, message: str, rejections: Sequence[batch.Rejection] = ()) -> None:
        super().__init__("\n".join([message, *map(str, rejections)]))
        self.rejections = tuple(rejections)


def recordings() -> list[str]:
    """The names of the shipped recordings (``bridge/relay/recordings/NAME.jsonl``), sorted."""
    folder = importlib.resources.files("bridge.relay") / "recordings"
    if not folder.is_dir():
        return []
    return sorted(entry.name.removesuffix(".jsonl") for entry in folder.iterdir() if entry.name.endswith(".jsonl"))


def read_script(log: str | os.PathLike[str]) -> list[ScriptEvent]:
    """The events of a session log, in order: ``log`` is a file (JSON Lines, or length-delimited
    ``SessionRecord`` frames as ``rtbridge decode`` writes them) or the name of a shipped recording
    (:func:`recordings`). Each event's text is what :func:`bridge.binary_to_json` writes of it.

    Raises :class:`ScriptError` for a log with records that do not convert, or a name that is
    neither a file nor a recording, and :class:`OSError` for a file that cannot be read."""
    if os.path.exists(log):
        with open(log, "rb") as file:
            data = file.read()
        where = os.fspath(log)
    else:
        name = os.fspath(log)
        resource = importlib.resources.files("bridge.relay") / "recordings" / f"{name}.jsonl"
        if not resource.is_file():
            available = ", ".join(recordings()) or "none yet"
            raise ScriptError(f"{name!r} is neither a file nor a shipped recording (recordings: {available})")
        data = resource.read_bytes()
        where = f"the recording {name!r}"
    return [_script_event(record) for record in _session_records(data, where)]


def _session_records(data: bytes, where: str) -> list[bytes]:
    """The ``SessionRecord`` bytes of a log, converted by :mod:`bridge.batch` as ``rtbridge decode``
    converts it; a delimited log goes through its JSON Lines form first (``rtbridge encode``)."""
    rejections: list[batch.Rejection] = []
    records = io.BytesIO()
    try:
        batch.jsonl_to_delimited(io.BytesIO(data), records, kind="session", on_reject=rejections.append)
    except batch.InputFormatError as error:
        if error.found != batch.DELIMITED:
            raise ScriptError(f"{where}: {error}") from None
        lines = io.BytesIO()
        batch.delimited_to_jsonl(io.BytesIO(data), lines, kind="session", on_reject=rejections.append)
        records = io.BytesIO()
        lines.seek(0)
        batch.jsonl_to_delimited(lines, records, kind="session", on_reject=rejections.append)
    if rejections:
        raise ScriptError(f"{where}: {len(rejections)} record(s) do not convert", rejections)
    records.seek(0)
    return [frame.payload for frame in iter_frames(records)]


def _script_event(data: bytes) -> ScriptEvent:
    record = SessionRecord.FromString(data)
    member = record.WhichOneof("event")
    direction: EventDirection = "server" if member == "server_event" else "client"
    event = getattr(record, member or "server_event").SerializeToString()
    text = binary_to_json(event, kind="event" if direction == "server" else "client_event").decode()
    return ScriptEvent(direction, text, record.received_unix_nano if record.HasField("received_unix_nano") else None)


class _Typed(msgspec.Struct):
    type: str | None = None


_decode_typed = msgspec.json.Decoder(_Typed).decode


def _type_of(frame: str | bytes) -> str | None:
    """The ``type`` of an event's JSON text; ``None`` when it has none or is not JSON."""
    try:
        return _decode_typed(frame).type
    except (msgspec.DecodeError, RecursionError, UnicodeError):
        return None


@dataclass(frozen=True)
class _Plan:
    """A script as played: the server events with their delays, cut into groups by the client
    events. Group ``g`` (0 on connect, ``g`` after the g-th client event received) is the server
    events ``stops[g - 1]`` (0 for the first) to ``stops[g]``."""

    texts: list[str]
    delays: list[float]
    stops: list[int]
    client_types: list[str | None]

    @classmethod
    def of(cls, script: Iterable[tuple[str, str | bytes, int | None]]) -> _Plan:
        texts: list[str] = []
        delays: list[float] = []
        stops: list[int] = []
        client_types: list[str | None] = []
        reference: int | None = None  # the trigger's time (the first record's for group 0)
        for index, (direction, event, received) in enumerate(script):
            text = event.decode() if isinstance(event, bytes) else event
            if index == 0:
                reference = received
            if direction == "client":
                stops.append(len(texts))
                client_types.append(_type_of(text))
                reference = received
            elif direction == "server":
                late = received - reference if received is not None and reference is not None else 0
                texts.append(text)
                delays.append(max(late, 0) / 1e9)
            else:
                raise ValueError(f"event {index} of the script: direction must be 'server' or 'client', not {direction!r}")
        return cls(texts, delays, [*stops, len(texts)], client_types)


# -------------------------------------------------------------------------------------- faults


@dataclass(frozen=True)
class Fault:
    """A fault to inject (see the module's documentation): ``kind``, the index ``at`` of the server
    event it comes before, ``value`` (the close code, size, count or HTTP status) and ``reason``
    (of ``close``)."""

    kind: FaultKind
    at: int = 0
    value: int = 0
    reason: str = ""

    @classmethod
    def parse(cls, text: str) -> Fault:
        """``KIND@K``, ``KIND=VALUE@K``, ``close=CODE[:REASON]@K`` or ``refuse=STATUS``; raises
        :class:`ValueError` saying what is wrong."""
        spec, at_sign, at_text = text.rpartition("@") if "@" in text else (text, "", "")
        name, equals, value_text = spec.partition("=")
        kinds: tuple[str, ...] = get_args(FaultKind)
        if name not in kinds:
            raise ValueError(f"fault {text!r}: the kind must be one of {', '.join(kinds)}")
        if name == "refuse":
            if at_sign:
                raise ValueError(f"fault {text!r}: refuse happens at the handshake and takes no @K")
        elif not _is_number(at_text):
            raise ValueError(f"fault {text!r}: say at which server event with @K (K = 0, 1, ...)")
        reason = ""
        if name == "close":
            value_text, _, reason = value_text.partition(":")
        if (name in _VALUED) != bool(equals):
            form = f"{name}=VALUE, VALUE {_VALUED[name]}" if name in _VALUED else f"{name} with no =VALUE"
            raise ValueError(f"fault {text!r}: write {form}")
        if equals and not _is_number(value_text):
            raise ValueError(f"fault {text!r}: {value_text!r} is not {_VALUED[name]}")
        fault = cls(cast(FaultKind, name), int(at_text or 0), int(value_text or 0), reason)
        fault._check()
        return fault

    def __str__(self) -> str:
        value = f"={self.value}" if self.kind in _VALUED else ""
        reason = f":{self.reason}" if self.reason else ""
        return f"{self.kind}{value}{reason}" + ("" if self.kind == "refuse" else f"@{self.at}")

    def _check(self) -> None:
        if self.kind == "close":
            _check_close(self.value, self.reason, f"fault {self}")
        elif self.kind == "refuse" and not 400 <= self.value <= 599:
            raise ValueError(f"fault {self}: the status must be an HTTP error status, 400-599")
        elif self.kind == "oversize" and self.value < len(_OVERSIZE_HEAD) + len(_OVERSIZE_TAIL):
            raise ValueError(f"fault {self}: the smallest event is {len(_OVERSIZE_HEAD) + len(_OVERSIZE_TAIL)} bytes")
        elif self.kind == "burst" and self.value < 1:
            raise ValueError(f"fault {self}: a burst is of at least one event")


def _is_number(text: str) -> bool:
    return text.isascii() and text.isdigit()


def _check_close(code: int, reason: str, what: str) -> None:
    if len(reason.encode()) > 123:
        raise ValueError(f"{what}: a close reason is at most 123 bytes")
    try:
        Close(code, reason).check()
    except ProtocolError:
        raise ValueError(f"{what}: {code} is not a close code a peer may send (1000-1003, 1007-1014, 3000-4999)") from None


def _oversize(size: int) -> str:
    return _OVERSIZE_HEAD + "x" * (size - len(_OVERSIZE_HEAD) - len(_OVERSIZE_TAIL)) + _OVERSIZE_TAIL


# ---------------------------------------------------------------------------------- connections


@dataclass
class Connection:
    """What one connection brought: its handshake, the answer, and every frame it sent."""

    #: The request target: path and query string.
    path: str
    #: The query's parameters (the first value of each).
    query: dict[str, str]
    #: The handshake request's headers.
    headers: Headers
    #: The ``x-request-id`` the stand-in answered with.
    request_id: str
    #: 101 when the handshake was accepted, else the HTTP status it was refused with.
    status: int = 101
    #: Each frame the client sent, in order: its exact text (``bytes`` for a binary frame).
    frames: list[str | bytes] = field(default_factory=list)
    #: Each client frame that was not what the script expected there, described.
    mismatches: list[str] = field(default_factory=list)
    #: The close code and reason the connection ended with (as websockets reports them).
    close_code: int | None = None
    close_reason: str | None = None
    #: Set once the TCP connection is closed (right after the answer, for a refused handshake).
    ended: asyncio.Event = field(default_factory=asyncio.Event)


class Replay:
    """The stand-in, serving ``script`` while in an ``async with`` block.

    ``script`` is a list of ``(direction, event JSON text, received_unix_nano or None)`` (such as
    :func:`read_script` returns; sent as given, unchecked), or a session log's path or a shipped
    recording's name. ``key``, when given, is the only credential accepted, in the
    ``Authorization: Bearer`` header (``auth="bearer"``) or the ``api-key`` header
    (``auth="api-key"``); without it any non-empty one is. ``faults`` are :class:`Fault` objects or
    their text. ``close_at_end`` closes each connection with that code once its script is played
    (the last group sent, after the last client event); ``strict_script`` closes with 1008 when a
    client event is not the one the script has next (otherwise that is logged and play goes on).
    ``keep_frames=False`` keeps no frames (``rtbridge replay``, benchmarks: memory stays flat).
    """

    def __init__(
        self,
        script: Iterable[tuple[str, str | bytes, int | None]] | str | os.PathLike[str],
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        key: str | None = None,
        auth: Literal["bearer", "api-key"] = "bearer",
        fast: bool = False,
        faults: Iterable[Fault | str] = (),
        close_at_end: int | None = None,
        strict_script: bool = False,
        keep_frames: bool = True,
    ) -> None:
        if isinstance(script, (str, os.PathLike)):
            script = read_script(script)
        self._plan = _Plan.of(script)
        if auth not in ("bearer", "api-key"):
            raise ValueError(f"auth must be 'bearer' or 'api-key', not {auth!r}")
        if key is not None and not key:
            raise ValueError("key must not be empty")
        self._host, self._port, self._key, self._auth = host, port, key, auth
        self._fast, self._strict, self._keep_frames = fast, strict_script, keep_frames
        self._faults = [fault if isinstance(fault, Fault) else Fault.parse(fault) for fault in faults]
        for fault in self._faults:
            fault._check()
            if fault.kind != "refuse" and fault.at > len(self._plan.texts):
                raise ValueError(f"fault {fault}: the script has only {len(self._plan.texts)} server events")
        if close_at_end is not None:
            _check_close(close_at_end, "", "close_at_end")
        self._close_at_end = close_at_end
        #: Every connection, in the order their handshakes came.
        self.connections: list[Connection] = []
        self._opening: dict[object, Connection] = {}
        self._stalled: set[ServerConnection] = set()
        self._watchers: set[asyncio.Future[None]] = set()
        self._server: Server | None = None

    @property
    def port(self) -> int:
        """The port it listens on (the one the system chose, for ``port=0``)."""
        if self._server is None:
            raise RuntimeError("the stand-in is not running (use it in an 'async with' block)")
        port: int = self._server.sockets[0].getsockname()[1]
        return port

    @property
    def url(self) -> str:
        """``ws://HOST:PORT/v1/realtime``."""
        host = f"[{self._host}]" if ":" in self._host else self._host
        return f"ws://{host}:{self.port}{PATH}"

    async def __aenter__(self) -> Replay:
        self._server = await serve(
            self._handle,
            self._host,
            self._port,
            process_request=self._check_handshake,
            process_response=self._tag_response,
            ping_interval=None,  # the stand-in never pings: a stalled one must stay silent
            close_timeout=_CLOSE_TIMEOUT,
            max_size=_MAX_FRAME,
        )
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        server, self._server = self._server, None
        if server is None:
            return
        for connection in self._stalled:  # it reads nothing: it would never see its close frame
            connection.transport.abort()
        server.close()
        await server.wait_closed()
        await asyncio.gather(*self._watchers)  # every connection's end noted

    # ------------------------------------------------------------------------------- handshake

    def _check_handshake(self, connection: ServerConnection, request: Request) -> Response | None:
        target = urlsplit(request.path)
        seen = Connection(
            path=request.path,
            query={name: values[0] for name, values in parse_qs(target.query, keep_blank_values=True).items()},
            headers=request.headers,
            request_id=_request_id(connection),
        )
        self.connections.append(seen)
        self._opening[connection.id] = seen
        watcher = asyncio.ensure_future(self._watch(connection, seen))
        self._watchers.add(watcher)
        watcher.add_done_callback(self._watchers.discard)
        refusal = self._refusal(target.path, seen)
        if refusal is None:
            return None
        status, code, message = refusal
        seen.status = status
        _log.info("%s: %s refused with %d: %s", seen.request_id, _loggable(request.path), status, message)
        kind = "server_error" if status >= 500 else "invalid_request_error"
        body = msgspec.json.encode({"error": {"message": message, "type": kind, "param": None, "code": code}})
        try:
            phrase = http.HTTPStatus(status).phrase
        except ValueError:  # a status with no name (refuse=599)
            phrase = "Error"
        headers = Headers(
            [
                ("Date", formatdate(usegmt=True)),
                ("Connection", "close"),
                ("Content-Length", str(len(body))),
                ("Content-Type", "application/json"),
            ]
        )
        return Response(status, phrase, headers, body)

    def _refusal(self, path: str, seen: Connection) -> tuple[int, str | None, str] | None:
        """Why a handshake is refused: (HTTP status, error code, message), or ``None``."""
        if path != PATH:
            return 404, None, f"Invalid URL (GET {path}): the Realtime API is at {PATH}"
        for fault in self._faults:
            if fault.kind == "refuse":
                return fault.value, "standin_refused", f"refused by the stand-in's fault {fault}"
        query = seen.query
        intent = query.get("intent")
        if intent not in (None, "realtime", "transcription"):
            return 400, "invalid_value", f"Invalid value for 'intent': {intent!r}; expected 'realtime' or 'transcription'"
        if not (query.get("model") or query.get("call_id") or intent == "transcription"):
            return 400, "missing_model", "Missing required parameter: 'model' (or 'call_id', or intent=transcription)"
        if self._auth == "bearer":
            scheme, _, credential = seen.headers.get("Authorization", "").partition(" ")
            credential = credential.strip() if scheme.lower() == "bearer" else ""
            where = "an Authorization header using Bearer auth (Authorization: Bearer YOUR_KEY)"
        else:
            credential = seen.headers.get("api-key", "").strip()
            where = "an api-key header"
        if not credential:
            return 401, None, f"You didn't provide an API key. You need to provide your API key in {where}."
        if self._key is not None and not hmac.compare_digest(credential.encode(), self._key.encode()):
            return 401, "invalid_api_key", "Incorrect API key provided."
        return None

    async def _watch(self, connection: ServerConnection, seen: Connection) -> None:
        """Note how the connection ended once it is closed (after its handler, if it got one)."""
        await connection.wait_closed()
        self._opening.pop(connection.id, None)
        self._stalled.discard(connection)
        seen.close_code, seen.close_reason = connection.close_code, connection.close_reason
        seen.ended.set()
        if seen.status == 101:
            _log.info("%s: ended (%s %s)", seen.request_id, seen.close_code, seen.close_reason or "")

    def _tag_response(self, connection: ServerConnection, _request: Request, response: Response) -> None:
        response.headers["x-request-id"] = _request_id(connection)

    # -------------------------------------------------------------------------------------- play

    async def _handle(self, connection: ServerConnection) -> None:
        seen = self._opening.pop(connection.id)
        _log.info("%s: %s accepted", seen.request_id, _loggable(seen.path))
        if "OpenAI-Beta" not in seen.headers:
            await _Play(self, connection, seen).run()
            return
        try:
            await connection.send(_BETA_ERROR)
            await connection.close(*_BETA_CLOSE)
        except ConnectionClosed:
            pass


class _Play:
    """One connection's play: a reader of client frames that triggers the groups, and a player
    that sends them, each a task; done when the connection is closed."""

    def __init__(self, replay: Replay, connection: ServerConnection, seen: Connection) -> None:
        self._replay = replay
        self._plan = replay._plan
        self._connection = connection
        self._seen = seen
        self._triggers: asyncio.Queue[float] = asyncio.Queue()
        self._faults: dict[int, list[Fault]] = {}
        for fault in replay._faults:
            if fault.kind != "refuse":
                self._faults.setdefault(fault.at, []).append(fault)

    async def run(self) -> None:
        reader = asyncio.ensure_future(self._read())
        player = asyncio.ensure_future(self._play(reader))
        try:
            await self._connection.wait_closed()
        finally:
            for task in (reader, player):
                task.cancel()
            for outcome in await asyncio.gather(reader, player, return_exceptions=True):
                if isinstance(outcome, Exception):
                    raise outcome

    async def _read(self) -> None:
        loop = asyncio.get_running_loop()
        plan, seen = self._plan, self._seen
        try:
            async for index, frame in _numbered(self._connection):
                received_at = loop.time()
                if self._replay._keep_frames:
                    seen.frames.append(frame)
                expected = plan.client_types[index] if index < len(plan.client_types) else None
                got = _type_of(frame) if isinstance(frame, str) else None
                if index >= len(plan.client_types) or got != expected:
                    where = f"event {index}" if index < len(plan.client_types) else f"event {index}, past the script's end"
                    mismatch = f"client {where}: expected {expected!r}, got {got!r}"
                    seen.mismatches.append(mismatch)
                    _log.warning("%s: %s", seen.request_id, mismatch)
                    if self._replay._strict:
                        await self._connection.close(1008, "not the scripted event")
                        return
                if index < len(plan.client_types):
                    self._triggers.put_nowait(received_at)
        except ConnectionClosed:
            pass

    async def _play(self, reader: asyncio.Future[None]) -> None:
        loop = asyncio.get_running_loop()
        plan = self._plan
        total = len(plan.texts)
        index = burst = 0
        try:
            for group, stop in enumerate(plan.stops):
                triggered = loop.time() if group == 0 else await self._triggers.get()
                while index < stop or (burst and index < total):
                    for fault in self._faults.get(index, ()):
                        if fault.kind == "burst":
                            burst = max(burst, fault.value)
                        elif not await self._inject(fault, reader):
                            return
                    if burst:
                        burst -= 1
                    elif not self._replay._fast:
                        await asyncio.sleep(triggered + plan.delays[index] - loop.time())
                    await self._connection.send(plan.texts[index])
                    index += 1
            for fault in self._faults.get(total, ()):
                if not await self._inject(fault, reader):
                    return
            if self._replay._close_at_end is not None:
                await self._connection.close(self._replay._close_at_end, "end of script")
        except ConnectionClosed:
            pass

    async def _inject(self, fault: Fault, reader: asyncio.Future[None]) -> bool:
        """Inject ``fault``; whether the connection goes on."""
        _log.info("%s: fault %s", self._seen.request_id, fault)
        connection = self._connection
        if fault.kind == "drop":
            connection.transport.abort()
            return False
        if fault.kind == "stall":
            reader.cancel()
            connection.transport.pause_reading()
            self._replay._stalled.add(connection)
            return False
        if fault.kind == "close":
            await connection.close(fault.value, fault.reason)
            return False
        await connection.send(
            _BINARY_FRAME if fault.kind == "binary" else _GARBAGE_FRAME if fault.kind == "garbage" else _oversize(fault.value)
        )
        return True


async def _numbered(connection: ServerConnection) -> AsyncIterator[tuple[int, str | bytes]]:
    index = 0
    async for frame in connection:
        yield index, frame
        index += 1


def _request_id(connection: ServerConnection) -> str:
    return f"req_{connection.id.hex}"


def _loggable(path: str) -> str:
    """A request target for the log, cut short (it is the client's text)."""
    return repr(path[:200])
