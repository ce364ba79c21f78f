//! One repetition of a serve case: the runtime's server in one measured child
//! process, the load generator in another, the server stopped when the
//! generator is done.

use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

use rtbench_report::Run;
use rtbench_workloads::Load;

use crate::cpus::CpuList;
use crate::process::{self, Measured, Running};
use crate::repetition::run_of;

/// How long a server may take to print its URL (natively; under valgrind,
/// `slowdown` times this).
const STARTUP_LIMIT: Duration = Duration::from_secs(10);
/// How long a server may take to stop once told (natively; likewise).
const STOP_LIMIT: Duration = Duration::from_secs(10);
/// How often the runner looks whether the server died while the generator runs.
const WATCH: Duration = Duration::from_millis(10);

/// The load generator: a workload of rtbench's (serve's: the fetch client)
/// on tokio, the same for every runtime.
#[derive(Debug, Clone)]
pub struct Generator {
    /// rtbench itself.
    pub program: PathBuf,
    /// Arguments before the case's own (none for rtbench; tests put a script here).
    pub args: Vec<String>,
    /// What it runs, with how many threads; the server's URL is added.
    pub load: Load,
    /// The CPUs it is kept on (`--pin`'s client side), if any.
    pub cpus: Option<CpuList>,
}

impl Generator {
    fn command(&self, url: &str) -> Command {
        let mut params = self.load.params.clone();
        params.set("url", url.into());
        let mut command = Command::new(&self.program);
        command.args(&self.args).args([
            "__case".to_owned(),
            "--runtime=tokio".to_owned(),
            format!("--workload={}", self.load.workload),
            format!("--threads={}", self.load.threads),
            format!(
                "--params={}",
                serde_json::to_string(&params).expect("serialisable")
            ),
        ]);
        command
    }
}

/// Runs the server (`server`, on `cpus` if given), then the generator
/// against it (on its own CPUs, if given); the run has
/// the generator's figures, the server's CPU time and peak memory, and the
/// generator's CPU time as `client_cpu_s`. A server that dies mid-run stops
/// the generator and fails the run; a generator that fails (one that cannot
/// connect fails at once) stops the server and fails the run.
///
/// `slowdown`: how many times slower than natively the server runs (1, or
/// [`crate::counts::SLOWDOWN`] under valgrind), which its start and stop may take.
pub fn measure(
    server: Command,
    cpus: Option<&CpuList>,
    generator: &Generator,
    limit: Duration,
    slowdown: u32,
) -> Result<Run, String> {
    let deadline = Instant::now() + limit;
    let server =
        process::start(server, cpus).map_err(|e| format!("cannot start the server: {e}"))?;
    let Some(url) = server
        .next_line(STARTUP_LIMIT * slowdown)
        .filter(|line| line.starts_with("http://"))
    else {
        let why = last_words(server.kill());
        return Err(format!("the server did not start{why}"));
    };
    let mut server = server;
    let mut client = process::start(generator.command(&url), generator.cpus.as_ref())
        .map_err(|e| format!("cannot start the load generator: {e}"))?;
    while !client.ended_within(WATCH) {
        if server.ended_within(Duration::ZERO) {
            let _ = client.kill();
            let why = ended(server.finish(Duration::ZERO));
            return Err(format!(
                "the server died mid-run ({why}); the load generator was stopped"
            ));
        }
        if Instant::now() > deadline {
            let _ = client.kill();
            let _ = server.kill();
            return Err(format!(
                "timed out after {} s and was killed; raise --timeout-s or lower --ops",
                limit.as_secs()
            ));
        }
    }
    let client = client.finish(Duration::ZERO);
    let server = stop(server, STOP_LIMIT * slowdown);
    let client = client
        .map_err(|e| e.to_string())
        .and_then(|measured| run_of(measured, limit))
        .map_err(|why| format!("the load generator failed: {why}"))?;
    let server = server?;
    let mut run = client.clone();
    run.cpu_s = server.cpu_s;
    run.peak_rss_bytes = server.peak_rss_bytes;
    run.client_cpu_s = Some(client.cpu_s);
    run.cpus = server.cpus;
    run.client_cpus = client.cpus;
    // The runtime measured is the server's: its driver, not the generator's.
    run.io_driver = server.io_driver;
    // The counts are the server's: it is the runtime under test.
    run.counted = server.counted;
    for (name, n) in server.counts {
        run.counts.insert(format!("server_{name}"), n);
    }
    Ok(run)
}

/// Tells the server to stop (its stdin closes) and measures it.
fn stop(server: Running, limit: Duration) -> Result<Run, String> {
    let measured = server
        .finish(limit)
        .map_err(|e| format!("cannot wait for the server: {e}"))?;
    if measured.status.is_none() {
        return Err(format!(
            "the server did not stop within {} s of being told",
            limit.as_secs()
        ));
    }
    run_of(measured, limit).map_err(|why| format!("the server failed: {why}"))
}

