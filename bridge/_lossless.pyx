# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True, initializedcheck=False
"""Compiled lossless decoding: JSON with unknown keys -> Structs, in one pass and one msgspec call.

``decode_unknown(data, plan)`` / ``decode_event_unknown(data)`` return what
:func:`bridge._json.decode_partial` / :func:`bridge._json.decode_event_partial` return for a valid
document (the Structs, unknown keys in ``extra``), or ``None``: the caller then runs the pure path,
which also produces every :class:`~bridge.ValidationError`. They never guess.

How
---
One pass over the JSON bytes, driven by a table per :class:`~bridge._schema.MessagePlan` (its known
keys, and which of them hold objects of another plan), copies the document with the unknown members
of the objects the schema types cut out, and collects each unknown key (decoded: keys may be
escaped) with the exact text of its value. The copy holds no unknown key, so the fast decoder
(``plan.decoder``, the one the caller just tried) decodes it in one call into the public Structs;
the collected keys are then set as ``extra`` on the objects they came from (found by their path).
Values the schema keeps as data (``metadata``, ``input_schema``, ...) are not looked into.

The pass validates what it skips at least as strictly as msgspec would: JSON syntax (RFC 8259),
UTF-8 in every string (the pure path checks it in kept values), no control characters, escapes.
Unknown keys given twice keep the first one's place and the last one's value, as the pure path's
dict does. It declines (``None``) on anything it is not sure of: a syntax error, invalid UTF-8, a
lone surrogate escape, a known key given twice, nesting deeper than ``MAX_DEPTH``, a document the
fast decoder refuses (a type error: the pure path collects them all), a non-object document.
"""

from cpython.buffer cimport PyBUF_SIMPLE, PyBuffer_Release, PyObject_GetBuffer
from cpython.bytes cimport PyBytes_FromStringAndSize
from cpython.mem cimport PyMem_Free, PyMem_Malloc
from cpython.object cimport PyObject, PyTypeObject
from cpython.ref cimport Py_DECREF, Py_INCREF
from cpython.tuple cimport PyTuple_New, PyTuple_SET_ITEM
from cpython.unicode cimport PyUnicode_DecodeUTF8
from libc.stdint cimport uint8_t, uint64_t
from libc.string cimport memcmp, memcpy

cimport cython

import msgspec

from bridge import _schema
from bridge._schema import Kind
from bridge.models import Extra

__all__ = ["decode_event_unknown", "decode_unknown"]


cdef extern from "Python.h":
    const char* PyUnicode_AsUTF8AndSize(object, Py_ssize_t*) except NULL
    bint PyUnicode_Check(object)
    PyObject* PyType_GenericAlloc(PyTypeObject*, Py_ssize_t)

cdef extern from "structmember.h":
    ctypedef struct PyMemberDef:
        Py_ssize_t offset
    ctypedef struct PyMemberDescrObject:
        PyMemberDef* d_member


class _Decline(Exception):
    """Raised internally: this document is for the pure-Python path."""


cdef enum:
    MAX_KEYS = 64  # known keys per object (duplicates are found with a uint64 bit mask)
    MAX_DEPTH = 64  # nesting; deeper documents go to the pure path, which reports its own limit
    STACK_BUFFER = 4096  # the copy of a document up to this size is written on the C stack

cdef object _RAW = msgspec.Raw
cdef object _STR = msgspec.json.Decoder(str).decode  # an escaped key, or an escaped event type
cdef PyTypeObject* _EXTRA = <PyTypeObject*>Extra
#: Where an Extra holds its dict (its one slot), to make one without a call to its __init__.
cdef Py_ssize_t _EXTRA_SLOT = (<PyMemberDescrObject*>Extra.__dict__["_members"]).d_member.offset


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
    raise TypeError("bridge.models.Extra changed: bridge._lossless must be updated")


cdef int _decline() except -1:
    raise _Decline


# ------------------------------------------------------------------------------------------ tables


cdef inline bint _same(const uint8_t* a, const uint8_t* b, Py_ssize_t n) noexcept:
    """``memcmp(a, b, n) == 0`` for short keys, 8 bytes at a time."""
    cdef uint64_t x, y
    while n >= 8:
        memcpy(&x, a, 8)
        memcpy(&y, b, 8)
        if x != y:
            return False
        a += 8
        b += 8
        n -= 8
    while n > 0:
        if a[0] != b[0]:
            return False
        a += 1
        b += 1
        n -= 1
    return True


