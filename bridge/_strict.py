"""Strict mode: what the documented schema allows, and nothing else.

Strict mode rejects unknown keys, enum strings outside the proto enums, and the limits declared
with ``(limits)`` in the .proto files (the seed's metadata bounds and temperature range).

Two pieces, both derived from the plans:

- *Twins*: for every model, a private subclass whose field types say all of that to msgspec
  (``Literal`` for enums, ``Meta`` bounds for limits). Decoding into the twins is the fast path: one
  msgspec call, as fast as the default mode, for a document that is valid.
- :func:`check`, a walk over decoded models that collects every violation with its path. A document
  the twins refuse is decoded leniently and walked, so the error lists them all.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from types import GenericAlias
from typing import Annotated, Any, Literal, Union

import msgspec
from msgspec import UNSET, Raw, UnsetType

from bridge._base64 import fault
from bridge._json import join, misfit
from bridge._schema import CLIENT, PLANS, RESPONSE_PLAN, SCALAR_TYPES, SERVER, Direction, FieldPlan, Kind, MessagePlan, misrouted
from bridge.errors import Violation
from bridge.models import Base64Text, Int64, Number
from bridge.v1.options_pb2 import FieldLimits

__all__ = ["EVENT_DECODERS", "RESPONSE_DECODER", "TWINS", "check"]


def check(obj: Any, plan: MessagePlan, path: str, errors: list[Violation], *, drift_only: bool = False) -> None:
    """Append to ``errors`` every way ``obj`` (a ``plan.struct``) goes beyond the schema; with
    ``drift_only``, only what the schema could not type: unknown keys, values of the wrong type
    (kept in ``extra`` by a tolerant decode), and an event type of the other direction or of none."""
    if obj is None:  # an item that failed to decode (already reported) in a partial document
        return
    if plan.extra_is_data:  # a generic event: its type is not one of this direction's
        hint = misrouted(plan, obj.type)
        if hint is not None:
            errors.append(Violation(join(path, "type"), hint))
        elif drift_only:
            errors.append(Violation(join(path, "type"), f"{_clip(repr(obj.type))} is not an event type of the schema"))
    extra = obj.extra
    if extra:
        by_name = plan.by_name
        for key, raw in extra.items():
            field = by_name.get(key)
            if field is not None:
                errors.extend(misfit(raw, field, join(path, key)))
            elif not plan.extra_is_data:
                errors.append(Violation(join(path, key), "unknown key"))
    for field in plan.fields:
        value = getattr(obj, field.name)
        if value is UNSET or value is None:
            continue
        kind = field.kind
        if drift_only and kind is not Kind.MESSAGE and kind is not Kind.UNION:
            continue
        if kind is Kind.UNION:
            member = field.member_for(value)
            if member is None:
                continue  # the converters report a value no member can hold
            field, kind = member, member.kind
        if kind is Kind.MESSAGE:
            sub = field.message
            assert sub is not None  # a MESSAGE field has its plan
            field_path = join(path, _name(plan, field))
            if field.repeated:
                for index, item in enumerate(value):
                    check(item, sub, f"{field_path}[{index}]", errors, drift_only=drift_only)
            else:
                check(value, sub, field_path, errors, drift_only=drift_only)
        elif drift_only:
            continue
        elif kind is Kind.ENUM:
            assert field.enum is not None  # an ENUM field has its plan
            known = field.enum.number_of
            items: Iterable[tuple[int | None, Any]] = enumerate(value) if field.repeated else ((None, value),)
            for position, item in items:
                if item not in known:
                    where = join(path, _name(plan, field)) + ("" if position is None else f"[{position}]")
                    expected = ", ".join(repr(v) for v in known)
                    errors.append(Violation(where, f"Invalid enum value {_clip(repr(item))}; expected one of {expected}"))
        elif kind is Kind.BASE64 and type(value) is Base64Text:
            errors.append(Violation(join(path, _name(plan, field)), f"not canonical base64: {fault(value.text)}"))
        if field.limits is not None:
            _check_limits(value, field.kind, field.limits, join(path, _name(plan, field)), errors)


def _name(plan: MessagePlan, field: FieldPlan) -> str:
    """The JSON key of ``field`` (a union member answers with its union's key)."""
    return plan.by_number[field.number].name


def _check_limits(value: Any, kind: Kind, limits: FieldLimits, path: str, errors: list[Violation]) -> None:
    if limits.HasField("min") and value < limits.min:
        errors.append(Violation(path, f"Expected a value >= {limits.min}, got {_clip(repr(value))}"))
    if limits.HasField("max") and value > limits.max:
        errors.append(Violation(path, f"Expected a value <= {limits.max}, got {_clip(repr(value))}"))
    if kind is not Kind.MAP:
        return
    if limits.HasField("max_pairs") and len(value) > limits.max_pairs:
        errors.append(Violation(path, f"Expected at most {limits.max_pairs} pairs, got {len(value)}"))
    for key, item in value.items():
        if limits.HasField("max_key_length") and len(key) > limits.max_key_length:
            errors.append(Violation(path, f"Key {_clip(repr(key))} is longer than {limits.max_key_length} characters"))
        if limits.HasField("max_value_length") and len(item) > limits.max_value_length:
            errors.append(
                Violation(join(path, key), f"Expected a string of at most {limits.max_value_length} characters, got {len(item)}")
            )


def _clip(text: str, keep: int = 40) -> str:
    """``text`` cut to a length fit for an error message."""
    return text if len(text) <= keep else f"{text[:keep]}... ({len(text)} characters)"


# ------------------------------------------------------------------------------------------ twins

#: Model class -> its strict twin.
TWINS: dict[type, type] = {}


def _twin(plan: MessagePlan) -> type:
    """The strict subclass of ``plan.struct`` (registered in PLANS so converters accept it)."""
    twin = TWINS.get(plan.struct)
    if twin is None:
        fields = [(f.name, _field_type(f), UNSET) for f in plan.fields]
        twin = msgspec.defstruct(plan.struct.__name__, fields, bases=(plan.struct,), module=__name__)
        TWINS[plan.struct] = twin
        PLANS[twin] = plan
    return twin


def _field_type(field: FieldPlan) -> Any:
    # The types are built at run time, as values: ``Any`` to mypy.
    value: Any = Union[tuple(_value_type(m) for m in field.members)] if field.kind is Kind.UNION else _value_type(field)
    if field.kind is Kind.RAW:
        return Union[value, UnsetType]  # an explicit null is the JSON text "null"
    return Union[value, None, UnsetType]


def _value_type(field: FieldPlan) -> Any:
    # The types are built at run time, as values (GenericAlias(dict, ...) is dict[...]): ``Any``.
    kind, limits = field.kind, field.limits
    value: Any
    if kind is Kind.MESSAGE:
        assert field.message is not None
        value = _twin(field.message)
    elif kind is Kind.ENUM:
        assert field.enum is not None
        value = Literal[tuple(field.enum.number_of)]
    elif kind is Kind.RAW:
        value = Raw
    elif kind is Kind.MAP:
        key: Any = str
        item: Any = str
        pairs: int | None = None
        if limits is not None:
            if limits.HasField("max_key_length"):
                key = Annotated[str, msgspec.Meta(max_length=limits.max_key_length)]
            if limits.HasField("max_value_length"):
                item = Annotated[str, msgspec.Meta(max_length=limits.max_value_length)]
            if limits.HasField("max_pairs"):
                pairs = limits.max_pairs
        value = GenericAlias(dict, (key, item))
        if pairs is not None:
            value = Annotated[value, msgspec.Meta(max_length=pairs)]
    else:
        assert field.python_type is not None  # a scalar field has its Python type
        value = SCALAR_TYPES[field.python_type]
        if limits is not None and (limits.HasField("min") or limits.HasField("max")):
            low = limits.min if limits.HasField("min") else None
            high = limits.max if limits.HasField("max") else None
            if value is Number:  # an integer's bounds are the whole numbers within the range
                whole = msgspec.Meta(
                    ge=None if low is None else math.ceil(low), le=None if high is None else math.floor(high)
                )
                value = Union[Annotated[int, whole], Annotated[float, msgspec.Meta(ge=low, le=high)]]
            elif value is Int64:  # one Meta: the range within int64's
                value = Annotated[int, msgspec.Meta(
                    ge=-(2**63) if low is None else max(-(2**63), math.ceil(low)),
                    le=2**63 - 1 if high is None else min(2**63 - 1, math.floor(high)),
                )]
            else:
                value = Annotated[value, msgspec.Meta(ge=low, le=high)]
    return GenericAlias(list, (value,)) if field.repeated else value


#: Decode a document that is strictly valid in one call; anything else raises.
EVENT_DECODERS: dict[Direction, msgspec.json.Decoder[Any]] = {
    direction: msgspec.json.Decoder(Union[tuple(_twin(plan) for plan in direction.plans.values())])
    for direction in (SERVER, CLIENT)
}
RESPONSE_DECODER: msgspec.json.Decoder[Any] = msgspec.json.Decoder(_twin(RESPONSE_PLAN))
