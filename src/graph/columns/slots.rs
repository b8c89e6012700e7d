//! Where each element's row is: per element id, its table and row, packed
//! into 4 bytes while the tables and rows fit (a few tables, rows below
//! 2^28: every graph that fits in memory today), or 8 bytes otherwise.

/// An element's table and row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Slot {
    pub(super) table: u32,
    pub(super) row: u32,
}

/// The free mark of the packed form (no table and row packs to it).
const FREE: u32 = u32::MAX;

/// Table bits of a new packed set: 16 tables, rows below 2^28.
const START_TABLE_BITS: u32 = 4;

/// Per element id, its slot or nothing; never longer than one past the
/// highest element with a slot.
#[derive(Debug, Clone)]
pub(super) enum Slots {
    /// `table << (32 - table_bits) | row`, or [`FREE`]; `max_row` is the
    /// highest row ever stored (repacking must keep every row).
    Packed {
        slots: Vec<u32>,
        table_bits: u32,
        max_row: u32,
    },
    /// Unpacked, once a table or row no longer fits in 4 bytes.
    Wide(Vec<Option<Slot>>),
}

impl Default for Slots {
    fn default() -> Self {
        Slots::Packed {
            slots: Vec::new(),
            table_bits: START_TABLE_BITS,
            max_row: 0,
        }
    }
}

/// `slot` packed with `table_bits` bits of table, if it fits.
fn pack(slot: Slot, table_bits: u32) -> Option<u32> {
    let row_bits = 32 - table_bits;
    let packed = (u64::from(slot.table) << row_bits) | u64::from(slot.row);
    let fits = u64::from(slot.table) < (1u64 << table_bits)
        && u64::from(slot.row) < (1u64 << row_bits)
        && packed < u64::from(FREE);
    fits.then_some(packed as u32)
}

fn unpack(packed: u32, table_bits: u32) -> Option<Slot> {
    if packed == FREE {
        return None;
    }
    let row_bits = 32 - table_bits;
    let row_mask = ((1u64 << row_bits) - 1) as u32;
    Some(Slot {
        table: ((u64::from(packed)) >> row_bits) as u32,
        row: packed & row_mask,
    })
}

impl Slots {
    /// `count` free slots.
    pub(super) fn free(count: usize) -> Slots {
        Slots::Packed {
            slots: vec![FREE; count],
            table_bits: START_TABLE_BITS,
            max_row: 0,
        }
    }

    /// How many ids are covered.
    pub(super) fn len(&self) -> usize {
        match self {
            Slots::Packed { slots, .. } => slots.len(),
            Slots::Wide(slots) => slots.len(),
        }
    }

    /// Element `id`'s slot.
    pub(super) fn get(&self, id: u32) -> Option<Slot> {
        match self {
            Slots::Packed {
                slots, table_bits, ..
            } => unpack(*slots.get(id as usize)?, *table_bits),
            Slots::Wide(slots) => *slots.get(id as usize)?,
        }
    }

    /// The table of the element with the highest id, if it has a slot.
    pub(super) fn last_table(&self) -> Option<u32> {
        self.len()
            .checked_sub(1)
            .and_then(|i| self.get(i as u32))
            .map(|s| s.table)
    }

    /// Gives element `id` its slot, covering ids up to it.
    pub(super) fn set(&mut self, id: u32, slot: Slot) {
        let i = id as usize;
        if self.len() <= i {
            match self {
                Slots::Packed { slots, .. } => slots.resize(i + 1, FREE),
                Slots::Wide(slots) => slots.resize(i + 1, None),
            }
        }
        if let Slots::Packed {
            slots,
            table_bits,
            max_row,
        } = self
        {
            if let Some(packed) = pack(slot, *table_bits) {
                slots[i] = packed;
                *max_row = (*max_row).max(slot.row);
                return;
            }
            // More table bits if that keeps every row, else unpacked.
            let bits = (32 - slot.table.leading_zeros() + 1).max(*table_bits);
            let high = Slot {
                table: 0,
                row: (*max_row).max(slot.row),
            };
            if bits < 32 && pack(slot, bits).is_some() && pack(high, bits).is_some() {
                let old = *table_bits;
                for s in slots.iter_mut() {
                    if let Some(unpacked) = unpack(*s, old) {
                        *s = pack(unpacked, bits).unwrap_or(FREE);
                    }
                }
                *table_bits = bits;
                self.set(id, slot);
                return;
            }
            let wide = slots.iter().map(|s| unpack(*s, *table_bits)).collect();
            *self = Slots::Wide(wide);
        }
        if let Slots::Wide(slots) = self {
            slots[i] = Some(slot);
        }
    }

