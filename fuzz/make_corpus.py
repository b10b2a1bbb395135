"""Rebuild the seed corpus (fuzz/corpus/) from the test fixtures: ``python fuzz/make_corpus.py``.

Each seed is one selector byte (fuzz/harness.py: which function, kind, mode and input form) and a
document: small fixtures from tests/data (events, and their bare ``response`` objects for the
``kind="response"`` targets), the lines of the session log (other event types), a few hand-made
documents that reach the pure path's corners (unknown keys, escapes, non-ASCII, big numbers, deep
nesting, invalid UTF-8), client events (tests/data has none: written here), values of the wrong
JSON type at some depth in both directions (lenient mode carries them, strict mode rejects them),
an event type sent to the other direction's decoder, and protobuf bytes made from them with
``bridge.json_to_binary`` for the ``binary_to_json`` targets. The seeds are written canonically
(compact JSON), so rebuilding gives the same files; the corpus is committed and the fuzzer's own
finds go to a scratch directory.

Re-keying (``rekey``, ``python fuzz/make_corpus.py --rekey LAYOUT FOLDER``): when the harness's
TARGETS change, a stored input's first byte selects something else. ``LAYOUTS`` records each
earlier TARGETS (the names, in selector order); ``--rekey`` rewrites the first byte of every input
in FOLDER written in that layout so that it selects the same target and form now, and prefixes its
name with its label (harness.label) when it does not carry it, which tests/test_atheris.py checks
against the byte. Inputs already named for what their byte selects are left alone, so it can be
run twice. Done once for fuzz/regressions when the client-event targets came (``--rekey 12``); the
corpus is rebuilt instead (its names carry the label already).
"""

from __future__ import annotations

import base64
import json
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import bridge  # noqa: E402
from bridge import session  # noqa: E402
from harness import CORPUS, FORMS, TARGETS, inputs, label, selector, split  # noqa: E402

DATA = HERE.parent / "tests" / "data"
FIXTURES = [
    "examples/01_beta_spec_2025-04_response_created.json",
    "examples/03_beta_spec_2024-10_response_done_minimal_usage.json",
    "examples/04_beta_docs_response_done_function_call.json",
    "examples/08_beta_wire_response_done_cancelled_empty.json",
    "examples/14_beta_wire_response_created_metadata_textonly.json",
    "ga/ga_response_created.json",
    "ga/ga_response_done_failed_pcma.json",
]

#: Small documents for the pure path's corners (names are file names).
HAND_MADE: dict[str, bytes] = {
    "unknown-keys": b'{"type":"response.done","event_id":"e","x":[1,{"y":null}],"response":{"object":"realtime.response",'
    b'"phase":"beta","status":"finished","usage":{"total_tokens":3,"z":1.5e300}}}',
    "escapes": b'{"type":"response.created","event_id":"\\u00e9\\ud83d\\ude00\\n","response":{"id":"r\\"1","metadata":'
    b'{"k\\u0000":"v\\/"}}}',
    "non-ascii": '{"type":"response.done","event_id":"é","response":{"output":[{"type":"message","content":'
    '[{"type":"text","text":"日本語 😀 ünïcödé"}]}]}}'.encode(),
    "numbers": b'{"type":"response.done","event_id":"e","response":{"temperature":-0.0,"max_output_tokens":'
    b'9223372036854775807,"usage":{"total_tokens":-9223372036854775808,"input_tokens":1E+2}}}',
    "big-int": b'{"type":"response.done","event_id":"e","response":{"usage":{"total_tokens":9223372036854775808}}}',
    "wrong-types": b'{"type":"response.done","event_id":5,"response":{"status":[],"output":{},"usage":"x"}}',
    "generic": b'{"type":"error","event_id":"e","error":{"type":"invalid_request_error","code":null}}',
    "duplicate-keys": b'{"type":"response.done","type":"response.created","event_id":"a","event_id":"b","response":{}}',
    # nesting at the limit (bridge.MAX_DEPTH: the event and the response are two levels) and one past it
    "deep-at-limit": b'{"type":"response.done","event_id":"e","response":{"metadata":null,"x":'
    + b"[" * (bridge.MAX_DEPTH - 2) + b"]" * (bridge.MAX_DEPTH - 2) + b"}}",
    "deep-past-limit": b'{"type":"response.done","event_id":"e","response":{"x":'
    + b"[" * (bridge.MAX_DEPTH - 1) + b"]" * (bridge.MAX_DEPTH - 1) + b"}}",
    "deep-generic": b'{"type":"x","event_id":"e","y":' + b'{"a":' * 130 + b"1" + b"}" * 130 + b"}",
    "invalid-utf8": b'{"type":"response.done","event_id":"\xff\xfe","response":{}}',
    "truncated": b'{"type":"response.done","event_id":"e","response":{"output":[{"type":"mess',
}

