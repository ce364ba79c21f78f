//! `cargo bench --bench sleep`: the sleep workload on every runtime, at
//! 100,000 ops (a tenth of the default) so the whole suite takes minutes.

mod per_runtime;

use criterion::{Criterion, criterion_group, criterion_main};
use rtbench_workloads::sleep::{Sleep, SleepParams};
use rtbench_workloads::{Size, Workload};

fn sleep(c: &mut Criterion) {
    let params = SleepParams {
        ops: 100_000,
        ..Sleep::sizes(Size::Default)
    };
    per_runtime::every_runtime(c, Sleep::NAME, &params);
}

criterion_group!(benches, sleep);
criterion_main!(benches);
