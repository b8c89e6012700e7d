//! Writing steps: CREATE, MERGE, SET/REMOVE and DELETE, applied to all the
//! rows before them through a transaction.

use std::collections::BTreeSet;
use std::iter;
use std::sync::atomic::AtomicBool;

use super::eval::eval;
use super::{Ctx, Limits, Row, Tx, build, internal};
use crate::error::{Error, ErrorClass, Result};
use crate::graph::{EdgeId, KeyId, NodeId, Properties};
use crate::plan::{CreateSpec, Expr, SetOp, Step};
use crate::value::Value;

/// Applies a writing step to every row; returns the rows that continue.
pub fn apply(
    step: &Step,
    rows: Vec<Row>,
    tx: &mut Tx<'_>,
    cancel: &AtomicBool,
    limits: &Limits,
) -> Result<Vec<Row>> {
    let mut writer = Writer {
        tx,
        cancel,
        limits,
        ticks: 0,
    };
    match step {
        Step::Create(spec) => rows
            .into_iter()
            .map(|row| {
                writer.tick()?;
                writer.create(spec, row)
            })
            .collect(),
        Step::Merge {
            matcher,
            create,
            on_create,
            on_match,
        } => {
            let mut out = Vec::new();
            for row in rows {
                writer.tick()?;
                out.extend(writer.merge(row, matcher, create, on_create, on_match)?);
            }
            Ok(out)
        }
        Step::Set(ops) => {
            for row in &rows {
                writer.tick()?;
                for op in ops {
                    writer.set(op, row)?;
                }
            }
            Ok(rows)
        }
        Step::Delete { exprs, detach } => {
            writer.delete(exprs, *detach, &rows)?;
            Ok(rows)
        }
        Step::CallSubquery(plan) => {
            super::subquery::apply(plan, rows, &mut *writer.tx, cancel, limits)
        }
        _ => Err(internal("a reading step reached the writer")),
    }
}

struct Writer<'t, 'g> {
    tx: &'t mut Tx<'g>,
    cancel: &'t AtomicBool,
    limits: &'t Limits,
    ticks: u32,
}

/// Rows a writing step handles between two looks at the cancel flag and
/// the clock.
const ROWS_PER_CHECK: u32 = 256;

impl Writer<'_, '_> {
    /// Fails (and so rolls the statement back) once the statement was
    /// cancelled or ran past its deadline; looks every [`ROWS_PER_CHECK`] rows.
    fn tick(&mut self) -> Result<()> {
        self.ticks = self.ticks.wrapping_add(1);
        if self.ticks % ROWS_PER_CHECK != 0 {
            return Ok(());
        }
        super::check_now(self.cancel, self.limits)
    }

    /// Evaluates `expr` against the graph as it is now.
    fn eval(&self, expr: &Expr, row: &[Value]) -> Result<Value> {
        let ctx = Ctx::new(self.tx.graph(), self.cancel, self.limits);
        eval(expr, row, &ctx)
    }

    fn properties(
        &mut self,
        pairs: &[(KeyId, Expr)],
        map: Option<&Expr>,
        row: &[Value],
    ) -> Result<Properties> {
        let mut out: Properties = Vec::new();
        for (key, expr) in pairs {
            let value = self.eval(expr, row)?;
            check_storable(&value)?;
            out.push((*key, value));
        }
        if let Some(map) = map {
            match self.eval(map, row)? {
                Value::Map(entries) => {
                    for (name, value) in entries {
                        check_storable(&value)?;
                        out.push((self.tx.intern_key(&name), value));
                    }
                }
                Value::Null => {}
                other => {
                    return Err(Error::invalid_type(format!(
                        "properties must be given as a map, got {}",
                        other.type_name()
                    )));
                }
            }
        }
        out.sort_by_key(|(k, _)| *k);
        out.dedup_by(|later, earlier| {
            if later.0 == earlier.0 {
                earlier.1 = std::mem::take(&mut later.1);
                true
            } else {
                false
            }
        });
        Ok(out)
    }

