# provision: boot-time provisioning as xen-kexec-load.service does it. dom0 writes
# /etc/default/xen-kexec-load, the unit's ExecCondition (range --quiet) passes, provision
# arms the kernel with a command line built from dom0's (console=hvc0 and earlyprintk=xen
# dropped) plus Xen's serial console translated (console=com1 com1=115200,8n1 →
# console=ttyS0,115200n8); a panic boots it and its /proc/cmdline shows the translation.
EXPECT="E2E: scenario provision
E2E: range --quiet rc=0
E2E: provision rc=0
E2E: status crash rc=0
$PANIC_EXPECT
E2E: CRASH KERNEL UP
console=ttyS0,115200n8
$CRASH_DONE_EXPECT"
FORBID='rebooting machine'

write_defaults() {   # write_defaults MARKER
  mkdir -p /etc/default
  cat > /etc/default/xen-kexec-load <<EOF2
# written by the e2e scenario
XEN_KEXEC_ENABLED=yes
XEN_KEXEC_KERNEL=$KERNEL
XEN_KEXEC_INITRD=$INITRD
XEN_KEXEC_TYPE=auto
XEN_KEXEC_CRASH_DEFAULTS="nr_cpus=1 irqpoll reset_devices panic=-1 no_timer_check"
XEN_KEXEC_CMDLINE_APPEND="rdinit=/init e2e_loader=$1 $XEN_RAM_WORDS"
EOF2
}

dom0() {
  need_tool || return 1
  write_defaults provision
  expect 0 "range --quiet" "$TOOL" range --quiet
  expect 0 provision "$TOOL" provision -v
  status_is 0 crash
  panic
}
