"""QueryResult: the rows of one statement, fetched row by row or as a
table (pandas, polars, pyarrow) or a networkx graph."""

from __future__ import annotations

import gc
from typing import Any, Dict, Iterator, List, Optional, Union

from . import _kgq
from ._types import Node, Path, Relationship, plain

Row = Union[List[Any], Dict[str, Any]]

# Fetching at least this many rows at once pauses Python's cyclic garbage
# collector: the rows are new lists that refer to no cycle, yet creating
# tens of thousands of them sets off collections that took half the time.
_NO_GC_ROWS = 1000


def _fetch(raw: "_kgq.RawResult", n: Optional[int]) -> List[List[Any]]:
    """Up to ``n`` (all with ``None``) next rows of ``raw``, with the cyclic
    garbage collector paused for large fetches (as it was left after)."""
    many = len(raw) if n is None else n
    if many < _NO_GC_ROWS or not gc.isenabled():
        return raw.get_n(n)
    gc.disable()
    try:
        return raw.get_n(n)
    finally:
        gc.enable()


class QueryResult:
    """What one statement gave back. Iterating yields each row as a list
    (as a dict after ``rows_as_dict()``)."""

    def __init__(self, raw: "_kgq.RawResult"):
        self._raw = raw
        self._columns: List[str] = raw.columns()
        self._as_dict = False

    # ----- rows -----

    def get_column_names(self) -> List[str]:
        """The column names, in order."""
        return list(self._columns)

    def get_num_tuples(self) -> int:
        """How many rows the result has."""
        return len(self._raw)

    def __len__(self) -> int:
        return len(self._raw)

    def has_next(self) -> bool:
        """Whether a row is left to fetch."""
        return self._raw.has_next()

    def _shape(self, row: List[Any]) -> Row:
        return dict(zip(self._columns, row)) if self._as_dict else row

    def get_next(self) -> Row:
        """The next row; ``IndexError`` when none is left."""
        row = self._raw.get_next()
        if row is None:
            raise IndexError("the result has no more rows")
        return self._shape(row)

    def get_n(self, n: int) -> List[Row]:
        """Up to ``n`` next rows."""
        if n < 0:
            raise ValueError("n must not be negative")
        return [self._shape(r) for r in _fetch(self._raw, n)]

    def get_all(self) -> List[Row]:
        """Every row not fetched yet."""
        rows = _fetch(self._raw, None)
        return [self._shape(r) for r in rows] if self._as_dict else rows

    def reset_iterator(self) -> None:
        """Fetch from the first row again."""
        self._raw.reset_iterator()

    def __iter__(self) -> Iterator[Row]:
        return self

    def __next__(self) -> Row:
        row = self._raw.get_next()
        if row is None:
            raise StopIteration
        return self._shape(row)

    def rows_as_dict(self, state: bool = True) -> "QueryResult":
        """Makes rows come back as ``{column: value}`` dicts (or lists again
        with ``state=False``); returns the result itself."""
        self._as_dict = state
        return self

    def close(self) -> None:
        """Kept for compatibility: a result holds no resources."""

    # ----- what the statement did -----

    @property
    def statistics(self) -> Dict[str, int]:
        """What the statement changed: nodes/relationships created and
        deleted, labels added and removed, properties set and removed."""
        return self._raw.stats()

    @property
    def why(self) -> Optional[List[List[Relationship]]]:
        """With ``why=True``: for each row, the relationships (facts) that
        produced it; ``None`` otherwise."""
        return self._raw.why()

    def get_execution_time(self) -> float:
        """Milliseconds the engine spent on the statement (planning, running,
        collecting the rows), without converting rows to Python objects."""
        return self._raw.elapsed_ms()

    def get_compiling_time(self) -> float:
        """Kept for compatibility: planning is part of
        ``get_execution_time()``; always 0.0."""
        return 0.0

    @property
    def plan(self) -> Optional[str]:
        """The plan, for EXPLAIN and PROFILE statements."""
        return self._raw.plan()

    @property
    def notifications(self) -> List[Dict[str, Any]]:
        """Warnings about the statement (unknown labels, relationship types
        and property keys, comparisons that cannot hold, cartesian
        products, unbounded patterns), each a dict with ``code``,
        ``gql_status``, ``title``, ``description``, ``message``,
        ``severity``, ``category`` and ``position`` (``offset``, ``line``,
        ``column``). They never change the rows."""
        return self._raw.notifications()

    # ----- tables -----

    def _column(self, i: int) -> List[Any]:
        return [plain(v) for v in self._raw.column(i)]

    def _arrow(self) -> Any:
        """The rows as kgq's own Arrow conversion gives them, handed over
        from Rust without a copy (the Arrow PyCapsule stream interface)."""
        import pyarrow as pa

        table = pa.table(self._raw.arrow())
        return table.rename_columns(_unique(self._columns))

    def get_as_arrow(self, chunk_size: Optional[int] = None) -> Any:
        """Every row as a ``pyarrow.Table`` with typed columns, converted in
        Rust by ``kgq::arrow`` (see docs/formats.md for the type mapping):
        nodes and relationships are their ids, maps, paths and mixed columns
        JSON text, durations without months ``duration[ns]``
        (``chunk_size`` is accepted for compatibility)."""
        table = self._arrow()
        for i, field in enumerate(table.schema):
            if _tag(field) == "duration":
                as_ns = _duration_ns(table.column(i))
                if as_ns is not None:
                    table = table.set_column(i, field.name, as_ns)
        return table

    def get_as_df(self) -> Any:
        """Every row as a pandas DataFrame with typed columns: int64,
        float64, bool, string, datetime64, and nullable ``Int64`` where an
        integer column has nulls. Columns of nodes, relationships, paths,
        maps or mixed values hold plain Python objects (dicts, lists)."""
        import pandas as pd
        import pyarrow as pa

        table = self.get_as_arrow()
        df = table.to_pandas(date_as_object=False)
        for i, (field, column) in enumerate(zip(table.schema, table.columns)):
            name = field.name
            if _tag(field) in ("node", "relationship", "json"):
                df[name] = pd.Series(self._column(i), dtype=object)
            elif pa.types.is_integer(column.type) and column.null_count:
                df[name] = pd.array(column.to_pylist(), dtype="Int64")
            elif pa.types.is_boolean(column.type) and column.null_count:
                df[name] = pd.array(column.to_pylist(), dtype="boolean")
        return df

    def get_as_pl(self) -> Any:
        """Every row as a polars DataFrame (from the same Arrow table as
        ``get_as_arrow()``)."""
        import polars as pl

        return pl.from_arrow(self.get_as_arrow())

    def get_as_networkx(self, directed: bool = True) -> Any:
        """The nodes and relationships in the rows (inside paths and lists
        too) as a networkx multigraph: node attributes are ``labels`` and
        the properties, edge attributes ``type`` and the properties."""
        import networkx as nx

        graph = nx.MultiDiGraph() if directed else nx.MultiGraph()
        rels: Dict[int, Relationship] = {}

        def visit(v: Any) -> None:
            if isinstance(v, Node):
                graph.add_node(v.id, labels=list(v.labels), **v.properties)
            elif isinstance(v, Relationship):
                rels[v.id] = v
            elif isinstance(v, Path):
                for x in v:
                    visit(x)
            elif isinstance(v, list):
                for x in v:
                    visit(x)
            elif isinstance(v, dict):
                for x in v.values():
                    visit(x)

        for i in range(len(self._columns)):
            for v in self._raw.column(i):
                visit(v)
        for r in rels.values():
            graph.add_edge(r.start, r.end, key=r.id, type=r.type, **r.properties)
        return graph

    def __repr__(self) -> str:
        return f"<kgq.QueryResult {len(self)} rows, columns {self._columns}>"


