//! `db.index.fulltext.*`: searching the full-text indexes declared with
//! `CREATE FULLTEXT INDEX` (see [`crate::schema::fulltext`]).

use super::Procedure;
use super::builtin::native;
use crate::error::{Error, ErrorClass, Result};
use crate::exec::{Ctx, Row};
use crate::graph::{EdgeId, NodeId};
use crate::schema::fulltext::{Entity, analyze, query};
use crate::value::Value;

/// The procedures of this module.
pub(super) fn all() -> Vec<Procedure> {
    [
        native(
            "db.index.fulltext.queryNodes(indexName :: STRING, queryString :: STRING, \
             options :: MAP) :: (node :: NODE, score :: FLOAT)",
            "Query a full-text index of nodes; the best matches first, with their BM25 score \
             (options: limit, skip).",
            query_nodes,
        )
        .map(|p| super::kg::with_default(p, "options", Value::Map(Default::default()))),
        native(
            "db.index.fulltext.queryRelationships(indexName :: STRING, queryString :: STRING, \
             options :: MAP) :: (relationship :: RELATIONSHIP, score :: FLOAT)",
            "Query a full-text index of relationships; the best matches first, with their BM25 \
             score (options: limit, skip).",
            query_relationships,
        )
        .map(|p| super::kg::with_default(p, "options", Value::Map(Default::default()))),
        native(
            "db.index.fulltext.awaitEventuallyConsistentIndexRefresh() :: VOID",
            "Wait until eventually consistent full-text indexes are current (kgq's always \
             are, so this returns at once).",
            await_refresh,
        ),
        native(
            "db.index.fulltext.listAvailableAnalyzers() :: \
             (analyzer :: STRING, description :: STRING, stopwords :: LIST<STRING>)",
            "List the analyzers full-text indexes can use.",
            list_analyzers,
        ),
    ]
    .into_iter()
    .flatten()
    .collect()
}

fn query_nodes(ctx: &Ctx<'_>, args: &[Value]) -> Result<Vec<Row>> {
    search(ctx, args, Entity::Node)
}

fn query_relationships(ctx: &Ctx<'_>, args: &[Value]) -> Result<Vec<Row>> {
    search(ctx, args, Entity::Relationship)
}

fn search(ctx: &Ctx<'_>, args: &[Value], entity: Entity) -> Result<Vec<Row>> {
    let procedure = match entity {
        Entity::Node => "db.index.fulltext.queryNodes",
        Entity::Relationship => "db.index.fulltext.queryRelationships",
    };
    let (Some(name), Some(text)) = (
        args.first().and_then(Value::as_str),
        args.get(1).and_then(Value::as_str),
    ) else {
        return Err(Error::argument(
            "InvalidArgumentType",
            format!("{procedure} needs an index name and a query string, not null"),
        ));
    };
    let (skip, limit) = paging(args.get(2), procedure)?;
    let Some(index) = ctx.graph.fulltext_index(name) else {
        return Err(Error::new(
            ErrorClass::ProcedureError,
            "IndexNotFound",
            format!("there is no full-text index `{name}`"),
        ));
    };
    if index.def().entity != entity {
        let (has, other) = match entity {
            Entity::Node => ("relationships", "db.index.fulltext.queryRelationships"),
            Entity::Relationship => ("nodes", "db.index.fulltext.queryNodes"),
        };
        return Err(Error::new(
            ErrorClass::ProcedureError,
            "WrongIndexType",
            format!("full-text index `{name}` indexes {has}: call {other}"),
        ));
    }
    let parsed = query::parse(text).map_err(|e| {
        Error::argument(
            "InvalidFulltextQuery",
            format!("cannot parse the full-text query {text:?}: {e}"),
        )
    })?;
    ctx.check()?;
    Ok(index
        .search(&parsed)
        .into_iter()
        .skip(skip)
        .take(limit)
        .map(|(doc, score)| {
            let element = match entity {
                Entity::Node => Value::Node(NodeId(doc)),
                Entity::Relationship => Value::Relationship(EdgeId(doc)),
            };
            vec![element, Value::Float(score)]
        })
        .collect())
}

/// `skip` and `limit` of the options map (0 and unlimited by default).
fn paging(options: Option<&Value>, procedure: &str) -> Result<(usize, usize)> {
    let (mut skip, mut limit) = (0, usize::MAX);
    let Some(Value::Map(options)) = options else {
        return Ok((skip, limit));
    };
    for (key, value) in options {
        let target = match key.as_str() {
            "skip" => &mut skip,
            "limit" => &mut limit,
            "analyzer" if value.as_str() == Some(analyze::ANALYZER) => continue,
            "analyzer" => {
                return Err(Error::argument(
                    "InvalidArgumentValue",
                    format!("{procedure}: the only analyzer is '{}'", analyze::ANALYZER),
                ));
            }
            other => {
                return Err(Error::argument(
                    "InvalidArgumentValue",
                    format!("{procedure}: unknown option `{other}` (known: skip, limit)"),
                ));
            }
        };
        match value {
            Value::Int(n) if *n >= 0 => *target = usize::try_from(*n).unwrap_or(usize::MAX),
            Value::Null => {}
            other => {
                return Err(Error::argument(
                    "InvalidArgumentValue",
                    format!(
                        "{procedure}: `{key}` must be an integer of at least 0, got {}",
                        other.literal(None)
                    ),
                ));
            }
        }
    }
    Ok((skip, limit))
}

fn list_analyzers(_: &Ctx<'_>, _: &[Value]) -> Result<Vec<Row>> {
    Ok(vec![vec![
        Value::string(analyze::ANALYZER),
        Value::string(
            "Lower-cases, splits on anything not a letter or digit (each CJK ideograph is a \
             term), folds accents of Latin letters; no stop words.",
        ),
        Value::List(Vec::new().into()),
    ]])
}

fn await_refresh(_: &Ctx<'_>, _: &[Value]) -> Result<Vec<Row>> {
    Ok(Vec::new())
}
