#!/usr/bin/env python3
"""Which thread wakes which, and from where, from a `perf record -e sched:sched_waking -g` of the nodes
(benchmarks/cluster.sh with WAKE=1).

    benchmarks/wake-breakdown.py WAKE_DATA SECONDS [--stacks N]

A sleeping thread woken to do a little work costs far more than the work on a small virtual machine: on this one about
10 µs of CPU per context switch, in the kernel's scheduler and futex paths. Each line is wake-ups per second (all nodes
together) by waking thread -> woken thread (pool threads grouped by name); with --stacks, the N most frequent managed
call chains of the waker for the largest pairs (managed frames need DOTNET_PerfMapEnabled=1; a chain through the
runtime's native code often cannot be unwound and shows empty).
"""
import collections
import re
import subprocess
import sys


def main():
    data, seconds = sys.argv[1], float(sys.argv[2])
    stacks = int(sys.argv[sys.argv.index("--stacks") + 1]) if "--stacks" in sys.argv else 0
    text = subprocess.run(["perf", "script", "-i", data, "-F", "comm,tid,trace,ip,sym"],
                          capture_output=True, text=True, check=True).stdout
    pairs, chains = collections.Counter(), collections.defaultdict(collections.Counter)
    for sample in text.split("\n\n"):
        lines = sample.strip().split("\n")
        head = re.match(r"(.*?)\s+\d+\s+comm=(.*?) pid=", lines[0].strip()) if lines else None
        if not head:
            continue
        pair = (head.group(1)[:15], head.group(2)[:15])
        pairs[pair] += 1
        frames = [re.sub(r"`\d+\[.*?\]", "", m.group(1)).split(".")[-1][:70]
                  for m in (re.search(r"\] ([\w.+`<>\[\],]+::[\w<>.]+)", f) for f in lines[1:]) if m]
        chains[pair][" < ".join(frames[:8])] += 1
    total = sum(pairs.values())
    print(f"wake-ups: {total / seconds:.0f}/s over {seconds:.0f} s (all nodes)")
    for (waker, woken), n in pairs.most_common(25):
        print(f"{n / seconds:8.1f}/s  {waker:15} -> {woken}")
        for chain, m in chains[(waker, woken)].most_common(stacks):
            print(f"{'':12}{m / seconds:7.1f}/s  {chain or '(not unwound)'}")


if __name__ == "__main__":
    main()
