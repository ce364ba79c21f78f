//! What the hand-written baselines share: racing them against rtbench's own
//! case in one process, with a control arm that shows the machine's noise.

use std::time::Duration;

/// The `--rounds N` flag, or `default`.
pub fn rounds(default: usize) -> usize {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == "--rounds")
        .and_then(|i| args.get(i + 1)?.parse().ok())
        .unwrap_or(default)
}

/// Runs the hand-written program, rtbench's case and the hand-written program
/// again (the control: how far apart two runs of the very same code land, i.e.
/// the noise floor) `rounds` times, rotating which goes first so none always
/// runs on a warmer machine, and prints each round and the medians.
pub fn race(rounds: usize, hand_written: &dyn Fn() -> Duration, rtbench: &dyn Fn() -> Duration) {
    let arms: [(&str, &dyn Fn() -> Duration); 3] = [
        ("hand-written", hand_written),
        ("rtbench", rtbench),
        ("hand-written again", hand_written),
    ];
    let mut walls = vec![Vec::new(); arms.len()];
    for round in 0..rounds {
        for k in 0..arms.len() {
            let arm = (round + k) % arms.len();
            walls[arm].push(arms[arm].1().as_secs_f64());
        }
        let line: Vec<String> = arms
            .iter()
            .zip(&walls)
            .map(|((name, _), w)| format!("{name} {:.3} s", w[round]))
            .collect();
        println!("round {round}: {}", line.join(", "));
    }
    let medians: Vec<f64> = walls.into_iter().map(median).collect();
    println!(
        "median of {rounds}: hand-written {:.3} s, rtbench {:.3} s ({:+.1} %), \
         hand-written again {:.3} s ({:+.1} %, the noise floor)",
        medians[0],
        medians[1],
        (medians[1] / medians[0] - 1.0) * 100.0,
        medians[2],
        (medians[2] / medians[0] - 1.0) * 100.0,
    );
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}
