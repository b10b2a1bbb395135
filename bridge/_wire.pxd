# cython: language_level=3
# What both compiled modules (bridge._speedups, bridge._decoder) write of protobuf's wire format:
# inline C, compiled into each of them (no module of its own at run time).

from libc.stdint cimport uint8_t, uint64_t


cdef inline int varint_size(uint64_t value) noexcept nogil:
    """The bytes ``value`` takes as a base-128 varint."""
    cdef int n = 1
    while value >= 0x80:
        value >>= 7
        n += 1
    return n


cdef inline uint8_t* write_varint(uint8_t* out, uint64_t value) noexcept nogil:
    """Write ``value`` at ``out`` as a base-128 varint; return the byte after it."""
    while value >= 0x80:
        out[0] = <uint8_t>(value | 0x80)
        value >>= 7
        out += 1
    out[0] = <uint8_t>value
    return out + 1
