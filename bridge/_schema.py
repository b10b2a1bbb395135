"""The schema, derived once at import from the proto descriptors generated from ``proto/`` and the
Structs generated from the same files (:mod:`bridge.models`).

Each Struct class is paired with its proto message (same name) and every field with its proto field
(same name; a JSON union with the oneof of that name). An event class is paired with the message of
its type, which sits in a member of the ``event`` oneof of its envelope (``ServerEvent``,
``ClientEvent``: :class:`Envelope`); the events whose keys are the envelope's own fields
(``response.created``, ``response.done``) and the generic ones are paired with the envelope itself.
The result, a :class:`MessagePlan` per Struct, is all the converters read: they hold no field names
of their own. Building a plan checks the pairing, so a Struct and a message that drift apart fail
at import rather than lose data at run time.
"""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING, Any, cast, get_args

import msgspec
from google.protobuf.descriptor import Descriptor, EnumDescriptor, FieldDescriptor
from google.protobuf.descriptor_pb2 import EnumValueOptions, FieldOptions
from google.protobuf.message import Message

from bridge import models
from bridge.v1 import fidelity_pb2, options_pb2, realtime_pb2

if TYPE_CHECKING:
    from google.protobuf.internal.extension_dict import _ExtensionFieldDescriptor

# The options' extensions, typed as what they extend and hold (protoc's .pyi calls them plain
# FieldDescriptors, which the options' Extensions mapping does not accept).
_JSON_VALUE = cast("_ExtensionFieldDescriptor[EnumValueOptions, str]", options_pb2.json_value)
_LIMITS = cast("_ExtensionFieldDescriptor[FieldOptions, options_pb2.FieldLimits]", options_pb2.limits)
_BASE64 = cast("_ExtensionFieldDescriptor[FieldOptions, bool]", options_pb2.base64)
_JSON_KEY = cast("_ExtensionFieldDescriptor[FieldOptions, str]", options_pb2.json_key)
_REPLACED_BY = cast("_ExtensionFieldDescriptor[FieldOptions, int]", options_pb2.replaced_by)

__all__ = [
    "CLIENT",
    "CLIENT_EVENT_PLANS",
    "EVENT_PLANS",
    "SERVER",
    "Direction",
    "PLANS",
    "EnumPlan",
    "Envelope",
    "FieldPlan",
    "FieldKind",
    "MessagePlan",
    "plan_for",
]

FIDELITY_FIELD = "json_fidelity"
EXTRA_FIELD = "extra"


class FieldKind(enum.Enum):
    """How a field's value is represented; decides every conversion of it."""

    SCALAR = "scalar"  # str, int, float, bool: the same value on both sides
    ENUM = "enum"  # a str in JSON, an enum number in proto
    MESSAGE = "message"  # a nested Struct / message
    MAP = "map"  # dict[str, str] / map<string, string>
    RAW = "raw"  # any JSON value: msgspec.Raw / bytes holding its exact JSON text
    UNION = "union"  # one JSON key, a oneof of several proto fields chosen by the value's type
    BASE64 = "base64"  # a base64 JSON string, bytes in proto (its ``(base64)`` option)


class EnumPlan:
    """The JSON spelling of each value of a proto enum, from its ``(json_value)`` options."""

    __slots__ = ("name", "number_of", "value_of")

    def __init__(self, descriptor: EnumDescriptor) -> None:
        self.name = descriptor.full_name
        self.value_of: dict[int, str] = {}
        for value in descriptor.values:
            if value.number == 0:
                continue
            spelling = value.GetOptions().Extensions[_JSON_VALUE]
            if not spelling:
                # (an EnumValueDescriptor has no full_name: its scope is the enum's)
                raise TypeError(f"{descriptor.full_name}.{value.name} has no (json_value) option")
            self.value_of[value.number] = spelling
        self.number_of: dict[str, int] = {v: k for k, v in self.value_of.items()}


