//! The relationship types beside an adjacency array, in the narrowest
//! unsigned width that holds the highest type id: a byte each while a
//! graph has at most 256 types, as most have.

use std::ops::Range;

/// Type ids in one width.
#[derive(Debug, Clone)]
pub(super) enum Tags {
    U8(Vec<u8>),
    U16(Vec<u16>),
    U32(Vec<u32>),
}

impl Default for Tags {
    fn default() -> Self {
        Tags::U8(Vec::new())
    }
}

/// A borrowed run of type ids (a node's list, sorted ascending).
#[derive(Debug, Clone, Copy)]
pub(super) enum TagSlice<'a> {
    U8(&'a [u8]),
    U16(&'a [u16]),
    U32(&'a [u32]),
}

impl Tags {
    /// `types` in the narrowest width that holds them all.
    pub(super) fn from_types<I>(types: I) -> Tags
    where
        I: Iterator<Item = u32> + Clone,
    {
        let max = types.clone().max().unwrap_or(0);
        // The casts cannot truncate: every id is at most `max`.
        if max <= u32::from(u8::MAX) {
            Tags::U8(types.map(|t| t as u8).collect())
        } else if max <= u32::from(u16::MAX) {
            Tags::U16(types.map(|t| t as u16).collect())
        } else {
            Tags::U32(types.collect())
        }
    }

    /// The tags of `range` (within bounds).
    pub(super) fn slice(&self, range: Range<usize>) -> TagSlice<'_> {
        match self {
            Tags::U8(v) => TagSlice::U8(&v[range]),
            Tags::U16(v) => TagSlice::U16(&v[range]),
            Tags::U32(v) => TagSlice::U32(&v[range]),
        }
    }

    /// Bytes held on the heap.
    pub(super) fn heap_bytes(&self) -> usize {
        match self {
            Tags::U8(v) => v.capacity(),
            Tags::U16(v) => v.capacity() * 2,
            Tags::U32(v) => v.capacity() * 4,
        }
    }
}

/// Where type `t` runs in ascending `tags`.
fn run<T: Copy + Into<u32>>(tags: &[T], t: u32) -> Range<usize> {
    let start = tags.partition_point(|x| (*x).into() < t);
    let end = start + tags[start..].partition_point(|x| (*x).into() == t);
    start..end
}

impl TagSlice<'_> {
    /// The type at `i` (within bounds).
    pub(super) fn get(self, i: usize) -> u32 {
        match self {
            TagSlice::U8(s) => u32::from(s[i]),
            TagSlice::U16(s) => u32::from(s[i]),
            TagSlice::U32(s) => s[i],
        }
    }

    /// The positions holding type `t` (empty where it would go if none).
    pub(super) fn range(self, t: u32) -> Range<usize> {
        match self {
            TagSlice::U8(s) => run(s, t),
            TagSlice::U16(s) => run(s, t),
            TagSlice::U32(s) => run(s, t),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_width_follows_the_highest_type() {
        for (types, width) in [
            (vec![0, 3, 255], 1),
            (vec![1, 256], 2),
            (vec![7, 65_535], 2),
            (vec![65_536], 4),
            (vec![], 1),
        ] {
            let tags = Tags::from_types(types.iter().copied());
            let bytes = match &tags {
                Tags::U8(_) => 1,
                Tags::U16(_) => 2,
                Tags::U32(_) => 4,
            };
            assert_eq!(bytes, width, "{types:?}");
            let slice = tags.slice(0..types.len());
            for (i, t) in types.iter().enumerate() {
                assert_eq!(slice.get(i), *t);
                assert_eq!(slice.range(*t), i..i + 1);
            }
        }
    }

    #[test]
    fn a_missing_type_has_an_empty_run_in_place() {
        let tags = Tags::from_types([1u32, 1, 4, 9].into_iter());
        let s = tags.slice(0..4);
        assert_eq!(s.range(1), 0..2);
        assert_eq!(s.range(3), 2..2);
        assert_eq!(s.range(300), 4..4);
        assert_eq!(s.range(0), 0..0);
    }
}
