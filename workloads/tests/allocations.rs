//! The counting allocator counts exactly the allocations made in a span: a
//! known number of boxes of a known size, a vector's growth, and nothing
//! outside the span. Its own `main` (no test harness), so no other thread
//! allocates while it counts.

use std::hint::black_box;

use rtbench_workloads::allocations::{self, Allocated, Counting};

#[global_allocator]
static ALLOCATOR: Counting = Counting;

fn main() {
    allocations::enable();
    let mut kept: Vec<Box<[u8; 64]>> = Vec::with_capacity(1000);
    // Allocated before the span: not counted, though freed inside it.
    let before = black_box(Box::new([1u8; 256]));

    allocations::begin();
    drop(before);
    for i in 0..1000 {
        kept.push(black_box(Box::new([i as u8; 64])));
    }
    kept.clear();
    allocations::end();
    let once = allocations::counted();
    assert_eq!(
        once,
        Allocated {
            allocations: 1000,
            bytes: 64_000,
            // 256 bytes freed first, then 1000 × 64 live at once.
            peak_live_bytes: 64_000 - 256,
        },
        "1000 boxes of 64 bytes"
    );

    // Outside a span nothing is added.
    black_box(vec![0u8; 4096]);
    assert_eq!(allocations::counted(), once);

    // A second span adds to the first. A vector of u64 made with room for
    // one and pushed to eight grows to 4, then 8: one allocation (8 bytes)
    // and two reallocations (32 and 64 bytes).
    allocations::begin();
    let mut grown: Vec<u64> = Vec::with_capacity(1);
    for i in 0..8 {
        grown.push(black_box(i));
    }
    assert_eq!(grown.capacity(), 8);
    drop(grown);
    allocations::end();
    let twice = allocations::counted();
    assert_eq!(twice.allocations - once.allocations, 3, "{twice:?}");
    assert_eq!(twice.bytes - once.bytes, 8 + 32 + 64, "{twice:?}");
    // The spans' peak is the larger of theirs.
    assert_eq!(twice.peak_live_bytes, once.peak_live_bytes);
    println!("allocations: counted exactly");
}
