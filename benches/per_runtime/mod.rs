//! What the criterion benches share: one benchmark group per workload, one
//! benchmark per registered runtime, timed by the workload's own wall clock.

use std::time::Duration;

use criterion::{BenchmarkId, Criterion, SamplingMode, Throughput};
use rtbench_report::Params;

/// Benchmarks the workload called `workload` with `params` (its typed
/// parameters) on every registered runtime that can start here. Each iteration is one whole run of the workload; its time is
/// the workload's own wall time, so building and dropping the runtime stay
/// out of the measurement (`iter_custom`).
pub fn every_runtime(c: &mut Criterion, workload: &str, params: &impl serde::Serialize) {
    let params: &Params = &rtbench_workloads::registry::untyped(params);
    let threads = std::thread::available_parallelism().map_or(1, usize::from);
    let mut group = c.benchmark_group(workload);
    group
        .throughput(Throughput::Elements(params.ops))
        // Each iteration is a whole run of tens to hundreds of milliseconds:
        // flat sampling keeps the sample count without growing iterations.
        .sampling_mode(SamplingMode::Flat)
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(8));
    for adapter in rtbench_runtimes::adapters() {
        if let Err(why) = (adapter.available)() {
            eprintln!("{}: skipped, {why}", adapter.name);
            continue;
        }
        let threads = adapter.threads(threads);
        group.bench_function(BenchmarkId::from_parameter(adapter.name), |b| {
            b.iter_custom(|iterations| {
                (0..iterations)
                    .map(|_| match (adapter.run)(workload, params, threads) {
                        Ok(outcome) => outcome.wall,
                        Err(e) => panic!("{} {workload}: {e}", adapter.name),
                    })
                    .sum()
            });
        });
    }
    group.finish();
}
