//! The server fetch cases run against: the shipped one in its own process, or
//! one the user points `--url` at.

use std::io::{BufRead, BufReader, Read};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;

use crate::cpus::CpuList;

/// How long to wait for the shipped server to print its URL, or for a
/// `--url` server to accept a connection.
const STARTUP_LIMIT: Duration = Duration::from_secs(10);

/// A server for fetch cases; the shipped one is stopped when this is dropped.
#[derive(Debug)]
pub struct FetchServer {
    url: String,
    process: Option<Child>,
}

impl FetchServer {
    /// Starts `rtbench serve` with `threads` workers, on `cpus` if given,
    /// and waits for its URL.
    pub fn start(
        program: &Path,
        threads: usize,
        cpus: Option<&CpuList>,
    ) -> Result<FetchServer, String> {
        let mut command = Command::new(program);
        if let Some(cpus) = cpus {
            cpus.give_to(&mut command);
        }
        let mut process = command
            .args(["serve", "--threads", &threads.to_string()])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| format!("cannot start the fetch server: {e}"))?;
        let stdout = process.stdout.take().expect("stdout is piped");
        let (line, read) = mpsc::channel();
        std::thread::spawn(move || {
            let mut first = String::new();
            let _ = BufReader::new(stdout).read_line(&mut first);
            let _ = line.send(first);
        });
        match read.recv_timeout(STARTUP_LIMIT) {
            Ok(url) if url.starts_with("http://") => Ok(FetchServer {
                url: url.trim().to_owned(),
                process: Some(process),
            }),
            _ => {
                let _ = process.kill();
                let mut stderr = String::new();
                if let Some(mut pipe) = process.stderr.take() {
                    let _ = pipe.read_to_string(&mut stderr);
                }
                let why = stderr.lines().last().unwrap_or("it printed no URL");
                Err(format!("the fetch server did not start: {why}"))
            }
        }
    }

    /// A server the user runs at `url`; refuses one that does not accept connections.
    pub fn external(url: &str) -> Result<FetchServer, String> {
        let unreachable = |why: String| {
            format!("cannot reach the fetch server at {url} ({why}): start it, or fix --url")
        };
        let addr = rtbench_workloads::fetch::server_addr(url)?;
        TcpStream::connect_timeout(&addr, STARTUP_LIMIT).map_err(|e| unreachable(e.to_string()))?;
        Ok(FetchServer {
            url: url.to_owned(),
            process: None,
        })
    }

    /// The URL requests go to.
    pub fn url(&self) -> &str {
        &self.url
    }
}

impl Drop for FetchServer {
    fn drop(&mut self) {
        if let Some(mut process) = self.process.take() {
            // SIGTERM lets it close its connections; it exits at once.
            let pid = Pid::from_raw(process.id() as i32);
            if kill(pid, Signal::SIGTERM).is_err() {
                let _ = process.kill();
            }
            let _ = process.wait();
        }
    }
}
