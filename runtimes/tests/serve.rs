//! Serve on every registered adapter: the runtime is the server, in-process
//! here, and rtbench's fetch client on tokio (the load generator) or a plain
//! socket is the client.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering::Relaxed};
use std::sync::mpsc;
use std::thread::JoinHandle;
use std::time::Duration;

mod common;

use common::{Check, cores, expect, on_every_runtime};
use rtbench_runtimes::tokio::Tokio;
use rtbench_workloads::fetch::{Fetch, FetchParams};
use rtbench_workloads::serve::{ServeControl, serve};
use rtbench_workloads::server::{ServerStats, State, new_state};
use rtbench_workloads::{Outcome, Runtime};
use rtbench_workloads::{Size, Workload};

/// Bound on waiting for a server to start or to see a request: a guard
/// against a hang, not a timing assertion.
const PATIENCE: Duration = Duration::from_secs(30);

/// A serve run of `R` on its own thread, with the machine's cores.
struct Serving {
    addr: SocketAddr,
    stop: Arc<AtomicBool>,
    state: Arc<State>,
    thread: Option<JoinHandle<Result<Outcome, String>>>,
}

impl Serving {
    fn start<R: Runtime>() -> Result<Serving, String> {
        let (ready, listening) = mpsc::channel();
        let stop = Arc::new(AtomicBool::new(false));
        let state = new_state(false);
        let control = ServeControl {
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            ready: Box::new(move |addr| {
                let _ = ready.send(addr);
            }),
            stop: stop.clone(),
            state: state.clone(),
        };
        let thread = std::thread::spawn(move || serve::<R>(cores(), control));
        match listening.recv_timeout(PATIENCE) {
            Ok(addr) => Ok(Serving {
                addr,
                stop,
                state,
                thread: Some(thread),
            }),
            Err(_) => {
                stop.store(true, Relaxed);
                Err(match thread.join() {
                    Ok(Err(why)) => format!("the server did not start: {why}"),
                    _ => "the server did not start".into(),
                })
            }
        }
    }

    fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    fn stats(&self) -> ServerStats {
        self.state.stats()
    }

    /// Waits until the server has seen `requests` requests.
    fn wait_for_requests(&self, requests: u64) -> Result<(), String> {
        let started = std::time::Instant::now();
        while self.stats().requests < requests {
            if started.elapsed() > PATIENCE {
                return Err(format!("the server never saw {requests} requests"));
            }
            std::thread::sleep(Duration::from_millis(1));
        }
        Ok(())
    }

    /// Stops the server and returns its outcome.
    fn stop(mut self) -> Result<Outcome, String> {
        self.stop.store(true, Relaxed);
        let thread = self.thread.take().expect("stopped once");
        thread
            .join()
            .map_err(|_| "the server panicked".to_string())?
    }
}

impl Drop for Serving {
    /// A check that failed early still stops its server.
    fn drop(&mut self) {
        self.stop.store(true, Relaxed);
    }
}

/// rtbench's load generator (the fetch workload on tokio) against `url`.
fn generate(url: String, ops: u64, connections: u64, latency_ms: u64) -> Result<Outcome, String> {
    let params = FetchParams {
        url: Some(url),
        ops,
        in_flight: connections,
        latency_ms,
        body_bytes: 1024,
        ..Fetch::sizes(Size::Default)
    };
    common::run::<Tokio>("fetch", &params)
}

/// One request on a fresh connection, `Connection: close`, answer read whole.
fn raw_get(addr: SocketAddr, path: &str) -> Result<String, String> {
    let mut stream = TcpStream::connect(addr).map_err(|e| e.to_string())?;
    let request = format!("GET {path} HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n");
    stream
        .write_all(request.as_bytes())
        .map_err(|e| e.to_string())?;
    let mut answer = String::new();
    stream
        .read_to_string(&mut answer)
        .map_err(|e| e.to_string())?;
    Ok(answer)
}

struct StatusAndBody;
impl Check for StatusAndBody {
    fn check<R: Runtime>() -> Result<(), String> {
        let server = Serving::start::<R>()?;
        let ok = raw_get(server.addr, "/delay?ms=1&bytes=5")?;
        if !(ok.starts_with("HTTP/1.1 200 OK\r\n")
            && ok.contains("content-length: 5\r\n")
            && ok.ends_with("\r\n\r\nxxxxx"))
        {
            return Err(format!("/delay must answer 200 with 5 bytes: {ok:?}"));
        }
        let missing = raw_get(server.addr, "/nowhere")?;
        if !missing.starts_with("HTTP/1.1 404 ") {
            return Err(format!("/nowhere must answer 404: {missing:?}"));
        }
        let status = raw_get(server.addr, "/status?code=503")?;
        if !status.starts_with("HTTP/1.1 503 ") {
            return Err(format!("/status?code=503 must answer 503: {status:?}"));
        }
        let out = server.stop()?;
        expect(out.get("requests") == 3, "the server saw 3 requests", &out)?;
        expect(out.get("connections") == 3, "on 3 connections", &out)
    }
}

