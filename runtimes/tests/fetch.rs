//! Fetch on every registered adapter: against the shipped server (in-process
//! here), against a misbehaving one, and against one that dies mid-run.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener};
use std::time::Duration;

mod common;

use common::{Check, cores, expect, on_every_runtime};
use rtbench_report::Model;
use rtbench_workloads::fetch::{Fetch, FetchParams};
use rtbench_workloads::server::{Server, ServerConfig};
use rtbench_workloads::{Outcome, Runtime, Size, Workload};

fn server(track_ids: bool) -> Server {
    Server::start(ServerConfig {
        addr: SocketAddr::from(([127, 0, 0, 1], 0)),
        threads: 1,
        track_ids,
    })
    .expect("the server starts")
}

fn fetch(url: String, ops: u64, in_flight: u64, latency_ms: u64) -> FetchParams {
    FetchParams {
        url: Some(url),
        ops,
        in_flight,
        latency_ms,
        ..Fetch::sizes(Size::Default)
    }
}

fn run<R: Runtime>(params: &FetchParams) -> Result<Outcome, String> {
    common::run::<R>("fetch", params)
}

struct KeepsConnectionsAlive;
impl Check for KeepsConnectionsAlive {
    fn check<R: Runtime>() -> Result<(), String> {
        let server = server(true);
        let out = run::<R>(&fetch(server.url(), 2_000, 200, 1))?;
        let seen = server.stats();
        expect(out.get("ok") == 2_000, "ok must be 2,000", &out)?;
        expect(
            out.send_delay.is_none(),
            "a closed loop records no send delay",
            &out,
        )?;
        expect(
            seen.distinct_ids == 2_000,
            &format!("the server must see 2,000 distinct ids, saw {seen:?}"),
            &out,
        )?;
        // One connection per in-flight slot, plus one probe per shard.
        let most = 200 + cores() as u64;
        expect(
            seen.connections <= most,
            &format!("at most {most} connections for 2,000 requests, saw {seen:?}"),
            &out,
        )
    }
}

#[test]
fn fetch_reuses_kept_alive_connections_on_every_runtime() {
    on_every_runtime::<KeepsConnectionsAlive>();
}

struct NonSuccessIsHttpError;
impl Check for NonSuccessIsHttpError {
    fn check<R: Runtime>() -> Result<(), String> {
        let server = server(false);
        let url = format!("{}/status?code=500", server.url());
        let out = run::<R>(&fetch(url, 200, 20, 0))?;
        expect(
            out.get("http_error") == 200,
            "every request must be an http_error",
            &out,
        )
    }
}

#[test]
fn a_500_is_an_http_error_on_every_runtime() {
    on_every_runtime::<NonSuccessIsHttpError>();
}

struct SlowAnswersTimeOut;
impl Check for SlowAnswersTimeOut {
    fn check<R: Runtime>() -> Result<(), String> {
        let server = server(false);
        let mut params = fetch(server.url(), 20, 10, 5_000);
        params.timeout_ms = 50;
        let out = run::<R>(&params)?;
        expect(
            out.get("timeout") == 20,
            "every request must time out",
            &out,
        )
    }
}

#[test]
fn a_slow_answer_is_a_timeout_on_every_runtime() {
    on_every_runtime::<SlowAnswersTimeOut>();
}

/// A server that answers every request with `response`, then closes.
fn misbehaving_server(response: &'static [u8]) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            std::thread::spawn(move || {
                let mut request = Vec::new();
                let mut byte = [0u8];
                while !request.ends_with(b"\r\n\r\n") && stream.read(&mut byte).unwrap_or(0) == 1 {
                    request.push(byte[0]);
                }
                if !request.is_empty() {
                    let _ = stream.write_all(response);
                }
            });
        }
    });
    url
}

struct WrongBodiesAreIoErrors;
impl Check for WrongBodiesAreIoErrors {
    fn check<R: Runtime>() -> Result<(), String> {
        let short =
            misbehaving_server(b"HTTP/1.1 200 OK\r\ncontent-length: 1024\r\n\r\nonly this much");
        let out = run::<R>(&fetch(short, 20, 4, 0))?;
        expect(
            out.get("io_error") == 20,
            "a short body must be an io_error",
            &out,
        )?;
        let long = misbehaving_server(
            b"HTTP/1.1 200 OK\r\ncontent-length: 20\r\n\r\ntwenty bytes of body",
        );
        let mut params = fetch(long, 20, 4, 0);
        params.body_bytes = 10;
        let out = run::<R>(&params)?;
        expect(
            out.get("io_error") == 20,
            "an over-long body must be an io_error",
            &out,
        )
    }
}

#[test]
fn a_short_or_long_body_is_an_io_error_on_every_runtime() {
    on_every_runtime::<WrongBodiesAreIoErrors>();
}