@cython.final
cdef class _Table:
    """One MessagePlan: its known JSON keys (C pointers into ``keys``), and for each the table of
    the objects it holds (a message, a list of messages, a union's message member) or None."""

    cdef object decode  # plan.decoder.decode
    cdef Py_ssize_t n
    cdef list keys  # bytes, UTF-8 of each known key (owns the memory key_ptr points at)
    cdef list names  # str, the same keys: path steps, attribute names
    cdef list children  # _Table or None
    cdef const char* key_ptr[MAX_KEYS]
    cdef Py_ssize_t key_len[MAX_KEYS]
    cdef bint repeated[MAX_KEYS]

    cdef inline Py_ssize_t find(self, const uint8_t* s, Py_ssize_t n, Py_ssize_t hint) noexcept:
        """The index of key ``s``, or -1; ``hint`` (the key after the last one found) first, as
        keys tend to come in the schema's order."""
        cdef Py_ssize_t i
        if hint < self.n and self.key_len[hint] == n and _same(<const uint8_t*>self.key_ptr[hint], s, n):
            return hint
        for i in range(self.n):
            if self.key_len[i] == n and _same(<const uint8_t*>self.key_ptr[i], s, n):
                return i
        return -1


cdef _Table _new_table(plan):
    cdef _Table table = _Table.__new__(_Table)
    table.decode = plan.decoder.decode
    table.keys, table.names, table.children = [], [], []
    return table


cdef int _add_key(_Table table, str name, _Table child, bint repeated) except -1:
    if table.n == MAX_KEYS:
        raise TypeError(f"more than {MAX_KEYS} keys in one object")
    key = name.encode("utf-8")
    table.keys.append(key)
    table.names.append(name)
    table.children.append(child)
    table.key_ptr[table.n] = key
    table.key_len[table.n] = len(key)
    table.repeated[table.n] = repeated
    table.n += 1
    return 0


cdef dict _build():
    """MessagePlan -> _Table, for every plan (the strict twins share their model's plan)."""
    cdef dict tables = {}
    cdef _Table table
    for plan in _schema.PLANS.values():
        if plan not in tables:
            tables[plan] = _new_table(plan)
    for plan, table in tables.items():
        if plan.tag is not None:
            _add_key(table, plan.tag[0], None, False)
        for field in plan.fields:
            child, repeated = None, False
            for member in field.choices:
                if member.kind is Kind.MESSAGE:
                    child, repeated = tables[member.message], member.repeated
            _add_key(table, field.name, child, repeated)
    return tables


cdef dict _TABLES = _build()
cdef dict _EVENT_TABLES = {kind: _TABLES[plan] for kind, plan in _schema.EVENT_PLANS.items()}
#: The same as (UTF-8 of the type, table) pairs, to match a type without making a str of it.
cdef tuple _EVENT_TAGS = tuple((kind.encode("utf-8"), table) for kind, table in _EVENT_TABLES.items())
cdef _Table _GENERIC = _TABLES[_schema.GENERIC_EVENT_PLAN]


# ----------------------------------------------------------------------------------------- scanner


cdef struct Scan:
    const uint8_t* p
    const uint8_t* end
    uint8_t* out  # the document without its unknown keys
    Py_ssize_t size  # bytes written to out
    Py_ssize_t cap
    const uint8_t* copied  # the input before this is in out (or cut)
    int depth
    int steps  # the path to the current object: a key (a str of a table) or a list index per step
    PyObject* step_key[MAX_DEPTH + 1]
    Py_ssize_t step_index[MAX_DEPTH + 1]


cdef tuple _path(Scan* s):
    """The path to the current object, as ``extra`` is attached by: ("response", "output", 0)."""
    cdef tuple path = PyTuple_New(s.steps)
    cdef int i
    for i in range(s.steps):
        step = <object>s.step_key[i] if s.step_key[i] != NULL else s.step_index[i]
        Py_INCREF(step)
        PyTuple_SET_ITEM(path, i, step)
    return path


cdef int _cut(Scan* s, const uint8_t* start, const uint8_t* end) except -1:
    """Leave ``[start, end)`` of the input out of the copy (cuts come in the input's order)."""
    cdef Py_ssize_t n = start - s.copied
    if n < 0 or s.size + n > s.cap:  # cannot happen; never write out of bounds
        _decline()
    memcpy(s.out + s.size, s.copied, n)
    s.size += n
    s.copied = end
    return 0


