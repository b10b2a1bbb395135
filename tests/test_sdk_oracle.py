"""The OpenAI Python SDK as the oracle of the event schema (issue 13).

Every event model of the SDK's four unions (server and client events, GA and beta) is turned into
documents with every field populated: at each union or ``Literal`` in a model, successive documents
take the option used least so far, until every option of every union reached has appeared once (so
each union member and each literal value has a document of its own; deterministic, no randomness),
plus a document with every nullable scalar ``null``, one with every nullable field ``null`` and one
with only the required keys. The SDK dumps each (``model_dump(mode="json", exclude_unset=True)``)
and must parse the JSON back through its union into the same model and the same dump.

For each document the bridge must, in the compiled path and the pure-Python one:

1. decode it into the event's own class (never ``GenericEvent`` / ``GenericClientEvent``);
2. keep nothing in ``extra`` anywhere in the tree; the share of the documents' key paths that land
   in typed fields (raw-JSON fields count as typed) is printed per protocol and must be >= 95%;
3. round-trip exactly: JSON -> binary -> JSON, and Struct -> proto -> Struct;
4. hold what the SDK parsed, typed: walking the SDK model and the Struct in parallel, scalars are
   equal, enum fields hold the JSON spelling of a known value, raw fields hold the JSON the SDK
   dumps, and a key the SDK did not see (``model_fields_set``) is ``UNSET`` while a ``null`` is None;
5. accept it in strict mode (the SDK's documents are valid upstream documents).

And every (protocol, direction, type) of the SDK unions has a class in the bridge, so an SDK upgrade
that adds an event fails here, naming it.

The SDK is a pinned test dependency (pyproject.toml's ``test`` extra, constraints.txt).
"""

from __future__ import annotations

import base64
import collections
import functools
import json
import os
import pathlib
import subprocess
import sys
import typing
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Literal, Union, get_args, get_origin

import msgspec
import openai.types.beta.realtime.realtime_client_event as beta_client
import openai.types.beta.realtime.realtime_server_event as beta_server
import openai.types.realtime.realtime_client_event as ga_client
import openai.types.realtime.realtime_server_event as ga_server
import pydantic
import pytest

import bridge
from bridge import _accel
from bridge._schema import CLIENT_EVENT_PLANS, EVENT_PLANS, EXTRA_FIELD, FieldKind, plan_for

ROOT = pathlib.Path(__file__).resolve().parent.parent

#: (protocol, direction) -> the SDK's union of the events that side sends.
UNIONS: dict[tuple[str, str], Any] = {
    ("ga", "server"): ga_server.RealtimeServerEvent,
    ("ga", "client"): ga_client.RealtimeClientEvent,
    ("beta", "server"): beta_server.RealtimeServerEvent,
    ("beta", "client"): beta_client.RealtimeClientEvent,
}
KIND = {"server": "event", "client": "client_event"}
PLANS = {"server": EVENT_PLANS, "client": CLIENT_EVENT_PLANS}
GENERIC = {"server": bridge.GenericEvent, "client": bridge.GenericClientEvent}
MIN_COVERAGE = 0.95
#: Generation stops here even if some union option is still unused (the test then fails, naming it).
MAX_VARIANTS = 200


# ---------------------------------------------------------------------------------- the SDK side


def _unwrap(t: Any) -> Any:
    while get_origin(t) is typing.Annotated:
        t = get_args(t)[0]
    return t


def _flat(t: Any) -> list[Any]:
    """The members of a (nested, annotated) Union, or ``[t]``."""
    t = _unwrap(t)
    if get_origin(t) is not Union:
        return [t]
    return [m for a in get_args(t) for m in _flat(a)]


def _is_model(t: Any) -> bool:
    return isinstance(t, type) and issubclass(t, pydantic.BaseModel)


def _event_type(model: type[pydantic.BaseModel]) -> str:
    (value,) = get_args(_unwrap(model.model_fields["type"].annotation))
    return str(value)


