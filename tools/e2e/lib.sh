# Shared host-side settings for the e2e harness; sourced, never run.
# Everything big lives under $E2E (outside git).
XEN_KEXEC_CACHE="${XEN_KEXEC_CACHE:-/var/cache/xen-kexec}"
E2E="$XEN_KEXEC_CACHE/e2e"
OUT="$E2E/out"          # built artefacts: xen, kernels, initramfs images, the tool
LOGS="$E2E/logs"        # one serial log per scenario, plus build logs
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"   # tools/e2e
REPO="$(cd "$HERE/../.." && pwd)"

# Pinned inputs (see docs/e2e.md). The crash kernel and dom0 kernel are the same bzImage.
KERNEL_PKG=linux-image-6.1.0-56-amd64
KERNEL_VER=6.1.0-56-amd64
XEN_PKG=xen-hypervisor-4.17-amd64

# The crash kernel's command line: serial console straight on the UART (Xen is
# gone by then), one CPU, and reset on panic so a failed crash kernel ends the run.
CRASH_CMDLINE="console=ttyS0,115200 earlyprintk=serial,ttyS0,115200 nr_cpus=1 irqpoll reset_devices panic=-1 rdinit=/init"

mkdir -p "$OUT" "$LOGS"

log() { printf 'e2e: %s\n' "$*" >&2; }
die() { printf 'e2e: error: %s\n' "$*" >&2; exit 1; }
