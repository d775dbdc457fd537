# crash-4.20-bookworm-kernel: `crash` on Debian 13's Xen 4.20 and 6.12 dom0 with Debian 12's
# signed 6.1 kernel as the crash kernel (/boot/vmlinuz-crash-bookworm): an admin who keeps
# the older kernel for kdump. Same dom0 part as crash (both loaders load the 6.1 kernel);
# the crash kernel's banner must be the 6.1 one.
if [ -n "${HERE:-}" ]; then . "$HERE/scenarios/crash.sh"; else . /e2e/scenarios/crash.sh; fi
# The 64 MiB load figure is crash's alone (Xen 4.17): one figure per CI run is enough.
FIGURE_64M=no
EXPECT="${EXPECT%%E2E-FIGURE: load-64MiB kexec-tools_s=*}${EXPECT#*E2E-FIGURE: load-64MiB kexec-tools_s=
}"
XEN=stock-4.20
KERNEL=/boot/vmlinuz-crash-bookworm
EXPECT="${EXPECT%%E2E: CRASH KERNEL UP*}Linux version 6.1.0-
E2E: CRASH KERNEL UP${EXPECT#*E2E: CRASH KERNEL UP}"
