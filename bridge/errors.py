"""The one error the bridge raises for bad input, carrying every violation with its JSON path."""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

__all__ = ["ValidationError", "Violation"]


class Violation(NamedTuple):
    """One problem in the input: where (a JSON path such as ``$.response.output[2].status``) and what."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.message} - at `{self.path}`"


class ValidationError(ValueError):
    """Input the bridge cannot accept: malformed JSON or protobuf, a wrong type, a value out of
    range, or (in strict mode) anything outside the documented schema.

    ``violations`` lists every problem found, in the order found; ``str(error)`` names them all.
    """

    def __init__(self, violations: Iterable[Violation]) -> None:
        self.violations: tuple[Violation, ...] = tuple(violations)
        if not self.violations:
            raise ValueError("a ValidationError needs at least one violation")
        super().__init__(self._summary())

    @classmethod
    def at(cls, path: str, message: str) -> ValidationError:
        """An error with a single violation."""
        return cls([Violation(path, message)])

    def _summary(self) -> str:
        first, *rest = self.violations
        if not rest:
            return str(first)
        lines = "\n".join(f"  {v}" for v in self.violations)
        return f"{len(self.violations)} violations:\n{lines}"