def _members(union: Any) -> list[type[pydantic.BaseModel]]:
    members = _flat(union)
    assert all(_is_model(m) for m in members), members
    return members


#: Options of a union site: ("lit", value) for each literal value, ("type", t) for every other member.
Option = tuple[str, Any]


def _options(t: Any) -> list[Option]:
    options: list[Option] = []
    for member in _flat(t):
        if member is type(None):
            continue
        if get_origin(member) is Literal:
            options += [("lit", v) for v in get_args(member)]
        else:
            options.append(("type", member))
    return options


def _nullable(t: Any) -> bool:
    return type(None) in _flat(t)


def _container(option: Option) -> bool:
    kind, t = option
    return kind == "type" and (_is_model(t) or get_origin(_unwrap(t)) in (list, dict))


#: Plain-``str`` SDK fields whose documentation lists the values the API takes ("Options are
#: `pcm16`, `g711_ulaw`, or `g711_alaw`"; "only `server_vad` is currently supported"): the bridge
#: types them as enums and strict mode checks them, so the documents use a documented value.
DOCUMENTED_STR = {"input_audio_format": "pcm16", "output_audio_format": "pcm16", "TurnDetection.type": "server_vad"}
#: The audio the SDK types as a plain ``str`` of base64 ("Base64-encoded audio bytes"): an ``audio``
#: key anywhere, and the ``delta`` of the audio delta events. Sent as the API sends it, canonical.
BASE64_VALUE = base64.b64encode(b"audio bytes\x00\xff").decode()


def _is_base64(owner: str, name: str) -> bool:
    return name == "audio" or (name == "delta" and owner.rsplit(".", 1)[-1] in ("ResponseAudioDeltaEvent",))


class _Generator:
    """Builds the JSON documents of one event model. ``counts`` is per union site (the model that
    has the field, the field, the type): how often each option was taken, least used first."""

    def __init__(self) -> None:
        self.counts: dict[tuple[str, str, str], list[int]] = {}

    def complete(self) -> bool:
        return all(all(c) for c in self.counts.values())

    def unused(self) -> list[str]:
        return [f"{site}: option {i}" for site, c in self.counts.items() for i, n in enumerate(c) if not n]

    def model(self, model: type[pydantic.BaseModel], mode: str) -> dict[str, Any]:
        out = {}
        for name, info in model.model_fields.items():
            if mode == "minimal" and not info.is_required():
                continue
            out[info.alias or name] = self.value(info.annotation, f"{model.__module__}.{model.__qualname__}", name, mode)
        return out

    def value(self, t: Any, owner: str, name: str, mode: str) -> Any:
        if _nullable(t) and (mode == "null-all" or (mode == "null-leaves" and not any(map(_container, _options(t))))):
            return None
        options = _options(t)
        if len(options) > 1 or (options and options[0][0] == "lit"):
            counts = self.counts.setdefault((owner, name, repr(t)), [0] * len(options))
            index = min(range(len(options)), key=counts.__getitem__)
            counts[index] += 1
            kind, chosen = options[index]
            if kind == "lit":
                return chosen
            t = chosen
        else:
            (option,) = options
            t = option[1]
        return self.plain(_unwrap(t), owner, name, mode)

    def plain(self, t: Any, owner: str, name: str, mode: str) -> Any:
        origin = get_origin(t)
        if origin is list:
            (item,) = get_args(t)
            return [self.value(item, owner, name, mode)]
        if origin is dict:
            _, value = get_args(t)
            return {f"{name}_key{i}": self.value(value, owner, f"{name}[{i}]", mode) for i in (1, 2)}
        if _is_model(t):
            return self.model(t, mode)
        if t is str and _is_base64(owner, name):
            return BASE64_VALUE
        if t is str:
            documented = DOCUMENTED_STR.get(f"{owner.rsplit('.', 1)[-1]}.{name}", DOCUMENTED_STR.get(name))
            return documented or f"{name}-value"
        if t is bool:
            return True
        if t is int:  # inside every documented range (e.g. client_secret.expires_after.seconds 10..7200)
            return 600
        if t is float:  # inside every documented range (temperature 0.6..1.2, speed 0.25..1.5, thresholds 0..1)
            return 0.75
        if t is object or t is Any:
            return {"any": {"nested": [1, "x", None, 2.5]}}
        raise TypeError(f"{owner}.{name}: no generator for {t!r}")


