//! The openCypher TCK runner: runs every scenario of every `.feature` file
//! under `$KGQ_TCK_DIR` (default `../shared/tck/features` beside the crate,
//! or beside its parent folder for a worktree)
//! and holds the scenarios listed in `tests/tck/passing.txt` to passing.
//!
//! Environment:
//! - `KGQ_TCK_DIR`: another features folder; the run then reports but does
//!   not enforce the list of passing scenarios.
//! - `KGQ_TCK_FILTER`: run only scenarios whose key contains this text.
//! - `KGQ_TCK_VERBOSE=1`: print each failing scenario with its reason.
//! - `KGQ_TCK_BLESS=1`: rewrite the list of passing scenarios.

mod convert;
mod gherkin;
mod ratchet;
mod runner;
mod scenario;
mod values;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use runner::Report;

fn env_flag(name: &str) -> bool {
    std::env::var(name).is_ok_and(|v| !v.is_empty() && v != "0")
}

fn main() -> ExitCode {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let custom = std::env::var_os("KGQ_TCK_DIR").map(PathBuf::from);
    let enforce = custom.is_none();
    let dir = custom.unwrap_or_else(|| default_dir(manifest));
    if !dir.is_dir() {
        println!("tck: no TCK features at {}; nothing to run", dir.display());
        return ExitCode::SUCCESS;
    }
    let filter = std::env::var("KGQ_TCK_FILTER").unwrap_or_default();
    let verbose = env_flag("KGQ_TCK_VERBOSE");
    let report = runner::run_all(&dir, &filter);

    print_failures(&report, verbose);
    print_folders(&report);
    let (passed, failed, skipped) = report.totals();

    let list = manifest.join("tests/tck/passing.txt");
    let ok = ratchet::check(&list, &report, &filter, enforce, env_flag("KGQ_TCK_BLESS"));
    println!(
        "tck: {passed} passed, {failed} failed, {skipped} skipped ({:.1}s)",
        report.elapsed.as_secs_f64()
    );
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// `../shared/tck/features` beside the crate, or beside its parent folder
/// (a git worktree one level further down, such as `wt/NAME`).
fn default_dir(manifest: &Path) -> PathBuf {
    let near = manifest.join("../shared/tck/features");
    let far = manifest.join("../../shared/tck/features");
    if !near.is_dir() && far.is_dir() {
        far
    } else {
        near
    }
}

fn print_failures(report: &Report, verbose: bool) {
    for (key, why) in &report.broken_files {
        println!("FILE {key}: {why}");
    }
    if !verbose {
        return;
    }
    for r in &report.results {
        if let scenario::Outcome::Failed(f) = &r.outcome {
            println!("FAIL {}", r.key);
            println!("  query: {}", f.query.replace('\n', "\n         "));
            println!("  reason: {}", f.reason);
        }
    }
    for r in &report.results {
        if let scenario::Outcome::Skipped(why) = &r.outcome {
            println!("SKIP {}: {why}", r.key);
        }
    }
}

fn print_folders(report: &Report) {
    println!(
        "{:<40} {:>7} {:>7} {:>7}",
        "folder", "passed", "failed", "skipped"
    );
    for (folder, (p, f, s)) in report.by_folder() {
        let indent = if folder.contains('/') { "  " } else { "" };
        println!("{:<40} {p:>7} {f:>7} {s:>7}", format!("{indent}{folder}"));
    }
}
