/// The memory the new kernel is told about (boot_params e820) and the memory a crash
/// kernel's `/proc/vmcore` exposes (the ELF core header's PT_LOADs).
///
/// A crash kernel's e820 needs at least two entries and RAM below 1 MiB — Linux ignores a
/// one-entry table (arch/x86/kernel/e820.c `append_e820_table`), and panics with "Real mode
/// trampoline was not allocated" without low RAM (arch/x86/realmode/init.c); both were seen
/// on the real hypervisor.
/// The corresponding C function is Linux's `crash_setup_memmap_entries`.
public enum CrashMemoryMap {
    /// Low RAM used when the host map has none below 640 KiB.
    public static let defaultLowRAM = AddressRange(start: 0, size: 0x9_FC00)
    static let lowLimit: UInt64 = 0xA_0000
    static let oneMiB: UInt64 = 0x10_0000
    /// Linux x86-64's direct map base; PT_LOAD p_vaddr = base + paddr (as kexec-tools writes).
    public static let directMapBase: UInt64 = 0xFFFF_8880_0000_0000

    /// Host RAM below 640 KiB, the first range extended down to 0 (kexec-tools' backup area).
    public static func lowRAM(_ host: HostDescription) -> [AddressRange] {
        var out: [AddressRange] = []
        for m in host.memoryMap where m.isRAM && m.range.start < lowLimit {
            guard let e = m.range.end else { continue }
            let end = min(e, lowLimit)
            let start = out.isEmpty && m.range.start < 0x1000 ? 0 : m.range.start
            if end > start { out.append(AddressRange(start: start, size: end - start)) }
        }
        return out.isEmpty ? [defaultLowRAM] : out
    }

    /// The e820 table of a crash kernel: low RAM, the crash region minus `excluded`
    /// (the ELF core header, the backup area), and every non-RAM range of the host map.
    public static func crashKernelE820(host: HostDescription, region: AddressRange, excluded: [AddressRange]) throws(PlanError) -> [MemoryRange] {
        var out: [MemoryRange] = []
        for r in lowRAM(host) { out.append(MemoryRange(range: r, rawType: E820Type.ram.rawValue)) }
        let rounded = excluded.compactMap(\.pageRounded)
        for piece in region.subtracting(rounded) { out.append(MemoryRange(range: piece, rawType: E820Type.ram.rawValue)) }
        for m in host.memoryMap where !m.isRAM && m.range.size > 0 {
            if out.contains(where: { $0.range.overlaps(m.range) }) { continue }
            out.append(m)
        }
        out.sort { $0.range < $1.range }
        if out.count > 128 { throw .tooManyE820Entries(count: out.count) }
        return out
    }

    /// One PT_LOAD of the ELF core header: `size` bytes of host memory at `paddr`, found in
    /// the dump at `offset` (different from `paddr` only for the backup copy of low memory).
    public struct DumpRange: Equatable, Sendable {
        public var paddr: UInt64
        public var offset: UInt64
        public var size: UInt64
    }

    /// Host RAM minus the crash region; with a backup copy, `[0, backup.size)` is read from `backup.start`.
    public static func dumpRanges(host: HostDescription, region: AddressRange, backup: AddressRange?) -> [DumpRange] {
        var out: [DumpRange] = []
        for m in host.memoryMap where m.isRAM {
            for piece in m.range.subtracting([region]) {
                guard let b = backup, let pe = piece.end, piece.start < b.size else {
                    out.append(DumpRange(paddr: piece.start, offset: piece.start, size: piece.size))
                    continue
                }
                let split = min(pe, b.size)
                out.append(DumpRange(paddr: piece.start, offset: b.start + piece.start, size: split - piece.start))
                if pe > split { out.append(DumpRange(paddr: split, offset: split, size: pe - split)) }
            }
        }
        return out
    }
}
