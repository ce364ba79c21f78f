//! Allocations over the workload's span, counted in rtbench's own child by
//! its global allocator (`rtbench_workloads::allocations::Counting`, set in
//! `main.rs`): how many, the bytes asked for, and the peak of live bytes
//! above the span's start. Programs rtbench does not build (Python,
//! Node.js, `--command`) allocate through their own allocators, so theirs
//! are absent with the reason.

use rtbench_report::counted::Counted;
use rtbench_workloads::allocations;

/// The environment variable that turns counting on in a child (`on`); else
/// the allocator is a pass-through. Counting costs time beyond noise in
/// wall mode (docs/allocations-cost.md), so the parent turns it on in
/// counts mode's native run only, never under callgrind, whose
/// instructions it would add to; set by hand, it counts in wall mode too.
pub const ENV: &str = "RTBENCH_ALLOCATIONS";

/// The fields of [`Counted`] the allocator fills.
const FIELDS: [&str; 3] = ["allocations", "allocated_bytes", "peak_live_bytes"];

/// Why a program rtbench does not build has no allocation counts.
const NOT_OURS: &str = "allocations are counted by rtbench's allocator in its own child; this \
     program allocates through its own (Python's tracemalloc and Node.js's heap statistics \
     give live bytes, not a count of allocations)";

/// Why a child did not count its allocations.
const OFF: &str = "allocations not counted: they are counted in --measure counts only, as \
     counting them costs wall time (docs/allocations-cost.md); RTBENCH_ALLOCATIONS=on counts \
     them in wall mode too";

/// Starts counting in this child when [`ENV`] is `on`: call it first thing,
/// before the runtime is built.
pub fn start() {
    if std::env::var_os(ENV).is_some_and(|v| v == "on") {
        allocations::enable();
    }
}

/// Adds what the child's spans allocated to `counted`, or why not.
pub fn fill(counted: &mut Counted) {
    if !allocations::enabled() {
        absent(counted, OFF);
        return;
    }
    let allocated = allocations::counted();
    counted.allocations = Some(allocated.allocations);
    counted.allocated_bytes = Some(allocated.bytes);
    counted.peak_live_bytes = Some(allocated.peak_live_bytes);
}

/// Marks the allocation counts of a program rtbench did not build absent.
pub fn not_ours(counted: &mut Counted) {
    absent(counted, NOT_OURS);
}

fn absent(counted: &mut Counted, why: &str) {
    for field in FIELDS {
        counted.absent.insert(field.into(), why.into());
    }
}
