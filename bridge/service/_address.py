"""The address a server listens on: how it is written, whether it is loopback, and whether it
can be bound, checked before gRPC tries (and logs its own errors)."""

from __future__ import annotations

import ipaddress
import socket

__all__ = ["format_address", "is_loopback", "probe_address"]


def format_address(host: str, port: int) -> str:
    """``host:port``, bracketing an IPv6 host."""
    if ":" in host and not host.startswith("["):
        return f"[{host}]:{port}"
    return f"{host}:{port}"


def probe_address(host: str, port: int, *, reuse_port: bool) -> None:
    """Resolve ``host`` and bind (and close) a socket on ``port`` as gRPC would; raise
    :class:`OSError` naming the address if no address of ``host`` can be bound."""
    address = format_address(host, port)
    try:
        infos = socket.getaddrinfo(host.strip("[]"), port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except (socket.gaierror, UnicodeError) as error:
        reason = getattr(error, "strerror", None) or str(error)
        raise OSError(f"cannot listen on {address}: not an address of this host ({reason})") from None
    failures: list[OSError] = []
    for family, kind, proto, _, sockaddr in infos:
        try:
            with socket.socket(family, kind, proto) as sock:
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as gRPC does
                if reuse_port:
                    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
                sock.bind(sockaddr)
        except OSError as error:
            failures.append(error)
            continue
        return  # gRPC listens if it can bind any of the addresses
    reason = failures[0].strerror if failures else "the host has no address"
    raise OSError(f"cannot listen on {address}: {reason}")


def is_loopback(host: str) -> bool:
    """Whether ``host`` is a loopback address (or ``localhost``)."""
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return host == "localhost"
