# The dump scenarios' shared steps (dump-dom0-panic-guest, dump-xen-panic-guest;
# docs/dumps.md). Sourced by the scenario file: in dom0 from /e2e/dump-lib.sh (the disk
# dom0, bash), on the host from tools/e2e/guest/dump-lib.sh (run-scenario.sh's host_check).

GUEST_NAME=e2eguest
# The guest's memory (xl's memory=, MiB) and how much of it the seeded pattern fills; the
# dump-cost benchmarks (bench-dump-*) set them before reading their scenario file.
GUEST_MEM=${GUEST_MEM:-128}
GUEST_MIB=${GUEST_MIB:-16}

# Both scenarios' markers: boot 1 up to the crash (DUMP_BEFORE_EXPECT), then, after the
# crash's own line, the dump and boot 2 (DUMP_AFTER_EXPECT).
DUMP_BEFORE_EXPECT="E2E: disk dom0 up: boot 1
E2E: is-active rc=0
E2E: status crash rc=0
E2E: guest seed
E2E: xl create rc=0
E2E: guest up: guest-marker: filled $GUEST_MIB MiB
E2E: dom0 marker
E2E: dom0 tasks before the crash:"
DUMP_AFTER_EXPECT='E2E: crash kernel: /proc/vmcore guest-marker: found
saved vmcore in /var/crash
E2E: disk dom0 up: boot 2
E2E: is-active rc=0
E2E: status crash rc=0
E2E: crash kernel journal: xen-kexec-load: Xen dump: MAKEDUMP_ARGS="-X -E -d 31"
E2E: figures: crash to dump saved
E2E: dump file'

# dump_boot_one: boot 1 up to the crash: the package's unit armed the crash kernel, the
# guest fills its memory (1 when it does not), dom0 writes its marker and counts its tasks.
dump_boot_one() {
  expect 0 is-active systemctl is-active xen-kexec-load.service
  run is-system-running systemctl is-system-running --wait
  expect 0 "status crash" "$TOOL" status --type crash
  dump_start_guest || return 1
  dump_dom0_marker
  dump_before_crash
  return 0
}

# --- dom0, boot 1 -------------------------------------------------------------------

# Start the PV guest with a fresh seed and wait until it has filled its memory. The seed
# goes to the serial log (the host regenerates the pattern from it) and to
# /var/lib/e2e-guest-seed (the crash kernel's control count); the pattern itself is only
# ever in the guest's memory.
dump_start_guest() {
  # Debian's /etc/init.d/xen gives xenstored 30 s to answer and fails the unit otherwise,
  # which a TCG dom0 on a busy host can miss at boot; xenstored then runs, and a second start
  # goes on to xenconsoled.
  for _ in 1 2 3; do
    systemctl is-active --quiet xen.service && break
    systemctl start xen.service || journalctl -b -u xen.service --no-pager -o cat | tail -n 3 | sed 's/^/E2E: xen.service: /'
  done
  xl list >/dev/null 2>&1 || { fail "xl list fails: no toolstack ($(xl list 2>&1 | tail -n 1))"; return 1; }
  seed=$(od -An -tx8 -N8 /dev/urandom | tr -d ' \n')
  cat > /run/e2e-guest.cfg <<EOF
name = "$GUEST_NAME"
type = "pv"
kernel = "/boot/vmlinuz-$(uname -r)"
ramdisk = "/e2e/guest/initrd.gz"
memory = $GUEST_MEM
vcpus = 1
extra = "console=hvc0 quiet xkgm_seed=$seed xkgm_mib=$GUEST_MIB"
on_crash = "preserve"
EOF
  echo "$seed" > /var/lib/e2e-guest-seed
  sync
  mark "guest seed $seed"
  expect 0 "xl create" xl create /run/e2e-guest.cfg || return 1
  glog=/var/log/xen/console/guest-$GUEST_NAME.log
  for _ in $(seq 1 600); do
    if grep -q 'guest-marker: filled' "$glog" 2>/dev/null; then
      mark "guest up: $(grep -a 'guest-marker: filled' "$glog" | tail -n 1 | tr -d '\r')"
      mark "xl list: $(xl list | awk -v n="$GUEST_NAME" '$1 == n { printf "%s id %s mem %s MiB state %s", $1, $2, $3, $5 }')"
      return 0
    fi
    sleep 1
  done
  fail "the guest did not fill its memory in 600 s; its console: $(tail -n 5 "$glog" 2>/dev/null | tr -d '\r' | tr '\n' '|')"
  return 1
}

