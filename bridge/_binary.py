"""Struct ⇄ protobuf message, driven by the plans in :mod:`bridge._schema`.

Struct → message builds one nested dict of constructor arguments and hands it to the message class
in a single call, so the protobuf runtime (upb, in C) does the allocation. What a proto field cannot
hold goes to ``json_fidelity``: explicit nulls, empty lists and maps, unknown keys (exact JSON text)
and enum strings outside the known set.

Message → Struct reads only the fields that are set (``ListFields``) and undoes the same record,
checking it: a binary message that contradicts itself is reported, never guessed at.
"""

from __future__ import annotations

import math
from typing import Any, cast

import msgspec
from google.protobuf.message import Message
from msgspec import UNSET, Raw

from bridge._base64 import canonical, lenient, value_of
from bridge._guards import TOO_DEEP, too_deep
from bridge._json import fits
from bridge._paths import clip, join, text_violation
from bridge._schema import FIDELITY_FIELD, Direction, FieldKind, FieldPlan, MessagePlan
from bridge.errors import Violation, ViolationKind
from bridge.models import Base64Text, Extra

__all__ = ["Unrepresentable", "envelope_kwargs", "from_event", "from_message", "to_kwargs"]

_RAW_TEXT = msgspec.json.Decoder(Raw)
_SCALAR, _ENUM, _MESSAGE, _MAP = FieldKind.SCALAR, FieldKind.ENUM, FieldKind.MESSAGE, FieldKind.MAP
_UNION, _RAW, _BASE64 = FieldKind.UNION, FieldKind.RAW, FieldKind.BASE64


# ------------------------------------------------------------------------------ Struct -> message


class Unrepresentable(Exception):
    """A value a proto field cannot hold. Raised where it is found; every enclosing level adds its
    key to ``path`` on the way out, so the success path carries no path bookkeeping."""

    def __init__(self, message: str, key: str, kind: ViolationKind = "range") -> None:
        super().__init__(message)
        self.message = message
        self.kind: ViolationKind = kind
        #: The path from the innermost key out: keys, and list indexes.
        self.segments: list[str | int] = [key]

    @property
    def path(self) -> str:
        path = "$"
        for segment in reversed(self.segments):
            path = f"{path}[{segment}]" if isinstance(segment, int) else join(path, segment)
        return path


def to_kwargs(obj: Any, plan: MessagePlan) -> dict[str, Any]:
    """Constructor arguments for ``plan.pb`` that hold everything ``obj`` (a ``plan.struct``) says."""
    kwargs: dict[str, Any] = {}
    nulls: list[int] = []
    empties: list[int] = []
    unknown_enums: list[dict[str, Any]] = []
    base64_texts: dict[int, str] = {}
    if plan.tag is not None and plan.envelope is None:
        kwargs[plan.tag[0]] = plan.tag[1]
    for field in plan.fields:
        name = field.name
        value = getattr(obj, name)
        if value is UNSET or field.outer:  # (an outer field is the envelope's: see envelope_kwargs)
            continue
        if value is None:
            nulls.append(field.number)
            continue
        kind = field.kind
        if kind is _UNION:
            field = _member_for(field, value)
            kind = field.kind
        if field.repeated or kind is _MAP:
            if not value:
                empties.append(field.number)
                continue
            if kind is _MESSAGE:
                assert field.message is not None  # a MESSAGE field has its plan (so below)
                value = _messages(value, field.message, name)
            elif kind is _ENUM:
                assert field.enum is not None  # an ENUM field has its plan (so below)
                number_of = field.enum.number_of
                numbers = []
                for index, item in enumerate(value):
                    number = number_of.get(item)
                    if number is None:
                        number = 0
                        unknown_enums.append({"field": field.number, "index": index, "value": item})
                    numbers.append(number)
                value = numbers
        elif kind is _MESSAGE:
            assert field.message is not None
            try:
                value = to_kwargs(value, field.message)
            except Unrepresentable as error:
                error.segments.append(name)
                raise
        elif kind is _ENUM:
            assert field.enum is not None
            number = field.enum.number_of.get(value)
            if number is None:
                unknown_enums.append({"field": field.number, "index": 0, "value": value})
                number = 0
            value = number
        elif kind is _RAW:
            value = bytes(value)
        elif kind is _BASE64 and type(value) is Base64Text:  # the text decides, not the bytes beside it
            text = value.text
            value = canonical(text)
            if value is None:
                base64_texts[field.number] = text  # the exact text; the field what it reads as
                value = lenient(text)
                if value is None:
                    continue
        elif field.python_type is float:
            _check_double(value, name)
        kwargs[field.pb_name] = value
    extra = obj.extra
    if nulls or empties or unknown_enums or extra or base64_texts:
        fidelity: dict[str, Any] = {}
        if nulls:
            fidelity["null_fields"] = nulls
        if empties:
            fidelity["empty_fields"] = empties
        if unknown_enums:
            fidelity["unknown_enum_values"] = unknown_enums
        if extra:
            fidelity["unknown_keys"] = {key: bytes(raw) for key, raw in extra.items()}
        if base64_texts:
            fidelity["base64_text"] = base64_texts
        kwargs[FIDELITY_FIELD] = fidelity
    return kwargs


