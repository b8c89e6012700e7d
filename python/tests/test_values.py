"""Every value type in both directions: results to Python, parameters to
kgq, and stored properties read back."""

import datetime as dt
import math
import zoneinfo

import numpy as np
import pandas as pd
import pytest

import kgq


def one(conn, query, params=None):
    return conn.execute(query, params).get_next()[0]


@pytest.mark.parametrize(
    "query, expected",
    [
        ("RETURN null", None),
        ("RETURN true", True),
        ("RETURN 42", 42),
        ("RETURN -9223372036854775808", -(2**63)),
        ("RETURN 2.5", 2.5),
        ("RETURN 'Шанхай'", "Шанхай"),
        ("RETURN [1, 'a', [true]]", [1, "a", [True]]),
        ("RETURN {b: 1, a: [null]}", {"a": [None], "b": 1}),
        ("RETURN date('2024-02-29')", dt.date(2024, 2, 29)),
        ("RETURN localdatetime('2024-01-02T03:04:05.123456')", dt.datetime(2024, 1, 2, 3, 4, 5, 123456)),
        ("RETURN localtime('23:59:58.5')", dt.time(23, 59, 58, 500000)),
        (
            "RETURN time('10:00+01:30')",
            dt.time(10, 0, tzinfo=dt.timezone(dt.timedelta(hours=1, minutes=30))),
        ),
    ],
)
def test_results_map_to_python(empty, query, expected):
    value = one(empty, query)
    assert value == expected
    assert type(value) is type(expected)


def test_datetimes_are_aware_with_their_zone(empty):
    v = one(empty, "RETURN datetime('2024-01-02T03:04:05-05:00')")
    assert v.utcoffset() == dt.timedelta(hours=-5)
    assert v == dt.datetime(2024, 1, 2, 8, 4, 5, tzinfo=dt.timezone.utc)
    v = one(empty, "RETURN datetime('2024-07-01T12:00[Europe/Stockholm]')")
    assert v.tzinfo == zoneinfo.ZoneInfo("Europe/Stockholm")
    assert v.hour == 12 and v.utcoffset() == dt.timedelta(hours=2)
    # The second 02:30 of the autumn change keeps its offset (fold).
    v = one(empty, "RETURN datetime('2024-10-27T02:30+01:00[Europe/Stockholm]')")
    assert v.utcoffset() == dt.timedelta(hours=1) and v.hour == 2


def test_nan_and_infinity(empty):
    assert math.isnan(one(empty, "RETURN 0.0 / 0.0"))
    assert one(empty, "RETURN 1.0 / 0.0") == math.inf


def test_durations(empty):
    d = one(empty, "RETURN duration('P1Y2M3DT4H5M6.007S')")
    assert isinstance(d, kgq.Duration)
    assert (d.months, d.days, d.seconds, d.nanoseconds) == (14, 3, 4 * 3600 + 5 * 60 + 6, 7_000_000)
    with pytest.raises(ValueError):
        d.to_timedelta()
    d = one(empty, "RETURN duration('P2DT1.5S')")
    assert d.to_timedelta() == dt.timedelta(days=2, seconds=1, microseconds=500000)
    assert d == dt.timedelta(days=2, seconds=1.5)
    assert kgq.Duration.from_timedelta(dt.timedelta(hours=1)) == kgq.Duration(seconds=3600)


def test_nodes_relationships_paths(empty):
    empty.execute("CREATE (:Country:Place {name: 'China'})-[:EXPORTS_TO {year: 2024}]->(:Country {name: 'Russia'})")
    n, r, p = empty.execute(
        "MATCH p = (a:Country {name: 'China'})-[r]->(b) RETURN a, r, p"
    ).get_next()
    assert isinstance(n, kgq.Node)
    assert set(n.labels) == {"Country", "Place"}
    assert n["name"] == "China" and n.properties == {"name": "China"}
    assert "name" in n and n.get("x", 1) == 1
    assert isinstance(r, kgq.Relationship)
    assert r.type == "EXPORTS_TO" and r["year"] == 2024
    assert r.start == n.id and r.end != n.id
    assert isinstance(p, kgq.Path)
    assert len(p) == 1 and p.start == n and p.relationships == (r,)
    assert p.end["name"] == "Russia"
    assert list(p) == [p.nodes[0], r, p.nodes[1]]
    assert {n: 1}[n] == 1 and hash(r) == hash(r)
    assert "China" in repr(n) and "EXPORTS_TO" in repr(r) and "Path" in repr(p)
    # Inside lists and maps too.
    row = empty.execute("MATCH (a)-[r]->(b) RETURN [a, b] AS l, {r: r} AS m").get_next()
    assert row[0][1]["name"] == "Russia" and row[1]["r"].type == "EXPORTS_TO"


