//! A durable store: a snapshot file plus a write-ahead journal next to it.
//!
//! Files for a store at `graph.kgqs`:
//! - `graph.kgqs` — the snapshot (see [`crate::snapshot`]);
//! - `graph.kgqs.journal` — one record per committed write statement
//!   since the snapshot was written (see [`journal`]);
//! - `graph.kgqs.lock` — present while a process has the store open for
//!   writing (see [`lock`]).
//!
//! Each write statement is appended to the journal and synced *before*
//! [`Store::run`] reports success; opening replays the journal;
//! [`Store::checkpoint`] folds it into a fresh snapshot. The snapshot
//! records a generation number and the journal's header repeats it: a
//! checkpoint renames the new snapshot (generation + 1) into place first
//! and only then replaces the journal, so a journal already folded in is
//! recognised by its older generation and never replayed twice.
//!
//! ```
//! # let dir = tempfile::tempdir().unwrap();
//! # let path = dir.path().join("g.kgqs");
//! use kgq::store::{OpenOptions, Store};
//! let mut store = Store::open(&path, OpenOptions::create()).unwrap();
//! store.run("CREATE (:Country {name: 'Russia'})").unwrap(); // durable now
//! store.close().unwrap();
//! let store = Store::open(&path, OpenOptions::read_only()).unwrap();
//! assert_eq!(store.graph().node_count(), 1);
//! ```

pub mod journal;
pub mod lock;
pub mod replace;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::error::{Error, ErrorClass, Result};
use crate::graph::Graph;
use crate::session::{QueryResult, Session};
use crate::snapshot;
use crate::syntax;
use crate::value::Value;
use journal::Journal;
use lock::LockFile;

/// How to open a store.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct OpenOptions {
    /// Open without writing anything (no lock, no journal, write
    /// statements refused).
    pub read_only: bool,
    /// Create an empty store if the snapshot does not exist.
    pub create: bool,
}

impl OpenOptions {
    /// Read-write, creating the store if missing.
    pub fn create() -> Self {
        OpenOptions {
            read_only: false,
            create: true,
        }
    }
    /// Read-write; the store must exist.
    pub fn write() -> Self {
        OpenOptions::default()
    }
    /// Read-only; the store must exist.
    pub fn read_only() -> Self {
        OpenOptions {
            read_only: true,
            create: false,
        }
    }
}

/// A graph backed by a snapshot and a journal. See the [module docs](self).
#[derive(Debug)]
pub struct Store {
    path: PathBuf,
    session: Session,
    generation: u64,
    journal: Option<Journal>,
    lock: Option<LockFile>,
    read_only: bool,
    closed: bool,
}

fn side_path(path: &Path, suffix: &str) -> PathBuf {
    let mut p = path.as_os_str().to_os_string();
    p.push(suffix);
    PathBuf::from(p)
}

/// The journal file of the store at `path`.
pub fn journal_path(path: &Path) -> PathBuf {
    side_path(path, ".journal")
}

/// The lock file of the store at `path`.
pub fn lock_path(path: &Path) -> PathBuf {
    side_path(path, ".lock")
}

/// A loaded snapshot with its replayed journal.
struct Loaded {
    graph: Graph,
    generation: u64,
    journal: Option<journal::Contents>,
}

fn load(path: &Path, options: OpenOptions) -> Result<Loaded> {
    let (mut graph, generation) = if path.exists() || !options.create {
        let (g, meta) = snapshot::load_with_meta(path)?;
        (g, meta.generation)
    } else {
        (Graph::new(), 0)
    };
    let mut contents = journal::read(&journal_path(path))?;
    match &mut contents {
        Some(c) if c.generation == generation => {
            for record in std::mem::take(&mut c.records) {
                for change in record {
                    change.apply(&mut graph)?;
                }
                c.replayed += 1;
            }
        }
        Some(c) if c.generation > generation => {
            return Err(Error::new(
                ErrorClass::FormatError,
                "JournalAhead",
                format!(
                    "the journal (generation {}) is newer than the snapshot (generation {generation}); \
                     was the snapshot replaced by an older copy?",
                    c.generation
                ),
            ));
        }
        // Older: already folded into the snapshot by a checkpoint.
        _ => contents = None,
    }
    Ok(Loaded {
        graph,
        generation,
        journal: contents,
    })
}

