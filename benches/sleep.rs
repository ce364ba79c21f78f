//! `cargo bench --bench sleep`: the sleep workload on every runtime, at
//! 100,000 ops (a tenth of the default) so the whole suite takes minutes.

mod per_runtime;

use criterion::{Criterion, criterion_group, criterion_main};
use rtbench_report::Workload;

fn sleep(c: &mut Criterion) {
    let mut params = rtbench_workloads::defaults(Workload::Sleep);
    params.ops = 100_000;
    per_runtime::every_runtime(c, Workload::Sleep, &params);
}

criterion_group!(benches, sleep);
criterion_main!(benches);
