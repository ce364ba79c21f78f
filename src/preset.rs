//! `--preset`: named sizes for `run`, so that one word picks a run that fits
//! its purpose (a look, a CI job, the article's scale).

use rtbench_report::{Params, Workload};
use rtbench_workloads::file::{DEFAULT_FILE_MB, DEFAULT_IN_FLIGHT};

/// A named set of sizes; any size flag given alongside overrides it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Preset {
    /// Seconds: a look at every runtime, e.g. after a change.
    Quick,
    /// A CI job: every case in well under a second, the matrix in minutes.
    Ci,
    /// The article's scale: a million operations, tasks and requests.
    Full,
}

impl Preset {
    /// Every preset, smallest first, as `list` shows them.
    pub const ALL: [Preset; 3] = [Preset::Quick, Preset::Ci, Preset::Full];

    /// The name given to `--preset`.
    pub fn name(self) -> &'static str {
        match self {
            Preset::Quick => "quick",
            Preset::Ci => "ci",
            Preset::Full => "full",
        }
    }

    /// What the preset is for, in a few words.
    pub fn purpose(self) -> &'static str {
        match self {
            Preset::Quick => "a look in seconds",
            Preset::Ci => "a CI job: the whole matrix in minutes",
            Preset::Full => "the article's million everywhere",
        }
    }

    /// Operations (tasks, requests) and in-flight of `workload` under this
    /// preset; none for a command, whose program sets its own sizes.
    fn sizes(self, workload: Workload) -> Option<(u64, u64)> {
        Some(match (self, workload) {
            (_, Workload::Command) => return None,
            (Preset::Quick, Workload::Sleep | Workload::Cancel) => (10_000, 1_000),
            (Preset::Quick, Workload::Fetch | Workload::Serve) => (2_000, 100),
            (Preset::Ci, Workload::Sleep | Workload::Cancel) => (100_000, 10_000),
            (Preset::Ci, Workload::Fetch | Workload::Serve) => (20_000, 1_000),
            (Preset::Full, Workload::Sleep | Workload::Cancel) => (1_000_000, 10_000),
            (Preset::Full, Workload::Fetch) => (1_000_000, 5_000),
            (Preset::Full, Workload::Serve) => (1_000_000, 1_000),
            (Preset::Quick, Workload::File) => (5_000, DEFAULT_IN_FLIGHT),
            (Preset::Ci, Workload::File) => (20_000, DEFAULT_IN_FLIGHT),
            (Preset::Full, Workload::File) => (1_000_000, DEFAULT_IN_FLIGHT),
        })
    }

    /// The file workload's scratch file, MiB: the small presets make a
    /// small one, as every repetition creates and fills its own.
    fn file_mb(self) -> u64 {
        match self {
            Preset::Quick | Preset::Ci => 16,
            Preset::Full => DEFAULT_FILE_MB,
        }
    }
}

/// The parameters `workload` starts from: SPEC.md's defaults, with the sizes
/// of `preset` laid over them when one is given.
pub fn defaults(preset: Option<Preset>, workload: Workload) -> Params {
    let mut params = rtbench_workloads::defaults(workload);
    if let Some(sizes) = preset.and_then(|p| p.sizes(workload)) {
        (params.ops, params.in_flight) = sizes;
    }
    if let (Some(preset), Some(_)) = (preset, params.file_mb) {
        params.file_mb = Some(preset.file_mb());
    }
    params
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_is_the_articles_million_and_no_preset_is_the_spec_defaults() {
        for workload in Workload::BUILT_IN {
            assert_eq!(defaults(Some(Preset::Full), workload).ops, 1_000_000);
            assert_eq!(
                defaults(None, workload),
                rtbench_workloads::defaults(workload)
            );
        }
        assert_eq!(defaults(None, Workload::Fetch).ops, 100_000);
        assert_eq!(
            defaults(Some(Preset::Full), Workload::Command),
            rtbench_workloads::defaults(Workload::Command),
            "a preset sets no sizes of a command"
        );
    }

    #[test]
    fn presets_grow_from_quick_to_full_and_keep_the_other_parameters() {
        for workload in Workload::BUILT_IN {
            let ops: Vec<u64> = Preset::ALL
                .iter()
                .map(|p| defaults(Some(*p), workload).ops)
                .collect();
            assert!(ops.windows(2).all(|w| w[0] < w[1]), "{workload}: {ops:?}");
            let ci = defaults(Some(Preset::Ci), workload);
            let spec = rtbench_workloads::defaults(workload);
            assert_eq!(
                (ci.latency_ms, ci.fail_every, ci.cancel_mode),
                (spec.latency_ms, spec.fail_every, spec.cancel_mode)
            );
        }
    }
}
