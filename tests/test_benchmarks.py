"""The benchmark runner's machinery, on a tiny round count: corpus, timing order, results document,
ratios, floors check, Markdown/README/chart output. No timing figure is asserted, only that every
figure is computed from the samples measured."""

from __future__ import annotations

import base64
import copy
import importlib.util
import json
import pathlib
import statistics
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import bridge  # noqa: E402
from benchmarks import corpus, decode_log, floors, grpc_bench, memory, peers, relay, report, run, timing  # noqa: E402
from benchmarks.paths import PATHS  # noqa: E402

TINY = run.Mode("test", timing.Settings(rounds=3, sample_seconds=0.0, warmup_seconds=0.0), grpc_events=6, log_events=0)


@pytest.fixture(scope="module")
def results() -> dict:
    """Every path on the smallest case, 3 rounds of one call each: fast, and real measurements."""
    small = [c for c in corpus.build() if c.name == "created_small"]
    return run.run(TINY, cases=small, grpc=False, log=False)


# ----------------------------------------------------------------------------------------- corpus


def _decoder(case: corpus.Case):
    return bridge.decode_client_event if case.kind == "client_event" else bridge.decode_event


def test_corpus_is_deterministic_and_decodes() -> None:
    first, second = corpus.build(), corpus.build()
    assert [c.documents for c in first] == [c.documents for c in second]
    names = ["created_small", "done_typical", "done_large", "examples", *corpus.SESSION_CASES, *corpus.AUDIO_CASES]
    assert [c.name for c in first] == names
    large = next(c for c in first if c.name == "done_large")
    assert len(bridge.decode_event(large.documents[0]).response.output) >= 24
    examples = next(c for c in first if c.name == "examples")
    assert len(examples) == len(list(corpus.EXAMPLES_DIR.glob("*.json"))) > 0
    for case in first:
        assert case.kind in ("event", "client_event") and case.protocol in ("beta", "ga")
        for document in case.documents:
            event = _decoder(case)(document, strict=True)
            assert json.loads(bridge.encode(event)) == json.loads(document)
            binary = bridge.json_to_binary(document, kind=case.kind)
            assert json.loads(bridge.binary_to_json(binary, kind=case.kind)) == json.loads(document)


#: The event type and the typed class of each session case (issue 13).
_SESSION_EVENTS = {
    "audio_delta": ("response.output_audio.delta", bridge.ResponseOutputAudioDeltaEvent),
    "audio_delta_beta": ("response.audio.delta", bridge.ResponseAudioDeltaEvent),
    "transcript_delta": ("response.output_audio_transcript.delta", bridge.ResponseOutputAudioTranscriptDeltaEvent),
    "text_delta": ("response.output_text.delta", bridge.ResponseOutputTextDeltaEvent),
    "item_added": ("conversation.item.added", bridge.ConversationItemAddedEvent),
    "item_done": ("conversation.item.done", bridge.ConversationItemDoneEvent),
    "item_created": ("conversation.item.created", bridge.ConversationItemCreatedEvent),
    "session_updated": ("session.updated", bridge.SessionUpdatedEvent),
    "client_audio_append": ("input_audio_buffer.append", bridge.InputAudioBufferAppendEvent),
    "client_item_create": ("conversation.item.create", bridge.ConversationItemCreateEvent),
}


def test_session_cases_hold_one_typed_event_each() -> None:
    cases = {c.name: c for c in corpus.build()}
    assert set(_SESSION_EVENTS) == set(corpus.SESSION_CASES)
    for name, (kind, model) in _SESSION_EVENTS.items():
        case = cases[name]
        (document,) = case.documents
        assert json.loads(document)["type"] == kind
        assert type(_decoder(case)(document)) is model, name
        assert (case.kind == "client_event") == name.startswith("client_")
    for name in ("audio_delta", "audio_delta_beta", "client_audio_append"):
        event = json.loads(cases[name].documents[0])
        audio = base64.b64decode(event.get("delta") or event["audio"], validate=True)
        assert len(audio) == corpus.AUDIO_CHUNK_BYTES
        # issue 14's case of each audio event: the same event type with a 16 KiB chunk
        (large,) = cases[f"{name}_16k"].documents
        assert json.loads(large)["type"] == event["type"] and cases[f"{name}_16k"].kind == cases[name].kind
        assert len(corpus.audio_of(large)[1]) == corpus.LARGE_AUDIO_CHUNK_BYTES == 16384
    session = bridge.decode_event(cases["session_updated"].documents[0]).session
    assert session.audio.input.turn_detection.type == "server_vad" and len(session.tools) == 2


