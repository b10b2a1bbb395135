"""Coverage-guided differential fuzzing of the compiled paths against the pure-Python path (atheris).

Every input runs one public function twice in this process: as the library runs it (each name
``bridge.convert.FRONTED`` lists taken by its compiled front: ``bridge._decoder`` in front of the
decode functions and its one-pass writer in front of ``json_to_binary``, ``bridge._speedups`` in
front of ``binary_to_json`` and of the protobuf writer ``json_to_binary`` ends with), then with
every accelerator taken out (each of those names given back to its pure twin, ``__wrapped__``, as
``tests/_pure.py`` does). The two must agree exactly:

- both return: the same bytes (the converters), or Structs of the same classes holding the same
  values of the same types and encoding to the same JSON (the decoders);
- or both raise ``bridge.ValidationError`` with equal ``violations``.

Anything else, including the same non-``ValidationError`` exception from both, is a failure (an
``AssertionError`` naming the target and both outcomes), which atheris reports as a crash.

The first byte of an input picks what is run; the rest is the document::

    target = data[0] % 22      (TARGETS below: function, kind, strict)
    form   = data[0] // 22 % 5 (FORMS below: bytes, str, bytearray, memoryview, strided memoryview)

Every stored input (fuzz/corpus, fuzz/regressions) is named ``<label>--<what it is>``, its label
(``label``: the target's name, and the form unless it is bytes) saying what its first byte selects;
tests/test_atheris.py checks that they agree. A change to TARGETS or FORMS changes what a byte
selects: the stored inputs are then re-keyed (fuzz/make_corpus.py, ``rekey``), keeping each on
the target and form it ran on before.

Usage (see fuzz/README.md)::

    python fuzz/harness.py -atheris_runs=1000000 /tmp/rtbridge-corpus fuzz/corpus fuzz/regressions
    python fuzz/harness.py fuzz/regressions/some-input     # one input through the fuzzer's target
    python fuzz/harness.py --replay FILE...                # the same without atheris: prints outcomes
    python fuzz/harness.py --minimize FAILING-INPUT OUTPUT # a smaller input failing the same way
"""

from __future__ import annotations

import contextlib
import ctypes
import hashlib
import os
import struct
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, NamedTuple

import msgspec

import bridge
from bridge import convert, session

HERE = Path(__file__).resolve().parent
CORPUS = HERE / "corpus"
REGRESSIONS = HERE / "regressions"


class Target(NamedTuple):
    name: str
    #: "decode_event", "decode_client_event", "decode_response", "json_to_binary", "binary_to_json",
    #: or bridge.session's "session_record_to_binary" / "session_record_to_json" (one record of a log)
    function: str
    kind: str  # "event", "client_event", "response", or "session" (a session-log record)
    strict: bool

    @property
    def binary_input(self) -> bool:
        return self.function in ("binary_to_json", "session_record_to_json")

    @property
    def module(self) -> Any:
        """Where the function is: bridge.session for the session-log records, else bridge.convert."""
        return session if self.kind == "session" else convert


TARGETS: tuple[Target, ...] = tuple(
    Target(f"{function}-{kind}-{'strict' if strict else 'lenient'}", function, kind, strict)
    for function, kinds in (
        ("decode_event", ("event",)),
        ("decode_client_event", ("client_event",)),
        ("decode_response", ("response",)),
        ("json_to_binary", ("event", "client_event", "response")),
        ("binary_to_json", ("event", "client_event", "response")),
        ("session_record_to_binary", ("session",)),
        ("session_record_to_json", ("session",)),
    )
    for kind in kinds
    for strict in (False, True)
)
assert len(TARGETS) == 22

FORMS = ("bytes", "str", "bytearray", "memoryview", "strided-memoryview")
assert len(TARGETS) * len(FORMS) <= 256, "the selector must fit in the first byte"


