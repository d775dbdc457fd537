import KexecImage
import KexecPlan
import KexecTrust
import Logging
import SystemPackage

/// The loader's Secure Boot guard rail, one step of the load pipeline: when Secure Boot or
/// lockdown is on (``SecureBootState``, read once when the gate is made), or with
/// `--require-signature`, a kernel is armed only if its Authenticode signature chains to the
/// firmware's `db`, shim's `MokListRT` or a `--trust-cert`, and nothing in `dbx`/`MokListXRT`
/// revokes it.
///
/// It checks the very bytes the loader read and will send (``admit(_:path:type:logger:)``),
/// before any hypercall. It is a guard rail, not enforcement: root in dom0 can call the
/// kexec hypercall directly, and stock Xen has no lockdown of its own.
///
/// What is verified: for a Unified Kernel Image the container's own signature (it covers
/// `.linux`, `.initrd` and `.cmdline`) and, for KEXEC_TYPE_CRASH_EFI, also the inner
/// `.linux` that Xen runs; for an ELF envelope the inner bzImage (the envelope carries no
/// signature, so its `.initrd` and `.cmdline` are not covered); otherwise the file. Classic
/// types (KEXEC_TYPE_CRASH, KEXEC_TYPE_DEFAULT) run through this tool's purgatory with
/// nothing checking at panic time, so under the policy they are refused unless the
/// administrator opts in (`allowUnverified`), which also lets an unverified
/// KEXEC_TYPE_CRASH_EFI kernel through — but never a revoked one.
public struct SecureBootGate: Sendable {
    public let sources: SecureBootSources
    /// dom0's Secure Boot and lockdown state, read once.
    public let state: SecureBootState
    public let policy: SignaturePolicy

    /// Reads dom0's state from `sources` now, once.
    public init(sources: SecureBootSources = SecureBootSources(), policy: SignaturePolicy = SignaturePolicy()) {
        self.init(sources: sources, state: sources.state(), policy: policy)
    }

    public init(sources: SecureBootSources, state: SecureBootState, policy: SignaturePolicy) {
        self.sources = sources
        self.state = state
        self.policy = policy
    }

    /// What the gate decided.
    public enum Outcome: Equatable, Sendable {
        /// Neither Secure Boot, lockdown nor `--require-signature`: nothing checked.
        case notRequired
        /// Verified: the signatures that verified and what they do and do not cover.
        case verified(VerifiedSignature, because: String, coverage: Coverage)
        /// Not verified, armed anyway because the administrator opted in.
        case allowedUnverified(reason: String, because: String)
    }

    /// What a verified load covers, in words (`load` logs it, `inspect --json` shows it).
    public struct Coverage: Equatable, Sendable {
        public var verified: [String]
        public var notVerified: [String]
    }

    /// Why the policy applies, or `nil` when it does not.
    public func activeBecause() -> String? {
        if let because = state.enforcedBecause { return because }
        if policy.requireSignature { return "--require-signature" }
        return nil
    }

    /// The `lockdown=` level a new kernel gets under the policy: `--crash-lockdown`, else
    /// dom0's own mode when it is locked down, else `integrity`; `nil` when the policy does
    /// not apply.
    public var crashLockdown: LockdownLevel? {
        guard activeBecause() != nil else { return nil }
        return policy.crashLockdown ?? state.lockdownMode.flatMap(LockdownLevel.init(rawValue:)) ?? .integrity
    }

    /// Refuses a classic load type under the policy unless the administrator opted in.
    /// Reads nothing; call it before reading the files. The opt-in's warning goes to
    /// `logger` (`nil`: a pre-check whose pipeline warns later).
    public func admit(type: LoadType, kernel: FilePath, logger: Logger?) throws(KexecError) {
        guard let because = activeBecause(), type != .crashEFI else { return }
        let name = type == .crash ? "crash (KEXEC_TYPE_CRASH)" : "default (KEXEC_TYPE_DEFAULT)"
        guard policy.allowUnverified else {
            throw .secureBootRefused(SecureBootRefusal(kernel: kernel, reason: .classicTypeUnverifiable(typeName: name), because: because))
        }
        logger?.warning("\(because), but arming \(kernel) unverified: the \(name) load type runs the kernel through this tool's purgatory and Xen checks no signature (--allow-unverified-kernel)")
    }

