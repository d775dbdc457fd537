/* libxenctrl and Xen's public kexec interface, as Debian's libxen-dev ships them.
 * xenctrl.h defines __XEN_TOOLS__, so <xen/kexec.h> gives the current (not v1) ops. */
#ifndef XEN_KEXEC_CXENCTRL_SHIM_H
#define XEN_KEXEC_CXENCTRL_SHIM_H
#include <xenctrl.h>
#include <xen/kexec.h>
#include <xen/version.h>
#include <xentoollog.h>
#endif
