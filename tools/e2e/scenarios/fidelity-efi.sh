# fidelity-efi: XenRules against the project's test Xen with KEXEC_TYPE_CRASH_EFI
# (tools/e2e/xen-efi). 288 seeded cases, including type 3 with each of the entry rules
# broken once; every answer must be the one XenRules predicts for the test Xen (errno-level
# agreement). host_check: rule-level agreement, the rule XenRules named against the reason
# the test Xen printed for each refusal (tools/e2e/fidelity-rule-check.sh).
XEN=efi
NEEDS_TOOL=no       # xen-kexec-fidelity, not xen-kexec-load
NEEDS_FIDELITY=yes
EXPECT='E2E: scenario fidelity-efi
FIDELITY: 288 agree, 0 disagree
E2E: fidelity rc=0'
FORBID='DISAGREE
E2E: FAIL'

dom0() {
  need_fidelity || return 1
  expect 0 fidelity "$FIDELITY" --rules test-xen --seed 3 --count 288
}

host_check() {
  . "$HERE/fidelity-rule-check.sh"
  fidelity_rule_check "$1"
}
