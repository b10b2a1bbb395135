"""The one-pass JSON -> protobuf writer (``bridge._decoder.json_to_binary``, in front of
``bridge.json_to_binary``) against the two-stage path it stands in for.

Whenever it does not decline, its bytes must be exactly the two-stage path's (compiled decoder and
writer, and the pure path alone); when it declines, the public function must still give the pure
path's outcome. Checked on every stored corpus (tests/data, fuzz/corpus, fuzz/regressions, the
benchmark corpus) as each kind (event, client event, response), on every type fully populated from
the plans (zero declines), on generated flat events (with escapes, non-ASCII text, extreme
integers, doubles, bools, enum spellings, unknown keys, nulls, values of the wrong type, duplicate
keys, non-canonical base64) and on generated documents of every type (nested messages, lists,
maps, unions, raw JSON values, the same misfits at any depth). Base64 that is not canonical (cut
short, unpadded, URL-safe, with whitespace or escapes, a placeholder word, bits set after the last
byte, text no decoder reads) is written in one pass too, in every base64 field at any depth: zero
declines.
"""

from __future__ import annotations

import base64
import json
import pathlib
import tracemalloc
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import bridge
from benchmarks import corpus as bench_corpus
from bridge import convert
from bridge._schema import CLIENT, RESPONSE_PLAN, SERVER, Direction, FieldKind, MessagePlan
from fuzz import harness
from tests._pure import pure_path
from tests.test_speedups import SETTINGS

try:
    from bridge import _decoder
except ImportError:  # pragma: no cover - CI builds the extension
    _decoder = None

ROOT = pathlib.Path(__file__).parent.parent
DIRECTIONS: dict[str, Direction] = {"event": SERVER, "client_event": CLIENT}
#: Every kind json_to_binary takes, with what bridge._decoder.json_to_binary takes for it (None: a response).
KINDS: dict[str, Direction | None] = {**DIRECTIONS, "response": None}
#: The events that dominate a session (issue 27): the one-pass writer must take their canonical forms.
HOT = ("response.output_audio.delta", "response.audio.delta", "response.output_audio_transcript.delta",
       "response.audio_transcript.delta", "response.output_text.delta", "response.text.delta",
       "input_audio_buffer.append")


@pytest.fixture(autouse=True)
def _built() -> None:
    """Without the extension there is nothing to compare: a failure (the install builds it), not a skip."""
    if _decoder is None:
        pytest.fail("bridge._decoder is not built: build it with `pip install -e .`")


def _outcome(call: Callable[[], bytes]) -> tuple[Any, ...]:
    try:
        return ("ok", call())
    except bridge.ValidationError as error:
        return ("invalid", error.violations)


def _fused(data: Any, kind: str) -> bytes | None:
    return _decoder.json_to_binary(data, False, KINDS[kind])


def _check(data: Any, kind: str) -> bool:
    """The one-pass writer's bytes (where it gives some) are the two-stage path's, compiled and
    pure, and the public function's outcome is the pure path's either way; whether it wrote."""
    fused = _fused(data, kind)
    with pure_path():
        expected = _outcome(lambda: bridge.json_to_binary(data, kind=kind))
    assert _outcome(lambda: bridge.json_to_binary(data, kind=kind)) == expected
    if fused is None:
        return False
    assert expected == ("ok", fused)
    assert convert.json_to_binary.__wrapped__(data, kind=kind) == fused  # the compiled two-stage path
    return True


# ------------------------------------------------------------------------------------ the corpora


def _lines(path: pathlib.Path) -> Iterator[bytes]:
    if path.suffix == ".jsonl":
        yield from (line for line in path.read_bytes().splitlines() if line.strip())
    else:
        yield path.read_bytes()


def _stored() -> Iterator[tuple[str, bytes]]:
    """Every stored document: tests/data, the fuzz corpus and regressions (their documents), and the
    benchmark corpus."""
    for path in sorted((ROOT / "tests" / "data").rglob("*.json*")):
        for line in _lines(path):
            yield str(path.relative_to(ROOT)), line
    for path in harness.inputs(harness.CORPUS, harness.REGRESSIONS):
        target, _, payload = harness.split(path.read_bytes())
        if not target.binary_input:
            yield str(path.relative_to(ROOT)), payload
    for case in bench_corpus.build():
        for document in case.documents:
            yield f"benchmarks:{case.name}", document


def test_every_stored_document() -> None:
    """Every kind, every document: the same bytes or a decline, and the hot events of the
    benchmark corpus all written in one pass."""
    written = declined = 0
    hot_declined = []
    for where, document in _stored():
        for kind in KINDS:
            if _check(document, kind):
                written += 1
            else:
                declined += 1
                if where.startswith("benchmarks:") and _type_of(document) in HOT and _direction_of(document) == kind:
                    hot_declined.append((where, document[:80]))
    assert hot_declined == []
    assert written >= 20 and declined >= 50  # the corpora hold both (a check that could not fail otherwise)


