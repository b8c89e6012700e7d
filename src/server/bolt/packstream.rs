//! PackStream, Bolt's binary value format: every marker (null, booleans,
//! the four integer widths, floats, bytes, strings, lists, maps and
//! structures in their tiny, 8-, 16- and 32-bit size forms), encoded and
//! decoded. Decoding is bounded: a declared length larger than the bytes
//! that remain, nesting deeper than [`MAX_DEPTH`] or trailing bytes are
//! errors, never allocations or recursion without end.

use std::fmt;

/// The deepest nesting of lists, maps and structures a message may have.
pub const MAX_DEPTH: usize = 64;

/// One PackStream value.
#[derive(Debug, Clone, PartialEq)]
pub enum Pack {
    /// `C0`.
    Null,
    /// `C2` / `C3`.
    Bool(bool),
    /// Tiny int or `C8`–`CB`.
    Int(i64),
    /// `C1` and 8 bytes.
    Float(f64),
    /// `CC`–`CE`.
    Bytes(Vec<u8>),
    /// `8x`, `D0`–`D2`.
    String(String),
    /// `9x`, `D4`–`D6`.
    List(Vec<Pack>),
    /// `Ax`, `D8`–`DA`; keys in the order they came.
    Map(Vec<(String, Pack)>),
    /// `Bx` and a tag byte.
    Struct(u8, Vec<Pack>),
}

impl Pack {
    /// A string value.
    pub fn str(s: &str) -> Pack {
        Pack::String(s.to_string())
    }

    /// The value under `key`, if this is a map that has it.
    pub fn get(&self, key: &str) -> Option<&Pack> {
        match self {
            Pack::Map(entries) => entries.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// The string inside, if this is a string.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Pack::String(s) => Some(s),
            _ => None,
        }
    }

    /// The integer inside, if this is an integer.
    pub fn as_int(&self) -> Option<i64> {
        match self {
            Pack::Int(i) => Some(*i),
            _ => None,
        }
    }
}

/// Why bytes are not PackStream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError {
    /// Byte offset where decoding stopped.
    pub at: usize,
    /// What was wrong.
    pub message: String,
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "bad PackStream at byte {}: {}", self.at, self.message)
    }
}

impl std::error::Error for DecodeError {}

/// Appends the encoding of `value` to `out`.
pub fn encode(value: &Pack, out: &mut Vec<u8>) {
    match value {
        Pack::Null => out.push(0xC0),
        Pack::Bool(false) => out.push(0xC2),
        Pack::Bool(true) => out.push(0xC3),
        Pack::Int(i) => encode_int(*i, out),
        Pack::Float(f) => {
            out.push(0xC1);
            out.extend_from_slice(&f.to_be_bytes());
        }
        Pack::Bytes(b) => {
            header(out, b.len(), None, [0xCC, 0xCD, 0xCE]);
            out.extend_from_slice(b);
        }
        Pack::String(s) => {
            header(out, s.len(), Some(0x80), [0xD0, 0xD1, 0xD2]);
            out.extend_from_slice(s.as_bytes());
        }
        Pack::List(items) => {
            header(out, items.len(), Some(0x90), [0xD4, 0xD5, 0xD6]);
            for item in items {
                encode(item, out);
            }
        }
        Pack::Map(entries) => {
            header(out, entries.len(), Some(0xA0), [0xD8, 0xD9, 0xDA]);
            for (k, v) in entries {
                header(out, k.len(), Some(0x80), [0xD0, 0xD1, 0xD2]);
                out.extend_from_slice(k.as_bytes());
                encode(v, out);
            }
        }
        Pack::Struct(tag, fields) => {
            // At most 15 fields: every Bolt structure has fewer.
            out.push(0xB0 | (fields.len().min(15) as u8));
            out.push(*tag);
            for field in fields.iter().take(15) {
                encode(field, out);
            }
        }
    }
}

fn encode_int(i: i64, out: &mut Vec<u8>) {
    if (-16..=127).contains(&i) {
        out.push(i as i8 as u8);
    } else if let Ok(v) = i8::try_from(i) {
        out.push(0xC8);
        out.push(v as u8);
    } else if let Ok(v) = i16::try_from(i) {
        out.push(0xC9);
        out.extend_from_slice(&v.to_be_bytes());
    } else if let Ok(v) = i32::try_from(i) {
        out.push(0xCA);
        out.extend_from_slice(&v.to_be_bytes());
    } else {
        out.push(0xCB);
        out.extend_from_slice(&i.to_be_bytes());
    }
}

