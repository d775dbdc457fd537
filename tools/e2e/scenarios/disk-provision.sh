# disk-provision: the admin's path on a real systemd dom0. The disk dom0
# (tools/e2e/build-disk.sh: debootstrap bookworm, systemd as init, Debian's kernel and
# initrd) has the project's .deb installed with `apt install ./xen-kexec-load_*.deb` and
# the unit enabled with `systemctl enable xen-kexec-load.service`, nothing else. Xen
# reserves the crash region; at boot the unit arms the crash kernel (its journal line),
# `systemctl is-active` says active and `xen-kexec-load status` exits 0.
DISK=yes
TIMEOUT=300
EXPECT='E2E: disk dom0 up
E2E: scenario disk-provision
E2E: package xen-kexec-load
E2E: is-enabled rc=0
E2E: is-active rc=0
E2E: journal: loaded
E2E: status crash rc=0
E2E: scenario disk-provision returned rc=0'
FORBID=""

dom0() {
  mark "package xen-kexec-load $(dpkg-query -W -f='${Version} ${Status}' xen-kexec-load)"
  expect 0 is-enabled systemctl is-enabled xen-kexec-load.service
  expect 0 is-active systemctl is-active xen-kexec-load.service
  journal_of xen-kexec-load.service
  expect 0 "status crash" "$TOOL" status --type crash
}
