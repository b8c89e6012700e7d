//! Running scripts and queries: loading the starting graph, parameters,
//! error reporting and exit codes.

use std::io::{self, BufWriter, Read, Write};
use std::path::Path;
use std::time::Duration;

use kgq::{Error, ErrorClass, Graph, Session, Value};

use crate::args::{CommonArgs, QueryArgs, RunArgs};
use crate::output;

/// Exit status: success.
pub const OK: u8 = 0;
/// Exit status: a statement or a data file failed.
pub const FAILED: u8 = 1;
/// Exit status: the command line was wrong.
pub const USAGE: u8 = 2;

/// The largest script kgq reads (it refuses endless inputs such as `/dev/zero`).
const MAX_SCRIPT_BYTES: u64 = 1 << 30;

/// Why a run stopped early.
enum Stop {
    /// Writing to standard output failed; broken pipes are quiet.
    Output(io::Error),
    /// A statement or file failed (already reported).
    Failed,
}

/// `kgq run FILE…`.
pub fn run_files(args: &RunArgs) -> u8 {
    run_files_from(args, false)
}

/// `kgq run FILE…`, starting from the bundled graph when no graph is given
/// and `bundled_by_default` (as `kgq repl` does when its input is not a
/// terminal).
pub fn run_files_from(args: &RunArgs, bundled_by_default: bool) -> u8 {
    let Some(mut session) = start_session(&args.common, bundled_by_default) else {
        return FAILED;
    };
    let mut out = BufWriter::new(io::stdout().lock());
    let mut failed = false;
    for file in &args.files {
        let (origin, text) = match read_script(file) {
            Ok(x) => x,
            Err(e) => {
                output::report_error(&e, &file.display().to_string(), "", args.common.format);
                return FAILED;
            }
        };
        match run_text(
            &mut session,
            &origin,
            &text,
            args.common.format,
            args.continue_on_error,
            &mut out,
        ) {
            Ok(ok) => failed |= !ok,
            Err(Stop::Failed) => return FAILED,
            Err(Stop::Output(e)) => return output_failed(&e),
        }
    }
    if let Err(e) = out.flush() {
        return output_failed(&e);
    }
    if failed { FAILED } else { OK }
}

/// `kgq query TEXT`.
pub fn run_query(args: &QueryArgs) -> u8 {
    let Some(mut session) = start_session(&args.common, true) else {
        return FAILED;
    };
    let mut out = BufWriter::new(io::stdout().lock());
    let result = match session.run(&args.text) {
        Ok(result) => result,
        Err(e) => {
            output::report_error(&e, "<query>", &args.text, args.common.format);
            return FAILED;
        }
    };
    let written = output::write_result(&mut out, &result, session.graph(), args.common.format)
        .and_then(|_| out.flush());
    match written {
        Ok(()) => OK,
        Err(e) => output_failed(&e),
    }
}

/// Runs each statement of `text`; returns whether all succeeded.
fn run_text(
    session: &mut Session,
    origin: &str,
    text: &str,
    format: crate::args::Format,
    keep_going: bool,
    out: &mut dyn Write,
) -> Result<bool, Stop> {
    let mut all_ok = true;
    for chunk in kgq::syntax::split_script(text) {
        match session.run_chunk(text, &chunk) {
            Ok(result) => {
                output::write_result(out, &result, session.graph(), format)
                    .map_err(Stop::Output)?;
            }
            Err(e) => {
                out.flush().map_err(Stop::Output)?;
                output::report_error(&e, origin, text, format);
                if !keep_going {
                    return Err(Stop::Failed);
                }
                all_ok = false;
            }
        }
    }
    Ok(all_ok)
}

/// A session on the starting graph, with parameters and limits applied;
/// `None` after reporting an error.
pub fn start_session(common: &CommonArgs, bundled_by_default: bool) -> Option<Session> {
    let mut session = match &common.graph {
        Some(path) => match load_graph(path) {
            Ok(graph) => Session::with_graph(graph),
            Err(failure) => {
                output::report_error(
                    &failure.error,
                    &failure.origin,
                    &failure.source,
                    common.format,
                );
                return None;
            }
        },
        None if bundled_by_default => match kgq::bundled::graph() {
            Ok(graph) => Session::with_graph(graph),
            Err(e) => {
                output::report_error(&e, kgq::bundled::NAME, kgq::bundled::SCRIPT, common.format);
                return None;
            }
        },
        None => Session::new(),
    };
    for param in &common.params {
        match parse_param(param) {
            Ok((name, value)) => session.set_param(&name, value),
            Err(e) => {
                output::report_error(&e, "--param", param, common.format);
                std::process::exit(i32::from(USAGE));
            }
        }
    }
    if let Some(seconds) = common.timeout {
        match Duration::try_from_secs_f64(seconds) {
            Ok(d) => session.set_timeout(Some(d)),
            Err(_) => {
                let _ = writeln!(
                    io::stderr(),
                    "kgq: --timeout needs a non-negative number of seconds"
                );
                std::process::exit(i32::from(USAGE));
            }
        }
    }
    Some(session)
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

/// Loads the graph kept in `path`: today a query script that builds it.
/// This is the one place that decides how a graph file is read, so that
/// snapshot files can be recognised here without touching its callers.
pub fn load_graph(path: &Path) -> Result<Graph, LoadFailure> {
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

/// Saves `graph` to `path` so that [`load_graph`] can open it again. kgq
/// saves graphs as snapshots, which this build does not have yet, so it
/// reports that; the snapshot format fills in this one function.
pub fn save_graph(graph: &Graph, path: &Path) -> Result<(), Error> {
    let _ = (graph, path);
    Err(Error::unsupported(
        "snapshots are not available yet in this build, so the graph cannot be saved",
    ))
}

/// `name=value` with the value read as a literal of the language.
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
    let mut scratch = Session::new();
    let statement = format!("RETURN {literal} AS value");
    let result = scratch.run(&statement).map_err(|e| {
        Error::new(
            e.class,
            e.code,
            format!("in the value of --param {name}: {}", e.message),
        )
    })?;
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
    let text = String::from_utf8(bytes).map_err(|e| {
        Error::new(
            ErrorClass::IoError,
            "InvalidEncoding",
            format!(
                "{origin} is not valid UTF-8 (first bad byte at offset {})",
                e.utf8_error().valid_up_to()
            ),
        )
    })?;
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