def test_plain_mirror_carries_every_key_of_the_corpus() -> None:
    """The json_format peer parses every document without dropping a key: a key the mirror lacked
    would be skipped by ``ignore_unknown_fields=True`` and make the peer's work lighter."""
    from google.protobuf import json_format

    for case in corpus.build():
        for document in case.documents:
            message = json_format.Parse(document, peers.plain_message_for(document, case.kind)())  # raises on
            # a key it has no field for; the audio is bytes (issue 14), what the bridge's Struct holds
            audio = corpus.audio_of(document)
            if audio:
                assert getattr(message, audio[0]) == audio[1] == getattr(_decoder(case)(document), audio[0])


def test_session_cases_have_a_floor_for_each_of_issue_13s_ratios() -> None:
    cases = {c.name: c for c in corpus.build()}
    for name in corpus.SESSION_CASES:
        # Decoding an audio event also decodes its base64 into bytes (issue 14), which orjson.loads
        # leaves as text: there the floor (75% of the lowest quick run) may fall below 1.
        audio = corpus.audio_of(cases[name].documents[0]) is not None
        assert floors.FLOORS[f"decode/{name}/orjson"] >= (0.75 if audio else 1.0), name
        for key in (f"to_binary/{name}/json_format", f"from_binary/{name}/json_format"):
            assert floors.FLOORS[key] >= 1.0, key  # the bridge faster than its peer, at the least


#: Issue 14's targets: json_to_binary within 1.5x of orjson + base64 decoding, binary_to_json within
#: 1.5x of base64 encoding + orjson.dumps, both at least 10x json_format on the plain mirror.
_AUDIO_TARGETS = {
    "to_binary/{}/orjson+base64": 1 / 1.5,
    "from_binary/{}/base64+orjson": 1 / 1.5,
    "to_binary/{}/json_format": 10,
    "from_binary/{}/json_format": 10,
}


def test_audio_cases_have_a_floor_at_or_above_each_of_issue_14s_targets() -> None:
    for name in corpus.AUDIO_CASES:
        for key, target in _AUDIO_TARGETS.items():
            assert floors.FLOORS[key.format(name)] >= target, key.format(name)


def test_audio_peers_do_the_bridges_work_and_skip_cases_without_audio() -> None:
    """The base64 peers of issue 14 give what the bridge gives (the audio as bytes, the same JSON
    back), are timed on the audio cases, and skip the others with a reason."""
    import orjson  # (the test extra installs it for this test, as the bench extra does)

    cases = {c.name: c for c in corpus.build() if c.name in ("client_audio_append_16k", "text_delta")}
    paths = {p.name: p for p in PATHS}
    outcome = run.run(TINY, cases=list(cases.values()), paths=[paths["to_binary"], paths["from_binary"]], grpc=False, log=False)
    audio_peers = {"to_binary": {"orjson+base64", "orjson+pybase64"}, "from_binary": {"base64+orjson", "pybase64+orjson"}}
    for s in outcome["scenarios"]:
        assert audio_peers[s["path"]] <= set(s["skipped" if s["case"] == "text_delta" else "results"]), s["case"]
    case = cases["client_audio_append_16k"]
    (document,) = case.documents
    for peer in paths["to_binary"].peers[1:]:
        ((to_event, data),) = peer.prepare(case).calls
        assert to_event(data)["audio"] == bridge.decode_client_event(document).audio
    for peer in paths["from_binary"].peers[1:]:
        ((to_json, event),) = peer.prepare(case).calls
        assert to_json(event) == orjson.dumps(orjson.loads(document)) == document


