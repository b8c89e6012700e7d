//! A small in-process mutation fuzzer that works on the stable toolchain
//! (cargo-fuzz needs nightly). Each target gives a seed corpus and a check
//! function; the driver mutates corpus entries (byte edits, token
//! insertions from a dictionary, splices, repeats), runs the check under
//! `catch_unwind`, keeps inputs that reach new "features" (an outcome
//! signature the target reports, e.g. the error code), and saves failures.
//!
//! Before each run the input is written to `ARTIFACTS/<target>/current`,
//! so an abort or stack overflow (which `catch_unwind` cannot catch) leaves
//! the input behind. Panics, failed checks and slow inputs are saved as
//! `crash-<hash>` / `slow-<hash>` files.
//!
//! Usage: `cargo run --release --example fuzz_<target> -- [SECONDS] [ARTIFACTS]`
//! (defaults: 60 seconds, `fuzz/artifacts`). `FUZZ_SEED` fixes the seed.

#![allow(dead_code)]

use std::collections::HashSet;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// What one run of a target found.
pub enum Verdict {
    /// Fine; the string is a feature signature (new ones grow the corpus).
    Ok(String),
    /// A bug: the check failed with this description.
    Bug(String),
}

/// The check a target runs on one input.
pub type Check = Box<dyn FnMut(&[u8]) -> Verdict>;

/// A fuzz target.
pub struct Target {
    /// Its name (artifacts go under this name).
    pub name: &'static str,
    /// Seed inputs.
    pub seeds: Vec<Vec<u8>>,
    /// Tokens spliced into inputs.
    pub dictionary: Vec<Vec<u8>>,
    /// The check: runs one input.
    pub check: Check,
    /// Inputs are capped at this many bytes.
    pub max_len: usize,
    /// Runs slower than this are reported as `slow-…` artifacts.
    pub slow: Duration,
    /// Called on the bytes before running, e.g. to fix a checksum.
    pub fixup: Option<fn(&mut [u8], &mut Rng)>,
}

/// A xorshift random generator (no dependencies, reproducible).
pub struct Rng(u64);

impl Rng {
    /// A generator from `seed` (0 is replaced).
    pub fn new(seed: u64) -> Rng {
        Rng(seed.max(1))
    }
    /// The next 64 random bits.
    pub fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }
    /// A number below `n` (`n` > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    /// True one time in `n`.
    pub fn one_in(&mut self, n: usize) -> bool {
        self.below(n) == 0
    }
}

/// Interesting bytes and numbers for byte-level edits.
const MAGIC_BYTES: &[u8] = &[
    0, 1, 0x7f, 0x80, 0xff, b'(', b')', b'[', b']', b'{', b'}', b'\'', b'"', b'`', b'\\', b';',
    b'\n', b'\r', b'-', b'>', b'<', b'*', b'.', b'$', b':', b'|', b'/',
];

fn mutate(input: &[u8], target: &Target, corpus: &[Vec<u8>], rng: &mut Rng) -> Vec<u8> {
    let mut out = input.to_vec();
    let rounds = 1 + rng.below(4);
    for _ in 0..rounds {
        let len = out.len();
        match rng.below(10) {
            0 if len > 0 => {
                let at = rng.below(len);
                out[at] ^= 1 << rng.below(8);
            }
            1 if len > 0 => {
                let at = rng.below(len);
                out[at] = MAGIC_BYTES[rng.below(MAGIC_BYTES.len())];
            }
            2 if len > 0 => {
                let at = rng.below(len);
                let n = 1 + rng.below(8.min(len - at));
                out.drain(at..at + n);
            }
            3 | 4 if !target.dictionary.is_empty() => {
                let token = &target.dictionary[rng.below(target.dictionary.len())];
                let at = rng.below(len + 1);
                out.splice(at..at, token.iter().copied());
            }
            5 if !corpus.is_empty() => {
                // Splice a piece of another corpus entry.
                let other = &corpus[rng.below(corpus.len())];
                if !other.is_empty() {
                    let from = rng.below(other.len());
                    let to = from + rng.below(other.len() - from) + 1;
                    let at = rng.below(len + 1);
                    out.splice(at..at, other[from..to].iter().copied());
                }
            }
            6 if len > 1 => {
                // Repeat a piece (grows nesting and chains).
                let from = rng.below(len);
                let to = (from + 1 + rng.below(16)).min(len);
                let piece = out[from..to].to_vec();
                let cap = if rng.one_in(8) { 300 } else { 4 };
                let times = 1 + rng.below(cap);
                for _ in 0..times {
                    out.splice(to..to, piece.iter().copied());
                }
            }
            7 if len > 0 => {
                // Overwrite with an interesting number.
                let numbers: [&[u8]; 8] = [
                    b"0",
                    b"-1",
                    b"9223372036854775807",
                    b"-9223372036854775808",
                    b"9223372036854775808",
                    b"1e309",
                    b"0.0",
                    b"4294967296",
                ];
                let at = rng.below(len);
                let n = numbers[rng.below(numbers.len())];
                out.splice(at..at, n.iter().copied());
            }
            8 if len > 1 => {
                let a = rng.below(len);
                let b = rng.below(len);
                out.swap(a, b);
            }
            _ => {
                let at = rng.below(len + 1);
                out.insert(at, rng.next() as u8);
            }
        }
    }
    out.truncate(target.max_len);
    if let Some(fix) = target.fixup {
        fix(&mut out, rng);
    }
    out
}

