//! Helpers shared by the tests that drive the real `kgq` binary.
// Each test crate uses its own subset of these helpers.
#![allow(dead_code)]

use std::path::Path;
use std::process::Command;

use assert_cmd::cargo::CommandCargoExt;

/// The `kgq` binary cargo built, with colour off.
pub fn kgq() -> Command {
    let mut cmd = Command::cargo_bin("kgq").expect("the kgq binary is built by cargo test");
    cmd.env("NO_COLOR", "1");
    cmd
}

/// Runs `kgq ARGS…` to the end: (exit code, stdout, stderr).
pub fn run(args: &[&str]) -> (i32, String, String) {
    let out = kgq().args(args).output().expect("kgq runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A temporary path as the `&str` a command line takes.
pub fn path_str(p: &Path) -> &str {
    p.to_str().expect("a UTF-8 temporary path")
}
