//! The shell's state — a session, display settings, Ctrl-C handling — and
//! running statements and showing their results or errors.

use std::io::{self, Write};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use kgq::{Error, QueryResult, Stats};

use crate::db::Db;

use super::table;
use crate::args::Format;
use crate::output;
use crate::stream::KeepFirst;

/// How results are shown.
#[derive(Debug, Clone, Copy)]
pub struct Settings {
    /// The output format.
    pub format: Format,
    /// Whether each statement's time is shown.
    pub timing: bool,
    /// The most rows shown of a result (0: all).
    pub max_rows: usize,
}

/// The shell: a session and how to show what it gives.
pub struct Shell {
    /// The graph statements run against.
    pub db: Db,
    /// How results are shown.
    pub settings: Settings,
    /// Whether output may be coloured.
    pub color: bool,
    /// True while a statement runs: only then does Ctrl-C cancel.
    running: Arc<AtomicBool>,
    /// Set by Ctrl-C during a statement; stops the rest of a script.
    interrupted: Arc<AtomicBool>,
    /// The graph or the parameters changed since [`Shell::take_changed`].
    changed: bool,
    /// Whether `:why on` is in force.
    pub why: bool,
    /// Whether statements' warnings are shown (`--no-warnings` turns them off).
    pub warnings: bool,
}

impl Shell {
    /// A shell on `session`.
    pub fn new(db: Db, settings: Settings, color: bool) -> Shell {
        Shell {
            db,
            settings,
            color,
            running: Arc::new(AtomicBool::new(false)),
            interrupted: Arc::new(AtomicBool::new(false)),
            changed: false,
            why: false,
            warnings: true,
        }
    }

    /// Makes Ctrl-C (SIGINT) cancel the running statement. While the line
    /// editor waits for input the terminal is in raw mode and Ctrl-C is a
    /// key the editor handles itself, so the handler only ever sees it
    /// while a statement runs.
    pub fn catch_interrupts(&self) -> Result<(), ctrlc::Error> {
        let running = Arc::clone(&self.running);
        let interrupted = Arc::clone(&self.interrupted);
        let cancel = self.db.cancel_handle();
        ctrlc::set_handler(move || {
            if running.load(Ordering::SeqCst) {
                interrupted.store(true, Ordering::SeqCst);
                cancel.cancel();
            }
        })
    }

    /// Whether the graph or parameters changed since the last call.
    pub fn take_changed(&mut self) -> bool {
        std::mem::take(&mut self.changed)
    }

    /// Notes that the graph or parameters changed.
    pub fn mark_changed(&mut self) {
        self.changed = true;
    }

    /// Runs each statement of `text`, showing results; stops at the first
    /// error or at Ctrl-C. `origin` names the text in error messages (empty
    /// for what the user typed). Returns whether every statement succeeded.
    pub fn run_text(&mut self, origin: &str, text: &str) -> bool {
        self.interrupted.store(false, Ordering::SeqCst);
        for chunk in kgq::syntax::split_script(text) {
            self.running.store(true, Ordering::SeqCst);
            let started = Instant::now();
            // Only the rows shown are kept; the others are counted.
            let keep = (self.settings.max_rows > 0).then_some(self.settings.max_rows);
            let mut sink = KeepFirst::new(keep);
            let outcome = self.db.run_chunk_streaming(text, &chunk, &mut sink);
            self.running.store(false, Ordering::SeqCst);
            let elapsed = started.elapsed();
            match outcome {
                Ok(mut result) => {
                    if result.stats != Stats::default() {
                        self.changed = true;
                    }
                    let command = text
                        .get(chunk.span.start..chunk.span.end)
                        .and_then(crate::transaction::Command::of);
                    match command {
                        Some(command) => self.show_notice(command.done()),
                        None => {
                            result.rows = sink.rows;
                            self.show_rows(&result, sink.total, elapsed);
                            self.show_warnings(&result, origin, text);
                        }
                    }
                }
                Err(e) if e.code == "Cancelled" && self.interrupted.load(Ordering::SeqCst) => {
                    let undone = if e.message.contains("rolled back") {
                        "its changes were rolled back and the graph is unchanged"
                    } else {
                        "the graph is unchanged"
                    };
                    self.show_notice(&format!(
                        "Query cancelled after {}; {undone}.",
                        duration(elapsed)
                    ));
                    return false;
                }
                Err(e) => {
                    self.show_error(&e, origin, text);
                    return false;
                }
            }
            if self.interrupted.load(Ordering::SeqCst) {
                self.show_notice("Interrupted; the rest of the input was not run.");
                return false;
            }
        }
        true
    }

