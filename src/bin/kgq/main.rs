//! The `kgq` command: an interactive shell, scripts and one-off queries
//! against a graph.

mod args;
mod bench;
mod db;
mod digest;
mod export_cmd;
mod import_cmd;
mod inspect;
mod kg_cmd;
mod output;
mod repl;
mod runner;
mod serve;
mod why;

use std::process::ExitCode;

use clap::Parser;

use args::{Cli, Command, ImportCommand, ReplArgs};

/// The stack of the thread that runs everything: deeply nested expressions
/// recurse in the evaluator, so kgq does not rely on the main thread's
/// stack. (It is reserved, not committed, memory.)
const STACK_BYTES: usize = 512 << 20;

fn main() -> ExitCode {
    let worker = std::thread::Builder::new()
        .name("kgq".to_string())
        .stack_size(STACK_BYTES)
        .spawn(run);
    let code = match worker {
        Ok(handle) => handle.join().unwrap_or(runner::FAILED),
        // No thread could be made: run on the main thread instead.
        Err(_) => run(),
    };
    ExitCode::from(code)
}

/// Parses the command line and runs the chosen command; returns the exit status.
fn run() -> u8 {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() {
                runner::USAGE
            } else {
                runner::OK
            };
            let _ = e.print();
            return code;
        }
    };
    match cli.command {
        Some(Command::Run(args)) => runner::run_files(&args),
        Some(Command::Query(args)) => runner::run_query(&args),
        Some(Command::Inspect(args)) => inspect::run(&args.file, args.format),
        Some(Command::Repl(args)) => repl::run(&args),
        Some(Command::Import(ImportCommand::Csv(args))) => import_cmd::run(&args),
        Some(Command::Import(ImportCommand::Jsonl(args))) => {
            import_cmd::run_files(&args, kgq::import::jsonl::load_files)
        }
        Some(Command::Import(ImportCommand::Graphml(args))) => {
            import_cmd::run_files(&args, kgq::import::graphml::load_files)
        }
        Some(Command::Import(ImportCommand::Cypher(args))) => {
            import_cmd::run_files(&args, kgq::import::cypher::load_files)
        }
        Some(Command::Import(ImportCommand::Parquet(args))) => import_cmd::run_parquet(&args),
        Some(Command::Export(args)) => export_cmd::run(&args),
        Some(Command::Bench(args)) => bench::run(&args),
        Some(Command::Find(args)) => kg_cmd::find(&args),
        Some(Command::Diff(args)) => kg_cmd::diff(&args),
        Some(Command::Serve(args)) => serve::run(&args),
        None => repl::run(&ReplArgs::default()),
    }
}
