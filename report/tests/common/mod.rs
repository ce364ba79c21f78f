//! Fixtures shared by the integration tests.

use std::path::PathBuf;

use rtbench_report::ResultsFile;

/// Path of a fixture under `tests/fixtures`.
pub fn fixture_path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// A fixture read through the public reader, as the CLI reads files.
pub fn fixture(name: &str) -> ResultsFile {
    ResultsFile::read(&fixture_path(name)).unwrap_or_else(|e| panic!("{e}"))
}
