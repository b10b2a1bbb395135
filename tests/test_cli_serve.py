"""``rtbridge serve`` as a person starts it: a server that cannot start says why in one line on
stderr (``rtbridge: error: ...``, exit 1; bad options exit 2), with no traceback and no gRPC core
log lines; and the batch commands never load gRPC at all."""

from __future__ import annotations

import os
import select
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from _certs import Certificates, make_certificates
from test_cli import RTBRIDGE

TIMEOUT = 30


def serve(*args: object) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(RTBRIDGE), "serve", *map(str, args)],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        timeout=TIMEOUT,
    )


def one_error_line(result: subprocess.CompletedProcess) -> str:
    """The single line on stderr, which must be an ``rtbridge: error:`` line."""
    lines = result.stderr.decode().splitlines()
    assert len(lines) == 1, result.stderr.decode()
    assert lines[0].startswith("rtbridge: error: "), lines
    return lines[0]


@pytest.fixture
def busy_port() -> Iterator[int]:
    """A port of 127.0.0.1 that another socket listens on."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        yield sock.getsockname()[1]


@pytest.fixture(scope="module")
def certs(tmp_path_factory: pytest.TempPathFactory) -> Certificates:
    return make_certificates(tmp_path_factory.mktemp("certs"))


@pytest.mark.parametrize("workers", [1, 2])
def test_port_in_use(busy_port: int, workers: int) -> None:
    result = serve("--host", "127.0.0.1", "--port", busy_port, "--workers", workers)
    assert result.returncode == 1
    assert one_error_line(result) == f"rtbridge: error: cannot listen on 127.0.0.1:{busy_port}: Address already in use"


def test_an_address_of_another_host() -> None:
    result = serve("--host", "192.0.2.1", "--port", 0)  # TEST-NET-1: never an address of this host
    assert result.returncode == 1
    assert one_error_line(result).startswith("rtbridge: error: cannot listen on 192.0.2.1:0: ")


@pytest.mark.parametrize("workers", [1, 2])
def test_missing_tls_key(tmp_path: Path, certs: Certificates, workers: int) -> None:
    missing = tmp_path / "missing.key"
    result = serve("--port", 0, "--tls-cert", certs.server_cert, "--tls-key", missing, "--workers", workers)
    assert result.returncode == 1
    assert one_error_line(result) == f"rtbridge: error: cannot read the TLS key {str(missing)!r}: No such file or directory"


def test_missing_tls_certificate(tmp_path: Path, certs: Certificates) -> None:
    missing = tmp_path / "missing.pem"
    result = serve("--port", 0, "--tls-cert", missing, "--tls-key", certs.server_key)
    assert result.returncode == 1
    assert one_error_line(result) == (
        f"rtbridge: error: cannot read the TLS certificate {str(missing)!r}: No such file or directory"
    )


def test_unreadable_tls_key(tmp_path: Path, certs: Certificates) -> None:
    directory = tmp_path / "a-directory.key"
    directory.mkdir()
    result = serve("--port", 0, "--tls-cert", certs.server_cert, "--tls-key", directory)
    assert result.returncode == 1
    assert one_error_line(result).startswith(f"rtbridge: error: cannot read the TLS key {str(directory)!r}: ")


@pytest.mark.parametrize("key", ["client_key", "readme"])
def test_a_key_that_does_not_fit(certs: Certificates, key: str) -> None:
    key_path = Path(__file__).resolve().parent.parent / "README.md" if key == "readme" else certs.client_key
    result = serve("--port", 0, "--tls-cert", certs.server_cert, "--tls-key", key_path)
    assert result.returncode == 1
    assert one_error_line(result).startswith(
        f"rtbridge: error: cannot use the TLS certificate {str(certs.server_cert)!r} with the key {str(key_path)!r}: "
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--tls-cert", "server.pem"], "TLS needs both a certificate and a key"),
        (["--token-file", "/nonexistent/token"], "cannot read the token file '/nonexistent/token': No such file"),
        (["--port", "70000"], "port must be 0-65535, not 70000"),
        (["--max-concurrent-streams", "0"], "max concurrent streams must be at least 1, not 0"),
    ],
)
def test_bad_options_exit_2_with_one_line(args: list[str], message: str) -> None:
    result = serve(*args)
    assert result.returncode == 2
    assert message in one_error_line(result)


def test_help_documents_the_exit_status() -> None:
    result = subprocess.run([str(RTBRIDGE), "serve", "--help"], capture_output=True, timeout=TIMEOUT)
    assert result.returncode == 0
    assert "could not start" in result.stdout.decode() and "--tls-key" in result.stdout.decode()


def test_serve_starts_and_stops_on_ctrl_c() -> None:
    with subprocess.Popen(
        [str(RTBRIDGE), "serve", "--host", "127.0.0.1", "--port", "0", "--grace", "1"],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    ) as process:
        assert process.stderr is not None
        log = b""
        deadline = time.monotonic() + TIMEOUT
        try:
            while b"listening on 127.0.0.1:" not in log:
                remaining = deadline - time.monotonic()
                assert remaining > 0 and process.poll() is None, log
                if select.select([process.stderr], [], [], remaining)[0]:
                    log += os.read(process.stderr.fileno(), 65536)
            process.send_signal(signal.SIGINT)
            assert process.wait(timeout=TIMEOUT) == 0
        finally:
            process.kill()


# -------------------------------------------------------------------- no gRPC for batch commands


@pytest.mark.parametrize(
    "argv",
    [["--version"], ["--help"], ["decode", "-", "-q"], ["encode", "-", "-q"], ["validate", "-", "-q"], ["decode", "--help"]],
)
def test_batch_commands_do_not_import_grpc(argv: list[str]) -> None:
    code = (
        "import sys\n"
        "from bridge.cli import main\n"
        "try:\n"
        f"    main({argv!r})\n"
        "except SystemExit:\n"
        "    pass\n"
        "loaded = sorted(name for name in sys.modules if name == 'grpc' or name.startswith(('grpc.', 'bridge.service')))\n"
        "print(loaded, file=sys.stderr)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], input=b"", capture_output=True, timeout=TIMEOUT)
    assert result.stderr.decode().splitlines()[-1] == "[]"