@dataclass
class Document:
    protocol: str
    direction: str
    type: str
    variant: str
    text: bytes
    sdk: pydantic.BaseModel = field(repr=False)

    @property
    def kind(self) -> str:
        return KIND[self.direction]

    @property
    def name(self) -> str:
        return f"{self.protocol}/{self.direction}/{self.type}#{self.variant}"


@functools.cache
def _adapters() -> dict[tuple[str, str], pydantic.TypeAdapter[Any]]:
    return {key: pydantic.TypeAdapter(union) for key, union in UNIONS.items()}


def _sdk_document(protocol: str, direction: str, model: type[pydantic.BaseModel], variant: str, data: dict[str, Any]) -> Document:
    instance = model.model_validate(data)
    dumped = instance.model_dump(mode="json", exclude_unset=True)
    assert dumped == data, f"{model.__name__}#{variant}: the SDK does not dump what it was given"
    text = json.dumps(dumped, ensure_ascii=False).encode()
    parsed = _adapters()[protocol, direction].validate_json(text)  # the SDK accepts it back, as this model
    assert type(parsed) is model, (model, type(parsed))
    assert parsed.model_dump(mode="json", exclude_unset=True) == data
    return Document(protocol, direction, _event_type(model), variant, text, parsed)


def _generate(protocol: str, direction: str, model: type[pydantic.BaseModel]) -> list[Document]:
    generator = _Generator()
    documents = []
    seen = set()
    for k in range(MAX_VARIANTS):
        data = generator.model(model, "full")
        key = json.dumps(data, sort_keys=True)
        if key not in seen:  # one document per choice where they differ
            seen.add(key)
            documents.append(_sdk_document(protocol, direction, model, str(k), data))
        if generator.complete():
            break
    assert generator.complete(), f"{model.__name__}: options never generated: {generator.unused()}"
    for mode in ("null-leaves", "null-all", "minimal"):
        data = _Generator().model(model, mode)
        key = json.dumps(data, sort_keys=True)
        if key not in seen:
            seen.add(key)
            documents.append(_sdk_document(protocol, direction, model, mode, data))
    return documents


def _sdk_events() -> list[tuple[str, str, str]]:
    return [(p, d, _event_type(m)) for (p, d), union in UNIONS.items() for m in _members(union)]


@functools.cache
def _documents() -> dict[tuple[str, str, str], list[Document]]:
    return {
        (p, d, _event_type(m)): _generate(p, d, m) for (p, d), union in UNIONS.items() for m in _members(union)
    }


def _all_documents() -> list[Document]:
    return [doc for docs in _documents().values() for doc in docs]


EVENTS = _sdk_events()
IDS = [f"{p}-{d}-{t}" for p, d, t in EVENTS]


# ------------------------------------------------------------------------------- the bridge side


def _decoders(direction: str) -> dict[str, Any]:
    decode = bridge.decode_event if direction == "server" else bridge.decode_client_event
    return {"compiled": decode, "pure": getattr(decode, "__wrapped__", decode)}


def _json_names(struct: msgspec.Struct) -> dict[str, str]:
    """JSON key -> attribute of a Struct's fields (``extra`` left out)."""
    return {f.encode_name: f.name for f in msgspec.structs.fields(struct) if f.name != EXTRA_FIELD}


def _extras(value: Any, path: str = "$") -> Iterator[str]:
    """Every ``extra`` in a decoded tree: ``path: keys``."""
    if isinstance(value, msgspec.Struct):
        extra = getattr(value, EXTRA_FIELD, msgspec.UNSET)
        if extra is not msgspec.UNSET and len(extra):
            yield f"{path}: {sorted(extra)}"
        for key, attr in _json_names(value).items():
            yield from _extras(getattr(value, attr), f"{path}.{key}")
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _extras(item, f"{path}[{i}]")
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _extras(item, f"{path}.{key}")


