# Helpers for scenario scripts inside dom0 (busybox ash); sourced by /init.
# Every line meant for the judge starts with "E2E: " (or "E2E-FIGURE: ").
. /e2e/env.sh            # CRASH_CMDLINE, written by build-initramfs.sh

TOOL=/usr/bin/xen-kexec-load
FIDELITY=/usr/bin/xen-kexec-fidelity   # test-only: the differential test of XenRules, fault-load
KERNEL=/boot/vmlinuz-crash
INITRD=/boot/initrd-crash.gz

mark() { echo "E2E: $*"; }
fail() { echo "E2E: FAIL $*"; }
uptime_s() { cut -d' ' -f1 /proc/uptime; }

# run LABEL CMD...: run CMD with its output on the console, then print
# "E2E: LABEL rc=N"; returns CMD's status.
run() {
  _label=$1; shift
  "$@" 2>&1
  _rc=$?
  mark "$_label rc=$_rc"
  return $_rc
}

# expect WANT LABEL CMD...: like run, and a FAIL marker if the status differs.
expect() {
  _want=$1; shift
  run "$@"
  _rc=$?
  [ "$_rc" = "$_want" ] || fail "$1: rc=$_rc, expected $_want"
  return $_rc
}

# capture FILE LABEL CMD...: CMD's stdout into FILE (its stderr on the console),
# then "E2E: LABEL rc=N"; returns CMD's status.
capture() {
  _file=$1 _label=$2; shift 2
  "$@" > "$_file"
  _rc=$?
  mark "$_label rc=$_rc"
  return $_rc
}

# show_file NAME FILE: FILE on the console between "E2E: BEGIN NAME" and
# "E2E: END NAME sha256=... newline=yes|no", so the host can take it back out of the
# serial log byte for byte (tools/e2e/extract-file.sh checks the hash).
show_file() {
  echo "E2E: BEGIN $1"
  cat "$2"
  _nl=no
  if [ "$(tail -c 1 "$2" | od -An -c | tr -d ' ')" = '\n' ]; then _nl=yes
  elif [ -s "$2" ]; then echo   # keep the END marker on a line of its own
  fi
  echo "E2E: END $1 sha256=$(sha256sum < "$2" | cut -d' ' -f1) newline=$_nl"
}

# measure NAME CMD...: run CMD (a program or one of the load_* functions below)
# under GNU time (/opt/bench/time, in the bookworm dom0 image) or else busybox time, and print
# its wall time and peak RSS as "E2E-FIGURE: NAME load_s=S rss_kb=K rc=N"; returns CMD's
# status. Bookworm's busybox 1.35 `time -v` prints ru_maxrss four times too large (it converts
# the kilobytes as if they were pages; trixie's 1.37 does not), hence GNU time there.
TIMED=""   # the load_* functions run their loader through this prefix
measure() {
  _name=$1; shift
  if [ -x /opt/bench/time ]; then
    TIMED="/opt/bench/time -f %e,%M -o /tmp/time.txt"
    "$@"
    _rc=$?
    TIMED=""
    _s=$(tail -n 1 /tmp/time.txt | cut -d, -f1)
    _kb=$(tail -n 1 /tmp/time.txt | cut -d, -f2)
  else
    TIMED="time -v -o /tmp/time.txt"
    "$@"
    _rc=$?
    TIMED=""
    # busybox prints the wall time as "Elapsed (...): 0m 1.60s".
    _s=$(awk -F': ' '/Elapsed/ { split($2, t, "m "); sub("s", "", t[2]); print t[1] * 60 + t[2] }' /tmp/time.txt)
    _kb=$(awk -F': ' '/Maximum resident/ { print $2 }' /tmp/time.txt)
  fi
  echo "E2E-FIGURE: $_name load_s=$_s rss_kb=$_kb rc=$_rc"
  return $_rc
}

# need_tool: fail the scenario early and clearly when the tool is not in the image.
need_tool() {
  [ -x "$TOOL" ] && return 0
  fail "xen-kexec-load is not in this initramfs (it did not build)"
  return 1
}

# need_fidelity: the same for the test-only xen-kexec-fidelity (NEEDS_FIDELITY=yes scenarios).
need_fidelity() {
  [ -x "$FIDELITY" ] && return 0
  fail "xen-kexec-fidelity is not in this initramfs (it did not build)"
  return 1
}

# The crash image every scenario arms: the real Debian bzImage with the crash
# initramfs. e2e_loader= tells the log which loader armed the kernel that booted.
load_ours() {   # load_ours [EXTRA ARGS...]
  $TIMED "$TOOL" load "$KERNEL" --initrd "$INITRD" --type crash \
    --command-line "$CRASH_CMDLINE e2e_loader=xen-kexec-load" "$@"
}
load_peer() {   # kexec-tools, the reference implementation
  $TIMED kexec -p "$KERNEL" --initrd="$INITRD" --append="$CRASH_CMDLINE e2e_loader=kexec-tools"
}

# load_embedded_efi LABEL FILE: `load --efi` of an image that carries its own initrd and
# command line (the ELF envelope, a UKI): inspect it, load it with only the
# e2e_xen_ram=/e2e_xen_crash= words appended (init-dom0.sh), check it is armed, panic.
load_embedded_efi() {
  run "inspect $1" "$TOOL" inspect "$2"
  expect 0 "load $1" "$TOOL" load "$2" --efi --append "$XEN_RAM_WORDS" || return 1
  status_is 0 crash
  panic
}

# status_is WANT TYPE: the tool's status exit code (0 loaded, 3 not loaded) must be
# WANT; also shows Xen's own slot bit through kexec-tools (-S), for the record.
status_is() {
  expect "$1" "status $2" "$TOOL" status --type "$2"
  _rc=$?
  if [ "$2" = crash ]; then kexec -S -p; else kexec -S; fi
  mark "xen status bit via kexec -S ($2) = $?"
  return $_rc
}

# panic: crash dom0 the way a real kernel bug would; Xen then runs the crash image.
panic() {
  mark "panic now (uptime $(uptime_s)s)"
  echo 1 > /proc/sys/kernel/sysrq
  echo c > /proc/sysrq-trigger
  sleep 30
  fail "still alive 30 s after the panic"
}
