//! Counts what a process allocates: a global allocator ([`Counting`]) around
//! the system's that, once [`enable`]d, counts every allocation, the bytes
//! asked for and the bytes live, and the readings that confine them to the
//! workload's span ([`begin`], [`end`], [`counted`]; the span is the one
//! [`crate::marks`] draws).
//!
//! Every counter is one relaxed atomic, shared by all threads. A
//! reallocation counts as one allocation of its new size (what was moved or
//! grown into), and moves the live bytes by the difference. Until
//! [`enable`] is called the allocator only passes calls through, after one
//! relaxed load.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::Ordering::Relaxed;
use std::sync::atomic::{AtomicBool, AtomicI64, AtomicU64};
use std::sync::{Mutex, PoisonError};

/// The system allocator, counted once [`enable`]d; install it with
/// `#[global_allocator] static ALLOCATOR: Counting = Counting;`.
pub struct Counting;

/// What was allocated over the spans so far.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Allocated {
    /// Allocations and reallocations made.
    pub allocations: u64,
    /// Bytes they asked for.
    pub bytes: u64,
    /// The most the live bytes rose above their level at a span's start,
    /// the largest over the spans.
    pub peak_live_bytes: u64,
}

static ENABLED: AtomicBool = AtomicBool::new(false);
static ALLOCATIONS: AtomicU64 = AtomicU64::new(0);
static BYTES: AtomicU64 = AtomicU64::new(0);
/// Bytes allocated less bytes freed since [`enable`]: negative when more
/// was freed than allocated since then.
static LIVE: AtomicI64 = AtomicI64::new(0);
/// The highest [`LIVE`] since the open span began.
static PEAK: AtomicI64 = AtomicI64::new(0);

/// The readings at the open span's start and the sum of the closed spans.
struct Spans {
    begun: Option<(u64, u64, i64)>,
    counted: Allocated,
}

static SPANS: Mutex<Spans> = Mutex::new(Spans {
    begun: None,
    counted: Allocated {
        allocations: 0,
        bytes: 0,
        peak_live_bytes: 0,
    },
});

/// Starts counting: every allocation from now on, on every thread.
pub fn enable() {
    ENABLED.store(true, Relaxed);
}

/// Whether [`enable`] was called.
pub fn enabled() -> bool {
    ENABLED.load(Relaxed)
}

/// A span begins: reads the counters, and measures the peak from the live
/// bytes now.
pub fn begin() {
    let mut spans = SPANS.lock().unwrap_or_else(PoisonError::into_inner);
    let live = LIVE.load(Relaxed);
    PEAK.store(live, Relaxed);
    spans.begun = Some((ALLOCATIONS.load(Relaxed), BYTES.load(Relaxed), live));
}

/// The span ends: adds what was allocated since [`begin`].
pub fn end() {
    let mut spans = SPANS.lock().unwrap_or_else(PoisonError::into_inner);
    let (allocations, bytes, peak) = (
        ALLOCATIONS.load(Relaxed),
        BYTES.load(Relaxed),
        PEAK.load(Relaxed),
    );
    if let Some((a, b, live)) = spans.begun.take() {
        let c = &mut spans.counted;
        c.allocations += allocations.saturating_sub(a);
        c.bytes += bytes.saturating_sub(b);
        let risen = u64::try_from(peak.saturating_sub(live)).unwrap_or(0);
        c.peak_live_bytes = c.peak_live_bytes.max(risen);
    }
}

/// What the closed spans allocated.
pub fn counted() -> Allocated {
    SPANS.lock().unwrap_or_else(PoisonError::into_inner).counted
}

fn allocated(size: usize) {
    let size = size as u64;
    ALLOCATIONS.fetch_add(1, Relaxed);
    BYTES.fetch_add(size, Relaxed);
    rise(size as i64);
}

/// Moves the live bytes by `delta`, raising the peak when they exceed it.
fn rise(delta: i64) {
    let live = LIVE.fetch_add(delta, Relaxed) + delta;
    if delta > 0 && live > PEAK.load(Relaxed) {
        PEAK.fetch_max(live, Relaxed);
    }
}

#[allow(
    unsafe_code,
    reason = "a global allocator is an unsafe trait; each call passes through to the system allocator unchanged"
)]
// SAFETY: every method hands its arguments to `System` unchanged and returns
// what it returns; the counting touches only atomics and never allocates.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's contract for `alloc` is `System`'s.
        let ptr = unsafe { System.alloc(layout) };
        if !ptr.is_null() && ENABLED.load(Relaxed) {
            allocated(layout.size());
        }
        ptr
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: as for `alloc`.
        let ptr = unsafe { System.alloc_zeroed(layout) };
        if !ptr.is_null() && ENABLED.load(Relaxed) {
            allocated(layout.size());
        }
        ptr
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` came from this allocator, that is from `System`.
        unsafe { System.dealloc(ptr, layout) };
        if ENABLED.load(Relaxed) {
            rise(-(layout.size() as i64));
        }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: `ptr` came from `System`; the caller's contract is its.
        let new = unsafe { System.realloc(ptr, layout, new_size) };
        if !new.is_null() && ENABLED.load(Relaxed) {
            ALLOCATIONS.fetch_add(1, Relaxed);
            BYTES.fetch_add(new_size as u64, Relaxed);
            rise(new_size as i64 - layout.size() as i64);
        }
        new
    }
}
