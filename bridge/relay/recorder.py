"""``rtbridge serve --upstream ... --record DIR``: every session written to disk, both directions
with the time each event was received, as a binary session log (docs/session-logs.md) that
``rtbridge encode`` reads: one file per session, ``DIR/YYYYMMDD/HHMMSS-<session id>.bin`` (UTC, the
time the upstream connected; the id is ``SessionConnected.session_id``), mode 0600 (it holds the
users' voices), each record a length-delimited ``SessionRecord``. The file is created with the
session's first record (a session that relays no event leaves none).

A record is the event's protobuf bytes as the session holds them (the caller's ``ClientEvent``
bytes, the converted ``ServerEvent`` bytes) behind a tag and a length, with the receive time
(:func:`bridge.session.session_record`): nothing is converted a second time. A client event is
recorded when it has converted, just before it is sent upstream (a rejected one never crossed and
is not recorded); a server event when it has converted, before it is queued for the caller. So the
file holds each direction in order, and a reply after the event it answers.

Writing never blocks a session. One writer thread per :class:`Recorder` (one per server process)
takes the records from a ``queue.Queue`` bounded by ``--record-queue`` records and by
:data:`MAX_QUEUED_BYTES`; the event loop only calls ``put_nowait``. A record that finds the queue
full is dropped and counted in the session's ``SessionEnded.records_dropped`` (and in
``rtbridge_session_records_dropped_total``). A disk error stops the session's recording: it is
logged once, and the records lost are counted (``rtbridge_session_record_errors_total``).
"""

from __future__ import annotations

import contextlib
import logging
import os
import queue
import threading
import time
from collections import deque
from collections.abc import Callable
from typing import Final, Literal

from bridge.framing import encode_varint
from bridge.session import session_record
from bridge.v1.session_service_pb2 import SessionEnded

__all__ = ["MAX_QUEUED_BYTES", "Recorder", "Recording", "prepare_directory"]

_log = logging.getLogger("bridge.relay")

#: The event bytes waiting for the writer, at most, across the sessions of a recorder.
MAX_QUEUED_BYTES: Final = 64 * 1024 * 1024
#: The writer writes a session's records once this many bytes of them wait (or the queue is empty).
_WRITE_BYTES: Final = 256 * 1024
_FLAGS: Final = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)

_Direction = Literal["server", "client"]
#: A queued item: (recording, direction, event bytes, receive time); direction ``None``: the end of
#: the recording. ``None`` alone stops the writer.
_Item = tuple["Recording", "_Direction | None", bytes, int]


class Recording:
    """One session's recording. The session calls :meth:`client`, :meth:`server` and :meth:`close`
    on the event loop; the writer thread does the rest."""

    def __init__(self, recorder: Recorder, session_id: str, ended: SessionEnded, started: float) -> None:
        utc = time.gmtime(started)
        #: The file the session is written to (created with its first record).
        self.path = os.path.join(recorder.directory, time.strftime("%Y%m%d", utc), f"{time.strftime('%H%M%S', utc)}-{session_id}.bin")
        self.session_id = session_id
        self._recorder = recorder
        self._ended = ended
        self._closed = False
        #: Records queued (the event loop's count) and taken by the writer (the writer's).
        self.queued = 0
        self.taken = 0
        # The writer's: the file, the records waiting to be written, and whether writing failed.
        self.fd: int | None = None
        self.pending: list[bytes] = []
        self.pending_records = 0
        self.pending_bytes = 0
        self.failed = False

    def client(self, payload: bytes) -> None:
        """Record a client event (``ClientEvent`` bytes), received now."""
        self._recorder.offer(self, "client", payload)

    def server(self, payload: bytes) -> None:
        """Record a server event (``ServerEvent`` bytes), received now."""
        self._recorder.offer(self, "server", payload)

    def dropped(self) -> None:
        """A record of this session found the queue full."""
        self._ended.records_dropped += 1

    def close(self) -> None:
        """The session ended: no more records; the writer closes the file after the last one."""
        if not self._closed:
            self._closed = True
            self._recorder.finish(self)


