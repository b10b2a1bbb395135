"""The coverage-guided differential fuzzer (fuzz/harness.py, atheris) as part of the suite.

- Every seed (fuzz/corpus/) and every input the fuzzer ever found (fuzz/regressions/, kept forever)
  replays in process through the harness's own check: the compiled paths must give exactly the
  pure path's result, or the same ``ValidationError`` violations. No fuzzing engine is needed.
- A short bounded fuzzing run (atheris, in a subprocess) from the seeds and the regressions must
  end without a failure: RTBRIDGE_ATHERIS_RUNS runs (default 100 000), at most
  RTBRIDGE_ATHERIS_SECONDS (default 60) seconds. With ``CI`` set the run is derandomized (a fixed
  seed), as the Hypothesis tests are. Longer runs: fuzz/README.md.
- The check itself is not vacuous: a compiled path that disagrees, or raises, is caught.
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


def _load_harness() -> Any:
    """fuzz/harness.py as a module (fuzz/ is not a package). It refuses to load without the
    extensions built: that is a failure here, not a skip (the install builds them)."""
    spec = importlib.util.spec_from_file_location("rtbridge_fuzz_harness", FUZZ / "harness.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


harness = _load_harness()
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


# --------------------------------------------------------------------------- the check is not vacuous


def _input(target: str, payload: bytes, form: str = "bytes") -> bytes:
    return bytes([harness.selector(target, form)]) + payload


EVENT = b'{"type":"response.done","event_id":"e","response":{"id":"r","status":"completed"}}'


@pytest.mark.parametrize(
    ("place", "fake", "target", "payload"),
    [
        ((_accel, "binary_to_json"), lambda data, kind: b"{}", "binary_to_json-event-lenient", bridge.json_to_binary(EVENT)),
        ((_accel, "struct_to_binary"), lambda obj: b"\x0a\x00", "json_to_binary-event-lenient", EVENT),
        ((bridge.convert, "decode_event"), lambda data, strict=False: bridge.decode_event(b'{"type":"x"}'),
         "json_to_binary-event-strict", EVENT),
        ((bridge.convert, "decode_response"), lambda data, strict=False: bridge.RealtimeResponse(id="other"),
         "json_to_binary-response-lenient", b'{"id":"r"}'),
        ((_accel, "binary_to_json"), lambda data, kind: 1 / 0, "binary_to_json-response-lenient", b""),
    ],
    ids=["different-json", "different-bytes", "different-object-in-strict-mode", "different-response", "raises"],
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
    compiled = harness._FUNCTIONS[True]
    for wrong in (
        lambda data, strict=False: bridge.decode_event(EVENT.replace(b'"r"', b'"s"')),  # another value
        lambda data, strict=False: msgspec_copy_with_float(bridge.decode_event(EVENT)),  # 1 where 1.0 was
    ):
        monkeypatch.setitem(compiled, "decode_event", wrong)
        with pytest.raises(harness.Discrepancy):
            harness.check(_input("decode_event-event-lenient", EVENT.replace(b'"completed"}', b'"completed","temperature":1.0}')))


def msgspec_copy_with_float(event: Any) -> Any:
    """The event with its response's temperature as the int 1 (equal to 1.0 under ``==``)."""
    import msgspec

    return msgspec.structs.replace(event, response=msgspec.structs.replace(event.response, temperature=1))


def test_the_same_non_validation_error_from_both_paths_is_a_failure(monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(data: Any, strict: bool = False) -> Any:
        raise KeyError("x")

    monkeypatch.setitem(harness._FUNCTIONS[True], "decode_event", boom)
    monkeypatch.setitem(harness._FUNCTIONS[False], "decode_event", boom)
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
