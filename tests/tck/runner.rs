//! Finding feature files, building named graphs, and running every
//! scenario on its own thread with a watchdog and a panic catcher.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::{Arc, mpsc};
use std::time::{Duration, Instant};

use kgq::Session;

use crate::gherkin::{self, Runnable};
use crate::scenario::{self, Failure, NamedGraphs, Outcome};

/// How long one scenario may take before it counts as hung.
const SCENARIO_WATCHDOG: Duration = Duration::from_secs(30);

/// The outcome of one scenario.
pub struct ScenarioResult {
    /// `<relative feature path>: <scenario name>[ #<example>]`.
    pub key: String,
    /// The feature file's folder relative to the features root.
    pub folder: String,
    /// What happened.
    pub outcome: Outcome,
}

/// Everything a run found.
pub struct Report {
    /// One entry per scenario run, in file order.
    pub results: Vec<ScenarioResult>,
    /// Feature files that could not be read or parsed, with the reason.
    pub broken_files: Vec<(String, String)>,
    /// Wall-clock time of the run.
    pub elapsed: Duration,
}

impl Report {
    /// Passed, failed (including broken files) and skipped counts.
    pub fn totals(&self) -> (usize, usize, usize) {
        let mut t = (0, self.broken_files.len(), 0);
        for r in &self.results {
            match r.outcome {
                Outcome::Passed => t.0 += 1,
                Outcome::Failed(_) => t.1 += 1,
                Outcome::Skipped(_) => t.2 += 1,
            }
        }
        t
    }

    /// Counts per top-level folder and per second-level folder, sorted by name.
    pub fn by_folder(&self) -> BTreeMap<String, (usize, usize, usize)> {
        let mut out: BTreeMap<String, (usize, usize, usize)> = BTreeMap::new();
        for r in &self.results {
            let parts: Vec<&str> = r.folder.split('/').collect();
            for depth in 1..=parts.len().min(2) {
                let e = out.entry(parts[..depth].join("/")).or_default();
                match r.outcome {
                    Outcome::Passed => e.0 += 1,
                    Outcome::Failed(_) => e.1 += 1,
                    Outcome::Skipped(_) => e.2 += 1,
                }
            }
        }
        out
    }
}

/// Runs every scenario under `dir` whose key contains `filter`.
pub fn run_all(dir: &Path, filter: &str) -> Report {
    let start = Instant::now();
    install_panic_hook();
    let graphs = Arc::new(named_graphs(&dir.with_file_name("graphs")));
    let mut files = Vec::new();
    collect_features(dir, &mut files);
    files.sort();
    let mut report = Report {
        results: Vec::new(),
        broken_files: Vec::new(),
        elapsed: Duration::ZERO,
    };
    for file in files {
        let rel = file
            .strip_prefix(dir)
            .unwrap_or(&file)
            .to_string_lossy()
            .replace('\\', "/");
        let folder = rel.rsplit_once('/').map_or("", |(f, _)| f).to_string();
        let feature = std::fs::read_to_string(&file)
            .map_err(|e| e.to_string())
            .and_then(|text| gherkin::parse(&text));
        let feature = match feature {
            Ok(f) => f,
            Err(e) => {
                if rel.contains(filter) {
                    report.broken_files.push((rel, e));
                }
                continue;
            }
        };
        let mut seen = BTreeMap::new();
        for runnable in feature.runnables() {
            let mut key = format!("{rel}: {}", runnable.name);
            if let Some(n) = runnable.example {
                key.push_str(&format!(" #{n}"));
            }
            // Two scenarios with the same name get distinct keys.
            let count = seen.entry(key.clone()).or_insert(0);
            *count += 1;
            if *count > 1 {
                key.push_str(&format!(" ({count})"));
            }
            if !key.contains(filter) {
                continue;
            }
            let outcome = run_guarded(runnable, &graphs);
            report.results.push(ScenarioResult {
                key,
                folder: folder.clone(),
                outcome,
            });
        }
    }
    report.elapsed = start.elapsed();
    report
}

fn collect_features(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect_features(&path, out);
        } else if path.extension().is_some_and(|e| e == "feature") {
            out.push(path);
        }
    }
}

