//! Call stacks with their instructions, built from callgrind's call graph for
//! flamegraphs.
//!
//! Callgrind records costs per function and per call edge (caller → callee,
//! with the callee's inclusive cost), not per stack. A stack is rebuilt by
//! walking down from the functions nobody in the profile called (where the
//! counted span began: the workload's loop, a runtime's worker): a function
//! reached with `w` of its inclusive cost `I` gives the share `w / I` of its
//! own instructions to this stack and of each call it makes to the callee's
//! walk. Where a function is reached along several paths, its cost is so
//! split in proportion to what each path spent in it; this is exact when the
//! function costs the same per call on every path, an estimate otherwise.
//! `rtbench run --profile` has callgrind keep functions apart by their
//! nearest callers (`--separate-callers`), which makes the edges per path up
//! to that depth, so the split matters only above it. A recursive call (a function already on
//! the stack) ends the stack there, with the call's whole cost as that frame's;
//! so do branches worth less than [`PRUNE`] of the total. Every instruction
//! of the profile is in exactly one stack.

use super::callgrind::Callgraph;

/// Branches below this share of the total end at their first frame.
pub const PRUNE: f64 = 1e-5;

/// Stacks deeper than this end there (no real stack is this deep).
const MAX_DEPTH: usize = 256;

/// One stack, outermost function first, and the instructions spent exactly
/// there (in its last function, or in what was cut below it).
#[derive(Debug, Clone, PartialEq)]
pub struct Stack {
    /// Indices into [`Callgraph::functions`].
    pub frames: Vec<usize>,
    /// Instructions, possibly fractional where a cost was split.
    pub instructions: f64,
}

/// Each function's inclusive instructions: its own plus those of every call
/// it made to another function (a function calling itself is counted once).
pub fn inclusive(graph: &Callgraph) -> Vec<u64> {
    (graph.functions.iter().enumerate())
        .map(|(i, f)| {
            let calls: u64 = (f.calls.iter())
                .filter(|c| c.callee != i)
                .map(|c| c.inclusive)
                .sum();
            f.own + calls
        })
        .collect()
}

/// Every stack of `graph` (see the module's description).
pub fn stacks(graph: &Callgraph) -> Vec<Stack> {
    let inclusive = inclusive(graph);
    let mut called = vec![0u64; graph.functions.len()];
    for (i, f) in graph.functions.iter().enumerate() {
        for call in f.calls.iter().filter(|c| c.callee != i) {
            called[call.callee] += call.inclusive;
        }
    }
    let total: u64 = graph.functions.iter().map(|f| f.own).sum();
    let mut walk = Walk {
        graph,
        inclusive,
        prune: total as f64 * PRUNE,
        frames: Vec::new(),
        out: Vec::new(),
    };
    for (root, called) in called.into_iter().enumerate() {
        let entry = walk.inclusive[root].saturating_sub(called);
        if entry > 0 {
            walk.down(root, entry as f64);
        }
    }
    walk.out
}

struct Walk<'g> {
    graph: &'g Callgraph,
    inclusive: Vec<u64>,
    prune: f64,
    frames: Vec<usize>,
    out: Vec<Stack>,
}

impl Walk<'_> {
    /// Function `f` reached with `weight` of its inclusive instructions.
    fn down(&mut self, f: usize, weight: f64) {
        self.frames.push(f);
        let function = &self.graph.functions[f];
        let share = weight / self.inclusive[f] as f64;
        let here = function.own as f64 * share;
        for call in function.calls.iter().filter(|c| c.callee != f) {
            let part = call.inclusive as f64 * share;
            if part <= 0.0 {
                continue;
            }
            let cut = part < self.prune
                || self.frames.len() >= MAX_DEPTH
                || self.frames.contains(&call.callee);
            if cut {
                self.frames.push(call.callee);
                self.emit(part);
                self.frames.pop();
            } else {
                self.down(call.callee, part);
            }
        }
        if here > 0.0 {
            self.emit(here);
        }
        self.frames.pop();
    }

    fn emit(&mut self, instructions: f64) {
        self.out.push(Stack {
            frames: self.frames.clone(),
            instructions,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profile::callgrind::{Call, Function};

    fn function(symbol: &str, own: u64, calls: &[(usize, u64)]) -> Function {
        Function {
            symbol: symbol.into(),
            object: String::new(),
            own,
            calls: (calls.iter())
                .map(|&(callee, inclusive)| Call {
                    callee,
                    count: 1,
                    inclusive,
                })
                .collect(),
        }
    }

    /// main (10) calls a (40 inclusive) and b (50); both call leaf, which
    /// costs 30 in all: 10 from a, 20 from b.
    fn diamond() -> Callgraph {
        Callgraph {
            functions: vec![
                function("main", 10, &[(1, 40), (2, 50)]),
                function("a", 30, &[(3, 10)]),
                function("b", 30, &[(3, 20)]),
                function("leaf", 30, &[]),
            ],
            total: 100,
        }
    }

    fn folded(graph: &Callgraph) -> Vec<(String, f64)> {
        let mut out: Vec<(String, f64)> = stacks(graph)
            .into_iter()
            .map(|s| {
                let names: Vec<&str> = (s.frames.iter())
                    .map(|&i| graph.functions[i].symbol.as_str())
                    .collect();
                (names.join(";"), s.instructions)
            })
            .collect();
        out.sort_by(|a, b| a.0.cmp(&b.0));
        out
    }

    #[test]
    fn a_diamond_splits_the_shared_callee_by_its_edges() {
        let graph = diamond();
        assert_eq!(inclusive(&graph), [100, 40, 50, 30]);
        assert_eq!(
            folded(&graph),
            [
                ("main".into(), 10.0),
                ("main;a".into(), 30.0),
                ("main;a;leaf".into(), 10.0),
                ("main;b".into(), 30.0),
                ("main;b;leaf".into(), 20.0),
            ]
        );
    }

    #[test]
    fn shared_functions_split_in_proportion_and_recursion_ends_the_stack() {
        // r1 and r2 both call mid (60 + 20 of its 80); mid calls r1 back (8).
        let graph = Callgraph {
            functions: vec![
                function("r1", 12, &[(2, 60)]),
                function("r2", 0, &[(2, 20)]),
                function("mid", 72, &[(0, 8)]),
            ],
            total: 84,
        };
        let stacks = folded(&graph);
        let sum: f64 = stacks.iter().map(|s| s.1).sum();
        assert!((sum - 84.0).abs() < 1e-9, "{stacks:?}");
        // r1 is entered with 72 − 8 = 64, of inclusive 72; mid's 80 is
        // reached with 60 × 64/72 from r1.
        let r1_mid = 60.0 * 64.0 / 72.0;
        let of = |stack: &str| stacks.iter().find(|s| s.0 == stack).unwrap().1;
        assert!((of("r1;mid;r1") - 8.0 * r1_mid / 80.0).abs() < 1e-9);
        assert!((of("r2;mid") - 72.0 * 20.0 / 80.0).abs() < 1e-9);
        // r2's walk reaches r1 (not on its stack) and stops at mid again.
        assert!((of("r2;mid;r1;mid") - 60.0 * 2.0 / 72.0).abs() < 1e-9);
    }
}
