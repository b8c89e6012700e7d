//! Running scripts and queries: loading the starting graph, parameters,
//! error reporting and exit codes.

use std::io::{self, BufWriter, Read, Write};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use kgq::{Error, ErrorClass, Graph, Session, Value};

use crate::db::Db;

use crate::args::{CommonArgs, Format, QueryArgs, RunArgs};
use crate::output;

/// Exit status: success.
pub const OK: u8 = 0;
/// Exit status: a statement or a data file failed.
pub const FAILED: u8 = 1;
/// Exit status: the command line was wrong.
pub const USAGE: u8 = 2;
/// Exit status: Ctrl-C stopped the run (128 + SIGINT, as shells report it).
pub const INTERRUPTED: u8 = 130;

/// How many times Ctrl-C was pressed during `run` or `query`.
static INTERRUPTS: AtomicUsize = AtomicUsize::new(0);

/// Makes Ctrl-C cancel the running statement (which rolls back and fails
/// with `LimitExceeded: Cancelled`, so the graph and a store stay as they
/// were) and stop the run; a second Ctrl-C exits at once.
fn catch_interrupts(db: &Db) {
    let cancel = db.cancel_handle();
    let installed = ctrlc::set_handler(move || {
        if INTERRUPTS.fetch_add(1, Ordering::SeqCst) > 0 {
            std::process::exit(i32::from(INTERRUPTED));
        }
        cancel.cancel();
    });
    // Without a handler Ctrl-C keeps its default effect (ending the process).
    drop(installed);
}

/// Whether Ctrl-C was pressed.
fn interrupted() -> bool {
    INTERRUPTS.load(Ordering::SeqCst) > 0
}

/// The largest script kgq reads (it refuses endless inputs such as `/dev/zero`).
const MAX_SCRIPT_BYTES: u64 = 256 << 20;

/// Why a run stopped early.
enum Stop {
    /// Writing to standard output failed; broken pipes are quiet.
    Output(io::Error),
    /// A statement or file failed (already reported).
    Failed,
    /// Ctrl-C stopped the run.
    Interrupted,
}

/// `kgq run FILE…`.
pub fn run_files(args: &RunArgs) -> u8 {
    run_files_from(args, false)
}

/// `kgq run FILE…`, starting from the bundled graph when no graph is given
/// and `bundled_by_default` (as `kgq repl` does when its input is not a
/// terminal).
pub fn run_files_from(args: &RunArgs, bundled_by_default: bool) -> u8 {
    let Some(mut db) = open_db(&args.common, bundled_by_default) else {
        return FAILED;
    };
    catch_interrupts(&db);
    if args.atomic
        && let Err(e) = db.begin()
    {
        output::report_error(&e, "--atomic", "", args.common.format);
        return finish(db, &args.common, FAILED);
    }
    let mut out = BufWriter::new(io::stdout().lock());
    let status = run_each_file(&mut db, args, &mut out);
    let _ = out.flush();
    let status = end_transaction(&mut db, args, status);
    finish(db, &args.common, status)
}

/// Runs every script of `args` in order; returns the exit status.
fn run_each_file(db: &mut Db, args: &RunArgs, out: &mut dyn Write) -> u8 {
    let mut failed = false;
    for file in &args.files {
        let (origin, text) = match read_script(file) {
            Ok(x) => x,
            Err(e) => {
                output::report_error(&e, &file.display().to_string(), "", args.common.format);
                return FAILED;
            }
        };
        let how = How {
            format: args.common.format,
            keep_going: args.continue_on_error,
            warnings: !args.common.no_warnings,
        };
        match run_text(db, &origin, &text, how, out) {
            Ok(ok) => failed |= !ok,
            Err(Stop::Failed) => return FAILED,
            Err(Stop::Interrupted) => return INTERRUPTED,
            Err(Stop::Output(e)) => return output_failed(&e),
        }
    }
    if let Err(e) = out.flush() {
        return output_failed(&e);
    }
    if failed { FAILED } else { OK }
}

