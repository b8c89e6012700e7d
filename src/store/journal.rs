//! The write-ahead journal next to a store's snapshot (`<store>.journal`).
//!
//! A 24-byte header — magic `KGQJRNL\0`, version u32 (1), reserved u32
//! (0), generation u64, little-endian — then one record per committed
//! statement: payload length u32, CRC-32 of the payload u32, and the
//! payload, the statement's [`Change`]s encoded like a snapshot payload
//! (bincode 2 standard configuration via serde). A record that runs past
//! the end of the file, or whose checksum fails and which ends exactly at
//! the end of the file, is a torn append from a crash and is dropped.

use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::{Error, ErrorClass, Result};
use crate::exec::Change;
use crate::snapshot::{file_io_error as io_error, sync_parent, write_atomic};

/// The first eight bytes of a journal.
pub const MAGIC: [u8; 8] = *b"KGQJRNL\0";
/// The journal format version.
pub const VERSION: u32 = 1;
/// Length of the journal header.
pub const HEADER_LEN: usize = 24;
const RECORD_HEADER_LEN: usize = 8;
const LIMIT: usize = 1 << 32;

fn damaged(message: String) -> Error {
    Error::new(ErrorClass::FormatError, "BadJournal", message)
}

/// What a journal file holds.
#[derive(Debug, Default)]
pub struct Contents {
    /// The generation it belongs to.
    pub generation: u64,
    /// Each committed statement's changes, in order.
    pub records: Vec<Vec<Change>>,
    /// How many records were replayed (set by the store).
    pub replayed: u64,
    /// Bytes up to the end of the last whole record.
    pub valid_len: u64,
    /// Whether a torn record follows `valid_len`.
    pub torn: bool,
}

fn header(generation: u64) -> [u8; HEADER_LEN] {
    let mut out = [0u8; HEADER_LEN];
    out[0..8].copy_from_slice(&MAGIC);
    out[8..12].copy_from_slice(&VERSION.to_le_bytes());
    out[16..24].copy_from_slice(&generation.to_le_bytes());
    out
}

fn le_u32(b: &[u8]) -> u32 {
    let mut a = [0u8; 4];
    a.copy_from_slice(&b[..4]);
    u32::from_le_bytes(a)
}

/// Reads the journal at `path`; `None` if there is none (or it is empty).
pub fn read(path: &Path) -> Result<Option<Contents>> {
    let bytes = match fs::read(path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(io_error("ReadFailed", path, "read the journal", e)),
    };
    if bytes.is_empty() {
        return Ok(None);
    }
    if bytes.len() < HEADER_LEN || bytes[0..8] != MAGIC {
        return Err(damaged(format!(
            "{} is not a kgq journal (bad header)",
            path.display()
        )));
    }
    let version = le_u32(&bytes[8..12]);
    if version != VERSION {
        return Err(damaged(format!(
            "the journal has format version {version}; this kgq reads {VERSION}"
        )));
    }
    let mut g = [0u8; 8];
    g.copy_from_slice(&bytes[16..24]);
    let mut contents = Contents {
        generation: u64::from_le_bytes(g),
        ..Contents::default()
    };
    let mut at = HEADER_LEN;
    while at < bytes.len() {
        let rest = &bytes[at..];
        if rest.len() < RECORD_HEADER_LEN {
            contents.torn = true;
            break;
        }
        let len = le_u32(&rest[0..4]) as usize;
        let crc = le_u32(&rest[4..8]);
        let Some(payload) = rest.get(RECORD_HEADER_LEN..RECORD_HEADER_LEN + len) else {
            contents.torn = true;
            break;
        };
        let end = at + RECORD_HEADER_LEN + len;
        if crc32fast::hash(payload) != crc {
            if end == bytes.len() {
                contents.torn = true;
                break;
            }
            return Err(damaged(format!(
                "the journal is damaged at byte {at} (checksum mismatch before its end)"
            )));
        }
        let config = bincode::config::standard().with_limit::<LIMIT>();
        let changes: Vec<Change> = match bincode::serde::decode_from_slice(payload, config) {
            Ok((c, used)) if used == payload.len() => c,
            _ => {
                return Err(damaged(format!(
                    "the journal record at byte {at} cannot be decoded"
                )));
            }
        };
        contents.records.push(changes);
        at = end;
    }
    contents.valid_len = at as u64;
    Ok(Some(contents))
}

/// A journal open for appending.
#[derive(Debug)]
pub struct Journal {
    path: PathBuf,
    file: File,
    len: u64,
    records: u64,
    broken: bool,
}

impl Journal {
    /// Replaces the journal at `path` with an empty one of `generation`,
    /// atomically.
    pub fn create(path: &Path, generation: u64) -> Result<Journal> {
        write_atomic(path, &header(generation))?;
        Self::open(path, HEADER_LEN as u64, 0)
    }

    /// Opens an existing journal for appending after its first `valid_len`
    /// bytes (anything after them — a torn record — is cut off).
    pub fn open(path: &Path, valid_len: u64, records: u64) -> Result<Journal> {
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .open(path)
            .map_err(|e| io_error("OpenFailed", path, "open the journal", e))?;
        let size = file
            .metadata()
            .map_err(|e| io_error("OpenFailed", path, "open the journal", e))?
            .len();
        if size != valid_len {
            file.set_len(valid_len)
                .and_then(|()| file.sync_all())
                .map_err(|e| io_error("WriteFailed", path, "repair the journal", e))?;
            sync_parent(path)?;
        }
        Ok(Journal {
            path: path.to_path_buf(),
            file,
            len: valid_len,
            records,
            broken: false,
        })
    }

    /// How many records the journal holds.
    pub fn records(&self) -> u64 {
        self.records
    }

    /// Appends one statement's changes and syncs them to disk. On failure
    /// the journal is cut back to where it was.
    pub fn append(&mut self, changes: &[Change]) -> Result<()> {
        if self.broken {
            return Err(Error::new(
                ErrorClass::IoError,
                "JournalBroken",
                "an earlier journal write failed and could not be undone; reopen the store",
            ));
        }
        let payload =
            bincode::serde::encode_to_vec(changes, bincode::config::standard()).map_err(|e| {
                Error::new(
                    ErrorClass::FormatError,
                    "EncodeFailed",
                    format!("cannot encode the statement's changes: {e}"),
                )
            })?;
        let len = u32::try_from(payload.len()).map_err(|_| {
            Error::new(
                ErrorClass::LimitExceeded,
                "StatementTooLarge",
                "the statement changed too much to journal at once (over 4 GiB)",
            )
        })?;
        let mut record = Vec::with_capacity(RECORD_HEADER_LEN + payload.len());
        record.extend_from_slice(&len.to_le_bytes());
        record.extend_from_slice(&crc32fast::hash(&payload).to_le_bytes());
        record.extend_from_slice(&payload);
        let written = (|| {
            use std::io::{Seek, SeekFrom};
            self.file.seek(SeekFrom::Start(self.len))?;
            self.file.write_all(&record)?;
            self.file.sync_data()
        })();
        if let Err(e) = written {
            self.broken = self.file.set_len(self.len).is_err();
            return Err(io_error(
                "WriteFailed",
                &self.path,
                "append to the journal",
                e,
            ));
        }
        self.len += record.len() as u64;
        self.records += 1;
        Ok(())
    }
}
