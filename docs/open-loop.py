#!/usr/bin/env python3
"""The open-loop clients side by side (docs/open-loop.md).

    python3 docs/open-loop.py DIR

DIR holds one file per run, ARM-RATE-ROUND.json: rtbench's results.json for
an rtbench arm, oha's `--output-format json` for the arm called oha. Prints,
per offered rate, each arm's medians over its rounds (p50, p99, achieved
rate, and for rtbench how long after due its requests left), each arm
against oha (the ratio of the medians), and every round's figures.
"""

import json
import pathlib
import re
import statistics
import sys

NAME = re.compile(r"^(?P<arm>.+)-(?P<rate>\d+)-(?P<round>\d+)\.json$")


def figures(arm, path):
    """p50 and p99 in ms, achieved requests/s, send delay p50 and p99 in ms (or None)."""
    data = json.loads(path.read_text())
    if arm == "oha":
        latency = data["latencyPercentiles"]
        return {
            "p50": latency["p50"] * 1e3,
            "p99": latency["p99"] * 1e3,
            "achieved": data["summary"]["requestsPerSec"],
            "ok": data["statusCodeDistribution"].get("200", 0),
            "sent p50": None,
            "sent p99": None,
        }
    (case,) = data["cases"]
    if case["status"] != "ok":
        sys.exit(f"{path}: the case failed: {case['error']}")
    (run,) = case["runs"]
    sent = run.get("send_delay_ns") or {}
    return {
        "p50": run["latency_ns"]["p50"] / 1e6,
        "p99": run["latency_ns"]["p99"] / 1e6,
        "achieved": run["achieved_rate"],
        "ok": run["counts"].get("ok", 0),
        "sent p50": sent["p50"] / 1e6 if sent else None,
        "sent p99": sent["p99"] / 1e6 if sent else None,
    }


def ms(value):
    return "–" if value is None else f"{value:.2f}"


def main(folder):
    runs = {}
    for path in sorted(pathlib.Path(folder).glob("*.json")):
        match = NAME.match(path.name)
        if match:
            key = (int(match["rate"]), match["arm"])
            runs.setdefault(key, []).append((int(match["round"]), figures(match["arm"], path)))
    if not runs:
        sys.exit(f"no ARM-RATE-ROUND.json files in {folder}")
    rates = sorted({rate for rate, _ in runs})
    arms = sorted({arm for _, arm in runs}, key=lambda a: (a == "oha", a))

    def median(rate, arm, figure):
        values = [f[figure] for _, f in runs.get((rate, arm), []) if f[figure] is not None]
        return statistics.median(values) if values else None

    print("| rate (req/s) | client | rounds | p50 (ms) | p99 (ms) | vs oha p50 | vs oha p99 "
          "| achieved (req/s) | sent after due p50 / p99 (ms) |")
    print("|---:|---|---:|---:|---:|---:|---:|---:|---:|")
    for rate in rates:
        for arm in arms:
            if (rate, arm) not in runs:
                continue
            row = {f: median(rate, arm, f) for f in ("p50", "p99", "achieved", "sent p50", "sent p99")}
            versus = []
            for f in ("p50", "p99"):
                oha = median(rate, "oha", f)
                versus.append("" if arm == "oha" or not oha else f"{row[f] / oha - 1:+.0%}")
            print(f"| {rate:,} | {arm} | {len(runs[rate, arm])} | {ms(row['p50'])} | {ms(row['p99'])} "
                  f"| {versus[0]} | {versus[1]} | {row['achieved']:,.0f} "
                  f"| {ms(row['sent p50'])} / {ms(row['sent p99'])} |")
    print()
    print("Every round (p50 / p99 ms, ok responses):")
    print()
    for (rate, arm), rounds in sorted(runs.items()):
        cells = ", ".join(f"{ms(f['p50'])} / {ms(f['p99'])} ({f['ok']:,})" for _, f in sorted(rounds, key=lambda r: r[0]))
        print(f"- {rate:,}/s {arm}: {cells}")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
