import FoundationEssentials
import Crypto
import KexecImage
import X509

/// Verifies a PE image's Authenticode signature the way UEFI firmware and shim decide
/// whether to start it (EDK2 `DxeImageVerificationLib.c` DxeImageVerificationHandler, shim
/// `verify_buffer`):
///
/// 1. the image's Authenticode hash, with every algorithm a forbidden database lists hashes
///    of, must not be there, and no certificate that any signature carries may be forbidden
///    (itself or its to-be-signed hash: EDK2 `IsForbiddenByDbx` checks every signer's
///    certificates, trusted or not);
/// 2. an unsigned image passes only if an allowed database lists its hash;
/// 3. for each PKCS#7 signature: the signed image hash must equal the image's (same
///    algorithm), the messageDigest attribute must hash the SpcIndirectDataContent, the
///    signer certificate's key must verify the signed attributes, and the signer must chain
///    (swift-certificates' `Verifier`, ``UEFIChainPolicy``) to an allowed certificate with no
///    forbidden certificate in the chain;
/// 4. one forbidden match refuses the image; otherwise one good signature accepts it.
///
/// SBAT (`.sbat` generation numbers against shim's `SbatLevelRT`) is not evaluated: it is
/// shim's revocation scheme for the binaries shim itself starts, and Xen, not shim, starts a
/// crash kernel. Revocation here is what `dbx` and `MokListXRT` express.
public enum AuthenticodeVerifier {
    /// - Parameter parsedPE: `image`'s PE/COFF headers when the caller parsed them already
    ///   (the load pipeline's one parse); `nil`: parsed here.
    public static func verify(image: [UInt8], parsedPE: PEImage? = nil, trust: TrustStore) async -> KernelVerification {
        let pe: PEImage
        if let parsedPE {
            pe = parsedPE
        } else {
            do { pe = try PEImage.parse(image) } catch { return .refused(.notPE("\(error)")) }
        }
        let imageHash: [UInt8]
        let signatures: [AuthenticodeSignature]
        do {
            imageHash = try AuthenticodeImageHash.sha256(image, pe: pe)
            signatures = try AuthenticodeSignature.all(in: image, pe: pe)
        } catch {
            return .refused(.malformed(error))
        }
        let hashHex = hexDigits(imageHash)
        for revoked in trust.revokedHashes {
            let digest: [UInt8]?
            do { digest = revoked.algorithm == .sha256 ? imageHash : try AuthenticodeDigest.image(image, pe: pe, revoked.algorithm) } catch {
                return .refused(.malformed(error))
            }
            if digest == revoked.digest {
                return .refused(.revoked(what: "the image's \(revoked.algorithm.rawValue) Authenticode hash \(hexDigits(revoked.digest))", source: revoked.source))
            }
        }
        for signature in signatures {
            for certificate in signature.certificates {
                if let source = trust.revocation(of: certificate) {
                    return .refused(.revoked(what: "the certificate \"\(certificate.subject)\" carried by a signature", source: source))
                }
            }
        }
        if let allowed = trust.allowedHashes.first(where: { $0.digest == imageHash }) {
            return .verified(VerifiedSignature(imageSHA256: hashHex, digestAlgorithm: "SHA-256", chain: [], anchorSource: allowed.source, trustedByImageHash: true))
        }
        guard !signatures.isEmpty else { return .refused(.unsigned(imageSHA256: hashHex)) }

        var verified: VerifiedSignature? = nil
        var firstRefusal: SignatureRefusal? = nil
        for signature in signatures {
            switch await check(signature, image: image, pe: pe, imageHash: hashHex, trust: trust) {
            case .refused(let refusal):
                if case .revoked = refusal { return .refused(refusal) }
                if firstRefusal == nil { firstRefusal = refusal }
            case .verified(let good):
                if verified == nil { verified = good }
            }
        }
        if let verified { return .verified(verified) }
        return .refused(firstRefusal ?? .unsigned(imageSHA256: hashHex))
    }