def _key_paths(data: Any, struct: Any, path: tuple[str, ...], typed: bool, out: dict[tuple[str, ...], bool],
               raw: set[tuple[str, ...]]) -> None:
    """Every key path of the JSON ``data`` (list indexes as ``[]``) -> whether it landed in a typed
    field of ``struct`` (a key kept in ``extra``, and all below it, did not; raw-JSON fields and all
    below them count as typed, and the latter are also put in ``raw``)."""
    if isinstance(data, list):
        for i, item in enumerate(data):
            sub = struct[i] if isinstance(struct, list) and i < len(struct) else struct if isinstance(struct, msgspec.Raw) else None
            _key_paths(item, sub, (*path, "[]"), typed, out, raw)
        return
    if not isinstance(data, dict):
        return
    names = _json_names(struct) if isinstance(struct, msgspec.Struct) else {}
    for key, value in data.items():
        sub_path = (*path, key)
        if not typed:
            here, sub = False, None
        elif isinstance(struct, msgspec.Struct):
            tag = not path and key == "type" and struct.__struct_config__.tag_field == "type"
            here = key in names or tag
            sub = getattr(struct, names[key]) if key in names else None
        elif isinstance(struct, msgspec.Raw):  # inside a raw-JSON field: carried by a typed field
            here, sub = True, struct
            raw.add(sub_path)
        elif isinstance(struct, dict):  # a key of a map
            here, sub = True, struct.get(key)
        else:
            here, sub = False, None
        out[sub_path] = out.get(sub_path, True) and here
        _key_paths(value, sub, sub_path, here, out, raw)


def _literals(t: Any) -> set[Any]:
    """Every Literal value in an annotation (through Optional, Union, List)."""
    t = _unwrap(t)
    if get_origin(t) is Literal:
        return set(get_args(t))
    return {v for a in get_args(t) if not isinstance(a, (str, int, bool)) for v in _literals(a)}


def _jsonable(value: Any) -> Any:
    if isinstance(value, pydantic.BaseModel):
        return value.model_dump(mode="json", exclude_unset=True)
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    return value


