# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True, initializedcheck=False
"""Compiled JSON decoding: bytes -> Structs in one pass, unknown keys included.

``decode(data, plan, strict)`` / ``decode_event(data, strict)`` return what the pure path
(:func:`bridge.convert.decode_response` / :func:`bridge.convert.decode_event` without the
accelerator) returns for a valid document, or ``None``: the caller then runs the pure path, which
also produces every :class:`~bridge.ValidationError`. They never guess.

How
---
One pass over the JSON bytes, driven by a table per :class:`~bridge._schema.MessagePlan` and mode
(the JSON keys, and for each the slot it fills, the JSON types it accepts, the table of the objects
it holds, its enum spellings and strict-mode limits). Each object becomes its Struct as it is read:
the instance is allocated, its slots are filled in place, unknown keys go to its ``extra`` with the
exact text of their values. Strings are made straight from the bytes: an ASCII string is one copy,
a non-ASCII one is decoded once into the narrowest string kind (which the scan has already found),
base64 audio is decoded by pybase64 (SIMD) straight from the document's bytes, and an enum value that matches a known spelling is the one interned ``str`` of it.

It declines (``None``) on anything it is not sure of: a syntax error, invalid UTF-8, a lone
surrogate escape, a value of the wrong type, a number outside int64 (or, for a double, without a
finite value), base64 that is not canonical (its exact text is the pure path's to keep), nesting
deeper than ``MAX_DEPTH``, a repeated event ``type``, a non-object document;
in strict mode also an unknown key, an unknown enum value or a value outside its limits.
``tests/test_decoder.py`` checks that every result equals the pure path's, field for field.

``json_to_binary(data, strict, direction)`` (in front of :func:`bridge.convert.json_to_binary`) writes
the protobuf bytes of an event or a response straight from the JSON (nested messages, lists, maps,
unions, raw JSON text; the nulls, empty lists, unknown keys, misfits and non-canonical base64 text its
json_fidelity records), with the same tables and checks and no Python object per value; it declines
(``None``) whatever the two-stage path would not write plainly. ``tests/test_fused.py`` checks it against that path, byte for byte.
"""

from cpython.buffer cimport PyBUF_READ, PyBUF_SIMPLE, PyBuffer_Release, PyObject_GetBuffer
from cpython.bytes cimport PyBytes_FromStringAndSize
from cpython.dict cimport PyDict_GetItem
from cpython.mem cimport PyMem_Free, PyMem_Malloc, PyMem_Realloc
from cpython.memoryview cimport PyMemoryView_FromMemory
from cpython.object cimport Py_GT, Py_LT, PyObject, PyObject_RichCompareBool, PyTypeObject
from cpython.ref cimport Py_DECREF, Py_INCREF, Py_XDECREF
from libc.math cimport isfinite
from libc.stdint cimport UINT64_MAX, uint8_t, uint16_t, uint32_t, uint64_t
from libc.string cimport memchr, memcmp, memcpy, memset

cimport cython

from bridge._slots cimport slot_offset
from bridge._text cimport rt_first_special, utf8_length
from bridge._wire cimport varint_size as _varint_size
from bridge._wire cimport write_varint as _write_varint

import functools
from typing import get_args

import msgspec
import pybase64
from google.protobuf.descriptor import FieldDescriptor

from bridge import _guards, _schema
from bridge._schema import FieldKind
from bridge.errors import ValidationError
from bridge.models import Extra

# Nesting: a deeper document goes to the pure path, which refuses it (the limit is one for every path).
cdef int MAX_DEPTH = _guards.MAX_DEPTH

__all__ = ["decode", "decode_event", "fused_in_front_of", "in_front_of", "json_to_binary"]


cdef extern from "Python.h":
    const char* PyUnicode_AsUTF8AndSize(object, Py_ssize_t*) except NULL
    object PyUnicode_DecodeUTF8(const char*, Py_ssize_t, const char*)
    bint PyUnicode_CheckExact(object)
    bint PyBytes_CheckExact(object)
    bint PyList_CheckExact(object)
    char* PyBytes_AS_STRING(object)
    Py_ssize_t PyBytes_GET_SIZE(object)
    object PyUnicode_New(Py_ssize_t, uint32_t)
    void* PyUnicode_DATA(object)
    Py_ssize_t PyUnicode_GET_LENGTH(object)
    PyObject* PyType_GenericAlloc(PyTypeObject*, Py_ssize_t)
    double PyOS_string_to_double(const char*, char**, PyObject*) except? -1.0
    object PyLong_FromLongLong(long long)
    void Py_SET_REFCNT(object, Py_ssize_t)
    Py_ssize_t Py_REFCNT(object)
    object PyFloat_FromDouble(double)
    bint PyLong_CheckExact(object)
    double PyFloat_AS_DOUBLE(object)

cdef extern from *:
    """
    /* The two loops every string goes through, 16 bytes at a time with SSE2 (x86-64 always has
       it), a byte at a time elsewhere. */
    #include <stdint.h>
    #if defined(__SSE2__)
    #include <emmintrin.h>
    #endif

    static inline int rt_popcount16(unsigned x) {  /* no popcnt instruction assumed */
        x = x - ((x >> 1) & 0x5555u);
        x = (x & 0x3333u) + ((x >> 2) & 0x3333u);
        x = (x + (x >> 4)) & 0x0F0Fu;
        return (int)((x + (x >> 8)) & 0x1Fu);
    }

    /* The first quote, backslash or control character from p on (or end). On the way it counts
       the UTF-8 continuation bytes (10xxxxxx) into *cont and sets in *kinds: 1 a byte >= 0x80,
       2 one >= 0xC4 (a character beyond U+00FF), 4 one >= 0xF0 (beyond U+FFFF). */
    static inline const uint8_t* rt_plain(const uint8_t* p, const uint8_t* end, Py_ssize_t* cont, int* kinds) {
    #if defined(__SSE2__)
        const __m128i quote = _mm_set1_epi8(0x22), backslash = _mm_set1_epi8(0x5C);
        const __m128i control = _mm_set1_epi8(0x1F), c0 = _mm_set1_epi8((char)0xC0);
        const __m128i c4 = _mm_set1_epi8((char)0xC4), f0 = _mm_set1_epi8((char)0xF0);
        while (end - p >= 16) {
            __m128i v = _mm_loadu_si128((const __m128i*)p);
            __m128i stop = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, backslash)),
                                        _mm_cmpeq_epi8(_mm_min_epu8(v, control), v));
            unsigned special = (unsigned)_mm_movemask_epi8(stop);
            unsigned keep = special ? (1u << __builtin_ctz(special)) - 1u : 0xFFFFu;
            unsigned high = (unsigned)_mm_movemask_epi8(v) & keep;
            if (high) {
                /* as signed bytes, 0x80..0xBF are exactly those below 0xC0 (-64) */
                *cont += rt_popcount16((unsigned)_mm_movemask_epi8(_mm_cmplt_epi8(v, c0)) & high);
                *kinds |= 1;
                if ((unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_max_epu8(v, c4), v)) & keep) *kinds |= 2;
                if ((unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_max_epu8(v, f0), v)) & keep) *kinds |= 4;
            }
            if (special) return p + __builtin_ctz(special);
            p += 16;
        }
    #endif
        for (; p < end; p++) {
            uint8_t c = *p;
            if (c == 0x22 || c == 0x5C || c < 0x20) return p;  /* quote, backslash, control */
            if (c >= 0x80) {
                *kinds |= c >= 0xF0 ? 7 : c >= 0xC4 ? 3 : 1;
                if (c < 0xC0) *cont += 1;
            }
        }
        return p;
    }

    /* How many bytes from p on are ASCII. */
    static inline Py_ssize_t rt_ascii(const uint8_t* p, const uint8_t* end) {
        const uint8_t* start = p;
    #if defined(__SSE2__)
        while (end - p >= 16) {
            unsigned high = (unsigned)_mm_movemask_epi8(_mm_loadu_si128((const __m128i*)p));
            if (high) return (p - start) + __builtin_ctz(high);
            p += 16;
        }
    #endif
        while (p < end && *p < 0x80) p++;
        return p - start;
    }
    """
    const uint8_t* rt_plain(const uint8_t*, const uint8_t*, Py_ssize_t*, int*) noexcept nogil
    Py_ssize_t rt_ascii(const uint8_t*, const uint8_t*) noexcept nogil


class _Decline(Exception):
    """Raised internally: this document is for the pure-Python path."""




cdef enum:
    MAX_KEYS = 64  # keys per object (duplicates of a tag are found with a uint64 bit mask)
    MAX_SPELLINGS = 32  # values of one enum
    STACK_BUFFER = 256  # an escaped string up to this size is unescaped on the C stack

# What a key accepts (bits); a union accepts what each of its members does.
cdef enum:
    A_STR = 1  # a JSON string
    A_ENUM = 2  # ... that is an enum value (interned; checked in strict mode)
    A_INT = 4  # a JSON integer within int64
    A_NUMBER = 8  # a JSON integer (within int64) or a finite JSON number with a fraction or exponent
    A_BOOL = 16
    A_OBJECT = 32  # an object of the key's child table
    A_MAP = 64  # an object of strings
    A_RAW = 128  # any JSON value, kept as its exact text
    A_NULL = 256  # null -> None
    A_LIST = 512  # an array of what the other bits accept
    A_BASE64 = 1024  # a JSON string of canonical base64 -> the bytes it stands for

cdef object _UNSET = msgspec.UNSET
#: What :func:`_value` returns for a value of a JSON type its key does not take at all: the object
#: that holds the key keeps its text in ``extra`` (lenient tables, as the pure path does); a strict
#: table declines.
cdef object _MISFIT = object()
cdef object _RAW = msgspec.Raw
cdef object _B64DECODE = pybase64.b64decode  # (s, altchars, validate)
cdef PyTypeObject* _EXTRA = <PyTypeObject*>Extra
#: Where an Extra holds its dict (its one slot), to make one without a call to its __init__.
cdef Py_ssize_t _EXTRA_SLOT = slot_offset(Extra, "_members")
cdef double _POW10[23]


cdef void _init_pow10() noexcept:
    cdef int i
    _POW10[0] = 1.0
    for i in range(1, 23):
        _POW10[i] = _POW10[i - 1] * 10.0  # exact: every power up to 1e22 is a double


_init_pow10()


cdef object _new_extra(dict members):
    """``Extra(members)`` for a dict of Raw values, without copying it."""
    cdef PyObject* extra = PyType_GenericAlloc(_EXTRA, 0)  # Extra's tp_alloc (a heap type)
    if extra == NULL:
        raise MemoryError
    Py_INCREF(members)
    (<PyObject**>((<char*>extra) + _EXTRA_SLOT))[0] = <PyObject*>members
    result = <object>extra  # a second reference: drop the one tp_alloc gave
    Py_DECREF(result)
    return result


# What _new_extra assumes of Extra (one slot, no __dict__, no other state), checked at import.
if Extra.__slots__ != ("_members",) or Extra.__dictoffset__ or _new_extra({"k": _RAW(b"1")}) != Extra({"k": b"1"}):
    raise TypeError("bridge.models.Extra changed: bridge._decoder must be updated")


cdef int _decline() except -1:
    raise _Decline


# ------------------------------------------------------------------------------------------ tables


cdef inline bint _same(const uint8_t* a, const uint8_t* b, Py_ssize_t n) noexcept:
    """``memcmp(a, b, n) == 0`` for short keys: whole words, the last one overlapping the one
    before it (never reading outside ``[0, n)``)."""
    cdef uint64_t x, y
    cdef uint32_t u, v
    cdef Py_ssize_t i
    if n >= 8:
        i = 0
        while i + 8 < n:
            memcpy(&x, a + i, 8)
            memcpy(&y, b + i, 8)
            if x != y:
                return False
            i += 8
        memcpy(&x, a + n - 8, 8)
        memcpy(&y, b + n - 8, 8)
        return x == y
    if n >= 4:
        memcpy(&u, a, 4)
        memcpy(&v, b, 4)
        if u != v:
            return False
        memcpy(&u, a + n - 4, 4)
        memcpy(&v, b + n - 4, 4)
        return u == v
    for i in range(n):
        if a[i] != b[i]:
            return False
    return True


cdef struct Spellings:  # the JSON spellings of an enum, each with its one interned str
    Py_ssize_t n
    Py_ssize_t last  # the spelling found last (values repeat: "completed", "assistant", ...)
    const char* ptr[MAX_SPELLINGS]
    Py_ssize_t size[MAX_SPELLINGS]
    PyObject* values[MAX_SPELLINGS]  # str
    uint64_t number[MAX_SPELLINGS]  # its proto enum number (what json_to_binary writes)
    PyObject* known  # frozenset of the values


@cython.final
cdef class _Enum:
    """Owns what a :c:type:`Spellings` points at (tables hold the struct, not this object, so
    that reading it touches no reference count)."""

    cdef Spellings c
    cdef list owned


cdef _Enum _new_enum(dict names):
    """The spellings of an enum: ``names`` maps each to its proto number."""
    cdef _Enum spelling = _Enum.__new__(_Enum)
    known = frozenset(names)
    spelling.owned = [known]
    spelling.c.known = <PyObject*>known
    for name in sorted(names):
        if spelling.c.n == MAX_SPELLINGS:
            raise TypeError(f"more than {MAX_SPELLINGS} values in one enum")
        value = (<str>name).encode("utf-8")
        spelling.owned.extend((value, name))
        spelling.c.ptr[spelling.c.n] = value
        spelling.c.size[spelling.c.n] = len(value)
        spelling.c.values[spelling.c.n] = <PyObject*>name
        spelling.c.number[spelling.c.n] = <uint64_t>names[name]
        spelling.c.n += 1
    return spelling


cdef inline Py_ssize_t _spelled(const Spellings* spelling, const uint8_t* s, Py_ssize_t n) noexcept:
    """The index of the spelling ``s[:n]`` is, or -1."""
    cdef Py_ssize_t i
    for i in range(spelling.n):
        if spelling.size[i] == n and _same(<const uint8_t*>spelling.ptr[i], s, n):
            return i
    return -1


cdef inline Py_ssize_t _spelling_at(Spellings* spelling, const uint8_t* p, const uint8_t* end) noexcept:
    """The spelling that the JSON string at ``p`` (its opening quote) is, quotes and all, or -1;
    the last one found first. Tried before a scan: a spelling has no quote or backslash."""
    cdef Py_ssize_t i, k, n
    if spelling.n == 0:
        return -1
    for k in range(-1, spelling.n):
        i = spelling.last if k < 0 else k
        n = spelling.size[i]
        if end - p >= n + 2 and p[n + 1] == 34 and _same(<const uint8_t*>spelling.ptr[i], p + 1, n):
            spelling.last = i
            return i
    return -1


@cython.final
cdef class _Limits:
    """A field's ``(limits)`` option, checked in strict mode (None / -1: no limit)."""

    cdef object low, high
    cdef Py_ssize_t pairs, key_length, value_length


cdef _Limits _new_limits(limits):
    if limits is None:
        return None
    known = {"min", "max", "max_pairs", "max_key_length", "max_value_length"}
    unknown = {f.name for f, _ in limits.ListFields()} - known
    if unknown:  # a new kind of limit: this module must learn it before it may decide alone
        raise TypeError(f"bridge._decoder does not know the limits {sorted(unknown)}")
    cdef _Limits out = _Limits.__new__(_Limits)
    out.low = limits.min if limits.HasField("min") else None
    out.high = limits.max if limits.HasField("max") else None
    out.pairs = limits.max_pairs if limits.HasField("max_pairs") else -1
    out.key_length = limits.max_key_length if limits.HasField("max_key_length") else -1
    out.value_length = limits.max_value_length if limits.HasField("max_value_length") else -1
    return out