def _type_of(document: bytes) -> Any:
    try:
        return json.loads(document).get("type")
    except (ValueError, AttributeError):
        return None


def _direction_of(document: bytes) -> str:
    return "client_event" if _type_of(document) in CLIENT.plans else "event"


# ----------------------------------------------------------------------------- every flat event


def _is_flat_field(field: Any) -> bool:
    """A key the one-pass writer takes on its own: a single string, int64, bool, double, enum or
    base64 value."""
    return not field.repeated and not field.members and (
        field.kind in (FieldKind.BASE64, FieldKind.ENUM)
        or (field.kind is FieldKind.SCALAR and field.python_type in (str, int, bool, float)))


def _is_flat(plan: MessagePlan) -> bool:
    return plan.envelope is not None and all(_is_flat_field(f) for f in plan.fields)


FLAT = [(kind, name, plan) for kind, direction in DIRECTIONS.items() for name, plan in direction.plans.items() if _is_flat(plan)]


#: Well-formed values of each scalar type (doubles: JSON integers that are exact doubles too).
_CANONICAL: dict[Any, list[Any]] = {
    str: ["héllo \u2028 😀", "", "plain \"q\" \\ /"], int: [1234567, -(2**63), 0, 2**63 - 1], bool: [True, False],
    float: [0.25, -0.0, 1e300, 3, -(2**53), 5e-324, 0, 1.5e-7, 2**63 - 1024, -1.7976931348623157e308],
}


def _canonical_value(field: Any, variant: int = 0) -> Any:
    """A value of the field's kind (``variant`` picks another, for the kinds that have several)."""
    if field.kind is FieldKind.BASE64:
        return base64.b64encode(bytes(range(7 + variant))).decode()
    if field.kind is FieldKind.ENUM:
        spellings = sorted(field.enum.number_of)
        return spellings[variant % len(spellings)]
    values = _CANONICAL[field.python_type]
    return values[variant % len(values)]


def _full(name: str, plan: MessagePlan, variant: int = 0) -> dict[str, Any]:
    return {"type": name, **{f.name: _canonical_value(f, variant) for f in plan.fields}}


#: How many variants of each value _canonical_value gives (every one of each type).
VARIANTS = max(len(values) for values in _CANONICAL.values())


def test_the_hot_events_are_flat() -> None:
    assert set(HOT) <= {name for _, name, _ in FLAT}


@pytest.mark.parametrize(("kind", "name", "plan"), FLAT, ids=[name for _, name, _ in FLAT])
def test_no_decline_on_canonical_forms(kind: str, name: str, plan: MessagePlan) -> None:
    """Every flat event type, fully populated, and with only its type: written in one pass (zero
    declines), compact or spaced, with or without ASCII escapes."""
    for document in (*(_full(name, plan, variant) for variant in range(VARIANTS)), {"type": name}):
        for text in (json.dumps(document, separators=(",", ":")), json.dumps(document, indent=2),
                     json.dumps(document, ensure_ascii=False)):
            assert _check(text.encode(), kind), text


def test_the_benchmark_corpus_is_written() -> None:
    """Every document of the benchmark corpus (the session events: deltas, appends, items,
    session.updated; the responses and response events): zero declines."""
    cases = bench_corpus.build()
    assert {c.name for c in cases} >= set(bench_corpus.SESSION_CASES)
    for case in cases:
        for document in case.documents:
            assert _check(document, case.kind), (case.name, document[:80])


# ------------------------------------------------------------------------ every type, populated
# Objects of every plan with every key given (nested to NEST levels), from the plans alone.

#: How deep _populated nests messages (a message deeper than this is left out; a union then takes
#: another member).
NEST = 4
_LEFT_OUT = object()
_RAW_VALUES: list[Any] = [{"a": [1, 2.5, None, True, "é"], "b": {}}, "text \u2028", -3, None, [], {}, False, 1e300]
_MAPS: list[dict[str, str]] = [{"k": "v", "é": "\u2028", "": "", "ka": "1", "k\n": "😀"}, {"a": "1"}]


def _populated_value(field: Any, variant: int, depth: int) -> Any:
    if field.kind is FieldKind.UNION:
        members = list(field.members)
        for k in range(len(members)):
            value = _populated_value(members[(variant + k) % len(members)], variant, depth)
            if value is not _LEFT_OUT:
                return value
        return _LEFT_OUT
    if field.kind is FieldKind.MAP:
        return _MAPS[variant % len(_MAPS)]
    if field.kind is FieldKind.RAW:
        return _RAW_VALUES[variant % len(_RAW_VALUES)]
    if field.kind is FieldKind.MESSAGE:
        if depth >= NEST:
            return _LEFT_OUT
        if field.repeated:
            return [_populated(field.message, variant + k, depth + 1) for k in range(2)]
        return _populated(field.message, variant, depth + 1)
    if field.repeated:
        return [_canonical_value(field, variant), _canonical_value(field, variant + 1)]
    return _canonical_value(field, variant)