def _typed_differences(sdk: Any, obj: Any, path: str = "$") -> Iterator[str]:
    """Where the Struct tree ``obj`` does not hold what the SDK parsed (``sdk``), walked in parallel."""
    if isinstance(obj, msgspec.Raw):  # a raw-JSON field (any JSON shape, kept as its exact text)
        held = json.loads(bytes(obj))
        if held != _jsonable(sdk):
            yield f"{path}: raw {held!r:.80} != {_jsonable(sdk)!r:.80}"
        return
    if isinstance(sdk, pydantic.BaseModel):
        if not isinstance(obj, msgspec.Struct):
            yield f"{path}: the SDK has an object ({type(sdk).__name__}), the bridge {type(obj).__name__} {obj!r:.80}"
            return
        if sdk.model_extra:
            yield f"{path}: the SDK kept unknown keys {sorted(sdk.model_extra)}"
        names = _json_names(obj)
        plan = plan_for(obj)
        for name, info in type(sdk).model_fields.items():
            key = info.alias or name
            sub = f"{path}.{key}"
            if path == "$" and key == "type" and obj.__struct_config__.tag_field == "type":
                if obj.type != getattr(sdk, name):
                    yield f"{sub}: type {obj.type!r} != {getattr(sdk, name)!r}"
                continue
            if key not in names:
                if name in sdk.model_fields_set:
                    yield f"{sub}: no field in {type(obj).__name__}"
                continue
            value = getattr(obj, names[key])
            if name not in sdk.model_fields_set:
                if value is not msgspec.UNSET:
                    yield f"{sub}: missing in the document, {value!r:.80} in the bridge (not UNSET)"
                continue
            expected = getattr(sdk, name)
            fplan = plan.by_name[names[key]]
            if fplan.kind is FieldKind.ENUM and expected is not None:
                # A value the SDK spells as a Literal is a value of the proto enum, with that JSON
                # spelling (a plain-str SDK field may hold any string: the proto keeps it as unknown).
                assert fplan.enum is not None
                values = expected if isinstance(expected, list) else [expected]
                unknown = [v for v in values if v in _literals(info.annotation) and v not in fplan.enum.number_of]
                if unknown:
                    yield f"{sub}: {unknown} is not a value of enum {fplan.enum.name}"
            yield from _typed_differences(expected, value, sub)
        return
    if sdk is None or obj is None:
        if not (sdk is None and obj is None):
            yield f"{path}: {obj!r:.80} in the bridge, {sdk!r:.80} in the SDK"
        return
    if isinstance(sdk, list):
        if not isinstance(obj, list) or len(obj) != len(sdk):
            yield f"{path}: list {sdk!r:.80} != {obj!r:.80}"
            return
        for i, (a, b) in enumerate(zip(sdk, obj, strict=True)):
            yield from _typed_differences(a, b, f"{path}[{i}]")
        return
    if isinstance(sdk, dict):
        if not isinstance(obj, dict) or set(obj) != set(sdk):
            yield f"{path}: map {sdk!r:.80} != {obj!r:.80}"
            return
        for key in sdk:
            yield from _typed_differences(sdk[key], obj[key], f"{path}.{key}")
        return
    if type(obj) is bytes and type(sdk) is str:  # base64 audio: the bridge holds the bytes it stands for
        if base64.b64encode(obj).decode() != sdk:
            yield f"{path}: {obj!r:.80} in the bridge is not the base64 {sdk!r:.80} in the SDK"
        return
    # A scalar: the same JSON type (a bool is not an int; an integral double may stay an int) and value.
    same_type = type(sdk) is type(obj) or (type(sdk) is float and type(obj) is int)
    if not same_type or sdk != obj:
        yield f"{path}: {obj!r:.80} ({type(obj).__name__}) in the bridge, {sdk!r:.80} ({type(sdk).__name__}) in the SDK"


@dataclass
class Outcome:
    """What the bridge made of one document, in this process (the compiled path when built)."""

    classes: dict[str, str]
    extras: dict[str, list[str]]
    typed: dict[str, list[str]]
    paths: dict[tuple[str, ...], bool]
    raw: set[tuple[str, ...]]
    json_round_trip: str | None
    proto_round_trip: str | None
    strict: str | None


def _violations(error: bridge.ValidationError) -> str:
    return "; ".join(f"{v.path}: {v.message}" for v in error.violations)


def _outcome(doc: Document) -> Outcome:
    classes, extras, typed = {}, {}, {}
    paths: dict[tuple[str, ...], bool] = {}
    raw: set[tuple[str, ...]] = set()
    decoded = {path_name: decode(doc.text) for path_name, decode in _decoders(doc.direction).items()}
    for path_name, obj in decoded.items():
        classes[path_name] = type(obj).__name__ if getattr(obj, "type", None) == doc.type else f"{type(obj).__name__} (type {obj.type!r})"
        extras[path_name] = list(_extras(obj))
        typed[path_name] = list(_typed_differences(doc.sdk, obj))
        _key_paths(json.loads(doc.text), obj, (), True, paths, raw)
    expected = json.loads(doc.text)
    try:
        back = json.loads(bridge.binary_to_json(bridge.json_to_binary(doc.text, kind=doc.kind), kind=doc.kind))
    except bridge.ValidationError as error:
        json_round_trip: str | None = f"raised {_violations(error)}"
    else:
        json_round_trip = None if back == expected else f"came back as {json.dumps(back)[:2000]}"
    try:
        compiled = decoded["compiled"]
        again = bridge.from_proto(bridge.to_proto(compiled))
    except bridge.ValidationError as error:
        proto_round_trip: str | None = f"raised {_violations(error)}"
    else:
        proto_round_trip = None if again == compiled else f"came back as {bridge.encode(again)[:2000]!r}"
    try:
        bridge.decode_event(doc.text, strict=True) if doc.direction == "server" else bridge.decode_client_event(doc.text, strict=True)
        bridge.json_to_binary(doc.text, kind=doc.kind, strict=True)
    except bridge.ValidationError as error:
        strict: str | None = _violations(error)
    else:
        strict = None
    return Outcome(classes, extras, typed, paths, raw, json_round_trip, proto_round_trip, strict)


