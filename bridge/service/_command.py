"""Serve realtime.bridge.v1.BridgeService over gRPC (with grpc.health.v1 and server reflection) on
127.0.0.1:50051 unless told otherwise. SIGTERM or SIGINT turns health NOT_SERVING, refuses new calls,
lets the calls in flight finish within the grace period and exits 0.

In Python, add_arguments() and run() make up `rtbridge serve`, main() is `python -m bridge.server`,
and running() starts a server inside the current process (for tests and benchmarks).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import dataclasses
import logging
import os
import sys
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from bridge.service.app import DEFAULT_HOST, DEFAULT_PORT, ServerConfig, check_startup, serve
from bridge.service.workers import supervise

if TYPE_CHECKING:
    from bridge.relay._config import RelayConfig

__all__ = ["add_arguments", "config_from_args", "main", "run"]

_PROG = "rtbridge"
_DEFAULTS = ServerConfig()
_MIB = 1024 * 1024
_LOG_LEVELS = ("debug", "info", "warning", "error")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the server's options to ``parser``."""
    _add_listening(parser.add_argument_group("listening"))
    _add_limits(parser.add_argument_group("limits and connections"))
    _add_security(parser.add_argument_group("security"))
    _add_metrics(parser.add_argument_group("metrics"))
    _add_relay(parser.add_argument_group("session relay", "serve SessionService too: Realtime sessions over gRPC (docs/relay.md)"))
    parser.add_argument("--log-level", choices=_LOG_LEVELS, default="info", help="(default: %(default)s)")


def _add_listening(net: argparse._ArgumentGroup) -> None:
    net.add_argument("--host", default=DEFAULT_HOST, help="address to listen on (default: %(default)s)")
    net.add_argument("--port", type=int, default=DEFAULT_PORT, help="port; 0 picks a free one (default: %(default)s)")
    net.add_argument(
        "--workers",
        type=int,
        default=1,
        metavar="N",
        help="server processes sharing the port; connections, not calls, are balanced (default: %(default)s)",
    )


def _add_limits(limits: argparse._ArgumentGroup) -> None:
    limits.add_argument(
        "--max-message-mb",
        type=float,
        default=_DEFAULTS.max_message_bytes / _MIB,
        metavar="MB",
        help="largest request or response; bigger ones fail with RESOURCE_EXHAUSTED (default: %(default)g)",
    )
    for option, default, what in (
        ("--grace", _DEFAULTS.grace, "on SIGTERM/SIGINT, time the calls in flight get to finish"),
        ("--keepalive", _DEFAULTS.keepalive_time, "ping idle connections this often"),
        ("--keepalive-timeout", _DEFAULTS.keepalive_timeout, "drop a connection whose ping is not answered in this time"),
        (
            "--max-connection-age",
            _DEFAULTS.max_connection_age,
            "ask clients to reconnect after this long, so channels rebalance",
        ),
        (
            "--max-connection-age-grace",
            _DEFAULTS.max_connection_age_grace,
            "time calls open on an aged connection get to finish",
        ),
    ):
        limits.add_argument(option, type=float, default=default, metavar="SECONDS", help=f"{what} (default: %(default)g)")
    limits.add_argument(
        "--max-concurrent-streams",
        type=int,
        default=_DEFAULTS.max_concurrent_streams,
        metavar="N",
        help="calls one connection may have open at once; more are refused (default: %(default)s)",
    )


def _add_security(security: argparse._ArgumentGroup) -> None:
    security.add_argument("--tls-cert", metavar="PEM", help="server certificate chain; enables TLS (with --tls-key)")
    security.add_argument("--tls-key", metavar="PEM", help="server private key")
    security.add_argument("--tls-client-ca", metavar="PEM", help="require client certificates issued by this CA (mTLS)")
    token = security.add_mutually_exclusive_group()
    token.add_argument("--token-file", metavar="PATH", help="require `authorization: Bearer <token>` with the token in this file")
    token.add_argument("--token-env", metavar="VAR", help="require `authorization: Bearer <token>` with the token in this variable")


def _add_metrics(metrics: argparse._ArgumentGroup) -> None:
    metrics.add_argument(
        "--metrics-port",
        type=int,
        metavar="PORT",
        help="serve Prometheus metrics at http://HOST:PORT/metrics (0 picks a free port; default: off)",
    )
    metrics.add_argument(
        "--metrics-host", default=DEFAULT_HOST, help="address of the metrics endpoint (default: %(default)s)"
    )