    fn create(&mut self, spec: &CreateSpec, mut row: Row) -> Result<Row> {
        for node in &spec.nodes {
            if node.bound {
                continue;
            }
            let props = self.properties(&node.properties, node.property_map.as_ref(), &row)?;
            let id = self.tx.create_node(node.labels.clone(), props);
            row[node.slot] = Value::Node(id);
        }
        for rel in &spec.rels {
            let (from, to) = (node_at(&row, rel.from)?, node_at(&row, rel.to)?);
            let props = self.properties(&rel.properties, rel.property_map.as_ref(), &row)?;
            let id = self
                .tx
                .create_relationship(from, to, rel.rel_type, props)
                .ok_or_else(|| {
                    deleted_entity("a relationship cannot be created on a deleted node")
                })?;
            row[rel.slot] = Value::Relationship(id);
        }
        if !spec.paths.is_empty() {
            let ctx = Ctx::new(self.tx.graph(), self.cancel, self.limits);
            for path in &spec.paths {
                row[path.slot] = super::paths::assemble(path, &row, &ctx)?;
            }
        }
        Ok(row)
    }

    fn merge(
        &mut self,
        row: Row,
        matcher: &[Step],
        create: &CreateSpec,
        on_create: &[SetOp],
        on_match: &[SetOp],
    ) -> Result<Vec<Row>> {
        let matched: Vec<Row> = {
            let ctx = Ctx::new(self.tx.graph(), self.cancel, self.limits);
            build(matcher, &ctx, Box::new(iter::once(Ok(row.clone())))).collect::<Result<_>>()?
        };
        if matched.is_empty() {
            let pinned = create
                .nodes
                .iter()
                .flat_map(|n| &n.properties)
                .chain(create.rels.iter().flat_map(|r| &r.properties));
            for (_, expr) in pinned {
                if self.eval(expr, &row)?.is_null() {
                    return Err(Error::semantic(
                        "MergeReadOwnWrites",
                        "MERGE cannot create an element with a null property value",
                    ));
                }
            }
            let created = self.create(create, row)?;
            for op in on_create {
                self.set(op, &created)?;
            }
            return Ok(vec![created]);
        }
        for r in &matched {
            for op in on_match {
                self.set(op, r)?;
            }
        }
        Ok(matched)
    }

    fn set(&mut self, op: &SetOp, row: &[Value]) -> Result<()> {
        match op {
            SetOp::Property { target, key, value } => {
                let target = self.eval(target, row)?;
                let value = self.eval(value, row)?;
                check_storable(&value)?;
                self.set_property(&target, *key, value)
            }
            SetOp::RemoveProperty { target, key } => {
                let target = self.eval(target, row)?;
                self.set_property(&target, *key, Value::Null)
            }
            SetOp::Map {
                target,
                value,
                merge,
            } => {
                let target = self.eval(target, row)?;
                let value = self.eval(value, row)?;
                self.set_map(&target, value, *merge)
            }
            SetOp::AddLabels { target, labels } | SetOp::RemoveLabels { target, labels } => {
                let add = matches!(op, SetOp::AddLabels { .. });
                match self.eval(target, row)? {
                    Value::Node(id) => {
                        for label in labels {
                            if add {
                                self.tx.add_label(id, *label);
                            } else {
                                self.tx.remove_label(id, *label);
                            }
                        }
                        Ok(())
                    }
                    Value::Null => Ok(()),
                    other => Err(Error::invalid_type(format!(
                        "labels belong to nodes, not to a {}",
                        other.type_name()
                    ))),
                }
            }
        }
    }

    fn set_property(&mut self, target: &Value, key: KeyId, value: Value) -> Result<()> {
        match target {
            Value::Node(id) => self.tx.set_node_property(*id, key, value),
            Value::Relationship(id) => self.tx.set_relationship_property(*id, key, value),
            Value::Null => {}
            other => {
                return Err(Error::invalid_type(format!(
                    "properties can be set on nodes and relationships, not on a {}",
                    other.type_name()
                )));
            }
        }
        Ok(())
    }

