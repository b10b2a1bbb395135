"""The session relay: one Realtime session over one gRPC stream (``realtime.bridge.v1.SessionService``).

The relay holds the upstream WebSocket (the GA Realtime protocol; its URL and key are the
operator's), and a caller holds one bidirectional gRPC stream of typed events: client events go
upstream as :func:`bridge.binary_to_json` writes them, upstream events come back through tolerant
:func:`bridge.json_to_binary`. It converts only through those two functions. See docs/relay.md.

Modules, in the order a session meets them:

- ``bridge.relay.servicer``: ``SessionService`` for grpc.aio: ``Connect``, the sessions of this
  process (their limit, the drain at shutdown), registration beside ``BridgeService``.
- ``bridge.relay.wire``: ``ConnectRequest`` read as far as its envelope; ``ConnectResponse`` framed
  around the converters' bytes.
- ``bridge.relay._session``: one session: uplink and downlink tasks, the bounded outbox the
  handler writes from, the watchdog of the limits.
- ``bridge.relay.recorder``: ``--record DIR``: each session's events, both ways with receive times,
  written as a binary session log by one writer thread behind a bounded queue (drops counted).
- ``bridge.relay.metrics``: ``SessionMetrics``, the relay's Prometheus series (sessions by outcome,
  events and bytes by type, tokens, connect times, drops), a ``SessionObserver``.
- ``bridge.relay._upstream``: the upstream URL, headers and TLS; a logger that never shows a
  credential; connect, and what a refused or failed handshake means.
- ``bridge.relay._outcomes``: THE table: every way a session ends, its outcome and gRPC status.
- ``bridge.relay._config``: ``RelayConfig``, every setting of ``rtbridge serve --upstream``.
- ``bridge.relay.client``: ``SessionClient`` and ``AsyncSessionClient``.
- ``bridge.relay.standin``: the upstream stand-in ``Replay`` (``rtbridge replay``):
  plays a session log, injects faults.
- ``bridge.relay.recordings``: a data folder (package data, no code): the recorded sessions the stand-in
  plays, ``voice-turn``, ``function-call`` and ``error`` (``NAME.jsonl``, session logs in JSON Lines),
  made with espeak-ng's speech by ``tools/make_recordings.py``.
"""
