import KexecPlan

/// Builds the planner's ``HostDescription`` from the live hypervisor and dom0's firmware facts.
public enum HostQuery {
    /// Crash region, machine memory map (sorted), CPU notes, VMCOREINFO and the Xen image
    /// from Xen; firmware and ACPI RSDP from `firmware` (``FirmwareDiscovery/discover()``).
    /// Whether the RSDP is usable is the planner's check (``AcpiRsdpCheck``). dom0's own
    /// VMCOREINFO note from `dom0VmcoreInfo` (``Dom0VmcoreInfoDiscovery``), if found.
    public static func describe(
        _ hv: any KexecHypervisor, firmware: FirmwareFacts, dom0VmcoreInfo: AddressRange? = nil
    ) throws(KexecError) -> HostDescription {
        do {
            let region = try hv.crashRegion()
            let map = try hv.machineMemoryMap().sorted { $0.range.start < $1.range.start }
            let notes = try hv.cpuNoteRanges()
            let vmcore = try hv.vmcoreInfoRange()
            let xen = try hv.xenImageRange()
            var host = HostDescription(
                crashRegion: region, memoryMap: map, cpuNotes: notes, vmcoreInfo: vmcore, xenImage: xen,
                acpiRsdp: firmware.acpiRsdp, acpiRsdpSource: firmware.acpiRsdpSource, firmware: firmware.firmware)
            host.dom0VmcoreInfo = dom0VmcoreInfo
            host.acpiRsdpBytes = firmware.acpiRsdpBytes
            return host
        } catch {
            throw ErrnoClassification.classify(error)
        }
    }
}
