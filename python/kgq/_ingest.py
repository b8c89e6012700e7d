"""Bulk ingest from DataFrames: pandas, polars and pyarrow tables become
Arrow and reach Rust through the Arrow C stream interface (no per-cell
Python objects); ``kgq::arrow`` decodes them and the engine adds the rows
straight to the graph.
Each call is all or nothing (every row is checked first); in a store it
ends with a checkpoint, so the load is durable when the call returns."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Dict, List, Optional

if TYPE_CHECKING:
    from ._database import Connection


def to_arrow(data: Any) -> Any:
    """``data`` as a pyarrow Table."""
    import pyarrow as pa

    if isinstance(data, pa.Table):
        return data
    if isinstance(data, pa.RecordBatch):
        return pa.Table.from_batches([data])
    module = type(data).__module__.split(".")[0]
    if module == "pandas":
        return pa.Table.from_pandas(data, preserve_index=False)
    if module == "polars":
        return data.to_arrow()
    if hasattr(data, "__arrow_c_stream__"):
        return pa.table(data)
    if isinstance(data, dict):
        return pa.table(data)
    raise TypeError(
        f"cannot load a {type(data).__name__}: give a pandas or polars DataFrame or a pyarrow Table"
    )


def _names(table: Any) -> List[str]:
    names = list(table.column_names)
    for name in names:
        if not isinstance(name, str) or not name:
            raise ValueError(f"column name {name!r} cannot name a property")
    if len(set(names)) != len(names):
        raise ValueError(f"column names must be distinct: {names}")
    return names


def load_nodes(conn: "Connection", label: str, data: Any, key: Optional[str]) -> Dict[str, int]:
    table = to_arrow(data)
    names = _names(table)
    if key is not None and key not in names:
        raise ValueError(f"key column {key!r} is not among the columns {names}")
    engine = conn.database._check()
    stats = engine.load_nodes(label, table, key)
    if key is not None:
        conn.database._keys[label] = key
    return stats


def load_relationships(
    conn: "Connection",
    rel_type: str,
    data: Any,
    src: str,
    dst: str,
    src_label: Optional[str],
    dst_label: Optional[str],
    src_key: Optional[str],
    dst_key: Optional[str],
) -> Dict[str, int]:
    table = to_arrow(data)
    names = _names(table)
    for col in (src, dst):
        if col not in names:
            raise ValueError(f"column {col!r} is not among the columns {names}")
    keys = conn.database._keys
    skey = src_key or (keys.get(src_label, "id") if src_label else "id")
    dkey = dst_key or (keys.get(dst_label, "id") if dst_label else "id")
    engine = conn.database._check()
    return engine.load_relationships(
        rel_type,
        table,
        src_label,
        skey,
        src,
        dst_label,
        dkey,
        dst,
    )
