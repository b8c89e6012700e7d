//! Printing the commands beyond openCypher's clauses: procedure calls,
//! `SHOW …` and schema commands.

use std::fmt::Write;

use super::{comma_separated, dotted, expr_at, name, variable, where_};
use crate::syntax::ast::Ident;

pub(super) fn schema_command(out: &mut String, cmd: &crate::syntax::ast::SchemaCommand) {
    use crate::schema::{ConstraintKind, IndexKind};
    use crate::syntax::ast::SchemaCommand;
    let target = |out: &mut String, label: &Ident, properties: &[Ident], parens: bool| {
        out.push_str(" FOR (n:");
        name(out, &label.name);
        out.push_str(if parens { ") ON (" } else { ") REQUIRE (" });
        comma_separated(out, properties, |o, p| {
            o.push_str("n.");
            name(o, &p.name);
        });
        out.push(')');
    };
    let head = |out: &mut String, what: &str, n: &Option<Ident>, if_not_exists: bool| {
        out.push_str(what);
        if let Some(n) = n {
            out.push(' ');
            name(out, &n.name);
        }
        if if_not_exists {
            out.push_str(" IF NOT EXISTS");
        }
    };
    match cmd {
        SchemaCommand::CreateIndex {
            name: n,
            kind,
            label,
            properties,
            if_not_exists,
        } => {
            let what = match kind {
                IndexKind::Range => "CREATE INDEX",
                IndexKind::Text => "CREATE TEXT INDEX",
            };
            head(out, what, n, *if_not_exists);
            target(out, label, properties, true);
        }
        SchemaCommand::CreateConstraint {
            name: n,
            kind,
            label,
            properties,
            if_not_exists,
        } => {
            head(out, "CREATE CONSTRAINT", n, *if_not_exists);
            target(out, label, properties, false);
            out.push_str(match kind {
                ConstraintKind::Unique => " IS UNIQUE",
                ConstraintKind::NotNull => " IS NOT NULL",
                ConstraintKind::NodeKey => " IS NODE KEY",
            });
        }
        SchemaCommand::CreateFulltext {
            name: n,
            relationships,
            tokens,
            properties,
            options,
            if_not_exists,
        } => {
            head(out, "CREATE FULLTEXT INDEX", n, *if_not_exists);
            out.push_str(if *relationships {
                " FOR ()-[e:"
            } else {
                " FOR (e:"
            });
            for (i, t) in tokens.iter().enumerate() {
                if i > 0 {
                    out.push('|');
                }
                name(out, &t.name);
            }
            out.push_str(if *relationships {
                "]-() ON EACH ["
            } else {
                ") ON EACH ["
            });
            comma_separated(out, properties, |o, p| {
                o.push_str("e.");
                name(o, &p.name);
            });
            out.push(']');
            if let Some(options) = options {
                out.push_str(" OPTIONS ");
                super::expr(out, options);
            }
        }
        SchemaCommand::Drop {
            constraint,
            name: n,
            if_exists,
        } => {
            out.push_str(if *constraint {
                "DROP CONSTRAINT "
            } else {
                "DROP INDEX "
            });
            name(out, &n.name);
            if *if_exists {
                out.push_str(" IF EXISTS");
            }
        }
    }
}

pub(super) fn procedure_call(out: &mut String, call: &crate::syntax::ast::ProcedureCall) {
    use crate::syntax::ast::{FunctionFilter, Show, Yields};
    match call.show {
        Some(show) => out.push_str(match show {
            Show::Procedures => "SHOW PROCEDURES",
            Show::Functions(FunctionFilter::All) => "SHOW FUNCTIONS",
            Show::Functions(FunctionFilter::BuiltIn) => "SHOW BUILT IN FUNCTIONS",
            Show::Functions(FunctionFilter::UserDefined) => "SHOW USER DEFINED FUNCTIONS",
            Show::Indexes => "SHOW INDEXES",
            Show::Constraints => "SHOW CONSTRAINTS",
        }),
        None => {
            let _ = write!(out, "CALL {}", dotted(&call.name.name));
            if let Some(args) = &call.args {
                out.push('(');
                comma_separated(out, args, |o, e| expr_at(o, e, 0));
                out.push(')');
            }
        }
    }
    match &call.yields {
        Some(Yields::Star) => out.push_str(" YIELD *"),
        Some(Yields::Items(items)) => {
            out.push_str(" YIELD ");
            comma_separated(out, items, |o, item| {
                name(o, &item.field.name);
                if let Some(alias) = &item.alias {
                    o.push_str(" AS ");
                    variable(o, &alias.name);
                }
            });
        }
        None => {}
    }
    where_(out, call.where_.as_ref());
}
