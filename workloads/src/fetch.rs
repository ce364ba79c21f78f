//! fetch: HTTP/1.1 GETs over loopback, on kept-alive connections, against
//! the server rtbench ships (or `--url`'s); also serve's load generator.
//!
//! Each connection is one task running one request at a time, so `in_flight`
//! connections keep that many requests in flight: a closed loop, or with
//! `rate` an open one, each request waiting for its time ([`Schedule`]). hyper does the protocol work
//! over the runtime's own TCP stream; each connection's driver runs in a task
//! of its own, spawned on the same runtime.

use std::io::ErrorKind;
use std::net::{SocketAddr, ToSocketAddrs};
use std::pin::pin;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering::Relaxed};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use futures::future::{Either, select};
use futures::stream::{FuturesUnordered, StreamExt};
use http_body_util::{BodyExt, Empty};
use hyper::client::conn::http1::{self, SendRequest};
use hyper::{Request, Uri, header};
use rtbench_report::Counts;
use serde::{Deserialize, Serialize};

use crate::open_loop::Schedule;
use crate::outcome::{Outcome, ShardOutcome};
use crate::runtime::{Runtime, Shard};
use crate::workload::{Kind, Machine, Param, Preset, Role, Size, Workload};

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

/// How one request ended; each request ends as exactly one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ending {
    /// 2xx, body read whole with the expected length.
    Ok,
    /// A status outside 2xx.
    HttpError,
    /// No answer within the timeout.
    Timeout,
    /// Connect refused, reset, or a short or over-long body.
    IoError,
}

impl Ending {
    /// Every ending, in the order of their discriminants.
    const ALL: [Ending; 4] = [
        Ending::Ok,
        Ending::HttpError,
        Ending::Timeout,
        Ending::IoError,
    ];

    fn name(self) -> &'static str {
        match self {
            Ending::Ok => "ok",
            Ending::HttpError => "http_error",
            Ending::Timeout => "timeout",
            Ending::IoError => "io_error",
        }
    }

    /// Whether the connection may carry the next request.
    fn keeps_connection(self) -> bool {
        matches!(self, Ending::Ok | Ending::HttpError)
    }
}

/// Where requests go.
#[derive(Debug)]
struct Target {
    addr: SocketAddr,
    /// `Host` header value.
    host: String,
    /// Origin-form path and query the id and parameters are appended to.
    path: String,
    /// Query string added to every request: `ms=…&bytes=…`.
    query: String,
    /// Body length every answer must have.
    body_bytes: u64,
}

impl Target {
    /// A base URL (`http://host:port`, requests go to `/delay`) or a URL with a
    /// path (requests go there, with `id` and the parameters added to its query).
    fn parse(url: &str, params: &FetchParams) -> Result<Target, String> {
        let (uri, addr) = parse_url(url)?;
        let body_bytes = params.body_bytes;
        let path = match uri.path_and_query().map(|p| p.as_str()) {
            None | Some("/" | "") => "/delay?".to_owned(),
            Some(p) if p.contains('?') => format!("{p}&"),
            Some(p) => format!("{p}?"),
        };
        Ok(Target {
            addr,
            host: uri
                .authority()
                .expect("parse_url checked it")
                .as_str()
                .to_owned(),
            path,
            query: format!("ms={}&bytes={body_bytes}", params.latency_ms),
            body_bytes,
        })
    }

    fn request(&self, id: u64) -> Request<Empty<Bytes>> {
        Request::get(format!("{}id={id}&{}", self.path, self.query))
            .header(header::HOST, &self.host)
            .body(Empty::new())
            .expect("a GET with a valid path is a valid request")
    }
}

/// The socket address of the server at `url`, or a one-line error naming it.
pub fn server_addr(url: &str) -> Result<SocketAddr, String> {
    parse_url(url).map(|(_, addr)| addr)
}

fn parse_url(url: &str) -> Result<(Uri, SocketAddr), String> {
    let bad = |why: &str| format!("invalid fetch URL {url}: {why}; expected http://host:port");
    let uri: Uri = url.parse().map_err(|e| bad(&format!("{e}")))?;
    if uri.scheme_str() != Some("http") {
        return Err(bad("only http:// is supported"));
    }
    let authority = uri.authority().ok_or_else(|| bad("no host"))?;
    let port = authority.port_u16().unwrap_or(80);
    let addr = (authority.host(), port)
        .to_socket_addrs()
        .map_err(|e| bad(&e.to_string()))?
        .next()
        .ok_or_else(|| bad("the host has no address"))?;
    Ok((uri, addr))
}

/// What a shard's connection tasks share.
struct Shared {
    target: Target,
    timeout: Duration,
    /// Next request id to send.
    next: AtomicU64,
    /// One past this shard's last id.
    end: u64,
    /// Set when the server refuses connections: nothing more is sent.
    server_gone: AtomicBool,
    /// Requests ended so far, by [`Ending::ALL`] index: atomics, so counting
    /// takes no lock.
    endings: [AtomicU64; 4],
    /// Latencies (and the shard's clock).
    outcome: Mutex<ShardOutcome>,
    /// The open loop's schedule; `None` for a closed loop.
    schedule: Option<Schedule>,
}

impl Shared {
    /// The next id to send, if any remain and the server is still there.
    fn take_id(&self) -> Option<u64> {
        if self.server_gone.load(Relaxed) {
            return None;
        }
        let id = self.next.fetch_add(1, Relaxed);
        (id < self.end).then_some(id)
    }

