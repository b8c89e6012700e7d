//! Running the real `kgq` binary on generated hostile inputs, with a
//! wall-clock bound (the child is killed and the case fails when it runs
//! too long) and an address-space bound (`ulimit -v`), and checking that
//! it ended the way a well-behaved program does.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The wall-clock bound of one case. It only catches hangs and exponential
/// behaviour: the inputs are sized to finish in a few seconds in a debug
/// build on a loaded machine (speed itself is checked by benchmarks).
pub const WALL: Duration = Duration::from_secs(120);

/// The address-space bound of one case, in KiB. kgq reserves a 512 MiB
/// stack for its worker thread and may grow stacks further for deep
/// expressions; 6 GiB is far above what any case needs and far below what
/// unbounded growth would reach.
pub const ADDRESS_SPACE_KIB: u64 = 6 << 20;

/// Text in stderr that means kgq crashed instead of reporting an error.
const CRASH_MARKERS: [&str; 6] = [
    "panicked",
    "overflowed its stack",
    "Aborted",
    "memory allocation of",
    "RUST_BACKTRACE",
    "internal error",
];

/// How one run ended.
#[derive(Debug)]
pub struct Outcome {
    /// The exit status (`None` when killed by a signal or by the bound).
    pub code: Option<i32>,
    /// Standard output (lossy UTF-8).
    pub stdout: String,
    /// Standard error (lossy UTF-8).
    pub stderr: String,
    /// Wall-clock time of the run.
    pub elapsed: Duration,
    /// Whether the wall-clock bound killed it.
    pub timed_out: bool,
}

/// A scratch directory for one test's generated inputs.
pub struct Scratch {
    dir: tempfile::TempDir,
}

impl Scratch {
    /// A new empty directory.
    pub fn new() -> Scratch {
        Scratch {
            dir: tempfile::tempdir().expect("a temporary directory"),
        }
    }

    /// Writes `bytes` to `name` in the directory; returns its path.
    pub fn file(&self, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        let path = self.dir.path().join(name);
        std::fs::write(&path, bytes).expect("the scratch file is written");
        path
    }

    /// The directory itself.
    pub fn path(&self) -> &Path {
        self.dir.path()
    }
}

/// The command that runs kgq with `args` under the address-space bound.
pub fn command(args: &[&str]) -> Command {
    let mut cmd = Command::new("sh");
    cmd.arg("-c")
        .arg(format!(
            "ulimit -v {ADDRESS_SPACE_KIB} 2>/dev/null; exec \"$0\" \"$@\""
        ))
        .arg(env!("CARGO_BIN_EXE_kgq"))
        .args(args)
        .env("NO_COLOR", "1")
        .env_remove("RUST_BACKTRACE")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    cmd
}

/// Runs kgq with `args` and waits (at most [`WALL`]).
pub fn run(args: &[&str]) -> Outcome {
    wait(command(args).spawn().expect("kgq starts"), WALL)
}

/// Runs `kgq run FILE` on a script holding `bytes`, with extra `args`.
pub fn run_script(scratch: &Scratch, bytes: impl AsRef<[u8]>, args: &[&str]) -> Outcome {
    let path = scratch.file("script.kgq", bytes);
    let path = path.to_str().expect("a UTF-8 temporary path");
    let mut all = vec!["run", path];
    all.extend_from_slice(args);
    run(&all)
}

