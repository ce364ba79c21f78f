//! `cargo bench --bench cancel`: the cancel workload (parked) on every
//! runtime, at 100,000 tasks (a tenth of the default).

mod per_runtime;

use criterion::{Criterion, criterion_group, criterion_main};
use rtbench_workloads::cancel::{Cancel, CancelParams};
use rtbench_workloads::{Size, Workload};

fn cancel(c: &mut Criterion) {
    let params = CancelParams {
        ops: 100_000,
        ..Cancel::sizes(Size::Default)
    };
    per_runtime::every_runtime(c, Cancel::NAME, &params);
}

criterion_group!(benches, cancel);
criterion_main!(benches);