def test_results_give_the_size_of_the_audio_events_in_protobuf() -> None:
    cases = {c.name: c for c in corpus.build() if c.name in ("client_audio_append_16k", "text_delta")}
    outcome = run.run(TINY, cases=list(cases.values()), paths=[p for p in PATHS if p.name == "to_binary"], grpc=False, log=False)
    (document,) = cases["client_audio_append_16k"].documents
    size = outcome["cases"]["client_audio_append_16k"]
    assert size["audio_bytes"] == 16384 and size["protobuf_bytes"] == len(bridge.json_to_binary(document, kind="client_event"))
    assert size["envelope_bytes"] == len(document) - len(json.loads(document)["audio"]) - len(',"audio":""')
    assert "audio_bytes" not in outcome["cases"]["text_delta"]
    ratio = size["protobuf_bytes"] / (size["audio_bytes"] + size["envelope_bytes"])
    assert f"client_audio_append_16k {ratio:.3f}×" in report.table(outcome)


def test_unknown_keys_variant_adds_keys_the_bridge_keeps() -> None:
    document = next(c for c in corpus.build() if c.name == "done_typical").documents[0]
    variant = corpus.with_unknown_keys(document)
    event = bridge.decode_event(variant)
    assert set(event.extra) == {"x_trace_id"}
    assert "x_experiment" in event.response.extra
    assert all("phase" in item.extra for item in event.response.output)
    assert json.loads(bridge.encode(event)) == json.loads(variant)
    with pytest.raises(bridge.ValidationError):
        bridge.decode_event(variant, strict=True)


# ----------------------------------------------------------------------------------------- timing


def test_measure_interleaves_and_rotates_the_order() -> None:
    calls: list[str] = []
    ops = {name: (lambda name=name: calls.append(name)) for name in "abc"}
    samples = timing.measure(ops, timing.Settings(rounds=4, sample_seconds=0.0, warmup_seconds=0.0))
    # one warm-up call each, then one call per sample, the order rotating every round
    assert calls == [*"abc", *"abc", *"bca", *"cab", *"abc"]
    assert {name: len(values) for name, values in samples.items()} == {"a": 4, "b": 4, "c": 4}
    assert all(value > 0 for values in samples.values() for value in values)


# ---------------------------------------------------------------------------------------- results


def test_every_path_measures_its_subject_and_accounts_for_each_peer(results: dict) -> None:
    scenarios = {s["path"]: s for s in results["scenarios"]}
    assert list(scenarios) == [p.name for p in PATHS]
    for path in PATHS:
        s = scenarios[path.name]
        assert s["subject"] == path.subject.name and s["case"] == "created_small"
        for peer in path.peers:  # timed, or skipped with the reason (a package not installed)
            assert (peer.name in s["results"]) != (peer.name in s["skipped"]), peer.name
        assert all(reason for reason in s["skipped"].values())
    # peers that need nothing beyond the project's own dependencies are always timed
    assert {"json"} <= set(scenarios["decode"]["results"])
    assert {"msgspec", "json"} <= set(scenarios["encode"]["results"])
    assert "default" in scenarios["decode_strict"]["results"]
    assert "known-only" in scenarios["decode_unknown"]["results"]


def test_client_events_run_through_every_path_with_the_client_kind() -> None:
    case = next(c for c in corpus.build() if c.name == "client_item_create")
    outcome = run.run(TINY, cases=[case], grpc=False, log=False)
    scenarios = {s["path"]: s for s in outcome["scenarios"]}
    assert list(scenarios) == [p.name for p in PATHS]
    for s in scenarios.values():
        assert s["subject"] in s["results"], s["path"]
    assert "openai-recv" in scenarios["decode"]["skipped"]  # the SDK receives server events only
    decode = scenarios["decode"]
    assert "json" in decode["results"]
    assert "orjson" in decode["results"] or "orjson" in decode["skipped"]  # (orjson is the bench extra's)


def test_figures_are_computed_from_the_samples(results: dict) -> None:
    size = results["cases"]["created_small"]["bytes"]
    for s in results["scenarios"]:
        subject = s["results"][s["subject"]]
        for r in s["results"].values():
            assert len(r["samples_s"]) == TINY.settings.rounds
            assert r["median_s"] == statistics.median(r["samples_s"]) and r["min_s"] == min(r["samples_s"])
            assert r["msgs_per_s"] == pytest.approx(1 / r["median_s"])
        if s["path"] != "decode_unknown":  # which decodes a larger document
            assert subject["mb_per_s"] == pytest.approx(size / subject["median_s"] / 1e6)
        assert set(s["ratios"]) == set(s["results"]) - {s["subject"]}
        for peer, ratio in s["ratios"].items():  # paired: round by round, then the median
            pairs = zip(s["results"][peer]["samples_s"], subject["samples_s"], strict=True)
            assert ratio == statistics.median([p / b for p, b in pairs])
            assert results["ratios"][f"{s['path']}/created_small/{peer}"] == ratio
    assert results["meta"]["versions"]["msgspec"] and results["meta"]["python"]


