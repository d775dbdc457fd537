# fault-memcg-concurrent: two faults in one dom0 boot, the armed image intact after both.
# 1. Twelve concurrent invocations (background jobs: load, unload, provision and status,
#    three of each, interleaved), each with -v: every exit code is one the README's table
#    documents (load, unload and provision must succeed: the lock's 60 s is ample), the
#    mutating ones finish one after the other (the lock serialises them: some say they wait),
#    and the final state is the last successful mutating job's: a load's kill-free record
#    (job=N on its command line), provision's image, or nothing after an unload; status
#    agrees with Xen's bit (exit 0 or 3, never 4).
# 2. A good image is armed (job=memcg-survivor); then loads of the crash kernel + a 64 MiB
#    initrd (the crash initramfs followed by zeros) run in cgroup v2 memory cgroups whose
#    memory.max is smaller than the payload (~72 MiB: 40 MiB, "big") and smaller than the
#    tool itself (1 MiB, "starved"). Each outcome is named in the log and checked against
#    status, the record and Xen's bit: a clean error (a documented exit code) or an OOM kill
#    (exit 137 and memory.events' oom_kill; "OOM-KILLED") must leave the armed image as it
#    was; a success ("LOADED": the payload was not charged to the cgroup, as the tool's
#    hypercall buffers come from the kernel, not the cgroup) must arm and record the new
#    image. The panic boots the image status names last (host check).
TIMEOUT=900
EXPECT="E2E: concurrent: 12 jobs started
E2E: concurrent: 12 jobs done
E2E: concurrent: final state agrees with the last mutating job
E2E: load memcg-survivor rc=0
E2E: memcg big: memory.max=41943040
E2E: memcg load big:
E2E: memcg starved: memory.max=1048576
E2E: memcg load starved:
E2E: status before the panic rc=0
E2E: armed for the panic: job=
$PANIC_EXPECT
purgatory: sha256 digests match
E2E: CRASH KERNEL UP
e2e_loader=xen-kexec-load job=
$CRASH_DONE_EXPECT"
FORBID='rebooting machine'
# Every exit code the README's table lists.
DOCUMENTED_EXITS=" 0 1 3 4 64 65 66 69 71 75 77 78 80 255 "

ms_now() { awk '{ printf "%d\n", $1 * 1000 }' /proc/uptime; }
job_load() { "$TOOL" load "$KERNEL" --initrd "$INITRD" --type crash -v --command-line "$CRASH_CMDLINE e2e_loader=xen-kexec-load job=$1"; }
record_field() { sed -n "s/^$1=//p" /run/xen-kexec-load/crash.record 2>/dev/null; }
xen_bit() { kexec -S -p >/dev/null 2>&1; echo $?; }

concurrent() {
  . /e2e/scenarios/provision.sh   # write_defaults (redefines dom0, harmless here)
  write_defaults "xen-kexec-load job=provision"
  rm -f /tmp/job-*
  j=0
  for op in load unload provision status load provision unload status load status provision unload; do
    j=$((j + 1))
    (
      case $op in
        load) job_load "$j" ;;
        unload) "$TOOL" unload --type crash -v ;;
        provision) "$TOOL" provision -v ;;
        status) "$TOOL" status --type crash -v ;;
      esac > "/tmp/job-$j.log" 2>&1
      echo "$op $? $(ms_now)" > "/tmp/job-$j.rc"
    ) &
  done
  mark "concurrent: $j jobs started"
  wait
  mark "concurrent: $j jobs done"
  last="" last_t=-1 waited=0 bad=0
  for n in $(seq 1 "$j"); do
    read -r op rc t < "/tmp/job-$n.rc"
    tail -n 3 "/tmp/job-$n.log" | cut -c1-160 | sed "s/^/E2E: job $n ($op): /"
    grep -q 'waiting for another xen-kexec-load' "/tmp/job-$n.log" && waited=$((waited + 1))
    mark "job $n: $op rc=$rc finished at ${t} ms"
    case $DOCUMENTED_EXITS in *" $rc "*) ;; *) fail "job $n ($op): exit $rc is not in the README's exit-code table"; bad=1 ;; esac
    case $op in
      status) case $rc in 0|3|4) ;; *) fail "job $n: status exited $rc"; bad=1 ;; esac ;;
      *) [ "$rc" = 0 ] || { fail "job $n: $op exited $rc"; bad=1; }
         if [ "$t" -gt "$last_t" ]; then last="$n $op" last_t=$t; fi ;;
    esac
  done
  mark "concurrent: $waited jobs waited for the lock; the last mutating job to finish: job $last"
  "$TOOL" status --type crash > /tmp/status.txt 2>&1
  src=$?
  cat /tmp/status.txt
  cl=$(record_field command_line)
  case ${last#* } in
    load) want=0 word="job=${last%% *}" ;;
    provision) want=0 word="job=provision" ;;
    unload) want=3 word="" ;;
  esac
  mark "concurrent: final status rc=$src (want $want), record command line ends '${cl##* e2e_loader=}'"
  if [ "$src" != "$want" ]; then fail "final status $src does not agree with the last job ($last)"; return 1; fi
  if [ -n "$word" ]; then
    case " $cl " in *" $word "*) ;; *) fail "the record does not name the last job's image ($word)"; return 1 ;; esac
  fi
  [ "$bad" = 0 ] || return 1
  mark "concurrent: final state agrees with the last mutating job"
}