#: The relay's limits: (flag, RelayConfig field, type, metavar, help); sizes are MiB on the command
#: line and bytes in RelayConfig. Defaults are RelayConfig's.
_RELAY_LIMITS: tuple[tuple[str, str, type, str, str], ...] = (
    ("--max-sessions", "max_sessions", int, "N", "sessions open at once in this process"),
    ("--max-session-duration", "max_session_duration", float, "SECONDS", "end a session after this long"),
    ("--session-idle-timeout", "idle_timeout", float, "SECONDS", "end a session with no event either way for this long (0: never)"),
    ("--max-lag", "max_lag", float, "SECONDS", "end a session whose caller (or upstream) blocks a write for this long"),
    ("--session-buffer-events", "buffer_events", int, "N", "server events waiting for a slow caller, per session, at most"),
    ("--session-buffer-mb", "buffer_bytes", float, "MB", "bytes of server events waiting for a slow caller, per session, at most"),
    ("--max-event-mb", "max_event_bytes", float, "MB", "the largest upstream frame"),
    ("--upstream-open-timeout", "open_timeout", float, "SECONDS", "the upstream handshake must complete within this"),
    ("--upstream-ping-interval", "ping_interval", float, "SECONDS", "ping the upstream this often"),
    ("--upstream-ping-timeout", "ping_timeout", float, "SECONDS", "end a session whose upstream does not answer a ping in time"),
    ("--record-queue", "record_queue", int, "N", "records waiting for --record's disk writes, at most; more are dropped and counted"),
)


def _add_relay(relay: argparse._ArgumentGroup) -> None:
    from bridge.relay._config import CALLER_CREDENTIAL_HEADER, RelayConfig

    relay.add_argument(
        "--upstream", metavar="URL", help="the upstream Realtime endpoint, e.g. wss://api.openai.com/v1/realtime (default: off)"
    )
    key = relay.add_mutually_exclusive_group()
    key.add_argument("--upstream-key-env", metavar="VAR", help="the upstream API key's variable (default: OPENAI_API_KEY)")
    key.add_argument("--upstream-key-file", metavar="PATH", help="read the upstream API key from this file")
    relay.add_argument(
        "--upstream-auth", choices=("bearer", "api-key"),
        help="send the key as `Authorization: Bearer KEY` or as Azure's `api-key: KEY` (default: bearer)",
    )
    relay.add_argument("--upstream-header", action="append", metavar="'NAME: VALUE'", help="another upstream header (repeatable)")
    relay.add_argument("--upstream-ca", metavar="PEM", help="verify the upstream with these CAs instead of the system's")
    relay.add_argument(
        "--allow-caller-credential", action="store_true", default=None,
        help=f"callers may send their own upstream credential in `{CALLER_CREDENTIAL_HEADER}` metadata",
    )
    relay.add_argument(
        "--record", metavar="DIR",
        help="write each session (both directions, receive times) to DIR/YYYYMMDD/HHMMSS-SESSION.bin, "
        "mode 0600: it holds users' voices (default: off)",
    )
    defaults: dict[str, Any] = {field.name: field.default for field in dataclasses.fields(RelayConfig)}
    for flag, field, kind, metavar, what in _RELAY_LIMITS:
        default = defaults[field] / _MIB if metavar == "MB" else defaults[field]
        relay.add_argument(flag, type=kind, metavar=metavar, help=f"{what} (default: {default:g})")


#: Every relay option's destination, and the RelayConfig field it sets when given.
_RELAY_FIELDS: dict[str, str] = {
    "upstream_key_env": "", "upstream_key_file": "", "upstream_auth": "auth", "upstream_header": "headers",
    "upstream_ca": "ca_file", "allow_caller_credential": "allow_caller_credential", "record": "record_dir",
    **{flag[2:].replace("-", "_"): field for flag, field, *_ in _RELAY_LIMITS},
}


def _relay_config(args: argparse.Namespace) -> RelayConfig | None:
    """The relay's configuration, or ``None`` without ``--upstream``. A relay option without it is
    an error, not silently ignored."""
    given = {dest: getattr(args, dest) for dest in _RELAY_FIELDS if getattr(args, dest, None) is not None}
    if getattr(args, "upstream", None) is None:
        if given:
            raise ValueError(f"--{next(iter(given)).replace('_', '-')} needs --upstream")
        return None
    from bridge.relay._config import RelayConfig

    options: dict[str, object] = {}
    for dest, value in given.items():
        field = _RELAY_FIELDS[dest]
        if field == "headers":
            value = tuple(_header(text) for text in value)
        elif field in ("buffer_bytes", "max_event_bytes"):
            value = round(value * _MIB)
        if field:
            options[field] = value
    return RelayConfig(args.upstream, key=_upstream_key(args), **options)  # type: ignore[arg-type]