def test_memory_scenario_compares_peak_heaps() -> None:
    outcome = memory.measure_log(120)
    stream, whole = outcome["results"]["stream"], outcome["results"]["load-all"]
    assert stream["events"] == whole["events"] == outcome["log"]["events"] == 120
    assert outcome["ratios"]["load-all"] == whole["peak_heap_bytes"] / stream["peak_heap_bytes"]


def test_grpc_scenario_runs_on_loopback_or_says_why_not() -> None:
    case = next(c for c in corpus.build() if c.name == "examples")
    outcome = grpc_bench.measure(case, 6, TINY.settings)
    if grpc_bench._running() is None:
        assert outcome == "skipped (bridge.server unavailable)"
        return
    assert not isinstance(outcome, str), outcome
    assert outcome["subject"] == "stream" and set(outcome["samples"]) == {"stream", "unary"}
    assert outcome["messages"] == {"stream": 6, "unary": 6}
    scenario = run._scenario(**outcome)
    pairs = zip(outcome["samples"]["unary"], outcome["samples"]["stream"], strict=True)
    assert scenario["ratios"]["unary"] == statistics.median([u / s for u, s in pairs])


def test_relay_section_runs_each_client_and_reports_its_fields() -> None:
    """A tiny load (2 sessions, one short round): the three clients, the servers' CPU, the idle
    memory, and every figure computed from the rounds (no figure's size is asserted)."""
    tiny = relay.Settings(steps=(2,), rounds=1, seconds=0.3, warmup=0.1, idle_sessions=3)
    outcome = relay.measure(tiny)
    assert not isinstance(outcome, str), outcome
    assert list(outcome["steps"]) == ["2"]
    step = outcome["steps"]["2"]
    rounds = step["rounds"]
    for kind in relay.KINDS:
        assert len(rounds[kind]) == 1 and rounds[kind][0]["events"] > 0, kind
        assert step[kind] == rounds[kind][0]  # the median of one round
        assert 0 < step[kind]["p50"] <= step[kind]["p99"]
    assert "cpu_per_session_s" not in step["direct"]  # no server of its own
    for kind in ("relay", "ceiling"):
        assert step[kind]["cpu_per_session_s"] > 0 and step[kind]["cpu_per_event_s"] > 0
        for key in ("p50", "p99"):
            assert step[f"{kind}_added"][key] == rounds[kind][0][key] - rounds["direct"][0][key]
    assert step["cpu_vs_ceiling"] == step["ceiling"]["cpu_per_session_s"] / step["relay"]["cpu_per_session_s"]
    per_core = outcome["sessions_per_core"]
    assert per_core["at_sessions"] == 2 and per_core["relay"] == 1 / step["relay"]["cpu_per_session_s"]
    assert set(outcome["memory"]) == {f"{k}-{c}-connection" for k in ("relay", "ceiling") for c in ("own", "shared")}
    for figure in outcome["memory"].values():
        assert figure["sessions"] == 3
        assert figure["kib_per_session"] == (figure["rss_open"] - figure["rss_before"]) / 3 / 1024
    # wired into the runner: its ratio under the key floors.py holds, its lines in the report
    assert run._flat_ratios({"scenarios": [], "relay": outcome}) == {"relay/voice/cpu-vs-ceiling": step["cpu_vs_ceiling"]}
    assert set(outcome["ratios"]) == {key.rsplit("/", 1)[1] for key in floors.FLOORS if key.startswith("relay/")}
    rendered = "\n".join(report._relay_lines({"relay": outcome}))
    assert "Sessions per core" in rendered and "Idle memory, relay-own-connection" in rendered


def test_relay_recheck_measures_the_largest_step_alone() -> None:
    settings = relay.MODES["full"]
    again = relay.recheck_settings(settings)
    assert again.steps == settings.steps[-1:] and again.idle_sessions == 0 and again.rounds == settings.rounds
    assert run._source({"ratios": {}}, "relay/voice/cpu-vs-ceiling") == ("relay", "voice", "relay")