class FieldPlan:
    """One JSON key: its proto field (or oneof), its kind, and what to convert it with."""

    __slots__ = (
        "name",
        "number",
        "kind",
        "repeated",
        "enum",
        "message",
        "members",
        "python_type",
        "limits",
        "outer",
        "pb_name",
    )

    def __init__(self, name: str, number: int, kind: FieldKind, repeated: bool = False) -> None:
        self.name = name
        #: The proto field's name: the JSON key, but for a field with a ``(json_key)`` option.
        self.pb_name = name
        self.number = number
        self.kind = kind
        self.repeated = repeated
        self.enum: EnumPlan | None = None
        self.message: MessagePlan | None = None
        #: For a UNION: the oneof's fields, each with the Python type that selects it.
        self.members: tuple[FieldPlan, ...] = ()
        #: For a union member: the Python type of the values it holds (a Struct class for messages).
        self.python_type: type | None = None
        self.limits: options_pb2.FieldLimits | None = None
        #: For an event in its envelope's oneof: a field of the envelope (``event_id``), not of the
        #: event's own message (its number is the envelope's).
        self.outer = False

    @property
    def choices(self) -> tuple[FieldPlan, ...]:
        """The proto fields this key may be stored in: a union's members, else the field itself."""
        return self.members or (self,)

    def member_for(self, value: Any) -> FieldPlan | None:
        """For a UNION: the member that holds ``value``, chosen by its Python type (a bool is not
        an int; a subclass of a model counts as the model)."""
        kind = type(value)
        for member in self.members:
            if kind is member.python_type:
                return member
            if member.kind is FieldKind.MESSAGE and member.python_type is not None and isinstance(value, member.python_type):
                return member
        return None

    def __repr__(self) -> str:
        return f"<FieldPlan {self.name} #{self.number} {self.kind.value}{'[]' if self.repeated else ''}>"


class Envelope:
    """Where an event's message sits: the member of ``pb``'s ``event`` oneof, beside ``type``."""

    __slots__ = ("member", "number", "pb", "type_field")

    def __init__(self, pb: type[Message], member: FieldDescriptor) -> None:
        self.pb = pb
        #: The oneof member's name and number (``conversation_item_added``, 5).
        self.member = member.name
        self.number = member.number
        #: The envelope's field that says the type.
        self.type_field = cast(Descriptor, pb.DESCRIPTOR).fields_by_name["type"]

    def __repr__(self) -> str:
        return f"<Envelope {self.pb.DESCRIPTOR.full_name}.{self.member} #{self.number}>"


class MessagePlan:
    """A Struct class paired with its proto message."""

    __slots__ = (
        "struct",
        "pb",
        "envelope",
        "fields",
        "by_name",
        "by_number",
        "tag",
        "extra_is_data",
        "nested",
        "raws",
        "base64s",
        "replaced",
        "enum_numbers",
        "outer",
    )

    def __init__(self, struct: type[msgspec.Struct], pb: type[Message]) -> None:
        self.struct = struct
        self.pb = pb
        #: For an event in a member of its envelope's ``event`` oneof: where (its ``tag`` is then
        #: the envelope's ``type``, not a field of ``pb``).
        self.envelope: Envelope | None = None
        self.fields: tuple[FieldPlan, ...] = ()
        self.by_name: dict[str, FieldPlan] = {}
        #: Proto field number -> plan (a union's members all point at the union's plan).
        self.by_number: dict[int, FieldPlan] = {}
        #: For tagged events: (proto field name, tag value), e.g. ("type", "response.done").
        self.tag: tuple[str, str] | None = None
        #: True where the unknown keys are the payload itself (GenericEvent), not schema drift.
        self.extra_is_data = False
        #: The fields whose values may hold objects (messages, and unions with a message member).
        self.nested: tuple[FieldPlan, ...] = ()
        #: The fields kept as raw JSON text (msgspec's fast decoder does not check their UTF-8).
        self.raws: tuple[FieldPlan, ...] = ()
        #: The base64 fields (bytes in the Struct and in proto).
        self.base64s: tuple[FieldPlan, ...] = ()
        #: Released proto fields the bridge no longer writes (``(replaced_by)``): number -> the plan
        #: of the field that took over their JSON key, which reads them from old data.
        self.replaced: dict[int, FieldPlan] = {}
        #: Numbers of the enum fields (union members included).
        self.enum_numbers: frozenset[int] = frozenset()
        #: The fields that live in the envelope (``event_id`` of an event in its oneof); the binary
        #: side writes and reads them there, and ``by_number`` does not list them.
        self.outer: tuple[FieldPlan, ...] = ()

    def __repr__(self) -> str:
        return f"<MessagePlan {self.struct.__name__} <-> {self.pb.DESCRIPTOR.full_name}>"