# A line only dom0's kernel holds (its log buffer), for the dump's "dom0 is in it" check.
dump_dom0_marker() {
  dm="xen-kexec-e2e-dom0-marker-$(od -An -tx8 -N8 /dev/urandom | tr -d ' \n')"
  echo "$dm" > /dev/kmsg
  mark "dom0 marker $dm"
}

# Every task dom0 has now (threads included), counted by bash without forking, as `crash`'s
# `ps` lists them besides the idle task. Also the panic's wall-clock time, for the figures.
dump_before_crash() {
  local t p
  echo "$(date +%s.%N)" > /var/lib/e2e-crash-at
  sync
  t=(/proc/[0-9]*/task/[0-9]*)
  p=(/proc/[0-9]*)
  mark "dom0 tasks before the crash: ${#t[@]} (processes: ${#p[@]})"
}

# --- dom0, boot 2 -------------------------------------------------------------------

dump_boot_two() {
  expect 0 is-active systemctl is-active xen-kexec-load.service
  run is-system-running systemctl is-system-running --wait
  expect 0 "status crash" "$TOOL" status --type crash
  journalctl -b -1 -u kdump-tools-dump.service --no-pager -o cat 2>/dev/null | sed 's/^/E2E: crash kernel journal: /'
  d=$(ls -d /var/crash/2* 2>/dev/null | tail -n 1)
  [ -n "$d" ] || { fail "no /var/crash/<timestamp> directory"; return 1; }
  mark "dump directory $d: $(ls -l "$d" | awk 'NR > 1 { printf "%s %s; ", $9, $5 }')"
  # The figures (docs/dumps.md): crash -> dump saved (kdump-tools' journal line) -> host
  # back up (the unit armed the crash kernel again in this boot).
  at=$(cat /var/lib/e2e-crash-at 2>/dev/null)
  saved=$(journalctl -b -1 -u kdump-tools-dump.service --no-pager -o short-unix 2>/dev/null | grep -F 'saved vmcore in' | tail -n 1 | cut -d' ' -f1)
  up=$(journalctl -b 0 -u xen-kexec-load.service --no-pager -o short-unix 2>/dev/null | grep -F 'loaded crash image' | tail -n 1 | cut -d' ' -f1)
  if [ -n "$at" ] && [ -n "$saved" ] && [ -n "$up" ]; then
    mark "figures: crash to dump saved $(awk -v a="$at" -v b="$saved" 'BEGIN { printf "%.0f", b - a }') s, crash to host armed again $(awk -v a="$at" -v b="$up" 'BEGIN { printf "%.0f", b - a }') s"
  else
    mark "figures: missing a time (crash at '$at', saved '$saved', armed '$up')"
  fi
  f=$(ls "$d"/dump.* 2>/dev/null | head -n 1)
  [ -n "$f" ] || { fail "no dump.* in $d"; return 1; }
  [ "$(head -c 12 "$f")" = makedumpfile ] || { fail "$f is not makedumpfile's flattened output"; return 1; }
  mark "dump file $f: $(stat -c %s "$f") bytes; host RAM $(xl info | awk '$1 == "total_memory" { print $3 }') MiB, dom0 $(xl list 0 | awk 'NR == 2 { print $3 }') MiB"
  rm -f /var/lib/e2e-guest-seed /var/lib/e2e-crash-at
}

# --- host ---------------------------------------------------------------------------

