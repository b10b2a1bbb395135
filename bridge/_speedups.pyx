# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True, initializedcheck=False
"""Compiled fast paths for the two binary conversions; optional (see :mod:`bridge._accel`).

``struct_to_binary(obj)``
    A model instance -> the bytes of ``bridge.to_proto(obj).SerializeToString(deterministic=True)``,
    written straight from the Struct's slots: no constructor arguments, no protobuf message.
``binary_to_json(data, kind)``
    ``ServerEvent`` / ``RealtimeResponse`` bytes -> the bytes of
    ``bridge.encode(bridge.from_proto(Message.FromString(data)))``, written straight from the wire:
    no protobuf message, no Structs.

Both are byte-identical to the pure-Python path or decline: on anything they are not certain
to reproduce exactly (malformed or non-canonical wire data, an unknown field, an enum number without
a JSON spelling, a fidelity record that contradicts itself, a value of an unexpected Python type,
JSON text that fails validation, base64 kept as text for not being canonical (a ``Base64Text``, a
``json_fidelity.base64_text`` entry), a released field the schema replaced) they return ``None`` and the caller runs the pure path, which
produces the result or the proper :class:`~bridge.ValidationError`. They never guess.

Design
------
Tables are built once, at import, from :mod:`bridge._schema` (the plans pair each Struct field with
its proto field) and the proto descriptors; nothing here names a field.

- ``_Wire``, one per proto message: field number -> slot, expected wire type, packed or not. The
  parser makes one pass over a message, recording a ``Span`` per slot; it accepts only what a
  canonical serializer writes (each singular field once, repeated records contiguous, enums packed).
- ``_Plan``, one per ``MessagePlan``: C arrays of ``CField`` (a JSON key, in Struct order) and
  ``CSpec`` (a proto field; a JSON union has one spec per oneof member), the field-number write order,
  pre-encoded JSON keys, tags and enum spellings.
- ``_Layout``, one per concrete Struct class (the public models): the slot
  offset of every field, so values are read without attribute lookups.

Writing protobuf: pass 1 reads the slots in Struct order and records ``null`` / empty fields (the
order ``json_fidelity`` lists them in); pass 2 writes the set fields in field-number order, then
``json_fidelity``. Strings are UTF-8 encoded straight from their code points into the buffer. A
length prefix gets one placeholder byte; a length of 128 or more is recorded as a "hole" and the
final copy into the result writes it, so nothing is moved however deep the nesting. Map entries
are sorted as upb's deterministic serializer sorts them (bytewise, a key after the keys it is a
prefix of).

Writing JSON: the message is indexed (one pass), ``json_fidelity`` is checked against it, and the
keys are written in Struct order: the event tag first, unknown keys last (sorted), strings checked
and escaped the way msgspec escapes them (16 bytes at a time where nothing needs escaping), floats
formatted by msgspec itself, kept JSON text checked by the pure path's own function, map entries
sorted by key, audio (``(base64)`` fields) encoded by pybase64 (SIMD) straight from the wire.
"""

from cpython.buffer cimport PyBUF_READ, PyBUF_SIMPLE, PyBuffer_Release, PyObject_GetBuffer
from cpython.bytes cimport PyBytes_AS_STRING, PyBytes_FromStringAndSize, PyBytes_GET_SIZE
from cpython.dict cimport PyDict_GetItem
from cpython.float cimport PyFloat_AS_DOUBLE, PyFloat_FromDouble
from cpython.long cimport PyLong_AsLongLong, PyLong_AsSsize_t
from cpython.mem cimport PyMem_Free, PyMem_Malloc, PyMem_Realloc
from cpython.memoryview cimport PyMemoryView_FromMemory
from cpython.object cimport PyObject, PyTypeObject
from cpython.ref cimport Py_INCREF, Py_XDECREF
from cpython.unicode cimport PyUnicode_DecodeUTF8
from libc.math cimport isfinite
from libc.stdint cimport int8_t, int64_t, uint8_t, uint16_t, uint32_t, uint64_t
from libc.stdlib cimport qsort
from libc.string cimport memchr, memcmp, memcpy, memset

from bridge._slots cimport slot_offset
from bridge._text cimport rt_first_special, utf8_length
from bridge._wire cimport varint_size as _varint_size
from bridge._wire cimport write_varint as _write_varint

import functools
import operator

import msgspec
import pybase64
from google.protobuf.descriptor import FieldDescriptor

from bridge import _binary, _guards, _schema
from bridge import _drift as _drift_tables
from bridge._schema import EXTRA_FIELD, FIDELITY_FIELD, FieldKind
from bridge.models import Extra
from bridge.v1 import fidelity_pb2

__all__ = ["binary_to_json", "field_frame", "in_front_of", "struct_to_binary", "writer_in_front_of"]


cdef extern from "Python.h":
    const char* PyUnicode_AsUTF8AndSize(object, Py_ssize_t*) except NULL
    bint PyUnicode_CheckExact(object)
    bint PyLong_CheckExact(object)
    bint PyFloat_CheckExact(object)
    bint PyList_CheckExact(object)
    bint PyDict_CheckExact(object)
    bint PyBytes_CheckExact(object)
    Py_ssize_t PyList_GET_SIZE(object)
    PyObject* PyList_GET_ITEM(object, Py_ssize_t)
    Py_ssize_t PyTuple_GET_SIZE(object)
    PyObject* PyTuple_GET_ITEM(object, Py_ssize_t)
    PyTypeObject* Py_TYPE(PyObject*)
    PyObject* Py_None
    PyObject* Py_True
    PyObject* Py_False
    bint PyUnicode_IS_ASCII(object)
    int PyUnicode_KIND(object)
    const void* PyUnicode_DATA(object)
    Py_ssize_t PyUnicode_GET_LENGTH(object)


class _Decline(Exception):
    """Raised internally: this input is for the pure-Python path (as in bridge._decoder)."""


#: What makes an entry point decline (return None): a deliberate one, or a value the wire cannot
#: hold (lone surrogates, integers beyond 64 bits), which the pure path turns into a ValidationError.
_DECLINED = (_Decline, UnicodeError, OverflowError)

cdef enum:
    MAX_FIELDS = 64  # fields per message (a bit mask of wire slots is a uint64)
    MAX_NUMBER = 128  # field numbers below this are looked up directly; others fall back
    MAX_UNKNOWN_ENUMS = 16  # unknown enum strings per message read here; more fall back
    STACK_BUFFER = 2048  # output buffer on the C stack before the first growth

# Value kinds, after a JSON union is resolved to one oneof member.
cdef enum:
    K_UNSUPPORTED = 0
    K_STRING = 1
    K_INT64 = 2
    K_DOUBLE = 3
    K_BOOL = 4
    K_ENUM = 5
    K_MESSAGE = 6
    K_MAP = 7
    K_RAW = 8
    K_TAG = 9      # the constant tag of an event (``type``)
    K_BASE64 = 10  # bytes in proto, their canonical base64 in JSON

cdef enum:
    WT_VARINT = 0
    WT_FIXED64 = 1
    WT_LEN = 2
    WT_NONE = 255  # a field this module does not read: its presence means fall back

# Per-field states while writing JSON.
cdef enum:
    S_UNSET = 0
    S_WIRE = 1
    S_NULL = 2
    S_EMPTY = 3


cdef object _UNSET = msgspec.UNSET
cdef object _B64ENCODE = pybase64.b64encode
cdef object _RAW_TYPE = msgspec.Raw
cdef object _EXTRA_TYPE = Extra
cdef object _RAW_DECODE = msgspec.json.Decoder(msgspec.Raw).decode  # syntax and escapes, as _json_text
# Kept JSON text with up to MAX_DEPTH // 2 levels fits anywhere in the schema (whose own nesting is
# far less); deeper text is left to the pure path, which knows where the text stands.
cdef Py_ssize_t MAX_DEPTH = _guards.MAX_DEPTH
cdef object _float_json = msgspec.json.Encoder().encode
cdef object _by_first = operator.itemgetter(0)


def _map_order(item):
    """Sort key of a map entry as upb's deterministic serializer orders them: bytewise, except that
    a key sorts after every key it is a prefix of ("xy" before "x"). Valid UTF-8 has no 0xFF byte,
    so it stands for "past the end". Lone surrogates raise UnicodeEncodeError: declined."""
    return item[0].encode() + b"\xff"


cdef object _map_entries(dict mapping):
    """The entries of a map with string keys, in the order they are serialized."""
    if len(mapping) < 2:
        return mapping.items()
    for key in mapping:
        if not PyUnicode_CheckExact(key):
            _decline()
    return sorted(mapping.items(), key=_map_order)


cdef int _decline() except -1:
    raise _Decline


cdef int _check_host() except -1:
    """Doubles are copied to and from the wire as they are in memory: little-endian hosts only."""
    cdef uint64_t probe = 1
    if (<uint8_t*>&probe)[0] != 1:
        raise ImportError("bridge._speedups assumes a little-endian host")
    return 0


_check_host()


# ============================================================================ growable output buffer


cdef struct Hole:
    Py_ssize_t at  # a one-byte length placeholder ...
    uint64_t length  # ... for a length that needs more bytes


cdef struct Buf:
    char* data
    Py_ssize_t size
    Py_ssize_t cap
    char* stack  # the caller's initial storage, never freed
    Hole* holes  # length prefixes wider than their placeholder, filled in by _finish
    Py_ssize_t nholes
    Py_ssize_t holes_cap
    Py_ssize_t widened  # how many bytes the holes add


cdef struct Len:
    Py_ssize_t at  # where the placeholder is
    Py_ssize_t widened  # Buf.widened when it was opened


cdef inline void _buf_init(Buf* b, char* stack, Py_ssize_t cap) noexcept:
    b.data = stack
    b.stack = stack
    b.size = 0
    b.cap = cap
    b.holes = NULL
    b.nholes = b.holes_cap = b.widened = 0


cdef inline void _buf_free(Buf* b) noexcept:
    if b.data != b.stack:
        PyMem_Free(b.data)
    b.data = b.stack
    PyMem_Free(b.holes)
    b.holes = NULL


cdef int _grow(Buf* b, Py_ssize_t extra) except -1:
    cdef Py_ssize_t cap = b.cap * 2
    cdef char* data
    if cap < b.size + extra:
        cap = b.size + extra
    if b.data == b.stack:
        data = <char*>PyMem_Malloc(cap)
        if data != NULL:
            memcpy(data, b.data, b.size)
    else:
        data = <char*>PyMem_Realloc(b.data, cap)
    if data == NULL:
        raise MemoryError()
    b.data = data
    b.cap = cap
    return 0


cdef inline int _reserve(Buf* b, Py_ssize_t extra) except -1:
    if b.size + extra > b.cap:
        return _grow(b, extra)
    return 0


cdef inline int _put(Buf* b, const void* data, Py_ssize_t n) except -1:
    if b.size + n > b.cap:
        _grow(b, n)
    memcpy(b.data + b.size, data, n)
    b.size += n
    return 0


cdef inline int _put_byte(Buf* b, char c) except -1:
    if b.size + 1 > b.cap:
        _grow(b, 1)
    b.data[b.size] = c
    b.size += 1
    return 0


cdef inline int _put_bytes(Buf* b, object data) except -1:
    return _put(b, PyBytes_AS_STRING(data), PyBytes_GET_SIZE(data))




cdef inline int _put_varint(Buf* b, uint64_t v) except -1:
    if b.size + 10 > b.cap:
        _grow(b, 10)
    b.size = <char*>_write_varint(<uint8_t*>b.data + b.size, v) - b.data
    return 0


