import KexecImage

/// The crash region as Xen's `crashkernel=SIZE@OFFSET` option writes it, e.g. `256M@1G`.
///
/// Offline plans take the region from this syntax; online it comes from Xen.
/// The corresponding hypercall is `KEXEC_CMD_kexec_get_range` with `KEXEC_RANGE_MA_CRASH`.
public enum CrashRegion {
    /// Parses `SIZE@OFFSET` (units K, M, G, T, case-insensitive; decimal or `0x` hex).
    /// Returns nil for malformed text, a zero size, or a range that overflows 64 bits.
    public static func parse(_ text: String) -> AddressRange? {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, let size = parseSize(String(parts[0])), let base = parseSize(String(parts[1])),
            size > 0, Checked.add(base, size) != nil
        else { return nil }
        return AddressRange(start: base, size: size)
    }

    /// Parses a Xen size: `64M`, `1G`, `0x40000000`, `4096`.
    public static func parseSize(_ text: String) -> UInt64? {
        var digits = Substring(text)
        var multiplier: UInt64 = 1
        if let last = digits.last, !last.isHexDigit || (!digits.hasPrefix("0x") && last.isLetter) {
            switch last.uppercased() {
            case "K": multiplier = 1 << 10
            case "M": multiplier = 1 << 20
            case "G": multiplier = 1 << 30
            case "T": multiplier = 1 << 40
            default: return nil
            }
            digits = digits.dropLast()
        }
        let value: UInt64?
        if digits.hasPrefix("0x") || digits.hasPrefix("0X") {
            value = UInt64(digits.dropFirst(2), radix: 16)
        } else {
            value = UInt64(digits, radix: 10)
        }
        guard let v = value else { return nil }
        return Checked.mul(v, multiplier)
    }
}

extension HostDescription {
    /// A minimal host for offline plans made from `--crash-region` alone: RAM at
    /// `[0, 0x9fc00)`, reserved `[0x9fc00, 0xa0000)` and `[0xf0000, 0x100000)` (EBDA and BIOS),
    /// RAM from 1 MiB to the end of the crash region rounded up to 1 GiB, no CPU notes and
    /// no VMCOREINFO. With an ACPI RSDP (`plan --acpi-rsdp`), the pages holding its first
    /// 20 bytes are typed ACPI where they would be RAM (a firmware keeps its tables outside
    /// RAM). Documented in docs/planner.md; real plans use `range --json` output.
    ///
    /// Throws `PlanError.addressOverflow` naming the value when the region's end, or that end
    /// rounded up to 1 GiB, does not fit in 64 bits.
    public static func synthesized(
        crashRegion: AddressRange, acpiRsdp: UInt64? = nil, acpiRsdpSource: AcpiRsdpSource? = nil,
        firmware: HostFirmware = .unknown
    ) throws(PlanError) -> HostDescription {
        let oneMiB: UInt64 = 0x10_0000
        let gib: UInt64 = 1 << 30
        let regionEnd = try Checked.add(crashRegion.start, crashRegion.size, field: "crash region end (start + size)")
        guard let roundedEnd = Checked.alignUp(regionEnd, gib) else {
            throw .addressOverflow("synthesized host RAM end (crash region end \(hex(regionEnd)) rounded up to 1 GiB)")
        }
        let ramEnd = max(roundedEnd, oneMiB)
        var map = [
            MemoryRange(start: 0, size: 0x9_FC00, type: .ram),
            MemoryRange(start: 0x9_FC00, size: 0x400, type: .reserved),
            MemoryRange(start: 0xF_0000, size: 0x1_0000, type: .reserved),
            MemoryRange(start: oneMiB, size: ramEnd - oneMiB, type: .ram),
        ]
        if let rsdp = acpiRsdp, let table = AddressRange(start: rsdp, size: AcpiRsdpCheck.minimumLength).pageRounded {
            var carved: [MemoryRange] = []
            for m in map {
                guard m.isRAM, m.range.overlaps(table) else { carved.append(m); continue }
                for piece in m.range.subtracting([table]) { carved.append(MemoryRange(range: piece, rawType: m.type)) }
            }
            if !carved.contains(where: { !$0.isRAM && $0.range.contains(table) }) {
                carved.append(MemoryRange(range: table, rawType: E820Type.acpi.rawValue))
            }
            map = carved.sorted { $0.range < $1.range }
        }
        return HostDescription(
            crashRegion: crashRegion, memoryMap: map, acpiRsdp: acpiRsdp, acpiRsdpSource: acpiRsdpSource, firmware: firmware)
    }
}

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
