//! The HTTP query API and the explorer's endpoints, against the real
//! `kgq serve` binary on a loopback port.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use serde_json::{Value as Json, json};

/// A running `kgq serve`; killed when dropped.
struct Server {
    child: Child,
    url: String,
}

impl Server {
    fn start(args: &[&str]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_kgq"))
            .arg("serve")
            .args(["--http", "127.0.0.1:0"])
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("kgq serve starts");
        let stderr = child.stderr.take().expect("stderr");
        let mut lines = BufReader::new(stderr).lines();
        let url = loop {
            let line = lines
                .next()
                .expect("kgq serve printed where it listens")
                .expect("stderr is text");
            if let Some(addr) = line.strip_prefix("kgq: http listening on ") {
                break format!("http://{}", addr.trim());
            }
        };
        // Keep draining stderr so the server never blocks on it.
        std::thread::spawn(move || for _ in lines {});
        Server { child, url }
    }

    fn agent() -> ureq::Agent {
        ureq::Agent::new_with_config(
            ureq::Agent::config_builder()
                .http_status_as_error(false)
                .build(),
        )
    }

    /// POSTs a statement; returns the status, the content type and the body.
    fn query_with(&self, body: Json, headers: &[(&str, &str)]) -> (u16, String, Json) {
        let mut request = Self::agent().post(format!("{}/db/kgq/query/v2", self.url));
        for (k, v) in headers {
            request = request.header(*k, *v);
        }
        let mut response = request.send_json(body).expect("the server answers");
        let status = response.status().as_u16();
        let content_type = response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string();
        let text = response
            .body_mut()
            .with_config()
            .limit(1 << 30)
            .read_to_string()
            .expect("a body");
        (
            status,
            content_type,
            serde_json::from_str(&text).expect("JSON"),
        )
    }

    fn query(&self, statement: &str) -> (u16, Json) {
        let (status, _, body) = self.query_with(json!({ "statement": statement }), &[]);
        (status, body)
    }

