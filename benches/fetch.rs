//! `cargo bench --bench fetch`: the fetch workload on every runtime against
//! the shipped server (`rtbench serve`, its own process), at 10,000 requests
//! over 500 connections.

mod per_runtime;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use criterion::{Criterion, criterion_group, criterion_main};
use rtbench_report::Workload;

fn fetch(c: &mut Criterion) {
    let _ = rlimit::increase_nofile_limit(u64::MAX);
    let mut server = Command::new(env!("CARGO_BIN_EXE_rtbench"))
        .arg("serve")
        .stdout(Stdio::piped())
        .spawn()
        .expect("rtbench serve starts");
    let mut url = String::new();
    BufReader::new(server.stdout.take().expect("piped"))
        .read_line(&mut url)
        .expect("the server prints its URL");
    let mut params = rtbench_workloads::defaults(Workload::Fetch);
    (params.ops, params.in_flight) = (10_000, 500);
    params.url = Some(url.trim().to_owned());
    per_runtime::every_runtime(c, Workload::Fetch, &params);
    let _ = server.kill();
    let _ = server.wait();
}

criterion_group!(benches, fetch);
criterion_main!(benches);
