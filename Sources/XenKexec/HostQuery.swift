import KexecPlan

/// Builds the planner's ``HostDescription`` from the live hypervisor.
public enum HostQuery {
    /// Crash region, machine memory map (sorted), CPU notes, VMCOREINFO and the Xen image.
    /// The ACPI RSDP is left unknown (the planner then omits it).
    public static func describe(_ hv: any KexecHypervisor) throws(KexecError) -> HostDescription {
        do {
            let region = try hv.crashRegion()
            let map = try hv.machineMemoryMap().sorted { $0.range.start < $1.range.start }
            let notes = try hv.cpuNoteRanges()
            let vmcore = try hv.vmcoreInfoRange()
            let xen = try hv.xenImageRange()
            return HostDescription(crashRegion: region, memoryMap: map, cpuNotes: notes, vmcoreInfo: vmcore, xenImage: xen)
        } catch {
            throw ErrnoClassification.classify(error)
        }
    }
}
