import SwiftASN1

/// The object identifiers an Authenticode signature uses (PKCS#7 RFC 2315, PKCS#9 RFC 2985,
/// Microsoft's Authenticode PE specification, RFC 5754 / RFC 8017 / RFC 5758 algorithms).
enum AuthenticodeOID {
    static let signedData: ASN1ObjectIdentifier = [1, 2, 840, 113_549, 1, 7, 2]
    /// SPC_INDIRECT_DATA_OBJID: the content type of an Authenticode signature.
    static let spcIndirectData: ASN1ObjectIdentifier = [1, 3, 6, 1, 4, 1, 311, 2, 1, 4]
    /// SPC_PE_IMAGE_DATAOBJ: SpcAttributeTypeAndOptionalValue.type for a PE image.
    static let spcPEImageData: ASN1ObjectIdentifier = [1, 3, 6, 1, 4, 1, 311, 2, 1, 15]
    /// PKCS#9 contentType and messageDigest signed attributes.
    static let contentTypeAttribute: ASN1ObjectIdentifier = [1, 2, 840, 113_549, 1, 9, 3]
    static let messageDigestAttribute: ASN1ObjectIdentifier = [1, 2, 840, 113_549, 1, 9, 4]

    static let sha1: ASN1ObjectIdentifier = [1, 3, 14, 3, 2, 26]
    static let sha256: ASN1ObjectIdentifier = [2, 16, 840, 1, 101, 3, 4, 2, 1]
    static let sha384: ASN1ObjectIdentifier = [2, 16, 840, 1, 101, 3, 4, 2, 2]
    static let sha512: ASN1ObjectIdentifier = [2, 16, 840, 1, 101, 3, 4, 2, 3]

    static let rsaEncryption: ASN1ObjectIdentifier = [1, 2, 840, 113_549, 1, 1, 1]
    static let sha1WithRSA: ASN1ObjectIdentifier = [1, 2, 840, 113_549, 1, 1, 5]
    static let sha256WithRSA: ASN1ObjectIdentifier = [1, 2, 840, 113_549, 1, 1, 11]
    static let sha384WithRSA: ASN1ObjectIdentifier = [1, 2, 840, 113_549, 1, 1, 12]
    static let sha512WithRSA: ASN1ObjectIdentifier = [1, 2, 840, 113_549, 1, 1, 13]
    static let ecdsaWithSHA256: ASN1ObjectIdentifier = [1, 2, 840, 10_045, 4, 3, 2]
    static let ecdsaWithSHA384: ASN1ObjectIdentifier = [1, 2, 840, 10_045, 4, 3, 3]
    static let ecdsaWithSHA512: ASN1ObjectIdentifier = [1, 2, 840, 10_045, 4, 3, 4]
    static let ecPublicKey: ASN1ObjectIdentifier = [1, 2, 840, 10_045, 2, 1]
}

/// A digest algorithm an Authenticode signature names.
///
/// SHA-1, SHA-256, SHA-384 and SHA-512 are accepted, as EDK2's image verification accepts
/// them (`DxeImageVerificationLib.c`, `mHash`: SHA-1, SHA-256, SHA-384, SHA-512; SHA-224 has no
/// implementation there). Anything else is refused as unsupported.
public enum DigestAlgorithm: Equatable, Sendable, CustomStringConvertible {
    case sha1, sha256, sha384, sha512
    /// An unknown algorithm (its OID, dotted), or SHA-224.
    case unsupported(String)

    init(_ oid: ASN1ObjectIdentifier) {
        switch oid {
        case AuthenticodeOID.sha256: self = .sha256
        case AuthenticodeOID.sha384: self = .sha384
        case AuthenticodeOID.sha512: self = .sha512
        case AuthenticodeOID.sha1: self = .sha1
        default: self = .unsupported(oid.description)
        }
    }

    public var description: String {
        switch self {
        case .sha1: "SHA-1"
        case .sha256: "SHA-256"
        case .sha384: "SHA-384"
        case .sha512: "SHA-512"
        case .unsupported(let name): name
        }
    }
}
