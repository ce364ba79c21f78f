#!/usr/bin/env bash
# Regenerates every measurement the docs quote, on this machine. Run it on a
# quiet machine (nothing else compiling or running): it takes about 15 minutes.
#
#   docs/measure.sh            # everything
#   docs/measure.sh example    # only docs/example (the defaults, all Rust runtimes)
#   docs/measure.sh scaling    # only docs/scaling (sweeps; 30 minutes or more on its own)
#
# Outputs: docs/example/ (results.json, table.md, charts, index.html),
# docs/python-claim/ (Python 3.12 vs 3.13 at the article's sizes, and the
# comparison), docs/scaling/ (the sweeps docs/scaling.md reads), target/measure/*.txt
# (the harness races, tokio fetch at 1M, the sweeps' terminal output).
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

if [[ $what == all || $what == scaling ]]; then
  # How cost grows (docs/scaling.md), 3 repetitions per case: a sweep has many
  # cases, and the lines, not one point, carry the finding. Sizes:
  # - sleep and cancel, 1,000,000 ops / tasks at in-flight 1k, 10k, 100k, 1M,
  #   every Rust runtime;
  # - --threads 1,2 for the multi-thread flavours at the defaults;
  # - fetch, 50,000 requests over 500, 1,000, 5,000 and 10,000 connections;
  # - sleep and cancel on Python 3.12 and 3.13 asyncio at in-flight 10k and
  #   1M only, the article's two points.
  rm -rf docs/scaling/in-flight docs/scaling/threads docs/scaling/fetch docs/scaling/python
  $rtbench run --workloads sleep,cancel --in-flight 1000,10000,100000,1000000 --reps 3 \
    --timeout-s 300 --out docs/scaling/in-flight | tee target/measure/scaling-in-flight.txt
  $rtbench run --workloads sleep,cancel --threads 1,2 --reps 3 \
    --runtimes tokio,async-std,smol,glommio,monoio,compio,tokio-per-thread \
    --out docs/scaling/threads | tee target/measure/scaling-threads.txt
  $rtbench run --workloads fetch --ops 50000 --in-flight 500,1000,5000,10000 --reps 3 \
    --out docs/scaling/fetch | tee target/measure/scaling-fetch.txt
  # Last, as it is the longest: a Python sleep run takes 15 s on a quiet machine.
  pythons=$($rtbench list | grep -o 'python3\.1[23]-asyncio' | sort -u | paste -sd, -)
  if [[ -n $pythons ]]; then
    $rtbench run --workloads sleep,cancel --in-flight 10000,1000000 --reps 3 --runtimes "$pythons" \
      --timeout-s 600 --out docs/scaling/python | tee target/measure/scaling-python.txt
  fi
fi