#: Client events (what a client sends upstream), one of each kind the bridge types specially: the
#: session, audio as base64 (a buffer append, an input_audio content part in an item and in a
#: response's input), and a type of no class. Typed in full (strict mode accepts all but the last).
_AUDIO = base64.b64encode(bytes(range(0, 256, 7))).decode()
_INPUT_AUDIO_MESSAGE = {"type": "message", "role": "user", "content": [
    {"type": "input_audio", "audio": _AUDIO, "transcript": "hi"}, {"type": "input_text", "text": "ça"}]}
CLIENT_EVENTS: dict[str, bytes] = {name: json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode() for name, doc in {
    "session-update": {"type": "session.update", "event_id": "c0", "session": {
        "modalities": ["text", "audio"], "instructions": "be brief", "voice": "alloy", "input_audio_format": "pcm16",
        "turn_detection": {"type": "server_vad", "threshold": 0.5, "silence_duration_ms": 200},
        "tools": [{"type": "function", "name": "f", "parameters": {"type": "object"}}], "temperature": 0.8,
        "max_response_output_tokens": "inf"}},
    "append": {"type": "input_audio_buffer.append", "event_id": "c1", "audio": _AUDIO},
    "item-create-input-audio": {"type": "conversation.item.create", "event_id": "c2", "previous_item_id": None,
                                "item": _INPUT_AUDIO_MESSAGE},
    "response-create": {"type": "response.create", "event_id": "c3", "response": {
        "modalities": ["text"], "instructions": "x", "metadata": {"k": "v"}, "input": [_INPUT_AUDIO_MESSAGE]}},
    "generic-client": {"type": "some.future.client_event", "event_id": "c4", "x": [1, {"y": None}]},
}.items()}

#: Server events whose fields are all flat, which json_to_binary writes in one pass (bridge._decoder):
#: audio, text with escapes and non-ASCII, integers at int64's ends.
FLAT_EVENTS: dict[str, bytes] = {
    "flat-audio-delta": b'{"type":"response.output_audio.delta","event_id":"e","response_id":"r","item_id":"i",'
    b'"output_index":0,"content_index":-1,"delta":"' + _AUDIO.encode() + b'"}',
    "flat-transcript-delta": rb'{"type":"response.audio_transcript.delta","event_id":"\u00e9\ud83d\ude00",'
    + r'"delta":"a\"b\\c\/d\n\u0000 日本語 😀","output_index":9223372036854775807,"content_index":-9223372036854775808}'.encode(),
    "flat-text-delta": '{ "type" : "response.text.delta" , "delta" : "ünïcödé" , "item_id" : "" }'.encode(),
    "flat-dtmf": b'{"type":"input_audio_buffer.dtmf_event_received","event":"1","received_at":1700000000}',
    # base64 that is not canonical (written in one pass too, as a Base64Text is carried): a
    # placeholder, audio cut short, the URL-safe alphabet with escaped line breaks, bits set after
    # the last byte, text no decoder reads
    "flat-audio-delta-placeholder": b'{"type":"response.output_audio.delta","event_id":"e","delta":"Base64EncodedAudioDelta"}',
    "flat-audio-delta-cut-short": b'{"type":"response.audio.delta","delta":"' + _AUDIO[:-6].encode() + b'","item_id":"i"}',
    "flat-audio-delta-url-safe-lines": b'{"type":"response.output_audio.delta","delta":"'
    + b"\\n".join(_AUDIO.replace("+", "-").replace("/", "_").encode()[k:k + 20] for k in range(0, len(_AUDIO), 20)) + b'\\r\\n"}',
    "flat-audio-delta-bits-set": b'{"type":"response.output_audio.delta","delta":"AB=","x":"AB=="}',
    "flat-audio-delta-unreadable": b'{"type":"response.output_audio.delta","delta":"<\\u0041udio>"}',
}

