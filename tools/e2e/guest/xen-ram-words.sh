#!/bin/sh
# xen-ram-words.sh: reads Xen's boot messages on stdin (its console ring, as `xl dmesg`
# prints it, or the serial log) and prints the two crash command-line words that
# vmcore-check compares /proc/vmcore's PT_LOAD segments with:
#
#   e2e_xen_ram=START-END[,START-END...]   every "(usable)" entry of the last RAM map Xen
#                                          printed ("Xen-e820 RAM map:" or "EFI RAM map:",
#                                          xen/arch/x86/setup.c), hex, inclusive ends
#   e2e_xen_crash=0xBASE+SIZEk             Xen's crash region, from its "Kdump: ..." line
#                                          (xen/arch/x86/setup.c, kexec_reserve_area)
#
# Text only, no arithmetic: vmcore-check does the subtraction. Plain awk, so busybox runs
# it in dom0 and tools/e2e/vmcore-check-test.sh runs it on the build host. Exit 1 (and
# nothing on stdout) when either is missing.
tr -d '\r' | awk '
  # "(XEN) Xen-e820 RAM map:" / "(XEN) EFI RAM map:" starts a map; a later one replaces it.
  /^\(XEN\) .*RAM map:$/ { ram = ""; inmap = 1; next }
  # "(XEN)  [0000000000100000, 000000007ffdffff] (usable)"
  inmap && /^\(XEN\)  \[[0-9a-f]+, [0-9a-f]+\] / {
    if ($0 ~ /\(usable\)$/) {
      s = $2; e = $3
      gsub(/[\[,]/, "", s); gsub(/\]/, "", e)
      sub(/^0+/, "", s); sub(/^0+/, "", e)
      if (s == "") s = "0"
      if (e == "") e = "0"
      ram = ram (ram == "" ? "" : ",") s "-" e
    }
    next
  }
  { inmap = 0 }
  # "(XEN) Kdump: 256MB (262144kB) at 0x40000000"
  /^\(XEN\) Kdump: [0-9]+MB \([0-9]+kB\) at 0x[0-9a-f]+$/ {
    kb = $4; sub(/^\(/, "", kb); sub(/kB\)$/, "", kb)
    crash = $6 "+" kb "k"
  }
  END {
    if (ram == "" || crash == "") exit 1
    print "e2e_xen_ram=" ram " e2e_xen_crash=" crash
  }'
