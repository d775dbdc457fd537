# fault-kill-load: `kill -9` of `xen-kexec-load load` (the crash kernel + a 64 MiB initrd) at
# 20 random points of the load in one dom0 boot, `status` telling the truth after each kill,
# and the image status names booting after the panic.
# The initrd is the crash initramfs followed by 64 MiB of zeros (Linux's initramfs unpacker,
# init/initramfs.c unpack_to_rootfs, skips zero padding), so every load moves ~72 MiB
# through read, plan digest and Xen's copy into the crash region. A baseline load (kill=0)
# arms the image and gives the load's duration D; the kill delays are drawn over [0, D) by
# awk's rand() from a seed printed in the log (e2e_seed=N on dom0's command line, through
# DOM0_ARGS, replays a run). Attempt i loads the same files with kill=i on the command line
# and is killed with SIGKILL after its delay. Then:
# - `status --type crash --json`, the record file and Xen's status bit (kexec -S -p) must tell
#   one of three stories, each checked: the kill came before Xen's load (status 0, the
#   record names the image armed before, Xen's bit unchanged), or after the record was
#   written (status 0, the record names kill=i, the bit flipped once), or between Xen's load
#   and the record (status 4 "disagree": the record names the old image and Xen's bit has
#   flipped since). Anything else (3, a record that does not match Xen's bit, an unreadable
#   record) fails the scenario;
# - the next load must not wait for a lock (the kernel drops a killed process's flock).
# At the end the image status calls armed is the one that must boot (e2e_loader=... kill=N
# on the crash kernel's command line, compared by host_check); after a final "disagree" a
# final load (kill=final) arms it first.
TIMEOUT=900
EXPECT="E2E: baseline load kill=0 rc=0
E2E: kill campaign: seed=
E2E: kill 1/20:
E2E: kill 20/20:
E2E: kill campaign done: 20 kills
E2E: final armed image:
$PANIC_EXPECT
purgatory: sha256 digests match
E2E: CRASH KERNEL UP
e2e_loader=xen-kexec-load kill=
$CRASH_DONE_EXPECT"
FORBID='rebooting machine
waiting for another xen-kexec-load'
KILLS=20

kill_load() {   # kill_load TAG: the load every attempt makes, -v so its last line says how far it got
  "$TOOL" load "$KERNEL" --initrd /tmp/initrd-64m.gz --type crash -v \
    --command-line "$CRASH_CMDLINE e2e_loader=xen-kexec-load kill=$1"
}

record_tag() {   # the kill=N word of the crash slot's record ("none" without one)
  [ -f /run/xen-kexec-load/crash.record ] || { echo none; return; }
  sed -n 's/^command_line=.* kill=\([^ ]*\).*/\1/p' /run/xen-kexec-load/crash.record
}
record_bit() { sed -n 's/^xen_status_bit=//p' /run/xen-kexec-load/crash.record 2>/dev/null; }
xen_bit() { kexec -S -p >/dev/null 2>&1; echo $?; }
json_top() {   # json_top KEY FILE: a top-level value of status --json (two-space indent)
  sed -n "s/^  \"$1\" : \"\{0,1\}\([^\",]*\)\"\{0,1\},\{0,1\}\$/\1/p" "$2"
}
ms_now() { awk '{ printf "%d\n", $1 * 1000 }' /proc/uptime; }