@cython.final
cdef class _Table:
    """One MessagePlan in one mode: the Struct class to make, and for each JSON key its slot and
    what it accepts. C arrays for the hot loop; the lists own the objects they point at."""

    cdef object cls
    cdef Py_ssize_t nslots
    cdef Py_ssize_t slots[MAX_KEYS]  # every slot of the class (fields and extra)
    cdef Py_ssize_t extra_offset
    cdef bint closed  # an unknown key declines (strict mode, where unknown keys are errors)
    cdef bint strict  # enum values and limits are checked
    cdef _Table strict_table  # the same plan in strict mode
    cdef Py_ssize_t n
    cdef Py_ssize_t tag_index  # a tagged event's "type" key, or -1
    cdef uint64_t required
    cdef uint64_t once  # keys that decline when given twice: an event's type (it picked the table)
    cdef list owned  # the key bytes, child tables, enums and limits pointed at below
    cdef object wires  # the event's _Wires when json_to_binary may write it in one pass, else None
    cdef const char* key_ptr[MAX_KEYS]
    cdef Py_ssize_t key_len[MAX_KEYS]
    cdef int accept[MAX_KEYS]
    cdef Py_ssize_t offset[MAX_KEYS]
    cdef PyObject* child[MAX_KEYS]
    cdef Spellings* spelling[MAX_KEYS]
    cdef PyObject* limits[MAX_KEYS]
    cdef Py_ssize_t after[MAX_KEYS + 1]  # the key that followed each key last time (the last: the first key)

    cdef inline bint is_key(self, Py_ssize_t i, const uint8_t* p, const uint8_t* end) noexcept:
        """Whether the JSON string at ``p`` (its opening quote) is key ``i``, quotes and all: a
        known key is plain ASCII, so this needs no scan."""
        cdef Py_ssize_t n = self.key_len[i]
        return end - p >= n + 2 and p[n + 1] == 34 and _same(<const uint8_t*>self.key_ptr[i], p + 1, n)

    cdef inline Py_ssize_t find(self, const uint8_t* s, Py_ssize_t n, Py_ssize_t hint) noexcept:
        """The index of key ``s``, or -1; ``hint`` first: the key that followed the previous one
        the last time, as a producer writes its keys in the same order every time."""
        cdef Py_ssize_t i
        if hint < self.n and self.key_len[hint] == n and _same(<const uint8_t*>self.key_ptr[hint], s, n):
            return hint
        for i in range(self.n):
            if self.key_len[i] == n and _same(<const uint8_t*>self.key_ptr[i], s, n):
                return i
        return -1


cdef _Table _new_table(plan, cls, bint strict):
    cdef _Table table = _Table.__new__(_Table)
    cdef Py_ssize_t i
    names = cls.__struct_fields__
    # Plain slots and nothing else (no __dict__, no __weakref__), and no GC tracking (gc=False):
    # what _new_struct and _finish assume.
    if (cls.__basicsize__ != object.__basicsize__ + len(names) * sizeof(PyObject*) or len(names) > MAX_KEYS
            or cls.__flags__ & (1 << 14)):  # Py_TPFLAGS_HAVE_GC
        raise TypeError(f"{cls.__name__} is not a plain gc=False Struct")
    table.cls = cls
    table.nslots = len(names)
    for i, name in enumerate(names):
        table.slots[i] = slot_offset(cls, name)
    table.extra_offset = slot_offset(cls, _schema.EXTRA_FIELD)
    table.strict = strict
    table.closed = strict and not plan.extra_is_data
    table.tag_index = -1
    table.owned = []
    for i in range(MAX_KEYS):
        table.after[i] = i + 1  # until a document shows the order: the schema's
    table.after[MAX_KEYS] = 0
    return table


cdef int _add_key(_Table table, str name, int accept, Py_ssize_t offset, _Table child, _Enum spelling,
                  _Limits limits) except -1:
    if table.n == MAX_KEYS:
        raise TypeError(f"more than {MAX_KEYS} keys in one object")
    key = name.encode("utf-8")
    table.owned.extend((key, child, spelling, limits))
    table.key_ptr[table.n] = key
    table.key_len[table.n] = len(key)
    table.accept[table.n] = accept
    table.offset[table.n] = offset
    table.child[table.n] = <PyObject*>child if child is not None else NULL
    table.spelling[table.n] = &spelling.c if spelling is not None else NULL
    table.limits[table.n] = <PyObject*>limits if limits is not None and table.strict else NULL
    table.n += 1
    return 0


cdef int _accepts(member) except -1:
    """The accept bits of one proto field (a key's own, or one member of its union)."""
    kind = member.kind
    if kind is FieldKind.MESSAGE:
        return A_OBJECT
    if kind is FieldKind.ENUM:
        return A_STR | A_ENUM
    if kind is FieldKind.MAP:
        return A_MAP
    if kind is FieldKind.RAW:
        return A_RAW
    if kind is FieldKind.BASE64:
        return A_BASE64
    return {str: A_STR, int: A_INT, float: A_NUMBER, bool: A_BOOL}[member.python_type]


cdef int _fill(_Table table, plan, dict tables) except -1:
    """The keys of ``table``: the event tag first, then the plan's fields."""
    cdef int accept
    infos = {info.name: info for info in msgspec.structs.fields(table.cls)}
    if plan.tag is not None:
        table.tag_index = table.n
        _add_key(table, plan.tag[0], 0, 0, None, None, None)
    for field in plan.fields:
        info = infos[field.name]
        accept = 0
        child = spelling = None
        for member in field.choices:
            accept |= _accepts(member)
            if member.kind is FieldKind.MESSAGE:
                child = tables[member.message, table.strict]
            elif member.kind is FieldKind.ENUM:
                spelling = _new_enum(member.enum.number_of)
        if field.repeated:
            accept |= A_LIST
        if type(None) in get_args(info.type):
            accept |= A_NULL
        if info.required:
            table.required |= (<uint64_t>1) << table.n
        _add_key(table, field.name, accept, slot_offset(table.cls, field.name), child, spelling,
                 _new_limits(field.limits))
    return 0


#: The key whose value picks an event's table ("type"), and its UTF-8.
cdef str _EVENT_TYPE_KEY = next(iter(_schema.EVENT_PLANS.values())).tag[0]
cdef bytes _EVENT_TYPE_UTF8 = _EVENT_TYPE_KEY.encode("utf-8")


cdef dict _build():
    """(MessagePlan, strict) -> _Table, for every plan."""
    cdef dict tables = {}
    cdef _Table table
    plans = {id(plan): plan for plan in _schema.PLANS.values()}.values()
    for plan in plans:
        tables[plan, False] = _new_table(plan, plan.struct, False)
        tables[plan, True] = _new_table(plan, plan.struct, True)
    events = [p for d in (_schema.SERVER, _schema.CLIENT) for p in (*d.plans.values(), d.generic)]
    for (plan, strict), table in tables.items():
        _fill(table, plan, tables)
        table.strict_table = tables[plan, True]
        if plan in events:  # the key that picked an event's table: given twice, the pure path decides
            table.once = (<uint64_t>1) << table.find(_EVENT_TYPE_UTF8, len(_EVENT_TYPE_UTF8), 0)
    return tables


cdef dict _TABLES = _build()
#: (UTF-8 of an event type, its table) pairs, to match a type without making a str of it.


cdef struct TypeSlot:  # an event type in _Events' table: its UTF-8 and its _Table (borrowed)
    const char* name
    Py_ssize_t size
    PyObject* table


cdef inline uint64_t _fnv1a(const uint8_t* p, Py_ssize_t n) noexcept:
    cdef uint64_t h = 14695981039346656037ULL
    cdef Py_ssize_t i
    for i in range(n):
        h = (h ^ p[i]) * 1099511628211ULL
    return h


cdef class _Events:
    """The tables of one direction's events: by the UTF-8 of their type (a dict, and the same in an
    open-addressing table read without making a bytes object), and for any other type."""

    cdef dict by_type
    cdef _Table generic
    cdef frozenset foreign  # the other direction's types (strict mode: the pure path names them)
    cdef TypeSlot* slots
    cdef Py_ssize_t mask

    def __init__(self, direction, other):
        cdef Py_ssize_t size = 16, i
        cdef bytes name
        self.by_type = {kind.encode("utf-8"): _TABLES[plan, False] for kind, plan in direction.plans.items()}
        self.generic = _TABLES[direction.generic, False]
        self.foreign = frozenset(kind.encode("utf-8") for kind in other.plans)
        while size < 4 * len(self.by_type):
            size *= 2
        self.slots = <TypeSlot*>PyMem_Malloc(size * sizeof(TypeSlot))
        if self.slots == NULL:
            raise MemoryError()
        memset(self.slots, 0, size * sizeof(TypeSlot))
        self.mask = size - 1
        for name, table in self.by_type.items():  # (by_type keeps the names and tables alive)
            i = _fnv1a(<const uint8_t*><const char*>name, len(name)) & self.mask
            while self.slots[i].name != NULL:
                i = (i + 1) & self.mask
            self.slots[i].name, self.slots[i].size, self.slots[i].table = name, len(name), <PyObject*>table

    def __dealloc__(self):
        PyMem_Free(self.slots)


cdef inline PyObject* _table_of_type(_Events events, const uint8_t* p, Py_ssize_t n) noexcept:
    """``events.by_type.get(p[:n])``, borrowed, without making the bytes; NULL for a type of none."""
    cdef Py_ssize_t i = _fnv1a(p, n) & events.mask
    while events.slots[i].name != NULL:
        if events.slots[i].size == n and memcmp(events.slots[i].name, p, n) == 0:
            return events.slots[i].table
        i = (i + 1) & events.mask
    return NULL


cdef _Events _SERVER = _Events(_schema.SERVER, _schema.CLIENT)
cdef _Events _CLIENT = _Events(_schema.CLIENT, _schema.SERVER)
cdef dict _EVENTS = {_schema.SERVER: _SERVER, _schema.CLIENT: _CLIENT}


cdef object _new_struct(_Table table):
    """An instance of ``table.cls`` with every slot NULL, as msgspec allocates one (no call to
    __init__, no GC tracking for these gc=False classes); msgspec's dealloc takes NULL slots, so a
    document declined halfway frees what it built. :func:`_finish` makes the rest UNSET."""
    cdef PyObject* raw = PyType_GenericAlloc(<PyTypeObject*>table.cls, 0)  # slots zeroed
    if raw == NULL:
        raise MemoryError
    obj = <object>raw  # a second reference: drop the one tp_alloc gave
    Py_DECREF(obj)
    return obj


cdef inline void _put(object obj, Py_ssize_t offset, object value) noexcept:
    """Store ``value`` in an empty slot."""
    Py_INCREF(value)
    (<PyObject**>((<char*><PyObject*>obj) + offset))[0] = <PyObject*>value


cdef inline void _set(object obj, Py_ssize_t offset, object value) noexcept:
    """Store ``value`` in a slot that may hold one already."""
    cdef PyObject** slot = <PyObject**>((<char*><PyObject*>obj) + offset)
    cdef PyObject* old = slot[0]
    Py_INCREF(value)
    slot[0] = <PyObject*>value
    Py_XDECREF(old)


cdef inline void _finish(object obj, _Table table) noexcept:
    """UNSET in every slot still empty, its count added once (not once a slot: a hot counter)."""
    cdef Py_ssize_t i, unset = 0
    cdef PyObject** slot
    cdef PyObject* unset_object = <PyObject*>_UNSET
    for i in range(table.nslots):
        slot = <PyObject**>((<char*><PyObject*>obj) + table.slots[i])
        unset += slot[0] == NULL
        slot[0] = unset_object if slot[0] == NULL else slot[0]  # no branch to mispredict
    Py_SET_REFCNT(_UNSET, Py_REFCNT(_UNSET) + unset)


# ----------------------------------------------------------------------------------------- scanner


cdef struct Scan:
    const uint8_t* p
    const uint8_t* end
    int depth


cdef struct Str:  # what the scan of a string found
    const uint8_t* start  # the first byte after the opening quote
    Py_ssize_t size  # bytes up to the closing quote
    Py_ssize_t chars  # characters (when not escaped and valid)
    Py_ssize_t cont  # UTF-8 continuation bytes (outside escapes)
    int kind  # the narrowest str kind that holds it (escapes aside): 0 ASCII, 1, 2 or 4 bytes a character
    bint escaped


cdef inline void _ws(Scan* s) noexcept:
    cdef uint8_t c
    while s.p < s.end:
        c = s.p[0]
        if c > 32 or not (c == 32 or c == 10 or c == 13 or c == 9):  # one test for compact JSON
            return
        s.p += 1


cdef inline int _expect(Scan* s, uint8_t c) except -1:
    """Skip whitespace, then ``c``."""
    _ws(s)
    if s.p >= s.end or s.p[0] != c:
        _decline()
    s.p += 1
    return 0


cdef inline int _hex(uint8_t c) noexcept:
    if 48 <= c <= 57:
        return c - 48
    if 97 <= c <= 102:
        return c - 87
    if 65 <= c <= 70:
        return c - 55
    return -1


cdef int _code_unit(const uint8_t* p, const uint8_t* end) noexcept:
    """The code unit of the ``\\uXXXX`` escape at ``p``, or -1."""
    cdef int i, digit, code = 0
    if end - p < 6:
        return -1
    for i in range(2, 6):
        digit = _hex(p[i])
        if digit < 0:
            return -1
        code = code * 16 + digit
    return code


cdef inline int _skip_string(Scan* s) except -1:
    """Pass over the string at ``s.p`` (its opening quote), validating its UTF-8 as it goes: for
    strings that are kept as JSON text, never decoded."""
    cdef uint8_t c
    cdef int n
    s.p += 1
    while True:
        s.p += rt_first_special(s.p, 0, s.end - s.p)  # plain ASCII, 16 bytes at a time
        if s.p >= s.end:
            _decline()
        c = s.p[0]
        if c == 34:  # "
            s.p += 1
            return 0
        if c == 92:  # backslash
            _escape(s)
        elif c < 32:
            _decline()
        else:
            n = utf8_length(s.p, s.end - s.p)
            if n == 0:
                _decline()
            s.p += n


cdef inline int _escape(Scan* s) except -1:
    """Pass over the escape at ``s.p`` (its backslash); a lone surrogate is left to the pure path."""
    cdef int code
    if s.p + 1 >= s.end:
        _decline()
    cdef uint8_t c = s.p[1]
    if c == 117:  # \uXXXX
        code = _code_unit(s.p, s.end)
        if code < 0 or 0xDC00 <= code <= 0xDFFF:
            _decline()
        s.p += 6
        if 0xD800 <= code <= 0xDBFF:  # must be followed by the low half of the pair
            if s.end - s.p < 2 or s.p[0] != 92 or s.p[1] != 117 or not 0xDC00 <= _code_unit(s.p, s.end) <= 0xDFFF:
                _decline()
            s.p += 6
    elif c == 34 or c == 92 or c == 47 or c == 98 or c == 102 or c == 110 or c == 114 or c == 116:
        s.p += 2
    else:
        _decline()
    return 0


