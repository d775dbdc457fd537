# disk-no-reservation: the disk dom0 (tools/e2e/build-disk.sh) booted by a Xen whose
# command line has no crashkernel=. At boot the unit's ExecCondition (range --quiet)
# exits 1 with the tool's notice (what to add) and systemd skips the unit: its journal
# says both, the unit is inactive, status says nothing is armed (3), and the boot is otherwise unharmed (is-system-running says
# "running"). Run by hand, provision says what to change and exits 78 (EX_CONFIG).
DISK=yes
MEM=1G
XEN_ARGS="dom0_mem=384M,max:384M"
TIMEOUT=600
EXPECT='E2E: disk dom0 up: boot 1
E2E: is-active rc=3
E2E: journal: xen-kexec-load.service: Skipped due to '"'exec-condition'"'
E2E: journal: Condition check resulted in xen-kexec-load.service
E2E: journal notice lines from the tool: 1
E2E: status crash rc=3
E2E: is-system-running rc=0
Xen reserved no crash region: add crashkernel=<size> (e.g. crashkernel=256M) to Xen
E2E: provision by hand rc=78
E2E: scenario disk-no-reservation returned'
FORBID='E2E: journal: loaded crash image'

dom0() {
  expect 3 is-active systemctl is-active xen-kexec-load.service
  run "unit result" systemctl show -p Result -p ActiveState -p ConditionResult xen-kexec-load.service
  journalctl -b --no-pager -o cat -u xen-kexec-load.service | sed 's/^/E2E: journal: /'
  # The tool's line and systemd's own may interleave either way: counted, not ordered.
  mark "journal notice lines from the tool: $(journalctl -b --no-pager -o cat -u xen-kexec-load.service \
    | grep -c 'Xen reserved no crash region, nothing to arm: add crashkernel=')"
  expect 3 "status crash" "$TOOL" status --type crash
  systemctl --failed --no-legend --plain | sed 's/^/E2E: failed unit: /'
  expect 0 is-system-running systemctl is-system-running --wait
  expect 78 "provision by hand" "$TOOL" provision
}
