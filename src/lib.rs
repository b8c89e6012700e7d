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
//!
//! For use from other programs: [`snapshot`] saves and loads whole graphs
//! (format in `docs/snapshot-format.md`), [`store`] keeps a graph durable
//! with a write-ahead journal, [`open`] opens either read-only, [`rows`]
//! gives typed access to results, [`export`] and [`import`] write and read
//! Cypher, JSONL, GraphML and CSV (`docs/formats.md`), and [`Graph`] can be walked and built
//! in code (`node_labels`, `node_property`, `neighbors`, `add_node_with`,
//! `add_relationship_with`, …).
#![forbid(unsafe_code)]
#![warn(missing_docs)]

#[cfg(feature = "arrow")]
pub mod arrow;
pub mod bundled;
pub mod database;
pub mod diff;
pub mod error;
pub mod exec;
pub mod export;
pub mod graph;
pub mod import;
pub mod notify;
pub mod plan;
pub mod procedures;
pub mod provenance;
pub mod resolve;
pub mod rows;
pub mod schema;
#[cfg(feature = "server")]
pub mod server;
pub mod session;
pub mod snapshot;
pub mod store;
pub mod syntax;
pub mod valid_time;
pub mod value;

pub use database::{AccessMode, Database, RunOptions, Transaction};
pub use error::{Error, ErrorClass, Result, Span};
pub use exec::{CancelHandle, Stats};
pub use graph::{Direction, EdgeId, Graph, NodeId};
pub use notify::Notification;
pub use rows::{FromValue, RowRef};
pub use session::{QueryResult, Session};
pub use store::{OpenOptions, Store, open};
pub use value::Value;
