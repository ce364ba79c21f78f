//! The counts a report shows as figures: where each comes from in a run's
//! [`Counted`], why it may be absent, and how much it varies between runs
//! (its noise threshold).

use crate::counted::Counted;
use crate::results::Run;

/// One counted figure of a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Count {
    /// Instructions executed (valgrind's Ir).
    Instructions,
    /// Estimated cycles: L1 hits + 5 × last-level hits + 35 × RAM accesses.
    Cycles,
    /// System calls entered.
    Syscalls,
    /// Context switches, voluntary + involuntary.
    Switches,
    /// Minor page faults.
    Faults,
    /// Allocations (and reallocations) made.
    Allocations,
    /// Bytes those allocations asked for.
    AllocatedBytes,
    /// The peak of live heap bytes above the span's start: a peak, so never
    /// divided by the operations.
    PeakLive,
}

/// What the estimated cycles are, in words, for the line under a table.
pub const CYCLES_FORMULA: &str = "estimated cycles = L1 hits + 5 × LL hits + 35 × RAM accesses (the weighting iai-callgrind \
     and CodSpeed use)";

/// Why a run has no counts at all: none were taken (or the file predates them).
const NOT_RECORDED: &str = "no counts recorded for this run";

impl Count {
    /// Every count, in the order tables list them.
    pub const ALL: [Count; 8] = [
        Count::Instructions,
        Count::Cycles,
        Count::Syscalls,
        Count::Switches,
        Count::Faults,
        Count::Allocations,
        Count::AllocatedBytes,
        Count::PeakLive,
    ];

    /// The counts `--fail-on-regression` decides on in counts mode: the two
    /// that valgrind takes and that move only with the code.
    pub const GATED: [Count; 2] = [Count::Instructions, Count::Cycles];