/// Ends the transaction a run leaves open: `--atomic` commits it when
/// every statement succeeded and rolls it back otherwise; a transaction a
/// script opened with BEGIN and never committed is rolled back. Returns
/// the exit status (a failed commit turns success into failure).
fn end_transaction(db: &mut Db, args: &RunArgs, status: u8) -> u8 {
    if !db.in_transaction() {
        return status;
    }
    let format = args.common.format;
    if args.atomic && status == OK {
        return match db.commit() {
            Ok(_) => OK,
            Err(e) => {
                output::report_error(&e, "--atomic", "", format);
                FAILED
            }
        };
    }
    let why = if args.atomic {
        "kgq: --atomic: not every statement succeeded, so none of them was kept \
         (the whole run was rolled back)"
    } else {
        "kgq: a transaction opened with BEGIN was never committed; it was rolled back"
    };
    let _ = writeln!(io::stderr(), "{why}");
    match db.rollback() {
        Ok(()) if args.atomic => status,
        Ok(()) => FAILED,
        Err(e) => {
            output::report_error(&e, "", "", format);
            FAILED
        }
    }
}

/// Saves the graph when `--save` asks for it and closes a store; returns
/// the exit status (a failure here turns success into failure).
pub fn finish(db: Db, common: &CommonArgs, status: u8) -> u8 {
    let mut status = status;
    if let Some(path) = &common.save {
        if let Err(e) = graph_to_export(&db).and_then(|g| save_graph(&g, path, common.force)) {
            output::report_error(&e, &path.display().to_string(), "", common.format);
            status = FAILED;
        }
    }
    let origin = db
        .store_path()
        .map(|p| p.display().to_string())
        .unwrap_or_default();
    if let Err(e) = db.close() {
        output::report_error(&e, &origin, "", common.format);
        status = FAILED;
    }
    status
}

/// `kgq query TEXT`.
pub fn run_query(args: &QueryArgs) -> u8 {
    let Some(mut db) = open_db(&args.common, true) else {
        return FAILED;
    };
    catch_interrupts(&db);
    let mut out = BufWriter::new(io::stdout().lock());
    if crate::stream::streams(args.common.format, args.common.why) {
        let mut sink = crate::stream::FormatSink::new(&mut out, args.common.format);
        let outcome = db.run_streaming(&args.text, &mut sink);
        let failed = sink.failed.take();
        if let Err(e) = outcome {
            let _ = out.flush();
            output::report_error(&e, "<query>", &args.text, args.common.format);
            let status = if interrupted() { INTERRUPTED } else { FAILED };
            return finish(db, &args.common, status);
        }
        let status = match failed.map_or_else(|| out.flush(), Err) {
            Ok(()) => OK,
            Err(e) => output_failed(&e),
        };
        if let Ok(result) = &outcome
            && !args.common.no_warnings
        {
            output::report_notifications(result, "", &args.text, args.common.format);
        }
        return finish(db, &args.common, status);
    }
    let mut result = match db.run(&args.text) {
        Ok(result) => result,
        Err(e) => {
            output::report_error(&e, "<query>", &args.text, args.common.format);
            let status = if interrupted() { INTERRUPTED } else { FAILED };
            return finish(db, &args.common, status);
        }
    };
    if args.common.no_warnings {
        result.notifications.clear();
    }
    let written = output::write_result(&mut out, &result, db.graph(), args.common.format)
        .and_then(|_| out.flush());
    let status = match written {
        Ok(()) => OK,
        Err(e) => output_failed(&e),
    };
    if !args.common.no_warnings {
        output::report_notifications(&result, "", &args.text, args.common.format);
    }
    finish(db, &args.common, status)
}

/// How [`run_text`] runs and reports statements.
#[derive(Debug, Clone, Copy)]
struct How {
    /// The output format.
    format: Format,
    /// Go on after a failing statement.
    keep_going: bool,
    /// Print each statement's notifications on standard error.
    warnings: bool,
}

