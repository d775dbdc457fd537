import KexecPlan
import SystemPackage

/// The pure mapping from Xen's errno to a ``KexecError``, per call and with the context
/// that makes the advice concrete (the crash region for `ENOMEM`, the load type for
/// `EINVAL`). Tested case by case without a hypervisor.
public enum ErrnoClassification {
    /// Context for a failed call.
    public struct Context: Equatable, Sendable {
        /// The crash region Xen reported before the call, if any.
        public var crashRegion: AddressRange?
        /// Whether Xen knows KEXEC_TYPE_CRASH_EFI (its status call for type 3 answers rather
        /// than EINVAL); `nil` when not asked. Only then is a type-3 EINVAL a refusal of the
        /// image rather than of the type.
        public var efiTypeKnown: Bool?

        public init(crashRegion: AddressRange? = nil, efiTypeKnown: Bool? = nil) {
            self.crashRegion = crashRegion
            self.efiTypeKnown = efiTypeKnown
        }
    }

    public static func classify(_ failure: HypercallFailure, context: Context = .init()) -> KexecError {
        let e = failure.errno
        // Refusals that mean the same on every call.
        switch e {
        case .notPermitted, .permissionDenied:
            return .notPermitted(failure.call)
        case .noFunction, .notSupported:
            return .kexecUnsupported(failure.call)
        case .resourceBusy:
            return .busy(failure.call)
        default:
            break
        }
        switch failure.call {
        case .load:
            let type = failure.type ?? 0
            switch e {
            case .addressNotAvailable:
                return .segmentOutsideCrashRegion(region: context.crashRegion)
            case .invalidArgument where type == LoadType.crashEFI.rawValue && context.efiTypeKnown != true:
                return .efiLoadTypeUnsupported
            case .invalidArgument:
                return .loadRejected(type: type, errno: e)
            case .noMemory:
                return .outOfMemory(region: context.crashRegion)
            default:
                return .hypercallFailed(failure)
            }
        case .exec:
            if e == .noSuchFileOrDirectory { return .nothingLoaded(type: failure.type ?? 0) }
            return .hypercallFailed(failure)
        case .allocate:
            return .payloadAllocationFailed(bytes: 0, errno: e)
        case .open:
            return .interfaceOpenFailed(e)
        case .getRange, .machineMemoryMap, .commandLine, .unload, .status:
            return .hypercallFailed(failure)
        }
    }
}
