//! Surface syntax: statement text → AST with spans, using the pest grammar
//! in `grammar/kgq.pest`. Nothing else in kgq reads the grammar.

pub mod ast;
mod build;
mod depth;
mod grammar;
pub mod lex;
pub mod print;
mod script;

pub use build::parse_statement;
pub use depth::{MAX_NESTING, MAX_PREFIX_OPERATORS};
pub use print::{print_expr, print_statement};
pub use script::{ScriptChunk, split_script};
