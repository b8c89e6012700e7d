//! Loading a folder of CSV files into a graph, streaming: each file is read
//! record by record (once to infer column types when some are not
//! declared, once to load), so memory follows the graph, not the files.
//!
//! Node files are loaded before relationship files. A file's label (or
//! relationship type) is its name without `.csv`, unless a neo4j-admin
//! `:LABEL` (`:TYPE`) column gives it per row.

use std::collections::HashMap;
use std::fs::File;
use std::hash::{BuildHasherDefault, Hasher};
use std::io::BufReader;
use std::path::{Path, PathBuf};
use std::time::Instant;

use super::header::{self, FileKind, Header, Role};
use super::infer::{Candidates, ColumnType, StringPool, convert};
use super::{ImportStats, Progress};
use crate::error::{Error, ErrorClass, Result};
use crate::graph::{Graph, GraphBuilder, KeyId, LabelId, NodeId, Properties};
use crate::value::Value;

/// How often (in records) progress is reported.
const PROGRESS_EVERY: u64 = 1 << 15;

/// Loads every `*.csv` file of `dir` into a new graph. `progress` is called
/// now and then with how far the import got.
pub fn load_dir(dir: &Path, progress: &mut dyn FnMut(&Progress)) -> Result<(Graph, ImportStats)> {
    let started = Instant::now();
    let files = csv_files(dir)?;
    if files.is_empty() {
        return Err(Error::new(
            ErrorClass::IoError,
            "NoCsvFiles",
            format!("{}: no .csv files in this folder", dir.display()),
        ));
    }
    let mut plans = Vec::new();
    for path in files {
        plans.push(FilePlan::read(path)?);
    }
    // Nodes first, so that every relationship finds its ends.
    plans.sort_by_key(|p| (p.header.kind == FileKind::Relationships, p.path.clone()));
    let bytes_total = plans
        .iter()
        .map(|p| p.bytes * if p.needs_inference() { 2 } else { 1 })
        .sum();
    let mut loader = Loader {
        graph: GraphBuilder::new(),
        ids: IdMap::default(),
        stats: ImportStats::default(),
        progress,
        bytes_total,
        bytes_before: 0,
    };
    // The first pass (type inference) needs nothing from the graph: a
    // second thread runs it over the files ahead of the loading thread.
    let to_infer: Vec<(usize, PathBuf)> = plans
        .iter()
        .enumerate()
        .filter(|(_, p)| p.needs_inference())
        .map(|(i, p)| (i, p.path.clone()))
        .collect();
    std::thread::scope(|scope| -> Result<()> {
        let (sender, inferred) = std::sync::mpsc::sync_channel(2);
        scope.spawn(move || {
            for (i, path) in to_infer {
                // A closed channel means the loader stopped: stop too.
                if sender.send((i, infer_file(&path))).is_err() {
                    return;
                }
            }
        });
        for (i, plan) in plans.iter_mut().enumerate() {
            if plan.needs_inference() {
                let (j, candidates) = inferred.recv().map_err(|_| {
                    Error::new(
                        ErrorClass::IoError,
                        "InferenceFailed",
                        format!("{}: the type inference stopped", plan.display()),
                    )
                })?;
                debug_assert_eq!(i, j);
                plan.resolve(&candidates?);
                loader.bytes_before += plan.bytes;
            }
            loader.load(plan)?;
            loader.stats.files += 1;
            loader.stats.bytes += plan.bytes;
        }
        Ok(())
    })?;
    let graph = loader.graph.finish().map_err(|m| {
        Error::new(
            ErrorClass::FormatError,
            "BadImport",
            format!("{}: {m}", dir.display()),
        )
    })?;
    loader.stats.seconds = started.elapsed().as_secs_f64();
    Ok((graph, loader.stats))
}

fn csv_files(dir: &Path) -> Result<Vec<PathBuf>> {
    let entries = std::fs::read_dir(dir).map_err(|e| Error::io(&dir.display().to_string(), &e))?;
    let mut out = Vec::new();
    for entry in entries {
        let path = entry
            .map_err(|e| Error::io(&dir.display().to_string(), &e))?
            .path();
        if path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("csv"))
            && path.is_file()
        {
            out.push(path);
        }
    }
    out.sort();
    Ok(out)
}

/// One file: its header and, once known, each column's type.
struct FilePlan {
    path: PathBuf,
    name: String,
    bytes: u64,
    header: Header,
    types: Vec<ColumnType>,
}

impl FilePlan {
    fn read(path: PathBuf) -> Result<FilePlan> {
        let name = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let bytes = std::fs::metadata(&path)
            .map_err(|e| Error::io(&path.display().to_string(), &e))?
            .len();
        let mut reader = open(&path)?;
        let fields = reader.headers().map_err(|e| csv_error(&path, &e))?.clone();
        let fields: Vec<&str> = fields.iter().collect();
        let header = header::parse(&fields).map_err(|m| bad_row(&path, 1, &m))?;
        let types = header
            .roles
            .iter()
            .map(|r| match r {
                Role::Property { ty: Some(t), .. } | Role::Id { ty: Some(t), .. } => *t,
                _ => ColumnType::String,
            })
            .collect();
        Ok(FilePlan {
            path,
            name,
            bytes,
            header,
            types,
        })
    }

