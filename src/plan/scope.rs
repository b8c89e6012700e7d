//! Variable scopes: which names are visible and in which row slot each lives.

use std::collections::HashMap;

use super::Slot;

/// What kind of value a variable holds, as far as the binder knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VarKind {
    /// A node.
    Node,
    /// A single relationship.
    Relationship,
    /// The list of relationships of a variable-length pattern.
    RelationshipList,
    /// A path.
    Path,
    /// A value that is certainly not a node, relationship or path
    /// (a literal, an arithmetic result, a list …).
    Scalar,
    /// A value that certainly has no properties: a number, boolean, string
    /// or list.
    NoProperties,
    /// Anything else.
    Value,
}

/// One visible variable.
#[derive(Debug, Clone)]
pub struct Var {
    /// Its name (anonymous pattern parts get names starting with a space).
    pub name: String,
    /// Its slot.
    pub slot: Slot,
    /// Its kind.
    pub kind: VarKind,
}

/// The variables of one query part (between projections) and the width of
/// its rows.
#[derive(Debug, Clone, Default)]
pub struct Scope {
    vars: Vec<Var>,
    /// Where each name is declared in `vars`, innermost last (so lookups
    /// stay fast in projections of many thousand columns).
    index: HashMap<String, Vec<usize>>,
    /// How many slots rows of this scope have.
    pub width: usize,
}

impl Scope {
    /// A scope whose first slots hold `vars` (in order).
    pub fn with_vars(vars: Vec<(String, VarKind)>) -> Scope {
        let mut scope = Scope::default();
        for (name, kind) in vars {
            scope.declare(&name, kind);
        }
        scope
    }

    /// The variable called `name`, innermost first.
    pub fn get(&self, name: &str) -> Option<&Var> {
        let at = *self.index.get(name)?.last()?;
        self.vars.get(at)
    }

    /// Declares a new variable in a fresh slot.
    pub fn declare(&mut self, name: &str, kind: VarKind) -> Slot {
        let slot = self.fresh_slot();
        self.index
            .entry(name.to_string())
            .or_default()
            .push(self.vars.len());
        self.vars.push(Var {
            name: name.to_string(),
            slot,
            kind,
        });
        slot
    }

    /// A slot no variable uses.
    pub fn fresh_slot(&mut self) -> Slot {
        self.width += 1;
        self.width - 1
    }

    /// Marks how many variables are visible, to restore later with [`Scope::truncate`].
    pub fn mark(&self) -> usize {
        self.vars.len()
    }

    /// Forgets variables declared after `mark` (slots stay allocated).
    pub fn truncate(&mut self, mark: usize) {
        while self.vars.len() > mark {
            let Some(var) = self.vars.pop() else { break };
            if let Some(places) = self.index.get_mut(&var.name) {
                places.pop();
                if places.is_empty() {
                    self.index.remove(&var.name);
                }
            }
        }
    }

    /// Every visible variable, anonymous ones too, in declaration order.
    pub fn all(&self) -> &[Var] {
        &self.vars
    }

    /// The named (not anonymous) visible variables, without shadowed ones,
    /// in declaration order.
    pub fn named(&self) -> Vec<Var> {
        self.vars
            .iter()
            .enumerate()
            .filter(|(i, var)| {
                !var.name.starts_with(' ')
                    && self.index.get(&var.name).and_then(|p| p.last()) == Some(i)
            })
            .map(|(_, var)| var.clone())
            .collect()
    }
}
