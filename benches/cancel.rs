//! `cargo bench --bench cancel`: the cancel workload (parked) on every
//! runtime, at 100,000 tasks (a tenth of the default).

mod per_runtime;

use criterion::{Criterion, criterion_group, criterion_main};
use rtbench_report::Workload;

fn cancel(c: &mut Criterion) {
    let mut params = rtbench_workloads::defaults(Workload::Cancel);
    params.ops = 100_000;
    per_runtime::every_runtime(c, Workload::Cancel, &params);
}

criterion_group!(benches, cancel);
criterion_main!(benches);
