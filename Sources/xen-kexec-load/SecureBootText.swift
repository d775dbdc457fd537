import XenKexec

/// The operator's messages for the Secure Boot policy: what was refused, why the policy
/// applies, and what to do.
enum SecureBootText {
    static let optIn = "--allow-unverified-kernel (XEN_KEXEC_ALLOW_UNVERIFIED=yes for provision)"

    static func refusal(_ r: SecureBootRefusal) -> String {
        let head = "refused by the Secure Boot policy (\(r.because)): \(r.kernel)"
        switch r.reason {
        case .classicTypeUnverifiable(let type):
            return "\(head): the \(type) load type would arm an unverified kernel (it runs through this tool's purgatory and Xen checks no signature); "
                + "load it with --efi (KEXEC_TYPE_CRASH_EFI) on a Xen that has it (provision picks it with XEN_KEXEC_TYPE=auto), "
                + "or, on a Xen without it, accept an unverified crash kernel explicitly with \(optIn). Nothing was sent to Xen"
        case .signature(let why, let kind):
            return "\(head) is \(why); \(advice(kind)). Nothing was sent to Xen"
        }
    }

    static func advice(_ kind: String) -> String {
        switch kind {
        case "unsigned", "not-pe":
            return "use a signed kernel (Debian's signed linux-image packages are), or sign it with a key enrolled in db or MokList (sbsign); \(optIn) arms it unverified"
        case "tampered":
            return "the file changed after it was signed: reinstall the kernel package; \(optIn) arms it unverified"
        case "untrusted":
            return "enroll the signer's CA in MokList (mokutil --import) or name it with --trust-cert FILE (XEN_KEXEC_TRUST_CERTS); \(optIn) arms it unverified"
        case "revoked":
            return "dbx or MokListXRT forbids it; install a kernel that is not revoked (no option overrides a revocation)"
        default:
            return "check the kernel with `xen-kexec-load inspect`; \(optIn) arms it unverified"
        }
    }
}
