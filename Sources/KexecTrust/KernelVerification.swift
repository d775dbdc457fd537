/// What checking a kernel's Authenticode signature against a ``TrustStore`` concluded.
public enum KernelVerification: Equatable, Sendable {
    case verified(VerifiedSignature)
    case refused(SignatureRefusal)

    public var isVerified: Bool { if case .verified = self { true } else { false } }
}

/// A signature that verified: who signed, through which chain, anchored where.
public struct VerifiedSignature: Equatable, Sendable {
    /// The SHA-256 Authenticode image hash, lowercase hex.
    public let imageSHA256: String
    /// The digest algorithm of the signature's own image hash.
    public let digestAlgorithm: String
    /// Subjects from the signer up to the trust anchor (empty when trusted by image hash).
    public let chain: [String]
    /// Where the anchor came from: `db`, `MokListRT`, `--trust-cert FILE`; or the database
    /// holding the image hash.
    public let anchorSource: String
    /// True when an allowed database lists the image hash itself (no signature needed).
    public let trustedByImageHash: Bool
}

/// Why a kernel's signature does not verify. Each case carries what an operator needs to
/// know to fix it.
public enum SignatureRefusal: Equatable, Sendable, CustomStringConvertible {
    /// Not a PE/COFF image (no EFI stub), so it cannot carry an Authenticode signature.
    case notPE(String)
    /// The signature or the PE headers do not parse.
    case malformed(AuthenticodeError)
    /// No certificate table, and no allowed database lists the image hash.
    case unsigned(imageSHA256: String)
    /// The signature uses a digest algorithm this tool does not accept (SHA-224, unknown).
    case unsupportedDigest(String)
    /// The image hash the signature carries differs from the image's: the file was changed
    /// after signing.
    case tampered(signed: String, computed: String)
    /// The PKCS#7 signature itself does not check (messageDigest, content type, signer
    /// certificate missing, RSA/ECDSA signature invalid).
    case badSignature(String)
    /// The signature is valid but its signer chains to no trusted certificate.
    case untrusted(signer: String, issuer: String, policyFailures: [String])
    /// A forbidden database lists the image hash or a certificate of the chain.
    case revoked(what: String, source: String)

    public var description: String {
        switch self {
        case .notPE(let why): "not a PE/COFF image (\(why)), so it carries no Authenticode signature"
        case .malformed(let e): "malformed signature: \(e)"
        case .unsigned(let h): "unsigned: no Authenticode signature, and no allowed database lists its image hash sha256:\(h)"
        case .unsupportedDigest(let a): "signed with digest algorithm \(a), which is not accepted (SHA-1, SHA-256, SHA-384, SHA-512 are)"
        case .tampered(let signed, let computed): "tampered: the signature covers image hash \(signed), the file hashes to \(computed)"
        case .badSignature(let why): "invalid signature: \(why)"
        case .untrusted(let signer, let issuer, let failures):
            "signed by \"\(signer)\" (issuer \"\(issuer)\"), which chains to no trusted certificate" + (failures.isEmpty ? "" : " (\(failures.joined(separator: "; ")))")
        case .revoked(let what, let source): "revoked: \(source) lists \(what)"
        }
    }

    /// A short stable name for JSON.
    public var kind: String {
        switch self {
        case .notPE: "not-pe"
        case .malformed: "malformed"
        case .unsigned: "unsigned"
        case .unsupportedDigest: "unsupported-digest"
        case .tampered: "tampered"
        case .badSignature: "bad-signature"
        case .untrusted: "untrusted"
        case .revoked: "revoked"
        }
    }
}