# memcg_load LIMIT TAG: a load of the kernel + 64 MiB initrd (job=TAG) in a new memory cgroup
# with memory.max=LIMIT. Whatever happens, status, the record and Xen's bit must say it:
# a clean error (an exit code from the README's table) or an OOM kill leaves the armed image
# as it was; a success (the payload is not charged to the cgroup) arms job=TAG, recorded.
memcg_load() {
  cg=/sys/fs/cgroup/e2e-$2
  mkdir "$cg"
  echo "$1" > "$cg/memory.max"
  digest0=$(record_field digest) bit0=$(xen_bit)
  mark "memcg $2: memory.max=$(cat "$cg/memory.max"), payload $(( $(stat -c %s "$KERNEL") + $(stat -c %s /tmp/initrd-64m.gz) )) bytes, armed digest $digest0"
  # The child joins the cgroup, then becomes the tool.
  sh -c 'echo $$ > "$0/cgroup.procs" && exec "$@"' "$cg" \
    "$TOOL" load "$KERNEL" --initrd /tmp/initrd-64m.gz --type crash -v \
    --command-line "$CRASH_CMDLINE e2e_loader=xen-kexec-load job=$2" > /tmp/memcg.log 2>&1
  rc=$?
  grep -v '^  \|^[0-9] ' /tmp/memcg.log | cut -c1-200
  ooms=$(sed -n 's/^oom_kill //p' "$cg/memory.events")
  mark "memcg $2: rc=$rc, memory.peak=$(cat "$cg/memory.peak" 2>/dev/null || echo n/a), max events $(sed -n 's/^max //p' "$cg/memory.events"), oom_kill=$ooms"
  "$TOOL" status --type crash > /tmp/status.txt 2>&1
  src=$?
  cat /tmp/status.txt
  digest1=$(record_field digest) bit1=$(xen_bit) cl=$(record_field command_line)
  if [ "$rc" = 0 ]; then
    # Not a failure: the payload escaped the limit. The new image must be armed and recorded.
    if [ "$src" = 0 ] && [ "$bit1" != "$bit0" ] && [ "$digest1" != "$digest0" ] && [ "${cl#* job=$2 }" != "$cl" ]; then
      mark "memcg load $2: LOADED under memory.max=$1 (the payload was not charged to the cgroup): job=$2 armed and recorded, digest $digest1"
      return 0
    fi
    fail "memcg $2: the load succeeded but status ($src), the record ($digest1) or Xen's bit ($bit0 -> $bit1) do not say so"
    return 1
  fi
  if [ "$rc" = 137 ] && [ "${ooms:-0}" -gt 0 ]; then
    mark "memcg load $2: OOM-KILLED (rc=137, the cgroup's OOM killer sent SIGKILL; no error of the tool's own)"
  else
    case $DOCUMENTED_EXITS in
      *" $rc "*) mark "memcg load $2: clean error, exit $rc: $(grep -v '^ ' /tmp/memcg.log | tail -n 1)" ;;
      *) fail "memcg $2: exit $rc, neither documented nor an OOM kill"; return 1 ;;
    esac
  fi
  if [ "$src" != 0 ] || [ "$digest1" != "$digest0" ] || [ "$bit1" != "$bit0" ]; then
    fail "memcg $2: status $src, the record (digest $digest0 -> $digest1) or Xen's bit ($bit0 -> $bit1) changed"; return 1
  fi
  mark "memcg $2: the armed image is intact: digest $digest1, Xen bit $bit1"
}

memcg() {
  { cat "$INITRD"; head -c 67108864 /dev/zero; } > /tmp/initrd-64m.gz
  expect 0 "load memcg-survivor" job_load memcg-survivor || return 1
  mkdir -p /sys/fs/cgroup
  mount -t cgroup2 cgroup2 /sys/fs/cgroup || { fail "cannot mount cgroup2"; return 1; }
  echo +memory > /sys/fs/cgroup/cgroup.subtree_control || { fail "no memory controller"; return 1; }
  # Smaller than the payload (~72 MiB), then smaller than the tool's own needs.
  memcg_load $((40 << 20)) big || return 1
  memcg_load $((1 << 20)) starved || return 1
  expect 0 "status before the panic" "$TOOL" status --type crash || return 1
  mark "armed for the panic: $(record_field command_line | sed 's/.* e2e_loader=xen-kexec-load \(job=[^ ]*\).*/\1/')"
}

host_check() {   # the crash kernel that booted is the image status named last
  want=$(tr -d '\r' < "$1" | sed -n 's/^E2E: armed for the panic: //p' | tail -n 1)
  got=$(tr -d '\r' < "$1" | grep -v '^E2E' | grep -F 'e2e_loader=xen-kexec-load job=' | sed -n 's/.* \(job=[^ ",]*\).*/\1/p' | tail -n 1)
  [ -n "$want" ] && [ "$want" = "$got" ] || { echo "status named $want, the crash kernel booted $got"; return 1; }
  tr -d '\r' < "$1" | grep -E '^E2E: memcg load ' | sed 's/^E2E: //' | tr '\n' ';'
}

dom0() {
  need_tool || return 1
  concurrent || return 1
  memcg || return 1
  panic
}
