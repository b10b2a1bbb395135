"""JSON ⇄ Struct.

Decoding has two paths. The fast path is one msgspec decode into the Structs, which forbid unknown
keys; it succeeds for every payload the schema fully describes. Anything else (an unknown key, a
wrong type, an event type without a Struct of its own) falls to the lossless path, which walks the
document one object at a time: known keys are decoded by their Struct field's own decoder (trying
the fast path again for each subtree), unknown keys are kept as the exact JSON text they arrived
with, and every type error is collected with its path before one :class:`ValidationError` is raised.

Encoding is one msgspec encode, unless some object carries unknown keys: then the Structs are
flattened to builtins with those keys spliced back inline.

The msgspec decoders this takes (of a whole object, of one level of it, of each key's value) and
the getters of the doubles that encoding checks are this converter's own, built here once from the
plans of :mod:`bridge._schema`, which hold no JSON machinery.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from operator import attrgetter
from typing import Any, Union

import msgspec
from msgspec import UNSET, Raw

from bridge._base64 import ENCODE_FROM, encoded, loose_padding, value_of
from bridge._guards import TOO_DEEP, too_deep
from bridge._paths import NOT_UTF8, join, reroot, text_violation
from bridge._schema import CLIENT, PLANS, SCALAR_TYPES, SERVER, Direction, FieldKind, FieldPlan, MessagePlan, plan_for
from bridge.errors import ValidationError, Violation
from bridge.models import Base64Text, Extra

__all__ = [
    "EVENT_DECODERS",
    "REFUSED",
    "decode",
    "decode_after_fast",
    "decode_event",
    "decode_event_after_fast",
    "decode_event_partial",
    "decode_partial",
    "encode",
    "fail",
    "fits",
    "misfit",
    "raise_or_return",
    "to_builtins",
]

_OBJECT = msgspec.json.Decoder(dict[str, Raw])
_ARRAY = msgspec.json.Decoder(list[Raw])
_STRING = msgspec.json.Decoder(str)
_FAILED = object()  # a value that did not decode; its violation is already recorded
_MISFIT = object()  # a value of the wrong type, read tolerantly: kept as its text in ``extra``

#: What msgspec raises for data it refuses: a type error (an unknown key to the fast path), or
#: malformed JSON and bad text in a string (invalid UTF-8, a lone surrogate escape), which msgspec
#: reports without a path (a ``DecodeError``; a ``UnicodeDecodeError`` before msgspec 0.23). The
#: lossless path takes every refused document and says what is wrong where.
#:
#: ``RecursionError`` is not among them: a document deeper than MAX_DEPTH is refused before
#: msgspec reads it, so one means the caller's stack was short (see ``_guards.on_fresh_stack``).
REFUSED = (msgspec.ValidationError, msgspec.DecodeError, UnicodeDecodeError)
#: What msgspec raises for a value that was split out of a valid document but cannot be read.
_BAD_TEXT = (msgspec.DecodeError, UnicodeDecodeError)


# ------------------------------------------------------------------- this converter's machinery


def _struct_types(plan: MessagePlan) -> dict[str, Any]:
    return {info.name: info.type for info in msgspec.structs.fields(plan.struct)}


def _value_decoders(plan: MessagePlan) -> dict[FieldPlan, Any]:
    """Each key's decoder of its whole value (a base64 value as text, to be read exactly)."""
    types = _struct_types(plan)
    return {f: msgspec.json.Decoder(Union[str, None] if f.kind is FieldKind.BASE64 else types[f.name]).decode for f in plan.fields}


def _item_decoders(plan: MessagePlan) -> dict[FieldPlan, Any]:
    """For a map or a list of scalars: a decoder of one value, to report each bad one at its path."""
    return {
        f: msgspec.json.Decoder(SCALAR_TYPES[f.python_type or str]).decode
        for f in plan.fields
        if f.kind is FieldKind.MAP or (f.repeated and f.kind is not FieldKind.MESSAGE)
    }


def _shallow(plan: MessagePlan) -> Any:
    """A decoder of one level of an object with unknown keys: they are skipped, and the fields that
    may hold objects stay raw for the walk to look into."""
    fields = []
    for info in msgspec.structs.fields(plan.struct):
        field = plan.by_name.get(info.name)
        if field is None:  # extra
            continue
        kind = Raw if field in plan.nested else Union[str, None] if field.kind is FieldKind.BASE64 else info.type
        fields.append((info.name, kind) if info.required else (info.name, kind, UNSET))
    return msgspec.json.Decoder(msgspec.defstruct(f"Shallow{plan.struct.__name__}", fields)).decode