cdef inline int _string(Scan* s, Str* out) except -1:
    """Scan the string at ``s.p`` (its opening quote) into ``out``: its bytes, and from the
    UTF-8 lead and continuation bytes its length and kind. The UTF-8 itself is validated when the
    string is made (:func:`_from_utf8`), which reads every byte anyway."""
    cdef Py_ssize_t cont = 0
    cdef int kinds = 0
    cdef bint escaped = False
    cdef uint8_t c
    s.p += 1
    out.start = s.p
    while True:
        s.p = rt_plain(s.p, s.end, &cont, &kinds)
        if s.p >= s.end:
            _decline()
        c = s.p[0]
        if c == 34:  # "
            out.size = s.p - out.start
            out.cont = cont
            out.chars = out.size - cont
            out.kind = 4 if kinds & 4 else 2 if kinds & 2 else kinds & 1
            out.escaped = escaped
            s.p += 1
            return 0
        if c == 92:  # backslash
            escaped = True
            _escape(s)
        else:  # a control character
            _decline()


# ----------------------------------------------------------------------------------------- strings


# The three decoders validate as they write (utf8_length: what Python's strict decoder accepts)
# and return -1 at the first invalid sequence. They never write more characters than the scan
# counted: every character written consumed exactly the continuation bytes counted for it.

cdef int _to_ucs1(const uint8_t* p, const uint8_t* end, uint8_t* out) noexcept:
    cdef Py_ssize_t n
    while p < end:
        n = rt_ascii(p, end)
        memcpy(out, p, n)
        p += n
        out += n
        if p >= end:
            break
        if utf8_length(p, end - p) != 2:  # the scan saw no lead byte above 0xC3
            return -1
        out[0] = ((p[0] & 0x1F) << 6) | (p[1] & 0x3F)
        p += 2
        out += 1
    return 0


cdef int _to_ucs2(const uint8_t* p, const uint8_t* end, uint16_t* out) noexcept:
    cdef Py_ssize_t n, k
    while p < end:
        n = rt_ascii(p, end)
        for k in range(n):  # a loop the C compiler vectorizes
            out[k] = p[k]
        p += n
        out += n
        if p >= end:
            break
        n = utf8_length(p, end - p)  # the scan saw no lead byte above 0xEF: 2 or 3 bytes
        if n == 2:
            out[0] = ((p[0] & 0x1F) << 6) | (p[1] & 0x3F)
        elif n == 3:
            out[0] = ((p[0] & 0x0F) << 12) | ((p[1] & 0x3F) << 6) | (p[2] & 0x3F)
        else:
            return -1
        p += n
        out += 1
    return 0


cdef int _to_ucs4(const uint8_t* p, const uint8_t* end, uint32_t* out) noexcept:
    cdef int n
    while p < end:
        if p[0] < 0x80:
            out[0] = p[0]
            n = 1
        else:
            n = utf8_length(p, end - p)
            if n == 2:
                out[0] = ((p[0] & 0x1F) << 6) | (p[1] & 0x3F)
            elif n == 3:
                out[0] = ((p[0] & 0x0F) << 12) | ((p[1] & 0x3F) << 6) | (p[2] & 0x3F)
            elif n == 4:
                out[0] = ((p[0] & 0x07) << 18) | ((p[1] & 0x3F) << 12) | ((p[2] & 0x3F) << 6) | (p[3] & 0x3F)
            else:
                return -1
        p += n
        out += 1
    return 0


cdef object _from_utf8(const uint8_t* p, Py_ssize_t size, Py_ssize_t chars, int kind):
    """The ``str`` of UTF-8 ``p[:size]`` (``chars`` characters if valid, ``kind`` the narrowest
    kind that holds them, as CPython requires of every str); declines invalid UTF-8."""
    cdef int invalid
    if kind == 0:
        text = PyUnicode_New(size, 127)
        memcpy(PyUnicode_DATA(text), p, size)
        return text
    if kind == 1:
        text = PyUnicode_New(chars, 255)
        invalid = _to_ucs1(p, p + size, <uint8_t*>PyUnicode_DATA(text))
    elif kind == 2:
        text = PyUnicode_New(chars, 65535)
        invalid = _to_ucs2(p, p + size, <uint16_t*>PyUnicode_DATA(text))
    else:
        text = PyUnicode_New(chars, 1114111)
        invalid = _to_ucs4(p, p + size, <uint32_t*>PyUnicode_DATA(text))
    if invalid:
        _decline()
    return text


cdef inline uint8_t* _put_code_point(uint8_t* out, uint32_t code) noexcept:
    if code < 0x80:
        out[0] = code
        return out + 1
    if code < 0x800:
        out[0] = 0xC0 | (code >> 6)
        out[1] = 0x80 | (code & 0x3F)
        return out + 2
    if code < 0x10000:
        out[0] = 0xE0 | (code >> 12)
        out[1] = 0x80 | ((code >> 6) & 0x3F)
        out[2] = 0x80 | (code & 0x3F)
        return out + 3
    out[0] = 0xF0 | (code >> 18)
    out[1] = 0x80 | ((code >> 12) & 0x3F)
    out[2] = 0x80 | ((code >> 6) & 0x3F)
    out[3] = 0x80 | (code & 0x3F)
    return out + 4


cdef uint8_t* _unescape(const uint8_t* p, const uint8_t* end, uint8_t* out, Py_ssize_t* cont, int* kind) noexcept:
    """Write the UTF-8 of the escaped string text ``p``..``end`` (validated by the scan) at ``out``;
    return where it ends. An escape never grows when unescaped, so ``end - p`` bytes hold it; the runs
    between escapes are copied whole, and the scan's count of continuation bytes (``cont``) and its
    kind are amended by the ``\\u`` escapes."""
    cdef const uint8_t* escape
    cdef uint8_t* written
    cdef uint8_t c
    cdef uint32_t code
    while p < end:
        escape = <const uint8_t*>memchr(p, 92, end - p)
        if escape == NULL:
            escape = end
        memcpy(out, p, escape - p)
        out += escape - p
        p = escape
        if p >= end:
            break
        c = p[1]
        if c == 117:
            code = <uint32_t>_code_unit(p, end)
            p += 6
            if 0xD800 <= code <= 0xDBFF:
                code = 0x10000 + ((code - 0xD800) << 10) + (<uint32_t>_code_unit(p, end) - 0xDC00)
                p += 6
            written = _put_code_point(out, code)
            cont[0] += written - out - 1
            out = written
            if code >= 0x10000:
                kind[0] = 4
            elif code >= 0x100 and kind[0] < 2:
                kind[0] = 2
            elif code >= 0x80 and kind[0] < 1:
                kind[0] = 1
            continue
        if c == 98:
            c = 8
        elif c == 102:
            c = 12
        elif c == 110:
            c = 10
        elif c == 114:
            c = 13
        elif c == 116:
            c = 9
        out[0] = c  # \" \\ \/ stand for themselves
        out += 1
        p += 2
    return out


cdef object _unescaped(const Str* st):
    """The ``str`` of a scanned string that holds escapes (already validated by the scan)."""
    cdef uint8_t stack[STACK_BUFFER]
    cdef uint8_t* buf = stack
    cdef uint8_t* out
    cdef int kind = st.kind
    cdef Py_ssize_t cont = st.cont
    if st.size > STACK_BUFFER:
        buf = <uint8_t*>PyMem_Malloc(st.size)
        if buf == NULL:
            raise MemoryError
    try:
        out = _unescape(st.start, st.start + st.size, buf, &cont, &kind)
        return _from_utf8(buf, out - buf, (out - buf) - cont, kind)
    finally:
        if buf != stack:
            PyMem_Free(buf)


cdef inline object _make_str(const Str* st):
    if st.escaped:
        return _unescaped(st)
    return _from_utf8(st.start, st.size, st.chars, st.kind)


# ------------------------------------------------------------------------------- numbers, literals


cdef int _digits(Scan* s) except -1:
    """One or more digits."""
    if s.p >= s.end or not (48 <= s.p[0] <= 57):
        _decline()
    while s.p < s.end and 48 <= s.p[0] <= 57:
        s.p += 1
    return 0


cdef int _skip_number(Scan* s) except -1:
    if s.p[0] == 45:  # -
        s.p += 1
    if s.p < s.end and s.p[0] == 48:  # a leading zero stands alone
        s.p += 1
    else:
        _digits(s)
    if s.p < s.end and s.p[0] == 46:  # .
        s.p += 1
        _digits(s)
    if s.p < s.end and (s.p[0] == 101 or s.p[0] == 69):  # e E
        s.p += 1
        if s.p < s.end and (s.p[0] == 43 or s.p[0] == 45):
            s.p += 1
        _digits(s)
    return 0


cdef object _number(Scan* s, int accept):
    """The JSON number at ``s.p``: an ``int`` for an integer (within int64), a ``float`` for one
    with a fraction or an exponent where ``accept`` has A_NUMBER (correctly rounded: Clinger's
    exact case inline, CPython's own parser otherwise)."""
    cdef const uint8_t* start = s.p
    cdef bint negative = s.p[0] == 45
    cdef bint whole = True
    cdef bint exact = True  # the digits fit the mantissa
    cdef uint64_t mantissa = 0
    cdef int scale = 0  # the power of ten to apply to the mantissa
    cdef int exponent = 0, exponent_sign = 1
    cdef uint8_t c
    cdef char* parsed_end
    cdef double value
    cdef int digits = 0
    cdef const uint8_t* p = start + negative
    # The common case in one pass: an integer of at most 18 digits (no leading zero), whole.
    if p < s.end and 48 <= p[0] <= 57 and (p[0] != 48 or p + 1 >= s.end or not 48 <= p[1] <= 57):
        while p < s.end and 48 <= p[0] <= 57 and digits < 19:
            mantissa = mantissa * 10 + (p[0] - 48)
            p += 1
            digits += 1
        if digits < 19 and (p >= s.end or not (p[0] == 46 or p[0] == 101 or p[0] == 69 or 48 <= p[0] <= 57)):
            if not (accept & (A_INT | A_NUMBER)):
                _decline()
            s.p = p
            return PyLong_FromLongLong(-<long long>mantissa if negative else <long long>mantissa)
        mantissa, p = 0, start + negative
    _skip_number(s)  # validates the grammar; then read what it passed over
    while p < s.p:
        c = p[0]
        if 48 <= c <= 57:
            if mantissa <= 1844674407370955160ULL:  # (2**64 - 10) // 10: one more digit cannot overflow
                mantissa = mantissa * 10 + (c - 48)
                if not whole:
                    scale -= 1
            else:
                exact = False
                if whole:
                    scale += 1
        elif c == 46:
            whole = False
        else:  # e E
            whole = False
            p += 1
            if p[0] == 45:
                exponent_sign = -1
                p += 1
            elif p[0] == 43:
                p += 1
            while p < s.p:
                if exponent < 100000:
                    exponent = exponent * 10 + (p[0] - 48)
                p += 1
            break
        p += 1
    if whole:
        if not (accept & (A_INT | A_NUMBER)) or not exact:
            _decline()
        if negative:
            if mantissa > 9223372036854775808ULL:
                _decline()
            return PyLong_FromLongLong(<long long>(0 - mantissa))
        if mantissa > 9223372036854775807ULL:
            _decline()
        return PyLong_FromLongLong(<long long>mantissa)
    if not (accept & A_NUMBER):
        _decline()
    scale += exponent_sign * exponent
    if mantissa == 0:  # a zero with any exponent
        value = -0.0 if negative else 0.0
    elif exact and mantissa <= 9007199254740992ULL and -22 <= scale <= 22:  # both exact doubles
        value = <double>mantissa
        value = value * _POW10[scale] if scale >= 0 else value / _POW10[-scale]
        if negative:
            value = -value
    else:
        # CPython's parser reads up to the first byte that cannot continue a number: there must be
        # one before the end of the input (a document cannot end with a number anyway).
        if scale > 400 or scale < -400 or s.p >= s.end:  # (an infinity, or a zero msgspec may judge otherwise)
            _decline()
        value = PyOS_string_to_double(<const char*>start, &parsed_end, NULL)
        if <const uint8_t*>parsed_end != s.p:
            _decline()
    if not isfinite(value):
        _decline()
    return PyFloat_FromDouble(value)


cdef int _literal(Scan* s, const char* word, Py_ssize_t n) except -1:
    if s.end - s.p < n or memcmp(s.p, word, n) != 0:
        _decline()
    s.p += n
    return 0


cdef inline bint _open(Scan* s, uint8_t close) except -1:
    """Enter the object or array at ``s.p`` (its opening bracket, passed over); True when it is
    empty (its ``close`` passed over too). The caller leaves it with ``s.depth -= 1``."""
    s.depth += 1
    if s.depth > MAX_DEPTH:
        _decline()
    s.p += 1
    _ws(s)
    if s.p < s.end and s.p[0] == close:
        s.p += 1
        return True
    return False


cdef inline int _quote(Scan* s) except -1:
    """Skip whitespace to the opening quote of a string (a key, or a value that must be one)."""
    _ws(s)
    if s.p >= s.end or s.p[0] != 34:
        _decline()
    return 0


cdef int _skip(Scan* s) except -1:
    """Any JSON value at ``s.p``, validated and passed over (whitespace before it skipped)."""
    _ws(s)
    if s.p >= s.end:
        _decline()
    cdef uint8_t c = s.p[0]
    if c == 34:
        _skip_string(s)
    elif c == 123:  # {
        if not _open(s, 125):
            while True:
                _quote(s)
                _skip_string(s)
                _expect(s, 58)  # :
                _skip(s)
                if _more(s, 125):
                    break
        s.depth -= 1
    elif c == 91:  # [
        if not _open(s, 93):
            while True:
                _skip(s)
                if _more(s, 93):
                    break
        s.depth -= 1
    elif c == 45 or 48 <= c <= 57:
        _skip_number(s)
    elif c == 116:
        _literal(s, b"true", 4)
    elif c == 102:
        _literal(s, b"false", 5)
    elif c == 110:
        _literal(s, b"null", 4)
    else:
        _decline()
    return 0


cdef inline bint _more(Scan* s, uint8_t close) except -1:
    """After a member: False at a comma (another follows), True at ``close`` (passed over)."""
    _ws(s)
    if s.p < s.end:
        if s.p[0] == 44:
            s.p += 1
            return False
        if s.p[0] == close:
            s.p += 1
            return True
    _decline()


# ------------------------------------------------------------------------------------------ values


cdef int _check_limits(_Limits limits, value) except -1:
    """Strict mode: decline a number outside its range."""
    if limits.low is not None and PyObject_RichCompareBool(value, limits.low, Py_LT):
        _decline()
    if limits.high is not None and PyObject_RichCompareBool(value, limits.high, Py_GT):
        _decline()
    return 0


cdef object _string_value(Scan* s, _Table table, Py_ssize_t i, int accept):
    cdef Str st
    cdef Spellings* spelling = table.spelling[i]
    cdef Py_ssize_t known
    if accept & A_ENUM:
        known = _spelling_at(spelling, s.p, s.end)
        if known >= 0:
            s.p += spelling.size[known] + 2
            return <object>spelling.values[known]
    _string(s, &st)
    if not (accept & A_ENUM):
        return _make_str(&st)
    if not st.escaped:
        known = _spelled(spelling, st.start, st.size)
        if known >= 0:
            return <object>spelling.values[known]
        if table.strict:
            _decline()
    value = _make_str(&st)
    if table.strict and value not in <frozenset>spelling.known:
        _decline()
    return value


# Base64 (the ``(base64)`` fields) is decoded by pybase64 (SIMD, in C); this checks what pybase64 does
# not, so that only canonical text is read as bytes: the digits whose unused bits are zero before
# "==" (4 bits) and before "=" (2 bits), as bridge._base64 lists them.
cdef const char* _BEFORE_TWO = b"AQgw"
cdef const char* _BEFORE_ONE = b"AEIMQUYcgkosw048"