# ------------------------------------------------------------------------------------------ check


def test_check_names_each_ratio_below_its_floor_or_missing(results: dict) -> None:
    measured = results["ratios"]["decode_strict/created_small/default"]
    limits = {
        "decode_strict/created_small/default": measured * 0.5,
        "decode/created_small/json": results["ratios"]["decode/created_small/json"] * 2,
        "grpc/examples/unary": 1.0,
    }
    failures = run.check(results, limits)
    assert len(failures) == 2
    assert failures[0].startswith("decode/created_small/json: ratio ") and "below its floor" in failures[0]
    assert failures[1].startswith("grpc/examples/unary: not measured")
    assert run.check(results, {"decode_strict/created_small/default": measured * 0.5}) == []


def test_floors_name_ratios_the_runner_produces() -> None:
    keys = {f"{p.name}/{c.name}" for p in PATHS for c in corpus.build()} | {"grpc/examples", "memory/session_log", "relay/voice"}
    keys |= {f"{path}/{log}" for path in decode_log.PATHS for log in decode_log.LOGS}
    for key, floor in floors.FLOORS.items():
        assert key.rsplit("/", 1)[0] in keys, key
        assert floor > 0


def test_the_session_log_scenarios_measure_what_the_floors_hold(monkeypatch: pytest.MonkeyPatch) -> None:
    """benchmarks/decode_log.py, as the runner takes it: both directions of each log, the ratios the
    floors name among those measured; the voice log is envelopes of 20 ms audio frames, mostly."""
    for size in ("JOBS_BYTES", "ENCODE_JOBS_BYTES"):  # (files of a few chunks: enough for workers)
        monkeypatch.setattr(decode_log, size, 3 * decode_log.batch._CHUNK_BYTES)
    lines = decode_log.voice_log(60)
    envelopes = [json.loads(line) for line in lines]
    assert all(set(e) == {"direction", "received_unix_nano", "event"} for e in envelopes)
    audio = [e for e in envelopes if e["event"]["type"] in ("response.output_audio.delta", "input_audio_buffer.append")]
    assert len(audio) > len(lines) * 3 // 4
    assert {len(base64.b64decode(e["event"].get("delta") or e["event"]["audio"])) for e in audio} == {decode_log.VOICE_FRAME_BYTES}
    flat: dict[str, float] = {}
    for log in decode_log.LOGS:
        for pieces in decode_log.measure(log, decode_log.LOGS[log][0](60), TINY.settings):
            scenario = run._scenario(**pieces)
            flat.update({f"{scenario['path']}/{log}/{peer}": ratio for peer, ratio in scenario["ratios"].items()})
    held = {key for key in floors.FLOORS if key.split("/", 1)[0] in decode_log.PATHS}
    assert held and held <= set(flat)
    assert all(ratio > 0 for ratio in flat.values())


def test_cli_check_exits_non_zero_naming_the_ratio(results: dict, tmp_path, monkeypatch, capsys) -> None:
    saved = tmp_path / "results.json"
    saved.write_text(json.dumps(results))
    key = "decode/created_small/json"
    monkeypatch.setattr(floors, "FLOORS", {key: results["ratios"][key] * 10})
    assert run.main(["--from", str(saved), "--check"]) == 1
    out = capsys.readouterr().out
    assert "benchmark check FAILED" in out and key in out
    monkeypatch.setattr(floors, "FLOORS", {key: results["ratios"][key] / 10})
    assert run.main(["--from", str(saved), "--check"]) == 0


def test_recheck_measures_a_ratio_below_its_floor_again_and_fails_it_only_every_time(results, monkeypatch) -> None:
    """A ratio under its floor is measured again, for real, RECHECKS more times; when every
    measurement is under the floor the failure names them all, and the others are left alone."""
    doc = copy.deepcopy(results)
    key, other = "decode/created_small/json", "decode/created_small/orjson"
    monkeypatch.setattr(floors, "FLOORS", {key: doc["ratios"][key] * 1000, other: doc["ratios"][other] / 2})
    small = [c for c in corpus.build() if c.name == "created_small"]
    run.recheck(doc, TINY, cases=small)
    again = doc["rechecks"][key]
    assert list(doc["rechecks"]) == [key] and len(again) == run.RECHECKS
    assert all(value > 0 for value in again) and doc["ratios"][key] == results["ratios"][key]
    [failure] = run.check(doc)
    assert failure.startswith(f"{key}: ratio ") and f"(measured {1 + run.RECHECKS} times: " in failure