cdef inline void _ws(Scan* s) noexcept:
    cdef uint8_t c
    while s.p < s.end:
        c = s.p[0]
        if c == 32 or c == 10 or c == 13 or c == 9:
            s.p += 1
        else:
            return


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


cdef inline bint _cont(const uint8_t* p, Py_ssize_t i) noexcept:
    return (p[i] & 0xC0) == 0x80


cdef int _utf8(Scan* s) except -1:
    """One multi-byte UTF-8 sequence at ``s.p`` (what Python's strict decoder accepts)."""
    cdef const uint8_t* p = s.p
    cdef Py_ssize_t left = s.end - p
    cdef uint8_t c = p[0]
    if 0xC2 <= c <= 0xDF:
        if left >= 2 and _cont(p, 1):
            s.p += 2
            return 0
    elif 0xE0 <= c <= 0xEF:
        if left >= 3 and _cont(p, 1) and _cont(p, 2):
            if (c == 0xE0 and p[1] < 0xA0) or (c == 0xED and p[1] > 0x9F):  # overlong, surrogate
                _decline()
            s.p += 3
            return 0
    elif 0xF0 <= c <= 0xF4:
        if left >= 4 and _cont(p, 1) and _cont(p, 2) and _cont(p, 3):
            if (c == 0xF0 and p[1] < 0x90) or (c == 0xF4 and p[1] > 0x8F):  # overlong, > U+10FFFF
                _decline()
            s.p += 4
            return 0
    _decline()


cdef int _code_unit(Scan* s) except -1:
    """The code unit of the ``\\uXXXX`` escape at ``s.p`` (passed over)."""
    cdef int i, digit, code = 0
    if s.end - s.p < 6:
        _decline()
    for i in range(2, 6):
        digit = _hex(s.p[i])
        if digit < 0:
            _decline()
        code = code * 16 + digit
    s.p += 6
    return code


cdef inline uint64_t _special(uint64_t word) noexcept:
    """Nonzero when one of 8 string bytes needs a look: a quote, a backslash, a control
    character, or a byte of a multi-byte UTF-8 sequence."""
    cdef uint64_t ones = 0x0101010101010101ULL
    cdef uint64_t quote = word ^ (ones * 0x22)
    cdef uint64_t backslash = word ^ (ones * 0x5C)
    return (((quote - ones) & ~quote) | ((backslash - ones) & ~backslash) | ((word - ones * 0x20) & ~word)
            | word) & 0x8080808080808080ULL


cdef inline bint _string(Scan* s) except -1:
    """A string at ``s.p`` (its opening quote); True when it holds an escape."""
    cdef bint escaped = False
    cdef uint8_t c
    cdef int code
    cdef uint64_t word
    s.p += 1
    while True:
        while s.end - s.p >= 8:  # 8 plain bytes at a time
            memcpy(&word, s.p, 8)
            if _special(word):
                break
            s.p += 8
        if s.p >= s.end:
            _decline()
        c = s.p[0]
        if c == 34:  # "
            s.p += 1
            return escaped
        if c == 92:  # backslash
            escaped = True
            if s.p + 1 >= s.end:
                _decline()
            c = s.p[1]
            if c == 117:  # \uXXXX; a lone surrogate is left to the pure path
                code = _code_unit(s)
                if 0xD800 <= code <= 0xDBFF:  # must be followed by the low half of the pair
                    if s.end - s.p < 2 or s.p[0] != 92 or s.p[1] != 117 or not 0xDC00 <= _code_unit(s) <= 0xDFFF:
                        _decline()
                elif 0xDC00 <= code <= 0xDFFF:
                    _decline()
            elif c == 34 or c == 92 or c == 47 or c == 98 or c == 102 or c == 110 or c == 114 or c == 116:
                s.p += 2
            else:
                _decline()
        elif c < 32:
            _decline()
        elif c < 128:
            s.p += 1
        else:
            _utf8(s)


cdef int _digits(Scan* s) except -1:
    """One or more digits."""
    if s.p >= s.end or not (48 <= s.p[0] <= 57):
        _decline()
    while s.p < s.end and 48 <= s.p[0] <= 57:
        s.p += 1
    return 0


cdef int _number(Scan* s) except -1:
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


cdef int _literal(Scan* s, const char* word, Py_ssize_t n) except -1:
    if s.end - s.p < n or memcmp(s.p, word, n) != 0:
        _decline()
    s.p += n
    return 0


cdef int _enter(Scan* s) except -1:
    s.depth += 1
    if s.depth > MAX_DEPTH:
        _decline()
    return 0


