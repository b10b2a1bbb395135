# cython: language_level=3
# What both compiled modules (bridge._speedups, bridge._decoder) do to UTF-8 and to the bytes of
# JSON strings: inline C, compiled into each of them (no module of its own at run time).

from libc.stdint cimport uint8_t


cdef extern from *:
    """
    #include <stdint.h>
    #include <string.h>
    #if defined(__SSE2__)
    #include <emmintrin.h>
    #endif

    /* The index of the first byte from s[i] on that plain ASCII JSON does not leave as is (a
       control character, a quote, a backslash or a non-ASCII byte), or n: 16 bytes at a time with
       SSE2 (x86-64 always has it), 8 with word tricks elsewhere (a borrow can only flag bytes after
       a flagged one, so the first flag is exact; bytes are read little-endian). */
    static inline Py_ssize_t rt_first_special(const uint8_t* s, Py_ssize_t i, Py_ssize_t n) {
    #if defined(__SSE2__)
        const __m128i quote = _mm_set1_epi8(0x22), backslash = _mm_set1_epi8(0x5C);
        const __m128i control = _mm_set1_epi8(0x1F);
        while (i + 16 <= n) {
            __m128i v = _mm_loadu_si128((const __m128i*)(s + i));
            __m128i flag = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, backslash)),
                                        _mm_cmpeq_epi8(_mm_min_epu8(v, control), v));
            unsigned mask = (unsigned)_mm_movemask_epi8(_mm_or_si128(flag, v));  /* v: its high bits */
            if (mask) return i + __builtin_ctz(mask);
            i += 16;
        }
    #endif
        const uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
        while (i + 8 <= n) {
            uint64_t w, quote8, backslash8, flags;
            memcpy(&w, s + i, 8);
            quote8 = w ^ (ones * 0x22);
            backslash8 = w ^ (ones * 0x5C);
            flags = (w & highs) | ((w - ones * 0x20) & ~w & highs) | ((quote8 - ones) & ~quote8 & highs)
                    | ((backslash8 - ones) & ~backslash8 & highs);
            if (flags) {
                while (!(flags & 0x80)) { flags >>= 8; i++; }
                return i;
            }
            i += 8;
        }
        while (i < n && s[i] >= 0x20 && s[i] < 0x80 && s[i] != 0x22 && s[i] != 0x5C) i++;
        return i;
    }
    """
    Py_ssize_t rt_first_special(const uint8_t*, Py_ssize_t, Py_ssize_t) noexcept nogil


cdef inline int utf8_length(const uint8_t* s, Py_ssize_t n) noexcept nogil:
    """Length of the valid UTF-8 sequence at ``s`` (first byte >= 0x80), or 0 if invalid
    (overlong forms, surrogates and code points beyond U+10FFFF are invalid)."""
    cdef uint8_t c = s[0]
    cdef uint8_t lo = 0x80, hi = 0xBF
    cdef int k
    if 0xC2 <= c <= 0xDF:
        k = 2
    elif 0xE0 <= c <= 0xEF:
        k = 3
        if c == 0xE0:
            lo = 0xA0
        elif c == 0xED:
            hi = 0x9F
    elif 0xF0 <= c <= 0xF4:
        k = 4
        if c == 0xF0:
            lo = 0x90
        elif c == 0xF4:
            hi = 0x8F
    else:
        return 0
    if n < k or not (lo <= s[1] <= hi):
        return 0
    if k > 2 and not (0x80 <= s[2] <= 0xBF):
        return 0
    if k > 3 and not (0x80 <= s[3] <= 0xBF):
        return 0
    return k

