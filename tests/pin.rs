//! `--pin`, end to end: the real binary keeps serve's server and its load
//! generator, and fetch's runtime and the shipped server, on the CPUs it was
//! given, as the children read their own threads' affinity.

mod common;

use common::{rtbench, succeeds};

use rtbench_report::ResultsFile;

/// The first two CPUs this test may run on, as `--pin server=A,client=B`.
fn two_cpus() -> (usize, usize) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let line = (status.lines())
        .find_map(|l| l.strip_prefix("Cpus_allowed_list:"))
        .unwrap();
    let cpus: Vec<usize> = rtbench_report::cpu_list::parse(line.trim())
        .unwrap()
        .into_iter()
        .collect();
    assert!(
        cpus.len() >= 2,
        "--pin needs two CPUs to keep apart, this has {cpus:?}"
    );
    (cpus[0], cpus[1])
}

#[test]
fn pinned_the_servers_threads_run_on_its_cpus_only_and_unpinned_on_all() {
    let (server, client) = two_cpus();
    let pin = format!("server={server},client={client}");
    let dir = tempfile::tempdir().unwrap();
    succeeds(
        rtbench()
            .args([
                "run",
                "--workloads",
                "serve,fetch",
                "--runtimes",
                "tokio",
                "--preset",
                "quick",
                "--ops",
                "200",
                "--reps",
                "1",
                "--pin",
                "none",
                "--pin",
                &pin,
                "--out",
            ])
            .arg(dir.path()),
    );
    let results = ResultsFile::read(&dir.path().join("results.json")).unwrap();
    let case = |workload: &str, pinned: bool| {
        (results.cases.iter())
            .find(|c| c.workload.name() == workload && c.params.cpus.is_some() == pinned)
            .unwrap_or_else(|| panic!("no {workload} case pinned={pinned}"))
    };
    let (server, client) = (server.to_string(), client.to_string());
    // serve: the runtime is the server, each of its threads allowed only its CPU.
    let serve = case("serve", true);
    let recorded = serve.params.cpus.as_ref().unwrap();
    assert_eq!((&recorded.server, &recorded.client), (&server, &client));
    let run = &serve.runs[0];
    assert_eq!(
        run.cpus.as_ref(),
        Some(&server),
        "every server thread on {server}"
    );
    assert_eq!(run.client_cpus.as_ref(), Some(&client));
    assert_eq!(serve.threads, 1, "--threads follows the server's one CPU");
    assert_eq!(serve.params.number("client_threads"), Some(1));
    // fetch: the runtime is the client; the shipped server has the other CPU.
    let fetch = case("fetch", true);
    assert_eq!(fetch.runs[0].cpus.as_ref(), Some(&client));
    assert_eq!(
        (fetch.threads, fetch.params.number("server_threads")),
        (1, Some(1))
    );
    // Unpinned, the threads may run on more than one CPU.
    let free = case("serve", false).runs[0].cpus.clone().unwrap();
    assert!(
        rtbench_report::cpu_list::count(&free).unwrap() >= 2,
        "{free}"
    );
}

#[test]
fn a_cpu_that_does_not_exist_is_one_line_naming_the_flag() {
    let out = rtbench()
        .args([
            "run",
            "--workloads",
            "serve",
            "--pin",
            "server=0,client=4095",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.starts_with("error: --pin server=0,client=4095: CPU 4095 is not one"),
        "{stderr}"
    );
}