cdef inline Len _open_len(Buf* b) except *:
    """Start a length-delimited payload: one placeholder byte for its length (the common case)."""
    cdef Len opened
    _put_byte(b, 0)
    opened.at = b.size - 1
    opened.widened = b.widened
    return opened


cdef int _close_len(Buf* b, Len opened) except -1:
    """Fill in the length of everything written since ``opened``. A length of 128 or more needs a
    wider prefix: it is recorded as a hole and written by _finish, so nothing is ever moved."""
    cdef uint64_t length = b.size - opened.at - 1 + (b.widened - opened.widened)
    cdef Hole* holes
    cdef Py_ssize_t i
    if length < 0x80:
        b.data[opened.at] = <char>length
        return 0
    if b.nholes == b.holes_cap:
        b.holes_cap = b.holes_cap * 2 + 16
        holes = <Hole*>PyMem_Realloc(b.holes, b.holes_cap * sizeof(Hole))
        if holes == NULL:
            raise MemoryError()
        b.holes = holes
    # Kept in position order: holes close inner first, so this one goes before its descendants',
    # which are the last ones recorded.
    i = b.nholes
    while i > 0 and b.holes[i - 1].at > opened.at:
        b.holes[i] = b.holes[i - 1]
        i -= 1
    b.holes[i].at = opened.at
    b.holes[i].length = length
    b.nholes += 1
    b.widened += _varint_size(length) - 1
    return 0


cdef bytes _finish(Buf* b):
    """The buffer's bytes, with every hole's length prefix written at its placeholder."""
    cdef Py_ssize_t i, src = 0
    cdef uint8_t* dst
    if b.nholes == 0:
        return PyBytes_FromStringAndSize(b.data, b.size)
    out = PyBytes_FromStringAndSize(NULL, b.size + b.widened)
    dst = <uint8_t*>PyBytes_AS_STRING(out)
    for i in range(b.nholes):
        memcpy(dst, b.data + src, b.holes[i].at - src)
        dst = _write_varint(dst + (b.holes[i].at - src), b.holes[i].length)
        src = b.holes[i].at + 1
    memcpy(dst, b.data + src, b.size - src)
    return out


# ================================================================================= wire reading


cdef inline const uint8_t* _read_varint(const uint8_t* p, const uint8_t* end, uint64_t* out) noexcept:
    """Decode a varint; NULL if truncated, longer than 10 bytes or beyond 64 bits."""
    cdef uint64_t result = 0
    cdef int shift = 0
    cdef uint8_t byte
    while p < end:
        byte = p[0]
        p += 1
        if shift == 63 and byte > 1:
            return NULL
        result |= <uint64_t>(byte & 0x7F) << shift
        if byte < 0x80:
            out[0] = result
            return p
        shift += 7
    return NULL


cdef inline const uint8_t* _read_varint32(const uint8_t* p, const uint8_t* end, uint64_t* out) noexcept:
    """Decode a tag or a length prefix as upb does: at most 5 bytes and 32 bits, else NULL (upb
    rejects a longer one as corrupt even when its value is small, so this reader must too)."""
    cdef const uint8_t* q
    if p < end and p[0] < 0x80:  # nearly every tag and length: one byte
        out[0] = p[0]
        return p + 1
    q = _read_varint(p, end if end - p <= 5 else p + 5, out)
    if q == NULL or out[0] > 0xFFFFFFFF:
        return NULL
    return q


cdef inline const uint8_t* _read_len(const uint8_t* p, const uint8_t* end, const uint8_t** start) noexcept:
    """Read a length prefix; the payload is [start, returned). NULL if it overruns ``end``."""
    cdef uint64_t n
    p = _read_varint32(p, end, &n)
    if p == NULL or n > <uint64_t>(end - p):
        return NULL
    start[0] = p
    return p + n


cdef inline const uint8_t* _read_record(const uint8_t* p, const uint8_t* end, uint64_t* tag,
                                        const uint8_t** start) noexcept:
    """A length-delimited record: its tag and payload [start, returned); NULL if malformed."""
    tag[0] = 0
    start[0] = p
    p = _read_varint32(p, end, tag)
    if p == NULL or tag[0] & 7 != 2:
        return NULL
    return _read_len(p, end, start)


cdef struct Span:
    const uint8_t* start  # payload of the (single) record
    const uint8_t* end
    const uint8_t* rec_start  # for repeated records: the first record's tag ...
    const uint8_t* rec_end  # ... to the end of the last one
    uint64_t value  # varint or fixed64 payload
    Py_ssize_t count


cdef struct UnknownEnum:
    uint64_t field
    uint64_t index
    const uint8_t* start
    const uint8_t* end
    bint used


cdef struct Fidelity:
    bint present
    const uint8_t* start
    const uint8_t* end
    const uint8_t* nulls
    const uint8_t* nulls_end
    const uint8_t* empties
    const uint8_t* empties_end
    Py_ssize_t nkeys
    int nenums
    UnknownEnum enums[MAX_UNKNOWN_ENUMS]


cdef class _Wire:
    """Field number -> slot for one proto message, with what a canonical writer puts there."""

    cdef int nslots
    cdef int8_t slot_of[MAX_NUMBER]
    cdef uint8_t wiretype[MAX_FIELDS]
    cdef bint records[MAX_FIELDS]  # repeated, one record per element (messages, map entries)
    cdef uint32_t fidelity_number
    cdef object pb

    def __init__(self, pb):
        descriptor = pb.DESCRIPTOR
        self.pb = pb
        self.fidelity_number = 0
        memset(self.slot_of, -1, sizeof(self.slot_of))
        for field in descriptor.fields:
            if field.name == FIDELITY_FIELD:
                self.fidelity_number = field.number
                continue
            if self.nslots == MAX_FIELDS:
                raise ImportError(f"{descriptor.full_name} has more than {MAX_FIELDS} fields")
            slot = self.nslots
            self.nslots += 1
            self.wiretype[slot] = _wiretype_of(field)
            self.records[slot] = field.is_repeated and self.wiretype[slot] == WT_LEN and not _is_packed(field)
            if field.number < MAX_NUMBER:
                self.slot_of[field.number] = slot
            else:
                self.wiretype[slot] = WT_NONE

    cdef int slot(self, uint32_t number) except -2:
        return self.slot_of[number] if number < MAX_NUMBER else -1


cdef bint _is_packed(field) except -1:
    return field.is_repeated and getattr(field, "is_packed", False)


cdef int _wiretype_of(field) except -1:
    """The wire type this module reads for ``field``; WT_NONE for shapes it does not handle."""
    kind = _value_kind(field)
    if kind in (K_STRING, K_MESSAGE, K_MAP, K_RAW, K_BASE64):
        return WT_LEN
    if kind == K_ENUM:
        return WT_LEN if field.is_repeated else WT_VARINT
    if kind in (K_INT64, K_BOOL):
        return WT_VARINT
    if kind == K_DOUBLE:
        return WT_FIXED64
    return WT_NONE


cdef int _value_kind(field) except -1:
    """The kind of a proto field's values, or K_UNSUPPORTED (present values then fall back)."""
    t = field.type
    if t == FieldDescriptor.TYPE_MESSAGE:
        if field.message_type.GetOptions().map_entry:
            key = field.message_type.fields_by_name["key"].type
            value = field.message_type.fields_by_name["value"].type
            if key == value == FieldDescriptor.TYPE_STRING:
                return K_MAP
            return K_UNSUPPORTED
        return K_MESSAGE
    if field.is_repeated:
        # Repeated scalars: only packed enums are written (and read) here.
        return K_ENUM if t == FieldDescriptor.TYPE_ENUM and _is_packed(field) else K_UNSUPPORTED
    if not field.has_presence:
        return K_UNSUPPORTED  # implicit presence (zero not written) is not modelled here
    if t == FieldDescriptor.TYPE_STRING:
        return K_STRING
    if t == FieldDescriptor.TYPE_INT64:
        return K_INT64
    if t == FieldDescriptor.TYPE_DOUBLE:
        return K_DOUBLE
    if t == FieldDescriptor.TYPE_BOOL:
        return K_BOOL
    if t == FieldDescriptor.TYPE_ENUM:
        return K_ENUM
    if t == FieldDescriptor.TYPE_BYTES:
        return K_RAW  # (or K_BASE64, which the plan says: see _fill_spec; the wire type is the same)
    return K_UNSUPPORTED


cdef int _parse(_Wire wire, const uint8_t* p, const uint8_t* end, Span* spans, Fidelity* fid) except -1:
    """Index one message: a Span per slot, and where ``json_fidelity`` is."""
    cdef const uint8_t* record
    cdef uint64_t tag
    cdef uint32_t number
    cdef int wt, slot
    cdef Span* span
    memset(spans, 0, wire.nslots * sizeof(Span))
    fid.present = False
    while p < end:
        record = p
        p = _read_varint32(p, end, &tag)
        if p == NULL:
            return _decline()
        number = <uint32_t>(tag >> 3)
        wt = tag & 7
        if number == wire.fidelity_number and number != 0:
            if wt != WT_LEN or fid.present:
                return _decline()
            p = _read_len(p, end, &fid.start)
            if p == NULL:
                return _decline()
            fid.end = p
            fid.present = True
            continue
        slot = wire.slot_of[number] if number < MAX_NUMBER else -1
        if slot < 0 or wt != wire.wiretype[slot]:
            return _decline()  # an unknown field, or a known one in an unexpected encoding
        span = &spans[slot]
        if wt == WT_VARINT:
            p = _read_varint(p, end, &span.value)
        elif wt == WT_FIXED64:
            if end - p < 8:
                return _decline()
            memcpy(&span.value, p, 8)  # the wire is little-endian, as are the hosts we build for
            p += 8
        else:
            p = _read_len(p, end, &span.start)
            span.end = p
        if p == NULL:
            return _decline()
        if wire.records[slot]:
            if span.count == 0:
                span.rec_start = record
            elif record != span.rec_end:
                return _decline()  # another field between two elements
            span.rec_end = p
        elif span.count:
            return _decline()  # a singular field twice (the last wins) or a packed list in pieces
        span.count += 1
    return 0


# ============================================================================ JSON text writing

cdef const char* _HEX = b"0123456789abcdef"
#: The character after the backslash of a two-character escape (msgspec's), 0 for a \u00XX one.
cdef char _SHORT_ESCAPE[256]
for _c, _e in zip(b'"\\\b\t\n\f\r', b'"\\btnfr'):
    _SHORT_ESCAPE[_c] = _e


cdef int _put_escape(Buf* o, uint8_t c) except -1:
    cdef char out[6]
    cdef char short = _SHORT_ESCAPE[c]
    out[0] = b'\\'
    if short:
        out[1] = short
        return _put(o, out, 2)
    out[1] = b'u'
    out[2] = b'0'
    out[3] = b'0'
    out[4] = _HEX[c >> 4]
    out[5] = _HEX[c & 15]
    return _put(o, out, 6)




cdef int _json_string(Buf* o, const uint8_t* s, Py_ssize_t n) except -1:
    """``s`` (UTF-8, validated here) as a JSON string, escaped exactly as msgspec escapes."""
    cdef Py_ssize_t i = 0, run = 0
    cdef int k
    _reserve(o, n + 2)
    o.data[o.size] = b'"'
    o.size += 1
    while True:
        i = rt_first_special(s, i, n)  # plain ASCII up to here is copied with its run
        if i >= n:
            break
        if s[i] >= 0x80:
            k = utf8_length(s + i, n - i)
            if k == 0:
                return _decline()  # invalid UTF-8: the protobuf runtime rejects it
            i += k
        else:
            _put(o, s + run, i - run)
            _put_escape(o, s[i])
            i += 1
            run = i
    _put(o, s + run, n - run)
    return _put_byte(o, b'"')