cdef int _skip(Scan* s) except -1:
    """Any JSON value at ``s.p``, validated and passed over (whitespace before it skipped)."""
    _ws(s)
    if s.p >= s.end:
        _decline()
    cdef uint8_t c = s.p[0]
    if c == 34:
        _string(s)
    elif c == 123:  # {
        _enter(s)
        s.p += 1
        _ws(s)
        if s.p < s.end and s.p[0] == 125:
            s.p += 1
        else:
            while True:
                _ws(s)
                if s.p >= s.end or s.p[0] != 34:
                    _decline()
                _string(s)
                _expect(s, 58)  # :
                _skip(s)
                if _more(s, 125):
                    break
        s.depth -= 1
    elif c == 91:  # [
        _enter(s)
        s.p += 1
        _ws(s)
        if s.p < s.end and s.p[0] == 93:
            s.p += 1
        else:
            while True:
                _skip(s)
                if _more(s, 93):
                    break
        s.depth -= 1
    elif c == 45 or 48 <= c <= 57:
        _number(s)
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


cdef int _object(Scan* s, _Table table, list found) except -1:
    """An object of ``table``'s type at ``s.p``: its unknown members are cut from the copy and go
    to ``found`` (its path, then ``{key: Raw}``); the objects it holds are handled the same way.

    A member is cut with the comma before it; while no member is kept, the cut runs from the
    opening brace and ends where the first kept member starts (its comma with it), or at ``}``."""
    cdef const uint8_t* start
    cdef const uint8_t* key_end
    cdef const uint8_t* kept_end  # where a cut of the next unknown member starts
    cdef const uint8_t* pending = NULL  # the start of a cut before any member is kept
    cdef Py_ssize_t index, hint = 0
    cdef uint64_t seen = 0
    cdef bint escaped
    cdef _Table child
    cdef dict extra = None
    _enter(s)
    s.p += 1
    kept_end = s.p
    _ws(s)
    if s.p < s.end and s.p[0] == 125:
        s.p += 1
    else:
        while True:
            _ws(s)
            if s.p >= s.end or s.p[0] != 34:
                _decline()
            start = s.p
            escaped = _string(s)
            key_end = s.p
            _expect(s, 58)
            _ws(s)
            if s.p >= s.end:
                _decline()
            if escaped:
                key = _STR(PyBytes_FromStringAndSize(<const char*>start, key_end - start))
                encoded = (<str>key).encode("utf-8")
                index = table.find(encoded, len(encoded), hint)
            else:
                key = None
                index = table.find(start + 1, key_end - start - 2, hint)
            if index >= 0:
                if seen & ((<uint64_t>1) << index):  # a known key twice: the pure path decides
                    _decline()
                seen |= (<uint64_t>1) << index
                hint = index + 1
                if pending != NULL:
                    _cut(s, pending, start)
                    pending = NULL
                child = table.children[index]
                if child is not None and s.p[0] == (91 if table.repeated[index] else 123):
                    s.step_key[s.steps] = <PyObject*>table.names[index]
                    s.steps += 1
                    if table.repeated[index]:
                        _array(s, child, found)
                    else:
                        _object(s, child, found)
                    s.steps -= 1
                elif s.p[0] == 34:  # a string (the most common value): no dispatch
                    _string(s)
                else:
                    _skip(s)
                kept_end = s.p
            else:
                if key is None:
                    key = PyUnicode_DecodeUTF8(<const char*>start + 1, key_end - start - 2, NULL)
                start = s.p
                _skip(s)
                if extra is None:
                    extra = {}
                extra[key] = _RAW(PyBytes_FromStringAndSize(<const char*>start, s.p - start))
                if seen:
                    _cut(s, kept_end, s.p)
                    kept_end = s.p
                elif pending == NULL:
                    pending = kept_end
            if _more(s, 125):
                break
        if pending != NULL:
            _cut(s, pending, s.p - 1)
    if extra is not None:
        found.append(_path(s))
        found.append(extra)
    s.depth -= 1
    return 0


cdef int _array(Scan* s, _Table table, list found) except -1:
    """A list of ``table``'s objects at ``s.p`` (anything else in it left for msgspec to judge)."""
    cdef Py_ssize_t index = 0
    _enter(s)
    s.p += 1
    _ws(s)
    if s.p < s.end and s.p[0] == 93:
        s.p += 1
    else:
        while True:
            _ws(s)
            if s.p >= s.end:
                _decline()
            if s.p[0] == 123:
                s.step_key[s.steps] = NULL
                s.step_index[s.steps] = index
                s.steps += 1
                _object(s, table, found)
                s.steps -= 1
            else:
                _skip(s)
            index += 1
            if _more(s, 93):
                break
    s.depth -= 1
    return 0