def _populated(plan: MessagePlan, variant: int, depth: int = 0) -> dict[str, Any]:
    out = {}
    for field in plan.fields:
        value = _populated_value(field, variant, depth)
        if value is not _LEFT_OUT:
            out[field.name] = value
    return out


#: Every type the one-pass writer takes: each event type of both directions, and the response.
EVERY: list[tuple[str, str, MessagePlan]] = [
    *((kind, name, plan) for kind, direction in DIRECTIONS.items() for name, plan in direction.plans.items()),
    ("response", "response", RESPONSE_PLAN),
]


def _document(kind: str, name: str, plan: MessagePlan, variant: int) -> dict[str, Any]:
    body = _populated(plan, variant)
    return body if kind == "response" else {"type": name, **body}


@pytest.mark.parametrize(("kind", "name", "plan"), EVERY, ids=[name for _, name, _ in EVERY])
def test_no_decline_on_every_type_fully_populated(kind: str, name: str, plan: MessagePlan) -> None:
    """Every event type and the response, every key given (messages, lists, maps, unions by each
    member, raw JSON text, every scalar kind), in every variant of their values, compact, spaced
    and unescaped: zero declines, the two-stage path's bytes."""
    for variant in range(VARIANTS):
        document = _document(kind, name, plan, variant)
        for text in (json.dumps(document, separators=(",", ":")), json.dumps(document, indent=2),
                     json.dumps(document, ensure_ascii=False)):
            assert _check(text.encode(), kind), text[:200]


def test_declines() -> None:
    """What the one-pass writer is not sure of is left to the two-stage path: each of these
    declines (and the public function still gives the pure path's outcome)."""
    base = {"type": "response.output_audio.delta", "event_id": "e", "response_id": "r", "item_id": "i",
            "output_index": 0, "content_index": 0, "delta": "AAAA"}
    assert _check(json.dumps(base).encode(), "event")
    variants = [
        {**base, "output_index": 1.0},  # not a plain integer
        {**base, "output_index": 2**63},  # beyond int64
        {**base, "output_index": -(2**63) - 1},
        {**base, "output_index": 12345678901234567890},
        {**base, "output_index": 10**19},  # 20 digits
        {**base, "event_id": None},  # null in the envelope's field
    ]
    for variant in variants:
        text = json.dumps(variant).replace("\\\\u", "\\u").encode()
        assert not _check(text, "event"), text
    compact = json.dumps(base, separators=(",", ":")).encode()
    for text in (
        compact[:-1] + b',"item_id":"j"}',  # a key given twice
        compact.replace(b'"item_id"', b'"item_\\u0069d"'),  # an escaped key
        compact + b" x",  # trailing garbage
        compact[:-1],  # cut short
        b'{"type":"response.output_audio.delta","delta":"\xff"}',  # invalid UTF-8
        b'{"type":"response.output_audio_transcript.delta","delta":"\xed\xa0\x80"}',  # a surrogate in UTF-8
        b'{"type":"response.output_audio_transcript.delta","delta":"\\ud800"}',  # a lone surrogate escape
        b'{"type":"response.output_audio_transcript.delta","delta":"a\x01"}',  # a control character
        b'{"type":"response.done","response":{"x":1,"x":2}}',  # an unknown key given twice
        b'{"type":"response.done","response":{"\\u0069d":"r"}}',  # a known key, escaped
        b'{"type":"response.done","response":{"\xff":1}}',  # an unknown key not UTF-8
        b'{"type":"response.done","response":{' + b",".join(b'"x%d":%d' % (i, i) for i in range(17)) + b'}}',
        b'{"type":"response.done","response":{"metadata":{"k":"v","k":"w"}}}',  # a map key given twice
        b'{"type":"response.done","response":{"metadata":{"k":1}}}',  # a map value not a string
        b'{"type":"response.done","response":{"metadata":{' + b",".join(b'"k%d":"v"' % i for i in range(17)) + b'}}}',
        b'{"type":"response.done","response":{"output":[null]}}',  # a null item
        b'{"type":"response.done","response":{"status":"nonesuch"}}',  # an unknown enum spelling
        b'{"type":"response.done","response":{"status":"complet\\u0065d"}}',  # an escaped enum spelling
        b'{"type":"response.done","response":{"output":[{"type":"message"}, 1]}}',  # a misfit item
        b'{"type":"response.done","response":{"id":"a","id":"b"}}',  # a nested key given twice
        b'{"type":"input_audio_buffer.append","audio":"AAAA"}',  # a client event, read as a server one
    ):
        assert not _check(text, "event"), text
    assert _decoder.json_to_binary(compact, True, SERVER) is None  # strict mode: the two-stage path
    with pure_path():
        expected = _outcome(lambda: bridge.json_to_binary(compact, kind="event", strict=True))
    assert _outcome(lambda: bridge.json_to_binary(compact, kind="event", strict=True)) == expected