cdef int _json_str_object(Buf* o, object text) except -1:
    cdef Py_ssize_t n
    cdef const char* s = PyUnicode_AsUTF8AndSize(text, &n)
    return _json_string(o, <const uint8_t*>s, n)


cdef int _json_int(Buf* o, int64_t v) except -1:
    cdef char digits[24]
    cdef int i = 24
    cdef uint64_t u = (<uint64_t>0 - <uint64_t>v) if v < 0 else <uint64_t>v
    while True:
        i -= 1
        digits[i] = <char>(48 + u % 10)
        u //= 10
        if u == 0:
            break
    if v < 0:
        i -= 1
        digits[i] = b'-'
    return _put(o, digits + i, 24 - i)


cdef int _json_kept(Buf* o, object text) except -1:
    """JSON text kept verbatim (a Raw field, an unknown key's value), checked and trimmed as the
    pure path's ``_json_text`` does (msgspec's syntax check, then UTF-8); anything it would report
    is left for the pure path to report. (Its depth check cannot fire here: within MAX_DEPTH / 2
    brackets, the text fits wherever a message can put it.)"""
    cdef Py_buffer view
    if text.count(b"[") + text.count(b"{") > MAX_DEPTH // 2:
        return _decline()  # it might nest too deep where it stands: the pure path knows where
    try:
        raw = _RAW_DECODE(text)
        if not text.isascii():
            PyUnicode_DecodeUTF8(PyBytes_AS_STRING(text), PyBytes_GET_SIZE(text), NULL)
    except (msgspec.DecodeError, UnicodeDecodeError):
        return _decline()
    PyObject_GetBuffer(raw, &view, PyBUF_SIMPLE)
    try:
        _put(o, view.buf, view.len)
    finally:
        PyBuffer_Release(&view)
    return 0


# ================================================================================== the tables


cdef struct CSpec:
    int kind
    bint repeated
    uint32_t number
    int field_index  # the CField this spec belongs to
    int member_index  # its position among a union's members (0 for a plain field)
    int slot  # wire slot in the proto message
    uint8_t tag[10]  # the encoded field key
    int taglen
    PyObject* number_of  # enum: JSON string -> number (dict)
    PyObject* json_of  # enum: number -> encoded JSON string or None (tuple)
    PyObject* python_type  # the type that selects this union member
    PyObject* message  # _Plan of a message field
    PyObject* constant  # K_TAG: the encoded tag field (bytes)


cdef struct CField:
    int first_spec
    int nmembers
    uint32_t number  # what json_fidelity.null_fields says for it
    bint listlike  # repeated or map: can be recorded as empty
    bint is_map
    const char* key  # '"name":'
    Py_ssize_t keylen


cdef class _Plan:
    """Everything both directions need to know about one Struct <-> message pairing."""

    cdef object schema  # the MessagePlan
    cdef object struct
    cdef _Wire wire
    cdef int nfields, nspecs, norder
    cdef CField* fields
    cdef CSpec* specs
    cdef int* order  # spec indexes in field-number order
    cdef int8_t field_of_number[MAX_NUMBER]  # proto number -> CField (union members included)
    cdef uint64_t allowed_slots  # wire slots this plan reads
    cdef bytes tag_json  # '"type":"response.done"' for tagged events
    cdef bytes tag_value  # b"response.done"
    # An event in a member of its envelope's oneof: the envelope's type field, the key of its
    # ``event_id`` (its one outer field), the member's key, and the envelope's record of a null id.
    cdef bytes prefix
    cdef bytes outer_key
    cdef bytes member_key
    cdef bytes outer_null
    cdef bytes outer_json  # ',"event_id":'
    # Known keys -> the index of their inner field in ``fields``, or -1 for the type's and the
    # outer field's: a kept key with an inner field's name is a value that did not fit that field.
    cdef dict names
    cdef list keep  # owners of the objects the C arrays point at

    def __dealloc__(self):
        PyMem_Free(self.fields)
        PyMem_Free(self.specs)
        PyMem_Free(self.order)


cdef class _Layout:
    """Where a Struct class keeps each field (slot offsets into the instance)."""

    cdef _Plan plan
    cdef Py_ssize_t offsets[MAX_FIELDS]
    cdef Py_ssize_t extra_offset
    cdef Py_ssize_t outer_offset  # the outer field's slot (an event in its envelope's oneof)


cdef bytes _field_key(uint32_t number, int wiretype):
    cdef Buf b
    cdef char stack[16]
    _buf_init(&b, stack, 16)
    _put_varint(&b, (<uint64_t>number << 3) | wiretype)
    return PyBytes_FromStringAndSize(b.data, b.size)


cdef _Wire _wire_for(pb, dict wires):
    wire = wires.get(pb)
    if wire is None:
        wire = wires[pb] = _Wire(pb)
    return wire


cdef tuple _enum_json(enum_plan):
    """Encoded JSON string by enum number (None where a number has no spelling)."""
    size = max(enum_plan.value_of, default=0) + 1
    out = [None] * size
    for number, spelling in enum_plan.value_of.items():
        out[number] = msgspec.json.encode(spelling)
    return tuple(out)


cdef int _fill_spec(CSpec* spec, _Plan plan, fplan, descriptor, int field_index, int member_index,
                    dict plans) except -1:
    cdef bytes key
    cdef _Wire wire = plan.wire
    spec.field_index = field_index
    spec.member_index = member_index
    spec.number = fplan.number
    spec.repeated = fplan.repeated
    spec.slot = wire.slot(fplan.number)
    spec.kind = K_UNSUPPORTED
    if spec.slot >= 0 and wire.wiretype[spec.slot] != WT_NONE:
        spec.kind = K_BASE64 if fplan.kind is FieldKind.BASE64 else _value_kind(descriptor)
        key = _field_key(fplan.number, wire.wiretype[spec.slot])
        memcpy(spec.tag, PyBytes_AS_STRING(key), PyBytes_GET_SIZE(key))
        spec.taglen = PyBytes_GET_SIZE(key)
    spec.python_type = <PyObject*>fplan.python_type if fplan.python_type is not None else NULL
    plan.keep.append(fplan.python_type)
    spec.number_of = spec.json_of = spec.message = spec.constant = NULL
    if spec.kind == K_ENUM:
        number_of = fplan.enum.number_of
        json_of = _enum_json(fplan.enum)
        plan.keep.extend((number_of, json_of))
        spec.number_of = <PyObject*>number_of
        spec.json_of = <PyObject*>json_of
    elif spec.kind == K_MESSAGE:
        sub = plans[fplan.message]
        spec.message = <PyObject*>sub
        plan.keep.append(sub)
    return 0


cdef int _fill_plan(_Plan plan, dict plans) except -1:
    """The C tables of one plan (``plans``: every MessagePlan -> its _Plan, possibly unfilled)."""
    schema = plan.schema
    descriptor = schema.pb.DESCRIPTOR
    envelope = schema.envelope
    fields = _inner(schema)
    specs = [(i, m, member) for i, f in enumerate(fields) for m, member in enumerate(f.choices)]
    tag_field = descriptor.fields_by_name[schema.tag[0]] if schema.tag is not None and envelope is None else None
    if len(fields) > MAX_FIELDS or len(specs) + 1 > MAX_FIELDS:
        raise ImportError(f"{descriptor.full_name}: too many fields for bridge._speedups")
    plan.nfields = len(fields)
    plan.nspecs = len(specs) + (1 if tag_field is not None else 0)
    plan.fields = <CField*>PyMem_Malloc(max(plan.nfields, 1) * sizeof(CField))
    plan.specs = <CSpec*>PyMem_Malloc(max(plan.nspecs, 1) * sizeof(CSpec))
    plan.order = <int*>PyMem_Malloc(max(plan.nspecs, 1) * sizeof(int))
    if plan.fields == NULL or plan.specs == NULL or plan.order == NULL:
        raise MemoryError()
    memset(plan.specs, 0, plan.nspecs * sizeof(CSpec))
    memset(plan.field_of_number, -1, sizeof(plan.field_of_number))
    plan.allowed_slots = 0
    cdef CField* cf
    cdef CSpec* spec
    cdef int i
    for i, fplan in enumerate(fields):
        cf = &plan.fields[i]
        key = msgspec.json.encode(fplan.name) + b":"
        plan.keep.append(key)
        cf.key = PyBytes_AS_STRING(key)
        cf.keylen = PyBytes_GET_SIZE(key)
        cf.number = fplan.number
        cf.nmembers = len(fplan.members) or 1
        cf.is_map = fplan.kind is FieldKind.MAP
        cf.listlike = fplan.repeated or cf.is_map
        cf.first_spec = -1
    numbers = []
    for s, (i, m, fplan) in enumerate(specs):
        spec = &plan.specs[s]
        if plan.fields[i].first_spec < 0:
            plan.fields[i].first_spec = s
        _fill_spec(spec, plan, fplan, descriptor.fields_by_number[fplan.number], i, m, plans)
        if fplan.number < MAX_NUMBER:
            plan.field_of_number[fplan.number] = i
        if spec.slot >= 0:
            plan.allowed_slots |= <uint64_t>1 << spec.slot
        numbers.append((fplan.number, s))
    if tag_field is not None:
        s = len(specs)
        spec = &plan.specs[s]
        spec.kind = K_TAG
        spec.field_index = -1
        spec.slot = plan.wire.slot(tag_field.number)
        if spec.slot < 0 or _value_kind(tag_field) != K_STRING:
            raise ImportError(f"{descriptor.full_name}: the tag {schema.tag[0]!r} is not a string field")
        plan.allowed_slots |= <uint64_t>1 << spec.slot
        plan.tag_value = schema.tag[1].encode()
        constant = _field_key(tag_field.number, WT_LEN) + _length(len(plan.tag_value)) + plan.tag_value
        plan.keep.append(constant)
        spec.constant = <PyObject*>constant
        plan.tag_json = msgspec.json.encode(schema.tag[0]) + b":" + msgspec.json.encode(schema.tag[1])
        numbers.append((tag_field.number, s))
    if envelope is not None:  # the type and the member's key come before the message, in the envelope
        plan.tag_value = schema.tag[1].encode()
        plan.tag_json = msgspec.json.encode(schema.tag[0]) + b":" + msgspec.json.encode(schema.tag[1])
        if _value_kind(envelope.type_field) != K_STRING or envelope.type_field.number >= envelope.number:
            raise ImportError(f"{envelope}: the type must be a string field numbered before the members")
        plan.prefix = _field_key(envelope.type_field.number, WT_LEN) + _length(len(plan.tag_value)) + plan.tag_value
        plan.member_key = _field_key(envelope.number, WT_LEN)
        if len(schema.outer) != 1 or _value_kind(envelope.pb.DESCRIPTOR.fields_by_number[schema.outer[0].number]) != K_STRING:
            raise ImportError(f"{envelope}: bridge._speedups writes one outer string field (event_id)")
        outer = schema.outer[0]
        if not envelope.type_field.number < outer.number < envelope.number:
            raise ImportError(f"{envelope}: the fields must be numbered type < {outer.name} < the members")
        plan.outer_key = _field_key(outer.number, WT_LEN)
        plan.outer_null = envelope.pb(json_fidelity={"null_fields": [outer.number]}).SerializeToString()
        plan.outer_json = b"," + msgspec.json.encode(outer.name) + b":"
    numbers.sort()
    plan.norder = len(numbers)
    for k, (number, s) in enumerate(numbers):
        plan.order[k] = s
    plan.names = {name: -1 for name in schema.by_name}
    plan.names.update({field.name: i for i, field in enumerate(_inner(schema))})
    if schema.tag:
        plan.names[schema.tag[0]] = -1
    return 0


