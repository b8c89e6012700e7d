//! `SHOW PROCEDURES` and `SHOW FUNCTIONS`: each is a call of a hidden
//! procedure whose table is made from the registry (or the function
//! table) when the statement is planned.

use std::collections::BTreeMap;

use super::{Body, Field, Procedure, Registry, Type};
use crate::error::Result;
use crate::exec::functions;
use crate::graph::Graph;
use crate::schema::fulltext::Entity;
use crate::schema::{ConstraintKind, IndexKind};
use crate::syntax::ast::{FunctionFilter, Show};
use crate::value::Value;

/// The aggregate functions, as queries spell them, with a line of help.
const AGGREGATES: &[(&str, &str)] = &[
    ("avg", "The average of a set of numbers or durations."),
    ("collect", "A list of the non-null values of a group."),
    (
        "count",
        "The number of non-null values (or rows, for count(*)).",
    ),
    ("max", "The largest value of a group."),
    ("min", "The smallest value of a group."),
    (
        "percentileCont",
        "The interpolated percentile of a set of numbers.",
    ),
    (
        "percentileDisc",
        "The nearest-rank percentile of a set of numbers.",
    ),
    (
        "stDev",
        "The sample standard deviation of a set of numbers.",
    ),
    (
        "stDevP",
        "The population standard deviation of a set of numbers.",
    ),
    ("sum", "The sum of a set of numbers or durations."),
];

/// The procedure a `SHOW` command calls, with its rows filled in.
pub fn procedure(what: Show, registry: &Registry, graph: &Graph) -> Result<Procedure> {
    let name = super::show_procedure_name(what).to_string();
    let (outputs, default_outputs, rows) = match what {
        Show::Procedures => (
            fields(&[
                ("name", Type::String),
                ("description", Type::String),
                ("mode", Type::String),
                ("worksOnSystem", Type::Boolean),
                ("signature", Type::String),
                ("argumentDescription", list_of_maps()),
                ("returnDescription", list_of_maps()),
                ("admin", Type::Boolean),
                ("isDeprecated", Type::Boolean),
            ]),
            4,
            procedure_rows(registry),
        ),
        Show::Functions(filter) => (
            fields(&[
                ("name", Type::String),
                ("category", Type::String),
                ("description", Type::String),
                ("signature", Type::String),
                ("isBuiltIn", Type::Boolean),
                ("aggregating", Type::Boolean),
                ("isDeprecated", Type::Boolean),
            ]),
            3,
            if filter == FunctionFilter::UserDefined {
                Vec::new()
            } else {
                function_rows()
            },
        ),
        Show::Indexes => (
            fields(&[
                ("id", Type::Integer),
                ("name", Type::String),
                ("state", Type::String),
                ("populationPercent", Type::Float),
                ("type", Type::String),
                ("entityType", Type::String),
                ("labelsOrTypes", Type::List(Box::new(Type::String))),
                ("properties", Type::List(Box::new(Type::String))),
                ("owningConstraint", Type::String),
            ]),
            9,
            index_rows(graph),
        ),
        Show::Constraints => (
            fields(&[
                ("id", Type::Integer),
                ("name", Type::String),
                ("type", Type::String),
                ("entityType", Type::String),
                ("labelsOrTypes", Type::List(Box::new(Type::String))),
                ("properties", Type::List(Box::new(Type::String))),
            ]),
            6,
            constraint_rows(graph),
        ),
    };
    Ok(Procedure {
        name,
        inputs: Vec::new(),
        outputs,
        description: String::new(),
        default_outputs: Some(default_outputs),
        body: Body::Table(rows),
    })
}

fn strings(items: &[String]) -> Value {
    Value::List(items.iter().map(|s| Value::string(s)).collect())
}

fn index_rows(graph: &Graph) -> Vec<Vec<Value>> {
    graph
        .schema()
        .indexes
        .iter()
        .enumerate()
        .map(|(i, def)| {
            vec![
                Value::Int(i as i64 + 1),
                Value::string(&def.name),
                Value::string("ONLINE"),
                Value::Float(100.0),
                Value::string(match def.kind {
                    IndexKind::Range => "RANGE",
                    IndexKind::Text => "TEXT",
                }),
                Value::string("NODE"),
                strings(std::slice::from_ref(&def.label)),
                strings(&def.properties),
                Value::Null,
            ]
        })
        .chain(graph.schema().fulltext.iter().map(|def| {
            vec![
                Value::Null,
                Value::string(&def.name),
                Value::string("ONLINE"),
                Value::Float(100.0),
                Value::string("FULLTEXT"),
                Value::string(match def.entity {
                    Entity::Node => "NODE",
                    Entity::Relationship => "RELATIONSHIP",
                }),
                strings(&def.tokens),
                strings(&def.properties),
                Value::Null,
            ]
        }))
        .enumerate()
        .map(|(i, mut row)| {
            row[0] = Value::Int(i as i64 + 1);
            row
        })
        .collect()
}