cdef inline bint _b64_canonical_shape(const uint8_t* s, Py_ssize_t n) noexcept nogil:
    """Whether base64 text of ``n`` bytes that pybase64 validates is also canonical: a whole
    number of quads, and the bits the padding leaves unused zero (``AA==``, never ``AB==``). O(1)."""
    if n % 4:
        return False
    if n == 0 or s[n - 1] != 61:  # no padding: every bit is used
        return True
    if s[n - 2] == 61:
        return n >= 3 and memchr(_BEFORE_TWO, s[n - 3], 4) != NULL
    return memchr(_BEFORE_ONE, s[n - 2], 16) != NULL


cdef object _base64(Scan* s):
    """The bytes of a string of canonical base64; anything else declines (the pure path keeps its
    exact text). The string ends at the first quote (memchr): pybase64 then validates every byte
    in one pass, and a backslash, a control or non-ASCII byte (an escaped quote's too) declines."""
    cdef const uint8_t* start = s.p + 1
    cdef const uint8_t* end = <const uint8_t*>memchr(start, 34, s.end - start)
    if end == NULL or not _b64_canonical_shape(start, end - start):
        _decline()
    try:  # validate=True: the standard alphabet only, padding only at the end
        value = _B64DECODE(PyMemoryView_FromMemory(<char*>start, end - start, PyBUF_READ), None, True)
    except ValueError:  # (binascii.Error)
        _decline()
    s.p = end + 1
    return value


cdef dict _map(Scan* s, _Table table, Py_ssize_t i):
    """An object of strings (``metadata``); in strict mode within its limits."""
    cdef dict out = {}
    cdef Str st
    cdef _Limits limits = <_Limits>table.limits[i] if table.limits[i] != NULL else None
    if not _open(s, 125):
        while True:
            _quote(s)
            _string(s, &st)
            key = _make_str(&st)
            _expect(s, 58)
            _quote(s)
            _string(s, &st)
            value = _make_str(&st)
            if limits is not None and (
                (limits.key_length >= 0 and PyUnicode_GET_LENGTH(key) > limits.key_length)
                or (limits.value_length >= 0 and PyUnicode_GET_LENGTH(value) > limits.value_length)
            ):
                _decline()
            out[key] = value
            if _more(s, 125):
                break
    if limits is not None and limits.pairs >= 0 and len(out) > limits.pairs:
        _decline()
    s.depth -= 1
    return out


cdef object _list(Scan* s, _Table table, Py_ssize_t i, int accept):
    """An array of what ``accept`` (without A_LIST and A_NULL: items are never null) takes;
    ``_MISFIT`` when an item is of a type it does not take (``s`` then back at the array's start,
    as :func:`_value` leaves it for any misfit)."""
    cdef list out = []
    cdef const uint8_t* start = s.p
    accept &= ~(A_LIST | A_NULL)
    if not _open(s, 93):
        while True:
            _ws(s)
            item = _value(s, table, i, accept)
            if item is _MISFIT:
                s.p = start
                s.depth -= 1
                return _MISFIT
            out.append(item)
            if _more(s, 93):
                break
    s.depth -= 1
    return out


cdef inline object _value(Scan* s, _Table table, Py_ssize_t i, int accept):
    """The value of key ``i`` of ``table`` at ``s.p`` (whitespace skipped), as its Struct field
    holds it; ``_MISFIT``, with ``s.p`` left where the value starts, for a JSON type it does not take."""
    cdef const uint8_t* start
    if s.p >= s.end:
        _decline()
    cdef uint8_t c = s.p[0]
    if accept & A_RAW:
        start = s.p
        _skip(s)
        return _RAW(PyBytes_FromStringAndSize(<const char*>start, s.p - start))
    if accept & A_LIST:
        if c == 91:  # [
            return _list(s, table, i, accept)
    elif c == 34:  # "
        if accept & A_STR:
            return _string_value(s, table, i, accept)
        if accept & A_BASE64:
            return _base64(s)
    elif c == 123:  # {
        if accept & A_OBJECT:
            return _object(s, <_Table>table.child[i])
        if accept & A_MAP:
            return _map(s, table, i)
    elif c == 45 or 48 <= c <= 57:
        if accept & (A_INT | A_NUMBER):
            value = _number(s, accept)
            if table.limits[i] != NULL:
                _check_limits(<_Limits>table.limits[i], value)
            return value
    elif c == 116:
        if accept & A_BOOL:
            _literal(s, b"true", 4)
            return True
    elif c == 102:
        if accept & A_BOOL:
            _literal(s, b"false", 5)
            return False
    if c == 110 and accept & A_NULL:
        _literal(s, b"null", 4)
        return None
    return _MISFIT


cdef object _object(Scan* s, _Table table):
    """The object at ``s.p`` (its opening brace) as an instance of ``table.cls``."""
    cdef Str key
    cdef Py_ssize_t index, previous = MAX_KEYS
    cdef uint64_t seen = 0, bit, misfits = 0
    cdef const uint8_t* start
    cdef const char* utf8
    cdef Py_ssize_t utf8_size
    cdef dict extra = None
    obj = _new_struct(table)
    if not _open(s, 125):
        while True:
            _quote(s)
            index = table.after[previous]
            name = None
            if index < table.n and table.is_key(index, s.p, s.end):  # the key expected here
                s.p += table.key_len[index] + 2
            else:
                _string(s, &key)
                if key.escaped:
                    name = _unescaped(&key)
                    utf8 = PyUnicode_AsUTF8AndSize(name, &utf8_size)
                    index = table.find(<const uint8_t*>utf8, utf8_size, index)
                else:
                    index = table.find(key.start, key.size, index)
            _expect(s, 58)
            _ws(s)
            if index >= 0:
                bit = (<uint64_t>1) << index
                if index == table.tag_index and not seen & bit:  # a tagged event's type: its table says it all
                    _skip(s)
                else:
                    value = _value(s, table, index, table.accept[index])
                    if seen & bit:  # a key given twice: the last one wins, unless it is an event's
                        if table.once & bit or misfits & bit or value is _MISFIT:  # type (it chose this
                            _decline()  # table) or a value kept as text: the pure path decides
                        _set(obj, table.offset[index], value)
                    elif value is not _MISFIT:  # the slot is still empty
                        _put(obj, table.offset[index], value)
                    elif table.strict:
                        _decline()
                    else:  # a value of the wrong type (``s`` still at its start): kept as its text,
                        start = s.p  # the slot left UNSET
                        _skip(s)
                        if name is None:
                            name = PyUnicode_DecodeUTF8(table.key_ptr[index], table.key_len[index], NULL)
                        if extra is None:
                            extra = {}
                        extra[name] = _RAW(PyBytes_FromStringAndSize(<const char*>start, s.p - start))
                        misfits |= bit
                seen |= bit
                table.after[previous] = index  # a guess for the next document (checked, never trusted)
                previous = index
            else:
                if table.closed:
                    _decline()
                if name is None:
                    name = _from_utf8(key.start, key.size, key.chars, key.kind)
                start = s.p
                _skip(s)
                if extra is None:
                    extra = {}
                extra[name] = _RAW(PyBytes_FromStringAndSize(<const char*>start, s.p - start))
            if _more(s, 125):
                break
    if seen & table.required != table.required:
        _decline()
    if extra is not None:
        _put(obj, table.extra_offset, _new_extra(extra))
    _finish(obj, table)
    s.depth -= 1
    return obj


cdef _Table _event_table(const uint8_t* p, const uint8_t* end, _Events events, bint strict):
    """The table for the event at ``p`` (its opening brace), by its ``type``."""
    cdef Str st
    cdef PyObject* found
    cdef Scan s
    cdef const uint8_t* text
    cdef Py_ssize_t size
    s.p, s.end, s.depth = p + 1, end, 0
    _ws(&s)
    while s.p < s.end and s.p[0] == 34:
        _string(&s, &st)
        _expect(&s, 58)
        _ws(&s)
        if (not st.escaped and st.size == len(_EVENT_TYPE_UTF8)
                and _same(<const uint8_t*><const char*>_EVENT_TYPE_UTF8, st.start, st.size)) or (
            st.escaped and _unescaped(&st) == _EVENT_TYPE_KEY
        ):
            if s.p >= s.end or s.p[0] != 34:
                _decline()  # not a string: the pure path reports it
            _string(&s, &st)
            text, size = st.start, st.size
            if st.escaped:
                kind = _unescaped(&st)
                text = <const uint8_t*>PyUnicode_AsUTF8AndSize(kind, &size)
            found = _table_of_type(events, text, size)
            if found != NULL:
                return <_Table>found
            if strict and PyBytes_FromStringAndSize(<const char*>text, size) in events.foreign:
                _decline()
            return events.generic
        _skip(&s)
        if _more(&s, 125):
            break
        _ws(&s)
    _decline()



# ------------------------------------------------------------------------- JSON -> protobuf, fused
# json_to_binary in one pass, driven by the decoder's _Tables and a _Wires beside each (the proto
# side of every key: its field number, wire type and how its value is written): the keys of each
# object are read with its _Table, each value is checked as the decoder checks it and remembered
# as a span of the document (or, for an escaped string, of a scratch copy it is unescaped into), a
# nested object as the spans of its own keys and the size of its body, a list as a chain of item
# spans. The protobuf bytes are then written in field-number order, as bridge._speedups writes them
# from the Structs, into one bytes object of the exact size (every length is known before it is
# written: nothing is patched or moved). No Struct, no str, no int is made. Keys of every kind are
# taken (strings, int64, bools, doubles, enums, base64, raw JSON text, messages, lists, maps of
# strings, and unions by the JSON type of their value), and what json_fidelity records of plain
# forms is written as to_kwargs records it: the keys given null or an empty list, and the unknown
# keys and the values of a JSON type their key does not take, as their exact text. Anything else
# (an unknown or escaped enum spelling, a key given twice, an escaped known key, a number that is
# not a plain int64 or an exact double, a list holding a misfit, a null in the envelope, more than
# MAX_PAIRS entries of a map or of unknown keys) declines: json_to_binary's pure twin then decides.
# Base64 that is not canonical (a placeholder word, audio cut short, no padding, the URL-safe
# alphabet, whitespace, escapes, bits set after the last byte) is written as to_kwargs writes a
# Base64Text: the field holds what bridge._base64.lenient reads from it (unset when nothing can be
# read), json_fidelity's base64_text the exact text.

cdef enum:  # how a proto field is written
    W_STR = 1
    W_INT = 2  # int64
    W_B64 = 3  # a (base64) bytes field
    W_BOOL = 4
    W_DOUBLE = 5
    W_ENUM = 6  # a known JSON spelling -> its proto number
    W_RAW = 7  # any JSON value, its exact text as bytes
    W_MSG = 8  # an object of the key's child table: a length-delimited message
    W_CONST = 9  # the tag field of an event that is its envelope's own (response.done): always written
    W_FIDELITY = 10  # json_fidelity: the keys given null or an empty list, the unknown keys and misfits
    W_MAP = 11  # an object of strings: a map<string, string>, its entries in upb's order
    MAX_PAIRS = 16  # entries of a map, or unknown keys and misfits of an object (more: the two-stage path)
    TAG_MAX = 5  # bytes of a field key (a varint of a 32-bit value)
    MAX_ENTRIES = 2 * MAX_KEYS  # proto fields of one table (a union key has one per member)
    # The JSON type of a value, which picks the proto field of its key (the member, for a union).
    J_STRING = 0
    J_NUMBER = 1
    J_OBJECT = 2
    J_ARRAY = 3
    J_BOOL = 4
    J_NULL = 5  # (raw JSON text only: a null elsewhere is recorded in json_fidelity, or declines)
    J_TYPES = 6
    STACK_SPANS = 32  # spans of a document held on the C stack (more: on the heap)


@cython.final
cdef class _Wires:
    """The protobuf side of one _Table: an entry per proto field its keys are written to (a union
    key has one per member), in field-number order, and for each key and JSON type the entry a
    value of that type goes to (-1: it declines); for an event, the envelope's bytes around it."""

    cdef Py_ssize_t n  # entries
    cdef int kind[MAX_ENTRIES]  # W_*
    cdef bint listed[MAX_ENTRIES]  # a repeated field: an array of items of ``kind``
    cdef bint packed[MAX_ENTRIES]  # ... written as one length-delimited run of their varints
    cdef Py_ssize_t key[MAX_ENTRIES]  # the key of the table it holds
    cdef uint8_t tag[MAX_ENTRIES * TAG_MAX]  # the encoded field key
    cdef int taglen[MAX_ENTRIES]
    cdef Py_ssize_t pick[MAX_KEYS * J_TYPES]
    cdef uint64_t texted  # the base64 keys whose text json_fidelity's base64_text keeps when not canonical
    cdef int misfit[MAX_KEYS]  # the JSON types (a bit each) of the values the decoder keeps as text
    cdef bytes constant  # W_CONST: the whole field (key, length, the type's text)
    cdef uint64_t number[MAX_KEYS]  # each key's field number, as json_fidelity names it
    cdef uint64_t nullable  # the keys a null is recorded for (a bit each)
    cdef bint records  # it has a json_fidelity entry: nulls and empty lists are recorded there
    cdef bint keeps  # ... and unknown keys and misfits, their exact text
    cdef Py_ssize_t outer  # the key of the envelope's event_id, or -1
    cdef bint enveloped  # an event in a member of its envelope's oneof
    cdef bytes prefix  # the envelope's type field, this event's type in it
    cdef bytes outer_key  # the envelope's event_id field key
    cdef bytes member_key  # the key of the envelope's oneof member that holds this event


cdef bytes _varint_bytes(uint64_t value):
    cdef uint8_t out[10]
    cdef int n = 0
    while value >= 0x80:
        out[n] = <uint8_t>(value | 0x80)
        value >>= 7
        n += 1
    out[n] = <uint8_t>value
    return PyBytes_FromStringAndSize(<const char*>out, n + 1)


#: A scalar proto type -> its kind, wire type and the JSON type of its values.
cdef dict _SCALARS = {
    FieldDescriptor.TYPE_STRING: (W_STR, 2, J_STRING),
    FieldDescriptor.TYPE_INT64: (W_INT, 0, J_NUMBER),
    FieldDescriptor.TYPE_BOOL: (W_BOOL, 0, J_BOOL),
    FieldDescriptor.TYPE_DOUBLE: (W_DOUBLE, 1, J_NUMBER),
}
#: The fields of json_fidelity the writer records (its first two: the rest decline).
cdef tuple _FIDELITY_FIELDS = tuple(_schema.FIDELITY.DESCRIPTOR.fields[:2])
#: Whether json_fidelity's fifth field is base64_text, a map<uint32, string> (what _write_object writes).
cdef bint _keeps_base64 = (lambda field: (field.name, field.number) == ("base64_text", 5) and field.message_type is not None
                           and field.message_type.GetOptions().map_entry
                           and (field.message_type.fields_by_name["key"].number, field.message_type.fields_by_name["key"].type,
                                field.message_type.fields_by_name["value"].number, field.message_type.fields_by_name["value"].type)
                           == (1, FieldDescriptor.TYPE_UINT32, 2, FieldDescriptor.TYPE_STRING))(_schema.FIDELITY.DESCRIPTOR.fields_by_number[5])