# dump_host_check NAME LOG: read the saved dump from the scenario's disk copy (debugfs, no
# mount), rebuild it (makedumpfile -R) and check it: the guest's pattern is absent (while
# the crash kernel's count shows it was in /proc/vmcore), dom0's marker line and Xen's
# banner are present. Leaves the rebuilt dump in $LOGS/NAME.dump and its path in DUMP.
dump_host_check() {
  local name=$1 logf=$2 img dir file seed digest want count dm
  img="$LOGS/$name.disk.img"
  dir=$(debugfs -R 'ls -p /var/crash' "$img" 2>/dev/null | awk -F/ '$6 ~ /^2/ { print $6 }' | tail -n 1)
  [ -n "$dir" ] || { echo "no /var/crash/<timestamp> on $img"; return 1; }
  file=$(debugfs -R "ls -p /var/crash/$dir" "$img" 2>/dev/null | awk -F/ '$6 ~ /^dump\./ { print $6 }' | head -n 1)
  [ -n "$file" ] || { echo "no dump.* in /var/crash/$dir on $img"; return 1; }
  rm -f "$LOGS/$name.dump.flat" "$LOGS/$name.dump"
  debugfs -R "dump /var/crash/$dir/$file $LOGS/$name.dump.flat" "$img" >/dev/null 2>&1
  makedumpfile -R "$LOGS/$name.dump" < "$LOGS/$name.dump.flat" >/dev/null 2>&1 \
    || { echo "makedumpfile -R could not rebuild /var/crash/$dir/$file"; return 1; }
  rm -f "$LOGS/$name.dump.flat"
  DUMP="$LOGS/$name.dump"
  [ "$(head -c 4 "$DUMP")" = "$(printf '\177ELF')" ] || { echo "the rebuilt dump is not ELF (makedumpfile -E): $(head -c 8 "$DUMP" | od -c | head -n 1)"; return 1; }
  echo "dump /var/crash/$dir/$file rebuilt: $(stat -c %s "$DUMP") bytes (ELF)"
  seed=$(tr -d '\r' < "$logf" | sed -n 's/.*E2E: guest seed \([0-9a-f]*\).*/\1/p' | tail -n 1)
  [ -n "$seed" ] || { echo "no guest seed in $logf"; return 1; }
  # The guest filled exactly the pattern of this seed.
  digest=$("$OUT/guest-marker" digest "$seed" "$GUEST_MIB" | awk '{ print $NF }')
  grep -qF "digest $digest" "$logf" || { echo "the guest's digest is not $digest (the pattern of seed $seed)"; return 1; }
  # The control: the crash kernel found the pattern in /proc/vmcore.
  want=$(tr -d '\r' < "$logf" | sed -n 's/.*E2E: crash kernel: \/proc\/vmcore guest-marker: found \([0-9]*\) of.*/\1/p' | tail -n 1)
  [ -n "$want" ] && [ "$want" -gt 0 ] || { echo "the crash kernel did not find the guest's pattern in /proc/vmcore ('${want:-no count}')"; return 1; }
  count=$("$OUT/guest-marker" find "$seed" "$GUEST_MIB" "$DUMP" | sed -n 's/.*found \([0-9]*\) of.*/\1/p')
  [ "$count" = 0 ] || { echo "the guest's pattern IS in the dump: $count pages"; return 1; }
  echo "guest pattern: $want of $((GUEST_MIB * 256)) pages in /proc/vmcore, 0 in the dump"
  dm=$(tr -d '\r' < "$logf" | sed -n 's/.*E2E: dom0 marker \(xen-kexec-e2e-dom0-marker-[0-9a-f]*\).*/\1/p' | tail -n 1)
  [ -n "$dm" ] || { echo "no dom0 marker in $logf"; return 1; }
  grep -qaF "$dm" "$DUMP" || { echo "dom0's marker $dm is not in the dump"; return 1; }
  grep -qaF "Xen version 4.17" "$DUMP" || { echo "Xen's banner 'Xen version 4.17' is not in the dump"; return 1; }
  echo "dom0's marker and Xen's banner are in the dump"
}

# The disk dom0's kernel release (tools/e2e/build-disk.sh keeps it beside the base) and
# its debug vmlinux, cached by fetch-debug-vmlinux.sh.
dump_vmlinux() {
  local ver
  ver=$(cat "$E2E"/disk/base-*/kernel-version 2>/dev/null | head -n 1)
  [ -n "$ver" ] || return 1
  echo "$XEN_KEXEC_CACHE/dbg/$ver/vmlinux"
}