    fn needs_inference(&self) -> bool {
        self.header.roles.iter().any(|r| {
            matches!(
                r,
                Role::Property { ty: None, .. }
                    | Role::Id {
                        ty: None,
                        property: Some(_),
                        ..
                    }
            )
        })
    }

    fn display(&self) -> String {
        self.path.display().to_string()
    }

    /// Sets the type of every column left to infer from what the first
    /// pass saw.
    fn resolve(&mut self, candidates: &[Candidates]) {
        for (i, role) in self.header.roles.iter().enumerate() {
            if let Role::Property { ty: None, .. } | Role::Id { ty: None, .. } = role
                && let Some(c) = candidates.get(i)
            {
                self.types[i] = c.resolve();
            }
        }
    }
}

/// First pass over a file: what each column's values allow its type to be.
fn infer_file(path: &Path) -> Result<Vec<Candidates>> {
    let mut reader = open(path)?;
    let columns = reader.headers().map_err(|e| csv_error(path, &e))?.len();
    let mut candidates = vec![Candidates::default(); columns];
    let mut record = ::csv::StringRecord::new();
    while reader
        .read_record(&mut record)
        .map_err(|e| csv_error(path, &e))?
    {
        for (c, field) in candidates.iter_mut().zip(record.iter()) {
            c.observe(field);
        }
    }
    Ok(candidates)
}

fn open(path: &Path) -> Result<::csv::Reader<BufReader<File>>> {
    let file = File::open(path).map_err(|e| Error::io(&path.display().to_string(), &e))?;
    Ok(::csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(BufReader::with_capacity(1 << 20, file)))
}

fn bad_row(path: &Path, line: u64, message: &str) -> Error {
    Error::new(
        ErrorClass::FormatError,
        "BadCsvRow",
        format!("{}:{line}: {message}", path.display()),
    )
}

fn csv_error(path: &Path, err: &::csv::Error) -> Error {
    let line = err.position().map_or(0, ::csv::Position::line);
    let message = match err.kind() {
        ::csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => format!("expected {expected_len} fields, found {len}"),
        ::csv::ErrorKind::Utf8 { err, .. } => format!(
            "field {} of the row is not valid UTF-8 (after its first {} bytes)",
            err.field() + 1,
            err.valid_up_to()
        ),
        ::csv::ErrorKind::Io(e) => return Error::io(&path.display().to_string(), e),
        _ => err.to_string(),
    };
    bad_row(path, line, &message)
}

/// A fast hasher for integer keys (ids are not attacker-chosen here).
#[derive(Default)]
struct IdHasher(u64);

impl Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 =
                (self.0.rotate_left(5) ^ u64::from(*b)).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
    fn write_u32(&mut self, n: u32) {
        self.write_u64(u64::from(n));
    }
    fn write_i64(&mut self, n: i64) {
        self.write_u64(n as u64);
    }
}

type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<IdHasher>>;

/// CSV ids → nodes, per id space: integer ids apart from other texts.
#[derive(Default)]
struct IdMap {
    groups: HashMap<String, u32>,
    ints: FastMap<(u32, i64), NodeId>,
    texts: HashMap<(u32, Box<str>), NodeId>,
}

impl IdMap {
    fn group(&mut self, name: &str) -> u32 {
        let next = self.groups.len() as u32;
        *self.groups.entry(name.to_string()).or_insert(next)
    }

    /// The id as an integer when it is one written canonically.
    fn as_int(id: &str) -> Option<i64> {
        let digits = id.strip_prefix('-').unwrap_or(id);
        let canonical = match digits.as_bytes() {
            [] => false,
            [b'0'] => digits.len() == id.len(),
            [first, ..] => *first != b'0',
        };
        if !canonical {
            return None;
        }
        id.parse().ok()
    }

    fn insert(&mut self, group: u32, id: &str, node: NodeId) -> bool {
        match Self::as_int(id) {
            Some(n) => self.ints.insert((group, n), node).is_none(),
            None => self.texts.insert((group, id.into()), node).is_none(),
        }
    }

    fn get(&self, group: u32, id: &str) -> Option<NodeId> {
        match Self::as_int(id) {
            Some(n) => self.ints.get(&(group, n)).copied(),
            None => self.texts.get(&(group, Box::from(id))).copied(),
        }
    }
}

struct Loader<'p> {
    graph: GraphBuilder,
    ids: IdMap,
    stats: ImportStats,
    progress: &'p mut dyn FnMut(&Progress),
    bytes_total: u64,
    bytes_before: u64,
}