#: Whether json_fidelity's third field is unknown_keys, a map<string, bytes> (what _scan_object writes).
cdef bint _keeps_text = (lambda field: (field.name, field.number) == ("unknown_keys", 3) and field.message_type is not None
                         and field.message_type.GetOptions().map_entry
                         and (field.message_type.fields_by_name["key"].number, field.message_type.fields_by_name["key"].type,
                              field.message_type.fields_by_name["value"].number, field.message_type.fields_by_name["value"].type)
                         == (1, FieldDescriptor.TYPE_STRING, 2, FieldDescriptor.TYPE_BYTES))(_schema.FIDELITY.DESCRIPTOR.fields[2])


cdef int _misfits(int accept) noexcept:
    """The JSON types (J_* bits) of the values a key of ``accept`` does not take, which the decoder
    keeps as their text (as :func:`_value` says _MISFIT: never for raw text; for a list, anything
    but an array)."""
    cdef int taken = 0
    if accept & A_RAW:
        return 0
    if accept & A_LIST:
        taken = 1 << J_ARRAY
    else:
        if accept & (A_STR | A_BASE64):
            taken |= 1 << J_STRING
        if accept & (A_OBJECT | A_MAP):
            taken |= 1 << J_OBJECT
        if accept & (A_INT | A_NUMBER):
            taken |= 1 << J_NUMBER
        if accept & A_BOOL:
            taken |= 1 << J_BOOL
    if accept & A_NULL:
        taken |= 1 << J_NULL
    return ((1 << J_TYPES) - 1) & ~taken


#: The kinds whose lists protobuf packs (a run of varints) when the field is packed.
cdef tuple _PACKABLE = (W_INT, W_ENUM, W_BOOL)


cdef int _add_entry(_Wires wires, Py_ssize_t key, int kind, int wiretype, int number, bint listed, bint packed,
                    tuple types) except -1:
    cdef Py_ssize_t e = wires.n
    if e == MAX_ENTRIES:
        raise TypeError(f"more than {MAX_ENTRIES} proto fields in one table")
    if packed:
        wiretype = 2
    tag = _varint_bytes((<uint64_t>number << 3) | wiretype)
    wires.kind[e] = kind
    wires.listed[e] = listed
    wires.packed[e] = packed
    wires.key[e] = key
    wires.taglen[e] = len(tag)
    memcpy(&wires.tag[e * TAG_MAX], <const char*>tag, len(tag))
    for t in types:
        wires.pick[key * J_TYPES + <int>t] = e
    wires.n += 1
    return 0


cdef _Wires _new_wires(plan, _Table table):
    """The _Wires of a plan's table, or None when it is an event whose envelope is not laid out as
    bridge._speedups writes it (type < event_id < the member), or a generic one. An event's type is
    the envelope's prefix (or, for an event that is its envelope's own, a W_CONST entry); its
    event_id, the envelope's field, is picked as MAX_ENTRIES (written before the member). A key of
    a kind not written in one pass (a field without presence, a list of bools or doubles, a map of
    other than strings) gets no entry: given, it declines."""
    cdef _Wires wires = _Wires.__new__(_Wires)
    cdef Py_ssize_t i, k
    cdef int kind, wiretype, json_type
    cdef uint64_t texted = 0
    envelope = plan.envelope
    if plan.extra_is_data or (envelope is not None and (plan.tag is None or len(plan.outer) > 1)):
        return None
    for k in range(MAX_KEYS * J_TYPES):
        wires.pick[k] = -1
    wires.outer = -1
    wires.enveloped = envelope is not None
    descriptor = plan.pb.DESCRIPTOR
    entries = []  # (number, key, kind, wiretype, listed, packed, JSON types)
    for i in range(table.n):
        name = (<bytes>table.key_ptr[i][:table.key_len[i]]).decode("utf-8")
        if i == table.tag_index:
            if envelope is None:  # the tag is a string field of this message, written as a constant
                proto = descriptor.fields_by_name[plan.tag[0]]
                if proto.type != FieldDescriptor.TYPE_STRING:
                    return None
                text = plan.tag[1].encode("utf-8")
                wires.constant = _varint_bytes((<uint64_t>proto.number << 3) | 2) + _varint_bytes(len(text)) + text
                entries.append((proto.number, i, W_CONST, 2, False, False, ()))
            continue
        field = plan.by_name[name]
        wires.number[i] = field.number
        if table.accept[i] & A_NULL and not table.accept[i] & A_RAW and not field.outer:
            wires.nullable |= (<uint64_t>1) << i
        if field.outer:
            proto = envelope.pb.DESCRIPTOR.fields_by_number[field.number]
            if (proto.type != FieldDescriptor.TYPE_STRING or not proto.has_presence
                    or not envelope.type_field.number < field.number < envelope.number):
                return None
            wires.outer = i
            wires.outer_key = _varint_bytes((<uint64_t>field.number << 3) | 2)
            wires.pick[i * J_TYPES + J_STRING] = MAX_ENTRIES  # (read as a string; not in the body)
            continue
        for member in field.choices:
            proto = descriptor.fields_by_number[member.number]
            listed = member.repeated
            if not listed and not proto.has_presence and member.kind is not FieldKind.MAP:
                continue  # (a zero or an empty string would not be written)
            if member.kind is FieldKind.MESSAGE:
                kind, wiretype, json_type = W_MSG, 2, J_OBJECT
            elif member.kind is FieldKind.ENUM:
                kind, wiretype, json_type = W_ENUM, 0, J_STRING
            elif member.kind is FieldKind.BASE64:
                kind, wiretype, json_type = W_B64, 2, J_STRING
                if not listed and len(field.choices) == 1 and member.number == field.number:
                    texted |= (<uint64_t>1) << i  # (a Base64Text in a list or a union: to_kwargs keeps no text)
            elif member.kind is FieldKind.MAP:
                entry = proto.message_type.fields_by_name
                if (entry["key"].number, entry["key"].type, entry["value"].number, entry["value"].type) == (
                        1, FieldDescriptor.TYPE_STRING, 2, FieldDescriptor.TYPE_STRING):
                    entries.append((member.number, i, W_MAP, 2, True, False, (J_OBJECT,)))
                continue
            elif member.kind is FieldKind.RAW and not listed:
                entries.append((member.number, i, W_RAW, 2, False, False, (J_STRING, J_NUMBER, J_OBJECT, J_ARRAY, J_BOOL, J_NULL)))
                continue
            elif member.kind is FieldKind.SCALAR and proto.type in _SCALARS:
                kind, wiretype, json_type = _SCALARS[proto.type]
            else:
                continue
            packed = listed and kind in _PACKABLE and proto.is_packed
            if listed and not packed and wiretype != 2:  # (a list of doubles, or of unpacked varints)
                continue
            types = (<object>J_ARRAY,) if listed else (<object>json_type,)
            entries.append((member.number, i, kind, wiretype, listed, packed, types))
    fidelity = descriptor.fields_by_name.get(_schema.FIDELITY_FIELD)
    if fidelity is None or tuple((f.name, f.number, f.type, f.is_packed) for f in _FIDELITY_FIELDS) != (
            ("null_fields", 1, FieldDescriptor.TYPE_UINT32, True), ("empty_fields", 2, FieldDescriptor.TYPE_UINT32, True)):
        wires.nullable = 0  # (nothing is recorded: a null, an empty list declines)
    else:
        wires.records = True
        wires.keeps = _keeps_text
        wires.texted = texted if _keeps_base64 else 0
        entries.append((fidelity.number, -1, W_FIDELITY, 2, False, False, ()))
    entries.sort()
    for number, i, kind, wiretype, listed, packed, types in entries:
        _add_entry(wires, i, kind, wiretype, number, listed, packed, types)
    for i in range(table.n):
        wires.misfit[i] = 0 if i == table.tag_index else _misfits(table.accept[i])
    if envelope is not None:
        if wires.outer_key is None:
            wires.outer_key = b""
        wires.prefix = envelope.pb(type=plan.tag[1]).SerializeToString()
        wires.member_key = _varint_bytes((<uint64_t>envelope.number << 3) | 2)
    return wires


cdef int _add_wires() except -1:
    cdef _Table table
    for (plan, strict), table in _TABLES.items():
        if not strict:
            table.wires = _new_wires(plan, table)
    return 0


_add_wires()


cdef struct Span:  # a value, as json_to_binary writes it
    const uint8_t* start  # a string's UTF-8, base64 or raw JSON text
    Py_ssize_t size  # its bytes; a message's body; a packed list's run of varints
    uint64_t number  # an int64 (two's complement), a bool, an enum, a double's bits; base64's
                     # decoded size; the keys a message holds (a bit each)
    Py_ssize_t wire_size  # the bytes after its field key (a list: every item, with their keys)
    Py_ssize_t entry  # the _Wires entry it is written to
    Py_ssize_t child  # a message: the first of its spans (one a key); a list: its first item;
                      # base64: the address of the bytes it is read as (see _b64_data)
    Py_ssize_t next  # a list item: the next one, or -1
    uint64_t empties  # after an object's spans, one for the object: the keys given an empty list
                      # (its ``number``: those given null; its ``size``: what json_fidelity holds;
                      # its ``entry``: those given base64 that is not canonical, see _texts)
    # (64 bytes, a cache line: with two fields more every document measured a few percent slower,
    # hence the fields shared above)


cdef inline const uint8_t* _b64_data(const Span* span) noexcept:
    """The bytes a base64 span is read as (a bytes object the Scratch keeps), kept in its ``child``."""
    return <const uint8_t*>span.child


cdef inline uint64_t _texts(const Span* meta) noexcept:
    """The keys of an object given base64 that is not canonical (a bit each), kept in the ``entry``
    of the span after its keys' (which is no key's)."""
    return <uint64_t>meta.entry


cdef struct Spans:  # every span of one document: on the stack, on the heap when there are more
    Span* data
    Py_ssize_t n
    Py_ssize_t cap
    bint heap


cdef Py_ssize_t _new_spans(Spans* spans, Py_ssize_t n) except -1:
    """``n`` more spans; the index of the first (the array may move: spans are named by index)."""
    cdef Span* grown
    cdef Py_ssize_t first = spans.n
    if spans.n + n > spans.cap:
        grown = <Span*>PyMem_Malloc((spans.cap * 2 + n) * sizeof(Span))
        if grown == NULL:
            raise MemoryError
        memcpy(grown, spans.data, spans.n * sizeof(Span))
        if spans.heap:
            PyMem_Free(spans.data)
        spans.data, spans.cap, spans.heap = grown, spans.cap * 2 + n, True
    spans.n += n
    return first


cdef struct Scratch:  # where escaped strings are unescaped (each fits in its own escaped size)
    uint8_t* data  # allocated for the first one
    Py_ssize_t size
    Py_ssize_t cap  # the document's size
    PyObject* kept  # the bytes base64 was decoded to: NULL, the first, or a list of them



cdef int _check_utf8(const uint8_t* p, const uint8_t* end) except -1:
    """Decline invalid UTF-8 (what Python's strict decoder refuses, as :func:`_from_utf8` does)."""
    cdef int n
    while p < end:
        p += rt_ascii(p, end)
        if p >= end:
            break
        n = utf8_length(p, end - p)
        if n == 0:
            _decline()
        p += n
    return 0


cdef int _unescape_into(const Str* st, Scratch* scratch, Span* out) except -1:
    """The UTF-8 of a scanned string that holds escapes (validated by the scan: no lone surrogate),
    written at the end of ``scratch`` by :func:`_unescape`, as :func:`_unescaped` reads it."""
    cdef uint8_t* start
    cdef uint8_t* written
    cdef Py_ssize_t cont = 0
    cdef int kind = 0
    if scratch.data == NULL:  # the first escaped string: room for all of them (the document's size)
        scratch.data = <uint8_t*>PyMem_Malloc(scratch.cap)
        if scratch.data == NULL:
            raise MemoryError
    if scratch.size + st.size > scratch.cap:  # (never: each one fits in its own escaped size)
        _decline()
    start = scratch.data + scratch.size
    written = _unescape(st.start, st.start + st.size, start, &cont, &kind)
    _check_utf8(start, written)
    out.start = start
    out.size = written - start
    scratch.size += out.size
    return 0


cdef int _flat_string(Scan* s, Scratch* scratch, Span* out) except -1:
    """A JSON string value as UTF-8 (declines any other JSON type: the decoder keeps it as text)."""
    cdef Str st
    if s.p >= s.end or s.p[0] != 34:
        _decline()
    _string(s, &st)
    if st.escaped:
        _unescape_into(&st, scratch, out)
    else:
        if st.kind:
            _check_utf8(st.start, st.start + st.size)
        out.start, out.size = st.start, st.size
    out.wire_size = _varint_size(out.size) + out.size
    return 0


cdef int _flat_int(Scan* s, Span* out) except -1:
    """A JSON integer within int64, as the decoder takes it (19 digits at most fit a uint64);
    anything else declines."""
    cdef const uint8_t* p = s.p
    cdef bint negative = False
    cdef uint64_t value = 0
    cdef int digits = 0
    if p < s.end and p[0] == 45:
        negative = True
        p += 1
    if p >= s.end or not 48 <= p[0] <= 57:
        _decline()
    if p[0] == 48:
        p += 1
    else:
        while p < s.end and 48 <= p[0] <= 57:
            if digits == 19:
                _decline()
            value = value * 10 + (p[0] - 48)
            digits += 1
            p += 1
    if p < s.end and (48 <= p[0] <= 57 or p[0] == 46 or p[0] == 101 or p[0] == 69):
        _decline()
    if value > (9223372036854775808ULL if negative else 9223372036854775807ULL):
        _decline()
    s.p = p
    out.number = (0 - value) if negative else value
    out.wire_size = _varint_size(out.number)
    return 0


cdef int _flat_bool(Scan* s, Span* out) except -1:
    """``true`` or ``false``; anything else declines."""
    if s.p < s.end and s.p[0] == 116:
        _literal(s, b"true", 4)
        out.number = 1
    elif s.p < s.end and s.p[0] == 102:
        _literal(s, b"false", 5)
        out.number = 0
    else:
        _decline()
    out.wire_size = 1
    return 0


cdef int _flat_double(Scan* s, Span* out) except -1:
    """A JSON number as the decoder reads it for a double (an integer within int64, or a finite
    number correctly rounded), as its 64 bits; an integer that has no exact double declines (the
    two-stage path refuses it)."""
    cdef double value
    cdef long long whole
    if s.p >= s.end or not (s.p[0] == 45 or 48 <= s.p[0] <= 57):
        _decline()
    number = _number(s, A_NUMBER)
    if PyLong_CheckExact(number):
        whole = number
        value = <double>whole
        # exact when it converts back (2**63 itself is beyond int64: never exact)
        if value >= 9223372036854775808.0 or <long long>value != whole:
            _decline()
    else:
        value = PyFloat_AS_DOUBLE(number)
    memcpy(&out.number, &value, 8)
    out.wire_size = 8
    return 0


cdef int _flat_enum(Scan* s, Spellings* spelling, Span* out) except -1:
    """A known spelling of the enum, as its number (an unknown or escaped one declines: the
    two-stage path keeps the text)."""
    cdef Py_ssize_t known = _spelling_at(spelling, s.p, s.end) if s.p < s.end and s.p[0] == 34 else -1
    if known < 0:
        _decline()
    s.p += spelling.size[known] + 2
    out.number = spelling.number[known]
    out.wire_size = _varint_size(out.number)
    return 0


cdef inline uint8_t* _write_fixed64(uint8_t* out, uint64_t value) noexcept:
    """``value`` little-endian, as protobuf writes a double's bits."""
    cdef int k
    for k in range(8):
        out[k] = <uint8_t>(value >> (8 * k))
    return out + 8


