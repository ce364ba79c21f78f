"""rtbench's workloads in Python asyncio: one case per run, one JSON record out.

Run by `rtbench run` as an external runtime (see README, "External
baselines"); the runner measures CPU time and peak memory from outside.

    python3 asyncio_bench.py --workload sleep --params '{"ops": 20000, ...}' [--loop uvloop]
        [--style wait]

Prints {"wall_s", "counts", "latency_ns": {p50, p90, p99, p999, max}} on one
line. The workloads follow rtbench's own (workloads/src/): same ids, same injected failures (counted,
never aborting), same rolling window, same batches. Standard library only,
except fetch (aiohttp) and the optional uvloop event loop.

Sleep waits in one of two styles: `callbacks` (the default: a semaphore and
a done-callback per task) or `wait`, the way the article's simulated-I/O
script waits (a TaskGroup and `asyncio.wait` over a list; Python 3.11+).
"""

import argparse
import asyncio
import json
import sys
import time

# Exit code for "this interpreter cannot run this case" (e.g. aiohttp missing).
UNAVAILABLE = 3


class Histogram:
    """Latencies in log-linear buckets with 1/1024 relative precision (as
    hdrhistogram at 3 significant digits), so a million samples cost a few
    hundred kilobytes, not a list of a million ints."""

    SUB_BITS = 10

    def __init__(self):
        self.counts = {}
        self.total = 0
        self.max = 0

    def record(self, ns):
        shift = max(0, ns.bit_length() - self.SUB_BITS - 1)
        key = (shift, ns >> shift)
        self.counts[key] = self.counts.get(key, 0) + 1
        self.total += 1
        if ns > self.max:
            self.max = ns

    def percentiles(self):
        wanted = {"p50": 0.5, "p90": 0.9, "p99": 0.99, "p999": 0.999}
        out = {name: 0 for name in wanted}
        seen = 0
        for shift, sub in sorted(self.counts, key=lambda k: (k[1] << k[0])):
            seen += self.counts[(shift, sub)]
            upper = ((sub + 1) << shift) - 1
            for name, q in wanted.items():
                if out[name] == 0 and seen >= q * self.total:
                    out[name] = min(upper, self.max)
        out["max"] = self.max
        return out


class InjectedFailure(Exception):
    """An operation that fails on purpose: counted, never aborting the run."""


async def sleep_workload(p):
    ops, window, delay = p["ops"], p["in_flight"], p["latency_ms"] / 1000
    fail_every = p.get("fail_every") or 1000
    hist = Histogram()
    counts = {"ok": 0, "failed": 0}
    slots = asyncio.Semaphore(window)
    all_done = asyncio.Event()
    ended = 0

    async def operation(op_id):
        # Timed by the operation itself, from its first step to its end.
        started = time.perf_counter_ns()
        try:
            await asyncio.sleep(delay)
            if op_id % fail_every == 0:
                raise InjectedFailure(op_id)
        finally:
            hist.record(time.perf_counter_ns() - started)

    def collect(task):
        nonlocal ended
        if task.exception() is None:
            counts["ok"] += 1
        else:
            counts["failed"] += 1
        slots.release()
        ended += 1
        if ended == ops:
            all_done.set()

    loop = asyncio.get_running_loop()
    begin = time.perf_counter()
    for op_id in range(ops):
        await slots.acquire()
        loop.create_task(operation(op_id)).add_done_callback(collect)
    await all_done.wait()
    return time.perf_counter() - begin, counts, hist


async def sleep_wait_workload(p):
    """Sleep as the article's script waits: every task in a TaskGroup, a
    Python list of the tasks in flight; whenever the list holds `in_flight`
    of them, `asyncio.wait(list, return_when=FIRST_COMPLETED)`, then the list
    rebuilt with the tasks not yet done. The injected failure is returned as
    a failed result, so the TaskGroup does not abort."""
    ops, window, delay = p["ops"], p["in_flight"], p["latency_ms"] / 1000
    fail_every = p.get("fail_every") or 1000
    hist = Histogram()
    counts = {"ok": 0, "failed": 0}

    async def operation(op_id):
        started = time.perf_counter_ns()
        try:
            await asyncio.sleep(delay)
            return op_id % fail_every != 0
        finally:
            hist.record(time.perf_counter_ns() - started)

    def tally(task):
        counts["ok" if task.result() else "failed"] += 1

    begin = time.perf_counter()
    async with asyncio.TaskGroup() as group:
        in_flight = []
        for op_id in range(ops):
            in_flight.append(group.create_task(operation(op_id)))
            if len(in_flight) >= window:
                await asyncio.wait(in_flight, return_when=asyncio.FIRST_COMPLETED)
                still = []
                for task in in_flight:
                    if task.done():
                        tally(task)
                    else:
                        still.append(task)
                in_flight = still
    # Leaving the group waited for the rest.
    for task in in_flight:
        tally(task)
    return time.perf_counter() - begin, counts, hist


