#!/bin/bash
# The disk dom0's scenario runner (e2e-disk.service): systemd has booted dom0 from the
# disk, xen-kexec-load.service has run (or been skipped) as the package set it up. This
# sources the scenario named by e2e_scenario=, calls its dom0 function and resets the
# machine so QEMU (-no-reboot) exits. Scenario files are plain sh.
mark() { echo "E2E: $*"; }
fail() { echo "E2E: FAIL $*"; }
uptime_s() { cut -d' ' -f1 /proc/uptime; }
TOOL=/usr/sbin/xen-kexec-load
run() {   # run LABEL CMD...: CMD's output, then "E2E: LABEL rc=N"
  _label=$1; shift
  "$@" 2>&1
  _rc=$?
  mark "$_label rc=$_rc"
  return $_rc
}
expect() {   # expect WANT LABEL CMD...
  _want=$1; shift
  run "$@"
  _rc=$?
  [ "$_rc" = "$_want" ] || fail "$1: rc=$_rc, expected $_want"
  return $_rc
}
journal_of() {   # journal_of UNIT: this boot's journal lines of UNIT, each as "E2E: journal: ..."
  journalctl -b -u "$1" --no-pager -o cat | sed 's/^/E2E: journal: /'
}

scenario=$(sed -n 's/.*e2e_scenario=\([^ ]*\).*/\1/p' /proc/cmdline)
# Boots of this disk so far, this one included (a scenario with REBOOTS=yes sees 2 after a
# crash kernel has rebooted the machine).
BOOT=$(( $(cat /var/lib/e2e-boots 2>/dev/null || echo 0) + 1 ))
echo "$BOOT" > /var/lib/e2e-boots; sync
mark "disk dom0 up: boot $BOOT, systemd $(systemctl --version | awk 'NR == 1 { print $2 }'), uptime $(uptime_s)s"
if [ ! -f "/e2e/scenarios/$scenario.sh" ]; then
  fail "no scenario '$scenario' on this disk"
else
  mark "scenario $scenario"
  . "/e2e/scenarios/$scenario.sh"
  dom0
  mark "scenario $scenario returned rc=$? (uptime $(uptime_s)s)"
fi
sync
systemctl reboot --force --force
