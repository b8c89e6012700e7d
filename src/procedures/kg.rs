//! kgq's own procedures for knowledge graphs: finding entities by any of
//! their names (`kgq.find`, `kgq.resolve`, see [`crate::resolve`]) and
//! the sources behind a fact (`kgq.sources`, see [`crate::provenance`]).

use super::Procedure;
use super::builtin::native;
use crate::error::{Error, Result};
use crate::exec::{Ctx, Row};
use crate::resolve::{self, FIND_THRESHOLD};
use crate::value::Value;

/// The procedures of this module.
pub(super) fn all() -> Vec<Procedure> {
    [
        native(
            "kgq.find(text :: STRING, limit :: INTEGER) :: \
             (node :: NODE, score :: FLOAT, matched :: STRING, isName :: BOOLEAN)",
            "Find the nodes whose name or alias resembles a text, best first, with a score \
             (1.0 = equal in normal form).",
            find,
        )
        .map(|p| with_default(p, "limit", Value::Int(10))),
        native(
            "kgq.resolve(text :: STRING, label :: STRING) :: (node :: NODE)",
            "The node(s) a text names: equal name or alias in normal form, else the best \
             fuzzy match; optionally only nodes with a label.",
            resolve_names,
        )
        .map(|p| with_default(p, "label", Value::Null)),
        native(
            "kgq.sources(entity :: ANY) :: (source :: NODE)",
            "The source entities a relationship, node or path cites in its `source` property.",
            sources,
        ),
    ]
    .into_iter()
    .flatten()
    .collect()
}

pub(super) fn with_default(mut procedure: Procedure, input: &str, value: Value) -> Procedure {
    for param in &mut procedure.inputs {
        if param.name == input {
            param.default = Some(value.clone());
        }
    }
    procedure
}

fn find(ctx: &Ctx<'_>, args: &[Value]) -> Result<Vec<Row>> {
    let Some(text) = args.first().and_then(Value::as_str) else {
        return Ok(Vec::new());
    };
    let limit = match args.get(1) {
        Some(Value::Int(n)) if *n < 0 => {
            return Err(Error::argument(
                "NegativeIntegerArgument",
                format!("kgq.find needs a limit of at least 0, got {n}"),
            ));
        }
        Some(Value::Int(n)) => usize::try_from(*n).unwrap_or(usize::MAX),
        _ => 10,
    };
    Ok(resolve::find(ctx.graph, text, FIND_THRESHOLD, limit)
        .into_iter()
        .map(|c| {
            vec![
                Value::Node(c.node),
                Value::Float(c.score),
                Value::string(&c.matched),
                Value::Bool(c.is_name),
            ]
        })
        .collect())
}

fn resolve_names(ctx: &Ctx<'_>, args: &[Value]) -> Result<Vec<Row>> {
    let Some(function) = crate::exec::functions::lookup("resolve") else {
        return Ok(Vec::new());
    };
    let found = function.invoke(args, ctx.graph)?;
    Ok(match found {
        Value::List(nodes) => nodes.into_iter().map(|n| vec![n]).collect(),
        _ => Vec::new(),
    })
}

fn sources(ctx: &Ctx<'_>, args: &[Value]) -> Result<Vec<Row>> {
    let entity = args.first().cloned().unwrap_or(Value::Null);
    Ok(crate::provenance::sources(ctx.graph, &entity)?
        .iter()
        .map(|source| vec![source.to_value()])
        .collect())
}