@functools.cache
def _outcomes() -> dict[str, Outcome]:
    return {doc.name: _outcome(doc) for doc in _all_documents()}


def _event_outcomes(event: tuple[str, str, str]) -> list[tuple[Document, Outcome]]:
    return [(doc, _outcomes()[doc.name]) for doc in _documents()[event]]


def _expect_none(failures: list[str]) -> None:
    assert not failures, f"{len(failures)} failure(s):\n" + "\n".join(failures)


# ------------------------------------------------------------------------------------------ tests


def test_every_sdk_event_has_a_bridge_class() -> None:
    """Drift: an SDK upgrade that adds an event type fails here, naming it."""
    missing = [f"{p} {d} event {t!r}" for p, d, t in EVENTS if t not in PLANS[d]]
    assert not missing, "events of the SDK unions without a class in the bridge: " + ", ".join(missing)
    assert len(EVENTS) == len(set(EVENTS))


def test_the_sdk_documents_cover_every_union_option() -> None:
    documents = _all_documents()  # generation asserts that every option appeared and the SDK reads each back
    counts = collections.Counter((d.protocol, d.direction) for d in documents)
    print(f"\nSDK documents: {dict(counts)}, {len(documents)} in all")
    assert {key for key, _ in counts.items()} == set(UNIONS)
    assert set(_documents()) == set(EVENTS) and all(_documents().values())


@pytest.mark.parametrize("event", EVENTS, ids=IDS)
def test_decodes_to_the_events_own_class(event: tuple[str, str, str]) -> None:
    _, direction, event_type = event
    plan = PLANS[direction].get(event_type)
    assert plan is not None, f"no class for {event_type!r}"
    own = plan.struct.__name__
    assert plan.struct is not GENERIC[direction]
    _expect_none([f"{doc.name} [{path}]: {name}, not {own}"
                  for doc, outcome in _event_outcomes(event) for path, name in outcome.classes.items() if name != own])


@pytest.mark.parametrize("event", EVENTS, ids=IDS)
def test_nothing_lands_in_extra(event: tuple[str, str, str]) -> None:
    _expect_none([f"{doc.name} [{path}] {where}"
                  for doc, outcome in _event_outcomes(event) for path, found in outcome.extras.items() for where in found])


@pytest.mark.parametrize("protocol", ["ga", "beta"])
def test_key_path_coverage(protocol: str) -> None:
    paths: dict[tuple[str, ...], bool] = {}
    raw = set()
    for doc in _all_documents():
        if doc.protocol == protocol:
            outcome = _outcomes()[doc.name]
            for path, typed in outcome.paths.items():
                key = (doc.direction, doc.type, *path)
                paths[key] = paths.get(key, True) and typed
            raw |= {(doc.direction, doc.type, *path) for path in outcome.raw}
    coverage = sum(paths.values()) / len(paths)
    untyped = sorted(".".join(k) for k, typed in paths.items() if not typed)
    print(f"\n{protocol}: {sum(paths.values())}/{len(paths)} key paths typed, coverage {coverage:.4f} "
          f"({len(raw)} of them inside raw-JSON fields)")
    assert coverage >= MIN_COVERAGE, f"{protocol}: coverage {coverage:.4f}; untyped: {untyped}"


@pytest.mark.parametrize("event", EVENTS, ids=IDS)
def test_exact_round_trips(event: tuple[str, str, str]) -> None:
    failures = []
    for doc, outcome in _event_outcomes(event):
        if outcome.json_round_trip is not None:
            failures.append(f"{doc.name} JSON -> binary -> JSON: {outcome.json_round_trip}\n  sent {doc.text[:2000]!r}")
        if outcome.proto_round_trip is not None:
            failures.append(f"{doc.name} Struct -> proto -> Struct: {outcome.proto_round_trip}")
    _expect_none(failures)


