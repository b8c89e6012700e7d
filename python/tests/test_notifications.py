"""QueryResult.notifications: warnings about a statement, shaped like Neo4j's."""


def test_a_misspelt_label_is_reported_with_its_position(conn):
    r = conn.execute("MATCH (a:Agncy)\nRETURN count(a) AS n")
    assert r.get_all() == [[0]]
    [n] = r.notifications
    assert n["code"] == "Neo.ClientNotification.Statement.UnknownLabelWarning"
    assert n["gql_status"] == "01N50"
    assert n["severity"] == "WARNING"
    assert n["category"] == "UNRECOGNIZED"
    assert n["position"] == {"offset": 9, "line": 1, "column": 10}
    assert "Agncy" in n["message"] and "Agncy" in n["description"]


def test_every_kind_and_none_for_a_clean_statement(conn):
    r = conn.execute(
        "MATCH (a:Agency), (p:Product)-[*]->(x) WHERE a.name > 3 RETURN count(*) AS n"
    )
    codes = [n["code"].rsplit(".", 1)[1] for n in r.notifications]
    assert codes == [
        "CartesianProduct",
        "UnboundedVariableLengthPattern",
        "IncomparableTypesWarning",
    ]
    clean = conn.execute("MATCH (a:Agency)-[*1..2]->(p:Product) RETURN count(*) AS n")
    assert clean.notifications == []
