//! Runs a child under valgrind's callgrind with a fixed simulated cache and
//! reads its output files into [`Counted`]: instructions, and the accesses
//! that hit L1, hit the last level, or went to RAM. Nothing past this module
//! sees valgrind's text.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use rtbench_report::counted::Counted;

/// The simulated caches, fixed (as CodSpeed fixes them) so that counts do not
/// depend on the host's: 32 KiB 8-way L1 for instructions and for data,
/// 8 MiB 16-way last level, 64-byte lines.
pub const CACHE: [&str; 3] = ["--I1=32768,8,64", "--D1=32768,8,64", "--LL=8388608,16,64"];

/// What callgrind calls the files it writes, one per process.
const OUT_PREFIX: &str = "callgrind.out.";

/// `valgrind --version` (e.g. `valgrind-3.19.0`), or the one-line error that
/// names the package to install.
pub fn version() -> Result<String, String> {
    let missing = "--measure counts needs valgrind, which is not on PATH; \
                   install it (`apt-get install valgrind`) or drop --measure counts";
    let output = Command::new("valgrind")
        .arg("--version")
        .output()
        .map_err(|_| missing.to_owned())?;
    let version = String::from_utf8_lossy(&output.stdout).trim().to_owned();
    if output.status.success() && version.starts_with("valgrind") {
        Ok(version)
    } else {
        Err(missing.to_owned())
    }
}

/// The simulated caches as one string, for the results' `tools`.
pub fn cache() -> String {
    CACHE.join(" ")
}

/// `native` run under callgrind, writing its files into `dir`, with
/// `extra` options of callgrind's before the rest. `marked`: the child
/// switches instrumentation on and off around its workload
/// ([`super::request`]), so callgrind starts with it off; otherwise it counts
/// the whole process and every process it starts.
pub fn command(native: &Command, dir: &Path, marked: bool, extra: &[String]) -> Command {
    let mut command = Command::new("valgrind");
    command
        // Counting allocations would add its own instructions to the child's.
        .env(super::allocations::ENV, "off")
        .args(extra)
        .args(["--tool=callgrind", "--cache-sim=yes"])
        .args(CACHE)
        .arg(format!(
            "--callgrind-out-file={}/{OUT_PREFIX}%p",
            dir.display()
        ))
        .arg(format!(
            "--instr-atstart={}",
            if marked { "no" } else { "yes" }
        ))
        // Only the totals are read: no per-line costs to write.
        .arg("--dump-line=no")
        .arg("--trace-children=yes")
        .arg(native.get_program())
        .args(native.get_args());
    for (key, value) in native.get_envs() {
        match value {
            Some(value) => command.env(key, value),
            None => command.env_remove(key),
        };
    }
    command
}

/// Valgrind's own reason a child failed under it, from its stderr: an
/// unhandled system call or instruction, or the signal that ended the
/// process, without valgrind's `==pid==` prefix.
pub fn reason(stderr: &str) -> Option<String> {
    const TELLING: [&str; 4] = [
        "unhandled",
        "Unrecognised instruction",
        "Process terminating",
        "valgrind:",
    ];
    let lines: Vec<&str> = stderr
        .lines()
        .map(|line| {
            let prefixed = ["==", "--"]
                .iter()
                .find_map(|mark| line.strip_prefix(mark)?.split_once(&format!("{mark} ")));
            prefixed.map_or(line, |(_, text)| text).trim()
        })
        .collect();
    let at = lines
        .iter()
        .position(|line| TELLING.iter().any(|t| line.contains(t)))?;
    // "Process terminating with default action of signal 4 (SIGILL)" is
    // followed by the line that says where.
    let next = lines.get(at + 1).filter(|l| !l.is_empty());
    Some(match next {
        Some(next) if lines[at].contains("Process terminating") => {
            format!("valgrind: {}; {next}", lines[at])
        }
        _ => format!("valgrind: {}", lines[at].trim_start_matches("valgrind: ")),
    })
}

/// The counts in every callgrind file in `dir`, summed over the processes
/// that wrote them.
pub fn counted(dir: &Path) -> Result<Counted, String> {
    let unreadable = |e: std::io::Error| format!("cannot read callgrind's output: {e}");
    let mut total = Events::default();
    let mut files = 0;
    for entry in std::fs::read_dir(dir).map_err(unreadable)? {
        let path = entry.map_err(unreadable)?.path();
        if path
            .file_name()
            .is_some_and(|name| name.to_string_lossy().starts_with(OUT_PREFIX))
        {
            let text = std::fs::read_to_string(&path).map_err(unreadable)?;
            total.add(&parse(&text).map_err(|e| format!("{}: {e}", path.display()))?);
            files += 1;
        }
    }
    if files == 0 {
        return Err("callgrind wrote no output file".into());
    }
    Ok(total.counted())
}

/// The totals of one callgrind output file, by event name (`Ir`, `D1mr`, …).
#[derive(Debug, Default, PartialEq, Eq)]
struct Events(BTreeMap<String, u64>);

