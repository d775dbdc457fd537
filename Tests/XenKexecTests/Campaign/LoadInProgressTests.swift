import Testing
@testable import XenKexec

/// A process killed between `KEXEC_CMD_kexec_load` and the record: `status` must not vouch
/// for an image Xen may have overwritten, nor say nothing is armed when the new one is.
@Suite struct LoadInProgressTests {
    /// The cell of `operation` with `fault` at the `occurrence`-th step named `step`.
    func cell(_ operation: CampaignOperation, _ step: String, occurrence: Int = 1, _ fault: InjectedFault) async throws -> CampaignCell {
        let runner = CampaignRunner(operation: operation)
        let trace = try await runner.baseline()
        let index = try #require(trace.indices.filter { trace[$0] == step }.dropFirst(occurrence - 1).first)
        return try await runner.cell(row: step, fault: fault) { $0.schedule.target = (index, fault) }
    }

    @Test func killedAfterXenRefusedAReloadLeavesStatusUnknown() async throws {
        // Xen copied B over A and refused it; the process dies before the restore's unload.
        let c = try await cell(.reloadRestore, "kexec_unload", .killed)
        #expect(c.problems.isEmpty, "\(c.problems)")
        #expect(c.outcome == CellOutcome(slot: "damaged", exit: 4, statusUnknown: true, killed: true))
    }

    @Test func killedAfterAFirstLoadLeavesStatusUnknownNotNothingArmed() async throws {
        let c = try await cell(.load, "kexec_status", .killed)
        #expect(c.problems.isEmpty, "\(c.problems)")
        #expect(c.outcome == CellOutcome(slot: "new", exit: 4, statusUnknown: true, killed: true))
    }

    @Test func aRecordThatCannotBeWrittenAfterTheRestoreLeavesStatusUnknown() async throws {
        // The restore re-armed A; writing its record fails: A stays armed and status says unknown.
        let c = try await cell(.reloadRestore, "mkdir state directory", occurrence: 3, .errno(.readOnlyFileSystem))
        #expect(c.problems.isEmpty, "\(c.problems)")
        #expect(c.outcome == CellOutcome(slot: "before", exit: 75, statusUnknown: true, killed: false))
    }

    @Test func aLoadInProgressThatCannotBeRecordedIsNotSent() async throws {
        let c = try await cell(.reload, "write .crash.record.tmp", .errno(.readOnlyFileSystem))
        #expect(c.problems.isEmpty, "\(c.problems)")
        #expect(c.outcome == CellOutcome(slot: "before", exit: 71, statusUnknown: false, killed: false))
    }
}
