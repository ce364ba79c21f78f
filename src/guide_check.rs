//! Checks the pages a user reads, the README and the guide's chapters: every
//! `rtbench …` command line in their shell blocks parses with the real
//! command line (an unknown flag or value fails), and every relative link,
//! `#anchor` included, points at something that exists.

use std::path::{Path, PathBuf};

use clap::Parser;
use clap::error::ErrorKind;
use pulldown_cmark::{CodeBlockKind, Event, Options, Parser as Markdown, Tag, TagEnd};

use crate::cli::Cli;

/// The repository's root.
fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The book's chapters, `guide/src`.
fn book() -> PathBuf {
    root().join("guide/src")
}

/// The Markdown files of one directory of the repository, sorted.
fn markdown_in(dir: &Path) -> Vec<PathBuf> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|entry| entry.expect("a directory entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "md"))
        .collect();
    paths.sort();
    paths
}

/// The pages a user reads first, the README and the guide's chapters, with
/// `docs/*.md` (the studies) too when `with_studies`; each with its text.
fn pages(with_studies: bool) -> Vec<(PathBuf, String)> {
    let mut paths = vec![root().join("README.md")];
    paths.extend(markdown_in(&book()));
    if with_studies {
        paths.extend(markdown_in(&root().join("docs")));
    }
    paths
        .into_iter()
        .map(|path| {
            let text = std::fs::read_to_string(&path)
                .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
            (path, text)
        })
        .collect()
}

/// A page's path as the repository names it.
fn shown(path: &Path) -> String {
    path.strip_prefix(root())
        .unwrap_or(path)
        .display()
        .to_string()
}

/// The whole text of every `sh`, `console` or `bash` block of a page, and
/// of every `yaml` block (a workflow's steps) the lines that run rtbench.
fn shell_blocks(text: &str) -> Vec<String> {
    let mut blocks = Vec::new();
    let mut current: Option<(bool, String)> = None;
    for event in Markdown::new_ext(text, Options::ENABLE_TABLES) {
        match event {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) => {
                current = match info.split([' ', ',']).next().unwrap_or_default() {
                    "sh" | "console" | "bash" | "shell" => Some((false, String::new())),
                    "yaml" | "yml" => Some((true, String::new())),
                    _ => None,
                };
            }
            Event::Text(code) => {
                if let Some((_, block)) = &mut current {
                    block.push_str(&code);
                }
            }
            Event::End(TagEnd::CodeBlock) => match current.take() {
                Some((false, block)) => blocks.push(block),
                Some((true, yaml)) => blocks.push(workflow_commands(&yaml)),
                None => {}
            },
            _ => {}
        }
    }
    blocks
}

/// The lines of a workflow's steps that run rtbench (`- run: rtbench …`, or
/// a line of a `run: |` script), as shell lines.
fn workflow_commands(yaml: &str) -> String {
    yaml.lines()
        .map(|line| {
            let line = line.trim_start();
            let line = line.strip_prefix("- ").unwrap_or(line);
            line.strip_prefix("run:").unwrap_or(line).trim_start()
        })
        .filter(|line| {
            let command = line.split(' ').next().unwrap_or_default();
            command == "rtbench" || command.ends_with("/rtbench")
        })
        .map(|line| format!("{line}\n"))
        .collect()
}

/// Commands that run another command given after their own flags.
const WRAPPERS: [&str; 5] = ["valgrind", "perf", "time", "timeout", "sudo"];

