"""The Structs in bridge.models (generated) and the messages in proto/bridge/v1/realtime.proto mirror each other
field for field, type for type. Read straight from both definitions, not from bridge._schema, so
that the converters' own pairing logic is not what vouches for itself."""

from __future__ import annotations

from typing import get_args

import msgspec
import msgspec.inspect as mi
import pytest
from google.protobuf.descriptor import FieldDescriptor

from bridge import models
from bridge.v1 import fidelity_pb2, options_pb2, realtime_pb2

MESSAGES = {d.name: d for d in realtime_pb2.DESCRIPTOR.message_types_by_name.values()}
ENVELOPES = {"ServerEvent": models.ServerEvent, "ClientEvent": models.ClientEvent}
#: The events whose keys are the envelope's own fields: the ones without a message of their own.
ENVELOPE_STRUCTS = {
    name: tuple(cls for cls in get_args(union) if cls.__name__ not in MESSAGES) for name, union in ENVELOPES.items()
}
RESPONSE_STRUCTS = [
    cls for cls in vars(models).values()
    if isinstance(cls, type) and issubclass(cls, msgspec.Struct) and cls.__name__ in MESSAGES
]
INT64 = mi.IntType(ge=-(2**63), le=2**63 - 1)


def _struct_fields(cls: type) -> dict[str, mi.Type]:
    """Field name -> type, without the null every optional field accepts."""
    out = {}
    for field in mi.type_info(cls).fields:
        if field.name == "extra":
            continue
        if field.required or field.type == mi.RawType():  # Raw keeps an explicit null as "null"
            out[field.name] = field.type
            continue
        assert isinstance(field.type, mi.UnionType) and mi.NoneType() in field.type.types, field.name
        rest = tuple(t for t in field.type.types if t != mi.NoneType())
        out[field.name] = rest[0] if len(rest) == 1 else mi.UnionType(rest)
    return out


def _option(field: FieldDescriptor, extension):
    options = field.GetOptions()
    return options.Extensions[extension] if options.HasExtension(extension) else None


def _proto_fields(descriptor) -> dict[str, list[FieldDescriptor]]:
    """JSON key -> proto fields: one per plain field (under its ``(json_key)`` when it has one),
    every member for a oneof that mirrors a union (an envelope's ``event`` oneof holds whole events,
    not a key). A released field another one replaced (``(replaced_by)``) has no key of its own: it
    must be a string named like its successor's key, which reads it from old data."""
    out: dict[str, list[FieldDescriptor]] = {}
    for field in descriptor.fields:
        if field.name == "json_fidelity" or (descriptor.name in ENVELOPES and field.containing_oneof is not None
                                             and field.containing_oneof.name == "event"):
            continue
        successor = _option(field, options_pb2.replaced_by)
        if successor is not None:
            replacement = descriptor.fields_by_number[successor]
            assert field.type == FieldDescriptor.TYPE_STRING and field.GetOptions().deprecated, field.full_name
            assert _option(replacement, options_pb2.json_key) == field.name, field.full_name
            assert _option(replacement, options_pb2.base64), field.full_name
            continue
        oneof = field.containing_oneof
        key = oneof.name if oneof is not None and not oneof.name.startswith("_") else field.name
        out.setdefault(_option(field, options_pb2.json_key) or key, []).append(field)
    return out


def _expected(field: FieldDescriptor) -> mi.Type:
    """The msgspec type a proto field must be mirrored by."""
    if field.type == FieldDescriptor.TYPE_MESSAGE:
        if field.message_type.GetOptions().map_entry:
            return mi.DictType(mi.StrType(), mi.StrType())
        item = mi.type_info(getattr(models, field.message_type.name))
    elif field.type in (FieldDescriptor.TYPE_STRING, FieldDescriptor.TYPE_ENUM):
        item = mi.StrType()
    elif field.type == FieldDescriptor.TYPE_INT64:
        item = INT64
    elif field.type == FieldDescriptor.TYPE_DOUBLE:  # an integer stays exact until it is converted
        item = mi.UnionType((mi.IntType(), mi.FloatType()))
    elif field.type == FieldDescriptor.TYPE_BOOL:
        item = mi.BoolType()
    elif field.type == FieldDescriptor.TYPE_BYTES and _option(field, options_pb2.base64):  # base64 audio
        item = mi.BytesType()
    elif field.type == FieldDescriptor.TYPE_BYTES:  # any JSON value, as its exact text
        item = mi.RawType()
    else:
        raise AssertionError(f"{field.full_name}: no mirror rule for proto type {field.type}")
    return mi.ListType(item) if field.is_repeated else item


