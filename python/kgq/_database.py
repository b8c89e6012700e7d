"""Database and Connection: the Kùzu/Ladybug-shaped entry points."""

from __future__ import annotations

import os
from typing import Any, Dict, List, Mapping, Optional, Tuple, Union

from . import _kgq
from ._errors import DatabaseClosed
from ._ingest import load_nodes, load_relationships
from ._result import QueryResult
from ._types import Node

PathLike = Union[str, "os.PathLike[str]"]
_UNSET: Any = object()


class Database:
    """A graph.

    - ``Database()`` or ``Database(":memory:")``: an empty in-memory graph;
    - ``Database("graph.kgqs")``: the durable store at that path (snapshot,
      journal and lock, as the command line uses them), created if missing;
      ``read_only=True`` opens it without the lock and refuses writes;
    - ``Database("script.kgq")``: the script run into an in-memory graph.

    One database may be shared by threads and connections. Close it (or use
    it as a context manager) to checkpoint a store and release its lock.
    """

    def __init__(self, path: Optional[PathLike] = None, read_only: bool = False, **_compat: Any):
        self.path: Optional[str] = None if path is None else os.fspath(path)
        self.read_only = read_only
        if self.path is None or self.path == ":memory:":
            self._engine = _kgq.Engine.memory()
        elif self.path.endswith(".kgq"):
            with open(self.path, encoding="utf-8") as f:
                self._engine = _kgq.Engine.script(f.read())
        else:
            self._engine = _kgq.Engine.store(self.path, read_only)
        # The key property of each label loaded with load_nodes(key=...).
        self._keys: Dict[str, str] = {}

    @classmethod
    def example(cls) -> "Database":
        """The bundled graph of the seed article (countries, agencies,
        companies, products and who did what to whom), in memory."""
        db = cls.__new__(cls)
        db.path = None
        db.read_only = False
        db._engine = _kgq.Engine.example()
        db._keys = {}
        return db

    @property
    def closed(self) -> bool:
        """Whether ``close()`` was called."""
        return self._engine.closed

    def _check(self) -> "_kgq.Engine":
        if self._engine.closed:
            raise DatabaseClosed(
                "the database is closed; open it again with kgq.Database(...)",
                kind="IoError",
                code="DatabaseClosed",
            )
        return self._engine

    def close(self) -> None:
        """Closes the database: a store is checkpointed and unlocked. Later
        calls raise ``kgq.DatabaseClosed``. Closing twice is harmless."""
        self._engine.close()

    def __enter__(self) -> "Database":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def save(self, path: PathLike) -> None:
        """Writes the graph as a snapshot file at ``path``."""
        self._check().save(os.fspath(path))

    def checkpoint(self) -> None:
        """Folds a store's journal into its snapshot (nothing to do in
        memory)."""
        self._check().checkpoint()

    def find(self, text: str, limit: int = 10, min_score: Optional[float] = None) -> List[Tuple[float, Node, str]]:
        """Nodes whose name or alias resembles ``text``, best first, as
        ``(score, node, matched name or alias)``; a score of 1.0 is an
        exact match of the normalised names."""
        return self._check().find(text, limit, min_score)

    def plan_cache(self, capacity: Optional[int] = None) -> Dict[str, int]:
        """What the plan cache (parsed statements and planned reads, reused
        for the same text and parameter values until the graph changes)
        has done: ``parses``, ``plan_hits``, ``plan_misses`` and
        ``entries``. ``capacity`` first sets how many statement texts it
        keeps (0 turns it off; the default is 256)."""
        engine = self._check()
        if capacity is not None:
            if capacity < 0:
                raise ValueError("capacity must not be negative")
            engine.set_plan_cache_capacity(capacity)
        return engine.plan_cache_stats()

    def connect(self, **kwargs: Any) -> "Connection":
        """A new connection to this database."""
        return Connection(self, **kwargs)

    def __repr__(self) -> str:
        where = self.path or ":memory:"
        state = "closed" if self.closed else "open"
        return f"<kgq.Database {where} ({state})>"