#: Values of the wrong JSON type, at the top and deeper (a string where an object is declared, an
#: object where a string is, a number where a list or base64 is, an integer beyond int64): lenient
#: mode carries each in the extra of the object holding it, strict mode rejects each with its path.
MISFITS: dict[str, tuple[str, bytes]] = {  # name: (kind, document)
    "misfit-error-string": ("event", b'{"type":"error","event_id":"e","error":"boom"}'),
    "misfit-deep": ("event", b'{"type":"response.done","event_id":"e","response":{"id":"r","output":[{"type":"message",'
                    b'"content":[{"type":"text","text":{"t":1}}]}],"usage":{"total_tokens":"3","input_tokens":[1]}}}'),
    "misfit-append-audio": ("client_event", b'{"type":"input_audio_buffer.append","event_id":"c1","audio":123}'),
    "misfit-session-deep": ("client_event", b'{"type":"session.update","session":{"voice":1,"modalities":"text",'
                            b'"turn_detection":{"type":"server_vad","threshold":"high","silence_duration_ms":'
                            b'9223372036854775808},"tools":{"name":"f"}}}'),
    "misfit-item-content": ("client_event", b'{"type":"conversation.item.create","item":{"type":"message","role":"user",'
                            b'"content":[{"type":"input_audio","audio":{"x":1},"transcript":["a"]},"text"]}}'),
}

#: An event type of one direction sent to the other's decoder: lenient mode keeps it (generic),
#: strict mode rejects it with a hint naming the other decoder.
CROSSED: dict[str, tuple[str, bytes]] = {  # name: (the kind it is sent as, document)
    "client-type-as-server-event": ("event", CLIENT_EVENTS["append"]),
    "server-type-as-client-event": ("client_event", b'{"type":"response.done","event_id":"e","response":{"id":"r"}}'),
}

#: Earlier layouts of harness.TARGETS (target names in selector order; FORMS unchanged), for
#: ``rekey``: what the first byte of an input stored then selects.
LAYOUTS: dict[str, tuple[str, ...]] = {
    # before the session-log targets (issue 22): data[0] % 18, data[0] // 18 % 5
    "18": tuple(f"{function}-{kind}-{mode}" for function, kinds in (
        ("decode_event", ("event",)), ("decode_client_event", ("client_event",)), ("decode_response", ("response",)),
        ("json_to_binary", ("event", "client_event", "response")), ("binary_to_json", ("event", "client_event", "response")))
        for kind in kinds for mode in ("lenient", "strict")),
    # before the client-event targets (issue 22): data[0] % 12, data[0] // 12 % 5
    "12": tuple(f"{function}-{kind}-{mode}" for function, kind in (
        ("decode_event", "event"), ("decode_response", "response"), ("json_to_binary", "event"),
        ("json_to_binary", "response"), ("binary_to_json", "event"), ("binary_to_json", "response"))
        for mode in ("lenient", "strict")),
}


