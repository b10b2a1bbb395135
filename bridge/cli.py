"""The ``rtbridge`` command line: batch conversion of Realtime event logs, the gRPC service, and
the local Realtime stand-in.

This module parses arguments, opens files and reports; the conversions live in :mod:`bridge.batch`,
the service in :mod:`bridge.server` and the stand-in in :mod:`bridge.relay.standin`.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import os
import signal
import stat
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from types import FrameType
from typing import TYPE_CHECKING, BinaryIO, TextIO

import bridge

if TYPE_CHECKING:
    from bridge import batch
    from bridge.relay import standin

# bridge.batch, tempfile and shutil are imported where a command runs, not here: `rtbridge --version`
# and `--help` then cost little more than `import bridge` (tests/test_service_startup.py).

__all__ = [
    "EXIT_BROKEN_PIPE",
    "EXIT_HANGUP",
    "EXIT_INTERRUPTED",
    "EXIT_OK",
    "EXIT_REJECTED",
    "EXIT_TERMINATED",
    "EXIT_USAGE",
    "main",
]

#: Every record converted (or, for ``validate``, valid); ``serve``, ``replay``: stopped by SIGTERM/SIGINT.
EXIT_OK = 0
#: Some records were rejected; the others were converted. ``serve``: the server could not start
#: (address in use or unusable, TLS file missing or unreadable) or failed; ``replay``: could not listen.
EXIT_REJECTED = 1
#: Bad arguments, an input that cannot be read, an output that cannot be written, or an input in
#: the wrong format.
EXIT_USAGE = 2
#: Interrupted (Ctrl-C): 128 + SIGINT, what the shell reports for a command SIGINT ended.
EXIT_INTERRUPTED = 130
#: Stopped by SIGHUP (the terminal went away): 128 + SIGHUP. As for Ctrl-C, no output file is left.
EXIT_HANGUP = 128 + signal.SIGHUP
#: Stopped by SIGTERM (``kill``, ``timeout``): 128 + SIGTERM. As for Ctrl-C, no output file is left.
EXIT_TERMINATED = 128 + signal.SIGTERM
#: The reader of stdout went away (``rtbridge decode log.jsonl | head``): 128 + SIGPIPE, what the
#: shell reports for a Unix tool that SIGPIPE ended.
EXIT_BROKEN_PIPE = 141

_PROG = "rtbridge"
_IO_BUFFER = 1024 * 1024
_STDIO = "-"

_EXIT_CODES = """\
exit status:
  0    every event converted (validate: every event valid; serve, replay: stopped by SIGTERM/SIGINT)
  1    some events were rejected (the others were converted);
       serve: could not start (address in use or unusable, TLS file unreadable) or failed;
       replay: could not listen (address in use or unusable)
  2    usage error, unreadable input, unwritable output, or input in the wrong format
       (the first records all rejected and the input looks like another format: one line
       on stderr says so, and nothing is converted or reported before it)
  129  stopped by SIGHUP (the terminal closed; not under nohup); no output file is left behind
  130  interrupted (Ctrl-C); no output file is left behind
  141  stdout was closed early (e.g. by 'head'); the run stops quietly, as Unix tools do
  143  stopped by SIGTERM (kill, timeout); no output file is left behind
       (129, 130, 143: decode, encode and validate; serve drains and exits 0 on SIGTERM/SIGINT,
       and so does replay)
"""

_SERVE_EXIT_CODES = """\
exit status:
  0    stopped by SIGTERM/SIGINT, after the calls in flight finished
  1    could not start (address in use or unusable, TLS file missing, unreadable or invalid),
       said in one line on stderr ('rtbridge: error: ...'), or the server failed
  2    bad options (unreadable or empty token file included)
"""

_REPLAY_EXIT_CODES = """\
exit status:
  0    stopped by SIGTERM/SIGINT (open connections are closed with 1001, going away)
  1    could not listen (address in use or unusable), said in one line on stderr
  2    bad options, or a log that cannot be read or does not convert (each bad record listed)