    /// Shows a result in the current format, at most `max_rows` rows.
    pub fn show_result(&self, result: &QueryResult, elapsed: Duration) {
        self.show_rows(result, result.rows.len() as u64, elapsed);
    }

    /// Shows a result of which `result.rows` are the first of `total` rows.
    fn show_rows(&self, result: &QueryResult, total: u64, elapsed: Duration) {
        let mut out = io::stdout().lock();
        let _ = self.write_result(&mut out, result, total, elapsed);
        let _ = out.flush();
    }

    fn write_result(
        &self,
        out: &mut dyn Write,
        result: &QueryResult,
        total: u64,
        elapsed: Duration,
    ) -> io::Result<()> {
        let shown = match self.settings.max_rows {
            0 => result.rows.len(),
            n => n.min(result.rows.len()),
        };
        let graph = self.db.graph();
        let hidden = total.saturating_sub(shown as u64);
        let timing = self
            .settings
            .timing
            .then(|| format!("Time: {}", duration(elapsed)));
        let more = (hidden > 0).then(|| {
            format!(
                "{hidden} more row{} not shown (:maxrows {})",
                if hidden == 1 { "" } else { "s" },
                self.settings.max_rows
            )
        });
        if self.settings.format == Format::Table {
            if let Some(plan) = &result.plan {
                write!(out, "{plan}")?;
                if result.columns.is_empty() {
                    return Ok(());
                }
            }
            if !result.columns.is_empty() {
                let rows: Vec<Vec<String>> = result.rows[..shown]
                    .iter()
                    .map(|r| r.iter().map(|v| output::cell(v, graph)).collect())
                    .collect();
                let width = table::terminal_width();
                let right: Vec<bool> = (0..result.columns.len())
                    .map(|i| output::is_numeric_column(result, i))
                    .collect();
                let table = table::fit_aligned(&result.columns, &rows, width, &right);
                writeln!(out, "{table}")?;
            }
            let mut line = output::summary_of(result, total);
            if let Some(more) = &more {
                line.push_str(&format!(" — {more}"));
            }
            if self.settings.timing {
                line.push_str(&format!(" ({})", duration(elapsed)));
            }
            writeln!(out, "{line}")?;
            return crate::why::write_section(out, result, graph, shown);
        }
        let mut cut = result.clone();
        cut.rows.truncate(shown);
        output::write_result(out, &cut, graph, self.settings.format)?;
        for note in [more, timing].into_iter().flatten() {
            writeln!(out, "{note}")?;
        }
        Ok(())
    }

    /// Shows a statement's notifications after its result, each with a
    /// caret under its place in `source` (on standard error, as errors).
    /// With `--format json` they are part of the result document already.
    pub fn show_warnings(&self, result: &QueryResult, origin: &str, source: &str) {
        if !self.warnings || self.settings.format == Format::Json {
            return;
        }
        let mut err = io::stderr().lock();
        for n in result.notifications() {
            let text = n.render(origin, source);
            let text = match text.split_once('\n') {
                Some((head, rest)) if self.color => format!("\x1b[1;33m{head}\x1b[0m\n{rest}"),
                _ => text,
            };
            let _ = writeln!(err, "{text}");
        }
    }

    /// Shows an error with a caret under its place in `source`.
    pub fn show_error(&self, error: &Error, origin: &str, source: &str) {
        let text = error.render(origin, source);
        let text = if self.color {
            match text.split_once('\n') {
                Some((head, rest)) => format!("\x1b[1;31m{head}\x1b[0m\n{rest}"),
                None => format!("\x1b[1;31m{text}\x1b[0m"),
            }
        } else {
            text
        };
        let mut out = io::stdout().lock();
        let _ = out.flush();
        let _ = writeln!(io::stderr().lock(), "{text}");
    }

    /// Shows a one-line message from the shell itself.
    pub fn show_notice(&self, text: &str) {
        let text = if self.color {
            format!("\x1b[33m{text}\x1b[0m")
        } else {
            text.to_string()
        };
        let _ = writeln!(io::stderr().lock(), "{text}");
    }
}

/// `0.4 ms`, `12.3 ms`, `2.051 s`.
pub fn duration(d: Duration) -> String {
    let ms = d.as_secs_f64() * 1000.0;
    if ms < 1000.0 {
        format!("{ms:.1} ms")
    } else {
        format!("{:.3} s", d.as_secs_f64())
    }
}