/// A size marker: tiny (when `tiny` is given and `len < 16`), else 8-,
/// 16- or 32-bit. Lengths over `u32::MAX` cannot occur in Bolt messages
/// (they are capped far lower) and are clamped.
fn header(out: &mut Vec<u8>, len: usize, tiny: Option<u8>, sized: [u8; 3]) {
    match tiny {
        Some(base) if len < 16 => out.push(base | len as u8),
        _ if len <= 0xFF => {
            out.push(sized[0]);
            out.push(len as u8);
        }
        _ if len <= 0xFFFF => {
            out.push(sized[1]);
            out.extend_from_slice(&(len as u16).to_be_bytes());
        }
        _ => {
            out.push(sized[2]);
            out.extend_from_slice(&(len.min(u32::MAX as usize) as u32).to_be_bytes());
        }
    }
}

/// Decodes exactly one value that fills `bytes`.
pub fn decode(bytes: &[u8]) -> Result<Pack, DecodeError> {
    let mut reader = Reader { bytes, at: 0 };
    let value = reader.value(0)?;
    if reader.at != bytes.len() {
        return Err(reader.error(format!(
            "{} bytes follow the value",
            bytes.len() - reader.at
        )));
    }
    Ok(value)
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    fn error(&self, message: impl Into<String>) -> DecodeError {
        DecodeError {
            at: self.at,
            message: message.into(),
        }
    }

    fn take(&mut self, n: usize) -> Result<&[u8], DecodeError> {
        let end = self
            .at
            .checked_add(n)
            .filter(|e| *e <= self.bytes.len())
            .ok_or_else(|| self.error(format!("{n} bytes announced, fewer remain")))?;
        let out = &self.bytes[self.at..end];
        self.at = end;
        Ok(out)
    }

    fn byte(&mut self) -> Result<u8, DecodeError> {
        Ok(self.take(1)?[0])
    }

    fn be<const N: usize>(&mut self) -> Result<[u8; N], DecodeError> {
        let mut a = [0u8; N];
        a.copy_from_slice(self.take(N)?);
        Ok(a)
    }

    /// A size after a sized marker: 1, 2 or 4 bytes.
    fn size(&mut self, width: u8) -> Result<usize, DecodeError> {
        Ok(match width {
            0 => usize::from(self.byte()?),
            1 => usize::from(u16::from_be_bytes(self.be()?)),
            _ => u32::from_be_bytes(self.be()?) as usize,
        })
    }

    /// Refuses a count of items that cannot fit in what remains (each
    /// item takes at least one byte): no allocation follows a lie.
    fn count(&self, n: usize, per_item: usize) -> Result<usize, DecodeError> {
        let left = self.bytes.len() - self.at;
        if n.saturating_mul(per_item) > left {
            return Err(self.error(format!("{n} items announced, only {left} bytes remain")));
        }
        Ok(n)
    }

    fn string(&mut self, len: usize) -> Result<String, DecodeError> {
        let at = self.at;
        let bytes = self.take(len)?;
        String::from_utf8(bytes.to_vec()).map_err(|_| DecodeError {
            at,
            message: "a string is not UTF-8".into(),
        })
    }

    fn value(&mut self, depth: usize) -> Result<Pack, DecodeError> {
        let marker = self.byte()?;
        let nested = |r: &Self| {
            if depth >= MAX_DEPTH {
                Err(r.error(format!("values nest deeper than {MAX_DEPTH} levels")))
            } else {
                Ok(())
            }
        };
        Ok(match marker {
            0x00..=0x7F => Pack::Int(i64::from(marker)),
            0xF0..=0xFF => Pack::Int(i64::from(marker as i8)),
            0xC0 => Pack::Null,
            0xC2 => Pack::Bool(false),
            0xC3 => Pack::Bool(true),
            0xC1 => Pack::Float(f64::from_be_bytes(self.be()?)),
            0xC8 => Pack::Int(i64::from(i8::from_be_bytes(self.be()?))),
            0xC9 => Pack::Int(i64::from(i16::from_be_bytes(self.be()?))),
            0xCA => Pack::Int(i64::from(i32::from_be_bytes(self.be()?))),
            0xCB => Pack::Int(i64::from_be_bytes(self.be()?)),
            0xCC..=0xCE => {
                let len = self.size(marker - 0xCC)?;
                Pack::Bytes(self.take(len)?.to_vec())
            }
            0x80..=0x8F => self.string(usize::from(marker & 0x0F)).map(Pack::String)?,
            0xD0..=0xD2 => {
                let len = self.size(marker - 0xD0)?;
                Pack::String(self.string(len)?)
            }
            0x90..=0x9F | 0xD4..=0xD6 => {
                nested(self)?;
                let n = if marker < 0xA0 {
                    usize::from(marker & 0x0F)
                } else {
                    self.size(marker - 0xD4)?
                };
                let n = self.count(n, 1)?;
                let mut items = Vec::with_capacity(n);
                for _ in 0..n {
                    items.push(self.value(depth + 1)?);
                }
                Pack::List(items)
            }
            0xA0..=0xAF | 0xD8..=0xDA => {
                nested(self)?;
                let n = if marker < 0xB0 {
                    usize::from(marker & 0x0F)
                } else {
                    self.size(marker - 0xD8)?
                };
                let n = self.count(n, 2)?;
                let mut entries = Vec::with_capacity(n);
                for _ in 0..n {
                    let key = match self.value(depth + 1)? {
                        Pack::String(s) => s,
                        other => {
                            return Err(self.error(format!(
                                "a map key must be a string, not {}",
                                kind(&other)
                            )));
                        }
                    };
                    entries.push((key, self.value(depth + 1)?));
                }
                Pack::Map(entries)
            }
            0xB0..=0xBF => {
                nested(self)?;
                let n = self.count(usize::from(marker & 0x0F), 1)?;
                let tag = self.byte()?;
                let mut fields = Vec::with_capacity(n);
                for _ in 0..n {
                    fields.push(self.value(depth + 1)?);
                }
                Pack::Struct(tag, fields)
            }
            other => {
                self.at -= 1;
                return Err(self.error(format!("unknown marker byte 0x{other:02X}")));
            }
        })
    }
}

