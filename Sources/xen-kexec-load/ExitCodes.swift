import ArgumentParser
import KexecPlan

/// The exit codes of `xen-kexec-load`, one table (sysexits.h and LSB `status`).
/// Documented in the man page and README; every error maps to exactly one of these.
enum ToolExit: Int32, CaseIterable {
    case success = 0
    /// Generic failure.
    case failure = 1
    /// `status`: no image is armed (LSB "program is not running"); `exec`: nothing of that
    /// type is loaded (Xen's ENOENT).
    case notLoaded = 3
    /// `status`: what is armed cannot be vouched for (LSB "status unknown"): Xen's status bit
    /// disagrees with the record, the record is unreadable, or a refused reload that was not
    /// restored may have damaged the image.
    case statusUnknown = 4
    /// EX_USAGE: bad command-line usage (argument-parser's own code).
    case usage = 64
    /// EX_DATAERR: malformed or unloadable image, impossible plan, plan that breaks Xen's rules.
    case dataError = 65
    /// EX_NOINPUT: a kernel, initrd or host file is missing or unreadable.
    case noInput = 66
    /// EX_UNAVAILABLE: not a Xen dom0, no privcmd, xenfs not mounted, hypervisor lacks the load type.
    case unavailable = 69
    /// EX_OSERR: a hypercall failed for another reason.
    case osError = 71
    /// EX_TEMPFAIL: Xen is busy (EBUSY) or the lock could not be taken in time.
    case tempFail = 75
    /// EX_NOPERM: not root, or Xen refused the caller (EPERM).
    case noPermission = 77
    /// EX_CONFIG: no crash region reserved on Xen's command line, a bad config file, or no
    /// usable ACPI RSDP (a UEFI host where none was found, or one that lies in RAM).
    case config = 78
    /// Refused by the Secure Boot policy: under lockdown or `--require-signature`, the kernel
    /// is unsigned, tampered with, signed by an untrusted or revoked key, or the load type
    /// would arm it unverified. Nothing was sent to Xen.
    case secureBootRefused = 80

    var code: ExitCode { ExitCode(rawValue) }
}

extension ToolExit {
    /// The exit code of a planning error, the same from `plan`, `load` and `provision`:
    /// what only Xen's or the host's configuration can fix is EX_CONFIG, the rest EX_DATAERR.
    init(_ error: PlanError) {
        switch error {
        case .noCrashRegion, .acpiRsdp: self = .config
        default: self = .dataError
        }
    }
}