    /// Column header with its unit: `instructions/op`, or for a whole
    /// program (`per_op` false) `instructions (total)`.
    pub fn header(self, per_op: bool) -> &'static str {
        match (self, per_op) {
            (Count::Instructions, true) => "instructions/op",
            (Count::Cycles, true) => "est. cycles/op",
            (Count::Syscalls, true) => "syscalls/op",
            (Count::Switches, true) => "ctx switches/op",
            (Count::Faults, true) => "minor faults/op",
            (Count::Allocations, true) => "allocations/op",
            (Count::AllocatedBytes, true) => "bytes allocated/op",
            (Count::Instructions, false) => "instructions (total)",
            (Count::Cycles, false) => "est. cycles (total)",
            (Count::Syscalls, false) => "syscalls (total)",
            (Count::Switches, false) => "ctx switches (total)",
            (Count::Faults, false) => "minor faults (total)",
            (Count::Allocations, false) => "allocations (total)",
            (Count::AllocatedBytes, false) => "bytes allocated (total)",
            (Count::PeakLive, _) => "peak live bytes",
        }
    }

    /// What the count is, in words, for chart titles.
    pub fn title(self, per_op: bool) -> &'static str {
        match (self, per_op) {
            (Count::Instructions, true) => "instructions per operation",
            (Count::Cycles, true) => "estimated cycles per operation",
            (Count::Syscalls, true) => "system calls per operation",
            (Count::Switches, true) => "context switches per operation",
            (Count::Faults, true) => "minor page faults per operation",
            (Count::Allocations, true) => "allocations per operation",
            (Count::AllocatedBytes, true) => "bytes allocated per operation",
            (Count::Instructions, false) => "instructions, whole program",
            (Count::Cycles, false) => "estimated cycles, whole program",
            (Count::Syscalls, false) => "system calls, whole program",
            (Count::Switches, false) => "context switches, whole program",
            (Count::Faults, false) => "minor page faults, whole program",
            (Count::Allocations, false) => "allocations, whole program",
            (Count::AllocatedBytes, false) => "bytes allocated, whole program",
            (Count::PeakLive, _) => "peak of live heap bytes during the workload",
        }
    }

    /// Short name used in file names and exports, e.g. `instructions`.
    pub fn slug(self) -> &'static str {
        match self {
            Count::Instructions => "instructions",
            Count::Cycles => "estimated-cycles",
            Count::Syscalls => "syscalls",
            Count::Switches => "context-switches",
            Count::Faults => "minor-faults",
            Count::Allocations => "allocations",
            Count::AllocatedBytes => "allocated-bytes",
            Count::PeakLive => "peak-live-bytes",
        }
    }

    /// The unit a value is counted in.
    pub fn unit(self) -> &'static str {
        match self {
            Count::Instructions => "instructions",
            Count::Cycles => "cycles",
            Count::Syscalls => "calls",
            Count::Switches => "switches",
            Count::Faults => "faults",
            Count::Allocations => "allocations",
            Count::AllocatedBytes | Count::PeakLive => "bytes",
        }
    }

    /// The count's total in `counted`; `None` when it was not taken.
    pub fn total(self, counted: &Counted) -> Option<u64> {
        match self {
            Count::Instructions => counted.instructions,
            Count::Cycles => counted.estimated_cycles(),
            Count::Syscalls => counted.syscalls,
            Count::Switches => Some(counted.voluntary_switches? + counted.involuntary_switches?),
            Count::Faults => counted.minor_faults,
            Count::Allocations => counted.allocations,
            Count::AllocatedBytes => counted.allocated_bytes,
            Count::PeakLive => counted.peak_live_bytes,
        }
    }

    /// The fields of [`Counted`] the count is made of, by name.
    fn fields(self) -> &'static [&'static str] {
        match self {
            Count::Instructions => &["instructions"],
            Count::Cycles => &["l1_hits", "ll_hits", "ram_accesses"],
            Count::Syscalls => &["syscalls"],
            Count::Switches => &["voluntary_switches", "involuntary_switches"],
            Count::Faults => &["minor_faults"],
            Count::Allocations => &["allocations"],
            Count::AllocatedBytes => &["allocated_bytes"],
            Count::PeakLive => &["peak_live_bytes"],
        }
    }

    /// Whether the count is a total, shown per operation in a case that
    /// has operations; a peak is not.
    pub fn per_op(self) -> bool {
        !matches!(self, Count::PeakLive)
    }

    /// Whether valgrind takes it (only in counts mode), rather than the
    /// kernel (in every mode).
    pub fn from_valgrind(self) -> bool {
        matches!(self, Count::Instructions | Count::Cycles)
    }

    /// Whether only counts mode takes it: valgrind's counts, and the
    /// allocations, whose counting costs wall time. A wall-mode table leaves
    /// such a count out unless some case has it.
    pub fn counts_mode_only(self) -> bool {
        self.from_valgrind()
            || matches!(
                self,
                Count::Allocations | Count::AllocatedBytes | Count::PeakLive
            )
    }

    /// Why the count is missing from `run`; `None` when the run has it.
    pub fn absent(self, run: &Run) -> Option<String> {
        let Some(counted) = &run.counted else {
            return Some(NOT_RECORDED.into());
        };
        if self.total(counted).is_some() {
            return None;
        }
        let why = (self.fields().iter()).find_map(|f| counted.absent.get(*f).cloned());
        Some(why.unwrap_or_else(|| "not taken (no reason recorded)".into()))
    }

    /// Why the count is missing from some run of `runs` (the first such
    /// run's reason); `None` when every run has it.
    pub fn absent_in(self, runs: &[Run]) -> Option<String> {
        runs.iter().find_map(|run| self.absent(run))
    }

    /// A change smaller than this, in percent, is within noise even when
    /// significant. Set from how far each count moved between three runs of
    /// the same build on the development machine (2 cores, AMD EPYC, kernel
    /// 6.18, valgrind 3.19, load average 7–10 from other builds): each of
    /// tokio-current-thread, tokio, smol, glommio and compio on sleep and
    /// cancel at 100,000 operations, whole `rtbench __case` processes under
    /// cachegrind (instructions, cache simulation) and natively (perf's
    /// `raw_syscalls:sys_enter`, GNU time's switches and faults). Range of
    /// the three runs, in % of their mean: instructions 0.33–1.5 %,
    /// estimated cycles 0.25–1.3 %; system calls 0.8–4.2 % on the
    /// single-thread and thread-per-core runtimes but 47–94 % on tokio's
    /// and smol's work-stealing pools; context switches 13–240 %; minor
    /// faults 0.08–0.31 % on sleep of the single-thread and thread-per-core
    /// runtimes, 3.9–13 % on their cancel and on the pools' sleep, up to
    /// 56 % on the pools' cancel. The thresholds sit
    /// at or above the steady cases' ranges; the noisy cases' spread widens
    /// their interval instead (see the guide's "Verdicts on counts").
    /// Allocations: every Rust runtime and workload at `--preset ci`, ten
    /// runs each (docs/allocations-cost.md's "on" rounds, Intel Xeon, 2
    /// cores, load 5–8): allocations per operation 0–0.73 % on the tokio
    /// flavours and monoio (file aside), 0.03 % on glommio's sleep and
    /// cancel, 0.5–16 % on smol, compio and glommio's I/O, up to 54 % on
    /// async-std cancel; bytes per operation 0–0.84 % where allocations
    /// were steady; peak live bytes 0–0.13 % on the steady sleep and serve
    /// cases, 3–12 % on most others, up to 62 %.
    pub fn threshold_pct(self) -> f64 {
        match self {
            Count::Instructions | Count::Cycles => 1.0,
            Count::Syscalls | Count::Faults => 5.0,
            Count::Switches => 20.0,
            Count::Allocations | Count::AllocatedBytes => 1.0,
            Count::PeakLive => 10.0,
        }
    }
}

/// Whether any run of `runs` carries a counted record (a results file of
/// version 3 or later).
pub fn any_counted<'a>(mut runs: impl Iterator<Item = &'a Run>) -> bool {
    runs.any(|run| run.counted.is_some())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(counted: Option<Counted>) -> Run {
        Run {
            wall_s: 1.0,
            cpu_s: 1.0,
            peak_rss_bytes: 1,
            counts: Default::default(),
            latency_ns: None,
            io_driver: None,
            achieved_rate: None,
            send_delay_ns: None,
            client_cpu_s: None,
            cpus: None,
            client_cpus: None,
            counted,
        }
    }

    #[test]
    fn switches_add_both_kinds_and_absence_names_its_reason() {
        let counted = Counted {
            voluntary_switches: Some(7),
            involuntary_switches: Some(2),
            absent: [(
                "syscalls".to_string(),
                "perf_event_paranoid is 3".to_string(),
            )]
            .into(),
            ..Counted::default()
        };
        assert_eq!(Count::Switches.total(&counted), Some(9));
        let with = run(Some(counted));
        assert_eq!(Count::Switches.absent(&with), None);
        assert_eq!(
            Count::Syscalls.absent(&with).as_deref(),
            Some("perf_event_paranoid is 3")
        );
        assert!(
            Count::Instructions
                .absent(&with)
                .unwrap()
                .contains("no reason")
        );
        assert!(
            Count::Faults
                .absent(&run(None))
                .unwrap()
                .contains("no counts recorded")
        );
    }
}