def selector(target: Target | str, form: str = "bytes") -> int:
    """The first byte that selects ``target`` (a Target or its name) with ``form``."""
    name = target if isinstance(target, str) else target.name
    index = next(i for i, t in enumerate(TARGETS) if t.name == name)
    return index + len(TARGETS) * FORMS.index(form)


def split(data: bytes) -> tuple[Target, str, bytes]:
    """The target, the input form and the document an input stands for."""
    if not data:
        return TARGETS[0], "bytes", b""
    target = TARGETS[data[0] % len(TARGETS)]
    form = FORMS[data[0] // len(TARGETS) % len(FORMS)]
    return target, form, bytes(data[1:])


def label(target: Target, form: str) -> str:
    """What a stored input's name starts with (before ``--``): the target's name, and the form
    unless it is bytes (``json_to_binary-event-strict-memoryview``)."""
    return target.name if form == "bytes" else f"{target.name}-{form}"


def _argument(form: str, payload: bytes, target: Target) -> Any:
    """The document in the form the public function is given (every form it documents)."""
    if form == "str":
        if target.binary_input:  # binary_to_json takes bytes-like objects only
            return payload
        try:
            return payload.decode("utf-8", "surrogatepass")  # may hold lone surrogates
        except UnicodeDecodeError:
            return payload.decode("utf-8", "surrogateescape")  # invalid bytes as lone surrogates
    if form == "bytearray":
        return bytearray(payload)
    if form == "memoryview":
        return memoryview(payload)
    if form == "strided-memoryview":  # a non-contiguous buffer holding the same bytes
        doubled = bytearray(len(payload) * 2)
        doubled[::2] = payload
        return memoryview(doubled)[::2]
    return payload


# ------------------------------------------------------------------------------------ the two paths


def _extensions() -> tuple[Any, Any]:
    """bridge._speedups and bridge._decoder. Without them the comparison would be the pure path
    against itself: refuse (as tests/test_speedups.py does, a missing build is a failure)."""
    try:
        from bridge import _decoder, _speedups
    except ImportError as error:
        raise RuntimeError(
            f"the fuzz harness compares the compiled paths with the pure one, but they are not built ({error}):"
            " build them with `pip install -e .`"
        ) from None
    return _speedups, _decoder


_speedups, _decoder = _extensions()
#: Each name bridge.convert.FRONTED lists -> its pure twin, and its compiled front: the library's own
#: when it is in use, or made as bridge.convert makes it (RTBRIDGE_PURE_PYTHON=1).
_PURE = {name: getattr(getattr(convert, name), "__wrapped__", getattr(convert, name)) for name in convert.FRONTED}
if all(hasattr(getattr(convert, name), "__wrapped__") for name in convert.FRONTED):
    _COMPILED = {name: getattr(convert, name) for name in convert.FRONTED}
else:
    _COMPILED = dict(zip(("decode_event", "decode_client_event", "decode_response"), _decoder.in_front_of(
        _PURE["decode_event"], _PURE["decode_client_event"], _PURE["decode_response"]), strict=True))
    _COMPILED["binary_to_json"] = _speedups.in_front_of(_PURE["binary_to_json"])
    _COMPILED["_write_binary"] = _speedups.writer_in_front_of(_PURE["_write_binary"])
    _COMPILED["json_to_binary"] = _decoder.fused_in_front_of(_PURE["json_to_binary"])

#: What the library runs, whatever RTBRIDGE_PURE_PYTHON says: every compiled front under its name in
#: ``bridge.convert`` (where json_to_binary finds its decoder and its writer).
_COMPILED_PATH = {(convert, name): function for name, function in _COMPILED.items()}
#: The pure path: the pure twins under the same names (what tests/_pure.py gives the tests).
_PURE_PATH = {(convert, name): function for name, function in _PURE.items()}
# bridge.session calls the two converters by the names it imported: wired the same way there.
for _name in ("json_to_binary", "binary_to_json"):
    _COMPILED_PATH[(session, _name)] = _COMPILED[_name]
    _PURE_PATH[(session, _name)] = _PURE[_name]


@contextlib.contextmanager
def _path(settings: dict[tuple[Any, str], Any]) -> Iterator[None]:
    """The library wired one way for the duration (single-threaded use only), then as it was."""
    saved = {place: getattr(*place) for place in settings}
    for (module, name), value in settings.items():
        setattr(module, name, value)
    try:
        yield
    finally:
        for (module, name), value in saved.items():
            setattr(module, name, value)


def _outcome(call: Callable[[], Any]) -> tuple[Any, ...]:
    try:
        return ("ok", call())
    except bridge.ValidationError as error:
        return ("invalid", type(error), error.violations)
    except Exception as error:  # noqa: BLE001 - reported, never accepted
        return ("raised", type(error), str(error))


def run(target: Target, form: str, payload: bytes) -> tuple[tuple[Any, ...], tuple[Any, ...]]:
    """(compiled outcome, pure outcome) of one target on one document."""
    kwargs: dict[str, Any] = {"strict": target.strict}
    if target.function in ("json_to_binary", "binary_to_json"):
        kwargs["kind"] = target.kind
    outcomes = []
    for compiled in (True, False):
        with _path(_COMPILED_PATH if compiled else _PURE_PATH):
            function = getattr(target.module, target.function)  # (as the path has it)
            outcomes.append(_outcome(lambda: function(_argument(form, payload, target), **kwargs)))
    return outcomes[0], outcomes[1]


# ------------------------------------------------------------------------------------ the verdict


class Discrepancy(AssertionError):
    """The compiled and pure paths disagree, or one raised something other than ValidationError."""


def _layout(text: str) -> tuple[int, ...]:
    """How CPython stores a str: (kind, compact, ascii) from its ``state`` bit field (CPython 3.10+:
    after refcount, type, length and hash). Not its ``sys.getsizeof``: that counts a UTF-8 copy
    cached on the object, which a process-wide shared str (the one-character Latin-1 ones) may carry
    or not depending on what ran before."""
    if sys.implementation.name != "cpython":
        return ()
    state = ctypes.c_uint32.from_address(id(text) + 4 * ctypes.sizeof(ctypes.c_ssize_t)).value
    return (state >> 2) & 7, (state >> 5) & 1, (state >> 6) & 1


def _canonical_layout(text: str) -> tuple[int, ...]:
    """The layout CPython's own decoder gives ``text``: compact, in the narrowest kind."""
    if sys.implementation.name != "cpython":
        return ()
    widest = max(map(ord, text), default=0)
    return (1 if widest < 0x100 else 2 if widest < 0x10000 else 4), 1, int(widest < 0x80)


def _qualified(cls: type) -> str:
    return cls.__qualname__ if cls.__module__ == "builtins" else f"{cls.__module__}.{cls.__qualname__}"


def _differences(got: Any, expected: Any, path: str = "$") -> Iterator[str]:
    """Where two decoded values differ: class, field, item, key, or (for floats) a bit; every str
    is also in the canonical form CPython's own decoder makes (the same size)."""
    if type(got) is not type(expected):  # (qualified: strict mode's twins share the models' names)
        yield f"{path}: {_qualified(type(got))} vs {_qualified(type(expected))}"
    elif isinstance(got, msgspec.Struct):  # (``==`` alone would let 1 == 1.0 == True pass)
        for name in got.__struct_fields__:
            yield from _differences(getattr(got, name), getattr(expected, name), f"{path}.{name}")
    elif isinstance(got, list):
        if len(got) != len(expected):
            yield f"{path}: {len(got)} items vs {len(expected)}"
        for i, (a, b) in enumerate(zip(got, expected)):
            yield from _differences(a, b, f"{path}[{i}]")
    elif isinstance(got, dict):
        if list(got) != list(expected):
            yield f"{path}: keys {list(got)!r} vs {list(expected)!r}"
        else:
            for (ka, va), (kb, vb) in zip(got.items(), expected.items()):
                yield from _differences(ka, kb, f"{path} key {ka!r}")
                yield from _differences(va, vb, f"{path}[{ka!r}]")
    elif isinstance(got, float):
        if struct.pack("<d", got) != struct.pack("<d", expected):
            yield f"{path}: {got!r} vs {expected!r}"
    elif isinstance(got, str):
        if got != expected or _layout(got) != _layout(expected) or _layout(got) != _canonical_layout(got):
            yield f"{path}: {got!r} (layout {_layout(got)}) vs {expected!r} (layout {_layout(expected)})"
    elif type(got) is bridge.Extra:
        if list(got) != list(expected) or any(bytes(got[k]) != bytes(expected[k]) for k in got):
            yield f"{path}: extra {dict(got)!r} vs {dict(expected)!r}"
    elif got != expected:
        yield f"{path}: {got!r} vs {expected!r}"


def verdict(target: Target, compiled: tuple[Any, ...], expected: tuple[Any, ...]) -> str | None:
    """None when the outcomes agree as required, else what is wrong."""
    for side, outcome in (("compiled", compiled), ("pure", expected)):
        if outcome[0] == "raised":
            return f"the {side} path raised {outcome[1].__module__}.{outcome[1].__qualname__}: {outcome[2]}"
        if outcome[0] == "invalid" and outcome[1] is not bridge.ValidationError:
            return f"the {side} path raised a {outcome[1].__qualname__}, not a bridge.ValidationError"
    if compiled[0] != expected[0]:
        return f"compiled {compiled[0]}, pure {expected[0]}"
    if compiled[0] == "invalid":
        return None if compiled[2] == expected[2] else "different violations"
    got, want = compiled[1], expected[1]
    if not target.function.startswith("decode_"):  # the converters and the session records: bytes
        if type(got) is not bytes or type(want) is not bytes:
            return f"results of type {type(got).__name__} / {type(want).__name__}, not bytes"
        return None if got == want else "different bytes"
    where = list(_differences(got, want))
    if not where and not (got == want and want == got):
        where.append("$: == is False")
    if not where and bridge.encode(got) != bridge.encode(want):
        where.append("$: bridge.encode differs")
    return None if not where else "different objects: " + "; ".join(where[:5])


def _show(outcome: tuple[Any, ...], limit: int = 600) -> str:
    if outcome[0] == "ok":
        value = outcome[1]
        text = repr(value) if isinstance(value, (bytes, bytearray)) else f"{type(value).__name__}: {value!r}"
    elif outcome[0] == "invalid":
        text = f"{outcome[1].__name__}{list(outcome[2])!r}"
    else:
        text = f"{outcome[1].__module__}.{outcome[1].__qualname__}({outcome[2]!r})"
    return text if len(text) <= limit else text[:limit] + f"... ({len(text)} chars)"


def signature(target: Target, form: str, problem: str) -> str:
    """A short name for a kind of failure: its input's ``label`` (target and form), ``--``, and the
    problem's first words (no values); a stored input's name starts the same way."""
    head = problem.split(":", 1)[0] if problem.startswith(("different", "the ")) else problem
    words = "".join(c if c.isalnum() or c in "._" else "-" for c in head.lower())
    return f"{label(target, form)}--" + "-".join(filter(None, words.split("-")))


#: RTBRIDGE_FUZZ_FINDINGS=DIR: collect instead of stop. Each new kind of failure (``signature``) is
#: written once to DIR, as ``<signature>-<sha1>``, and reported; the run goes on. For long runs
#: while known bugs are open (atheris cannot run libFuzzer's -fork mode); a failure is still a
#: failure: move the files to fuzz/regressions/.
FINDINGS = os.environ.get("RTBRIDGE_FUZZ_FINDINGS", "")
_seen: set[str] = set()


def check(data: bytes) -> None:
    """The fuzz target: raise Discrepancy unless the compiled and pure paths agree on ``data``."""
    target, form, payload = split(data)
    compiled, expected = run(target, form, payload)
    problem = verdict(target, compiled, expected)
    if problem is not None and FINDINGS:
        name = signature(target, form, problem)
        if name not in _seen:
            _seen.add(name)
            folder = Path(FINDINGS)
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / f"{name}-{hashlib.sha1(data).hexdigest()[:10]}"
            path.write_bytes(data)
            print(f"\nFINDING {path}: {problem}\n  compiled: {_show(compiled)}\n  pure:     {_show(expected)}",
                  file=sys.stderr, flush=True)
        return
    if problem is not None:
        raise Discrepancy(
            f"{target.name} ({form}) on {payload[:200]!r}{'...' if len(payload) > 200 else ''}: {problem}\n"
            f"  compiled: {_show(compiled)}\n  pure:     {_show(expected)}"
        )


def inputs(*folders: Path) -> list[Path]:
    """Every input file in ``folders`` (README.md and dotfiles are not inputs)."""
    return sorted(
        p for folder in folders for p in folder.iterdir() if p.is_file() and not p.name.startswith(".") and p.name != "README.md"
    )


# ------------------------------------------------------------------------------------------- main


def _replay(paths: list[str]) -> int:
    """Run inputs through the target without atheris; print each verdict. Exit 1 on a failure."""
    files = [f for p in map(Path, paths) for f in (inputs(p) if p.is_dir() else [p])]
    failed = 0
    for path in files:
        try:
            check(path.read_bytes())
        except Discrepancy as error:
            failed += 1
            print(f"FAIL {path}: {error}")
        else:
            target, form, _ = split(path.read_bytes())
            print(f"ok   {path} ({target.name}, {form})")
    print(f"{len(files) - failed} agreed, {failed} failed")
    return 1 if failed else 0


def _instrument(atheris: Any) -> None:
    """Coverage feedback from the pure path: every Python function of the bridge package (and this
    harness). Not ``atheris.instrument_all()``: that also patches the stdlib and protobuf's Python
    layer, 4 000+ functions, 20 s before the first input, for no useful signal. The Cython
    extensions are not instrumented (gcc builds them without libFuzzer's coverage hooks); the
    differential check is what watches them."""
    import gc
    import types

    roots = (str(Path(bridge.__file__).resolve().parent), str(HERE))
    for obj in gc.get_objects():
        if isinstance(obj, types.FunctionType) and obj.__code__.co_filename.startswith(roots):
            atheris.instrument_func(obj)


def _problem(data: bytes) -> str | None:
    target, form, payload = split(data)
    problem = verdict(target, *run(target, form, payload))
    return None if problem is None else signature(target, form, problem)


def minimize(data: bytes) -> bytes:
    """A smaller input with the same kind of failure (``signature``): chunks cut while it holds."""
    wanted = _problem(data)
    if wanted is None:
        raise ValueError("the input does not fail")
    size = len(data) // 2
    while size >= 1:
        i, cut = 1, False  # the selector byte stays
        while i < len(data):
            smaller = data[:i] + data[i + size :]
            if _problem(smaller) == wanted:
                data, cut = smaller, True
            else:
                i += size
        if not cut:
            size //= 2
    return data


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv if argv is None else argv)
    if len(argv) > 1 and argv[1] == "--replay":
        sys.exit(_replay(argv[2:]))
    if len(argv) == 4 and argv[1] == "--minimize":  # --minimize FAILING-INPUT OUTPUT
        smaller = minimize(Path(argv[2]).read_bytes())
        output = Path(argv[3])
        output.write_bytes(smaller)
        print(f"{len(smaller)} bytes: {smaller!r}")
        prefix = f"{label(*split(smaller)[:2])}--"
        if not output.name.startswith(prefix):
            print(f"a stored input's name starts with its target and form: name it {prefix}<what-it-shows>")
        return
    import atheris  # only the fuzzing run needs the engine

    _instrument(atheris)
    atheris.Setup(argv, check)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
