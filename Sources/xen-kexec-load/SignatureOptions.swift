import ArgumentParser
import KexecPlan
import SystemPackage
import XenKexec

/// The Secure Boot policy options of `load` and `provision` (and `--trust-cert` for
/// `inspect`). Under lockdown the policy applies without `--require-signature`.
struct SignatureOptions: ParsableArguments {
    @Flag(name: .customLong("require-signature"),
          help: "Verify the kernel's Authenticode signature even when dom0 is not locked down (under lockdown it is always verified).")
    var requireSignature = false

    @Option(name: .customLong("trust-cert"), parsing: .singleValue,
            help: ArgumentHelp("Also trust this certificate (PEM or DER) besides the firmware's db and shim's MokListRT; repeatable.", valueName: "file"),
            completion: .file())
    var trustCert: [String] = []

    @Flag(name: .customLong("allow-unverified-kernel"),
          help: "Under the signature policy, arm a kernel that is not verified anyway (a classic load type on a Xen without KEXEC_TYPE_CRASH_EFI, an unsigned or untrusted kernel); never a revoked one.")
    var allowUnverifiedKernel = false

    #if XEN_KEXEC_TEST_HOOKS
    /// Debug builds only: the root, instead of `/`, under which dom0 is read (``Dom0``).
    /// Release builds (the .deb, the e2e dom0) have no such option (Package.swift).
    @Option(name: .customLong("sysfs-root"), help: .hidden)
    var sysfsRoot: String?
    #endif

    /// dom0: the live one (in a debug build, under `--sysfs-root`).
    var dom0: Dom0 {
        #if XEN_KEXEC_TEST_HOOKS
        return sysfsRoot.map { Dom0(root: FilePath($0)) } ?? .live
        #else
        return .live
        #endif
    }

    @Option(name: .customLong("crash-lockdown"),
            help: ArgumentHelp("Under the signature policy, the lockdown= level the new kernel runs at (integrity or confidentiality; default: dom0's own mode, else integrity).", valueName: "level"))
    var crashLockdown: LockdownArgument?

    var policy: SignaturePolicy {
        SignaturePolicy(
            requireSignature: requireSignature, trustCertificates: trustCert.map { FilePath($0) }, allowUnverified: allowUnverifiedKernel,
            crashLockdown: crashLockdown?.level)
    }

    /// The gate with these options, widened by a defaults file's settings (`provision`).
    func gate(adding settings: SignaturePolicy? = nil) -> SecureBootGate {
        var p = policy
        if let settings {
            p.requireSignature = p.requireSignature || settings.requireSignature
            p.allowUnverified = p.allowUnverified || settings.allowUnverified
            p.trustCertificates = settings.trustCertificates + p.trustCertificates
            p.crashLockdown = p.crashLockdown ?? settings.crashLockdown
        }
        return SecureBootGate(sources: dom0.secureBoot, policy: p)
    }
}

/// `--crash-lockdown`.
enum LockdownArgument: String, ExpressibleByArgument, CaseIterable {
    case integrity, confidentiality

    var level: LockdownLevel { self == .integrity ? .integrity : .confidentiality }
}
