/// The JSON `kind` of a ``Diagnosis`` and the exit code it gives: the one mapping from what
/// went wrong to ``ToolExit``.
enum DiagnosisKind: String {
    case notDom0 = "not-dom0"
    case xenfsNotMounted = "xenfs-not-mounted"
    case noPrivcmd = "no-privcmd"
    case notRoot = "not-root"
    case notPermitted = "not-permitted"
    case xenctrlUnavailable = "xenctrl-unavailable"
    case noCrashRegion = "no-crash-region"
    case outsideCrashRegion = "outside-crash-region"
    case efiTypeUnsupported = "efi-type-unsupported"
    case loadRejected = "load-rejected"
    case busy = "busy"
    case outOfMemory = "out-of-memory"
    case nothingLoaded = "nothing-loaded"
    case kexecUnsupported = "kexec-unsupported"
    case hypercallFailed = "hypercall-failed"
    case allocationFailed = "allocation-failed"
    case execReturned = "exec-returned"
    case planInconsistent = "plan-inconsistent"
    case fileUnavailable = "file-unavailable"
    case untrustedFile = "untrusted-file"
    case fileChanged = "file-changed"
    case secureBootRefused = "secure-boot-refused"
    case badConfiguration = "bad-configuration"
    case lockTimeout = "lock-timeout"
    case lockUntrusted = "lock-untrusted"
    case recordUnwritable = "record-unwritable"
    case lockFailed = "lock-failed"
    case acpiRsdp = "acpi-rsdp"
    case xenRulesRefused = "xen-rules-refused"
    case planFailed = "plan-failed"

    /// The exit code of this kind (``Diagnosis/describe(_:)`` names the two exceptions).
    var exit: ToolExit {
        switch self {
        case .notDom0, .xenfsNotMounted, .noPrivcmd, .xenctrlUnavailable, .efiTypeUnsupported, .kexecUnsupported: .unavailable
        case .notRoot, .notPermitted, .untrustedFile, .lockUntrusted: .noPermission
        case .noCrashRegion, .badConfiguration, .acpiRsdp: .config
        case .outsideCrashRegion, .loadRejected, .planInconsistent, .fileChanged, .xenRulesRefused, .planFailed: .dataError
        case .busy, .lockTimeout: .tempFail
        case .outOfMemory, .hypercallFailed, .allocationFailed, .execReturned, .recordUnwritable, .lockFailed: .osError
        case .nothingLoaded: .notLoaded
        case .fileUnavailable: .noInput
        case .secureBootRefused: .secureBootRefused
        }
    }
}
