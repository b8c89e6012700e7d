"""Notifications in Bolt summaries, read by the official Neo4j Python driver."""

import warnings

from neo4j import GraphDatabase, NotificationSeverity


def driver(server):
    return GraphDatabase.driver(f"bolt://127.0.0.1:{server.port}", auth=("neo4j", "any"))


def deprecated(read):
    """Reads a summary property the driver marks deprecated (notifications)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        return read()


QUERY = "MATCH (a:Agncy), (p:Product)\nWHERE p.nmae = 'x' RETURN count(*) AS n"


def test_summary_carries_notifications_and_statuses(serve):
    server = serve()
    with driver(server) as d:
        records, summary, _ = d.execute_query(QUERY)
        assert records[0]["n"] == 0
        notes = deprecated(lambda: summary.summary_notifications)
        by_code = {n.code: n for n in notes}
        assert set(by_code) == {
            "Neo.ClientNotification.Statement.UnknownLabelWarning",
            "Neo.ClientNotification.Statement.CartesianProduct",
            "Neo.ClientNotification.Statement.UnknownPropertyKeyWarning",
        }
        label = by_code["Neo.ClientNotification.Statement.UnknownLabelWarning"]
        assert label.raw_severity_level == "WARNING"
        assert label.severity_level == NotificationSeverity.WARNING
        assert label.raw_category == "UNRECOGNIZED"
        assert label.category.value == "UNRECOGNIZED"
        assert "Agncy" in label.description
        assert (label.position.line, label.position.column, label.position.offset) == (1, 10, 9)
        key = by_code["Neo.ClientNotification.Statement.UnknownPropertyKeyWarning"]
        assert (key.position.line, key.position.column) == (2, 9)
        product = by_code["Neo.ClientNotification.Statement.CartesianProduct"]
        assert product.raw_severity_level == "INFORMATION"
        assert product.raw_category == "PERFORMANCE"
        raw = deprecated(lambda: summary.notifications)
        assert {n["code"] for n in raw} == set(by_code)
        assert all({"title", "description", "severity", "category", "position"} <= set(n) for n in raw)

        statuses = summary.gql_status_objects
        codes = [s.gql_status for s in statuses]
        # The result's own status (one row: success), then by precedence.
        assert codes == ["01N50", "01N52", "00000", "03N90"], codes
        warning = statuses[0]
        assert warning.status_description.startswith("warn: unknown label.")
        assert warning.is_notification
        assert warning.position.line == 1


def test_bounded_connected_query_has_no_notifications(serve):
    server = serve()
    with driver(server) as d:
        with d.session() as s:
            result = s.run(
                "MATCH (a:Agency)-[:CANCELLED_CERTIFICATION_OF*1..2]->(p:Product) RETURN count(*) AS n"
            )
            assert result.single()["n"] >= 1
            summary = result.consume()
        assert deprecated(lambda: summary.summary_notifications) == ()
        assert [s.gql_status for s in summary.gql_status_objects] == ["00000"]


def test_notifications_in_an_explicit_transaction_and_unchanged_rows(serve):
    server = serve()
    with driver(server) as d:
        with d.session() as s:
            with s.begin_transaction() as tx:
                result = tx.run("MATCH (a:Agency)-[*]->(p:Product) RETURN count(*) AS n")
                unbounded = result.single()["n"]
                notes = deprecated(lambda: result.consume().summary_notifications)
                assert [n.code for n in notes] == [
                    "Neo.ClientNotification.Statement.UnboundedVariableLengthPattern"
                ]
                bounded = tx.run(
                    "MATCH (a:Agency)-[*1..1000]->(p:Product) RETURN count(*) AS n"
                ).single()["n"]
                assert unbounded == bounded