/// Removes temporary files that killed processes left next to the store
/// (`<store>.tmp-<pid>`, `<store>.journal.tmp-<pid>`, `<store>.lock.<pid>`).
fn remove_leftovers(path: &Path) {
    let (Some(dir), Some(name)) = (path.parent(), path.file_name()) else {
        return;
    };
    let dir = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    let name = name.to_string_lossy();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let file = entry.file_name();
        let file = file.to_string_lossy();
        let Some(rest) = file.strip_prefix(name.as_ref()) else {
            continue;
        };
        let pid = [".tmp-", ".journal.tmp-", ".lock."]
            .iter()
            .find_map(|p| rest.strip_prefix(p))
            .and_then(|pid| pid.parse::<u32>().ok());
        if let Some(pid) = pid
            && pid != std::process::id()
            && !lock::process_alive(pid)
        {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

impl Store {
    /// Opens the store at `path` (the snapshot file's path).
    ///
    /// For writing, takes the lock file (an error if another process holds
    /// it), creates the snapshot if asked and missing, replays the journal
    /// and cuts off a torn last record. Read-only, it only reads.
    pub fn open(path: impl AsRef<Path>, options: OpenOptions) -> Result<Store> {
        let path = path.as_ref().to_path_buf();
        if path.is_dir() {
            return Err(Error::new(
                ErrorClass::IoError,
                "IsADirectory",
                format!("{} is a directory, not a store", path.display()),
            ));
        }
        if options.read_only {
            return Self::open_read_only(path, options);
        }
        let lock = LockFile::acquire(&lock_path(&path))?;
        remove_leftovers(&path);
        if !path.exists() && options.create {
            snapshot::write_atomic(
                &path,
                &snapshot::to_bytes_with_generation(&Graph::new(), 0)?,
            )?;
        }
        let loaded = load(&path, options)?;
        let jpath = journal_path(&path);
        let journal = match &loaded.journal {
            Some(c) => Journal::open(&jpath, c.valid_len, c.replayed)?,
            None => Journal::create(&jpath, loaded.generation)?,
        };
        Ok(Store {
            path,
            session: Session::with_graph(loaded.graph),
            generation: loaded.generation,
            journal: Some(journal),
            lock: Some(lock),
            read_only: false,
            closed: false,
        })
    }

    fn open_read_only(path: PathBuf, options: OpenOptions) -> Result<Store> {
        // A writer's checkpoint may replace both files while we read them:
        // a journal newer than the snapshot we read means "read again".
        let mut attempt = 0;
        let loaded = loop {
            match load(&path, options) {
                Err(e) if e.code == "JournalAhead" && attempt < 5 => {
                    attempt += 1;
                    std::thread::sleep(std::time::Duration::from_millis(20));
                }
                other => break other?,
            }
        };
        let mut session = Session::with_graph(loaded.graph);
        session.set_read_only(true);
        Ok(Store {
            path,
            session,
            generation: loaded.generation,
            journal: None,
            lock: None,
            read_only: true,
            closed: false,
        })
    }

    /// The snapshot path the store was opened at.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Whether the store was opened read-only.
    pub fn is_read_only(&self) -> bool {
        self.read_only
    }

    /// The store's generation (how many checkpoints it has had).
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// How many statements the journal holds (not yet checkpointed).
    pub fn journal_records(&self) -> u64 {
        self.journal.as_ref().map_or(0, Journal::records)
    }

    /// The graph.
    pub fn graph(&self) -> &Graph {
        self.session.graph()
    }

    /// The session, for reading settings and parameters.
    pub fn session(&self) -> &Session {
        &self.session
    }

    /// Sets the parameter `$name` for later statements.
    pub fn set_param(&mut self, name: &str, value: Value) {
        self.session.set_param(name, value);
    }

    /// Sets (`None`: clears) the session-wide valid time (see
    /// [`Session::set_as_of`]).
    pub fn set_as_of(&mut self, instant: Option<Value>) -> Result<()> {
        self.session.set_as_of(instant)
    }

    /// Turns provenance on or off (see [`Session::set_provenance`]).
    pub fn set_provenance(&mut self, on: bool) {
        self.session.set_provenance(on);
    }

    /// Sets the time limit of each statement.
    pub fn set_timeout(&mut self, timeout: Option<std::time::Duration>) {
        self.session.set_timeout(timeout);
    }

    /// Forgets every parameter.
    pub fn clear_params(&mut self) {
        self.session.clear_params();
    }

    /// Replaces the handle that cancels statements (see
    /// [`Session::set_cancel_handle`]).
    pub fn set_cancel_handle(&mut self, cancel: crate::exec::CancelHandle) {
        self.session.set_cancel_handle(cancel);
    }

    /// Opens a multi-statement transaction (see [`Session::begin`]): the
    /// statements that follow are journaled only at [`Store::commit`].
    pub fn begin(&mut self) -> Result<()> {
        self.session.begin()
    }

    /// Whether a transaction is open.
    pub fn in_transaction(&self) -> bool {
        self.session.in_transaction()
    }

    /// Commits the open transaction: all its changes are appended to the
    /// journal as one record and synced before this returns `Ok`; if that
    /// fails, the whole transaction is rolled back.
    pub fn commit(&mut self) -> Result<crate::exec::Stats> {
        let journal = &mut self.journal;
        self.session.commit_logged(&mut |changes| match journal {
            Some(j) => j.append(changes),
            None => Err(Error::new(
                ErrorClass::IoError,
                "StoreClosed",
                "the store's journal is unusable after a failed checkpoint; reopen the store",
            )),
        })
    }

    /// Undoes every statement of the open transaction.
    pub fn rollback(&mut self) -> Result<()> {
        self.session.rollback()
    }

    /// Sets the expansion and buffered-row limits of each statement.
    pub fn set_limits(&mut self, max_expansions: u64, max_buffered_rows: usize) {
        self.session.set_limits(max_expansions, max_buffered_rows);
    }

    /// Sets the memory limits of each statement (see
    /// [`Session::set_memory_limits`](crate::Session::set_memory_limits)).
    pub fn set_memory_limits(&mut self, max_memory: u64, max_value_bytes: u64) {
        self.session.set_memory_limits(max_memory, max_value_bytes);
    }

    /// Sets the directory `LOAD CSV` reads in (see [`Session::set_import_dir`]).
    pub fn set_import_dir(&mut self, dir: Option<std::path::PathBuf>) {
        self.session.set_import_dir(dir);
    }

    /// The plan of a statement, as EXPLAIN prints it (nothing is run).
    pub fn explain(&mut self, text: &str) -> Result<String> {
        self.session.explain(text)
    }

    /// Runs one statement with the store's parameters. A write statement
    /// is journaled and synced before this returns `Ok`.
    pub fn run(&mut self, text: &str) -> Result<QueryResult> {
        let params = self.session.params().clone();
        self.run_with(text, &params)
    }

    /// Runs one statement with the given parameters (see [`Store::run`]).
    pub fn run_with(
        &mut self,
        text: &str,
        params: &BTreeMap<String, Value>,
    ) -> Result<QueryResult> {
        let journal = &mut self.journal;
        let read_only = self.read_only;
        self.session.run_logged(text, params, &mut |changes| {
            journal_changes(journal, read_only, changes)
        })
    }

    /// Runs `statement`, parsed from `text` (a plan cache's copy), like
    /// [`Store::run_with`].
    pub(crate) fn run_parsed(
        &mut self,
        statement: &crate::syntax::ast::Statement,
        text: &str,
        params: &BTreeMap<String, Value>,
    ) -> Result<QueryResult> {
        let journal = &mut self.journal;
        let read_only = self.read_only;
        let mut log =
            |changes: &[crate::exec::Change]| journal_changes(journal, read_only, changes);
        self.session
            .run_parsed(statement, text, params, Some(&mut log))
    }

    /// Runs one statement with the store's parameters, handing its rows to
    /// `sink` as they are made (see [`Session::run_streaming`]); a write
    /// statement is journaled like [`Store::run`] before its rows go out.
    pub fn run_streaming(
        &mut self,
        text: &str,
        sink: &mut dyn crate::session::RowSink,
    ) -> Result<QueryResult> {
        let params = self.session.params().clone();
        let journal = &mut self.journal;
        let read_only = self.read_only;
        let mut log =
            |changes: &[crate::exec::Change]| journal_changes(journal, read_only, changes);
        self.session
            .run_streaming(text, &params, Some(&mut log), sink)
    }

    /// Runs every statement of a script, each journaled on its own,
    /// stopping at the first error (statements before it stay done).
    pub fn run_script(&mut self, script: &str) -> Result<Vec<QueryResult>> {
        let params = self.session.params().clone();
        let mut results = Vec::new();
        for chunk in syntax::split_script(script) {
            let text = script
                .get(chunk.span.start..chunk.span.end)
                .unwrap_or_default();
            let result = self
                .run_with(text, &params)
                .map_err(|e| e.shifted(chunk.span.start))?;
            results.push(result);
        }
        Ok(results)
    }

    /// Folds the journal into a fresh snapshot (atomically) and starts an
    /// empty journal. Does nothing for a read-only store or an empty
    /// journal.
    pub fn checkpoint(&mut self) -> Result<()> {
        if self.session.in_transaction() {
            return Err(Error::new(
                ErrorClass::SemanticError,
                "TransactionOpen",
                "cannot checkpoint while a transaction is open",
            ));
        }
        if self.read_only || self.journal_records() == 0 && self.journal.is_some() {
            return Ok(());
        }
        self.write_checkpoint()
    }

    /// Changes the graph in code (a bulk load, say) and makes the change
    /// durable at once with a checkpoint, instead of journaling each
    /// change. `change` must check its input before changing anything:
    /// when it fails, the graph must be as it was. Refused read-only.
    pub fn change_and_checkpoint<T>(
        &mut self,
        change: impl FnOnce(&mut Graph) -> Result<T>,
    ) -> Result<T> {
        if self.read_only {
            return Err(Error::new(
                ErrorClass::SemanticError,
                "ReadOnlyStore",
                "the store is open read-only: changes are refused",
            ));
        }
        let out = change(self.session.graph_mut())?;
        self.write_checkpoint()?;
        Ok(out)
    }

    fn write_checkpoint(&mut self) -> Result<()> {
        let generation = self.generation + 1;
        let bytes = snapshot::to_bytes_with_generation(self.session.graph(), generation)?;
        // Continue from exactly the graph a reopen would load, so ids of
        // later creations agree with a replay.
        let reloaded = snapshot::from_bytes(&bytes)?;
        snapshot::write_atomic(&self.path, &bytes)?;
        // From here the old journal is stale; never append to it again.
        self.journal = None;
        self.generation = generation;
        self.session.set_graph(reloaded);
        self.journal = Some(Journal::create(&journal_path(&self.path), generation)?);
        Ok(())
    }

    /// Checkpoints (unless read-only) and releases the store.
    /// An open transaction is rolled back first.
    pub fn close(mut self) -> Result<()> {
        if self.session.in_transaction() {
            self.session.rollback()?;
        }
        self.closed = true;
        self.checkpoint()
    }

    /// Takes the graph out, closing the store first.
    pub fn into_graph(mut self) -> Result<Graph> {
        self.closed = true;
        self.checkpoint()?;
        Ok(self.session.set_graph(Graph::new()))
    }
}

/// Appends a statement's changes to the journal, or refuses them when the
/// store is read-only or its journal unusable.
fn journal_changes(
    journal: &mut Option<Journal>,
    read_only: bool,
    changes: &[crate::exec::Change],
) -> Result<()> {
    match journal {
        Some(j) => j.append(changes),
        None if read_only => Err(Error::new(
            ErrorClass::SemanticError,
            "ReadOnlyStore",
            "the store is open read-only: write statements are refused",
        )),
        None => Err(Error::new(
            ErrorClass::IoError,
            "StoreClosed",
            "the store's journal is unusable after a failed checkpoint; reopen the store",
        )),
    }
}

impl Drop for Store {
    /// A store dropped without [`Store::close`] checkpoints, ignoring
    /// errors (the journal keeps every statement anyway).
    fn drop(&mut self) {
        if self.session.in_transaction() {
            let _ = self.session.rollback();
        }
        if !self.closed {
            let _ = self.checkpoint();
        }
        self.lock.take();
    }
}

/// Opens the snapshot or store at `path` read-only: the snapshot plus any
/// journal next to it.
pub fn open(path: impl AsRef<Path>) -> Result<Store> {
    Store::open(path, OpenOptions::read_only())
}
