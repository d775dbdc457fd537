# fidelity-4.20: XenRules against Debian 13's Xen 4.20, predicted with the 4.17 rules (Xen's
# kexec_load checks did not change between the two). 256 seeded segment arrays near the
# edges of Xen's load rules (types 0/1 and the refusal of 2, 3 and 7) go straight to
# xc_kexec_load without the preflight, through trixie's libxenctrl.so.4.20; every answer
# (accept, or the errno) must be the one XenRules predicts. See docs/xen-rules.md.
XEN=stock-4.20
NEEDS_TOOL=no       # xen-kexec-fidelity, not xen-kexec-load
NEEDS_FIDELITY=yes
EXPECT='E2E: scenario fidelity-4.20
FIDELITY: 256 agree, 0 disagree
E2E: fidelity rc=0'
FORBID='DISAGREE
E2E: FAIL'

dom0() {
  need_fidelity || return 1
  expect 0 fidelity "$FIDELITY" --rules xen-4.17 --seed 420 --count 256
}
