import X509

/// What an Authenticode signature is checked against: UEFI's allowed and forbidden
/// signature databases as dom0 sees them, plus certificates the administrator names.
///
/// Allowed: `db` and shim's `MokListRT` (X.509 anchors and SHA-256 image hashes), and
/// `--trust-cert` files. Forbidden: `dbx` and `MokListXRT` (certificates anywhere in the
/// signer's chain, or the image's SHA-256 Authenticode hash). Each entry keeps the name of
/// the source it came from, for messages and `inspect`.
public struct TrustStore: Sendable {
    public struct Anchor: Sendable {
        public let certificate: Certificate
        public let source: String
    }

    public struct ImageHash: Sendable, Equatable {
        public let sha256: [UInt8]
        public let source: String
    }

    public private(set) var anchors: [Anchor] = []
    public private(set) var allowedHashes: [ImageHash] = []
    public private(set) var revokedCertificates: [Anchor] = []
    public private(set) var revokedHashes: [ImageHash] = []
    /// Each source read and what it gave ("db: 2 certificates, 0 hashes"), or why not.
    public private(set) var sources: [String] = []

    public init() {}

    /// Adds the entries of an allowed database (`db`, `MokListRT`).
    public mutating func allow(_ entries: [EFISignatureList.Entry], source: String) {
        var certificates = 0, hashes = 0, unreadable = 0
        for entry in entries {
            switch entry {
            case .certificate(let c): anchors.append(Anchor(certificate: c, source: source)); certificates += 1
            case .sha256(let h): allowedHashes.append(ImageHash(sha256: h, source: source)); hashes += 1
            case .unreadableCertificate: unreadable += 1
            case .otherType: break
            }
        }
        sources.append("\(source): \(certificates) certificates, \(hashes) image hashes" + (unreadable > 0 ? ", \(unreadable) unreadable certificates" : ""))
    }

    /// Adds the entries of a forbidden database (`dbx`, `MokListXRT`).
    public mutating func forbid(_ entries: [EFISignatureList.Entry], source: String) {
        var certificates = 0, hashes = 0
        for entry in entries {
            switch entry {
            case .certificate(let c): revokedCertificates.append(Anchor(certificate: c, source: source)); certificates += 1
            case .sha256(let h): revokedHashes.append(ImageHash(sha256: h, source: source)); hashes += 1
            case .unreadableCertificate, .otherType: break
            }
        }
        sources.append("\(source): \(certificates) revoked certificates, \(hashes) revoked image hashes")
    }

    /// Adds one certificate given by the administrator (`--trust-cert FILE`).
    public mutating func trust(_ certificate: Certificate, source: String) {
        anchors.append(Anchor(certificate: certificate, source: source))
        sources.append("\(source): 1 certificate")
    }

    /// Notes a source that could not be read (missing variable, not an EFI host …).
    public mutating func note(_ text: String) {
        sources.append(text)
    }

    /// The anchor entry for `certificate`, if it is one.
    func anchor(for certificate: Certificate) -> Anchor? {
        anchors.first { $0.certificate == certificate }
    }

    /// The forbidden entry naming `certificate`, if any.
    func revocation(of certificate: Certificate) -> Anchor? {
        revokedCertificates.first { $0.certificate == certificate }
    }
}