cdef list _inner(schema):
    """The fields of a plan that its own message holds (not the envelope's ``event_id``)."""
    return [f for f in schema.fields if not f.outer]


cdef bytes _length(Py_ssize_t n):
    cdef Buf b
    cdef char stack[16]
    _buf_init(&b, stack, 16)
    _put_varint(&b, n)
    return PyBytes_FromStringAndSize(b.data, b.size)


cdef _Layout _make_layout(cls, _Plan plan):
    """Slot offsets of ``cls`` (a Struct class of ``plan``); None if it does not use plain slots."""
    cdef _Layout layout = _Layout.__new__(_Layout)
    layout.plan = plan
    try:
        for i, field in enumerate(_inner(plan.schema)):
            layout.offsets[i] = slot_offset(cls, field.name)
        layout.extra_offset = slot_offset(cls, EXTRA_FIELD)
        layout.outer_offset = slot_offset(cls, plan.schema.outer[0].name) if plan.prefix is not None else -1
    except TypeError:
        return None
    return layout


cdef dict _PLANS = {}  # MessagePlan -> _Plan
cdef dict _LAYOUTS = {}  # Struct class -> _Layout
cdef dict _WIRES = {}  # message class -> _Wire


cdef void _build() except *:
    cdef _Plan plan
    for schema in _schema.PLANS.values():
        if schema not in _PLANS:
            plan = _Plan.__new__(_Plan)
            plan.schema = schema
            plan.struct = schema.struct
            plan.wire = _wire_for(schema.pb, _WIRES)
            plan.keep = []
            _PLANS[schema] = plan
    for plan in _PLANS.values():
        _fill_plan(plan, _PLANS)
    for cls in list(_schema.PLANS):
        _layout_of(cls)


cdef _Layout _layout_of(cls):
    """The layout of a model class (built on first use for classes registered later); None for any
    other class."""
    cdef PyObject* found = PyDict_GetItem(_LAYOUTS, cls)
    if found != NULL:
        return <_Layout>found
    schema = _schema.PLANS.get(cls)
    if schema is None:
        return None
    layout = _make_layout(cls, _PLANS[schema])
    if layout is not None:
        _LAYOUTS[cls] = layout
    return layout


_build()

cdef _Plan _RESPONSE = _PLANS[_schema.RESPONSE_PLAN]


cdef class _Envelope:
    """One direction's envelope (ServerEvent, ClientEvent): which plan each part of it stands for."""

    cdef _Wire wire
    cdef int type_slot
    cdef tuple flat  # the plans of the types whose keys are the envelope's own fields
    cdef _Plan generic
    cdef uint64_t member_slots  # the slots of the ``event`` oneof's members
    cdef frozenset member_types  # UTF-8 of the types that have a member
    cdef uint32_t type_number, id_number  # the field numbers of ``type`` and ``event_id``
    cdef PyObject* plan_of[MAX_NUMBER]  # member field number -> its _Plan (borrowed from _PLANS)

    def __init__(self, direction):
        self.generic = _PLANS[direction.generic]
        self.wire = self.generic.wire
        self.type_number = direction.envelope.DESCRIPTOR.fields_by_name["type"].number
        self.type_slot = self.wire.slot(self.type_number)
        self.flat = tuple(_PLANS[p] for p in direction.plans.values() if p.envelope is None)
        self.member_types = frozenset(k.encode() for k, p in direction.plans.items() if p.envelope is not None)
        self.member_slots = 0
        self.id_number = 0
        memset(self.plan_of, 0, sizeof(self.plan_of))
        for plan in direction.plans.values():
            if plan.envelope is None:
                continue
            if plan.envelope.number >= MAX_NUMBER or self.wire.slot(plan.envelope.number) < 0:
                raise ImportError(f"{plan.envelope}: numbered beyond {MAX_NUMBER}")
            self.plan_of[plan.envelope.number] = <PyObject*>_PLANS[plan]
            self.member_slots |= <uint64_t>1 << self.wire.slot(plan.envelope.number)
            for field in plan.outer:
                if self.id_number not in (0, field.number):
                    raise ImportError(f"{direction.envelope.DESCRIPTOR.full_name}: one outer field expected")
                self.id_number = field.number


cdef _Envelope _SERVER = _Envelope(_schema.SERVER)
cdef _Envelope _CLIENT = _Envelope(_schema.CLIENT)


def _fidelity_numbers():
    fields = fidelity_pb2.JsonFidelity.DESCRIPTOR.fields_by_name
    unknown = fidelity_pb2.UnknownEnumValue.DESCRIPTOR.fields_by_name
    entry = fields["unknown_keys"].message_type.fields_by_name
    numbers = (
        fields["null_fields"].number, fields["empty_fields"].number,
        fields["unknown_keys"].number, fields["unknown_enum_values"].number,
    )
    if list(numbers) != sorted(numbers):
        raise ImportError("bridge._speedups writes json_fidelity's fields in the order null, empty, keys, enums")
    return numbers + (
        unknown["field"].number, unknown["index"].number, unknown["value"].number,
        entry["key"].number, entry["value"].number,
    )


cdef uint32_t F_NULLS, F_EMPTIES, F_KEYS, F_ENUMS, UE_FIELD, UE_INDEX, UE_VALUE, ENTRY_KEY, ENTRY_VALUE
F_NULLS, F_EMPTIES, F_KEYS, F_ENUMS, UE_FIELD, UE_INDEX, UE_VALUE, ENTRY_KEY, ENTRY_VALUE = _fidelity_numbers()


# ============================================================================ Struct -> protobuf


cdef inline PyObject* _slot(object obj, Py_ssize_t offset) noexcept:
    return (<PyObject**>((<char*><PyObject*>obj) + offset))[0]


cdef inline int _put_tag(Buf* b, CSpec* spec) except -1:
    return _put(b, spec.tag, spec.taglen)


cdef int _member_for(_Plan plan, CField* field, object value) except -1:
    """The union member that holds ``value``, chosen as FieldPlan.member_for chooses."""
    cdef CSpec* spec
    cdef int m
    for m in range(field.nmembers):
        spec = &plan.specs[field.first_spec + m]
        if <PyObject*>Py_TYPE(<PyObject*>value) == spec.python_type:
            return m
        if spec.kind == K_MESSAGE and isinstance(value, <object>spec.python_type):
            return m
    return _decline()  # the pure path reports a value no member can hold


cdef inline uint8_t* _utf8_char(uint8_t* out, uint32_t c) noexcept:
    """Encode one code point (>= 0x80, not a surrogate)."""
    if c < 0x800:
        out[0] = <uint8_t>(0xC0 | (c >> 6))
        out[1] = <uint8_t>(0x80 | (c & 0x3F))
        return out + 2
    if c < 0x10000:
        out[0] = <uint8_t>(0xE0 | (c >> 12))
        out[1] = <uint8_t>(0x80 | ((c >> 6) & 0x3F))
        out[2] = <uint8_t>(0x80 | (c & 0x3F))
        return out + 3
    out[0] = <uint8_t>(0xF0 | (c >> 18))
    out[1] = <uint8_t>(0x80 | ((c >> 12) & 0x3F))
    out[2] = <uint8_t>(0x80 | ((c >> 6) & 0x3F))
    out[3] = <uint8_t>(0x80 | (c & 0x3F))
    return out + 4


cdef uint8_t* _encode_ucs1(uint8_t* out, const uint8_t* s, Py_ssize_t n) noexcept:
    cdef Py_ssize_t i = 0
    cdef uint64_t w
    while i < n:
        if i + 8 <= n:
            memcpy(&w, s + i, 8)
            if not (w & 0x8080808080808080ULL):  # 8 ASCII characters
                memcpy(out, s + i, 8)
                out += 8
                i += 8
                continue
        if s[i] < 0x80:
            out[0] = s[i]
            out += 1
        else:
            out = _utf8_char(out, s[i])
        i += 1
    return out


cdef uint8_t* _encode_ucs2(uint8_t* out, const uint16_t* s, Py_ssize_t n) noexcept:
    """NULL at a lone surrogate."""
    cdef Py_ssize_t i = 0
    cdef uint64_t w
    while i < n:
        if i + 4 <= n:
            memcpy(&w, s + i, 8)
            if not (w & 0xFF80FF80FF80FF80ULL):  # 4 ASCII characters
                out[0], out[1], out[2], out[3] = <uint8_t>s[i], <uint8_t>s[i + 1], <uint8_t>s[i + 2], <uint8_t>s[i + 3]
                out += 4
                i += 4
                continue
        out = _put_code_point(out, s[i])
        if out == NULL:
            return NULL
        i += 1
    return out


cdef uint8_t* _encode_ucs4(uint8_t* out, const uint32_t* s, Py_ssize_t n) noexcept:
    """NULL at a lone surrogate."""
    cdef Py_ssize_t i
    for i in range(n):
        out = _put_code_point(out, s[i])
        if out == NULL:
            return NULL
    return out


cdef inline uint8_t* _put_code_point(uint8_t* out, uint32_t c) noexcept:
    """``c`` as UTF-8 at ``out``, and where it ends; NULL for half of a surrogate pair."""
    if c < 0x80:
        out[0] = <uint8_t>c
        return out + 1
    if 0xD800 <= c <= 0xDFFF:
        return NULL
    return _utf8_char(out, c)


cdef int _put_str(Buf* b, object text) except -1:
    """A str as a length-prefixed UTF-8 payload, encoded straight from its code points into the
    buffer (no intermediate bytes, no UTF-8 copy cached on the str). Lone surrogates: declined."""
    cdef Py_ssize_t n = PyUnicode_GET_LENGTH(text)
    cdef int kind = PyUnicode_KIND(text)
    cdef const void* data = PyUnicode_DATA(text)
    cdef uint8_t* out
    cdef Len at
    if PyUnicode_IS_ASCII(text):
        _put_varint(b, n)
        return _put(b, data, n)
    at = _open_len(b)
    _reserve(b, n * (kind + 1))  # at most 2 bytes per Latin-1 character, 3 per BMP one, 4 per other
    out = <uint8_t*>b.data + b.size
    if kind == 1:
        out = _encode_ucs1(out, <const uint8_t*>data, n)
    elif kind == 2:
        out = _encode_ucs2(out, <const uint16_t*>data, n)
    else:
        out = _encode_ucs4(out, <const uint32_t*>data, n)
    if out == NULL:
        return _decline()  # a lone surrogate is not encodable: the pure path reports it
    b.size = <char*>out - b.data
    return _close_len(b, at)


cdef int _write_string(Buf* b, CSpec* spec, object value) except -1:
    if not PyUnicode_CheckExact(value):
        return _decline()
    _put_tag(b, spec)
    return _put_str(b, value)


cdef int _write_buffer(Buf* b, object value) except -1:
    cdef Py_buffer view
    PyObject_GetBuffer(value, &view, PyBUF_SIMPLE)
    try:
        _put_varint(b, view.len)
        _put(b, view.buf, view.len)
    finally:
        PyBuffer_Release(&view)
    return 0


