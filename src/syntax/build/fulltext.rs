//! Building `CREATE FULLTEXT INDEX …` (the grammar's `create_fulltext`).

use super::{Builder, Kids, ident, internal, schema_properties, span_of};
use crate::error::{Result, Span};
use crate::syntax::ast::{Expr, SchemaCommand};
use crate::syntax::grammar::Rule;

impl Builder<'_> {
    /// `CREATE FULLTEXT INDEX …` (see the grammar's `create_fulltext`).
    pub(super) fn create_fulltext(&self, mut kids: Kids, span: Span) -> Result<SchemaCommand> {
        kids.expect(Rule::kw_create)?;
        kids.expect(Rule::kw_fulltext)?;
        kids.expect(Rule::kw_indexes)?;
        let name = match kids.take(Rule::schema_object_name) {
            Some(n) => Some(ident(&Kids::of(n).expect(Rule::schema_name)?)),
            None => None,
        };
        let if_not_exists = kids.flag(Rule::if_not_exists);
        kids.expect(Rule::kw_for)?;
        let (relationships, target) = match kids.take(Rule::fulltext_nodes) {
            Some(t) => (false, t),
            None => (true, kids.expect(Rule::fulltext_relationships)?),
        };
        let mut variable = None;
        let mut tokens = Vec::new();
        for kid in target.into_inner() {
            match kid.as_rule() {
                Rule::variable => variable = Some(ident(&kid)),
                Rule::schema_name => tokens.push(ident(&kid)),
                _ => {}
            }
        }
        let variable = variable.ok_or_else(|| internal(span, "FOR without a variable"))?;
        kids.expect(Rule::kw_on)?;
        kids.expect(Rule::kw_each)?;
        let properties = schema_properties(&mut kids, &variable, span)?;
        let options = if kids.flag(Rule::kw_options) {
            let map = kids.expect(Rule::map_literal)?;
            let span = span_of(&map);
            Some(Expr {
                kind: self.map_literal(map)?,
                span,
            })
        } else {
            None
        };
        Ok(SchemaCommand::CreateFulltext {
            name,
            relationships,
            tokens,
            properties,
            options,
            if_not_exists,
        })
    }
}
