#!/usr/bin/env bash
# Regenerates every measurement the docs quote, on this machine. Run it on a
# quiet machine (nothing else compiling or running). Everything takes about
# 6 hours, most of it the counts' gate trials; each step says its own time.
#
#   docs/measure.sh            # everything
#   docs/measure.sh example    # only docs/example (the defaults, all Rust runtimes)
#   docs/measure.sh python     # only Python 3.12 vs 3.13, both ways of waiting
#   docs/measure.sh trust      # only docs/trust (spread, false alarms, detection; ~15 min)
#   docs/measure.sh pin        # only docs/trust/pin-* (serve pinned and not, interleaved, two runs; ~5 min)
#   docs/measure.sh versions   # only docs/tokio-versions (tokio 1.25, 1.38, current; smol 1 and 2)
#   docs/measure.sh checkout   # only docs/tokio-versions/checkout (NAME@DIR: a copy, and a slowed copy)
#   docs/measure.sh serve      # only docs/serve (serve at its defaults, and a rate sweep)
#   docs/measure.sh open-loop  # only docs/open-loop (rtbench's open-loop client against oha; ~5 min)
#   docs/measure.sh open-loop-cause  # only docs/open-loop-cause (the client on tokio's timer, on its pacer, and oha; ~20 min with its build)
#   docs/measure.sh scaling    # only docs/scaling (sweeps; 30 minutes or more on its own)
#   docs/measure.sh scaling-python  # only its Python 3.12 / 3.13 part (~10 minutes)
#   docs/measure.sh counts     # only docs/counts (all of its parts below; ~2.5 hours)
#   docs/measure.sh counts-spread    # A vs A, the default matrix twice, and in wall mode (~20 min)
#   docs/measure.sh counts-gate      # the pull-request gate A vs A, 20 times (~1.5 hours)
#   docs/measure.sh counts-ci        # the gate A vs A once at --preset ci, two runs side by side (~30 min)
#   docs/measure.sh counts-checkout  # a tokio copy with a 16-step loop in its sleep path (~10 min)
#   docs/measure.sh counts-python    # Python 3.12 vs 3.13 in counts mode (~10 min)
#   docs/measure.sh memory-floor  # only docs/memory-floor.md (peak memory of programs that allocate nothing; ~1 min)
#   docs/measure.sh allocations-cost  # only docs/allocations-cost.md (wall time with the allocation counter on and off, 10 rounds each; ~10 min)
#   docs/measure.sh profiles   # only docs/profiles (a slowed tokio checkout's and glommio's serve profiles; ~8 min)
#
# Outputs: docs/example/ (results.json, table.md, charts, index.html),
# docs/serve/ (serve at its defaults, the open-loop runs and their merged report),
# docs/open-loop/ and docs/open-loop-cause/ (each run's results or oha's JSON,
# table.md, load.txt, commit.txt),
# docs/python-claim/ (Python 3.12 vs 3.13 at the article's sizes, both ways of
# waiting, one interleaved run, and the comparisons; load.txt: uptime before
# and after), docs/scaling/ (the sweeps docs/scaling.md reads), target/measure/*.txt
# (the harness races, tokio fetch at 1M, the sweeps' terminal output).
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

# Deletes what `rtbench report` can redraw from DIR, keeping its results.json
# and the Markdown tables (table.md, compare*.md).
keep_tables() {
  find "$1" -type f ! -name results.json ! -name '*.md' -delete
}

# Starts a study's folder DIR afresh: empty, with the commit measured
# (commit.txt) and the load before it (load.txt; `uptime >> DIR/load.txt`
# adds the load after).
fresh_study() {
  rm -rf "$1"
  mkdir -p "$1"
  git rev-parse --short HEAD > "$1/commit.txt"
  uptime > "$1/load.txt"
}

