//! fetch: HTTP/1.1 GETs over loopback, on kept-alive connections, against
//! the server rtbench ships (or `--url`'s); also serve's load generator. The
//! client itself is [`crate::http_client`].

use rtbench_report::Counts;
use serde::{Deserialize, Serialize};

use crate::http_client::shard;
use crate::outcome::Outcome;
use crate::runtime::Runtime;
use crate::workload::{Kind, Machine, Param, Preset, Role, Size, Workload};

pub use crate::http_client::server_addr;

/// The fetch workload.
pub struct Fetch;

/// Its parameters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FetchParams {
    /// Requests in total.
    pub ops: u64,
    /// Connections, each with one request at a time.
    pub in_flight: u64,
    /// The server's delay before each answer, milliseconds.
    pub latency_ms: u64,
    /// Bytes in each response body.
    pub body_bytes: u64,
    /// A request unanswered after this long is a `timeout`, milliseconds.
    pub timeout_ms: u64,
    /// An open loop's offered rate, requests per second; absent for a closed loop.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rate: Option<u64>,
    /// Worker threads of the shipped server; absent with `url`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub server_threads: Option<usize>,
    /// The server; absent for the shipped one, whose address the runner
    /// gives the child without recording it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

/// The parameters every HTTP workload shares with fetch.
pub(crate) const BODY_BYTES: Param = Param::new(
    "body_bytes",
    "body bytes",
    "",
    "bytes in each response body",
    Kind::Wholes,
);
/// A request's time limit.
pub(crate) const TIMEOUT_MS: Param = Param::new(
    "timeout_ms",
    "timeout",
    " ms",
    "a request unanswered after this long is a timeout",
    Kind::Number,
);
/// An open loop's rate.
pub(crate) const RATE: Param = Param::new(
    "rate",
    "rate",
    "",
    "an open loop offering this many requests per second on a fixed schedule, latency \
     counted from each request's scheduled time [default: a closed loop]",
    Kind::Number,
);

impl Workload for Fetch {
    type Params = FetchParams;
    const NAME: &'static str = "fetch";
    const DESCRIPTION: &'static str =
        "HTTP/1.1 requests over loopback against a server the project ships.";
    const OPERATION: &'static str = "request";
    const IN_DEFAULT_RUN: bool = true;
    const ROLE: Role = Role::ClientOfShippedServer;
    const PARAMS: &'static [Param] = &[
        Param::ops("requests in total"),
        Param::in_flight("connections, one request in flight on each"),
        Param::latency_ms("the server's delay before each answer"),
        BODY_BYTES,
        RATE,
        Param::new(
            "server_threads",
            "server threads",
            "",
            "worker threads of the shipped server, one server each [default: the machine's cores]",
            Kind::Sizes,
        ),
        TIMEOUT_MS,
        Param::new(
            "url",
            "url",
            "",
            "run against this server (it must answer `/delay?ms=&id=&bytes=`) instead of the shipped one",
            Kind::Text,
        ),
    ];

    fn sizes(size: Size) -> FetchParams {
        let (ops, in_flight) = match size {
            Size::Preset(Preset::Quick) | Size::Counts => (2_000, 100),
            Size::Preset(Preset::Ci) => (20_000, 1_000),
            Size::Default => (100_000, 5_000),
            Size::Preset(Preset::Full) => (1_000_000, 5_000),
        };
        FetchParams {
            ops,
            in_flight,
            latency_ms: 10,
            body_bytes: crate::server::DEFAULT_BODY_BYTES,
            timeout_ms: 10_000,
            rate: None,
            server_threads: None,
            url: None,
        }
    }

    /// The shipped server's threads default to the machine's cores; a
    /// `--url` server is not rtbench's to size.
    fn resolve(mut p: FetchParams, machine: &Machine) -> Result<FetchParams, String> {
        p.server_threads = match &p.url {
            Some(url) => {
                server_addr(url)?;
                None
            }
            None => Some(p.server_threads.unwrap_or(machine.cores)),
        };
        Ok(p)
    }

    fn ideal_s(p: &FetchParams) -> f64 {
        ideal_s(p.ops, p.in_flight, p.latency_ms, p.rate)
    }

    fn connections(p: &FetchParams) -> u64 {
        p.in_flight
    }

    fn counts_add_up(p: &FetchParams, counts: &Counts) -> bool {
        requests_add_up(p.ops, counts)
    }

    fn run<R: Runtime>(params: FetchParams, threads: usize) -> Result<Outcome, String> {
        crate::run_shards::<R, _, _>(threads, move |s| shard::<R>(params.clone(), s))
    }
}

/// The ideal time of `ops` requests to a server that waits `latency_ms`
/// before each answer, `in_flight` at a time; an open loop cannot finish
/// before its schedule does (ops / rate).
pub(crate) fn ideal_s(ops: u64, in_flight: u64, latency_ms: u64, rate: Option<u64>) -> f64 {
    match rate {
        Some(rate) => ops as f64 / rate as f64,
        None => ops as f64 * latency_ms as f64 / 1e3 / in_flight as f64,
    }
}

/// Whether every one of `ops` requests ended one way.
pub(crate) fn requests_add_up(ops: u64, counts: &Counts) -> bool {
    let c = |name| counts.get(name).copied().unwrap_or(0);
    c("ok") + c("http_error") + c("timeout") + c("io_error") == ops
}
