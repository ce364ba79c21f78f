"""docs/allocations-cost.md: what counting allocations costs (standard library only).

    python3 docs/allocations_cost.py merge DIR   # DIR/on and DIR/off, each one results file
    python3 docs/allocations_cost.py page DIR... # the page, after `rtbench compare` wrote DIR/compare

DIR holds round-N-on/results.json and round-N-off/results.json: the same
matrix in wall mode with the counting allocator on and off
(RTBENCH_ALLOCATIONS=off), one repetition each, the settings alternating
round by round. `merge` puts each setting's rounds into one file (a case's
runs in round order), which `rtbench compare DIR/off/results.json
DIR/on/results.json` judges (Mann–Whitney, 2 % threshold). `page` prints,
for each DIR (its DIR/how.txt first), per case: each setting's median wall
time per operation with its range over the rounds, compare's change and
verdict on wall time and on CPU time per operation, and the spread of
allocations per operation over the "on" rounds.
"""
import glob
import json
import os
import statistics
import sys


def key(case):
    return (case["workload"], case["runtime"])


def merge(folder):
    for setting in ("on", "off"):
        paths = sorted(glob.glob(os.path.join(folder, f"round-*-{setting}", "results.json")),
                       key=lambda p: int(p.split("round-")[1].split("-")[0]))
        merged = json.load(open(paths[0]))
        by_key = {key(c): c for c in merged["cases"]}
        for path in paths[1:]:
            for case in json.load(open(path))["cases"]:
                if key(case) in by_key:
                    by_key[key(case)]["runs"] += case.get("runs", [])
        for case in merged["cases"]:
            case.pop("summary", None)
        os.makedirs(os.path.join(folder, setting), exist_ok=True)
        json.dump(merged, open(os.path.join(folder, setting, "results.json"), "w"))


def verdicts(folder, figure):
    """(workload, runtime) -> (change, verdict) of `figure`, from compare.md."""
    out, workload, runtime = {}, None, None
    for line in open(os.path.join(folder, "compare", "compare.md")):
        if line.startswith("## "):
            workload = line[3:].split(":")[0].strip()
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 6 and workload and not cells[0].startswith(("runtime", "---")):
            runtime = cells[0] or runtime
            if cells[1].startswith(figure):
                out[(workload, runtime)] = (cells[4], cells[5])
    return out


def per_op(folder, setting):
    """(workload, runtime) -> every run's (ns per op, allocations per op)."""
    out = {}
    for case in json.load(open(os.path.join(folder, setting, "results.json")))["cases"]:
        ops = case["params"].get("ops") or 1
        out[key(case)] = [(r["wall_s"] / ops * 1e9, (r.get("counted") or {}).get("allocations"), ops)
                          for r in case.get("runs", [])]
    return out


def spread(values):
    mid = statistics.median(values)
    return (max(values) - min(values)) / mid * 100 if mid else 0.0


def page(folders):
    print("# What counting allocations costs\n")
    for folder in folders:
        section(folder)


def section(folder):
    on, off = per_op(folder, "on"), per_op(folder, "off")
    wall, cpu = verdicts(folder, "time (s)"), verdicts(folder, "CPU/op")
    rows, tally, widest, above = [], {}, (0.0, None), 0
    for k in sorted(set(on) & set(off)):
        t_on, t_off = [r[0] for r in on[k]], [r[0] for r in off[k]]
        allocs = [r[1] / r[2] for r in on[k] if r[1] is not None]
        judged = [wall.get(k, ("n/a", "not compared")), cpu.get(k, ("n/a", "not compared"))]
        above += judged[1][0].startswith("+")
        for name, (_, verdict) in zip(("wall", "CPU"), judged):
            tally[f"{name} {verdict}"] = tally.get(f"{name} {verdict}", 0) + 1
        if allocs and spread(allocs) >= widest[0]:
            widest = (spread(allocs), k)
        a = f"{statistics.median(allocs):.4g} ({spread(allocs):.2g} %)" if allocs else "absent"
        rows.append(f"| {k[0]} | {k[1]} | {statistics.median(t_off):,.0f} ({spread(t_off):.2g} %) | "
                    f"{statistics.median(t_on):,.0f} ({spread(t_on):.2g} %) | "
                    + " | ".join(f"{c} {v}" for c, v in judged) + f" | {a} |")
    n = len(next(iter(on.values()), []))
    print(open(os.path.join(folder, "how.txt")).read().strip() + "\n")
    print(f"{len(rows)} cases, {n} rounds a side; counting on against off: "
          + ", ".join(f"{w}: {v}" for w, v in sorted(tally.items())) + "; "
          f"CPU/op's estimated change is above 0 in {above} of {len(rows)}. "
          f"Allocations per operation varied at most {widest[0]:.2g} % over the rounds "
          f"({widest[1][1]} {widest[1][0]}).\n")
    print("| workload | runtime | off: ns/op (range) | on: ns/op (range) | wall time: change, verdict | CPU/op: change, verdict | allocations/op (range) |")
    print("| --- | --- | ---: | ---: | --- | --- | ---: |")
    print("\n".join(rows) + "\n")


if __name__ == "__main__":
    if sys.argv[1] == "merge":
        merge(sys.argv[2])
    else:
        page(sys.argv[2:])
