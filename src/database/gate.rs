//! The writer turn: at most one writer (an auto-commit write statement or
//! a write transaction from its first write to its end) holds it; readers
//! that do not hold it wait while someone does, so they never see a
//! transaction's uncommitted changes.

use std::sync::{Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use crate::error::{Error, ErrorClass, Result};

/// Who holds the turn.
#[derive(Debug, Default)]
pub(super) struct Turn {
    holder: Option<u64>,
}

/// The turn and the condition writers and readers wait on.
#[derive(Debug, Default)]
pub(super) struct Gate {
    turn: Mutex<Turn>,
    changed: Condvar,
}

fn busy(what: &str, wait: Duration) -> Error {
    Error::new(
        ErrorClass::TransientError,
        "LockTimeout",
        format!(
            "{what} waited {:.1} s for a write transaction to finish; try again",
            wait.as_secs_f64()
        ),
    )
}

impl Gate {
    fn lock(&self) -> MutexGuard<'_, Turn> {
        self.turn.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Waits until nobody but `me` holds the turn (at most `wait`) and
    /// returns the gate still locked, so the caller can take its read lock
    /// before any writer gets the turn.
    pub(super) fn wait_for_readers(
        &self,
        me: Option<u64>,
        wait: Duration,
    ) -> Result<MutexGuard<'_, Turn>> {
        self.wait_until(wait, "a read", |t| t.holder.is_none() || t.holder == me)
    }

    /// Takes the turn for `me` (at most `wait`).
    pub(super) fn acquire(&self, me: u64, wait: Duration) -> Result<()> {
        let mut turn = self.wait_until(wait, "a write", |t| {
            t.holder.is_none() || t.holder == Some(me)
        })?;
        turn.holder = Some(me);
        Ok(())
    }

    /// Gives the turn back (if `me` holds it) and wakes every waiter.
    pub(super) fn release(&self, me: u64) {
        let mut turn = self.lock();
        if turn.holder == Some(me) {
            turn.holder = None;
            drop(turn);
            self.changed.notify_all();
        }
    }

    fn wait_until(
        &self,
        wait: Duration,
        what: &str,
        ready: impl Fn(&Turn) -> bool,
    ) -> Result<MutexGuard<'_, Turn>> {
        let deadline = Instant::now() + wait;
        let mut turn = self.lock();
        while !ready(&turn) {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Err(busy(what, wait));
            }
            turn = self
                .changed
                .wait_timeout(turn, left)
                .unwrap_or_else(|e| e.into_inner())
                .0;
        }
        Ok(turn)
    }
}
