#!/usr/bin/env python3
"""The load benchmark's table, from the serial logs of the bench-* scenarios.

    tools/bench/bench-table.py LOG...

Each log holds the dom0 lines of tools/e2e/guest/bench.sh:
    E2E-BENCH: NAME wall_s=S rss_kb=K rc=N
    E2E-BENCH-BUF: NAME bytes=B
    E2E-BENCH-RSS: NAME rss_kb=R anon_kb=A file_kb=F shmem_kb=S samples=N rc=C
Prints one Markdown table: per command the median wall time over its runs, the ratio of that
median to kexec-tools' median in the same boot (same slot, same initrd), the ratio to coreutils
sha256sum of the same bytes in the same boot, the largest peak RSS (getrusage ru_maxrss of the
child, as GNU time reports it), and dom0 memory = that RSS + the bytes the plan puts in
hypercall buffers (which ru_maxrss does not count); where the log has them, what the peak RSS
of each 64 MiB load is made of. Then the issue's goals, met or missed.
"""
import re
import statistics
import sys

BENCH = re.compile(r"E2E-BENCH: (\S+) wall_s=(\S*) rss_kb=(\S*)(?: minflt=(\S*))? rc=(\d+)")
BUF = re.compile(r"E2E-BENCH-BUF: (\S+) bytes=(\d+)")
RSS = re.compile(r"E2E-BENCH-RSS: (\S+) rss_kb=(\d+) anon_kb=(\d+) file_kb=(\d+) shmem_kb=(\d+) samples=(\d+) rc=(\d+)")
SIZES = {"1M": 1 << 20, "64M": 64 << 20}   # the initrds bench.sh makes
INFO = re.compile(r"E2E: bench initrds ready: (.*)")

# name -> (what the row says, the kexec-tools row it is compared with, the buffer plan name)
def describe(name):
    m = re.match(r"(kexec-tools|xen-kexec-load)-(crash|efi|unload|dry-run)-(\w+)$", name)
    if m and m.group(3) == "none":   # bench-startup: unload with nothing loaded
        return {"kexec-tools": "kexec-tools `kexec -p -u`", "xen-kexec-load": "`xen-kexec-load unload`"}[m.group(1)] + \
            " (nothing loaded)", "", "kexec-tools-unload-none", None, None
    if m:
        who, what, size = m.groups()
        label = {
            ("kexec-tools", "crash"): "kexec-tools `kexec -p`",
            ("kexec-tools", "unload"): "kexec-tools `kexec -p -u`",
            ("xen-kexec-load", "crash"): "`xen-kexec-load load --type crash`",
            ("xen-kexec-load", "efi"): "`xen-kexec-load load --efi`",
            ("xen-kexec-load", "dry-run"): "`xen-kexec-load load --dry-run --type crash`",
            ("xen-kexec-load", "unload"): "`xen-kexec-load unload`",
        }[(who, what)]
        ref = f"kexec-tools-unload-{size}" if what == "unload" else f"kexec-tools-crash-{size}"
        buf = {"crash": f"crash-{size}", "efi": f"efi-{size}"}.get(what) if who == "xen-kexec-load" else None
        return label, size, ref, f"sha256sum-{size}" if what != "unload" else None, buf
    m = re.match(r"(sha256sum|cat)-(\w+)$", name)
    if m:
        return f"coreutils `{m.group(1)}` of kernel + initrd", m.group(2), None, f"sha256sum-{m.group(2)}", None
    small = {
        "xen-kexec-load-status": ("`xen-kexec-load status` (nothing loaded)", "kexec-tools-status"),
        "kexec-tools-status": ("kexec-tools `kexec -S -p`", "kexec-tools-status"),
        "xen-kexec-load-range": ("`xen-kexec-load range`", None),
        "xen-kexec-load-version": ("`xen-kexec-load --version`", None),
    }
    label, ref = small.get(name, (name, None))
    return label, "", ref, None, None


def parse(path):
    runs, bufs, info, faults = {}, {}, "", {}
    with open(path, errors="replace") as f:
        for line in f:
            line = line.replace("\r", "")
            if m := BENCH.search(line):
                name, s, kb, flt, rc = m.groups()
                if rc == "0" or name == "xen-kexec-load-status" and rc == "3" or name == "kexec-tools-status":
                    runs.setdefault(name, []).append((float(s), int(kb or 0)))
                    faults.setdefault(name, []).append(int(flt) if flt and flt.isdigit() else None)
            elif m := BUF.search(line):
                bufs[m.group(1)] = int(m.group(2))
            elif m := INFO.search(line):
                info = m.group(1).strip()
    return runs, bufs, info, faults


def mib(n):
    return f"{n / 1048576:.1f}"


