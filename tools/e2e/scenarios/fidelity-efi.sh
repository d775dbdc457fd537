# fidelity-efi: XenRules against the project's test Xen with KEXEC_TYPE_CRASH_EFI
# (tools/e2e/xen-efi). 264 seeded cases, including type 3 with each of the entry rules
# broken once; every answer must be the one XenRules predicts for the test Xen.
XEN=efi
EXPECT='E2E: scenario fidelity-efi
FIDELITY: 264 agree, 0 disagree
E2E: fidelity rc=0'
FORBID='DISAGREE
E2E: FAIL'

dom0() {
  need_tool || return 1
  expect 0 fidelity "$TOOL" fidelity --rules test-xen --seed 3 --count 264
}
