import Testing
@testable import XenKexec

/// `systemctl restart` to a new kernel that Xen refuses: the kernel the unit's unload removed
/// is armed again, although the refusal's own unload flipped Xen's status bit.
@Suite struct ProvisionRearmAfterRefusalTests {
    @Test(arguments: [InjectedFault.errno(.resourceBusy), .errno(.addressNotAvailable), .errno(.notPermitted)])
    func theUnloadedKernelIsArmedAgain(_ fault: InjectedFault) async throws {
        let runner = CampaignRunner(operation: .provisionRestart)
        let trace = try await runner.baseline()
        let load = try #require(trace.firstIndex(of: "kexec_load"))
        let c = try await runner.cell(row: "kexec_load", fault: fault) { $0.schedule.target = (load, fault) }
        #expect(c.problems.isEmpty, "\(c.problems)")
        #expect(c.outcome.slot == "before")
    }
}
