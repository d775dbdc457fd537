import KexecPlan
import SystemPackage
import Testing
@testable import XenKexec

/// dom0's VMCOREINFO note from a sysfs tree (`kernel/vmcoreinfo`, `hypervisor/guest_type`).
@Suite struct Dom0VmcoreInfoDiscoveryTests {
    func discover(guestType: String?, vmcoreinfo: String?) -> Dom0VmcoreInfoDiscovery.Result {
        let dir = ScratchDirectory()
        let root = dir.path.appending("sys")
        if let g = guestType {
            try! SystemCalls.makeDirectory(root.appending("hypervisor"), permissions: [.ownerReadWriteExecute])
            _ = dir.file("sys/hypervisor/guest_type", Array(g.utf8))
        }
        if let v = vmcoreinfo {
            try! SystemCalls.makeDirectory(root.appending("kernel"), permissions: [.ownerReadWriteExecute])
            _ = dir.file("sys/kernel/vmcoreinfo", Array(v.utf8))
        }
        defer { dir.cleanup() }
        return Dom0VmcoreInfoDiscovery(sysfsRoot: root).discover()
    }

    /// Linux's own format ("%pa %x"): VMCOREINFO_NOTE_SIZE is 0x1024, cut at the page's end.
    @Test func pvDom0GivesTheFirstPageOfItsNote() async {
        #expect(discover(guestType: "PV\n", vmcoreinfo: "0x0000000100c66000 1024\n") == .found(AddressRange(start: 0x1_00c6_6000, size: 0x1000)))
        #expect(discover(guestType: "PV", vmcoreinfo: "7f000800 400") == .found(AddressRange(start: 0x7f00_0800, size: 0x400)))
        #expect(discover(guestType: "PV", vmcoreinfo: "0x7f000f00 1024") == .found(AddressRange(start: 0x7f00_0f00, size: 0x100)))
    }

    @Test func otherGuestTypesOrNoTypeGiveNoNote() async {
        guard case .unavailable(let pvh) = discover(guestType: "PVH\n", vmcoreinfo: "0x100c66000 1024\n") else { Issue.record("PVH gave a note"); return }
        #expect(pvh.contains("PVH") && pvh.contains("not a machine address"))
        guard case .unavailable(let none) = discover(guestType: nil, vmcoreinfo: "0x100c66000 1024\n") else { Issue.record("no guest_type gave a note"); return }
        #expect(none.contains("hypervisor/guest_type"))
    }

    @Test func missingOrMalformedFileGivesNoNote() async {
        guard case .unavailable(let missing) = discover(guestType: "PV", vmcoreinfo: nil) else { Issue.record("missing file gave a note"); return }
        #expect(missing.contains("kernel/vmcoreinfo: cannot read"))
        for bad in ["", "0x100c66000", "0 1024", "0x100c66000 0", "zz 10", "ffffffffffffffff 10"] {
            #expect(Dom0VmcoreInfoDiscovery.parse(bad) == nil, "\(bad)")
        }
    }
}

/// The loader gives the planner dom0's note from its sysfs, or loads without it and warns.
@Suite struct LoaderDom0VmcoreInfoTests {
    @Test func aPVDom0sNoteReachesThePlanner() async throws {
        let h = LoaderHarness()
        try SystemCalls.makeDirectory(h.dir.path.appending("sys/hypervisor"), permissions: [.ownerReadWriteExecute])
        try SystemCalls.makeDirectory(h.dir.path.appending("sys/kernel"), permissions: [.ownerReadWriteExecute])
        _ = h.dir.file("sys/hypervisor/guest_type", Array("PV\n".utf8))
        _ = h.dir.file("sys/kernel/vmcoreinfo", Array("0x0000000100c66000 1024\n".utf8))
        _ = try await h.loader.load(h.invocation(h.kernelA))
        #expect(h.planner.lastHost?.dom0VmcoreInfo == AddressRange(start: 0x1_00c6_6000, size: 0x1000))
        #expect(h.messages(.info).contains { $0.contains("dom0 VMCOREINFO note at 0x100c66000") })
    }

    @Test func withoutItTheLoadGoesOnAndSaysSo() async throws {
        let h = LoaderHarness()
        let outcome = try await h.loader.load(h.invocation(h.kernelA))
        #expect(!outcome.unchanged)
        #expect(h.planner.lastHost != nil && h.planner.lastHost?.dom0VmcoreInfo == nil)
        #expect(h.messages(.warning).contains { $0.contains("no dom0 VMCOREINFO note") && $0.contains("makedumpfile") })
        #expect(try h.slots.status(.crash).isArmed)
    }
}