def envelope_kwargs(obj: Any, plan: MessagePlan) -> dict[str, Any]:
    """Constructor arguments for the envelope of an event in its oneof (``plan.envelope``): its
    type, its outer fields (``event_id``; a null one recorded in the envelope's fidelity), and the
    member holding the rest."""
    assert plan.envelope is not None and plan.tag is not None  # an event in its envelope's oneof
    kwargs: dict[str, Any] = {plan.tag[0]: plan.tag[1]}
    nulls = []
    for field in plan.outer:
        value = getattr(obj, field.name)
        if value is None:
            nulls.append(field.number)
        elif value is not UNSET:
            kwargs[field.pb_name] = value
    kwargs[plan.envelope.member] = to_kwargs(obj, plan)
    if nulls:
        kwargs[FIDELITY_FIELD] = {"null_fields": nulls}
    return kwargs


def _messages(items: list[Any], plan: MessagePlan, name: str) -> list[dict[str, Any]]:
    out = []
    for index, item in enumerate(items):
        try:
            out.append(to_kwargs(item, plan))
        except Unrepresentable as error:
            error.segments += [index, name]
            raise
    return out


def _check_double(value: int | float, name: str) -> None:
    """A value bound for a ``double`` must be a JSON number and survive the trip exactly."""
    if type(value) is float:
        if not math.isfinite(value):
            raise Unrepresentable(f"{value} is not a JSON number", name)
        return
    try:
        exact = float(value) == value
    except OverflowError:
        exact = False
    if not exact:
        text = clip(str(value))
        raise Unrepresentable(f"integer {text} has no exact double representation", name)


def _member_for(union: FieldPlan, value: Any) -> FieldPlan:
    """The oneof member that holds ``value``."""
    member = union.member_for(value)
    if member is None:
        got = type(value).__name__
        raise Unrepresentable(f"Expected one of {_names(union)}, got `{got}`", union.name, "type")
    return member


def _names(union: Any) -> str:
    return " | ".join(f"`{m.python_type.__name__}`" for m in union.members)


# ------------------------------------------------------------------------------ message -> Struct


def from_event(message: Message, direction: Direction, errors: list[Violation]) -> Any:
    """The event an envelope (``ServerEvent``, ``ClientEvent``) stands for: its ``type`` picks the
    class; the member of its ``event`` oneof, if that type has one, holds the keys (a type without a
    member set is an event with no other keys; a member set for another type is reported)."""
    envelope = cast(Any, message)
    member = envelope.WhichOneof("event")
    has_type = envelope.HasField("type")
    plan = direction.plan_of(envelope.type) if has_type else None
    if member is not None:
        held = getattr(envelope, member)
        candidate = direction.by_member[member]
        if plan is None:  # the member says the type
            plan = candidate
        elif plan is not candidate:
            errors.append(Violation("$.type", f"{envelope.type!r} is not the type of the {member!r} member", "malformed"))
            return None
    elif plan is None:
        errors.append(Violation("$.type", "Object missing required field `type`", "missing"))
        return None
    assert plan is not None  # the type's, or the member's
    if plan.envelope is None:
        return from_message(message, plan, "$", errors)
    outer: dict[str, Any] = {}
    for descriptor, value in message.ListFields():  # the envelope's other fields belong to other types
        field = plan.by_name.get(descriptor.name)
        if field is not None and field.outer:
            outer[field.name] = value
        elif descriptor.name == FIDELITY_FIELD:
            _outer_fidelity(value, plan, outer, errors)
        elif descriptor.name not in ("type", member):
            errors.append(Violation(join("$", descriptor.name), f"not a field of {plan.struct.__name__}", "malformed"))
    return from_message(held if member is not None else plan.pb(), plan, "$", errors, outer)


