"""Rebuild the seed corpus (fuzz/corpus/) from the test fixtures: ``python fuzz/make_corpus.py``.

Each seed is one selector byte (fuzz/harness.py: which function, kind, mode and input form) and a
document: small fixtures from tests/data (events, and their bare ``response`` objects for the
``kind="response"`` targets), the lines of the session log (other event types), a few hand-made
documents that reach the pure path's corners (unknown keys, escapes, non-ASCII, big numbers, deep
nesting, invalid UTF-8), and protobuf bytes made from them with ``bridge.json_to_binary`` for the
``binary_to_json`` targets. The seeds are written canonically (compact JSON), so rebuilding gives
the same files; the corpus is committed and the fuzzer's own finds go to a scratch directory.
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import bridge  # noqa: E402
from harness import CORPUS, FORMS, TARGETS, selector  # noqa: E402

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
        if t.binary_input:
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
    for form in FORMS[1:-1]:
        add("decode_event-event-lenient", "escapes", HAND_MADE["escapes"], form)
        add("json_to_binary-event-lenient", "non-ascii", HAND_MADE["non-ascii"], form)

    # protobuf bytes for the binary_to_json targets
    for kind, docs in (("event", {**events, **HAND_MADE}), ("response", responses)):
        for name, payload in docs.items():
            try:
                blob = bridge.json_to_binary(payload, kind=kind)
            except bridge.ValidationError:
                continue
            for strict in (False, True):
                if strict and name not in ("response_created", "ga_response_done_failed_pcma"):
                    continue
                add(f"binary_to_json-{kind}-{'strict' if strict else 'lenient'}", name, blob)
                if not strict and name == "ga_response_done_failed_pcma":
                    add(f"binary_to_json-{kind}-lenient", name, blob, "memoryview")

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

    _write_dictionary(events, HAND_MADE)

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
    main()
