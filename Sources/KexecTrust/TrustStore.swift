import X509

/// What an Authenticode signature is checked against: UEFI's allowed and forbidden
/// signature databases as dom0 sees them, plus certificates the administrator names.
///
/// Allowed: `db` and shim's `MokListRT` (X.509 anchors and SHA-256 image hashes), and
/// `--trust-cert` files. Forbidden: `dbx` and `MokListXRT`: certificates anywhere in any
/// signer's chain, the hash of such a certificate's to-be-signed part (EFI_CERT_X509_SHA*,
/// revoked whatever its revocation time says), or the image's Authenticode hash with any
/// algorithm UEFI defines. A forbidden database entry that cannot be evaluated is an error
/// (``RevocationListError``), never skipped; an allowed one is only noted. Each entry keeps
/// the name of the source it came from, for messages and `inspect`.
public struct TrustStore: Sendable {
    public struct Anchor: Sendable {
        public let certificate: Certificate
        public let source: String
    }

    public struct ImageHash: Sendable, Equatable {
        public let algorithm: EFISignatureList.Hash
        public let digest: [UInt8]
        public let source: String
    }

    public private(set) var anchors: [Anchor] = []
    /// Allowed image hashes (SHA-256: the Authenticode hash this tool computes for db).
    public private(set) var allowedHashes: [ImageHash] = []
    public private(set) var revokedCertificates: [Anchor] = []
    /// Forbidden image hashes, any algorithm.
    public private(set) var revokedHashes: [ImageHash] = []
    /// Forbidden to-be-signed hashes of certificates.
    public private(set) var revokedCertificateHashes: [ImageHash] = []
    /// Each source read and what it gave ("db: 2 certificates, 0 hashes"), or why not.
    public private(set) var sources: [String] = []

    public init() {}

    /// Adds the entries of an allowed database (`db`, `MokListRT`). Entries that cannot be
    /// used are counted; they can only have added trust, so leaving them out is safe.
    public mutating func allow(_ entries: [EFISignatureList.Entry], source: String) {
        var certificates = 0, hashes = 0, unusable = 0
        for entry in entries {
            switch entry {
            case .certificate(let c): anchors.append(Anchor(certificate: c, source: source)); certificates += 1
            case .imageHash(.sha256, let h): allowedHashes.append(ImageHash(algorithm: .sha256, digest: h, source: source)); hashes += 1
            case .imageHash, .certificateHash, .unreadable, .unsupported: unusable += 1
            }
        }
        sources.append("\(source): \(certificates) certificates, \(hashes) image hashes" + (unusable > 0 ? ", \(unusable) entries not used" : ""))
    }

    /// Adds the entries of a forbidden database (`dbx`, `MokListXRT`). An entry this tool
    /// cannot evaluate throws: a revocation list is never partly ignored.
    public mutating func forbid(_ entries: [EFISignatureList.Entry], source: String) throws(RevocationListError) {
        var certificates = 0, hashes = 0, certificateHashes = 0
        for entry in entries {
            switch entry {
            case .certificate(let c): revokedCertificates.append(Anchor(certificate: c, source: source)); certificates += 1
            case .imageHash(.sha224, _):
                throw RevocationListError(source: source, reason: "it lists a SHA-224 image hash, which this tool cannot compute")
            case .imageHash(let a, let h): revokedHashes.append(ImageHash(algorithm: a, digest: h, source: source)); hashes += 1
            case .certificateHash(let a, let h):
                revokedCertificateHashes.append(ImageHash(algorithm: a, digest: h, source: source)); certificateHashes += 1
            case .unreadable(let offset, let type, let reason):
                throw RevocationListError(source: source, reason: "its \(type) entry at offset \(offset) cannot be read: \(reason)")
            case .unsupported(let offset, let type):
                throw RevocationListError(source: source, reason: "its entry at offset \(offset) is of type \(type), which this tool cannot evaluate")
            }
        }
        sources.append("\(source): \(certificates) revoked certificates, \(certificateHashes) revoked certificate hashes, \(hashes) revoked image hashes")
    }

    /// Adds one certificate given by the administrator (`--trust-cert FILE`).
    public mutating func trust(_ certificate: Certificate, source: String) {
        anchors.append(Anchor(certificate: certificate, source: source))
        sources.append("\(source): 1 certificate")
    }

    /// Notes a source that could not be read (missing variable, not an EFI host …) or was
    /// not trusted.
    public mutating func note(_ text: String) {
        sources.append(text)
    }

    /// The anchor entry for `certificate`, if it is one.
    func anchor(for certificate: Certificate) -> Anchor? {
        anchors.first { $0.certificate == certificate }
    }

    /// The forbidden database naming `certificate` (itself or its to-be-signed hash), if any.
    func revocation(of certificate: Certificate) -> String? {
        if let hit = revokedCertificates.first(where: { $0.certificate == certificate }) { return hit.source }
        for entry in revokedCertificateHashes where AuthenticodeDigest.hash(Array(certificate.tbsCertificateBytes), entry.algorithm) == entry.digest {
            return entry.source
        }
        return nil
    }
}

/// A forbidden signature database (`dbx`, `MokListXRT`) holds an entry this tool cannot
/// evaluate, so it cannot tell whether a kernel is revoked.
public struct RevocationListError: Error, Equatable, Sendable, CustomStringConvertible {
    public let source: String
    public let reason: String

    public init(source: String, reason: String) {
        self.source = source
        self.reason = reason
    }

    public var description: String { "the revocation list \(source) cannot be evaluated: \(reason)" }
}
