//! Fuzz target: the snapshot decoder. Any bytes either fail with a
//! `FormatError` or decode to a graph that encodes and decodes again to the
//! same content. Most mutated inputs get a correct length and checksum so
//! that they reach the payload decoder.
//!
//! `cargo run --release --example fuzz_snapshot -- SECONDS` (see docs/reliability.md).

#[path = "driver/mod.rs"]
mod driver;

use driver::{Rng, Target, Verdict};
use kgq::{ErrorClass, Session, snapshot};

const HEADER_LEN: usize = 28;

fn check(bytes: &[u8]) -> Verdict {
    let _ = snapshot::inspect_bytes(bytes);
    match snapshot::from_bytes(bytes) {
        Err(e) if e.class == ErrorClass::FormatError => Verdict::Ok(format!(
            "err {} {}",
            e.code,
            e.message.chars().take(24).collect::<String>()
        )),
        Err(e) => Verdict::Bug(format!("decoding failed outside FormatError: {e}")),
        Ok(graph) => {
            let dump = graph.content_dump();
            let again = snapshot::to_bytes(&graph).and_then(|b| snapshot::from_bytes(&b));
            match again {
                Ok(g) if g.content_dump() == dump => Verdict::Ok(format!(
                    "ok {} {}",
                    graph.node_count().min(8),
                    graph.relationships().count().min(8)
                )),
                Ok(_) => Verdict::Bug("a decoded graph does not survive a round trip".into()),
                Err(e) => Verdict::Bug(format!("a decoded graph does not encode again: {e}")),
            }
        }
    }
}

/// Gives the payload its true length and checksum (three times in four).
fn fix_header(bytes: &mut [u8], rng: &mut Rng) {
    if bytes.len() < HEADER_LEN || rng.one_in(4) {
        return;
    }
    if rng.one_in(8) {
        bytes[..8].copy_from_slice(b"KGQSNAP\0");
        bytes[8..12].copy_from_slice(&2u32.to_le_bytes());
    }
    let payload = &bytes[HEADER_LEN..];
    let len = (payload.len() as u64).to_le_bytes();
    let crc = crc32fast::hash(payload).to_le_bytes();
    bytes[16..24].copy_from_slice(&len);
    bytes[24..28].copy_from_slice(&crc);
}

fn seed(script: &str) -> Vec<u8> {
    let mut session = Session::new();
    if let Err(e) = session.run_script(script) {
        eprintln!("seed script failed: {e}");
    }
    snapshot::to_bytes(session.graph()).unwrap_or_default()
}

fn main() {
    let seeds = vec![
        seed(""),
        seed("CREATE (:A {x: 1})-[:T {w: 2.5}]->(:B:C {s: 'text', l: [1, 2, 3]})"),
        seed(
            "CREATE (a:P {d: date('2024-02-29'), t: localtime('12:30'), z: datetime('2024-01-01T00:00:00+01:00'), \
             du: duration('P1Y2M3DT4H'), b: true, n: -9223372036854775808, f: -0.0, e: ''}), \
             (a)-[:R]->(a), (a)-[:S {l: ['x', 'y']}]->(:Q)",
        ),
        kgq::bundled::graph()
            .ok()
            .and_then(|g| snapshot::to_bytes(&g).ok())
            .unwrap_or_default(),
    ];
    driver::main(Target {
        name: "snapshot",
        seeds,
        dictionary: vec![
            vec![0xff; 8],
            vec![0; 8],
            u32::MAX.to_le_bytes().to_vec(),
            vec![0xfc, 0xff, 0xff, 0xff, 0xff],
            vec![0xfd, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff],
        ],
        check: Box::new(check),
        max_len: 1 << 16,
        slow: std::time::Duration::from_secs(1),
        fixup: Some(fix_header),
    });
}
