//! Helpers for the tests that compare kgq's fast paths with its row engine.

use kgq::Session;

/// A session holding the graph `script` builds.
pub fn session_with(script: &str) -> Session {
    let mut session = Session::new();
    session
        .run_script(script)
        .unwrap_or_else(|e| panic!("the graph script fails: {e}\n{script}"));
    session
}

/// Rows in their returned order (floats printed exactly), or the error's
/// code and message.
pub fn rows(session: &mut Session, query: &str) -> Result<Vec<String>, String> {
    session
        .run(query)
        .map(|r| r.rows.iter().map(|row| format!("{row:?}")).collect())
        .map_err(|e| format!("{}: {}", e.code, e.message))
}
