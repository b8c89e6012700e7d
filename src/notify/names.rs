//! Names the graph does not know: labels, relationship types and property
//! keys a statement reads that no element of the graph has ever had, and
//! that the statement itself does not create.

use std::collections::HashSet;

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
        |n| graph.label_id(n).is_some(),
        NotificationKind::UnknownLabel,
        text,
        out,
    );
    unknown(
        &facts.read_types,
        &facts.created_types,
        |n| graph.type_id(n).is_some(),
        NotificationKind::UnknownRelationshipType,
        text,
        out,
    );
    unknown(
        &facts.read_keys,
        &facts.created_keys,
        |n| graph.key_id(n).is_some(),
        NotificationKind::UnknownPropertyKey,
        text,
        out,
    );
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
