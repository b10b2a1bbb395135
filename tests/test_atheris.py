"""The coverage-guided differential fuzzer (fuzz/harness.py, atheris) as part of the suite.

- Every seed (fuzz/corpus/) and every input the fuzzer ever found (fuzz/regressions/, kept forever)
  replays in process through the harness's own check: the compiled paths must give exactly the
  pure path's result, or the same ``ValidationError`` violations. No fuzzing engine is needed.
- A short bounded fuzzing run (atheris, in a subprocess) from the seeds and the regressions must
  end without a failure: RTBRIDGE_ATHERIS_RUNS runs (default 100 000), at most
  RTBRIDGE_ATHERIS_SECONDS (default 60) seconds. With ``CI`` set the run is derandomized (a fixed
  seed), as the Hypothesis tests are. Longer runs: fuzz/README.md.
- The check itself is not vacuous: a compiled path that disagrees, or raises, is caught.
- Every stored input runs against the target and form it was stored for: its name says which
  (``<label>--...``), and its first byte must select exactly that. When TARGETS grow, the inputs
  are re-keyed (fuzz/make_corpus.py ``rekey``), which must keep every earlier byte's target and form.
"""

from __future__ import annotations

import base64
import importlib.util
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import bridge
from bridge import _accel

ROOT = Path(__file__).resolve().parent.parent
FUZZ = ROOT / "fuzz"
_CI = os.environ.get("CI", "").lower() not in ("", "0", "false")
RUNS = int(os.environ.get("RTBRIDGE_ATHERIS_RUNS", "100000"))
SECONDS = int(os.environ.get("RTBRIDGE_ATHERIS_SECONDS", "60"))


def _load(name: str, path: Path) -> Any:
    """A file of fuzz/ as a module (fuzz/ is not a package)."""
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def _load_harness() -> Any:
    """fuzz/harness.py. It refuses to load without the extensions built: that is a failure here,
    not a skip (the install builds them). Also as ``harness``, the name fuzz/make_corpus.py imports
    it by, so that both share one module."""
    module = _load("rtbridge_fuzz_harness", FUZZ / "harness.py")
    sys.modules.setdefault("harness", module)
    return module


harness = _load_harness()
make_corpus = _load("rtbridge_fuzz_make_corpus", FUZZ / "make_corpus.py")
INPUTS = harness.inputs(harness.CORPUS, harness.REGRESSIONS)


@pytest.fixture(autouse=True)
def _stop_at_failures(monkeypatch: pytest.MonkeyPatch) -> None:
    """RTBRIDGE_FUZZ_FINDINGS (collect and go on, for long runs) never applies to the suite."""
    monkeypatch.setattr(harness, "FINDINGS", "")


def test_there_are_seeds_and_regressions() -> None:
    assert len(harness.inputs(harness.CORPUS)) >= 50
    assert harness.inputs(harness.REGRESSIONS)
    # every target is seeded in the bytes form
    assert {harness.split(p.read_bytes())[:2] for p in INPUTS} >= {(t, "bytes") for t in harness.TARGETS}


@pytest.mark.parametrize("path", INPUTS, ids=[f"{p.parent.name}/{p.name}" for p in INPUTS])
def test_every_seed_and_every_regression_agrees(path: Path) -> None:
    harness.check(path.read_bytes())


# ------------------------------------------------------------ each input runs what it was stored for


def test_every_stored_input_selects_the_target_and_form_its_name_says() -> None:
    """Names were given by what the first byte selected when the input was stored (the corpus by
    make_corpus.py, the regressions re-keyed from the 12-target layout with their label put in
    front): a byte that selects anything else now is an input that silently changed target."""
    wrong = [
        f"{p.parent.name}/{p.name}: selects {harness.label(*harness.split(p.read_bytes())[:2])}"
        for p in INPUTS
        if p.name.partition("--")[0] != harness.label(*harness.split(p.read_bytes())[:2])
    ]
    assert not wrong, "\n".join(wrong)
    labels = {harness.label(t, f) for t in harness.TARGETS for f in harness.FORMS}
    assert all("--" in p.name and p.name.partition("--")[0] in labels for p in INPUTS)


def test_the_selector_fits_in_one_byte() -> None:
    assert len(harness.TARGETS) * len(harness.FORMS) <= 256
    assert len({t.name for t in harness.TARGETS}) == len(harness.TARGETS)
    for byte in range(len(harness.TARGETS) * len(harness.FORMS)):
        target, form, _ = harness.split(bytes([byte]))
        assert harness.selector(target, form) == byte


