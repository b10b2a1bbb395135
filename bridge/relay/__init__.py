"""The session relay: one Realtime session over one gRPC stream (``realtime.bridge.v1.SessionService``).

The relay holds the upstream WebSocket (the GA Realtime protocol; its URL and key are the
operator's), and a caller holds one bidirectional gRPC stream of typed events: client events go
upstream as :func:`bridge.binary_to_json` writes them, upstream events come back through tolerant
:func:`bridge.json_to_binary`. It converts only through those two functions. See docs/relay.md.

Modules, in the order a session meets them:

- ``bridge.relay.standin``: the upstream stand-in ``Replay`` (``rtbridge replay``): plays a session log, injects faults.
"""