def table(path):
    runs, bufs, info, faults = parse(path)
    boot = path.rsplit("/", 1)[-1].removesuffix(".log")
    med = {k: statistics.median(s for s, _ in v) for k, v in runs.items()}
    print(f"\n### {boot}\n\n{info}\n")
    print("| command | initrd | median wall s (runs) | × kexec-tools | × sha256sum | peak RSS MiB | dom0 memory MiB (RSS + hypercall buffers) | minor faults |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    rank = ["kexec-tools-crash", "xen-kexec-load-crash", "xen-kexec-load-efi", "xen-kexec-load-dry-run",
            "sha256sum", "cat", "kexec-tools-unload", "xen-kexec-load-unload", "kexec-tools-status",
            "xen-kexec-load-status", "kexec-tools-unload-none", "xen-kexec-load-unload-none",
            "xen-kexec-load-range", "xen-kexec-load-version"]
    def key(n):
        size = describe(n)[1]
        stem = n[: -len(size) - 1] if size else n
        return (size == "", size != "1M", rank.index(stem) if stem in rank else len(rank), n)
    order = sorted(runs, key=key)
    for name in order:
        label, size, ref, sha, buf = describe(name)
        walls = ", ".join(f"{s:.2f}" for s, _ in runs[name])
        rss = max(kb for _, kb in runs[name]) * 1024
        x_ref = f"{med[name] / med[ref]:.2f}" if ref in med and med[ref] > 0 else ""
        x_sha = f"{med[name] / med[sha]:.2f}" if sha in med and med[sha] > 0 else ""
        mem = f"{mib(rss + bufs[buf])} ({mib(rss)} + {mib(bufs[buf])})" if buf in bufs else ""
        flt = [f for f in faults.get(name, []) if f is not None]
        flt = f"{statistics.median(flt):.0f}" if flt else ""
        print(f"| {label} | {size} | **{med[name]:.2f}** ({walls}) | {x_ref} | {x_sha} | {mib(rss)} | {mem} | {flt} |")
    k = re.search(r"kernel (\d+) bytes", info)
    parts = rss_parts(path)
    if parts:
        print("\nThe peak RSS of one more (untimed) run of each, sampled every 20 ms from /proc/PID/status (kB):\n")
        print("| command | initrd | largest VmRSS | RssAnon | RssFile | RssShmem | samples |")
        print("| --- | --- | --- | --- | --- | --- | --- |")
        for name, (r, a, f, sh, n) in parts.items():
            label, size = describe(name)[:2]
            print(f"| {label} | {size} | {r} | {a} | {f} | {sh} | {n} |")
    return boot, med, runs, bufs, int(k.group(1)) if k else 0, parts


def rss_parts(path):
    parts = {}
    with open(path, errors="replace") as f:
        for line in f:
            if (m := RSS.search(line.replace("\r", ""))) and m.group(7) == "0":
                parts[m.group(1)] = tuple(int(m.group(i)) for i in range(2, 7))
    return parts


GUARD = 0.75   # the crash load of kernel + 64 MiB against kexec-tools' in the same boot, every CPU model


def goals(results):
    """Prints the goals and returns the guards that failed."""
    print("\n### Goals\n")
    failed = []
    for boot, med, runs, bufs, kernel, parts in results:
        def ratio(a, b):
            return med[a] / med[b] if a in med and b in med and med[b] > 0 else None
        for size in ("64M",):
            r = ratio(f"xen-kexec-load-crash-{size}", f"kexec-tools-crash-{size}")
            if r is not None:
                print(f"- {boot}: crash load {size}: {r:.2f}× kexec-tools (guard ≤ {GUARD}×: {'met' if r <= GUARD else 'FAILED'})")
                if r > GUARD:
                    failed.append(f"{boot}: crash load {size} {r:.2f}× kexec-tools")
            d = ratio(f"xen-kexec-load-dry-run-{size}", f"xen-kexec-load-crash-{size}")
            if d is not None:
                print(f"- {boot}: dry-run {size}: {d:.2f}× load (goal ≤ 1×: {'met' if d <= 1 else 'missed'})")
            e = ratio(f"xen-kexec-load-efi-{size}", f"kexec-tools-crash-{size}")
            if e is not None:
                print(f"- {boot}: load --efi {size}: {e:.2f}× kexec-tools' classic load (reported, no goal: Xen hashes the payload in the hypercall)")
            name = f"xen-kexec-load-crash-{size}"
            if name in runs and f"crash-{size}" in bufs and kernel:
                rss = max(kb for _, kb in runs[name]) * 1024
                payload = kernel + SIZES[size]
                over = (rss + bufs[f"crash-{size}"] - payload) / 1048576
                print(f"- {boot}: dom0 memory {size}: RSS + hypercall buffers = payload + {over:.1f} MiB (an upper bound: ru_maxrss holds part of the buffers)")
                if name in parts:
                    _, anon, _, shmem, _ = parts[name]
                    over = (bufs[f"crash-{size}"] + (anon + shmem) * 1024 - payload) / 1048576
                    print(f"- {boot}: dom0 memory {size}: hypercall buffers + RssAnon + RssShmem (sampled) = payload + {over:.1f} MiB, "
                          f"{shmem / 1024:.1f} MiB of it the executable's pages (goal ≤ payload + 16 MiB: {'met' if over <= 16 else 'missed'})")
        for ours, theirs, what in (("xen-kexec-load-unload-1M", "kexec-tools-unload-1M", "unload (1M armed)"),
                                   ("xen-kexec-load-unload-none", "kexec-tools-unload-none", "unload (nothing armed)"),
                                   ("xen-kexec-load-status", "kexec-tools-status", "status")):
            u = ratio(ours, theirs)
            if u is not None:
                lo = min(s for s, _ in runs[ours]) / min(s for s, _ in runs[theirs])
                print(f"- {boot}: {what}: {u:.2f}× kexec-tools ({med[ours]:.2f} s vs {med[theirs]:.2f} s; "
                      f"fastest runs {lo:.2f}×; goal ≤ 3×: {'met' if u <= 3 else 'missed'})")
    return failed


if __name__ == "__main__":
    results = [table(p) for p in sys.argv[1:]]
    failed = goals(results)
    if failed:
        print(f"\nbench-table: guard failed (load ≤ {GUARD}× kexec-tools): " + "; ".join(failed))
        sys.exit(1)
