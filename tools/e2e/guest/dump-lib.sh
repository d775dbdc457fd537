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
# goes to the serial log (the host regenerates the pattern from it) and, with the pattern's
# size, to /var/lib/e2e-guest-seed (the crash kernel's control count,
# e2e-vmcore-marker.conf); the pattern itself is only ever in the guest's memory.
# The wait has no fixed length (a 384 MiB fill under TCG takes what it takes): it lasts
# while the guest's console moves (its kernel, then guest-marker's line every 16 MiB) and
# fails when the console has not moved for 600 s or guest-marker ended without filling
# (e.g. the OOM killer: the guest's first line gives its MemAvailable). The scenario's
# TIMEOUT bounds the whole run.
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
  echo "$seed $GUEST_MIB" > /var/lib/e2e-guest-seed
  sync
  mark "guest seed $seed"
  expect 0 "xl create" xl create /run/e2e-guest.cfg || return 1
  local glog=/var/log/xen/console/guest-$GUEST_NAME.log t0=$SECONDS up="" size last=-1 moved=$SECONDS
  while :; do
    if [ -z "$up" ] && grep -qa 'E2E-GUEST: up' "$glog" 2>/dev/null; then
      up=$((SECONDS - t0))
      mark "guest console: $(grep -a 'E2E-GUEST: up' "$glog" | tail -n 1 | tr -d '\r')"
    fi
    if grep -qa 'guest-marker: filled' "$glog" 2>/dev/null; then
      mark "guest up: $(grep -a 'guest-marker: filled' "$glog" | tail -n 1 | tr -d '\r')"
      mark "xl list: $(xl list | awk -v n="$GUEST_NAME" '$1 == n { printf "%s id %s mem %s MiB state %s", $1, $2, $3, $5 }')"
      mark "figures: guest fill: xl create to the guest's /init ${up:-?} s, to $GUEST_MIB MiB filled $((SECONDS - t0)) s"
      return 0
    fi
    if grep -qa 'E2E-GUEST: guest-marker ended' "$glog" 2>/dev/null; then
      fail "guest-marker ended before filling $GUEST_MIB MiB; the guest's console: $(tail -n 8 "$glog" | tr -d '\r' | tr '\n' '|')"
      return 1
    fi
    size=$(stat -c %s "$glog" 2>/dev/null || echo 0)
    if [ "$size" != "$last" ]; then last=$size moved=$SECONDS; fi
    if [ $((SECONDS - moved)) -ge 600 ]; then
      fail "the guest's console has not moved for 600 s ($((SECONDS - t0)) s after xl create, $GUEST_MIB MiB to fill); its console: $(tail -n 5 "$glog" 2>/dev/null | tr -d '\r' | tr '\n' '|')"
      return 1
    fi
    sleep 1
  done
}

# A line only dom0's kernel holds (its log buffer), for the dump's "dom0 is in it" check.
dump_dom0_marker() {
  dm="xen-kexec-e2e-dom0-marker-$(od -An -tx8 -N8 /dev/urandom | tr -d ' \n')"
  echo "$dm" > /dev/kmsg
  mark "dom0 marker $dm"
}