#[test]
fn serve_answers_with_status_and_body_on_every_runtime() {
    on_every_runtime::<StatusAndBody>();
}

/// 500 connections at once, each kept alive for 8 requests.
struct ManyKeptAliveConnections;
impl Check for ManyKeptAliveConnections {
    fn check<R: Runtime>() -> Result<(), String> {
        let server = Serving::start::<R>()?;
        let client = generate(server.url(), 4_000, 500, 0)?;
        expect(
            client.get("ok") == 4_000,
            "every request ok, its body whole",
            &client,
        )?;
        let out = server.stop()?;
        expect(out.get("requests") == 4_000, "the server saw 4,000", &out)?;
        // One connection per connection task, plus the generator's probe:
        // none was replaced, so each carried its requests kept alive.
        expect(out.get("connections") == 501, "over 501 connections", &out)
    }
}

#[test]
fn serve_keeps_many_connections_alive_at_once_on_every_runtime() {
    on_every_runtime::<ManyKeptAliveConnections>();
}

/// A client that sends a slow request and leaves does not disturb the others,
/// nor the stop.
struct ClientGoneMidRequest;
impl Check for ClientGoneMidRequest {
    fn check<R: Runtime>() -> Result<(), String> {
        let server = Serving::start::<R>()?;
        let mut gone = TcpStream::connect(server.addr).map_err(|e| e.to_string())?;
        gone.write_all(b"GET /delay?ms=200&bytes=10 HTTP/1.1\r\nHost: test\r\n\r\n")
            .map_err(|e| e.to_string())?;
        server.wait_for_requests(1)?;
        drop(gone);
        let client = generate(server.url(), 200, 10, 0)?;
        expect(client.get("ok") == 200, "the others are served", &client)?;
        let out = server.stop()?;
        expect(out.get("requests") == 201, "the server saw 201", &out)?;
        expect(
            out.get("connections") == 12,
            "the gone client, the probe and 10 connections",
            &out,
        )
    }
}

#[test]
fn serve_survives_a_client_gone_mid_request_on_every_runtime() {
    on_every_runtime::<ClientGoneMidRequest>();
}

/// On stop, an idle kept-alive connection is closed, a request being answered
/// is finished first, and the listener no longer accepts.
struct StopsCleanly;
impl Check for StopsCleanly {
    fn check<R: Runtime>() -> Result<(), String> {
        let server = Serving::start::<R>()?;
        let addr = server.addr;
        let request =
            |ms: u32| format!("GET /delay?ms={ms}&bytes=5 HTTP/1.1\r\nHost: test\r\n\r\n");
        let mut idle = TcpStream::connect(addr).map_err(|e| e.to_string())?;
        idle.write_all(request(0).as_bytes())
            .map_err(|e| e.to_string())?;
        let mut answer = Vec::new();
        let mut chunk = [0u8; 512];
        while !answer.ends_with(b"xxxxx") {
            let n = idle.read(&mut chunk).map_err(|e| e.to_string())?;
            if n == 0 {
                return Err("the kept-alive connection closed early".into());
            }
            answer.extend_from_slice(&chunk[..n]);
        }
        let mut busy = TcpStream::connect(addr).map_err(|e| e.to_string())?;
        busy.write_all(request(300).as_bytes())
            .map_err(|e| e.to_string())?;
        server.wait_for_requests(2)?;
        let out = server.stop()?;
        expect(out.get("requests") == 2, "the server saw 2 requests", &out)?;
        let n = idle.read(&mut chunk).map_err(|e| e.to_string())?;
        if n != 0 {
            return Err(format!(
                "the idle connection must be closed, read {n} bytes"
            ));
        }
        let mut finished = String::new();
        busy.read_to_string(&mut finished)
            .map_err(|e| format!("the busy connection: {e}"))?;
        if !(finished.starts_with("HTTP/1.1 200 OK\r\n") && finished.ends_with("xxxxx")) {
            return Err(format!(
                "the request in flight must be answered: {finished:?}"
            ));
        }
        match TcpStream::connect(addr) {
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionRefused => Ok(()),
            other => Err(format!("after stop, connecting must be refused: {other:?}")),
        }
    }
}

#[test]
fn serve_stops_cleanly_on_every_runtime() {
    on_every_runtime::<StopsCleanly>();
}
