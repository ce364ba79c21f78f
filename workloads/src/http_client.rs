//! The HTTP/1.1 client fetch sends with (and serve's load generator is):
//! each connection is one task running one request at a time, so `in_flight`
//! connections keep that many requests in flight: a closed loop, or with
//! `rate` an open one, each request waiting for its time ([`Schedule`]).
//! hyper does the protocol work over the runtime's own TCP stream; each
//! connection's driver runs in a task of its own, spawned on the same runtime.

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
use quanta::Instant;

use crate::fetch::FetchParams;
use crate::open_loop::Schedule;
use crate::outcome::ShardOutcome;
use crate::runtime::{Runtime, Shard};

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
    async fn wait_for<R: Runtime>(&self, id: u64) -> Instant {
        match &self.schedule {
            Some(schedule) => schedule.wait_for::<R>(id).await,
            None => Instant::now(),
        }
    }

    /// Counts a request that counted from `started`, ended now as `ending`,
    /// and was handed to its connection at `sent` (`None` if it never was).
    fn record(&self, ending: Ending, started: Instant, sent: Option<Instant>) {
        let took = started.elapsed();
        self.endings[ending as usize].fetch_add(1, Relaxed);
        let mut outcome = self.outcome.lock().expect("no panics hold this lock");
        outcome.latency(took);
        if let Some(sent) = sent {
            outcome.send_delay(sent.saturating_duration_since(started));
        }
    }
}

/// Sends this shard's share of the requests over its share of the connections.
pub(crate) async fn shard<R: Runtime>(
    params: FetchParams,
    shard: Shard,
) -> Result<ShardOutcome, String> {
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
    // Made before the outcome starts its clock: starting a pacer's thread is
    // the harness's work.
    let schedule = params
        .rate
        .map(|rate| Schedule::new(rate, shard, ids.start, R::foreign_wakes().is_ok()));
    let shared = Arc::new(Shared {
        target,
        timeout: Duration::from_millis(params.timeout_ms),
        next: AtomicU64::new(ids.start),
        end: ids.end,
        server_gone: AtomicBool::new(false),
        endings: Default::default(),
        outcome: Mutex::new(match params.rate {
            Some(_) => ShardOutcome::start_open_loop(),
            None => ShardOutcome::start(),
        }),
        schedule,
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
    // Borrowed: the schedule, and its pacer's thread, end after the clock stops.
    if let Some(schedule) = &shared.schedule {
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
                shared.record(Ending::IoError, started, None);
                continue;
            }
            None => {
                shared.record(Ending::Timeout, started, None);
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
            let mut sent = None;
            let sending = send(&mut sender, &shared, id, &mut sent);
            let ending = with_timeout::<R, _>(shared.timeout, sending)
                .await
                .unwrap_or(Ending::Timeout);
            shared.record(ending, started, sent);
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

/// Sends request `id` and reads its answer whole; `sent` is when the request
/// was handed to the connection.
async fn send(
    sender: &mut SendRequest<Empty<Bytes>>,
    shared: &Shared,
    id: u64,
    sent: &mut Option<Instant>,
) -> Ending {
    // A sender must be ready before each request, or hyper drops it under load.
    if sender.ready().await.is_err() {
        return Ending::IoError;
    }
    let request = shared.target.request(id);
    *sent = Some(Instant::now());
    let Ok(response) = sender.send_request(request).await else {
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
