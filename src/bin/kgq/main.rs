//! The `kgq` command: run scripts and one-off queries against a graph.

mod args;
mod bench;
mod digest;
mod import_cmd;
mod output;
mod runner;

use std::process::ExitCode;

use clap::Parser;

use args::{Cli, Command, ImportCommand};

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    let code = match cli.command {
        Some(Command::Run(args)) => runner::run_files(&args),
        Some(Command::Query(args)) => runner::run_query(&args),
        Some(Command::Import(ImportCommand::Csv(args))) => import_cmd::run(&args),
        Some(Command::Bench(args)) => bench::run(&args),
        None => runner::run_default(),
    };
    ExitCode::from(code)
}
