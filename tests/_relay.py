"""What the relay tests share: an upstream WebSocket server whose behaviour each test writes as a
handler (for the rows of the outcome table), run on a thread of its own, and a relay server in
this process in front of it."""

from __future__ import annotations

import asyncio
import contextlib
import json
import pathlib
import re
import subprocess
import sys
import threading
import time
from collections.abc import Awaitable, Callable, Iterator
from typing import Any

import grpc
from websockets.asyncio.server import ServerConnection, serve

from bridge.relay._config import RelayConfig
from bridge.service.app import BackgroundServer, ServerConfig

Handler = Callable[[ServerConnection], Awaitable[None]]
KEY = "sk-test-relay-key-0123456789"


class Upstream:
    """A WebSocket server on 127.0.0.1 running ``handler`` for each connection; it keeps the text
    of every frame it received and the request of every handshake."""

    def __init__(
        self, handler: Handler, process_request: Callable[..., Any] | None = None, ssl: Any = None
    ) -> None:
        self.handler = handler
        self._ssl = ssl
        self.received: list[str | bytes] = []
        self.requests: list[Any] = []
        self.closed = threading.Event()
        self._process_request = process_request
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self.port = 0

    @property
    def url(self) -> str:
        return f"{'wss' if self._ssl else 'ws'}://127.0.0.1:{self.port}/v1/realtime"

    async def _serve(self, connection: ServerConnection) -> None:
        self.requests.append(connection.request)
        try:
            await self.handler(connection)
        finally:
            self.closed.set()

    def __enter__(self) -> Upstream:
        self._thread.start()

        async def start() -> Any:
            return await serve(
                self._serve, "127.0.0.1", 0, process_request=self._process_request, ssl=self._ssl, close_timeout=1
            )

        self._server = asyncio.run_coroutine_threadsafe(start(), self._loop).result(10)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    def __exit__(self, *_exc: object) -> None:
        async def stop() -> None:
            self._server.close()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._server.wait_closed(), 5)
            # Handlers still waiting (a stalled upstream) are cancelled, not left pending.
            tasks = [task for task in asyncio.all_tasks() if task is not asyncio.current_task()]
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)

        asyncio.run_coroutine_threadsafe(stop(), self._loop).result(15)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)

    async def record(self, connection: ServerConnection) -> str | bytes:
        """The next frame the relay sent (kept in :attr:`received`)."""
        frame = await connection.recv()
        self.received.append(frame)
        return frame


def event(type_: str, **fields: Any) -> str:
    return json.dumps({"type": type_, **fields}, separators=(",", ":"))


@contextlib.contextmanager
def relay_server(upstream: Upstream | str, **options: Any) -> Iterator[tuple[BackgroundServer, grpc.Channel]]:
    """A bridge server in this process relaying to ``upstream`` (``options``: RelayConfig's and
    ServerConfig's fields), and a channel to it."""
    server_options = {name: options.pop(name) for name in ("max_message_bytes", "grace", "metrics") if name in options}
    url = upstream if isinstance(upstream, str) else upstream.url
    config = RelayConfig(url, key=options.pop("key", KEY), **options)
    server = BackgroundServer(ServerConfig(port=0, relay=config, **server_options))
    address = server.start()
    try:
        with grpc.insecure_channel(address) as channel:
            yield server, channel
    finally:
        server.stop()


@contextlib.contextmanager
def relay(upstream: Upstream | str, **options: Any) -> Iterator[grpc.Channel]:
    """A bridge server in this process relaying to ``upstream``, and a channel to it."""
    with relay_server(upstream, **options) as (_server, channel):
        yield channel


@contextlib.contextmanager
def replaying(script: str, **options: Any) -> Iterator[str]:
    """The stand-in (:class:`bridge.relay.standin.Replay`) playing ``script`` on a thread of its
    own; yields its URL."""
    from bridge.relay.standin import Replay

    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    replay = Replay(script, **options)
    try:
        asyncio.run_coroutine_threadsafe(replay.__aenter__(), loop).result(30)
        try:
            yield replay.url
        finally:
            asyncio.run_coroutine_threadsafe(replay.__aexit__(None, None, None), loop).result(30)
    finally:
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)


_TIMEOUT = 60


class Serving:
    """``rtbridge serve --upstream URL`` as a process, its address read off its log."""

    def __init__(self, upstream: str, log: pathlib.Path, *args: str, key: str = KEY) -> None:
        self.log_path = log
        self._log = log.open("w")
        self.process = subprocess.Popen(
            [str(pathlib.Path(sys.executable).with_name("rtbridge")), "serve", "--port", "0", "--upstream", upstream, "--upstream-key-env", "RELAY_KEY", *args],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=self._log,
            env={"RELAY_KEY": key, "PATH": "/usr/bin:/bin"},
        )
        deadline = time.monotonic() + _TIMEOUT
        while "listening on" not in self.log() and self.process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        found = re.search(r"listening on (\S+)", self.log())
        assert found, self.log()
        self.address = found.group(1)

    def log(self) -> str:
        return self.log_path.read_text()

    def close(self) -> int:
        if self.process.poll() is None:
            self.process.kill()
        code = self.process.wait(_TIMEOUT)
        self._log.close()
        return code
