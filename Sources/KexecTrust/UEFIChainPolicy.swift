import SwiftASN1
import X509

/// The certificate-chain policy UEFI applies to an image signature, for swift-certificates'
/// `Verifier`.
///
/// Like the firmware (EDK2 `Pkcs7Verify` with OpenSSL, which has no trusted time source and
/// ignores validity dates) and shim, it checks no validity dates: a kernel signed by a
/// since-expired certificate still boots. It does check, on every issuer in the chain,
/// that a basicConstraints extension, when present, says CA, and that a keyUsage
/// extension, when present, allows keyCertSign. Those two, and extendedKeyUsage (shim does
/// not require one; it is accepted as is), are the critical extensions it handles.
/// Revocation (`dbx`, `MokListXRT`) is checked by ``AuthenticodeVerifier`` on the chain this
/// policy accepts.
struct UEFIChainPolicy: VerifierPolicy {
    let verifyingCriticalExtensions: [ASN1ObjectIdentifier] = [
        .X509ExtensionID.basicConstraints, .X509ExtensionID.keyUsage, .X509ExtensionID.extendedKeyUsage,
    ]

    mutating func chainMeetsPolicyRequirements(chain: UnverifiedCertificateChain) async -> PolicyEvaluationResult {
        Self.evaluate(Array(chain))
    }

    /// The synchronous check, for tests.
    static func evaluate(_ chain: [Certificate]) -> PolicyEvaluationResult {
        for issuer in chain.dropFirst() {
            let constraints: BasicConstraints?
            let usage: KeyUsage?
            do {
                constraints = try issuer.extensions.basicConstraints
                usage = try issuer.extensions.keyUsage
            } catch {
                return .failsToMeetPolicy(reason: "\(issuer.subject): unreadable basicConstraints or keyUsage extension")
            }
            if case .some(.notCertificateAuthority) = constraints {
                return .failsToMeetPolicy(reason: "\(issuer.subject) issues a certificate but its basicConstraints say it is not a CA")
            }
            if let usage, !usage.keyCertSign {
                return .failsToMeetPolicy(reason: "\(issuer.subject) issues a certificate but its keyUsage lacks keyCertSign")
            }
        }
        return .meetsPolicy
    }
}