# dump_crash NAME VMLINUX DUMP COMMANDS...: run Debian's crash in batch mode, output in
# $LOGS/NAME.crash.txt.
dump_crash() {
  local name=$1 vmlinux=$2 dump=$3; shift 3
  printf '%s\n' "$@" quit > "$LOGS/$name.crash.in"
  timeout 300 crash -s -i "$LOGS/$name.crash.in" "$vmlinux" "$dump" > "$LOGS/$name.crash.txt" 2>&1 < /dev/null
}

# dom0's panic read back by crash with dom0's debug vmlinux: bt through sysrq_handle_crash,
# the panic line in log, and the processes dom0 counted before the panic in the kernel's
# task list (crash's `list task_struct.tasks` from init_task, which crash adds as the list
# head; kernel threads may come or go between the count and the panic, so up to 3 apart).
# crash's own `ps` is reported beside it: Debian's crash 8.0.2 gathers its task table from
# the PID xarray reading SIZE(pid) bytes of each struct pid, and this kernel's pid.numbers[]
# is a flexible array (Linux include/linux/pid.h), so pid.numbers[0].ns is read past that
# buffer, matches no namespace and every task is dropped (crash task.c
# refresh_xarray_task_table; crash 8.0.4 reads SIZE(upid) more): ps lists the idle and the
# active task only, with "not found in PID hash" (docs/dumps.md).
dump_crash_check_dom0() {
  local name=$1 logf=$2 vmlinux tasks procs listed walked out init_task
  vmlinux=$(dump_vmlinux) && [ -s "$vmlinux" ] || { echo "no debug vmlinux for the disk dom0's kernel ($vmlinux): tools/e2e/fetch-debug-vmlinux.sh"; return 1; }
  init_task=$(nm "$vmlinux" 2>/dev/null | awk '$3 == "init_task" { print $1; exit }')
  dump_crash "$name" "$vmlinux" "$DUMP" "bt" "log" "ps" "list task_struct.tasks -h 0x$init_task" || true
  out="$LOGS/$name.crash.txt"
  grep -q 'sysrq_handle_crash' "$out" || { echo "crash: bt does not reach sysrq_handle_crash ($out): $(head -c 300 "$out")"; return 1; }
  grep -qF 'Kernel panic - not syncing: sysrq triggered crash' "$out" || { echo "crash: log has no panic line ($out)"; return 1; }
  tasks=$(tr -d '\r' < "$logf" | sed -n 's/.*E2E: dom0 tasks before the crash: \([0-9]*\) (processes: \([0-9]*\)).*/\1/p' | tail -n 1)
  procs=$(tr -d '\r' < "$logf" | sed -n 's/.*E2E: dom0 tasks before the crash: \([0-9]*\) (processes: \([0-9]*\)).*/\2/p' | tail -n 1)
  [ -n "$tasks" ] && [ -n "$procs" ] || { echo "no task count in $logf"; return 1; }
  # ps lines: "  PID  PPID  CPU  TASK  ST  %MEM  VSZ  RSS  COMM", ">" marking active tasks
  # (no regex interval: Debian's awk is mawk).
  listed=$(awk '$1 == ">" { $1 = "" ; $0 = $0 } $1 ~ /^[0-9]+$/ && $4 ~ /^[0-9a-f]+$/ && length($4) == 16' "$out" | wc -l)
  walked=$(grep -cE '^ffff[0-9a-f]{12}$' "$out")
  [ "$walked" -ge $((procs + 1 - 3)) ] && [ "$walked" -le $((procs + 1 + 3)) ] \
    || { echo "crash: the task list from init_task has $walked entries, dom0 had $procs processes (+ init_task expected) ($out)"; return 1; }
  if [ "$listed" = $((tasks + 1)) ] && ! grep -q 'not found in PID hash' "$out"; then
    echo "crash: bt through sysrq_handle_crash, log has the panic line, ps lists $listed tasks (dom0 counted $tasks + the idle task), the task list $walked"
  else
    echo "crash: bt through sysrq_handle_crash, log has the panic line, the task list holds $walked entries for dom0's $procs processes (+ init_task); crash's ps lists $listed of $((tasks + 1))$(grep -m1 -o 'active task .* not found in PID hash' "$out" | sed 's/^/ (/; s/$/)/')"
  fi
}
