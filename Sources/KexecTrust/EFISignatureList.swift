import KexecImage

import X509

/// The entries of a UEFI signature database variable (`db`, `dbx`, `MokListRT`, `MokListXRT`)
/// as efivarfs shows it: a 4-byte attribute prefix, then EFI_SIGNATURE_LISTs (UEFI
/// specification 2.10 §32.4.1):
///
///     EFI_SIGNATURE_LIST { EFI_GUID SignatureType; UINT32 SignatureListSize;
///                          UINT32 SignatureHeaderSize; UINT32 SignatureSize;
///                          UINT8 SignatureHeader[SignatureHeaderSize];
///                          EFI_SIGNATURE_DATA Signatures[...] }   // each SignatureSize bytes:
///     EFI_SIGNATURE_DATA { EFI_GUID SignatureOwner; UINT8 SignatureData[]; }
///
/// Only EFI_CERT_X509_GUID (a DER certificate) and EFI_CERT_SHA256_GUID (an image hash)
/// entries matter for kernels; other types are counted and ignored.
public enum EFISignatureList {
    /// EFI_CERT_X509_GUID a5c059a1-94e4-4aa7-87b5-ab155c2bf072, as stored (mixed endian).
    public static let x509GUID: [UInt8] = [0xa1, 0x59, 0xc0, 0xa5, 0xe4, 0x94, 0xa7, 0x4a, 0x87, 0xb5, 0xab, 0x15, 0x5c, 0x2b, 0xf0, 0x72]
    /// EFI_CERT_SHA256_GUID c1c41626-504c-4092-aca9-41f936934328.
    public static let sha256GUID: [UInt8] = [0x26, 0x16, 0xc4, 0xc1, 0x4c, 0x50, 0x92, 0x40, 0xac, 0xa9, 0x41, 0xf9, 0x36, 0x93, 0x43, 0x28]
    /// The efivarfs attribute prefix.
    public static let attributeSize = 4
    static let listHeaderSize = 28
    static let ownerSize = 16

    /// One entry.
    public enum Entry: Sendable {
        case certificate(Certificate)
        case sha256([UInt8])
        /// An X.509 entry that swift-certificates could not parse (offset in the variable).
        case unreadableCertificate(offset: Int, reason: String)
        /// Any other signature type (SHA-1, RSA-2048, X.509 hashes …).
        case otherType
    }

    /// A variable's content does not walk as EFI_SIGNATURE_LISTs.
    public struct FormatError: Error, Equatable, Sendable, CustomStringConvertible {
        public let offset: Int
        public let reason: String
        public var description: String { "EFI_SIGNATURE_LIST at offset \(hex(offset)): \(reason)" }
    }

    /// Parses an efivarfs file's bytes (attribute prefix included).
    public static func parse(efivarfsFile bytes: [UInt8]) throws(FormatError) -> [Entry] {
        guard bytes.count >= attributeSize else { throw FormatError(offset: 0, reason: "\(bytes.count) bytes, shorter than the 4-byte attribute prefix") }
        return try parse(lists: Array(bytes[attributeSize...]), base: attributeSize)
    }

    /// Parses concatenated EFI_SIGNATURE_LISTs; `base` is added to reported offsets.
    public static func parse(lists bytes: [UInt8], base: Int = 0) throws(FormatError) -> [Entry] {
        var entries: [Entry] = []
        var at = 0
        while at < bytes.count {
            guard bytes.count - at >= listHeaderSize else { throw FormatError(offset: base + at, reason: "truncated list header") }
            let type = Array(bytes[at..<(at + 16)])
            let listSize = Int(le32(bytes, at + 16)), headerSize = Int(le32(bytes, at + 20)), size = Int(le32(bytes, at + 24))
            guard listSize >= listHeaderSize, listSize <= bytes.count - at else {
                throw FormatError(offset: base + at, reason: "SignatureListSize \(listSize) does not fit the \(bytes.count - at) bytes left")
            }
            let first = listHeaderSize + headerSize
            guard first <= listSize, size > ownerSize, (listSize - first) % size == 0 else {
                throw FormatError(offset: base + at, reason: "SignatureHeaderSize \(headerSize) / SignatureSize \(size) do not divide SignatureListSize \(listSize)")
            }
            var entry = at + first
            while entry < at + listSize {
                let data = Array(bytes[(entry + ownerSize)..<(entry + size)])
                if type == x509GUID {
                    do { entries.append(.certificate(try Certificate(derEncoded: data))) } catch {
                        entries.append(.unreadableCertificate(offset: base + entry, reason: "\(error)"))
                    }
                } else if type == sha256GUID, data.count == 32 {
                    entries.append(.sha256(data))
                } else {
                    entries.append(.otherType)
                }
                entry += size
            }
            at += listSize
        }
        return entries
    }

    static func le32(_ b: [UInt8], _ at: Int) -> UInt32 {
        UInt32(b[at]) | UInt32(b[at + 1]) << 8 | UInt32(b[at + 2]) << 16 | UInt32(b[at + 3]) << 24
    }
}
