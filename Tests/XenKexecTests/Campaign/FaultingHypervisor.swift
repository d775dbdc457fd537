import KexecPlan
import SystemPackage
@testable import XenKexec

/// The recording fake, with each call a step of a ``FaultSchedule``: an injected errno is
/// handed to the fake (which models what a refused crash load leaves in the slot), a kill
/// captures the state before the call.
final class FaultingHypervisor: KexecHypervisor {
    let xen: RecordingHypervisor
    let schedule: FaultSchedule

    init(_ xen: RecordingHypervisor, schedule: FaultSchedule) {
        self.xen = xen
        self.schedule = schedule
    }

    private func step(_ name: String, _ call: HypervisorCall) {
        if case .errno(let e)? = schedule.step(name) { xen.fail(call, with: e) }
    }

    func crashRegion() throws(HypercallFailure) -> AddressRange? {
        step("get_range(crash)", .getRange)
        return try xen.crashRegion()
    }

    func xenImageRange() throws(HypercallFailure) -> AddressRange? {
        step("get_range(xen)", .getRange)
        return try xen.xenImageRange()
    }

    func vmcoreInfoRange() throws(HypercallFailure) -> AddressRange? {
        step("get_range(vmcoreinfo)", .getRange)
        return try xen.vmcoreInfoRange()
    }

    func cpuNoteRanges() throws(HypercallFailure) -> [AddressRange] {
        step("get_range(cpu)", .getRange)
        return try xen.cpuNoteRanges()
    }

    func machineMemoryMap() throws(HypercallFailure) -> [MemoryRange] {
        step("machine_memory_map", .machineMemoryMap)
        return try xen.machineMemoryMap()
    }

    func hypervisorCommandLine() throws(HypercallFailure) -> String {
        step("xen_version(commandline)", .commandLine)
        return try xen.hypervisorCommandLine()
    }

    func allocatePayload(byteCount: Int) throws(HypercallFailure) -> PayloadBuffer {
        step("hypercall_buffer_alloc", .allocate)
        return try xen.allocatePayload(byteCount: byteCount)
    }

    func load(_ request: KexecLoadRequest) throws(HypercallFailure) {
        step("kexec_load", .load)
        try xen.load(request)
    }

    func unload(type: UInt8) throws(HypercallFailure) {
        step("kexec_unload", .unload)
        try xen.unload(type: type)
    }

    func exec(type: UInt8) throws(HypercallFailure) {
        step("kexec", .exec)
        try xen.exec(type: type)
    }

    func statusBit(type: UInt8) throws(HypercallFailure) -> Bool {
        step("kexec_status", .status)
        return try xen.statusBit(type: type)
    }
}

extension HypervisorCall {
    /// The call behind a step name of ``FaultingHypervisor``; nil for a state directory step.
    init?(step: String) {
        switch step {
        case "get_range(crash)", "get_range(xen)", "get_range(vmcoreinfo)", "get_range(cpu)": self = .getRange
        case "machine_memory_map": self = .machineMemoryMap
        case "xen_version(commandline)": self = .commandLine
        case "hypercall_buffer_alloc": self = .allocate
        case "kexec_load": self = .load
        case "kexec_unload": self = .unload
        case "kexec": self = .exec
        case "kexec_status": self = .status
        default: return nil
        }
    }
}
