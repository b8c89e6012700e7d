//! Running one scenario: the TCK's step vocabulary on a fresh session.

use std::collections::BTreeMap;
use std::time::Duration;

use kgq::{Graph, QueryResult, Session, Stats, Value};

use crate::convert::{to_kgq, to_tck};
use crate::gherkin::{Runnable, Step};
use crate::values::{self, TVal, equal, same_multiset};

/// How a scenario ended.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// Every step held.
    Passed,
    /// A step did not hold; the reason says why.
    Failed(Failure),
    /// The scenario needs something kgq does not offer (e.g. procedures).
    Skipped(String),
}

/// Why a scenario failed, with the query it was about.
#[derive(Debug, Clone, PartialEq)]
pub struct Failure {
    /// The query of the `When` step (or the setup query that failed).
    pub query: String,
    /// What went wrong.
    pub reason: String,
}

/// Named graphs by name, already built.
pub type NamedGraphs = BTreeMap<String, Result<Graph, String>>;

/// The time budget of each statement.
pub const STATEMENT_TIMEOUT: Duration = Duration::from_secs(5);

struct State<'g> {
    session: Session,
    graphs: &'g NamedGraphs,
    params: BTreeMap<String, Value>,
    query: String,
    last: Option<Result<QueryResult, kgq::Error>>,
    /// The side effects of the last query.
    effects: Stats,
}

/// Runs a scenario's steps in order.
pub fn run(scenario: &Runnable, graphs: &NamedGraphs) -> Outcome {
    if scenario.tags.iter().any(|t| t == "@ignore") {
        return Outcome::Skipped("tagged @ignore".into());
    }
    let mut session = Session::new();
    session.set_timeout(Some(STATEMENT_TIMEOUT));
    let mut state = State {
        session,
        graphs,
        params: BTreeMap::new(),
        query: String::new(),
        last: None,
        effects: Stats::default(),
    };
    for step in &scenario.steps {
        match state.step(step) {
            Ok(()) => {}
            Err(Stop::Fail(reason)) => {
                return Outcome::Failed(Failure {
                    query: state.query.clone(),
                    reason,
                });
            }
        }
    }
    Outcome::Passed
}

enum Stop {
    Fail(String),
}

fn fail<T>(reason: impl Into<String>) -> Result<T, Stop> {
    Err(Stop::Fail(reason.into()))
}

fn error_text(e: &kgq::Error) -> String {
    format!("{}.{}: {}", e.class.name(), e.code, e.message)
}

