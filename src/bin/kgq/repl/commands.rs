//! The meta-commands: one line starting with `:`.

use std::io::{self, Write};
use std::path::Path;

use clap::ValueEnum;
use kgq::Value;

use super::help;
use super::schema;
use super::shell::Shell;
use super::table;
use crate::args::Format;
use crate::runner;

/// A meta-command, for `:help` and completion.
pub struct CommandInfo {
    /// The name, without the `:`.
    pub name: &'static str,
    /// What it takes.
    pub args: &'static str,
    /// What it does.
    pub summary: &'static str,
}

/// Every meta-command.
#[rustfmt::skip]
pub const COMMANDS: &[CommandInfo] = &[
    CommandInfo { name: "help", args: "[TOPIC]", summary: "This text, or help on a clause, function or command" },
    CommandInfo { name: "schema", args: "", summary: "Labels, relationship types and property keys, with counts" },
    CommandInfo { name: "stats", args: "", summary: "How big the graph is, and the shell's settings" },
    CommandInfo { name: "format", args: "table|csv|tsv|json|jsonl|markdown", summary: "How results are shown" },
    CommandInfo { name: "timing", args: "on|off", summary: "Show how long each statement took" },
    CommandInfo { name: "maxrows", args: "N", summary: "Show at most N rows of a result (0: all)" },
    CommandInfo { name: "param", args: "NAME => EXPRESSION | clear", summary: "Set the parameter $NAME, or forget them all" },
    CommandInfo { name: "params", args: "", summary: "List the parameters" },
    CommandInfo { name: "read", args: "FILE", summary: "Run the statements of a script" },
    CommandInfo { name: "load", args: "GRAPH", summary: "Open another graph (a script that builds it)" },
    CommandInfo { name: "save", args: "FILE", summary: "Save the graph as a snapshot (:save! FILE replaces an existing file)" },
    CommandInfo { name: "checkpoint", args: "", summary: "Fold a store's journal into its snapshot" },
    CommandInfo { name: "explain", args: "QUERY", summary: "Show the plan of a statement without running it" },
    CommandInfo { name: "asof", args: "DATE | off", summary: "Valid time: every MATCH sees only what was valid at DATE (off: everything)" },
    CommandInfo { name: "why", args: "QUERY | on | off", summary: "Run QUERY showing under each row the relationships behind it and their sources (on/off: for every query)" },
    CommandInfo { name: "find", args: "TEXT", summary: "List the nodes whose name or alias resembles TEXT, with scores" },
    CommandInfo { name: "diff", args: "FILE", summary: "What changed from FILE (a script, snapshot or store) to the session's graph" },
    CommandInfo { name: "quit", args: "", summary: "Leave (also :exit, :q or Ctrl-D)" },
];

/// Whether the shell goes on after a command.
#[derive(Debug, PartialEq, Eq)]
pub enum Flow {
    /// Read the next input.
    Continue,
    /// Leave the shell.
    Quit,
}