/// Collects a child's output, killing it after `bound`.
pub fn wait(mut child: Child, bound: Duration) -> Outcome {
    let started = Instant::now();
    let stdout = drain(child.stdout.take());
    let stderr = drain(child.stderr.take());
    let mut timed_out = false;
    let status = loop {
        if let Some(status) = child.try_wait().expect("the child can be waited for") {
            break status;
        }
        if started.elapsed() > bound {
            timed_out = true;
            let _ = child.kill();
            break child.wait().expect("the killed child is reaped");
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    let elapsed = started.elapsed();
    Outcome {
        code: status.code(),
        stdout: String::from_utf8_lossy(&stdout.join().unwrap_or_default()).into_owned(),
        stderr: String::from_utf8_lossy(&stderr.join().unwrap_or_default()).into_owned(),
        elapsed,
        timed_out,
    }
}

fn drain(pipe: Option<impl Read + Send + 'static>) -> std::thread::JoinHandle<Vec<u8>> {
    std::thread::spawn(move || {
        let mut bytes = Vec::new();
        if let Some(mut pipe) = pipe {
            let _ = pipe.read_to_end(&mut bytes);
        }
        bytes
    })
}

/// What a case must end with.
#[derive(Debug, Clone)]
pub enum Expect {
    /// Exit 0 with stdout containing this text.
    Ok(String),
    /// Exit 1 with stderr containing this `Class: Code` (or other text).
    Err(String),
    /// Exit 0 or exit 1 with a classified error: what matters is that it
    /// ends cleanly (used where either answer is right).
    Clean,
}

/// `Expect::Ok` with `text`.
pub fn ok(text: &str) -> Expect {
    Expect::Ok(text.to_string())
}

/// `Expect::Err` with `text`.
pub fn err(text: &str) -> Expect {
    Expect::Err(text.to_string())
}

/// Checks an outcome against `expect`; returns a description of what is
/// wrong, if anything.
pub fn check(name: &str, outcome: &Outcome, expect: &Expect) -> Option<String> {
    let problem = problem(outcome, expect)?;
    let shorten = |s: &str| s.chars().take(600).collect::<String>();
    Some(format!(
        "{name}: {problem} (status {:?}, {:.1?})\n  stdout: {}\n  stderr: {}",
        outcome.code,
        outcome.elapsed,
        shorten(&outcome.stdout),
        shorten(&outcome.stderr)
    ))
}

fn problem(o: &Outcome, expect: &Expect) -> Option<String> {
    if o.timed_out {
        return Some(format!("still running after {WALL:?}"));
    }
    if let Some(marker) = CRASH_MARKERS.iter().find(|m| o.stderr.contains(*m)) {
        return Some(format!("crashed (stderr has `{marker}`)"));
    }
    let Some(code) = o.code else {
        return Some("killed by a signal".to_string());
    };
    match expect {
        Expect::Ok(text) if code != 0 => Some(format!("expected success with `{text}`")),
        Expect::Ok(text) if !o.stdout.contains(text.as_str()) => {
            Some(format!("stdout lacks `{text}`"))
        }
        Expect::Err(text) if code != 1 => Some(format!("expected exit 1 with `{text}`")),
        Expect::Err(text) if !o.stderr.contains(text.as_str()) => {
            Some(format!("stderr lacks `{text}`"))
        }
        Expect::Err(_) if o.stderr.lines().count() > 12 || o.stderr.len() > 4_000 => {
            Some("the error message is not short".to_string())
        }
        Expect::Clean if code == 0 => None,
        Expect::Clean if code == 1 && is_classified(&o.stderr) => None,
        Expect::Clean => Some("neither success nor a classified error".to_string()),
        _ => None,
    }
}

/// Whether stderr names an error class the way kgq reports errors.
fn is_classified(stderr: &str) -> bool {
    [
        "SyntaxError:",
        "SemanticError:",
        "TypeError:",
        "ArgumentError:",
        "ArithmeticError:",
        "ParameterMissing:",
        "LimitExceeded:",
        "IoError:",
        "FormatError:",
        "Unsupported:",
        "EntityNotFound:",
    ]
    .iter()
    .any(|c| stderr.contains(c))
}

/// Runs every `(name, script, args, expect)` case as a script and fails
/// with the list of cases that went wrong.
pub fn run_cases(cases: Vec<(String, Vec<u8>, Vec<&str>, Expect)>) {
    let scratch = Scratch::new();
    let failures: Vec<String> = cases
        .iter()
        .filter_map(|(name, script, args, expect)| {
            let outcome = run_script(&scratch, script, args);
            check(name, &outcome, expect)
        })
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}