/// Runs each statement of `text`; returns whether all succeeded.
fn run_text(
    db: &mut Db,
    origin: &str,
    text: &str,
    how: How,
    out: &mut dyn Write,
) -> Result<bool, Stop> {
    let How {
        format,
        keep_going,
        warnings,
    } = how;
    let mut all_ok = true;
    for chunk in kgq::syntax::split_script(text) {
        if interrupted() {
            return Err(Stop::Interrupted);
        }
        let command = text
            .get(chunk.span.start..chunk.span.end)
            .and_then(crate::transaction::Command::of);
        let outcome = if let Some(command) = command {
            db.run_chunk(text, &chunk).and_then(|result| {
                if matches!(format, Format::Table | Format::Markdown) {
                    let changes = output::summary(&result);
                    let line = match command {
                        crate::transaction::Command::Commit => {
                            format!("{}: {changes}", command.done())
                        }
                        _ => command.done().to_string(),
                    };
                    writeln!(out, "{line}").map_err(|e| Error::io("standard output", &e))?;
                }
                Ok(())
            })
        } else if crate::stream::streams(format, db.session().provenance()) {
            let mut sink = crate::stream::FormatSink::new(out, format);
            let outcome = db.run_chunk_streaming(text, &chunk, &mut sink);
            if let Some(e) = sink.failed.take() {
                return Err(Stop::Output(e));
            }
            outcome.map(|result| {
                if warnings {
                    let _ = out.flush();
                    output::report_notifications(&result, origin, text, format);
                }
            })
        } else {
            match db.run_chunk(text, &chunk) {
                Ok(mut result) => {
                    if !warnings {
                        result.notifications.clear();
                    }
                    output::write_result(out, &result, db.graph(), format).map_err(Stop::Output)?;
                    if warnings {
                        out.flush().map_err(Stop::Output)?;
                        output::report_notifications(&result, origin, text, format);
                    }
                    Ok(())
                }
                Err(e) => Err(e),
            }
        };
        match outcome {
            Ok(()) => {}
            Err(e) => {
                out.flush().map_err(Stop::Output)?;
                output::report_error(&e, origin, text, format);
                if interrupted() {
                    return Err(Stop::Interrupted);
                }
                if !keep_going {
                    return Err(Stop::Failed);
                }
                all_ok = false;
            }
        }
    }
    if interrupted() {
        return Err(Stop::Interrupted);
    }
    Ok(all_ok)
}

/// The graph a command starts from, with parameters and limits applied;
/// `None` after reporting an error. `-g FILE` opens a snapshot as a store
/// (or, with `--read-only`, just reads it) and runs a script in memory.
pub fn open_db(common: &CommonArgs, bundled_by_default: bool) -> Option<Db> {
    let opened = match &common.graph {
        Some(path) if kgq::snapshot::is_snapshot_file(path).unwrap_or(false) => {
            open_store_or_read(path, common.read_only).map_err(|error| LoadFailure {
                error,
                origin: path.display().to_string(),
                source: String::new(),
            })
        }
        Some(path) => load_graph(path).map(Db::memory),
        None if bundled_by_default => {
            kgq::bundled::graph()
                .map(Db::memory)
                .map_err(|error| LoadFailure {
                    error,
                    origin: kgq::bundled::NAME.to_string(),
                    source: kgq::bundled::SCRIPT.to_string(),
                })
        }
        None => Ok(Db::memory(Graph::new())),
    };
    let mut db = match opened {
        Ok(db) => db,
        Err(failure) => {
            output::report_error(
                &failure.error,
                &failure.origin,
                &failure.source,
                common.format,
            );
            return None;
        }
    };
    apply_settings(&mut db, common);
    Some(db)
}

/// Opens the store at `path`; when another kgq process holds it open for
/// writing, opens it read-only instead and says so on standard error
/// (reads work, write statements are refused with `ReadOnlyStore`).
fn open_store_or_read(path: &Path, read_only: bool) -> Result<Db, Error> {
    match Db::open_store(path, read_only, false) {
        Err(e) if e.code == "StoreLocked" && !read_only => {
            let db = Db::open_store(path, true, false)?;
            let _ = writeln!(
                io::stderr(),
                "kgq: {} is open for writing in another kgq process; \
                 opened it read-only (write statements are refused)",
                path.display()
            );
            Ok(db)
        }
        other => other,
    }
}

