#!/usr/bin/env python3
"""Where the nodes' CPU went, from a `perf record -g` of them (benchmarks/cluster.sh with PERF=1).

    benchmarks/perf-breakdown.py PERF_DATA SECONDS PID[,PID...]

Each sample is put in one category by the frames of its stack (first match in CATEGORIES, walking the categories in
order, not the frames), and by what its leaf frame is doing (managed code, runtime native code, the kernel's network
path, the kernel's scheduler/futex path, other kernel). CPU time is the sum of the samples' periods (cpu-clock: ns), so
'cores' is CPU seconds / SECONDS. Managed frames need the nodes started with DOTNET_PerfMapEnabled=1; libcoreclr has no
symbols here, so GC work on allocating threads shows as runtime native code of the category that allocated.
"""
import collections
import re
import subprocess
import sys

# (category, thread-name regex or None, frame regex or None): a sample matches if its thread name or any frame matches.
CATEGORIES = [
    ("JIT (tiered compilation)", r"^\.NET Tiered Com", r"libclrjit\.so"),
    ("GC threads", r"^\.NET (Server GC|BGC)", None),
    ("remoting (Akka.Remote, DotNetty, serialization)", r"^SingleThreadEve",
     r"\[(Akka\.Remote|DotNetty\.[\w.]+|Google\.Protobuf)\]|QuotesSerializer|Akka\.Serialization"),
    ("client WebSockets (writers, ManagedWebSocket, Kestrel, pipes)", None,
     r"\[(System\.Net\.WebSockets|Microsoft\.AspNetCore[\w.]*|System\.IO\.Pipelines)\]|Quotes\.Host\.WebSockets|SessionOutbox"),
    ("cluster membership, sharding, ddata", None, r"\[(Akka\.Cluster[\w.]*|Akka\.DistributedData)\]"),
    ("data path actors (upstream, entities, hub, sessions; Akka dispatch)", r"^quotes-fanout",
     r"\[(Quotes\.Actors|Quotes\.Contracts|Akka)\]"),
    ("timers (.NET timer thread, Akka scheduler)", r"^(\.NET Timer|Kestrel Timer)", r"TimerQueue|Akka\.Actor\.Scheduler|HashedWheel"),
    ("socket engine (epoll thread, no managed frame above)", r"^\.NET Sockets", None),
]
OTHER = "other (thread pool waits/wakes and runtime frames with no managed caller)"

# Kernel frames as perf prints them: "ADDRESS SYMBOL ([kernel.kallsyms])".
KERNEL_NET = re.compile(r"^\S+ (_*(tcp|sock|sk|skb|ip|ipv4|inet|netif|napi|dev_queue|dev_hard|net_rx|loopback|process_backlog)_"
                        r"|_*(x64_)?_*sys_(send|recv|sendto|recvfrom|sendmsg|recvmsg|epoll)|do_epoll|ep_poll)", re.M)
KERNEL_SCHED = re.compile(r"^\S+ (_*schedule|.*futex|.*sched_yield|finish_task_switch|try_to_wake_up|.*switch_to|.*nanosleep)", re.M)


def leaf_kind(frames):
    if not frames:
        return "unknown"
    leaf = frames[0]
    if "[kernel.kallsyms]" in leaf:
        stack = "\n".join(f for f in frames if "[kernel.kallsyms]" in f)
        if KERNEL_NET.search(stack):
            return "kernel net"
        if KERNEL_SCHED.search(stack):
            return "kernel sched"
        return "kernel other"
    if "perf-" in leaf and ".map)" in leaf:
        return "managed"
    return "native"


def main():
    data, seconds, pids = sys.argv[1], float(sys.argv[2]), [int(p) for p in sys.argv[3].split(",")]
    detail = len(sys.argv) > 4 and sys.argv[4] == "--detail"   # also the top leaf and first-managed frames per category
    leaves = collections.defaultdict(collections.Counter)
    node_of = {pid: i + 1 for i, pid in enumerate(pids)}
    script = subprocess.run(["perf", "script", "-i", data, "-F", "comm,pid,tid,period,ip,sym,dso"],
                            capture_output=True, text=True, check=True).stdout
    compiled = [(name, re.compile(t) if t else None, re.compile(f) if f else None) for name, t, f in CATEGORIES]
    kinds = ["managed", "native", "kernel net", "kernel sched", "kernel other"]
    cpu = collections.defaultdict(float)          # (node, category, kind) -> ns
    header = re.compile(r"^(.+?)\s+(\d+)/(\d+)\s+(\d+)\s*$")
    for block in script.split("\n\n"):
        lines = [l for l in block.split("\n") if l.strip()]
        if not lines:
            continue
        m = header.match(lines[0])
        if not m:
            continue
        comm, pid, period = m.group(1).strip(), int(m.group(2)), int(m.group(4))
        frames = [l.strip() for l in lines[1:]]
        stack = "\n".join(frames)
        category = next((name for name, t, f in compiled if (t and t.search(comm)) or (f and f.search(stack))), OTHER)
        cpu[(node_of.get(pid, 0), category, leaf_kind(frames))] += period
        if detail and frames:
            managed = next((f for f in frames if ".map)" in f), "-")
            short = lambda f: re.sub(r"^\S+ ", "", re.sub(r"\(.*$", "", f))[:110]
            leaves[category][f"{short(frames[0])}  <=  {short(managed)}"] += period

    names = [c[0] for c in CATEGORIES] + [OTHER]
    nodes = sorted({k[0] for k in cpu})
    total = sum(cpu.values())
    print(f"perf: {total / 1e9:.2f} CPU s over {seconds:.1f} s = {total / 1e9 / seconds:.3f} cores for nodes {', '.join(map(str, nodes))}")
    print(f"{'category':<70} {'cores':>7} {'share':>6}   " + " ".join(f"{k:>12}" for k in kinds) + "   per node")
    for name in sorted(names, key=lambda n: -sum(v for k, v in cpu.items() if k[1] == n)):
        ns = sum(v for k, v in cpu.items() if k[1] == name)
        if ns == 0:
            continue
        by_kind = " ".join(f"{sum(v for k, v in cpu.items() if k[1] == name and k[2] == kind) / 1e9 / seconds:12.3f}" for kind in kinds)
        per_node = " ".join(f"{sum(v for k, v in cpu.items() if k[1] == name and k[0] == n) / 1e9 / seconds:.3f}" for n in nodes)
        print(f"{name:<70} {ns / 1e9 / seconds:7.3f} {100 * ns / total:5.1f}%   {by_kind}   {per_node}")
    by_kind = " ".join(f"{sum(v for k, v in cpu.items() if k[2] == kind) / 1e9 / seconds:12.3f}" for kind in kinds)
    print(f"{'all':<70} {total / 1e9 / seconds:7.3f} {100.0:5.1f}%   {by_kind}")
    for name in names if detail else []:
        print(f"\n{name}: top leaf frames  <=  first managed frame")
        for frame, ns in leaves[name].most_common(15):
            print(f"  {ns / 1e9 / seconds:6.3f}  {frame}")


if __name__ == "__main__":
    main()