# Every task dom0 has now (threads included), counted by bash without forking, as `crash`'s
# `ps` lists them besides the idle task. Also the panic's wall-clock time, for the figures.
# The count goes to the kernel log (/dev/kmsg), not through mark: this unit's stdout reaches
# the console through journald, asynchronously, and the crash follows at once, so a mark
# line can be lost (cold CI of 35e68d3, a fourth-session commit that did not land: docs/e2e.md). A write to /dev/kmsg is printed on the console
# before the write returns, like the panic line itself (Linux 6.1 kernel/printk/printk.c:
# devkmsg_write -> vprintk_emit -> console_unlock; Xen flushes its own console before the
# crash image starts, xen/common/kexec.c kexec_common_shutdown -> console_start_sync).
# Such a write can overtake the mark lines before it (that run's serial log has the dom0
# marker's kmsg line before its mark line), so `journalctl --sync` first: it returns once
# journald has processed every line queued before it (systemd 252 journald-server.c
# synchronize_second_half runs after all queued log messages; a stream line is forwarded to
# the console as it is processed), and EXPECT finds "dom0 marker" before the count.
dump_before_crash() {
  local t p
  echo "$(date +%s.%N)" > /var/lib/e2e-crash-at
  sync
  journalctl --sync
  t=(/proc/[0-9]*/task/[0-9]*)
  p=(/proc/[0-9]*)
  echo "E2E: dom0 tasks before the crash: ${#t[@]} (processes: ${#p[@]})" > /dev/kmsg
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
  # The same span split (journal times of the crash kernel's boot): its first journal entry,
  # the control count's line (e2e-vmcore-marker.conf; its scan of /proc/vmcore is the test's,
  # not the package's), then kdump-tools' own save up to its `saved vmcore` line.
  first=$(journalctl -b -1 --no-pager -o short-unix 2>/dev/null | awk '$1 ~ /^[0-9]+\.[0-9]+$/ { print $1; exit }')
  counted=$(journalctl -b -1 -u kdump-tools-dump.service --no-pager -o short-unix 2>/dev/null | grep -F 'E2E: crash kernel: /proc/vmcore' | tail -n 1 | cut -d' ' -f1)
  if [ -n "$at" ] && [ -n "$first" ] && [ -n "$counted" ] && [ -n "$saved" ]; then
    mark "figures: crash kernel: crash to its first journal entry $(awk -v a="$at" -v b="$first" 'BEGIN { printf "%.0f", b - a }') s, to the control count done $(awk -v a="$at" -v b="$counted" 'BEGIN { printf "%.0f", b - a }') s; control count done to dump saved (kdump-tools' save) $(awk -v a="$counted" -v b="$saved" 'BEGIN { printf "%.0f", b - a }') s"
  else
    mark "figures: crash kernel: missing a time (first entry '$first', control count '$counted', saved '$saved')"
  fi
  f=$(ls "$d"/dump.* 2>/dev/null | head -n 1)
  [ -n "$f" ] || { fail "no dump.* in $d"; return 1; }
  [ "$(head -c 12 "$f")" = makedumpfile ] || { fail "$f is not makedumpfile's flattened output"; return 1; }
  mark "dump file $f: $(stat -c %s "$f") bytes; host RAM $(xl info | awk '$1 == "total_memory" { print $3 }') MiB, dom0 $(xl list 0 | awk 'NR == 2 { print $3 }') MiB"
  rm -f /var/lib/e2e-guest-seed /var/lib/e2e-crash-at
}

# --- host ---------------------------------------------------------------------------

