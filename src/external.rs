//! External runtimes: Python asyncio and Node.js running the project's own
//! baselines (`baselines/`), each case a command the runner measures exactly
//! like a Rust case.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The Python baseline, shipped inside the binary and written next to the results.
const ASYNCIO_SCRIPT: (&str, &str) = (
    "asyncio_bench.py",
    include_str!("../baselines/asyncio_bench.py"),
);
/// The Node.js baseline, likewise.
const NODE_SCRIPT: (&str, &str) = ("node_bench.js", include_str!("../baselines/node_bench.js"));

/// The oldest Python the baseline runs on (`asyncio.run`, `perf_counter_ns`).
const MIN_PYTHON: (u32, u32) = (3, 7);

/// The oldest Python with `asyncio.TaskGroup`, which the `-asyncio-wait` flavour uses.
const MIN_PYTHON_WAIT: (u32, u32) = (3, 11);

/// An interpreter that can run a baseline, or says why it cannot.
#[derive(Debug, Clone)]
pub struct External {
    /// Runtime name, e.g. `python3.12-asyncio`, `python3.12-asyncio-wait`,
    /// `python3.12-uvloop`, `node`.
    pub name: String,
    /// The interpreter's own version, e.g. `3.12.1`.
    pub version: String,
    /// What runs, in words.
    pub flavor: String,
    /// The interpreter.
    pub program: PathBuf,
    /// Its script and the arguments before the case's own.
    script: &'static (&'static str, &'static str),
    loop_args: Vec<String>,
    /// Whether it can run here, or why not.
    pub status: Result<(), String>,
    /// The workloads its script does, by name; the others get no case of it.
    pub workloads: &'static [&'static str],
}

impl External {
    /// The arguments that run one repetition of `workload` with `params_json`,
    /// the scripts having been written to `scripts` by [`write_scripts`].
    pub fn args(&self, scripts: &Path, workload: &str, params_json: &str) -> Vec<String> {
        let script = scripts.join(self.script.0).display().to_string();
        let case = ["--workload", workload, "--params", params_json].map(str::to_owned);
        [vec![script], case.to_vec(), self.loop_args.clone()].concat()
    }
}

/// The workloads the Python and Node.js scripts do (serve's case of them
/// says why it has no figures: they have no server).
const SCRIPTED: [&str; 5] = ["sleep", "cancel", "fetch", "serve", "file"];

/// Writes the baseline scripts into `dir`, so a run's directory shows exactly
/// what ran.
pub fn write_scripts(dir: &Path) -> Result<(), String> {
    std::fs::create_dir_all(dir)
        .and_then(|()| {
            [ASYNCIO_SCRIPT, NODE_SCRIPT]
                .iter()
                .try_for_each(|(name, text)| std::fs::write(dir.join(name), text))
        })
        .map_err(|e| {
            format!(
                "cannot write the baseline scripts to {}: {e}",
                dir.display()
            )
        })
}

/// Every external runtime found: each `python3.X` in pyenv's versions folder
/// and on `PATH` (the first that runs, per minor version), each `pythons` given,
/// with a `-uvloop` twin where uvloop imports; `node` on `PATH` and each of
/// `nodes`. An interpreter counts only if `--version` runs: pyenv's shims for
/// versions not selected fail, so the real binaries are tried first.
pub fn discover(pythons: &[PathBuf], nodes: &[PathBuf]) -> Vec<External> {
    let mut found: BTreeMap<String, External> = BTreeMap::new();
    // The first of a name wins.
    let add = |found: &mut BTreeMap<String, External>, external: External| {
        found.entry(external.name.clone()).or_insert(external);
    };
    // Given paths first, so they win over what is found under the same name.
    for python in pythons {
        python_runtimes(python)
            .into_iter()
            .for_each(|e| add(&mut found, e));
    }
    for python in python_candidates() {
        // A found `python3.X` names its runtime; once one of that minor version
        // runs, the others (pyenv's shims on PATH, system copies) need no probe.
        let name = python
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        if !found.contains_key(&format!("{name}-asyncio")) {
            python_runtimes(&python)
                .into_iter()
                .for_each(|e| add(&mut found, e));
        }
    }
    let mut node_found = false;
    for node in nodes.iter().cloned().chain(on_path("node")) {
        if let Some(runtime) = node_runtime(&node, nodes.contains(&node)) {
            node_found |= runtime.name == "node";
            add(&mut found, runtime);
        }
    }
    if !node_found {
        add(
            &mut found,
            External {
                name: "node".into(),
                version: "-".into(),
                flavor: "Node.js event loop".into(),
                program: "node".into(),
                script: &NODE_SCRIPT,
                loop_args: Vec::new(),
                status: Err("not found (install Node.js, or pass --node PATH)".into()),
                workloads: &SCRIPTED,
            },
        );
    }
    let mut all: Vec<External> = found.into_values().collect();
    // Python before Node, then by version: 3.9 before 3.10.
    all.sort_by_key(|e| {
        let version: Vec<u32> = e
            .version
            .split('.')
            .filter_map(|p| p.parse().ok())
            .collect();
        (e.script.0 != ASYNCIO_SCRIPT.0, version, e.name.clone())
    });
    all
}

