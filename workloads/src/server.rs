//! The HTTP server the fetch workload runs against: hyper's HTTP/1.1 server on
//! tokio. `rtbench serve` runs it in its own process; tests start it in-process.
//! The serve workload answers the same requests with [`answer`], on the
//! runtime under test.
//!
//! `GET /delay?ms=D&id=I[&bytes=N]` answers 200 after D ms (the runtime's
//! timer, not a blocking sleep; at once for 0) with a body of exactly N bytes
//! (default 1 KiB); `GET /status?code=C` answers with status C; anything else is 404.

use std::collections::HashSet;
use std::convert::Infallible;
use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::Full;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use tokio::net::{TcpListener, TcpSocket};
use tokio::sync::oneshot;

/// Default body size of `/delay`.
pub const DEFAULT_BODY_BYTES: u64 = 1024;

/// Listen backlog: enough for the default in-flight window to connect at once
/// (the kernel caps it at `net.core.somaxconn`).
pub(crate) const BACKLOG: u32 = 4096;

/// Bodies are slices of one shared buffer, so answering costs no allocation.
const SHARED_BODY_BYTES: usize = 1 << 20;

/// How to run the server.
#[derive(Debug, Clone, Copy)]
pub struct ServerConfig {
    /// Where to listen; port 0 picks a free port.
    pub addr: SocketAddr,
    /// tokio worker threads.
    pub threads: usize,
    /// Remember every `/delay` id, for tests that check each was seen once.
    pub track_ids: bool,
}

/// What the server has seen so far.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ServerStats {
    /// Requests answered or being answered.
    pub requests: u64,
    /// Connections accepted.
    pub connections: u64,
    /// Distinct `/delay` ids (0 unless `track_ids`).
    pub distinct_ids: usize,
}

/// What a server has seen and answers with, shared by every connection.
#[derive(Debug)]
pub struct State {
    /// Requests received.
    pub(crate) requests: AtomicU64,
    /// Connections accepted.
    pub(crate) connections: AtomicU64,
    ids: Option<Mutex<HashSet<u64>>>,
    body: Bytes,
}

/// A server running on its own threads; stopped when dropped.
#[derive(Debug)]
pub struct Server {
    addr: SocketAddr,
    state: Arc<State>,
    stop: Option<oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl Server {
    /// Starts the server; returns once it accepts connections.
    pub fn start(config: ServerConfig) -> io::Result<Server> {
        let runtime = runtime(config.threads)?;
        let listener = runtime.block_on(listen(config.addr))?;
        let addr = listener.local_addr()?;
        let state = new_state(config.track_ids);
        let (stop, stopped) = oneshot::channel();
        let serving = state.clone();
        let thread = std::thread::Builder::new()
            .name("rtbench-server".into())
            .spawn(move || {
                runtime.block_on(accept_until(listener, serving, async {
                    let _ = stopped.await;
                }));
            })?;
        Ok(Server {
            addr,
            state,
            stop: Some(stop),
            thread: Some(thread),
        })
    }

    /// The base URL, e.g. `http://127.0.0.1:40123`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// What the server has seen so far.
    pub fn stats(&self) -> ServerStats {
        self.state.stats()
    }

    /// Stops accepting and drops every connection, as a crashed server would.
    pub fn stop(mut self) {
        self.shut_down();
    }

    fn shut_down(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.shut_down();
    }
}

/// Runs the server on the calling thread until SIGTERM or SIGINT, calling
/// `ready` with its URL once it accepts connections.
pub fn serve_until_signal(config: ServerConfig, ready: impl FnOnce(&str)) -> io::Result<()> {
    let runtime = runtime(config.threads)?;
    runtime.block_on(async {
        let listener = listen(config.addr).await?;
        ready(&format!("http://{}", listener.local_addr()?));
        let mut terminate =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())?;
        let signalled = async {
            tokio::select! {
                _ = terminate.recv() => {}
                _ = tokio::signal::ctrl_c() => {}
            }
        };
        accept_until(listener, new_state(config.track_ids), signalled).await;
        Ok(())
    })
}