async def cancel_workload(p):
    total, batch, delay = p["ops"], p["in_flight"], p["latency_ms"] / 1000
    parked = (p.get("cancel_mode") or "parked") == "parked"
    drop_wait = (p.get("cancel_wait_ms") or 100) / 1000
    hist = Histogram()
    probe = {"started": 0, "dropped": 0}
    counts = {"completed": 0, "cancelled": 0, "errors": 0}
    all_started = asyncio.Event()
    target = [0]

    async def task_body():
        # The timer is registered within this same step, at the first await.
        probe["started"] += 1
        if probe["started"] >= target[0]:
            all_started.set()
        await asyncio.sleep(delay)

    def gone(_task):
        # A done task has released its coroutine, cancelled or finished.
        probe["dropped"] += 1

    async def settle(held):
        for born, task in held:
            try:
                await task
                counts["completed"] += 1
            except asyncio.CancelledError:
                counts["cancelled"] += 1
            except Exception:  # noqa: BLE001 - any other ending is an error to count
                counts["errors"] += 1
            hist.record(time.perf_counter_ns() - born)

    async def wait_for_drops(created):
        deadline = time.perf_counter() + drop_wait
        while probe["dropped"] < created and time.perf_counter() < deadline:
            await asyncio.sleep(0)

    loop = asyncio.get_running_loop()
    begin = time.perf_counter()
    held, created = [], 0
    while created < total:
        size = min(batch, total - created)
        for _ in range(size):
            task = loop.create_task(task_body())
            task.add_done_callback(gone)
            held.append((time.perf_counter_ns(), task))
        created += size
        if size < batch:
            break
        if parked:
            target[0] = created
            all_started.clear()
            if probe["started"] < created:
                await all_started.wait()
        for _, task in held:
            task.cancel()
        await settle(held)
        held = []
        await wait_for_drops(created)
    await settle(held)
    await wait_for_drops(created)
    counts.update(created=created, started=probe["started"], dropped=probe["dropped"])
    return time.perf_counter() - begin, counts, hist


async def fetch_workload(p):
    try:
        import aiohttp
    except ImportError:
        print(
            f"unavailable: aiohttp is not installed for {sys.executable}: "
            f"{sys.executable} -m pip install aiohttp",
            file=sys.stderr,
        )
        sys.exit(UNAVAILABLE)
    total, connections = p["ops"], p["in_flight"]
    body_bytes = p.get("body_bytes") or 1024
    timeout = aiohttp.ClientTimeout(total=(p.get("timeout_ms") or 10000) / 1000)
    base = p["url"].rstrip("/")
    hist = Histogram()
    counts = {"ok": 0, "http_error": 0, "timeout": 0, "io_error": 0}
    next_id = iter(range(total))

    async def connection(session):
        for request_id in next_id:
            url = f"{base}/delay?id={request_id}&ms={p['latency_ms']}&bytes={body_bytes}"
            started = time.perf_counter_ns()
            try:
                async with session.get(url, timeout=timeout) as response:
                    body = await response.read()
                    if not 200 <= response.status < 300:
                        counts["http_error"] += 1
                    elif len(body) != body_bytes:
                        counts["io_error"] += 1
                    else:
                        counts["ok"] += 1
            except asyncio.TimeoutError:
                counts["timeout"] += 1
            except aiohttp.ClientError:
                counts["io_error"] += 1
            hist.record(time.perf_counter_ns() - started)

    connector = aiohttp.TCPConnector(limit=connections)
    async with aiohttp.ClientSession(connector=connector) as session:
        begin = time.perf_counter()
        await asyncio.gather(*(connection(session) for _ in range(connections)))
        return time.perf_counter() - begin, counts, hist


# Fields a workload adds to its record.
EXTRA = {}

# The file workload's pattern: 8-byte little-endian word i of the file is
# PATTERN_BASE + i (workloads/src/file.rs's `word`).
PATTERN_BASE = 0x5A5A5A5A00000000


def pattern(offset, length):
    """The file's bytes from `offset` on, `length` of them."""
    import array

    first, last = offset // 8, (offset + length + 7) // 8
    words = array.array("Q", range(PATTERN_BASE + first, PATTERN_BASE + last))
    if sys.byteorder != "little":
        words.byteswap()
    skip = offset % 8
    return words.tobytes()[skip : skip + length]


