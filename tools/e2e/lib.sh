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

# Debian 13 "trixie" (XEN=stock-4.20): its Xen 4.20 and its signed 6.12 kernel (dom0's and
# the crash kernel), fetched from trixie by trixie-inputs.sh; the bookworm bzImage above is
# the second crash kernel there (/boot/vmlinuz-crash-bookworm).
TRIXIE_KERNEL_PKG=linux-image-6.12.117+deb13-amd64
TRIXIE_KERNEL_VER=6.12.117+deb13-amd64
TRIXIE_XEN_PKG=xen-hypervisor-4.20-amd64

# The crash kernel's command line: serial console straight on the UART (Xen is
# gone by then), one CPU, and reset on panic so a failed crash kernel ends the run.
# no_timer_check: under TCG on a busy host Linux's IO-APIC timer test (arch/x86/kernel/apic/
# io_apic.c check_timer) can miss its ticks and panic "IO-APIC + timer doesn't work!"; the
# check proves nothing about the loader, so the crash kernels skip it.
CRASH_CMDLINE="console=ttyS0,115200 earlyprintk=serial,ttyS0,115200 nr_cpus=1 irqpoll reset_devices panic=-1 no_timer_check rdinit=/init"

# UEFI firmware (package ovmf): the non-SMM build for both UEFI hosts, with a fresh copy
# of plain variables (uefi) or of the snakeoil ones, which enrol Debian's snakeoil
# certificate as PK, KEK and db and turn Secure Boot on (uefi-sb). See docs/uefi.md.
OVMF_CODE=/usr/share/OVMF/OVMF_CODE_4M.fd
OVMF_VARS=/usr/share/OVMF/OVMF_VARS_4M.fd
OVMF_VARS_SECURE_BOOT=/usr/share/OVMF/OVMF_VARS_4M.snakeoil.fd
SNAKEOIL_KEY=/usr/share/ovmf/PkKek-1-snakeoil.key    # encrypted, password "snakeoil"
SNAKEOIL_CERT=/usr/share/ovmf/PkKek-1-snakeoil.pem

# What a second kernel prints when it found ACPI (Linux drivers/acpi/acpica/tbprint.c,
# drivers/acpi/bus.c) and what it prints when it did not (drivers/acpi/acpica/tbxfroot.c):
# the UEFI scenarios put these after "Executing kexec image" in EXPECT and in FORBID.
ACPI_OK_EXPECT='ACPI: RSDP 0x
ACPI: Interpreter enabled'
ACPI_MISSING_FORBID='A valid RSDP was not found
ACPI: Interpreter disabled'

# The crash path every crash scenario EXPECTs: dom0's panic marker and Xen's line before
# it runs the crash image (Xen common/shutdown.c hwdom_shutdown, common/kexec.c), and the
# crash kernel's /proc/vmcore check (vmcore-check.c) and its last marker
# (guest/init-crash.sh). Scenarios put their own lines (purgatory or Xen digest check,
# ACPI, e2e_loader=) between the two.
PANIC_EXPECT='E2E: panic now
Hardware Dom0 crashed: Executing kexec image on cpu0'
CRASH_DONE_EXPECT='E2E: vmcore ok:
E2E: CRASH KERNEL DONE'

mkdir -p "$OUT" "$LOGS"

log() { printf 'e2e: %s\n' "$*" >&2; }
die() { printf 'e2e: error: %s\n' "$*" >&2; exit 1; }

