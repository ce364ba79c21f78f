//! Records the compiler's version, so results say which rustc built the binary.

fn main() {
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
    let version = std::process::Command::new(rustc)
        .arg("--version")
        .output()
        .ok()
        .and_then(|out| String::from_utf8(out.stdout).ok())
        .map_or_else(|| "unknown rustc".into(), |v| v.trim().to_owned());
    println!("cargo::rustc-env=RTBENCH_RUSTC={version}");
}
