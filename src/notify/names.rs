//! Names the graph does not know: labels, relationship types and property
//! keys a statement reads that no element of the graph has ever had, and
//! that the statement itself does not create.

use std::collections::HashSet;

use super::compare::MAX_SCAN;
use super::walk::Facts;
use super::{Notification, NotificationKind};
use crate::graph::Graph;
use crate::syntax::ast::Ident;

/// Adds a notification for each unknown name `facts` reads (once per
/// place it is written).
pub(super) fn check(facts: &Facts<'_>, text: &str, graph: &Graph, out: &mut Vec<Notification>) {
    unknown(
        &facts.read_labels,
        &facts.created_labels,
        |n| graph.label_id(n).is_some_and(|l| graph.label_count(l) > 0),
        NotificationKind::UnknownLabel,
        text,
        out,
    );
    unknown(
        &facts.read_types,
        &facts.created_types,
        |n| graph.type_id(n).is_some_and(|t| graph.type_count(t) > 0),
        NotificationKind::UnknownRelationshipType,
        text,
        out,
    );
    unknown(
        &facts.read_keys,
        &facts.created_keys,
        |n| key_known(graph, n),
        NotificationKind::UnknownPropertyKey,
        text,
        out,
    );
}

/// Whether some node or relationship has the property key `name`.
///
/// Binding a statement interns the names it reads, so an interned key may
/// be one a misspelt read left behind: on a graph of at most [`MAX_SCAN`]
/// elements they are looked at (stopping at the first that has the key).
/// On a larger graph an interned key counts as known, so a warning is
/// never given for a key that exists.
fn key_known(graph: &Graph, name: &str) -> bool {
    let Some(key) = graph.key_id(name) else {
        return false;
    };
    if graph.node_count() + graph.relationship_count() > MAX_SCAN {
        return true;
    }
    graph
        .nodes()
        .any(|n| graph.node(n).is_some_and(|d| d.property(key).is_some()))
        || graph.relationships().any(|r| {
            graph
                .relationship(r)
                .is_some_and(|d| d.property(key).is_some())
        })
}

fn unknown(
    read: &[&Ident],
    created: &HashSet<&str>,
    known: impl Fn(&str) -> bool,
    kind: NotificationKind,
    text: &str,
    out: &mut Vec<Notification>,
) {
    for name in read {
        if known(&name.name) || created.contains(name.name.as_str()) {
            continue;
        }
        let (what, missing) = match kind {
            NotificationKind::UnknownLabel => ("label", "label"),
            NotificationKind::UnknownRelationshipType => ("relationship type", "relationship type"),
            _ => ("property key", "property name"),
        };
        let message = format!(
            "The {what} `{}` does not exist in the graph. Verify that the spelling is correct.",
            name.name
        );
        let description = format!(
            "One of the {what}s in the statement is not in the graph: check its spelling, \
             or that it is there when the statement runs (the missing {missing} is: {})",
            name.name
        );
        out.push(Notification::new(
            kind,
            text,
            name.span,
            message,
            description,
        ));
    }
}