cdef int _keep(Scratch* scratch, object value) except -1:
    """Hold ``value`` (decoded base64, which a span points into) until the document is written:
    the first one itself (most documents have one), more in a list."""
    cdef PyObject* first = scratch.kept
    if first == NULL:
        Py_INCREF(value)
        scratch.kept = <PyObject*>value
    elif PyList_CheckExact(<object>first):
        (<list>first).append(value)
    else:
        kept = [<object>first, value]
        Py_INCREF(kept)
        scratch.kept = <PyObject*>kept
        Py_DECREF(<object>first)
    return 0


cdef object _decoded(const uint8_t* text, Py_ssize_t n):
    """The bytes of standard, padded base64 (pybase64 with validate=True: the standard alphabet,
    padding only at the end; the unused bits ignored, as msgspec's decoder ignores them), or None."""
    try:
        return _B64DECODE(PyMemoryView_FromMemory(<char*>text, n, PyBUF_READ), None, True)
    except ValueError:  # (binascii.Error)
        return None


cdef extern from *:
    """
    /* bridge._base64.lenient's reading of base64 text p[0..n): whitespace (a space, \t \n \v \f \r)
       dropped, "-" and "_" read as "+" and "/", every other byte kept; the bytes written at out,
       their number returned. *seen gets 1 when a byte was dropped or read otherwise, 2 when a
       dropped one was a control character (JSON has those escaped). 16 bytes at a time with SSE2
       (out: room for n + 32 bytes), a byte at a time elsewhere. */
    static inline Py_ssize_t rt_b64_byte(uint8_t c, uint8_t* out, Py_ssize_t d, int* seen) {
        if (c == 0x20 || (c >= 0x09 && c <= 0x0D)) {
            *seen |= c == 0x20 ? 1 : 3;
            return d;
        }
        if (c == 0x2D || c == 0x5F) {
            *seen |= 1;
            c = c == 0x2D ? 0x2B : 0x2F;
        }
        out[d] = c;
        return d + 1;
    }

    #if defined(__SSE2__)
    static inline __m128i rt_b64_standard(__m128i v) {  /* "-" and "_" read as "+" and "/" */
        __m128i isd = _mm_cmpeq_epi8(v, _mm_set1_epi8(0x2D)), isu = _mm_cmpeq_epi8(v, _mm_set1_epi8(0x5F));
        return _mm_or_si128(_mm_andnot_si128(_mm_or_si128(isd, isu), v),
                            _mm_or_si128(_mm_and_si128(isd, _mm_set1_epi8(0x2B)), _mm_and_si128(isu, _mm_set1_epi8(0x2F))));
    }
    #endif

    static Py_ssize_t rt_b64_digits(const uint8_t* p, Py_ssize_t n, uint8_t* out, int* seen) {
        Py_ssize_t i = 0, k, d = 0;
    #if defined(__SSE2__)
        const __m128i space = _mm_set1_epi8(0x20), below = _mm_set1_epi8(0x08), above = _mm_set1_epi8(0x0E);
        const __m128i dash = _mm_set1_epi8(0x2D), under = _mm_set1_epi8(0x5F);
        const __m128i plus = _mm_set1_epi8(0x2B), slash = _mm_set1_epi8(0x2F);
        for (; n - i >= 16; i += 16) {
            __m128i v = _mm_loadu_si128((const __m128i*)(p + i));
            __m128i isd = _mm_cmpeq_epi8(v, dash), isu = _mm_cmpeq_epi8(v, under);
            __m128i other = _mm_or_si128(isd, isu), low = _mm_cmpeq_epi8(_mm_min_epu8(v, space), v);
            if (!_mm_movemask_epi8(_mm_or_si128(other, low))) {  /* no byte up to a space, no "-" or "_" */
                _mm_storeu_si128((__m128i*)(out + d), v);
                d += 16;
                continue;
            }
            if (!_mm_movemask_epi8(low)) {  /* URL-safe digits only */
                *seen |= 1;
                _mm_storeu_si128((__m128i*)(out + d), _mm_or_si128(
                    _mm_andnot_si128(other, v), _mm_or_si128(_mm_and_si128(isd, plus), _mm_and_si128(isu, slash))));
                d += 16;
                continue;
            }
            if (_mm_movemask_epi8(other)) *seen |= 1;
            /* (signed compares: a byte >= 0x80 is below 0x08) */
            unsigned ws = (unsigned)_mm_movemask_epi8(_mm_or_si128(
                _mm_cmpeq_epi8(v, space), _mm_and_si128(_mm_cmpgt_epi8(v, below), _mm_cmplt_epi8(v, above))));
            if (!ws) {  /* (control characters, which no decoder takes: kept) */
                _mm_storeu_si128((__m128i*)(out + d), rt_b64_standard(v));
                d += 16;
                continue;
            }
            if (n - i < 32) {  /* (the runs below read up to 31 bytes on) */
                for (k = 0; k < 16; k++) d = rt_b64_byte(p[i + k], out, d, seen);
                continue;
            }
            /* the runs between whitespace, each read and stored whole (16 bytes) where the last
               one ended: d <= i + 15 here, so a store ends before out + n + 31 */
            int from = 0;
            *seen |= 1;
            while (ws) {
                int at = __builtin_ctz(ws);
                _mm_storeu_si128((__m128i*)(out + d), rt_b64_standard(_mm_loadu_si128((const __m128i*)(p + i + from))));
                d += at - from;
                if (p[i + at] != 0x20) *seen |= 2;
                from = at + 1;
                ws &= ws - 1;
            }
            _mm_storeu_si128((__m128i*)(out + d), rt_b64_standard(_mm_loadu_si128((const __m128i*)(p + i + from))));
            d += 16 - from;
        }
    #endif
        for (; i < n; i++) d = rt_b64_byte(p[i], out, d, seen);
        return d;
    }

    /* Whether p[0..n) holds none of the bytes that make base64 not canonical most often (a
       backslash, "-", "_", a space), 16 bytes at a time with SSE2 (n rounded down; true elsewhere:
       a guess, which the decoder then checks). */
    static inline int rt_b64_plain(const uint8_t* p, Py_ssize_t n) {
    #if defined(__SSE2__)
        const __m128i backslash = _mm_set1_epi8(0x5C), dash = _mm_set1_epi8(0x2D);
        const __m128i under = _mm_set1_epi8(0x5F), space = _mm_set1_epi8(0x20);
        Py_ssize_t i;
        for (i = 0; n - i >= 16; i += 16) {
            __m128i v = _mm_loadu_si128((const __m128i*)(p + i));
            if (_mm_movemask_epi8(_mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, backslash), _mm_cmpeq_epi8(v, dash)),
                                               _mm_or_si128(_mm_cmpeq_epi8(v, under), _mm_cmpeq_epi8(v, space)))))
                return 0;
        }
    #endif
        return 1;
    }
    """
    Py_ssize_t rt_b64_digits(const uint8_t*, Py_ssize_t, uint8_t*, int*) noexcept nogil
    bint rt_b64_plain(const uint8_t*, Py_ssize_t) noexcept nogil


#: How many bytes of a base64 string rt_b64_plain looks at before pybase64 is asked to decode it
#: as canonical (a failed decode costs as much as a good one): enough for the first line break of
#: MIME's and PEM's lines (76 and 64 characters), and most URL-safe text (1 in 12 has neither "-"
#: nor "_" in its first 80 characters), which are then read the other way at once.
cdef Py_ssize_t _GLANCE = 80


cdef object _padded(uint8_t* digits, Py_ssize_t d):
    """The bytes of ``digits[:d]`` (room for 3 more after them) read as lenient reads its digits:
    trailing padding dropped, then restored; None when that fails."""
    while d and digits[d - 1] == 61:  # "="
        d -= 1
    if d % 4 == 1:
        return None
    while d % 4:
        digits[d] = 61
        d += 1
    return _decoded(digits, d)


cdef object _lenient(const uint8_t* text, Py_ssize_t n, int* seen, bint as_is):
    """What ``bridge._base64.lenient`` reads from the base64 text ``text[:n]`` (its UTF-8): bytes,
    or None (``seen``: what :c:func:`rt_b64_digits` saw). First, when ``as_is``, the text as it
    stands, only its padding mended (a placeholder, audio cut short: a decoder that takes it finds
    nothing to drop or read otherwise); then its digits, what that drops and reads otherwise of
    them, padded and decoded by pybase64 (which takes what msgspec's decoder takes). A character
    beyond ASCII fails here as it does there: no decoder takes its bytes or it."""
    cdef uint8_t* digits = <uint8_t*>PyMem_Malloc(n + 32)  # (what rt_b64_digits may write; 3 "=" after them)
    if digits == NULL:
        raise MemoryError
    try:
        if as_is:
            memcpy(digits, text, n)
            value = _padded(digits, n)
            if value is not None:
                return value
        return _padded(digits, rt_b64_digits(text, n, digits, seen))
    finally:
        PyMem_Free(digits)


cdef int _flat_base64(Scan* s, Scratch* scratch, Span* out) except -1:
    """A base64 string: 0 canonical; 1 not, read as ``bridge._base64.lenient`` reads it (its exact
    text, in ``out.start``, is json_fidelity's); 2 not, and nothing can be read from it. Its bytes
    are decoded here (:func:`_b64_data`, kept by ``scratch``), canonical text by one pass of pybase64
    over the document's bytes (up to the first quote). Other text without a backslash is read as
    it stands (when all of it is read: else the long way, which also declines what is not a JSON
    string); the long way, the string is unescaped first (escaped canonical text is canonical)."""
    cdef const uint8_t* start
    cdef const uint8_t* end
    cdef Py_ssize_t n
    cdef int seen = 0, kept = 1
    cdef bint plain, shaped
    if s.p >= s.end or s.p[0] != 34:
        _decline()
    start = s.p + 1
    end = <const uint8_t*>memchr(start, 34, s.end - start)
    value = None
    if end != NULL:
        n = end - start
        plain = rt_b64_plain(start, n if n < _GLANCE else _GLANCE)
        shaped = plain and _b64_canonical_shape(start, n)
        if shaped:
            value = _decoded(start, n)
            kept = value is None
        if value is None and memchr(start, 92, n) == NULL:  # no escape: the text is these bytes
            # (as it stands only when that was not tried: with a canonical shape it is the same text)
            value = _lenient(start, n, &seen, plain and not shaped)
            if seen & 2:  # (a control character: the long way declines it)
                value = None
    if value is not None:
        out.start, out.size = start, end - start
        s.p = end + 1
    else:
        _flat_string(s, scratch, out)  # the exact text: unescaped, its UTF-8 checked
        seen = 0
        value = _lenient(out.start, out.size, &seen, False)
        if value is None:
            out.number, out.wire_size = 0, 0
            return 2
        kept = seen & 1 or not _b64_canonical_shape(out.start, out.size)  # (escaped, else it is not canonical)
    _keep(scratch, value)
    n = PyBytes_GET_SIZE(value)
    out.child = <Py_ssize_t>PyBytes_AS_STRING(value)  # (_b64_data)
    out.number = <uint64_t>n  # the decoded size
    out.wire_size = _varint_size(n) + n
    return kept


cdef inline int _json_type(uint8_t c) noexcept:
    """The J_* type of the JSON value that starts with ``c`` (-1: not a JSON value)."""
    if c == 34:
        return J_STRING
    if c == 45 or 48 <= c <= 57:
        return J_NUMBER
    if c == 123:
        return J_OBJECT
    if c == 91:
        return J_ARRAY
    if c == 116 or c == 102:
        return J_BOOL
    if c == 110:
        return J_NULL
    return -1


cdef inline int _scan_value(Scan* s, _Table table, Py_ssize_t i, int kind, Spans* spans, Py_ssize_t at,
                     Scratch* scratch) except -1:
    """A single value of key ``i`` of ``table`` (a field's, or an item of its list) into span ``at``;
    each reader declines a value of another JSON type. 0; for base64 that is not canonical, what
    :func:`_flat_base64` says of it."""
    cdef Span* out = &spans.data[at]  # (valid until the spans grow: a message's are made below)
    cdef Py_ssize_t child, body
    cdef uint64_t seen
    if kind == W_STR:
        _flat_string(s, scratch, out)
    elif kind == W_INT:
        _flat_int(s, out)
    elif kind == W_B64:
        return _flat_base64(s, scratch, out)
    elif kind == W_ENUM:
        _flat_enum(s, table.spelling[i], out)
    elif kind == W_BOOL:
        _flat_bool(s, out)
    elif kind == W_DOUBLE:
        _flat_double(s, out)
    elif kind == W_RAW:  # its exact text, validated as the decoder validates it
        _kept_text(s, out)
    elif kind == W_MSG:
        if s.p >= s.end or s.p[0] != 123:
            _decline()
        child = _scan_object(s, <_Table>table.child[i], spans, scratch, &seen, &body)
        out = &spans.data[at]
        out.child, out.number, out.size = child, seen, body
        out.wire_size = _varint_size(body) + body
    else:
        _decline()
    return 0


cdef int _scan_list(Scan* s, _Table table, Py_ssize_t i, _Wires wires, Py_ssize_t e, Spans* spans, Py_ssize_t at,
                    Scratch* scratch) except -1:
    """The array of key ``i`` (entry ``e``: a repeated field) into span ``at``: its items, chained;
    1 (and no span) for an empty one, which the two-stage path records in json_fidelity."""
    cdef int kind = wires.kind[e]
    cdef Py_ssize_t item, last = -1, first = -1, payload = 0
    cdef Span* out
    if _open(s, 93):
        s.depth -= 1
        return 1
    while True:
        _ws(s)
        item = _new_spans(spans, 1)
        if _scan_value(s, table, i, kind, spans, item, scratch):  # (a Base64Text in a list: its text is not kept)
            _decline()
        spans.data[item].next = -1
        if last >= 0:
            spans.data[last].next = item
        else:
            first = item
        last = item
        payload += spans.data[item].wire_size if wires.packed[e] else wires.taglen[e] + spans.data[item].wire_size
        if _more(s, 93):
            break
    s.depth -= 1
    out = &spans.data[at]
    out.child = first
    out.size = payload
    out.wire_size = _varint_size(payload) + payload if wires.packed[e] else payload
    return 0


cdef int _scan_map(Scan* s, int taglen, Spans* spans, Py_ssize_t at, Scratch* scratch) except -1:
    """The object of strings at ``s.p`` into span ``at``: its entries (a span for the key, the next
    one for the value), chained by :func:`_chain_entries`; 1 (and no span) for an empty one. More
    than MAX_PAIRS declines."""
    cdef Py_ssize_t order[MAX_PAIRS]
    cdef Py_ssize_t n = 0, item
    cdef Span* a
    if _open(s, 125):
        s.depth -= 1
        return 1
    while True:
        if n == MAX_PAIRS:
            _decline()
        _quote(s)
        item = _new_spans(spans, 2)
        _flat_string(s, scratch, &spans.data[item])
        _expect(s, 58)
        _ws(s)
        _flat_string(s, scratch, &spans.data[item + 1])
        order[n] = item
        n += 1
        if _more(s, 125):
            break
    s.depth -= 1
    a = &spans.data[at]
    a.size = a.wire_size = _chain_entries(spans, order, n, taglen)
    a.child = order[0]
    return 0