# dump_host_check NAME LOG [keep]: read the saved dump from the scenario's disk copy
# (debugfs, no mount), rebuild it (makedumpfile -R) and check it: the guest's pattern is
# absent (while the crash kernel's count shows it was in /proc/vmcore), dom0's marker line and
# Xen's banner are present. With `keep` (XEN_KEXEC_DUMP_GUESTS=yes: kdump-tools' own
# `-F -c -d 31`), the dump is makedumpfile's compressed format and holds every page of the
# pattern (random pages do not compress, so makedumpfile stores them as they are; its other
# pages are compressed, so the marker and banner are not searched). Leaves the rebuilt dump
# in $LOGS/NAME.dump and its path in DUMP.
dump_host_check() {
  local name=$1 logf=$2 mode=${3:-filtered} img dir file seed digest want count dm
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
  if [ "$mode" = keep ]; then
    [ "$(head -c 5 "$DUMP")" = KDUMP ] || { echo "the rebuilt dump is not makedumpfile's compressed format (kdump-tools' -c): $(head -c 8 "$DUMP" | od -c | head -n 1)"; return 1; }
    echo "dump /var/crash/$dir/$file rebuilt: $(stat -c %s "$DUMP") bytes (KDUMP, compressed)"
  else
    [ "$(head -c 4 "$DUMP")" = "$(printf '\177ELF')" ] || { echo "the rebuilt dump is not ELF (makedumpfile -E): $(head -c 8 "$DUMP" | od -c | head -n 1)"; return 1; }
    echo "dump /var/crash/$dir/$file rebuilt: $(stat -c %s "$DUMP") bytes (ELF)"
  fi
  seed=$(tr -d '\r' < "$logf" | sed -n 's/.*E2E: guest seed \([0-9a-f]*\).*/\1/p' | tail -n 1)
  [ -n "$seed" ] || { echo "no guest seed in $logf"; return 1; }
  # The guest filled exactly the pattern of this seed.
  digest=$("$OUT/guest-marker" digest "$seed" "$GUEST_MIB" | awk '{ print $NF }')
  grep -qF "digest $digest" "$logf" || { echo "the guest's digest is not $digest (the pattern of seed $seed)"; return 1; }
  # The control: the crash kernel found the pattern in /proc/vmcore.
  want=$(tr -d '\r' < "$logf" | sed -n 's/.*E2E: crash kernel: \/proc\/vmcore guest-marker: found \([0-9]*\) of.*/\1/p' | tail -n 1)
  [ -n "$want" ] && [ "$want" -gt 0 ] || { echo "the crash kernel did not find the guest's pattern in /proc/vmcore ('${want:-no count}')"; return 1; }
  count=$("$OUT/guest-marker" find "$seed" "$GUEST_MIB" "$DUMP" | sed -n 's/.*found \([0-9]*\) of.*/\1/p')
  if [ "$mode" = keep ]; then
    [ "$count" = $((GUEST_MIB * 256)) ] || { echo "XEN_KEXEC_DUMP_GUESTS=yes, but the dump holds ${count:-no count} of the guest's $((GUEST_MIB * 256)) pattern pages"; return 1; }
    echo "guest pattern: $want of $((GUEST_MIB * 256)) pages in /proc/vmcore, $count in the dump (kept)"
    return 0
  fi
  [ "$count" = 0 ] || { echo "the guest's pattern IS in the dump: $count pages"; return 1; }
  echo "guest pattern: $want of $((GUEST_MIB * 256)) pages in /proc/vmcore, 0 in the dump"
  dm=$(tr -d '\r' < "$logf" | sed -n 's/.*E2E: dom0 marker \(xen-kexec-e2e-dom0-marker-[0-9a-f]*\).*/\1/p' | tail -n 1)
  [ -n "$dm" ] || { echo "no dom0 marker in $logf"; return 1; }
  grep -qaF "$dm" "$DUMP" || { echo "dom0's marker $dm is not in the dump"; return 1; }
  grep -qaF "Xen version 4.17" "$DUMP" || { echo "Xen's banner 'Xen version 4.17' is not in the dump"; return 1; }
  echo "dom0's marker and Xen's banner are in the dump"
}