# Copies the locked tokio's source to target/measure/NAME; with STEPS, every
# poll of a Sleep in the copy first runs a STEPS-step loop (extra work).
tokio_copy() {
  local version registry
  version=$(grep -A1 '^name = "tokio"$' Cargo.lock | sed -n 's/^version = "\(.*\)"/\1/p')
  registry=$(ls -d ~/.cargo/registry/src/*/"tokio-$version" | head -1)
  rm -rf "target/measure/$1"
  cp -r "$registry" "target/measure/$1"
  if [[ -n ${2:-} ]]; then
    sed -i "s|fn poll(self: Pin<&mut Self>, cx: &mut task::Context<.\+>) -> Poll<Self::Output> {|&\n        std::hint::black_box((0..std::hint::black_box(${2}u64)).fold(0, \|a, b\| a ^ b.wrapping_mul(31)));|" \
      "target/measure/$1/src/time/sleep.rs"
    grep -q black_box "target/measure/$1/src/time/sleep.rs" || { echo "the extra work was not added to $1"; exit 1; }
  fi
}

# Runs open-loop clients in turn against one `rtbench serve` (1 ms per
# request, 1 KiB answers, 200 connections, 5 s of requests a run), ROUNDS
# rounds at 1,000, 5,000 and 20,000 requests/s, the arms in turn (reversed
# every other round), into DIR/ARM-RATE-ROUND.json. An arm is NAME=PROGRAM:
# `oha=PATH` runs oha with --latency-correction, any other an rtbench's fetch
# client on tokio.
open_loop_rounds() {
  local dir=$1 rounds=$2 server url arm arms name program rate round ops
  shift 2
  mkdir -p target/measure/open-loop
  $rtbench serve > target/measure/open-loop/serve.url 2> target/measure/open-loop/serve.err &
  server=$!
  for _ in $(seq 50); do
    url=$(head -1 target/measure/open-loop/serve.url)
    [[ $url == http://* ]] && break
    sleep 0.2
  done
  [[ $url == http://* ]] || { echo "rtbench serve did not start"; kill "$server"; exit 1; }
  for round in $(seq 1 "$rounds"); do
    arms=("$@")
    (( round % 2 == 0 )) && mapfile -t arms < <(printf '%s\n' "$@" | tac)
    for rate in 1000 5000 20000; do
      ops=$(( rate * 5 ))
      for arm in "${arms[@]}"; do
        name=${arm%%=*} program=${arm#*=}
        if [[ $name == oha ]]; then
          "$program" --no-tui --output-format json -q "$rate" --latency-correction -c 200 -n "$ops" \
            "$url/delay?ms=1&id=0&bytes=1024" > "$dir/$name-$rate-$round.json"
        else
          "$program" run --runtimes tokio --workloads fetch --url "$url" --rate "$rate" --ops "$ops" \
            --in-flight 200 --latency-ms 1 --reps 1 --out "target/measure/open-loop/$name-$rate-$round" > /dev/null
          cp "target/measure/open-loop/$name-$rate-$round/results.json" "$dir/$name-$rate-$round.json"
        fi
      done
    done
  done
  kill "$server"
  wait "$server"
}

if [[ $what == all || $what == example ]]; then
  # The defaults: every Rust runtime, every workload (sleep, cancel, fetch, serve), 5 repetitions.
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

if [[ $what == all || $what == open-loop ]]; then
  # docs/open-loop.md: rtbench's open-loop client against oha (a published
  # crate, installed into target/oha, never a dependency of rtbench), 5
  # rounds, alternating, both at 200 connections against the same server.
  cargo install oha --locked --quiet --root target/oha || exit 1
  fresh_study docs/open-loop
  open_loop_rounds docs/open-loop 5 "rtbench=$rtbench" oha=target/oha/bin/oha
  uptime >> docs/open-loop/load.txt
  target/oha/bin/oha --version > docs/open-loop/oha-version.txt
  python3 docs/open-loop.py docs/open-loop | tee docs/open-loop/table.md
fi

if [[ $what == all || $what == open-loop-cause ]]; then
  # docs/open-loop.md, where the extra latency came from: this client as it
  # was, waiting on tokio's timer (a copy of this source with the pacer
  # turned off, built into target/measure/timer-target), beside the client
  # as it is and oha, 3 rounds, alternating.
  rm -rf target/measure/timer-src
  mkdir -p target/measure/timer-src
  git archive HEAD | tar -x -C target/measure/timer-src
  sed -i 's/ids.start, R::WAKES_FROM_OTHER_THREADS)/ids.start, false)/' \
    target/measure/timer-src/workloads/src/fetch.rs
  grep -q 'ids.start, false)' target/measure/timer-src/workloads/src/fetch.rs \
    || { echo "the pacer was not turned off in the copy"; exit 1; }
  cargo build --release --quiet --manifest-path target/measure/timer-src/Cargo.toml \
    --target-dir target/measure/timer-target || exit 1
  cargo install oha --locked --quiet --root target/oha || exit 1
  fresh_study docs/open-loop-cause
  open_loop_rounds docs/open-loop-cause 3 timer=target/measure/timer-target/release/rtbench \
    "pacer=$rtbench" oha=target/oha/bin/oha
  uptime >> docs/open-loop-cause/load.txt
  python3 docs/open-loop.py docs/open-loop-cause | tee docs/open-loop-cause/table.md
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

if [[ $what == all || $what == counts || $what == counts-spread ]]; then
  # Counts mode A vs A: the default matrix (every Rust runtime, every
  # workload, the counts sizes) twice, separate runs of the same build at
  # --reps 3; then, per case and count (per operation), the spread of the
  # three repetitions of run A and how far run B's median is from run A's.
  # First the same matrix in wall mode at the same sizes (--preset quick),
  # 10 repetitions, for how counts and time relate (relation.md).
  rm -rf docs/counts/a docs/counts/b docs/counts/wall docs/counts/took.txt
  mkdir -p docs/counts
  uptime > docs/counts/load.txt
  git rev-parse --short HEAD > docs/counts/commit.txt
  $rtbench run --preset quick --reps 10 --out docs/counts/wall | tee target/measure/counts-wall.txt
  keep_tables docs/counts/wall
  for run in a b; do
    start=$(date +%s)
    $rtbench run --measure counts --reps 3 --out "docs/counts/$run" | tee "target/measure/counts-$run.txt"
    echo "run $run: $(( $(date +%s) - start )) s" >> docs/counts/took.txt
    keep_tables "docs/counts/$run"
  done
  uptime >> docs/counts/load.txt
  python3 docs/counts.py spread docs/counts/a/results.json docs/counts/b/results.json > docs/counts/spread.md
  python3 docs/counts.py relation docs/counts/a/results.json docs/counts/wall/results.json > docs/counts/relation.md
  # The pairs counts.md discusses, compared in the wall run (paired rounds).
  for pair in tokio-current-thread,tokio smol-local,smol compio,glommio tokio,compio tokio-current-thread,tokio-uring; do
    $rtbench compare docs/counts/wall/results.json --baseline "${pair%,*}" --candidate "${pair#*,}" \
      --out "docs/counts/wall/${pair%,*}-vs-${pair#*,}" > /dev/null
    keep_tables "docs/counts/wall/${pair%,*}-vs-${pair#*,}"
  done
  cat docs/counts/spread.md docs/counts/relation.md
fi

if [[ $what == all || $what == counts || $what == counts-gate ]]; then
  # The pull-request gate A vs A, as the workflow runs it: 21 separate counts
  # runs of the same build (the default matrix at --reps 3), two at a time
  # (one per core; runs 1 and 2 side by side, then 3 and 4, ...), each
  # compared with the next by `compare --fail-on-regression`: 20 gate
  # decisions where nothing changed (gate.md), half of them between runs side
  # by side and half between runs one after the other. About 1.5 hours.
  rm -rf target/measure/gate
  mkdir -p target/measure/gate
  fresh_study docs/counts/gate
  for first in $(seq 1 2 21); do
    start=$(date +%s)
    for run in $first $(( first + 1 )); do
      (( run > 21 )) && continue
      $rtbench run --measure counts --reps 3 --out "target/measure/gate/$run" > "target/measure/gate/$run.txt" &
    done
    wait
    for run in $first $(( first + 1 )); do
      [[ -f target/measure/gate/$run/results.json ]] || continue
      gzip -c "target/measure/gate/$run/results.json" > "docs/counts/gate/run-$run.json.gz"
    done
    ran="runs $first, $(( first + 1 ))"
    (( first == 21 )) && ran="run 21"
    echo "$ran: $(( $(date +%s) - start )) s, ended $(date -u +%H:%M)" | tee -a docs/counts/gate/took.txt
  done
  uptime >> docs/counts/gate/load.txt
  {
    echo "| runs | exit | what the gate said |"
    echo "|---|---|---|"
    for run in $(seq 1 20); do
      $rtbench compare "target/measure/gate/$run/results.json" "target/measure/gate/$(( run + 1 ))/results.json" \
        --fail-on-regression --out "target/measure/gate/compare-$run" > /dev/null 2> target/measure/gate/said.txt
      status=$?
      said=$(tail -1 target/measure/gate/said.txt)
      echo "| $run → $(( run + 1 )) | $status | ${said:-passed: no gated count worse} |"
    done
  } > docs/counts/gate/gate.md
  cat docs/counts/gate/gate.md
fi

if [[ $what == all || $what == counts || $what == counts-ci ]]; then
  # The gate at the ci preset's sizes: two separate counts runs of the same
  # build, side by side (one core each), then compare --fail-on-regression.
  fresh_study docs/counts/ci
  for run in a b; do
    (
      start=$(date +%s)
      $rtbench run --measure counts --preset ci --reps 3 --out "target/measure/counts-ci-$run" \
        > "target/measure/counts-ci-$run.txt"
      echo "run $run: $(( $(date +%s) - start )) s" >> docs/counts/ci/took.txt
    ) &
  done
  wait
  uptime >> docs/counts/ci/load.txt
  for run in a b; do
    gzip -c "target/measure/counts-ci-$run/results.json" > "docs/counts/ci/$run.json.gz"
  done
  $rtbench compare target/measure/counts-ci-a/results.json target/measure/counts-ci-b/results.json \
    --fail-on-regression --out docs/counts/ci/compare > target/measure/counts-ci-compare.txt
  echo "compare --fail-on-regression: exit $?" | tee docs/counts/ci/gate.txt
  keep_tables docs/counts/ci/compare
fi

if [[ $what == all || $what == counts || $what == counts-checkout ]]; then
  # A change wall time cannot see: a copy of the locked tokio with a 16-step
  # loop on every poll of a Sleep, and an unchanged copy, against the plain
  # tokio-current-thread; three separate counts runs at --reps 3 (each
  # compares the copies with the plain, as a run of variants does), then one
  # wall-time run at the sleep defaults, 10 interleaved rounds.
  tokio_copy tokio-same
  tokio_copy tokio-loop16 16
  plain=tokio-current-thread
  variants="$plain,$plain@target/measure/tokio-same,$plain@target/measure/tokio-loop16"
  fresh_study docs/counts/checkout
  for run in 1 2 3; do
    $rtbench run --measure counts --workloads sleep --reps 3 --runtimes "$variants" \
      --out "docs/counts/checkout/counts-$run" | tee "target/measure/counts-checkout-$run.txt"
    keep_tables "docs/counts/checkout/counts-$run"
  done
  $rtbench run --workloads sleep --reps 10 --runtimes "$variants" --out docs/counts/checkout/wall \
    | tee target/measure/counts-checkout-wall.txt
  keep_tables docs/counts/checkout/wall
  uptime >> docs/counts/checkout/load.txt
fi

if [[ $what == all || $what == counts || $what == counts-python ]]; then
  # Python 3.12 against 3.13 in counts mode, both ways of waiting (sleep)
  # and rtbench's on cancel, at the counts sizes, then each version pair
  # compared (compare-asyncio, compare-asyncio-wait).
  fresh_study docs/counts/python
  $rtbench run --measure counts --reps 3 --workloads sleep,cancel --out docs/counts/python/run \
    --runtimes python3.12-asyncio,python3.13-asyncio,python3.12-asyncio-wait,python3.13-asyncio-wait \
    | tee target/measure/counts-python.txt
  keep_tables docs/counts/python/run
  for style in asyncio asyncio-wait; do
    $rtbench compare docs/counts/python/run/results.json \
      --baseline "python3.12-$style" --candidate "python3.13-$style" \
      --out "docs/counts/python/compare-$style" | tee "target/measure/counts-python-$style.txt"
    keep_tables "docs/counts/python/compare-$style"
  done
  uptime >> docs/counts/python/load.txt
fi

if [[ $what == all || $what == trust ]]; then
  # docs/trust.md: how much one repetition varies, and what `compare` can tell.
  mkdir -p docs/trust
  uptime > docs/trust/load.txt
  # Spread: every workload at the ci preset's sizes (sleep and cancel 100,000,
  # fetch and serve 20,000 requests) on three runtimes, 8 interleaved rounds.
  $rtbench run --runtimes tokio,tokio-current-thread,smol --preset ci --reps 8 \
    --out target/measure/trust-spread | tee target/measure/trust-spread.txt
  # Trials: one case at the sleep defaults (1,000,000 operations, 10,000 in
  # flight, 1 ms), 600 repetitions in a row; runs 2k-1 and 2k form a pair (A
  # and B: the same case measured back to back), trials are disjoint blocks.
  # About 10 minutes on a quiet machine.
  $rtbench run --runtimes tokio-current-thread --workloads sleep --reps 600 \
    --out target/measure/trust-stream | tee target/measure/trust-stream.txt
  uptime >> docs/trust/load.txt
  trust="cargo run --release --quiet -p rtbench-report --example trust --"
  $trust spread target/measure/trust-spread/results.json > docs/trust/spread.md
  $trust trials target/measure/trust-stream/results.json tokio-current-thread > docs/trust/trials.md
  cp target/measure/trust-spread/results.json docs/trust/spread-results.json
  cp target/measure/trust-stream/results.json docs/trust/stream-results.json
fi

if [[ $what == all || $what == pin ]]; then
  # docs/trust.md, "Pinned cores": serve on five runtimes, each case once
  # unpinned and once with the server on the first CPU rtbench may use and
  # the load generator on the second, interleaved round by round in one
  # run; the run twice, to see whether what it shows repeats (~2 min each).
  # One server thread and one generator thread either way, so that the
  # pinning is the only difference.
  allowed=$(grep Cpus_allowed_list /proc/self/status | cut -f2)
  cpus=$(for part in ${allowed//,/ }; do seq "${part%-*}" "${part#*-}"; done)
  first=$(echo "$cpus" | sed -n 1p) second=$(echo "$cpus" | sed -n 2p)
  mkdir -p docs/trust
  uptime > docs/trust/pin-load.txt
  for n in 1 2; do
    $rtbench run --workloads serve --runtimes tokio,tokio-current-thread,smol,glommio,monoio \
      --preset ci --threads 1 --client-threads 1 --reps 10 \
      --pin none --pin "server=$first,client=$second" \
      --out "target/measure/trust-pin-$n" | tee "target/measure/trust-pin-$n.txt"
    uptime >> docs/trust/pin-load.txt
    cargo run --release --quiet -p rtbench-report --example trust -- \
      pin "target/measure/trust-pin-$n/results.json" > "docs/trust/pin-$n.md"
    cp "target/measure/trust-pin-$n/results.json" "docs/trust/pin-$n-results.json"
  done
fi

if [[ $what == all || $what == versions ]]; then
  # docs/tokio-versions.md: tokio across releases, its three flavours, all
  # three workloads, interleaved, with verdicts against the current release;
  # and smol 1 beside smol 2.
  tokio=""
  for flavour in tokio tokio-current-thread tokio-per-thread; do
    tokio+="$flavour,$flavour@1.25.0,$flavour@1.38.0,"
  done
  rm -rf docs/tokio-versions/tokio docs/tokio-versions/smol
  mkdir -p docs/tokio-versions
  uptime > docs/tokio-versions/load.txt
  $rtbench run --runtimes "${tokio%,}" --workloads sleep,cancel,fetch --reps 6 \
    --out docs/tokio-versions/tokio | tee target/measure/tokio-versions.txt
  $rtbench run --runtimes smol,smol@1.3.0,smol-local,smol-local@1.3.0 --workloads sleep,cancel,fetch \
    --reps 6 --out docs/tokio-versions/smol | tee target/measure/smol-versions.txt
  uptime >> docs/tokio-versions/load.txt
fi

if [[ $what == all || $what == checkout ]]; then
  # NAME@DIR: two copies of the locked tokio's source, one unchanged and one
  # with extra work (a 1,024-step loop) on every poll of a Sleep, against the plain
  # tokio-current-thread. Output in docs/tokio-versions/checkout.
  tokio_copy tokio-same
  tokio_copy tokio-slow 1024
  rm -rf docs/tokio-versions/checkout
  $rtbench run --workloads sleep --reps 20 --out docs/tokio-versions/checkout --runtimes \
    tokio-current-thread,tokio-current-thread@target/measure/tokio-same,tokio-current-thread@target/measure/tokio-slow \
    | tee target/measure/checkout.txt
fi

if [[ $what == all || $what == memory-floor ]]; then
  # The floor under every peak-memory figure (guide: Reading the tables):
  # programs that allocate nothing, each 10 times, measured by GNU time
  # (%M), by rtbench's launcher alone (`rtbench __launch`, what starts every
  # child) and by `rtbench run --command` (which runs them through `sh -c`,
  # as GNU time does in the last column). Medians, in KiB.
  dir=target/measure/memory-floor
  rm -rf "$dir"
  mkdir -p "$dir"
  printf 'int main(void) { return 0; }\n' > "$dir/empty.c"
  cc -O2 -static -o "$dir/c-static" "$dir/empty.c" || exit 1
  cc -O2 -o "$dir/c" "$dir/empty.c" || exit 1
  printf 'fn main() {}\n' > "$dir/empty.rs"
  rustc -O -o "$dir/rust" "$dir/empty.rs" || exit 1
  median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
  {
    echo "# The floor under peak memory"
    echo
    echo "Measured by \`docs/measure.sh memory-floor\` at commit $(git rev-parse --short HEAD) on"
    echo "$(uname -m), kernel $(uname -r). Median of 10 runs each, KiB."
    echo
    echo "| program | GNU time | rtbench's launcher | rtbench run --command | GNU time on sh -c |"
    echo "| --- | ---: | ---: | ---: | ---: |"
    for program in c-static c rust; do
      path=$PWD/$dir/$program
      gnu=$(for _ in $(seq 10); do /usr/bin/time -f %M "$path" 2>&1; done | median)
      launcher=$(for _ in $(seq 10); do
        $rtbench __launch "$path" 3>&1 >/dev/null | sed -n 's/.*"peak_rss_bytes":\([0-9]*\).*/\1/p'
      done | awk '{ print int($1 / 1024) }' | median)
      $rtbench run --runtimes none --command "$program=$path" --reps 10 \
        --out "$dir/run-$program" > /dev/null 2>&1
      run=$(python3 -c 'import json, sys
for run in json.load(open(sys.argv[1]))["cases"][0]["runs"]: print(run["peak_rss_bytes"] // 1024)' \
        "$dir/run-$program/results.json" | median)
      shell=$(for _ in $(seq 10); do /usr/bin/time -f %M sh -c "$path" 2>&1; done | median)
      echo "| $program | $gnu | $launcher | $run | $shell |"
    done
  } > docs/memory-floor.md
  cat docs/memory-floor.md
fi

if [[ $what == all || $what == allocations-cost ]]; then
  # What counting allocations costs, in wall mode: the same runs with the
  # counting allocator on (RTBENCH_ALLOCATIONS=on) and off (a pass-through),
  # one repetition per run, alternating round by round so both settings see
  # the same load; each setting's rounds merged into one file, then
  # `rtbench compare OFF ON`. First every Rust runtime and workload at
  # --preset ci, then sleep and cancel at their default sizes on three
  # runtimes, where the operations are many and short.
  cost_part() { # DIR TITLE RUN-ARGS...
    local dir=$1 title=$2
    shift 2
    rm -rf "$dir"
    mkdir -p "$dir"
    uptime > "$dir/load.txt"
    for round in $(seq 1 10); do
      for setting in on off; do
        RTBENCH_ALLOCATIONS=$setting $rtbench run --reps 1 "$@" \
          --out "$dir/round-$round-$setting" > "$dir/round-$round-$setting.txt" 2>&1
      done
    done
    uptime >> "$dir/load.txt"
    python3 docs/allocations_cost.py merge "$dir"
    $rtbench compare "$dir/off/results.json" "$dir/on/results.json" --out "$dir/compare" > "$dir/compare.txt"
    {
      echo "## $title"
      echo
      echo "\`rtbench run --reps 1 $*\`, ten rounds, each with \`RTBENCH_ALLOCATIONS=on\` then \`=off\`,"
      echo "at commit $(git rev-parse --short HEAD) on $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs));"
      echo "load before and after: $(head -1 "$dir/load.txt" | sed 's/.*load/load/') / $(tail -1 "$dir/load.txt" | sed 's/.*load/load/')."
      echo "Each setting's rounds are merged into one results file and \`rtbench compare OFF ON\` judges"
      echo "them (Mann–Whitney, 2 % threshold; its output: \`$dir/compare/compare.md\`). ns/op is wall"
      echo "time ÷ operations; a range is max − min over the rounds in % of their median."
    } > "$dir/how.txt"
  }
  cost_part target/measure/allocations-cost "Every runtime and workload at --preset ci" \
    --preset ci --workloads sleep,cancel,fetch,serve,file
  cost_part target/measure/allocations-cost-default "sleep and cancel at their default sizes" \
    --runtimes tokio-current-thread,tokio,smol --workloads sleep,cancel
  python3 docs/allocations_cost.py page target/measure/allocations-cost \
    target/measure/allocations-cost-default > docs/allocations-cost.md
  cat docs/allocations-cost.md
fi
if [[ $what == all || $what == profiles ]]; then
  # docs/profiles.md: --profile on a copy of the locked tokio with a 1,024-step
  # loop in Sleep::poll (as the checkout step makes it) against the plain
  # tokio-current-thread, and serve on glommio against tokio-per-thread,
  # compared from the results file alone.
  tokio_copy tokio-slow 1024
  rm -rf docs/profiles
  $rtbench run --measure counts --profile --workloads sleep --reps 3 --ops 20000 --out docs/profiles/checkout \
    --runtimes tokio-current-thread,tokio-current-thread@target/measure/tokio-slow \
    | tee target/measure/profiles-checkout.txt
  $rtbench run --profile --runtimes tokio-per-thread,glommio --workloads serve --reps 1 --ops 5000 \
    --out docs/profiles/serve | tee target/measure/profiles-serve.txt
  $rtbench compare docs/profiles/serve/results.json --baseline tokio-per-thread --candidate glommio \
    --out docs/profiles/serve | tee -a target/measure/profiles-serve.txt
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
  rm -rf docs/scaling/in-flight docs/scaling/threads docs/scaling/fetch
  $rtbench run --workloads sleep,cancel --in-flight 1000,10000,100000,1000000 --reps 3 \
    --timeout-s 300 --out docs/scaling/in-flight | tee target/measure/scaling-in-flight.txt
  $rtbench run --workloads sleep,cancel --threads 1,2 --reps 3 \
    --runtimes tokio,async-std,smol,glommio,monoio,compio,tokio-per-thread \
    --out docs/scaling/threads | tee target/measure/scaling-threads.txt
  $rtbench run --workloads fetch --ops 50000 --in-flight 500,1000,5000,10000 --reps 3 \
    --out docs/scaling/fetch | tee target/measure/scaling-fetch.txt
fi
if [[ $what == all || $what == scaling || $what == scaling-python ]]; then
  # Last, as it is the longest: a Python sleep run takes 15 s on a quiet machine.
  rm -rf docs/scaling/python
  pythons=$($rtbench list | grep -o 'python3\.1[23]-asyncio' | sort -u | paste -sd, -)
  if [[ -n $pythons ]]; then
    $rtbench run --workloads sleep,cancel --in-flight 10000,1000000 --reps 3 --runtimes "$pythons" \
      --timeout-s 600 --out docs/scaling/python | tee target/measure/scaling-python.txt
  fi
fi
