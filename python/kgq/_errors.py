"""kgq's exceptions: ``kgq.Error`` and one subclass per error class.

Class names never shadow Python's built-ins: a syntax error in a query is
``kgq.QuerySyntaxError``, not ``SyntaxError``; ``.kind`` still says
``"SyntaxError"``, as the engine names the class.
"""

from __future__ import annotations

from typing import Dict, Optional, Type


class Error(Exception):
    """Every error kgq raises. ``kind`` is the class (``"SyntaxError"``,
    ``"TypeError"``, …), ``code`` the code within it, ``line`` and
    ``column`` (1-based) where the query went wrong when known, and
    ``message`` the sentence alone. ``str(e)`` adds the caret excerpt."""

    kind: str = "Error"

    def __init__(
        self,
        message: str,
        *,
        kind: Optional[str] = None,
        code: str = "",
        line: Optional[int] = None,
        column: Optional[int] = None,
        rendered: Optional[str] = None,
    ):
        super().__init__(rendered or message)
        self.message = message
        if kind is not None:
            self.kind = kind
        self.code = code
        self.line = line
        self.column = column


class QuerySyntaxError(Error):
    """The query cannot be parsed or breaks a static rule."""

    kind = "SyntaxError"


class SemanticError(Error):
    """The query's meaning breaks a rule (e.g. an undefined variable)."""

    kind = "SemanticError"


class QueryTypeError(Error):
    """A value in the query had the wrong type."""

    kind = "TypeError"


class ArgumentError(Error):
    """A function got an argument it cannot accept."""

    kind = "ArgumentError"


class QueryArithmeticError(Error):
    """Overflow or division by zero in the query."""

    kind = "ArithmeticError"


class ParameterMissing(Error):
    """The query uses a parameter that was not given."""

    kind = "ParameterMissing"


class ConstraintVerificationFailed(Error):
    """A write broke a constraint of the data."""

    kind = "ConstraintVerificationFailed"


class ProcedureError(Error):
    """A procedure does not exist or failed."""

    kind = "ProcedureError"


class EntityNotFound(Error):
    """A deleted node or relationship was used."""

    kind = "EntityNotFound"


class LimitExceeded(Error):
    """A time, memory or expansion limit stopped the query."""

    kind = "LimitExceeded"


class Cancelled(LimitExceeded):
    """The query was cancelled (and rolled back)."""


class StorageError(Error):
    """Reading or writing a file failed."""

    kind = "IoError"


class StoreLocked(StorageError):
    """Another process has the store open for writing."""


class DatabaseClosed(StorageError):
    """The database was closed."""


class FormatError(Error):
    """A snapshot or store file is damaged or of an unknown version."""

    kind = "FormatError"


class TransientError(Error):
    """A writer waited too long for its turn (or a reader for a write
    transaction to end); trying again may succeed."""

    kind = "TransientError"


class Unsupported(Error):
    """Something the language describes that kgq does not implement yet."""

    kind = "Unsupported"


_BY_KIND: Dict[str, Type[Error]] = {
    cls.kind: cls
    for cls in (
        QuerySyntaxError,
        SemanticError,
        QueryTypeError,
        ArgumentError,
        QueryArithmeticError,
        ParameterMissing,
        ConstraintVerificationFailed,
        ProcedureError,
        EntityNotFound,
        LimitExceeded,
        StorageError,
        FormatError,
        TransientError,
        Unsupported,
    )
}
_BY_CODE: Dict[str, Type[Error]] = {
    "StoreLocked": StoreLocked,
    "DatabaseClosed": DatabaseClosed,
    "Cancelled": Cancelled,
}


def make_error(
    kind: str,
    code: str,
    message: str,
    line: Optional[int],
    column: Optional[int],
    rendered: str,
) -> Error:
    """The exception for an engine error (called by the native module)."""
    cls = _BY_CODE.get(code) or _BY_KIND.get(kind, Error)
    return cls(message, kind=kind, code=code, line=line, column=column, rendered=rendered)
