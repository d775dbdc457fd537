# fidelity-4.17: XenRules against Debian's Xen 4.17. 264 seeded segment arrays near the
# edges of Xen's load rules (types 0/1 and the refusal of 2, 3 and 7) go straight to
# xc_kexec_load without the preflight; every answer (accept, or the errno) must be the
# one XenRules predicts. See docs/xen-rules.md.
NEEDS_TOOL=no       # xen-kexec-fidelity, not xen-kexec-load
NEEDS_FIDELITY=yes
EXPECT='E2E: scenario fidelity-4.17
FIDELITY: 264 agree, 0 disagree
E2E: fidelity rc=0'
FORBID='DISAGREE
E2E: FAIL'

dom0() {
  need_fidelity || return 1
  expect 0 fidelity "$FIDELITY" --rules xen-4.17 --seed 417 --count 264
}
