//! Multi-statement transactions of a session: [`Session::begin`], then any
//! number of statements, then [`Session::commit`] (or
//! [`Session::commit_logged`], which hands every change of the transaction
//! to a journal at once) or [`Session::rollback`], which undoes them all.
//!
//! Inside a transaction each statement is still atomic on its own: one that
//! fails leaves the graph as the statements before it left it, and the
//! transaction stays open.

use super::{ChangeLog, Session};
use crate::error::{Error, ErrorClass, Result};
use crate::exec::{Change, Stats, Tx, UndoLog};

/// What an open transaction has kept so far.
#[derive(Debug, Default)]
pub(super) struct OpenTx {
    undo: UndoLog,
    redo: Vec<Change>,
    stats: Stats,
}

impl OpenTx {
    /// Keeps one successful statement's changes; returns its counts.
    pub(super) fn keep(&mut self, tx: Tx<'_>) -> Stats {
        let (stats, undo, redo) = tx.keep();
        self.undo.append(undo);
        self.redo.extend(redo);
        self.stats.add(&stats);
        stats
    }
}

fn no_transaction(what: &str) -> Error {
    Error::new(
        ErrorClass::SemanticError,
        "NoOpenTransaction",
        format!("there is no open transaction to {what}"),
    )
}

impl Session {
    /// Opens a transaction: the statements that follow are kept only when
    /// [`Session::commit`] is called. Fails if one is already open.
    pub fn begin(&mut self) -> Result<()> {
        if self.open_tx.is_some() {
            return Err(Error::new(
                ErrorClass::SemanticError,
                "TransactionAlreadyOpen",
                "a transaction is already open (COMMIT or ROLLBACK it first)",
            ));
        }
        self.open_tx = Some(OpenTx::default());
        Ok(())
    }

    /// Whether a transaction is open.
    pub fn in_transaction(&self) -> bool {
        self.open_tx.is_some()
    }

    /// The changes the open transaction has made so far, as a journal
    /// records them (empty without a transaction).
    pub fn pending_changes(&self) -> &[Change] {
        self.open_tx.as_ref().map_or(&[], |t| t.redo.as_slice())
    }

    /// Keeps every change of the open transaction; returns their total
    /// counts.
    pub fn commit(&mut self) -> Result<Stats> {
        self.commit_logged(&mut |_| Ok(()))
    }

    /// Like [`Session::commit`], but first calls `log` with every change
    /// of the transaction (when there are any), in order: a durable store
    /// journals and syncs them here as one record. If `log` fails, the
    /// whole transaction is rolled back and `log`'s error returned.
    pub fn commit_logged(&mut self, log: ChangeLog<'_>) -> Result<Stats> {
        let open = self
            .open_tx
            .take()
            .ok_or_else(|| no_transaction("commit"))?;
        if !open.redo.is_empty()
            && let Err(e) = log(&open.redo)
        {
            if !open.undo.undo(&mut self.graph) {
                return Err(Error::new(
                    ErrorClass::SemanticError,
                    "InternalError",
                    format!("{e}; moreover the rollback could not restore the graph exactly"),
                ));
            }
            return Err(e);
        }
        Ok(open.stats)
    }

    /// Undoes every change of the open transaction and closes it.
    pub fn rollback(&mut self) -> Result<()> {
        let open = self
            .open_tx
            .take()
            .ok_or_else(|| no_transaction("roll back"))?;
        if open.undo.undo(&mut self.graph) {
            Ok(())
        } else {
            Err(Error::new(
                ErrorClass::SemanticError,
                "InternalError",
                "the rollback could not restore the graph exactly",
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::{Session, Value};

    fn count(s: &mut Session) -> i64 {
        let r = s.run("MATCH (n) RETURN count(n) AS c").unwrap();
        r.rows[0][0].as_int().unwrap()
    }

    #[test]
    fn rollback_undoes_every_statement() {
        let mut s = Session::new();
        s.run("CREATE (:A {x: 1})").unwrap();
        s.begin().unwrap();
        s.run("CREATE (:A {x: 2})").unwrap();
        s.run("MATCH (a:A {x: 1}) SET a.x = 10").unwrap();
        s.run("MATCH (a:A {x: 10}) DETACH DELETE a").unwrap();
        assert_eq!(count(&mut s), 1, "the transaction sees its own writes");
        s.rollback().unwrap();
        let r = s.run("MATCH (a:A) RETURN a.x AS x").unwrap();
        assert_eq!(r.rows, vec![vec![Value::Int(1)]]);
        assert!(!s.in_transaction());
    }

    #[test]
    fn commit_keeps_and_sums_counts_and_logs_once() {
        let mut s = Session::new();
        s.begin().unwrap();
        s.run("CREATE (:A)").unwrap();
        s.run("CREATE (:B)-[:R]->(:C)").unwrap();
        assert_eq!(s.pending_changes().len(), 4);
        let mut calls = Vec::new();
        let stats = s
            .commit_logged(&mut |c| {
                calls.push(c.len());
                Ok(())
            })
            .unwrap();
        assert_eq!(calls, vec![4]);
        assert_eq!(stats.nodes_created, 3);
        assert_eq!(stats.relationships_created, 1);
        assert_eq!(count(&mut s), 3);
    }

    #[test]
    fn failing_log_rolls_back_the_whole_transaction() {
        let mut s = Session::new();
        s.begin().unwrap();
        s.run("CREATE (:A)").unwrap();
        let err = s
            .commit_logged(&mut |_| {
                Err(crate::Error::new(
                    crate::ErrorClass::IoError,
                    "WriteFailed",
                    "disk full",
                ))
            })
            .unwrap_err();
        assert_eq!(err.code, "WriteFailed");
        assert_eq!(count(&mut s), 0);
    }

    #[test]
    fn failed_statement_inside_keeps_earlier_ones() {
        let mut s = Session::new();
        s.begin().unwrap();
        s.run("CREATE (:A)").unwrap();
        assert!(s.run("CREATE (:B {x: 1/0})").is_err());
        assert!(s.in_transaction());
        assert_eq!(count(&mut s), 1);
        s.commit().unwrap();
        assert_eq!(count(&mut s), 1);
    }

    #[test]
    fn begin_twice_and_commit_without_begin_fail() {
        let mut s = Session::new();
        assert_eq!(s.commit().unwrap_err().code, "NoOpenTransaction");
        assert_eq!(s.rollback().unwrap_err().code, "NoOpenTransaction");
        s.begin().unwrap();
        assert_eq!(s.begin().unwrap_err().code, "TransactionAlreadyOpen");
    }
}
