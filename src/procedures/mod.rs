//! Procedures: named operations that take arguments and give rows, called
//! with `CALL name(args) YIELD …` (see [`crate::plan`] for the binding and
//! [`crate::exec`] for the call).
//!
//! A [`Registry`] holds them with their signatures. Every session starts
//! with the built-ins ([`Registry::with_builtins`]): the `db.*` and
//! `dbms.*` procedures Neo4j users call ([`builtin`], [`schema`]) and
//! kgq's own for entity search, resolution and sources ([`kg`]), and
//! `db.index.fulltext.*` ([`fulltext`]). Programs
//! (and the TCK runner) add their own with [`crate::Session::register_procedure`],
//! either as Rust functions or as fixed tables ([`Procedure::table`]).
//! `SHOW PROCEDURES | FUNCTIONS` are answered from the registry ([`show`]).

mod builtin;
mod fulltext;
mod kg;
mod schema;
pub mod show;
mod types;

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

pub use types::{Type, parse_type};

use crate::error::{Error, ErrorClass, Result};
use crate::exec::{Ctx, Row};
use crate::value::Value;

/// The code of a native procedure: the call's context and its arguments
/// (already checked against the signature) to the output rows, each as
/// wide as the signature's outputs.
pub type NativeFn = fn(&Ctx<'_>, &[Value]) -> Result<Vec<Row>>;

/// One input of a procedure.
#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    /// Its name (implicit arguments are taken from parameters of this name).
    pub name: String,
    /// Its type.
    pub ty: Type,
    /// The value used when the argument is left out.
    pub default: Option<Value>,
}

/// One output column of a procedure.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// Its name (what YIELD names).
    pub name: String,
    /// Its type.
    pub ty: Type,
}

/// How a procedure computes its rows.
#[derive(Clone)]
pub enum Body {
    /// Rust code.
    Native(NativeFn),
    /// A fixed table: each row holds the inputs then the outputs; a call
    /// gives the outputs of the rows whose inputs equal its arguments
    /// (`null` equal to `null`).
    Table(Vec<Row>),
}

impl fmt::Debug for Body {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Body::Native(_) => f.write_str("Native"),
            Body::Table(rows) => write!(f, "Table({} rows)", rows.len()),
        }
    }
}

/// A procedure: its signature, a description and its code.
#[derive(Debug, Clone)]
pub struct Procedure {
    /// The dotted name, e.g. `db.labels`.
    pub name: String,
    /// Its inputs in order.
    pub inputs: Vec<Param>,
    /// Its output columns in order.
    pub outputs: Vec<Field>,
    /// One line saying what it does.
    pub description: String,
    /// How many leading outputs a standalone call without YIELD returns
    /// (all of them unless set; `SHOW` commands show fewer by default).
    pub default_outputs: Option<usize>,
    /// Its code.
    pub body: Body,
}

impl PartialEq for Procedure {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name
    }
}

impl Procedure {
    /// A procedure from its signature text, e.g.
    /// `test.my.proc(name :: STRING?, id :: INTEGER?) :: (city :: STRING?)`
    /// (`:: VOID` for none), with `body` as its code.
    pub fn from_signature(signature: &str, description: &str, body: Body) -> Result<Procedure> {
        let (name, inputs, outputs) = parse_signature(signature)?;
        Ok(Procedure {
            name,
            inputs: inputs
                .into_iter()
                .map(|f| Param {
                    name: f.name,
                    ty: f.ty,
                    default: None,
                })
                .collect(),
            outputs,
            description: description.to_string(),
            default_outputs: None,
            body,
        })
    }

    /// A procedure that answers from a fixed table (see [`Body::Table`]);
    /// each row must hold one value per input then one per output.
    pub fn table(signature: &str, rows: Vec<Row>) -> Result<Procedure> {
        let procedure = Procedure::from_signature(signature, "", Body::Table(Vec::new()))?;
        let width = procedure.inputs.len() + procedure.outputs.len();
        if let Some(bad) = rows.iter().find(|r| r.len() != width) {
            return Err(Error::argument(
                "InvalidProcedureTable",
                format!(
                    "a row of procedure `{}` has {} values, its signature needs {width}",
                    procedure.name,
                    bad.len()
                ),
            ));
        }
        Ok(Procedure {
            body: Body::Table(rows),
            ..procedure
        })
    }