class Recorder:
    """The writer thread of the recordings of one server, behind one bounded queue."""

    def __init__(
        self,
        directory: str,
        max_records: int,
        *,
        max_bytes: int = MAX_QUEUED_BYTES,
        failed: Callable[[int], None] | None = None,
    ) -> None:
        """Record into ``directory`` (created, mode 0700, if missing; :class:`OSError` when it
        cannot be). At most ``max_records`` records and ``max_bytes`` bytes wait for the disk;
        ``failed(n)`` is told of ``n`` records lost to a disk error (from the writer thread)."""
        if max_records < 1 or max_bytes < 1:
            raise ValueError("a recorder's queue needs room for at least one record")
        prepare_directory(directory)
        self.directory = directory
        self._queue: queue.Queue[_Item | None] = queue.Queue(maxsize=max_records)
        self._put = self._queue.put_nowait
        self._max_bytes = max_bytes
        # Bytes queued (written by the event loop only) and taken (by the writer only).
        self._bytes_queued = 0
        self._bytes_taken = 0
        #: Recordings closed while the queue was full: the writer closes each after its last record.
        self._late: deque[Recording] = deque()
        self._failed = failed
        self._open: set[Recording] = set()
        self._thread = threading.Thread(target=self._run, name="rtbridge-recorder", daemon=True)
        self._thread.start()

    # The event loop's side ------------------------------------------------------------------------

    def open(self, session_id: str, ended: SessionEnded) -> Recording:
        """The recording of a session that has just connected (``ended``: its ``SessionEnded``,
        whose ``records_dropped`` counts its drops)."""
        return Recording(self, session_id, ended, time.time())

    def offer(self, recording: Recording, direction: _Direction, payload: bytes) -> None:
        """Queue one record, or drop it (and count it) when the queue is full; never blocks."""
        size = len(payload)
        if self._bytes_queued - self._bytes_taken + size > self._max_bytes:
            recording.dropped()
            return
        self._bytes_queued += size
        recording.queued += 1
        try:
            self._put((recording, direction, payload, time.time_ns()))
        except queue.Full:
            self._bytes_queued -= size
            recording.queued -= 1
            recording.dropped()

    def finish(self, recording: Recording) -> None:
        try:
            self._put((recording, None, b"", 0))
        except queue.Full:
            self._late.append(recording)

    def close(self, timeout: float = 10.0) -> None:
        """Write what is queued, close every file and stop the writer (blocks: call it off the
        event loop), waiting at most ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        with contextlib.suppress(queue.Full):  # (the writer is stuck: the join below says so)
            self._queue.put(None, timeout=timeout)
        self._thread.join(max(0.0, deadline - time.monotonic()))
        if self._thread.is_alive():
            _log.error("the session recorder did not finish writing within %gs; what it still held is lost", timeout)

    # The writer thread ------------------------------------------------------------------------------

    def _run(self) -> None:
        get, empty, late = self._queue.get, self._queue.empty, self._late
        while True:
            item = get()
            if item is None:
                break
            recording, direction, payload, received = item
            if direction is None:
                self._close(recording)
            else:
                self._take(recording, direction, payload, received)
            if late:
                self._close_late()
            if empty():
                for waiting in list(self._open):
                    self._write(waiting)
        for recording in list(self._open | set(late)):
            self._close(recording)

    def _take(self, recording: Recording, direction: _Direction, payload: bytes, received: int) -> None:
        self._bytes_taken += len(payload)
        recording.taken += 1
        try:
            self._add(recording, direction, payload, received)
        except Exception:  # noqa: BLE001 - a bug here must not stop the recordings of every session
            _log.exception("session %s: a record could not be written", recording.session_id)
            self._lost(1)

    def _add(self, recording: Recording, direction: _Direction, payload: bytes, received: int) -> None:
        if recording.failed:
            self._lost(1)
            return
        record = session_record(payload, direction, received)
        recording.pending += (encode_varint(len(record)), record)
        recording.pending_records += 1
        recording.pending_bytes += len(record)
        self._open.add(recording)
        if recording.pending_bytes >= _WRITE_BYTES:
            self._write(recording)

    def _write(self, recording: Recording) -> None:
        """Write the records waiting (creating the file first); on a disk error, log it (once: the
        session's recording stops) and count the records lost."""
        if not recording.pending or recording.failed:
            return
        data, records = b"".join(recording.pending), recording.pending_records
        recording.pending, recording.pending_records, recording.pending_bytes = [], 0, 0
        try:
            if recording.fd is None:
                os.makedirs(os.path.dirname(recording.path), mode=0o700, exist_ok=True)
                recording.fd = os.open(recording.path, _FLAGS, 0o600)
            _write_all(recording.fd, data)
        except OSError as error:
            recording.failed = True
            _log.error(
                "session %s: recording to %s failed: %s; the session's later records are not written",
                recording.session_id, recording.path, error.strerror or error,
            )
            self._lost(records)

    def _close(self, recording: Recording) -> None:
        self._write(recording)
        self._open.discard(recording)
        if recording.fd is not None:
            try:
                os.close(recording.fd)
            except OSError as error:  # (a deferred write error, on some file systems)
                _log.error("session %s: closing %s failed: %s", recording.session_id, recording.path, error.strerror or error)
            recording.fd = None

    def _close_late(self) -> None:
        for _ in range(len(self._late)):
            recording = self._late.popleft()
            if recording.taken == recording.queued:
                self._close(recording)
            else:
                self._late.append(recording)

    def _lost(self, records: int) -> None:
        if self._failed is not None:
            self._failed(records)


def prepare_directory(directory: str) -> None:
    """Create ``directory`` (mode 0700) if it is missing and check that files can be created in it;
    raise :class:`OSError` naming it when not (a startup error of ``rtbridge serve --record``)."""
    try:
        os.makedirs(directory, mode=0o700, exist_ok=True)
        if not os.access(directory, os.W_OK | os.X_OK):
            raise PermissionError(13, "Permission denied")
    except OSError as error:
        raise OSError(f"cannot record sessions in {directory}: {error.strerror or error}") from None


def _write_all(fd: int, data: bytes) -> None:
    """Write all of ``data`` to ``fd`` (``os.write`` may write part of it)."""
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]
