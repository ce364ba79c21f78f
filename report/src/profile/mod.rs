//! Per-function profiles: where a case's instructions per operation go.
//!
//! With `--profile`, a case's child runs once under callgrind, counting only
//! the workload's own work. Its output is read at one border
//! ([`callgrind`]), kept beside the results as a small gzipped callgrind file
//! ([`record`]), and drawn as a top-functions table and a flamegraph
//! ([`flame`]); two profiles give their difference ([`diff`]) and, for two
//! runtimes, their instructions by crate ([`crates`]).

pub mod callgrind;
pub mod crates;
pub mod diff;
pub mod flame;
mod html;
pub mod names;
pub mod record;
mod render;
pub mod stacks;

use std::collections::{BTreeMap, HashMap};

use callgrind::Callgraph;
pub(crate) use html::section;
pub use record::{FunctionCost, ProfileRecord};
pub(crate) use render::{Views, cases, pairs};
pub use render::{comparison_terminal, terminal};

/// How many functions a results file keeps per case, and tables show.
pub const TOP: usize = 20;

/// A profile read back, per operation.
#[derive(Debug, Clone, PartialEq)]
pub struct Profile {
    /// Operations of the profiled repetition (the divisor).
    pub ops: u64,
    /// Instructions in the profile, in all.
    pub instructions: u64,
    /// Every function by readable name (copies of one generic function are
    /// one), most instructions of its own first.
    pub functions: Vec<FunctionCost>,
    /// Folded stacks of readable names (`a;b;c`) and their instructions per
    /// operation (see [`stacks`] for how they are built).
    pub stacks: BTreeMap<String, f64>,
    /// Instructions per operation in functions that have no name (an
    /// address: the program has no symbols there).
    pub unnamed: f64,
}

impl Profile {
    /// The profile of `graph` for `ops` operations (at least one).
    pub fn of(graph: &Callgraph, ops: u64) -> Profile {
        let per_op = 1.0 / ops.max(1) as f64;
        let names: Vec<String> = (graph.functions.iter())
            .map(|f| names::readable(&f.symbol))
            .collect();
        // Per name: own instructions and crate.
        let mut by_name: HashMap<&str, (u64, String)> = HashMap::new();
        for (i, f) in graph.functions.iter().enumerate() {
            let entry = by_name
                .entry(&names[i])
                .or_insert_with(|| (0, names::crate_of(&names[i], &f.object)));
            entry.0 += f.own;
        }
        // Inclusive: every stack a name is in, once per stack, so recursion
        // and copies of one generic function calling each other count once.
        let mut folded: BTreeMap<String, f64> = BTreeMap::new();
        let mut inclusive: HashMap<&str, f64> = HashMap::new();
        for stack in stacks::stacks(graph) {
            let mut frames: Vec<&str> = stack.frames.iter().map(|&i| names[i].as_str()).collect();
            *folded.entry(frames.join(";")).or_default() += stack.instructions * per_op;
            frames.sort_unstable();
            frames.dedup();
            for name in frames {
                *inclusive.entry(name).or_default() += stack.instructions * per_op;
            }
        }
        let mut functions: Vec<FunctionCost> = by_name
            .into_iter()
            .map(|(name, (own, krate))| FunctionCost {
                name: name.to_owned(),
                krate,
                own: own as f64 * per_op,
                inclusive: inclusive.get(name).copied().unwrap_or(0.0),
            })
            .collect();
        functions.sort_by(|a, b| b.own.total_cmp(&a.own).then(a.name.cmp(&b.name)));
        let unnamed = (graph.functions.iter())
            .filter(|f| f.symbol.starts_with("0x"))
            .map(|f| f.own)
            .sum::<u64>() as f64
            * per_op;
        Profile {
            ops: ops.max(1),
            instructions: graph.total,
            functions,
            stacks: folded,
            unnamed,
        }
    }

    /// Instructions per operation.
    pub fn per_op(&self) -> f64 {
        self.instructions as f64 / self.ops as f64
    }

    /// The functions with the most instructions of their own, at most `n`.
    pub fn top(&self, n: usize) -> Vec<FunctionCost> {
        self.functions.iter().take(n).cloned().collect()
    }
}