    fn set_map(&mut self, target: &Value, value: Value, merge: bool) -> Result<()> {
        let entries: Vec<(String, Value)> = match value {
            Value::Map(m) => m.into_iter().collect(),
            Value::Node(id) => {
                self.entity_properties(self.tx.graph().node(id).map(|n| n.properties()).as_ref())
            }
            Value::Relationship(id) => self.entity_properties(
                self.tx
                    .graph()
                    .relationship(id)
                    .map(|r| r.properties())
                    .as_ref(),
            ),
            Value::Null if merge => Vec::new(),
            Value::Null => Vec::new(),
            other => {
                return Err(Error::invalid_type(format!(
                    "SET = expects a map, got {}",
                    other.type_name()
                )));
            }
        };
        if matches!(target, Value::Null) {
            return Ok(());
        }
        if !merge {
            let existing: Vec<KeyId> = match target {
                Value::Node(id) => self
                    .tx
                    .graph()
                    .node(*id)
                    .map(|n| n.properties().iter().map(|(k, _)| *k).collect()),
                Value::Relationship(id) => self
                    .tx
                    .graph()
                    .relationship(*id)
                    .map(|r| r.properties().iter().map(|(k, _)| *k).collect()),
                _ => None,
            }
            .unwrap_or_default();
            let keep: BTreeSet<&str> = entries.iter().map(|(k, _)| k.as_str()).collect();
            for key in existing {
                if !keep.contains(self.tx.graph().key_name(key)) {
                    self.set_property(target, key, Value::Null)?;
                }
            }
        }
        for (name, value) in entries {
            check_storable(&value)?;
            let key = self.tx.intern_key(&name);
            self.set_property(target, key, value)?;
        }
        Ok(())
    }

    fn entity_properties(&self, props: Option<&Properties>) -> Vec<(String, Value)> {
        let graph = self.tx.graph();
        props
            .into_iter()
            .flatten()
            .map(|(k, v)| (graph.key_name(*k).to_string(), v.clone()))
            .collect()
    }

    fn delete(&mut self, exprs: &[Expr], detach: bool, rows: &[Row]) -> Result<()> {
        let mut nodes: BTreeSet<NodeId> = BTreeSet::new();
        let mut rels: BTreeSet<EdgeId> = BTreeSet::new();
        for row in rows {
            self.tick()?;
            for expr in exprs {
                collect_entities(self.eval(expr, row)?, &mut nodes, &mut rels)?;
            }
        }
        for rel in rels.iter().rev() {
            self.tx.delete_relationship(*rel);
        }
        for node in nodes.iter().rev() {
            self.tick()?;
            if detach {
                let attached: Vec<EdgeId> = self
                    .tx
                    .graph()
                    .relationships_of(*node, crate::graph::Direction::Both)
                    .map(|(e, _, _)| e)
                    .collect();
                for rel in attached {
                    self.tx.delete_relationship(rel);
                }
            }
            if let Err(degree) = self.tx.delete_node(*node) {
                return Err(Error::new(
                    ErrorClass::ConstraintVerificationFailed,
                    "DeleteConnectedNode",
                    format!(
                        "cannot delete a node that still has {degree} relationship(s); use DETACH DELETE \
                         to delete them too"
                    ),
                ));
            }
        }
        Ok(())
    }
}

fn collect_entities(
    value: Value,
    nodes: &mut BTreeSet<NodeId>,
    rels: &mut BTreeSet<EdgeId>,
) -> Result<()> {
    match value {
        Value::Null => {}
        Value::Node(id) => {
            nodes.insert(id);
        }
        Value::Relationship(id) => {
            rels.insert(id);
        }
        Value::Path(p) => {
            nodes.extend(p.nodes.iter().copied());
            rels.extend(p.relationships.iter().copied());
        }
        Value::List(items) => {
            for item in items {
                collect_entities(item, nodes, rels)?;
            }
        }
        other => {
            return Err(Error::invalid_type(format!(
                "DELETE expects nodes, relationships or paths, got {}",
                other.type_name()
            )));
        }
    }
    Ok(())
}

fn node_at(row: &[Value], slot: usize) -> Result<NodeId> {
    match row.get(slot) {
        Some(Value::Node(id)) => Ok(*id),
        Some(Value::Null) | None => Err(Error::semantic(
            "CreateWithNullNode",
            "a relationship cannot be created from or to a missing (null) node",
        )),
        Some(other) => Err(Error::invalid_type(format!(
            "expected a node, got {}",
            other.type_name()
        ))),
    }
}

fn check_storable(value: &Value) -> Result<()> {
    if value.is_storable() {
        Ok(())
    } else {
        Err(Error::type_error(
            "InvalidPropertyType",
            format!(
                "a {} cannot be stored as a property value",
                value.type_name()
            ),
        ))
    }
}

fn deleted_entity(message: &str) -> Error {
    Error::new(ErrorClass::EntityNotFound, "DeletedEntityAccess", message)
}
