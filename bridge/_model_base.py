"""What every model shares: the three states of a key, the number types, unknown keys, the base
classes. :mod:`bridge.models` (generated from ``proto/`` by ``proto/generate.py``) defines the models
on top of this and re-exports the public names."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Annotated, TypeVar, Union

import msgspec
from msgspec import UNSET, Raw, UnsetType

__all__ = ["EXTRA_KEY", "UNSET", "Base64Text", "Extra", "Field", "Int64", "JsonValue", "Number", "UnsetType"]

T = TypeVar("T")

#: A key that may be missing (``UNSET``), ``null`` (``None``) or hold a ``T``.
Field = Union[T, None, UnsetType]

#: Token counts and other integers: whatever fits a protobuf ``int64``.
Int64 = Annotated[int, msgspec.Meta(ge=-(2**63), le=2**63 - 1)]

#: A JSON number held in a protobuf ``double``. A JSON integer stays an ``int`` so that it is never
#: rounded silently: converting one that a double cannot hold exactly is an error.
Number = Union[int, float]

#: A value of any JSON shape, kept as its exact JSON text (an explicit ``null`` is ``Raw(b"null")``).
JsonValue = Union[Raw, UnsetType]

#: The JSON name of the ``extra`` field. No JSON key is ever decoded into it (a payload that uses
#: this key has it carried in ``extra`` like any other unknown key).
EXTRA_KEY = "__bridge_extra__"


class Extra(Mapping[str, Raw]):
    """Keys the schema does not know, each mapped to its value's exact JSON text.

    Read a value with ``msgspec.json.decode(extra["key"])``. Encoding puts the keys back inline,
    byte for byte, next to the known fields of the object they came from.
    """

    __slots__ = ("_members",)

    def __init__(
        self, members: Mapping[str, Raw | bytes | str] | Iterable[tuple[str, Raw | bytes | str]] = (), /
    ) -> None:
        self._members: dict[str, Raw] = {
            key: value if isinstance(value, Raw) else Raw(value) for key, value in dict(members).items()
        }

    def __getitem__(self, key: str) -> Raw:
        return self._members[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._members)

    def __len__(self) -> int:
        return len(self._members)

    def __repr__(self) -> str:
        inner = ", ".join(f"{k!r}: {bytes(v).decode('utf-8', 'replace')}" for k, v in self._members.items())
        return f"Extra({{{inner}}})"


class Base64Text(bytes):
    """The value of a base64 key (audio) whose JSON text is not canonical base64: the bytes a
    lenient decoder reads from it (line breaks and other whitespace dropped, missing padding
    restored, the URL-safe alphabet read as the standard one, bits after the last byte ignored;
    ``b""`` when even that fails), and in :attr:`text` the exact text, which encoding writes back.

    Canonical base64, what every encoder writes and the API sends, decodes to plain ``bytes``.
    ``strict=True`` rejects this type's text.
    """

    text: str

    def __new__(cls, data: bytes, text: str) -> Base64Text:
        obj = super().__new__(cls, data)
        obj.text = text
        return obj

    def __eq__(self, other: object) -> bool:
        # Equal to another Base64Text with the same text; never to plain bytes, which stand for
        # different JSON.
        if isinstance(other, Base64Text):
            return self.text == other.text
        return False if isinstance(other, bytes) else NotImplemented

    def __ne__(self, other: object) -> bool:
        equal = self.__eq__(other)
        return equal if equal is NotImplemented else not equal

    __hash__ = bytes.__hash__

    def __repr__(self) -> str:
        return f"Base64Text({bytes(self)!r}, text={self.text!r})"

    def __reduce__(self) -> tuple[type, tuple[bytes, str]]:
        return Base64Text, (bytes(self), self.text)


def _extra() -> Union[Extra, UnsetType]:
    return msgspec.field(default=UNSET, name=EXTRA_KEY)


class _Model(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=False, repr_omit_defaults=True, gc=False):
    """Base of every model: unknown keys are rejected by the fast decoder, which then hands the
    object to the lossless path that keeps them in :attr:`extra`.

    ``gc=False``: a decoded document is a tree, never a cycle, so the garbage collector need not
    track every Struct (msgspec measures this as a real saving on decode-heavy work). Do not build
    reference cycles out of model instances."""


class _Event(_Model, tag_field="type"):
    """Base of the typed events: ``type`` is the class's tag, written first."""

    @property
    def type(self) -> str:
        """The event type, e.g. ``"response.done"``."""
        return self.__struct_config__.tag  # type: ignore[return-value]
