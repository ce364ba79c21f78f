//! CPU lists as the kernel writes them (`0-1,3`), which results record for
//! `--pin` and for the CPUs a run's threads were allowed.

use std::collections::BTreeSet;

/// The CPUs of `text`: numbers and ranges, comma-separated (`0-1,3`); an
/// empty text is no CPU. Refuses anything else, naming the part it cannot read.
pub fn parse(text: &str) -> Result<BTreeSet<usize>, String> {
    let mut cpus = BTreeSet::new();
    for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let number = |n: &str| {
            n.trim()
                .parse::<usize>()
                .map_err(|_| format!("`{part}` is not a CPU number or range such as 0-1"))
        };
        match part.split_once('-') {
            Some((from, to)) => {
                let (from, to) = (number(from)?, number(to)?);
                if from > to {
                    return Err(format!("the range `{part}` runs backwards"));
                }
                cpus.extend(from..=to);
            }
            None => {
                cpus.insert(number(part)?);
            }
        }
    }
    Ok(cpus)
}

/// How many CPUs `text` lists; `None` when it is not a CPU list.
pub fn count(text: &str) -> Option<usize> {
    parse(text).ok().map(|cpus| cpus.len())
}
