/// The physical address width every address of a host description must fit in.
///
/// x86-64 defines MAXPHYADDR as at most 52 bits (CPUID leaf 0x80000008, EAX[7:0]; Linux
/// arch/x86/include/asm/sparsemem.h `MAX_PHYSMEM_BITS` is 52 with 5-level paging, 46
/// without). Xen's machine memory map, crash region, notes and image all lie below the
/// host's width, so a description with an address beyond it came from no real host. A host
/// description may give the host's own width (`physicalAddressBits`, the "address sizes …
/// bits physical" of the host's `/proc/cpuinfo`); without it the architectural 52 applies.
/// Xen reports these addresses through `KEXEC_CMD_kexec_get_range` and `XENMEM_machine_memory_map`.
public enum PhysicalAddressWidth {
    /// x86-64's architectural maximum MAXPHYADDR.
    public static let architecturalMaximum = 52
    /// The smallest width accepted in a host description (x86-64 CPUs report 36 or more).
    public static let smallest = 32

    /// The first address beyond `bits` bits: `1 << bits`.
    public static func limit(bits: Int) -> UInt64 { UInt64(1) << UInt64(bits) }
}

extension HostDescription {
    /// The width this description's addresses must fit in: its own, else 52.
    public var addressWidth: Int { physicalAddressBits ?? PhysicalAddressWidth.architecturalMaximum }

    /// Checks that the width is an x86-64 one and that every address lies below it.
    /// The first offending range is reported as ``PlanError/addressBeyondPhysicalWidth``.
    public func checkAddressWidth() throws(PlanError) {
        let bits = addressWidth
        guard (PhysicalAddressWidth.smallest...PhysicalAddressWidth.architecturalMaximum).contains(bits) else {
            throw .invalidPhysicalAddressWidth(bits: bits)
        }
        let limit = PhysicalAddressWidth.limit(bits: bits)
        var named: [(String, AddressRange)] = []
        if let c = crashRegion { named.append(("crash region", c)) }
        for m in memoryMap { named.append(("memory map entry", m.range)) }
        for n in cpuNotes { named.append(("CPU crash note", n)) }
        if let v = vmcoreInfo { named.append(("VMCOREINFO note", v)) }
        if let d = dom0VmcoreInfo { named.append(("dom0 VMCOREINFO note", d)) }
        if let x = xenImage { named.append(("Xen image", x)) }
        if let r = acpiRsdp { named.append(("ACPI RSDP", AddressRange(start: r, size: 1))) }
        for (what, range) in named {
            guard let end = range.end, end <= limit else {
                throw .addressBeyondPhysicalWidth(what: what, range: range, bits: bits)
            }
        }
    }
}