    /// How many arguments must be given (inputs without a default).
    pub fn required_inputs(&self) -> usize {
        self.inputs.iter().filter(|p| p.default.is_none()).count()
    }

    /// The signature as `SHOW PROCEDURES` prints it.
    pub fn signature(&self) -> String {
        let fields = |fields: Vec<(&str, &Type)>| {
            fields
                .iter()
                .map(|(n, t)| format!("{n} :: {t}"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let inputs = self
            .inputs
            .iter()
            .map(|p| match &p.default {
                Some(d) => format!("{} = {} :: {}", p.name, d.literal(None), p.ty),
                None => format!("{} :: {}", p.name, p.ty),
            })
            .collect::<Vec<_>>()
            .join(", ");
        if self.outputs.is_empty() {
            return format!("{}({inputs}) :: VOID", self.name);
        }
        let outputs = fields(
            self.outputs
                .iter()
                .map(|f| (f.name.as_str(), &f.ty))
                .collect(),
        );
        format!("{}({inputs}) :: ({outputs})", self.name)
    }

    /// Checks `args` (one per input, defaults filled in) against the
    /// signature and converts them where the language does (integer to
    /// float). A wrong type is `TypeError: InvalidArgumentType`.
    pub fn check_args(&self, args: Vec<Value>) -> Result<Vec<Value>> {
        args.into_iter()
            .zip(&self.inputs)
            .map(|(value, param)| {
                if param.ty.accepts(&value) {
                    Ok(param.ty.coerce(value))
                } else {
                    Err(Error::invalid_type(format!(
                        "procedure `{}` expects {} for `{}`, got {}",
                        self.name,
                        param.ty,
                        param.name,
                        value.type_name()
                    )))
                }
            })
            .collect()
    }

    /// Runs the procedure with checked arguments.
    pub fn call(&self, ctx: &Ctx<'_>, args: &[Value]) -> Result<Vec<Row>> {
        match &self.body {
            Body::Native(f) => f(ctx, args),
            Body::Table(rows) => {
                let n = self.inputs.len();
                Ok(rows
                    .iter()
                    .filter(|row| {
                        row[..n].iter().zip(args).all(|(a, b)| match (a, b) {
                            (Value::Null, Value::Null) => true,
                            _ => a.equals(b) == Some(true),
                        })
                    })
                    .map(|row| row[n..].to_vec())
                    .collect())
            }
        }
    }
}

/// Procedures by name.
#[derive(Debug, Clone, Default)]
pub struct Registry {
    procedures: BTreeMap<String, Arc<Procedure>>,
}

impl Registry {
    /// A registry with no procedure at all.
    pub fn empty() -> Registry {
        Registry::default()
    }

    /// The built-in procedures.
    pub fn with_builtins() -> Registry {
        let mut registry = Registry::empty();
        for procedure in builtin::all()
            .into_iter()
            .chain(schema::all())
            .chain(kg::all())
            .chain(fulltext::all())
        {
            registry.register(procedure);
        }
        registry
    }

    /// Adds `procedure`, replacing one of the same name.
    pub fn register(&mut self, procedure: Procedure) {
        self.procedures
            .insert(procedure.name.clone(), Arc::new(procedure));
    }

    /// The procedure called `name` (exactly, else ignoring case).
    pub fn get(&self, name: &str) -> Option<&Arc<Procedure>> {
        self.procedures.get(name).or_else(|| {
            self.procedures
                .iter()
                .find(|(n, _)| n.eq_ignore_ascii_case(name))
                .map(|(_, p)| p)
        })
    }

    /// Every procedure, by name.
    pub fn iter(&self) -> impl Iterator<Item = &Arc<Procedure>> {
        self.procedures.values()
    }

    /// `ProcedureError: ProcedureNotFound` for `name`, suggesting names
    /// that share its namespace.
    pub fn not_found(&self, name: &str) -> Error {
        let prefix = name.rsplit_once('.').map_or("", |(p, _)| p);
        let near: Vec<&str> = self
            .procedures
            .keys()
            .filter(|n| !prefix.is_empty() && n.starts_with(prefix))
            .map(String::as_str)
            .take(5)
            .collect();
        let hint = if near.is_empty() {
            "SHOW PROCEDURES lists them".to_string()
        } else {
            format!("did you mean {}?", near.join(", "))
        };
        Error::new(
            ErrorClass::ProcedureError,
            "ProcedureNotFound",
            format!("there is no procedure `{name}`: {hint}"),
        )
    }
}

/// The hidden procedure a `SHOW` command calls.
pub fn show_procedure_name(what: crate::syntax::ast::Show) -> &'static str {
    use crate::syntax::ast::Show;
    match what {
        Show::Procedures => " show procedures",
        Show::Functions(_) => " show functions",
        Show::Indexes => " show indexes",
        Show::Constraints => " show constraints",
    }
}

/// Parses `name(in :: T, …) :: (out :: T, …)` or `name(…) :: VOID`.
fn parse_signature(text: &str) -> Result<(String, Vec<Field>, Vec<Field>)> {
    let bad = |why: &str| {
        Error::argument(
            "InvalidProcedureSignature",
            format!("procedure signature `{text}`: {why}"),
        )
    };
    let open = text.find('(').ok_or_else(|| bad("no `(`"))?;
    let name = text[..open].trim().to_string();
    if name.is_empty() {
        return Err(bad("no name"));
    }
    let close = text[open..]
        .find(')')
        .map(|i| open + i)
        .ok_or_else(|| bad("no `)`"))?;
    let inputs = parse_fields(&text[open + 1..close]).ok_or_else(|| bad("bad inputs"))?;
    let rest = text[close + 1..]
        .trim()
        .strip_prefix("::")
        .ok_or_else(|| bad("no `::` before the outputs"))?
        .trim();
    if rest.eq_ignore_ascii_case("VOID") {
        return Ok((name, inputs, Vec::new()));
    }
    let rest = rest.trim_end_matches(':').trim();
    let body = rest
        .strip_prefix('(')
        .and_then(|r| r.strip_suffix(')'))
        .ok_or_else(|| bad("outputs must be in parentheses"))?;
    let outputs = parse_fields(body).ok_or_else(|| bad("bad outputs"))?;
    Ok((name, inputs, outputs))
}

/// `a :: T, b :: U` (empty text = no fields).
fn parse_fields(text: &str) -> Option<Vec<Field>> {
    if text.trim().is_empty() {
        return Some(Vec::new());
    }
    text.split(',')
        .map(|part| {
            let (name, ty) = part.split_once("::")?;
            let name = name.trim();
            if name.is_empty() {
                return None;
            }
            Some(Field {
                name: name.to_string(),
                ty: parse_type(ty)?,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures_parse_and_print() {
        let p = Procedure::table(
            "test.my.proc(name :: STRING?, id :: INTEGER?) :: (city :: STRING?, n :: LIST? OF INTEGER?):",
            vec![],
        )
        .unwrap();
        assert_eq!(p.name, "test.my.proc");
        assert_eq!(p.inputs.len(), 2);
        assert_eq!(p.outputs[1].ty, Type::List(Box::new(Type::Integer)));
        assert_eq!(
            p.signature(),
            "test.my.proc(name :: STRING, id :: INTEGER) :: (city :: STRING, n :: LIST<INTEGER>)"
        );
        let void = Procedure::table("test.doNothing() :: VOID", vec![]).unwrap();
        assert!(void.outputs.is_empty());
        assert!(Procedure::table("nope", vec![]).is_err());
        assert!(Procedure::table("p(x :: WHAT) :: (y :: INTEGER)", vec![]).is_err());
    }

    #[test]
    fn table_rows_must_fit_the_signature() {
        let err = Procedure::table(
            "p(x :: INTEGER) :: (y :: INTEGER)",
            vec![vec![Value::Int(1)]],
        );
        assert_eq!(err.unwrap_err().code, "InvalidProcedureTable");
    }

    #[test]
    fn builtins_are_registered() {
        let registry = Registry::with_builtins();
        for name in [
            "db.labels",
            "db.relationshipTypes",
            "db.propertyKeys",
            "db.schema.visualization",
            "db.schema.nodeTypeProperties",
            "db.schema.relTypeProperties",
            "dbms.components",
            "kgq.find",
            "kgq.resolve",
            "kgq.sources",
        ] {
            assert!(registry.get(name).is_some(), "{name} missing");
        }
        assert_eq!(registry.get("DB.LABELS").unwrap().name, "db.labels");
        let err = registry.not_found("db.lables");
        assert!(err.message.contains("db.labels"), "{}", err.message);
    }
}
