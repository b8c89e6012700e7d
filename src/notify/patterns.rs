//! Pattern shapes that may be slow: disconnected patterns in one MATCH
//! (a cartesian product) and variable-length relationships without an
//! upper bound.

use std::collections::HashSet;

use super::walk::{Facts, MatchFact};
use super::{Notification, NotificationKind};
use crate::syntax::ast::{PathSelector, PatternPart};

/// Adds the cartesian-product and unbounded-pattern notifications.
pub(super) fn check(facts: &Facts<'_>, text: &str, out: &mut Vec<Notification>) {
    for m in &facts.matches {
        cartesian(m, text, out);
    }
    for (rel, selector) in &facts.var_lengths {
        let Some(length) = rel.length else { continue };
        if length.max.is_some() {
            continue;
        }
        let written = text.get(rel.span.start..rel.span.end).unwrap_or("*");
        let (message, description) = match selector {
            PathSelector::All => (
                format!(
                    "The variable-length pattern `{written}` has no upper bound on its number of hops."
                ),
                "A variable-length pattern without an upper bound may follow very long paths \
                 and take long on a large graph. Add an upper limit to the number of hops, \
                 e.g. `*..5`."
                    .to_string(),
            ),
            PathSelector::Shortest | PathSelector::AllShortest => (
                format!(
                    "The shortest-path pattern `{written}` has no upper bound on its number of hops."
                ),
                "A shortest path searched with an unbounded pattern may take long when the end \
                 nodes are far apart or not connected. Add an upper limit to the number of hops, \
                 e.g. `*..8`."
                    .to_string(),
            ),
        };
        out.push(Notification::new(
            NotificationKind::UnboundedVariableLengthPattern,
            text,
            rel.span,
            message,
            description,
        ));
    }
}

/// The node and relationship variables of a pattern part.
fn variables(part: &PatternPart) -> HashSet<&str> {
    let el = &part.element;
    let mut vars: HashSet<&str> = el.start.variable.iter().map(|v| v.name.as_str()).collect();
    for (rel, node) in &el.chain {
        vars.extend(rel.variable.iter().map(|v| v.name.as_str()));
        vars.extend(node.variable.iter().map(|v| v.name.as_str()));
    }
    vars
}

/// Notes a MATCH whose pattern parts fall apart into more than one
/// connected group: parts are connected when they share a variable, and
/// every part that uses a variable bound before the MATCH is connected to
/// the incoming rows.
fn cartesian(m: &MatchFact<'_>, text: &str, out: &mut Vec<Notification>) {
    let parts = m.pattern;
    if parts.len() < 2 {
        return;
    }
    let vars: Vec<HashSet<&str>> = parts.iter().map(variables).collect();
    // Union-find over the parts, with one extra member for the incoming rows.
    let input = parts.len();
    let mut parent: Vec<usize> = (0..=input).collect();
    fn find(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    for i in 0..parts.len() {
        if vars[i].iter().any(|v| m.bound_before.contains(*v)) {
            let (a, b) = (find(&mut parent, i), find(&mut parent, input));
            parent[a] = b;
        }
        for j in 0..i {
            if !vars[i].is_disjoint(&vars[j]) {
                let (a, b) = (find(&mut parent, i), find(&mut parent, j));
                parent[a] = b;
            }
        }
    }
    let first = find(&mut parent, 0);
    let apart: Vec<&PatternPart> = (1..parts.len())
        .filter(|&i| find(&mut parent, i) != first)
        .map(|i| &parts[i])
        .collect();
    let Some(at) = apart.first() else { return };
    let written: Vec<&str> = apart
        .iter()
        .map(|p| text.get(p.span.start..p.span.end).unwrap_or("?"))
        .collect();
    let message = format!(
        "The pattern `{}` is not connected to the rest of the MATCH, so every match of it is \
         combined with every match of the rest (a cartesian product).",
        written.join("`, `")
    );
    let description = format!(
        "When one MATCH holds disconnected patterns, each match of one is paired with each \
         match of the others, which can make very many rows and slow the statement down. \
         Sometimes intended; otherwise connect the patterns with a relationship between \
         them (disconnected: {})",
        written.join(", ")
    );
    out.push(Notification::new(
        NotificationKind::CartesianProduct,
        text,
        at.span,
        message,
        description,
    ));
}