def _leads_to_float(field: FieldPlan, seen: set[int]) -> bool:
    for member in field.choices:
        if member.kind is FieldKind.SCALAR and member.python_type is float:
            return True
        if member.kind is FieldKind.MESSAGE and member.message is not None and id(member.message) not in seen:
            seen.add(id(member.message))
            if any(_leads_to_float(f, seen) for f in member.message.fields):
                return True
    return False


def _float_chains(plan: MessagePlan) -> tuple[tuple[str, ...], ...] | None:
    chains: list[tuple[str, ...]] = []
    for field in _FLOATS[plan]:
        if field.kind is FieldKind.SCALAR and not field.repeated:
            chains.append((field.name,))
        elif field.kind is FieldKind.MESSAGE and not field.repeated:
            assert field.message is not None
            sub = _float_chains(field.message)
            if sub is None:
                return None
            chains.extend((field.name, *chain) for chain in sub)
        else:
            return None
    return tuple(chains)


def _holds(plan: MessagePlan, kind: FieldKind, seen: set[int]) -> bool:
    """Whether a ``kind`` field is in ``plan`` or anywhere in the messages it holds."""
    if any(f.kind is kind for f in plan.fields):
        return True
    seen.add(id(plan))
    return any(
        m.message is not None and id(m.message) not in seen and _holds(m.message, kind, seen)
        for f in plan.nested
        for m in f.choices
    )


_PLANS = set(PLANS.values())
#: Each plan's decoder of a whole object, nullable (the fast path).
_DECODE: dict[MessagePlan, Any] = {plan: msgspec.json.Decoder(Union[plan.struct, None]).decode for plan in _PLANS}
_SHALLOW: dict[MessagePlan, Any] = {plan: _shallow(plan) for plan in _PLANS}
_VALUE: dict[FieldPlan, Any] = {f: d for plan in _PLANS for f, d in _value_decoders(plan).items()}
_ITEM: dict[FieldPlan, Any] = {f: d for plan in _PLANS for f, d in _item_decoders(plan).items()}
#: The typed events of one direction decoded in one msgspec call (the fast path of an event).
EVENT_DECODERS: dict[Direction, Callable[[Any], Any]] = {
    direction: msgspec.json.Decoder(Union[tuple(plan.struct for plan in direction.plans.values())]).decode
    for direction in (SERVER, CLIENT)
}
#: The fields that are doubles or lead to one (for the check that JSON gets no NaN)...
_FLOATS: dict[MessagePlan, tuple[FieldPlan, ...]] = {
    plan: tuple(f for f in plan.fields if _leads_to_float(f, set())) for plan in _PLANS
}
#: ... and, by class, its plan and the same as attribute getters (``attrgetter("response.temperature")``)
#: when no list is on the way, so that the check costs a getattr or two (None when a walk is needed).
_ENCODING: dict[type, tuple[MessagePlan, tuple[Callable[[Any], Any], ...] | None]] = {}
for _cls, _plan in PLANS.items():
    _chains = _float_chains(_plan)
    _ENCODING[_cls] = (_plan, None if _chains is None else tuple(attrgetter(".".join(c)) for c in _chains))
#: The Struct classes whose documents may keep JSON text raw somewhere inside (see
#: :func:`unchecked_text`), and those with a base64 field somewhere inside.
_RAW_HOLDERS = frozenset(cls for cls, plan in PLANS.items() if _holds(plan, FieldKind.RAW, set()))
_BASE64_HOLDERS = frozenset(cls for cls, plan in PLANS.items() if _holds(plan, FieldKind.BASE64, set()))


def fail(error: Exception, data: Any) -> ValidationError:
    """The error for a document that cannot be read at all."""
    if isinstance(error, UnicodeEncodeError):  # a str argument holding lone surrogates
        return ValidationError.at("$", f"input is not valid Unicode at index {error.start}", "invalid_text")
    return ValidationError([text_violation(error, data, "$")])


def _check_depth(data: Any) -> None:
    if too_deep(data):
        raise ValidationError.at("$", TOO_DEEP, "too_deep")


# --------------------------------------------------------------------------------------- decoding


def decode(data: Any, plan: MessagePlan) -> Any:
    """Decode a JSON document into ``plan.struct``, losing nothing; raise :class:`ValidationError`
    only for what cannot be read (a value of the wrong type is carried in ``extra``)."""
    return raise_or_return(*decode_partial(data, plan))