impl Events {
    fn add(&mut self, other: &Events) {
        for (name, n) in &other.0 {
            *self.0.entry(name.clone()).or_default() += n;
        }
    }

    fn get(&self, name: &str) -> u64 {
        self.0.get(name).copied().unwrap_or(0)
    }

    /// Instructions and where each access was served, as iai-callgrind
    /// derives them: every access (instruction fetches and data reads and
    /// writes) that missed no cache hit L1; one that missed L1 but not the
    /// last level hit it; one that missed the last level went to RAM.
    fn counted(&self) -> Counted {
        let accesses = self.get("Ir") + self.get("Dr") + self.get("Dw");
        let l1_misses = self.get("I1mr") + self.get("D1mr") + self.get("D1mw");
        let ll_misses = self.get("ILmr") + self.get("DLmr") + self.get("DLmw");
        Counted {
            instructions: Some(self.get("Ir")),
            l1_hits: Some(accesses.saturating_sub(l1_misses)),
            ll_hits: Some(l1_misses.saturating_sub(ll_misses)),
            ram_accesses: Some(ll_misses),
            ..Counted::default()
        }
    }
}

/// Reads the `events:` line (the names) and the `totals:` line (or, failing
/// that, `summary:`) of a callgrind output file.
fn parse(text: &str) -> Result<Events, String> {
    let field = |key: &str| {
        text.lines()
            .find_map(|line| line.strip_prefix(key))
            .map(str::trim)
    };
    let names = field("events:").ok_or("no events: line")?;
    let totals = field("totals:")
        .or_else(|| field("summary:"))
        .ok_or("no totals: line")?;
    let values = totals
        .split_whitespace()
        .map(|v| {
            v.parse::<u64>()
                .map_err(|e| format!("bad total {v:?}: {e}"))
        })
        .collect::<Result<Vec<_>, _>>()?;
    // Callgrind leaves out trailing zero totals.
    let events = names
        .split_whitespace()
        .enumerate()
        .map(|(i, name)| (name.to_owned(), values.get(i).copied().unwrap_or(0)))
        .collect();
    Ok(Events(events))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A real callgrind file: `/bin/true` under the flags [`command`] gives.
    const FIXTURE: &str = include_str!("../../tests/fixtures/callgrind.out.true");

    #[test]
    fn parses_a_real_callgrind_file() {
        // Its totals line: Ir Dr Dw I1mr D1mr D1mw ILmr DLmr DLmw =
        // 126545 27880 11769 1082 990 579 1064 780 547.
        let counted = parse(FIXTURE).unwrap().counted();
        assert_eq!(counted.instructions, Some(126_545));
        // Accesses 126545 + 27880 + 11769 = 166194; L1 misses 1082 + 990 +
        // 579 = 2651; last-level misses 1064 + 780 + 547 = 2391.
        assert_eq!(counted.l1_hits, Some(166_194 - 2651));
        assert_eq!(counted.ll_hits, Some(2651 - 2391));
        assert_eq!(counted.ram_accesses, Some(2391));
        assert_eq!(
            counted.estimated_cycles(),
            Some(163_543 + 5 * 260 + 35 * 2391)
        );
    }

    #[test]
    fn hand_made_totals_split_by_level() {
        let text = "events: Ir Dr Dw I1mr D1mr D1mw ILmr DLmr DLmw\n\
                    fn=main\n1 5\ntotals: 100 30 20 4 3 2 1 1 0\n";
        let counted = parse(text).unwrap().counted();
        assert_eq!(counted.instructions, Some(100));
        assert_eq!(counted.l1_hits, Some(150 - 9));
        assert_eq!(counted.ll_hits, Some(9 - 2));
        assert_eq!(counted.ram_accesses, Some(2));
    }

    #[test]
    fn valgrinds_reason_is_found_in_its_noise() {
        let stderr = "==12== Callgrind, a call-graph generating cache profiler\n\
                      --12-- WARNING: unhandled amd64-linux syscall: 999\n\
                      ==12== Process terminating with default action of signal 4 (SIGILL)\n\
                      ==12==  Illegal opcode at address 0x4001\n\
                      ==12== Events    : Ir\n";
        assert_eq!(
            reason(stderr).unwrap(),
            "valgrind: WARNING: unhandled amd64-linux syscall: 999"
        );
        let crashed = "==12== Process terminating with default action of signal 4 (SIGILL)\n\
                       ==12==  Illegal opcode at address 0x4001\n";
        assert_eq!(
            reason(crashed).unwrap(),
            "valgrind: Process terminating with default action of signal 4 (SIGILL); \
             Illegal opcode at address 0x4001"
        );
        assert_eq!(reason("error: the program's own\n"), None);
    }

    #[test]
    fn a_file_without_totals_is_an_error() {
        assert!(parse("events: Ir\n").is_err());
    }
}