def _header(text: str) -> tuple[str, str]:
    name, colon, value = text.partition(":")
    if not colon:
        raise ValueError(f"--upstream-header takes 'NAME: VALUE', not {text!r}")
    return name.strip(), value.strip()


def _upstream_key(args: argparse.Namespace) -> str | None:
    """The operator's upstream key: from ``--upstream-key-file``, ``--upstream-key-env``, or
    ``OPENAI_API_KEY``; ``None`` when the default variable is unset and callers may bring their own."""
    if args.upstream_key_file:
        return _secret_file(args.upstream_key_file, "upstream key")
    name = args.upstream_key_env or "OPENAI_API_KEY"
    key = os.environ.get(name, "").strip()
    if key:
        return key
    if args.upstream_key_env or not getattr(args, "allow_caller_credential", None):
        raise ValueError(f"the environment variable {name} (the upstream API key) is unset or empty")
    return None


def config_from_args(args: argparse.Namespace) -> ServerConfig:
    """The :class:`ServerConfig` the parsed options describe. Raises :class:`ValueError` for
    inconsistent options and :class:`OSError` for an unreadable token file."""
    return ServerConfig(
        host=args.host,
        port=args.port,
        workers=args.workers,
        max_message_bytes=round(args.max_message_mb * _MIB),
        grace=args.grace,
        keepalive_time=args.keepalive,
        keepalive_timeout=args.keepalive_timeout,
        max_connection_age=args.max_connection_age,
        max_connection_age_grace=args.max_connection_age_grace,
        max_concurrent_streams=args.max_concurrent_streams,
        tls_cert=args.tls_cert,
        tls_key=args.tls_key,
        tls_client_ca=args.tls_client_ca,
        token=_token(args),
        metrics=getattr(args, "metrics_port", None) is not None,
        relay=_relay_config(args),
    )


def run(args: argparse.Namespace) -> int:
    """Serve as ``args`` say until SIGTERM/SIGINT; return the exit code: 0 after a graceful
    shutdown, 1 if the server could not start (the address is in use or unusable, a TLS file is
    missing or unreadable) or failed, 2 for bad options. A server that cannot start says why in
    one line on stderr: ``rtbridge: error: cannot listen on 127.0.0.1:50051: Address already in use``."""
    level = getattr(args, "log_level", "info").upper()
    try:
        config = config_from_args(args)
        metrics_port = getattr(args, "metrics_port", None)
        if metrics_port is not None and not 0 <= metrics_port <= 65535:
            raise ValueError(f"the metrics port must be 0-65535, not {metrics_port}")
    except (ValueError, OSError) as error:
        _error(error)
        return 2
    metrics_address = None if metrics_port is None else (getattr(args, "metrics_host", DEFAULT_HOST), metrics_port)
    try:
        check_startup(config)
    except OSError as error:
        _error(error)
        return 1
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        if config.workers > 1:
            return supervise(config, log_level=level, metrics_address=metrics_address)
        with _metrics_endpoint(metrics_address):
            asyncio.run(serve(config))
    except OSError as error:
        _error(error)
        return 1
    return 0


@contextlib.contextmanager
def _metrics_endpoint(address: tuple[str, int] | None) -> Iterator[None]:
    """This process's metrics served over HTTP at ``address`` (host, port) meanwhile, if given."""
    if address is None:
        yield
        return
    from bridge.service import metrics

    endpoint = metrics.serve(*address)
    try:
        yield
    finally:
        endpoint.close()


def _error(error: Exception) -> None:
    print(f"{_PROG}: error: {error}", file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m bridge.server [options]``."""
    parser = argparse.ArgumentParser(
        prog="python -m bridge.server", description="Serve realtime.bridge.v1.BridgeService over gRPC."
    )
    add_arguments(parser)
    return run(parser.parse_args(argv))


def _token(args: argparse.Namespace) -> str | None:
    if getattr(args, "token_file", None):
        return _secret_file(args.token_file, "token")
    if getattr(args, "token_env", None):
        token = os.environ.get(args.token_env, "").strip()
        if not token:
            raise ValueError(f"the environment variable {args.token_env} is unset or empty")
        return token
    return None


def _secret_file(path: str, what: str) -> str:
    """The stripped text of the file holding a secret (a token, a key)."""
    try:
        with open(path, encoding="utf-8") as file:
            secret = file.read().strip()
    except OSError as error:
        raise OSError(f"cannot read the {what} file {path!r}: {error.strerror or error}") from None
    except UnicodeDecodeError:
        raise ValueError(f"the {what} file {path!r} is not UTF-8 text") from None
    if not secret:
        raise ValueError(f"the {what} file {path} is empty")
    return secret
