"""Bulk ingest from DataFrames: pandas, polars and pyarrow tables go
through Arrow and become one parameterised statement per call, so a load
is one transaction (all rows or none) and a store journals it."""

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


def _name(name: str) -> str:
    """``name`` quoted for the query text."""
    return "`" + name.replace("`", "``") + "`"


def _columns(table: Any, skip: List[str]) -> Dict[str, Any]:
    """The table's columns as Python lists, by name (without ``skip``)."""
    cols = {}
    for name in table.column_names:
        if name in skip:
            continue
        if not isinstance(name, str) or not name:
            raise ValueError(f"column name {name!r} cannot name a property")
        cols[name] = table.column(name).to_pylist()
    return cols


def load_nodes(conn: "Connection", label: str, data: Any, key: Optional[str]) -> Dict[str, int]:
    table = to_arrow(data)
    if key is not None and key not in table.column_names:
        raise ValueError(f"key column {key!r} is not among the columns {table.column_names}")
    cols = _columns(table, [])
    params: Dict[str, Any] = {}
    props = []
    for i, (name, values) in enumerate(cols.items()):
        params[f"c{i}"] = values
        props.append((name, f"$c{i}[i]"))
    if not table.num_rows:
        return {}
    head = f"UNWIND range(0, {table.num_rows - 1}) AS i "
    if key is None:
        body = ", ".join(f"{_name(n)}: {v}" for n, v in props)
        query = head + f"CREATE (n:{_name(label)} {{{body}}})"
    else:
        kv = dict(props)[key]
        sets = ", ".join(f"n.{_name(n)} = {v}" for n, v in props if n != key)
        query = head + f"MERGE (n:{_name(label)} {{{_name(key)}: {kv}}})"
        if sets:
            query += " SET " + sets
    stats = conn.execute(query, params, as_of=None, why=False).statistics
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
    for col in (src, dst):
        if col not in table.column_names:
            raise ValueError(f"column {col!r} is not among the columns {table.column_names}")
    keys = conn.database._keys
    skey = src_key or (keys.get(src_label, "id") if src_label else "id")
    dkey = dst_key or (keys.get(dst_label, "id") if dst_label else "id")
    params: Dict[str, Any] = {
        "src": table.column(src).to_pylist(),
        "dst": table.column(dst).to_pylist(),
    }
    sets = []
    for i, (name, values) in enumerate(_columns(table, [src, dst]).items()):
        params[f"c{i}"] = values
        sets.append(f"{_name(name)}: $c{i}[i]")
    if not table.num_rows:
        return {}
    sl = f":{_name(src_label)}" if src_label else ""
    dl = f":{_name(dst_label)}" if dst_label else ""
    query = (
        f"UNWIND range(0, {table.num_rows - 1}) AS i "
        f"MATCH (a{sl} {{{_name(skey)}: $src[i]}}) "
        f"MATCH (b{dl} {{{_name(dkey)}: $dst[i]}}) "
        f"CREATE (a)-[:{_name(rel_type)} {{{', '.join(sets)}}}]->(b) "
        f"RETURN count(*) AS created"
    )
    result = conn.execute(query, params, as_of=None, why=False)
    created = result.get_next()[0]
    if created != table.num_rows:
        # Some row named a missing node: undo the whole load.
        raise _missing_endpoint(conn, rel_type, table.num_rows, created)
    return result.statistics


def _missing_endpoint(conn: "Connection", rel_type: str, rows: int, created: int) -> Exception:
    from ._errors import EntityNotFound

    return EntityNotFound(
        f"load_relationships({rel_type!r}): {rows - created} of {rows} rows name a node that "
        "does not exist (or match several)",
        kind="EntityNotFound",
        code="MissingNode",
    )
