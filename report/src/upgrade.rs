//! What results files before version 4 left unsaid: their cases carry no
//! [`About`], so it is filled in here from what those versions' five
//! workloads and commands were. Newer files describe their own workloads.

use crate::figure::Figure;
use crate::results::{Case, Params};
use crate::workload::{About, ParamAbout};

/// Fills in `case`'s description, as the rtbench that wrote a file before
/// version 4 would have given it; a workload it did not know keeps an
/// empty one, its figures per operation with no ideal time.
pub fn describe(case: &mut Case) {
    let (description, operation, params) = match case.workload.name() {
        "sleep" => (
            "Timer-bound operations in a rolling window.",
            "sleep",
            &[OPS, IN_FLIGHT, LATENCY, FAIL_EVERY][..],
        ),
        "cancel" => (
            "Tasks created and cancelled in batches.",
            "task",
            &[OPS, IN_FLIGHT, LATENCY, CANCEL_MODE, CANCEL_WAIT][..],
        ),
        "fetch" => (
            "HTTP/1.1 requests over loopback against a server the project ships.",
            "request",
            &[OPS, IN_FLIGHT, LATENCY][..],
        ),
        "serve" => (
            "The runtime as the HTTP/1.1 server, driven by a load generator in its own process.",
            "request",
            &[OPS, IN_FLIGHT, LATENCY][..],
        ),
        "file" => (
            "Random positional reads (or writes) of blocks of a scratch file.",
            "read or write",
            &[OPS, IN_FLIGHT, LATENCY][..],
        ),
        "command" => {
            case.about = About::command();
            return;
        }
        _ => ("", "operation", &[][..]),
    };
    case.about = About {
        description: description.to_owned(),
        operation: operation.to_owned(),
        params: params
            .iter()
            .map(|&(name, label, unit)| word(name, label, unit))
            .collect(),
        ideal_s: ideal_s(case.workload.name(), &case.params),
        figures: Figure::ALL.iter().map(|f| f.slug().to_owned()).collect(),
        load: (case.workload.name() == "serve").then(|| "rtbench's fetch client on tokio".into()),
    };
}

/// (name, label, unit) of the parameters older tables named first, in
/// that order; the others followed by name, in words.
const OPS: (&str, &str, &str) = ("ops", "ops", "");
const IN_FLIGHT: (&str, &str, &str) = ("in_flight", "in flight", "");
const LATENCY: (&str, &str, &str) = ("latency_ms", "latency", " ms");
const FAIL_EVERY: (&str, &str, &str) = ("fail_every", "failing every", "th");
const CANCEL_MODE: (&str, &str, &str) = ("cancel_mode", "cancel", "");
const CANCEL_WAIT: (&str, &str, &str) = ("cancel_wait_ms", "cancel wait ≤", " ms");

fn word(name: &str, label: &str, unit: &str) -> ParamAbout {
    ParamAbout {
        name: name.to_owned(),
        label: label.to_owned(),
        unit: unit.to_owned(),
        description: String::new(),
    }
}

/// The ideal time older versions computed: an open loop's schedule; else
/// every operation's wait, `in_flight` at a time, for sleep, fetch and
/// serve; none for cancel (cancelled tasks never wait), file and commands.
fn ideal_s(workload: &str, params: &Params) -> f64 {
    let ops = params.ops as f64;
    let number = |name| params.number(name).unwrap_or(0) as f64;
    if let Some(rate) = params.number("rate") {
        return ops / rate as f64;
    }
    match workload {
        "sleep" | "fetch" | "serve" if number("in_flight") > 0.0 => {
            ops * number("latency_ms") / 1e3 / number("in_flight")
        }
        _ => 0.0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(json: &str) -> Params {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn the_old_ideal_times_by_hand() {
        let sleep = params(r#"{"ops":1000000,"in_flight":10000,"latency_ms":1,"fail_every":1000}"#);
        assert!((ideal_s("sleep", &sleep) - 0.1).abs() < 1e-12);
        let fetch = params(r#"{"ops":100000,"in_flight":5000,"latency_ms":10}"#);
        assert!((ideal_s("fetch", &fetch) - 0.2).abs() < 1e-12);
        let open = params(r#"{"ops":2000,"in_flight":100,"latency_ms":0,"rate":500}"#);
        assert_eq!(ideal_s("serve", &open), 4.0);
        let file = params(r#"{"ops":100000,"in_flight":64,"latency_ms":0,"block_bytes":4096}"#);
        assert_eq!(ideal_s("file", &file), 0.0);
        assert_eq!(ideal_s("cancel", &sleep), 0.0);
    }
}
