//! The pest parser generated from `grammar/kgq.pest`.

/// The generated parser; its `Rule` enum names every grammar rule.
#[derive(pest_derive::Parser)]
#[grammar = "../grammar/kgq.pest"]
pub struct KgqParser;