cdef Py_ssize_t _chain_entries(Spans* spans, Py_ssize_t* order, Py_ssize_t n, int taglen) except -1:
    """Chain the map entries ``order[:n]`` (each a key's span, its value's after it) in the order
    upb's deterministic serializer writes them (bytewise, but a key after every key it is a prefix
    of, as bridge._speedups' _map_order says); the bytes they take with their field keys
    (``taglen``). A key given twice declines (the last one wins there: the pure path decides)."""
    cdef Py_ssize_t k, j, payload = 0, inner
    cdef Span* a
    cdef Span* b
    cdef int c
    for k in range(1, n):  # insertion sort: a handful of entries
        j = k
        while j > 0:
            a, b = &spans.data[order[j - 1]], &spans.data[order[j]]
            c = memcmp(a.start, b.start, a.size if a.size < b.size else b.size)
            if c == 0 and a.size == b.size:
                _decline()
            if c < 0 or (c == 0 and a.size > b.size):
                break
            order[j - 1], order[j] = order[j], order[j - 1]
            j -= 1
    for k in range(n):
        a, b = &spans.data[order[k]], &spans.data[order[k] + 1]
        inner = a.wire_size + b.wire_size + 2  # (the entry's key field 1 and value field 2: a byte each)
        a.number = <uint64_t>inner
        a.next = order[k + 1] if k + 1 < n else -1
        payload += taglen + _varint_size(inner) + inner
    return payload


cdef int _kept_text(Scan* s, Span* out) except -1:
    """The exact text of the JSON value at ``s.p`` (validated, passed over), as the decoder keeps it."""
    cdef const uint8_t* start = s.p
    _skip(s)
    out.start, out.size = start, s.p - start
    out.wire_size = _varint_size(out.size) + out.size
    return 0


cdef Py_ssize_t _scan_object(Scan* s, _Table table, Spans* spans, Scratch* scratch, uint64_t* seen_out,
                             Py_ssize_t* body_out) except -1:
    """The object at ``s.p`` (its opening brace): a span for each of its keys (the first returned),
    the keys it holds (``seen_out``, a bit each) and the size of its message body (``body_out``)."""
    cdef _Wires wires
    cdef Str key
    cdef Py_ssize_t base, index, previous = MAX_KEYS, e, i, body = 0, nulls_size = 0, empties_size = 0
    cdef Py_ssize_t extras[MAX_PAIRS]  # the unknown keys and the misfits: json_fidelity's unknown_keys
    cdef Py_ssize_t nextras = 0, item, entry
    cdef uint64_t seen = 0, bit, nulls = 0, empties = 0, texts = 0
    cdef int json_type, kept
    cdef Span* meta
    cdef Span* name
    if table.wires is None:
        _decline()
    wires = <_Wires>table.wires
    base = _new_spans(spans, table.n + 1)
    if not _open(s, 125):
        while True:
            _quote(s)
            index = table.after[previous]
            if index < table.n and table.is_key(index, s.p, s.end):  # the key expected here
                s.p += table.key_len[index] + 2
            else:
                _string(s, &key)
                index = -1 if key.escaped else table.find(key.start, key.size, index)
                if index < 0:  # an unknown key: its name and its exact text kept in json_fidelity
                    if not wires.keeps or nextras == MAX_PAIRS:
                        _decline()
                    item = _new_spans(spans, 2)
                    name = &spans.data[item]
                    if key.escaped:
                        _unescape_into(&key, scratch, name)
                        if table.find(name.start, name.size, 0) >= 0:  # a known key, escaped
                            _decline()
                    else:
                        if key.kind:
                            _check_utf8(key.start, key.start + key.size)
                        name.start, name.size = key.start, key.size
                    name.wire_size = _varint_size(name.size) + name.size
                    _expect(s, 58)
                    _ws(s)
                    _kept_text(s, &spans.data[item + 1])
                    extras[nextras] = item
                    nextras += 1
                    if _more(s, 125):
                        break
                    continue
            _expect(s, 58)
            _ws(s)
            bit = (<uint64_t>1) << index
            if seen & bit:
                _decline()
            seen |= bit
            if index == table.tag_index:
                _skip(s)  # the string that chose this table
            elif s.p < s.end and s.p[0] == 110 and wires.nullable & bit:  # null: recorded in json_fidelity
                _literal(s, b"null", 4)
                nulls |= bit
                spans.data[base + index].entry = -1
            else:
                json_type = _json_type(s.p[0]) if s.p < s.end else -1
                e = wires.pick[index * J_TYPES + json_type] if json_type >= 0 else -1
                if e < 0 and json_type >= 0 and wires.misfit[index] & (1 << json_type) and wires.keeps:
                    # a value of a JSON type the key does not take: its exact text kept in json_fidelity
                    if nextras == MAX_PAIRS:
                        _decline()
                    spans.data[base + index].entry = -1
                    item = _new_spans(spans, 2)
                    name = &spans.data[item]
                    name.start, name.size = <const uint8_t*>table.key_ptr[index], table.key_len[index]
                    name.wire_size = _varint_size(name.size) + name.size
                    _kept_text(s, &spans.data[item + 1])
                    extras[nextras] = item
                    nextras += 1
                elif e < 0:  # a value the two-stage path would not write plainly
                    _decline()
                elif e == MAX_ENTRIES:  # the envelope's event_id
                    spans.data[base + index].entry = e
                    _flat_string(s, scratch, &spans.data[base + index])
                else:
                    spans.data[base + index].entry = e
                    if wires.listed[e]:
                        if (_scan_map(s, wires.taglen[e], spans, base + index, scratch) if wires.kind[e] == W_MAP
                                else _scan_list(s, table, index, wires, e, spans, base + index, scratch)):
                            if not wires.records:
                                _decline()
                            empties |= bit
                            spans.data[base + index].entry = -1
                    elif wires.kind[e] == W_STR:  # (the commonest kinds: read here, one call less)
                        _flat_string(s, scratch, &spans.data[base + index])
                    elif wires.kind[e] == W_INT:
                        _flat_int(s, &spans.data[base + index])
                    else:
                        kept = _scan_value(s, table, index, wires.kind[e], spans, base + index, scratch)
                        if kept:  # base64 that is not canonical: its exact text kept in json_fidelity
                            if not wires.texted & bit:
                                _decline()
                            texts |= bit
                            if kept == 2:  # nothing read from it: the field is left unset
                                spans.data[base + index].entry = -1
            table.after[previous] = index
            previous = index
            if _more(s, 125):
                break
    s.depth -= 1
    if seen & table.required != table.required:
        _decline()
    meta = &spans.data[base + table.n]
    meta.number, meta.empties, meta.size, meta.child = nulls, empties, 0, -1
    meta.entry = <Py_ssize_t>texts  # (_texts)
    if nextras:
        meta.size = _chain_entries(spans, extras, nextras, 1)  # (the field key of unknown_keys: one byte)
        meta.child = extras[0]
    if nulls or empties:
        for i in range(table.n):
            bit = (<uint64_t>1) << i
            if nulls & bit:
                nulls_size += _varint_size(wires.number[i])
            elif empties & bit:
                empties_size += _varint_size(wires.number[i])
        if nulls:
            meta.size += 1 + _varint_size(nulls_size) + nulls_size
        if empties:
            meta.size += 1 + _varint_size(empties_size) + empties_size
    if texts:
        for i in range(table.n):
            if texts & ((<uint64_t>1) << i):  # an entry of base64_text (field 5): the number, the text
                entry = 2 + _varint_size(wires.number[i]) + _varint_size(spans.data[base + i].size) + spans.data[base + i].size
                meta.size += 1 + _varint_size(entry) + entry
    for e in range(wires.n):
        if wires.kind[e] == W_CONST:
            body += len(wires.constant)
            continue
        if wires.kind[e] == W_FIDELITY:
            if meta.size:
                body += wires.taglen[e] + _varint_size(meta.size) + meta.size
            continue
        i = wires.key[e]
        if seen & ((<uint64_t>1) << i) and spans.data[base + i].entry == e:
            body += spans.data[base + i].wire_size
            if not wires.listed[e] or wires.packed[e]:
                body += wires.taglen[e]
    seen_out[0] = seen
    body_out[0] = body
    return base


cdef inline uint8_t* _write_value(uint8_t* out, _Table table, Py_ssize_t i, int kind, const Span* span,
                           const Spans* spans) except NULL:
    """The value of a span (after its field key)."""
    if kind == W_INT or kind == W_BOOL or kind == W_ENUM:
        return _write_varint(out, span.number)
    if kind == W_DOUBLE:
        return _write_fixed64(out, span.number)
    if kind == W_STR or kind == W_RAW:
        out = _write_varint(out, span.size)
        memcpy(out, span.start, span.size)
        return out + span.size
    if kind == W_MSG:
        out = _write_varint(out, span.size)
        return _write_object(out, <_Table>table.child[i], spans, span.child, span.number)
    if kind == W_MAP:  # an entry: the key's span, the value's after it
        out = _write_varint(out, span.number)
        out[0] = 0x0A
        out = _write_varint(out + 1, span.size)
        memcpy(out, span.start, span.size)
        out += span.size
        span = span + 1
        out[0] = 0x12
        out = _write_varint(out + 1, span.size)
        memcpy(out, span.start, span.size)
        return out + span.size
    # W_B64: the bytes decoded when it was read
    out = _write_varint(out, span.number)
    memcpy(out, _b64_data(span), span.number)
    return out + span.number


cdef uint8_t* _write_fidelity(uint8_t* out, _Wires wires, Py_ssize_t n, uint64_t keys, uint8_t tag) noexcept:
    """json_fidelity's ``null_fields`` (``tag`` 0x0A) or ``empty_fields`` (0x12): the numbers of
    ``keys`` (a bit each), packed, in the order of the plan's fields (as the two-stage path lists them)."""
    cdef Py_ssize_t i, size = 0
    if not keys:
        return out
    for i in range(n):
        if keys & ((<uint64_t>1) << i):
            size += _varint_size(wires.number[i])
    out[0] = tag
    out = _write_varint(out + 1, size)
    for i in range(n):
        if keys & ((<uint64_t>1) << i):
            out = _write_varint(out, wires.number[i])
    return out


cdef uint8_t* _write_texts(uint8_t* out, _Table table, _Wires wires, const Spans* spans, Py_ssize_t base,
                           uint64_t keys) noexcept:
    """json_fidelity's ``base64_text`` (field 5, a map<uint32, string>): for each of ``keys`` (a
    bit each; their base64 text not canonical), its field number and the exact text, in the order
    of field numbers (upb's order of map keys)."""
    cdef Py_ssize_t e, i, entry
    cdef const Span* span
    for e in range(wires.n):  # (in field-number order; a key in ``texted`` has one entry)
        i = wires.key[e]
        if wires.kind[e] != W_B64 or i < 0 or not keys & ((<uint64_t>1) << i):
            continue
        span = &spans.data[base + i]
        entry = 2 + _varint_size(wires.number[i]) + _varint_size(span.size) + span.size
        out[0] = 0x2A
        out = _write_varint(out + 1, entry)
        out[0] = 0x08
        out = _write_varint(out + 1, wires.number[i])
        out[0] = 0x12
        out = _write_varint(out + 1, span.size)
        memcpy(out, span.start, span.size)
        out += span.size
    return out


cdef uint8_t* _write_object(uint8_t* out, _Table table, const Spans* spans, Py_ssize_t base,
                            uint64_t seen) except NULL:
    """The message body of an object scanned by :func:`_scan_object`, its fields in number order."""
    cdef _Wires wires = <_Wires>table.wires
    cdef Py_ssize_t e, i, item
    cdef const Span* span
    cdef int kind
    for e in range(wires.n):
        kind = wires.kind[e]
        if kind == W_CONST:
            memcpy(out, <const char*>wires.constant, len(wires.constant))
            out += len(wires.constant)
            continue
        if kind == W_FIDELITY:
            span = &spans.data[base + table.n]
            if span.size:
                memcpy(out, &wires.tag[e * TAG_MAX], wires.taglen[e])
                out = _write_varint(out + wires.taglen[e], span.size)
                out = _write_fidelity(out, wires, table.n, span.number, 0x0A)
                out = _write_fidelity(out, wires, table.n, span.empties, 0x12)
                item = span.child
                while item >= 0:  # unknown_keys (field 3), its entries as a map's
                    out[0] = 0x1A
                    out = _write_value(out + 1, table, -1, W_MAP, &spans.data[item], spans)
                    item = spans.data[item].next
                if _texts(span):
                    out = _write_texts(out, table, wires, spans, base, _texts(span))
            continue
        i = wires.key[e]
        if not seen & ((<uint64_t>1) << i):
            continue
        span = &spans.data[base + i]
        if span.entry != e:  # (a union key: another member's)
            continue
        if not wires.listed[e]:
            memcpy(out, &wires.tag[e * TAG_MAX], wires.taglen[e])
            out += wires.taglen[e]
            if kind == W_STR:  # (the commonest kinds: written here, one call less)
                out = _write_varint(out, span.size)
                memcpy(out, span.start, span.size)
                out += span.size
            elif kind == W_INT:
                out = _write_varint(out, span.number)
            else:
                out = _write_value(out, table, i, kind, span, spans)
        elif wires.packed[e]:
            memcpy(out, &wires.tag[e * TAG_MAX], wires.taglen[e])
            out = _write_varint(out + wires.taglen[e], span.size)
            item = span.child
            while item >= 0:
                out = _write_varint(out, spans.data[item].number)
                item = spans.data[item].next
        else:
            item = span.child
            while item >= 0:
                memcpy(out, &wires.tag[e * TAG_MAX], wires.taglen[e])
                out = _write_value(out + wires.taglen[e], table, i, kind, &spans.data[item], spans)
                item = spans.data[item].next
    return out


cdef object _write_document(Scan* s, _Table table, Spans* spans, Scratch* scratch):
    """The protobuf bytes of the object at ``s.p``: an event (in its envelope) or a response."""
    cdef uint64_t seen
    cdef Py_ssize_t body, total, base
    cdef const Span* outer = NULL
    cdef uint8_t* out
    cdef uint8_t* start
    base = _scan_object(s, table, spans, scratch, &seen, &body)
    cdef _Wires wires = <_Wires>table.wires
    total = body
    if wires.enveloped:
        total += len(wires.prefix) + len(wires.member_key) + _varint_size(body)
        if wires.outer >= 0 and seen & ((<uint64_t>1) << wires.outer) and spans.data[base + wires.outer].entry == MAX_ENTRIES:
            outer = &spans.data[base + wires.outer]
            total += len(wires.outer_key) + outer.wire_size
    result = PyBytes_FromStringAndSize(NULL, total)
    out = <uint8_t*>PyBytes_AS_STRING(result)
    start = out
    if wires.enveloped:
        memcpy(out, <const char*>wires.prefix, len(wires.prefix))
        out += len(wires.prefix)
        if outer != NULL:
            memcpy(out, <const char*>wires.outer_key, len(wires.outer_key))
            out = _write_varint(out + len(wires.outer_key), outer.size)
            memcpy(out, outer.start, outer.size)
            out += outer.size
        memcpy(out, <const char*>wires.member_key, len(wires.member_key))
        out = _write_varint(out + len(wires.member_key), body)
    out = _write_object(out, table, spans, base, seen)
    if out - start != total:  # (cannot be: the sizes above are the sizes written)
        _decline()
    return result


cdef _Table _RESPONSE_TABLE = _TABLES[_schema.RESPONSE_PLAN, False]


