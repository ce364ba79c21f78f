//! Facts about the machine a run happens on.

use rtbench_report::Host;

/// The host as results record it: CPU model, cores, kernel, architecture, and
/// the rustc that built us.
pub fn describe() -> Host {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    // ARM kernels name no model in /proc/cpuinfo; lscpu maps its part number
    // to one (e.g. Neoverse-N2).
    let lscpu = std::process::Command::new("lscpu")
        .env("LC_ALL", "C")
        .output()
        .map(|out| String::from_utf8_lossy(&out.stdout).into_owned())
        .unwrap_or_default();
    let cpu_model = field(&cpuinfo, "model name")
        .or_else(|| field(&lscpu, "Model name"))
        .unwrap_or_else(|| std::env::consts::ARCH.to_owned());
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

/// The value of the first `name: value` line of `text` that names `name`
/// (indented or not: lscpu indents it under the vendor).
fn field(text: &str, name: &str) -> Option<String> {
    text.lines()
        .find_map(|line| line.trim_start().strip_prefix(name)?.split_once(':'))
        .map(|(_, v)| v.trim().to_owned())
        .filter(|v| !v.is_empty() && v != "-")
}

/// Logical cores this process may use.
pub fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, usize::from)
}

#[cfg(test)]
mod tests {
    use super::field;

    #[test]
    fn the_cpu_model_comes_from_the_first_source_that_names_one() {
        let arm_cpuinfo = "processor\t: 0\nBogoMIPS\t: 50.00\nCPU part\t: 0xd49\n";
        let lscpu = "Architecture:            aarch64\n  Model name:            Neoverse-N2\n";
        assert_eq!(field(arm_cpuinfo, "model name"), None);
        assert_eq!(field(lscpu, "Model name").as_deref(), Some("Neoverse-N2"));
        let x86 = "model name\t: AMD EPYC 7763 64-Core Processor\n";
        assert_eq!(
            field(x86, "model name").as_deref(),
            Some("AMD EPYC 7763 64-Core Processor")
        );
    }
}
