# Host-side checks shared by the EFI scenarios (scenarios/efi-*.sh): they compare what
# xen-kexec-load logged in dom0 with what the test Xen printed on its console
# (tools/e2e/xen-efi/README.md, "Console lines"). Sourced by a scenario's host_check
# (bash, on the host; never in dom0). Each check prints one line: the reason on failure
# (return 1), the evidence on success.

HEX64='[0-9a-f]\{64\}'

# last_match LOG SED-SCRIPT: the last line the sed script prints from LOG (serial
# logs end lines with \r).
last_match() { tr -d '\r' < "$1" | sed -n "$2" | tail -n 1; }

# The digest of the image the tool armed last: a load, or the re-arm after a refused reload
# (xen-kexec-load's, or the library's loader in the test-only xen-kexec-fidelity fault-load).
tool_digest() {
  last_match "$1" "s/.*xen-kexec-load: loaded crash-efi image: [0-9]* segments, digest \($HEX64\).*/\1/p
                   s/.*xen-kexec-\(load\|fidelity\): warning: re-armed the previous crash-efi image (digest \($HEX64\)).*/\2/p"
}
# Xen's digest of the image it armed last (printed only when a load succeeds).
xen_load_digest() { last_match "$1" "s/.*(XEN) kexec: image digest sha256 \($HEX64\) type 3 .*/\1/p"; }
# Xen's digest check before the jump.
xen_entry_digest() { last_match "$1" "s/.*(XEN) kexec: digest ok sha256 \($HEX64\), entering .*/\1/p"; }

# efi_digests_agree LOG: the armed image's digest is the same in the tool's log, in
# Xen's load line and in Xen's check before the jump.
efi_digests_agree() {
  local tool xen entry
  tool=$(tool_digest "$1") xen=$(xen_load_digest "$1") entry=$(xen_entry_digest "$1")
  [ -n "$tool" ] || { echo "xen-kexec-load logged no crash-efi digest"; return 1; }
  [ "$tool" = "$xen" ] || { echo "xen-kexec-load armed digest $tool, Xen computed ${xen:-none}"; return 1; }
  [ "$tool" = "$entry" ] || { echo "Xen checked ${entry:-no digest} before the jump, not $tool"; return 1; }
  echo "digest $tool: xen-kexec-load = Xen at load = Xen before the jump"
}

# efi_entry_agrees LOG: Xen enters the kernel itself (no purgatory) at the entry the
# tool planned, with the tool's boot_params in %rsi. The plan table's first line reads
# "type crash-efi (3), arch 62, parameters (boot_params) P, kernel entry E".
efi_entry_agrees() {
  local plan xen
  plan=$(last_match "$1" 's/.*type crash-efi (3), arch 62, parameters (boot_params) \(0x[0-9a-f]*\), kernel entry \(0x[0-9a-f]*\)$/\2 \1/p')
  xen=$(last_match "$1" 's/.*(XEN) kexec: CRASH_EFI entry \(0x[0-9a-f]*\) boot_params \(0x[0-9a-f]*\)$/\1 \2/p')
  [ -n "$plan" ] || { echo "no crash-efi plan table in the log"; return 1; }
  [ "$plan" = "$xen" ] || { echo "the plan's entry/boot_params $plan, Xen's ${xen:-none}"; return 1; }
  echo "entry/boot_params $plan: plan = Xen"
}

# efi_armed_image_ok LOG: both checks above, on one line (run-scenario.sh shows the
# last line of host_check's output after PASS).
efi_armed_image_ok() {
  local entry digest
  entry=$(efi_entry_agrees "$1") || { echo "$entry"; return 1; }
  digest=$(efi_digests_agree "$1") || { echo "$digest"; return 1; }
  echo "$entry; $digest"
}

# efi_segment0_is_bzimage LOG WHAT: Xen's segment 0 is exactly the signed bzImage
# ($OUT/vmlinuz): Xen's printed sha256 of it equals the file's. WHAT names segment 0's
# source in the message (the ELF envelope's .kernel, the UKI's .linux).
efi_segment0_is_bzimage() {
  local want got
  want=$(sha256sum < "$OUT/vmlinuz" | cut -d' ' -f1)
  got=$(last_match "$1" "s/.*(XEN) kexec: seg0 0x[0-9a-f]*+0x[0-9a-f]* sha256 \($HEX64\)$/\1/p")
  [ "$got" = "$want" ] || { echo "Xen's segment 0 has sha256 ${got:-none}, $2 (the bzImage) $want"; return 1; }
  echo "segment 0 = $2 (sha256 $want)"
}
