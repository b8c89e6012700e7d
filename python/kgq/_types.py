"""Graph values as Python objects: Node, Relationship, Path and Duration."""

from __future__ import annotations

import datetime as _dt
from typing import Any, Dict, Iterator, Mapping, Tuple


class Node:
    """A node: its id, labels and properties (``node["name"]`` reads one)."""

    __slots__ = ("id", "labels", "properties")

    def __init__(self, id: int, labels: Tuple[str, ...], properties: Dict[str, Any]):
        self.id = id
        self.labels = tuple(labels)
        self.properties = properties

    def __getitem__(self, key: str) -> Any:
        return self.properties[key]

    def get(self, key: str, default: Any = None) -> Any:
        return self.properties.get(key, default)

    def __contains__(self, key: object) -> bool:
        return key in self.properties

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, Node)
            and self.id == other.id
            and self.labels == other.labels
            and self.properties == other.properties
        )

    def __hash__(self) -> int:
        return hash(("node", self.id))

    def to_dict(self) -> Dict[str, Any]:
        """The node as a flat dict: ``_id``, ``_labels`` and the properties."""
        return {"_id": self.id, "_labels": list(self.labels), **self.properties}

    def __repr__(self) -> str:
        labels = "".join(":" + label for label in self.labels)
        return f"Node({self.id}{labels} {self.properties!r})"


class Relationship:
    """A relationship: id, type, start and end node ids, and properties."""

    __slots__ = ("id", "type", "start", "end", "properties")

    def __init__(self, id: int, type: str, start: int, end: int, properties: Dict[str, Any]):
        self.id = id
        self.type = type
        self.start = start
        self.end = end
        self.properties = properties

    def __getitem__(self, key: str) -> Any:
        return self.properties[key]

    def get(self, key: str, default: Any = None) -> Any:
        return self.properties.get(key, default)

    def __contains__(self, key: object) -> bool:
        return key in self.properties

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, Relationship)
            and self.id == other.id
            and self.type == other.type
            and (self.start, self.end) == (other.start, other.end)
            and self.properties == other.properties
        )

    def __hash__(self) -> int:
        return hash(("relationship", self.id))

    def to_dict(self) -> Dict[str, Any]:
        """The relationship as a flat dict: ``_id``, ``_type``, ``_start``,
        ``_end`` and the properties."""
        return {
            "_id": self.id,
            "_type": self.type,
            "_start": self.start,
            "_end": self.end,
            **self.properties,
        }

    def __repr__(self) -> str:
        return f"Relationship({self.id} ({self.start})-[:{self.type}]->({self.end}) {self.properties!r})"


class Path:
    """A path: its nodes and relationships in order (one more node)."""

    __slots__ = ("nodes", "relationships")

    def __init__(self, nodes: Tuple[Node, ...], relationships: Tuple[Relationship, ...]):
        self.nodes = tuple(nodes)
        self.relationships = tuple(relationships)

    def __len__(self) -> int:
        """The path's length: how many relationships it has."""
        return len(self.relationships)

    def __iter__(self) -> Iterator[Any]:
        """Node, relationship, node, … in order."""
        for i, node in enumerate(self.nodes):
            yield node
            if i < len(self.relationships):
                yield self.relationships[i]

    @property
    def start(self) -> Node:
        return self.nodes[0]

    @property
    def end(self) -> Node:
        return self.nodes[-1]

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, Path)
            and self.nodes == other.nodes
            and self.relationships == other.relationships
        )

    def __hash__(self) -> int:
        return hash((tuple(n.id for n in self.nodes), tuple(r.id for r in self.relationships)))

    def to_dict(self) -> Dict[str, Any]:
        return {
            "_nodes": [n.to_dict() for n in self.nodes],
            "_relationships": [r.to_dict() for r in self.relationships],
        }

    def __repr__(self) -> str:
        return f"Path({len(self)} relationships: {' '.join(repr(x) for x in self)})"


_NANOS = 1_000_000_000


class Duration:
    """A duration with months, days, seconds and nanoseconds kept apart,
    as the query language defines it (a month or a day has no fixed length).
    ``to_timedelta()`` converts one without months."""

    __slots__ = ("months", "days", "seconds", "nanoseconds")

    def __init__(self, months: int = 0, days: int = 0, seconds: int = 0, nanoseconds: int = 0):
        extra, nanoseconds = divmod(int(nanoseconds), _NANOS)
        self.months = int(months)
        self.days = int(days)
        self.seconds = int(seconds) + extra
        self.nanoseconds = nanoseconds

    @classmethod
    def from_timedelta(cls, delta: _dt.timedelta) -> "Duration":
        return cls(0, delta.days, delta.seconds, delta.microseconds * 1000)

    def to_timedelta(self) -> _dt.timedelta:
        """The duration as a ``timedelta`` (microseconds); a ``ValueError``
        when it has months, whose length varies."""
        if self.months:
            raise ValueError(
                f"{self!r} has months, whose length varies: it has no timedelta"
            )
        return _dt.timedelta(
            days=self.days, seconds=self.seconds, microseconds=self.nanoseconds // 1000
        )

    def _key(self) -> Tuple[int, int, int, int]:
        return (self.months, self.days, self.seconds, self.nanoseconds)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Duration):
            return self._key() == other._key()
        if isinstance(other, _dt.timedelta):
            return self._key() == Duration.from_timedelta(other)._key()
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        return (
            f"Duration(months={self.months}, days={self.days}, "
            f"seconds={self.seconds}, nanoseconds={self.nanoseconds})"
        )


def plain(value: Any) -> Any:
    """``value`` with nodes, relationships and paths turned into dicts (for
    tables, where a column holds plain data)."""
    if isinstance(value, (Node, Relationship, Path)):
        return value.to_dict()
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, Mapping):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, Duration):
        return value.to_timedelta() if not value.months else repr(value)
    return value
