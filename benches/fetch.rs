//! `cargo bench --bench fetch`: the fetch workload on every runtime against
//! the shipped server (`rtbench serve`, its own process), at 10,000 requests
//! over 500 connections.

mod per_runtime;
mod shipped_server;

use criterion::{Criterion, criterion_group, criterion_main};
use rtbench_workloads::fetch::{Fetch, FetchParams};
use rtbench_workloads::{Size, Workload};

fn fetch(c: &mut Criterion) {
    let server = shipped_server::ShippedServer::start();
    let params = FetchParams {
        ops: 10_000,
        in_flight: 500,
        url: Some(server.url.clone()),
        ..Fetch::sizes(Size::Default)
    };
    per_runtime::every_runtime(c, Fetch::NAME, &params);
}

criterion_group!(benches, fetch);
criterion_main!(benches);