def decode_event(data: Any, direction: Direction = SERVER) -> Any:
    """Decode one event of ``direction``: a type the schema knows into its Struct, any other into
    the generic one (:class:`~bridge.models.GenericEvent`, :class:`~bridge.models.GenericClientEvent`).
    Tolerant, as :func:`decode`."""
    return raise_or_return(*decode_event_partial(data, direction))


def raise_or_return(obj: Any, errors: list[Violation]) -> Any:
    if errors:
        raise ValidationError(errors)
    return obj


def decode_partial(data: Any, plan: MessagePlan) -> tuple[Any, list[Violation]]:
    """Like :func:`decode`, but a document with errors gives them with what could be decoded
    (fields that failed left out), so that strict mode can report its own violations too. A
    document that cannot be read at all still raises.

    Reading is tolerant: a value of the wrong JSON type is no error but carried, as the exact text
    it arrived with, in the ``extra`` of the object that holds it (the field left unset), as an
    unknown key is; strict mode then names it (:func:`misfit`)."""
    _check_depth(data)
    try:
        obj = _DECODE[plan](data)
    except REFUSED:  # an unknown key or a real error: the lossless path tells which
        return decode_after_fast(data, plan)
    except UnicodeEncodeError as error:
        raise fail(error, data) from None
    if obj is None:
        raise ValidationError.at("$", "Expected `object`, got `null`", "type")
    if unchecked_text(obj, data):
        return decode_after_fast(data, plan)
    return obj, []


def decode_after_fast(data: Any, plan: MessagePlan) -> tuple[Any, list[Violation]]:
    """:func:`decode_partial` for a document the fast decoder refused (its depth checked)."""
    errors: list[Violation] = []
    members = _members(data, "$", errors)
    if members is None:
        raise ValidationError(errors)
    obj = _build(data, members, plan, "$", errors, True)
    _check_replaced_text(data, errors)
    return obj, errors


def decode_event_partial(data: Any, direction: Direction = SERVER) -> tuple[Any, list[Violation]]:
    """:func:`decode_partial` for an event."""
    _check_depth(data)
    try:
        obj = EVENT_DECODERS[direction](data)
    except REFUSED:
        return decode_event_after_fast(data, direction)
    except UnicodeEncodeError as error:
        raise fail(error, data) from None
    if unchecked_text(obj, data):
        return decode_event_after_fast(data, direction)
    return obj, []


def _unchecked_inside(value: Any, raw: Raw) -> bool:
    """:func:`unchecked_text` for a field's value (a model, a list of them, or a scalar)."""
    if type(value) is list:
        return bool(value) and unchecked_text(value[0], raw)
    return unchecked_text(value, raw)


def unchecked_text(obj: Any, data: Any) -> bool:
    """Whether a document msgspec's fast decoder accepted may hold what it does not check: invalid
    UTF-8 in text it keeps raw (a model with raw fields somewhere inside, decoded from bytes that
    are not UTF-8), or base64 it read loosely (see ``_base64.loose_padding``). The lossless path
    then finds where, and decodes it exactly."""
    cls = type(obj)
    if cls in _BASE64_HOLDERS and loose_padding(data):
        return True
    if isinstance(data, str) or cls not in _RAW_HOLDERS:
        return False
    if isinstance(data, (bytes, bytearray)) and data.isascii():
        return False
    try:
        str(data, "utf-8")
    except UnicodeDecodeError:
        return True
    return False


def decode_event_after_fast(data: Any, direction: Direction = SERVER) -> tuple[Any, list[Violation]]:
    """:func:`decode_event_partial` for a document the fast decoder refused (any event type but
    the typed ones, an unknown key or an error; its depth checked)."""
    errors: list[Violation] = []
    members = _members(data, "$", errors)
    if members is None:
        raise ValidationError(errors)
    raw_type = members.get("type")
    if raw_type is None:
        raise ValidationError.at("$", "Object missing required field `type`", "missing")
    try:
        plan = direction.plan_of(_STRING.decode(raw_type))
    except msgspec.ValidationError as error:  # without its type, the rest cannot be read
        raise ValidationError([reroot(error, "$.type")]) from None
    except _BAD_TEXT as error:
        raise ValidationError([text_violation(error, raw_type, "$.type")]) from None
    obj = _build(data, members, plan, "$", errors, True)
    _check_replaced_text(data, errors)
    return obj, errors