/// Runs the meta-command `line` (it starts with `:`).
pub fn execute(shell: &mut Shell, line: &str) -> Flow {
    let body = line.trim().trim_start_matches(':');
    let (name, arg) = match body.split_once(char::is_whitespace) {
        Some((name, arg)) => (name, arg.trim()),
        None => (body, ""),
    };
    // Where the argument starts in `line`, for carets.
    let arg_offset = line.len() - line.trim_start().len() + line.trim().len() - arg.len();
    match name {
        "help" | "h" | "?" => say(&help::help(Some(arg))),
        "schema" => say(&schema::schema(shell.db.graph(), table::terminal_width())),
        "stats" => stats(shell),
        "format" => match Format::from_str(arg, true) {
            Ok(format) => {
                shell.settings.format = format;
                say(&format!("Format: {arg}"));
            }
            Err(_) => usage(shell, "format"),
        },
        "timing" => match arg {
            "on" | "off" => {
                shell.settings.timing = arg == "on";
                say(&format!("Timing: {arg}"));
            }
            _ => usage(shell, "timing"),
        },
        "maxrows" => match arg.parse::<usize>() {
            Ok(n) => {
                shell.settings.max_rows = n;
                say(&format!(
                    "Max rows: {}",
                    if n == 0 {
                        "all".to_string()
                    } else {
                        n.to_string()
                    }
                ));
            }
            Err(_) => usage(shell, "maxrows"),
        },
        "param" => param(shell, line, arg, arg_offset),
        "params" => params(shell),
        "read" => match arg {
            "" => usage(shell, "read"),
            path => match runner::read_script(Path::new(path)) {
                Ok((origin, text)) => {
                    shell.run_text(&origin, &text);
                    shell.mark_changed();
                }
                Err(e) => shell.show_error(&e, "", ""),
            },
        },
        "load" => match arg {
            "" => usage(shell, "load"),
            path => match runner::load_graph(Path::new(path)) {
                Ok(graph) => match shell.db.set_graph(graph) {
                    Ok(()) => {
                        shell.mark_changed();
                        say(&format!(
                            "Loaded {path}: {}",
                            schema::counts(shell.db.graph())
                        ));
                    }
                    Err(e) => shell.show_error(&e, "", ""),
                },
                Err(f) => shell.show_error(&f.error, &f.origin, &f.source),
            },
        },
        "save" | "save!" => match arg {
            "" => usage(shell, "save"),
            path => match runner::save_graph(shell.db.graph(), Path::new(path), name == "save!") {
                Ok(()) => say(&format!("Saved the graph to {path}")),
                Err(e) => shell.show_error(&e, "", ""),
            },
        },
        "explain" => match shell.db.explain(arg) {
            Ok(plan) => say(plan.trim_end()),
            Err(e) => shell.show_error(&e.shifted(arg_offset), "", line),
        },
        "asof" => asof(shell, arg),
        "why" => why(shell, line, arg, arg_offset),
        "find" => match arg {
            "" => usage(shell, "find"),
            text => {
                let result = crate::kg_cmd::find_result(shell.db.graph(), text, 10);
                if result.rows.is_empty() {
                    shell.show_notice(&format!("No node is named like `{text}`."));
                } else {
                    shell.show_result(&result, std::time::Duration::ZERO);
                }
            }
        },
        "diff" => match arg {
            "" => usage(shell, "diff"),
            path => match crate::kg_cmd::load_any(Path::new(path)) {
                Ok(before) => {
                    let (text, _) = crate::kg_cmd::render_diff(
                        &before,
                        shell.db.graph(),
                        crate::args::DiffFormat::Text,
                    );
                    say(text.trim_end());
                }
                Err(f) => shell.show_error(&f.error, &f.origin, &f.source),
            },
        },
        "checkpoint" => match shell.db.checkpoint() {
            Ok(()) => say("Checkpoint done: the journal is folded into the snapshot."),
            Err(e) => shell.show_error(&e, "", ""),
        },
        "quit" | "exit" | "q" => return Flow::Quit,
        other => {
            let names = COMMANDS.iter().map(|c| c.name);
            let hint = match help::nearest(other, names) {
                Some(near) => format!(" Did you mean :{near}?"),
                None => String::new(),
            };
            shell.show_notice(&format!(
                "Unknown command :{other}.{hint} (:help lists the commands)"
            ));
        }
    }
    Flow::Continue
}