def _unique(names: List[str]) -> List[str]:
    seen: Dict[str, int] = {}
    out = []
    for n in names:
        if n in seen:
            seen[n] += 1
            out.append(f"{n}_{seen[n]}")
        else:
            seen[n] = 0
            out.append(n)
    return out


def _tag(field: Any) -> Optional[str]:
    """A field's ``kgq.type`` metadata (what Arrow cannot say alone)."""
    tag = (field.metadata or {}).get(b"kgq.type")
    return tag.decode() if tag is not None else None


def _duration_ns(column: Any) -> Any:
    """A ``kgq.type = duration`` struct column (months, days, seconds,
    nanoseconds) as ``duration[ns]``; ``None`` when a value has months
    (which have no fixed length) or does not fit."""
    import pyarrow as pa
    import pyarrow.compute as pc

    column = column.combine_chunks() if column.num_chunks else pa.array([], column.type)
    months = column.field("months")
    if pc.any(pc.not_equal(months, 0)).as_py():
        return None
    try:
        days = pc.multiply_checked(column.field("days"), 86_400_000_000_000)
        secs = pc.multiply_checked(column.field("seconds"), 1_000_000_000)
        nanos = column.field("nanoseconds").cast(pa.int64())
        total = pc.add_checked(pc.add_checked(days, secs), nanos)
    except pa.ArrowInvalid:
        return None
    total = pc.if_else(column.is_valid(), total, pa.scalar(None, pa.int64()))
    return total.cast(pa.duration("ns"))