def test_recheck_stops_once_a_measurement_reaches_the_floor(results, monkeypatch) -> None:
    doc = copy.deepcopy(results)
    key = "grpc/examples/batch-vs-ceiling"
    doc["ratios"][key] = 0.5
    doc["ceiling"] = {"path": "grpc", "case": "examples", "ratios": {"batch-vs-ceiling": 0.5}}
    monkeypatch.setattr(floors, "FLOORS", {key: 0.7})
    asked = []

    def measure_again(source, mode, cases):
        asked.append(source)
        return {key: 0.9}

    monkeypatch.setattr(run, "_measure_again", measure_again)
    assert run.check(doc) != []
    run.recheck(doc, TINY, cases=[])
    assert asked == [("grpc", "examples", "ceiling")] and doc["rechecks"] == {key: [0.9]}
    assert run.check(doc) == []  # and so does a saved copy of it (--from)
    assert run.check(json.loads(json.dumps(doc))) == []


# ----------------------------------------------------------------------------------------- output


def test_outputs_are_rendered_from_the_results(results: dict, tmp_path, capsys) -> None:
    saved = tmp_path / "in.json"
    saved.write_text(json.dumps(results))
    readme = tmp_path / "README.md"
    readme.write_text("# Title\n\nintro\n\n<!-- bench:start -->\nold table\n<!-- bench:end -->\n\nafter\n")
    out, chart, table = tmp_path / "out.json", tmp_path / "results" / "chart.png", tmp_path / "table.md"
    args = ["--from", str(saved), "--out", str(out), "--chart", str(chart), "--markdown", str(table)]
    assert run.main([*args, "--readme", str(readme)]) == 0
    printed = capsys.readouterr().out
    assert json.loads(out.read_text()) == results
    ratio = results["ratios"]["decode/created_small/json"]
    assert f"json {ratio:.3g}×" in printed
    markdown = table.read_text()
    assert "| decode | created_small | bridge |" in markdown and f"json {ratio:.3g}×" in markdown
    text = readme.read_text()
    assert text.startswith("# Title\n\nintro\n\n<!-- bench:start -->\n")
    assert text.endswith("<!-- bench:end -->\n\nafter\n")
    assert "old table" not in text and markdown.strip() in text
    if importlib.util.find_spec("matplotlib") is None:
        assert "matplotlib is not installed" in printed and not chart.exists()
    else:
        assert chart.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
        assert "![Throughput per path and peer](results/chart.png)" in text


def test_the_docs_page_holds_the_one_benchmark_block_and_the_chart_beside_it(results: dict, tmp_path) -> None:
    """``--docs docs/benchmarks.md`` (the page the tables live on; ``--readme`` is its old name)
    rewrites that page's block, and the chart link is relative to the page (docs/ is one level down)."""
    page = (ROOT / "docs" / "benchmarks.md").read_text()
    assert page.count(report.README_START) == page.count(report.README_END) == 1
    assert report.README_START not in (ROOT / "README.md").read_text()
    assert "![Throughput per path and peer](../benchmarks/results/latest.png)" in page
    saved = tmp_path / "in.json"
    saved.write_text(json.dumps(results))
    (tmp_path / "docs").mkdir()
    copy_of_page = tmp_path / "docs" / "benchmarks.md"
    copy_of_page.write_text(page)
    chart = tmp_path / "benchmarks" / "results" / "latest.png"
    assert run.main(["--from", str(saved), "--out", str(tmp_path / "out.json"), "--chart", str(chart),
                     "--docs", str(copy_of_page)]) == 0
    text = copy_of_page.read_text()
    assert text.split(report.README_START)[0] == page.split(report.README_START)[0]
    assert text.split(report.README_END)[1] == page.split(report.README_END)[1]
    if chart.exists():
        assert "![Throughput per path and peer](../benchmarks/results/latest.png)" in text


def test_readme_without_markers_is_refused(tmp_path) -> None:
    readme = tmp_path / "README.md"
    readme.write_text("no markers here\n")
    with pytest.raises(ValueError, match="bench:start"):
        report.rewrite_readme(readme, "table")
    assert readme.read_text() == "no markers here\n"
