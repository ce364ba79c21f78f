//! Facts about the machine a run happens on.

use rtbench_report::Host;

/// The host as results record it: CPU model, cores, kernel, architecture, and
/// the rustc that built us.
pub fn describe() -> Host {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let cpu_model = cpuinfo
        .lines()
        .find_map(|line| line.strip_prefix("model name")?.split_once(':'))
        .map_or_else(
            || std::env::consts::ARCH.to_owned(),
            |(_, v)| v.trim().to_owned(),
        );
    let kernel = std::fs::read_to_string("/proc/sys/kernel/osrelease")
        .map_or_else(|_| std::env::consts::OS.to_owned(), |v| v.trim().to_owned());
    Host {
        cpu_model,
        cores: cores(),
        kernel,
        rustc: env!("RTBENCH_RUSTC").to_owned(),
        arch: Some(std::env::consts::ARCH.to_owned()),
    }
}

/// Logical cores this process may use.
pub fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, usize::from)
}
