import KexecPlan
import XenKexec

/// Why a fidelity run could not ask Xen at all (a disagreement is a result, not an error).
enum FidelityError: Error, CustomStringConvertible {
    /// libxenctrl could not be opened (not dom0, no privcmd, not root).
    case xenUnavailable(KexecError)
    /// A query the run needs first failed (`XEN_KEXEC_RANGE`, the machine memory map).
    case queryFailed(HypercallFailure)
    /// Xen reserved no crash region (`crashkernel=` missing on Xen's command line).
    case noCrashRegion
    /// No 64 MiB of RAM outside the crash region and Xen's image for KEXEC_TYPE_DEFAULT cases.
    case noDefaultWindow
    /// The hypercall-safe buffer for the cases' segments could not be allocated.
    case payloadAllocationFailed(bytes: Int, HypercallFailure)
    /// A case's segments could not be given hypercall memory (its generated segment 0).
    case caseBuffers(index: Int, KexecError)

    var description: String {
        switch self {
        case .xenUnavailable(let e): "cannot open libxenctrl: \(e)"
        case .queryFailed(let e): "\(e)"
        case .noCrashRegion: "Xen reports no crash region; boot Xen with crashkernel=SIZE@BASE"
        case .noDefaultWindow: "no 64 MiB RAM window for KEXEC_TYPE_DEFAULT cases in Xen's memory map"
        case .payloadAllocationFailed(let bytes, let e): "allocating \(bytes) bytes of hypercall buffer: \(e)"
        case .caseBuffers(let index, let e): "case \(index): the segment buffers: \(e)"
        }
    }
}