@pytest.mark.parametrize("layout", sorted(make_corpus.LAYOUTS))
def test_rekeying_keeps_every_byte_on_its_target_and_form(layout: str) -> None:
    old = make_corpus.LAYOUTS[layout]
    names = {t.name for t in harness.TARGETS}
    assert set(old) <= names and len(set(old)) == len(old)
    for byte in range(256):
        new = make_corpus.rekey(bytes([byte]) + b"{}", old)
        target, form, payload = harness.split(new)
        assert (target.name, form) == (old[byte % len(old)], harness.FORMS[byte // len(old) % len(harness.FORMS)])
        assert payload == b"{}"


def test_the_12_target_layout_is_what_the_harness_had_before_client_events() -> None:
    """The selector of the 12-target layout (``data[0] % 12``, ``data[0] // 12 % 5``) on the bytes
    the regressions were found with (their old names say what each found, and in which form)."""
    old = make_corpus.LAYOUTS["12"]
    assert old == tuple(t.name for t in harness.TARGETS if t.kind not in ("client_event", "session"))  # the order kept
    assert [old[b % 12] for b in (0, 2, 7, 8, 10)] == [
        "decode_event-event-lenient", "decode_response-response-lenient", "json_to_binary-response-strict",
        "binary_to_json-event-lenient", "binary_to_json-response-lenient"]


def test_rekeying_a_folder_renames_and_keeps_inputs_and_can_run_twice(tmp_path: Path) -> None:
    old = make_corpus.LAYOUTS["12"]
    memoryview_strict = bytes([old.index("json_to_binary-event-strict") + 12 * 3])  # old byte 41
    (tmp_path / "found-something").write_bytes(memoryview_strict + b'{"type":"a"}')
    (tmp_path / "binary_to_json-response-lenient--seed").write_bytes(bytes([10]) + b"\n\x00")
    current = tmp_path / "decode_client_event-client_event-strict--new"  # written for the new layout
    current.write_bytes(bytes([harness.selector("decode_client_event-client_event-strict")]) + b"{}")
    changed = make_corpus.rekey_folder(tmp_path, old)
    assert changed == [("binary_to_json-response-lenient--seed", "binary_to_json-response-lenient--seed"),
                       ("found-something", "json_to_binary-event-strict-memoryview--found-something")]
    assert harness.split((tmp_path / changed[1][1]).read_bytes()) == (
        harness.TARGETS[harness.selector("json_to_binary-event-strict") % len(harness.TARGETS)], "memoryview",
        b'{"type":"a"}')
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([changed[0][1], changed[1][1], current.name])
    assert make_corpus.rekey_folder(tmp_path, old) == []  # already re-keyed: left alone
    (tmp_path / "decode_event-event-strict--mislabelled").write_bytes(bytes([0]) + b"{}")  # byte 0: lenient
    with pytest.raises(ValueError, match="mislabelled"):
        make_corpus.rekey_folder(tmp_path, old)


# --------------------------------------------------------------------------- the check is not vacuous


def _input(target: str, payload: bytes, form: str = "bytes") -> bytes:
    return bytes([harness.selector(target, form)]) + payload


EVENT = b'{"type":"response.done","event_id":"e","response":{"id":"r","status":"completed"}}'
CLIENT_EVENT = b'{"type":"input_audio_buffer.append","event_id":"c","audio":"AAAA"}'


def _two_stage(document: bytes) -> bytes:
    """``document`` with its ``event_id`` / ``id`` key escaped: the same event, which the one-pass
    writer leaves to the two stages (an escaped known key), so that a fake stage is run."""
    return document.replace(b'"event_id"', b'"event\\u005fid"', 1).replace(b'{"id"', b'{"\\u0069d"', 1)


@pytest.mark.parametrize(
    ("place", "fake", "target", "payload"),
    [
        ((bridge.convert, "binary_to_json"), lambda data, kind="event", strict=False: b"{}", "binary_to_json-event-lenient",
         bridge.json_to_binary(EVENT)),
        ((bridge.convert, "_write_binary"), lambda obj: b"\x0a\x00", "json_to_binary-event-lenient", _two_stage(EVENT)),
        ((bridge.convert, "decode_event"), lambda data, strict=False: bridge.decode_event(b'{"type":"x"}'),
         "json_to_binary-event-strict", EVENT),
        ((bridge.convert, "decode_response"), lambda data, strict=False: bridge.RealtimeResponse(id="other"),
         "json_to_binary-response-lenient", _two_stage(b'{"id":"r"}')),
        ((bridge.convert, "binary_to_json"), lambda data, kind="event", strict=False: 1 / 0, "binary_to_json-response-lenient",
         b""),
        ((bridge.convert, "decode_client_event"), lambda data, strict=False: bridge.decode_client_event(CLIENT_EVENT[:-1] + b',"x":1}'),
         "json_to_binary-client_event-lenient", _two_stage(CLIENT_EVENT[:-1] + b',"y":2}')),
        ((bridge.convert, "json_to_binary"), lambda data, kind="event", strict=False: b"\x0a\x00",
         "json_to_binary-client_event-lenient", CLIENT_EVENT),
        ((bridge.convert, "decode_client_event"), lambda data, strict=False: bridge.decode_client_event(b'{"type":"x"}'),
         "decode_client_event-client_event-strict", CLIENT_EVENT),
        ((bridge.convert, "binary_to_json"), lambda data, kind="event", strict=False: b"{}",
         "binary_to_json-client_event-lenient", bridge.json_to_binary(CLIENT_EVENT, kind="client_event")),
    ],
    ids=["different-json", "different-bytes", "different-object-in-strict-mode", "different-response", "raises",
         "different-client-event", "different-one-pass-bytes", "different-client-event-in-strict-mode", "different-client-json"],
)
def test_a_compiled_path_that_disagrees_is_caught(
    monkeypatch: pytest.MonkeyPatch, place: tuple[Any, str], fake: Any, target: str, payload: bytes
) -> None:
    data = _input(target, payload)
    harness.check(data)  # the real one agrees
    monkeypatch.setitem(harness._COMPILED_PATH, place, fake)
    with pytest.raises(harness.Discrepancy):
        harness.check(data)


def test_a_decoder_that_returns_another_value_or_type_is_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    for wrong in (
        lambda data, strict=False: bridge.decode_event(EVENT.replace(b'"r"', b'"s"')),  # another value
        lambda data, strict=False: msgspec_copy_with_float(bridge.decode_event(EVENT)),  # 1 where 1.0 was
    ):
        monkeypatch.setitem(harness._COMPILED_PATH, (bridge.convert, "decode_event"), wrong)
        with pytest.raises(harness.Discrepancy):
            harness.check(_input("decode_event-event-lenient", EVENT.replace(b'"completed"}', b'"completed","temperature":1.0}')))


def test_a_client_decoder_that_returns_another_value_is_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    data = _input("decode_client_event-client_event-lenient", CLIENT_EVENT)
    harness.check(data)
    monkeypatch.setitem(harness._COMPILED_PATH, (bridge.convert, "decode_client_event"),
                        lambda data, strict=False: bridge.decode_client_event(CLIENT_EVENT.replace(b'"c"', b'"d"')))
    with pytest.raises(harness.Discrepancy, match="event_id"):
        harness.check(data)


def test_each_path_runs_its_own_functions() -> None:
    """Every name a compiled function takes in bridge.convert (the decoders, binary_to_json, the
    writer json_to_binary ends with) is the compiled front on the compiled path and its pure twin on
    the pure path, so that json_to_binary, which finds its stages by name, runs one path or the other."""
    decoders = {t.function for t in harness.TARGETS if t.function.startswith("decode_")}
    assert decoders == {"decode_event", "decode_client_event", "decode_response"}
    # bridge.session calls the converters by the names it imported: wired there too.
    assert set(harness._PURE_PATH) == set(harness._COMPILED_PATH) == {(bridge.convert, n) for n in bridge.convert.FRONTED} | {
        (bridge.session, "json_to_binary"), (bridge.session, "binary_to_json")}
    for name in bridge.convert.FRONTED:
        pure = harness._PURE_PATH[(bridge.convert, name)]
        compiled = harness._COMPILED_PATH[(bridge.convert, name)]
        assert compiled is not pure and compiled.__wrapped__ is pure
        assert not hasattr(pure, "__wrapped__")


def msgspec_copy_with_float(event: Any) -> Any:
    """The event with its response's temperature as the int 1 (equal to 1.0 under ``==``)."""
    import msgspec

    return msgspec.structs.replace(event, response=msgspec.structs.replace(event.response, temperature=1))


def test_the_same_non_validation_error_from_both_paths_is_a_failure(monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(data: Any, strict: bool = False) -> Any:
        raise KeyError("x")

    monkeypatch.setitem(harness._COMPILED_PATH, (bridge.convert, "decode_event"), boom)
    monkeypatch.setitem(harness._PURE_PATH, (bridge.convert, "decode_event"), boom)
    with pytest.raises(harness.Discrepancy, match="KeyError"):
        harness.check(_input("decode_event-event-lenient", EVENT))


# ------------------------------------------------------------------------------ the bounded fuzz run


def test_a_bounded_fuzzing_run_finds_nothing(tmp_path: Path) -> None:
    found, artifacts = tmp_path / "found", tmp_path / "artifacts"
    found.mkdir()
    artifacts.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("RTBRIDGE_FUZZ_FINDINGS", _accel.ENV_VAR)}
    command = [
        sys.executable,
        str(FUZZ / "harness.py"),
        f"-atheris_runs={RUNS}",
        f"-max_total_time={SECONDS}",
        "-max_len=8192",
        "-timeout=30",
        "-rss_limit_mb=4096",
        f"-dict={FUZZ / 'bridge.dict'}",
        f"-artifact_prefix={artifacts}/",
        *(["-seed=1"] if _CI else []),
        str(found),  # new inputs go here, never into the committed corpus
        str(harness.CORPUS),
        str(harness.REGRESSIONS),
    ]
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=SECONDS + 90)
    if done.returncode != 0:
        saved = [
            f"  {p.name} ({len(p.read_bytes())} bytes, base64 {base64.b64encode(p.read_bytes()).decode()[:400]})"
            for p in sorted(artifacts.iterdir())
        ]
        log = "\n".join(done.stderr.splitlines()[-40:])
        pytest.fail(
            f"the fuzzer failed (exit {done.returncode}); save the input to fuzz/regressions/<short-name>"
            " (`python fuzz/harness.py --minimize INPUT OUTPUT` makes it smaller):\n"
            + ("\n".join(saved) or "  (no artifact written)")
            + f"\n--- the end of its output ---\n{log}",
            pytrace=False,
        )
    assert "Done" in done.stderr, done.stderr[-2000:]
