"""The gRPC service (``realtime.bridge.v1.BridgeService``) on grpcio's asyncio server.

- :mod:`bridge.service._rpcs`: the table of the service's RPCs, read off service.proto's descriptor
  (the servicer, wire, metrics and the client are fed from it).
- :mod:`bridge.service.servicer`: the RPCs, each a thin call into :mod:`bridge`'s converters.
- :mod:`bridge.service.wire`: requests read as far as their envelope, responses framed around the
  converters' bytes.
- :mod:`bridge.service.errors`: :class:`~bridge.ValidationError` ⇄ ``google.rpc.Status``.
- :mod:`bridge.service.health`: ``grpc.health.v1`` that lets a graceful drain finish.
- :mod:`bridge.service.auth`: optional bearer-token authentication.
- :mod:`bridge.service.metrics`: Prometheus metrics (``--metrics-port``).
- :mod:`bridge.service.app`: the server's lifecycle: start, graceful shutdown, an in-process server.
- :mod:`bridge.service._config`: :class:`~bridge.service._config.ServerConfig`, every setting.
- :mod:`bridge.service._tls`: the TLS credentials, checked where a bad file can be named.
- :mod:`bridge.service._address`: the listening address, written and checked before binding.
- :mod:`bridge.service._reflection`: server reflection v1 and v1alpha (a shim until grpcio-reflection
  serves v1).
- :mod:`bridge.service.workers`: ``--workers N`` processes sharing one port.
- :mod:`bridge.service._command`: ``rtbridge serve``: its options, and running it.

:mod:`bridge.server` is ``python -m bridge.server`` and :func:`~bridge.server.running`; the client
is :mod:`bridge.client`.
"""
