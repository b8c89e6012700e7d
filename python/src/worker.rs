//! The thread that runs statements started on Python's main thread, so
//! that the main thread stays free to notice Ctrl-C while one runs. One
//! thread, started on first use and reused: spawning a thread per call
//! cost more than a small query takes.

use std::any::Any;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::mpsc::{self, Sender};
use std::sync::{Arc, Condvar, Mutex, OnceLock};
use std::time::Duration;

/// The worker's stack size.
const STACK_SIZE: usize = 16 << 20;

type Job = Box<dyn FnOnce() + Send + 'static>;

/// Where jobs go; `None` when the worker could not be started.
static JOBS: OnceLock<Option<Sender<Job>>> = OnceLock::new();

fn start() -> Option<Sender<Job>> {
    let (tx, rx) = mpsc::channel::<Job>();
    std::thread::Builder::new()
        .name("kgq-statements".into())
        // As deep as a main thread's: parsing and planning move to a fresh
        // stack when less than a few MiB are left, which cost a mapping of
        // tens of MiB per statement on a default-sized thread.
        .stack_size(STACK_SIZE)
        .spawn(move || {
            for job in rx {
                job();
            }
        })
        .ok()?;
    Some(tx)
}

/// What a job gave: its value, or the panic it raised.
pub type Done<T> = Result<T, Box<dyn Any + Send>>;

type Slot<T> = Arc<(Mutex<Option<Done<T>>>, Condvar)>;

/// A job handed to the worker, whose result is awaited.
pub struct Pending<T> {
    slot: Slot<T>,
}

impl<T> Pending<T> {
    /// The job's result, if it finishes within `timeout`.
    pub fn wait(&self, timeout: Duration) -> Option<Done<T>> {
        let guard = self.slot.0.lock().unwrap_or_else(|e| e.into_inner());
        let (mut guard, _) = self
            .slot
            .1
            .wait_timeout_while(guard, timeout, |done| done.is_none())
            .unwrap_or_else(|e| e.into_inner());
        guard.take()
    }
}

/// Runs `f` on the worker thread, after the jobs before it; here and now
/// if the worker could not be started.
pub fn submit<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> Pending<T> {
    let slot: Slot<T> = Arc::new((Mutex::new(None), Condvar::new()));
    let filled = slot.clone();
    let job: Job = Box::new(move || {
        let done = catch_unwind(AssertUnwindSafe(f));
        *filled.0.lock().unwrap_or_else(|e| e.into_inner()) = Some(done);
        filled.1.notify_all();
    });
    let sent = match JOBS.get_or_init(start) {
        Some(tx) => tx.send(job).map_err(|e| e.0),
        None => Err(job),
    };
    if let Err(job) = sent {
        job();
    }
    Pending { slot }
}