struct ServerDiesMidRun;
impl Check for ServerDiesMidRun {
    fn check<R: Runtime>() -> Result<(), String> {
        let server = server(false);
        let params = fetch(server.url(), 5_000, 50, 5);
        let killer = std::thread::spawn(move || {
            while server.stats().requests < 300 {
                std::thread::sleep(Duration::from_millis(1));
            }
            server.stop();
        });
        let out = run::<R>(&params)?;
        killer.join().expect("the killer thread ends");
        expect(
            out.get("io_error") > 0,
            "requests after the death are io_errors",
            &out,
        )?;
        let ended = ["ok", "http_error", "timeout", "io_error"].map(|n| out.get(n));
        expect(
            ended.iter().sum::<u64>() == 5_000,
            "every request ends once",
            &out,
        )
    }
}

#[test]
fn a_server_dying_mid_run_ends_the_case_with_io_errors_on_every_runtime() {
    on_every_runtime::<ServerDiesMidRun>();
}

struct NothingListening;
impl Check for NothingListening {
    fn check<R: Runtime>() -> Result<(), String> {
        let closed = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap();
        let url = format!("http://{closed}");
        match run::<R>(&fetch(url.clone(), 10, 2, 0)) {
            Err(e) if e.contains(&url) && !e.contains('\n') => Ok(()),
            Err(e) => Err(format!("the error must name {url} in one line: {e}")),
            Ok(out) => Err(format!(
                "a run with no server must fail, got {:?}",
                out.counts
            )),
        }
    }
}

#[test]
fn nothing_listening_is_a_one_line_error_on_every_runtime() {
    on_every_runtime::<NothingListening>();
}

/// Shards the client splits its work over: one per thread in thread-per-core runtimes.
fn shards<R: Runtime>() -> u64 {
    match R::MODEL {
        Model::ThreadPerCore => cores() as u64,
        Model::WorkStealing | Model::SingleThread => 1,
    }
}

/// An open loop whose one connection per shard is held 20 ms per request,
/// with a request due every millisecond: every request but each shard's
/// first finds the connection busy, is sent late, and both its latency and
/// its send delay count from when it was due.
struct OpenLoopCountsLateRequests;
impl Check for OpenLoopCountsLateRequests {
    fn check<R: Runtime>() -> Result<(), String> {
        let server = server(false);
        let mut params = fetch(server.url(), 20, 1, 20);
        params.rate = Some(1_000);
        let out = run::<R>(&params)?;
        let shards = shards::<R>();
        expect(
            out.get("ok") == 20,
            "every request is sent, none skipped",
            &out,
        )?;
        expect(
            out.get("late") == 20 - shards,
            "all but each shard's first are late",
            &out,
        )?;
        // A shard's last request was due (n - 1) intervals after its first
        // but could leave only after n - 1 answers of at least 20 ms each,
        // and took 20 ms itself.
        let n = 20 / shards;
        let least_ns = ((n - 1) * 20 - (n - 1) * shards + 20) * 1_000_000;
        expect(
            out.latency.max() >= least_ns,
            &format!(
                "the last latency counts from its due time: max {} ns, at least {least_ns}",
                out.latency.max()
            ),
            &out,
        )?;
        // It also left that late, less its own 20 ms, and its send delay says so.
        let sends = out
            .send_delay
            .as_ref()
            .ok_or("an open loop records its send delays")?;
        expect(
            sends.len() == 20,
            &format!("one send delay per request sent: {}", sends.len()),
            &out,
        )?;
        let late_ns = least_ns - 20_000_000;
        expect(
            sends.max() >= late_ns,
            &format!(
                "the last request is counted as sent late: send delay max {} ns, at least {late_ns}",
                sends.max()
            ),
            &out,
        )?;
        let achieved = out
            .achieved_rate
            .ok_or("an open loop records its achieved rate")?;
        expect(
            achieved < 500.0,
            &format!("connections held 20 ms a request cannot send 1,000/s: {achieved}"),
            &out,
        )
    }
}

#[test]
fn an_open_loop_counts_requests_late_and_from_their_due_time_on_every_runtime() {
    on_every_runtime::<OpenLoopCountsLateRequests>();
}

/// An open loop keeps to its schedule: 50 requests at 500 per second cannot
/// end before each shard's last is due.
struct OpenLoopKeepsItsSchedule;
impl Check for OpenLoopKeepsItsSchedule {
    fn check<R: Runtime>() -> Result<(), String> {
        let server = server(false);
        let mut params = fetch(server.url(), 50, 10, 0);
        params.rate = Some(500);
        let out = run::<R>(&params)?;
        expect(out.get("ok") == 50, "ok must be 50", &out)?;
        // n shards send 50 / n each, one every n × 2 ms: the last is due
        // (50 / n - 1) × n × 2 ms = (50 - n) × 2 ms after the first.
        let schedule = Duration::from_millis((50 - shards::<R>()) * 2);
        expect(
            out.wall >= schedule,
            &format!(
                "the run cannot end before its schedule ({schedule:?}): {:?}",
                out.wall
            ),
            &out,
        )
    }
}

#[test]
fn an_open_loop_keeps_its_schedule_on_every_runtime() {
    on_every_runtime::<OpenLoopKeepsItsSchedule>();
}