def _check_replaced_text(data: Any, errors: list[Violation]) -> None:
    """Report invalid UTF-8 the walk cannot see: in the value of a key given again later in its
    object, which the later one replaces unread (every value read is checked where it is read).
    A document that is not UTF-8 is bad input wherever the bytes are."""
    if isinstance(data, str) or any(v.kind == "invalid_text" for v in errors) or bytes(data).isascii():
        return
    try:
        str(data, "utf-8")
    except UnicodeDecodeError as error:
        errors.append(Violation("$", f"{NOT_UTF8} at byte {error.start}, in the value of a key given again later", "invalid_text"))


def _members(data: Any, path: str, errors: list[Violation]) -> dict[str, Raw] | None:
    """The keys of an object and the raw text of their values; None (and the violation recorded)
    when ``data`` is not a readable object."""
    try:
        return _OBJECT.decode(data)
    except msgspec.ValidationError as error:
        errors.append(reroot(error, path))
    except _BAD_TEXT as error:
        errors.append(text_violation(error, data, path))
    except UnicodeEncodeError as error:
        raise fail(error, data) from None
    return None


def _kept(raw: Raw, path: str, errors: list[Violation]) -> bool:
    """Whether a value kept as raw text is valid UTF-8 (msgspec checks the escapes of what it skips,
    not the UTF-8)."""
    if _utf8(raw):
        return True
    errors.append(Violation(path, NOT_UTF8, "invalid_text"))
    return False


