//! Where the shell keeps its history: `$KGQ_HISTORY`, else
//! `$XDG_STATE_HOME/kgq/history`, else `~/.local/state/kgq/history`.

use std::path::PathBuf;

/// The history file, if any place for it is known.
pub fn path() -> Option<PathBuf> {
    let var = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty());
    if let Some(p) = var("KGQ_HISTORY") {
        return Some(PathBuf::from(p));
    }
    let state = var("XDG_STATE_HOME")
        .map(PathBuf::from)
        .or_else(|| var("HOME").map(|h| PathBuf::from(h).join(".local").join("state")))?;
    Some(state.join("kgq").join("history"))
}
