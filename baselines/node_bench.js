// rtbench's workloads in Node.js: one case per run, one JSON record out.
//
// Run by `rtbench run` as an external runtime (see README, "External
// baselines"); the runner measures CPU time and peak memory from outside.
//
//     node node_bench.js --workload sleep --params '{"ops": 20000, ...}'
//
// Prints {"wall_s", "counts", "latency_ns": {p50, p90, p99, p999, max}} on one
// line. The workloads follow rtbench's own (workloads/src/): same ids, same injected failures
// (counted, never aborting), same rolling window, same batches. Node's own
// APIs only: timers/promises for timers, AbortController for cancellation,
// http with a keep-alive agent for fetch.
'use strict';

const fs = require('fs');
const http = require('http');
const os = require('os');
const path = require('path');
const { setTimeout: sleep } = require('timers/promises');

const now = () => process.hrtime.bigint();

// Latencies in log-linear buckets with 1/1024 relative precision (as
// hdrhistogram at 3 significant digits), so a million samples cost little.
class Histogram {
  constructor() {
    this.counts = new Map();
    this.total = 0;
    this.max = 0;
  }

  record(ns) {
    const value = Number(ns);
    const shift = Math.max(0, Math.floor(Math.log2(Math.max(value, 1))) - 10);
    const sub = Math.floor(value / 2 ** shift);
    const key = sub * 2 ** shift;
    this.counts.set(key, (this.counts.get(key) || 0) + 1);
    this.total += 1;
    if (value > this.max) this.max = value;
  }

  percentiles() {
    const wanted = { p50: 0.5, p90: 0.9, p99: 0.99, p999: 0.999 };
    const out = { p50: 0, p90: 0, p99: 0, p999: 0 };
    let seen = 0;
    for (const key of [...this.counts.keys()].sort((a, b) => a - b)) {
      seen += this.counts.get(key);
      for (const [name, q] of Object.entries(wanted)) {
        if (out[name] === 0 && seen >= q * this.total) out[name] = Math.min(key, this.max);
      }
    }
    out.max = this.max;
    return out;
  }
}

async function sleepWorkload(p) {
  const failEvery = p.fail_every || 1000;
  const hist = new Histogram();
  const counts = { ok: 0, failed: 0 };
  const begin = now();
  let next = 0;
  // One chain per in-flight slot: each starts the next operation as soon as
  // its previous one ends, a rolling window.
  async function slot() {
    while (next < p.ops) {
      const id = next++;
      const started = now();
      try {
        await sleep(p.latency_ms);
        if (id % failEvery === 0) throw new Error(`injected failure ${id}`);
        counts.ok += 1;
      } catch {
        counts.failed += 1;
      }
      hist.record(now() - started);
    }
  }
  await Promise.all(Array.from({ length: Math.min(p.in_flight, p.ops) }, slot));
  return [Number(now() - begin) / 1e9, counts, hist];
}

async function cancelWorkload(p) {
  const parked = (p.cancel_mode || 'parked') === 'parked';
  const hist = new Histogram();
  const counts = { completed: 0, cancelled: 0, errors: 0, created: 0, started: 0, dropped: 0 };
  let wakeWhenStarted = null;

  async function task(signal) {
    // A task cancelled before its first turn never starts.
    signal.throwIfAborted();
    // The timer is registered in this same turn.
    const timer = sleep(p.latency_ms, undefined, { signal });
    counts.started += 1;
    if (wakeWhenStarted && counts.started >= wakeWhenStarted.target) wakeWhenStarted.resolve();
    await timer;
  }

  async function settle(held) {
    for (const { born, done } of held) {
      try {
        await done;
        counts.completed += 1;
      } catch (e) {
        if (e.name === 'AbortError') counts.cancelled += 1;
        else counts.errors += 1;
      }
      counts.dropped += 1;
      hist.record(now() - born);
    }
  }

  const begin = now();
  let held = [];
  while (counts.created < p.ops) {
    const size = Math.min(p.in_flight, p.ops - counts.created);
    for (let i = 0; i < size; i += 1) {
      const controller = new AbortController();
      // Unstarted: the task body runs on a later turn, after the cancel.
      const done = parked
        ? task(controller.signal)
        : new Promise((resolve) => setImmediate(resolve)).then(() => task(controller.signal));
      held.push({ born: now(), controller, done });
    }
    counts.created += size;
    if (size < p.in_flight) break;
    if (parked && counts.started < counts.created) {
      await new Promise((resolve) => {
        wakeWhenStarted = { target: counts.created, resolve };
      });
      wakeWhenStarted = null;
    }
    for (const { controller } of held) controller.abort();
    await settle(held);
    held = [];
  }
  await settle(held);
  return [Number(now() - begin) / 1e9, counts, hist];
}