cdef object _json_to_binary(data, _Events events, _Table table):
    """``json_to_binary(data)`` (tolerant mode) for an event of ``events`` (its type picks the
    table) or, ``events`` None, an object of ``table`` (a response); None to decline."""
    cdef Py_buffer view
    cdef const char* text
    cdef Py_ssize_t size
    cdef bint is_view = False
    if PyBytes_CheckExact(data):
        text, size = PyBytes_AS_STRING(data), PyBytes_GET_SIZE(data)
    elif PyUnicode_CheckExact(data):
        try:
            text = PyUnicode_AsUTF8AndSize(data, &size)
        except UnicodeError:
            return None
    else:
        try:
            PyObject_GetBuffer(data, &view, PyBUF_SIMPLE)
        except (TypeError, BufferError):
            return None
        text, size, is_view = <const char*>view.buf, view.len, True
    try:
        return _fused(<const uint8_t*>text, size, events, table)
    finally:
        if is_view:
            PyBuffer_Release(&view)


cdef object _fused(const uint8_t* text, Py_ssize_t size, _Events events, _Table table):
    """:func:`_json_to_binary` of the ``size`` bytes at ``text``."""
    cdef Scan s
    cdef Scratch scratch
    cdef Span stack[STACK_SPANS]
    cdef Spans spans
    s.p, s.end, s.depth = text, text + size, 0
    scratch.data, scratch.size, scratch.cap, scratch.kept = NULL, 0, size, NULL
    spans.data, spans.n, spans.cap, spans.heap = stack, 0, STACK_SPANS, False
    try:
        _ws(&s)
        if s.p >= s.end or s.p[0] != 123:
            return None
        if events is not None:
            table = _event_table(s.p, s.end, events, False)
        result = _write_document(&s, table, &spans, &scratch)
        _ws(&s)
        if s.p != s.end:
            return None
        return result
    except _Decline:
        return None
    finally:
        PyMem_Free(scratch.data)
        Py_XDECREF(scratch.kept)
        if spans.heap:
            PyMem_Free(spans.data)


# ------------------------------------------------------------------------------------ entry points


cdef object _decode(data, _Table table, _Events events, bint strict):
    """Decode ``data`` with ``table`` (None: an event of ``events``, its type picks the table); None
    to decline."""
    cdef Py_buffer view
    cdef const char* text
    cdef Py_ssize_t size
    cdef Scan s
    cdef bint is_view = False
    if PyBytes_CheckExact(data):
        text, size = PyBytes_AS_STRING(data), PyBytes_GET_SIZE(data)
    elif PyUnicode_CheckExact(data):  # a subclass is for the pure path (msgspec refuses it)
        try:
            text = PyUnicode_AsUTF8AndSize(data, &size)
        except UnicodeError:  # lone surrogates: the pure path reports them
            return None
    else:
        try:
            PyObject_GetBuffer(data, &view, PyBUF_SIMPLE)
        except (TypeError, BufferError):  # not bytes-like, or not contiguous: the pure path decides
            return None
        text, size, is_view = <const char*>view.buf, view.len, True
    s.p, s.end, s.depth = <const uint8_t*>text, <const uint8_t*>text + size, 0
    try:
        _ws(&s)
        if s.p >= s.end or s.p[0] != 123:
            return None
        if table is None:
            table = _event_table(s.p, s.end, events, strict)
        if strict:
            table = table.strict_table
        obj = _object(&s, table)
        _ws(&s)
        if s.p != s.end:
            return None
        return obj
    except _Decline:
        return None
    finally:
        if is_view:
            PyBuffer_Release(&view)


def decode(data, plan, bint strict=False):
    """``plan.struct`` decoded from a JSON document (checked as strict mode checks it, when
    ``strict``) exactly as the pure path decodes it; None when the pure path must decide."""
    cdef _Table table = _TABLES.get((plan, False))
    if table is None:
        return None
    return _decode(data, table, None, strict)


def decode_event(data, bint strict=False, direction=_schema.SERVER):
    """An event of ``direction`` (a ``bridge._schema.Direction``) decoded exactly as the pure path
    decodes it; None when the pure path must decide."""
    return _decode(data, None, <_Events>_EVENTS[direction], strict)


def in_front_of(pure_decode_event, pure_decode_client_event, pure_decode_response):
    """The public ``decode_event``, ``decode_client_event`` and ``decode_response`` with this
    decoder in front of the pure ones (``bridge.convert``'s), which get every document it declines.
    Compiled functions that take the public names save a Python call: 8% of a typical event, 13% of
    a small one. ``__wrapped__`` is the pure function (its signature and docstring are the public
    ones)."""
    cdef _Table response_table = _TABLES[_schema.RESPONSE_PLAN, False]

    def decode_event(data, *, bint strict=False):
        obj = _decode(data, None, _SERVER, strict)
        return obj if obj is not None else pure_decode_event(data, strict=strict)

    def decode_client_event(data, *, bint strict=False):
        obj = _decode(data, None, _CLIENT, strict)
        return obj if obj is not None else pure_decode_client_event(data, strict=strict)

    def decode_response(data, *, bint strict=False):
        obj = _decode(data, response_table, None, strict)
        return obj if obj is not None else pure_decode_response(data, strict=strict)

    return (functools.update_wrapper(decode_event, pure_decode_event),
            functools.update_wrapper(decode_client_event, pure_decode_client_event),
            functools.update_wrapper(decode_response, pure_decode_response))


def json_to_binary(data, bint strict=False, direction=_schema.SERVER):
    """The protobuf bytes ``bridge.json_to_binary`` makes of an event of ``direction`` (a
    ``bridge._schema.Direction``; None: a response), written in one pass; None when the two-stage
    path must decide."""
    if strict:
        return None
    if direction is None:
        return _json_to_binary(data, None, _RESPONSE_TABLE)
    return _json_to_binary(data, <_Events>_EVENTS[direction], None)


def fused_in_front_of(pure_json_to_binary):
    """The public ``json_to_binary`` with the one-pass writer in front of the two-stage one
    (``bridge.convert``'s), which gets every document it declines: strict mode, and anything not
    plainly written (see :func:`_scan_object`)."""

    def json_to_binary(data, *, kind="event", strict=False):
        if not strict:
            if kind == "event":
                out = _json_to_binary(data, _SERVER, None)
            elif kind == "client_event":
                out = _json_to_binary(data, _CLIENT, None)
            elif kind == "response":
                out = _json_to_binary(data, None, _RESPONSE_TABLE)
            else:
                out = None
            if out is not None:
                return out
        return pure_json_to_binary(data, kind=kind, strict=strict)

    return functools.update_wrapper(json_to_binary, pure_json_to_binary)


# ------------------------------------------------------------------------------- a log's lines
# bridge.batch's _frames_of_lines, compiled: a run of JSON lines of a log converted in one call, its
# frames written into one buffer. A plain event whose first key is its type, and a session
# envelope as bridge.session writes it (the routes that module reads without msgspec, read the
# same way with its constants) go straight to the one-pass writer, the frame written here, when
# the writer takes the event and its bytes certainly hold no drift; every other line goes through
# the run's own step (the pure twin's), so the result is the pure twin's.

cdef enum:  # what a run's lines are
    LINES_SESSION, LINES_SERVER, LINES_CLIENT


cdef class _LineFormat:
    """bridge.session's line layout and what the loop calls: see :func:`lines_in_front_of`."""

    cdef bytes server_head, client_head, event_key
    cdef uint8_t server_tag, client_tag, time_tag
    cdef object may_drift
    cdef dict modes


cdef struct Out:  # the frames of a run
    uint8_t* data
    Py_ssize_t size, cap


cdef uint8_t* _room(Out* out, Py_ssize_t n) except NULL:
    """Where ``n`` more bytes go (the buffer grown as needed)."""
    cdef Py_ssize_t cap
    cdef uint8_t* data
    if out.size + n > out.cap:
        cap = max(2 * out.cap, out.size + n)
        data = <uint8_t*>PyMem_Realloc(out.data, cap)
        if data == NULL:
            raise MemoryError()
        out.data, out.cap = data, cap
    return out.data + out.size


cdef inline bint _space(uint8_t c) noexcept:
    """Whether ``c`` is what ``bytes.isspace``/``bytes.strip`` take for whitespace."""
    return c == 32 or 9 <= c <= 13


cdef object _envelope_event(const uint8_t* p, Py_ssize_t size, _LineFormat f, bint* client, uint64_t* received):
    """The event bytes of an envelope as bridge.session writes it (its time read into ``received``),
    or None: what ``bridge.session._record_of_line`` reads at a glance, read the same way."""
    cdef Py_ssize_t head = PyBytes_GET_SIZE(f.server_head)
    cdef Py_ssize_t key = PyBytes_GET_SIZE(f.event_key)
    cdef Py_ssize_t digits = 0, end = size, k
    cdef uint64_t value = 0
    if size < head:
        return None
    if memcmp(p, PyBytes_AS_STRING(f.server_head), head) == 0:
        client[0] = False
    elif memcmp(p, PyBytes_AS_STRING(f.client_head), head) == 0:
        client[0] = True
    else:
        return None
    while digits <= 20 and head + digits < size and 48 <= p[head + digits] <= 57:
        digits += 1
    if not 1 <= digits <= 20 or (p[head] == 48 and digits > 1) or size - head - digits < key:
        return None
    if memcmp(p + head + digits, PyBytes_AS_STRING(f.event_key), key) != 0:
        return None
    for k in range(digits):
        if value > (UINT64_MAX - (p[head + k] - 48)) // 10:  # past 2**64 - 1: the long way says so
            return None
        value = value * 10 + (p[head + k] - 48)
    while end > 0 and _space(p[end - 1]):
        end -= 1
    if end < 1 or p[end - 1] != 125:
        return None
    received[0] = value
    k = head + digits + key
    if end - 1 <= k:
        return None
    return _fused(p + k, end - 1 - k, _CLIENT if client[0] else _SERVER, None)


cdef inline const uint8_t* _blanks(const uint8_t* p, const uint8_t* end) noexcept:
    """Past the spaces and tabs at ``p``."""
    while p < end and (p[0] == 32 or p[0] == 9):
        p += 1
    return p


cdef object _plain_event(const uint8_t* p, Py_ssize_t size, _LineFormat f, bint* client):
    """The event bytes of a plain event whose first key is its type, routed by that type, or None:
    what ``bridge.session._record_of_line`` reads with ``_PLAIN_START``
    (``[ \\t]*{[ \\t]*"type"[ \\t]*:[ \\t]*"``, then the type without escapes), read the same way."""
    cdef const uint8_t* end = p + size
    cdef const uint8_t* q = _blanks(p, end)
    cdef const uint8_t* quote
    if q >= end or q[0] != 123:
        return None
    q = _blanks(q + 1, end)
    if end - q < 6 or memcmp(q, b'"type"', 6) != 0:
        return None
    q = _blanks(q + 6, end)
    if q >= end or q[0] != 58:
        return None
    q = _blanks(q + 1, end)
    if q >= end or q[0] != 34:
        return None
    q += 1
    quote = <const uint8_t*>memchr(q, 34, end - q)
    if quote == NULL or memchr(q, 92, quote - q) != NULL:
        return None
    client[0] = _table_of_type(_CLIENT, q, quote - q) != NULL
    return _fused(p, size, _CLIENT if client[0] else _SERVER, None)


cdef tuple _frames_of_lines(bytes block, Py_ssize_t start, Py_ssize_t size, bint strict, step, int mode, _LineFormat f):
    """bridge.batch's ``_frames_of_lines(block, start, size, strict, step)`` for lines of ``mode``."""
    cdef Out out
    cdef const uint8_t* text = <const uint8_t*>PyBytes_AS_STRING(block)
    cdef Py_ssize_t position = start, count = 0, end, k, n, record
    cdef const uint8_t* p
    cdef const uint8_t* newline
    cdef uint8_t* w
    cdef uint64_t received = 0
    cdef bint client = mode == LINES_CLIENT
    cdef bint timed
    cdef bytes frame
    drifts = []
    out.data, out.size, out.cap = NULL, 0, 0
    try:
        _room(&out, size - start + 64)  # (the frames of JSON lines are smaller than the lines, as a rule)
        while position < size:
            p = text + position
            newline = <const uint8_t*>memchr(p, 10, size - position)
            end = size if newline == NULL else newline + 1 - text
            n = end - position
            k = 0
            while k < n and _space(p[k]):
                k += 1
            if k == n:  # blank: the run ends here
                break
            timed = False
            if mode == LINES_SESSION:
                event = _plain_event(p, n, f, &client)
                if event is None and p[0] == 123:
                    event = _envelope_event(p, n, f, &client, &received)
                    timed = event is not None
            else:
                event = _fused(p, n, _CLIENT if client else _SERVER, None)
            if event is not None and f.may_drift(event, "client_event" if client else "event"):
                event = None  # (the step says what the drift is)
            if event is not None:
                n = PyBytes_GET_SIZE(event)
                if mode == LINES_SESSION:
                    record = 1 + _varint_size(<uint64_t>n) + n + (9 if timed else 0)
                    w = _room(&out, _varint_size(<uint64_t>record) + record)
                    w = _write_varint(w, <uint64_t>record)
                    w[0] = f.client_tag if client else f.server_tag
                    w = _write_varint(w + 1, <uint64_t>n)
                    memcpy(w, PyBytes_AS_STRING(event), n)
                    w += n
                    if timed:
                        w[0] = f.time_tag
                        w = _write_fixed64(w + 1, received)
                else:
                    w = _room(&out, _varint_size(<uint64_t>n) + n)
                    w = _write_varint(w, <uint64_t>n)
                    memcpy(w, PyBytes_AS_STRING(event), n)
                    w += n
                out.size = w - out.data
            else:  # the run's own step, as the pure twin runs it
                try:
                    frame, found = step(PyBytes_FromStringAndSize(<const char*>p, n), strict)
                except ValidationError:
                    break
                if found:
                    drifts.append((count, found))
                n = PyBytes_GET_SIZE(frame)
                memcpy(_room(&out, n), PyBytes_AS_STRING(frame), n)
                out.size += n
            count += 1
            position = end
        return PyBytes_FromStringAndSize(<const char*>out.data, out.size), count, position, drifts
    finally:
        PyMem_Free(out.data)


def lines_in_front_of(pure_frames_of_lines, steps, dict heads, bytes event_key, dict tags, bytes time_tag, may_drift):
    """bridge.batch's ``_frames_of_lines`` with the compiled loop in front of it (the same result).

    ``steps`` maps each step of bridge.batch's table to what its lines are (``"session"``,
    ``"event"``, ``"client_event"``; a step it does not name runs the pure twin); ``heads`` (by
    direction), ``event_key``, ``tags`` (the one-byte field keys of each direction's event in a
    ``SessionRecord``) and ``time_tag`` are bridge.session's line layout; ``may_drift`` is
    bridge._speedups' (a line whose bytes may hold drift goes through the step, which says what)."""
    modes = {"session": LINES_SESSION, "event": LINES_SERVER, "client_event": LINES_CLIENT}
    cdef _LineFormat f = _LineFormat()
    f.event_key, f.may_drift = event_key, may_drift
    f.server_head, f.client_head = heads["server"], heads["client"]
    if len(f.server_head) != len(f.client_head) or len(time_tag) != 1 or {len(tag) for tag in tags.values()} != {1}:
        raise ImportError("bridge._decoder: the session line layout is not the one this loop writes")
    f.server_tag, f.client_tag, f.time_tag = tags["server"][0], tags["client"][0], time_tag[0]
    f.modes = {step: modes[kind] for step, kind in steps.items()}

    def frames_of_lines(block, start, end, strict, convert):
        mode = f.modes.get(convert)
        if strict or mode is None or type(block) is not bytes or not 0 <= start <= end <= len(block):
            return pure_frames_of_lines(block, start, end, strict, convert)
        return _frames_of_lines(block, start, end, strict, convert, mode, f)

    return functools.update_wrapper(frames_of_lines, pure_frames_of_lines)