cdef uint64_t _enum_number(CSpec* spec, object value, Py_ssize_t index, PyObject** unknown) \
        except? 0xFFFFFFFFFFFFFFFF:
    """The number of an enum string; 0, and a record in ``unknown``, for a string outside the set.

    ``unknown`` is one list for the whole call, created on first use: a message's records are the
    ones after the length it had when the message started (its sub-messages take theirs out).
    """
    cdef PyObject* number
    if not PyUnicode_CheckExact(value):
        _decline()
    number = PyDict_GetItem(<object>spec.number_of, value)
    if number != NULL:
        return PyLong_AsSsize_t(<object>number)
    if unknown[0] == NULL:
        records = []
        Py_INCREF(records)
        unknown[0] = <PyObject*>records
    (<list>unknown[0]).append((spec.field_index, spec.number, index, value))
    return 0


cdef int _write_enums(Buf* b, CSpec* spec, list values, PyObject** unknown) except -1:
    cdef Py_ssize_t i = 0
    cdef Len at
    cdef object item
    _put_tag(b, spec)
    at = _open_len(b)
    # _enum_number may allocate, so run Python code (a gc callback) that changes the list: each item
    # is held while it is used, and the length is read again each time.
    while i < PyList_GET_SIZE(values):
        item = <object>PyList_GET_ITEM(values, i)
        _put_varint(b, _enum_number(spec, item, i, unknown))
        i += 1
    return _close_len(b, at)


cdef int _write_message(Buf* b, CSpec* spec, object value, PyObject** unknown) except -1:
    cdef _Layout layout = _layout_of(type(value))
    cdef Len at
    if layout is None or <PyObject*>layout.plan != spec.message:
        return _decline()
    _put_tag(b, spec)
    at = _open_len(b)
    _write_struct(b, value, layout, unknown)
    return _close_len(b, at)


cdef int _write_map_entry(Buf* b, CSpec* spec, object key, object value) except -1:
    cdef Len at
    if not PyUnicode_CheckExact(key) or not PyUnicode_CheckExact(value):
        return _decline()
    _put_tag(b, spec)
    at = _open_len(b)
    _write_text(b, ENTRY_KEY, key, True)  # a map entry always has both fields
    _write_text(b, ENTRY_VALUE, value, True)
    return _close_len(b, at)


cdef int _write_value(Buf* b, CSpec* spec, object value, PyObject** unknown) except -1:
    """One set field (a list or map here is non-empty, checked by the caller)."""
    cdef int kind = spec.kind
    cdef Py_ssize_t i
    cdef double d
    cdef uint64_t bits
    cdef object item
    if kind == K_STRING:
        return _write_string(b, spec, value)
    if kind == K_MESSAGE:
        if not spec.repeated:
            return _write_message(b, spec, value, unknown)
        i = 0
        while i < PyList_GET_SIZE(value):  # held and re-checked, as in _write_enums
            item = <object>PyList_GET_ITEM(value, i)
            _write_message(b, spec, item, unknown)
            i += 1
        return 0
    if kind == K_ENUM:
        if spec.repeated:
            return _write_enums(b, spec, value, unknown)
        bits = _enum_number(spec, value, 0, unknown)
        _put_tag(b, spec)
        return _put_varint(b, bits)
    if kind == K_INT64:
        if not PyLong_CheckExact(value):
            return _decline()
        bits = <uint64_t>PyLong_AsLongLong(value)  # OverflowError beyond 64 bits: declined
        _put_tag(b, spec)
        return _put_varint(b, bits)
    if kind == K_DOUBLE:
        if PyFloat_CheckExact(value):
            d = PyFloat_AS_DOUBLE(value)
        elif PyLong_CheckExact(value):  # a JSON integer: written when a double holds it exactly
            d = float(value)  # OverflowError: declined
            if d != value:
                return _decline()
        else:
            return _decline()
        if not isfinite(d):
            return _decline()  # JSON has no NaN or infinity: the pure path decides what they become
        _put_tag(b, spec)
        return _put(b, &d, 8)  # little-endian hosts only (checked at import)
    if kind == K_BOOL:
        if <PyObject*>value != Py_True and <PyObject*>value != Py_False:
            return _decline()
        _put_tag(b, spec)
        return _put_byte(b, 1 if <PyObject*>value == Py_True else 0)
    if kind == K_MAP:
        for key, item in _map_entries(value):
            _write_map_entry(b, spec, key, item)
        return 0
    if kind == K_RAW:
        if type(value) is not _RAW_TYPE:
            return _decline()
        _put_tag(b, spec)
        return _write_buffer(b, value)
    if kind == K_BASE64:
        if not PyBytes_CheckExact(value):  # a Base64Text (its text goes to json_fidelity) or a mistake
            return _decline()
        _put_tag(b, spec)
        return _write_buffer(b, value)
    return _decline()


cdef int _write_fidelity(Buf* b, _Plan plan, uint32_t* nulls, int nnull, uint32_t* empties, int nempty,
                         dict extra, list unknown) except -1:
    cdef Len at, inner
    _put_varint(b, (<uint64_t>plan.wire.fidelity_number << 3) | WT_LEN)
    at = _open_len(b)
    if nnull:
        _write_packed(b, F_NULLS, nulls, nnull)
    if nempty:
        _write_packed(b, F_EMPTIES, empties, nempty)
    if extra:
        for key, raw in _map_entries(extra):
            if not PyUnicode_CheckExact(key) or type(raw) is not _RAW_TYPE:
                return _decline()
            _put_varint(b, (<uint64_t>F_KEYS << 3) | WT_LEN)
            inner = _open_len(b)
            _write_text(b, ENTRY_KEY, key, True)
            _put_varint(b, (<uint64_t>ENTRY_VALUE << 3) | WT_LEN)
            _write_buffer(b, raw)
            _close_len(b, inner)
    if unknown:
        unknown.sort(key=_by_first)  # Struct order, as the pure path lists them (a stable sort)
        for _, number, index, value in unknown:
            _put_varint(b, (<uint64_t>F_ENUMS << 3) | WT_LEN)
            inner = _open_len(b)
            _put_varint(b, (<uint64_t>UE_FIELD << 3) | WT_VARINT)
            _put_varint(b, number)
            if index:  # proto3 implicit presence: zero and "" are not written
                _put_varint(b, (<uint64_t>UE_INDEX << 3) | WT_VARINT)
                _put_varint(b, index)
            _write_text(b, UE_VALUE, value, False)
            _close_len(b, inner)
    return _close_len(b, at)


cdef int _write_packed(Buf* b, uint32_t number, uint32_t* values, int count) except -1:
    cdef Len at
    cdef int i
    _put_varint(b, (<uint64_t>number << 3) | WT_LEN)
    at = _open_len(b)
    for i in range(count):
        _put_varint(b, values[i])
    return _close_len(b, at)


cdef int _write_text(Buf* b, uint32_t number, object text, bint always) except -1:
    """A string field; ``always=False`` leaves out an empty one (implicit presence)."""
    if always or PyUnicode_GET_LENGTH(text):
        _put_varint(b, (<uint64_t>number << 3) | WT_LEN)
        _put_str(b, text)
    return 0


cdef dict _extra_members(PyObject* extra):
    """The unknown keys of a Struct (None when there are none)."""
    if extra == NULL:
        _decline()
    if <object>extra is _UNSET or extra == Py_None:
        return None
    if type(<object>extra) is not _EXTRA_TYPE:
        _decline()
    members = (<object>extra)._members
    if not PyDict_CheckExact(members):
        _decline()
    return members if members else None


cdef int _write_struct(Buf* b, object obj, _Layout layout, PyObject** unknown) except -1:
    """The message for ``obj`` (an instance of the class ``layout`` describes).

    The values read from the slots are held (strong references) until the message is written:
    writing one can allocate, and so run Python code (a gc callback, a ``__del__``) that assigns
    another value to a field of ``obj`` and frees the one read."""
    cdef _Plan plan = layout.plan
    cdef PyObject* values[MAX_FIELDS]
    cdef int8_t chosen[MAX_FIELDS]
    cdef uint32_t nulls[MAX_FIELDS]
    cdef uint32_t empties[MAX_FIELDS]
    cdef int nnull = 0, nempty = 0, i
    cdef Py_ssize_t mark = PyList_GET_SIZE(<object>unknown[0]) if unknown[0] != NULL else 0
    cdef list mine = None
    memset(values, 0, plan.nfields * sizeof(PyObject*))
    try:
        _write_fields(b, obj, layout, unknown, values, chosen, nulls, &nnull, empties, &nempty)
    finally:
        for i in range(plan.nfields):
            Py_XDECREF(values[i])
    if unknown[0] != NULL and PyList_GET_SIZE(<object>unknown[0]) > mark:
        mine = (<list>unknown[0])[mark:]
        del (<list>unknown[0])[mark:]
    extra = _extra_members(_slot(obj, layout.extra_offset))
    if nnull or nempty or mine or extra:
        _write_fidelity(b, plan, nulls, nnull, empties, nempty, extra, mine)
    return 0


cdef int _write_fields(Buf* b, object obj, _Layout layout, PyObject** unknown, PyObject** values,
                       int8_t* chosen, uint32_t* nulls, int* nnull, uint32_t* empties, int* nempty) except -1:
    """The fields of :func:`_write_struct`; each value it keeps in ``values`` is a new reference."""
    cdef _Plan plan = layout.plan
    cdef int i, k, m
    cdef CField* field
    cdef CSpec* spec
    cdef PyObject* value
    # Pass 1, Struct order: what is set, null or empty (nothing here runs Python code).
    for i in range(plan.nfields):
        field = &plan.fields[i]
        value = _slot(obj, layout.offsets[i])
        if value == NULL:
            return _decline()
        if <object>value is _UNSET:
            continue
        if value == Py_None:
            nulls[nnull[0]] = field.number
            nnull[0] += 1
            continue
        m = 0 if field.nmembers == 1 else _member_for(plan, field, <object>value)
        spec = &plan.specs[field.first_spec + m]
        if spec.kind == K_UNSUPPORTED:
            return _decline()
        if spec.repeated or spec.kind == K_MAP:
            if not (PyDict_CheckExact(<object>value) if spec.kind == K_MAP else PyList_CheckExact(<object>value)):
                return _decline()
            if len(<object>value) == 0:
                empties[nempty[0]] = spec.number
                nempty[0] += 1
                continue
        Py_INCREF(<object>value)
        values[i] = value
        chosen[i] = m
    # Pass 2, field-number order: the values.
    for k in range(plan.norder):
        spec = &plan.specs[plan.order[k]]
        if spec.kind == K_TAG:
            _put_bytes(b, <object>spec.constant)
            continue
        i = spec.field_index
        if values[i] != NULL and chosen[i] == spec.member_index:
            _write_value(b, spec, <object>values[i], unknown)
    return 0


cdef int _write_event(Buf* b, object obj, _Layout layout, PyObject** unknown) except -1:
    """The envelope of an event in its oneof, in field-number order as upb writes it: the type, the
    event_id, the member holding the event's message, and the envelope's record of a null id."""
    cdef _Plan plan = layout.plan
    cdef Len at
    cdef object outer = <object>_slot(obj, layout.outer_offset)  # a new reference: held while writing
    _put_bytes(b, plan.prefix)
    if outer is not _UNSET and outer is not None:
        if not PyUnicode_CheckExact(outer):
            return _decline()
        _put_bytes(b, plan.outer_key)
        _put_str(b, outer)
    _put_bytes(b, plan.member_key)
    at = _open_len(b)
    _write_struct(b, obj, layout, unknown)
    _close_len(b, at)
    if outer is None:
        _put_bytes(b, plan.outer_null)
    return 0


