/// The whole pages of Xen's crash region, where every crash segment must lie.
///
/// Xen stores `crashkernel=SIZE@OFFSET` as written: x86 `kexec_reserve_area()` (Xen
/// xen/arch/x86/setup.c) reserves `[OFFSET, OFFSET + PAGE_ALIGN(SIZE))` in the e820 without
/// aligning OFFSET, and `KEXEC_CMD_kexec_get_range` reports `{OFFSET, SIZE}` unrounded (Xen
/// xen/common/kexec.c `kexec_get_reserve`). A crash segment must start and end on page
/// boundaries (Xen xen/common/kimage.c `do_kimage_alloc`, EADDRNOTAVAIL) and lie inside
/// `[OFFSET, OFFSET + SIZE)` (`kimage_crash_alloc`), so a region whose base or size is not a
/// page multiple can hold segments only in its page-aligned interior; the planner plans
/// there, and the crash kernel's memory map offers only those pages.
public enum CrashRegionPages {
    /// `[pageUp(start), pageDown(end))`, or nil when that holds no whole page.
    public static func usable(_ region: AddressRange) -> AddressRange? {
        guard let end = region.end, let start = Checked.pageUp(region.start) else { return nil }
        let top = Checked.pageDown(end)
        return top > start ? AddressRange(start: start, size: top - start) : nil
    }
}