def rekey(data: bytes, layout: Sequence[str]) -> bytes:
    """``data``, an input whose first byte selects a target in ``layout`` (target names in selector
    order) and a form, with the first byte that selects the same target and form in harness.TARGETS."""
    if not data:
        return data  # no selector byte: the first target, as bytes, in every layout
    name = layout[data[0] % len(layout)]
    form = FORMS[data[0] // len(layout) % len(FORMS)]
    return bytes([selector(name, form)]) + data[1:]


def rekey_folder(folder: Path, layout: Sequence[str]) -> list[tuple[str, str]]:
    """Re-key every input in ``folder`` written in ``layout`` (see the module's docstring); each file
    ends up named ``<label>--<its old name>`` unless it already started with its label. Returns the
    (old, new) names of the files changed."""
    changed = []
    for path in inputs(folder):
        data = path.read_bytes()
        if path.name.startswith(f"{label(*split(data)[:2])}--"):
            continue  # named for what it selects now: re-keyed already (or written for this layout)
        new = rekey(data, layout)
        prefix = f"{label(*split(new)[:2])}--"
        name = path.name if "--" in path.name else prefix + path.name
        if not name.startswith(prefix):
            raise ValueError(f"{path}: named for another target than its first byte selects in that layout ({prefix})")
        path.unlink()
        (folder / name).write_bytes(new)
        changed.append((path.name, name))
    return changed


def _compact(data: bytes) -> bytes:
    return json.dumps(json.loads(data), ensure_ascii=False, separators=(",", ":")).encode()


def main() -> None:
    events: dict[str, bytes] = {}
    for name in FIXTURES:
        events[Path(name).stem.split("_", 1)[-1] if name.startswith("examples/") else Path(name).stem] = _compact(
            (DATA / name).read_bytes()
        )
    for i, line in enumerate((DATA / "cli" / "mixed.jsonl").read_bytes().splitlines()):
        try:
            events[f"log-line-{i}"] = _compact(line)
        except ValueError:
            events[f"log-line-{i}"] = line  # a deliberately broken line: kept as it is
    responses = {
        name: _compact(json.dumps(doc["response"]).encode())
        for name, data in events.items()
        if data.startswith(b"{")
        for doc in [_try_json(data)]
        if isinstance(doc, dict) and isinstance(doc.get("response"), dict)
    }

    seeds: dict[str, bytes] = {}

    def add(target: str, name: str, payload: bytes, form: str = "bytes") -> None:
        seeds[f"{target}{'' if form == 'bytes' else '-' + form}--{name}"] = bytes([selector(target, form)]) + payload

    for t in TARGETS:
        if t.binary_input or t.kind in ("client_event", "session"):  # client events, session records: below
            continue
        docs = events if t.kind == "event" else responses
        for name, payload in docs.items():
            # every document in lenient mode; strict mode and the converters get a few of them
            if t.function == "decode_event" and not t.strict or name in ("response_created", "ga_response_done_failed_pcma"):
                add(t.name, name, payload)
        if t.kind == "event":
            for name, payload in HAND_MADE.items():
                add(t.name, name, payload)
    # the other input forms, on one document each (a strided memoryview is not a seed: both paths
    # raise BufferError on it today, kept in fuzz/regressions/)
    for name, payload in FLAT_EVENTS.items():
        add("json_to_binary-event-lenient", name, payload)
    for form in FORMS[1:-1]:
        add("decode_event-event-lenient", "escapes", HAND_MADE["escapes"], form)
        add("json_to_binary-event-lenient", "non-ascii", HAND_MADE["non-ascii"], form)
        add("json_to_binary-client_event-lenient", "append", CLIENT_EVENTS["append"], form)

    # client events: every one to the lenient decoder and converter, two to strict mode; misfits
    # and crossed directions to the four JSON targets of the kind they are sent as
    for name, payload in CLIENT_EVENTS.items():
        for function in ("decode_client_event", "json_to_binary"):
            add(f"{function}-client_event-lenient", name, payload)
            if name in ("session-update", "item-create-input-audio"):
                add(f"{function}-client_event-strict", name, payload)
    for name, (kind, payload) in {**MISFITS, **CROSSED}.items():
        for function in ("decode_event" if kind == "event" else "decode_client_event", "json_to_binary"):
            for mode in ("lenient", "strict"):
                add(f"{function}-{kind}-{mode}", name, payload)

    # protobuf bytes for the binary_to_json targets (a misfit's too: lenient mode carries it, and
    # binary_to_json's strict mode rejects it)
    misfits = {kind: {name: doc for name, (k, doc) in {**MISFITS, **CROSSED}.items() if k == kind}
               for kind in ("event", "client_event")}
    for kind, docs in (("event", {**events, **HAND_MADE, **misfits["event"]}), ("response", responses),
                       ("client_event", {**CLIENT_EVENTS, **misfits["client_event"]})):
        for name, payload in docs.items():
            try:
                blob = bridge.json_to_binary(payload, kind=kind)
            except bridge.ValidationError:
                continue
            for strict in (False, True):
                if strict and name not in ("response_created", "ga_response_done_failed_pcma", "session-update",
                                           *MISFITS, *CROSSED):
                    continue
                add(f"binary_to_json-{kind}-{'strict' if strict else 'lenient'}", name, blob)
                if not strict and name == "ga_response_done_failed_pcma":
                    add(f"binary_to_json-{kind}-lenient", name, blob, "memoryview")

    # session-log records (bridge.session): the lines of the mixed log (plain events routed by type, a
    # broken one) and of the relay's hand-made logs (envelopes), and each one's SessionRecord bytes
    records: dict[str, bytes] = {
        f"{log.stem}-{i}": line
        for log in (DATA / "cli" / "mixed.jsonl", *sorted((DATA / "relay").glob("*.jsonl")))
        for i, line in enumerate(log.read_bytes().splitlines()[:6])
    }
    records["envelope-misfit"] = session.session_envelope(
        json.dumps({"type": "error", "event_id": "e", "error": "boom"}).encode(), "server", 1)
    records["envelope-bad-direction"] = b'{"direction":"sideways","received_unix_nano":1,"event":{"type":"x"}}'
    for name, line in records.items():
        add("session_record_to_binary-session-lenient", name, line)
        if name in ("envelope-misfit", "mixed-0"):
            add("session_record_to_binary-session-strict", name, line)
        try:
            record = session.session_record_to_binary(line)
        except bridge.ValidationError:
            continue
        add("session_record_to_json-session-lenient", name, record)
        if name in ("envelope-misfit", "mixed-0"):
            add("session_record_to_json-session-strict", name, record)

    # non-canonical but valid protobuf: a tag and a length in 5-byte varints (upb's longest), a
    # 10-byte varint for an int64; a mutation away from what upb rejects
    blob = bridge.json_to_binary(b'{"type":"x","event_id":"e"}')
    assert blob == b"\n\x01x\x12\x01e", blob
    add("binary_to_json-event-lenient", "tag-varint-of-5-bytes", b"\x8a\x80\x80\x80\x00\x01x\x12\x01e")
    add("binary_to_json-event-lenient", "length-varint-of-5-bytes", b"\n\x81\x80\x80\x80\x00x\x12\x01e")
    usage = bridge.json_to_binary(b'{"usage":{"total_tokens":5}}', kind="response")
    padded = usage.replace(b"\x08\x05", b"\x08\x85\x80\x80\x80\x80\x80\x80\x80\x80\x00").replace(
        usage[1:2], bytes([usage[1] + 9]), 1)
    add("binary_to_json-response-lenient", "int64-varint-of-10-bytes", padded)
    # one direction's protobuf read as the other's (the field numbers of the envelopes differ)
    add("binary_to_json-client_event-lenient", "server-event-bytes",
        bridge.json_to_binary(events["ga_response_done_failed_pcma"]))
    add("binary_to_json-event-lenient", "client-event-bytes",
        bridge.json_to_binary(CLIENT_EVENTS["item-create-input-audio"], kind="client_event"))

    _write_dictionary(events, HAND_MADE, CLIENT_EVENTS, {name: doc for name, (_, doc) in MISFITS.items()})

    if CORPUS.exists():
        shutil.rmtree(CORPUS)
    CORPUS.mkdir()
    for name, data in sorted(seeds.items()):
        (CORPUS / name).write_bytes(data)
    print(f"{len(seeds)} seeds in {CORPUS}, {sum(map(len, seeds.values()))} bytes")


def _write_dictionary(*documents: dict[str, bytes]) -> None:
    """fuzz/bridge.dict, a libFuzzer dictionary (-dict=): JSON punctuation and literals, every key
    and string value in the seeds (the schema's names), the enum spellings, numbers at int64's edges,
    and protobuf varint and tag bytes."""
    from bridge.v1 import options_pb2, realtime_pb2

    tokens: set[bytes] = {b"{", b"}", b"[", b"]", b":", b",", b'"', b"null", b"true", b"false", b"-0", b"1e400",
                          b"9223372036854775807", b"-9223372036854775808", b"18446744073709551616", b"\\u",
                          b"\\ud800", b"\\udc00", b"\xef\xbb\xbf", b"\xff\xff\xff\xff\x0f", b"\x80\x80\x80\x80\x80\x00",
                          b"\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01"}

    def walk(value: object) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                tokens.add(json.dumps(key, ensure_ascii=False).encode())
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)
        elif isinstance(value, str) and len(value) <= 40:
            tokens.add(json.dumps(value, ensure_ascii=False).encode())

    for docs in documents:
        for data in docs.values():
            walk(_try_json(data))
    for message in realtime_pb2.DESCRIPTOR.message_types_by_name.values():  # every event type, both directions
        if message.GetOptions().HasExtension(options_pb2.event_type):
            tokens.add(json.dumps(message.GetOptions().Extensions[options_pb2.event_type]).encode())
    for enum in realtime_pb2.DESCRIPTOR.enum_types_by_name.values():
        for value in enum.values:
            if value.number:
                tokens.add(json.dumps(value.GetOptions().Extensions[options_pb2.json_value]).encode())
    lines = ["# libFuzzer dictionary for fuzz/harness.py, made by fuzz/make_corpus.py"]
    lines += ['"' + "".join(chr(b) if 0x20 <= b < 0x7F and b not in b'"\\' else f"\\x{b:02x}" for b in t) + '"'
              for t in sorted(tokens)]
    (HERE / "bridge.dict").write_text("\n".join(lines) + "\n")


def _try_json(data: bytes) -> object:
    try:
        return json.loads(data)
    except ValueError:
        return None


if __name__ == "__main__":
    if sys.argv[1:2] == ["--rekey"] and len(sys.argv) == 4:  # --rekey LAYOUT FOLDER
        for old, new in rekey_folder(Path(sys.argv[3]), LAYOUTS[sys.argv[2]]):
            print(f"{old} -> {new}")
    elif len(sys.argv) == 1:
        main()
    else:
        sys.exit(__doc__.splitlines()[0])