def _outer_fidelity(fidelity: Any, plan: MessagePlan, outer: dict[str, Any], errors: list[Violation]) -> None:
    """The envelope's fidelity record of an event in its oneof: nulls of its outer fields, nothing else."""
    owner = f"the envelope of {plan.struct.__name__}"
    numbers = {f.number: f for f in plan.outer}
    for number in fidelity.null_fields:
        _mark(numbers, owner, number, None, outer, "$", errors, "null")
    if fidelity.empty_fields or fidelity.unknown_keys or fidelity.unknown_enum_values or fidelity.base64_text:
        errors.append(Violation("$", f"{owner} records only nulls; its member holds the rest", "malformed"))


def from_message(
    message: Message, plan: MessagePlan, path: str, errors: list[Violation], outer: dict[str, Any] | None = None
) -> Any:
    """The Struct a message stands for (``outer``: the values of its outer fields, read from the
    envelope).

    Problems are appended to ``errors``; the caller raises once the walk is done.
    """
    fidelity = getattr(message, FIDELITY_FIELD) if message.HasField(FIDELITY_FIELD) else None
    unknown_enums = None
    if fidelity is not None and fidelity.unknown_enum_values:
        unknown_enums = _unknown_enums(fidelity.unknown_enum_values, plan, path, errors)
    kwargs: dict[str, Any] = dict(outer) if outer else {}
    by_number = plan.by_number
    for descriptor, value in message.ListFields():
        number = descriptor.number
        field = by_number.get(number) or plan.replaced.get(number)
        if field is None:
            if descriptor.name != FIDELITY_FIELD and (plan.tag is None or plan.envelope is not None or descriptor.name != plan.tag[0]):
                errors.append(Violation(join(path, descriptor.name), f"not a field of {plan.struct.__name__}", "malformed"))
            continue
        name = field.name
        if field.kind is _UNION:
            field = next(m for m in field.members if m.number == number)
        kind = field.kind
        if kind is _SCALAR:
            if field.repeated:
                value = list(value)
            elif type(value) is float and not math.isfinite(value):
                errors.append(Violation(join(path, name), f"{value} is not a JSON number", "range"))
        elif kind is _MESSAGE:
            sub = field.message
            assert sub is not None  # a MESSAGE field has its plan
            field_path = join(path, name)
            if field.repeated:
                value = [from_message(v, sub, f"{field_path}[{i}]", errors) for i, v in enumerate(value)]
            else:
                value = from_message(value, sub, field_path, errors)
        elif kind is _ENUM:
            if field.repeated:
                value = [
                    _enum_value(field, n, i, unknown_enums, f"{join(path, name)}[{i}]", errors)
                    for i, n in enumerate(value)
                ]
            else:
                value = _enum_value(field, value, 0, unknown_enums, join(path, name), errors)
        elif kind is _MAP:
            value = dict(sorted(value.items()))  # a proto map has no order; sorted is reproducible
        elif kind is _RAW:
            value = _json_text(value, join(path, name), errors)
        elif kind is _BASE64:
            if name in kwargs:  # the field and the released one it replaced (read first: numbered lower)
                errors.append(Violation(join(path, name), f"set in field {number} and in the field it replaced", "malformed"))
            if number != field.number:  # the replaced field, in old data: the JSON text itself
                value = value_of(value)
        kwargs[name] = value
    if unknown_enums:  # every entry must stand for exactly one enum value set to 0
        for number, index in unknown_enums:
            field = plan.by_number[number]
            where = join(path, field.name) + (f"[{index}]" if field.repeated else "")
            errors.append(Violation(where, f"unknown_enum_values entry for index {index} matches no unspecified value", "malformed"))
    if fidelity is not None:
        _apply_fidelity(fidelity, plan, kwargs, path, errors)
    try:
        return plan.struct(**kwargs)
    except TypeError:  # a required field is missing; already reported
        return None


def _unknown_enums(entries: Any, plan: MessagePlan, path: str, errors: list[Violation]) -> dict[tuple[int, int], str]:
    """The recorded enum strings by (field, index), each checked: an enum field, once, not a value
    the enum already has (that one would be written as its number)."""
    out: dict[tuple[int, int], str] = {}
    for entry in entries:
        key = (entry.field, entry.index)
        field = plan.by_number.get(entry.field)
        if entry.field not in plan.enum_numbers:
            errors.append(Violation(path, f"unknown_enum_values names field {entry.field}, not an enum field", "malformed"))
        elif key in out:
            errors.append(Violation(path, f"unknown_enum_values has two entries for field {entry.field}, index {entry.index}", "malformed"))
        elif field is not None and any(
            m.enum is not None and entry.value in m.enum.number_of for m in field.choices if m.kind is _ENUM
        ):
            errors.append(Violation(join(path, field.name), f"unknown_enum_values records {entry.value!r}, a known value", "malformed"))
        else:
            out[key] = entry.value
    return out