/// The words `rtbench` gets from one shell line (continuations already
/// joined): `None` for a line that runs something else, an error for one
/// that runs rtbench in a way this check cannot take apart.
fn rtbench_args(line: &str) -> Option<Result<Vec<String>, String>> {
    let line = line.trim_start();
    let line = line.strip_prefix("$ ").unwrap_or(line);
    let Some(words) = shlex::split(line) else {
        return Some(Err("unbalanced quotes".into()));
    };
    // `NAME=value` before the command sets the environment.
    let words: Vec<&str> = words
        .iter()
        .map(String::as_str)
        .skip_while(|word| is_assignment(word))
        .collect();
    let is_rtbench = |word: &&str| *word == "rtbench" || word.ends_with("/rtbench");
    let args = match words.as_slice() {
        [first, rest @ ..] if is_rtbench(first) => rest,
        ["cargo", "run", "--release"] => &[],
        ["cargo", "run", "--release", "--", rest @ ..] => rest,
        // A tool that runs rtbench under it (valgrind, perf, time …): the
        // words after rtbench are still rtbench's.
        [tool, ..] if WRAPPERS.contains(tool) && words.iter().any(is_rtbench) => {
            let at = words.iter().position(is_rtbench).unwrap_or_default();
            &words[at + 1..]
        }
        _ if words.iter().any(is_rtbench) => {
            return Some(Err(
                "rtbench inside another command: give it a line of its own".into(),
            ));
        }
        _ => return None,
    };
    let end = args
        .iter()
        .position(|word| matches!(*word, "|" | "||" | "&&" | ";" | ">" | ">>" | "&"))
        .unwrap_or(args.len());
    Some(Ok(args[..end]
        .iter()
        .map(|word| (*word).to_owned())
        .collect()))
}

/// `NAME=value`, an environment assignment before a command.
fn is_assignment(word: &str) -> bool {
    word.split_once('=').is_some_and(|(name, _)| {
        !name.is_empty() && name.chars().all(|c| c.is_ascii_uppercase() || c == '_')
    })
}

/// Every `rtbench` command line of every page, as `page: line`, with its
/// parse error if it has one.
fn checked_command_lines() -> Vec<(String, Option<String>)> {
    let mut checked = Vec::new();
    for (path, text) in pages(false) {
        for block in shell_blocks(&text) {
            for line in block.replace("\\\n", " ").lines() {
                let Some(args) = rtbench_args(line) else {
                    continue;
                };
                let error = match args {
                    Ok(args) => parse_error(&args),
                    Err(why) => Some(why),
                };
                checked.push((format!("{}: {}", shown(&path), line.trim()), error));
            }
        }
    }
    checked
}

/// The first line of clap's error for these arguments, if they do not parse.
fn parse_error(args: &[String]) -> Option<String> {
    let argv = std::iter::once("rtbench").chain(args.iter().map(String::as_str));
    match Cli::try_parse_from(argv) {
        Ok(_) => None,
        Err(e) if matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) => None,
        Err(e) => Some(e.to_string().lines().next().unwrap_or_default().to_owned()),
    }
}

/// The destinations of a page's links and images.
fn links(text: &str) -> Vec<String> {
    Markdown::new_ext(text, Options::ENABLE_TABLES)
        .filter_map(|event| match event {
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
                Some(dest_url.into_string())
            }
            _ => None,
        })
        .collect()
}

/// The anchors of a page's headings, as mdBook and GitHub make them:
/// lower case, spaces as `-`, punctuation other than `-` and `_` dropped, a
/// repeated one suffixed `-1`, `-2`, ….
fn anchors(text: &str) -> Vec<String> {
    let mut bases: Vec<String> = Vec::new();
    let mut anchors = Vec::new();
    let mut heading: Option<String> = None;
    for event in Markdown::new_ext(text, Options::ENABLE_TABLES) {
        match event {
            Event::Start(Tag::Heading { .. }) => heading = Some(String::new()),
            Event::Text(part) | Event::Code(part) => {
                if let Some(heading) = &mut heading {
                    heading.push_str(&part);
                }
            }
            Event::End(TagEnd::Heading(_)) => {
                let title = heading.take().unwrap_or_default();
                let slug: String = title
                    .trim()
                    .chars()
                    .filter_map(|c| match c {
                        c if c.is_alphanumeric() || c == '-' || c == '_' => {
                            Some(c.to_lowercase().collect::<String>())
                        }
                        c if c.is_whitespace() => Some("-".into()),
                        _ => None,
                    })
                    .collect();
                let repeats = bases.iter().filter(|base| **base == slug).count();
                anchors.push(match repeats {
                    0 => slug.clone(),
                    n => format!("{slug}-{n}"),
                });
                bases.push(slug);
            }
            _ => {}
        }
    }
    anchors
}