def _python_type_of(field: FieldDescriptor) -> type:
    if field.type == FieldDescriptor.TYPE_ENUM or field.type == FieldDescriptor.TYPE_STRING:
        return str
    if field.type == FieldDescriptor.TYPE_BOOL:
        return bool
    if field.type in (FieldDescriptor.TYPE_DOUBLE, FieldDescriptor.TYPE_FLOAT):
        return float
    if field.type == FieldDescriptor.TYPE_BYTES:
        return bytes if _is_base64(field) else msgspec.Raw
    return int


def _is_map(field: FieldDescriptor) -> bool:
    return (
        field.type == FieldDescriptor.TYPE_MESSAGE
        and field.message_type is not None
        and field.message_type.GetOptions().map_entry
    )


def _field_plan(name: str, field: FieldDescriptor, plans: dict[str, MessagePlan]) -> FieldPlan:
    if _is_map(field):
        return FieldPlan(name, field.number, FieldKind.MAP)
    repeated = field.is_repeated
    if field.type == FieldDescriptor.TYPE_MESSAGE:
        assert field.message_type is not None  # a message field has a message type
        plan = FieldPlan(name, field.number, FieldKind.MESSAGE, repeated)
        plan.message = plans[field.message_type.name]
        plan.python_type = plan.message.struct
        return plan
    if field.type == FieldDescriptor.TYPE_ENUM:
        assert field.enum_type is not None  # an enum field has an enum type
        plan = FieldPlan(name, field.number, FieldKind.ENUM, repeated)
        plan.enum = _enum_plan(field.enum_type)
    elif field.type == FieldDescriptor.TYPE_BYTES:
        plan = FieldPlan(name, field.number, FieldKind.BASE64 if _is_base64(field) else FieldKind.RAW, repeated)
    else:
        plan = FieldPlan(name, field.number, FieldKind.SCALAR, repeated)
    plan.python_type = _python_type_of(field)
    return plan


def _is_base64(field: FieldDescriptor) -> bool:
    if not field.GetOptions().Extensions[_BASE64]:
        return False
    if field.type != FieldDescriptor.TYPE_BYTES or field.is_repeated or not field.has_presence:
        raise TypeError(f"{field.full_name}: (base64) is for singular bytes fields")
    return True


def _json_keys(descriptor: Descriptor) -> dict[str, FieldDescriptor]:
    """The fields of a message by the JSON key each stands for (its ``(json_key)`` option, else its
    name); the replaced ones are not among them."""
    return {
        field.GetOptions().Extensions[_JSON_KEY] or field.name: field
        for field in descriptor.fields
        if not field.GetOptions().Extensions[_REPLACED_BY]
    }


_ENUMS: dict[str, EnumPlan] = {}


def _enum_plan(descriptor: EnumDescriptor) -> EnumPlan:
    plan = _ENUMS.get(descriptor.full_name)
    if plan is None:
        plan = _ENUMS[descriptor.full_name] = EnumPlan(descriptor)
    return plan


def _limits(field: FieldDescriptor) -> options_pb2.FieldLimits | None:
    options = field.GetOptions()
    return options.Extensions[_LIMITS] if options.HasExtension(_LIMITS) else None