/// How a child ended, with its last line of stderr.
fn ended(measured: std::io::Result<Measured>) -> String {
    match measured {
        Ok(m) => {
            let status = m.status.map_or("killed".to_owned(), |s| s.to_string());
            format!("{status}{}", last_words(Ok(m)))
        }
        Err(e) => e.to_string(),
    }
}

/// `: <last line of stderr>`, or nothing.
fn last_words(measured: std::io::Result<Measured>) -> String {
    measured
        .ok()
        .and_then(|m| {
            m.stderr
                .lines()
                .rev()
                .find(|l| !l.trim().is_empty())
                .map(|l| format!(": {l}"))
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    const CLIENT_RECORD: &str = r#"{"wall_s":0.5,"counts":{"ok":10},"latency_ns":{"p50":1,"p90":2,"p99":3,"p999":4,"max":5}}"#;
    const SERVER_RECORD: &str = r#"{"wall_s":0.9,"counts":{"requests":10,"connections":2},"latency_ns":{"p50":0,"p90":0,"p99":0,"p999":0,"max":0},"io_driver":"epoll"}"#;

    /// `sh -c script`, the URL line and the case's arguments passed as `$1…`.
    fn sh(script: &str) -> Command {
        let mut command = Command::new("sh");
        command.args(["-c", script]);
        command
    }

    fn generator(script: &str) -> Generator {
        Generator {
            program: "sh".into(),
            args: vec!["-c".into(), script.into(), "generator".into()],
            load: Load {
                workload: "fetch",
                params: rtbench_report::Params::default(),
                threads: 1,
                words: "a script",
            },
            cpus: None,
        }
    }

    /// A server that prints its URL, serves until stdin closes, then reports.
    fn well_behaved_server() -> Command {
        sh(&format!(
            "echo http://127.0.0.1:1; cat >/dev/null; echo '{SERVER_RECORD}'"
        ))
    }

    const LIMIT: Duration = Duration::from_secs(60);

    #[test]
    fn the_run_has_the_generators_figures_and_the_servers_cost() {
        let client = generator(&format!("echo '{CLIENT_RECORD}'"));
        let run = measure(well_behaved_server(), None, &client, LIMIT, 1).unwrap();
        assert_eq!(run.wall_s, 0.5, "the generator's wall time");
        assert_eq!(run.counts["ok"], 10);
        assert_eq!(run.counts["server_requests"], 10);
        assert_eq!(run.counts["server_connections"], 2);
        assert!(run.client_cpu_s.is_some());
        assert!(run.peak_rss_bytes > 0, "the server's memory, measured");
        assert_eq!(
            run.io_driver.as_deref(),
            Some("epoll"),
            "the server's driver"
        );
    }

    #[test]
    fn the_generator_is_told_the_servers_url() {
        // The generator fails unless its arguments carry the URL the server printed.
        let client = generator(&format!(
            "case \"$*\" in *'\"url\":\"http://127.0.0.1:1\"'*) echo '{CLIENT_RECORD}';; \
             *) echo \"no url in $*\" >&2; exit 1;; esac"
        ));
        measure(well_behaved_server(), None, &client, LIMIT, 1).unwrap();
    }

    #[test]
    fn a_server_dying_mid_run_fails_the_run_and_stops_the_generator() {
        let dying = sh("echo http://127.0.0.1:1; sleep 0.2; echo 'server fell over' >&2; exit 3");
        let error = measure(dying, None, &generator("exec sleep 600"), LIMIT, 1).unwrap_err();
        assert!(error.contains("the server died mid-run"), "{error}");
        assert!(error.contains("exit status: 3"), "{error}");
        assert!(error.contains("server fell over"), "{error}");
    }

    #[test]
    fn a_generator_that_fails_stops_the_server_and_fails_the_run() {
        let client = generator("echo 'error: cannot connect to the fetch server' >&2; exit 2");
        let error = measure(well_behaved_server(), None, &client, LIMIT, 1).unwrap_err();
        assert!(error.contains("the load generator failed"), "{error}");
        assert!(error.contains("cannot connect"), "{error}");
    }

    #[test]
    fn a_server_that_never_prints_its_url_fails_the_run() {
        let mute = sh("echo 'cannot listen: no address' >&2; exit 2");
        let error = measure(mute, None, &generator("exit 0"), LIMIT, 1).unwrap_err();
        assert!(error.contains("the server did not start"), "{error}");
        assert!(error.contains("cannot listen"), "{error}");
    }
}