    fn get(&self, path: &str) -> (u16, Json) {
        let mut response = Self::agent()
            .get(format!("{}{path}", self.url))
            .call()
            .expect("the server answers");
        let status = response.status().as_u16();
        (status, response.body_mut().read_json().expect("JSON"))
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn error_code(body: &Json) -> &str {
    body["errors"][0]["code"].as_str().unwrap_or_default()
}

#[test]
fn a_query_returns_fields_values_and_counters_in_plain_json() {
    let server = Server::start(&[]);
    let (status, body) = server.query(
        "MATCH (a:Agency {name: 'Rosstandart'})-[r:PART_OF]->(c) RETURN a, r, c.name AS country",
    );
    assert_eq!(status, 202, "{body}");
    assert_eq!(body["data"]["fields"], json!(["a", "r", "country"]));
    let row = &body["data"]["values"][0];
    assert_eq!(row[0]["labels"], json!(["Agency"]));
    assert_eq!(row[0]["properties"]["name"], "Rosstandart");
    assert_eq!(row[1]["type"], "PART_OF");
    assert_eq!(row[1]["startNodeElementId"], row[0]["elementId"]);
    assert_eq!(row[1]["properties"]["reported_on"], "2025-02-14");
    assert_eq!(row[2], "Russia");
    assert_eq!(body["counters"]["containsUpdates"], false);
    assert_eq!(body["notifications"], json!([]));
}

#[test]
fn a_query_reply_carries_its_notifications() {
    let server = Server::start(&[]);
    let (status, body) = server.query("MATCH (a:Agncy) RETURN count(a) AS n");
    assert_eq!(status, 202, "{body}");
    assert_eq!(body["data"]["values"], json!([[0]]));
    let notes = body["notifications"].as_array().expect("a list");
    assert_eq!(notes.len(), 1, "{body}");
    let n = &notes[0];
    assert_eq!(
        n["code"],
        "Neo.ClientNotification.Statement.UnknownLabelWarning"
    );
    assert_eq!(n["severity"], "WARNING");
    assert_eq!(n["category"], "UNRECOGNIZED");
    assert_eq!(n["position"], json!({"offset": 9, "line": 1, "column": 10}));
    assert!(
        n["description"]
            .as_str()
            .unwrap_or_default()
            .contains("Agncy")
    );
}

#[test]
fn typed_json_carries_types_both_ways() {
    let server = Server::start(&[]);
    let typed = "application/vnd.neo4j.query.v1.1";
    let (status, content_type, body) = server.query_with(
        json!({
            "statement": "RETURN $day AS day, $day + duration('P1D') AS next, $n * 2 AS n, 1.5 AS f, [1, 'a'] AS l",
            "parameters": {
                "day": {"$type": "Date", "_value": "2025-02-10"},
                "n": {"$type": "Integer", "_value": "21"},
            },
        }),
        &[("Accept", typed), ("Content-Type", typed)],
    );
    assert_eq!(status, 202, "{body}");
    assert_eq!(content_type, typed);
    let row = &body["data"]["values"][0];
    assert_eq!(row[0], json!({"$type": "Date", "_value": "2025-02-10"}));
    assert_eq!(row[1], json!({"$type": "Date", "_value": "2025-02-11"}));
    assert_eq!(row[2], json!({"$type": "Integer", "_value": "42"}));
    assert_eq!(row[3], json!({"$type": "Float", "_value": "1.5"}));
    assert_eq!(row[4]["$type"], "List");
    assert_eq!(
        row[4]["_value"][1],
        json!({"$type": "String", "_value": "a"})
    );
}

#[test]
fn plain_parameters_keep_integers_and_floats_apart() {
    let server = Server::start(&[]);
    let (status, _, body) = server.query_with(
        json!({"statement": "RETURN $i + 1 AS i, $f AS f, $m.k AS k", "parameters": {"i": 41, "f": 2.5, "m": {"k": [true]}}}),
        &[],
    );
    assert_eq!(status, 202, "{body}");
    assert_eq!(body["data"]["values"][0], json!([42, 2.5, [true]]));
}

#[test]
fn errors_have_neo4j_codes_and_positions() {
    let server = Server::start(&[]);
    let (status, body) = server.query("MATCH (a RETURN a");
    assert_eq!(status, 400);
    assert_eq!(error_code(&body), "Neo.ClientError.Statement.SyntaxError");
    assert_eq!(
        body["errors"][0]["position"],
        json!({"offset": 9, "line": 1, "column": 10})
    );
    let (status, body) = server.query("RETURN nope");
    assert_eq!(status, 400);
    assert_eq!(error_code(&body), "Neo.ClientError.Statement.SyntaxError");
    assert_eq!(body["errors"][0]["kgqCode"], "UndefinedVariable");
    let (status, body) = server.query("RETURN $missing");
    assert_eq!(
        (status, error_code(&body)),
        (400, "Neo.ClientError.Statement.ParameterMissing")
    );
    // A request that is not the API's shape.
    let (status, _, body) = server.query_with(json!({"query": "RETURN 1"}), &[]);
    assert_eq!(
        (status, error_code(&body)),
        (400, "Neo.ClientError.Request.Invalid")
    );
    let (status, _, body) = server.query_with(
        json!({"statement": "RETURN 1", "parameters": {"x": 1e300, "y": 18446744073709551615u64}}),
        &[],
    );
    assert_eq!(
        (status, error_code(&body)),
        (400, "Neo.ClientError.Request.Invalid")
    );
    let mut response = Server::agent()
        .post(format!("{}/db/neo4j/query/v2", server.url))
        .send_json(json!({"statement": "RETURN 1"}))
        .unwrap();
    assert_eq!(response.status().as_u16(), 404);
    let body: Json = response.body_mut().read_json().unwrap();
    assert_eq!(
        error_code(&body),
        "Neo.ClientError.Database.DatabaseNotFound"
    );
}

#[test]
fn writes_report_counters_and_last() {
    let server = Server::start(&[]);
    let (status, body) = server.query(
        "CREATE (:Company {name: 'Test Motors'})-[:BASED_IN]->(:Country {name: 'Testland'})",
    );
    assert_eq!(status, 202, "{body}");
    assert_eq!(body["counters"]["nodesCreated"], 2);
    assert_eq!(body["counters"]["relationshipsCreated"], 1);
    assert_eq!(body["counters"]["containsUpdates"], true);
    let (_, body) = server.query("MATCH (c:Company {name: 'Test Motors'})-->(x) RETURN x.name");
    assert_eq!(body["data"]["values"], json!([["Testland"]]));
}

#[test]
fn read_only_refuses_writes_and_keeps_the_graph() {
    let server = Server::start(&["--read-only"]);
    let (_, before) = server.query("MATCH (n) RETURN count(n)");
    let (status, body) = server.query("CREATE (:Country {name: 'Nowhere'})");
    assert_eq!(status, 400);
    assert_eq!(error_code(&body), "Neo.ClientError.Statement.AccessMode");
    let (_, after) = server.query("MATCH (n) RETURN count(n)");
    assert_eq!(before["data"], after["data"]);
    let (status, _) = server.query("MATCH (c:Country) RETURN c.name LIMIT 1");
    assert_eq!(status, 202);
    let (_, info) = server.get("/api/info");
    assert_eq!(info["readOnly"], true);
}

#[test]
fn the_cli_limits_apply_time_and_memory() {
    let server = Server::start(&["--timeout", "0.3"]);
    // 50^5 rows: far more than 0.3 s of work.
    let (status, body) = server.query("MATCH (a), (b), (c), (d), (e) RETURN count(*)");
    assert_eq!(status, 400, "{body}");
    assert_eq!(
        error_code(&body),
        "Neo.TransientError.Transaction.Terminated"
    );
    assert_eq!(body["errors"][0]["kgqCode"], "Timeout");
    assert_eq!(server.query("RETURN 1").0, 202);
    let server = Server::start(&["--max-memory", "1M"]);
    let (status, body) = server.query("UNWIND range(1, 1000000) AS i RETURN collect(toString(i))");
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["errors"][0]["kgqClass"], "LimitExceeded");
    // The server is still there.
    assert_eq!(server.query("RETURN 1").0, 202);
}

#[test]
fn large_results_stream_in_chunks() {
    let server = Server::start(&[]);
    let response = Server::agent()
        .post(format!("{}/db/kgq/query/v2", server.url))
        .send_json(json!({"statement": "UNWIND range(1, 200000) AS i RETURN i, 'row ' + toString(i) AS s"}))
        .unwrap();
    assert_eq!(response.status().as_u16(), 202);
    assert_eq!(
        response
            .headers()
            .get("transfer-encoding")
            .map(|v| v.to_str().unwrap()),
        Some("chunked")
    );
    let mut response = response;
    let body: Json = response
        .body_mut()
        .with_config()
        .limit(1 << 30)
        .read_json()
        .unwrap();
    let values = body["data"]["values"].as_array().unwrap();
    assert_eq!(values.len(), 200_000);
    assert_eq!(values[199_999], json!([200000, "row 200000"]));
}

#[test]
fn basic_auth_guards_everything() {
    let server = Server::start(&["--auth", "analyst:open sesame"]);
    let (status, body) = server.query("RETURN 1");
    assert_eq!(status, 401);
    assert_eq!(error_code(&body), "Neo.ClientError.Security.Unauthorized");
    let page = Server::agent()
        .get(format!("{}/", server.url))
        .call()
        .unwrap();
    assert_eq!(page.status().as_u16(), 401);
    assert!(page.headers().get("www-authenticate").is_some());
    let wrong = format!("Basic {}", base64_encode(b"analyst:guess"));
    assert_eq!(
        server
            .query_with(
                json!({"statement": "RETURN 1"}),
                &[("Authorization", &wrong)]
            )
            .0,
        401
    );
    let right = format!("Basic {}", base64_encode(b"analyst:open sesame"));
    let (status, _, body) = server.query_with(
        json!({"statement": "RETURN 1 AS one"}),
        &[("Authorization", &right)],
    );
    assert_eq!(status, 202);
    assert_eq!(body["data"]["values"], json!([[1]]));
}

fn base64_encode(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[test]
fn cors_is_off_unless_asked_for() {
    let origin = "http://localhost:5173";
    let off = Server::start(&[]);
    let response = Server::agent()
        .post(format!("{}/db/kgq/query/v2", off.url))
        .header("Origin", origin)
        .send_json(json!({"statement": "RETURN 1"}))
        .unwrap();
    assert!(
        response
            .headers()
            .get("access-control-allow-origin")
            .is_none()
    );
    let on = Server::start(&["--cors", origin]);
    let response = Server::agent()
        .post(format!("{}/db/kgq/query/v2", on.url))
        .header("Origin", origin)
        .send_json(json!({"statement": "RETURN 1"}))
        .unwrap();
    assert_eq!(
        response
            .headers()
            .get("access-control-allow-origin")
            .map(|v| v.to_str().unwrap()),
        Some(origin)
    );
}

#[test]
fn the_page_and_its_assets_are_embedded() {
    let server = Server::start(&[]);
    let mut page = Server::agent()
        .get(format!("{}/", server.url))
        .call()
        .unwrap();
    assert_eq!(page.status().as_u16(), 200);
    let html = page.body_mut().read_to_string().unwrap();
    assert!(html.contains("/assets/app.js"), "{html}");
    let mut js = Server::agent()
        .get(format!("{}/assets/app.js", server.url))
        .call()
        .unwrap();
    assert_eq!(js.status().as_u16(), 200);
    assert!(
        js.body_mut()
            .with_config()
            .limit(1 << 26)
            .read_to_string()
            .unwrap()
            .len()
            > 10_000
    );
    let missing = Server::agent()
        .get(format!("{}/assets/nope.js", server.url))
        .call()
        .unwrap();
    assert_eq!(missing.status().as_u16(), 404);
}

#[test]
fn the_explorer_endpoints_resolve_names_and_show_sources_and_valid_time() {
    let server = Server::start(&[]);
    let (status, found) = server
        .get("/api/find?q=%D0%A0%D0%BE%D1%81%D1%81%D1%82%D0%B0%D0%BD%D0%B4%D0%B0%D1%80%D1%82");
    assert_eq!(status, 200);
    let first = &found["candidates"][0];
    assert_eq!(
        first["node"]["_value"]["_properties"]["name"]["_value"],
        "Rosstandart"
    );
    let id = first["node"]["_value"]["_element_id"]
        .as_str()
        .unwrap()
        .to_string();

    let (_, node) = server.get(&format!("/api/node/{id}"));
    assert!(
        node["aliases"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a == "Росстандарт")
    );
    assert_eq!(node["sources"][0]["name"], "Caijing Network");

    let (_, rows) = server.query("MATCH ()-[r:SUSPENDED_SALES_OF]->() RETURN r");
    let rel = rows["data"]["values"][0][0]["elementId"]
        .as_str()
        .unwrap()
        .to_string();
    let (_, r) = server.get(&format!("/api/relationship/{rel}"));
    assert_eq!(r["sources"][0]["name"], "Caijing Network");
    assert_eq!(
        r["sources"][0]["node"]["_value"]["_labels"],
        json!(["Media"])
    );
    assert_eq!(
        r["validTime"]["validFrom"],
        json!({"$type": "Date", "_value": "2025-02-10"})
    );

    // Valid time: the truck was certified in Russia until 2025-02-10.
    let (_, rows) = server.query("MATCH (t)-[:CERTIFIED_IN]->() RETURN t");
    let truck = rows["data"]["values"][0][0]["elementId"]
        .as_str()
        .unwrap()
        .to_string();
    let types = |asof: &str| {
        let (_, n) = server.get(&format!("/api/neighbours/{truck}?asOf={asof}"));
        let mut t: Vec<String> = n["relationships"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["_value"]["_type"].as_str().unwrap().to_string())
            .collect();
        t.sort();
        t
    };
    assert!(types("2025-02-09").contains(&"CERTIFIED_IN".to_string()));
    assert!(!types("2025-02-11").contains(&"CERTIFIED_IN".to_string()));
    let (_, at) = server.query_with(
        json!({"statement": "MATCH (t)-[r:CERTIFIED_IN]->() RETURN count(r)", "asOf": "2025-02-11"}),
        &[],
    )
    .2
    .as_object()
    .map(|o| (0, Json::Object(o.clone())))
    .unwrap();
    assert_eq!(at["data"]["values"], json!([[0]]));

    let (status, body) = server.get("/api/node/4:kgq:999999");
    assert_eq!(
        (status, error_code(&body)),
        (404, "Neo.ClientError.Statement.EntityNotFound")
    );
    let (status, _) = server.get("/api/node/garbage");
    assert_eq!(status, 404);
    let (_, catalog) = server.get("/api/catalog");
    assert!(
        catalog["labels"]
            .as_array()
            .unwrap()
            .iter()
            .any(|l| l == "Agency")
    );
    assert!(
        catalog["keywords"]
            .as_array()
            .unwrap()
            .iter()
            .any(|k| k == "MATCH")
    );
    assert!(
        catalog["names"]
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n["name"] == "Rosstandart")
    );
    let (_, info) = server.get("/api/info");
    assert_eq!(info["timeRange"]["min"], "2025-02-05");
}

#[test]
fn a_store_keeps_what_the_api_wrote() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("g.kgq");
    let path = path.to_str().unwrap();
    let saved = Command::new(env!("CARGO_BIN_EXE_kgq"))
        .args(["run", "-", "--save", path])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(saved.status.success(), "{saved:?}");
    {
        let server = Server::start(&[path]);
        let (status, body) = server.query("CREATE (:Country {name: 'Kept'})");
        assert_eq!(status, 202, "{body}");
    }
    let server = Server::start(&[path]);
    let (_, body) = server.query("MATCH (c:Country) RETURN c.name");
    assert_eq!(body["data"]["values"], json!([["Kept"]]));
}
