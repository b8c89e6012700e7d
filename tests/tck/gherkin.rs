//! A small parser for the subset of Gherkin the openCypher TCK uses:
//! `Feature`, `Background`, `Scenario`, `Scenario Outline` with `Examples`,
//! tags, steps, doc strings (`"""`) and data tables.

use std::collections::BTreeMap;

/// One step: its keyword-less text with an optional doc string or table.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    /// The step text after the keyword, e.g. `executing query:`.
    pub text: String,
    /// The doc string below the step, without its indentation.
    pub doc: Option<String>,
    /// The data table below the step, cells unescaped and trimmed.
    pub table: Option<Vec<Vec<String>>>,
}

/// A scenario or scenario outline as written.
#[derive(Debug, Clone, Default)]
pub struct Scenario {
    /// The name after `Scenario:`.
    pub name: String,
    /// Tags written above it, e.g. `@ignore`.
    pub tags: Vec<String>,
    /// Its steps (background steps not included).
    pub steps: Vec<Step>,
    /// Whether it is an outline.
    pub outline: bool,
    /// The example tables of an outline; the first row of each is the header.
    pub examples: Vec<Vec<Vec<String>>>,
}

/// A parsed feature file.
#[derive(Debug, Clone, Default)]
pub struct Feature {
    /// The background steps, run before each scenario.
    pub background: Vec<Step>,
    /// The scenarios in file order.
    pub scenarios: Vec<Scenario>,
}

/// A scenario ready to run: outlines expanded, background prepended.
#[derive(Debug, Clone)]
pub struct Runnable {
    /// The scenario name.
    pub name: String,
    /// The 1-based example number for an expanded outline.
    pub example: Option<usize>,
    /// The tags of the scenario.
    pub tags: Vec<String>,
    /// Background steps followed by the scenario's steps.
    pub steps: Vec<Step>,
}

const STEP_KEYWORDS: [&str; 6] = ["Given ", "When ", "Then ", "And ", "But ", "* "];

/// Where table rows go while parsing.
enum Target {
    Nothing,
    Background,
    Scenario,
    Examples,
}

/// Parses a feature file.
pub fn parse(text: &str) -> Result<Feature, String> {
    let mut feature = Feature::default();
    let mut tags: Vec<String> = Vec::new();
    let mut target = Target::Nothing;
    let mut lines = text.lines().enumerate();
    while let Some((no, raw)) = lines.next() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let fail = |what: &str| format!("line {}: {what}: {line}", no + 1);
        if line.starts_with('@') {
            tags.extend(line.split_whitespace().map(str::to_string));
        } else if line.starts_with("Feature:") {
            tags.clear();
        } else if line.starts_with("Background:") {
            target = Target::Background;
        } else if let Some(name) = line
            .strip_prefix("Scenario Outline:")
            .or_else(|| line.strip_prefix("Scenario Template:"))
        {
            feature.scenarios.push(scenario(name, true, &mut tags));
            target = Target::Scenario;
        } else if let Some(name) = line.strip_prefix("Scenario:") {
            feature.scenarios.push(scenario(name, false, &mut tags));
            target = Target::Scenario;
        } else if line.starts_with("Examples:") || line.starts_with("Scenarios:") {
            tags.clear();
            let sc = feature
                .scenarios
                .last_mut()
                .ok_or_else(|| fail("Examples outside a scenario"))?;
            sc.examples.push(Vec::new());
            target = Target::Examples;
        } else if line.starts_with('|') {
            let row = split_row(line);
            match target {
                Target::Examples => feature
                    .scenarios
                    .last_mut()
                    .and_then(|s| s.examples.last_mut())
                    .ok_or_else(|| fail("table outside Examples"))?
                    .push(row),
                Target::Background | Target::Scenario => {
                    let step = current_steps(&mut feature, &target)
                        .last_mut()
                        .ok_or_else(|| fail("table before any step"))?;
                    step.table.get_or_insert_with(Vec::new).push(row);
                }
                Target::Nothing => return Err(fail("table outside a scenario")),
            }
        } else if line.starts_with("\"\"\"") {
            let indent = raw.len() - raw.trim_start().len();
            let doc = doc_string(&mut lines, indent).ok_or_else(|| fail("unclosed doc string"))?;
            let step = match target {
                Target::Background | Target::Scenario => {
                    current_steps(&mut feature, &target).last_mut()
                }
                _ => None,
            };
            step.ok_or_else(|| fail("doc string outside a step"))?.doc = Some(doc);
        } else if let Some(text) = STEP_KEYWORDS.iter().find_map(|k| line.strip_prefix(k)) {
            if matches!(target, Target::Nothing | Target::Examples) {
                return Err(fail("step outside a scenario"));
            }
            current_steps(&mut feature, &target).push(Step {
                text: text.trim().to_string(),
                doc: None,
                table: None,
            });
        } else if !matches!(target, Target::Nothing) {
            return Err(fail("unexpected line"));
        }
        // Free text under `Feature:` (a description) is ignored.
    }
    Ok(feature)
}