# dump_crash_check_xen NAME LOG: Xen's own crash read back by crash in hypervisor mode (crash
# picks it from the name `xen-syms`, crash main.c check_xen_hyper) with the xen-syms (DWARF,
# tools/e2e/xen-efi/build.sh) of the test Xen that ran (XEN=efi): the build-id Xen printed at
# boot (xen/common/version.c) must be that xen-syms' one.
# Debian 12's crash 8.0.2 stops in its setup on Xen 4.17 ("cannot read cpu_info": it looks
# for the per-CPU stacks through tss_init/tss_page, whose layout Xen 4.16 changed; crash 8.0.3
# reads stack_base[], crash commits 9ee564cd1a46, 97269209aa70): only reported here.
# Debian 13's crash (8.0.6, in the trixie root: tools/trixie/root.sh, run chrooted by
# tools/e2e/crash.sh) is asserted: `doms` lists dom0 (type 0) and the guest (id 1, type U,
# its pages counted, their contents absent from the dump: dump_host_check), `log` is Xen's
# console ring with the 'C' line, `bt` names the crashing pCPU's vCPU. It has no frames:
# Xen 4.17 has no global `crashing_cpu` (a static in kexec_crash, xen/common/kexec.c), so crash
# never reads the CPU notes (xen_hyper.c xen_hyper_dumpinfo_init) and prints "(no stack)".
# The backtrace is read by hand instead: RIP and RSP from the dump's first note (CORE
# NT_PRSTATUS, the crashing CPU's registers Xen saved in kexec_crash_save_cpu), then `sym RIP`
# and `rd -s RSP 48` (the stack words, return addresses shown as symbols): kexec_crash and
# do_crashdump_trigger must be among them.
# Outputs: $LOGS/NAME.xen-crash.txt (8.0.2), $LOGS/NAME.xen-crash13.txt (8.0.6).
dump_crash_check_xen() {
  local name=$1 logf=$2 syms booted built out ver tot noff rip rsp frames
  syms="$(dirname "$(cat "$OUT/xen-efi.efi.path" 2>/dev/null)")/xen-syms"
  [ -s "$syms" ] || { echo "no xen-syms beside the test Xen ($syms)"; return 1; }
  readelf -S "$syms" | grep -q ' \.debug_info ' || { echo "$syms has no .debug_info"; return 1; }
  booted=$(tr -d '\r' < "$logf" | sed -n 's/.*(XEN) build-id: \([0-9a-f]*\).*/\1/p' | head -n 1)
  built=$(readelf -n "$syms" | sed -n 's/.*Build ID: \([0-9a-f]*\).*/\1/p' | head -n 1)
  [ -n "$booted" ] && [ "$booted" = "$built" ] || { echo "the Xen that ran (build-id '${booted:-none}') is not $syms (build-id $built)"; return 1; }
  printf '%s\n' sys doms log bt quit > "$LOGS/$name.xen-crash.in"
  out="$LOGS/$name.xen-crash.txt"
  timeout 300 crash -s -i "$LOGS/$name.xen-crash.in" "$syms" "$DUMP" > "$out" 2>&1 < /dev/null || true
  echo "crash $(crash --version 2>/dev/null | awk 'NF { print $2; exit }'): $(grep '^crash: ' "$out" | tr '\n' ' ')($out)"
  ver=$("$HERE/crash.sh" --version 2>&1) \
    || { echo "no crash in the trixie root ($REPO/tools/trixie/root.sh: its PACKAGES list needs crash): $ver"; return 1; }
  # The first note: 12-byte header, "CORE" padded to 8, then struct elf_prstatus, whose
  # pr_reg (offset 112) holds RIP as its 17th and RSP as its 20th 8-byte word (Linux
  # include/uapi/linux/elf.h, arch/x86/include/asm/user_64.h user_regs_struct).
  noff=$(readelf -lW "$DUMP" | awk '$1 == "NOTE" { print $2; exit }')
  [ -n "$noff" ] && [ "$(dd if="$DUMP" bs=1 skip=$((noff + 12)) count=4 2>/dev/null)" = CORE ] \
    || { echo "the dump's first note is not CORE (PT_NOTE at '${noff:-none}')"; return 1; }
  rip=$(od -An -tx8 -j $((noff + 20 + 112 + 16 * 8)) -N8 "$DUMP" | tr -d ' ')
  rsp=$(od -An -tx8 -j $((noff + 20 + 112 + 19 * 8)) -N8 "$DUMP" | tr -d ' ')
  printf '%s\n' sys doms log bt "sym $rip" "rd -s $rsp 48" quit > "$LOGS/$name.xen-crash13.in"
  out="$LOGS/$name.xen-crash13.txt"
  "$HERE/crash.sh" "$syms" "$DUMP" "$LOGS/$name.xen-crash13.in" > "$out" 2>&1 < /dev/null || true
  grep -q '^crash: ' "$out" && { echo "crash 8.0.6: $(grep '^crash: ' "$out" | tr '\n' ' ')($out)"; return 1; }
  # doms rows: "[>][*] DID DOMAIN ST T MAXPAGE TOTPAGE VCPU SHARED_I P2M_MFN" (crash
  # xen_hyper_command.c xen_hyper_show_doms), T: 0 dom0, U a guest, X/O/I Xen's own.
  awk '{ sub(/^[>*]+/, "") } $1 == 0 && $4 == "0"' "$out" | grep -q . || { echo "crash 8.0.6: doms lists no dom0 ($out)"; return 1; }
  awk '{ sub(/^[>*]+/, "") } $1 == 1 && $4 == "U"' "$out" | grep -q . || { echo "crash 8.0.6: doms lists no guest with id 1 ($out)"; return 1; }
  grep -qF "(XEN) 'C' pressed -> triggering crashdump" "$out" || { echo "crash 8.0.6: log has no \"'C' pressed -> triggering crashdump\" ($out)"; return 1; }
  grep -q '^PCPU: *0 *VCPU: ' "$out" || { echo "crash 8.0.6: bt names no vCPU on pCPU 0 ($out)"; return 1; }
  frames=$(sed -n "/^$rsp:/,\$p" "$out" | grep -o '[a-z_][a-z0-9_]*+[0-9]*' | tr '\n' ' ')
  case " $frames " in *" kexec_crash+"*" do_crashdump_trigger+"*) ;;
    *) echo "crash 8.0.6: the stack at RSP $rsp has no kexec_crash, do_crashdump_trigger ($out): $frames"; return 1 ;; esac
  tot=$(awk '{ sub(/^[>*]+/, "") } $1 == 1 && $4 == "U" { print $6; exit }' "$out")
  echo "$ver: doms lists dom0 and the guest (id 1, type U, TOTPAGE 0x$tot = $((0x$tot / 256)) MiB), log is Xen's console ring up to its 'C' line, bt: $(grep -A1 '^PCPU: *0' "$out" | tail -n 1); RIP $(grep -m1 "^$rip " "$out" | awk '{ print $3 }'), stack: $(echo "$frames" | cut -d' ' -f1-5)"
}

