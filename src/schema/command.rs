//! Running schema commands: a command becomes a [`SchemaChange`] (none
//! when `IF [NOT] EXISTS` makes it a no-op), applied to a graph with the
//! data checked against a new constraint first.

use super::fulltext::{Entity, FulltextDef};
use super::{ConstraintDef, IndexDef, SchemaChange, default_name};
use crate::error::Result;
use crate::graph::Graph;
use crate::syntax::ast::SchemaCommand;
use crate::value::Value;

/// The change `cmd` asks of `graph`'s schema; `None` when there is
/// nothing to do (`IF NOT EXISTS` and it exists, `IF EXISTS` and it does not).
pub fn change_for(cmd: &SchemaCommand, graph: &Graph) -> Result<Option<SchemaChange>> {
    let schema = graph.schema();
    let names = |props: &[crate::syntax::ast::Ident]| -> Vec<String> {
        props.iter().map(|p| p.name.clone()).collect()
    };
    Ok(match cmd {
        SchemaCommand::CreateIndex {
            name,
            kind,
            label,
            properties,
            if_not_exists,
        } => {
            let properties = names(properties);
            let def = IndexDef {
                name: rule_name(name.as_ref(), "index", &label.name, &properties),
                kind: *kind,
                label: label.name.clone(),
                properties,
            };
            let exists = schema.indexes.iter().any(|i| {
                i.name == def.name || (i.label == def.label && i.properties == def.properties)
            });
            (!(*if_not_exists && exists)).then_some(SchemaChange::CreateIndex(def))
        }
        SchemaCommand::CreateConstraint {
            name,
            kind,
            label,
            properties,
            if_not_exists,
        } => {
            let properties = names(properties);
            let def = ConstraintDef {
                name: rule_name(name.as_ref(), "constraint", &label.name, &properties),
                kind: *kind,
                label: label.name.clone(),
                properties,
            };
            let exists = schema.constraints.iter().any(|c| {
                c.name == def.name
                    || (c.label == def.label
                        && c.properties == def.properties
                        && c.kind == def.kind)
            });
            (!(*if_not_exists && exists)).then_some(SchemaChange::CreateConstraint(def))
        }
        SchemaCommand::CreateFulltext {
            name,
            relationships,
            tokens,
            properties,
            options,
            if_not_exists,
        } => {
            let tokens = names(tokens);
            let properties = names(properties);
            let (analyzer, eventually_consistent) = super::options::fulltext(options.as_ref())?;
            let def = FulltextDef {
                name: name
                    .as_ref()
                    .map(|n| n.name.clone())
                    .unwrap_or_else(|| FulltextDef::default_name(&tokens, &properties)),
                entity: if *relationships {
                    Entity::Relationship
                } else {
                    Entity::Node
                },
                tokens,
                properties,
                analyzer,
                eventually_consistent,
            };
            let exists = schema.name_taken(&def.name)
                || schema.fulltext.iter().any(|f| {
                    f.entity == def.entity
                        && f.tokens == def.tokens
                        && f.properties == def.properties
                });
            (!(*if_not_exists && exists)).then_some(SchemaChange::CreateFulltext(def))
        }
        SchemaCommand::Drop {
            constraint,
            name,
            if_exists,
        } => {
            let exists = if *constraint {
                schema.constraints.iter().any(|c| c.name == name.name)
            } else {
                schema.indexes.iter().any(|i| i.name == name.name)
                    || schema.fulltext.iter().any(|f| f.name == name.name)
            };
            if *if_exists && !exists {
                None
            } else if *constraint {
                Some(SchemaChange::DropConstraint(name.name.clone()))
            } else {
                Some(SchemaChange::DropIndex(name.name.clone()))
            }
        }
    })
}

/// Applies `change` to `graph`: a new constraint must hold for the data
/// (else nothing changes and the error names it); a new index is built now.
pub fn apply(graph: &mut Graph, change: &SchemaChange) -> Result<()> {
    let before = graph.schema().clone();
    graph.schema_mut().apply(change)?;
    match change {
        SchemaChange::CreateConstraint(_) => {
            if let Err(e) = super::check(graph) {
                *graph.schema_mut() = before;
                return Err(e);
            }
        }
        SchemaChange::CreateIndex(def) => {
            // An equality lookup builds the (label, key) index of its first
            // property now rather than on first use.
            if let (Some(label), Some(key)) = (
                graph.label_id(&def.label),
                def.properties.first().and_then(|p| graph.key_id(p)),
            ) {
                graph.find_nodes(label, key, &Value::Bool(false));
            }
        }
        SchemaChange::CreateFulltext(_) | SchemaChange::DropIndex(_) => graph.sync_fulltext(),
        SchemaChange::DropConstraint(_) => {}
    }
    Ok(())
}

/// The name a `CREATE INDEX | CONSTRAINT` gave, or the default one of its
/// kind, label and properties.
fn rule_name(
    given: Option<&crate::syntax::ast::Ident>,
    kind: &str,
    label: &str,
    properties: &[String],
) -> String {
    given
        .map(|n| n.name.clone())
        .unwrap_or_else(|| default_name(kind, label, properties))
}
