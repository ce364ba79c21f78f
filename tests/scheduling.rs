//! The scheduling workloads from the command line: `list` shows the group,
//! and a bad size is refused before anything runs, in one line, with exit 2.

mod common;

use common::{rtbench, succeeds};

/// Runs rtbench with `args`; expects exit 2 and exactly one line on stderr,
/// an error naming `flag`.
fn refused_in_one_line(args: &[&str], flag: &str) {
    let out = rtbench().args(args).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
    assert_eq!(stderr.lines().count(), 1, "{args:?}: {stderr}");
    assert!(
        stderr.starts_with("error:") && stderr.contains(flag),
        "{args:?}: {stderr}"
    );
}

#[test]
fn bad_scheduling_sizes_are_refused_in_one_line_with_exit_2() {
    let run =
        |more: &[&'static str]| [&["run", "--runtimes", "tokio", "--workloads"], more].concat();
    refused_in_one_line(
        &run(&["fan-in", "--senders", "9", "--ops", "8"]),
        "--senders",
    );
    refused_in_one_line(
        &run(&["yield", "--in-flight", "9", "--ops", "8"]),
        "--in-flight",
    );
    refused_in_one_line(
        &run(&["ping-pong", "--in-flight", "9", "--ops", "8"]),
        "--in-flight",
    );
    refused_in_one_line(
        &run(&["mutex", "--in-flight", "9", "--ops", "8"]),
        "--in-flight",
    );
    refused_in_one_line(
        &run(&["fairness", "--in-flight", "9", "--ops", "8"]),
        "--in-flight",
    );
    refused_in_one_line(&run(&["fairness", "--latency-ms", "0"]), "--latency-ms");
}

/// A value that is not a size at all is clap's refusal: its first line names
/// the flag, and the exit is 2.
#[test]
fn a_busy_time_that_is_not_a_number_is_refused_with_exit_2() {
    for bad in ["fast", "0", "-3"] {
        let args = ["run", "--workloads", "fairness", "--busy-us", bad];
        let out = rtbench().args(args).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        let first = stderr.lines().next().unwrap_or_default();
        assert!(
            first.starts_with("error:") && first.contains("--busy-us"),
            "{stderr}"
        );
    }
}

#[test]
fn list_shows_every_scheduling_workload_and_the_group() {
    let out = succeeds(rtbench().arg("list"));
    let text = String::from_utf8(out.stdout).unwrap();
    for name in [
        "spawn",
        "yield",
        "ping-pong",
        "fan-in",
        "mutex",
        "fairness",
        "scheduling",
    ] {
        assert!(text.contains(name), "{name} missing from:\n{text}");
    }
}
