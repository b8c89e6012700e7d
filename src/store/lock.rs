//! The lock file that keeps a second process from opening a store for
//! writing: `<store>.lock`, created atomically and holding the owner's pid.
//! A lock whose process no longer exists (checked in `/proc`) is stale and
//! taken over.

use std::fs;
use std::path::{Path, PathBuf};

use crate::error::{Error, ErrorClass, Result};
use crate::snapshot::file_io_error as io_error;

/// A held lock; dropping it removes the lock file.
#[derive(Debug)]
pub struct LockFile {
    path: PathBuf,
    pid: u32,
}

/// Whether process `pid` is running (a zombie counts as gone). Without
/// `/proc` every process is assumed to be running.
pub(crate) fn process_alive(pid: u32) -> bool {
    if !Path::new("/proc/self").exists() {
        return true;
    }
    match fs::read_to_string(format!("/proc/{pid}/stat")) {
        Ok(stat) => {
            // The state follows the command name in parentheses.
            let state = stat
                .rfind(')')
                .and_then(|i| stat[i + 1..].split_whitespace().next());
            !matches!(state, Some("Z") | Some("X"))
        }
        Err(_) => false,
    }
}

fn locked(path: &Path, holder: &str) -> Error {
    Error::new(
        ErrorClass::IoError,
        "StoreLocked",
        format!(
            "the store is already open for writing by {holder} (lock file {}); \
             open it read-only, or remove the lock file if no kgq uses the store",
            path.display()
        ),
    )
}

impl LockFile {
    /// Takes the lock at `path`, taking over a stale one.
    pub fn acquire(path: &Path) -> Result<LockFile> {
        let pid = std::process::id();
        let mut tmp = path.as_os_str().to_os_string();
        tmp.push(format!(".{pid}"));
        let tmp = PathBuf::from(tmp);
        fs::write(&tmp, format!("{pid}\n"))
            .map_err(|e| io_error("LockFailed", &tmp, "create the lock file", e))?;
        let result = Self::link(&tmp, path, pid);
        let _ = fs::remove_file(&tmp);
        result
    }

    fn link(tmp: &Path, path: &Path, pid: u32) -> Result<LockFile> {
        for _ in 0..2 {
            match fs::hard_link(tmp, path) {
                Ok(()) => {
                    return Ok(LockFile {
                        path: path.to_path_buf(),
                        pid,
                    });
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    let text = fs::read_to_string(path).unwrap_or_default();
                    match text.trim().parse::<u32>() {
                        Ok(owner) if owner == pid => {
                            return Err(locked(path, "this process"));
                        }
                        Ok(owner) if !process_alive(owner) => {
                            // Stale: its process is gone. Take it over.
                            let _ = fs::remove_file(path);
                        }
                        Ok(owner) => return Err(locked(path, &format!("process {owner}"))),
                        Err(_) => return Err(locked(path, "another process")),
                    }
                }
                Err(e) => return Err(io_error("LockFailed", path, "create the lock file", e)),
            }
        }
        Err(locked(path, "another process"))
    }
}

impl Drop for LockFile {
    fn drop(&mut self) {
        // Remove the lock only if it is still ours.
        let ours = fs::read_to_string(&self.path)
            .ok()
            .and_then(|t| t.trim().parse::<u32>().ok())
            == Some(self.pid);
        if ours {
            let _ = fs::remove_file(&self.path);
        }
    }
}
