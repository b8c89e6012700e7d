//! Writing a file where a store may live, safely: never over a store that
//! another kgq process holds open ([`StoreLocked`](super::lock)), never
//! over an existing file unless asked, always atomically, and so that a
//! journal left next to the replaced file can no longer be replayed onto
//! the new one.

use std::path::Path;

use super::lock::LockFile;
use super::{journal, journal_path, lock_path};
use crate::error::{Error, ErrorClass, Result};
use crate::graph::Graph;
use crate::snapshot;

/// What to do when the destination already exists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Existing {
    /// Refuse with `IoError: FileExists` (the default of every command).
    Refuse,
    /// Replace it (`--force`, `:save!`).
    Replace,
}

/// Claims `path` for writing: takes the lock file a store at `path` would
/// have (so no kgq process opens it meanwhile, and one that has it open
/// makes this fail with `StoreLocked`), then checks that `path` does not
/// exist unless `existing` allows replacing it. The claim lasts as long
/// as the returned lock.
pub fn claim(path: &Path, existing: Existing) -> Result<LockFile> {
    if path.is_dir() {
        return Err(Error::new(
            ErrorClass::IoError,
            "IsADirectory",
            format!("cannot write {}: it is a directory", path.display()),
        ));
    }
    let lock = LockFile::acquire(&lock_path(path))?;
    if existing == Existing::Refuse && path.exists() {
        return Err(exists(path));
    }
    Ok(lock)
}

/// The error for a destination that exists and may not be replaced.
pub fn exists(path: &Path) -> Error {
    Error::new(
        ErrorClass::IoError,
        "FileExists",
        format!(
            "{} already exists; kgq does not replace it unless asked \
             (--force on the command line, :save! FILE in the shell)",
            path.display()
        ),
    )
}

/// Saves `graph` as a snapshot at `path` (see [`claim`]). The snapshot is
/// written atomically with a generation newer than any journal next to
/// it, so that journal is recognised as already folded in (never
/// replayed), and the journal is then removed.
pub fn save_snapshot(graph: &Graph, path: &Path, existing: Existing) -> Result<()> {
    let _lock = claim(path, existing)?;
    let jpath = journal_path(path);
    // A damaged journal is as stale as a readable one: outdate generation 0 too.
    let generation = match journal::read(&jpath) {
        Ok(Some(contents)) => contents.generation.saturating_add(1),
        Ok(None) => 0,
        Err(_) => 1,
    };
    snapshot::write_atomic(
        path,
        &snapshot::to_bytes_with_generation(graph, generation)?,
    )?;
    match std::fs::remove_file(&jpath) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(snapshot::file_io_error(
            "WriteFailed",
            &jpath,
            "remove the outdated journal",
            e,
        )),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{OpenOptions, Store};

    #[test]
    fn refuses_an_existing_file_unless_asked() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("g.kgqs");
        save_snapshot(&Graph::new(), &path, Existing::Refuse).unwrap();
        let err = save_snapshot(&Graph::new(), &path, Existing::Refuse).unwrap_err();
        assert_eq!(err.code, "FileExists");
        save_snapshot(&Graph::new(), &path, Existing::Replace).unwrap();
    }

    #[test]
    fn refuses_a_store_this_or_another_process_holds() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("g.kgqs");
        let store = Store::open(&path, OpenOptions::create()).unwrap();
        let err = save_snapshot(&Graph::new(), &path, Existing::Replace).unwrap_err();
        assert_eq!(err.code, "StoreLocked");
        store.close().unwrap();
        save_snapshot(&Graph::new(), &path, Existing::Replace).unwrap();
    }

    #[test]
    fn a_journal_left_next_to_a_replaced_file_is_never_replayed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("g.kgqs");
        let mut store = Store::open(&path, OpenOptions::create()).unwrap();
        store.run("CREATE (:Old)").unwrap();
        let journal = std::fs::read(journal_path(&path)).unwrap();
        store.close().unwrap();
        // A journal as a killed writer leaves it, with records.
        std::fs::write(journal_path(&path), &journal).unwrap();
        let mut session = crate::Session::new();
        session.run("CREATE (:New), (:New)").unwrap();
        save_snapshot(session.graph(), &path, Existing::Replace).unwrap();
        assert!(!journal_path(&path).exists());
        // Even if the journal came back (a crash before its removal), the
        // snapshot's newer generation makes it stale.
        std::fs::write(journal_path(&path), &journal).unwrap();
        let store = Store::open(&path, OpenOptions::write()).unwrap();
        assert_eq!(store.graph().node_count(), 2);
        store.close().unwrap();
    }
}