#: The Struct-side type of a scalar value, by the Python type of its proto field (an int64 is
#: bounded, a double keeps a JSON integer exact).
SCALAR_TYPES: dict[type, Any] = {str: str, int: models.Int64, float: models.Number, bool: bool, bytes: bytes}


def _fill(plan: MessagePlan, plans: dict[str, MessagePlan]) -> None:
    """Pair every Struct field of ``plan`` with its proto field or oneof."""
    descriptor = cast(Descriptor, plan.pb.DESCRIPTOR)  # (with upb, the same class)
    struct_fields = msgspec.structs.fields(plan.struct)
    config = plan.struct.__struct_config__
    fields: list[FieldPlan] = []
    by_key = _json_keys(descriptor)
    for info in struct_fields:
        if info.name == EXTRA_FIELD:
            continue
        field = by_key.get(info.name)
        oneof = descriptor.oneofs_by_name.get(info.name)
        outer = None if plan.envelope is None or field is not None or oneof is not None else \
            cast(Descriptor, plan.envelope.pb.DESCRIPTOR).fields_by_name.get(info.name)
        if outer is not None and outer.type != FieldDescriptor.TYPE_MESSAGE and outer.name != "type":
            fplan = _field_plan(info.name, outer, plans)
            fplan.outer = True
        elif field is not None:
            fplan = _field_plan(info.name, field, plans)
            fplan.pb_name = field.name  # (another than the key where it has a (json_key))
            fplan.limits = _limits(field)
        elif oneof is not None:
            members = tuple(_field_plan(m.name, m, plans) for m in oneof.fields)
            fplan = FieldPlan(info.name, members[0].number, FieldKind.UNION)
            fplan.members = members
        else:
            raise TypeError(f"{plan.struct.__name__}.{info.name} has no field in {descriptor.full_name}")
        fields.append(fplan)
    plan.fields = tuple(fields)
    plan.by_name = {f.name: f for f in fields}
    plan.outer = tuple(f for f in fields if f.outer)
    for f in fields:
        for member in f.choices:
            if not f.outer:
                plan.by_number[member.number] = f
    if config.tag_field is not None:
        assert isinstance(config.tag, str), f"{plan.struct.__name__}: event tags are strings"
        plan.tag = (config.tag_field, config.tag)
    plan.enum_numbers = frozenset(m.number for f in fields if not f.outer for m in f.choices if m.kind is FieldKind.ENUM)
    plan.nested = tuple(f for f in fields if any(m.kind is FieldKind.MESSAGE for m in f.choices))
    plan.raws = tuple(f for f in fields if f.kind is FieldKind.RAW)
    plan.base64s = tuple(f for f in fields if f.kind is FieldKind.BASE64)
    for field in descriptor.fields:
        number = field.GetOptions().Extensions[_REPLACED_BY]
        if number:
            successor = plan.by_number.get(number)
            if successor is None or successor.kind is not FieldKind.BASE64 or field.type != FieldDescriptor.TYPE_STRING \
                    or successor.number < field.number:  # (read in number order: the old one first)
                raise TypeError(f"{field.full_name}: (replaced_by) names no later base64 field that reads its text")
            plan.replaced[field.number] = successor


#: Envelope message -> (the union of its event classes, the class of an unknown type).
_ENVELOPES: dict[type[Message], tuple[Any, type]] = {
    realtime_pb2.ServerEvent: (models.ServerEvent, models.GenericEvent),
    realtime_pb2.ClientEvent: (models.ClientEvent, models.GenericClientEvent),
}