fn hash_of(bytes: &[u8]) -> u64 {
    let mut h = DefaultHasher::new();
    bytes.hash(&mut h);
    h.finish()
}

/// Runs `target` for the time given on the command line and prints a
/// summary; exits with status 1 if anything was found.
pub fn main(mut target: Target) {
    let args: Vec<String> = std::env::args().collect();
    let seconds: u64 = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(60);
    let artifacts = PathBuf::from(
        args.get(2)
            .cloned()
            .unwrap_or_else(|| "fuzz/artifacts".into()),
    )
    .join(target.name);
    let _ = std::fs::create_dir_all(&artifacts);
    let seed = std::env::var("FUZZ_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_nanos() as u64)
                .unwrap_or(1)
        });
    let mut rng = Rng::new(seed);
    // Silence the default panic message; panics are reported as findings.
    std::panic::set_hook(Box::new(|_| {}));

    let mut corpus: Vec<Vec<u8>> = target.seeds.clone();
    corpus.retain(|s| s.len() <= target.max_len);
    if corpus.is_empty() {
        corpus.push(Vec::new());
    }
    let mut features: HashSet<String> = HashSet::new();
    let mut findings: HashSet<String> = HashSet::new();
    let started = Instant::now();
    let deadline = started + Duration::from_secs(seconds);
    let (mut runs, mut slow_runs) = (0u64, 0u64);
    let mut seed_pass = 0usize;
    let current = artifacts.join("current");
    println!(
        "fuzz {}: {} seeds, {}s, seed {seed}",
        target.name,
        corpus.len(),
        seconds
    );
    while Instant::now() < deadline {
        let input = if seed_pass < corpus.len() {
            seed_pass += 1;
            corpus[seed_pass - 1].clone()
        } else {
            let base = &corpus[rng.below(corpus.len())];
            mutate(base, &target, &corpus, &mut rng)
        };
        let _ = std::fs::write(&current, &input);
        let t0 = Instant::now();
        let verdict = catch_unwind(AssertUnwindSafe(|| (target.check)(&input)));
        let took = t0.elapsed();
        runs += 1;
        let problem = match verdict {
            Ok(Verdict::Ok(feature)) => {
                if features.insert(feature) && corpus.len() < 50_000 {
                    corpus.push(input.clone());
                }
                None
            }
            Ok(Verdict::Bug(what)) => Some(what),
            Err(payload) => Some(format!("panic: {}", panic_text(&*payload))),
        };
        if let Some(what) = problem {
            let key = what.lines().next().unwrap_or_default().to_string();
            if findings.insert(key.clone()) {
                let path = save(&artifacts, "crash", &input);
                println!(
                    "FOUND {}: {key}\n  saved as {}",
                    target.name,
                    path.display()
                );
            }
        } else if took > target.slow {
            slow_runs += 1;
            let key = format!("slow {}", took.as_millis() / 1000);
            if slow_runs <= 20 {
                let path = save(&artifacts, "slow", &input);
                println!(
                    "SLOW {}: {:.1?} for {} bytes, saved as {}",
                    target.name,
                    took,
                    input.len(),
                    path.display()
                );
                findings.insert(key);
            }
        }
    }
    let _ = std::fs::remove_file(&current);
    println!(
        "fuzz {} done: {runs} runs in {:.0?}, corpus {}, features {}, findings {}, slow {}",
        target.name,
        started.elapsed(),
        corpus.len(),
        features.len(),
        findings.len(),
        slow_runs
    );
    if !findings.is_empty() {
        std::process::exit(1);
    }
}

fn save(dir: &Path, kind: &str, input: &[u8]) -> PathBuf {
    let path = dir.join(format!("{kind}-{:016x}", hash_of(input)));
    let _ = std::fs::write(&path, input);
    path
}

fn panic_text(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "non-string panic".to_string()
    }
}

