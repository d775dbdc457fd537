import SystemPackage
import XenKexec

/// The steps one operation takes (hypercalls and state directory calls, in order), and the
/// one fault to inject at one of them.
///
/// A kill is modelled by what a killed process leaves: at the step, ``onKill`` captures Xen's
/// slots and the state directory; the operation then runs on unharmed, and the campaign puts
/// the captured state back before the next invocation looks. Nothing of the dead process's
/// later steps survives, and nothing it did before is undone, as after `kill -9`.
final class FaultSchedule: @unchecked Sendable {
    /// The step names seen so far.
    private(set) var trace: [String] = []
    /// The index of the step to fault, and the fault; nil while an operation is set up.
    var target: (index: Int, fault: InjectedFault)?
    /// Whether the fault was injected.
    private(set) var fired = false
    /// Captures what a killed process leaves (``killed`` and ``killedMidWrite``).
    var onKill: () -> Void = {}

    /// Records the step `name`; returns the fault to inject there, if this is the target.
    func step(_ name: String) -> InjectedFault? {
        let index = trace.count
        trace.append(name)
        guard let target, target.index == index, !fired else { return nil }
        fired = true
        if target.fault == .killed { onKill() }
        return target.fault
    }

    /// Forgets the trace (after the set-up of an operation).
    func reset() {
        trace = []
        fired = false
    }
}

/// The errnos Xen (and dom0's privcmd path) returns for each call
/// (shared/reference: xen/common/kexec.c, kimage.c; ``KexecHypervisor``'s documentation):
/// `EPERM` from `xsm_kexec` and privcmd on every command, `EFAULT` from every copy to or
/// from dom0, `ENOSYS`/`EOPNOTSUPP` from a hypervisor without kexec or without the command,
/// and each command's own.
enum XenErrnos {
    static let common: [Errno] = [.notPermitted, .badAddress, .noFunction, .notSupported]

    static func of(_ call: HypervisorCall) -> [Errno] {
        switch call {
        case .load: common + [.invalidArgument, .noMemory, .addressNotAvailable, .resourceBusy]
        case .unload: common + [.invalidArgument, .resourceBusy]
        case .status: common + [.invalidArgument]
        case .exec: common + [.invalidArgument, .noSuchFileOrDirectory]
        case .getRange: common + [.invalidArgument, .outOfRange]
        case .machineMemoryMap: common + [.invalidArgument]
        case .commandLine: [.notPermitted, .badAddress]
        case .allocate: [.noMemory]
        case .open: [.notPermitted, .noSuchFileOrDirectory]
        }
    }
}

/// The faults of one state directory call.
enum StateFaults {
    static let errnos: [Errno] = [.noSpace, .ioError, .readOnlyFileSystem, .permissionDenied]

    static func of(_ step: String) -> [InjectedFault] {
        let verb = step.split(separator: " ").first.map(String.init) ?? ""
        // A missing directory where the store creates or reads it; a directory removed under
        // a write is /run wiped mid-operation, which no record survives.
        var faults: [InjectedFault] = ["mkdir", "read", "stat"].contains(verb) ? [.directoryMissing, .killed] : [.killed]
        switch verb {
        case "write": faults += [.errno(.readOnlyFileSystem), .errno(.permissionDenied), .tornWrite(.noSpace), .tornWrite(.ioError), .killedMidWrite]
        case "read": faults += [.errno(.ioError), .errno(.permissionDenied), .tornRecord]
        case "stat": faults += [.errno(.ioError)]
        default: faults += errnos.map(InjectedFault.errno)
        }
        return faults
    }
}
