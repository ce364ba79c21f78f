//! serve: the runtime under test as the HTTP/1.1 server, driven by
//! rtbench's fetch client on tokio in a process of its own.
//!
//! hyper's server, written once over the adapter trait: each shard accepts on
//! its own listener through the runtime's networking and serves every
//! connection in a task of its own, answering as the shipped server does
//! ([`server::answer`]) on the runtime's own timer. Thread-per-core runtimes
//! get one listener per shard, all on one port with `SO_REUSEPORT`, so the
//! kernel spreads connections over the shards; the others get one.

use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::pin::{Pin, pin};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering::Relaxed};
use std::sync::{Arc, Mutex};
use std::task::Poll;
use std::time::Duration;

use futures::channel::oneshot;
use futures::future::{Either, FutureExt, Shared, poll_fn, select};
use futures::stream::{FuturesUnordered, StreamExt};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use rtbench_report::{Counts, Model};
use serde::{Deserialize, Serialize};
use socket2::{Domain, Protocol, Socket, Type};

use crate::fetch::{self, BODY_BYTES, FetchParams, RATE, TIMEOUT_MS};
use crate::outcome::{Outcome, ShardOutcome};
use crate::registry::untyped;
use crate::runtime::{Runtime, Shard, TaskFailed};
use crate::server::{self, BACKLOG, State};
use crate::workload::{Kind, Load, Machine, Param, Preset, Role, Size, Workload};

/// The serve workload.
pub struct Serve;

/// Its parameters: the load generator's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServeParams {
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
    /// Threads of the load generator.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_threads: Option<usize>,
}

impl Workload for Serve {
    type Params = ServeParams;
    const NAME: &'static str = "serve";
    const DESCRIPTION: &'static str =
        "The runtime as the HTTP/1.1 server, driven by a load generator in its own process.";
    const OPERATION: &'static str = "request";
    const IN_DEFAULT_RUN: bool = true;
    const ROLE: Role = Role::Server;
    const PARAMS: &'static [Param] = &[
        Param::ops("requests in total"),
        Param::in_flight("connections of the load generator, one request in flight on each"),
        Param::latency_ms("the server's delay before each answer"),
        BODY_BYTES,
        Param::new(
            "client_threads",
            "client threads",
            "",
            "threads of the load generator (rtbench's fetch client on tokio) [default: the \
             machine's cores]",
            Kind::Number,
        ),
        RATE,
        TIMEOUT_MS,
    ];

    fn sizes(size: Size) -> ServeParams {
        let (ops, in_flight) = match size {
            Size::Preset(Preset::Quick) | Size::Counts => (2_000, 100),
            Size::Preset(Preset::Ci) => (20_000, 1_000),
            Size::Default => (100_000, 1_000),
            Size::Preset(Preset::Full) => (1_000_000, 1_000),
        };
        ServeParams {
            ops,
            in_flight,
            latency_ms: 0,
            body_bytes: server::DEFAULT_BODY_BYTES,
            timeout_ms: 10_000,
            rate: None,
            client_threads: None,
        }
    }

    fn resolve(mut p: ServeParams, machine: &Machine) -> Result<ServeParams, String> {
        p.client_threads = Some(p.client_threads.unwrap_or(machine.cores));
        Ok(p)
    }

    fn ideal_s(p: &ServeParams) -> f64 {
        fetch::ideal_s(p.ops, p.in_flight, p.latency_ms, p.rate)
    }

    fn connections(p: &ServeParams) -> u64 {
        p.in_flight
    }

    fn counts_add_up(p: &ServeParams, counts: &Counts) -> bool {
        fetch::requests_add_up(p.ops, counts)
    }

    fn serve<R: Runtime>(
        _params: ServeParams,
        threads: usize,
        control: ServeControl,
    ) -> Result<Outcome, String> {
        serve::<R>(threads, control)
    }

    fn load(p: &ServeParams) -> Option<Load> {
        let fetch = FetchParams {
            ops: p.ops,
            in_flight: p.in_flight,
            latency_ms: p.latency_ms,
            body_bytes: p.body_bytes,
            timeout_ms: p.timeout_ms,
            rate: p.rate,
            server_threads: None,
            url: None,
        };
        Some(Load {
            workload: fetch::Fetch::NAME,
            params: untyped(&fetch),
            threads: p.client_threads.unwrap_or(1),
            words: "rtbench's fetch client on tokio",
        })
    }
}

