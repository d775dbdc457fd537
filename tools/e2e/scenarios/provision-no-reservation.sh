# provision-no-reservation: Xen booted without crashkernel=. The unit's ExecCondition
# (range --quiet) exits 1 with one notice saying what to add, so systemd skips the unit
# cleanly; run anyway, provision says what to change and exits 78 (EX_CONFIG).
XEN_ARGS="dom0_mem=512M,max:512M"
EXPECT='E2E: scenario provision-no-reservation
E2E: condition rc=1
Xen reserved no crash region, nothing to arm: add crashkernel=<size>
E2E: condition said 1 lines
add crashkernel=<size> (e.g. crashkernel=256M) to Xen
E2E: provision rc=78'
FORBID='Kdump: 256MB'

dom0() {
  need_tool || return 1
  . /e2e/scenarios/provision.sh   # write_defaults (dom0 only: it redefines dom0, harmless here)
  write_defaults provision
  "$TOOL" range --quiet > /tmp/cond.txt 2>&1
  mark "condition rc=$?"
  cat /tmp/cond.txt
  mark "condition said $(grep -c . /tmp/cond.txt) lines"
  "$TOOL" provision 2>&1
  mark "provision rc=$?"
}
