//! Binding `CALL proc(args) [YIELD …] [WHERE …]` and `SHOW …`: the
//! procedure is looked up in the registry, its arguments are checked
//! against its signature, and each yielded column gets a slot.

use std::sync::Arc;

use super::bind::Binder;
use super::scope::VarKind;
use super::{Expr, Step};
use crate::error::{Error, ErrorClass, Result, Span};
use crate::procedures::{Procedure, Type, show};
use crate::syntax::ast::{self, Ident, Yields};

/// Where a CALL clause stands in its query.
#[derive(Debug, Clone, Copy)]
pub(super) struct CallPlace {
    /// The query is this clause alone: it may omit YIELD (every output is
    /// returned) or write `YIELD *`, and take implicit arguments.
    pub standalone: bool,
    /// The clause is the last of the query.
    pub last: bool,
}

impl Binder<'_> {
    /// Plans a procedure call; for a standalone call, returns the result
    /// columns (the steps then end with their projection).
    pub(super) fn bind_call(
        &mut self,
        call: &ast::ProcedureCall,
        place: CallPlace,
        steps: &mut Vec<Step>,
        span: Span,
    ) -> Result<Option<Vec<String>>> {
        let procedure = match call.show {
            Some(what) => Arc::new(
                show::procedure(what, &self.options.procedures, &self.graph)
                    .map_err(|e| e.at(span))?,
            ),
            None => self
                .options
                .procedures
                .get(&call.name.name)
                .cloned()
                .ok_or_else(|| {
                    self.options
                        .procedures
                        .not_found(&call.name.name)
                        .at(call.name.span)
                })?,
        };
        if place.last && !place.standalone && !procedure.outputs.is_empty() {
            return Err(Error::syntax(
                "InvalidClauseComposition",
                "a query cannot end with CALL … YIELD: add a RETURN clause",
            )
            .at(span));
        }
        let args = self.bind_call_args(call, &procedure, place)?;
        let fields = self.yielded_fields(call, &procedure, place, span)?;
        let mut yields = Vec::new();
        let mut columns = Vec::new();
        for (index, variable) in &fields {
            let kind = match procedure.outputs[*index].ty {
                Type::Node => VarKind::Node,
                Type::Relationship => VarKind::Relationship,
                Type::Path => VarKind::Path,
                _ => VarKind::Value,
            };
            let slot = self.declare_new(variable, kind)?;
            yields.push((*index, slot));
            columns.push((variable.name.clone(), slot));
        }
        steps.push(Step::ProcedureCall {
            procedure: procedure.clone(),
            args,
            yields,
        });
        if let Some(predicate) = &call.where_ {
            let predicate = self.bind_expr(predicate)?;
            steps.push(Step::Filter(predicate));
        }
        if !place.standalone {
            return Ok(None);
        }
        if call.yields.is_none()
            && let Some(n) = procedure.default_outputs
        {
            columns.truncate(n);
        }
        steps.push(Step::Project(
            columns.iter().map(|(_, slot)| Expr::Slot(*slot)).collect(),
        ));
        Ok(Some(columns.into_iter().map(|(name, _)| name).collect()))
    }

    /// One bound argument per input of `procedure`.
    fn bind_call_args(
        &mut self,
        call: &ast::ProcedureCall,
        procedure: &Procedure,
        place: CallPlace,
    ) -> Result<Vec<Expr>> {
        let name = &call.name;
        let Some(written) = &call.args else {
            return self.implicit_args(name, procedure, place);
        };
        let (least, most) = (procedure.required_inputs(), procedure.inputs.len());
        if written.len() < least || written.len() > most {
            let expected = if least == most {
                format!("{most}")
            } else {
                format!("{least} to {most}")
            };
            return Err(Error::syntax(
                "InvalidNumberOfArguments",
                format!(
                    "procedure `{}` takes {expected} argument(s), got {}: {}",
                    procedure.name,
                    written.len(),
                    procedure.signature()
                ),
            )
            .at(name.span));
        }
        let mut args = Vec::new();
        for (i, param) in procedure.inputs.iter().enumerate() {
            let arg = match written.get(i) {
                Some(expr) => {
                    let bound = self.bind_expr(expr)?;
                    if let Expr::Const(value) = &bound
                        && !param.ty.accepts(value)
                    {
                        return Err(Error::syntax(
                            "InvalidArgumentType",
                            format!(
                                "procedure `{}` expects {} for `{}`, got {}",
                                procedure.name,
                                param.ty,
                                param.name,
                                value.type_name()
                            ),
                        )
                        .at(expr.span));
                    }
                    bound
                }
                None => Expr::Const(param.default.clone().unwrap_or_default()),
            };
            args.push(arg);
        }
        Ok(args)
    }

    /// `CALL proc` without parentheses: each input from the parameter of
    /// its name (standalone calls only).
    fn implicit_args(
        &mut self,
        name: &Ident,
        procedure: &Procedure,
        place: CallPlace,
    ) -> Result<Vec<Expr>> {
        if procedure.inputs.is_empty() {
            return Ok(Vec::new());
        }
        if !place.standalone {
            return Err(Error::syntax(
                "InvalidArgumentPassingMode",
                format!(
                    "procedure `{}` takes arguments: inside a query they must be written \
                     in parentheses",
                    procedure.name
                ),
            )
            .at(name.span));
        }
        procedure
            .inputs
            .iter()
            .map(|param| {
                let value = match (self.param(&param.name), &param.default) {
                    (Some(v), _) => v.clone(),
                    (None, Some(default)) => default.clone(),
                    (None, None) => {
                        return Err(Error::new(
                            ErrorClass::ParameterMissing,
                            "MissingParameter",
                            format!(
                                "procedure `{}` was called without arguments, so it needs the \
                                 parameter `${}`",
                                procedure.name, param.name
                            ),
                        )
                        .at(name.span));
                    }
                };
                if !param.ty.accepts(&value) {
                    return Err(Error::syntax(
                        "InvalidArgumentType",
                        format!(
                            "procedure `{}` expects {} for `{}`, got {}",
                            procedure.name,
                            param.ty,
                            param.name,
                            value.type_name()
                        ),
                    )
                    .at(name.span));
                }
                Ok(Expr::Const(value))
            })
            .collect()
    }

    /// The outputs to bind: their indexes and the variables they go to.
    fn yielded_fields(
        &self,
        call: &ast::ProcedureCall,
        procedure: &Procedure,
        place: CallPlace,
        span: Span,
    ) -> Result<Vec<(usize, Ident)>> {
        let every = || {
            procedure
                .outputs
                .iter()
                .enumerate()
                .map(|(i, f)| {
                    (
                        i,
                        Ident {
                            name: f.name.clone(),
                            span,
                        },
                    )
                })
                .collect()
        };
        match &call.yields {
            None if place.standalone || call.show.is_some() || procedure.outputs.is_empty() => {
                Ok(every())
            }
            None => Err(Error::syntax(
                "MissingYield",
                format!(
                    "a call of `{}` inside a query must name the columns it uses with YIELD \
                     (its outputs: {})",
                    procedure.name,
                    output_names(procedure)
                ),
            )
            .at(span)),
            Some(Yields::Star) if place.standalone || call.show.is_some() => Ok(every()),
            Some(Yields::Star) => Err(Error::syntax(
                "UnexpectedSyntax",
                "YIELD * is only allowed when CALL is the whole query: name the columns",
            )
            .at(span)),
            Some(Yields::Items(items)) => items
                .iter()
                .map(|item| {
                    let index = procedure
                        .outputs
                        .iter()
                        .position(|f| f.name == item.field.name)
                        .ok_or_else(|| {
                            Error::syntax(
                                "UnknownProcedureOutput",
                                format!(
                                    "procedure `{}` has no output `{}` (its outputs: {})",
                                    procedure.name.trim(),
                                    item.field.name,
                                    output_names(procedure)
                                ),
                            )
                            .at(item.field.span)
                        })?;
                    Ok((index, item.variable().clone()))
                })
                .collect(),
        }
    }
}

fn output_names(procedure: &Procedure) -> String {
    procedure
        .outputs
        .iter()
        .map(|f| f.name.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}