cdef _Table _event_table(const uint8_t* p, const uint8_t* end):
    """The table for the event at ``p`` (its opening brace), by its ``type``."""
    cdef const uint8_t* start
    cdef const uint8_t* key_end
    cdef bint escaped
    cdef bytes tag
    cdef Scan s  # only p, end and depth are used
    s.p, s.end, s.depth = p + 1, end, 0
    _ws(&s)
    while s.p < s.end and s.p[0] == 34:
        start = s.p
        escaped = _string(&s)
        key_end = s.p
        _expect(&s, 58)
        _ws(&s)
        if (key_end - start == 6 and memcmp(start, b'"type"', 6) == 0) or (
            escaped and _STR(PyBytes_FromStringAndSize(<const char*>start, key_end - start)) == "type"
        ):
            if s.p >= s.end or s.p[0] != 34:
                _decline()  # not a string: the pure path reports it
            start = s.p
            escaped = _string(&s)
            if escaped:
                kind = _STR(PyBytes_FromStringAndSize(<const char*>start, s.p - start))
                return _EVENT_TABLES.get(kind, _GENERIC)
            for tag, table in _EVENT_TAGS:
                if len(tag) == s.p - start - 2 and _same(<const uint8_t*><const char*>tag, start + 1, len(tag)):
                    return table
            return _GENERIC
        _skip(&s)
        if _more(&s, 125):
            break
        _ws(&s)
    _decline()


# ------------------------------------------------------------------------------------ entry points


cdef object _decode(data, _Table table):
    """Scan, decode the copy without unknown keys, attach them; None to decline."""
    cdef Py_buffer view
    cdef const char* text
    cdef Py_ssize_t size
    cdef Scan s
    cdef list found = []
    cdef bint is_str = PyUnicode_Check(data)
    cdef Py_ssize_t i
    cdef uint8_t stack[STACK_BUFFER]
    if is_str:
        try:
            text = PyUnicode_AsUTF8AndSize(data, &size)
        except UnicodeError:
            return None
    else:
        try:
            PyObject_GetBuffer(data, &view, PyBUF_SIMPLE)
        except (TypeError, BufferError):  # not bytes-like, or not contiguous: msgspec decides
            return None
        text, size = <const char*>view.buf, view.len
    if size <= STACK_BUFFER:
        s.out = &stack[0]
    else:
        s.out = <uint8_t*>PyMem_Malloc(size)
    if s.out == NULL:
        if not is_str:
            PyBuffer_Release(&view)
        raise MemoryError
    s.p, s.end = <const uint8_t*>text, <const uint8_t*>text + size
    s.size, s.cap, s.depth, s.steps, s.copied = 0, size, 0, 0, s.p
    try:
        _ws(&s)
        if s.p >= s.end or s.p[0] != 123:
            return None
        if table is None:  # an event: its type picks the table
            table = _event_table(s.p, s.end)
        _object(&s, table, found)
        _ws(&s)
        if s.p != s.end:
            return None
        _cut(&s, s.end, s.end)
        cleaned = PyBytes_FromStringAndSize(<const char*>s.out, s.size)
    except Exception:  # _Decline, or an escaped key msgspec refuses: the pure path decides
        return None
    finally:
        if s.out != &stack[0]:
            PyMem_Free(s.out)
        if not is_str:
            PyBuffer_Release(&view)
    try:
        obj = table.decode(cleaned)
    except Exception:  # a type error (or anything else): the pure path collects and reports it
        return None
    if obj is None:
        return None
    for i in range(0, len(found), 2):
        target = obj
        for step in <tuple>found[i]:
            target = target[step] if type(step) is int else getattr(target, step)
        target.extra = _new_extra(found[i + 1])
    return obj


def decode_unknown(data, plan):
    """``plan.struct`` decoded from a JSON document with unknown keys, kept in ``extra`` exactly as
    :func:`bridge._json.decode_partial` keeps them; None when the pure path must decide."""
    cdef _Table table = _TABLES.get(plan)
    if table is None:
        return None
    return _decode(data, table)


def decode_event_unknown(data):
    """A server event decoded as :func:`bridge._json.decode_event_partial` decodes it; None when
    the pure path must decide."""
    return _decode(data, None)