/// `:param NAME => EXPRESSION` and `:param clear`.
fn param(shell: &mut Shell, line: &str, arg: &str, arg_offset: usize) {
    if arg == "clear" {
        shell.db.clear_params();
        shell.mark_changed();
        return say("Parameters cleared");
    }
    let Some((name, expr)) = arg.split_once("=>") else {
        return usage(shell, "param");
    };
    let name = name.trim().trim_start_matches('$');
    let valid = name
        .chars()
        .next()
        .is_some_and(|c| c.is_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_alphanumeric() || c == '_');
    if !valid {
        return shell.show_notice(&format!("`{name}` is not a parameter name"));
    }
    let expr_offset = arg_offset + arg.len() - expr.len();
    const PREFIX: &str = "RETURN ";
    let statement = format!("{PREFIX}{expr} AS value");
    match shell.db.run(&statement) {
        Ok(result) => {
            let value = result
                .rows
                .into_iter()
                .next()
                .and_then(|row| row.into_iter().next())
                .unwrap_or(Value::Null);
            let shown = value.literal(Some(shell.db.graph())).to_string();
            shell.db.set_param(name, value);
            shell.mark_changed();
            say(&format!("${name} = {shown}"));
        }
        Err(mut e) => {
            // Point into what the user typed, not the wrapping statement.
            e.span = e.span.map(|s| {
                let start = (s.start + expr_offset).saturating_sub(PREFIX.len());
                let end = (s.end + expr_offset)
                    .saturating_sub(PREFIX.len())
                    .min(line.len());
                kgq::Span::new(start.min(end), end)
            });
            shell.show_error(&e, "", line);
        }
    }
}

fn params(shell: &Shell) {
    let params = shell.db.session().params();
    if params.is_empty() {
        return say("No parameters (set one with :param NAME => EXPRESSION)");
    }
    let graph = shell.db.graph();
    let lines: Vec<String> = params
        .iter()
        .map(|(k, v)| format!("${k} = {}", v.literal(Some(graph))))
        .collect();
    say(&lines.join("\n"));
}

fn stats(shell: &Shell) {
    let s = &shell.settings;
    say(&format!(
        "Graph: {}\nParameters: {}\nFormat: {}, timing {}, max rows {}",
        schema::counts(shell.db.graph()),
        shell.db.session().params().len(),
        s.format
            .to_possible_value()
            .map_or_else(String::new, |v| v.get_name().to_string()),
        if s.timing { "on" } else { "off" },
        if s.max_rows == 0 {
            "all".to_string()
        } else {
            s.max_rows.to_string()
        }
    ));
}

fn usage(shell: &Shell, name: &str) {
    if let Some(c) = COMMANDS.iter().find(|c| c.name == name) {
        shell.show_notice(&format!("Usage: :{} {}", c.name, c.args));
    }
}

fn say(text: &str) {
    let _ = writeln!(io::stdout().lock(), "{text}");
}

/// `:asof DATE` and `:asof off`; without an argument, shows the setting.
fn asof(shell: &mut Shell, arg: &str) {
    match arg {
        "" => match shell.db.as_of() {
            Some(v) => say(&format!("As of: {}", v.literal(None))),
            None => say("As of: off (every MATCH sees the whole graph)"),
        },
        "off" => match shell.db.set_as_of(None) {
            Ok(()) => {
                shell.mark_changed();
                say("As of: off");
            }
            Err(e) => shell.show_error(&e, "", ""),
        },
        text => match runner::parse_as_of(text).and_then(|v| {
            let shown = v.literal(None).to_string();
            shell.db.set_as_of(Some(v)).map(|()| shown)
        }) {
            Ok(shown) => {
                shell.mark_changed();
                say(&format!(
                    "As of: {shown} (every MATCH sees only what was valid then)"
                ));
            }
            Err(e) => shell.show_error(&e, "", ""),
        },
    }
}

/// `:why QUERY` runs one statement with provenance; `:why on|off` turns it
/// on or off for every statement.
fn why(shell: &mut Shell, line: &str, arg: &str, arg_offset: usize) {
    match arg {
        "" => usage(shell, "why"),
        "on" | "off" => {
            shell.db.set_provenance(arg == "on");
            shell.why = arg == "on";
            say(&format!("Why: {arg}"));
        }
        query => {
            shell.db.set_provenance(true);
            let started = std::time::Instant::now();
            let outcome = shell.db.run(query);
            shell.db.set_provenance(shell.why);
            match outcome {
                Ok(result) => {
                    if result.stats != kgq::Stats::default() {
                        shell.mark_changed();
                    }
                    shell.show_result(&result, started.elapsed());
                }
                Err(e) => shell.show_error(&e.shifted(arg_offset), "", line),
            }
        }
    }
}
