//! The fixed header in front of a snapshot's payload (little-endian):
//!
//! | version | layout                                                        |
//! |---------|---------------------------------------------------------------|
//! | 3, 2    | magic[8] version:u32 flags:u32 payload_len:u64 crc32:u32 (28 B) |
//! | 1       | magic[8] version:u32 payload_len:u64 crc32:u32 (24 B)          |

use crate::error::{Error, ErrorClass, Result};

/// The first eight bytes of every snapshot.
pub const MAGIC: [u8; 8] = *b"KGQSNAP\0";
/// The format version this kgq writes.
pub const CURRENT_VERSION: u32 = 3;
/// Header length of format versions 2 and 3.
pub const HEADER_LEN_V2: usize = 28;
/// Header length of format version 1.
pub const HEADER_LEN_V1: usize = 24;
/// The longest header of any known version.
pub const MAX_HEADER_LEN: usize = HEADER_LEN_V2;

/// A parsed header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Header {
    /// Format version (1, 2 or 3).
    pub version: u32,
    /// Flag bits (always 0 in version 1; see [`FLAG_SCHEMA`]).
    pub flags: u32,
    /// Length of the payload that follows the header.
    pub payload_len: u64,
    /// CRC-32 (IEEE, as zlib computes it) of the payload.
    pub crc32: u32,
}

impl Header {
    /// How many bytes this header takes.
    pub fn len(&self) -> usize {
        if self.version == 1 {
            HEADER_LEN_V1
        } else {
            HEADER_LEN_V2
        }
    }

    /// Whether the header is empty (never: headers have a fixed size).
    pub fn is_empty(&self) -> bool {
        false
    }
}

pub(crate) fn format_error(code: &'static str, message: impl Into<String>) -> Error {
    Error::new(ErrorClass::FormatError, code, message)
}

/// Flag bit: the payload's graph is followed by the graph's declared
/// indexes and constraints ([`crate::schema::Schema`], bincode).
pub const FLAG_SCHEMA: u32 = 1;

/// Flag bit: then come the graph's full-text index definitions
/// (`Vec<`[`crate::schema::fulltext::FulltextDef`]`>`, bincode).
pub const FLAG_FULLTEXT: u32 = 2;

/// Encodes a current-version header for `payload` with `flags`.
pub fn encode_v2(payload: &[u8], flags: u32) -> [u8; HEADER_LEN_V2] {
    let mut out = [0u8; HEADER_LEN_V2];
    out[0..8].copy_from_slice(&MAGIC);
    out[8..12].copy_from_slice(&CURRENT_VERSION.to_le_bytes());
    out[12..16].copy_from_slice(&flags.to_le_bytes());
    out[16..24].copy_from_slice(&(payload.len() as u64).to_le_bytes());
    out[24..28].copy_from_slice(&crc32fast::hash(payload).to_le_bytes());
    out
}

fn u32_at(bytes: &[u8], at: usize) -> Option<u32> {
    let b = bytes.get(at..at + 4)?;
    Some(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
}

fn u64_at(bytes: &[u8], at: usize) -> Option<u64> {
    let b = bytes.get(at..at + 8)?;
    let mut a = [0u8; 8];
    a.copy_from_slice(b);
    Some(u64::from_le_bytes(a))
}

/// Parses the header at the start of `bytes` (which may hold more than the
/// header). Checks magic, version and flags, not the payload.
pub fn parse(bytes: &[u8]) -> Result<Header> {
    if bytes.len() < MAGIC.len() || bytes[..MAGIC.len()] != MAGIC {
        if bytes.iter().all(|b| *b == 0) && !bytes.is_empty() {
            return Err(format_error(
                "BadMagic",
                "not a kgq snapshot: the file starts with zero bytes",
            ));
        }
        return Err(format_error(
            "BadMagic",
            "not a kgq snapshot (the file does not start with KGQSNAP)",
        ));
    }
    let version = u32_at(bytes, 8).ok_or_else(|| truncated_header(bytes.len()))?;
    match version {
        1 => {
            if bytes.len() < HEADER_LEN_V1 {
                return Err(truncated_header(bytes.len()));
            }
            Ok(Header {
                version,
                flags: 0,
                payload_len: u64_at(bytes, 12).unwrap_or_default(),
                crc32: u32_at(bytes, 20).unwrap_or_default(),
            })
        }
        2 | 3 => {
            if bytes.len() < HEADER_LEN_V2 {
                return Err(truncated_header(bytes.len()));
            }
            let flags = u32_at(bytes, 12).unwrap_or_default();
            if flags & !(FLAG_SCHEMA | FLAG_FULLTEXT) != 0 {
                return Err(format_error(
                    "UnsupportedFlags",
                    format!("the snapshot uses flags this kgq does not know ({flags:#x})"),
                ));
            }
            Ok(Header {
                version,
                flags,
                payload_len: u64_at(bytes, 16).unwrap_or_default(),
                crc32: u32_at(bytes, 24).unwrap_or_default(),
            })
        }
        v if v > CURRENT_VERSION => Err(format_error(
            "NewerVersion",
            format!(
                "the snapshot was written by a newer kgq (format {v}; this kgq reads up to {CURRENT_VERSION})"
            ),
        )),
        v => Err(format_error(
            "UnknownVersion",
            format!("unknown snapshot format version {v}"),
        )),
    }
}

fn truncated_header(len: usize) -> Error {
    format_error(
        "Truncated",
        format!("the snapshot is truncated: only {len} bytes, shorter than its header"),
    )
}

/// Checks that `available` payload bytes match the header's length.
pub fn check_length(header: &Header, available: u64) -> Result<()> {
    if header.payload_len > available {
        return Err(format_error(
            "Truncated",
            format!(
                "the snapshot is truncated: the header announces {} payload bytes but only {} follow",
                header.payload_len, available
            ),
        ));
    }
    if header.payload_len < available {
        return Err(format_error(
            "TrailingBytes",
            format!(
                "the snapshot has {} unexpected bytes after its payload",
                available - header.payload_len
            ),
        ));
    }
    Ok(())
}

/// Whether `payload` matches the header's checksum.
pub fn checksum_ok(header: &Header, payload: &[u8]) -> bool {
    crc32fast::hash(payload) == header.crc32
}

/// The error for a payload whose checksum does not match.
pub fn bad_checksum(header: &Header, payload: &[u8]) -> Error {
    format_error(
        "BadChecksum",
        format!(
            "the snapshot is damaged: its checksum does not match (stored {:#010x}, computed {:#010x})",
            header.crc32,
            crc32fast::hash(payload)
        ),
    )
}
