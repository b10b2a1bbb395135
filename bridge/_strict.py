"""Strict mode: what the documented schema allows, and nothing else.

Strict mode rejects unknown keys, values of the wrong type (which the tolerant reader carries),
enum strings outside the proto enums, non-canonical base64, and the limits declared with
``(limits)`` in the .proto files (the seed's metadata bounds and temperature range).

:func:`check` is a walk over decoded models, driven by the plans, that collects every violation
with its path: a strict decode is the default (tolerant) decode and this walk, so the result is an
instance of the same public class either way. (The compiled decoder checks the same rules as it
reads, in its strict tables, and hands anything it rejects to that walk.)
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from msgspec import UNSET

from bridge._base64 import fault
from bridge._json import misfit
from bridge._paths import clip, join
from bridge._schema import FieldKind, FieldPlan, MessagePlan, misrouted
from bridge.errors import Violation
from bridge.models import Base64Text
from bridge.v1.options_pb2 import FieldLimits

__all__ = ["check", "type_drift"]


def check(obj: Any, plan: MessagePlan, path: str, errors: list[Violation], *, drift_only: bool = False) -> None:
    """Append to ``errors`` every way ``obj`` (a ``plan.struct``) goes beyond the schema; with
    ``drift_only``, only what the schema could not type: unknown keys, values of the wrong type
    (kept in ``extra`` by a tolerant decode), and an event type of the other direction or of none."""
    if obj is None:  # an item that failed to decode (already reported) in a partial document
        return
    if plan.extra_is_data:  # a generic event: its type is not one of this direction's
        found = type_drift(plan, obj.type, path, drift_only=drift_only)
        if found is not None:
            errors.append(found)
    extra = obj.extra
    if extra:
        by_name = plan.by_name
        for key, raw in extra.items():
            field = by_name.get(key)
            if field is not None:
                errors.extend(misfit(raw, field, join(path, key)))
            elif not plan.extra_is_data:
                errors.append(Violation(join(path, key), "unknown key", "unknown_key"))
    for field in plan.fields:
        value = getattr(obj, field.name)
        if value is UNSET or value is None:
            continue
        kind = field.kind
        if drift_only and kind is not FieldKind.MESSAGE and kind is not FieldKind.UNION:
            continue
        if kind is FieldKind.UNION:
            member = field.member_for(value)
            if member is None:
                continue  # the converters report a value no member can hold
            field, kind = member, member.kind
        if kind is FieldKind.MESSAGE:
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
        elif kind is FieldKind.ENUM:
            assert field.enum is not None  # an ENUM field has its plan
            known = field.enum.number_of
            items: Iterable[tuple[int | None, Any]] = enumerate(value) if field.repeated else ((None, value),)
            for position, item in items:
                if item not in known:
                    where = join(path, _name(plan, field)) + ("" if position is None else f"[{position}]")
                    expected = ", ".join(repr(v) for v in known)
                    errors.append(Violation(where, f"Invalid enum value {clip(repr(item))}; expected one of {expected}", "enum"))
        elif kind is FieldKind.BASE64 and type(value) is Base64Text:
            errors.append(Violation(join(path, _name(plan, field)), f"not canonical base64: {fault(value.text)}", "type"))
        if field.limits is not None:
            _check_limits(value, field.kind, field.limits, join(path, _name(plan, field)), errors)


def type_drift(plan: MessagePlan, event_type: Any, path: str, *, drift_only: bool = True) -> Violation | None:
    """What is said of the type of a generic event (``plan``, decoded at ``path``): that it is an
    event of the other direction (in strict mode too), or (``drift_only``) of no direction."""
    hint = misrouted(plan, event_type)
    if hint is not None:
        return Violation(join(path, "type"), hint, "type")
    if drift_only:
        return Violation(join(path, "type"), f"{clip(repr(event_type))} is not an event type of the schema", "type")
    return None


def _name(plan: MessagePlan, field: FieldPlan) -> str:
    """The JSON key of ``field`` (a union member answers with its union's key)."""
    return plan.by_number[field.number].name


def _check_limits(value: Any, kind: FieldKind, limits: FieldLimits, path: str, errors: list[Violation]) -> None:
    if limits.HasField("min") and value < limits.min:
        errors.append(Violation(path, f"Expected a value >= {limits.min}, got {clip(repr(value))}", "limit"))
    if limits.HasField("max") and value > limits.max:
        errors.append(Violation(path, f"Expected a value <= {limits.max}, got {clip(repr(value))}", "limit"))
    if kind is not FieldKind.MAP:
        return
    if limits.HasField("max_pairs") and len(value) > limits.max_pairs:
        errors.append(Violation(path, f"Expected at most {limits.max_pairs} pairs, got {len(value)}", "limit"))
    for key, item in value.items():
        if limits.HasField("max_key_length") and len(key) > limits.max_key_length:
            errors.append(Violation(path, f"Key {clip(repr(key))} is longer than {limits.max_key_length} characters", "limit"))
        if limits.HasField("max_value_length") and len(item) > limits.max_value_length:
            errors.append(
                Violation(join(path, key), f"Expected a string of at most {limits.max_value_length} characters, got {len(item)}", "limit")
            )
