//! What the results file holds of a case's profile (where its file is, the
//! top functions), and the file itself: the call graph in callgrind's own
//! format, only the instructions per function and per call (no source
//! lines), gzipped, so `callgrind_annotate` and KCachegrind open it too.

use std::fs::File;
use std::io::{BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};

use flate2::Compression;
use flate2::read::GzDecoder;
use flate2::write::GzEncoder;
use serde::{Deserialize, Serialize};

use super::callgrind::Callgraph;
use super::{Profile, TOP};

/// A case's profile in the results file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProfileRecord {
    /// The profile's file, relative to the results file's directory; absent
    /// when no profile could be made (`notes` says why).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// Operations of the profiled repetition: the divisor of every figure.
    pub ops: u64,
    /// Instructions counted in it, in all; absent without a profile.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instructions: Option<u64>,
    /// The functions with the most instructions per operation of their own.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub top: Vec<FunctionCost>,
    /// What a reader must know: names missing, or why there is no profile.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// The directory `file` is relative to: set when a results file is read
    /// or a run writes it; not stored.
    #[serde(skip)]
    pub dir: Option<PathBuf>,
}

/// One function's instructions per operation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FunctionCost {
    /// Its readable name (see [`super::names::readable`]).
    pub name: String,
    /// The crate it belongs to (see [`super::names::crate_of`]).
    #[serde(rename = "crate")]
    pub krate: String,
    /// Instructions per operation in the function itself.
    #[serde(rename = "self")]
    pub own: f64,
    /// Instructions per operation in it and everything it called.
    pub inclusive: f64,
}

impl ProfileRecord {
    /// A case without a profile, and why.
    pub fn absent(ops: u64, why: String) -> ProfileRecord {
        ProfileRecord {
            file: None,
            ops,
            instructions: None,
            top: Vec::new(),
            notes: vec![why],
            dir: None,
        }
    }

    /// Reads every callgrind output file of one repetition (one per process)
    /// in `from`, writes them as one profile to `dir/file`, and records it.
    pub fn save(from: &Path, dir: &Path, file: &str, ops: u64) -> Result<ProfileRecord, String> {
        let mut graph = Callgraph::default();
        let unreadable = |e: std::io::Error| format!("cannot read callgrind's output: {e}");
        let mut found = 0;
        for entry in std::fs::read_dir(from).map_err(unreadable)? {
            let path = entry.map_err(unreadable)?.path();
            if path
                .file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("callgrind.out"))
            {
                let input = BufReader::new(File::open(&path).map_err(unreadable)?);
                graph
                    .read(input)
                    .map_err(|e| format!("{}: {e}", path.display()))?;
                found += 1;
            }
        }
        if found == 0 {
            return Err("callgrind wrote no output file".into());
        }
        let path = dir.join(file);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
        }
        write(&graph, &path).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        let profile = Profile::of(&graph, ops);
        let mut notes = Vec::new();
        let unnamed = 100.0 * profile.unnamed / profile.per_op();
        if unnamed >= 0.05 {
            notes.push(format!(
                "{unnamed:.1} % of the instructions are in code without symbols (shown as \
                 addresses): names are missing there"
            ));
        }
        Ok(ProfileRecord {
            file: Some(file.to_owned()),
            ops,
            instructions: Some(graph.total),
            top: profile.top(TOP),
            notes,
            dir: Some(dir.to_owned()),
        })
    }

    /// The whole profile from its file; an error says which file and why.
    pub fn load(&self) -> Result<Profile, String> {
        let file = self.file.as_deref().ok_or_else(|| self.notes.join("; "))?;
        let path = self.dir.as_deref().unwrap_or(Path::new("")).join(file);
        let input = File::open(&path)
            .map_err(|e| format!("profile {} cannot be read: {e}", path.display()))?;
        let mut graph = Callgraph::default();
        graph
            .read(BufReader::new(GzDecoder::new(input)))
            .map_err(|e| format!("profile {}: {e}", path.display()))?;
        Ok(Profile::of(&graph, self.ops))
    }
}

/// `graph` in callgrind's format, gzipped, at `path`.
fn write(graph: &Callgraph, path: &Path) -> std::io::Result<()> {
    let mut out = GzEncoder::new(BufWriter::new(File::create(path)?), Compression::best());
    writeln!(
        out,
        "# callgrind format\nversion: 1\ncreator: rtbench\npositions: line\nevents: Ir"
    )?;
    // Each name is written once in full, then by its id (callgrind's compression).
    let (mut named, mut objects) = (vec![false; graph.functions.len()], Vec::<String>::new());
    let mut name = |i: usize, out: &mut dyn Write| -> std::io::Result<()> {
        if std::mem::replace(&mut named[i], true) {
            writeln!(out, "({i})")
        } else {
            writeln!(out, "({i}) {}", graph.functions[i].symbol)
        }
    };
    let mut object = |o: &str| match objects.iter().position(|k| k == o) {
        Some(id) => format!("({id})"),
        None => {
            objects.push(o.to_owned());
            format!("({}) {o}", objects.len() - 1)
        }
    };
    for (i, f) in graph.functions.iter().enumerate() {
        writeln!(out, "ob={}", object(&f.object))?;
        write!(out, "fn=")?;
        name(i, &mut out)?;
        writeln!(out, "0 {}", f.own)?;
        for call in &f.calls {
            writeln!(out, "cob={}", object(&graph.functions[call.callee].object))?;
            write!(out, "cfn=")?;
            name(call.callee, &mut out)?;
            writeln!(out, "calls={} 0\n0 {}", call.count, call.inclusive)?;
        }
    }
    writeln!(out, "totals: {}", graph.total)?;
    out.finish()?.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_saved_profile_reads_back_as_it_was() {
        let from = tempfile::tempdir().unwrap();
        let to = tempfile::tempdir().unwrap();
        let text = "events: Ir\nob=(1) /bin/p\nfn=(1) main\n0 10\ncfn=(2) work\ncalls=3 0\n0 90\n\
                    fn=(2)\n0 90\ntotals: 100\n";
        std::fs::write(from.path().join("callgrind.out.1"), text).unwrap();
        let record = ProfileRecord::save(from.path(), to.path(), "profiles/a.gz", 10).unwrap();
        assert_eq!(record.instructions, Some(100));
        assert_eq!(record.top[0].name, "work");
        assert_eq!((record.top[0].own, record.top[1].inclusive), (9.0, 10.0));
        let mut graph = Callgraph::default();
        graph.read(text.as_bytes()).unwrap();
        assert_eq!(record.load().unwrap(), Profile::of(&graph, 10));
    }
}
