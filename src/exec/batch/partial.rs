//! The groups one scan (or one morsel of it) found, in first-seen order,
//! each with one typed state per aggregate call.

use super::accum::{Kind, State};
use super::keys::KeyVal;

/// Groups by key, in first-seen order, with their states.
#[derive(Debug, Default)]
pub struct Partial {
    /// The key of each group.
    pub keys: Vec<KeyVal>,
    /// `states[g * calls + c]` is call `c`'s state in group `g`.
    pub states: Vec<State>,
    /// Bytes counted against the memory limit for these groups.
    pub held: u64,
}

impl Partial {
    /// Adds a group with empty states for `kinds`; returns its index.
    pub fn push(&mut self, key: KeyVal, kinds: &[Kind]) -> u32 {
        self.keys.push(key);
        self.states.extend(kinds.iter().map(|k| State::new(*k)));
        (self.keys.len() - 1) as u32
    }
}
