//! Callgrind's client requests, which switch its instrumentation on and off
//! around the workload. Natively they are a few instructions that do nothing.
//!
//! Written here rather than taken from a crate: the crates that wrap client
//! requests (`valgrind-requests`, `crabgrind`) need libclang or valgrind's
//! headers to build, which would make every build of rtbench depend on
//! valgrind. The request itself is one fixed instruction sequence, the one
//! `valgrind.h` defines for amd64.

/// `VG_USERREQ_TOOL_BASE('C', 'T')`: where callgrind's requests start.
const CALLGRIND_BASE: u64 = (b'C' as u64) << 24 | (b'T' as u64) << 16;
/// `CALLGRIND_START_INSTRUMENTATION`.
const START_INSTRUMENTATION: u64 = CALLGRIND_BASE + 4;
/// `CALLGRIND_STOP_INSTRUMENTATION`.
const STOP_INSTRUMENTATION: u64 = CALLGRIND_BASE + 5;

/// Callgrind counts from here on (the child runs with `--instr-atstart=no`).
pub fn start_instrumentation() {
    request(START_INSTRUMENTATION);
}

/// Callgrind stops counting here.
pub fn stop_instrumentation() {
    request(STOP_INSTRUMENTATION);
}

/// Issues client request `code` with no arguments, as `valgrind.h`'s
/// `VALGRIND_DO_CLIENT_REQUEST_STMT` does on amd64: the rotations of `rdi`
/// add up to 128 bits, so natively they leave it as it was, and valgrind
/// recognises the sequence and answers in `rdx`.
#[cfg(target_arch = "x86_64")]
#[allow(
    unsafe_code,
    reason = "a client request is inline assembly; no crate offers it without libclang or valgrind's headers at build time"
)]
fn request(code: u64) {
    let args: [u64; 6] = [code, 0, 0, 0, 0, 0];
    // SAFETY: the sequence only reads `args` (live for the whole block) and
    // writes rdx and, under valgrind, nothing else; natively it changes nothing.
    unsafe {
        std::arch::asm!(
            "rol rdi, 3",
            "rol rdi, 13",
            "rol rdi, 61",
            "rol rdi, 51",
            "xchg rbx, rbx",
            in("rax") args.as_ptr(),
            inout("rdx") 0u64 => _,
            options(nostack),
        );
    }
}

/// Elsewhere there is no request: `--measure counts` refuses to start on
/// such a machine (see [`super::ready`]).
#[cfg(not(target_arch = "x86_64"))]
fn request(_code: u64) {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_do_nothing_natively() {
        start_instrumentation();
        stop_instrumentation();
    }
}
