//! What the command-line tests share: the binary, and running it when it
//! must succeed.

use std::process::Output;

use assert_cmd::Command;

/// The `rtbench` binary built for these tests, ready for arguments.
pub fn rtbench() -> Command {
    Command::cargo_bin("rtbench").unwrap()
}

/// Runs `command`, asserts it exited 0 (showing its stderr when it did not),
/// and returns what it printed.
pub fn succeeds(command: &mut Command) -> Output {
    let out = command.output().unwrap();
    assert!(
        out.status.success(),
        "{:?} failed ({}):\n{}",
        command.get_program(),
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    out
}
