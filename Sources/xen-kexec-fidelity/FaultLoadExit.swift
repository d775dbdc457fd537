import KexecPlan
import XenKexec

/// The exit status of `fault-load`: for every error, the one `xen-kexec-load load` gives
/// (its `ToolExit` table, sysexits.h codes), so that the e2e scenarios read the same codes.
/// Only the status: the library's log lines already say what happened. `FaultLoadExitTests`
/// compares the two for every case of `DiagnosisTests.table`.
enum FaultLoadExit {
    static func code(_ error: KexecError) -> Int32 {
        switch error {
        case .reloadRefused(let cause, _):
            return code(cause)
        case .nothingLoaded:
            return 3
        case .segmentOutsideCrashRegion, .loadRejected, .planSegmentWithoutInitrd, .planSegmentOutsideFile,
             .fileHashChanged, .armedImageChanged:
            return 65  // EX_DATAERR
        case .plan(let e):
            switch e {
            case .noCrashRegion, .acpiRsdp: return 78  // EX_CONFIG
            default: return 65
            }
        case .fileUnavailable:
            return 66  // EX_NOINPUT
        case .hostUnavailable(.notRoot):
            return 77  // EX_NOPERM
        case .hostUnavailable, .efiLoadTypeUnsupported, .kexecUnsupported:
            return 69  // EX_UNAVAILABLE
        case .interfaceOpenFailed(let e):
            return e == .permissionDenied || e == .notPermitted ? 77 : 69
        case .outOfMemory, .hypercallFailed, .payloadAllocationFailed, .execReturned, .recordUnwritable:
            return 71  // EX_OSERR
        case .lockFailed(_, let e):
            return e == .permissionDenied ? 77 : 71
        case .busy, .fileChanged, .lockTimeout:
            return 75  // EX_TEMPFAIL
        case .notPermitted, .untrustedFile, .lockUntrusted:
            return 77
        case .noCrashRegion, .badConfiguration:
            return 78
        case .secureBootRefused:
            return 80
        }
    }
}
