import KexecImage

/// Checks the ACPI RSDP a plan will hand to the new kernel against the host: when dom0
/// could read the bytes there, they must be a valid RSDP (``AcpiRsdp``: signature, checksum,
/// the ACPI 2.0 extended checksum); the whole structure (36 bytes for ACPI 2.0+, 20 for
/// ACPI 1.0 or when the bytes are unknown) must lie in a non-RAM range of Xen's machine
/// memory map (the firmware keeps ACPI tables in reserved or ACPI ranges; RAM there would
/// be reused by the crash kernel); and a UEFI host must have one at all.
///
/// The new kernel reads the address from boot_params `acpi_rsdp_addr` (0x070; Linux
/// `arch/x86/kernel/acpi/boot.c`, `x86_default_get_root_pointer`) and, for crash kernels,
/// from `acpi_rsdp=` (Linux `drivers/acpi/osl.c`, `acpi_os_get_root_pointer`, which ignores
/// it under lockdown). The corresponding hypercall is `XENMEM_machine_memory_map`, whose
/// map this checks against.
public enum AcpiRsdpCheck {
    /// The smallest RSDP (ACPI 1.0, 20 bytes): all of it must lie outside RAM.
    public static let minimumLength: UInt64 = 20

    /// `nil` when the host's RSDP (or its absence) is fine for a plan.
    public static func problem(_ host: HostDescription) -> AcpiRsdpProblem? {
        guard let address = host.acpiRsdp else {
            return host.firmware == .uefi ? .missingOnUEFI : nil
        }
        let source = host.acpiRsdpSource
        // The EFI system table's ACPI20 entry points at an ACPI 2.0 RSDP by definition
        // (UEFI 2.10, 4.6.1.1, EFI_ACPI_20_TABLE_GUID): 36 bytes even when unread.
        var length = source == .efiSystabACPI20 ? UInt64(AcpiRsdp.version2Length) : minimumLength
        if let bytes = host.acpiRsdpBytes {
            switch AcpiRsdp.parse(bytes) {
            case .success(let table): length = UInt64(table.extent)
            case .failure(let defect): return .invalid(address: address, source: source, defect: defect)
            }
        }
        let rsdp = AddressRange(start: address, size: length)
        if let ram = host.memoryMap.first(where: { $0.isRAM && $0.range.overlaps(rsdp) }) {
            return .inRAM(address: address, source: source, range: ram)
        }
        guard host.memoryMap.contains(where: { !$0.isRAM && $0.range.contains(rsdp) }) else {
            return .outsideMemoryMap(address: address, source: source)
        }
        return nil
    }
}

/// Why the host's ACPI RSDP cannot be handed to a new kernel. Every case names the address,
/// where it came from, and the override.
public enum AcpiRsdpProblem: Error, Equatable, Sendable, CustomStringConvertible {
    /// The host booted by UEFI and no source gave an RSDP.
    case missingOnUEFI
    /// The address lies in a RAM range of Xen's machine memory map.
    case inRAM(address: UInt64, source: AcpiRsdpSource?, range: MemoryRange)
    /// The address lies in no range of Xen's machine memory map.
    case outsideMemoryMap(address: UInt64, source: AcpiRsdpSource?)
    /// The bytes at the address are not an RSDP the new kernel accepts.
    case invalid(address: UInt64, source: AcpiRsdpSource?, defect: AcpiRsdpDefect)

    public static let override = "give the address Xen printed at boot (`xl dmesg | grep 'ACPI: RSDP'`) with --acpi-rsdp ADDR, or XEN_KEXEC_ACPI_RSDP=ADDR in /etc/default/xen-kexec-load for provision"

    public var description: String {
        switch self {
        case .missingOnUEFI:
            return "this host booted by UEFI but no ACPI RSDP was found (tried \(AcpiRsdpSource.bootParams.description), "
                + "\(AcpiRsdpSource.efiSystabACPI20.description), \(AcpiRsdpSource.efiSystabACPI.description), "
                + "--acpi-rsdp and XEN_KEXEC_ACPI_RSDP); a kernel loaded without it boots with ACPI disabled "
                + "(no interrupt routing, often no disk, no dump): \(Self.override)"
        case .inRAM(let address, let source, let range):
            return "the ACPI RSDP \(hex(address)) from \(source?.description ?? "the host description") lies in RAM "
                + "(\(Self.rangeText(range)) of Xen's memory map), where no firmware table can be: \(Self.override)"
        case .outsideMemoryMap(let address, let source):
            return "the ACPI RSDP \(hex(address)) from \(source?.description ?? "the host description") lies in no "
                + "reserved or ACPI range of Xen's memory map: \(Self.override)"
        case .invalid(let address, let source, let defect):
            return "the ACPI RSDP \(hex(address)) from \(source?.description ?? "the host description") is not valid "
                + "(\(defect)); the new kernel would boot with ACPI disabled: \(Self.override)"
        }
    }

    static func rangeText(_ m: MemoryRange) -> String {
        let last = m.range.start &+ m.range.size &- 1
        return "\(hex(m.range.start))-\(hex(last)) \(E820Type(rawValue: m.type)?.name ?? "type \(m.type)")"
    }
}
