//! A growable bitmap (validity of column rows, and boolean column data).
//!
//! Hand-written rather than `fixedbitset`: columns need `push` and
//! `swap_remove`, which that crate does not offer, and this is 60 lines.

/// Bits in 64-bit words; bit `i` of the map is bit `i % 64` of word `i / 64`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Bitmap {
    words: Vec<u64>,
    len: usize,
}

impl Bitmap {
    /// Gives back spare capacity (after a bulk load).
    pub fn shrink_to_fit(&mut self) {
        self.words.shrink_to_fit();
    }
    /// `len` bits, all clear.
    pub fn zeros(len: usize) -> Bitmap {
        Bitmap {
            words: vec![0; len.div_ceil(64)],
            len,
        }
    }
    /// How many bits.
    pub fn len(&self) -> usize {
        self.len
    }
    /// Whether there are no bits.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
    /// Bit `i` (false past the end).
    pub fn get(&self, i: usize) -> bool {
        i < self.len && self.words[i / 64] & (1 << (i % 64)) != 0
    }
    /// Sets bit `i` (which must exist) to `on`.
    pub fn set(&mut self, i: usize, on: bool) {
        debug_assert!(i < self.len);
        let mask = 1u64 << (i % 64);
        if on {
            self.words[i / 64] |= mask;
        } else {
            self.words[i / 64] &= !mask;
        }
    }
    /// Appends a bit.
    pub fn push(&mut self, on: bool) {
        if self.len % 64 == 0 {
            self.words.push(0);
        }
        self.len += 1;
        self.set(self.len - 1, on);
    }
    /// Moves the last bit to `i` and drops the last position.
    pub fn swap_remove(&mut self, i: usize) {
        let last = self.len - 1;
        let bit = self.get(last);
        self.set(i, bit);
        self.set(last, false);
        self.len = last;
        self.words.truncate(self.len.div_ceil(64));
    }
    /// How many bits are set.
    pub fn count_ones(&self) -> usize {
        self.words.iter().map(|w| w.count_ones() as usize).sum()
    }
    /// Bytes held on the heap.
    pub fn heap_bytes(&self) -> usize {
        self.words.capacity() * 8
    }
    /// The 64-bit words (bits past [`Bitmap::len`] are clear).
    pub fn words(&self) -> &[u64] {
        &self.words
    }
    /// A bitmap of `len` bits taken from `words` (as [`Bitmap::words`]
    /// gives them); `None` when the word count does not fit `len`. Bits
    /// past `len` are cleared.
    pub fn from_words(mut words: Vec<u64>, len: usize) -> Option<Bitmap> {
        if words.len() != len.div_ceil(64) {
            return None;
        }
        if let Some(last) = words.last_mut()
            && len % 64 != 0
        {
            *last &= (1u64 << (len % 64)) - 1;
        }
        Some(Bitmap { words, len })
    }
}
