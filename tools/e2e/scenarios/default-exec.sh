# default-exec: `load --type default` then `exec`: Xen replaces itself and dom0 with
# the new kernel at once (no panic). It must come up with the whole machine's memory
# and no /proc/vmcore (host_check: more than 1.5 GiB of the VM's 2 GiB).
EXPECT='E2E: load default rc=0
E2E: status default rc=0
E2E: exec default
Executing kexec image on cpu0
purgatory: sha256 digests match
E2E: EXEC KERNEL UP
e2e_loader=xen-kexec-load
E2E: no /proc/vmcore
E2E: EXEC KERNEL DONE'
FORBID='E2E: CRASH KERNEL UP
Hardware Dom0 crashed'

dom0() {
  need_tool || return 1
  expect 0 "load default" "$TOOL" load "$KERNEL" --initrd "$INITRD" --type default \
    --command-line "$CRASH_CMDLINE e2e_role=exec e2e_loader=xen-kexec-load"
  status_is 0 default
  mark "exec default"
  run "exec returned" "$TOOL" exec --type default
  fail "exec returned to dom0"
}

host_check() {
  local kb
  kb=$(sed -n 's/.*E2E: memtotal_kb=\([0-9]*\).*/\1/p' "$1" | tail -n 1)
  [ -n "$kb" ] && [ "$kb" -gt 1572864 ] || { echo "the exec'd kernel has MemTotal ${kb:-?} kB, not the full 2 GiB"; return 1; }
}
