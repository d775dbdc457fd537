import SwiftASN1
import X509

/// One PKCS#7 SignerInfo of an Authenticode signature (RFC 2315 §9.2):
///
///     SignerInfo ::= SEQUENCE {
///         version                    INTEGER,
///         issuerAndSerialNumber      SEQUENCE { issuer Name, serialNumber INTEGER },
///         digestAlgorithm            AlgorithmIdentifier,
///         authenticatedAttributes    [0] IMPLICIT SET OF Attribute OPTIONAL,
///         digestEncryptionAlgorithm  AlgorithmIdentifier,
///         encryptedDigest            OCTET STRING,
///         unauthenticatedAttributes  [1] IMPLICIT SET OF Attribute OPTIONAL }
///
/// The signature covers the DER of the authenticated attributes with their `[0]` tag read
/// as a SET (0x31), or, without attributes, the signed content's octets.
public struct AuthenticodeSignerInfo: Sendable {
    /// The signer certificate's issuer and serial number.
    public let issuer: DistinguishedName
    public let serialNumber: [UInt8]
    public let digestAlgorithm: DigestAlgorithm
    /// The DER the signature covers when attributes are present (tag rewritten to SET).
    public let signedAttributes: [UInt8]?
    /// The PKCS#9 messageDigest attribute, if present.
    public let messageDigest: [UInt8]?
    /// The PKCS#9 contentType attribute (dotted OID), if present.
    public let contentType: String?
    /// digestEncryptionAlgorithm, dotted.
    let signatureAlgorithm: ASN1ObjectIdentifier
    /// encryptedDigest.
    public let signature: [UInt8]

    init(_ node: ASN1Node) throws {
        var attributes: [UInt8]? = nil
        var digest: [UInt8]? = nil
        var type: String? = nil
        (issuer, serialNumber, digestAlgorithm, signatureAlgorithm, signature) = try DER.sequence(node, identifier: .sequence) { nodes in
            _ = try Int(derEncoded: &nodes)
            let (issuer, serial) = try DER.sequence(try ASN1Nodes.required(&nodes, "issuerAndSerialNumber"), identifier: .sequence) { inner in
                let issuer = try DistinguishedName(derEncoded: try ASN1Nodes.required(&inner, "issuer"))
                let serialNode = try ASN1Nodes.required(&inner, "serialNumber")
                guard serialNode.identifier == .integer, let serial = ASN1Nodes.primitive(serialNode) else {
                    throw ASN1Error.invalidASN1Object(reason: "serialNumber is not an INTEGER")
                }
                return (issuer, [UInt8](serial))
            }
            let digestAlgorithm = DigestAlgorithm(try AlgorithmIdentifierOID.parse(&nodes))
            var next = try ASN1Nodes.required(&nodes, "digestEncryptionAlgorithm")
            if next.identifier == ASN1Identifier(tagWithNumber: 0, tagClass: .contextSpecific) {
                var der = [UInt8](next.encodedBytes)
                der[0] = 0x31  // [0] IMPLICIT SET OF -> SET OF, as signed (RFC 2315 §9.3)
                attributes = der
                for attribute in ASN1Nodes.children(next) {
                    try DER.sequence(attribute, identifier: .sequence) { inner in
                        let oid = try ASN1ObjectIdentifier(derEncoded: &inner)
                        let values = ASN1Nodes.children(try ASN1Nodes.required(&inner, "attribute values"))
                        guard let value = values.first else { return }
                        if oid == AuthenticodeOID.messageDigestAttribute {
                            digest = [UInt8](try ASN1OctetString(derEncoded: value).bytes)
                        } else if oid == AuthenticodeOID.contentTypeAttribute {
                            type = try ASN1ObjectIdentifier(derEncoded: value).description
                        }
                    }
                }
                next = try ASN1Nodes.required(&nodes, "digestEncryptionAlgorithm")
            }
            let signatureAlgorithm = try AlgorithmIdentifierOID.parse(next)
            let signature = [UInt8](try ASN1OctetString(derEncoded: &nodes).bytes)
            while nodes.next() != nil {}  // unauthenticatedAttributes (timestamps): not used
            return (issuer, serial, digestAlgorithm, signatureAlgorithm, signature)
        }
        signedAttributes = attributes
        messageDigest = digest
        contentType = type
    }

    /// The swift-certificates algorithm that checks `signature`: the digest algorithm
    /// combined with the key type (PKCS#7 often says plain `rsaEncryption`).
    var certificateSignatureAlgorithm: Certificate.SignatureAlgorithm? {
        switch (signatureAlgorithm, digestAlgorithm) {
        case (AuthenticodeOID.rsaEncryption, .sha1), (AuthenticodeOID.sha1WithRSA, _): .sha1WithRSAEncryption
        case (AuthenticodeOID.rsaEncryption, .sha256), (AuthenticodeOID.sha256WithRSA, _): .sha256WithRSAEncryption
        case (AuthenticodeOID.rsaEncryption, .sha384), (AuthenticodeOID.sha384WithRSA, _): .sha384WithRSAEncryption
        case (AuthenticodeOID.rsaEncryption, .sha512), (AuthenticodeOID.sha512WithRSA, _): .sha512WithRSAEncryption
        case (AuthenticodeOID.ecdsaWithSHA256, _), (AuthenticodeOID.ecPublicKey, .sha256): .ecdsaWithSHA256
        case (AuthenticodeOID.ecdsaWithSHA384, _), (AuthenticodeOID.ecPublicKey, .sha384): .ecdsaWithSHA384
        case (AuthenticodeOID.ecdsaWithSHA512, _), (AuthenticodeOID.ecPublicKey, .sha512): .ecdsaWithSHA512
        default: nil
        }
    }

    /// Whether `certificate` is the one this SignerInfo names (issuer and serial number;
    /// leading zero octets of the INTEGER ignored).
    func names(_ certificate: Certificate) -> Bool {
        func trimmed<C: Collection<UInt8>>(_ bytes: C) -> [UInt8] { Array(bytes.drop { $0 == 0 }) }
        return certificate.issuer == issuer && trimmed(certificate.serialNumber.bytes) == trimmed(serialNumber)
    }
}