class Connection:
    """Runs statements against a database. ``as_of``, ``why`` and
    ``timeout`` set here apply to each ``execute`` that does not give its
    own. ``num_threads`` is accepted for compatibility and ignored."""

    def __init__(
        self,
        database: Database,
        num_threads: int = 0,
        *,
        as_of: Any = None,
        why: bool = False,
        timeout: Optional[float] = None,
    ):
        if not isinstance(database, Database):
            raise TypeError(f"Connection needs a kgq.Database, not {type(database).__name__}")
        self.database = database
        self.as_of = as_of
        self.why = why
        self.timeout = timeout

    def execute(
        self,
        query: str,
        parameters: Optional[Mapping[str, Any]] = None,
        *,
        as_of: Any = _UNSET,
        why: Optional[bool] = None,
        timeout: Optional[float] = _UNSET,
    ) -> Union[QueryResult, List[QueryResult]]:
        """Runs ``query`` with ``parameters`` (``$name`` in the query).

        ``as_of``: match only facts valid at that date or datetime;
        ``why=True``: each result's ``why`` lists the facts behind each
        row; ``timeout``: seconds before the statement is stopped (and
        rolled back). A text with several ``;``-separated statements runs
        them in order and returns a list of results. Ctrl-C stops the
        running statement, rolls it back and raises ``KeyboardInterrupt``.
        """
        if not isinstance(query, str):
            raise TypeError(f"query must be a str, not {type(query).__name__}")
        if parameters is not None and not isinstance(parameters, dict):
            if not isinstance(parameters, Mapping):
                raise TypeError(f"parameters must be a dict, not {type(parameters).__name__}")
            parameters = dict(parameters)
        engine = self.database._check()
        raws = engine.execute(
            query,
            parameters,
            self.as_of if as_of is _UNSET else as_of,
            self.why if why is None else why,
            self.timeout if timeout is _UNSET else timeout,
        )
        results = [QueryResult(r) for r in raws]
        return results[0] if len(results) == 1 else results

    def set_query_timeout(self, timeout_in_ms: int) -> None:
        """Kùzu's spelling of ``timeout``: milliseconds, 0 for none."""
        self.timeout = timeout_in_ms / 1000 if timeout_in_ms else None

    def set_as_of(self, instant: Any) -> None:
        """Sets (``None``: clears) the valid time of later statements."""
        self.as_of = instant

    def interrupt(self) -> None:
        """Stops the statement running on this database (it rolls back)."""
        self.database._engine.interrupt()

    def load_nodes(self, label: str, data: Any, key: Optional[str] = None) -> Dict[str, int]:
        """Adds one node labelled ``label`` per row of ``data`` (a pandas or
        polars DataFrame, a pyarrow Table or anything with the Arrow stream
        interface); columns become properties. With ``key``, a row whose key
        matches an existing node of that label updates it instead, and
        ``load_relationships`` finds nodes of that label by this key.
        Returns the statement's statistics."""
        return load_nodes(self, label, data, key)

    def load_relationships(
        self,
        rel_type: str,
        data: Any,
        src: str = "from",
        dst: str = "to",
        src_label: Optional[str] = None,
        dst_label: Optional[str] = None,
        src_key: Optional[str] = None,
        dst_key: Optional[str] = None,
    ) -> Dict[str, int]:
        """Adds one relationship of type ``rel_type`` per row of ``data``:
        from the ``src_label`` node whose key equals column ``src`` to the
        ``dst_label`` node whose key equals column ``dst`` (keys as given to
        ``load_nodes``, else ``src_key``/``dst_key``, else ``id``). The other
        columns become properties. A row whose node is missing is an error
        and nothing is added. Returns the statement's statistics."""
        return load_relationships(self, rel_type, data, src, dst, src_label, dst_label, src_key, dst_key)

    def close(self) -> None:
        """Kept for compatibility: connections hold no resources."""

    def __enter__(self) -> "Connection":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()



def diff(a: Union[Database, PathLike], b: Union[Database, PathLike]) -> Dict[str, List[Dict[str, Any]]]:
    """What changed from graph ``a`` to graph ``b`` (databases, or paths of
    snapshots, stores or scripts opened read-only): a dict with
    ``added_nodes``, ``removed_nodes``, ``changed_nodes``,
    ``added_relationships``, ``removed_relationships`` and
    ``changed_relationships``. Nodes are matched by their name (or key
    properties), not by id, so two separately built graphs compare."""
    opened = []

    def db(x: Union[Database, PathLike]) -> Database:
        if isinstance(x, Database):
            return x
        d = Database(x, read_only=True)
        opened.append(d)
        return d

    try:
        da, dbb = db(a), db(b)
        return da._check().diff(dbb._check())
    finally:
        for d in opened:
            d.close()
