//! Callgrind's output format read into a [`Callgraph`]: the border where
//! valgrind's text becomes typed data (nothing past this module sees it).
//!
//! The format (valgrind's manual, "Callgrind Format Specification"): header
//! lines `key: value` (`positions:`, `events:`, `totals:` …), then per
//! function a `fn=` line followed by cost lines (positions, then one number
//! per event, trailing zeros left out) and calls (`cfn=`, `calls=COUNT
//! TARGET`, then one cost line holding the call's inclusive cost). Names are
//! compressed: `(7) name` defines id 7 the first time, `(7)` refers to it
//! after; functions (`fn`, `cfn`) and objects (`ob`, `cob`) each have their
//! own ids. No maintained crate reads the call graph (crates on crates.io
//! that mention callgrind issue its client requests or read only totals).

use std::collections::HashMap;
use std::io::BufRead;

/// Instructions (callgrind's `Ir`) per function and per call edge of one
/// profile, summed over every file read into it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Callgraph {
    /// Every function seen, in the order first seen.
    pub functions: Vec<Function>,
    /// The instructions callgrind counted in all (its `totals:` lines).
    pub total: u64,
}

/// One function (a symbol, or an address where the binary has none).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Function {
    /// The name as callgrind wrote it (mangled with `--demangle=no`).
    pub symbol: String,
    /// The file it was loaded from (`ob=`), e.g. `/usr/lib/…/libc.so.6`.
    pub object: String,
    /// Instructions executed in the function itself.
    pub own: u64,
    /// The functions it called, each edge once.
    pub calls: Vec<Call>,
}

/// The calls from one function to another.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Call {
    /// Index of the called function in [`Callgraph::functions`].
    pub callee: usize,
    /// How many calls.
    pub count: u64,
    /// Instructions executed inside those calls (the callee and below).
    pub inclusive: u64,
}

impl Callgraph {
    /// Reads one callgrind output file into this graph, adding its costs to
    /// those already read (several processes, or several parts, make one
    /// profile). Fails with the line number and what is wrong with it.
    pub fn read(&mut self, input: impl BufRead) -> Result<(), String> {
        Reader::new(self).read(input)
    }

    /// The index of the function named `symbol` in `object`, added with no
    /// cost if new. (Callgrind tells apart functions of one name in two
    /// objects, such as the two `(below main)` of ld.so and libc.)
    fn function(&mut self, symbol: &str, object: &str, index: &mut Index) -> usize {
        let key = (object.to_owned(), symbol.to_owned());
        if let Some(&i) = index.get(&key) {
            return i;
        }
        self.functions.push(Function {
            symbol: symbol.to_owned(),
            object: object.to_owned(),
            own: 0,
            calls: Vec::new(),
        });
        index.insert(key, self.functions.len() - 1);
        self.functions.len() - 1
    }
}

/// Function indices by object and symbol.
type Index = HashMap<(String, String), usize>;

/// The state of reading one file.
struct Reader<'g> {
    graph: &'g mut Callgraph,
    /// Function index by object and symbol, over the whole graph.
    by_symbol: Index,
    /// Compressed names of this file: function ids, object ids.
    fn_ids: HashMap<String, String>,
    ob_ids: HashMap<String, String>,
    /// How many position columns precede the costs (`positions: instr line` = 2).
    positions: usize,
    /// Where `Ir` is among the events.
    ir: Option<usize>,
    object: String,
    current: Option<usize>,
    callee_object: Option<String>,
    callee: Option<usize>,
    /// A `calls=` line was read: the next cost line is that call's.
    call: Option<(usize, u64)>,
    /// A `jump=`/`jcnd=` line was read: the next line is its position only.
    skip: bool,
}

