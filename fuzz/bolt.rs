//! Fuzz target: the Bolt PackStream decoder and the parameter conversion.
//! Any bytes either fail to decode with an error or decode to a value that
//! encodes and decodes again to the same bytes; converting a decoded value
//! to a kgq parameter either works or fails with a TypeError.
//!
//! `cargo run --release --example fuzz_bolt -- SECONDS` (see docs/reliability.md).

#[path = "driver/mod.rs"]
mod driver;

use driver::{Target, Verdict};
use kgq::ErrorClass;
use kgq::server::bolt::packstream::{self, Pack};
use kgq::server::bolt::values::from_pack;

fn check(bytes: &[u8]) -> Verdict {
    let value = match packstream::decode(bytes) {
        Err(e) => {
            return Verdict::Ok(format!(
                "err {}",
                e.message.chars().take(20).collect::<String>()
            ));
        }
        Ok(v) => v,
    };
    let mut once = Vec::new();
    packstream::encode(&value, &mut once);
    let again = match packstream::decode(&once) {
        Ok(v) => v,
        Err(e) => {
            return Verdict::Bug(format!(
                "a decoded value does not decode after encoding: {e}"
            ));
        }
    };
    let mut twice = Vec::new();
    packstream::encode(&again, &mut twice);
    if once != twice {
        return Verdict::Bug("encoding is not stable across a round trip".into());
    }
    let converted = match from_pack(&value) {
        Ok(_) => "ok".to_string(),
        Err(e) if e.class == ErrorClass::TypeError => {
            format!("type {}", e.message.chars().take(16).collect::<String>())
        }
        Err(e) => return Verdict::Bug(format!("conversion failed outside TypeError: {e}")),
    };
    Verdict::Ok(format!("{} {converted}", packstream::kind(&value)))
}

fn seed(value: Pack) -> Vec<u8> {
    let mut out = Vec::new();
    packstream::encode(&value, &mut out);
    out
}

fn main() {
    let int = Pack::Int;
    let seeds = vec![
        seed(Pack::Struct(
            0x10,
            vec![
                Pack::str("MATCH (n) WHERE n.x = $x RETURN n"),
                Pack::Map(vec![
                    ("x".into(), int(70_000)),
                    ("l".into(), Pack::List(vec![Pack::Float(1.5), Pack::Null])),
                ]),
                Pack::Map(vec![("mode".into(), Pack::str("r"))]),
            ],
        )),
        seed(Pack::Struct(b'D', vec![int(20_000)])),
        seed(Pack::Struct(
            b'i',
            vec![int(1_700_000_000), int(5), Pack::str("Europe/Stockholm")],
        )),
        seed(Pack::Struct(
            b'I',
            vec![int(-1), int(999_999_999), int(3600)],
        )),
        seed(Pack::Struct(b'E', vec![int(14), int(3), int(-7), int(5)])),
        seed(Pack::Struct(b'T', vec![int(3_600_000_000_000), int(-7200)])),
        seed(Pack::Bytes(vec![1, 2, 3])),
        seed(Pack::String("é".repeat(20))),
    ];
    driver::main(Target {
        name: "bolt",
        seeds,
        dictionary: vec![
            vec![0xD2, 0xFF, 0xFF, 0xFF, 0xFF],
            vec![0xD6, 0xFF, 0xFF, 0xFF, 0xFF],
            vec![0xDA, 0x00, 0x01, 0x00, 0x00],
            vec![0xB3, b'i'],
            vec![0xCB, 0x80, 0, 0, 0, 0, 0, 0, 0],
            vec![0x91; 70],
            vec![0xC1, 0x7F, 0xF8, 0, 0, 0, 0, 0, 0],
        ],
        check: Box::new(check),
        max_len: 1 << 14,
        slow: std::time::Duration::from_secs(1),
        fixup: None,
    });
}