fn scenario(name: &str, outline: bool, tags: &mut Vec<String>) -> Scenario {
    Scenario {
        name: name.trim().to_string(),
        tags: std::mem::take(tags),
        outline,
        ..Scenario::default()
    }
}

fn current_steps<'f>(feature: &'f mut Feature, target: &Target) -> &'f mut Vec<Step> {
    match target {
        Target::Background => &mut feature.background,
        _ => {
            &mut feature
                .scenarios
                .last_mut()
                .expect("a scenario is open")
                .steps
        }
    }
}

/// Reads doc-string lines up to the closing `"""`, removing up to `indent`
/// leading spaces from each.
fn doc_string<'a>(
    lines: &mut impl Iterator<Item = (usize, &'a str)>,
    indent: usize,
) -> Option<String> {
    let mut body: Vec<&str> = Vec::new();
    for (_, raw) in lines.by_ref() {
        if raw.trim() == "\"\"\"" {
            return Some(body.join("\n"));
        }
        let strip = raw
            .char_indices()
            .take_while(|(i, c)| *i < indent && *c == ' ')
            .count();
        body.push(&raw[strip..]);
    }
    None
}

/// Splits `| a | b \| c |` into trimmed, unescaped cells.
pub fn split_row(line: &str) -> Vec<String> {
    let inner = line.trim().strip_prefix('|').unwrap_or(line);
    let mut cells = Vec::new();
    let mut cell = String::new();
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some('|') => cell.push('|'),
                Some('\\') => cell.push('\\'),
                Some('n') => cell.push('\n'),
                Some(other) => {
                    cell.push('\\');
                    cell.push(other);
                }
                None => cell.push('\\'),
            },
            '|' => cells.push(std::mem::take(&mut cell).trim().to_string()),
            c => cell.push(c),
        }
    }
    // Text after the last `|` (normally only whitespace) is dropped.
    cells
}

impl Feature {
    /// The scenarios ready to run, outlines expanded with their examples.
    pub fn runnables(&self) -> Vec<Runnable> {
        let mut out = Vec::new();
        for sc in &self.scenarios {
            if !sc.outline {
                out.push(Runnable {
                    name: sc.name.clone(),
                    example: None,
                    tags: sc.tags.clone(),
                    steps: self.background.iter().chain(&sc.steps).cloned().collect(),
                });
                continue;
            }
            let mut index = 0;
            for table in &sc.examples {
                let Some((header, rows)) = table.split_first() else {
                    continue;
                };
                for row in rows {
                    index += 1;
                    let values: BTreeMap<&str, &str> = header
                        .iter()
                        .map(String::as_str)
                        .zip(row.iter().map(String::as_str))
                        .collect();
                    out.push(Runnable {
                        name: sc.name.clone(),
                        example: Some(index),
                        tags: sc.tags.clone(),
                        steps: self
                            .background
                            .iter()
                            .chain(&sc.steps)
                            .map(|s| expand(s, &values))
                            .collect(),
                    });
                }
            }
        }
        out
    }
}

fn expand(step: &Step, values: &BTreeMap<&str, &str>) -> Step {
    Step {
        text: substitute(&step.text, values),
        doc: step.doc.as_deref().map(|d| substitute(d, values)),
        table: step.table.as_ref().map(|t| {
            t.iter()
                .map(|row| row.iter().map(|c| substitute(c, values)).collect())
                .collect()
        }),
    }
}

/// Replaces each `<name>` whose name is an example column.
fn substitute(text: &str, values: &BTreeMap<&str, &str>) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('<') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after
            .find('>')
            .and_then(|close| values.get(&after[..close]).map(|v| (close, *v)))
        {
            Some((close, value)) => {
                out.push_str(value);
                rest = &after[close + 1..];
            }
            None => {
                out.push('<');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}
