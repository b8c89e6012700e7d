//! Reading and atomically writing whole files, with I/O failures turned
//! into clear [`Error`]s.

use std::fs::{self, File};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use super::MAX_PAYLOAD_LEN;
use super::header::{self, MAX_HEADER_LEN};
use crate::error::{Error, ErrorClass, Result};

pub(crate) fn io_error(code: &'static str, path: &Path, what: &str, e: std::io::Error) -> Error {
    Error::new(
        ErrorClass::IoError,
        code,
        format!("cannot {what} {}: {e}", path.display()),
    )
}

/// Reads a snapshot file whole, after checking that it is a regular file
/// and that its header's length matches its size (so nothing is allocated
/// beyond what the file holds).
pub fn read_file(path: &Path) -> Result<Vec<u8>> {
    let meta = fs::metadata(path).map_err(|e| io_error("ReadFailed", path, "read", e))?;
    if meta.is_dir() {
        return Err(Error::new(
            ErrorClass::IoError,
            "IsADirectory",
            format!("{} is a directory, not a snapshot", path.display()),
        ));
    }
    if !meta.is_file() {
        return Err(Error::new(
            ErrorClass::IoError,
            "NotAFile",
            format!("{} is not a regular file", path.display()),
        ));
    }
    let mut file = File::open(path).map_err(|e| io_error("ReadFailed", path, "open", e))?;
    let mut head = Vec::with_capacity(MAX_HEADER_LEN);
    (&mut file)
        .take(MAX_HEADER_LEN as u64)
        .read_to_end(&mut head)
        .map_err(|e| io_error("ReadFailed", path, "read", e))?;
    let parsed = header::parse(&head)?;
    let size = meta.len();
    let available = size.saturating_sub(parsed.len() as u64);
    header::check_length(&parsed, available)?;
    if parsed.payload_len > MAX_PAYLOAD_LEN {
        return Err(header::format_error(
            "TooLarge",
            format!(
                "the snapshot's payload ({} bytes) exceeds the 4 GiB limit",
                parsed.payload_len
            ),
        ));
    }
    let total = parsed.len() as u64 + parsed.payload_len;
    let mut bytes = Vec::with_capacity(total as usize);
    bytes.extend_from_slice(&head);
    // Read at most one byte more than announced, to notice a growing file.
    (&mut file)
        .take(total.saturating_sub(head.len() as u64) + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| io_error("ReadFailed", path, "read", e))?;
    Ok(bytes)
}

fn temp_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(format!(".tmp-{}", std::process::id()));
    path.with_file_name(name)
}

/// Syncs the folder holding `path`, so a rename in it is durable.
pub(crate) fn sync_parent(path: &Path) -> Result<()> {
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    File::open(parent)
        .and_then(|d| d.sync_all())
        .map_err(|e| io_error("SyncFailed", parent, "sync the folder", e))
}

/// Writes `bytes` to `path` atomically: a temporary file in the same
/// folder is written and synced, renamed over `path`, and the folder is
/// synced. A crash at any point leaves either the old or the new file.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    if path.is_dir() {
        return Err(Error::new(
            ErrorClass::IoError,
            "IsADirectory",
            format!("cannot save to {}: it is a directory", path.display()),
        ));
    }
    let tmp = temp_path(path);
    let written = (|| {
        let mut file = File::create(&tmp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        fs::rename(&tmp, path)
    })();
    if let Err(e) = written {
        let _ = fs::remove_file(&tmp);
        return Err(io_error("WriteFailed", path, "write", e));
    }
    sync_parent(path)
}