def _utf8(raw: Raw) -> bool:
    try:
        str(raw, "utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _build(raw: Any, members: dict[str, Raw], plan: MessagePlan, path: str, errors: list[Violation], tolerant: bool) -> Any:
    """Make ``plan.struct`` from an object (``raw``, already split into ``members``), keeping its
    unknown keys (and, ``tolerant``, its values of the wrong type) in ``extra`` and looking into
    the fields that hold objects."""
    tag_field = plan.tag[0] if plan.tag else None
    by_name = plan.by_name
    extra = {
        key: value
        for key, value in members.items()
        if key not in by_name and key != tag_field and _kept(value, join(path, key), errors)
    }
    try:
        kwargs = msgspec.structs.asdict(_SHALLOW[plan](raw))
    except REFUSED:  # a wrong type or bad text at this level: decode key by key to find every one
        return _build_by_key(members, plan, path, errors, extra, tolerant)
    misfits: dict[str, Raw] | None = None
    for field in plan.nested:
        value = kwargs[field.name]
        if value is not UNSET:
            read = _field_value(value, field, join(path, field.name), errors, tolerant)
            if read is _MISFIT:
                misfits = misfits or {}
                misfits[field.name] = value
                read = UNSET
            kwargs[field.name] = read
    for field in plan.raws:
        value = kwargs[field.name]
        if value is not UNSET and not _kept(value, join(path, field.name), errors):
            kwargs[field.name] = _FAILED
    for field in plan.base64s:  # decoded as text at this level, to be read exactly
        value = kwargs[field.name]
        if type(value) is str:
            kwargs[field.name] = value_of(value)
    if misfits:
        extra = _in_document_order(members, extra, misfits)
    return _construct(plan, kwargs, extra, path, errors)


def _build_by_key(
    members: dict[str, Raw], plan: MessagePlan, path: str, errors: list[Violation], extra: dict[str, Raw], tolerant: bool
) -> Any:
    kwargs: dict[str, Any] = {}
    misfits: dict[str, Raw] | None = None
    by_name = plan.by_name
    for key, raw in members.items():
        field = by_name.get(key)
        if field is not None:
            value = _field_value(raw, field, join(path, key), errors, tolerant)
            if value is _MISFIT:
                misfits = misfits or {}
                misfits[key] = raw
            else:
                kwargs[key] = value
    if misfits:
        extra = _in_document_order(members, extra, misfits)
    return _construct(plan, kwargs, extra, path, errors)


def _in_document_order(members: dict[str, Raw], extra: dict[str, Raw], misfits: dict[str, Raw]) -> dict[str, Raw]:
    """The unknown keys and the misfits together, in the order of the document (as the compiled
    decoder, which reads it once, keeps them)."""
    return {key: raw for key, raw in members.items() if key in extra or key in misfits}


def _construct(plan: MessagePlan, kwargs: dict[str, Any], extra: dict[str, Raw], path: str, errors: list[Violation]) -> Any:
    if errors:  # the document is rejected; build what decoded, for strict mode to look at
        kwargs = {key: value for key, value in kwargs.items() if value is not _FAILED}
    if extra:
        kwargs["extra"] = Extra(extra)
    try:
        return plan.struct(**kwargs)
    except TypeError as error:  # a required field is missing
        errors.append(Violation(path, str(error), "missing"))
        return _FAILED


def _field_value(raw: Raw, field: Any, path: str, errors: list[Violation], tolerant: bool) -> Any:
    """The value of one known key, every violation in it recorded at its own path; ``tolerant``,
    ``_MISFIT`` for a value of the wrong type at its own level (the objects inside it carry theirs),
    which the caller keeps as its text."""
    if not tolerant:
        return _read_value(raw, field, path, errors, False)
    found: list[Violation] = []
    value = _read_value(raw, field, path, found, True)
    if not found:
        return value
    if _utf8(raw):  # every problem is a type (or a lone surrogate): carried as the text it is
        return _MISFIT
    errors.extend(found)  # (bad text, which no path can carry, with the path of each)
    return _FAILED


def misfit(raw: Raw, field: Any, path: str) -> list[Violation]:
    """Why ``raw``, kept in ``extra`` under the key of ``field``, does not fit it: the violations a
    strict decode reports for it, each at its own path."""
    return _strict_read(raw, field, path) or [Violation(path, "kept as text, though the field could hold it", "type")]


def fits(raw: Raw, field: Any) -> bool:
    """Whether ``raw`` is a value ``field`` can hold (a strict read finds nothing wrong in it)."""
    return not _strict_read(raw, field, "$")


def _strict_read(raw: Raw, field: Any, path: str) -> list[Violation]:
    errors: list[Violation] = []
    _read_value(raw, field, path, errors, False)
    return errors


def _read_value(raw: Raw, field: Any, path: str, errors: list[Violation], tolerant: bool) -> Any:
    """:func:`_field_value`'s walk (``tolerant``: the objects inside carry their own misfits)."""
    try:
        value = _VALUE[field](raw)
    except REFUSED as error:  # a wrong type, or bad text, somewhere inside: find where
        if field in _ITEM and _each_item(raw, field, path, errors):
            return _FAILED
        if field.kind is FieldKind.UNION:
            field = _object_member(field, raw)
        if field is None or field.kind is not FieldKind.MESSAGE:
            errors.append(reroot(error, path) if isinstance(error, msgspec.ValidationError)
                          else text_violation(error, raw, path))
            return _FAILED
    else:
        if field.kind is FieldKind.RAW:
            return value if _kept(value, path, errors) else _FAILED
        if field.kind is FieldKind.BASE64:  # decoded as text (see _schema), to be read exactly
            return value if value is None else value_of(value)
        if not _unchecked_inside(value, raw):
            return value
        field = field if field.kind is FieldKind.MESSAGE else _object_member(field, raw)
    # A message (or list of them) that the fast path refused, or whose raw text it did not check:
    # walk it object by object.
    if not field.repeated:
        members = _members(raw, path, errors)
        return _FAILED if members is None else _build(raw, members, field.message, path, errors, tolerant)
    try:
        items = _ARRAY.decode(raw)
    except REFUSED as error:
        errors.append(reroot(error, path))
        return _FAILED
    out = []
    for index, item in enumerate(items):
        item_path = f"{path}[{index}]"
        try:
            value = _DECODE[field.message](item)
            if value is not None and unchecked_text(value, item):
                raise UnicodeDecodeError("utf-8", b"", 0, 0, NOT_UTF8)  # find where, as for any bad text
        except REFUSED:
            members = _members(item, item_path, errors)
            value = _FAILED if members is None else _build(item, members, field.message, item_path, errors, tolerant)
        else:
            if value is None:
                errors.append(Violation(item_path, "Expected `object`, got `null`", "type"))
                value = _FAILED
        out.append(None if value is _FAILED else value)  # keeps the indices of the rest
    return out


def _each_item(raw: Raw, field: Any, path: str, errors: list[Violation]) -> bool:
    """Report each bad value of a map or a list of scalars at its own path; False when the
    container itself is what is wrong (the caller reports that)."""
    try:
        if field.kind is FieldKind.MAP:
            items = [(join(path, key), item) for key, item in _OBJECT.decode(raw).items()]
        else:
            items = [(f"{path}[{index}]", item) for index, item in enumerate(_ARRAY.decode(raw))]
    except REFUSED:
        return False
    found = False
    for where, item in items:
        try:
            _ITEM[field](item)
        except msgspec.ValidationError as error:
            errors.append(reroot(error, where))
            found = True
        except _BAD_TEXT as error:
            errors.append(text_violation(error, item, where))
            found = True
    return found


def _object_member(union: Any, raw: Raw) -> Any:
    """The message member of a union, when ``raw`` is a JSON object it could hold."""
    if bytes(memoryview(raw)[:1]) != b"{":
        return None
    return next((m for m in union.members if m.kind is FieldKind.MESSAGE), None)


# --------------------------------------------------------------------------------------- encoding


class _HasExtra(Exception):
    """Raised from the encoder hook: some object carries unknown keys (the only non-msgspec type)."""


def _refuse(obj: Any) -> Any:
    if isinstance(obj, Extra):
        raise _HasExtra
    if type(obj) is Base64Text:  # (plain bytes msgspec writes as canonical base64 itself)
        return obj.text
    raise TypeError(f"cannot encode {type(obj).__name__}")


_ENCODER = msgspec.json.Encoder(enc_hook=_refuse)
_replace = msgspec.structs.replace


def encode(obj: Any) -> bytes:
    """Encode a model instance (a response or an event) as compact JSON, unknown keys inline.

    JSON has no NaN or infinity: a double holding one is a :class:`ValidationError` (msgspec
    would write ``null``, changing the value). An event's own audio (its base64 field) of 1 KiB or
    more is base64-encoded by pybase64, the same text msgspec writes, 4-5x faster at 16 KiB."""
    try:
        plan, getters = _ENCODING[type(obj)]
    except KeyError:
        plan_for(obj)  # raises the TypeError
        raise
    if getters is None:
        _check_finite(obj, plan, "$")
    else:
        for get in getters:
            try:
                value = get(obj)
            except AttributeError:  # None or UNSET on the way: no double there
                continue
            if type(value) is float and value - value != 0.0:  # NaN or an infinity
                _check_finite(obj, plan, "$")  # finds it again, with its path
    if plan.base64s:
        obj = _with_audio_encoded(obj, plan.base64s)
    try:
        return _ENCODER.encode(obj)
    except _HasExtra:
        return _ENCODER.encode(to_builtins(obj, plan))


def _with_audio_encoded(obj: Any, fields: tuple[FieldPlan, ...]) -> Any:
    """``obj``, or a shallow copy of it (``obj`` is left as it is) whose audio of
    ``ENCODE_FROM`` bytes or more is already its JSON text (:func:`bridge._base64.encoded`)."""
    changes = None
    for field in fields:
        value = getattr(obj, field.name)
        if type(value) is bytes and len(value) >= ENCODE_FROM:
            if changes is None:
                changes = {}
            changes[field.name] = encoded(value)
    return obj if changes is None else _replace(obj, **changes)


def _check_finite(obj: Any, plan: MessagePlan, path: str) -> None:
    """JSON has no NaN or infinity (msgspec would write ``null``): refuse rather than change a value."""
    for field in _FLOATS[plan]:
        value = getattr(obj, field.name)
        if type(value) is float:
            if not math.isfinite(value):
                raise ValidationError.at(join(path, field.name), f"{value} is not a JSON number", "range")
        elif isinstance(value, msgspec.Struct):
            _check_finite(value, plan_for(value), join(path, field.name))
        elif type(value) is list:
            for index, item in enumerate(value):
                if isinstance(item, msgspec.Struct):
                    _check_finite(item, plan_for(item), f"{join(path, field.name)}[{index}]")


def to_builtins(obj: Any, plan: MessagePlan) -> dict[str, Any]:
    """A model instance as a dict of builtins (unknown keys as :class:`msgspec.Raw`)."""
    out: dict[str, Any] = {}
    if plan.tag is not None:
        out[plan.tag[0]] = plan.tag[1]
    for field in plan.fields:
        value = getattr(obj, field.name)
        if value is UNSET:
            continue
        if isinstance(value, msgspec.Struct):
            value = to_builtins(value, plan_for(value))
        elif field.kind is FieldKind.MESSAGE and value:  # a list of them
            sub = field.message
            assert sub is not None  # a MESSAGE field has its plan
            value = [to_builtins(v, sub) for v in value]
        out[field.name] = value
    extra = obj.extra
    if extra:
        for key, raw in extra.items():
            if key in out:
                raise ValidationError.at(join("$", key), "a kept key collides with a field that is set", "malformed")
            out[key] = raw
    return out