/// Statement texts for seeds: the `.case` files of `tests/cases` and the
/// TCK queries under `/work/shared/tck` (read at run time, never copied).
pub fn statement_seeds() -> Vec<Vec<u8>> {
    let mut seeds = Vec::new();
    let mut files = Vec::new();
    collect_files(Path::new("tests/cases"), "case", &mut files);
    collect_files(
        Path::new("/work/shared/tck/features"),
        "feature",
        &mut files,
    );
    for file in files {
        let Ok(text) = std::fs::read_to_string(&file) else {
            continue;
        };
        seeds.extend(queries_in(&text));
    }
    seeds.sort();
    seeds.dedup();
    seeds
}

fn collect_files(dir: &Path, ext: &str, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect_files(&path, ext, out);
        } else if path.extension().is_some_and(|e| e == ext) {
            out.push(path);
        }
    }
}

/// Query blocks: the TCK's `"""` blocks, and in `.case` files each
/// statement (lines up to a `;` line end), roughly — seeds need not be exact.
fn queries_in(text: &str) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    let mut block: Option<String> = None;
    for line in text.lines() {
        let trimmed = line.trim();
        if trimmed == "\"\"\"" {
            match block.take() {
                Some(b) => out.push(b.into_bytes()),
                None => block = Some(String::new()),
            }
            continue;
        }
        if let Some(b) = block.as_mut() {
            b.push_str(trimmed);
            b.push('\n');
            continue;
        }
        let upper = trimmed.to_ascii_uppercase();
        if [
            "MATCH", "RETURN", "CREATE", "UNWIND", "WITH", "MERGE", "OPTIONAL",
        ]
        .iter()
        .any(|k| upper.starts_with(k))
        {
            out.push(trimmed.trim_end_matches(';').as_bytes().to_vec());
        }
    }
    out
}

/// Words and punctuation of the language, for insertions.
pub fn statement_dictionary() -> Vec<Vec<u8>> {
    [
        "MATCH ",
        "OPTIONAL MATCH ",
        "WHERE ",
        "RETURN ",
        "WITH ",
        "UNWIND ",
        " AS ",
        "CREATE ",
        "MERGE ",
        "ON CREATE SET ",
        "SET ",
        "REMOVE ",
        "DELETE ",
        "DETACH DELETE ",
        "ORDER BY ",
        " DESC",
        " SKIP ",
        " LIMIT ",
        "DISTINCT ",
        " UNION ",
        " UNION ALL ",
        "CASE ",
        " WHEN ",
        " THEN ",
        " ELSE ",
        " END",
        " AND ",
        " OR ",
        " XOR ",
        "NOT ",
        " IS NULL",
        " IS NOT NULL",
        " IN ",
        " STARTS WITH ",
        " ENDS WITH ",
        " CONTAINS ",
        " =~ ",
        "(n)",
        "(m:L)",
        "(a {x: 1})",
        "-->",
        "<--",
        "--",
        "-[r]->",
        "-[:T*]->",
        "-[*0..3]-",
        "-[r:T|U*1..2]->",
        "shortestPath(",
        "allShortestPaths(",
        "[x IN l | x]",
        "[x IN l WHERE x > 1]",
        "reduce(a = 0, x IN l | a + x)",
        "count(*)",
        "collect(",
        "sum(",
        "avg(",
        "min(",
        "max(",
        "size(",
        "range(",
        "toInteger(",
        "toFloat(",
        "toString(",
        "substring(",
        "split(",
        "replace(",
        "keys(",
        "labels(",
        "type(",
        "nodes(",
        "relationships(",
        "length(",
        "exists(",
        "EXISTS {",
        "COUNT {",
        "COLLECT {",
        "date(",
        "datetime(",
        "duration(",
        "localtime(",
        "time(",
        "abs(",
        "sqrt(",
        "$p",
        " + ",
        " - ",
        " * ",
        " / ",
        " % ",
        " ^ ",
        " = ",
        " <> ",
        " < ",
        " >= ",
        ".x",
        "[0]",
        "[1..]",
        "{}",
        "[]",
        "null",
        "true",
        "false",
        "'s'",
        "\"s\"",
        "`w`",
        "0x7F",
        "0o17",
        "1.5e3",
        "-0.0",
        "9223372036854775807",
        "//c\n",
        "/*c*/",
        ";",
        ",",
        "(",
        ")",
        "[",
        "]",
        "{",
        "}",
        "EXPLAIN ",
        "PROFILE ",
        "ALL(x IN l WHERE x)",
        "ANY(",
        "NONE(",
        "SINGLE(",
        "*",
        "..",
        ":",
        "|",
    ]
    .iter()
    .map(|s| s.as_bytes().to_vec())
    .collect()
}
