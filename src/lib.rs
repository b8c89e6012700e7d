//! kgq: an embedded knowledge-graph store with a query language modelled on
//! openCypher.
//!
//! Data flows one way: text → [`syntax`] (AST with spans) → [`plan`] (bound,
//! then optimized) → [`exec`] (lazy operators over a [`Graph`]) → rows.
//! A [`Session`] owns a graph and runs statements against it:
//!
//! ```
//! let mut session = kgq::Session::new();
//! session.run("CREATE (:Country {name: 'Russia'})").unwrap();
//! let result = session.run("MATCH (c:Country) RETURN c.name AS name").unwrap();
//! assert_eq!(result.rows[0][0], kgq::Value::from("Russia"));
//! ```
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod bundled;
pub mod error;
pub mod exec;
pub mod graph;
pub mod import;
pub mod plan;
pub mod session;
pub mod syntax;
pub mod value;

pub use error::{Error, ErrorClass, Result, Span};
pub use exec::{CancelHandle, Stats};
pub use graph::Graph;
pub use session::{QueryResult, Session};
pub use value::Value;
