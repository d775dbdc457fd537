/// The Authenticode certificate table of a signed PE image (data directory 4).
///
/// Unlike other data directories, entry 4 holds a *file offset* and a size. The table is a
/// list of `WIN_CERTIFICATE` entries, each 8-byte aligned: dwLength (u32, header included),
/// wRevision (u16, 0x0200 = WIN_CERT_REVISION_2_0), wCertificateType (u16, 0x0002 =
/// WIN_CERT_TYPE_PKCS_SIGNED_DATA, the Authenticode PKCS#7 SignedData), then the certificate.
/// sbsign and pesign append it after the image; it is not part of SizeOfImage.
public struct CertificateTable: Equatable, Sendable {
    /// `WIN_CERT_TYPE_PKCS_SIGNED_DATA`.
    public static let typePKCSSignedData: UInt16 = 0x0002
    /// Size of the WIN_CERTIFICATE header.
    public static let entryHeaderSize = 8

    /// File offset of the table (data directory 4, VirtualAddress field).
    public let offset: Int
    /// Size of the table in bytes (data directory 4, Size field).
    public let size: Int
    /// File offset of data directory entry 4 itself (where `offset` and `size` were read).
    public let directoryEntryOffset: Int
    /// dwLength of the first WIN_CERTIFICATE.
    public let firstLength: UInt32
    /// wRevision of the first WIN_CERTIFICATE.
    public let revision: UInt16
    /// wCertificateType of the first WIN_CERTIFICATE.
    public let certificateType: UInt16
    /// How many WIN_CERTIFICATE entries the table holds.
    public let certificateCount: Int

    /// The first certificate is Authenticode PKCS#7 SignedData.
    public var isPKCS7SignedData: Bool { certificateType == Self.typePKCSSignedData }

    /// The table's bytes in the file.
    public var range: Range<Int> { offset..<(offset + size) }

    /// A readable name for `certificateType`.
    public var certificateTypeName: String {
        switch certificateType {
        case 0x0001: "X.509"
        case 0x0002: "PKCS#7 signed data"
        case 0x0003: "reserved"
        case 0x0004: "terminal server protocol stack"
        case 0x0EF0: "EFI_CERT_TYPE_RSA2048_SHA256"
        case 0x0EF1: "EFI_CERT_TYPE_PKCS7 (UEFI)"
        default: "unknown"
        }
    }

    /// Reads data directory 4 at `directoryEntryOffset` and walks the table it points at.
    /// Returns `nil` when the directory's size is 0 (an unsigned image).
    static func parse<Bytes>(_ r: ByteReader<Bytes>, directoryEntryOffset at: Int) throws -> CertificateTable? {
        let offset = Int(try r.u32(at, "CertificateTable.VirtualAddress"))
        let size = Int(try r.u32(at + 4, "CertificateTable.Size"))
        guard size != 0 else { return nil }
        guard size >= entryHeaderSize, r.checkedRange(offset: offset, length: size) != nil else {
            throw PEError.certificateTablePastEnd(offset: offset, size: size, fileSize: r.count, directoryOffset: at)
        }
        let end = offset + size
        var entry = offset
        var count = 0
        var first: (length: UInt32, revision: UInt16, type: UInt16)? = nil
        // Each entry: dwLength >= 8 and inside the table; the next starts 8-byte aligned.
        while end - entry >= entryHeaderSize {
            let length = try r.u32(entry, "WIN_CERTIFICATE.dwLength")
            guard Int(length) >= entryHeaderSize, Int(length) <= end - entry else {
                throw PEError.badCertificateLength(length: length, offset: entry, available: end - entry)
            }
            if first == nil {
                first = (length, try r.u16(entry + 4, "WIN_CERTIFICATE.wRevision"),
                         try r.u16(entry + 6, "WIN_CERTIFICATE.wCertificateType"))
            }
            count += 1
            entry += (Int(length) + 7) & ~7
        }
        guard let first else {
            throw PEError.certificateTablePastEnd(offset: offset, size: size, fileSize: r.count, directoryOffset: at)
        }
        return CertificateTable(
            offset: offset, size: size, directoryEntryOffset: at, firstLength: first.length,
            revision: first.revision, certificateType: first.type, certificateCount: count)
    }
}
