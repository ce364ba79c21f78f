//! The yardstick for fetch: a minimal hand-written tokio + hyper client doing
//! the default fetch (100,000 requests over 5,000 kept-alive connections
//! to the shipped server, 10 ms delay, 1 KiB bodies), run alternately with
//! rtbench's own tokio fetch case in the same process, against one shipped
//! server (`rtbench serve`, its own process). See docs/results.md.
//!
//! `cargo bench --bench tokio_fetch_baseline` runs 11 rounds of each, plus the
//! hand-written client again as a control for the machine's noise, and prints
//! the medians (`-- --rounds N` for more). With `--test` (as
//! `cargo bench -- --test` passes) each runs once at a small size.

mod race;
mod shipped_server;

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::time::{Duration, Instant};

use http_body_util::{BodyExt, Empty};
use hyper::Request;
use hyper::body::Bytes;
use hyper_util::rt::TokioIo;
use rtbench_workloads::fetch::{Fetch, FetchParams};
use rtbench_workloads::registry::untyped;
use rtbench_workloads::{Size, Workload};

/// fetch's default per-request timeout, which the hand-written client keeps too.
const TIMEOUT: Duration = Duration::from_secs(10);

/// The fetch workload written by hand: `connections` tasks, each with its own
/// kept-alive connection, sending requests until `ops` have been sent, each
/// under a timeout.
fn hand_written(url: &str, ops: u64, connections: u64) -> Duration {
    let addr = url.strip_prefix("http://").expect("an http URL").to_owned();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("tokio starts");
    runtime.block_on(async {
        let start = Instant::now();
        let next = Arc::new(AtomicU64::new(0));
        let ok = Arc::new(AtomicU64::new(0));
        let tasks: Vec<_> = (0..connections)
            .map(|_| {
                let (addr, next, ok) = (addr.clone(), next.clone(), ok.clone());
                tokio::spawn(async move {
                    let stream = tokio::net::TcpStream::connect(&addr).await.unwrap();
                    stream.set_nodelay(true).unwrap();
                    let (mut sender, connection) =
                        hyper::client::conn::http1::handshake(TokioIo::new(stream))
                            .await
                            .unwrap();
                    tokio::spawn(connection);
                    loop {
                        let id = next.fetch_add(1, Relaxed);
                        if id >= ops {
                            break;
                        }
                        let request = Request::get(format!("/delay?id={id}&ms=10&bytes=1024"))
                            .header(hyper::header::HOST, &addr)
                            .body(Empty::<Bytes>::new())
                            .unwrap();
                        let answer = tokio::time::timeout(TIMEOUT, async {
                            sender.ready().await?;
                            let response = sender.send_request(request).await?;
                            let status = response.status();
                            let body = response.into_body().collect().await?.to_bytes();
                            Ok::<_, hyper::Error>(status.is_success() && body.len() == 1024)
                        });
                        if let Ok(Ok(true)) = answer.await {
                            ok.fetch_add(1, Relaxed);
                        }
                    }
                })
            })
            .collect();
        for task in tasks {
            task.await.unwrap();
        }
        assert_eq!(ok.load(Relaxed), ops, "every request is ok");
        start.elapsed()
    })
}

/// rtbench's tokio adapter on its fetch workload, as a child process runs it.
fn rtbench(url: &str, ops: u64, connections: u64) -> Duration {
    let adapter = rtbench_runtimes::find("tokio").expect("tokio is registered");
    let params = FetchParams {
        ops,
        in_flight: connections,
        url: Some(url.to_owned()),
        ..Fetch::sizes(Size::Default)
    };
    let threads = std::thread::available_parallelism().map_or(1, usize::from);
    let outcome = (adapter.run)(Fetch::NAME, &untyped(&params), threads).expect("fetch runs");
    assert_eq!(
        outcome.get("ok"),
        ops,
        "every request is ok: {:?}",
        outcome.counts
    );
    outcome.wall
}

fn main() {
    let server = shipped_server::ShippedServer::start();
    let url = server.url.as_str();

    if std::env::args().any(|a| a == "--test") {
        hand_written(url, 2_000, 100);
        rtbench(url, 2_000, 100);
    } else {
        race::race(
            race::rounds(11),
            &|| hand_written(url, 100_000, 5_000),
            &|| rtbench(url, 100_000, 5_000),
        );
    }
}
