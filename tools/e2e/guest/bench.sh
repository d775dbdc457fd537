# Benchmark helpers for dom0 (busybox ash), sourced by the bench-* scenarios and by crash.sh
# after /e2e/lib.sh. Every figure is one line the host parses (tools/bench/load-bench.sh):
#   E2E-BENCH: NAME wall_s=S rss_kb=K minflt=F rc=N     (bench)
#   E2E-BENCH-BUF: NAME bytes=B                (hypercall_bytes: what the plan puts in buffers)
#   E2E-BENCH-RSS: NAME rss_kb=R anon_kb=A file_kb=F shmem_kb=S samples=N rc=C   (bench_rss)
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

# bench_rss NAME CMD...: runs CMD once more, untimed, and reads /proc/PID/status every 20 ms
# while it runs: the largest VmRSS seen and the largest of each part of it (RssAnon: its
# own memory; RssFile: file pages it maps, the binary's included; RssShmem), in kB. Says
# what makes up the peak that GNU time reports; the sampling costs CPU, so it is never in a
# timed run.
bench_rss() {
  _name=$1; shift
  "$@" > /tmp/bench-rss.out 2>&1 &
  _pid=$!
  _r=0; _a=0; _f=0; _sh=0; _n=0
  while _line=$(awk '/^State:/ { st = $2 } /^VmRSS:/ { r = $2 } /^RssAnon:/ { a = $2 } /^RssFile:/ { f = $2 }
                    /^RssShmem:/ { s = $2 } END { if (st == "" || st == "Z") exit 1; print r + 0, a + 0, f + 0, s + 0 }' \
                  "/proc/$_pid/status" 2>/dev/null); do
    set -- $_line
    [ "$1" -gt "$_r" ] && _r=$1
    [ "$2" -gt "$_a" ] && _a=$2
    [ "$3" -gt "$_f" ] && _f=$3
    [ "$4" -gt "$_sh" ] && _sh=$4
    _n=$((_n + 1))
    usleep 20000
  done
  wait "$_pid"
  _rc=$?
  echo "E2E-BENCH-RSS: $_name rss_kb=$_r anon_kb=$_a file_kb=$_f shmem_kb=$_sh samples=$_n rc=$_rc"
  return $_rc
}