PARAMS = [
    None,
    True,
    False,
    7,
    -(2**63),
    1.25,
    "text",
    [1, [2, "x"]],
    (1, 2),
    {"k": {"n": [None]}},
    dt.date(2024, 1, 31),
    dt.datetime(2024, 1, 2, 3, 4, 5, 6),
    dt.datetime(2024, 1, 2, 3, 4, 5, tzinfo=dt.timezone(dt.timedelta(hours=3))),
    dt.datetime(2024, 7, 1, 12, 0, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai")),
    dt.time(1, 2, 3, 4),
    dt.time(1, 2, 3, tzinfo=dt.timezone(dt.timedelta(hours=-2))),
    dt.timedelta(days=3, seconds=5, microseconds=7),
    kgq.Duration(months=5, days=1, seconds=2, nanoseconds=3),
]


@pytest.mark.parametrize("value", PARAMS, ids=[type(v).__name__ + str(i) for i, v in enumerate(PARAMS)])
def test_parameters_round_trip(empty, value):
    back = one(empty, "RETURN $v", {"v": value})
    if isinstance(value, tuple):
        value = list(value)
    if isinstance(value, dt.timedelta):
        value = kgq.Duration.from_timedelta(value)
    assert back == value
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        assert back.utcoffset() == value.utcoffset()


def test_zone_name_survives(empty):
    v = dt.datetime(2024, 7, 1, 12, 0, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai"))
    assert one(empty, "RETURN $v.timezone", {"v": v}) == "Asia/Shanghai"


def test_stored_properties_read_back_typed(empty):
    values = {
        "b": True,
        "i": 3,
        "f": 0.5,
        "s": "x",
        "d": dt.date(2020, 1, 1),
        "ldt": dt.datetime(2020, 1, 1, 1, 1),
        "zdt": dt.datetime(2020, 1, 1, 1, 1, tzinfo=dt.timezone.utc),
        "lt": dt.time(5, 6),
        "du": dt.timedelta(minutes=3),
        "list": [1, 2, 3],
    }
    empty.execute("CREATE (n:T) SET n = $props", {"props": values})
    node = one(empty, "MATCH (n:T) RETURN n")
    for k, v in values.items():
        got = node[k]
        assert (got == kgq.Duration.from_timedelta(v)) if k == "du" else (got == v), k


def test_numpy_and_pandas_scalars(empty):
    assert one(empty, "RETURN $v", {"v": np.int64(5)}) == 5
    assert type(one(empty, "RETURN $v", {"v": np.int32(5)})) is int
    assert one(empty, "RETURN $v", {"v": np.float32(0.5)}) == 0.5
    assert one(empty, "RETURN $v", {"v": np.bool_(True)}) is True
    assert one(empty, "RETURN $v", {"v": np.str_("s")}) == "s"
    ts = pd.Timestamp("2024-01-02 03:04:05.000000123")
    assert one(empty, "RETURN $v.nanosecond", {"v": ts}) == 123
    assert one(empty, "RETURN $v", {"v": pd.NaT}) is None
    assert one(empty, "RETURN $v", {"v": pd.NA}) is None
    assert one(empty, "RETURN $v", {"v": [np.int64(1), np.float64(2.5)]}) == [1, 2.5]


@pytest.mark.parametrize(
    "bad, fragment",
    [
        ({1, 2}, "set"),
        (object(), "object"),
        (2**70, "64 bits"),
        ({1: "x"}, "keys must be str"),
        ([1, {2}], "[1]"),
        (b"bytes", "bytes"),
    ],
)
def test_a_bad_parameter_is_a_type_error_naming_it(empty, bad, fragment):
    with pytest.raises(TypeError) as e:
        empty.execute("RETURN $bad_param", {"bad_param": bad})
    assert "bad_param" in str(e.value) and fragment in str(e.value)
    with pytest.raises(TypeError):
        empty.execute("RETURN 1", as_of={1, 2})
    with pytest.raises(TypeError):
        empty.execute("RETURN 1", ["not", "a", "dict"])