    /// Waits until request `id` may leave and returns the time its latency
    /// counts from: now in a closed loop, its scheduled time in an open one.
    async fn wait_for<R: Runtime>(&self, id: u64) -> quanta::Instant {
        match &self.schedule {
            Some(schedule) => schedule.wait_for::<R>(id).await,
            None => quanta::Instant::now(),
        }
    }

    fn record(&self, ending: Ending, took: Duration) {
        self.endings[ending as usize].fetch_add(1, Relaxed);
        let mut outcome = self.outcome.lock().expect("no panics hold this lock");
        outcome.latency(took);
    }
}

/// Sends this shard's share of the requests over its share of the connections.
async fn shard<R: Runtime>(params: FetchParams, shard: Shard) -> Result<ShardOutcome, String> {
    let url = params.url.as_deref().ok_or("fetch needs a server URL")?;
    let target = Target::parse(url, &params)?;
    // Nothing listening is a setup error, not a million io_errors.
    if let Err(e) = R::connect(target.addr).await {
        return Err(format!(
            "cannot connect to the fetch server at {url} ({e}): start it, or fix --url"
        ));
    }
    let ids = shard.ids(params.ops);
    let connections = shard.share(params.in_flight).clamp(1, ids.end - ids.start);
    let shared = Arc::new(Shared {
        target,
        timeout: Duration::from_millis(params.timeout_ms),
        next: AtomicU64::new(ids.start),
        end: ids.end,
        server_gone: AtomicBool::new(false),
        endings: Default::default(),
        outcome: Mutex::new(ShardOutcome::start()),
        schedule: params
            .rate
            .map(|rate| Schedule::new(rate, shard, ids.start)),
    });
    let mut tasks: FuturesUnordered<_> = (0..connections)
        .map(|_| R::join(R::spawn(connection::<R>(shared.clone()))))
        .collect();
    while let Some(done) = tasks.next().await {
        done.map_err(|e| format!("a fetch connection task panicked: {}", e.0))?;
    }
    let shared = Arc::into_inner(shared).expect("every connection task has ended");
    let mut outcome = shared
        .outcome
        .into_inner()
        .expect("no panics hold this lock");
    for (ending, count) in Ending::ALL.into_iter().zip(shared.endings) {
        outcome.count(ending.name(), count.into_inner());
    }
    // Requests never sent because the server went away end as io_error.
    let sent = shared.next.into_inner().min(shared.end) - ids.start;
    outcome.count(Ending::IoError.name(), ids.end - ids.start - sent);
    if let Some(schedule) = shared.schedule {
        outcome.count("late", schedule.late());
        outcome.achieved_rate(schedule.achieved_rate());
    }
    Ok(outcome.finish())
}

/// One connection's task: connect, send requests one at a time, and
/// reconnect after a timeout or an I/O error.
async fn connection<R: Runtime>(shared: Arc<Shared>) {
    while let Some(first) = shared.take_id() {
        let started = shared.wait_for::<R>(first).await;
        let connected = with_timeout::<R, _>(shared.timeout, async {
            let io = R::connect(shared.target.addr).await?;
            http1::handshake(io).await.map_err(std::io::Error::other)
        })
        .await;
        let (mut sender, driver) = match connected {
            Some(Ok(pair)) => pair,
            Some(Err(e)) => {
                if e.kind() == ErrorKind::ConnectionRefused {
                    shared.server_gone.store(true, Relaxed);
                }
                shared.record(Ending::IoError, started.elapsed());
                continue;
            }
            None => {
                shared.record(Ending::Timeout, started.elapsed());
                continue;
            }
        };
        // The connection runs in its own task, as hyper's examples do: the
        // requesting task is then woken only for its own responses.
        let driver = R::spawn_cancellable(async move {
            let _ = driver.await;
        });
        let (mut id, mut started) = (first, started);
        loop {
            let ending = with_timeout::<R, _>(shared.timeout, send(&mut sender, &shared, id))
                .await
                .unwrap_or(Ending::Timeout);
            shared.record(ending, started.elapsed());
            if !ending.keeps_connection() {
                break;
            }
            let Some(next) = shared.take_id() else { break };
            (id, started) = (next, shared.wait_for::<R>(next).await);
        }
        // Closes the connection, even with a timed-out request still on it.
        drop(sender);
        let _ = R::cancel(driver).await;
    }
}

/// Sends request `id` and reads its answer whole.
async fn send(sender: &mut SendRequest<Empty<Bytes>>, shared: &Shared, id: u64) -> Ending {
    // A sender must be ready before each request, or hyper drops it under load.
    if sender.ready().await.is_err() {
        return Ending::IoError;
    }
    let Ok(response) = sender.send_request(shared.target.request(id)).await else {
        return Ending::IoError;
    };
    let status = response.status();
    let mut body = response.into_body();
    let mut length = 0;
    while let Some(frame) = body.frame().await {
        match frame {
            Ok(frame) => length += frame.data_ref().map_or(0, |d| d.len() as u64),
            Err(_) => return Ending::IoError,
        }
    }
    if !status.is_success() {
        Ending::HttpError
    } else if length != shared.target.body_bytes {
        Ending::IoError
    } else {
        Ending::Ok
    }
}

/// `future`'s output, or `None` if `limit` passes first (on the runtime's timer).
async fn with_timeout<R: Runtime, T>(
    limit: Duration,
    future: impl Future<Output = T>,
) -> Option<T> {
    match select(pin!(future), pin!(R::sleep(limit))).await {
        Either::Left((output, _)) => Some(output),
        Either::Right(((), _)) => None,
    }
}
