/// Where a kernel looks for the ACPI RSDP when nobody tells it (Linux
/// `drivers/acpi/acpica/tbxfroot.c`, `acpi_find_root_pointer`): the first KiB of the
/// Extended BIOS Data Area, whose segment is the 16-bit word at 0x40e, then
/// 0xe0000-0xfffff, each on 16-byte boundaries, the first valid ``AcpiRsdp`` winning.
/// A BIOS puts it there; UEFI firmware need not, which is why a UEFI host must hand the
/// address to the new kernel.
public enum AcpiRsdpLegacyScan {
    /// `ACPI_EBDA_PTR_LOCATION`: the EBDA's segment, 2 bytes.
    public static let ebdaPointer: UInt64 = 0x40E
    /// `ACPI_EBDA_WINDOW_SIZE`.
    public static let ebdaWindow = 1024
    /// `ACPI_HI_RSDP_WINDOW_BASE` and `ACPI_HI_RSDP_WINDOW_SIZE`.
    public static let biosArea = AddressRange(start: 0xE_0000, size: 0x2_0000)

    /// The address of the first valid RSDP in those areas, `nil` if there is none.
    /// `read(address, count)` returns the machine memory there (`nil`: unreadable).
    public static func find(read: (UInt64, Int) -> [UInt8]?) -> UInt64? {
        if let pointer = read(ebdaPointer, 2), pointer.count == 2 {
            let ebda = (UInt64(pointer[0]) | UInt64(pointer[1]) << 8) << 4
            // acpi_find_root_pointer scans the EBDA only when it lies above 0x400 and
            // below the legacy video area.
            if ebda > 0x400, ebda < 0xA_0000, let window = read(ebda, ebdaWindow),
               let offset = scan(window) {
                return ebda + UInt64(offset)
            }
        }
        if let area = read(biosArea.start, Int(biosArea.size)), let offset = scan(area) {
            return biosArea.start + UInt64(offset)
        }
        return nil
    }

    /// The offset of the first valid RSDP on a 16-byte boundary of `bytes`.
    static func scan(_ bytes: [UInt8]) -> Int? {
        var offset = 0
        while offset + AcpiRsdp.version1Length <= bytes.count {
            if bytes[offset] == 0x52 {   // "R": skip the copy for the other 15 of 16 boundaries
                let end = min(offset + AcpiRsdp.version2Length, bytes.count)
                if case .success = AcpiRsdp.parse(Array(bytes[offset..<end])) { return offset }
            }
            offset += 16
        }
        return nil
    }
}