impl Loader<'_> {
    fn report(&mut self, file: &str, bytes_in_file: u64) {
        let p = Progress {
            file: file.to_string(),
            bytes_done: self.bytes_before + bytes_in_file,
            bytes_total: self.bytes_total,
            nodes: self.graph.node_count() as u64,
            relationships: self.graph.relationship_count() as u64,
        };
        (self.progress)(&p);
    }

    /// Second pass: adds a node or relationship per record.
    fn load(&mut self, plan: &FilePlan) -> Result<()> {
        let columns = self.resolve_columns(plan);
        let per_row = |c: &Column| matches!(c, Column::Label | Column::Type);
        let default_label = (plan.header.kind == FileKind::Nodes && !columns.iter().any(per_row))
            .then(|| self.graph.intern_label(&plan.name));
        let default_type = match plan.header.kind {
            FileKind::Relationships if !columns.iter().any(per_row) => {
                Some(self.graph.intern_type(&plan.name))
            }
            _ => None,
        };
        let mut pools: Vec<StringPool> = plan
            .header
            .roles
            .iter()
            .map(|_| StringPool::default())
            .collect();
        let mut reader = open(&plan.path)?;
        let mut record = ::csv::StringRecord::new();
        let mut n = 0u64;
        let mut properties: Properties = Vec::new();
        let mut labels: Vec<LabelId> = Vec::new();
        while reader
            .read_record(&mut record)
            .map_err(|e| csv_error(&plan.path, &e))?
        {
            let line = record.position().map_or(0, ::csv::Position::line);
            let fail = |m: &str| bad_row(&plan.path, line, m);
            properties.clear();
            labels.clear();
            let mut id: Option<(u32, &str)> = None;
            let mut ends: [Option<NodeId>; 2] = [None, None];
            let mut rel_type = default_type;
            for ((column, field), (ty, pool)) in columns
                .iter()
                .zip(record.iter())
                .zip(plan.types.iter().zip(pools.iter_mut()))
            {
                match column {
                    Column::Id { group, key } => {
                        if field.is_empty() {
                            return Err(fail("the id is empty"));
                        }
                        id = Some((*group, field));
                        if let Some(key) = key {
                            let v = convert(field, *ty, pool).map_err(|m| fail(&m))?;
                            properties.push((*key, v));
                        }
                    }
                    Column::End { group, which } => {
                        let node = self.ids.get(*group, field).ok_or_else(|| {
                            fail(&format!("no node has id `{field}` (relationship end)"))
                        })?;
                        ends[*which] = Some(node);
                    }
                    Column::Label => {
                        for l in field.split(';').filter(|l| !l.is_empty()) {
                            labels.push(self.graph.intern_label(l));
                        }
                    }
                    Column::Type => {
                        if field.is_empty() {
                            return Err(fail("the relationship type is empty"));
                        }
                        rel_type = Some(self.graph.intern_type(field));
                    }
                    Column::Property { key, array } => {
                        if field.is_empty() {
                            continue;
                        }
                        let v = if *array {
                            Value::List(
                                field
                                    .split(';')
                                    .map(|item| convert(item, *ty, pool))
                                    .collect::<Result<_, _>>()
                                    .map_err(|m| fail(&m))?,
                            )
                        } else {
                            convert(field, *ty, pool).map_err(|m| fail(&m))?
                        };
                        properties.push((*key, v));
                    }
                    Column::Ignore => {}
                }
            }
            match plan.header.kind {
                FileKind::Nodes => {
                    labels.extend(default_label);
                    let node = self
                        .graph
                        .add_node(&labels, std::mem::take(&mut properties));
                    if let Some((group, text)) = id
                        && !self.ids.insert(group, text, node)
                    {
                        return Err(fail(&format!("the node id `{text}` appears twice")));
                    }
                    self.stats.nodes += 1;
                }
                FileKind::Relationships => {
                    let (Some(from), Some(to)) = (ends[0], ends[1]) else {
                        return Err(fail("a relationship needs both ends"));
                    };
                    let Some(rel_type) = rel_type else {
                        return Err(fail("the relationship has no type"));
                    };
                    self.graph.add_relationship(
                        from,
                        to,
                        rel_type,
                        std::mem::take(&mut properties),
                    );
                    self.stats.relationships += 1;
                }
            }
            n += 1;
            if n % PROGRESS_EVERY == 0 {
                let at = record.position().map_or(0, ::csv::Position::byte);
                self.report(&plan.display(), at);
            }
        }
        self.bytes_before += plan.bytes;
        self.report(&plan.display(), 0);
        Ok(())
    }

    fn resolve_columns(&mut self, plan: &FilePlan) -> Vec<Column> {
        plan.header
            .roles
            .iter()
            .map(|role| match role {
                Role::Id {
                    group, property, ..
                } => Column::Id {
                    group: self.ids.group(group),
                    key: property.as_deref().map(|k| self.graph.intern_key(k)),
                },
                Role::Start { group } => Column::End {
                    group: self.ids.group(group),
                    which: 0,
                },
                Role::End { group } => Column::End {
                    group: self.ids.group(group),
                    which: 1,
                },
                Role::Label => Column::Label,
                Role::Type => Column::Type,
                Role::Property { key, array, .. } => Column::Property {
                    key: self.graph.intern_key(key),
                    array: *array,
                },
                Role::Ignore => Column::Ignore,
            })
            .collect()
    }
}

/// A column with its names interned.
enum Column {
    Id { group: u32, key: Option<KeyId> },
    End { group: u32, which: usize },
    Label,
    Type,
    Property { key: KeyId, array: bool },
    Ignore,
}
