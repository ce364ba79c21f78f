#!/usr/bin/env bash
# Regenerates every measurement the docs quote, on this machine. Run it on a
# quiet machine (nothing else compiling or running): it takes about 15 minutes.
#
#   docs/measure.sh            # everything
#   docs/measure.sh example    # only docs/example (the defaults, all Rust runtimes)
#   docs/measure.sh serve      # only docs/serve (serve at its defaults, and a rate sweep)
#
# Outputs: docs/example/ (results.json, table.md, charts, index.html),
# docs/serve/ (serve at its defaults, the open-loop runs and their merged report),
# docs/python-claim/ (Python 3.12 vs 3.13 at the article's sizes, and the
# comparison), target/measure/*.txt (the harness races and tokio fetch at 1M).
set -uo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet || exit 1
rtbench=target/release/rtbench
mkdir -p target/measure
what=${1:-all}

if [[ $what == all || $what == example ]]; then
  # The defaults, every Rust runtime, sleep, cancel and fetch, 5 repetitions.
  rm -rf docs/example
  $rtbench run --out docs/example | tee target/measure/defaults.txt
fi

if [[ $what == all || $what == serve ]]; then
  # serve at its defaults, every Rust runtime (3 repetitions), then the open
  # loop at four offered rates for five runtimes, merged into one report
  # whose serve-rate.svg is the latency-throughput chart.
  rm -rf docs/serve
  $rtbench run --workloads serve --reps 3 --out docs/serve/defaults | tee target/measure/serve.txt
  for rate in 2000 5000 10000 20000; do
    $rtbench run --workloads serve --runtimes tokio,tokio-current-thread,glommio,monoio,compio \
      --ops 20000 --rate "$rate" --reps 2 --out "docs/serve/rate-$rate"
  done
  $rtbench report docs/serve/rate-*/results.json --out docs/serve/sweep | tee target/measure/serve-sweep.txt
fi

if [[ $what == all || $what == races ]]; then
  # The harness against hand-written tokio programs, same process, with a control arm.
  cargo bench --quiet --bench tokio_sleep_baseline -- --rounds 21 | tee target/measure/race-sleep.txt
  cargo bench --quiet --bench tokio_fetch_baseline -- --rounds 11 | tee target/measure/race-fetch.txt
  # The article's size for fetch, on tokio.
  $rtbench run --runtimes tokio --workloads fetch --ops 1000000 --out target/measure/fetch-1m \
    | tee target/measure/fetch-1m.txt
fi

if [[ $what == all || $what == python ]]; then
  # The article's claim: Python 3.12 vs 3.13 on its 1M-operation workloads.
  rm -rf docs/python-claim
  for minor in 12 13; do
    $rtbench run --runtimes "python3.$minor-asyncio" --workloads sleep,cancel \
      --out "docs/python-claim/python3.$minor" | tee "target/measure/python3.$minor.txt"
  done
  $rtbench compare docs/python-claim/python3.12/results.json docs/python-claim/python3.13/results.json \
    --out docs/python-claim/compare | tee target/measure/python-compare.txt
fi