def test_what_json_fidelity_records_of_plain_forms() -> None:
    """Nulls and empty lists (json_fidelity's null_fields and empty_fields, in the plan's order of
    fields), unknown keys and values of a JSON type their key does not take (its unknown_keys, their
    exact text, in upb's order of map keys) and maps (their entries in that order) are written as
    the two-stage path writes them."""
    for text in (
        b'{"type":"response.output_audio.delta","delta":"AAAA","unknown":1}',
        b'{"type":"response.output_audio.delta","output_index":"0","response_id":["r"],"event_id":7}',
        b'{"type":"response.output_audio.delta","output_index":true,"item_id":{"a": [1, "\\u00e9"]},"content_index":null}',
        b'{"type":"response.done","response":"r"}',
        b'{"type":"response.done","response":{"x":1, "\\u00e9t\\u00e9" : [ 1 , 2 ] ,"\xc3\xa9":null,"":"","xa":{}}}',
        b'{"type":"response.done","response":{"output":[{"type":"message","zz":1,"content":[{"q":[]}]}],"usage":5}}',
        b'{"type":"response.done","response":{"output":null,"modalities":[],"y":true,"metadata":{},"status":7}}',
        b'{"type":"response.done","response":{' + b",".join(b'"x%d":%d' % (i, i) for i in range(16)) + b'}}',
        b'{"z":1,"type":"conversation.item.truncated","a":{"b":null},"audio_end_ms":"x"}',
        b'{"type":"response.output_audio.delta","output_index":null,"delta":"AAAA","item_id":null}',
        b'{"type":"response.done","response":{"output":[]}}',
        b'{"type":"response.done","response":{"output":null,"usage":null,"modalities":[],"metadata":null}}',
        b'{"type":"response.done","response":{"metadata":{}}}',
        b'{"type":"response.done","response":{"metadata":{"k":"v"}}}',
        b'{"type":"response.done","response":{"metadata":{"z":"1","a":"","\\u00e9":"\\u00e8","\xc3\xa9a":"x","":"e","aa":"2"}}}',
        b'{"type":"response.done","response":{"metadata":{' + b",".join(b'"k%d":"v"' % i for i in range(16)) + b'}}}',
    ):
        assert _check(text, "event"), text


