//! `kgq import csv DIR --out FILE`: bulk-loads a folder of CSV files with a
//! progress bar on a terminal, prints the throughput, and saves a snapshot;
//! `kgq import jsonl|graphml|cypher FILE... --out FILE` likewise for files,
//! and `kgq import parquet DIR --out FILE` for a folder of Parquet files.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use indicatif::{ProgressBar, ProgressStyle};
use kgq::Graph;
use kgq::import::{ImportStats, Progress};

use crate::args::{ImportCsvArgs, ImportFilesArgs, ImportParquetArgs};
use crate::runner::{FAILED, OK};

/// Loads `dir` with a progress bar on stderr when it is a terminal.
pub fn load_with_progress(dir: &Path) -> kgq::Result<(Graph, ImportStats)> {
    let bar = std::io::stderr().is_terminal().then(|| {
        let bar = ProgressBar::new(0);
        bar.set_style(
            ProgressStyle::with_template(
                "{spinner} [{elapsed_precise}] {wide_bar} {bytes}/{total_bytes} {msg}",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        bar
    });
    let mut on_progress = |p: &Progress| {
        if let Some(bar) = &bar {
            bar.set_length(p.bytes_total);
            bar.set_position(p.bytes_done);
            let file = Path::new(&p.file)
                .file_name()
                .map(|f| f.to_string_lossy().into_owned())
                .unwrap_or_default();
            bar.set_message(format!(
                "{file}: {} nodes, {} relationships",
                p.nodes, p.relationships
            ));
        }
    };
    let result = kgq::import::csv::load_dir(dir, &mut on_progress);
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    result
}

/// One line of throughput figures.
pub fn throughput(stats: &ImportStats) -> String {
    let s = stats.seconds.max(1e-9);
    format!(
        "loaded {} nodes and {} relationships from {} files ({:.1} MB) in {:.2} s: \
         {:.0} nodes/s, {:.0} relationships/s, {:.1} MB/s",
        stats.nodes,
        stats.relationships,
        stats.files,
        stats.bytes as f64 / 1e6,
        stats.seconds,
        stats.nodes as f64 / s,
        stats.relationships as f64 / s,
        stats.bytes as f64 / 1e6 / s
    )
}

/// `kgq import csv`.
pub fn run(args: &ImportCsvArgs) -> u8 {
    let (graph, stats) = match load_with_progress(&args.dir) {
        Ok(x) => x,
        Err(e) => {
            crate::output::report_plain(&e);
            return FAILED;
        }
    };
    eprintln!("{}", throughput(&stats));
    match save_snapshot(&graph, &args.out) {
        Ok(()) => OK,
        Err(e) => {
            crate::output::report_plain(&e);
            FAILED
        }
    }
}

/// `kgq import parquet DIR --out FILE`: loads the folder in memory, then
/// saves; nothing is written when loading fails.
pub fn run_parquet(args: &ImportParquetArgs) -> u8 {
    let result = kgq::import::parquet::load_dir(&args.dir).and_then(|(graph, stats)| {
        eprintln!("{}", throughput(&stats));
        save_snapshot(&graph, &args.out)
    });
    match result {
        Ok(()) => OK,
        Err(e) => {
            crate::output::report_plain(&e);
            FAILED
        }
    }
}

/// Saves the imported graph as a snapshot (atomically).
fn save_snapshot(graph: &Graph, path: &Path) -> kgq::Result<()> {
    crate::runner::save_graph(graph, path)
}

/// `kgq import jsonl|graphml|cypher FILE... --out FILE`: loads in memory,
/// then saves; nothing is written when loading fails.
pub fn run_files(
    args: &ImportFilesArgs,
    load: fn(&[PathBuf]) -> kgq::Result<(Graph, ImportStats)>,
) -> u8 {
    let result = load(&args.files).and_then(|(graph, stats)| {
        eprintln!("{}", throughput(&stats));
        save_snapshot(&graph, &args.out)
    });
    match result {
        Ok(()) => OK,
        Err(e) => {
            crate::output::report_plain(&e);
            FAILED
        }
    }
}