def struct_to_binary(obj):
    """The deterministic protobuf encoding of a model instance, byte for byte what
    ``bridge.to_proto(obj).SerializeToString(deterministic=True)`` returns; ``None`` when the pure
    path must decide (a class that is not a model, a value of the wrong type, ...)."""
    return _struct_to_binary(obj)


cdef object _struct_to_binary(obj):
    cdef _Layout layout = _layout_of(type(obj))
    cdef char stack[STACK_BUFFER]
    cdef Buf b
    cdef PyObject* unknown = NULL  # a list, once an enum string outside its set turns up
    if layout is None:
        return None
    cdef Len at
    _buf_init(&b, stack, STACK_BUFFER)
    try:
        if layout.plan.prefix is None:
            _write_struct(&b, obj, layout, &unknown)
        else:  # ServerEvent/ClientEvent: type, event_id, the event's message in its oneof member
            _write_event(&b, obj, layout, &unknown)
        return _finish(&b)
    except _DECLINED:
        return None
    finally:
        _buf_free(&b)
        Py_XDECREF(unknown)


# ================================================================================ protobuf -> JSON


cdef int _parse_entry(const uint8_t* p, const uint8_t* end, const uint8_t** key, const uint8_t** key_end,
                      const uint8_t** value, const uint8_t** value_end) except -1:
    """A map entry with a string or bytes key and value; a missing field is empty, as in protobuf."""
    cdef uint64_t tag
    cdef const uint8_t* start
    cdef bint seen_key = False, seen_value = False
    key[0] = key_end[0] = value[0] = value_end[0] = p
    while p < end:
        p = _read_record(p, end, &tag, &start)
        if p == NULL:
            return _decline()
        if tag >> 3 == ENTRY_KEY and not seen_key:
            key[0], key_end[0], seen_key = start, p, True
        elif tag >> 3 == ENTRY_VALUE and not seen_value:
            value[0], value_end[0], seen_value = start, p, True
        else:
            return _decline()
    return 0


cdef int _parse_unknown_enum(const uint8_t* p, const uint8_t* end, UnknownEnum* out) except -1:
    """An UnknownEnumValue record: field and index (varints, 0 when absent), value (a string)."""
    cdef uint64_t tag, number
    cdef int seen = 0, bit
    out.field = out.index = 0
    out.start = out.end = p
    out.used = False
    while p < end:
        p = _read_varint32(p, end, &tag)
        if p == NULL:
            return _decline()
        number = tag >> 3
        bit = 1 if number == UE_FIELD else (2 if number == UE_INDEX else (4 if number == UE_VALUE else 0))
        if bit == 0 or seen & bit:
            return _decline()
        seen |= bit
        if bit == 4:
            if tag & 7 != WT_LEN:
                return _decline()
            p = _read_len(p, end, &out.start)
            out.end = p
        elif tag & 7 != WT_VARINT:
            return _decline()
        else:
            p = _read_varint(p, end, &out.field if bit == 1 else &out.index)
        if p == NULL:
            return _decline()
    if out.field > 0xFFFFFFFF or out.index > 0xFFFFFFFF:
        return _decline()
    return 0


cdef int _check_utf8(const uint8_t* s, const uint8_t* end) except -1:
    cdef int k
    while s < end:
        if s[0] < 0x80:
            s += 1
            continue
        k = utf8_length(s, end - s)
        if k == 0:
            return _decline()
        s += k
    return 0


cdef int _parse_fidelity(Fidelity* fid) except -1:
    """Index a json_fidelity record: its two number lists, unknown keys, unknown enum strings."""
    cdef const uint8_t* p = fid.start
    cdef const uint8_t* end = fid.end
    cdef const uint8_t* start
    cdef const uint8_t* a
    cdef const uint8_t* a_end
    cdef const uint8_t* v
    cdef const uint8_t* v_end
    cdef uint64_t tag, number
    fid.nulls = fid.empties = NULL
    fid.nkeys = 0
    fid.nenums = 0
    while p < end:
        p = _read_record(p, end, &tag, &start)  # all length-delimited (the lists are packed)
        if p == NULL or start == p:
            return _decline()
        number = tag >> 3
        if number == F_NULLS and fid.nulls == NULL:
            fid.nulls, fid.nulls_end = start, p
        elif number == F_EMPTIES and fid.empties == NULL:
            fid.empties, fid.empties_end = start, p
        elif number == F_KEYS:
            _parse_entry(start, p, &a, &a_end, &v, &v_end)
            fid.nkeys += 1
        elif number == F_ENUMS and fid.nenums < MAX_UNKNOWN_ENUMS:
            _parse_unknown_enum(start, p, &fid.enums[fid.nenums])
            _check_utf8(fid.enums[fid.nenums].start, fid.enums[fid.nenums].end)
            fid.nenums += 1
        else:
            return _decline()
    return 0


cdef int _mark(_Plan plan, const uint8_t* p, const uint8_t* end, uint8_t* state, uint8_t mark) except -1:
    """Apply null_fields or empty_fields: each names a field of the plan that is otherwise unset."""
    cdef uint64_t number
    cdef int i
    while p < end:
        p = _read_varint(p, end, &number)
        if p == NULL or number >= MAX_NUMBER:
            return _decline()
        i = plan.field_of_number[number]
        if i < 0 or state[i] != S_UNSET:
            return _decline()
        if mark == S_EMPTY and not plan.fields[i].listlike:
            return _decline()
        state[i] = mark
    return 0


cdef UnknownEnum* _unknown_enum(Fidelity* fid, uint64_t field, uint64_t index) except NULL:
    """The record explaining an enum set to 0. Only the records a canonical writer makes are read
    here: one per (field, index), each explaining a 0, none naming a known spelling."""
    cdef UnknownEnum* found = NULL
    cdef int i
    for i in range(fid.nenums):
        if fid.enums[i].field == field and fid.enums[i].index == index:
            if found != NULL or fid.enums[i].used:
                _decline()
            found = &fid.enums[i]
    if found == NULL:
        _decline()  # an enum number without a JSON spelling: the pure path reports it
    found.used = True
    return found


cdef int _check_enums_used(Fidelity* fid) except -1:
    cdef int i
    for i in range(fid.nenums):
        if not fid.enums[i].used:
            return _decline()  # a record that explains nothing
    return 0


cdef int _emit_enum(Buf* o, CSpec* spec, uint64_t number, uint64_t index, Fidelity* fid) except -1:
    cdef object spellings = <object>spec.json_of
    cdef PyObject* spelling
    cdef UnknownEnum* unknown
    if number < <uint64_t>PyTuple_GET_SIZE(spellings):
        spelling = PyTuple_GET_ITEM(spellings, number)
        if spelling != Py_None:
            return _put_bytes(o, <object>spelling)
    if number != 0 or not fid.present:
        return _decline()  # an enum number without a JSON spelling: the pure path reports it
    unknown = _unknown_enum(fid, spec.number, index)
    text = PyUnicode_DecodeUTF8(<const char*>unknown.start, unknown.end - unknown.start, NULL)
    if PyDict_GetItem(<object>spec.number_of, text) != NULL:
        return _decline()  # a known spelling recorded as unknown
    return _json_string(o, unknown.start, unknown.end - unknown.start)


cdef int _emit_enums(Buf* o, CSpec* spec, Span* span, Fidelity* fid) except -1:
    cdef const uint8_t* p = span.start
    cdef uint64_t number, index = 0
    if p == span.end:
        return _decline()
    _put_byte(o, b'[')
    while p < span.end:
        p = _read_varint(p, span.end, &number)
        if p == NULL:
            return _decline()
        if index:
            _put_byte(o, b',')
        _emit_enum(o, spec, number, index, fid)
        index += 1
    return _put_byte(o, b']')


cdef int _emit_messages(Buf* o, CSpec* spec, Span* span) except -1:
    cdef const uint8_t* p = span.rec_start
    cdef const uint8_t* start
    cdef uint64_t tag
    cdef bint first = True
    _put_byte(o, b'[')
    while p < span.rec_end:
        p = _read_record(p, span.rec_end, &tag, &start)
        if p == NULL:
            return _decline()
        if not first:
            _put_byte(o, b',')
        first = False
        _emit_message(o, <_Plan>spec.message, start, p)
    return _put_byte(o, b']')


cdef struct Entry:
    const uint8_t* key
    const uint8_t* key_end
    const uint8_t* value
    const uint8_t* value_end


cdef int _by_key(const void* a, const void* b) noexcept nogil:
    """Bytewise order of UTF-8 keys, which is the code point order the pure path sorts str keys in."""
    cdef const Entry* x = <const Entry*>a
    cdef const Entry* y = <const Entry*>b
    cdef Py_ssize_t nx = x.key_end - x.key, ny = y.key_end - y.key
    cdef int c = memcmp(x.key, y.key, nx if nx < ny else ny)
    if c:
        return c
    return (nx > ny) - (nx < ny)


cdef int _emit_map(Buf* o, CSpec* spec, Span* span) except -1:
    """A map<string, string>, its entries sorted by key as the pure path sorts them (a protobuf map
    has no order of its own); each key and value is checked as it is written."""
    cdef Entry few[16]
    cdef Entry* entries = few
    cdef Py_ssize_t n = span.count, i
    cdef const uint8_t* p = span.rec_start
    cdef const uint8_t* start
    cdef uint64_t tag
    if n > 16:
        entries = <Entry*>PyMem_Malloc(n * sizeof(Entry))
        if entries == NULL:
            raise MemoryError()
    try:
        for i in range(n):
            p = _read_record(p, span.rec_end, &tag, &start)
            if p == NULL:
                return _decline()
            _parse_entry(start, p, &entries[i].key, &entries[i].key_end, &entries[i].value, &entries[i].value_end)
        if n > 1:
            qsort(entries, n, sizeof(Entry), _by_key)
        _put_byte(o, b'{')
        for i in range(n):
            if i:
                if _by_key(&entries[i - 1], &entries[i]) == 0:
                    return _decline()  # a repeated key (the last one wins): not what a writer makes
                _put_byte(o, b',')
            _json_string(o, entries[i].key, entries[i].key_end - entries[i].key)
            _put_byte(o, b':')
            _json_string(o, entries[i].value, entries[i].value_end - entries[i].value)
        return _put_byte(o, b'}')
    finally:
        if entries != few:
            PyMem_Free(entries)


cdef int _emit_value(Buf* o, _Plan plan, CSpec* spec, Span* span, Fidelity* fid) except -1:
    cdef int kind = spec.kind
    cdef double d
    if kind == K_STRING:
        return _json_string(o, span.start, span.end - span.start)
    if kind == K_MESSAGE:
        if spec.repeated:
            return _emit_messages(o, spec, span)
        return _emit_message(o, <_Plan>spec.message, span.start, span.end)
    if kind == K_ENUM:
        if spec.repeated:
            return _emit_enums(o, spec, span, fid)
        if span.value > 0x7FFFFFFF:
            return _decline()  # beyond int32: the runtime would truncate it
        return _emit_enum(o, spec, span.value, 0, fid)
    if kind == K_INT64:
        return _json_int(o, <int64_t>span.value)
    if kind == K_DOUBLE:
        memcpy(&d, &span.value, 8)
        if not isfinite(d):
            return _decline()  # msgspec would write null; the pure path decides
        return _put_bytes(o, _float_json(PyFloat_FromDouble(d)))
    if kind == K_BOOL:
        if span.value > 1:
            return _decline()
        return _put(o, b"true" if span.value else b"false", 4 if span.value else 5)
    if kind == K_MAP:
        return _emit_map(o, spec, span)
    if kind == K_RAW:
        return _json_kept(o, PyBytes_FromStringAndSize(<const char*>span.start, span.end - span.start))
    if kind == K_BASE64:
        _put_byte(o, 34)
        _put_bytes(o, _B64ENCODE(PyMemoryView_FromMemory(<char*>span.start, span.end - span.start, PyBUF_READ)))
        return _put_byte(o, 34)
    return _decline()


