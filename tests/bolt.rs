//! Bolt at the byte level against the real `kgq serve`: hostile streams
//! end their own connection and the server keeps serving; the state
//! machine answers FAILURE, IGNORED and RESET as the protocol says; an
//! old (4.4) client gets structures without element ids.
#![cfg(feature = "server")]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use kgq::server::bolt::packstream::{Pack, decode, encode};

struct Server {
    child: Child,
    port: u16,
}

impl Server {
    fn start(args: &[&str]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_kgq"))
            .args(["serve", "--bolt", "127.0.0.1:0"])
            .args(args)
            .stderr(Stdio::piped())
            .stdout(Stdio::null())
            .spawn()
            .expect("kgq serve starts");
        let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
        let port = loop {
            let line = lines.next().expect("a listening line").unwrap();
            if let Some(rest) = line.split("bolt listening on 127.0.0.1:").nth(1) {
                break rest.trim().parse().unwrap();
            }
        };
        // Keep draining stderr so the server never blocks on it.
        std::thread::spawn(move || for _ in lines {});
        Server { child, port }
    }

    fn connect(&self) -> TcpStream {
        let s = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
        s
    }

    /// A connection that has negotiated 5.8 and logged in.
    fn ready(&self) -> TcpStream {
        let mut s = self.connect();
        assert_eq!(handshake(&mut s, [0, 8, 8, 5]), [0, 0, 8, 5]);
        send(
            &mut s,
            0x01,
            vec![map(&[("user_agent", Pack::str("test/1"))])],
        );
        assert_eq!(recv(&mut s).0, 0x70);
        let auth = map(&[
            ("scheme", Pack::str("basic")),
            ("principal", Pack::str("u")),
            ("credentials", Pack::str("p")),
        ]);
        send(&mut s, 0x6A, vec![auth]);
        assert_eq!(recv(&mut s).0, 0x70);
        s
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn map(entries: &[(&str, Pack)]) -> Pack {
    Pack::Map(
        entries
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect(),
    )
}

fn handshake(s: &mut TcpStream, version: [u8; 4]) -> [u8; 4] {
    let mut hello = vec![0x60, 0x60, 0xB0, 0x17];
    hello.extend_from_slice(&version);
    hello.extend_from_slice(&[0; 12]);
    s.write_all(&hello).unwrap();
    let mut answer = [0u8; 4];
    s.read_exact(&mut answer).unwrap();
    answer
}

fn raw_message(s: &mut TcpStream, body: &[u8]) {
    let mut out = Vec::new();
    for chunk in body.chunks(65_535) {
        out.extend_from_slice(&(chunk.len() as u16).to_be_bytes());
        out.extend_from_slice(chunk);
    }
    out.extend_from_slice(&[0, 0]);
    s.write_all(&out).unwrap();
}

fn send(s: &mut TcpStream, tag: u8, fields: Vec<Pack>) {
    let mut body = Vec::new();
    encode(&Pack::Struct(tag, fields), &mut body);
    raw_message(s, &body);
}

fn recv(s: &mut TcpStream) -> (u8, Vec<Pack>) {
    let mut body = Vec::new();
    loop {
        let mut len = [0u8; 2];
        s.read_exact(&mut len).unwrap();
        let len = u16::from_be_bytes(len) as usize;
        if len == 0 {
            break;
        }
        let start = body.len();
        body.resize(start + len, 0);
        s.read_exact(&mut body[start..]).unwrap();
    }
    match decode(&body).unwrap() {
        Pack::Struct(tag, fields) => (tag, fields),
        other => panic!("not a message: {other:?}"),
    }
}

/// Reads until the server closes the connection; true if it did.
fn closed(s: &mut TcpStream) -> bool {
    let mut buf = [0u8; 1024];
    loop {
        match s.read(&mut buf) {
            Ok(0) => return true,
            Ok(_) => continue,
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => return true,
            Err(_) => return false,
        }
    }
}

fn run(s: &mut TcpStream, query: &str) -> (u8, Vec<Pack>) {
    send(
        s,
        0x10,
        vec![Pack::str(query), Pack::Map(vec![]), Pack::Map(vec![])],
    );
    recv(s)
}

fn still_serves(server: &Server) {
    let mut s = server.ready();
    assert_eq!(run(&mut s, "RETURN 1 AS one").0, 0x70);
    send(&mut s, 0x3F, vec![map(&[("n", Pack::Int(-1))])]);
    let (tag, fields) = recv(&mut s);
    assert_eq!((tag, fields), (0x71, vec![Pack::List(vec![Pack::Int(1)])]));
    assert_eq!(recv(&mut s).0, 0x70);
}

#[test]
fn hostile_streams_end_their_connection_and_the_server_lives() {
    let server = Server::start(&["--max-message-size", "4096"]);
    // Not Bolt at all.
    let mut s = server.connect();
    s.write_all(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
    assert!(closed(&mut s));
    // No version in common.
    let mut s = server.connect();
    assert_eq!(handshake(&mut s, [0, 0, 0, 3]), [0, 0, 0, 0]);
    assert!(closed(&mut s));
    // A handshake cut short.
    let mut s = server.connect();
    s.write_all(&[0x60, 0x60]).unwrap();
    drop(s);
    // A message larger than the limit, and a chunk that never arrives.
    let mut s = server.ready();
    raw_message(&mut s, &vec![0xC0; 5000]);
    assert_eq!(recv(&mut s).0, 0x7F);
    assert!(closed(&mut s));
    let mut s = server.ready();
    s.write_all(&[0xFF, 0xFF, 1, 2, 3]).unwrap();
    drop(s);
    // A length bomb: a 4 GiB string in a few bytes.
    let mut s = server.ready();
    raw_message(&mut s, &[0xB3, 0x10, 0xD2, 0xFF, 0xFF, 0xFF, 0xFF, 0x41]);
    let (tag, fields) = recv(&mut s);
    assert_eq!(tag, 0x7F);
    assert_eq!(
        fields[0].get("code"),
        Some(&Pack::str("Neo.ClientError.Request.Invalid"))
    );
    assert!(closed(&mut s));
    // Deep nesting.
    let mut s = server.ready();
    let mut body = vec![0xB3, 0x10, 0x80];
    body.extend(std::iter::repeat_n(0x91, 2000));
    body.push(0xC0);
    raw_message(&mut s, &body);
    assert_eq!(recv(&mut s).0, 0x7F);
    assert!(closed(&mut s));
    // An unknown message tag.
    let mut s = server.ready();
    send(&mut s, 0x99, vec![]);
    assert_eq!(recv(&mut s).0, 0x7F);
    assert!(closed(&mut s));
    // Not a structure.
    let mut s = server.ready();
    raw_message(&mut s, &[0x01]);
    assert_eq!(recv(&mut s).0, 0x7F);
    assert!(closed(&mut s));
    still_serves(&server);
}

#[test]
fn failed_ignores_until_reset() {
    let server = Server::start(&[]);
    let mut s = server.ready();
    // PULL without a result is not allowed.
    send(&mut s, 0x3F, vec![map(&[("n", Pack::Int(-1))])]);
    assert_eq!(recv(&mut s).0, 0x7F);
    assert_eq!(run(&mut s, "RETURN 1").0, 0x7E);
    send(&mut s, 0x11, vec![Pack::Map(vec![])]);
    assert_eq!(recv(&mut s).0, 0x7E);
    send(&mut s, 0x0F, vec![]);
    assert_eq!(recv(&mut s).0, 0x70);
    // A query error carries the code, kgq's message and the position.
    let (tag, fields) = run(&mut s, "RETURN nope");
    assert_eq!(tag, 0x7F);
    let message = fields[0].get("message").and_then(Pack::as_str).unwrap();
    assert!(message.contains("UndefinedVariable"), "{message}");
    assert!(message.contains("line 1, column 8"), "{message}");
    send(&mut s, 0x0F, vec![]);
    assert_eq!(recv(&mut s).0, 0x70);
    // Batches with has_more, then DISCARD of the rest.
    assert_eq!(run(&mut s, "UNWIND range(1, 5) AS i RETURN i").0, 0x70);
    send(&mut s, 0x3F, vec![map(&[("n", Pack::Int(2))])]);
    assert_eq!(recv(&mut s).0, 0x71);
    assert_eq!(recv(&mut s).0, 0x71);
    let (tag, fields) = recv(&mut s);
    assert_eq!(
        (tag, fields[0].get("has_more")),
        (0x70, Some(&Pack::Bool(true)))
    );
    send(&mut s, 0x2F, vec![map(&[("n", Pack::Int(-1))])]);
    let (tag, fields) = recv(&mut s);
    assert_eq!(tag, 0x70);
    assert_eq!(fields[0].get("type"), Some(&Pack::str("r")));
    send(&mut s, 0x02, vec![]);
    assert!(closed(&mut s));
}

#[test]
fn bolt_4_4_gets_auth_in_hello_and_nodes_without_element_ids() {
    let server = Server::start(&["--auth", "neo4j:pw"]);
    let mut s = server.connect();
    assert_eq!(handshake(&mut s, [0, 2, 4, 4]), [0, 0, 4, 4]);
    let hello = map(&[
        ("user_agent", Pack::str("old/4.4")),
        ("scheme", Pack::str("basic")),
        ("principal", Pack::str("neo4j")),
        ("credentials", Pack::str("pw")),
    ]);
    send(&mut s, 0x01, vec![hello]);
    assert_eq!(recv(&mut s).0, 0x70);
    assert_eq!(run(&mut s, "CREATE (n:A {x: 1}) RETURN n").0, 0x70);
    send(&mut s, 0x3F, vec![map(&[("n", Pack::Int(-1))])]);
    let (tag, fields) = recv(&mut s);
    assert_eq!(tag, 0x71);
    let Pack::List(row) = &fields[0] else {
        panic!("not a row")
    };
    let Pack::Struct(b'N', node) = &row[0] else {
        panic!("not a node")
    };
    assert_eq!(node.len(), 3);
    // A wrong password on 4.4 fails in HELLO.
    let mut s = server.connect();
    handshake(&mut s, [0, 0, 4, 4]);
    let hello = map(&[
        ("scheme", Pack::str("basic")),
        ("principal", Pack::str("neo4j")),
        ("credentials", Pack::str("no")),
    ]);
    send(&mut s, 0x01, vec![hello]);
    let (tag, fields) = recv(&mut s);
    assert_eq!(tag, 0x7F);
    assert_eq!(
        fields[0].get("code"),
        Some(&Pack::str("Neo.ClientError.Security.Unauthorized"))
    );
    assert!(closed(&mut s));
}