/// Builds each named graph under `dir` (`<name>/<name>.json` lists the
/// scripts, each `<script>.cypher` beside it) once.
fn named_graphs(dir: &Path) -> NamedGraphs {
    let mut graphs = NamedGraphs::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return graphs;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if !path.is_dir() {
            continue;
        }
        let name = entry.file_name().to_string_lossy().into_owned();
        graphs.insert(name.clone(), build_graph(&path, &name));
    }
    graphs
}

fn build_graph(dir: &Path, name: &str) -> Result<kgq::Graph, String> {
    let meta = std::fs::read_to_string(dir.join(format!("{name}.json")))
        .map_err(|e| format!("metadata: {e}"))?;
    let meta: serde_json::Value =
        serde_json::from_str(&meta).map_err(|e| format!("metadata: {e}"))?;
    let scripts: Vec<String> = match meta.get("scripts").and_then(|s| s.as_array()) {
        Some(list) => list
            .iter()
            .filter_map(|s| s.as_str().map(str::to_string))
            .collect(),
        None => vec![name.to_string()],
    };
    let mut session = Session::new();
    for script in scripts {
        let text = std::fs::read_to_string(dir.join(format!("{script}.cypher")))
            .map_err(|e| format!("{script}.cypher: {e}"))?;
        session.run_script(&text).map_err(|e| {
            format!(
                "{script}.cypher: {}.{}: {}",
                e.class.name(),
                e.code,
                e.message
            )
        })?;
    }
    Ok(session.into_graph())
}

thread_local! {
    /// Set on scenario threads: the last panic's message and location.
    static PANIC: RefCell<Option<String>> = const { RefCell::new(None) };
    static IN_SCENARIO: RefCell<bool> = const { RefCell::new(false) };
}

/// Panics on scenario threads are recorded instead of printed; others keep
/// the default hook.
fn install_panic_hook() {
    let default = panic::take_hook();
    panic::set_hook(Box::new(move |info| {
        if IN_SCENARIO.with(|f| *f.borrow()) {
            let msg = info
                .payload()
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| info.payload().downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "non-string panic".into());
            let at = info
                .location()
                .map(|l| format!(" at {}:{}", l.file(), l.line()))
                .unwrap_or_default();
            PANIC.with(|p| *p.borrow_mut() = Some(format!("{msg}{at}")));
        } else {
            default(info);
        }
    }));
}

/// Runs a scenario on its own thread; a panic fails it, and so does running
/// past the watchdog (the thread is then abandoned).
fn run_guarded(runnable: Runnable, graphs: &Arc<NamedGraphs>) -> Outcome {
    let (tx, rx) = mpsc::channel();
    let graphs = Arc::clone(graphs);
    let query = runnable
        .steps
        .iter()
        .filter(|s| s.text.starts_with("executing"))
        .find_map(|s| s.doc.clone())
        .unwrap_or_default();
    let spawned = std::thread::Builder::new()
        .name("tck-scenario".into())
        .spawn(move || {
            IN_SCENARIO.with(|f| *f.borrow_mut() = true);
            let outcome =
                panic::catch_unwind(AssertUnwindSafe(|| scenario::run(&runnable, &graphs)));
            let outcome = outcome.unwrap_or_else(|_| {
                let msg = PANIC.with(|p| p.borrow_mut().take()).unwrap_or_default();
                Outcome::Failed(Failure {
                    query: String::new(),
                    reason: format!("panic: {msg}"),
                })
            });
            let _ = tx.send(outcome);
        });
    if let Err(e) = spawned {
        return Outcome::Failed(Failure {
            query,
            reason: format!("could not start a thread: {e}"),
        });
    }
    match rx.recv_timeout(SCENARIO_WATCHDOG) {
        Ok(Outcome::Failed(mut f)) => {
            if f.query.is_empty() {
                f.query = query;
            }
            Outcome::Failed(f)
        }
        Ok(outcome) => outcome,
        Err(_) => Outcome::Failed(Failure {
            query,
            reason: format!("hung: no answer within {SCENARIO_WATCHDOG:?}"),
        }),
    }
}