cdef bint _might_fit(_Plan plan, int i, const uint8_t* text, Py_ssize_t n) noexcept:
    """Whether JSON ``text`` could be a value of inner field ``i``: then only the pure path can tell
    whether a kept key holding it contradicts the field. False only where the text's JSON type, read
    off its first byte, is one the field never holds (a misfit, kept while the field is unset)."""
    cdef CField* field = &plan.fields[i]
    cdef CSpec* spec
    cdef int m
    cdef uint8_t c
    if n == 0:
        return True
    c = text[0]
    if c == 110 or c == 32 or c == 9 or c == 10 or c == 13:  # null (every field holds one), or whitespace
        return True
    for m in range(field.nmembers):
        spec = &plan.specs[field.first_spec + m]
        if spec.kind == K_MAP or (spec.kind == K_MESSAGE and not spec.repeated):
            if c == 123:  # {
                return True
        elif spec.repeated:
            if c == 91:  # [
                return True
        elif spec.kind == K_STRING or spec.kind == K_ENUM or spec.kind == K_BASE64:
            if c == 34:  # "
                return True
        elif spec.kind == K_INT64 or spec.kind == K_DOUBLE:
            if c == 45 or 48 <= c <= 57:
                return True
        elif spec.kind == K_BOOL:
            if c == 116 or c == 102:
                return True
        else:  # raw JSON, or a kind not listed here: not sure
            return True
    return False


cdef int _emit_unknown_keys(Buf* o, _Plan plan, Fidelity* fid, const uint8_t* state, bint first) except -1:
    """The kept keys (unknown keys, and values that did not fit their unset field), sorted (as the
    pure path sorts them), each value validated by msgspec."""
    cdef PyObject* known
    cdef int i
    cdef const uint8_t* p = fid.start
    cdef const uint8_t* start
    cdef const uint8_t* k
    cdef const uint8_t* k_end
    cdef const uint8_t* v
    cdef const uint8_t* v_end
    cdef uint64_t tag
    members = []
    while p < fid.end:
        p = _read_record(p, fid.end, &tag, &start)
        if p == NULL:
            return _decline()
        if tag >> 3 != F_KEYS:
            continue
        _parse_entry(start, p, &k, &k_end, &v, &v_end)
        key = PyUnicode_DecodeUTF8(<const char*>k, k_end - k, NULL)  # invalid UTF-8: declined
        members.append((key, PyBytes_FromStringAndSize(<const char*>v, v_end - v)))
    members.sort(key=_by_first)
    previous = None
    for key, text in members:
        if key == previous:
            return _decline()  # a duplicate (the last wins): the pure path reports it
        known = PyDict_GetItem(plan.names, key)
        if known != NULL:
            i = <int><object>known
            if i < 0 or state[i] != S_UNSET or _might_fit(plan, i, <const uint8_t*>PyBytes_AS_STRING(text), len(text)):
                return _decline()  # a collision, or a value the field might hold: the pure path decides
        previous = key
        if not first:
            _put_byte(o, b',')
        first = False
        _json_str_object(o, key)
        _put_byte(o, b':')
        _json_kept(o, text)
    return 0


cdef int _emit_parsed(Buf* o, _Plan plan, Span* spans, Fidelity* fid, Span* outer) except -1:
    """The JSON object of an indexed message."""
    cdef uint8_t state[MAX_FIELDS]
    cdef int8_t chosen[MAX_FIELDS]
    cdef uint64_t present = 0
    cdef int i, m, s
    cdef CField* field
    cdef CSpec* spec
    cdef bint first = True
    for s in range(plan.wire.nslots):
        if spans[s].count:
            present |= <uint64_t>1 << s
    if present & ~plan.allowed_slots:
        return _decline()  # a field this Struct does not have: the pure path reports it
    for i in range(plan.nfields):
        field = &plan.fields[i]
        state[i] = S_UNSET
        for m in range(field.nmembers):
            spec = &plan.specs[field.first_spec + m]
            if spec.slot >= 0 and spans[spec.slot].count:
                if state[i] != S_UNSET:
                    return _decline()  # two members of a oneof: the last one wins
                state[i] = S_WIRE
                chosen[i] = m
    if fid.present:
        _parse_fidelity(fid)
        if fid.nulls != NULL:
            _mark(plan, fid.nulls, fid.nulls_end, state, S_NULL)
        if fid.empties != NULL:
            _mark(plan, fid.empties, fid.empties_end, state, S_EMPTY)
    _put_byte(o, b'{')
    if plan.tag_json is not None:
        _put_bytes(o, plan.tag_json)
        first = False
    if outer != NULL:  # the envelope's event_id, which JSON writes right after the type
        _put_bytes(o, plan.outer_json)
        _json_string(o, outer.start, outer.end - outer.start)
    for i in range(plan.nfields):
        if state[i] == S_UNSET:
            continue
        field = &plan.fields[i]
        if not first:
            _put_byte(o, b',')
        first = False
        _put(o, field.key, field.keylen)
        if state[i] == S_NULL:
            _put(o, b"null", 4)
        elif state[i] == S_EMPTY:
            _put(o, b"{}" if field.is_map else b"[]", 2)
        else:
            spec = &plan.specs[field.first_spec + chosen[i]]
            _emit_value(o, plan, spec, &spans[spec.slot], fid)
    if fid.present:
        _check_enums_used(fid)
        if fid.nkeys:
            _emit_unknown_keys(o, plan, fid, state, first)
    return _put_byte(o, b'}')


cdef int _emit_message(Buf* o, _Plan plan, const uint8_t* p, const uint8_t* end) except -1:
    cdef Span spans[MAX_FIELDS]
    cdef Fidelity fid
    _parse(plan.wire, p, end, spans, &fid)
    return _emit_parsed(o, plan, spans, &fid, NULL)


cdef int _emit_member(Buf* o, _Plan plan, const uint8_t* p, const uint8_t* end, Span* outer) except -1:
    """An event held in its envelope's oneof member, its ``event_id`` (``outer``) from the envelope."""
    cdef Span spans[MAX_FIELDS]
    cdef Fidelity fid
    _parse(plan.wire, p, end, spans, &fid)
    return _emit_parsed(o, plan, spans, &fid, outer if outer.count else NULL)


cdef int _emit_event(Buf* o, _Envelope envelope, const uint8_t* p, const uint8_t* end) except -1:
    """A ServerEvent or ClientEvent: its ``type`` and the member of its ``event`` oneof pick the
    Struct, as from_proto does. The usual envelope (the type, maybe an event_id, one member, all
    once) is read in one pass over its few records; any other goes through :func:`_emit_envelope`."""
    cdef const uint8_t* q = p
    cdef const uint8_t* start
    cdef const uint8_t* type_start = NULL
    cdef const uint8_t* type_end = NULL
    cdef const uint8_t* body = NULL
    cdef const uint8_t* body_end = NULL
    cdef Span outer
    cdef uint64_t tag
    cdef uint32_t number, member = 0
    cdef PyObject* found
    cdef _Plan plan
    outer.count = 0
    while q < end:
        q = _read_record(q, end, &tag, &start)
        if q == NULL:
            return _emit_envelope(o, envelope, p, end)  # (not length-delimited, or malformed)
        number = <uint32_t>(tag >> 3)
        if number == envelope.type_number and type_start == NULL:
            type_start, type_end = start, q
        elif number == envelope.id_number and outer.count == 0:
            outer.start, outer.end, outer.count = start, q, 1
        elif number < MAX_NUMBER and envelope.plan_of[number] != NULL and member == 0:
            member, body, body_end = number, start, q
        else:
            return _emit_envelope(o, envelope, p, end)
    if member == 0 or type_start == NULL:
        return _emit_envelope(o, envelope, p, end)
    plan = <_Plan>envelope.plan_of[member]
    if PyBytes_GET_SIZE(plan.tag_value) != type_end - type_start or \
            memcmp(PyBytes_AS_STRING(plan.tag_value), type_start, type_end - type_start) != 0:
        return _decline()  # the type of another member: the pure path reports it
    return _emit_member(o, plan, body, body_end, &outer)


cdef int _emit_envelope(Buf* o, _Envelope envelope, const uint8_t* p, const uint8_t* end) except -1:
    """:func:`_emit_event` for an envelope without a member of its oneof (response.created,
    response.done, an unknown type), indexed field by field. One with a member that the one-pass
    reading did not take (no type, a record twice, another field beside it) is the pure path's."""
    cdef Span spans[MAX_FIELDS]
    cdef Fidelity fid
    cdef Span* kind
    cdef _Plan plan = envelope.generic
    cdef _Plan tagged
    cdef int s
    _parse(envelope.wire, p, end, spans, &fid)
    kind = &spans[envelope.type_slot]
    if kind.count == 0:
        return _decline()  # no type: the pure path decides
    for s in range(envelope.wire.nslots):
        if spans[s].count and envelope.member_slots & (<uint64_t>1 << s):
            return _decline()
    for tagged in envelope.flat:
        if PyBytes_GET_SIZE(tagged.tag_value) == kind.end - kind.start and \
                memcmp(PyBytes_AS_STRING(tagged.tag_value), kind.start, kind.end - kind.start) == 0:
            plan = tagged
            break
    else:
        if PyBytes_FromStringAndSize(<const char*>kind.start, kind.end - kind.start) in envelope.member_types:
            return _decline()  # a type whose member is not set: the pure path decides
    return _emit_parsed(o, plan, spans, &fid, NULL)


def binary_to_json(data, kind):
    """The JSON of a ``ServerEvent`` (``kind="event"``), ``ClientEvent`` (``"client_event"``) or
    ``RealtimeResponse`` (``"response"``), byte for byte what
    ``bridge.encode(bridge.from_proto(Message.FromString(data)))`` returns; ``None`` when the pure
    path must decide (malformed or unusual input, an unknown kind)."""
    return _binary_to_json(data, kind)


