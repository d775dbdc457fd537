# efi-dry-run-equals-offline: dry-run-equals-offline on the test Xen (XEN=efi, which takes
# KEXEC_TYPE_CRASH_EFI): dom0's `load --efi --dry-run --json` must equal the build host's
# offline `plan --efi --host` byte for byte. The same boot repeats the comparison for
# `--type crash` and `--type default` on this hypervisor. Same dom0 part and host check.
if [ -n "${HERE:-}" ]; then . "$HERE/scenarios/dry-run-equals-offline.sh"; else . /e2e/scenarios/dry-run-equals-offline.sh; fi
XEN=efi
DRY_RUNS='efi:vmlinuz-crash --initrd initrd-crash.gz --efi
crash:vmlinuz-crash --initrd initrd-crash.gz --type crash
default:vmlinuz-crash --initrd initrd-crash.gz --type default'
dry_run_expect
