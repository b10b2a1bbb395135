"""The server's TLS credentials, read and checked where a bad file can be named: gRPC itself
reports an unreadable or mismatched certificate only as a failure to bind."""

from __future__ import annotations

import ssl

import grpc

from bridge.service._config import ServerConfig

__all__ = ["server_credentials"]


def server_credentials(config: ServerConfig) -> grpc.ServerCredentials:
    """The credentials of a server for ``config`` (which has TLS): its certificate chain and key,
    and the CA that client certificates must chain to when set. Raises :class:`OSError` naming
    the file that cannot be read or used."""
    assert config.tls_cert is not None and config.tls_key is not None
    cert = _read(config.tls_cert, "TLS certificate")
    key = _read(config.tls_key, "TLS key")
    client_ca = _read(config.tls_client_ca, "client CA file") if config.tls_client_ca else None
    # gRPC reports bad PEM data only as "failed to bind": check it here, where it can be named.
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    try:
        context.load_cert_chain(config.tls_cert, config.tls_key, password=_no_password)
    except (ssl.SSLError, ValueError) as error:
        raise OSError(
            f"cannot use the TLS certificate {config.tls_cert!r} with the key {config.tls_key!r}: "
            f"{_ssl_reason(error)} (it needs PEM files: a certificate chain and its unencrypted private key)"
        ) from None
    if client_ca is not None:
        try:
            context.load_verify_locations(cadata=client_ca.decode("ascii", "replace"))
        except (ssl.SSLError, ValueError) as error:
            raise OSError(f"cannot use the client CA file {config.tls_client_ca!r}: {_ssl_reason(error)}") from None
    return grpc.ssl_server_credentials(
        [(key, cert)],
        root_certificates=client_ca,
        require_client_auth=client_ca is not None,
    )


def _read(path: str, what: str) -> bytes:
    try:
        with open(path, "rb") as file:
            return file.read()
    except OSError as error:
        raise OSError(f"cannot read the {what} {path!r}: {error.strerror or error}") from None


def _no_password() -> bytes:
    return b""  # an encrypted key fails to load rather than prompting on the terminal


def _ssl_reason(error: Exception) -> str:
    reason = getattr(error, "reason", None)
    return str(reason).replace("_", " ").lower() if reason else "not PEM data it can read"