# The disk dom0's kernel release (tools/e2e/build-disk.sh keeps it beside the base) and
# its debug vmlinux, cached by fetch-debug-vmlinux.sh.
dump_vmlinux() {
  local ver
  ver=$(cat "$E2E"/disk/base-*/kernel-version 2>/dev/null | head -n 1)
  [ -n "$ver" ] || return 1
  echo "$XEN_KEXEC_CACHE/dbg/$ver/vmlinux"
}

# dump_crash NAME VMLINUX DUMP COMMANDS...: run Debian 12's crash (8.0.2) in batch mode,
# output in $LOGS/NAME.crash.txt.
dump_crash() {
  local name=$1 vmlinux=$2 dump=$3; shift 3
  printf '%s\n' "$@" quit > "$LOGS/$name.crash.in"
  timeout 300 crash -s -i "$LOGS/$name.crash.in" "$vmlinux" "$dump" > "$LOGS/$name.crash.txt" 2>&1 < /dev/null
}

# dump_crash13 NAME VMLINUX DUMP COMMANDS...: the same with Debian 13's crash (8.0.6, in the
# trixie root: tools/e2e/crash.sh), output in $LOGS/NAME.crash13.txt.
dump_crash13() {
  local name=$1 vmlinux=$2 dump=$3; shift 3
  printf '%s\n' "$@" quit > "$LOGS/$name.crash13.in"
  "$HERE/crash.sh" "$vmlinux" "$dump" "$LOGS/$name.crash13.in" > "$LOGS/$name.crash13.txt" 2>&1 < /dev/null
}