dom0() {
  need_tool || return 1
  { cat "$INITRD"; head -c 67108864 /dev/zero; } > /tmp/initrd-64m.gz
  mark "initrd: $(stat -c %s /tmp/initrd-64m.gz) bytes ($INITRD + 64 MiB of zeros)"
  t0=$(ms_now)
  kill_load 0 > /tmp/kill-0.log 2>&1
  rc=$?
  t1=$(ms_now)
  cat /tmp/kill-0.log
  mark "baseline load kill=0 rc=$rc"
  [ "$rc" = 0 ] || { fail "the baseline load failed"; return 1; }
  dur=$((t1 - t0))
  seed=$(sed -n 's/.*e2e_seed=\([0-9]*\).*/\1/p' /proc/cmdline)
  [ -n "$seed" ] || seed=$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')
  delays=$(awk -v s="$seed" -v n="$KILLS" -v d="$dur" 'BEGIN { srand(s); for (i = 0; i < n; i++) printf "%d ", rand() * d }')
  mark "kill campaign: seed=$seed load_ms=$dur kills=$KILLS delays_ms=$delays"
  # rec: the kill=N word of the record before the attempt; pstate: what status said then
  # (armed, or disagree after a kill between Xen's load and the record).
  rec=0 pstate=armed before=0 after=0 torn=0 finished=0 i=0
  for d in $delays; do
    i=$((i + 1))
    bit0=$(xen_bit)
    # The tool itself in the background ($! must be its PID, not a subshell's).
    "$TOOL" load "$KERNEL" --initrd /tmp/initrd-64m.gz --type crash -v \
      --command-line "$CRASH_CMDLINE e2e_loader=xen-kexec-load kill=$i" > "/tmp/kill-$i.log" 2>&1 &
    pid=$!
    usleep $((d * 1000))
    kill -9 "$pid" 2>/dev/null
    wait "$pid"
    rc=$?
    step=$(tail -n 1 "/tmp/kill-$i.log" | cut -c1-120)
    "$TOOL" status --type crash --json > /tmp/status.json 2>/dev/null
    src=$?
    state=$(json_top state /tmp/status.json)
    tag=$(record_tag) rbit=$(record_bit) bit=$(xen_bit)
    if [ "$pstate" = armed ]; then want_src=0; else want_src=4; fi
    [ "$pstate" = possibly-damaged ] && [ "$src" = 4 ] && [ "$state" = possibly-damaged ] && bit0=$bit
    if [ "$bit" = "$bit0" ] && [ "$tag" = "$rec" ] && [ "$src" = "$want_src" ] && [ "$state" = "$pstate" ]; then
      story="killed before Xen's load: status still says $pstate, kill=$rec"; before=$((before + 1))
    elif [ "$bit" != "$bit0" ] && [ "$tag" = "$i" ] && [ "$src" = 0 ] && [ "$state" = armed ] && [ "$rbit" = "$bit" ]; then
      story="the load was done: kill=$i armed and recorded"; after=$((after + 1)); rec=$i pstate=armed
    elif [ "$bit" != "$bit0" ] && [ "$tag" = "$rec" ] && [ "$src" = 4 ] && [ "$state" = disagree ]; then
      # Xen now holds kill=i (its load returned); the record still names kill=$rec.
      story="killed between Xen's load and the record: status says unknown (Xen holds kill=$i)"; torn=$((torn + 1)); pstate=disagree
    elif [ "$src" = 4 ] && [ "$state" = possibly-damaged ] && { [ "$tag" = "$rec" ] || [ "$tag" = "$i" ]; }; then
      # A tool that records the load as in progress before sending it: killed after that.
      story="killed while the load was in progress: status says unknown (possibly damaged)"; torn=$((torn + 1)); pstate=possibly-damaged rec=$tag
    elif [ "$src" = 0 ] && [ "$state" = armed ] && [ "$tag" = "$rec" ] && [ "$bit" = "$rbit" ] && [ "$bit" != "$bit0" ]; then
      # Xen's bit flipped back to the record's: a second load reached Xen after the record.
      story="UNTRUE: status says kill=$rec is armed, but Xen's bit flipped again ($bit0 -> $bit): Xen holds kill=$i"
    else
      story="UNTRUE"
    fi
    [ "$rc" = 0 ] && finished=$((finished + 1))
    grep -h 'waiting for another xen-kexec-load' "/tmp/kill-$i.log" && fail "kill $i: the load waited for a lock"
    mark "kill $i/$KILLS: delay ${d} ms, load rc=$rc, last line '$step'; status rc=$src state=$state record kill=$tag record bit=$rbit Xen bit $bit0 -> $bit: $story"
    if [ "${story%%:*}" = UNTRUE ]; then
      cat /tmp/status.json
      fail "kill $i: status does not tell the truth"
      return 1
    fi
  done
  mark "kill campaign done: $KILLS kills, seed $seed, load_ms $dur: $before before Xen's load, $after after the record, $torn between, $finished loads finished before their kill"
  ls -la /run/xen-kexec-load | sed 's/^/E2E: state dir: /'
  status_is_any=$("$TOOL" status --type crash > /dev/null 2>&1; echo $?)
  if [ "$status_is_any" != 0 ]; then
    expect 0 "final load kill=final" kill_load final || return 1
  fi
  expect 0 "status crash" "$TOOL" status --type crash || return 1
  mark "final armed image: kill=$(record_tag)"
  panic
}

host_check() {   # the crash kernel that booted is the one status named last
  want=$(tr -d '\r' < "$1" | sed -n 's/^E2E: final armed image: kill=//p' | tail -n 1)
  got=$(tr -d '\r' < "$1" | grep -F 'e2e_loader=xen-kexec-load kill=' | grep -v '^E2E' | sed -n 's/.* kill=\([^ ",]*\).*/\1/p' | tail -n 1)
  [ -n "$want" ] && [ "$want" = "$got" ] || { echo "status named kill=$want, the crash kernel booted kill=$got"; return 1; }
  tr -d '\r' < "$1" | sed -n 's/^E2E: kill campaign done: //p' | tail -n 1
}
