"""kgq: an embedded knowledge-graph store, from Python.

    import kgq
    db = kgq.Database.example()
    conn = kgq.Connection(db)
    df = conn.execute("MATCH (c:Country) RETURN c.name AS name").get_as_df()

The API follows Kùzu's and Ladybug's (Database, Connection, execute,
QueryResult), so switching is mostly a change of import; see
docs/python.md for the whole API.
"""

from ._database import Connection, Database, diff
from ._errors import (
    ArgumentError,
    Cancelled,
    ConstraintVerificationFailed,
    DatabaseClosed,
    EntityNotFound,
    Error,
    FormatError,
    LimitExceeded,
    ParameterMissing,
    ProcedureError,
    QueryArithmeticError,
    QuerySyntaxError,
    QueryTypeError,
    SemanticError,
    StorageError,
    StoreLocked,
    TransientError,
    Unsupported,
)
from ._kgq import __version__
from ._result import QueryResult
from ._types import Duration, Node, Path, Relationship

__all__ = [
    "ArgumentError",
    "Cancelled",
    "Connection",
    "ConstraintVerificationFailed",
    "Database",
    "DatabaseClosed",
    "Duration",
    "EntityNotFound",
    "Error",
    "FormatError",
    "LimitExceeded",
    "Node",
    "ParameterMissing",
    "Path",
    "ProcedureError",
    "QueryArithmeticError",
    "QueryResult",
    "QuerySyntaxError",
    "QueryTypeError",
    "Relationship",
    "SemanticError",
    "StorageError",
    "StoreLocked",
    "TransientError",
    "Unsupported",
    "__version__",
    "diff",
]
