# Rule-level agreement of a fidelity run on the test Xen, from its serial log (sourced by
# scenarios/fidelity-efi.sh's host_check; bash, on the host). The test Xen prints a reason
# line for each type-3 entry rule it breaks (machine_kexec_efi_setup) and "type N load failed
# (E) after writing its segments" for any crash load refused after the copy (kexec_load);
# tools/e2e/xen-efi/README.md lists the lines. The refusals before the copy (kexec_load,
# kimage_alloc, kimage_crash_alloc, do_kimage_alloc) print nothing. So each case's Xen
# reason is: the rule Xen named, else the phase it refused in (after the copy / before it),
# else accept. The rule XenRules predicted (in the runner's "FIDELITY case" line) must be
# that rule, or a rule of that phase. Prints one summary line; returns 1 on a disagreement.

fidelity_rule_check() {
  tr -d '\r' < "$1" | awk '
    BEGIN {
      split("tooManySegments unknownType entryOutsideCrashRegion segmentOutsideCrashRegion segmentNotPageAligned segmentEndWraps segmentsOverlap bufferLargerThanDestination noControlPage", b, " ")
      for (i in b) before[b[i]] = 1
      split("emptyBufferlessSegment noPageTablePage unsupportedArch noPageTableForRelocationCode", a, " ")
      for (i in a) after[a[i]] = 1
      split("efiSegment0Unusable efiArchNotX86_64 efiKernelHeaderInvalid efiKernelAlignmentInvalid efiKernelNotAligned", n, " ")
      for (i in n) { named[n[i]] = 1; after[n[i]] = 1 }
    }
    /\(XEN\) kexec: CRASH_EFI segment 0 is not a bzImage/   { reason = "efiSegment0Unusable" }
    /\(XEN\) kexec: CRASH_EFI needs arch EM_X86_64/         { reason = "efiArchNotX86_64" }
    /\(XEN\) kexec: CRASH_EFI segment 0 has no usable setup header/ { reason = "efiKernelHeaderInvalid" }
    /\(XEN\) kexec: CRASH_EFI kernel_alignment .* invalid/  { reason = "efiKernelAlignmentInvalid" }
    /\(XEN\) kexec: CRASH_EFI kernel at .* not aligned to/  { reason = "efiKernelNotAligned" }
    /\(XEN\) kexec: type [0-9]+ load failed .* after writing its segments/ { copied = 1 }
    /FIDELITY case [0-9]+ / {
      line = $0
      predicted = "accept"
      if (match(line, /predicted [A-Z]+ \([A-Za-z0-9_]+\)/)) {
        p = substr(line, RSTART, RLENGTH); sub(/.*\(/, "", p); sub(/\)/, "", p); predicted = p
      }
      xen = line; sub(/.*, xen /, "", xen); sub(/:.*/, "", xen)
      if (reason != "") { ok = (predicted == reason); byName++ }
      else if (predicted in named) { ok = 0 }
      else if (copied) { ok = (predicted in after); byPhase++ }
      else if (xen != "accept") { ok = (predicted in before) || (line ~ / default-/ && predicted in after); byPhase++ }
      else { ok = (predicted == "accept"); byAccept++ }
      if (ok) agree++; else { disagree++; printf "rule-level DISAGREE: %s (Xen: %s)\n", line, (reason != "" ? reason : (copied ? "refused after the copy" : (xen == "accept" ? "accept" : "refused before the copy"))) }
      reason = ""; copied = 0
    }
    END {
      printf "rule-level: %d agree, %d disagree (%d by the reason Xen printed, %d by the phase Xen refused in, %d accepted)\n", agree, disagree, byName, byPhase, byAccept
      exit (disagree > 0 || agree == 0)
    }'
}
