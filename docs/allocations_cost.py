"""The page docs/allocations-cost.md, from rtbench results files (standard library only).

    python3 docs/allocations_cost.py DIR

DIR holds round-N-on/results.json and round-N-off/results.json: the same
matrix run in wall mode with the counting allocator on and off
(RTBENCH_ALLOCATIONS=off), one repetition each, the two settings alternating
round by round. Per case: the median wall time per operation of each
setting, the change, and whether it is beyond noise: every "on" round slower
(or every one faster) than every "off" round, an exact rank test that
complete separation of 5 against 5 passes at p = 0.008, and a change above
rtbench's default 2 % threshold. Also the spread of allocations per
operation over the "on" rounds, the figure the counts' threshold is set from.
"""
import glob
import json
import os
import statistics
import sys

THRESHOLD_PCT = 2.0


def runs(pattern):
    """Per (runtime, workload): every repetition's (ns per op, counted) of the files."""
    out = {}
    for path in sorted(glob.glob(pattern)):
        for case in json.load(open(path))["cases"]:
            ops = case["params"].get("ops") or 1
            key = (case["runtime"], case["workload"])
            for run in case.get("runs", []):
                out.setdefault(key, []).append((run["wall_s"] / ops * 1e9, run.get("counted") or {}, ops))
    return out


def spread(values):
    mid = statistics.median(values)
    return (max(values) - min(values)) / mid * 100 if mid else 0.0


def main(folder):
    on = runs(os.path.join(folder, "round-*-on", "results.json"))
    off = runs(os.path.join(folder, "round-*-off", "results.json"))
    rows, beyond, changes, alloc_spreads = [], 0, [], []
    for key in sorted(set(on) & set(off)):
        t_on, t_off = [r[0] for r in on[key]], [r[0] for r in off[key]]
        m_on, m_off = statistics.median(t_on), statistics.median(t_off)
        change = (m_on - m_off) / m_off * 100
        changes.append(change)
        separated = min(t_on) > max(t_off) or max(t_on) < min(t_off)
        verdict = "beyond noise" if separated and abs(change) > THRESHOLD_PCT else "within noise"
        beyond += verdict == "beyond noise"
        allocs = [r[1]["allocations"] / r[2] for r in on[key] if r[1].get("allocations") is not None]
        a = f"{statistics.median(allocs):.3g} ({spread(allocs):.2g} %)" if allocs else "absent"
        if allocs:
            alloc_spreads.append((spread(allocs), key))
        rows.append(f"| {key[1]} | {key[0]} | {m_off:,.0f} ({spread(t_off):.2g} %) | "
                    f"{m_on:,.0f} ({spread(t_on):.2g} %) | {change:+.1f} % | {verdict} | {a} |")
    n = len(next(iter(on.values()), []))
    print("# What counting allocations costs\n")
    print(open(os.path.join(folder, "how.txt")).read().strip() + "\n")
    print(f"{len(rows)} cases, {n} rounds a side: **{beyond} beyond noise**; the median change "
          f"over the cases is {statistics.median(changes):+.1f} % (from {min(changes):+.1f} % to "
          f"{max(changes):+.1f} %). The widest spread of allocations per operation over the rounds "
          f"is {max(alloc_spreads)[0]:.2g} % ({' '.join(reversed(max(alloc_spreads)[1]))}).\n")
    print("| workload | runtime | off: ns/op (range) | on: ns/op (range) | change | verdict | allocations/op (range) |")
    print("| --- | --- | ---: | ---: | ---: | --- | ---: |")
    print("\n".join(rows))


if __name__ == "__main__":
    main(sys.argv[1])