def test_int64_at_its_ends() -> None:
    for value in (2**63 - 1, -(2**63), 10**18, -(10**18), 9999999999999999999 // 2, -1, -0):
        document = {"type": "response.output_audio.delta", "output_index": value, "content_index": value}
        assert _check(json.dumps(document).encode(), "event"), value
    assert _check(b'{"type":"response.output_audio.delta","output_index":-0}', "event")


def test_nothing_is_kept_after_a_result_or_a_decline() -> None:
    """The scratch an escaped string is unescaped into, the decoded audio, the spans of a document
    too big for the C stack and the result are freed whether the event is written or declined
    halfway (after its escaped strings and its audio, after its spans moved to the heap, or while
    it is written)."""
    audio = base64.b64encode(bytes(3000)).decode()
    part = {"type": "output_text", "text": "é\n" * 20, "transcript": None}
    items = [{"id": f"i{k}", "type": "message", "role": "assistant", "content": [part, part]} for k in range(60)]
    done = {"type": "response.done", "response": {"id": "r", "output": items, "metadata": {"b": "1", "a": "2"}}}
    create = {"type": "conversation.item.create", "item": {"type": "message", "content": [{"type": "input_audio", "audio": audio}]}}
    delta, text = {"type": "response.output_audio.delta"}, {"type": "response.output_text.delta"}
    documents = [  # (kind, document, written)
        ("event", json.dumps(done).encode(), True),
        ("event", json.dumps({**done, "response": {**done["response"], "output": [*items, {"status": "nonesuch"}]}}).encode(), False),
        ("client_event", json.dumps(create).encode(), True),
        ("client_event", json.dumps(create).replace(audio[:8], "AAAA!AAA").encode(), True),  # nothing read from it
        ("client_event", json.dumps(create).replace(audio[:8], "AAAA-AA\\n").encode(), True),  # read leniently
        ("client_event", json.dumps(create).replace(audio[:8], "AAAA-AA\\n").replace('"message"', '"nonesuch"').encode(),
         False),  # after it
        ("event", json.dumps({**delta, "event_id": "é\n", "delta": audio}).encode(), True),
        ("event", json.dumps({**text, "delta": "a\"b" * 500, "item_id": "x"}).encode(), True),
        ("event", json.dumps({**delta, "event_id": "é\n", "delta": audio, "output_index": 1.5}).encode(), False),
        ("event", json.dumps({**delta, "delta": audio[:-1], "output_index": 1.5}).encode(), False),
        ("event", json.dumps({**text, "delta": "a\"b" * 500, "output_index": 2**63}).encode(), False),
    ]
    for kind, document, written in documents:
        assert _check(document, kind) is written, document[:80]
    tracemalloc.start()
    try:
        for _ in range(3):
            _fused(documents[0][1], "event")
        before = tracemalloc.get_traced_memory()[0]
        for _ in range(500):
            for kind, document, _ in documents:
                _fused(document, kind)
        assert tracemalloc.get_traced_memory()[0] - before < 10_000
    finally:
        tracemalloc.stop()


def test_every_input_form() -> None:
    """bytes, str, bytearray and memoryview give the same bytes; a strided view declines."""
    document = json.dumps({"type": "response.output_text.delta", "delta": "é\n", "event_id": "x"}).encode()
    expected = _fused(document, "event")
    assert expected is not None
    for form in (document.decode(), bytearray(document), memoryview(document)):
        assert _fused(form, "event") == expected
        assert _check(form, "event")
    assert not _check(memoryview(document * 2)[::2], "event")


# ------------------------------------------------------------------------------ non-canonical base64
# Each form is a JSON string literal made of a canonical base64 text (``c``): what the two-stage
# path carries as a Base64Text (the field what bridge._base64.lenient reads, json_fidelity's
# base64_text the exact text), which the one-pass writer writes too.

_LONG = base64.b64encode(bytes(range(256)) * 3).decode()  # (1024 characters: every SIMD path, and their tails)
NON_CANONICAL: dict[str, Callable[[str], str]] = {
    "cut short": lambda c: json.dumps(c[: max(len(c) - 5, 1)]),
    "cut at 4n+1": lambda c: json.dumps(c.rstrip("=")[: len(c.rstrip("=")) // 4 * 4 - 3] if len(c) > 8 else "AAAAA"),
    "no padding": lambda c: json.dumps(c.rstrip("=") if c.endswith("=") else c + "A"),
    "too much padding": lambda c: json.dumps(c + "=" if c.endswith("=") else c + "AA==="),
    "url-safe": lambda c: json.dumps(c.replace("+", "-").replace("/", "_") if "+" in c or "/" in c else "-_" + c),
    "mixed alphabets": lambda c: json.dumps("+-/_" + c),
    "line breaks": lambda c: json.dumps("\n".join(c[k:k + 76] for k in range(0, len(c), 76)) + "\n"),
    "crlf every 4": lambda c: json.dumps("\r\n".join(c[k:k + 4] for k in range(0, len(c), 4))),
    "spaces": lambda c: json.dumps(" ".join(c[k:k + 3] for k in range(0, len(c), 3))),
    "tabs, form feeds, vertical tabs": lambda c: json.dumps("\t" + c[:5] + "\f\u000b" + c[5:] + " "),
    "whitespace only": lambda c: json.dumps(" \n "),
    "padding only": lambda c: json.dumps("=="),
    "placeholder": lambda c: json.dumps("Base64EncodedAudioDelta"),
    "bits after the last byte": lambda c: json.dumps(c[:-3] + "B==" if c.endswith("==") else c[:-2] + "B=" if c.endswith("=") else "AB=="),
    "escaped canonical": lambda c: json.dumps(c).replace("A", "\\u0041").replace("/", "\\/"),
    "escaped, cut short": lambda c: json.dumps(c[:-1]).replace("A", "\\u0041"),
    "padding inside": lambda c: json.dumps("AA==" + c),
    "not base64": lambda c: json.dumps("<audio " + c[:6] + ">"),
    "non-ascii": lambda c: json.dumps(c[:6] + "é=", ensure_ascii=False),
    "non-ascii, escaped": lambda c: json.dumps(c[:6] + "😀"),
    "a nul": lambda c: json.dumps(c[:3] + "\u0000"),
}


def _has_base64(plan: MessagePlan, seen: frozenset[MessagePlan] = frozenset()) -> bool:
    if plan in seen:
        return False
    for field in plan.fields:
        for member in field.members or (field,):
            if member.kind is FieldKind.BASE64:
                return True
            if member.message is not None and _has_base64(member.message, seen | {plan}):
                return True
    return False


#: Every type with a base64 field at some depth (an event's audio, a content part's in an item or a response).
WITH_BASE64 = [(kind, name, plan) for kind, name, plan in EVERY if _has_base64(plan)]


def test_the_schema_has_base64_at_every_depth() -> None:
    """The cases below reach base64 fields at the top of an event and nested (a content part in an
    item, in a response's output and input), in both directions."""
    names = {name for _, name, _ in WITH_BASE64}
    assert {"response.output_audio.delta", "input_audio_buffer.append", "conversation.item.create",
            "response.done", "response"} <= names


@pytest.mark.parametrize("form", NON_CANONICAL, ids=list(NON_CANONICAL))
def test_non_canonical_base64_flat(form: str) -> None:
    """Each form as an audio delta's and an append's audio, of several lengths (empty, short,
    1024 characters): written in one pass, the two-stage path's bytes."""
    for text in ("", "AA==", "AAE=", "+/8A", base64.b64encode(bytes(range(7))).decode(), _LONG, _LONG[:-4]):
        value = NON_CANONICAL[form](text)
        for kind, document in (
            ("event", '{"type":"response.output_audio.delta","event_id":"e","delta":' + value + ',"item_id":"i"}'),
            ("event", '{"type":"response.audio.delta","delta":' + value + "}"),
            ("client_event", '{"type":"input_audio_buffer.append","audio":' + value + ',"event_id":"c"}'),
        ):
            assert _check(document.encode(), kind), document[:200]


@pytest.mark.parametrize(("kind", "name", "plan"), WITH_BASE64, ids=[name for _, name, _ in WITH_BASE64])
def test_no_decline_on_non_canonical_base64_at_any_depth(kind: str, name: str, plan: MessagePlan) -> None:
    """Every type with a base64 field, fully populated (nested to NEST levels), each of its base64
    values in each non-canonical form: zero declines, the two-stage path's bytes."""
    for variant in range(2):
        document = json.dumps(_document(kind, name, plan, variant), separators=(",", ":"))
        values = {json.dumps(base64.b64encode(bytes(range(7 + v))).decode()) for v in range(VARIANTS)}
        present = [v for v in values if v in document]
        assert present, document[:200]  # (the populated document holds base64 values to replace)
        for form, make in NON_CANONICAL.items():
            text = document
            for value in present:
                text = text.replace(value, make(json.loads(value)))
            assert _check(text.encode(), kind), (form, text[:300])


def test_base64_text_is_recorded_as_the_two_stage_path_records_it() -> None:
    """What json_fidelity holds of non-canonical base64 beside nulls, empty lists and unknown keys
    (its fields 1, 2, 3 and 5 together), and the field unset when nothing can be read from the text."""
    for text in (
        b'{"type":"response.output_audio.delta","delta":"AB=","x":1,"item_id":null}',
        b'{"type":"response.output_audio.delta","delta":"!!!!","x":1,"item_id":null}',
        b'{"type":"response.output_audio.delta","delta":"A","output_index":"1"}',
        b'{"type":"response.done","response":{"output":[{"type":"message","content":[{"type":"input_audio",'
        b'"audio":"AA","transcript":null,"z":[]},{"type":"input_audio","audio":"A-_A","text":5}]}],"modalities":[]}}',
    ):
        assert _check(text, "event"), text


@st.composite
def base64_texts(draw: Callable[..., Any]) -> str:
    """Any text a base64 key may be given: canonical base64, or one changed as producers and
    loggers change it (cut anywhere, padding dropped or added, URL-safe digits, whitespace, bits set
    after the last byte), or any text at all."""
    text = base64.b64encode(draw(st.binary(max_size=60))).decode()
    change = draw(st.integers(0, 7))
    if change == 1:
        text = text[: draw(st.integers(0, len(text)))]
    elif change == 2:
        text = text.rstrip("=") + "=" * draw(st.integers(0, 3))
    elif change == 3:
        text = text.replace("+", "-").replace("/", "_") if draw(st.booleans()) else text.replace("/", "_")
    elif change == 4:
        for _ in range(draw(st.integers(1, 4))):
            at = draw(st.integers(0, len(text)))
            text = text[:at] + draw(st.sampled_from([" ", "\n", "\r\n", "\t", "\f", "\v"])) + text[at:]
    elif change == 5 and text.endswith("="):
        digits = text.rstrip("=")
        text = digits[:-1] + draw(st.sampled_from("BCDPQRfgh")) + text[len(digits):]
    elif change == 6:
        text = draw(st.text(st.sampled_from("AQgw+/-_= \n\té\x00!"), max_size=12))
    elif change == 7:
        text = draw(_TEXT)
    return text


@SETTINGS
@given(st.sampled_from(WITH_BASE64), st.data())
def test_generated_base64_texts_are_written(case: tuple[str, str, MessagePlan], data: st.DataObject) -> None:
    """A document of a type with base64 somewhere, well formed but for its base64 values, which
    are any text (see base64_texts), escaped or not: zero declines, the two-stage path's bytes."""
    kind, name, plan = case
    document = json.dumps(_document(kind, name, plan, data.draw(st.integers(0, VARIANTS - 1))),
                          separators=(",", ":"))
    for v in range(VARIANTS):
        parts = document.split(json.dumps(base64.b64encode(bytes(range(7 + v))).decode()))
        document = parts[0] + "".join(
            json.dumps(data.draw(base64_texts()), ensure_ascii=data.draw(st.booleans())) + part for part in parts[1:])
    assert _check(document.encode(), kind), document[:300]


# ------------------------------------------------------------------------------------- properties


_TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=20) | st.sampled_from(
    ["", '"', "\\", "/", "\u0000", "\u001f", "\u007f", "é", "\u2028", "😀", "a\nb"])
_INT = st.integers(-(2**63), 2**63 - 1) | st.sampled_from([0, -1, 2**63 - 1, -(2**63), 10**18, -(10**18)])
_WRONG = st.sampled_from([None, 1.5, [], {}, "x", 7, True, 1e300, 0])
#: Doubles as JSON numbers: any finite float, and integers (the ones beyond 2**53 are not all exact
#: doubles: the two-stage path refuses those, and the one-pass writer must decline them).
_EXACT_INT = st.integers(-(2**53), 2**53)
_DOUBLE = st.floats(allow_nan=False, allow_infinity=False) | _EXACT_INT | st.sampled_from([0.0, -0.0, 5e-324, 2**63 - 1024])
_ANY_DOUBLE = _DOUBLE | _INT | st.sampled_from([2**53 + 1, 2**63 - 1, -(2**63), 2**63, 10**30])


def _value(field: Any, draw: Callable[..., Any], canonical: bool = False) -> Any:
    if field.kind is FieldKind.BASE64:
        raw = base64.b64encode(draw(st.binary(max_size=40))).decode()
        return draw(st.sampled_from([raw, raw, raw[:-1], "AB==", "A=AA"]) | base64_texts()) if raw and not canonical else raw
    if field.kind is FieldKind.ENUM:
        spellings = sorted(field.enum.number_of)
        return draw(st.sampled_from(spellings if canonical else [*spellings, "x_unknown", spellings[0].upper()]))
    if field.python_type is float:
        return draw(_DOUBLE if canonical else _ANY_DOUBLE)
    return draw({str: _TEXT, int: _INT, bool: st.booleans()}[field.python_type])


@st.composite
def canonical_flat_events(draw: Callable[..., Any]) -> tuple[str, bytes]:
    """A flat event as a producer writes it: known keys once each, values of their type (any text,
    any int64, bool, double, known enum spelling, canonical base64), in any order and spacing,
    escaped or not."""
    kind, name, plan = draw(st.sampled_from(FLAT))
    fields = draw(st.permutations([f for f in plan.fields if draw(st.booleans())]))
    document = {"type": name, **{f.name: _value(f, draw, canonical=True) for f in fields}}
    text = json.dumps(document, ensure_ascii=draw(st.booleans()), indent=draw(st.sampled_from([None, 1])))
    return kind, text.encode()


@SETTINGS
@given(canonical_flat_events())
def test_generated_canonical_flat_events_are_written(case: tuple[str, bytes]) -> None:
    """Zero declines on well-formed flat events, and the two-stage path's bytes."""
    kind, document = case
    assert _check(document, kind)


@st.composite
def flat_events(draw: Callable[..., Any]) -> tuple[str, bytes]:
    kind, name, plan = draw(st.sampled_from(FLAT))
    document: dict[str, Any] = {}
    keys = [f for f in plan.fields if draw(st.booleans())]
    keys = draw(st.permutations(keys))
    place_type = draw(st.integers(0, len(keys)))
    for i, field in enumerate(keys):
        if i == place_type:
            document["type"] = name
        document[field.name] = draw(_WRONG) if draw(st.integers(0, 9)) == 0 else _value(field, draw)
    document.setdefault("type", name)
    if draw(st.integers(0, 9)) == 0:
        document["x_unknown"] = draw(_WRONG)
    text = json.dumps(document, ensure_ascii=draw(st.booleans()),
                      separators=draw(st.sampled_from([(",", ":"), (", ", ": ")])))
    if draw(st.integers(0, 9)) == 0 and keys:  # a key given twice
        text = text[:-1] + ", " + json.dumps(keys[0].name) + ": " + json.dumps(_value(keys[0], draw)) + "}"
    if draw(st.integers(0, 9)) == 0:  # a direction it does not belong to
        kind = "client_event" if kind == "event" else "event"
    return kind, text.encode()


@SETTINGS
@given(flat_events())
def test_generated_flat_events(case: tuple[str, bytes]) -> None:
    kind, document = case
    _check(document, kind)


def test_doubles_as_the_decoder_reads_them() -> None:
    """A double's JSON text in every form is written as the two-stage path writes it (correctly
    rounded, an integer as its exact double; null, a string, a boolean, a list recorded in
    json_fidelity) or declined where that path refuses it (an integer with no exact double,
    beyond int64, an infinity) or the text is not JSON."""
    prefix = b'{"type":"conversation.item.input_audio_transcription.segment","id":"s","start":'
    written = [b"0", b"-0", b"0.0", b"-0.0", b"1", b"1.5", b"1E5", b"1e-5", b"1.25e+2", b"-3.5E-300", b"5e-324",
               b"1.7976931348623157e308", b"0.1", b"123456789012345680", b"9007199254740992", b"-9007199254740992",
               b"9223372036854774784", b"0.30000000000000004", b"2.2250738585072014e-308", b"1" + b"0" * 30 + b".5",
               b"null", b'"1.5"', b"true", b"[]"]
    for number in written:
        assert _check(prefix + number + b"}", "event"), number
    declined = [b"9007199254740993", b"123456789012345678", b"9223372036854775807", b"9223372036854775808",
                b"-9223372036854775809", b"1e400", b"01", b"1.", b".5", b"-", b"1e"]
    for number in declined:
        assert not _check(prefix + number + b"}", "event"), number


# ------------------------------------------------------------------------ nested, generated

_JSON_VALUES = st.recursive(
    st.none() | st.booleans() | _INT | st.floats(allow_nan=False, allow_infinity=False) | _TEXT,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_TEXT, inner, max_size=3),
    max_leaves=6,
)


def _drawn_object(draw: Callable[..., Any], plan: MessagePlan, depth: int, canonical: bool) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for field in draw(st.permutations([f for f in plan.fields if draw(st.booleans())])):
        value = _drawn_value(draw, field, depth, canonical)
        if value is not _LEFT_OUT:
            out[field.name] = value
    if not canonical and draw(st.integers(0, 19)) == 0:
        out["x_unknown"] = draw(_WRONG)
    return out


def _drawn_value(draw: Callable[..., Any], field: Any, depth: int, canonical: bool) -> Any:
    if not canonical and draw(st.integers(0, 19)) == 0:
        return draw(_WRONG)  # a value of another type, or null where it may or may not be recorded
    if field.kind is FieldKind.UNION:
        field = draw(st.sampled_from(field.members))
    if field.kind is FieldKind.MAP:
        return draw(st.dictionaries(_TEXT, _TEXT, max_size=18 if not canonical else 6))
    if field.kind is FieldKind.RAW:
        return draw(_JSON_VALUES)
    if field.kind is FieldKind.MESSAGE:
        if depth >= 3:
            return _LEFT_OUT
        if field.repeated:
            return [_drawn_object(draw, field.message, depth + 1, canonical) for _ in range(draw(st.integers(0, 2)))]
        return _drawn_object(draw, field.message, depth + 1, canonical)
    if field.repeated:
        return [_value(field, draw, canonical) for _ in range(draw(st.integers(0, 3)))]
    return _value(field, draw, canonical)


@st.composite
def nested_documents(draw: Callable[..., Any], canonical: bool) -> tuple[str, bytes]:
    """A document of any type (an event of either direction, or a response), its keys a random
    subset in random order, nested objects and lists of them, maps, unions by any member, raw JSON
    values; with ``canonical`` False also values of other types, nulls, unknown keys, duplicate
    keys, non-canonical base64, unknown enum spellings, doubles that are not exact."""
    kind, name, plan = draw(st.sampled_from(EVERY))
    body = _drawn_object(draw, plan, 0, canonical)
    document = body if kind == "response" else {"type": name, **body}
    text = json.dumps(document, ensure_ascii=draw(st.booleans()), indent=draw(st.sampled_from([None, 1])))
    if not canonical and draw(st.integers(0, 9)) == 0 and body:  # a key given twice
        key = draw(st.sampled_from(sorted(body)))
        text = text.rstrip()[:-1] + ", " + json.dumps(key) + ": " + json.dumps(body[key]) + "}"
    return kind, text.encode()


@SETTINGS
@given(nested_documents(canonical=True))
def test_generated_canonical_documents_are_written(case: tuple[str, bytes]) -> None:
    """Zero declines on well-formed documents of every type, and the two-stage path's bytes."""
    kind, document = case
    assert _check(document, kind), document[:300]


@SETTINGS
@given(nested_documents(canonical=False))
def test_generated_documents(case: tuple[str, bytes]) -> None:
    """Any document: the two-stage path's bytes, or a decline (and the pure path's outcome)."""
    kind, document = case
    _check(document, kind)