def _flat(kind: mi.Type) -> list[mi.Type]:
    return list(kind.types) if isinstance(kind, mi.UnionType) else [kind]


def _envelope_of(descriptor):
    """The envelope (ServerEvent, ClientEvent) whose ``event`` oneof holds ``descriptor``, or None."""
    for name in ENVELOPES:
        if descriptor in [f.message_type for f in MESSAGES[name].oneofs_by_name["event"].fields]:
            return MESSAGES[name]
    return None


def _check_mirror(structs: tuple[type, ...], descriptor) -> None:
    proto = _proto_fields(descriptor)
    envelope = _envelope_of(descriptor)
    if envelope is not None:  # an event in its envelope's oneof: event_id is the envelope's field
        proto["event_id"] = [envelope.fields_by_name["event_id"]]
    seen: set[str] = set()
    for cls in structs:
        info = mi.type_info(cls)
        if info.tag_field is not None and descriptor.name in ENVELOPES:
            assert info.tag_field in proto, f"{cls.__name__}: tag field has no proto field"
            seen.add(info.tag_field)
        elif info.tag_field is not None:  # the type is the envelope's, the message says which
            assert descriptor.GetOptions().Extensions[options_pb2.event_type] == info.tag
        for name, struct_type in _struct_fields(cls).items():
            assert name in proto, f"{cls.__name__}.{name} is missing from {descriptor.full_name}"
            members = proto[name]
            expected = [t for m in members for t in _flat(_expected(m))]
            got = _flat(struct_type)
            assert got == expected, f"{cls.__name__}.{name}: Struct {got} vs proto {expected}"
            seen.add(name)
    assert seen == set(proto), f"{descriptor.full_name} fields without a Struct field: {set(proto) - seen}"


@pytest.mark.parametrize("cls", RESPONSE_STRUCTS, ids=lambda c: c.__name__)
def test_struct_mirrors_message(cls):
    _check_mirror((cls,), MESSAGES[cls.__name__])


@pytest.mark.parametrize("envelope", sorted(ENVELOPES))
def test_envelope_events_together_mirror_their_envelope(envelope):
    _check_mirror(ENVELOPE_STRUCTS[envelope], MESSAGES[envelope])


@pytest.mark.parametrize("envelope", sorted(ENVELOPES))
def test_every_event_message_is_the_envelope_member_named_like_its_type(envelope):
    members = {f.message_type.name: f.name for f in MESSAGES[envelope].oneofs_by_name["event"].fields}
    typed = [cls for cls in get_args(ENVELOPES[envelope]) if cls.__name__ in MESSAGES]
    assert sorted(members) == sorted(cls.__name__ for cls in typed)
    for cls in typed:
        assert members[cls.__name__] == mi.type_info(cls).tag.replace(".", "_")


def test_every_message_has_a_struct():
    assert set(MESSAGES) == {c.__name__ for c in RESPONSE_STRUCTS} | set(ENVELOPES)


@pytest.mark.parametrize("name", sorted(MESSAGES))
def test_every_message_carries_json_fidelity(name):
    field = MESSAGES[name].fields_by_name["json_fidelity"]
    assert field.number == 100
    assert field.message_type is fidelity_pb2.JsonFidelity.DESCRIPTOR


@pytest.mark.parametrize("cls", [*RESPONSE_STRUCTS, *(c for s in ENVELOPE_STRUCTS.values() for c in s)],
                         ids=lambda c: c.__name__)
def test_every_struct_field_defaults_to_unset_and_carries_extra(cls):
    for field in msgspec.structs.fields(cls):
        if cls in (models.GenericEvent, models.GenericClientEvent) and field.name == "type":
            assert field.required  # a generic event is identified by its type
            continue
        assert field.default is msgspec.UNSET, f"{cls.__name__}.{field.name}"
    assert "extra" in {f.name for f in msgspec.structs.fields(cls)}


def test_every_scalar_is_optional_so_presence_survives():
    for descriptor in MESSAGES.values():
        for field in descriptor.fields:
            if not field.is_repeated and field.type != FieldDescriptor.TYPE_MESSAGE:
                assert field.has_presence, field.full_name


@pytest.mark.parametrize("enum", realtime_pb2.DESCRIPTOR.enum_types_by_name.values(), ids=lambda e: e.name)
def test_every_enum_value_spells_its_json(enum):
    assert enum.values[0].number == 0 and enum.values[0].name.endswith("_UNSPECIFIED")
    spellings = [v.GetOptions().Extensions[options_pb2.json_value] for v in enum.values[1:]]
    assert all(spellings) and len(set(spellings)) == len(spellings)
