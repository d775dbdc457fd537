import KexecImage

/// The ACPI Root System Description Pointer as the firmware wrote it (ACPI 6.5, 5.2.5.3):
/// "RSD PTR " (8 bytes), a checksum over the first 20 bytes, the OEM ID (6), the revision
/// (0 for ACPI 1.0, 2 and later for ACPI 2.0+), the RSDT address (4); from revision 2 on
/// also the Length (4, 36 for this layout), the XSDT address (8), an extended checksum over
/// the 36-byte structure, and 3 reserved bytes.
///
/// A new kernel accepts the pointer only if it validates as Linux
/// `drivers/acpi/acpica/tbxfroot.c`, `acpi_tb_validate_rsdp`, validates it: the signature,
/// the 20-byte checksum and, for revision 2 and later, the 36-byte extended checksum
/// (`ACPI_RSDP_XCHECKSUM_LENGTH`). Otherwise it boots with ACPI disabled.
public struct AcpiRsdp: Equatable, Sendable {
    /// The ACPI 1.0 structure's size, covered by the first checksum.
    public static let version1Length = 20
    /// The ACPI 2.0+ structure's size, covered by the extended checksum.
    public static let version2Length = 36
    static let signature = Array("RSD PTR ".utf8)

    public var revision: UInt8
    public var oemID: String
    public var rsdtAddress: UInt32
    /// Revision 2 and later: the Length field and the XSDT address.
    public var length: UInt32?
    public var xsdtAddress: UInt64?

    /// The bytes the new kernel reads: 36 for revision 2 and later, else 20.
    public var extent: Int { revision >= 2 ? Self.version2Length : Self.version1Length }

    /// Parses and validates `bytes`, read at the RSDP's address (at least 36 of them when
    /// the firmware could hold an ACPI 2.0 RSDP there; 20 suffice for revision 0).
    public static func parse(_ bytes: [UInt8]) -> Result<AcpiRsdp, AcpiRsdpDefect> {
        guard bytes.count >= version1Length else { return .failure(.short(count: bytes.count, needed: version1Length)) }
        guard Array(bytes[0..<8]) == signature else { return .failure(.signature(Array(bytes[0..<8]))) }
        let sum = checksum(bytes[0..<version1Length])
        guard sum == 0 else { return .failure(.checksum(sum)) }
        let oem = String(decoding: bytes[9..<15].prefix { $0 != 0 }, as: UTF8.self)
        var rsdp = AcpiRsdp(revision: bytes[15], oemID: oem, rsdtAddress: UInt32(littleEndian: bytes, at: 16))
        if rsdp.revision >= 2 {
            guard bytes.count >= version2Length else { return .failure(.short(count: bytes.count, needed: version2Length)) }
            let xsum = checksum(bytes[0..<version2Length])
            guard xsum == 0 else { return .failure(.extendedChecksum(xsum)) }
            rsdp.length = UInt32(littleEndian: bytes, at: 20)
            rsdp.xsdtAddress = UInt64(UInt32(littleEndian: bytes, at: 24)) | UInt64(UInt32(littleEndian: bytes, at: 28)) << 32
        }
        return .success(rsdp)
    }

    /// The byte sum modulo 256 (0 for a valid table; Linux `acpi_ut_checksum`).
    static func checksum(_ bytes: ArraySlice<UInt8>) -> UInt8 {
        bytes.reduce(0, &+)
    }
}

/// Why the bytes at an RSDP address are not a pointer a new kernel accepts.
public enum AcpiRsdpDefect: Error, Equatable, Sendable, CustomStringConvertible {
    case short(count: Int, needed: Int)
    case signature([UInt8])
    /// The first 20 bytes do not sum to 0 (the value is their sum).
    case checksum(UInt8)
    /// Revision 2+: the 36 bytes do not sum to 0.
    case extendedChecksum(UInt8)

    public var description: String {
        switch self {
        case .short(let count, let needed):
            return "only \(count) bytes could be read there, the structure needs \(needed)"
        case .signature(let bytes):
            let text = bytes.map { (0x20..<0x7F).contains($0) ? String(UnicodeScalar($0)) : "." }.joined()
            return "the signature is \"\(text)\", not \"RSD PTR \""
        case .checksum(let sum):
            return "the checksum over bytes 0-19 gives \(hex(UInt64(sum))), not 0"
        case .extendedChecksum(let sum):
            return "the ACPI 2.0 extended checksum over bytes 0-35 gives \(hex(UInt64(sum))), not 0"
        }
    }
}

extension UInt32 {
    fileprivate init(littleEndian bytes: [UInt8], at offset: Int) {
        self = (0..<4).reduce(0) { $0 | UInt32(bytes[offset + $1]) << (8 * UInt32($1)) }
    }
}