@pytest.mark.parametrize("event", EVENTS, ids=IDS)
def test_typed_values_equal_the_sdks(event: tuple[str, str, str]) -> None:
    _expect_none([f"{doc.name} [{path}] {difference}"
                  for doc, outcome in _event_outcomes(event) for path, found in outcome.typed.items() for difference in found])


@pytest.mark.parametrize("event", EVENTS, ids=IDS)
def test_strict_mode_accepts_the_sdks_documents(event: tuple[str, str, str]) -> None:
    _expect_none([f"{doc.name}: {outcome.strict}" for doc, outcome in _event_outcomes(event) if outcome.strict is not None])


# ------------------------------------------------------------------- the pure path, in its own process

_PURE = r"""
import json, sys
import bridge
from bridge import _accel
assert not _accel.available, _accel.reason
out = []
for kind, text in json.load(sys.stdin):
    text = text.encode()
    decode = bridge.decode_event if kind == "event" else bridge.decode_client_event
    result = {}
    try:
        obj = decode(text)
        result["class"] = type(obj).__name__
        result["encode"] = bridge.encode(obj).decode()
        blob = bridge.json_to_binary(text, kind=kind)
        result["binary"] = blob.hex()
        result["back"] = bridge.binary_to_json(blob, kind=kind).decode()
        result["proto_round_trip"] = bridge.from_proto(bridge.to_proto(obj)) == obj
    except bridge.ValidationError as error:
        result["error"] = "; ".join(f"{v.path}: {v.message}" for v in error.violations)
    try:
        decode(text, strict=True)
        bridge.json_to_binary(text, kind=kind, strict=True)
        result["strict"] = None
    except bridge.ValidationError as error:
        result["strict"] = "; ".join(f"{v.path}: {v.message}" for v in error.violations)
    out.append(result)
json.dump(out, sys.stdout)
"""


def test_the_pure_python_path_agrees() -> None:
    """``RTBRIDGE_PURE_PYTHON=1`` (a fresh process): the same classes, JSON and protobuf bytes as
    the compiled path, and the same checks pass."""
    documents = _all_documents()
    env = {**os.environ, _accel.ENV_VAR: "1"}
    done = subprocess.run([sys.executable, "-c", _PURE], input=json.dumps([[d.kind, d.text.decode()] for d in documents]).encode(),
                          capture_output=True, cwd=ROOT, env=env, timeout=120, check=False)
    assert done.returncode == 0, done.stderr.decode()[-4000:]
    failures = []
    for doc, pure in zip(documents, json.loads(done.stdout), strict=True):
        if "error" in pure:
            failures.append(f"{doc.name}: {pure['error']}")
            continue
        decode = bridge.decode_event if doc.direction == "server" else bridge.decode_client_event
        obj = decode(doc.text)
        own = PLANS[doc.direction][doc.type].struct.__name__ if doc.type in PLANS[doc.direction] else "?"
        if pure["class"] != own:
            failures.append(f"{doc.name}: {pure['class']}, not {own}")
        if pure["encode"].encode() != bridge.encode(obj):
            failures.append(f"{doc.name}: encode differs from the compiled path's: {pure['encode'][:500]}")
        if bytes.fromhex(pure["binary"]) != bridge.json_to_binary(doc.text, kind=doc.kind):
            failures.append(f"{doc.name}: json_to_binary differs from the compiled path's")
        if json.loads(pure["back"]) != json.loads(doc.text):
            failures.append(f"{doc.name}: JSON -> binary -> JSON came back as {pure['back'][:2000]}")
        if not pure["proto_round_trip"]:
            failures.append(f"{doc.name}: from_proto(to_proto(obj)) != obj")
        if pure["strict"] is not None:
            failures.append(f"{doc.name}: strict: {pure['strict']}")
    _expect_none(failures)