"""

_REPLAY_FAULTS = """\
faults (--fault, repeatable; K counts the script's server events from 0, and K of them
are sent before the fault; K = their number: after the last):
  drop@K                  abort the TCP connection, no close frame
  stall@K                 read and write nothing more (pings go unanswered)
  close=CODE[:REASON]@K   close with CODE (and REASON)
  binary@K                send a binary frame, then go on
  garbage@K               send a text frame that is not JSON, then go on
  oversize=BYTES@K        send a response.output_text.delta of BYTES bytes, then go on
  burst=N@K               send the next N server events back to back, not waiting for triggers
  refuse=STATUS           refuse every handshake with that HTTP status and a JSON error body

example:
  rtbridge replay tests/data/relay/voice-turn.jsonl --port 8765 --fault close=1011@3
"""

_REJECTS_HELP = (
    "write each rejected event to FILE as JSON Lines: "
    '{"line": N, "violations": [{"path": ..., "message": ...}], "text": ORIGINAL_LINE} '
    '("offset" instead of "line" for binary input; "text" only for valid UTF-8 text); '
    "without it, rejected events are described on stderr"
)

#: The JSON input every JSONL-reading command accepts, for their descriptions.
_JSON_INPUT = (
    "A JSON array of events, or events pretty-printed one after the other (as 'jq .' writes), is read "
    "too; a record's line number is then the line its event starts on. Blank lines are skipped."
)
_SESSION_JSON = (
    "By default the log is a session log: each line is a plain event of either direction, routed by its "
    'type (client event types -> ClientEvent, any other -> ServerEvent), or a session envelope {"direction": '
    '"server"|"client", "received_unix_nano": N, "event": {...}}. --server / --client: every line is an '
    "event of that direction (no routing, no envelopes)."
)


class _HelpFormatter(argparse.HelpFormatter):
    """Wraps prose to the terminal; keeps text with line breaks of its own (examples, exit codes)."""

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        if "\n" in text:
            return "".join(indent + line for line in text.splitlines(keepends=True))
        return super()._fill_text(text, width, indent)


class _UsageError(Exception):
    """Reported as ``rtbridge: error: ...`` with exit status 2."""


class _Stopped(BaseException):
    """SIGTERM or SIGHUP during a batch run, raised where the run is, as Ctrl-C raises
    KeyboardInterrupt: the run unwinds (its temporary output files removed) and ``rtbridge`` exits
    with 128 + the signal's number. (A BaseException, so that no ``except Exception`` stops it.)"""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


#: The signals a batch run stops on as it does on Ctrl-C.
_STOP_SIGNALS = (signal.SIGTERM, signal.SIGHUP)


@contextlib.contextmanager
def _stopping_on_signals() -> Iterator[None]:
    """While in the block, SIGTERM and SIGHUP raise :class:`_Stopped` (each unless ignored, as
    under ``nohup``: an ignored signal stays ignored); the handlers before are put back after it
    (:func:`main` may be called in a longer-lived process). Outside the main thread, where Python
    cannot set handlers, nothing changes."""
    previous = {signum: signal.getsignal(signum) for signum in _STOP_SIGNALS}
    try:
        for signum, handler in previous.items():
            if handler is not signal.SIG_IGN:
                signal.signal(signum, _raise_stopped)
    except ValueError:  # not the main thread
        yield
        return
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler if handler is not None else signal.SIG_DFL)


def _raise_stopped(signum: int, _frame: FrameType | None) -> None:
    for other in _STOP_SIGNALS:  # a second signal must not cut the cleanup short
        signal.signal(other, signal.SIG_IGN)
    raise _Stopped(signum)


@dataclass(frozen=True)
class _Command:
    """A batch subcommand: its help, its library function and what it reads and writes."""

    name: str
    summary: str
    description: str
    example: str
    #: The function of :mod:`bridge.batch` that runs it, by name (imported when a command runs).
    run: str
    #: What the output is: "binary", "text" or None (nothing written).
    output: str | None
    #: Past participle for the summary: "3 events converted".
    done: str
    #: Whether it takes -j/--jobs: its function converts a file's records in worker processes.
    jobs: bool = False