cdef object _binary_to_json(data, kind):
    cdef Py_buffer view
    cdef bint borrowed = not PyBytes_CheckExact(data)
    cdef const uint8_t* p
    cdef Py_ssize_t n
    cdef char stack[STACK_BUFFER]
    cdef Buf o
    cdef _Envelope envelope = _SERVER if kind == "event" else _CLIENT if kind == "client_event" else None
    if envelope is None and kind != "response":
        return None
    if borrowed:
        try:
            PyObject_GetBuffer(data, &view, PyBUF_SIMPLE)
        except (TypeError, BufferError):  # not bytes-like, or not contiguous: the pure path decides
            return None
        p, n = <const uint8_t*>view.buf, view.len
    else:
        p, n = <const uint8_t*>PyBytes_AS_STRING(data), PyBytes_GET_SIZE(data)
    _buf_init(&o, stack, STACK_BUFFER)
    try:
        if n > STACK_BUFFER // 2:  # the JSON is about as long as the protobuf: grow once, up front
            _reserve(&o, n + n // 4 + 256)
        if envelope is not None:
            _emit_event(&o, envelope, p, p + n)
        else:
            _emit_message(&o, _RESPONSE, p, p + n)
        return PyBytes_FromStringAndSize(o.data, o.size)
    except _DECLINED:
        return None
    finally:
        _buf_free(&o)
        if borrowed:
            PyBuffer_Release(&view)


def writer_in_front_of(pure_write):
    """``write(obj) -> bytes`` (``bridge.convert``'s protobuf writer of a model instance) with this
    module in front of the pure one, which gets every object it declines. ``__wrapped__`` is the
    pure function."""

    def write(obj):
        blob = _struct_to_binary(obj)
        return blob if blob is not None else pure_write(obj)

    return functools.update_wrapper(write, pure_write)


def in_front_of(pure_binary_to_json):
    """The public ``binary_to_json`` with this module in front of the pure one (``bridge.convert``'s),
    which gets every input it declines and every strict call: a compiled function that takes the
    public name saves a Python call, a third of a small event's time. ``__wrapped__`` is the pure
    function (its signature and docstring are the public ones)."""

    def binary_to_json(data, *, kind="event", bint strict=False):
        if not strict:
            text = _binary_to_json(data, kind)
            if text is not None:
                return text
        return pure_binary_to_json(data, kind=kind, strict=strict)

    return functools.update_wrapper(binary_to_json, pure_binary_to_json)


# ---------------------------------------------------------------------------------- drift's scan
# bridge._drift.may_drift, compiled (bridge.convert runs it in drift_of_binary when it is in use):
# the same reading of the same bytes, with the tables bridge._drift derives from the descriptors,
# and the same answer (where the pure scan raises, the answer is True, as there). Each function
# returns 1 (may drift, or the bytes do not read as fields) or 0.

cdef uint64_t _D_FIDELITY = _drift_tables._FIDELITY
cdef uint64_t _D_UNKNOWN = _drift_tables._UNKNOWN_KEYS
cdef Py_ssize_t _D_LARGE = _drift_tables._LARGE
cdef bytes _D_FIDELITY_KEY = _drift_tables.FIDELITY_KEY
cdef bytes _D_UNKNOWN_KEY = _drift_tables.UNKNOWN_KEYS_KEY
cdef dict _D_SIDES = _drift_tables._SIDES
cdef uint64_t _D_HUGE = 0xFFFFFFFFFFFFFFFF


cdef inline int _dvarint(const uint8_t* p, Py_ssize_t size, Py_ssize_t* pos, uint64_t* out) noexcept:
    """bridge.framing.read_varint: 0, the value (2**64 - 1 for any larger) and ``pos`` after it;
    -1 where that raises (the bytes end inside it, or it runs past 10 bytes)."""
    cdef uint64_t value = 0
    cdef int shift = 0
    cdef Py_ssize_t i = pos[0]
    cdef Py_ssize_t stop = i + 10
    cdef uint8_t b
    cdef bint huge = False
    if stop > size:
        stop = size
    while i < stop:
        b = p[i]
        i += 1
        if shift < 63:
            value |= (<uint64_t>(b & 0x7F)) << shift
        elif shift == 63:
            value |= (<uint64_t>(b & 0x01)) << 63
            huge = huge or (b & 0x7E) != 0
        else:
            huge = huge or (b & 0x7F) != 0
        if b < 0x80:
            pos[0] = i
            out[0] = _D_HUGE if huge else value
            return 0
        shift += 7
    return -1


cdef inline Py_ssize_t _dfind(const uint8_t* p, Py_ssize_t start, Py_ssize_t end, bytes needle) noexcept:
    """``bytes.find(needle, start, end)`` (``end`` within the bytes)."""
    cdef const uint8_t* n = <const uint8_t*>PyBytes_AS_STRING(needle)
    cdef Py_ssize_t m = PyBytes_GET_SIZE(needle)
    cdef const uint8_t* hit
    while start + m <= end:
        hit = <const uint8_t*>memchr(p + start, n[0], end - m + 1 - start)
        if hit == NULL:
            return -1
        start = hit - p
        if memcmp(hit, n, m) == 0:
            return start
        start += 1
    return -1


cdef inline bint _dstarts(const uint8_t* p, Py_ssize_t size, Py_ssize_t position, bytes needle) noexcept:
    """``data.startswith(needle, position)``."""
    cdef Py_ssize_t m = PyBytes_GET_SIZE(needle)
    return position <= size - m and memcmp(p + position, PyBytes_AS_STRING(needle), m) == 0


cdef int _dlooks_kept(const uint8_t* p, Py_ssize_t size, Py_ssize_t start, Py_ssize_t end) noexcept:
    """bridge._drift._looks_kept."""
    cdef Py_ssize_t m = PyBytes_GET_SIZE(_D_FIDELITY_KEY)
    cdef Py_ssize_t at, position
    cdef uint64_t length
    cdef bint ok
    if end > size:
        end = size
    at = _dfind(p, start, end, _D_FIDELITY_KEY)
    while at >= 0:
        position = at + m
        if position < end and p[position] < 0x80:
            length = p[position]
            position += 1
            ok = True
        else:
            ok = _dvarint(p, size, &position, &length) == 0
        if ok and position <= end and length <= <uint64_t>(end - position):
            if _dfind(p, position, position + <Py_ssize_t>length, _D_UNKNOWN_KEY) >= 0:
                return 1
        at = _dfind(p, at + 1, end, _D_FIDELITY_KEY)
    return 0


cdef int _dkeeps(const uint8_t* p, Py_ssize_t size, Py_ssize_t position, Py_ssize_t end) noexcept:
    """bridge._drift._keeps."""
    cdef uint64_t key, length
    while position < end:
        if _dvarint(p, size, &position, &key) < 0:
            return 1
        if key == _D_UNKNOWN:
            return 1
        if (key & 7) == 2:
            if _dvarint(p, size, &position, &length) < 0:
                return 1
            if position > end or length > <uint64_t>(end - position):
                return 1
            position += <Py_ssize_t>length
        elif (key & 7) == 0:
            if _dvarint(p, size, &position, &length) < 0:
                return 1
        else:
            return 1
    return position != end


cdef int _das_written(const uint8_t* p, Py_ssize_t size, object side) except -2:
    """bridge._drift._as_written: 1, 0, or -1 where it raises IndexError."""
    cdef Py_ssize_t position, stop
    cdef uint64_t length
    if size < 1:
        return -1
    if p[0] != side.type_key:
        return 0
    if size < 2:
        return -1
    if p[1] >= 0x80:
        return 0
    position = 2 + p[1]
    stop = position if position < size else size
    body = side.body_of.get(PyBytes_FromStringAndSize(<const char*>p + 2, stop - 2))
    if body is None:
        return 0
    if position < size and p[position] == side.id_key:
        if position + 1 >= size:
            return -1
        if p[position + 1] >= 0x80:
            return 0
        position += 2 + p[position + 1]
    if position == size:
        return 1
    if PyBytes_GET_SIZE(body) and _dstarts(p, size, position, body):
        position += PyBytes_GET_SIZE(body)
        if position >= size:
            return -1
        if p[position] < 0x80:
            position += 1 + p[position]
        else:
            if _dvarint(p, size, &position, &length) < 0:
                return -1
            if length > <uint64_t>(size - position):
                return 0  # past the end: neither the end nor a record there
            position += <Py_ssize_t>length
        if position == size:
            return 1
    if not _dstarts(p, size, position, _D_FIDELITY_KEY):
        return 0
    position += PyBytes_GET_SIZE(_D_FIDELITY_KEY)
    if position >= size:
        return -1
    return p[position] < 0x80 and position + 1 + p[position] == size


cdef int _dscan(const uint8_t* p, Py_ssize_t size, Py_ssize_t position, Py_ssize_t end, dict children, object side) except -2:
    """bridge._drift._scan."""
    cdef uint64_t key, length
    cdef Py_ssize_t stop
    cdef int64_t type_key = side.type_key if side is not None else -1
    cdef bint member = False
    last = None
    while position < end:
        key = p[position]
        if key < 0x80:
            position += 1
        elif _dvarint(p, size, &position, &key) < 0:
            return 1
        if (key & 7) == 2:
            if position >= size:
                return 1
            length = p[position]
            if length < 0x80:
                position += 1
            elif _dvarint(p, size, &position, &length) < 0:
                return 1
            if position > end or length > <uint64_t>(end - position):
                return 1
            stop = position + <Py_ssize_t>length
            if key == _D_FIDELITY:
                if _dkeeps(p, size, position, stop):
                    return 1
            elif type_key >= 0 and key == <uint64_t>type_key:
                last = PyBytes_FromStringAndSize(<const char*>p + position, stop - position)
            else:
                inside = children.get(key)
                if inside is not None:
                    if side is not None and key in side.members:
                        member = True
                    if _dscan(p, size, position, stop, inside, None) if stop - position > _D_LARGE else _dlooks_kept(p, size, position, stop):
                        return 1
            position = stop
        elif (key & 7) == 0:
            if _dvarint(p, size, &position, &length) < 0:
                return 1
        elif (key & 7) == 1:
            position += 8
        elif (key & 7) == 5:
            position += 4
        else:
            return 1
    if position != end:
        return 1
    if side is None or type_key < 0:
        return 0
    if last is not None:
        return last not in side.body_of
    return not member


def may_drift(bytes data, kind):
    """bridge._drift.may_drift, compiled: False when protobuf bytes of a ``kind`` document certainly
    hold no drift, True when they must be parsed to tell."""
    side = _D_SIDES[kind]
    cdef const uint8_t* p = <const uint8_t*>PyBytes_AS_STRING(data)
    cdef Py_ssize_t size = PyBytes_GET_SIZE(data)
    cdef int written
    if size <= _D_LARGE and (_dfind(p, 0, size, _D_FIDELITY_KEY) < 0 or not _dlooks_kept(p, size, 0, size)):
        if side.type_key < 0:
            return False
        written = _das_written(p, size, side)
        if written < 0:
            return True
        if written:
            return False
    return bool(_dscan(p, size, 0, size, side.children, side))


# ------------------------------------------------------------------------------ a log's frames
# bridge.framing._field_frame, compiled (bridge.convert takes it at its seam when it is in use): the
# same bytes, written in one allocation instead of joined from pieces (tests/test_framing.py).


def field_frame(bytes key, bytes message, bytes tail):
    """bridge.framing._field_frame: one frame of a delimited stream holding the message made of the
    length-delimited field ``key`` (its key's bytes) holding ``message``, then ``tail``."""
    cdef Py_ssize_t k = PyBytes_GET_SIZE(key)
    cdef Py_ssize_t n = PyBytes_GET_SIZE(message)
    cdef Py_ssize_t t = PyBytes_GET_SIZE(tail)
    cdef Py_ssize_t record = k + _varint_size(<uint64_t>n) + n + t
    out = PyBytes_FromStringAndSize(NULL, _varint_size(<uint64_t>record) + record)
    cdef uint8_t* p = _write_varint(<uint8_t*>PyBytes_AS_STRING(out), <uint64_t>record)
    memcpy(p, PyBytes_AS_STRING(key), k)
    p = _write_varint(p + k, <uint64_t>n)
    memcpy(p, PyBytes_AS_STRING(message), n)
    memcpy(p + n, PyBytes_AS_STRING(tail), t)
    return out
