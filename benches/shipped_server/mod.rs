//! The shipped fetch server (`rtbench serve`) in its own process, for benches.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

/// `rtbench serve`, stopped when dropped.
pub struct ShippedServer {
    process: Child,
    /// Its base URL.
    pub url: String,
}

impl ShippedServer {
    /// Starts the server (after raising the open-file limit, as `rtbench run`
    /// does) and waits for its URL.
    pub fn start() -> ShippedServer {
        let _ = rlimit::increase_nofile_limit(u64::MAX);
        let mut process = Command::new(env!("CARGO_BIN_EXE_rtbench"))
            .arg("serve")
            .stdout(Stdio::piped())
            .spawn()
            .expect("rtbench serve starts");
        let mut url = String::new();
        BufReader::new(process.stdout.take().expect("piped"))
            .read_line(&mut url)
            .expect("the server prints its URL");
        ShippedServer {
            process,
            url: url.trim().to_owned(),
        }
    }
}

impl Drop for ShippedServer {
    fn drop(&mut self) {
        let _ = self.process.kill();
        let _ = self.process.wait();
    }
}
