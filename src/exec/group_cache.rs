//! Group lookup by entity ids: when every grouping key is an entity in a
//! slot or a property of one (`o.name, c.name`), the keys are a function
//! of those entities, so the aggregation can find a row's group from the
//! entity ids alone (ENGINE.md §1.6, key dependency). The first row of a
//! combination of entities computes its keys and finds or creates its group
//! as usual; later rows with the same entities hash a few integers instead
//! of reading and hashing property values. Groups stay keyed by value, so
//! two entities with equal keys still share one group.
//!
//! Nothing writes while an aggregation reads its input, so an entity's
//! properties cannot change between two rows of one aggregation.

use rustc_hash::FxHashMap;

use crate::plan::Expr;
use crate::value::Value;

/// The most distinct slots the keys may read for the cache to apply.
const MAX_SLOTS: usize = 4;

/// Entity ids of one row, one per slot the keys read (tagged so a node
/// and a relationship with the same number differ).
pub type EntityIds = [u64; MAX_SLOTS];

/// Bytes one cached entry is counted as against the memory limit.
pub const ENTRY_BYTES: u64 = (std::mem::size_of::<EntityIds>() + 16) as u64;

/// Whether an aggregation grouped by `keys` can find groups by entity ids.
pub fn entity_keyed(keys: &[Expr]) -> bool {
    EntityGroups::for_keys(keys).is_some()
}

/// A map from the entities a row's keys read to the row's group.
pub struct EntityGroups {
    slots: Vec<usize>,
    map: FxHashMap<EntityIds, usize>,
    last: Option<(EntityIds, usize)>,
    lookups: u64,
}

/// Rows looked up before [`EntityGroups::pays`] judges the hit rate.
const TRIAL_ROWS: u64 = 512;

impl EntityGroups {
    /// A cache for `keys`, or `None` when some key is not an entity slot or
    /// a property of one, or there are no keys, or the keys read more than
    /// [`MAX_SLOTS`] slots.
    pub fn for_keys(keys: &[Expr]) -> Option<EntityGroups> {
        let mut slots = Vec::new();
        for key in keys {
            let slot = match key {
                Expr::Slot(s) => *s,
                Expr::Property(target, _, _) => match **target {
                    Expr::Slot(s) => s,
                    _ => return None,
                },
                _ => return None,
            };
            if !slots.contains(&slot) {
                slots.push(slot);
            }
        }
        (!slots.is_empty() && slots.len() <= MAX_SLOTS).then(|| EntityGroups {
            slots,
            map: FxHashMap::default(),
            last: None,
            lookups: 0,
        })
    }

    /// The entity ids `row` holds in the key slots, or `None` when one of
    /// them holds something else (null, a map, ...): such a row takes the
    /// general path.
    pub fn ids(&self, row: &[Value]) -> Option<EntityIds> {
        let mut ids = [0u64; MAX_SLOTS];
        for (out, slot) in ids.iter_mut().zip(&self.slots) {
            *out = match row.get(*slot)? {
                Value::Node(n) => u64::from(n.0) | 1 << 32,
                Value::Relationship(r) => u64::from(r.0) | 2 << 32,
                _ => return None,
            };
        }
        Some(ids)
    }

    /// The group of the entities `ids`, if one was recorded.
    pub fn get(&mut self, ids: &EntityIds) -> Option<usize> {
        self.lookups += 1;
        if let Some((last, group)) = &self.last
            && last == ids
        {
            return Some(*group);
        }
        let group = *self.map.get(ids)?;
        self.last = Some((*ids, group));
        Some(group)
    }

    /// Whether the cache saves work: false once at least [`TRIAL_ROWS`]
    /// rows were looked up and at least half of them were misses (each row
    /// a new entity, as when grouping a label scan by a property), where
    /// the cache only adds an insert per row.
    pub fn pays(&self) -> bool {
        self.lookups < TRIAL_ROWS || (self.map.len() as u64) * 2 < self.lookups
    }

    /// The entries recorded.
    pub fn entries(&self) -> usize {
        self.map.len()
    }

    /// Records that rows with the entities `ids` belong to `group`.
    pub fn insert(&mut self, ids: EntityIds, group: usize) {
        self.map.insert(ids, group);
        self.last = Some((ids, group));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::{EdgeId, KeyId, NodeId};

    fn prop(slot: usize) -> Expr {
        Expr::Property(Box::new(Expr::Slot(slot)), KeyId(0), "name".into())
    }

    #[test]
    fn applies_only_to_entity_keys() {
        assert!(EntityGroups::for_keys(&[prop(0), Expr::Slot(1)]).is_some());
        assert!(EntityGroups::for_keys(&[]).is_none());
        assert!(EntityGroups::for_keys(&[prop(0), Expr::Const(Value::Int(1))]).is_none());
        let five: Vec<Expr> = (0..5).map(prop).collect();
        assert!(EntityGroups::for_keys(&five).is_none());
    }

    #[test]
    fn finds_recorded_groups_and_skips_non_entities() {
        let mut cache = EntityGroups::for_keys(&[prop(0), prop(1)]).unwrap();
        let row_a = vec![Value::Node(NodeId(1)), Value::Node(NodeId(2))];
        let row_b = vec![Value::Node(NodeId(1)), Value::Relationship(EdgeId(2))];
        let a = cache.ids(&row_a).unwrap();
        let b = cache.ids(&row_b).unwrap();
        assert_ne!(a, b);
        assert_eq!(cache.get(&a), None);
        cache.insert(a, 7);
        cache.insert(b, 3);
        assert_eq!(cache.get(&a), Some(7));
        assert_eq!(cache.get(&b), Some(3));
        assert_eq!(cache.ids(&[Value::Null, Value::Node(NodeId(2))]), None);
    }

    #[test]
    fn stops_paying_when_most_rows_miss() {
        let mut cache = EntityGroups::for_keys(&[prop(0)]).unwrap();
        for n in 0..TRIAL_ROWS as u32 {
            let ids = cache.ids(&[Value::Node(NodeId(n / 4))]).unwrap();
            if cache.get(&ids).is_none() {
                cache.insert(ids, 0);
            }
        }
        assert!(cache.pays(), "three rows in four hit");
        let mut cache = EntityGroups::for_keys(&[prop(0)]).unwrap();
        for n in 0..TRIAL_ROWS as u32 {
            let ids = cache.ids(&[Value::Node(NodeId(n))]).unwrap();
            assert!(cache.get(&ids).is_none());
            cache.insert(ids, 0);
            assert_eq!(cache.entries(), n as usize + 1);
        }
        assert!(!cache.pays(), "every row missed");
    }
}
