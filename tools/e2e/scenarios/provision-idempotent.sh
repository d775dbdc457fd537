# provision-idempotent: provision run twice does nothing the second time (same plan
# digest, image armed); a changed defaults file makes the third run reload, and the
# crash kernel that boots is the changed one, with a complete dump.
EXPECT="E2E: scenario provision-idempotent
E2E: provision-1 rc=0
nothing to do
E2E: provision-2 rc=0
E2E: provision-3 rc=0
E2E: status crash rc=0
E2E: panic now
E2E: CRASH KERNEL UP
e2e_loader=provision-changed
$CRASH_DONE_EXPECT"
FORBID='rebooting machine'

dom0() {
  need_tool || return 1
  . /e2e/scenarios/provision.sh   # write_defaults (dom0 only: it redefines dom0, harmless here)
  write_defaults provision-first
  expect 0 provision-1 "$TOOL" provision
  expect 0 provision-2 "$TOOL" provision
  write_defaults provision-changed
  expect 0 provision-3 "$TOOL" provision
  status_is 0 crash
  panic
}