fn constraint_rows(graph: &Graph) -> Vec<Vec<Value>> {
    graph
        .schema()
        .constraints
        .iter()
        .enumerate()
        .map(|(i, def)| {
            vec![
                Value::Int(i as i64 + 1),
                Value::string(&def.name),
                Value::string(match def.kind {
                    ConstraintKind::Unique => "UNIQUENESS",
                    ConstraintKind::NotNull => "NODE_PROPERTY_EXISTENCE",
                    ConstraintKind::NodeKey => "NODE_KEY",
                }),
                Value::string("NODE"),
                strings(std::slice::from_ref(&def.label)),
                strings(&def.properties),
            ]
        })
        .collect()
}

fn fields(list: &[(&str, Type)]) -> Vec<Field> {
    list.iter()
        .map(|(name, ty)| Field {
            name: (*name).to_string(),
            ty: ty.clone(),
        })
        .collect()
}

fn list_of_maps() -> Type {
    Type::List(Box::new(Type::Map))
}

fn describe(name: &str, ty: &Type) -> Value {
    let mut map = BTreeMap::new();
    map.insert("name".to_string(), Value::string(name));
    map.insert("type".to_string(), Value::string(&ty.to_string()));
    Value::Map(map)
}

fn procedure_rows(registry: &Registry) -> Vec<Vec<Value>> {
    registry
        .iter()
        .filter(|p| !p.name.starts_with(' '))
        .map(|p| {
            vec![
                Value::string(&p.name),
                Value::string(&p.description),
                Value::string("READ"),
                Value::Bool(false),
                Value::string(&p.signature()),
                Value::List(p.inputs.iter().map(|i| describe(&i.name, &i.ty)).collect()),
                Value::List(p.outputs.iter().map(|o| describe(&o.name, &o.ty)).collect()),
                Value::Bool(false),
                Value::Bool(false),
            ]
        })
        .collect()
}

/// A function's name as its example spells it (`toInteger`), else as the
/// table keeps it.
fn display_name(f: &functions::Function) -> String {
    let lower = f.example.to_lowercase();
    let pattern = format!("{}(", f.name);
    let mut from = 0;
    while let Some(at) = lower[from..].find(&pattern) {
        let start = from + at;
        let boundary = lower[..start]
            .chars()
            .next_back()
            .is_none_or(|c| !(c.is_alphanumeric() || c == '_' || c == '.'));
        if boundary && lower.len() == f.example.len() {
            return f.example[start..start + f.name.len()].to_string();
        }
        from = start + pattern.len();
    }
    f.name.to_string()
}

fn arity(f: &functions::Function) -> String {
    match (f.min_args, f.max_args) {
        (a, b) if a == b => format!("{a} argument(s)"),
        (a, usize::MAX) => format!("at least {a} argument(s)"),
        (a, b) => format!("{a} to {b} arguments"),
    }
}

fn function_rows() -> Vec<Vec<Value>> {
    let mut rows: Vec<(String, Vec<Value>)> = functions::all()
        .iter()
        .map(|f| {
            let name = display_name(f);
            let row = vec![
                Value::string(&name),
                Value::string("Scalar"),
                Value::string(f.summary),
                Value::string(&format!("{name}({})", arity(f))),
                Value::Bool(true),
                Value::Bool(false),
                Value::Bool(false),
            ];
            (name.to_lowercase(), row)
        })
        .collect();
    rows.extend(AGGREGATES.iter().map(|(name, summary)| {
        let row = vec![
            Value::string(name),
            Value::string("Aggregating"),
            Value::string(summary),
            Value::string(&format!("{name}(value)")),
            Value::Bool(true),
            Value::Bool(true),
            Value::Bool(false),
        ];
        (name.to_lowercase(), row)
    }));
    rows.sort_by(|a, b| a.0.cmp(&b.0));
    rows.into_iter().map(|(_, row)| row).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exec::aggregate::AggregateKind;

    #[test]
    fn aggregates_listed_exist() {
        for (name, _) in AGGREGATES {
            assert!(AggregateKind::lookup(name).is_some(), "{name}");
        }
    }

    #[test]
    fn function_names_keep_their_case() {
        let f = functions::lookup("tointeger").unwrap();
        assert_eq!(display_name(f), "toInteger");
    }
}
