//! Ctrl-C for statements run on Python's main thread, without handing the
//! statement to another thread.
//!
//! Python's own C signal handler notes a SIGINT and, when a *wakeup fd* is
//! set (`signal.set_wakeup_fd`), writes the signal's number to it. While a
//! statement runs on the main thread with the GIL released, that fd is the
//! write end of a socket pair whose read end a watcher thread (started on
//! first use, blocked in `read` otherwise) drains: on a SIGINT byte it
//! cancels the statement running now, again every few milliseconds until
//! that statement is over (a statement starting resets its flag). When the
//! statement returns, the main thread runs Python's handler
//! (`check_signals`), which raises `KeyboardInterrupt`.
//!
//! The statement is only run this way when nobody else uses the wakeup fd
//! (an asyncio loop does) and SIGINT has Python's default handler; the
//! caller falls back to [`crate::worker`] otherwise, and on platforms
//! without Unix sockets.

use kgq::CancelHandle;
use pyo3::prelude::*;

/// A statement armed for Ctrl-C; [`Armed::disarm`] must follow it.
pub struct Armed {
    #[cfg(unix)]
    call: u64,
}

#[cfg(unix)]
mod unix {
    use std::io::Read;
    use std::os::fd::AsRawFd;
    use std::os::unix::net::UnixStream;
    use std::sync::{Arc, Mutex};
    use std::time::Duration;

    use kgq::CancelHandle;
    use pyo3::prelude::*;
    use pyo3::sync::PyOnceLock;

    /// The statement running on the main thread now: (call number, handle).
    pub type Current = Arc<Mutex<(u64, Option<CancelHandle>)>>;

    /// The watcher of this process.
    pub struct Watcher {
        pid: u32,
        /// The end Python writes to (kept open here).
        write: UnixStream,
        pub current: Current,
    }

    static WATCHER: Mutex<Option<Watcher>> = Mutex::new(None);
    static SET_WAKEUP_FD: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
    static GETSIGNAL: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
    static DEFAULT_HANDLER: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

    /// SIGINT's number, the byte Python writes for it.
    const SIGINT: u8 = 2;
    /// How often a cancelled statement is cancelled again.
    const REPEAT: Duration = Duration::from_millis(20);

    fn signal_attr<'py>(
        py: Python<'py>,
        cell: &'static PyOnceLock<Py<PyAny>>,
        name: &str,
    ) -> PyResult<&'py Bound<'py, PyAny>> {
        cell.get_or_try_init(py, || Ok(py.import("signal")?.getattr(name)?.unbind()))
            .map(|f| f.bind(py))
    }

    fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
        m.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn watch(mut read: UnixStream, current: Current) {
        let mut buf = [0u8; 64];
        loop {
            let n = match read.read(&mut buf) {
                Ok(0) | Err(_) => return,
                Ok(n) => n,
            };
            if !buf[..n].contains(&SIGINT) {
                continue;
            }
            let call = lock(&current).0;
            loop {
                {
                    let now = lock(&current);
                    match &now.1 {
                        Some(cancel) if now.0 == call => cancel.cancel(),
                        _ => break,
                    }
                }
                std::thread::sleep(REPEAT);
            }
        }
    }

    /// The write end's fd and the slot of the running statement, starting
    /// the watcher if this process has none (a forked child starts its own).
    fn watcher() -> Option<(i32, Current)> {
        let mut w = lock(&WATCHER);
        let pid = std::process::id();
        if w.as_ref().is_none_or(|w| w.pid != pid) {
            let (read, write) = UnixStream::pair().ok()?;
            write.set_nonblocking(true).ok()?;
            let current: Current = Arc::new(Mutex::new((0, None)));
            let seen = current.clone();
            std::thread::Builder::new()
                .name("kgq-sigint".into())
                .spawn(move || watch(read, seen))
                .ok()?;
            *w = Some(Watcher {
                pid,
                write,
                current,
            });
        }
        w.as_ref().map(|w| (w.write.as_raw_fd(), w.current.clone()))
    }

    /// Sets the wakeup fd and records `cancel` as the running statement;
    /// `None` (nothing changed) when that cannot be done here.
    pub fn arm(py: Python<'_>, cancel: &CancelHandle, call: u64) -> Option<()> {
        let getsignal = signal_attr(py, &GETSIGNAL, "getsignal").ok()?;
        let default = signal_attr(py, &DEFAULT_HANDLER, "default_int_handler").ok()?;
        if !getsignal.call1((SIGINT,)).ok()?.is(default) {
            return None;
        }
        let (fd, current) = watcher()?;
        let set = signal_attr(py, &SET_WAKEUP_FD, "set_wakeup_fd").ok()?;
        let old: i64 = set.call1((fd,)).ok()?.extract().ok()?;
        if old != -1 {
            // Someone else (an asyncio loop) listens: give it back.
            let _ = set.call1((old,));
            return None;
        }
        *lock(&current) = (call, Some(cancel.clone()));
        Some(())
    }

    /// Clears the running statement and the wakeup fd.
    pub fn disarm(py: Python<'_>, call: u64) {
        if let Some(w) = lock(&WATCHER).as_ref() {
            let mut now = lock(&w.current);
            if now.0 == call {
                now.1 = None;
            }
        }
        if let Ok(set) = signal_attr(py, &SET_WAKEUP_FD, "set_wakeup_fd") {
            let _ = set.call1((-1,));
        }
    }
}

/// Prepares Ctrl-C for a statement about to run on the main thread (GIL
/// held); `None` when the caller must hand the statement off instead.
pub fn arm(py: Python<'_>, cancel: &CancelHandle, call: u64) -> Option<Armed> {
    #[cfg(unix)]
    {
        unix::arm(py, cancel, call).map(|()| Armed { call })
    }
    #[cfg(not(unix))]
    {
        let _ = (py, cancel, call);
        None
    }
}

impl Armed {
    /// Ends the statement's watch (GIL held), then runs Python's signal
    /// handlers: `Err(KeyboardInterrupt)` when Ctrl-C came meanwhile.
    pub fn disarm(self, py: Python<'_>) -> PyResult<()> {
        #[cfg(unix)]
        unix::disarm(py, self.call);
        py.check_signals()
    }
}
