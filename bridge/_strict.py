"""Strict mode: what the documented schema allows, and nothing else.

Run after decoding (which already guarantees the JSON types). Rejects unknown keys, enum strings
outside the proto enums, and the limits declared with ``(limits)`` in the .proto files: the seed's
metadata bounds and temperature range. Every violation is collected, none stops the walk.
"""

from __future__ import annotations

from typing import Any

from msgspec import UNSET

from bridge._json import join
from bridge._schema import FieldPlan, Kind, MessagePlan
from bridge.errors import Violation

__all__ = ["check"]


def check(obj: Any, plan: MessagePlan, path: str, errors: list[Violation]) -> None:
    """Append to ``errors`` every way ``obj`` (a ``plan.struct``) goes beyond the schema."""
    extra = obj.extra
    if extra and not plan.extra_is_data:
        errors.extend(Violation(join(path, key), "unknown key") for key in extra)
    for field in plan.fields:
        value = getattr(obj, field.name)
        if value is UNSET or value is None:
            continue
        kind = field.kind
        if kind is Kind.UNION:
            field = next((m for m in field.members if type(value) is m.python_type), None)
            if field is None:
                continue  # the converters report a value no member can hold
            kind = field.kind
        if kind is Kind.MESSAGE:
            sub = field.message
            field_path = join(path, _name(plan, field))
            if field.repeated:
                for index, item in enumerate(value):
                    check(item, sub, f"{field_path}[{index}]", errors)
            else:
                check(value, sub, field_path, errors)
        elif kind is Kind.ENUM:
            known = field.enum.number_of
            items = enumerate(value) if field.repeated else ((None, value),)
            for index, item in items:
                if item not in known:
                    where = join(path, _name(plan, field)) + ("" if index is None else f"[{index}]")
                    expected = ", ".join(repr(v) for v in known)
                    errors.append(Violation(where, f"Invalid enum value {item!r}; expected one of {expected}"))
        if field.limits is not None:
            _check_limits(value, field, join(path, _name(plan, field)), errors)


def _name(plan: MessagePlan, field: FieldPlan) -> str:
    """The JSON key of ``field`` (a union member answers with its union's key)."""
    return plan.by_number[field.number].name


def _check_limits(value: Any, field: FieldPlan, path: str, errors: list[Violation]) -> None:
    limits = field.limits
    if limits.HasField("min") and value < limits.min:
        errors.append(Violation(path, f"Expected a value >= {limits.min}, got {value!r}"))
    if limits.HasField("max") and value > limits.max:
        errors.append(Violation(path, f"Expected a value <= {limits.max}, got {value!r}"))
    if field.kind is not Kind.MAP:
        return
    if limits.HasField("max_pairs") and len(value) > limits.max_pairs:
        errors.append(Violation(path, f"Expected at most {limits.max_pairs} pairs, got {len(value)}"))
    for key, item in value.items():
        if limits.HasField("max_key_length") and len(key) > limits.max_key_length:
            errors.append(Violation(path, f"Key {_clip(key)} is longer than {limits.max_key_length} characters"))
        if limits.HasField("max_value_length") and len(item) > limits.max_value_length:
            errors.append(
                Violation(join(path, key), f"Expected a string of at most {limits.max_value_length} characters, got {len(item)}")
            )


def _clip(text: str, keep: int = 40) -> str:
    return repr(text) if len(text) <= keep else repr(text[:keep]) + "..."
