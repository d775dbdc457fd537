import KexecImage

import X509

/// The entries of a UEFI signature database variable (`db`, `dbx`, `MokListRT`, `MokListXRT`)
/// as efivarfs shows it: a 4-byte attribute word, then EFI_SIGNATURE_LISTs (UEFI
/// specification 2.10 §32.4.1):
///
///     EFI_SIGNATURE_LIST { EFI_GUID SignatureType; UINT32 SignatureListSize;
///                          UINT32 SignatureHeaderSize; UINT32 SignatureSize;
///                          UINT8 SignatureHeader[SignatureHeaderSize];
///                          EFI_SIGNATURE_DATA Signatures[...] }   // each SignatureSize bytes:
///     EFI_SIGNATURE_DATA { EFI_GUID SignatureOwner; UINT8 SignatureData[]; }
///
/// Every signature type UEFI defines for the image databases (§32.4.1.1) is recognised:
/// X.509 certificates, image hashes (SHA-1/224/256/384/512), and the hashes of a
/// certificate's to-be-signed part with a revocation time (EFI_CERT_X509_SHA256/384/512,
/// EDK2 `DxeImageVerificationLib.c` `IsCertHashFoundInDbx`). An entry whose data does not
/// have its type's size, a certificate that does not parse, or a type that names a key or a
/// signature (RSA2048, PKCS7) is reported as such, so that a forbidden database can refuse
/// rather than skip it.
public enum EFISignatureList {
    /// A hash algorithm a signature type names.
    public enum Hash: String, Sendable, CaseIterable {
        case sha1 = "SHA-1", sha224 = "SHA-224", sha256 = "SHA-256", sha384 = "SHA-384", sha512 = "SHA-512"

        public var byteCount: Int {
            switch self {
            case .sha1: 20
            case .sha224: 28
            case .sha256: 32
            case .sha384: 48
            case .sha512: 64
            }
        }
    }

    /// A signature type's GUID as stored (the first three fields little-endian).
    public static func guid(_ text: String) -> [UInt8] {
        let hex = text.filter(\.isHexDigit)
        var bytes: [UInt8] = []
        var i = hex.startIndex
        while i < hex.endIndex {
            let j = hex.index(i, offsetBy: 2)
            bytes.append(UInt8(hex[i..<j], radix: 16)!)
            i = j
        }
        return bytes[0..<4].reversed() + bytes[4..<6].reversed() + bytes[6..<8].reversed() + bytes[8...]
    }

    /// EFI_CERT_X509_GUID a5c059a1-94e4-4aa7-87b5-ab155c2bf072.
    public static let x509GUID = guid("a5c059a1-94e4-4aa7-87b5-ab155c2bf072")
    /// EFI_CERT_SHA256_GUID c1c41626-504c-4092-aca9-41f936934328.
    public static let sha256GUID = guid("c1c41626-504c-4092-aca9-41f936934328")
    /// EFI_CERT_SHA1/224/384/512_GUID: image hashes.
    public static let imageHashGUIDs: [Hash: [UInt8]] = [
        .sha1: guid("826ca512-cf10-4ac9-b187-be01496631bd"),
        .sha224: guid("0b6e5233-a65c-44c9-9407-d9ab83bfc8bd"),
        .sha256: sha256GUID,
        .sha384: guid("ff3e5307-9fd0-48c9-85f1-8ad56c701e01"),
        .sha512: guid("093e0fae-a6c4-4f50-9f1b-d41b2b89c19a"),
    ]
    /// EFI_CERT_X509_SHA256/384/512_GUID: a certificate's to-be-signed hash + EFI_TIME.
    public static let certificateHashGUIDs: [Hash: [UInt8]] = [
        .sha256: guid("3bd2a492-96c0-4079-b420-fcf98ef103ed"),
        .sha384: guid("7076876e-80c2-4ee6-aad2-28b349a6865b"),
        .sha512: guid("446dbf63-2502-4cda-bcfa-2465d2b0fe9d"),
    ]
    /// Types that name a key or a signature, which this tool does not evaluate.
    static let keyAndSignatureTypes: [String: [UInt8]] = [
        "RSA2048": guid("3c5766e8-269c-4e34-aa14-ed776e85b3b6"),
        "RSA2048_SHA256": guid("e2b36190-879b-4a3d-ad8d-f2e7bba32784"),
        "RSA2048_SHA1": guid("67f8444f-8743-48f1-a328-1eaab8736080"),
        "PKCS7": guid("4aafd29d-68df-49ee-8aa9-347d375665a7"),
    ]
    /// The size of EFI_TIME after an X509_SHA* hash.
    static let efiTimeSize = 16
    /// The efivarfs attribute prefix.
    public static let attributeSize = 4
    static let listHeaderSize = 28
    static let ownerSize = 16

