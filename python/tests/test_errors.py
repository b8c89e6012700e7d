"""Errors: kinds, codes, positions, the caret excerpt, and the classes."""

import builtins

import pytest

import kgq


def test_syntax_error_has_kind_code_line_column_and_caret(conn):
    with pytest.raises(kgq.QuerySyntaxError) as e:
        conn.execute("MATCH (n)\nRETURN n +")
    err = e.value
    assert isinstance(err, kgq.Error) and isinstance(err, Exception)
    assert err.kind == "SyntaxError"
    assert err.code
    assert err.line == 2 and err.column >= 10
    assert "^" in str(err) and "RETURN n +" in str(err)
    assert err.message in str(err)


def test_error_in_the_second_statement_points_into_the_whole_text(empty):
    with pytest.raises(kgq.QuerySyntaxError) as e:
        empty.execute("CREATE (:A);\nRETURN nope")
    assert e.value.line == 2 and e.value.code == "UndefinedVariable"
    # The first statement stays done.
    assert empty.execute("MATCH (a:A) RETURN count(a)").get_next() == [1]


@pytest.mark.parametrize(
    "query, cls, kind",
    [
        ("UNWIND [1, 'a'] AS x RETURN x * 2", kgq.QueryTypeError, "TypeError"),
        ("UNWIND [1, 0] AS x RETURN 1 / x", kgq.QueryArithmeticError, "ArithmeticError"),
        ("RETURN $missing", kgq.ParameterMissing, "ParameterMissing"),
        ("RETURN x", kgq.QuerySyntaxError, "SyntaxError"),
        ("CREATE (a:A)-[:R]->(b) DELETE a", kgq.ConstraintVerificationFailed, "ConstraintVerificationFailed"),
        ("CREATE (a:A) DELETE a RETURN a.x", kgq.EntityNotFound, "EntityNotFound"),
        ("CALL nope.proc()", kgq.ProcedureError, "ProcedureError"),
    ],
)
def test_each_class_has_its_subclass(empty, query, cls, kind):
    with pytest.raises(cls) as e:
        empty.execute(query)
    if kind:
        assert e.value.kind == kind


def test_no_class_shadows_a_builtin():
    for name in kgq.__all__:
        assert not hasattr(builtins, name), name
    for cls in (kgq.QuerySyntaxError, kgq.QueryTypeError, kgq.StoreLocked, kgq.DatabaseClosed, kgq.Cancelled):
        assert issubclass(cls, kgq.Error)


def test_closed_database_gives_a_clear_error():
    db = kgq.Database()
    conn = kgq.Connection(db)
    db.close()
    db.close()  # twice is harmless
    assert db.closed
    for call in (
        lambda: conn.execute("RETURN 1"),
        lambda: db.save("x.kgqs"),
        lambda: db.find("x"),
        lambda: db.checkpoint(),
        lambda: kgq.Connection(db).load_nodes("A", {"x": [1]}),
    ):
        with pytest.raises(kgq.DatabaseClosed) as e:
            call()
        assert "closed" in str(e.value) and e.value.code == "DatabaseClosed"


def test_a_failed_write_changes_nothing(empty):
    empty.execute("CREATE (:A {x: 1})")
    with pytest.raises(kgq.Error):
        empty.execute("MATCH (a:A) SET a.x = 2 WITH a RETURN 1 / 0")
    assert empty.execute("MATCH (a:A) RETURN a.x").get_next() == [1]


def test_missing_files(tmp_path):
    with pytest.raises(FileNotFoundError):
        kgq.Database(tmp_path / "none.kgq")
    with pytest.raises(kgq.Error):
        kgq.Database(tmp_path / "missing.kgqs", read_only=True)
    bad = tmp_path / "bad.kgqs"
    bad.write_bytes(b"not a snapshot at all")
    with pytest.raises(kgq.Error) as e:
        kgq.Database(bad)
    assert e.value.kind in ("FormatError", "IoError")


def test_error_in_a_script_database(tmp_path):
    script = tmp_path / "s.kgq"
    script.write_text("CREATE (:A);\nCREATE (:B\n")
    with pytest.raises(kgq.QuerySyntaxError) as e:
        kgq.Database(script)
    assert e.value.line >= 2
