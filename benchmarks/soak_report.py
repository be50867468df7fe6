#!/usr/bin/env python3
"""Turns a soak run's per-minute files (benchmarks/soak.sh) into a markdown table and says what stayed flat."""
import json
import pathlib
import re
import sys


def metric(text, name, labels=None):
    """Sum of every sample of `name` whose labels contain all of `labels`."""
    total, found = 0.0, False
    for line in text.splitlines():
        if not line.startswith(name) or line.startswith("#"):
            continue
        match = re.match(r'^([a-zA-Z_:]+)(\{[^}]*\})?\s+(\S+)', line)
        if not match or match.group(1) != name:
            continue
        if labels and not all(f'{k}="{v}"' in (match.group(2) or "") for k, v in labels.items()):
            continue
        total += float(match.group(3))
        found = True
    return total if found else None


def main():
    out = pathlib.Path(sys.argv[1])
    rate = int(sys.argv[2]) if len(sys.argv) > 2 else 200
    rows = []
    for minute in range(1, 10_000):
        load = out / f"minute-{minute}.json"
        if not load.exists():
            break
        requests = json.loads(load.read_text())["requests"]["all"]
        metrics = (out / f"metrics-{minute}.txt").read_text() if (out / f"metrics-{minute}.txt").exists() else ""
        rows.append({
            "minute": minute,
            "requests": requests["count"],
            "errors": requests["errors"],
            "p50": requests["p50_ms"], "p99": requests["p99_ms"], "max": requests["max_ms"],
            "heap_mb": (metric(metrics, "jvm_memory_used_bytes", {"area": "heap"}) or 0) / 1e6,
            "threads": metric(metrics, "jvm_threads_live_threads") or 0,
            "pool_active": metric(metrics, "database_connection_pool_active") or 0,
            "pool_idle": metric(metrics, "database_connection_pool_idle") or 0,
            "pg_sessions": int((out / f"pg-sessions-{minute}.txt").read_text().strip() or 0),
            "events": int((out / f"events-{minute}.txt").read_text().strip() or 0),
        })
    if not rows:
        sys.exit("no minutes recorded in " + str(out))
    delivered = sum(1 for line in (out / "subscriber.out").read_text().splitlines()
                    if line.startswith("@@") and line != "@@ready") if (out / "subscriber.out").exists() else 0
    print(f"# Soak: {len(rows)} minutes at {rate} requests/s\n")
    print("| minute | requests | errors | p50 ms | p99 ms | max ms | heap MB | threads | pool active/idle "
          "| PostgreSQL sessions | order events |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['minute']} | {r['requests']} | {r['errors']} | {r['p50']} | {r['p99']} | {r['max']} | "
              f"{r['heap_mb']:.0f} | {r['threads']:.0f} | {r['pool_active']:.0f}/{r['pool_idle']:.0f} | "
              f"{r['pg_sessions']} | {r['events']} |")
    # The first minute warms the JIT and the pools up: it is shown, not compared.
    steady = rows[1:] if len(rows) >= 4 else rows
    half = max(1, len(steady) // 2)
    first, second = steady[:half], steady[half:] or steady[:half]

    def mean(items, key):
        return sum(x[key] for x in items) / len(items)

    print()
    verdicts = []
    for key, label, slack in (("threads", "live threads", 1.10), ("pg_sessions", "PostgreSQL sessions", 1.10),
                              ("p99", "p99 latency", 1.50), ("heap_mb", "heap after each minute", 1.50)):
        a, b = mean(first, key), mean(second, key)
        flat = b <= a * slack + (5 if key != "p99" else 2)
        verdicts.append(flat)
        print(f"- {label}: first half {a:.1f}, second half {b:.1f} (minute 1 left out when there are 4 or more): "
              f"{'flat' if flat else 'GROWING'}")
    print(f"- errors: {sum(r['errors'] for r in rows)} of {sum(r['requests'] for r in rows)} requests")
    print(f"- live subscriber: {delivered} order events delivered, {rows[-1]['events']} in the log at the end")
    print(f"- verdict: {'flat' if all(verdicts) else 'NOT flat: see above'}")


if __name__ == "__main__":
    main()
