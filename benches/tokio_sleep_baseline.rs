//! A minimal hand-written tokio program doing the sleep workload at SPEC.md's
//! defaults, with nothing of rtbench in it: the yardstick that shows the
//! harness does not distort what it measures (see docs/results.md).
//!
//! `cargo bench --bench tokio_sleep_baseline` prints its wall time; with
//! `--test` (as `cargo bench -- --test` passes) it runs a small size once.

use std::time::{Duration, Instant};

use futures::StreamExt;
use futures::stream::FuturesUnordered;

fn main() {
    let test = std::env::args().any(|a| a == "--test");
    let ops: u64 = if test { 20_000 } else { 1_000_000 };
    let in_flight = 10_000;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("tokio starts");
    let (wall, ok, failed) = runtime.block_on(async {
        let start = Instant::now();
        let (mut ok, mut failed) = (0u64, 0u64);
        let mut running = FuturesUnordered::new();
        let mut next = 0;
        loop {
            while running.len() < in_flight && next < ops {
                let id = next;
                running.push(tokio::spawn(async move {
                    tokio::time::sleep(Duration::from_millis(1)).await;
                    id % 1000 != 0
                }));
                next += 1;
            }
            match running.next().await {
                Some(Ok(true)) => ok += 1,
                Some(Ok(false)) => failed += 1,
                Some(Err(e)) => panic!("task failed: {e}"),
                None => break,
            }
        }
        (start.elapsed(), ok, failed)
    });
    assert_eq!(ok + failed, ops, "counts add up");
    println!(
        "tokio sleep baseline: {ops} ops in {:.3} s (ok {ok}, failed {failed})",
        wall.as_secs_f64()
    );
}