/// How often each shard looks at the stop flag. It is set from another
/// thread, and not every runtime can be woken from a thread of its own, so
/// the shards look rather than wait to be told.
const STOP_POLL: Duration = Duration::from_millis(10);

/// Pause after a failed accept (out of descriptors, say), so a shard that
/// cannot accept does not spin.
const ACCEPT_RETRY: Duration = Duration::from_millis(1);

/// Called once with the address a server listens on, when it accepts.
pub type Ready = Box<dyn FnOnce(SocketAddr) + Send>;

/// How a serve run starts and stops.
pub struct ServeControl {
    /// Where to listen; port 0 picks a free port.
    pub addr: SocketAddr,
    /// Called once with the address listened on, when every shard accepts.
    pub ready: Ready,
    /// Set it to stop: the shards stop accepting, close their listeners, let
    /// each connection finish the request it is answering, close it, and end.
    pub stop: Arc<AtomicBool>,
    /// What the server has seen, readable while it runs ([`server::new_state`]).
    pub state: Arc<State>,
}

/// What every shard of one server shares.
struct Serving {
    /// One listener per shard, each taken by its shard.
    listeners: Mutex<Vec<Option<std::net::TcpListener>>>,
    /// Shards not accepting yet.
    starting: AtomicUsize,
    ready: Mutex<Option<Ready>>,
    addr: SocketAddr,
    stop: Arc<AtomicBool>,
    state: Arc<State>,
}

/// Serves on runtime `R` with `threads` threads until `control.stop` is set;
/// the outcome counts `requests` received and `connections` accepted.
pub fn serve<R: Runtime>(threads: usize, control: ServeControl) -> Result<Outcome, String> {
    let shards = match R::MODEL {
        Model::ThreadPerCore => threads,
        Model::WorkStealing | Model::SingleThread => 1,
    };
    let listeners = bind(control.addr, shards)
        .map_err(|e| format!("cannot listen on {}: {e}", control.addr))?;
    let addr = listeners[0]
        .local_addr()
        .map_err(|e| format!("cannot read the listening address: {e}"))?;
    let serving = Arc::new(Serving {
        listeners: Mutex::new(listeners.into_iter().map(Some).collect()),
        starting: AtomicUsize::new(shards),
        ready: Mutex::new(Some(control.ready)),
        addr,
        stop: control.stop,
        state: control.state,
    });
    let state = serving.state.clone();
    let outcomes = R::run(threads, move |shard| {
        let serving = serving.clone();
        async move {
            let outcome = accept_until_stopped::<R>(&serving, shard).await;
            // One shard failing stops the others, so the run ends with its reason.
            if outcome.is_err() {
                serving.stop.store(true, Relaxed);
            }
            outcome
        }
    })?;
    let mut outcome = Outcome::merge(outcomes.into_iter().collect::<Result<_, _>>()?);
    outcome
        .counts
        .insert("requests".into(), state.requests.load(Relaxed));
    outcome
        .counts
        .insert("connections".into(), state.connections.load(Relaxed));
    Ok(outcome)
}

/// `count` listening sockets on one address; with more than one, each with
/// `SO_REUSEPORT`, the later ones on the port the first was given.
fn bind(mut addr: SocketAddr, count: usize) -> io::Result<Vec<std::net::TcpListener>> {
    (0..count)
        .map(|_| {
            let socket = Socket::new(Domain::for_address(addr), Type::STREAM, Some(Protocol::TCP))?;
            socket.set_reuse_address(true)?;
            if count > 1 {
                socket.set_reuse_port(true)?;
            }
            socket.bind(&addr.into())?;
            socket.listen(BACKLOG as i32)?;
            addr = socket
                .local_addr()?
                .as_socket()
                .ok_or_else(|| io::Error::other("not an IP socket"))?;
            Ok(socket.into())
        })
        .collect()
}