# load_scenario NAME: the defaults every scenario starts from, then its file.
# Scenario files are plain sh (also sourced by busybox ash in dom0), so
# multi-marker settings are newline-separated strings, not arrays.
load_scenario() {
  local f="$HERE/scenarios/$1.sh"
  [ -f "$f" ] || die "no scenario $1 ($f)"
  XEN=stock                  # stock: Debian's 4.17 | stock-4.20: Debian 13's 4.20 | efi: tools/e2e/xen-efi/build.sh | none: no Xen
  FIRMWARE=bios              # bios: SeaBIOS, Xen by multiboot | uefi: OVMF starts xen.efi | uefi-sb: same, Secure Boot on | uefi-sb-dbx: uefi-sb with the snakeoil crash kernel's hash in dbx
  XEN_SIGNED=yes             # uefi-sb only: no boots an unsigned xen.efi (the firmware must refuse it)
  CPU=qemu64                 # never "max" (SMAP under TCG kills PV dom0 without smap=0)
  MEM=2G
  SMP=1
  XEN_ARGS="dom0_mem=512M,max:512M crashkernel=256M@1G"   # DISK=yes: crashkernel=ESTIMATE@OFFSET reserves
                             # what `xen-kexec-load estimate` recommends (estimate_crashkernel)
  DOM0_ARGS=""               # extra dom0 (or bare kernel) command-line words
  DEBUG_KEY_AFTER=""         # marker after which Ctrl-A x3 + C is typed on the serial line
  STOP_AT=""                 # marker after which QEMU is stopped (a run that would otherwise wait forever)
  POWER_CUT_AT=""            # marker after whose first appearance QEMU is killed (SIGKILL) and the
                             # same machine (same disk) started again; the serial log goes on
  TIMEOUT=240                # seconds; a run is 20-30 s idle, ~50 s on a busy host
  NEEDS_TOOL=yes             # fail fast when xen-kexec-load did not build
  NEEDS_FIDELITY=no          # yes: boot the image that adds the test-only xen-kexec-fidelity (fidelity-*,
                             # fault-load), and fail fast when it did not build
  DISK=no                    # yes: boot the systemd dom0 from its disk (tools/e2e/build-disk.sh)
  REBOOTS=no                 # yes: a reset reboots the machine (no -no-reboot); set STOP_AT to end the run
  DEFAULT_RUN=yes            # no: run only when named (run-suite.sh NAME), not in the default run
  NEEDS_DEBUG_VMLINUX=no     # yes: the host check runs crash with the disk dom0 kernel's debug vmlinux
                             # (run-suite.sh runs fetch-debug-vmlinux.sh first; docs/dumps.md)
  EXPECT=""                  # markers that must appear, in this order
  FORBID=""                  # markers that must not appear anywhere
  unset -f host_check 2>/dev/null || true
  # shellcheck source=/dev/null
  . "$f"
  # The image with both static binaries (NEEDS_FIDELITY=yes) does not unpack in a 512 MiB
  # dom0, whose tmpfs root takes at most half the RAM (Linux mm/shmem.c,
  # shmem_default_max_blocks; build-initramfs.sh): such a scenario's dom0 gets 768 MiB, as
  # bench-load's does.
  if [ "$NEEDS_FIDELITY" = yes ]; then XEN_ARGS=${XEN_ARGS//dom0_mem=512M,max:512M/dom0_mem=768M,max:768M}; fi
}

# estimate_crashkernel MEM: the size (e.g. 304M) `xen-kexec-load estimate` recommends for the
# crash kernel and initrd the disk dom0's provision arms (build-disk.sh copies them out as
# $OUT/disk-kdump-vmlinuz and $OUT/disk-kdump-initrd) on a host with MEM of RAM. Its whole
# report goes to stderr.
estimate_crashkernel() {
  local out
  out=$("$OUT/xen-kexec-load" estimate --kernel "$OUT/disk-kdump-vmlinuz" --initrd "$OUT/disk-kdump-initrd" --host-ram "$1") || return 1
  printf '%s\n' "$out" >&2
  printf '%s\n' "$out" | sed -n 's/^recommended: crashkernel=\([0-9]*[MG]\) .*/\1/p' | grep .
}

# xen_image XEN: the multiboot hypervisor image for a scenario's XEN= setting (FIRMWARE=bios).
xen_image() {
  case "$1" in
    stock) echo "$OUT/xen-4.17-amd64" ;;
    stock-4.20) echo "$OUT/xen-4.20-amd64" ;;   # trixie-inputs.sh
    efi)   cat "$OUT/xen-efi.path" 2>/dev/null ;;   # written by run-suite.sh after building it
    none)  echo "" ;;
    *)     die "unknown XEN=$1" ;;
  esac
}

# dom0_boot XEN: what dom0 boots for a scenario's XEN= setting. Sets DOM0_KERNEL,
# DOM0_INITRD, DOM0_TOOL and DOM0_FIDELITY (the xen-kexec-load and xen-kexec-fidelity builds
# inside that initramfs): Debian 13's Xen 4.20 gets the trixie kernel and the trixie
# initramfs (trixie-inputs.sh), every other setting the bookworm ones; a scenario with
# NEEDS_FIDELITY=yes gets the image that carries xen-kexec-fidelity besides xen-kexec-load.
dom0_boot() {
  case "$1" in
    stock-4.20) DOM0_KERNEL="$OUT/trixie/vmlinuz" DOM0_INITRD="$OUT/trixie/initrd-dom0.gz"
                DOM0_TOOL="$OUT/trixie/xen-kexec-load" DOM0_FIDELITY="$OUT/trixie/xen-kexec-fidelity" ;;
    *)          DOM0_KERNEL="$OUT/vmlinuz" DOM0_INITRD="$OUT/initrd-dom0.gz"
                DOM0_TOOL="$OUT/xen-kexec-load" DOM0_FIDELITY="$OUT/xen-kexec-fidelity" ;;
  esac
  # The fidelity and fault-load scenarios boot the image that adds xen-kexec-fidelity to
  # xen-kexec-load (build-initramfs.sh, trixie-inputs.sh); the others never carry it.
  if [ "${NEEDS_FIDELITY:-no}" = yes ]; then DOM0_INITRD="${DOM0_INITRD%.gz}-fidelity.gz"; fi
}

# xen_efi_image XEN: the same hypervisor as an EFI application (FIRMWARE=uefi|uefi-sb).
xen_efi_image() {
  case "$1" in
    stock) echo "$OUT/xen-4.17-amd64.efi" ;;        # Debian's /boot/xen-4.17-amd64.efi (fetch-inputs.sh)
    efi)   cat "$OUT/xen-efi.efi.path" 2>/dev/null ;;  # xen.efi of the same build, written by run-suite.sh
    *)     die "no EFI image for XEN=$1" ;;
  esac
}