    /// One entry.
    public enum Entry: Sendable {
        case certificate(Certificate)
        /// An image's Authenticode hash with that algorithm.
        case imageHash(Hash, [UInt8])
        /// The hash of a certificate's TBSCertificate (EFI_CERT_X509_SHA*).
        case certificateHash(Hash, [UInt8])
        /// An entry that cannot be read as its type says (offset in the variable).
        case unreadable(offset: Int, type: String, reason: String)
        /// A type this tool does not evaluate (RSA2048 keys, PKCS7 signatures, unknown GUIDs).
        case unsupported(offset: Int, type: String)
    }

    /// A variable's content does not walk as EFI_SIGNATURE_LISTs.
    public struct FormatError: Error, Equatable, Sendable, CustomStringConvertible {
        public let offset: Int
        public let reason: String
        public var description: String { "EFI_SIGNATURE_LIST at offset \(hex(offset)): \(reason)" }
    }

    /// The attribute word of an efivarfs file (EFI_VARIABLE_NON_VOLATILE 0x1,
    /// BOOTSERVICE_ACCESS 0x2, RUNTIME_ACCESS 0x4, TIME_BASED_AUTHENTICATED_WRITE_ACCESS 0x20).
    public static func attributes(efivarfsFile bytes: [UInt8]) -> UInt32? {
        bytes.count >= attributeSize ? le32(bytes, 0) : nil
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
            guard headerSize <= listSize, first <= listSize, size > ownerSize, (listSize - first) % size == 0 else {
                throw FormatError(offset: base + at, reason: "SignatureHeaderSize \(headerSize) / SignatureSize \(size) do not divide SignatureListSize \(listSize)")
            }
            var entry = at + first
            while entry < at + listSize {
                entries.append(Self.entry(type: type, data: Array(bytes[(entry + ownerSize)..<(entry + size)]), offset: base + entry))
                entry += size
            }
            at += listSize
        }
        return entries
    }

    static func entry(type: [UInt8], data: [UInt8], offset: Int) -> Entry {
        if type == x509GUID {
            do { return .certificate(try Certificate(derEncoded: data)) } catch {
                return .unreadable(offset: offset, type: "X509", reason: "\(error)")
            }
        }
        if let (hash, _) = imageHashGUIDs.first(where: { $0.value == type }) {
            guard data.count == hash.byteCount else {
                return .unreadable(offset: offset, type: hash.rawValue, reason: "\(data.count) bytes of hash, not \(hash.byteCount)")
            }
            return .imageHash(hash, data)
        }
        if let (hash, _) = certificateHashGUIDs.first(where: { $0.value == type }) {
            guard data.count == hash.byteCount + efiTimeSize else {
                return .unreadable(offset: offset, type: "X509_\(hash.rawValue)", reason: "\(data.count) bytes, not \(hash.byteCount) + 16 (EFI_TIME)")
            }
            return .certificateHash(hash, Array(data[0..<hash.byteCount]))
        }
        if let (name, _) = keyAndSignatureTypes.first(where: { $0.value == type }) {
            return .unsupported(offset: offset, type: name)
        }
        return .unsupported(offset: offset, type: "unknown GUID \(type.map { hex2($0) }.joined())")
    }

    static func hex2(_ b: UInt8) -> String {
        let d = Array("0123456789abcdef")
        return String([d[Int(b >> 4)], d[Int(b & 15)]])
    }

    static func le32(_ b: [UInt8], _ at: Int) -> UInt32 {
        UInt32(b[at]) | UInt32(b[at + 1]) << 8 | UInt32(b[at + 2]) << 16 | UInt32(b[at + 3]) << 24
    }
}