/// What the accept loop waits for next.
enum Event<S> {
    Accepted(io::Result<S>),
    ConnectionPanicked(String),
    Stop,
}

/// One shard: accepts and serves until the stop flag is set, then closes its
/// listener and waits for its connections to end.
async fn accept_until_stopped<R: Runtime>(
    serving: &Serving,
    shard: Shard,
) -> Result<ShardOutcome, String> {
    let outcome = ShardOutcome::start();
    let listener = serving.listeners.lock().expect("no panics hold this lock")[shard.index]
        .take()
        .ok_or_else(|| format!("no listener for shard {}", shard.index))?;
    let listener = R::listen(listener)
        .map_err(|e| format!("{} cannot take over its listener: {e}", R::NAME))?;
    if serving.starting.fetch_sub(1, Relaxed) == 1 {
        let ready = serving
            .ready
            .lock()
            .expect("no panics hold this lock")
            .take();
        if let Some(ready) = ready {
            ready(serving.addr);
        }
    }
    // Dropping the sender tells every connection to close.
    let (close, closed) = oneshot::channel::<()>();
    let closed = closed.shared();
    let mut connections: FuturesUnordered<_> = FuturesUnordered::new();
    let mut stopping = pin!(until_set::<R>(&serving.stop));
    let mut accepting: Pin<Box<_>> = Box::pin(R::accept(&listener));
    loop {
        let event = poll_fn(|cx| {
            if stopping.as_mut().poll(cx).is_ready() {
                return Poll::Ready(Event::Stop);
            }
            while let Poll::Ready(Some(ended)) = connections.poll_next_unpin(cx) {
                if let Err(TaskFailed(why)) = ended {
                    return Poll::Ready(Event::ConnectionPanicked(why));
                }
            }
            accepting.as_mut().poll(cx).map(Event::Accepted)
        })
        .await;
        match event {
            Event::Stop => break,
            Event::ConnectionPanicked(why) => {
                return Err(format!("a serve connection task panicked: {why}"));
            }
            Event::Accepted(accepted) => {
                accepting.set(R::accept(&listener));
                match accepted {
                    Ok(stream) => {
                        serving.state.connections.fetch_add(1, Relaxed);
                        let state = serving.state.clone();
                        let task = R::spawn(connection::<R>(stream, state, closed.clone()));
                        connections.push(R::join(task));
                    }
                    Err(_) => R::sleep(ACCEPT_RETRY).await,
                }
            }
        }
    }
    // Closing the listener refuses new connections; then the open ones close.
    drop(accepting);
    drop(listener);
    drop(close);
    while let Some(ended) = connections.next().await {
        ended.map_err(|e| format!("a serve connection task panicked: {}", e.0))?;
    }
    Ok(outcome.finish())
}

/// Resolves once `flag` is set, looking every [`STOP_POLL`].
async fn until_set<R: Runtime>(flag: &AtomicBool) {
    while !flag.load(Relaxed) {
        R::sleep(STOP_POLL).await;
    }
}

/// Serves one connection until the client closes it or the server stops;
/// on stop, the request being answered is finished first.
async fn connection<R: Runtime>(
    stream: R::TcpStream,
    state: Arc<State>,
    closed: Shared<oneshot::Receiver<()>>,
) {
    let service = service_fn(move |request| server::answer(request, state.clone(), R::sleep));
    let mut connection = pin!(http1::Builder::new().serve_connection(stream, service));
    if let Either::Right(_) = select(connection.as_mut(), closed).await {
        connection.as_mut().graceful_shutdown();
        let _ = connection.await;
    }
}