def scratch_file(p):
    """The case's file, filled with the pattern and synced: a TemporaryFile,
    unlinked from the start (O_TMPFILE), so nothing is left behind however
    the case ends. Its descriptor, and the path that opens it again."""
    import os
    import tempfile

    size = (p.get("file_mb") or 256) << 20
    f = tempfile.TemporaryFile(dir=p.get("scratch_dir") or tempfile.gettempdir())
    chunk = 1 << 20
    for offset in range(0, size, chunk):
        os.pwrite(f.fileno(), pattern(offset, min(chunk, size - offset)), offset)
    os.fsync(f.fileno())
    return f, f"/proc/self/fd/{f.fileno()}"


async def file_workload(p):
    """file: positional reads of random blocks, each `os.pread` on the loop's
    default executor (a thread pool), what aiofiles does; with --direct
    `os.preadv` into a page-aligned mmap buffer, as O_DIRECT needs. Writes
    likewise, with `os.fdatasync` every `sync_every`."""
    import mmap
    import os
    import random

    ops, in_flight = p["ops"], p["in_flight"]
    block = p.get("block_bytes") or 4096
    blocks = ((p.get("file_mb") or 256) << 20) // block
    write = p.get("file_mode") == "write"
    sync_every = p.get("sync_every") or 64
    direct = bool(p.get("direct"))
    setup_began = time.process_time()
    keep, path = scratch_file(p)
    # Taken off the CPU time measured from outside: CPU per op covers the reads.
    EXTRA["setup_cpu_s"] = time.process_time() - setup_began
    flags = (os.O_RDWR if write else os.O_RDONLY) | (os.O_DIRECT if direct else 0)
    try:
        fd = os.open(path, flags)
    except OSError as e:
        keep.close()
        why = " with O_DIRECT (the filesystem may not support it)" if direct else ""
        print(f"cannot open the scratch file{why}: {e}", file=sys.stderr)
        sys.exit(1)
    loop = asyncio.get_running_loop()
    hist = Histogram()
    counts = {"ok": 0, "short": 0, "corrupt": 0, "io_error": 0}
    started_ops = iter(range(ops))
    writes = [0]

    async def one(buffer, offset):
        if write:
            data = pattern(offset, block)
            if direct:
                buffer[:block] = data
                done = await loop.run_in_executor(None, os.pwritev, fd, [buffer], offset)
            else:
                done = await loop.run_in_executor(None, os.pwrite, fd, data, offset)
            writes[0] += 1
            if writes[0] % sync_every == 0:
                counts["syncs"] = counts.get("syncs", 0) + 1
                await loop.run_in_executor(None, os.fdatasync, fd)
            return done, None
        if direct:
            n = await loop.run_in_executor(None, os.preadv, fd, [buffer], offset)
            return n, bytes(buffer[:n])
        data = await loop.run_in_executor(None, os.pread, fd, block, offset)
        return len(data), data

    async def worker(seed):
        rng = random.Random(seed)
        buffer = mmap.mmap(-1, block) if direct else None
        for _ in started_ops:
            offset = rng.randrange(blocks) * block
            started = time.perf_counter_ns()
            try:
                n, data = await one(buffer, offset)
                took = time.perf_counter_ns() - started
                if n < block:
                    counts["short"] += 1
                elif data is not None and data != pattern(offset, block):
                    counts["corrupt"] += 1
                else:
                    counts["ok"] += 1
            except OSError:
                took = time.perf_counter_ns() - started
                counts["io_error"] += 1
            hist.record(took)

    try:
        begin = time.perf_counter()
        await asyncio.gather(*(worker(seed) for seed in range(min(in_flight, ops))))
        return time.perf_counter() - begin, counts, hist
    finally:
        os.close(fd)
        keep.close()


WORKLOADS = {
    "sleep": sleep_workload,
    "cancel": cancel_workload,
    "fetch": fetch_workload,
    "file": file_workload,
}
# The workloads each waiting style is written for.
STYLES = {"callbacks": WORKLOADS, "wait": {"sleep": sleep_wait_workload}}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workload", choices=sorted(WORKLOADS), required=True)
    parser.add_argument("--params", required=True, help="the case's parameters, as JSON")
    parser.add_argument("--loop", choices=["asyncio", "uvloop"], default="asyncio")
    parser.add_argument("--style", choices=sorted(STYLES), default="callbacks")
    args = parser.parse_args()
    params = json.loads(args.params)
    workload = STYLES[args.style].get(args.workload)
    if workload is None:
        print(f"unavailable: --style {args.style} is written for sleep only", file=sys.stderr)
        sys.exit(UNAVAILABLE)
    if args.loop == "uvloop":
        import uvloop

        uvloop.install()
    wall, counts, hist = asyncio.run(workload(params))
    record = {"wall_s": wall, "counts": counts, "latency_ns": hist.percentiles(), **EXTRA}
    print(json.dumps(record))


if __name__ == "__main__":
    main()