def _build() -> tuple[dict[type, MessagePlan], dict[str, MessagePlan]]:
    by_message: dict[str, MessagePlan] = {}
    by_struct: dict[type, MessagePlan] = {}
    envelopes = {pb.DESCRIPTOR.name for pb in _ENVELOPES}
    for message in realtime_pb2.DESCRIPTOR.message_types_by_name.values():
        if message.name in envelopes:
            continue
        struct = getattr(models, message.name, None)
        if struct is None:
            raise TypeError(f"proto message {message.full_name} has no Struct in bridge.models")
        plan = by_message[message.name] = by_struct[struct] = MessagePlan(struct, getattr(realtime_pb2, message.name))
    for pb, (union, generic) in _ENVELOPES.items():
        for member in cast(Descriptor, pb.DESCRIPTOR).oneofs_by_name["event"].fields:
            assert member.message_type is not None  # the members are messages
            by_message[member.message_type.name].envelope = Envelope(pb, member)
        for struct in get_args(union):  # the rest: the envelope's own fields hold their keys
            if struct not in by_struct:
                by_struct[struct] = MessagePlan(struct, pb)
        by_struct[generic].extra_is_data = True
    for plan in by_struct.values():
        _fill(plan, by_message)
    return by_struct, by_message


#: Every Struct class -> its plan.
PLANS, _BY_MESSAGE = _build()

def _event_plans(union: Any) -> dict[str, MessagePlan]:
    plans = {}
    for struct in get_args(union):
        plan = PLANS[struct]
        if plan.tag is not None:
            plans[plan.tag[1]] = plan
    return plans


#: Server event type -> the Struct plan that decodes it; any other type is a GenericEvent.
EVENT_PLANS: dict[str, MessagePlan] = _event_plans(models.ServerEvent)
#: Client event type -> its Struct plan; any other type is a GenericClientEvent.
CLIENT_EVENT_PLANS: dict[str, MessagePlan] = _event_plans(models.ClientEvent)
GENERIC_EVENT_PLAN = PLANS[models.GenericEvent]
GENERIC_CLIENT_EVENT_PLAN = PLANS[models.GenericClientEvent]


class Direction:
    """The events one side sends: their envelope message, the plan of each type, and the generic
    plan for any other type."""

    __slots__ = ("by_member", "envelope", "generic", "plans")

    def __init__(self, envelope: type[Message], plans: dict[str, MessagePlan], generic: MessagePlan) -> None:
        self.envelope = envelope
        self.plans = plans
        self.generic = generic
        #: The name of each member of the envelope's ``event`` oneof -> the plan of its type.
        self.by_member = {p.envelope.member: p for p in plans.values() if p.envelope is not None}

    def plan_of(self, event_type: str) -> MessagePlan:
        return self.plans.get(event_type, self.generic)


SERVER = Direction(realtime_pb2.ServerEvent, EVENT_PLANS, GENERIC_EVENT_PLAN)
CLIENT = Direction(realtime_pb2.ClientEvent, CLIENT_EVENT_PLANS, GENERIC_CLIENT_EVENT_PLAN)

#: A generic plan -> the event types of the other direction, and what to use for them instead.
_OTHER_SIDE: dict[MessagePlan, tuple[dict[str, MessagePlan], str]] = {
    GENERIC_EVENT_PLAN: (CLIENT_EVENT_PLANS, 'a client event; use decode_client_event or kind="client_event"'),
    GENERIC_CLIENT_EVENT_PLAN: (EVENT_PLANS, 'a server event; use decode_event or kind="event"'),
}


def misrouted(plan: MessagePlan, event_type: Any) -> str | None:
    """Why an event decoded with the generic ``plan`` of one direction belongs to the other (the
    event types of the two directions are disjoint), or None."""
    other = _OTHER_SIDE.get(plan)
    if other is None or event_type not in other[0]:
        return None
    return f"{event_type!r} is {other[1]}"
RESPONSE_PLAN = PLANS[models.RealtimeResponse]
FIDELITY = fidelity_pb2.JsonFidelity


def plan_for(obj: Any) -> MessagePlan:
    """The plan of a model instance or class; ``TypeError`` for anything else."""
    cls = obj if isinstance(obj, type) else type(obj)
    try:
        return PLANS[cls]
    except KeyError:
        raise TypeError(f"expected a bridge model, got {cls.__name__}") from None