_COMMANDS = (
    _Command(
        name="decode",
        summary="JSON Lines log -> length-delimited protobuf stream",
        description=(
            "Convert a JSON Lines log of Realtime events (one event per line, any event type) to a stream of "
            "protobuf messages, each prefixed with its varint length (the framing of protobuf's "
            "writeDelimitedTo / parseDelimitedFrom). " + _SESSION_JSON + " Output: by default one "
            "realtime.bridge.v1.SessionRecord per line (the event in server_event or client_event, and the "
            "envelope's received_unix_nano, unset for a plain line); with --server / --client, bare "
            "ServerEvent / ClientEvent messages, as before session logs. Every server and client event type "
            "of the beta and GA protocols is typed; unknown types and keys are carried losslessly. "
            + _JSON_INPUT
            + " A line that does not convert is rejected with its line number and the run goes on."
        ),
        example="rtbridge decode session.jsonl -o session.bin --rejects rejects.jsonl",
        run="jsonl_to_delimited",
        output="binary",
        done="converted",
        jobs=True,
    ),
    _Command(
        name="encode",
        summary="length-delimited protobuf stream -> JSON Lines log",
        description=(
            "Convert a length-delimited protobuf stream back to JSON Lines, one compact event per line. By "
            "default it reads any stream 'rtbridge decode' writes: realtime.bridge.v1.SessionRecord messages "
            "(a record with a time becomes a session envelope, one without the plain event) and bare "
            "ServerEvent or ClientEvent messages (routed by their type), so that decode then encode gives "
            "the log back. --server / --client: every message is a bare ServerEvent / ClientEvent. A frame "
            "that does not parse is rejected with its byte offset and the run goes on; a truncated stream is "
            "reported at the offset where it breaks."
        ),
        example="rtbridge encode session.bin -o session.jsonl",
        run="delimited_to_jsonl",
        output="text",
        done="converted",
        jobs=True,
    ),
    _Command(
        name="validate",
        summary="check every line of a JSON Lines log, writing nothing",
        description=(
            "Check that every line of a JSON Lines log converts, as 'rtbridge decode' would. "
            + _SESSION_JSON
            + " Every violation of every line is printed on stdout as "
            "'line N: JSON_PATH: MESSAGE'. " + _JSON_INPUT
        ),
        example="rtbridge validate --strict session.jsonl",
        run="validate_jsonl",
        output=None,
        done="valid",
        jobs=True,
    ),
)


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``rtbridge`` with ``argv`` (default ``sys.argv[1:]``); return the exit status."""
    argv = sys.argv[1:] if argv is None else list(argv)
    try:
        args = _parser(serve_options=_command_name(argv) == "serve").parse_args(argv)
        status: int = args.handler(args)  # (argparse's Namespace holds the command's handler as Any)
        return status
    except _UsageError as error:
        _error(str(error))
        return EXIT_USAGE
    except BrokenPipeError:
        # The reader went away (``rtbridge encode log.bin | head``): stop quietly, as a Unix tool
        # that SIGPIPE ends, and keep the interpreter from failing again when it flushes stdout.
        _discard_stdout()
        return EXIT_BROKEN_PIPE
    except KeyboardInterrupt:
        _flush_stdout()
        with contextlib.suppress(OSError, ValueError):
            print(f"{_PROG}: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except _Stopped as stopped:
        _flush_stdout()
        with contextlib.suppress(OSError, ValueError):
            print(f"{_PROG}: stopped by {signal.Signals(stopped.signum).name}", file=sys.stderr)
        return 128 + stopped.signum
    except OSError as error:  # a read or write that failed during the run: disk full, I/O error
        _flush_stdout()
        where = f"{error.filename!r}: " if error.filename else ""
        _error(f"{where}{error.strerror or error}")
        return EXIT_USAGE


def _error(message: str) -> None:
    with contextlib.suppress(OSError, ValueError):
        print(f"{_PROG}: error: {message}", file=sys.stderr)


def _flush_stdout() -> None:
    """Flush what was written to stdout, or drop it if stdout cannot take it (a pipeline that Ctrl-C
    also ended), so that the interpreter does not fail on it at exit."""
    try:
        sys.stdout.flush()
    except (OSError, ValueError):
        _discard_stdout()


def _discard_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):
        pass


def _command_name(argv: Sequence[str]) -> str | None:
    """The subcommand ``argv`` names: its first argument that is not an option (``rtbridge`` itself
    has no option that takes a value)."""
    return next((arg for arg in argv if not arg.startswith("-")), None)


# ---------------------------------------------------------------------------------------- parsing


def _parser(*, serve_options: bool = True) -> argparse.ArgumentParser:
    """The argument parser; the options of ``serve`` (which import gRPC) only if ``serve_options``."""
    parser = argparse.ArgumentParser(
        prog=_PROG,
        description=(
            "Convert OpenAI Realtime event logs (server events, client events, or whole sessions) between "
            "JSON Lines and length-delimited protobuf, "
            "or serve the bridge over gRPC, or a local stand-in of the Realtime API that plays a session log. "
            "INPUT and OUTPUT may be '-' for stdin and stdout."
        ),
        epilog=_EXIT_CODES + "\nRun 'rtbridge COMMAND --help' for the options of each command.",
        formatter_class=_HelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {bridge.__version__}")
    commands = parser.add_subparsers(title="commands", dest="command", metavar="COMMAND", required=True)
    for command in _COMMANDS:
        _add_batch_command(commands, command)
    _add_serve(commands, with_options=serve_options)
    _add_replay(commands)
    return parser


def _add_batch_command(commands: argparse._SubParsersAction[argparse.ArgumentParser], command: _Command) -> None:
    parser = commands.add_parser(
        command.name,
        help=command.summary,
        description=command.description,
        epilog=f"example:\n  {command.example}\n\n{_EXIT_CODES}",
        formatter_class=_HelpFormatter,
    )
    parser.add_argument("input", metavar="INPUT", help="the log to read, or '-' for stdin")
    if command.output is not None:
        parser.add_argument("-o", "--output", default=_STDIO, metavar="OUTPUT", help="where to write, or '-' for stdout (default)")
        parser.add_argument("--rejects", metavar="FILE", help=_REJECTS_HELP)
    parser.add_argument(
        "--strict",
        action="store_true",
        help="also reject unknown keys, unknown enum values and values outside the documented limits",
    )
    direction = parser.add_mutually_exclusive_group()
    reads = "every message is a bare" if command.output == "text" else "every line is a"
    for flag, kind, name in (("--server", "event", "ServerEvent"), ("--client", "client_event", "ClientEvent")):
        side = flag.removeprefix("--")
        written = f", written as bare {name} messages" if command.output == "binary" else ""
        help_text = f"{reads} {side} event{written}" if command.output != "text" else f"{reads} {name}"
        direction.add_argument(flag, dest="kind", action="store_const", const=kind, help=help_text)
    if command.jobs:
        parser.add_argument(
            "-j",
            "--jobs",
            type=_jobs,
            default=1,
            metavar="N",
            help="convert a file's records in N processes, with the same output, rejects and summary (0: one "
            "per core; default 1; a pipe or a file under 4 MiB is read by one)",
        )
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress bar and no summary on stderr")
    parser.set_defaults(handler=_run_batch, command_spec=command, kind="session")


def _jobs(text: str) -> int:
    """``--jobs``: a number of processes; 0 for one per core this process may run on."""
    if not (text.isascii() and text.isdigit()):
        raise argparse.ArgumentTypeError(f"expected a number of processes, not {text!r}")
    if int(text):
        return int(text)
    affinity = getattr(os, "sched_getaffinity", None)
    return len(affinity(0)) if affinity is not None else os.cpu_count() or 1


def _add_serve(commands: argparse._SubParsersAction[argparse.ArgumentParser], *, with_options: bool) -> None:
    summary = "serve the bridge over gRPC"
    if not with_options:  # another command runs: leave gRPC unimported
        commands.add_parser("serve", help=summary)
        return
    try:
        server = importlib.import_module("bridge.service._command")  # imported here: only serve needs gRPC
    except ImportError as error:
        parser = commands.add_parser("serve", help=f"{summary} (unavailable in this installation)")
        parser.set_defaults(handler=_unavailable(f"serve is unavailable: {error}"))
        return
    parser = commands.add_parser(
        "serve",
        help=summary,
        description=(server.__doc__ or summary).strip(),
        epilog=_SERVE_EXIT_CODES,
        formatter_class=_HelpFormatter,
    )
    server.add_arguments(parser)
    parser.set_defaults(handler=server.run)


def _add_replay(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    summary = "serve a local Realtime stand-in that plays a session log"
    parser = commands.add_parser(
        "replay",
        help=summary,
        description=(
            "Serve a WebSocket at ws://HOST:PORT/v1/realtime that stands in for the Realtime API: it checks the "
            "handshake as the API does (the path; a model, call_id or intent=transcription query; an "
            "'Authorization: Bearer' credential; no OpenAI-Beta header), then plays LOG to each connection: on "
            "connect the server events recorded before the first client event, and after the n-th client event "
            "it receives, those recorded after the n-th one, at their recorded delay from it. It prints the URL it "
            "listens on, one line on stdout, and serves until SIGTERM or SIGINT."
        ),
        epilog=_REPLAY_FAULTS + "\n" + _REPLAY_EXIT_CODES,
        formatter_class=_HelpFormatter,
    )
    parser.add_argument(
        "log",
        metavar="LOG",
        help="a session log (JSON Lines or length-delimited SessionRecords), or the name of a shipped recording",
    )
    parser.add_argument("--port", type=int, required=True, help="the port to listen on (0: any free port)")
    parser.add_argument("--host", default="127.0.0.1", help="the address to listen on (default 127.0.0.1)")
    parser.add_argument("--fast", action="store_true", help="send each event at once, not at its recorded delay")
    key = parser.add_mutually_exclusive_group()
    key.add_argument("--key-env", metavar="NAME", help="accept only the key in this environment variable")
    key.add_argument("--key-file", metavar="FILE", help="accept only the key in this file")
    parser.add_argument(
        "--auth",
        choices=("bearer", "api-key"),
        default="bearer",
        help="where the key goes: 'Authorization: Bearer KEY' (default) or 'api-key: KEY' (Azure)",
    )
    parser.add_argument("--fault", action="append", default=[], metavar="FAULT", help="inject a fault (see below)")
    parser.add_argument("--close-at-end", type=int, metavar="CODE", help="close with CODE once the script is played")
    parser.add_argument(
        "--strict-script",
        action="store_true",
        help="close with 1008 when a client event is not the one the script has next (else it is logged)",
    )
    parser.set_defaults(handler=_run_replay)


def _unavailable(message: str) -> Callable[[argparse.Namespace], int]:
    def handler(_args: argparse.Namespace) -> int:
        raise _UsageError(message)

    return handler


# ----------------------------------------------------------------------------------------- replay


def _run_replay(args: argparse.Namespace) -> int:
    import asyncio
    import logging

    from bridge.relay import standin

    if not 0 <= args.port <= 65535:
        raise _UsageError(f"the port must be 0-65535, not {args.port}")
    try:
        replay = standin.Replay(
            args.log,
            host=args.host,
            port=args.port,
            key=_replay_key(args),
            auth=args.auth,
            fast=args.fast,
            faults=args.fault,
            close_at_end=args.close_at_end,
            strict_script=args.strict_script,
            keep_frames=False,  # nobody reads them, and it serves for as long as it is left running
        )
    except ValueError as error:  # a bad log (standin.ScriptError), fault or close code
        raise _UsageError(str(error)) from None
    except OSError as error:
        raise _UsageError(f"cannot read {args.log!r}: {error.strerror or error}") from None
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        asyncio.run(_replay_until_stopped(replay))
    except OSError as error:
        _error(f"cannot listen on {args.host}:{args.port}: {error.strerror or error}")
        return EXIT_REJECTED
    return EXIT_OK


def _replay_key(args: argparse.Namespace) -> str | None:
    """The key ``--key-env`` or ``--key-file`` names (never echoed in an error)."""
    if args.key_env:
        key = os.environ.get(args.key_env, "").strip()
        if not key:
            raise _UsageError(f"the environment variable {args.key_env} is unset or empty")
        return key
    if args.key_file:
        try:
            with open(args.key_file, encoding="utf-8") as file:
                key = file.read().strip()
        except (OSError, UnicodeDecodeError) as error:
            raise _UsageError(f"cannot read the key file {args.key_file!r}: {getattr(error, 'strerror', None) or error}") from None
        if not key:
            raise _UsageError(f"the key file {args.key_file!r} is empty")
        return key
    return None


async def _replay_until_stopped(replay: standin.Replay) -> None:
    """Serve ``replay`` until SIGTERM or SIGINT, after printing its URL on stdout."""
    import asyncio

    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    try:
        async with replay:
            print(replay.url, flush=True)
            await stop.wait()
    finally:
        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.remove_signal_handler(signum)


# -------------------------------------------------------------------------------------- batch run


def _run_batch(args: argparse.Namespace) -> int:
    with _stopping_on_signals():  # before any output file exists, until none is pending
        return _run_batch_command(args)


def _run_batch_command(args: argparse.Namespace) -> int:
    from bridge import batch

    command: _Command = args.command_spec
    output = getattr(args, "output", None)  # validate has neither -o nor --rejects
    rejects_path = getattr(args, "rejects", None)
    for path in (output, rejects_path):
        _refuse_same_file(args.input, path, f"{path!r} is the input file; it would be overwritten")
    if rejects_path == _STDIO and output == _STDIO:
        raise _UsageError("the output and the rejects cannot both go to stdout")
    if not _is_special(rejects_path):
        _refuse_same_file(output, rejects_path, f"{rejects_path!r} is both the output and the rejects file")
    if command.output == "binary" and output == _STDIO and sys.stdout.isatty():
        raise _UsageError("refusing to write binary data to a terminal; use -o FILE or a pipe")

    with contextlib.ExitStack() as stack:
        src = _open_input(args.input, stack)
        pending: list[_PendingFile] = []
        files = [src] if output is None else [src, _open_output(output, stack, pending)]
        rejects = _open_output(rejects_path, stack, pending) if rejects_path else None
        progress = _Progress.on_stderr(src) if not args.quiet and sys.stderr.isatty() else None
        if progress is not None:
            stack.callback(progress.clear)  # also when the run fails or is interrupted
        options: dict[str, object] = {"jobs": args.jobs} if command.jobs else {}
        on_reject: Callable[[batch.Rejection], None]
        if command.output is None:
            on_reject = _print_to(sys.stdout, progress)
            options["on_drift"] = _print_to(sys.stdout, progress)  # listed, not rejected
        elif rejects is not None:
            on_reject = _write_json_line(rejects)
        else:
            on_reject = _print_to(sys.stderr, progress)
        started = time.perf_counter()
        try:
            stats = getattr(batch, command.run)(
                *files, strict=args.strict, on_reject=on_reject, on_progress=progress, kind=args.kind, **options
            )
        except batch.InputFormatError as error:
            raise _UsageError(_wrong_format(args.input, error)) from None
        elapsed = time.perf_counter() - started
        for file in pending:
            file.commit()
    if not args.quiet:
        print(_summary(command, stats, elapsed, rejects_path), file=sys.stderr)
    return EXIT_REJECTED if stats.rejected else EXIT_OK


#: The names of bridge.batch's formats (JSONL, DELIMITED, TEXT, BINARY).
_FORMAT_NAMES = {
    "jsonl": "JSON Lines",
    "delimited": "length-delimited protobuf",
    "text": "plain text",
    "binary": "binary data",
}
#: What to suggest for input in a format that another command reads.
_FORMAT_HINTS = {"delimited": "did you mean 'rtbridge encode'?", "jsonl": "did you mean 'rtbridge decode'?"}


def _wrong_format(input_path: str, error: batch.InputFormatError) -> str:
    from bridge import batch

    where = "the input" if input_path == _STDIO else repr(input_path)
    rejected = error.stats.rejected
    unit = ("line" if error.expected == batch.JSONL else "frame") + ("" if rejected == 1 else "s")
    message = f"{where} looks like {_FORMAT_NAMES[error.found]}, not {_FORMAT_NAMES[error.expected]}"
    hint = _FORMAT_HINTS.get(error.found, f"stopped after {rejected} rejected {unit} and none converted")
    return f"{message}; {hint}"


def _refuse_same_file(first: str | None, second: str | None, message: str) -> None:
    if first and second and _STDIO not in (first, second) and _same_file(first, second):
        raise _UsageError(message)


def _same_file(a: str, b: str) -> bool:
    """Whether paths ``a`` and ``b`` name one file: the same file if both exist (whatever the
    spelling, symbolic or hard links), else the same path once symbolic links are resolved."""
    try:
        return os.path.samefile(a, b)
    except OSError:  # one of them does not exist (yet)
        return os.path.realpath(a) == os.path.realpath(b)


def _is_special(path: str | None) -> bool:
    """Whether ``path`` is an existing file that is not a regular one (``/dev/null``, a FIFO)."""
    try:
        return path not in (None, _STDIO) and not stat.S_ISREG(os.stat(path).st_mode)
    except OSError:
        return False


def _open_input(path: str, stack: contextlib.ExitStack) -> BinaryIO:
    if path == _STDIO:
        return sys.stdin.buffer
    try:
        return stack.enter_context(open(path, "rb", buffering=_IO_BUFFER))
    except OSError as error:
        raise _UsageError(f"cannot read {path!r}: {error.strerror or error}") from None


def _open_output(path: str, stack: contextlib.ExitStack, pending: list[_PendingFile]) -> BinaryIO:
    """``path`` opened for writing. A regular file is written under a temporary name and appended
    to ``pending``: :meth:`_PendingFile.commit` puts it in place; if the run ends otherwise, it is
    removed and whatever file ``path`` was stays as it was."""
    if path == _STDIO:
        stack.push(_flush_after_success)
        return sys.stdout.buffer
    try:
        file = _PendingFile.create(path)
        if file is None:  # a device or a FIFO, or a file in a directory we cannot write to
            return stack.enter_context(open(path, "wb", buffering=_IO_BUFFER))
    except OSError as error:
        raise _UsageError(f"cannot write {path!r}: {error.strerror or error}") from None
    pending.append(stack.enter_context(file))
    return file.stream


def _flush_after_success(exc_type: type[BaseException] | None, *_exc: object) -> None:
    """Flush stdout at the end of a run; after a failure, :func:`main` does (so that a broken pipe
    while flushing does not hide what ended the run, such as Ctrl-C)."""
    if exc_type is None:
        sys.stdout.buffer.flush()


class _PendingFile:
    """An output written beside its destination under a temporary name and renamed over it by
    :meth:`commit`, so that no half-written file is left looking complete. Unless committed, it is
    deleted on leaving the ``with`` block."""

    def __init__(self, path: str, target: str, temporary: str, stream: BinaryIO) -> None:
        self.path = path
        self.stream = stream
        self._target = target
        self._temporary = temporary
        self._committed = False

    @classmethod
    def create(cls, path: str) -> _PendingFile | None:
        """A pending file for ``path``, or ``None`` if ``path`` is to be written in place: an
        existing file that is not a regular file, or one whose directory is not writable."""
        target = os.path.realpath(path)  # replace a symbolic link's target, not the link
        try:
            info: os.stat_result | None = os.stat(target)
        except FileNotFoundError:
            info = None
        if info is not None and not stat.S_ISREG(info.st_mode):
            return None
        directory, name = os.path.split(target)
        import tempfile

        try:
            fd, temporary = tempfile.mkstemp(prefix=f".{name}.", suffix=".part", dir=directory)
        except PermissionError:
            if info is not None:
                return None
            raise
        mode = stat.S_IMODE(info.st_mode) if info is not None else 0o666 & ~_umask()
        try:
            os.fchmod(fd, mode)  # the mode a new file gets, or the mode the file had
            stream = open(fd, "wb", buffering=_IO_BUFFER)  # noqa: SIM115 - the object returned closes it
        except BaseException:
            os.close(fd)
            os.unlink(temporary)
            raise
        return cls(path, target, temporary, stream)

    def commit(self) -> None:
        """Finish writing and put the file in place."""
        try:
            self.stream.close()
            os.replace(self._temporary, self._target)
        except OSError as error:
            raise _UsageError(f"cannot write {self.path!r}: {error.strerror or error}") from None
        self._committed = True

    def __enter__(self) -> _PendingFile:
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self._committed:
            return
        with contextlib.suppress(OSError, ValueError):
            self.stream.close()
        with contextlib.suppress(OSError):
            os.unlink(self._temporary)


def _umask() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return umask


def _print_to(stream: TextIO, progress: _Progress | None) -> Callable[[object], None]:
    """Print each report (a rejection, or a drift notice) in its own words."""

    def report(rejection: object) -> None:
        if progress is not None:
            progress.clear()
        print(rejection, file=stream)

    return report


def _write_json_line(stream: BinaryIO) -> Callable[[batch.Rejection], None]:
    def report(rejection: batch.Rejection) -> None:
        stream.write(rejection.to_json())
        stream.write(b"\n")

    return report


def _summary(command: _Command, stats: batch.Stats, elapsed: float, rejects_path: str | None) -> str:
    events = f"{stats.converted:,} event{'' if stats.converted == 1 else 's'} {command.done}"
    if stats.drifted:
        events += f" ({stats.drifted:,} carrying what the schema does not type)"
    rejected = f"{stats.rejected:,} rejected"
    if stats.rejected and rejects_path:
        rejected += f" (see {rejects_path})"
    megabytes = stats.bytes_in / 1e6
    rate = megabytes / max(elapsed, 1e-6)
    return f"{_PROG} {command.name}: {events}, {rejected}; {megabytes:.1f} MB in {elapsed:.2f} s ({rate:.1f} MB/s)"


class _Progress:
    """A one-line progress bar on a terminal, redrawn at most ten times a second."""

    _INTERVAL = 0.1

    def __init__(self, stream: TextIO, total: int | None) -> None:
        self._stream = stream
        self._total = total
        self._next_draw = 0.0
        self._shown = False

    @classmethod
    def on_stderr(cls, src: BinaryIO) -> _Progress:
        """A bar on stderr, with a percentage when ``src`` is a regular file of known size."""
        try:
            info = os.fstat(src.fileno())
            total = info.st_size if stat.S_ISREG(info.st_mode) and info.st_size else None
        except (OSError, ValueError, AttributeError):
            total = None
        return cls(sys.stderr, total)

    def __call__(self, stats: batch.Stats) -> None:
        now = time.monotonic()
        if now < self._next_draw:
            return
        self._next_draw = now + self._INTERVAL
        import shutil

        width = shutil.get_terminal_size().columns - 1
        self._stream.write("\r" + self._render(stats, width)[:width] + "\x1b[K")
        self._stream.flush()
        self._shown = True

    def clear(self) -> None:
        """Erase the bar (before other output, and at the end)."""
        if self._shown:
            self._stream.write("\r\x1b[K")
            self._stream.flush()
            self._shown = False

    def _render(self, stats: batch.Stats, width: int) -> str:
        counts = f"{stats.bytes_in / 1e6:.1f} MB  {stats.converted:,} events  {stats.rejected:,} rejected"
        if self._total is None:
            return counts
        fraction = min(stats.bytes_in / self._total, 1.0)
        bar_width = max(10, min(40, width - len(counts) - 10))
        filled = int(fraction * bar_width)
        return f"[{'#' * filled}{'.' * (bar_width - filled)}] {fraction:4.0%}  {counts}"