/// Applies `--param`, `--timeout` and the limits; a bad value is a usage error.
pub fn apply_settings(db: &mut Db, common: &CommonArgs) {
    db.set_limits(common.max_expansions, common.max_rows);
    db.set_provenance(common.why);
    if let Some(text) = &common.as_of {
        let set = parse_as_of(text).and_then(|v| db.set_as_of(Some(v)));
        if let Err(e) = set {
            output::report_error(&e, "--as-of", text, common.format);
            std::process::exit(i32::from(USAGE));
        }
    }
    db.set_memory_limits(common.max_memory.0, common.max_value_size.0);
    db.set_import_dir(common.import_dir.clone());
    for param in &common.params {
        match parse_param(param) {
            Ok((name, value)) => db.set_param(&name, value),
            Err(e) => {
                output::report_error(&e, "--param", param, common.format);
                std::process::exit(i32::from(USAGE));
            }
        }
    }
    if let Some(seconds) = common.timeout {
        match Duration::try_from_secs_f64(seconds) {
            Ok(d) => db.set_timeout(Some(d)),
            Err(_) => {
                let _ = writeln!(
                    io::stderr(),
                    "kgq: --timeout needs a non-negative number of seconds"
                );
                std::process::exit(i32::from(USAGE));
            }
        }
    }
}

/// Reads the value of `--as-of` / `:asof`: a date or date-time in ISO
/// form, or else an expression of the language (`date() - duration('P1D')`).
pub fn parse_as_of(text: &str) -> Result<Value, Error> {
    if let Ok(v) = kgq::valid_time::parse_instant(text) {
        return Ok(v);
    }
    // `2024-13-01` is a mistyped date, not arithmetic.
    if looks_like_date(text) {
        return kgq::valid_time::parse_instant(text);
    }
    let mut scratch = Session::new();
    let value = scratch
        .run(&format!("RETURN {text} AS value"))
        .ok()
        .and_then(|r| r.rows.into_iter().next())
        .and_then(|r| r.into_iter().next())
        .unwrap_or(Value::Null);
    kgq::valid_time::instant_of(&value, "the as-of instant")?;
    if value.is_null() {
        return kgq::valid_time::parse_instant(text);
    }
    Ok(value)
}

/// The graph `--save` (and exporters) should write: the session's graph,
/// or, with `--as-of`, the graph as it stood then.
pub fn graph_to_export(db: &Db) -> Result<std::borrow::Cow<'_, Graph>, Error> {
    match db.as_of() {
        Some(instant) => kgq::valid_time::as_of(db.graph(), instant).map(std::borrow::Cow::Owned),
        None => Ok(std::borrow::Cow::Borrowed(db.graph())),
    }
}

/// A graph file that could not be loaded: the error, with the file's name
/// and text so that it can be shown with a caret.
#[derive(Debug)]
pub struct LoadFailure {
    /// What went wrong.
    pub error: Error,
    /// The file's name.
    pub origin: String,
    /// The file's text (empty when it could not be read).
    pub source: String,
}

/// Loads the graph kept in `path` into memory: a snapshot (recognised by
/// its content, not its name) or a query script that builds the graph.
pub fn load_graph(path: &Path) -> Result<Graph, LoadFailure> {
    if kgq::snapshot::is_snapshot_file(path).unwrap_or(false) {
        return kgq::snapshot::load(path).map_err(|error| LoadFailure {
            error,
            origin: path.display().to_string(),
            source: String::new(),
        });
    }
    let (origin, text) = read_script(path).map_err(|error| LoadFailure {
        error,
        origin: path.display().to_string(),
        source: String::new(),
    })?;
    let mut session = Session::new();
    for chunk in kgq::syntax::split_script(&text) {
        if let Err(error) = session.run_chunk(&text, &chunk) {
            return Err(LoadFailure {
                error,
                origin,
                source: text,
            });
        }
    }
    Ok(session.into_graph())
}

/// Saves `graph` to `path` as a snapshot (atomically: a crash leaves the
/// old file whole). Never over a store another kgq process holds, and over
/// an existing file only with `force`; see [`kgq::store::replace`].
pub fn save_graph(graph: &Graph, path: &Path, force: bool) -> Result<(), Error> {
    kgq::store::replace::save_snapshot(graph, path, existing(force))
}

/// What `--force` (or `:save!`) means for an existing destination.
pub fn existing(force: bool) -> kgq::store::replace::Existing {
    if force {
        kgq::store::replace::Existing::Replace
    } else {
        kgq::store::replace::Existing::Refuse
    }
}

