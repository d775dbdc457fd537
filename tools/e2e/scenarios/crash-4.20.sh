# crash-4.20: `crash` on Debian 13: trixie's Xen 4.20, its signed 6.12 kernel as dom0 and as
# the crash kernel, the trixie build of the tool (libxenctrl.so.4.20) and trixie's
# kexec-tools as the reference loader in the same boot. Same dom0 part as crash; the
# crash kernel's banner must be the 6.12 one.
if [ -n "${HERE:-}" ]; then . "$HERE/scenarios/crash.sh"; else . /e2e/scenarios/crash.sh; fi
# The 64 MiB load figure is crash's alone (Xen 4.17): one figure per CI run is enough.
FIGURE_64M=no
EXPECT="${EXPECT%%E2E-FIGURE: load-64MiB kexec-tools_s=*}${EXPECT#*E2E-FIGURE: load-64MiB kexec-tools_s=
}"
XEN=stock-4.20
EXPECT="${EXPECT%%E2E: CRASH KERNEL UP*}Linux version 6.12.
E2E: CRASH KERNEL UP${EXPECT#*E2E: CRASH KERNEL UP}"
