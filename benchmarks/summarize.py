#!/usr/bin/env python3
"""Turns JMH JSON results into the Markdown tables of docs/performance.md, with ratios to the floor and to Axon.

Usage: python3 benchmarks/summarize.py benchmarks/results/*.json
"""
import json
import sys
from collections import defaultdict


def rows(path):
    for run in json.load(open(path)):
        params = run.get("params", {})
        metric = run["primaryMetric"]
        yield {
            "benchmark": run["benchmark"].split(".")[-2],
            "mode": run["mode"],
            "threads": run["threads"],
            "params": params,
            "score": metric["score"],
            "unit": metric["scoreUnit"],
            "p50": metric.get("scorePercentiles", {}).get("50.0"),
            "p99": metric.get("scorePercentiles", {}).get("99.0"),
        }


def fmt(value):
    if value is None:
        return "–"
    return f"{value:,.3f}" if value < 10 else f"{value:,.0f}" if value >= 1000 else f"{value:,.1f}"


def ratio(value, base):
    return "–" if value is None or not base else f"{value / base:.2f}×"


def main(paths):
    results = [r for p in paths for r in rows(p)]
    recon = defaultdict(dict)
    for r in results:
        if r["benchmark"] == "ReconstructionBenchmark":
            recon[int(r["params"]["events"])][r["params"]["store"]] = r
    if recon:
        print("| events | store | p50 µs | p99 µs | p50 / floor | p50 / Axon |")
        print("|---:|---|---:|---:|---:|---:|")
        for events in sorted(recon):
            floor = recon[events].get("floor", {}).get("p50")
            axon = recon[events].get("axon", {}).get("p50")
            for store in ["floor", "eventstore", "eventstore-snapshots", "eventstore-snapshots-cache", "axon"]:
                r = recon[events].get(store)
                if r:
                    print(f"| {events:,} | {store} | {fmt(r['p50'])} | {fmt(r['p99'])} | {ratio(r['p50'], floor)} "
                          f"| {ratio(r['p50'], axon)} |")
        print()
    append = defaultdict(dict)
    for r in results:
        if r["benchmark"] == "AppendBenchmark":
            key = (r["threads"], int(r["params"]["batch"]))
            append[key].setdefault(r["params"]["store"], {})[r["mode"]] = r
    if append:
        print("| threads | batch | store | appends/s | events/s | p50 ms | p99 ms | events/s ÷ floor | events/s ÷ Axon |")
        print("|---:|---:|---|---:|---:|---:|---:|---:|---:|")
        for (threads, batch) in sorted(append):
            by_store = append[(threads, batch)]

            def per_second(store):
                t = by_store.get(store, {}).get("thrpt")
                return None if t is None else t["score"] * 1000  # ops/ms -> ops/s

            floor = per_second("floor")
            axon = per_second("axon")
            for store in ["floor", "eventstore", "axon"]:
                if store not in by_store:
                    continue
                ops = per_second(store)
                sample = by_store[store].get("sample", {})
                print(f"| {threads} | {batch} | {store} | {fmt(ops)} | {fmt(ops * batch if ops else None)} | "
                      f"{fmt(sample.get('p50'))} | {fmt(sample.get('p99'))} | {ratio(ops, floor)} | {ratio(ops, axon)} |")

        print()
    catchup = {(r["params"]["store"], r["params"].get("writes", "per-event")): r
               for r in results if r["benchmark"] == "ProjectionBenchmark"}
    if catchup:
        events = int(next(iter(catchup.values()))["params"]["events"])

        def rate(store, writes):
            r = catchup.get((store, writes))
            return None if r is None else events / (r["score"] / 1000)  # ms per catch-up -> events/s

        print(f"| writes | store | ms per catch-up of {events:,} events | events/s | ÷ floor | ÷ Axon (same writes) "
              f"| ÷ Axon per event |")
        print("|---|---|---:|---:|---:|---:|---:|")
        for writes in ["per-event", "pipelined", "batched"]:
            for store in ["floor", "eventstore", "axon"]:
                if (store, writes) in catchup:
                    r = rate(store, writes)
                    print(f"| {writes} | {store} | {fmt(catchup[(store, writes)]['score'])} | {fmt(r)} | "
                          f"{ratio(r, rate('floor', writes))} | {ratio(r, rate('axon', writes))} | "
                          f"{ratio(r, rate('axon', 'per-event'))} |")
        print()
    live = {r["params"]["store"]: r for r in results if r["benchmark"] == "ProjectionLiveBenchmark"}
    if live:
        print("| store | samples | p50 ms | p99 ms | mean ms |")
        print("|---|---:|---:|---:|---:|")
        for store in ["floor", "eventstore", "axon"]:
            if store in live:
                r = live[store]
                print(f"| {store} | – | {fmt(r['p50'])} | {fmt(r['p99'])} | {fmt(r['score'])} |")
        print()


if __name__ == "__main__":
    main(sys.argv[1:])
