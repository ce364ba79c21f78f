"""Tables for docs/counts.md, read from rtbench results files (standard library only).

    python3 docs/counts.py spread A/results.json B/results.json
    python3 docs/counts.py relation COUNTS/results.json WALL/results.json

spread: per case and count (per operation), run A's median of its repetitions,
their range in % of that median, and how far run B's median is from run A's.

relation: per workload, every runtime's counts (from a counts run) beside its
wall time, CPU time and the kernel's counts (from a wall run at the same
sizes), ordered by instructions per operation.
"""
import json
import statistics
import sys

FIGURES = [
    ("instructions", lambda c: c.get("instructions")),
    ("est. cycles", lambda c: None if None in (c.get("l1_hits"), c.get("ll_hits"), c.get("ram_accesses"))
        else c["l1_hits"] + 5 * c["ll_hits"] + 35 * c["ram_accesses"]),
    ("syscalls", lambda c: c.get("syscalls")),
    ("vol. switches", lambda c: c.get("voluntary_switches")),
    ("invol. switches", lambda c: c.get("involuntary_switches")),
    ("minor faults", lambda c: c.get("minor_faults")),
]


def per_op(case):
    """Each count of each repetition of `case`, divided by its operations."""
    ops = case["params"]["ops"] or 1
    runs = [r.get("counted") or {} for r in case["runs"]]
    return {name: [f(c) / ops for c in runs if f(c) is not None] for name, f in FIGURES}


def key(case):
    return (case["workload"], case["runtime"], case["params"]["ops"])


def shown(value):
    return f"{value:,.0f}" if value >= 100 else f"{value:.3g}"


def spread(a, b):
    print("Per operation: median of run A's 3 repetitions, their range (max − min) in % of")
    print("that median, and run B's median against run A's, in %.")
    print()
    print("| workload | runtime | " + " | ".join(n for n, _ in FIGURES) + " |")
    print("|---|---|" + "---|" * len(FIGURES))
    other = {key(c): per_op(c) for c in b["cases"]}
    for case in a["cases"]:
        mine, theirs = per_op(case), other.get(key(case), {})
        cells = []
        for name, _ in FIGURES:
            values = mine[name]
            if not values:
                cells.append("absent")
                continue
            median = statistics.median(values)
            width = (max(values) - min(values)) / median * 100 if median else 0.0
            cell = f"{shown(median)} ±{width:.2f} %"
            if theirs.get(name):
                other_median = statistics.median(theirs[name])
                cell += f", B {(other_median / median - 1) * 100:+.2f} %" if median else ", B —"
            cells.append(cell)
        print(f"| {case['workload']} | {case['runtime']} | " + " | ".join(cells) + " |")


def median_of(case, figure):
    values = [figure(r) for r in case["runs"]]
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def relation(counts, wall):
    timed = {key(c): c for c in wall["cases"] if c["runs"]}
    print("Per operation. Counts: median of the counts run's repetitions. Time, CPU")
    print("and the kernel's counts: median of the wall run's repetitions at the same")
    print("sizes. CPU per 1,000 instructions: the wall run's CPU/op over the counts")
    print("run's instructions/op, user and kernel time over user-space instructions.")
    workloads = []
    for case in counts["cases"]:
        if case["workload"] not in workloads:
            workloads.append(case["workload"])
    for workload in workloads:
        print()
        print(f"### {workload}")
        print()
        print("| runtime | instructions | est. cycles | cycles/instr. | time (ms) | CPU (ns) "
              "| CPU ns / 1k instr. | syscalls | ctx switches |")
        print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
        rows = []
        for case in counts["cases"]:
            other = timed.get(key(case))
            if case["workload"] != workload or not case["runs"] or other is None:
                continue
            ops = case["params"]["ops"]
            counted = per_op(case)
            instructions = statistics.median(counted["instructions"])
            cycles = statistics.median(counted["est. cycles"])
            wall_ms = median_of(other, lambda r: r["wall_s"] * 1e3)
            cpu_ns = median_of(other, lambda r: r["cpu_s"] * 1e9 / ops)
            syscalls = median_of(other, lambda r: (r.get("counted") or {}).get("syscalls"))
            switches = median_of(other, lambda r: None if not r.get("counted") else
                                 r["counted"].get("voluntary_switches", 0)
                                 + r["counted"].get("involuntary_switches", 0))
            rows.append((instructions, [
                case["runtime"], shown(instructions), shown(cycles), f"{cycles / instructions:.2f}",
                f"{wall_ms:.1f}", shown(cpu_ns), f"{cpu_ns / instructions * 1e3:.0f}",
                "absent" if syscalls is None else shown(syscalls / ops),
                "absent" if switches is None else shown(switches / ops),
            ]))
        for _, cells in sorted(rows, key=lambda row: row[0]):
            print("| " + " | ".join(cells) + " |")


if __name__ == "__main__":
    command, first, second = sys.argv[1:4]
    files = [json.load(open(path)) for path in (first, second)]
    {"spread": spread, "relation": relation}[command](*files)