    /// Moves element `id`'s slot (which exists) to `row` of its table.
    pub(super) fn set_row(&mut self, id: u32, row: u32) {
        if let Some(slot) = self.get(id) {
            self.set(id, Slot { row, ..slot });
        }
    }

    /// Frees element `id`'s slot; drops trailing free slots.
    pub(super) fn clear(&mut self, id: u32) {
        match self {
            Slots::Packed { slots, .. } => {
                if let Some(s) = slots.get_mut(id as usize) {
                    *s = FREE;
                }
                while slots.last() == Some(&FREE) {
                    slots.pop();
                }
            }
            Slots::Wide(slots) => {
                if let Some(s) = slots.get_mut(id as usize) {
                    *s = None;
                }
                while slots.last() == Some(&None) {
                    slots.pop();
                }
            }
        }
    }

    /// Drops trailing free slots and gives back spare capacity.
    pub(super) fn shrink_to_fit(&mut self) {
        if let Some(last) = self.len().checked_sub(1) {
            if self.get(last as u32).is_none() {
                self.clear(last as u32);
            }
        }
        match self {
            Slots::Packed { slots, .. } => slots.shrink_to_fit(),
            Slots::Wide(slots) => slots.shrink_to_fit(),
        }
    }

    /// Bytes held on the heap.
    pub(super) fn heap_bytes(&self) -> usize {
        match self {
            Slots::Packed { slots, .. } => slots.capacity() * 4,
            Slots::Wide(slots) => slots.capacity() * std::mem::size_of::<Option<Slot>>(),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use proptest::prelude::*;

    use super::*;

    #[test]
    fn tables_past_the_packed_bits_repack_then_unpack() {
        let mut s = Slots::default();
        s.set(3, Slot { table: 1, row: 9 });
        s.set(0, Slot { table: 40, row: 2 });
        assert!(matches!(s, Slots::Packed { table_bits: 7, .. }));
        assert_eq!(s.get(3), Some(Slot { table: 1, row: 9 }));
        assert_eq!(s.get(0), Some(Slot { table: 40, row: 2 }));
        assert_eq!(s.get(1), None);
        s.set(
            1,
            Slot {
                table: 2,
                row: u32::MAX - 1,
            },
        );
        assert!(matches!(s, Slots::Wide(_)));
        assert_eq!(s.get(0), Some(Slot { table: 40, row: 2 }));
        assert_eq!(
            s.get(1),
            Some(Slot {
                table: 2,
                row: u32::MAX - 1
            })
        );
        s.clear(3);
        assert_eq!(s.len(), 2);
    }

    fn slot() -> impl Strategy<Value = Slot> {
        let table = prop_oneof![0..20u32, Just(1 << 20), Just(u32::MAX - 1)];
        let row = prop_oneof![0..100u32, Just(1 << 27), Just(1 << 29), Just(u32::MAX)];
        (table, row).prop_map(|(table, row)| Slot { table, row })
    }

    proptest! {
        /// Sets, row moves and clears read back as a map would hold them.
        #[test]
        fn slots_match_a_map(ops in prop::collection::vec((0..40u32, prop::option::of(slot()), any::<bool>()), 1..80)) {
            let mut slots = Slots::default();
            let mut model: BTreeMap<u32, Slot> = BTreeMap::new();
            for (id, op, move_row) in ops {
                match op {
                    Some(s) if move_row && model.contains_key(&id) => {
                        slots.set_row(id, s.row);
                        model.get_mut(&id).unwrap().row = s.row;
                    }
                    Some(s) => {
                        slots.set(id, s);
                        model.insert(id, s);
                    }
                    None => {
                        slots.clear(id);
                        model.remove(&id);
                    }
                }
                let len = model.keys().next_back().map_or(0, |k| *k as usize + 1);
                prop_assert_eq!(slots.len(), len);
                for i in 0..45 {
                    prop_assert_eq!(slots.get(i), model.get(&i).copied());
                }
            }
            slots.shrink_to_fit();
            let len = model.keys().next_back().map_or(0, |k| *k as usize + 1);
            prop_assert_eq!(slots.len(), len);
        }
    }
}
