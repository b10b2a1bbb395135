"""How the service reports failures, and how a client reads them back.

Bad input is a :class:`~bridge.ValidationError`. A unary call fails with ``INVALID_ARGUMENT`` and a
``google.rpc.Status`` whose details hold a ``google.rpc.BadRequest`` (field = JSON path,
description = what is wrong, reason = its kind in upper snake case); a stream answers that input with a ``ConversionError``. Anything else
is a bug: the client gets ``INTERNAL`` with a request id (also as a ``google.rpc.RequestInfo``)
and nothing of the exception, which the server logs under that id.

Status details travel in a trailer, and gRPC peers refuse metadata above 8 KiB by default, so a
status lists violations up to a byte budget and its message says how many were left out. A stream
result is a message, where the budget is larger.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import cast

import grpc
from google.protobuf import any_pb2
from google.protobuf.message import Message
from google.rpc import code_pb2, error_details_pb2, status_pb2
from grpc_status import rpc_status

from bridge._paths import clip
from bridge.errors import VIOLATION_KINDS, ValidationError, Violation, ViolationKind
from bridge.v1 import service_pb2

__all__ = [
    "STATUS_BUDGET",
    "STREAM_BUDGET",
    "conversion_error",
    "internal_conversion_error",
    "internal_status",
    "invalid_argument_status",
    "listed",
    "validation_error_from_conversion_error",
    "validation_error_from_status",
    "violations_of",
]

#: Bytes of violations (paths plus messages) listed in a trailer / in one stream result.
STATUS_BUDGET = 4 * 1024
STREAM_BUDGET = 64 * 1024
#: No single path or message is longer than this many characters.
_MAX_TEXT = 512
_PER_VIOLATION_OVERHEAD = 8  # tags and lengths


def invalid_argument_status(error: ValidationError) -> grpc.Status:
    """``INVALID_ARGUMENT`` with a ``BadRequest`` listing the violations, for ``context.abort``."""
    shown, left_out = _fit(error.violations, STATUS_BUDGET)
    bad_request = error_details_pb2.BadRequest(
        field_violations=[
            error_details_pb2.BadRequest.FieldViolation(field=v.path, description=v.message, reason=v.kind.upper())
            for v in shown
        ]
    )
    return _status(code_pb2.INVALID_ARGUMENT, _summary(error.violations, left_out), bad_request)


def listed(error: ValidationError, budget: int) -> list[Violation]:
    """The violations of ``error`` that a status (``budget`` :data:`STATUS_BUDGET`) or a stream
    result (:data:`STREAM_BUDGET`) lists, clipped as it lists them."""
    return _fit(error.violations, budget)[0]


def internal_status(request_id: str) -> grpc.Status:
    """``INTERNAL`` naming only the request id under which the server logged the failure."""
    return _status(code_pb2.INTERNAL, _internal_message(request_id), error_details_pb2.RequestInfo(request_id=request_id))


def conversion_error(error: ValidationError) -> service_pb2.ConversionError:
    """The error result a stream returns for one bad input."""
    shown, left_out = _fit(error.violations, STREAM_BUDGET)
    return service_pb2.ConversionError(
        code=code_pb2.INVALID_ARGUMENT,
        message=_summary(error.violations, left_out),
        violations=[service_pb2.Violation(path=v.path, message=v.message, kind=v.kind) for v in shown],
    )


def internal_conversion_error(request_id: str) -> service_pb2.ConversionError:
    """The error result a stream returns when converting one input failed unexpectedly."""
    return service_pb2.ConversionError(code=code_pb2.INTERNAL, message=_internal_message(request_id))


def validation_error_from_status(status: status_pb2.Status | None) -> ValidationError | None:
    """The :class:`~bridge.ValidationError` an ``INVALID_ARGUMENT`` status stands for, if it has a
    ``BadRequest`` with violations; else ``None``."""
    if status is None or status.code != code_pb2.INVALID_ARGUMENT:
        return None
    bad_request = error_details_pb2.BadRequest()
    for detail in status.details:
        if detail.Unpack(bad_request) and bad_request.field_violations:
            return ValidationError(
                Violation(v.field, v.description, _kind(v.reason.lower())) for v in bad_request.field_violations
            )
    return None


def validation_error_from_conversion_error(error: service_pb2.ConversionError) -> ValidationError | None:
    """The :class:`~bridge.ValidationError` a stream's error result stands for, if it is one."""
    if error.code != code_pb2.INVALID_ARGUMENT or not error.violations:
        return None
    return ValidationError(violations_of(error.violations))


def _status(code: int, message: str, detail: Message) -> grpc.Status:
    packed = any_pb2.Any()
    packed.Pack(detail)
    return rpc_status.to_status(status_pb2.Status(code=code, message=message, details=[packed]))


def _fit(violations: Sequence[Violation], budget: int) -> tuple[list[Violation], int]:
    """The first violations that fit in ``budget`` bytes (at least one), each clipped; and how many
    were left out."""
    shown: list[Violation] = []
    used = 0
    for violation in violations:
        clipped = violation._replace(path=clip(violation.path, _MAX_TEXT), message=clip(violation.message, _MAX_TEXT))
        used += len(clipped.path.encode()) + len(clipped.message.encode()) + len(clipped.kind) + _PER_VIOLATION_OVERHEAD
        if shown and used > budget:
            break
        shown.append(clipped)
    return shown, len(violations) - len(shown)


def _summary(violations: Sequence[Violation], left_out: int) -> str:
    first = clip(str(violations[0]), _MAX_TEXT)
    if len(violations) == 1:
        return first
    summary = f"{len(violations)} violations; first: {first}"
    if left_out:
        summary += f" ({left_out} not listed)"
    return summary


def _internal_message(request_id: str) -> str:
    return f"internal error; the server logged it under request id {request_id}"


def violations_of(messages: Iterable[service_pb2.Violation]) -> list[Violation]:
    """The :class:`~bridge.Violation` each ``Violation`` message of a result stands for."""
    return [Violation(v.path, v.message, _kind(v.kind)) for v in messages]


def _kind(text: str) -> ViolationKind:
    """A kind received on the wire: one the bridge knows, else ``other`` (a newer server's)."""
    return cast(ViolationKind, text) if text in VIOLATION_KINDS else "other"