# dom0's panic read back by crash with dom0's debug vmlinux.
# Debian 12's crash 8.0.2, what an admin on the host has (docs/dumps.md): bt through
# sysrq_handle_crash, the panic line in log, and the processes dom0 counted before the panic
# in the kernel's task list (`list task_struct.tasks` from init_task, which crash adds as the
# list head). Its `ps` is only reported: it gathers the task table from the PID xarray
# reading SIZE(pid) bytes of each struct pid, and this kernel's pid.numbers[] is a flexible
# array (Linux include/linux/pid.h), so pid.numbers[0].ns is read past that buffer, matches
# no namespace and every task is dropped (crash task.c refresh_xarray_task_table): the idle
# and the active task only, with "not found in PID hash".
# Debian 13's crash (8.0.6; crash 8.0.4 reads SIZE(pid) + SIZE(upid), crash commit
# 88580068b7dd): `ps` lists every task dom0 counted (threads included) plus one idle task
# (swapper, PID 0) per vCPU Xen gave dom0, and no "not found in PID hash".
# Both counts may be up to 3 apart from dom0's: the count is taken in dom0 just before
# `echo c > /proc/sysrq-trigger`, and kernel threads (workqueue workers) or a process
# systemd starts may come or go between the two.
dump_crash_check_dom0() {
  local name=$1 logf=$2 vmlinux tasks procs vcpus listed idle listed2 walked out out13 init_task
  vmlinux=$(dump_vmlinux) && [ -s "$vmlinux" ] || { echo "no debug vmlinux for the disk dom0's kernel ($vmlinux): tools/e2e/fetch-debug-vmlinux.sh"; return 1; }
  init_task=$(nm "$vmlinux" 2>/dev/null | awk '$3 == "init_task" { print $1; exit }')
  dump_crash "$name" "$vmlinux" "$DUMP" "bt" "log" "ps" "list task_struct.tasks -h 0x$init_task" || true
  out="$LOGS/$name.crash.txt"
  grep -q 'sysrq_handle_crash' "$out" || { echo "crash: bt does not reach sysrq_handle_crash ($out): $(head -c 300 "$out")"; return 1; }
  grep -qF 'Kernel panic - not syncing: sysrq triggered crash' "$out" || { echo "crash: log has no panic line ($out)"; return 1; }
  tasks=$(tr -d '\r' < "$logf" | sed -n 's/.*E2E: dom0 tasks before the crash: \([0-9]*\) (processes: \([0-9]*\)).*/\1/p' | tail -n 1)
  procs=$(tr -d '\r' < "$logf" | sed -n 's/.*E2E: dom0 tasks before the crash: \([0-9]*\) (processes: \([0-9]*\)).*/\2/p' | tail -n 1)
  [ -n "$tasks" ] && [ -n "$procs" ] || { echo "no task count in $logf"; return 1; }
  # Xen's own line (xen/arch/x86/pv/dom0_build.c dom0_construct_pv): dom0's vCPUs.
  vcpus=$(tr -d '\r' < "$logf" | sed -n 's/.*Dom0 has maximum \([0-9]*\) VCPUs.*/\1/p' | head -n 1)
  [ -n "$vcpus" ] || { echo "no 'Dom0 has maximum N VCPUs' line in $logf"; return 1; }
  walked=$(grep -cE '^ffff[0-9a-f]{12}$' "$out")
  [ "$walked" -ge $((procs + 1 - 3)) ] && [ "$walked" -le $((procs + 1 + 3)) ] \
    || { echo "crash: the task list from init_task has $walked entries, dom0 had $procs processes (+ init_task expected) ($out)"; return 1; }
  listed2=$(dump_ps_rows "$out" | wc -l)
  dump_crash13 "$name" "$vmlinux" "$DUMP" "ps" || true
  out13="$LOGS/$name.crash13.txt"
  listed=$(dump_ps_rows "$out13" | wc -l)
  idle=$(dump_ps_rows "$out13" | awk '$1 == 0' | wc -l)
  if grep -q 'not found in PID hash' "$out13"; then
    echo "crash 8.0.6: $(grep -m1 -o 'active task .* not found in PID hash' "$out13"); ps lists $listed tasks ($out13)"; return 1
  fi
  [ "$idle" = "$vcpus" ] || { echo "crash 8.0.6: ps lists $idle idle tasks (PID 0), dom0 has $vcpus vCPUs ($out13): $(head -c 300 "$out13")"; return 1; }
  [ $((listed - idle)) -ge $((tasks - 3)) ] && [ $((listed - idle)) -le $((tasks + 3)) ] \
    || { echo "crash 8.0.6: ps lists $listed tasks, dom0 counted $tasks + $vcpus idle ($out13): $(head -c 300 "$out13")"; return 1; }
  echo "crash 8.0.2: bt through sysrq_handle_crash, log has the panic line, the task list $walked entries for dom0's $procs processes (+ init_task), ps $listed2 (its bug); crash 8.0.6: ps lists $listed tasks for dom0's $tasks + $idle idle"
}

# dump_ps_rows FILE: the task rows of crash's ps output, "PID PPID CPU TASK ST %MEM VSZ RSS
# COMM", without the ">" that marks an active task (no regex interval: Debian's awk is mawk).
dump_ps_rows() {
  awk '$1 == ">" { $1 = "" ; $0 = $0 } $1 ~ /^[0-9]+$/ && $4 ~ /^[0-9a-f]+$/ && length($4) == 16' "$1"
}