fn runtime(threads: usize) -> io::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(threads)
        .thread_name("rtbench-server")
        .enable_all()
        .build()
}

/// A new server's state; `track_ids` remembers every `/delay` id.
pub fn new_state(track_ids: bool) -> Arc<State> {
    Arc::new(State {
        requests: AtomicU64::new(0),
        connections: AtomicU64::new(0),
        ids: track_ids.then(|| Mutex::new(HashSet::new())),
        body: Bytes::from(vec![b'x'; SHARED_BODY_BYTES]),
    })
}

async fn listen(addr: SocketAddr) -> io::Result<TcpListener> {
    let socket = if addr.is_ipv4() {
        TcpSocket::new_v4()?
    } else {
        TcpSocket::new_v6()?
    };
    socket.set_reuseaddr(true)?;
    socket.bind(addr)?;
    socket.listen(BACKLOG)
}

/// Accepts and serves connections until `stop` resolves.
async fn accept_until(listener: TcpListener, state: Arc<State>, stop: impl Future<Output = ()>) {
    let accepting = async {
        loop {
            let Ok((stream, _)) = listener.accept().await else {
                // Out of descriptors or a reset before accept: keep serving the rest.
                tokio::time::sleep(Duration::from_millis(1)).await;
                continue;
            };
            let _ = stream.set_nodelay(true);
            state.connections.fetch_add(1, Relaxed);
            let state = state.clone();
            tokio::spawn(async move {
                let service =
                    service_fn(move |request| answer(request, state.clone(), tokio::time::sleep));
                let _ = http1::Builder::new()
                    .serve_connection(TokioIo::new(stream), service)
                    .await;
            });
        }
    };
    tokio::select! {
        () = accepting => {}
        () = stop => {}
    }
}

/// Answers one request, waiting on `sleep` (the runtime's own timer).
pub(crate) async fn answer<Sleep: Future<Output = ()>>(
    request: Request<Incoming>,
    state: Arc<State>,
    sleep: impl FnOnce(Duration) -> Sleep,
) -> Result<Response<Full<Bytes>>, Infallible> {
    state.requests.fetch_add(1, Relaxed);
    let query = |name: &str| -> Option<u64> {
        let pairs = form_urlencoded::parse(request.uri().query().unwrap_or("").as_bytes());
        pairs
            .into_iter()
            .find(|(key, _)| key == name)
            .and_then(|(_, value)| value.parse().ok())
    };
    let (status, body) = match request.uri().path() {
        "/delay" => {
            if let (Some(ids), Some(id)) = (&state.ids, query("id")) {
                ids.lock().expect("no panics hold this lock").insert(id);
            }
            let ms = query("ms").unwrap_or(0);
            if ms > 0 {
                sleep(Duration::from_millis(ms)).await;
            }
            let bytes = query("bytes").unwrap_or(DEFAULT_BODY_BYTES) as usize;
            let body = if bytes <= state.body.len() {
                state.body.slice(..bytes)
            } else {
                Bytes::from(vec![b'x'; bytes])
            };
            (StatusCode::OK, body)
        }
        "/status" => {
            let code = query("code").and_then(|c| StatusCode::from_u16(c as u16).ok());
            (code.unwrap_or(StatusCode::BAD_REQUEST), Bytes::new())
        }
        _ => (StatusCode::NOT_FOUND, Bytes::new()),
    };
    let mut response = Response::new(Full::new(body));
    *response.status_mut() = status;
    Ok(response)
}

impl State {
    /// What the server has seen so far.
    pub fn stats(&self) -> ServerStats {
        ServerStats {
            requests: self.requests.load(Relaxed),
            connections: self.connections.load(Relaxed),
            distinct_ids: self
                .ids
                .as_ref()
                .map_or(0, |ids| ids.lock().expect("no panics hold this lock").len()),
        }
    }
}
