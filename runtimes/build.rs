//! Exposes the locked version of every dependency of this crate as
//! `RTBENCH_VERSION_<NAME>` (upper case, `-` as `_`), so each adapter can name
//! the exact runtime version it measures.

use std::path::Path;

fn main() {
    let lock_path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../Cargo.lock");
    println!("cargo::rerun-if-changed={}", lock_path.display());
    let text = std::fs::read_to_string(&lock_path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", lock_path.display()));
    let lock: toml::Table = text.parse().expect("Cargo.lock is TOML");
    let packages = lock["package"]
        .as_array()
        .expect("Cargo.lock lists packages");
    let field = |p: &toml::Value, key: &str| p.get(key).and_then(|v| v.as_str()).map(str::to_owned);
    let ours = packages
        .iter()
        .find(|p| field(p, "name").as_deref() == Some(env!("CARGO_PKG_NAME")))
        .expect("this crate is in Cargo.lock");
    let deps = ours
        .get("dependencies")
        .and_then(|d| d.as_array())
        .into_iter()
        .flatten();
    for dep in deps.filter_map(|d| d.as_str()) {
        // An entry is "name", or "name version" when several versions are locked.
        let mut words = dep.split(' ');
        let name = words.next().expect("a dependency has a name");
        let version = words.next().map(str::to_owned).or_else(|| {
            packages
                .iter()
                .find(|p| field(p, "name").as_deref() == Some(name))
                .and_then(|p| field(p, "version"))
        });
        if let Some(version) = version {
            let var = name.to_uppercase().replace('-', "_");
            println!("cargo::rustc-env=RTBENCH_VERSION_{var}={version}");
        }
    }
}
