import KexecPlan
import Testing
@testable import XenKexec

/// `load(_:keepIfArmed:)`, what `provision` uses: idempotent when the same plan is armed.
@Suite struct ProvisionLoadTests {
    @Test func samePlanArmedSendsNothing() async throws {
        let h = LoaderHarness()
        let first = try await h.loader.load(h.invocation(h.kernelA), keepIfArmed: true)
        #expect(!first.unchanged)
        let before = h.hv.loads.count
        let second = try await h.loader.load(h.invocation(h.kernelA), keepIfArmed: true)
        #expect(second.unchanged)
        #expect(second.record == first.record)
        #expect(h.hv.loads.count == before)
        #expect(h.messages(.notice).contains { $0.contains("already armed") && $0.contains(first.record.digest) })
    }

    @Test func aChangedPlanReloads() async throws {
        let h = LoaderHarness()
        _ = try await h.loader.load(h.invocation(h.kernelA), keepIfArmed: true)
        let second = try await h.loader.load(h.invocation(h.kernelB), keepIfArmed: true)
        #expect(!second.unchanged)
        #expect(h.hv.loads.count == 2)
    }

    @Test func aSlotTouchedByAnotherToolIsReloaded() async throws {
        let h = LoaderHarness()
        _ = try await h.loader.load(h.invocation(h.kernelA), keepIfArmed: true)
        h.hv.simulateForeignLoad()
        let again = try await h.loader.load(h.invocation(h.kernelA), keepIfArmed: true)
        #expect(!again.unchanged)
        #expect(h.hv.slots[1] == h.hv.loads.last)
        #expect(try h.slots.status(.crash).isArmed)
    }

    @Test func aTypeChangeReloads() async throws {
        let h = LoaderHarness()
        _ = try await h.loader.load(h.invocation(h.kernelA), keepIfArmed: true)
        let efi = try await h.loader.load(h.invocation(h.kernelA, type: .crashEFI), keepIfArmed: true)
        #expect(!efi.unchanged)
        #expect(h.hv.loads.map(\.type) == [1, 3])
    }

    @Test func plainLoadAlwaysSends() async throws {
        let h = LoaderHarness()
        _ = try await h.loader.load(h.invocation(h.kernelA))
        _ = try await h.loader.load(h.invocation(h.kernelA))
        #expect(h.hv.loads.count == 2)
    }
}