/// What is wrong with one relative link of the page at `page`, if anything.
fn broken(page: &Path, page_text: &str, link: &str) -> Option<String> {
    let (path, anchor) = link.split_once('#').unwrap_or((link, ""));
    let target = if path.is_empty() {
        page.to_owned()
    } else {
        page.parent().expect("a page is in a directory").join(path)
    };
    let Ok(target) = target.canonicalize() else {
        return Some(format!("{link}: no such file"));
    };
    // mdBook turns `x.md` into `x.html` and copies only its own sources, so a
    // chapter's link that leaves the book breaks in the built book.
    let book = book().canonicalize().expect("guide/src exists");
    let in_book = page
        .canonicalize()
        .is_ok_and(|page| page.starts_with(&book));
    if in_book && !target.starts_with(&book) {
        return Some(format!(
            "{link}: leaves the book; name the file as a path, or link it from the README"
        ));
    }
    if anchor.is_empty() || target.extension().is_none_or(|ext| ext != "md") {
        return None;
    }
    let text = if path.is_empty() {
        page_text.to_owned()
    } else {
        std::fs::read_to_string(&target).ok()?
    };
    (!anchors(&text).iter().any(|a| a == anchor)).then(|| format!("{link}: no such heading"))
}

#[test]
fn every_command_line_shown_parses() {
    let checked = checked_command_lines();
    assert!(
        checked.len() >= 20,
        "only {} command lines found: is the guide there?",
        checked.len()
    );
    let failures: Vec<String> = checked
        .into_iter()
        .filter_map(|(line, error)| Some(format!("{line}\n    {}", error?)))
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_relative_link_resolves() {
    let mut count = 0;
    let mut failures = Vec::new();
    for (page, text) in pages(true) {
        for link in links(&text) {
            if link.contains("://") || link.starts_with("mailto:") {
                continue;
            }
            count += 1;
            if let Some(why) = broken(&page, &text, &link) {
                failures.push(format!("{}: {why}", shown(&page)));
            }
        }
    }
    assert!(count >= 20, "only {count} relative links found");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_checks_catch_what_they_are_for() {
    assert_eq!(
        rtbench_args("$ COLUMNS=80 rtbench list # comment"),
        Some(Ok(vec!["list".to_owned()]))
    );
    assert_eq!(
        rtbench_args("cargo run --release -- --reps 3 | tee log"),
        Some(Ok(vec!["--reps".to_owned(), "3".to_owned()]))
    );
    assert_eq!(rtbench_args("cargo run --release -p other -- x"), None);
    assert!(matches!(
        rtbench_args("for r in 1 2; do rtbench run; done"),
        Some(Err(_))
    ));
    assert_eq!(
        workflow_commands("- run: ./target/release/rtbench list\n  name: rtbench x\n"),
        "./target/release/rtbench list\n"
    );
    assert!(parse_error(&["--no-such-flag".to_owned()]).is_some());
    assert!(parse_error(&["run".to_owned(), "--reps".to_owned(), "many".to_owned()]).is_some());
    assert_eq!(parse_error(&["list".to_owned()]), None);
    let chapter = book().join("studies.md");
    assert!(broken(&chapter, "", "../../README.md").is_some());
    assert!(broken(&chapter, "", "reading.md#no-such-heading").is_some());
    assert_eq!(broken(&chapter, "", "reading.md#an-interval"), None);
    assert_eq!(broken(&root().join("README.md"), "", "docs/trust.md"), None);
    let text = "# Open loop: `--rate R`\n\n## Open loop: `--rate R`\n";
    assert_eq!(
        anchors(text),
        ["open-loop---rate-r", "open-loop---rate-r-1"]
    );
}
