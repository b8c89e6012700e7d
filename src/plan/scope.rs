//! Variable scopes: which names are visible and in which row slot each lives.

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
        self.vars.iter().rev().find(|v| v.name == name)
    }

    /// Declares a new variable in a fresh slot.
    pub fn declare(&mut self, name: &str, kind: VarKind) -> Slot {
        let slot = self.fresh_slot();
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
        self.vars.truncate(mark);
    }

    /// Every visible variable, anonymous ones too, in declaration order.
    pub fn all(&self) -> &[Var] {
        &self.vars
    }

    /// The named (not anonymous) visible variables, without shadowed ones,
    /// in declaration order.
    pub fn named(&self) -> Vec<Var> {
        let mut out: Vec<Var> = Vec::new();
        for var in &self.vars {
            if var.name.starts_with(' ') {
                continue;
            }
            out.retain(|v| v.name != var.name);
            out.push(var.clone());
        }
        out
    }
}
