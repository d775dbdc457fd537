import KexecImage
import KexecPlan
import KexecTrust
import Logging
import SystemPackage

/// The loader's Secure Boot guard rail: under lockdown, or with `--require-signature`, a
/// kernel is armed only if its Authenticode signature chains to the firmware's `db`,
/// shim's `MokListRT` or a `--trust-cert`, and nothing in `dbx`/`MokListXRT` revokes it.
///
/// It runs before any hypercall. It is a guard rail, not enforcement: root in dom0 can call
/// the kexec hypercall directly, and stock Xen has no lockdown of its own.
///
/// What is verified is the image Xen runs: for KEXEC_TYPE_CRASH_EFI the kernel itself, and
/// for a Unified Kernel Image its inner `.linux` with that section's own signature (the
/// planner loads `.linux`, not the UKI). Classic types (KEXEC_TYPE_CRASH, KEXEC_TYPE_DEFAULT)
/// run through this tool's purgatory with nothing checking at panic time, so under the
/// policy they are refused unless the administrator opts in (`allowUnverified`), which also
/// lets an unverified KEXEC_TYPE_CRASH_EFI kernel through — but never a revoked one.
public struct SecureBootGate: Sendable {
    public let sources: SecureBootSources
    public let policy: SignaturePolicy
    public let fileTrust: FileTrustPolicy

    public init(sources: SecureBootSources = SecureBootSources(), policy: SignaturePolicy, fileTrust: FileTrustPolicy = .rootOnly) {
        self.sources = sources
        self.policy = policy
        self.fileTrust = fileTrust
    }

    /// What the gate decided.
    public enum Outcome: Equatable, Sendable {
        /// Neither lockdown nor `--require-signature`: nothing checked.
        case notRequired
        /// Verified; the loader must load exactly these bytes (`kernelSHA256`).
        case verified(VerifiedSignature, kernelSHA256: String, because: String)
        /// Not verified, armed anyway because the administrator opted in.
        case allowedUnverified(reason: String, because: String)
    }

    /// Why the policy applies, or `nil` when it does not.
    public func activeBecause() -> String? {
        if let mode = sources.lockdownMode(), mode != "none" { return "dom0 is locked down (\(mode))" }
        if policy.requireSignature { return "--require-signature" }
        return nil
    }

    /// Checks `kernel` for a load of `type`. Reads the kernel, efivarfs and the
    /// `--trust-cert` files; makes no hypercall.
    public func check(kernel: FilePath, type: LoadType, logger: Logger) async throws(KexecError) -> Outcome {
        guard let because = activeBecause() else { return .notRequired }
        if type != .crashEFI {
            let name = type == .crash ? "crash (KEXEC_TYPE_CRASH)" : "default (KEXEC_TYPE_DEFAULT)"
            guard policy.allowUnverified else {
                throw .secureBootRefused(SecureBootRefusal(kernel: kernel, reason: .classicTypeUnverifiable(typeName: name), because: because))
            }
            let reason = "the \(name) load type runs the kernel through this tool's purgatory and Xen checks no signature"
            logger.warning("\(because), but arming \(kernel) unverified: \(reason) (--allow-unverified-kernel)")
            return .allowedUnverified(reason: reason, because: because)
        }
        let file = try LoadedFile.load(kernel, policy: fileTrust, allocate: { (n: Int) throws(KexecError) in PayloadBuffer.heap(byteCount: n) })
        // The pin: the SHA-256 of the whole file verified here, which the loader checks the
        // bytes it reads again against (a second hash of the kernel, under the policy only).
        let kernelSHA256 = hexDigits(file.payload.sha256())
        let bytes = Array(PayloadBytes(file.payload))
        let store = try sources.trustStore(certificates: policy.trustCertificates)
        for line in store.sources { logger.info("trust: \(line)") }
        let verdict = await AuthenticodeVerifier.verify(image: Self.imageXenRuns(bytes), trust: store)
        switch verdict {
        case .verified(let signature):
            logger.notice("\(kernel): signature verified (\(signature.chain.first ?? "image hash") via \(signature.anchorSource)); \(because)")
            return .verified(signature, kernelSHA256: kernelSHA256, because: because)
        case .refused(let refusal):
            // A revocation is never overridden: dbx/MokListXRT say this kernel must not run.
            let revoked = if case .revoked = refusal { true } else { false }
            guard policy.allowUnverified, !revoked else {
                throw .secureBootRefused(SecureBootRefusal(kernel: kernel, reason: .signature(refusal.description, kind: refusal.kind), because: because))
            }
            logger.warning("\(because), but arming \(kernel) unverified: \(refusal) (--allow-unverified-kernel)")
            return .allowedUnverified(reason: refusal.description, because: because)
        }
    }

    /// The bytes whose signature counts: a UKI's `.linux`, an ELF envelope's bzImage, or the
    /// whole file (when it does not parse as a kernel, the verifier says why).
    public static func imageXenRuns(_ bytes: [UInt8]) -> [UInt8] {
        guard let image = try? KernelImage.parse(bytes), image.kernelRange != 0..<bytes.count else { return bytes }
        return Array(bytes[image.kernelRange])
    }
}