impl State<'_> {
    fn step(&mut self, step: &Step) -> Result<(), Stop> {
        let text = step.text.as_str();
        if text == "an empty graph" || text == "any graph" {
            return Ok(());
        }
        if let Some(name) = text
            .strip_prefix("the ")
            .and_then(|t| t.strip_suffix(" graph"))
        {
            return match self.graphs.get(name) {
                Some(Ok(graph)) => {
                    self.session.set_graph(graph.clone());
                    Ok(())
                }
                Some(Err(e)) => fail(format!("named graph {name}: {e}")),
                None => fail(format!("named graph {name} not found")),
            };
        }
        if let Some(signature) = text.strip_prefix("there exists a procedure ") {
            return self.procedure(signature, table(step)?);
        }
        match text {
            "having executed:" => self.setup(doc(step)?),
            "parameters are:" => self.parameters(table(step)?),
            "executing query:" | "executing control query:" => {
                self.query = doc(step)?.to_string();
                let outcome = self.session.run_with(&self.query, &self.params);
                // Side effects are the library's own statistics, which
                // follow the TCK's definitions.
                self.effects = match &outcome {
                    Ok(r) => r.stats,
                    Err(_) => Stats::default(),
                };
                self.last = Some(outcome);
                Ok(())
            }
            "the result should be empty" => self.expect_rows(&[], Order::Any, false),
            "no side effects" => self.expect_side_effects(&[]),
            "the side effects should be:" => self.expect_side_effects(table(step)?),
            _ => {
                if let Some(rest) = text.strip_prefix("the result should be") {
                    return self.result_step(rest, table(step)?);
                }
                if let Some(rest) = text.strip_prefix("a ") {
                    if let Some((class, rest)) = rest.split_once(" should be raised at ") {
                        let code = rest.split_once(':').map_or("", |(_, c)| c.trim());
                        return self.expect_error(class, code);
                    }
                }
                fail(format!("unknown step: {text}"))
            }
        }
    }

    fn setup(&mut self, script: &str) -> Result<(), Stop> {
        for chunk in kgq::syntax::split_script(script) {
            let text = &script[chunk.span.start..chunk.span.end];
            if let Err(e) = self.session.run(text) {
                self.query = text.to_string();
                return fail(format!("setup failed: {}", error_text(&e)));
            }
        }
        Ok(())
    }

    /// Declares a procedure that answers from the step's table: the
    /// header names its inputs and outputs, each row one call's values.
    fn procedure(&mut self, signature: &str, rows: &[Vec<String>]) -> Result<(), Stop> {
        let declared = kgq::procedures::Procedure::table(signature, Vec::new())
            .map_err(|e| Stop::Fail(format!("procedure: {}", error_text(&e))))?;
        let names: Vec<&str> = declared
            .inputs
            .iter()
            .map(|p| p.name.as_str())
            .chain(declared.outputs.iter().map(|f| f.name.as_str()))
            .collect();
        let Some((header, body)) = rows.split_first() else {
            return fail("procedure table without a header");
        };
        let mut order = Vec::new();
        for name in &names {
            match header.iter().position(|h| h == name) {
                Some(i) => order.push(i),
                None => return fail(format!("procedure table lacks column {name}")),
            }
        }
        let mut table = Vec::new();
        for row in body {
            let mut values = Vec::new();
            for &i in &order {
                let cell = row.get(i).map(String::as_str).unwrap_or("null");
                let value = values::parse(cell)
                    .and_then(|v| to_kgq(&v))
                    .map_err(|e| Stop::Fail(format!("procedure row: {e}")))?;
                values.push(value);
            }
            table.push(values);
        }
        let procedure = kgq::procedures::Procedure::table(signature, table)
            .map_err(|e| Stop::Fail(format!("procedure: {}", error_text(&e))))?;
        self.session.register_procedure(procedure);
        Ok(())
    }

    fn parameters(&mut self, rows: &[Vec<String>]) -> Result<(), Stop> {
        for row in rows {
            let [name, value] = row.as_slice() else {
                return fail(format!("bad parameter row {row:?}"));
            };
            let value = values::parse(value)
                .and_then(|v| to_kgq(&v))
                .map_err(|e| Stop::Fail(format!("parameter {name}: {e}")))?;
            self.params.insert(name.clone(), value);
        }
        Ok(())
    }

    fn result(&self) -> Result<&QueryResult, Stop> {
        match &self.last {
            None => fail("no query was executed"),
            Some(Err(e)) => fail(format!("error: {}", error_text(e))),
            Some(Ok(r)) => Ok(r),
        }
    }

    fn result_step(&self, rest: &str, table: &[Vec<String>]) -> Result<(), Stop> {
        let order = if rest.starts_with(", in order") {
            Order::Exact
        } else {
            Order::Any
        };
        let unordered_lists = rest.contains("ignoring element order for lists");
        self.expect_rows(table, order, unordered_lists)
    }

    fn expect_rows(&self, table: &[Vec<String>], order: Order, lists: bool) -> Result<(), Stop> {
        let result = self.result()?;
        let graph = self.session.graph();
        let actual: Vec<Vec<TVal>> = result
            .rows
            .iter()
            .map(|row| row.iter().map(|v| to_tck(v, graph)).collect())
            .collect();
        let Some((header, rows)) = table.split_first() else {
            return if actual.is_empty() {
                Ok(())
            } else {
                fail(format!(
                    "expected no rows, got {}: {}",
                    actual.len(),
                    show_rows(&result.columns, &actual)
                ))
            };
        };
        // Columns are matched by name, so their order does not matter.
        let mut perm = Vec::with_capacity(header.len());
        for name in header {
            match result.columns.iter().position(|c| c == name) {
                Some(i) if header.len() == result.columns.len() => perm.push(i),
                _ => {
                    return fail(format!(
                        "columns differ: expected {header:?}, got {:?}",
                        result.columns
                    ));
                }
            }
        }
        let actual: Vec<Vec<TVal>> = actual
            .into_iter()
            .map(|row| perm.iter().map(|&i| row[i].clone()).collect())
            .collect();
        let expected = rows
            .iter()
            .map(|row| row.iter().map(|c| values::parse(c)).collect())
            .collect::<Result<Vec<Vec<TVal>>, String>>()
            .map_err(|e| Stop::Fail(format!("bad expected value: {e}")))?;
        let row_eq = |a: &Vec<TVal>, b: &Vec<TVal>| {
            a.len() == b.len() && a.iter().zip(b).all(|(x, y)| equal(x, y, lists))
        };
        let same = match order {
            Order::Exact => {
                expected.len() == actual.len()
                    && expected.iter().zip(&actual).all(|(a, b)| row_eq(a, b))
            }
            Order::Any => same_multiset(&expected, &actual, row_eq),
        };
        if same {
            Ok(())
        } else {
            fail(format!(
                "rows differ{}: expected {}, got {}",
                if order == Order::Exact {
                    " (in order)"
                } else {
                    ""
                },
                show_rows(header, &expected),
                show_rows(header, &actual)
            ))
        }
    }

    fn expect_error(&self, class: &str, code: &str) -> Result<(), Stop> {
        match &self.last {
            None => fail("no query was executed"),
            Some(Ok(r)) => fail(format!(
                "expected {class}.{code}, got success with {} row(s)",
                r.rows.len()
            )),
            Some(Err(e)) if e.class.name() == class && e.code == code => Ok(()),
            Some(Err(e)) => fail(format!("expected {class}.{code}, got {}", error_text(e))),
        }
    }

    fn expect_side_effects(&self, table: &[Vec<String>]) -> Result<(), Stop> {
        if self.last.is_none() {
            return fail("no query was executed");
        }
        let stats = self.effects;
        let mut expected = Stats::default();
        for row in table {
            let [key, count] = row.as_slice() else {
                return fail(format!("bad side-effect row {row:?}"));
            };
            let n: u64 = count
                .parse()
                .map_err(|_| Stop::Fail(format!("bad side-effect count {count}")))?;
            *stat_mut(&mut expected, key)
                .ok_or_else(|| Stop::Fail(format!("unknown side effect {key}")))? = n;
        }
        if expected == stats {
            Ok(())
        } else {
            fail(format!(
                "side effects differ: expected {}, got {}",
                show_stats(&expected),
                show_stats(&stats)
            ))
        }
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Order {
    Exact,
    Any,
}

fn doc(step: &Step) -> Result<&str, Stop> {
    step.doc
        .as_deref()
        .ok_or_else(|| Stop::Fail(format!("step `{}` lacks a doc string", step.text)))
}

fn table(step: &Step) -> Result<&[Vec<String>], Stop> {
    step.table
        .as_deref()
        .ok_or_else(|| Stop::Fail(format!("step `{}` lacks a table", step.text)))
}

const STAT_KEYS: [&str; 8] = [
    "+nodes",
    "-nodes",
    "+relationships",
    "-relationships",
    "+labels",
    "-labels",
    "+properties",
    "-properties",
];

fn stat_mut<'s>(stats: &'s mut Stats, key: &str) -> Option<&'s mut u64> {
    Some(match key {
        "+nodes" => &mut stats.nodes_created,
        "-nodes" => &mut stats.nodes_deleted,
        "+relationships" => &mut stats.relationships_created,
        "-relationships" => &mut stats.relationships_deleted,
        "+labels" => &mut stats.labels_added,
        "-labels" => &mut stats.labels_removed,
        "+properties" => &mut stats.properties_set,
        "-properties" => &mut stats.properties_removed,
        _ => return None,
    })
}

fn show_stats(stats: &Stats) -> String {
    let mut copy = *stats;
    let parts: Vec<String> = STAT_KEYS
        .iter()
        .filter_map(|k| {
            let n = *stat_mut(&mut copy, k)?;
            (n != 0).then(|| format!("{k} {n}"))
        })
        .collect();
    if parts.is_empty() {
        "none".into()
    } else {
        parts.join(", ")
    }
}

fn show_rows(header: &[String], rows: &[Vec<TVal>]) -> String {
    let body: Vec<String> = rows
        .iter()
        .map(|r| {
            let cells: Vec<String> = r.iter().map(ToString::to_string).collect();
            format!("| {} |", cells.join(" | "))
        })
        .collect();
    format!("| {} | {}", header.join(" | "), body.join(" "))
}
