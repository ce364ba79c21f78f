//! CPU lists (`0-1,3`, as the kernel writes them): parsed, written, read
//! from the kernel for this process's threads, and given to a child as its
//! CPU affinity before it starts.

use std::collections::BTreeSet;
use std::fmt;
use std::io;
use std::os::unix::process::CommandExt;
use std::process::Command;
use std::str::FromStr;

use nix::sched::{CpuSet, sched_getaffinity, sched_setaffinity};
use nix::unistd::Pid;

/// A set of CPUs by number.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CpuList(BTreeSet<usize>);

impl CpuList {
    /// How many CPUs it has.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether it has none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Its CPUs, lowest first.
    pub fn iter(&self) -> impl Iterator<Item = usize> + '_ {
        self.0.iter().copied()
    }

    /// The CPUs this process may run on (its affinity, which `taskset` or a
    /// cgroup may have narrowed), or all the machine's when the kernel does
    /// not say.
    pub fn available() -> CpuList {
        match sched_getaffinity(Pid::from_raw(0)) {
            Ok(set) => CpuList(
                (0..CpuSet::count())
                    .filter(|&cpu| set.is_set(cpu).unwrap_or(false))
                    .collect(),
            ),
            Err(_) => CpuList((0..crate::host::cores()).collect()),
        }
    }

    /// The CPUs any thread of this process may run on now: the union of
    /// every thread's `Cpus_allowed_list` in `/proc/self/task/*/status`;
    /// `None` when it cannot be read.
    pub fn of_threads() -> Option<CpuList> {
        let mut all = CpuList::default();
        for task in std::fs::read_dir("/proc/self/task").ok()? {
            let status = std::fs::read_to_string(task.ok()?.path().join("status"));
            // A thread that ended since the directory was read has no status.
            let Ok(status) = status else { continue };
            let line = status
                .lines()
                .find_map(|l| l.strip_prefix("Cpus_allowed_list:"))?;
            all.0.extend(line.trim().parse::<CpuList>().ok()?.0);
        }
        Some(all)
    }

    /// Makes `command`'s process run on these CPUs only, from before it
    /// starts (its threads, and the processes it starts, inherit them).
    #[allow(
        unsafe_code,
        reason = "affinity set between fork and exec holds for every thread the child starts"
    )]
    pub fn give_to(&self, command: &mut Command) {
        let mut set = CpuSet::new();
        for cpu in self.iter() {
            set.set(cpu).expect("checked against the CPUs there are");
        }
        // SAFETY: sched_setaffinity is one system call, async-signal-safe;
        // `set` is built before the fork and only read after it.
        unsafe {
            command.pre_exec(move || {
                sched_setaffinity(Pid::from_raw(0), &set).map_err(io::Error::from)
            });
        }
    }
}

impl FromStr for CpuList {
    type Err = String;

    /// A list as the kernel writes one: CPU numbers and ranges, comma-separated
    /// (`0-1,3`); refuses anything else, naming the part it cannot read.
    fn from_str(text: &str) -> Result<CpuList, String> {
        rtbench_report::cpu_list::parse(text).map(CpuList)
    }
}

impl fmt::Display for CpuList {
    /// As the kernel writes it: runs of two or more CPUs as ranges (`0-2,5`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut runs: Vec<(usize, usize)> = Vec::new();
        for cpu in self.iter() {
            match runs.last_mut() {
                Some((_, last)) if *last + 1 == cpu => *last = cpu,
                _ => runs.push((cpu, cpu)),
            }
        }
        let parts: Vec<String> = (runs.iter())
            .map(|&(from, to)| match from == to {
                true => from.to_string(),
                false => format!("{from}-{to}"),
            })
            .collect();
        f.write_str(&parts.join(","))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_list_reads_and_writes_as_the_kernel_writes_it() {
        let list: CpuList = "3, 0-1,5-6,2".parse().unwrap();
        assert_eq!(list.iter().collect::<Vec<_>>(), [0, 1, 2, 3, 5, 6]);
        assert_eq!(list.to_string(), "0-3,5-6");
        assert!("".parse::<CpuList>().unwrap().is_empty());
        assert!("1-x".parse::<CpuList>().unwrap_err().contains("1-x"));
        assert!("3-1".parse::<CpuList>().unwrap_err().contains("backwards"));
    }

    #[test]
    fn a_child_given_cpus_runs_on_them_only() {
        let first = CpuList::available().iter().next().unwrap();
        let mut command = Command::new("sh");
        command.args(["-c", "grep Cpus_allowed_list /proc/self/status"]);
        CpuList(BTreeSet::from([first])).give_to(&mut command);
        let out = String::from_utf8(command.output().unwrap().stdout).unwrap();
        let allowed: CpuList = out.split(':').nth(1).unwrap().trim().parse().unwrap();
        assert_eq!(allowed.iter().collect::<Vec<_>>(), [first]);
        assert!(CpuList::of_threads().is_some_and(|all| !all.is_empty()));
    }
}