    /// Checks the kernel file's bytes as read for loading (`bytes`, the whole file) for a load
    /// of `type`. Reads efivarfs and the `--trust-cert` files; makes no hypercall.
    public func admit(
        _ bytes: [UInt8], parsed: KernelImage?, path: FilePath, type: LoadType, initrd: FilePath?, commandLineGiven: Bool, logger: Logger
    ) async throws(KexecError) -> Outcome {
        guard let because = activeBecause() else { return .notRequired }
        try admit(type: type, kernel: path, logger: logger)
        let store = try sources.trustStore(certificates: policy.trustCertificates)
        for line in store.sources { logger.info("trust: \(line)") }
        if type != .crashEFI {
            // Opted in: nothing is verified, but a revoked kernel is still refused.
            for part in Self.signedParts(bytes, parsed: parsed, initrd: initrd, commandLineGiven: commandLineGiven) {
                if case .refused(let refusal) = await AuthenticodeVerifier.verify(image: part.bytes, parsedPE: part.pe, trust: store), case .revoked = refusal {
                    throw .secureBootRefused(SecureBootRefusal(kernel: path, reason: .signature(refusal.description, kind: refusal.kind), because: because))
                }
            }
            return .allowedUnverified(reason: "the classic load types are not verified", because: because)
        }
        var coverage = Coverage(verified: [], notVerified: [])
        var first: VerifiedSignature?
        for part in Self.signedParts(bytes, parsed: parsed, initrd: initrd, commandLineGiven: commandLineGiven) {
            coverage.notVerified += part.notCovered
            switch await AuthenticodeVerifier.verify(image: part.bytes, parsedPE: part.pe, trust: store) {
            case .verified(let signature):
                logger.notice("\(path): \(part.name == "kernel" ? "" : part.name + " ")signature verified (\(signature.chain.first ?? "image hash") via \(signature.anchorSource)); \(because)")
                coverage.verified.append(part.name)
                if first == nil { first = signature }
            case .refused(let refusal):
                // A revocation is never overridden: dbx/MokListXRT say this kernel must not run.
                let revoked = if case .revoked = refusal { true } else { false }
                let reason = part.isContainer ? "the UKI's own signature (over .linux, .initrd, .cmdline): \(refusal)" : refusal.description
                guard policy.allowUnverified, !revoked else {
                    throw .secureBootRefused(SecureBootRefusal(kernel: path, reason: .signature(reason, kind: refusal.kind), because: because))
                }
                logger.warning("\(because), but arming \(path) unverified: \(reason) (--allow-unverified-kernel)")
                return .allowedUnverified(reason: reason, because: because)
            }
        }
        for item in coverage.notVerified { logger.notice("\(path): not covered by any signature: \(item)") }
        guard let first else { throw .secureBootRefused(SecureBootRefusal(kernel: path, reason: .signature("nothing to verify", kind: "not-pe"), because: because)) }
        return .verified(first, because: because, coverage: coverage)
    }

    /// One image whose signature must verify. A bzImage signature covers the kernel alone:
    /// its command line and initrd always come from elsewhere.
    public struct SignedPart: Sendable {
        public var name: String
        public var bytes: [UInt8]
        /// `bytes`' PE/COFF headers from the pipeline's one parse, when it has them.
        public var pe: PEImage? = nil
        public var isContainer: Bool
        /// What the file uses that this signature does not cover.
        public var notCovered: [String]
    }

    /// The images whose signatures count, outermost first: a UKI and its `.linux`; an ELF
    /// envelope's bzImage; or the whole file (when it does not parse as a kernel, the
    /// verifier says why). An initrd given apart from the kernel is covered by no signature,
    /// as with Linux's `kexec_file_load`.
    ///
    /// `parsed` is `bytes` as the pipeline parsed it (`nil` when it does not parse as a kernel).
    public static func signedParts(_ bytes: [UInt8], parsed image: KernelImage?, initrd: FilePath?, commandLineGiven: Bool) -> [SignedPart] {
        var separate = initrd.map { ["the initrd \($0) (a separate file)"] } ?? []
        if commandLineGiven { separate.append("the command line given to the loader") }
        guard let image, image.kernelRange != 0..<bytes.count else {
            return [SignedPart(name: "kernel", bytes: bytes, pe: image?.kernelPE, isContainer: false, notCovered: separate)]
        }
        let inner = Array(bytes[image.kernelRange])
        switch image.format {
        case .uki:
            return [
                SignedPart(name: "UKI", bytes: bytes, pe: image.uki?.pe, isContainer: true, notCovered: separate),
                SignedPart(name: ".linux", bytes: inner, pe: image.kernelPE, isContainer: false, notCovered: []),
            ]
        case .elfEnvelope, .bzImage:
            var missing = separate
            if image.initrdRange != nil { missing.append("the ELF envelope's .initrd") }
            if image.embeddedCommandLine != nil { missing.append("the ELF envelope's .cmdline") }
            return [SignedPart(name: "kernel", bytes: inner, pe: image.kernelPE, isContainer: false, notCovered: missing)]
        }
    }

    /// The bytes Xen runs: a UKI's `.linux`, an ELF envelope's bzImage, or the whole file.
    public static func imageXenRuns(_ bytes: [UInt8]) -> [UInt8] {
        guard let image = try? KernelImage.parse(bytes), image.kernelRange != 0..<bytes.count else { return bytes }
        return Array(bytes[image.kernelRange])
    }
}
