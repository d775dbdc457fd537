import KexecImage
import SwiftASN1
import X509

/// One Authenticode signature of a PE image: the PKCS#7 SignedData inside a
/// WIN_CERTIFICATE of type WIN_CERT_TYPE_PKCS_SIGNED_DATA (RFC 2315 §9.1):
///
///     ContentInfo ::= SEQUENCE { contentType OID (signedData), content [0] EXPLICIT SignedData }
///     SignedData ::= SEQUENCE {
///         version           INTEGER,
///         digestAlgorithms  SET OF AlgorithmIdentifier,
///         contentInfo       SEQUENCE { contentType OID (SPC_INDIRECT_DATA), content [0] EXPLICIT SpcIndirectDataContent },
///         certificates      [0] IMPLICIT SET OF Certificate OPTIONAL,
///         crls              [1] IMPLICIT ... OPTIONAL,
///         signerInfos       SET OF SignerInfo }
///
/// Authenticode has exactly one SignerInfo.
public struct AuthenticodeSignature: Sendable {
    /// File offset of the WIN_CERTIFICATE that holds this signature.
    public let entryOffset: Int
    /// The signed content: the image hash the signer computed.
    public let content: SpcIndirectDataContent
    /// The certificates the signature carries (signer and intermediates).
    public let certificates: [Certificate]
    public let signer: AuthenticodeSignerInfo

    /// Parses one DER-encoded ContentInfo (trailing padding after it is ignored).
    public static func parse(_ bytes: [UInt8], entryOffset: Int) throws(AuthenticodeError) -> AuthenticodeSignature {
        func malformed(_ structure: String, _ error: any Error) -> AuthenticodeError {
            .malformedSignature(structure: structure, reason: "\(error)", entryOffset: entryOffset)
        }
        let der: ArraySlice<UInt8>
        do { der = try Self.firstElement(bytes) } catch { throw malformed("ContentInfo", error) }
        do {
            let root = try DER.parse(der)
            return try DER.sequence(root, identifier: .sequence) { nodes in
                let type = try ASN1ObjectIdentifier(derEncoded: &nodes)
                guard type == AuthenticodeOID.signedData else {
                    throw ASN1Error.invalidASN1Object(reason: "contentType is \(type), not signedData")
                }
                return try DER.explicitlyTagged(&nodes, tagNumber: 0, tagClass: .contextSpecific) { node in
                    try signedData(node, entryOffset: entryOffset)
                }
            }
        } catch let error as AuthenticodeError {
            throw error
        } catch {
            throw malformed("PKCS#7 SignedData", error)
        }
    }

    private static func signedData(_ node: ASN1Node, entryOffset: Int) throws -> AuthenticodeSignature {
        try DER.sequence(node, identifier: .sequence) { nodes in
            _ = try Int(derEncoded: &nodes)
            _ = try ASN1Nodes.required(&nodes, "digestAlgorithms")
            let content = try DER.sequence(try ASN1Nodes.required(&nodes, "contentInfo"), identifier: .sequence) { inner in
                let type = try ASN1ObjectIdentifier(derEncoded: &inner)
                guard type == AuthenticodeOID.spcIndirectData else {
                    throw ASN1Error.invalidASN1Object(reason: "contentInfo.contentType is \(type), not SPC_INDIRECT_DATA (1.3.6.1.4.1.311.2.1.4)")
                }
                return try DER.explicitlyTagged(&inner, tagNumber: 0, tagClass: .contextSpecific) { try SpcIndirectDataContent($0) }
            }
            var next = try ASN1Nodes.required(&nodes, "signerInfos")
            var certificates: [Certificate] = []
            if next.identifier == ASN1Identifier(tagWithNumber: 0, tagClass: .contextSpecific) {
                certificates = try ASN1Nodes.children(next).map { try Certificate(derEncoded: $0) }
                next = try ASN1Nodes.required(&nodes, "signerInfos")
            }
            if next.identifier == ASN1Identifier(tagWithNumber: 1, tagClass: .contextSpecific) {
                next = try ASN1Nodes.required(&nodes, "signerInfos")
            }
            let signers = try DER.set(next, identifier: .set) { inner in
                var out: [AuthenticodeSignerInfo] = []
                while let n = inner.next() { out.append(try AuthenticodeSignerInfo(n)) }
                return out
            }
            guard signers.count == 1, let signer = signers.first else {
                throw ASN1Error.invalidASN1Object(reason: "\(signers.count) SignerInfos; Authenticode has exactly one")
            }
            return AuthenticodeSignature(entryOffset: entryOffset, content: content, certificates: certificates, signer: signer)
        }
    }

    /// The first DER element of `bytes` (WIN_CERTIFICATE content may be padded to 8 bytes).
    static func firstElement(_ bytes: [UInt8]) throws -> ArraySlice<UInt8> {
        guard bytes.count >= 2 else { throw ASN1Error.truncatedASN1Field() }
        var length = Int(bytes[1])
        var header = 2
        if length & 0x80 != 0 {
            let count = length & 0x7F
            guard count >= 1, count <= 4, bytes.count >= 2 + count else { throw ASN1Error.unsupportedFieldLength(reason: "length of \(count) octets") }
            length = 0
            for i in 0..<count { length = length << 8 | Int(bytes[2 + i]) }
            header += count
        }
        guard length <= bytes.count - header else { throw ASN1Error.truncatedASN1Field() }
        return bytes[0..<(header + length)]
    }

    /// Every Authenticode signature in `image`'s certificate table, in table order. An entry
    /// of another type (X.509, EFI_CERT_TYPE_RSA2048_SHA256 …) is an error: UEFI images are
    /// signed with PKCS#7 only.
    public static func all(in image: [UInt8], pe: PEImage) throws(AuthenticodeError) -> [AuthenticodeSignature] {
        guard let table = pe.certificateTable else { return [] }
        var out: [AuthenticodeSignature] = []
        var entry = table.offset
        let end = table.offset + table.size  // PEImage.parse checked the table lies in the file
        while end - entry >= CertificateTable.entryHeaderSize {
            let length = Int(le32(image, entry))
            let type = UInt16(image[entry + 6]) | UInt16(image[entry + 7]) << 8
            guard length >= CertificateTable.entryHeaderSize, length <= end - entry else {
                throw .badCertificateEntry(offset: entry, reason: "dwLength \(length) does not fit the table")
            }
            guard type == CertificateTable.typePKCSSignedData else {
                throw .badCertificateEntry(offset: entry, reason: "wCertificateType \(hex(Int(type))) is not WIN_CERT_TYPE_PKCS_SIGNED_DATA (0x2)")
            }
            out.append(try parse(Array(image[(entry + 8)..<(entry + length)]), entryOffset: entry))
            entry += (length + 7) & ~7
        }
        return out
    }

    static func le32(_ b: [UInt8], _ at: Int) -> UInt32 {
        UInt32(b[at]) | UInt32(b[at + 1]) << 8 | UInt32(b[at + 2]) << 16 | UInt32(b[at + 3]) << 24
    }
}
