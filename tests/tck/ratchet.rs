//! The ratchet: a committed, sorted list of scenarios that pass. A listed
//! scenario that no longer passes fails the run; new passes do not. Bless
//! mode rewrites the list.

use std::collections::BTreeSet;
use std::path::Path;

use crate::runner::Report;
use crate::scenario::Outcome;

/// Checks (or, with `bless`, rewrites) the list at `path`. Only scenarios
/// whose key contains `filter` are considered. Returns whether the run
/// should pass.
pub fn check(path: &Path, report: &Report, filter: &str, enforce: bool, bless: bool) -> bool {
    let listed = read_list(path);
    let ran: BTreeSet<&str> = report.results.iter().map(|r| r.key.as_str()).collect();
    let passed: BTreeSet<&str> = report
        .results
        .iter()
        .filter(|r| r.outcome == Outcome::Passed)
        .map(|r| r.key.as_str())
        .collect();
    if bless {
        // Entries outside the filter are kept as they were.
        let kept = listed
            .iter()
            .map(String::as_str)
            .filter(|k| !k.contains(filter));
        let list: BTreeSet<&str> = kept.chain(passed.iter().copied()).collect();
        let mut text = String::new();
        for key in &list {
            text.push_str(key);
            text.push('\n');
        }
        return match std::fs::write(path, text) {
            Ok(()) => {
                println!(
                    "tck: blessed {} passing scenarios into {}",
                    list.len(),
                    path.display()
                );
                true
            }
            Err(e) => {
                println!("tck: cannot write {}: {e}", path.display());
                false
            }
        };
    }
    let regressions = regressions(&listed, &ran, &passed, filter);
    if regressions.is_empty() {
        return true;
    }
    let verb = if enforce {
        "REGRESSED"
    } else {
        "not passing (not enforced)"
    };
    for (key, why) in &regressions {
        println!("{verb}: {key} ({why})");
    }
    println!(
        "tck: {} scenario(s) listed in {} no longer pass{}",
        regressions.len(),
        path.display(),
        if enforce {
            "; fix them, or run with KGQ_TCK_BLESS=1 if that is intended"
        } else {
            ""
        }
    );
    !enforce
}

fn read_list(path: &Path) -> BTreeSet<String> {
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_string)
        .collect()
}

/// Listed scenarios within the filter that did not pass, with why.
fn regressions<'l>(
    listed: &'l BTreeSet<String>,
    ran: &BTreeSet<&str>,
    passed: &BTreeSet<&str>,
    filter: &str,
) -> Vec<(&'l str, &'static str)> {
    listed
        .iter()
        .map(String::as_str)
        .filter(|k| k.contains(filter) && !passed.contains(k))
        .map(|k| (k, if ran.contains(k) { "fails" } else { "missing" }))
        .collect()
}
