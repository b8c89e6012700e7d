//! The bundled example graph: the knowledge graph of a news article on
//! Chinese vehicle exports to Russia, as a query script compiled into kgq.

use crate::error::Result;
use crate::graph::Graph;
use crate::session::Session;

/// The script that builds the bundled graph.
pub const SCRIPT: &str = include_str!("../graphs/russia-china-vehicle-trade.kgq");

/// The file name the script has in the repository, for error messages.
pub const NAME: &str = "graphs/russia-china-vehicle-trade.kgq";

/// Builds the bundled graph.
pub fn graph() -> Result<Graph> {
    let mut session = Session::new();
    session.run_script(SCRIPT)?;
    Ok(session.into_graph())
}
