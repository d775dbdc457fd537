import KexecPlan
import SystemPackage

/// What the administrator asked of kernel signatures (`--require-signature`,
/// `--trust-cert`, `--allow-unverified-kernel`; for `provision` the defaults-file keys
/// XEN_KEXEC_REQUIRE_SIGNATURE, XEN_KEXEC_TRUST_CERTS, XEN_KEXEC_ALLOW_UNVERIFIED).
public struct SignaturePolicy: Equatable, Sendable {
    /// Verify even when dom0 is not locked down.
    public var requireSignature: Bool
    /// Extra trust anchors (PEM or DER certificate files).
    public var trustCertificates: [FilePath]
    /// Arm a kernel that is not verified anyway (with a warning): the explicit opt-in for
    /// hosts whose Xen has no KEXEC_TYPE_CRASH_EFI.
    public var allowUnverified: Bool
    /// The `lockdown=` level a kernel armed under the policy runs at (`--crash-lockdown`);
    /// `nil`: dom0's own mode when it is locked down, else `integrity`.
    public var crashLockdown: LockdownLevel?

    public init(
        requireSignature: Bool = false, trustCertificates: [FilePath] = [], allowUnverified: Bool = false,
        crashLockdown: LockdownLevel? = nil
    ) {
        self.requireSignature = requireSignature
        self.trustCertificates = trustCertificates
        self.allowUnverified = allowUnverified
        self.crashLockdown = crashLockdown
    }

    /// The policy the defaults file's XEN_KEXEC_REQUIRE_SIGNATURE, XEN_KEXEC_TRUST_CERTS and
    /// XEN_KEXEC_ALLOW_UNVERIFIED ask for (`provision`).
    public init(_ settings: ProvisionConfig) {
        self.init(
            requireSignature: settings.requireSignature, trustCertificates: settings.trustCertificates.map { FilePath($0) },
            allowUnverified: settings.allowUnverified, crashLockdown: settings.crashLockdown)
    }
}

/// Why the Secure Boot policy refused a load. Nothing was sent to Xen.
public struct SecureBootRefusal: Equatable, Sendable {
    public enum Reason: Equatable, Sendable {
        /// The kernel's Authenticode signature does not verify.
        case signature(String, kind: String)
        /// A classic load type (KEXEC_TYPE_CRASH or KEXEC_TYPE_DEFAULT): Xen would run the
        /// kernel through this tool's purgatory and check nothing.
        case classicTypeUnverifiable(typeName: String)
    }

    /// The kernel file.
    public var kernel: FilePath
    public var reason: Reason
    /// Why the policy applies: `dom0 is locked down (integrity)` or `--require-signature`.
    public var because: String

    public init(kernel: FilePath, reason: Reason, because: String) {
        self.kernel = kernel
        self.reason = reason
        self.because = because
    }
}
