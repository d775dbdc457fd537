# Benchmark helpers for dom0 (busybox ash), sourced by the bench-* scenarios and by crash.sh
# after /e2e/lib.sh. Every figure is one line the host parses (tools/bench/load-bench.sh):
#   E2E-BENCH: NAME wall_s=S rss_kb=K minflt=F rc=N     (bench)
#   E2E-BENCH-BUF: NAME bytes=B                (hypercall_bytes: what the plan puts in buffers)
# Wall time, peak RSS and minor page faults come from GNU time (/opt/bench/time: getrusage of
# the child, ru_maxrss and ru_minflt as the kernel reports them; the fault count does not
# depend on how busy the host is, the wall time does). Hypercall buffers do not show in ru_maxrss, so their size is
# counted from the plan instead.

# coreutils' sha256sum and cat (build-initramfs.sh copies them to /opt/bench): the baselines
# of "one SHA-256 pass" and "one read" of the same bytes.
SHA256SUM=/opt/bench/sha256sum
CAT=/opt/bench/cat

# bench NAME CMD...: CMD's stdout and stderr go to /tmp/bench.out (its first lines reach the
# console when it fails); prints the E2E-BENCH line, leaves the figures in _s and _kb and
# returns CMD's status.
bench() {
  _name=$1; shift
  /opt/bench/time -f '%e %M %R' -o /tmp/bench-time.txt "$@" > /tmp/bench.out 2>&1
  _rc=$?
  # GNU time puts "Command exited with non-zero status N" before the figures when N != 0.
  _s=$(tail -n 1 /tmp/bench-time.txt | cut -d' ' -f1)
  _kb=$(tail -n 1 /tmp/bench-time.txt | cut -d' ' -f2)
  _flt=$(tail -n 1 /tmp/bench-time.txt | cut -d' ' -f3)
  echo "E2E-BENCH: $_name wall_s=$_s rss_kb=$_kb minflt=$_flt rc=$_rc"
  [ "$_rc" = 0 ] || head -n 5 /tmp/bench.out
  return $_rc
}

# random_initrd FILE MIB_OR_KIB: FILE of random bytes ("64M" or "1024K"); an initrd only has to
# be bytes for a load that never boots it.
random_initrd() {
  case $2 in
    *M) dd if=/dev/urandom of="$1" bs=1048576 count="${2%M}" 2>/dev/null ;;
    *K) dd if=/dev/urandom of="$1" bs=1024 count="${2%K}" 2>/dev/null ;;
  esac
}

# hypercall_bytes NAME ARGS...: the bytes `load ARGS` puts in hypercall buffers, summed from
# the dry-run plan's segments (bufSize), as "E2E-BENCH-BUF: NAME bytes=B".
hypercall_bytes() {
  _name=$1; shift
  _b=$("$TOOL" load --dry-run --json "$@" 2>/dev/null | awk -F': ' '/"bufSize"/ { gsub(/[ ,]/, "", $2); s += $2 } END { print s + 0 }')
  echo "E2E-BENCH-BUF: $_name bytes=$_b"
}

# The two loaders on KERNEL + initrd $1, crash slot; $2 is the figure's size label.
bench_peer_crash() {
  bench "kexec-tools-crash-$2" kexec -p "$KERNEL" --initrd="$1" --append="$CRASH_CMDLINE_BASE"
}
bench_ours_crash() {
  bench "xen-kexec-load-crash-$2" "$TOOL" load "$KERNEL" --initrd "$1" --type crash --command-line "$CRASH_CMDLINE_BASE"
}