def _enum_value(
    field: FieldPlan,
    number: int,
    index: int,
    unknown: dict[tuple[int, int], str] | None,
    path: str,
    errors: list[Violation],
) -> str:
    assert field.enum is not None  # an ENUM field has its plan
    value = field.enum.value_of.get(number)
    if value is not None:
        return value
    if number == 0 and unknown:
        value = unknown.pop((field.number, index), None)
        if value is not None:
            return value
    errors.append(Violation(path, f"enum number {number} of {field.enum.name} has no JSON value", "malformed"))
    return ""


def _apply_fidelity(fidelity: Any, plan: MessagePlan, kwargs: dict[str, Any], path: str, errors: list[Violation]) -> None:
    for number in fidelity.null_fields:
        _mark(plan.by_number, plan.struct.__name__, number, None, kwargs, path, errors, "null")
    for number in fidelity.empty_fields:
        field = plan.by_number.get(number)
        empty: dict[str, str] | list[Any] = {} if field is not None and field.kind is _MAP else []
        if field is not None and not (field.repeated or field.kind is _MAP):
            errors.append(Violation(join(path, field.name), "empty_fields names a field that is not a list or map", "malformed"))
            continue
        _mark(plan.by_number, plan.struct.__name__, number, empty, kwargs, path, errors, "empty")
    for number, text in sorted(fidelity.base64_text.items()):
        _base64_text(plan, number, text, kwargs, path, errors)
    if fidelity.unknown_keys:
        extra: dict[str, Raw] = {}
        unknown = fidelity.unknown_keys
        for key in sorted(unknown):  # a proto map has no order; sorting makes the JSON reproducible
            text = unknown[key]
            key_path = join(path, key)
            if key in kwargs or (plan.tag is not None and key == plan.tag[0]):
                errors.append(Violation(key_path, "a kept key collides with a field that is set", "malformed"))
                continue
            value = _json_text(text, key_path, errors)
            if value is None:
                continue
            # A known field's key holds a value that did not fit the field (read tolerantly), kept
            # while the field is unset; one the field could hold would belong in the field.
            field = plan.by_name.get(key)
            if field is not None and fits(value, field):
                errors.append(Violation(key_path, "a kept key holds a value its field could hold", "malformed"))
                continue
            extra[key] = value
        if extra:
            kwargs["extra"] = Extra(extra)


def _base64_text(plan: MessagePlan, number: int, text: str, kwargs: dict[str, Any], path: str, errors: list[Violation]) -> None:
    """Apply one base64_text entry: the field holds what its text reads as, and takes the text."""
    field = plan.by_number.get(number)
    if field is None or field.kind is not _BASE64:
        what = f"base64_text names field {number}, which is not a base64 field of {plan.struct.__name__}"
        errors.append(Violation(path, what, "malformed"))
        return
    where = join(path, field.name)
    if canonical(text) is not None:
        errors.append(Violation(where, "base64_text records canonical base64, which the field alone holds", "malformed"))
        return
    data = lenient(text)
    held = kwargs.get(field.name, UNSET)
    if held is not UNSET if data is None else type(held) is not bytes or held != data:
        errors.append(Violation(where, "the field does not hold what its base64_text reads as", "malformed"))
        return
    kwargs[field.name] = Base64Text(data or b"", text)


def _json_text(text: bytes, path: str, errors: list[Violation]) -> Raw | None:
    """``text`` as a Raw value, once it is known to be one valid JSON value in UTF-8 that keeps the
    document within MAX_DEPTH: checked as the JSON side checks what it keeps raw (syntax, escapes
    and UTF-8, not the range of numbers, which are kept as text)."""
    if too_deep(text, path):
        errors.append(Violation(path, TOO_DEEP, "too_deep"))
        return None
    try:
        raw = _RAW_TEXT.decode(text)
        str(raw, "utf-8")
    except (msgspec.DecodeError, UnicodeDecodeError) as error:
        found = text_violation(error, text, path)
        errors.append(Violation(path, f"not valid JSON: {found.message}", found.kind))
        return None
    return raw


def _mark(
    by_number: dict[int, FieldPlan], owner: str, number: int, value: Any, kwargs: dict[str, Any], path: str,
    errors: list[Violation], what: str,
) -> None:
    """Set the field ``number`` names (one of ``by_number``, which ``owner`` holds) to ``value``."""
    field = by_number.get(number)
    if field is None:
        errors.append(Violation(path, f"{what}_fields names field {number}, which {owner} cannot hold", "malformed"))
    elif field.name in kwargs:
        errors.append(Violation(join(path, field.name), f"field is both set and marked {what}", "malformed"))
    else:
        kwargs[field.name] = value