/// Whether `text` starts like an ISO date (`2024-`, then a digit): then
/// it is meant as a date, never as a subtraction.
fn looks_like_date(text: &str) -> bool {
    let b = text.trim().as_bytes();
    b.len() > 5 && b[..4].iter().all(u8::is_ascii_digit) && b[4] == b'-' && b[5].is_ascii_digit()
}

/// Whether `text` is one bare word (letters, digits, `_`, `-`, `.`), which
/// `-p` takes as a string when it is not a literal or a name of the language.
fn is_bare_word(text: &str) -> bool {
    let text = text.trim();
    !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.'))
}

/// `name=value` with the value read as a literal of the language; an ISO
/// date or date-time is a temporal value and a bare word (`co=BYD`) a
/// string. Anything else that is not a literal gets an error that shows
/// how to quote it.
fn parse_param(text: &str) -> Result<(String, Value), Error> {
    let Some((name, literal)) = text.split_once('=') else {
        return Err(Error::new(
            ErrorClass::SyntaxError,
            "InvalidParameter",
            format!("expected NAME=VALUE, got `{text}`"),
        ));
    };
    let name = name.trim().trim_start_matches('$');
    if name.is_empty() || !name.chars().all(|c| c.is_alphanumeric() || c == '_') {
        return Err(Error::new(
            ErrorClass::SyntaxError,
            "InvalidParameter",
            format!("`{name}` is not a parameter name"),
        ));
    }
    if looks_like_date(literal) {
        let value = kgq::valid_time::parse_instant(literal).map_err(|e| {
            Error::new(
                e.class,
                e.code,
                format!("in the value of --param {name}: {}", e.message),
            )
        })?;
        return Ok((name.to_string(), value));
    }
    let mut scratch = Session::new();
    let statement = format!("RETURN {literal} AS value");
    let result = match scratch.run(&statement) {
        Ok(result) => result,
        Err(e) if e.code == "UndefinedVariable" && is_bare_word(literal) => {
            return Ok((name.to_string(), Value::string(literal.trim())));
        }
        Err(e) => {
            let quoted = literal.replace('\\', "\\\\").replace('\'', "\\'");
            return Err(Error::new(
                e.class,
                e.code,
                format!(
                    "in the value of --param {name}: {}; the value is read as a literal of the \
                     language: to pass it as a string, quote it: -p \"{name}='{quoted}'\"",
                    e.message
                ),
            ));
        }
    };
    let value = result
        .rows
        .into_iter()
        .next()
        .and_then(|r| r.into_iter().next())
        .unwrap_or(Value::Null);
    Ok((name.to_string(), value))
}

/// Reads a script file (or standard input for `-`) as UTF-8 text.
pub fn read_script(path: &Path) -> Result<(String, String), Error> {
    let origin = path.display().to_string();
    let mut bytes = Vec::new();
    let read = if origin == "-" {
        io::stdin()
            .lock()
            .take(MAX_SCRIPT_BYTES + 1)
            .read_to_end(&mut bytes)
    } else {
        if path.is_dir() {
            return Err(Error::new(
                ErrorClass::IoError,
                "IsADirectory",
                format!("{origin} is a directory, not a script"),
            ));
        }
        std::fs::File::open(path).and_then(|f| f.take(MAX_SCRIPT_BYTES + 1).read_to_end(&mut bytes))
    };
    let origin = if origin == "-" {
        "<stdin>".to_string()
    } else {
        origin
    };
    read.map_err(|e| Error::io(&origin, &e))?;
    if bytes.len() as u64 > MAX_SCRIPT_BYTES {
        return Err(Error::new(
            ErrorClass::IoError,
            "FileTooLarge",
            format!(
                "{origin} is larger than {} MiB; kgq reads scripts up to that size",
                MAX_SCRIPT_BYTES >> 20
            ),
        ));
    }
    let text = kgq::error::decode_utf8(&origin, bytes)?;
    let text = text
        .strip_prefix('\u{feff}')
        .map(str::to_string)
        .unwrap_or(text);
    Ok((origin, text))
}

/// A failed write to standard output: quiet for a closed pipe.
pub fn output_failed(e: &io::Error) -> u8 {
    if e.kind() == io::ErrorKind::BrokenPipe {
        return OK;
    }
    let _ = writeln!(io::stderr(), "kgq: cannot write the output: {e}");
    FAILED
}
