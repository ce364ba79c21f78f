#!/usr/bin/env bash
# Regenerates every measurement the docs quote, on this machine. Run it on a
# quiet machine (nothing else compiling or running): it takes about 15 minutes.
#
#   docs/measure.sh            # everything
#   docs/measure.sh example    # only docs/example (the defaults, all Rust runtimes)
#   docs/measure.sh python     # only Python 3.12 vs 3.13, both ways of waiting
#
# Outputs: docs/example/ (results.json, table.md, charts, index.html),
# docs/python-claim/ (Python 3.12 vs 3.13 at the article's sizes, both ways of
# waiting, one interleaved run, and the comparisons; load.txt: uptime before
# and after), target/measure/*.txt (the harness races and tokio fetch at 1M).
set -uo pipefail
cd "$(dirname "$0")/.."
# RTBENCH=PATH uses that rtbench binary instead of building the release one.
if [[ -n ${RTBENCH:-} ]]; then
  rtbench=$RTBENCH
else
  cargo build --release --quiet || exit 1
  rtbench=target/release/rtbench
fi
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
  # The article's claim: Python 3.12 vs 3.13 at its sizes (1M operations, 10,000
  # in flight), rtbench's way of waiting (-asyncio: a semaphore and done-callbacks)
  # and the article's (-asyncio-wait: a TaskGroup and asyncio.wait over a list;
  # sleep only), in ONE interleaved run, so that the machine's drift touches every
  # case alike and each version pair is compared round by round.
  rm -rf docs/python-claim
  mkdir -p docs/python-claim
  uptime > docs/python-claim/load.txt
  $rtbench run --runtimes python3.12-asyncio,python3.13-asyncio,python3.12-asyncio-wait,python3.13-asyncio-wait \
    --workloads sleep,cancel --reps 8 --timeout-s 600 --out docs/python-claim/run | tee target/measure/python.txt
  uptime >> docs/python-claim/load.txt
  for style in asyncio asyncio-wait; do
    $rtbench compare docs/python-claim/run/results.json \
      --baseline "python3.12-$style" --candidate "python3.13-$style" \
      --out "docs/python-claim/compare-$style" | tee "target/measure/python-compare-$style.txt"
  done
fi
