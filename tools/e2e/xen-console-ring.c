/*
 * xen-console-ring: prints Xen's console ring (what `xl dmesg` shows) on stdout.
 * Runs in the e2e dom0, which has no xl: the scenarios read Xen's own boot messages
 * (its RAM map and its "Kdump:" line) to tell the crash kernel what a complete
 * /proc/vmcore must cover (guest/lib.sh xen_ram_words, vmcore-check.c).
 *
 * Linked statically against libxenctrl: XEN_SYSCTL_readconsole's interface version
 * (XEN_SYSCTL_INTERFACE_VERSION 0x15, xen/include/public/sysctl.h) is the same in
 * Xen 4.17 and 4.20, so one binary serves both dom0 images. Exit 0, or 1 with a
 * reason on stderr. Uses xc_readconsolering (tools/libs/ctrl/xc_misc.c).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xenctrl.h>

int main(void)
{
	xc_interface *xch = xc_interface_open(NULL, NULL, 0);
	if (!xch) {
		fprintf(stderr, "xen-console-ring: xc_interface_open: %s\n", strerror(errno));
		return 1;
	}
	/* Xen copies at most *size bytes, the oldest first; 1 MiB holds any ring the
	 * e2e hosts configure (default 16 KiB, conring_size=). */
	unsigned int size = 1u << 20;
	char *buf = malloc(size);
	if (!buf) {
		fprintf(stderr, "xen-console-ring: out of memory\n");
		return 1;
	}
	if (xc_readconsolering(xch, buf, &size, 0, 0, NULL) != 0) {
		fprintf(stderr, "xen-console-ring: XEN_SYSCTL_readconsole: %s\n", strerror(errno));
		return 1;
	}
	fwrite(buf, 1, size, stdout);
	xc_interface_close(xch);
	return 0;
}
