"""The gRPC service (``realtime.bridge.v1.BridgeService``) on grpcio's asyncio server.

- :mod:`bridge.service.servicer`: the RPCs, each a thin call into :mod:`bridge`.
- :mod:`bridge.service.errors`: :class:`~bridge.ValidationError` ⇄ ``google.rpc.Status``.
- :mod:`bridge.service.health`: ``grpc.health.v1`` that lets a graceful drain finish.
- :mod:`bridge.service.auth`: optional bearer-token authentication.
- :mod:`bridge.service.app`: configuration, start, graceful shutdown, an in-process server.
- :mod:`bridge.service.workers`: ``--workers N`` processes sharing one port.

The command line and :func:`~bridge.server.running` live in :mod:`bridge.server`; the client in
:mod:`bridge.client`.
"""