impl<'g> Reader<'g> {
    fn new(graph: &'g mut Callgraph) -> Reader<'g> {
        let by_symbol = (graph.functions.iter().enumerate())
            .map(|(i, f)| ((f.object.clone(), f.symbol.clone()), i))
            .collect();
        Reader {
            graph,
            by_symbol,
            fn_ids: HashMap::new(),
            ob_ids: HashMap::new(),
            positions: 1,
            ir: None,
            object: String::new(),
            current: None,
            callee_object: None,
            callee: None,
            call: None,
            skip: false,
        }
    }

    fn read(mut self, input: impl BufRead) -> Result<(), String> {
        for (n, line) in input.lines().enumerate() {
            let line = line.map_err(|e| format!("cannot read line {}: {e}", n + 1))?;
            self.line(line.trim_end())
                .map_err(|e| format!("line {}: {e}: {line:?}", n + 1))?;
        }
        if self.ir.is_none() {
            return Err("no `events:` line naming Ir (instructions)".into());
        }
        Ok(())
    }

    fn line(&mut self, line: &str) -> Result<(), String> {
        let starts_cost = line
            .bytes()
            .next()
            .is_some_and(|b| b.is_ascii_digit() || matches!(b, b'+' | b'-' | b'*'));
        if starts_cost {
            return self.cost(line);
        }
        if line.is_empty() || line.starts_with('#') {
            return Ok(());
        }
        let Some((key, value)) = line.split_once([':', '=']) else {
            return Err("neither a cost nor a `key=value` line".into());
        };
        let value = value.trim();
        match key {
            "positions" => self.positions = value.split_whitespace().count(),
            "events" => self.ir = value.split_whitespace().position(|e| e == "Ir"),
            "totals" => self.graph.total += self.ir_of(value.split_whitespace())?,
            "ob" => self.object = name(&mut self.ob_ids, value)?,
            "cob" => self.callee_object = Some(name(&mut self.ob_ids, value)?),
            "fn" => {
                let symbol = name(&mut self.fn_ids, value)?;
                let object = self.object.clone();
                self.current = Some(self.graph.function(&symbol, &object, &mut self.by_symbol));
            }
            "cfn" => {
                let symbol = name(&mut self.fn_ids, value)?;
                let object = self.callee_object.take().unwrap_or(self.object.clone());
                self.callee = Some(self.graph.function(&symbol, &object, &mut self.by_symbol));
            }
            "calls" => {
                let count = value.split_whitespace().next().unwrap_or("");
                let count = count
                    .parse()
                    .map_err(|_| "a call count that is no number")?;
                let callee = self.callee.ok_or("`calls=` without a `cfn=` before it")?;
                self.call = Some((callee, count));
            }
            "jump" | "jcnd" => self.skip = true,
            // Source files, headers we do not need (`summary:` repeats `totals:`).
            _ => {}
        }
        Ok(())
    }

    /// A cost line: positions, then the events' costs.
    fn cost(&mut self, line: &str) -> Result<(), String> {
        if std::mem::take(&mut self.skip) {
            return Ok(());
        }
        let ir = self.ir_of(line.split_whitespace().skip(self.positions))?;
        let current = self.current.ok_or("a cost before any `fn=`")?;
        let function = &mut self.graph.functions[current];
        match self.call.take() {
            Some((callee, count)) => match function.calls.iter_mut().find(|c| c.callee == callee) {
                Some(call) => {
                    call.count += count;
                    call.inclusive += ir;
                }
                None => function.calls.push(Call {
                    callee,
                    count,
                    inclusive: ir,
                }),
            },
            None => function.own += ir,
        }
        Ok(())
    }

    /// The instructions among `costs` (zero when left out as a trailing zero).
    fn ir_of<'a>(&self, mut costs: impl Iterator<Item = &'a str>) -> Result<u64, String> {
        let ir = self.ir.ok_or("costs before the `events:` line")?;
        costs.nth(ir).map_or(Ok(0), |n| {
            n.parse()
                .map_err(|_| format!("an instruction count {n:?} that is no number"))
        })
    }
}

/// A compressed name: `(id) name` defines `id`, `(id)` refers to it, and a
/// plain `name` stands for itself.
fn name(ids: &mut HashMap<String, String>, value: &str) -> Result<String, String> {
    let Some(rest) = value.strip_prefix('(') else {
        return Ok(value.to_owned());
    };
    let (id, name) = rest.split_once(')').ok_or("an unclosed name id")?;
    let name = name.trim();
    if name.is_empty() {
        ids.get(id)
            .cloned()
            .ok_or_else(|| format!("name id ({id}) used before it was defined"))
    } else {
        ids.insert(id.to_owned(), name.to_owned());
        Ok(name.to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SMALL: &str = "# callgrind format\nversion: 1\npositions: line\nevents: Ir Dr\n\
        ob=(1) /bin/prog\nfn=(1) main\n0 10 4\n+2 5\ncfn=(2) work\ncalls=3 7\n* 90 30\n\
        cob=(2) /lib/libc.so.6\ncfn=(3) memcpy\ncalls=1 0\n0 20\n\
        fn=(2)\n7 70 1\ncob=(2)\ncfn=(3)\ncalls=2 0\n0 20\n\
        ob=(2)\nfn=(3)\n0 40\ntotals: 125 35\n";

    #[test]
    fn reads_costs_calls_and_compressed_names() {
        let mut graph = Callgraph::default();
        graph.read(SMALL.as_bytes()).unwrap();
        assert_eq!(graph.total, 125);
        let names: Vec<&str> = graph.functions.iter().map(|f| f.symbol.as_str()).collect();
        assert_eq!(names, ["main", "work", "memcpy"]);
        let [main, work, memcpy] = &graph.functions[..] else {
            panic!("three functions")
        };
        assert_eq!((main.own, work.own, memcpy.own), (15, 70, 40));
        assert_eq!(main.own + work.own + memcpy.own, graph.total);
        assert_eq!(memcpy.object, "/lib/libc.so.6");
        assert_eq!(
            main.calls,
            [
                Call {
                    callee: 1,
                    count: 3,
                    inclusive: 90
                },
                Call {
                    callee: 2,
                    count: 1,
                    inclusive: 20
                },
            ]
        );
        assert_eq!(
            work.calls,
            [Call {
                callee: 2,
                count: 2,
                inclusive: 20
            }]
        );
    }

    #[test]
    fn a_second_file_adds_to_the_first() {
        let mut graph = Callgraph::default();
        graph.read(SMALL.as_bytes()).unwrap();
        graph.read(SMALL.as_bytes()).unwrap();
        assert_eq!(graph.total, 250);
        assert_eq!(graph.functions.len(), 3);
        assert_eq!(graph.functions[0].calls[0].inclusive, 180);
    }

    #[test]
    fn bad_lines_name_their_number() {
        let mut graph = Callgraph::default();
        let err = graph.read("events: Ir\nfn=(4)\n".as_bytes()).unwrap_err();
        assert!(err.starts_with("line 2: name id (4) used before"), "{err}");
        let err = Callgraph::default()
            .read("events: Ir\n5 5\n".as_bytes())
            .unwrap_err();
        assert!(err.contains("before any `fn=`"), "{err}");
        let err = Callgraph::default()
            .read("fn=main\n".as_bytes())
            .unwrap_err();
        assert!(err.contains("Ir"), "{err}");
    }
}
