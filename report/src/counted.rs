//! Figures that are counted rather than timed: instructions and cache
//! accesses under valgrind, the kernel's system calls, context switches
//! and page faults, and the allocations made. They barely move with the machine's speed, so they can
//! judge a small change where wall time cannot.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

/// What a run measures: wall time only, or wall time and the counts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Measure {
    /// Each repetition runs natively: wall time, CPU time, memory, and the
    /// kernel's counts.
    #[default]
    Wall,
    /// Each repetition also runs under valgrind for instructions and
    /// estimated cycles.
    Counts,
}

impl fmt::Display for Measure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Measure::Wall => "wall",
            Measure::Counts => "counts",
        })
    }
}

/// The counts of one repetition, totals over the workload's own work
/// (process start and runtime construction excluded; see the README). A
/// figure that could not be taken is absent, and `absent` says why.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counted {
    /// Instructions executed (valgrind's Ir).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instructions: Option<u64>,
    /// Accesses (instruction fetches and data) that hit the simulated L1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub l1_hits: Option<u64>,
    /// Accesses that missed L1 and hit the simulated last-level cache.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ll_hits: Option<u64>,
    /// Accesses that missed every simulated cache.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ram_accesses: Option<u64>,
    /// System calls entered (`raw_syscalls:sys_enter`), every thread.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub syscalls: Option<u64>,
    /// Voluntary context switches (the thread waited).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub voluntary_switches: Option<u64>,
    /// Involuntary context switches (the thread was preempted).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub involuntary_switches: Option<u64>,
    /// Minor page faults.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub minor_faults: Option<u64>,
    /// Allocations and reallocations made through rtbench's allocator.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allocations: Option<u64>,
    /// Bytes those allocations asked for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allocated_bytes: Option<u64>,
    /// The most the live heap bytes rose above their level at the span's
    /// start: a peak, not a total.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub peak_live_bytes: Option<u64>,
    /// Why a figure is absent, by the figure's field name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub absent: BTreeMap<String, String>,
}

impl Counted {
    /// Estimated cycles: L1 hits + 5 × last-level hits + 35 × RAM accesses,
    /// the weighting iai-callgrind and CodSpeed use.
    pub fn estimated_cycles(&self) -> Option<u64> {
        Some(self.l1_hits? + 5 * self.ll_hits? + 35 * self.ram_accesses?)
    }
}

/// The tools that took a run's counts, so a reader knows what was simulated.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tools {
    /// `valgrind --version`, e.g. `valgrind-3.19.0`; absent in wall mode.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valgrind: Option<String>,
    /// The simulated caches, as valgrind's flags (`--I1=… --D1=… --LL=…`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cache: Option<String>,
    /// Where system calls were counted, e.g. the kernel release and event.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub syscalls: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn estimated_cycles_weigh_each_level() {
        let counted = Counted {
            l1_hits: Some(1000),
            ll_hits: Some(10),
            ram_accesses: Some(2),
            ..Counted::default()
        };
        assert_eq!(counted.estimated_cycles(), Some(1000 + 50 + 70));
        assert_eq!(Counted::default().estimated_cycles(), None);
    }
}