/// `python3.X` files in pyenv's versions folder, then on `PATH`.
fn python_candidates() -> Vec<PathBuf> {
    let pyenv_root = std::env::var_os("PYENV_ROOT")
        .map(PathBuf::from)
        .or_else(|| std::env::home_dir().map(|home| home.join(".pyenv")));
    let mut dirs: Vec<PathBuf> = pyenv_root
        .and_then(|root| std::fs::read_dir(root.join("versions")).ok())
        .into_iter()
        .flatten()
        .filter_map(|entry| Some(entry.ok()?.path().join("bin")))
        .collect();
    dirs.sort();
    dirs.extend(path_dirs());
    dirs.iter()
        .filter_map(|dir| std::fs::read_dir(dir).ok())
        .flatten()
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| {
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
            name.strip_prefix("python3.")
                .is_some_and(|minor| !minor.is_empty() && minor.bytes().all(|b| b.is_ascii_digit()))
        })
        .collect()
}

/// The `asyncio` runtime of one interpreter, its `asyncio-wait` flavour
/// (sleep waited on the article's way), and its `uvloop` twin if uvloop imports.
fn python_runtimes(program: &Path) -> Vec<External> {
    let Some(version) = version_of(program, "Python ") else {
        return Vec::new();
    };
    let mut parts = version.split('.').map(|p| p.parse::<u32>().unwrap_or(0));
    let (major, minor) = (parts.next().unwrap_or(0), parts.next().unwrap_or(0));
    let needs = |(lo_major, lo_minor): (u32, u32), what: &str| {
        if (major, minor) >= (lo_major, lo_minor) {
            Ok(())
        } else {
            Err(format!("needs Python {lo_major}.{lo_minor} or newer{what}"))
        }
    };
    let status = needs(MIN_PYTHON, "");
    let runtime = |suffix: &str, flavor: &str, args: &[&str]| External {
        name: format!("python{major}.{minor}-{suffix}"),
        version: version.clone(),
        flavor: flavor.to_owned(),
        program: program.to_owned(),
        script: &ASYNCIO_SCRIPT,
        loop_args: args.iter().map(|a| a.to_string()).collect(),
        status: status.clone(),
        workloads: &SCRIPTED,
    };
    let mut runtimes = vec![
        runtime("asyncio", "asyncio event loop", &["--loop", "asyncio"]),
        External {
            status: needs(MIN_PYTHON_WAIT, " (asyncio.TaskGroup)"),
            workloads: &["sleep"],
            ..runtime(
                "asyncio-wait",
                "asyncio, TaskGroup + asyncio.wait over a list (the article's waiting; sleep only)",
                &["--loop", "asyncio", "--style", "wait"],
            )
        },
    ];
    let uvloop = Command::new(program).args(["-c", "import uvloop"]).output();
    if status.is_ok() && uvloop.is_ok_and(|out| out.status.success()) {
        runtimes.push(runtime(
            "uvloop",
            "uvloop event loop",
            &["--loop", "uvloop"],
        ));
    }
    runtimes
}

/// The Node.js runtime of one interpreter; given paths are named by version.
fn node_runtime(program: &Path, given: bool) -> Option<External> {
    let version = version_of(program, "v")?;
    Some(External {
        name: if given {
            format!("node-{version}")
        } else {
            "node".into()
        },
        flavor: "Node.js event loop".into(),
        version,
        program: program.to_owned(),
        script: &NODE_SCRIPT,
        loop_args: Vec::new(),
        status: Ok(()),
        workloads: &SCRIPTED,
    })
}

/// What `program --version` prints after `prefix`, if it runs at all.
fn version_of(program: &Path, prefix: &str) -> Option<String> {
    let out = Command::new(program).arg("--version").output().ok()?;
    if !out.status.success() {
        return None;
    }
    // Python 2 and early 3 printed their version on stderr.
    let text = [out.stdout, out.stderr].concat();
    let text = String::from_utf8_lossy(&text);
    Some(text.trim().strip_prefix(prefix)?.to_owned())
}

fn path_dirs() -> Vec<PathBuf> {
    std::env::var_os("PATH")
        .map(|path| std::env::split_paths(&path).collect())
        .unwrap_or_default()
}

/// `name` in the first `PATH` directory that has it.
fn on_path(name: &str) -> Option<PathBuf> {
    path_dirs()
        .into_iter()
        .map(|dir| dir.join(name))
        .find(|p| p.is_file())
}