    /// One signature, steps 3 and the chain's revocation.
    static func check(_ signature: AuthenticodeSignature, image: [UInt8], pe: PEImage, imageHash: String, trust: TrustStore) async -> KernelVerification {
        let signer = signature.signer
        let contentAlgorithm = signature.content.digestAlgorithm
        let computed: [UInt8]
        do {
            switch contentAlgorithm {
            case .sha1: computed = try AuthenticodeImageHash.digest(image, pe: pe, using: Insecure.SHA1.self)
            case .sha256: computed = try AuthenticodeImageHash.digest(image, pe: pe, using: SHA256.self)
            case .sha384: computed = try AuthenticodeImageHash.digest(image, pe: pe, using: SHA384.self)
            case .sha512: computed = try AuthenticodeImageHash.digest(image, pe: pe, using: SHA512.self)
            case .unsupported(let name): return .refused(.unsupportedDigest(name))
            }
        } catch {
            return .refused(.malformed(error))
        }
        guard computed == signature.content.imageDigest else {
            return .refused(.tampered(signed: hexDigits(signature.content.imageDigest), computed: hexDigits(computed)))
        }
        guard let leaf = signature.certificates.first(where: { signer.names($0) }) else {
            return .refused(.badSignature("the signature does not carry its signer's certificate (issuer \(signer.issuer))"))
        }
        if let problem = signedAttributesProblem(signature) { return .refused(.badSignature(problem)) }
        guard let algorithm = signer.certificateSignatureAlgorithm else {
            return .refused(.unsupportedDigest("\(signer.signatureAlgorithm) with \(signer.digestAlgorithm)"))
        }
        let signedBytes = signer.signedAttributes ?? signature.content.contentOctets
        guard leaf.publicKey.isValidSignature(signer.signature, for: signedBytes, signatureAlgorithm: algorithm) else {
            return .refused(.badSignature("the signer's key (\(leaf.subject)) does not verify the signed attributes"))
        }

        var verifier = Verifier(rootCertificates: CertificateStore(trust.anchors.map(\.certificate))) { UEFIChainPolicy() }
        let result = await verifier.validate(leaf: leaf, intermediates: CertificateStore(signature.certificates))
        switch result {
        case .couldNotValidate(let failures):
            return .refused(.untrusted(signer: "\(leaf.subject)", issuer: "\(leaf.issuer)", policyFailures: failures.map { "\($0.policyFailureReason)" }))
        case .validCertificate(let chain):
            let certificates = Array(chain)
            for certificate in certificates {
                if let source = trust.revocation(of: certificate) {
                    return .refused(.revoked(what: "the certificate \"\(certificate.subject)\" of the signer's chain", source: source))
                }
            }
            let anchor = certificates.last.flatMap { trust.anchor(for: $0) }
            return .verified(VerifiedSignature(
                imageSHA256: imageHash, digestAlgorithm: contentAlgorithm.description,
                chain: certificates.map { "\($0.subject)" }, anchorSource: anchor?.source ?? "trust store",
                trustedByImageHash: false))
        }
    }

    /// PKCS#9 checks: contentType names SPC_INDIRECT_DATA and messageDigest hashes the
    /// SpcIndirectDataContent octets (RFC 2315 §9.3). `nil` when both hold or there are no
    /// attributes (then the signature covers the content itself).
    static func signedAttributesProblem(_ signature: AuthenticodeSignature) -> String? {
        let signer = signature.signer
        guard signer.signedAttributes != nil else { return nil }
        guard signer.contentType == AuthenticodeOID.spcIndirectData.description else {
            return "the contentType attribute is \(signer.contentType ?? "missing"), not SPC_INDIRECT_DATA"
        }
        let content = signature.content.contentOctets
        let expected: [UInt8]
        switch signer.digestAlgorithm {
        case .sha1: expected = Array(Insecure.SHA1.hash(data: content))
        case .sha256: expected = Array(SHA256.hash(data: content))
        case .sha384: expected = Array(SHA384.hash(data: content))
        case .sha512: expected = Array(SHA512.hash(data: content))
        case .unsupported(let name): return "the signer digests with \(name), which is not accepted"
        }
        guard signer.messageDigest == expected else {
            return "the messageDigest attribute does not match the signed SpcIndirectDataContent"
        }
        return nil
    }
}
