//! Fuzz target: the parser. Any text either fails with a positioned
//! syntax error (which renders without panicking) or parses to an AST whose
//! printed text parses back and prints the same (print → parse is a
//! fixpoint). Script splitting is exercised on the same input.
//!
//! `cargo run --release --example fuzz_parse -- SECONDS` (see docs/reliability.md).

#[path = "driver/mod.rs"]
mod driver;

use driver::{Target, Verdict};
use kgq::syntax::{parse_statement, print_statement, split_script};

fn check(bytes: &[u8]) -> Verdict {
    let text = String::from_utf8_lossy(bytes);
    for chunk in split_script(&text) {
        if text.get(chunk.span.start..chunk.span.end) != Some(chunk.text.as_str()) {
            return Verdict::Bug(format!("a script chunk's span is off: {chunk:?}"));
        }
    }
    match parse_statement(&text) {
        Err(e) => {
            if let Some(span) = e.span
                && (span.start > text.len() || span.end > text.len() || span.start > span.end)
            {
                return Verdict::Bug(format!("error span {span:?} outside the text: {e}"));
            }
            let _ = e.render("fuzz", &text);
            Verdict::Ok(format!("err {} {}", e.code, shape(&e.message)))
        }
        Ok(ast) => {
            let printed = print_statement(&ast);
            let again = match parse_statement(&printed) {
                Ok(again) => again,
                Err(e) => {
                    return Verdict::Bug(format!(
                        "printed text does not parse: {e}\n  printed: {printed}"
                    ));
                }
            };
            let reprinted = print_statement(&again);
            if reprinted != printed {
                return Verdict::Bug(format!(
                    "print is not a fixpoint\n  first:  {printed}\n  second: {reprinted}"
                ));
            }
            Verdict::Ok(format!("ok {}", shape(&printed)))
        }
    }
}

/// The keywords and punctuation of a text, as a coarse feature.
fn shape(text: &str) -> String {
    text.split(|c: char| !c.is_ascii_uppercase() && !"()[]{}-<>|*".contains(c))
        .filter(|w| w.len() > 1 || w.chars().any(|c| "()[]{}-<>|*".contains(c)))
        .take(12)
        .collect::<Vec<_>>()
        .join(" ")
}

fn main() {
    let mut seeds = driver::statement_seeds();
    seeds.push(
        b"MATCH (a:A)-[r:T*1..3]->(b) WHERE a.x > 1 RETURN a, count(*) ORDER BY a.x DESC LIMIT 5"
            .to_vec(),
    );
    driver::main(Target {
        name: "parse",
        seeds,
        dictionary: driver::statement_dictionary(),
        check: Box::new(check),
        max_len: 4096,
        slow: std::time::Duration::from_secs(1),
        fixup: None,
    });
}
