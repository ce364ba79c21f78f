//! `cargo bench --bench fetch`: the fetch workload on every runtime against
//! the shipped server (`rtbench serve`, its own process), at 10,000 requests
//! over 500 connections.

mod per_runtime;
mod shipped_server;

use criterion::{Criterion, criterion_group, criterion_main};
use rtbench_report::Workload;

fn fetch(c: &mut Criterion) {
    let server = shipped_server::ShippedServer::start();
    let mut params = rtbench_workloads::defaults(Workload::Fetch);
    (params.ops, params.in_flight) = (10_000, 500);
    params.url = Some(server.url.clone());
    per_runtime::every_runtime(c, Workload::Fetch, &params);
}

criterion_group!(benches, fetch);
criterion_main!(benches);