async function fetchWorkload(p) {
  const bodyBytes = p.body_bytes || 1024;
  const timeoutMs = p.timeout_ms || 10000;
  const base = new URL(p.url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: p.in_flight });
  const hist = new Histogram();
  const counts = { ok: 0, http_error: 0, timeout: 0, io_error: 0 };
  let next = 0;

  function get(id) {
    return new Promise((resolve) => {
      const path = `/delay?id=${id}&ms=${p.latency_ms}&bytes=${bodyBytes}`;
      const request = http.get({ host: base.hostname, port: base.port, path, agent }, (response) => {
        let length = 0;
        response.on('data', (chunk) => { length += chunk.length; });
        response.on('end', () => {
          if (response.statusCode < 200 || response.statusCode > 299) resolve('http_error');
          else resolve(length === bodyBytes ? 'ok' : 'io_error');
        });
        response.on('error', () => resolve('io_error'));
      });
      request.setTimeout(timeoutMs, () => {
        request.destroy();
        resolve('timeout');
      });
      request.on('error', () => resolve('io_error'));
    });
  }

  async function connection() {
    while (next < p.ops) {
      const id = next++;
      const started = now();
      counts[await get(id)] += 1;
      hist.record(now() - started);
    }
  }

  const begin = now();
  await Promise.all(Array.from({ length: Math.min(p.in_flight, p.ops) }, connection));
  agent.destroy();
  return [Number(now() - begin) / 1e9, counts, hist];
}

// Fields a workload adds to its record.
const extra = {};

// The file workload's pattern: 8-byte little-endian word i of the file is
// 0x5A5A5A5A00000000 + i (workloads/src/file.rs's `word`), written as two
// 32-bit halves so no BigInt is needed.
const PATTERN_HIGH = 0x5a5a5a5a;

// The file's bytes from `offset` on, `length` of them.
function pattern(offset, length) {
  const first = Math.floor(offset / 8);
  const last = Math.ceil((offset + length) / 8);
  const words = Buffer.allocUnsafe((last - first) * 8);
  for (let i = first, at = 0; i < last; i += 1, at += 8) {
    words.writeUInt32LE(i % 2 ** 32, at);
    words.writeUInt32LE(PATTERN_HIGH + Math.floor(i / 2 ** 32), at + 4);
  }
  const skip = offset % 8;
  return words.subarray(skip, skip + length);
}

// file: positional reads of random blocks through an fs.promises FileHandle
// (libuv's thread pool), each checked against the pattern; or writes, with
// handle.datasync() every sync_every. The file is removed right after it is
// opened, so nothing is left behind however the case ends.
async function fileWorkload(p) {
  if (p.direct) {
    console.error('unavailable: Node.js cannot allocate the aligned buffers O_DIRECT needs');
    process.exit(3);
  }
  const block = p.block_bytes || 4096;
  const size = (p.file_mb || 256) * 2 ** 20;
  const blocks = Math.floor(size / block);
  const write = p.file_mode === 'write';
  const syncEvery = p.sync_every || 64;
  const name = path.join(p.scratch_dir || os.tmpdir(), `rtbench-file-${process.pid}-${Date.now()}`);
  const setupBegan = process.cpuUsage();
  const handle = await fs.promises.open(name, 'wx+');
  fs.unlinkSync(name);
  try {
    for (let offset = 0; offset < size; offset += 2 ** 20) {
      const data = pattern(offset, Math.min(2 ** 20, size - offset));
      await handle.write(data, 0, data.length, offset);
    }
    await handle.sync();
    // Taken off the CPU time measured from outside: CPU per op covers the reads.
    const setup = process.cpuUsage(setupBegan);
    extra.setup_cpu_s = (setup.user + setup.system) / 1e6;
    const hist = new Histogram();
    const counts = { ok: 0, short: 0, corrupt: 0, io_error: 0 };
    let next = 0;
    let writes = 0;

    async function one(buffer, offset) {
      if (write) {
        const { bytesWritten } = await handle.write(pattern(offset, block), 0, block, offset);
        writes += 1;
        if (writes % syncEvery === 0) {
          counts.syncs = (counts.syncs || 0) + 1;
          await handle.datasync();
        }
        return [bytesWritten, null];
      }
      const { bytesRead } = await handle.read(buffer, 0, block, offset);
      return [bytesRead, buffer];
    }

    async function worker() {
      const buffer = Buffer.alloc(block);
      while (next < p.ops) {
        next += 1;
        const offset = Math.floor(Math.random() * blocks) * block;
        const started = now();
        let ending;
        let took;
        try {
          const [n, data] = await one(buffer, offset);
          took = now() - started;
          if (n < block) ending = 'short';
          else if (data && !data.equals(pattern(offset, block))) ending = 'corrupt';
          else ending = 'ok';
        } catch {
          took = now() - started;
          ending = 'io_error';
        }
        counts[ending] += 1;
        hist.record(took);
      }
    }

    const begin = now();
    await Promise.all(Array.from({ length: Math.min(p.in_flight, p.ops) }, worker));
    return [Number(now() - begin) / 1e9, counts, hist];
  } finally {
    await handle.close();
  }
}

const WORKLOADS = {
  sleep: sleepWorkload,
  cancel: cancelWorkload,
  fetch: fetchWorkload,
  file: fileWorkload,
};

async function main() {
  const args = process.argv.slice(2);
  const flag = (name) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const workload = WORKLOADS[flag('--workload')];
  if (!workload) {
    console.error(`usage: node node_bench.js --workload ${Object.keys(WORKLOADS).join('|')} --params JSON`);
    process.exit(2);
  }
  const [wall, counts, hist] = await workload(JSON.parse(flag('--params')));
  console.log(JSON.stringify({ wall_s: wall, counts, latency_ns: hist.percentiles(), ...extra }));
}

main().catch((e) => {
  console.error(`error: ${e.message}`);
  process.exit(1);
});
