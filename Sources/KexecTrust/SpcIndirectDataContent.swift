import SwiftASN1

/// Authenticode's signed content: which kind of file was signed and the digest of its image
/// hash (Microsoft Authenticode PE specification):
///
///     SpcIndirectDataContent ::= SEQUENCE {
///         data           SpcAttributeTypeAndOptionalValue,   -- SEQUENCE { type OID, value ANY OPTIONAL }
///         messageDigest  DigestInfo }                       -- SEQUENCE { AlgorithmIdentifier, OCTET STRING }
///
/// The PKCS#9 messageDigest signed attribute is the hash of this SEQUENCE's *content octets*
/// (without its tag and length), a PKCS#7 v1.5 rule Authenticode keeps.
public struct SpcIndirectDataContent: Equatable, Sendable {
    /// `data.type` (SPC_PE_IMAGE_DATAOBJ for a PE image), dotted.
    public let dataType: String
    /// The digest algorithm of the image hash.
    public let digestAlgorithm: DigestAlgorithm
    /// The image hash the signer computed.
    public let imageDigest: [UInt8]
    /// The SEQUENCE's content octets, which the messageDigest attribute hashes.
    public let contentOctets: [UInt8]

    /// Parses the SEQUENCE node.
    init(_ node: ASN1Node) throws {
        var octets: [UInt8] = []
        if case .constructed(let children) = node.content {
            for child in children { octets.append(contentsOf: child.encodedBytes) }
        }
        contentOctets = octets
        (dataType, digestAlgorithm, imageDigest) = try DER.sequence(node, identifier: .sequence) { nodes in
            let type = try DER.sequence(try ASN1Nodes.required(&nodes, "SpcAttributeTypeAndOptionalValue"), identifier: .sequence) { inner in
                let oid = try ASN1ObjectIdentifier(derEncoded: &inner)
                while inner.next() != nil {}
                return oid
            }
            let (algorithm, digest) = try DER.sequence(try ASN1Nodes.required(&nodes, "DigestInfo"), identifier: .sequence) { inner in
                let algorithm = try AlgorithmIdentifierOID.parse(&inner)
                let digest = try ASN1OctetString(derEncoded: &inner)
                return (algorithm, [UInt8](digest.bytes))
            }
            return (type.description, DigestAlgorithm(algorithm), digest)
        }
    }
}

/// `AlgorithmIdentifier ::= SEQUENCE { algorithm OID, parameters ANY OPTIONAL }`: the OID.
enum AlgorithmIdentifierOID {
    static func parse(_ nodes: inout ASN1NodeCollection.Iterator) throws -> ASN1ObjectIdentifier {
        try parse(try ASN1Nodes.required(&nodes, "AlgorithmIdentifier"))
    }

    static func parse(_ node: ASN1Node) throws -> ASN1ObjectIdentifier {
        try DER.sequence(node, identifier: .sequence) { inner in
            let oid = try ASN1ObjectIdentifier(derEncoded: &inner)
            while inner.next() != nil {}
            return oid
        }
    }
}

/// Small helpers over swift-asn1's node iterator.
enum ASN1Nodes {
    /// The next node, or an error naming the missing field.
    static func required(_ nodes: inout ASN1NodeCollection.Iterator, _ field: String) throws -> ASN1Node {
        guard let node = nodes.next() else { throw ASN1Error.invalidASN1Object(reason: "missing \(field)") }
        return node
    }

    /// A constructed node's children.
    static func children(_ node: ASN1Node) -> [ASN1Node] {
        guard case .constructed(let children) = node.content else { return [] }
        return Array(children)
    }

    /// A primitive node's content octets.
    static func primitive(_ node: ASN1Node) -> ArraySlice<UInt8>? {
        guard case .primitive(let bytes) = node.content else { return nil }
        return bytes
    }
}
