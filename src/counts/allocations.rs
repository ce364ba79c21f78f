//! Allocations over the workload's span, counted in rtbench's own child by
//! its global allocator (`rtbench_workloads::allocations::Counting`, set in
//! `main.rs`): how many, the bytes asked for, and the peak of live bytes
//! above the span's start. Programs rtbench does not build (Python,
//! Node.js, `--command`) allocate through their own allocators, so theirs
//! are absent with the reason.

use rtbench_report::counted::Counted;
use rtbench_workloads::allocations;

/// The environment variable that turns counting off in a child (`off`),
/// leaving the allocator a pass-through: for measuring what counting costs,
/// and for the run under callgrind, whose instructions it would add to.
pub const ENV: &str = "RTBENCH_ALLOCATIONS";

/// The fields of [`Counted`] the allocator fills.
const FIELDS: [&str; 3] = ["allocations", "allocated_bytes", "peak_live_bytes"];

/// Why a program rtbench does not build has no allocation counts.
const NOT_OURS: &str = "allocations are counted by rtbench's allocator in its own child; this \
     program allocates through its own (Python's tracemalloc and Node.js's heap statistics \
     give live bytes, not a count of allocations)";

/// Starts counting in this child, unless [`ENV`] is `off`: call it first
/// thing, before the runtime is built.
pub fn start() {
    if std::env::var_os(ENV).is_none_or(|v| v != "off") {
        allocations::enable();
    }
}

/// Adds what the child's spans allocated to `counted`, or why not.
pub fn fill(counted: &mut Counted) {
    if !allocations::enabled() {
        absent(counted, &format!("allocations not counted: {ENV}=off"));
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
