//! `kgq repl` (and `kgq` alone): the interactive shell.
//!
//! * [`shell`] runs statements and shows results, errors and Ctrl-C;
//! * [`commands`] and [`help`] are the `:` meta-commands;
//! * [`helper`] plugs [`complete`] and [`highlight`] into the line editor;
//!   [`validate`] says when a statement is finished and [`prompt`] what the
//!   prompt shows; [`catalog`] is what completion knows about the graph;
//! * [`schema`] and [`table`] format what the shell prints;
//! * [`history`] says where the history is kept.
//!
//! When standard input is not a terminal, the shell reads statements as
//! `kgq run -` does.

mod catalog;
mod commands;
pub(crate) mod complete;
mod help;
mod helper;
mod highlight;
mod history;
mod prompt;
mod schema;
mod shell;
mod table;
mod validate;

use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};

use rustyline::error::ReadlineError;
use rustyline::history::FileHistory;
use rustyline::{CompletionType, Config, Editor};

use crate::args::{ReplArgs, RunArgs};
use crate::db::Db;
use crate::output;
use crate::runner;
use catalog::Catalog;
use commands::Flow;
use helper::ReplHelper;
use shell::{Settings, Shell};

/// The default of `:maxrows`.
const DEFAULT_MAX_ROWS: usize = 100;
/// How many statements the history keeps.
const HISTORY_SIZE: usize = 10_000;

/// Runs the shell; returns the exit status.
pub fn run(args: &ReplArgs) -> u8 {
    let mut common = args.common.clone();
    if let Some(path) = &args.path {
        common.graph = Some(path.clone());
    }
    if !io::stdin().is_terminal() {
        let script = RunArgs {
            files: vec![PathBuf::from("-")],
            common,
            stop_on_error: false,
            continue_on_error: false,
            atomic: false,
        };
        return runner::run_files_from(&script, true);
    }
    let db = match &args.path {
        // A path that does not exist yet becomes a new store.
        Some(path) if !path.exists() => match Db::open_store(path, common.read_only, true) {
            Ok(mut db) => {
                runner::apply_settings(&mut db, &common);
                db
            }
            Err(e) => {
                output::report_error(&e, &path.display().to_string(), "", common.format);
                return runner::FAILED;
            }
        },
        _ => match runner::open_db(&common, true) {
            Some(db) => db,
            None => return runner::FAILED,
        },
    };
    let color =
        io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let settings = Settings {
        format: common.format,
        timing: false,
        max_rows: DEFAULT_MAX_ROWS,
    };
    let mut shell = Shell::new(db, settings, color);
    shell.why = common.why;
    shell.warnings = !common.no_warnings;
    if let Err(e) = shell.catch_interrupts() {
        shell.show_notice(&format!(
            "warning: Ctrl-C cannot cancel queries in this shell ({e})"
        ));
    }
    let name = match (common.graph.as_deref(), shell.db.store_path()) {
        (_, Some(store)) => format!("the store {}", store.display()),
        (Some(p), None) => p.display().to_string(),
        (None, None) => "the bundled example graph".to_string(),
    };
    let status = interact(&mut shell, &name);
    runner::finish(shell.db, &common, status)
}

/// The read–run–print loop.
fn interact(shell: &mut Shell, graph_name: &str) -> u8 {
    let config = Config::builder()
        .auto_add_history(false)
        .completion_type(CompletionType::List)
        .max_history_size(HISTORY_SIZE)
        .map(|b| b.build());
    let editor = config.and_then(Editor::<ReplHelper, FileHistory>::with_config);
    let mut editor = match editor {
        Ok(editor) => editor,
        Err(e) => {
            let _ = writeln!(io::stderr(), "kgq: cannot start the line editor: {e}");
            return runner::FAILED;
        }
    };
    editor.set_helper(Some(ReplHelper::new(
        Catalog::of(shell.db.graph()),
        shell.color,
    )));
    let mut history = History::open(&mut editor, shell);

    let _ = writeln!(
        io::stdout(),
        "kgq {} on {graph_name}: {}. Type :help for help, :quit to leave.",
        env!("CARGO_PKG_VERSION"),
        schema::counts(shell.db.graph())
    );
    // The lines of an unfinished statement, shown under a continuation prompt.
    let mut pending = String::new();
    loop {
        let prompt = if pending.is_empty() {
            let as_of = shell.db.as_of().map(|v| output::cell(v, shell.db.graph()));
            prompt::main(as_of.as_deref(), shell.why)
        } else {
            prompt::continuation(&pending)
        };
        match editor.readline(&prompt) {
            Ok(line) => {
                if pending.is_empty() && line.trim().is_empty() {
                    continue;
                }
                if !pending.is_empty() {
                    pending.push('\n');
                }
                pending.push_str(&line);
                if !validate::is_complete(&pending) {
                    continue;
                }
                let input = std::mem::take(&mut pending);
                let trimmed = input.trim();
                history.add(&mut editor, trimmed, shell);
                let flow = if trimmed.starts_with(':') {
                    commands::execute(shell, &input)
                } else {
                    shell.run_text("", &input);
                    Flow::Continue
                };
                if shell.take_changed() {
                    if let Some(helper) = editor.helper_mut() {
                        let mut catalog = Catalog::of(shell.db.graph());
                        catalog.params = shell.db.session().params().keys().cloned().collect();
                        helper.catalog = catalog;
                    }
                }
                if flow == Flow::Quit {
                    break;
                }
            }
            // Ctrl-C while editing: the input is dropped, a new prompt shows.
            Err(ReadlineError::Interrupted) => pending.clear(),
            Err(ReadlineError::Eof) => break,
            Err(e) => {
                let _ = writeln!(io::stderr(), "kgq: cannot read the input: {e}");
                return runner::FAILED;
            }
        }
    }
    runner::OK
}

/// The history file: read at the start, appended to after each input.
/// Failures are warned about once and never end the shell.
struct History {
    path: Option<PathBuf>,
}

impl History {
    fn open(editor: &mut Editor<ReplHelper, FileHistory>, shell: &Shell) -> History {
        let Some(path) = history::path() else {
            shell.show_notice("warning: no place for the history is known (set KGQ_HISTORY)");
            return History { path: None };
        };
        if path.exists() {
            if let Err(e) = editor.load_history(&path) {
                shell.show_notice(&format!(
                    "warning: cannot read the history {}: {e}; it will not be kept",
                    path.display()
                ));
                return History { path: None };
            }
        } else if let Err(e) = create_parent(&path) {
            shell.show_notice(&format!(
                "warning: cannot create the history {}: {e}; it will not be kept",
                path.display()
            ));
            return History { path: None };
        }
        History { path: Some(path) }
    }

    fn add(&mut self, editor: &mut Editor<ReplHelper, FileHistory>, entry: &str, shell: &Shell) {
        let _ = editor.add_history_entry(entry);
        let Some(path) = &self.path else { return };
        if let Err(e) = editor.append_history(path) {
            shell.show_notice(&format!(
                "warning: cannot write the history {}: {e}; it will not be kept",
                path.display()
            ));
            self.path = None;
        }
    }
}

fn create_parent(path: &Path) -> io::Result<()> {
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => std::fs::create_dir_all(dir),
        _ => Ok(()),
    }
}
