//! The yardstick that shows the harness does not distort what it measures: a
//! minimal hand-written tokio program doing the sleep workload at its
//! defaults, run alternately with rtbench's own tokio case in the same process
//! (fresh runtime each time), so only the code differs. See docs/results.md.
//!
//! `cargo bench --bench tokio_sleep_baseline` runs 11 rounds of each, plus the
//! hand-written program again as a control for the machine's noise, and prints
//! the medians (`-- --rounds N` for more; `-- --hand-written` runs the
//! hand-written program once, to interleave with `rtbench run`). With `--test`
//! (as `cargo bench -- --test` passes) each runs once at a small size.

mod race;

use std::time::{Duration, Instant};

use futures::StreamExt;
use futures::stream::FuturesUnordered;
use rtbench_workloads::registry::untyped;
use rtbench_workloads::sleep::{Sleep, SleepParams};
use rtbench_workloads::{Size, Workload};

/// The sleep workload written by hand: a rolling window of spawned tasks that
/// each sleep 1 ms; ids divisible by 1000 fail. Returns the wall time.
fn hand_written(ops: u64) -> Duration {
    let in_flight = 10_000;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("tokio starts");
    runtime.block_on(async {
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
        assert_eq!((ok, failed), (ops - ops.div_ceil(1000), ops.div_ceil(1000)));
        start.elapsed()
    })
}

/// rtbench's tokio adapter on its sleep workload, as a child process runs it.
fn rtbench(ops: u64) -> Duration {
    let adapter = rtbench_runtimes::find("tokio").expect("tokio is registered");
    let params = SleepParams {
        ops,
        ..Sleep::sizes(Size::Default)
    };
    let threads = std::thread::available_parallelism().map_or(1, usize::from);
    (adapter.run)(Sleep::NAME, &untyped(&params), threads)
        .expect("the sleep workload runs")
        .wall
}

fn main() {
    if std::env::args().any(|a| a == "--test") {
        hand_written(20_000);
        rtbench(20_000);
        return;
    }
    if std::env::args().any(|a| a == "--hand-written") {
        println!("hand-written {:.3}", hand_written(1_000_000).as_secs_f64());
        return;
    }
    race::race(race::rounds(11), &|| hand_written(1_000_000), &|| {
        rtbench(1_000_000)
    });
}
