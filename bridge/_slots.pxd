# cython: language_level=3
# Where a class with __slots__ (a msgspec Struct, bridge.models.Extra) keeps an attribute, for the
# compiled modules that read and fill instances without attribute lookups: inline, compiled into
# each of them (no module of its own at run time).

from cpython.object cimport PyObject, PyTypeObject


cdef extern from "structmember.h":
    ctypedef struct PyMemberDef:
        int type
        Py_ssize_t offset
    ctypedef struct PyMemberDescrObject:
        PyMemberDef* d_member
    int T_OBJECT_EX

cdef extern from "Python.h":
    PyTypeObject PyMemberDescr_Type


cdef inline Py_ssize_t slot_offset(cls, str name) except -1:
    """The offset, in an instance of ``cls``, of the object slot that holds attribute ``name``;
    TypeError when ``name`` is not one (a property, a class attribute, missing)."""
    descriptor = None
    for klass in cls.__mro__:
        descriptor = klass.__dict__.get(name)
        if descriptor is not None:
            break
    if type(descriptor) is not <object><PyObject*>&PyMemberDescr_Type:
        raise TypeError(f"{cls.__name__}.{name} is not a slot")
    cdef PyMemberDescrObject* member = <PyMemberDescrObject*>descriptor
    if member.d_member.type != T_OBJECT_EX:
        raise TypeError(f"{cls.__name__}.{name} is not an object slot")
    return member.d_member.offset
