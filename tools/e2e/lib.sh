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

# load_scenario NAME: the defaults every scenario starts from, then its file.
# Scenario files are plain sh (also sourced by busybox ash in dom0), so
# multi-marker settings are newline-separated strings, not arrays.
load_scenario() {
  local f="$HERE/scenarios/$1.sh"
  [ -f "$f" ] || die "no scenario $1 ($f)"
  XEN=stock                  # stock: Debian's 4.17 | efi: tools/e2e/xen-efi/build.sh | none: no Xen
  CPU=qemu64                 # never "max" (SMAP under TCG kills PV dom0 without smap=0)
  MEM=2G
  SMP=1
  XEN_ARGS="dom0_mem=512M,max:512M crashkernel=256M@1G"
  DOM0_ARGS=""               # extra dom0 (or bare kernel) command-line words
  DEBUG_KEY_AFTER=""         # marker after which Ctrl-A x3 + C is typed on the serial line
  TIMEOUT=240                # seconds; a run is 20-30 s idle, ~50 s on a busy host
  NEEDS_TOOL=yes             # fail fast when xen-kexec-load did not build
  DISK=no                    # yes: boot the systemd dom0 from its disk (tools/e2e/build-disk.sh)
  EXPECT=""                  # markers that must appear, in this order
  FORBID=""                  # markers that must not appear anywhere
  unset -f host_check 2>/dev/null || true
  # shellcheck source=/dev/null
  . "$f"
}

# xen_image XEN: the hypervisor image for a scenario's XEN= setting.
xen_image() {
  case "$1" in
    stock) echo "$OUT/xen-4.17-amd64" ;;
    efi)   cat "$OUT/xen-efi.path" 2>/dev/null ;;   # written by run-suite.sh after building it
    none)  echo "" ;;
    *)     die "unknown XEN=$1" ;;
  esac
}
