//! Pairing the elements of two graphs that share a key.

use std::collections::BTreeMap;

use super::{Changed, PropertyMap, property_changes};

/// What pairing found.
pub struct Paired<T> {
    /// Only in B.
    pub added: Vec<T>,
    /// Only in A.
    pub removed: Vec<T>,
    /// In both, with different properties.
    pub changed: Vec<Changed<T>>,
}

/// Pairs `a` with `b` by `key`: within a key, equal properties first, then
/// the pairs with the most equal properties; the rest are added or removed.
pub fn pair<T, K: Ord>(
    a: Vec<T>,
    b: Vec<T>,
    key: impl Fn(&T) -> K,
    props: impl Fn(&T) -> &PropertyMap,
) -> Paired<T> {
    let mut groups: BTreeMap<K, (Vec<T>, Vec<T>)> = BTreeMap::new();
    for x in a {
        groups.entry(key(&x)).or_default().0.push(x);
    }
    for y in b {
        groups.entry(key(&y)).or_default().1.push(y);
    }
    let mut out = Paired {
        added: Vec::new(),
        removed: Vec::new(),
        changed: Vec::new(),
    };
    for (_, (mut xs, mut ys)) in groups {
        // Equal properties: the same element, nothing to report.
        xs.retain(|x| {
            match ys
                .iter()
                .position(|y| property_changes(props(x), props(y)).is_empty())
            {
                Some(i) => {
                    ys.swap_remove(i);
                    false
                }
                None => true,
            }
        });
        // The rest: the closest pairs are changes.
        while !xs.is_empty() && !ys.is_empty() {
            let mut best = (0, 0, usize::MAX);
            for (i, x) in xs.iter().enumerate() {
                for (j, y) in ys.iter().enumerate() {
                    let n = property_changes(props(x), props(y)).len();
                    if n < best.2 {
                        best = (i, j, n);
                    }
                }
            }
            let x = xs.swap_remove(best.0);
            let y = ys.swap_remove(best.1);
            let changes = property_changes(props(&x), props(&y));
            out.changed.push(Changed {
                before: x,
                after: y,
                changes,
            });
        }
        out.removed.extend(xs);
        out.added.extend(ys);
    }
    out
}