/// The PackStream type name of a value, for messages.
pub fn kind(value: &Pack) -> &'static str {
    match value {
        Pack::Null => "null",
        Pack::Bool(_) => "boolean",
        Pack::Int(_) => "integer",
        Pack::Float(_) => "float",
        Pack::Bytes(_) => "bytes",
        Pack::String(_) => "string",
        Pack::List(_) => "list",
        Pack::Map(_) => "map",
        Pack::Struct(..) => "structure",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round(value: Pack) -> Vec<u8> {
        let mut out = Vec::new();
        encode(&value, &mut out);
        assert_eq!(decode(&out).unwrap(), value, "round trip of {value:?}");
        out
    }

    #[test]
    fn integers_take_the_smallest_marker() {
        assert_eq!(round(Pack::Int(1)), [0x01]);
        assert_eq!(round(Pack::Int(-16)), [0xF0]);
        assert_eq!(round(Pack::Int(-17)), [0xC8, 0xEF]);
        assert_eq!(round(Pack::Int(128)), [0xC9, 0x00, 0x80]);
        assert_eq!(round(Pack::Int(40_000)), [0xCA, 0, 0, 0x9C, 0x40]);
        assert_eq!(round(Pack::Int(i64::MIN)).len(), 9);
        for i in [
            -129,
            127,
            -128,
            32_767,
            -32_768,
            i64::from(i32::MAX) + 1,
            i64::MAX,
        ] {
            round(Pack::Int(i));
        }
    }

    #[test]
    fn every_size_form_round_trips() {
        for n in [0usize, 15, 16, 255, 256, 65_535, 65_536] {
            round(Pack::String("x".repeat(n)));
            round(Pack::Bytes(vec![7; n]));
            round(Pack::List(vec![Pack::Null; n]));
        }
        for n in [0usize, 15, 16, 300] {
            let entries = (0..n)
                .map(|i| (format!("k{i}"), Pack::Int(i as i64)))
                .collect();
            round(Pack::Map(entries));
        }
        round(Pack::Float(-1.5));
        round(Pack::Bool(true));
        round(Pack::Struct(
            0x4E,
            vec![Pack::Int(1), Pack::List(vec![]), Pack::Map(vec![])],
        ));
        assert_eq!(round(Pack::str("é")), [0x82, 0xC3, 0xA9]);
    }

    #[test]
    fn hostile_bytes_are_errors() {
        // A 4 GiB string with three bytes behind it.
        assert!(decode(&[0xD2, 0xFF, 0xFF, 0xFF, 0xFF, b'a', b'b', b'c']).is_err());
        // A list announcing 2^32 - 1 items.
        assert!(decode(&[0xD6, 0xFF, 0xFF, 0xFF, 0xFF, 0xC0]).is_err());
        // A map announcing 65535 entries.
        assert!(decode(&[0xD9, 0xFF, 0xFF]).is_err());
        // Deep nesting.
        let deep = vec![0x91; 10_000];
        assert!(decode(&deep).unwrap_err().message.contains("nest"));
        // Unknown markers, truncated values, bad UTF-8, non-string keys.
        for bad in [
            &[0xC4][..],
            &[0xE0],
            &[0xC1, 0, 0],
            &[0x81, 0xFF],
            &[0xA1, 0x01, 0x01],
            &[0xB3, 0x4E, 0x01],
            &[0x01, 0x02],
            &[],
        ] {
            assert!(decode(bad).is_err(), "{bad:?}");
        }
    }
}
