//! No import circle among the modules of `src/`: a `crate::…` path (a `use`
//! or a path in code, tests and attributes included) from one top-level
//! module to another and back, directly or around a loop, fails here with
//! the circle named, so data keeps flowing one way.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::path::{Path, PathBuf};
use std::str::FromStr;

use proc_macro2::{Delimiter, Spacing, TokenStream, TokenTree};

/// Circles known and being removed, each as the exact set of modules that
/// import each other. A circle that is tolerated here must match one
/// exactly: any module more or fewer fails. An entry whose circle is gone
/// fails too, so the list only shrinks.
const KNOWN: &[&[&str]] = &[];

#[test]
fn the_modules_of_src_import_each_other_one_way_only() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let graph = Graph::of(&src);
    assert!(
        graph.edges.len() > 20,
        "too few imports found to judge: {:?}",
        graph.edges.keys()
    );
    let mut failures = Vec::new();
    let circles = graph.circles();
    for circle in &circles {
        let names: Vec<&str> = circle.iter().map(String::as_str).collect();
        if !KNOWN.contains(&names.as_slice()) {
            failures.push(graph.describe(circle));
        }
    }
    for known in KNOWN {
        if !(circles.iter()).any(|c| c.iter().map(String::as_str).eq(known.iter().copied())) {
            failures.push(format!(
                "the known circle among {} is gone: delete it from KNOWN in tests/imports.rs",
                known.join(", ")
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn a_circle_is_found_and_named_with_where_each_import_is() {
    let mut graph = Graph::default();
    for (from, to) in [("a", "b"), ("b", "c"), ("c", "a"), ("c", "d"), ("d", "e")] {
        graph.add(from, to, format!("src/{from}.rs:1"));
    }
    let circles = graph.circles();
    assert_eq!(
        circles,
        [BTreeSet::from(["a".into(), "b".into(), "c".into()])]
    );
    assert_eq!(
        graph.describe(&circles[0]),
        "a, b, c import each other: a → b (src/a.rs:1) → c (src/b.rs:1) → a (src/c.rs:1)"
    );
    graph.edges.remove(&("c".into(), "a".into()));
    assert!(graph.circles().is_empty(), "a chain is not a circle");
}

#[test]
fn imports_are_read_from_uses_groups_paths_and_attributes_but_not_comments() {
    let text = r#"
        //! Mentions crate::comment in a doc comment.
        use crate::one::Thing;
        use crate::{two, three::{Deep, deeper}, self as me};
        pub(crate) fn f() -> String {
            // crate::comment again
            let _ = crate::four::call();
            format!("crate::string {}", crate::five::value())
        }
        #[arg(value_parser = crate::six::parse)]
        struct S;
        macro_rules! m { () => { $crate::seven::x() } }
    "#;
    let found: Vec<String> = targets(text).into_iter().map(|(name, _)| name).collect();
    assert_eq!(found, ["one", "two", "three", "four", "five", "six"]);
}

/// Which top-level module of `src/` imports which, with the first place each
/// import is made.
#[derive(Debug, Default)]
struct Graph {
    /// (importer, imported) → `src/file.rs:line`.
    edges: BTreeMap<(String, String), String>,
}

impl Graph {
    /// The imports between the top-level modules of `src` (a file `x.rs` or
    /// a directory `x/` is module `x`; `main.rs`, the crate's root, imports
    /// all of them and none can import it).
    fn of(src: &Path) -> Graph {
        let files = rust_files(src);
        let module = |file: &Path| -> String {
            let first = file.strip_prefix(src).unwrap().components().next().unwrap();
            let name = first.as_os_str().to_string_lossy();
            name.strip_suffix(".rs").unwrap_or(&name).to_owned()
        };
        let modules: BTreeSet<String> = files.iter().map(|f| module(f)).collect();
        let mut graph = Graph::default();
        for file in &files {
            let from = module(file);
            let text = std::fs::read_to_string(file).unwrap();
            let shown = file.strip_prefix(src.parent().unwrap()).unwrap().display();
            for (to, line) in targets(&text) {
                if to != from && to != "main" && modules.contains(&to) {
                    graph.add(&from, &to, format!("{shown}:{line}"));
                }
            }
        }
        graph
    }

    /// Records that `from` imports `to` at `place`, unless it did before.
    fn add(&mut self, from: &str, to: &str, place: String) {
        (self.edges)
            .entry((from.to_owned(), to.to_owned()))
            .or_insert(place);
    }

    /// The modules each one imports.
    fn imported(&self, from: &str) -> impl Iterator<Item = &str> {
        (self.edges.keys())
            .filter(move |(f, _)| f == from)
            .map(|(_, to)| to.as_str())
    }

    /// Every module `from` reaches through imports.
    fn reach(&self, from: &str) -> BTreeSet<String> {
        let mut seen = BTreeSet::new();
        let mut next = vec![from.to_owned()];
        while let Some(module) = next.pop() {
            for to in self.imported(&module) {
                if seen.insert(to.to_owned()) {
                    next.push(to.to_owned());
                }
            }
        }
        seen
    }

    /// Each group of modules that import each other, around a loop or
    /// directly: the modules that reach one another.
    fn circles(&self) -> Vec<BTreeSet<String>> {
        let modules: BTreeSet<&str> = (self.edges.keys()).map(|(from, _)| from.as_str()).collect();
        let reach: BTreeMap<&str, BTreeSet<String>> =
            modules.iter().map(|&m| (m, self.reach(m))).collect();
        let mut circles: Vec<BTreeSet<String>> = Vec::new();
        for &module in &modules {
            if !reach[module].contains(module) || circles.iter().any(|c| c.contains(module)) {
                continue;
            }
            let circle = (reach[module].iter())
                .filter(|other| {
                    reach
                        .get(other.as_str())
                        .is_some_and(|r| r.contains(module))
                })
                .cloned()
                .collect();
            circles.push(circle);
        }
        circles
    }

    /// A circle's modules and one loop through them, with where each import
    /// of the loop is: `a, b import each other: a → b (src/a.rs:3) → a (src/b.rs:9)`.
    fn describe(&self, circle: &BTreeSet<String>) -> String {
        let start = circle.first().expect("a circle has modules");
        // The shortest way back to `start`, breadth first within the circle.
        let mut came_from: BTreeMap<&str, &str> = BTreeMap::new();
        let mut queue = VecDeque::from([start.as_str()]);
        'search: while let Some(module) = queue.pop_front() {
            for to in self.imported(module).filter(|to| circle.contains(*to)) {
                if !came_from.contains_key(to) {
                    came_from.insert(to, module);
                    if to == start {
                        break 'search;
                    }
                    queue.push_back(to);
                }
            }
        }
        let mut loop_back = vec![start.as_str()];
        let mut at = came_from[start.as_str()];
        while at != start {
            loop_back.push(at);
            at = came_from[at];
        }
        loop_back.push(start);
        loop_back.reverse();
        let steps: String = (loop_back.windows(2))
            .map(|pair| {
                let place = &self.edges[&(pair[0].to_owned(), pair[1].to_owned())];
                format!(" → {} ({place})", pair[1])
            })
            .collect();
        let names: Vec<&str> = circle.iter().map(String::as_str).collect();
        format!("{} import each other: {start}{steps}", names.join(", "))
    }
}

/// Every `.rs` file under `dir`.
fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
    files.sort();
    files
}

/// The module after each `crate::` in `text`'s tokens (so never in a
/// comment or a string), each name of a `crate::{…}` group, with its line.
fn targets(text: &str) -> Vec<(String, usize)> {
    let tokens = TokenStream::from_str(text).expect("the sources of src/ lex");
    let mut found = Vec::new();
    walk(tokens, &mut found);
    found
}

/// Looks for `crate::` in `tokens` and every group within them.
fn walk(tokens: TokenStream, found: &mut Vec<(String, usize)>) {
    let tokens: Vec<TokenTree> = tokens.into_iter().collect();
    for (i, token) in tokens.iter().enumerate() {
        if let TokenTree::Group(group) = token {
            walk(group.stream(), found);
        }
        let after_dollar =
            i > 0 && matches!(&tokens[i - 1], TokenTree::Punct(p) if p.as_char() == '$');
        let is_crate = matches!(token, TokenTree::Ident(id) if id == "crate");
        let path = match (tokens.get(i + 1), tokens.get(i + 2)) {
            (Some(TokenTree::Punct(a)), Some(TokenTree::Punct(b))) => {
                a.as_char() == ':' && a.spacing() == Spacing::Joint && b.as_char() == ':'
            }
            _ => false,
        };
        if !is_crate || after_dollar || !path {
            continue;
        }
        match tokens.get(i + 3) {
            Some(TokenTree::Ident(name)) => {
                found.push((name.to_string(), name.span().start().line));
            }
            Some(TokenTree::Group(group)) if group.delimiter() == Delimiter::Brace => {
                // `crate::{a, b::c}`: the first name of each item.
                let mut first = true;
                for inner in group.stream() {
                    match inner {
                        TokenTree::Punct(p) if p.as_char() == ',' => first = true,
                        TokenTree::Ident(name) if first => {
                            first = false;
                            if name != "self" {
                                found.push((name.to_string(), name.span().start().line));
                            }
                        }
                        _ => first = false,
                    }
                }
            }
            _ => {}
        }
    }
}
